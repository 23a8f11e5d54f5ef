//! How deeply a PDF nests arrays and dictionaries, measured before `pdf_oxide` parses it.
//! Its object parser recurses once per `[` or `<<` (and dropping what it built recurses
//! again), with no limit: a 10 KB file of 5,000 `[` overflows a worker's stack, which aborts
//! the whole program — a stack overflow cannot be caught. So the bytes are scanned first,
//! without recursion: the file's own syntax, and the decompressed data of the streams the
//! parser reads as PDF syntax (object streams, page contents, forms); a file nesting deeper
//! than [`MAX_NESTING`] is refused.
//!
//! The scan skips comments, strings (`(…)` with escapes and balanced parentheses, `<…>` hex)
//! and the binary data of images and fonts; an unterminated string is not taken as one (so
//! it cannot hide what follows). Decompression is bounded ([`MAX_INFLATED`] per stream and
//! in all); what lies beyond the bound is not scanned (the readers refuse such bombs anyway).

use std::io::Read;

/// The deepest nesting of arrays and dictionaries a PDF may have. Real files stay below 20
/// (a page tree is made of references, not nesting).
pub(crate) const MAX_NESTING: usize = 256;

/// Bytes inflated from one stream for the scan, at most.
const MAX_INFLATED: usize = 64 << 20;
/// Bytes inflated from all the streams of a file for the scan, at most.
const MAX_INFLATED_TOTAL: usize = 256 << 20;

/// Refuses, with a plain-words reason, a PDF that nests arrays or dictionaries deeper than
/// [`MAX_NESTING`] anywhere the parser would read.
pub(crate) fn check(bytes: &[u8]) -> Result<(), String> {
    let mut budget = MAX_INFLATED_TOTAL;
    let depth = scan(bytes, Mode::File, &mut budget);
    if depth > MAX_NESTING {
        return Err(format!(
            "it nests arrays or dictionaries more than {MAX_NESTING} deep (the file is damaged or made to crash readers)"
        ));
    }
    Ok(())
}

/// What is being scanned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The file itself: objects and their streams.
    File,
    /// A content stream (operators; inline images between `ID` and `EI`).
    Content,
    /// An object stream's objects.
    Objects,
}

/// Whether a byte ends a token.
fn is_delimiter_or_space(b: u8) -> bool {
    matches!(
        b,
        b'\0'
            | b'\t'
            | b'\n'
            | b'\x0c'
            | b'\r'
            | b' '
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

/// The deepest nesting in `bytes` (stopping as soon as it passes [`MAX_NESTING`]).
fn scan(bytes: &[u8], mode: Mode, budget: &mut usize) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    // The last top-level dictionary: where it starts and ends (a stream's dictionary).
    let (mut dict_start, mut dict_end) = (None::<usize>, None::<usize>);
    let mut i = 0;
    let mut strings = true;
    let n = bytes.len();
    while i < n {
        if max > MAX_NESTING {
            return max;
        }
        match bytes[i] {
            b'%' => {
                while i < n && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' if strings => match literal_string_end(bytes, i) {
                Some(end) => i = end,
                None => {
                    // Unterminated: it hides nothing, and no later `(` is searched again to
                    // the end (which would take quadratic time).
                    strings = false;
                    i += 1;
                }
            },
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                if depth == 0 {
                    dict_start = Some(i);
                    dict_end = None;
                }
                depth += 1;
                max = max.max(depth);
                i += 2;
            }
            b'<' => {
                let hex = bytes[i + 1..]
                    .iter()
                    .take_while(|b| is_hex_or_space(b))
                    .count();
                i += 1;
                if bytes.get(i + hex) == Some(&b'>') {
                    i += hex + 1;
                }
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    dict_end = Some(i + 2);
                }
                i += 2;
            }
            b'[' => {
                depth += 1;
                max = max.max(depth);
                i += 1;
            }
            b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b if is_delimiter_or_space(b) => i += 1,
            _ => {
                let start = i;
                while i < n && !is_delimiter_or_space(bytes[i]) {
                    i += 1;
                }
                let token = &bytes[start..i];
                match (mode, token) {
                    (Mode::File, b"endobj") => depth = 0,
                    (Mode::File, b"stream") => {
                        let dict = match (dict_start, dict_end) {
                            (Some(a), Some(b)) if b <= start => &bytes[a..b],
                            _ => &[][..],
                        };
                        let (data, end) = stream_data(bytes, i, dict);
                        if let Some(inner) = scanned_as(dict) {
                            max = max.max(scan_stream(data, dict, inner, budget));
                        }
                        i = end;
                        depth = 0;
                        dict_start = None;
                        dict_end = None;
                    }
                    (Mode::Content, b"ID") => i = inline_image_end(bytes, i),
                    _ => {}
                }
            }
        }
    }
    max
}

fn is_hex_or_space(b: &u8) -> bool {
    b.is_ascii_hexdigit() || b.is_ascii_whitespace() || *b == 0
}

/// Just past the `)` closing the literal string opened at `open`, or `None` when it is
/// never closed.
fn literal_string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut level = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Just past an inline image's data: the `EI` after `ID`, between spaces.
fn inline_image_end(bytes: &[u8], id_end: usize) -> usize {
    let mut i = id_end + 1;
    while i + 2 <= bytes.len() {
        if &bytes[i..i + 2] == b"EI"
            && bytes[i - 1].is_ascii_whitespace()
            && bytes.get(i + 2).is_none_or(|&b| is_delimiter_or_space(b))
        {
            return i + 2;
        }
        i += 1;
    }
    bytes.len()
}

/// A stream's data after the `stream` keyword ending at `kw_end`, and where scanning goes on:
/// `/Length` bytes when the dictionary gives it directly, else up to `endstream`.
fn stream_data<'a>(bytes: &'a [u8], kw_end: usize, dict: &[u8]) -> (&'a [u8], usize) {
    let mut start = kw_end;
    if bytes.get(start) == Some(&b'\r') {
        start += 1;
    }
    if bytes.get(start) == Some(&b'\n') {
        start += 1;
    }
    let start = start.min(bytes.len());
    if let Some(len) = direct_length(dict)
        && let Some(end) = start.checked_add(len).filter(|&e| e <= bytes.len())
    {
        return (&bytes[start..end], end);
    }
    let end = bytes[start..]
        .windows(9)
        .position(|w| w == b"endstream")
        .map_or(bytes.len(), |k| start + k);
    (&bytes[start..end], end)
}

/// `/Length N` in a dictionary, when N is a number and not a reference (`N 0 R`).
fn direct_length(dict: &[u8]) -> Option<usize> {
    let k = find(dict, b"/Length")?;
    let rest = &dict[k + 7..];
    if rest.first().is_some_and(u8::is_ascii_digit) {
        return None; // /Length1 and the like
    }
    let rest = rest.trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = rest[digits..].trim_ascii_start();
    // `12 0 R` is a reference.
    if after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Whether `dict` holds `/Key` followed by the name `/Value`.
fn has_name(dict: &[u8], key: &[u8], value: &[u8]) -> bool {
    let mut from = 0;
    while let Some(k) = find(&dict[from..], key) {
        let at = from + k + key.len();
        let rest = dict[at..].trim_ascii_start();
        if rest.starts_with(value)
            && rest
                .get(value.len())
                .is_none_or(|&b| is_delimiter_or_space(b))
        {
            return true;
        }
        from = at;
    }
    false
}

/// Whether `dict` has the key `/Key` (not a longer name starting with it).
fn has_key(dict: &[u8], key: &[u8]) -> bool {
    let mut from = 0;
    while let Some(k) = find(&dict[from..], key) {
        let at = from + k + key.len();
        if dict.get(at).is_none_or(|&b| is_delimiter_or_space(b)) {
            return true;
        }
        from = at;
    }
    false
}

/// How a stream's data is read by the parser: objects (an object stream), content (page
/// contents, forms, Type 3 glyphs), or not as PDF syntax at all (images, fonts, colour
/// profiles, metadata, cross-reference streams).
fn scanned_as(dict: &[u8]) -> Option<Mode> {
    if has_name(dict, b"/Type", b"/ObjStm") {
        return Some(Mode::Objects);
    }
    if has_name(dict, b"/Subtype", b"/Form") {
        return Some(Mode::Content);
    }
    let binary = [
        &b"/Type"[..],
        b"/Subtype",
        b"/N",
        b"/Length1",
        b"/Length2",
        b"/Length3",
        b"/Width",
        b"/BitsPerComponent",
        b"/FunctionType",
        b"/ShadingType",
        b"/PatternType",
    ];
    (!binary.iter().any(|k| has_key(dict, k))).then_some(Mode::Content)
}

/// The nesting inside a stream's data: decompressed when its one filter is FlateDecode
/// (without a predictor), read as is without a filter, skipped with any other filter.
fn scan_stream(data: &[u8], dict: &[u8], mode: Mode, budget: &mut usize) -> usize {
    let filtered = has_key(dict, b"/Filter");
    if !filtered {
        return scan(data, mode, budget);
    }
    let flate = has_name(dict, b"/Filter", b"/FlateDecode")
        || find(dict, b"/Filter").is_some_and(|k| {
            dict[k + 7..]
                .trim_ascii_start()
                .starts_with(b"[/FlateDecode]")
        });
    if !flate || has_key(dict, b"/Predictor") || *budget == 0 {
        return 0;
    }
    let cap = MAX_INFLATED.min(*budget);
    let mut out = inflate(flate2::read::ZlibDecoder::new(data), cap);
    if out.is_empty() {
        out = inflate(flate2::read::DeflateDecoder::new(data), cap);
    }
    *budget -= out.len();
    scan(&out, mode, budget)
}

/// What a decoder gives, up to `cap` bytes; what it gave before an error is kept.
fn inflate(reader: impl Read, cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut r = reader.take(cap as u64);
    let mut buf = [0u8; 16 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(k) => out.extend_from_slice(&buf[..k]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn depth(bytes: &[u8]) -> usize {
        scan(bytes, Mode::File, &mut MAX_INFLATED_TOTAL.clone())
    }

    #[test]
    fn nesting_is_counted_outside_strings_and_comments() {
        assert_eq!(depth(b"1 0 obj << /A [ [ 1 ] << /B 2 >> ] >> endobj"), 3);
        assert_eq!(depth(b"1 0 obj (( [[[[ ) \\( [[ ) [ endobj"), 1);
        assert_eq!(depth(b"% [[[[[[\n<ABCDEF> [ ]"), 1);
        // An unterminated string hides nothing.
        assert_eq!(depth(b"1 0 obj ( [[[[["), 5);
        // Each object counts on its own.
        assert_eq!(depth(b"1 0 obj [[[ endobj 2 0 obj [[ endobj"), 3);
    }

    #[test]
    fn streams_are_scanned_when_the_parser_reads_them() {
        let deep = "[".repeat(1000);
        let content = format!("BT {deep} TJ ET");
        for (dict, data, expect_deep) in [
            (String::new(), content.clone().into_bytes(), true),
            (
                " /Filter /FlateDecode".to_string(),
                zlib(content.as_bytes()),
                true,
            ),
            (
                " /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode]".to_string(),
                zlib(format!("1 0 {deep}").as_bytes()),
                true,
            ),
            (
                " /Subtype /Image /Width 9".to_string(),
                content.clone().into_bytes(),
                false,
            ),
            (
                " /Filter /DCTDecode".to_string(),
                content.clone().into_bytes(),
                false,
            ),
        ] {
            let mut pdf = format!(
                "%PDF-1.7\n4 0 obj\n<< /Length {}{dict} >>\nstream\n",
                data.len()
            )
            .into_bytes();
            pdf.extend(&data);
            pdf.extend(b"\nendstream\nendobj\n");
            assert_eq!(depth(&pdf) > MAX_NESTING, expect_deep, "{dict}");
            assert_eq!(check(&pdf).is_err(), expect_deep, "{dict}");
        }
        // Inline images are skipped in content.
        let mut budget = MAX_INFLATED_TOTAL;
        assert_eq!(
            scan(b"BI /W 2 ID [[[[ EI [ ]", Mode::Content, &mut budget),
            1
        );
    }

    #[test]
    fn lengths() {
        assert_eq!(direct_length(b"<< /Length 12 >>"), Some(12));
        assert_eq!(direct_length(b"<< /Length 12 0 R >>"), None);
        assert_eq!(direct_length(b"<< /Length1 12 >>"), None);
    }
}
