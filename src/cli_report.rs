//! `yinwen report`: the cross-document analyses of [`crate::report`] written as JSON, CSV or
//! XLSX. The register's JSON is a contract (DESIGN.md): fields may be added, never renamed
//! or removed.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::export::printable;
use crate::model::{BUILTIN_ATTRIBUTES, DocFilter, Workspace, normalize_group};
use crate::report::output::{self, CellValue, Format};
use crate::report::{ColumnsBy, CooccurrenceMode, RegisterOptions};
use crate::store;

use super::cli::EXIT_OK;

/// Which analysis `yinwen report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The directive register.
    Register,
    /// Tags × documents, groups or attribute values.
    Matrix,
    /// Tags × tags.
    Cooccurrence,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    match s {
        "register" => Ok(Kind::Register),
        "matrix" => Ok(Kind::Matrix),
        "cooccurrence" | "co-occurrence" => Ok(Kind::Cooccurrence),
        _ => Err(format!(
            "unknown kind '{s}' (use register, matrix or cooccurrence)"
        )),
    }
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_mode(s: &str) -> Result<CooccurrenceMode, String> {
    match s {
        "overlap" => Ok(CooccurrenceMode::Overlap),
        "paragraph" => Ok(CooccurrenceMode::Paragraph),
        _ => Err(format!("unknown mode '{s}' (use overlap or paragraph)")),
    }
}

fn parse_value(s: &str) -> Result<CellValue, String> {
    s.parse()
}

pub(crate) fn parse_where(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!("'{s}' is not NAME=VALUE")),
    }
}

/// The arguments of `yinwen report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The workspace file.
    pub workspace: PathBuf,
    /// register (every distinct quotation, who quotes it and how), matrix (tags ×
    /// documents, groups or attribute values) or cooccurrence (tags × tags).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Kind,
    /// json, csv or xlsx.
    #[arg(long, value_parser = parse_format)]
    pub format: Format,
    /// The file to write (replaced atomically); - for standard output (json and csv).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Matrix columns: document, group, or the name of a document attribute (level,
    /// region, kind, speaker, … or one of the workspace's own). Default: document.
    #[arg(long, value_name = "document|group|ATTRIBUTE")]
    pub by: Option<String>,
    /// Co-occurrence: overlap (overlapping passages) or paragraph (the same paragraph).
    /// Default: overlap.
    #[arg(long, value_parser = parse_mode)]
    pub mode: Option<CooccurrenceMode>,
    /// Matrix as CSV: what each cell holds — count (passages), chars (chars coded) or
    /// coverage (chars coded / chars of the column's documents). Default: count.
    #[arg(long, value_parser = parse_value)]
    pub value: Option<CellValue>,
    /// Only documents of this group and its subgroups.
    #[arg(long, value_name = "G")]
    pub group: Option<String>,
    /// Only documents whose attribute NAME has exactly VALUE; repeat for several (all must
    /// hold).
    #[arg(long = "where", value_name = "NAME=VALUE", value_parser = parse_where)]
    pub where_: Vec<(String, String)>,
    /// Register: also the quoted directives the detector finds that have not been accepted
    /// (useful for a freshly imported folder).
    #[arg(long)]
    pub candidates: bool,
}

/// Whether `name` is an attribute documents can have in `ws`.
fn known_attribute(ws: &Workspace, name: &str) -> bool {
    name == "title"
        || name == "group"
        || BUILTIN_ATTRIBUTES.contains(&name)
        || ws.attributes.iter().any(|a| a == name)
}

fn unknown_attribute(ws: &Workspace, name: &str) -> String {
    let mut names: Vec<&str> = vec!["title", "group"];
    names.extend(BUILTIN_ATTRIBUTES);
    names.extend(ws.attributes.iter().map(String::as_str));
    format!(
        "unknown attribute \"{}\" (known: {})",
        printable(name),
        names.join(", ")
    )
}

/// The document filter of the arguments, checked against the workspace.
fn filter_of(args: &ReportArgs, ws: &Workspace) -> Result<DocFilter, String> {
    doc_filter(args.group.as_deref(), &args.where_, ws)
}

/// The document filter of `--group G` and `--where NAME=VALUE` options (report, export),
/// checked against the workspace: an unknown attribute or group is an error naming it.
pub(crate) fn doc_filter(
    group: Option<&str>,
    where_: &[(String, String)],
    ws: &Workspace,
) -> Result<DocFilter, String> {
    for (name, _) in where_ {
        if !known_attribute(ws, name) {
            return Err(unknown_attribute(ws, name));
        }
    }
    let group = group.map(normalize_group);
    if let Some(g) = group.as_deref().filter(|g| !g.is_empty()) {
        let exists = ws.documents.iter().any(|d| {
            d.meta.group == g
                || (d.meta.group.starts_with(g) && d.meta.group[g.len()..].starts_with('/'))
        });
        if !exists {
            return Err(format!("no group \"{}\" in the workspace", printable(g)));
        }
    }
    Ok(DocFilter {
        group,
        attributes: where_.to_vec(),
        text: String::new(),
    })
}

/// `yinwen report WS.ron --kind … --format … -o OUT`.
pub fn report_command(
    args: &ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, String> {
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout && args.format == Format::Xlsx {
        return Err("xlsx cannot be written to standard output; give a file with -o".into());
    }
    let misplaced = [
        ("--by", args.by.is_some(), Kind::Matrix),
        ("--value", args.value.is_some(), Kind::Matrix),
        ("--mode", args.mode.is_some(), Kind::Cooccurrence),
        ("--candidates", args.candidates, Kind::Register),
    ];
    if let Some((opt, _, kind)) = misplaced
        .iter()
        .find(|(_, given, kind)| *given && *kind != args.kind)
    {
        let kind = match kind {
            Kind::Register => "register",
            Kind::Matrix => "matrix",
            Kind::Cooccurrence => "cooccurrence",
        };
        return Err(format!("{opt} applies to --kind {kind} only"));
    }
    let target = if to_stdout {
        None
    } else {
        Some(store::check_output(
            &args.output,
            &[(&args.workspace, store::OutputRole::Workspace)],
        )?)
    };
    let loaded = store::load_checked(&args.workspace).map_err(|e| e.to_string())?;
    let ws = loaded.workspace;
    for n in &loaded.notices {
        let _ = writeln!(err, "yinwen: warning: {}", printable(&n.message));
    }
    let filter = filter_of(args, &ws)?;

    let (bytes, summary) = match args.kind {
        Kind::Register => {
            let opts = RegisterOptions {
                candidates: args.candidates,
            };
            let reg = crate::report::register(&ws, &filter, &opts);
            let summary = format!(
                "{} entries, {} quotations in {} documents",
                reg.entries.len(),
                reg.occurrence_count(),
                reg.documents
            );
            let bytes = match args.format {
                Format::Json => output::register_json(&ws, &reg).into_bytes(),
                Format::Csv => output::register_csv(&reg).into_bytes(),
                Format::Xlsx => output::register_xlsx(&reg)?,
            };
            (bytes, summary)
        }
        Kind::Matrix => {
            let by_word = args.by.as_deref().unwrap_or("document");
            let by = ColumnsBy::parse(by_word);
            if let ColumnsBy::Attribute(name) = &by
                && !known_attribute(&ws, name)
            {
                return Err(unknown_attribute(&ws, name));
            }
            let m = crate::report::code_matrix(&ws, &filter, &by);
            let summary = format!("{} tags × {} columns", m.rows.len(), m.columns.len());
            let bytes = match args.format {
                Format::Json => output::matrix_json(&m, by_word).into_bytes(),
                Format::Csv => output::matrix_csv(&m, args.value.unwrap_or_default()).into_bytes(),
                Format::Xlsx => output::matrix_xlsx(&m)?,
            };
            (bytes, summary)
        }
        Kind::Cooccurrence => {
            let mode = args.mode.unwrap_or(CooccurrenceMode::Overlap);
            let c = crate::report::cooccurrence(&ws, &filter, mode);
            let summary = format!(
                "{} tags, {} co-occurring pairs",
                c.tags.len(),
                c.pairs().len()
            );
            let bytes = match args.format {
                Format::Json => output::cooccurrence_json(&c).into_bytes(),
                Format::Csv => output::cooccurrence_csv(&c).into_bytes(),
                Format::Xlsx => output::cooccurrence_xlsx(&c)?,
            };
            (bytes, summary)
        }
    };

    match target {
        None => {
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write to standard output: {e}"))?;
        }
        Some(target) => {
            if let Some(note) = crate::cli::stale_temp_note(&target) {
                let _ = writeln!(err, "yinwen: {note}");
            }
            store::write_atomic(&target, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
            let _ = writeln!(
                out,
                "wrote {} ({summary}; {} bytes)",
                args.output.display(),
                bytes.len()
            );
        }
    }
    Ok(EXIT_OK)
}
