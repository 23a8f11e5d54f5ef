//! Import tests on real files from the corpus (tests/data/).

use std::path::PathBuf;

use yinwen::import::{
    EncodingChoice, ImportError, SourceFormat, decode_bytes, import_file, normalize_newlines,
    preview_lines,
};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The UTF-8 twin as the import should see it: no BOM, `\n` only.
fn expected_text(name: &str) -> String {
    let raw = std::fs::read_to_string(data(name)).unwrap();
    normalize_newlines(raw.strip_prefix('\u{FEFF}').unwrap_or(&raw))
}

const GBK_PAIRS: [(&str, &str); 2] = [
    (
        "cpc17_report_2007_hu_jintao.gbk.txt",
        "cpc17_report_2007_hu_jintao.txt",
    ),
    (
        "cpc19_report_2017_xi_jinping.gbk.txt",
        "cpc19_report_2017_xi_jinping.txt",
    ),
];

#[test]
fn gbk_originals_equal_their_utf8_twins() {
    for (gbk, utf8) in GBK_PAIRS {
        let d = import_file(&data(gbk), EncodingChoice::Auto).unwrap();
        assert!(
            ["GBK", "GB18030"].contains(&d.encoding.as_str()),
            "{gbk}: {}",
            d.encoding
        );
        assert_eq!(d.format, SourceFormat::Text);
        assert!(!d.had_bom);
        assert!(!d.text.contains('\r'));
        assert_eq!(d.byte_len, std::fs::metadata(data(gbk)).unwrap().len());
        assert_eq!(d.sha256.len(), 64);
        assert!(d.text == expected_text(utf8), "{gbk} differs from {utf8}");

        let explicit = import_file(&data(gbk), EncodingChoice::Gb18030).unwrap();
        assert_eq!(
            (explicit.text, explicit.encoding.as_str()),
            (d.text, "GB18030")
        );

        let twin = import_file(&data(utf8), EncodingChoice::Auto).unwrap();
        assert_eq!(twin.encoding, "UTF-8");
        assert!(twin.text == expected_text(utf8));
    }
}

#[test]
fn bom_and_crlf_are_removed() {
    let name = "xi_2015-06-12_chen_yun_110th_speech.txt";
    let raw = std::fs::read(data(name)).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF") && raw.windows(2).any(|w| w == b"\r\n"));
    let d = import_file(&data(name), EncodingChoice::Auto).unwrap();
    assert_eq!((d.encoding.as_str(), d.had_bom), ("UTF-8", true));
    assert!(!d.text.starts_with('\u{FEFF}') && !d.text.contains('\r'));
    assert!(d.text == expected_text(name));
    assert!(
        d.text
            .starts_with("习近平在纪念陈云同志诞辰110周年座谈会上的讲话\n")
    );
}

#[test]
fn paragraphs_encoded_as_gbk_are_detected() {
    let mut total = 0;
    for (_, utf8) in GBK_PAIRS {
        for para in expected_text(utf8)
            .lines()
            .filter(|p| p.chars().count() >= 40)
        {
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(para);
            assert!(!unmappable);
            let d = decode_bytes(&bytes, EncodingChoice::Auto).unwrap();
            assert_eq!(d.text, para, "wrong decoding ({})", d.encoding);
            total += 1;
        }
    }
    assert!(total > 100, "{total}");
}

#[test]
fn preview_of_a_gbk_file() {
    let bytes = std::fs::read(data("cpc19_report_2017_xi_jinping.gbk.txt")).unwrap();
    let want: Vec<String> = expected_text("cpc19_report_2017_xi_jinping.txt")
        .lines()
        .take(5)
        .map(str::to_owned)
        .collect();
    let (enc, lines) = preview_lines(&bytes, EncodingChoice::Gb18030, 5).unwrap();
    assert_eq!((enc.as_str(), &lines), ("GB18030", &want));
    let (enc, lines) = preview_lines(&bytes, EncodingChoice::Auto, 5).unwrap();
    assert_eq!((enc.as_str(), &lines), ("GBK", &want));
    // Big5 gives nonsense, or an error for bytes Big5 cannot decode.
    match preview_lines(&bytes, EncodingChoice::Big5, 5) {
        Ok((enc, lines)) => assert!(enc == "Big5" && lines != want),
        Err(e) => assert!(matches!(e, ImportError::Undecodable { .. }), "{e}"),
    }
}

#[test]
fn one_megabyte_of_gbk_is_detected_as_gbk() {
    // Speed is measured in benches/foundation.rs, not here.
    let gbk = std::fs::read(data("cpc17_report_2007_hu_jintao.gbk.txt")).unwrap();
    let mut bytes = Vec::new();
    while bytes.len() < 1024 * 1024 {
        bytes.extend_from_slice(&gbk);
    }
    let d = decode_bytes(&bytes, EncodingChoice::Auto).unwrap();
    assert_eq!(d.encoding, "GBK");
    let reps = bytes.len() / gbk.len();
    let twin = expected_text("cpc17_report_2007_hu_jintao.txt");
    assert_eq!(d.text.chars().count(), reps * twin.chars().count());
}
