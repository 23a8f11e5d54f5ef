//! `yinwen import`, `--help` and `--version` through the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

#[test]
fn import_writes_a_workspace_and_reports_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws.ron");
    let seed = data("sample_data/changchun-community-2007.txt");
    let gbk = data("tests/data/cpc17_report_2007_hu_jintao.gbk.txt");
    let o = bin()
        .arg("import")
        .arg(&seed)
        .arg(&gbk)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8(o.stdout).unwrap();
    // One line a file (indented lines under it say what was done with line breaks).
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert!(
        stdout.contains("  reflow: auto, not hard-wrapped, lines kept"),
        "{stdout}"
    );
    assert!(
        lines[0].contains("UTF-8") && lines[0].contains("paragraphs"),
        "{stdout}"
    );
    assert!(lines[1].contains("GB"), "GBK detected: {stdout}");
    assert!(
        lines[1].contains("28,333 chars") || lines[1].contains("28333 chars"),
        "{stdout}"
    );
    let ws = yinwen::store::load(&out).unwrap();
    assert_eq!(ws.documents.len(), 2);
    let twin = std::fs::read_to_string(data("tests/data/cpc17_report_2007_hu_jintao.txt")).unwrap();
    assert_eq!(ws.documents[1].text, twin);
}

#[test]
fn bad_input_exits_2_with_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws.ron");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let binary = dir.path().join("bin.txt");
    std::fs::write(&binary, b"abc\0def").unwrap();
    let seed = data("sample_data/changchun-community-2007.txt");
    for bad in [
        empty.clone(),
        binary.clone(),
        dir.path().join("missing.txt"),
    ] {
        let o = bin()
            .arg("import")
            .arg(&seed)
            .arg(&bad)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("yinwen: "), "{err}");
        assert!(!out.exists(), "no output after bad input");
    }
    // an unknown encoding name is bad input too
    let o = bin()
        .args(["import", "--encoding", "latin9", "-o"])
        .arg(&out)
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn forced_encoding_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws.ron");
    let gbk = data("tests/data/cpc17_report_2007_hu_jintao.gbk.txt");
    let o = bin()
        .args(["import", "--encoding", "utf-8", "-o"])
        .arg(&out)
        .arg(&gbk)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "GBK bytes are not UTF-8");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("UTF-8"), "{err}");
    let o = bin()
        .args(["import", "--encoding", "gb18030", "-o"])
        .arg(&out)
        .arg(&gbk)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn help_and_version() {
    let o = bin().arg("--help").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(s.contains("import"), "{s}");
    let o = bin().arg("--version").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains(env!("CARGO_PKG_VERSION"))
    );
}
