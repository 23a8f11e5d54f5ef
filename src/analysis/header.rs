//! The one reader of document headers: title, issuing body, 文号, date, kind, speaker,
//! occasion and the short forms a document is cited by. It serves imported speeches (who the
//! text's own `我` is) and the source library (each document's metadata) alike.
//!
//! What it reads, in order of trust:
//! * the **title**: the first lines of the text that are not web-page debris (来源：,
//!   发表时间：, 责任编辑 …), not a date, not a 文号 and not a `X文件` header, joined while they
//!   are short title lines (an official title is often set over two or three lines);
//! * the **文号** on a line of its own near the top (or after `发文字号：`), checked against
//!   GB/T 9704 (`机关代字〔年份〕序号号`): a short year, `[ ]` or `【】` brackets, `第` and
//!   leading zeros are flagged in [`Header::doc_number_issues`];
//! * the **date**: a `（2016年1月18日）` line or a `——2017年3月5日在……` subtitle near the top
//!   (a speech's date), else a date line at the end (an official document's 成文日期), else a
//!   date line at the top; dates on debris lines are never taken;
//! * the **speaker** of a speech: `X在……上的讲话`, `X：在……`, a name line under the title
//!   (`习近平`, `国务院总理　温家宝`), `作者：X`;
//! * the **occasion**: `在……上` before `的讲话` / `的报告` / `的致辞`, or in the subtitle;
//! * the **issuer**: a `X文件` line, `发文机关：X`, the body before `关于` in the title, or the
//!   signature line above the 成文日期;
//! * **aliases**: `十九大报告` / `党的十九大报告` for a congress report, `2017年政府工作报告`,
//!   the title without its issuer, a speech title without its speaker.

use serde::Serialize;

use super::dates::parse_date;
use super::text::is_cjk;

/// How far into a text the header is looked for (chars).
const HEAD_CHARS: usize = 3000;
/// Header segments (lines) read.
const HEAD_LINES: usize = 40;
/// Lines at the end read for the signature and 成文日期.
const TAIL_LINES: usize = 8;
/// Longest title line.
const MAX_TITLE_LINE: usize = 120;

/// Markers of web-page debris lines: never a title, a date or a speaker.
const DEBRIS: &[&str] = &[
    "来源：",
    "来源:",
    "发表时间",
    "发布时间",
    "发布日期",
    "更新时间",
    "责任编辑",
    "编辑：",
    "浏览次数",
    "点击数",
    "阅读次数",
    "字号",
    "【字体",
    "打印本页",
    "关闭窗口",
    "分享到",
    "扫一扫",
    "当前位置",
    "首页",
    "视频：",
    "http",
    "www.",
];

/// What kind of text a document is, read from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A speech, address, talk (讲话, 致辞, 发言, 说明).
    Speech,
    /// A report (政府工作报告, a congress report).
    Report,
    /// 决定 / 决议.
    Decision,
    /// 意见.
    Opinion,
    /// 通知.
    Notice,
    /// 通报.
    Circular,
    /// 函.
    Letter,
    /// 批复.
    Reply,
    /// 办法, 规定, 条例, 细则, 规则.
    Regulation,
    /// A law (…法).
    Law,
    /// A book or collection (文选, 文集, 摘编 …).
    Book,
    /// Anything else.
    #[default]
    Other,
}

impl DocKind {
    /// The word used in JSON and shown to users.
    pub fn word(self) -> &'static str {
        match self {
            DocKind::Speech => "speech",
            DocKind::Report => "report",
            DocKind::Decision => "decision",
            DocKind::Opinion => "opinion",
            DocKind::Notice => "notice",
            DocKind::Circular => "circular",
            DocKind::Letter => "letter",
            DocKind::Reply => "reply",
            DocKind::Regulation => "regulation",
            DocKind::Law => "law",
            DocKind::Book => "book",
            DocKind::Other => "other",
        }
    }

    /// Every kind, for choosers.
    pub const ALL: [DocKind; 12] = [
        DocKind::Speech,
        DocKind::Report,
        DocKind::Decision,
        DocKind::Opinion,
        DocKind::Notice,
        DocKind::Circular,
        DocKind::Letter,
        DocKind::Reply,
        DocKind::Regulation,
        DocKind::Law,
        DocKind::Book,
        DocKind::Other,
    ];
}

/// What a document says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Header {
    /// The title, without 《》.
    pub title: Option<String>,
    /// The issuing body (国务院办公厅, 中共中央 国务院).
    pub issuer: Option<String>,
    /// The 文号, normalised (`国发〔2006〕10号`).
    pub doc_number: Option<String>,
    /// Departures from GB/T 9704 in the 文号 as written: `short_year`, `ascii_brackets`,
    /// `square_brackets`, `di` (第), `leading_zeros`, `round_brackets`.
    pub doc_number_issues: Vec<String>,
    /// ISO date, as precise as written.
    pub date: Option<String>,
    /// What kind of text it is.
    pub kind: DocKind,
    /// Who gave the speech (or wrote the text).
    pub speaker: Option<String>,
    /// `在……上`.
    pub occasion: Option<String>,
    /// Short forms the document is cited by.
    pub aliases: Vec<String>,
}

/// Reads the header of `text`.
pub fn read_header(text: &str) -> Header {
    let head: String = text.chars().take(HEAD_CHARS).collect();
    let lines = segments(&head);
    let mut h = Header::default();

    // 文号 and `X文件` / `发文机关：` lines.
    for l in &lines {
        if is_debris(l) {
            continue;
        }
        let compact: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        let body = compact
            .strip_prefix("发文字号：")
            .or_else(|| compact.strip_prefix("文号："))
            .unwrap_or(&compact);
        if h.doc_number.is_none()
            && let Some((n, issues)) = doc_number_line(body)
        {
            h.doc_number = Some(n);
            h.doc_number_issues = issues;
        }
        if h.issuer.is_none() {
            if let Some(x) = compact.strip_prefix("发文机关：") {
                h.issuer = Some(x.to_string()).filter(|x| !x.is_empty());
            } else if let Some(x) = compact.strip_suffix("文件")
                && (2..=20).contains(&x.chars().count())
                && x.chars().all(is_cjk)
                && is_org(x)
            {
                h.issuer = Some(x.to_string());
            }
        }
    }

    // Title: the first run of title lines.
    let mut title_end = 0;
    let mut title = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        if is_debris(l) || skip_line(l) || (title.is_empty() && is_name_line(l).is_some()) {
            if !title.is_empty() {
                break;
            }
            i += 1;
            continue;
        }
        let clean = strip_title(l);
        if clean.chars().count() < 2 || clean.chars().count() > MAX_TITLE_LINE {
            if title.is_empty() {
                i += 1;
                continue;
            }
            break;
        }
        if !title.is_empty() && (has_sentence_punct(&clean) || clean.chars().count() > 40) {
            break;
        }
        if title.is_empty() && has_sentence_punct(&clean) && !looks_like_title(&clean) {
            // A body sentence before any title: this text has no title line.
            break;
        }
        title.push_str(&clean);
        title_end = i + 1;
        i += 1;
        if !continues_title(&title) {
            break;
        }
    }
    // `习近平：关于……的说明`
    if let Some((who, rest)) = title.split_once('：')
        && is_name(who)
    {
        h.speaker = Some(who.to_string());
        title = rest.to_string();
    }
    let title = strip_title(&title);
    if !title.is_empty() {
        h.title = Some(title.clone());
    }

    // Speaker and occasion.
    if h.speaker.is_none() {
        h.speaker = speaker_in_title(&title);
    }
    if h.speaker.is_none() {
        h.speaker = lines
            .iter()
            .skip(title_end)
            .take(8)
            .filter(|l| !is_debris(l))
            .find_map(|l| is_name_line(l));
    }
    if h.speaker.is_none() {
        h.speaker = own_speaker_of(&head);
    }
    h.occasion = occasion_in(&title).or_else(|| {
        lines
            .iter()
            .skip(title_end)
            .take(6)
            .filter(|l| l.starts_with("——") || l.starts_with('—'))
            .find_map(|l| occasion_in(l))
    });

    // Date.
    let near_top = lines.iter().take(title_end + 8).filter(|l| !is_debris(l));
    let mut top_date = None;
    let mut speech_date = None;
    for l in near_top {
        let t = l.trim_matches(|c: char| c.is_whitespace());
        let inner = t
            .strip_prefix('（')
            .and_then(|x| x.strip_suffix('）'))
            .or_else(|| t.strip_prefix('(').and_then(|x| x.strip_suffix(')')));
        if let Some(inner) = inner
            && let Some(d) = whole_date(inner)
        {
            speech_date.get_or_insert(d);
        } else if let Some(sub) = t.strip_prefix("——").or_else(|| t.strip_prefix('—'))
            && let Some((d, _)) = parse_date(sub.trim_start_matches('—').trim())
        {
            speech_date.get_or_insert(d);
        } else if let Some(d) = whole_date(t) {
            top_date.get_or_insert(d);
        }
    }
    let tail: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .rev()
        .take(TAIL_LINES)
        .collect();
    let mut tail_date = None;
    for (k, l) in tail.iter().enumerate() {
        if is_debris(l) {
            continue;
        }
        if let Some(d) = whole_date(l) {
            tail_date = Some(d);
            // The signature above the date.
            if h.issuer.is_none()
                && let Some(sig) = tail.get(k + 1)
            {
                let sig: String = sig.chars().filter(|c| !c.is_whitespace()).collect();
                if (2..=30).contains(&sig.chars().count())
                    && sig.chars().all(is_cjk)
                    && is_org(&sig)
                {
                    h.issuer = Some(sig);
                }
            }
            break;
        }
    }
    h.date = speech_date.or(tail_date).or(top_date).or_else(|| {
        // `2013-11-15_标题` (a file saved with its date).
        let first = lines.first()?;
        iso_prefix(first)
    });

    if h.issuer.is_none()
        && let Some(k) = title.find("关于")
    {
        let x = title[..k].trim();
        if !x.is_empty() && x.chars().count() <= 24 && is_org(x) {
            h.issuer = Some(x.to_string());
        }
    }
    let subtitle = lines
        .iter()
        .skip(title_end)
        .take(3)
        .find_map(|l| l.strip_prefix("——"))
        .map(|l| l.trim_start_matches('—'));
    h.kind = match (kind_of(&title, h.speaker.is_some()), subtitle) {
        (DocKind::Speech | DocKind::Other, Some(sub)) if !sub.ends_with('上') => {
            kind_of(sub, h.speaker.is_some())
        }
        (k, _) => k,
    };
    h.aliases = aliases(&h);
    h
}

/// Header lines: text lines, also split at runs of two or more spaces (texts whose lines were
/// joined with `　　`) and before a `——` subtitle.
fn segments(head: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in head.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut cur = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let ws_run = chars[i..].iter().take_while(|c| c.is_whitespace()).count();
            if ws_run >= 2 || (c == '—' && chars.get(i + 1) == Some(&'—') && !cur.is_empty()) {
                push_seg(&mut out, &cur);
                cur.clear();
                if ws_run >= 2 {
                    i += ws_run;
                    continue;
                }
            }
            cur.push(c);
            i += 1;
        }
        push_seg(&mut out, &cur);
        if out.len() >= HEAD_LINES {
            break;
        }
    }
    out
}

fn push_seg(out: &mut Vec<String>, s: &str) {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if !t.is_empty() {
        out.push(t.to_string());
    }
}

fn is_debris(l: &str) -> bool {
    DEBRIS.iter().any(|d| l.contains(d)) || l.contains("电讯") || l.ends_with("电")
}

/// Lines that are never part of a title: a date, a 文号, `X文件`, a salutation, a number.
fn skip_line(l: &str) -> bool {
    let compact: String = l.chars().filter(|c| !c.is_whitespace()).collect();
    whole_date(compact.trim_matches(|c| "（）()".contains(c))).is_some()
        || doc_number_line(&compact).is_some()
        || (compact.ends_with("文件") && compact.chars().count() <= 22)
        || compact.ends_with('：')
        || compact.starts_with("——")
        || compact.starts_with("签发人")
        || compact.chars().all(|c| !is_cjk(c))
}

fn has_sentence_punct(s: &str) -> bool {
    s.contains(['。', '，', '；', '！', '？', '：'])
}

/// A line with punctuation may still be a title (`团结起来，为建设……而奋斗`): it ends with a
/// document word.
fn looks_like_title(s: &str) -> bool {
    !s.ends_with('。')
        && s.chars().count() <= 60
        && [
            "讲话", "报告", "决定", "意见", "通知", "说明", "致辞", "奋斗", "纲要",
        ]
        .iter()
        .any(|w| s.ends_with(w))
}

/// An official title set over several lines goes on while it has not reached its document
/// word.
fn continues_title(t: &str) -> bool {
    let ends = [
        "讲话",
        "报告",
        "决定",
        "决议",
        "意见",
        "通知",
        "通报",
        "函",
        "批复",
        "办法",
        "规定",
        "条例",
        "细则",
        "规则",
        "说明",
        "致辞",
        "发言",
        "纲要",
        "法",
        "公告",
        "规划",
        "方案",
        "答记者问",
        "文件",
    ];
    !ends.iter().any(|w| t.ends_with(w)) && t.chars().count() <= 60 && !has_sentence_punct(t)
}

/// Takes 《》 and quotation marks off a title line, collapses white space and letter-spacing
/// (`政 府 工 作 报 告`), and drops a leading `2013-11-15_`.
fn strip_title(l: &str) -> String {
    let mut s = l.trim().to_string();
    if iso_prefix(&s).is_some() {
        s = s.chars().skip(11).collect();
    }
    let s = s.trim_matches(|c| "《》“”\"「」".contains(c)).trim();
    // Drop spaces between CJK chars when the title is letter-spaced.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = i.checked_sub(1).and_then(|k| chars.get(k)).copied();
            let next = chars.get(i + 1).copied();
            let spaced = prev.is_some_and(|p| is_cjk(p) && single_spaced(&chars, i));
            if spaced && next.is_some_and(is_cjk) {
                continue;
            }
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// The space at `i` sits in a letter-spaced run (`府 工 作`): the chars two before and two
/// after are also single chars between spaces.
fn single_spaced(chars: &[char], i: usize) -> bool {
    let sp = |k: usize| chars.get(k).is_some_and(|c| c.is_whitespace());
    (i >= 2 && sp(i - 2)) || sp(i + 2)
}

/// `2013-11-15` at the start of a line, as an ISO date.
fn iso_prefix(l: &str) -> Option<String> {
    let p: String = l.chars().take(10).collect();
    let b = p.as_bytes();
    (p.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && p.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()))
    .then_some(p)
}

/// The line is a date and nothing else (spaces allowed).
fn whole_date(l: &str) -> Option<String> {
    let compact: String = l.chars().filter(|c| !c.is_whitespace()).collect();
    let (d, n) = parse_date(&compact)?;
    (n == compact.chars().count()).then_some(d)
}

fn is_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=4).contains(&n) && s.chars().all(is_cjk)
}

/// Titles of office that may stand before a name on a name line.
const OFFICES: &[&str] = &[
    "总书记",
    "总理",
    "副总理",
    "主席",
    "副主席",
    "委员长",
    "书记",
    "部长",
    "省长",
    "市长",
    "县长",
    "区长",
    "局长",
    "主任",
    "秘书长",
    "院长",
    "同志",
];

/// A name line under a title: `习近平`, `习 近 平`, `国务院总理　温家宝`,
/// `国务院副总理兼国家计划委员会主任李富春`.
fn is_name_line(l: &str) -> Option<String> {
    let compact: String = l.chars().filter(|c| !c.is_whitespace()).collect();
    if is_name(&compact) && !is_org(&compact) && !compact.ends_with("报告") {
        return Some(compact);
    }
    if compact.chars().count() > 40 || !compact.chars().all(is_cjk) {
        return None;
    }
    for o in OFFICES {
        if let Some(k) = compact.rfind(o) {
            let name = &compact[k + o.len()..];
            if is_name(name) {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// `X在……上的讲话` / `X在……时的讲话` → X.
fn speaker_in_title(title: &str) -> Option<String> {
    let k = title.find('在')?;
    let who = &title[..k];
    let rest = &title[k..];
    let speechy = ["讲话", "致辞", "发言", "报告", "演讲", "谈话", "说明"]
        .iter()
        .any(|w| rest.ends_with(w));
    (speechy && is_name(who) && !is_org(who)).then(|| who.to_string())
}

/// `在……上` from `在……上的讲话` or a subtitle `——2017年3月5日在……会议上`.
fn occasion_in(s: &str) -> Option<String> {
    let k = s.find('在')?;
    let rest = &s[k..];
    let end = ["上的", "时的", "上"]
        .iter()
        .filter_map(|e| {
            rest.rfind(e).map(|p| {
                p + if *e == "上" {
                    e.len()
                } else {
                    e.len() - "的".len()
                }
            })
        })
        .max()?;
    let occ = &rest[..end];
    (occ.chars().count() >= 4 && !occ.contains(['。', '，'])).then(|| occ.to_string())
}

/// Names of bodies: what an issuer line ends with.
fn is_org(s: &str) -> bool {
    [
        "中央",
        "国务院",
        "办公厅",
        "办公室",
        "委员会",
        "人民政府",
        "政府",
        "部",
        "委",
        "局",
        "厅",
        "署",
        "院",
        "会",
        "行",
        "办",
        "军",
        "处",
        "室",
        "公司",
        "大学",
    ]
    .iter()
    .any(|e| s.ends_with(e))
}

/// A line that is a 文号 (GB/T 9704 or close to it): the normalised number and the ways the
/// line departs from the standard.
pub fn doc_number_line(s: &str) -> Option<(String, Vec<String>)> {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let b = chars.iter().position(|c| "〔[［(（【".contains(*c))?;
    if b == 0 || b > 8 || !chars[..b].iter().all(|&c| is_cjk(c)) {
        return None;
    }
    let close = chars[b + 1..]
        .iter()
        .position(|c| "〕]］)）】".contains(*c))?
        + b
        + 1;
    let year_raw: String = chars[b + 1..close].iter().collect();
    let year_digits: String = year_raw
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'O' | 'o' | '〇' | '○' => '0',
            c => c,
        })
        .collect();
    if !year_digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut issues = Vec::new();
    let year = match year_digits.len() {
        4 => year_digits,
        2 => {
            issues.push("short_year".to_string());
            let y: u32 = year_digits.parse().ok()?;
            format!("{}{year_digits}", if y >= 50 { "19" } else { "20" })
        }
        _ => return None,
    };
    let mut rest: String = chars[close + 1..].iter().collect();
    if let Some(r) = rest.strip_prefix('第') {
        issues.push("di".to_string());
        rest = r.to_string();
    }
    let num: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if num.is_empty() || rest.chars().nth(num.chars().count()) != Some('号') {
        return None;
    }
    if rest.chars().count() != num.chars().count() + 1 {
        return None;
    }
    if num.len() > 1 && num.starts_with('0') {
        issues.push("leading_zeros".to_string());
    }
    match chars[b] {
        '[' | '［' => issues.push("ascii_brackets".to_string()),
        '【' => issues.push("square_brackets".to_string()),
        '(' | '（' => issues.push("round_brackets".to_string()),
        _ => {}
    }
    let prefix: String = chars[..b].iter().collect();
    let n = num.trim_start_matches('0');
    let n = if n.is_empty() { "0" } else { n };
    Some((format!("{prefix}〔{year}〕{n}号"), issues))
}

fn kind_of(title: &str, has_speaker: bool) -> DocKind {
    let t = title;
    let ends = |w: &str| t.ends_with(w);
    if ["文选", "文集", "选集", "全集", "摘编", "语录", "文库"]
        .iter()
        .any(|w| t.contains(w) && !t.contains("讲话"))
        && !t.starts_with('在')
    {
        return DocKind::Book;
    }
    if [
        "讲话",
        "致辞",
        "发言",
        "演讲",
        "讲演",
        "谈话",
        "答记者问",
        "说明",
    ]
    .iter()
    .any(|w| ends(w))
    {
        return DocKind::Speech;
    }
    if ends("报告") || t.contains("政府工作报告") {
        return DocKind::Report;
    }
    let table = [
        ("决定", DocKind::Decision),
        ("决议", DocKind::Decision),
        ("意见", DocKind::Opinion),
        ("通知", DocKind::Notice),
        ("通报", DocKind::Circular),
        ("批复", DocKind::Reply),
        ("函", DocKind::Letter),
        ("办法", DocKind::Regulation),
        ("规定", DocKind::Regulation),
        ("条例", DocKind::Regulation),
        ("细则", DocKind::Regulation),
        ("规则", DocKind::Regulation),
        ("法", DocKind::Law),
    ];
    for (w, k) in table {
        if ends(w) {
            return k;
        }
    }
    if has_speaker {
        DocKind::Speech
    } else {
        DocKind::Other
    }
}

/// Chinese numerals for congress and session numbers (一 … 九十九).
fn cn_number(s: &str) -> Option<u32> {
    let d = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

/// The year written just before `年` at the end of `s`, as four ASCII digits: `2017` from
/// `…2017` or from `…二〇一七` (Chinese numerals, `〇` or `零` for nought). Counted in chars:
/// the text before it may be anything.
fn year_before(s: &str) -> Option<String> {
    let last: Vec<char> = s.chars().rev().take(4).collect();
    if last.len() < 4 {
        return None;
    }
    last.iter()
        .rev()
        .map(|&c| match c {
            '0'..='9' => Some(c),
            '〇' | '零' | '○' => Some('0'),
            _ => "一二三四五六七八九"
                .chars()
                .position(|x| x == c)
                .and_then(|p| char::from_digit(p as u32 + 1, 10)),
        })
        .collect()
}

fn aliases(h: &Header) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(title) = h.title.as_deref() else {
        return out;
    };
    let mut push = |s: String| {
        if !s.is_empty() && s != title && !out.contains(&s) {
            out.push(s);
        }
    };
    // 第十九次全国代表大会 → 十九大, 十九大报告, 党的十九大报告.
    let scan = |s: &str| -> Option<String> {
        let k = s.find("次全国代表大会")?;
        let before = &s[..k];
        let p = before.rfind('第')?;
        let num = &before[p + '第'.len_utf8()..];
        cn_number(num)?;
        Some(num.to_string())
    };
    let congress = scan(title).or_else(|| h.occasion.as_deref().and_then(scan));
    if let Some(n) = congress
        && !title.contains("人民代表大会")
        && h.occasion
            .as_deref()
            .is_none_or(|o| !o.contains("人民代表大会"))
    {
        push(format!("{n}大"));
        if h.kind == DocKind::Report || title.ends_with("报告") {
            push(format!("{n}大报告"));
            push(format!("党的{n}大报告"));
        }
    }
    // `党的十七大上的报告` written short already.
    if let Some(k) = title.find("大上的报告") {
        let before = &title[..k];
        let num: String = before
            .chars()
            .rev()
            .take_while(|c| "〇一二三四五六七八九十".contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if cn_number(&num).is_some() {
            push(format!("{num}大报告"));
            push(format!("党的{num}大报告"));
        }
    }
    if title.contains("政府工作报告") {
        let year = h
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
            .or_else(|| title.find('年').and_then(|k| year_before(&title[..k])));
        if let Some(y) = year {
            push(format!("{y}年政府工作报告"));
            push(format!("{y}年《政府工作报告》"));
        }
        push("政府工作报告".to_string());
    }
    if let Some(k) = title.find("关于")
        && k > 0
    {
        push(title[k..].to_string());
    }
    if let Some(who) = &h.speaker
        && let Some(rest) = title.strip_prefix(who.as_str())
        && rest.starts_with('在')
    {
        push(rest.to_string());
    }
    out
}

/// Who speaks in a text, read from its header (the first 1,500 chars): a line
/// `X：在……上的讲话` or `X在……上的讲话` (a speech's own title), or `作者：X`, where X is a
/// name of two to four chars.
pub(crate) fn own_speaker_of(text: &str) -> Option<String> {
    let head: String = text.chars().take(1500).collect();
    for line in head.lines().map(str::trim) {
        for (sep, tail) in [("：", "在"), ("在", "")] {
            if let Some((who, rest)) = line.split_once(sep)
                && is_name(who)
                && rest.starts_with(tail)
                && (rest.contains("讲话") || rest.contains("致辞") || rest.contains("报告"))
            {
                return Some(who.to_string());
            }
        }
        if let Some(rest) = line.split_once("作者：").map(|(_, r)| r) {
            let who: String = rest.chars().take_while(|c| is_cjk(*c)).collect();
            if is_name(&who) && who != "佚名" {
                return Some(who);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_document_title_over_three_lines() {
        let t = "国务院办公厅\n关于四川省在温家宝总理考察工作时\n所提问题和建议办理情况的函\n国办函〔2004〕71号\n四川省人民政府：\n2004年8月5日至8日，温家宝总理率……。\n国务院办公厅\n二〇〇四年十月十五日\n（本文有删减）\n";
        let h = read_header(t);
        assert_eq!(
            h.title.as_deref(),
            Some("国务院办公厅关于四川省在温家宝总理考察工作时所提问题和建议办理情况的函")
        );
        assert_eq!(h.doc_number.as_deref(), Some("国办函〔2004〕71号"));
        assert!(h.doc_number_issues.is_empty());
        assert_eq!(h.date.as_deref(), Some("2004-10-15"));
        assert_eq!(h.issuer.as_deref(), Some("国务院办公厅"));
        assert_eq!(h.kind, DocKind::Letter);
        assert!(h.aliases.iter().any(|a| a.starts_with("关于四川省")));
    }

    #[test]
    fn speech_with_date_line_and_debris() {
        let t = "\u{feff}习近平在省部级主要领导干部学习贯彻党的十八届五中全会精神专题研讨班上的讲话\n（2016年1月18日）\n\n2016年05月10日07:09   来源：人民网－人民日报\n\n这次专题研讨班的主要任务是：深入学习。\n";
        let h = read_header(t);
        assert_eq!(h.speaker.as_deref(), Some("习近平"));
        assert_eq!(h.date.as_deref(), Some("2016-01-18"));
        assert_eq!(h.kind, DocKind::Speech);
        assert_eq!(
            h.occasion.as_deref(),
            Some("在省部级主要领导干部学习贯彻党的十八届五中全会精神专题研讨班上")
        );
        assert!(h.aliases.contains(
            &"在省部级主要领导干部学习贯彻党的十八届五中全会精神专题研讨班上的讲话".to_string()
        ));
    }

    #[test]
    fn debris_date_is_not_the_date() {
        let t = "在学习《胡锦涛文选》报告会上的讲话\n发表时间：2016-09-30　　　来源：新华社\n\n新华社北京9月29日电\n\n在学习《胡锦涛文选》报告会上的讲话\n\n（2016年9月29日）\n\n习近平\n\n同志们：\n";
        let h = read_header(t);
        assert_eq!(
            h.title.as_deref(),
            Some("在学习《胡锦涛文选》报告会上的讲话")
        );
        assert_eq!(h.date.as_deref(), Some("2016-09-29"));
        assert_eq!(h.speaker.as_deref(), Some("习近平"));
        assert_eq!(h.kind, DocKind::Speech);
    }

    #[test]
    fn government_work_report_joined_with_wide_spaces() {
        let t = "2006年政 府 工 作 报 告\n\n——2006年3月5日在第十届全国人民代表大会第四次会议上\n\n国务院总理　温家宝　　各位代表：　　现在，我代表国务院。";
        let h = read_header(t);
        assert_eq!(h.title.as_deref(), Some("2006年政府工作报告"));
        assert_eq!(h.speaker.as_deref(), Some("温家宝"));
        assert_eq!(h.date.as_deref(), Some("2006-03-05"));
        assert_eq!(h.kind, DocKind::Report);
        assert_eq!(
            h.occasion.as_deref(),
            Some("在第十届全国人民代表大会第四次会议上")
        );
        assert!(
            h.aliases.contains(&"2006年政府工作报告".to_string())
                || h.title.as_deref() == Some("2006年政府工作报告")
        );
        assert!(h.aliases.contains(&"政府工作报告".to_string()));
        assert!(!h.aliases.iter().any(|a| a.contains("大报告")));
    }

    #[test]
    fn a_year_in_chinese_numerals_gives_an_alias_not_a_panic() {
        // Once a byte slice inside 〇 (issue 24).
        for (t, year) in [
            ("二〇一七年政府工作报告\n\n各位代表：", "2017"),
            ("某省二零零八年政府工作报告\n\n各位代表：", "2008"),
            ("〇七年政府工作报告\n\n各位代表：", ""),
            ("某某市〇七年政府工作报告\n\n各位代表：", ""),
        ] {
            let h = read_header(t);
            assert!(h.aliases.contains(&"政府工作报告".to_string()), "{t}");
            let with_year = format!("{year}年政府工作报告");
            assert_eq!(
                h.aliases.contains(&with_year) || h.title.as_deref() == Some(&with_year),
                !year.is_empty(),
                "{t}: {:?}",
                h.aliases
            );
        }
    }

    #[test]
    fn congress_report_aliases() {
        let t = "决胜全面建成小康社会　夺取新时代中国特色社会主义伟大胜利\n——在中国共产党第十九次全国代表大会上的报告\n（2017年10月18日）\n习近平\n同志们：\n";
        let h = read_header(t);
        assert_eq!(h.speaker.as_deref(), Some("习近平"));
        assert_eq!(h.date.as_deref(), Some("2017-10-18"));
        assert!(h.aliases.contains(&"十九大报告".to_string()), "{:?}", h);
        assert!(h.aliases.contains(&"党的十九大报告".to_string()));
        let t = "胡锦涛在党的十七大上的报告\n人民网北京10月15日电中国共产党第十七次全国代表大会于15日上午9时开幕。\n";
        let h = read_header(t);
        assert_eq!(h.speaker.as_deref(), Some("胡锦涛"));
        assert!(h.aliases.contains(&"十七大报告".to_string()), "{:?}", h);
    }

    #[test]
    fn doc_number_forms() {
        assert_eq!(
            doc_number_line("国发〔2006〕10号"),
            Some(("国发〔2006〕10号".into(), vec![]))
        );
        let (n, i) = doc_number_line("国发[06]第010号").unwrap();
        assert_eq!(n, "国发〔2006〕10号");
        assert_eq!(i, ["short_year", "di", "leading_zeros", "ascii_brackets"]);
        let (_, i) = doc_number_line("京政发【2019】3号").unwrap();
        assert_eq!(i, ["square_brackets"]);
        assert_eq!(doc_number_line("按照国发〔2006〕10号文件精神"), None);
        let h = read_header(
            "国务院文件\n国发[06]第010号\n国务院关于加强社区建设的意见\n各省：\n正文。\n",
        );
        assert_eq!(h.issuer.as_deref(), Some("国务院"));
        assert_eq!(h.doc_number.as_deref(), Some("国发〔2006〕10号"));
        assert_eq!(h.title.as_deref(), Some("国务院关于加强社区建设的意见"));
        assert_eq!(h.kind, DocKind::Opinion);
    }

    #[test]
    fn opinion_with_two_issuers() {
        let h = read_header(
            "\u{feff}中共中央 国务院关于实施乡村振兴战略的意见\n（2018年1月2日）\n实施乡村振兴战略，是重大决策部署。\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("中共中央 国务院关于实施乡村振兴战略的意见")
        );
        assert_eq!(h.issuer.as_deref(), Some("中共中央 国务院"));
        assert_eq!(h.date.as_deref(), Some("2018-01-02"));
        assert_eq!(h.kind, DocKind::Opinion);
    }

    #[test]
    fn no_title_in_a_bare_paragraph() {
        let h = read_header(
            "我们要坚持以人民为中心的发展思想，不断实现好、维护好、发展好最广大人民根本利益。\n",
        );
        assert_eq!(h.title, None);
        assert_eq!(h.kind, DocKind::Other);
        assert_eq!(read_header(""), Header::default());
    }
}
