//! Puts the pieces together: each outermost quotation becomes a directive, a quoted title or a
//! term; `《》` titles and document numbers become references; hygiene and unbalanced marks
//! become warnings.

use super::attribution::{Attr, Ctx, DOC_ENDINGS, LeadKind, Via, names_document};
use super::docnum::{self, DocNum};
use super::footnotes;
use super::names::Names;
use super::quotes::{self, QuoteSpan};
use super::text::{collect, is_ws};
use super::titles::{self, Book};
use super::{
    AttributionReason as Reason, Detection, Directive, QuotedTitle, Reference, Term, Warning,
    hygiene,
};

/// Quotes up to this many chars without sentence punctuation are terms, unless attributed
/// across a colon.
const SHORT: usize = 12;

const HONORIFIC_ENDINGS: &[&str] = &[
    "楷模",
    "模范",
    "标兵",
    "英雄",
    "先锋",
    "劳模",
    "榜样",
    "卫士",
    "之星",
    "红旗手",
    "先进个人",
    "先进集体",
    "好干部",
    "好公仆",
    "好书记",
    "贴心人",
    "领头雁",
    "带头人",
];

fn is_sentence_like(content: &[char]) -> bool {
    content.len() > SHORT || content.iter().any(|c| "，。；！？：,;!?".contains(*c))
}

fn term_kind(content: &[char]) -> &'static str {
    let s: String = content.iter().collect();
    if HONORIFIC_ENDINGS.iter().any(|e| s.ends_with(e)) {
        "honorific"
    } else if content.len() >= 6 && content.iter().any(|c| "，、；,;".contains(*c) || is_ws(*c))
        || content.len() > SHORT
    {
        "slogan"
    } else {
        "term"
    }
}

fn abridged(content: &[char]) -> bool {
    content.contains(&'…') || content.windows(3).any(|w| w == ['.', '.', '.'])
}

fn confidence(base: f32, attr: &Attr) -> f32 {
    let mut c = base;
    match attr.via {
        Via::Own => {}
        Via::Pronoun | Via::Header | Via::Turn => c -= 0.1,
        Via::Previous => c -= 0.3,
        Via::Nothing => c -= 0.45,
    }
    if attr.gap > 40 {
        c -= 0.1;
    }
    c.clamp(0.05, 1.0)
}

struct Classifier<'a> {
    ctx: Ctx<'a>,
    docs: &'a [DocNum],
    /// The `《》` titles of the text, in order.
    books: &'a [Book],
    /// Note lines (`① ……`, `[1] ……`) that say where quotations come from.
    notes: Vec<footnotes::Note>,
    /// Who is speaking in this text, from its header (`习近平：在……上的讲话`, `作者：X`):
    /// the speaker of the text's own `我` (我在……报告中提出, 我说过).
    own_speaker: Option<String>,
}

/// Short references to a document named earlier (`报告还要求`, `该文件强调`).
const DOC_REFERENCES: &[&str] = &["该", "这份", "这个", "此", "本", "上述"];

impl Classifier<'_> {
    /// A document given as the speaker becomes the source: a full name as it is, a short
    /// reference (`报告`, `该文件`, `《决定》`) as the last title before the quotation that ends
    /// with the same word, else as written.
    fn document_as_source(&self, attr: &mut Attr, open: usize) {
        let Some(sp) = attr.speaker.as_deref() else {
            return;
        };
        if !names_document(sp) {
            return;
        }
        let Some(ending) = DOC_ENDINGS.iter().find(|e| sp.ends_with(**e)) else {
            return;
        };
        let bare = DOC_REFERENCES
            .iter()
            .find_map(|r| sp.strip_prefix(r))
            .unwrap_or(sp);
        let title = if bare == *ending {
            self.books
                .iter()
                .rev()
                .filter(|b| b.close < open)
                .find(|b| b.title.ends_with(ending) && b.title.chars().count() > 2)
                .map(|b| b.title.clone())
                .unwrap_or_else(|| bare.to_string())
        } else {
            sp.to_string()
        };
        if attr.source_title.is_none() {
            attr.source_title = Some(title);
        }
        attr.speaker = None;
    }

    fn directive(
        &self,
        span: &QuoteSpan,
        mut attr: Attr,
        verb: Option<String>,
        base: f32,
        how: Reason,
    ) -> Directive {
        self.document_as_source(&mut attr, span.open);
        let c = self.ctx.chars;
        let mut how = how;
        // ……”① with `① 毛泽东：《……》（1942年5月）` below: the note names the source, its
        // author and date, where the sentence does not (a weak guess gives way to the author).
        if let Some(note) = footnotes::cited(c, &self.notes, span.close) {
            let weak = matches!(attr.via, Via::Nothing | Via::Previous);
            if note.author.is_some() && (attr.speaker.is_none() || weak) {
                attr.speaker = note.author;
                attr.via = Via::Own;
                how = Reason::Footnote;
            }
            if attr.source_title.is_none() && note.title.is_some() {
                attr.source_title = note.title;
                if attr.speaker.is_none() {
                    attr.via = Via::Own;
                    how = Reason::Footnote;
                }
            }
            if attr.date.is_none()
                && let Some((text, m)) = note.date
            {
                attr.date = m.iso;
                attr.date_text = Some(text);
            }
        }
        let content = &c[span.open + 1..span.close];
        let doc_number = self.doc_number_for(&attr, span.open);
        let attribution_reason = match attr.via {
            _ if matches!(how, Reason::Saying | Reason::InARow) => how,
            Via::Own => how,
            Via::Pronoun => Reason::Pronoun,
            Via::Header => Reason::OwnSpeaker,
            Via::Turn => Reason::Label,
            Via::Previous => Reason::EarlierSentence,
            Via::Nothing => Reason::Unattributed,
        };
        Directive {
            quote: collect(c, span.open + 1, span.close),
            start: span.open + 1,
            end: span.close,
            confidence: confidence(base, &attr),
            speaker: attr.speaker,
            source_title: attr.source_title,
            occasion: attr.occasion,
            date: attr.date,
            date_text: attr.date_text,
            verb,
            doc_number,
            abridged: abridged(content),
            attribution_reason,
        }
    }

    /// A document number written right after the cited title, or in the clause.
    fn doc_number_for(&self, attr: &Attr, open: usize) -> Option<String> {
        attr.source_title.as_ref()?;
        let from = self.ctx.clause_start(open);
        self.docs
            .iter()
            .find(|d| d.start >= from && d.end <= open)
            .map(|d| d.norm.clone())
    }

    /// When the clause before a quotation names nobody (`坚信“……”`, `他仍然誓言“……”` with
    /// the subject sentences back), the person named last before it, within 150 chars.
    fn speaker_from_before(&self, attr: &mut Attr, cs: usize, lead_end: usize) {
        let c = self.ctx.chars;
        // 有句话说得好, 俗话说, 古人云: a saying has no speaker to borrow.
        let saying = c[cs..lead_end.max(cs)]
            .iter()
            .any(|&ch| matches!(ch, '话' | '语' | '云'));
        // 我在党的十九大报告中提出要“……”, 我说过：“……”: the text's own speaker.
        if !attr.has_any()
            && let Some(me) = &self.own_speaker
            && first_person_subject(&c[cs..lead_end.max(cs)])
        {
            attr.speaker = Some(me.clone());
            attr.via = Via::Header;
            return;
        }
        // 本席要提醒院长“……”, 我说：“……” in a record: who speaks the turn (not when the turn
        // quotes someone: 我引述她这篇文章).
        let clause = &c[cs..lead_end.max(cs)];
        let with_verb = &c[cs..(lead_end + 2).clamp(cs, c.len())];
        let quoting = with_verb
            .windows(2)
            .any(|w| w == ['引', '述'] || w == ['引', '用']);
        if !attr.has_any()
            && !quoting
            && (first_person_subject(clause) || clause.windows(2).any(|w| w == ['本', '席']))
            && let Some(label) = self.ctx.turn_speaker(cs)
        {
            attr.speaker = Some(label);
            attr.via = Via::Turn;
            return;
        }
        if !attr.has_any()
            && !saying
            && let Some(p) = self.ctx.person_before(cs)
            && p.end + 150 >= cs
            && !c[p.end..cs].contains(&'\n')
        {
            attr.speaker = Some(p.text);
            attr.via = Via::Previous;
        }
    }

    /// Decides whether the outermost quotation `span` is a directive.
    fn classify(
        &self,
        span: &QuoteSpan,
        prev: Option<(usize, Option<&Directive>)>,
    ) -> Option<Directive> {
        let c = self.ctx.chars;
        let content = &c[span.open + 1..span.close];
        let sentence_like = is_sentence_like(content);
        // A quotation opening a paragraph after a colon that ends the paragraph before
        // (`文章节录如下：¶“……`): the lead-in is that colon.
        let (lead_at, across) = match colon_ending_paragraph_before(c, span.open) {
            Some(colon) => (colon + 1, true),
            None => (span.open, false),
        };
        let cs = self.ctx.clause_start(lead_at);
        let lead = self.ctx.lead_in(lead_at, cs);
        let at_lead = |r: Reason| if across { Reason::PreviousParagraph } else { r };
        // “……”的教训, “……”是必然选择: a quotation the sentence goes on to use as a noun is
        // a label (143 of 145 such quotations in the gold set), unless a colon introduced it.
        let used_as_noun = used_as_noun(c, span.close);
        // After a reporting verb, a clause of eight chars or more is someone's words even
        // without punctuation (他强调“共产党人清廉要身体力行”).
        let words =
            sentence_like || (content.len() >= 8 && !used_as_noun && !content.contains(&'、'));
        // 俗话说, 正所谓, 古人云: a saying, nobody's in particular.
        let saying = is_saying(c, cs, lead.region_end.max(cs), lead.verb.as_deref());
        if let Some(verb) = lead.verb.clone() {
            let mut attr = self.ctx.attribute(cs, lead.region_end);
            if saying && words && !used_as_noun {
                attr.speaker = saying_noun(c, cs, lead.region_end.max(cs) + 2).map(str::to_string);
                return Some(self.directive(span, attr, Some(verb), 0.8, Reason::Saying));
            }
            match lead.kind {
                LeadKind::Colon => {
                    self.speaker_from_before(&mut attr, cs, lead.region_end);
                    if attr.has_any() || sentence_like {
                        let how = at_lead(Reason::BeforeColon);
                        return Some(self.directive(span, attr, Some(verb), 0.95, how));
                    }
                }
                LeadKind::Comma if !used_as_noun => {
                    if words {
                        self.speaker_from_before(&mut attr, cs, lead.region_end);
                    }
                    if attr.has_any() {
                        let how = at_lead(Reason::BeforeComma);
                        return Some(self.directive(span, attr, Some(verb), 0.8, how));
                    }
                    // 他又指出，“……” with the person out of reach: still someone's words.
                    if words && !lead.object {
                        let how = at_lead(Reason::BeforeComma);
                        return Some(self.directive(span, attr, Some(verb), 0.85, how));
                    }
                }
                LeadKind::Comma => {}
                LeadKind::Direct if words && !used_as_noun => {
                    self.speaker_from_before(&mut attr, cs, lead.region_end);
                    if attr.has_any() {
                        let base = if lead.object { 0.65 } else { 0.7 };
                        let how = at_lead(Reason::BeforeQuote);
                        return Some(self.directive(span, attr, Some(verb), base, how));
                    }
                    // 他面对媒体说出“……”, 还说“……”: a verb of speech right before words
                    // with sentence punctuation is someone's words, even with nobody named.
                    let core = ["说", "讲", "问", "道"].iter().any(|v| verb.ends_with(v));
                    if !lead.object && speaks(&verb) && (has_clause_marks(content) || core) {
                        let how = at_lead(Reason::BeforeQuote);
                        return Some(self.directive(span, attr, Some(verb), 0.6, how));
                    }
                }
                LeadKind::Direct => {}
            }
        } else if lead.kind != LeadKind::Colon && saying && words && !used_as_noun {
            // 有一句俗语“……”, 古语“……”: a saying with no verb.
            let mut attr = self.ctx.attribute(cs, cs);
            attr.speaker = saying_noun(c, cs, lead.region_end.max(cs)).map(str::to_string);
            return Some(self.directive(span, attr, None, 0.7, Reason::Saying));
        } else if lead.kind == LeadKind::Colon && sentence_like {
            let mut attr = self.ctx.attribute(cs, lead.region_end);
            if attr.speaker.is_some() && attr.gap < 10 {
                let how = if self.ctx.is_label(cs, lead.region_end) {
                    Reason::Label
                } else {
                    at_lead(Reason::BeforeColon)
                };
                return Some(self.directive(span, attr, None, 0.55, how));
            }
            // 楊潤雄：“……” / 主持人：“……”: a speaker's label opening the paragraph.
            if let Some(label) = self.ctx.label(cs, lead.region_end) {
                attr.speaker = Some(label);
                attr.via = Via::Own;
                return Some(self.directive(span, attr, None, 0.6, Reason::Label));
            }
            // 一句非常有名的话：“……”, 作出这样的评价：“……”, 俗话说得好 aside.
            if let Some(noun) = speech_noun_before(c, lead.region_end, cs) {
                // 一位网友留言：— the subject is before the noun.
                if !attr.has_any() {
                    let e = (lead.region_end.saturating_sub(super::text::plen(noun))).max(cs);
                    attr = self.ctx.attribute(cs, e);
                }
                self.speaker_from_before(&mut attr, cs, lead.region_end);
                let how = at_lead(Reason::BeforeColon);
                return Some(self.directive(span, attr, Some(noun.to_string()), 0.6, how));
            }
            // 我听了赶忙站起来报告：“……”: a person in the clause, a colon, whole sentences.
            if attr.speaker.is_some()
                && has_clause_marks(content)
                && !self.ctx.is_title_quote(span.open)
            {
                let how = at_lead(Reason::BeforeColon);
                return Some(self.directive(span, attr, None, 0.5, how));
            }
        }
        if let Some((attr, verb, how)) = self.ctx.after(span.close) {
            return Some(self.directive(span, attr, Some(verb), 0.85, how));
        }
        // 楊潤雄認為，……，“……”: part of a sentence of indirect speech.
        if words
            && !used_as_noun
            && let Some((vstart, verb)) = self.ctx.indirect_verb(cs, span.open)
        {
            let attr = self.ctx.attribute(cs, vstart);
            if attr.speaker.is_some() {
                return Some(self.directive(span, attr, Some(verb), 0.6, Reason::IndirectSpeech));
            }
        }
        // Words standing as a sentence of their own in a report: the person the sentence
        // before is about (`53岁的李红梅在合作社打工。“……”`), or, opening a paragraph, the
        // speaker of the paragraph before (`他说。¶“……”`).
        if sentence_start(c, span.open) && has_clause_marks(content) && !used_as_noun {
            if let Some(p) = self.ctx.last_person_in_paragraph(span.open, 200) {
                let mut attr = self.ctx.attribute(span.open, span.open);
                attr.speaker = Some(p.text);
                attr.via = Via::Own;
                return Some(self.directive(span, attr, None, 0.55, Reason::EarlierSentence));
            }
            // The paragraph before ends with that quotation (and at most its attribution,
            // `他说。`), as a report's run of quoted paragraphs does.
            if let Some((prev_close, Some(prev))) = prev
                && prev.speaker.is_some()
                && c[prev_close..span.open]
                    .iter()
                    .filter(|&&ch| ch == '\n')
                    .count()
                    == 1
                && c[prev_close..span.open]
                    .iter()
                    .take_while(|&&ch| ch != '\n')
                    .count()
                    <= 13
                && c[..span.open]
                    .iter()
                    .rev()
                    .find(|ch| !is_ws(**ch) || **ch == '\n')
                    == Some(&'\n')
            {
                return Some(carried(prev, c, span, 0.25, Reason::PreviousParagraph));
            }
        }
        // A saying standing as a sentence of its own (a classic quoted without a name):
        // after a sentence end or at a paragraph start, clauses inside, ending a sentence.
        if standalone_saying(c, span) {
            let attr = self.ctx.attribute(cs, cs);
            let how = if attr.has_any() {
                Reason::BeforeQuote
            } else {
                Reason::Saying
            };
            return Some(self.directive(span, attr, None, 0.9, how));
        }
        // Quotations in a row continue the one before (“……”“……”, “……”、“……”, “……”；“……”).
        if let Some((prev_close, Some(prev))) = prev
            && !used_as_noun
            && continues(&c[prev_close + 1..span.open], sentence_like)
        {
            return Some(carried(prev, c, span, 0.2, Reason::InARow));
        }
        None
    }
}

/// The quotation `span` with the attribution of the directive before it (quotations in a
/// row, a paragraph of quotation after another), less confident by `drop`.
fn carried(prev: &Directive, c: &[char], span: &QuoteSpan, drop: f32, how: Reason) -> Directive {
    let mut d = prev.clone();
    d.quote = collect(c, span.open + 1, span.close);
    d.start = span.open + 1;
    d.end = span.close;
    d.abridged = abridged(&c[span.open + 1..span.close]);
    d.confidence = (prev.confidence - drop).max(0.3);
    d.attribution_reason = how;
    d
}

/// The colon ending the paragraph before a quotation that opens a paragraph at `open`.
fn colon_ending_paragraph_before(c: &[char], open: usize) -> Option<usize> {
    let mut j = open;
    let mut breaks = 0;
    while j > 0 && is_ws(c[j - 1]) {
        if c[j - 1] == '\n' {
            breaks += 1;
        }
        j -= 1;
    }
    (breaks > 0 && j > 0 && matches!(c[j - 1], '：' | ':')).then(|| j - 1)
}

/// Whether the quotation opening at `open` starts a sentence: after a sentence end or at the
/// start of a paragraph.
fn sentence_start(c: &[char], open: usize) -> bool {
    let mut b = open;
    while b > 0 && is_ws(c[b - 1]) && c[b - 1] != '\n' {
        b -= 1;
    }
    b == 0 || matches!(c[b - 1], '。' | '！' | '？' | '\n')
}

/// Words that make a lead-in a saying's: `俗话说`, `正所谓`, `古人云`, `常言道`.
const SAYING_WORDS: &[&str] = &[
    "俗话",
    "俗语",
    "常言",
    "古人云",
    "古语",
    "老话",
    "谚语",
    "所谓",
    "古话",
    "民谚",
];

fn is_saying_word(s: &str) -> bool {
    SAYING_WORDS.iter().any(|w| s.contains(w))
}

/// The noun of a saying written in `a..e` (`俗话`, `古语`), as its speaker; `所谓` has none.
fn saying_noun(c: &[char], a: usize, e: usize) -> Option<&'static str> {
    let e = e.min(c.len());
    let from = e.saturating_sub(8).max(a);
    let near = collect(c, from, e);
    SAYING_WORDS
        .iter()
        .copied()
        .filter(|w| *w != "所谓")
        .find(|w| near.contains(w))
}

/// Whether the lead-in `a..e` (with its verb) introduces a saying.
fn is_saying(c: &[char], a: usize, e: usize, verb: Option<&str>) -> bool {
    if verb.is_some_and(|v| v.ends_with("所谓")) {
        return true;
    }
    let from = e.saturating_sub(6).max(a);
    let near = collect(c, from, (e + 3).min(c.len()));
    is_saying_word(&near)
}

/// Verbs that report speech itself (not a label or a judgement): after them, words with
/// sentence punctuation are someone's words even with nobody named.
fn speaks(verb: &str) -> bool {
    const SPEECH: &[&str] = &[
        "说", "讲", "问", "道", "称", "表示", "指出", "强调", "认为", "坦言", "直言", "回答",
        "答复", "回应", "告诉", "声明", "宣称", "宣布", "感慨", "感叹", "质疑", "反问", "追问",
        "说出", "呼吁", "重申", "透露", "解释", "承认",
    ];
    SPEECH.iter().any(|v| verb.ends_with(v))
}

/// Whether a quotation holds sentence punctuation (a clause mark or a sentence end).
fn has_clause_marks(content: &[char]) -> bool {
    content.iter().any(|c| "，。；！？,;!?".contains(*c))
}

/// Whether a clause is said by the text's own `我` (not 我们, 我国, 我党, 我市 …), in its last
/// comma-separated part (`我清楚记得，岳飞写道` is 岳飞's).
fn first_person_subject(clause: &[char]) -> bool {
    let from = clause
        .iter()
        .rposition(|&ch| matches!(ch, '，' | ','))
        .map_or(0, |k| k + 1);
    let clause = &clause[from..];
    clause.iter().enumerate().any(|(i, &ch)| {
        ch == '我'
            && !clause
                .get(i + 1)
                .is_some_and(|n| "们国党市省县区军方院部局校厂村的".contains(*n))
    })
}

/// Whether the sentence goes on after the closing mark at `close` using the quotation as a
/// noun: `”的`, `”是`, `”也是`.
fn used_as_noun(c: &[char], close: usize) -> bool {
    let next = |k: usize| c.get(close + k).copied();
    matches!(next(1), Some('的' | '是')) || (next(1) == Some('也') && next(2) == Some('是'))
}

/// A quotation that is a sentence of its own: the text before it ends a sentence or a
/// paragraph, the quotation has clauses (`，` or `；`) and ends a sentence (its last char, or
/// the char after the closing mark, is `。！？`), 6 to 80 chars.
fn standalone_saying(c: &[char], span: &QuoteSpan) -> bool {
    let content = &c[span.open + 1..span.close];
    // Clauses inside, or (`“革命理想高于天”。`) a short sentence with no list in it.
    let clauses = content.iter().any(|ch| "，；".contains(*ch));
    if !(6..=80).contains(&content.len()) || !clauses && content.contains(&'、') {
        return false;
    }
    let starts = sentence_start(c, span.open);
    let ends = content.last().is_some_and(|ch| "。！？".contains(*ch))
        || c.get(span.close + 1)
            .is_some_and(|ch| "。！？".contains(*ch));
    starts && ends
}

/// Nouns of speech right before a colon that introduce someone's words without a verb:
/// `这样一句话：`, `这番话：`, `作出这样的评价：`, `的批示：`.
const SPEECH_NOUNS: &[&str] = &[
    "话",
    "原话",
    "名言",
    "格言",
    "金句",
    "说法",
    "评价",
    "批示",
    "指示",
    "嘱托",
    "誓言",
    "教诲",
    "回答",
    "答复",
    "心声",
    "感言",
    "寄语",
    "题词",
    "留言",
    "遗言",
    "赠言",
    "箴言",
    "古训",
    "家训",
    "口头禅",
    "叮嘱",
    "要求",
    "论断",
    "判断",
    "一段",
    "一句",
    "如下",
];

/// The speech noun ending right before the colon at `end` (optionally followed by `就是`,
/// `是`), within the clause.
fn speech_noun_before(c: &[char], end: usize, floor: usize) -> Option<&'static str> {
    let mut e = end;
    for tail in ["就是", "是", "道"] {
        if super::text::ends_at(c, e, tail) && e >= floor + super::text::plen(tail) {
            e -= super::text::plen(tail);
            break;
        }
    }
    SPEECH_NOUNS
        .iter()
        .copied()
        .filter(|n| super::text::ends_at(c, e, n) && e >= floor + super::text::plen(n))
        .max_by_key(|n| n.len())
}

/// Whether the text between two quotations lets the second continue the first: nothing
/// but spaces, or an enumeration comma or semicolon; a comma only before a sentence.
fn continues(between: &[char], sentence_like: bool) -> bool {
    let marks: Vec<char> = between
        .iter()
        .copied()
        .filter(|&ch| !is_ws(ch) || ch == '\n')
        .collect();
    match marks.as_slice() {
        [] => true,
        ['、' | '；' | ';'] | ['；' | ';', '要'] => true,
        ['，' | ','] | ['，' | ',', '要'] => sentence_like,
        _ => false,
    }
}

/// A 文号 written against GB/T 9704 (`国发[2006]10号`, `国发（2006）10号`, full-width
/// digits…) gets a `doc_number_form` warning suggesting the standard form `国发〔2006〕10号`;
/// a look-alike letter inside it (`2O06`) is part of that one fix, so its own
/// `digit_letter_confusion` warning is dropped. A placeholder year (`20xx`) is left to its own
/// warning.
fn doc_number_forms(chars: &[char], docs: &[DocNum], warnings: &mut Vec<Warning>) {
    for d in docs {
        let written = collect(chars, d.start, d.end);
        if written == d.norm || d.norm.contains('x') {
            continue;
        }
        warnings.retain(|w| {
            !(w.kind == "digit_letter_confusion" && d.start <= w.start && w.end <= d.end)
        });
        warnings.push(Warning {
            kind: "doc_number_form".to_string(),
            text: written,
            start: d.start,
            end: d.end,
            suggestion: Some(d.norm.clone()),
        });
    }
}

fn references(chars: &[char], books: &[Book], docs: &[DocNum]) -> Vec<Reference> {
    let mut used = vec![false; docs.len()];
    let mut out = Vec::new();
    for b in books {
        let mut end = b.close + 1;
        let mut doc_number = None;
        let mut k = end;
        while k < chars.len() && k < end + 2 && chars[k] == ' ' {
            k += 1;
        }
        if matches!(chars.get(k), Some('(' | '（'))
            && let Ok(di) = docs.binary_search_by_key(&(k + 1), |d| d.start)
        {
            used[di] = true;
            doc_number = Some(docs[di].norm.clone());
            end = docs[di].end;
            if matches!(chars.get(end), Some(')' | '）')) {
                end += 1;
            }
        }
        out.push(Reference {
            title: Some(b.title.clone()),
            doc_number,
            start: b.open,
            end,
        });
    }
    for (d, u) in docs.iter().zip(used) {
        if !u {
            out.push(Reference {
                title: None,
                doc_number: Some(d.norm.clone()),
                start: d.start,
                end: d.end,
            });
        }
    }
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// Runs the whole detection (see [`super::detect`]): on the prepared text (Simplified, soft
/// line breaks taken out), then mapped back to the text as written.
pub(crate) fn run(text: &str) -> Detection {
    let p = super::prepare::prepare(text);
    let det = run_prepared(&p.chars);
    if p.identity {
        return det;
    }
    map_back(&p, det)
}

/// Offsets and strings of a detection on [`super::prepare::Prepared::chars`], in terms of the
/// original text.
fn map_back(p: &super::prepare::Prepared, det: Detection) -> Detection {
    let span = |s: usize, e: usize| (p.pos(s), p.pos(e));
    let directives = det
        .directives
        .into_iter()
        .map(|d| {
            let (start, end) = span(d.start, d.end);
            let near = d.start;
            let restore = |x: Option<String>| x.map(|v| p.restore(&v, near));
            Directive {
                quote: p.original(d.start, d.end),
                start,
                end,
                speaker: restore(d.speaker),
                source_title: restore(d.source_title),
                occasion: restore(d.occasion),
                date_text: restore(d.date_text),
                verb: restore(d.verb),
                ..d
            }
        })
        .collect();
    let terms = det
        .terms
        .into_iter()
        .map(|t| {
            let (start, end) = span(t.start, t.end);
            Term {
                text: p.original(t.start, t.end),
                start,
                end,
                ..t
            }
        })
        .collect();
    let titles = det
        .titles
        .into_iter()
        .map(|t| {
            let (start, end) = span(t.start, t.end);
            QuotedTitle {
                text: p.original(t.start, t.end),
                start,
                end,
            }
        })
        .collect();
    let references = det
        .references
        .into_iter()
        .map(|r| {
            let (start, end) = span(r.start, r.end);
            Reference {
                title: r.title.map(|t| p.restore(&t, r.end)),
                start,
                end,
                ..r
            }
        })
        .collect();
    let warnings = det
        .warnings
        .into_iter()
        .map(|w| {
            let (start, end) = span(w.start, w.end);
            Warning {
                text: p.original(w.start, w.end),
                start,
                end,
                ..w
            }
        })
        .collect();
    Detection {
        directives,
        terms,
        titles,
        references,
        warnings,
    }
}

/// Texts at least this long have their hygiene scanned on a second thread while the rules run.
const PARALLEL_CHARS: usize = 200_000;

fn run_prepared(chars: &[char]) -> Detection {
    if chars.len() < PARALLEL_CHARS {
        return run_rules(chars, || Names::learn(chars), || hygiene::scan(chars));
    }
    // The names and the hygiene scan never panic; if a thread failed anyway, do it here.
    std::thread::scope(|scope| {
        let names = scope.spawn(|| Names::learn(chars));
        let hygiene = scope.spawn(|| hygiene::scan(chars));
        run_rules(
            chars,
            || names.join().unwrap_or_else(|_| Names::learn(chars)),
            || hygiene.join().unwrap_or_else(|_| hygiene::scan(chars)),
        )
    })
}

/// The rules over `chars`; `names` and `hygiene` give the text's names and hygiene warnings
/// when they are needed (computed meanwhile on other threads for a long text).
fn run_rules(
    chars: &[char],
    names: impl FnOnce() -> Names,
    hygiene: impl FnOnce() -> Vec<Warning>,
) -> Detection {
    let scan = quotes::scan(chars);
    let books = titles::scan_books(chars);
    let docs = docnum::scan(chars);
    let tops: Vec<&QuoteSpan> = scan.spans.iter().filter(|s| s.depth == 0).collect();
    let title_quotes: Vec<bool> = tops
        .iter()
        .map(|s| titles::is_quoted_title(&chars[s.open + 1..s.close]))
        .collect();
    let pairs: Vec<(usize, usize)> = tops.iter().map(|s| (s.open, s.close)).collect();
    let cl = Classifier {
        ctx: Ctx::with_names(chars, pairs, &title_quotes, &books, names()),
        docs: &docs,
        books: &books,
        notes: footnotes::scan(chars),
        own_speaker: super::header::own_speaker_of(&chars.iter().take(1500).collect::<String>()),
    };

    let mut directives = Vec::new();
    let mut terms = Vec::new();
    let mut quoted_titles = Vec::new();
    // Closing mark of the previous outermost quotation, and its directive if it was one.
    let mut prev: Option<(usize, Option<usize>)> = None;
    for span in &tops {
        let (start, end) = (span.open + 1, span.close);
        if cl.ctx.is_title_quote(span.open) {
            quoted_titles.push(QuotedTitle {
                text: collect(chars, start, end),
                start,
                end,
            });
            prev = Some((span.close, None));
            continue;
        }
        let before = prev.map(|(c, k)| (c, k.and_then(|k| directives.get(k))));
        match cl.classify(span, before) {
            Some(d) => {
                prev = Some((span.close, Some(directives.len())));
                directives.push(d);
            }
            None => {
                terms.push(Term {
                    text: collect(chars, start, end),
                    start,
                    end,
                    kind: term_kind(&chars[start..end]).to_string(),
                });
                prev = Some((span.close, None));
            }
        }
    }
    for span in scan.spans.iter().filter(|s| s.depth > 0) {
        let (start, end) = (span.open + 1, span.close);
        terms.push(Term {
            text: collect(chars, start, end),
            start,
            end,
            kind: "nested".to_string(),
        });
    }
    terms.sort_by_key(|t| (t.start, t.end));

    let mut warnings = hygiene();
    doc_number_forms(chars, &docs, &mut warnings);
    // “……“……”……”: a quotation inside one of the same marks (should be ‘……’) is most often
    // a mark typed wrong; say so at the inner one.
    for span in scan.spans.iter().filter(|s| s.depth > 0) {
        let outer = tops
            .iter()
            .find(|t| t.open < span.open && span.close < t.close);
        if outer.is_some_and(|t| chars[t.open] == chars[span.open]) {
            warnings.push(Warning {
                kind: "unbalanced_quotes".to_string(),
                text: collect(chars, span.open, span.close + 1),
                start: span.open,
                end: span.close + 1,
                suggestion: Some(format!("‘{}’", collect(chars, span.open + 1, span.close))),
            });
        }
    }
    for &pos in &scan.unbalanced {
        warnings.push(Warning {
            kind: "unbalanced_quotes".to_string(),
            text: chars[pos].to_string(),
            start: pos,
            end: pos + 1,
            suggestion: None,
        });
    }
    warnings.sort_by(|a, b| (a.start, a.end, &a.kind).cmp(&(b.start, b.end, &b.kind)));

    Detection {
        directives,
        terms,
        titles: quoted_titles,
        references: references(chars, &books, &docs),
        warnings,
    }
}

#[cfg(test)]
mod parallel_tests {
    use super::*;

    /// A long text, read with the names and the hygiene scan on other threads, gives what the
    /// one-thread reading gives.
    #[test]
    fn the_threads_change_nothing() {
        let para = "村党支部书记刘德胜说：“路修好了，大家才有盼头。”他强调，2O06年“要把群众的小事当成自己的大事”。\n看过本文的人还看了：\n1.讲话一\n";
        let text: String = para.repeat(PARALLEL_CHARS / para.chars().count() + 2);
        let chars: Vec<char> = text.chars().collect();
        assert!(chars.len() >= PARALLEL_CHARS);
        let threaded = run_prepared(&chars);
        let single = run_rules(&chars, || Names::learn(&chars), || hygiene::scan(&chars));
        assert_eq!(threaded, single);
        assert!(!threaded.directives.is_empty() && !threaded.warnings.is_empty());
    }
}
