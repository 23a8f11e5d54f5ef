//! Fault injection: a process saving a workspace over and over is killed (SIGKILL on Unix,
//! TerminateProcess on Windows) at random moments. After every kill the workspace file — and
//! its `.bak` — must read back as exactly the old or the new state, never a mix or nothing.
//!
//! The saving process is this test binary itself, re-run with an environment variable that
//! turns [`child_saves_until_killed`] into the save loop.

use std::path::{Path, PathBuf};
use std::time::Duration;

use yinwen::model::{Command, Workspace};
use yinwen::store;

const CHILD_ENV: &str = "YINWEN_FAULT_CHILD_FILE";

/// Two states to alternate between, each around a megabyte so a write takes long enough for
/// kills to land in the middle of it.
fn states() -> (Workspace, Workspace) {
    let mut old = yinwen::sample::sample_workspace();
    let text = old.documents[0].text.repeat(60);
    let doc = yinwen::model::Document::new(text, Default::default(), Default::default());
    old.apply(Command::AddDocument(Box::new(doc))).unwrap();
    let mut new = old.clone();
    let mut a = new.annotations[0].clone();
    a.note = "保存中途被杀死也不能丢".into();
    new.apply(Command::SetAnnotation(Box::new(a))).unwrap();
    (old, new)
}

#[test]
fn child_saves_until_killed() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return; // Only does something when started by the test below.
    };
    let path = PathBuf::from(path);
    let (old, new) = states();
    loop {
        store::save(&new, &path).expect("save");
        store::save(&old, &path).expect("save");
    }
}

/// A small deterministic generator, so a failing run can be repeated.
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

fn assert_one_of(path: &Path, old: &str, new: &str, round: usize) -> bool {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("round {round}: {e}"));
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(
        text == old || text == new,
        "round {round}: {} is neither the old nor the new state ({} bytes)",
        path.display(),
        text.len()
    );
    store::load(path).unwrap_or_else(|e| panic!("round {round}: {e}"));
    text == new
}

#[test]
fn killing_a_save_at_any_moment_never_loses_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("共享工作区.ron");
    let (old, new) = states();
    let old_s = store::to_ron_string(&old).unwrap();
    let new_s = store::to_ron_string(&new).unwrap();
    store::save(&old, &path).unwrap();

    let exe = std::env::current_exe().unwrap();
    let mut seed = 0x5eed_u64;
    let rounds = 40;
    let (mut saw_old, mut saw_new) = (false, false);
    for round in 0..rounds {
        let mut child = std::process::Command::new(&exe)
            .args(["--exact", "child_saves_until_killed", "--nocapture"])
            .env(CHILD_ENV, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Startup takes some milliseconds; a save of ~1 MB some tens more.
        std::thread::sleep(Duration::from_millis(20 + lcg(&mut seed) % 400));
        child.kill().unwrap();
        child.wait().unwrap();
        if assert_one_of(&path, &old_s, &new_s, round) {
            saw_new = true;
        } else {
            saw_old = true;
        }
        let bak = store::backup_path(&path);
        if bak.exists() {
            assert_one_of(&bak, &old_s, &new_s, round);
        }
    }
    assert!(
        saw_old && saw_new,
        "the kills should land at different points of the save loop"
    );
}

const CHILD_EXPORT_ENV: &str = "YINWEN_FAULT_CHILD_EXPORT";
const CHILD_MERGE_ENV: &str = "YINWEN_FAULT_CHILD_MERGE";

/// The child of [`killing_exports_and_merges_leaves_no_temp_file_behind`]: runs `yinwen
/// export` (HTML) or an in-place `yinwen merge` over and over through the CLI code.
#[test]
fn child_writes_until_killed() {
    use yinwen::cli::{CliCommand, run_with};
    let export = std::env::var_os(CHILD_EXPORT_ENV);
    let merge = std::env::var_os(CHILD_MERGE_ENV);
    if export.is_none() && merge.is_none() {
        return; // Only does something when started by the test below.
    }
    let mut sink = Vec::new();
    let mut err = Vec::new();
    loop {
        let cmd = match (&export, &merge) {
            (Some(dir), _) => {
                let dir = PathBuf::from(dir);
                CliCommand::Export {
                    workspace: dir.join("ws.ron"),
                    format: yinwen::export::Format::Html,
                    output: dir.join("out.html"),
                    doc: None,
                    tags: Vec::new(),
                    no_notes: false,
                    lang: None,
                    author: None,
                    group: None,
                    where_: Vec::new(),
                }
            }
            (None, Some(dir)) => {
                let dir = PathBuf::from(dir);
                CliCommand::Merge {
                    ours: dir.join("ws.ron"),
                    theirs: dir.join("theirs.ron"),
                    output: dir.join("ws.ron"),
                    prefer: yinwen::model::merge::Resolution::Both,
                    base: None,
                }
            }
            (None, None) => unreachable!(),
        };
        sink.clear();
        err.clear();
        let code = run_with(cmd, &mut sink, &mut err);
        assert!(code <= 1, "{}", String::from_utf8_lossy(&err));
    }
}

/// The `.yinwen-*.tmp` files in a folder.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(".yinwen-") && n.ends_with(".tmp")
        })
        .collect()
}

#[test]
fn killing_exports_and_merges_leaves_no_temp_file_behind() {
    let exe = std::env::current_exe().unwrap();
    let mut seed = 0xfeed_u64;
    for env in [CHILD_EXPORT_ENV, CHILD_MERGE_ENV] {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = states();
        store::save(&old, &dir.path().join("ws.ron")).unwrap();
        store::save(&new, &dir.path().join("theirs.ron")).unwrap();
        let mut stray_seen = 0;
        for round in 0..15 {
            let mut child = std::process::Command::new(&exe)
                .args(["--exact", "child_writes_until_killed", "--nocapture"])
                .env(env, dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(30 + lcg(&mut seed) % 400));
            child.kill().unwrap();
            child.wait().unwrap();
            stray_seen += temp_files(dir.path()).len();
            // Whatever was replaced reads back whole.
            store::load(&dir.path().join("ws.ron"))
                .unwrap_or_else(|e| panic!("{env} round {round}: {e}"));
            if let Ok(html) = std::fs::read_to_string(dir.path().join("out.html")) {
                assert!(html.trim_end().ends_with("</html>"), "{env} round {round}");
            }
            // The next write into the folder (here: a lock file, as any save makes) sweeps
            // what the killed writer left.
            store::write_atomic(&dir.path().join("probe.txt"), b"x").unwrap();
            assert_eq!(
                temp_files(dir.path()),
                Vec::<PathBuf>::new(),
                "{env} round {round}: a killed writer's temporary file survived the next write"
            );
            // A lock left by the killed merge is stale (its process is gone) and is taken over.
            assert!(!matches!(
                store::lock::inspect(&dir.path().join("ws.ron")),
                store::LockState::Held(_)
            ));
        }
        eprintln!("{env}: {stray_seen} temporary file(s) left by kills, all swept");
    }
}
