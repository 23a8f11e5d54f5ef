//! Bombs through the real binary: small generated files that expand past the real limits of
//! the readers (README, "What it opens"; `src/import/limits.rs`) are refused by `yinwen import`
//! with exit 2 and one line naming the limit, and nothing is written. The generators are in
//! `tests/bombs/gen.rs`; `tests/bombs/measure.sh` runs the full-size cases.

use std::path::Path;
use std::process::{Command, Output};

#[path = "bombs/gen.rs"]
mod generate;

fn import(file: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
        .arg("import")
        .arg(file)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

/// Writes `bytes` as `name` in a new temp dir, imports it and returns the output and whether
/// a workspace was written.
fn import_bytes(name: &str, bytes: &[u8]) -> (Output, bool) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = dir.path().join("w.ron");
    let o = import(&file, &out);
    (o, out.exists())
}

/// Asserts a refusal: exit 2, one line on stderr containing `expected`, nothing written.
/// `bytes` imported as `name`: read, exit 0, a workspace written.
fn assert_read(name: &str, bytes: &[u8]) {
    let (o, written) = import_bytes(name, bytes);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(written, "{name}");
}

fn assert_refused(name: &str, bytes: &[u8], expected: &str) {
    let (o, written) = import_bytes(name, bytes);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(err.contains(expected), "{name}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
    assert!(!written, "{name}: a workspace was written");
}

#[test]
fn a_pdf_page_whose_content_inflates_past_the_page_limit_is_too_large_not_scanned() {
    // 24 MB of spaces on one page: about 25 KB compressed.
    let pdf = generate::pdf(1, &[generate::blank_content(24 << 20)], false);
    assert!(pdf.len() < 100_000, "{}", pdf.len());
    assert_refused(
        "big-page.pdf",
        &pdf,
        "page 1 is too large: its content is larger than 4 MB when unpacked, the limit for one page",
    );
}

#[test]
fn a_pdf_page_drawing_too_many_strings_is_refused() {
    // 30,000 lines of text on one page (under 1 MB of content).
    let pdf = generate::pdf(1, &[generate::text_content("Hello", 30_000)], false);
    assert_refused(
        "strings.pdf",
        &pdf,
        "page 1 is too large: it draws more than 10000 strings of text, the limit for one page",
    );
    // One string of 1 MB of text.
    let pdf = generate::pdf(1, &[generate::text_content(&"A".repeat(1 << 20), 1)], false);
    assert_refused(
        "one-string.pdf",
        &pdf,
        "page 1 is too large: the strings it draws hold more than 256 KB of text",
    );
}

#[test]
fn a_content_stream_shared_by_many_pages_counts_for_each() {
    // One 3 MB stream (under the page limit) drawn by 50 pages: 150 MB of content.
    let pdf = generate::pdf(50, &[generate::blank_content(3 << 20)], true);
    assert!(pdf.len() < 100_000, "{}", pdf.len());
    assert_refused(
        "shared.pdf",
        &pdf,
        "it is too large: with page 43, its content is larger than 128 MB when unpacked, the limit for a document",
    );
}

#[test]
fn a_pdf_text_bomb_stops_at_the_page_limit() {
    // 2 million lines of text on one page (about 40 MB of content operators).
    let pdf = generate::pdf(1, &[generate::text_content("Hello", 2_000_000)], false);
    assert!(pdf.len() < 200_000, "{}", pdf.len());
    assert_refused("text-bomb.pdf", &pdf, "page 1 is too large");
}

#[test]
fn a_docx_whose_document_xml_unpacks_past_50_mb_is_refused() {
    // About 60 MB of XML, compressed to a few hundred KB.
    let docx = generate::docx(900_000);
    assert!(docx.len() < 2_000_000, "{}", docx.len());
    assert_refused(
        "big.docx",
        &docx,
        "word/document.xml is larger than 50 MB when unpacked, the limit",
    );
}

#[test]
fn a_zip_saying_pdf_in_its_first_kib_is_read_as_what_it_is() {
    let docx = generate::docx_saying_pdf();
    assert!(
        docx[..1024.min(docx.len())]
            .windows(5)
            .any(|w| w == b"%PDF-")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.docx");
    std::fs::write(&file, &docx).unwrap();
    let out = dir.path().join("w.ron");
    let o = import(&file, &out);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ws = yinwen::store::load(&out).unwrap();
    assert_eq!(ws.documents[0].text, "这是一份文件。");
}

#[test]
fn an_ofd_delta_x_bomb_is_read_without_expanding() {
    // 2,000 text codes, each asking for 50 × 10^8 advances: a few KB compressed. Expanded
    // (even capped at 10^5 a `g` as before), 10^10 numbers.
    let bomb = ["g 100000000 5"; 50].join(" ");
    let page = generate::ofd_page(2000, "第一行正文", &bomb, 0);
    let ofd = generate::ofd_listing(&page, 1);
    assert!(ofd.len() < 50_000, "{}", ofd.len());
    assert_read("delta.ofd", &ofd);
}

#[test]
fn an_ofd_page_listed_many_times_is_read_once_and_its_text_counted_each_time() {
    // A 30 KB text on a page listed 2,000 times: 60 MB of text, over the limit.
    let page = generate::ofd_page(1, &"国".repeat(10_000), "", 0);
    let ofd = generate::ofd_listing(&page, 2000);
    assert_refused(
        "repeated.ofd",
        &ofd,
        "its text is larger than 50 MB, the limit",
    );
    // A page part of 20 MB without text, listed 2,000 times: read once (40 GB of XML
    // otherwise), so the import ends at once with what the page holds.
    let page = generate::ofd_page(1, "正文", "", 20 << 20);
    let ofd = generate::ofd_listing(&page, 2000);
    assert!(ofd.len() < 200_000, "{}", ofd.len());
    assert_read("padded.ofd", &ofd);
}

#[test]
fn qdpx_selections_copying_one_long_passage_are_refused() {
    // A 1-million-char source (3 MB) with 100 selections of all of it: 300 MB of passages.
    let qdpx = generate::qdpx(1_000_000, 100, "Yinwen 0.1");
    assert!(qdpx.len() < 100_000, "{}", qdpx.len());
    assert_refused(
        "many.qdpx",
        &qdpx,
        "the text of its annotations (notes and passages, counted for each selection) is too large",
    );
}

#[test]
fn deeply_nested_web_pages_are_read_in_linear_time_or_refused() {
    // 900 nested blocks, each with a sentence: scoring each block's whole subtree made this
    // quadratic (20,000 took minutes); now it is one walk, and the page is read.
    let html = generate::nested_html(900);
    assert_read("nested.html", &html);
    // Deeper than the readers' nesting limit (1,000): refused in one line, before the text
    // walk that recurses per level.
    let html = generate::nested_html(20_000);
    assert_refused("deep.html", &html, "nests elements more than 1000 deep");
}
