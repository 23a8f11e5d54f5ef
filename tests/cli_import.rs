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

#[test]
fn import_of_folders_files_documents_in_groups_and_lists_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("讲话汇编");
    std::fs::create_dir_all(root.join("2016")).unwrap();
    std::fs::create_dir_all(root.join("2015/六月")).unwrap();
    for (from, to) in [
        (
            "tests/data/xi_2016-01-18_provincial_study_session_speech.txt",
            "2016/a.txt",
        ),
        (
            "tests/data/xi_2016-09-29_hu_jintao_selected_works_speech.txt",
            "2016/b.txt",
        ),
        (
            "tests/data/xi_2015-06-12_chen_yun_110th_speech.txt",
            "2015/六月/c.txt",
        ),
        // The GBK original of a speech also given as UTF-8: the same text, a duplicate.
        ("tests/data/cpc17_report_2007_hu_jintao.gbk.txt", "gbk.txt"),
        ("tests/data/cpc17_report_2007_hu_jintao.txt", "utf8.txt"),
    ] {
        std::fs::copy(data(from), root.join(to)).unwrap();
    }
    std::fs::write(root.join("2016/统计.xls"), [0xD0u8, 0xCF, 0x11, 0xE0]).unwrap();
    std::fs::write(root.join("2016/扫描件.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let out = dir.path().join("ws.ron");
    let o = bin()
        .arg("import")
        .arg(&root)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8(o.stdout).unwrap();
    // A PDF that cannot be read is a problem found: exit 1, the workspace still written.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains(": 4 documents"), "{stdout}");
    assert!(
        stdout.contains("skipped 3 files (1 not a format Yinwen reads, 2 could not be used):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("统计.xls: not a format Yinwen reads"),
        "{stdout}"
    );
    assert!(stdout.contains("utf8.txt: the same text as"), "{stdout}");
    let ws = yinwen::store::load(&out).unwrap();
    let mut groups: Vec<&str> = ws.documents.iter().map(|d| d.meta.group.as_str()).collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            "讲话汇编",
            "讲话汇编/2015/六月",
            "讲话汇编/2016",
            "讲话汇编/2016"
        ]
    );

    // A folder with nothing readable: exit 2 and no file.
    let empty = dir.path().join("空");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("x.xls"), b"x").unwrap();
    let out2 = dir.path().join("ws2.ron");
    let o = bin()
        .arg("import")
        .arg(&empty)
        .arg("-o")
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no speech Yinwen can read"));
    assert!(!out2.exists());
}
