//! Person names of one text, learnt from the text itself.
//!
//! A speech or a news feature names ordinary people — `村党支部书记刘德胜`, `53岁的李红梅`,
//! `发言人付凌晖` — that no list can hold. One linear pass over the text collects the names
//! written where only a name can stand:
//! * after a role word: `书记刘德胜说`, `记者王晓东报道`, `村民张秀兰正在`;
//! * after an age: `53岁的李红梅`;
//! * before a reporting verb at the start of a clause: `，刘德胜说`, `。王建国表示`;
//! * `老王` / `小李` before a reporting verb.
//!
//! A name is a common surname and one or two chars, and must end where a name ends (before a
//! verb, a preposition or punctuation). Every later (and earlier) occurrence of a name learnt
//! so is then a person to the attribution rules, so `他说` and `“……”她笑着说` resolve to it.

use std::collections::HashSet;

use super::text::{Bitmap, CharSet, Pats, is_cjk};

/// Surnames a learnt name may start with besides the attribution rules' own
/// ([`super::attribution::SURNAMES`]): common ones that are rarely a word of their own before a
/// role's name.
const MORE_SURNAMES: &str = "万任康毕安傅萧湛禹臧伏谈茅纪舒蓝闵席季麻娄危童颜梅盛刁霍虞柯裘缪郁杭甄芮靳邴糜巫巴弓隗仲伊仇栾厉戎祖詹韶郜蒲邰鄂蔺屠蒙胥贡姬申郦雍濮扈晏茹庾耿寇阙晁阚饶鞠蒯";

/// Two-char surnames.
const DOUBLE_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
    "长孙", "宇文", "端木", "独孤", "南宫", "西门",
];

/// Words that stand for a person's role right before the person's name, besides the offices
/// the attribution rules know ([`super::attribution::OFFICES`]: 书记, 主任, 教授 …).
const ROLES: &[&str] = &[
    "支书",
    "副主任",
    "副局长",
    "所长",
    "站长",
    "厂长",
    "队长",
    "组长",
    "班长",
    "社长",
    "行长",
    "馆长",
    "经理",
    "总裁",
    "总监",
    "副主席",
    "常委",
    "发言人",
    "负责人",
    "记者",
    "通讯员",
    "编辑",
    "主编",
    "总编",
    "作者",
    "副教授",
    "研究员",
    "学者",
    "专家",
    "教师",
    "班主任",
    "学生",
    "同学",
    "医生",
    "医师",
    "护士",
    "律师",
    "法官",
    "检察官",
    "民警",
    "警官",
    "工程师",
    "技术员",
    "会计",
    "工人",
    "农民",
    "村民",
    "居民",
    "市民",
    "网友",
    "老板",
    "店主",
    "摊主",
    "司机",
    "师傅",
    "家长",
    "志愿者",
    "创始人",
    "作家",
    "诗人",
    "画家",
    "导演",
    "演员",
    "歌手",
    "运动员",
    "教练",
    "战士",
    "排长",
    "连长",
    "营长",
    "团长",
    "师长",
    "军长",
    "司令",
    "大使",
    "总统",
    "首相",
    "部长助理",
    "干部",
    "党员",
    "职工",
    "员工",
    "老人",
    "母亲",
    "父亲",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "爷爷",
    "奶奶",
    "工友",
    "小伙子",
    "小伙",
    "姑娘",
    "男子",
    "女子",
    "男孩",
    "女孩",
    "大姐",
    "大哥",
    "店员",
    "保安",
    "厨师",
    "农民工",
    "打工者",
    "外卖员",
    "快递员",
    "骑手",
    "清洁工",
    "保姆",
    "护工",
    "患者",
    "病人",
    "家属",
    "当事人",
    "受害人",
    "嫌疑人",
    "被告人",
    "村支书",
    "老支书",
    "同事",
    "邻居",
    "朋友",
    "大爷",
    "大妈",
    "阿姨",
    "老汉",
    "村医",
    "支部书记",
    "党支部书记",
    "第一书记",
    "主持人",
    "硕士",
    "烈士",
];

/// Chars a name is followed by: the start of a reporting verb, a preposition, an adverb or
/// punctuation (not `的`: `代表范围内的` is no name).
const AFTER_NAME: &str = "说讲称表告介坦回认指道透感笑叹答问对向在从于今也还又就则便都曾已，。：:、；（(“「”」谈写提解补呼喊坚率带报分";

/// Chars that never stand inside a two- or three-char name.
const NOT_IN_NAME: &str = "的了是在和与及说对向就也都还又把被将这那其之为以而们个位名些讲表指告我你他她它年月日时地着得省市县区镇乡";

/// Chars that are more often a word of their own than a one-char given name (`马上`).
const NOT_A_GIVEN_NAME: &str =
    "上下前后中内外来去先再即立便刻均全共同已曾正要会能可应该都也还才仍却者于此级面方";

/// Reporting verbs that start a clause's predicate right after a name (`刘德胜说`).
const VERBS_AFTER: &[&str] = &[
    "说",
    "表示",
    "告诉",
    "介绍",
    "坦言",
    "回忆",
    "认为",
    "指出",
    "强调",
    "透露",
    "感慨",
    "感叹",
    "解释",
    "补充",
    "笑着",
    "笑道",
    "答道",
    "回答",
    "问道",
    "直言",
    "坦承",
    "承认",
    "提到",
    "谈到",
    "讲到",
    "写道",
    "称",
    "对记者",
    "向记者",
    "接受",
];

/// Names learnt from one text.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Sorted, for lookups by slice.
    list: Vec<Vec<char>>,
    firsts: CharSet,
}

struct Tables {
    /// Chars where something [`Names::learn`] looks for can start.
    interesting: Bitmap,
    surnames: Bitmap,
    doubles: Pats,
    roles: Pats,
    verbs_after: Pats,
}

fn tables() -> &'static Tables {
    static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let roles: Vec<&'static str> = super::attribution::OFFICES
            .iter()
            .chain(ROLES)
            .copied()
            .collect();
        let roles = Pats::new(&roles);
        let doubles = Pats::new(DOUBLE_SURNAMES);
        let surnames = || {
            super::attribution::SURNAMES
                .chars()
                .chain(MORE_SURNAMES.chars())
        };
        let interesting = Bitmap::new(
            doubles
                .firsts()
                .iter()
                .copied()
                .chain(surnames())
                .chain("老小".chars()),
        );
        Tables {
            interesting,
            surnames: Bitmap::new(surnames()),
            doubles,
            roles,
            verbs_after: Pats::new(VERBS_AFTER),
        }
    })
}

/// Whether `c` may stand inside a name.
fn name_char(c: char) -> bool {
    is_cjk(c) && !NOT_IN_NAME.contains(c)
}

impl Names {
    /// Learns the names of `chars` (the prepared, Simplified text). Linear in the text.
    pub fn learn(chars: &[char]) -> Names {
        let t = tables();
        let mut set = HashSet::new();
        let n = chars.len();
        let mut i = 0;
        while i < n {
            let ch = chars[i];
            // Only where a name can start: a surname, or 老/小 before one.
            if !t.interesting.has(ch) {
                i += 1;
                continue;
            }
            // After a role word (书记刘德胜说, 记者王晓东报道) or an age (53岁的李红梅).
            let after_role = t.roles.ending_at(chars, i, i.saturating_sub(6)).is_some();
            let after_age = i >= 3
                && chars[i - 1] == '的'
                && chars[i - 2] == '岁'
                && chars[i - 3].is_ascii_digit();
            // 工友老马, 师傅小李: 老/小 and a surname after a role.
            if after_role
                && matches!(ch, '老' | '小')
                && chars.get(i + 1).is_some_and(|c| t.surnames.has(*c))
            {
                set.insert(chars[i..i + 2].to_vec());
                i += 1;
                continue;
            }
            if (after_role || after_age)
                && let Some(e) = name_at(chars, i)
            {
                set.insert(chars[i..e].to_vec());
                i += 1;
                continue;
            }
            // At a clause start, before a reporting verb: ，刘德胜说 / 老王说.
            let clause_start = i == 0 || "，。；：！？\n”」 　,:;".contains(chars[i - 1]);
            if clause_start {
                if matches!(ch, '老' | '小') {
                    if chars.get(i + 1).is_some_and(|c| t.surnames.has(*c))
                        && t.verbs_after.at(chars, i + 2).is_some()
                    {
                        set.insert(chars[i..i + 2].to_vec());
                    }
                } else if let Some(e) = name_at(chars, i)
                    && e - i >= 3
                    && t.verbs_after.at(chars, e).is_some()
                {
                    set.insert(chars[i..e].to_vec());
                }
            }
            i += 1;
        }
        let firsts: String = set.iter().filter_map(|n| n.first()).collect();
        let mut list: Vec<Vec<char>> = set.into_iter().collect();
        list.sort_unstable();
        Names {
            list,
            firsts: CharSet::new(&firsts),
        }
    }

    /// Whether a learnt name starts with `c`.
    pub fn starts_with(&self, c: char) -> bool {
        self.firsts.has(c)
    }

    /// The learnt name starting at `i`, longest first: its end.
    pub fn at(&self, chars: &[char], i: usize, b: usize) -> Option<usize> {
        if self.list.is_empty() {
            return None;
        }
        (2..=4)
            .rev()
            .map(|len| i + len)
            .filter(|&e| e <= b && e <= chars.len())
            .find(|&e| {
                self.list
                    .binary_search_by(|n| n.as_slice().cmp(&chars[i..e]))
                    .is_ok()
            })
    }

    /// Whether `name` was learnt.
    #[cfg(test)]
    pub fn contains(&self, name: &str) -> bool {
        let v: Vec<char> = name.chars().collect();
        self.list.contains(&v)
    }
}

/// A name starting at `s`: a surname (one or two chars) and one or two name chars, followed
/// by a char a name ends before; the longer name is tried first.
fn name_at(chars: &[char], s: usize) -> Option<usize> {
    let t = tables();
    let sur = if let Some(d) = t.doubles.at(chars, s) {
        super::text::plen(d)
    } else if chars.get(s).is_some_and(|c| t.surnames.has(*c)) {
        1
    } else {
        return None;
    };
    for g in [2, 1] {
        let e = s + sur + g;
        if e > chars.len() {
            continue;
        }
        if !chars[s + sur..e].iter().all(|&c| name_char(c)) {
            continue;
        }
        // 马上, 王者, 高于: a single given char that is more often a word of its own.
        if g == 1 && NOT_A_GIVEN_NAME.contains(chars[s + sur]) {
            continue;
        }
        let next = chars.get(e).copied();
        let ends = next.is_none_or(|c| AFTER_NAME.contains(c) || !is_cjk(c));
        if ends {
            return Some(e);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learn(s: &str) -> Names {
        let c: Vec<char> = s.chars().collect();
        Names::learn(&c)
    }

    #[test]
    fn names_after_roles_ages_and_before_verbs() {
        let n = learn(
            "村党支部书记刘德胜说：“好。”53岁的李红梅在合作社打工。记者王晓东报道。\
             国家统计局发言人付凌晖在发布会上表示。他走后，陈思远告诉记者，老王说过。",
        );
        for name in ["刘德胜", "李红梅", "王晓东", "付凌晖", "陈思远", "老王"] {
            assert!(n.contains(name), "{name}");
        }
    }

    #[test]
    fn words_after_roles_are_not_names() {
        let n = learn("书记说，主任在会上讲，记者的问题，老师们都说好，工人和农民一起干。");
        assert!(n.list.is_empty(), "{:?}", n.list);
    }
}
