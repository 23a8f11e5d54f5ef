//! The directive register: every distinct quotation of the filtered documents, its variants
//! grouped, with who quotes it, when, and how.
//!
//! # How quotations are grouped
//! 1. Each quotation gets a **form key** ([`form_key`]): the quotation in comparison form
//!    ([`normalize_for_compare`]: width, quotation marks, ellipses and script folded, white
//!    space dropped) with sentence punctuation trimmed off both ends. Quotations with the same
//!    key are one **form**.
//! 2. Forms verified or linked to overlapping spans of the same source are one entry.
//! 3. Forms without an ellipsis are compared with each other: candidate pairs come from an
//!    inverted index of char trigrams (a pair must share enough of them; trigrams common to
//!    very many forms are not used), and each candidate is aligned with
//!    [`SourceIndex::find_in`]. Two forms join when the chars the alignment keeps are at least
//!    [`GROUP_THRESHOLD`] of the longer one ([`GROUP_THRESHOLD_SHORT`] under
//!    [`SHORT_QUOTATION_CHARS`] chars) and no run of more than two chars is swapped for
//!    other chars (parallel sentences, 排比, share their frame and differ in one phrase:
//!    they are different quotations). Joins are transitive.
//! 4. A form with an ellipsis (an abridged quotation) joins the entry of the one full form it
//!    abridges: the first candidate (most shared trigrams) in which
//!    [`SourceIndex::find_in`] finds its parts in order. It never joins two entries.
//!
//! # Statuses
//! Each occurrence is `verbatim`, `variant` or `abridged` relative to the entry's
//! **reference**: the linked source's text when some occurrence was verified against a
//! source (the span most occurrences were verified at), else the **canonical form** — the
//! form most documents use, ties to the earliest date (a form with an ellipsis is canonical
//! only when every form has one: an abridgement is not the reference of what it abridges). An occurrence verified against the
//! reference source keeps its verification's status; any other is verbatim when its form key
//! equals the reference's, abridged when it has an ellipsis, and a variant otherwise.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analysis::verify::{DiffOp, SHORT_QUOTATION_CHARS, SourceIndex, Status};
use crate::analysis::{self, verify::normalize_for_compare};
use crate::model::{
    AnnId, Attribution, CharIndex, DocFilter, DocId, Document, SourceId, VerifyStatus, Workspace,
};

/// Share of the longer form's chars two ellipsis-free forms must have in common (after
/// alignment) to be variants of one quotation.
pub const GROUP_THRESHOLD: f32 = 0.75;
/// The same for forms shorter than [`SHORT_QUOTATION_CHARS`]: one changed char in 7–11 is
/// tolerated, two are not.
pub const GROUP_THRESHOLD_SHORT: f32 = 0.85;
/// Forms shorter than this (chars of the key) are only grouped by their exact key.
const MIN_GROUP_CHARS: usize = 4;
/// Trigrams shared by more forms than this carry no signal and are not used for candidates.
const POSTING_CAP: usize = 400;
/// Candidate forms aligned per form.
const MAX_ALIGN: usize = 8;

/// What the register looks at besides accepted directives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterOptions {
    /// Also run the detector on every document and include the quoted directives it finds
    /// that the user has not accepted (no directive annotation overlaps them): useful on a
    /// freshly imported folder. Their occurrences have no annotation.
    pub candidates: bool,
}

/// How one occurrence quotes the entry, relative to its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// The same words (after normalisation).
    Verbatim,
    /// Different words: chars changed, added or left out.
    Variant,
    /// Parts left out, marked with an ellipsis.
    Abridged,
}

impl QuoteStatus {
    /// The word reports write: `verbatim`, `variant`, `abridged`.
    pub fn word(self) -> &'static str {
        match self {
            QuoteStatus::Verbatim => "verbatim",
            QuoteStatus::Variant => "variant",
            QuoteStatus::Abridged => "abridged",
        }
    }
}

/// What an entry's statuses are relative to.
#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    /// The entry's canonical form (see [`Entry::canonical`]).
    Canonical,
    /// A span of a linked source's text that occurrences were verified against.
    Source {
        /// The source record.
        id: SourceId,
        /// Its citation ([`crate::model::Source::citation`]).
        citation: String,
        /// Char span in the source's text.
        span: (usize, usize),
    },
}

/// One quotation in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// The document.
    pub doc: DocId,
    /// Its display name ([`Document::display_name`]).
    pub title: String,
    /// The document's date in ISO form as precise as known ([`iso_date`]).
    pub date: Option<String>,
    /// The document's speaker.
    pub speaker: String,
    /// Char offset of the quotation in the document.
    pub start: usize,
    /// Char offset just past it.
    pub end: usize,
    /// The quotation as the document writes it.
    pub quote: String,
    /// Index of its form in [`Entry::forms`].
    pub form: usize,
    /// How it quotes the entry's reference.
    pub status: QuoteStatus,
    /// Whom and what the document attributes it to.
    pub attribution: Attribution,
    /// The accepted directive annotation; `None` for a detector candidate.
    pub annotation: Option<AnnId>,
    /// The source the directive is linked to.
    pub source: Option<SourceId>,
    /// The status of the directive's last (current) verification.
    pub verification: Option<VerifyStatus>,
}

impl Occurrence {
    /// True for a quotation the detector found and the user has not accepted.
    pub fn is_candidate(&self) -> bool {
        self.annotation.is_none()
    }
}

/// One distinct wording (form key) of an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The form key ([`form_key`]).
    pub key: String,
    /// The wording as its earliest occurrence writes it.
    pub text: String,
    /// Occurrences with this form.
    pub occurrences: usize,
    /// Documents with this form.
    pub documents: usize,
    /// The earliest date of its occurrences.
    pub first_date: Option<String>,
    /// It has an ellipsis.
    pub abridged: bool,
}

/// One quotation of the register with every occurrence of it and its variants.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The reference text: the source span's text, or the canonical form as first written.
    pub quote: String,
    /// What statuses are relative to.
    pub reference: Reference,
    /// Index into `forms` of the canonical form: the one most documents use, ties to the
    /// earliest date; forms without an ellipsis first.
    pub canonical: usize,
    /// The distinct wordings, in order of first occurrence.
    pub forms: Vec<Form>,
    /// Every occurrence, by date (undated last), document and position.
    pub occurrences: Vec<Occurrence>,
    /// The earliest known date of an occurrence.
    pub first_date: Option<String>,
    /// The latest known date of an occurrence.
    pub last_date: Option<String>,
}

impl Entry {
    /// Number of distinct normalised forms.
    pub fn variants(&self) -> usize {
        self.forms.len()
    }

    /// Number of distinct documents quoting it.
    pub fn document_count(&self) -> usize {
        self.occurrences
            .iter()
            .map(|o| o.doc)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The source of the reference, else the source most of its directives are linked to.
    pub fn linked_source(&self) -> Option<SourceId> {
        if let Reference::Source { id, .. } = self.reference {
            return Some(id);
        }
        let mut counts: BTreeMap<SourceId, usize> = BTreeMap::new();
        for s in self.occurrences.iter().filter_map(|o| o.source) {
            *counts.entry(s).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(id, n)| (n, std::cmp::Reverse(id)))
            .map(|(id, _)| id)
    }

    /// Occurrences per period (dated ones only), in period order.
    pub fn timeline(&self, period: Period) -> Vec<(String, usize)> {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for o in &self.occurrences {
            if let Some(d) = &o.date {
                *m.entry(period.bucket(d)).or_default() += 1;
            }
        }
        m.into_iter().collect()
    }
}

/// How finely a timeline buckets dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `2006`.
    Year,
    /// `2006-10` (a date known only to the year stays `2006`).
    Month,
    /// `2006-10-11` (less precise dates keep their precision).
    Day,
}

impl Period {
    /// The bucket of an ISO date (`2006`, `2006-10` or `2006-10-11`).
    pub fn bucket(self, date: &str) -> String {
        let n = match self {
            Period::Year => 4,
            Period::Month => 7,
            Period::Day => 10,
        };
        date.chars().take(n).collect()
    }
}

/// One bucket of [`Register::timeline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineBucket {
    /// The period (`2006`, `2006-10`, `2006-10-11`; see [`Period::bucket`]).
    pub period: String,
    /// Quotations in documents of this period.
    pub occurrences: usize,
    /// Distinct entries quoted in it.
    pub entries: usize,
    /// Distinct documents quoting in it.
    pub documents: usize,
}

/// The directive register of a set of documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Register {
    /// Entries, most documents first, then by first date and quote.
    pub entries: Vec<Entry>,
    /// Number of documents looked at (kept by the filter).
    pub documents: usize,
    /// Occurrences whose document has no known date.
    pub undated: usize,
}

impl Register {
    /// Quotations per period over all entries (dated ones only), in period order.
    pub fn timeline(&self, period: Period) -> Vec<TimelineBucket> {
        type Acc = (usize, BTreeSet<usize>, BTreeSet<DocId>);
        let mut m: BTreeMap<String, Acc> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            for o in &e.occurrences {
                if let Some(d) = &o.date {
                    let acc = m.entry(period.bucket(d)).or_default();
                    acc.0 += 1;
                    acc.1.insert(i);
                    acc.2.insert(o.doc);
                }
            }
        }
        m.into_iter()
            .map(|(period, (n, e, d))| TimelineBucket {
                period,
                occurrences: n,
                entries: e.len(),
                documents: d.len(),
            })
            .collect()
    }

    /// Number of occurrences over all entries.
    pub fn occurrence_count(&self) -> usize {
        self.entries.iter().map(|e| e.occurrences.len()).sum()
    }
}

/// A date in ISO form as precise as known (`2006-10-11`, `2006-10`, `2006`): an ISO date is
/// kept, a written one (`2006年10月11日`) is read; `None` when there is none.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let iso = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    };
    if iso {
        return Some(s.to_string());
    }
    analysis::parse_date(s).map(|(iso, _)| iso)
}

/// Chars trimmed off both ends of a form key: sentence punctuation and quotation marks
/// (after folding).
fn is_end_punct(c: char) -> bool {
    matches!(
        c,
        '。' | ',' | ';' | ':' | '!' | '?' | '、' | '.' | '—' | '-' | '～' | '~' | '"'
    )
}

/// The form key of a quotation: its comparison form ([`normalize_for_compare`]) with
/// sentence punctuation and quotation marks trimmed off both ends. Quotations with equal keys
/// are the same wording.
pub fn form_key(quote: &str) -> String {
    let (n, _) = normalize_for_compare(quote);
    n.trim_matches(is_end_punct).to_string()
}

/// A current verification: status, source, span.
type Verified = (VerifyStatus, SourceId, Option<(usize, usize)>);

/// A quotation before grouping.
struct Raw {
    /// Index into the filtered documents.
    doc: usize,
    start: usize,
    end: usize,
    quote: String,
    attribution: Attribution,
    annotation: Option<AnnId>,
    source: Option<SourceId>,
    /// The current verification.
    verification: Option<Verified>,
    /// A linked span of a source (verified or linked by hand).
    span: Option<(SourceId, usize, usize)>,
}

/// A distinct form key while grouping.
struct FormData {
    key: String,
    chars: Vec<char>,
    abridged: bool,
    occ: Vec<usize>,
}

/// Disjoint sets over form indices.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            self.0[hi] = lo;
        }
    }
}

/// The quotations of the filtered documents: accepted directives, and detector candidates
/// when asked.
fn collect(ws: &Workspace, docs: &[&Document], opts: &RegisterOptions) -> Vec<Raw> {
    let index: HashMap<DocId, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let mut accepted: Vec<Vec<(usize, usize)>> = vec![Vec::new(); docs.len()];
    let mut raws = Vec::new();
    for a in &ws.annotations {
        let Some(info) = &a.directive else { continue };
        let Some(&d) = index.get(&a.doc) else {
            continue;
        };
        let (start, end) = (a.anchor.start.0, a.anchor.end.0);
        accepted[d].push((start, end));
        if a.orphan {
            continue;
        }
        let verification = info
            .verification
            .as_ref()
            .filter(|v| !info.verification_stale && v.status != VerifyStatus::NotFound)
            .map(|v| (v.status, v.source, v.span));
        let span = match verification {
            Some((_, src, Some((lo, hi)))) => Some((src, lo, hi)),
            _ => info
                .source
                .zip(info.source_span)
                .map(|(src, (lo, hi))| (src, lo, hi)),
        };
        raws.push(Raw {
            doc: d,
            start,
            end,
            quote: a.anchor.quote.clone(),
            attribution: info.attribution.clone(),
            annotation: Some(a.id),
            source: info.source,
            verification,
            span,
        });
    }
    if opts.candidates {
        let found = super::par_map(docs, |d| analysis::detect(&d.text).directives);
        for (d, dirs) in found.into_iter().enumerate() {
            for x in dirs {
                let taken = accepted[d]
                    .iter()
                    .any(|&(s, e)| (s, e) == (x.start, x.end) || (x.start < e && s < x.end));
                if taken {
                    continue;
                }
                raws.push(Raw {
                    doc: d,
                    start: x.start,
                    end: x.end,
                    attribution: x.attribution(),
                    quote: x.quote,
                    annotation: None,
                    source: None,
                    verification: None,
                    span: None,
                });
            }
        }
    }
    raws
}

/// Trigrams of a form key (not across an ellipsis or quotation mark), sorted, distinct.
fn trigrams(chars: &[char]) -> Vec<u64> {
    let mut v: Vec<u64> = chars
        .windows(3)
        .filter(|w| !w.iter().any(|&c| c == '…' || c == '"'))
        .map(|w| ((w[0] as u64) << 42) | ((w[1] as u64) << 21) | w[2] as u64)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Chars an alignment keeps in common.
fn common_chars(diff: &[DiffOp]) -> usize {
    diff.iter()
        .map(|d| match d {
            DiffOp::Same(s) => s.chars().count(),
            _ => 0,
        })
        .sum()
}

/// The longest run of chars the alignment swaps for other chars: a change between two
/// `Same` runs that both removes and adds text counts the shorter of the two.
/// `学习他刻苦学习的精神` against `学习他党性坚强的精神` swaps 4: the two are parallel
/// sentences of one speech (排比), not wordings of one quotation; `协调、可持续` against
/// `协调和可持续` swaps 1.
fn longest_swap(diff: &[DiffOp]) -> usize {
    let mut best = 0;
    let (mut missing, mut extra) = (0, 0);
    for d in diff {
        match d {
            DiffOp::Same(_) => {
                best = best.max(missing.min(extra));
                missing = 0;
                extra = 0;
            }
            DiffOp::Missing(t) => missing += t.chars().count(),
            DiffOp::Extra(t) => extra += t.chars().count(),
        }
    }
    best.max(missing.min(extra))
}

/// Chars two wordings may swap and still be one quotation (see [`longest_swap`]).
const MAX_SWAP_CHARS: usize = 2;

/// Joins forms into entries (steps 2–4 of the module documentation).
fn group_forms(forms: &[FormData], raws: &[Raw]) -> UnionFind {
    let mut uf = UnionFind((0..forms.len()).collect());
    let form_of: Vec<usize> = {
        let mut v = vec![0; raws.len()];
        for (f, fd) in forms.iter().enumerate() {
            for &o in &fd.occ {
                v[o] = f;
            }
        }
        v
    };

    // 2. Overlapping spans of one source.
    let mut spans: Vec<(SourceId, usize, usize, usize)> = raws
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.span.map(|(s, lo, hi)| (s, lo, hi, form_of[i])))
        .collect();
    spans.sort_unstable();
    let mut cur: Option<(SourceId, usize, usize)> = None; // source, end, form
    for &(s, lo, hi, f) in &spans {
        match cur {
            Some((cs, ce, cf)) if cs == s && lo < ce => {
                uf.union(cf, f);
                cur = Some((cs, ce.max(hi), cf));
            }
            _ => cur = Some((s, hi, f)),
        }
    }

    // 3. Ellipsis-free forms with each other.
    let full: Vec<usize> = (0..forms.len())
        .filter(|&f| !forms[f].abridged && forms[f].chars.len() >= MIN_GROUP_CHARS)
        .collect();
    let abridged: Vec<usize> = (0..forms.len())
        .filter(|&f| forms[f].abridged && forms[f].chars.len() >= MIN_GROUP_CHARS)
        .collect();
    if full.is_empty() || (full.len() < 2 && abridged.is_empty()) {
        return uf;
    }
    let grams: Vec<Vec<u64>> = forms.iter().map(|f| trigrams(&f.chars)).collect();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (fi, &f) in full.iter().enumerate() {
        for &g in &grams[f] {
            postings.entry(g).or_default().push(fi as u32);
        }
    }
    let keys: Vec<&str> = full.iter().map(|&f| forms[f].key.as_str()).collect();
    let index = SourceIndex::new(&keys);
    let mut counts = vec![0u32; full.len()];
    let mut touched: Vec<u32> = Vec::new();
    // Candidates of form `f` among the full forms (`after`: only those after it), with the
    // number of trigrams they share, best first.
    let mut candidates = |f: usize, after: Option<usize>| -> Vec<(u32, usize)> {
        for g in &grams[f] {
            let Some(list) = postings.get(g) else {
                continue;
            };
            if list.len() > POSTING_CAP {
                continue;
            }
            for &j in list {
                if after.is_some_and(|a| (j as usize) <= a) {
                    continue;
                }
                if counts[j as usize] == 0 {
                    touched.push(j);
                }
                counts[j as usize] += 1;
            }
        }
        let mut out: Vec<(u32, usize)> = touched
            .drain(..)
            .map(|j| {
                let c = counts[j as usize];
                counts[j as usize] = 0;
                (c, j as usize)
            })
            .collect();
        out.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        out
    };
    for (fi, &f) in full.iter().enumerate() {
        let n = grams[f].len();
        let len_f = forms[f].chars.len();
        let mut aligned = 0;
        for (shared, j) in candidates(f, Some(fi)) {
            let g = full[j];
            let len_g = forms[g].chars.len();
            let (short, long) = (len_f.min(len_g), len_f.max(len_g));
            let threshold = if long < SHORT_QUOTATION_CHARS {
                GROUP_THRESHOLD_SHORT
            } else {
                GROUP_THRESHOLD
            };
            // Alignment cannot keep more chars than the shorter form has, and a changed char
            // removes at most three trigrams.
            if (short as f32) < threshold * long as f32
                || (shared as usize) * 10 < n.max(grams[g].len()) * 3
                || uf.find(f) == uf.find(g)
            {
                continue;
            }
            if aligned >= MAX_ALIGN {
                break;
            }
            aligned += 1;
            let m = index.find_in(&forms[f].key, j);
            if matches!(m.status, Status::Verbatim | Status::Variant)
                && common_chars(&m.diff) as f32 >= threshold * long as f32
                && longest_swap(&m.diff) <= MAX_SWAP_CHARS
            {
                uf.union(f, g);
            }
        }
    }

    // 4. Abridged forms join the full form they abridge.
    for &a in &abridged {
        let n = grams[a].len();
        if n == 0 {
            continue;
        }
        let cands = candidates(a, None);
        for &(shared, j) in cands.iter().take(MAX_ALIGN) {
            if (shared as usize) * 2 < n {
                break;
            }
            if index.find_in(&forms[a].key, j).status == Status::Abridged {
                uf.union(a, full[j]);
                break;
            }
        }
    }
    uf
}

/// Orders optional ISO dates: known ones first, then by date.
fn date_order(d: &Option<String>) -> (bool, &str) {
    (d.is_none(), d.as_deref().unwrap_or(""))
}

/// Source texts with their char indices, built once per source a reference needs.
#[derive(Default)]
struct SourceTexts(HashMap<SourceId, CharIndex>);

impl SourceTexts {
    /// The chars `lo..hi` of the source's text (`None` when it has no text).
    fn slice(&mut self, ws: &Workspace, id: SourceId, lo: usize, hi: usize) -> Option<String> {
        let text = ws.source(id)?.text.as_deref()?;
        let index = self.0.entry(id).or_insert_with(|| CharIndex::new(text));
        let hi = hi.min(index.char_len());
        let lo = lo.min(hi);
        Some(text[index.byte_of(text, lo)..index.byte_of(text, hi)].to_string())
    }
}

/// The directive register of the documents `filter` keeps: accepted directives (and, with
/// [`RegisterOptions::candidates`], the detector's unaccepted ones) grouped into entries as
/// the [module documentation](self) describes.
pub fn register(ws: &Workspace, filter: &DocFilter, opts: &RegisterOptions) -> Register {
    let docs: Vec<&Document> = filter.documents(ws).collect();
    let dates: Vec<Option<String>> = docs.iter().map(|d| iso_date(&d.meta.date)).collect();
    let raws = collect(ws, &docs, opts);

    let mut forms: Vec<FormData> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, r) in raws.iter().enumerate() {
        let key = form_key(&r.quote);
        if key.is_empty() {
            continue;
        }
        let f = *by_key.entry(key).or_insert_with_key(|k| {
            forms.push(FormData {
                key: k.clone(),
                chars: k.chars().collect(),
                abridged: k.contains('…'),
                occ: Vec::new(),
            });
            forms.len() - 1
        });
        forms[f].occ.push(i);
    }
    let mut uf = group_forms(&forms, &raws);
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for f in 0..forms.len() {
        groups.entry(uf.find(f)).or_default().push(f);
    }

    let mut sources = SourceTexts::default();
    let mut entries: Vec<Entry> = groups
        .into_values()
        .map(|members| build_entry(ws, &docs, &dates, &raws, &forms, &members, &mut sources))
        .collect();
    entries.sort_by_cached_key(|e| {
        (
            std::cmp::Reverse(e.document_count()),
            e.first_date.is_none(),
            e.first_date.clone(),
            e.quote.clone(),
        )
    });
    let undated = entries
        .iter()
        .flat_map(|e| &e.occurrences)
        .filter(|o| o.date.is_none())
        .count();
    Register {
        entries,
        documents: docs.len(),
        undated,
    }
}

/// One entry from its forms (indices into `forms`, ascending).
fn build_entry(
    ws: &Workspace,
    docs: &[&Document],
    dates: &[Option<String>],
    raws: &[Raw],
    forms: &[FormData],
    members: &[usize],
    sources: &mut SourceTexts,
) -> Entry {
    // (raw index, form index within the entry)
    let mut occ: Vec<(usize, usize)> = members
        .iter()
        .enumerate()
        .flat_map(|(k, &f)| forms[f].occ.iter().map(move |&o| (o, k)))
        .collect();
    occ.sort_by(|&(a, _), &(b, _)| {
        let (ra, rb) = (&raws[a], &raws[b]);
        date_order(&dates[ra.doc])
            .cmp(&date_order(&dates[rb.doc]))
            .then(docs[ra.doc].id.cmp(&docs[rb.doc].id))
            .then(ra.start.cmp(&rb.start))
            .then(ra.end.cmp(&rb.end))
    });

    let mut entry_forms: Vec<Form> = members
        .iter()
        .map(|&f| Form {
            key: forms[f].key.clone(),
            text: String::new(),
            occurrences: 0,
            documents: 0,
            first_date: None,
            abridged: forms[f].abridged,
        })
        .collect();
    let mut seen_docs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &(o, k) in &occ {
        let r = &raws[o];
        let form = &mut entry_forms[k];
        if form.occurrences == 0 {
            form.text = r.quote.clone();
            form.first_date = dates[r.doc].clone();
        }
        form.occurrences += 1;
        if seen_docs.insert((k, r.doc)) {
            form.documents += 1;
        }
    }
    let canonical = (0..entry_forms.len())
        .min_by(|&a, &b| {
            let (fa, fb) = (&entry_forms[a], &entry_forms[b]);
            fa.abridged
                .cmp(&fb.abridged)
                .then(fb.documents.cmp(&fa.documents))
                .then_with(|| date_order(&fa.first_date).cmp(&date_order(&fb.first_date)))
                .then(fb.occurrences.cmp(&fa.occurrences))
                .then(a.cmp(&b))
        })
        .unwrap_or(0);

    // The source span most occurrences were verified at (ties: the earliest occurrence).
    let mut spans: Vec<(SourceId, (usize, usize), usize, usize)> = Vec::new(); // + count, first
    for (pos, &(o, _)) in occ.iter().enumerate() {
        if let Some((_, src, Some(span))) = raws[o].verification {
            match spans.iter_mut().find(|s| s.0 == src && s.1 == span) {
                Some(s) => s.2 += 1,
                None => spans.push((src, span, 1, pos)),
            }
        }
    }
    spans.sort_by(|a, b| b.2.cmp(&a.2).then(a.3.cmp(&b.3)));
    let source_ref = spans.first().and_then(|&(id, (lo, hi), _, _)| {
        let text = sources.slice(ws, id, lo, hi)?;
        let s = ws.source(id)?;
        let key = form_key(&text);
        (!key.is_empty()).then(|| (id, s.citation(), (lo, hi), text, key))
    });
    let (reference, quote, ref_key) = match source_ref {
        Some((id, citation, span, text, key)) => {
            (Reference::Source { id, citation, span }, text, key)
        }
        None => (
            Reference::Canonical,
            entry_forms[canonical].text.clone(),
            entry_forms[canonical].key.clone(),
        ),
    };
    let ref_source = match reference {
        Reference::Source { id, .. } => Some(id),
        Reference::Canonical => None,
    };

    let occurrences: Vec<Occurrence> = occ
        .iter()
        .map(|&(o, k)| {
            let r = &raws[o];
            let d = docs[r.doc];
            let verified = r
                .verification
                .filter(|v| Some(v.1) == ref_source)
                .map(|v| v.0);
            let status = match verified {
                Some(VerifyStatus::Verbatim) => QuoteStatus::Verbatim,
                Some(VerifyStatus::Abridged) => QuoteStatus::Abridged,
                Some(_) => QuoteStatus::Variant,
                None if entry_forms[k].key == ref_key => QuoteStatus::Verbatim,
                None if entry_forms[k].abridged => QuoteStatus::Abridged,
                None => QuoteStatus::Variant,
            };
            Occurrence {
                doc: d.id,
                title: d.display_name(),
                date: dates[r.doc].clone(),
                speaker: d.meta.speaker.clone(),
                start: r.start,
                end: r.end,
                quote: r.quote.clone(),
                form: k,
                status,
                attribution: r.attribution.clone(),
                annotation: r.annotation,
                source: r.source,
                verification: r.verification.map(|v| v.0),
            }
        })
        .collect();
    let known = occurrences.iter().filter_map(|o| o.date.as_deref());
    let first_date = known.clone().min().map(str::to_string);
    let last_date = known.max().map(str::to_string);
    Entry {
        quote,
        reference,
        canonical,
        forms: entry_forms,
        occurrences,
        first_date,
        last_date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests_support::*;

    const FULL: &str = "坚持以人为本，树立全面、协调、可持续的发展观";
    const VARIANT: &str = "坚持以人为本，树立全面、协调和可持续的发展观";
    const ABRIDGED: &str = "坚持以人为本……可持续的发展观";
    const OTHER: &str = "加快建设创新型国家，提高自主创新能力";

    #[test]
    fn one_quotation_three_ways_is_one_entry() {
        let mut b = WsBuilder::new();
        let d1 = b.doc(
            "甲",
            "2006-10-11",
            "",
            &format!("他指出：“{FULL}”。还说：“{OTHER}”。"),
        );
        let d2 = b.doc("乙", "2007年3月", "", &format!("会议强调：“{VARIANT}”。"));
        let d3 = b.doc("丙", "2005", "", &format!("要“{ABRIDGED}”。"));
        let d4 = b.doc("丁", "", "", &format!("他说：“{FULL}。”"));
        b.directive(d1, FULL, "胡锦涛");
        b.directive(d1, OTHER, "温家宝");
        b.directive(d2, VARIANT, "");
        b.directive(d3, ABRIDGED, "");
        b.directive(d4, FULL, "");
        let ws = b.ws;
        let reg = register(&ws, &DocFilter::default(), &RegisterOptions::default());
        assert_eq!(reg.entries.len(), 2, "{:#?}", reg.entries);
        let e = &reg.entries[0];
        assert_eq!(e.quote, FULL);
        assert_eq!(e.reference, Reference::Canonical);
        assert_eq!(e.variants(), 3);
        assert_eq!(e.document_count(), 4);
        assert_eq!(e.first_date.as_deref(), Some("2005"));
        assert_eq!(e.last_date.as_deref(), Some("2007-03"));
        let status = |doc: DocId| {
            e.occurrences
                .iter()
                .find(|o| o.doc == doc)
                .map(|o| o.status)
                .unwrap()
        };
        assert_eq!(status(d1), QuoteStatus::Verbatim);
        assert_eq!(status(d4), QuoteStatus::Verbatim, "punctuation at the end");
        assert_eq!(status(d2), QuoteStatus::Variant);
        assert_eq!(status(d3), QuoteStatus::Abridged);
        // By date, undated last.
        let order: Vec<DocId> = e.occurrences.iter().map(|o| o.doc).collect();
        assert_eq!(order, vec![d3, d1, d2, d4]);
        assert_eq!(
            e.occurrences[1].attribution.speaker, "胡锦涛",
            "attribution kept"
        );
        let other = &reg.entries[1];
        assert_eq!(other.quote, OTHER);
        assert_eq!(other.variants(), 1);
        assert_eq!(reg.undated, 1);
        let months = reg.timeline(Period::Month);
        let labels: Vec<&str> = months.iter().map(|b| b.period.as_str()).collect();
        assert_eq!(labels, ["2005", "2006-10", "2007-03"]);
        assert_eq!(months[1].occurrences, 2);
        assert_eq!(months[1].entries, 2);
        assert_eq!(reg.timeline(Period::Year).len(), 3);
    }

    #[test]
    fn different_quotations_stay_apart() {
        let quotes = [
            "加快推进社会主义文化建设，提高国家文化软实力",
            "加快推进社会主义政治建设，发展社会主义民主政治",
            "全面建设小康社会",
            "全面建设小康社会，加快推进社会主义现代化",
        ];
        let mut b = WsBuilder::new();
        for (i, q) in quotes.iter().enumerate() {
            let d = b.doc(&format!("d{i}"), "2008", "", &format!("指出：“{q}”。"));
            b.directive(d, q, "");
        }
        let reg = register(&b.ws, &DocFilter::default(), &RegisterOptions::default());
        assert_eq!(reg.entries.len(), 4);
        assert!(reg.entries.iter().all(|e| e.variants() == 1));
    }

    #[test]
    fn parallel_sentences_are_different_quotations() {
        // 排比: one frame, a different phrase in each; and a real variant of the first.
        let quotes = [
            "我们纪念陈云同志，就要学习他刻苦学习的精神",
            "我们纪念陈云同志，就要学习他党性坚强的精神",
            "我们纪念陈云同志，就要学习他刻苦学习精神",
        ];
        let mut b = WsBuilder::new();
        for (i, q) in quotes.iter().enumerate() {
            let d = b.doc(&format!("d{i}"), "2015", "", &format!("指出：“{q}”。"));
            b.directive(d, q, "");
        }
        let reg = register(&b.ws, &DocFilter::default(), &RegisterOptions::default());
        let mut sizes: Vec<usize> = reg.entries.iter().map(|e| e.occurrences.len()).collect();
        sizes.sort();
        assert_eq!(
            sizes,
            [1, 2],
            "{:#?}",
            reg.entries.iter().map(|e| &e.quote).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_filter_chooses_the_documents() {
        let mut b = WsBuilder::new();
        let d1 = b.doc("甲", "2006", "2006/市委", &format!("“{FULL}”"));
        let d2 = b.doc("乙", "2007", "2007", &format!("“{FULL}”"));
        b.directive(d1, FULL, "");
        b.directive(d2, FULL, "");
        let f = DocFilter {
            group: Some("2006".into()),
            ..Default::default()
        };
        let reg = register(&b.ws, &f, &RegisterOptions::default());
        assert_eq!(reg.documents, 1);
        assert_eq!(reg.entries.len(), 1);
        assert_eq!(reg.entries[0].occurrences.len(), 1);
        assert_eq!(reg.entries[0].occurrences[0].doc, d1);
    }

    #[test]
    fn a_verified_source_is_the_reference() {
        let mut b = WsBuilder::new();
        let d1 = b.doc("甲", "2006", "", &format!("“{VARIANT}”"));
        let d2 = b.doc("乙", "2007", "", &format!("“{VARIANT}”"));
        let src_text = format!("我们要{FULL}。");
        let s = b.source("决定", &src_text);
        let a1 = b.directive(d1, VARIANT, "");
        b.directive(d2, VARIANT, "");
        b.verify(a1, s, VerifyStatus::Variant, (3, 3 + FULL.chars().count()));
        let reg = register(&b.ws, &DocFilter::default(), &RegisterOptions::default());
        assert_eq!(reg.entries.len(), 1);
        let e = &reg.entries[0];
        assert_eq!(e.quote, FULL);
        assert!(matches!(e.reference, Reference::Source { id, .. } if id == s));
        assert!(
            e.occurrences
                .iter()
                .all(|o| o.status == QuoteStatus::Variant)
        );
        assert_eq!(e.linked_source(), Some(s));
    }

    #[test]
    fn candidates_come_from_the_detector() {
        let mut b = WsBuilder::new();
        let text = format!("胡锦涛同志指出：“{FULL}。”温家宝同志强调：“{OTHER}。”");
        let d = b.doc("甲", "2006", "", &text);
        b.directive(d, FULL, "胡锦涛");
        let plain = register(&b.ws, &DocFilter::default(), &RegisterOptions::default());
        assert_eq!(plain.entries.len(), 1);
        let with = register(
            &b.ws,
            &DocFilter::default(),
            &RegisterOptions { candidates: true },
        );
        assert_eq!(with.entries.len(), 2, "{:#?}", with.entries);
        let cand = with
            .entries
            .iter()
            .flat_map(|e| &e.occurrences)
            .find(|o| o.is_candidate())
            .unwrap();
        assert!(cand.quote.contains("创新型国家"));
        assert_eq!(cand.attribution.speaker, "温家宝");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date("2006-10-11").as_deref(), Some("2006-10-11"));
        assert_eq!(iso_date(" 2006 ").as_deref(), Some("2006"));
        assert_eq!(iso_date("2006年10月").as_deref(), Some("2006-10"));
        assert_eq!(iso_date("").as_deref(), None);
        assert_eq!(iso_date("去年").as_deref(), None);
    }
}
