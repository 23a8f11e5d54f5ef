//! The source library: records of the speeches, documents, meetings and laws that quotations
//! come from, optionally with their full text, and the attribution a directive carries.

use serde::{Deserialize, Serialize};

use super::document::Origin;
use super::ids::SourceId;

/// What kind of thing a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SourceKind {
    /// A speech (讲话).
    #[default]
    Speech,
    /// A document: decision, opinion, notice, outline, report (文件).
    Document,
    /// A meeting or its communiqué (会议).
    Meeting,
    /// A law or regulation (法律法规).
    Law,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// Every kind, for choosers.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Speech,
        SourceKind::Document,
        SourceKind::Meeting,
        SourceKind::Law,
        SourceKind::Other,
    ];

    /// A label for the user.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Speech => "speech 讲话",
            SourceKind::Document => "document 文件",
            SourceKind::Meeting => "meeting 会议",
            SourceKind::Law => "law 法规",
            SourceKind::Other => "other 其他",
        }
    }
}

/// A source record. Empty strings mean "not known"; dates may be partial (`2006`, `2006-10`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Source {
    /// Stable identifier.
    pub id: SourceId,
    /// Kind of source.
    pub kind: SourceKind,
    /// Title without 《》.
    pub title: String,
    /// Speaker or issuing body.
    pub issuer: String,
    /// ISO date, as precise as known.
    pub date: String,
    /// Document number, normalised (国发〔2006〕10号).
    pub doc_number: String,
    /// Meeting or occasion.
    pub occasion: String,
    /// Place.
    pub place: String,
    /// Where it was found.
    pub url: String,
    /// When it was retrieved (ISO date).
    pub retrieved_on: String,
    /// Free notes.
    pub notes: String,
    /// The full text, when imported.
    pub text: Option<String>,
    /// Where the text came from.
    pub origin: Option<Origin>,
}

/// The one citation format of Yinwen: `who《title》（文号），date`, parts left out when empty.
fn cite(who: &str, title: &str, doc_number: &str, date: &str) -> String {
    let mut s = String::new();
    s.push_str(who.trim());
    if !title.trim().is_empty() {
        s.push('《');
        s.push_str(title.trim());
        s.push('》');
    }
    if !doc_number.trim().is_empty() {
        s.push('（');
        s.push_str(doc_number.trim());
        s.push('）');
    }
    if !date.trim().is_empty() {
        if !s.is_empty() {
            s.push('，');
        }
        s.push_str(date.trim());
    }
    s
}

/// A 文号 as a key for matching: the normalised form (`国发〔2006〕10号`, letters read as
/// digits) when it parses, else with spaces dropped and every bracket written 〔〕. The one
/// rule for "the same document number", used by merging and by ranking sources.
pub fn doc_number_key(s: &str) -> String {
    if let Some(n) = crate::analysis::normalize_doc_number(s) {
        return n;
    }
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '(' | '（' | '【' | '［' | '〔' | '｛' | '{' => '〔',
            ']' | ')' | '）' | '】' | '］' | '〕' | '｝' | '}' => '〕',
            c => c,
        })
        .collect()
}

/// A title as a key for matching: no spaces, no 《》〈〉.
pub fn title_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '〈' | '〉'))
        .collect()
}

impl Source {
    /// A short citation: issuer《title》（doc number），date.
    pub fn citation(&self) -> String {
        let s = cite(&self.issuer, &self.title, &self.doc_number, &self.date);
        if s.is_empty() {
            format!("source {}", self.id.0)
        } else {
            s
        }
    }
}

impl Attribution {
    /// What the attribution names, in the format of [`Source::citation`] (the date as
    /// written when it has no ISO form); `None` when it names nothing.
    pub fn citation(&self) -> Option<String> {
        let date = if self.date.trim().is_empty() {
            &self.date_text
        } else {
            &self.date
        };
        let s = cite(&self.speaker, &self.source_title, &self.doc_number, date);
        (!s.is_empty()).then_some(s)
    }
}

impl VerifyStatus {
    /// The word tables, reports and the command line write: `verbatim`, `variant`,
    /// `abridged`, `not_found`.
    pub fn word(self) -> &'static str {
        match self {
            VerifyStatus::Verbatim => "verbatim",
            VerifyStatus::Variant => "variant",
            VerifyStatus::Abridged => "abridged",
            VerifyStatus::NotFound => "not_found",
        }
    }

    /// The Chinese label exports show next to [`VerifyStatus::word`].
    pub fn label_zh(self) -> &'static str {
        match self {
            VerifyStatus::Verbatim => "一致",
            VerifyStatus::Variant => "有出入",
            VerifyStatus::Abridged => "节引",
            VerifyStatus::NotFound => "未找到",
        }
    }
}

/// Who a quotation is attributed to, as the speech says it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Attribution {
    /// Speaker (with office if written so).
    pub speaker: String,
    /// Title of the cited speech or document.
    pub source_title: String,
    /// Meeting or occasion (在……上).
    pub occasion: String,
    /// ISO date, as precise as the text.
    pub date: String,
    /// The date as written.
    pub date_text: String,
    /// Reporting verb (指出, 强调, 要求 …).
    pub verb: String,
    /// Document number (〔〕 form).
    pub doc_number: String,
    /// Whether the quotation is abridged (contains ……).
    pub abridged: bool,
    /// Detector confidence 0–1 (1 when entered by hand).
    pub confidence: f32,
}

/// Outcome of checking a quotation against its source's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VerifyStatus {
    /// Found exactly (after normalising punctuation and white space).
    Verbatim,
    /// Found with character differences.
    Variant,
    /// Its parts around …… found in order.
    Abridged,
    /// Not found in the source.
    NotFound,
}

/// The last verification of a directive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// Result.
    pub status: VerifyStatus,
    /// The source checked against.
    pub source: SourceId,
    /// Char span in the source's text, when found.
    pub span: Option<(usize, usize)>,
    /// Similarity 0–1.
    pub similarity: f32,
}

/// What makes an annotation a quoted directive: attribution, link and verification.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectiveInfo {
    /// Attribution as found or edited.
    pub attribution: Attribution,
    /// The linked source.
    pub source: Option<SourceId>,
    /// A span of the source's text the quotation was linked to.
    pub source_span: Option<(usize, usize)>,
    /// The last verification.
    pub verification: Option<Verification>,
    /// The quotation changed (a correction of the text) since it was last verified: the
    /// verification is kept but no longer current, until verified again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub verification_stale: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_read_like_a_footnote() {
        let s = Source {
            id: SourceId(4),
            kind: SourceKind::Document,
            title: "国务院关于发展城市社区卫生服务的指导意见".into(),
            issuer: "国务院".into(),
            date: "2006-02-21".into(),
            doc_number: "国发〔2006〕10号".into(),
            ..Default::default()
        };
        assert_eq!(
            s.citation(),
            "国务院《国务院关于发展城市社区卫生服务的指导意见》（国发〔2006〕10号），2006-02-21"
        );
        assert_eq!(Source::default().citation(), "source 0");
    }
}
