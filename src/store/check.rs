//! `yinwen check`: a workspace's health — anchors that no longer hold, orphans, links to
//! things that do not exist, and IDs used twice.

use std::collections::HashMap;

use crate::model::{CharIndex, Workspace};

/// One problem found in a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Short kind: `orphan`, `anchor_moved`, `anchor_lost`, `dangling_document`,
    /// `dangling_tag`, `dangling_source`, `duplicate_id`.
    pub kind: &'static str,
    /// What and where, for people.
    pub message: String,
}

/// Checks a loaded workspace. Anchors are checked against their documents' text: an anchor
/// whose quote is no longer at its position is re-anchored in memory (reported as
/// `anchor_moved` when its quote is found elsewhere, `anchor_lost` when not).
pub fn check_workspace(ws: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: HashMap<u64, &'static str> = HashMap::new();
    let ids = ws
        .documents
        .iter()
        .map(|d| (d.id.0, "document"))
        .chain(ws.tags.iter().map(|t| (t.id.0, "tag")))
        .chain(ws.annotations.iter().map(|a| (a.id.0, "annotation")))
        .chain(ws.sources.iter().map(|s| (s.id.0, "source")));
    for (id, kind) in ids {
        if let Some(first) = seen.insert(id, kind) {
            out.push(Problem {
                kind: "duplicate_id",
                message: format!("ID {id} is used by a {first} and a {kind}"),
            });
        }
    }
    let indexes: HashMap<_, _> = ws
        .documents
        .iter()
        .map(|d| (d.id, CharIndex::new(&d.text)))
        .collect();
    for a in &ws.annotations {
        let Some(doc) = ws.document(a.doc) else {
            out.push(Problem {
                kind: "dangling_document",
                message: format!("annotation {} belongs to missing document {}", a.id, a.doc),
            });
            continue;
        };
        for t in &a.tags {
            if ws.tag(*t).is_none() {
                out.push(Problem {
                    kind: "dangling_tag",
                    message: format!("annotation {} has missing tag {t}", a.id),
                });
            }
        }
        if let Some(src) = a.directive.as_ref().and_then(|d| d.source)
            && ws.source(src).is_none()
        {
            out.push(Problem {
                kind: "dangling_source",
                message: format!("directive {} links to missing source {src}", a.id),
            });
        }
        let quote: String = a.anchor.quote.chars().take(20).collect();
        if a.orphan {
            out.push(Problem {
                kind: "orphan",
                message: format!("annotation {} is an orphan: “{quote}”", a.id),
            });
            continue;
        }
        let index = &indexes[&doc.id];
        if !a.anchor.holds_in(&doc.text, index) {
            match crate::model::anchor::find_quote(&a.anchor, &doc.text, index) {
                Some(found) => out.push(Problem {
                    kind: "anchor_moved",
                    message: format!(
                        "annotation {} “{quote}” is not at {} but was found at {}",
                        a.id, a.anchor.start.0, found.start.0
                    ),
                }),
                None => out.push(Problem {
                    kind: "anchor_lost",
                    message: format!(
                        "annotation {} “{quote}” is no longer in {}",
                        a.id,
                        doc.display_name()
                    ),
                }),
            }
        }
    }
    for d in &ws.documents {
        for t in &d.meta.tags {
            if ws.tag(*t).is_none() {
                out.push(Problem {
                    kind: "dangling_tag",
                    message: format!("document {} has missing tag {t}", d.id),
                });
            }
        }
    }
    for t in &ws.tags {
        if let Some(p) = t.parent
            && ws.tag(p).is_none()
        {
            out.push(Problem {
                kind: "dangling_tag",
                message: format!("tag {} “{}” has missing parent {p}", t.id, t.name),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnId, SourceId, TagId};

    #[test]
    fn the_samples_are_healthy() {
        assert_eq!(check_workspace(&crate::sample::sample_workspace()), vec![]);
        assert_eq!(
            check_workspace(&crate::sample::verification_sample()),
            vec![]
        );
    }

    #[test]
    fn problems_are_found() {
        let mut ws = crate::sample::sample_workspace();
        let n = ws.annotations.len();
        ws.annotations[0].tags.push(TagId(9999));
        ws.annotations[1].orphan = true;
        ws.annotations[2].anchor.start.0 += 1;
        ws.annotations[2].anchor.end.0 += 1;
        ws.annotations[3].anchor.quote = "这句话不在讲话里面".into();
        ws.annotations[3].anchor.end.0 = ws.annotations[3].anchor.start.0 + 9;
        let mut dup = ws.annotations[4].clone();
        dup.id = AnnId(ws.documents[0].id.0);
        ws.annotations.push(dup);
        if let Some(d) = ws.annotations[n - 1].directive.as_mut() {
            d.source = Some(SourceId(4242));
        }
        let kinds: Vec<&str> = check_workspace(&ws).iter().map(|p| p.kind).collect();
        for k in [
            "dangling_tag",
            "orphan",
            "anchor_moved",
            "anchor_lost",
            "duplicate_id",
            "dangling_source",
        ] {
            assert!(kinds.contains(&k), "{k} in {kinds:?}");
        }
    }
}
