//! Working with colleagues, through the real window: merging a workspace from the File menu,
//! a save refused because someone else saved the file (merge / reload / overwrite), the lock
//! warning for a workspace open elsewhere, and long work with a progress bar and Cancel.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::model::{AnnId, Command, Workspace};
use yinwen::sample::sample_workspace;
use yinwen::store;
use yinwen::ui::YinwenApp;
use yinwen::ui::jobs::JobResult;

fn with_note(ws: &mut Workspace, i: usize, note: &str) -> AnnId {
    let mut a = ws.annotations[i].clone();
    a.note = note.into();
    let id = a.id;
    ws.apply(Command::SetAnnotation(Box::new(a))).unwrap();
    id
}

fn edit_in_app(h: &mut Harness<'static, YinwenApp>, i: usize, note: &str) -> AnnId {
    let mut a = h.state().ws().annotations[i].clone();
    a.note = note.into();
    let id = a.id;
    assert!(h.state_mut().execute(Command::SetAnnotation(Box::new(a))));
    h.run_steps(2);
    id
}

/// Types a path into the generic file dialog and presses its button.
fn choose_file(h: &mut Harness<'static, YinwenApp>, path: &Path) {
    h.get_by_role_and_label(Role::TextInput, "Path:").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Path:")
        .type_text(&path.display().to_string());
    h.run_steps(1);
    h.get_by_label("Open file").click();
    settle(h);
}

/// The window with nothing open and the first-run welcome dismissed.
fn empty_window() -> Harness<'static, YinwenApp> {
    let mut h = harness(vec![]);
    h.state_mut().dialogs.welcome = false;
    h.run_steps(2);
    h
}

fn open_workspace(path: &Path) -> Harness<'static, YinwenApp> {
    let h = harness(vec![path.to_path_buf()]);
    assert_eq!(
        h.state().ws_path.as_deref(),
        Some(path),
        "notices: {:?}",
        h.state().notices
    );
    h
}

#[test]
fn merging_a_colleagues_workspace_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let (mine, theirs): (PathBuf, PathBuf) =
        (dir.path().join("我的.ron"), dir.path().join("同事.ron"));
    let mut a = sample_workspace();
    let shared = with_note(&mut a, 0, "我的意见");
    store::save(&a, &mine).unwrap();
    let mut b = sample_workspace();
    with_note(&mut b, 0, "同事的意见");
    let mut extra = b.annotations[3].clone();
    extra.id = AnnId(0);
    extra.note = "同事新加的批注".into();
    b.apply(Command::AddAnnotation(Box::new(extra))).unwrap();
    store::save(&b, &theirs).unwrap();

    let mut h = open_workspace(&mine);
    let before = h.state().ws().annotations.len();
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Merge workspace…").click();
    h.run_steps(2);
    choose_file(&mut h, &theirs);
    assert!(h.state().merge_review.is_some(), "{:?}", h.state().notices);
    h.get_by_label("Merge 同事.ron into this workspace");
    h.get_by_label("1 conflicts: both sides changed the same item differently");
    h.get_by_label("Take theirs").click();
    h.run_steps(2);
    h.get_by_label("Merge").click();
    settle(&mut h);
    {
        let app = h.state();
        assert!(app.merge_review.is_none());
        assert_eq!(app.ws().annotation(shared).unwrap().note, "同事的意见");
        assert!(
            app.ws()
                .annotations
                .iter()
                .any(|x| x.note == "同事新加的批注")
        );
        assert_eq!(app.ws().annotations.len(), before + 1);
        assert!(app.history.is_dirty());
    }
    // One undo takes the whole merge back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.ws().annotation(shared).unwrap().note, "我的意见");
    assert_eq!(app.ws().annotations.len(), before);
}

/// Someone else saves the workspace while we have unsaved changes.
fn saved_by_someone_else(dir: &Path) -> (Harness<'static, YinwenApp>, PathBuf, AnnId, AnnId) {
    let path = dir.join("共享.ron");
    store::save(&sample_workspace(), &path).unwrap();
    let mut h = open_workspace(&path);
    let ours = edit_in_app(&mut h, 1, "我们的修改");
    let mut theirs = store::load(&path).unwrap();
    let their_id = with_note(&mut theirs, 2, "同事的修改");
    store::save(&theirs, &path).unwrap();
    // Save: refused, the question comes up, their file is untouched.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert!(h.state().shared.conflict.is_some());
    h.get_by_label("Someone else changed this workspace");
    assert_eq!(
        store::load(&path)
            .unwrap()
            .annotation(their_id)
            .unwrap()
            .note,
        "同事的修改"
    );
    assert!(h.state().history.is_dirty());
    (h, path, ours, their_id)
}

#[test]
fn a_save_over_someone_elses_changes_is_refused_and_merged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path, ours, theirs) = saved_by_someone_else(dir.path());
    h.get_by_label("Merge their changes into mine…").click();
    settle(&mut h);
    // Compared with the version we opened, the two edits do not conflict.
    assert!(
        h.state()
            .merge_review
            .as_ref()
            .unwrap()
            .plan
            .conflicts
            .is_empty()
    );
    h.get_by_label("Merge").click();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert!(
        h.state().shared.conflict.is_none(),
        "{:?}",
        h.state().notices
    );
    assert!(!h.state().history.is_dirty());
    let on_disk = store::load(&path).unwrap();
    assert_eq!(on_disk.annotation(ours).unwrap().note, "我们的修改");
    assert_eq!(on_disk.annotation(theirs).unwrap().note, "同事的修改");
}

#[test]
fn reloading_their_version_keeps_mine_as_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path, ours, theirs) = saved_by_someone_else(dir.path());
    h.get_by_label("Reload their version (keep mine as a copy)")
        .click();
    settle(&mut h);
    let app = h.state();
    assert_eq!(app.ws().annotation(theirs).unwrap().note, "同事的修改");
    assert!(!app.history.is_dirty());
    let copy = dir.path().join("共享 (mine).ron");
    let mine = store::load(&copy).expect("our version kept beside it");
    assert_eq!(mine.annotation(ours).unwrap().note, "我们的修改");
    assert_eq!(app.ws_path.as_deref(), Some(path.as_path()));
}

#[test]
fn overwriting_their_version_is_an_explicit_choice() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path, ours, theirs) = saved_by_someone_else(dir.path());
    h.get_by_label("Overwrite their version").click();
    settle(&mut h);
    let on_disk = store::load(&path).unwrap();
    assert_eq!(on_disk.annotation(ours).unwrap().note, "我们的修改");
    assert_ne!(on_disk.annotation(theirs).unwrap().note, "同事的修改");
    // Theirs is still in the backup.
    let bak = store::load(&store::backup_path(&path)).unwrap();
    assert_eq!(bak.annotation(theirs).unwrap().note, "同事的修改");
}

fn fake_lock(ws: &Path, age: Duration) {
    let p = store::lock::lock_path(ws);
    std::fs::write(
        &p,
        "Yinwen workspace lock\nuser=李四\nhost=另一台电脑\npid=4242\n",
    )
    .unwrap();
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() - age).unwrap();
}

#[test]
fn a_workspace_open_elsewhere_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("共享.ron");
    store::save(&sample_workspace(), &path).unwrap();
    fake_lock(&path, Duration::from_secs(90));
    let mut h = harness(vec![path.clone()]);
    assert!(h.state().ws().documents.is_empty(), "not opened yet");
    h.get_by_label("This workspace is open elsewhere");
    h.get_by_label_contains("李四 on 另一台电脑 (active 1 minutes ago)");
    h.get_by_label("Open anyway").click();
    settle(&mut h);
    assert_eq!(h.state().ws_path.as_deref(), Some(path.as_path()));
    let lock = std::fs::read_to_string(store::lock::lock_path(&path)).unwrap();
    assert!(
        lock.contains(&format!("pid={}", std::process::id())),
        "{lock}"
    );
    drop(h);
    assert!(
        !store::lock::lock_path(&path).exists(),
        "closing the workspace removes our lock"
    );
}

#[test]
fn a_stale_lock_is_taken_over_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ron");
    store::save(&sample_workspace(), &path).unwrap();
    fake_lock(&path, Duration::from_secs(3 * 3600));
    let h = open_workspace(&path);
    assert!(h.state().shared.lock_warning.is_none());
}

#[test]
fn long_work_shows_progress_and_can_be_cancelled() {
    let mut h = empty_window();
    let ctx = h.ctx.clone();
    h.state_mut()
        .jobs
        .spawn_with_progress(&ctx, "Testing a long job".into(), |p| {
            p.set_total(10);
            p.advance(3);
            while !p.is_cancelled() {
                std::thread::sleep(Duration::from_millis(2));
            }
            JobResult::VerifiedAll(None)
        });
    h.run_steps(3);
    h.get_by_label("Testing a long job");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.state().jobs.running().is_empty());
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text == "Verification was cancelled; nothing was changed")
    );
}

#[test]
fn f7_verifies_every_directive_in_one_undo_step() {
    let mut h = empty_window();
    let ctx = h.ctx.clone();
    h.state_mut()
        .perform(&ctx, yinwen::ui::actions::Action::OpenVerificationSample);
    h.run_steps(2);
    let before = h.state().ws().clone();
    // Forget the stored results, as if nothing had been verified yet.
    let cleared: Vec<Command> = before
        .annotations
        .iter()
        .filter(|a| a.directive.is_some())
        .map(|a| {
            let mut a = a.clone();
            if let Some(d) = &mut a.directive {
                d.verification = None;
            }
            Command::SetAnnotation(Box::new(a))
        })
        .collect();
    h.state_mut().execute(Command::Batch {
        label: yinwen::model::ChangeKind::EditAnnotation,
        commands: cleared,
    });
    h.run_steps(2);
    h.key_press(egui::Key::F7);
    settle(&mut h);
    let verified = |ws: &Workspace| {
        ws.annotations
            .iter()
            .filter(|a| {
                a.directive
                    .as_ref()
                    .is_some_and(|d| d.verification.is_some())
            })
            .count()
    };
    assert_eq!(
        verified(h.state().ws()),
        verified(&before),
        "{:?}",
        h.state().notices
    );
    assert!(verified(&before) >= 4);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(verified(h.state().ws()), 0);
}

#[test]
fn about_shows_the_version_and_the_font_licence() {
    let mut h = empty_window();
    h.get_by_label("Help").click();
    h.run_steps(2);
    h.get_by_label("About Yinwen").click();
    h.run_steps(2);
    h.get_by_label(&format!("Yinwen 引文 {}", env!("CARGO_PKG_VERSION")));
    h.get_by_label_contains("SIL Open Font License 1.1");
    h.get_by_label("Font licence (SIL OFL 1.1)").click();
    h.run_steps(2);
    h.get_by_label_contains("SIL OPEN FONT LICENSE Version 1.1");
}

/// After a crash, restored work knows which version of its file it was based on.
#[test]
fn restored_work_asks_before_overwriting_a_file_saved_since_the_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery.ron");
    let path = dir.path().join("共享.ron");
    store::save(&sample_workspace(), &path).unwrap();
    let make = |files: Vec<PathBuf>| harness_recovering(files, recovery.clone());
    for someone_saved in [false, true] {
        let mut h = make(vec![path.clone()]);
        edit_in_app(&mut h, 1, "崩溃前的修改");
        h.state_mut().autosave_now();
        drop(h); // the "crash"
        if someone_saved {
            let mut theirs = store::load(&path).unwrap();
            with_note(&mut theirs, 2, "崩溃后同事保存的修改");
            store::save(&theirs, &path).unwrap();
        }
        let mut h = make(vec![]);
        h.get_by_label("Restore").click();
        h.run_steps(2);
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
        h.run_steps(3);
        assert_eq!(
            h.state().shared.conflict.is_some(),
            someone_saved,
            "{:?}",
            h.state().notices
        );
        if !someone_saved {
            assert!(!h.state().history.is_dirty(), "saved straight away");
        } else {
            let on_disk = store::load(&path).unwrap();
            assert_eq!(on_disk.annotations[2].note, "崩溃后同事保存的修改");
        }
    }
}

#[test]
fn verify_all_keeps_a_note_typed_while_it_ran() {
    let mut h = empty_window();
    let ctx = h.ctx.clone();
    h.state_mut()
        .perform(&ctx, yinwen::ui::actions::Action::OpenVerificationSample);
    h.run_steps(2);
    let ws = h.state().ws().clone();
    let i = ws
        .annotations
        .iter()
        .position(|a| {
            a.directive
                .as_ref()
                .is_some_and(|d| d.verification.is_some())
        })
        .unwrap();
    let id = ws.annotations[i].id;
    // The job's result computed from the workspace before the edit…
    let mut stale = ws.clone();
    if let Some(d) = &mut stale.annotations[i].directive {
        d.verification = None;
    }
    let out = yinwen::analysis::verify_workspace::verify_directives(
        &stale,
        &[],
        &Default::default(),
        &yinwen::progress::Progress::new(),
    )
    .unwrap();
    // …arrives after the user wrote a note.
    edit_in_app(&mut h, i, "核对期间写下的批注");
    h.state_mut().on_verified_all(Some(out));
    h.run_steps(2);
    let a = h.state().ws().annotation(id).unwrap().clone();
    assert_eq!(a.note, "核对期间写下的批注");
    assert!(a.directive.unwrap().verification.is_some());
}

#[test]
fn an_edit_made_while_another_workspace_loads_is_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
    store::save(&sample_workspace(), &a_path).unwrap();
    store::save(&yinwen::sample::verification_sample(), &b_path).unwrap();
    let mut h = open_workspace(&a_path);
    let ctx = h.ctx.clone();
    h.state_mut().open_paths(&ctx, vec![b_path.clone()]);
    // The file is being read; the user edits before it arrives.
    let mut a = h.state().ws().annotations[0].clone();
    a.note = "读取期间的修改".into();
    assert!(h.state_mut().execute(Command::SetAnnotation(Box::new(a))));
    settle(&mut h);
    assert_eq!(h.state().ws_path.as_deref(), Some(a_path.as_path()));
    assert_eq!(h.state().ws().annotations[0].note, "读取期间的修改");
    h.get_by_label("Save changes?");
    h.get_by_label("Don't save").click();
    settle(&mut h);
    assert_eq!(h.state().ws_path.as_deref(), Some(b_path.as_path()));
}

#[test]
fn a_repaired_workspace_says_so_and_export_never_overwrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample_workspace();
    let (a, b) = (ws.tags[0].id, ws.tags[1].id);
    ws.tags[0].parent = Some(b);
    ws.tags[1].parent = Some(a);
    let path = dir.path().join("环.ron");
    store::save(&ws, &path).unwrap();
    let mut h = open_workspace(&path);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text.contains("Repaired while opening") && n.text.contains("top level")),
        "{:?}",
        h.state().notices
    );
    let before = std::fs::read(&path).unwrap();
    let ctx = h.ctx.clone();
    h.state_mut().open_export_dialog();
    let mut d = h.state_mut().export_dialog.take().unwrap();
    d.path = path.display().to_string();
    h.state_mut().run_export(&ctx, &d);
    settle(&mut h);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.error && n.text.contains("the workspace file itself")),
        "{:?}",
        h.state().notices
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
}

#[test]
fn save_as_onto_a_speech_of_the_workspace_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let speech = dir.path().join("讲话.txt");
    std::fs::write(&speech, "同志们：\n要“把社区建设好”。\n").unwrap();
    let mut h = harness(vec![speech.clone()]);
    h.state_mut().dialogs.welcome = false;
    let ctx = h.ctx.clone();
    assert!(!h.state_mut().save_to(&ctx, speech.clone()));
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.error && n.text.contains("was read from")),
        "{:?}",
        h.state().notices
    );
    assert_eq!(
        std::fs::read_to_string(&speech).unwrap(),
        "同志们：\n要“把社区建设好”。\n"
    );
}
