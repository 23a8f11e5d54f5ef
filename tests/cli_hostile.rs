//! The cases an unlucky or hostile user hits, through the real binary: writers that must not
//! destroy their own input, follow links, keep permissions, clean up after killed writers,
//! serialise concurrent merges; readers that refuse special files, read CRLF workspaces
//! exactly, and say when an encoding was guessed; check's invariants; output kept inert.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use yinwen::model::{Command as Cmd, Workspace};
use yinwen::sample::sample_workspace;
use yinwen::store;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yinwen"))
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    bin().args(args).output().unwrap()
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `yinwen export WS --format F -o OUT`.
fn export(ws: &Path, format: &str, out: &Path) -> Output {
    run(&[
        os("export"),
        ws.as_os_str(),
        os("--format"),
        os(format),
        os("-o"),
        out.as_os_str(),
    ])
}

fn saved_sample(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    store::save(&sample_workspace(), &p).unwrap();
    p
}

fn with_note(ws: &mut Workspace, i: usize, note: &str) {
    let mut a = ws.annotations[i].clone();
    a.note = note.into();
    ws.apply(Cmd::SetAnnotation(Box::new(a))).unwrap();
}

// ----- 1. an output that is one of the inputs -----

#[test]
fn export_onto_its_own_workspace_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = saved_sample(dir.path(), "w.ron");
    let before = std::fs::read(&ws).unwrap();
    let dotted = dir.path().join(".").join("w.ron");
    for out in [ws.clone(), dotted] {
        let o = export(&ws, "html", &out);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("the output is the workspace being read"),
            "{}",
            stderr(&o)
        );
    }
    #[cfg(unix)]
    {
        let hard = dir.path().join("hard.html");
        std::fs::hard_link(&ws, &hard).unwrap();
        let o = export(&ws, "md", &hard);
        assert_eq!(o.status.code(), Some(2));
    }
    assert_eq!(
        std::fs::read(&ws).unwrap(),
        before,
        "the workspace is untouched"
    );
    assert!(!store::backup_path(&ws).exists());
}

#[test]
fn merge_onto_its_base_and_import_onto_a_speech_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = saved_sample(dir.path(), "a.ron");
    let b = saved_sample(dir.path(), "b.ron");
    let base = saved_sample(dir.path(), "base.ron");
    let base_bytes = std::fs::read(&base).unwrap();
    let o = run(&[
        os("merge"),
        a.as_os_str(),
        b.as_os_str(),
        os("--base"),
        base.as_os_str(),
        os("-o"),
        base.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("base workspace"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&base).unwrap(), base_bytes);

    let speech = dir.path().join("讲话.txt");
    std::fs::write(&speech, "同志们：\n要“把社区建设好”。\n").unwrap();
    let o = run(&[
        os("import"),
        speech.as_os_str(),
        os("-o"),
        speech.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a speech being imported"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&speech).unwrap(),
        "同志们：\n要“把社区建设好”。\n"
    );
}

// ----- 2. links and devices -----

#[cfg(unix)]
#[test]
fn a_linked_output_updates_its_target_and_devices_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = saved_sample(dir.path(), "w.ron");
    let shared = dir.path().join("shared.html");
    std::fs::write(&shared, "old").unwrap();
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&shared, &link).unwrap();
    let o = export(&ws, "html", &link);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(
        std::fs::read_to_string(&shared)
            .unwrap()
            .starts_with("<!DOCTYPE")
    );

    use std::os::unix::fs::FileTypeExt;
    let o = export(&ws, "html", Path::new("/dev/null"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let o = run(&[
        os("merge"),
        ws.as_os_str(),
        ws.as_os_str(),
        os("-o"),
        dir.path().as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

// ----- 3. permissions -----

#[cfg(unix)]
#[test]
fn modes_are_kept_and_new_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let ws = saved_sample(dir.path(), "group.ron");
    std::fs::set_permissions(&ws, std::fs::Permissions::from_mode(0o664)).unwrap();
    let mut theirs = sample_workspace();
    with_note(&mut theirs, 0, "同事的意见");
    let t = dir.path().join("t.ron");
    store::save(&theirs, &t).unwrap();
    let o = run(&[
        os("merge"),
        ws.as_os_str(),
        t.as_os_str(),
        os("-o"),
        ws.as_os_str(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    assert_eq!(mode(&ws), 0o664, "the shared workspace keeps its mode");
    assert_eq!(
        mode(&store::backup_path(&ws)),
        0o664,
        "and so does its backup"
    );

    let out = dir.path().join("new.html");
    let o = Command::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$0\" export \"$1\" --format html -o \"$2\"")
        .arg(env!("CARGO_BIN_EXE_yinwen"))
        .arg(&ws)
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&out), 0o644, "a new file follows the umask");
}

// ----- 4. stray temporary files -----

#[cfg(target_os = "linux")]
#[test]
fn temp_files_of_killed_writers_are_removed_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let ws = saved_sample(dir.path(), "w.ron");
    // A writer of this machine (host "yinwen-test") whose process is gone.
    let stray = dir.path().join(".yinwen-4194399@yinwen-test~AbCdEf.tmp");
    std::fs::write(&stray, vec![b'x'; 4096]).unwrap();
    let o = bin()
        .env("HOSTNAME", "yinwen-test")
        .args(["export"])
        .arg(&ws)
        .args(["--format", "csv", "-o"])
        .arg(dir.path().join("t.csv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stray.exists());
    assert!(
        stdout(&o).contains("removed 1 temporary file"),
        "{}",
        stdout(&o)
    );
}

// ----- 5. concurrent in-place merges -----

#[test]
fn concurrent_in_place_merges_keep_every_change() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let m = saved_sample(dir.path(), "m.ron");
        let mut theirs = Vec::new();
        for k in 0..2 {
            let mut ws = sample_workspace();
            let mut a = ws.annotations[k + 2].clone();
            a.id = yinwen::model::AnnId(0);
            a.note = format!("第{k}位同事的新批注");
            ws.apply(Cmd::AddAnnotation(Box::new(a))).unwrap();
            let p = dir.path().join(format!("t{k}.ron"));
            store::save(&ws, &p).unwrap();
            theirs.push(p);
        }
        let children: Vec<_> = theirs
            .iter()
            .map(|t| {
                bin()
                    .arg("merge")
                    .arg(&m)
                    .arg(t)
                    .arg("-o")
                    .arg(&m)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert_eq!(o.status.code(), Some(0), "round {round}: {}", stderr(&o));
        }
        let merged = store::load(&m).unwrap();
        for k in 0..2 {
            let note = format!("第{k}位同事的新批注");
            assert!(
                merged.annotations.iter().any(|a| a.note == note),
                "round {round}: colleague {k}'s change was lost"
            );
        }
        assert!(!store::lock::lock_path(&m).exists(), "no lock left behind");
    }
}

#[test]
fn a_merge_into_a_workspace_open_in_a_window_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = saved_sample(dir.path(), "m.ron");
    let t = saved_sample(dir.path(), "t.ron");
    // A live lock of another process of this machine: pid 1 is always alive.
    std::fs::write(
        store::lock::lock_path(&m),
        "Yinwen workspace lock\nuser=李四\nhost=office-pc\npid=1\n",
    )
    .unwrap();
    let before = std::fs::read(&m).unwrap();
    let o = run(&[
        os("merge"),
        m.as_os_str(),
        t.as_os_str(),
        os("-o"),
        m.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("open in Yinwen by 李四"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&m).unwrap(), before);
}

// ----- 6. CRLF workspaces -----

#[test]
fn crlf_workspaces_read_exactly_like_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let lf = saved_sample(dir.path(), "lf.ron");
    let text = std::fs::read_to_string(&lf).unwrap();
    let crlf = dir.path().join("crlf.ron");
    std::fs::write(&crlf, text.replace('\n', "\r\n")).unwrap();
    let o = run(&[os("check"), crlf.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems found"));
    // Merging the CRLF copy into the original adds nothing.
    let out = dir.path().join("m.ron");
    let o = run(&[
        os("merge"),
        lf.as_os_str(),
        crlf.as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("documents: 0 added"), "{}", stdout(&o));
    assert_eq!(store::load(&out).unwrap(), store::load(&lf).unwrap());
}

// ----- 7. encodings -----

fn import(file: &Path, out: &Path) -> Output {
    run(&[os("import"), file.as_os_str(), os("-o"), out.as_os_str()])
}

#[test]
fn utf32_mixed_and_random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.ron");
    let text = "同志们：\n要“把社区建设好”。\n";
    for (name, little) in [("le.txt", true), ("be.txt", false)] {
        let mut bytes: Vec<u8> = if little {
            vec![0xFF, 0xFE, 0, 0]
        } else {
            vec![0, 0, 0xFE, 0xFF]
        };
        for c in text.chars() {
            let v = c as u32;
            bytes.extend(if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            });
        }
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = import(&p, &out);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("UTF-32"), "{}", stdout(&o));
        assert_eq!(store::load(&out).unwrap().documents[0].text, text);
    }

    // Half GBK, half UTF-8: each part read in its own encoding, and said so.
    let (gbk, _, _) = encoding_rs::GBK.encode("第一部分是用国标码保存的讲话稿。\n");
    let mut mixed = gbk.into_owned();
    mixed.extend_from_slice("第二部分是后来用统一码补充的内容。\n".as_bytes());
    let p = dir.path().join("mixed.txt");
    std::fs::write(&p, mixed).unwrap();
    let o = import(&p, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("mixes two encodings"), "{}", stdout(&o));
    assert_eq!(
        store::load(&out).unwrap().documents[0].text,
        "第一部分是用国标码保存的讲话稿。\n第二部分是后来用统一码补充的内容。\n"
    );

    // Random bytes without NULs are refused, never read as windows-1252.
    let mut seed = 0x1234_5678_u64;
    for k in 0..5 {
        let bytes: Vec<u8> = (0..4000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((seed >> 33) % 255) as u8 + 1
            })
            .collect();
        let p = dir.path().join(format!("random{k}.bin"));
        std::fs::write(&p, bytes).unwrap();
        let o = import(&p, &dir.path().join(format!("r{k}.ron")));
        assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
        assert!(!dir.path().join(format!("r{k}.ron")).exists());
    }
}

#[test]
fn other_formats_are_recognised_not_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let ws = saved_sample(dir.path(), "w.ron");
    let odt = {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("mimetype", o).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
        w.start_file("content.xml", o).unwrap();
        w.write_all(b"<office:document-content/>").unwrap();
        w.finish().unwrap().into_inner()
    };
    let cases: [(&str, &[u8], &str); 8] = [
        ("a.odt", &odt, "OpenDocument"),
        (
            "a.wps",
            b"\xff\x00WPS own format\x00\x01",
            "save it as .docx in WPS",
        ),
        ("a.rtf", b"{\\rtf1\\ansi {\\*\\fldinst x}}", "empty"),
        ("a.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        ("a.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0", "Word"),
        ("a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image"),
        (
            "a.htm",
            b"<html><head><script>var a = 1;</script></head></html>",
            "empty",
        ),
        (
            "ws-copy.txt",
            &std::fs::read(&ws).unwrap(),
            "Yinwen workspace",
        ),
    ];
    for (name, bytes, what) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = dir.path().join("o.ron");
        let o = import(&p, &out);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stdout(&o));
        assert!(stderr(&o).contains(what), "{name}: {}", stderr(&o));
        assert!(!out.exists());
    }
}

// ----- 8. invariants check must see -----

#[test]
fn check_reports_cycles_id_overflow_and_offsets_past_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample_workspace();
    let (a, b) = (ws.tags[0].id, ws.tags[1].id);
    ws.tags[0].parent = Some(b);
    ws.tags[1].parent = Some(a);
    let len = ws.documents[0].text.chars().count();
    ws.annotations[0].anchor.start.0 = len + 10;
    ws.annotations[0].anchor.end.0 = len + 14;
    ws.annotations[0].anchor.quote = "不在文中的话".into();
    let quote_lost = ws.annotations[0].anchor.quote.clone();
    // Written by hand: the saver would repair next_id.
    let mut text = store::to_ron_string(&ws).unwrap();
    let at = text.find("next_id: ").unwrap();
    let end = at + text[at..].find(',').unwrap();
    text.replace_range(at..end, &format!("next_id: {}", u64::MAX));
    let p = dir.path().join("bad.ron");
    std::fs::write(&p, text).unwrap();

    let o = run(&[os("check"), p.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    for kind in ["tag_cycle", "next_id", "anchor_out_of_range", "anchor_lost"] {
        assert!(stdout(&o).contains(kind), "{kind}: {}", stdout(&o));
    }
    // Export draws neither the lost annotation nor a 64-deep tag path, and says what it left out.
    let html = dir.path().join("o.html");
    let o = export(&p, "html", &html);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("left out"), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains(&quote_lost));
    let name0 = &ws.tags[0].name;
    assert!(
        !page.contains(&format!("{name0} / {} / {name0}", ws.tags[1].name)),
        "no tag path runs round the cycle"
    );
    // The repaired workspace merges (the ID counter no longer overflows).
    let other = saved_sample(dir.path(), "other.ron");
    let out = dir.path().join("m.ron");
    let o = run(&[
        os("merge"),
        p.as_os_str(),
        other.as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
}

// ----- 9. special files as input -----

/// Runs a command and kills it if it has not finished within `limit`.
fn run_with_deadline(args: &[&std::ffi::OsStr], limit: Duration) -> Option<Output> {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_by_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    let ws = saved_sample(dir.path(), "w.ron");
    let fifo = dir.path().join("pipe.ron");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let out = dir.path().join("o.html");
    let mut inputs = vec![PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        inputs.push(fifo);
    }
    for input in &inputs {
        for args in [
            vec![os("check"), input.as_os_str()],
            vec![
                os("export"),
                input.as_os_str(),
                os("--format"),
                os("html"),
                os("-o"),
                out.as_os_str(),
            ],
            vec![
                os("merge"),
                ws.as_os_str(),
                input.as_os_str(),
                os("-o"),
                out.as_os_str(),
            ],
        ] {
            let o = run_with_deadline(&args, Duration::from_secs(20))
                .unwrap_or_else(|| panic!("{args:?} hangs on {}", input.display()));
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
        }
    }
    assert!(!out.exists());
}

// ----- 10. the smaller ones -----

#[test]
fn unknown_fields_are_warned_about_by_merge_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let a = saved_sample(dir.path(), "a.ron");
    let text = std::fs::read_to_string(&a).unwrap();
    let newer = text.replacen("next_id:", "reviewed_by: \"王五\",\n  next_id:", 1);
    let b = dir.path().join("b.ron");
    std::fs::write(&b, newer).unwrap();
    let out = dir.path().join("m.ron");
    let o = run(&[
        os("merge"),
        a.as_os_str(),
        b.as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    assert!(stderr(&o).contains("reviewed_by"), "{}", stderr(&o));
    let o = run(&[os("check"), b.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("unknown_field"), "{}", stdout(&o));
}

#[test]
fn control_characters_never_reach_outputs_raw() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample_workspace();
    with_note(&mut ws, 0, "正常\u{202E}txt.exe\u{1b}[31m红色\u{7}");
    let p = dir.path().join("w.ron");
    store::save(&ws, &p).unwrap();
    for format in ["html", "md"] {
        let out = dir.path().join(format!("o.{format}"));
        let o = export(&p, format, &out);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let page = std::fs::read_to_string(&out).unwrap();
        for c in ['\u{202E}', '\u{1b}', '\u{7}'] {
            assert!(!page.contains(c), "{format} contains {c:?}");
        }
    }
    let speech = dir.path().join("s.txt");
    std::fs::write(
        &speech,
        "习近平总书记在会上指出：“要\u{1b}]0;owned\u{7}把社区建设好\u{202E}。”\n“三农”问题\u{1b}[2J。\n",
    )
    .unwrap();
    let o = run(&[os("detect"), speech.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("把社区建设好"), "{text}");
    for c in ['\u{202E}', '\u{1b}', '\u{7}'] {
        assert!(!text.contains(c), "detect printed {c:?}");
    }
}

#[test]
fn a_cell_longer_than_excel_keeps_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample_workspace();
    with_note(&mut ws, 0, &"长".repeat(40_000));
    let p = dir.path().join("w.ron");
    store::save(&ws, &p).unwrap();
    let out = dir.path().join("o.xlsx");
    let o = export(&p, "xlsx", &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("Excel keeps 32767"), "{}", stderr(&o));
    assert!(stderr(&o).contains("40000 characters"), "{}", stderr(&o));
}

#[test]
fn an_unknown_word_is_not_opened_as_a_window() {
    let o = bin().args(["libary", "index", "x"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no such file or command: \"libary\""),
        "{}",
        stderr(&o)
    );
    let o = bin().args(["verify", "--help"]).output().unwrap();
    assert!(stdout(&o).contains(".md"), "verify says what it reads");
}

#[test]
fn version_names_the_commit() {
    let o = bin().arg("--version").output().unwrap();
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!("yinwen {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
}

#[test]
fn check_reports_a_corrected_passage_as_changed_and_export_draws_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = sample_workspace();
    // Correct one damaged year inside an annotated passage, as a hand edit of the file would.
    let i = ws
        .annotations
        .iter()
        .position(|a| a.anchor.quote.contains("2O0") && a.anchor.quote.chars().count() > 10)
        .expect("an annotated passage with a damaged year");
    let quote = ws.annotations[i].anchor.quote.clone();
    let fixed = quote.replacen("2O0", "200", 1);
    let d = std::sync::Arc::make_mut(&mut ws.documents[0]);
    d.text = d.text.replacen(&quote, &fixed, 1);
    let p = dir.path().join("w.ron");
    std::fs::write(&p, store::to_ron_string(&ws).unwrap()).unwrap();
    let o = run(&[os("check"), p.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("anchor_changed"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("anchor_lost"), "{}", stdout(&o));
    let html = dir.path().join("o.html");
    let o = export(&p, "html", &html);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("left out"), "{}", stderr(&o));
}
