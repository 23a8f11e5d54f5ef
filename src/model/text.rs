//! Text geometry: paragraphs and char↔byte offset conversion.
//!
//! Offsets stored in the model are char indices. Rust strings and egui's layout sections count
//! bytes; [`CharIndex`] converts between the two in O(stride) without scanning the whole text.

use std::ops::Range;

/// One paragraph of a document: a range of the text, in chars and in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Char range of the paragraph (no trailing newline).
    pub chars: Range<usize>,
    /// The same range in bytes.
    pub bytes: Range<usize>,
}

impl Paragraph {
    /// Number of chars in the paragraph.
    pub fn len_chars(&self) -> usize {
        self.chars.end - self.chars.start
    }
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}' || c == '\u{a0}'
}

/// Splits a text into paragraphs, the units staff cite as 第N段.
///
/// A paragraph is a line (text between `\n`s) that is not blank. Texts copied from web pages
/// and compilations often lose their line breaks and keep only the indentation, so inside a line
/// a run of two or more ideographic spaces (U+3000), or of two or more ASCII spaces after a
/// non-ASCII character, also starts a new paragraph; the run belongs to the new paragraph as its
/// indentation. Leading and trailing blanks stay inside the paragraph's range.
pub fn segment_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    // Current paragraph start (char, byte) and whether it has any non-blank char yet.
    let mut start = (0usize, 0usize);
    let mut has_content = false;
    // Run of blanks inside the line: (char, byte) at its start, count of U+3000 / ASCII spaces.
    let mut run: Option<(usize, usize)> = None;
    let mut run_ideo = 0usize;
    let mut run_ascii = 0usize;
    let mut prev_non_blank: Option<char> = None;
    let mut ci = 0usize;

    let push = |out: &mut Vec<Paragraph>, s: (usize, usize), e: (usize, usize), has: bool| {
        if has && e.0 > s.0 {
            out.push(Paragraph {
                chars: s.0..e.0,
                bytes: s.1..e.1,
            });
        }
    };

    for (bi, c) in text.char_indices() {
        if c == '\n' {
            push(&mut out, start, (ci, bi), has_content);
            start = (ci + 1, bi + 1);
            has_content = false;
            run = None;
            run_ideo = 0;
            run_ascii = 0;
            prev_non_blank = None;
        } else if is_blank(c) {
            if run.is_none() {
                run = Some((ci, bi));
                run_ideo = 0;
                run_ascii = 0;
            }
            match c {
                '\u{3000}' => run_ideo += 1,
                ' ' => run_ascii += 1,
                _ => {}
            }
        } else {
            if let Some(run_start) = run.take() {
                let breaks = has_content
                    && (run_ideo >= 2
                        || (run_ascii >= 2 && prev_non_blank.is_some_and(|p| !p.is_ascii())));
                if breaks {
                    push(&mut out, start, run_start, true);
                    start = run_start;
                }
            }
            has_content = true;
            prev_non_blank = Some(c);
        }
        ci += 1;
    }
    push(&mut out, start, (ci, text.len()), has_content);
    out
}

/// Converts between char offsets and byte offsets of one text.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// Byte offset of every `STRIDE`-th char; the last entry is the text length.
    checkpoints: Vec<usize>,
    chars: usize,
    bytes: usize,
}

const STRIDE: usize = 64;

impl CharIndex {
    /// Builds the index in one pass over the text.
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 2);
        let mut chars = 0;
        for (bi, _) in text.char_indices() {
            if chars % STRIDE == 0 {
                checkpoints.push(bi);
            }
            chars += 1;
        }
        CharIndex {
            checkpoints,
            chars,
            bytes: text.len(),
        }
    }

    /// Number of chars in the indexed text.
    pub fn char_len(&self) -> usize {
        self.chars
    }

    /// Byte offset of char `pos` (clamped to the end of the text).
    pub fn byte_of(&self, text: &str, pos: usize) -> usize {
        if pos >= self.chars {
            return self.bytes;
        }
        let base = self.checkpoints[pos / STRIDE];
        let rest = pos % STRIDE;
        match text[base..].char_indices().nth(rest) {
            Some((b, _)) => base + b,
            None => self.bytes,
        }
    }

    /// Char offset of byte `byte` (which must be on a char boundary; otherwise the char that
    /// contains it).
    pub fn char_of(&self, text: &str, byte: usize) -> usize {
        if byte >= self.bytes {
            return self.chars;
        }
        let k = match self.checkpoints.binary_search(&byte) {
            Ok(k) => return k * STRIDE,
            Err(k) => k - 1,
        };
        let base = self.checkpoints[k];
        k * STRIDE + text[base..byte].chars().count()
    }

    /// The substring between two char offsets.
    pub fn slice<'t>(&self, text: &'t str, range: Range<usize>) -> &'t str {
        let a = self.byte_of(text, range.start);
        let b = self.byte_of(text, range.end.max(range.start));
        &text[a..b]
    }
}

/// Byte offset of char `pos` in `text`, clamped to its end. A linear walk: for many lookups
/// in one long text build a [`CharIndex`] instead.
pub fn byte_at(text: &str, pos: usize) -> usize {
    text.char_indices().nth(pos).map_or(text.len(), |(b, _)| b)
}

/// A one-line preview of `s` for lists and messages: its first `n` chars, `…` when it was
/// cut, line breaks shown as ` ¶ `.
pub fn preview(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out.replace('\n', " ¶ ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<&str> {
        segment_paragraphs(text)
            .into_iter()
            .map(|p| &text[p.bytes])
            .collect()
    }

    #[test]
    fn lines_are_paragraphs_and_blank_lines_are_skipped() {
        assert_eq!(
            paras("第一段。\n\n　　第二段。\n   \n第三段"),
            vec!["第一段。", "　　第二段。", "第三段"]
        );
    }

    #[test]
    fn ideographic_indentation_inside_a_line_starts_a_paragraph() {
        assert_eq!(
            paras("各位代表！　　现在，我代表国务院。　　报告分六个部分"),
            vec![
                "各位代表！",
                "　　现在，我代表国务院。",
                "　　报告分六个部分"
            ]
        );
    }

    #[test]
    fn double_ascii_spaces_split_only_after_non_ascii() {
        assert_eq!(paras("目录  一、总任务"), vec!["目录", "  一、总任务"]);
        assert_eq!(paras("End.  Next sentence"), vec!["End.  Next sentence"]);
        // a single ideographic space is not a break
        assert_eq!(paras("甲　乙"), vec!["甲　乙"]);
    }

    #[test]
    fn char_ranges_match_byte_ranges() {
        let text = "abc\n中文　　段落\n\nx";
        for p in segment_paragraphs(text) {
            let by_chars: String = text
                .chars()
                .skip(p.chars.start)
                .take(p.len_chars())
                .collect();
            assert_eq!(by_chars, &text[p.bytes.clone()]);
        }
    }

    #[test]
    fn char_index_round_trips() {
        let text: String = (0..1000)
            .map(|i| if i % 3 == 0 { 'a' } else { '中' })
            .chain("𠀀é\n".chars())
            .collect();
        let idx = CharIndex::new(&text);
        assert_eq!(idx.char_len(), text.chars().count());
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.byte_of(&text, ci), bi);
            assert_eq!(idx.char_of(&text, bi), ci);
        }
        assert_eq!(idx.byte_of(&text, 10_000), text.len());
        assert_eq!(idx.slice(&text, 1000..1002), "𠀀é");
    }

    #[test]
    fn empty_text_has_no_paragraphs() {
        assert!(segment_paragraphs("").is_empty());
        assert!(segment_paragraphs("\n \n　\n").is_empty());
        assert_eq!(CharIndex::new("").byte_of("", 0), 0);
    }
}
