//! Small helpers over `&[char]`.

use std::sync::OnceLock;

/// Traditional → Simplified pairs, one a line (see the file's header).
const T2S: &str = include_str!("t2s.txt");

/// Traditional → Simplified, a dense table over U+3400..U+FFFF (0 = unchanged) and a sorted
/// list for chars beyond it.
struct T2s {
    /// Which chars of the dense range have a Simplified form (a small bitmap that stays in
    /// cache: most chars of a Simplified text are answered by it alone).
    mapped: Vec<u64>,
    dense: Vec<u32>,
    beyond: Vec<(char, char)>,
}

const DENSE_FROM: u32 = 0x3400;
const DENSE_TO: u32 = 0x1_0000;

fn t2s() -> &'static T2s {
    static MAP: OnceLock<T2s> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut dense = vec![0u32; (DENSE_TO - DENSE_FROM) as usize];
        let mut beyond = Vec::new();
        let pairs = T2S.lines().filter(|l| !l.starts_with('#')).filter_map(|l| {
            let mut it = l.chars();
            Some((it.next()?, it.next()?))
        });
        for (t, s) in pairs {
            let x = t as u32;
            if (DENSE_FROM..DENSE_TO).contains(&x) {
                // A later line for the same char wins, as it always has.
                dense[(x - DENSE_FROM) as usize] = s as u32;
            } else {
                beyond.retain(|(b, _)| *b != t);
                beyond.push((t, s));
            }
        }
        beyond.sort_unstable();
        let mut mapped = vec![0u64; dense.len().div_ceil(64)];
        for (k, &v) in dense.iter().enumerate() {
            if v != 0 && v != DENSE_FROM + k as u32 {
                mapped[k / 64] |= 1 << (k % 64);
            }
        }
        T2s {
            mapped,
            dense,
            beyond,
        }
    })
}

/// The Simplified form of a Traditional (or Hong Kong / Taiwan variant) char, one char for
/// one (OpenCC's character tables, first choice); other chars unchanged.
pub fn to_simplified(c: char) -> char {
    let x = c as u32;
    if x < DENSE_FROM {
        return c;
    }
    let t = t2s();
    if x < DENSE_TO {
        let k = (x - DENSE_FROM) as usize;
        if t.mapped[k / 64] & (1 << (k % 64)) == 0 {
            return c;
        }
        return match t.dense[k] {
            0 => c,
            s => char::from_u32(s).unwrap_or(c),
        };
    }
    t.beyond
        .binary_search_by_key(&c, |(b, _)| *b)
        .map_or(c, |k| t.beyond[k].1)
}

/// A CJK ideograph (including `〇`).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '〇')
}

/// Whitespace, including the ideographic space.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '　' | '\u{a0}')
}

/// Sentence-final punctuation.
pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// A paragraph starts a break at `i`: a newline, or a run of two ideographic spaces (texts
/// whose paragraphs were joined with `　　`).
pub(crate) fn is_para_break(chars: &[char], i: usize) -> bool {
    match chars.get(i) {
        Some('\n') => true,
        Some('　') => chars.get(i + 1) == Some(&'　'),
        _ => false,
    }
}

/// The chars `a..b` as a `String` (clamped to the slice).
pub(crate) fn collect(chars: &[char], a: usize, b: usize) -> String {
    let b = b.min(chars.len());
    if a >= b {
        return String::new();
    }
    chars[a..b].iter().collect()
}

/// Number of chars in `pat`.
pub(crate) fn plen(pat: &str) -> usize {
    pat.chars().count()
}

/// `pat` occurs at `i`.
pub(crate) fn at(chars: &[char], i: usize, pat: &str) -> bool {
    (i..)
        .zip(pat.chars())
        .all(|(k, p)| chars.get(k) == Some(&p))
}

/// `pat` ends just before `end`.
pub(crate) fn ends_at(chars: &[char], end: usize, pat: &str) -> bool {
    let n = plen(pat);
    n <= end && at(chars, end - n, pat)
}

/// A set of chars, for membership tests in hot loops.
#[derive(Debug, Default)]
pub(crate) struct CharSet(Vec<char>);

impl CharSet {
    pub fn new(s: &str) -> Self {
        let mut v: Vec<char> = s.chars().collect();
        v.sort_unstable();
        v.dedup();
        CharSet(v)
    }

    pub fn has(&self, c: char) -> bool {
        self.0.binary_search(&c).is_ok()
    }

    /// The chars in the set.
    pub fn chars(&self) -> &[char] {
        &self.0
    }
}

/// A bitmap over the Basic Multilingual Plane; chars beyond it are always members.
#[derive(Debug)]
pub(crate) struct Bitmap(Vec<u64>);

impl Default for Bitmap {
    fn default() -> Self {
        Bitmap::new([])
    }
}

impl Bitmap {
    pub fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let mut v = vec![0u64; 1024];
        for c in chars {
            let x = c as usize;
            if x < 65536 {
                v[x / 64] |= 1 << (x % 64);
            }
        }
        Bitmap(v)
    }

    pub fn has(&self, c: char) -> bool {
        let x = c as usize;
        x >= 65536 || self.0[x / 64] & (1 << (x % 64)) != 0
    }
}

/// A list of patterns matched longest first, indexed by first and by last char.
#[derive(Debug, Default)]
pub(crate) struct Pats {
    /// Sorted by (first char, longest first).
    by_first: Vec<(Vec<char>, &'static str)>,
    /// Sorted by (last char, longest first).
    by_last: Vec<(Vec<char>, &'static str)>,
    firsts: CharSet,
    /// First and last chars, for a quick no in hot loops.
    first_bits: Bitmap,
    last_bits: Bitmap,
}

impl Pats {
    pub fn new(list: &[&'static str]) -> Self {
        let items: Vec<(Vec<char>, &'static str)> = list
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| (s.chars().collect(), *s))
            .collect();
        let mut by_first = items.clone();
        by_first.sort_by_key(|(c, _)| (c[0], std::cmp::Reverse(c.len())));
        let mut by_last = items;
        by_last.sort_by_key(|(c, _)| (c[c.len() - 1], std::cmp::Reverse(c.len())));
        let firsts: String = by_first.iter().map(|(c, _)| c[0]).collect();
        let first_bits = Bitmap::new(firsts.chars());
        let last_bits = Bitmap::new(by_last.iter().map(|(c, _)| c[c.len() - 1]));
        Pats {
            by_first,
            by_last,
            firsts: CharSet::new(&firsts),
            first_bits,
            last_bits,
        }
    }

    /// First chars of the patterns.
    pub fn firsts(&self) -> &[char] {
        self.firsts.chars()
    }

    /// The longest pattern starting at `i`.
    pub fn at(&self, chars: &[char], i: usize) -> Option<&'static str> {
        let c = *chars.get(i)?;
        if !self.first_bits.has(c) {
            return None;
        }
        let lo = self.by_first.partition_point(|(p, _)| p[0] < c);
        self.by_first[lo..]
            .iter()
            .take_while(|(p, _)| p[0] == c)
            .find(|(p, _)| chars.len() >= i + p.len() && chars[i..i + p.len()] == p[..])
            .map(|(_, s)| *s)
    }

    /// The longest pattern ending just before `end` and starting at or after `floor`.
    pub fn ending_at(&self, chars: &[char], end: usize, floor: usize) -> Option<&'static str> {
        if end == 0 || end > chars.len() {
            return None;
        }
        let c = chars[end - 1];
        if !self.last_bits.has(c) {
            return None;
        }
        let lo = self.by_last.partition_point(|(p, _)| p[p.len() - 1] < c);
        self.by_last[lo..]
            .iter()
            .take_while(|(p, _)| p[p.len() - 1] == c)
            .find(|(p, _)| {
                p.len() <= end && end - p.len() >= floor && chars[end - p.len()..end] == p[..]
            })
            .map(|(_, s)| *s)
    }
}
