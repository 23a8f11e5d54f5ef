//! Who said a quotation, by which verb, where and when: the lead-in before the opening mark
//! (`……指出：“`, `……明确要求，要“`, `……提出要“`), the clause before it (speaker, body,
//! document, occasion, date), and attribution after the quotation (`”李部长说。`).

use std::sync::OnceLock;

use super::AttributionReason;
use super::dates::{self, DateMatch};
use super::names::Names;
use super::text::{
    Bitmap, CharSet, Pats, at, collect, ends_at, is_cjk, is_para_break, is_sentence_end, is_ws,
    plen,
};
use super::titles::Book;

/// Reporting verbs, matched longest first right before the colon / comma / quote.
const VERBS: &[&str] = &[
    "明确指出",
    "明确要求",
    "明确提出",
    "明确规定",
    "所指出",
    "所强调",
    "所要求",
    "所提出",
    "所说",
    "所言",
    "所讲",
    "认识到",
    "指出",
    "强调",
    "要求",
    "提出",
    "说过",
    "说道",
    "写道",
    "认为",
    "号召",
    "规定",
    "明确",
    "阐述",
    "宣布",
    "表示",
    "指示",
    "批示",
    "告诫",
    "重申",
    "提醒",
    "宣告",
    "主张",
    "论述",
    "回答",
    "答道",
    "谈到",
    "讲到",
    "讲过",
    "提到",
    "讲",
    "说",
    "写",
    "问道",
    "教导",
    "嘱咐",
    "寄语",
    "呼吁",
    "申明",
    "声明",
    "坦言",
    "概括",
    "总结",
    "形容",
    "比喻",
    "描述",
    "宣称",
    "断言",
    "曾言",
    "有言",
    "云",
    "讲道",
    "谈道",
    "回应",
    "回忆",
    "回答说",
    "问",
    "反问",
    "追问",
    "提问",
    "叮嘱",
    "叮咛",
    "嘱托",
    "告诉",
    "告诫说",
    "评价",
    "评价说",
    "肯定",
    "坚信",
    "誓言",
    "立下誓言",
    "建议",
    "鼓励",
    "勉励",
    "激励",
    "题写",
    "题词",
    "写下",
    "写下了",
    "说出",
    "质疑",
    "质问",
    "批评",
    "引述",
    "看来",
    "称",
    "分析",
    "引用",
    "感慨",
    "感叹",
    "解释",
    "补充",
    "介绍",
    "答复",
    "表态",
    "称赞",
    "赞扬",
    "寄望",
    "倡导",
    "直言",
    "笑言",
    "坦陈",
    "阐明",
    "点明",
    "指明",
    "剖白",
    "问候",
    "交代",
    "部署",
    "批注",
    "致辞",
    "发言",
    "讲话",
    "讲述",
    "阐释",
    "诠释",
    "要求大家",
    "说得好",
    "说得很透彻",
    "的答复是",
    "的回答是",
    "评价为",
    "视为",
    "正所谓",
    "话叫作",
    "话叫做",
    "话说",
];
/// Verbs of an attribution after the quotation (`”李部长说。`).
const POST_VERBS: &[&str] = &[
    "说",
    "说过",
    "讲",
    "讲过",
    "要求",
    "提出",
    "叮嘱",
    "问",
    "回应",
    "说道",
    "指出",
    "强调",
    "表示",
    "写道",
    "认为",
    "答道",
    "回答",
    "问道",
    "补充道",
    "坦言",
    "介绍",
    "介绍说",
    "告诉记者",
    "透露",
    "解释说",
    "解释道",
    "回忆说",
    "回忆道",
    "感慨道",
    "感叹道",
    "感慨地说",
    "笑道",
    "喊道",
    "叹道",
    "插话说",
    "称",
    "补充说",
    "分析",
    "解释",
    "坦承",
    "承认",
    "直言",
    "笑言",
    "感叹",
    "感慨",
    "回忆",
    "反问",
    "追问",
    "问",
    "答",
    "说着",
    "告诉本报记者",
    "告诉本报",
    "接着说",
    "继续说",
    "强调说",
    "表示说",
    "认为",
    "总结说",
    "分析说",
    "提醒",
    "提醒说",
    "呼吁",
    "叹息",
    "抱怨",
    "抱怨说",
    "哭着说",
];
/// Words that end a document's name. A "speaker" that ends so is the document quoted
/// (`党的十九大报告指出`, `中央一号文件要求`), a source, never a person.
pub(crate) const DOC_ENDINGS: &[&str] = &[
    "报告",
    "文件",
    "决定",
    "决议",
    "意见",
    "通知",
    "纲要",
    "规划",
    "公报",
    "宣言",
    "条例",
    "规定",
    "办法",
    "章程",
    "党章",
    "宪法",
    "白皮书",
    "建议",
    "方案",
];
/// Whether `phrase` names a document by its ending ([`DOC_ENDINGS`]); `会议决定`, `大家建议`,
/// `群众意见` (a body deciding, people suggesting) do not.
pub(crate) fn names_document(phrase: &str) -> bool {
    let Some(ending) = DOC_ENDINGS.iter().find(|e| phrase.ends_with(**e)) else {
        return false;
    };
    let head = &phrase[..phrase.len() - ending.len()];
    !matches!(
        head,
        "会议" | "大会" | "会上" | "群众" | "大家" | "专家" | "代表" | "委员" | "有关方面"
    )
}

/// A `说` after these is not a reporting verb (`可以说`, `就是说`, `比如说`).
const NOT_SPEAKING: &str = "是如话以该般来句";
/// Adverbs between a speaker and the verb.
const ADVERBS: &[&str] = &[
    "进一步",
    "再次",
    "反复",
    "多次",
    "一再",
    "曾经",
    "曾",
    "常",
    "还",
    "又",
    "也",
    "就",
    "都",
    "早就",
    "特别",
    "尖锐地",
    "深刻地",
    "明确地",
    "鲜明地",
    "郑重",
    "严肃地",
    "深刻",
    "接着",
    "笑着",
    "这样",
    "曾多次",
    "经常",
    "同时",
    "并",
    "更",
];
/// Modal words between a verb (and its comma) and the quotation.
const MODALS: &[&str] = &[
    "一定要",
    "务必",
    "必须",
    "一定",
    "应当",
    "应该",
    "决不能",
    "绝不能",
    "不要",
    "切实",
    "坚决",
    "始终",
    "要",
];
/// Particles between the verb and the colon / quote.
const PARTICLES: &str = "了过";

/// Leaders, classics and others commonly quoted. Matched before generic patterns.
const NAMES: &[&str] = &[
    "毛泽东",
    "毛主席",
    "周恩来",
    "周总理",
    "刘少奇",
    "朱德",
    "邓小平",
    "陈云",
    "江泽民",
    "胡锦涛",
    "温家宝",
    "习近平",
    "李克强",
    "李鹏",
    "朱镕基",
    "华国锋",
    "叶剑英",
    "任弼时",
    "董必武",
    "彭德怀",
    "张闻天",
    "王稼祥",
    "李大钊",
    "瞿秋白",
    "孙中山",
    "鲁迅",
    "马克思",
    "恩格斯",
    "列宁",
    "斯大林",
    "孔子",
    "孟子",
    "荀子",
    "老子",
    "庄子",
    "墨子",
    "韩非子",
    "朱熹",
    "王阳明",
    "顾炎武",
    "雷锋",
    "焦裕禄",
    "吴邦国",
    "贾庆林",
    "李长春",
    "俞正声",
    "刘云山",
    "王岐山",
    "张高丽",
    "李瑞环",
    "乔石",
    "杨尚昆",
    "习仲勋",
    "李先念",
    "陈毅",
    "贺龙",
    "刘伯承",
    "聂荣臻",
    "徐向前",
    "罗荣桓",
    "杜甫",
    "李白",
    "苏轼",
    "白居易",
    "司马迁",
    "诸葛亮",
    "谭竹青",
    "毛泽东主席",
];
/// Offices written before a known name (`国务院总理温家宝`).
const OFFICE_BEFORE: &[&str] = &[
    "中共中央总书记",
    "国家主席",
    "国务院总理",
    "国务院副总理",
    "全国人大常委会委员长",
    "总书记",
    "总理",
    "副总理",
    "主席",
    "委员长",
    "国务院",
    "元帅",
];
/// Offices written after a known name (`习近平总书记`).
const OFFICE_AFTER: &[&str] = &[
    "总书记",
    "主席",
    "总理",
    "副主席",
    "副总理",
    "委员长",
    "元帅",
];
/// Offices after a surname (`李部长`, `市委王书记`).
pub(crate) const OFFICES: &[&str] = &[
    "总书记",
    "书记",
    "副书记",
    "主席",
    "总理",
    "副总理",
    "部长",
    "副部长",
    "县长",
    "副县长",
    "市长",
    "副市长",
    "省长",
    "副省长",
    "区长",
    "乡长",
    "镇长",
    "局长",
    "厅长",
    "处长",
    "主任",
    "院长",
    "校长",
    "司令员",
    "政委",
    "委员长",
    "村长",
    "科长",
    "秘书长",
    "董事长",
    "总经理",
    "老师",
    "教授",
    "议员",
    "司长",
    "署长",
    "局长",
    "会长",
    "议长",
    "特首",
    "委员",
    "代表",
    "博士",
    "先生",
    "女士",
];
/// Bodies written before a surname + office (`市委王书记`).
const ORGS: &[&str] = &["市委", "县委", "省委", "区委", "党委", "镇党委", "乡党委"];
/// Common surnames (for `X部长`, `XY同志`).
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤习温聂罗粟薄乔关车岳辛柳欧阎邢骆俞倪牛柏凌阮洪祝鲁葛庞樊殷翟裴焦隋伍冉瞿屈项祁";
/// Surnames unlikely to be a preposition or verb before a name (`向雷锋同志`).
const WEAK_SURNAMES: &str = "向于万任方史白";
/// Bodies that can speak (`中共中央指出`, `宪法规定`).
const BODIES: &[&str] = &[
    "中共中央政治局",
    "中共中央",
    "党中央",
    "国务院办公厅",
    "国务院",
    "全国人大常委会",
    "全国人大",
    "中央军委",
    "中央政治局",
    "中央委员会",
    "宪法",
    "党章",
];
/// A noun phrase ending so, right before the verb, is a speaking body
/// (`全国社区建设工作会议，明确提出了“`).
const BODY_SUFFIXES: &[&str] = &[
    "会议",
    "全会",
    "大会",
    "报告",
    "决定",
    "决议",
    "纲要",
    "宪法",
    "党章",
    "公报",
    "文件",
    "条例",
    "中央",
    "国务院",
    "政治局",
    "常委会",
    "座谈会",
    "研讨班",
    "意见",
    "通知",
];
/// Relative dates kept as `date_text` only.
const RELATIVE_DATES: &[&str] = &[
    "去年", "今年", "前年", "明年", "同年", "当年", "次年", "上月", "本月", "近日", "日前", "昨天",
    "今天",
];
/// How far back a clause may reach.
const CLAUSE_LIMIT: usize = 200;
/// How far back a pronoun looks for the person it stands for.
const PRONOUN_LIMIT: usize = 500;

/// What kind of mark sits between the lead-in and the quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeadKind {
    Colon,
    Comma,
    Direct,
}

/// The lead-in right before an opening mark.
#[derive(Debug, Clone)]
pub(crate) struct Lead {
    pub kind: LeadKind,
    pub verb: Option<String>,
    /// Where the attribution region ends: the verb, or the colon/comma/quote.
    pub region_end: usize,
    /// An object stands between the verb and the mark (`坚信马克思主义“`).
    pub object: bool,
}

/// A candidate speaker or source in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CandKind {
    Person,
    Pronoun,
    Body,
    Title,
}

/// A candidate found in a clause.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: CandKind,
}

/// Everything found in a clause.
#[derive(Debug, Default, Clone)]
pub(crate) struct Region {
    pub cands: Vec<Cand>,
    pub date: Option<(String, DateMatch)>,
    pub occasion: Option<String>,
}

/// Pattern tables, built once.
struct Tables {
    verbs: Pats,
    post_verbs: Pats,
    adverbs: Pats,
    names: Pats,
    office_before: Pats,
    office_after: Pats,
    offices: Pats,
    orgs: Pats,
    bodies: Pats,
    body_suffixes: Pats,
    relative_dates: Pats,
    surnames: CharSet,
    weak_surnames: CharSet,
    /// Chars that can start something [`Ctx::scan_region`] looks for.
    starts: Bitmap,
}

/// Digits of dates, Arabic and Chinese.
const DATE_DIGITS: &str = "0123456789０１２３４５６７８９〇零○一二三四五六七八九十";

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let names = Pats::new(NAMES);
        let bodies = Pats::new(BODIES);
        let relative_dates = Pats::new(RELATIVE_DATES);
        let starts = Bitmap::new(
            names
                .firsts()
                .iter()
                .chain(bodies.firsts())
                .chain(relative_dates.firsts())
                .copied()
                .chain(SURNAMES.chars())
                .chain(DATE_DIGITS.chars())
                .chain("在他她同".chars()),
        );
        Tables {
            verbs: Pats::new(VERBS),
            post_verbs: Pats::new(POST_VERBS),
            adverbs: Pats::new(ADVERBS),
            names,
            office_before: Pats::new(OFFICE_BEFORE),
            office_after: Pats::new(OFFICE_AFTER),
            offices: Pats::new(OFFICES),
            orgs: Pats::new(ORGS),
            bodies,
            body_suffixes: Pats::new(BODY_SUFFIXES),
            relative_dates,
            surnames: CharSet::new(SURNAMES),
            weak_surnames: CharSet::new(WEAK_SURNAMES),
            starts,
        }
    })
}

/// Per-char flags in [`Ctx`].
const F_QUOTE_OPEN: u8 = 1;
const F_QUOTE_CLOSE: u8 = 2;
const F_BOOK_OPEN: u8 = 4;
const F_TITLE_QUOTE: u8 = 8;

/// How the speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Own,
    Pronoun,
    /// The text's own speaker, from its header.
    Header,
    /// Who speaks the turn of a record (`黄委员秀孟：`).
    Turn,
    Previous,
    Nothing,
}

/// The attribution of one quotation.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub speaker: Option<String>,
    pub source_title: Option<String>,
    pub occasion: Option<String>,
    pub date: Option<String>,
    pub date_text: Option<String>,
    pub via: Via,
    /// Chars between the attribution and the verb.
    pub gap: usize,
}

impl Attr {
    /// Nothing found yet, to be filled by the attribution's own words.
    fn own() -> Attr {
        Attr {
            speaker: None,
            source_title: None,
            occasion: None,
            date: None,
            date_text: None,
            via: Via::Own,
            gap: 0,
        }
    }

    pub fn has_any(&self) -> bool {
        self.speaker.is_some() || self.source_title.is_some()
    }
}

/// Shared lookup tables for one text.
pub(crate) struct Ctx<'a> {
    pub chars: &'a [char],
    /// Outermost quotations (opening, closing mark), ordered.
    tops: Vec<(usize, usize)>,
    books: &'a [Book],
    flags: Vec<u8>,
    t: &'static Tables,
    /// Names of ordinary people learnt from the text itself.
    names: Names,
}

impl<'a> Ctx<'a> {
    /// `tops`: outermost quotations (opening, closing mark) in order; `title_quotes`: which of
    /// them are titles; `books`: `《》` titles in order; `names`: the text's names
    /// ([`Names::learn`]).
    pub fn with_names(
        chars: &'a [char],
        tops: Vec<(usize, usize)>,
        title_quotes: &[bool],
        books: &'a [Book],
        names: Names,
    ) -> Self {
        let mut flags = vec![0u8; chars.len() + 1];
        for (k, &(o, c)) in tops.iter().enumerate() {
            flags[o] |= F_QUOTE_OPEN;
            flags[c] |= F_QUOTE_CLOSE;
            if title_quotes.get(k) == Some(&true) {
                flags[o] |= F_TITLE_QUOTE;
            }
        }
        for b in books {
            flags[b.open] |= F_BOOK_OPEN;
        }
        Ctx {
            chars,
            tops,
            books,
            flags,
            t: tables(),
            names,
        }
    }

    fn flag(&self, i: usize, f: u8) -> bool {
        self.flags.get(i).is_some_and(|x| x & f != 0)
    }

    /// The quotation opening at `i` is a title.
    pub fn is_title_quote(&self, i: usize) -> bool {
        self.flag(i, F_TITLE_QUOTE)
    }

    /// Closing mark of the outermost quotation opening at `i`.
    fn quote_close(&self, i: usize) -> Option<usize> {
        if !self.flag(i, F_QUOTE_OPEN) {
            return None;
        }
        let k = self.tops.binary_search_by_key(&i, |t| t.0).ok()?;
        Some(self.tops[k].1)
    }

    /// Opening mark of the outermost quotation closing at `i`.
    fn quote_open(&self, i: usize) -> Option<usize> {
        if !self.flag(i, F_QUOTE_CLOSE) {
            return None;
        }
        let k = self.tops.binary_search_by_key(&i, |t| t.1).ok()?;
        Some(self.tops[k].0)
    }

    fn book_at(&self, i: usize) -> Option<&Book> {
        if !self.flag(i, F_BOOK_OPEN) {
            return None;
        }
        let k = self.books.binary_search_by_key(&i, |b| b.open).ok()?;
        self.books.get(k)
    }

    /// Start of the clause that ends at `pos`: back to a sentence end or paragraph break,
    /// jumping over quotations that do not end a sentence, at most [`CLAUSE_LIMIT`] chars.
    pub fn clause_start(&self, pos: usize) -> usize {
        let c = self.chars;
        let floor = pos.saturating_sub(CLAUSE_LIMIT);
        let mut i = pos.min(c.len());
        while i > floor {
            let ch = c[i - 1];
            if is_sentence_end(ch)
                || ch == '；'
                || ch == '\n'
                || (i >= 2 && ch == '　' && is_para_break(c, i - 2))
            {
                return i;
            }
            if let Some(o) = self.quote_open(i - 1) {
                if i >= 2 && is_sentence_end(c[i - 2]) {
                    return i;
                }
                if o < floor {
                    return i;
                }
                i = o;
                continue;
            }
            i -= 1;
        }
        i
    }

    /// The lead-in before the opening mark at `open`, looking no further back than `floor`.
    pub fn lead_in(&self, open: usize, floor: usize) -> Lead {
        let c = self.chars;
        let mut j = open;
        while j > floor && is_ws(c[j - 1]) {
            j -= 1;
        }
        // OCR noise between the colon and the mark (`：．“`).
        if j > floor + 1 && "．.·`'，,、".contains(c[j - 1]) && matches!(c[j - 2], '：' | ':')
        {
            j -= 1;
        }
        // A modal word between the verb and the quotation (`强调，务必“`, `要求，要“`).
        for modal in MODALS {
            if ends_at(c, j, modal) && j >= floor + plen(modal) {
                j -= plen(modal);
                break;
            }
        }
        let kind = match j.checked_sub(1).map(|k| c[k]) {
            Some('：' | ':') if j > floor => {
                j -= 1;
                LeadKind::Colon
            }
            Some('，' | ',') if j > floor => {
                j -= 1;
                LeadKind::Comma
            }
            _ => LeadKind::Direct,
        };
        let mut k = j;
        if k > floor && PARTICLES.contains(c[k - 1]) {
            k -= 1;
        }
        let mut found = self.verb_ending_at(k, floor);
        if found.is_none() && k > floor && c[k - 1] == '的' {
            found = self
                .verb_ending_at(k - 1, floor)
                .filter(|(_, v)| v.starts_with('所'));
        }
        match found {
            Some((s, v)) => Lead {
                kind,
                verb: Some(v),
                region_end: s,
                object: false,
            },
            None => match self.verb_with_object(k, floor) {
                Some((s, v)) => Lead {
                    kind,
                    verb: Some(v),
                    region_end: s,
                    object: true,
                },
                None => Lead {
                    kind,
                    verb: None,
                    region_end: j,
                    object: false,
                },
            },
        }
    }

    /// A reporting verb followed by a short object right before `end`: `坚信马克思主义“`,
    /// `问当地干部：“`, `叮嘱陪同的负责人：“`, `引用毛主席的话说“`. The object is at most twelve
    /// chars of text (no punctuation, no quotation).
    fn verb_with_object(&self, end: usize, floor: usize) -> Option<(usize, String)> {
        let c = self.chars;
        // Before a colon the object may be longer (叮嘱陪同的当地领导和有关部门负责人：).
        let colon = end < c.len() && matches!(c[end], '：' | ':');
        let reach = if colon { 24 } else { 14 };
        let lo = end.saturating_sub(reach).max(floor);
        let mut e = end;
        while e > lo + 1 {
            e -= 1;
            let ch = c[e];
            // 指出：改革开放时期“, 讲过，共产党人“: the verb ends before the colon or comma.
            if matches!(ch, '：' | ':' | '，' | ',') && e + 1 < end {
                let mut k = e;
                if k > floor && PARTICLES.contains(c[k - 1]) {
                    k -= 1;
                }
                return self
                    .verb_ending_at(k, floor)
                    .filter(|(_, v)| !v.starts_with('所'));
            }
            if !is_cjk(ch) && !ch.is_ascii_alphanumeric() || self.flags[e] != 0 {
                return None;
            }
            if e < end
                && let Some((s, v)) = self.verb_ending_at(e, floor)
                && (plen(&v) >= 2 || colon)
                && !v.starts_with('所')
            {
                // 提出了像“……”这样的: examples of formulas, not words.
                let object = collect(c, e, end);
                if ["像", "如", "诸如", "例如", "比如"]
                    .iter()
                    .any(|x| object.ends_with(x))
                {
                    return None;
                }
                return Some((s, v));
            }
        }
        None
    }

    /// A reporting verb ending at `end`: (start, verb with a `明确` prefix if written).
    fn verb_ending_at(&self, end: usize, floor: usize) -> Option<(usize, String)> {
        let c = self.chars;
        let v = self.t.verbs.ending_at(c, end, floor)?;
        let s = end - plen(v);
        if matches!(v, "说" | "讲" | "写" | "云" | "明确")
            && s > 0
            && (NOT_SPEAKING.contains(c[s - 1]) || !is_cjk(c[s - 1]) && v != "说")
        {
            return None;
        }
        // 学问, 疑问, 顾问, 访问 are nouns; 肯定 after 不/很 is not praise; 简称, 号称, 俗称
        // name things.
        if (v == "称" && (s == 0 || "简俗号统昵通又也并合堪自爱名职著尊".contains(c[s - 1])))
            || (v == "问" && s > 0 && "学疑顾访慰发".contains(c[s - 1]))
            || (v == "肯定" && s > 0 && "不很更".contains(c[s - 1]))
        {
            return None;
        }
        // 解释说, 补充道, 批评说: a speech verb before 说/道 belongs to it.
        if matches!(v, "说" | "道")
            && let Some(v2) = self.t.verbs.ending_at(c, s, floor)
            && plen(v2) >= 2
            && !v2.starts_with('所')
        {
            return Some((s - plen(v2), format!("{v2}{v}")));
        }
        if !v.starts_with("明确") && !v.starts_with('所') && s >= floor + 2 && ends_at(c, s, "明确")
        {
            return Some((s - 2, format!("明确{v}")));
        }
        Some((s, v.to_string()))
    }

    fn person_at(&self, i: usize, a: usize, b: usize) -> Option<Cand> {
        let c = self.chars;
        if let Some(name) = self.t.names.at(c, i) {
            let mut e = i + plen(name);
            // 马克思主义, 毛泽东思想, 邓小平理论 are doctrines, not their authors speaking.
            let doctrine = [
                "主义", "思想", "理论", "著作", "文选", "选集", "文集", "年谱",
            ]
            .iter()
            .any(|d| at(c, e, d));
            if e <= b && !doctrine {
                let mut start = i;
                let mut text = String::new();
                if let Some(off) = self.t.office_before.ending_at(c, i, a) {
                    start = i - plen(off);
                    text.push_str(off);
                }
                text.push_str(name);
                if let Some(off) = self.t.office_after.at(c, e)
                    && e + plen(off) <= b
                {
                    text.push_str(off);
                    e += plen(off);
                }
                if at(c, e, "同志") && e + 2 <= b {
                    e += 2;
                }
                return Some(Cand {
                    start,
                    end: e,
                    text,
                    kind: CandKind::Person,
                });
            }
        }
        if let Some(e) = self.names.at(c, i, b) {
            return Some(Cand {
                start: i,
                end: e,
                text: collect(c, i, e),
                kind: CandKind::Person,
            });
        }
        if self.t.surnames.has(c[i])
            && !self.t.weak_surnames.has(c[i])
            && let Some(off) = self.t.offices.at(c, i + 1)
            && i + 1 + plen(off) <= b
        {
            let mut start = i;
            if let Some(org) = self.t.orgs.ending_at(c, i, a) {
                start -= plen(org);
            }
            let end = i + 1 + plen(off);
            return Some(Cand {
                start,
                end,
                text: collect(c, start, end),
                kind: CandKind::Person,
            });
        }
        // A full name with its office after it: 车俊书记, 省长赵刚 is handled by comrade_at.
        if self.t.surnames.has(c[i]) && !self.t.weak_surnames.has(c[i]) {
            for given in [2usize, 1] {
                let o = i + 1 + given;
                if o <= b
                    && c[i + 1..o].iter().all(|&ch| is_cjk(ch))
                    && let Some(off) = self.t.offices.at(c, o)
                    && o + plen(off) <= b
                    && !c[i + 1..o]
                        .iter()
                        .any(|ch| "的是在和与了说对向".contains(*ch))
                {
                    let mut start = i;
                    if let Some(org) = self.t.orgs.ending_at(c, i, a) {
                        start -= plen(org);
                    }
                    let end = o + plen(off);
                    return Some(Cand {
                        start,
                        end,
                        text: collect(c, start, end),
                        kind: CandKind::Person,
                    });
                }
            }
        }
        None
    }

    /// `XY同志` / `XYZ同志` with `同志` at `i`.
    fn comrade_at(&self, i: usize, a: usize) -> Option<Cand> {
        let c = self.chars;
        if !at(c, i, "同志") || c.get(i + 2) == Some(&'们') || i < a + 2 {
            return None;
        }
        if !is_cjk(c[i - 1]) || !is_cjk(c[i - 2]) {
            return None;
        }
        let s = if i >= a + 3 && SURNAMES.contains(c[i - 3]) && !WEAK_SURNAMES.contains(c[i - 3]) {
            i - 3
        } else if self.t.surnames.has(c[i - 2]) {
            i - 2
        } else {
            return None;
        };
        Some(Cand {
            start: s,
            end: i + 2,
            text: collect(c, s, i),
            kind: CandKind::Person,
        })
    }

    /// Candidates, first date and occasion in `a..b`, skipping the inside of quotations.
    pub fn scan_region(&self, a: usize, b: usize) -> Region {
        let c = self.chars;
        let b = b.min(c.len());
        let mut r = Region::default();
        let mut i = a;
        while i < b {
            let ch = c[i];
            if self.flags[i] == 0 && !self.t.starts.has(ch) && !self.names.starts_with(ch) {
                i += 1;
                continue;
            }
            if let Some(book) = self.book_at(i) {
                r.cands.push(Cand {
                    start: i,
                    end: book.close + 1,
                    text: book.title.clone(),
                    kind: CandKind::Title,
                });
                i = book.close + 1;
                continue;
            }
            if let Some(close) = self.quote_close(i) {
                if self.is_title_quote(i) {
                    r.cands.push(Cand {
                        start: i,
                        end: close + 1,
                        text: collect(c, i + 1, close),
                        kind: CandKind::Title,
                    });
                }
                i = close + 1;
                continue;
            }
            if r.date.is_none()
                && (ch.is_ascii_digit()
                    || "〇零一二三四五六七八九十０１２３４５６７８９".contains(ch))
                && let Some(m) = dates::scan_date_at(c, i, None)
            {
                let len = m.len;
                r.date = Some((collect(c, i, i + len), m));
                i += len;
                continue;
            }
            if r.date.is_none()
                && let Some(rel) = self.t.relative_dates.at(c, i)
            {
                let n = plen(rel);
                r.date = Some((
                    rel.to_string(),
                    DateMatch {
                        iso: None,
                        len: n,
                        year: None,
                    },
                ));
                i += n;
                continue;
            }
            if r.occasion.is_none()
                && ch == '在'
                && let Some(end) = self.occasion_end(i, b)
            {
                // Names inside the occasion are not the speaker (X在纪念Y诞辰……时指出 → X);
                // a date inside it still dates the words.
                r.occasion = Some(collect(c, i, end));
                if r.date.is_none() {
                    r.date = (i..end).find_map(|k| {
                        let m = dates::scan_date_at(c, k, None)?;
                        Some((collect(c, k, k + m.len), m))
                    });
                }
                i = end;
                continue;
            }
            if let Some(p) = self.person_at(i, a, b) {
                i = p.end;
                r.cands.push(p);
                continue;
            }
            if let Some(p) = self.comrade_at(i, a) {
                i = p.end;
                r.cands.push(p);
                continue;
            }
            if matches!(ch, '他' | '她')
                && !c.get(i + 1).is_some_and(|n| "们人国乡处日".contains(*n))
                && !(i > 0 && "其吉利对向跟同给和与问叫请让令诉着".contains(c[i - 1]))
            {
                r.cands.push(Cand {
                    start: i,
                    end: i + 1,
                    text: ch.to_string(),
                    kind: CandKind::Pronoun,
                });
                i += 1;
                continue;
            }
            if let Some(body) = self.t.bodies.at(c, i) {
                let n = plen(body);
                r.cands.push(Cand {
                    start: i,
                    end: i + n,
                    text: body.to_string(),
                    kind: CandKind::Body,
                });
                i += n;
                continue;
            }
            i += 1;
        }
        r
    }

    /// End of an occasion `在……上` (meeting), `在……时`, `在……讲话中` starting at `p`.
    fn occasion_end(&self, p: usize, b: usize) -> Option<usize> {
        let c = self.chars;
        if p > 0 && "现存正实所自内好处位".contains(c[p - 1]) {
            return None;
        }
        if c.get(p + 1).is_some_and(|n| "于这此那我全一".contains(*n)) {
            return None;
        }
        let lim = (p + 60).min(b);
        let mut q = p + 2;
        while q < lim {
            let ch = c[q];
            if matches!(ch, '。' | '；' | '，' | '《' | '“' | '\n') {
                return None;
            }
            let prev = c[q - 1];
            match ch {
                '上' if "会议班式礼坛典宴".contains(prev) => return Some(q + 1),
                '时' if !"同及当此有随暂准适按届那彼平小".contains(prev)
                    && !c.get(q + 1).is_some_and(|n| "期代刻候间节段".contains(*n)) =>
                {
                    return Some(q + 1);
                }
                '中' if "话信".contains(prev) => return Some(q + 1),
                _ => {}
            }
            q += 1;
        }
        None
    }

    /// A speaking body written right before the verb at `vstart`
    /// (`全国社区建设工作会议，明确提出`, `党的十七大报告指出`).
    fn body_before_verb(&self, vstart: usize, a: usize) -> Option<Cand> {
        let c = self.chars;
        let mut e = vstart;
        while let Some(adv) = self.t.adverbs.ending_at(c, e, a) {
            e -= plen(adv);
        }
        if e > a && matches!(c[e - 1], '，' | ',') {
            e -= 1;
        }
        let suf = self.t.body_suffixes.ending_at(c, e, a)?;
        let mut s = e - plen(suf);
        while s > a && e - s < 24 {
            let ch = c[s - 1];
            if !is_cjk(ch) || "的在由和与是及将把了".contains(ch) {
                break;
            }
            s -= 1;
        }
        if s >= a + 2 && ends_at(c, s, "党的") {
            s -= 2;
        }
        Some(Cand {
            start: s,
            end: e,
            text: collect(c, s, e),
            kind: CandKind::Body,
        })
    }

    /// The subject written right before a verb starting at `vstart` when it is none of the
    /// known names: `母亲解释说`, `一位70多岁的老人说`, `挑夫们对他说`, `辛弃疾在一首词中写道`,
    /// `岳飞的一首诗说道`, `古人说`. Adverbs, `对X` objects and occasions between are skipped;
    /// the phrase must look like a person (a known ending, or a surname and one or two chars).
    fn generic_subject(&self, vstart: usize, a: usize) -> Option<Cand> {
        // 总书记微笑着说, 考评局周五早上表示: a short subject before an adverbial in 地/着 or a
        // time of day, tried before the longer readings below.
        if let Some(p) = self.subject_before_time_or_manner(vstart, a) {
            return Some(p);
        }
        let c = self.chars;
        let mut e = vstart;
        let skip_adverbs = |mut e: usize| {
            loop {
                if let Some(adv) = self.t.adverbs.ending_at(c, e, a) {
                    e -= plen(adv);
                } else if e > a + 1 && "地着".contains(c[e - 1]) {
                    // 动情地说, 笑着说: an adverbial of up to six chars.
                    let mut k = e - 1;
                    while k > a && e - k < 7 && is_cjk(c[k - 1]) && !"，、的".contains(c[k - 1])
                    {
                        k -= 1;
                    }
                    if k == e - 1 {
                        break e;
                    }
                    e = k;
                } else if e > a && "就便却也又还再才都亦然".contains(c[e - 1]) {
                    e -= 1;
                } else {
                    break e;
                }
            }
        };
        e = skip_adverbs(e);
        // An object: 对他, 向老人, 对老陈的妻子杨小兰 (up to twelve chars).
        if let Some(k) = (e.saturating_sub(12).max(a)..e)
            .rev()
            .find(|&k| "对向跟同给".contains(c[k]) && k > a)
        {
            e = skip_adverbs(k);
        }
        // An occasion: 在一首词中, 在讲话中, 在会上.
        if e > a
            && "中上时".contains(c[e - 1])
            && let Some(k) = (e.saturating_sub(30).max(a)..e)
                .rev()
                .find(|&k| c[k] == '在')
        {
            e = skip_adverbs(k);
        }
        let mut s = e;
        while s > a && e - s < 10 && (is_cjk(c[s - 1]) || c[s - 1].is_ascii_digit()) {
            if "，。；：、的是在了和与及把被对向说".contains(c[s - 1]) {
                break;
            }
            s -= 1;
        }
        // 岳飞的一首诗说道: the possessor of a work.
        let work = collect(c, s, e);
        if s >= a + 2
            && c[s - 1] == '的'
            && [
                "诗", "词", "文章", "书", "信", "著作", "日记", "名句", "诗歌", "一首", "一篇",
            ]
            .iter()
            .any(|w| work.contains(w))
        {
            let pe = s - 1;
            let mut ps = pe;
            while ps > a
                && pe - ps < 5
                && is_cjk(c[ps - 1])
                && !"，。；：、的是在了和与及".contains(c[ps - 1])
            {
                ps -= 1;
            }
            return self.person_like(ps, pe);
        }
        self.person_like(s, e)
    }

    /// The subject before a manner adverbial in 地/着 (`微笑着`, `动情地`) or a time
    /// (`周五早上`, `昨天`) right before the verb at `vstart`: the adverbial's length is not
    /// known, so each is tried, shortest first, and the rest must read as a person.
    fn subject_before_time_or_manner(&self, vstart: usize, a: usize) -> Option<Cand> {
        const TIMES: &[&str] = &[
            "今天", "昨天", "前天", "今日", "昨日", "当天", "当晚", "昨晚", "今晨", "早上", "上午",
            "中午", "下午", "晚上", "日前", "近日", "随后", "此前", "同日", "周一", "周二", "周三",
            "周四", "周五", "周六", "周日", "周末",
        ];
        let c = self.chars;
        let mut e = vstart;
        while let Some(adv) = self.t.adverbs.ending_at(c, e, a) {
            e -= plen(adv);
        }
        let mut ends = Vec::new();
        if e > a + 2 && "地着".contains(c[e - 1]) {
            ends.extend((2..=5).filter(|&n| e >= a + n + 2).map(|n| e - n));
        }
        let mut t = e;
        while let Some(time) = TIMES.iter().find(|x| ends_at(c, t, x) && t >= a + plen(x)) {
            t -= plen(time);
            ends.push(t);
        }
        ends.into_iter().find_map(|end| {
            let mut s = end;
            while s > a
                && end - s < 8
                && is_cjk(c[s - 1])
                && !"，。；：、的是在了和与及把被对向说".contains(c[s - 1])
            {
                s -= 1;
            }
            (end > s + 1).then(|| self.person_like(s, end)).flatten()
        })
    }

    /// `c[s..e]` as a person, after dropping a leading quantifier (`一位`, `这位`, `有个`),
    /// when it ends like a person (`人`, `者`, `们`, an office, a kinship word) or is a
    /// surname and one or two chars.
    fn person_like(&self, mut s: usize, e: usize) -> Option<Cand> {
        let c = self.chars;
        for q in [
            "有一位",
            "有一个",
            "有位",
            "有个",
            "一位",
            "这位",
            "那位",
            "一名",
            "那名",
            "这名",
            "一个",
            "某",
        ] {
            if at(c, s, q) && s + plen(q) < e {
                s += plen(q);
                break;
            }
        }
        // 某区人社局一位工作人员: the person after a quantifier inside the run.
        for q in ["一位", "一名", "这位", "那位"] {
            if let Some(k) = (s..e.saturating_sub(plen(q))).rev().find(|&k| at(c, k, q))
                && k + plen(q) < e
            {
                s = k + plen(q);
                break;
            }
        }
        // Drop an age or description ending in 的 inside the run (70多岁的老人 → 老人).
        if let Some(k) = (s..e).rev().find(|&k| c[k] == '的') {
            s = k + 1;
        }
        let n = e.saturating_sub(s);
        if !(2..=8).contains(&n) {
            return None;
        }
        let text = collect(c, s, e);
        const ENDINGS: &[&str] = &[
            "人",
            "者",
            "们",
            "书记",
            "支书",
            "主任",
            "委员",
            "记者",
            "教授",
            "老师",
            "先生",
            "女士",
            "同志",
            "议员",
            "干部",
            "群众",
            "百姓",
            "农民",
            "工人",
            "学生",
            "母亲",
            "父亲",
            "儿子",
            "女儿",
            "妻子",
            "丈夫",
            "孩子",
            "老人",
            "古人",
            "前人",
            "先贤",
            "先哲",
            "专家",
            "学者",
            "代表",
            "领导",
            "主席",
            "总理",
            "院长",
            "部长",
            "司长",
            "局长",
            "厅长",
            "处长",
            "县长",
            "市长",
            "省长",
            "区长",
            "乡长",
            "镇长",
            "村长",
            "校长",
            "经理",
            "师傅",
            "大爷",
            "大娘",
            "大妈",
            "老乡",
            "村民",
            "居民",
            "市民",
            "网友",
            "作家",
            "诗人",
            "哲人",
            "圣人",
            "伟人",
            "俗话",
            "俗语",
            "古语",
            "古话",
            "谚语",
            "老话",
            "负责人",
            "官员",
            "发言人",
            "人员",
            "党员",
            "队员",
            "成员",
            "总统",
            "首相",
            "教师",
            "医生",
            "护士",
            "律师",
            "法官",
            "民警",
            "警察",
            "司机",
            "店主",
            "老板",
            "员工",
            "职工",
            "家长",
            "志愿者",
            "摊主",
            "村医",
            "战士",
            "研究员",
            "工程师",
            "患者",
            "游客",
            "业主",
            "乡亲",
            "阿姨",
            "奶奶",
            "爷爷",
            "妈妈",
            "爸爸",
            "主持人",
            // Bodies: 县委, 市政府, 教育部, 公安局, 领导小组.
            "委",
            "政府",
            "部",
            "局",
            "厅",
            "办",
            "小组",
            "委员会",
            "中央",
        ];
        let person = ENDINGS.iter().any(|x| text.ends_with(x))
            || (self.t.surnames.has(c[s])
                && (2..=3).contains(&n)
                && !self.t.weak_surnames.has(c[s]));
        // 有人说, 如果有人说, 别人说: nobody in particular.
        if ["有人", "别人", "人们", "大家"]
            .iter()
            .any(|x| text.ends_with(x))
        {
            return None;
        }
        let bad_start = "这那此其该我你您大家各";
        if !person || bad_start.contains(c[s]) && !text.ends_with("们") {
            return None;
        }
        Some(Cand {
            start: s,
            end: e,
            text,
            kind: CandKind::Person,
        })
    }

    /// A date for words said in `a..end`: a month and day without a year (`7月16日`) takes the
    /// last year written before it; without any date in the clause, the last full date written
    /// earlier in the same paragraph (`2005年8月15日，习近平同志来到余村……他指出：`) dates it.
    fn complete_date(
        &self,
        date: Option<(String, DateMatch)>,
        a: usize,
        end: usize,
    ) -> Option<(String, DateMatch)> {
        let c = self.chars;
        match date {
            Some((text, m)) if m.iso.is_none() && !RELATIVE_DATES.contains(&text.as_str()) => {
                let pat: Vec<char> = text.chars().collect();
                let pos = (a..end.saturating_sub(pat.len().saturating_sub(1)).max(a))
                    .find(|&k| c[k..].starts_with(&pat));
                let completed =
                    pos.and_then(|pos| dates::scan_date_at(c, pos, self.year_before(pos)));
                match completed {
                    Some(m2) if m2.iso.is_some() => Some((text, m2)),
                    _ => Some((text, m)),
                }
            }
            Some(d) => Some(d),
            None => {
                // Earlier in the same paragraph only: an earlier paragraph's date is as often
                // a historical date the speech mentions (measured on the gold set).
                let mut p = a;
                while p > 0 && !is_para_break(c, p - 1) && a - p < 1200 {
                    p -= 1;
                }
                self.last_date_in(p, a)
            }
        }
    }

    /// The last full date (with a year, or a month and day under a year written before) in
    /// `p..a`.
    fn last_date_in(&self, p: usize, a: usize) -> Option<(String, DateMatch)> {
        let c = self.chars;
        let mut last = None;
        let mut k = p;
        while k < a {
            if c[k].is_ascii_digit() || "〇零一二三四五六七八九十".contains(c[k]) {
                let year = self.year_before(k);
                if let Some(m) = dates::scan_date_at(c, k, year)
                    && m.iso.is_some()
                    && m.len >= 4
                {
                    let len = m.len;
                    last = Some((collect(c, k, k + len), m));
                    k += len;
                    continue;
                }
            }
            k += 1;
        }
        last
    }

    /// The last year written before `pos` (`2018年`), within 3,000 chars.
    fn year_before(&self, pos: usize) -> Option<i32> {
        let c = self.chars;
        let floor = pos.saturating_sub(3000);
        (floor..pos.min(c.len()))
            .rev()
            .filter(|&k| c[k] == '年' && k >= floor + 4)
            .find_map(|k| dates::scan_date_at(c, k - 4, None).and_then(|m| m.year))
    }

    /// A surname and office (`关教授`, `周县长`) completed with the given name written with
    /// the same office earlier (`关品方教授`, `周刚县长`), within 5,000 chars before `pos`.
    fn full_name(&self, speaker: &str, pos: usize) -> String {
        let c = self.chars;
        let sp: Vec<char> = speaker.chars().collect();
        if sp.len() < 2 || sp.len() > 4 || !self.t.surnames.has(sp[0]) {
            return speaker.to_string();
        }
        let office: String = sp[1..].iter().collect();
        if !OFFICES.contains(&office.as_str()) {
            return speaker.to_string();
        }
        let floor = pos.saturating_sub(5000);
        for k in (floor..pos.min(c.len())).rev() {
            if c[k] != sp[0] {
                continue;
            }
            for given in [2usize, 1] {
                let o = k + 1 + given;
                if o + sp.len() - 1 <= c.len()
                    && c[k + 1..o].iter().all(|&ch| is_cjk(ch))
                    && c[o..o + sp.len() - 1] == sp[1..]
                {
                    return collect(c, k, o + sp.len() - 1);
                }
            }
        }
        speaker.to_string()
    }

    /// The speaker's label of the line starting at `line` (`杨润雄：`, `    * 王委员进士：`):
    /// spaces and a list bullet, then up to ten chars and a colon, the chars a person (杨润雄,
    /// 主持人, 王议员) or a surname, an office and a given name in the style of a legislative
    /// record (黄委员秀孟, 游院长锡堃) — not a clause (那名母亲对儿子说). Returns the label's
    /// start and end (the colon).
    fn label_of_line(&self, line: usize) -> Option<(usize, usize)> {
        let c = self.chars;
        let mut s = line;
        while s < c.len() && (is_ws(c[s]) || "*·•-".contains(c[s])) && c[s] != '\n' {
            s += 1;
        }
        let k = c
            .iter()
            .skip(s)
            .take(11)
            .position(|&ch| matches!(ch, '：' | ':'))?;
        if k < 2 || !c[s..s + k].iter().all(|&ch| is_cjk(ch)) {
            return None;
        }
        let office_style = self.t.surnames.has(c[s])
            && self
                .t
                .offices
                .at(c, s + 1)
                .is_some_and(|o| (1..=2).contains(&(k - 1 - plen(o))));
        (office_style || self.person_like(s, s + k).is_some()).then_some((s, s + k))
    }

    /// Whether a speaker's label starts at `s`, opening its line.
    fn is_turn_label(&self, s: usize) -> bool {
        let c = self.chars;
        let mut line = s;
        while line > 0 && c[line - 1] != '\n' {
            line -= 1;
        }
        self.label_of_line(line).is_some_and(|(ls, _)| ls == s)
    }

    /// Who speaks the turn of a record that `p` is in: the label of the last line before it
    /// that opens with one (`黄委员秀孟：`, `杨润雄：`), within 3,000 chars.
    pub fn turn_speaker(&self, p: usize) -> Option<String> {
        let c = self.chars;
        let floor = p.saturating_sub(3000);
        let mut k = p.min(c.len());
        while k > floor {
            k -= 1;
            if k > 0 && c[k - 1] != '\n' {
                continue;
            }
            if let Some((s, e)) = self.label_of_line(k) {
                // 陈院长冲, 王委员进士: the record writes surname, office, given name; the
                // person is 陈冲, 王进士.
                if self.t.surnames.has(c[s])
                    && let Some(o) = self.t.offices.at(c, s + 1)
                    && e > s + 1 + plen(o)
                {
                    return Some(format!("{}{}", c[s], collect(c, s + 1 + plen(o), e)));
                }
                return Some(collect(c, s, e));
            }
        }
        None
    }

    /// The last person named in the same paragraph before `p`, within `reach` chars.
    pub fn last_person_in_paragraph(&self, p: usize, reach: usize) -> Option<Cand> {
        let c = self.chars;
        let mut lo = p;
        while lo > 0 && p - lo < reach && c[lo - 1] != '\n' {
            lo -= 1;
        }
        let last = self
            .scan_region(lo, p)
            .cands
            .into_iter()
            .rfind(|c| matches!(c.kind, CandKind::Person | CandKind::Pronoun))?;
        if last.kind == CandKind::Pronoun {
            return self.person_before(last.start);
        }
        Some(last)
    }

    /// The person a pronoun at `p` most likely stands for: the last person named as a subject
    /// (at the start of a clause) within [`PRONOUN_LIMIT`] chars before it, else the last
    /// person named.
    pub fn person_before(&self, p: usize) -> Option<Cand> {
        const WINDOW: usize = 100;
        let floor = p.saturating_sub(PRONOUN_LIMIT);
        let mut hi = p;
        let mut fallback = None;
        while hi > floor {
            let lo = hi.saturating_sub(WINDOW).max(floor);
            let persons: Vec<Cand> = self
                .scan_region(lo, hi)
                .cands
                .into_iter()
                .filter(|c| c.kind == CandKind::Person)
                .collect();
            // A turn's label (`黄委员秀孟：`) is who speaks the turn: a 他 inside it is
            // someone else.
            let persons: Vec<Cand> = persons
                .into_iter()
                .filter(|c| !self.is_turn_label(c.start))
                .collect();
            let subject = |c: &Cand| {
                c.start == 0 || {
                    let before = self.chars[c.start - 1];
                    !is_cjk(before) || "日月".contains(before)
                }
            };
            if let Some(k) = persons.iter().rposition(subject) {
                return persons.into_iter().nth(k);
            }
            if fallback.is_none() {
                fallback = persons.into_iter().next_back();
            }
            hi = lo;
        }
        fallback
    }

    /// Whether the person starting at `s` is the object of `对/向/跟/给` (spoken to): such a
    /// word within the ten chars before it, with no punctuation between.
    fn spoken_to(&self, s: usize, a: usize) -> bool {
        let c = self.chars;
        let floor = s.saturating_sub(10).max(a);
        (floor..s)
            .rev()
            .take_while(|&k| is_cjk(c[k]) && !"，。；：、".contains(c[k]))
            .any(|k| {
                // 一向, 面对, 针对, 方向, 对于 are words of their own, not "to".
                "对向跟给".contains(c[k])
                    && !(k > 0 && "一面针相绝反方导走转".contains(c[k - 1]))
                    && c.get(k + 1) != Some(&'于')
                    // The one spoken to comes right after, or after a short modifier in 的
                    // (对老陈的妻子杨小兰).
                    && (k + 1 == s || c[k + 1..s].contains(&'的'))
            })
    }

    /// Attribution from the clause `a..region_end`.
    pub fn attribute(&self, a: usize, region_end: usize) -> Attr {
        let r = self.scan_region(a, region_end);
        // 他还对老陈的妻子杨小兰说: a person after 对/向/跟/给 is spoken to, not speaking.
        let person = r
            .cands
            .iter()
            .rev()
            .filter(|c| matches!(c.kind, CandKind::Person | CandKind::Pronoun))
            .find(|p| !self.spoken_to(p.start, a));
        let title = r.cands.iter().rfind(|c| c.kind == CandKind::Title);
        let body = r.cands.iter().rfind(|c| c.kind == CandKind::Body);
        let adjacent = self.body_before_verb(region_end, a).filter(|b| {
            // 7月24日召开会议: the meeting's date and verb are not its name; 站起来报告 is
            // someone reporting, not a report.
            !b.text.starts_with(['日', '月', '年', '号'])
                && !b.text.starts_with("召开")
                && !b.text.chars().any(|ch| "来起着地把被忙".contains(ch))
        });
        let generic = if person.is_none() {
            self.generic_subject(region_end, a)
                .filter(|g| !self.spoken_to(g.start, a))
        } else {
            None
        };
        let person = person.or(generic.as_ref());
        let mut via = Via::Own;
        let mut speaker = None;
        let mut gap = 0;
        let mut date = r.date.clone();
        let mut occasion = r.occasion.clone();
        if let Some(p) = person {
            gap = region_end.saturating_sub(p.end);
            if p.kind == CandKind::Pronoun {
                via = Via::Pronoun;
                if let Some(ante) = self.person_before(p.start) {
                    speaker = Some(ante.text.clone());
                    if date.is_none() || occasion.is_none() {
                        let cs = self.clause_start(ante.start);
                        let back = self.scan_region(cs, p.start);
                        date = date.or(back.date);
                        occasion = occasion.or(back.occasion);
                    }
                }
            } else {
                speaker = Some(p.text.clone());
            }
        } else if let Some(b) = adjacent.as_ref() {
            speaker = Some(b.text.clone());
        } else if let Some(b) = body
            && title.is_none_or(|t| b.start > t.start)
        {
            gap = region_end.saturating_sub(b.end);
            speaker = Some(b.text.clone());
        }
        let speaker = speaker.map(|sp| self.full_name(&sp, a));
        let source_title = title.map(|t| t.text.clone()).or_else(|| {
            speaker
                .is_none()
                .then(|| self.document_before_verb(region_end, a))
                .flatten()
        });
        if speaker.is_none()
            && let Some(t) = title
        {
            gap = region_end.saturating_sub(t.end);
        }
        if occasion.is_none() {
            occasion = source_title
                .as_deref()
                .and_then(super::titles::occasion_from_title);
        }
        if speaker.is_none() && source_title.is_none() {
            via = Via::Nothing;
        }
        let date = self.complete_date(date, a, region_end);
        let (date_text, date) = match date {
            Some((text, m)) => (Some(text), m.iso),
            None => (None, None),
        };
        Attr {
            speaker,
            source_title,
            occasion,
            date,
            date_text,
            via,
            gap,
        }
    }

    /// A document named without `《》` right before the verb at `vstart`
    /// (`2019年政府工作报告提出`, `中央一号文件还要求`): the words back to the clause's start,
    /// when they end like a document's name.
    fn document_before_verb(&self, vstart: usize, a: usize) -> Option<String> {
        let c = self.chars;
        let mut e = vstart;
        while let Some(adv) = self.t.adverbs.ending_at(c, e, a) {
            e -= plen(adv);
        }
        let mut s = e;
        while s > a
            && e - s < 24
            && (is_cjk(c[s - 1]) || c[s - 1].is_ascii_digit())
            && !"，。；：、是在了和与及把被对向说".contains(c[s - 1])
        {
            s -= 1;
        }
        let phrase = collect(c, s, e);
        (phrase.chars().count() >= 3 && names_document(&phrase)).then_some(phrase)
    }

    /// Attribution written after the quotation closing at `close`: `”李部长说。`,
    /// `”，他强调。`. Returns the attribution and the verb.
    pub fn after(&self, close: usize) -> Option<(Attr, String, AttributionReason)> {
        if let Some((a, v)) = self.after_said(close) {
            return Some((a, v, AttributionReason::AfterQuote));
        }
        self.after_following(close)
            .map(|(a, v)| (a, v, AttributionReason::FollowingSentence))
    }

    /// Whether `a..e` (before a colon) is nothing but the speaker: a label opening a line.
    pub fn is_label(&self, a: usize, e: usize) -> bool {
        let c = self.chars;
        e > a && e - a <= 8 && (a == 0 || c[a - 1] == '\n') && c[a..e].iter().all(|&ch| is_cjk(ch))
    }

    /// A speaker's label opening a line before a colon (`杨润雄：`, `主持人：`, `王议员：`):
    /// the label, when it reads as a person.
    pub fn label(&self, a: usize, e: usize) -> Option<String> {
        let c = self.chars;
        let mut s = a;
        while s < e && is_ws(c[s]) {
            s += 1;
        }
        // 问：/答：/Q：/A： are the interviewer's and the interviewee's turns, no name.
        let line_start = a == 0 || c[a - 1] == '\n';
        if !line_start || !(2..=8).contains(&(e - s)) || !c[s..e].iter().all(|&ch| is_cjk(ch)) {
            return None;
        }
        self.person_like(s, e).map(|p| p.text)
    }

    /// The reporting verb of a sentence of indirect speech that a quotation at `open` is part
    /// of: the first verb in the clause `a..open` followed by a comma (`杨润雄认为，……，“`).
    /// Returns the verb's start and the verb.
    pub fn indirect_verb(&self, a: usize, open: usize) -> Option<(usize, String)> {
        let c = self.chars;
        (a + 1..open)
            .filter(|&k| matches!(c[k], '，' | ','))
            .find_map(|k| {
                let mut e = k;
                if e > a && PARTICLES.contains(c[e - 1]) {
                    e -= 1;
                }
                self.verb_ending_at(e, a)
            })
            .filter(|(_, v)| !v.starts_with('所'))
    }

    /// `“……”。按照周总理的这一要求`, `“……”根据习近平总书记的指示`: the next sentence names
    /// whose requirement or instruction the quotation was.
    fn after_following(&self, close: usize) -> Option<(Attr, String)> {
        let c = self.chars;
        let mut j = close + 1;
        if matches!(c.get(j), Some('。' | '，' | ',')) {
            j += 1;
        }
        let head = ["按照", "根据", "遵照", "遵循", "落实", "牢记", "谨记"]
            .iter()
            .find(|h| at(c, j, h))?;
        let from = j + plen(head);
        let lim = (from + 24).min(c.len());
        let de = (from..lim).find(|&k| c[k] == '的')?;
        let mut k = de + 1;
        for det in ["这一", "这个", "这些", "这番", "这句", "一"] {
            if at(c, k, det) {
                k += plen(det);
                break;
            }
        }
        let noun = [
            "要求", "指示", "嘱托", "教导", "讲话", "号召", "精神", "叮嘱", "话",
        ]
        .iter()
        .find(|n| at(c, k, n))?;
        let r = self.scan_region(from, de);
        let p = r
            .cands
            .into_iter()
            .rfind(|c| c.kind != CandKind::Pronoun && c.end == de)?;
        let mut attr = Attr::own();
        if p.kind == CandKind::Title {
            attr.source_title = Some(p.text);
        } else {
            attr.speaker = Some(p.text);
        }
        Some((attr, noun.to_string()))
    }

    fn after_said(&self, close: usize) -> Option<(Attr, String)> {
        let c = self.chars;
        let mut j = close + 1;
        if matches!(c.get(j), Some('，' | ',')) {
            j += 1;
        }
        let lim = (j + 30).min(c.len());
        let mut k = j;
        while k < lim && (is_cjk(c[k]) || c[k].is_alphanumeric()) {
            k += 1;
        }
        // “……”，是习书记经常说的（话） / 这是刘明同志反复强调的话
        let mut verb_end = k;
        for tail in [
            "的一句名言",
            "的一句话",
            "的一段话",
            "的那句话",
            "的名言",
            "的话",
            "的",
        ] {
            if ends_at(c, verb_end, tail) && verb_end > j + plen(tail) {
                verb_end -= plen(tail);
                break;
            }
        }
        for head in ["这是", "这正是", "正是", "是"] {
            if at(c, j, head) && verb_end > j + plen(head) + 1 {
                j += plen(head);
                break;
            }
        }
        if k == j || !matches!(c.get(k), Some('。' | '，' | '！' | '；' | ',' | '!')) {
            return None;
        }
        let k = verb_end;
        let verb = self.t.post_verbs.ending_at(c, k, j + 1)?;
        let mut se = k - plen(verb);
        while let Some(adv) = self.t.adverbs.ending_at(c, se, j + 1) {
            se -= plen(adv);
        }
        let r = self.scan_region(j, se);
        // “……”周桂芳一边扫一边说: a person opening the clause is its subject, whatever
        // stands between it and the verb.
        let cand = match r.cands.iter().position(|c| c.end == se) {
            Some(k) => r.cands.into_iter().nth(k),
            None => r
                .cands
                .into_iter()
                .next()
                .filter(|c| c.start == j && c.kind == CandKind::Person && se - c.end <= 10),
        };
        let mut attr = Attr::own();
        match cand {
            Some(p) if p.kind == CandKind::Pronoun => {
                attr.via = Via::Pronoun;
                attr.speaker = self.person_before(close).map(|a| a.text);
            }
            Some(p) if p.kind == CandKind::Title => attr.source_title = Some(p.text),
            Some(p) => attr.speaker = Some(p.text),
            None if (2..=4).contains(&(se - j)) && self.t.surnames.has(c[j]) => {
                attr.speaker = Some(collect(c, j, se));
            }
            // 赵德明高兴地说, 王芳笑着说: a name of two or three chars, then an adverbial of
            // two to four chars ending in 地 or 着.
            None if self.t.surnames.has(c[j])
                && let Some(n) = [3usize, 2].into_iter().find(|&n| {
                    let adv = se.saturating_sub(j + n);
                    (3..=5).contains(&adv)
                        && matches!(c[se - 1], '地' | '着')
                        && c[j..se].iter().all(|&ch| is_cjk(ch))
                }) =>
            {
                attr.speaker = Some(collect(c, j, j + n));
            }
            // 老支书笑着说, 一位村民感慨道, 钱副县长对记者说: whoever the clause's subject
            // is, read as before a verb (adverbials and objects skipped).
            None => {
                let g = self.generic_subject(k - plen(verb), j)?;
                if g.kind == CandKind::Pronoun {
                    attr.via = Via::Pronoun;
                    attr.speaker = self.person_before(close).map(|a| a.text);
                } else {
                    attr.speaker = Some(g.text);
                }
            }
        }
        Some((attr, verb.to_string()))
    }
}
