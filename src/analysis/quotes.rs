//! Quotation marks: pairs `“…”`, `「…」`, `『…』`, `‘…’` and ASCII `"…"`, with nesting, the
//! multi-paragraph pattern (each paragraph opens, only the last closes) and recovery from
//! unbalanced marks. One linear pass; a quotation never crosses a paragraph break except in
//! the multi-paragraph pattern.

use super::text::{is_para_break, is_ws};

/// The kind of a quotation mark pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Double,
    Single,
    Corner,
    WhiteCorner,
    Ascii,
}

fn opening(c: char) -> Option<Mark> {
    match c {
        '“' => Some(Mark::Double),
        '‘' => Some(Mark::Single),
        '「' => Some(Mark::Corner),
        '『' => Some(Mark::WhiteCorner),
        _ => None,
    }
}

fn closing(c: char) -> Option<Mark> {
    match c {
        '”' => Some(Mark::Double),
        '’' => Some(Mark::Single),
        '」' => Some(Mark::Corner),
        '』' => Some(Mark::WhiteCorner),
        _ => None,
    }
}

/// A matched pair. The quoted text is `open + 1 .. close`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuoteSpan {
    /// Index of the opening mark.
    pub open: usize,
    /// Index of the closing mark.
    pub close: usize,
    /// Nesting depth: 0 for an outermost quotation.
    pub depth: usize,
    /// Spans more than one paragraph.
    pub multi_para: bool,
}

/// Result of the scan: pairs ordered by `open`, and positions of marks that have no partner.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub spans: Vec<QuoteSpan>,
    pub unbalanced: Vec<usize>,
}

struct Open {
    pos: usize,
    mark: Mark,
    multi: bool,
}

/// Deepest nesting tracked; deeper opening marks are reported as unbalanced.
const MAX_DEPTH: usize = 8;

/// An apostrophe between ASCII letters (`don’t`) is not a quotation mark.
fn is_apostrophe(chars: &[char], i: usize) -> bool {
    let before = i > 0 && chars[i - 1].is_ascii_alphanumeric();
    let after = chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic());
    before && after
}

/// Drops an open mark that never closed: reports it and lifts the pairs inside it one level.
fn fail(o: &Open, spans: &mut [QuoteSpan], unbalanced: &mut Vec<usize>) {
    unbalanced.push(o.pos);
    for s in spans.iter_mut().rev() {
        if s.open < o.pos {
            break;
        }
        s.depth = s.depth.saturating_sub(1);
    }
}

/// Whether the line ending at the break at `i` stops in the middle of a sentence.
fn breaks_mid_sentence(chars: &[char], i: usize) -> bool {
    let last = chars[..i].iter().rev().find(|c| !is_ws(**c));
    last.is_some_and(|c| !"。！？；：…!?;:”」』’\"".contains(*c))
}

/// Whether the text from `j` closes a quotation of `mark` before it opens another of the same
/// kind, within `paragraphs` more paragraph breaks and 1,500 chars.
fn closes_within(chars: &[char], j: usize, mark: Mark, paragraphs: usize) -> bool {
    let mut breaks = 0;
    for (k, &c) in chars.iter().enumerate().skip(j).take(1500) {
        if c == '\n' && is_para_break(chars, k) {
            breaks += 1;
            if breaks > paragraphs {
                return false;
            }
        }
        if mark == Mark::Ascii {
            if c == '"' {
                return true;
            }
            continue;
        }
        if opening(c) == Some(mark) {
            return false;
        }
        if closing(c) == Some(mark) {
            return true;
        }
    }
    false
}

/// Scans all quotation marks in `chars`.
pub(crate) fn scan(chars: &[char]) -> Scan {
    let n = chars.len();
    let mut spans: Vec<QuoteSpan> = Vec::new();
    let mut unbalanced = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if is_para_break(chars, i) {
            let mut j = i;
            while j < n && is_ws(chars[j]) {
                j += 1;
            }
            if !stack.is_empty() {
                let continues = stack.len() == 1
                    && matches!(stack[0].mark, Mark::Double | Mark::Corner)
                    && j < n
                    && opening(chars[j]) == Some(stack[0].mark);
                if continues {
                    stack[0].multi = true;
                    i = j + 1;
                    continue;
                }
                // A hard line break inside a sentence (a record or a copy wrapped by hand):
                // the quotation goes on when the next line closes it.
                let top = stack[stack.len() - 1].mark;
                if breaks_mid_sentence(chars, i) && closes_within(chars, j, top, 0) {
                    i = j;
                    continue;
                }
                // An answer over several paragraphs that only the last one closes (the
                // paragraph-opening marks left out): one quotation, when a closing mark comes
                // within three more paragraphs before any opening mark of its kind.
                if stack.len() == 1 && top != Mark::Single && closes_within(chars, j, top, 3) {
                    stack[0].multi = true;
                    i = j;
                    continue;
                }
                while let Some(o) = stack.pop() {
                    fail(&o, &mut spans, &mut unbalanced);
                }
            }
            i = j.max(i + 1);
            continue;
        }
        if c == '"' {
            if stack.last().is_some_and(|o| o.mark == Mark::Ascii) {
                let o = stack.pop().expect("checked");
                spans.push(QuoteSpan {
                    open: o.pos,
                    close: i,
                    depth: stack.len(),
                    multi_para: o.multi,
                });
            } else if stack.len() < MAX_DEPTH {
                stack.push(Open {
                    pos: i,
                    mark: Mark::Ascii,
                    multi: false,
                });
            } else {
                unbalanced.push(i);
            }
        } else if let Some(m) = opening(c) {
            if m == Mark::Single && is_apostrophe(chars, i) {
                // not a mark
            } else if stack.len() < MAX_DEPTH {
                stack.push(Open {
                    pos: i,
                    mark: m,
                    multi: false,
                });
            } else {
                unbalanced.push(i);
            }
        } else if let Some(m) = closing(c) {
            if let Some(k) = stack.iter().rposition(|o| o.mark == m) {
                while stack.len() > k + 1 {
                    let o = stack.pop().expect("len checked");
                    fail(&o, &mut spans, &mut unbalanced);
                }
                let o = stack.pop().expect("len checked");
                spans.push(QuoteSpan {
                    open: o.pos,
                    close: i,
                    depth: stack.len(),
                    multi_para: o.multi,
                });
            } else if !(m == Mark::Single && is_apostrophe(chars, i)) {
                unbalanced.push(i);
            }
        }
        i += 1;
    }
    while let Some(o) = stack.pop() {
        fail(&o, &mut spans, &mut unbalanced);
    }
    spans.sort_by_key(|s| s.open);
    unbalanced.sort_unstable();
    Scan { spans, unbalanced }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Scan {
        let chars: Vec<char> = s.chars().collect();
        scan(&chars)
    }

    #[test]
    fn pairs_and_nesting() {
        let s = run("他说：“有很多‘小巷’。”又说「好」");
        assert_eq!(s.spans.len(), 3);
        assert_eq!(
            (s.spans[0].open, s.spans[0].close, s.spans[0].depth),
            (3, 12, 0)
        );
        assert_eq!(s.spans[1].depth, 1);
        assert!(s.unbalanced.is_empty());
    }

    #[test]
    fn multi_paragraph_is_one_quote() {
        let s = run("他说：“第一段。\n“第二段。\n　　“第三段。”\n后文");
        assert_eq!(s.spans.len(), 1);
        assert!(s.spans[0].multi_para);
        assert!(s.unbalanced.is_empty());
    }

    #[test]
    fn unclosed_mark_is_reported_and_inner_pairs_survive() {
        let s = run("甲“乙“丙”丁\n戊“己”");
        assert_eq!(s.unbalanced, vec![1]);
        assert_eq!(s.spans.len(), 2);
        assert!(s.spans.iter().all(|q| q.depth == 0));
    }

    #[test]
    fn stray_close_and_apostrophe() {
        let s = run("无”开 don’t");
        assert_eq!(s.unbalanced, vec![1]);
        assert!(s.spans.is_empty());
    }

    #[test]
    fn a_line_break_inside_a_sentence_does_not_end_the_quotation() {
        let s = run("司长表示：「已先后4次安排会面(包括8月\n的深圳座谈会)。」\n下一段「好」");
        assert!(s.unbalanced.is_empty(), "{:?}", s.unbalanced);
        assert_eq!(s.spans.len(), 2);
        assert_eq!(s.spans[0].open, 5);
        // Paragraphs that only the last one closes are one quotation.
        let s = run("他说：“第一段。\n第二段。\n第三段。”\n后文");
        assert!(s.unbalanced.is_empty());
        assert!(s.spans[0].multi_para);
        // A mark never closed within three paragraphs is unbalanced.
        let s = run("他说：“一。\n二。\n三。\n四。\n五。\n六。”");
        assert_eq!(s.unbalanced.len(), 2);
    }

    #[test]
    fn ascii_pairs() {
        let s = run("He said \"yes\" and \"no");
        assert_eq!(s.spans.len(), 1);
        assert_eq!(s.unbalanced.len(), 1);
    }
}
