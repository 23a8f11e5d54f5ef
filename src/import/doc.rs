//! Word 97–2003 documents (`.doc`, and WPS `.wps` files saved in the same binary format):
//! the main text through the piece table ([MS-DOC] 2.8.35 Clx) of the `WordDocument` stream,
//! read with the `cfb` compound-file reader. Both kinds of pieces are read: 8-bit
//! "compressed" ones (Windows-1252) and UTF-16LE ones. Field codes are dropped and their
//! results kept; table cells become tabs and rows lines.

use std::io::{Cursor, Read};

/// The magic number of a compound file (OLE2).
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether the bytes are a compound file (Word 97–2003, Excel 97–2003, old WPS, …).
pub(crate) fn looks_like_cfb(bytes: &[u8]) -> bool {
    bytes.starts_with(CFB_MAGIC)
}

/// Reads one stream of the compound file, at most `limit` bytes.
fn stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, String> {
    let s = file
        .open_stream(name)
        .map_err(|e| format!("its {name} stream cannot be read ({e})"))?;
    let mut out = Vec::new();
    s.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("its {name} stream cannot be read ({e})"))?;
    if out.len() as u64 > limit {
        return Err(format!("its {name} stream is too large"));
    }
    Ok(out)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The text of a Word 97–2003 binary document. `limit` caps each stream and the text.
pub(crate) fn extract_text(bytes: &[u8], limit: u64) -> Result<String, String> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| format!("the file is damaged ({e})"))?;
    if !file.is_stream("WordDocument") {
        let what = if file.is_stream("Workbook") || file.is_stream("Book") {
            "an Excel 97–2003 workbook, not a document; save the text as .docx or .txt"
        } else if file.is_stream("PowerPoint Document") {
            "a PowerPoint 97–2003 presentation, not a document; save the text as .docx or .txt"
        } else if file.is_stream("Contents") || file.is_stream("CONTENTS") {
            "a WPS or Works file in another format than Word's; save it as .docx in WPS"
        } else {
            "an Office 97–2003 file with no Word text in it; save it as .docx"
        };
        return Err(what.into());
    }
    let word = stream(&mut file, "WordDocument", limit)?;
    let fib = Fib::read(&word)?;
    if fib.encrypted {
        return Err(
            "it is password-protected; open it in Word or WPS with the password and save a copy without one as .docx".into(),
        );
    }
    let table_name = if fib.table1 { "1Table" } else { "0Table" };
    let table = stream(&mut file, table_name, limit)?;
    let clx = table
        .get(fib.fc_clx as usize..(fib.fc_clx as usize).saturating_add(fib.lcb_clx as usize))
        .ok_or("its piece table lies outside the table stream (the file is damaged)")?;
    let pieces = piece_table(clx)?;
    let mut raw = String::new();
    let mut cp_done = 0u32;
    for p in &pieces {
        if cp_done >= fib.ccp_text {
            break;
        }
        let n = (p.cp_end - p.cp_start).min(fib.ccp_text - cp_done) as usize;
        cp_done += n as u32;
        if p.compressed {
            let start = p.fc as usize;
            let b = word
                .get(start..start + n)
                .ok_or("a piece of text lies outside the document stream (the file is damaged)")?;
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(b);
            raw.push_str(&s);
        } else {
            let start = p.fc as usize;
            let b = word
                .get(start..start + 2 * n)
                .ok_or("a piece of text lies outside the document stream (the file is damaged)")?;
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            raw.push_str(&String::from_utf16_lossy(&units));
        }
        if raw.len() as u64 > limit {
            return Err(format!(
                "its text is larger than {} MB",
                limit / (1024 * 1024)
            ));
        }
    }
    Ok(clean(&raw))
}

/// What the File Information Block tells us.
struct Fib {
    encrypted: bool,
    table1: bool,
    ccp_text: u32,
    fc_clx: u32,
    lcb_clx: u32,
}

impl Fib {
    /// Reads the FIB at the start of the WordDocument stream ([MS-DOC] 2.5.1).
    fn read(word: &[u8]) -> Result<Fib, String> {
        let damaged = || "its Word header is damaged".to_owned();
        let ident = u16_at(word, 0).ok_or_else(damaged)?;
        if ident != 0xA5EC {
            return Err(
                "it is in an older Word format (Word 6 or 95, or a WPS file in its own format); save it as .docx in Word or WPS".into(),
            );
        }
        let nfib = u16_at(word, 2).ok_or_else(damaged)?;
        if nfib < 0x00C1 && nfib != 0x0065 && nfib != 0x0068 {
            // 0x00C1 is Word 97; older numbers are Word 6/95, whose text is stored otherwise.
            return Err(
                "it is in an older Word format (Word 6 or 95); save it as .docx in Word or WPS"
                    .into(),
            );
        }
        let flags = u16_at(word, 0x0A).ok_or_else(damaged)?;
        let encrypted = flags & 0x0100 != 0;
        let table1 = flags & 0x0200 != 0;
        // FibBase is 32 bytes; then csw and FibRgW97, cslw and FibRgLw97, cbRgFcLcb and the blob.
        let csw = u16_at(word, 32).ok_or_else(damaged)? as usize;
        let lw_at = 34 + csw * 2;
        let cslw = u16_at(word, lw_at).ok_or_else(damaged)? as usize;
        let rglw = lw_at + 2;
        let ccp_text = u32_at(word, rglw + 3 * 4).ok_or_else(damaged)?;
        let fc_at = rglw + cslw * 4;
        let cb_rg_fc_lcb = u16_at(word, fc_at).ok_or_else(damaged)? as usize;
        if cb_rg_fc_lcb <= 33 {
            return Err(damaged());
        }
        let blob = fc_at + 2;
        // fcClx is the 34th pair (index 33) of FibRgFcLcb97.
        let fc_clx = u32_at(word, blob + 33 * 8).ok_or_else(damaged)?;
        let lcb_clx = u32_at(word, blob + 33 * 8 + 4).ok_or_else(damaged)?;
        Ok(Fib {
            encrypted,
            table1,
            ccp_text,
            fc_clx,
            lcb_clx,
        })
    }
}

/// A run of text in the WordDocument stream.
struct PieceRef {
    cp_start: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// Reads the piece table out of the Clx: skips the Prc records, then the PlcPcd.
fn piece_table(clx: &[u8]) -> Result<Vec<PieceRef>, String> {
    let damaged = || "its piece table is damaged".to_owned();
    let mut at = 0usize;
    while clx.get(at) == Some(&0x01) {
        let cb = u16_at(clx, at + 1).ok_or_else(damaged)? as usize;
        at += 3 + cb;
    }
    if clx.get(at) != Some(&0x02) {
        return Err(damaged());
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(damaged)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb).ok_or_else(damaged)?;
    // (n + 1) CPs of 4 bytes and n PCDs of 8 bytes.
    if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
        return Err(damaged());
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp_start = u32_at(plc, i * 4).ok_or_else(damaged)?;
        let cp_end = u32_at(plc, (i + 1) * 4).ok_or_else(damaged)?;
        let pcd = (n + 1) * 4 + i * 8;
        let fc_raw = u32_at(plc, pcd + 2).ok_or_else(damaged)?;
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        if cp_end < cp_start {
            return Err(damaged());
        }
        out.push(PieceRef {
            cp_start,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// Turns Word's special characters into text: paragraph marks and breaks into line breaks,
/// cell marks into tabs (the last one of a row ends the line), field codes dropped with their
/// results kept, objects and footnote marks dropped.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // For each open field: whether we are past its separator (in the result).
    let mut fields: Vec<bool> = Vec::new();
    for c in raw.chars() {
        match c {
            '\u{13}' => {
                fields.push(false);
                continue;
            }
            '\u{14}' => {
                if let Some(f) = fields.last_mut() {
                    *f = true;
                }
                continue;
            }
            '\u{15}' => {
                fields.pop();
                continue;
            }
            _ => {}
        }
        if fields.iter().any(|in_result| !in_result) {
            continue;
        }
        match c {
            '\r' | '\u{0B}' | '\u{0C}' | '\u{0E}' => out.push('\n'),
            '\u{07}' => out.push('\t'),
            '\u{1E}' => out.push('-'),
            '\u{1F}' | '\u{01}' | '\u{02}' | '\u{05}' | '\u{08}' => {}
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    // A table row ends with a cell mark right after the last cell's: "a\tb\t\t" → "a\tb\n".
    let mut lines: Vec<String> = Vec::new();
    for line in out.split('\n') {
        if line.contains('\t') && line.ends_with("\t\t") {
            let mut cells = line.to_owned();
            while cells.ends_with('\t') {
                cells.pop();
            }
            // Cells of a row are split on the row's double tab.
            for row in cells.split("\t\t") {
                lines.push(row.to_owned());
            }
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_result_and_tables_become_lines() {
        let raw = "前言\r\u{13} HYPERLINK \"x\" \u{14}链接文字\u{15}结束\r甲\u{07}乙\u{07}\u{07}丙\u{07}丁\u{07}\u{07}";
        assert_eq!(clean(raw), "前言\n链接文字结束\n甲\t乙\n丙\t丁");
    }

    #[test]
    fn damaged_and_foreign_files_are_refused() {
        assert!(extract_text(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage", 1 << 20).is_err());
        assert!(piece_table(&[0x02, 0xFF, 0xFF, 0xFF, 0x0F]).is_err());
    }
}
