//! Reading and writing codebooks in the REFI-QDA codebook exchange format (`.qdc`).
//!
//! A `.qdc` file is an XML document in the namespace `urn:QDA-XML:codebook:1.0`
//! (REFI-QDA `Codebook.xsd`), the format in which ATLAS.ti, MAXQDA, NVivo and
//! QualCoder exchange codebooks:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Yinwen">
//!   <Codes>
//!     <Code guid="…" name="社区服务" isCodable="true" color="#3366CC">
//!       <Description>…</Description>
//!       <Code guid="…" name="党建" isCodable="true"/>
//!     </Code>
//!   </Codes>
//!   <Sets>…</Sets>
//! </CodeBook>
//! ```
//!
//! The reader is tolerant of what real tools emit: a UTF-8 byte-order mark, any XML
//! declaration (`standalone="no"` included), attributes in any order, upper- or
//! lower-case GUIDs, colours with or without `#`, in either case or in the
//! three-digit form, missing colours, namespace prefixes, the variant namespace
//! spellings `urn:QDA-XML:codebook:1:0` (NVivo 12 for Mac, older QualCoder) and
//! `…:0:4`, vendor elements and attributes (skipped) and `<Sets>` (ignored).
//! It refuses input larger than [`MAX_QDC_BYTES`] before parsing, and code trees
//! nested deeper than [`MAX_CODE_DEPTH`].
//!
//! The writer produces deterministic output: the same codes and origin always give
//! the same bytes.

use std::fmt::Write as _;

use quick_xml::NsReader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use sha2::{Digest, Sha256};

/// The namespace of a REFI-QDA codebook, as written by [`write_qdc`].
pub const QDC_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// The largest input [`read_qdc`] accepts, in bytes (20 MiB). Larger inputs are
/// refused before any parsing.
pub const MAX_QDC_BYTES: usize = 20 * 1024 * 1024;

/// The deepest nesting of `<Code>` elements [`read_qdc`] accepts: a top-level code
/// is at depth 1.
pub const MAX_CODE_DEPTH: usize = 64;

/// Any REFI-QDA codebook namespace: `urn:QDA-XML:codebook:` followed by a version
/// (`1.0`; `1:0` and `0:4` are found in files from real tools).
const CODEBOOK_NS_PREFIX: &[u8] = b"urn:qda-xml:codebook:";
/// Any REFI-QDA project namespace (a `CodeBook` inside a project uses it).
pub(crate) const PROJECT_NS_PREFIX: &[u8] = b"urn:qda-xml:project:";
/// Where the schema of [`QDC_NAMESPACE`] is published.
const SCHEMA_LOCATION: &str =
    "urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd";

/// One code of a codebook, as a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdcCode {
    /// The code's GUID exactly as in the file; `""` if the file had none. When
    /// writing, an empty (or blank) GUID is replaced by a generated one.
    pub guid: String,
    /// The code's name (never empty in codes returned by [`read_qdc`]).
    pub name: String,
    /// The colour, normalised to `"#RRGGBB"` in upper case; `None` if the file had
    /// no colour or one that is not a hexadecimal RGB colour.
    pub color: Option<String>,
    /// The text of the `<Description>` child; `""` if absent.
    pub description: String,
    /// The `isCodable` attribute: `false` for a category that only groups other
    /// codes. Defaults to `true`.
    pub codable: bool,
    /// The sub-codes, in file order.
    pub children: Vec<QdcCode>,
}

/// Why a text could not be read as a REFI-QDA codebook.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QdcError {
    /// The input is larger than [`MAX_QDC_BYTES`]; it was not parsed.
    #[error("the file is too large to be a codebook ({size} bytes; the limit is 20 MB)")]
    TooLarge {
        /// The size of the input, in bytes.
        size: usize,
    },
    /// The input contains no XML element at all (empty or only whitespace/comments).
    #[error("the file is empty: it contains no XML element")]
    Empty,
    /// The input is not well-formed XML.
    #[error("not well-formed XML at line {line}, column {column}: {message}")]
    NotXml {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column (in characters) of the problem.
        column: usize,
        /// What is wrong, in English.
        message: String,
    },
    /// The input is XML, but its root is not a REFI-QDA `<CodeBook>`.
    #[error(
        "not a REFI-QDA codebook: the root element is {found}, not <CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">"
    )]
    NotCodebook {
        /// The root element found, e.g. `<html>` or `<CodeBook> (no namespace)`.
        found: String,
    },
    /// A `<Code>` element has no `name` attribute, or an empty one.
    #[error("a <Code> at line {line}, column {column} has no name")]
    CodeWithoutName {
        /// 1-based line of the `<Code>` element.
        line: usize,
        /// 1-based column (in characters) of the `<Code>` element.
        column: usize,
    },
    /// `<Code>` elements are nested deeper than [`MAX_CODE_DEPTH`].
    #[error("codes are nested more than 64 levels deep (at line {line}, column {column})")]
    TooDeep {
        /// 1-based line of the first `<Code>` past the limit.
        line: usize,
        /// 1-based column (in characters) of that `<Code>`.
        column: usize,
    },
}

/// What the reader is inside of.
enum Frame {
    /// The root `<CodeBook>`.
    CodeBook,
    /// A `<Codes>` list.
    Codes,
    /// A `<Code>` being built.
    Code(QdcCode),
    /// A `<Description>`, with its text so far.
    Description(String),
}

/// Reads a REFI-QDA codebook and returns its top-level codes, in file order, each
/// with its sub-codes.
///
/// Tolerates a byte-order mark, an XML declaration, unknown elements and attributes
/// (skipped, with everything inside them), `<Sets>` (ignored) and namespace prefixes.
/// Refuses input over [`MAX_QDC_BYTES`] without parsing it, XML that is not
/// well-formed, a root other than `<CodeBook>` in a REFI-QDA codebook namespace, a
/// `<Code>` without a name, and codes nested deeper than [`MAX_CODE_DEPTH`].
///
/// # Errors
///
/// [`QdcError::TooLarge`], [`QdcError::Empty`], [`QdcError::NotXml`] (with the
/// line and column of the problem), [`QdcError::NotCodebook`],
/// [`QdcError::CodeWithoutName`] or [`QdcError::TooDeep`], as described there.
pub fn read_qdc(xml: &str) -> Result<Vec<QdcCode>, QdcError> {
    if xml.len() > MAX_QDC_BYTES {
        return Err(QdcError::TooLarge { size: xml.len() });
    }
    let text = xml.strip_prefix('\u{FEFF}').unwrap_or(xml);
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut top_level: Vec<QdcCode> = Vec::new();
    let mut root_done = false;
    let mut code_depth = 0usize;

    loop {
        let event_start = position_u64(reader.buffer_position());
        let (ours, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (is_qda_namespace(&ns), event),
            Err(err) => {
                return Err(not_xml(text, position_u64(reader.error_position()), &err));
            }
        };
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Start(start) | Event::Empty(start) if stack.is_empty() => {
                if root_done {
                    return Err(not_xml_msg(
                        text,
                        event_start,
                        "a second root element after </CodeBook>",
                    ));
                }
                check_root(&reader, &start)?;
                if is_start {
                    stack.push(Frame::CodeBook);
                } else {
                    // An empty `<CodeBook/>` is a codebook without codes.
                    root_done = true;
                }
            }
            Event::Start(start) => {
                let local = start.local_name();
                let name = local.as_ref();
                let Some(top) = stack.last() else { continue };
                let wanted = ours
                    && matches!(
                        (top, name),
                        (Frame::CodeBook, b"Codes")
                            | (Frame::Codes | Frame::Code(_), b"Code")
                            | (Frame::Code(_), b"Description")
                    );
                if !wanted {
                    if let Err(err) = reader.read_to_end(start.name()) {
                        return Err(not_xml(text, position_u64(reader.error_position()), &err));
                    }
                    continue;
                }
                match name {
                    b"Codes" => stack.push(Frame::Codes),
                    b"Description" => stack.push(Frame::Description(String::new())),
                    _ => {
                        code_depth += 1;
                        if code_depth > MAX_CODE_DEPTH {
                            let (line, column) = line_column(text, event_start);
                            return Err(QdcError::TooDeep { line, column });
                        }
                        let code = code_from_attributes(&reader, &start, text, event_start)?;
                        stack.push(Frame::Code(code));
                    }
                }
            }
            Event::Empty(start) => {
                let local = start.local_name();
                let Some(top) = stack.last() else { continue };
                match (top, local.as_ref()) {
                    (Frame::Codes | Frame::Code(_), b"Code") if ours => {
                        if code_depth + 1 > MAX_CODE_DEPTH {
                            let (line, column) = line_column(text, event_start);
                            return Err(QdcError::TooDeep { line, column });
                        }
                        let code = code_from_attributes(&reader, &start, text, event_start)?;
                        attach_code(&mut stack, &mut top_level, code);
                    }
                    // `<Codes/>`, `<Description/>` and anything unknown add nothing.
                    _ => {}
                }
            }
            Event::End(_) => match stack.pop() {
                Some(Frame::CodeBook) => root_done = true,
                Some(Frame::Codes) => {}
                Some(Frame::Code(code)) => {
                    code_depth -= 1;
                    attach_code(&mut stack, &mut top_level, code);
                }
                Some(Frame::Description(desc)) => {
                    if let Some(Frame::Code(code)) = stack.last_mut() {
                        if code.description.is_empty() {
                            code.description = desc;
                        } else if !desc.is_empty() {
                            code.description.push('\n');
                            code.description.push_str(&desc);
                        }
                    }
                }
                None => {
                    return Err(not_xml_msg(
                        text,
                        event_start,
                        "a closing tag with no opening tag",
                    ));
                }
            },
            Event::Text(t) => {
                if let Some(Frame::Description(desc)) = stack.last_mut() {
                    match t.xml10_content() {
                        Ok(s) => desc.push_str(&s),
                        Err(err) => return Err(not_xml_msg(text, event_start, &err.to_string())),
                    }
                } else if stack.is_empty() {
                    let raw = t.into_inner();
                    if !raw.iter().all(u8::is_ascii_whitespace) {
                        let message = if root_done {
                            "text after the root element"
                        } else {
                            "text before the root element"
                        };
                        return Err(not_xml_msg(text, event_start, message));
                    }
                }
            }
            Event::CData(c) => {
                if let Some(Frame::Description(desc)) = stack.last_mut() {
                    match c.xml10_content() {
                        Ok(s) => desc.push_str(&s),
                        Err(err) => return Err(not_xml_msg(text, event_start, &err.to_string())),
                    }
                } else if stack.is_empty() {
                    return Err(not_xml_msg(
                        text,
                        event_start,
                        "CDATA outside the root element",
                    ));
                }
            }
            Event::GeneralRef(r) => {
                if stack.is_empty() {
                    return Err(not_xml_msg(
                        text,
                        event_start,
                        "an entity reference outside the root element",
                    ));
                }
                let resolved =
                    resolve_reference(&r).map_err(|m| not_xml_msg(text, event_start, &m))?;
                if let Some(Frame::Description(desc)) = stack.last_mut() {
                    desc.push(resolved);
                }
            }
            Event::Eof => break,
            // Declarations, comments, processing instructions and DOCTYPE carry no codes.
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }

    if !stack.is_empty() {
        let open = match stack.last() {
            Some(Frame::CodeBook) => "<CodeBook>",
            Some(Frame::Codes) => "<Codes>",
            Some(Frame::Code(_)) => "<Code>",
            Some(Frame::Description(_)) => "<Description>",
            None => "",
        };
        return Err(not_xml_msg(
            text,
            text.len() as u64,
            &format!("the file ends before {open} is closed"),
        ));
    }
    if !root_done {
        return Err(QdcError::Empty);
    }
    Ok(top_level)
}

/// Appends a finished code to its parent code, or to the top-level list when its
/// parent is `<Codes>`.
fn attach_code(stack: &mut [Frame], top_level: &mut Vec<QdcCode>, code: QdcCode) {
    match stack.last_mut() {
        Some(Frame::Code(parent)) => parent.children.push(code),
        _ => top_level.push(code),
    }
}

/// Whether an element's namespace is one of REFI-QDA's (or none at all, for files
/// that only put the namespace on the root and nothing else).
pub(crate) fn is_qda_namespace(ns: &ResolveResult<'_>) -> bool {
    match ns {
        ResolveResult::Unbound => true,
        ResolveResult::Bound(Namespace(uri)) => {
            starts_with_ignore_case(uri, CODEBOOK_NS_PREFIX)
                || starts_with_ignore_case(uri, PROJECT_NS_PREFIX)
        }
        ResolveResult::Unknown(_) => false,
    }
}

/// ASCII case-insensitive `starts_with`.
pub(crate) fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Checks that the root element is `<CodeBook>` in a REFI-QDA codebook namespace.
fn check_root(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Result<(), QdcError> {
    let (ns, local) = reader.resolve_element(start.name());
    let local_name = String::from_utf8_lossy(local.as_ref()).into_owned();
    let namespace = match ns {
        ResolveResult::Bound(Namespace(uri)) => Some(String::from_utf8_lossy(uri).into_owned()),
        _ => None,
    };
    let in_codebook_ns = namespace
        .as_deref()
        .is_some_and(|uri| starts_with_ignore_case(uri.as_bytes(), CODEBOOK_NS_PREFIX));
    if local_name == "CodeBook" && in_codebook_ns {
        return Ok(());
    }
    let found = match namespace {
        Some(uri) => format!("<{local_name}> in namespace {uri}"),
        None if local_name == "CodeBook" => "<CodeBook> without the REFI-QDA namespace".to_owned(),
        None => format!("<{local_name}>"),
    };
    Err(QdcError::NotCodebook { found })
}

/// Builds a code (without children or description) from a `<Code>` element's
/// attributes.
fn code_from_attributes(
    reader: &NsReader<&[u8]>,
    start: &BytesStart<'_>,
    text: &str,
    at: u64,
) -> Result<QdcCode, QdcError> {
    let mut code = QdcCode {
        guid: String::new(),
        name: String::new(),
        color: None,
        description: String::new(),
        codable: true,
        children: Vec::new(),
    };
    for attr in start.attributes() {
        let attr =
            attr.map_err(|err| not_xml_msg(text, at, &format!("bad attribute in <Code>: {err}")))?;
        // Only unprefixed attributes belong to the codebook schema.
        if attr.key.prefix().is_some() {
            continue;
        }
        let key = attr.key.local_name();
        let field = match key.as_ref() {
            b"guid" | b"name" | b"color" | b"isCodable" => key.as_ref(),
            _ => continue,
        };
        let value = attr
            .decode_and_unescape_value(reader.decoder())
            .map_err(|err| {
                not_xml_msg(text, at, &format!("bad attribute value in <Code>: {err}"))
            })?;
        match field {
            b"guid" => code.guid = value.into_owned(),
            b"name" => code.name = value.into_owned(),
            b"color" => code.color = normalize_color(&value),
            _ => code.codable = parse_bool(&value).unwrap_or(true),
        }
    }
    if code.name.trim().is_empty() {
        let (line, column) = line_column(text, at);
        return Err(QdcError::CodeWithoutName { line, column });
    }
    Ok(code)
}

/// Parses an `xsd:boolean` (`true`, `false`, `1`, `0`), forgiving case and spaces.
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("true") || v == "1" {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") || v == "0" {
        Some(false)
    } else {
        None
    }
}

/// Normalises a colour to `#RRGGBB` in upper case. Accepts `#RRGGBB`, `RRGGBB`,
/// `#RGB` and `RGB` in any case; anything else gives `None`.
pub(crate) fn normalize_color(value: &str) -> Option<String> {
    let v = value.trim();
    let hex = v.strip_prefix('#').unwrap_or(v);
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digits: String = match hex.len() {
        6 => hex.to_ascii_uppercase(),
        3 => hex
            .chars()
            .flat_map(|c| [c, c])
            .collect::<String>()
            .to_ascii_uppercase(),
        _ => return None,
    };
    Some(format!("#{digits}"))
}

/// Resolves a general reference (`&amp;`, `&#x4E2D;`, …) to its character.
pub(crate) fn resolve_reference(r: &BytesRef<'_>) -> Result<char, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => return Ok(c),
        Ok(None) => {}
        Err(err) => return Err(err.to_string()),
    }
    let name = r.decode().map_err(|err| err.to_string())?;
    match quick_xml::escape::resolve_predefined_entity(&name).and_then(|s| s.chars().next()) {
        Some(c) => Ok(c),
        None => Err(format!("unknown entity &{name};")),
    }
}

/// A byte position as `u64`, whatever quick-xml reports it as.
pub(crate) fn position_u64<T: TryInto<u64>>(pos: T) -> u64 {
    pos.try_into().unwrap_or(u64::MAX)
}

/// 1-based line and column (in characters) of a byte position in `text`.
pub(crate) fn line_column(text: &str, pos: u64) -> (usize, usize) {
    let mut end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A [`QdcError::NotXml`] from a quick-xml error.
fn not_xml(text: &str, pos: u64, err: &quick_xml::Error) -> QdcError {
    not_xml_msg(text, pos, &err.to_string())
}

/// A [`QdcError::NotXml`] with a message.
fn not_xml_msg(text: &str, pos: u64, message: &str) -> QdcError {
    let (line, column) = line_column(text, pos);
    QdcError::NotXml {
        line,
        column,
        message: message.to_owned(),
    }
}

/// Writes codes as a REFI-QDA codebook (`.qdc`).
///
/// The output has an XML declaration (UTF-8), a `<CodeBook>` root in
/// [`QDC_NAMESPACE`] with the given `origin`, and the `<Codes>` tree with two-space
/// indentation. Attributes come in schema order (`guid`, `name`, `isCodable`,
/// `color`); a colour is written only if it normalises to `#RRGGBB`; a
/// `<Description>` only if non-empty. Text is escaped (`<`, `>`, `&`, quotes; tabs,
/// carriage returns and newlines in attributes as character references so they
/// survive attribute normalisation); other characters, Chinese included, are written
/// as they are. Characters XML 1.0 cannot carry (C0 controls other than tab, CR and
/// LF; U+FFFE; U+FFFF) are dropped. A code with an empty GUID gets
/// [`guid_from_seed`] of its position in the tree and its name. Same input, same
/// bytes.
///
/// The schema wants at least one `<Code>`; with no codes the output has an empty
/// `<Codes/>`, which tools read as an empty codebook. A tree nested deeper than
/// [`MAX_CODE_DEPTH`] is written, but [`read_qdc`] will refuse to read it back.
#[must_use]
pub fn write_qdc(codes: &[QdcCode], origin: &str) -> String {
    let mut out = String::with_capacity(256 + codes.len() * 128);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<CodeBook xmlns=\"");
    out.push_str(QDC_NAMESPACE);
    out.push_str(
        "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"",
    );
    out.push_str(SCHEMA_LOCATION);
    out.push_str("\" origin=\"");
    push_escaped_attr(&mut out, origin);
    out.push_str("\">\n");
    if codes.is_empty() {
        out.push_str("  <Codes/>\n");
    } else {
        out.push_str("  <Codes>\n");
        write_code_tree(&mut out, codes, 2, &|_| Vec::new());
        out.push_str("  </Codes>\n");
    }
    out.push_str("</CodeBook>\n");
    out
}

/// Writes a tree of `<Code>` elements at `level` (indentation in two-space steps), as in a
/// codebook (`.qdc`) or a project's `<CodeBook>` (`.qdpx`, same elements in the project
/// namespace). `note_refs` gives, for each code, the GUIDs of the notes it links to: written
/// as `<NoteRef targetGUID="…"/>` after the description, where the project schema has them
/// (a codebook passes a function that returns none).
pub(crate) fn write_code_tree(
    out: &mut String,
    codes: &[QdcCode],
    level: usize,
    note_refs: &dyn Fn(&QdcCode) -> Vec<String>,
) {
    for (i, code) in codes.iter().enumerate() {
        write_code(out, code, &i.to_string(), level, note_refs);
    }
}

/// Writes one `<Code>` and its sub-codes at `level` (indentation in two-space steps).
/// `path` is the code's position in the tree (`0`, `0.2`, …), the seed of a generated
/// GUID.
fn write_code(
    out: &mut String,
    code: &QdcCode,
    path: &str,
    level: usize,
    note_refs: &dyn Fn(&QdcCode) -> Vec<String>,
) {
    indent(out, level);
    out.push_str("<Code guid=\"");
    if code.guid.trim().is_empty() {
        out.push_str(&guid_from_seed(&format!(
            "yinwen-qdc-code\u{1f}{path}\u{1f}{}",
            code.name
        )));
    } else {
        push_escaped_attr(out, &code.guid);
    }
    out.push_str("\" name=\"");
    push_escaped_attr(out, &code.name);
    out.push_str("\" isCodable=\"");
    out.push_str(if code.codable { "true" } else { "false" });
    out.push('"');
    if let Some(color) = code.color.as_deref().and_then(normalize_color) {
        out.push_str(" color=\"");
        out.push_str(&color);
        out.push('"');
    }
    let notes = note_refs(code);
    if code.description.is_empty() && code.children.is_empty() && notes.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if !code.description.is_empty() {
        indent(out, level + 1);
        out.push_str("<Description>");
        push_escaped_text(out, &code.description);
        out.push_str("</Description>\n");
    }
    for guid in &notes {
        indent(out, level + 1);
        out.push_str("<NoteRef targetGUID=\"");
        push_escaped_attr(out, guid);
        out.push_str("\"/>\n");
    }
    for (i, child) in code.children.iter().enumerate() {
        write_code(out, child, &format!("{path}.{i}"), level + 1, note_refs);
    }
    indent(out, level);
    out.push_str("</Code>\n");
}

/// Pushes `level` steps of two-space indentation.
fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Pushes `s` escaped for a double-quoted attribute value.
fn push_escaped_attr(out: &mut String, s: &str) {
    crate::xml::push_attr(out, s, true);
}

/// Pushes `s` escaped for element content.
fn push_escaped_text(out: &mut String, s: &str) {
    crate::xml::push_text(out, s);
}

/// A new GUID in the canonical 8-4-4-4-12 lower-case form with the version-4 layout
/// (version nibble `4`, variant bits `10`), derived from `seed` by SHA-256 so that
/// the same seed always gives the same GUID.
#[must_use]
pub fn guid_from_seed(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(guid: &str, name: &str, color: Option<&str>, desc: &str) -> QdcCode {
        QdcCode {
            guid: guid.to_owned(),
            name: name.to_owned(),
            color: color.map(str::to_owned),
            description: desc.to_owned(),
            codable: true,
            children: Vec::new(),
        }
    }

    fn sample_tree() -> Vec<QdcCode> {
        let mut service = code(
            "0f3c2a4e-1b2d-4c5e-8f90-123456789abc",
            "社区服务",
            Some("#3366CC"),
            "居民服务与<script>alert('x')</script> & \"引号\"",
        );
        service.codable = false;
        let mut party = code(
            "7D8E9F00-1111-4222-9333-444455556666",
            "党建",
            Some("#CC0000"),
            "",
        );
        party.children.push(code(
            "a1b2c3d4-0000-4000-8000-000000000001",
            "党建 > 组织生活 & \"三会一课\" 'x'",
            None,
            "第一行\n第二行\r\n\t缩进",
        ));
        service.children.push(party);
        service
            .children
            .push(code("", "民生", Some("#00AA55"), "就业、教育、医疗"));
        vec![
            service,
            code("{5b2fc63a-8af4-44cb-960c-aefdced908d6}", "民生", None, ""),
        ]
    }

    #[test]
    fn round_trip_keeps_the_tree() {
        let codes = sample_tree();
        let xml = write_qdc(&codes, "Yinwen 0.1 <test> & \"co\"");
        let back = read_qdc(&xml).expect("own output reads back");
        // The one code without a GUID got a generated one; everything else is equal.
        let generated = &back[0].children[1].guid;
        assert_eq!(generated.len(), 36);
        let mut expected = codes.clone();
        expected[0].children[1].guid = generated.clone();
        assert_eq!(back, expected);
        // Chinese is written as is, not as character references.
        assert!(xml.contains("name=\"社区服务\""));
        assert!(xml.contains("&lt;script&gt;"));
        assert!(!xml.contains("<script>"));
        assert!(!xml.contains("&#x"));
        // Writing what was read gives the same bytes: the output is deterministic.
        assert_eq!(write_qdc(&back, "Yinwen 0.1 <test> & \"co\""), xml);
        assert_eq!(write_qdc(&codes, "Yinwen 0.1 <test> & \"co\""), xml);
    }

    #[test]
    fn output_shape_is_as_documented() {
        let xml = write_qdc(&sample_tree(), "Yinwen");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" "));
        assert!(xml.contains(" origin=\"Yinwen\">\n  <Codes>\n    <Code guid=\"0f3c2a4e-1b2d-4c5e-8f90-123456789abc\" name=\"社区服务\" isCodable=\"false\" color=\"#3366CC\">\n      <Description>"));
        assert!(xml.ends_with("  </Codes>\n</CodeBook>\n"));
        let empty = write_qdc(&[], "Yinwen");
        assert!(empty.contains("<Codes/>"));
        assert_eq!(read_qdc(&empty).unwrap(), Vec::<QdcCode>::new());
    }

    #[test]
    fn output_validates_structurally() {
        let xml = write_qdc(&sample_tree(), "Yinwen");
        let mut reader = NsReader::from_str(&xml);
        let mut root = None;
        let mut depth = 0usize;
        let mut code_elements = 0;
        loop {
            let (ns, event) = reader.read_resolved_event().expect("well-formed");
            let ns = match ns {
                ResolveResult::Bound(Namespace(uri)) => Some(uri.to_vec()),
                _ => None,
            };
            let (e, opens) = match event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    depth -= 1;
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            // Every element is in the codebook namespace.
            assert_eq!(ns.as_deref(), Some(QDC_NAMESPACE.as_bytes()));
            if depth == 0 {
                assert!(root.is_none(), "one root only");
                root = Some(e.local_name().as_ref().to_vec());
                let origin = e.try_get_attribute("origin").unwrap().unwrap();
                assert_eq!(origin.value.as_ref(), b"Yinwen");
            }
            if e.local_name().as_ref() == b"Code" {
                code_elements += 1;
                let keys: Vec<Vec<u8>> = e
                    .attributes()
                    .map(|a| a.unwrap().key.as_ref().to_vec())
                    .collect();
                assert_eq!(
                    keys[..3],
                    [b"guid".to_vec(), b"name".to_vec(), b"isCodable".to_vec()]
                );
            }
            if opens {
                depth += 1;
            }
        }
        assert_eq!(depth, 0);
        assert_eq!(root.as_deref(), Some(&b"CodeBook"[..]));
        assert_eq!(code_elements, 5);
    }

    /// As QualCoder writes it: a BOM, a lower-case `utf-8` declaration, `xsi`
    /// attributes, lower-case GUIDs, `html.escape` entities (`&#x27;`, `&quot;`),
    /// categories with `isCodable="false"` and no colour, self-closing codes.
    const QUALCODER: &str = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>
<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" xsi:schemaLocation=\"urn:QDA-XML:codebook:1.0 Codebook.xsd\" origin=\"QualCoder\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Codes>
<Code guid=\"3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b\" name=\"Speaker&#x27;s stance\" isCodable=\"true\" color=\"#EB7333\" />
<Code guid=\"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a\" name=\"政策 &quot;宣传&quot;\" isCodable=\"false\">
<Description>Category: policy &amp; propaganda &lt;all&gt;</Description>
<Code guid=\"11111111-2222-4333-8444-555555555555\" name=\"民生\" isCodable=\"true\" color=\"#9bd1ff\">
<Description>livelihood</Description>
</Code>
</Code>
</Codes>
</CodeBook>
";

    #[test]
    fn reads_qualcoder_style() {
        let codes = read_qdc(QUALCODER).unwrap();
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0].name, "Speaker's stance");
        assert_eq!(codes[0].guid, "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
        assert_eq!(codes[0].color.as_deref(), Some("#EB7333"));
        assert!(codes[0].codable);
        assert_eq!(codes[1].name, "政策 \"宣传\"");
        assert!(!codes[1].codable);
        assert_eq!(codes[1].color, None);
        assert_eq!(codes[1].description, "Category: policy & propaganda <all>");
        assert_eq!(codes[1].children.len(), 1);
        let child = &codes[1].children[0];
        assert_eq!(child.name, "民生");
        assert_eq!(child.color.as_deref(), Some("#9BD1FF"));
        assert_eq!(child.description, "livelihood");
    }

    /// As ATLAS.ti writes it: CRLF line ends, `xsi:schemaLocation` with the
    /// `0:4` version, upper-case GUIDs, `color` before `isCodable`, `<Sets>`.
    const ATLAS_TI: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r
<CodeBook xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:QDA-XML:codebook:0:4 Codebook.xsd\" origin=\"ATLAS.ti Win 23.4.0\" xmlns=\"urn:QDA-XML:codebook:1.0\">\r
  <Codes>\r
    <Code guid=\"2A6B0C1D-7E8F-4A9B-8C0D-1E2F3A4B5C6D\" name=\"社区服务\" color=\"#46AA00\" isCodable=\"true\">\r
      <Description>服务居民\r
第二行</Description>\r
    </Code>\r
    <Code guid=\"3B7C1D2E-8F90-4BAC-9D1E-2F3A4B5C6D7E\" name=\"党建\" color=\"#FF0080\" isCodable=\"true\" />\r
  </Codes>\r
  <Sets>\r
    <Set name=\"group 1\" guid=\"ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0\">\r
      <Description>code group</Description>\r
      <MemberCode guid=\"2A6B0C1D-7E8F-4A9B-8C0D-1E2F3A4B5C6D\" />\r
    </Set>\r
  </Sets>\r
</CodeBook>";

    #[test]
    fn reads_atlas_ti_style() {
        let codes = read_qdc(ATLAS_TI).unwrap();
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0].guid, "2A6B0C1D-7E8F-4A9B-8C0D-1E2F3A4B5C6D");
        assert_eq!(codes[0].name, "社区服务");
        assert_eq!(codes[0].description, "服务居民\n第二行");
        assert_eq!(codes[1].name, "党建");
        assert_eq!(codes[1].color.as_deref(), Some("#FF0080"));
        assert!(codes.iter().all(|c| c.children.is_empty()));
    }

    /// As MAXQDA writes it: attributes in the order isCodable, name, color, guid;
    /// lower-case colours; nested codes; no descriptions.
    const MAXQDA: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook origin="MAXQDA 2022 (Release 22.4.0)" xmlns="urn:QDA-XML:codebook:1.0">
 <Codes>
  <Code isCodable="true" name="民生" color="#2364a2" guid="C4D5E6F7-0819-4A2B-8C3D-4E5F60718293">
   <Code isCodable="true" name="就业" color="#ff8000" guid="D5E6F708-192A-4B3C-9D4E-5F6071829304"/>
   <Code isCodable="true" name="教育" color="#00a0a0" guid="E6F70819-2A3B-4C4D-AE5F-607182930415"/>
  </Code>
 </Codes>
</CodeBook>
"##;

    #[test]
    fn reads_maxqda_style() {
        let codes = read_qdc(MAXQDA).unwrap();
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].color.as_deref(), Some("#2364A2"));
        let names: Vec<&str> = codes[0].children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["就业", "教育"]);
        assert_eq!(codes[0].children[0].color.as_deref(), Some("#FF8000"));
        assert_eq!(
            codes[0].children[1].guid,
            "E6F70819-2A3B-4C4D-AE5F-607182930415"
        );
    }

    /// As NVivo 12 for Mac writes it: `standalone="no"`, the `1:0` namespace
    /// spelling, colour first, everything on one line.
    const NVIVO: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 For Mac" xmlns="urn:QDA-XML:codebook:1:0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:codebook:1:0 Codebook.xsd"><Codes><Code color="#00FF00" guid="4d62f0cc-182f-44b8-a043-339c90779e9e" isCodable="true" name="nodes"><Code guid="5e73a1dd-293a-45c9-b154-44ad01880faf" isCodable="true" name="Personal risk"><Description>risk &amp; worry</Description></Code></Code></Codes></CodeBook>"##;

    #[test]
    fn reads_nvivo_style() {
        let codes = read_qdc(NVIVO).unwrap();
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].name, "nodes");
        assert_eq!(codes[0].children[0].description, "risk & worry");
        assert_eq!(codes[0].children[0].color, None);
    }

    #[test]
    fn tolerates_prefixes_unknown_elements_and_attributes() {
        let xml = r#"<!-- exported by hand -->
<qda:CodeBook xmlns:qda="urn:QDA-XML:codebook:1.0" xmlns:v="urn:vendor:x" origin="x" v:build="7">
  <qda:Codes>
    <qda:Code guid="01" name="A" isCodable="TRUE" v:weight="3" rank="1">
      <qda:NoteRef targetGUID="x"/>
      <v:Extra><qda:Code guid="zz" name="hidden"/></v:Extra>
      <qda:Description><![CDATA[<b>bold</b>]]> &#x4E2D;&#25991;</qda:Description>
      <qda:Code guid="02" name="B" isCodable="0"/>
    </qda:Code>
  </qda:Codes>
  <qda:Sets><qda:Set guid="s" name="s"><qda:MemberCode guid="01"/></qda:Set></qda:Sets>
  <v:Trailer>text</v:Trailer>
</qda:CodeBook>
<?app trailing processing instruction?>
"#;
        let codes = read_qdc(xml).unwrap();
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].description, "<b>bold</b> 中文");
        assert!(codes[0].codable);
        assert_eq!(codes[0].children.len(), 1);
        assert_eq!(codes[0].children[0].name, "B");
        assert!(!codes[0].children[0].codable);
    }

    #[test]
    fn colours_are_normalised() {
        let xml = r##"<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
<Codes>
<Code guid="1" name="no colour" isCodable="true"/>
<Code guid="2" name="lower" isCodable="true" color="#a1b2c3"/>
<Code guid="3" name="no hash" isCodable="true" color="ff0000"/>
<Code guid="4" name="short" isCodable="true" color="#0af"/>
<Code guid="5" name="bad" isCodable="true" color="red"/>
<Code guid="6" name="alpha" isCodable="true" color="#80FF0000"/>
<Code guid="7" name="empty" isCodable="true" color=""/>
<Code guid="8" name="spaces" isCodable="true" color=" #00ff00 "/>
</Codes>
</CodeBook>"##;
        let colors: Vec<Option<String>> = read_qdc(xml)
            .unwrap()
            .into_iter()
            .map(|c| c.color)
            .collect();
        let expected: Vec<Option<String>> = [
            None,
            Some("#A1B2C3"),
            Some("#FF0000"),
            Some("#00AAFF"),
            None,
            None,
            None,
            Some("#00FF00"),
        ]
        .into_iter()
        .map(|c| c.map(str::to_owned))
        .collect();
        assert_eq!(colors, expected);
        // An invalid colour in a code is left out on writing; a valid one normalised.
        let mut c = code("g", "x", Some("blue"), "");
        let xml = write_qdc(std::slice::from_ref(&c), "t");
        assert!(!xml.contains("color="));
        c.color = Some("abcdef".into());
        assert!(write_qdc(&[c], "t").contains("color=\"#ABCDEF\""));
    }

    #[test]
    fn missing_guid_and_defaults() {
        let xml = r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x"/></Codes></CodeBook>"#;
        let codes = read_qdc(xml).unwrap();
        assert_eq!(codes, vec![code("", "x", None, "")]);
        let written = write_qdc(&codes, "t");
        let again = read_qdc(&written).unwrap();
        assert_eq!(
            again[0].guid,
            guid_from_seed("yinwen-qdc-code\u{1f}0\u{1f}x")
        );
        // An empty root and a root without <Codes> are empty codebooks.
        assert!(
            read_qdc(r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>"#)
                .unwrap()
                .is_empty()
        );
        assert!(
            read_qdc(r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="o"></CodeBook>"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn guid_from_seed_is_canonical_v4_and_deterministic() {
        let a = guid_from_seed("社区服务");
        assert_eq!(a, guid_from_seed("社区服务"));
        assert_ne!(a, guid_from_seed("党建"));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(
            a.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }

    #[test]
    fn not_xml_is_refused_with_a_position() {
        for input in [
            "社区服务,党建\n民生,就业\n",
            "{\"codes\": []}",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes></CodeBook>",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code name=\"a\"",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/><CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code name=\"a\"><Description>&nbsp;</Description></Code></Codes></CodeBook>",
        ] {
            match read_qdc(input) {
                Err(QdcError::NotXml { line, column, .. }) => assert!(line >= 1 && column >= 1),
                other => panic!("{input:?} gave {other:?}"),
            }
        }
        let err = read_qdc("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n</Code>")
            .unwrap_err();
        assert!(
            matches!(
                err,
                QdcError::NotXml {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("not well-formed XML at line 3, column 1: "),
            "{err}"
        );
        assert_eq!(read_qdc(""), Err(QdcError::Empty));
        assert_eq!(
            read_qdc("\u{FEFF}  <!-- nothing -->\n"),
            Err(QdcError::Empty)
        );
    }

    #[test]
    fn html_and_wrong_roots_are_not_codebooks() {
        let html = "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>社区</title></head><body><p>hi<br></p></body></html>";
        assert_eq!(
            read_qdc(html),
            Err(QdcError::NotCodebook {
                found: "<html>".into()
            })
        );
        let project = r#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes/></CodeBook></Project>"#;
        let err = read_qdc(project).unwrap_err();
        assert_eq!(
            err,
            QdcError::NotCodebook {
                found: "<Project> in namespace urn:QDA-XML:project:1.0".into()
            }
        );
        let no_ns = r#"<CodeBook origin="x"><Codes><Code guid="1" name="a" isCodable="true"/></Codes></CodeBook>"#;
        assert_eq!(
            read_qdc(no_ns),
            Err(QdcError::NotCodebook {
                found: "<CodeBook> without the REFI-QDA namespace".into()
            })
        );
        let other_ns = r#"<CodeBook xmlns="urn:example"><Codes/></CodeBook>"#;
        assert!(matches!(
            read_qdc(other_ns),
            Err(QdcError::NotCodebook { .. })
        ));
        assert!(
            err.to_string()
                .starts_with("not a REFI-QDA codebook: the root element is <Project>")
        );
    }

    #[test]
    fn a_code_without_a_name_is_refused() {
        let xml = "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n  <Code guid=\"1\" isCodable=\"true\"/>\n</Codes></CodeBook>";
        assert_eq!(
            read_qdc(xml),
            Err(QdcError::CodeWithoutName { line: 3, column: 3 })
        );
        let blank = "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"1\" name=\"  \"><Description>d</Description></Code></Codes></CodeBook>";
        assert!(matches!(
            read_qdc(blank),
            Err(QdcError::CodeWithoutName { line: 1, .. })
        ));
        assert_eq!(
            read_qdc(xml).unwrap_err().to_string(),
            "a <Code> at line 3, column 3 has no name"
        );
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        // Not XML at all: if it were parsed, the error would be NotXml.
        let huge = "x".repeat(MAX_QDC_BYTES + 1);
        assert_eq!(
            read_qdc(&huge),
            Err(QdcError::TooLarge {
                size: MAX_QDC_BYTES + 1
            })
        );
        assert!(
            read_qdc(&huge)
                .unwrap_err()
                .to_string()
                .contains("too large")
        );
    }

    fn nested(depth: usize, self_closing_leaf: bool) -> String {
        let mut xml = String::from("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>");
        for i in 0..depth - 1 {
            xml.push_str(&format!(
                "<Code guid=\"{i}\" name=\"c{i}\" isCodable=\"true\">"
            ));
        }
        if self_closing_leaf {
            xml.push_str("<Code guid=\"leaf\" name=\"leaf\" isCodable=\"true\"/>");
        } else {
            xml.push_str("<Code guid=\"leaf\" name=\"leaf\" isCodable=\"true\"></Code>");
        }
        for _ in 0..depth - 1 {
            xml.push_str("</Code>");
        }
        xml.push_str("</Codes></CodeBook>");
        xml
    }

    #[test]
    fn nesting_is_limited_to_64() {
        for leaf in [true, false] {
            let ok = read_qdc(&nested(MAX_CODE_DEPTH, leaf)).unwrap();
            let mut depth = 0;
            let mut level = &ok;
            while let Some(c) = level.first() {
                depth += 1;
                level = &c.children;
            }
            assert_eq!(depth, MAX_CODE_DEPTH);
            assert!(matches!(
                read_qdc(&nested(MAX_CODE_DEPTH + 1, leaf)),
                Err(QdcError::TooDeep { line: 1, .. })
            ));
        }
        // Very deep input is refused quickly, without exhausting the stack.
        assert!(matches!(
            read_qdc(&nested(100_000, true)),
            Err(QdcError::TooDeep { .. })
        ));
    }
}
