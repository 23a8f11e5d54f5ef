//! Text hygiene: digit/letter confusion in numbers (`2O06`), placeholder years (`20xx`), and
//! web-page debris (`看过……的人还看了` with its list of links, `相关阅读`, `责任编辑` …).

use super::Warning;
use super::text::collect;

fn warning(kind: &str, chars: &[char], a: usize, b: usize, suggestion: Option<String>) -> Warning {
    Warning {
        kind: kind.to_string(),
        text: collect(chars, a, b),
        start: a,
        end: b,
        suggestion,
    }
}

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

fn look_alike(c: char) -> Option<char> {
    match c {
        'O' | 'o' => Some('0'),
        'l' | 'I' => Some('1'),
        _ => None,
    }
}

fn is_x(c: char) -> bool {
    matches!(c, 'x' | 'X' | 'ｘ' | 'Ｘ')
}

/// `2O06`, `20O7`, `l0`: runs of digits and look-alike letters (not part of a Latin word)
/// with at least as many real digits as letters; and `20xx`, `200x` placeholder years.
fn numbers(chars: &[char], out: &mut Vec<Warning>) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if digit(c).is_none() && look_alike(c).is_none() {
            i += 1;
            continue;
        }
        let a = i;
        let mut digits = 0;
        let mut letters = 0;
        let mut fixed = String::new();
        while i < n {
            if let Some(d) = digit(chars[i]) {
                digits += 1;
                fixed.push(d);
            } else if let Some(d) = look_alike(chars[i]) {
                letters += 1;
                fixed.push(d);
            } else {
                break;
            }
            i += 1;
        }
        let b = i;
        let latin_before = a > 0 && chars[a - 1].is_ascii_alphabetic();
        // Placeholder: 2–3 digits then x's, four chars in all.
        if letters == 0 && (2..=3).contains(&digits) && !latin_before {
            let mut e = b;
            while e < n && e - a < 4 && is_x(chars[e]) {
                e += 1;
            }
            let after_ok = chars.get(e).is_none_or(|c| !c.is_ascii_alphanumeric());
            if e - a == 4 && e > b && after_ok {
                out.push(warning("placeholder_year", chars, a, e, None));
                i = e;
                continue;
            }
        }
        let latin_after = chars.get(b).is_some_and(|c| c.is_ascii_alphabetic());
        if letters > 0 && digits > 0 && digits >= letters && !latin_before && !latin_after {
            out.push(warning("digit_letter_confusion", chars, a, b, Some(fixed)));
        }
    }
}

const BLOCK_MARKERS: &[&str] = &[
    "相关阅读",
    "推荐阅读",
    "延伸阅读",
    "相关文章",
    "相关推荐",
    "热门推荐",
    "猜你喜欢",
    "更多精彩",
    "热点推荐",
    "精彩推荐",
];
const LINE_MARKERS: &[&str] = &["责任编辑", "点击查看", "点击进入", "扫一扫", "分享到"];

/// A list line after a debris header: `1.…`, `2、…`, `·…`, or a short line without a full stop.
fn is_list_line(line: &[char]) -> bool {
    let mut k = 0;
    while k < line.len() && line[k].is_ascii_digit() {
        k += 1;
    }
    if k > 0 && k < line.len() && matches!(line[k], '.' | '、' | '．' | ')' | '）') {
        return true;
    }
    if line
        .first()
        .is_some_and(|c| matches!(c, '·' | '•' | '-' | '*' | '>'))
    {
        return true;
    }
    line.len() <= 30 && !line.iter().any(|c| matches!(c, '。' | '；'))
}

/// Chars one of which every debris marker holds.
fn marker_chars() -> &'static super::text::Bitmap {
    static SET: std::sync::OnceLock<super::text::Bitmap> = std::sync::OnceLock::new();
    SET.get_or_init(|| super::text::Bitmap::new("看阅荐章喜彩编击扫享".chars()))
}

/// Web-page debris, one warning per block.
fn boilerplate(chars: &[char], out: &mut Vec<Warning>) {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            lines.push((s, i));
            s = i + 1;
        }
    }
    lines.push((s, chars.len()));
    let trimmed = |(a, b): (usize, usize)| {
        let mut a = a;
        let mut b = b;
        while a < b && super::text::is_ws(chars[a]) {
            a += 1;
        }
        while b > a && super::text::is_ws(chars[b - 1]) {
            b -= 1;
        }
        (a, b)
    };
    let mut li = 0;
    while li < lines.len() {
        let (a, b) = trimmed(lines[li]);
        let line = &chars[a..b];
        // Every marker holds one of these chars; most lines have none, so skip them cheaply.
        if !line.iter().any(|&c| marker_chars().has(c)) {
            li += 1;
            continue;
        }
        let text: String = line.iter().collect();
        let is_seen = text.starts_with("看过") && text.contains("还看了")
            || text.contains("的人还看了")
            || text.contains("的人也看了");
        let block = is_seen || BLOCK_MARKERS.iter().any(|m| text.starts_with(m));
        let single = !block && LINE_MARKERS.iter().any(|m| text.contains(m)) && line.len() <= 60;
        if block {
            let mut end = b;
            let mut lj = li + 1;
            while lj < lines.len() {
                let (c, d) = trimmed(lines[lj]);
                if c == d {
                    // Blank line: keep going only if the list continues after it.
                    lj += 1;
                    continue;
                }
                let next: String = chars[c..d].iter().collect();
                let marker = BLOCK_MARKERS
                    .iter()
                    .chain(LINE_MARKERS)
                    .any(|m| next.contains(m));
                if marker || !is_list_line(&chars[c..d]) {
                    break;
                }
                end = d;
                lj += 1;
            }
            out.push(warning("boilerplate", chars, a, end, Some("delete".into())));
            li = lj;
            continue;
        }
        if single {
            out.push(warning("boilerplate", chars, a, b, Some("delete".into())));
        }
        li += 1;
    }
}

/// Lines that begin like the furniture of a web page or a PDF page, not like text.
const FURNITURE_STARTS: &[&str] = &[
    "当前位置",
    "您的位置",
    "你的位置",
    "来源：",
    "来源:",
    "文章来源",
    "信息来源",
    "发布时间",
    "发布日期",
    "点击数",
    "点击率",
    "浏览次数",
    "阅读次数",
    "【字号",
    "字号：",
    "字号:",
    "相关报道",
    "相关链接",
    "上一篇",
    "下一篇",
    "返回顶部",
    "打印本页",
    "关闭窗口",
    "【打印",
    "【关闭",
    "编辑：",
    "审核：",
    "审校：",
    "校对：",
    "```",
    "（来源",
    "(来源",
    "（点击下载",
    "(点击下载",
    "附件下载",
];
/// Lines that are one button or link of a page.
const FURNITURE_LINES: &[&str] = &[
    "下载",
    "打印",
    "全屏",
    "收藏",
    "分享",
    "加大",
    "还原",
    "减小",
    "】",
    "【",
    "关闭",
    "返回",
    "顶部",
    "字号",
    "大",
    "中",
    "小",
    "默认",
    "打印本页",
    "关闭窗口",
    "分享到：",
    "分享到",
];

/// Whether a (trimmed) line is page furniture: a breadcrumb, a source or date line, a
/// button, a page number (`- 3 -`, `第3页`).
fn is_furniture(line: &[char]) -> bool {
    if line.is_empty() || line.len() > 90 {
        return false;
    }
    // Every kind starts with one of these (markers, buttons, page numbers): most lines are
    // passed over without building a string.
    const FIRSTS: &str =
        "当您你来文信发点浏阅【】字相上下返打关编审校`（(附全收分加还减顶大中小默-—–第0123456789";
    if !FIRSTS.contains(line[0]) {
        return false;
    }
    let text: String = line.iter().collect();
    if FURNITURE_STARTS.iter().any(|m| text.starts_with(m))
        || FURNITURE_LINES.contains(&text.as_str())
    {
        return true;
    }
    // Page numbers: - 3 -, — 12 —, 第3页, 第 3 页 共 9 页.
    let digits = line.iter().filter(|c| c.is_ascii_digit()).count();
    let rest: String = line
        .iter()
        .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .collect();
    digits > 0
        && digits <= 4
        && matches!(rest.as_str(), "--" | "——" | "—" | "–" | "第页" | "第页共页")
}

/// Runs of page-furniture lines, one warning per run.
fn furniture(chars: &[char], out: &mut Vec<Warning>) {
    let mut run: Option<(usize, usize)> = None;
    let mut s = 0;
    for i in 0..=chars.len() {
        if i < chars.len() && chars[i] != '\n' {
            continue;
        }
        let (mut a, mut b) = (s, i);
        while a < b && super::text::is_ws(chars[a]) {
            a += 1;
        }
        while b > a && super::text::is_ws(chars[b - 1]) {
            b -= 1;
        }
        s = i + 1;
        if a == b {
            continue;
        }
        if is_furniture(&chars[a..b]) {
            run = Some(run.map_or((a, b), |(ra, _)| (ra, b)));
        } else if let Some((ra, rb)) = run.take() {
            out.push(warning("boilerplate", chars, ra, rb, Some("delete".into())));
        }
    }
    if let Some((ra, rb)) = run {
        out.push(warning("boilerplate", chars, ra, rb, Some("delete".into())));
    }
}

/// All hygiene warnings (unordered).
pub(crate) fn scan(chars: &[char]) -> Vec<Warning> {
    let mut out = Vec::new();
    numbers(chars, &mut out);
    boilerplate(chars, &mut out);
    let before = out.len();
    furniture(chars, &mut out);
    // A line both detectors caught is reported once.
    let (old, new) = out.split_at(before);
    let keep: Vec<Warning> = new
        .iter()
        .filter(|w| !old.iter().any(|o| o.start <= w.start && w.end <= o.end))
        .cloned()
        .collect();
    out.truncate(before);
    out.extend(keep);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Vec<(String, String, Option<String>)> {
        let chars: Vec<char> = s.chars().collect();
        scan(&chars)
            .into_iter()
            .map(|w| (w.kind, w.text, w.suggestion))
            .collect()
    }

    #[test]
    fn damaged_and_placeholder_years() {
        let w = run("2O05年8月，20O7年，国发[2O06]10号，20xx年，200X年，O2O模式，Windows 2OO0");
        let kinds: Vec<(&str, &str)> = w.iter().map(|w| (w.0.as_str(), w.1.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("digit_letter_confusion", "2O05"),
                ("digit_letter_confusion", "20O7"),
                ("digit_letter_confusion", "2O06"),
                ("placeholder_year", "20xx"),
                ("placeholder_year", "200X"),
                ("digit_letter_confusion", "2OO0"),
            ]
        );
        assert_eq!(w[0].2.as_deref(), Some("2005"));
    }

    #[test]
    fn plain_numbers_are_fine() {
        assert!(run("2006年10月11日，第12次，3.5%，COVID-19").is_empty());
    }

    #[test]
    fn debris_blocks() {
        let text =
            "正文。\n看过讲话的人还看了：\n1.讲话一\n2.讲话二\n\n相关阅读\n·某某\n责任编辑：张三";
        let chars: Vec<char> = text.chars().collect();
        let w = scan(&chars);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].text, "看过讲话的人还看了：\n1.讲话一\n2.讲话二");
        assert_eq!(w[1].text, "相关阅读\n·某某");
        assert_eq!(w[2].text, "责任编辑：张三");
    }
}
