//! Workspace files with real text: byte-identical round trips, refusal of damaged and newer
//! files without touching them.

use std::path::Path;

use yinwen::import::{EncodingChoice, import_file};
use yinwen::model::{Command, Workspace};
use yinwen::store::{self, StoreError};

fn seed_workspace() -> Workspace {
    let mut ws = Workspace::new();
    for f in [
        "sample_data/changchun-community-2007.txt",
        "tests/data/cpc19_report_2017_xi_jinping.gbk.txt",
        "tests/data/xi_2015-06-12_chen_yun_110th_speech.txt",
    ] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
        let d = import_file(&p, EncodingChoice::Auto).unwrap();
        let doc = yinwen::cli::document_from_decoded(Some(&p), d);
        ws.apply(Command::AddDocument(Box::new(doc))).unwrap();
    }
    ws
}

#[test]
fn save_load_save_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    let ws = seed_workspace();
    store::save(&ws, &a).unwrap();
    let back = store::load(&a).unwrap();
    assert_eq!(back, ws);
    store::save(&back, &b).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let text = std::fs::read_to_string(&a).unwrap();
    assert!(text.contains("同志们："), "Chinese stored readable");
}

#[test]
fn damaged_and_newer_files_are_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let good = store::to_ron_string(&seed_workspace()).unwrap();
    let cut = (0..good.len() - 40)
        .rev()
        .find(|&i| good.is_char_boundary(i))
        .unwrap();
    let cases = [
        ("truncated.ron", good[..cut].to_string()),
        (
            "garbled.ron",
            good.replacen("documents: [", "documents: {", 1),
        ),
        ("newer.ron", good.replacen("version: 5,", "version: 7,", 1)),
    ];
    for (name, content) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, &content).unwrap();
        let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
        let err = store::load(&p).unwrap_err();
        match (&err, name) {
            (StoreError::TooNew { found: 7, .. }, "newer.ron") => {}
            (StoreError::Parse { line, col, .. }, _) if name != "newer.ron" => {
                assert!(*line >= 1 && *col >= 1);
                assert!(err.to_string().contains("line "), "{err}");
            }
            _ => panic!("{name}: unexpected {err:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            content,
            "{name} untouched"
        );
        assert_eq!(std::fs::metadata(&p).unwrap().modified().unwrap(), modified);
    }
}

#[test]
fn check_reports_health_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_yinwen");
    let good = dir.path().join("good.ron");
    store::save(&yinwen::sample::sample_workspace(), &good).unwrap();
    let o = std::process::Command::new(bin)
        .arg("check")
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("no problems found")
    );

    let mut ws = yinwen::sample::sample_workspace();
    ws.annotations[1].orphan = true;
    let bad = dir.path().join("orphans.ron");
    store::save(&ws, &bad).unwrap();
    let o = std::process::Command::new(bin)
        .arg("check")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8(o.stdout).unwrap().contains("orphan"));

    let damaged = dir.path().join("damaged.ron");
    std::fs::write(&damaged, "(format: \"yinwen\", version: 3, documents: [(").unwrap();
    let o = std::process::Command::new(bin)
        .arg("check")
        .arg(&damaged)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("line 1, column"), "{err}");

    let newer = dir.path().join("newer.ron");
    std::fs::write(&newer, "(format: \"yinwen\", version: 99, documents: [])").unwrap();
    let o = std::process::Command::new(bin)
        .arg("check")
        .arg(&newer)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("newer Yinwen")
    );
}

/// Every sample workspace, copied with CRLF line endings (a Windows editor, git autocrlf) and
/// with CRLF plus a BOM, reads exactly like the LF file: same texts, so the same hashes and
/// anchors, and `check` finds nothing moved.
#[test]
fn crlf_and_bom_copies_of_every_sample_read_like_the_original() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut samples: Vec<(String, String)> = vec![
        (
            "sample".into(),
            store::to_ron_string(&yinwen::sample::sample_workspace()).unwrap(),
        ),
        (
            "verification".into(),
            store::to_ron_string(&yinwen::sample::verification_sample()).unwrap(),
        ),
    ];
    for f in [
        "sample_data/changchun-sample.ron",
        "sample_data/verification-sample.ron",
        "tests/data/workspace-v1.ron",
        "tests/data/workspace-v2.ron",
    ] {
        samples.push((f.into(), std::fs::read_to_string(root.join(f)).unwrap()));
    }
    for (name, lf) in samples {
        let lf = lf.replace("\r\n", "\n");
        let original = store::from_ron_str(&lf).unwrap();
        let crlf = lf.replace('\n', "\r\n");
        for copy in [crlf.clone(), format!("\u{feff}{crlf}")] {
            let back = store::from_ron_str(&copy).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(back, original, "{name}");
            assert!(
                back.documents.iter().all(|d| !d.text.contains('\r')),
                "{name}: no \\r in texts"
            );
            let moved: Vec<_> = store::check_workspace(&back)
                .into_iter()
                .filter(|p| p.kind.starts_with("anchor"))
                .collect();
            assert!(moved.is_empty(), "{name}: {moved:?}");
        }
    }
}

/// The sample speech revised as an editor would: a sentence added at the start, every damaged
/// year corrected (2O06 → 2006), the web-page debris cut. Every annotation follows its passage:
/// those that held a damaged year are *changed* (they remember the old quote), none is lost
/// unless it was in the debris, and directives verified before keep their verification but mark
/// it stale.
#[test]
fn annotations_follow_corrections_of_their_own_text() {
    use yinwen::model::Command as Cmd;
    let mut ws = yinwen::sample::sample_workspace();
    let doc = ws.documents[0].clone();
    let old = doc.text.clone();
    let debris = old.find("看过").unwrap_or(old.len());
    let mut revised = format!("（根据录音整理）\n{}", &old[..debris]);
    for (bad, good) in [("2O0", "200"), ("20O", "200")] {
        revised = revised.replace(bad, good);
    }
    assert_ne!(revised, old);
    // A verified directive on a passage with a damaged year, to see its verification go stale.
    let target = ws
        .annotations
        .iter()
        .position(|a| a.anchor.quote.contains("2O0"))
        .expect("an annotation covers a damaged year");
    {
        let mut a = ws.annotations[target].clone();
        a.directive = Some(yinwen::model::DirectiveInfo {
            verification: Some(yinwen::model::Verification {
                status: yinwen::model::VerifyStatus::Verbatim,
                source: yinwen::model::SourceId(1),
                span: None,
                similarity: 1.0,
            }),
            ..Default::default()
        });
        ws.apply(Cmd::SetAnnotation(Box::new(a))).unwrap();
    }
    let in_debris = ws
        .annotations
        .iter()
        .filter(|a| a.doc == doc.id && !a.orphan)
        .filter(|a| {
            old.char_indices()
                .nth(a.anchor.start.0)
                .is_some_and(|(b, _)| b >= debris)
        })
        .count();
    let (cmd, orphans, changed) = ws
        .update_text(doc.id, revised.clone(), Default::default())
        .unwrap();
    ws.apply(cmd).unwrap();
    eprintln!("orphans {orphans} (in debris {in_debris}), changed {changed}");
    assert_eq!(
        orphans, in_debris,
        "only passages in the cut debris are lost"
    );
    assert!(changed >= 1, "the corrected passages are followed");
    let idx = yinwen::model::CharIndex::new(&revised);
    for a in ws
        .annotations
        .iter()
        .filter(|a| a.doc == doc.id && !a.orphan)
    {
        assert!(a.anchor.holds_in(&revised, &idx), "{a:?}");
        if let Some(was) = &a.anchor.was {
            assert!(was.contains("2O0") || was.contains("20O"), "{was}");
            assert!(!a.anchor.quote.contains("2O0"));
        }
    }
    let t = ws.annotation(ws.annotations[target].id).unwrap();
    assert!(t.anchor.was.is_some());
    let d = t.directive.as_ref().unwrap();
    assert!(d.verification.is_some() && d.verification_stale);
    // check reports them as changed, not moved or lost.
    let kinds: Vec<&str> = store::check_workspace(&ws).iter().map(|p| p.kind).collect();
    assert!(kinds.contains(&"anchor_changed"), "{kinds:?}");
    assert!(
        !kinds.contains(&"anchor_lost") && !kinds.contains(&"anchor_moved"),
        "{kinds:?}"
    );
}

#[test]
fn check_counts_rejected_candidates_and_reports_a_lost_one() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_yinwen");
    let mut ws = yinwen::sample::sample_workspace();
    let doc = ws.documents[0].clone();
    for range in [0..4, 10..20] {
        let r = yinwen::model::Rejection::new(doc.id, &doc.text, range);
        ws.apply(Command::RejectCandidate(Box::new(r))).unwrap();
    }
    // One whose passage was lost in a text change: kept, but no problem.
    let mut lost = yinwen::model::Rejection::new(doc.id, &doc.text, 30..40);
    lost.orphan = true;
    ws.apply(Command::RejectCandidate(Box::new(lost))).unwrap();
    let run = |p: &Path| {
        let o = std::process::Command::new(bin)
            .arg("check")
            .arg(p)
            .output()
            .unwrap();
        (o.status.code(), String::from_utf8(o.stdout).unwrap())
    };
    let good = dir.path().join("rejected.ron");
    store::save(&ws, &good).unwrap();
    let (code, out) = run(&good);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("3 rejected candidates (1 no longer found in their text)"),
        "{out}"
    );
    assert!(out.contains("no problems found"), "{out}");
    // A span edited by hand so that it no longer holds its quote is a problem.
    let text = std::fs::read_to_string(&good).unwrap();
    let quote: String = doc.text.chars().skip(10).take(10).collect();
    let other: String = doc.text.chars().skip(11).take(10).collect();
    let bad = dir.path().join("bad.ron");
    let at = text.find("rejections:").expect("saved");
    let edited = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen(
            &format!("quote: \"{quote}\""),
            &format!("quote: \"{other}\""),
            1
        )
    );
    assert_ne!(edited, text);
    std::fs::write(&bad, edited).unwrap();
    let (code, out) = run(&bad);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("rejection_lost"), "{out}");
}
