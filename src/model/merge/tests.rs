use super::*;
use crate::model::{Anchor, CharIndex, Document, Origin};
use crate::sample::sample_workspace;

fn add_tag(ws: &mut Workspace, name: &str, parent: Option<TagId>) -> TagId {
    let tag = Tag {
        id: TagId(0),
        name: name.into(),
        parent,
        color: "#ffcc00".into(),
        description: String::new(),
        guid: String::new(),
        memo: String::new(),
    };
    ws.apply(Command::AddTag(Box::new(tag))).unwrap();
    ws.tags.iter().find(|t| t.name == name).unwrap().id
}

fn add_ann(ws: &mut Workspace, doc: DocId, range: std::ops::Range<usize>, note: &str) -> AnnId {
    let text = ws.document(doc).unwrap().text.clone();
    let idx = CharIndex::new(&text);
    let a = Annotation {
        id: AnnId(0),
        doc,
        anchor: Anchor::new(&text, &idx, range),
        color: "#ffe066".into(),
        note: note.into(),
        tags: vec![],
        orphan: false,
        directive: None,
    };
    ws.apply(Command::AddAnnotation(Box::new(a))).unwrap();
    ws.annotations.iter().max_by_key(|a| a.id).unwrap().id
}

fn set_note(ws: &mut Workspace, id: AnnId, note: &str) {
    let mut a = ws.annotation(id).unwrap().clone();
    a.note = note.into();
    ws.apply(Command::SetAnnotation(Box::new(a))).unwrap();
}

fn merged(a: &Workspace, b: &Workspace, choice: Resolution) -> (Workspace, MergePlan) {
    let plan = plan_merge(a, b);
    let mut c = a.clone();
    c.apply(plan.command_all(choice)).expect("merge applies");
    (c, plan)
}

/// (document text hash, span, quote, note) of every annotation: what "not lost" means.
fn contents(ws: &Workspace) -> HashSet<(String, usize, usize, String, String)> {
    ws.annotations
        .iter()
        .map(|a| {
            let d = ws.document(a.doc).unwrap();
            (
                text_hash(&d.text),
                a.anchor.start.0,
                a.anchor.end.0,
                a.anchor.quote.clone(),
                a.note.clone(),
            )
        })
        .collect()
}

fn assert_ids_unique(ws: &Workspace) {
    let mut seen = HashSet::new();
    for id in ws
        .documents
        .iter()
        .map(|d| d.id.0)
        .chain(ws.tags.iter().map(|t| t.id.0))
        .chain(ws.annotations.iter().map(|a| a.id.0))
        .chain(ws.sources.iter().map(|s| s.id.0))
    {
        assert!(seen.insert(id), "ID {id} used twice");
    }
    assert!(ws.next_id > *seen.iter().max().unwrap());
}

#[test]
fn merging_a_workspace_with_itself_changes_nothing() {
    let a = sample_workspace();
    let plan = plan_merge(&a, &a.clone());
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.annotations.matched, a.annotations.len());
    assert_eq!(plan.documents.matched, a.documents.len());
    assert_eq!(plan.tags.matched, a.tags.len());
    assert_eq!(plan.sources.matched, a.sources.len());
}

/// Two colleagues start from the same file, both add things under the same new IDs, and both
/// rewrite the same note.
fn colleagues() -> (Workspace, Workspace, AnnId) {
    let base = sample_workspace();
    let doc = base.documents[0].id;
    let shared = base.annotations[0].id;
    let mut a = base.clone();
    let mut b = base;
    let ta = add_tag(&mut a, "甲的标签", None);
    let tb = add_tag(&mut b, "乙的标签", None);
    assert_eq!(ta, tb, "both hand out the same new ID");
    let aa = add_ann(&mut a, doc, 10..20, "甲的批注");
    let ab = add_ann(&mut b, doc, 30..40, "乙的批注");
    assert_eq!(aa, ab);
    set_note(&mut a, shared, "甲改过的批注");
    set_note(&mut b, shared, "乙改过的批注");
    (a, b, shared)
}

#[test]
fn colleagues_work_merges_without_loss_when_keeping_both() {
    let (a, b, shared) = colleagues();
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert_ids_unique(&c);
    assert_eq!(plan.conflicts.len(), 1, "{:?}", plan.conflicts);
    let conflict = &plan.conflicts[0];
    assert_eq!(conflict.kind, ConflictKind::Annotation);
    assert_eq!(conflict.id, shared.0);
    assert_eq!(conflict.fields[0].field, "note");
    assert_eq!(conflict.fields[0].ours, "甲改过的批注");
    assert_eq!(conflict.fields[0].theirs, "乙改过的批注");
    let have = contents(&c);
    for x in contents(&a).into_iter().chain(contents(&b)) {
        assert!(have.contains(&x), "lost {x:?}");
    }
    assert!(c.tags.iter().any(|t| t.name == "甲的标签"));
    assert!(c.tags.iter().any(|t| t.name == "乙的标签"));
    assert_eq!(c.annotations.len(), a.annotations.len() + 2);
}

#[test]
fn conflicts_resolve_to_ours_or_theirs() {
    let (a, b, shared) = colleagues();
    let (c, _) = merged(&a, &b, Resolution::Ours);
    assert_eq!(c.annotation(shared).unwrap().note, "甲改过的批注");
    assert_eq!(c.annotations.len(), a.annotations.len() + 1);
    let (c, _) = merged(&a, &b, Resolution::Theirs);
    assert_eq!(c.annotation(shared).unwrap().note, "乙改过的批注");
    assert_eq!(c.annotations.len(), a.annotations.len() + 1);
}

#[test]
fn merge_is_one_undo_step() {
    let (a, b, _) = colleagues();
    let plan = plan_merge(&a, &b);
    let mut c = a.clone();
    let undo = c.apply(plan.command_all(Resolution::Both)).unwrap();
    assert_ne!(c, a);
    c.apply(undo).unwrap();
    assert_eq!(c.annotations, a.annotations);
    assert_eq!(c.tags, a.tags);
}

#[test]
fn documents_match_by_text_not_by_id() {
    let a = sample_workspace();
    // Their copy of the same speech was imported separately and got another ID.
    let mut b = Workspace::new();
    b.next_id = 500;
    let d = a.documents[0].clone();
    b.apply(Command::AddDocument(Box::new(Document::new(
        d.text.clone(),
        Origin::default(),
        DocMeta::default(),
    ))))
    .unwrap();
    let bdoc = b.documents[0].id;
    assert_ne!(bdoc, d.id);
    add_ann(&mut b, bdoc, 5..9, "他们的批注");
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert_eq!(plan.documents.matched, 1);
    assert_eq!(c.documents.len(), a.documents.len());
    let theirs = c
        .annotations
        .iter()
        .find(|x| x.note == "他们的批注")
        .unwrap();
    assert_eq!(theirs.doc, d.id);
    // Their empty details do not overwrite ours.
    assert_eq!(c.documents[0].meta, a.documents[0].meta);
}

#[test]
fn a_revised_text_is_kept_as_its_own_document() {
    let a = sample_workspace();
    let mut b = a.clone();
    let id = b.documents[0].id;
    let mut text = b.documents[0].text.clone();
    text.push_str("\n补充一段。");
    std::sync::Arc::make_mut(&mut b.documents[0]).text = text;
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert_eq!(plan.documents.added, 1);
    assert_eq!(c.documents.len(), 2);
    assert_ne!(c.documents[1].id, id);
    assert_ids_unique(&c);
    // Their annotations follow their document.
    let on_new = c
        .annotations
        .iter()
        .filter(|x| x.doc == c.documents[1].id)
        .count();
    assert_eq!(on_new, b.annotations.len());
}

#[test]
fn tags_match_by_path_and_fill_empty_descriptions() {
    let mut a = Workspace::new();
    let pa = add_tag(&mut a, "社区服务", None);
    add_tag(&mut a, "社区卫生", Some(pa));
    let mut b = Workspace::new();
    b.next_id = 100;
    let pb = add_tag(&mut b, "社区服务", None);
    let kb = add_tag(&mut b, "社区卫生", Some(pb));
    add_tag(&mut b, "社区卫生", None); // same name, other path: another tag
    let mut t = b.tag(kb).unwrap().clone();
    t.description = "卫生服务站".into();
    b.apply(Command::SetTag(Box::new(t))).unwrap();
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert_eq!(plan.tags.matched, 2);
    assert_eq!(plan.tags.added, 1);
    assert!(plan.conflicts.is_empty());
    assert_eq!(c.tags.len(), 3);
    let child = c.tags.iter().find(|t| t.parent == Some(pa)).unwrap();
    assert_eq!(child.description, "卫生服务站");
}

#[test]
fn tag_colour_differences_are_conflicts() {
    let mut a = Workspace::new();
    let ta = add_tag(&mut a, "民生", None);
    let mut b = a.clone();
    let mut t = b.tag(ta).unwrap().clone();
    t.color = "#123456".into();
    b.apply(Command::SetTag(Box::new(t))).unwrap();
    let plan = plan_merge(&a, &b);
    assert_eq!(plan.conflicts.len(), 1);
    assert_eq!(plan.conflicts[0].kind, ConflictKind::Tag);
    assert!(!plan.conflicts[0].can_keep_both());
    let mut c = a.clone();
    c.apply(plan.command_all(Resolution::Theirs)).unwrap();
    assert_eq!(c.tag(ta).unwrap().color, "#123456");
    let mut c = a.clone();
    c.apply(plan.command_all(Resolution::Both)).unwrap();
    assert_eq!(c.tag(ta).unwrap().color, "#ffcc00");
}

#[test]
fn sources_match_by_doc_number_in_any_bracket() {
    let mut a = Workspace::new();
    let s = Source {
        title: "国务院关于加强和改进社区服务工作的意见".into(),
        doc_number: "国发〔2006〕14号".into(),
        ..Default::default()
    };
    a.apply(Command::AddSource(Box::new(s))).unwrap();
    let mut b = Workspace::new();
    b.next_id = 50;
    let s = Source {
        title: "关于加强和改进社区服务工作的意见".into(),
        doc_number: "国发[2006]14号".into(),
        url: "https://www.gov.cn/".into(),
        ..Default::default()
    };
    b.apply(Command::AddSource(Box::new(s))).unwrap();
    let other = Source {
        title: "国务院关于加强和改进社区服务工作的意见".into(),
        doc_number: "国发〔2006〕10号".into(),
        ..Default::default()
    };
    b.apply(Command::AddSource(Box::new(other))).unwrap();
    let (c, plan) = merged(&a, &b, Resolution::Ours);
    assert_eq!(plan.sources.matched, 1);
    assert_eq!(
        plan.sources.added, 1,
        "another 文号 under one title is another source"
    );
    assert_eq!(c.sources.len(), 2);
    assert_eq!(
        c.sources[0].url, "https://www.gov.cn/",
        "empty field filled"
    );
    assert_eq!(plan.conflicts.len(), 1, "titles differ");
    assert_eq!(plan.conflicts[0].fields[0].field, "title");
    let (c, _) = merged(&a, &b, Resolution::Both);
    assert_eq!(c.sources.len(), 3, "both versions kept");
}

#[test]
fn directives_keep_their_source_links_across_the_merge() {
    let a = Workspace::new();
    let b = sample_workspace();
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert!(plan.conflicts.is_empty());
    assert_eq!(c.annotations.len(), b.annotations.len());
    assert_eq!(c.sources.len(), b.sources.len());
    for ann in &c.annotations {
        if let Some(src) = ann.directive.as_ref().and_then(|d| d.source) {
            assert!(c.sources.iter().any(|s| s.id == src));
        }
    }
    // An empty workspace takes everything with the same IDs.
    assert_eq!(c.annotations, b.annotations);
}

#[test]
fn identical_annotations_under_different_ids_are_one() {
    let a = sample_workspace();
    let mut b = a.clone();
    // Their copy of annotation 0 got another ID (e.g. deleted and redone).
    let mut x = b.annotations[0].clone();
    b.apply(Command::RemoveAnnotation(x.id)).unwrap();
    x.id = AnnId(0);
    b.apply(Command::AddAnnotation(Box::new(x))).unwrap();
    let plan = plan_merge(&a, &b);
    assert!(plan.is_empty(), "{:?}", plan.conflicts);
}

#[test]
fn with_the_common_ancestor_one_sided_changes_are_not_conflicts() {
    let base = sample_workspace();
    let mut a = base.clone();
    let mut b = base.clone();
    let (x, y, z) = (
        base.annotations[0].id,
        base.annotations[1].id,
        base.annotations[2].id,
    );
    set_note(&mut a, x, "只有我们改了");
    set_note(&mut b, y, "只有他们改了");
    set_note(&mut a, z, "我们的版本");
    set_note(&mut b, z, "他们的版本");
    // Two-way, every difference is a question.
    assert_eq!(plan_merge(&a, &b).conflicts.len(), 3);
    // Three-way, only the note both changed is.
    let plan = plan_merge_with_base(&a, &b, Some(&base));
    assert_eq!(plan.conflicts.len(), 1, "{:?}", plan.conflicts);
    assert_eq!(plan.conflicts[0].id, z.0);
    let mut c = a.clone();
    c.apply(plan.command_all(Resolution::Ours)).unwrap();
    assert_eq!(c.annotation(x).unwrap().note, "只有我们改了");
    assert_eq!(c.annotation(y).unwrap().note, "只有他们改了");
    assert_eq!(c.annotation(z).unwrap().note, "我们的版本");
}

#[test]
fn with_the_common_ancestor_their_colour_and_details_come_over() {
    let base = sample_workspace();
    let mut a = base.clone();
    let mut b = base.clone();
    let t = base.tags[0].id;
    let mut tag = b.tag(t).unwrap().clone();
    tag.color = "#010203".into();
    b.apply(Command::SetTag(Box::new(tag))).unwrap();
    let d = base.documents[0].id;
    let mut meta = b.document(d).unwrap().meta.clone();
    meta.place = "长春市".into();
    meta.title = "他们改的题目".into();
    b.apply(Command::SetDocMeta(d, meta)).unwrap();
    let mut meta = a.document(d).unwrap().meta.clone();
    meta.speaker = "我们改的讲话人".into();
    a.apply(Command::SetDocMeta(d, meta)).unwrap();
    let plan = plan_merge_with_base(&a, &b, Some(&base));
    assert!(plan.conflicts.is_empty(), "{:?}", plan.conflicts);
    let mut c = a.clone();
    c.apply(plan.command_all(Resolution::Both)).unwrap();
    assert_eq!(c.tag(t).unwrap().color, "#010203");
    let m = &c.document(d).unwrap().meta;
    assert_eq!(m.title, "他们改的题目");
    assert_eq!(m.speaker, "我们改的讲话人");
    assert_eq!(m.place, "长春市");
}

#[test]
fn deletions_are_never_carried_over() {
    let base = sample_workspace();
    let a = base.clone();
    let mut b = base.clone();
    let gone = base.annotations[4].id;
    b.apply(Command::RemoveAnnotation(gone)).unwrap();
    let plan = plan_merge_with_base(&a, &b, Some(&base));
    assert!(plan.is_empty());
    // And what we deleted comes back from theirs: nothing is lost, the user deletes again.
    let mut a2 = base.clone();
    a2.apply(Command::RemoveAnnotation(gone)).unwrap();
    let (c, _) = merged(&a2, &base, Resolution::Both);
    assert!(c.annotation(gone).is_some());
}

#[test]
fn keeping_both_of_a_source_and_an_annotation_conflict_applies() {
    let base = sample_workspace();
    let mut a = base.clone();
    let mut b = base.clone();
    for (ws, title, note) in [
        (&mut a, "我们的题目", "我们的批注"),
        (&mut b, "他们的题目", "他们的批注"),
    ] {
        let mut s = ws
            .sources
            .iter()
            .find(|s| !s.doc_number.is_empty())
            .unwrap()
            .clone();
        s.title = title.into();
        ws.apply(Command::SetSource(Box::new(s))).unwrap();
        let id = ws.annotations[0].id;
        set_note(ws, id, note);
    }
    let plan = plan_merge(&a, &b);
    let kinds: Vec<ConflictKind> = plan.conflicts.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&ConflictKind::Source) && kinds.contains(&ConflictKind::Annotation));
    let (c, _) = merged(&a, &b, Resolution::Both);
    assert_ids_unique(&c);
    assert_eq!(c.sources.len(), a.sources.len() + 1);
    assert!(c.annotations.iter().any(|x| x.note == "他们的批注"));
}

#[test]
fn tags_of_a_damaged_file_merge_by_name_at_the_top() {
    let mut a = Workspace::new();
    add_tag(&mut a, "甲", None);
    let mut b = Workspace::new();
    b.next_id = 10;
    let t = |id, name: &str, parent| Tag {
        id: TagId(id),
        name: name.into(),
        parent,
        color: "#ffcc00".into(),
        description: String::new(),
        guid: String::new(),
        memo: String::new(),
    };
    // A parent cycle 甲 ⇄ 乙 and a missing parent, as a damaged file might hold.
    b.tags = vec![
        t(11, "甲", Some(TagId(12))),
        t(12, "乙", Some(TagId(11))),
        t(13, "乙", Some(TagId(99))),
    ];
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert_eq!(
        plan.tags.matched, 2,
        "甲 matched, the second 乙 joins the first"
    );
    let names: Vec<&str> = c.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["甲", "乙"]);
}

#[test]
fn their_verification_is_dropped_when_the_source_texts_differ() {
    let a = crate::sample::verification_sample();
    let mut b = a.clone();
    let sid = b
        .annotations
        .iter()
        .find_map(|x| {
            x.directive
                .as_ref()?
                .verification
                .as_ref()
                .map(|v| v.source)
        })
        .unwrap();
    let mut s = b.source(sid).unwrap().clone();
    s.text = Some(format!("前言。{}", s.text.unwrap()));
    b.apply(Command::SetSource(Box::new(s))).unwrap();
    // They re-verified against their text and wrote a note, so the annotation differs.
    let i = b
        .annotations
        .iter()
        .position(|x| x.directive.as_ref().is_some_and(|d| d.source == Some(sid)))
        .unwrap();
    let id = b.annotations[i].id;
    let mut x = b.annotations[i].clone();
    x.id = AnnId(0);
    x.note = "他们的副本".into();
    b.apply(Command::AddAnnotation(Box::new(x))).unwrap();
    let (c, _) = merged(&a, &b, Resolution::Ours);
    let copy = c
        .annotations
        .iter()
        .find(|x| x.note == "他们的副本")
        .unwrap();
    let d = copy.directive.as_ref().unwrap();
    assert_eq!(d.source, Some(sid), "still linked");
    assert!(d.verification.is_none() && d.source_span.is_none());
    assert!(
        c.annotation(id)
            .unwrap()
            .directive
            .as_ref()
            .unwrap()
            .verification
            .is_some()
    );
}

#[test]
fn two_of_their_sources_completing_one_of_ours_both_count() {
    let mut a = Workspace::new();
    let src = |url: &str, place: &str| Source {
        title: "国务院关于加强和改进社区服务工作的意见".into(),
        doc_number: "国发〔2006〕14号".into(),
        url: url.into(),
        place: place.into(),
        ..Default::default()
    };
    a.apply(Command::AddSource(Box::new(src("", "")))).unwrap();
    let mut b = Workspace::new();
    b.next_id = 30;
    b.apply(Command::AddSource(Box::new(src("https://www.gov.cn/", ""))))
        .unwrap();
    b.apply(Command::AddSource(Box::new(src("", "北京"))))
        .unwrap();
    let (c, plan) = merged(&a, &b, Resolution::Both);
    assert_eq!(plan.sources.matched, 2);
    assert_eq!(c.sources.len(), 1);
    assert_eq!(c.sources[0].url, "https://www.gov.cn/");
    assert_eq!(c.sources[0].place, "北京");
}

#[test]
fn rejections_merge_two_and_three_way() {
    use crate::model::Rejection;
    let base = sample_workspace();
    let d = base.documents[0].id;
    let text = base.document(d).unwrap().text.clone();
    let reject = |ws: &mut Workspace, range: std::ops::Range<usize>| {
        let r = Rejection::new(d, &text, range);
        ws.apply(Command::RejectCandidate(Box::new(r.clone())))
            .unwrap();
        r
    };
    let mut shared = base.clone();
    let both = reject(&mut shared, 0..4);
    let (mut a, mut b) = (shared.clone(), shared.clone());
    // They reject another candidate; we take back the one we both had.
    let theirs = reject(&mut b, 10..20);
    a.apply(Command::UnrejectCandidate(Box::new(both.clone())))
        .unwrap();
    // Two-way: their decisions come over, ours are kept.
    let (two, plan) = merged(&a, &b, Resolution::Both);
    assert_eq!(plan.rejections.added, 2);
    assert!(two.is_rejected(d, 10, 20) && two.is_rejected(d, 0, 4));
    // Three-way: our taking back stands, their new rejection comes over.
    let plan = plan_merge_with_base(&a, &b, Some(&shared));
    let mut three = a.clone();
    three.apply(plan.command_all(Resolution::Both)).unwrap();
    assert!(three.is_rejected(d, 10, 20));
    assert!(!three.is_rejected(d, 0, 4), "{:?}", three.rejections);
    assert_eq!(three.rejections, vec![theirs]);
    // Merging again changes nothing.
    let again = plan_merge_with_base(&three, &b, Some(&shared));
    assert_eq!(again.rejections.added, 0);
}
