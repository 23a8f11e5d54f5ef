//! Reader benchmarks (issue 11): a 100-page Chinese PDF (target ≤ 1 s), a 1 MB Word 97 `.doc`
//! (≤ 200 ms), a saved web page (≤ 50 ms), an OFD 公文, and rejoining a hard-wrapped speech.
//! Run with `cargo bench --bench formats`; results go in BENCHMARKS.md. The inputs are in
//! `benches/data/` (made with LibreOffice from the corpus texts, see its README) and
//! `tests/data/formats/`.

use std::path::Path;
use std::time::{Duration, Instant};

use yinwen::import::{EncodingChoice, Options, decode_bytes, decode_with};

fn median(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut v: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    (v[v.len() / 2], v[0])
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn row(what: &str, bytes: usize, n: usize, f: impl FnMut()) {
    let (med, min) = median(n, f);
    println!(
        "{what:<44} {:>8.1} KB   median {:>8.2} ms   min {:>8.2} ms",
        bytes as f64 / 1024.0,
        med.as_secs_f64() * 1000.0,
        min.as_secs_f64() * 1000.0
    );
}

fn main() {
    println!("reader benchmarks (wall clock, whole file → text)");
    let pdf = read("benches/data/hundred-pages.pdf");
    let pages = decode_bytes(&pdf, EncodingChoice::Auto).unwrap();
    println!(
        "  (the PDF gives {} chars in {} paragraphs)",
        pages.text.chars().count(),
        pages.text.lines().count()
    );
    row("PDF, 99 pages (LibreOffice, Type 1)", pdf.len(), 5, || {
        decode_bytes(&pdf, EncodingChoice::Auto).unwrap();
    });
    let cid = read("tests/data/formats/stsong-unigb.pdf");
    row(
        "PDF, 4 pages (UniGB-UCS2-H, no ToUnicode)",
        cid.len(),
        20,
        || {
            decode_bytes(&cid, EncodingChoice::Auto).unwrap();
        },
    );
    let doc = read("benches/data/corpus-1mb.doc");
    let d = decode_bytes(&doc, EncodingChoice::Auto).unwrap();
    println!("  (the .doc gives {} chars)", d.text.chars().count());
    row("Word 97 .doc, 1 MB", doc.len(), 20, || {
        decode_bytes(&doc, EncodingChoice::Auto).unwrap();
    });
    let html = read("tests/data/formats/gbk-article.html");
    row(
        "web page, GBK, with navigation and lists",
        html.len(),
        50,
        || {
            decode_bytes(&html, EncodingChoice::Auto).unwrap();
        },
    );
    let ofd = read("tests/data/formats/n.ofd");
    row("OFD 公文, 2 pages", ofd.len(), 50, || {
        decode_bytes(&ofd, EncodingChoice::Auto).unwrap();
    });
    let rtf = read("tests/data/formats/seed-para.rtf");
    row("RTF (LibreOffice, \\uN escapes)", rtf.len(), 50, || {
        decode_bytes(&rtf, EncodingChoice::Auto).unwrap();
    });
    // A 1 MB speech hard-wrapped at 35 chars a line, as copied out of a PDF viewer.
    let text = decode_bytes(&doc, EncodingChoice::Auto).unwrap().text;
    let mut wrapped = String::new();
    for line in text.lines() {
        let cs: Vec<char> = line.chars().collect();
        for c in cs.chunks(35) {
            wrapped.extend(c);
            wrapped.push('\n');
        }
    }
    row(
        "hard-wrapped text, detect and rejoin",
        wrapped.len(),
        10,
        || {
            let d = decode_with(wrapped.as_bytes(), Options::default()).unwrap();
            assert!(d.reflowed.is_some());
        },
    );
    let plain = text.clone();
    row(
        "same text unwrapped (detection only)",
        plain.len(),
        10,
        || {
            let d = decode_with(plain.as_bytes(), Options::default()).unwrap();
            assert!(d.reflowed.is_none());
        },
    );
}
