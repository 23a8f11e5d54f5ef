//! PDF files with a text layer, through `pdf_oxide` (pure Rust; it carries the Adobe-GB1
//! tables, so CID fonts with predefined CMaps such as UniGB-UCS2-H and GBK-EUC-H and fonts
//! without a ToUnicode map read correctly). The lines it finds are laid out into paragraphs by
//! [`super::layout`]. Scanned PDFs (no text) and password-protected ones are refused.

use std::collections::HashMap;
use std::io::Read;

use pdf_oxide::PdfDocument;
use pdf_oxide::object::{Object, ObjectRef};

use super::layout::{self, Page, Piece};
use super::limits::{self, Limits};

/// The stack of the thread the PDF parser runs on: far more than it needs for files nested
/// [`super::pdf_nesting::MAX_NESTING`] deep (only the part used is ever allocated).
const PARSER_STACK: usize = 64 << 20;

/// Whether the bytes are a PDF file (`%PDF-` within the first KiB, as readers accept).
pub(crate) fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// The text of a PDF, laid out into paragraphs (or, when `keep_lines`, the page's lines).
/// Refuses, with a plain-words reason, a damaged, password-protected or scanned PDF and one
/// over `limits`: a page whose content streams inflate to more than the page limit, all pages'
/// content together over the content limit (measured before the page is read, a shared
/// stream counted for each page), more text or words than allowed. A panic inside the PDF
/// parser on a damaged file is caught and reported as damage.
pub(crate) fn extract_text(
    bytes: &[u8],
    keep_lines: bool,
    limits: &Limits,
) -> Result<String, String> {
    // The parser recurses per nesting level: too deep a file is refused before it starts
    // (a stack overflow cannot be caught), and it runs on a thread whose stack is known to
    // hold what the check lets through, whichever thread imports.
    super::pdf_nesting::check(bytes)?;
    let owned = bytes.to_vec();
    let limits = *limits;
    let run = std::thread::Builder::new()
        .name("pdf reader".into())
        .stack_size(PARSER_STACK)
        .spawn(move || std::panic::catch_unwind(move || read_pages(owned, &limits)))
        .map_err(|e| format!("the PDF reader could not be started ({e})"))?
        .join();
    let pages = match run {
        Ok(Ok(r)) => r?,
        _ => return Err("the PDF is damaged (its structure could not be read)".into()),
    };
    if pages.iter().all(|p| p.pieces.is_empty()) {
        return Err(if pages.is_empty() {
            "the PDF has no pages".into()
        } else {
            "it has no text layer (a scanned PDF, only images of the pages); Yinwen does not read text from images (no OCR) — use the text version of the document or an OCR tool first".into()
        });
    }
    Ok(layout::paragraphs(&pages, keep_lines))
}

/// The pages of the PDF as positioned lines.
fn read_pages(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<Page>, String> {
    let doc = PdfDocument::from_bytes(bytes).map_err(|e| format!("the PDF is damaged ({e})"))?;
    if doc.is_encrypted() {
        // Many official PDFs are encrypted only to restrict printing or copying: they open with
        // the empty password and their text can be read.
        match doc.authenticate(b"") {
            Ok(true) => {}
            _ => {
                return Err(
                    "it is password-protected; open it in a PDF reader with the password and save a copy without one".into(),
                );
            }
        }
    }
    let count = doc
        .page_count()
        .map_err(|e| format!("the PDF is damaged ({e})"))?;
    let mut pages = Vec::with_capacity(count.min(100_000));
    let mut text = 0u64;
    let mut words = 0usize;
    let mut meter = ContentMeter::default();
    for i in 0..count {
        meter.page(&doc, i, limits)?;
        let (x0, y0, x1, y1) = doc
            .get_page_media_box(i)
            .unwrap_or((0.0, 0.0, 595.0, 842.0));
        let lines = doc
            .extract_text_lines(i)
            .map_err(|e| format!("page {} cannot be read ({e})", i + 1))?;
        let height = (y1 - y0).abs().max(1.0);
        let top_y = y0.max(y1);
        let pieces: Vec<Piece> = lines
            .iter()
            .flat_map(|l| l.words.iter())
            .map(|w| Piece {
                x0: w.bbox.x,
                x1: w.bbox.x + w.bbox.width,
                // PDF's y axis points up; the box's y is its lower edge.
                top: top_y - (w.bbox.y + w.bbox.height),
                size: w.bbox.height,
                text: w.text.clone(),
            })
            .collect();
        text += pieces.iter().map(|p| p.text.len() as u64).sum::<u64>();
        words += pieces.len();
        if text > limits.text_bytes {
            return Err(format!(
                "its text is larger than {}, the limit",
                limits::mb(limits.text_bytes)
            ));
        }
        if words > limits.pieces {
            return Err(format!(
                "it has more than {} words placed on its pages, the limit",
                limits.pieces
            ));
        }
        pages.push(Page {
            width: (x1 - x0).abs(),
            height,
            pieces,
        });
    }
    Ok(pages)
}

/// What a page's content costs to read: its content streams inflated, how many strings they
/// show (each `(…)` or `<…>` operand) and how many bytes of text those strings hold. The PDF
/// reader's time and memory grow with the strings and their text, not only with the bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cost {
    bytes: u64,
    strings: u64,
    shown: u64,
}

impl std::ops::AddAssign for Cost {
    fn add_assign(&mut self, o: Cost) {
        self.bytes += o.bytes;
        self.strings += o.strings;
        self.shown += o.shown;
    }
}

impl Cost {
    /// Which limit of one page (`per_page`) or of the whole document this cost is over.
    fn over(&self, limits: &Limits, per_page: bool) -> Option<String> {
        let (bytes, strings, shown) = if per_page {
            (
                limits.page_content_bytes,
                limits.page_strings,
                limits.page_shown_bytes,
            )
        } else {
            (limits.content_bytes, limits.strings, limits.shown_bytes)
        };
        if self.bytes > bytes {
            Some(format!(
                "its content is larger than {} when unpacked",
                limits::mb(bytes)
            ))
        } else if self.strings > strings {
            Some(format!("it draws more than {strings} strings of text"))
        } else if self.shown > shown {
            Some(format!(
                "the strings it draws hold more than {} of text",
                limits::mb(shown)
            ))
        } else {
            None
        }
    }
}

/// Counts the strings of a content stream and the bytes in them as it goes by.
#[derive(Default)]
struct Scanner {
    cost: Cost,
    /// Nesting of the literal string being read (0 outside one).
    depth: u32,
    escaped: bool,
    in_hex: bool,
    /// A `<` was just seen: a hex string unless the next byte makes it `<<`.
    after_lt: bool,
    /// An odd number of hex digits has been read.
    half_byte: bool,
}

impl Scanner {
    fn feed(&mut self, chunk: &[u8]) {
        self.cost.bytes += chunk.len() as u64;
        for &b in chunk {
            if self.depth > 0 {
                self.cost.shown += 1;
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'(' {
                    self.depth += 1;
                } else if b == b')' {
                    self.depth -= 1;
                }
                continue;
            }
            if self.after_lt {
                self.after_lt = false;
                if b == b'<' {
                    continue;
                }
                self.in_hex = true;
                self.cost.strings += 1;
            }
            if self.in_hex {
                if b == b'>' {
                    self.in_hex = false;
                } else if b.is_ascii_hexdigit() {
                    // Two hex digits a byte.
                    self.half_byte = !self.half_byte;
                    self.cost.shown += u64::from(self.half_byte);
                }
                continue;
            }
            match b {
                b'(' => {
                    self.depth = 1;
                    self.cost.strings += 1;
                }
                b'<' => self.after_lt = true,
                _ => {}
            }
        }
    }
}

/// Measures the content of each page before it is read: each content stream is inflated once
/// (scanned as it goes by, never kept) and its cost counted for every page that draws it.
#[derive(Default)]
struct ContentMeter {
    /// The cost of the streams measured so far.
    costs: HashMap<ObjectRef, Cost>,
    /// The cost of the pages measured so far.
    total: Cost,
}

impl ContentMeter {
    /// Adds page `i`'s content, refusing the page or the document when over `limits`.
    fn page(&mut self, doc: &PdfDocument, i: usize, limits: &Limits) -> Result<(), String> {
        let cap = limits.page_content_bytes;
        let cost = if doc.is_encrypted() {
            // Encrypted streams cannot be inflated from their raw bytes: the reader's own
            // decoding (itself capped at 256 MB a stream) is scanned instead.
            let mut scan = Scanner::default();
            if let Ok(d) = doc.get_page_content_data(i) {
                scan.feed(&d);
            }
            scan.cost
        } else {
            self.unencrypted_page(doc, i, cap)
        };
        if let Some(why) = cost.over(limits, true) {
            return Err(format!(
                "page {} is too large: {why}, the limit for one page",
                i + 1
            ));
        }
        self.total += cost;
        if let Some(why) = self.total.over(limits, false) {
            return Err(format!(
                "it is too large: with page {}, {why}, the limit for a document (a stream drawn on several pages counts for each)",
                i + 1
            ));
        }
        Ok(())
    }

    /// The cost of page `i`'s content streams, reading at most `cap + 1` bytes of them.
    fn unencrypted_page(&mut self, doc: &PdfDocument, i: usize, cap: u64) -> Cost {
        let Ok(page) = doc.get_page(i) else {
            return Cost::default();
        };
        let Some(contents) = page.as_dict().and_then(|d| d.get("Contents")) else {
            return Cost::default();
        };
        let items: Vec<Object> = match contents {
            Object::Reference(r) => match doc.load_object(*r) {
                Ok(Object::Array(a)) => a,
                Ok(_) => vec![Object::Reference(*r)],
                Err(_) => return Cost::default(),
            },
            Object::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        let mut cost = Cost::default();
        for item in items {
            cost += match item {
                Object::Reference(r) => match self.costs.get(&r) {
                    Some(&c) => c,
                    None => {
                        let c = doc
                            .load_object(r)
                            .map_or(Cost::default(), |o| stream_cost(&o, cap + 1));
                        self.costs.insert(r, c);
                        c
                    }
                },
                direct => stream_cost(&direct, cap + 1),
            };
            if cost.bytes > cap {
                break;
            }
        }
        cost
    }
}

/// The cost of a stream object, reading at most `cap` bytes of it (inflating into a small
/// buffer, never holding the output); nothing for anything that is not a stream.
fn stream_cost(obj: &Object, cap: u64) -> Cost {
    let Object::Stream { dict, data } = obj else {
        return Cost::default();
    };
    let filters: Vec<&str> = match dict.get("Filter") {
        None => Vec::new(),
        Some(Object::Name(n)) => vec![n.as_str()],
        Some(Object::Array(a)) => a.iter().filter_map(Object::as_name).collect(),
        Some(_) => vec!["?"],
    };
    match filters.as_slice() {
        [] => scan_read(&data[..], cap),
        ["FlateDecode" | "Fl"] => {
            let zlib = scan_read(flate2::read::ZlibDecoder::new(&data[..]), cap);
            if zlib.bytes > 0 {
                zlib
            } else {
                // Some writers leave out the zlib header; the reader accepts raw deflate too.
                scan_read(flate2::read::DeflateDecoder::new(&data[..]), cap)
            }
        }
        // Other filters (rare in content streams): decoded by the reader, whose decoders have
        // limits of their own.
        _ => {
            let d = obj.decode_stream_data().unwrap_or_default();
            scan_read(&d[..], cap)
        }
    }
}

/// The cost of what `r` yields, reading at most `cap` bytes (stops at the first error).
fn scan_read(r: impl Read, cap: u64) -> Cost {
    let mut r = r.take(cap);
    let mut buf = vec![0u8; 64 * 1024];
    let mut scan = Scanner::default();
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => return scan.cost,
            Ok(k) => scan.feed(&buf[..k]),
        }
    }
}

/// The generators of hostile files, shared with the tests through the binary.
#[cfg(test)]
#[path = "../../tests/bombs/gen.rs"]
pub(crate) mod bomb_gen;

#[cfg(test)]
mod tests {
    use super::bomb_gen as generate;
    use super::*;

    fn small(page_content_bytes: u64, content_bytes: u64) -> Limits {
        Limits {
            page_content_bytes,
            content_bytes,
            ..Limits::default()
        }
    }

    #[test]
    fn content_is_measured_per_page_before_the_page_is_read() {
        let ok = generate::pdf(1, &[generate::blank_content(100)], false);
        assert_eq!(
            extract_text(&ok, true, &small(1000, 10_000)).unwrap(),
            "Hello"
        );
        // A page over the page limit is too large, not "scanned".
        let big = generate::pdf(1, &[generate::blank_content(5000)], false);
        let err = extract_text(&big, true, &small(1000, 10_000)).unwrap_err();
        assert_eq!(
            err,
            "page 1 is too large: its content is larger than 1000 bytes when unpacked, the limit for one page"
        );
        // One stream drawn by many pages counts for each: 20 × 600 bytes.
        let shared = generate::pdf(20, &[generate::blank_content(600)], true);
        let err = extract_text(&shared, true, &small(1000, 10_000)).unwrap_err();
        assert!(
            err.starts_with(
                "it is too large: with page 16, its content is larger than 10000 bytes when unpacked, the limit for a document"
            ),
            "{err}"
        );
        // Text over the text limit stops at the page that crosses it.
        let text = generate::pdf(3, &[generate::text_content("Hello", 100)], false);
        let limits = Limits {
            text_bytes: 500,
            ..Limits::default()
        };
        let err = extract_text(&text, true, &limits).unwrap_err();
        assert_eq!(err, "its text is larger than 500 bytes, the limit");
    }

    #[test]
    fn streams_are_read_up_to_the_cap() {
        let data = generate::blank_content(1 << 20);
        let mut dict = HashMap::new();
        dict.insert("Filter".to_owned(), Object::Name("FlateDecode".into()));
        let stream = Object::Stream {
            dict,
            data: data.into(),
        };
        assert_eq!(stream_cost(&stream, 4096).bytes, 4096);
        let all = stream_cost(&stream, 2 << 20);
        assert!(all.bytes > 1 << 20);
        // `(Hello)`: one string of five bytes and its closing parenthesis.
        assert_eq!((all.strings, all.shown), (1, 6));
        assert_eq!(stream_cost(&Object::Null, 10), Cost::default());
    }

    #[test]
    fn strings_and_their_text_are_counted() {
        let mut s = Scanner::default();
        s.feed(br"BT (a\)b(c)) Tj [<4F60 597D> 120 (x)] TJ << /MCID 0 >> BDC ET");
        assert_eq!(s.cost.strings, 3);
        // `a\)b(c))` (an escaped and a nested parenthesis, and the closing one) is 8 bytes,
        // 4F60597D 4 bytes, `x)` 2.
        assert_eq!(s.cost.shown, 8 + 4 + 2);
    }
}
