//! `yinwen merge A.ron B.ron -o C.ron` through the binary: colleagues' work merges without
//! loss, conflicts are listed with exit 1, bad input writes nothing.

use std::path::Path;
use std::process::Command as Proc;

use yinwen::model::{Command, Workspace};
use yinwen::sample::sample_workspace;
use yinwen::store;

fn bin() -> Proc {
    Proc::new(env!("CARGO_BIN_EXE_yinwen"))
}

/// Runs `yinwen merge A B -o C [extra…]`.
fn merge(a: &Path, b: &Path, c: &Path, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    bin()
        .arg("merge")
        .arg(a)
        .arg(b)
        .arg("-o")
        .arg(c)
        .args(extra)
        .output()
        .unwrap()
}

fn with_note(ws: &mut Workspace, i: usize, note: &str) {
    let mut a = ws.annotations[i].clone();
    a.note = note.into();
    ws.apply(Command::SetAnnotation(Box::new(a))).unwrap();
}

fn add_copy(ws: &mut Workspace, i: usize, note: &str) {
    let mut a = ws.annotations[i].clone();
    a.id = yinwen::model::AnnId(0);
    a.note = note.into();
    ws.apply(Command::AddAnnotation(Box::new(a))).unwrap();
}

#[test]
fn two_colleagues_merge_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path, c_path) = (
        dir.path().join("甲.ron"),
        dir.path().join("乙.ron"),
        dir.path().join("合并.ron"),
    );
    let mut a = sample_workspace();
    let mut b = sample_workspace();
    with_note(&mut a, 0, "甲的意见");
    with_note(&mut b, 0, "乙的意见");
    add_copy(&mut a, 2, "甲新加的批注");
    add_copy(&mut b, 3, "乙新加的批注");
    store::save(&a, &a_path).unwrap();
    store::save(&b, &b_path).unwrap();
    let a_bytes = std::fs::read(&a_path).unwrap();

    let o = merge(&a_path, &b_path, &c_path, &[]);
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("conflict annotation"), "{stdout}");
    assert!(
        stdout.contains("甲的意见") && stdout.contains("乙的意见"),
        "{stdout}"
    );
    assert!(stdout.contains("annotations: 1 added"), "{stdout}");
    assert_eq!(std::fs::read(&a_path).unwrap(), a_bytes, "inputs untouched");

    let c = store::load(&c_path).unwrap();
    for note in ["甲的意见", "乙的意见", "甲新加的批注", "乙新加的批注"] {
        assert!(c.annotations.iter().any(|x| x.note == note), "lost {note}");
    }
    assert_eq!(c.annotations.len(), a.annotations.len() + 2);
    let check = bin().arg("check").arg(&c_path).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Taking theirs settles the conflict with their note and no second copy.
    let o = merge(
        &a_path,
        &b_path,
        &c_path,
        &["--prefer".as_ref(), "theirs".as_ref()],
    );
    assert_eq!(o.status.code(), Some(1));
    let c = store::load(&c_path).unwrap();
    assert_eq!(c.annotations[0].note, "乙的意见");
    assert!(!c.annotations.iter().any(|x| x.note == "甲的意见"));
    assert!(
        store::backup_path(&c_path).exists(),
        "previous result kept as .bak"
    );
}

#[test]
fn merging_without_conflicts_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let a_path = dir.path().join("a.ron");
    let b_path = dir.path().join("b.ron");
    let c_path = dir.path().join("c.ron");
    store::save(&Workspace::new(), &a_path).unwrap();
    store::save(&sample_workspace(), &b_path).unwrap();
    let o = merge(&a_path, &b_path, &c_path, &[]);
    assert_eq!(o.status.code(), Some(0));
    let c = store::load(&c_path).unwrap();
    assert_eq!(c.annotations, sample_workspace().annotations);
}

#[test]
fn bad_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a_path = dir.path().join("a.ron");
    let bad = dir.path().join("bad.ron");
    let c_path = dir.path().join("c.ron");
    store::save(&sample_workspace(), &a_path).unwrap();
    std::fs::write(&bad, "(format: \"yinwen\", version: 3, documents: [(").unwrap();
    for (x, y) in [(&a_path, &bad), (&bad, &a_path)] {
        let o = merge(x, y, &c_path, &[]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.contains("line 1"), "{err}");
        assert_eq!(err.lines().count(), 1);
        assert!(!c_path.exists());
    }
    let o = merge(
        &a_path,
        &a_path,
        &c_path,
        &["--prefer".as_ref(), "nobody".as_ref()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!c_path.exists());
}

#[test]
fn with_a_base_only_real_conflicts_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let [base_p, a_p, b_p, c_p] =
        ["base", "a", "b", "c"].map(|n| dir.path().join(format!("{n}.ron")));
    let base = sample_workspace();
    let mut a = base.clone();
    let mut b = base.clone();
    with_note(&mut a, 0, "甲改");
    with_note(&mut b, 1, "乙改");
    store::save(&base, &base_p).unwrap();
    store::save(&a, &a_p).unwrap();
    store::save(&b, &b_p).unwrap();
    let run = |with_base: bool| {
        let mut c = bin();
        c.arg("merge").arg(&a_p).arg(&b_p).arg("-o").arg(&c_p);
        if with_base {
            c.arg("--base").arg(&base_p);
        }
        c.output().unwrap()
    };
    let o = run(false);
    assert_eq!(
        o.status.code(),
        Some(1),
        "two-way: both differences are questions"
    );
    let o = run(true);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let c = store::load(&c_p).unwrap();
    assert_eq!(c.annotations[0].note, "甲改");
    assert_eq!(c.annotations[1].note, "乙改");
}

#[test]
fn their_rejected_candidates_come_over_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path, c_path) = (
        dir.path().join("甲.ron"),
        dir.path().join("乙.ron"),
        dir.path().join("合并.ron"),
    );
    let a = sample_workspace();
    let mut b = sample_workspace();
    let doc = b.documents[0].clone();
    let r = yinwen::model::Rejection::new(doc.id, &doc.text, 10..20);
    b.apply(Command::RejectCandidate(Box::new(r))).unwrap();
    store::save(&a, &a_path).unwrap();
    store::save(&b, &b_path).unwrap();
    let o = merge(&a_path, &b_path, &c_path, &[]);
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("rejected candidates: 1 added, 0 matched"),
        "{stdout}"
    );
    let merged = store::load(&c_path).unwrap();
    let d = merged.documents[0].id;
    assert!(merged.is_rejected(d, 10, 20));
}
