//! REFI-QDA projects (`.qdpx`) through the real binary: import speeches, annotate, export a
//! project, check it against the standard's schema (`Project.xsd`, with `xmllint`), read it
//! back; read a project as QualCoder writes it.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use yinwen::model::{Anchor, AnnId, Annotation, CharIndex, DocId, Tag, TagId, Workspace};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let o = bin().args(args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "yinwen {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The entries of a ZIP archive, by name.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

/// Validates `project.qde` against the standard's schema with `xmllint`; fails (does not
/// skip) when `xmllint` is missing, saying how to get it.
fn validate(qde: &[u8], dir: &Path) {
    let file = dir.join("project.qde");
    std::fs::write(&file, qde).unwrap();
    let xsd = data("refi-qda/Project.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint is needed to check projects against the REFI-QDA schema ({e}); \
                 install it: apt-get install libxml2-utils"
            )
        });
    assert!(
        out.status.success(),
        "project.qde does not validate against Project.xsd:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Char range of `quote` in `text`.
fn range_of(text: &str, quote: &str) -> std::ops::Range<usize> {
    let b = text.find(quote).expect("quote in text");
    let s = text[..b].chars().count();
    s..s + quote.chars().count()
}

/// The imported speeches with a codebook, annotations, memos and attributes.
fn annotate(ws: &mut Workspace) {
    let tag = |id: u64, name: &str, parent: Option<u64>, color: &str| Tag {
        id: TagId(id),
        name: name.into(),
        parent: parent.map(TagId),
        color: color.into(),
        description: format!("{name}：说明 & <定义>"),
        guid: String::new(),
        memo: if parent.is_some() {
            format!("{name} 的备忘")
        } else {
            String::new()
        },
    };
    let base = ws.max_item_id() + 1;
    ws.tags = vec![
        tag(base, "社区服务", None, "#3366CC"),
        tag(base + 1, "社区卫生", Some(base), "#56CCF2"),
        tag(base + 2, "党建", None, "#EB5757"),
    ];
    ws.attributes = vec!["来源".into()];
    ws.memo = "工作区备忘：两篇讲话。".into();
    let mut next = base + 3;
    let docs: Vec<DocId> = ws.documents.iter().map(|d| d.id).collect();
    for (i, id) in docs.iter().enumerate() {
        let doc = Arc::make_mut(ws.documents.iter_mut().find(|d| d.id == *id).unwrap());
        doc.meta.speaker = format!("讲话人{i}");
        doc.meta.date = "2007-05-18".into();
        doc.meta.group = "讲话/市委".into();
        doc.meta.set_attribute("来源", "人民网");
        doc.meta.memo = format!("文档 {i} 的备忘\n第二行");
        doc.meta.tags = vec![TagId(base + 2)];
        let text = doc.text.clone();
        let index = CharIndex::new(&text);
        // The first three paragraphs' first sentences.
        for (k, para) in text
            .split('\n')
            .filter(|p| p.chars().count() > 8)
            .take(3)
            .enumerate()
        {
            let quote: String = para.chars().take(8).collect();
            ws.annotations.push(Annotation {
                id: AnnId(next),
                doc: *id,
                anchor: Anchor::new(&text, &index, range_of(&text, &quote)),
                color: yinwen::model::default_tag_color(),
                note: if k == 0 {
                    format!("批注 {k}：<重要> & “引号”")
                } else {
                    String::new()
                },
                tags: vec![TagId(base + (k as u64 % 3))],
                orphan: false,
                directive: None,
            });
            next += 1;
        }
    }
    ws.normalize();
}

#[test]
fn speeches_to_a_project_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("speeches.ron");
    let a = data("changchun-community-2007.txt");
    let b = data("xi_2015-06-12_chen_yun_110th_speech.txt");
    run(&[
        "import".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "-o".as_ref(),
        ws_path.as_os_str(),
    ]);
    let mut ws = yinwen::store::load(&ws_path).unwrap();
    annotate(&mut ws);
    yinwen::store::save(&ws, &ws_path).unwrap();

    let out = dir.path().join("out.qdpx");
    for lang in ["zh", "en"] {
        let o = run(&[
            "export".as_ref(),
            ws_path.as_os_str(),
            "--format".as_ref(),
            "qdpx".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
            "--lang".as_ref(),
            lang.as_ref(),
        ]);
        assert!(String::from_utf8_lossy(&o.stdout).contains("qdpx"));
        let bytes = std::fs::read(&out).unwrap();
        let parts = entries(&bytes);
        assert_eq!(parts[0].0, "project.qde");
        assert_eq!(parts.len(), 3, "project.qde and two texts");
        let qde = String::from_utf8(parts[0].1.clone()).unwrap();
        assert!(qde.contains("name=\"speeches\""));
        assert!(qde.contains(if lang == "zh" {
            "name=\"讲话人\""
        } else {
            "name=\"Speaker\""
        }));
        validate(&parts[0].1, dir.path());
        // The same workspace gives the same bytes.
        let again = dir.path().join("again.qdpx");
        run(&[
            "export".as_ref(),
            ws_path.as_os_str(),
            "--format".as_ref(),
            "qdpx".as_ref(),
            "-o".as_ref(),
            again.as_os_str(),
            "--lang".as_ref(),
            lang.as_ref(),
        ]);
        assert_eq!(std::fs::read(&again).unwrap(), bytes);
    }

    let back_path = dir.path().join("back.ron");
    let o = run(&[
        "import".as_ref(),
        out.as_os_str(),
        "-o".as_ref(),
        back_path.as_os_str(),
    ]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("REFI-QDA project \"speeches\" from Yinwen")
            && said.contains("2 documents, 3 tags, 6 annotations"),
        "{said}"
    );
    let back = yinwen::store::load(&back_path).unwrap();
    assert_eq!(back.memo, ws.memo);
    assert_eq!(back.attributes, ws.attributes);
    assert_eq!(back.documents.len(), 2);
    for (d, o) in back.documents.iter().zip(&ws.documents) {
        assert_eq!(d.text, o.text);
        let mut meta = o.meta.clone();
        meta.tags = d.meta.tags.clone();
        assert_eq!(d.meta, meta);
        let names: Vec<&str> = d
            .meta
            .tags
            .iter()
            .map(|t| back.tag(*t).unwrap().name.as_str())
            .collect();
        assert_eq!(names, ["党建"]);
    }
    let tree = |w: &Workspace| -> Vec<(String, String, String, String)> {
        w.tag_tree()
            .into_iter()
            .map(|(_, t)| {
                (
                    w.tag_path(t.id),
                    t.color.clone(),
                    t.description.clone(),
                    t.memo.clone(),
                )
            })
            .collect()
    };
    assert_eq!(tree(&back), tree(&ws));
    let anns = |w: &Workspace| -> Vec<(usize, usize, String, String, Vec<String>)> {
        w.annotations
            .iter()
            .map(|a| {
                (
                    a.anchor.start.0,
                    a.anchor.end.0,
                    a.anchor.quote.clone(),
                    a.note.clone(),
                    a.tags.iter().map(|t| w.tag_path(*t)).collect(),
                )
            })
            .collect()
    };
    let mut want = anns(&ws);
    let mut got = anns(&back);
    want.sort();
    got.sort();
    assert_eq!(got, want);

    // A project imported with a speech: both, with IDs of their own.
    let mixed = dir.path().join("mixed.ron");
    let c = data("state_council_gob_notice_1997-2_earthquake.txt");
    run(&[
        "import".as_ref(),
        c.as_os_str(),
        out.as_os_str(),
        "-o".as_ref(),
        mixed.as_os_str(),
    ]);
    let m = yinwen::store::load(&mixed).unwrap();
    assert_eq!(m.documents.len(), 3);
    assert_eq!(m.annotations.len(), 6);
    assert!(yinwen::store::check_workspace(&m).is_empty());
}

/// Zips a folder's files (relative names, `/` separators) in name order.
fn zip_folder(dir: &Path) -> Vec<u8> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let name = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_project_as_qualcoder_writes_it() {
    let fixture = data("refi-qda/qualcoder");
    let dir = tempfile::tempdir().unwrap();
    // The fixture follows QualCoder's refi.py and is itself valid.
    validate(
        &std::fs::read(fixture.join("project.qde")).unwrap(),
        dir.path(),
    );
    let qdpx = dir.path().join("changchun.qdpx");
    std::fs::write(&qdpx, zip_folder(&fixture)).unwrap();
    let ws_path = dir.path().join("ws.ron");
    let o = run(&[
        "import".as_ref(),
        qdpx.as_os_str(),
        "-o".as_ref(),
        ws_path.as_os_str(),
    ]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("from QualCoder 3.6.2"), "{said}");
    assert!(
        said.contains("left out: 1 PDF source(s) (report.pdf)"),
        "{said}"
    );
    assert!(
        said.contains("left out: 1 selection(s) outside their text"),
        "{said}"
    );
    assert!(said.contains("left out: cases"), "{said}");
    let ws = yinwen::store::load(&ws_path).unwrap();
    assert_eq!(ws.documents.len(), 1);
    let d = &ws.documents[0];
    // The BOM is not text; positions count code points (🙂 is one).
    assert!(d.text.starts_with("长春市"));
    assert_eq!(d.meta.title, "changchun.txt");
    assert_eq!(d.meta.speaker, "刘 & 张");
    assert_eq!(d.meta.attribute("年份"), "2007");
    assert_eq!(ws.attributes, ["年份"]);
    assert_eq!(d.meta.memo, "Speech memo: <draft> & notes");
    // Codes: the category is a tag too; colours normalised; descriptions kept.
    let path = |t: TagId| ws.tag_path(t);
    let mut tags: Vec<(String, String)> = ws
        .tags
        .iter()
        .map(|t| (ws.tag_path(t.id), t.color.clone()))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            ("Speaker's stance".to_string(), "#9BD1FF".to_string()),
            ("政策".into(), yinwen::model::default_tag_color()),
            ("政策 / 党建".into(), "#FF0080".into()),
            ("政策 / 民生".into(), "#EB7333".into()),
        ]
    );
    // One selection per coding: the two on the same passage are one annotation.
    let anns: Vec<(String, String, Vec<String>)> = ws
        .annotations
        .iter()
        .map(|a| {
            let mut tags: Vec<String> = a.tags.iter().map(|t| path(*t)).collect();
            tags.sort();
            (a.anchor.quote.clone(), a.note.clone(), tags)
        })
        .collect();
    assert_eq!(
        anns,
        [
            (
                "社区服务是民生工程".to_string(),
                "民生是重点".to_string(),
                vec!["Speaker's stance".to_string(), "政策 / 民生".to_string()]
            ),
            (
                "要加强社区党建 & “三会一课”".into(),
                String::new(),
                vec!["政策 / 党建".into()]
            ),
            ("居民满意".into(), "居民满意是标准".into(), vec![]),
        ]
    );
    // The project memo and the journal (a note linked to nothing) make the workspace memo.
    assert_eq!(
        ws.memo,
        "Project memo: Changchun 2007\n\nCoding journal\n第一次编码后的想法：\n民生与党建常同时出现。"
    );
}

#[test]
fn a_project_is_not_a_speech() {
    let dir = tempfile::tempdir().unwrap();
    let misnamed = dir.path().join("project.zip");
    std::fs::write(&misnamed, zip_folder(&data("refi-qda/qualcoder"))).unwrap();
    let out = dir.path().join("ws.ron");
    let o = bin()
        .args([
            "import".as_ref(),
            misnamed.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("REFI-QDA project"));
    assert!(!out.exists());
    // A damaged project: one line, no output.
    let broken = dir.path().join("broken.qdpx");
    std::fs::write(&broken, b"PK\x03\x04 not really").unwrap();
    let o = bin()
        .args([
            "import".as_ref(),
            broken.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not a REFI-QDA project"), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert!(!out.exists());
}
