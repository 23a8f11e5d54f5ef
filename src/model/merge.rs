//! Merging a colleague's workspace into ours without losing anything from either side.
//!
//! Items are matched the way people recognise them, not by ID alone (two colleagues hand out
//! the same IDs to different things):
//! - documents by the hash of their text;
//! - tags by their path in the codebook (`社区服务 / 社区卫生`);
//! - sources by 文号 when both have one, otherwise by title;
//! - annotations by ID *and* anchor (same document, same span, same quote); an annotation
//!   with the same content under another ID is recognised too.
//!
//! Whatever only one side has is added. Where both sides hold the same item, empty fields are
//! filled from the other side and tag lists are united; where both sides wrote different
//! values, a [`Conflict`] is listed and the user chooses per conflict: keep ours, take theirs,
//! or (for annotations and sources) keep both as separate items. [`MergePlan::command`]
//! turns the plan plus those choices into one [`Command`], so a merge is one undo step.

use super::source::{doc_number_key, title_key};
use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::annotation::Annotation;
use super::command::Command;
use super::document::DocMeta;
use super::ids::{AnnId, DocId, SourceId, TagId};
use super::source::{DirectiveInfo, Source};
use super::tag::Tag;
use super::workspace::Workspace;

/// What the user chose for one conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resolution {
    /// Keep our version (theirs is dropped from the merged result).
    Ours,
    /// Take their version of the conflicting fields.
    Theirs,
    /// Keep both as separate items (annotations and sources); for items that cannot be
    /// doubled (tags, document details) this keeps ours.
    #[default]
    Both,
}

impl Resolution {
    /// Parses `ours`, `theirs` or `both`.
    pub fn parse(s: &str) -> Option<Resolution> {
        match s {
            "ours" | "mine" => Some(Resolution::Ours),
            "theirs" => Some(Resolution::Theirs),
            "both" => Some(Resolution::Both),
            _ => None,
        }
    }
}

/// The kind of item a conflict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// A document's details (title, speaker, …).
    Document,
    /// A codebook entry.
    Tag,
    /// A source record.
    Source,
    /// An annotation or directive.
    Annotation,
}

impl ConflictKind {
    /// Lower-case English name, used in the command-line report.
    pub fn name(self) -> &'static str {
        match self {
            ConflictKind::Document => "document",
            ConflictKind::Tag => "tag",
            ConflictKind::Source => "source",
            ConflictKind::Annotation => "annotation",
        }
    }
}

/// One field both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDiff {
    /// Field name (`note`, `title`, `colour`, …).
    pub field: &'static str,
    /// Our value, as text.
    pub ours: String,
    /// Their value, as text.
    pub theirs: String,
}

/// An item both sides hold with different values in the same field.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// What kind of item.
    pub kind: ConflictKind,
    /// The item in our workspace (its ID number).
    pub id: u64,
    /// A short human description of the item (title, tag path, quoted passage).
    pub item: String,
    /// The differing fields.
    pub fields: Vec<FieldDiff>,
    /// Applies their values (after the automatic part of the merge).
    theirs: Command,
    /// Adds their version as a separate item, when the kind allows it.
    both: Option<Command>,
}

impl Conflict {
    /// Whether "keep both" makes a separate item (annotations and sources) rather than
    /// keeping ours.
    pub fn can_keep_both(&self) -> bool {
        self.both.is_some()
    }
}

/// Counts of what a merge does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// Items only they had, added.
    pub added: usize,
    /// Items both had (identical or merged automatically).
    pub matched: usize,
}

/// What merging their workspace into ours will do.
#[derive(Debug, Clone)]
pub struct MergePlan {
    /// The changes that need no decision, in dependency order.
    base: Vec<Command>,
    /// Conflicts to resolve.
    pub conflicts: Vec<Conflict>,
    /// Documents added / matched.
    pub documents: MergeCounts,
    /// Tags added / matched.
    pub tags: MergeCounts,
    /// Sources added / matched.
    pub sources: MergeCounts,
    /// Annotations added / matched.
    pub annotations: MergeCounts,
    /// Rejected directive candidates added / matched.
    pub rejections: MergeCounts,
    /// Items filled in or united automatically (empty field taken from the other side, tag
    /// lists united).
    pub auto_merged: usize,
    /// Their sources matched to ours whose texts differ (planning only).
    other_text: HashSet<SourceId>,
    /// Their annotations (or rejected candidates) on a document their file does not hold (a
    /// damaged file); they are left out and counted here so the report can say so.
    pub skipped: usize,
}

impl MergePlan {
    /// Whether the merge changes nothing.
    pub fn is_empty(&self) -> bool {
        self.base.is_empty() && self.conflicts.is_empty()
    }

    /// One command (a batch, so one undo step) carrying out the merge with these choices;
    /// `choices[i]` resolves `conflicts[i]`, missing entries count as [`Resolution::Both`].
    pub fn command(&self, choices: &[Resolution]) -> Command {
        let mut cmds = self.base.clone();
        for (i, c) in self.conflicts.iter().enumerate() {
            match choices.get(i).copied().unwrap_or_default() {
                Resolution::Ours => {}
                Resolution::Theirs => cmds.push(c.theirs.clone()),
                Resolution::Both => {
                    if let Some(b) = &c.both {
                        cmds.push(b.clone());
                    }
                }
            }
        }
        Command::Batch {
            label: super::ChangeKind::MergeWorkspace,
            commands: cmds,
        }
    }

    /// The same choice for every conflict.
    pub fn command_all(&self, choice: Resolution) -> Command {
        self.command(&vec![choice; self.conflicts.len()])
    }
}

/// SHA-256 of a text, hex. Documents with the same hash are the same document.
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hands out IDs for their items: their own ID when ours does not use it, otherwise a fresh
/// one above every ID either side has used.
struct IdAlloc {
    used: HashSet<u64>,
    next: u64,
}

impl IdAlloc {
    fn new(ours: &Workspace, theirs: &Workspace) -> Self {
        let used: HashSet<u64> = ours.item_ids().collect();
        let max_theirs = theirs.max_item_id();
        let max_ours = used.iter().copied().max().unwrap_or(0);
        let next = ours
            .next_id
            .max(theirs.next_id)
            .max(max_ours.saturating_add(1))
            .max(max_theirs.saturating_add(1))
            .max(1);
        IdAlloc { used, next }
    }

    /// Their ID if free, else a fresh one.
    fn keep_or_fresh(&mut self, theirs: u64) -> u64 {
        if theirs != 0 && self.used.insert(theirs) {
            theirs
        } else {
            self.fresh()
        }
    }

    fn fresh(&mut self) -> u64 {
        while self.used.contains(&self.next) {
            self.next += 1;
        }
        let id = self.next;
        self.used.insert(id);
        self.next += 1;
        id
    }
}

/// Tag paths as lists of names, for matching across workspaces.
fn tag_paths(ws: &Workspace) -> HashMap<TagId, Vec<String>> {
    ws.tags
        .iter()
        .map(|t| {
            let mut parts = Vec::new();
            let mut cur = Some(t);
            while let Some(x) = cur {
                parts.push(x.name.trim().to_string());
                if parts.len() > 64 {
                    break;
                }
                cur = x.parent.and_then(|p| ws.tag(p));
            }
            parts.reverse();
            (t.id, parts)
        })
        .collect()
}

/// Merges the fields of one item, two-way or (with the common ancestor) three-way.
#[derive(Default)]
struct FieldMerge {
    diffs: Vec<FieldDiff>,
    /// Something was taken from theirs without asking.
    filled: bool,
}

impl FieldMerge {
    /// Merges one field into `merged` (which starts as ours) and returns the value the
    /// "take theirs" resolution sets. Equal values stay; an empty side takes the other; with
    /// the ancestor's value, a field only one side changed takes that side's value; otherwise
    /// a conflict is recorded.
    #[allow(clippy::too_many_arguments)]
    fn value<T: Clone>(
        &mut self,
        field: &'static str,
        merged: &mut T,
        theirs: &T,
        base: Option<&T>,
        eq: impl Fn(&T, &T) -> bool,
        empty: impl Fn(&T) -> bool,
        show: impl Fn(&T) -> String,
    ) -> T {
        if eq(merged, theirs) || empty(theirs) {
            return merged.clone();
        }
        let take = empty(merged) || base.is_some_and(|b| eq(b, merged));
        if take {
            *merged = theirs.clone();
            self.filled = true;
            return merged.clone();
        }
        if base.is_some_and(|b| eq(b, theirs)) {
            // Only we changed it.
            return merged.clone();
        }
        self.diffs.push(FieldDiff {
            field,
            ours: show(merged),
            theirs: show(theirs),
        });
        theirs.clone()
    }

    /// An optional value (`None` is empty): a source's text, an annotation's directive.
    fn option<T: Clone + PartialEq>(
        &mut self,
        field: &'static str,
        merged: &mut Option<T>,
        theirs: &Option<T>,
        base: Option<&Option<T>>,
        show: impl Fn(&T) -> String,
    ) -> Option<T> {
        self.value(
            field,
            merged,
            theirs,
            base,
            |x, y| x == y,
            |x| x.is_none(),
            |x| x.as_ref().map(&show).unwrap_or_default(),
        )
    }

    /// A text field (surrounding white space does not make a difference).
    fn text(
        &mut self,
        field: &'static str,
        merged: &mut String,
        theirs: &str,
        base: Option<&str>,
    ) -> String {
        let base = base.map(str::to_string);
        self.value(
            field,
            merged,
            &theirs.to_string(),
            base.as_ref(),
            |a, b| a.trim() == b.trim(),
            |a| a.trim().is_empty(),
            |a| a.clone(),
        )
    }

    /// Tag lists are united, never a conflict (sorted, no duplicates).
    fn tags(&mut self, merged: &mut Vec<TagId>, theirs: &[TagId]) -> Vec<TagId> {
        let before = merged.len();
        merged.extend(theirs.iter().copied());
        merged.sort();
        merged.dedup();
        if merged.len() != before {
            self.filled = true;
        }
        merged.clone()
    }

    /// Records the outcome in the plan: `auto` (the item with what was taken from theirs)
    /// when anything was, and a conflict built by `conflict` when fields differ.
    fn record(
        self,
        plan: &mut MergePlan,
        auto: impl FnOnce() -> Command,
        conflict: impl FnOnce(Vec<FieldDiff>) -> Conflict,
    ) {
        if self.filled {
            plan.auto_merged += 1;
            plan.base.push(auto());
        }
        if !self.diffs.is_empty() {
            plan.conflicts.push(conflict(self.diffs));
        }
    }

    /// A colour (`#rrggbb`, case does not matter).
    fn colour(&mut self, merged: &mut String, theirs: &str, base: Option<&str>) -> String {
        let base = base.map(str::to_string);
        self.value(
            "colour",
            merged,
            &theirs.to_string(),
            base.as_ref(),
            |a, b| a.eq_ignore_ascii_case(b),
            |a| a.trim().is_empty(),
            |a| a.clone(),
        )
    }
}

fn short(s: &str, n: usize) -> String {
    super::preview(s, n)
}

/// Plans merging `theirs` into `ours`. Neither workspace is changed; apply
/// [`MergePlan::command`] to `ours` to carry it out.
pub fn plan_merge(ours: &Workspace, theirs: &Workspace) -> MergePlan {
    plan_merge_with_base(ours, theirs, None)
}

/// Like [`plan_merge`], knowing the workspace both started from (`base`, e.g. the copy of the
/// shared file each colleague took). A field only one side changed since then is not a
/// conflict: that side's value is taken. Deletions are never carried over — an item one side
/// deleted is kept, so nothing is lost.
pub fn plan_merge_with_base(
    ours: &Workspace,
    theirs: &Workspace,
    base: Option<&Workspace>,
) -> MergePlan {
    let mut plan = MergePlan {
        base: Vec::new(),
        conflicts: Vec::new(),
        documents: MergeCounts::default(),
        tags: MergeCounts::default(),
        sources: MergeCounts::default(),
        annotations: MergeCounts::default(),
        rejections: MergeCounts::default(),
        auto_merged: 0,
        skipped: 0,
        other_text: HashSet::new(),
    };
    let mut ids = IdAlloc::new(ours, theirs);

    // Tags first: everything else refers to them.
    let tag_map = merge_tags(ours, theirs, base, &mut ids, &mut plan);
    let map_tags = |v: &[TagId]| -> Vec<TagId> {
        let mut out: Vec<TagId> = v.iter().filter_map(|t| tag_map.get(t).copied()).collect();
        out.sort();
        out.dedup();
        out
    };

    let source_map = merge_sources(ours, theirs, base, &mut ids, &mut plan);

    // Documents by text hash.
    let ours_by_hash: HashMap<String, DocId> = ours
        .documents
        .iter()
        .map(|d| (text_hash(&d.text), d.id))
        .collect();
    let base_by_hash: HashMap<String, &crate::model::Document> = base
        .map(|b| {
            b.documents
                .iter()
                .map(|d| (text_hash(&d.text), &**d))
                .collect()
        })
        .unwrap_or_default();
    let mut doc_map: HashMap<DocId, DocId> = HashMap::new();
    for d in &theirs.documents {
        let mut theirs_meta = d.meta.clone();
        theirs_meta.tags = map_tags(&d.meta.tags);
        if let Some(&oid) = ours_by_hash.get(&text_hash(&d.text)) {
            doc_map.insert(d.id, oid);
            plan.documents.matched += 1;
            let od = ours.document(oid).expect("hashed from ours");
            let bm = base_by_hash.get(&text_hash(&d.text)).map(|d| &d.meta);
            merge_doc_meta(oid, &od.meta, &theirs_meta, bm, &mut plan);
        } else {
            let mut nd = (**d).clone();
            nd.id = DocId(ids.keep_or_fresh(d.id.0));
            nd.meta = theirs_meta;
            doc_map.insert(d.id, nd.id);
            plan.documents.added += 1;
            plan.base.push(Command::AddDocument(Box::new(nd)));
        }
    }

    // Annotations by ID and anchor, then by content.
    let other_text = std::mem::take(&mut plan.other_text);
    let map_directive = |di: &DirectiveInfo| -> DirectiveInfo {
        let mut di = di.clone();
        if di.source.is_some_and(|s| other_text.contains(&s)) {
            // Their offsets point into their text of the source, not ours.
            di.source_span = None;
            di.verification = None;
        }
        di.source = di.source.and_then(|s| source_map.get(&s).copied());
        if let Some(v) = &mut di.verification {
            match source_map.get(&v.source) {
                Some(s) => v.source = *s,
                None => di.verification = None,
            }
        }
        di
    };
    let same_anchor = |a: &Annotation, b: &Annotation| {
        a.doc == b.doc
            && a.anchor.start == b.anchor.start
            && a.anchor.end == b.anchor.end
            && a.anchor.quote == b.anchor.quote
    };
    let ours_by_id: HashMap<AnnId, &Annotation> =
        ours.annotations.iter().map(|a| (a.id, a)).collect();
    let mut ours_by_span: HashMap<(DocId, usize, usize), Vec<&Annotation>> = HashMap::new();
    for a in &ours.annotations {
        ours_by_span
            .entry((a.doc, a.anchor.start.0, a.anchor.end.0))
            .or_default()
            .push(a);
    }
    for a in &theirs.annotations {
        let Some(&doc) = doc_map.get(&a.doc) else {
            // A dangling annotation in their file: keep it out rather than corrupt ours.
            plan.skipped += 1;
            continue;
        };
        let mut t = a.clone();
        t.doc = doc;
        t.tags = map_tags(&a.tags);
        t.directive = a.directive.as_ref().map(map_directive);
        if let Some(o) = ours_by_id.get(&a.id).filter(|o| same_anchor(o, &t)) {
            plan.annotations.matched += 1;
            let b = base
                .and_then(|b| b.annotation(o.id))
                .filter(|b| same_anchor(b, o));
            merge_annotation(o, t, b, &mut ids, &mut plan);
            continue;
        }
        let twin = ours_by_span
            .get(&(t.doc, t.anchor.start.0, t.anchor.end.0))
            .into_iter()
            .flatten()
            .find(|o| {
                same_anchor(o, &t)
                    && o.note.trim() == t.note.trim()
                    && o.tags == t.tags
                    && o.color == t.color
                    && o.directive == t.directive
            });
        if twin.is_some() {
            plan.annotations.matched += 1;
            continue;
        }
        t.id = AnnId(ids.keep_or_fresh(a.id.0));
        plan.annotations.added += 1;
        plan.base.push(Command::AddAnnotation(Box::new(t)));
    }

    merge_rejections(ours, theirs, base, &doc_map, &mut plan);
    merge_workspace_notes(ours, theirs, base, &mut plan);

    // Dependency order inside the batch: tags, sources, documents, then the rest as pushed.
    plan.base.sort_by_key(|c| match c {
        Command::AddTag(_) => 0,
        Command::SetTag(_) => 1,
        Command::AddSource(_) | Command::SetSource(_) => 2,
        Command::AddDocument(_) => 3,
        Command::SetDocMeta(..) => 4,
        _ => 5,
    });
    plan
}

fn merge_tags(
    ours: &Workspace,
    theirs: &Workspace,
    base: Option<&Workspace>,
    ids: &mut IdAlloc,
    plan: &mut MergePlan,
) -> HashMap<TagId, TagId> {
    let base_paths: HashMap<Vec<String>, TagId> = base
        .map(|b| tag_paths(b).into_iter().map(|(id, p)| (p, id)).collect())
        .unwrap_or_default();
    let ours_paths = tag_paths(ours);
    let ours_by_path: HashMap<&Vec<String>, TagId> =
        ours_paths.iter().map(|(id, p)| (p, *id)).collect();
    let theirs_paths = tag_paths(theirs);
    let mut map: HashMap<TagId, TagId> = HashMap::new();
    // Parents before children (tree order).
    for (_, t) in theirs.tag_tree() {
        let path = &theirs_paths[&t.id];
        if let Some(&oid) = ours_by_path.get(path) {
            map.insert(t.id, oid);
            plan.tags.matched += 1;
            let o = ours.tag(oid).expect("from ours");
            let b = base.and_then(|b| base_paths.get(path).and_then(|id| b.tag(*id)));
            let mut merged = o.clone();
            let mut fm = FieldMerge::default();
            let mut th = o.clone();
            th.description = fm.text(
                "description",
                &mut merged.description,
                &t.description,
                b.map(|b| b.description.as_str()),
            );
            th.color = fm.colour(&mut merged.color, &t.color, b.map(|b| b.color.as_str()));
            th.memo = fm.text(
                "memo",
                &mut merged.memo,
                &t.memo,
                b.map(|b| b.memo.as_str()),
            );
            fm.record(
                plan,
                || Command::SetTag(Box::new(merged)),
                |fields| Conflict {
                    kind: ConflictKind::Tag,
                    id: oid.0,
                    item: ours.tag_path(oid),
                    fields,
                    theirs: Command::SetTag(Box::new(th)),
                    both: None,
                },
            );
        } else {
            let mut nt: Tag = t.clone();
            nt.id = TagId(ids.keep_or_fresh(t.id.0));
            nt.parent = t.parent.and_then(|p| map.get(&p).copied());
            map.insert(t.id, nt.id);
            plan.tags.added += 1;
            plan.base.push(Command::AddTag(Box::new(nt)));
        }
    }
    // Tags outside the tree (a parent cycle or a missing parent in a damaged file) go to the
    // top level, matched by name like any top-level tag.
    let mut top: HashMap<String, TagId> = ours
        .tags
        .iter()
        .filter(|t| t.parent.is_none())
        .map(|t| (t.name.trim().to_string(), t.id))
        .collect();
    for t in theirs.tags.iter().filter(|t| t.parent.is_none()) {
        if let Some(&id) = map.get(&t.id) {
            top.entry(t.name.trim().to_string()).or_insert(id);
        }
    }
    for t in &theirs.tags {
        if map.contains_key(&t.id) {
            continue;
        }
        let name = t.name.trim().to_string();
        if let Some(&id) = top.get(&name) {
            map.insert(t.id, id);
            plan.tags.matched += 1;
            continue;
        }
        let mut nt = t.clone();
        nt.id = TagId(ids.keep_or_fresh(t.id.0));
        nt.parent = None;
        map.insert(t.id, nt.id);
        top.insert(name, nt.id);
        plan.tags.added += 1;
        plan.base.push(Command::AddTag(Box::new(nt)));
    }
    map
}

fn find_source<'a>(ours: &'a Workspace, s: &Source) -> Option<&'a Source> {
    let num = doc_number_key(&s.doc_number);
    if !num.is_empty()
        && let Some(o) = ours
            .sources
            .iter()
            .find(|o| doc_number_key(&o.doc_number) == num)
    {
        return Some(o);
    }
    let title = title_key(&s.title);
    if title.is_empty() {
        // An untitled speech record: the same speaker, occasion and date.
        let who = (s.issuer.trim(), s.occasion.trim(), s.date.trim());
        if who == ("", "", "") {
            return None;
        }
        return ours.sources.iter().find(|o| {
            title_key(&o.title).is_empty()
                && o.kind == s.kind
                && (o.issuer.trim(), o.occasion.trim(), o.date.trim()) == who
        });
    }
    ours.sources.iter().find(|o| {
        let on = doc_number_key(&o.doc_number);
        // Two different 文号 are two documents even under one title.
        (on.is_empty() || num.is_empty() || on == num) && title_key(&o.title) == title
    })
}

fn merge_sources(
    ours: &Workspace,
    theirs: &Workspace,
    base: Option<&Workspace>,
    ids: &mut IdAlloc,
    plan: &mut MergePlan,
) -> HashMap<SourceId, SourceId> {
    let mut map = HashMap::new();
    // Our sources as this merge has completed them so far: a second source of theirs that
    // matches the same one of ours starts from there, not from the original.
    let mut done: HashMap<SourceId, Source> = HashMap::new();
    for s in &theirs.sources {
        let Some(o) = find_source(ours, s) else {
            let mut ns = s.clone();
            ns.id = SourceId(ids.keep_or_fresh(s.id.0));
            map.insert(s.id, ns.id);
            plan.sources.added += 1;
            plan.base.push(Command::AddSource(Box::new(ns)));
            continue;
        };
        let o = done.get(&o.id).unwrap_or(o).clone();
        let o = &o;
        map.insert(s.id, o.id);
        plan.sources.matched += 1;
        if s.text.is_some() && o.text.is_some() && s.text != o.text {
            plan.other_text.insert(s.id);
        }
        let b = base.and_then(|b| find_source(b, o));
        let mut merged = o.clone();
        let mut th = o.clone();
        let mut fm = FieldMerge::default();
        macro_rules! field {
            ($f:ident, $name:literal) => {
                th.$f = fm.text($name, &mut merged.$f, &s.$f, b.map(|b| b.$f.as_str()));
            };
        }
        field!(title, "title");
        field!(issuer, "issuer");
        field!(date, "date");
        field!(doc_number, "doc_number");
        field!(occasion, "occasion");
        field!(place, "place");
        field!(url, "url");
        field!(retrieved_on, "retrieved_on");
        field!(notes, "notes");
        th.kind = fm.value(
            "kind",
            &mut merged.kind,
            &s.kind,
            b.map(|b| &b.kind),
            |x, y| x == y,
            |_| false,
            |k| k.label().to_string(),
        );
        let text_before = merged.text.clone();
        th.text = fm.option("text", &mut merged.text, &s.text, b.map(|b| &b.text), |t| {
            short(t, 40)
        });
        if merged.text != text_before {
            merged.origin = s.origin.clone();
        }
        th.origin = if th.text == s.text {
            s.origin.clone()
        } else {
            merged.origin.clone()
        };
        let item = if o.title.is_empty() {
            o.doc_number.clone()
        } else {
            o.title.clone()
        };
        if fm.filled {
            done.insert(o.id, merged.clone());
        }
        fm.record(
            plan,
            || Command::SetSource(Box::new(merged)),
            |fields| {
                let mut copy = s.clone();
                // An ID from the same allocator as every other new item (an ID left to
                // `apply` could collide with one handed out here).
                copy.id = SourceId(ids.fresh());
                Conflict {
                    kind: ConflictKind::Source,
                    id: o.id.0,
                    item,
                    fields,
                    theirs: Command::SetSource(Box::new(th)),
                    both: Some(Command::AddSource(Box::new(copy))),
                }
            },
        );
    }
    map
}

/// Their rejected candidates are added unless we hold the same one (same document, span and
/// quote). With a base, a rejection the base held and we no longer do was taken back by us:
/// it is not brought back. A rejection they took back is kept (like any deletion).
fn merge_rejections(
    ours: &Workspace,
    theirs: &Workspace,
    base: Option<&Workspace>,
    doc_map: &HashMap<DocId, DocId>,
    plan: &mut MergePlan,
) {
    use super::rejection::Rejection;
    type Key = (String, usize, usize, bool, String);
    // Each document's text hashed once, not once per rejection.
    let hashes = |ws: &Workspace| -> HashMap<DocId, String> {
        let docs: HashSet<DocId> = ws.rejections.iter().map(|r| r.doc).collect();
        docs.into_iter()
            .filter_map(|id| Some((id, text_hash(&ws.document(id)?.text))))
            .collect()
    };
    let (ours_h, theirs_h, base_h) = (hashes(ours), hashes(theirs), base.map(hashes));
    let key_in = |h: &HashMap<DocId, String>, r: &Rejection| -> Option<Key> {
        Some((
            h.get(&r.doc)?.clone(),
            r.anchor.start.0,
            r.anchor.end.0,
            r.orphan,
            r.anchor.quote.clone(),
        ))
    };
    let ours_keys: HashSet<Key> = ours
        .rejections
        .iter()
        .filter_map(|r| key_in(&ours_h, r))
        .collect();
    let base_keys: HashSet<Key> = base
        .zip(base_h.as_ref())
        .map(|(b, h)| b.rejections.iter().filter_map(|r| key_in(h, r)).collect())
        .unwrap_or_default();
    let mut added: HashSet<Key> = HashSet::new();
    for r in &theirs.rejections {
        let (Some(key), Some(&doc)) = (key_in(&theirs_h, r), doc_map.get(&r.doc)) else {
            plan.skipped += 1;
            continue;
        };
        if ours_keys.contains(&key) {
            plan.rejections.matched += 1;
            continue;
        }
        if base_keys.contains(&key) || !added.insert(key) {
            continue;
        }
        let mut t = r.clone();
        t.doc = doc;
        plan.rejections.added += 1;
        plan.base.push(Command::RejectCandidate(Box::new(t)));
    }
}

/// The workspace's attribute names are united (ours first); its memo takes theirs when ours
/// is empty or unchanged since the base, and otherwise keeps both, theirs below ours.
fn merge_workspace_notes(
    ours: &Workspace,
    theirs: &Workspace,
    base: Option<&Workspace>,
    plan: &mut MergePlan,
) {
    let mut names = ours.attributes.clone();
    for n in &theirs.attributes {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    if names != ours.attributes {
        plan.auto_merged += 1;
        plan.base.push(Command::SetAttributeNames(names));
    }
    let (o, t) = (ours.memo.trim(), theirs.memo.trim());
    if t.is_empty() || o == t || base.is_some_and(|b| b.memo.trim() == t) || o.contains(t) {
        return;
    }
    let memo = if o.is_empty() || t.contains(o) || base.is_some_and(|b| b.memo.trim() == o) {
        theirs.memo.clone()
    } else {
        format!("{}\n\n——\n{}", ours.memo.trim_end(), theirs.memo.trim())
    };
    plan.auto_merged += 1;
    plan.base.push(Command::SetWorkspaceMemo(memo));
}

fn merge_doc_meta(
    id: DocId,
    ours: &DocMeta,
    theirs: &DocMeta,
    base: Option<&DocMeta>,
    plan: &mut MergePlan,
) {
    let mut merged = ours.clone();
    let mut th = ours.clone();
    let mut fm = FieldMerge::default();
    macro_rules! field {
        ($f:ident, $name:literal) => {
            th.$f = fm.text(
                $name,
                &mut merged.$f,
                &theirs.$f,
                base.map(|b| b.$f.as_str()),
            );
        };
    }
    field!(title, "title");
    field!(speaker, "speaker");
    field!(date, "date");
    field!(occasion, "occasion");
    field!(place, "place");
    field!(group, "group");
    field!(level, "level");
    field!(region, "region");
    field!(kind, "kind");
    field!(memo, "memo");
    for (key, value) in &theirs.attributes {
        let mut ours_value = merged.attributes.get(key).cloned().unwrap_or_default();
        let base_value = base.and_then(|b| b.attributes.get(key)).map(String::as_str);
        let th_value = fm.text("attribute", &mut ours_value, value, base_value);
        if !ours_value.is_empty() {
            merged.attributes.insert(key.clone(), ours_value);
        }
        if !th_value.is_empty() {
            th.attributes.insert(key.clone(), th_value);
        }
    }
    th.tags = fm.tags(&mut merged.tags, &theirs.tags);
    let item = merged.title.clone();
    fm.record(
        plan,
        || Command::SetDocMeta(id, merged),
        |fields| Conflict {
            kind: ConflictKind::Document,
            id: id.0,
            item,
            fields,
            theirs: Command::SetDocMeta(id, th),
            both: None,
        },
    );
}

fn merge_annotation(
    ours: &Annotation,
    theirs: Annotation,
    base: Option<&Annotation>,
    ids: &mut IdAlloc,
    plan: &mut MergePlan,
) {
    let mut merged = ours.clone();
    let mut th = ours.clone();
    let mut fm = FieldMerge::default();
    th.note = fm.text(
        "note",
        &mut merged.note,
        &theirs.note,
        base.map(|b| b.note.as_str()),
    );
    th.color = fm.colour(
        &mut merged.color,
        &theirs.color,
        base.map(|b| b.color.as_str()),
    );
    th.directive = fm.option(
        "directive",
        &mut merged.directive,
        &theirs.directive,
        base.map(|b| &b.directive),
        describe_directive,
    );
    th.tags = fm.tags(&mut merged.tags, &theirs.tags);
    fm.record(
        plan,
        || Command::SetAnnotation(Box::new(merged)),
        |fields| {
            let mut copy = theirs;
            copy.id = AnnId(ids.fresh());
            Conflict {
                kind: ConflictKind::Annotation,
                id: ours.id.0,
                item: format!("“{}”", short(&ours.anchor.quote, 24)),
                fields,
                theirs: Command::SetAnnotation(Box::new(th)),
                both: Some(Command::AddAnnotation(Box::new(copy))),
            }
        },
    );
}

fn describe_directive(d: &DirectiveInfo) -> String {
    let a = &d.attribution;
    let mut parts: Vec<String> = [&a.speaker, &a.source_title, &a.date]
        .into_iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    if let Some(s) = d.source {
        parts.push(format!("source {}", s.0));
    }
    if let Some(v) = &d.verification {
        parts.push(format!("{:?}", v.status).to_lowercase());
    }
    if parts.is_empty() {
        "directive".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests;
