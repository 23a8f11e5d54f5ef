//! `yinwen export` through the real binary: every format from the sample workspace, options,
//! hostile notes kept inert, and no partial or damaged output on failure.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use yinwen::model::{
    Anchor, AnnId, Annotation, CharIndex, Command as Cmd, DocMeta, Document, Origin, Source, Tag,
    TagId, Workspace,
};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn export(ws: &Path, format: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .arg("export")
        .arg(ws)
        .args(["--format", format, "-o"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn every_format_from_the_sample_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("sample.ron");
    yinwen::store::save(&yinwen::sample::sample_workspace(), &ws_path).unwrap();
    for (format, magic) in [
        ("html", b"<!DOCTYPE".as_slice()),
        ("md", b"#".as_slice()),
        ("csv", b"\xEF\xBB\xBF".as_slice()),
        ("xlsx", b"PK".as_slice()),
        ("docx", b"PK".as_slice()),
    ] {
        let out = dir.path().join(format!("out.{format}"));
        let o = export(&ws_path, format, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let bytes = std::fs::read(&out).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{format} starts with its signature"
        );
    }
    let html = std::fs::read_to_string(dir.path().join("out.html")).unwrap();
    assert!(html.contains("同志们") && html.contains("<mark"));
    // The DOCX read back as a speech holds the speech's text.
    let docx = std::fs::read(dir.path().join("out.docx")).unwrap();
    let back = yinwen::import::decode_bytes(&docx, yinwen::import::EncodingChoice::Auto).unwrap();
    let seed = yinwen::import::decode_bytes(
        yinwen::sample::SAMPLE_SPEECH,
        yinwen::import::EncodingChoice::Auto,
    )
    .unwrap()
    .text;
    assert!(
        back.text.contains(seed.trim_end()),
        "the docx holds the speech's text unchanged"
    );
    // Options: tags and notes.
    let out = dir.path().join("some.csv");
    let o = export(&ws_path, "csv", &out, &["--tags", "社区服务", "--no-notes"]);
    assert_eq!(o.status.code(), Some(0));
    let csv = std::fs::read_to_string(&out).unwrap();
    let all = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(csv.lines().count() < all.lines().count());
    assert!(csv.lines().skip(1).all(|l| l.contains("社区服务")));
}

fn hostile_workspace() -> Workspace {
    let mut ws = Workspace::new();
    let text = "危险<script>alert(1)</script>的文本，=HYPERLINK(\"http://x\")还有&amp;实体。\n第二段]]>结束。";
    ws.apply(Cmd::AddDocument(Box::new(Document::new(
        text.into(),
        Origin::default(),
        DocMeta {
            title: "<b>标题</b>".into(),
            ..Default::default()
        },
    ))))
    .unwrap();
    let doc = ws.documents[0].id;
    ws.apply(Cmd::AddTag(Box::new(Tag {
        id: TagId(0),
        name: "<img src=x onerror=alert(1)>".into(),
        parent: None,
        color: "#F2C94C".into(),
        description: String::new(),
        guid: String::new(),
        memo: String::new(),
    })))
    .unwrap();
    let tag = ws.tags[0].id;
    ws.apply(Cmd::AddSource(Box::new(Source {
        title: "\"onmouseover=\"alert(1)".into(),
        ..Default::default()
    })))
    .unwrap();
    let idx = CharIndex::new(text);
    for (range, note) in [
        (0..10, "<script>alert(1)</script>"),
        (11..30, "=HYPERLINK(\"http://evil\",\"click\")"),
        (5..15, "]]> &amp; [link](javascript:alert(1))"),
        (34..38, "+1+cmd|' /C calc'!A0"),
    ] {
        ws.apply(Cmd::AddAnnotation(Box::new(Annotation {
            id: AnnId(0),
            doc,
            anchor: Anchor::new(text, &idx, range),
            color: "#F2C94C".into(),
            note: note.into(),
            tags: vec![tag],
            orphan: false,
            directive: None,
        })))
        .unwrap();
    }
    ws
}

#[test]
fn hostile_text_exports_inert() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("hostile.ron");
    yinwen::store::save(&hostile_workspace(), &ws_path).unwrap();
    for format in ["html", "md", "csv", "xlsx", "docx"] {
        let out = dir.path().join(format!("h.{format}"));
        let o = export(&ws_path, format, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let html = std::fs::read_to_string(dir.path().join("h.html"))
        .unwrap()
        .to_lowercase();
    assert!(!html.contains("<script"), "no live script");
    assert!(!html.contains("<img"), "no live image tag");
    assert!(!html.contains("onmouseover=\""), "no live attribute");
    let md = std::fs::read_to_string(dir.path().join("h.md")).unwrap();
    assert!(!md.contains("<script>"));
    assert!(!md.contains("[link](javascript:"));
    let csv = std::fs::read_to_string(dir.path().join("h.csv")).unwrap();
    for line in csv.lines() {
        for cell in line.split(',') {
            let c = cell.trim_start_matches('"');
            assert!(
                !(c.starts_with('=') || c.starts_with('+') || c.starts_with('@')),
                "formula neutralised: {line}"
            );
        }
    }
}

#[test]
fn a_failed_export_leaves_no_file_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("sample.ron");
    yinwen::store::save(&yinwen::sample::sample_workspace(), &ws_path).unwrap();
    let out = dir.path().join("keep.html");
    std::fs::write(&out, "old content").unwrap();
    let o = export(&ws_path, "html", &out, &["--tags", "没有这个标签"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old content");
    let missing = dir.path().join("no/such/folder/out.html");
    let o = export(&ws_path, "html", &missing, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!missing.exists());
    let o = export(&ws_path, "pdf", &dir.path().join("x.pdf"), &[]);
    assert_eq!(o.status.code(), Some(2));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "no temporary files left: {names:?}"
    );
}

/// One part of a ZIP file, as text.
fn zip_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// `yinwen export` with the locale variables set to `locale` (the others removed).
fn export_in_locale(ws: &Path, format: &str, out: &Path, locale: &str) -> std::process::Output {
    bin()
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .arg("export")
        .arg(ws)
        .args(["--format", format, "-o"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn lang_and_author_label_the_word_comments() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("sample.ron");
    yinwen::store::save(&yinwen::sample::sample_workspace(), &ws_path).unwrap();
    let zh = dir.path().join("zh.docx");
    let o = export(&ws_path, "docx", &zh, &["--lang", "zh", "--author", "李明"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let comments = zip_part(&zh, "word/comments.xml");
    assert!(
        comments.contains("标签：") && comments.contains("来源："),
        "{comments}"
    );
    assert!(!comments.contains("Tags:") && !comments.contains("Source:"));
    assert!(comments.contains("w:author=\"李明\" w:initials=\"李\""));
    let styles = zip_part(&zh, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"仿宋_GB2312\""));

    let en = dir.path().join("en.docx");
    let o = export(&ws_path, "docx", &en, &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    let comments = zip_part(&en, "word/comments.xml");
    assert!(comments.contains("Tags: ") && comments.contains("Source: "));
    assert!(comments.contains("w:author=\"Yinwen\""));

    // Without --lang, the locale decides.
    let o = export_in_locale(&ws_path, "docx", &zh, "zh_CN.UTF-8");
    assert_eq!(o.status.code(), Some(0));
    assert!(zip_part(&zh, "word/comments.xml").contains("标签："));
    let o = export_in_locale(&ws_path, "docx", &en, "C");
    assert_eq!(o.status.code(), Some(0));
    assert!(zip_part(&en, "word/comments.xml").contains("Tags: "));
    let html = dir.path().join("zh.html");
    let o = export_in_locale(&ws_path, "html", &html, "zh_TW.UTF-8");
    assert_eq!(o.status.code(), Some(0));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("<h2>引用来源</h2>") && html.contains("class=\"warning "));
}

#[test]
fn a_bad_lang_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("sample.ron");
    yinwen::store::save(&yinwen::sample::sample_workspace(), &ws_path).unwrap();
    let out = dir.path().join("out.docx");
    let o = export(&ws_path, "docx", &out, &["--lang", "xx"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.contains("--lang") && first.contains("use zh or en"),
        "{err}"
    );
    assert!(!out.exists());
}
