//! Opening a REFI-QDA project (`.qdpx`) in the window: it becomes a new, unsaved workspace,
//! and the export dialog offers the format.

mod common;

use common::harness;

#[test]
fn opening_a_project_makes_a_new_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let sample = yinwen::sample::sample_workspace();
    let bytes = yinwen::store::qdpx::write_qdpx(&sample, "示例", yinwen::export::Lang::Zh).unwrap();
    let path = dir.path().join("示例.qdpx");
    std::fs::write(&path, bytes).unwrap();
    let h = harness(vec![path.clone()]);
    let app = h.state();
    assert!(
        app.notices.iter().all(|n| !n.error),
        "notices: {:?}",
        app.notices.iter().map(|n| &n.text).collect::<Vec<_>>()
    );
    assert!(
        app.notices
            .iter()
            .any(|n| n.text.contains("REFI-QDA") && n.text.contains("documents")),
        "notices: {:?}",
        app.notices.iter().map(|n| &n.text).collect::<Vec<_>>()
    );
    let ws = app.ws();
    assert_eq!(ws.documents.len(), sample.documents.len());
    assert_eq!(ws.documents[0].text, sample.documents[0].text);
    assert_eq!(ws.tags.len(), sample.tags.len());
    assert_eq!(
        ws.annotations.len(),
        sample.annotations.iter().filter(|a| !a.orphan).count()
    );
    // Not a file yet: saving asks where.
    assert_eq!(app.ws_path, None);
    assert_eq!(app.current, ws.documents.first().map(|d| d.id));
}

#[test]
fn a_damaged_project_is_an_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.qdpx");
    std::fs::write(&path, b"PK\x03\x04 broken").unwrap();
    let h = harness(vec![path]);
    let app = h.state();
    assert!(app.ws().documents.is_empty());
    assert!(
        app.notices
            .iter()
            .any(|n| n.error && n.text.contains("not a REFI-QDA project")),
        "notices: {:?}",
        app.notices.iter().map(|n| &n.text).collect::<Vec<_>>()
    );
}
