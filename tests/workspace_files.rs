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
        ("newer.ron", good.replacen("version: 3,", "version: 7,", 1)),
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
