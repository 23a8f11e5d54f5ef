//! Review desk benchmarks (issue 12): the whole window on a ~1 MB speech with thousands of
//! text warnings and candidate directives. Frame times with the desk closed, with the Problems
//! list and with the Directive table (both lay out only the rows in view), and the frame after
//! a quick fix (correction command, detection of the new text, marks and rows rebuilt).
//! Run with `cargo bench --bench review`.

mod common;
use common::*;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use yinwen::ui::app::YinwenApp;
use yinwen::ui::review::ReviewTab;

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{name:<52} median {:>10}  p95 {:>10}",
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 95 / 100).min(v.len() - 1)])
    );
}

fn frames(h: &mut Harness<'static, YinwenApp>, n: usize) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            h.step();
            t.elapsed()
        })
        .collect()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.txt");
    // The seed speech (2O05, 20xx, debris, six attributed quotations) repeated to ~1 MB:
    // a worst case for the lists, with a problem or a candidate every few hundred chars.
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample_data/changchun-community-2007.txt"),
    )
    .unwrap();
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(&seed);
        text.push('\n');
    }
    let _ = speech_1mb;
    std::fs::write(&file, text).unwrap();
    let mut h = open_window(vec![file]);
    let det = h.state_mut().detection().unwrap();
    println!(
        "document: {} chars, {} warnings, {} candidate directives",
        h.state().current_document().unwrap().char_count(),
        det.warnings.len(),
        det.directives.len()
    );

    h.state_mut().review.open = false;
    h.run_steps(3);
    report("steady frame, review desk closed", frames(&mut h, 100));

    h.state_mut().review.open = true;
    h.state_mut().review.tab = ReviewTab::Problems;
    h.run_steps(3);
    report("steady frame, Problems list", frames(&mut h, 100));

    h.state_mut().review.tab = ReviewTab::Directives;
    h.run_steps(3);
    report("steady frame, Directive table", frames(&mut h, 100));

    h.state_mut().review.tab = ReviewTab::Problems;
    h.run_steps(3);
    let mut fixes = Vec::new();
    for _ in 0..10 {
        let doc = h.state().current.unwrap();
        let det = h.state_mut().detection().unwrap();
        let w = det
            .warnings
            .iter()
            .find(|w| w.kind == "digit_letter_confusion")
            .expect("a letter for a digit")
            .clone();
        let t = Instant::now();
        h.state_mut().correct(yinwen::ui::review::Correction {
            doc,
            range: w.start..w.end,
            replacement: w.suggestion.clone().unwrap(),
            kind: w.kind.clone(),
        });
        h.step();
        fixes.push(t.elapsed());
    }
    report("quick fix: command + detection + marks + frame", fixes);
}
