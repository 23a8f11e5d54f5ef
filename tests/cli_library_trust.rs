//! The source library never answers wrong in silence (issue 24), through the real binary:
//! file names in GBK, an interrupted first build, a damaged catalog or damaged segment files,
//! and a library of several folders of which one is damaged. Each case failed before: two of
//! three GBK names collided into `����.txt` and their quotations came back `not_found`; a
//! first build killed half-way left an empty index that answered `not_found` with exit 0; a
//! damaged `meta.json` made a read-only `find` delete every segment and answer `not_found`
//! with exit 0; damaged segment files gave a raw error and `library index` left them broken.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yinwen"));
    c.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("yinwen-test-cache-trust"),
    );
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", String::from_utf8_lossy(&o.stdout), stderr(o)))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Three documents, each holding one sentence no other holds.
const DOCS: [(&str, &str); 3] = [
    (
        "讲话.txt",
        "在全市经济工作会议上的讲话\n（2019年12月20日）\n张三\n同志们：\n我们要坚定不移推进高质量发展，把稳增长放在更加突出的位置。\n",
    ),
    (
        "报告.txt",
        "政府工作报告\n（2020年1月10日）\n李四\n各位代表：\n必须持续深化营商环境改革，让市场主体轻装上阵。\n",
    ),
    (
        "决定.txt",
        "关于加强基层治理的决定\n（2021年3月5日）\n全面推进基层治理体系和治理能力现代化建设。\n",
    ),
];
const QUOTES: [&str; 3] = [
    "我们要坚定不移推进高质量发展，把稳增长放在更加突出的位置",
    "必须持续深化营商环境改革，让市场主体轻装上阵",
    "全面推进基层治理体系和治理能力现代化建设",
];

/// A folder of [`DOCS`], indexed.
fn indexed_docs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_docs(dir.path());
    assert_eq!(
        run(&["library", "index", s(dir.path())]).status.code(),
        Some(0)
    );
    dir
}

fn write_docs(dir: &Path) {
    for (name, text) in DOCS {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn find_status(lib: &Path, q: &str) -> (Option<i32>, Value, String) {
    let o = run(&["library", "find", "--library", s(lib), q, "--json"]);
    let v = if o.stdout.is_empty() {
        Value::Null
    } else {
        json(&o)
    };
    (o.status.code(), v, stderr(&o))
}

fn first_status(v: &Value) -> Option<String> {
    v["results"][0]["matches"][0]["status"]
        .as_str()
        .map(str::to_string)
}

#[cfg(unix)]
#[test]
fn gbk_file_names_never_collide_and_are_shown_decoded() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in DOCS {
        let (gbk, _, _) = encoding_rs::GBK.encode(name);
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(&gbk)), text).unwrap();
    }
    let o = run(&["library", "index", s(dir.path()), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["documents"], 3, "{r}");
    assert_eq!(r["added"], 3, "{r}");
    for (q, (name, _)) in QUOTES.iter().zip(DOCS) {
        let (code, v, err) = find_status(dir.path(), q);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(first_status(&v).as_deref(), Some("verbatim"), "{q}: {v}");
        let m = &v["results"][0]["matches"][0];
        assert_eq!(m["file"], name, "shown decoded: {m}");
        let (gbk, _, _) = encoding_rs::GBK.encode(name);
        let hex: String = gbk.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(m["file_bytes"], hex.as_str(), "{m}");
    }
    // The list shows the names decoded, the exact bytes beside them.
    let o = run(&["library", "list", s(dir.path()), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let l = json(&o);
    let mut files: Vec<&str> = l["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["决定.txt", "报告.txt", "讲话.txt"]);
    // An update with nothing changed changes nothing.
    let o = run(&["library", "index", s(dir.path()), "--json"]);
    let r = json(&o);
    assert_eq!(
        (r["changed"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{r}"
    );
    // A UTF-8 name shown like a GBK one is another file.
    std::fs::write(
        dir.path().join("报告.txt"),
        "另一份文件\n完全不同的内容在这里。\n",
    )
    .unwrap();
    let r = json(&run(&["library", "index", s(dir.path()), "--json"]));
    assert_eq!(
        (r["added"].as_u64(), r["documents"].as_u64()),
        (Some(1), Some(4)),
        "{r}"
    );
}

/// Files big enough that a first build takes a moment, with the quotation in the last.
fn big_folder(dir: &Path) {
    let filler =
        "各地区各部门要认真贯彻落实中央决策部署，结合实际抓好各项工作任务，确保取得实效。\n";
    for i in 0..120 {
        let mut t = format!("第{i}号文件\n（2020年1月1日）\n");
        for k in 0..300 {
            t.push_str(&format!("第{k}段。{filler}"));
        }
        std::fs::write(dir.join(format!("f{i:03}.txt")), t).unwrap();
    }
    write_docs(dir);
}

#[test]
fn a_first_build_killed_half_way_never_answers_not_found() {
    let dir = tempfile::tempdir().unwrap();
    big_folder(dir.path());
    for delay_ms in [150u64, 400, 900] {
        let _ = std::fs::remove_dir_all(dir.path().join(".yinwen-library"));
        let mut child = bin()
            .args(["library", "index", s(dir.path())])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished {
            // Whatever was left: `list` never says "0 documents" with exit 0.
            let o = run(&["library", "list", s(dir.path()), "--json"]);
            if o.status.code() == Some(0) {
                let l = json(&o);
                assert_eq!(
                    l["documents"].as_array().unwrap().len(),
                    123,
                    "an index listed after a kill is whole"
                );
            } else {
                assert!(
                    stderr(&o).contains("not indexed yet"),
                    "{delay_ms} ms: {}",
                    stderr(&o)
                );
            }
        }
        // `find` either finds it (indexing first) or fails loudly; never not_found with 0.
        let (code, v, err) = find_status(dir.path(), QUOTES[1]);
        assert_eq!(code, Some(0), "{delay_ms} ms: {err}");
        assert_eq!(first_status(&v).as_deref(), Some("verbatim"), "{v}");
    }
}

fn index_files(lib: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(lib.join(".yinwen-library/index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn a_damaged_catalog_is_reported_never_deleted_and_rebuilt_by_index() {
    let dir = indexed_docs();
    let meta = dir.path().join(".yinwen-library/index/meta.json");
    std::fs::write(&meta, b"{\"segments\": [ this is not json").unwrap();
    let before = index_files(dir.path());
    for args in [
        vec![
            "library",
            "find",
            "--library",
            s(dir.path()),
            QUOTES[0],
            "--json",
        ],
        vec!["library", "list", s(dir.path()), "--json"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("damaged"), "{e}");
        assert!(e.contains("yinwen library index"), "{e}");
        assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
        assert!(o.stdout.is_empty(), "no answer from an unreadable library");
    }
    // verify --library too.
    let speech = dir.path().join("speech-elsewhere");
    std::fs::create_dir_all(&speech).unwrap();
    let sp = speech.join("s.txt");
    std::fs::write(&sp, format!("张三同志指出：“{}。”\n", QUOTES[0])).unwrap();
    let o = run(&["verify", s(&sp), "--library", s(dir.path()), "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Read-only commands deleted and rewrote nothing.
    assert_eq!(index_files(dir.path()), before);
    assert_eq!(
        std::fs::read(&meta).unwrap(),
        b"{\"segments\": [ this is not json"
    );
    // `library index` sees the damage and builds again.
    let o = run(&["library", "index", s(dir.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("built again"), "{}", stderr(&o));
    let (code, v, err) = find_status(dir.path(), QUOTES[0]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(first_status(&v).as_deref(), Some("verbatim"));
}

fn segment_files(lib: &Path, ext: &str) -> Vec<PathBuf> {
    index_files(lib)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect()
}

#[test]
fn damaged_segment_files_are_detected_and_rebuilt() {
    let dir = indexed_docs();
    // Truncated posting lists: the index cannot even be opened.
    for p in segment_files(dir.path(), "idx") {
        let b = std::fs::read(&p).unwrap();
        std::fs::write(&p, &b[..b.len() / 3]).unwrap();
    }
    let (code, _, err) = find_status(dir.path(), QUOTES[2]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("damaged") && err.contains("yinwen library index"),
        "{err}"
    );
    assert!(
        !err.contains("Error {") && !err.contains("{ "),
        "no debug dump: {err}"
    );
    let o = run(&["library", "index", s(dir.path()), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert!(
        r["rebuilt"].as_str().is_some_and(|w| w.contains("damaged")),
        "{r}"
    );
    assert_eq!(r["added"], 3, "{r}");
    let (code, v, err) = find_status(dir.path(), QUOTES[2]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(first_status(&v).as_deref(), Some("verbatim"));

    // Bytes flipped inside the stored texts, sizes unchanged: the checks of `library index`
    // (every file's footer and checksum) say so; it does not call the folder "unchanged".
    for p in segment_files(dir.path(), "store") {
        let mut b = std::fs::read(&p).unwrap();
        let mid = b.len() / 2;
        for x in &mut b[mid..mid + 8] {
            *x ^= 0x5a;
        }
        std::fs::write(&p, &b).unwrap();
    }
    // Reading it may or may not notice (the stored texts have no checksum of their own),
    // but it never answers "not found" with exit 0.
    for q in QUOTES {
        let (code, v, err) = find_status(dir.path(), q);
        match code {
            Some(0) => assert_eq!(first_status(&v).as_deref(), Some("verbatim"), "{q}: {v}"),
            _ => assert!(err.contains("damaged"), "{err}"),
        }
    }
    let r = json(&run(&["library", "index", s(dir.path()), "--json"]));
    assert!(
        r["rebuilt"].as_str().is_some_and(|w| w.contains("damaged")),
        "{r}"
    );
    let (code, v, _) = find_status(dir.path(), QUOTES[1]);
    assert_eq!(code, Some(0));
    assert_eq!(first_status(&v).as_deref(), Some("verbatim"));
}

#[test]
fn a_damaged_folder_is_named_and_the_healthy_ones_answer_with_exit_1() {
    let good = tempfile::tempdir().unwrap();
    let bad = tempfile::tempdir().unwrap();
    write_docs(good.path());
    std::fs::write(bad.path().join("x.txt"), "别的文件\n内容在此。\n").unwrap();
    for d in [good.path(), bad.path()] {
        assert_eq!(run(&["library", "index", s(d)]).status.code(), Some(0));
    }
    std::fs::write(
        bad.path().join(".yinwen-library/index/meta.json"),
        b"garbage",
    )
    .unwrap();
    let o = run(&[
        "library",
        "find",
        "--library",
        s(good.path()),
        "--library",
        s(bad.path()),
        QUOTES[1],
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains(s(bad.path())) && e.contains("damaged"), "{e}");
    assert!(!e.contains(s(good.path())), "{e}");
    assert_eq!(first_status(&json(&o)).as_deref(), Some("verbatim"));
}

#[test]
fn a_cancelled_build_says_incomplete() {
    // A catalog marked incomplete (what a cancelled run commits) makes `list` exit 1 with a
    // line that names the repair; `find` completes the index first.
    let dir = indexed_docs();
    let meta = dir.path().join(".yinwen-library/index/meta.json");
    let m = std::fs::read_to_string(&meta).unwrap();
    assert!(m.contains("\\\"complete\\\":true"), "{m}");
    std::fs::write(
        &meta,
        m.replace("\\\"complete\\\":true", "\\\"complete\\\":false"),
    )
    .unwrap();
    let o = run(&["library", "list", s(dir.path())]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("incomplete"), "{}", stderr(&o));
    let (code, v, err) = find_status(dir.path(), QUOTES[0]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(first_status(&v).as_deref(), Some("verbatim"));
    assert_eq!(
        run(&["library", "list", s(dir.path())]).status.code(),
        Some(0)
    );
}
