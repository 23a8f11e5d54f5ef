//! Shared inputs of the benchmarks.
#![allow(dead_code)]

use std::path::Path;

use yinwen::import::{EncodingChoice, decode_bytes, import_file};

/// ~1 MB (UTF-8 bytes) of real speech text: the seed and corpus texts of the project repeated.
pub fn speech_1mb() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parts: Vec<String> = [
        "sample_data/changchun-community-2007.txt",
        "tests/data/cpc17_report_2007_hu_jintao.txt",
        "tests/data/cpc19_report_2017_xi_jinping.txt",
        "tests/data/xi_2015-06-12_chen_yun_110th_speech.txt",
    ]
    .iter()
    .map(|f| {
        let b = std::fs::read(dir.join(f)).unwrap();
        decode_bytes(&b, EncodingChoice::Auto).unwrap().text
    })
    .collect();
    let mut s = String::new();
    while s.len() < 1_000_000 {
        for p in &parts {
            s.push_str(p);
            s.push('\n');
        }
    }
    s
}

/// A small deterministic generator (no extra dependency).
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..n` (0 when `n` is 0).
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The corpus texts of `tests/data` (UTF-8 twins only), decoded, in name order.
pub fn corpus_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt") && !p.to_string_lossy().ends_with(".gbk.txt")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| import_file(p, EncodingChoice::Auto).unwrap().text)
        .collect()
}
