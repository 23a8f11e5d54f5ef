//! A background job's copy of a large workspace (issue 17): 50 MB of document text in 40
//! documents and 10,000 annotations. Jobs (export, verify all, merge planning, autosave) take
//! a copy of the workspace; documents are shared (`Arc`), so the copy must not copy the texts.
//! Run with `cargo bench --bench snapshot`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use yinwen::model::{
    Anchor, AnnId, Annotation, CharIndex, Command, DocMeta, Document, Origin, Workspace,
};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample_data/changchun-community-2007.txt"),
    )
    .unwrap();
    let mut ws = Workspace::new();
    let per_doc = seed.repeat(1_250_000 / seed.len() + 1);
    for _ in 0..40 {
        ws.apply(Command::AddDocument(Box::new(Document::new(
            per_doc.clone(),
            Origin::default(),
            DocMeta::default(),
        ))))
        .unwrap();
    }
    let bytes: usize = ws.documents.iter().map(|d| d.text.len()).sum();
    let doc = ws.documents[0].id;
    let index = CharIndex::new(&ws.documents[0].text);
    let text = ws.documents[0].text.clone();
    for i in 0..10_000 {
        let s = (i * 37) % 300_000;
        ws.apply(Command::AddAnnotation(Box::new(Annotation {
            id: AnnId(0),
            doc,
            anchor: Anchor::new(&text, &index, s..s + 12),
            color: "#E8A33D".into(),
            note: format!("批注{i}"),
            tags: Vec::new(),
            orphan: false,
            directive: None,
        })))
        .unwrap();
    }
    println!(
        "workspace: {:.1} MB of text in {} documents, {} annotations",
        bytes as f64 / 1e6,
        ws.documents.len(),
        ws.annotations.len()
    );

    let times: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            let copy = std::hint::black_box(ws.clone());
            let e = t.elapsed();
            assert!(
                copy.documents
                    .iter()
                    .zip(&ws.documents)
                    .all(|(a, b)| Arc::ptr_eq(a, b)),
                "the copy shares every document"
            );
            e
        })
        .collect();
    println!(
        "{:<52} median {:.3} ms",
        "a job's copy of the workspace (texts shared)",
        median(times).as_secs_f64() * 1e3
    );

    // For comparison: what the copy cost when every text was copied too.
    let times: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            let deep: Vec<Document> = ws.documents.iter().map(|d| (**d).clone()).collect();
            let copy = std::hint::black_box((deep, ws.annotations.clone()));
            let e = t.elapsed();
            drop(copy);
            e
        })
        .collect();
    println!(
        "{:<52} median {:.3} ms",
        "the same with every text copied (before)",
        median(times).as_secs_f64() * 1e3
    );

    // An edit while a job holds its copy copies only the document it changes.
    let job = ws.clone();
    let t = Instant::now();
    let mut meta = ws.documents[5].meta.clone();
    meta.title = "改过的标题".into();
    ws.apply(Command::SetDocMeta(ws.documents[5].id, meta))
        .unwrap();
    let e = t.elapsed();
    let shared = job
        .documents
        .iter()
        .zip(&ws.documents)
        .filter(|(a, b)| Arc::ptr_eq(a, b))
        .count();
    println!(
        "{:<52} {:.3} ms ({shared} of {} documents still shared)",
        "edit one document's details while a job holds a copy",
        e.as_secs_f64() * 1e3,
        ws.documents.len()
    );
}
