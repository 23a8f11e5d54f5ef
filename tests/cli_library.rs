//! `yinwen library index|list|find` and `yinwen verify --library` through the real binary:
//! the JSON contract of DESIGN.md, exit codes, updates, misattribution and aliases, on the
//! real corpus texts plus distractors (the gold set's 24 speeches).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yinwen"));
    // Never touch the real cache folder.
    c.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("yinwen-test-cache"),
    );
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn json(o: &Output) -> Value {
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(
        s.trim_end().lines().count(),
        1,
        "one JSON object on one line"
    );
    serde_json::from_str(&s).unwrap()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

/// The 19th Congress report with the title lines the corpus copy lacks.
fn congress19() -> String {
    let body = std::fs::read_to_string(root().join("tests/data/cpc19_report_2017_xi_jinping.txt"))
        .unwrap();
    format!(
        "决胜全面建成小康社会　夺取新时代中国特色社会主义伟大胜利\n——在中国共产党第十九次全国代表大会上的报告\n（2017年10月18日）\n习近平\n同志们：\n{body}"
    )
}

/// A library: corpus texts in `corpus/`, the gold speeches in `distractors/`.
fn library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let distractors = dir.path().join("distractors");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&distractors).unwrap();
    for e in std::fs::read_dir(root().join("tests/data")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".txt") && !name.starts_with("cpc19") {
            std::fs::copy(&p, corpus.join(&name)).unwrap();
        }
    }
    std::fs::write(corpus.join("cpc19_report_2017.txt"), congress19()).unwrap();
    for e in std::fs::read_dir(root().join("tests/gold/dev")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, distractors.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn index_list_and_update_follow_the_contract() {
    let lib = library();
    let d = s(lib.path());
    let o = run(&["library", "index", d, "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    let n = v["documents"].as_u64().unwrap();
    assert_eq!(v["added"].as_u64(), Some(n));
    assert!(n >= 35, "{v}");
    assert!(lib.path().join(".yinwen-library/index/meta.json").is_file());

    let v = json(&run(&["library", "list", d, "--json"]));
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len() as u64, n);
    for k in [
        "file",
        "title",
        "issuer",
        "doc_number",
        "date",
        "kind",
        "speaker",
        "occasion",
        "chars",
    ] {
        assert!(docs[0].get(k).is_some(), "{k} missing in {}", docs[0]);
    }
    let letter = docs
        .iter()
        .find(|x| x["file"] == "corpus/state_council_gob_letter_2004-71_sichuan.txt")
        .unwrap();
    assert_eq!(letter["doc_number"], "国办函〔2004〕71号");
    assert_eq!(letter["date"], "2004-10-15");
    assert_eq!(letter["kind"], "letter");
    assert_eq!(letter["issuer"], "国务院办公厅");
    let report = docs
        .iter()
        .find(|x| x["file"] == "corpus/cpc19_report_2017.txt")
        .unwrap();
    assert_eq!(report["speaker"], "习近平");
    assert_eq!(report["date"], "2017-10-18");
    assert!(
        report["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "十九大报告")
    );

    // Nothing changed: nothing read again.
    let v = json(&run(&["library", "index", d, "--json"]));
    assert_eq!(
        (v["added"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(n))
    );
    assert_eq!(v["bytes_indexed"].as_u64(), Some(0));

    // One changed, one removed, one unreadable added: exit 1, the bad file named.
    let gov = lib.path().join("corpus/gov_report_1978_hua_guofeng.txt");
    let text = std::fs::read_to_string(&gov).unwrap();
    std::fs::write(&gov, text.replace("现代化强国", "现代化國家")).unwrap();
    std::fs::remove_file(lib.path().join("corpus/changchun-community-2007.txt")).unwrap();
    std::fs::write(
        lib.path().join("corpus/scan.pdf"),
        b"%PDF-1.4 binary\x00\x01",
    )
    .unwrap();
    let o = run(&["library", "index", d, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(
        (
            v["changed"].as_u64(),
            v["removed"].as_u64(),
            v["added"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(v["skipped"][0]["file"], "corpus/scan.pdf");
    assert!(!v["skipped"][0]["reason"].as_str().unwrap().is_empty());
    let o = run(&["library", "index", d]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("skipped corpus/scan.pdf"), "{out}");
}

#[test]
fn unusable_folders_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    for args in [
        vec!["library", "index", s(&missing)],
        vec!["library", "list", s(&missing), "--json"],
        vec!["library", "list", s(dir.path()), "--json"],
        vec!["library", "find", "--library", s(&missing), "社区建设"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.starts_with("yinwen: "), "{err}");
    }
}

#[test]
fn a_folder_that_cannot_hold_the_index_uses_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "在全国社区建设工作会议上的讲话\n必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。\n").unwrap();
    // A file where the index folder would go: the folder cannot hold the index.
    std::fs::write(dir.path().join(".yinwen-library"), b"not a folder").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let o = bin()
        .env("XDG_CACHE_HOME", cache.path())
        .args(["library", "index", s(dir.path()), "--json"])
        .output()
        .unwrap();
    let v = json(&o);
    let at = v["index_dir"].as_str().unwrap();
    assert!(at.starts_with(s(cache.path())), "{at}");
    let o = bin()
        .env("XDG_CACHE_HOME", cache.path())
        .args([
            "library",
            "find",
            "--library",
            s(dir.path()),
            "--json",
            "管理有序、服务完善、文明祥和",
        ])
        .output()
        .unwrap();
    let v = json(&o);
    assert_eq!(v["results"][0]["matches"][0]["status"], "verbatim");
}

#[test]
fn find_reports_status_location_and_quoted_from() {
    let lib = library();
    let d = s(lib.path());
    let qdir = tempfile::tempdir().unwrap();
    let queries = qdir.path().join("queries.txt");
    std::fs::write(
        &queries,
        [
            // verbatim, from the 19th Congress report
            "必须树立和践行绿水青山就是金山银山的理念",
            // one char changed
            "必须树立和践行绿水青山就是金山银山的观念，坚持节约资源和保护环境的基本国策",
            // Traditional script
            "必須樹立和踐行綠水青山就是金山銀山的理念",
            // abridged
            "必须树立和践行绿水青山就是金山银山的理念……建设美丽中国",
            // absent
            "要把人工智能产业链条打造成为万亿级的产业集群",
        ]
        .join("\n"),
    )
    .unwrap();
    let v = json(&run(&[
        "library",
        "find",
        "--library",
        d,
        "--queries",
        s(&queries),
        "--json",
    ]));
    let r = v["results"].as_array().unwrap();
    assert_eq!(r.len(), 5);
    let first = &r[0]["matches"][0];
    let mut k = keys(first);
    k.retain(|x| {
        [
            "file",
            "title",
            "doc_number",
            "date",
            "status",
            "similarity",
            "start",
            "end",
            "passage",
            "quoted_from",
        ]
        .contains(&x.as_str())
    });
    assert_eq!(k.len(), 10, "{first}");
    assert_eq!(first["file"], "corpus/cpc19_report_2017.txt");
    assert_eq!(first["status"], "verbatim");
    assert_eq!(first["date"], "2017-10-18");
    // Offsets are char offsets into the document's text.
    let text: Vec<char> = congress19().replace("\r\n", "\n").chars().collect();
    let (a, b) = (
        first["start"].as_u64().unwrap() as usize,
        first["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text[a..b].iter().collect::<String>(),
        first["passage"].as_str().unwrap()
    );
    assert_eq!(r[1]["matches"][0]["status"], "variant");
    assert!(r[1]["matches"][0]["similarity"].as_f64().unwrap() > 0.9);
    assert_eq!(r[2]["matches"][0]["status"], "verbatim");
    assert_eq!(r[2]["matches"][0]["script_differs"], true);
    assert_eq!(r[3]["matches"][0]["status"], "abridged");
    assert_eq!(r[4]["matches"].as_array().unwrap().len(), 0);

    // A document quoting a leader: quoted_from says whom it attributes the passage to.
    let provincial = lib.path().join("corpus/provincial.txt");
    std::fs::write(
        &provincial,
        "某省关于推进生态文明建设的意见\n（2018年5月1日）\n习近平总书记在党的十九大报告中指出：“必须树立和践行绿水青山就是金山银山的理念，坚持节约资源和保护环境的基本国策。”各地要认真贯彻落实。\n",
    )
    .unwrap();
    run(&["library", "index", d]);
    let v = json(&run(&[
        "library",
        "find",
        "--library",
        d,
        "--json",
        "必须树立和践行绿水青山就是金山银山的理念",
    ]));
    let m = v["results"][0]["matches"].as_array().unwrap();
    assert_eq!(
        m[0]["file"], "corpus/cpc19_report_2017.txt",
        "the earliest dated first"
    );
    let p = m
        .iter()
        .find(|x| x["file"] == "corpus/provincial.txt")
        .unwrap();
    assert!(
        p["quoted_from"]["speaker"]
            .as_str()
            .unwrap()
            .starts_with("习近平"),
        "{p}"
    );
    assert!(m[0]["quoted_from"].is_null());
}

#[test]
fn verify_against_the_library_judges_attribution_by_metadata() {
    let lib = library();
    let d = s(lib.path());
    run(&["library", "index", d]);
    let speech = lib.path().join("speech.txt");
    std::fs::write(
        &speech,
        "在全市生态环境保护大会上的讲话\n\
         党的十九大报告指出：“必须树立和践行绿水青山就是金山银山的理念，坚持节约资源和保护环境的基本国策。”\n\
         2017年政府工作报告提出：“像对待生命一样对待生态环境，统筹山水林田湖草系统治理，实行最严格的生态环境保护制度。”\n\
         李克强总理指出：“形成绿色发展方式和生活方式，坚定走生产发展、生活富裕、生态良好的文明发展道路。”\n\
         习近平总书记强调：“建设美丽中国，为人民创造良好生产生活环境，为全球生态安全作出贡献。”\n",
    )
    .unwrap();
    let v = json(&run(&["verify", s(&speech), "--library", d, "--json"]));
    assert_eq!(keys(&v), ["directives", "file"]);
    let dirs = v["directives"].as_array().unwrap();
    assert_eq!(dirs.len(), 4, "{v:#}");
    for k in [
        "quote",
        "start",
        "end",
        "status",
        "source_file",
        "source_start",
        "source_end",
        "similarity",
        "claimed_source",
        "misattributed",
        "quoted_from",
    ] {
        assert!(dirs[0].get(k).is_some(), "{k} missing");
    }
    for x in dirs {
        assert_eq!(x["status"], "verbatim", "{x}");
        assert_eq!(x["source_file"], "corpus/cpc19_report_2017.txt");
    }
    let mis: Vec<bool> = dirs
        .iter()
        .map(|x| x["misattributed"].as_bool().unwrap())
        .collect();
    assert_eq!(mis, [false, true, true, false], "{v:#}");
}

#[test]
fn verify_needs_sources_or_library() {
    let o = run(&[
        "verify",
        s(&root().join("tests/data/changchun-community-2007.txt")),
    ]);
    assert_eq!(o.status.code(), Some(2));
}
