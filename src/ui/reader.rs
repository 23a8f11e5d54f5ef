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

/// A marked passage to draw: an annotation's range and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Char range in the document.
    pub range: Range<usize>,
    /// Highlight colour (drawn translucent as background, solid as underline).
    pub color: Color32,
    /// Whether it is the selected annotation (drawn stronger).
    pub selected: bool,
    /// How it is drawn.
    pub style: MarkStyle,
    /// A symbol drawn after the passage in its colour (a directive's verification status:
    /// √ ≈ … ×), so that the status is told by more than colour.
    pub badge: Option<(&'static str, Color32)>,
}

/// How a mark is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MarkStyle {
    /// An annotation: translucent background and an underline.
    #[default]
    Highlight,
    /// An accepted directive: a box around each line of it.
    Boxed,
    /// A candidate directive not accepted yet: a dotted outline.
    Candidate,
    /// A text warning: a wavy underline (the reason on hover).
    Warning,
}

/// What to draw over the text besides the selection.
#[derive(Default)]
pub struct Overlay<'a> {
    /// Marks sorted by start.
    pub marks: &'a [Mark],
    /// Search hits sorted by start.
    pub hits: &'a [Range<usize>],
    /// The current search hit.
    pub current_hit: Option<Range<usize>>,
    /// Widest text column in characters (0: as wide as the view allows).
    pub column_chars: f32,
}

/// What happened in the reader this frame.
#[derive(Default)]
pub struct ReaderOutput {
    /// The text area's response (for a context menu).
    pub response: Option<egui::Response>,
    /// The char under the pointer, when hovering text.
    pub hover_char: Option<usize>,
    /// The char clicked (a click without a drag).
    pub clicked_char: Option<usize>,
}

/// Marks overlapping a char range: uses the running maximum of ends to stop early.
fn marks_in<'m>(marks: &'m [Mark], max_end: &[usize], range: &Range<usize>) -> Vec<&'m Mark> {
    let hi = marks.partition_point(|m| m.range.start < range.end);
    let mut out = Vec::new();
    let mut i = hi;
    while i > 0 {
        i -= 1;
        if max_end[i] <= range.start {
            break;
        }
        if marks[i].range.end > range.start && marks[i].range.start < marks[i].range.end {
            out.push(&marks[i]);
        }
    }
    out.reverse();
    out
}

/// Per-document view state, derived from the text plus what the user did in the view.
pub struct ReaderState {
    text_key: u64,
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
    /// A char to bring fully into view once its paragraph is laid out (a find hit or a jump
    /// inside a long paragraph).
    pub reveal: Option<usize>,
    /// Screen rectangles of the paragraphs drawn in the last frame (index, text rect).
    pub visible: Vec<(usize, Rect)>,
}

/// Key that changes whenever a document's text is replaced: its revision.
fn text_key(doc: &Document) -> u64 {
    doc.revision()
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
            reveal: None,
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

    /// Moves the selection's moving end by keyboard: `Left`/`Right` one char, `Up`/`Down` to
    /// the same column of the previous/next paragraph, `Home`/`End` to the paragraph's ends.
    /// With no selection, starts one at the top of the view.
    pub fn extend_selection(&mut self, key: egui::Key) {
        let len = self.index.char_len();
        let sel = self.selection.get_or_insert_with(|| {
            let start = self
                .visible
                .first()
                .map_or(0, |(i, _)| self.paragraphs[*i].chars.start);
            Selection {
                anchor: start,
                head: start,
            }
        });
        let head = sel.head;
        let para_of = |pos: usize| {
            self.paragraphs
                .partition_point(|p| p.chars.end < pos)
                .min(self.paragraphs.len().saturating_sub(1))
        };
        let new = match key {
            egui::Key::ArrowLeft => head.saturating_sub(1),
            egui::Key::ArrowRight => (head + 1).min(len),
            egui::Key::ArrowUp | egui::Key::ArrowDown if !self.paragraphs.is_empty() => {
                let i = para_of(head);
                let col = head.saturating_sub(self.paragraphs[i].chars.start);
                let j = if key == egui::Key::ArrowUp {
                    i.saturating_sub(1)
                } else {
                    (i + 1).min(self.paragraphs.len() - 1)
                };
                let p = &self.paragraphs[j];
                (p.chars.start + col).min(p.chars.end)
            }
            egui::Key::Home if !self.paragraphs.is_empty() => {
                self.paragraphs[para_of(head)].chars.start
            }
            egui::Key::End if !self.paragraphs.is_empty() => {
                self.paragraphs[para_of(head)].chars.end
            }
            _ => head,
        };
        sel.head = new;
        let p = para_of(new);
        if !self.visible.iter().any(|(i, _)| *i == p) {
            self.scroll_to = Some(p.saturating_sub(1));
        }
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
    hit: Color32,
    current_hit: Color32,
    dark: bool,
    wrap: f32,
    margin: f32,
    gap: f32,
}

/// Per-char-range styling of one paragraph, in paragraph-relative chars.
struct Styling<'a> {
    selected: Option<Range<usize>>,
    marks: Vec<(Range<usize>, &'a Mark)>,
    hits: Vec<Range<usize>>,
    current_hit: Option<Range<usize>>,
}

fn blend(colors: &[Color32], dark: bool) -> Color32 {
    let alpha: u8 = if dark { 70 } else { 90 };
    let n = colors.len().max(1) as u32;
    let (r, g, b) = colors.iter().fold((0u32, 0u32, 0u32), |acc, c| {
        (
            acc.0 + c.r() as u32,
            acc.1 + c.g() as u32,
            acc.2 + c.b() as u32,
        )
    });
    let extra = (colors.len().saturating_sub(1) as u8).saturating_mul(30);
    Color32::from_rgba_unmultiplied(
        (r / n) as u8,
        (g / n) as u8,
        (b / n) as u8,
        alpha.saturating_add(extra),
    )
}

fn paragraph_job(text: &str, styling: &Styling, look: &Look) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.wrap.max_width = look.wrap;
    let plain = TextFormat {
        font_id: look.font.clone(),
        color: look.text,
        ..Default::default()
    };
    // Cut points where any styling changes.
    let n = text.chars().count();
    let mut cuts = vec![0, n];
    let mut push = |r: &Range<usize>| {
        cuts.push(r.start.min(n));
        cuts.push(r.end.min(n));
    };
    if let Some(r) = &styling.selected {
        push(r);
    }
    for (r, _) in &styling.marks {
        push(r);
    }
    for r in &styling.hits {
        push(r);
    }
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.len() == 2 && styling.marks.is_empty() {
        job.append(text, 0.0, plain);
        return job;
    }
    let mut bytes = Vec::with_capacity(cuts.len());
    let mut ci = 0;
    let mut it = text.char_indices().peekable();
    for &c in &cuts {
        while ci < c {
            it.next();
            ci += 1;
        }
        bytes.push(it.peek().map_or(text.len(), |(b, _)| *b));
    }
    let inside = |r: &Range<usize>, a: usize, b: usize| r.start <= a && b <= r.end;
    for w in 0..cuts.len() - 1 {
        let (a, b) = (cuts[w], cuts[w + 1]);
        if a == b {
            continue;
        }
        let mut f = plain.clone();
        if styling.selected.as_ref().is_some_and(|r| inside(r, a, b)) {
            f.background = look.selection;
        } else if styling
            .current_hit
            .as_ref()
            .is_some_and(|r| inside(r, a, b))
        {
            f.background = look.current_hit;
        } else if styling.hits.iter().any(|r| inside(r, a, b)) {
            f.background = look.hit;
        } else {
            let colors: Vec<Color32> = styling
                .marks
                .iter()
                .filter(|(_, m)| m.style == MarkStyle::Highlight || m.style == MarkStyle::Boxed)
                .filter(|(r, _)| inside(r, a, b))
                .map(|(_, m)| m.color)
                .collect();
            if !colors.is_empty() {
                f.background = blend(&colors, look.dark);
            }
        }
        job.append(&text[bytes[w]..bytes[w + 1]], 0.0, f);
    }
    job
}

/// A wavy underline from `x0` to `x1` at `y` (a text warning).
fn wavy_line(painter: &egui::Painter, x0: f32, x1: f32, y: f32, color: Color32) {
    let step = 2.5;
    let mut points = Vec::new();
    let mut x = x0;
    let mut up = true;
    while x <= x1 {
        points.push(pos2(x, if up { y - 1.5 } else { y + 1.5 }));
        up = !up;
        x += step;
    }
    if points.len() >= 2 {
        painter.add(egui::Shape::line(points, egui::Stroke::new(1.2, color)));
    }
}

/// A dotted outline (a candidate directive): the left side only on its first line, the right
/// side only on its last.
fn dotted_box(painter: &egui::Painter, r: Rect, color: Color32, first: bool, last: bool) {
    let stroke = egui::Stroke::new(1.0, color);
    let dash = |a: Pos2, b: Pos2| {
        painter.extend(egui::Shape::dotted_line(
            &[a, b],
            color,
            3.0,
            stroke.width * 0.6,
        ));
    };
    dash(r.left_top(), r.right_top());
    dash(r.left_bottom(), r.right_bottom());
    if first {
        dash(r.left_top(), r.left_bottom());
    }
    if last {
        dash(r.right_top(), r.right_bottom());
    }
}

/// A paragraph drawn this frame: its index, where, its layout and the line breaks 避头尾 added.
type Drawn = (usize, Rect, Arc<Galley>, super::kinsoku::Breaks);

impl Styling<'_> {
    /// The same styling in drawn positions (after inserted line breaks).
    fn shifted(self, b: &super::kinsoku::Breaks) -> Self {
        Styling {
            selected: self.selected.map(|r| b.range(&r)),
            marks: self
                .marks
                .into_iter()
                .map(|(r, m)| (b.range(&r), m))
                .collect(),
            hits: self.hits.iter().map(|r| b.range(r)).collect(),
            current_hit: self.current_hit.map(|r| b.range(&r)),
        }
    }
}

/// Screen segments (x0, x1, baseline y) of a paragraph-relative char range in a galley.
fn range_segments(galley: &Galley, origin: Pos2, r: &Range<usize>) -> Vec<(f32, f32, f32)> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for row in &galley.rows {
        let len = row.row.char_count_excluding_newline().0;
        let (a, b) = (r.start.max(offset), r.end.min(offset + len));
        if a < b {
            let x0 = row.pos.x + row.row.x_offset(egui::text::CharIndex(a - offset));
            let x1 = row.pos.x + row.row.x_offset(egui::text::CharIndex(b - offset));
            out.push((
                origin.x + x0,
                origin.x + x1,
                origin.y + row.pos.y + row.row.size.y,
            ));
        }
        offset += row.char_count_including_newline().0;
        if offset >= r.end {
            break;
        }
    }
    out
}

/// Char offset in the document under `pos`, from the paragraphs drawn this frame.
fn hit_test(drawn: &[Drawn], paragraphs: &[Paragraph], pos: Pos2) -> Option<usize> {
    let first = drawn.first()?;
    if pos.y < first.1.min.y {
        return Some(paragraphs[first.0].chars.start);
    }
    for (i, rect, galley, breaks) in drawn {
        if pos.y < rect.min.y {
            return Some(paragraphs[*i].chars.start);
        }
        if pos.y <= rect.max.y {
            let c = breaks.text(galley.cursor_from_pos(pos - rect.min).index.0);
            return Some(paragraphs[*i].chars.start + c.min(paragraphs[*i].len_chars()));
        }
    }
    drawn.last().map(|(i, _, _, _)| paragraphs[*i].chars.end)
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
pub fn show(
    ui: &mut Ui,
    doc: &Document,
    st: &mut ReaderState,
    text_size: f32,
    overlay: &Overlay,
) -> ReaderOutput {
    let mut output = ReaderOutput::default();
    let max_end: Vec<usize> = overlay
        .marks
        .iter()
        .scan(0usize, |m, k| {
            *m = (*m).max(k.range.end);
            Some(*m)
        })
        .collect();
    let visuals = ui.visuals().clone();
    let font = FontId::proportional(text_size);
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let number_font = FontId::proportional((text_size * 0.7).max(9.0));
    let digits = st.paragraphs.len().max(1).to_string().len() as f32;
    let margin = digits * number_font.size * 0.65 + 28.0;
    let avail = ui.available_width();
    let room = avail - margin - 28.0;
    let widest = if overlay.column_chars > 0.0 {
        overlay.column_chars * text_size
    } else {
        f32::INFINITY
    };
    let wrap = room.min(widest).max(8.0 * text_size);
    // A column narrower than the view is centred.
    let margin = margin + ((room - wrap) / 2.0).max(0.0).floor();
    let look = Look {
        font,
        number_font,
        text: visuals.text_color(),
        weak: visuals.weak_text_color(),
        selection: visuals.selection.bg_fill,
        hit: Color32::from_rgba_unmultiplied(255, 200, 0, 110),
        current_hit: Color32::from_rgb(255, 140, 0),
        dark: visuals.dark_mode,
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
        let mut drawn: Vec<Drawn> = Vec::new();
        let mut y = st.tops.get(first).copied().unwrap_or(0.0);
        let mut changed = false;
        for i in first..n {
            if y > viewport.max.y {
                break;
            }
            let p = &st.paragraphs[i];
            let rel = |r: &Range<usize>| {
                let a = r.start.max(p.chars.start);
                let b = r.end.min(p.chars.end);
                (a < b).then(|| a - p.chars.start..b - p.chars.start)
            };
            let marks: Vec<(Range<usize>, &Mark)> = marks_in(overlay.marks, &max_end, &p.chars)
                .into_iter()
                .filter_map(|m| rel(&m.range).map(|r| (r, m)))
                .collect();
            let hit_lo = overlay.hits.partition_point(|h| h.end <= p.chars.start);
            let hits: Vec<Range<usize>> = overlay.hits[hit_lo..]
                .iter()
                .take_while(|h| h.start < p.chars.end)
                .filter_map(&rel)
                .collect();
            let styling = Styling {
                selected: sel.as_ref().and_then(&rel),
                current_hit: overlay.current_hit.as_ref().and_then(&rel),
                hits,
                marks,
            };
            let text = &doc.text[p.bytes.clone()];
            let mut galley = painter.layout_job(paragraph_job(text, &styling, &look));
            // 避头尾: no opening mark at a line's end, no —— or …… split; the breaks exist
            // only in what is drawn, so every range below is mapped through them.
            let breaks = super::kinsoku::breaks(&galley);
            let styling = if breaks.is_empty() {
                styling
            } else {
                let styling = styling.shifted(&breaks);
                galley = painter.layout_job(paragraph_job(&breaks.apply(text), &styling, &look));
                styling
            };
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
            // One underline lane per overlapping mark, so overlaps stay visible.
            let mut lanes: Vec<usize> = Vec::new();
            for (r, m) in &styling.marks {
                if matches!(m.style, MarkStyle::Candidate | MarkStyle::Warning) {
                    let segs = range_segments(&galley, pos, r);
                    let last = segs.len().saturating_sub(1);
                    for (k, (x0, x1, y)) in segs.into_iter().enumerate() {
                        if m.style == MarkStyle::Warning {
                            wavy_line(&painter, x0, x1, y + 2.5, m.color);
                        } else {
                            let top = y - row_height + 1.0;
                            dotted_box(
                                &painter,
                                Rect::from_min_max(pos2(x0 - 1.0, top), pos2(x1 + 1.0, y + 2.0)),
                                m.color,
                                k == 0,
                                k == last,
                            );
                        }
                    }
                    continue;
                }
                let lane = lanes
                    .iter()
                    .position(|&end| end <= r.start)
                    .unwrap_or(lanes.len());
                if lane == lanes.len() {
                    lanes.push(r.end);
                } else {
                    lanes[lane] = r.end;
                }
                let width = if m.selected { 2.5 } else { 1.5 };
                for (x0, x1, y) in range_segments(&galley, pos, r) {
                    let y = y + 1.0 + lane as f32 * 3.0;
                    painter.line_segment(
                        [pos2(x0, y), pos2(x1, y)],
                        egui::Stroke::new(width, m.color),
                    );
                    if m.style == MarkStyle::Boxed {
                        let top = y - row_height;
                        painter.rect_stroke(
                            Rect::from_min_max(pos2(x0 - 1.0, top), pos2(x1 + 1.0, y)),
                            2.0,
                            egui::Stroke::new(1.0, m.color),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
                if let Some((symbol, color)) = m.badge
                    && let Some((_, x1, y)) = range_segments(&galley, pos, r).last().copied()
                {
                    painter.text(
                        pos2(x1 + 2.0, y - row_height),
                        Align2::LEFT_TOP,
                        symbol,
                        FontId::proportional(look.font.size * 0.7),
                        color,
                    );
                }
            }
            if let Some(c) = st.reveal
                && p.chars.start <= c
                && c <= p.chars.end
            {
                let at = breaks.shown(c - p.chars.start);
                if let Some((x0, x1, y)) =
                    range_segments(&galley, pos, &(at..at + 1)).first().copied()
                {
                    let r = Rect::from_min_max(
                        pos2(x0, y - row_height),
                        pos2(x1.max(x0 + 1.0), y + 4.0),
                    );
                    if !ui.clip_rect().contains_rect(r) {
                        ui.scroll_to_rect(r.expand(row_height), Some(egui::Align::Center));
                    }
                }
                st.reveal = None;
            }
            let h = galley.size().y + look.gap;
            if (h - st.heights[i]).abs() > 0.5 {
                st.heights[i] = h;
                changed = true;
            }
            drawn.push((i, rect, galley, breaks));
            y += h;
        }
        if changed {
            st.tops_dirty = true;
            ui.ctx().request_repaint();
        }
        // A char to reveal in a paragraph not drawn this frame (the paragraph before it filled
        // the view): scroll to its own paragraph, where the next frame reveals it.
        if let Some(c) = st.reveal {
            let p = st.paragraph_at(c);
            if !drawn.iter().any(|(i, _, _, _)| *i == p) {
                st.scroll_to = Some(p);
                ui.ctx().request_repaint();
            }
        }
        st.visible = drawn.iter().map(|(i, r, _, _)| (*i, *r)).collect();

        // Selection with the mouse over the whole visible area.
        let area_rect = ui.clip_rect();
        let id = ui.scope_id().with("reader-select");
        let resp = ui.interact(area_rect, id, Sense::click_and_drag());
        if resp.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }
        if resp.hovered()
            && let Some(pos) = ui.input(|i| i.pointer.hover_pos())
            && drawn.iter().any(|(_, r, _, _)| r.contains(pos))
        {
            output.hover_char = hit_test(&drawn, &st.paragraphs, pos);
        }
        if resp.clicked()
            && let Some(pos) = ui.input(|i| i.pointer.interact_pos())
        {
            output.clicked_char = hit_test(&drawn, &st.paragraphs, pos);
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
            } else if pressed
                && resp.is_pointer_button_down_on()
                && !ui.input(|i| i.pointer.secondary_down())
            {
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
        output.response = Some(resp);
    });
    output
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
    fn shift_arrows_extend_the_selection() {
        let d = doc("第一段文字。\n第二段文字。\n三");
        let mut st = ReaderState::new(&d);
        st.selection = Some(Selection { anchor: 2, head: 2 });
        st.extend_selection(egui::Key::ArrowRight);
        st.extend_selection(egui::Key::ArrowRight);
        assert_eq!(st.selected_text(&d.text), Some("段文"));
        st.extend_selection(egui::Key::ArrowDown);
        assert_eq!(st.selection.unwrap().head, 11);
        st.extend_selection(egui::Key::End);
        assert_eq!(st.selection.unwrap().head, 13);
        st.extend_selection(egui::Key::ArrowDown);
        assert_eq!(
            st.selection.unwrap().head,
            15,
            "clamped to the short last paragraph"
        );
        st.extend_selection(egui::Key::Home);
        assert_eq!(st.selection.unwrap().head, 14);
        for _ in 0..40 {
            st.extend_selection(egui::Key::ArrowLeft);
        }
        assert_eq!(st.selection.unwrap().head, 0);
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
        d.set_text("乙乙".into());
        assert!(!st.is_current(&d));
        // A copy (what a background job holds) is still current.
        assert!(ReaderState::new(&d).is_current(&d.clone()));
    }
}
