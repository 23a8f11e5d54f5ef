//! The reading view: a document's paragraphs, virtualised, with paragraph numbers in the
//! margin and a mouse selection that can span paragraphs.
//!
//! Only the paragraphs in view are laid out each frame. Paragraph heights start as estimates
//! (CJK glyphs are one em wide) and are replaced by measured heights as paragraphs come into
//! view, so a 1 MB document opens without laying out all of it.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{
    Align2, Color32, CursorIcon, FontId, Galley, Pos2, Rect, ScrollArea, Sense, Ui, Vec2, pos2,
    vec2,
};

use crate::model::{CharIndex, Document, Paragraph, segment_paragraphs};

/// A selection in char offsets of the document: `anchor` is where the drag started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: usize,
    /// Where it ends now (the moving end).
    pub head: usize,
}

impl Selection {
    /// The selected range, ordered.
    pub fn range(&self) -> Range<usize> {
        self.anchor.min(self.head)..self.anchor.max(self.head)
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.anchor == self.head
    }
}

/// Per-document view state, derived from the text plus what the user did in the view.
pub struct ReaderState {
    text_key: (usize, usize),
    /// The document's paragraphs.
    pub paragraphs: Vec<Paragraph>,
    /// Char ↔ byte conversion for the document's text.
    pub index: CharIndex,
    heights: Vec<f32>,
    tops: Vec<f32>,
    tops_dirty: bool,
    layout_key: (u32, u32),
    /// The current selection, if any.
    pub selection: Option<Selection>,
    /// Scroll so that this paragraph is at the top on the next frame.
    pub scroll_to: Option<usize>,
    /// Screen rectangles of the paragraphs drawn in the last frame (index, text rect).
    pub visible: Vec<(usize, Rect)>,
}

/// Key that changes whenever a document's text is replaced.
fn text_key(doc: &Document) -> (usize, usize) {
    (doc.text.as_ptr() as usize, doc.text.len())
}

impl ReaderState {
    /// Builds the view state for a document (paragraphs and char index: one pass each).
    pub fn new(doc: &Document) -> Self {
        let paragraphs = segment_paragraphs(&doc.text);
        let n = paragraphs.len();
        ReaderState {
            text_key: text_key(doc),
            index: CharIndex::new(&doc.text),
            paragraphs,
            heights: vec![0.0; n],
            tops: vec![0.0; n],
            tops_dirty: true,
            layout_key: (0, 0),
            selection: None,
            scroll_to: None,
            visible: Vec::new(),
        }
    }

    /// Whether this state was built from the document's current text.
    pub fn is_current(&self, doc: &Document) -> bool {
        self.text_key == text_key(doc)
    }

    /// The selected text, if the selection is not empty.
    pub fn selected_text<'t>(&self, text: &'t str) -> Option<&'t str> {
        let sel = self.selection.filter(|s| !s.is_empty())?;
        Some(self.index.slice(text, sel.range()))
    }

    /// Selects the whole document.
    pub fn select_all(&mut self) {
        self.selection = Some(Selection {
            anchor: 0,
            head: self.index.char_len(),
        });
    }

    /// Index of the paragraph containing (or following) char `pos`.
    pub fn paragraph_at(&self, pos: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.chars.end < pos)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    fn estimate_heights(&mut self, text_size: f32, row_height: f32, wrap: f32, gap: f32) {
        let per_row = (wrap / text_size).floor().max(1.0);
        for (h, p) in self.heights.iter_mut().zip(&self.paragraphs) {
            let rows = (p.len_chars() as f32 / per_row).ceil().max(1.0);
            *h = rows * row_height + gap;
        }
        self.tops_dirty = true;
    }

    fn update_tops(&mut self) {
        if !self.tops_dirty {
            return;
        }
        let mut y = 0.0;
        for (t, h) in self.tops.iter_mut().zip(&self.heights) {
            *t = y;
            y += h;
        }
        self.tops_dirty = false;
    }

    fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0) + self.heights.last().copied().unwrap_or(0.0)
    }
}

/// Colours and sizes for one frame of the reader.
struct Look {
    font: FontId,
    number_font: FontId,
    text: Color32,
    weak: Color32,
    selection: Color32,
    wrap: f32,
    margin: f32,
    gap: f32,
}

fn paragraph_job(text: &str, selected: Option<Range<usize>>, look: &Look) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.wrap.max_width = look.wrap;
    let plain = TextFormat {
        font_id: look.font.clone(),
        color: look.text,
        ..Default::default()
    };
    match selected {
        Some(r) if r.start < r.end => {
            let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
            let (a, b) = (byte(r.start), byte(r.end));
            let sel = TextFormat {
                background: look.selection,
                ..plain.clone()
            };
            job.append(&text[..a], 0.0, plain.clone());
            job.append(&text[a..b], 0.0, sel);
            job.append(&text[b..], 0.0, plain);
        }
        _ => job.append(text, 0.0, plain),
    }
    job
}

/// Char offset in the document under `pos`, from the paragraphs drawn this frame.
fn hit_test(
    drawn: &[(usize, Rect, Arc<Galley>)],
    paragraphs: &[Paragraph],
    pos: Pos2,
) -> Option<usize> {
    let first = drawn.first()?;
    if pos.y < first.1.min.y {
        return Some(paragraphs[first.0].chars.start);
    }
    for (i, rect, galley) in drawn {
        if pos.y < rect.min.y {
            return Some(paragraphs[*i].chars.start);
        }
        if pos.y <= rect.max.y {
            let c = galley.cursor_from_pos(pos - rect.min);
            return Some(paragraphs[*i].chars.start + c.index.0.min(paragraphs[*i].len_chars()));
        }
    }
    drawn.last().map(|(i, _, _)| paragraphs[*i].chars.end)
}

/// The sentence around char `pos` (between 。！？；… and line ends).
fn sentence_around(text: &str, index: &CharIndex, para: &Paragraph, pos: usize) -> Range<usize> {
    let chars: Vec<char> = text[para.bytes.clone()].chars().collect();
    let rel = pos.saturating_sub(para.chars.start).min(chars.len());
    let ends = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';');
    let mut a = rel;
    while a > 0 && !ends(chars[a - 1]) {
        a -= 1;
    }
    let mut b = rel;
    while b < chars.len() && !ends(chars[b]) {
        b += 1;
    }
    if b < chars.len() {
        b += 1;
        // keep a closing quotation mark with its sentence
        while b < chars.len() && matches!(chars[b], '”' | '’' | '」' | '』' | '）') {
            b += 1;
        }
    }
    let _ = index;
    para.chars.start + a..para.chars.start + b
}

/// Shows the document; mouse drags select text (across paragraphs), double-click selects a
/// sentence, Shift+click extends the selection.
pub fn show(ui: &mut Ui, doc: &Document, st: &mut ReaderState, text_size: f32) {
    let visuals = ui.visuals().clone();
    let font = FontId::proportional(text_size);
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let number_font = FontId::proportional((text_size * 0.7).max(9.0));
    let digits = st.paragraphs.len().max(1).to_string().len() as f32;
    let margin = digits * number_font.size * 0.65 + 28.0;
    let avail = ui.available_width();
    let wrap = (avail - margin - 28.0).clamp(8.0 * text_size, 48.0 * text_size);
    let look = Look {
        font,
        number_font,
        text: visuals.text_color(),
        weak: visuals.weak_text_color(),
        selection: visuals.selection.bg_fill,
        wrap,
        margin,
        gap: (row_height * 0.55).round(),
    };

    let key = (wrap.to_bits(), text_size.to_bits());
    if key != st.layout_key {
        st.layout_key = key;
        st.estimate_heights(text_size, row_height, wrap, look.gap);
    }
    st.update_tops();

    let mut area = ScrollArea::vertical()
        .id_salt(("reader", doc.id.0))
        .auto_shrink([false, false])
        .scroll_source(
            egui::scroll_area::ScrollSource::SCROLL_BAR
                | egui::scroll_area::ScrollSource::MOUSE_WHEEL,
        );
    if let Some(p) = st.scroll_to.take()
        && let Some(&y) = st.tops.get(p)
    {
        area = area.vertical_scroll_offset(y);
    }
    let total = st.total_height() + look.gap * 4.0;
    area.show_viewport(ui, |ui, viewport| {
        ui.set_min_height(total);
        ui.set_min_width(avail - 16.0);
        let origin = ui.min_rect().min + vec2(0.0, look.gap);
        let painter = ui.painter().clone();
        let n = st.paragraphs.len();
        let first = st
            .tops
            .partition_point(|&t| t < viewport.min.y - look.gap)
            .saturating_sub(1);
        let sel = st.selection.map(|s| s.range());
        let mut drawn: Vec<(usize, Rect, Arc<Galley>)> = Vec::new();
        let mut y = st.tops.get(first).copied().unwrap_or(0.0);
        let mut changed = false;
        for i in first..n {
            if y > viewport.max.y {
                break;
            }
            let p = &st.paragraphs[i];
            let rel_sel = sel.as_ref().and_then(|s| {
                let a = s.start.max(p.chars.start);
                let b = s.end.min(p.chars.end);
                (a < b).then(|| a - p.chars.start..b - p.chars.start)
            });
            let job = paragraph_job(&doc.text[p.bytes.clone()], rel_sel, &look);
            let galley = painter.layout_job(job);
            let pos = origin + vec2(look.margin, y);
            painter.text(
                pos2(
                    origin.x + look.margin - 10.0,
                    pos.y + (row_height - look.number_font.size) * 0.5,
                ),
                Align2::RIGHT_TOP,
                (i + 1).to_string(),
                look.number_font.clone(),
                look.weak,
            );
            let rect = Rect::from_min_size(pos, galley.size());
            painter.galley(pos, galley.clone(), look.text);
            let h = galley.size().y + look.gap;
            if (h - st.heights[i]).abs() > 0.5 {
                st.heights[i] = h;
                changed = true;
            }
            drawn.push((i, rect, galley));
            y += h;
        }
        if changed {
            st.tops_dirty = true;
            ui.ctx().request_repaint();
        }
        st.visible = drawn.iter().map(|(i, r, _)| (*i, *r)).collect();

        // Selection with the mouse over the whole visible area.
        let area_rect = ui.clip_rect();
        let id = ui.scope_id().with("reader-select");
        let resp = ui.interact(area_rect, id, Sense::click_and_drag());
        if resp.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }
        let (pressed, shift, pointer) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.modifiers.shift,
                i.pointer.interact_pos(),
            )
        });
        if let Some(pos) = pointer {
            if resp.double_clicked() {
                if let Some(c) = hit_test(&drawn, &st.paragraphs, pos) {
                    let p = &st.paragraphs[st.paragraph_at(c)];
                    let r = sentence_around(&doc.text, &st.index, p, c);
                    st.selection = Some(Selection {
                        anchor: r.start,
                        head: r.end,
                    });
                }
            } else if pressed && resp.is_pointer_button_down_on() {
                if let Some(c) = hit_test(&drawn, &st.paragraphs, pos) {
                    st.selection = match (shift, st.selection) {
                        (true, Some(s)) => Some(Selection {
                            anchor: s.anchor,
                            head: c,
                        }),
                        _ => Some(Selection { anchor: c, head: c }),
                    };
                }
            } else if resp.dragged() || resp.drag_stopped() {
                if let Some(c) = hit_test(&drawn, &st.paragraphs, pos)
                    && let Some(s) = &mut st.selection
                {
                    s.head = c;
                }
                // Scroll while dragging above or below the view.
                let over = if pos.y < area_rect.min.y {
                    pos.y - area_rect.min.y
                } else if pos.y > area_rect.max.y {
                    pos.y - area_rect.max.y
                } else {
                    0.0
                };
                if over != 0.0 {
                    ui.scroll_with_delta(Vec2::new(0.0, -over.clamp(-40.0, 40.0)));
                    ui.ctx().request_repaint();
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocMeta, Origin};

    fn doc(text: &str) -> Document {
        Document::new(text.into(), Origin::default(), DocMeta::default())
    }

    #[test]
    fn selected_text_spans_paragraphs() {
        let d = doc("第一段文字。\n第二段文字。");
        let mut st = ReaderState::new(&d);
        assert_eq!(st.paragraphs.len(), 2);
        st.selection = Some(Selection { anchor: 9, head: 3 });
        assert_eq!(st.selected_text(&d.text), Some("文字。\n第二"));
        st.selection = Some(Selection { anchor: 4, head: 4 });
        assert_eq!(st.selected_text(&d.text), None);
        st.select_all();
        assert_eq!(st.selected_text(&d.text), Some(d.text.as_str()));
    }

    #[test]
    fn sentence_selection_keeps_the_closing_quote() {
        let d = doc("他指出：“要加强建设。”我们要落实。");
        let st = ReaderState::new(&d);
        let r = sentence_around(&d.text, &st.index, &st.paragraphs[0], 6);
        assert_eq!(st.index.slice(&d.text, r), "他指出：“要加强建设。”");
    }

    #[test]
    fn a_replaced_text_makes_the_state_stale() {
        let mut d = doc("甲");
        let st = ReaderState::new(&d);
        assert!(st.is_current(&d));
        d.text = "乙乙".into();
        assert!(!st.is_current(&d));
    }
}
