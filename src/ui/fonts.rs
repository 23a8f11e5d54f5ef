//! Fonts: the bundled CJK font first in every family, and system fallbacks for characters it
//! lacks (CJK Extension A/B, rare name characters).

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use egui::{FontData, FontDefinitions, FontFamily};
use skrifa::MetadataProvider;

/// The bundled font: Noto Sans CJK SC Regular, cut to the URO block plus ASCII and punctuation
/// (SIL Open Font License 1.1, see `fonts/OFL-NotoSansSC.txt`).
pub static BUNDLED_CJK: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Regular-URO.otf");

/// Name of the bundled font in egui's font definitions.
pub const BUNDLED_NAME: &str = "NotoSansCJKsc-URO";

/// Font definitions with the bundled CJK font first in both families, so that CJK
/// punctuation (“”《》、) and digits come from it, and egui's default fonts after it.
pub fn font_definitions() -> FontDefinitions {
    let mut defs = FontDefinitions::default();
    defs.font_data.insert(
        BUNDLED_NAME.to_owned(),
        Arc::new(FontData::from_static(BUNDLED_CJK)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        defs.families
            .entry(family)
            .or_default()
            .insert(0, BUNDLED_NAME.to_owned());
    }
    defs
}

/// Characters the bundled font can draw, as a bitset over all code points.
pub struct Coverage {
    bits: Vec<u64>,
}

impl Coverage {
    fn from_font(bytes: &[u8], index: u32) -> Option<Coverage> {
        let font = skrifa::FontRef::from_index(bytes, index).ok()?;
        let mut bits = vec![0u64; 0x110000 / 64];
        for (cp, _) in font.charmap().mappings() {
            if let Some(w) = bits.get_mut(cp as usize / 64) {
                *w |= 1 << (cp % 64);
            }
        }
        Some(Coverage { bits })
    }

    /// Whether the font has a glyph for `c`.
    pub fn contains(&self, c: char) -> bool {
        let cp = c as usize;
        self.bits[cp / 64] & (1 << (cp % 64)) != 0
    }
}

/// Coverage of the bundled font, computed once.
pub fn bundled_coverage() -> &'static Coverage {
    static COVERAGE: OnceLock<Coverage> = OnceLock::new();
    COVERAGE.get_or_init(|| {
        Coverage::from_font(BUNDLED_CJK, 0).expect("the bundled font is a valid OpenType font")
    })
}

/// Whether a character needs a glyph at all (controls and white space do not).
fn needs_glyph(c: char) -> bool {
    !(c.is_control() || c.is_whitespace() || ('\u{fe00}'..='\u{fe0f}').contains(&c))
}

/// Characters of `text` that the bundled font (and egui's default Latin fonts, for Latin
/// text) cannot draw.
pub fn missing_chars(text: &str) -> BTreeSet<char> {
    let cov = bundled_coverage();
    text.chars()
        .filter(|&c| needs_glyph(c) && !cov.contains(c) && !default_fonts_cover(c))
        .collect()
}

/// egui's bundled Latin/emoji fonts cover Latin, Greek, Cyrillic and common symbols; this is
/// a conservative approximation used only to avoid looking for system fonts needlessly.
fn default_fonts_cover(c: char) -> bool {
    (c as u32) < 0x0530 || ('\u{2000}'..='\u{27bf}').contains(&c)
}

/// A system font chosen to draw some of the missing characters.
pub struct Fallback {
    /// A name for egui's font definitions.
    pub name: String,
    /// The font file's bytes.
    pub data: Vec<u8>,
    /// Face index within the file.
    pub index: u32,
}

/// Result of looking for system fonts for a set of missing characters.
pub struct FallbackSearch {
    /// Fonts to add, in the order found.
    pub fonts: Vec<Fallback>,
    /// Characters no installed font can draw.
    pub still_missing: BTreeSet<char>,
}

/// Looks through the system's fonts (via fontdb) for faces that cover `missing`, choosing
/// greedily the face that covers most of what is left. Slow on systems with many fonts: call
/// it off the UI thread.
pub fn find_system_fallbacks(missing: &BTreeSet<char>) -> FallbackSearch {
    let mut left: BTreeSet<char> = missing.clone();
    let mut fonts = Vec::new();
    if left.is_empty() {
        return FallbackSearch {
            fonts,
            still_missing: left,
        };
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let ids: Vec<fontdb::ID> = db.faces().map(|f| f.id).collect();
    while !left.is_empty() {
        let mut best: Option<(usize, fontdb::ID)> = None;
        for &id in &ids {
            let covered = db
                .with_face_data(id, |data, index| {
                    let font = skrifa::FontRef::from_index(data, index).ok()?;
                    let map = font.charmap();
                    Some(left.iter().filter(|&&c| map.map(c).is_some()).count())
                })
                .flatten()
                .unwrap_or(0);
            if covered > 0 && best.is_none_or(|(n, _)| covered > n) {
                best = Some((covered, id));
            }
        }
        let Some((_, id)) = best else { break };
        let Some((data, index)) = db.with_face_data(id, |d, i| (d.to_vec(), i)) else {
            break;
        };
        if let Ok(font) = skrifa::FontRef::from_index(&data, index) {
            let map = font.charmap();
            left.retain(|&c| map.map(c).is_none());
        }
        let name = db
            .face(id)
            .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
            .unwrap_or_else(|| "fallback".into());
        fonts.push(Fallback {
            name: format!("system: {name} #{index}"),
            data,
            index,
        });
    }
    FallbackSearch {
        fonts,
        still_missing: left,
    }
}

/// Adds fallback fonts at the end of both families.
pub fn install_fallbacks(ctx: &egui::Context, fonts: Vec<Fallback>) {
    for f in fonts {
        ctx.add_font(egui::epaint::text::FontInsert::new(
            &f.name,
            FontData::from_blob(Arc::new(f.data), f.index),
            vec![
                egui::epaint::text::InsertFontFamily {
                    family: FontFamily::Proportional,
                    priority: egui::epaint::text::FontPriority::Lowest,
                },
                egui::epaint::text::InsertFontFamily {
                    family: FontFamily::Monospace,
                    priority: egui::epaint::text::FontPriority::Lowest,
                },
            ],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_covers_chinese_text_and_punctuation() {
        let cov = bundled_coverage();
        for c in "中华人民共和国“”‘’《》〈〉、。，；：！？……——〔〕［］０１２abcXYZ123镕喆堃".chars()
        {
            assert!(cov.contains(c), "{c} should be covered");
        }
    }

    #[test]
    fn extension_b_is_reported_missing() {
        let m = missing_chars("普通文字𠀀㐀 abc");
        assert!(m.contains(&'𠀀'));
        assert!(m.contains(&'㐀'));
        assert!(!m.contains(&'普'));
        assert!(!m.contains(&' '));
        assert_eq!(m.len(), 2);
    }
}
