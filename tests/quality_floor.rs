//! Detection quality as a regression test: the gold set (`tests/gold/`, real texts with
//! hand-made truth files, split into `dev/` — the 25 texts the rules were written against —
//! and `locked/`, which no rule is tuned on) is scored as `yinwen eval` scores it, and each
//! part's totals must not drop below the floors recorded in QUALITY.md. Not a timing test: the
//! numbers are counts.

use std::path::Path;

use yinwen::analysis::eval::evaluate_dir;

/// The floors: a little under the figures recorded in QUALITY.md, so that a change that
/// makes detection worse fails here, and one that improves it raises them.
const RECALL: f64 = 0.90;
const PRECISION: f64 = 0.97;
const ATTRIBUTION: f64 = 0.76;
const SPEAKER_OR_SOURCE: f64 = 0.87;
const DATE: f64 = 0.86;
/// Of the directives detected with confidence ≥ 0.8, the share that are true (the goal is
/// at least 90 %).
const CONFIDENT_PRECISION: f64 = 0.95;
const WARNINGS: f64 = 0.85;

#[test]
fn the_gold_set_stays_above_its_floor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold");
    let r = evaluate_dir(&dir).expect("the gold set is readable");
    let dev = r.part("dev").expect("tests/gold/dev");
    let t = &dev.total;
    let dev_files = r
        .files
        .iter()
        .filter(|f| f.part.as_deref() == Some("dev"))
        .count();
    assert!(dev_files >= 20, "{dev_files} texts");
    assert!(
        t.truth_directives >= 250,
        "{} directives",
        t.truth_directives
    );
    let share = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    let checks = [
        ("recall", t.recall(), RECALL),
        ("precision", t.precision(), PRECISION),
        (
            "attribution (speaker or source, and date)",
            t.attribution(),
            ATTRIBUTION,
        ),
        (
            "speaker or source",
            share(t.speaker_or_source_right, t.found),
            SPEAKER_OR_SOURCE,
        ),
        ("date", share(t.date_right, t.found), DATE),
        (
            "warnings found",
            share(t.warnings_found, t.truth_warnings),
            WARNINGS,
        ),
    ];
    for (what, got, floor) in checks {
        assert!(
            got >= floor,
            "{what}: {got:.3} fell below the floor {floor}"
        );
    }
    assert_eq!(t.references_found, t.truth_references, "every 文号 found");
    let (detected, correct) = r
        .calibration
        .iter()
        .filter(|b| b.min >= 0.8)
        .fold((0, 0), |(d, c), b| (d + b.detected, c + b.correct));
    assert!(
        share(correct, detected) >= CONFIDENT_PRECISION,
        "confidence ≥ 0.8: {correct} of {detected} true"
    );
}
