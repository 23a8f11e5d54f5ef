//! HTML export: one self-contained file (inline CSS, nothing fetched) for reading and printing.
//!
//! Each selected document gets a title block with its metadata, its paragraphs numbered in the
//! margin (第N段), its annotations as `<mark>` highlights in their colours, its quoted directives
//! outlined with their source citation and verification badge, the text warnings of the
//! detector (2O05, 20xx, web-page debris, unbalanced quotation marks) underlined where they
//! stand with the reason on hover, and its notes as numbered footnotes. A legend of the tags
//! used and the list of cited sources close the file. Fixed labels are in `opts.lang`.
//!
//! The title is shown once: an export of one document has its title as the page's heading
//! (no second heading for the document), and a text whose first paragraph is its own title
//! gets that paragraph styled as the heading instead of a heading above it.
//!
//! Overlapping annotations and warnings are rendered by splitting the text at every boundary
//! and re-opening marks as needed (warnings innermost), so the output is always properly
//! nested.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{
    ExportOptions, SpanLayout, citation, layout_spans, linked_source, selected_annotations,
    selected_documents,
};
use crate::analysis::Warning;
use crate::model::{Annotation, Document, SourceId, TagId, Workspace, parse_hex_color};

/// The stylesheet, screen and print.
const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #5b6470; --rule: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", SimSun, sans-serif;
  color: var(--ink); background: #fff; line-height: 1.9; margin: 0 auto; max-width: 52em; padding: 2em 2em 4em 6em; }
h1, p.para[role="heading"] { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "Source Han Serif SC", "Noto Serif CJK SC", "Songti SC", SimSun, serif;
  font-size: 1.5em; font-weight: bold; text-align: center; margin: 0 0 .5em; line-height: 1.5; }
p.para[aria-level="2"] { font-size: 1.3em; }
h2 { font-size: 1.3em; margin: 2em 0 .3em; border-bottom: 2px solid var(--rule); padding-bottom: .2em; }
h3 { font-size: 1.05em; margin: 1.5em 0 .3em; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0 1em; margin: .3em 0 1.2em; color: var(--muted); font-size: .92em; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
p.para { position: relative; margin: 0 0 .8em; text-align: justify; }
p.para .pn { position: absolute; left: -5.5em; width: 5em; text-align: right; color: var(--muted); font-size: .78em; line-height: 2.4; user-select: none; }
mark.ann { color: inherit; border-radius: 2px; padding: .05em 0; }
mark.directive { border: 1.5px solid #C0392B; border-radius: 3px; }
mark.warning { background: none; color: inherit; text-decoration: underline wavy #D4380D; text-decoration-skip-ink: none; text-underline-offset: .25em; cursor: help; }
.cite { font-size: .78em; color: var(--muted); margin: 0 .2em; }
.badge { display: inline-block; font-size: .85em; line-height: 1.4; padding: 0 .4em; border-radius: .7em; border: 1px solid currentColor; margin-left: .3em; white-space: nowrap; }
.st-verbatim { color: #1e7e34; } .st-variant { color: #b26a00; } .st-abridged { color: #1f6feb; }
.st-not_found { color: #c0392b; } .st-unverified { color: #6e7781; }
sup.fnref { font-size: .7em; line-height: 0; } sup.fnref a { text-decoration: none; color: #1f6feb; }
section.footnotes { border-top: 1px solid var(--rule); margin-top: 1.5em; font-size: .9em; }
section.footnotes li { margin: .2em 0; } a.back { text-decoration: none; margin-left: .4em; }
ul.legend { list-style: none; padding: 0; } ul.legend li { margin: .15em 0; }
.swatch { display: inline-block; width: 1em; height: 1em; border-radius: 2px; vertical-align: -.15em; margin-right: .4em; border: 1px solid rgba(0,0,0,.2); }
ol.sources li { margin: .25em 0; }
@page { size: A4; margin: 20mm 18mm 20mm 25mm; }
@media print {
  body { max-width: none; padding: 0 0 0 4.5em; font-size: 11pt; }
  mark.ann, mark.warning, .swatch, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; } p.para { orphans: 2; widows: 2; }
  section.footnotes { display: block; break-before: auto; }
  section.footnotes li { break-inside: avoid; }
  article.doc + article.doc { break-before: page; }
}
"#;

/// Escapes text for HTML element content and attribute values (`& < > " '`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if super::is_unsafe_control(c) => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text and turns line breaks into `<br>`.
fn escape_multiline(s: &str) -> String {
    escape_html(s.trim()).replace('\n', "<br>")
}

/// An `rgba(…)` CSS colour for a `#RRGGBB` string (the default highlight when it is invalid),
/// so that nothing but digits ever reaches a style attribute.
fn css_rgba(hex: &str, alpha: &str) -> String {
    let [r, g, b] = parse_hex_color(hex).unwrap_or([0xF2, 0xC9, 0x4C]);
    format!("rgba({r},{g},{b},{alpha})")
}

/// One self-contained HTML file (inline CSS, nothing fetched) of the selected documents.
///
/// Per document: a title block with its metadata, numbered paragraphs (第N段 in the margin),
/// annotations as `<mark class="ann">` in the annotation's colour (overlaps nest properly),
/// directives as `<mark class="ann directive">` with a border followed by their citation (or
/// that no source is linked) and verification badge (when `opts.sources` /
/// `opts.verification`), text warnings as `<mark class="warning warning-KIND" title="reason">`,
/// and notes as numbered footnotes linked both ways (when `opts.notes`). Then a legend of the
/// tags used and, when `opts.sources`, the list of cited sources. Labels in `opts.lang`.
/// Includes a print stylesheet (A4). Deterministic.
pub fn to_html(ws: &Workspace, opts: &ExportOptions) -> String {
    let docs = selected_documents(ws, opts);
    let per_doc: Vec<(&Document, Vec<&Annotation>)> = docs
        .iter()
        .map(|d| (*d, selected_annotations(ws, d.id, opts)))
        .collect();

    let mut used_tags: BTreeSet<TagId> = BTreeSet::new();
    let mut cited: BTreeSet<SourceId> = BTreeSet::new();
    for (_, anns) in &per_doc {
        for a in anns {
            used_tags.extend(a.tags.iter().copied());
            if let Some(s) = linked_source(ws, a) {
                cited.insert(s.id);
            }
        }
    }

    let labels = opts.lang.labels();
    let title = match docs.as_slice() {
        [one] => one.display_name(),
        _ => labels.export_title.to_string(),
    };
    let mut out =
        String::with_capacity(per_doc.iter().map(|(d, _)| d.text.len() * 2).sum::<usize>() + 8192);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape_html(&title));
    out.push_str("<meta name=\"generator\" content=\"Yinwen\">\n<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    // One document: its own heading is the page's. Several: a heading over them all.
    let level = if per_doc.len() == 1 {
        1
    } else {
        let _ = writeln!(out, "<h1>{}</h1>", escape_html(&title));
        if opts.notes && !ws.memo.trim().is_empty() {
            let _ = writeln!(
                out,
                "<dl class=\"meta\"><dt>{}</dt><dd>{}</dd></dl>",
                opts.lang.labels().memo,
                escape_html(ws.memo.trim()).replace('\n', "<br>")
            );
        }
        2
    };

    for (doc, anns) in &per_doc {
        render_document(ws, opts, doc, anns, level, &mut out);
    }

    // Legend of the tags used, in codebook order.
    if !used_tags.is_empty() {
        let _ = write!(
            out,
            "<section class=\"legend\">\n<h2>{}</h2>\n<ul class=\"legend\">\n",
            labels.legend_heading
        );
        for (_, tag) in ws.tag_tree() {
            if used_tags.contains(&tag.id) {
                let _ = writeln!(
                    out,
                    "<li><span class=\"swatch\" style=\"background-color:{}\"></span>{}</li>",
                    css_rgba(&tag.color, "1"),
                    escape_html(&ws.tag_path(tag.id))
                );
            }
        }
        out.push_str("</ul>\n</section>\n");
    }

    if opts.sources && !cited.is_empty() {
        let _ = write!(
            out,
            "<section class=\"sources\">\n<h2>{}</h2>\n<ol class=\"sources\">\n",
            labels.sources_heading
        );
        for s in ws.sources.iter().filter(|s| cited.contains(&s.id)) {
            let _ = write!(
                out,
                "<li id=\"src-{}\">{}",
                s.id.0,
                escape_html(&s.citation())
            );
            if !s.occasion.is_empty() {
                let _ = write!(out, "；{}", escape_html(&s.occasion));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The metadata list of a document (nothing when it has none).
fn render_meta(opts: &ExportOptions, doc: &Document, out: &mut String) {
    let fields = super::meta_fields(doc, opts);
    if !fields.is_empty() {
        out.push_str("<dl class=\"meta\">\n");
        for (k, v) in fields {
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape_html(&k),
                escape_html(&v).replace('\n', "<br>")
            );
        }
        out.push_str("</dl>\n");
    }
}

/// The text warnings of a document that have a place in it (non-empty, inside the text).
fn text_warnings(doc: &Document, n: usize) -> Vec<Warning> {
    crate::analysis::detect(&doc.text)
        .warnings
        .into_iter()
        .filter(|w| w.start < w.end && w.end <= n)
        .collect()
}

/// The title block, paragraphs and footnotes of one document; its heading at `level` (1 when
/// it is the only document, else 2).
fn render_document(
    ws: &Workspace,
    opts: &ExportOptions,
    doc: &Document,
    anns: &[&Annotation],
    level: u8,
    out: &mut String,
) {
    let d = doc.id.0;
    let _ = writeln!(out, "<article class=\"doc\" id=\"doc-{d}\">");
    let name = doc.display_name();
    let paragraphs = doc.paragraphs();
    // A text that starts with its own title: that paragraph is the heading.
    let title_para = paragraphs
        .first()
        .is_some_and(|p| doc.text[p.bytes.clone()].trim() == name);
    if !title_para {
        let _ = writeln!(out, "<h{level}>{}</h{level}>", escape_html(&name));
        render_meta(opts, doc, out);
    }

    // Byte offset of every char (plus the end), so char ranges slice correctly.
    let offs: Vec<usize> = doc
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(doc.text.len()))
        .collect();
    let n = offs.len() - 1;
    // Spans: the annotations' (indices `0..k`), then the warnings' (`k..`).
    let k = anns.len();
    let warnings = text_warnings(doc, n);
    let spans: Vec<(usize, usize)> = anns
        .iter()
        .map(|a| {
            let e = a.anchor.end.0.min(n);
            (a.anchor.start.0.min(e), e)
        })
        .chain(warnings.iter().map(|w| (w.start, w.end)))
        .collect();
    // Nesting order: annotations outside warnings; among each, outer (earlier start, later
    // end) first.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| {
        let id = anns.get(i).map_or(u64::MAX, |a| a.id.0);
        (i >= k, spans[i].0, std::cmp::Reverse(spans[i].1), id, i)
    });

    // Footnote numbers of annotations with notes, in text order.
    let mut fn_no: Vec<Option<usize>> = vec![None; anns.len()];
    let mut notes: Vec<(usize, usize)> = Vec::new();
    if opts.notes {
        for (i, a) in anns.iter().enumerate() {
            if !a.note.trim().is_empty() {
                notes.push((notes.len() + 1, i));
                fn_no[i] = Some(notes.len());
            }
        }
    }

    // Where each annotation's trailing content (citation, footnote mark) goes: paragraph and
    // char position (the end of its last fragment).
    let SpanLayout { tails, mut by_para } = layout_spans(&paragraphs, &spans);
    // Nesting order within each paragraph.
    let mut rank = vec![0usize; spans.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    for list in &mut by_para {
        list.sort_by_key(|&i| rank[i]);
    }

    for (pi, p) in paragraphs.iter().enumerate() {
        let (ps, pe) = (p.chars.start, p.chars.end);
        let mine = &by_para[pi];
        let heading = if title_para && pi == 0 {
            format!(" role=\"heading\" aria-level=\"{level}\"")
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<p class=\"para\"{heading} id=\"d{d}-p{no}\"><span class=\"pn\">第{no}段</span>",
            no = pi + 1
        );
        let mut points: BTreeSet<usize> = BTreeSet::from([ps, pe]);
        for &(s, e) in mine.iter().map(|&i| &spans[i]) {
            for x in [s, e] {
                if x > ps && x < pe {
                    points.insert(x);
                }
            }
        }
        let points: Vec<usize> = points.into_iter().collect();
        let mut stack: Vec<usize> = Vec::new();
        for (j, &x) in points.iter().enumerate() {
            let next = points.get(j + 1).copied();
            let active: Vec<usize> = match next {
                Some(y) => mine
                    .iter()
                    .copied()
                    .filter(|&i| spans[i].0 < spans[i].1 && spans[i].0 <= x && spans[i].1 >= y)
                    .collect(),
                None => Vec::new(),
            };
            let keep = stack
                .iter()
                .zip(&active)
                .take_while(|(a, b)| a == b)
                .count();
            while stack.len() > keep {
                stack.pop();
                out.push_str("</mark>");
            }
            // Tails at this point in text order (the annotations' own order).
            let mut here: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|&i| i < k && tails[i] == (pi, x))
                .collect();
            here.sort_unstable();
            for i in here {
                render_tail(ws, opts, d, anns[i], fn_no[i], out);
            }
            for &i in &active[keep..] {
                match anns.get(i) {
                    Some(a) => open_mark(ws, a, out),
                    None => open_warning(opts, &warnings[i - k], out),
                }
                stack.push(i);
            }
            if let Some(y) = next {
                out.push_str(&escape_html(&doc.text[offs[x]..offs[y]]));
            }
        }
        out.push_str("</p>\n");
        if title_para && pi == 0 {
            render_meta(opts, doc, out);
        }
    }
    // Trailing content of annotations in a document without paragraphs.
    if paragraphs.is_empty() {
        for (i, a) in anns.iter().enumerate() {
            render_tail(ws, opts, d, a, fn_no[i], out);
        }
    }

    if !notes.is_empty() {
        let l = opts.lang.labels();
        let _ = write!(
            out,
            "<section class=\"footnotes\">\n<h3>{}</h3>\n<ol>\n",
            l.notes_heading
        );
        for (no, i) in notes {
            let _ = writeln!(
                out,
                "<li id=\"d{d}-fn{no}\" class=\"fn-item\">{}<a class=\"back\" href=\"#d{d}-fnref{no}\" aria-label=\"{}\">↩</a></li>",
                escape_multiline(&anns[i].note),
                l.back
            );
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str("</article>\n");
}

/// Opens the mark of one annotation.
fn open_mark(ws: &Workspace, a: &Annotation, out: &mut String) {
    let tags: Vec<String> = a.tags.iter().map(|t| ws.tag_path(*t)).collect();
    let class = if a.directive.is_some() {
        "ann directive"
    } else {
        "ann"
    };
    let _ = write!(
        out,
        "<mark class=\"{class}\" data-ann=\"{}\" style=\"background-color:{}\"",
        a.id,
        css_rgba(&a.color, "0.32")
    );
    if !tags.is_empty() {
        let _ = write!(out, " title=\"{}\"", escape_html(&tags.join("; ")));
    }
    out.push('>');
}

/// Opens the mark of a text warning: its kind in the class, the reason in the title.
fn open_warning(opts: &ExportOptions, w: &Warning, out: &mut String) {
    let kind: String = w
        .kind
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let _ = write!(
        out,
        "<mark class=\"warning warning-{kind}\" title=\"{}\">",
        escape_html(&opts.lang.warning_reason(w))
    );
}

/// What follows an annotation: a directive's citation and status, and the footnote mark.
fn render_tail(
    ws: &Workspace,
    opts: &ExportOptions,
    d: u64,
    a: &Annotation,
    fn_no: Option<usize>,
    out: &mut String,
) {
    let lang = opts.lang;
    if let Some(dir) = &a.directive
        && (opts.sources || opts.verification)
    {
        out.push_str("<span class=\"cite\">〔");
        if opts.sources {
            match linked_source(ws, a) {
                Some(s) => {
                    let citation = citation(ws, a).unwrap_or_default();
                    let _ = write!(
                        out,
                        "<a href=\"#src-{}\">{}</a>",
                        s.id.0,
                        escape_html(&citation)
                    );
                }
                None => {
                    let who = dir.attribution.citation();
                    out.push_str(&escape_html(&lang.unlinked_source(who.as_deref())));
                }
            }
        }
        if opts.verification {
            match &dir.verification {
                Some(v) => {
                    let _ = write!(
                        out,
                        "<span class=\"badge st-{}\">{}</span>",
                        v.status.word(),
                        lang.status(v.status)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<span class=\"badge st-unverified\">{}</span>",
                        lang.labels().unverified
                    );
                }
            }
        }
        out.push_str("〕</span>");
    }
    if let Some(k) = fn_no {
        let _ = write!(
            out,
            "<sup class=\"fnref\"><a id=\"d{d}-fnref{k}\" href=\"#d{d}-fn{k}\">{k}</a></sup>"
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{
        Anchor, AnnId, Attribution, CharIndex, Command, DirectiveInfo, DocId, DocMeta, Origin,
        Source, Tag, VerifyStatus,
    };

    /// Elements that have no closing tag.
    const VOID: [&str; 3] = ["meta", "br", "link"];

    /// A tiny HTML walker: checks that every element is closed in order (panics otherwise) and
    /// returns, per `data-ann` id, the text inside its marks (footnote marks and citations
    /// excluded), and the number of `<mark>` elements.
    fn walk(html: &str) -> (std::collections::BTreeMap<String, String>, usize) {
        let (mut texts, marks) = walk_all(html);
        texts.retain(|k, _| !k.starts_with("warning-"));
        (texts, marks)
    }

    /// [`walk`], with the text inside the marks of text warnings too, as `warning-KIND`.
    fn walk_all(html: &str) -> (std::collections::BTreeMap<String, String>, usize) {
        let body = &html[html.find("<body>").unwrap()..html.rfind("</body>").unwrap() + 7];
        let mut stack: Vec<(String, Option<String>, bool)> = Vec::new();
        let mut texts = std::collections::BTreeMap::<String, String>::new();
        let mut marks = 0;
        let mut rest = body;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('<') {
                let end = r.find('>').expect("unterminated tag");
                let tag = &r[..end];
                rest = &r[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    let (open, ..) = stack.pop().expect("close without open");
                    assert_eq!(open, name, "misnested </{name}>");
                } else {
                    let name = tag.split([' ', '/']).next().unwrap().to_string();
                    if VOID.contains(&name.as_str()) {
                        continue;
                    }
                    let ann = tag
                        .split("data-ann=\"")
                        .nth(1)
                        .or_else(|| tag.split("class=\"warning ").nth(1))
                        .map(|s| s[..s.find('"').unwrap()].to_string());
                    if name == "mark" {
                        marks += 1;
                    }
                    let skip = name == "sup" || tag.contains("class=\"cite\"");
                    stack.push((name, ann, skip));
                }
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let text = rest[..end]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                rest = &rest[end..];
                if stack.iter().any(|(_, _, skip)| *skip) {
                    continue;
                }
                for (_, ann, _) in &stack {
                    if let Some(a) = ann {
                        texts.entry(a.clone()).or_default().push_str(&text);
                    }
                }
            }
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        (texts, marks)
    }

    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn count(h: &str, needle: &str) -> usize {
        h.matches(needle).count()
    }

    #[test]
    fn the_sample_exports_with_marks_notes_legend_and_sources() {
        let ws = crate::sample::sample_workspace();
        let html = to_html(&ws, &ExportOptions::default());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(
            html.contains("<html lang=\"zh-CN\">") && html.contains("<meta charset=\"utf-8\">")
        );
        assert!(html.contains("\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", SimSun, sans-serif"));
        assert!(html.contains("@media print") && html.contains("size: A4"));
        assert!(
            !html.contains("http://") && !html.contains("https://") && !html.contains("<script")
        );
        let (texts, _) = walk(&html);
        for a in ws.annotations.iter().filter(|a| !a.orphan) {
            let got = texts.get(&a.id.to_string()).map(|s| squash(s));
            assert_eq!(got, Some(squash(&a.anchor.quote)), "annotation {}", a.id);
        }
        let with_notes = ws
            .annotations
            .iter()
            .filter(|a| !a.orphan && !a.note.trim().is_empty())
            .count();
        assert!(with_notes > 0);
        assert_eq!(count(&html, "class=\"fn-item\""), with_notes);
        assert_eq!(count(&html, "<sup class=\"fnref\">"), with_notes);
        let paras = ws.documents[0].paragraphs().len();
        assert!(html.contains("第1段") && html.contains(&format!("第{paras}段")));
        assert_eq!(count(&html, "<p class=\"para\""), paras);
        for t in ws.annotations.iter().flat_map(|a| &a.tags) {
            let li = format!("{}</li>", escape_html(&ws.tag_path(*t)));
            assert!(html.contains(&li), "legend lacks {}", ws.tag_path(*t));
        }
        for s in ws.annotations.iter().filter_map(|a| linked_source(&ws, a)) {
            assert!(html.contains(&format!(
                "<li id=\"src-{}\">{}",
                s.id.0,
                escape_html(&s.citation())
            )));
        }
        assert!(html.contains("mark class=\"ann directive\""));
        assert_eq!(
            html,
            to_html(&ws, &ExportOptions::default()),
            "deterministic"
        );
    }

    #[test]
    fn the_verification_sample_shows_every_status() {
        let ws = crate::sample::verification_sample();
        let html = to_html(&ws, &ExportOptions::default());
        for s in [
            VerifyStatus::Verbatim,
            VerifyStatus::Variant,
            VerifyStatus::Abridged,
            VerifyStatus::NotFound,
        ] {
            let w = s.word();
            assert!(
                html.contains(&format!("<span class=\"badge st-{w}\">{w}</span>")),
                "{w}"
            );
        }
        let quiet = to_html(
            &ws,
            &ExportOptions {
                verification: false,
                sources: false,
                ..Default::default()
            },
        );
        assert!(!quiet.contains("class=\"badge") && !quiet.contains("class=\"cite\""));
        assert!(!quiet.contains("<li id=\"src-"));
        walk(&quiet);
    }

    #[test]
    fn options_filter_notes_tags_and_documents() {
        let ws = crate::sample::sample_workspace();
        let html = to_html(
            &ws,
            &ExportOptions {
                notes: false,
                ..Default::default()
            },
        );
        assert!(!html.contains("class=\"fn-item\"") && !html.contains("<sup class=\"fnref\">"));

        let t = ws.tags.iter().find(|t| t.name == "社区服务").unwrap().id;
        let opts = ExportOptions {
            tags: Some(vec![t]),
            ..Default::default()
        };
        let html = to_html(&ws, &opts);
        let (texts, _) = walk(&html);
        let wanted: BTreeSet<String> = selected_annotations(&ws, ws.documents[0].id, &opts)
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        assert!(!wanted.is_empty() && wanted.len() < ws.annotations.len());
        assert_eq!(texts.keys().cloned().collect::<BTreeSet<_>>(), wanted);

        let none = to_html(
            &ws,
            &ExportOptions {
                docs: Some(vec![DocId(999_999)]),
                ..Default::default()
            },
        );
        assert!(!none.contains("<article") && !none.contains("<mark"));
        walk(&none);
    }

    /// A workspace whose user text is hostile everywhere.
    pub(crate) fn hostile_workspace() -> Workspace {
        const EVIL: &str = "<script>alert(1)</script> ]]> &amp; \"onmouseover=\"x =HYPERLINK(\"http://x\") [link](javascript:alert(1))";
        let text = format!("第一段：{EVIL}\n\n- 第二段 “重要指示{EVIL}”结束。\n");
        let mut ws = Workspace::new();
        let Ok(Command::RemoveDocument(doc)) =
            ws.apply(Command::AddDocument(Box::new(Document::new(
                text.clone(),
                Origin::default(),
                DocMeta {
                    title: format!("标题{EVIL}"),
                    speaker: EVIL.into(),
                    ..Default::default()
                },
            ))))
        else {
            panic!("document refused")
        };
        let Ok(Command::RemoveTag(tag)) = ws.apply(Command::AddTag(Box::new(Tag {
            id: TagId(0),
            name: format!("标签{EVIL}"),
            parent: None,
            color: "red;background:url(javascript:x)".into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        }))) else {
            panic!("tag refused")
        };
        let Ok(Command::RemoveSource(src)) = ws.apply(Command::AddSource(Box::new(Source {
            title: format!("来源{EVIL}"),
            issuer: EVIL.into(),
            doc_number: EVIL.into(),
            ..Default::default()
        }))) else {
            panic!("source refused")
        };
        let index = CharIndex::new(&text);
        let n = text.chars().count();
        let evil_at = text.find("<script>").unwrap();
        let s = index.char_of(&text, evil_at);
        let second = index.char_of(&text, text.find("重要").unwrap());
        let ranges = [
            (s, s + 30, false),
            (s + 10, s + 60, false),
            (second, n - 4, true),
            (2, n - 1, false),
        ];
        for (a, b, directive) in ranges {
            let ann = crate::model::Annotation {
                id: AnnId(0),
                doc,
                anchor: Anchor::new(&text, &index, a..b),
                color: "#123456\" onmouseover=\"x".into(),
                note: format!("注释{EVIL}\n- 第二行"),
                tags: vec![tag],
                orphan: false,
                directive: directive.then(|| DirectiveInfo {
                    attribution: Attribution {
                        speaker: EVIL.into(),
                        ..Default::default()
                    },
                    source: Some(src),
                    ..Default::default()
                }),
            };
            ws.apply(Command::AddAnnotation(Box::new(ann))).unwrap();
        }
        ws
    }

    #[test]
    fn hostile_text_is_escaped() {
        let ws = hostile_workspace();
        let html = to_html(&ws, &ExportOptions::default());
        assert!(!html.to_lowercase().contains("<script"));
        assert!(!html.contains("onmouseover=\""));
        assert!(!html.contains("url(javascript"));
        assert!(html.contains("&amp;amp;"));
        assert!(!html.contains("]]>"));
        let (texts, marks) = walk(&html);
        assert!(marks >= 4);
        for a in &ws.annotations {
            assert_eq!(
                texts.get(&a.id.to_string()).map(|s| squash(s)),
                Some(squash(&a.anchor.quote))
            );
        }
    }

    #[test]
    fn overlapping_annotations_nest() {
        let ws = crate::sample::sample_workspace();
        let html = to_html(&ws, &ExportOptions::default());
        let (_, marks) = walk(&html);
        assert!(marks > ws.annotations.len(), "overlaps split marks");
        assert_eq!(count(&html, "<mark "), count(&html, "</mark>"));
        let ws = hostile_workspace();
        let html = to_html(&ws, &ExportOptions::default());
        assert_eq!(count(&html, "<mark "), count(&html, "</mark>"));
        assert_eq!(count(&html, "<p "), count(&html, "</p>"));
        walk(&html);
    }

    #[test]
    fn escape_html_escapes_the_five() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    /// A one-document workspace holding `text` with the title `title` and annotations on the
    /// char ranges.
    fn workspace_with(text: &str, title: &str, spans: &[(usize, usize)]) -> Workspace {
        let spans: Vec<(usize, usize, &str)> = spans.iter().map(|&(s, e)| (s, e, "")).collect();
        crate::export::test_workspace(text, title, &spans, "#F2C94C")
    }

    #[test]
    fn text_warnings_are_marked_where_they_stand() {
        let text = "我们在2O05年开会。\n\n会议定于20xx年召开，“引文”。";
        // An annotation that starts inside "2O05" and runs past it, one inside "20xx".
        let ws = workspace_with(text, "题", &[(1, 5), (19, 20), (26, 28)]);
        let zh = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        let html = to_html(&ws, &zh);
        let (texts, _) = walk_all(&html);
        assert_eq!(texts["warning-digit_letter_confusion"], "2O05");
        assert_eq!(texts["warning-placeholder_year"], "20xx");
        assert_eq!(texts["a10"], "们在2O");
        assert_eq!(texts["a11"], "x");
        assert_eq!(texts["a12"], "引文");
        assert!(html.contains(
            "<mark class=\"warning warning-digit_letter_confusion\" title=\"字母混入数字，建议改为：2005\">"
        ));
        assert!(
            html.contains("<mark class=\"warning warning-placeholder_year\" title=\"占位年份\">")
        );
        // Warnings nest inside the annotation marks, split where an annotation ends.
        assert!(html.contains(
            "<mark class=\"ann\" data-ann=\"a10\" style=\"background-color:rgba(242,201,76,0.32)\">们在<mark class=\"warning warning-digit_letter_confusion\" title=\"字母混入数字，建议改为：2005\">2O</mark></mark><mark class=\"warning warning-digit_letter_confusion\" title=\"字母混入数字，建议改为：2005\">05</mark>"
        ));
        assert_eq!(count(&html, "<mark "), count(&html, "</mark>"));
        let en = to_html(&ws, &ExportOptions::default());
        assert!(en.contains("title=\"letter for digit; suggested: 2005\""));
        assert!(en.contains("title=\"placeholder year\""));
        walk(&en);
        // Warnings of the seed speech (2O06, 20O7, 20xx, web-page debris) on top of its
        // overlapping annotations.
        let ws = crate::sample::sample_workspace();
        let html = to_html(&ws, &ExportOptions::default());
        let (texts, _) = walk_all(&html);
        for kind in ["digit_letter_confusion", "placeholder_year", "boilerplate"] {
            assert!(texts.contains_key(&format!("warning-{kind}")), "{kind}");
        }
        for a in ws.annotations.iter().filter(|a| !a.orphan) {
            let got = texts.get(&a.id.to_string()).map(|s| squash(s));
            assert_eq!(got, Some(squash(&a.anchor.quote)), "annotation {}", a.id);
        }
    }

    #[test]
    fn the_title_is_shown_once() {
        // The sample's text starts with its own title: that paragraph is the heading.
        let ws = crate::sample::sample_workspace();
        let title = ws.documents[0].display_name();
        let html = to_html(&ws, &ExportOptions::default());
        assert!(html.contains(&format!("<title>{title}</title>")));
        assert!(!html.contains("<h1>") && !html.contains(&format!("<h2>{title}")));
        assert!(html.contains(&format!(
            "<p class=\"para\" role=\"heading\" aria-level=\"1\" id=\"d{}-p1\"><span class=\"pn\">第1段</span>{title}</p>\n<dl class=\"meta\">",
            ws.documents[0].id.0
        )));
        assert_eq!(
            count(&html, &format!(">{title}<")),
            2,
            "<title> and the heading"
        );
        // A title the text does not repeat: one visible heading.
        let ws = workspace_with("同志们：\n今天开会。", "在会议上的讲话", &[]);
        let html = to_html(&ws, &ExportOptions::default());
        assert_eq!(count(&html, "<h1>在会议上的讲话</h1>"), 1);
        assert_eq!(count(&html, "在会议上的讲话"), 2);
        assert!(!html.contains("<p class=\"para\" role=\"heading\""));
        // Several documents: a heading over them all, one per document.
        let mut ws = ws;
        let mut second = (*ws.documents[0]).clone();
        second.id = DocId(2);
        second.meta.title = "第二篇".into();
        ws.documents.push(second.into());
        let zh = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        let html = to_html(&ws, &zh);
        assert!(
            html.contains("<title>引文标注导出</title>") && html.contains("<h1>引文标注导出</h1>")
        );
        assert!(html.contains("<h2>在会议上的讲话</h2>") && html.contains("<h2>第二篇</h2>"));
        assert!(to_html(&ws, &ExportOptions::default()).contains("<h1>Annotated quotations</h1>"));
    }

    #[test]
    fn labels_follow_the_export_language() {
        let ws = crate::sample::verification_sample();
        let zh = to_html(
            &ws,
            &ExportOptions {
                lang: crate::export::Lang::Zh,
                ..Default::default()
            },
        );
        for want in [
            "<span class=\"badge st-verbatim\">一致</span>",
            "<span class=\"badge st-not_found\">未找到</span>",
            "<h2>引用来源</h2>",
            "<dt>场合</dt>",
            "aria-label=\"返回\"",
        ] {
            assert!(zh.contains(want), "{want}");
        }
        let en = to_html(&ws, &ExportOptions::default());
        for want in ["<h2>Sources</h2>", "<dt>Occasion</dt>", "<h3>Notes</h3>"] {
            assert!(en.contains(want), "{want}");
        }
        for unwanted in ["引用来源", "标签图例", "未核对", "一致</span>"] {
            assert!(!en.contains(unwanted), "{unwanted}");
        }
        // The tag legend.
        let sample = crate::sample::sample_workspace();
        let zh_opts = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        assert!(to_html(&sample, &zh_opts).contains("<h2>标签图例</h2>"));
        assert!(to_html(&sample, &ExportOptions::default()).contains("<h2>Tags</h2>"));
        // A directive without a linked source says so.
        let mut ws = ws;
        let a = ws
            .annotations
            .iter_mut()
            .find(|a| a.directive.is_some())
            .unwrap();
        let dir = a.directive.as_mut().unwrap();
        dir.source = None;
        let who = dir.attribution.citation().unwrap();
        let en = to_html(&ws, &ExportOptions::default());
        assert!(en.contains(&format!(
            "<span class=\"cite\">〔{}",
            escape_html(&format!("No linked source (attributed to {who})"))
        )));
        walk(&en);
    }

    /// Renders the sample with Chromium when it is installed; look at /tmp/yinwen-export.png.
    #[test]
    #[ignore]
    fn render_with_chromium() {
        let chromium = std::path::Path::new("/usr/bin/chromium");
        if !chromium.exists() {
            eprintln!("no chromium: skipped");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.html");
        std::fs::write(
            &path,
            to_html(
                &crate::sample::sample_workspace(),
                &ExportOptions::default(),
            ),
        )
        .unwrap();
        let status = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--screenshot=/tmp/yinwen-export.png",
                "--window-size=1200,1600",
            ])
            .arg(format!("file://{}", path.display()))
            .status()
            .unwrap();
        assert!(status.success());
    }
}
