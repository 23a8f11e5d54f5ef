//! Markdown export with footnotes (`[^n]`), for Pandoc, Typora, Obsidian and markdown-it.
//!
//! Conventions:
//! - each document is a `##` heading followed by its metadata as a list;
//! - each paragraph starts with its number in bold, `**¶3** `, as staff cite 第3段;
//! - annotated passages are marked `==…==` (the "mark" extension of Pandoc, Obsidian, Typora
//!   and markdown-it-mark; elsewhere the `==` stay visible, which still shows the passage).
//!   Overlapping annotations merge into one marked run, split where a footnote mark falls;
//! - a directive is shown between “…” (added when the text does not already have them) and
//!   followed by a footnote with its source (or that none is linked) and verification status
//!   (and its note);
//! - other annotations with a note get a footnote with the note;
//! - footnotes are numbered through the whole file and defined after each document;
//! - a tag list and a sources section close the file;
//! - fixed labels (headings, metadata names, source and verification labels) are in
//!   `opts.lang`.
//!
//! All user text is escaped: the Markdown specials `\ ` * _ [ ] < > # | = ~ &` get a backslash
//! and list or heading markers at the start of a line are neutralised, so neither links nor
//! HTML can be injected through a note, a title or the text.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{
    ExportOptions, SpanLayout, layout_spans, linked_source, selected_annotations,
    selected_documents,
};
use crate::model::{Annotation, Document, SourceId, TagId, Workspace};

/// Escapes Markdown-special characters in user text (one line, not at a line start).
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '=' | '~' | '&' | '!'
            | '^' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if super::is_unsafe_control(c) => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes user text that starts a line: inline escapes plus list and numbered-list markers.
fn escape_line(s: &str) -> String {
    let s = s.trim_start();
    let e = escape_inline(s);
    if e.starts_with('-') || e.starts_with('+') {
        return format!("\\{e}");
    }
    let digits = e.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && matches!(e[digits..].chars().next(), Some('.' | ')')) {
        return format!("{}\\{}", &e[..digits], &e[digits..]);
    }
    e
}

/// Escapes multi-line user text for a footnote: lines joined with hard breaks and indented as
/// footnote continuation lines.
fn escape_block(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("\\\n    ")
}

/// Markdown with footnotes of the selected documents; see the module documentation for the
/// conventions (`**¶N** ` paragraph numbers, `==…==` marks, “…” directives with a citation
/// footnote, note footnotes when `opts.notes`, sources when `opts.sources`). Deterministic.
pub fn to_markdown(ws: &Workspace, opts: &ExportOptions) -> String {
    let docs = selected_documents(ws, opts);
    let mut out = String::new();
    let mut used_tags: BTreeSet<TagId> = BTreeSet::new();
    let mut cited: BTreeSet<SourceId> = BTreeSet::new();
    let mut next_fn = 1usize;

    let labels = opts.lang.labels();
    let title = match docs.as_slice() {
        [one] => one.display_name(),
        _ => labels.export_title.to_string(),
    };
    let _ = writeln!(out, "# {}\n", escape_line(&title));
    if docs.len() > 1 && opts.notes && !ws.memo.trim().is_empty() {
        let memo: Vec<String> = ws.memo.trim().lines().map(escape_inline).collect();
        let _ = writeln!(out, "{}{}{}\n", labels.memo, labels.colon, memo.join(" / "));
    }
    for doc in &docs {
        let anns = selected_annotations(ws, doc.id, opts);
        for a in &anns {
            used_tags.extend(a.tags.iter().copied());
            if let Some(s) = linked_source(ws, a) {
                cited.insert(s.id);
            }
        }
        render_document(ws, opts, doc, &anns, &mut next_fn, &mut out);
    }

    if !used_tags.is_empty() {
        let _ = write!(out, "## {}\n\n", labels.tags_heading);
        for (_, tag) in ws.tag_tree() {
            if used_tags.contains(&tag.id) {
                let _ = writeln!(out, "- {}", escape_inline(&ws.tag_path(tag.id)));
            }
        }
        out.push('\n');
    }
    if opts.sources && !cited.is_empty() {
        let _ = write!(out, "## {}\n\n", labels.sources_heading);
        for (k, s) in ws
            .sources
            .iter()
            .filter(|s| cited.contains(&s.id))
            .enumerate()
        {
            let _ = write!(out, "{}. {}", k + 1, escape_inline(&s.citation()));
            if !s.occasion.is_empty() {
                let _ = write!(out, "；{}", escape_inline(&s.occasion));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The footnote text of an annotation, if it gets one.
fn footnote_text(ws: &Workspace, opts: &ExportOptions, a: &Annotation) -> Option<String> {
    let lang = opts.lang;
    let l = lang.labels();
    let mut parts: Vec<String> = Vec::new();
    if let Some(dir) = &a.directive {
        if opts.sources
            && let Some(src) = super::source_phrase(ws, a, lang)
        {
            parts.push(escape_inline(src.trim()));
        }
        if opts.verification {
            let status = match &dir.verification {
                Some(v) => lang.status(v.status),
                None => l.unverified,
            };
            parts.push(format!("{}{status}", l.verification_prefix));
        }
    }
    if opts.notes && !a.note.trim().is_empty() {
        parts.push(escape_block(&a.note));
    }
    (!parts.is_empty()).then(|| parts.join(l.part_separator))
}

/// Heading, metadata, paragraphs and footnote definitions of one document.
fn render_document(
    ws: &Workspace,
    opts: &ExportOptions,
    doc: &Document,
    anns: &[&Annotation],
    next_fn: &mut usize,
    out: &mut String,
) {
    let _ = writeln!(out, "## {}\n", escape_line(&doc.display_name()));
    let l = opts.lang.labels();
    let mut any = false;
    for (k, v) in super::meta_fields(doc, opts) {
        let v: Vec<String> = v.lines().map(escape_inline).collect();
        let _ = writeln!(out, "- {}{}{}", escape_inline(&k), l.colon, v.join(" / "));
        any = true;
    }
    if any {
        out.push('\n');
    }

    let chars: Vec<char> = doc.text.chars().collect();
    let n = chars.len();
    let spans: Vec<(usize, usize)> = anns
        .iter()
        .map(|a| {
            let e = a.anchor.end.0.min(n);
            (a.anchor.start.0.min(e), e)
        })
        .collect();
    // Footnotes, numbered through the file in text order.
    let mut fn_no: Vec<Option<usize>> = vec![None; anns.len()];
    let mut defs: Vec<(usize, String)> = Vec::new();
    for (i, a) in anns.iter().enumerate() {
        if let Some(t) = footnote_text(ws, opts, a) {
            fn_no[i] = Some(*next_fn);
            defs.push((*next_fn, t));
            *next_fn += 1;
        }
    }

    let paragraphs = doc.paragraphs();
    // Paragraph and position of each annotation's end (where its footnote mark goes).
    let SpanLayout { tails, by_para } = layout_spans(&paragraphs, &spans);
    // Directives that need quotation marks added at their start / end.
    let open_q: Vec<bool> = anns
        .iter()
        .zip(&spans)
        .map(|(a, &(s, e))| {
            a.directive.is_some() && s < e && chars[s] != '“' && (s == 0 || chars[s - 1] != '“')
        })
        .collect();
    let close_q: Vec<bool> = anns
        .iter()
        .zip(&spans)
        .map(|(a, &(s, e))| {
            a.directive.is_some() && s < e && chars[e - 1] != '”' && chars.get(e) != Some(&'”')
        })
        .collect();

    for (pi, p) in paragraphs.iter().enumerate() {
        let (ps, pe) = (p.chars.start, p.chars.end);
        let mine = &by_para[pi];
        let _ = write!(out, "**¶{}** ", pi + 1);
        let mut points: BTreeSet<usize> = BTreeSet::from([ps, pe]);
        for &(s, e) in mine.iter().map(|&i| &spans[i]) {
            for x in [s, e] {
                if x > ps && x < pe {
                    points.insert(x);
                }
            }
        }
        let points: Vec<usize> = points.into_iter().collect();
        let mut open = false;
        let mut body = String::new();
        for (k, &x) in points.iter().enumerate() {
            let next = points.get(k + 1).copied();
            let covered = next.is_some_and(|y| {
                mine.iter()
                    .map(|&i| spans[i])
                    .any(|(s, e)| s < e && s <= x && e >= y)
            });
            let mut events = String::new();
            for &i in mine {
                let e = spans[i].1;
                if close_q[i] && e == x && e > ps {
                    events.push('”');
                }
            }
            for &i in mine {
                let (tp, tx) = tails[i];
                if tp == pi
                    && tx == x
                    && let Some(k) = fn_no[i]
                {
                    let _ = write!(events, "[^{k}]");
                }
            }
            for &i in mine {
                let s = spans[i].0;
                if open_q[i] && s == x && next.is_some() {
                    events.push('“');
                }
            }
            if open && (!covered || !events.is_empty()) {
                body.push_str("==");
                open = false;
            }
            body.push_str(&events);
            if let Some(y) = next {
                if covered && !open {
                    body.push_str("==");
                    open = true;
                }
                let seg: String = chars[x..y].iter().collect();
                body.push_str(&escape_inline(&seg));
            }
        }
        if open {
            body.push_str("==");
        }
        out.push_str(&body);
        out.push_str("\n\n");
    }
    if paragraphs.is_empty() {
        for k in fn_no.iter().flatten() {
            let _ = write!(out, "[^{k}]");
        }
        if fn_no.iter().any(Option::is_some) {
            out.push_str("\n\n");
        }
    }
    for (k, t) in &defs {
        let _ = writeln!(out, "[^{k}]: {t}");
    }
    if !defs.is_empty() {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, VerifyStatus};

    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Removes backslash escapes.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                if let Some(d) = it.next() {
                    out.push(d);
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The text inside `==…==` of the paragraph lines (footnote marks removed), pieces
    /// separated by `\u{1}`.
    fn marked(md: &str) -> String {
        let mut out = String::new();
        for line in md.lines().filter(|l| l.starts_with("**¶")) {
            let body = &line[line.find("** ").unwrap() + 3..];
            let mut cleaned = String::new();
            let mut rest = body;
            while let Some(at) = rest.find("[^") {
                if at > 0 && rest.as_bytes()[at - 1] == b'\\' {
                    cleaned.push_str(&rest[..at + 2]);
                    rest = &rest[at + 2..];
                    continue;
                }
                cleaned.push_str(&rest[..at]);
                rest = &rest[at + rest[at..].find(']').unwrap() + 1..];
            }
            cleaned.push_str(rest);
            // A footnote mark or added quotation mark between two runs split them: rejoin.
            let cleaned = cleaned.replace(['“', '”'], "").replace("====", "");
            // Split on unescaped "==".
            let mut inside = false;
            let mut piece = String::new();
            let cs: Vec<char> = cleaned.chars().collect();
            let mut i = 0;
            while i < cs.len() {
                if cs[i] == '\\' && i + 1 < cs.len() {
                    piece.push(cs[i]);
                    piece.push(cs[i + 1]);
                    i += 2;
                    continue;
                }
                if cs[i] == '=' && cs.get(i + 1) == Some(&'=') {
                    if inside {
                        out.push_str(&unescape(&piece));
                    } else {
                        out.push('\u{1}');
                    }
                    piece.clear();
                    inside = !inside;
                    i += 2;
                    continue;
                }
                piece.push(cs[i]);
                i += 1;
            }
            assert!(!inside, "unclosed == in {line}");
            out.push('\u{1}');
        }
        squash(&out.replace(['“', '”'], ""))
    }

    fn footnote_defs(md: &str) -> usize {
        md.lines().filter(|l| l.starts_with("[^")).count()
    }

    fn assert_marked(ws: &Workspace, md: &str, anns: &[&Annotation]) {
        let m = marked(md);
        for a in anns {
            for piece in a.anchor.quote.lines() {
                let piece = squash(&piece.replace(['“', '”'], ""));
                if !piece.is_empty() {
                    assert!(m.contains(&piece), "{} not marked: {piece}", a.id);
                }
            }
        }
        let _ = ws;
    }

    #[test]
    fn the_sample_exports_with_marks_footnotes_and_sources() {
        let ws = crate::sample::sample_workspace();
        let opts = ExportOptions::default();
        let md = to_markdown(&ws, &opts);
        let anns: Vec<&Annotation> = ws.annotations.iter().filter(|a| !a.orphan).collect();
        assert_marked(&ws, &md, &anns);
        let expected = anns
            .iter()
            .filter(|a| !a.note.trim().is_empty() || a.directive.is_some())
            .count();
        assert_eq!(footnote_defs(&md), expected);
        for k in 1..=expected {
            assert!(md.contains(&format!("[^{k}]: ")));
            assert_eq!(
                md.matches(&format!("[^{k}]")).count(),
                2,
                "ref and definition"
            );
        }
        let paras = ws.documents[0].paragraphs().len();
        assert!(md.contains("**¶1** ") && md.contains(&format!("**¶{paras}** ")));
        for t in anns.iter().flat_map(|a| &a.tags) {
            assert!(md.contains(&format!("- {}\n", escape_inline(&ws.tag_path(*t)))));
        }
        assert!(md.contains("## Sources"));
        for s in anns.iter().filter_map(|a| linked_source(&ws, a)) {
            assert!(md.contains(&escape_inline(&s.citation())));
        }
        assert_eq!(md, to_markdown(&ws, &opts));
    }

    #[test]
    fn the_verification_sample_shows_every_status() {
        let ws = crate::sample::verification_sample();
        let md = to_markdown(&ws, &ExportOptions::default());
        for s in [
            VerifyStatus::Verbatim,
            VerifyStatus::Variant,
            VerifyStatus::Abridged,
            VerifyStatus::NotFound,
        ] {
            assert!(md.contains(&format!("Verification: {}", s.word())));
        }
    }

    #[test]
    fn options_filter_notes_tags_and_documents() {
        let ws = crate::sample::sample_workspace();
        let bare = to_markdown(
            &ws,
            &ExportOptions {
                notes: false,
                sources: false,
                verification: false,
                ..Default::default()
            },
        );
        assert_eq!(footnote_defs(&bare), 0);
        assert!(!bare.contains("[^") && !bare.contains("Sources"));

        let t = ws.tags.iter().find(|t| t.name == "社区服务").unwrap().id;
        let opts = ExportOptions {
            tags: Some(vec![t]),
            notes: false,
            sources: false,
            verification: false,
            ..Default::default()
        };
        let md = to_markdown(&ws, &opts);
        let some = selected_annotations(&ws, ws.documents[0].id, &opts);
        assert!(!some.is_empty());
        assert_marked(&ws, &md, &some);
        let all = to_markdown(
            &ws,
            &ExportOptions {
                notes: false,
                sources: false,
                verification: false,
                ..Default::default()
            },
        );
        assert!(md.matches("==").count() < all.matches("==").count());

        let none = to_markdown(
            &ws,
            &ExportOptions {
                docs: Some(vec![DocId(999_999)]),
                ..Default::default()
            },
        );
        assert!(!none.contains("**¶") && !none.contains("=="));
    }

    #[test]
    fn hostile_text_is_escaped() {
        let ws = crate::export::html::tests::hostile_workspace();
        let md = to_markdown(&ws, &ExportOptions::default());
        assert!(!md.to_lowercase().contains("<script>"));
        for (i, _) in md.match_indices('<') {
            assert_eq!(&md[i - 1..i], "\\", "raw < at {i}");
        }
        assert!(!md.contains("[link](javascript:"));
        assert_eq!(
            md.matches("](javascript").count(),
            md.matches("\\](javascript").count()
        );
        assert!(!md.contains("&amp;") || md.contains("\\&amp;"));
        assert!(!md.contains("\n- 第二"), "no injected list items:\n{md}");
        assert!(md.contains("\\[link\\](javascript:alert(1))"));
        // Every footnote reference has a definition and the marks pair up.
        let defs = footnote_defs(&md);
        assert_eq!(defs, ws.annotations.len());
        let m = marked(&md);
        assert!(m.contains("alert(1)"));
    }

    #[test]
    fn escapes_are_complete() {
        assert_eq!(escape_line("- a"), "\\- a");
        assert_eq!(escape_line("12. a"), "12\\. a");
        assert_eq!(escape_inline("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
        assert_eq!(escape_inline("a\nb"), "a b");
    }
}

#[cfg(test)]
mod memo_tests {
    use super::*;
    use crate::model::Command;

    #[test]
    fn memos_and_attributes_are_exported_with_the_notes() {
        let mut ws = crate::export::test_workspace("同志们：讲话正文。", "讲话", &[], "#F2C94C");
        ws.memo = "工作区备忘".into();
        let d = ws.documents[0].id;
        let mut meta = ws.documents[0].meta.clone();
        meta.memo = "与二〇〇八年讲话对照".into();
        meta.level = "市".into();
        meta.attributes.insert("届次".into(), "十四届".into());
        ws.apply(Command::SetDocMeta(d, meta)).unwrap();
        let opts = ExportOptions {
            lang: crate::export::Lang::Zh,
            ..Default::default()
        };
        let md = to_markdown(&ws, &opts);
        assert!(md.contains("- 备忘：与二〇〇八年讲话对照"), "{md}");
        assert!(
            md.contains("- 层级：市") && md.contains("- 届次：十四届"),
            "{md}"
        );
        let html = crate::export::html::to_html(&ws, &opts);
        assert!(
            html.contains("<dt>备忘</dt><dd>与二〇〇八年讲话对照</dd>"),
            "{html}"
        );
        let without = ExportOptions {
            notes: false,
            ..opts
        };
        assert!(!to_markdown(&ws, &without).contains("二〇〇八"));
    }
}
