//! Word documents (`.docx`): the paragraphs of `word/document.xml`.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};
use zip::result::ZipError;

/// The part of a `.docx` that holds the body text.
const DOCUMENT_XML: &str = "word/document.xml";

/// Whether the bytes start with the ZIP local-file magic `PK\x03\x04`.
pub(crate) fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Whether a ZIP names a `word/document.xml` (a `.docx`, even one that also holds an OFD).
pub(crate) fn has_document_xml(bytes: &[u8]) -> bool {
    bytes
        .windows(DOCUMENT_XML.len())
        .any(|w| w == DOCUMENT_XML.as_bytes())
}

/// The text of a `.docx`: paragraphs in document order joined by `\n`, refused when
/// `word/document.xml` unpacks to more than `limit` bytes ([`super::limits::MAX_PART_BYTES`]).
/// The error is a plain-words reason for the user.
pub(crate) fn extract_text(bytes: &[u8], limit: u64) -> Result<String, String> {
    let xml = read_document_xml(bytes, limit)?;
    let xml = String::from_utf8(xml).map_err(|_| format!("{DOCUMENT_XML} is not UTF-8 text"))?;
    let xml = xml.strip_prefix('\u{FEFF}').unwrap_or(&xml);
    paragraphs(xml).map(|p| p.join("\n"))
}

/// Unpacks `word/document.xml`, refusing it when larger than `limit`.
fn read_document_xml(bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the ZIP archive is damaged ({e})"))?;
    zip_member(&mut archive, DOCUMENT_XML, limit).map_err(|e| match e {
        MemberError::Missing => format!("it is a ZIP archive but has no {DOCUMENT_XML}"),
        MemberError::TooLarge => format!(
            "{DOCUMENT_XML} is larger than {} when unpacked, the limit",
            super::limits::mb(limit)
        ),
        MemberError::Unreadable(e) => format!("{DOCUMENT_XML} cannot be unpacked ({e})"),
    })
}

/// Why a member of a ZIP package could not be read.
pub(crate) enum MemberError {
    /// The package has no member of that name.
    Missing,
    /// Unpacked, it is larger than the limit (a zip bomb, or simply too big).
    TooLarge,
    /// It could not be opened or unpacked.
    Unreadable(String),
}

/// Unpacks one member of a ZIP package (`.docx`, OFD), refusing it from its declared size,
/// and again while unpacking, when it is larger than `limit`.
pub(crate) fn zip_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, MemberError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Err(MemberError::Missing),
        Err(e) => return Err(MemberError::Unreadable(e.to_string())),
    };
    if entry.size() > limit {
        return Err(MemberError::TooLarge);
    }
    let mut out = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| MemberError::Unreadable(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(MemberError::TooLarge);
    }
    Ok(out)
}

/// The text of one of XML's five predefined entities (`amp`, `lt`, `gt`, `quot`, `apos`).
pub(crate) fn predefined_entity(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"amp" => "&",
        b"lt" => "<",
        b"gt" => ">",
        b"quot" => "\"",
        b"apos" => "'",
        _ => return None,
    })
}

/// Where the walk through the XML is.
#[derive(Default)]
struct Walk {
    /// Finished paragraphs, in the order they closed.
    done: Vec<String>,
    /// Open paragraphs (a text box can nest one inside another).
    open: Vec<String>,
    /// Depth of open runs (`w:r`); tabs and breaks count only inside one.
    runs: usize,
    /// Inside a `w:t`.
    in_text: bool,
    /// Depth inside a skipped element (deleted or fallback content).
    skip: usize,
}

impl Walk {
    /// Appends to the innermost open paragraph.
    fn push(&mut self, s: &str) {
        if let Some(p) = self.open.last_mut() {
            p.push_str(s);
        }
    }

    /// A tab or break element, in its empty or start form.
    fn special(&mut self, name: &[u8]) {
        if self.runs == 0 {
            return;
        }
        match name {
            b"w:tab" => self.push("\t"),
            b"w:br" | b"w:cr" => self.push("\n"),
            _ => {}
        }
    }

    /// Text inside `w:t` given as an entity or character reference.
    fn reference(&mut self, r: &BytesRef<'_>) -> Result<(), quick_xml::Error> {
        if let Some(c) = r.resolve_char_ref()? {
            let mut buf = [0; 4];
            self.push(c.encode_utf8(&mut buf));
            return Ok(());
        }
        let name = AsRef::<[u8]>::as_ref(&**r);
        match predefined_entity(name) {
            Some(s) => self.push(s),
            None => {
                let raw = format!("&{};", String::from_utf8_lossy(name));
                self.push(&raw);
            }
        }
        Ok(())
    }
}

/// Elements whose content is not part of the visible text: deleted and
/// moved-away revisions, and the fallback copy of text boxes.
fn skipped(name: &[u8]) -> bool {
    matches!(name, b"w:del" | b"w:moveFrom" | b"mc:Fallback")
}

/// The paragraphs (`w:p`) of `document.xml`: `w:t` text, `w:tab` as a tab,
/// `w:br` / `w:cr` as a newline; deleted text left out.
fn paragraphs(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    let malformed = |reader: &Reader<&[u8]>, e: quick_xml::Error| {
        format!(
            "{DOCUMENT_XML} is malformed XML near byte {} ({e})",
            reader.error_position()
        )
    };
    loop {
        let event = reader.read_event().map_err(|e| malformed(&reader, e))?;
        if walk.skip > 0 {
            match event {
                Event::Start(_) => walk.skip += 1,
                Event::End(_) => walk.skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                name if skipped(name) => walk.skip = 1,
                b"w:p" => walk.open.push(String::new()),
                b"w:r" => walk.runs += 1,
                b"w:t" => walk.in_text = true,
                name => walk.special(name),
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"w:p" => walk.done.push(String::new()),
                name => walk.special(name),
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:p" => {
                    if let Some(p) = walk.open.pop() {
                        walk.done.push(p);
                    }
                }
                b"w:r" => walk.runs = walk.runs.saturating_sub(1),
                b"w:t" => walk.in_text = false,
                _ => {}
            },
            Event::Text(t) if walk.in_text => {
                let s = t.decode().map_err(|e| malformed(&reader, e.into()))?;
                walk.push(&s);
            }
            Event::CData(t) if walk.in_text => {
                let s = t.decode().map_err(|e| malformed(&reader, e.into()))?;
                walk.push(&s);
            }
            Event::GeneralRef(r) if walk.in_text => {
                walk.reference(&r).map_err(|e| malformed(&reader, e))?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !walk.open.is_empty() {
        return Err(format!(
            "{DOCUMENT_XML} is malformed XML (it ends inside a paragraph)"
        ));
    }
    Ok(walk.done)
}

/// Builds `.docx`-like ZIP files for tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    /// A ZIP holding the given (name, content) entries.
    pub(crate) fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(content.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// A minimal `.docx` whose body is `body` (raw WordprocessingML).
    pub(crate) fn docx_with_body(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", &xml),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn paragraphs_runs_tabs_breaks_and_tables() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>同志们</w:t></w:r><w:r><w:t xml:space="preserve">，现在</w:t></w:r><w:r><w:tab/><w:t>我代表</w:t><w:br/><w:t>第十六届</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>表格&amp;单元</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p/><w:p><w:r><w:t>  尾段 &#x4E2D;</w:t></w:r></w:p>"#;
        let text = extract_text(&docx_with_body(body), 1 << 20).unwrap();
        assert_eq!(
            text,
            "同志们，现在\t我代表\n第十六届\n表格&单元\n\n  尾段 中"
        );
    }

    #[test]
    fn deleted_text_and_fallbacks_are_skipped() {
        let body = r#"<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:tab/><w:delText>删掉</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:instrText>PAGE</w:instrText></w:r></w:p><w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        let text = extract_text(&docx_with_body(body), 1 << 20).unwrap();
        assert_eq!(text, "保留插入\n文本框\n");
    }

    #[test]
    fn zip_without_document_xml_is_refused() {
        let zip = zip_of(&[("hello.txt", "hi")]);
        assert!(looks_like_zip(&zip));
        let err = extract_text(&zip, 1 << 20).unwrap_err();
        assert!(err.contains("has no word/document.xml"), "{err}");
    }

    #[test]
    fn corrupt_zip_is_refused() {
        let mut zip = docx_with_body("<w:p/>");
        zip.truncate(zip.len() / 2);
        let err = extract_text(&zip, 1 << 20).unwrap_err();
        assert!(err.contains("damaged"), "{err}");
    }

    #[test]
    fn oversized_document_xml_is_refused() {
        let zip = docx_with_body(&"<w:p/>".repeat(2000));
        let err = read_document_xml(&zip, 1000).unwrap_err();
        assert!(
            err.contains("larger than 1000 bytes when unpacked, the limit"),
            "{err}"
        );
        assert!(read_document_xml(&zip, 100_000).is_ok());
    }

    #[test]
    fn malformed_xml_is_refused() {
        let zip = zip_of(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
        let err = extract_text(&zip, 1 << 20).unwrap_err();
        assert!(err.contains("malformed XML"), "{err}");
        let zip = zip_of(&[("word/document.xml", "<w:document><w:body><w:p>")]);
        assert!(
            extract_text(&zip, 1 << 20)
                .unwrap_err()
                .contains("malformed XML")
        );
    }
}
