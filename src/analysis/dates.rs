//! Dates written with Arabic or Chinese numerals: `2006年10月11日`, `二〇一九年三月十二日`,
//! damaged years (`2O06年`, read as 2006) and placeholder years (`20xx年`, no ISO date).

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateMatch {
    /// ISO date as precise as the text, `None` for a placeholder year or a month–day with no
    /// known year.
    pub iso: Option<String>,
    /// Chars consumed.
    pub len: usize,
    /// The year, when readable.
    pub year: Option<i32>,
}

fn arabic(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Letters that OCR or typists put in place of digits.
fn look_alike(c: char) -> Option<u32> {
    match c {
        'O' | 'o' | 'Ｏ' => Some(0),
        'l' | 'I' => Some(1),
        _ => None,
    }
}

fn chinese(c: char) -> Option<u32> {
    match c {
        '〇' | '零' | '○' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

fn numeric_like(c: char) -> bool {
    arabic(c).is_some() || c.is_ascii_alphabetic() || chinese(c).is_some() || c == '十'
}

enum Year {
    Known(i32),
    Placeholder,
}

/// A four-char year followed by `年`, starting at `i`.
fn year_at(chars: &[char], i: usize) -> Option<(Year, usize)> {
    if i > 0 && numeric_like(chars[i - 1]) {
        return None;
    }
    if chars.get(i + 4) != Some(&'年') || i + 4 > chars.len() {
        return None;
    }
    let four = &chars[i..i + 4];
    // Arabic, possibly damaged or a placeholder.
    if arabic(four[0]).is_some() {
        let mut value = 0i32;
        let mut digits = 0;
        let mut placeholder = false;
        for &c in four {
            if let Some(d) = arabic(c) {
                if placeholder {
                    return None;
                }
                digits += 1;
                value = value * 10 + d as i32;
            } else if let Some(d) = look_alike(c) {
                if placeholder {
                    return None;
                }
                value = value * 10 + d as i32;
            } else if matches!(c, 'x' | 'X' | 'ｘ' | 'Ｘ') {
                placeholder = true;
            } else {
                return None;
            }
        }
        if digits < 2 {
            return None;
        }
        let year = if placeholder {
            Year::Placeholder
        } else {
            Year::Known(value)
        };
        return Some((year, 5));
    }
    let mut value = 0i32;
    for &c in four {
        value = value * 10 + chinese(c)? as i32;
    }
    Some((Year::Known(value), 5))
}

/// A month or day number (1–31) at `i`: one or two Arabic digits or Chinese numerals.
fn small_num(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let c = *chars.get(i)?;
    if let Some(d) = arabic(c) {
        if let Some(e) = chars.get(i + 1).and_then(|&c| arabic(c)) {
            return Some((d * 10 + e, 2));
        }
        return Some((d, 1));
    }
    let mut k = i;
    let mut tens: Option<u32> = None;
    let mut units: Option<u32> = None;
    while k < chars.len() && k < i + 3 {
        let c = chars[k];
        if c == '十' {
            if tens.is_some() {
                return None;
            }
            tens = Some(units.take().unwrap_or(1));
        } else if let Some(d) = chinese(c) {
            if units.is_some() {
                return None;
            }
            units = Some(d);
        } else {
            break;
        }
        k += 1;
    }
    if k == i {
        return None;
    }
    Some((tens.unwrap_or(0) * 10 + units.unwrap_or(0), k - i))
}

fn month_day(chars: &[char], k: usize) -> (Option<u32>, Option<u32>, usize) {
    let mut used = 0;
    let mut month = None;
    let mut day = None;
    if let Some((m, ml)) = small_num(chars, k)
        && chars.get(k + ml) == Some(&'月')
        && (1..=12).contains(&m)
    {
        month = Some(m);
        used = ml + 1;
        if let Some((d, dl)) = small_num(chars, k + used)
            && matches!(chars.get(k + used + dl), Some('日' | '号'))
            && (1..=31).contains(&d)
        {
            day = Some(d);
            used += dl + 1;
        }
    }
    (month, day, used)
}

fn iso(year: i32, month: Option<u32>, day: Option<u32>) -> String {
    match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    }
}

/// A date starting at `i`. A month–day without a year takes `known_year` when given.
pub(crate) fn scan_date_at(chars: &[char], i: usize, known_year: Option<i32>) -> Option<DateMatch> {
    if let Some((year, ylen)) = year_at(chars, i) {
        let (month, day, used) = month_day(chars, i + ylen);
        let (iso, year) = match year {
            Year::Known(y) => (Some(iso(y, month, day)), Some(y)),
            Year::Placeholder => (None, None),
        };
        return Some(DateMatch {
            iso,
            len: ylen + used,
            year,
        });
    }
    if i > 0 && numeric_like(chars[i - 1]) {
        return None;
    }
    let (month, day, used) = month_day(chars, i);
    if month.is_some() && day.is_some() {
        return Some(DateMatch {
            iso: known_year.map(|y| iso(y, month, day)),
            len: used,
            year: known_year,
        });
    }
    None
}

/// Parses a date at the start of `s`: `2006年10月11日`, `2006年10月`, `2006年`,
/// `二〇一九年三月十二日`, `一九九七年`. Returns the ISO form (as precise as written) and the
/// number of chars consumed. Digit look-alike letters in the year are read as digits
/// (`2O06年` → `2006`). `None` without a readable year (`十月十一日`, `20xx年`).
pub fn parse_date(s: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = s.chars().collect();
    let m = scan_date_at(&chars, 0, None)?;
    m.year?;
    Some((m.iso?, m.len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_dates() {
        assert_eq!(
            parse_date("2006年10月11日，"),
            Some(("2006-10-11".into(), 11))
        );
        assert_eq!(parse_date("2006年10月"), Some(("2006-10".into(), 8)));
        assert_eq!(parse_date("2006年上半年"), Some(("2006".into(), 5)));
        assert_eq!(parse_date("２００６年３月"), Some(("2006-03".into(), 7)));
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(
            parse_date("二〇一九年三月十二日"),
            Some(("2019-03-12".into(), 10))
        );
        assert_eq!(parse_date("一九九七年"), Some(("1997".into(), 5)));
        assert_eq!(
            parse_date("一九九七年二月二十四日"),
            Some(("1997-02-24".into(), 11))
        );
        assert_eq!(
            parse_date("一九九七年十二月三十一日").unwrap().0,
            "1997-12-31"
        );
    }

    #[test]
    fn without_year_or_damaged() {
        assert_eq!(parse_date("十月十一日"), None);
        assert_eq!(parse_date("20xx年2月"), None);
        assert_eq!(parse_date("2O06年10月"), Some(("2006-10".into(), 8)));
        assert_eq!(parse_date("2006年13月").map(|d| d.0), Some("2006".into()));
        let chars: Vec<char> = "十月十一日".chars().collect();
        assert_eq!(
            scan_date_at(&chars, 0, Some(2006)).and_then(|d| d.iso),
            Some("2006-10-11".into())
        );
        let chars: Vec<char> = "20xx年11月23日".chars().collect();
        let m = scan_date_at(&chars, 0, None).unwrap();
        assert_eq!((m.iso, m.len), (None, 11));
    }

    #[test]
    fn not_inside_numbers() {
        assert_eq!(parse_date("12006年"), None);
        let chars: Vec<char> = "12006年".chars().collect();
        assert!(scan_date_at(&chars, 1, None).is_none());
    }
}
