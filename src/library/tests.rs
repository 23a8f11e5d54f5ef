use std::path::Path;

use super::*;
use crate::progress::Progress;

const SPEECH: &str = "在全国社区建设工作会议上的讲话\n（2006年10月11日）\n胡锦涛\n同志们：\n必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。我们要坚持以人为本，切实维护群众利益。\n各级党委和政府要高度重视社区工作，切实加强领导，认真研究解决社区建设中的突出问题。\n";

const PROVINCIAL: &str = "某省人民政府关于加强社区建设的意见\n某政发〔2007〕3号\n各市人民政府：\n胡锦涛同志指出：“必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体。”各地要认真贯彻落实。\n某省人民政府\n2007年3月1日\n";

const DISTRACTOR: &str =
    "关于做好秋季农业生产工作的通知\n各县：\n要抓好秋收秋种，确保粮食丰收，做好防灾减灾工作。\n";

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn library(files: &[(&str, &str)]) -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    for (n, t) in files {
        write(dir.path(), n, t);
    }
    let r = index_folder(dir.path(), &Progress::new()).unwrap();
    assert_eq!(r.added, files.len());
    let lib = Library::open(&[dir.path().to_path_buf()]).unwrap();
    (dir, lib)
}

#[test]
fn finds_verbatim_variant_abridged_and_nothing() {
    let (_d, lib) = library(&[("speech.txt", SPEECH), ("sub/farm.txt", DISTRACTOR)]);
    let m = lib.find(
        "必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体",
        5,
    );
    assert_eq!(m[0].status, Status::Verbatim);
    assert_eq!(m[0].file, "speech.txt");
    assert_eq!(m[0].header.speaker.as_deref(), Some("胡锦涛"));
    assert_eq!(
        m[0].passage,
        "必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体"
    );
    let text: String = SPEECH
        .chars()
        .skip(m[0].start)
        .take(m[0].end - m[0].start)
        .collect();
    assert_eq!(text, m[0].passage);

    let m = lib.find(
        "必须把城乡社区建设成为管理有序、服务周到、文明祥和的社会生活共同体",
        5,
    );
    assert_eq!(m[0].status, Status::Variant);
    assert!(m[0].similarity > 0.9 && m[0].similarity < 1.0);

    let m = lib.find(
        "各级党委和政府要高度重视社区工作……认真研究解决社区建设中的突出问题",
        5,
    );
    assert_eq!(m[0].status, Status::Abridged);

    assert!(
        lib.find("坚定不移走中国特色社会主义政治发展道路", 5)
            .is_empty()
    );
    assert!(lib.find("，。", 5).is_empty());
}

#[test]
fn traditional_quotation_finds_simplified_source() {
    let (_d, lib) = library(&[("speech.txt", SPEECH)]);
    let m = lib.find(
        "必須把城鄉社區建設成為管理有序、服務完善、文明祥和的社會生活共同體",
        5,
    );
    assert_eq!(m[0].status, Status::Verbatim);
    assert!(m[0].script_differs);
    // Width and line breaks are never a difference.
    let m = lib.find("切实维护群众利益", 5);
    assert!(!m[0].script_differs);
}

#[test]
fn quoted_from_and_earliest_dated_is_primary() {
    let (_d, lib) = library(&[("a-provincial.txt", PROVINCIAL), ("z-speech.txt", SPEECH)]);
    let m = lib.find(
        "必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体",
        5,
    );
    assert_eq!(m.len(), 2);
    assert_eq!(
        m[0].file, "z-speech.txt",
        "the 2006 speech comes before the 2007 document"
    );
    assert_eq!(m[0].quoted_from, None);
    assert_eq!(m[1].file, "a-provincial.txt");
    assert_eq!(
        m[1].quoted_from.as_ref().and_then(|q| q.speaker.as_deref()),
        Some("胡锦涛")
    );
    assert_eq!(m[1].header.doc_number.as_deref(), Some("某政发〔2007〕3号"));
}

#[test]
fn update_indexes_changed_and_removes_gone_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SPEECH);
    write(dir.path(), "b.txt", DISTRACTOR);
    write(dir.path(), "bad.bin", "\u{0}\u{0}\u{0}");
    std::fs::write(
        dir.path().join("bad.bin"),
        [0u8, 159, 146, 150, 0, 0, 255, 254, 1],
    )
    .unwrap();
    let r = index_folder(dir.path(), &Progress::new()).unwrap();
    assert_eq!((r.added, r.skipped.len()), (2, 1));
    assert_eq!(r.skipped[0].file, "bad.bin");
    // Nothing changed: nothing read.
    let r = index_folder(dir.path(), &Progress::new()).unwrap();
    assert_eq!(
        (r.added, r.changed, r.unchanged, r.bytes_indexed),
        (0, 0, 2, 0)
    );
    // Change one, remove one.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(dir.path(), "a.txt", &SPEECH.replace("文明祥和", "文明和谐"));
    std::fs::remove_file(dir.path().join("b.txt")).unwrap();
    let r = index_folder(dir.path(), &Progress::new()).unwrap();
    assert_eq!((r.added, r.changed, r.removed, r.documents), (0, 1, 1, 1));
    let lib = Library::open(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(lib.document_count(), 1);
    assert!(lib.find("秋收秋种", 3).is_empty());
    let m = lib.find("文明和谐的社会生活共同体", 3);
    assert_eq!(m[0].status, Status::Verbatim);
}

#[test]
fn a_reader_keeps_its_snapshot_while_a_writer_commits() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SPEECH);
    index_folder(dir.path(), &Progress::new()).unwrap();
    let before = Library::open(&[dir.path().to_path_buf()]).unwrap();
    write(dir.path(), "b.txt", DISTRACTOR);
    index_folder(dir.path(), &Progress::new()).unwrap();
    assert_eq!(before.document_count(), 1);
    assert!(!before.find("切实维护群众利益", 2).is_empty());
    let after = Library::open(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(after.document_count(), 2);
}

#[test]
fn search_is_a_phrase_search_with_context() {
    let (_d, lib) = library(&[("speech.txt", SPEECH), ("farm.txt", DISTRACTOR)]);
    let hits = lib.search("社区建设", 10);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].hit, "社区建设");
    assert_eq!(
        hits[0].title.as_deref(),
        Some("在全国社区建设工作会议上的讲话")
    );
    // Bigrams of the query that are not consecutive in the text do not match.
    assert!(lib.search("社区工作会议", 10).is_empty());
    assert_eq!(lib.search("社區建設", 10).len(), 1);
}

#[test]
fn metadata_corrections_survive_reopening() {
    let (d, lib) = library(&[("speech.txt", SPEECH)]);
    let mut h = lib.folders[0].header("speech.txt").unwrap();
    h.title = Some("改过的标题".into());
    lib.folders[0].set_header("speech.txt", Some(h)).unwrap();
    let lib = Library::open(&[d.path().to_path_buf()]).unwrap();
    assert_eq!(
        lib.folders[0]
            .header("speech.txt")
            .unwrap()
            .title
            .as_deref(),
        Some("改过的标题")
    );
    assert!(lib.folders[0].is_edited("speech.txt"));
}

#[test]
fn passages_cut_at_lines_and_sentences() {
    let text = format!("{}\n{}", "短句。".repeat(120), "长".repeat(1500));
    let p = folder::passages(&text);
    assert_eq!(p[0], (0, 361));
    assert!(p.iter().all(|(a, b)| b - a <= 1200));
    assert_eq!(p.last().unwrap().1, text.chars().count());
    let mut prev = 0;
    for (a, b) in &p {
        assert_eq!(*a, prev);
        prev = *b;
    }
}

#[test]
fn unindexed_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Library::open(&[dir.path().to_path_buf()]).err().unwrap();
    assert!(e.to_string().contains("not indexed yet"), "{e}");
    let e = index_folder(&dir.path().join("missing"), &Progress::new()).unwrap_err();
    assert!(e.to_string().contains("not a folder"), "{e}");
}

#[test]
fn an_index_of_another_version_is_rebuilt_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SPEECH);
    index_folder(dir.path(), &Progress::new()).unwrap();
    // Make the catalog look like another version's.
    let meta = dir.path().join(".yinwen-library/index/meta.json");
    let m = std::fs::read_to_string(&meta).unwrap();
    assert!(m.contains("\\\"version\\\":"), "{m}");
    let old = m.replacen("\\\"version\\\":", "\\\"version\\\":1", 1);
    std::fs::write(&meta, old).unwrap();
    let e = Library::open(&[dir.path().to_path_buf()]).err().unwrap();
    assert!(matches!(e, LibraryError::Outdated(_)), "{e}");
    let (lib, reports) =
        Library::open_or_index(&[dir.path().to_path_buf()], &Progress::new()).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(lib.document_count(), 1);
    // Rebuilt, not added twice.
    assert_eq!(lib.search("切实维护群众利益", 10).len(), 1);
}

#[test]
fn a_document_quoting_twice_does_not_crowd_out_others() {
    let q = "必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体";
    let para = format!("我们强调，{q}。\n{}\n", "其他内容。".repeat(80));
    let (_d, lib) = library(&[
        ("a.txt", &format!("甲文件\n（2006年1月1日）\n{para}{para}")),
        ("b.txt", &format!("乙文件\n（2007年1月1日）\n{para}")),
        ("c.txt", &format!("丙文件\n（2008年1月1日）\n{para}")),
    ]);
    let m = lib.find(q, 2);
    let files: Vec<&str> = m.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(files, ["a.txt", "b.txt"]);
    // The speech itself (same text) is left out, and the next document takes its place.
    let me = SpeechId::of(
        "not-the-same-hash",
        &format!("甲文件\n（2006年1月1日）\n{para}{para}"),
    );
    let m = lib.find_except(q, 2, Some(&me));
    let files: Vec<&str> = m.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(files, ["b.txt", "c.txt"]);
}

#[test]
fn a_damaged_folder_is_left_out_and_named_never_rewritten() {
    let good = tempfile::tempdir().unwrap();
    let bad = tempfile::tempdir().unwrap();
    write(good.path(), "speech.txt", SPEECH);
    write(bad.path(), "farm.txt", DISTRACTOR);
    index_folder(good.path(), &Progress::new()).unwrap();
    index_folder(bad.path(), &Progress::new()).unwrap();
    let meta = bad.path().join(".yinwen-library/index/meta.json");
    std::fs::write(&meta, "not json").unwrap();
    let dirs = [good.path().to_path_buf(), bad.path().to_path_buf()];
    let lib = Library::open(&dirs).unwrap();
    assert_eq!(lib.folders.len(), 1);
    assert_eq!(lib.unusable.len(), 1);
    assert!(matches!(lib.unusable[0].1, LibraryError::Damaged { .. }));
    let p = lib.problems();
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("damaged") && p[0].contains("yinwen library index"));
    assert!(!lib.nothing_usable());
    // open_or_index does not rebuild a damaged index behind the user's back.
    let (lib, reports) = Library::open_or_index(&dirs, &Progress::new()).unwrap();
    assert!(reports.is_empty());
    assert_eq!(lib.unusable.len(), 1);
    assert_eq!(std::fs::read_to_string(&meta).unwrap(), "not json");
    // Alone, it is an error.
    let e = Library::open(&dirs[1..]).err().unwrap();
    assert!(matches!(e, LibraryError::Damaged { .. }), "{e}");
    // `index_folder` repairs it and says why.
    let r = index_folder(bad.path(), &Progress::new()).unwrap();
    assert!(
        r.rebuilt.as_deref().is_some_and(|w| w.contains("damaged")),
        "{r:?}"
    );
    assert_eq!(r.added, 1);
    let lib = Library::open(&dirs).unwrap();
    assert!(lib.problems().is_empty());
    assert_eq!(lib.document_count(), 2);
}

#[test]
fn a_cancelled_first_build_is_marked_incomplete_and_completed_later() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SPEECH);
    write(dir.path(), "b.txt", DISTRACTOR);
    let p = Progress::new();
    p.cancel();
    let r = index_folder(dir.path(), &p).unwrap();
    assert!(r.cancelled);
    let lib = Library::open(&[dir.path().to_path_buf()]).unwrap();
    assert!(!lib.folders[0].is_complete());
    assert!(
        lib.problems()[0].contains("incomplete"),
        "{:?}",
        lib.problems()
    );
    let (lib, reports) =
        Library::open_or_index(&[dir.path().to_path_buf()], &Progress::new()).unwrap();
    assert_eq!(reports.len(), 1);
    assert!(lib.folders[0].is_complete());
    assert_eq!(lib.document_count(), 2);
    assert!(lib.problems().is_empty());
}

#[test]
fn an_interrupted_first_build_leaves_no_index() {
    // What a build killed before its commit leaves: a building folder, no index.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SPEECH);
    let building = dir.path().join(".yinwen-library/index.building");
    std::fs::create_dir_all(&building).unwrap();
    std::fs::write(building.join("meta.json"), "{}").unwrap();
    let e = Library::open(&[dir.path().to_path_buf()]).err().unwrap();
    assert!(matches!(e, LibraryError::NotIndexed(_)), "{e}");
    let r = index_folder(dir.path(), &Progress::new()).unwrap();
    assert_eq!((r.added, r.rebuilt.clone()), (1, None), "{r:?}");
    assert!(!building.exists());
    let lib = Library::open(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(lib.search("切实维护群众利益", 10).len(), 1);
}

#[test]
fn a_flipped_byte_inside_a_segment_fails_its_checksum_and_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    // Chars that do not compress (the stored texts are LZ4-compressed).
    let mut x: u32 = 12345;
    let body: String = (0..60_000)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            if i % 40 == 39 {
                '\n'
            } else {
                char::from_u32(0x4E00 + (x >> 16) % 20_000).unwrap()
            }
        })
        .collect();
    write(dir.path(), "big.txt", &format!("某文件\n{body}"));
    index_folder(dir.path(), &Progress::new()).unwrap();
    let store = std::fs::read_dir(dir.path().join(".yinwen-library/index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "store"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let mut b = std::fs::read(&store).unwrap();
    assert!(b.len() > 10_000, "{}", b.len());
    let at = b.len() / 4;
    b[at] ^= 0xff;
    std::fs::write(&store, &b).unwrap();
    let r = index_folder(dir.path(), &Progress::new()).unwrap();
    assert!(
        r.rebuilt.as_deref().is_some_and(|w| w.contains("checksum")),
        "{r:?}"
    );
    assert_eq!((r.added, r.unchanged), (1, 0));
}

#[test]
fn damaged_stored_texts_never_panic_or_answer_not_found_in_silence() {
    // tantivy panics (an unwrap in its store reader) on some damaged bytes: at every position
    // of a flip, opening and finding must report damage or answer right, never panic.
    let q = "必须把城乡社区建设成为管理有序、服务完善、文明祥和的社会生活共同体";
    let (d, lib) = library(&[("speech.txt", SPEECH), ("farm.txt", DISTRACTOR)]);
    drop(lib);
    let stores: Vec<std::path::PathBuf> = std::fs::read_dir(d.path().join(".yinwen-library/index"))
        .unwrap()
        .map(|p| p.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "store"))
        .collect();
    for p in &stores {
        let pristine = std::fs::read(p).unwrap();
        for at in (0..pristine.len()).step_by(4) {
            let mut b = pristine.clone();
            let end = (at + 8).min(b.len());
            for x in &mut b[at..end] {
                *x ^= 0x5a;
            }
            std::fs::write(p, &b).unwrap();
            match Library::open(&[d.path().to_path_buf()]) {
                Err(e) => assert!(matches!(e, LibraryError::Damaged { .. }), "{at}: {e}"),
                Ok(lib) => {
                    let m = lib.find(q, 5);
                    let right = m.first().is_some_and(|m| m.status == Status::Verbatim);
                    assert!(right || !lib.problems().is_empty(), "{at}: {m:?}");
                }
            }
        }
        std::fs::write(p, &pristine).unwrap();
    }
}
