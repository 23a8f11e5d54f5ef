//! The window survives a bug: an import or an export that panics on its job's thread, taking
//! in the imported text on the window's thread, or directive detection (analysis) that panics —
//! each becomes one message, the workspace is unchanged, and unsaved work is written to the
//! recovery file first. The panics are injected with `YINWEN_FAULT` (debug builds only), so
//! the cases run one after another in one test: the variable is the process's.

use std::path::Path;

use yinwen::ui::YinwenApp;

mod common;
use common::{harness_recovering, settle};

fn errors(app: &YinwenApp) -> Vec<String> {
    app.notices
        .iter()
        .filter(|n| n.error)
        .map(|n| n.text.clone())
        .collect()
}

#[test]
fn the_window_survives_failing_imports_and_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let speech = dir.path().join("讲话.txt");
    std::fs::write(
        &speech,
        "在会议上的讲话\n\n胡锦涛同志指出：“要加强社区建设，发挥社区作用。”\n",
    )
    .unwrap();
    let recovery = dir.path().join("recovery.ron");
    let mut h = harness_recovering(Vec::new(), recovery.clone());

    for point in ["import", "import_result"] {
        // Unsaved work, not yet autosaved: a tag.
        let tag = format!("未保存的标签 {point}");
        h.state_mut().add_tag(&tag, None);
        h.run_steps(2);
        assert!(h.state().history.is_dirty());
        let before = h.state().ws().clone();
        let undo = h.state().history.undo_label();
        // SAFETY: one test in this binary; no other thread reads the environment meanwhile
        // but the jobs this test starts.
        unsafe { std::env::set_var("YINWEN_FAULT", point) };
        let ctx = h.ctx.clone();
        h.state_mut().open_paths(&ctx, vec![speech.clone()]);
        settle(&mut h);
        unsafe { std::env::remove_var("YINWEN_FAULT") };
        let app = h.state();
        assert_eq!(*app.ws(), before, "{point}: the workspace is unchanged");
        assert_eq!(
            app.history.undo_label(),
            undo,
            "{point}: nothing to undo added"
        );
        let errs = errors(app);
        assert_eq!(errs.len(), 1, "{point}: one message: {errs:?}");
        assert!(errs[0].contains("Something went wrong"), "{}", errs[0]);
        assert!(errs[0].contains("fault injected"), "{}", errs[0]);
        assert!(errs[0].contains("recovery file"), "{}", errs[0]);
        let rec = yinwen::ui::recovery::read(&recovery)
            .unwrap()
            .expect("unsaved work written to the recovery file");
        assert!(
            rec.workspace.tags.iter().any(|t| t.name == tag),
            "{point}: the latest unsaved work"
        );
        h.state_mut().notices.clear();
        h.run_steps(2);
    }

    // The same file opens normally once the fault is gone; detection panicking on the
    // window's thread is reported once and the speech stays open, without candidates.
    unsafe { std::env::set_var("YINWEN_FAULT", "detect") };
    let ctx = h.ctx.clone();
    h.state_mut().open_paths(&ctx, vec![speech.clone()]);
    settle(&mut h);
    h.state_mut().review.open = true;
    h.run_steps(4);
    unsafe { std::env::remove_var("YINWEN_FAULT") };
    let app = h.state();
    assert_eq!(app.ws().documents.len(), 1, "the speech was opened");
    let errs = errors(app);
    assert_eq!(errs.len(), 1, "reported once: {errs:?}");
    assert!(
        errs[0].contains("fault injected at “detect”"),
        "{}",
        errs[0]
    );
    h.run_steps(4);
    assert_eq!(errors(h.state()).len(), 1, "not again every frame");
    assert!(Path::new(&recovery).exists());
    h.state_mut().notices.clear();

    // An export that panics on its thread: a message, no file, the workspace as it was.
    let before = h.state().ws().clone();
    h.state_mut().open_export_dialog();
    let mut d = h.state_mut().export_dialog.take().expect("the dialog");
    let out = dir.path().join("导出.html");
    d.path = out.display().to_string();
    d.choices.format = "html".into();
    unsafe { std::env::set_var("YINWEN_FAULT", "export") };
    let ctx = h.ctx.clone();
    h.state_mut().run_export(&ctx, &d);
    settle(&mut h);
    unsafe { std::env::remove_var("YINWEN_FAULT") };
    let app = h.state();
    let errs = errors(app);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("fault injected at “export”"),
        "{}",
        errs[0]
    );
    assert!(!out.exists(), "nothing written");
    assert_eq!(*app.ws(), before);
}
