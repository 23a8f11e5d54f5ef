//! Hard-wrapped text: text copied out of a PDF viewer or an e-mail breaks every 30–40
//! characters, mid-sentence. Such a text is recognised by most of its lines ending at nearly
//! the same width, mostly not at the end of a sentence, with no line much wider; its lines are
//! rejoined into paragraphs (Chinese lines without a space, Latin ones with one). A paragraph
//! ends at a short line, a blank line, or before an indented line.

use super::layout::join_into;

/// Whether to rejoin hard-wrapped lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reflow {
    /// Rejoin when the text looks hard-wrapped.
    #[default]
    Auto,
    /// Always rejoin lines that reach the text's usual width.
    On,
    /// Keep every line as it is.
    Off,
}

impl Reflow {
    /// Every choice, in menu order.
    pub const ALL: [Reflow; 3] = [Reflow::Auto, Reflow::On, Reflow::Off];

    /// "auto", "on", "off".
    pub fn label(self) -> &'static str {
        match self {
            Reflow::Auto => "auto",
            Reflow::On => "on",
            Reflow::Off => "off",
        }
    }
}

impl std::str::FromStr for Reflow {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Reflow::Auto),
            "on" | "yes" | "true" => Ok(Reflow::On),
            "off" | "no" | "false" => Ok(Reflow::Off),
            other => Err(format!(
                "unknown reflow mode \"{other}\" (use auto, on or off)"
            )),
        }
    }
}

/// What rejoining did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reflowed {
    /// The usual width of the wrapped lines, in Chinese characters (two columns each).
    pub width: usize,
    /// Lines before.
    pub lines: usize,
    /// Paragraphs after.
    pub paragraphs: usize,
}

/// How line widths are measured: display columns (two for a Chinese character, one for a
/// digit or a Latin letter: how a page or a viewer wraps) or characters (how some tools wrap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Columns,
    Chars,
}

impl Measure {
    fn width(self, line: &str) -> usize {
        match self {
            Measure::Columns => line
                .chars()
                .map(|c| if super::layout::spaceless(c) { 2 } else { 1 })
                .sum(),
            Measure::Chars => line.chars().count(),
        }
    }

    /// How far below the width a line still counts as full.
    fn slack(self) -> usize {
        match self {
            Measure::Columns => 4,
            Measure::Chars => 2,
        }
    }
}

/// Whether a line ends a sentence.
fn ends_sentence(line: &str) -> bool {
    line.trim_end().chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '。' | '！'
                | '？'
                | '；'
                | '：'
                | '”'
                | '」'
                | '』'
                | '.'
                | '!'
                | '?'
                | ';'
                | ':'
                | '…'
        )
    })
}

/// Whether a line begins indented (full-width spaces, two spaces or a tab).
fn indented(line: &str) -> bool {
    line.starts_with('\u{3000}') || line.starts_with("  ") || line.starts_with('\t')
}

/// How wide a hard-wrapped text's lines are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wrap {
    measure: Measure,
    width: usize,
}

impl Wrap {
    fn full(self, line: &str) -> bool {
        self.measure.width(line) + self.measure.slack() >= self.width
    }

    /// The width in Chinese characters.
    fn chars(self) -> usize {
        match self.measure {
            Measure::Columns => self.width / 2,
            Measure::Chars => self.width,
        }
    }
}

/// The width a text is wrapped at under one measure, and how many lines reach it.
fn best_width(widths: &[usize], m: Measure) -> Option<(usize, usize)> {
    let range = match m {
        Measure::Columns => 24..=240,
        Measure::Chars => 12..=120,
    };
    // How many lines have each width (one pass), then each band is a short sum.
    let mut count = vec![0usize; range.end() + 1];
    for &w in widths {
        if w < count.len() {
            count[w] += 1;
        }
    }
    let band = |w: usize| -> usize { count[w.saturating_sub(m.slack())..=w].iter().sum() };
    range
        .map(|w| (w, band(w)))
        .max_by_key(|&(w, n)| (n, std::cmp::Reverse(w)))
}

/// How a text is wrapped, when it looks hard-wrapped: most lines end within a little of
/// one width, mostly mid-sentence, and hardly any is wider.
fn detect(text: &str) -> Option<Wrap> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() < 6 {
        return None;
    }
    // Both widths of every line, measured once.
    let (cols, chars): (Vec<usize>, Vec<usize>) = lines
        .iter()
        .map(|l| {
            l.chars().fold((0, 0), |(w, n), c| {
                (w + if super::layout::spaceless(c) { 2 } else { 1 }, n + 1)
            })
        })
        .unzip();
    let of = |m: Measure| if m == Measure::Columns { &cols } else { &chars };
    let candidates = [Measure::Columns, Measure::Chars].map(|m| (m, best_width(of(m), m)));
    let (measure, (width, full)) = candidates
        .into_iter()
        .filter_map(|(m, b)| Some((m, b?)))
        .max_by_key(|&(m, (_, n))| (n, m == Measure::Columns))?;
    let wrap = Wrap { measure, width };
    let widths = of(measure);
    let wider = widths
        .iter()
        .filter(|&&w| w > width + measure.slack())
        .count();
    let full_lines: Vec<&str> = lines
        .iter()
        .zip(widths)
        .filter(|&(_, &w)| w + measure.slack() >= width && w <= width)
        .map(|(l, _)| *l)
        .collect();
    let mid_sentence = full_lines.iter().filter(|l| !ends_sentence(l)).count();
    let wrapped = full * 2 >= lines.len()
        && full >= 4
        && mid_sentence * 3 >= full_lines.len() * 2
        && wider * 20 <= lines.len();
    wrapped.then_some(wrap)
}

/// The width a text is wrapped at, in Chinese characters, when it looks hard-wrapped.
pub fn wrap_width(text: &str) -> Option<usize> {
    detect(text).map(Wrap::chars)
}

/// Rejoins the lines of a hard-wrapped text: a line that reaches the width continues into the
/// next unless that one is indented or blank.
fn rejoin(text: &str, wrap: Wrap) -> (String, Reflowed) {
    let mut out: Vec<String> = Vec::new();
    let mut para: Option<String> = None;
    let mut prev_full = false;
    let mut lines = 0;
    for line in text.lines() {
        let line = line.trim_end();
        lines += 1;
        if line.is_empty() {
            out.extend(para.take());
            prev_full = false;
            continue;
        }
        match para.as_mut() {
            Some(p) if prev_full && !indented(line) => join_into(p, line),
            _ => {
                out.extend(para.take());
                para = Some(line.to_owned());
            }
        }
        prev_full = wrap.full(line);
    }
    out.extend(para);
    let paragraphs = out.len();
    (
        out.join("\n"),
        Reflowed {
            width: wrap.chars(),
            lines,
            paragraphs,
        },
    )
}

/// Applies a reflow choice: the text, and what was done when lines were rejoined.
pub fn apply(text: String, mode: Reflow) -> (String, Option<Reflowed>) {
    let width = match mode {
        Reflow::Off => None,
        Reflow::Auto => detect(&text),
        // Forced: the width most lines come close to, even if the text does not look wrapped.
        Reflow::On => detect(&text).or_else(|| usual_width(&text)),
    };
    match width {
        Some(w) => {
            let (t, r) = rejoin(&text, w);
            (t, Some(r))
        }
        None => (text, None),
    }
}

/// The width three lines in four stay within, for a forced reflow.
fn usual_width(text: &str) -> Option<Wrap> {
    let measure = Measure::Columns;
    let mut widths: Vec<usize> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(|l| measure.width(l))
        .collect();
    widths.sort_unstable();
    let width = widths
        .get(widths.len() * 3 / 4)
        .copied()
        .filter(|w| *w > 0)?;
    Some(Wrap { measure, width })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(text: &str, chars: usize) -> String {
        let mut out = String::new();
        for para in text.split('\n') {
            let cs: Vec<char> = para.chars().collect();
            for chunk in cs.chunks(chars) {
                out.extend(chunk);
                out.push('\n');
            }
        }
        out
    }

    const TEXT: &str = "　　同志们：\n　　长春市隆重召开这次全市社区建设工作会议，总结工作、研究问题、表彰先进、部署任务，这是长春市深入贯彻落实党的十六届六中全会精神、深入贯彻落实科学发展观的又一重要举措，是建设和谐社区、促进社会和谐的又一重要举措。\n　　因工作关系，长春是我到过次数最多的省会城市，我在长春受到的教育也最多，对长春的社区建设工作感受多、印象深。首先，长期以来，长春市历任领导高度重视、大力支持社区建设工作，全市各级领导都把社区建设摆在重要议事日程。";

    #[test]
    fn a_wrapped_text_is_recognised_and_rejoined() {
        let wrapped = wrap(TEXT, 30);
        assert_eq!(wrap_width(&wrapped), Some(30));
        let (text, r) = apply(wrapped.clone(), Reflow::Auto);
        assert_eq!(text, TEXT);
        let r = r.unwrap();
        assert_eq!((r.width, r.paragraphs), (30, 3));
        assert_eq!(apply(wrapped.clone(), Reflow::Off).0, wrapped);
    }

    #[test]
    fn one_paragraph_a_line_is_left_alone() {
        assert_eq!(wrap_width(TEXT), None);
        let poem = "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡\n床前明月光\n疑是地上霜\n";
        assert_eq!(wrap_width(poem), None);
        assert_eq!(apply(TEXT.to_owned(), Reflow::Auto).1, None);
    }

    #[test]
    fn latin_lines_join_with_a_space() {
        let mut s = String::new();
        for _ in 0..8 {
            s.push_str("the quick brown fox jumps over the lazy dog and\n");
        }
        s.push_str("ends.\n");
        let (t, r) = apply(s, Reflow::Auto);
        assert!(r.is_some());
        assert!(t.starts_with("the quick brown fox jumps over the lazy dog and the quick"));
        assert!(!t.contains('\n'));
    }
}
