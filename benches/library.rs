//! Source library benchmarks: a ~100 MB library of ~5,000 documents built from the corpus
//! with variations (a header of its own, a slice of a corpus text, about one char in 100
//! changed), then
//! * indexing from scratch (MB/s);
//! * updating after one changed file;
//! * opening the library;
//! * 200 quotations (100 exact, 50 with one char changed, 50 absent) found with their
//!   status, single-threaded and on 2 threads, side by side with `rg -F -f exact.txt DIR`
//!   (ripgrep finding only the 100 exact ones; skipped when `rg` is not installed).
//!
//! Run with `cargo bench --bench library` (YINWEN_BENCH_MB=20 for a smaller library,
//! YINWEN_BENCH_DIR=/some/folder to keep it).

mod common;
use common::corpus_texts;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use yinwen::analysis::verify::Status;
use yinwen::library::{Library, index_folder};
use yinwen::progress::Progress;

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<Vec<char>> {
    corpus_texts().iter().map(|t| t.chars().collect()).collect()
}

const ISSUERS: &[&str] = &[
    "国发",
    "国办发",
    "中发",
    "京政发",
    "浙政办发",
    "川府发",
    "民发",
];

/// Writes the library; returns the documents' texts.
fn build(dir: &Path, target_bytes: usize, rng: &mut Rng) -> Vec<String> {
    let corpus = corpus();
    let mut docs = Vec::new();
    let mut total = 0;
    let mut n = 0;
    while total < target_bytes {
        let src = &corpus[rng.below(corpus.len())];
        let len = 4000 + rng.below(6000);
        let start = rng.below(src.len().saturating_sub(len).max(1));
        let mut body: Vec<char> = src[start..(start + len).min(src.len())].to_vec();
        // About one char in a hundred changed to another char of the same text.
        for _ in 0..body.len() / 100 {
            let i = rng.below(body.len());
            if body[i] != '\n' {
                body[i] = src[rng.below(src.len())];
            }
        }
        let year = 1990 + rng.below(35);
        let issuer = ISSUERS[rng.below(ISSUERS.len())];
        let text = format!(
            "关于做好第{n}项工作的通知\n{issuer}〔{year}〕{}号\n各有关单位：\n{}\n{year}年{}月{}日\n",
            n % 300 + 1,
            body.iter().collect::<String>(),
            rng.below(12) + 1,
            rng.below(28) + 1
        );
        total += text.len();
        let sub = dir.join(format!("{:02}", n % 50));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("doc{n:05}.txt")), &text).unwrap();
        docs.push(text);
        n += 1;
    }
    docs
}

/// 100 exact passages, 50 with one char changed, 50 absent (sentences of gold speeches,
/// which are not in the corpus).
fn queries(docs: &[String], rng: &mut Rng) -> Vec<(String, Status)> {
    let mut out = Vec::new();
    while out.len() < 150 {
        let d: Vec<char> = docs[rng.below(docs.len())].chars().collect();
        let len = 18 + rng.below(22);
        let s = 100 + rng.below(d.len().saturating_sub(200 + len));
        let q: Vec<char> = d[s..s + len].to_vec();
        if q.iter().any(|c| c.is_whitespace() || "“”‘’".contains(*c))
            || q.iter()
                .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(*c))
                .count()
                < len * 4 / 5
        {
            continue;
        }
        if out.len() < 100 {
            out.push((q.iter().collect(), Status::Verbatim));
        } else {
            let mut q = q;
            let i = len / 2;
            q[i] = if q[i] == '国' { '家' } else { '国' };
            out.push((q.iter().collect(), Status::Variant));
        }
    }
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/dev");
    let mut sentences = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(gold)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        let t = std::fs::read_to_string(p).unwrap();
        for s in t.split(['。', '\n']) {
            let n = s.chars().count();
            if (20..=40).contains(&n) && !s.contains(['“', '”']) {
                sentences.push(s.trim().to_string());
            }
        }
    }
    while out.len() < 200 {
        out.push((
            sentences[rng.below(sentences.len())].clone(),
            Status::NotFound,
        ));
    }
    out
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn main() {
    let mb: usize = std::env::var("YINWEN_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let tmp = tempfile::tempdir().unwrap();
    // YINWEN_BENCH_DIR keeps the library (e.g. to open it in the window and measure memory).
    let dir = std::env::var_os("YINWEN_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("library"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd);
    let t = Instant::now();
    let docs = build(&dir, mb * 1_000_000, &mut rng);
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    println!(
        "library: {} documents, {:.1} MB (written in {})",
        docs.len(),
        bytes as f64 / 1e6,
        secs(t.elapsed())
    );

    let t = Instant::now();
    let r = index_folder(&dir, &Progress::new()).unwrap();
    let took = t.elapsed();
    assert_eq!(r.added, docs.len());
    println!(
        "index from scratch: {} ({:.1} MB/s)",
        secs(took),
        bytes as f64 / 1e6 / took.as_secs_f64()
    );
    let index_bytes: u64 = walk_size(&dir.join(".yinwen-library"));
    println!(
        "index on disk: {:.1} MB ({:.2}× the texts)",
        index_bytes as f64 / 1e6,
        index_bytes as f64 / bytes as f64
    );

    // Update after one changed file.
    let one = dir.join("07/doc00007.txt");
    let text = std::fs::read_to_string(&one).unwrap();
    std::fs::write(&one, text.replacen('的', "之", 3)).unwrap();
    let t = Instant::now();
    let r = index_folder(&dir, &Progress::new()).unwrap();
    println!("update after one changed file: {}", secs(t.elapsed()));
    assert_eq!(r.changed, 1);
    let t = Instant::now();
    index_folder(&dir, &Progress::new()).unwrap();
    println!("update with nothing changed: {}", secs(t.elapsed()));

    // Open.
    let mut opens = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let lib = Library::open(std::slice::from_ref(&dir)).unwrap();
        opens.push(t.elapsed());
        assert_eq!(lib.document_count(), docs.len());
    }
    opens.sort();
    println!("open the library: {} (median of 5)", secs(opens[2]));

    // 200 quotations.
    let lib = Library::open(std::slice::from_ref(&dir)).unwrap();
    let qs = queries(&docs, &mut rng);
    let check = |results: &[(usize, Status)]| {
        let mut right = 0;
        for (i, st) in results {
            if *st == qs[*i].1 {
                right += 1;
            }
        }
        right
    };
    // Warm the page cache and the reader once.
    for (q, _) in qs.iter().take(5) {
        lib.find(q, 5);
    }
    let t = Instant::now();
    let results: Vec<(usize, Status)> = qs
        .iter()
        .enumerate()
        .map(|(i, (q, _))| {
            (
                i,
                lib.find(q, 5)
                    .first()
                    .map(|m| m.status)
                    .unwrap_or(Status::NotFound),
            )
        })
        .collect();
    let one_thread = t.elapsed();

    let right = check(&results);
    let t = Instant::now();
    let results2: Vec<(usize, Status)> = std::thread::scope(|s| {
        let halves: Vec<_> = [0usize, 1]
            .iter()
            .map(|&h| {
                let lib = &lib;
                let qs = &qs;
                s.spawn(move || {
                    qs.iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == h)
                        .map(|(i, (q, _))| {
                            (
                                i,
                                lib.find(q, 5)
                                    .first()
                                    .map(|m| m.status)
                                    .unwrap_or(Status::NotFound),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let two_threads = t.elapsed();
    assert_eq!(check(&results2), right);
    let by = |st: Status| {
        let total = qs.iter().filter(|(_, s)| *s == st).count();
        let ok = results
            .iter()
            .filter(|(i, s)| qs[*i].1 == st && *s == st)
            .count();
        format!("{ok}/{total}")
    };
    println!(
        "200 quotations: {} on 1 thread, {} on 2 threads; right status {right}/200 (verbatim {}, variant {}, not found {})",
        secs(one_thread),
        secs(two_threads),
        by(Status::Verbatim),
        by(Status::Variant),
        by(Status::NotFound)
    );
    for (i, st) in &results {
        if *st != qs[*i].1 {
            println!("  expected {:?}, got {:?}: {}", qs[*i].1, st, qs[*i].0);
        }
    }

    // ripgrep, side by side, on the 100 exact ones.
    let exact: Vec<&str> = qs
        .iter()
        .filter(|(_, s)| *s == Status::Verbatim)
        .map(|(q, _)| q.as_str())
        .collect();
    let qfile = tmp.path().join("exact.txt");
    std::fs::write(&qfile, exact.join("\n")).unwrap();
    let rg = |_: ()| {
        std::process::Command::new("rg")
            .args(["-F", "-c", "-f"])
            .arg(&qfile)
            .arg(&dir)
            .output()
    };
    match rg(()) {
        Ok(_) => {
            let mut times = Vec::new();
            for _ in 0..3 {
                let t = Instant::now();
                rg(()).unwrap();
                times.push(t.elapsed());
            }
            times.sort();
            println!(
                "rg -F -f exact.txt (100 exact quotations only): {} (median of 3); Yinwen/rg = {:.2} (1 thread), {:.2} (2 threads)",
                secs(times[1]),
                one_thread.as_secs_f64() / times[1].as_secs_f64(),
                two_threads.as_secs_f64() / times[1].as_secs_f64()
            );
        }
        Err(_) => println!("rg not installed: side-by-side comparison skipped"),
    }
}

fn walk_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = e.metadata().unwrap();
            n += if m.is_dir() {
                walk_size(&e.path())
            } else {
                m.len()
            };
        }
    }
    n
}
