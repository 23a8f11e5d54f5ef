//! `yinwen report` through the real binary: every kind in every format, the register's JSON
//! contract field by field, filters and options, and bad input refused with exit 2 and no
//! output.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use yinwen::model::{
    Anchor, AnnId, Annotation, Attribution, CharIndex, Command as Cmd, DirectiveInfo, DocId,
    DocMeta, Document, Origin, Tag, TagId, Workspace,
};

const FULL: &str = "坚持以人为本，树立全面、协调、可持续的发展观";
const VARIANT: &str = "坚持以人为本，树立全面、协调和可持续的发展观";
const ABRIDGED: &str = "坚持以人为本……可持续的发展观";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn add_doc(ws: &mut Workspace, title: &str, date: &str, group: &str, level: &str, text: &str) {
    let meta = DocMeta {
        title: title.into(),
        date: date.into(),
        group: group.into(),
        level: level.into(),
        speaker: "王书记".into(),
        ..Default::default()
    };
    ws.apply(Cmd::AddDocument(Box::new(Document::new(
        text.into(),
        Origin::default(),
        meta,
    ))))
    .unwrap();
}

fn add_tag(ws: &mut Workspace, name: &str, parent: Option<TagId>) -> TagId {
    ws.apply(Cmd::AddTag(Box::new(Tag {
        id: TagId(0),
        name: name.into(),
        parent,
        color: "#F2C94C".into(),
        description: String::new(),
        guid: String::new(),
        memo: String::new(),
    })))
    .unwrap();
    ws.tags.iter().find(|t| t.name == name).unwrap().id
}

/// Annotates chars `range` of a document; a directive when `speaker` is given.
fn annotate(
    ws: &mut Workspace,
    doc: DocId,
    range: std::ops::Range<usize>,
    tags: &[TagId],
    speaker: Option<&str>,
) {
    let text = ws.document(doc).unwrap().text.clone();
    ws.apply(Cmd::AddAnnotation(Box::new(Annotation {
        id: AnnId(0),
        doc,
        anchor: Anchor::new(&text, &CharIndex::new(&text), range),
        color: "#F2C94C".into(),
        note: String::new(),
        tags: tags.to_vec(),
        orphan: false,
        directive: speaker.map(|s| DirectiveInfo {
            attribution: Attribution {
                speaker: s.into(),
                verb: "指出".into(),
                confidence: 1.0,
                ..Default::default()
            },
            ..Default::default()
        }),
    })))
    .unwrap();
}

/// Char range of `needle` in `hay`.
fn span(hay: &str, needle: &str) -> std::ops::Range<usize> {
    let at = hay.find(needle).unwrap();
    let s = hay[..at].chars().count();
    s..s + needle.chars().count()
}

/// Three speeches quoting one formulation three ways (verbatim 2006-10-11, variant 2007-03,
/// abridged 2005), two tags (B under A) and coded passages.
fn workspace() -> Workspace {
    let mut ws = Workspace::new();
    let texts = [
        format!("胡锦涛同志指出：“{FULL}。”\n各级党委要高度重视社区工作。"),
        format!("会议强调：“{VARIANT}。”\n社区卫生服务要加快发展。"),
        format!("温家宝同志说，要“{ABRIDGED}”。\n城市社区建设。"),
    ];
    add_doc(&mut ws, "甲讲话", "2006-10-11", "2006", "市", &texts[0]);
    add_doc(&mut ws, "乙讲话", "2007年3月", "2007", "省", &texts[1]);
    add_doc(&mut ws, "丙讲话", "2005", "2006/区", "市", &texts[2]);
    let ta = add_tag(&mut ws, "社区", None);
    let tb = add_tag(&mut ws, "卫生", Some(ta));
    let ids: Vec<DocId> = ws.documents.iter().map(|d| d.id).collect();
    annotate(&mut ws, ids[0], span(&texts[0], FULL), &[], Some("胡锦涛"));
    annotate(&mut ws, ids[1], span(&texts[1], VARIANT), &[], Some("会议"));
    annotate(
        &mut ws,
        ids[2],
        span(&texts[2], ABRIDGED),
        &[],
        Some("温家宝"),
    );
    annotate(&mut ws, ids[0], span(&texts[0], "社区工作"), &[ta], None);
    annotate(
        &mut ws,
        ids[1],
        span(&texts[1], "社区卫生服务"),
        &[ta, tb],
        None,
    );
    annotate(
        &mut ws,
        ids[2],
        span(&texts[2], "城市社区建设"),
        &[ta],
        None,
    );
    ws
}

fn report(ws: &Path, args: &[&str], out: &Path) -> std::process::Output {
    bin()
        .arg("report")
        .arg(ws)
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

fn saved(dir: &Path) -> (std::path::PathBuf, Workspace) {
    let ws = workspace();
    let p = dir.join("ws.ron");
    yinwen::store::save(&ws, &p).unwrap();
    (p, ws)
}

fn ok(o: &std::process::Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn zip_names(path: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    zip.file_names().map(str::to_string).collect()
}

fn zip_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_register_json_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let (ws_path, ws) = saved(dir.path());
    let out = dir.path().join("register.json");
    let o = report(&ws_path, &["--kind", "register", "--format", "json"], &out);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{v:#}");
    let e = &entries[0];
    assert_eq!(e["quote"], FULL);
    assert_eq!(e["variants"], 3);
    assert_eq!(e["first_date"], "2005");
    assert_eq!(e["last_date"], "2007-03");
    let docs = e["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    let ids: Vec<u64> = ws.documents.iter().map(|d| d.id.0).collect();
    // By date: the abridged one (2005), the verbatim one (2006-10-11), the variant (2007-03).
    let expect = [
        (ids[2], "丙讲话", ABRIDGED, "abridged", "温家宝"),
        (ids[0], "甲讲话", FULL, "verbatim", "胡锦涛"),
        (ids[1], "乙讲话", VARIANT, "variant", "会议"),
    ];
    for (d, (id, title, quote, status, who)) in docs.iter().zip(expect) {
        assert_eq!(d["doc"], id);
        assert_eq!(d["title"], title);
        assert_eq!(d["status"], status);
        assert_eq!(d["attributed_speaker"], who);
        let text = &ws.document(DocId(id)).unwrap().text;
        let r = span(text, quote);
        assert_eq!(d["start"], r.start);
        assert_eq!(d["end"], r.end);
        assert!(d["annotation"].is_u64());
    }
    assert_eq!(docs[1]["date"], "2006-10-11");
    // The same through standard output.
    let o = bin()
        .arg("report")
        .arg(&ws_path)
        .args(["--kind", "register", "--format", "json", "-o", "-"])
        .output()
        .unwrap();
    ok(&o);
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(w, v);
}

#[test]
fn every_kind_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (ws_path, _) = saved(dir.path());
    for kind in ["register", "matrix", "cooccurrence"] {
        for format in ["json", "csv", "xlsx"] {
            let out = dir.path().join(format!("{kind}.{format}"));
            let o = report(&ws_path, &["--kind", kind, "--format", format], &out);
            ok(&o);
            let bytes = std::fs::read(&out).unwrap();
            match format {
                "json" => {
                    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(v["kind"], kind);
                }
                "csv" => {
                    let s = String::from_utf8(bytes).unwrap();
                    assert!(s.starts_with('\u{FEFF}'), "{kind}: BOM");
                    assert!(s.lines().count() >= 2, "{kind}: header and rows");
                }
                _ => {
                    assert!(bytes.starts_with(b"PK"), "{kind}: a zip");
                    let names = zip_names(&out);
                    assert!(names.iter().any(|n| n == "xl/worksheets/sheet1.xml"));
                    let sheet = zip_part(&out, "xl/worksheets/sheet1.xml");
                    assert!(sheet.contains("<pane"), "{kind}: frozen header");
                    assert!(sheet.contains("<cols>"), "{kind}: column widths");
                }
            }
        }
    }
    let csv = std::fs::read_to_string(dir.path().join("register.csv")).unwrap();
    let header = csv.lines().next().unwrap().trim_start_matches('\u{FEFF}');
    assert!(header.starts_with("entry,quote,variants,first_date,last_date,doc,title"));
    assert_eq!(csv.lines().count(), 4, "one row per (entry, document)");
    let book = zip_part(&dir.path().join("register.xlsx"), "xl/workbook.xml");
    assert!(book.contains("Register") && book.contains("Timeline"));
    let matrix = std::fs::read_to_string(dir.path().join("matrix.csv")).unwrap();
    let rows: Vec<&str> = matrix.lines().collect();
    assert_eq!(rows[0], "\u{FEFF}tag,甲讲话,乙讲话,丙讲话,total");
    assert_eq!(rows[1], "社区,1,1,1,3");
    assert_eq!(rows[2], "社区 / 卫生,0,1,0,1");
}

#[test]
fn matrix_and_cooccurrence_options() {
    let dir = tempfile::tempdir().unwrap();
    let (ws_path, ws) = saved(dir.path());
    let out = dir.path().join("m.json");
    let o = report(
        &ws_path,
        &["--kind", "matrix", "--format", "json", "--by", "level"],
        &out,
    );
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["rows"], serde_json::json!(["社区", "社区 / 卫生"]));
    let keys: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["市", "省"]);
    assert_eq!(v["cells"][0][0]["count"], 2);
    assert_eq!(v["cells"][1][1]["count"], 1);
    let cov = v["cells"][1][1]["coverage"].as_f64().unwrap();
    let chars = ws.documents[1].text.chars().count() as f64;
    assert!((cov - 6.0 / chars).abs() < 1e-9);
    assert_eq!(v["cells"][1][1]["annotations"].as_array().unwrap().len(), 1);
    // Filters: a group with its subgroups, and an attribute value.
    let o = report(
        &ws_path,
        &[
            "--kind", "matrix", "--format", "json", "--by", "group", "--group", "2006",
        ],
        &out,
    );
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let keys: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["2006", "2006/区"]);
    let o = report(
        &ws_path,
        &[
            "--kind",
            "register",
            "--format",
            "json",
            "--where",
            "level=省",
        ],
        &out,
    );
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["entries"][0]["documents"].as_array().unwrap().len(), 1);
    assert_eq!(v["entries"][0]["quote"], VARIANT);
    // Co-occurrence: the second speech's passage carries both tags.
    for mode in ["overlap", "paragraph"] {
        let o = report(
            &ws_path,
            &["--kind", "cooccurrence", "--format", "json", "--mode", mode],
            &out,
        );
        ok(&o);
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(v["mode"], mode);
        assert_eq!(v["cells"][0][1]["count"], 1);
        assert_eq!(v["cells"][1][0]["count"], 1);
        assert_eq!(v["pairs"][0]["a"], "社区");
        assert_eq!(v["pairs"][0]["b"], "社区 / 卫生");
    }
    // Matrix coverage as CSV.
    let csv = dir.path().join("cov.csv");
    let o = report(
        &ws_path,
        &["--kind", "matrix", "--format", "csv", "--value", "coverage"],
        &csv,
    );
    ok(&o);
    let s = std::fs::read_to_string(&csv).unwrap();
    let expect = format!("社区 / 卫生,0.0000,{:.4},0.0000,", 6.0 / chars);
    assert!(s.lines().nth(2).unwrap().starts_with(&expect), "{s}");
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ws_path, _) = saved(dir.path());
    let out = dir.path().join("keep.json");
    std::fs::write(&out, "old content").unwrap();
    let missing = dir.path().join("missing.ron");
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(&garbage, "this is not a workspace").unwrap();
    let cases: Vec<(&Path, Vec<&str>, bool)> = vec![
        (
            &ws_path,
            vec!["--kind", "histogram", "--format", "json"],
            false,
        ),
        (
            &ws_path,
            vec!["--kind", "register", "--format", "pdf"],
            false,
        ),
        (
            &ws_path,
            vec!["--kind", "matrix", "--format", "json", "--by", "colour"],
            true,
        ),
        (
            &ws_path,
            vec![
                "--kind",
                "register",
                "--format",
                "json",
                "--where",
                "colour=red",
            ],
            true,
        ),
        (
            &ws_path,
            vec!["--kind", "register", "--format", "json", "--group", "2099"],
            true,
        ),
        (
            &ws_path,
            vec![
                "--kind",
                "register",
                "--format",
                "json",
                "--mode",
                "paragraph",
            ],
            true,
        ),
        (
            &missing,
            vec!["--kind", "register", "--format", "json"],
            true,
        ),
        (
            &garbage,
            vec!["--kind", "register", "--format", "json"],
            true,
        ),
    ];
    for (ws, args, one_line) in cases {
        let o = report(ws, &args, &out);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        if one_line {
            assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
            assert!(stderr.starts_with("yinwen: "), "{stderr}");
        }
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old content");
    }
    // xlsx cannot go to standard output.
    let o = bin()
        .arg("report")
        .arg(&ws_path)
        .args(["--kind", "matrix", "--format", "xlsx", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    // Nothing new in the folder, no temporary files.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["garbage.ron", "keep.json", "ws.ron"]);
}

#[test]
fn export_takes_the_same_group_and_attribute_filter() {
    let dir = tempfile::tempdir().unwrap();
    let (ws_path, _) = saved(dir.path());
    let out = dir.path().join("t.csv");
    let export = |args: &[&str]| {
        bin()
            .arg("export")
            .arg(&ws_path)
            .args(["--format", "csv", "-o"])
            .arg(&out)
            .args(args)
            .output()
            .unwrap()
    };
    // The group 2006 keeps 甲 and its subgroup's 丙, not 乙.
    ok(&export(&["--group", "2006"]));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.contains("甲讲话") && csv.contains("丙讲话") && !csv.contains("乙讲话"),
        "{csv}"
    );
    // level=省 keeps 乙 only.
    ok(&export(&["--where", "level=省"]));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("乙讲话") && !csv.contains("甲讲话"), "{csv}");
    // Nothing kept, or an unknown attribute: exit 2, the last export left as it was.
    for args in [&["--where", "level=县"][..], &["--where", "届次=1"][..]] {
        let o = export(args);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
    }
}
