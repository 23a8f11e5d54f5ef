//! Quotation verification: find a quotation from a speech in a set of source texts and
//! classify it as verbatim, variant, abridged or not found.
//!
//! # How it works
//! * Every source is normalised with [`normalize_for_compare`] (width folding, one quotation
//!   mark, one ellipsis, white space dropped) and kept with a map from each normalised char back
//!   to the char range it came from in the ORIGINAL text, so every result can be reported in
//!   original char offsets.
//! * [`SourceIndex::new`] concatenates the normalised sources (with a separator that never
//!   occurs in normalised text) and builds a character-bigram inverted index with positions.
//! * A query first trims sentence punctuation (。，；：！？、) off both ends of the quotation (a quotation that
//!   ends in “。” where the source sentence goes on with “，” is still verbatim), then:
//!   1. **verbatim** — the rarest bigram of the quotation gives the few positions to check;
//!   2. **abridged** — if the quotation contains an ellipsis, its parts (≥ 2 chars each) are
//!      found in order in one source, anchored on the longest part, within a bounded span;
//!   3. **variant** — the bigram postings vote for diagonals (source position − quotation
//!      position); the best few diagonal buckets give windows, the quotation is aligned against
//!      each window with a fitting (semi-global) edit distance, and the best span is diffed with
//!      `similar` to give the similarity and the char-level diff;
//!   4. otherwise **not found**.
//!
//! # Thresholds
//! * [`VARIANT_THRESHOLD`] = 0.6. Similarity is `common / max(quotation, span)` where `common`
//!   is the number of chars the diff keeps (`Same`). One char changed in a 20-char quotation
//!   gives 0.95; a quotation of which only half is found gives ≤ 0.5 and is not reported as a
//!   variant. 0.6 means "most of the wording is the source's": below it a passage is more
//!   likely a paraphrase or a different sentence sharing common political vocabulary.
//! * [`VARIANT_THRESHOLD_SHORT`] = 0.8 for quotations under [`SHORT_QUOTATION_CHARS`] = 12
//!   chars: in a 6-char quotation two changed chars (推进社区建设 vs 推进经济建设, 0.67) is a
//!   different phrase, not a misquotation.
//! * [`MIN_VARIANT_CHARS`] = 4: shorter quotations (after normalisation and end trimming) can
//!   only be verbatim or not found — a 3-char near-match is noise.
//! * Abridged: parts shorter than [`MIN_PART_CHARS`] = 2 are ignored (they stay in the diff as
//!   `Missing`); parts of 2–3 chars must be verbatim, longer ones may be variants (≥ 0.6); the
//!   whole span from the first part's start to the last part's end must not exceed
//!   `max(20 × quotation length, 1000)` capped at 5000 normalised chars.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use similar::{Algorithm, DiffOp as SimilarOp, capture_diff_slices};

/// Minimum similarity for a passage to count as a variant of the quotation.
pub const VARIANT_THRESHOLD: f32 = 0.6;
/// Minimum similarity for a variant of a quotation shorter than [`SHORT_QUOTATION_CHARS`]:
/// one changed char in 6–11 is tolerated, two are not (推进社区建设 is not 推进经济建设).
pub const VARIANT_THRESHOLD_SHORT: f32 = 0.8;
/// Below this length (normalised chars) [`VARIANT_THRESHOLD_SHORT`] applies.
pub const SHORT_QUOTATION_CHARS: usize = 12;
/// Quotations shorter than this (normalised, ends trimmed) are only verbatim or not found.
pub const MIN_VARIANT_CHARS: usize = 4;
/// Parts of an abridged quotation shorter than this are not searched for.
pub const MIN_PART_CHARS: usize = 2;
/// An abridged span may be at most this many times the quotation length…
const ABRIDGED_SPAN_FACTOR: usize = 20;
/// …but never less than this…
const ABRIDGED_SPAN_MIN: usize = 1000;
/// …and never more than this (normalised chars).
const ABRIDGED_SPAN_MAX: usize = 5000;
/// Width of a diagonal bucket in the candidate vote.
const BUCKET: usize = 8;
/// Candidate windows aligned per variant search.
const MAX_CANDIDATES: usize = 4;
/// Bigrams with more postings than this are ignored when voting (they carry no signal).
const MAX_POSTINGS_VOTE: usize = 20_000;
/// Bigrams always used in the candidate vote (rarest first)…
const MIN_VOTERS: usize = 8;
/// …then more bigrams only while the postings gathered stay under this budget.
const VOTE_BUDGET: usize = 4096;
/// Anchor occurrences tried per abridged search.
const MAX_ANCHORS: usize = 32;
/// Separator between sources in the concatenated text; normalisation removes it from input.
const SEP: char = '\u{FFFF}';
/// The single quotation mark all quotation marks are folded to.
const QUOTE: char = '"';
/// The single ellipsis all ellipsis forms are folded to.
const ELLIPSIS: char = '…';

/// Classification of a quotation against the sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The quotation appears exactly (after normalisation).
    Verbatim,
    /// A close but not identical passage exists.
    Variant,
    /// The quotation contains an ellipsis and its parts are found in order, near each other.
    Abridged,
    /// Nothing close enough was found.
    NotFound,
}

/// One step of a char-level diff between the quotation and the source passage (both in
/// normalised form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffOp {
    /// Text in both.
    Same(String),
    /// Text in the quotation, not in the source.
    Missing(String),
    /// Text in the source, not in the quotation.
    Extra(String),
}

/// The best place found for a quotation.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Verbatim, variant, abridged or not found.
    pub status: Status,
    /// Index into the sources given to [`SourceIndex::new`].
    pub source: Option<usize>,
    /// Char offset (inclusive) in the ORIGINAL source text.
    pub source_start: Option<usize>,
    /// Char offset (exclusive) in the ORIGINAL source text.
    pub source_end: Option<usize>,
    /// 1.0 for verbatim, 0.0 for not found; see [`VARIANT_THRESHOLD`].
    pub similarity: f32,
    /// Quotation vs source passage (normalised text); empty when not found.
    pub diff: Vec<DiffOp>,
    /// A verbatim match whose only difference is the script (Traditional vs Simplified).
    pub script_differs: bool,
}

impl Match {
    /// The "not found" result.
    pub fn not_found() -> Match {
        Match {
            status: Status::NotFound,
            source: None,
            source_start: None,
            source_end: None,
            similarity: 0.0,
            diff: Vec::new(),
            script_differs: false,
        }
    }
}

/// Similarity a passage needs to be a variant of a quotation of `len` normalised chars.
fn variant_threshold(len: usize) -> f32 {
    if len < SHORT_QUOTATION_CHARS {
        VARIANT_THRESHOLD_SHORT
    } else {
        VARIANT_THRESHOLD
    }
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/// Text in comparison form, with the original char range of every normalised char.
struct Normalized {
    chars: Vec<char>,
    /// Original char offset each normalised char starts at.
    start: Vec<u32>,
    /// Original char offset (exclusive) each normalised char ends at.
    end: Vec<u32>,
    /// Normalised positions whose char was Traditional, with the char before conversion.
    changed: Vec<(u32, char)>,
}

fn is_ellipsis_char(c: char) -> bool {
    matches!(c, '…' | '⋯' | '︙')
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '「'
            | '」'
            | '『'
            | '』'
            | '„'
            | '‟'
            | '‚'
            | '‛'
            | '〝'
            | '〞'
            | '〟'
            | '﹁'
            | '﹂'
            | '﹃'
            | '﹄'
    )
}

/// Fold one char: full width → half width, quotation marks → one mark. `None` drops it.
fn fold_char(c: char) -> Option<char> {
    if c.is_whitespace()
        || matches!(
            c,
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FFFE}' | SEP
        )
    {
        return None;
    }
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0xFF61 => '。',
        0xFF64 => '、',
        _ => super::to_simplified(c),
    };
    if is_quote_char(c) {
        return Some(QUOTE);
    }
    if is_ellipsis_char(c) {
        return Some(ELLIPSIS);
    }
    Some(c)
}

fn normalize(s: &str) -> Normalized {
    // Pass 1: fold chars, drop white space.
    let mut folded: Vec<(char, u32)> = Vec::with_capacity(s.len() / 2);
    let mut changed_raw: Vec<(usize, char)> = Vec::new();
    for (i, c) in s.chars().enumerate() {
        if let Some(f) = fold_char(c) {
            if f != c && (c as u32) >= 0x3400 {
                changed_raw.push((folded.len(), c));
            }
            folded.push((f, i as u32));
        }
    }
    // Pass 2: unify ellipsis runs (…, ……, ⋯⋯, ..., 。。。) into one ELLIPSIS.
    let n = folded.len();
    let mut out = Normalized {
        chars: Vec::with_capacity(n),
        start: Vec::with_capacity(n),
        end: Vec::with_capacity(n),
        changed: Vec::new(),
    };
    let mut raw = changed_raw.into_iter().peekable();
    let mut i = 0;
    while i < n {
        let (c, pos) = folded[i];
        let mut j = i + 1;
        let is_run = if c == ELLIPSIS {
            while j < n && folded[j].0 == ELLIPSIS {
                j += 1;
            }
            true
        } else if c == '.' || c == '。' {
            while j < n && folded[j].0 == c {
                j += 1;
            }
            j - i >= 3
        } else {
            false
        };
        if is_run {
            out.chars.push(ELLIPSIS);
            out.start.push(pos);
            out.end.push(folded[j - 1].1 + 1);
            i = j;
        } else {
            while raw.peek().is_some_and(|&(k, _)| k < i) {
                raw.next();
            }
            if let Some(&(k, r)) = raw.peek()
                && k == i
            {
                out.changed.push((out.chars.len() as u32, r));
            }
            out.chars.push(c);
            out.start.push(pos);
            out.end.push(pos + 1);
            i += 1;
        }
    }
    out
}

/// Normalisation used for comparison: full-width ASCII (，；：（）！？０-９Ａ-Ｚ…) folded to half
/// width, all quotation marks (“”‘’「」『』"') folded to `"`, every ellipsis form (…… … ⋯⋯
/// ... 。。。) folded to one `…`, white space and line breaks removed. CJK characters are never
/// folded into each other.
///
/// Returns the normalised string and, for each of its chars, the char offset in `s` it starts
/// at (an ellipsis made of several chars maps to its first char).
pub fn normalize_for_compare(s: &str) -> (String, Vec<usize>) {
    let n = normalize(s);
    (
        n.chars.iter().collect(),
        n.start.iter().map(|&p| p as usize).collect(),
    )
}

/// Chars trimmed off the ends of a quotation (and of each abridged part): sentence
/// punctuation only (after folding). Brackets and quotation marks are kept.
fn is_trimmable(c: char) -> bool {
    matches!(
        c,
        '。' | ',' | ';' | ':' | '!' | '?' | '、' | '.' | '—' | '-' | '～' | '~'
    )
}

// ---------------------------------------------------------------------------------------------
// Hashing (FxHash-style; keys are already well mixed char pairs)

#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn bigram(a: char, b: char) -> u64 {
    ((a as u64) << 32) | b as u64
}

// ---------------------------------------------------------------------------------------------
// The index

/// A located passage in the concatenated normalised text.
#[derive(Debug, Clone)]
struct Hit {
    /// Global normalised start (inclusive).
    start: usize,
    /// Global normalised end (exclusive).
    end: usize,
    similarity: f32,
    diff: Vec<DiffOp>,
}

/// An index over source texts, built once; queries do not rescan every source.
///
/// Holds the normalised texts (concatenated), their maps back to original offsets and a char
/// bigram inverted index with positions.
pub struct SourceIndex {
    /// All normalised sources, separated by [`SEP`].
    text: Vec<char>,
    /// Original char offset (within its own source) each char of `text` starts at.
    orig_start: Vec<u32>,
    /// Original char offset (exclusive) each char of `text` ends at.
    orig_end: Vec<u32>,
    /// Global range of each source in `text`.
    ranges: Vec<(usize, usize)>,
    /// Bigram → ascending global positions of its first char.
    grams: FxMap<u64, Vec<u32>>,
    /// Global positions whose char was Traditional, with the char as written.
    raw: FxMap<u32, char>,
}

impl SourceIndex {
    /// Normalises and indexes the sources. Source `i` of the slice is source `i` in results.
    pub fn new(sources: &[&str]) -> SourceIndex {
        let total: usize = sources.iter().map(|s| s.len() / 3 + 1).sum();
        let mut text = Vec::with_capacity(total);
        let mut orig_start = Vec::with_capacity(total);
        let mut orig_end = Vec::with_capacity(total);
        let mut ranges = Vec::with_capacity(sources.len());
        let mut raw = FxMap::default();
        for s in sources {
            let n = normalize(s);
            let lo = text.len();
            raw.extend(n.changed.iter().map(|&(k, c)| (k + lo as u32, c)));
            text.extend_from_slice(&n.chars);
            orig_start.extend_from_slice(&n.start);
            orig_end.extend_from_slice(&n.end);
            ranges.push((lo, text.len()));
            text.push(SEP);
            orig_start.push(0);
            orig_end.push(0);
        }
        let mut grams: FxMap<u64, Vec<u32>> = FxMap::default();
        grams.reserve(text.len() / 4 + 16);
        for (i, w) in text.windows(2).enumerate() {
            if w[0] != SEP && w[1] != SEP {
                grams.entry(bigram(w[0], w[1])).or_default().push(i as u32);
            }
        }
        SourceIndex {
            text,
            orig_start,
            orig_end,
            ranges,
            grams,
            raw,
        }
    }

    /// Number of sources.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// True when there are no sources.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Best match of `quotation` over all sources (verbatim beats abridged beats variant; among
    /// variants the highest similarity, then the lowest source index).
    pub fn find(&self, quotation: &str) -> Match {
        self.find_scoped(quotation, 0, self.text.len())
    }

    /// Best match of `quotation` in source `source` only (not found if out of range).
    pub fn find_in(&self, quotation: &str, source: usize) -> Match {
        match self.ranges.get(source) {
            Some(&(lo, hi)) => self.find_scoped(quotation, lo, hi),
            None => Match::not_found(),
        }
    }

    fn find_scoped(&self, quotation: &str, lo: usize, hi: usize) -> Match {
        let norm = normalize(quotation);
        let chars = &norm.chars;
        let Some(first) = chars.iter().position(|&c| !is_trimmable(c)) else {
            return Match::not_found();
        };
        let last = chars
            .iter()
            .rposition(|&c| !is_trimmable(c))
            .unwrap_or(first);
        let q = &chars[first..=last];
        if lo >= hi || !q.iter().any(|c| c.is_alphanumeric()) {
            return Match::not_found();
        }

        let hits = self.exact_hits(q, lo, hi, 16);
        if let Some(&start) = hits.first() {
            // Prefer an occurrence in the quotation's own script.
            let q_raw: FxMap<u32, char> = norm.changed.iter().copied().collect();
            let differs = |start: usize| {
                (0..q.len()).any(|i| {
                    let qc = q_raw.get(&((first + i) as u32)).copied().unwrap_or(q[i]);
                    let sc = self.raw.get(&((start + i) as u32)).copied().unwrap_or(q[i]);
                    qc != sc
                })
            };
            let start = hits.iter().copied().find(|&h| !differs(h)).unwrap_or(start);
            let hit = Hit {
                start,
                end: start + q.len(),
                similarity: 1.0,
                diff: vec![DiffOp::Same(q.iter().collect())],
            };
            let mut m = self.to_match(Status::Verbatim, &hit);
            m.script_differs = differs(start);
            return m;
        }
        if q.contains(&ELLIPSIS)
            && let Some(hit) = self.find_abridged(q, lo, hi)
        {
            return self.to_match(Status::Abridged, &hit);
        }
        if q.len() >= MIN_VARIANT_CHARS
            && let Some(hit) = self.find_variant(q, lo, hi)
        {
            return self.to_match(Status::Variant, &hit);
        }
        Match::not_found()
    }

    /// Converts a global hit to a result in original offsets of its source.
    fn to_match(&self, status: Status, hit: &Hit) -> Match {
        let source = self.source_of(hit.start);
        Match {
            status,
            source: Some(source),
            source_start: Some(self.orig_start[hit.start] as usize),
            source_end: Some(self.orig_end[hit.end - 1] as usize),
            similarity: hit.similarity,
            diff: hit.diff.clone(),
            script_differs: false,
        }
    }

    /// Source containing global position `pos`.
    fn source_of(&self, pos: usize) -> usize {
        self.ranges
            .partition_point(|&(_, end)| end <= pos)
            .min(self.ranges.len().saturating_sub(1))
    }

    /// Postings of a bigram restricted to positions in `lo..hi`.
    fn postings(&self, key: u64, lo: usize, hi: usize) -> &[u32] {
        match self.grams.get(&key) {
            Some(list) if lo == 0 && hi >= self.text.len() => list,
            Some(list) => {
                let a = list.partition_point(|&p| (p as usize) < lo);
                let b = list.partition_point(|&p| (p as usize) < hi);
                &list[a..b]
            }
            None => &[],
        }
    }

    /// Start positions of exact occurrences of `q` inside `lo..hi`, ascending, at most `limit`.
    fn exact_hits(&self, q: &[char], lo: usize, hi: usize, limit: usize) -> Vec<usize> {
        let m = q.len();
        let mut out = Vec::new();
        if m == 0 || hi < lo + m {
            return out;
        }
        if m == 1 {
            for (i, &c) in self.text[lo..hi].iter().enumerate() {
                if c == q[0] {
                    out.push(lo + i);
                    if out.len() >= limit {
                        break;
                    }
                }
            }
            return out;
        }
        // Rarest bigram of the quotation drives the search.
        let mut best: Option<(usize, &[u32])> = None;
        for qi in 0..m - 1 {
            let list = self.postings(bigram(q[qi], q[qi + 1]), lo + qi, hi);
            if list.is_empty() {
                return out;
            }
            if best.is_none_or(|(_, b)| list.len() < b.len()) {
                best = Some((qi, list));
            }
        }
        let Some((qi, list)) = best else { return out };
        for &p in list {
            let start = p as usize - qi;
            if start + m <= hi && self.text[start..start + m] == *q {
                out.push(start);
                if out.len() >= limit {
                    break;
                }
            }
        }
        out
    }

    /// Last exact occurrence of `q` inside `lo..hi`.
    fn last_exact_hit(&self, q: &[char], lo: usize, hi: usize) -> Option<usize> {
        self.exact_hits(q, lo, hi, usize::MAX).last().copied()
    }

    /// Candidate windows (global, each inside one source) for a fuzzy search of `q` in
    /// `lo..hi`, best first, from bigram votes on diagonal buckets.
    fn candidate_windows(&self, q: &[char], lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let m = q.len();
        if m < 2 {
            return Vec::new();
        }
        // Vote with the rarest bigrams first: they locate the passage as well as all of them
        // would, at a fraction of the cost (common bigrams like 发展 have thousands of postings).
        let mut lists: Vec<(usize, &[u32])> = (0..m - 1)
            .map(|qi| (qi, self.postings(bigram(q[qi], q[qi + 1]), lo, hi)))
            .filter(|(_, l)| !l.is_empty() && l.len() <= MAX_POSTINGS_VOTE)
            .collect();
        lists.sort_by_key(|(_, l)| l.len());
        let mut raw: Vec<(usize, usize)> = Vec::new(); // (bucket, position)
        let mut voters = 0usize;
        for (qi, list) in lists {
            if voters >= MIN_VOTERS && raw.len() + list.len() > VOTE_BUDGET {
                break;
            }
            voters += 1;
            raw.extend(
                list.iter()
                    .map(|&p| ((p as usize + m - qi) / BUCKET, p as usize)),
            );
        }
        if raw.is_empty() {
            return Vec::new();
        }
        raw.sort_unstable();
        // (bucket, votes, a position that voted), ascending by bucket.
        let mut votes: Vec<(usize, u32, usize)> = Vec::new();
        for &(b, p) in &raw {
            match votes.last_mut() {
                Some(v) if v.0 == b => v.1 += 1,
                _ => votes.push((b, 1, p)),
            }
        }
        let mut scored: Vec<(u32, usize, usize)> = (0..votes.len())
            .map(|i| {
                let (b, v, p) = votes[i];
                let mut s = v;
                if i > 0 && votes[i - 1].0 + 1 == b {
                    s += votes[i - 1].1;
                }
                if i + 1 < votes.len() && votes[i + 1].0 == b + 1 {
                    s += votes[i + 1].1;
                }
                (s, b, p)
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let best = scored[0].0;
        let min_votes = ((voters as u32) / 5).max(1).max(best / 2);
        let slack = m / 3 + 4;
        let mut chosen: Vec<usize> = Vec::new();
        let mut windows = Vec::new();
        for &(score, b, p) in &scored {
            if score < min_votes || windows.len() >= MAX_CANDIDATES {
                break;
            }
            if chosen
                .iter()
                .any(|&c| c.abs_diff(b) * BUCKET < m + 2 * BUCKET)
            {
                continue;
            }
            chosen.push(b);
            let (slo, shi) = self.ranges[self.source_of(p)];
            let (slo, shi) = (slo.max(lo), shi.min(hi));
            // Quotation start ≈ diag − m, diag in [b·B, (b+1)·B).
            let w_lo = (b * BUCKET).saturating_sub(m + BUCKET + slack).max(slo);
            let w_hi = ((b + 2) * BUCKET + slack).min(shi);
            if w_lo < w_hi {
                windows.push((w_lo, w_hi));
            }
        }
        windows
    }

    /// Best fuzzy match of `q` (similarity ≥ threshold) inside `lo..hi`.
    fn find_variant(&self, q: &[char], lo: usize, hi: usize) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        for (w_lo, w_hi) in self.candidate_windows(q, lo, hi) {
            if let Some(hit) = self.align_in(q, w_lo, w_hi, false)
                && best.as_ref().is_none_or(|b| {
                    hit.similarity > b.similarity
                        || (hit.similarity == b.similarity && hit.start < b.start)
                })
            {
                best = Some(hit);
            }
        }
        best.filter(|h| h.similarity >= variant_threshold(q.len()))
    }

    /// Fitting alignment of `q` inside `text[lo..hi]`, then a `similar` diff of the span.
    ///
    /// A span never starts or ends with source text across punctuation that the quotation
    /// lacks: when the alignment pairs the quotation's first (last) chars with source chars up
    /// to a punctuation mark (e.g. 努力 ↔ 度，), the span is cut after (before) that mark, so the
    /// diff shows the quotation's words as `Missing` instead of a spurious replacement.
    fn align_in(&self, q: &[char], lo: usize, hi: usize, prefer_right: bool) -> Option<Hit> {
        let (s, e) = fit_align(q, &self.text[lo..hi], prefer_right)?;
        let (mut start, mut end) = (lo + s, lo + e);
        let (mut similarity, mut diff) = diff_chars(q, &self.text[start..end]);
        let mut cut = false;
        if let Some(DiffOp::Extra(x)) = leading_extra(&diff) {
            let x: Vec<char> = x.chars().collect();
            if let Some(k) = x.iter().rposition(|c| !c.is_alphanumeric()) {
                start += k + 1;
                cut = true;
            }
        }
        if let Some(DiffOp::Extra(x)) = trailing_extra(&diff) {
            let x: Vec<char> = x.chars().collect();
            if let Some(k) = x.iter().position(|c| !c.is_alphanumeric()) {
                end -= x.len() - k;
                cut = true;
            }
        }
        if cut {
            if start >= end {
                return None;
            }
            (similarity, diff) = diff_chars(q, &self.text[start..end]);
        }
        Some(Hit {
            start,
            end,
            similarity,
            diff,
        })
    }

    /// Finds `part` in `lo..hi`: exact first (first or last occurrence), else fuzzy.
    fn locate_part(&self, part: &[char], lo: usize, hi: usize, prefer_right: bool) -> Option<Hit> {
        if lo >= hi {
            return None;
        }
        let exact = if prefer_right {
            self.last_exact_hit(part, lo, hi)
        } else {
            self.exact_hits(part, lo, hi, 1).first().copied()
        };
        if let Some(start) = exact {
            return Some(Hit {
                start,
                end: start + part.len(),
                similarity: 1.0,
                diff: vec![DiffOp::Same(part.iter().collect())],
            });
        }
        if part.len() < MIN_VARIANT_CHARS {
            return None;
        }
        self.align_in(part, lo, hi, prefer_right)
            .filter(|h| h.similarity >= variant_threshold(part.len()))
    }

    /// Abridged search: the parts of `q` between ellipses, in order, in one source.
    fn find_abridged(&self, q: &[char], lo: usize, hi: usize) -> Option<Hit> {
        let parts = split_parts(q);
        if parts.is_empty() {
            return None;
        }
        let max_span = (ABRIDGED_SPAN_FACTOR * q.len()).clamp(ABRIDGED_SPAN_MIN, ABRIDGED_SPAN_MAX);
        let anchor = (0..parts.len())
            .max_by_key(|&i| (parts[i].1 - parts[i].0, usize::MAX - i))
            .unwrap_or(0);
        let apart = &q[parts[anchor].0..parts[anchor].1];

        let mut anchors: Vec<Hit> = self
            .exact_hits(apart, lo, hi, MAX_ANCHORS)
            .into_iter()
            .map(|start| Hit {
                start,
                end: start + apart.len(),
                similarity: 1.0,
                diff: vec![DiffOp::Same(apart.iter().collect())],
            })
            .collect();
        if anchors.is_empty() && apart.len() >= MIN_VARIANT_CHARS {
            for (w_lo, w_hi) in self.candidate_windows(apart, lo, hi) {
                if let Some(h) = self.align_in(apart, w_lo, w_hi, false)
                    && h.similarity >= variant_threshold(apart.len())
                {
                    anchors.push(h);
                }
            }
        }

        // (score, span, hits)
        let mut best: Option<(f32, usize, Vec<Hit>)> = None;
        for a in anchors {
            let (slo, shi) = self.ranges[self.source_of(a.start)];
            let (slo, shi) = (slo.max(lo), shi.min(hi));
            let mut hits: Vec<Option<Hit>> = vec![None; parts.len()];
            let (a_start, a_end) = (a.start, a.end);
            hits[anchor] = Some(a);
            let mut ok = true;
            let mut cur = a_end;
            let right_limit = shi.min(a_start + max_span);
            for i in anchor + 1..parts.len() {
                match self.locate_part(&q[parts[i].0..parts[i].1], cur, right_limit, false) {
                    Some(h) => {
                        cur = h.end;
                        hits[i] = Some(h);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            let mut cur = a_start;
            let left_limit = slo.max(a_end.saturating_sub(max_span));
            for i in (0..anchor).rev() {
                match self.locate_part(&q[parts[i].0..parts[i].1], left_limit, cur, true) {
                    Some(h) => {
                        cur = h.start;
                        hits[i] = Some(h);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            let hits: Vec<Hit> = hits.into_iter().flatten().collect();
            let span = hits[hits.len() - 1].end - hits[0].start;
            if span > max_span {
                continue;
            }
            let total: usize = parts.iter().map(|p| p.1 - p.0).sum();
            let score: f32 = parts
                .iter()
                .zip(&hits)
                .map(|(p, h)| h.similarity * (p.1 - p.0) as f32)
                .sum::<f32>()
                / total as f32;
            if best
                .as_ref()
                .is_none_or(|(bs, bspan, _)| score > *bs || (score == *bs && span < *bspan))
            {
                best = Some((score, span, hits));
            }
        }
        let (score, _, hits) = best?;

        // Diff: part diffs, with the omitted quotation text as Missing and gaps as Extra.
        let mut diff = Vec::new();
        let mut q_pos = 0;
        for (i, (p, h)) in parts.iter().zip(&hits).enumerate() {
            if p.0 > q_pos {
                push_op(&mut diff, DiffOp::Missing(q[q_pos..p.0].iter().collect()));
            }
            if i > 0 && h.start > hits[i - 1].end {
                let gap: String = self.text[hits[i - 1].end..h.start].iter().collect();
                push_op(&mut diff, DiffOp::Extra(gap));
            }
            for op in &h.diff {
                push_op(&mut diff, op.clone());
            }
            q_pos = p.1;
        }
        if q_pos < q.len() {
            push_op(&mut diff, DiffOp::Missing(q[q_pos..].iter().collect()));
        }
        Some(Hit {
            start: hits[0].start,
            end: hits[hits.len() - 1].end,
            similarity: score,
            diff,
        })
    }
}

/// Ranges of the parts of `q` between ellipses, trimmed of punctuation, ≥ [`MIN_PART_CHARS`].
fn split_parts(q: &[char]) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..=q.len() {
        if i == q.len() || q[i] == ELLIPSIS {
            let (mut a, mut b) = (start, i);
            while a < b && is_trimmable(q[a]) {
                a += 1;
            }
            while b > a && is_trimmable(q[b - 1]) {
                b -= 1;
            }
            if b - a >= MIN_PART_CHARS {
                parts.push((a, b));
            }
            start = i + 1;
        }
    }
    parts
}

/// The `Extra` of a leading replacement (`Missing`, `Extra`) or a leading `Extra`.
fn leading_extra(ops: &[DiffOp]) -> Option<&DiffOp> {
    match ops {
        [DiffOp::Missing(_), x @ DiffOp::Extra(_), ..] | [x @ DiffOp::Extra(_), ..] => Some(x),
        _ => None,
    }
}

/// The `Extra` of a trailing replacement (`Missing`, `Extra`) or a trailing `Extra`.
fn trailing_extra(ops: &[DiffOp]) -> Option<&DiffOp> {
    match ops {
        [.., DiffOp::Missing(_), x @ DiffOp::Extra(_)] | [.., x @ DiffOp::Extra(_)] => Some(x),
        _ => None,
    }
}

/// Appends an op, merging it with the previous one when of the same kind.
fn push_op(ops: &mut Vec<DiffOp>, op: DiffOp) {
    match (ops.last_mut(), op) {
        (Some(DiffOp::Same(a)), DiffOp::Same(b))
        | (Some(DiffOp::Missing(a)), DiffOp::Missing(b))
        | (Some(DiffOp::Extra(a)), DiffOp::Extra(b)) => a.push_str(&b),
        (_, op) => {
            if !matches!(&op, DiffOp::Same(s) | DiffOp::Missing(s) | DiffOp::Extra(s) if s.is_empty())
            {
                ops.push(op)
            }
        }
    }
}

/// Char diff of quotation `q` against source span `s`: similarity `same / max(|q|, |s|)` and
/// the diff ops (a replacement is `Missing` then `Extra`).
fn diff_chars(q: &[char], s: &[char]) -> (f32, Vec<DiffOp>) {
    let mut ops = Vec::new();
    let mut same = 0usize;
    let text = |v: &[char]| v.iter().collect::<String>();
    for op in capture_diff_slices(Algorithm::Myers, q, s) {
        match op {
            SimilarOp::Equal { old_index, len, .. } => {
                same += len;
                push_op(&mut ops, DiffOp::Same(text(&q[old_index..old_index + len])));
            }
            SimilarOp::Delete {
                old_index, old_len, ..
            } => push_op(
                &mut ops,
                DiffOp::Missing(text(&q[old_index..old_index + old_len])),
            ),
            SimilarOp::Insert {
                new_index, new_len, ..
            } => push_op(
                &mut ops,
                DiffOp::Extra(text(&s[new_index..new_index + new_len])),
            ),
            SimilarOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push_op(
                    &mut ops,
                    DiffOp::Missing(text(&q[old_index..old_index + old_len])),
                );
                push_op(
                    &mut ops,
                    DiffOp::Extra(text(&s[new_index..new_index + new_len])),
                );
            }
        }
    }
    let denom = q.len().max(s.len()).max(1);
    (same as f32 / denom as f32, ops)
}

/// Fitting (semi-global) alignment: the span `t[s..e]` with the least edit distance to all of
/// `q` (unit costs). Ties: span length closest to `|q|`, then leftmost (or rightmost when
/// `prefer_right`). Substitution is preferred at the start of a span.
fn fit_align(q: &[char], t: &[char], prefer_right: bool) -> Option<(usize, usize)> {
    let m = q.len();
    let n = t.len();
    if m == 0 || n == 0 {
        return None;
    }
    // Column j of the DP: cost[i] = best cost aligning q[..i] ending at t[..j]; start[i] =
    // where in t that alignment starts.
    let mut cost: Vec<u32> = (0..=m as u32).collect();
    let mut start: Vec<u32> = vec![0; m + 1];
    let mut new_cost = vec![0u32; m + 1];
    let mut new_start = vec![0u32; m + 1];
    // (cost, |span − m|, end, start)
    let mut best: Option<(u32, usize, usize, usize)> = None;
    for j in 1..=n {
        let tc = t[j - 1];
        new_cost[0] = 0;
        new_start[0] = j as u32;
        for i in 1..=m {
            let diag = cost[i - 1] + u32::from(q[i - 1] != tc);
            let up = new_cost[i - 1] + 1; // quotation char missing from the source
            let left = cost[i] + 1; // extra source char
            let (c, s) = if diag <= up && diag <= left {
                (diag, start[i - 1])
            } else if up <= left {
                (up, new_start[i - 1])
            } else {
                (left, start[i])
            };
            new_cost[i] = c;
            new_start[i] = s;
        }
        std::mem::swap(&mut cost, &mut new_cost);
        std::mem::swap(&mut start, &mut new_start);
        let c = cost[m];
        let s = start[m] as usize;
        if s >= j {
            continue;
        }
        let len_diff = (j - s).abs_diff(m);
        let better = match best {
            None => true,
            Some((bc, bl, _, _)) => {
                c < bc || (c == bc && (len_diff < bl || (len_diff == bl && prefer_right)))
            }
        };
        if better {
            best = Some((c, len_diff, j, s));
        }
    }
    best.map(|(_, _, e, s)| (s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(s: &str, m: &Match) -> String {
        s.chars()
            .skip(m.source_start.unwrap())
            .take(m.source_end.unwrap() - m.source_start.unwrap())
            .collect()
    }

    const SRC: &str = "我们要坚定不移地推进改革开放，\n坚持以经济建设为中心。\
        必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。\
        要坚持“以人为本”的原则（全面、协调、可持续），推动经济社会全面发展。\
        各级党委和政府要高度重视社区工作，切实加强领导，认真研究解决社区建设中的突出问题，\
        为社区建设创造良好的环境和条件。";

    #[test]
    fn normalisation_folds_width_quotes_space_ellipsis() {
        let (n, map) = normalize_for_compare("“Ａ１，”\n ‘b’……x...y");
        assert_eq!(n, "\"A1,\"\"b\"…x…y");
        assert_eq!(map.len(), n.chars().count());
        assert_eq!(map[4], 4); // closing ” after the comma
        assert_eq!(map[5], 7); // ‘ after newline and space
        assert_eq!(map[8], 10); // …… starts at 10
        assert_eq!(map[10], 13); // ... starts at 13
        // Different CJK chars stay different.
        assert_ne!(normalize_for_compare("进").0, normalize_for_compare("近").0);
    }

    #[test]
    fn traditional_quotation_matches_simplified_source_and_says_so() {
        let idx = SourceIndex::new(&[SRC, "必須把城鄉社區建設成為管理有序的社會生活共同體。"]);
        let m = idx.find("必須把城鄉社區建設成為管理有序、服務完善、文明祥和的社會生活共同體");
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(m.source, Some(0));
        assert!(m.script_differs);
        // Same script on both sides: no difference reported, and the same-script copy wins.
        let m = idx.find("必須把城鄉社區建設成為管理有序的社會生活共同體");
        assert_eq!(
            (m.status, m.source, m.script_differs),
            (Status::Verbatim, Some(1), false)
        );
        let m = idx.find("必须把城乡社区建设成为管理有序的社会生活共同体");
        assert_eq!(
            (m.status, m.source, m.script_differs),
            (Status::Verbatim, Some(1), true)
        );
        let m = idx.find("必须把城乡社区建设成为管理有序、服务完善");
        assert_eq!(
            (m.status, m.source, m.script_differs),
            (Status::Verbatim, Some(0), false)
        );
    }

    #[test]
    fn verbatim_across_line_break_and_punctuation_width() {
        let idx = SourceIndex::new(&[SRC]);
        let m = idx.find("推进改革开放,坚持以经济建设为中心");
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(m.similarity, 1.0);
        assert_eq!(m.source, Some(0));
        assert_eq!(slice(SRC, &m), "推进改革开放，\n坚持以经济建设为中心");
        // ‘’ vs “” and half-width parentheses and commas.
        let m = idx.find("要坚持‘以人为本’的原则(全面、协调、可持续)!");
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(
            slice(SRC, &m),
            "要坚持“以人为本”的原则（全面、协调、可持续）"
        );
        // A different CJK punctuation mark (、 vs ，) is a difference.
        assert_eq!(
            idx.find("要坚持“以人为本”的原则（全面，协调，可持续）")
                .status,
            Status::Variant
        );
    }

    #[test]
    fn verbatim_ignores_outer_punctuation() {
        let idx = SourceIndex::new(&[SRC]);
        let m = idx.find("切实加强领导。");
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(slice(SRC, &m), "切实加强领导");
    }

    #[test]
    fn variant_one_char_changed() {
        let idx = SourceIndex::new(&[SRC]);
        let m = idx.find("各级党委和政府要高度关注社区工作，切实加强领导");
        assert_eq!(m.status, Status::Variant);
        assert!(m.similarity > 0.9 && m.similarity < 1.0, "{}", m.similarity);
        assert_eq!(
            m.diff,
            vec![
                DiffOp::Same("各级党委和政府要高度".into()),
                DiffOp::Missing("关注".into()),
                DiffOp::Extra("重视".into()),
                DiffOp::Same("社区工作,切实加强领导".into()),
            ]
        );
        assert_eq!(
            slice(SRC, &m),
            "各级党委和政府要高度重视社区工作，切实加强领导"
        );
        // Exactly one char.
        let m = idx.find("认真研究解决社区建设中的突出矛盾");
        assert_eq!(m.status, Status::Variant);
        assert_eq!(
            m.diff,
            vec![
                DiffOp::Same("认真研究解决社区建设中的突出".into()),
                DiffOp::Missing("矛盾".into()),
                DiffOp::Extra("问题".into()),
            ]
        );
        let m = idx.find("认真研究解决社区建设中的重出问题");
        assert_eq!(m.status, Status::Variant);
        assert_eq!(
            m.diff,
            vec![
                DiffOp::Same("认真研究解决社区建设中的".into()),
                DiffOp::Missing("重".into()),
                DiffOp::Extra("突".into()),
                DiffOp::Same("出问题".into()),
            ]
        );
    }

    #[test]
    fn variant_one_char_dropped_and_added() {
        let idx = SourceIndex::new(&[SRC]);
        let dropped = idx.find("为社区建设创造良好环境和条件");
        assert_eq!(dropped.status, Status::Variant);
        assert_eq!(
            dropped.diff,
            vec![
                DiffOp::Same("为社区建设创造良好".into()),
                DiffOp::Extra("的".into()),
                DiffOp::Same("环境和条件".into()),
            ]
        );
        assert_eq!(slice(SRC, &dropped), "为社区建设创造良好的环境和条件");
        let added = idx.find("为社区建设创造更良好的环境和条件");
        assert_eq!(added.status, Status::Variant);
        assert_eq!(
            added.diff,
            vec![
                DiffOp::Same("为社区建设创造".into()),
                DiffOp::Missing("更".into()),
                DiffOp::Same("良好的环境和条件".into()),
            ]
        );
        assert!(added.similarity > 0.9 && added.similarity < 1.0);
    }

    #[test]
    fn variant_added_words_at_start_are_missing_not_replaced() {
        let idx = SourceIndex::new(&[SRC]);
        let m = idx.find("务必要坚持以经济建设为中心");
        assert_eq!(m.status, Status::Variant);
        assert_eq!(
            m.diff,
            vec![
                DiffOp::Missing("务必要".into()),
                DiffOp::Same("坚持以经济建设为中心".into()),
            ]
        );
        assert_eq!(slice(SRC, &m), "坚持以经济建设为中心");
    }

    #[test]
    fn short_quotation_needs_higher_similarity() {
        let idx = SourceIndex::new(&["我们要推进经济建设。"]);
        assert_eq!(idx.find("推进社区建设").status, Status::NotFound);
        assert_eq!(idx.find("推进经济建立").status, Status::Variant);
    }

    #[test]
    fn short_quotation_only_verbatim() {
        let idx = SourceIndex::new(&[SRC]);
        assert_eq!(idx.find("改革开").status, Status::Verbatim);
        assert_eq!(idx.find("改革放").status, Status::NotFound);
        assert_eq!(idx.find("。，").status, Status::NotFound);
        assert_eq!(idx.find("“”").status, Status::NotFound);
        assert_eq!(idx.find("").status, Status::NotFound);
    }

    #[test]
    fn abridged_in_order() {
        let idx = SourceIndex::new(&[SRC]);
        let q = "各级党委和政府要高度重视社区工作，……为社区建设创造良好的环境和条件。";
        let m = idx.find(q);
        assert_eq!(m.status, Status::Abridged);
        assert_eq!(m.similarity, 1.0);
        assert_eq!(
            slice(SRC, &m),
            "各级党委和政府要高度重视社区工作，切实加强领导，认真研究解决社区建设中的突出问题，\
             为社区建设创造良好的环境和条件"
        );
        assert_eq!(
            m.diff[0],
            DiffOp::Same("各级党委和政府要高度重视社区工作".into())
        );
        assert_eq!(m.diff[1], DiffOp::Missing(",…".into()));
        assert!(matches!(&m.diff[2], DiffOp::Extra(g) if g.starts_with(",切实加强领导")));
        // ASCII ellipsis and a part that is a variant.
        let m = idx.find("各级党委和政府要高度关注社区工作...为社区建设创造良好的环境和条件");
        assert_eq!(m.status, Status::Abridged);
        assert!(m.similarity < 1.0 && m.similarity > 0.8, "{}", m.similarity);
    }

    #[test]
    fn not_abridged_in_wrong_order() {
        let idx = SourceIndex::new(&[SRC]);
        let m = idx.find("为社区建设创造良好的环境和条件……各级党委和政府要高度重视社区工作");
        assert_ne!(m.status, Status::Abridged);
        assert_ne!(m.status, Status::Verbatim);
    }

    #[test]
    fn not_found() {
        let idx = SourceIndex::new(&[SRC]);
        let m = idx.find("建设和谐社区，为构建和谐社会奠定基础");
        assert_eq!(m, Match::not_found());
        assert!(SourceIndex::new(&[]).find("任何").status == Status::NotFound);
        assert!(SourceIndex::new(&[]).is_empty());
    }

    #[test]
    fn offsets_map_to_original_text() {
        let src = "\u{FEFF}第一段。\r\n\r\n　　我们要“坚持  以人为本”，\r\n全面推进……各项事业。";
        let idx = SourceIndex::new(&["无关的文本", src]);
        let m = idx.find("坚持以人为本\"，全面推进");
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(m.source, Some(1));
        assert_eq!(slice(src, &m), "坚持  以人为本”，\r\n全面推进");
        let m = idx.find("全面推进...各项事业");
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(slice(src, &m), "全面推进……各项事业");
    }

    #[test]
    fn chooses_right_source_and_find_in() {
        let a = "坚持以经济建设为中心，坚持四项基本原则，坚持改革开放。";
        let b = "我们必须坚持以经济建设为中心，坚持四项基本原则，坚持改革开放，这是党的基本路线。";
        let c = "今天天气很好。";
        let idx = SourceIndex::new(&[c, a, b]);
        assert_eq!(idx.len(), 3);
        let m = idx.find("这是党的基本路线");
        assert_eq!((m.status, m.source), (Status::Verbatim, Some(2)));
        let m = idx.find("坚持四项基本原则，坚持改革开放");
        assert_eq!((m.status, m.source), (Status::Verbatim, Some(1)));
        let m = idx.find_in("坚持四项基本原则，坚持改革开放", 2);
        assert_eq!((m.status, m.source), (Status::Verbatim, Some(2)));
        assert_eq!(slice(b, &m), "坚持四项基本原则，坚持改革开放");
        assert_eq!(idx.find_in("这是党的基本路线", 1).status, Status::NotFound);
        assert_eq!(idx.find_in("这是党的基本路线", 9).status, Status::NotFound);
        // Variant in the best source.
        let m = idx.find("坚持四项基本原理，坚持改革开放，这是党的基本路线");
        assert_eq!((m.status, m.source), (Status::Variant, Some(2)));
    }

    fn read_corpus_file(path: &std::path::Path) -> String {
        let s = std::fs::read_to_string(path).expect("read corpus file");
        s.trim_start_matches('\u{FEFF}').replace("\r\n", "\n")
    }

    fn corpus_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
    }

    #[test]
    fn real_text_cpc17_report() {
        let path = corpus_dir().join("cpc17_report_2007_hu_jintao.txt");
        if !path.exists() {
            return;
        }
        let text = read_corpus_file(&path);
        let idx = SourceIndex::new(&[&text]);
        let q = "把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体";
        let m = idx.find(q);
        assert_eq!(m.status, Status::Verbatim);
        assert_eq!(slice(&text, &m), q);
        let m = idx.find("把城乡社区建设成为管理有序、服务完善、文明和谐的社会生活共同体");
        assert_eq!(m.status, Status::Variant);
        assert!(m.similarity > 0.9);
        assert_eq!(slice(&text, &m), q);
        // The seed speech's own paraphrase (社会 dropped) is a variant too.
        let m = idx.find("把城乡社区建设成为管理有序、服务完善、文明祥和的生活共同体");
        assert_eq!(m.status, Status::Variant);
    }

    /// Tiny deterministic generator for the timing test.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    #[test]
    #[ignore = "timing: run with --release -- --ignored --nocapture"]
    fn timing_corpus() {
        let dir = corpus_dir();
        if !dir.exists() {
            return;
        }
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                n.ends_with(".txt") && !n.ends_with(".gbk.txt")
            })
            .collect();
        files.sort();
        let texts: Vec<String> = files.iter().map(|p| read_corpus_file(p)).collect();
        let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
        let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();

        let t0 = std::time::Instant::now();
        let idx = SourceIndex::new(&refs);
        let build = t0.elapsed();

        let mut rng = Lcg(42);
        let mut quotes = Vec::new();
        let docs: Vec<Vec<char>> = texts.iter().map(|t| t.chars().collect()).collect();
        while quotes.len() < 200 {
            let d = &docs[rng.next(docs.len())];
            let len = 20 + rng.next(101);
            if d.len() < len + 400 {
                continue;
            }
            let at = rng.next(d.len() - len - 300);
            let mut q: Vec<char> = d[at..at + len].to_vec();
            let k = quotes.len() % 5;
            match k {
                1 => {
                    let i = rng.next(q.len());
                    q[i] = '變';
                }
                2 => {
                    q.remove(rng.next(q.len()));
                }
                3 => {
                    let tail: Vec<char> = d[at + len + 100..at + len + 130].to_vec();
                    q.extend("……".chars());
                    q.extend(tail);
                }
                4 => {
                    // Shuffle into something that should mostly not be found.
                    for i in (1..q.len()).rev() {
                        q.swap(i, rng.next(i + 1));
                    }
                }
                _ => {}
            }
            quotes.push((k, q.into_iter().collect::<String>()));
        }
        let t1 = std::time::Instant::now();
        let mut counts = [[0usize; 4]; 5];
        let mut per_kind = [0f64; 5];
        for (k, q) in &quotes {
            let tq = std::time::Instant::now();
            let m = idx.find(q);
            per_kind[*k] += tq.elapsed().as_secs_f64() * 1e3;
            let s = match m.status {
                Status::Verbatim => 0,
                Status::Variant => 1,
                Status::Abridged => 2,
                Status::NotFound => 3,
            };
            counts[*k][s] += 1;
        }
        let query = t1.elapsed();
        println!(
            "corpus: {} files, {} chars; index build {:.1} ms; 200 queries {:.1} ms ({:.3} ms/query)",
            texts.len(),
            chars,
            build.as_secs_f64() * 1e3,
            query.as_secs_f64() * 1e3,
            query.as_secs_f64() * 1e3 / 200.0
        );
        // The same queries against the corpus repeated 4× (≈ 950k chars): how it scales.
        let big: Vec<&str> = (0..4).flat_map(|_| refs.iter().copied()).collect();
        let t2 = std::time::Instant::now();
        let big_idx = SourceIndex::new(&big);
        let big_build = t2.elapsed();
        let t3 = std::time::Instant::now();
        for (_, q) in &quotes {
            std::hint::black_box(big_idx.find(q));
        }
        println!(
            "corpus ×4: {} chars; index build {:.1} ms; 200 queries {:.1} ms",
            chars * 4,
            big_build.as_secs_f64() * 1e3,
            t3.elapsed().as_secs_f64() * 1e3
        );
        let kinds = ["exact", "1 changed", "1 dropped", "abridged", "shuffled"];
        for (k, c) in counts.iter().enumerate() {
            println!(
                "  {:<10} verbatim {:>3} variant {:>3} abridged {:>3} not_found {:>3}  {:.1} ms",
                kinds[k], c[0], c[1], c[2], c[3], per_kind[k]
            );
        }
    }
}
