//! Generators of hostile files ("bombs"): small files that expand to far more than their size.
//! Shared by `tests/cli_bombs.rs` (small sizes that trip the real limits) and
//! `examples/bombs.rs` (the full-size cases measured by `tests/bombs/measure.sh`).

#![allow(dead_code)]

use std::io::Write;

/// A ZIP archive of `(name, bytes)` members, deflated unless `stored` names them.
pub fn zip_of(parts: &[(&str, &[u8])], stored: &[&str]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        let method = if stored.contains(name) {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(bytes.len() as u64 > u32::MAX as u64 / 2);
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// `unit` repeated `times` times, zlib-compressed as a stream (never held whole).
pub fn flate_repeat(head: &[u8], unit: &[u8], times: usize, tail: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(head).unwrap();
    let block: Vec<u8> = unit.repeat((64 * 1024 / unit.len().max(1)).max(1));
    let per_block = block.len() / unit.len();
    let mut left = times;
    while left >= per_block {
        e.write_all(&block).unwrap();
        left -= per_block;
    }
    e.write_all(&unit.repeat(left)).unwrap();
    e.write_all(tail).unwrap();
    e.finish().unwrap()
}

/// A PDF of `pages` pages with Helvetica as `/F1`. When `shared`, every page draws the one
/// content stream `contents[0]`; else page i draws `contents[i % contents.len()]`. Each
/// content stream is given already zlib-compressed (`/FlateDecode`).
pub fn pdf(pages: usize, contents: &[Vec<u8>], shared: bool) -> Vec<u8> {
    // Objects: 1 catalog, 2 page tree, 3 font, 4.. contents, then pages.
    let first_content = 4;
    let streams = if shared { 1 } else { contents.len() };
    let first_page = first_content + streams;
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: String = (0..pages)
        .map(|i| format!("{} 0 R ", first_page + i))
        .collect();
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>").into_bytes());
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());
    for c in contents.iter().take(streams) {
        let mut o =
            format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", c.len()).into_bytes();
        o.extend_from_slice(c);
        o.extend_from_slice(b"\nendstream");
        objects.push(o);
    }
    for i in 0..pages {
        let c = first_content + if shared { 0 } else { i % streams };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {c} 0 R >>"
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A page's content stream: `lines` lines of `text` (ASCII), compressed.
pub fn text_content(text: &str, lines: usize) -> Vec<u8> {
    let unit = format!("({text}) Tj 0 -14 Td\n");
    flate_repeat(b"BT /F1 12 Tf 72 800 Td\n", unit.as_bytes(), lines, b"ET\n")
}

/// A content stream of `bytes` spaces (nothing drawn) with one line of text, compressed.
pub fn blank_content(bytes: usize) -> Vec<u8> {
    flate_repeat(
        b"BT /F1 12 Tf 72 800 Td (Hello) Tj ET\n",
        b" ",
        bytes,
        b"\n",
    )
}

/// An OFD package whose document lists the page part `page` `times` times.
pub fn ofd_listing(page: &str, times: usize) -> Vec<u8> {
    let list: String = (0..times)
        .map(|i| format!("<ofd:Page ID=\"{i}\" BaseLoc=\"Pages/Page_0/Content.xml\"/>"))
        .collect();
    let doc = format!("<ofd:Document xmlns:ofd=\"x\"><ofd:Pages>{list}</ofd:Pages></ofd:Document>");
    zip_of(
        &[
            (
                "OFD.xml",
                b"<ofd:OFD xmlns:ofd=\"x\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            ),
            ("Doc_0/Document.xml", doc.as_bytes()),
            ("Doc_0/Pages/Page_0/Content.xml", page.as_bytes()),
        ],
        &[],
    )
}

/// An OFD page part of `codes` text codes, each `text` with the `DeltaX` given, one a line;
/// `padding` bytes of spaces after them (an XML part large without text).
pub fn ofd_page(codes: usize, text: &str, delta_x: &str, padding: usize) -> String {
    let mut s = String::from(
        "<ofd:Page xmlns:ofd=\"x\"><ofd:Content><ofd:Layer><ofd:TextObject ID=\"1\" Size=\"5\" Boundary=\"20 100 170 250\">",
    );
    for i in 0..codes {
        s.push_str(&format!(
            "<ofd:TextCode X=\"0\" Y=\"{}\" DeltaX=\"{delta_x}\">{text}</ofd:TextCode>",
            5 + (i % 40) * 6
        ));
    }
    s.push_str("</ofd:TextObject></ofd:Layer></ofd:Content>");
    s.push_str(&" ".repeat(padding));
    s.push_str("</ofd:Page>");
    s
}

/// A `.docx` whose `word/document.xml` holds `paragraphs` copies of one paragraph.
pub fn docx(paragraphs: usize) -> Vec<u8> {
    let p = "<w:p><w:r><w:t>国务院关于加强基层治理的意见</w:t></w:r></w:p>";
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
    );
    xml.push_str(&p.repeat(paragraphs));
    xml.push_str("</w:body></w:document>");
    zip_of(&[("word/document.xml", xml.as_bytes())], &[])
}

/// A `.docx` whose first member, stored, says `%PDF-` (within the file's first KiB).
pub fn docx_saying_pdf() -> Vec<u8> {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>这是一份文件。</w:t></w:r></w:p></w:body></w:document>";
    zip_of(
        &[
            ("notes.txt", b"%PDF-1.7 is not what this is"),
            ("word/document.xml", xml.as_bytes()),
        ],
        &["notes.txt"],
    )
}

/// A web page of `depth` nested `<div>`s, each with a sentence of its own.
pub fn nested_html(depth: usize) -> Vec<u8> {
    let mut s = String::from("<!DOCTYPE html><html><head><title>嵌套</title></head><body>");
    for _ in 0..depth {
        s.push_str("<div>这是一段用来测试的中文句子，长度足够，它有逗号。");
    }
    s.push_str(&"</div>".repeat(depth));
    s.push_str("</body></html>");
    s.into_bytes()
}

/// A REFI-QDA project written by `origin` with one source of `chars` chars and `selections`
/// selections each spanning all of it, each with a note of its own. From Yinwen, selections
/// are read one by one; from another tool, selections of one passage are joined.
pub fn qdpx(chars: usize, selections: usize, origin: &str) -> Vec<u8> {
    let text = "国".repeat(chars);
    let sels: String = (0..selections)
        .map(|i| {
            format!(
                "<PlainTextSelection guid=\"{i:08X}-1111-4222-8333-444444444444\" startPosition=\"0\" endPosition=\"{chars}\"><Description>note {i}</Description></PlainTextSelection>"
            )
        })
        .collect();
    let qde = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\" origin=\"{origin}\"><Sources><TextSource guid=\"AAAAAAAA-1111-4222-8333-444444444444\" name=\"s\" plainTextPath=\"internal://s.txt\">{sels}</TextSource></Sources></Project>"
    );
    zip_of(
        &[
            ("project.qde", qde.as_bytes()),
            ("sources/s.txt", text.as_bytes()),
        ],
        &[],
    )
}
