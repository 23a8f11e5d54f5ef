//! 避头尾 for the reading view: Chinese line breaking that keeps opening marks (“‘《（〔【「『)
//! off the end of a line and never splits —— or …….
//!
//! egui already keeps closing punctuation (，。、；：？！”’》） …) off the start of a line, but
//! it allows a break after any non-CJK character that precedes a CJK one, so an opening mark can
//! end a line. The reader lays a paragraph out once, finds such line ends here, and lays it out
//! again with a line break before the offending mark. The breaks exist only in what is drawn:
//! [`Breaks`] maps between the text's chars and the drawn ones.

use std::ops::Range;

use egui::Galley;

/// Marks that open: they belong at the start of what follows.
pub const OPENING: &str = "“‘《〈（(〔［[【「『｛{〖";

/// Chars that come in pairs which must stay on one line (—— and ……).
const PAIRED: &str = "—…";

/// Line breaks inserted into a paragraph, as paragraph-relative char positions of the text:
/// a break at `b` puts the text's char `b` at the start of a new drawn line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breaks(Vec<usize>);

impl Breaks {
    /// No breaks.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The drawn position of the text's char `x`.
    pub fn shown(&self, x: usize) -> usize {
        x + self.0.partition_point(|&b| b <= x)
    }

    /// A range of the text's chars in drawn positions.
    pub fn range(&self, r: &Range<usize>) -> Range<usize> {
        self.shown(r.start)..self.shown(r.end)
    }

    /// The text's char at drawn position `d` (an inserted break counts as the char after it).
    pub fn text(&self, d: usize) -> usize {
        let before = self
            .0
            .iter()
            .enumerate()
            .take_while(|(i, b)| *b + i < d)
            .count();
        d - before
    }

    /// `text` with a `\n` before each break.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.0.len());
        let mut next = self.0.iter().peekable();
        for (i, c) in text.chars().enumerate() {
            while next.peek().is_some_and(|&&b| b == i) {
                out.push('\n');
                next.next();
            }
            out.push(c);
        }
        out
    }
}

/// Where a laid-out paragraph (of text without line breaks of its own) needs a break: before
/// a run of opening marks that ends a line, and before the first half of a —— or …… split
/// across two lines. Empty when the layout is already right.
pub fn breaks(galley: &Galley) -> Breaks {
    let mut out = Vec::new();
    let mut offset = 0usize;
    let rows = &galley.rows;
    for (i, row) in rows.iter().enumerate() {
        let glyphs = &row.row.glyphs;
        let len = row.char_count_including_newline().0;
        let wrapped = !row.ends_with_newline && i + 1 < rows.len();
        if wrapped && !glyphs.is_empty() {
            let chars: Vec<char> = glyphs.iter().map(|g| g.chr).collect();
            // A run of opening marks at the end of the line moves down with what it opens.
            let run = chars
                .iter()
                .rev()
                .take_while(|c| OPENING.contains(**c))
                .count();
            let last = *chars.last().expect("not empty");
            let next_first = rows[i + 1].row.glyphs.first().map(|g| g.chr);
            let at = if run > 0 && run < chars.len() {
                Some(chars.len() - run)
            } else if PAIRED.contains(last) && next_first == Some(last) && chars.len() > 1 {
                Some(chars.len() - 1)
            } else {
                None
            };
            if let Some(at) = at {
                out.push(offset + at);
            }
        }
        offset += len;
    }
    Breaks(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_map_between_text_and_drawn_positions() {
        let b = Breaks(vec![2, 5]);
        assert_eq!(b.apply("一二“三四《五六"), "一二\n“三四\n《五六");
        // Text 0 1 | 2 3 4 | 5 6  →  drawn 0 1 (2=\n) 3 4 5 (6=\n) 7 8
        assert_eq!(b.shown(0), 0);
        assert_eq!(b.shown(2), 3);
        assert_eq!(b.shown(5), 7);
        assert_eq!(b.text(3), 2);
        assert_eq!(
            b.text(2),
            2,
            "the inserted break stands for the char after it"
        );
        assert_eq!(b.text(8), 6);
        for x in 0..7 {
            assert_eq!(b.text(b.shown(x)), x);
        }
        assert_eq!(b.range(&(1..6)), 1..8);
    }

    #[test]
    fn an_opening_mark_never_ends_a_line() {
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::ui::fonts::font_definitions());
        let font = egui::FontId::proportional(20.0);
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
        // Find a width at which egui itself ends a line with “, then check the fix.
        let text = "他在会议上强调了一个问题，指出“必须坚持以人民为中心的发展思想”，这是根本。";
        let mut seen = false;
        for w in 60..400 {
            let layout = |t: &str| {
                ctx.fonts_mut(|f| {
                    let mut job = egui::text::LayoutJob::simple(
                        t.to_string(),
                        font.clone(),
                        egui::Color32::WHITE,
                        w as f32,
                    );
                    job.wrap.max_width = w as f32;
                    f.layout_job(job)
                })
            };
            let g = layout(text);
            let b = breaks(&g);
            if b.is_empty() {
                continue;
            }
            seen = true;
            let fixed = layout(&b.apply(text));
            for (i, row) in fixed.rows.iter().enumerate() {
                if i + 1 < fixed.rows.len() && !row.ends_with_newline {
                    let last = row.row.glyphs.last().map(|g| g.chr);
                    assert!(
                        !last.is_some_and(|c| OPENING.contains(c)),
                        "width {w}: a line ends with {last:?}"
                    );
                }
            }
        }
        assert!(seen, "some width made egui end a line with “");
    }
}
