//! Which documents a view looks at: a group, attribute values and a search text. Every
//! cross-document view (document list, retrieval, register, matrices, directive table,
//! exports and reports) takes the same [`DocFilter`].

use super::document::Document;
use super::workspace::Workspace;

/// A selection of documents. The empty filter keeps every document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocFilter {
    /// Keep documents of this group or any group under it (`2023` keeps `2023/市委`);
    /// `None` keeps every group, `Some("")` only the top level.
    pub group: Option<String>,
    /// Keep documents whose attribute (by name, see [`super::DocMeta::attribute`]) has
    /// exactly this value; all pairs must hold.
    pub attributes: Vec<(String, String)>,
    /// Keep documents whose title, file name or any attribute contains this text
    /// (case-insensitive for Latin letters); empty keeps every document.
    pub text: String,
}

impl DocFilter {
    /// True when the filter keeps every document.
    pub fn is_empty(&self) -> bool {
        self.group.is_none() && self.attributes.is_empty() && self.text.trim().is_empty()
    }

    /// Whether the filter keeps this document.
    pub fn matches(&self, doc: &Document) -> bool {
        let m = &doc.meta;
        if let Some(g) = &self.group {
            let in_group = if g.is_empty() {
                m.group.is_empty()
            } else {
                m.group == *g
                    || (m.group.starts_with(g.as_str()) && m.group[g.len()..].starts_with('/'))
            };
            if !in_group {
                return false;
            }
        }
        if !self
            .attributes
            .iter()
            .all(|(name, value)| m.attribute(name) == value.as_str())
        {
            return false;
        }
        let needle = self.text.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let hit = |s: &str| s.to_lowercase().contains(&needle);
        hit(&doc.display_name())
            || [
                &m.title,
                &m.speaker,
                &m.date,
                &m.occasion,
                &m.place,
                &m.group,
                &m.level,
                &m.region,
                &m.kind,
            ]
            .iter()
            .any(|s| hit(s))
            || m.attributes.values().any(|s| hit(s))
    }

    /// The documents of the workspace the filter keeps, in workspace order.
    pub fn documents<'a>(&'a self, ws: &'a Workspace) -> impl Iterator<Item = &'a Document> + 'a {
        ws.documents
            .iter()
            .map(|d| &**d)
            .filter(move |d| self.matches(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocMeta, Origin};

    fn doc(group: &str, level: &str, title: &str) -> Document {
        let meta = DocMeta {
            title: title.into(),
            group: group.into(),
            level: level.into(),
            ..Default::default()
        };
        Document::new("正文".into(), Origin::default(), meta)
    }

    #[test]
    fn group_keeps_its_subgroups_only() {
        let f = DocFilter {
            group: Some("2023".into()),
            ..Default::default()
        };
        assert!(f.matches(&doc("2023", "", "a")));
        assert!(f.matches(&doc("2023/市委", "", "a")));
        assert!(!f.matches(&doc("20231", "", "a")));
        assert!(!f.matches(&doc("", "", "a")));
        let top = DocFilter {
            group: Some(String::new()),
            ..Default::default()
        };
        assert!(top.matches(&doc("", "", "a")));
        assert!(!top.matches(&doc("2023", "", "a")));
    }

    #[test]
    fn attributes_and_text_all_hold() {
        let f = DocFilter {
            attributes: vec![("level".into(), "市".into())],
            text: "社区".into(),
            ..Default::default()
        };
        assert!(f.matches(&doc("", "市", "社区建设讲话")));
        assert!(!f.matches(&doc("", "省", "社区建设讲话")));
        assert!(!f.matches(&doc("", "市", "经济工作讲话")));
        assert!(DocFilter::default().is_empty());
    }
}
