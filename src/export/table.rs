//! Tables of annotations: CSV and XLSX.
//!
//! Both hold one row per [`super::rows`] entry under the headings [`super::COLUMNS`] (in a
//! Chinese export, their Chinese names: [`super::Lang::columns`]). The CSV is
//! RFC 4180 (CRLF line ends, fields quoted when needed) in UTF-8 with a byte-order mark, so that
//! Excel opens Chinese text correctly; cells that a spreadsheet would read as a formula are
//! neutralised with a leading `'`. The XLSX writes every text cell as a string (never a formula),
//! so it keeps the text exactly.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{COLUMNS, ExportOptions, Row, rows};
use crate::model::Workspace;

/// Why an export could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XLSX writer failed.
    #[error("the spreadsheet could not be written ({0})")]
    Xlsx(String),
    /// The Word document could not be assembled.
    #[error("the Word document could not be written ({0})")]
    Docx(String),
    /// The REFI-QDA project could not be assembled.
    #[error("the REFI-QDA project could not be written ({0})")]
    Qdpx(String),
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Xlsx(e.to_string())
    }
}

/// The UTF-8 byte-order mark that makes Excel read a CSV as UTF-8.
pub(crate) const BOM: char = '\u{FEFF}';

/// Largest number of chars Excel keeps in one cell.
pub(crate) const XLSX_MAX_CELL: usize = 32_767;

/// Whether a cell would be read as a formula (or a DDE payload) by a spreadsheet.
fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell made safe against formula injection: a leading `'` when it
/// [looks like a formula](looks_like_formula).
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Appends one CSV field, quoted when it holds a comma, a quote or a line break.
fn push_field(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Appends one CSV record (fields separated by commas, ended by CRLF).
pub(crate) fn push_record<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, &neutralise(cell));
    }
    out.push_str("\r\n");
}

/// The annotation table as CSV: RFC 4180 with CRLF line ends, UTF-8 with a byte-order mark,
/// header [`COLUMNS`] (in the export's language), one record per [`rows`] entry. Cells starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return get a leading `'` so that a spreadsheet does not run them as
/// formulas.
pub fn to_csv(ws: &Workspace, opts: &ExportOptions) -> String {
    let mut out = String::new();
    out.push(BOM);
    push_record(&mut out, opts.lang.columns());
    for row in rows(ws, opts) {
        let cells = row.cells();
        push_record(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// A string cut so that it fits one Excel cell (counted in UTF-16 units, which is never fewer
/// than chars).
pub(crate) fn fit_cell(s: &str) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > XLSX_MAX_CELL {
            return &s[..i];
        }
    }
    s
}

/// Writes a header row in bold and freezes it.
pub(crate) fn write_header(
    sheet: &mut Worksheet,
    headings: &[&str],
    widths: &[f64],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (col, (h, w)) in headings.iter().zip(widths).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *h, bold)?;
        sheet.set_column_width(col, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Column widths of the "Annotations" sheet, in [`COLUMNS`] order.
const ANNOTATION_WIDTHS: [f64; 11] = [
    24.0, 10.0, 12.0, 50.0, 24.0, 40.0, 12.0, 12.0, 36.0, 20.0, 12.0,
];

/// Column widths of the "Sources" sheet.
const SOURCE_WIDTHS: [f64; 6] = [48.0, 20.0, 12.0, 20.0, 12.0, 40.0];

/// Writes one annotation row (`r` is the sheet row, header is row 0).
fn write_row(sheet: &mut Worksheet, r: u32, row: &Row) -> Result<(), XlsxError> {
    for (col, cell) in row.cells().iter().enumerate() {
        let col = col as u16;
        if COLUMNS[col as usize] == "paragraph" {
            sheet.write_number(r, col, row.paragraph as f64)?;
        } else if !cell.is_empty() {
            sheet.write_string(r, col, fit_cell(cell))?;
        }
    }
    Ok(())
}

/// The annotation table as an XLSX workbook (sheet and column names in `opts.lang`): sheet
/// "Annotations" with [`COLUMNS`] (bold,
/// frozen header; column widths set; the paragraph as a number, every other cell as a string,
/// never a formula; cells longer than Excel's 32,767 chars are cut), and, when
/// `opts.sources`, a sheet "Sources" listing every source of the workspace (title, issuer,
/// date, doc number, kind, url).
///
/// # Errors
/// [`ExportError::Xlsx`] when the writer fails.
pub fn to_xlsx(ws: &Workspace, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();

    let lang = opts.lang;
    let labels = lang.labels();
    let sheet = book.add_worksheet();
    sheet.set_name(labels.annotations_sheet)?;
    write_header(sheet, &lang.columns(), &ANNOTATION_WIDTHS, &bold)?;
    for (i, row) in rows(ws, opts).iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| ExportError::Xlsx("too many rows".into()))?;
        write_row(sheet, r, row)?;
    }

    if opts.sources {
        let sheet = book.add_worksheet();
        sheet.set_name(labels.sources_sheet)?;
        write_header(sheet, &lang.source_columns(), &SOURCE_WIDTHS, &bold)?;
        for (i, s) in ws.sources.iter().enumerate() {
            let r = u32::try_from(i + 1).map_err(|_| ExportError::Xlsx("too many rows".into()))?;
            let cells = [
                s.title.as_str(),
                s.issuer.as_str(),
                s.date.as_str(),
                s.doc_number.as_str(),
                lang.source_kind(s.kind),
                s.url.as_str(),
            ];
            for (col, cell) in cells.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r, col as u16, fit_cell(cell))?;
                }
            }
        }
    }

    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;
    use crate::model::Workspace;

    /// The sample workspace with hostile notes on its first annotations.
    fn hostile_sample() -> Workspace {
        let mut ws = crate::sample::sample_workspace();
        let notes = [
            "=HYPERLINK(\"http://evil\",\"点我\")",
            "+1+1",
            "-2",
            "@SUM(A1)",
            "逗号,引号\"换行\n结束",
        ];
        for (a, n) in ws.annotations.iter_mut().filter(|a| !a.orphan).zip(notes) {
            a.note = n.to_string();
        }
        ws
    }

    /// Splits a CSV (without BOM) into records of fields, honouring quotes.
    fn parse_csv(s: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut rec = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
            } else {
                match c {
                    '"' => quoted = true,
                    ',' => rec.push(std::mem::take(&mut field)),
                    '\r' => {
                        assert_eq!(chars.next(), Some('\n'), "CR without LF");
                        rec.push(std::mem::take(&mut field));
                        records.push(std::mem::take(&mut rec));
                    }
                    '\n' => panic!("bare LF outside quotes"),
                    c => field.push(c),
                }
            }
        }
        assert!(field.is_empty() && rec.is_empty(), "last record not ended");
        records
    }

    #[test]
    fn csv_has_bom_header_rows_and_quoting() {
        let ws = hostile_sample();
        let opts = ExportOptions::default();
        let csv = to_csv(&ws, &opts);
        let body = csv.strip_prefix('\u{FEFF}').expect("BOM");
        assert!(body.starts_with(&(COLUMNS.join(",") + "\r\n")));
        let records = parse_csv(body);
        let expected = rows(&ws, &opts);
        assert_eq!(records.len(), expected.len() + 1);
        assert!(records.iter().all(|r| r.len() == COLUMNS.len()));
        let note = COLUMNS.iter().position(|c| *c == "note").unwrap();
        let notes: Vec<&str> = records.iter().map(|r| r[note].as_str()).collect();
        assert!(notes.contains(&"'=HYPERLINK(\"http://evil\",\"点我\")"));
        assert!(notes.contains(&"'+1+1"));
        assert!(notes.contains(&"'-2"));
        assert!(notes.contains(&"'@SUM(A1)"));
        assert!(notes.contains(&"逗号,引号\"换行\n结束"));
        assert!(
            records
                .iter()
                .flatten()
                .all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r']))
        );
        // Chinese quotations come through intact.
        let quotation = COLUMNS.iter().position(|c| *c == "quotation").unwrap();
        for (rec, row) in records[1..].iter().zip(&expected) {
            assert_eq!(rec[quotation], *neutralise(&row.quotation));
            assert_eq!(rec[1], row.paragraph.to_string());
        }
        assert!(
            expected
                .iter()
                .any(|r| r.quotation.chars().any(|c| c > '\u{4e00}'))
        );
    }

    #[test]
    fn csv_field_rules() {
        let mut s = String::new();
        push_record(&mut s, ["a", "b,c", "d\"e", "f\r\ng", "=1", "中文"]);
        assert_eq!(s, "a,\"b,c\",\"d\"\"e\",\"f\r\ng\",'=1,中文\r\n");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("a=b"), "a=b");
    }

    /// The named part of a ZIP, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn xlsx_holds_strings_not_formulas() {
        let ws = hostile_sample();
        let bytes = to_xlsx(&ws, &ExportOptions::default()).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let sheet1 = part(&bytes, "xl/worksheets/sheet1.xml");
        let shared = part(&bytes, "xl/sharedStrings.xml");
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("name=\"Annotations\""));
        assert!(workbook.contains("name=\"Sources\""));
        assert!(!sheet1.contains("<f>") && !sheet1.contains("<f "));
        assert!(sheet1.contains("<pane"), "header frozen");
        assert!(
            shared.contains("<t>=HYPERLINK(\"http://evil\",\"点我\")</t>")
                || shared.contains("<t>=HYPERLINK(&quot;http://evil&quot;,&quot;点我&quot;)</t>"),
            "formula text kept verbatim as a shared string"
        );
        let rows = rows(&ws, &ExportOptions::default());
        let chinese = rows
            .iter()
            .find(|r| r.quotation.chars().any(|c| c > '\u{4e00}'))
            .unwrap();
        let escaped = chinese
            .quotation
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(shared.contains(&escaped), "quotation in shared strings");
        // One sheet row per table row plus the header.
        assert_eq!(sheet1.matches("<row ").count(), rows.len() + 1);

        let no_sources = to_xlsx(
            &ws,
            &ExportOptions {
                sources: false,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!part(&no_sources, "xl/workbook.xml").contains("Sources"));
    }

    #[test]
    fn chinese_tables_have_chinese_headers_and_words() {
        let ws = crate::sample::verification_sample();
        let zh = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        let csv = to_csv(&ws, &zh);
        let records = parse_csv(csv.strip_prefix('\u{FEFF}').unwrap());
        assert_eq!(records[0], crate::export::Lang::Zh.columns());
        assert_eq!(records[0][10], "核对结果");
        assert!(records.iter().any(|r| r[2] == "引文" && r[10] == "一致"));
        assert!(
            records
                .iter()
                .skip(1)
                .all(|r| !r[10].is_ascii() || r[10].is_empty())
        );
        // English stays as scripts expect it.
        let en = to_csv(&ws, &ExportOptions::default());
        assert!(en.starts_with(&format!("\u{FEFF}{}\r\n", COLUMNS.join(","))));
        assert!(en.contains(",directive,") && en.contains(",verbatim\r\n"));
        let bytes = to_xlsx(&ws, &zh).unwrap();
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("name=\"标注\"") && workbook.contains("name=\"来源\""));
        let shared = part(&bytes, "xl/sharedStrings.xml");
        for h in ["核对结果", "发文机关", "一致"] {
            assert!(shared.contains(h), "{h}");
        }
    }

    #[test]
    fn overlong_cells_are_cut() {
        let long = "中".repeat(40_000);
        assert_eq!(fit_cell(&long).chars().count(), XLSX_MAX_CELL);
        let astral = "𠀀".repeat(20_000);
        assert_eq!(fit_cell(&astral).chars().count(), XLSX_MAX_CELL / 2);
    }
}
