//! `yinwen detect` and `yinwen verify` through the real binary, checked against the JSON
//! contract of DESIGN.md.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn run_json(args: &[&std::ffi::OsStr]) -> Value {
    let o = bin().args(args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = String::from_utf8(o.stdout).unwrap();
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

#[test]
fn detect_json_follows_the_contract_on_the_seed() {
    let seed = data("sample_data/changchun-community-2007.txt");
    let v = run_json(&["detect".as_ref(), seed.as_os_str(), "--json".as_ref()]);
    assert_eq!(
        keys(&v),
        [
            "chars",
            "directives",
            "encoding",
            "file",
            "references",
            "terms",
            "warnings"
        ]
    );
    assert_eq!(v["encoding"], "UTF-8");
    assert_eq!(v["chars"], 3330);
    let dirs = v["directives"].as_array().unwrap();
    assert_eq!(dirs.len(), 6, "the seed's six directives: {dirs:#?}");
    let text: Vec<char> = std::fs::read_to_string(&seed).unwrap().chars().collect();
    for d in dirs {
        assert_eq!(
            keys(d),
            [
                "abridged",
                "attribution_reason",
                "confidence",
                "date",
                "date_text",
                "doc_number",
                "end",
                "occasion",
                "quote",
                "source_title",
                "speaker",
                "start",
                "verb"
            ]
        );
        let (s, e) = (
            d["start"].as_u64().unwrap() as usize,
            d["end"].as_u64().unwrap() as usize,
        );
        let at: String = text[s..e].iter().collect();
        assert_eq!(
            at,
            d["quote"].as_str().unwrap(),
            "offsets are char offsets of the quote"
        );
        assert!(
            d["speaker"].is_string() || d["source_title"].is_string(),
            "attributed: {d}"
        );
        assert!(d["verb"].is_string(), "{d}");
        let c = d["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    let refs = v["references"].as_array().unwrap();
    for n in ["国发〔2006〕10号", "国发〔20xx〕14号"] {
        assert!(
            refs.iter().any(|r| r["doc_number"] == n),
            "{n} in {refs:#?}"
        );
    }
    let warnings = v["warnings"].as_array().unwrap();
    for damaged in ["2O06", "2O05", "20xx"] {
        assert!(
            warnings
                .iter()
                .any(|w| w["text"].as_str().unwrap_or("").contains(damaged)),
            "{damaged} flagged"
        );
    }
    assert!(warnings.iter().any(|w| w["kind"] == "boilerplate"));
    // Without --json: a readable table.
    let o = bin().arg("detect").arg(&seed).output().unwrap();
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table.contains("DIRECTIVES") && table.contains("WARNINGS"),
        "{table}"
    );
}

#[test]
fn detect_reads_gbk_and_refuses_bad_input() {
    let gbk = data("tests/data/cpc17_report_2007_hu_jintao.gbk.txt");
    let v = run_json(&["detect".as_ref(), gbk.as_os_str(), "--json".as_ref()]);
    assert!(v["encoding"].as_str().unwrap().starts_with("GB"));
    assert_eq!(v["chars"], 28333);
    let o = bin()
        .args(["detect", "/nonexistent/speech.txt", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8(o.stderr)
            .unwrap()
            .trim_end()
            .lines()
            .count(),
        1
    );
}

#[test]
fn verify_classifies_and_flags_misattribution() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    // The 17th Congress report as a GBK original: sources are decoded like imports.
    std::fs::copy(
        data("tests/data/cpc17_report_2007_hu_jintao.gbk.txt"),
        sources.join("十七大报告.txt"),
    )
    .unwrap();
    let speech = dir.path().join("speech.txt");
    std::fs::write(
        &speech,
        "胡锦涛同志在党的十七大报告中指出：“要健全基层党组织领导的充满活力的基层群众自治机制，扩大基层群众自治范围，完善民主管理制度，把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。”\n\
         胡锦涛同志在党的十七大报告中强调：“我们主张，各国人民携手努力，推动建设持久和平、共同富裕的和谐世界。”\n\
         胡锦涛同志在党的十七大报告中指出：“要健全基层党组织领导的充满活力的基层群众自治机制……把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。”\n\
         《国务院关于发展城市社区卫生服务的指导意见》明确要求：“和平与发展仍然是时代主题，求和平、谋发展、促合作已经成为不可阻挡的时代潮流。”\n\
         李部长在会上强调：“社区卫生服务要坚持公益性质，完善服务网络，方便群众就医。”\n",
    )
    .unwrap();
    let v = run_json(&[
        "verify".as_ref(),
        speech.as_os_str(),
        "--sources".as_ref(),
        sources.as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(keys(&v), ["directives", "file"]);
    let dirs = v["directives"].as_array().unwrap();
    let status_of = |needle: &str| -> &Value {
        dirs.iter()
            .find(|d| d["quote"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no directive with {needle}: {dirs:#?}"))
    };
    let verbatim = status_of("扩大基层群众自治范围");
    assert_eq!(
        keys(verbatim),
        [
            "claimed_source",
            "end",
            "misattributed",
            "quote",
            "similarity",
            "source_end",
            "source_file",
            "source_start",
            "start",
            "status"
        ]
    );
    assert_eq!(verbatim["status"], "verbatim");
    assert!(
        verbatim["source_file"]
            .as_str()
            .unwrap()
            .ends_with("十七大报告.txt")
    );
    assert_eq!(status_of("共同富裕")["status"], "variant");
    assert_eq!(status_of("……")["status"], "abridged");
    let wrong = status_of("和平与发展");
    assert_eq!(wrong["status"], "verbatim");
    assert_eq!(
        wrong["misattributed"], true,
        "found in another source than claimed"
    );
    assert_eq!(verbatim["misattributed"], false);
    let missing = status_of("公益性质");
    assert_eq!(missing["status"], "not_found");
    assert!(missing["source_file"].is_null());
    // A missing folder is bad input.
    let o = bin()
        .arg("verify")
        .arg(&speech)
        .arg("--sources")
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
