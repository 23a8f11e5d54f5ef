//! Fuzzing everything that reads user text (issue 24: "never crash, never a wrong answer with
//! exit 0"): the header reader (title, 文号, date, speaker, aliases), the detector behind
//! `yinwen detect` (with hygiene), reflow, and every importer (bytes → text → header, for each
//! format). Inputs are arbitrary Unicode, dense sequences of the marks and words the readers
//! look for (二〇一七年, 次全国代表大会, “”「」《》, 〔〕号, …), and real corpus texts (tests/data,
//! tests/gold) cut at random with such pieces, emoji, control chars, `\r`, U+FFFD and lone
//! combining marks spliced in. Each importer also gets such texts wrapped in its format (plain
//! text in UTF-8/GBK/UTF-16, RTF, web page, `.docx`) and damaged real files.
//!
//! The runs use a fixed seed, so that `cargo test` is repeatable; a failure is kept in
//! `proptest-regressions/fuzz_text.txt` and replayed first.

use std::io::{Cursor, Write};
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use yinwen::analysis::{self, header};
use yinwen::import::{self, EncodingChoice, Options, Reflow};

/// The pieces the readers look for, and the hostile ones.
const PIECES: &[&str] = &[
    "二〇一七年",
    "二零零八年",
    "〇七年",
    "2017年",
    "年",
    "政府工作报告",
    "第十九次全国代表大会",
    "次全国代表大会",
    "第",
    "大上的报告",
    "人民代表大会",
    "关于",
    "的通知",
    "在",
    "上的讲话",
    "时的讲话",
    "上",
    "的",
    "——",
    "（",
    "）",
    "〔2017〕",
    "〔",
    "〕",
    "号",
    "国发",
    "月",
    "日",
    "2017年10月18日",
    "习近平",
    "同志",
    "指出",
    "强调",
    "：",
    "“",
    "”",
    "「",
    "」",
    "《",
    "》",
    "‘",
    "’",
    "\"",
    "'",
    "。",
    "，",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "　",
    " ",
    "\t",
    "\u{FFFD}",
    "\u{301}",
    "\u{20DD}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{202E}",
    "👍🏽",
    "🇨🇳",
    "𠀀",
    "\u{0}",
    "\u{1b}",
    "\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "é",
    "0",
    "-",
    "…",
];

/// The corpus paragraphs: every UTF-8 text of tests/data and tests/gold.
fn corpus() -> &'static [Vec<char>] {
    static C: OnceLock<Vec<Vec<char>>> = OnceLock::new();
    C.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["tests/data", "tests/gold", "tests/data/formats"] {
            let mut names: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            names.sort();
            for p in names {
                if let Ok(s) = std::fs::read_to_string(&p) {
                    out.push(s.chars().collect());
                }
            }
        }
        assert!(out.len() >= 10, "corpus texts found: {}", out.len());
        out
    })
}

/// A corpus text cut at `start` (a fraction of its length) to `len` chars, with pieces
/// inserted and spans deleted at the given places.
fn mutate(
    which: usize,
    start: usize,
    len: usize,
    inserts: &[(usize, usize)],
    deletes: &[(usize, usize)],
) -> String {
    let c = corpus();
    let text = &c[which % c.len()];
    let from = start % text.len().max(1);
    let mut v: Vec<char> = text[from..(from + len).min(text.len())].to_vec();
    for &(at, n) in deletes {
        if v.is_empty() {
            break;
        }
        let a = at % v.len();
        let b = (a + n).min(v.len());
        v.drain(a..b);
    }
    for &(at, piece) in inserts {
        let a = at % (v.len() + 1);
        v.splice(a..a, PIECES[piece % PIECES.len()].chars());
    }
    v.into_iter().collect()
}

/// Real texts, cut and spliced.
fn mutated_text() -> impl Strategy<Value = String> {
    (
        0usize..1000,
        0usize..1_000_000,
        0usize..1200,
        proptest::collection::vec((0usize..100_000, 0usize..1000), 0..16),
        proptest::collection::vec((0usize..100_000, 0usize..40), 0..4),
    )
        .prop_map(|(w, s, l, ins, del)| mutate(w, s, l, &ins, &del))
}

/// Pieces only, densely: what the header's rules look for, next to each other.
fn pieces_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(0usize..PIECES.len(), 0..40)
        .prop_map(|v| v.into_iter().map(|i| PIECES[i]).collect())
}

/// Arbitrary Unicode (control chars and newlines included), or mixed with pieces.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(?s:.){0,200}",
        proptest::collection::vec(
            prop_oneof![
                "(?s:.){0,6}",
                (0usize..PIECES.len()).prop_map(|i| PIECES[i].to_string())
            ],
            0..40
        )
        .prop_map(|v| v.concat()),
    ]
}

/// Every text strategy.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![mutated_text(), pieces_text(), any_text()]
}

fn config(cases: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

/// The header reader: never panics, and what it finds is non-empty text of the input.
fn check_header(t: &str) {
    let h = header::read_header(t);
    for f in [
        &h.title,
        &h.issuer,
        &h.doc_number,
        &h.date,
        &h.speaker,
        &h.occasion,
    ]
    .into_iter()
    .flatten()
    {
        assert!(!f.trim().is_empty(), "empty field from {t:?}: {h:?}");
    }
    if let Some(d) = &h.date {
        // As precise as written: `2017`, `2017-10` or `2017-10-18`.
        assert!(
            matches!(d.len(), 4 | 7 | 10)
                && d.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }),
            "date {d:?} is not ISO, from {t:?}"
        );
    }
    for a in &h.aliases {
        assert!(!a.is_empty());
    }
    let _ = header::doc_number_line(t);
}

/// The detector (with hygiene): never panics, offsets are char offsets inside the text.
fn check_detect(t: &str) {
    let n = t.chars().count();
    let d = analysis::detect(t);
    let spans = d
        .directives
        .iter()
        .map(|x| (x.start, x.end))
        .chain(d.terms.iter().map(|x| (x.start, x.end)))
        .chain(d.titles.iter().map(|x| (x.start, x.end)))
        .chain(d.warnings.iter().map(|x| (x.start, x.end)));
    for (s, e) in spans {
        assert!(s <= e && e <= n, "span {s}..{e} outside {n} chars of {t:?}");
    }
}

/// Reflow in each mode: never panics, keeps every non-space char in order (but the hyphen of
/// a Latin word broken at a line's end, which rejoining drops on purpose).
fn check_reflow(t: &str) {
    let t = import::normalize_newlines(t);
    let kept = |s: &str| -> String {
        s.chars()
            .filter(|&c| !c.is_whitespace() && c != '-')
            .collect()
    };
    for mode in Reflow::ALL {
        let (out, _) = import::reflow::apply(t.to_string(), mode);
        assert_eq!(kept(&out), kept(&t), "{mode:?} lost text of {t:?}");
    }
}

/// Bytes → text through the importer chosen by content, in every reflow mode; what it gives
/// goes on to the header reader and the detector, as in `yinwen import` and `detect`.
fn check_import(bytes: &[u8]) {
    for reflow in [Reflow::Auto, Reflow::Off] {
        let opts = Options {
            encoding: EncodingChoice::Auto,
            reflow,
        };
        match import::decode_with(bytes, opts) {
            Ok(d) => {
                assert!(!d.text.trim().is_empty());
                assert!(!d.text.contains('\r'), "newlines normalised");
                check_header(&d.text);
                check_detect(&d.text);
                let doc = d.into_document(Some("x"), Default::default());
                assert!(!doc.text.is_empty());
            }
            Err(e) => {
                let line = e.to_string();
                assert!(!line.is_empty() && !line.contains('\n'), "{line:?}");
            }
        }
    }
}

// ----- the text readers -----

proptest! {
    #![proptest_config(config(4000, 0x5949_4e57_454e_0001))]

    #[test]
    fn the_header_reader_never_panics(t in text()) {
        check_header(&t);
    }
}

proptest! {
    #![proptest_config(config(1500, 0x5949_4e57_454e_0002))]

    #[test]
    fn the_detector_never_panics_and_keeps_offsets_inside(t in text()) {
        check_detect(&t);
    }

    #[test]
    fn reflow_never_panics_nor_loses_text(t in text()) {
        check_reflow(&t);
    }
}

// ----- the importers, on texts in their formats -----

/// A plain-text file: UTF-8, GBK (characters GBK lacks become `&#N;`), UTF-16LE with a
/// byte-order mark, or UTF-8 with one.
fn as_text_file(t: &str, how: usize) -> Vec<u8> {
    match how % 4 {
        0 => t.as_bytes().to_vec(),
        1 => encoding_rs::GBK.encode(t).0.into_owned(),
        2 => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
            b
        }
        _ => [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat(),
    }
}

/// An RTF document: each char as `\uN?`, as GBK `\'hh` bytes, or raw, by turns.
fn as_rtf(t: &str, how: usize) -> Vec<u8> {
    let mut b =
        b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fcharset134 SimSun;}}\\f0 ".to_vec();
    for (i, c) in t.chars().enumerate() {
        match (c, (how + i) % 3) {
            ('\n', _) => b.extend(b"\\par\n"),
            ('\\' | '{' | '}', _) => b.extend(format!("\\{c}").bytes()),
            (c, _) if c.is_ascii() => b.push(c as u8),
            (c, 0) => b.extend(format!("\\u{}?", c as u32 as i16).bytes()),
            (c, 1) => {
                let mut buf = [0; 4];
                let (g, _, _) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
                for x in g.iter() {
                    b.extend(format!("\\'{x:02x}").bytes());
                }
            }
            (c, _) => {
                let mut buf = [0; 4];
                b.extend(encoding_rs::GBK.encode(c.encode_utf8(&mut buf)).0.iter());
            }
        }
    }
    b.push(b'}');
    b
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || c == '\t' || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A web page with the text as its title (the tab's, the meta's and the `<h1>`), a date line
/// and paragraphs.
fn as_html(title: &str, body: &str, gbk: bool) -> Vec<u8> {
    let t = xml_escape(title);
    let paras: String = body
        .split('\n')
        .map(|p| format!("<p>{}</p>\n", xml_escape(p)))
        .collect();
    let charset = if gbk { "gbk" } else { "utf-8" };
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{t}_新华网</title>\
         <meta name=\"ArticleTitle\" content=\"{t}\"><meta name=\"PubDate\" content=\"{t}\">\
         </head><body><div class=\"nav\"><a href=\"/\">首页</a></div><div class=\"content\">\
         <h1>{t}</h1><div class=\"info\">{t} 来源：{t}</div>{paras}</div></body></html>"
    );
    if gbk {
        encoding_rs::GBK.encode(&page).0.into_owned()
    } else {
        page.into_bytes()
    }
}

/// A `.docx` whose paragraphs are the text's lines.
fn as_docx(t: &str) -> Vec<u8> {
    let body: String = t
        .split('\n')
        .map(|p| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                xml_escape(p)
            )
        })
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in [
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &xml),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(config(600, 0x5949_4e57_454e_0003))]

    #[test]
    fn text_files_in_any_encoding_import_cleanly(t in text(), how in 0usize..4) {
        check_import(&as_text_file(&t, how));
    }

    #[test]
    fn rtf_web_page_and_docx_texts_import_cleanly(
        title in text(),
        body in text(),
        how in 0usize..6,
    ) {
        let t = format!("{title}\n{body}");
        let bytes = match how {
            0 | 1 => as_rtf(&t, how),
            2 => as_html(&title, &body, false),
            3 => as_html(&title, &body, true),
            _ => as_docx(&t),
        };
        check_import(&bytes);
    }
}

// ----- the importers, on damaged real files -----

/// The real files of each format (tests/data/formats).
fn format_files() -> &'static [Vec<u8>] {
    static F: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    F.get_or_init(|| {
        [
            "stsong-unigb.pdf",
            "short-1997-earthquake.pdf",
            "n.ofd",
            "keyword2.ofd",
            "seed-para.doc",
            "gbk-handmade.rtf",
            "seed-para.rtf",
            "gbk-article.html",
            "utf8-article-trs.html",
            "short-1997-earthquake.txt",
        ]
        .iter()
        .map(|n| {
            std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/data/formats")
                    .join(n),
            )
            .unwrap()
        })
        .chain(std::iter::once(as_docx(
            "二〇一七年政府工作报告\n——2017年3月5日在第十二届全国人民代表大会第五次会议上\n各位代表：",
        )))
        .collect()
    })
}

proptest! {
    #![proptest_config(config(200, 0x5949_4e57_454e_0004))]

    #[test]
    fn damaged_files_of_every_format_import_cleanly(
        which in 0usize..11,
        flips in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 0..6),
        splice in proptest::collection::vec((0usize..1_000_000, 0usize..PIECES.len()), 0..4),
        cut in 0usize..1_000_000,
    ) {
        let mut bytes = format_files()[which].clone();
        for (at, b) in flips {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        for (at, p) in splice {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, PIECES[p].bytes());
        }
        if cut % 4 == 0 {
            bytes.truncate(cut % (bytes.len() + 1));
        }
        check_import(&bytes);
    }
}

// ----- cases found by hand or by a tester, kept as plain tests -----

#[test]
fn chinese_numeral_years_in_titles() {
    for t in [
        "二〇一七年政府工作报告",
        "二〇一七年政府工作报告\n\n各位代表：",
        "〇七年政府工作报告",
        "某某市二〇一七年政府工作报告",
        "🇨🇳年政府工作报告",
        "é年政府工作报告",
    ] {
        check_header(t);
        check_detect(t);
        check_import(t.as_bytes());
    }
}

/// Files nested 20,000 deep in every format, read on a thread with a worker's stack (2 MiB,
/// as a folder import's or the library index's): refused with one line or read, never a stack
/// overflow (which would abort the whole test binary).
#[test]
fn deep_nesting_in_every_format_is_refused_or_read_on_a_worker_stack() {
    const N: usize = 20_000;
    let docx_body = format!(
        "{}<w:r><w:t>同志们：</w:t></w:r>{}",
        "<w:p>".repeat(N),
        "</w:p>".repeat(N)
    );
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{docx_body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in [
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &xml),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    let docx = w.finish().unwrap().into_inner();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("docx", docx),
        (
            "rtf",
            format!("{{\\rtf1 {}同志们{}}}", "{".repeat(N), "}".repeat(N)).into_bytes(),
        ),
        (
            "html",
            format!(
                "<html><body>{}同志们：{}</body></html>",
                "<div>".repeat(N),
                "</div>".repeat(N)
            )
            .into_bytes(),
        ),
        (
            "html (inline elements)",
            format!("<html><body>{}同志们：</body></html>", "<font><b>".repeat(N / 2)).into_bytes(),
        ),
        (
            "pdf",
            format!(
                "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X {} >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
                "[".repeat(N)
            )
            .into_bytes(),
        ),
    ];
    for (what, bytes) in files {
        let r = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || import::decode_bytes(&bytes, EncodingChoice::Auto).map(|d| d.text))
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("{what}: the reader panicked"));
        if let Err(e) = r {
            let line = e.to_string();
            assert!(!line.contains('\n'), "{what}: {line}");
        }
    }
}
