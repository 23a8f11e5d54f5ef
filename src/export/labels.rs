//! The fixed words exports write — headings, comment labels, status words, table headers —
//! in English and Chinese, all in this one table so no label is scattered over the writers.
//!
//! Chinese labels use full-width punctuation (`：`, `，`, `（）`, `；`), English ones ASCII.
//! The library's default is English; the command line picks the language from `--lang` or the
//! locale ([`Lang::system`]), the window from its interface language.

use crate::analysis::Warning;
use crate::model::{SourceKind, VerifyStatus};

/// The language of an export's fixed labels (the user's text is never translated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language for a POSIX or BCP 47 locale name, by the rule the window uses: `zh…` is
    /// Chinese, anything else (including `C` and an empty name) English.
    pub fn from_locale(locale: &str) -> Lang {
        let lang = locale.split(['-', '_', '.', '@']).next().unwrap_or("");
        if lang.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language the environment asks for, found as the window finds its interface
    /// language (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` on Unix; the user's setting on
    /// Windows and macOS); English when it says nothing usable.
    pub fn system() -> Lang {
        sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
    }

    /// The command-line name: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The table of labels.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    /// A verification status in words: `verbatim`, `variant`, `abridged`, `not_found`
    /// ([`VerifyStatus::word`], what tables and scripts expect) or 一致, 有出入, 节引, 未找到.
    pub fn status(self, s: VerifyStatus) -> &'static str {
        match self {
            Lang::En => s.word(),
            Lang::Zh => s.label_zh(),
        }
    }

    /// `Tags: a; b / c` or `标签：a；b / c`.
    pub fn tags_line(self, paths: &[String]) -> String {
        let l = self.labels();
        format!("{}{}", l.tags_prefix, paths.join(l.list_separator))
    }

    /// `Source: CITATION` or `来源：CITATION`, for a directive with a linked source.
    pub fn source_line(self, citation: &str) -> String {
        format!("{}{citation}", self.labels().source_prefix)
    }

    /// What a directive without a linked source says instead of a source line:
    /// `No linked source (attributed to 讲话人《title》)` or `未关联出处（文中称：讲话人《title》）`;
    /// without the parenthesis when the speech names nobody.
    pub fn unlinked_source(self, attributed_to: Option<&str>) -> String {
        let attributed_to = attributed_to.map(str::trim).filter(|s| !s.is_empty());
        match (self, attributed_to) {
            (Lang::En, Some(who)) => format!("No linked source (attributed to {who})"),
            (Lang::Zh, Some(who)) => format!("未关联出处（文中称：{who}）"),
            (_, None) => self.labels().no_linked_source.to_string(),
        }
    }

    /// `Verification: verbatim (similarity 0.97)` or `核对：一致（相似度 0.97）`; `stale` adds
    /// that the quotation changed since.
    pub fn verification_line(self, status: VerifyStatus, similarity: f32, stale: bool) -> String {
        let l = self.labels();
        let mut s = match self {
            Lang::En => format!(
                "{}{} (similarity {similarity:.2})",
                l.verification_prefix,
                self.status(status)
            ),
            Lang::Zh => format!(
                "{}{}（相似度 {similarity:.2}）",
                l.verification_prefix,
                self.status(status)
            ),
        };
        if stale {
            s.push_str(l.stale_suffix);
        }
        s
    }

    /// A text warning's kind in words (`letter for digit`, 字母混入数字, …); an unknown kind as
    /// it is.
    pub fn warning_kind(self, kind: &str) -> &str {
        let zh = self == Lang::Zh;
        match kind {
            "digit_letter_confusion" if zh => "字母混入数字",
            "digit_letter_confusion" => "letter for digit",
            "placeholder_year" if zh => "占位年份",
            "placeholder_year" => "placeholder year",
            "boilerplate" if zh => "网页残留",
            "boilerplate" => "web-page debris",
            "unbalanced_quotes" if zh => "引号不成对",
            "unbalanced_quotes" => "unbalanced quotation marks",
            other => other,
        }
    }

    /// Why a passage is marked as a text warning, with the suggestion:
    /// `letter for digit; suggested: 2006`, `web-page debris; suggested: delete`,
    /// 字母混入数字，建议改为：2006, 网页残留，建议删除.
    pub fn warning_reason(self, w: &Warning) -> String {
        let kind = self.warning_kind(&w.kind);
        let suggestion = w
            .suggestion
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (self, suggestion) {
            (_, None) => kind.to_string(),
            (Lang::En, Some(s)) => format!("{kind}; suggested: {s}"),
            (Lang::Zh, Some("delete")) => format!("{kind}，建议删除"),
            (Lang::Zh, Some(s)) => format!("{kind}，建议改为：{s}"),
        }
    }

    /// The table headings ([`super::COLUMNS`] in English, unchanged, so scripts keep working).
    pub fn columns(self) -> [&'static str; 11] {
        match self {
            Lang::En => super::COLUMNS,
            Lang::Zh => [
                "文档",
                "段落",
                "类型",
                "引文",
                "标签",
                "注释",
                "讲话人",
                "日期",
                "来源标题",
                "文号",
                "核对结果",
            ],
        }
    }

    /// The headings of the workbook's "Sources" sheet.
    pub fn source_columns(self) -> [&'static str; 6] {
        match self {
            Lang::En => ["title", "issuer", "date", "doc_number", "kind", "url"],
            Lang::Zh => ["标题", "发文机关", "日期", "文号", "类型", "网址"],
        }
    }

    /// A kind of source in words.
    pub fn source_kind(self, k: SourceKind) -> &'static str {
        match self {
            Lang::En => k.label(),
            Lang::Zh => match k {
                SourceKind::Speech => "讲话",
                SourceKind::Document => "文件",
                SourceKind::Meeting => "会议",
                SourceKind::Law => "法规",
                SourceKind::Other => "其他",
            },
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// `zh` or `en` (case-insensitive; a locale such as `zh_CN` or `en-GB` is read by its
    /// language).
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let lang = t.split(['-', '_', '.', '@']).next().unwrap_or("");
        if lang.eq_ignore_ascii_case("zh") {
            Ok(Lang::Zh)
        } else if lang.eq_ignore_ascii_case("en") {
            Ok(Lang::En)
        } else {
            Err(format!("unknown language \"{t}\": use zh or en"))
        }
    }
}

/// The simple labels of one language (composite phrases are methods of [`Lang`]).
#[derive(Debug)]
pub struct Labels {
    /// Name of an export of several documents (the page's and the file's title).
    pub export_title: &'static str,
    /// Metadata field: speaker.
    pub speaker: &'static str,
    /// Metadata field: date.
    pub date: &'static str,
    /// Metadata field: occasion.
    pub occasion: &'static str,
    /// Metadata field: place.
    pub place: &'static str,
    /// Metadata field: group.
    pub group: &'static str,
    /// Metadata field: level (中央 / 省 / 市 / 县).
    pub level: &'static str,
    /// Metadata field: region.
    pub region: &'static str,
    /// Metadata field: kind of document.
    pub kind: &'static str,
    /// A document's or the workspace's memo.
    pub memo: &'static str,
    /// Heading of the tag legend.
    pub legend_heading: &'static str,
    /// Heading of the list of tags (Markdown).
    pub tags_heading: &'static str,
    /// Heading of the list of sources.
    pub sources_heading: &'static str,
    /// Heading of the footnotes.
    pub notes_heading: &'static str,
    /// Link text of a footnote's way back, for screen readers.
    pub back: &'static str,
    /// A directive not yet verified.
    pub unverified: &'static str,
    /// A directive without a linked source, when the speech names nobody.
    pub no_linked_source: &'static str,
    /// Before the tag list of a comment: `Tags: `.
    pub tags_prefix: &'static str,
    /// Between items of a list in running text: `; `.
    pub list_separator: &'static str,
    /// Before a linked source's citation: `Source: `.
    pub source_prefix: &'static str,
    /// Before a verification status: `Verification: `.
    pub verification_prefix: &'static str,
    /// After a verification made before the quotation was corrected.
    pub stale_suffix: &'static str,
    /// Between the parts of a footnote (source, verification, note).
    pub part_separator: &'static str,
    /// Between a field's name and its value: `: ` or `：`.
    pub colon: &'static str,
    /// Table kind of a plain annotation.
    pub kind_annotation: &'static str,
    /// Table kind of a quoted directive.
    pub kind_directive: &'static str,
    /// Name of the workbook's annotation sheet.
    pub annotations_sheet: &'static str,
    /// Name of the workbook's source sheet.
    pub sources_sheet: &'static str,
}

static EN: Labels = Labels {
    export_title: "Annotated quotations",
    speaker: "Speaker",
    date: "Date",
    occasion: "Occasion",
    place: "Place",
    group: "Group",
    level: "Level",
    region: "Region",
    kind: "Kind",
    memo: "Memo",
    legend_heading: "Tags",
    tags_heading: "Tags",
    sources_heading: "Sources",
    notes_heading: "Notes",
    back: "back",
    unverified: "unverified",
    no_linked_source: "No linked source",
    tags_prefix: "Tags: ",
    list_separator: "; ",
    source_prefix: "Source: ",
    verification_prefix: "Verification: ",
    stale_suffix: " — the quotation changed since; verify again",
    part_separator: "; ",
    colon: ": ",
    kind_annotation: "annotation",
    kind_directive: "directive",
    annotations_sheet: "Annotations",
    sources_sheet: "Sources",
};

static ZH: Labels = Labels {
    export_title: "引文标注导出",
    speaker: "讲话人",
    date: "日期",
    occasion: "场合",
    place: "地点",
    group: "分组",
    level: "层级",
    region: "地区",
    kind: "文种",
    memo: "备忘",
    legend_heading: "标签图例",
    tags_heading: "标签",
    sources_heading: "引用来源",
    notes_heading: "注释",
    back: "返回",
    unverified: "未核对",
    no_linked_source: "未关联出处",
    tags_prefix: "标签：",
    list_separator: "；",
    source_prefix: "来源：",
    verification_prefix: "核对：",
    stale_suffix: "，引文此后有改动，需重新核对",
    part_separator: "。",
    colon: "：",
    kind_annotation: "标注",
    kind_directive: "引文",
    annotations_sheet: "标注",
    sources_sheet: "来源",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_as_the_window_maps_them() {
        for name in [
            "zh_CN.UTF-8",
            "zh-CN",
            "zh-TW",
            "zh_TW.Big5",
            "zh-Hans-CN",
            "ZH",
            "en_US",
            "en-GB.UTF-8",
            "C",
            "POSIX",
            "",
            "fr_FR@euro",
        ] {
            let window = crate::ui::i18n::language_for_locale(name);
            let want = if window == crate::ui::i18n::Language::Chinese {
                Lang::Zh
            } else {
                Lang::En
            };
            assert_eq!(Lang::from_locale(name), want, "{name:?}");
        }
    }

    #[test]
    fn command_line_names_parse() {
        for (s, want) in [
            ("zh", Lang::Zh),
            ("ZH", Lang::Zh),
            ("zh-CN", Lang::Zh),
            ("zh_CN", Lang::Zh),
            ("en", Lang::En),
            ("en-GB", Lang::En),
        ] {
            assert_eq!(s.parse::<Lang>(), Ok(want), "{s}");
        }
        for bad in ["xx", "", "chinese", "z"] {
            let e = bad.parse::<Lang>().unwrap_err();
            assert!(e.contains("use zh or en"), "{e}");
        }
        for l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
        }
    }

    #[test]
    fn chinese_labels_use_full_width_punctuation() {
        let zh = Lang::Zh;
        assert_eq!(
            zh.tags_line(&["甲".into(), "乙 / 丙".into()]),
            "标签：甲；乙 / 丙"
        );
        assert_eq!(zh.source_line("国务院《意见》"), "来源：国务院《意见》");
        assert_eq!(
            zh.unlinked_source(Some("胡锦涛《讲话》")),
            "未关联出处（文中称：胡锦涛《讲话》）"
        );
        assert_eq!(zh.unlinked_source(Some("  ")), "未关联出处");
        assert_eq!(
            zh.verification_line(VerifyStatus::Variant, 0.875, false),
            "核对：有出入（相似度 0.88）"
        );
        for s in [
            VerifyStatus::Verbatim,
            VerifyStatus::Variant,
            VerifyStatus::Abridged,
            VerifyStatus::NotFound,
        ] {
            assert!(!zh.status(s).is_ascii());
            assert_eq!(Lang::En.status(s), s.word());
        }
        let en = Lang::En;
        assert_eq!(
            en.verification_line(VerifyStatus::Verbatim, 1.0, false),
            "Verification: verbatim (similarity 1.00)"
        );
        assert_eq!(
            en.unlinked_source(Some("胡锦涛")),
            "No linked source (attributed to 胡锦涛)"
        );
        assert_eq!(en.unlinked_source(None), "No linked source");
        assert_eq!(en.columns(), super::super::COLUMNS);
        let w = Warning {
            kind: "digit_letter_confusion".into(),
            text: "2O05".into(),
            start: 0,
            end: 4,
            suggestion: Some("2005".into()),
        };
        assert_eq!(zh.warning_reason(&w), "字母混入数字，建议改为：2005");
        assert_eq!(en.warning_reason(&w), "letter for digit; suggested: 2005");
        let debris = Warning {
            kind: "boilerplate".into(),
            suggestion: Some("delete".into()),
            ..w
        };
        assert_eq!(zh.warning_reason(&debris), "网页残留，建议删除");
    }
}
