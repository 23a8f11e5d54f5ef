//! Headless commands (`yinwen import …`), built on the same library functions as the window.
//!
//! Exit codes follow the contract in DESIGN.md: 0 success, 1 problems found, 2 bad input with
//! one line on stderr (and then no output file).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::import::{self, EncodingChoice};
use crate::model::{Command, DocMeta, Document, Origin, Workspace, segment_paragraphs};
use crate::store;

/// Exit code: the command ran and everything is fine.
pub const EXIT_OK: i32 = 0;
/// Exit code: bad input; nothing was written.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "yinwen",
    version,
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
    /// Import speeches into a new workspace file.
    Import {
        /// Speech files (.txt, .docx).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The workspace file to write.
        #[arg(short = 'o', long = "output", value_name = "WS.ron")]
        output: PathBuf,
        /// Text encoding: auto, utf-8, gb18030, big5, utf-16le or utf-16be.
        #[arg(long, default_value = "auto", value_parser = parse_encoding)]
        encoding: EncodingChoice,
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
        /// html, docx, md, csv or xlsx.
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
    /// Check each quoted directive of a speech against the texts in a folder.
    Verify {
        /// A speech (.txt in any supported encoding, .docx).
        file: PathBuf,
        /// Folder of source texts (every .txt/.docx in it, any supported encoding).
        #[arg(long, value_name = "DIR")]
        sources: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn parse_encoding(s: &str) -> Result<EncodingChoice, String> {
    s.parse()
}

fn parse_resolution(s: &str) -> Result<crate::model::merge::Resolution, String> {
    crate::model::merge::Resolution::parse(s)
        .ok_or_else(|| format!("unknown choice '{s}' (use both, ours or theirs)"))
}

fn parse_format(s: &str) -> Result<crate::export::Format, String> {
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
        } => import_command(&files, &output, encoding, out),
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
        } => export_command(
            &workspace,
            format,
            &output,
            doc.as_deref(),
            &tags,
            no_notes,
            out,
        ),
        CliCommand::Check { workspace } => check_command(&workspace, out),
        CliCommand::Merge {
            ours,
            theirs,
            output,
            prefer,
            base,
        } => merge_command(&ours, &theirs, base.as_deref(), &output, prefer, out),
        CliCommand::Verify {
            file,
            sources,
            json,
        } => crate::cli_analysis::verify_command(&file, &sources, json, out),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(err, "yinwen: {message}");
            EXIT_BAD_INPUT
        }
    }
}

/// Builds a document from a decoded file.
pub fn document_from_decoded(path: Option<&Path>, decoded: import::Decoded) -> Document {
    Document::new(
        decoded.text,
        Origin {
            path: path.map(|p| p.to_string_lossy().into_owned()),
            encoding: decoded.encoding,
            sha256: decoded.sha256,
            byte_len: decoded.byte_len,
        },
        DocMeta::default(),
    )
}

fn import_command(
    files: &[PathBuf],
    output: &Path,
    encoding: EncodingChoice,
    out: &mut dyn Write,
) -> Result<i32, String> {
    // Decode everything first: one bad file means no output file at all.
    let mut ws = Workspace::new();
    let mut lines = Vec::new();
    for path in files {
        let decoded = import::import_file(path, encoding).map_err(|e| e.to_string())?;
        let doc = document_from_decoded(Some(path), decoded);
        let paragraphs = segment_paragraphs(&doc.text).len();
        lines.push(format!(
            "{}: {}, {} chars, {} paragraphs",
            path.display(),
            doc.origin.encoding,
            doc.char_count(),
            paragraphs
        ));
        ws.apply(Command::AddDocument(Box::new(doc)))
            .map_err(|e| e.to_string())?;
    }
    store::save(&ws, output).map_err(|e| format!("cannot write the workspace: {e}"))?;
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(
        out,
        "wrote {} ({} documents)",
        output.display(),
        ws.documents.len()
    );
    Ok(EXIT_OK)
}

fn export_command(
    ws_path: &Path,
    format: crate::export::Format,
    output: &Path,
    doc: Option<&str>,
    tags: &[String],
    no_notes: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let ws = store::load(ws_path).map_err(|e| e.to_string())?;
    let mut opts = crate::export::ExportOptions {
        notes: !no_notes,
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
    let bytes = crate::export::export_bytes(&ws, format, &opts).map_err(|e| e.to_string())?;
    store::write_atomic(output, &bytes)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
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

fn check_command(path: &Path, out: &mut dyn Write) -> Result<i32, String> {
    let ws = store::load(path).map_err(|e| e.to_string())?;
    let problems = store::check_workspace(&ws);
    let _ = writeln!(
        out,
        "{}: {} documents, {} tags, {} annotations, {} sources",
        path.display(),
        ws.documents.len(),
        ws.tags.len(),
        ws.annotations.len(),
        ws.sources.len()
    );
    for p in &problems {
        let _ = writeln!(out, "{:<18} {}", p.kind, p.message);
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
) -> Result<i32, String> {
    use crate::model::merge::plan_merge_with_base;
    let ours = store::load(ours_path).map_err(|e| e.to_string())?;
    let theirs = store::load(theirs_path).map_err(|e| e.to_string())?;
    let base = match base_path {
        Some(p) => Some(store::load(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let plan = plan_merge_with_base(&ours, &theirs, base.as_ref());
    let mut merged = ours;
    merged
        .apply(plan.command_all(prefer))
        .map_err(|e| format!("could not merge: {e}"))?;
    store::save(&merged, output).map_err(|e| e.to_string())?;
    let count = |name: &str, c: crate::model::merge::MergeCounts| {
        format!("{name}: {} added, {} matched", c.added, c.matched)
    };
    let _ = writeln!(out, "{}", count("documents", plan.documents));
    let _ = writeln!(out, "{}", count("tags", plan.tags));
    let _ = writeln!(out, "{}", count("sources", plan.sources));
    let _ = writeln!(out, "{}", count("annotations", plan.annotations));
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
            c.item
        );
        for f in &c.fields {
            let _ = writeln!(
                out,
                "  {}: ours {:?} | theirs {:?}",
                f.field, f.ours, f.theirs
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
