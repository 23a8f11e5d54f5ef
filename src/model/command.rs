//! Commands: the only way a workspace changes. Each application returns its inverse.

use super::anchor::{Anchor, Reanchored, reanchor_all};
use super::annotation::Annotation;
use super::document::{DocMeta, Document, Origin};
use super::ids::{AnnId, DocId, SourceId, TagId};
use super::rejection::Rejection;
use super::source::Source;
use super::tag::Tag;
use super::workspace::Workspace;

/// One change to a workspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Add a document. A document whose ID is 0 gets a fresh ID; any other ID is kept (undo
    /// of a removal puts the document back under its old ID).
    AddDocument(Box<Document>),
    /// Remove a document together with its annotations.
    RemoveDocument(DocId),
    /// Replace a document's metadata.
    SetDocMeta(DocId, DocMeta),
    /// Replace a document's text and origin. Annotations are not touched: use
    /// [`Workspace::update_text`] to re-anchor them in the same step.
    ReplaceText {
        /// The document.
        id: DocId,
        /// The new text.
        text: String,
        /// Where the new text came from.
        origin: Origin,
    },
    /// Add a tag (ID 0: a fresh ID).
    AddTag(Box<Tag>),
    /// Replace a tag (rename, recolour, move under another parent, describe).
    SetTag(Box<Tag>),
    /// Delete a tag: annotations and documents lose it (keeping their other tags), its
    /// children move up to its parent.
    RemoveTag(TagId),
    /// Add an annotation (ID 0: a fresh ID).
    AddAnnotation(Box<Annotation>),
    /// Replace an annotation (note, tags, colour, anchor, orphan state).
    SetAnnotation(Box<Annotation>),
    /// Delete an annotation.
    RemoveAnnotation(AnnId),
    /// Add a source record (ID 0: a fresh ID).
    AddSource(Box<Source>),
    /// Replace a source record.
    SetSource(Box<Source>),
    /// Delete a source record; directives linked to it lose the link (and its verification).
    RemoveSource(SourceId),
    /// Replace the workspace's own memo.
    SetWorkspaceMemo(String),
    /// Replace the list of user-defined document attribute names (column order). Values
    /// stay in the documents; renaming an attribute is a batch with the documents' new meta.
    SetAttributeNames(Vec<String>),
    /// Record that the user rejected a detected directive candidate. The span is not checked
    /// against the text (re-anchoring passes through states where text and span disagree).
    RejectCandidate(Box<Rejection>),
    /// Take back a rejection (the one equal to this): the candidate is offered again.
    UnrejectCandidate(Box<Rejection>),
    /// Several commands as one undo step; all or nothing.
    Batch {
        /// What the user did, for the Undo menu entry.
        label: ChangeKind,
        /// The commands, applied in order.
        commands: Vec<Command>,
    },
}

/// Why a command could not be applied. The workspace is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The command names a document that is not in the workspace.
    #[error("document {0} is not in the workspace")]
    UnknownDocument(DocId),
    /// The command names a rejection that is not in the workspace.
    #[error("the rejected candidate “{0}” is not in the workspace")]
    UnknownRejection(String),
    /// The same candidate is already rejected.
    #[error("the candidate “{0}” is already rejected")]
    DuplicateRejection(String),
    /// A step of a batch failed, and undoing the steps before it failed too: the workspace
    /// may hold part of the change. Save a copy under another name and check it.
    #[error(
        "{cause}; undoing the part already done also failed ({rollback}): the workspace may hold part of the change, save a copy under another name and run yinwen check on it"
    )]
    RollbackFailed {
        /// Why the batch failed.
        cause: Box<CommandError>,
        /// Why undoing its first steps failed.
        rollback: Box<CommandError>,
    },
    /// The command would add a document under an ID already in use.
    #[error("document {0} is already in the workspace")]
    DuplicateDocument(DocId),
    /// The command names a tag that does not exist.
    #[error("tag {0} does not exist")]
    UnknownTag(TagId),
    /// The command names an annotation that does not exist.
    #[error("annotation {0} does not exist")]
    UnknownAnnotation(AnnId),
    /// An ID is already in use.
    #[error("ID {0} is already in use")]
    DuplicateId(u64),
    /// A tag name is empty or already used by a sibling.
    #[error("{0}")]
    BadTagName(String),
    /// A user-defined attribute would shadow a built-in document detail.
    #[error("“{0}” is a built-in document detail; choose another attribute name")]
    BadAttributeName(String),
    /// Moving a tag under itself or one of its descendants.
    #[error("a tag cannot be moved under itself or one of its own children")]
    TagCycle,
    /// The command names a source that does not exist.
    #[error("source {0} does not exist")]
    UnknownSource(SourceId),
    /// An annotation's passage lies outside its document.
    #[error("the passage {start}–{end} is outside the document ({len} characters)")]
    BadRange {
        /// Start char.
        start: usize,
        /// End char.
        end: usize,
        /// Document length in chars.
        len: usize,
    },
}

impl Command {
    /// A short description for menus ("Undo add tag").
    pub fn label(&self) -> ChangeKind {
        match self {
            Command::AddDocument(_) => ChangeKind::AddDocument,
            Command::RemoveDocument(_) => ChangeKind::RemoveDocument,
            Command::SetDocMeta(..) => ChangeKind::EditDocumentDetails,
            Command::ReplaceText { .. } => ChangeKind::ReplaceDocumentText,
            Command::AddTag(_) => ChangeKind::AddTag,
            Command::SetTag(_) => ChangeKind::EditTag,
            Command::RemoveTag(_) => ChangeKind::DeleteTag,
            Command::AddAnnotation(_) => ChangeKind::AddAnnotation,
            Command::SetAnnotation(_) => ChangeKind::EditAnnotation,
            Command::RemoveAnnotation(_) => ChangeKind::DeleteAnnotation,
            Command::AddSource(_) => ChangeKind::AddSource,
            Command::SetSource(_) => ChangeKind::EditSource,
            Command::RemoveSource(_) => ChangeKind::DeleteSource,
            Command::SetWorkspaceMemo(_) => ChangeKind::EditWorkspaceMemo,
            Command::SetAttributeNames(_) => ChangeKind::EditAttributes,
            Command::RejectCandidate(_) => ChangeKind::RejectCandidate,
            Command::UnrejectCandidate(_) => ChangeKind::RestoreCandidate,
            Command::Batch { label, .. } => *label,
        }
    }

    /// The IDs of the items a command *created*, read from the inverse that applying it
    /// returned: the inverse of an addition is a removal of what was added. Lets the window
    /// select the annotation or source it just made without guessing the ID.
    pub fn created_ids(inverse: &Command) -> Vec<u64> {
        let mut out = Vec::new();
        let mut stack = vec![inverse];
        while let Some(c) = stack.pop() {
            match c {
                Command::RemoveDocument(id) => out.push(id.0),
                Command::RemoveTag(id) => out.push(id.0),
                Command::RemoveAnnotation(id) => out.push(id.0),
                Command::RemoveSource(id) => out.push(id.0),
                Command::Batch { commands, .. } => stack.extend(commands.iter().rev()),
                _ => {}
            }
        }
        out
    }
}

/// What a change did, for the Undo and Redo menu entries: one name per kind of change, so
/// the window translates them with a `match` the compiler checks for completeness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum ChangeKind {
    /// A document was added.
    AddDocument,
    /// A document was removed.
    RemoveDocument,
    /// A document's details (title, speaker, …) were edited.
    EditDocumentDetails,
    /// A document's text was replaced.
    ReplaceDocumentText,
    /// A tag was added.
    AddTag,
    /// A tag was edited.
    EditTag,
    /// A tag was deleted.
    DeleteTag,
    /// An annotation was added.
    AddAnnotation,
    /// An annotation was edited.
    EditAnnotation,
    /// An annotation was deleted.
    DeleteAnnotation,
    /// A source was added.
    AddSource,
    /// A source was edited.
    EditSource,
    /// A source was deleted.
    DeleteSource,
    /// Two sources were merged.
    MergeSources,
    /// Two tags were merged.
    MergeTags,
    /// A document's text was updated and its annotations re-anchored.
    UpdateText,
    /// A problem in a document's text was corrected (a quick fix).
    CorrectText,
    /// An orphan annotation was re-attached.
    ReattachAnnotation,
    /// A codebook was imported.
    ImportCodebook,
    /// Directive candidates were accepted.
    AcceptDirectives,
    /// A source was created from a directive's attribution.
    CreateSource,
    /// All directives were verified.
    VerifyAll,
    /// A colleague's workspace was merged in.
    MergeWorkspace,
    /// The workspace memo was edited.
    EditWorkspaceMemo,
    /// The document attributes (names or values) were edited.
    EditAttributes,
    /// A folder of documents was imported.
    ImportFolder,
    /// A detected directive candidate was rejected.
    RejectCandidate,
    /// A rejected candidate was offered again.
    RestoreCandidate,
}

impl ChangeKind {
    /// Every kind, for tests and lists.
    pub fn all() -> impl Iterator<Item = ChangeKind> {
        <ChangeKind as strum::IntoEnumIterator>::iter()
    }

    /// An English name for logs and the command line (`add annotation`).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::AddDocument => "add document",
            ChangeKind::RemoveDocument => "remove document",
            ChangeKind::EditDocumentDetails => "edit document details",
            ChangeKind::ReplaceDocumentText => "replace document text",
            ChangeKind::AddTag => "add tag",
            ChangeKind::EditTag => "edit tag",
            ChangeKind::DeleteTag => "delete tag",
            ChangeKind::AddAnnotation => "add annotation",
            ChangeKind::EditAnnotation => "edit annotation",
            ChangeKind::DeleteAnnotation => "delete annotation",
            ChangeKind::AddSource => "add source",
            ChangeKind::EditSource => "edit source",
            ChangeKind::DeleteSource => "delete source",
            ChangeKind::MergeSources => "merge sources",
            ChangeKind::MergeTags => "merge tags",
            ChangeKind::UpdateText => "update text",
            ChangeKind::CorrectText => "correct text",
            ChangeKind::ReattachAnnotation => "re-attach annotation",
            ChangeKind::ImportCodebook => "import codebook",
            ChangeKind::AcceptDirectives => "accept directives",
            ChangeKind::CreateSource => "create source",
            ChangeKind::VerifyAll => "verify all",
            ChangeKind::MergeWorkspace => "merge workspace",
            ChangeKind::EditWorkspaceMemo => "edit workspace memo",
            ChangeKind::EditAttributes => "edit document attributes",
            ChangeKind::ImportFolder => "import folder",
            ChangeKind::RejectCandidate => "reject candidate",
            ChangeKind::RestoreCandidate => "restore candidate",
        }
    }
}

impl Workspace {
    /// Applies a command and returns the command that undoes it. On error nothing changed.
    pub fn apply(&mut self, cmd: Command) -> Result<Command, CommandError> {
        match cmd {
            Command::AddDocument(mut doc) => {
                if doc.id.0 == 0 {
                    doc.id = DocId(self.fresh_id());
                } else if self.document(doc.id).is_some() {
                    return Err(CommandError::DuplicateDocument(doc.id));
                } else {
                    self.claim_id(doc.id.0);
                }
                let id = doc.id;
                self.insert_document(*doc);
                Ok(Command::RemoveDocument(id))
            }
            Command::RemoveDocument(id) => {
                let at = super::workspace::position_by_id(&self.documents, id, |x| x.id)
                    .ok_or(CommandError::UnknownDocument(id))?;
                let doc = std::sync::Arc::unwrap_or_clone(self.documents.remove(at));
                let (gone, kept): (Vec<Annotation>, Vec<Annotation>) =
                    std::mem::take(&mut self.annotations)
                        .into_iter()
                        .partition(|a| a.doc == id);
                self.annotations = kept;
                let (rejected, kept): (Vec<Rejection>, Vec<Rejection>) =
                    std::mem::take(&mut self.rejections)
                        .into_iter()
                        .partition(|r| r.doc == id);
                self.rejections = kept;
                let mut undo = vec![Command::AddDocument(Box::new(doc))];
                undo.extend(
                    gone.into_iter()
                        .map(|a| Command::AddAnnotation(Box::new(a))),
                );
                undo.extend(
                    rejected
                        .into_iter()
                        .map(|r| Command::RejectCandidate(Box::new(r))),
                );
                Ok(batch_or_single(ChangeKind::RemoveDocument, undo))
            }
            Command::SetDocMeta(id, mut meta) => {
                for t in &meta.tags {
                    self.require_tag(*t)?;
                }
                meta.tags.sort();
                meta.tags.dedup();
                let doc = self
                    .document_mut(id)
                    .ok_or(CommandError::UnknownDocument(id))?;
                let old = std::mem::replace(&mut doc.meta, meta);
                Ok(Command::SetDocMeta(id, old))
            }
            Command::SetWorkspaceMemo(memo) => Ok(Command::SetWorkspaceMemo(std::mem::replace(
                &mut self.memo,
                memo,
            ))),
            Command::SetAttributeNames(names) => {
                let mut clean: Vec<String> = Vec::new();
                for n in names {
                    let n = n.trim().to_string();
                    if n.is_empty() || clean.contains(&n) {
                        continue;
                    }
                    if n == "group"
                        || n == "title"
                        || crate::model::document::BUILTIN_ATTRIBUTES.contains(&n.as_str())
                    {
                        return Err(CommandError::BadAttributeName(n));
                    }
                    clean.push(n);
                }
                Ok(Command::SetAttributeNames(std::mem::replace(
                    &mut self.attributes,
                    clean,
                )))
            }
            Command::ReplaceText { id, text, origin } => {
                let doc = self
                    .document_mut(id)
                    .ok_or(CommandError::UnknownDocument(id))?;
                let old_text = doc.set_text(text);
                let old_origin = std::mem::replace(&mut doc.origin, origin);
                Ok(Command::ReplaceText {
                    id,
                    text: old_text,
                    origin: old_origin,
                })
            }
            Command::AddTag(mut tag) => {
                if tag.id.0 != 0 && self.id_in_use(tag.id.0) {
                    return Err(CommandError::DuplicateId(tag.id.0));
                }
                self.check_tag(&tag)?;
                if tag.id.0 == 0 {
                    tag.id = TagId(self.fresh_id());
                } else {
                    self.claim_id(tag.id.0);
                }
                let id = tag.id;
                let at = self.tags.partition_point(|t| t.id < id);
                self.tags.insert(at, *tag);
                Ok(Command::RemoveTag(id))
            }
            Command::SetTag(tag) => {
                let at = super::workspace::position_by_id(&self.tags, tag.id, |x| x.id)
                    .ok_or(CommandError::UnknownTag(tag.id))?;
                self.check_tag(&tag)?;
                let old = std::mem::replace(&mut self.tags[at], *tag);
                Ok(Command::SetTag(Box::new(old)))
            }
            Command::RemoveTag(id) => {
                let at = super::workspace::position_by_id(&self.tags, id, |x| x.id)
                    .ok_or(CommandError::UnknownTag(id))?;
                let tag = self.tags.remove(at);
                let mut undo = vec![Command::AddTag(Box::new(tag.clone()))];
                for child in self.tags.iter_mut().filter(|t| t.parent == Some(id)) {
                    undo.push(Command::SetTag(Box::new(child.clone())));
                    child.parent = tag.parent;
                }
                for a in self.annotations.iter_mut().filter(|a| a.tags.contains(&id)) {
                    undo.push(Command::SetAnnotation(Box::new(a.clone())));
                    a.tags.retain(|t| *t != id);
                }
                for d in self
                    .documents
                    .iter_mut()
                    .filter(|d| d.meta.tags.contains(&id))
                {
                    undo.push(Command::SetDocMeta(d.id, d.meta.clone()));
                    std::sync::Arc::make_mut(d).meta.tags.retain(|t| *t != id);
                }
                Ok(batch_or_single(ChangeKind::DeleteTag, undo))
            }
            Command::AddAnnotation(mut ann) => {
                if ann.id.0 != 0 && self.id_in_use(ann.id.0) {
                    return Err(CommandError::DuplicateId(ann.id.0));
                }
                self.check_annotation(&ann)?;
                ann.normalize();
                if ann.id.0 == 0 {
                    ann.id = AnnId(self.fresh_id());
                } else {
                    self.claim_id(ann.id.0);
                }
                let id = ann.id;
                let at = self.annotations.partition_point(|a| a.id < id);
                self.annotations.insert(at, *ann);
                Ok(Command::RemoveAnnotation(id))
            }
            Command::SetAnnotation(mut ann) => {
                let at = super::workspace::position_by_id(&self.annotations, ann.id, |x| x.id)
                    .ok_or(CommandError::UnknownAnnotation(ann.id))?;
                // The range is not checked here: re-anchoring replaces text and anchors in one
                // batch, and either order passes through a state where they disagree.
                self.check_annotation_refs(&ann)?;
                ann.normalize();
                let old = std::mem::replace(&mut self.annotations[at], *ann);
                Ok(Command::SetAnnotation(Box::new(old)))
            }
            Command::RemoveAnnotation(id) => {
                let at = super::workspace::position_by_id(&self.annotations, id, |x| x.id)
                    .ok_or(CommandError::UnknownAnnotation(id))?;
                let old = self.annotations.remove(at);
                Ok(Command::AddAnnotation(Box::new(old)))
            }
            Command::AddSource(mut src) => {
                if src.id.0 != 0 && self.id_in_use(src.id.0) {
                    return Err(CommandError::DuplicateId(src.id.0));
                }
                if src.id.0 == 0 {
                    src.id = SourceId(self.fresh_id());
                } else {
                    self.claim_id(src.id.0);
                }
                let id = src.id;
                let at = self.sources.partition_point(|s| s.id < id);
                self.sources.insert(at, *src);
                Ok(Command::RemoveSource(id))
            }
            Command::SetSource(src) => {
                let at = super::workspace::position_by_id(&self.sources, src.id, |x| x.id)
                    .ok_or(CommandError::UnknownSource(src.id))?;
                let old = std::mem::replace(&mut self.sources[at], *src);
                Ok(Command::SetSource(Box::new(old)))
            }
            Command::RemoveSource(id) => {
                let at = super::workspace::position_by_id(&self.sources, id, |x| x.id)
                    .ok_or(CommandError::UnknownSource(id))?;
                let src = self.sources.remove(at);
                let mut undo = vec![Command::AddSource(Box::new(src))];
                for a in self.annotations.iter_mut() {
                    let linked = a.directive.as_ref().is_some_and(|d| {
                        d.source == Some(id)
                            || d.verification.as_ref().is_some_and(|v| v.source == id)
                    });
                    if linked {
                        undo.push(Command::SetAnnotation(Box::new(a.clone())));
                        if let Some(d) = &mut a.directive {
                            if d.source == Some(id) {
                                d.source = None;
                                d.source_span = None;
                            }
                            if d.verification.as_ref().is_some_and(|v| v.source == id) {
                                d.verification = None;
                            }
                        }
                    }
                }
                Ok(batch_or_single(ChangeKind::DeleteSource, undo))
            }
            Command::RejectCandidate(r) => {
                self.document(r.doc)
                    .ok_or(CommandError::UnknownDocument(r.doc))?;
                match self.rejection_slot(&r) {
                    Ok(_) => Err(CommandError::DuplicateRejection(super::text::preview(
                        &r.anchor.quote,
                        20,
                    ))),
                    Err(at) => {
                        self.rejections.insert(at, (*r).clone());
                        Ok(Command::UnrejectCandidate(r))
                    }
                }
            }
            Command::UnrejectCandidate(r) => match self.rejection_slot(&r) {
                Ok(at) => Ok(Command::RejectCandidate(Box::new(
                    self.rejections.remove(at),
                ))),
                Err(_) => Err(CommandError::UnknownRejection(super::text::preview(
                    &r.anchor.quote,
                    20,
                ))),
            },
            Command::Batch { label, commands } => {
                let mut inverses = Vec::with_capacity(commands.len());
                for c in commands {
                    match self.apply(c) {
                        Ok(inv) => inverses.push(inv),
                        Err(e) => {
                            // Roll back what was applied; each inverse is valid by
                            // construction, but say so if one is not.
                            let mut failed = None;
                            for inv in inverses.into_iter().rev() {
                                if let Err(r) = self.apply(inv) {
                                    failed.get_or_insert(r);
                                }
                            }
                            return Err(match failed {
                                None => e,
                                Some(r) => CommandError::RollbackFailed {
                                    cause: Box::new(e),
                                    rollback: Box::new(r),
                                },
                            });
                        }
                    }
                }
                inverses.reverse();
                Ok(Command::Batch {
                    label,
                    commands: inverses,
                })
            }
        }
    }

    fn require_tag(&self, id: TagId) -> Result<(), CommandError> {
        self.tag(id).map(|_| ()).ok_or(CommandError::UnknownTag(id))
    }

    fn check_tag(&self, tag: &Tag) -> Result<(), CommandError> {
        let name = tag.name.trim();
        if name.is_empty() {
            return Err(CommandError::BadTagName("a tag needs a name".into()));
        }
        if self
            .tags
            .iter()
            .any(|t| t.id != tag.id && t.parent == tag.parent && t.name.trim() == name)
        {
            return Err(CommandError::BadTagName(format!(
                "a tag named “{name}” already exists at that level"
            )));
        }
        let mut p = tag.parent;
        let mut steps = 0;
        while let Some(pid) = p {
            if pid == tag.id {
                return Err(CommandError::TagCycle);
            }
            p = self.tag(pid).ok_or(CommandError::UnknownTag(pid))?.parent;
            steps += 1;
            if steps > self.tags.len() {
                return Err(CommandError::TagCycle);
            }
        }
        Ok(())
    }

    fn check_annotation_refs(&self, ann: &Annotation) -> Result<(), CommandError> {
        self.document(ann.doc)
            .ok_or(CommandError::UnknownDocument(ann.doc))?;
        for t in &ann.tags {
            self.require_tag(*t)?;
        }
        if let Some(src) = ann.directive.as_ref().and_then(|d| d.source)
            && self.source(src).is_none()
        {
            return Err(CommandError::UnknownSource(src));
        }
        Ok(())
    }

    /// The command that merges source `from` into `into`: directives linked to `from` are
    /// linked to `into` (their verification, made against the other text, is dropped), and
    /// `from` is deleted; `into` keeps its fields, taking `from`'s where its own are empty.
    pub fn merge_sources(&self, from: SourceId, into: SourceId) -> Result<Command, CommandError> {
        let a = self.source(from).ok_or(CommandError::UnknownSource(from))?;
        let b = self.source(into).ok_or(CommandError::UnknownSource(into))?;
        if from == into {
            return Err(CommandError::UnknownSource(from));
        }
        let mut merged = b.clone();
        let fill = |x: &mut String, y: &String| {
            if x.trim().is_empty() {
                *x = y.clone();
            }
        };
        fill(&mut merged.title, &a.title);
        fill(&mut merged.issuer, &a.issuer);
        fill(&mut merged.date, &a.date);
        fill(&mut merged.doc_number, &a.doc_number);
        fill(&mut merged.occasion, &a.occasion);
        fill(&mut merged.place, &a.place);
        fill(&mut merged.url, &a.url);
        fill(&mut merged.retrieved_on, &a.retrieved_on);
        if !a.notes.is_empty() && !merged.notes.contains(&a.notes) {
            merged.notes = [merged.notes.as_str(), a.notes.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\n");
        }
        if merged.text.is_none() {
            merged.text = a.text.clone();
            merged.origin = a.origin.clone();
        }
        let mut cmds = vec![Command::SetSource(Box::new(merged))];
        for ann in &self.annotations {
            if let Some(d) = &ann.directive
                && d.source == Some(from)
            {
                let mut ann = ann.clone();
                if let Some(d) = &mut ann.directive {
                    d.source = Some(into);
                    d.source_span = None;
                    d.verification = None;
                }
                cmds.push(Command::SetAnnotation(Box::new(ann)));
            }
        }
        cmds.push(Command::RemoveSource(from));
        Ok(Command::Batch {
            label: ChangeKind::MergeSources,
            commands: cmds,
        })
    }

    fn check_annotation(&self, ann: &Annotation) -> Result<(), CommandError> {
        self.check_annotation_refs(ann)?;
        let doc = self
            .document(ann.doc)
            .ok_or(CommandError::UnknownDocument(ann.doc))?;
        let (start, end) = (ann.anchor.start.0, ann.anchor.end.0);
        if !ann.orphan {
            let len = doc.char_count();
            if start > end || end > len {
                return Err(CommandError::BadRange { start, end, len });
            }
        }
        Ok(())
    }

    /// The command that merges tag `from` into `into`: every annotation and document tagged
    /// `from` gets `into` instead, `from`'s children move under `into`, and `from` is deleted.
    pub fn merge_tags(&self, from: TagId, into: TagId) -> Result<Command, CommandError> {
        self.require_tag(from)?;
        self.require_tag(into)?;
        if from == into {
            return Err(CommandError::BadTagName(
                "a tag cannot be merged into itself".into(),
            ));
        }
        let mut cmds = Vec::new();
        for a in self.annotations.iter().filter(|a| a.tags.contains(&from)) {
            let mut a = a.clone();
            a.tags.retain(|t| *t != from);
            a.tags.push(into);
            cmds.push(Command::SetAnnotation(Box::new(a)));
        }
        for d in self
            .documents
            .iter()
            .filter(|d| d.meta.tags.contains(&from))
        {
            let mut meta = d.meta.clone();
            meta.tags.retain(|t| *t != from);
            meta.tags.push(into);
            cmds.push(Command::SetDocMeta(d.id, meta));
        }
        for t in self
            .tags
            .iter()
            .filter(|t| t.parent == Some(from) && t.id != into)
        {
            let mut t = t.clone();
            t.parent = Some(into);
            cmds.push(Command::SetTag(Box::new(t)));
        }
        cmds.push(Command::RemoveTag(from));
        Ok(Command::Batch {
            label: ChangeKind::MergeTags,
            commands: cmds,
        })
    }

    /// The command that replaces a document's text and re-anchors its annotations in the
    /// same undo step: each stays, moves with its quote, or becomes an orphan. Returns the
    /// command and how many annotations became orphans.
    pub fn update_text(
        &self,
        id: DocId,
        text: String,
        origin: Origin,
    ) -> Result<(Command, usize, usize), CommandError> {
        let doc = self.document(id).ok_or(CommandError::UnknownDocument(id))?;
        let anns: Vec<&Annotation> = self
            .annotations
            .iter()
            .filter(|a| a.doc == id && !a.orphan)
            .collect();
        let rejected: Vec<&Rejection> = self.rejections_of(id).filter(|r| !r.orphan).collect();
        // One diff for both: annotations first, then rejections.
        let anchors: Vec<&Anchor> = anns
            .iter()
            .map(|a| &a.anchor)
            .chain(rejected.iter().map(|r| &r.anchor))
            .collect();
        let mut results = reanchor_all(&anchors, &doc.text, &text);
        let rejected_results = results.split_off(anns.len().min(results.len()));
        let mut cmds = vec![Command::ReplaceText { id, text, origin }];
        let mut moves = Vec::new();
        for (r, result) in rejected.into_iter().zip(rejected_results) {
            let mut new = r.clone();
            match result {
                Reanchored::Unchanged => continue,
                Reanchored::Moved(anchor) | Reanchored::Changed(anchor) => new.anchor = anchor,
                Reanchored::Orphan => new.orphan = true,
            }
            moves.push((r.clone(), new));
        }
        cmds.extend(self.move_rejections(moves));
        let (mut orphans, mut changed) = (0, 0);
        for (a, r) in anns.into_iter().zip(results) {
            match r {
                Reanchored::Unchanged => {}
                Reanchored::Moved(mut anchor) => {
                    let mut a = a.clone();
                    // A moved passage keeps a pending "was" until the user accepts it.
                    anchor.was = a.anchor.was.take();
                    a.anchor = anchor;
                    cmds.push(Command::SetAnnotation(Box::new(a)));
                }
                Reanchored::Changed(anchor) => {
                    let mut a = a.clone();
                    a.anchor = anchor;
                    // The quotation changed: its verification no longer says what it did.
                    if let Some(d) = &mut a.directive
                        && d.verification.is_some()
                    {
                        d.verification_stale = true;
                    }
                    changed += 1;
                    cmds.push(Command::SetAnnotation(Box::new(a)));
                }
                Reanchored::Orphan => {
                    let mut a = a.clone();
                    a.orphan = true;
                    orphans += 1;
                    cmds.push(Command::SetAnnotation(Box::new(a)));
                }
            }
        }
        Ok((
            Command::Batch {
                label: ChangeKind::UpdateText,
                commands: cmds,
            },
            orphans,
            changed,
        ))
    }
}

impl Workspace {
    /// A correction of a document's text made inside the program (a quick fix such as
    /// `2O05 → 2005`): replaces the chars `range` by `replacement` and maps every annotation
    /// exactly through the edit, without any search — passages after it shift, passages that
    /// contain it grow or shrink and become *changed* (remembering the old quote), a passage
    /// the edit overlaps at one end takes in the replacement, and a passage the edit
    /// swallows entirely becomes an orphan. One command (one undo step), which also records
    /// the correction (with `kind`, what was wrong) in the document's origin so that exports
    /// can list the corrections made.
    pub fn correct_text(
        &self,
        id: DocId,
        range: std::ops::Range<usize>,
        replacement: &str,
        kind: &str,
    ) -> Result<Command, CommandError> {
        let doc = self.document(id).ok_or(CommandError::UnknownDocument(id))?;
        let index = crate::model::CharIndex::new(&doc.text);
        let n = index.char_len();
        let (s, e) = (range.start.min(n), range.end.min(n).max(range.start.min(n)));
        let (sb, eb) = (index.byte_of(&doc.text, s), index.byte_of(&doc.text, e));
        let mut text = String::with_capacity(doc.text.len() + replacement.len());
        text.push_str(&doc.text[..sb]);
        text.push_str(replacement);
        text.push_str(&doc.text[eb..]);
        let added = replacement.chars().count();
        let new_index = crate::model::CharIndex::new(&text);
        // Old char position → new one (an end position maps to the end of the insertion).
        let map = |p: usize, is_end: bool| -> usize {
            if p < s || (p == s && !is_end) {
                p
            } else if p >= e {
                p - (e - s) + added
            } else {
                // Inside the replaced stretch: its start, or its new end.
                if is_end { s + added } else { s }
            }
        };
        let mut origin = doc.origin.clone();
        for c in origin.corrections.iter_mut().filter(|c| c.start >= e) {
            c.start = c.start - (e - s) + added;
        }
        let before: String = doc.text[sb..eb].to_string();
        if before != replacement {
            let at = origin.corrections.partition_point(|c| c.start <= s);
            origin.corrections.insert(
                at,
                crate::model::Correction {
                    start: s,
                    before,
                    after: replacement.to_string(),
                    kind: kind.to_string(),
                },
            );
        }
        let mut cmds = vec![Command::ReplaceText {
            id,
            text: text.clone(),
            origin,
        }];
        for a in self.annotations.iter().filter(|a| a.doc == id && !a.orphan) {
            let (as_, ae) = (a.anchor.start.0, a.anchor.end.0);
            let swallowed = s <= as_ && ae <= e && e > s && as_ < ae;
            let mut a2 = a.clone();
            if swallowed {
                a2.orphan = true;
            } else {
                let (ns, ne) = (map(as_, false), map(ae, true));
                let mut anchor = Anchor::new(&text, &new_index, ns..ne.max(ns));
                if anchor.quote != a.anchor.quote {
                    anchor.was = Some(
                        a.anchor
                            .was
                            .clone()
                            .unwrap_or_else(|| a.anchor.quote.clone()),
                    );
                    if let Some(d) = &mut a2.directive
                        && d.verification.is_some()
                    {
                        d.verification_stale = true;
                    }
                } else {
                    anchor.was = a.anchor.was.clone();
                }
                if anchor == a.anchor {
                    continue;
                }
                a2.anchor = anchor;
            }
            cmds.push(Command::SetAnnotation(Box::new(a2)));
        }
        // Rejected candidates follow the edit the same way (no `was`: nothing to accept).
        let mut moves = Vec::new();
        for r in self.rejections_of(id).filter(|r| !r.orphan) {
            let (rs, re) = (r.anchor.start.0, r.anchor.end.0);
            let mut r2 = r.clone();
            if s <= rs && re <= e && e > s && rs < re {
                r2.orphan = true;
            } else {
                let (ns, ne) = (map(rs, false), map(re, true));
                r2.anchor = Anchor::new(&text, &new_index, ns..ne.max(ns));
                if r2.anchor == r.anchor {
                    continue;
                }
            }
            moves.push((r.clone(), r2));
        }
        cmds.extend(self.move_rejections(moves));
        Ok(Command::Batch {
            label: ChangeKind::CorrectText,
            commands: cmds,
        })
    }
}

impl Workspace {
    /// The commands that move rejections (`(old, new)` pairs) after a text change: every old
    /// one taken out first, then the new ones put in, so that two rejections trading places
    /// never collide; a new one that lands on a rejection already there merges into it.
    fn move_rejections(&self, moves: Vec<(Rejection, Rejection)>) -> Vec<Command> {
        let moved: std::collections::HashSet<_> = moves.iter().map(|(o, _)| o.key()).collect();
        let mut taken: std::collections::HashSet<_> = self
            .rejections
            .iter()
            .map(Rejection::key)
            .filter(|k| !moved.contains(k))
            .collect();
        let mut out: Vec<Command> = moves
            .iter()
            .map(|(o, _)| Command::UnrejectCandidate(Box::new(o.clone())))
            .collect();
        let mut put = Vec::new();
        for (_, new) in &moves {
            if taken.insert(new.key()) {
                put.push(Command::RejectCandidate(Box::new(new.clone())));
            }
        }
        out.extend(put);
        out
    }
}

fn batch_or_single(label: ChangeKind, mut cmds: Vec<Command>) -> Command {
    if cmds.len() == 1 {
        cmds.pop().expect("one command")
    } else {
        Command::Batch {
            label,
            commands: cmds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIndex, default_tag_color};

    fn doc(text: &str) -> Document {
        Document::new(text.into(), Origin::default(), DocMeta::default())
    }

    fn tag(name: &str, parent: Option<TagId>) -> Tag {
        Tag {
            id: TagId(0),
            name: name.into(),
            parent,
            color: default_tag_color(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        }
    }

    fn ann(
        ws: &Workspace,
        doc: DocId,
        range: std::ops::Range<usize>,
        tags: Vec<TagId>,
    ) -> Annotation {
        let text = &ws.document(doc).unwrap().text;
        Annotation {
            id: AnnId(0),
            doc,
            anchor: Anchor::new(text, &CharIndex::new(text), range),
            color: default_tag_color(),
            note: String::new(),
            tags,
            orphan: false,
            directive: None,
        }
    }

    /// Applies `cmd`, checks that its inverse restores the workspace exactly and that redoing
    /// gives the same result again.
    fn round_trip(ws: &mut Workspace, cmd: Command) {
        let before = ws.clone();
        let inv = ws.apply(cmd).unwrap();
        let after = ws.clone();
        let redo = ws.apply(inv).unwrap();
        assert_eq!(
            *ws,
            Workspace {
                next_id: ws.next_id,
                ..before
            }
        );
        ws.apply(redo).unwrap();
        assert_eq!(*ws, after);
    }

    fn setup() -> (Workspace, DocId, TagId, TagId) {
        let mut ws = Workspace::new();
        ws.apply(Command::AddDocument(Box::new(doc(
            "社区建设是基础。社区服务是关键。",
        ))))
        .unwrap();
        let d = ws.documents[0].id;
        ws.apply(Command::AddTag(Box::new(tag("社区服务", None))))
            .unwrap();
        let parent = ws.tags[0].id;
        ws.apply(Command::AddTag(Box::new(tag("社区卫生", Some(parent)))))
            .unwrap();
        let child = ws.tags[1].id;
        (ws, d, parent, child)
    }

    #[test]
    fn ids_are_shared_and_never_reused() {
        let (mut ws, d, parent, child) = setup();
        assert_eq!((d.0, parent.0, child.0), (1, 2, 3));
        ws.apply(Command::RemoveTag(child)).unwrap();
        ws.apply(Command::AddTag(Box::new(tag("民生", None))))
            .unwrap();
        assert_eq!(ws.tags.last().unwrap().id, TagId(4));
    }

    #[test]
    fn every_command_inverts_exactly() {
        let (mut ws, d, parent, child) = setup();
        let a = ann(&ws, d, 0..4, vec![child, parent]);
        round_trip(&mut ws, Command::AddAnnotation(Box::new(a)));
        ws.apply(Command::AddAnnotation(Box::new(ann(
            &ws,
            d,
            8..12,
            vec![child],
        ))))
        .unwrap();
        let aid = ws.annotations[0].id;
        let mut edited = ws.annotations[0].clone();
        edited.note = "要点：基层".into();
        round_trip(&mut ws, Command::SetAnnotation(Box::new(edited)));
        round_trip(&mut ws, Command::RemoveAnnotation(aid));
        let mut renamed = ws.tag(child).unwrap().clone();
        renamed.name = "卫生服务".into();
        renamed.parent = None;
        round_trip(&mut ws, Command::SetTag(Box::new(renamed)));
        let merge = ws.merge_tags(child, parent).unwrap();
        round_trip(&mut ws, merge);
        round_trip(&mut ws, Command::RemoveTag(parent));
        round_trip(&mut ws, Command::RemoveDocument(d));
    }

    #[test]
    fn rejections_invert_exactly_and_follow_the_text() {
        let (mut ws, d, _, _) = setup();
        let text = ws.document(d).unwrap().text.clone();
        let r = Rejection::new(d, &text, 8..12); // 社区服务
        round_trip(&mut ws, Command::RejectCandidate(Box::new(r.clone())));
        assert!(
            ws.is_rejected(d, 8, 12),
            "applied again by the round trip's redo"
        );
        assert!(matches!(
            ws.apply(Command::RejectCandidate(Box::new(r.clone()))),
            Err(CommandError::DuplicateRejection(_))
        ));
        round_trip(&mut ws, Command::UnrejectCandidate(Box::new(r.clone())));
        assert!(ws.rejections.is_empty());
        ws.apply(Command::RejectCandidate(Box::new(r.clone())))
            .unwrap();
        // The text changes: the rejection moves with its quote, in the same undo step.
        let before = ws.clone();
        let (cmd, _, _) = ws
            .update_text(d, format!("前言。{text}"), Origin::default())
            .unwrap();
        let inv = ws.apply(cmd).unwrap();
        assert!(ws.is_rejected(d, 11, 15), "{:?}", ws.rejections);
        assert!(!ws.is_rejected(d, 8, 12));
        ws.apply(inv).unwrap();
        assert_eq!(ws, before);
        // A correction inside it changes it; one that swallows it makes it an orphan.
        let cmd = ws.correct_text(d, 0..2, "", "boilerplate").unwrap();
        ws.apply(cmd).unwrap();
        assert!(ws.is_rejected(d, 6, 10), "{:?}", ws.rejections);
        let cmd = ws.correct_text(d, 5..11, "", "boilerplate").unwrap();
        ws.apply(cmd).unwrap();
        assert_eq!(ws.rejections.len(), 1);
        assert!(ws.rejections[0].orphan, "kept, not deleted");
        // Removing the document takes its rejections along; undo brings them back.
        let before = ws.clone();
        let inv = ws.apply(Command::RemoveDocument(d)).unwrap();
        assert!(ws.rejections.is_empty());
        ws.apply(inv).unwrap();
        assert_eq!(ws.rejections, before.rejections);
    }

    #[test]
    fn rejections_trading_places_do_not_collide() {
        let mut ws = Workspace::new();
        ws.apply(Command::AddDocument(Box::new(doc("甲乙。甲乙。丙。"))))
            .unwrap();
        let d = ws.documents[0].id;
        let text = ws.document(d).unwrap().text.clone();
        for range in [0..2, 3..5] {
            let r = Rejection::new(d, &text, range);
            ws.apply(Command::RejectCandidate(Box::new(r))).unwrap();
        }
        // Cutting the first sentence moves the second onto the first one's span.
        let cmd = ws.correct_text(d, 0..3, "", "boilerplate").unwrap();
        ws.apply(cmd).unwrap();
        assert!(ws.is_rejected(d, 0, 2), "{:?}", ws.rejections);
        assert_eq!(ws.rejections.iter().filter(|r| r.orphan).count(), 1);
    }

    #[test]
    fn sources_link_merge_and_delete_without_losing_directives() {
        use crate::model::{DirectiveInfo, Source};
        let (mut ws, d, _, _) = setup();
        let src = |title: &str, number: &str| Source {
            title: title.into(),
            doc_number: number.into(),
            ..Default::default()
        };
        ws.apply(Command::AddSource(Box::new(src("指导意见", ""))))
            .unwrap();
        ws.apply(Command::AddSource(Box::new(src("", "国发〔2006〕10号"))))
            .unwrap();
        let (s1, s2) = (ws.sources[0].id, ws.sources[1].id);
        let mut a = ann(&ws, d, 0..4, vec![]);
        a.directive = Some(DirectiveInfo {
            source: Some(s1),
            ..Default::default()
        });
        ws.apply(Command::AddAnnotation(Box::new(a))).unwrap();
        let merge = ws.merge_sources(s1, s2).unwrap();
        round_trip(&mut ws, merge);
        assert_eq!(ws.sources.len(), 1);
        assert_eq!(ws.sources[0].title, "指导意见");
        assert_eq!(ws.sources[0].doc_number, "国发〔2006〕10号");
        let dir = ws.annotations[0].directive.as_ref().unwrap();
        assert_eq!(dir.source, Some(s2));
        round_trip(&mut ws, Command::RemoveSource(s2));
        assert!(ws.sources.is_empty());
        assert_eq!(ws.annotations.len(), 1, "the directive stays, unlinked");
        assert_eq!(ws.annotations[0].directive.as_ref().unwrap().source, None);
        // linking to a source that does not exist is refused
        let mut bad = ws.annotations[0].clone();
        bad.directive.as_mut().unwrap().source = Some(SourceId(999));
        assert_eq!(
            ws.apply(Command::SetAnnotation(Box::new(bad))),
            Err(CommandError::UnknownSource(SourceId(999)))
        );
    }

    #[test]
    fn deleting_a_tag_keeps_the_other_tags_and_lifts_children() {
        let (mut ws, d, parent, child) = setup();
        ws.apply(Command::AddAnnotation(Box::new(ann(
            &ws,
            d,
            0..4,
            vec![parent, child],
        ))))
        .unwrap();
        ws.apply(Command::RemoveTag(parent)).unwrap();
        assert_eq!(ws.annotations[0].tags, vec![child]);
        assert_eq!(ws.tag(child).unwrap().parent, None);
    }

    #[test]
    fn merging_moves_annotations_and_children() {
        let (mut ws, d, parent, child) = setup();
        ws.apply(Command::AddTag(Box::new(tag("民生", None))))
            .unwrap();
        let other = ws.tags[2].id;
        ws.apply(Command::AddAnnotation(Box::new(ann(
            &ws,
            d,
            0..4,
            vec![parent],
        ))))
        .unwrap();
        let cmd = ws.merge_tags(parent, other).unwrap();
        ws.apply(cmd).unwrap();
        assert!(ws.tag(parent).is_none());
        assert_eq!(ws.annotations[0].tags, vec![other]);
        assert_eq!(ws.tag(child).unwrap().parent, Some(other));
    }

    #[test]
    fn bad_commands_change_nothing() {
        let (mut ws, d, parent, child) = setup();
        let before = ws.clone();
        // cycle
        let mut t = ws.tag(parent).unwrap().clone();
        t.parent = Some(child);
        assert_eq!(
            ws.apply(Command::SetTag(Box::new(t))),
            Err(CommandError::TagCycle)
        );
        // duplicate sibling name, empty name
        assert!(matches!(
            ws.apply(Command::AddTag(Box::new(tag("社区卫生", Some(parent))))),
            Err(CommandError::BadTagName(_))
        ));
        assert!(
            ws.apply(Command::AddTag(Box::new(tag("  ", None))))
                .is_err()
        );
        // passage outside the document, unknown tag
        let mut a = ann(&ws, d, 0..4, vec![]);
        a.anchor.end = crate::model::CharPos(999);
        assert!(matches!(
            ws.apply(Command::AddAnnotation(Box::new(a))),
            Err(CommandError::BadRange { .. })
        ));
        let a = ann(&ws, d, 0..4, vec![TagId(77)]);
        assert_eq!(
            ws.apply(Command::AddAnnotation(Box::new(a))),
            Err(CommandError::UnknownTag(TagId(77)))
        );
        // a batch that fails half-way is rolled back
        let batch = Command::Batch {
            label: ChangeKind::AddAnnotation,
            commands: vec![
                Command::RemoveTag(child),
                Command::RemoveAnnotation(AnnId(12345)),
            ],
        };
        assert!(ws.apply(batch).is_err());
        assert_eq!(ws, before);
    }

    #[test]
    fn updating_the_text_moves_annotations_and_orphans_lost_ones() {
        let (mut ws, d, _, child) = setup();
        ws.apply(Command::AddAnnotation(Box::new(ann(
            &ws,
            d,
            0..4,
            vec![child],
        ))))
        .unwrap(); // 社区建设
        ws.apply(Command::AddAnnotation(Box::new(ann(&ws, d, 8..12, vec![]))))
            .unwrap(); // 社区服务
        let before = ws.clone();
        let (cmd, orphans, _) = ws
            .update_text(d, "前言。社区建设是基础。".into(), Origin::default())
            .unwrap();
        assert_eq!(orphans, 1);
        let inv = ws.apply(cmd).unwrap();
        let moved = &ws.annotations[0];
        assert!(!moved.orphan);
        assert_eq!(moved.anchor.start.0, 3);
        assert_eq!(moved.anchor.quote, "社区建设");
        let lost = &ws.annotations[1];
        assert!(lost.orphan, "kept as an orphan, not deleted");
        assert_eq!(lost.anchor.quote, "社区服务");
        ws.apply(inv).unwrap();
        assert_eq!(ws.documents, before.documents);
        assert_eq!(ws.annotations, before.annotations);
    }
}

#[cfg(test)]
mod correct_text_tests {
    use super::*;
    use crate::model::{AnnId, CharIndex, DocMeta, Document, Origin};

    /// A workspace holding one document with `text`, and its ID.
    fn one_document(text: &str) -> (Workspace, crate::model::DocId) {
        let mut ws = Workspace::new();
        ws.apply(Command::AddDocument(Box::new(Document::new(
            text.into(),
            Origin::default(),
            DocMeta::default(),
        ))))
        .unwrap();
        let d = ws.documents[0].id;
        (ws, d)
    }

    #[test]
    fn a_correction_maps_every_anchor_exactly_and_undoes_in_one_step() {
        let text = "前言。2O05年，会议提出了要求。后面还有一句话。";
        let (mut ws, d) = one_document(text);
        let idx = CharIndex::new(text);
        let add = |ws: &mut Workspace, range: std::ops::Range<usize>| {
            let inv = ws
                .apply(Command::AddAnnotation(Box::new(Annotation {
                    id: AnnId(0),
                    doc: d,
                    anchor: Anchor::new(text, &idx, range),
                    color: "#336699".into(),
                    note: "备注".into(),
                    tags: Vec::new(),
                    orphan: false,
                    directive: None,
                })))
                .unwrap();
            AnnId(Command::created_ids(&inv)[0])
        };
        let before = add(&mut ws, 0..2); // 前言
        let around = add(&mut ws, 3..16); // 2O05年，会议提出了要求
        let after = add(&mut ws, 17..21); // 后面还有
        let inside = add(&mut ws, 4..5); // O (swallowed by the fix)
        let snapshot = ws.clone();
        let cmd = ws
            .correct_text(d, 3..7, "2005", "digit_letter_confusion")
            .unwrap();
        assert_eq!(cmd.label(), ChangeKind::CorrectText);
        ws.apply(cmd.clone()).unwrap();
        let recorded = &ws.documents[0].origin.corrections;
        assert_eq!(recorded.len(), 1);
        assert_eq!(
            (recorded[0].start, recorded[0].before.as_str()),
            (3, "2O05")
        );
        assert_eq!(recorded[0].after, "2005");
        let new = &ws.documents[0].text;
        assert!(new.contains("2005年"));
        let idx = CharIndex::new(new);
        for id in [before, around, after] {
            assert!(
                ws.annotation(id).unwrap().anchor.holds_in(new, &idx),
                "{id}"
            );
        }
        let a = ws.annotation(around).unwrap();
        assert_eq!(a.anchor.quote, "2005年，会议提出了要求");
        assert_eq!(a.anchor.was.as_deref(), Some("2O05年，会议提出了要求"));
        assert_eq!(a.note, "备注");
        assert_eq!(ws.annotation(after).unwrap().anchor.quote, "后面还有");
        assert!(ws.annotation(before).unwrap().anchor.was.is_none());
        assert!(ws.annotation(inside).unwrap().orphan);
        // One step back restores everything.
        let mut undo = ws.clone();
        let inv = snapshot.clone().apply(cmd).unwrap();
        undo.apply(inv).unwrap();
        assert_eq!(undo, snapshot);
    }

    #[test]
    fn corrections_are_recorded_in_text_order_and_shift_with_later_edits() {
        let (mut ws, d) = one_document("甲。20xx年乙。2O05年丙。");
        let cmd = ws.correct_text(d, 9..13, "2005", "digit_letter_confusion");
        ws.apply(cmd.unwrap()).unwrap();
        // Cutting two chars before it moves the first correction back by two.
        let cmd = ws.correct_text(d, 0..2, "", "boilerplate");
        ws.apply(cmd.unwrap()).unwrap();
        let cmd = ws.correct_text(d, 0..4, "2020", "placeholder_year");
        ws.apply(cmd.unwrap()).unwrap();
        let doc = &ws.documents[0];
        assert_eq!(doc.text, "2020年乙。2005年丙。");
        let c: Vec<(usize, &str, &str)> = doc
            .origin
            .corrections
            .iter()
            .map(|c| (c.start, c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            c,
            [(0, "甲。", ""), (0, "20xx", "2020"), (7, "2O05", "2005")]
        );
        let chars: Vec<char> = doc.text.chars().collect();
        let at: String = chars[7..11].iter().collect();
        assert_eq!(at, "2005");
    }
}

#[cfg(test)]
mod created_ids_tests {
    use super::*;
    use crate::model::{Tag, TagId};

    fn tag(name: &str, id: u64) -> Command {
        Command::AddTag(Box::new(Tag {
            id: TagId(id),
            name: name.into(),
            parent: None,
            color: "#336699".into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        }))
    }

    #[test]
    fn applying_reports_the_ids_it_created() {
        let mut ws = Workspace::new();
        let inv = ws.apply(tag("甲", 0)).unwrap();
        let first = Command::created_ids(&inv);
        assert_eq!(first.len(), 1);
        assert!(ws.tag(TagId(first[0])).is_some());
        let inv = ws
            .apply(Command::Batch {
                label: ChangeKind::ImportCodebook,
                commands: vec![tag("乙", 0), tag("丙", 0)],
            })
            .unwrap();
        let ids = Command::created_ids(&inv);
        assert_eq!(ids.len(), 2);
        assert!(
            ids.iter()
                .all(|&i| ws.tag(TagId(i)).is_some() && i != first[0])
        );
        // An edit creates nothing.
        let mut t = ws.tags[0].clone();
        t.name = "丁".into();
        let inv = ws.apply(Command::SetTag(Box::new(t))).unwrap();
        assert!(Command::created_ids(&inv).is_empty());
    }

    #[test]
    fn a_failed_rollback_is_reported_not_dropped() {
        let e = CommandError::RollbackFailed {
            cause: Box::new(CommandError::TagCycle),
            rollback: Box::new(CommandError::UnknownTag(TagId(3))),
        };
        let text = e.to_string();
        assert!(
            text.contains("undoing the part already done also failed"),
            "{text}"
        );
        assert!(text.contains("yinwen check"), "{text}");
    }

    #[test]
    fn every_change_kind_has_a_name() {
        let names: std::collections::HashSet<&str> = ChangeKind::all().map(|k| k.name()).collect();
        assert_eq!(names.len(), ChangeKind::all().count());
    }
}

#[cfg(test)]
mod notes_tests {
    use super::*;

    #[test]
    fn workspace_memo_and_attribute_names_undo() {
        let mut ws = Workspace::new();
        let undo = ws
            .apply(Command::SetWorkspaceMemo("全年讲话".into()))
            .unwrap();
        assert_eq!(ws.memo, "全年讲话");
        ws.apply(undo).unwrap();
        assert_eq!(ws.memo, "");
        let undo = ws
            .apply(Command::SetAttributeNames(vec![
                " 届次 ".into(),
                "届次".into(),
                "".into(),
            ]))
            .unwrap();
        assert_eq!(ws.attributes, vec!["届次".to_string()]);
        ws.apply(undo).unwrap();
        assert!(ws.attributes.is_empty());
        assert_eq!(
            ws.apply(Command::SetAttributeNames(vec!["speaker".into()])),
            Err(CommandError::BadAttributeName("speaker".into()))
        );
    }

    #[test]
    fn document_attributes_by_name() {
        let mut m = DocMeta::default();
        m.set_attribute("level", " 市 ");
        m.set_attribute("group", "2023\\市委／ 一季度 /");
        m.set_attribute("届次", "十四届");
        assert_eq!(
            m.attribute("group"),
            "2023\\市委／ 一季度 /",
            "kept as typed"
        );
        m.tidy();
        assert_eq!(m.attribute("level"), "市");
        assert_eq!(m.group, "2023/市委/一季度");
        assert_eq!(m.attribute("届次"), "十四届");
        m.set_attribute("届次", "");
        assert!(m.attributes.is_empty());
    }
}

#[cfg(test)]
mod inversion_props {
    //! Property: every command, applied to a workspace reached by earlier commands, is undone
    //! exactly by its inverse, and redone exactly by the inverse's inverse.
    use super::*;
    use crate::model::{CharIndex, DocMeta};
    use proptest::prelude::*;

    const TEXT: &str = "胡锦涛同志指出：“要加强社区建设。”温家宝强调：“完善社区服务。”社区。";

    /// One step of a random session; numbers are reduced modulo what exists.
    #[derive(Debug, Clone)]
    enum Op {
        Annotate(usize, usize),
        RemoveAnnotation(usize),
        Reject(usize, usize),
        Unreject(usize),
        Prefix(String),
        Correct(usize, usize, String),
        RemoveDocument,
        Memo(String),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..40, 0usize..8).prop_map(|(s, l)| Op::Annotate(s, l)),
            (0usize..8).prop_map(Op::RemoveAnnotation),
            (0usize..40, 0usize..8).prop_map(|(s, l)| Op::Reject(s, l)),
            (0usize..8).prop_map(Op::Unreject),
            "[前言。社区]{0,4}".prop_map(Op::Prefix),
            (0usize..40, 0usize..6, "[社区甲]{0,3}").prop_map(|(s, l, r)| Op::Correct(s, l, r)),
            Just(Op::RemoveDocument),
            "[备忘]{0,3}".prop_map(Op::Memo),
        ]
    }

    fn command(ws: &Workspace, op: &Op) -> Option<Command> {
        let doc = ws.documents.first()?;
        let (d, text) = (doc.id, doc.text.as_str());
        let n = text.chars().count();
        let range = |s: usize, l: usize| {
            let s = s % (n + 1);
            s..(s + l).min(n)
        };
        Some(match op {
            Op::Annotate(s, l) => Command::AddAnnotation(Box::new(Annotation {
                id: AnnId(0),
                doc: d,
                anchor: Anchor::new(text, &CharIndex::new(text), range(*s, *l)),
                color: "#336699".into(),
                note: String::new(),
                tags: Vec::new(),
                orphan: false,
                directive: None,
            })),
            Op::RemoveAnnotation(i) => {
                let a = ws.annotations.get(i % ws.annotations.len().max(1))?;
                Command::RemoveAnnotation(a.id)
            }
            Op::Reject(s, l) => {
                Command::RejectCandidate(Box::new(Rejection::new(d, text, range(*s, *l))))
            }
            Op::Unreject(i) => {
                let r = ws.rejections.get(i % ws.rejections.len().max(1))?;
                Command::UnrejectCandidate(Box::new(r.clone()))
            }
            Op::Prefix(p) => {
                ws.update_text(d, format!("{p}{text}"), Origin::default())
                    .ok()?
                    .0
            }
            Op::Correct(s, l, r) => ws.correct_text(d, range(*s, *l), r, "test").ok()?,
            Op::RemoveDocument => Command::RemoveDocument(d),
            Op::Memo(m) => Command::SetWorkspaceMemo(m.clone()),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn every_command_is_undone_and_redone_exactly(ops in proptest::collection::vec(op(), 1..12)) {
            let mut ws = Workspace::new();
            ws.apply(Command::AddDocument(Box::new(Document::new(
                TEXT.into(),
                Origin::default(),
                DocMeta::default(),
            ))))
            .unwrap();
            for op in &ops {
                let Some(cmd) = command(&ws, op) else { continue };
                let before = ws.clone();
                let inv = match ws.apply(cmd) {
                    Ok(inv) => inv,
                    Err(_) => {
                        prop_assert_eq!(&ws, &before, "a refused command changes nothing");
                        continue;
                    }
                };
                let after = ws.clone();
                let redo = ws.apply(inv).unwrap();
                prop_assert_eq!(&ws, &Workspace { next_id: ws.next_id, ..before });
                ws.apply(redo).unwrap();
                prop_assert_eq!(&ws, &after);
            }
        }
    }
}
