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
