//! Fuzzing the two loaders that read whatever a user hands us: the workspace (RON) reader and
//! the text decoder. Arbitrary bytes, mutated real files and pathological nesting must give a
//! clean error or a value — never a panic, a hang or a stack overflow.
//!
//! Cases that once broke something are kept in `tests/fuzz_corpus/` and replayed by
//! [`regression_corpus_still_loads_or_fails_cleanly`]; add new ones there.

use std::path::Path;

use proptest::prelude::*;
use yinwen::import::{EncodingChoice, decode_bytes, preview_lines};
use yinwen::store::{self, StoreError};

const CHOICES: [EncodingChoice; 6] = EncodingChoice::ALL;

fn sample_ron() -> &'static str {
    static S: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let mut ws = yinwen::sample::sample_workspace();
        // Keep the text short so that each case is quick; the structure is what matters.
        for d in &mut ws.documents {
            let d = std::sync::Arc::make_mut(d);
            d.text = d.text.chars().take(3000).collect();
        }
        ws.annotations.retain(|a| a.anchor.end.0 <= 3000);
        store::to_ron_string(&ws).unwrap()
    })
}

/// Loads a candidate workspace text; errors must carry a position inside the text.
fn load_str(s: &str) {
    match store::from_ron_str(s) {
        Ok(ws) => {
            // Whatever loads must save and load again to the same thing.
            let again = store::to_ron_string(&ws).unwrap();
            assert_eq!(store::from_ron_str(&again).unwrap(), ws);
        }
        Err(StoreError::Parse { line, col, .. }) => {
            assert!(line >= 1 && col >= 1, "{line}:{col}");
            assert!(line <= s.lines().count() + 1, "line {line} past the end");
        }
        Err(_) => {}
    }
}

fn decode_all(bytes: &[u8]) {
    for c in CHOICES {
        if let Ok(d) = decode_bytes(bytes, c) {
            assert!(!d.text.trim().is_empty());
            assert!(!d.text.contains('\r'), "newlines normalised");
        }
        let _ = preview_lines(bytes, c, 20);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_break_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        decode_all(&bytes);
    }

    #[test]
    fn arbitrary_text_never_breaks_the_workspace_reader(s in "\\PC{0,512}") {
        load_str(&s);
    }

    #[test]
    fn ron_shaped_garbage_never_breaks_the_workspace_reader(
        s in "[()\\[\\]{}:,\"#r a-z0-9_\\\\'.-]{0,400}"
    ) {
        load_str(&format!("(format: \"yinwen\", version: 3, {s}"));
        load_str(&s);
    }

    #[test]
    fn damaged_workspace_files_fail_cleanly(
        cut in 0usize..100_000,
        flips in proptest::collection::vec((0usize..100_000, any::<u8>()), 0..8),
        insert in proptest::collection::vec(any::<u8>(), 0..16),
    ) {
        let good = sample_ron().as_bytes();
        let mut bytes = good.to_vec();
        for (at, b) in flips {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        let at = cut % bytes.len();
        bytes.splice(at..at, insert);
        // Through the file path too (UTF-8 check before parsing).
        if let Ok(s) = std::str::from_utf8(&bytes) {
            load_str(s);
        }
        let truncated = &good[..cut % good.len()];
        if let Ok(s) = std::str::from_utf8(truncated) {
            load_str(s);
        }
    }

    #[test]
    fn damaged_docx_files_fail_cleanly(
        flips in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 1..6),
    ) {
        let mut bytes = docx_sample().to_vec();
        for (at, b) in flips {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        decode_all(&bytes);
    }
}

/// A real file of each new format (see tests/data/formats).
fn format_sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/formats")
            .join(name),
    )
    .unwrap()
}

/// Damages a file: a few bytes changed, then perhaps cut short.
fn damaged(mut bytes: Vec<u8>, flips: &[(usize, u8)], cut: usize) -> Vec<u8> {
    for &(at, b) in flips {
        let at = at % bytes.len();
        bytes[at] = b;
    }
    if cut.is_multiple_of(3) {
        bytes.truncate(cut % bytes.len().max(1));
    }
    bytes
}

proptest! {
    // Each case parses a whole document: fewer cases than for plain text.
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn damaged_pdf_ofd_doc_rtf_and_html_files_fail_cleanly(
        which in 0usize..6,
        flips in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 1..8),
        cut in 0usize..1_000_000,
    ) {
        let name = [
            "stsong-unigb.pdf",
            "n.ofd",
            "seed-para.doc",
            "gbk-handmade.rtf",
            "gbk-article.html",
            "keyword2.ofd",
        ][which];
        decode_all(&damaged(format_sample(name), &flips, cut));
    }
}

#[test]
fn format_files_cut_at_every_length_fail_cleanly() {
    for name in ["keyword2.ofd", "gbk-handmade.rtf", "seed-para.doc"] {
        let bytes = format_sample(name);
        let step = (bytes.len() / 200).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            decode_all(&bytes[..cut]);
        }
    }
}

fn docx_sample() -> &'static [u8] {
    static D: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let ws = yinwen::sample::sample_workspace();
        let opts = yinwen::export::ExportOptions::default();
        yinwen::export::export_bytes(&ws, yinwen::export::Format::Docx, &opts).unwrap()
    })
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["(", "[", "{", "Some(", "(a:"] {
        let s = open.repeat(100_000);
        load_str(&s);
        load_str(&format!("(format: \"yinwen\", version: 3, documents: {s}"));
    }
}

#[test]
fn huge_numbers_and_strings_fail_cleanly() {
    load_str("(format: \"yinwen\", version: 99999999999999999999999)");
    load_str("(format: \"yinwen\", version: 3, next_id: 18446744073709551616)");
    load_str(&format!(
        "(format: \"yinwen\", version: 3, documents: [(id: 1, text: r{0}\"x\"{0})])",
        "#".repeat(70_000)
    ));
    let s = format!(
        "(format: \"yinwen\", version: 3, documents: [(id: 1, text: \"{}\")])",
        "\\u{10FFFF}".repeat(1000)
    );
    load_str(&s);
}

#[test]
fn regression_corpus_still_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        decode_all(&bytes);
        if let Ok(s) = std::str::from_utf8(&bytes) {
            load_str(s);
        }
        let _ = store::load(&p);
        n += 1;
    }
    assert!(n >= 5, "the corpus is in tests/fuzz_corpus ({n} files)");
}
