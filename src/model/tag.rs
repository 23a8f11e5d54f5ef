//! The codebook: hierarchical tags with colour and description.

use serde::{Deserialize, Serialize};

use super::ids::TagId;

/// One tag (a "code" in QDA terms). Tags form a tree through `parent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Stable identifier.
    pub id: TagId,
    /// Name shown to the user, e.g. 社区服务.
    pub name: String,
    /// The parent tag, if this is a child.
    #[serde(default)]
    pub parent: Option<TagId>,
    /// Colour as `#RRGGBB`.
    #[serde(default = "default_tag_color")]
    pub color: String,
    /// What the tag means, for the team.
    #[serde(default)]
    pub description: String,
    /// GUID for REFI-QDA codebook exchange (kept from an imported codebook).
    #[serde(default)]
    pub guid: String,
    /// The user's memo on this tag: what was noticed while coding, not the definition
    /// (version 4).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
}

/// Colour of a tag created without one.
pub fn default_tag_color() -> String {
    "#F2C94C".into()
}

/// Palette offered for highlights and new tags (readable on light and dark backgrounds).
pub const PALETTE: [&str; 8] = [
    "#F2C94C", "#6FCF97", "#56CCF2", "#BB6BD9", "#F2994A", "#EB5757", "#9B9B9B", "#2D9CDB",
];

/// Parses `#RRGGBB` into bytes.
pub fn parse_hex_color(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#').unwrap_or(s);
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_parse() {
        assert_eq!(parse_hex_color("#F2C94C"), Some([0xF2, 0xC9, 0x4C]));
        assert_eq!(parse_hex_color("00ff00"), Some([0, 255, 0]));
        assert_eq!(parse_hex_color("#F2C"), None);
        assert_eq!(parse_hex_color("#GGGGGG"), None);
        for c in PALETTE {
            assert!(parse_hex_color(c).is_some());
        }
    }
}
