//! Writes the full-size hostile files of issue 24 into a folder, for `tests/bombs/measure.sh`:
//! `cargo run --example bombs -- DIR`. Each is small on disk and expands to gigabytes (or takes
//! minutes) in a reader without limits applied while expanding.

use std::path::PathBuf;

#[path = "../tests/bombs/gen.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).expect("usage: bombs DIR [LINES PAGES]"));
    std::fs::create_dir_all(&dir).unwrap();
    if let [_, _, lines, pages] = args.as_slice() {
        // One PDF of PAGES pages, each LINES lines of text: for finding what a page costs.
        let (lines, pages): (usize, usize) = (lines.parse().unwrap(), pages.parse().unwrap());
        let page = generate::text_content("Hello world", lines);
        let name = format!("pdf-{lines}-lines-{pages}-pages.pdf");
        std::fs::write(dir.join(&name), generate::pdf(pages, &[page], false)).unwrap();
        println!("{name}");
        return;
    }
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
    // HTML: 20,000 nested blocks (and 5,000, which the debug build's stack holds).
    write("html-nested.html", generate::nested_html(20_000));
    write("html-nested-5000.html", generate::nested_html(5_000));
    // DOCX: 150 MB document.xml.
    write("docx-150mb.docx", generate::docx(2_300_000));
    // A ZIP (a .docx) saying %PDF- in its first KiB.
    write("zip-saying-pdf.docx", generate::docx_saying_pdf());
    // One 3 MB stream (under the page limit) shared by 500 pages: 1.5 GB of content to read.
    write(
        "pdf-shared-3mb-stream.pdf",
        generate::pdf(500, &[generate::blank_content(3 << 20)], true),
    );
    // At the limits: 9,500 lines of text on each page (under 10,000 strings a page), 45 pages
    // (over 400,000 strings: refused at page 43 after reading 42).
    let page = generate::text_content("Hello world", 9_500);
    write("pdf-at-limits.pdf", generate::pdf(45, &[page], false));
    // Under every limit: 2,000 lines on each of 100 pages.
    let page = generate::text_content("Hello world", 2_000);
    write("pdf-large-legit.pdf", generate::pdf(100, &[page], false));
}
