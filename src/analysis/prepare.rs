//! The text as the detector reads it, and the way back to the text as written.
//!
//! Two things make the same sentence look different to the rules:
//! * **Traditional characters** (`說`, `強調`, `認為`, Hong Kong and Taiwan variants): every
//!   char is mapped to its Simplified form, one char for one, so offsets do not move.
//! * **Hard line breaks** of text copied out of a PDF viewer (a break every 30–40 chars,
//!   inside words and sentences): such *soft* breaks are taken out, and an index maps every
//!   position back.
//!
//! Everything the detector reports is mapped back: offsets through the index, quotations and
//! titles re-read from the original text, names and verbs found again near their quotation
//! and re-read as written (`林鄭月娥`, not its Simplified form).

use std::collections::HashMap;

use super::text::is_sentence_end;

/// The text as the rules read it.
pub(crate) struct Prepared {
    /// The original chars (empty when [`Prepared::identity`]: then they are `chars`).
    pub orig: Vec<char>,
    /// Simplified, soft line breaks removed.
    pub chars: Vec<char>,
    /// The original positions of the line breaks taken out, ascending, each less its rank:
    /// `removed[j] = r_j - j`. Position `i` of `chars` is `i + (how many of these are ≤ i)`
    /// in `orig`.
    removed: Vec<usize>,
    /// `chars` is `orig` unchanged.
    pub identity: bool,
}

/// Line lengths (in chars) that make a text *hard-wrapped*: the most common length of its
/// longer lines, when at least this share of the lines have about that length.
const WRAP_SHARE: f64 = 0.3;
/// Lines shorter than this are never taken for wrapped lines.
const MIN_WRAP: usize = 16;

/// The width a hard-wrapped text was wrapped at, or `None` for a text with a paragraph a
/// line.
fn wrap_width(orig: &[char]) -> Option<usize> {
    let lens: Vec<usize> = orig
        .split(|&c| c == '\n')
        .map(|l| l.iter().filter(|c| !c.is_whitespace()).count())
        .filter(|&n| n > 0)
        .collect();
    if lens.len() < 6 {
        return None;
    }
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for &n in lens.iter().filter(|&&n| n >= MIN_WRAP) {
        *counts.entry(n).or_default() += 1;
    }
    let (&width, _) = counts.iter().max_by_key(|&(len, n)| (*n, *len))?;
    // Lines of the wrap width, give or take a char or two (punctuation that may not start a
    // line is pulled up or pushed down).
    let near = lens
        .iter()
        .filter(|&&n| n + 3 >= width && n <= width + 2)
        .count();
    (near as f64 >= WRAP_SHARE * lens.len() as f64 && near >= 4).then_some(width)
}

/// Whether the line break at `i` only wraps a line: the line before is (about) as long as
/// the wrap width, and the next line does not start a new paragraph (indentation, a blank
/// line, a list number).
fn soft_break(orig: &[char], i: usize, line_start: usize, width: usize) -> bool {
    let line = &orig[line_start..i];
    let len = line.iter().filter(|c| !c.is_whitespace()).count();
    if len + 3 < width {
        return false;
    }
    match orig.get(i + 1) {
        None | Some('\n' | ' ' | '　' | '\t') => return false,
        Some(_) => {}
    }
    // A line ending a sentence exactly at the margin is taken as a paragraph end only when
    // the next line looks like a heading or list item; otherwise the paragraph goes on.
    let last = line.iter().rev().find(|c| !c.is_whitespace());
    !(last.is_some_and(|&c| is_sentence_end(c))
        && orig
            .get(i + 1)
            .is_some_and(|&c| "一二三四五六七八九十第（(0123456789".contains(c)))
}

/// Prepares `text` for the rules.
pub(crate) fn prepare(text: &str) -> Prepared {
    // Read once, noting whether any char has a Simplified form of its own.
    let mut orig: Vec<char> = Vec::with_capacity(text.len() / 2);
    let mut traditional = false;
    for c in text.chars() {
        traditional |= super::text::to_simplified(c) != c;
        orig.push(c);
    }
    let width = wrap_width(&orig);
    // Most texts need neither: then the chars are the text's own.
    if width.is_none() && !traditional {
        return Prepared {
            orig: Vec::new(),
            chars: orig,
            removed: Vec::new(),
            identity: true,
        };
    }
    let mut chars = Vec::with_capacity(orig.len());
    let mut removed = Vec::new();
    let mut identity = true;
    let mut line_start = 0;
    for (i, &c) in orig.iter().enumerate() {
        if c == '\n' {
            let soft = width.is_some_and(|w| soft_break(&orig, i, line_start, w));
            line_start = i + 1;
            if soft {
                identity = false;
                removed.push(i - removed.len());
                continue;
            }
        }
        let n = super::text::to_simplified(c);
        identity &= n == c;
        chars.push(n);
    }
    Prepared {
        orig,
        chars,
        removed,
        identity,
    }
}

impl Prepared {
    /// The original offset of position `i` of [`Prepared::chars`] (`chars.len()` maps to the
    /// end of the text).
    pub fn pos(&self, i: usize) -> usize {
        let i = i.min(self.chars.len());
        i + self.removed.partition_point(|&r| r <= i)
    }

    /// The original text of `chars[a..b]`, soft line breaks included.
    pub fn original(&self, a: usize, b: usize) -> String {
        if self.identity {
            return self.chars[a..b.max(a)].iter().collect();
        }
        let (oa, ob) = (self.pos(a), self.pos(b));
        self.orig[oa..ob.max(oa)].iter().collect()
    }

    /// A name, verb or title the rules built from `chars`, as it is written in the original:
    /// found in `chars` near `near` (within 800 chars before and 200 after) and read from the
    /// original with soft line breaks left out. A string not found there (one the rules
    /// composed) is returned as it is.
    pub fn restore(&self, s: &str, near: usize) -> String {
        if self.identity || s.is_empty() {
            return s.to_string();
        }
        let pat: Vec<char> = s.chars().collect();
        let lo = near.saturating_sub(800);
        let hi = (near + 200).min(self.chars.len());
        if hi < lo + pat.len() {
            return s.to_string();
        }
        let found = (lo..=hi - pat.len())
            .rev()
            .find(|&k| self.chars[k..k + pat.len()] == pat[..]);
        match found {
            Some(k) => (k..k + pat.len()).map(|j| self.orig[self.pos(j)]).collect(),
            None => s.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_chars_map_one_for_one() {
        let p = prepare("林鄭月娥司長說：「這個方案」");
        assert_eq!(
            p.chars.iter().collect::<String>(),
            "林郑月娥司长说：「这个方案」"
        );
        assert!(!p.identity);
        assert_eq!(p.restore("林郑月娥", 7), "林鄭月娥");
        assert_eq!(p.original(9, 13), "這個方案");
    }

    #[test]
    fn simplified_text_is_left_alone() {
        let p = prepare("习近平总书记指出：“要把社区建设好。”\n第二段。\n");
        assert!(p.identity);
    }

    #[test]
    fn hard_wrapped_lines_are_joined_paragraphs_kept() {
        let line = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
        let mut text = String::new();
        for _ in 0..4 {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("一二三四五六七八九十一二三四五六七八刘少奇同志说：“共产党员\n");
        text.push_str(&line[..line.len() - 3 * 4]);
        text.push_str("的精神。”\n\n　　新的一段。\n");
        let orig: Vec<char> = text.chars().collect();
        let p = prepare(&text);
        assert!(!p.identity);
        let joined: String = p.chars.iter().collect();
        assert!(joined.contains("共产党员一二三"), "{joined}");
        assert!(joined.contains("\n\n　　新的一段"));
        // Offsets map back exactly.
        let k = p.chars.iter().position(|&c| c == '“').unwrap();
        assert_eq!(orig[p.pos(k)], '“');
        assert!(p.original(k + 1, k + 8).contains('\n'));
    }
}
