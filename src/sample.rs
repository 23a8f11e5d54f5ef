//! The sample workspace offered on first launch.
//!
//! It holds one real speech — a Ministry of Civil Affairs official's address to Changchun's 2007
//! community-building conference, as copied from a web page, with its damaged years and the
//! page's "related articles" list still in it — together with a small codebook and a dozen
//! annotations that show what the workbench is for: tagging passages, noting what quotations
//! say and where they come from, and flagging problems of the text itself.
//!
//! Everything is built through the public model API and [`Workspace::apply`], exactly as the
//! user's own edits are, so the sample is always a workspace the program itself could have
//! produced. Annotations find their passages by searching the text for exact quotes; a quote
//! that is not in the text is a bug and panics (the tests below catch it).

use std::ops::Range;

use crate::import::{self, Decoded, EncodingChoice};
use crate::model::{
    Anchor, AnnId, Annotation, CharIndex, Command, DocId, DocMeta, Document, Origin, PALETTE, Tag,
    TagId, Workspace,
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

/// The sample workspace: the seed speech with metadata (title 市社区建设工作会议讲话, occasion
/// 长春市社区建设工作会议, date 2007, place 长春; the speaker, an official of the Ministry of
/// Civil Affairs who is not named in the text, is left empty), a codebook and annotations.
///
/// Deterministic: the same bytes every time when saved with [`crate::store::to_ron_string`].
///
/// # Panics
/// Only if the embedded speech or the tables in this module are broken (a quote not found in
/// the speech, an unknown tag name, a command refused); the tests catch that.
pub fn sample_workspace() -> Workspace {
    let decoded = import::decode_bytes(SAMPLE_SPEECH, EncodingChoice::Auto)
        .unwrap_or_else(|e| panic!("the embedded sample speech does not decode: {e}"));
    let meta = DocMeta {
        title: "市社区建设工作会议讲话".into(),
        speaker: String::new(),
        date: "2007".into(),
        occasion: "长春市社区建设工作会议".into(),
        place: "长春".into(),
        tags: Vec::new(),
    };
    let doc = document_from_decoded(Some(SAMPLE_SPEECH_NAME), decoded, meta);

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
    ws
}

/// Builds a document from a decoded file (as the command-line import does, plus metadata).
fn document_from_decoded(path: Option<&str>, decoded: Decoded, meta: DocMeta) -> Document {
    Document::new(
        decoded.text,
        Origin {
            path: path.map(str::to_owned),
            encoding: decoded.encoding,
            sha256: decoded.sha256,
            byte_len: decoded.byte_len,
        },
        meta,
    )
}

/// Char range of the first occurrence of `quote` in `text`.
///
/// # Panics
/// If `quote` is empty or not in `text`.
fn locate(text: &str, index: &CharIndex, quote: &str) -> Range<usize> {
    assert!(!quote.is_empty(), "a sample annotation has an empty quote");
    let byte = text.find(quote).unwrap_or_else(|| {
        panic!("sample annotation quote not found in the seed speech: {quote:?}")
    });
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
    use crate::model::parse_hex_color;
    use crate::store::{from_ron_str, to_ron_string};

    /// The saved sample, kept in the repository so that changes to it show up in review.
    const SAMPLE_RON: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_data/changchun-sample.ron"
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

    /// `sample_data/changchun-sample.ron` is the saved sample. Run the tests with
    /// `UPDATE_SAMPLES=1` to rewrite it after changing this module.
    #[test]
    fn sample_file_is_up_to_date() {
        let generated = to_ron_string(&sample_workspace()).unwrap();
        if std::env::var_os("UPDATE_SAMPLES").is_some_and(|v| v == "1") {
            std::fs::write(SAMPLE_RON, &generated)
                .unwrap_or_else(|e| panic!("cannot write {SAMPLE_RON}: {e}"));
            return;
        }
        let on_disk = std::fs::read_to_string(SAMPLE_RON).unwrap_or_else(|e| {
            panic!("cannot read {SAMPLE_RON}: {e}; run the tests with UPDATE_SAMPLES=1")
        });
        assert!(
            on_disk == generated,
            "{SAMPLE_RON} is out of date; run the tests with UPDATE_SAMPLES=1 to rewrite it"
        );
    }
}
