//! Headless commands (`yinwen import …`), built on the same library functions as the window.
//!
//! Exit codes follow the contract in DESIGN.md: 0 success, 1 problems found, 2 bad input with
//! one line on stderr (and then no output file).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::export::printable;
use crate::import::{self, EncodingChoice};
use crate::model::{Command, DocMeta, Document, Workspace, segment_paragraphs};
use crate::store;

/// `yinwen --version`: the version and the commit the binary was built from.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("YINWEN_COMMIT"),
    ")"
);

/// Exit code: the command ran and everything is fine.
pub const EXIT_OK: i32 = 0;
/// Exit code: bad input; nothing was written.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "yinwen",
    version = VERSION,
    about = "Yinwen (引文): annotate Chinese speeches and check their quotations",
    long_about = "Yinwen (引文): annotate Chinese speeches and check their quotations.\n\n\
                  Without a command, opens the window, loading the given speeches \
                  (.txt in any common Chinese encoding, .docx) or a workspace (.ron).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A headless command; without one the window opens.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// Speeches or a workspace to open in the window.
    pub files: Vec<PathBuf>,
    /// Add Yinwen to the desktop's application menu and make double-clicking a workspace
    /// (.ron) open it: desktop entry, icon and MIME type under ~/.local/share (Linux and
    /// other freedesktop.org desktops).
    #[arg(long, conflicts_with_all = ["uninstall_desktop", "files"])]
    pub install_desktop: bool,
    /// Remove what --install-desktop wrote.
    #[arg(long, conflicts_with = "files")]
    pub uninstall_desktop: bool,
}

/// The message for a first argument that is neither a command nor an existing file
/// (`yinwen libary …`, a mistyped path): the window is not opened for it.
pub fn unknown_first_argument(files: &[PathBuf]) -> Option<String> {
    let first = files.first()?;
    if std::fs::symlink_metadata(first).is_ok() {
        return None;
    }
    Some(format!(
        "no such file or command: \"{}\" (commands: import, detect, verify, library, export, report, check, merge, eval; see yinwen --help)",
        printable(&first.display().to_string())
    ))
}

/// `yinwen --install-desktop` / `--uninstall-desktop`; returns the exit code.
pub fn desktop_command(install: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let result = (|| -> Result<(), String> {
        if cfg!(windows) || cfg!(target_os = "macos") {
            return Err(
                "--install-desktop is for Linux desktops; on Windows and macOS use \"Open with\" \
                 on a .ron file and choose Yinwen"
                    .into(),
            );
        }
        let dirs = crate::desktop::DesktopDirs::from_env()?;
        if install {
            let exe = std::env::current_exe()
                .and_then(|p| p.canonicalize())
                .map_err(|e| format!("cannot tell where this program is: {e}"))?;
            let report = crate::desktop::install(&dirs, &exe)?;
            for p in &report.written {
                let _ = writeln!(out, "wrote {}", p.display());
            }
            if report.refreshed.is_empty() {
                let _ = writeln!(
                    out,
                    "the desktop picks the changes up at the next login (no cache tools found)"
                );
            } else {
                let _ = writeln!(out, "refreshed with {}", report.refreshed.join(", "));
            }
            let _ = writeln!(
                out,
                "Yinwen is in the application menu; double-clicking a workspace (.ron) opens it \
                 with {}",
                exe.display()
            );
        } else {
            for p in crate::desktop::uninstall(&dirs)? {
                let _ = writeln!(out, "removed {}", p.display());
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => EXIT_OK,
        Err(message) => {
            let _ = writeln!(err, "yinwen: {message}");
            EXIT_BAD_INPUT
        }
    }
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Import speeches (files, or folders searched recursively) into a new workspace file.
    Import {
        /// Speech files: .txt (any Chinese or Unicode encoding), .docx, .doc, .wps, .rtf,
        /// .pdf (with a text layer), .ofd, .html, .htm, .mhtml; REFI-QDA projects (.qdpx),
        /// whose documents, codes, annotations, memos and variables are added with fresh IDs;
        /// or folders: every readable file under them, filed in groups named after their
        /// folders.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The workspace file to write.
        #[arg(short = 'o', long = "output", value_name = "WS.ron")]
        output: PathBuf,
        /// Text encoding: auto, utf-8, gb18030, big5, utf-16le or utf-16be.
        #[arg(long, default_value = "auto", value_parser = parse_encoding)]
        encoding: EncodingChoice,
        /// Rejoin hard-wrapped lines into paragraphs: auto (when the text looks wrapped), on,
        /// or off (keep every line; for PDF and OFD, the lines of the page).
        #[arg(long, default_value = "auto", value_parser = parse_reflow)]
        reflow: import::Reflow,
    },
    /// List quoted directives, terms, cited documents and text warnings of a speech.
    Detect {
        /// A speech (.txt in any supported encoding, .docx).
        file: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Text encoding: auto, utf-8, gb18030, big5, utf-16le or utf-16be.
        #[arg(long, default_value = "auto", value_parser = parse_encoding)]
        encoding: EncodingChoice,
    },
    /// Export a workspace as an annotated copy or a table.
    Export {
        /// The workspace file.
        workspace: PathBuf,
        /// html, docx, md, csv, xlsx or qdpx (a REFI-QDA project for ATLAS.ti, MAXQDA,
        /// NVivo and QualCoder).
        #[arg(long, value_parser = parse_format)]
        format: crate::export::Format,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Only this document (its ID, as in the workspace file, or its title or file name).
        #[arg(long = "doc", value_name = "ID")]
        doc: Option<String>,
        /// Only annotations with these tags (names or paths, comma-separated; a tag includes
        /// its children).
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Leave notes out.
        #[arg(long)]
        no_notes: bool,
        /// Language of the labels the export writes (Word comments, headings, verification
        /// words, table headers): zh or en. Default: the locale's (LANGUAGE, LC_ALL,
        /// LC_MESSAGES, LANG), as the window chooses its language.
        #[arg(long, value_name = "zh|en", value_parser = parse_lang)]
        lang: Option<crate::export::Lang>,
        /// Only documents of this group and its subgroups.
        #[arg(long, value_name = "G")]
        group: Option<String>,
        /// Only documents whose attribute NAME has exactly VALUE; repeat for several.
        #[arg(long = "where", value_name = "NAME=VALUE", value_parser = crate::cli_report::parse_where)]
        where_: Vec<(String, String)>,
        /// The author of the Word comments (default: Yinwen).
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
    },
    /// Validate a workspace: parse, migrate, re-anchor; report orphans, dangling links and
    /// duplicate IDs. Exit 0 clean, 1 problems found, 2 unreadable.
    Check {
        /// The workspace file.
        workspace: PathBuf,
    },
    /// Merge a colleague's workspace into yours: documents matched by their text, tags by
    /// path, sources by 文号 or title, annotations by ID and anchor. Conflicting edits are
    /// listed (exit 1); nothing from either side is dropped unless --prefer says so.
    Merge {
        /// Your workspace (its items keep their IDs).
        ours: PathBuf,
        /// Their workspace.
        theirs: PathBuf,
        /// The merged workspace to write (may be one of the inputs; the old file is kept as
        /// .bak).
        #[arg(short = 'o', long = "output", value_name = "C.ron")]
        output: PathBuf,
        /// How to settle conflicting edits: both (keep their annotation or source as a second
        /// item; for tags and document details keep ours), ours, or theirs.
        #[arg(long, default_value = "both", value_parser = parse_resolution)]
        prefer: crate::model::merge::Resolution,
        /// The workspace both started from (e.g. the shared file before each took a copy):
        /// then a field only one side changed is taken without a conflict.
        #[arg(long, value_name = "BASE.ron")]
        base: Option<PathBuf>,
    },
    /// Score the quotation finder against hand-made truth files (every NAME.truth.json in DIR
    /// beside its NAME.txt): recall, precision, attribution per field, references, warnings,
    /// and how far its confidence can be trusted.
    Eval {
        /// The folder of texts and truth files (e.g. tests/gold).
        dir: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Also list every missed quotation, false positive and wrong attribution.
        #[arg(long)]
        mistakes: bool,
    },
    /// Check each quoted directive of a speech against the texts in a folder (--sources,
    /// read afresh) or against an indexed source library (--library, any number of
    /// folders; indexed first when they have no index).
    Verify {
        /// A speech (.txt in any supported encoding, .docx).
        file: PathBuf,
        /// Folder of source texts: every .txt, .text, .md and .docx file directly in it (not
        /// in subfolders), plain text in any supported encoding; other files are ignored.
        #[arg(
            long,
            value_name = "DIR",
            required_unless_present = "library",
            conflicts_with = "library"
        )]
        sources: Option<PathBuf>,
        /// A library folder (see `yinwen library`); repeat for several.
        #[arg(long, value_name = "DIR")]
        library: Vec<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Cross-document reports: the directive register (every distinct quotation, which
    /// documents quote it, when and how), the code matrix (tags × documents, groups or
    /// attribute values, with counts and coverage) or tag co-occurrence, as JSON, CSV or XLSX.
    Report(crate::cli_report::ReportArgs),
    /// The source library: folders of official texts indexed once, in which each quotation
    /// finds its source.
    Library {
        /// What to do.
        #[command(subcommand)]
        command: LibraryCommand,
    },
}

/// `yinwen library …`.
#[derive(Debug, Subcommand)]
pub enum LibraryCommand {
    /// Build or update DIR's index (new, changed and removed files). The index is kept in
    /// DIR/.yinwen-library, or in the cache folder when DIR is read-only. An index that is
    /// damaged or of another version is built again. Exit 0, 1 when some files were skipped
    /// (listed with the reason), 2 when DIR is unusable.
    Index {
        /// The folder of texts (searched recursively; hidden files left out).
        dir: PathBuf,
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
        /// Build the index again from scratch, even when it looks healthy.
        #[arg(long)]
        rebuild: bool,
    },
    /// The indexed documents with their metadata (title, issuer, 文号, date, kind, speaker,
    /// occasion).
    List {
        /// The folder of texts.
        dir: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Where quotations come from: the best passages of the library, each verbatim,
    /// variant or abridged, with the document and location.
    Find {
        /// A library folder; repeat for several.
        #[arg(long, value_name = "DIR", required = true)]
        library: Vec<PathBuf>,
        /// One quotation.
        #[arg(required_unless_present = "queries", conflicts_with = "queries")]
        text: Option<String>,
        /// A file with one quotation a line.
        #[arg(long, value_name = "FILE")]
        queries: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn parse_encoding(s: &str) -> Result<EncodingChoice, String> {
    s.parse()
}

fn parse_reflow(s: &str) -> Result<import::Reflow, String> {
    s.parse()
}

fn parse_resolution(s: &str) -> Result<crate::model::merge::Resolution, String> {
    crate::model::merge::Resolution::parse(s)
        .ok_or_else(|| format!("unknown choice '{s}' (use both, ours or theirs)"))
}

fn parse_format(s: &str) -> Result<crate::export::Format, String> {
    s.parse()
}

fn parse_lang(s: &str) -> Result<crate::export::Lang, String> {
    s.parse()
}

/// Runs a headless command and returns the process exit code.
pub fn run(cmd: CliCommand) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    run_with(cmd, &mut stdout.lock(), &mut stderr.lock())
}

/// Runs a command writing to the given streams (tests pass buffers).
pub fn run_with(cmd: CliCommand, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let result = match cmd {
        CliCommand::Import {
            files,
            output,
            encoding,
            reflow,
        } => import_command(&files, &output, import::Options { encoding, reflow }, out),
        CliCommand::Detect {
            file,
            json,
            encoding,
        } => crate::cli_analysis::detect_command(&file, encoding, json, out),
        CliCommand::Export {
            workspace,
            format,
            output,
            doc,
            tags,
            no_notes,
            lang,
            author,
            group,
            where_,
        } => export_command(
            &ExportRequest {
                group: group.as_deref(),
                where_: &where_,
                ws_path: &workspace,
                format,
                output: &output,
                doc: doc.as_deref(),
                tags: &tags,
                no_notes,
                lang: lang.unwrap_or_else(crate::export::Lang::system),
                author: author.as_deref().unwrap_or_default(),
            },
            out,
            err,
        ),
        CliCommand::Check { workspace } => check_command(&workspace, out),
        CliCommand::Merge {
            ours,
            theirs,
            output,
            prefer,
            base,
        } => merge_command(&ours, &theirs, base.as_deref(), &output, prefer, out, err),
        CliCommand::Verify {
            file,
            sources: Some(sources),
            json,
            ..
        } => crate::cli_analysis::verify_command(&file, &sources, json, out),
        CliCommand::Verify {
            file,
            library,
            json,
            ..
        } => crate::cli_library::verify_library_command(&file, &library, json, out, err),
        CliCommand::Library { command } => match command {
            LibraryCommand::Index { dir, json, rebuild } => {
                crate::cli_library::index_command(&dir, json, rebuild, out, err)
            }
            LibraryCommand::List { dir, json } => {
                crate::cli_library::list_command(&dir, json, out, err)
            }
            LibraryCommand::Find {
                library,
                text,
                queries,
                json,
            } => crate::cli_library::find_command(
                &library,
                text.as_deref(),
                queries.as_deref(),
                json,
                out,
                err,
            ),
        },
        CliCommand::Eval {
            dir,
            json,
            mistakes,
        } => crate::cli_analysis::eval_command(&dir, json, mistakes, out),
        CliCommand::Report(args) => crate::cli_report::report_command(&args, out, err),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(err, "yinwen: {message}");
            EXIT_BAD_INPUT
        }
    }
}

/// Builds a document from a decoded file (see [`import::Decoded::into_document`]).
pub fn document_from_decoded(path: Option<&Path>, decoded: import::Decoded) -> Document {
    let path = path.map(|p| p.to_string_lossy().into_owned());
    decoded.into_document(path.as_deref(), DocMeta::default())
}

/// What `import` says about line breaks: the mode asked for and what was done, e.g.
/// "reflow: auto, lines of about 30 chars rejoined (412 lines into 37 paragraphs)".
fn reflow_line(
    mode: import::Reflow,
    format: import::SourceFormat,
    done: Option<import::Reflowed>,
) -> String {
    let mode = mode.label();
    match done {
        Some(r) => format!(
            "reflow: {mode}, lines of about {} chars rejoined ({} lines into {} paragraphs)",
            r.width, r.lines, r.paragraphs
        ),
        None if format.is_laid_out() && mode == "off" => {
            format!("reflow: {mode}, the page's lines kept")
        }
        None if format.is_laid_out() => {
            format!("reflow: {mode}, lines joined into paragraphs by their layout on the page")
        }
        None if mode == "off" => format!("reflow: {mode}, lines kept"),
        None => format!("reflow: {mode}, not hard-wrapped, lines kept"),
    }
}

fn import_command(
    files: &[PathBuf],
    output: &Path,
    opts: import::Options,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let inputs: Vec<(&Path, store::OutputRole)> = files
        .iter()
        .map(|f| (f.as_path(), store::OutputRole::Speech))
        .collect();
    let target = store::check_output(output, &inputs)?;
    // Decode everything first: one bad file named on the command line means no output file
    // at all; in a folder, files that cannot be read are listed and left out.
    let (folders, files): (Vec<PathBuf>, Vec<PathBuf>) =
        files.iter().cloned().partition(|p| p.is_dir());
    let mut ws = Workspace::new();
    let mut lines = Vec::new();
    for path in &files {
        if store::qdpx::is_qdpx_path(path) {
            let project = store::qdpx::read_qdpx_file(path)
                .map_err(|e| format!("{}: {e}", printable(&path.display().to_string())))?;
            let r = &project.report;
            let from = if r.origin.is_empty() {
                String::new()
            } else {
                format!(" from {}", printable(&r.origin))
            };
            lines.push(format!(
                "{}: REFI-QDA project \"{}\"{from}: {}",
                printable(&path.display().to_string()),
                printable(&r.name),
                r.summary()
            ));
            for s in &r.skipped {
                lines.push(format!("  left out: {}", printable(s)));
            }
            store::qdpx::add_project(&mut ws, project.workspace);
            continue;
        }
        let decoded = import::import_file_with(path, opts, &crate::progress::Progress::new())
            .map_err(|e| e.to_string())?;
        let notice = decoded.notice.clone();
        let reflow = reflow_line(opts.reflow, decoded.format, decoded.reflowed);
        let doc = document_from_decoded(Some(path), decoded);
        let paragraphs = segment_paragraphs(&doc.text).len();
        lines.push(format!(
            "{}: {}, {} chars, {} paragraphs",
            printable(&path.display().to_string()),
            doc.origin.encoding,
            doc.char_count(),
            paragraphs
        ));
        lines.push(format!("  {reflow}"));
        if let Some(d) = details_line(&doc.meta) {
            lines.push(format!("  {d}"));
        }
        if let Some(n) = notice {
            lines.push(format!("  note: {n}"));
        }
        ws.apply(Command::AddDocument(Box::new(doc)))
            .map_err(|e| e.to_string())?;
    }
    let mut code = EXIT_OK;
    if !folders.is_empty() {
        let known = ws
            .documents
            .iter()
            .map(|d| crate::model::merge::text_hash(&d.text))
            .collect();
        let got = import::folder::import_folders(
            &folders,
            opts,
            &known,
            &crate::progress::Progress::new(),
        )
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        let n = got.documents.len();
        if n == 0 && ws.documents.is_empty() {
            return Err(format!(
                "no speech Yinwen can read was found in {} ({} files skipped); nothing was written",
                folders
                    .iter()
                    .map(|f| printable(&f.display().to_string()).into_owned())
                    .collect::<Vec<_>>()
                    .join(", "),
                got.skipped.len()
            ));
        }
        let chars: usize = got.documents.iter().map(Document::char_count).sum();
        let failed = got.failed();
        for doc in got.documents {
            ws.apply(Command::AddDocument(Box::new(doc)))
                .map_err(|e| e.to_string())?;
        }
        lines.push(format!(
            "{}: {n} documents, {chars} chars",
            folders
                .iter()
                .map(|f| printable(&f.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for (path, note) in &got.notes {
            lines.push(format!(
                "  note: {}: {}",
                printable(&path.display().to_string()),
                printable(note)
            ));
        }
        if !got.skipped.is_empty() {
            lines.push(format!(
                "skipped {} files ({} not a format Yinwen reads, {failed} could not be used):",
                got.skipped.len(),
                got.skipped.len() - failed
            ));
            for s in &got.skipped {
                lines.push(format!(
                    "  {}: {}",
                    printable(&s.path.display().to_string()),
                    printable(&s.reason)
                ));
            }
            if failed > 0 {
                code = EXIT_PROBLEMS;
            }
        }
    }
    let _lock = store::WriterLock::acquire(&target, WRITER_WAIT)?;
    sweep_temp_files(&target, out);
    store::save(&ws, &target).map_err(|e| format!("cannot write the workspace: {e}"))?;
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(
        out,
        "wrote {} ({} documents)",
        output.display(),
        ws.documents.len()
    );
    Ok(code)
}

/// What `import` read from a document's header: `title: 《…》; speaker: …; date: …;
/// occasion: …`, the fields it found; `None` when it found none.
fn details_line(m: &crate::model::DocMeta) -> Option<String> {
    let parts: Vec<String> = [
        ("title", &m.title),
        ("speaker", &m.speaker),
        ("date", &m.date),
        ("occasion", &m.occasion),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}: {}", printable(v.trim())))
    .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The arguments of `yinwen export`.
struct ExportRequest<'a> {
    ws_path: &'a Path,
    format: crate::export::Format,
    output: &'a Path,
    doc: Option<&'a str>,
    tags: &'a [String],
    no_notes: bool,
    /// The labels' language (`--lang`, else the locale's).
    lang: crate::export::Lang,
    /// The comments' author (`--author`; empty for the default).
    author: &'a str,
    /// `--group`: only documents of this group.
    group: Option<&'a str>,
    /// `--where NAME=VALUE` conditions.
    where_: &'a [(String, String)],
}

fn export_command(
    req: &ExportRequest<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, String> {
    let ExportRequest {
        ws_path,
        format,
        output,
        doc,
        tags,
        no_notes,
        lang,
        author,
        group,
        where_,
    } = *req;
    let target = store::check_output(output, &[(ws_path, store::OutputRole::Workspace)])?;
    let loaded = store::load_checked(ws_path).map_err(|e| e.to_string())?;
    let ws = loaded.workspace;
    for n in &loaded.notices {
        let _ = writeln!(err, "yinwen: warning: {}", printable(&n.message));
    }
    let mut opts = crate::export::ExportOptions {
        notes: !no_notes,
        lang,
        author: author.to_string(),
        project_name: ws_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        project_date: std::fs::metadata(ws_path).and_then(|m| m.modified()).ok(),
        ..Default::default()
    };
    if let Some(d) = doc {
        let found = ws.documents.iter().find(|x| {
            x.id.0.to_string() == d
                || x.meta.title == d
                || x.display_name() == d
                || x.origin
                    .path
                    .as_deref()
                    .is_some_and(|p| Path::new(p).file_name().is_some_and(|n| n == d))
        });
        let found = found.ok_or_else(|| format!("no document \"{d}\" in {}", ws_path.display()))?;
        opts.docs = Some(vec![found.id]);
    }
    let filter = crate::cli_report::doc_filter(group, where_, &ws)?;
    if !filter.is_empty() {
        let kept: Vec<_> = filter.documents(&ws).map(|d| d.id).collect();
        let docs: Vec<_> = match &opts.docs {
            Some(only) => kept.into_iter().filter(|d| only.contains(d)).collect(),
            None => kept,
        };
        if docs.is_empty() {
            return Err("no document of the workspace is kept by --group/--where".into());
        }
        opts.docs = Some(docs);
    }
    if !tags.is_empty() {
        let mut ids = Vec::new();
        for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let id = ws
                .tags
                .iter()
                .find(|x| x.name == t || ws.tag_path(x.id) == t)
                .map(|x| x.id)
                .ok_or_else(|| format!("no tag \"{t}\" in {}", ws_path.display()))?;
            ids.push(id);
        }
        opts.tags = Some(ids);
    }
    let (bytes, warnings) =
        crate::export::export_with_warnings(&ws, format, &opts).map_err(|e| e.to_string())?;
    sweep_temp_files(&target, out);
    store::write_atomic(&target, &bytes)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    for w in warnings {
        let _ = writeln!(err, "yinwen: warning: {}", printable(&w));
    }
    let _ = writeln!(
        out,
        "wrote {} ({} bytes, {})",
        output.display(),
        bytes.len(),
        format
    );
    Ok(EXIT_OK)
}

/// Exit code: the command ran and found problems.
pub const EXIT_PROBLEMS: i32 = 1;

/// How long a command that writes a workspace waits for another one writing in the same
/// folder before it gives up.
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Removes temporary files that writers killed half-way left in the output's folder, and
/// says so.
fn sweep_temp_files(target: &Path, out: &mut dyn Write) {
    if let Some(note) = stale_temp_note(target) {
        let _ = writeln!(out, "{note}");
    }
}

/// Removes temporary files that writers killed half-way left in the folder of `target`;
/// what to tell the user, when there were some.
pub(crate) fn stale_temp_note(target: &Path) -> Option<String> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let n = store::remove_stale_temp_files(dir);
    (n > 0).then(|| {
        format!(
            "removed {n} temporary file(s) left in {} by an interrupted write",
            dir.display()
        )
    })
}

fn check_command(path: &Path, out: &mut dyn Write) -> Result<i32, String> {
    let loaded = store::load_checked(path).map_err(|e| e.to_string())?;
    let ws = loaded.workspace;
    // What loading repaired (a parent cycle, the ID counter) is a problem of the file.
    let mut problems = loaded.notices;
    problems.extend(store::check_workspace(&ws));
    let _ = writeln!(
        out,
        "{}: {} documents, {} tags, {} annotations, {} sources",
        path.display(),
        ws.documents.len(),
        ws.tags.len(),
        ws.annotations.len(),
        ws.sources.len()
    );
    if !ws.rejections.is_empty() {
        let lost = ws.rejections.iter().filter(|r| r.orphan).count();
        let _ = writeln!(
            out,
            "{} rejected candidates ({} no longer found in their text)",
            ws.rejections.len(),
            lost
        );
    }
    for p in &problems {
        let _ = writeln!(out, "{:<18} {}", p.kind, printable(&p.message));
    }
    if problems.is_empty() {
        let _ = writeln!(out, "no problems found");
        Ok(EXIT_OK)
    } else {
        let _ = writeln!(out, "{} problem(s) found", problems.len());
        Ok(EXIT_PROBLEMS)
    }
}

fn merge_command(
    ours_path: &Path,
    theirs_path: &Path,
    base_path: Option<&Path>,
    output: &Path,
    prefer: crate::model::merge::Resolution,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, String> {
    use crate::model::merge::plan_merge_with_base;
    let inputs: Vec<(&Path, store::OutputRole)> = base_path
        .map(|b| (b, store::OutputRole::BaseWorkspace))
        .into_iter()
        .collect();
    let target = store::check_output(output, &inputs)?;
    // Locked before anything is read: a second merge into the same file waits and then
    // reads the first one's result, so no colleague's changes are lost.
    let _lock = store::WriterLock::acquire(&target, WRITER_WAIT)?;
    let load = |p: &Path, err: &mut dyn Write| -> Result<store::Loaded, String> {
        let l = store::load_checked(p).map_err(|e| e.to_string())?;
        for n in &l.notices {
            let _ = writeln!(
                err,
                "yinwen: warning: {}: {}",
                p.display(),
                printable(&n.message)
            );
        }
        Ok(l)
    };
    let ours = load(ours_path, err)?;
    let theirs = load(theirs_path, err)?;
    let base = match base_path {
        Some(p) => Some(load(p, err)?.workspace),
        None => None,
    };
    // The output as it was when read; it must still be so just before it is replaced.
    let expected = if store::same_file(&target, ours_path) {
        Some(ours.stamp.clone())
    } else if store::same_file(&target, theirs_path) {
        Some(theirs.stamp.clone())
    } else {
        store::DiskStamp::read(&target).map_err(|e| format!("{}: {e}", output.display()))?
    };
    let theirs = theirs.workspace;
    let plan = plan_merge_with_base(&ours.workspace, &theirs, base.as_ref());
    let mut merged = ours.workspace;
    merged
        .apply(plan.command_all(prefer))
        .map_err(|e| format!("could not merge: {e}"))?;
    sweep_temp_files(&target, out);
    store::save_checked(&merged, &target, expected.as_ref()).map_err(|e| e.to_string())?;
    let count = |name: &str, c: crate::model::merge::MergeCounts| {
        format!("{name}: {} added, {} matched", c.added, c.matched)
    };
    let _ = writeln!(out, "{}", count("documents", plan.documents));
    let _ = writeln!(out, "{}", count("tags", plan.tags));
    let _ = writeln!(out, "{}", count("sources", plan.sources));
    let _ = writeln!(out, "{}", count("annotations", plan.annotations));
    if plan.rejections != Default::default() {
        let _ = writeln!(out, "{}", count("rejected candidates", plan.rejections));
    }
    if plan.auto_merged > 0 {
        let _ = writeln!(
            out,
            "{} item(s) completed from the other side (empty fields filled, tags united)",
            plan.auto_merged
        );
    }
    if plan.skipped > 0 {
        let _ = writeln!(
            out,
            "{} annotation(s) of {} left out: their document is missing from that file",
            plan.skipped,
            theirs_path.display()
        );
    }
    for c in &plan.conflicts {
        let settled = match prefer {
            crate::model::merge::Resolution::Ours => "kept ours",
            crate::model::merge::Resolution::Theirs => "took theirs",
            crate::model::merge::Resolution::Both if c.can_keep_both() => "kept both",
            crate::model::merge::Resolution::Both => "kept ours",
        };
        let _ = writeln!(
            out,
            "conflict {} {} {}: {settled}",
            c.kind.name(),
            c.id,
            printable(&c.item)
        );
        for f in &c.fields {
            let _ = writeln!(
                out,
                "  {}: ours {:?} | theirs {:?}",
                f.field,
                printable(&f.ours),
                printable(&f.theirs)
            );
        }
    }
    let _ = writeln!(out, "wrote {}", output.display());
    if plan.conflicts.is_empty() {
        Ok(EXIT_OK)
    } else {
        let _ = writeln!(
            out,
            "{} conflict(s); to choose item by item use File → Merge workspace… in the window, or --prefer ours/theirs",
            plan.conflicts.len()
        );
        Ok(EXIT_PROBLEMS)
    }
}
