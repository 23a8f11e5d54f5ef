//! The library's tokenizer: overlapping character bigrams with real positions.
//!
//! Every char is folded the way quotations are compared ([`fold`]: full width → half width,
//! Traditional → Simplified, ASCII lower case), so a Traditional quotation finds its Simplified
//! source. Letters, digits and CJK ideographs are *units*; white space is skipped (a line
//! break inside a sentence joins its two halves); any other char (punctuation) ends a run.
//! Each pair of neighbouring units in a run is one token, at the position of its first unit;
//! a run of one unit gives that unit alone. Positions count units and leave a gap of
//! [`GAP`] at every punctuation break, so a phrase query on `社区建设` (`社区 区建 建设` at
//! positions p, p+1, p+2) never matches across `，`. Tantivy's stock `NgramTokenizer` gives every token
//! position 0, which makes phrase queries useless; this one does not.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the tokenizer is registered in the index.
pub const NAME: &str = "yinwen_bigram";

/// Folds one char for searching: `None` for white space, else the compared form.
pub fn fold(c: char) -> Option<char> {
    if c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}') {
        return None;
    }
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => crate::analysis::to_simplified(c),
    };
    Some(c.to_ascii_lowercase())
}

/// Positions left empty at a punctuation break. Larger than one, so that a punctuation
/// mark in a phrase never lines up with an ordinary char at the same place
/// (`村貌。升为` must not match `村貌提升为`).
pub const GAP: usize = 16;

/// A char that takes part in bigrams.
fn is_unit(c: char) -> bool {
    c.is_alphanumeric()
}

/// The bigram tokenizer (stateless; cheap to clone).
#[derive(Clone, Default)]
pub struct BigramTokenizer;

/// The tokens of one text, produced up front.
pub struct BigramStream {
    tokens: Vec<Token>,
    next: usize,
}

/// Tokens of `text`: (token text, position, byte offset from, byte offset to).
pub fn bigrams(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // Current run: (folded unit, byte start, byte end).
    let mut run: Vec<(char, usize, usize)> = Vec::new();
    let mut pos = 0usize;
    let flush = |run: &mut Vec<(char, usize, usize)>, pos: &mut usize, out: &mut Vec<Token>| {
        match run.len() {
            0 => {}
            1 => {
                out.push(Token {
                    offset_from: run[0].1,
                    offset_to: run[0].2,
                    position: *pos,
                    text: run[0].0.to_string(),
                    position_length: 1,
                });
                *pos += 1 + GAP;
            }
            n => {
                for k in 0..n - 1 {
                    let mut t = String::with_capacity(8);
                    t.push(run[k].0);
                    t.push(run[k + 1].0);
                    out.push(Token {
                        offset_from: run[k].1,
                        offset_to: run[k + 1].2,
                        position: *pos + k,
                        text: t,
                        position_length: 1,
                    });
                }
                // A gap after each run.
                *pos += n - 1 + GAP;
            }
        }
        run.clear();
    };
    for (b, c) in text.char_indices() {
        let Some(f) = fold(c) else { continue };
        if is_unit(f) {
            run.push((f, b, b + c.len_utf8()));
        } else {
            flush(&mut run, &mut pos, &mut out);
        }
    }
    flush(&mut run, &mut pos, &mut out);
    out
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream {
        BigramStream {
            tokens: bigrams(text),
            next: 0,
        }
    }
}

impl TokenStream for BigramStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(String, usize)> {
        bigrams(s)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn bigrams_have_increasing_positions_and_stop_at_punctuation() {
        assert_eq!(
            texts("社区建设，要"),
            [
                ("社区".into(), 0),
                ("区建".into(), 1),
                ("建设".into(), 2),
                ("要".into(), 3 + GAP)
            ]
        );
    }

    #[test]
    fn punctuation_never_lines_up_with_a_char() {
        let q = texts("村貌。升为");
        let d = texts("村貌提升为");
        let off = |v: &[(String, usize)], a: &str, b: &str| {
            let p = |t: &str| v.iter().find(|x| x.0 == t).unwrap().1 as i64;
            p(b) - p(a)
        };
        assert_ne!(off(&q, "村貌", "升为"), off(&d, "村貌", "升为"));
    }

    #[test]
    fn line_breaks_join_and_script_and_width_fold() {
        assert_eq!(texts("社區\n建設"), texts("社区建设"));
        assert_eq!(texts("ＧＤＰ增长"), texts("gdp增长"));
        let t = bigrams("甲 乙");
        assert_eq!((t[0].offset_from, t[0].offset_to), (0, 7));
    }
}
