//! `analysis::detect` on real texts: the seed speech and corpus files in `tests/data/`
//! (original bytes; BOM and CRLF are stripped here, as the importer does).

use yinwen::analysis::{Detection, Directive, detect};

fn load(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    raw.trim_start_matches('\u{feff}').replace("\r\n", "\n")
}

fn run(name: &str) -> (String, Detection) {
    let text = load(name);
    let d = detect(&text);
    (text, d)
}

fn slice(text: &str, a: usize, b: usize) -> String {
    text.chars().skip(a).take(b - a).collect()
}

/// The six attributed quotations of the seed speech, in order:
/// (quote starts with, speaker, source title, verb, date, date_text).
type Expected = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const SEED_DIRECTIVES: [Expected; 6] = [
    // 2O05年8月 … 全国社区建设工作会议，明确提出了“……”这一重大历史任务: the 2005 conference.
    (
        "建设和谐社区，为构建和谐社会奠定基础",
        Some("全国社区建设工作会议"),
        None,
        "明确提出",
        Some("2005-08"),
        Some("2O05年8月"),
    ),
    // 20xx年2月，胡锦涛“在……研讨班上的讲话”中指出：
    (
        "要加强城乡基层自治组织建设",
        Some("胡锦涛"),
        Some("在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话"),
        "指出",
        None,
        Some("20xx年2月"),
    ),
    // 20xx年3月，……通过的《纲要》……提出要“……”
    (
        "推进管理有序、治安良好的和谐社区",
        None,
        Some("国民经济和社会发展第十一个五年规划纲要"),
        "提出",
        None,
        Some("20xx年3月"),
    ),
    // 2O06年10月，……通过的《决定》明确要求，要“……”
    (
        "全面开展城市社区建设",
        None,
        Some("中共中央关于构建社会主义和谐社会若干重大问题的决定"),
        "明确要求",
        Some("2006-10"),
        Some("2O06年10月"),
    ),
    // 2O06年10月11日，胡锦涛在……会议上的讲话中，……指出：“……”
    (
        "要适应社会发展要求",
        Some("胡锦涛"),
        None,
        "指出",
        Some("2006-10-11"),
        Some("2O06年10月11日"),
    ),
    // 20xx年11月23日，国务院温家宝在接见……时指出，……。他强调：“……”
    (
        "我们把社区叫做整个社会特别是城市的细胞",
        Some("国务院温家宝"),
        None,
        "强调",
        None,
        Some("20xx年11月23日"),
    ),
];

#[test]
fn seed_six_directives() {
    let (text, d) = run("changchun-community-2007.txt");
    assert_eq!(d.directives.len(), 6, "{:#?}", d.directives);
    for (got, want) in d.directives.iter().zip(SEED_DIRECTIVES.iter()) {
        let (start, speaker, source, verb, date, date_text) = *want;
        assert!(got.quote.starts_with(start), "{got:#?}");
        assert_eq!(got.speaker.as_deref(), speaker, "{start}");
        assert_eq!(got.source_title.as_deref(), source, "{start}");
        assert_eq!(got.verb.as_deref(), Some(verb), "{start}");
        assert_eq!(got.date.as_deref(), date, "{start}");
        assert_eq!(got.date_text.as_deref(), date_text, "{start}");
        assert!(got.speaker.is_some() || got.source_title.is_some());
        assert_eq!(slice(&text, got.start, got.end), got.quote);
        assert!(got.confidence > 0.5, "{start}");
    }
    let hu: &Directive = &d.directives[4];
    assert_eq!(
        hu.occasion.as_deref(),
        Some("在党的十六届六中全会第二次全体会议上")
    );
    assert_eq!(
        d.directives[1].occasion.as_deref(),
        Some("在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上")
    );
    // Wen's quotation keeps its nested ‘小巷’.
    assert!(d.directives[5].quote.contains("‘小巷’"));
    assert!(d.directives[5].quote.ends_with("很多工作需要继续加强。"));
}

#[test]
fn seed_terms_title_references_warnings() {
    let (_, d) = run("changchun-community-2007.txt");
    let terms: Vec<(&str, &str)> = d
        .terms
        .iter()
        .map(|t| (t.text.as_str(), t.kind.as_str()))
        .collect();
    assert_eq!(
        terms,
        [
            ("社区工作者楷模", "honorific"),
            ("推进社区建设", "term"),
            ("小巷", "nested"),
        ]
    );
    for t in ["社区工作者楷模", "推进社区建设", "小巷"] {
        assert!(d.directives.iter().all(|x| x.quote != t));
    }
    assert_eq!(d.titles.len(), 1);
    assert_eq!(
        d.titles[0].text,
        "在省部级主要领导干部提高构建社会主义和谐社会能力专题研讨班上的讲话"
    );

    let numbered: Vec<(Option<&str>, Option<&str>)> = d
        .references
        .iter()
        .filter(|r| r.doc_number.is_some())
        .map(|r| (r.title.as_deref(), r.doc_number.as_deref()))
        .collect();
    assert_eq!(
        numbered,
        [
            (
                Some("国务院关于发展城市社区卫生服务的指导意见"),
                Some("国发〔2006〕10号")
            ),
            (
                Some("国务院关于加强和改进社区服务工作的意见"),
                Some("国发〔20xx〕14号")
            ),
        ]
    );

    let of = |kind: &str| -> Vec<&str> {
        d.warnings
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| w.text.as_str())
            .collect()
    };
    assert_eq!(
        of("digit_letter_confusion"),
        ["2O05", "2O06", "2O06", "2O06", "20O7"]
    );
    // The fourth 2O06 stands in 国发[2O06]10号, whose one fix gives the GB/T 9704 form.
    assert_eq!(of("doc_number_form"), ["国发[2O06]10号"]);
    assert_eq!(of("placeholder_year"), ["20xx"; 5]);
    let debris = of("boilerplate");
    assert_eq!(debris.len(), 1);
    assert!(debris[0].starts_with("看过市社区建设工作会议讲话的人还看了"));
    assert!(debris[0].ends_with("5.社区建设领导讲话"));
    assert!(of("unbalanced_quotes").is_empty());
}

#[test]
fn rural_revitalisation_opinion_is_slogans() {
    let (_, d) = run("cpc_sc_2018_rural_revitalization_opinion.txt");
    assert!(d.directives.len() <= 2, "{:#?}", d.directives);
    assert!(d.terms.len() >= 30, "{}", d.terms.len());
    assert!(d.terms.iter().any(|t| t.text == "三农"));
}

#[test]
fn chen_yun_speech_quotes() {
    let (_, d) = run("xi_2015-06-12_chen_yun_110th_speech.txt");
    assert!(d.directives.len() >= 10, "{}", d.directives.len());
    let chen = d
        .directives
        .iter()
        .filter(|x| x.speaker.as_deref() == Some("陈云"))
        .count();
    assert!(chen >= 10, "{chen}");
    assert!(
        d.directives
            .iter()
            .any(|x| x.quote.contains("‘成家立业’") && x.speaker.as_deref() == Some("陈云"))
    );
    assert!(d.directives.iter().any(|x| x.quote.contains("‘松绑’")));
    assert!(
        d.terms
            .iter()
            .any(|t| t.text == "成家立业" && t.kind == "nested")
    );
}

#[test]
fn report_1978_mao_quotes() {
    let (_, d) = run("gov_report_1978_hua_guofeng.txt");
    let mao = d
        .directives
        .iter()
        .filter(|x| matches!(x.speaker.as_deref(), Some("毛主席" | "毛泽东")))
        .count();
    assert!(mao >= 7, "{mao}");
    assert!(d.terms.len() > 100);
    assert!(d.terms.iter().any(|t| t.text == "四人帮"));
}

#[test]
fn xi_2016_classics_and_leaders() {
    let (_, d) = run("xi_2016-01-18_provincial_study_session_speech.txt");
    let speakers: Vec<&str> = d
        .directives
        .iter()
        .filter_map(|x| x.speaker.as_deref())
        .collect();
    for s in ["毛泽东", "邓小平", "恩格斯", "孔子", "孟子"] {
        assert!(speakers.contains(&s), "{s}: {speakers:?}");
    }
    assert!(
        d.directives
            .iter()
            .any(|x| x.source_title.as_deref() == Some("共产党宣言"))
    );
}

#[test]
fn earthquake_notice_references() {
    let (_, d) = run("state_council_gob_notice_1997-2_earthquake.txt");
    let find = |n: &str| {
        d.references
            .iter()
            .find(|r| r.doc_number.as_deref() == Some(n))
    };
    let r = find("国办发〔1996〕54号").expect("54号");
    assert_eq!(
        r.title.as_deref(),
        Some("国务院办公厅关于印发国家破坏性地震应急预案的通知")
    );
    assert!(find("国办发〔1994〕36号").is_some_and(|r| r.title.is_some()));
    assert!(find("国办发〔1996〕2号").is_some_and(|r| r.title.is_some()));
    assert!(find("国办发〔1997〕2号").is_some_and(|r| r.title.is_none()));
    assert!(d.directives.is_empty());
}

#[test]
fn sichuan_letter_title_with_number_and_abbreviation() {
    let (_, d) = run("state_council_gob_letter_2004-71_sichuan.txt");
    let r = d
        .references
        .iter()
        .find(|r| r.doc_number.as_deref() == Some("国发〔2004〕20号"))
        .expect("国发〔2004〕20号");
    assert_eq!(r.title.as_deref(), Some("国务院关于投资体制改革的决定"));
    assert!(
        d.references
            .iter()
            .any(|r| r.title.as_deref() == Some("决定"))
    );
}

#[test]
fn nested_book_title_kept() {
    let (_, d) = run("xi_2016-09-29_hu_jintao_selected_works_speech.txt");
    assert!(
        d.references
            .iter()
            .any(|r| r.title.as_deref() == Some("关于学习〈胡锦涛文选〉的决定"))
    );
    assert!(d.directives.len() >= 8);
}

#[test]
fn offsets_are_char_offsets_everywhere() {
    for name in [
        "changchun-community-2007.txt",
        "xi_2015-06-12_chen_yun_110th_speech.txt",
        "gov_report_1978_hua_guofeng.txt",
    ] {
        let (text, d) = run(name);
        for x in &d.directives {
            assert_eq!(slice(&text, x.start, x.end), x.quote);
        }
        for t in &d.terms {
            assert_eq!(slice(&text, t.start, t.end), t.text);
        }
        for w in &d.warnings {
            assert_eq!(slice(&text, w.start, w.end), w.text);
        }
    }
}

/// Prints how long `detect` takes on about 1 MB of the real texts in `tests/data/`; run with
/// `cargo test --release --test analysis_corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn detect_speed_on_corpus_mix() {
    let mut unit = String::new();
    for name in [
        "changchun-community-2007.txt",
        "cpc_sc_2018_rural_revitalization_opinion.txt",
        "gov_report_1978_hua_guofeng.txt",
        "state_council_gob_letter_2004-71_sichuan.txt",
        "state_council_gob_notice_1997-2_earthquake.txt",
        "xi_2015-06-12_chen_yun_110th_speech.txt",
        "xi_2016-01-18_provincial_study_session_speech.txt",
        "xi_2016-09-29_hu_jintao_selected_works_speech.txt",
    ] {
        unit.push_str(&load(name));
        unit.push('\n');
    }
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(&unit);
    }
    let mut best = std::time::Duration::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let d = detect(&text);
        best = best.min(t.elapsed());
        found = d.directives.len();
    }
    println!(
        "detect on corpus mix: {} bytes, {} directives, best of 5: {best:?}",
        text.len(),
        found
    );
}
