//! OFD documents (GB/T 33190, the format of 电子公文): a ZIP of XML. `OFD.xml` names the
//! document root, the document lists its pages, and each page's `TextCode`s carry text at
//! positions in millimetres. The text is placed by position and laid out into lines and
//! paragraphs by [`super::layout`], so the 文号 and title lines of a 公文 stay paragraphs
//! of their own.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;

use std::collections::HashMap;

use super::layout::{self, Page, Piece};
use super::limits::{self, Limits};

/// Points per millimetre: the layout works in points, as for PDF.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Whether a ZIP is an OFD package (it holds `OFD.xml` at its root).
pub(crate) fn looks_like_ofd(bytes: &[u8]) -> bool {
    super::docx::looks_like_zip(bytes) && bytes.windows(7).any(|w| w == b"OFD.xml")
}

/// The text of an OFD package, pages in order, within `limits` (each part and all parts
/// unpacked, the text, the pieces of text; a page listed several times is read once and
/// counted each time). The error is a plain-words reason.
pub(crate) fn extract_text(
    bytes: &[u8],
    keep_lines: bool,
    limits: &Limits,
) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the ZIP archive is damaged ({e})"))?;
    let mut unpacked = 0u64;
    let mut read = |name: &str| read_member(&mut archive, name, limits, &mut unpacked);
    let root_xml = read("OFD.xml")?;
    let root =
        first_text_of(&root_xml, b"DocRoot")?.ok_or("OFD.xml names no document (DocRoot)")?;
    let root = resolve("", &root);
    let doc_xml = read(&root)?;
    let base = root.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let (default_box, page_locs) = pages_of(&doc_xml)?;
    drop(doc_xml);
    // Each page part is read and parsed once, however often the document lists it.
    let mut parsed: HashMap<String, Page> = HashMap::new();
    let mut pages = Vec::new();
    let mut left = Budget {
        text: limits.text_bytes,
        pieces: limits.pieces,
    };
    for loc in page_locs {
        let path = resolve(&base, &loc);
        if !parsed.contains_key(&path) {
            let xml = read(&path)?;
            let page = page_text(&xml, default_box, left).map_err(|e| match e {
                PageError::Xml(e) => format!("{path}: {e}"),
                PageError::Over(what) => over(what, limits),
            })?;
            parsed.insert(path.clone(), page);
        }
        let page = &parsed[&path];
        left.spend(page).map_err(|what| over(what, limits))?;
        pages.push(page.clone());
    }
    if pages.iter().all(|p| p.pieces.is_empty()) {
        return Err("it has no text (its pages may be scanned images; Yinwen does no OCR)".into());
    }
    Ok(layout::paragraphs(&pages, keep_lines))
}

/// Which budget a page went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    Text,
    Pieces,
}

/// The refusal for a budget gone over, naming the limit.
fn over(what: Over, limits: &Limits) -> String {
    match what {
        Over::Text => format!(
            "its text is larger than {}, the limit",
            limits::mb(limits.text_bytes)
        ),
        Over::Pieces => format!(
            "it has more than {} pieces of text (TextCode), the limit",
            limits.pieces
        ),
    }
}

/// What is left of the text and piece budgets.
#[derive(Debug, Clone, Copy)]
struct Budget {
    text: u64,
    pieces: usize,
}

impl Budget {
    /// Takes one more piece of `bytes` of text.
    fn take(&mut self, bytes: usize) -> Result<(), Over> {
        self.pieces = self.pieces.checked_sub(1).ok_or(Over::Pieces)?;
        self.text = self.text.checked_sub(bytes as u64).ok_or(Over::Text)?;
        Ok(())
    }

    /// Takes a whole page.
    fn spend(&mut self, page: &Page) -> Result<(), Over> {
        page.pieces.iter().try_for_each(|p| self.take(p.text.len()))
    }
}

/// Why a page could not be read.
enum PageError {
    Xml(String),
    Over(Over),
}

impl From<String> for PageError {
    fn from(e: String) -> Self {
        PageError::Xml(e)
    }
}

/// Unpacks one member as text, refusing it when larger than the part limit or when it would
/// take the package's unpacked total (`unpacked`) over its limit (zip bombs).
fn read_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
    unpacked: &mut u64,
) -> Result<String, String> {
    use super::docx::MemberError;
    let room = limits.unpacked_bytes.saturating_sub(*unpacked);
    let limit = limits.part_bytes.min(room);
    let xml = super::docx::zip_member(archive, name, limit).map_err(|e| match e {
        MemberError::Missing => format!("it has no {name}, which the OFD structure names"),
        MemberError::TooLarge if limit < limits.part_bytes => format!(
            "its parts unpack to more than {}, the limit",
            limits::mb(limits.unpacked_bytes)
        ),
        MemberError::TooLarge => format!(
            "{name} is larger than {} when unpacked, the limit",
            limits::mb(limits.part_bytes)
        ),
        MemberError::Unreadable(e) => format!("{name} cannot be unpacked ({e})"),
    })?;
    *unpacked += xml.len() as u64;
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

/// Expands a `DeltaX` list (numbers, and `g N d` for N copies of d) into at most `max`
/// advances: a text code uses one advance per character after its first, so the expansion
/// never outgrows the text however large N is.
fn deltas(s: &str, max: usize) -> Vec<f32> {
    let mut out = Vec::new();
    let mut it = s.split_whitespace();
    while out.len() < max
        && let Some(tok) = it.next()
    {
        if tok == "g" {
            let n: usize = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let d: f32 = it.next().and_then(|d| d.parse().ok()).unwrap_or(0.0);
            out.extend(std::iter::repeat_n(d, n.min(max - out.len())));
        } else if let Ok(d) = tok.parse() {
            out.push(d);
        }
    }
    out
}

/// The text objects of one page, positioned in points from its top left corner, refused when
/// its pieces go over what is `left` of the budget.
fn page_text(xml: &str, default_box: (f32, f32), mut left: Budget) -> Result<Page, PageError> {
    let mut reader = Reader::from_str(xml);
    let (mut width, mut height) = default_box;
    let mut in_area_box = false;
    // The open text object: its boundary origin and font size.
    let mut object: Option<(f32, f32, f32)> = None;
    // The open text code: where it starts, its `DeltaX` as written and its text.
    let mut code: Option<(f32, f32, String, String)> = None;
    let mut next_x = 0.0f32;
    let mut pieces = Vec::new();
    let mut finish = |code: (f32, f32, String, String),
                      size: f32,
                      pieces: &mut Vec<Piece>|
     -> Result<f32, PageError> {
        let (x, y, delta_x, text) = code;
        let n = text.chars().count();
        let adv = deltas(&delta_x, n.saturating_sub(1));
        let advance: f32 = (0..n.saturating_sub(1))
            .map(|i| adv.get(i).copied().unwrap_or(size))
            .sum();
        let x1 = x + advance + size;
        if !text.trim().is_empty() {
            left.take(text.len()).map_err(PageError::Over)?;
            pieces.push(Piece {
                x0: x * PT_PER_MM,
                x1: x1 * PT_PER_MM,
                // Y is the baseline; the text rises about its size above it.
                top: (y - size * 0.85) * PT_PER_MM,
                size: size * PT_PER_MM,
                text,
            });
        }
        Ok(x1)
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
                    let delta_x = attr(&e, b"DeltaX").unwrap_or_default();
                    let (ox, oy, _) = object.unwrap_or_default();
                    code = Some((ox + x.unwrap_or(next_x), oy + y, delta_x, String::new()));
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
                        next_x = finish(c, size, &mut pieces)? - ox;
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
        assert_eq!(deltas("1 g 3 2.5 4", 10), vec![1.0, 2.5, 2.5, 2.5, 4.0]);
        // The expansion stops at what the text can use, however many copies are asked for.
        assert_eq!(deltas("g 100000000 2 g 100000000 3", 4), vec![2.0; 4]);
        assert_eq!(deltas("1 2 3", 2), vec![1.0, 2.0]);
    }

    /// The real budget.
    fn all() -> Budget {
        Budget {
            text: limits::MAX_TEXT_BYTES,
            pieces: limits::MAX_PIECES,
        }
    }

    /// Small limits a few bytes trip.
    fn small(text_bytes: u64, pieces: usize, unpacked_bytes: u64) -> Limits {
        Limits {
            text_bytes,
            pieces,
            unpacked_bytes,
            part_bytes: unpacked_bytes,
            ..Limits::default()
        }
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
        assert_eq!(
            extract_text(&ok, false, &Limits::default()).unwrap(),
            "正文"
        );
        // A member larger than the limit when unpacked (a zip bomb) is refused unread.
        let big = package(&page(&"国".repeat(10_000)));
        let limits = Limits {
            part_bytes: 4096,
            ..Limits::default()
        };
        let err = extract_text(&big, false, &limits).unwrap_err();
        assert_eq!(
            err,
            "Doc_0/Pages/Page_0/Content.xml is larger than 4 KB when unpacked, the limit"
        );
        // Entities declared in a DTD are not expanded (no billion laughs).
        let laughs = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"哈哈哈哈哈哈哈哈\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>{}",
            page("&b;&b;&b;好")
        );
        assert_eq!(
            extract_text(&package(&laughs), false, &Limits::default()).unwrap(),
            "好"
        );
        // A package whose document is missing names what is missing.
        let broken = crate::import::docx::testing::zip_of(&[(
            "OFD.xml",
            "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>",
        )]);
        assert!(
            extract_text(&broken, false, &Limits::default())
                .unwrap_err()
                .contains("Doc_0/Document.xml")
        );
    }

    /// A package whose document lists `page_locs` (all pointing at the one page given).
    fn package_listing(content: &str, times: usize) -> Vec<u8> {
        let list: String = (0..times)
            .map(|i| format!("<ofd:Page ID=\"{i}\" BaseLoc=\"Pages/Page_0/Content.xml\"/>"))
            .collect();
        let doc =
            format!("<ofd:Document xmlns:ofd=\"x\"><ofd:Pages>{list}</ofd:Pages></ofd:Document>");
        crate::import::docx::testing::zip_of(&[
            (
                "OFD.xml",
                "<ofd:OFD xmlns:ofd=\"x\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            ),
            ("Doc_0/Document.xml", &doc),
            ("Doc_0/Pages/Page_0/Content.xml", content),
        ])
    }

    fn codes(n: usize, text: &str, delta_x: &str) -> String {
        let codes: String = (0..n)
            .map(|i| {
                format!(
                    "<ofd:TextCode X=\"0\" Y=\"{}\" DeltaX=\"{delta_x}\">{text}</ofd:TextCode>",
                    5 + i * 6
                )
            })
            .collect();
        format!(
            "<ofd:Page xmlns:ofd=\"x\"><ofd:Content><ofd:Layer><ofd:TextObject ID=\"1\" Size=\"5\" Boundary=\"20 30 100 6\">{codes}</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
        )
    }

    #[test]
    fn a_page_listed_many_times_is_read_once_and_counted_each_time() {
        let page = codes(1, "一二三四五六七八九十", "");
        let pkg = package_listing(&page, 2000);
        // Unpacking the page 2,000 times would go over this (the list itself is 120 KB);
        // reading it once does not.
        let unpacked = 300_000;
        let ok = extract_text(&pkg, false, &small(1 << 20, 100_000, unpacked));
        assert!(ok.is_ok(), "{ok:?}");
        // Its text counts once per listing: 2,000 × 30 bytes is over 50 KB.
        let err = extract_text(&pkg, false, &small(50_000, 100_000, unpacked)).unwrap_err();
        assert_eq!(err, "its text is larger than 50000 bytes, the limit");
        let err = extract_text(&pkg, false, &small(1 << 20, 1000, unpacked)).unwrap_err();
        assert_eq!(
            err,
            "it has more than 1000 pieces of text (TextCode), the limit"
        );
    }

    #[test]
    fn pieces_and_unpacked_parts_are_counted_while_reading() {
        // One page with more text codes than the budget stops inside the page.
        let many = package(&codes(50, "字", ""));
        let err = extract_text(&many, false, &small(1 << 20, 10, 1 << 20)).unwrap_err();
        assert!(err.contains("more than 10 pieces"), "{err}");
        // All parts together over the unpacked total.
        let pkg = package(&codes(50, "字", ""));
        let mut limits = small(1 << 20, 1000, 1 << 20);
        limits.unpacked_bytes = 1000;
        let err = extract_text(&pkg, false, &limits).unwrap_err();
        assert_eq!(err, "its parts unpack to more than 1000 bytes, the limit");
    }

    #[test]
    fn a_delta_x_bomb_expands_no_further_than_its_text() {
        // A few bytes asking for 10^8 advances, a hundred times over: read at once, placed as
        // if the advances were there for the three characters.
        let bomb = ["g 100000000 5"; 100].join(" ");
        let page = page_text(&codes(1, "第一行", &bomb), (210.0, 297.0), all())
            .unwrap_or_else(|_| panic!());
        assert_eq!(page.pieces.len(), 1);
        let p = &page.pieces[0];
        assert!(((p.x1 - p.x0) / PT_PER_MM - 15.0).abs() < 0.01, "{p:?}");
    }

    #[test]
    fn text_codes_are_placed_by_position() {
        let xml = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>
            <ofd:TextObject ID="2" Size="5" Boundary="20 40 100 6"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">第二行</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="1" Size="5" Boundary="20 30 100 6"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">第一行</ofd:TextCode></ofd:TextObject>
            </ofd:Layer></ofd:Content></ofd:Page>"#;
        let page = page_text(xml, (210.0, 297.0), all()).unwrap_or_else(|_| panic!());
        assert_eq!(layout::paragraphs(&[page], true), "第一行\n第二行");
    }
}
