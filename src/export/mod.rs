//! Exports: annotated copies of the workspace as HTML, Word (comments), Markdown, CSV and XLSX,
//! and the whole project for other QDA tools (REFI-QDA `.qdpx`, see [`crate::store::qdpx`]).
//! Every export is a pure function of the workspace and the options; writing the file is the
//! caller's business (atomically, through `store::write_atomic`).

pub mod docx;
pub mod html;
pub mod labels;
pub mod markdown;
pub mod table;

pub use labels::Lang;

use std::collections::BTreeSet;

use crate::model::{Annotation, DocId, Document, Source, TagId, Workspace};

/// The formats an export can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A self-contained HTML page.
    #[default]
    Html,
    /// A Word document with comments.
    Docx,
    /// Markdown with footnotes.
    Markdown,
    /// A CSV table (UTF-8 with BOM).
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// A REFI-QDA project (ATLAS.ti, MAXQDA, NVivo, QualCoder).
    Qdpx,
}

impl Format {
    /// Every format, for choosers.
    pub const ALL: [Format; 6] = [
        Format::Html,
        Format::Docx,
        Format::Markdown,
        Format::Csv,
        Format::Xlsx,
        Format::Qdpx,
    ];

    /// The file extension (and command-line name, but `md` for Markdown).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Qdpx => "qdpx",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "html" | "htm" => Ok(Format::Html),
            "docx" | "word" => Ok(Format::Docx),
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            "qdpx" | "refi" | "refi-qda" => Ok(Format::Qdpx),
            other => Err(format!(
                "unknown format \"{other}\": use html, docx, md, csv, xlsx or qdpx"
            )),
        }
    }
}

/// The bytes of an export in the given format. Annotations are drawn only where their anchor
/// verifies: one whose passage moved is drawn where its exact quote is found again, one whose
/// passage is gone is left out (see [`export_warnings`]).
pub fn export_bytes(
    ws: &Workspace,
    format: Format,
    opts: &ExportOptions,
) -> Result<Vec<u8>, table::ExportError> {
    bytes_of(&verified_anchors(ws), format, opts)
}

/// An export's bytes and its warnings (see [`export_bytes`] and [`export_warnings`]), with
/// the anchors verified once for both.
pub fn export_with_warnings(
    ws: &Workspace,
    format: Format,
    opts: &ExportOptions,
) -> Result<(Vec<u8>, Vec<String>), table::ExportError> {
    let fixed = verified_anchors(ws);
    let bytes = bytes_of(&fixed, format, opts)?;
    Ok((bytes, warnings_of(ws, &fixed, format, opts)))
}

/// The bytes of an export of a workspace whose anchors are already verified.
fn bytes_of(
    ws: &Workspace,
    format: Format,
    opts: &ExportOptions,
) -> Result<Vec<u8>, table::ExportError> {
    Ok(match format {
        Format::Html => html::to_html(ws, opts).into_bytes(),
        Format::Markdown => markdown::to_markdown(ws, opts).into_bytes(),
        Format::Csv => table::to_csv(ws, opts).into_bytes(),
        Format::Xlsx => table::to_xlsx(ws, opts)?,
        Format::Docx => docx::to_docx(ws, opts)?,
        Format::Qdpx => to_qdpx(ws, opts)?,
    })
}

/// The selected documents and annotations as a REFI-QDA project (see
/// [`crate::store::qdpx`]): orphans left out, notes only when asked for; the whole codebook,
/// the attributes and the memos.
fn to_qdpx(ws: &Workspace, opts: &ExportOptions) -> Result<Vec<u8>, table::ExportError> {
    let docs: Vec<DocId> = selected_documents(ws, opts).iter().map(|d| d.id).collect();
    let mut part = ws.clone();
    part.documents.retain(|d| docs.contains(&d.id));
    part.annotations = docs
        .iter()
        .flat_map(|d| selected_annotations(ws, *d, opts))
        .cloned()
        .collect();
    part.annotations.sort_by_key(|a| a.id);
    if !opts.notes {
        for a in &mut part.annotations {
            a.note.clear();
        }
    }
    let name = match opts.project_name.trim() {
        "" => DEFAULT_AUTHOR,
        n => n,
    };
    crate::store::qdpx::write_qdpx_dated(&part, name, opts.lang, opts.project_date)
        .map_err(|e| table::ExportError::Qdpx(e.to_string()))
}

/// What the user should hear about an export that otherwise succeeds: annotations left out
/// because their passage is no longer in the text, and (XLSX) cells cut to Excel's limit.
pub fn export_warnings(ws: &Workspace, format: Format, opts: &ExportOptions) -> Vec<String> {
    warnings_of(ws, &verified_anchors(ws), format, opts)
}

/// [`export_warnings`] given the workspace and its verified copy (`fixed`).
fn warnings_of(
    ws: &Workspace,
    fixed: &Workspace,
    format: Format,
    opts: &ExportOptions,
) -> Vec<String> {
    let mut out = Vec::new();
    for doc in selected_documents(ws, opts) {
        let lost = fixed
            .annotations_of(doc.id)
            .filter(|a| a.orphan && ws.annotation(a.id).is_some_and(|orig| !orig.orphan))
            .count();
        if lost > 0 {
            out.push(format!(
                "{lost} annotation(s) of “{}” were left out: their passage is no longer in the text (run yinwen check)",
                doc.display_name()
            ));
        }
    }
    if format == Format::Qdpx {
        let directives = selected_documents(fixed, opts)
            .iter()
            .flat_map(|d| selected_annotations(fixed, d.id, opts))
            .filter(|a| a.directive.is_some())
            .count();
        if directives > 0 {
            out.push(format!(
                "{directives} quoted directive(s) are written as plain annotations (passage, note and tags): REFI-QDA has no place for their attribution, linked source or verification"
            ));
        }
        let colours = selected_documents(fixed, opts)
            .iter()
            .flat_map(|d| selected_annotations(fixed, d.id, opts))
            .filter(|a| {
                // Read back, an annotation has the default colour, shown as its first tag's.
                let shown = a
                    .tags
                    .first()
                    .and_then(|t| fixed.tag(*t))
                    .map_or_else(crate::model::default_tag_color, |t| t.color.clone());
                a.directive.is_none()
                    && !a
                        .color
                        .eq_ignore_ascii_case(&crate::model::default_tag_color())
                    && !a.color.eq_ignore_ascii_case(&shown)
            })
            .count();
        if colours > 0 {
            out.push(format!(
                "{colours} annotation(s) have a highlight colour other than their tag's, which REFI-QDA cannot carry (they will show their first tag's colour)"
            ));
        }
    }
    if format == Format::Xlsx {
        for (i, row) in rows(fixed, opts).iter().enumerate() {
            for (col, cell) in COLUMNS.iter().zip(row.cells()) {
                let units: usize = cell.chars().map(char::len_utf16).sum();
                if units > table::XLSX_MAX_CELL {
                    out.push(format!(
                        "row {} ({}, 第{}段): the {col} has {} characters; Excel keeps {} in a cell, so it was cut (CSV keeps it whole)",
                        i + 2,
                        row.document,
                        row.paragraph,
                        cell.chars().count(),
                        table::XLSX_MAX_CELL
                    ));
                }
            }
        }
    }
    out
}

/// The workspace as exports draw it: annotations whose anchor no longer holds are moved to
/// where their exact quote is found again (context breaking ties), else onto the corrected
/// passage found approximately where they were, or treated as orphans (left out). Borrowed when every anchor holds.
pub fn verified_anchors(ws: &Workspace) -> std::borrow::Cow<'_, Workspace> {
    use crate::model::CharIndex;
    use std::collections::HashMap;
    let indexes: HashMap<DocId, CharIndex> = ws
        .documents
        .iter()
        .map(|d| (d.id, CharIndex::new(&d.text)))
        .collect();
    let holds = |a: &Annotation| {
        a.orphan
            || ws
                .document(a.doc)
                .is_some_and(|d| a.anchor.holds_in(&d.text, &indexes[&d.id]))
    };
    if ws.annotations.iter().all(holds) {
        return std::borrow::Cow::Borrowed(ws);
    }
    let mut fixed = ws.clone();
    for a in fixed.annotations.iter_mut().filter(|a| !a.orphan) {
        let Some(doc) = ws.document(a.doc) else {
            a.orphan = true;
            continue;
        };
        let index = &indexes[&doc.id];
        if a.anchor.holds_in(&doc.text, index) {
            continue;
        }
        let found = crate::model::anchor::find_quote(&a.anchor, &doc.text, index)
            .or_else(|| crate::model::anchor::find_approx(&a.anchor, &doc.text, index));
        match found {
            Some(found) => a.anchor = found,
            None => a.orphan = true,
        }
    }
    std::borrow::Cow::Owned(fixed)
}

/// Whether a character must not reach an output raw: control characters (but tab and line
/// feed) and the bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069), which can make a text display differently from what it says.
pub fn is_unsafe_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [unsafe control](is_unsafe_control) replaced by U+FFFD (one char for one,
/// so char offsets stay valid).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_unsafe_control) {
        s.chars()
            .map(|c| if is_unsafe_control(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// Documents to include (all when `None`).
    pub docs: Option<Vec<DocId>>,
    /// Only annotations carrying one of these tags (a tag includes its children); all when
    /// `None`.
    pub tags: Option<Vec<TagId>>,
    /// Include notes.
    pub notes: bool,
    /// Include the source citation of directives and the list of sources.
    pub sources: bool,
    /// Include verification status.
    pub verification: bool,
    /// The language of the fixed labels (headings, comment labels, status words, table
    /// headers); the user's text is never translated.
    pub lang: Lang,
    /// The author written on Word comments; empty means "Yinwen".
    pub author: String,
    /// The project's name in a REFI-QDA export (the workspace file's name); empty means
    /// "Yinwen".
    pub project_name: String,
    /// The project's date in a REFI-QDA export (the workspace file's last change); `None`
    /// writes none (notes are dated 1980-01-01, as the archive's entries).
    pub project_date: Option<std::time::SystemTime>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            docs: None,
            tags: None,
            notes: true,
            sources: true,
            verification: true,
            lang: Lang::default(),
            author: String::new(),
            project_name: String::new(),
            project_date: None,
        }
    }
}

impl ExportOptions {
    /// The comment author: [`ExportOptions::author`] trimmed, or "Yinwen" when empty.
    pub fn author_name(&self) -> &str {
        match self.author.trim() {
            "" => DEFAULT_AUTHOR,
            a => a,
        }
    }
}

/// The comment author when none is given.
pub const DEFAULT_AUTHOR: &str = "Yinwen";

/// The documents an export covers, in workspace order.
pub fn selected_documents<'w>(ws: &'w Workspace, opts: &ExportOptions) -> Vec<&'w Document> {
    ws.documents
        .iter()
        .filter(|d| opts.docs.as_ref().is_none_or(|ids| ids.contains(&d.id)))
        .map(|d| &**d)
        .collect()
}

/// The annotations of one document an export covers (orphans left out: they have no place in
/// the text), ordered by position.
pub fn selected_annotations<'w>(
    ws: &'w Workspace,
    doc: DocId,
    opts: &ExportOptions,
) -> Vec<&'w Annotation> {
    let allowed: Option<BTreeSet<TagId>> = opts.tags.as_ref().map(|tags| {
        tags.iter()
            .flat_map(|t| ws.tag_with_descendants(*t))
            .collect()
    });
    let mut out: Vec<&Annotation> = ws
        .annotations_of(doc)
        .filter(|a| !a.orphan)
        .filter(|a| {
            allowed
                .as_ref()
                .is_none_or(|al| a.tags.iter().any(|t| al.contains(t)))
        })
        .collect();
    out.sort_by_key(|a| (a.anchor.start, a.anchor.end, a.id));
    out
}

/// One row of the tables (CSV, XLSX): an annotation or directive.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Document name.
    pub document: String,
    /// Paragraph number (1-based, as staff cite 第N段).
    pub paragraph: usize,
    /// "annotation" or "directive" (标注 or 引文 in Chinese).
    pub kind: &'static str,
    /// The passage or quotation.
    pub quotation: String,
    /// Tag paths, joined with "; ".
    pub tags: String,
    /// The note (empty when notes are left out).
    pub note: String,
    /// Speaker (directives).
    pub speaker: String,
    /// Date (directives).
    pub date: String,
    /// Source title (linked source, else the attribution's).
    pub source_title: String,
    /// Document number (linked source, else the attribution's).
    pub doc_number: String,
    /// Verification status (empty when not verified or left out): [`VerifyStatus::word`], or
    /// its Chinese label in a Chinese export.
    ///
    /// [`VerifyStatus::word`]: crate::model::VerifyStatus::word
    pub status: String,
}

/// Where annotation spans fall among a document's paragraphs, for writers that emit text
/// paragraph by paragraph.
pub(crate) struct SpanLayout {
    /// For each span: the paragraph and char position of its end (its last fragment), where
    /// trailing content such as a footnote mark goes.
    pub tails: Vec<(usize, usize)>,
    /// For each paragraph: the spans that touch it or put their tail in it, in span order.
    pub by_para: Vec<Vec<usize>>,
}

/// Lays out spans (char ranges) over paragraphs. Paragraphs are sorted and disjoint, so the
/// last paragraph overlapping a span is found by binary search, and each paragraph gets only
/// the spans that touch it: linear in paragraphs + spans, not their product.
pub(crate) fn layout_spans(
    paragraphs: &[crate::model::Paragraph],
    spans: &[(usize, usize)],
) -> SpanLayout {
    let tails: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| {
            let hi =
                paragraphs.partition_point(|p| p.chars.start < e || (s == e && p.chars.start <= s));
            let last = hi.checked_sub(1).filter(|&pi| {
                let p = &paragraphs[pi];
                (s < p.chars.end && e > p.chars.start)
                    || (s == e && p.chars.start <= s && s <= p.chars.end)
            });
            match last {
                Some(pi) => (
                    pi,
                    e.clamp(paragraphs[pi].chars.start, paragraphs[pi].chars.end),
                ),
                None => {
                    let pi = paragraphs
                        .partition_point(|p| p.chars.start <= s)
                        .saturating_sub(1);
                    (pi, paragraphs.get(pi).map_or(0, |p| p.chars.end))
                }
            }
        })
        .collect();
    let mut by_para: Vec<Vec<usize>> = vec![Vec::new(); paragraphs.len()];
    for (i, &(s, e)) in spans.iter().enumerate() {
        let first = paragraphs.partition_point(|p| p.chars.end < s);
        for (pi, p) in paragraphs.iter().enumerate().skip(first) {
            if p.chars.start > e {
                break;
            }
            by_para[pi].push(i);
        }
        if let Some(list) = by_para.get_mut(tails[i].0)
            && !list.contains(&i)
        {
            list.push(i);
        }
    }
    SpanLayout { tails, by_para }
}

/// The linked source of an annotation, if any.
pub fn linked_source<'w>(ws: &'w Workspace, a: &Annotation) -> Option<&'w Source> {
    a.directive
        .as_ref()
        .and_then(|d| d.source)
        .and_then(|s| ws.source(s))
}

/// The citation of a directive: its linked source's citation, else what its attribution names
/// (speaker《title》（文号），date). `None` for an annotation that is not a directive.
pub fn citation(ws: &Workspace, a: &Annotation) -> Option<String> {
    let dir = a.directive.as_ref()?;
    if let Some(s) = linked_source(ws, a) {
        return Some(s.citation());
    }
    Some(dir.attribution.citation().unwrap_or_default())
}

/// What an export says about where a directive comes from: `Source: CITATION` for a linked
/// source, else that it has none and whom the speech attributes it to (see
/// [`Lang::unlinked_source`]). `None` for an annotation that is not a directive.
pub fn source_phrase(ws: &Workspace, a: &Annotation, lang: Lang) -> Option<String> {
    let dir = a.directive.as_ref()?;
    Some(match linked_source(ws, a) {
        Some(s) => lang.source_line(&s.citation()),
        None => lang.unlinked_source(dir.attribution.citation().as_deref()),
    })
}

/// The colour an annotation is highlighted in by the Word export: its first tag's colour,
/// else its own, else the default highlight (when neither is a valid `#RRGGBB`).
pub fn highlight_rgb(ws: &Workspace, a: &Annotation) -> [u8; 3] {
    use crate::model::parse_hex_color;
    a.tags
        .first()
        .and_then(|t| ws.tag(*t))
        .and_then(|t| parse_hex_color(&t.color))
        .or_else(|| parse_hex_color(&a.color))
        .or_else(|| parse_hex_color(&crate::model::default_tag_color()))
        .unwrap_or([0xF2, 0xC9, 0x4C])
}

/// `rgb` mixed with white (`white` parts in 100, e.g. 70), so text on it stays readable.
pub fn tint(rgb: [u8; 3], white: u8) -> [u8; 3] {
    let w = u32::from(white.min(100));
    rgb.map(|c| ((u32::from(c) * (100 - w) + 255 * w + 50) / 100) as u8)
}

/// Rows of every selected annotation of every selected document.
pub fn rows(ws: &Workspace, opts: &ExportOptions) -> Vec<Row> {
    let mut out = Vec::new();
    let labels = opts.lang.labels();
    for doc in selected_documents(ws, opts) {
        let paragraphs = doc.paragraphs();
        for a in selected_annotations(ws, doc.id, opts) {
            let pos = a.anchor.start.0;
            let paragraph = paragraphs.partition_point(|p| p.chars.end < pos) + 1;
            let src = linked_source(ws, a);
            let at = a.directive.as_ref().map(|d| &d.attribution);
            let pick = |from_src: Option<&String>, from_attr: Option<&String>| -> String {
                from_src
                    .filter(|s| !s.is_empty())
                    .or(from_attr)
                    .cloned()
                    .unwrap_or_default()
            };
            out.push(Row {
                document: doc.display_name(),
                paragraph,
                kind: if a.directive.is_some() {
                    labels.kind_directive
                } else {
                    labels.kind_annotation
                },
                quotation: a.anchor.quote.clone(),
                tags: a
                    .tags
                    .iter()
                    .map(|t| ws.tag_path(*t))
                    .collect::<Vec<_>>()
                    .join("; "),
                note: if opts.notes {
                    a.note.clone()
                } else {
                    String::new()
                },
                speaker: at.map(|a| a.speaker.clone()).unwrap_or_default(),
                date: pick(None, at.map(|a| &a.date)),
                source_title: if opts.sources {
                    pick(src.map(|s| &s.title), at.map(|a| &a.source_title))
                } else {
                    String::new()
                },
                doc_number: if opts.sources {
                    pick(src.map(|s| &s.doc_number), at.map(|a| &a.doc_number))
                } else {
                    String::new()
                },
                status: if opts.verification {
                    a.directive
                        .as_ref()
                        .and_then(|d| d.verification.as_ref())
                        .map(|v| opts.lang.status(v.status).to_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                },
            });
        }
    }
    out
}

/// Column headings of the tables, in order (English; [`Lang::columns`] gives them in the
/// export's language).
pub const COLUMNS: [&str; 11] = [
    "document",
    "paragraph",
    "kind",
    "quotation",
    "tags",
    "note",
    "speaker",
    "date",
    "source_title",
    "doc_number",
    "status",
];

impl Row {
    /// The cells in [`COLUMNS`] order.
    pub fn cells(&self) -> [String; 11] {
        [
            self.document.clone(),
            self.paragraph.to_string(),
            self.kind.to_string(),
            self.quotation.clone(),
            self.tags.clone(),
            self.note.clone(),
            self.speaker.clone(),
            self.date.clone(),
            self.source_title.clone(),
            self.doc_number.clone(),
            self.status.clone(),
        ]
    }
}

/// A one-document workspace for the exporters' tests: `text` titled `title`, with annotations
/// (IDs from 10) on the char ranges, each with its note and `color`.
#[cfg(test)]
pub(crate) fn test_workspace(
    text: &str,
    title: &str,
    spans: &[(usize, usize, &str)],
    color: &str,
) -> Workspace {
    use crate::model::{Anchor, AnnId, Annotation, CharIndex, DocMeta, Origin};
    let mut ws = Workspace::new();
    let mut doc = Document::new(
        text.to_string(),
        Origin::default(),
        DocMeta {
            title: title.into(),
            ..Default::default()
        },
    );
    doc.id = DocId(1);
    ws.documents.push(doc.into());
    let index = CharIndex::new(text);
    for (i, (s, e, note)) in spans.iter().enumerate() {
        ws.annotations.push(Annotation {
            id: AnnId(10 + i as u64),
            doc: DocId(1),
            anchor: Anchor::new(text, &index, *s..*e),
            color: color.to_string(),
            note: note.to_string(),
            tags: Vec::new(),
            orphan: false,
            directive: None,
        });
    }
    ws
}

/// A document's details as (label, value) pairs in the export's language, non-empty ones
/// only: speaker, date, occasion, place, group, level, region, kind, the user's attributes
/// (by name) and, when notes are included, the document's memo.
pub(crate) fn meta_fields(
    doc: &crate::model::Document,
    opts: &ExportOptions,
) -> Vec<(String, String)> {
    let l = opts.lang.labels();
    let m = &doc.meta;
    let mut out: Vec<(String, String)> = [
        (l.speaker, &m.speaker),
        (l.date, &m.date),
        (l.occasion, &m.occasion),
        (l.place, &m.place),
        (l.group, &m.group),
        (l.level, &m.level),
        (l.region, &m.region),
        (l.kind, &m.kind),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.trim().to_string()))
    .collect();
    out.extend(
        m.attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string())),
    );
    if opts.notes {
        out.push((l.memo.to_string(), m.memo.trim().to_string()));
    }
    out.retain(|(_, v)| !v.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_take_the_first_tags_colour_tinted() {
        let mut ws = crate::sample::sample_workspace();
        let tag = ws.tags[0].clone();
        let a = ws.annotations.iter_mut().find(|a| !a.orphan).unwrap();
        a.tags = vec![tag.id];
        a.color = "#000000".into();
        let a = a.clone();
        assert_eq!(
            Some(highlight_rgb(&ws, &a)),
            crate::model::parse_hex_color(&tag.color)
        );
        let mut untagged = a.clone();
        untagged.tags.clear();
        assert_eq!(highlight_rgb(&ws, &untagged), [0, 0, 0]);
        untagged.color = "red".into();
        assert_eq!(highlight_rgb(&ws, &untagged), [0xF2, 0xC9, 0x4C]);
        assert_eq!(tint([0, 0, 0], 70), [179, 179, 179]);
        assert_eq!(tint([255, 255, 255], 70), [255, 255, 255]);
        assert_eq!(tint([0x12, 0x34, 0x56], 0), [0x12, 0x34, 0x56]);
        assert_eq!(tint([0x12, 0x34, 0x56], 100), [255, 255, 255]);
    }

    #[test]
    fn the_author_defaults_to_yinwen() {
        let mut opts = ExportOptions::default();
        assert_eq!(opts.author_name(), "Yinwen");
        assert_eq!(opts.lang, Lang::En);
        opts.author = " 李明 ".into();
        assert_eq!(opts.author_name(), "李明");
    }

    #[test]
    fn rows_of_the_sample_follow_the_options() {
        let ws = crate::sample::sample_workspace();
        let all = rows(&ws, &ExportOptions::default());
        assert_eq!(
            all.len(),
            ws.annotations.iter().filter(|a| !a.orphan).count()
        );
        assert!(
            all.iter()
                .any(|r| r.kind == "directive" && !r.source_title.is_empty())
        );
        assert!(all.windows(2).all(|w| w[0].paragraph <= w[1].paragraph));
        let no_notes = rows(
            &ws,
            &ExportOptions {
                notes: false,
                ..Default::default()
            },
        );
        assert!(no_notes.iter().all(|r| r.note.is_empty()));
        let t = ws.tags.iter().find(|t| t.name == "社区服务").unwrap().id;
        let some = rows(
            &ws,
            &ExportOptions {
                tags: Some(vec![t]),
                ..Default::default()
            },
        );
        assert!(!some.is_empty() && some.len() < all.len());
        assert!(some.iter().all(|r| r.tags.contains("社区服务")));
    }
}
