//! Writes the full-size hostile files of issue 24 into a folder, for `tests/bombs/measure.sh`:
//! `cargo run --example bombs -- DIR`. Each is small on disk and expands to gigabytes (or takes
//! minutes) in a reader without limits applied while expanding.

use std::path::PathBuf;

#[path = "../tests/bombs/gen.rs"]
mod generate;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: bombs DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: Vec<u8>| {
        println!("{name}\t{} bytes", bytes.len());
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    // OFD: 20,000 text codes each asking for 100 × 10^8 advances (`g N d`).
    let delta = ["g 100000000 5"; 100].join(" ");
    write(
        "ofd-deltax.ofd",
        generate::ofd_listing(&generate::ofd_page(20_000, "第一行正文", &delta, 0), 1),
    );
    // PDF: one page whose content is 250 MB of text operators (under the PDF library's own
    // 256 MB cap a stream).
    write(
        "pdf-text-bomb.pdf",
        generate::pdf(
            1,
            &[generate::text_content("Hello world", 13_000_000)],
            false,
        ),
    );
    // PDF: one 1 GB content stream shared by 500 pages.
    write(
        "pdf-shared-stream.pdf",
        generate::pdf(500, &[generate::blank_content(1 << 30)], true),
    );
    // PDF: one page of 1 GB.
    write(
        "pdf-1gb-page.pdf",
        generate::pdf(1, &[generate::blank_content(1 << 30)], false),
    );
    // OFD: a 20 MB page part listed 2,000 times.
    write(
        "ofd-repeated-page.ofd",
        generate::ofd_listing(&generate::ofd_page(1, "正文", "", 20 << 20), 2000),
    );
    // REFI-QDA: 100,000 selections of one 1-million-char passage.
    write(
        "qdpx-selections-yinwen.qdpx",
        generate::qdpx(1_000_000, 100_000, "Yinwen 0.1"),
    );
    write(
        "qdpx-selections-joined.qdpx",
        generate::qdpx(1_000_000, 100_000, "QualCoder 3.6"),
    );
    // HTML: 20,000 nested blocks.
    write("html-nested.html", generate::nested_html(20_000));
    // DOCX: 150 MB document.xml.
    write("docx-150mb.docx", generate::docx(2_300_000));
    // A ZIP (a .docx) saying %PDF- in its first KiB.
    write("zip-saying-pdf.docx", generate::docx_saying_pdf());
    // At the limits, for the worst accepted case: 15 MB of text operators on each of 16 pages.
    let page = generate::text_content("Hello world", 750_000);
    write("pdf-at-limits.pdf", generate::pdf(16, &[page], false));
}
