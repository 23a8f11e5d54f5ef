//! `yinwen check`: a workspace's health — anchors that no longer hold, orphans, links to
//! things that do not exist, and IDs used twice.

use std::collections::HashMap;

use crate::model::{CharIndex, Workspace};

/// One problem found in a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Short kind: `orphan`, `anchor_moved`, `anchor_lost`, `anchor_out_of_range`,
    /// `dangling_document`, `dangling_tag`, `dangling_source`, `duplicate_id`, `tag_cycle`,
    /// `id_out_of_range`, `next_id`, `unknown_field`, `rejection_lost` (a rejected candidate
    /// whose span no longer holds its quote), `anchor_changed` (the passage was
    /// corrected: found approximately, or followed and awaiting the user's acceptance).
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
        if let Some(was) = &a.anchor.was {
            out.push(Problem {
                kind: "anchor_changed",
                message: format!(
                    "annotation {} follows a corrected passage: now “{quote}”, was “{}” (accept the change in the Annotations tab)",
                    a.id,
                    crate::model::preview(was, 20)
                ),
            });
        }
        if a.anchor.start > a.anchor.end || a.anchor.end.0 > index.char_len() {
            out.push(Problem {
                kind: "anchor_out_of_range",
                message: format!(
                    "annotation {} “{quote}” spans {}–{}, beyond the end of {} ({} chars)",
                    a.id,
                    a.anchor.start.0,
                    a.anchor.end.0,
                    doc.display_name(),
                    index.char_len()
                ),
            });
        }
        if !a.anchor.holds_in(&doc.text, index) {
            let approx = || crate::model::anchor::find_approx(&a.anchor, &doc.text, index);
            match crate::model::anchor::find_quote(&a.anchor, &doc.text, index) {
                Some(found) => out.push(Problem {
                    kind: "anchor_moved",
                    message: format!(
                        "annotation {} “{quote}” is not at {} but was found at {}",
                        a.id, a.anchor.start.0, found.start.0
                    ),
                }),
                None if let Some(found) = approx() => out.push(Problem {
                    kind: "anchor_changed",
                    message: format!(
                        "annotation {} “{quote}” now reads “{}” at {}",
                        a.id,
                        crate::model::preview(&found.quote, 20),
                        found.start.0
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
    for t in tags_in_cycles(ws) {
        let name = ws.tag(t).map_or("", |t| t.name.as_str());
        out.push(Problem {
            kind: "tag_cycle",
            message: format!("tag {t} “{name}” is its own ancestor (a parent cycle)"),
        });
    }
    out.extend(rejection_problems(ws, &indexes));
    out.extend(id_problems(ws));
    out
}

/// Rejected candidates on a missing document, or whose span no longer holds its quote (an
/// orphan rejection is no problem: it just hides nothing any more).
fn rejection_problems(
    ws: &Workspace,
    indexes: &HashMap<crate::model::DocId, CharIndex>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for r in &ws.rejections {
        let quote = crate::model::preview(&r.anchor.quote, 20);
        let (Some(doc), Some(index)) = (ws.document(r.doc), indexes.get(&r.doc)) else {
            out.push(Problem {
                kind: "dangling_document",
                message: format!(
                    "rejected candidate “{quote}” belongs to missing document {}",
                    r.doc
                ),
            });
            continue;
        };
        if !r.orphan && !r.anchor.holds_in(&doc.text, index) {
            out.push(Problem {
                kind: "rejection_lost",
                message: format!(
                    "rejected candidate “{quote}” is not at {}–{} of {} any more",
                    r.anchor.start.0,
                    r.anchor.end.0,
                    doc.display_name()
                ),
            });
        }
    }
    out
}

/// The largest ID Yinwen hands out or accepts as sane (2^53, the largest integer every JSON
/// reader keeps exactly). Beyond it the next ID could overflow.
pub const ID_LIMIT: u64 = 1 << 53;

/// IDs past [`ID_LIMIT`], and an ID counter that would hand out an ID already in use.
fn id_problems(ws: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    let max = ws.max_item_id();
    if max > ID_LIMIT {
        out.push(Problem {
            kind: "id_out_of_range",
            message: format!("an item has ID {max}, beyond the largest usable ID {ID_LIMIT}"),
        });
    }
    if ws.next_id > ID_LIMIT {
        out.push(Problem {
            kind: "next_id",
            message: format!(
                "the next ID is {}, at the end of the ID range (the highest ID in use is {max})",
                ws.next_id
            ),
        });
    } else if ws.next_id <= max {
        out.push(Problem {
            kind: "next_id",
            message: format!(
                "the next ID {} is already in use (the highest ID in use is {max})",
                ws.next_id
            ),
        });
    }
    out
}

/// Tags that are their own ancestor, in ID order.
fn tags_in_cycles(ws: &Workspace) -> Vec<crate::model::TagId> {
    let parent: HashMap<_, _> = ws.tags.iter().map(|t| (t.id, t.parent)).collect();
    let mut out = Vec::new();
    for t in &ws.tags {
        let mut cur = t.parent;
        for _ in 0..=ws.tags.len() {
            match cur {
                Some(p) if p == t.id => {
                    out.push(t.id);
                    break;
                }
                Some(p) => cur = parent.get(&p).copied().flatten(),
                None => break,
            }
        }
    }
    out
}

/// Repairs, right after loading, what can be repaired without guessing, and says what was
/// done: tags caught in a parent cycle are moved to the top level of the codebook, and an ID
/// counter at the end of its range is set back to just above the highest ID in use.
pub(crate) fn repair_on_load(ws: &mut Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    // Break each cycle at its lowest-ID tag (the others then hang below it again).
    while let Some(&first) = tags_in_cycles(ws).first() {
        let Some(t) = ws.tags.iter_mut().find(|t| t.id == first) else {
            break;
        };
        t.parent = None;
        out.push(Problem {
            kind: "tag_cycle",
            message: format!(
                "tag {} “{}” was its own ancestor (a parent cycle); it was moved to the top level",
                t.id, t.name
            ),
        });
    }
    let max = ws.max_item_id();
    if (ws.next_id > ID_LIMIT || ws.next_id <= max) && max < ID_LIMIT {
        out.push(Problem {
            kind: "next_id",
            message: format!(
                "the next ID was {}; it was set to {} (just above the highest ID in use)",
                ws.next_id,
                max + 1
            ),
        });
        ws.next_id = max + 1;
    }
    out.extend(id_problems(ws));
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

    #[test]
    fn cycles_ids_and_offsets_past_the_end_are_found() {
        let mut ws = crate::sample::sample_workspace();
        let (a, b) = (ws.tags[0].id, ws.tags[1].id);
        ws.tags[0].parent = Some(b);
        ws.tags[1].parent = Some(a);
        ws.next_id = u64::MAX;
        let len = ws.documents[0].text.chars().count();
        ws.annotations[0].anchor.start.0 = len + 5;
        ws.annotations[0].anchor.end.0 = len + 9;
        let kinds: Vec<&str> = check_workspace(&ws).iter().map(|p| p.kind).collect();
        for k in ["tag_cycle", "next_id", "anchor_out_of_range"] {
            assert!(kinds.contains(&k), "{k} in {kinds:?}");
        }
        // Loading repairs the cycle and the counter, and says so.
        let notices = repair_on_load(&mut ws);
        let kinds: Vec<&str> = notices.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["tag_cycle", "next_id"]);
        assert!(tags_in_cycles(&ws).is_empty());
        assert!(ws.next_id < ID_LIMIT);
        let kinds: Vec<&str> = check_workspace(&ws).iter().map(|p| p.kind).collect();
        assert!(!kinds.contains(&"tag_cycle") && !kinds.contains(&"next_id"));
    }
}
