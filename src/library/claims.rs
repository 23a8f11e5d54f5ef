//! Whether a quotation's claimed source agrees with the document it was found in, judged from
//! the document's metadata and aliases (never its file name).
//!
//! A claim has up to three parts: a speaker (`习近平总书记`), a title (`十九大报告`,
//! `《关于……的意见》`, `2017年政府工作报告`) and a 文号. Each part present on both sides is
//! compared:
//! * **文号** — equal after normalisation;
//! * **title** — the claimed title (without 《》, 党的, 同志, spaces) equals the document's
//!   title or one of its aliases, or one contains the other (at least four chars). A year in
//!   the claim must be the document's year: `2017年政府工作报告` does not agree with the 2018
//!   report, and a 19th Congress report is not a government work report;
//! * **speaker** — the names agree when one contains the other (`习近平总书记` / `习近平`);
//!   a meeting named as the speaker agrees with the document's occasion or title.
//!
//! The speaker and title the document itself gives the passage ([`super::QuotedFrom`]) count
//! too: a provincial document quoting 习近平 supports a claim that 习近平 said it.
//!
//! A short claim such as `《决定》` is first resolved, in the speech, to the last full title
//! ending the same way named before the quotation ([`resolve_short_title`]).

use crate::analysis::Detection;
use crate::analysis::header::Header;

use super::{FoundMatch, QuotedFrom};

/// What a speech says a quotation comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claim {
    /// Who said it.
    pub speaker: Option<String>,
    /// The cited title.
    pub title: Option<String>,
    /// The cited 文号.
    pub doc_number: Option<String>,
}

impl Claim {
    /// A claim with nothing in it cannot be contradicted.
    pub fn is_empty(&self) -> bool {
        self.speaker.is_none() && self.title.is_none() && self.doc_number.is_none()
    }
}

/// Passages shorter than this (letters, digits, ideographs) are never judged misattributed.
pub const MIN_JUDGED_CHARS: usize = 8;

/// Honorifics and offices dropped from a claimed speaker before comparing names.
const TITLES: &[&str] = &[
    "同志",
    "总书记",
    "主席",
    "总理",
    "副总理",
    "委员长",
    "书记",
    "部长",
    "省长",
    "市长",
    "首相",
    "总统",
    "先生",
];

fn key(s: &str) -> String {
    s.replace("党的", "")
        .replace("同志", "")
        .chars()
        .filter(|c| !c.is_whitespace() && !"《》〈〉“”\"「」".contains(*c))
        .collect()
}

fn year_of(s: &str) -> Option<&str> {
    let k = s.find('年')?;
    let y = s.get(k.checked_sub(4)?..k)?;
    y.chars().all(|c| c.is_ascii_digit()).then_some(y)
}

fn title_agrees(claim: &str, h: &Header, quoted: Option<&QuotedFrom>) -> Option<bool> {
    let c = key(claim);
    if c.chars().count() < 2 {
        return None;
    }
    let mut names: Vec<String> = h
        .title
        .iter()
        .chain(h.aliases.iter())
        .map(|t| key(t))
        .collect();
    if let Some(t) = quoted.and_then(|q| q.source_title.as_deref()) {
        names.push(key(t));
    }
    if names.is_empty() {
        return None;
    }
    let claim_year = year_of(&c);
    let doc_year = h.date.as_deref().and_then(|d| d.get(..4));
    let agrees = names.iter().any(|n| {
        if n == &c {
            return true;
        }
        let (short, long) = if n.chars().count() <= c.chars().count() {
            (n, &c)
        } else {
            (&c, n)
        };
        if short.chars().count() < 4 || !long.contains(short.as_str()) {
            return false;
        }
        // A year in the claim must be the document's year.
        match (claim_year, year_of(n).or(doc_year)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    });
    Some(agrees)
}

fn speaker_agrees(claim: &str, h: &Header, quoted: Option<&QuotedFrom>) -> Option<bool> {
    let mut c = key(claim);
    for t in TITLES {
        if c.len() > t.len() + 3 {
            c = c.replace(t, "");
        }
    }
    if c.is_empty() {
        return None;
    }
    let mut known: Vec<String> = Vec::new();
    if let Some(s) = &h.speaker {
        known.push(key(s));
    }
    if let Some(s) = quoted.and_then(|q| q.speaker.as_deref()) {
        known.push(key(s));
    }
    let meeting = ["会议", "大会", "全会", "座谈会", "中央", "国务院"]
        .iter()
        .any(|w| c.contains(w));
    if meeting {
        for t in [&h.occasion, &h.title, &h.issuer].into_iter().flatten() {
            known.push(key(t));
        }
    }
    if known.is_empty() {
        return None;
    }
    Some(known.iter().any(|k| {
        !k.is_empty()
            && (k.contains(c.as_str()) || (c.contains(k.as_str()) && k.chars().count() >= 2))
    }))
}

/// Whether `claim` agrees with a document found: `Some(true)` agrees, `Some(false)`
/// contradicts, `None` cannot be judged (the document says nothing on the parts claimed).
pub fn agrees(claim: &Claim, h: &Header, quoted: Option<&QuotedFrom>) -> Option<bool> {
    let mut verdicts = Vec::new();
    if let (Some(c), Some(d)) = (&claim.doc_number, &h.doc_number) {
        verdicts.push(crate::model::doc_number_key(c) == crate::model::doc_number_key(d));
    }
    if let Some(t) = &claim.title
        && let Some(v) = title_agrees(t, h, quoted)
    {
        verdicts.push(v);
    }
    if let Some(s) = &claim.speaker
        && let Some(v) = speaker_agrees(s, h, quoted)
    {
        verdicts.push(v);
    }
    if verdicts.is_empty() {
        None
    } else {
        Some(verdicts.iter().all(|v| *v))
    }
}

/// A quotation is misattributed when it was found, what its claim says is contradicted by
/// the best document, and no document it was found in (of the best status) agrees.
pub fn misattributed(claim: &Claim, matches: &[FoundMatch]) -> bool {
    let Some(best) = matches.first() else {
        return false;
    };
    // A short passage (好的！, 三农) is found in many documents for no reason: no verdict.
    let comparable = best.passage.chars().filter(|c| c.is_alphanumeric()).count();
    if claim.is_empty() || comparable < MIN_JUDGED_CHARS {
        return false;
    }
    let same_status = matches.iter().filter(|m| m.status == best.status);
    let mut contradicted = false;
    for m in same_status {
        match agrees(claim, &m.header, m.quoted_from.as_ref()) {
            Some(true) => return false,
            Some(false) => contradicted = true,
            None => {}
        }
    }
    contradicted
}

/// The index of the match that agrees with the claim, if any (else 0, the best).
pub fn agreeing(claim: &Claim, matches: &[FoundMatch]) -> usize {
    let Some(best) = matches.first() else {
        return 0;
    };
    matches
        .iter()
        .position(|m| {
            m.status == best.status
                && agrees(claim, &m.header, m.quoted_from.as_ref()) == Some(true)
        })
        .unwrap_or(0)
}

/// Resolves a short title (`决定`, `《意见》`, `《纲要》`) to the last full `《……决定》` the
/// text names before `before` (a char offset), as speeches refer back to a document named in
/// full earlier. Other titles are returned unchanged.
pub fn resolve_short_title(title: &str, det: &Detection, before: usize) -> String {
    let t = key(title);
    if t.chars().count() > 4 {
        return title.to_string();
    }
    det.references
        .iter()
        .filter(|r| r.start < before)
        .filter_map(|r| r.title.as_deref())
        .rfind(|full| full.ends_with(t.as_str()) && full.chars().count() > t.chars().count())
        .map(str::to_string)
        .unwrap_or_else(|| title.to_string())
}

/// Words a document's name ends with: a "speaker" ending so is a title (`党的十九大报告指出`).
const DOC_WORDS: &[&str] = &[
    "报告", "决定", "决议", "意见", "通知", "纲要", "公报", "规划", "条例", "讲话", "宪法",
];

fn is_doc_name(s: &str) -> bool {
    DOC_WORDS.iter().any(|w| s.ends_with(w))
}

/// A document named just before the quotation when the detector found no claim
/// (`2017年政府工作报告提出：“……”`): the run of CJK chars and digits ending with a document
/// word in the clause before the opening mark.
fn doc_name_before(text: &str, start: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().take(start).collect();
    let lo = chars.len().saturating_sub(30);
    let clause: Vec<char> = chars[lo..]
        .iter()
        .rev()
        .take_while(|c| !"。！？；\n".contains(**c))
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let s: String = clause.iter().collect();
    let (k, w) = DOC_WORDS
        .iter()
        .filter_map(|w| s.rfind(w).map(|k| (k, *w)))
        .max_by_key(|(k, _)| *k)?;
    let end = k + w.len();
    let head: Vec<char> = s[..end].chars().collect();
    let mut b = head.len();
    while b > 0
        && (head[b - 1].is_ascii_digit() || ('\u{4E00}'..='\u{9FFF}').contains(&head[b - 1]))
    {
        b -= 1;
    }
    let name: String = head[b..].iter().collect();
    (name.chars().count() > w.chars().count()).then_some(name)
}

/// The claim a detected directive makes in `text` (the speech), with a short title
/// resolved in `det`, a document named as the "speaker" taken as the title, and a year
/// written before a report's name kept with it (`2017年政府工作报告`).
pub fn claim_of(d: &crate::analysis::Directive, det: &Detection, text: &str) -> Claim {
    claim_from(
        Claim {
            speaker: d.speaker.clone(),
            title: d.source_title.clone(),
            doc_number: d.doc_number.clone(),
        },
        d.date.as_deref(),
        text,
        d.start,
        Some(det),
    )
}

/// A claim as stated (speaker, title, 文号 of a directive's attribution) made comparable,
/// for the quotation starting at char `start` of `text`: see [`claim_of`]. Without a
/// detection, short titles stay as they are.
pub fn claim_from(
    stated: Claim,
    date: Option<&str>,
    text: &str,
    start: usize,
    det: Option<&Detection>,
) -> Claim {
    let Claim {
        mut speaker,
        mut title,
        doc_number,
    } = stated;
    if title.is_none() && speaker.as_deref().is_some_and(is_doc_name) {
        title = speaker.take();
    }
    if title.is_none() && speaker.is_none() {
        title = doc_name_before(text, start.saturating_sub(1));
    }
    let title = title.map(|t| {
        let t = match det {
            Some(det) => resolve_short_title(&t, det, start),
            None => t,
        };
        match date {
            Some(y) if y.len() == 4 && t.contains("工作报告") && year_of(&t).is_none() => {
                format!("{y}年{t}")
            }
            _ => t,
        }
    });
    Claim {
        speaker,
        title,
        doc_number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::header::read_header;

    fn congress19() -> Header {
        read_header(
            "决胜全面建成小康社会　夺取新时代中国特色社会主义伟大胜利\n——在中国共产党第十九次全国代表大会上的报告\n（2017年10月18日）\n习近平\n同志们：\n",
        )
    }

    fn gov2017() -> Header {
        read_header(
            "2017年政府工作报告\n——2017年3月5日在第十二届全国人民代表大会第五次会议上\n国务院总理　李克强\n各位代表：\n",
        )
    }

    fn title(t: &str) -> Claim {
        Claim {
            title: Some(t.into()),
            ..Default::default()
        }
    }

    fn speaker(s: &str) -> Claim {
        Claim {
            speaker: Some(s.into()),
            ..Default::default()
        }
    }

    #[test]
    fn aliases_decide_titles() {
        assert_eq!(
            agrees(&title("十九大报告"), &congress19(), None),
            Some(true)
        );
        assert_eq!(
            agrees(&title("党的十九大报告"), &congress19(), None),
            Some(true)
        );
        assert_eq!(
            agrees(&title("2017年政府工作报告"), &congress19(), None),
            Some(false)
        );
        assert_eq!(
            agrees(&title("2017年政府工作报告"), &gov2017(), None),
            Some(true)
        );
        assert_eq!(
            agrees(&title("2018年政府工作报告"), &gov2017(), None),
            Some(false)
        );
        assert_eq!(agrees(&title("政府工作报告"), &gov2017(), None), Some(true));
        assert_eq!(agrees(&title("十九大报告"), &gov2017(), None), Some(false));
    }

    #[test]
    fn speakers_agree_by_name_not_office() {
        assert_eq!(
            agrees(&speaker("习近平总书记"), &congress19(), None),
            Some(true)
        );
        assert_eq!(agrees(&speaker("李克强"), &congress19(), None), Some(false));
        assert_eq!(
            agrees(&speaker("国务院总理李克强"), &gov2017(), None),
            Some(true)
        );
        // The document quotes 李克强: it supports the claim.
        let q = QuotedFrom {
            speaker: Some("李克强".into()),
            source_title: None,
        };
        assert_eq!(
            agrees(&speaker("李克强"), &congress19(), Some(&q)),
            Some(true)
        );
        // Nothing known about the speaker: no verdict.
        assert_eq!(agrees(&speaker("李克强"), &Header::default(), None), None);
    }

    fn found(passage: &str, header: Header) -> FoundMatch {
        FoundMatch {
            folder: 0,
            file: "x.txt".into(),
            header,
            status: crate::analysis::verify::Status::Verbatim,
            similarity: 1.0,
            start: 0,
            end: passage.chars().count(),
            passage: passage.into(),
            diff: Vec::new(),
            script_differs: false,
            quoted_from: None,
        }
    }

    #[test]
    fn misattributed_needs_a_contradiction_a_long_passage_and_no_support() {
        let long = "必须树立和践行绿水青山就是金山银山的理念";
        let claim = title("2017年政府工作报告");
        assert!(misattributed(&claim, &[found(long, congress19())]));
        // Also found in the claimed report: not misattributed, and that one is chosen.
        let both = [found(long, congress19()), found(long, gov2017())];
        assert!(!misattributed(&claim, &both));
        assert_eq!(agreeing(&claim, &both), 1);
        // 好的！ is everywhere: no verdict.
        assert!(!misattributed(&claim, &[found("好的！", congress19())]));
        // Nothing claimed, nothing found: no verdict.
        assert!(!misattributed(
            &Claim::default(),
            &[found(long, congress19())]
        ));
        assert!(!misattributed(&claim, &[]));
    }

    #[test]
    fn a_document_named_before_the_quotation_is_the_claim() {
        let text = "会议强调，2017年政府工作报告提出：“像对待生命一样对待生态环境”。";
        let start = text.chars().position(|c| c == '“').unwrap() + 1;
        let c = claim_from(Claim::default(), Some("2017"), text, start, None);
        assert_eq!(c.title.as_deref(), Some("2017年政府工作报告"));
        // A "speaker" that is a document is a title; its year is kept.
        let stated = Claim {
            speaker: Some("政府工作报告".into()),
            ..Default::default()
        };
        let c = claim_from(stated, Some("2017"), "", 0, None);
        assert_eq!(
            (c.speaker, c.title.as_deref()),
            (None, Some("2017年政府工作报告"))
        );
    }

    #[test]
    fn short_title_resolves_to_last_full_title() {
        let text = "《中共中央关于全面深化改革若干重大问题的决定》提出……。《决定》明确要求，要“加快转变政府职能”。";
        let det = crate::analysis::detect(text);
        let at = text.chars().position(|c| c == '要').unwrap();
        assert_eq!(
            resolve_short_title("决定", &det, at),
            "中共中央关于全面深化改革若干重大问题的决定"
        );
        assert_eq!(resolve_short_title("十九大报告", &det, at), "十九大报告");
    }
}
