//! Builds the workspace the README's corpus-desk screenshots show (not a test of its own:
//! run `cargo test --test doc_screens -- --ignored`, then open the file it names).
//!
//! Ten real speeches and documents of `tests/data` and the seed, filed in groups by who
//! issued them, with level and kind attributes; every quotation the detector finds with
//! confidence ≥ 0.5 accepted as a directive; and sentences coded with a small codebook by
//! keyword, so the register, the matrix and co-occurrence have real content.

use std::path::Path;

use yinwen::import::{EncodingChoice, import_file};
use yinwen::model::{
    Anchor, AnnId, Annotation, CharIndex, Command, DirectiveInfo, DocMeta, Document, Tag, TagId,
    Workspace,
};

#[test]
#[ignore = "writes the screenshot workspace; run by hand"]
fn write_screenshot_workspace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = [
        (
            "tests/data/cpc17_report_2007_hu_jintao.txt",
            "中央/党代会报告",
            "中央",
            "报告",
            "2007-10-15",
        ),
        (
            "tests/data/cpc19_report_2017_xi_jinping.txt",
            "中央/党代会报告",
            "中央",
            "报告",
            "2017-10-18",
        ),
        (
            "tests/data/xi_2015-06-12_chen_yun_110th_speech.txt",
            "中央/讲话",
            "中央",
            "讲话",
            "2015-06-12",
        ),
        (
            "tests/data/xi_2016-01-18_provincial_study_session_speech.txt",
            "中央/讲话",
            "中央",
            "讲话",
            "2016-01-18",
        ),
        (
            "tests/data/xi_2016-09-29_hu_jintao_selected_works_speech.txt",
            "中央/讲话",
            "中央",
            "讲话",
            "2016-09-29",
        ),
        (
            "tests/data/cpc_sc_2018_rural_revitalization_opinion.txt",
            "中央/文件",
            "中央",
            "意见",
            "2018-01-02",
        ),
        (
            "tests/data/gov_report_1978_hua_guofeng.txt",
            "国务院/政府工作报告",
            "中央",
            "报告",
            "1978-02-26",
        ),
        (
            "tests/data/state_council_gob_notice_1997-2_earthquake.txt",
            "国务院/文件",
            "中央",
            "通知",
            "1997-01-21",
        ),
        (
            "tests/data/state_council_gob_letter_2004-71_sichuan.txt",
            "国务院/文件",
            "中央",
            "函",
            "2004-06-24",
        ),
        (
            "sample_data/changchun-community-2007.txt",
            "地方/长春",
            "市",
            "讲话",
            "2007",
        ),
    ];
    let mut ws = Workspace::new();
    for (file, group, level, kind, date) in files {
        let path = root.join(file);
        let decoded = import_file(&path, EncodingChoice::Auto).unwrap();
        let mut doc: Document =
            decoded.into_document(Some(&path.to_string_lossy()), DocMeta::default());
        let mut meta = doc.meta.clone();
        meta.group = group.into();
        meta.level = level.into();
        meta.kind = kind.into();
        if meta.date.is_empty() || meta.date.len() < date.len() {
            meta.date = date.into();
        }
        doc.meta = meta;
        ws.apply(Command::AddDocument(Box::new(doc))).unwrap();
    }
    let codebook = [
        ("民生", "#F2994A", &["民生", "就业", "社会保障", "收入"][..]),
        ("改革开放", "#56CCF2", &["改革开放", "深化改革"][..]),
        ("党的建设", "#EB5757", &["党的建设", "从严治党", "党风"][..]),
        ("农业农村", "#6FCF97", &["农业", "农村", "农民"][..]),
        ("科技创新", "#BB6BD9", &["科技", "创新"][..]),
        ("社区建设", "#F2C94C", &["社区"][..]),
        ("生态文明", "#2D9CDB", &["生态", "环境保护"][..]),
    ];
    let mut tags: Vec<(TagId, &[&str])> = Vec::new();
    for (name, color, words) in codebook {
        ws.apply(Command::AddTag(Box::new(Tag {
            id: TagId(0),
            name: name.into(),
            parent: None,
            color: color.into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        })))
        .unwrap();
        tags.push((ws.tags.iter().find(|t| t.name == name).unwrap().id, words));
    }
    let mut anns = Vec::new();
    let mut next = ws.next_id;
    for d in &ws.documents {
        let idx = CharIndex::new(&d.text);
        for dir in yinwen::analysis::detect(&d.text).directives {
            if dir.confidence < 0.5 {
                continue;
            }
            anns.push(Annotation {
                id: AnnId(next),
                doc: d.id,
                anchor: Anchor::new(&d.text, &idx, dir.start..dir.end),
                color: yinwen::model::DIRECTIVE_COLOR.into(),
                note: String::new(),
                tags: Vec::new(),
                orphan: false,
                directive: Some(DirectiveInfo {
                    attribution: dir.attribution(),
                    ..Default::default()
                }),
            });
            next += 1;
        }
        // Sentences with a codebook word, coded.
        let chars: Vec<char> = d.text.chars().collect();
        let mut start = 0;
        for (i, &c) in chars.iter().enumerate() {
            if !matches!(c, '。' | '\n' | '；') {
                continue;
            }
            let sentence: String = chars[start..i].iter().collect();
            let mut on: Vec<TagId> = tags
                .iter()
                .filter(|(_, words)| words.iter().any(|w| sentence.contains(w)))
                .map(|(t, _)| *t)
                .collect();
            on.sort();
            if !on.is_empty() && i - start > 8 {
                anns.push(Annotation {
                    id: AnnId(next),
                    doc: d.id,
                    anchor: Anchor::new(&d.text, &idx, start..i),
                    color: "#F2C94C".into(),
                    note: String::new(),
                    tags: on,
                    orphan: false,
                    directive: None,
                });
                next += 1;
            }
            start = i + 1;
        }
    }
    ws.next_id = next;
    ws.annotations.extend(anns);
    ws.normalize();
    ws.memo = "研究问题：十年来中央文件与地方讲话如何引用同一批重要论述，提法有无变化。\n下一步：补齐2008—2014年的讲话。".into();
    let out = std::env::var_os("YINWEN_SCREENS_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target/screens/year.ron"));
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    yinwen::store::save(&ws, &out).unwrap();
    println!(
        "wrote {} ({} documents, {} annotations)",
        out.display(),
        ws.documents.len(),
        ws.annotations.len()
    );
}
