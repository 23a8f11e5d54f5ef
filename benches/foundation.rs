//! Foundation benchmarks (issue 2): import of a ~1 MB speech, and frame times of the reading
//! view in a headless egui context. Run with `cargo bench --bench foundation`; results go in
//! BENCHMARKS.md. Timings are wall-clock medians / 95th percentiles over repeated runs.

mod common;
use common::*;

use std::time::{Duration, Instant};

use yinwen::import::{EncodingChoice, decode_bytes};
use yinwen::model::{DocMeta, Document, Origin};
use yinwen::ui::{fonts, reader};

struct Stats {
    median: Duration,
    p95: Duration,
    min: Duration,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    Stats {
        median: v[v.len() / 2],
        p95: v[(v.len() * 95 / 100).min(v.len() - 1)],
        min: v[0],
    }
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Stats {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    stats(v)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn report(name: &str, s: &Stats) {
    println!(
        "{name:<44} median {:>11}  p95 {:>11}  min {:>11}",
        ms(s.median),
        ms(s.p95),
        ms(s.min)
    );
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn raw_input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 900.0),
        )),
        events,
        ..Default::default()
    }
}

fn frame(
    ctx: &egui::Context,
    doc: &Document,
    st: &mut reader::ReaderState,
    events: Vec<egui::Event>,
) {
    let out = ctx.run_ui(raw_input(events), |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            reader::show(ui, doc, st, 18.0, &reader::Overlay::default());
        });
    });
    std::hint::black_box(out);
}

fn main() {
    // `cargo bench` passes --bench; a filter argument is not supported.
    let text = speech_1mb();
    let utf8 = text.as_bytes().to_vec();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let gbk = gbk.into_owned();
    println!(
        "document: {} bytes UTF-8, {} bytes GB18030, {} chars",
        utf8.len(),
        gbk.len(),
        text.chars().count()
    );

    report(
        "import: detect + decode UTF-8 (1 MB)",
        &time(40, || decode_bytes(&utf8, EncodingChoice::Auto).unwrap()),
    );
    report(
        "import: detect + decode GB18030 (1 MB)",
        &time(40, || decode_bytes(&gbk, EncodingChoice::Auto).unwrap()),
    );

    let doc = Document::new(text, Origin::default(), DocMeta::default());
    report(
        "reader state: paragraphs + char index",
        &time(40, || reader::ReaderState::new(&doc)),
    );

    // Cold: a fresh context, fonts installed, first frame includes font loading.
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..8 {
        let ctx = egui::Context::default();
        ctx.set_fonts(fonts::font_definitions());
        let t = Instant::now();
        let mut st = reader::ReaderState::new(&doc);
        frame(&ctx, &doc, &mut st, vec![]);
        cold.push(t.elapsed());
        // Warm: fonts already loaded, a newly opened document.
        let t = Instant::now();
        let mut st = reader::ReaderState::new(&doc);
        let other = Document::new(
            doc.text.clone() + "。",
            Origin::default(),
            DocMeta::default(),
        );
        frame(&ctx, &other, &mut st, vec![]);
        warm.push(t.elapsed());
    }
    report("first frame, cold context (fonts load)", &stats(cold));
    report("first frame, document newly opened", &stats(warm));

    let ctx = egui::Context::default();
    ctx.set_fonts(fonts::font_definitions());
    let mut st = reader::ReaderState::new(&doc);
    for _ in 0..5 {
        frame(&ctx, &doc, &mut st, vec![]);
    }
    report(
        "steady frame (nothing changes)",
        &time(300, || frame(&ctx, &doc, &mut st, vec![])),
    );

    let hover = egui::Event::PointerMoved(egui::pos2(600.0, 450.0));
    frame(&ctx, &doc, &mut st, vec![hover.clone()]);
    let wheel = |dy: f32| egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    };
    let mut i = 0;
    let scroll = time(400, || {
        i += 1;
        let dy = if (i / 200) % 2 == 0 { -120.0 } else { 120.0 };
        frame(&ctx, &doc, &mut st, vec![hover.clone(), wheel(dy)]);
    });
    report("scrolling frame (120 pt per frame)", &scroll);

    // Jump far: every frame shows paragraphs never seen before.
    let n = st.paragraphs.len();
    let mut k = 0;
    let jumps = time(200, || {
        k = (k + 97) % n;
        st.scroll_to = Some(k);
        frame(&ctx, &doc, &mut st, vec![]);
    });
    report("jump frame (unseen paragraphs)", &jumps);
    println!("resident memory after all of the above: {:.0} MB", rss_mb());
}
