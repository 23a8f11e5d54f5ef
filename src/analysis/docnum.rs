//! Document numbers (文号): `国发〔2006〕10号`, also written `国发[2O06]10号`,
//! `国办发（1996）54号`, `国发【２００６】１０号` … normalised to `prefix〔YYYY〕N号`.

use super::text::is_cjk;

const OPEN: &[char] = &['〔', '[', '［', '(', '（', '【'];
const CLOSE: &[char] = &['〕', ']', '］', ')', '）', '】'];

/// Chars that end an issuer prefix when walking back from the bracket.
const PREFIX_STOP: &str = "的了和与及按照据依见即为是在将把由对第件以或等号经请";
/// Longest issuer prefix (e.g. `国办发`, `京政办发`, `中办发`).
const MAX_PREFIX: usize = 6;

/// A document number found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocNum {
    pub start: usize,
    /// Just past `号`.
    pub end: usize,
    pub norm: String,
}

/// Maps a year char to `0-9` or `x`, with its kind: 0 digit, 1 look-alike letter, 2 placeholder.
fn year_char(c: char) -> Option<(char, u8)> {
    match c {
        '0'..='9' => Some((c, 0)),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).map(|d| (d, 0)),
        'O' | 'o' | 'Ｏ' | '〇' | '○' => Some(('0', 1)),
        'l' | 'I' | 'ｌ' | 'Ｉ' => Some(('1', 1)),
        'x' | 'X' | 'ｘ' | 'Ｘ' => Some(('x', 2)),
        _ => None,
    }
}

/// Parses `〔YYYY〕N号` from the bracket at `b`: (year, number, index past `号`).
fn bracket_part(chars: &[char], b: usize) -> Option<(String, String, usize)> {
    if !OPEN.contains(chars.get(b)?) {
        return None;
    }
    let mut year = String::new();
    let mut digits = 0;
    let mut k = b + 1;
    while k < chars.len() && k < b + 5 {
        let (d, kind) = year_char(chars[k])?;
        if kind == 0 {
            digits += 1;
        }
        year.push(d);
        k += 1;
    }
    if year.chars().count() != 4 || digits < 2 || !CLOSE.contains(chars.get(k)?) {
        return None;
    }
    k += 1;
    let mut num = String::new();
    let mut real = 0;
    while k < chars.len() && num.len() < 6 {
        match year_char(chars[k]) {
            Some((d, kind)) if kind < 2 => {
                if kind == 0 {
                    real += 1;
                }
                num.push(d);
                k += 1;
            }
            _ => break,
        }
    }
    if real == 0 || chars.get(k) != Some(&'号') {
        return None;
    }
    let num = num.trim_start_matches('0');
    let num = if num.is_empty() { "0" } else { num };
    Some((year, num.to_string(), k + 1))
}

/// Start of the issuer prefix ending just before `b`.
fn prefix_start(chars: &[char], b: usize) -> Option<usize> {
    let mut s = b;
    while s > 0 && b - s < MAX_PREFIX {
        let c = chars[s - 1];
        if !is_cjk(c) || PREFIX_STOP.contains(c) {
            break;
        }
        s -= 1;
    }
    (s < b).then_some(s)
}

fn format(prefix: &str, year: &str, num: &str) -> String {
    format!("{prefix}〔{year}〕{num}号")
}

/// Normalises a document number: `国发[2O06]10号` → `国发〔2006〕10号`.
///
/// Accepts `〔〕 [] ［］ () （） 【】`, full-width digits, and `O`/`o` → `0`, `l`/`I` → `1`
/// inside the year and number; a placeholder year keeps its `x` (`国发〔20xx〕14号`).
/// `None` when `s` (trimmed) is not exactly one document number.
pub fn normalize_doc_number(s: &str) -> Option<String> {
    let chars: Vec<char> = s.trim().chars().collect();
    let b = chars.iter().position(|c| OPEN.contains(c))?;
    if b == 0 || !chars[..b].iter().all(|&c| is_cjk(c)) {
        return None;
    }
    let (year, num, end) = bracket_part(&chars, b)?;
    if end != chars.len() {
        return None;
    }
    let prefix: String = chars[..b].iter().collect();
    Some(format(&prefix, &year, &num))
}

/// All document numbers in the text, in order.
pub(crate) fn scan(chars: &[char]) -> Vec<DocNum> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        if OPEN.contains(&chars[i])
            && let Some(s) = prefix_start(chars, i)
            && let Some((year, num, end)) = bracket_part(chars, i)
        {
            let prefix: String = chars[s..i].iter().collect();
            out.push(DocNum {
                start: s,
                end,
                norm: format(&prefix, &year, &num),
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_all_bracket_forms() {
        for s in [
            "国发[2O06]10号",
            "国发〔2006〕10号",
            "国发［２００６］１０号",
            "国发(2006)10号",
            "国发（2006）10号",
            "国发【2006】10号",
            " 国发[2OO6]l0号 ",
        ] {
            assert_eq!(
                normalize_doc_number(s).as_deref(),
                Some("国发〔2006〕10号"),
                "{s}"
            );
        }
        assert_eq!(
            normalize_doc_number("国发[20xx]14号").as_deref(),
            Some("国发〔20xx〕14号")
        );
        assert_eq!(
            normalize_doc_number("国办发〔1996〕54号").as_deref(),
            Some("国办发〔1996〕54号")
        );
        assert_eq!(normalize_doc_number("〔2006〕10号"), None);
        assert_eq!(normalize_doc_number("国发〔2006〕10"), None);
        assert_eq!(normalize_doc_number("国发〔2006〕10号文件"), None);
    }

    #[test]
    fn scans_in_text() {
        let chars: Vec<char> = "按照《通知》（国办发〔1996〕54号）和国办发[1994]36号精神"
            .chars()
            .collect();
        let found = scan(&chars);
        let norms: Vec<&str> = found.iter().map(|d| d.norm.as_str()).collect();
        assert_eq!(norms, ["国办发〔1996〕54号", "国办发〔1994〕36号"]);
        assert_eq!(found[0].start, 7);
    }
}
