//! PDF files with a text layer, through `pdf_oxide` (pure Rust; it carries the Adobe-GB1
//! tables, so CID fonts with predefined CMaps such as UniGB-UCS2-H and GBK-EUC-H and fonts
//! without a ToUnicode map read correctly). The lines it finds are laid out into paragraphs by
//! [`super::layout`]. Scanned PDFs (no text) and password-protected ones are refused.

use super::layout::{self, Page, Piece};

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
/// whose text is longer than `max_chars`. A panic inside the PDF parser on a damaged file is
/// caught and reported as damage.
pub(crate) fn extract_text(
    bytes: &[u8],
    keep_lines: bool,
    max_chars: usize,
) -> Result<String, String> {
    // The parser recurses per nesting level: too deep a file is refused before it starts
    // (a stack overflow cannot be caught), and it runs on a thread whose stack is known to
    // hold what the check lets through, whichever thread imports.
    super::pdf_nesting::check(bytes)?;
    let owned = bytes.to_vec();
    let run = std::thread::Builder::new()
        .name("pdf reader".into())
        .stack_size(PARSER_STACK)
        .spawn(move || std::panic::catch_unwind(move || read_pages(owned, max_chars)))
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
fn read_pages(bytes: Vec<u8>, max_chars: usize) -> Result<Vec<Page>, String> {
    let doc = pdf_oxide::PdfDocument::from_bytes(bytes)
        .map_err(|e| format!("the PDF is damaged ({e})"))?;
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
    let mut pages = Vec::with_capacity(count);
    let mut chars = 0usize;
    for i in 0..count {
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
        chars += pieces.iter().map(|p| p.text.chars().count()).sum::<usize>();
        if chars > max_chars {
            return Err(format!(
                "its text is larger than {} MB",
                max_chars / (1024 * 1024)
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
