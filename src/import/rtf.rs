//! RTF documents. Chinese RTF writes its text either as `\uN` escapes or as bytes in the
//! document's code page (`\'b9\'fa` is 国 in GBK, code page 936); the code page comes from
//! `\ansicpg` or from the charset of the current font (`\fcharset134` is GBK, 136 Big5).
//! Destinations that are not text (font and colour tables, styles, pictures, field
//! instructions, document information) are skipped; a field's result is kept.

use encoding_rs::Encoding;

/// Whether the bytes are an RTF document.
pub(crate) fn looks_like_rtf(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start.trim_ascii_start().starts_with(b"{\\rtf")
}

/// The encoding of a Windows code page; `None` for one we do not know.
fn code_page(cp: i32) -> Option<&'static Encoding> {
    Some(match cp {
        936 | 54936 | 10008 | 20936 => encoding_rs::GB18030,
        950 | 10002 => encoding_rs::BIG5,
        932 | 10001 => encoding_rs::SHIFT_JIS,
        949 | 10003 => encoding_rs::EUC_KR,
        65001 => encoding_rs::UTF_8,
        874 => encoding_rs::WINDOWS_874,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        // 0: not given.
        0 | 1252 | 20127 | 28591 => encoding_rs::WINDOWS_1252,
        10000 => encoding_rs::MACINTOSH,
        _ => return None,
    })
}

/// The encoding bytes in a code page we do not know are read in (GB18030): most of our
/// users' RTF files are Chinese. The text must decode in it without error, and the user is
/// told.
const UNKNOWN_CODE_PAGE_GUESS: &Encoding = encoding_rs::GB18030;

/// The code page of an RTF font charset (`\fcharsetN`); `None` for "the document's".
fn charset_code_page(charset: i32) -> Option<i32> {
    Some(match charset {
        134 => 936,
        136 => 950,
        128 => 932,
        129 => 949,
        222 => 874,
        238 => 1250,
        204 => 1251,
        161 => 1253,
        162 => 1254,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        163 => 1258,
        _ => return None,
    })
}

/// Destinations whose content is not the document's text.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "fldinst",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "mmathPr",
    "pgdsctbl",
    "filetbl",
    "revtbl",
    "header",
    "footer",
    "headerl",
    "headerr",
    "headerf",
    "footerl",
    "footerr",
    "footerf",
    "bkmkstart",
    "bkmkend",
    "nonshppict",
    "shppict",
    "template",
    "userprops",
    "wgrffmtfilter",
    "pnseclvl",
    "listtext",
    "author",
    "operator",
    "title",
    "subject",
    "keywords",
    "comment",
    "doccomm",
    "atnid",
    "atnauthor",
    "annotation",
    "xe",
    "tc",
    "ftnsep",
    "ftnsepc",
    "aftnsep",
];

/// The state a group carries.
#[derive(Debug, Clone)]
struct Group {
    skip: bool,
    uc: usize,
    font: i32,
    /// Inside the font table: the font being defined.
    in_fonttbl: bool,
}

/// The text of an RTF document, and a notice when its code page was unknown and guessed;
/// the error is a plain-words reason (also for text in an unknown code page that does not
/// read as the guess).
pub(crate) fn extract_text(bytes: &[u8], limit: u64) -> Result<(String, Option<String>), String> {
    let mut p = Parser {
        bytes,
        at: 0,
        out: String::new(),
        pending: Vec::new(),
        doc_cp: 1252,
        fonts: Default::default(),
        def_font: 0,
        skip_chars: 0,
        unknown_cp: None,
        guess_failed: false,
    };
    let mut stack: Vec<Group> = Vec::new();
    let mut g = Group {
        skip: false,
        uc: 1,
        font: 0,
        in_fonttbl: false,
    };
    let mut star = false;
    let mut font_being_defined: Option<i32> = None;
    let mut depth_seen = false;
    while p.at < bytes.len() {
        let b = bytes[p.at];
        match b {
            b'{' => {
                p.flush(&g);
                stack.push(g.clone());
                if stack.len() > 10_000 {
                    return Err("it nests groups too deeply".into());
                }
                depth_seen = true;
                p.at += 1;
            }
            b'}' => {
                p.flush(&g);
                g = stack
                    .pop()
                    .ok_or("its braces do not match (the file is damaged)")?;
                star = false;
                p.at += 1;
                if stack.is_empty() {
                    break;
                }
            }
            b'\\' => {
                p.at += 1;
                let Some(&c) = bytes.get(p.at) else { break };
                if c.is_ascii_alphabetic() {
                    let (word, param) = p.control_word();
                    if word == "ud" {
                        // The Unicode copy of a \upr pair: read it even inside the skipped pair.
                        star = false;
                        g.skip = false;
                        continue;
                    }
                    if star {
                        star = false;
                        if word != "ud" {
                            g.skip = true;
                        }
                    }
                    if g.skip && !g.in_fonttbl {
                        continue;
                    }
                    p.word(&word, param, &mut g, &mut font_being_defined);
                } else {
                    p.at += 1;
                    match c {
                        b'\'' => {
                            let hex = bytes.get(p.at..p.at + 2).unwrap_or(b"");
                            p.at += hex.len();
                            if let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(hex), 16)
                                && !g.skip
                            {
                                if p.skip_chars > 0 {
                                    p.skip_chars -= 1;
                                } else {
                                    p.pending.push(v);
                                }
                            }
                        }
                        b'*' => star = true,
                        b'~' if !g.skip => p.text(&g, "\u{a0}"),
                        b'_' if !g.skip => p.text(&g, "-"),
                        b'-' => {}
                        b'\\' | b'{' | b'}' if !g.skip => {
                            let s = (c as char).to_string();
                            p.text(&g, &s);
                        }
                        b'\r' | b'\n' if !g.skip => p.text(&g, "\n"),
                        _ => {}
                    }
                }
            }
            b'\r' | b'\n' => p.at += 1,
            _ => {
                p.at += 1;
                if g.skip {
                    continue;
                }
                if p.skip_chars > 0 {
                    p.skip_chars -= 1;
                    continue;
                }
                if b >= 0x80 {
                    p.pending.push(b);
                } else if b != 0 {
                    p.flush(&g);
                    p.out.push(b as char);
                }
            }
        }
        if p.out.len() as u64 > limit {
            return Err(format!(
                "its text is larger than {} MB",
                limit / (1024 * 1024)
            ));
        }
    }
    if !depth_seen {
        return Err("it is not a complete RTF document".into());
    }
    p.flush(&g);
    let notice = match p.unknown_cp {
        Some(cp) if p.guess_failed => {
            return Err(format!(
                "it declares code page {cp}, which Yinwen does not know, and its text does not read as GB18030 (Chinese) either"
            ));
        }
        Some(cp) => Some(format!(
            "the file declares code page {cp}, which Yinwen does not know; its text was read as GB18030 (Chinese) — check it"
        )),
        None => None,
    };
    let text: Vec<&str> = p.out.split('\n').map(str::trim_end).collect();
    Ok((text.join("\n").trim_matches('\n').to_owned(), notice))
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    out: String,
    /// Bytes of `\'hh` escapes and 8-bit text not yet decoded.
    pending: Vec<u8>,
    doc_cp: i32,
    /// Code page of each font by number.
    fonts: std::collections::HashMap<i32, i32>,
    def_font: i32,
    /// Chars still to skip after a `\uN` (its fallback).
    skip_chars: usize,
    /// A code page we do not know that text bytes were decoded in.
    unknown_cp: Option<i32>,
    /// Bytes in [`Parser::unknown_cp`] did not decode as [`UNKNOWN_CODE_PAGE_GUESS`].
    guess_failed: bool,
}

impl Parser<'_> {
    /// Reads a control word and its optional numeric parameter and delimiter space.
    fn control_word(&mut self) -> (String, Option<i32>) {
        let start = self.at;
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_alphabetic() {
            self.at += 1;
        }
        let word = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        let num_start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_digit() {
            self.at += 1;
        }
        let param = std::str::from_utf8(&self.bytes[num_start..self.at])
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .map(|n| n.clamp(i32::MIN as i64, i32::MAX as i64) as i32);
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        (word, param)
    }

    /// The code page of the current font, else the document's.
    fn code_page(&self, g: &Group) -> i32 {
        self.fonts
            .get(&g.font)
            .copied()
            .filter(|&cp| cp != 0)
            .unwrap_or(self.doc_cp)
    }

    /// Decodes the pending bytes with the current encoding (an unknown code page: with the
    /// guess, noting it and whether it failed).
    fn flush(&mut self, g: &Group) {
        if self.pending.is_empty() {
            return;
        }
        let cp = self.code_page(g);
        let (s, _, errors) = match code_page(cp) {
            Some(enc) => enc.decode(&self.pending),
            None => {
                self.unknown_cp.get_or_insert(cp);
                UNKNOWN_CODE_PAGE_GUESS.decode(&self.pending)
            }
        };
        if errors && code_page(cp).is_none() {
            self.guess_failed = true;
        }
        self.out.push_str(&s);
        self.pending.clear();
    }

    fn text(&mut self, g: &Group, s: &str) {
        self.flush(g);
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        self.out.push_str(s);
    }

    /// Acts on a control word.
    fn word(&mut self, word: &str, param: Option<i32>, g: &mut Group, font_def: &mut Option<i32>) {
        if g.in_fonttbl {
            match word {
                "f" => *font_def = param,
                "fcharset" => {
                    if let (Some(f), Some(cp)) = (*font_def, param.and_then(charset_code_page)) {
                        self.fonts.insert(f, cp);
                    }
                }
                "cpg" => {
                    if let (Some(f), Some(cp)) = (*font_def, param) {
                        self.fonts.insert(f, cp);
                    }
                }
                _ => {}
            }
            return;
        }
        if SKIPPED.contains(&word) {
            self.flush(g);
            g.skip = true;
            if word == "fonttbl" {
                g.in_fonttbl = true;
            }
            return;
        }
        match word {
            "ansicpg" => {
                if let Some(cp) = param {
                    self.doc_cp = cp;
                }
            }
            "deff" => self.def_font = param.unwrap_or(0),
            "f" => {
                self.flush(g);
                g.font = param.unwrap_or(self.def_font);
            }
            "uc" => g.uc = param.unwrap_or(1).clamp(0, 16) as usize,
            "u" => {
                self.flush(g);
                if let Some(n) = param {
                    let n = if n < 0 { n + 65536 } else { n } as u32;
                    if let Some(c) = char::from_u32(n) {
                        self.out.push(c);
                    }
                    self.skip_chars = g.uc;
                }
            }
            "upr" => {
                // The ANSI copy comes first; the Unicode copy follows in \*\ud.
                g.skip = true;
            }
            "par" | "line" | "sect" | "page" | "row" => self.text(g, "\n"),
            "tab" | "cell" => self.text(g, "\t"),
            "emdash" => self.text(g, "—"),
            "endash" => self.text(g, "–"),
            "lquote" => self.text(g, "‘"),
            "rquote" => self.text(g, "’"),
            "ldblquote" => self.text(g, "“"),
            "rdblquote" => self.text(g, "”"),
            "bullet" => self.text(g, "•"),
            "emspace" | "enspace" | "qmspace" => self.text(g, " "),
            "bin" => {
                self.flush(g);
                self.at = self
                    .at
                    .saturating_add(param.unwrap_or(0).max(0) as usize)
                    .min(self.bytes.len());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_escapes_and_unicode_escapes() {
        let rtf = br"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}}{\colortbl;\red0\green0\blue0;}\f0 \'d6\'d0\'b9\'fa\par \u20154?\u27665?\par}";
        assert_eq!(
            extract_text(rtf, 1 << 20).unwrap(),
            ("中国\n人民".into(), None)
        );
    }

    #[test]
    fn fields_keep_results_and_fallbacks_are_skipped() {
        let rtf = br"{\rtf1\ansi{\field{\*\fldinst HYPERLINK x}{\fldrslt link}}\uc2\u20013\'3f\'3fA\par{\upr{ansi}{\*\ud{\u20154\'3f}}}}";
        assert_eq!(extract_text(rtf, 1 << 20).unwrap().0, "link中A\n人");
    }

    #[test]
    fn an_unknown_code_page_is_guessed_and_said_or_refused() {
        // GBK bytes under a code page nobody has: read as GB18030, and said so.
        let rtf = br"{\rtf1\ansi\ansicpg99999 \'d6\'d0\'b9\'fa\par}";
        let (text, notice) = extract_text(rtf, 1 << 20).unwrap();
        assert_eq!(text, "中国");
        assert!(notice.unwrap().contains("code page 99999"));
        // Bytes that are not GBK either: refused, not mojibake.
        let rtf = br"{\rtf1\ansi\ansicpg99999 caf\'e9 \'ff\par}";
        let e = extract_text(rtf, 1 << 20).unwrap_err();
        assert!(e.contains("code page 99999"), "{e}");
        // Unknown but unused: no notice.
        let rtf = br"{\rtf1\ansi\ansicpg99999 \u20013?\par}";
        assert_eq!(extract_text(rtf, 1 << 20).unwrap(), ("中".into(), None));
    }

    #[test]
    fn broken_rtf_is_refused() {
        assert!(extract_text(br"{\rtf1 }}", 1 << 20).is_ok());
        assert!(extract_text(br"\rtf1 no group", 1 << 20).is_err());
    }
}
