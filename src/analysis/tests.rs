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
    // A document is the source, not the speaker (issue 25).
    let d = one("党的十七大报告指出：“要健全基层党组织。”");
    assert_eq!(d.speaker, None);
    assert_eq!(d.source_title.as_deref(), Some("党的十七大报告"));
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
    // The 2O06 inside 国发[2O06]10号 is part of that number's one fix.
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].kind, "doc_number_form");
    assert_eq!(
        d.warnings[0].suggestion.as_deref(),
        Some("国发〔2006〕10号")
    );
}

#[test]
fn unbalanced_marks_warn() {
    let d = detect("他说：“没有结束。\n一。\n二。\n三。\n四。\n又一个”。");
    let kinds: Vec<&str> = d.warnings.iter().map(|w| w.kind.as_str()).collect();
    assert_eq!(kinds, ["unbalanced_quotes", "unbalanced_quotes"]);
    assert_eq!(d.warnings[0].start, 3);
    assert!(d.directives.is_empty());
    // A line broken inside a sentence is one quotation over the break.
    let d = detect("他说：“没有结束\n新段落。又一个”。");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(d.directives.len(), 1);
    assert_eq!(d.directives[0].quote, "没有结束\n新段落。又一个");
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

/// The classes of quotation issue 14 lists (examples invented here, one sentence each):
/// every one is a directive, attributed to the speaker or source written.
#[test]
fn introducing_phrases_beyond_a_verb_list() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "老校长在毕业典礼上说过这样一段话：“读书是为了明理，明理是为了做人。”",
            Some("老校长"),
        ),
        (
            "对于群众的疑问，县委的答复是：“一定在年底前把路修好，让大家走上放心路。”",
            Some("县委"),
        ),
        (
            "年轻的战士们立下誓言“宁可流血牺牲，也要守住大堤，保护人民群众安全”。",
            Some("战士们"),
        ),
        (
            "临行前，王校长反复叮嘱大家，“安全第一，遇到困难要及时报告，绝不能逞强。”",
            Some("王校长"),
        ),
        (
            "李书记把这个道理说得很透彻，“干部干部，先干一步，群众才会跟着走。”",
            Some("李书记"),
        ),
        (
            "正如鲁迅所说：「其实地上本没有路，走的人多了，也便成了路。」",
            Some("鲁迅"),
        ),
        (
            "有句话说得好：“火车跑得快，全靠车头带，支部强不强关键看书记。”",
            None,
        ),
        (
            "张部长在会上强调，务必“把每一分钱都用在刀刃上，决不允许铺张浪费”。",
            Some("张部长"),
        ),
        (
            "王市长指出：改革开放时期“胆子要大一些，步子要快一些，闯出一条新路来”。",
            Some("王市长"),
        ),
        (
            "省委要求，要“切实减轻基层负担，让干部把更多精力投入到抓落实上来”。",
            Some("省委"),
        ),
        (
            "陈主任似乎讲过“基层的事情没有小事，群众的小事就是我们的大事”。",
            Some("陈主任"),
        ),
        (
            "毛泽东同志曾经深刻阐述：“没有调查，没有发言权。”",
            Some("毛泽东"),
        ),
        (
            "刘局长一再地说：“数据造假是最大的失职，谁造假就追究谁的责任。”",
            Some("刘局长"),
        ),
        (
            "《条例》规定：“党员领导干部应当带头遵守廉洁自律规定，自觉接受监督。”",
            Some("条例"),
        ),
        ("《论语》说：“己所不欲，勿施于人。”", Some("论语")),
        (
            "司马迁在《史记》中写道：“人固有一死，或重于泰山，或轻于鸿毛。”",
            Some("司马迁"),
        ),
        (
            "“发展才是硬道理，这句话我们一刻也不能忘。”这是区长刘明同志反复强调的话。",
            Some("刘明"),
        ),
        (
            "“工作再忙也要到群众中间去，把群众的冷暖放在心上。”按照周总理的这一要求，我们改进了作风。",
            Some("周总理"),
        ),
        (
            "“今年的任务很重，大家要有打硬仗的准备。”，赵局长说。",
            Some("赵局长"),
        ),
        (
            "省长赵刚同志指出：“要把生态保护放在更加突出的位置。”",
            Some("赵刚"),
        ),
        (
            "孙七说：“我们村去年通了自来水，大家都很满意。”",
            Some("孙七"),
        ),
        (
            "习近平在纪念毛泽东同志诞辰120周年座谈会上指出：“实事求是是马克思主义的根本观点。”",
            Some("习近平"),
        ),
        (
            "孔子曾请教老子，他说：“学而不思则罔，思而不学则殆。”",
            Some("孔子"),
        ),
        (
            "局長表示：「我們會繼續與各界溝通，爭取在年底前完成諮詢工作。」",
            Some("局長"),
        ),
        ("他指出：．“要把学习成果转化为推动工作的实际行动。”", None),
        (
            "一位70多岁的老人说：“做梦也没想到能住上这么好的房子。”",
            Some("老人"),
        ),
        ("母親解釋說：「你只可選擇小提琴班或圍棋班。」", Some("母親")),
    ];
    for (text, who) in cases {
        let det = detect(text);
        assert_eq!(det.directives.len(), 1, "{text}: {det:?}");
        let d = &det.directives[0];
        if let Some(who) = who {
            let got = d
                .speaker
                .clone()
                .or(d.source_title.clone())
                .unwrap_or_default();
            assert!(got.contains(who), "{text}: speaker {got:?}, expected {who}");
        }
    }
}

#[test]
fn dates_of_utterances() {
    let d = one("2O16年5月，他在座谈会上指出：“要坚持以人民为中心的发展思想。”");
    assert_eq!(d.date.as_deref(), Some("2016-05"));
    let d = one(
        "2018年春天调研时讲的话很多。7月16日，省委车俊书记在会上强调，“要在全省来一次思想大解放。”",
    );
    assert_eq!(d.date.as_deref(), Some("2018-07-16"));
    assert!(d.speaker.as_deref().is_some_and(|s| s.contains("车俊")));
    let d = one("二〇二〇年十月九日，吴建平局长强调：“民政工作要兜住底线、织密网络。”");
    assert_eq!(d.date.as_deref(), Some("2020-10-09"));
}

#[test]
fn quotations_across_hard_line_breaks() {
    let line = "这是从文件里复制出来的一行文字，每一行都是三十五个字左右，换行很整齐。";
    let mut text = String::new();
    for _ in 0..6 {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("会上，刘少奇同志说：“一个人，特别是一个党员，为了党，为了无产阶级，为\n");
    text.push_str("了民族解放和人类解放的事业，能够毫不犹豫地牺牲个人利益，甚至牺牲自己的\n");
    text.push_str("生命。”这是他一生的写照。\n");
    let det = detect(&text);
    assert_eq!(det.directives.len(), 1, "{det:?}");
    let d = &det.directives[0];
    assert_eq!(d.speaker.as_deref(), Some("刘少奇"));
    assert!(d.quote.contains('\n'), "the quote is the text as written");
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[d.start - 1], '“');
    assert_eq!(chars[d.end], '”');
    assert!(!det.warnings.iter().any(|w| w.kind == "unbalanced_quotes"));
}

#[test]
fn own_speaker_from_header_speaks_the_texts_first_person() {
    let text = "习近平：在庆祝改革开放四十周年大会上的讲话\n\n同志们：\n\n我在党的十九大报告中提出要“坚持以人民为中心的发展思想，不断促进人的全面发展。”这是我们的初心。";
    let d = one(text);
    assert_eq!(d.speaker.as_deref(), Some("习近平"));
    // 我们 in the same text is not the speaker's own 我.
    let we = text.replace("我在党的", "我们在党的");
    assert_ne!(one(&we).speaker.as_deref(), Some("习近平"));
}

#[test]
fn doc_numbers_against_gbt_9704_get_one_warning_with_the_standard_form() {
    let text = "根据国发[2O06]10号文件和国办发（1996）54号精神，按国发〔2007〕3号执行。";
    let det = detect(text);
    let forms: Vec<(&str, Option<&str>)> = det
        .warnings
        .iter()
        .filter(|w| w.kind == "doc_number_form")
        .map(|w| (w.text.as_str(), w.suggestion.as_deref()))
        .collect();
    assert_eq!(
        forms,
        [
            ("国发[2O06]10号", Some("国发〔2006〕10号")),
            ("国办发（1996）54号", Some("国办发〔1996〕54号"))
        ]
    );
    // The look-alike letter inside the first is part of that fix, not a second warning.
    assert!(
        !det.warnings
            .iter()
            .any(|w| w.kind == "digit_letter_confusion"),
        "{:?}",
        det.warnings
    );
}

#[test]
fn speaker_named_after_the_quotation() {
    // Sentences written for this test (news-feature style): the speaker after the quotation,
    // with an adverbial, an object, or a verb of news reporting.
    let cases = [
        (
            "“这条路修好了，我们村的日子就好过了。”老支书笑着说。",
            "老支书",
            "说",
        ),
        (
            "“今年的粮食收成比去年多了两成。”赵德明高兴地告诉记者。",
            "赵德明",
            "告诉记者",
        ),
        (
            "“企业的困难我们要主动上门解决。”，钱副县长对记者说。",
            "钱副县长",
            "说",
        ),
        (
            "“我们已经组织了三支救援队连夜进山。”刘建国介绍。",
            "刘建国",
            "介绍",
        ),
        (
            "“现在看病方便多了，在家门口就能看。”一位村民感慨道。",
            "村民",
            "感慨道",
        ),
        (
            "“干部要多到群众中去。”这是县委书记反复强调的一句话。",
            "县委书记",
            "强调",
        ),
        (
            "“工作要一件一件抓落实。”，是孙书记常说的一句话。",
            "孙书记",
            "说",
        ),
    ];
    for (text, speaker, verb) in cases {
        let d = one(text);
        assert!(
            d.speaker.as_deref().is_some_and(|s| s.contains(speaker)),
            "{text}: {:?}",
            d.speaker
        );
        assert_eq!(d.verb.as_deref(), Some(verb), "{text}");
    }
}

#[test]
fn documents_are_sources_never_speakers() {
    // Sentences written for this test: a document named as the one that says something.
    let cases = [
        (
            "2019年政府工作报告提出：“要坚持稳中求进工作总基调。”",
            "2019年政府工作报告",
        ),
        (
            "党的十九大报告指出：“中国特色社会主义进入了新时代。”",
            "党的十九大报告",
        ),
        (
            "中央一号文件还要求：“坚持农业农村优先发展。”",
            "中央一号文件",
        ),
        // A short reference is the last title of that kind named before it.
        (
            "今年的《政府工作报告》提出了目标。报告还要求：“各级政府要过紧日子。”",
            "政府工作报告",
        ),
    ];
    for (text, source) in cases {
        let d = one(text);
        assert_eq!(d.speaker, None, "{text}");
        assert_eq!(d.source_title.as_deref(), Some(source), "{text}");
    }
    // A meeting deciding is a body, not a document.
    assert_eq!(one("会议决定：“成立领导小组。”").source_title, None);
}

/// Speaker and reason of the directive whose quotation starts with `head`.
fn who(d: &crate::analysis::Detection, head: &str) -> (Option<String>, &'static str) {
    let x = d
        .directives
        .iter()
        .find(|x| x.quote.starts_with(head))
        .unwrap_or_else(|| panic!("no directive {head}: {:?}", d.directives));
    (x.speaker.clone(), x.attribution_reason.code())
}

#[test]
fn ordinary_names_are_learnt_from_the_text() {
    let d = detect(
        "村党支部书记刘德胜说：“路修好了，大家才有盼头。”\n\n\
         他回忆道：“那时候谁也不信，开会都没人来。”\n\n\
         “今年收成不错，比去年多了。”她笑着说。村民张秀兰正在晒玉米。\n\n\
         53岁的李红梅在合作社打工。“一个月能挣两千多块钱，还能照顾家里。”\n\n\
         他还对老陈的妻子杨小兰说：“你丈夫安心工作，家里的事我们帮着办。”",
    );
    assert_eq!(who(&d, "路修好了"), (Some("刘德胜".into()), "before_colon"));
    assert_eq!(who(&d, "那时候"), (Some("刘德胜".into()), "pronoun"));
    assert_eq!(
        who(&d, "一个月"),
        (Some("李红梅".into()), "earlier_sentence")
    );
    // The one spoken to is not the speaker.
    assert_ne!(who(&d, "你丈夫").0.as_deref(), Some("杨小兰"));
}

#[test]
fn labels_indirect_speech_sayings_and_colons_before_a_break() {
    let d = detect(
        "问：为何一定要取消整条试题？\n\n杨润雄：“这条题目没有讨论空间，答案只有弊。”\n\n\
         王建国表示，全县今年将投入三千万元用于产业扶贫，“一个村一个主导产业，一户一个增收项目”。\n\n\
         正所谓“知者行之始，行者知之成”。\n\n\
         关品方教授在文章中写了这样一段话：\n“一国之下，有两制比只有一制好，有竞争比没有竞争好。”\n\n\
         阿扁总统在除夕谈话中却说“过去的一年如果有不够圆满的地方，都是我们进步的动力”。",
    );
    assert_eq!(who(&d, "这条题目"), (Some("杨润雄".into()), "label"));
    assert_eq!(
        who(&d, "一个村"),
        (Some("王建国".into()), "indirect_speech")
    );
    assert_eq!(who(&d, "知者行之始").1, "saying");
    assert_eq!(who(&d, "一国之下").1, "previous_paragraph");
    assert_eq!(who(&d, "过去的一年").1, "before_quote");
}

#[test]
fn attribution_reason_is_in_the_json() {
    let d = detect("习近平指出：“空谈误国，实干兴邦。”");
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["directives"][0]["attribution_reason"], "before_colon");
}

#[test]
fn a_footnote_names_the_source_its_author_and_date() {
    let d = detect(
        "这篇讲话明确提出：“我们的文艺是为人民大众的。”①此后成为方针。\n\n\
         ① 毛泽东：《在延安文艺座谈会上的讲话》（1942年5月），《毛泽东选集》第3卷。\n",
    );
    let x = &d.directives[0];
    assert_eq!(x.speaker.as_deref(), Some("毛泽东"));
    assert_eq!(x.source_title.as_deref(), Some("在延安文艺座谈会上的讲话"));
    assert_eq!(x.date.as_deref(), Some("1942-05"));
    assert_eq!(x.attribution_reason.code(), "footnote");
}

#[test]
fn the_one_spoken_to_never_speaks() {
    let d = detect("我对习近平同志说：“习书记，我陪您两次了，今天合张影吧！”");
    assert_ne!(d.directives[0].speaker.as_deref(), Some("习近平"));
}
