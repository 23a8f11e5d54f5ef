//! Text decoding: the encoding choice, byte-order marks, auto-detection
//! tuned for Chinese text, and strict decoding that locates bad bytes.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use super::ImportError;

/// Which decoder to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    /// Byte-order mark if any, else UTF-8 if valid, else detection among
    /// the Chinese encodings.
    #[default]
    Auto,
    /// UTF-8.
    Utf8,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
    /// Big5 (Traditional Chinese).
    Big5,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl EncodingChoice {
    /// Every choice, in the order a menu shows them.
    pub const ALL: [EncodingChoice; 6] = [
        EncodingChoice::Auto,
        EncodingChoice::Utf8,
        EncodingChoice::Gb18030,
        EncodingChoice::Big5,
        EncodingChoice::Utf16Le,
        EncodingChoice::Utf16Be,
    ];

    /// The short label: "auto", "utf-8", "gb18030", "big5", "utf-16le",
    /// "utf-16be".
    pub fn label(self) -> &'static str {
        match self {
            EncodingChoice::Auto => "auto",
            EncodingChoice::Utf8 => "utf-8",
            EncodingChoice::Gb18030 => "gb18030",
            EncodingChoice::Big5 => "big5",
            EncodingChoice::Utf16Le => "utf-16le",
            EncodingChoice::Utf16Be => "utf-16be",
        }
    }

    /// The decoder for an explicit choice; `None` for `Auto`.
    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            EncodingChoice::Auto => None,
            EncodingChoice::Utf8 => Some(UTF_8),
            EncodingChoice::Gb18030 => Some(GB18030),
            EncodingChoice::Big5 => Some(BIG5),
            EncodingChoice::Utf16Le => Some(UTF_16LE),
            EncodingChoice::Utf16Be => Some(UTF_16BE),
        }
    }
}

impl fmt::Display for EncodingChoice {
    /// Writes the label.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for EncodingChoice {
    type Err = String;

    /// Parses a label, ignoring case and surrounding spaces; also accepts
    /// "utf8", "gbk", "gb2312", "utf16le", "utf16be".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let choice = match s.trim().to_ascii_lowercase().as_str() {
            "auto" => EncodingChoice::Auto,
            "utf-8" | "utf8" => EncodingChoice::Utf8,
            "gb18030" | "gbk" | "gb2312" => EncodingChoice::Gb18030,
            "big5" => EncodingChoice::Big5,
            "utf-16le" | "utf16le" => EncodingChoice::Utf16Le,
            "utf-16be" | "utf16be" => EncodingChoice::Utf16Be,
            _ => {
                return Err(format!(
                    "unknown encoding \"{}\"; use one of: auto, utf-8, gb18030 (or gbk), big5, utf-16le, utf-16be",
                    s.trim()
                ));
            }
        };
        Ok(choice)
    }
}

/// Bytes given to chardetng at most: plenty for Chinese text, and keeps
/// detection to a few milliseconds.
const DETECT_WINDOW: usize = 16 * 1024;
/// Characters looked at when scoring a candidate decoding.
const SCORE_CHARS: usize = 20_000;
/// Below this share of common ideographs a CJK decoding is not believed
/// when chardetng proposed a non-CJK encoding that decodes cleanly.
const MIN_PLAUSIBLE_SCORE: f64 = 0.5;

/// Text decoded from bytes, before newline normalisation.
pub(crate) struct TextDecode {
    /// The decoded text, byte-order mark dropped.
    pub text: String,
    /// Name of the encoding used.
    pub encoding: String,
    /// Whether a byte-order mark was dropped.
    pub had_bom: bool,
    /// Something the user should know about how the text was decoded (a guess of low
    /// confidence, two encodings in one file), for `import`'s output and the status line.
    pub notice: Option<String>,
}

/// Where and how many malformed bytes one decoding met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Malformed {
    /// Bytes in malformed sequences (only the first when stopping early).
    count: u64,
    /// Offset of the first malformed byte in the decoded slice.
    first_offset: u64,
}

/// Decodes text bytes with `choice`. `complete` is false when `bytes` is a
/// prefix of the file: a sequence cut at the end is then not an error.
pub(crate) fn decode_text(
    bytes: &[u8],
    choice: EncodingChoice,
    complete: bool,
) -> Result<TextDecode, ImportError> {
    if choice == EncodingChoice::Auto
        && let Some(little) = sniff_utf32_bom(bytes)
    {
        return decode_utf32(&bytes[4..], little, complete);
    }
    let bom = sniff_bom(bytes);
    let (enc, bom_len) = match (choice.encoding(), bom) {
        (None, Some((enc, len))) => (enc, len),
        (None, None) => return detect_and_decode(bytes, complete),
        (Some(enc), Some((bom_enc, len))) if bom_enc == enc => (enc, len),
        (Some(enc), _) => (enc, 0),
    };
    // NUL bytes are normal in UTF-16, whether chosen or announced by a BOM.
    let utf16 = |e: &'static Encoding| e == UTF_16LE || e == UTF_16BE;
    if !utf16(enc) && !bom.is_some_and(|(e, _)| utf16(e)) {
        check_nul(bytes)?;
    }
    let text = decode_strict(enc, &bytes[bom_len..], complete, false)
        .map_err(|m| undecodable(enc, m, bom_len))?;
    // UTF-16 read from UTF-32 (or from single-byte text) is full of NULs: not text.
    if let Some(at) = text.chars().position(|c| c == '\0') {
        return Err(ImportError::Binary {
            file: None,
            offset: (bom_len + at * 2) as u64,
        });
    }
    Ok(TextDecode {
        text,
        encoding: display_name(enc).to_owned(),
        had_bom: bom_len > 0,
        notice: None,
    })
}

/// `Some(true)` for a UTF-32LE byte-order mark, `Some(false)` for UTF-32BE.
fn sniff_utf32_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.starts_with(b"\xFF\xFE\x00\x00") {
        Some(true)
    } else if bytes.starts_with(b"\x00\x00\xFE\xFF") {
        Some(false)
    } else {
        None
    }
}

/// Decodes UTF-32 (after its byte-order mark): four bytes a character, each a Unicode
/// scalar value. With `complete` false a unit cut at the end is left out.
fn decode_utf32(bytes: &[u8], little: bool, complete: bool) -> Result<TextDecode, ImportError> {
    let name = if little { "UTF-32LE" } else { "UTF-32BE" };
    let whole = bytes.len() / 4 * 4;
    let mut text = String::with_capacity(whole / 2);
    let mut bad: Option<Malformed> = None;
    for (i, unit) in bytes[..whole].chunks_exact(4).enumerate() {
        let raw = [unit[0], unit[1], unit[2], unit[3]];
        let v = if little {
            u32::from_le_bytes(raw)
        } else {
            u32::from_be_bytes(raw)
        };
        match char::from_u32(v).filter(|&c| c != '\0') {
            Some(c) => text.push(c),
            None => {
                bad.get_or_insert(Malformed {
                    count: 0,
                    first_offset: (4 + i * 4) as u64,
                })
                .count += 4;
            }
        }
    }
    if complete && whole != bytes.len() {
        bad.get_or_insert(Malformed {
            count: 0,
            first_offset: (4 + whole) as u64,
        })
        .count += (bytes.len() - whole) as u64;
    }
    if let Some(m) = bad {
        return Err(ImportError::Undecodable {
            file: None,
            encoding: name.to_owned(),
            count: m.count,
            first_offset: m.first_offset,
        });
    }
    Ok(TextDecode {
        text,
        encoding: name.to_owned(),
        had_bom: true,
        notice: None,
    })
}

/// The encoding named by a leading byte-order mark, and the mark's length.
fn sniff_bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Some((UTF_8, 3))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((UTF_16LE, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((UTF_16BE, 2))
    } else if bytes.starts_with(b"\x84\x31\x95\x33") {
        Some((GB18030, 4))
    } else {
        None
    }
}

/// The name we report for an encoding (encoding_rs spells "gb18030").
fn display_name(enc: &'static Encoding) -> &'static str {
    if enc == GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// Refuses bytes that contain NUL: text files do not.
fn check_nul(bytes: &[u8]) -> Result<(), ImportError> {
    match bytes.iter().position(|&b| b == 0) {
        Some(offset) => Err(ImportError::Binary {
            file: None,
            offset: offset as u64,
        }),
        None => Ok(()),
    }
}

/// The error for malformed bytes; `base` is where the decoded slice
/// starts in the file (the byte-order mark's length).
fn undecodable(enc: &'static Encoding, m: Malformed, base: usize) -> ImportError {
    ImportError::Undecodable {
        file: None,
        encoding: display_name(enc).to_owned(),
        count: m.count,
        first_offset: m.first_offset + base as u64,
    }
}

/// Decodes without replacement. With `stop_at_first`, gives up at the
/// first malformed sequence; otherwise counts them all. With `last`
/// false, a sequence cut at the end of `bytes` is silently left out.
fn decode_strict(
    enc: &'static Encoding,
    bytes: &[u8],
    last: bool,
    stop_at_first: bool,
) -> Result<String, Malformed> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let room = |d: &encoding_rs::Decoder, n: usize| {
        d.max_utf8_buffer_length_without_replacement(n)
            .unwrap_or(n.saturating_mul(3))
    };
    let mut out = String::with_capacity(room(&decoder, bytes.len()));
    let mut pos = 0;
    let mut bad: Option<Malformed> = None;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[pos..], &mut out, last);
        pos += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => out.reserve(room(&decoder, bytes.len() - pos)),
            DecoderResult::Malformed(len, extra) => {
                let start = pos.saturating_sub(len as usize + extra as usize) as u64;
                let m = bad.get_or_insert(Malformed {
                    count: 0,
                    first_offset: start,
                });
                m.count += u64::from(len);
                if stop_at_first {
                    break;
                }
            }
        }
    }
    match bad {
        Some(m) => Err(m),
        None => Ok(out),
    }
}

/// Auto-detection for bytes without a byte-order mark.
fn detect_and_decode(bytes: &[u8], complete: bool) -> Result<TextDecode, ImportError> {
    check_nul(bytes)?;
    // The common case, a whole file of valid UTF-8, validated once.
    if complete && let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(TextDecode {
            text: text.to_owned(),
            encoding: "UTF-8".to_owned(),
            had_bom: false,
            notice: None,
        });
    }
    let status = utf8_status(bytes, complete);
    if !matches!(status, Utf8Status::Valid(_))
        && let Some(mixed) = decode_mixed(bytes, complete)
    {
        return Ok(mixed);
    }
    match status {
        Utf8Status::Valid(len) => {
            let text = std::str::from_utf8(&bytes[..len])
                .expect("checked UTF-8")
                .to_owned();
            return Ok(TextDecode {
                text,
                encoding: "UTF-8".to_owned(),
                had_bom: false,
                notice: None,
            });
        }
        Utf8Status::Damaged => {
            let m = decode_strict(UTF_8, bytes, complete, false)
                .expect_err("damaged UTF-8 has malformed bytes");
            return Err(undecodable(UTF_8, m, 0));
        }
        Utf8Status::NotUtf8 => {}
    }

    let guess = chardet_guess(bytes, complete);
    let guess_decoder = if guess == GBK { GB18030 } else { guess };
    let guess_is_cjk = guess_decoder == GB18030 || guess_decoder == BIG5;
    let found = |enc: &'static Encoding, text: String| {
        let notice = low_confidence(enc, &text);
        TextDecode {
            text,
            encoding: display_name(enc).to_owned(),
            had_bom: false,
            notice,
        }
    };
    // Fast path: chardetng is good at Chinese; trust a clean CJK guess.
    if guess_is_cjk && let Ok(text) = decode_strict(guess_decoder, bytes, complete, true) {
        return Ok(found(guess, text));
    }

    // Otherwise compare GB18030 and Big5 by how Chinese they look.
    let [gb, big5] = [GB18030, BIG5].map(|enc| Candidate::new(enc, bytes, complete));
    // On a tie GB18030 wins: most of our users write Simplified Chinese.
    let (best, other) = if big5.score > gb.score {
        (big5, gb)
    } else {
        (gb, big5)
    };
    let best_any_score = best.score;
    let best_any = best.enc;
    let best_clean = match (best.text.is_some(), other.text.is_some()) {
        (true, _) => Some(best),
        (false, true) => Some(other),
        (false, false) => None,
    };
    // How Chinese the decoding we would pick looks.
    let chinese_score = best_clean.as_ref().map_or(best_any_score, |c| c.score);

    if guess_is_cjk {
        // chardetng's Chinese guess has bad bytes: switch only to a clean
        // decoding that looks at least as Chinese, else report the bad bytes.
        let guess_score = lossy_score(guess_decoder, bytes);
        return match best_clean {
            Some(Candidate {
                enc,
                score,
                text: Some(text),
            }) if score >= guess_score => Ok(found(enc, text)),
            _ => Err(report(guess_decoder, bytes, complete)),
        };
    }
    // chardetng proposed a non-Chinese encoding: believe it only when the
    // Chinese decodings look implausible and it decodes cleanly.
    if chinese_score < MIN_PLAUSIBLE_SCORE
        && guess != UTF_8
        && let Ok(text) = decode_strict(guess, bytes, complete, true)
    {
        // A Western (or other non-Chinese) encoding is believed only for text whose
        // letters are of that script; random bytes decode "cleanly" as windows-1252 too.
        if !looks_like_letters(&text) {
            return Err(ImportError::NotText {
                file: None,
                reason: format!(
                    "it decodes neither as Chinese text (GB18030, Big5, UTF-8) nor as letters of another script (the best guess, {}, gives mostly symbols)",
                    guess.name()
                ),
            });
        }
        let notice = Some(format!(
            "read as {}: the file contains no Chinese text (check that this is the file you meant)",
            guess.name()
        ));
        return Ok(TextDecode {
            text,
            encoding: guess.name().to_owned(),
            had_bom: false,
            notice,
        });
    }
    match best_clean {
        Some(Candidate {
            enc,
            text: Some(text),
            ..
        }) => Ok(found(enc, text)),
        _ => Err(report(best_any, bytes, complete)),
    }
}

/// A notice when a Chinese decoding was chosen although the text does not look much like
/// Chinese (few common characters, or control characters), so the user checks it.
fn low_confidence(enc: &'static Encoding, text: &str) -> Option<String> {
    let sc = score(text);
    (sc < MIN_PLAUSIBLE_SCORE && !text.is_ascii()).then(|| {
        format!(
            "the encoding was guessed with low confidence ({}: only {:.0}% of the non-ASCII characters are common Chinese characters or punctuation); check the text, or reopen it with another encoding",
            display_name(enc),
            sc * 100.0
        )
    })
}

/// Whether a text decoded with a non-Chinese single-byte encoding reads as letters: at least
/// four in five of its non-ASCII characters are alphabetic, and it has (almost) no control
/// characters.
fn looks_like_letters(text: &str) -> bool {
    let (mut non_ascii, mut letters, mut controls, mut all) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        all += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            controls += 1;
        }
        if !c.is_ascii() {
            non_ascii += 1;
            if c.is_alphabetic() {
                letters += 1;
            }
        }
    }
    controls * 200 <= all && letters * 5 >= non_ascii * 4
}

/// A file whose lines are partly UTF-8 and partly a Chinese legacy encoding (two files
/// pasted together, or an editor that saved only the new lines as UTF-8): each line is
/// decoded in its own encoding, and the notice says so and where the encodings change. A
/// line with both (pasted without a line break) is cut where its UTF-8 Chinese starts and
/// ends (see [`utf8_runs`]).
/// `None` unless both kinds of text are present and the legacy parts read as Chinese.
fn decode_mixed(bytes: &[u8], complete: bool) -> Option<TextDecode> {
    let is_utf8 = |l: &[u8]| std::str::from_utf8(l).is_ok();
    // (line number, part of the line).
    let mut lines: Vec<(usize, &[u8])> = Vec::new();
    for (n, l) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        if is_utf8(l) {
            lines.push((n + 1, l));
            continue;
        }
        let runs = utf8_runs(l);
        // A few bad bytes inside UTF-8 are damage, not a second encoding: a line is cut only
        // when what is left of it holds at least four legacy characters' worth of bytes.
        let in_runs: usize = runs
            .iter()
            .map(|&(a, b)| l[a..b].iter().filter(|&&x| x >= 0x80).count())
            .sum();
        let legacy_bytes = l.iter().filter(|&&x| x >= 0x80).count() - in_runs;
        let runs = if legacy_bytes >= 8 { runs } else { Vec::new() };
        let mut at = 0;
        for (a, b) in runs {
            if a > at {
                lines.push((n + 1, &l[at..a]));
            }
            lines.push((n + 1, &l[a..b]));
            at = b;
        }
        if at < l.len() {
            lines.push((n + 1, &l[at..]));
        }
    }
    let has_utf8_text = lines.iter().map(|(_, l)| l).any(|l| {
        !l.is_ascii()
            && is_utf8(l)
            && std::str::from_utf8(l).is_ok_and(|s| score(s) >= MIN_PLAUSIBLE_SCORE)
    });
    if !has_utf8_text {
        return None;
    }
    let legacy: Vec<u8> = lines
        .iter()
        .map(|(_, l)| *l)
        .filter(|l| !is_utf8(l))
        .flat_map(|l| l.iter().copied())
        .collect();
    if legacy.is_empty() {
        return None;
    }
    // The legacy encoding of those lines, chosen the usual way, must read as Chinese.
    let [gb, big5] = [GB18030, BIG5].map(|enc| Candidate::new(enc, &legacy, true));
    let best = if big5.score > gb.score { big5 } else { gb };
    if best.text.is_none() || best.score < MIN_PLAUSIBLE_SCORE {
        return None;
    }
    let enc = best.enc;
    let mut text = String::with_capacity(bytes.len());
    let (mut first_change, mut utf8_lines, mut legacy_lines) = (None, 0usize, 0usize);
    // The line last counted for each encoding (a line holding both counts for both).
    let (mut last_utf8, mut last_legacy) = (0usize, 0usize);
    let mut previous_utf8: Option<bool> = None;
    let last = lines.len().saturating_sub(1);
    for (i, &(n, l)) in lines.iter().enumerate() {
        match std::str::from_utf8(l) {
            Ok(s) => {
                text.push_str(s);
                if !l.is_ascii() {
                    if last_utf8 != n {
                        utf8_lines += 1;
                        last_utf8 = n;
                    }
                    if previous_utf8 == Some(false) && first_change.is_none() {
                        first_change = Some(n);
                    }
                    previous_utf8 = Some(true);
                }
            }
            Err(_) => {
                text.push_str(&decode_strict(enc, l, complete || i < last, true).ok()?);
                if last_legacy != n {
                    legacy_lines += 1;
                    last_legacy = n;
                }
                if previous_utf8 == Some(true) && first_change.is_none() {
                    first_change = Some(n);
                }
                previous_utf8 = Some(false);
            }
        }
    }
    let name = display_name(enc);
    Some(TextDecode {
        text,
        encoding: format!("UTF-8 + {name}"),
        had_bom: false,
        notice: Some(format!(
            "the file mixes two encodings: {utf8_lines} line(s) in UTF-8 and {legacy_lines} in {name} (the encoding first changes at line {}); each line was decoded in its own encoding — check the text",
            first_change.unwrap_or(1)
        )),
    })
}

/// The runs of UTF-8 Chinese inside a line that is not UTF-8 as a whole, as byte ranges: at
/// least three three-byte characters (CJK and its punctuation), reading as Chinese. A GBK pair
/// is often a valid two-byte UTF-8 sequence by chance, and a GBK byte next to a UTF-8 part can
/// form a three-byte one with it: so two-byte characters at a run's edges go to the legacy
/// side, and its edges move in by up to three characters until the legacy parts around it
/// decode cleanly (GB18030 or Big5).
fn utf8_runs(line: &[u8]) -> Vec<(usize, usize)> {
    let mut raw = Vec::new();
    let mut pos = 0;
    while pos < line.len() {
        let (valid, next) = match std::str::from_utf8(&line[pos..]) {
            Ok(_) => (line.len() - pos, line.len()),
            Err(e) => (
                e.valid_up_to(),
                pos + e.valid_up_to() + e.error_len().unwrap_or(line.len() - pos - e.valid_up_to()),
            ),
        };
        let run = std::str::from_utf8(&line[pos..pos + valid]).expect("checked UTF-8");
        let wide = |(_, c): &(usize, char)| c.len_utf8() == 3;
        if let (Some((a, _)), Some((b, c))) = (
            run.char_indices().find(wide),
            run.char_indices().rev().find(wide),
        ) {
            let core = &run[a..b + c.len_utf8()];
            if core.chars().filter(|c| c.len_utf8() == 3).count() >= 3
                && score(core) >= MIN_PLAUSIBLE_SCORE
            {
                raw.push((pos + a, pos + b + c.len_utf8()));
            }
        }
        pos = next.max(pos + 1);
    }
    let legacy_ok = |b: &[u8]| {
        [GB18030, BIG5].iter().any(|e| {
            e.decode_without_bom_handling_and_without_replacement(b)
                .is_some()
        })
    };
    // The run's char boundaries from its start inward, and from its end inward.
    let starts = |a: usize, b: usize| -> Vec<usize> {
        let s = std::str::from_utf8(&line[a..b]).expect("checked UTF-8");
        s.char_indices().take(4).map(|(i, _)| a + i).collect()
    };
    let ends = |a: usize, b: usize| -> Vec<usize> {
        let s = std::str::from_utf8(&line[a..b]).expect("checked UTF-8");
        std::iter::once(b)
            .chain(s.char_indices().rev().take(3).map(|(i, _)| a + i))
            .collect()
    };
    let mut runs = Vec::new();
    let mut prev = 0;
    for (k, &(a, b)) in raw.iter().enumerate() {
        // The legacy part after this run reaches the next run, whose start may move in too.
        let next_starts = raw
            .get(k + 1)
            .map_or(vec![line.len()], |&(na, nb)| starts(na, nb));
        let Some(a2) = starts(a, b)
            .into_iter()
            .find(|&s| legacy_ok(&line[prev..s]))
        else {
            continue;
        };
        let Some(b2) = ends(a, b).into_iter().find(|&e| {
            e > a2
                && next_starts
                    .iter()
                    .any(|&n| n >= e && legacy_ok(&line[e..n]))
        }) else {
            continue;
        };
        runs.push((a2, b2));
        prev = b2;
    }
    runs
}

/// One Chinese decoding tried during detection.
struct Candidate {
    /// The decoder.
    enc: &'static Encoding,
    /// How Chinese the result looks (see [`score`]).
    score: f64,
    /// The text when it decoded without error.
    text: Option<String>,
}

impl Candidate {
    /// Decodes strictly and scores; a failed decoding is scored lossily.
    fn new(enc: &'static Encoding, bytes: &[u8], complete: bool) -> Self {
        match decode_strict(enc, bytes, complete, true) {
            Ok(text) => Candidate {
                enc,
                score: score(&text),
                text: Some(text),
            },
            Err(_) => Candidate {
                enc,
                score: lossy_score(enc, bytes),
                text: None,
            },
        }
    }
}

/// The full count of malformed bytes, as an error.
fn report(enc: &'static Encoding, bytes: &[u8], complete: bool) -> ImportError {
    match decode_strict(enc, bytes, complete, false) {
        Err(m) => undecodable(enc, m, 0),
        Ok(_) => unreachable!("reported only after a failed decode"),
    }
}

/// How the bytes fare as UTF-8.
enum Utf8Status {
    /// Valid; the length to decode (a cut final sequence left out).
    Valid(usize),
    /// Mostly valid UTF-8 with a few bad bytes: report them as UTF-8.
    Damaged,
    /// Not UTF-8.
    NotUtf8,
}

/// Checks UTF-8 validity; on errors tells damaged UTF-8 (at least four
/// good multi-byte characters per bad sequence) from another encoding,
/// giving up early on the latter.
fn utf8_status(bytes: &[u8], complete: bool) -> Utf8Status {
    let leads = |b: &[u8]| b.iter().filter(|&&x| x >= 0xC0).count();
    let (mut pos, mut multibyte, mut bad) = (0, 0, 0);
    loop {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => {
                multibyte += leads(&bytes[pos..]);
                pos = bytes.len();
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                multibyte += leads(&bytes[pos..pos + valid]);
                match e.error_len() {
                    None if !complete => {
                        pos += valid;
                        break;
                    }
                    None => {
                        bad += 1;
                        break;
                    }
                    Some(n) => {
                        bad += 1;
                        pos += valid + n;
                        if bad > 8 && bad * 4 > multibyte {
                            return Utf8Status::NotUtf8;
                        }
                    }
                }
            }
        }
    }
    if bad == 0 {
        Utf8Status::Valid(pos)
    } else if multibyte >= bad * 4 {
        Utf8Status::Damaged
    } else {
        Utf8Status::NotUtf8
    }
}

/// chardetng's guess from at most [`DETECT_WINDOW`] bytes, starting just
/// before the first non-ASCII byte (chardetng runs at a few MB/s).
fn chardet_guess(bytes: &[u8], complete: bool) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let first = bytes.iter().position(|&b| b >= 0x80).unwrap_or(0);
    let start = first.saturating_sub(64);
    let end = bytes.len().min(start + DETECT_WINDOW);
    detector.feed(&bytes[start..end], complete && end == bytes.len());
    detector.guess(None, Utf8Detection::Allow)
}

/// [`score`] of a decoding with replacement characters, from a prefix.
fn lossy_score(enc: &'static Encoding, bytes: &[u8]) -> f64 {
    let prefix = &bytes[..bytes.len().min(SCORE_CHARS * 4)];
    score(&enc.decode_without_bom_handling(prefix).0)
}

/// Share of the non-ASCII characters (in the first [`SCORE_CHARS`]) that
/// are common in Chinese text: frequent ideographs (Simplified or
/// Traditional) and Chinese punctuation. About 0.9 for real text, about
/// 0.2 for one Chinese encoding read as the other.
fn score(text: &str) -> f64 {
    let table = common_table();
    let (mut non_ascii, mut common) = (0u32, 0u32);
    for c in text.chars().take(SCORE_CHARS).filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if is_common(table, c) {
            common += 1;
        }
    }
    if non_ascii == 0 {
        0.0
    } else {
        f64::from(common) / f64::from(non_ascii)
    }
}

/// First code point of the CJK Unified Ideographs block.
const CJK_FIRST: u32 = 0x4E00;
/// Size of that block (U+4E00..=U+9FFF).
const CJK_LEN: usize = 0x5200;

/// One bit per ideograph in U+4E00..=U+9FFF: set when common.
fn common_table() -> &'static [u64] {
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut bits = vec![0u64; CJK_LEN / 64];
        for c in COMMON_SIMPLIFIED.chars().chain(COMMON_TRADITIONAL.chars()) {
            let i = (c as u32).wrapping_sub(CJK_FIRST) as usize;
            if i < CJK_LEN {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    })
}

/// Whether `c` is one of the common ideographs, or Chinese punctuation
/// (CJK symbols and punctuation, full-width forms), or “ ” ‘ ’ … —.
fn is_common(table: &[u64], c: char) -> bool {
    let i = (c as u32).wrapping_sub(CJK_FIRST) as usize;
    if i < CJK_LEN {
        return table[i / 64] & (1 << (i % 64)) != 0;
    }
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// About 800 of the most frequent Simplified Chinese characters.
const COMMON_SIMPLIFIED: &str = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒遥吕玄尘冯抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹昆肝擦猪炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履涨耀扭坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱俊址庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬屏寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘罩卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜霉滩袜盆棋妆棒岭缠祠畅泳芝昼峭棵涵寇逾凑蜡挫妾卑涯玫纺拐瞒腕伞钓锅灌馈笨棍";

/// The Traditional forms of about the same characters.
const COMMON_TRADITIONAL: &str = "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根乾造言聯持組每濟車親極林服快辦議往元英士證近失轉夫令準布始怎呢存未遠叫台單影具羅字愛擊流備兵連調深商算質團集百需價花黨華城石級整府離況亞請技際約示復病息究線似官火斷精滿支視消越器容照須九增研寫稱企八功嗎包片史委乎查輕易早曾除農找裝廣顯吧阿李標談吃圖念六引歷首醫局突專費號盡另周較注語僅考落青隨選列武紅響雖推勢參希古眾構房半節土投某案黑維革劃敵致陳律足態護七興派孩驗責營星夠章音跟志底站嚴巴例防族供效續施留講型料終答緊黃絕奇察母京段依批群項故按河米圍江織害鬥雙境客紀採舉殺攻父蘇密低朝友訴止細願千值仍男錢破網熱助倒育屬坐帝限船臉職速刻樂否剛威毛狀率甚獨球般普怕彈校苦創假久錯承印晚蘭試股拿腦預誰益陽若哪微尼繼送急血驚傷素藥適波夜省初喜衛源食險待述陸習置居勞財環排福納歡雷警獲模充負雲停木遊龍樹疑層冷洲衝射略範竟句室異激漢村哈策演簡卡罪判擔州靜退既衣您宗積餘痛檢差富靈協角佔配徵修皮揮勝降階審沉堅善媽劉讀啊超免壓銀買皇養伊懷執副亂抗犯追幫宣佛歲航優怪香田鐵控稅左右份穿藝背陣草腳概惡塊頓敢守酒島託央戶烈洋哥索胡款靠評版寶座釋景顧弟登貨互付伯慢歐換聞危忙核暗姐介壞討麗良序升監臨亮露永呼味野架域沙掉括艦魚雜誤灣吉減編楚肯測敗屋跑夢散溫困劍漸封救貴槍缺樓縣尚毫移娘朋畫班智亦耳恩短掌恐遺固席松祕謝魯遇康慮幸均銷鐘詩藏趕劇票損忽巨炮舊端探湖錄葉春鄉附吸予禮港雨呀板庭婦歸睛飯額含順輸搖招婚脫補謂督毒油療旅澤材滅逐莫筆亡鮮詞聖擇尋廠睡博勒煙授諾倫岸奧唐賣俄炸載洛健堂旁宮喝借君禁陰園謀宋避抓榮姑孫逃牙束跳頂玉鎮雪午練迫爺篇肉嘴館遍凡礎洞卷坦牛寧紙諸訓私莊祖絲翻暴森塔默握戲隱熟骨訪弱蒙歌店鬼軟典欲薩夥遭盤爸擴蓋弄雄穩忘億刺擁徒姆楊齊賽趣曲刀床迎冰虛玩析窗醒妻透購替塞努休虎揚途侵刑綠兄迅套貿畢唯谷輪庫跡尤競街促延震棄甲偉麻川申緩潛閃售燈針哲絡抵朱埃抱鼓植純夏忍頁傑築折鄭貝尊吳秀混臣雅振染盛怒舞圓搞狂措姓殘秋培迷誠寬宇猛擺梅毀伸摩盟末乃悲拍丁趙硬麥蔣操耶阻訂彩抽贊魔紛沿喊違妹浪匯幣豐藍殊獻桌啦瓦萊援譯奪汽燒距裁偏符勇觸課敬哭懂牆襲召罰俠廳拜巧側韓冒債曼融慣享戴童猶乘掛獎紹厚縱障訊涉徹刊丈爆烏役描洗瑪患妙鏡唱煩簽仙彼弗症仿傾牌陷鳥轟咱菜閉奮慶撤淚茶疾緣播朗杜奶季丹狗尾儀偷奔珠蟲駐孔宜艾橋淡翼恨繁寒伴嘆旦愈潮糧縮罷聚徑恰挑袋灰捕徐珍幕映裂泰隔啟尖忠累炎暫估泛荒償橫拒瑞憶孤鼻鬧羊呆厲衡胞零窮捨碼赫婆魂災洪腿膽津俗辯胸曉勁貧仁偶輯邦恢賴圈摸仰潤堆碰艇稍遲輛廢淨兇署壁御奉旋冬礦抬蛋晨伏吹雞倍糊秦盾杯租騎乏隆診奴攝喪汙渡旗甘耐憑紮搶緒粗肩梁幻菲皆碎宙叔岩蕩綜爬荷悉蒂返井壯薄悄掃敏礙殖詳迪矛霍允幅撒剩凱顆罵賞液番箱貼漫酸郎腰舒眉憂浮辛戀餐嚇挺勵辭艘鍵伍峰尺昨黎輩貫偵滑券崇擾憲繞趨慈喬閱汗枝拖墨脅插箭臘粉泥氏彭拔騙鳳慧媒佩憤撲齡驅惜豪掩兼躍屍肅帕駛堡屆欣惠冊儲飄桑閒慘潔蹤勃賓頻仇磨遞邪撞擬滾奏巡顏劑績貢瘋坡瞧截燃焦殿偽柳鎖逼頗昏勸呈搜勤戒駕漂飲曹朵仔柔倆孟腐幼踐籍牧涼牲佳娜濃芳稿竹腹跌邏垂遵脈貌柏獄猜憐惑陶獸帳飾貸昌敘躺鋼溝寄扶鋪鄧壽懼詢湯盜肥嘗匆輝奈扣廷澳嘛董遷凝慰厭髒騰幽怨鞋丟埋泉湧轄躲晉紫艱魏吾慌祝郵吐狠鑑曰械咬鄰赤擠彎椅陪割揭韋悟聰霧鋒梯貓祥闊譽籌叢牽鳴沈閣穆屈旨袖獵臂蛇賀柱拋鼠瑟戈牢遜邁欺噸琴衰瓶惱燕仲誘狼池疼盧仗冠粒遙呂玄塵馮撫淺敦糾鑽晶豈峽蒼噴耗凌敲菌賠塗粹扁虧寂煤熊恭濕循暖糖賦抑秩帽哀宿踏爛袁侯抖夾昆肝擦豬煉恆慎搬紐紋玻漁磁銅齒跨押怖漠疲叛遣茲祭醉拳彌斜檔稀捷膚疫腫豆削崗晃吞宏癌肚隸履漲耀扭壇撥沃繪伐堪僕郭犧殲墓僱廉契拼懲捉覆刷劫嫌瓜歇雕悶乳串娃繳喚贏蓮霸桃妥瘦搭赴嶽嘉艙俊址龐耕銳縫悔邀玲惟斥宅添挖呵訟氧浩羽斤酷掠妖禍侍乙妨貪掙汪尿莉懸唇翰倉軌枚鹽覽傅帥廟芬屏寺胖璃愚滴疏蕭姿顫醜劣柯寸扔盯辱匹俱辨餓蜂哦腔鬱潰謹糟葛苗腸忌溜鴻爵鵬鷹籠丘桂滋聊擋綱肌茨殼痕碗穴膀卓賢臥膜毅錦欠哩函茫昂薛皺誇豫胃舌剝傲拾窩睜攜陵哼棉晴鈴填飼渴吻扮逆脆喘罩卜爐柴愉繩胎蓄眠竭餵傻慕渾奸扇櫃悅攔誕飽泡賊亭夕爹酬儒姻卵氛洩桿挨僧蜜吟猩遂狹肖甜黴灘襪盆棋妝棒嶺纏祠暢泳芝晝峭棵涵寇逾湊蠟挫妾卑涯玫紡拐瞞腕傘釣鍋灌饋笨棍";

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_KR, SHIFT_JIS, WINDOWS_1252};

    const SIMPLIFIED: &str = "全党必须牢记，为什么人的问题，是检验一个政党、一个政权性质的试金石。带领人民创造美好生活，是我们党始终不渝的奋斗目标。";
    const TRADITIONAL: &str =
        "「中華民國政府」於今日發表聲明，表示將繼續推動兩岸關係和平發展，並加強與各國的經濟合作。";

    fn auto(bytes: &[u8]) -> TextDecode {
        decode_text(bytes, EncodingChoice::Auto, true).unwrap()
    }

    #[test]
    fn score_tells_chinese_from_mojibake() {
        assert!(score(SIMPLIFIED) > 0.9);
        assert!(score(TRADITIONAL) > 0.9);
        assert!(lossy_score(GB18030, &BIG5.encode(TRADITIONAL).0) < 0.3);
        assert!(lossy_score(BIG5, &GBK.encode(SIMPLIFIED).0) < 0.3);
        assert_eq!(score("plain ASCII"), 0.0);
    }

    #[test]
    fn utf8_status_classifies() {
        assert!(
            matches!(utf8_status(SIMPLIFIED.as_bytes(), true), Utf8Status::Valid(n) if n == SIMPLIFIED.len())
        );
        assert!(matches!(
            utf8_status(&GBK.encode(SIMPLIFIED).0, true),
            Utf8Status::NotUtf8
        ));
        assert!(matches!(
            utf8_status(&BIG5.encode(TRADITIONAL).0, true),
            Utf8Status::NotUtf8
        ));
        let mut damaged = SIMPLIFIED.as_bytes().to_vec();
        damaged[4] = b'x';
        assert!(matches!(utf8_status(&damaged, true), Utf8Status::Damaged));
        // A prefix cut inside a character is valid up to the cut.
        let cut = &SIMPLIFIED.as_bytes()[..4];
        assert!(matches!(utf8_status(cut, false), Utf8Status::Valid(3)));
        let whole = SIMPLIFIED.as_bytes();
        assert!(matches!(
            utf8_status(&whole[..whole.len() - 1], true),
            Utf8Status::Damaged
        ));
    }

    #[test]
    fn boms_are_sniffed() {
        assert_eq!(sniff_bom(b"\xEF\xBB\xBFx"), Some((UTF_8, 3)));
        assert_eq!(sniff_bom(b"\xFF\xFEx\x00"), Some((UTF_16LE, 2)));
        assert_eq!(sniff_bom(b"\xFE\xFF\x00x"), Some((UTF_16BE, 2)));
        assert_eq!(sniff_bom(b"\x84\x31\x95\x33"), Some((GB18030, 4)));
        assert_eq!(sniff_bom(b"\xEF\xBB"), None);
    }

    #[test]
    fn strict_decoding_finds_the_first_bad_byte() {
        let bytes = [GBK.encode("中").0.as_ref(), b"a\xFF\xFEb\x81"].concat();
        let m = decode_strict(GB18030, &bytes, true, false).unwrap_err();
        // 0xFF is bad; 0xFE 'b' is a valid pair; the final 0x81 is cut.
        assert_eq!(
            m,
            Malformed {
                count: 2,
                first_offset: 3
            }
        );
        assert_eq!(
            decode_strict(GB18030, &bytes, true, true)
                .unwrap_err()
                .first_offset,
            3
        );
        // Not the last chunk: a lead byte at the end is waiting, not bad.
        assert_eq!(
            decode_strict(GB18030, b"ab\x81", false, false).unwrap(),
            "ab"
        );
        assert_eq!(
            decode_strict(UTF_16LE, b"a\x00b", false, false).unwrap(),
            "a"
        );
        let m = decode_strict(UTF_16LE, b"a\x00b", true, false).unwrap_err();
        assert_eq!(
            m,
            Malformed {
                count: 1,
                first_offset: 2
            }
        );
    }

    #[test]
    fn short_chinese_snippets_are_detected() {
        for s in ["中文", "中华人民共和国", "第一章", "。"] {
            assert_eq!(auto(&GBK.encode(s).0).text, s);
        }
        for s in ["中文", "中華民國", "臺灣", "。"] {
            let d = auto(&BIG5.encode(s).0);
            assert_eq!((d.text.as_str(), d.encoding.as_str()), (s, "Big5"));
        }
    }

    #[test]
    fn other_encodings_from_chardetng_are_kept() {
        let cases = [
            (EUC_KR, "한국어 텍스트입니다. 이것은 시험입니다."),
            (SHIFT_JIS, "日本語のテキストです。これはテストです。"),
            (
                WINDOWS_1252,
                "Café au lait, résumé — naïve façade. Ça va très bien!",
            ),
        ];
        for (enc, s) in cases {
            let d = auto(&enc.encode(s).0);
            assert_eq!((d.text.as_str(), d.encoding.as_str()), (s, enc.name()));
        }
    }

    #[test]
    fn western_text_is_read_with_a_notice_random_bytes_are_not() {
        let latin = WINDOWS_1252
            .encode("Déclaration commune: la coopération économique entre les deux pays sera renforcée à l'avenir, déclare le ministère.")
            .0
            .into_owned();
        let d = auto(&latin);
        assert_eq!(d.encoding, "windows-1252");
        assert!(
            d.notice
                .as_deref()
                .is_some_and(|n| n.contains("no Chinese"))
        );
        assert!(looks_like_letters("coopération économique"));
        assert!(!looks_like_letters("Ã¿Â§Ã¦Â¤Â±Â¶Ã\u{1}\u{2}Â¨Â©"));
    }

    #[test]
    fn utf32_with_a_bom_is_decoded_and_utf16_full_of_nuls_is_not_text() {
        let mut le = vec![0xFF, 0xFE, 0, 0];
        for c in SIMPLIFIED.chars() {
            le.extend((c as u32).to_le_bytes());
        }
        let d = auto(&le);
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            (SIMPLIFIED, "UTF-32LE")
        );
        // Forced UTF-16LE on the same bytes gives NULs: refused as binary, never text.
        assert!(matches!(
            decode_text(&le, EncodingChoice::Utf16Le, true),
            Err(ImportError::Binary { .. })
        ));
        le.push(0x41);
        assert!(matches!(
            decode_text(&le, EncodingChoice::Auto, true),
            Err(ImportError::Undecodable { .. })
        ));
    }

    #[test]
    fn mixed_lines_are_decoded_each_in_its_own_encoding() {
        let mut bytes = "第一行是统一码。\n".as_bytes().to_vec();
        bytes.extend_from_slice(&GBK.encode("第二行是国标码，后面还有几句话。\n").0);
        bytes.extend_from_slice("第三行又是统一码。\n".as_bytes());
        let d = auto(&bytes);
        assert_eq!(
            d.text,
            "第一行是统一码。\n第二行是国标码，后面还有几句话。\n第三行又是统一码。\n"
        );
        let n = d.notice.unwrap();
        assert!(n.contains("changes at line 2"), "{n}");
        // GBK then UTF-8 on one line, no line break between: each part in its encoding.
        let mut one_line = GBK.encode("第一部分是国标码，").0.into_owned();
        one_line.extend_from_slice("第二部分是统一码。".as_bytes());
        let d = auto(&one_line);
        assert_eq!(d.text, "第一部分是国标码，第二部分是统一码。");
        let n = d.notice.unwrap();
        assert!(n.contains("mixes two encodings"), "{n}");
        // Two bytes of a UTF-8 line damaged into a GBK pair by chance: damage, not a mix.
        let mut hurt = SIMPLIFIED.repeat(3).into_bytes();
        hurt[10] = b'A';
        hurt[11] = b'A';
        assert!(matches!(
            decode_text(&hurt, EncodingChoice::Auto, true),
            Err(ImportError::Undecodable { .. })
        ));
        // And UTF-8 then GBK then UTF-8 again.
        let mut sandwich = "开头是统一码，".as_bytes().to_vec();
        sandwich.extend_from_slice(&GBK.encode("中间是国标码，").0);
        sandwich.extend_from_slice("结尾又是统一码。".as_bytes());
        assert_eq!(
            auto(&sandwich).text,
            "开头是统一码，中间是国标码，结尾又是统一码。"
        );
        // Damaged UTF-8 (one bad byte) is still reported as damaged, not "mixed".
        let mut damaged = SIMPLIFIED.repeat(3).into_bytes();
        damaged[10] = 0xFF;
        assert!(matches!(
            decode_text(&damaged, EncodingChoice::Auto, true),
            Err(ImportError::Undecodable { .. })
        ));
    }
}
