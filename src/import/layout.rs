//! Positioned text to paragraphs: the part of the PDF and OFD readers that does not depend on
//! the file format. Pieces of text with their boxes become lines; running headers, footers and
//! page numbers are dropped; lines are joined into paragraphs the way a reader of the page
//! would (a short line ends a paragraph, an indented one starts one, a wider gap or another
//! font size separates them), without spaces between Chinese characters.

/// One piece of text on a page, in page units, with `top` measured from the top of the page
/// (readers of formats whose y axis points up convert).
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top edge, from the top of the page.
    pub top: f32,
    /// Height of the text (about its font size).
    pub size: f32,
    /// The text.
    pub text: String,
}

/// A page: its size and the pieces of text on it, in any order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// The text on the page.
    pub pieces: Vec<Piece>,
}

/// A line of text after pieces on the same baseline were joined.
#[derive(Debug, Clone)]
struct Line {
    x0: f32,
    x1: f32,
    top: f32,
    size: f32,
    text: String,
}

/// Whether a character is written without spaces around it in Chinese text: CJK ideographs,
/// CJK and full-width punctuation, kana and Hangul. (Wider than `analysis::text::is_cjk`,
/// which is ideographs only.)
pub(crate) fn spaceless(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Appends `next` to `out`, with one space between them unless either side is Chinese (or
/// `out` already ends in whitespace).
pub(crate) fn join_into(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    match (out.chars().next_back(), next.chars().next()) {
        (None, _) => {}
        (Some(a), Some(b)) if a.is_whitespace() || spaceless(a) || spaceless(b) => {}
        // A word broken with a hyphen at the end of a line.
        (Some('-'), Some(b)) if b.is_lowercase() => {
            out.pop();
        }
        _ => out.push(' '),
    }
    out.push_str(next);
}

/// Removes the spaces an extractor puts between Chinese characters and next to Chinese
/// punctuation ("“ 建设" → "“建设"); keeps spaces between Latin words.
pub(crate) fn tidy_spaces(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\u{a0}' {
            let mut j = i;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\u{a0}') {
                j += 1;
            }
            let before = out.chars().next_back();
            let after = chars.get(j).copied();
            let cjk_side = before.is_some_and(spaceless) || after.is_some_and(spaceless);
            if !cjk_side && before.is_some() && after.is_some() {
                out.push(' ');
            }
            i = j;
            continue;
        }
        // Private-use glyphs (Wingdings bullets and the like) read as a bullet.
        if ('\u{E000}'..='\u{F8FF}').contains(&c) {
            out.push('•');
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// Joins the pieces of each page into lines: pieces whose vertical extents overlap by more
/// than half the smaller height sit on one line, left to right.
fn page_lines(page: &Page) -> Vec<Line> {
    let mut pieces: Vec<&Piece> = page
        .pieces
        .iter()
        .filter(|p| !p.text.trim().is_empty() && p.size.is_finite() && p.top.is_finite())
        .collect();
    pieces.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<(Line, Vec<&Piece>)> = Vec::new();
    for p in pieces {
        let size = p.size.max(0.1);
        let fits = lines.iter_mut().rev().take(3).find(|(l, _)| {
            let overlap = (l.top + l.size).min(p.top + size) - l.top.max(p.top);
            overlap > 0.5 * l.size.min(size)
        });
        match fits {
            Some((l, members)) => {
                l.size = l.size.max(size);
                members.push(p);
            }
            None => lines.push((
                Line {
                    x0: p.x0,
                    x1: p.x1,
                    top: p.top,
                    size,
                    text: String::new(),
                },
                vec![p],
            )),
        }
    }
    let mut out: Vec<Line> = lines
        .into_iter()
        .map(|(mut l, mut members)| {
            members.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let mut text = String::new();
            let mut right = f32::NEG_INFINITY;
            for m in &members {
                let gap = m.x0 - right;
                let t = tidy_spaces(m.text.trim());
                if !text.is_empty() && gap > l.size * 1.5 {
                    // Columns of a table or a spaced title: keep them apart.
                    text.push(' ');
                    text.push_str(&t);
                } else {
                    join_into(&mut text, &t);
                }
                right = right.max(m.x1);
            }
            l.x0 = members.iter().map(|m| m.x0).fold(f32::INFINITY, f32::min);
            l.x1 = right;
            l.top = members.iter().map(|m| m.top).fold(f32::INFINITY, f32::min);
            l.text = text;
            l
        })
        .filter(|l| !l.text.trim().is_empty())
        .collect();
    out.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0)));
    out
}

/// Whether a line is only a page number: "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 10 页",
/// "3/10", "Page 3 of 10".
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !t.chars().any(|c| c.is_ascii_digit()) || t.chars().count() > 16 {
        return false;
    }
    let rest = t
        .to_lowercase()
        .replace("page", "")
        .replace("of", "")
        .replace(
            [
                '第', '页', '共', '/', '-', '—', '－', '–', '·', '.', '(', ')', '（', '）',
            ],
            "",
        );
    rest.chars().all(|c| c.is_ascii_digit())
}

/// The key under which running headers and footers repeat: the text without digits and
/// spaces (page numbers and dates in a header change from page to page).
fn running_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit())
        .collect()
}

/// Drops page numbers and running headers and footers: lines in the top or bottom eighth of
/// a page that are a page number, or whose text (digits aside) repeats on at least half of the
/// pages (and on two or more).
fn drop_running(pages: &mut [(f32, Vec<Line>)]) {
    let in_margin = |height: f32, l: &Line| l.top < height / 8.0 || l.top > height * 7.0 / 8.0;
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for (height, lines) in pages.iter() {
        let mut seen = std::collections::HashSet::new();
        for l in lines.iter().filter(|l| in_margin(*height, l)) {
            let key = running_key(&l.text);
            if !key.is_empty() && seen.insert(key.clone()) {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let n = pages.len();
    for (height, lines) in pages.iter_mut() {
        let h = *height;
        lines.retain(|l| {
            if !in_margin(h, l) {
                return true;
            }
            if is_page_number(&l.text) {
                return false;
            }
            let repeats = counts.get(&running_key(&l.text)).copied().unwrap_or(0);
            !(n >= 2 && repeats >= 2 && repeats * 2 >= n)
        });
    }
}

/// The most common value of `values` rounded to whole units (the left margin of body text,
/// the usual line height).
fn mode(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut counts: std::collections::HashMap<i64, usize> = Default::default();
    for v in values.filter(|v| v.is_finite()) {
        *counts.entry(v.round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(v, n)| (n, -v))
        .map(|(v, _)| v as f32)
}

/// Turns pages of positioned text into the document's text: one paragraph a line, or, when
/// `keep_lines`, every line of the page as it was laid out (page breaks as a blank line).
pub fn paragraphs(pages: &[Page], keep_lines: bool) -> String {
    let mut laid: Vec<(f32, Vec<Line>)> = pages
        .iter()
        .map(|p| (p.height.max(1.0), page_lines(p)))
        .collect();
    drop_running(&mut laid);
    if keep_lines {
        return laid
            .iter()
            .map(|(_, lines)| {
                lines
                    .iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    let all: Vec<&Line> = laid.iter().flat_map(|(_, l)| l.iter()).collect();
    if all.is_empty() {
        return String::new();
    }
    // Body text: the usual height, the usual left edge and the usual right edge of long lines.
    let size = mode(all.iter().map(|l| l.size)).unwrap_or(12.0).max(1.0);
    let body: Vec<&&Line> = all
        .iter()
        .filter(|l| (l.size - size).abs() <= size * 0.2)
        .collect();
    let left = mode(body.iter().map(|l| l.x0)).unwrap_or(0.0);
    let right = {
        let mut r: Vec<f32> = body.iter().map(|l| l.x1).collect();
        r.sort_by(f32::total_cmp);
        // The right edge most full lines reach (a few overhang with punctuation).
        r.get(r.len() * 3 / 4).copied().unwrap_or(0.0)
    };
    let spacing = {
        let mut gaps: Vec<f32> = laid
            .iter()
            .flat_map(|(_, lines)| lines.windows(2).map(|w| w[1].top - w[0].top))
            .filter(|g| *g > 0.0)
            .collect();
        gaps.sort_by(f32::total_cmp);
        gaps.get(gaps.len() / 2).copied().unwrap_or(size * 1.5)
    };
    let page_starts: std::collections::HashSet<usize> = laid
        .iter()
        .scan(0usize, |n, (_, lines)| {
            let start = *n;
            *n += lines.len();
            Some(start)
        })
        .collect();
    let mut out = String::new();
    let mut para = String::new();
    for (i, line) in all.iter().enumerate() {
        if i > 0 {
            let prev = all[i - 1];
            let same_page = !page_starts.contains(&i);
            let short = prev.x1 < right - 1.5 * size;
            let indented = line.x0 > left + 0.8 * size;
            let other_size =
                (line.size - prev.size).abs() > 0.2 * line.size.min(prev.size).max(1.0);
            let gap = same_page && line.top - prev.top > spacing * 1.6;
            // Two centred lines of a title: one paragraph, unless one is a 文号 or a date.
            let centred = |l: &Line| {
                l.x0 > left + 0.8 * size
                    && ((l.x0 + l.x1) / 2.0 - (left + right) / 2.0).abs() < size
            };
            let own_line = |l: &Line| {
                let t = l.text.trim();
                t.ends_with('日') || crate::analysis::header::doc_number_line(t).is_some()
            };
            // A title set vertically, a character a line, one under another.
            let vertical = prev.text.chars().count() <= 2
                && line.text.chars().count() <= 2
                && (prev.x0 - line.x0).abs() < prev.size / 2.0
                && !other_size
                && line.top - prev.top < prev.size * 2.0;
            let title_pair = vertical
                || centred(prev)
                    && centred(line)
                    && !other_size
                    && !gap
                    && !own_line(prev)
                    && !own_line(line);
            if !title_pair && (short || indented || other_size || gap) {
                out.push_str(&para);
                out.push('\n');
                para.clear();
            }
        }
        join_into(&mut para, &line.text);
    }
    out.push_str(&para);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(x0: f32, x1: f32, top: f32, text: &str) -> Piece {
        Piece {
            x0,
            x1,
            top,
            size: 12.0,
            text: text.into(),
        }
    }

    /// A page of body lines 100..400 wide with a running header and a page number.
    fn page(n: usize, lines: &[(f32, f32, &str)]) -> Page {
        let mut pieces = vec![
            piece(200.0, 300.0, 20.0, "某某市文件汇编"),
            piece(240.0, 260.0, 800.0, &format!("— {n} —")),
        ];
        for (i, (x0, x1, t)) in lines.iter().enumerate() {
            pieces.push(piece(*x0, *x1, 100.0 + 20.0 * i as f32, t));
        }
        Page {
            width: 500.0,
            height: 842.0,
            pieces,
        }
    }

    #[test]
    fn joins_lines_into_paragraphs_and_drops_running_text() {
        let p1 = page(
            1,
            &[
                (124.0, 400.0, "同志们，今天我们召开会议，研究"),
                (100.0, 400.0, "部署下一步工作。会议要求“加强"),
                (100.0, 250.0, "基层建设”。"),
                (124.0, 400.0, "第二段开头，这一段跨过了一页"),
            ],
        );
        let p2 = page(2, &[(100.0, 300.0, "才结束。")]);
        let text = paragraphs(&[p1, p2], false);
        assert_eq!(
            text,
            "同志们，今天我们召开会议，研究部署下一步工作。会议要求“加强基层建设”。\n\
             第二段开头，这一段跨过了一页才结束。"
        );
    }

    #[test]
    fn keep_lines_keeps_the_layout_but_still_drops_page_numbers() {
        let p1 = page(1, &[(100.0, 400.0, "第一行"), (100.0, 400.0, "第二行")]);
        let p2 = page(2, &[(100.0, 400.0, "第三行")]);
        assert_eq!(paragraphs(&[p1, p2], true), "第一行\n第二行\n\n第三行");
    }

    #[test]
    fn pieces_on_one_baseline_are_one_line() {
        let pg = Page {
            width: 500.0,
            height: 842.0,
            pieces: vec![
                piece(160.0, 200.0, 300.0, "建设"),
                piece(100.0, 160.0, 301.0, "加强基层"),
                piece(300.0, 330.0, 300.5, "Word"),
                piece(335.0, 360.0, 300.0, "file"),
            ],
        };
        assert_eq!(paragraphs(&[pg], false), "加强基层建设 Word file");
    }

    #[test]
    fn page_numbers_and_spaces() {
        for t in [
            "3",
            "- 3 -",
            "— 12 —",
            "第3页",
            "第 3 页 共 10 页",
            "3/10",
            "Page 3 of 10",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2024年", "第三章", "一、总体要求", "3. 加强领导"] {
            assert!(!is_page_number(t), "{t}");
        }
        assert_eq!(
            tidy_spaces("“ 建设和谐社区 ” 这一 Word  file"),
            "“建设和谐社区”这一Word file"
        );
        let mut s = String::from("inter-");
        join_into(&mut s, "national law");
        assert_eq!(s, "international law");
    }
}
