//! Analysis benchmarks (issue 4): directive detection on ~1 MB, and verification of 200
//! quotations against every text in tests/data (index built once). Run with
//! `cargo bench --bench analysis`.

mod common;
use common::*;

use std::path::Path;
use std::time::{Duration, Instant};

use yinwen::analysis::detect;
use yinwen::analysis::verify::{SourceIndex, Status};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Prints the median of 15 detections of `text`.
fn time_detect(label: &str, text: &str) {
    let times: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(detect(text));
            t.elapsed()
        })
        .collect();
    println!("{label:<52} median {}", ms(median(times)));
}

fn main() {
    let sources = corpus_texts();
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/changchun-community-2007.txt"),
    )
    .unwrap();
    let mut big = String::new();
    while big.len() < 1_000_000 {
        big.push_str(&seed);
        for s in &sources {
            big.push_str(s);
            big.push('\n');
        }
    }
    let det = detect(&big);
    println!(
        "detect: {} bytes, {} chars → {} directives, {} terms, {} references, {} warnings",
        big.len(),
        big.chars().count(),
        det.directives.len(),
        det.terms.len(),
        det.references.len(),
        det.warnings.len()
    );
    time_detect("detect on ~1 MB (target ≤ 20 ms)", &big);

    // The gold set (tests/gold: traditional characters, hard-wrapped PDF copies, web pages),
    // repeated to ~1 MB: the path that maps Traditional characters and joins wrapped lines.
    let gold_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/dev");
    let mut gold_texts: Vec<String> = std::fs::read_dir(&gold_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    gold_texts.sort();
    let mut gold = String::new();
    while gold.len() < 1_000_000 {
        for t in &gold_texts {
            gold.push_str(t);
            gold.push('\n');
        }
    }
    let det = detect(&gold);
    println!(
        "gold: {} bytes → {} directives, {} terms, {} warnings",
        gold.len(),
        det.directives.len(),
        det.terms.len(),
        det.warnings.len()
    );
    time_detect("detect on ~1 MB of the gold set (target ≤ 20 ms/MB)", &gold);

    // 200 quotations: 50 exact, 50 with one char changed, 50 abridged, 50 absent.
    let total: usize = sources.iter().map(|s| s.chars().count()).sum();
    let mut rng = Lcg(3);
    let mut quotes = Vec::new();
    for k in 0..200 {
        let s: Vec<char> = sources[k % sources.len()].chars().collect();
        let len = 20 + rng.next(100);
        let start = rng.next(s.len().saturating_sub(len + 1));
        let mut q: Vec<char> = s[start..start + len].to_vec();
        match k % 4 {
            1 => {
                let i = 5 + rng.next(len - 10);
                q[i] = if q[i] == '国' { '家' } else { '国' };
            }
            2 => {
                let cut = len / 3;
                q.splice(cut..2 * cut, "……".chars());
            }
            3 => q.reverse(),
            _ => {}
        }
        quotes.push(q.into_iter().collect::<String>());
    }
    let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
    let t = Instant::now();
    let index = SourceIndex::new(&refs);
    let build = t.elapsed();
    let mut runs = Vec::new();
    let mut counts = [0usize; 4];
    for r in 0..7 {
        let t = Instant::now();
        for q in &quotes {
            let m = index.find(q);
            if r == 0 {
                counts[match m.status {
                    Status::Verbatim => 0,
                    Status::Variant => 1,
                    Status::Abridged => 2,
                    Status::NotFound => 3,
                }] += 1;
            }
        }
        runs.push(t.elapsed());
    }
    println!(
        "sources: {} texts, {} chars; index built in {}",
        sources.len(),
        total,
        ms(build)
    );
    println!(
        "{:<52} median {}  (verbatim {}, variant {}, abridged {}, not found {})",
        "verify 200 quotations (target ≤ 200 ms)",
        ms(median(runs)),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
}
