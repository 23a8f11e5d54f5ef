//! Word export: the speeches as a `.docx` whose annotations are real Word comments, laid out
//! the way a Chinese government office sets a document (GB/T 9704 conventions).
//!
//! The package is written by hand (WordprocessingML through the `zip` crate): `[Content_Types].xml`,
//! `_rels/.rels`, `word/document.xml`, `word/styles.xml`, `word/fontTable.xml`,
//! `word/comments.xml` and `word/_rels/document.xml.rels`.
//!
//! # Look
//! Body text in 仿宋_GB2312 三号 (16 pt), Latin text in Times New Roman, fixed line spacing of
//! 29 pt (`w:line="580"`, 22 lines on an A4 page with the standard margins), justified, first
//! line indented by two characters (`w:firstLineChars="200"`; a line that already starts with
//! spaces, as many speeches do with `　　`, gets no second indent). The title in 方正小标宋简体
//! 二号 (22 pt), bold, centred; the metadata line in 楷体_GB2312 三号, centred. Lines numbered
//! like headings of an official document — a short line `一、……` or `（一）……` without a
//! full stop — take the styles "heading 1" (黑体) and "heading 2" (楷体_GB2312), which also
//! fill Word's navigation pane. `word/fontTable.xml` names the fonts Word and LibreOffice fall
//! back to when the GB2312-era fonts are not installed (`w:altName`: 仿宋/FangSong,
//! 楷体/KaiTi, SimHei, 宋体/SimSun), all with the GB2312 character set.
//!
//! # Layout
//! Every exported document starts with a **title block** of [`title_block_paragraphs`] Word
//! paragraphs: its title (the document's details, else its display name; style "Title";
//! documents after the first also start a new page) and, only when there is metadata, a
//! metadata line (speaker, date, occasion, place joined by " · ", style "Subtitle"). Then comes
//! one Word paragraph per line of the text (the text split at `\n`; blank lines give empty
//! paragraphs), so a re-import of the file gives back exactly the document's text after the
//! title block, and the same 第N段 numbering. Tabs become `w:tab`; control chars that XML
//! cannot hold are dropped.
//!
//! Every selected annotation becomes one comment anchored to its span
//! (`w:commentRangeStart` … `w:commentRangeEnd` plus a `w:commentReference` run), and its
//! text is shaded in a light tint of its colour (its first tag's colour, else its own; where
//! annotations overlap, the one that starts last): spans may cross runs and paragraphs, and
//! overlapping annotations are separate comments. The comment holds the note (when
//! `opts.notes`), the tag paths, and for directives where the quotation comes from (when
//! `opts.sources`: the linked source's citation, or that no source is linked and whom the
//! speech names) and the verification status (when `opts.verification`), labelled in
//! `opts.lang`, written by `opts.author`.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

pub use super::table::ExportError;
use super::{ExportOptions, selected_annotations, selected_documents};
use crate::model::{Annotation, Document, Workspace};

/// Namespace of WordprocessingML.
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The XML declaration every part starts with.
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Latin text, everywhere.
const FONT_LATIN: &str = "Times New Roman";
/// Body text (仿宋_GB2312 三号).
const FONT_BODY: &str = "仿宋_GB2312";
/// The title (方正小标宋简体 二号).
const FONT_TITLE: &str = "方正小标宋简体";
/// Headings of level 1 (黑体).
const FONT_HEADING1: &str = "黑体";
/// Headings of level 2 and the metadata line (楷体_GB2312).
const FONT_HEADING2: &str = "楷体_GB2312";
/// Comment text (宋体, small).
const FONT_COMMENT: &str = "宋体";

/// Body and heading size in half-points: 三号, 16 pt.
const SIZE_BODY: u32 = 32;
/// Title size in half-points: 二号, 22 pt.
const SIZE_TITLE: u32 = 44;
/// Fixed line pitch in twentieths of a point: 29 pt.
const LINE_PITCH: u32 = 580;

/// How much white is mixed into a highlight colour for the run shading, in percent.
const SHADING_WHITE: u8 = 70;

/// The fonts of `word/fontTable.xml`: name, alternative names (comma-separated, as
/// `w:altName` takes them), PANOSE when known, character set, family and pitch.
const FONTS: [(&str, &str, &str, &str, &str, &str); 6] = [
    (
        FONT_LATIN,
        "",
        "02020603050405020304",
        "00",
        "roman",
        "variable",
    ),
    (FONT_BODY, "仿宋,FangSong", "", "86", "modern", "fixed"),
    (
        FONT_TITLE,
        "方正小标宋_GBK,宋体,SimSun",
        "",
        "86",
        "auto",
        "variable",
    ),
    (
        FONT_HEADING1,
        "SimHei",
        "02010609060101010101",
        "86",
        "modern",
        "fixed",
    ),
    (FONT_HEADING2, "楷体,KaiTi", "", "86", "modern", "fixed"),
    (
        FONT_COMMENT,
        "SimSun",
        "02010600030101010101",
        "86",
        "auto",
        "variable",
    ),
];

/// Number of Word paragraphs written before a document's text: its title, and its metadata
/// line when it has metadata.
pub fn title_block_paragraphs(doc: &Document) -> usize {
    if metadata_line(doc).is_empty() { 1 } else { 2 }
}

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

/// Appends a run of text with the run properties `rpr` (a whole `<w:rPr>…</w:rPr>`, or empty):
/// tabs as `w:tab`, the rest in `w:t` with spaces preserved. Nothing is written for an empty
/// string.
fn push_run(out: &mut String, text: &str, rpr: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    out.push_str(rpr);
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

/// The run properties that shade a run in `fill` (`RRGGBB`).
fn shading(fill: &str) -> String {
    format!("<w:rPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/></w:rPr>")
}

/// Appends a paragraph of one style holding `text` (one run); `gap_after` leaves a blank
/// line's space after it (the end of a title block).
fn push_styled_paragraph(
    out: &mut String,
    style: &str,
    page_break: bool,
    gap_after: bool,
    text: &str,
) {
    out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
    out.push_str(style);
    out.push_str("\"/>");
    if page_break {
        out.push_str("<w:pageBreakBefore/>");
    }
    if gap_after {
        out.push_str(&format!("<w:spacing w:after=\"{LINE_PITCH}\"/>"));
    }
    out.push_str("</w:pPr>");
    push_run(out, &text.replace(['\n', '\r'], " "), "");
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
    /// Whether this mark opens its comment's range.
    fn is_start(&self) -> bool {
        self.order == 1
    }

    /// Writes the mark: a range start, or a range end followed by the reference run.
    fn push(&self, out: &mut String) {
        if self.is_start() {
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

/// The comments open at a point of the text, in the order they opened, and the run
/// properties that shade text there (the colour of the one opened last).
struct Shading<'a> {
    /// Run properties of each comment, indexed by comment ID − `first_id`.
    rpr: &'a [String],
    /// The ID of the first comment of this document.
    first_id: usize,
    /// Comments open here.
    open: Vec<usize>,
}

impl Shading<'_> {
    /// Applies a mark to the open comments.
    fn apply(&mut self, m: &Mark) {
        if m.is_start() {
            self.open.push(m.id);
        } else if let Some(k) = self.open.iter().rposition(|&id| id == m.id) {
            self.open.remove(k);
        }
    }

    /// The run properties of text here.
    fn rpr(&self) -> &str {
        self.open
            .last()
            .and_then(|id| self.rpr.get(id - self.first_id))
            .map_or("", String::as_str)
    }
}

/// The outline level of a line numbered like a heading of an official document: `一、……`
/// (1) or `（一）……` (2) — a short line (at most 40 chars) with no full stop, question or
/// exclamation mark or semicolon in it. A numbered line that runs on into sentences is text.
fn heading_level(line: &str) -> Option<u8> {
    const NUMERALS: &str = "一二三四五六七八九十百零〇两";
    let t = line.trim();
    let n = t.chars().count();
    if !(3..=40).contains(&n) || t.contains(['。', '！', '？', '；', '!', '?', ';']) {
        return None;
    }
    /// What follows a Chinese numeral of one to four chars at the start of `s`.
    fn numeral(s: &str) -> Option<&str> {
        let k = s.chars().take_while(|c| NUMERALS.contains(*c)).count();
        let b: usize = s.chars().take(k).map(char::len_utf8).sum();
        (1..=4).contains(&k).then(|| &s[b..])
    }
    if let Some(rest) = numeral(t)
        && rest.starts_with('、')
    {
        return Some(1);
    }
    let inner = t.strip_prefix('（').or_else(|| t.strip_prefix('('))?;
    let rest = numeral(inner)?;
    let rest = rest.strip_prefix('）').or_else(|| rest.strip_prefix(')'))?;
    (!rest.trim().is_empty()).then_some(2)
}

/// The paragraph properties of one line of text: a heading style for a numbered heading, and
/// no first-line indent for a line whose text is already indented.
fn line_ppr(line: &str) -> String {
    let mut ppr = String::new();
    match heading_level(line) {
        Some(1) => ppr.push_str("<w:pStyle w:val=\"Heading1\"/>"),
        Some(_) => ppr.push_str("<w:pStyle w:val=\"Heading2\"/>"),
        None => {}
    }
    if line.starts_with([' ', '\u{3000}', '\t', '\u{A0}']) {
        ppr.push_str("<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>");
    }
    if ppr.is_empty() {
        ppr
    } else {
        format!("<w:pPr>{ppr}</w:pPr>")
    }
}

/// Appends the body paragraphs of one document: one per line, with the comment marks and the
/// shading of annotated text.
fn push_text(out: &mut String, doc: &Document, marks: &[Mark], shade: &mut Shading<'_>) {
    let mut next = 0; // index of the next mark to write
    let mut pos = 0; // char position of the current char
    let lines: Vec<&str> = doc.text.split('\n').collect();
    let last = lines.len() - 1;
    for (li, line) in lines.iter().enumerate() {
        out.push_str("<w:p>");
        out.push_str(&line_ppr(line));
        let mut pending = String::new();
        for c in line.chars() {
            if next < marks.len() && marks[next].pos <= pos {
                push_run(out, &std::mem::take(&mut pending), shade.rpr());
                while next < marks.len() && marks[next].pos <= pos {
                    marks[next].push(out);
                    shade.apply(&marks[next]);
                    next += 1;
                }
            }
            if c == '\t' || xml_char(c) {
                pending.push(c);
            }
            pos += 1;
        }
        push_run(out, &pending, shade.rpr());
        // Marks at the line end (the `\n`), or anywhere after the text for the last line.
        while next < marks.len() && (marks[next].pos <= pos || li == last) {
            marks[next].push(out);
            shade.apply(&marks[next]);
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

/// The title of a document's title block: its title in its details, else its display name.
fn title_of(doc: &Document) -> String {
    match doc.meta.title.trim() {
        "" => doc.display_name(),
        t => t.to_string(),
    }
}

/// The paragraphs of one comment's text.
fn comment_lines(ws: &Workspace, a: &Annotation, opts: &ExportOptions) -> Vec<String> {
    let lang = opts.lang;
    let mut lines = Vec::new();
    if opts.notes && !a.note.trim().is_empty() {
        lines.extend(a.note.lines().map(str::to_string));
    }
    if !a.tags.is_empty() {
        let tags: Vec<String> = a.tags.iter().map(|t| ws.tag_path(*t)).collect();
        lines.push(lang.tags_line(&tags));
    }
    if let Some(d) = &a.directive {
        if opts.sources
            && let Some(src) = super::source_phrase(ws, a, lang)
        {
            lines.push(src);
        }
        if opts.verification
            && let Some(v) = &d.verification
        {
            lines.push(lang.verification_line(v.status, v.similarity, d.verification_stale));
        }
    }
    lines
}

/// Word's initials for a comment author: the first letter of each word of a Latin name (at
/// most three, upper case; "YW" for Yinwen), the first char of a Chinese name (the surname).
fn initials(author: &str) -> String {
    if author == super::DEFAULT_AUTHOR {
        return "YW".into();
    }
    let words: Vec<&str> = author.split_whitespace().collect();
    let latin_words = words.len() > 1
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()));
    if latin_words {
        words
            .iter()
            .filter_map(|w| w.chars().next())
            .take(3)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    } else {
        author
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .collect()
    }
}

/// Appends one `w:comment`: the first paragraph carries the annotation mark and the first
/// line, every further line is a paragraph of its own.
fn push_comment(out: &mut String, id: usize, author: &str, initials: &str, lines: &[String]) {
    out.push_str(&format!("<w:comment w:id=\"{id}\" w:author=\""));
    push_escaped(out, author);
    out.push_str("\" w:initials=\"");
    push_escaped(out, initials);
    out.push_str("\">");
    const PARA: &str = "<w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr>";
    out.push_str(PARA);
    out.push_str(
        "<w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:annotationRef/></w:r>",
    );
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(PARA);
        }
        push_run(out, line, "");
        out.push_str("</w:p>");
    }
    if lines.is_empty() {
        out.push_str("</w:p>");
    }
    out.push_str("</w:comment>");
}

/// `w:rFonts` with Times New Roman for Latin text and `east_asia` for Chinese.
fn rfonts(east_asia: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{FONT_LATIN}\" w:hAnsi=\"{FONT_LATIN}\" w:eastAsia=\"{east_asia}\" w:cs=\"{FONT_LATIN}\" w:hint=\"eastAsia\"/>"
    )
}

/// `w:sz` and `w:szCs` of `half_points`.
fn size(half_points: u32) -> String {
    format!("<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>")
}

/// `word/styles.xml`: GB/T 9704 defaults (see the [module docs](self)) and the styles the
/// export uses: Normal, Title, Subtitle, heading 1, heading 2, the comment styles.
fn styles_xml() -> String {
    let no_indent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    let body = rfonts(FONT_BODY);
    let title = rfonts(FONT_TITLE);
    let h1 = rfonts(FONT_HEADING1);
    let h2 = rfonts(FONT_HEADING2);
    let comment = rfonts(FONT_COMMENT);
    let body_size = size(SIZE_BODY);
    let title_size = size(SIZE_TITLE);
    let indent = SIZE_BODY * 10 * 2; // two characters, in twips
    format!(
        r#"{XML_DECL}
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{body}<w:kern w:val="2"/>{body_size}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="{indent}"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Subtitle"/><w:qFormat/><w:pPr><w:keepNext/>{no_indent}<w:jc w:val="center"/></w:pPr><w:rPr>{title}<w:b/><w:bCs/>{title_size}</w:rPr></w:style><w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>{no_indent}<w:jc w:val="center"/></w:pPr><w:rPr>{h2}{body_size}</w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>{h1}{body_size}</w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>{h2}{body_size}</w:rPr></w:style><w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:pPr>{no_indent}<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr>{comment}<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style></w:styles>"#
    )
}

/// `word/fontTable.xml`: the fonts the styles name, with the names to fall back to.
fn font_table_xml() -> String {
    let mut out = format!("{XML_DECL}\n<w:fonts xmlns:w=\"{W_NS}\">");
    for (name, alt, panose, charset, family, pitch) in FONTS {
        out.push_str(&format!("<w:font w:name=\"{name}\">"));
        if !alt.is_empty() {
            out.push_str(&format!("<w:altName w:val=\"{alt}\"/>"));
        }
        if !panose.is_empty() {
            out.push_str(&format!("<w:panose1 w:val=\"{panose}\"/>"));
        }
        out.push_str(&format!(
            "<w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        ));
    }
    out.push_str("</w:fonts>");
    out
}

/// `[Content_Types].xml`.
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#;

/// `_rels/.rels`.
const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// `word/_rels/document.xml.rels`.
const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>"#;

/// Page setup: A4 with the margins of GB/T 9704 (top 37 mm, inner 28 mm, a 156 × 225 mm
/// type area).
const SECTION: &str = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>"#;

/// The speech(es) as a Word document: per selected document a title block (see the
/// [module docs](self)), one Word paragraph per line of text, and every selected annotation as
/// a Word comment anchored to its span, its text shaded in its colour.
///
/// # Errors
/// [`ExportError::Docx`] when the ZIP package cannot be written.
pub fn to_docx(ws: &Workspace, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let mut body = String::new();
    let mut comments = String::new();
    let mut next_id = 0;
    let author = opts.author_name();
    let author_initials = initials(author);
    for (i, doc) in selected_documents(ws, opts).into_iter().enumerate() {
        let meta = metadata_line(doc);
        push_styled_paragraph(&mut body, "Title", i > 0, meta.is_empty(), &title_of(doc));
        if !meta.is_empty() {
            push_styled_paragraph(&mut body, "Subtitle", false, true, &meta);
        }
        let anns = selected_annotations(ws, doc.id, opts);
        let marks = marks(&anns, next_id, doc.text.chars().count());
        let rpr: Vec<String> = anns
            .iter()
            .map(|a| {
                let [r, g, b] = super::tint(super::highlight_rgb(ws, a), SHADING_WHITE);
                shading(&format!("{r:02X}{g:02X}{b:02X}"))
            })
            .collect();
        let mut shade = Shading {
            rpr: &rpr,
            first_id: next_id,
            open: Vec::new(),
        };
        push_text(&mut body, doc, &marks, &mut shade);
        for a in &anns {
            let lines = comment_lines(ws, a, opts);
            push_comment(&mut comments, next_id, author, &author_initials, &lines);
            next_id += 1;
        }
    }
    let document = format!(
        "{XML_DECL}\n<w:document xmlns:w=\"{W_NS}\"><w:body>{body}{SECTION}</w:body></w:document>"
    );
    let comments = format!("{XML_DECL}\n<w:comments xmlns:w=\"{W_NS}\">{comments}</w:comments>");
    let parts: [(&str, &str); 7] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/document.xml", &document),
        ("word/styles.xml", &styles_xml()),
        ("word/fontTable.xml", &font_table_xml()),
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
    use crate::model::{AnnId, DocId, Workspace};

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
        crate::export::test_workspace(text, title, spans, "")
    }

    /// The re-imported text with the title block (`block` paragraphs) stripped.
    fn reimported_body(bytes: &[u8], block: usize) -> String {
        let text = decode_bytes(bytes, EncodingChoice::Auto).unwrap().text;
        text.splitn(block + 1, '\n')
            .nth(block)
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
        assert!(p["word/styles.xml"].contains("w:eastAsia=\"仿宋_GB2312\""));
        assert!(p["word/styles.xml"].contains("w:eastAsia=\"zh-CN\""));
        // The text survives a re-import.
        assert_eq!(title_block_paragraphs(doc), 2);
        assert_eq!(reimported_body(&bytes, 2), doc.text);
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
        assert_eq!(title_block_paragraphs(&ws.documents[0]), 1);
        assert_eq!(reimported_body(&bytes, 1), text);
        // No title and no metadata: the title block is the display name alone.
        let all = decode_bytes(&bytes, EncodingChoice::Auto).unwrap().text;
        assert_eq!(all, format!("Document 1\n{text}"));
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
        assert_eq!(reimported_body(&bytes, 1), text.replace('\u{7}', ""));
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
        assert_eq!(text, "甲\n甲文\n乙\n乙文");
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

    /// The text runs of `document.xml` in order: their text and their shading fill.
    fn runs(xml: &str) -> Vec<(String, Option<String>)> {
        let mut r = Reader::from_str(xml);
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        let mut in_t = false;
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(e) if e.name().as_ref() == b"w:r" => out.push((String::new(), None)),
                Event::Empty(e) if e.name().as_ref() == b"w:shd" => {
                    let fill = e.try_get_attribute("w:fill").unwrap().unwrap();
                    out.last_mut().unwrap().1 = Some(fill.unescape_value().unwrap().into());
                }
                Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
                Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
                Event::Text(t) if in_t => out.last_mut().unwrap().0.push_str(&t.decode().unwrap()),
                _ => {}
            }
        }
        out.retain(|(t, _)| !t.is_empty());
        out
    }

    /// A tag of the given colour, added to `ws`; returns its ID.
    fn add_tag(ws: &mut Workspace, name: &str, color: &str) -> crate::model::TagId {
        let id = crate::model::TagId(500 + ws.tags.len() as u64);
        ws.tags.push(crate::model::Tag {
            id,
            name: name.into(),
            parent: None,
            color: color.into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        });
        id
    }

    #[test]
    fn styles_follow_official_document_conventions() {
        let ws = crate::sample::sample_workspace();
        let p = parts(&to_docx(&ws, &ExportOptions::default()).unwrap());
        let styles = &p["word/styles.xml"];
        well_formed("styles", styles);
        // Defaults: 仿宋_GB2312 三号 (16 pt), Times New Roman for Latin, 29 pt fixed lines.
        let defaults = &styles[..styles.find("</w:docDefaults>").unwrap()];
        for want in [
            "w:eastAsia=\"仿宋_GB2312\"",
            "w:ascii=\"Times New Roman\"",
            "w:hAnsi=\"Times New Roman\"",
            "<w:sz w:val=\"32\"/>",
            "w:line=\"580\" w:lineRule=\"exact\"",
        ] {
            assert!(defaults.contains(want), "defaults lack {want}");
        }
        let style = |id: &str| -> &str {
            let at = styles.find(&format!("w:styleId=\"{id}\"")).unwrap();
            &styles[at..at + styles[at..].find("</w:style>").unwrap()]
        };
        assert!(style("Normal").contains("w:firstLineChars=\"200\""));
        let title = style("Title");
        for want in [
            "w:eastAsia=\"方正小标宋简体\"",
            "<w:b/>",
            "<w:sz w:val=\"44\"/>",
            "<w:jc w:val=\"center\"/>",
            "w:firstLineChars=\"0\"",
        ] {
            assert!(title.contains(want), "Title lacks {want}");
        }
        assert!(style("Heading1").contains("w:eastAsia=\"黑体\""));
        assert!(style("Heading1").contains("<w:outlineLvl w:val=\"0\"/>"));
        assert!(style("Heading2").contains("w:eastAsia=\"楷体_GB2312\""));
        assert!(style("Subtitle").contains("<w:jc w:val=\"center\"/>"));
        // The font table names what to fall back to; the package declares it.
        let fonts = &p["word/fontTable.xml"];
        well_formed("fontTable", fonts);
        assert!(fonts.contains(
            "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋,FangSong\"/><w:charset w:val=\"86\"/>"
        ));
        assert!(fonts.contains(
            "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"方正小标宋_GBK,宋体,SimSun\"/>"
        ));
        assert!(fonts.contains("<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/>"));
        assert!(fonts.contains("<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体,KaiTi\"/>"));
        assert!(p["[Content_Types].xml"].contains("/word/fontTable.xml"));
        assert!(p["word/_rels/document.xml.rels"].contains("Target=\"fontTable.xml\""));
        // The title comes from the details; the metadata line follows it.
        let doc = &p["word/document.xml"];
        assert!(doc.contains(
            "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">市社区建设工作会议讲话</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"Subtitle\"/><w:spacing w:after=\"580\"/>"
        ));
    }

    #[test]
    fn numbered_heading_lines_and_indented_lines() {
        assert_eq!(heading_level("一、过去五年的工作"), Some(1));
        assert_eq!(heading_level("　　十二、加强党的建设"), Some(1));
        assert_eq!(heading_level("（三）统筹城乡发展"), Some(2));
        assert_eq!(heading_level("(四)加强领导"), Some(2));
        assert_eq!(
            heading_level("（一）提高自主创新能力，建设创新型国家。这是国家发展战略的核心。"),
            None
        );
        assert_eq!(heading_level("一是要加强领导"), None);
        assert_eq!(heading_level("一、"), None);
        assert_eq!(heading_level("同志们："), None);
        assert_eq!(heading_level("（）空"), None);
        let text = "一、总体要求\n（一）指导思想\n　　已经缩进的一段。\n没有缩进的一段。";
        let ws = workspace_with(text, "题", &[]);
        let bytes = to_docx(&ws, &ExportOptions::default()).unwrap();
        let xml = &parts(&bytes)["word/document.xml"];
        assert!(xml.contains("<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">一、总体要求"));
        assert!(xml.contains("<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">（一）指导思想"));
        assert!(xml.contains("<w:p><w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr><w:r><w:t xml:space=\"preserve\">　　已经缩进"));
        assert!(xml.contains("<w:p><w:r><w:t xml:space=\"preserve\">没有缩进"));
        assert_eq!(reimported_body(&bytes, 1), text);
    }

    #[test]
    fn annotated_text_is_shaded_in_a_tint_of_its_tag_colour() {
        let text = "甲乙丙丁戊己庚辛";
        let mut ws = workspace_with(
            text,
            "题",
            &[(0, 2, "有标签"), (4, 6, "无标签"), (1, 3, "黑")],
        );
        let blue = add_tag(&mut ws, "蓝", "#2D9CDB");
        let red = add_tag(&mut ws, "红", "#EB5757");
        ws.annotations[0].tags = vec![blue, red];
        ws.annotations[0].color = "#C0392B".into();
        ws.annotations[1].color = "#C0392B".into();
        ws.annotations[2].color = "#000000".into();
        let p = parts(&to_docx(&ws, &ExportOptions::default()).unwrap());
        well_formed("document", &p["word/document.xml"]);
        let got = runs(&p["word/document.xml"]);
        let want: Vec<(String, Option<String>)> = [
            ("题", None),
            ("甲", Some("C0E1F4")), // the first tag's #2D9CDB, 70 % white
            ("乙", Some("B3B3B3")), // the annotation opened last: its own #000000
            ("丙", Some("B3B3B3")),
            ("丁", None),
            ("戊己", Some("ECC4BF")), // no tag: its own #C0392B
            ("庚辛", None),
        ]
        .iter()
        .map(|(t, f)| (t.to_string(), f.map(str::to_string)))
        .collect();
        assert_eq!(got, want);
        assert_eq!(
            crate::export::tint([0xC0, 0x39, 0x2B], 70),
            [0xEC, 0xC4, 0xBF]
        );
        assert_eq!(
            p["word/document.xml"]
                .matches("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"")
                .count(),
            4
        );
        // Shading crosses paragraphs with its span.
        let ws = workspace_with("一段\n二段", "题", &[(1, 4, "跨段")]);
        let got =
            runs(&parts(&to_docx(&ws, &ExportOptions::default()).unwrap())["word/document.xml"]);
        let fill = Some("FBEFC9".to_string()); // the default highlight #F2C94C
        assert_eq!(
            got[1..],
            [
                ("一".to_string(), None),
                ("段".to_string(), fill.clone()),
                ("二".to_string(), fill),
                ("段".to_string(), None)
            ]
        );
    }

    /// A one-document workspace with a directive on "引文" linked to a source (`linked`) or
    /// not, attributed to 胡锦涛《讲话》, verified verbatim.
    fn directive_workspace(linked: bool) -> Workspace {
        use crate::model::{
            Attribution, DirectiveInfo, Source, SourceId, Verification, VerifyStatus,
        };
        let mut ws = workspace_with("他指出：“引文”。", "题", &[(5, 7, "")]);
        ws.sources.push(Source {
            id: SourceId(7),
            title: "关于某事的意见".into(),
            issuer: "国务院".into(),
            doc_number: "国发〔2006〕10号".into(),
            ..Default::default()
        });
        let tag = add_tag(&mut ws, "重要论述", "#C0392B");
        let a = &mut ws.annotations[0];
        a.tags = vec![tag];
        a.directive = Some(DirectiveInfo {
            attribution: Attribution {
                speaker: "胡锦涛".into(),
                source_title: "讲话".into(),
                ..Default::default()
            },
            source: linked.then_some(SourceId(7)),
            verification: Some(Verification {
                status: VerifyStatus::Verbatim,
                source: SourceId(7),
                span: None,
                similarity: 1.0,
            }),
            ..Default::default()
        });
        ws
    }

    #[test]
    fn comments_are_labelled_in_the_export_language() {
        let zh = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        let c = comment_texts(
            &parts(&to_docx(&directive_workspace(true), &zh).unwrap())["word/comments.xml"],
        );
        assert_eq!(
            c[&0],
            "标签：重要论述\n来源：国务院《关于某事的意见》（国发〔2006〕10号）\n核对：一致（相似度 1.00）"
        );
        let en = comment_texts(
            &parts(&to_docx(&directive_workspace(true), &ExportOptions::default()).unwrap())["word/comments.xml"],
        );
        assert_eq!(
            en[&0],
            "Tags: 重要论述\nSource: 国务院《关于某事的意见》（国发〔2006〕10号）\nVerification: verbatim (similarity 1.00)"
        );
        // The verification sample in Chinese: every status in Chinese, no English label.
        let ws = crate::sample::verification_sample();
        let c = &parts(&to_docx(&ws, &zh).unwrap())["word/comments.xml"];
        for want in ["核对：一致（相似度", "核对：未找到（相似度", "来源："] {
            assert!(c.contains(want), "{want}: {c}");
        }
        for unwanted in ["Verification", "Source:", "Tags:", "similarity"] {
            assert!(!c.contains(unwanted), "{unwanted}");
        }
    }

    #[test]
    fn a_directive_without_a_linked_source_says_so() {
        let ws = directive_workspace(false);
        let c = comment_texts(
            &parts(&to_docx(&ws, &ExportOptions::default()).unwrap())["word/comments.xml"],
        );
        assert!(
            c[&0].contains("\nNo linked source (attributed to 胡锦涛《讲话》)\n"),
            "{}",
            c[&0]
        );
        assert!(!c[&0].contains("Source:"));
        let zh = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        let c = comment_texts(&parts(&to_docx(&ws, &zh).unwrap())["word/comments.xml"]);
        assert!(
            c[&0].contains("\n未关联出处（文中称：胡锦涛《讲话》）\n"),
            "{}",
            c[&0]
        );
        // Nobody named: just that no source is linked.
        let mut ws = ws;
        ws.annotations[0].directive.as_mut().unwrap().attribution = Default::default();
        let c = comment_texts(&parts(&to_docx(&ws, &zh).unwrap())["word/comments.xml"]);
        assert!(c[&0].contains("\n未关联出处\n"), "{}", c[&0]);
    }

    #[test]
    fn comments_carry_the_author() {
        let ws = workspace_with("甲乙", "题", &[(0, 1, "注")]);
        let author_of = |author: &str| -> String {
            let opts = ExportOptions {
                author: author.into(),
                ..Default::default()
            };
            let c = parts(&to_docx(&ws, &opts).unwrap())["word/comments.xml"].clone();
            well_formed("comments", &c);
            let at = c.find("<w:comment ").unwrap();
            c[at..at + c[at..].find('>').unwrap()].to_string()
        };
        assert!(author_of("").contains("w:author=\"Yinwen\" w:initials=\"YW\""));
        assert!(author_of("  ").contains("w:author=\"Yinwen\" w:initials=\"YW\""));
        assert!(author_of("李明").contains("w:author=\"李明\" w:initials=\"李\""));
        assert!(author_of("Li Ming").contains("w:author=\"Li Ming\" w:initials=\"LM\""));
        assert!(author_of("<Q&A \"x\">").contains("w:author=\"&lt;Q&amp;A &quot;x&quot;&gt;\""));
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
