//! `yinwen library index|list|find` and `yinwen verify FILE --library DIR`: the source
//! library on the command line (JSON shapes in README.md and DESIGN.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::header::Header;
use crate::analysis::verify::Status;
use crate::cli::EXIT_OK;
use crate::cli_analysis::{VerifyItem, one_line};
use crate::export::printable;
use crate::import::{self, EncodingChoice};
use crate::library::{self, FoundMatch, Library, LibraryError, QuotedFrom, claims};
use crate::progress::Progress;

/// Exit code: the index was built but some files were skipped.
pub const EXIT_SKIPPED: i32 = 1;
/// Matches reported per quotation by `library find`.
pub const FIND_LIMIT: usize = 5;

fn err(e: LibraryError) -> String {
    e.to_string()
}

/// `yinwen library index DIR [--json]`: builds or updates DIR's index with progress on
/// stderr; exit 0, 1 when some files were skipped, 2 when DIR is unusable.
pub fn index_command(
    dir: &Path,
    json: bool,
    rebuild: bool,
    out: &mut dyn Write,
    errw: &mut dyn Write,
) -> Result<i32, String> {
    let progress = Progress::new();
    let started = std::time::Instant::now();
    let report = std::thread::scope(|s| {
        let worker = s.spawn(|| library::index_folder_with(dir, &progress, rebuild));
        // Progress on stderr, a line every second, for runs that take a while.
        let mut last = std::time::Instant::now();
        while !worker.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if !json && last.elapsed().as_secs() >= 1 {
                if let Some(f) = progress.fraction() {
                    let _ = writeln!(errw, "indexing… {:.0} %", f * 100.0);
                }
                last = std::time::Instant::now();
            }
        }
        worker
            .join()
            .unwrap_or(Err(LibraryError::Index("the indexer stopped".into())))
    });
    let report = report.map_err(err)?;
    let secs = started.elapsed().as_secs_f64();
    if let Some(why) = &report.rebuilt
        && !json
    {
        let _ = writeln!(
            errw,
            "yinwen: {}: the index was built again from scratch ({})",
            printable(&dir.display().to_string()),
            printable(why)
        );
    }
    let code = if report.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_SKIPPED
    };
    if json {
        let s = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(code);
    }
    let _ = writeln!(
        out,
        "{}: {} documents ({} added, {} changed, {} removed, {} unchanged), {:.1} MB read in {:.1} s; index in {}",
        printable(&dir.display().to_string()),
        report.documents,
        report.added,
        report.changed,
        report.removed,
        report.unchanged,
        report.bytes_indexed as f64 / 1e6,
        secs,
        printable(&report.index_dir.display().to_string())
    );
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "  skipped {}: {}",
            printable(&s.file),
            printable(&s.reason)
        );
    }
    Ok(code)
}

#[derive(Serialize)]
struct ListDoc<'a> {
    /// The file name for people ([`library::names::display`]).
    file: &'a str,
    /// The exact bytes of the name, as hex, when `file` is not the exact name.
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<&'a str>,
    title: Option<String>,
    issuer: Option<String>,
    doc_number: Option<String>,
    date: Option<String>,
    kind: &'static str,
    speaker: Option<String>,
    occasion: Option<String>,
    chars: usize,
    aliases: Vec<String>,
    doc_number_issues: Vec<String>,
    edited: bool,
}

/// `yinwen library list DIR --json`: exit 1 (with a line on stderr) when the index is
/// incomplete, 2 when it cannot be read.
pub fn list_command(
    dir: &Path,
    json: bool,
    out: &mut dyn Write,
    errw: &mut dyn Write,
) -> Result<i32, String> {
    let folder = library::Folder::open(dir).map_err(err)?;
    let code = if folder.is_complete() {
        EXIT_OK
    } else {
        let _ = writeln!(
            errw,
            "yinwen: {}",
            printable(&LibraryError::Incomplete(dir.to_path_buf()).to_string())
        );
        EXIT_SKIPPED
    };
    let docs: Vec<ListDoc> = folder
        .entries()
        .iter()
        .map(|e| {
            let h = folder.header(&e.file).unwrap_or_default();
            ListDoc {
                file: library::names::display(&e.file),
                file_bytes: library::names::exact_hex(&e.file),
                kind: h.kind.word(),
                title: h.title,
                issuer: h.issuer,
                doc_number: h.doc_number,
                date: h.date,
                speaker: h.speaker,
                occasion: h.occasion,
                chars: e.chars,
                aliases: h.aliases,
                doc_number_issues: h.doc_number_issues,
                edited: folder.is_edited(&e.file),
            }
        })
        .collect();
    if json {
        #[derive(Serialize)]
        struct ListJson<'a> {
            documents: &'a [ListDoc<'a>],
        }
        let s = serde_json::to_string(&ListJson { documents: &docs }).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(code);
    }
    for d in &docs {
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  {}",
            printable(d.file),
            d.kind,
            d.date.as_deref().unwrap_or("-"),
            printable(d.doc_number.as_deref().unwrap_or("-")),
            printable(d.title.as_deref().unwrap_or("(no title)")),
        );
    }
    let _ = writeln!(out, "{} documents", docs.len());
    Ok(code)
}

#[derive(Serialize)]
struct MatchJson<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<&'a str>,
    title: Option<&'a str>,
    doc_number: Option<&'a str>,
    date: Option<&'a str>,
    speaker: Option<&'a str>,
    status: Status,
    script_differs: bool,
    similarity: f32,
    start: usize,
    end: usize,
    passage: &'a str,
    quoted_from: Option<&'a QuotedFrom>,
    diff: Vec<serde_json::Value>,
}

fn diff_json(m: &FoundMatch) -> Vec<serde_json::Value> {
    use crate::analysis::verify::DiffOp;
    m.diff
        .iter()
        .map(|d| match d {
            DiffOp::Same(s) => serde_json::json!({"same": s}),
            DiffOp::Missing(s) => serde_json::json!({"missing": s}),
            DiffOp::Extra(s) => serde_json::json!({"extra": s}),
        })
        .collect()
}

fn match_json(m: &FoundMatch) -> MatchJson<'_> {
    let h: &Header = &m.header;
    MatchJson {
        file: library::names::display(&m.file),
        file_bytes: library::names::exact_hex(&m.file),
        title: h.title.as_deref(),
        doc_number: h.doc_number.as_deref(),
        date: h.date.as_deref(),
        speaker: h.speaker.as_deref(),
        status: m.status,
        script_differs: m.script_differs,
        similarity: m.similarity,
        start: m.start,
        end: m.end,
        passage: &m.passage,
        quoted_from: m.quoted_from.as_ref(),
        diff: diff_json(m),
    }
}

/// The library of `dirs`, indexing a folder first when it has no index (or one made by
/// another version), with a note on stderr.
fn open_library(dirs: &[PathBuf], errw: &mut dyn Write) -> Result<Library, String> {
    for d in dirs {
        if !d.is_dir() {
            return Err(LibraryError::NotAFolder(d.clone()).to_string());
        }
    }
    let (lib, reports) = Library::open_or_index(dirs, &Progress::new()).map_err(err)?;
    for (_, e) in &lib.unusable {
        let _ = writeln!(
            errw,
            "yinwen: {} (answering from the other folders)",
            printable(&e.to_string())
        );
    }
    for (d, r) in reports {
        let _ = writeln!(
            errw,
            "yinwen: indexed {} first ({} documents)",
            printable(&d.display().to_string()),
            r.documents
        );
        for s in &r.skipped {
            let _ = writeln!(
                errw,
                "  skipped {}: {}",
                printable(&s.file),
                printable(&s.reason)
            );
        }
    }
    Ok(lib)
}

/// `yinwen library find --library DIR (TEXT | --queries FILE) [--json]`.
pub fn find_command(
    dirs: &[PathBuf],
    text: Option<&str>,
    queries: Option<&Path>,
    json: bool,
    out: &mut dyn Write,
    errw: &mut dyn Write,
) -> Result<i32, String> {
    let list: Vec<String> = match (text, queries) {
        (Some(t), None) => vec![t.to_string()],
        (None, Some(f)) => {
            let d = import::import_file(f, EncodingChoice::Auto).map_err(|e| e.to_string())?;
            d.text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        }
        _ => return Err("give one quotation or --queries FILE (one quotation a line)".into()),
    };
    let lib = open_library(dirs, errw)?;
    let results: Vec<(String, Vec<FoundMatch>)> = list
        .into_iter()
        .map(|q| {
            let m = lib.find(&q, FIND_LIMIT);
            (q, m)
        })
        .collect();
    let code = problems_code(&lib, errw)?;
    if json {
        #[derive(Serialize)]
        struct Result<'a> {
            query: &'a str,
            matches: Vec<MatchJson<'a>>,
        }
        #[derive(Serialize)]
        struct FindJson<'a> {
            results: Vec<Result<'a>>,
        }
        let j = FindJson {
            results: results
                .iter()
                .map(|(q, ms)| Result {
                    query: q,
                    matches: ms.iter().map(match_json).collect(),
                })
                .collect(),
        };
        let s = serde_json::to_string(&j).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(code);
    }
    for (q, ms) in &results {
        let _ = writeln!(out, "“{}”", one_line(q, 60));
        if ms.is_empty() {
            let _ = writeln!(out, "  not_found");
        }
        for m in ms {
            let _ = writeln!(
                out,
                "  {:<9} {:.2}  {}  {}  {}–{}{}",
                status_word(m),
                m.similarity,
                printable(library::names::display(&m.file)),
                printable(m.header.title.as_deref().unwrap_or("")),
                m.start,
                m.end,
                m.quoted_from
                    .as_ref()
                    .and_then(|q| q.speaker.as_deref().or(q.source_title.as_deref()))
                    .map(|w| format!("  (quoting {})", printable(w)))
                    .unwrap_or_default()
            );
        }
    }
    Ok(code)
}

/// After a library was searched: each folder that could not be read, or failed while being
/// read, named on stderr with the command that repairs it. Exit 0 when there is none, 1 when
/// the answers came from the healthy folders; an error (exit 2) when no folder could answer.
fn problems_code(lib: &Library, errw: &mut dyn Write) -> Result<i32, String> {
    if lib.nothing_usable() {
        return Err(lib.problems().join("\n"));
    }
    // Unusable folders were named when the library was opened.
    for p in lib.folder_problems() {
        let _ = writeln!(errw, "yinwen: {}", printable(&p));
    }
    Ok(if lib.problems().is_empty() {
        EXIT_OK
    } else {
        EXIT_SKIPPED
    })
}

fn status_word(m: &FoundMatch) -> String {
    let w = crate::model::VerifyStatus::from(m.status).word();
    if m.script_differs {
        format!("{w} (different script)")
    } else {
        w.to_string()
    }
}

/// A `verify` directive with what the library adds.
#[derive(Serialize)]
struct LibraryVerifyItem<'a> {
    #[serde(flatten)]
    base: VerifyItem,
    script_differs: bool,
    /// The exact bytes of `source_file`'s name, as hex, when it is not the exact name.
    #[serde(skip_serializing_if = "Option::is_none")]
    source_file_bytes: Option<&'a str>,
    source_title: Option<&'a str>,
    source_doc_number: Option<&'a str>,
    source_date: Option<&'a str>,
    source_speaker: Option<&'a str>,
    quoted_from: Option<&'a QuotedFrom>,
}

/// `yinwen verify FILE --library DIR [--json]`: each directive checked against the whole
/// library; `source_file` is the found document's path (relative to its folder).
pub fn verify_library_command(
    file: &Path,
    dirs: &[PathBuf],
    json: bool,
    out: &mut dyn Write,
    errw: &mut dyn Write,
) -> Result<i32, String> {
    let decoded = import::import_file(file, EncodingChoice::Auto).map_err(|e| e.to_string())?;
    let lib = open_library(dirs, errw)?;
    let det = crate::analysis::detect(&decoded.text);
    let me = library::SpeechId::of(&decoded.sha256, &decoded.text);
    let found: Vec<(usize, Vec<FoundMatch>, claims::Claim)> = det
        .directives
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let ms = lib.find_except(&d.quote, FIND_LIMIT, Some(&me));
            (i, ms, claims::claim_of(d, &det, &decoded.text))
        })
        .collect();
    let code = problems_code(&lib, errw)?;
    let items: Vec<LibraryVerifyItem> = found
        .iter()
        .map(|(i, ms, claim)| {
            let d = &det.directives[*i];
            let best = ms.get(claims::agreeing(claim, ms));
            LibraryVerifyItem {
                base: VerifyItem {
                    quote: d.quote.clone(),
                    start: d.start,
                    end: d.end,
                    status: best.map(|m| m.status).unwrap_or(Status::NotFound),
                    source_file: best.map(|m| library::names::display(&m.file).to_string()),
                    source_start: best.map(|m| m.start),
                    source_end: best.map(|m| m.end),
                    similarity: best.map(|m| m.similarity).unwrap_or(0.0),
                    claimed_source: d.source_title.clone().or_else(|| d.speaker.clone()),
                    misattributed: claims::misattributed(claim, ms),
                },
                script_differs: best.is_some_and(|m| m.script_differs),
                source_file_bytes: best.and_then(|m| library::names::exact_hex(&m.file)),
                source_title: best.and_then(|m| m.header.title.as_deref()),
                source_doc_number: best.and_then(|m| m.header.doc_number.as_deref()),
                source_date: best.and_then(|m| m.header.date.as_deref()),
                source_speaker: best.and_then(|m| m.header.speaker.as_deref()),
                quoted_from: best.and_then(|m| m.quoted_from.as_ref()),
            }
        })
        .collect();
    if json {
        #[derive(Serialize)]
        struct VerifyJson<'a> {
            file: String,
            directives: &'a [LibraryVerifyItem<'a>],
        }
        let j = VerifyJson {
            file: file.display().to_string(),
            directives: &items,
        };
        let s = serde_json::to_string(&j).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(code);
    }
    let _ = writeln!(
        out,
        "{}: {} directives checked against a library of {} documents",
        printable(&file.display().to_string()),
        items.len(),
        lib.document_count()
    );
    for it in &items {
        let status = crate::model::VerifyStatus::from(it.base.status).word();
        let _ = writeln!(
            out,
            "{:>6}  {:<10} {:>4.2}  {}{}  “{}”",
            it.base.start,
            status,
            it.base.similarity,
            printable(
                it.source_title
                    .or(it.base.source_file.as_deref())
                    .unwrap_or("")
            ),
            if it.base.misattributed {
                " (MISATTRIBUTED)"
            } else {
                ""
            },
            one_line(&it.base.quote, 40)
        );
    }
    Ok(code)
}
