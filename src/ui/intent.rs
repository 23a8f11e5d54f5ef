//! How views talk to the app: a view reads a [`ViewContext`] (the workspace, the current
//! document, the undo state) and its own state, draws, and returns [`Intent`]s, which the app
//! applies once after the view is drawn, through its one door for changes. A view never holds
//! the whole app, so what it can change is what its signature says. (`reader::show` was the
//! first view built this way; the directives tab's candidate list follows it.)

use std::ops::Range;

use crate::analysis;
use crate::model::{AnnId, Command, DocId, TagId, Workspace};

/// What a view may read.
#[derive(Clone, Copy)]
pub struct ViewContext<'a> {
    /// The workspace.
    pub ws: &'a Workspace,
    /// The document shown in the reading view.
    pub current: Option<DocId>,
}

/// Something a view asks the app to do.
#[derive(Debug, Clone)]
pub enum Intent {
    /// Change the workspace (through undo history).
    Execute(Command),
    /// Change the workspace as part of typing: changes with the same key make one undo step.
    ExecuteCoalesced(Command, String),
    /// The user left a field: the next change is a new undo step.
    EndTyping,
    /// Accept a detected directive as an annotation (and select it).
    AcceptDirective(analysis::Directive),
    /// Accept every pending directive of the current document at or above this confidence.
    AcceptAllAbove(f32),
    /// Select an annotation and show it in the Annotations tab.
    EditAnnotation(AnnId),
    /// Select an annotation (its passage is highlighted as selected).
    Select(AnnId),
    /// Add a tag to the codebook (under `parent`) and select it for editing.
    AddTag {
        /// Its name.
        name: String,
        /// Its parent, or the top level.
        parent: Option<TagId>,
    },
    /// Annotate the selection (and, with `write_note`, focus its note field).
    AnnotateSelection {
        /// Put the cursor in the new annotation's note.
        write_note: bool,
    },
    /// Delete an annotation (undoable).
    DeleteAnnotation(AnnId),
    /// Re-attach an orphan to the current selection.
    Reattach(AnnId),
    /// Link a directive to a source (or unlink it).
    LinkSource(AnnId, Option<crate::model::SourceId>),
    /// Create a source from a directive's attribution and link it.
    SourceFromAttribution(AnnId),
    /// Check a directive against its linked source's text.
    VerifyDirective(AnnId),
    /// Add an empty source record and select it for editing.
    NewSource,
    /// Select a tag in the codebook for editing.
    SelectTag(TagId),
    /// Open the file dialog for this purpose.
    OpenFile(super::dialogs::FilePurpose),
    /// Show an error.
    Error(String),
    /// Show a passage of a document in the reading view.
    Jump(DocId, Range<usize>),
    /// Find a directive's source in the library.
    FindSource(AnnId),
    /// Find the sources of every directive in the background.
    FindSourcesForAll,
    /// Link a directive to the i-th candidate found for it, and verify.
    LinkFound(AnnId, usize),
    /// Show the i-th candidate found for a directive in its document.
    ShowFound(AnnId, usize),
    /// Find the selected text in the library.
    FindInLibrary,
    /// Add a folder to the library and index it.
    AddLibraryFolder(std::path::PathBuf),
    /// Choose a folder for the library with the system dialog.
    PickLibraryFolder,
    /// Take a folder out of the library.
    RemoveLibraryFolder(usize),
    /// Update the library's index.
    IndexLibrary,
    /// Correct a document's text (a quick fix): one undo step, annotations re-anchored, the
    /// correction recorded in the document.
    Correct(super::review::Correction),
    /// Reject a detected candidate (document, start, end): it leaves the lists (one undo
    /// step; the rejection is saved with the workspace).
    RejectCandidate(DocId, usize, usize),
    /// Take back a rejection: the candidate is offered again (one undo step).
    RestoreCandidate(Box<crate::model::Rejection>),
    /// Take back an accepted directive (undoable; the candidate shows again).
    Unaccept(AnnId),
    /// Save (or with `None` reset) a library document's metadata.
    SaveLibraryMeta(usize, String, Option<crate::analysis::header::Header>),
}

/// The intents of typing in a document's detail fields: `meta` (as the fields hold it now)
/// replaces `old` as one undo step per field (`key` names it), tidied when the user leaves
/// the field (`left`), which also ends the step.
pub fn edit_doc_meta(
    doc: DocId,
    old: &crate::model::DocMeta,
    mut meta: crate::model::DocMeta,
    left: bool,
    key: String,
) -> Vec<Intent> {
    let mut out = Vec::new();
    if left {
        meta.tidy();
    }
    if meta != *old {
        out.push(Intent::ExecuteCoalesced(
            Command::SetDocMeta(doc, meta),
            key,
        ));
    }
    if left {
        out.push(Intent::EndTyping);
    }
    out
}

impl super::app::YinwenApp {
    /// Applies what a view asked for, in order.
    pub fn apply_intents(&mut self, intents: Vec<Intent>) {
        for intent in intents {
            match intent {
                Intent::Execute(cmd) => {
                    self.execute(cmd);
                }
                Intent::ExecuteCoalesced(cmd, key) => {
                    self.execute_coalesced(cmd, &key);
                }
                Intent::EndTyping => self.history.seal(),
                Intent::AcceptDirective(d) => {
                    if let Some(id) = self.accept_directive(&d) {
                        self.ann_ui.selected = Some(id);
                    }
                }
                Intent::AcceptAllAbove(t) => {
                    let n = self.accept_all_above(t);
                    self.info(super::i18n::tr!("dir.accepted_n", n = n));
                }
                Intent::EditAnnotation(id) => {
                    self.ann_ui.selected = Some(id);
                    self.ann_ui.tab = super::annotate::SideTab::Annotations;
                }
                Intent::Select(id) => self.ann_ui.selected = Some(id),
                Intent::AddTag { name, parent } => {
                    if let Some(id) = self.add_tag(&name, parent) {
                        self.ann_ui.codebook.tag_selected = Some(id);
                        self.ann_ui.codebook.new_tag_name.clear();
                    }
                }
                Intent::SelectTag(id) => self.ann_ui.codebook.tag_selected = Some(id),
                Intent::AnnotateSelection { write_note } => {
                    if self.annotate_selection(Vec::new(), "").is_some() && write_note {
                        self.ann_ui.focus_note = true;
                    }
                }
                Intent::DeleteAnnotation(id) => self.delete_annotation(id),
                Intent::LinkSource(ann, src) => self.link_source(ann, src),
                Intent::SourceFromAttribution(ann) => self.source_from_attribution(ann),
                // Analysis and text changes on the window's thread: a bug in them is a
                // message, not a closed window.
                Intent::VerifyDirective(ann) => {
                    self.guarded(|app| app.verify_directive(ann));
                }
                Intent::NewSource => {
                    let created = self.execute_creating(Command::AddSource(Box::default()));
                    if let Some(id) = created {
                        self.dir_ui.sources.selected = Some(crate::model::SourceId(id));
                    }
                }
                Intent::Reattach(id) => self.reattach(id),
                Intent::OpenFile(purpose) => self.dialogs.open_file(purpose, None),
                Intent::Error(e) => self.error(e),
                Intent::Jump(doc, range) => self.jump_to(doc, range),
                Intent::FindSource(ann) => self.find_source(ann),
                Intent::FindSourcesForAll => {
                    let ctx = self.egui_ctx.clone();
                    self.start_find_all(&ctx);
                }
                Intent::LinkFound(ann, i) => self.link_found(ann, i),
                Intent::ShowFound(ann, i) => {
                    if let Some(m) = self.lib_ui.found.get(&ann).and_then(|v| v.get(i)) {
                        self.lib_ui.viewer = Some(super::library::Viewer::at(
                            m.folder, &m.file, m.start, m.end,
                        ));
                    }
                }
                Intent::FindInLibrary => self.find_selection_in_library(),
                Intent::AddLibraryFolder(dir) => {
                    let ctx = self.egui_ctx.clone();
                    self.add_library_folder(&ctx, dir);
                }
                Intent::PickLibraryFolder => {
                    let ctx = self.egui_ctx.clone();
                    self.jobs
                        .pick(&ctx, super::jobs::PickPurpose::LibraryFolder, None);
                }
                Intent::RemoveLibraryFolder(i) => {
                    let ctx = self.egui_ctx.clone();
                    self.remove_library_folder(&ctx, i);
                }
                Intent::IndexLibrary => {
                    let ctx = self.egui_ctx.clone();
                    self.start_library_index(&ctx);
                }
                Intent::Correct(c) => {
                    self.guarded(|app| app.correct(c));
                }
                Intent::RejectCandidate(doc, s, e) => {
                    let Some(r) = self
                        .ws()
                        .document(doc)
                        .map(|d| crate::model::Rejection::new(doc, &d.text, s..e))
                    else {
                        continue;
                    };
                    if self.execute(crate::model::Command::RejectCandidate(Box::new(r))) {
                        self.info(super::i18n::tr!("review.rejected"));
                    }
                }
                Intent::RestoreCandidate(r) => {
                    if self.execute(crate::model::Command::UnrejectCandidate(r)) {
                        self.info(super::i18n::tr!("review.restored"));
                    }
                }
                Intent::Unaccept(id) => {
                    self.delete_annotation(id);
                    self.info(super::i18n::tr!("review.unaccepted"));
                }
                Intent::SaveLibraryMeta(folder, file, header) => {
                    let result = self
                        .lib_ui
                        .library
                        .as_ref()
                        .and_then(|l| l.folders.get(folder))
                        .map(|f| f.set_header(&file, header));
                    match result {
                        Some(Ok(())) => {
                            self.info(super::i18n::tr!(
                                "lib.meta_saved",
                                file = crate::library::names::display(&file)
                            ));
                            if let Some(l) = &self.lib_ui.library
                                && let Some(f) = l.folders.get(folder)
                                && let Some((_, _, h)) = &mut self.lib_ui.editing
                            {
                                *h = f.header(&file).unwrap_or_default();
                            }
                        }
                        Some(Err(e)) => self.error(e.to_string()),
                        None => {}
                    }
                }
            }
        }
    }
}
