//! The reports as JSON, CSV and XLSX (`yinwen report`).
//!
//! JSON field names are a contract (DESIGN.md): fields may be added, never renamed or
//! removed. CSV is RFC 4180 with CRLF line ends, UTF-8 with a byte-order mark, cells that a
//! spreadsheet would run as a formula neutralised (as the annotation table does). XLSX has a
//! bold, frozen header row and set column widths, and writes text as strings.

use rust_xlsxwriter::{Format as XFormat, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::matrix::{Cell, Cooccurrence, Matrix, TagRow};
use super::register::{Entry, Period, Reference, Register};
use crate::export::table::{BOM, fit_cell, push_record, write_header};
use crate::model::Workspace;

/// A file format of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object.
    Json,
    /// A CSV table.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(format!("unknown format '{s}' (use json, csv or xlsx)")),
        }
    }
}

/// Which number a matrix grid (CSV, and the first XLSX sheet) shows in its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellValue {
    /// Passages.
    #[default]
    Count,
    /// Chars coded.
    Chars,
    /// Chars coded / chars of the column's documents.
    Coverage,
}

impl std::str::FromStr for CellValue {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "count" => Ok(CellValue::Count),
            "chars" => Ok(CellValue::Chars),
            "coverage" => Ok(CellValue::Coverage),
            _ => Err(format!(
                "unknown cell value '{s}' (use count, chars or coverage)"
            )),
        }
    }
}

impl CellValue {
    fn of(self, c: &Cell) -> f64 {
        match self {
            CellValue::Count => c.count as f64,
            CellValue::Chars => c.chars as f64,
            CellValue::Coverage => c.coverage,
        }
    }

    fn text(self, c: &Cell) -> String {
        match self {
            CellValue::Coverage => format!("{:.4}", c.coverage),
            _ => format!("{}", self.of(c)),
        }
    }
}

fn xlsx_err(e: XlsxError) -> String {
    format!("the spreadsheet could not be written ({e})")
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Serialising plain data cannot fail.
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn row_index(i: usize) -> Result<u32, String> {
    u32::try_from(i + 1).map_err(|_| "too many rows for a spreadsheet".to_string())
}

fn col_index(i: usize) -> Result<u16, String> {
    u16::try_from(i)
        .ok()
        .filter(|&c| c < 16_384)
        .ok_or_else(|| {
            "too many columns for a spreadsheet (choose fewer with --by or --group)".into()
        })
}

fn write_text(sheet: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<(), XlsxError> {
    if !s.is_empty() {
        sheet.write_string(r, c, fit_cell(s))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Register

#[derive(Serialize)]
struct RegisterJson<'a> {
    kind: &'static str,
    documents_scanned: usize,
    occurrences: usize,
    entries: Vec<EntryJson<'a>>,
    timeline: Vec<TimelineJson>,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    quote: &'a str,
    documents: Vec<OccurrenceJson<'a>>,
    variants: usize,
    first_date: Option<&'a str>,
    last_date: Option<&'a str>,
    count: usize,
    document_count: usize,
    reference: &'static str,
    linked_source: Option<SourceJson>,
    forms: Vec<FormJson<'a>>,
}

#[derive(Serialize)]
struct SourceJson {
    id: u64,
    citation: String,
}

#[derive(Serialize)]
struct FormJson<'a> {
    text: &'a str,
    occurrences: usize,
    documents: usize,
    canonical: bool,
}

#[derive(Serialize)]
struct OccurrenceJson<'a> {
    doc: u64,
    title: &'a str,
    start: usize,
    end: usize,
    status: &'static str,
    date: Option<&'a str>,
    speaker: &'a str,
    quote: &'a str,
    form: usize,
    attribution: Option<String>,
    attributed_speaker: &'a str,
    annotation: Option<u64>,
    candidate: bool,
    source: Option<u64>,
    verification: Option<&'static str>,
}

#[derive(Serialize)]
struct TimelineJson {
    period: String,
    occurrences: usize,
    entries: usize,
    documents: usize,
}

fn source_json(ws: &Workspace, e: &Entry) -> Option<SourceJson> {
    let id = e.linked_source()?;
    let citation = match &e.reference {
        Reference::Source {
            id: r, citation, ..
        } if *r == id => citation.clone(),
        _ => ws
            .source(id)
            .map(|s| s.citation())
            .unwrap_or_else(|| format!("source {}", id.0)),
    };
    Some(SourceJson { id: id.0, citation })
}

/// The register as one JSON object: `{"entries":[{"quote","documents":[{"doc","title",
/// "start","end","status",…}],"variants","first_date","last_date",…}],…}` with a timeline of
/// occurrences per month.
pub fn register_json(ws: &Workspace, reg: &Register) -> String {
    let entries = reg
        .entries
        .iter()
        .map(|e| EntryJson {
            quote: &e.quote,
            documents: e
                .occurrences
                .iter()
                .map(|o| OccurrenceJson {
                    doc: o.doc.0,
                    title: &o.title,
                    start: o.start,
                    end: o.end,
                    status: o.status.word(),
                    date: o.date.as_deref(),
                    speaker: &o.speaker,
                    quote: &o.quote,
                    form: o.form,
                    attribution: o.attribution.citation(),
                    attributed_speaker: &o.attribution.speaker,
                    annotation: o.annotation.map(|a| a.0),
                    candidate: o.is_candidate(),
                    source: o.source.map(|s| s.0),
                    verification: o.verification.map(|v| v.word()),
                })
                .collect(),
            variants: e.variants(),
            first_date: e.first_date.as_deref(),
            last_date: e.last_date.as_deref(),
            count: e.occurrences.len(),
            document_count: e.document_count(),
            reference: match e.reference {
                Reference::Canonical => "canonical",
                Reference::Source { .. } => "source",
            },
            linked_source: source_json(ws, e),
            forms: e
                .forms
                .iter()
                .enumerate()
                .map(|(i, f)| FormJson {
                    text: &f.text,
                    occurrences: f.occurrences,
                    documents: f.documents,
                    canonical: i == e.canonical,
                })
                .collect(),
        })
        .collect();
    to_json(&RegisterJson {
        kind: "register",
        documents_scanned: reg.documents,
        occurrences: reg.occurrence_count(),
        entries,
        timeline: reg
            .timeline(Period::Month)
            .into_iter()
            .map(|b| TimelineJson {
                period: b.period,
                occurrences: b.occurrences,
                entries: b.entries,
                documents: b.documents,
            })
            .collect(),
    })
}

/// Columns of the register table (CSV and XLSX), one row per occurrence.
pub const REGISTER_COLUMNS: [&str; 15] = [
    "entry",
    "quote",
    "variants",
    "first_date",
    "last_date",
    "doc",
    "title",
    "date",
    "speaker",
    "start",
    "end",
    "status",
    "quoted_as",
    "attribution",
    "annotation",
];

const REGISTER_WIDTHS: [f64; 15] = [
    6.0, 50.0, 8.0, 11.0, 11.0, 6.0, 30.0, 11.0, 12.0, 7.0, 7.0, 10.0, 50.0, 36.0, 10.0,
];

/// The cells of one register row, as text.
fn register_rows(reg: &Register) -> Vec<[String; 15]> {
    let mut out = Vec::new();
    for (i, e) in reg.entries.iter().enumerate() {
        for o in &e.occurrences {
            out.push([
                (i + 1).to_string(),
                e.quote.clone(),
                e.variants().to_string(),
                e.first_date.clone().unwrap_or_default(),
                e.last_date.clone().unwrap_or_default(),
                o.doc.0.to_string(),
                o.title.clone(),
                o.date.clone().unwrap_or_default(),
                o.speaker.clone(),
                o.start.to_string(),
                o.end.to_string(),
                o.status.word().to_string(),
                o.quote.clone(),
                o.attribution.citation().unwrap_or_default(),
                o.annotation
                    .map(|a| a.0.to_string())
                    .unwrap_or_else(|| "candidate".into()),
            ]);
        }
    }
    out
}

/// The register as CSV: one record per (entry, document occurrence) under
/// [`REGISTER_COLUMNS`].
pub fn register_csv(reg: &Register) -> String {
    let mut out = String::new();
    out.push(BOM);
    push_record(&mut out, REGISTER_COLUMNS);
    for row in register_rows(reg) {
        push_record(&mut out, row.iter().map(String::as_str));
    }
    out
}

/// The register as XLSX: sheet "Register" (one row per occurrence, [`REGISTER_COLUMNS`];
/// numbers as numbers) and sheet "Timeline" (occurrences, entries and documents per month).
///
/// # Errors
/// A line for the user when the writer fails.
pub fn register_xlsx(reg: &Register) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let bold = XFormat::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Register").map_err(xlsx_err)?;
    write_header(sheet, &REGISTER_COLUMNS, &REGISTER_WIDTHS, &bold).map_err(xlsx_err)?;
    let numeric = [0usize, 2, 5, 9, 10];
    for (i, row) in register_rows(reg).iter().enumerate() {
        let r = row_index(i)?;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell.parse::<f64>() {
                Ok(n) if numeric.contains(&c) || (c == 14 && cell != "candidate") => {
                    sheet.write_number(r, col, n).map_err(xlsx_err)?;
                }
                _ => write_text(sheet, r, col, cell).map_err(xlsx_err)?,
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Timeline").map_err(xlsx_err)?;
    write_header(
        sheet,
        &["period", "occurrences", "entries", "documents"],
        &[12.0, 12.0, 10.0, 10.0],
        &bold,
    )
    .map_err(xlsx_err)?;
    for (i, b) in reg.timeline(Period::Month).iter().enumerate() {
        let r = row_index(i)?;
        sheet.write_string(r, 0, &b.period).map_err(xlsx_err)?;
        sheet
            .write_number(r, 1, b.occurrences as f64)
            .map_err(xlsx_err)?;
        sheet
            .write_number(r, 2, b.entries as f64)
            .map_err(xlsx_err)?;
        sheet
            .write_number(r, 3, b.documents as f64)
            .map_err(xlsx_err)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}

// ---------------------------------------------------------------------------------------------
// Matrix

#[derive(Serialize)]
struct TagJson<'a> {
    id: u64,
    path: &'a str,
    name: &'a str,
    depth: usize,
}

fn tags_json(rows: &[TagRow]) -> Vec<TagJson<'_>> {
    rows.iter()
        .map(|r| TagJson {
            id: r.tag.0,
            path: &r.path,
            name: &r.name,
            depth: r.depth,
        })
        .collect()
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    kind: &'static str,
    by: &'a str,
    rows: Vec<&'a str>,
    tags: Vec<TagJson<'a>>,
    columns: Vec<ColumnJson<'a>>,
    cells: Vec<Vec<CellJson>>,
    row_totals: Vec<CellJson>,
    chars: usize,
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    key: &'a str,
    label: &'a str,
    documents: Vec<u64>,
    chars: usize,
}

#[derive(Serialize)]
struct CellJson {
    count: usize,
    chars: usize,
    coverage: f64,
    annotations: Vec<u64>,
}

fn cell_json(c: &Cell) -> CellJson {
    CellJson {
        count: c.count,
        chars: c.chars,
        coverage: c.coverage,
        annotations: c.annotations.iter().map(|a| a.0).collect(),
    }
}

/// The code matrix as one JSON object: `{"kind":"matrix","by","rows":[tag paths],
/// "tags":[{"id","path","name","depth"}],"columns":[{"key","label","documents","chars"}],
/// "cells":[[{"count","chars","coverage","annotations"}]],"row_totals":[…],"chars"}`;
/// `cells[row][column]`. `by` is `document`, `group` or the attribute's name.
pub fn matrix_json(m: &Matrix, by: &str) -> String {
    to_json(&MatrixJson {
        kind: "matrix",
        by,
        rows: m.rows.iter().map(|r| r.path.as_str()).collect(),
        tags: tags_json(&m.rows),
        columns: m
            .columns
            .iter()
            .map(|c| ColumnJson {
                key: &c.key,
                label: &c.label,
                documents: c.documents.iter().map(|d| d.0).collect(),
                chars: c.chars,
            })
            .collect(),
        cells: m
            .cells
            .iter()
            .map(|r| r.iter().map(cell_json).collect())
            .collect(),
        row_totals: m.row_totals.iter().map(cell_json).collect(),
        chars: m.chars,
    })
}

/// The code matrix as a CSV grid: header `tag`, the column labels and `total`; one record
/// per tag (its path) with `value` in each cell.
pub fn matrix_csv(m: &Matrix, value: CellValue) -> String {
    let mut out = String::new();
    out.push(BOM);
    let header: Vec<&str> = std::iter::once("tag")
        .chain(m.columns.iter().map(|c| c.label.as_str()))
        .chain(std::iter::once("total"))
        .collect();
    push_record(&mut out, header);
    for (r, row) in m.rows.iter().enumerate() {
        let cells: Vec<String> = std::iter::once(row.path.clone())
            .chain(m.cells[r].iter().map(|c| value.text(c)))
            .chain(std::iter::once(value.text(&m.row_totals[r])))
            .collect();
        push_record(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// Writes a tags × columns grid: header row (labels) and first column (tag paths) frozen.
fn write_grid(
    sheet: &mut Worksheet,
    labels: &[&str],
    rows: &[TagRow],
    value: impl Fn(usize, usize) -> f64,
    percent: Option<&XFormat>,
    bold: &XFormat,
) -> Result<(), String> {
    let mut widths = vec![30.0];
    widths.extend(
        labels
            .iter()
            .skip(1)
            .map(|l| (l.chars().count() as f64 * 2.0).clamp(8.0, 24.0)),
    );
    col_index(labels.len())?;
    write_header(sheet, labels, &widths, bold).map_err(xlsx_err)?;
    sheet.set_freeze_panes(1, 1).map_err(xlsx_err)?;
    for (r, row) in rows.iter().enumerate() {
        let ri = row_index(r)?;
        write_text(sheet, ri, 0, &row.path).map_err(xlsx_err)?;
        for c in 1..labels.len() {
            let v = value(r, c - 1);
            match percent {
                Some(f) => sheet.write_number_with_format(ri, c as u16, v, f),
                None => sheet.write_number(ri, c as u16, v),
            }
            .map_err(xlsx_err)?;
        }
    }
    Ok(())
}

/// The code matrix as XLSX: sheets "Count", "Coverage" (as percentages) and "Chars", each a
/// grid of tags × columns with a `total` column.
///
/// # Errors
/// A line for the user when the writer fails or there are more columns than a sheet holds.
pub fn matrix_xlsx(m: &Matrix) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let bold = XFormat::new().set_bold();
    let percent = XFormat::new().set_num_format("0.00%");
    let labels: Vec<&str> = std::iter::once("tag")
        .chain(m.columns.iter().map(|c| c.label.as_str()))
        .chain(std::iter::once("total"))
        .collect();
    for value in [CellValue::Count, CellValue::Coverage, CellValue::Chars] {
        let sheet = book.add_worksheet();
        let name = match value {
            CellValue::Count => "Count",
            CellValue::Coverage => "Coverage",
            CellValue::Chars => "Chars",
        };
        sheet.set_name(name).map_err(xlsx_err)?;
        let ncols = m.columns.len();
        let cell = |r: usize, c: usize| {
            if c == ncols {
                value.of(&m.row_totals[r])
            } else {
                value.of(&m.cells[r][c])
            }
        };
        let fmt = (value == CellValue::Coverage).then_some(&percent);
        write_grid(sheet, &labels, &m.rows, cell, fmt, &bold)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}

// ---------------------------------------------------------------------------------------------
// Co-occurrence

#[derive(Serialize)]
struct CoJson<'a> {
    kind: &'static str,
    mode: &'static str,
    rows: Vec<&'a str>,
    tags: Vec<TagJson<'a>>,
    cells: Vec<Vec<CoCellJson>>,
    pairs: Vec<PairJson<'a>>,
}

#[derive(Serialize)]
struct CoCellJson {
    count: usize,
    annotations: Vec<u64>,
}

#[derive(Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    count: usize,
}

/// Tag co-occurrence as one JSON object: `{"kind":"cooccurrence","mode":"overlap"|"paragraph",
/// "rows":[tag paths],"tags":[{"id","path","name","depth"}],"cells":[[{"count",
/// "annotations"}]],"pairs":[{"a","b","count"}]}`; `cells` is symmetric (rows and columns
/// are `rows`), its diagonal the passages (or paragraphs) with each tag; `pairs` lists the
/// pairs of different tags that co-occur, most frequent first.
pub fn cooccurrence_json(c: &Cooccurrence) -> String {
    to_json(&CoJson {
        kind: "cooccurrence",
        mode: c.mode.map_or("overlap", |m| m.word()),
        rows: c.tags.iter().map(|r| r.path.as_str()).collect(),
        tags: tags_json(&c.tags),
        cells: c
            .cells
            .iter()
            .map(|r| {
                r.iter()
                    .map(|x| CoCellJson {
                        count: x.count,
                        annotations: x.annotations.iter().map(|a| a.0).collect(),
                    })
                    .collect()
            })
            .collect(),
        pairs: c
            .pairs()
            .into_iter()
            .map(|(a, b, count)| PairJson {
                a: &c.tags[a].path,
                b: &c.tags[b].path,
                count,
            })
            .collect(),
    })
}

/// Tag co-occurrence as a CSV grid: header `tag` and the tag paths; one record per tag.
pub fn cooccurrence_csv(c: &Cooccurrence) -> String {
    let mut out = String::new();
    out.push(BOM);
    let header: Vec<&str> = std::iter::once("tag")
        .chain(c.tags.iter().map(|t| t.path.as_str()))
        .collect();
    push_record(&mut out, header);
    for (r, row) in c.tags.iter().enumerate() {
        let cells: Vec<String> = std::iter::once(row.path.clone())
            .chain(c.cells[r].iter().map(|x| x.count.to_string()))
            .collect();
        push_record(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// Tag co-occurrence as XLSX: sheet "Co-occurrence" (the grid) and sheet "Pairs".
///
/// # Errors
/// A line for the user when the writer fails.
pub fn cooccurrence_xlsx(c: &Cooccurrence) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let bold = XFormat::new().set_bold();
    let labels: Vec<&str> = std::iter::once("tag")
        .chain(c.tags.iter().map(|t| t.path.as_str()))
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name("Co-occurrence").map_err(xlsx_err)?;
    write_grid(
        sheet,
        &labels,
        &c.tags,
        |r, k| c.cells[r][k].count as f64,
        None,
        &bold,
    )?;
    let sheet = book.add_worksheet();
    sheet.set_name("Pairs").map_err(xlsx_err)?;
    write_header(
        sheet,
        &["tag a", "tag b", "count"],
        &[30.0, 30.0, 8.0],
        &bold,
    )
    .map_err(xlsx_err)?;
    for (i, (a, b, n)) in c.pairs().into_iter().enumerate() {
        let r = row_index(i)?;
        write_text(sheet, r, 0, &c.tags[a].path).map_err(xlsx_err)?;
        write_text(sheet, r, 1, &c.tags[b].path).map_err(xlsx_err)?;
        sheet.write_number(r, 2, n as f64).map_err(xlsx_err)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}
