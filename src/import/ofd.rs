//! OFD documents (GB/T 33190, the format of 电子公文): a ZIP of XML. `OFD.xml` names the
//! document root, the document lists its pages, and each page's `TextCode`s carry text at
//! positions in millimetres. The text is placed by position and laid out into lines and
//! paragraphs by [`super::layout`], so the 文号 and title lines of a 公文 stay paragraphs
//! of their own.

use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::layout::{self, Page, Piece};

/// Points per millimetre: the layout works in points, as for PDF.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Whether a ZIP is an OFD package (it holds `OFD.xml` at its root).
pub(crate) fn looks_like_ofd(bytes: &[u8]) -> bool {
    super::docx::looks_like_zip(bytes) && bytes.windows(7).any(|w| w == b"OFD.xml")
}

/// The text of an OFD package, pages in order. `limit` caps each unpacked member and the
/// text as a whole; the error is a plain-words reason.
pub(crate) fn extract_text(bytes: &[u8], keep_lines: bool, limit: u64) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the ZIP archive is damaged ({e})"))?;
    let mut read = |name: &str| read_member(&mut archive, name, limit);
    let root_xml = read("OFD.xml")?;
    let root =
        first_text_of(&root_xml, b"DocRoot")?.ok_or("OFD.xml names no document (DocRoot)")?;
    let root = resolve("", &root);
    let doc_xml = read(&root)?;
    let base = root.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let (default_box, page_locs) = pages_of(&doc_xml)?;
    let mut pages = Vec::with_capacity(page_locs.len());
    let mut chars = 0u64;
    for loc in page_locs {
        let path = resolve(&base, &loc);
        let xml = read(&path)?;
        let page = page_text(&xml, default_box).map_err(|e| format!("{path}: {e}"))?;
        chars += page.pieces.iter().map(|p| p.text.len() as u64).sum::<u64>();
        if chars > limit {
            return Err(format!(
                "its text is larger than {} MB",
                limit / (1024 * 1024)
            ));
        }
        pages.push(page);
    }
    if pages.iter().all(|p| p.pieces.is_empty()) {
        return Err("it has no text (its pages may be scanned images; Yinwen does no OCR)".into());
    }
    Ok(layout::paragraphs(&pages, keep_lines))
}

/// Unpacks one member as text, refusing it when larger than `limit` (zip bombs).
fn read_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<String, String> {
    use super::docx::MemberError;
    let xml = super::docx::zip_member(archive, name, limit).map_err(|e| match e {
        MemberError::Missing => format!("it has no {name}, which the OFD structure names"),
        MemberError::TooLarge => format!("{name} is too large when unpacked"),
        MemberError::Unreadable(e) => format!("{name} cannot be unpacked ({e})"),
    })?;
    let s = String::from_utf8(xml).map_err(|_| format!("{name} is not UTF-8 XML"))?;
    Ok(s.trim_start_matches('\u{feff}').to_owned())
}

/// A path inside the package: absolute (`/Doc_0/…`) or relative to `base`.
fn resolve(base: &str, loc: &str) -> String {
    let loc = loc.trim().replace('\\', "/");
    let joined = match loc.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None if base.is_empty() => loc,
        None => format!("{base}/{loc}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn malformed(reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> String {
    format!("malformed XML near byte {} ({e})", reader.error_position())
}

/// The text of the first element with this local name.
fn first_text_of(xml: &str, local: &[u8]) -> Result<Option<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().map_err(|e| malformed(&reader, e))? {
            Event::Start(e) if e.local_name().as_ref() == local => inside = true,
            Event::Text(t) if inside => {
                let s = t.decode().map_err(|e| malformed(&reader, e))?;
                return Ok(Some(s.trim().to_owned()));
            }
            Event::End(_) if inside => return Ok(None),
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// An attribute's value by local name.
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Numbers separated by spaces.
fn numbers(s: &str) -> Vec<f32> {
    s.split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect()
}

/// The document's default page box (width, height in mm) and its pages' locations in order.
fn pages_of(xml: &str) -> Result<((f32, f32), Vec<String>), String> {
    let mut reader = Reader::from_str(xml);
    let mut page_box = (210.0, 297.0);
    let mut in_box = false;
    let mut in_page_area = false;
    let mut locs = Vec::new();
    loop {
        match reader.read_event().map_err(|e| malformed(&reader, e))? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"PageArea" => in_page_area = true,
                b"PhysicalBox" if in_page_area => in_box = true,
                b"Page" => {
                    if let Some(loc) = attr(&e, b"BaseLoc") {
                        locs.push(loc);
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_box => {
                let n = numbers(&t.decode().map_err(|e| malformed(&reader, e))?);
                if n.len() == 4 && n[2] > 0.0 && n[3] > 0.0 {
                    page_box = (n[2], n[3]);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"PhysicalBox" => in_box = false,
                b"PageArea" => in_page_area = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if locs.is_empty() {
        return Err("the document lists no pages".into());
    }
    Ok((page_box, locs))
}

/// Expands a `DeltaX` list: numbers, and `g N d` for N copies of d.
fn deltas(s: &str) -> Vec<f32> {
    let mut out = Vec::new();
    let mut it = s.split_whitespace();
    while let Some(tok) = it.next() {
        if tok == "g" {
            let n: usize = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let d: f32 = it.next().and_then(|d| d.parse().ok()).unwrap_or(0.0);
            out.extend(std::iter::repeat_n(d, n.min(100_000)));
        } else if let Ok(d) = tok.parse() {
            out.push(d);
        }
    }
    out
}

/// The text objects of one page, positioned in points from its top left corner.
fn page_text(xml: &str, default_box: (f32, f32)) -> Result<Page, String> {
    let mut reader = Reader::from_str(xml);
    let (mut width, mut height) = default_box;
    let mut in_area_box = false;
    // The open text object: its boundary origin and font size.
    let mut object: Option<(f32, f32, f32)> = None;
    // The open text code: where it starts and its char advances.
    let mut code: Option<(f32, f32, Vec<f32>, String)> = None;
    let mut next_x = 0.0f32;
    let mut pieces = Vec::new();
    let finish = |code: (f32, f32, Vec<f32>, String), size: f32, pieces: &mut Vec<Piece>| {
        let (x, y, adv, text) = code;
        let n = text.chars().count();
        let advance: f32 = (0..n.saturating_sub(1))
            .map(|i| adv.get(i).copied().unwrap_or(size))
            .sum();
        let x1 = x + advance + size;
        if !text.trim().is_empty() {
            pieces.push(Piece {
                x0: x * PT_PER_MM,
                x1: x1 * PT_PER_MM,
                // Y is the baseline; the text rises about its size above it.
                top: (y - size * 0.85) * PT_PER_MM,
                size: size * PT_PER_MM,
                text,
            });
        }
        x1
    };
    loop {
        match reader.read_event().map_err(|e| malformed(&reader, e))? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"PhysicalBox" => in_area_box = true,
                b"TextObject" => {
                    let b = numbers(&attr(&e, b"Boundary").unwrap_or_default());
                    let size = attr(&e, b"Size")
                        .and_then(|s| s.trim().parse().ok())
                        .unwrap_or(3.5f32);
                    object = Some((
                        b.first().copied().unwrap_or(0.0),
                        b.get(1).copied().unwrap_or(0.0),
                        size,
                    ));
                    next_x = 0.0;
                }
                b"TextCode" if object.is_some() => {
                    let x = attr(&e, b"X").and_then(|v| v.trim().parse().ok());
                    let y: f32 = attr(&e, b"Y")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0.0);
                    let adv = deltas(&attr(&e, b"DeltaX").unwrap_or_default());
                    let (ox, oy, _) = object.unwrap_or_default();
                    code = Some((ox + x.unwrap_or(next_x), oy + y, adv, String::new()));
                }
                _ => {}
            },
            Event::Text(t) => {
                if in_area_box {
                    let n = numbers(&t.decode().map_err(|e| malformed(&reader, e))?);
                    if n.len() == 4 && n[2] > 0.0 && n[3] > 0.0 {
                        (width, height) = (n[2], n[3]);
                    }
                } else if let Some(c) = code.as_mut() {
                    c.3.push_str(&t.decode().map_err(|e| malformed(&reader, e))?);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = code.as_mut() {
                    if let Ok(Some(ch)) = r.resolve_char_ref() {
                        c.3.push(ch);
                    } else if let Some(s) = super::docx::predefined_entity(&r) {
                        // Entities a DTD declares are never expanded (no billion laughs).
                        c.3.push_str(s);
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"PhysicalBox" => in_area_box = false,
                b"TextCode" => {
                    if let (Some(c), Some((ox, _, size))) = (code.take(), object) {
                        next_x = finish(c, size, &mut pieces) - ox;
                    }
                }
                b"TextObject" => object = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Page {
        width: width * PT_PER_MM,
        height: height * PT_PER_MM,
        pieces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_deltas() {
        assert_eq!(resolve("", "/Doc_0/Document.xml"), "Doc_0/Document.xml");
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(resolve("Doc_0", "../x.xml"), "x.xml");
        assert_eq!(deltas("1 g 3 2.5 4"), vec![1.0, 2.5, 2.5, 2.5, 4.0]);
    }

    fn package(content: &str) -> Vec<u8> {
        crate::import::docx::testing::zip_of(&[
            (
                "OFD.xml",
                "<ofd:OFD xmlns:ofd=\"x\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            ),
            (
                "Doc_0/Document.xml",
                "<ofd:Document xmlns:ofd=\"x\"><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>",
            ),
            ("Doc_0/Pages/Page_0/Content.xml", content),
        ])
    }

    #[test]
    fn bombs_entities_and_missing_parts_are_refused_or_harmless() {
        let page = |text: &str| {
            format!(
                "<ofd:Page xmlns:ofd=\"x\"><ofd:Content><ofd:Layer><ofd:TextObject ID=\"1\" Size=\"5\" Boundary=\"20 30 100 6\"><ofd:TextCode X=\"0\" Y=\"5\">{text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
            )
        };
        let ok = package(&page("正文"));
        assert!(looks_like_ofd(&ok));
        assert_eq!(extract_text(&ok, false, 1 << 20).unwrap(), "正文");
        // A member larger than the limit when unpacked (a zip bomb) is refused unread.
        let big = package(&page(&"国".repeat(10_000)));
        let err = extract_text(&big, false, 4096).unwrap_err();
        assert!(err.contains("too large"), "{err}");
        // Entities declared in a DTD are not expanded (no billion laughs).
        let laughs = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"哈哈哈哈哈哈哈哈\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>{}",
            page("&b;&b;&b;好")
        );
        assert_eq!(
            extract_text(&package(&laughs), false, 1 << 20).unwrap(),
            "好"
        );
        // A package whose document is missing names what is missing.
        let broken = crate::import::docx::testing::zip_of(&[(
            "OFD.xml",
            "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>",
        )]);
        assert!(
            extract_text(&broken, false, 1 << 20)
                .unwrap_err()
                .contains("Doc_0/Document.xml")
        );
    }

    #[test]
    fn text_codes_are_placed_by_position() {
        let xml = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>
            <ofd:TextObject ID="2" Size="5" Boundary="20 40 100 6"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">第二行</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="1" Size="5" Boundary="20 30 100 6"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">第一行</ofd:TextCode></ofd:TextObject>
            </ofd:Layer></ofd:Content></ofd:Page>"#;
        let page = page_text(xml, (210.0, 297.0)).unwrap();
        assert_eq!(layout::paragraphs(&[page], true), "第一行\n第二行");
    }
}
