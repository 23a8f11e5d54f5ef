//! Saved web pages (`.html`, `.htm`, and `.mhtml` archives): the article only. The page is
//! parsed with html5ever (through `scraper`); the block holding the article is chosen by a
//! readability-style score tuned for Chinese (paragraph length and Chinese commas, less the
//! text in links), and inside it navigation, share bars, 相关阅读 / 看过本文的人还看了 lists,
//! 责任编辑 lines and the like are dropped. The page's title and publication date are kept for
//! the document's metadata.

use std::collections::HashMap;

use base64::Engine as _;
use encoding_rs::Encoding;
use scraper::{ElementRef, Html, Node};

use super::ImportError;
use super::decode::{self, EncodingChoice};
use super::layout::tidy_spaces;

/// What a web page gave.
pub(crate) struct Article {
    /// The article's text, title first.
    pub text: String,
    /// The encoding the page was in ("UTF-8", "GBK", …).
    pub encoding: String,
    /// The article's title.
    pub title: Option<String>,
    /// Its publication date, ISO (`2007-05-10`).
    pub date: Option<String>,
    /// How the encoding was guessed, when it was (a declared charset the bytes contradict,
    /// an unknown one, a detection of low confidence).
    pub notice: Option<String>,
}

/// Whether the bytes are a web page: an HTML tag or doctype first, or an MHTML archive.
pub(crate) fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head: Vec<u8> = start
        .trim_ascii_start()
        .iter()
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    let tags: [&[u8]; 5] = [b"<!doctype html", b"<html", b"<head", b"<meta", b"<body"];
    if tags.iter().any(|t| head.starts_with(t)) {
        return true;
    }
    if head.starts_with(b"<?xml") || head.starts_with(b"<!--") {
        return head.windows(5).any(|w| w == b"<html");
    }
    is_mhtml(&head)
}

/// Whether the start of a file is an MHTML (MIME) archive.
fn is_mhtml(head: &[u8]) -> bool {
    let h = String::from_utf8_lossy(head);
    (h.starts_with("from:")
        || h.starts_with("mime-version:")
        || h.starts_with("subject:")
        || h.starts_with("date:")
        || h.starts_with("content-type:")
        || h.starts_with("snapshot-content-location:"))
        && h.contains("multipart/related")
}

/// The article of a web page.
pub(crate) fn extract(bytes: &[u8], choice: EncodingChoice) -> Result<Article, ImportError> {
    let head: Vec<u8> = bytes
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    let (html, encoding, notice) = if is_mhtml(head.trim_ascii_start()) {
        let (body, charset) = mhtml_html_part(bytes).ok_or_else(|| ImportError::NotText {
            file: None,
            reason: "it is a web archive (.mhtml) without an HTML page in it".into(),
        })?;
        decode_page(&body, choice, charset.as_deref())?
    } else {
        decode_page(bytes, choice, None)?
    };
    let doc = Html::parse_document(&html);
    nesting_within_limit(&doc)?;
    let stats = PageStats::of(&doc);
    let title = page_title(&doc, &stats);
    let date = publication_date(&doc);
    let mut text = article_text(&doc, &stats);
    if let Some(t) = &title
        && !text.trim_start().starts_with(t.as_str())
    {
        text = format!("{t}\n{text}");
    }
    Ok(Article {
        text,
        encoding: format!("HTML ({encoding})"),
        title,
        date,
        notice,
    })
}

/// Decodes a page: a byte-order mark, else the charset the page or its archive declares, else
/// UTF-8 when valid, else detection among the Chinese encodings. A declared charset the bytes
/// do not decode in is not believed: the encoding is detected and the notice says so (or, when
/// detection fails too, the bad bytes are shown as U+FFFD and the notice counts them); so is
/// an unknown charset.
fn decode_page(
    bytes: &[u8],
    choice: EncodingChoice,
    declared: Option<&str>,
) -> Result<(String, String, Option<String>), ImportError> {
    let mut said = None;
    if choice == EncodingChoice::Auto && !bytes.starts_with(b"\xEF\xBB\xBF") {
        let declared = declared.map(str::to_owned).or_else(|| meta_charset(bytes));
        // A page saved again by a tool keeps its old <meta charset> but is UTF-8 now: valid
        // UTF-8 with Chinese in it is practically never GBK, so it wins over the declaration.
        let utf8 = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
        let label = declared.as_deref().unwrap_or("").trim();
        if let Some(enc) = declared
            .as_deref()
            .and_then(charset_encoding)
            .filter(|_| !utf8)
        {
            let name = if enc == encoding_rs::GB18030 {
                "GB18030"
            } else {
                enc.name()
            };
            let (s, errors) = enc.decode_without_bom_handling(bytes);
            if !errors {
                return Ok((s.into_owned(), name.to_owned(), None));
            }
            let bad = s
                .matches('\u{FFFD}')
                .count()
                .saturating_sub(count_replacements(bytes));
            return Ok(match decode::decode_text(bytes, choice, true) {
                Ok(d) => {
                    let notice = format!(
                        "the page declares charset {label}, but its bytes are not {name}: it was read as {} (detected){}",
                        d.encoding,
                        d.notice.map(|n| format!("; {n}")).unwrap_or_default()
                    );
                    (d.text, d.encoding, Some(notice))
                }
                Err(_) => {
                    let notice = format!(
                        "the page declares charset {label}, but {bad} character(s) are not {name} and no other encoding fits: they are shown as \u{FFFD} — check the text"
                    );
                    (s.into_owned(), name.to_owned(), Some(notice))
                }
            });
        }
        if !label.is_empty() && charset_encoding(label).is_none() {
            said = Some(format!(
                "the page declares a charset Yinwen does not know ({}); the encoding was detected",
                label.chars().take(40).collect::<String>()
            ));
        }
    }
    let d = decode::decode_text(bytes, choice, true)?;
    let notice = match (said, d.notice) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    Ok((d.text, d.encoding, notice))
}

/// U+FFFD characters written in the page as UTF-8 bytes (not produced by decoding).
fn count_replacements(bytes: &[u8]) -> usize {
    bytes
        .windows(3)
        .filter(|w| *w == "\u{FFFD}".as_bytes())
        .count()
}

/// The encoding of a declared charset; GB2312 and GBK are read as GB18030, their superset.
fn charset_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    Some(if enc == encoding_rs::GBK {
        encoding_rs::GB18030
    } else if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        // A page declaring UTF-16 while being read as bytes is UTF-8 in practice.
        encoding_rs::UTF_8
    } else {
        enc
    })
}

/// The charset a page declares in `<meta charset>` or `<meta http-equiv content>`, read
/// from its first 4 KiB as ASCII.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = head[from..].find("<meta") {
        let start = from + i;
        let end = head[start..].find('>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = tag.find("charset=") {
            let v = tag[c + 8..].trim_start_matches(['"', '\'', ' ']);
            let v: String = v
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect();
            if !v.is_empty() {
                return Some(v);
            }
        }
        from = end;
    }
    None
}

/// Where `needle` first occurs in `hay` at or after `from`.
fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// The HTML part of an MHTML archive and the charset its headers give. Parts are found in
/// the raw bytes, so a body sent as 8-bit GBK arrives intact.
fn mhtml_html_part(bytes: &[u8]) -> Option<(Vec<u8>, Option<String>)> {
    let lower = bytes.to_ascii_lowercase();
    let b = find_bytes(&lower, b"boundary=", 0)? + 9;
    let boundary: Vec<u8> = bytes[b..]
        .iter()
        .skip_while(|&&c| c == b'"')
        .take_while(|&&c| !matches!(c, b'"' | b'\r' | b'\n' | b';'))
        .copied()
        .collect();
    let sep = [b"--".as_slice(), &boundary].concat();
    let mut at = find_bytes(bytes, &sep, b)?;
    while let Some(start) = Some(at + sep.len()).filter(|&s| s < bytes.len()) {
        let end = find_bytes(bytes, &sep, start).unwrap_or(bytes.len());
        let part = &bytes[start..end];
        at = end;
        let (head_end, body_start) = match find_bytes(part, b"\r\n\r\n", 0) {
            Some(i) => (i, i + 4),
            None => {
                let i = find_bytes(part, b"\n\n", 0)?;
                (i, i + 2)
            }
        };
        let h = String::from_utf8_lossy(&part[..head_end]).to_ascii_lowercase();
        if !h.contains("content-type: text/html") {
            continue;
        }
        let charset = h.find("charset=").map(|c| {
            h[c + 8..]
                .trim_start_matches('"')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect::<String>()
        });
        let body = &part[body_start..];
        let body = if h.contains("quoted-printable") {
            quoted_printable(body)
        } else if h.contains("base64") {
            let clean: Vec<u8> = body
                .iter()
                .copied()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean)
                .ok()?
        } else {
            body.to_vec()
        };
        return Some((body, charset));
    }
    None
}

/// Decodes quoted-printable: `=XX` bytes and `=` soft line breaks.
fn quoted_printable(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let Some(h) = b.get(i + 1..i + 3)
                && let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(h), 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Elements never part of the article. (Not `form`: several Chinese CMSs wrap the whole
/// article in one.)
const NEVER: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "select", "button",
    "iframe", "svg", "canvas", "template", "head", "title", "input", "textarea", "object", "embed",
    "menu",
];

/// Class or id words of boilerplate blocks.
const BOILERPLATE: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "position",
    "location",
    "crumb",
    "footer",
    "foot",
    "header",
    "share",
    "related",
    "relate",
    "recommend",
    "comment",
    "sidebar",
    "side",
    "aside",
    "prevnext",
    "pre_next",
    "prev",
    "next",
    "editor",
    "copyright",
    "banner",
    "toolbar",
    "tool",
    "print",
    "search",
    "login",
    "ad",
    "ads",
    "advert",
    "social",
    "tags",
    "hot",
    "rank",
    "alsoread",
    "xgyd",
    "xgxw",
    "fenxiang",
    "bjzr",
    "zrbj",
];

/// Article blocks that look like boilerplate by name but hold the text on many sites.
const ARTICLE_NAMES: &[&str] = &["trs_editor", "zoom", "content", "article", "main", "text"];

/// Whether an element's class or id marks it as boilerplate.
fn is_boilerplate(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    let names: Vec<String> = v
        .attr("class")
        .unwrap_or("")
        .split_whitespace()
        .chain(v.attr("id"))
        .map(str::to_ascii_lowercase)
        .collect();
    if names.iter().any(|n| ARTICLE_NAMES.contains(&n.as_str())) {
        return false;
    }
    names.iter().any(|n| {
        n.split(['-', '_']).any(|w| BOILERPLATE.contains(&w)) || BOILERPLATE.contains(&n.as_str())
    })
}

/// Whether an element and what it holds never count (scripts, navigation, boilerplate).
fn excluded(el: &ElementRef<'_>) -> bool {
    NEVER.contains(&el.value().name()) || is_boilerplate(el) || hidden(el)
}

/// `display:none` or the `hidden` attribute.
fn hidden(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    v.attr("hidden").is_some()
        || v.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}

/// The deepest nesting of elements read: the article's text is gathered recursively, once per
/// level, so a page nested deeper (thousands of unclosed `<div>` or `<font>`: damaged or made
/// to crash readers) is refused before that, whichever thread reads it.
pub(crate) const MAX_NESTING: usize = 1000;

/// Refuses a page whose elements nest deeper than [`MAX_NESTING`] (counted without
/// recursion).
fn nesting_within_limit(doc: &Html) -> Result<(), ImportError> {
    let mut stack = vec![(doc.tree.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Err(ImportError::UnreadableDocument {
                file: None,
                kind: "web page",
                reason: format!(
                    "it nests elements more than {MAX_NESTING} deep (the page is damaged or made to crash readers)"
                ),
            });
        }
        stack.extend(node.children().map(|c| (c, depth + 1)));
    }
    Ok(())
}

/// What the scorer needs to know of one element, computed once for the whole page.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    /// The element itself never counts ([`excluded`]).
    excluded: bool,
    /// One of its ancestors never counts.
    in_excluded: bool,
    /// Non-space chars of its text, excluded descendants left out.
    len: usize,
    /// The part of `len` inside links (`a` elements below it).
    links: usize,
    /// Non-space chars of all its text (excluded descendants included).
    all: usize,
    /// Chinese and Latin commas, full stops, semicolons and enumeration commas in all its text.
    commas: usize,
}

/// [`Stats`] of every element of a page, keyed by node.
struct PageStats(HashMap<usize, Stats>);

/// The key of a node: its address in the tree, which does not move while the page is read.
fn key(node: &Node) -> usize {
    std::ptr::from_ref(node) as usize
}

impl PageStats {
    /// Computes every element's [`Stats`] in one walk (each node visited twice, children
    /// before their parent is closed), so scoring is linear in the page however deep its
    /// elements nest.
    fn of(doc: &Html) -> PageStats {
        let mut map: HashMap<usize, Stats> = HashMap::new();
        let mut excluded_depth = 0usize;
        // (node, closing): each node is opened, its children walked, then it is closed.
        let mut stack = vec![(doc.tree.root(), false)];
        while let Some((node, closing)) = stack.pop() {
            let Some(el) = ElementRef::wrap(node) else {
                if !closing {
                    stack.extend(node.children().rev().map(|c| (c, false)));
                }
                continue;
            };
            if !closing {
                let st = Stats {
                    excluded: excluded(&el),
                    in_excluded: excluded_depth > 0,
                    ..Stats::default()
                };
                map.insert(key(node.value()), st);
                excluded_depth += usize::from(st.excluded || st.in_excluded);
                stack.push((node, true));
                stack.extend(node.children().rev().map(|c| (c, false)));
                continue;
            }
            let mut st = map.get(&key(node.value())).copied().unwrap_or_default();
            excluded_depth -= usize::from(st.excluded || st.in_excluded);
            for child in node.children() {
                match child.value() {
                    Node::Text(t) => {
                        let n = t.chars().filter(|c| !c.is_whitespace()).count();
                        st.len += n;
                        st.all += n;
                        st.commas += t
                            .chars()
                            .filter(|c| matches!(c, '，' | ',' | '。' | '；' | '、'))
                            .count();
                    }
                    Node::Element(e) => {
                        let c = map.get(&key(child.value())).copied().unwrap_or_default();
                        st.all += c.all;
                        st.commas += c.commas;
                        if !c.excluded {
                            st.len += c.len;
                            st.links += if e.name() == "a" { c.len } else { c.links };
                        }
                    }
                    _ => {}
                }
            }
            map.insert(key(node.value()), st);
        }
        PageStats(map)
    }

    /// The stats of an element of the page.
    fn get(&self, el: &ElementRef<'_>) -> Stats {
        let node = std::ops::Deref::deref(el).value();
        self.0.get(&key(node)).copied().unwrap_or_default()
    }
}

/// The block that holds the article: each paragraph-like element scores by its length and its
/// commas, less its links; its parent gets the score and its grandparent half of it.
fn article_root<'a>(doc: &'a Html, stats: &PageStats) -> Option<ElementRef<'a>> {
    let mut scores: HashMap<_, f32> = HashMap::new();
    let root = doc.root_element();
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        for child in e.children() {
            if let Some(ce) = ElementRef::wrap(child)
                && !stats.get(&ce).excluded
            {
                stack.push(ce);
            }
        }
        let name = e.value().name();
        let own_text: usize = e
            .children()
            .filter_map(|c| c.value().as_text())
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let paragraph_like = matches!(name, "p" | "pre" | "blockquote")
            || (matches!(name, "div" | "td" | "section" | "article" | "span" | "font")
                && own_text >= 25);
        if !paragraph_like {
            continue;
        }
        let Stats {
            len, links, commas, ..
        } = stats.get(&e);
        if len < 10 {
            continue;
        }
        let density = links as f32 / len as f32;
        let score = (1.0 + commas as f32 + (len as f32 / 100.0).min(3.0)) * (1.0 - density);
        // A paragraph scores for the block holding it; a block with text of its own, for itself.
        let target = if matches!(name, "p" | "pre" | "blockquote") {
            e.parent().and_then(ElementRef::wrap)
        } else {
            Some(e)
        };
        if let Some(parent) = target {
            *scores.entry(parent.id()).or_default() += score;
            if let Some(gp) = parent.parent().and_then(ElementRef::wrap) {
                *scores.entry(gp.id()).or_default() += score / 2.0;
            }
        }
    }
    scores
        .into_iter()
        .filter_map(|(id, s)| {
            let el = ElementRef::wrap(doc.tree.get(id)?)?;
            let Stats { len, links, .. } = stats.get(&el);
            let density = if len == 0 {
                1.0
            } else {
                links as f32 / len as f32
            };
            Some((el, s * (1.0 - density)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(el, _)| el)
}

/// Block elements: their text starts and ends a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "tr"
            | "table"
            | "section"
            | "article"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "hr"
            | "center"
            | "address"
            | "figure"
            | "figcaption"
            | "main"
    )
}

/// The text of an element with blocks on lines of their own; link-dense lists and
/// boilerplate blocks inside it are left out.
fn block_text(el: ElementRef<'_>, stats: &PageStats, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&t.replace(['\n', '\r', '\t'], " ")),
            Node::Element(e) => {
                let Some(ce) = ElementRef::wrap(child) else {
                    continue;
                };
                let Stats {
                    excluded,
                    len,
                    links,
                    ..
                } = stats.get(&ce);
                if excluded {
                    continue;
                }
                let name = e.name();
                if matches!(name, "ul" | "ol" | "table" | "div" | "dl")
                    && len > 0
                    && links * 2 > len
                {
                    continue;
                }
                let block = is_block(name);
                if block {
                    out.push('\n');
                }
                if name == "td" || name == "th" {
                    out.push('\t');
                }
                block_text(ce, stats, out);
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

/// Lines after which nothing belongs to the article.
const STOP_AT: &[&str] = &[
    "相关阅读",
    "相关链接",
    "相关新闻",
    "相关文章",
    "看过本文的人还看了",
    "延伸阅读",
    "上一篇",
    "下一篇",
    "推荐阅读",
    "热点推荐",
    "猜你喜欢",
    "网友评论",
];

/// Lines that are never the article's.
const DROP: &[&str] = &[
    "责任编辑",
    "【责任编辑",
    "[责任编辑",
    "责编：",
    "责编:",
    "编辑：",
    "编辑:",
    "审核：",
    "校对：",
    "【打印",
    "【关闭",
    "【纠错",
    "分享到",
    "字号：",
    "打印本页",
    "关闭窗口",
    "扫一扫",
    "来源：",
    "当前位置",
];

/// The article's text: the chosen block, one paragraph a line, boilerplate lines dropped.
fn article_text(doc: &Html, stats: &PageStats) -> String {
    let mut raw = String::new();
    match article_root(doc, stats) {
        Some(root) => block_text(root, stats, &mut raw),
        None => {
            let body = scraper::Selector::parse("body").ok();
            if let Some(b) = body.and_then(|s| doc.select(&s).next()) {
                block_text(b, stats, &mut raw);
            }
        }
    }
    let mut lines = Vec::new();
    for line in raw.split('\n') {
        let line = tidy_spaces(line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'));
        if line.is_empty() {
            continue;
        }
        if STOP_AT.iter().any(|s| line.starts_with(s)) && !lines.is_empty() {
            break;
        }
        let bare = line.trim_start_matches(['【', '[', '（', '(']);
        if DROP
            .iter()
            .any(|d| line.starts_with(d) || bare.starts_with(d))
        {
            continue;
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// The article's title: its `<h1>`, else the ArticleTitle meta, else the page title without
/// the site's name.
fn page_title(doc: &Html, stats: &PageStats) -> Option<String> {
    let sel = |s: &str| scraper::Selector::parse(s).ok();
    let clean = |s: &str| {
        let t = tidy_spaces(s.split_whitespace().collect::<Vec<_>>().join(" ").trim());
        (!t.is_empty()).then_some(t)
    };
    if let Some(s) =
        sel("meta[name=ArticleTitle], meta[name=articletitle], meta[property='og:title']")
        && let Some(t) = doc
            .select(&s)
            .find_map(|m| m.value().attr("content").and_then(clean))
    {
        return Some(t);
    }
    if let Some(s) = sel("h1")
        && let Some(t) = doc
            .select(&s)
            .filter(|h| {
                // Headings without text are passed over unread, so nested empty ones cost
                // nothing.
                let st = stats.get(h);
                !st.in_excluded && st.all > 0
            })
            .find_map(|h| clean(&h.text().collect::<String>()))
    {
        return Some(t);
    }
    let title = sel("title").and_then(|s| doc.select(&s).next())?;
    let t = clean(&title.text().collect::<String>())?;
    clean(without_site_name(&t))
}

/// A page title without the site's name: "文章_某某市人民政府", "文章 - 中国政府网",
/// "文章-新华网", "文章|人民网". A hyphen inside the title itself ("1-10月") stays.
fn without_site_name(t: &str) -> &str {
    let site_like = |tail: &str| {
        let tail = tail.trim();
        !tail.is_empty()
            && tail.chars().count() <= 20
            && [
                "网",
                "站",
                "报",
                "政府",
                "委员会",
                "局",
                "厅",
                "部",
                "办",
                "频道",
                "新闻",
                "官网",
                "学会",
                "中心",
                "院",
                ".com",
                ".cn",
            ]
            .iter()
            .any(|k| tail.contains(k))
    };
    let mut cut = t.len();
    for sep in ["_", " - ", "|", "－", "——", " – ", "-", "--"] {
        if let Some(i) = t.rfind(sep)
            && i > 0
            && site_like(&t[i + sep.len()..])
        {
            cut = cut.min(i);
        }
    }
    t[..cut].trim_end_matches(['-', '_', ' ', '|'])
}

/// The page's publication date, ISO: from a PubDate-like meta, else from a 发布时间 / 发布日期 /
/// 时间 line.
fn publication_date(doc: &Html) -> Option<String> {
    if let Ok(s) = scraper::Selector::parse(
        "meta[name=PubDate], meta[name=pubdate], meta[name=publishdate], meta[property='article:published_time'], meta[name=firstpublishedtime]",
    ) && let Some(d) = doc
        .select(&s)
        .find_map(|m| m.value().attr("content").and_then(iso_date))
    {
        return Some(d);
    }
    let body = scraper::Selector::parse("body").ok()?;
    let body = doc.select(&body).next()?;
    for t in body.text() {
        for key in [
            "发布时间",
            "发布日期",
            "发文日期",
            "成文日期",
            "时间：",
            "日期：",
        ] {
            if let Some(i) = t.find(key)
                && let Some(d) = iso_date(&t[i + key.len()..])
            {
                return Some(d);
            }
        }
    }
    None
}

/// The first date in a text (`2007-05-10`, `2007/5/10`, `2007年5月10日`, `2007.05.10`),
/// within its first 40 chars, as ISO.
fn iso_date(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().take(40).collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut nums = Vec::new();
            let mut j = i;
            while nums.len() < 3 && j < chars.len() {
                let start = j;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                if start == j {
                    break;
                }
                nums.push(chars[start..j].iter().collect::<String>());
                if j < chars.len() && matches!(chars[j], '-' | '/' | '.' | '年' | '月') {
                    j += 1;
                } else {
                    break;
                }
            }
            if nums.len() == 3 && nums[0].len() == 4 {
                let y: u32 = nums[0].parse().ok()?;
                let m: u32 = nums[1].parse().ok()?;
                let d: u32 = nums[2].parse().ok()?;
                if (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) {
                    return Some(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于加强社区建设的通知_某某市人民政府</title>
        <script>var x = "不是正文";</script></head><body>
        <div id="nav"><a href="/">首页</a> | <a href="/xw">新闻</a></div>
        <div class="position">当前位置：<a href="/">首页</a> &gt; 正文</div>
        <div class="main"><h1>关于加强社区建设的通知</h1>
        <div class="info">发布时间：2021年3月5日 来源：市政府办公室</div>
        <div class="TRS_Editor"><p>　　各区人民政府，市政府各部门：</p>
        <p>　　为深入贯彻落实党中央、国务院关于加强基层治理的决策部署，进一步提升社区服务能力，现就有关事项通知如下。</p>
        <p>　　一、提高认识。社区是基层治理的基础单元，各地要把社区建设摆在重要位置，加强组织领导，落实工作责任。</p></div>
        <div class="editor">【责任编辑：张三】</div><div class="edit">(责编：李四、王五)</div>
        <div class="related"><h3>相关阅读</h3><ul><li><a href="/1">某某新闻一</a></li><li><a href="/2">某某新闻二</a></li></ul></div>
        </div><div id="footer">版权所有 某某市人民政府 备案号：ICP 000</div></body></html>"#;

    #[test]
    fn the_article_without_navigation_or_lists() {
        let a = extract(PAGE.as_bytes(), EncodingChoice::Auto).unwrap();
        assert_eq!(
            a.text,
            "关于加强社区建设的通知\n各区人民政府，市政府各部门：\n为深入贯彻落实党中央、国务院关于加强基层治理的决策部署，进一步提升社区服务能力，现就有关事项通知如下。\n一、提高认识。社区是基层治理的基础单元，各地要把社区建设摆在重要位置，加强组织领导，落实工作责任。"
        );
        assert_eq!(a.title.as_deref(), Some("关于加强社区建设的通知"));
        assert_eq!(a.date.as_deref(), Some("2021-03-05"));
        assert_eq!(a.encoding, "HTML (UTF-8)");
    }

    #[test]
    fn gbk_declared_in_meta() {
        let page = PAGE.replace(
            "charset=\"utf-8\"",
            "http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"",
        );
        let (bytes, _, _) = encoding_rs::GBK.encode(&page);
        let a = extract(&bytes, EncodingChoice::Auto).unwrap();
        assert!(a.text.contains("社区是基层治理的基础单元"));
        assert_eq!(a.encoding, "HTML (GB18030)");
    }

    #[test]
    fn mhtml_quoted_printable() {
        let html = "<html><body><div><p>=E4=B8=AD=E5=9B=BD=E4=BA=BA=E6=B0=91=E7=AB=99=E8=B5=B7=E6=9D=A5=E4=BA=86=EF=BC=8C=E8=BF=99=E6=98=AF=E4=B8=80=E4=B8=AA=E5=BE=88=E9=95=BF=E7=9A=84=E6=AE=B5=E8=90=BD=E3=80=82</p></div></body></html>";
        let m = format!(
            "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----B\"\r\n\r\n------B\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{html}\r\n------B--\r\n"
        );
        assert!(looks_like_html(m.as_bytes()));
        let a = extract(m.as_bytes(), EncodingChoice::Auto).unwrap();
        assert_eq!(a.text, "中国人民站起来了，这是一个很长的段落。");
    }

    #[test]
    fn site_names_leave_titles() {
        assert_eq!(
            without_site_name("法国全国大罢工再次严重影响交通-新华网"),
            "法国全国大罢工再次严重影响交通"
        );
        assert_eq!(
            without_site_name("关于加强社区建设的通知_某某市人民政府"),
            "关于加强社区建设的通知"
        );
        assert_eq!(without_site_name("新闻动态--中国地理学会官网"), "新闻动态");
        assert_eq!(
            without_site_name("1-10月德清县固定资产投资结构趋稳趋优"),
            "1-10月德清县固定资产投资结构趋稳趋优"
        );
    }

    #[test]
    fn a_utf8_page_declaring_gbk_is_read_as_utf8() {
        let page = PAGE.replace(
            "charset=\"utf-8\"",
            "http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"",
        );
        let a = extract(page.as_bytes(), EncodingChoice::Auto).unwrap();
        assert!(a.text.contains("社区是基层治理的基础单元"));
        assert_eq!(a.encoding, "HTML (UTF-8)");
    }

    #[test]
    fn dates() {
        assert_eq!(
            iso_date("：2007-05-10 09:32").as_deref(),
            Some("2007-05-10")
        );
        assert_eq!(iso_date(" 2007年5月1日").as_deref(), Some("2007-05-01"));
        assert_eq!(iso_date("第3期"), None);
    }
}
