//! Directive detection and text hygiene for Chinese speeches and official documents.
//!
//! [`detect`] finds, in one linear pass per concern:
//! * quoted **directives** — attributed quotations such as
//!   `胡锦涛同志在……会议上指出：“……”`, `《决定》明确要求，要“……”` or `“……”李部长说。`;
//! * quoted **terms** — short expressions, slogans, honorifics and nested `‘…’` quotes;
//! * speech or document **titles set in quotes** (`“在……上的讲话”`);
//! * cited documents (**references**): `《…》` titles and document numbers (`国发〔2006〕10号`);
//! * **warnings**: damaged years (`2O06`), placeholder years (`20xx`), web debris, and
//!   unbalanced quotation marks.
//!
//! All offsets are `char` indices (Unicode scalar values) into the text given; the text is
//! expected to be decoded and normalised (no BOM, `\n` line ends). Nothing here panics on any
//! input, and every scan is linear (look-backs are capped).
//!
//! Damaged years: a year such as `2O06` whose letters are unambiguous digit look-alikes is read
//! as the corrected year (`date` = `2006-10`), `date_text` keeps the text as written
//! (`2O06年10月`), and a `digit_letter_confusion` warning is emitted. A placeholder year
//! (`20xx年2月`) gives `date` = `None` with `date_text` as written.
//!
//! Speakers: a known name keeps an office written next to it (`国务院总理温家宝`,
//! `国务院温家宝`); a trailing `同志` is dropped (`胡锦涛同志` → `胡锦涛`). A pronoun (`他强调`)
//! is resolved to the nearest person named before it.

mod attribution;
mod classify;
mod dates;
mod docnum;
pub mod eval;
mod footnotes;
pub mod header;
mod hygiene;
mod names;
mod prepare;
mod quotes;
mod text;
mod titles;
pub mod verify;
pub mod verify_workspace;

use serde::Serialize;

pub use dates::parse_date;
pub use docnum::normalize_doc_number;
pub use text::to_simplified;

/// Everything [`detect`] finds in one text, each list ordered by `start`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// Attributed quotations.
    pub directives: Vec<Directive>,
    /// Short quoted expressions, slogans, honorifics and nested quotes.
    pub terms: Vec<Term>,
    /// Speech or document titles set in `“”` instead of `《》`.
    pub titles: Vec<QuotedTitle>,
    /// Cited documents: `《…》` titles and/or document numbers.
    pub references: Vec<Reference>,
    /// Problems in the text itself.
    pub warnings: Vec<Warning>,
}

/// An attributed quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Directive {
    /// Text inside the outermost marks, inner marks kept. For a quotation over several
    /// paragraphs: from after the first opening mark to before the final closing mark, with the
    /// paragraph-opening marks in between kept as they are.
    pub quote: String,
    /// Char offset of the first char of `quote`.
    pub start: usize,
    /// Char offset just past the last char of `quote`.
    pub end: usize,
    /// Who said it: `胡锦涛`, `国务院温家宝`, `市委王书记`, `毛主席`, `全国社区建设工作会议` …
    pub speaker: Option<String>,
    /// The cited document or speech title, without `《》` / `“”`.
    pub source_title: Option<String>,
    /// `在……上` / `在……时`, e.g. `在党的十六届六中全会第二次全体会议上`.
    pub occasion: Option<String>,
    /// ISO date as precise as the text: `2006-10-11`, `2006-10`, `2006`.
    pub date: Option<String>,
    /// The date as written: `2O06年10月11日`, `20xx年2月`, `去年`.
    pub date_text: Option<String>,
    /// The reporting verb: `指出`, `明确要求`, `说`, `所说` …
    pub verb: Option<String>,
    /// A document number cited with the source, normalised (`国发〔2006〕10号`).
    pub doc_number: Option<String>,
    /// The quote contains an ellipsis (`……`, `…`, `...`).
    pub abridged: bool,
    /// 0–1: high when speaker + verb + colon directly precede the quote.
    pub confidence: f32,
    /// Where the speaker or source was found (`before_colon`, `after_quote`, `pronoun` …).
    pub attribution_reason: AttributionReason,
}

/// Where a directive's attribution was found: a stable code, written as snake case in JSON
/// (`attribution_reason`) and translated in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionReason {
    /// `X指出：“……”` — named before the colon introducing it.
    BeforeColon,
    /// `X强调，“……”` — named before a comma introducing it.
    BeforeComma,
    /// `X说“……”` — named right before the opening mark.
    BeforeQuote,
    /// `“……”X说。` — named after the quotation.
    AfterQuote,
    /// `“……”。按照X的要求` — the next sentence says whose words they were.
    FollowingSentence,
    /// `他说：“……”` — a pronoun or office standing for the last person named.
    Pronoun,
    /// The person named last in an earlier clause of the same paragraph.
    EarlierSentence,
    /// A paragraph of quotation continuing the speaker of the paragraph before, or a
    /// quotation opening after a colon that ends the paragraph before.
    PreviousParagraph,
    /// `X：“……”` — a speaker's label before a colon, as in a record or an interview.
    Label,
    /// `X认为，……，“……”` — part of a sentence of indirect speech.
    IndirectSpeech,
    /// `“……”“……”` — one of several quotations in a row; the attribution of the first.
    InARow,
    /// `我说过` — the text's own speaker, from its header.
    OwnSpeaker,
    /// A saying (`俗话说`, `正所谓`): nobody in particular.
    Saying,
    /// `……”①` — the note the marker after the quotation points to (`① 毛泽东：《……》（1942年5月）`).
    Footnote,
    /// Words introduced as someone's, with nobody named.
    Unattributed,
}

impl AttributionReason {
    /// The stable code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::BeforeColon => "before_colon",
            Self::BeforeComma => "before_comma",
            Self::BeforeQuote => "before_quote",
            Self::AfterQuote => "after_quote",
            Self::FollowingSentence => "following_sentence",
            Self::Pronoun => "pronoun",
            Self::EarlierSentence => "earlier_sentence",
            Self::PreviousParagraph => "previous_paragraph",
            Self::Label => "label",
            Self::IndirectSpeech => "indirect_speech",
            Self::InARow => "in_a_row",
            Self::OwnSpeaker => "own_speaker",
            Self::Saying => "saying",
            Self::Footnote => "footnote",
            Self::Unattributed => "unattributed",
        }
    }
}

impl Directive {
    /// The attribution a directive annotation records when this directive is accepted.
    pub fn attribution(&self) -> crate::model::Attribution {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        crate::model::Attribution {
            speaker: s(&self.speaker),
            source_title: s(&self.source_title),
            occasion: s(&self.occasion),
            date: s(&self.date),
            date_text: s(&self.date_text),
            verb: s(&self.verb),
            doc_number: s(&self.doc_number),
            abridged: self.abridged,
            confidence: self.confidence,
        }
    }
}

/// A short quoted expression that is not a directive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// Text inside the marks.
    pub text: String,
    /// Char offset of the first char of `text`.
    pub start: usize,
    /// Char offset just past `text`.
    pub end: usize,
    /// `"term"`, `"slogan"`, `"honorific"` or `"nested"` (a quote inside another quote).
    pub kind: String,
}

/// A speech or document title set in quotes, e.g. `“在……上的讲话”`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotedTitle {
    /// Text inside the marks.
    pub text: String,
    /// Char offset of the first char of `text`.
    pub start: usize,
    /// Char offset just past `text`.
    pub end: usize,
}

/// A cited document: a `《…》` title and/or a document number.
///
/// `start` is the `《` (or the first char of a bare document number); `end` is past the `》`,
/// or past the closing bracket of a directly following `（国发〔2006〕10号）`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// The title without the outer `《》`; nested `〈〉` kept.
    pub title: Option<String>,
    /// Normalised document number, e.g. `国发〔2006〕10号`, `国发〔20xx〕14号`.
    pub doc_number: Option<String>,
    /// Char offset where the reference starts.
    pub start: usize,
    /// Char offset just past the reference.
    pub end: usize,
}

/// A problem in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// `digit_letter_confusion`, `placeholder_year`, `boilerplate` or `unbalanced_quotes`.
    pub kind: String,
    /// The offending text.
    pub text: String,
    /// Char offset of the first offending char.
    pub start: usize,
    /// Char offset just past the offending text.
    pub end: usize,
    /// A replacement (`2006`), `delete` for debris, or `None`.
    pub suggestion: Option<String>,
}

/// Finds directives, terms, quoted titles, references and warnings in `text`.
///
/// Offsets are char indices into `text`. Never panics; runs in linear time.
pub fn detect(text: &str) -> Detection {
    classify::run(text)
}

#[cfg(test)]
mod tests;
