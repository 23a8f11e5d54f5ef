//! The sample workspaces.
//!
//! [`sample_workspace`], offered on first launch, holds one real speech — a Ministry of Civil
//! Affairs official's address to Changchun's 2007 community-building conference, as copied from
//! a web page, with its damaged years and the page's "related articles" list still in it —
//! together with a small codebook, a dozen annotations that show what the workbench is for
//! (tagging passages, noting what quotations say and where they come from, flagging problems of
//! the text itself), the speech's six quoted directives with their attributions, and a source
//! library of the speeches and documents it quotes or cites (records only: their texts are not
//! public in the corpus the project was built with).
//!
//! [`verification_sample`] shows quotation checking against real source text: a short
//! constructed review memo (引文核对练习) quoting the reports to the 17th and 19th CPC National
//! Congresses, whose full texts are in its source library, with one quotation of each kind
//! verification reports — verbatim, variant, abridged, not found, and one misattributed.
//!
//! Everything is built through the public model API and [`Workspace::apply`], exactly as the
//! user's own edits are, so each sample is always a workspace the program itself could have
//! produced. Annotations find their passages by searching the text for exact quotes; a quote
//! that is not in the text is a bug and panics (the tests below catch it).

use std::ops::Range;

use crate::analysis::verify::SourceIndex;
use crate::import::{self, Decoded, EncodingChoice};
use crate::model::{
    Anchor, AnnId, Annotation, Attribution, CharIndex, Command, DirectiveInfo, DocId, DocMeta,
    Document, Origin, PALETTE, Source, SourceId, SourceKind, Tag, TagId, Verification, Workspace,
};

/// File name shown as the sample speech's origin.
pub const SAMPLE_SPEECH_NAME: &str = "changchun-community-2007.txt";

/// The seed speech's bytes.
pub const SAMPLE_SPEECH: &[u8] = include_bytes!("../sample_data/changchun-community-2007.txt");

/// One codebook entry: name, parent name (`None` for a top-level tag), colour, description.
type TagSpec = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
);

/// The sample codebook. Parents come before their children; names are unique.
const CODEBOOK: &[TagSpec] = &[
    (
        "社区服务",
        None,
        PALETTE[1],
        "社区为居民提供的各类服务及和谐社区建设的总体要求。",
    ),
    (
        "社区卫生",
        Some("社区服务"),
        PALETTE[2],
        "社区卫生服务、医疗保健及相关政策文件。",
    ),
    (
        "社区服务体系",
        Some("社区服务"),
        PALETTE[7],
        "服务的机制与体制安排：行政、互助、志愿、市场机制，公共服务与社区服务业。",
    ),
    (
        "党建",
        None,
        PALETTE[5],
        "党的建设，党的会议、文件和领导人讲话的政治背景。",
    ),
    (
        "基层党组织",
        Some("党建"),
        PALETTE[4],
        "社区党组织的建设、作用和能力要求。",
    ),
    ("民生", None, PALETTE[0], "居民的生活困难、需求与保障。"),
    (
        "基层自治",
        None,
        PALETTE[3],
        "城乡基层群众自治组织与社区治理。",
    ),
    (
        "居民自治",
        Some("基层自治"),
        PALETTE[3],
        "居民依法自治，以及政府管理与居民自治的衔接。",
    ),
    (
        "社区工作者",
        Some("基层自治"),
        PALETTE[0],
        "社区干部和社区工作者队伍、典型人物。",
    ),
    (
        "文本问题",
        None,
        PALETTE[6],
        "录入或转载造成的问题：错字（如2O06）、年份被改成20xx、脱字、截断、网页残留。",
    ),
];

/// One sample annotation: the exact passage (its first occurrence in the speech is used), the
/// names of its tags (the first one gives the highlight colour) and the note.
struct AnnSpec {
    quote: &'static str,
    tags: &'static [&'static str],
    note: &'static str,
}

/// The sample annotations, in the order they are added (their IDs follow this order).
const ANNOTATIONS: &[AnnSpec] = &[
    AnnSpec {
        quote: "用实际行动喜迎党的十七大胜利召开",
        tags: &["党建"],
        note: "会议被说成喜迎十七大的举措，可见讲话在2007年10月十七大开幕之前；\
               文中又提到2007年7月28日胡锦涛考察王马社区，讲话当在7月底至10月中旬之间。",
    },
    AnnSpec {
        quote: "2O06年3月长春涌现出的我国“社区工作者楷模”谭竹青同志，不仅为全国的社区工作者\
                树立了永远学习的榜样，而且向全国上下展示了广大社区工作者艰苦创业、默默奉献、\
                一心为民的崇高精神",
        tags: &["社区工作者"],
        note: "谭竹青是长春的老社区干部，2006年被树为全国“社区工作者楷模”；\
               讲话借她说明长春社区工作者队伍的精神和在全国的影响。",
    },
    AnnSpec {
        quote: "2O06",
        tags: &["文本问题"],
        note: "字母O误作数字0：“2O06”应为“2006”。全文还有“2O05”“20O7”“国发[2O06]”等同类错误，\
               按年份检索时会漏掉这些地方。",
    },
    AnnSpec {
        quote: "如何充分发挥行政机制、互助机制、志愿机制、市场机制在社区服务中的作用，\
                实现社区居民困有所助、难有所帮、需有所应",
        tags: &["社区服务体系", "民生"],
        note: "提出社区服务要靠行政、互助、志愿、市场四种机制共同支撑；\
               “困有所助、难有所帮、需有所应”是对民生目标的通俗概括。",
    },
    AnnSpec {
        quote: "促进政府行政管理和社区自我管理有效衔接、政府依法行政和居民依法自治良性互动",
        tags: &["居民自治"],
        note: "讲政府管理与居民自治的关系；随后的十七大报告有“实现政府行政管理与基层群众自治\
               有效衔接和良性互动”的相近提法。",
    },
    AnnSpec {
        quote: "如何加强和改进社区党的建设，不断提高社区党组织的服务力、凝聚力、战斗力、创造力",
        tags: &["基层党组织"],
        note: "把社区党建列为有待研究的问题之一，要求社区党组织提高“四力”，其中服务力排在首位。",
    },
    AnnSpec {
        quote: "努力把城乡社区建设成为管理有序、服务完善、文明祥和的生活共同体",
        tags: &["社区服务"],
        note: "未加引号地化用了六中全会《决定》的表述（下文引作“把社区建设成为管理有序、服务完善、\
               文明祥和的社会生活共同体”），少了“社会”二字。",
    },
    AnnSpec {
        quote: "20xx年2月，胡锦涛",
        tags: &["文本问题"],
        note: "年份在转载中被改成了“20xx”（文中多处如此）；省部级主要领导干部提高构建社会主义\
               和谐社会能力专题研讨班于2005年2月举办，此处应为2005年。",
    },
    AnnSpec {
        quote: "胡锦涛“在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话”中指出：\
                “要加强城乡基层自治组织建设，从建设和谐社区入手，使社区在提高居民生活水平和质量上\
                发挥服务作用，在密切党和政府同人民群众的关系上发挥桥梁作用，在维护社会稳定、\
                为群众创造安居乐业的良好环境上发挥促进作用。”",
        tags: &["基层自治", "社区服务"],
        note: "引胡锦涛2005年2月研讨班讲话，把社区的作用概括为服务、桥梁、促进三种作用；\
               这是全文引用的第一条中央领导论述，核对引文时应以讲话原文为准。",
    },
    AnnSpec {
        quote: "我们把社区叫做整个社会特别是城市的细胞。城市社区工作做好了，就能为群众提供生活、\
                医疗、文化、体育、就业、学习等方面的服务，群众有困难就可以找社区。",
        tags: &["社区服务", "民生"],
        note: "温家宝在接见第十二次全国民政会议代表时把社区称为城市的“细胞”，\
               列举社区应提供的六类服务，落脚在“群众有困难就可以找社区”。",
    },
    AnnSpec {
        quote: "‘小巷’他们应该受到尊重",
        tags: &["社区工作者", "文本问题"],
        note: "“小巷总理”是对社区居委会主任的俗称，这里脱了“总理”二字；前文“国务院温家宝”\
               也少了“总理”，疑为转载网站过滤所致。",
    },
    AnnSpec {
        quote: "《国务院关于发展城市社区卫生服务的指导意见》(国发[2O06]10号)、\
                《国务院关于加强和改进社区服务工作的意见》(国发[20xx]14号)对城市社区卫生服务、\
                社区公共服务、社区互助和志愿服务、发展社区服务业等都做出了重要部署",
        tags: &["社区卫生", "社区服务体系"],
        note: "两份2006年的国务院文件，分别部署社区卫生服务和社区服务体系建设；\
               文号中的“2O06”“20xx”都应为“2006”。",
    },
    AnnSpec {
        quote: "有智慧为研究解决社区。",
        tags: &["文本问题"],
        note: "讲话在此中断，句子不完整，结尾部分缺失；不能把这里当作讲话的结束语引用。",
    },
    AnnSpec {
        quote: "看过市社区建设工作会议讲话的人还看了：\n1.社区建设工作会议讲话\n\
                2.社区建设工作会领导讲话\n3.在社区工作会议上的讲话\n\
                4.县长在社区建设会议上讲话\n5.社区建设领导讲话",
        tags: &["文本问题"],
        note: "网页上的“看过…的人还看了”推荐列表，不属于讲话正文；统计字数或引用时应排除。",
    },
];

pub use crate::model::DIRECTIVE_COLOR;

/// One source record. Fields are as in [`Source`]; `key` only names it in these tables, and
/// `text`, when given, is an embedded file (name and bytes) imported as the source's full text.
struct SourceSpec {
    key: &'static str,
    kind: SourceKind,
    title: &'static str,
    issuer: &'static str,
    date: &'static str,
    doc_number: &'static str,
    occasion: &'static str,
    place: &'static str,
    url: &'static str,
    notes: &'static str,
    text: Option<(&'static str, &'static [u8])>,
}

impl SourceSpec {
    /// A spec with every field empty but its key.
    const fn empty(key: &'static str) -> SourceSpec {
        SourceSpec {
            key,
            kind: SourceKind::Speech,
            title: "",
            issuer: "",
            date: "",
            doc_number: "",
            occasion: "",
            place: "",
            url: "",
            notes: "",
            text: None,
        }
    }
}

/// An attribution as the text states it; `abridged` is derived from the quote and `confidence`
/// is 1 (entered by hand).
struct AttrSpec {
    speaker: &'static str,
    source_title: &'static str,
    occasion: &'static str,
    date: &'static str,
    date_text: &'static str,
    verb: &'static str,
    doc_number: &'static str,
}

impl AttrSpec {
    /// An attribution with every field empty.
    const fn empty() -> AttrSpec {
        AttrSpec {
            speaker: "",
            source_title: "",
            occasion: "",
            date: "",
            date_text: "",
            verb: "",
            doc_number: "",
        }
    }
}

/// One quoted directive: the text inside the outermost “ ” (its first occurrence is used), the
/// key of the source it is linked to, its tags, note and attribution.
struct DirectiveSpec {
    quote: &'static str,
    source: &'static str,
    tags: &'static [&'static str],
    note: &'static str,
    attribution: AttrSpec,
}

/// The sources the seed speech quotes or cites, with their public metadata. Their texts are not
/// in the corpus (see the corpus's SOURCES.md), so they are records only.
const SEED_SOURCES: &[SourceSpec] = &[
    SourceSpec {
        kind: SourceKind::Meeting,
        title: "全国社区建设工作会议",
        date: "2005-08",
        occasion: "全国社区建设工作会议",
        place: "长春",
        notes: "时间、地点据本讲话（“2O05年8月在长春召开的全国社区建设工作会议”），\
                未与公开记录核对；主办单位不详，留空。讲话所引是会议提出的任务，不是某篇讲话的原文。",
        ..SourceSpec::empty("conference2005")
    },
    SourceSpec {
        kind: SourceKind::Speech,
        title: "在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话",
        issuer: "胡锦涛",
        date: "2005-02-19",
        occasion: "省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班",
        notes: "日期据公开记录（2005年2月19日研讨班开班时的讲话）；本讲话把年份写作“20xx”，\
                并把讲话题目放在引号而不是书名号里。",
        ..SourceSpec::empty("hu2005")
    },
    SourceSpec {
        kind: SourceKind::Document,
        title: "国民经济和社会发展第十一个五年规划纲要",
        issuer: "全国人民代表大会",
        date: "2006-03-14",
        occasion: "第十届全国人民代表大会第四次会议",
        notes: "2006年3月14日第十届全国人民代表大会第四次会议批准（据公开记录）；\
                全称《中华人民共和国国民经济和社会发展第十一个五年规划纲要》。\
                本讲话说“20xx年3月，十届全国人大四次会议通过”。",
        ..SourceSpec::empty("fyp11")
    },
    SourceSpec {
        kind: SourceKind::Document,
        title: "中共中央关于构建社会主义和谐社会若干重大问题的决定",
        issuer: "中共中央",
        date: "2006-10-11",
        occasion: "中国共产党第十六届中央委员会第六次全体会议",
        notes: "2006年10月11日中共十六届六中全会通过（据公开记录）；本讲话作“2O06年10月”。",
        ..SourceSpec::empty("decision2006")
    },
    SourceSpec {
        kind: SourceKind::Speech,
        issuer: "胡锦涛",
        date: "2006-10-11",
        occasion: "中共十六届六中全会第二次全体会议",
        notes: "日期据本讲话（“2O06年10月11日”），六中全会于当日闭幕（据公开记录）；\
                讲话的正式题目未能确认，留空。",
        ..SourceSpec::empty("hu2006")
    },
    SourceSpec {
        kind: SourceKind::Speech,
        issuer: "温家宝",
        date: "2006-11",
        occasion: "第十二次全国民政会议",
        notes: "第十二次全国民政会议于2006年11月举行（据公开记录）；本讲话说温家宝在11月23日\
                接见会议代表时讲话，年份作“20xx”，并把“国务院总理”写成“国务院”。\
                讲话的正式题目未能确认，留空。",
        ..SourceSpec::empty("wen2006")
    },
    SourceSpec {
        kind: SourceKind::Document,
        title: "国务院关于发展城市社区卫生服务的指导意见",
        issuer: "国务院",
        date: "2006-02-21",
        doc_number: "国发〔2006〕10号",
        notes: "发布日期据公开记录；本讲话把文号写作“国发[2O06]10号”（字母O误作数字0）。",
        ..SourceSpec::empty("gf2006-10")
    },
    SourceSpec {
        kind: SourceKind::Document,
        title: "国务院关于加强和改进社区服务工作的意见",
        issuer: "国务院",
        date: "2006-04-09",
        doc_number: "国发〔2006〕14号",
        notes: "发布日期据公开记录；本讲话把文号写作“国发[20xx]14号”（年份被改成20xx）。",
        ..SourceSpec::empty("gf2006-14")
    },
];

/// The seed speech's six quoted directives, attributed as the speech states them.
const SEED_DIRECTIVES: &[DirectiveSpec] = &[
    DirectiveSpec {
        quote: "建设和谐社区，为构建和谐社会奠定基础",
        source: "conference2005",
        tags: &["社区服务"],
        note: "2005年长春全国社区建设工作会议提出的任务，讲话说它把社区建设引入新的发展阶段。\
               这是会议的提法而不是某人讲话的原文。",
        attribution: AttrSpec {
            speaker: "全国社区建设工作会议",
            date: "2005-08",
            date_text: "2O05年8月",
            verb: "明确提出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "要加强城乡基层自治组织建设，从建设和谐社区入手，使社区在提高居民生活水平和质量上\
                发挥服务作用，在密切党和政府同人民群众的关系上发挥桥梁作用，在维护社会稳定、\
                为群众创造安居乐业的良好环境上发挥促进作用。",
        source: "hu2005",
        tags: &["基层自治", "社区服务"],
        note: "胡锦涛2005年2月研讨班讲话。讲话题目放在引号里，年份作“20xx”，\
               所以这里的日期只有文中写的“20xx年2月”；来源记录里是公开记录的日期。",
        attribution: AttrSpec {
            speaker: "胡锦涛",
            source_title: "在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话",
            occasion: "在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上",
            date_text: "20xx年2月",
            verb: "指出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "推进管理有序、治安良好的和谐社区、和谐村镇建设，倡导人与人和睦相处，增强社会和谐基础。\
                探索新时期城乡基层组织建设和管理的有效模式，发挥城乡基层自治组织协调利益、\
                排忧解难的作用。",
        source: "fyp11",
        tags: &["基层自治"],
        note: "引“十一五”规划纲要。语料中没有纲要原文，只有同次人代会上的政府工作报告含\
               “和谐社区、和谐村镇建设”几个字，因此这条引文暂时无法核对。",
        attribution: AttrSpec {
            source_title: "国民经济和社会发展第十一个五年规划纲要",
            occasion: "十届全国人大四次会议",
            date_text: "20xx年3月",
            verb: "提出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "全面开展城市社区建设，积极推进农村社区建设，健全新型社区管理和服务体制，\
                把社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。",
        source: "decision2006",
        tags: &["社区服务"],
        note: "引六中全会《决定》。末句“管理有序、服务完善、文明祥和的社会生活共同体”\
               一年后又见于十七大报告；讲话前文化用这句时少了“社会”二字。",
        attribution: AttrSpec {
            source_title: "中共中央关于构建社会主义和谐社会若干重大问题的决定",
            occasion: "党的十六届六中全会",
            date: "2006-10",
            date_text: "2O06年10月",
            verb: "明确要求",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "要适应社会发展要求，根据构建社会主义和谐社会的需要，继续推进经济体制、政治体制、\
                文化体制改革和创新，尤其要不失时机地推进社会体制改革和创新，努力在保障人民权益、\
                促进经济社会协调发展、强化政府社会管理和公共服务职能、推进社区建设、健全社会组织、\
                完善人民内部矛盾处理机制、加强社会治安防控体系等方面取得新的进展。",
        source: "hu2006",
        tags: &["党建"],
        note: "胡锦涛在六中全会第二次全体会议上的讲话。前面单独加引号的“推进社区建设”是术语，\
               出自这段话，不另算一条引文。",
        attribution: AttrSpec {
            speaker: "胡锦涛",
            occasion: "在党的十六届六中全会第二次全体会议上",
            date: "2006-10-11",
            date_text: "2O06年10月11日",
            verb: "指出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "我们把社区叫做整个社会特别是城市的细胞。城市社区工作做好了，就能为群众提供生活、\
                医疗、文化、体育、就业、学习等方面的服务，群众有困难就可以找社区。\
                我们有许多办得很好的社区，出了很多有名的‘小巷’他们应该受到尊重。\
                但是目前全国社区发展也不平衡，很多工作需要继续加强。",
        source: "wen2006",
        tags: &["社区服务", "民生"],
        note: "温家宝接见第十二次全国民政会议代表时的讲话。说话人按文中写作“国务院温家宝”，\
               引文中“‘小巷’”后脱“总理”二字，核对原文时要注意。",
        attribution: AttrSpec {
            speaker: "国务院温家宝",
            occasion: "在接见第十二次全国民政会议代表的讲话时",
            date_text: "20xx年11月23日",
            verb: "强调",
            ..AttrSpec::empty()
        },
    },
];

/// File name of the verification sample's memo.
pub const VERIFICATION_MEMO_NAME: &str = "verification-memo.txt";

/// The verification sample's memo (constructed for the sample).
pub const VERIFICATION_MEMO: &[u8] = include_bytes!("../sample_data/verification-memo.txt");

/// File name of the report to the 17th CPC National Congress.
pub const CPC17_REPORT_NAME: &str = "cpc17_report_2007_hu_jintao.txt";

/// The report to the 17th CPC National Congress (People's Daily online copy, UTF-8).
pub const CPC17_REPORT: &[u8] = include_bytes!("../sample_data/cpc17_report_2007_hu_jintao.txt");

/// File name of the report to the 19th CPC National Congress.
pub const CPC19_REPORT_NAME: &str = "cpc19_report_2017_xi_jinping.txt";

/// The report to the 19th CPC National Congress (body text, UTF-8, CRLF).
pub const CPC19_REPORT: &[u8] = include_bytes!("../sample_data/cpc19_report_2017_xi_jinping.txt");

/// The verification sample's sources, with full text.
const VERIFY_SOURCES: &[SourceSpec] = &[
    SourceSpec {
        kind: SourceKind::Document,
        title: "高举中国特色社会主义伟大旗帜 为夺取全面建设小康社会新胜利而奋斗",
        issuer: "胡锦涛",
        date: "2007-10-15",
        occasion: "中国共产党第十七次全国代表大会",
        place: "北京",
        url: "https://github.com/owenyang0/FollowTyperAndSender/blob/\
              03e1e23a34788019a33fb7c6f158d22ca39ef5e9/FollowTyper/Resources/十七大报告.txt",
        notes: "十七大报告全文，人民网转载本，开头有“人民网北京10月15日电”电头；\
                原文件为 GBK 编码，已转为 UTF-8。题目和日期据公开记录。",
        text: Some((CPC17_REPORT_NAME, CPC17_REPORT)),
        ..SourceSpec::empty("cpc17")
    },
    SourceSpec {
        kind: SourceKind::Document,
        title: "决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利",
        issuer: "习近平",
        date: "2017-10-18",
        occasion: "中国共产党第十九次全国代表大会",
        place: "北京",
        url: "https://github.com/perixiaowan/ShiJiuDaCloud/blob/\
              adf6abc38070e0980c8bbcfb019a9def892f7ccf/shijiuda-quan.txt",
        notes: "十九大报告正文，缺题目部分；原文件为 GBK 编码、CRLF 行尾，已转为 UTF-8。\
                题目和日期据公开记录。",
        text: Some((CPC19_REPORT_NAME, CPC19_REPORT)),
        ..SourceSpec::empty("cpc19")
    },
];

/// The memo's seven quotations, each linked to the source the memo names.
const VERIFY_DIRECTIVES: &[DirectiveSpec] = &[
    DirectiveSpec {
        quote: "要健全基层党组织领导的充满活力的基层群众自治机制，扩大基层群众自治范围，\
                完善民主管理制度，把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。",
        source: "cpc17",
        tags: &[],
        note: "照录原文，核对结果应为原文一致（verbatim）。",
        attribution: AttrSpec {
            speaker: "胡锦涛",
            source_title: "十七大报告",
            occasion: "党的十七大",
            date: "2007-10-15",
            date_text: "2007年10月15日",
            verb: "指出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "实现政府行政管理与基层群众自治有机衔接和良性互动",
        source: "cpc17",
        tags: &[],
        note: "原文是“有效衔接”，文稿误作“有机衔接”：一字之差，核对结果应为有出入（variant）。",
        attribution: AttrSpec {
            source_title: "十七大报告",
            occasion: "党的十七大",
            verb: "要求",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "科学发展观，第一要义是发展，核心是以人为本，……根本方法是统筹兼顾。",
        source: "cpc17",
        tags: &[],
        note: "省略了“基本要求是全面协调可持续”，其余部分按原文顺序，核对结果应为节引（abridged）。",
        attribution: AttrSpec {
            source_title: "十七大报告",
            occasion: "党的十七大",
            verb: "指出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "要把城乡社区建设成为居民群众安居乐业、守望相助的温馨家园。",
        source: "cpc17",
        tags: &[],
        note: "像是报告的话，其实是为练习编造的，十七大和十九大报告里都没有；\
               核对结果应为未找到（not found）。",
        attribution: AttrSpec {
            speaker: "胡锦涛",
            source_title: "十七大报告",
            occasion: "党的十七大",
            verb: "强调",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "加强社区治理体系建设，推动社会治理重心向基层下移，发挥社会组织作用，\
                实现政府治理和社会调节、居民自治良性互动。",
        source: "cpc17",
        tags: &[],
        note: "张冠李戴：这是十九大报告的原话，文稿却说出自十七大报告。对照十七大报告核对，\
               结果应为未找到（not found）；十九大报告里一字不差。",
        attribution: AttrSpec {
            source_title: "十七大报告",
            occasion: "党的十七大",
            verb: "提出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "中国特色社会主义进入新时代，我国社会主要矛盾已经转化为人民日益增长的美好生活需要\
                和不平衡不充分的发展之间的矛盾。",
        source: "cpc19",
        tags: &[],
        note: "照录原文，核对结果应为原文一致（verbatim）。",
        attribution: AttrSpec {
            speaker: "习近平",
            source_title: "十九大报告",
            occasion: "党的十九大",
            date: "2017-10-18",
            date_text: "2017年10月18日",
            verb: "指出",
            ..AttrSpec::empty()
        },
    },
    DirectiveSpec {
        quote: "中国共产党第十九次全国代表大会，是在全面建成小康社会决胜阶段、\
                中国特色社会主义进入新时代的关键时期召开的一次十分重要的大会。\
                大会的主题是：不忘初心，牢记使命，高举中国特色社会主义伟大旗帜，\
                决胜全面建成小康社会，夺取新时代中国特色社会主义伟大胜利，\
                为实现中华民族伟大复兴的中国梦不懈奋斗。",
        source: "cpc19",
        tags: &[],
        note: "报告开头两段连在一起照录；原文两段之间有换行，核对时忽略空白，\
               结果仍应为原文一致（verbatim）。",
        attribution: AttrSpec {
            source_title: "十九大报告",
            occasion: "党的十九大",
            verb: "指出",
            ..AttrSpec::empty()
        },
    },
];

/// The sample workspace: the seed speech with metadata (title 市社区建设工作会议讲话, occasion
/// 长春市社区建设工作会议, date 2007, place 长春; the speaker, an official of the Ministry of
/// Civil Affairs who is not named in the text, is left empty), a codebook, annotations, and the
/// speech's six quoted directives, attributed as the speech states them and linked to records of
/// their sources (which have no text, so nothing is verified). The source library also holds the
/// two State Council documents the speech cites by title and number.
///
/// Deterministic: the same bytes every time when saved with [`crate::store::to_ron_string`].
///
/// # Panics
/// Only if the embedded speech or the tables in this module are broken (a quote not found in
/// the speech, an unknown tag name, a command refused); the tests catch that.
pub fn sample_workspace() -> Workspace {
    let decoded = decode(SAMPLE_SPEECH_NAME, SAMPLE_SPEECH);
    let meta = DocMeta {
        title: "市社区建设工作会议讲话".into(),
        speaker: String::new(),
        date: "2007".into(),
        occasion: "长春市社区建设工作会议".into(),
        place: "长春".into(),
        tags: Vec::new(),
        ..Default::default()
    };
    let doc = decoded.into_document(Some(SAMPLE_SPEECH_NAME), meta);

    let mut ws = Workspace::new();
    let doc_id = add_document(&mut ws, doc);

    let mut tag_ids: Vec<(&str, TagId)> = Vec::with_capacity(CODEBOOK.len());
    for &(name, parent, color, description) in CODEBOOK {
        let parent = parent.map(|p| lookup(&tag_ids, p));
        let id = add_tag(
            &mut ws,
            Tag {
                id: TagId(0),
                name: name.into(),
                parent,
                color: color.into(),
                description: description.into(),
                guid: String::new(),
                memo: String::new(),
            },
        );
        tag_ids.push((name, id));
    }

    let text = ws
        .document(doc_id)
        .expect("the sample document was just added")
        .text
        .clone();
    let index = CharIndex::new(&text);
    for spec in ANNOTATIONS {
        let range = locate(&text, &index, spec.quote);
        let tags: Vec<TagId> = spec.tags.iter().map(|t| lookup(&tag_ids, t)).collect();
        let color = CODEBOOK
            .iter()
            .find(|(name, ..)| Some(name) == spec.tags.first())
            .map_or(PALETTE[0], |&(_, _, color, _)| color);
        add_annotation(
            &mut ws,
            Annotation {
                id: AnnId(0),
                doc: doc_id,
                anchor: Anchor::new(&text, &index, range),
                color: color.into(),
                note: spec.note.into(),
                tags,
                orphan: false,
                directive: None,
            },
        );
    }

    // The quoted directives come after the plain annotations, so those keep their IDs.
    let sources = add_sources(&mut ws, SEED_SOURCES);
    for spec in SEED_DIRECTIVES {
        let range = locate(&text, &index, spec.quote);
        let tags = spec.tags.iter().map(|t| lookup(&tag_ids, t)).collect();
        let source = lookup_source(&sources, spec.source);
        add_annotation(
            &mut ws,
            directive_annotation(doc_id, &text, &index, range, spec, tags, source, None),
        );
    }
    ws
}

/// The verification sample: a short constructed review memo (引文核对练习) whose seven
/// quotations of the reports to the 17th and 19th CPC National Congresses are linked to those
/// reports — imported with their full text — and checked against them.
///
/// The quotations give every verification status: verbatim (one of them across a paragraph
/// break of the source), variant (one character changed), abridged (…… in the middle), not
/// found (a plausible sentence that is in neither report), and one misattributed (a verbatim
/// sentence of the 19th report credited to the 17th, so not found there). The verification
/// stored on each directive is computed here by [`SourceIndex::find_in`], as the directive
/// panel does.
///
/// Deterministic, like [`sample_workspace`].
///
/// # Panics
/// Only if the embedded files or the tables in this module are broken; the tests catch that.
pub fn verification_sample() -> Workspace {
    let meta = DocMeta {
        title: "引文核对练习：社区建设文稿审稿备忘录（构造示例）".into(),
        speaker: String::new(),
        date: String::new(),
        occasion: "引文核对练习".into(),
        place: String::new(),
        tags: Vec::new(),
        ..Default::default()
    };
    let doc = decode(VERIFICATION_MEMO_NAME, VERIFICATION_MEMO)
        .into_document(Some(VERIFICATION_MEMO_NAME), meta);
    let mut ws = Workspace::new();
    let doc_id = add_document(&mut ws, doc);
    let sources = add_sources(&mut ws, VERIFY_SOURCES);
    let indexes: Vec<(SourceId, SourceIndex)> = sources
        .iter()
        .filter_map(|&(_, id)| {
            let text = ws.source(id)?.text.as_deref()?;
            Some((id, SourceIndex::new(&[text])))
        })
        .collect();

    let text = ws
        .document(doc_id)
        .expect("the memo was just added")
        .text
        .clone();
    let index = CharIndex::new(&text);
    for spec in VERIFY_DIRECTIVES {
        let range = locate(&text, &index, spec.quote);
        let source = lookup_source(&sources, spec.source);
        let (_, source_index) = indexes
            .iter()
            .find(|(id, _)| *id == source)
            .unwrap_or_else(|| panic!("sample source “{}” has no text", spec.source));
        let verification = verify(source_index, source, spec.quote);
        add_annotation(
            &mut ws,
            directive_annotation(
                doc_id,
                &text,
                &index,
                range,
                spec,
                Vec::new(),
                source,
                Some(verification),
            ),
        );
    }
    ws
}

/// Checks `quote` against the one source text in `index`, as the directive panel does.
fn verify(index: &SourceIndex, source: SourceId, quote: &str) -> Verification {
    let m = index.find_in(quote, 0);
    Verification {
        status: m.status.into(),
        source,
        span: m.source_start.zip(m.source_end),
        similarity: m.similarity,
    }
}

/// A directive annotation on `range` of `text`, linked to `source`; the source span is the
/// verified span when there is one.
#[allow(clippy::too_many_arguments)]
fn directive_annotation(
    doc: DocId,
    text: &str,
    index: &CharIndex,
    range: Range<usize>,
    spec: &DirectiveSpec,
    tags: Vec<TagId>,
    source: SourceId,
    verification: Option<Verification>,
) -> Annotation {
    let a = &spec.attribution;
    let attribution = Attribution {
        speaker: a.speaker.into(),
        source_title: a.source_title.into(),
        occasion: a.occasion.into(),
        date: a.date.into(),
        date_text: a.date_text.into(),
        verb: a.verb.into(),
        doc_number: a.doc_number.into(),
        abridged: spec.quote.contains('…'),
        confidence: 1.0,
    };
    Annotation {
        id: AnnId(0),
        doc,
        anchor: Anchor::new(text, index, range),
        color: DIRECTIVE_COLOR.into(),
        note: spec.note.into(),
        tags,
        orphan: false,
        directive: Some(DirectiveInfo {
            attribution,
            source: Some(source),
            source_span: verification.as_ref().and_then(|v| v.span),
            verification,
            verification_stale: false,
        }),
    }
}

/// Adds the sources of a table (importing embedded texts) and returns their keys and IDs.
fn add_sources(ws: &mut Workspace, specs: &[SourceSpec]) -> Vec<(&'static str, SourceId)> {
    let mut ids = Vec::with_capacity(specs.len());
    for spec in specs {
        assert!(
            ids.iter().all(|&(k, _)| k != spec.key),
            "duplicate sample source key “{}”",
            spec.key
        );
        let (text, origin) = match spec.text {
            Some((name, bytes)) => {
                let d = decode(name, bytes);
                let origin = Origin {
                    path: Some(name.to_owned()),
                    encoding: d.encoding,
                    sha256: d.sha256,
                    byte_len: d.byte_len,
                    corrections: Vec::new(),
                };
                (Some(d.text), Some(origin))
            }
            None => (None, None),
        };
        let src = Source {
            id: SourceId(0),
            kind: spec.kind,
            title: spec.title.into(),
            issuer: spec.issuer.into(),
            date: spec.date.into(),
            doc_number: spec.doc_number.into(),
            occasion: spec.occasion.into(),
            place: spec.place.into(),
            url: spec.url.into(),
            retrieved_on: String::new(),
            notes: spec.notes.into(),
            text,
            origin,
        };
        let id = match ws.apply(Command::AddSource(Box::new(src))) {
            Ok(Command::RemoveSource(id)) => id,
            other => panic!("adding the sample source “{}” failed: {other:?}", spec.key),
        };
        ids.push((spec.key, id));
    }
    ids
}

/// The ID of a sample source added earlier.
fn lookup_source(ids: &[(&str, SourceId)], key: &str) -> SourceId {
    ids.iter()
        .find(|(k, _)| *k == key)
        .map(|&(_, id)| id)
        .unwrap_or_else(|| panic!("a sample directive is linked to unknown source “{key}”"))
}

/// Decodes an embedded file.
fn decode(name: &str, bytes: &[u8]) -> Decoded {
    import::decode_bytes(bytes, EncodingChoice::Auto)
        .unwrap_or_else(|e| panic!("the embedded sample file {name} does not decode: {e}"))
}

/// Char range of the first occurrence of `quote` in `text`.
///
/// # Panics
/// If `quote` is empty or not in `text`.
fn locate(text: &str, index: &CharIndex, quote: &str) -> Range<usize> {
    assert!(!quote.is_empty(), "a sample annotation has an empty quote");
    let byte = text
        .find(quote)
        .unwrap_or_else(|| panic!("sample quote not found in the sample text: {quote:?}"));
    let start = index.char_of(text, byte);
    start..start + quote.chars().count()
}

/// The ID of a codebook tag added earlier.
fn lookup(ids: &[(&str, TagId)], name: &str) -> TagId {
    ids.iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, id)| id)
        .unwrap_or_else(|| panic!("the sample uses tag “{name}”, which is not in its codebook"))
}

/// Adds a document through the command path and returns its fresh ID.
fn add_document(ws: &mut Workspace, doc: Document) -> DocId {
    match ws.apply(Command::AddDocument(Box::new(doc))) {
        Ok(Command::RemoveDocument(id)) => id,
        other => panic!("adding the sample document failed: {other:?}"),
    }
}

/// Adds a tag through the command path and returns its fresh ID.
fn add_tag(ws: &mut Workspace, tag: Tag) -> TagId {
    let name = tag.name.clone();
    match ws.apply(Command::AddTag(Box::new(tag))) {
        Ok(Command::RemoveTag(id)) => id,
        other => panic!("adding the sample tag “{name}” failed: {other:?}"),
    }
}

/// Adds an annotation through the command path and returns its fresh ID.
fn add_annotation(ws: &mut Workspace, ann: Annotation) -> AnnId {
    let quote = ann.anchor.quote.clone();
    match ws.apply(Command::AddAnnotation(Box::new(ann))) {
        Ok(Command::RemoveAnnotation(id)) => id,
        other => panic!("adding the sample annotation on {quote:?} failed: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::verify::Status;
    use crate::model::{VerifyStatus, parse_hex_color};
    use crate::store::{from_ron_str, to_ron_string};

    /// The saved sample, kept in the repository so that changes to it show up in review.
    const SAMPLE_RON: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_data/changchun-sample.ron"
    );

    /// The saved verification sample.
    const VERIFICATION_RON: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_data/verification-sample.ron"
    );

    fn text_of(ws: &Workspace) -> &str {
        &ws.documents[0].text
    }

    fn by_quote<'a>(ws: &'a Workspace, quote: &str) -> &'a Annotation {
        ws.annotations
            .iter()
            .find(|a| a.anchor.quote == quote)
            .unwrap_or_else(|| panic!("no sample annotation on {quote:?}"))
    }

    fn tag_names(ws: &Workspace, a: &Annotation) -> Vec<String> {
        a.tags
            .iter()
            .map(|t| ws.tag(*t).unwrap().name.clone())
            .collect()
    }

    #[test]
    fn one_document_with_metadata_and_origin() {
        let ws = sample_workspace();
        assert_eq!(ws.documents.len(), 1);
        let doc = &ws.documents[0];
        assert_eq!(doc.meta.title, "市社区建设工作会议讲话");
        assert_eq!(doc.meta.occasion, "长春市社区建设工作会议");
        assert_eq!(doc.meta.date, "2007");
        assert_eq!(doc.meta.place, "长春");
        assert_eq!(doc.meta.speaker, "", "the speech does not name its speaker");
        assert_eq!(doc.origin.path.as_deref(), Some(SAMPLE_SPEECH_NAME));
        assert_eq!(doc.origin.encoding, "UTF-8");
        assert_eq!(doc.origin.byte_len, SAMPLE_SPEECH.len() as u64);
        assert_eq!(doc.origin.sha256.len(), 64);
        assert!(doc.text.starts_with("市社区建设工作会议讲话\n同志们："));
        assert_eq!(doc.display_name(), "市社区建设工作会议讲话");
    }

    #[test]
    fn codebook_is_the_documented_tree() {
        let ws = sample_workspace();
        let mut got: Vec<(usize, String)> = ws
            .tag_tree()
            .into_iter()
            .map(|(depth, t)| (depth, ws.tag_path(t.id)))
            .collect();
        got.sort();
        let mut want: Vec<(usize, String)> = [
            "社区服务",
            "社区服务 / 社区卫生",
            "社区服务 / 社区服务体系",
            "党建",
            "党建 / 基层党组织",
            "民生",
            "基层自治",
            "基层自治 / 居民自治",
            "基层自治 / 社区工作者",
            "文本问题",
        ]
        .iter()
        .map(|p| (p.matches(" / ").count(), p.to_string()))
        .collect();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(ws.tags.len(), want.len());
        for t in &ws.tags {
            assert!(
                PALETTE.contains(&t.color.as_str()),
                "{}: {}",
                t.name,
                t.color
            );
            assert!(
                !t.description.trim().is_empty(),
                "{} has no description",
                t.name
            );
        }
    }

    #[test]
    fn annotations_hold_and_every_tag_is_used() {
        let ws = sample_workspace();
        let doc = &ws.documents[0];
        let index = CharIndex::new(&doc.text);
        assert!(ws.annotations.len() >= 12, "{}", ws.annotations.len());
        for a in &ws.annotations {
            assert_eq!(a.doc, doc.id);
            assert!(!a.orphan, "{:?} is an orphan", a.anchor.quote);
            assert!(a.anchor.holds_in(&doc.text, &index), "{:?}", a.anchor.quote);
            assert!(
                (1..=2).contains(&a.tags.len()),
                "{:?} has {} tags",
                a.anchor.quote,
                a.tags.len()
            );
            assert!(
                !a.note.trim().is_empty(),
                "{:?} has no note",
                a.anchor.quote
            );
            assert!(parse_hex_color(&a.color).is_some(), "{}", a.color);
        }
        // Every tag of the codebook is used at least once, so nothing in it is dead weight.
        let usage = ws.tag_usage();
        for t in &ws.tags {
            assert!(
                usage.get(&t.id).copied().unwrap_or(0) > 0,
                "{} is unused",
                t.name
            );
        }
        let colours: std::collections::BTreeSet<&str> =
            ws.annotations.iter().map(|a| a.color.as_str()).collect();
        assert!(
            colours.len() >= 5,
            "highlight colours are not varied: {colours:?}"
        );
    }

    #[test]
    fn the_showcase_annotations_are_there() {
        let ws = sample_workspace();
        let text = text_of(&ws);

        let typo = by_quote(&ws, "2O06");
        assert_eq!(tag_names(&ws, typo), ["文本问题"]);
        assert!(typo.note.contains("字母O误作数字0"));

        let debris = ws
            .annotations
            .iter()
            .find(|a| a.anchor.quote.starts_with("看过"))
            .expect("an annotation on the web-page debris");
        assert!(debris.anchor.quote.contains("的人还看了"));
        assert!(text.trim_end().ends_with(debris.anchor.quote.as_str()));
        assert_eq!(tag_names(&ws, debris), ["文本问题"]);

        let hu = ws
            .annotations
            .iter()
            .find(|a| a.anchor.quote.starts_with("胡锦涛“在省部级"))
            .expect("an annotation on the quotation of Hu Jintao");
        assert!(hu.anchor.quote.contains("“要加强城乡基层自治组织建设"));
        assert!(hu.anchor.quote.ends_with("发挥促进作用。”"));
    }

    #[test]
    fn some_annotations_overlap() {
        let ws = sample_workspace();
        let overlaps = |a: &Annotation, b: &Annotation| {
            a.anchor.start < b.anchor.end && b.anchor.start < a.anchor.end
        };
        let mut pairs = 0;
        let mut partial = 0;
        for (i, a) in ws.annotations.iter().enumerate() {
            for b in &ws.annotations[i + 1..] {
                if overlaps(a, b) {
                    pairs += 1;
                    let (ra, rb) = (a.anchor.range(), b.anchor.range());
                    let nested = (ra.start <= rb.start && rb.end <= ra.end)
                        || (rb.start <= ra.start && ra.end <= rb.end);
                    if !nested {
                        partial += 1;
                    }
                }
            }
        }
        assert!(pairs >= 2, "{pairs} overlapping pairs");
        assert!(partial >= 1, "no partially overlapping pair");
    }

    #[test]
    fn saving_is_deterministic_and_round_trips() {
        let ws = sample_workspace();
        let a = to_ron_string(&ws).unwrap();
        let b = to_ron_string(&sample_workspace()).unwrap();
        assert_eq!(a, b);
        let back = from_ron_str(&a).unwrap();
        assert_eq!(back, ws);
        assert_eq!(to_ron_string(&back).unwrap(), a);
    }

    /// Compares `ws`, saved, with the file at `path`, or rewrites the file when the tests run
    /// with `UPDATE_SAMPLES=1`.
    fn check_saved(ws: &Workspace, path: &str) {
        let generated = to_ron_string(ws).unwrap();
        if std::env::var_os("UPDATE_SAMPLES").is_some_and(|v| v == "1") {
            std::fs::write(path, &generated).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
            return;
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("cannot read {path}: {e}; run the tests with UPDATE_SAMPLES=1")
        });
        assert!(
            on_disk == generated,
            "{path} is out of date; run the tests with UPDATE_SAMPLES=1 to rewrite it"
        );
    }

    /// `sample_data/changchun-sample.ron` is the saved sample. Run the tests with
    /// `UPDATE_SAMPLES=1` to rewrite it after changing this module.
    #[test]
    fn sample_file_is_up_to_date() {
        check_saved(&sample_workspace(), SAMPLE_RON);
    }

    // ---- the seed speech's directives and sources ----

    fn directives(ws: &Workspace) -> Vec<&Annotation> {
        ws.annotations
            .iter()
            .filter(|a| a.directive.is_some())
            .collect()
    }

    fn info(a: &Annotation) -> &DirectiveInfo {
        a.directive.as_ref().unwrap()
    }

    fn directive_starting<'a>(ws: &'a Workspace, prefix: &str) -> &'a Annotation {
        directives(ws)
            .into_iter()
            .find(|a| a.anchor.quote.starts_with(prefix))
            .unwrap_or_else(|| panic!("no directive starting with {prefix:?}"))
    }

    fn linked_source<'a>(ws: &'a Workspace, a: &Annotation) -> &'a Source {
        ws.source(info(a).source.expect("the directive is linked"))
            .expect("the linked source exists")
    }

    #[test]
    fn the_seed_speech_has_six_directives_inside_their_quotation_marks() {
        let ws = sample_workspace();
        let text = text_of(&ws);
        let chars: Vec<char> = text.chars().collect();
        let dirs = directives(&ws);
        assert_eq!(dirs.len(), 6);
        for a in &dirs {
            let (s, e) = (a.anchor.start.0, a.anchor.end.0);
            assert_eq!(chars[s - 1], '“', "{:?}", a.anchor.quote);
            assert_eq!(chars[e], '”', "{:?}", a.anchor.quote);
            assert_eq!(a.color, DIRECTIVE_COLOR);
            let d = info(a);
            assert_eq!(d.attribution.confidence, 1.0);
            assert!(!d.attribution.abridged, "no seed quotation has ……");
            assert!(!d.attribution.verb.is_empty());
            assert!(!d.attribution.date_text.is_empty());
            assert!(d.verification.is_none() && d.source_span.is_none());
            let src = linked_source(&ws, a);
            assert!(src.text.is_none(), "{} has no public text", src.citation());
        }
        // Six directives, six different sources.
        let mut linked: Vec<SourceId> = dirs.iter().map(|a| info(a).source.unwrap()).collect();
        linked.sort();
        linked.dedup();
        assert_eq!(linked.len(), 6);
    }

    #[test]
    fn the_sample_directives_are_the_ones_detection_finds() {
        let ws = sample_workspace();
        let found = crate::analysis::detect(text_of(&ws)).directives;
        let mut got: Vec<(usize, usize)> = directives(&ws)
            .iter()
            .map(|a| (a.anchor.start.0, a.anchor.end.0))
            .collect();
        got.sort();
        let want: Vec<(usize, usize)> = found.iter().map(|d| (d.start, d.end)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn seed_attributions_are_as_the_speech_states_them() {
        let ws = sample_workspace();
        let at = |prefix: &str| info(directive_starting(&ws, prefix)).attribution.clone();

        let conf = at("建设和谐社区");
        assert_eq!(conf.speaker, "全国社区建设工作会议");
        assert_eq!(
            (conf.date.as_str(), conf.date_text.as_str()),
            ("2005-08", "2O05年8月")
        );

        let hu05 = at("要加强城乡基层自治组织建设");
        assert_eq!(hu05.speaker, "胡锦涛");
        assert_eq!(
            hu05.source_title,
            "在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话"
        );
        assert_eq!(hu05.date, "", "the year is written 20xx");
        assert_eq!(hu05.date_text, "20xx年2月");
        assert_eq!(hu05.verb, "指出");

        let fyp = at("推进管理有序");
        assert_eq!(fyp.source_title, "国民经济和社会发展第十一个五年规划纲要");
        assert_eq!(fyp.verb, "提出");

        let decision = at("全面开展城市社区建设");
        assert_eq!(
            decision.source_title,
            "中共中央关于构建社会主义和谐社会若干重大问题的决定"
        );
        assert_eq!(
            (decision.date.as_str(), decision.verb.as_str()),
            ("2006-10", "明确要求")
        );

        let hu06 = at("要适应社会发展要求");
        assert_eq!(hu06.speaker, "胡锦涛");
        assert_eq!(hu06.date, "2006-10-11");
        assert_eq!(hu06.occasion, "在党的十六届六中全会第二次全体会议上");

        let wen = at("我们把社区叫做");
        assert_eq!(wen.speaker, "国务院温家宝");
        assert_eq!(wen.date_text, "20xx年11月23日");
        assert_eq!(wen.verb, "强调");
        assert!(
            directive_starting(&ws, "我们把社区叫做")
                .anchor
                .quote
                .contains("‘小巷’")
        );

        // “推进社区建设” is a term inside Hu's 2006 quotation, not a directive of its own.
        assert!(
            directives(&ws)
                .iter()
                .all(|a| a.anchor.quote != "推进社区建设")
        );
    }

    #[test]
    fn seed_sources_carry_their_public_metadata() {
        let ws = sample_workspace();
        assert_eq!(ws.sources.len(), 8);
        let by_title = |t: &str| {
            ws.sources
                .iter()
                .find(|s| s.title == t)
                .unwrap_or_else(|| panic!("no source titled {t}"))
        };
        let hu05 = by_title("在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话");
        assert_eq!(
            (hu05.kind, hu05.issuer.as_str()),
            (SourceKind::Speech, "胡锦涛")
        );
        assert_eq!(hu05.date, "2005-02-19");
        let fyp = by_title("国民经济和社会发展第十一个五年规划纲要");
        assert_eq!(
            (fyp.kind, fyp.date.as_str()),
            (SourceKind::Document, "2006-03-14")
        );
        assert_eq!(fyp.occasion, "第十届全国人民代表大会第四次会议");
        let decision = by_title("中共中央关于构建社会主义和谐社会若干重大问题的决定");
        assert_eq!(
            (decision.issuer.as_str(), decision.date.as_str()),
            ("中共中央", "2006-10-11")
        );
        assert_eq!(
            by_title("国务院关于发展城市社区卫生服务的指导意见").citation(),
            "国务院《国务院关于发展城市社区卫生服务的指导意见》（国发〔2006〕10号），2006-02-21"
        );
        assert_eq!(
            by_title("国务院关于加强和改进社区服务工作的意见").citation(),
            "国务院《国务院关于加强和改进社区服务工作的意见》（国发〔2006〕14号），2006-04-09"
        );
        let hu06 = linked_source(&ws, directive_starting(&ws, "要适应社会发展要求"));
        assert_eq!(
            (hu06.issuer.as_str(), hu06.date.as_str()),
            ("胡锦涛", "2006-10-11")
        );
        assert_eq!(hu06.occasion, "中共十六届六中全会第二次全体会议");
        let wen = linked_source(&ws, directive_starting(&ws, "我们把社区叫做"));
        assert_eq!(
            (wen.issuer.as_str(), wen.date.as_str()),
            ("温家宝", "2006-11")
        );
        assert_eq!(wen.occasion, "第十二次全国民政会议");
        for s in &ws.sources {
            assert!(s.text.is_none() && s.origin.is_none(), "{}", s.citation());
            assert!(!s.notes.trim().is_empty(), "{} has no notes", s.citation());
        }
    }

    // ---- the verification sample ----

    /// The memo's quotations: start, title of the linked source, expected status.
    const EXPECTED: &[(&str, &str, VerifyStatus)] = &[
        ("要健全基层党组织", "高举", VerifyStatus::Verbatim),
        ("实现政府行政管理", "高举", VerifyStatus::Variant),
        ("科学发展观", "高举", VerifyStatus::Abridged),
        ("要把城乡社区建设成为居民", "高举", VerifyStatus::NotFound),
        ("加强社区治理体系建设", "高举", VerifyStatus::NotFound),
        ("中国特色社会主义进入新时代", "决胜", VerifyStatus::Verbatim),
        ("中国共产党第十九次", "决胜", VerifyStatus::Verbatim),
    ];

    fn report<'a>(ws: &'a Workspace, title_start: &str) -> &'a Source {
        ws.sources
            .iter()
            .find(|s| s.title.starts_with(title_start))
            .unwrap_or_else(|| panic!("no source titled {title_start}…"))
    }

    fn passage(text: &str, (s, e): (usize, usize)) -> String {
        text.chars().skip(s).take(e - s).collect()
    }

    #[test]
    fn verification_sample_has_the_memo_and_both_reports_with_text() {
        let ws = verification_sample();
        assert_eq!(ws.documents.len(), 1);
        let memo = &ws.documents[0];
        assert!(memo.meta.title.contains("构造示例"));
        assert!(memo.text.contains("为演示引文核对而构造的练习材料"));
        assert_eq!(memo.origin.path.as_deref(), Some(VERIFICATION_MEMO_NAME));
        assert_eq!(ws.sources.len(), 2);
        for (title, name, bytes, issuer, date) in [
            (
                "高举",
                CPC17_REPORT_NAME,
                CPC17_REPORT,
                "胡锦涛",
                "2007-10-15",
            ),
            (
                "决胜",
                CPC19_REPORT_NAME,
                CPC19_REPORT,
                "习近平",
                "2017-10-18",
            ),
        ] {
            let s = report(&ws, title);
            assert_eq!((s.issuer.as_str(), s.date.as_str()), (issuer, date));
            assert_eq!(s.kind, SourceKind::Document);
            let origin = s.origin.as_ref().expect("the report's origin");
            assert_eq!(origin.path.as_deref(), Some(name));
            assert_eq!(origin.byte_len, bytes.len() as u64);
            let text = s.text.as_deref().expect("the report's text");
            assert_eq!(text, decode(name, bytes).text);
            assert!(!text.contains('\r'));
        }
        assert!(
            report(&ws, "高举")
                .text
                .as_deref()
                .unwrap()
                .contains("第十七次全国代表大会")
        );
        assert!(
            report(&ws, "决胜")
                .text
                .as_deref()
                .unwrap()
                .contains("第十九次全国代表大会")
        );
    }

    #[test]
    fn every_verification_status_is_shown() {
        let ws = verification_sample();
        let dirs = directives(&ws);
        assert_eq!(dirs.len(), EXPECTED.len());
        for &(prefix, title, status) in EXPECTED {
            let a = directive_starting(&ws, prefix);
            let d = info(a);
            let src = report(&ws, title);
            assert_eq!(d.source, Some(src.id), "{prefix}");
            let v = d.verification.as_ref().expect("the directive was verified");
            assert_eq!(v.status, status, "{prefix}");
            assert_eq!(v.source, src.id);
            assert_eq!(d.source_span, v.span);
            assert_eq!(
                v.span.is_some(),
                status != VerifyStatus::NotFound,
                "{prefix}"
            );
            assert_eq!(d.attribution.abridged, status == VerifyStatus::Abridged);
            // What the directive panel would compute now is what was stored.
            let again =
                SourceIndex::new(&[src.text.as_deref().unwrap()]).find_in(&a.anchor.quote, 0);
            assert_eq!(again.source_start.zip(again.source_end), v.span);
            assert_eq!(again.similarity, v.similarity);
        }
        let mut statuses: Vec<String> = dirs
            .iter()
            .map(|a| format!("{:?}", info(a).verification.as_ref().unwrap().status))
            .collect();
        statuses.sort();
        statuses.dedup();
        assert_eq!(statuses, ["Abridged", "NotFound", "Variant", "Verbatim"]);
    }

    #[test]
    fn verified_spans_point_at_the_right_passages() {
        let ws = verification_sample();
        let r17 = report(&ws, "高举").text.as_deref().unwrap();
        let r19 = report(&ws, "决胜").text.as_deref().unwrap();
        let span = |prefix: &str| {
            let v = info(directive_starting(&ws, prefix))
                .verification
                .clone()
                .unwrap();
            (v.span.unwrap(), v.similarity)
        };

        let (s, sim) = span("要健全基层党组织");
        assert!(
            directive_starting(&ws, "要健全基层党组织")
                .anchor
                .quote
                .starts_with(&passage(r17, s))
        );
        assert_eq!(sim, 1.0);

        let (s, sim) = span("实现政府行政管理");
        assert_eq!(
            passage(r17, s),
            "实现政府行政管理与基层群众自治有效衔接和良性互动"
        );
        assert!((0.9..1.0).contains(&sim), "{sim}");

        let (s, _) = span("科学发展观");
        let p = passage(r17, s);
        assert!(p.starts_with("科学发展观，第一要义是发展"), "{p}");
        assert!(
            p.contains("基本要求是全面协调可持续") && p.ends_with("统筹兼顾"),
            "{p}"
        );

        let (s, _) = span("中国共产党第十九次");
        let p = passage(r19, s);
        assert!(
            p.contains("大会。\n"),
            "the quotation runs across a paragraph break: {p:?}"
        );
        assert!(p.ends_with("中国梦不懈奋斗"), "{p}");
    }

    #[test]
    fn the_misattributed_quotation_is_in_the_other_report() {
        let ws = verification_sample();
        let a = directive_starting(&ws, "加强社区治理体系建设");
        assert_eq!(info(a).attribution.source_title, "十七大报告");
        assert_eq!(linked_source(&ws, a).id, report(&ws, "高举").id);
        let r19 = report(&ws, "决胜").text.as_deref().unwrap();
        let m = SourceIndex::new(&[r19]).find_in(&a.anchor.quote, 0);
        assert_eq!(m.status, Status::Verbatim);
        // The made-up quotation is in neither report.
        let made_up = directive_starting(&ws, "要把城乡社区建设成为居民");
        assert_eq!(
            SourceIndex::new(&[r19])
                .find_in(&made_up.anchor.quote, 0)
                .status,
            Status::NotFound
        );
    }

    #[test]
    fn verification_sample_is_deterministic_and_round_trips() {
        let ws = verification_sample();
        let a = to_ron_string(&ws).unwrap();
        assert_eq!(a, to_ron_string(&verification_sample()).unwrap());
        let back = from_ron_str(&a).unwrap();
        assert_eq!(back, ws);
    }

    /// `sample_data/verification-sample.ron` is the saved verification sample; see
    /// [`sample_file_is_up_to_date`].
    #[test]
    fn verification_sample_file_is_up_to_date() {
        check_saved(&verification_sample(), VERIFICATION_RON);
    }
}
