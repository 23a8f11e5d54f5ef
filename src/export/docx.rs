//! Word export: the speeches as a `.docx` whose annotations are real Word comments.
//!
//! The package is written by hand (WordprocessingML through the `zip` crate): `[Content_Types].xml`,
//! `_rels/.rels`, `word/document.xml`, `word/styles.xml`, `word/comments.xml` and
//! `word/_rels/document.xml.rels`.
//!
//! # Layout
//! Every exported document starts with a **title block of exactly [`TITLE_BLOCK_PARAGRAPHS`]
//! Word paragraphs**: its display name (style "Title"; documents after the first also start a
//! new page) and a metadata line (speaker, date, occasion, place joined by " · ", style
//! "Subtitle"; an empty paragraph when there is no metadata). Then comes one Word paragraph per
//! line of the text (the text split at `\n`; blank lines give empty paragraphs), so a re-import
//! of the file gives back exactly the document's text after the title block, and the same
//! 第N段 numbering. Tabs become `w:tab`; control chars that XML cannot hold are dropped.
//!
//! Every selected annotation becomes one comment anchored to its span
//! (`w:commentRangeStart` … `w:commentRangeEnd` plus a `w:commentReference` run): spans may cross
//! runs and paragraphs, and overlapping annotations are separate comments. The comment holds
//! the note (when `opts.notes`), the tag paths, and for directives the source citation (when
//! `opts.sources`) and the verification status (when `opts.verification`).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

pub use super::table::ExportError;
use super::{ExportOptions, selected_annotations, selected_documents};
use crate::model::{Annotation, Document, Workspace};

/// Number of Word paragraphs before each document's text: title and metadata line.
pub const TITLE_BLOCK_PARAGRAPHS: usize = 2;

/// Namespace of WordprocessingML.
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The XML declaration every part starts with.
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Comment author written on every comment.
const AUTHOR: &str = "Yinwen";

/// Whether a char goes into a text run as it is (tabs and line breaks are handled by the
/// callers, which split them out).
fn xml_char(c: char) -> bool {
    crate::xml::is_xml_char(c) && !matches!(c, '\t' | '\n' | '\r')
}

/// Appends `s` XML-escaped (`& < > " '`), dropping every char XML cannot hold, including tabs
/// and line breaks (callers split those out first).
fn push_escaped(out: &mut String, s: &str) {
    crate::xml::push_attr(out, s, false);
}

/// Appends a run of text: tabs as `w:tab`, the rest in `w:t` with spaces preserved.
/// Nothing is written for an empty string.
fn push_run(out: &mut String, text: &str, style: Option<&str>) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    if let Some(style) = style {
        out.push_str("<w:rPr><w:rStyle w:val=\"");
        out.push_str(style);
        out.push_str("\"/></w:rPr>");
    }
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            push_escaped(out, piece);
            out.push_str("</w:t>");
        }
    }
    out.push_str("</w:r>");
}

/// Appends a paragraph of one style holding `text` (one run).
fn push_styled_paragraph(out: &mut String, style: &str, page_break: bool, text: &str) {
    out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
    out.push_str(style);
    out.push_str("\"/>");
    if page_break {
        out.push_str("<w:pageBreakBefore/>");
    }
    out.push_str("</w:pPr>");
    push_run(out, &text.replace(['\n', '\r'], " "), None);
    out.push_str("</w:p>");
}

/// A comment boundary in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Mark {
    /// Char position in the document text.
    pos: usize,
    /// Order among marks at the same position: ends of non-empty spans (0), starts (1), ends
    /// of empty spans (2).
    order: u8,
    /// Comment ID.
    id: usize,
}

impl Mark {
    /// Writes the mark: a range start, or a range end followed by the reference run.
    fn push(&self, out: &mut String) {
        if self.order == 1 {
            out.push_str(&format!("<w:commentRangeStart w:id=\"{}\"/>", self.id));
        } else {
            out.push_str(&format!(
                "<w:commentRangeEnd w:id=\"{0}\"/><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:commentReference w:id=\"{0}\"/></w:r>",
                self.id
            ));
        }
    }
}

/// The start and end marks of the comments `first_id..` on `anns`, sorted; spans are clamped
/// to the text's `len` chars.
fn marks(anns: &[&Annotation], first_id: usize, len: usize) -> Vec<Mark> {
    let mut out = Vec::with_capacity(anns.len() * 2);
    for (i, a) in anns.iter().enumerate() {
        let id = first_id + i;
        let start = a.anchor.start.0.min(len);
        let end = a.anchor.end.0.clamp(start, len);
        out.push(Mark {
            pos: start,
            order: 1,
            id,
        });
        out.push(Mark {
            pos: end,
            order: if end == start { 2 } else { 0 },
            id,
        });
    }
    out.sort();
    out
}

/// Appends the body paragraphs of one document: one per line, with the comment marks.
fn push_text(out: &mut String, doc: &Document, marks: &[Mark]) {
    let mut next = 0; // index of the next mark to write
    let mut pos = 0; // char position of the current char
    let lines: Vec<&str> = doc.text.split('\n').collect();
    let last = lines.len() - 1;
    for (li, line) in lines.iter().enumerate() {
        out.push_str("<w:p>");
        let mut pending = String::new();
        for c in line.chars() {
            if next < marks.len() && marks[next].pos <= pos {
                push_run(out, &std::mem::take(&mut pending), None);
                while next < marks.len() && marks[next].pos <= pos {
                    marks[next].push(out);
                    next += 1;
                }
            }
            if c == '\t' || xml_char(c) {
                pending.push(c);
            }
            pos += 1;
        }
        push_run(out, &pending, None);
        // Marks at the line end (the `\n`), or anywhere after the text for the last line.
        while next < marks.len() && (marks[next].pos <= pos || li == last) {
            marks[next].push(out);
            next += 1;
        }
        out.push_str("</w:p>");
        pos += 1; // the `\n`
    }
}

/// The metadata line of a document's title block.
fn metadata_line(doc: &Document) -> String {
    let m = &doc.meta;
    [&m.speaker, &m.date, &m.occasion, &m.place]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The source line of a directive: the linked source's citation, else what the attribution
/// names.
fn source_line(ws: &Workspace, a: &Annotation) -> Option<String> {
    super::citation(ws, a).filter(|c| !c.is_empty())
}

/// The paragraphs of one comment's text.
fn comment_lines(ws: &Workspace, a: &Annotation, opts: &ExportOptions) -> Vec<String> {
    let mut lines = Vec::new();
    if opts.notes && !a.note.trim().is_empty() {
        lines.extend(a.note.lines().map(str::to_string));
    }
    if !a.tags.is_empty() {
        let tags: Vec<String> = a.tags.iter().map(|t| ws.tag_path(*t)).collect();
        lines.push(format!("Tags: {}", tags.join("; ")));
    }
    if let Some(d) = &a.directive {
        if opts.sources
            && let Some(src) = source_line(ws, a)
        {
            lines.push(format!("Source: {src}"));
        }
        if opts.verification
            && let Some(v) = &d.verification
        {
            lines.push(format!(
                "Verification: {} (similarity {:.2})",
                v.status.word(),
                v.similarity
            ));
        }
    }
    lines
}

/// Appends one `w:comment`: the first paragraph carries the annotation mark and the first
/// line, every further line is a paragraph of its own.
fn push_comment(out: &mut String, id: usize, lines: &[String]) {
    out.push_str(&format!(
        "<w:comment w:id=\"{id}\" w:author=\"{AUTHOR}\" w:initials=\"YW\">"
    ));
    const PARA: &str = "<w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr>";
    out.push_str(PARA);
    out.push_str(
        "<w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:annotationRef/></w:r>",
    );
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(PARA);
        }
        push_run(out, line, None);
        out.push_str("</w:p>");
    }
    if lines.is_empty() {
        out.push_str("</w:p>");
    }
    out.push_str("</w:comment>");
}

/// `word/styles.xml`: CJK-aware defaults (Times New Roman for Latin, SimSun/宋体 for Chinese,
/// language zh-CN) and the styles the export uses.
fn styles_xml() -> String {
    format!(
        r#"{XML_DECL}
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="SimSun" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Subtitle"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="120"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="SimHei"/><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:color w:val="595959"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style></w:styles>"#
    )
}

/// `[Content_Types].xml`.
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#;

/// `_rels/.rels`.
const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// `word/_rels/document.xml.rels`.
const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#;

/// Page setup: A4 with the margins of Chinese official documents, roughly.
const SECTION: &str = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1588" w:bottom="1440" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>"#;

/// The speech(es) as a Word document: per selected document a title block (see the
/// [module docs](self)), one Word paragraph per line of text, and every selected annotation as
/// a Word comment anchored to its span.
///
/// # Errors
/// [`ExportError::Docx`] when the ZIP package cannot be written.
pub fn to_docx(ws: &Workspace, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let mut body = String::new();
    let mut comments = String::new();
    let mut next_id = 0;
    for (i, doc) in selected_documents(ws, opts).into_iter().enumerate() {
        push_styled_paragraph(&mut body, "Title", i > 0, &doc.display_name());
        push_styled_paragraph(&mut body, "Subtitle", false, &metadata_line(doc));
        let anns = selected_annotations(ws, doc.id, opts);
        let marks = marks(&anns, next_id, doc.text.chars().count());
        push_text(&mut body, doc, &marks);
        for a in &anns {
            push_comment(&mut comments, next_id, &comment_lines(ws, a, opts));
            next_id += 1;
        }
    }
    let document = format!(
        "{XML_DECL}\n<w:document xmlns:w=\"{W_NS}\"><w:body>{body}{SECTION}</w:body></w:document>"
    );
    let comments = format!("{XML_DECL}\n<w:comments xmlns:w=\"{W_NS}\">{comments}</w:comments>");
    let parts: [(&str, &str); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/document.xml", &document),
        ("word/styles.xml", &styles_xml()),
        ("word/comments.xml", &comments),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
    ];
    zip_parts(&parts).map_err(|e| ExportError::Docx(e.to_string()))
}

/// A ZIP (deflated) holding the parts in order.
fn zip_parts(parts: &[(&str, &str)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        w.start_file(*name, options)?;
        w.write_all(content.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Read;

    use quick_xml::Reader;
    use quick_xml::events::Event;

    use super::*;
    use crate::import::{EncodingChoice, decode_bytes};
    use crate::model::{Anchor, AnnId, CharIndex, DocId, DocMeta, Document, Origin, Workspace};

    /// Every part of a ZIP, by name.
    fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.insert(f.name().to_string(), s);
        }
        out
    }

    /// Parses XML to the end, panicking on any error (end names are checked).
    fn well_formed(name: &str, xml: &str) {
        let mut r = Reader::from_str(xml);
        let mut depth = 0i64;
        loop {
            match r.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::GeneralRef(g)) => {
                    let g = String::from_utf8_lossy(&g).to_string();
                    assert!(
                        ["amp", "lt", "gt", "quot", "apos"].contains(&g.as_str())
                            || g.starts_with('#'),
                        "{name}: unknown entity {g}"
                    );
                }
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name}: unbalanced");
    }

    /// The text of one of the five predefined entities.
    fn entity(name: &[u8]) -> &'static str {
        match name {
            b"amp" => "&",
            b"lt" => "<",
            b"gt" => ">",
            b"quot" => "\"",
            b"apos" => "'",
            _ => panic!("unexpected entity"),
        }
    }

    /// Text of the `w:t`/`w:tab` content inside each comment range of `document.xml`, by
    /// comment ID (paragraph ends as `\n`).
    fn ranged_text(xml: &str) -> BTreeMap<usize, String> {
        let mut r = Reader::from_str(xml);
        let mut open: Vec<usize> = Vec::new();
        let mut out: BTreeMap<usize, String> = BTreeMap::new();
        let mut in_t = false;
        let id_of = |e: &quick_xml::events::BytesStart<'_>| -> usize {
            let a = e.try_get_attribute("w:id").unwrap().unwrap();
            a.unescape_value().unwrap().parse().unwrap()
        };
        let mut push = |open: &Vec<usize>, s: &str| {
            for id in open {
                out.entry(*id).or_default().push_str(s);
            }
        };
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                Event::Empty(e) => match e.name().as_ref() {
                    b"w:commentRangeStart" => {
                        let id = id_of(&e);
                        push(&vec![id], "");
                        open.push(id);
                    }
                    b"w:commentRangeEnd" => {
                        let id = id_of(&e);
                        open.retain(|o| *o != id);
                    }
                    b"w:tab" => push(&open, "\t"),
                    _ => {}
                },
                Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
                Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
                Event::End(e) if e.name().as_ref() == b"w:p" => push(&open, "\n"),
                Event::Text(t) if in_t => push(&open, &t.decode().unwrap()),
                Event::GeneralRef(g) if in_t => {
                    let s = entity(AsRef::<[u8]>::as_ref(&*g));
                    push(&open, s);
                }
                _ => {}
            }
        }
        out
    }

    /// Text of each comment of `comments.xml` (paragraphs joined by `\n`), by ID.
    fn comment_texts(xml: &str) -> BTreeMap<usize, String> {
        let mut r = Reader::from_str(xml);
        let mut out = BTreeMap::new();
        let mut cur: Option<(usize, Vec<String>)> = None;
        let mut in_t = false;
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(e) if e.name().as_ref() == b"w:comment" => {
                    let a = e.try_get_attribute("w:id").unwrap().unwrap();
                    cur = Some((a.unescape_value().unwrap().parse().unwrap(), Vec::new()));
                }
                Event::End(e) if e.name().as_ref() == b"w:comment" => {
                    let (id, ps) = cur.take().unwrap();
                    out.insert(id, ps.join("\n"));
                }
                Event::Start(e) if e.name().as_ref() == b"w:p" => {
                    cur.as_mut().unwrap().1.push(String::new());
                }
                Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
                Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
                Event::Empty(e) if e.name().as_ref() == b"w:tab" => {
                    cur.as_mut().unwrap().1.last_mut().unwrap().push('\t');
                }
                Event::Text(t) if in_t => {
                    let s = t.decode().unwrap();
                    cur.as_mut().unwrap().1.last_mut().unwrap().push_str(&s);
                }
                Event::GeneralRef(g) if in_t => {
                    let s = entity(AsRef::<[u8]>::as_ref(&*g));
                    cur.as_mut().unwrap().1.last_mut().unwrap().push_str(s);
                }
                _ => {}
            }
        }
        out
    }

    /// A one-document workspace holding `text` and annotations on the char ranges.
    fn workspace_with(text: &str, title: &str, spans: &[(usize, usize, &str)]) -> Workspace {
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
                color: String::new(),
                note: note.to_string(),
                tags: Vec::new(),
                orphan: false,
                directive: None,
            });
        }
        ws
    }

    /// The re-imported text with the title block stripped.
    fn reimported_body(bytes: &[u8]) -> String {
        let text = decode_bytes(bytes, EncodingChoice::Auto).unwrap().text;
        text.splitn(TITLE_BLOCK_PARAGRAPHS + 1, '\n')
            .nth(TITLE_BLOCK_PARAGRAPHS)
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn sample_comments_match_the_annotations() {
        let ws = crate::sample::sample_workspace();
        let opts = ExportOptions::default();
        let bytes = to_docx(&ws, &opts).unwrap();
        let p = parts(&bytes);
        for (name, xml) in &p {
            well_formed(name, xml);
        }
        let doc = &ws.documents[0];
        let anns = selected_annotations(&ws, doc.id, &opts);
        let comments = comment_texts(&p["word/comments.xml"]);
        assert_eq!(comments.len(), anns.len());
        assert_eq!(
            p["word/comments.xml"].matches("<w:comment ").count(),
            anns.len()
        );
        let ranges = ranged_text(&p["word/document.xml"]);
        assert_eq!(ranges.len(), anns.len());
        let xml = &p["word/document.xml"];
        for (id, a) in anns.iter().enumerate() {
            assert!(comments[&id].starts_with(a.note.lines().next().unwrap_or("")));
            assert_eq!(ranges[&id], a.anchor.quote, "comment {id}");
            for tag in ["commentRangeStart", "commentRangeEnd", "commentReference"] {
                assert_eq!(xml.matches(&format!("<w:{tag} w:id=\"{id}\"/>")).count(), 1);
            }
            if a.directive.is_some() {
                assert!(comments[&id].contains("Source: "), "{}", comments[&id]);
            }
        }
        assert!(p["word/styles.xml"].contains("w:eastAsia=\"SimSun\""));
        assert!(p["word/styles.xml"].contains("w:eastAsia=\"zh-CN\""));
        // The text survives a re-import.
        assert_eq!(reimported_body(&bytes), doc.text);
        let text = decode_bytes(&bytes, EncodingChoice::Auto).unwrap().text;
        assert!(text.starts_with(&format!("{}\n2007 · ", doc.display_name())));

        let no_notes = to_docx(
            &ws,
            &ExportOptions {
                notes: false,
                sources: false,
                verification: false,
                ..Default::default()
            },
        )
        .unwrap();
        let c = comment_texts(&parts(&no_notes)["word/comments.xml"]);
        for (id, a) in anns.iter().enumerate() {
            if !a.note.trim().is_empty() {
                assert!(!c[&id].contains(a.note.trim()), "{}", c[&id]);
            }
            assert!(!c[&id].contains("Source: "));
        }
    }

    #[test]
    fn verification_sample_comments_name_the_status() {
        let ws = crate::sample::verification_sample();
        let bytes = to_docx(&ws, &ExportOptions::default()).unwrap();
        let p = parts(&bytes);
        for (name, xml) in &p {
            well_formed(name, xml);
        }
        let c = &p["word/comments.xml"];
        assert!(c.contains("Verification: verbatim"), "{c}");
        assert!(c.contains("Verification: not_found"), "{c}");
    }

    #[test]
    fn spans_cross_runs_paragraphs_and_overlap() {
        let text = "　　第一段，有\t制表符。\n\n  第二段 <b>&amp;</b> 结束\n第三段";
        let n = text.chars().count();
        let ws = workspace_with(
            text,
            "",
            &[
                (2, 9, "甲"),
                (5, 20, "跨段"),
                (7, 7, "空"),
                (0, n, "全文"),
                (n, n, "末尾"),
                (14, 16, ""),
            ],
        );
        let opts = ExportOptions::default();
        let bytes = to_docx(&ws, &opts).unwrap();
        let p = parts(&bytes);
        for (name, xml) in &p {
            well_formed(name, xml);
        }
        let anns = selected_annotations(&ws, DocId(1), &opts);
        let ranges = ranged_text(&p["word/document.xml"]);
        for (id, a) in anns.iter().enumerate() {
            assert_eq!(ranges[&id], a.anchor.quote, "comment {id}");
        }
        assert_eq!(comment_texts(&p["word/comments.xml"]).len(), 6);
        assert_eq!(reimported_body(&bytes), text);
        // No title: the title block is the display name and an empty metadata line.
        let all = decode_bytes(&bytes, EncodingChoice::Auto).unwrap().text;
        assert!(all.starts_with("Document 1\n\n"), "{all:?}");
    }

    #[test]
    fn hostile_notes_stay_text() {
        let hostile = "<script>alert(1)</script> ]]> &amp; =HYPERLINK(\"x\") 'q'\u{1}\u{FFFF}";
        let text = "引文<核对>&\"测试\"]]>\u{7}结束";
        let ws = workspace_with(text, "标题 <&> ]]>", &[(0, 4, hostile), (2, 6, "第二\n行")]);
        let bytes = to_docx(&ws, &ExportOptions::default()).unwrap();
        let p = parts(&bytes);
        for (name, xml) in &p {
            well_formed(name, xml);
        }
        let comments = &p["word/comments.xml"];
        assert!(!comments.contains("<script>"));
        assert!(comments.contains("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;amp;"));
        let c = comment_texts(comments);
        assert_eq!(
            c[&0],
            "<script>alert(1)</script> ]]> &amp; =HYPERLINK(\"x\") 'q'"
        );
        assert_eq!(c[&1], "第二\n行");
        // Control chars are dropped from the body; everything else comes back.
        assert_eq!(reimported_body(&bytes), text.replace('\u{7}', ""));
        let all = decode_bytes(&bytes, EncodingChoice::Auto).unwrap().text;
        assert!(all.starts_with("标题 <&> ]]>\n"));
    }

    #[test]
    fn several_documents_each_get_a_title_block() {
        let mut ws = workspace_with("甲文", "甲", &[(0, 1, "一")]);
        let mut second = (*ws.documents[0]).clone();
        second.id = DocId(2);
        second.text = "乙文".into();
        second.meta.title = "乙".into();
        ws.documents.push(second.into());
        let mut a = ws.annotations[0].clone();
        a.id = AnnId(99);
        a.doc = DocId(2);
        a.note = "二".into();
        ws.annotations.push(a);
        let bytes = to_docx(&ws, &ExportOptions::default()).unwrap();
        let text = decode_bytes(&bytes, EncodingChoice::Auto).unwrap().text;
        assert_eq!(text, "甲\n\n甲文\n乙\n\n乙文");
        let p = parts(&bytes);
        assert_eq!(
            p["word/document.xml"]
                .matches("<w:pageBreakBefore/>")
                .count(),
            1
        );
        let c = comment_texts(&p["word/comments.xml"]);
        assert_eq!(c.values().cloned().collect::<Vec<_>>(), ["一", "二"]);
        let only_second = to_docx(
            &ws,
            &ExportOptions {
                docs: Some(vec![DocId(2)]),
                ..Default::default()
            },
        )
        .unwrap();
        let c = comment_texts(&parts(&only_second)["word/comments.xml"]);
        assert_eq!(c.values().cloned().collect::<Vec<_>>(), ["二"]);
    }

    /// Converts the sample export to PDF with LibreOffice, when it is installed.
    #[test]
    #[ignore = "needs soffice (LibreOffice)"]
    fn libreoffice_opens_the_sample() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.docx");
        let ws = crate::sample::sample_workspace();
        std::fs::write(&path, to_docx(&ws, &ExportOptions::default()).unwrap()).unwrap();
        let status = match std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&path)
            .status()
        {
            Ok(s) => s,
            Err(e) => {
                eprintln!("soffice not available ({e}); skipped");
                return;
            }
        };
        assert!(status.success());
        let pdf = std::fs::read(dir.path().join("sample.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
