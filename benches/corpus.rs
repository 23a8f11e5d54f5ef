//! A year of speeches in one workspace (issue 15): 2,500 synthetic speeches of ~20 KB
//! (50 MB of text, built from the corpus texts' paragraphs, see
//! `common::write_speech_folder`) with 20,000 annotations. Times the folder import, save,
//! open, `check`, switching documents in the window, and the corpus desk's frames.
//! Run with `cargo bench --bench corpus`; `YINWEN_BENCH_KEEP=DIR` keeps the folder and the
//! workspace file in DIR (for `benches/rss-corpus.sh`).

mod common;
use common::*;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use yinwen::import::{self, folder::import_folders};
use yinwen::model::{ChangeKind, Command, Workspace};
use yinwen::progress::Progress;

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{name:<52} median {:>10}  p95 {:>10}  (n={})",
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 95 / 100).min(v.len() - 1)]),
        v.len()
    );
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect()
}

fn main() {
    let docs: usize = std::env::var("YINWEN_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2500);
    let keep = std::env::var_os("YINWEN_BENCH_KEEP").map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let base = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let folder = base.join("speeches");
    let _ = std::fs::remove_dir_all(&folder);
    let written = write_speech_folder(&folder, docs, 20_000);
    let quotes: HashMap<_, _> = written.into_iter().collect();
    let bytes: u64 = quotes
        .keys()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    println!(
        "folder: {docs} speeches, {:.1} MB of UTF-8 text",
        bytes as f64 / 1e6
    );

    // Import of the folder (decoding on every core, groups from the folders).
    let mut got = None;
    let t = time(3, || {
        got = Some(
            import_folders(
                std::slice::from_ref(&folder),
                import::Options::default(),
                &Default::default(),
                &Progress::new(),
            )
            .unwrap()
            .unwrap(),
        );
    });
    report("import folder (decode + hash + groups)", t);
    let got = got.unwrap();
    assert_eq!(got.documents.len(), docs, "{:?}", got.skipped.first());
    let mut ws = Workspace::new();
    let cmds = got
        .documents
        .into_iter()
        .map(|d| Command::AddDocument(Box::new(d)))
        .collect();
    let t = Instant::now();
    ws.apply(Command::Batch {
        label: ChangeKind::ImportFolder,
        commands: cmds,
    })
    .unwrap();
    report("add the imported documents (one batch)", vec![t.elapsed()]);
    let directives = annotate_corpus(&mut ws, &quotes, 20_000);
    println!(
        "workspace: {} documents, {} annotations ({directives} directives), {} tags",
        ws.documents.len(),
        ws.annotations.len(),
        ws.tags.len()
    );

    // Save, open, check.
    let ws_path = base.join("year.ron");
    report(
        "save (serialise, write, fsync, rename)",
        time(5, || yinwen::store::save(&ws, &ws_path).unwrap()),
    );
    println!(
        "workspace file: {:.1} MB",
        std::fs::metadata(&ws_path).unwrap().len() as f64 / 1e6
    );
    report(
        "open (read, parse, check version, repair, normalise)",
        time(3, || yinwen::store::load_checked(&ws_path).unwrap()),
    );
    report(
        "check (validate, re-anchor, orphans, links)",
        time(3, || yinwen::store::check_workspace(&ws)),
    );

    // The cross-document analyses (target ≤ 300 ms each).
    {
        use yinwen::model::DocFilter;
        use yinwen::report::{
            ColumnsBy, CooccurrenceMode, RegisterOptions, code_matrix, cooccurrence, register,
        };
        let all = DocFilter::default();
        let reg = register(&ws, &all, &RegisterOptions::default());
        println!(
            "register: {} entries from {} quotations",
            reg.entries.len(),
            reg.occurrence_count()
        );
        report(
            "register (all documents)",
            time(5, || register(&ws, &all, &RegisterOptions::default())),
        );
        let year = DocFilter {
            group: Some("speeches/2021".into()),
            ..Default::default()
        };
        report(
            "register with detector candidates, one year's group",
            time(3, || {
                register(&ws, &year, &RegisterOptions { candidates: true })
            }),
        );
        report(
            "matrix tags × documents",
            time(5, || code_matrix(&ws, &all, &ColumnsBy::Document)),
        );
        report(
            "matrix tags × groups",
            time(5, || code_matrix(&ws, &all, &ColumnsBy::Group)),
        );
        report(
            "co-occurrence, overlapping passages",
            time(5, || cooccurrence(&ws, &all, CooccurrenceMode::Overlap)),
        );
        report(
            "co-occurrence, same paragraph",
            time(5, || cooccurrence(&ws, &all, CooccurrenceMode::Paragraph)),
        );
    }

    // The window: open the file, switch documents, the corpus desk.
    let t = Instant::now();
    let mut h = open_window(vec![ws_path.clone()]);
    report("window: open the workspace until shown", vec![t.elapsed()]);
    let ids: Vec<_> = h.state().ws().documents.iter().map(|d| d.id).collect();
    let mut k = 0;
    let switch = time(40, || {
        k = (k + 97) % ids.len();
        h.state_mut().show_document(ids[k]);
        h.step();
    });
    report("window: switch document (first frame of it)", switch);
    let steady = time(40, || h.step());
    report("window: steady frame, document list of all", steady);
    h.state_mut().corpus.open = true;
    h.run_steps(3);
    report(
        "window: corpus desk, documents table",
        time(40, || h.step()),
    );
    h.state_mut().corpus.filter.text = "第1".into();
    report(
        "window: corpus desk, table with a search filter",
        time(20, || h.step()),
    );
    h.state_mut().corpus.filter = Default::default();
    h.state_mut().corpus.tab = yinwen::ui::corpus::CorpusTab::Memos;
    h.run_steps(2);
    report("window: corpus desk, memos tab", time(20, || h.step()));
    if keep.is_some() {
        println!("kept {} and {}", folder.display(), ws_path.display());
    }
}
