//! Cross-document analyses on a synthetic workspace of 2,500 documents (~50 MB of text) with
//! 20,000 annotations ([`yinwen::report::bench_workspace`]): the directive register, the code
//! matrix by document and by group, and tag co-occurrence by overlap and by paragraph
//! (target ≤ 300 ms each). Run with `cargo bench --bench corpus`.

use std::time::{Duration, Instant};

use yinwen::model::DocFilter;
use yinwen::report::{
    ColumnsBy, CooccurrenceMode, RegisterOptions, code_matrix, cooccurrence, register,
};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<R>(label: &str, runs: usize, mut f: impl FnMut() -> R) {
    let times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    println!(
        "{label:<44} median {:>8.1} ms",
        median(times).as_secs_f64() * 1e3
    );
}

fn main() {
    let t = Instant::now();
    let ws = yinwen::report::bench_workspace(2_500, 20_000);
    let bytes: usize = ws.documents.iter().map(|d| d.text.len()).sum();
    println!(
        "workspace: {} documents, {:.1} MB, {} annotations, {} tags (built in {:.1} s)",
        ws.documents.len(),
        bytes as f64 / 1e6,
        ws.annotations.len(),
        ws.tags.len(),
        t.elapsed().as_secs_f64()
    );
    let all = DocFilter::default();
    let reg = register(&ws, &all, &RegisterOptions::default());
    println!(
        "register: {} entries, {} quotations, {} with variants",
        reg.entries.len(),
        reg.occurrence_count(),
        reg.entries.iter().filter(|e| e.variants() > 1).count()
    );
    time("register (target ≤ 300 ms)", 7, || {
        register(&ws, &all, &RegisterOptions::default())
    });
    time("matrix by document (target ≤ 300 ms)", 7, || {
        code_matrix(&ws, &all, &ColumnsBy::Document)
    });
    time("matrix by group (target ≤ 300 ms)", 7, || {
        code_matrix(&ws, &all, &ColumnsBy::Group)
    });
    time("co-occurrence, overlap (target ≤ 300 ms)", 7, || {
        cooccurrence(&ws, &all, CooccurrenceMode::Overlap)
    });
    time("co-occurrence, paragraph (target ≤ 300 ms)", 7, || {
        cooccurrence(&ws, &all, CooccurrenceMode::Paragraph)
    });
    let group = DocFilter {
        group: Some("2010".into()),
        ..Default::default()
    };
    time("register, one year's group", 7, || {
        register(&ws, &group, &RegisterOptions::default())
    });
    time("register with candidates, one year's group", 1, || {
        register(&ws, &group, &RegisterOptions { candidates: true })
    });
}
