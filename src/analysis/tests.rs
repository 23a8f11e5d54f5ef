//! Tests of `detect` on small literal texts, a fuzz-style no-panic test, and a timing probe.

use super::*;

fn one(text: &str) -> Directive {
    let d = detect(text);
    assert_eq!(d.directives.len(), 1, "{:#?}", d.directives);
    d.directives.into_iter().next().expect("one directive")
}

#[test]
fn speaker_occasion_date_verb_before_colon() {
    let text = "2006年10月11日，胡锦涛同志在党的十六届六中全会第二次全体会议上指出：“要适应社会发展要求。”";
    let d = one(text);
    assert_eq!(d.quote, "要适应社会发展要求。");
    assert_eq!(d.speaker.as_deref(), Some("胡锦涛"));
    assert_eq!(
        d.occasion.as_deref(),
        Some("在党的十六届六中全会第二次全体会议上")
    );
    assert_eq!(d.date.as_deref(), Some("2006-10-11"));
    assert_eq!(d.date_text.as_deref(), Some("2006年10月11日"));
    assert_eq!(d.verb.as_deref(), Some("指出"));
    assert!(d.confidence >= 0.9);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[d.start..d.end].iter().collect::<String>(), d.quote);
}

#[test]
fn document_with_comma_and_yao() {
    let d = one("《决定》明确要求，要“全面开展城市社区建设，积极推进农村社区建设。”");
    assert_eq!(d.source_title.as_deref(), Some("决定"));
    assert_eq!(d.speaker, None);
    assert_eq!(d.verb.as_deref(), Some("明确要求"));
}

#[test]
fn document_with_colon() {
    let d = one("《决定》提出：“加强社会建设。”");
    assert_eq!(d.source_title.as_deref(), Some("决定"));
    assert_eq!(d.verb.as_deref(), Some("提出"));
}

#[test]
fn attribution_after_the_quote() {
    let d = one("会上气氛热烈。“社区工作要抓实抓细，一件一件落实。”李部长说。");
    assert_eq!(d.speaker.as_deref(), Some("李部长"));
    assert_eq!(d.verb.as_deref(), Some("说"));
    let d = one("温家宝总理来到社区。“群众有困难就可以找社区，这很好。”，他强调。");
    assert_eq!(d.speaker.as_deref(), Some("温家宝总理"));
    assert_eq!(d.verb.as_deref(), Some("强调"));
}

#[test]
fn zhengru_suoshuo() {
    let d = one("正如毛主席所说，“世界上怕就怕认真二字，共产党就最讲认真。”");
    assert_eq!(d.speaker.as_deref(), Some("毛主席"));
    assert_eq!(d.verb.as_deref(), Some("所说"));
    let d = one("正如马克思所指出的，“人的本质是一切社会关系的总和。”");
    assert_eq!(d.speaker.as_deref(), Some("马克思"));
    assert_eq!(d.verb.as_deref(), Some("所指出"));
}

#[test]
fn offices_and_bodies() {
    let d = one("市委王书记强调：“要把社区建设摆上重要议事日程。”");
    assert_eq!(d.speaker.as_deref(), Some("市委王书记"));
    let d = one("国务院总理温家宝指出：“城市社区工作做好了，群众就方便了。”");
    assert_eq!(d.speaker.as_deref(), Some("国务院总理温家宝"));
    let d = one("中共中央指出：“必须坚持以人为本。”");
    assert_eq!(d.speaker.as_deref(), Some("中共中央"));
    let d = one("党的十七大报告指出：“要健全基层党组织。”");
    assert_eq!(d.speaker.as_deref(), Some("党的十七大报告"));
}

#[test]
fn pronoun_resolves_to_previous_person() {
    let text = "20xx年11月23日，国务院温家宝在接见代表时指出，民政很重要。他强调：“我们把社区叫做城市的细胞。”";
    let d = one(text);
    assert_eq!(d.speaker.as_deref(), Some("国务院温家宝"));
    assert_eq!(d.date, None);
    assert_eq!(d.date_text.as_deref(), Some("20xx年11月23日"));
    assert_eq!(d.occasion.as_deref(), Some("在接见代表时"));
}

#[test]
fn short_quotes_are_terms() {
    let d = detect(
        "要坚持“放管服”改革，把“推进社区建设”作为重点，做好“三农”工作，学习“社区工作者楷模”。",
    );
    assert!(d.directives.is_empty());
    let kinds: Vec<(&str, &str)> = d
        .terms
        .iter()
        .map(|t| (t.text.as_str(), t.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("放管服", "term"),
            ("推进社区建设", "term"),
            ("三农", "term"),
            ("社区工作者楷模", "honorific"),
        ]
    );
    // A short quote after a verb with a speaker is still a term.
    assert!(detect("习近平提出了“四个全面”。").directives.is_empty());
}

#[test]
fn nested_marks_kept_and_reported_as_terms() {
    let d = detect("他说：“出了很多有名的‘小巷’他们应该受到尊重。”");
    assert_eq!(d.directives.len(), 1);
    assert!(d.directives[0].quote.contains("‘小巷’"));
    assert_eq!(d.terms.len(), 1);
    assert_eq!(
        (d.terms[0].text.as_str(), d.terms[0].kind.as_str()),
        ("小巷", "nested")
    );
}

#[test]
fn multi_paragraph_quotation_is_one_directive() {
    let text = "毛主席指出：“第一段话。\n“第二段话。\n　　“第三段话。”\n下文。";
    let d = detect(text);
    assert_eq!(d.directives.len(), 1);
    assert_eq!(
        d.directives[0].quote,
        "第一段话。\n“第二段话。\n　　“第三段话。"
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn back_to_back_quotes_continue() {
    let d = detect("他说：“第一句话很长很长很长。”“第二句话也很长很长。”");
    assert_eq!(d.directives.len(), 2);
    assert_eq!(d.directives[1].verb.as_deref(), Some("说"));
    assert!(d.directives[1].confidence < d.directives[0].confidence);
}

#[test]
fn quoted_title_is_source() {
    let d = detect(
        "胡锦涛“在省部级主要领导干部专题研讨班上的讲话”中指出：“要加强城乡基层自治组织建设。”",
    );
    assert_eq!(d.titles.len(), 1);
    assert_eq!(d.directives.len(), 1);
    let x = &d.directives[0];
    assert_eq!(x.speaker.as_deref(), Some("胡锦涛"));
    assert_eq!(
        x.source_title.as_deref(),
        Some("在省部级主要领导干部专题研讨班上的讲话")
    );
    assert_eq!(
        x.occasion.as_deref(),
        Some("在省部级主要领导干部专题研讨班上")
    );
}

#[test]
fn references_with_numbers() {
    let d = detect(
        "下发了《国务院关于发展城市社区卫生服务的指导意见》(国发[2O06]10号)和国办发〔1996〕54号。",
    );
    assert_eq!(d.references.len(), 2);
    let r = &d.references[0];
    assert_eq!(
        r.title.as_deref(),
        Some("国务院关于发展城市社区卫生服务的指导意见")
    );
    assert_eq!(r.doc_number.as_deref(), Some("国发〔2006〕10号"));
    assert_eq!((r.start, r.end), (3, 38));
    assert_eq!(d.references[1].title, None);
    assert_eq!(
        d.references[1].doc_number.as_deref(),
        Some("国办发〔1996〕54号")
    );
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].kind, "digit_letter_confusion");
}

#[test]
fn unbalanced_marks_warn() {
    let d = detect("他说：“没有结束\n新段落。又一个”。");
    let kinds: Vec<&str> = d.warnings.iter().map(|w| w.kind.as_str()).collect();
    assert_eq!(kinds, ["unbalanced_quotes", "unbalanced_quotes"]);
    assert_eq!(d.warnings[0].start, 3);
    assert!(d.directives.is_empty());
}

#[test]
fn abridged_and_json_nulls() {
    let d = one("邓小平同志指出：“发展才是硬道理……要抓住机遇。”");
    assert!(d.abridged);
    let json = serde_json::to_value(&d).expect("serialises");
    assert!(json["occasion"].is_null());
    assert_eq!(json["speaker"], "邓小平");
}

/// Small deterministic generator for the fuzz test.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn no_panic_on_random_input() {
    let pieces: Vec<&str> = vec![
        "“",
        "”",
        "‘",
        "’",
        "「",
        "」",
        "『",
        "』",
        "\"",
        "《",
        "》",
        "〈",
        "〉",
        "〔",
        "〕",
        "[",
        "]",
        "(",
        "（",
        "）",
        "【",
        "】",
        "0",
        "1",
        "2",
        "9",
        "O",
        "l",
        "x",
        "X",
        "年",
        "月",
        "日",
        "号",
        "国发",
        "指出",
        "说",
        "强调",
        "：",
        "，",
        "。",
        "\n",
        "　",
        "他",
        "胡锦涛",
        "同志",
        "在",
        "上",
        "时",
        "要",
        "明确要求",
        "李部长",
        "一九",
        "十",
        "二〇",
        "…",
        "看过",
        "的人还看了",
        "1.",
        "相关阅读",
        "社",
        "区",
        "a",
        " ",
        "所说",
        "的",
    ];
    let mut rng = Lcg(42);
    for _ in 0..4000 {
        let len = rng.next() % 60;
        let s: String = (0..len)
            .map(|_| pieces[rng.next() % pieces.len()])
            .collect();
        let n = s.chars().count();
        let d = detect(&s);
        let chars: Vec<char> = s.chars().collect();
        for x in &d.directives {
            assert!(x.start <= x.end && x.end <= n, "{s:?}");
            assert_eq!(chars[x.start..x.end].iter().collect::<String>(), x.quote);
            assert!((0.0..=1.0).contains(&x.confidence));
        }
        for t in &d.terms {
            assert!(t.start <= t.end && t.end <= n, "{s:?}");
        }
        for r in &d.references {
            assert!(r.start <= r.end && r.end <= n, "{s:?}");
        }
        for w in &d.warnings {
            assert!(w.start <= w.end && w.end <= n, "{s:?}");
        }
    }
    for s in ["", "“", "”", "《", "〔2006〕", "20xx", "他说：“", "“\n“\n“"] {
        let _ = detect(s);
    }
}

/// Prints the time `detect` takes on about 1 MB; run with
/// `cargo test --release -- --ignored --nocapture detect_speed`.
#[test]
#[ignore]
fn detect_speed() {
    let unit = "2O06年10月11日，胡锦涛同志在党的十六届六中全会第二次全体会议上指出：“要适应社会发展要求，继续推进经济体制、政治体制、文化体制改革和创新。”他强调：“我们有许多办得很好的社区，出了很多有名的‘小巷’。”国务院先后下发了《国务院关于发展城市社区卫生服务的指导意见》(国发[2O06]10号)，要坚持“放管服”改革，做好“三农”工作，把“推进社区建设”作为重点。“城市社区工作做好了。”李部长说。20xx年上半年，社区建设取得新进展，人民群众的生活水平不断提高，基层组织建设不断加强。\n";
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(unit);
    }
    let _ = detect(&text);
    let t = std::time::Instant::now();
    let runs = 5;
    let mut found = 0;
    for _ in 0..runs {
        found += detect(&text).directives.len();
    }
    let per = t.elapsed() / runs;
    println!(
        "detect: {} bytes, {} chars, {} directives: {:?} per run",
        text.len(),
        text.chars().count(),
        found / runs as usize,
        per
    );
}
