//! `yinwen detect` and `yinwen verify`: the analysis commands of the command-line contract
//! (DESIGN.md). Their JSON is consumed by other tools: field names and shapes are fixed.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::verify::{SourceIndex, Status};
use crate::analysis::{self, Detection};
use crate::import::{self, EncodingChoice};

use super::cli::EXIT_OK;

#[derive(Serialize)]
struct DetectJson<'a> {
    file: String,
    encoding: &'a str,
    chars: usize,
    directives: &'a [analysis::Directive],
    terms: &'a [analysis::Term],
    references: Vec<analysis::Reference>,
    warnings: &'a [analysis::Warning],
}

/// References of the contract: cited documents, and speech or document titles set in “”.
fn references(det: &Detection) -> Vec<analysis::Reference> {
    let mut refs = det.references.clone();
    refs.extend(det.titles.iter().map(|t| analysis::Reference {
        title: Some(t.text.clone()),
        doc_number: None,
        start: t.start,
        end: t.end,
    }));
    refs.sort_by_key(|r| (r.start, r.end));
    refs
}

/// At most `n` chars of `s` on one line, control characters shown as U+FFFD (never sent to
/// the terminal raw).
pub(crate) fn one_line(s: &str, n: usize) -> String {
    crate::model::preview(&crate::export::printable(s), n)
}

/// `yinwen detect FILE [--json]`.
pub fn detect_command(
    file: &Path,
    encoding: EncodingChoice,
    json: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let decoded = import::import_file(file, encoding).map_err(|e| e.to_string())?;
    let det = analysis::detect(&decoded.text);
    let chars = decoded.text.chars().count();
    if json {
        let j = DetectJson {
            file: file.display().to_string(),
            encoding: &decoded.encoding,
            chars,
            directives: &det.directives,
            terms: &det.terms,
            references: references(&det),
            warnings: &det.warnings,
        };
        let s = serde_json::to_string(&j).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(EXIT_OK);
    }
    let _ = writeln!(
        out,
        "{}: {}, {} chars — {} directives, {} terms, {} references, {} warnings",
        file.display(),
        decoded.encoding,
        chars,
        det.directives.len(),
        det.terms.len(),
        det.references.len() + det.titles.len(),
        det.warnings.len()
    );
    if !det.directives.is_empty() {
        let _ = writeln!(out, "\nDIRECTIVES");
        let _ = writeln!(
            out,
            "{:>6}  {:<12} {:<6} {:<10} {:>4}  quote",
            "start", "speaker/source", "verb", "date", "conf"
        );
        for d in &det.directives {
            let who = d
                .speaker
                .clone()
                .or_else(|| d.source_title.as_ref().map(|t| format!("《{t}》")))
                .unwrap_or_else(|| "?".into());
            let _ = writeln!(
                out,
                "{:>6}  {:<12} {:<6} {:<10} {:>4.2}  “{}”{}",
                d.start,
                one_line(&who, 12),
                d.verb.as_deref().unwrap_or("-"),
                d.date.as_deref().unwrap_or("-"),
                d.confidence,
                one_line(&d.quote, 40),
                if d.abridged { " (abridged)" } else { "" }
            );
        }
    }
    if !det.terms.is_empty() {
        let list: Vec<String> = det
            .terms
            .iter()
            .map(|t| format!("“{}”", one_line(&t.text, 40)))
            .collect();
        let _ = writeln!(out, "\nTERMS\n{}", list.join(" "));
    }
    let refs = references(&det);
    if !refs.is_empty() {
        let _ = writeln!(out, "\nREFERENCES");
        for r in refs {
            let _ = writeln!(
                out,
                "{:>6}  {}{}",
                r.start,
                r.title
                    .map(|t| format!("《{}》", one_line(&t, 60)))
                    .unwrap_or_default(),
                r.doc_number
                    .map(|n| format!(" {}", one_line(&n, 30)))
                    .unwrap_or_default()
            );
        }
    }
    if !det.warnings.is_empty() {
        let _ = writeln!(out, "\nWARNINGS");
        for w in &det.warnings {
            let _ = writeln!(
                out,
                "{:>6}  {:<24} {}{}",
                w.start,
                w.kind,
                one_line(&w.text, 30),
                w.suggestion
                    .as_ref()
                    .map(|s| format!(" → {}", one_line(s, 30)))
                    .unwrap_or_default()
            );
        }
    }
    Ok(EXIT_OK)
}

/// One directive of `verify --json` (DESIGN.md); `verify --library` adds fields to it.
#[derive(Serialize)]
pub(crate) struct VerifyItem {
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub status: Status,
    pub source_file: Option<String>,
    pub source_start: Option<usize>,
    pub source_end: Option<usize>,
    pub similarity: f32,
    pub claimed_source: Option<String>,
    pub misattributed: bool,
}

#[derive(Serialize)]
struct VerifyJson {
    file: String,
    directives: Vec<VerifyItem>,
}

/// Text files of a folder (sorted by name), decoded like imports. Files that cannot be
/// decoded are reported on stderr-like `skipped` and left out.
/// Decoded source texts with their paths, and messages for files left out.
type LoadedSources = (Vec<(PathBuf, String)>, Vec<String>);

fn load_sources(dir: &Path) -> Result<LoadedSources, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "txt" | "text" | "docx" | "md"
                )
            })
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        match import::import_file(&p, EncodingChoice::Auto) {
            Ok(d) => out.push((p, d.text)),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    Ok((out, skipped))
}

/// Length of the longest common run of chars.
fn common_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// Whether a claimed source (a title or a speaker) agrees with a source file, judged by its
/// file name and its opening text: a shared run of 4 chars (or the whole claim when shorter).
fn claim_matches(claim: &str, path: &Path, text: &str) -> bool {
    let clean = |s: &str| -> Vec<char> {
        s.replace("同志", "")
            .replace("党的", "")
            .chars()
            .filter(|c| !matches!(c, '《' | '》' | '“' | '”' | ' ' | '　' | '\n'))
            .collect()
    };
    let claim = clean(claim);
    if claim.is_empty() {
        return true;
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let head: String = text.chars().take(300).collect();
    let hay = clean(&format!("{name}\n{head}"));
    common_run(&claim, &hay) >= claim.len().min(4)
}

/// A directive is misattributed when it was found in a source and neither its claimed title
/// nor its speaker agrees with that source.
fn misattributed(d: &analysis::Directive, path: &Path, text: &str) -> bool {
    let claims: Vec<&String> = [d.source_title.as_ref(), d.speaker.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    !claims.is_empty() && !claims.iter().any(|c| claim_matches(c, path, text))
}

/// `yinwen verify FILE --sources DIR [--json]`.
pub fn verify_command(
    file: &Path,
    dir: &Path,
    json: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let decoded = import::import_file(file, EncodingChoice::Auto).map_err(|e| e.to_string())?;
    if !dir.is_dir() {
        return Err(format!("{}: not a folder of source texts", dir.display()));
    }
    let (sources, skipped) = load_sources(dir)?;
    let det = analysis::detect(&decoded.text);
    let texts: Vec<&str> = sources.iter().map(|(_, t)| t.as_str()).collect();
    let index = SourceIndex::new(&texts);
    let mut items = Vec::new();
    for d in &det.directives {
        let m = index.find(&d.quote);
        let claimed = d.source_title.clone().or_else(|| d.speaker.clone());
        let source = m.source.map(|i| &sources[i]);
        let misattributed = match source {
            Some((p, t)) if m.status != Status::NotFound => misattributed(d, p, t),
            _ => false,
        };
        items.push(VerifyItem {
            quote: d.quote.clone(),
            start: d.start,
            end: d.end,
            status: m.status,
            source_file: source.map(|(p, _)| p.display().to_string()),
            source_start: m.source_start,
            source_end: m.source_end,
            similarity: m.similarity,
            claimed_source: claimed,
            misattributed,
        });
    }
    if json {
        let j = VerifyJson {
            file: file.display().to_string(),
            directives: items,
        };
        let s = serde_json::to_string(&j).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(EXIT_OK);
    }
    let _ = writeln!(
        out,
        "{}: {} directives checked against {} source texts in {}",
        file.display(),
        items.len(),
        sources.len(),
        dir.display()
    );
    for s in &skipped {
        let _ = writeln!(out, "  skipped: {}", one_line(s, 300));
    }
    for it in &items {
        let status = crate::model::VerifyStatus::from(it.status).word();
        let src = it
            .source_file
            .as_deref()
            .and_then(|p| Path::new(p).file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>6}  {:<10} {:>4.2}  {}{}  “{}”",
            it.start,
            status,
            it.similarity,
            src,
            if it.misattributed {
                " (MISATTRIBUTED)"
            } else {
                ""
            },
            one_line(&it.quote, 40)
        );
    }
    Ok(EXIT_OK)
}

/// `yinwen eval DIR [--json] [--mistakes]`.
pub fn eval_command(
    dir: &Path,
    json: bool,
    mistakes: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let mut report = analysis::eval::evaluate_dir(dir).map_err(|e| e.to_string())?;
    if !mistakes {
        for f in &mut report.files {
            f.mistakes.clear();
        }
    }
    if json {
        let s = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{s}");
        return Ok(EXIT_OK);
    }
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let _ = writeln!(
        out,
        "{:<58} {:>5} {:>5} {:>5} {:>4} {:>7} {:>7} {:>7}",
        "file", "truth", "det", "found", "fp", "recall", "prec", "attrib"
    );
    let row = |name: &str, s: &analysis::eval::Score| {
        format!(
            "{:<58} {:>5} {:>5} {:>5} {:>4} {:>7} {:>7} {:>7}",
            one_line(name, 58),
            s.truth_directives,
            s.detected,
            s.found,
            s.false_positives,
            pct(s.recall()),
            pct(s.precision()),
            pct(s.attribution())
        )
    };
    let share = |a: usize, b: usize| pct(crate::analysis::eval::ratio(a, b));
    let attribution = |t: &analysis::eval::Score| {
        format!(
            "attribution on {} found: speaker or source {}, date {}, both {}, verb {}",
            t.found,
            share(t.speaker_or_source_right, t.found),
            share(t.date_right, t.found),
            share(t.attribution_right, t.found),
            share(t.verb_right, t.found)
        )
    };
    if report.parts.is_empty() {
        for f in &report.files {
            let _ = writeln!(out, "{}", row(&f.file, &f.score));
        }
    }
    for part in &report.parts {
        let what = match part.name.as_str() {
            "locked" => "no rule is written against these",
            _ => "rules may be written against these",
        };
        let _ = writeln!(out, "\n== {} ({what})", part.name.to_uppercase());
        for f in report
            .files
            .iter()
            .filter(|f| f.part.as_deref() == Some(&part.name))
        {
            let _ = writeln!(out, "{}", row(&f.file, &f.score));
        }
        let _ = writeln!(out, "{}", row(&format!("{} TOTAL", part.name), &part.total));
        let _ = writeln!(out, "{}", attribution(&part.total));
        let _ = writeln!(
            out,
            "{:<58} {:>5} {:>5} {:>7} {:>7} {:>7} {:>7}",
            "  by kind (texts)", "truth", "found", "recall", "prec", "spk/src", "date"
        );
        for k in &part.kinds {
            let _ = writeln!(
                out,
                "{:<58} {:>5} {:>5} {:>7} {:>7} {:>7} {:>7}",
                format!("  {} ({})", k.kind, k.files),
                k.score.truth_directives,
                k.score.found,
                pct(k.score.recall()),
                pct(k.score.precision()),
                pct(k.score.speaker_or_source()),
                pct(k.score.date())
            );
        }
    }
    let t = &report.total;
    if !report.parts.is_empty() {
        let _ = writeln!(out, "\n== ALL");
    }
    let _ = writeln!(out, "{}", row("TOTAL", t));
    let _ = writeln!(out, "\n{}", attribution(t));
    let _ = writeln!(
        out,
        "references with 文号: {} of {}; warnings: {} of {}",
        t.references_found, t.truth_references, t.warnings_found, t.truth_warnings
    );
    let _ = writeln!(out, "\nconfidence   detected   true");
    for b in &report.calibration {
        let _ = writeln!(
            out,
            "{:.1}–{:.1}   {:>8}   {:>6}",
            b.min,
            b.max,
            b.detected,
            share(b.correct, b.detected)
        );
    }
    if mistakes {
        for f in &report.files {
            for m in &f.mistakes {
                let _ = writeln!(
                    out,
                    "{} {:<14} {:>6} …{}【{}】\n    truth: {}\n    found: {}",
                    one_line(&f.file, 30),
                    m.kind,
                    m.start,
                    one_line(&m.before, 30),
                    one_line(&m.quote, 30),
                    m.truth,
                    m.detected
                );
            }
        }
    }
    Ok(EXIT_OK)
}
