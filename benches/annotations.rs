//! Annotation benchmarks (issue 3): a ~1 MB document with 10,000 annotations. Frame times of
//! the reading view with all marks drawn, the frame after adding one annotation (command +
//! marks rebuilt + re-layout of the touched paragraph), re-anchoring after edits, and saving
//! and loading the workspace. Run with `cargo bench --bench annotations`.

mod common;
use common::*;

use std::time::{Duration, Instant};

use yinwen::model::{
    Anchor, AnnId, Annotation, CharIndex, Command, DocMeta, Document, Origin, Tag, TagId,
    Workspace, default_tag_color,
};
use yinwen::store;
use yinwen::ui::annotate::build_marks;
use yinwen::ui::{fonts, reader};

fn workspace(text: String, n: usize) -> Workspace {
    let mut ws = Workspace::new();
    ws.apply(Command::AddDocument(Box::new(Document::new(
        text,
        Origin::default(),
        DocMeta::default(),
    ))))
    .unwrap();
    let doc = ws.documents[0].id;
    for i in 0..8 {
        ws.apply(Command::AddTag(Box::new(Tag {
            id: TagId(0),
            name: format!("标签{i}"),
            parent: None,
            color: yinwen::model::PALETTE[i].into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        })))
        .unwrap();
    }
    let tags: Vec<TagId> = ws.tags.iter().map(|t| t.id).collect();
    let text = ws.documents[0].text.clone();
    let index = CharIndex::new(&text);
    let len = index.char_len();
    let mut rng = Lcg(7);
    let mut anns = Vec::with_capacity(n);
    for k in 0..n {
        let start = rng.next(len - 50);
        let end = start + 2 + rng.next(40);
        anns.push(Annotation {
            id: AnnId(1000 + k as u64),
            doc,
            anchor: Anchor::new(&text, &index, start..end),
            color: default_tag_color(),
            note: if k % 3 == 0 {
                format!("批注{k}：要点")
            } else {
                String::new()
            },
            tags: vec![tags[k % tags.len()]],
            orphan: false,
            directive: None,
        });
    }
    ws.annotations = anns;
    ws.normalize();
    ws
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

fn report(name: &str, v: Vec<Duration>) {
    let (m, p) = stats(v);
    println!(
        "{name:<52} median {:>9.3} ms  p95 {:>9.3} ms",
        m.as_secs_f64() * 1e3,
        p.as_secs_f64() * 1e3
    );
}

fn frame(
    ctx: &egui::Context,
    doc: &Document,
    st: &mut reader::ReaderState,
    marks: &[reader::Mark],
) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 900.0),
        )),
        ..Default::default()
    };
    let overlay = reader::Overlay {
        marks,
        ..Default::default()
    };
    std::hint::black_box(ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            reader::show(ui, doc, st, 18.0, &overlay);
        });
    }));
}

fn main() {
    let mut ws = workspace(speech_1mb(), 10_000);
    let doc_id = ws.documents[0].id;
    println!(
        "document: {} bytes, {} annotations",
        ws.documents[0].text.len(),
        ws.annotations.len()
    );
    let ctx = egui::Context::default();
    ctx.set_fonts(fonts::font_definitions());
    let doc = ws.documents[0].clone();
    let mut st = reader::ReaderState::new(&doc);
    let marks = build_marks(&ws, doc_id, None);
    for _ in 0..5 {
        frame(&ctx, &doc, &mut st, &marks);
    }
    report(
        "steady frame, 10k annotations",
        (0..300)
            .map(|_| {
                let t = Instant::now();
                frame(&ctx, &doc, &mut st, &marks);
                t.elapsed()
            })
            .collect(),
    );

    // Add one annotation in view each time: command, marks rebuilt, one frame.
    let text = doc.text.clone();
    let mut adds = Vec::new();
    for k in 0..60 {
        let p = &st.paragraphs[k % 4];
        let r = p.chars.start + 1..p.chars.start + 5 + k % 7;
        let t = Instant::now();
        let ann = Annotation {
            id: AnnId(0),
            doc: doc_id,
            anchor: Anchor::new(&text, &st.index, r),
            color: default_tag_color(),
            note: String::new(),
            tags: vec![],
            orphan: false,
            directive: None,
        };
        ws.apply(Command::AddAnnotation(Box::new(ann))).unwrap();
        let marks = build_marks(&ws, doc_id, None);
        frame(&ctx, &doc, &mut st, &marks);
        adds.push(t.elapsed());
    }
    report("add one annotation: command + marks + frame", adds);

    let mut saves = Vec::new();
    let mut loads = Vec::new();
    let mut bytes = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let s = store::to_ron_string(&ws).unwrap();
        saves.push(t.elapsed());
        bytes = s.len();
        let t = Instant::now();
        let back = store::from_ron_str(&s).unwrap();
        loads.push(t.elapsed());
        assert_eq!(back.annotations.len(), ws.annotations.len());
    }
    println!("workspace file: {:.1} MB", bytes as f64 / 1e6);
    report("save (serialise to RON)", saves);
    report("load (parse RON, check version, normalise)", loads);
    let dir = std::env::temp_dir().join(format!("yinwen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ws.ron");
    let mut disk = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        store::save(&ws, &path).unwrap();
        disk.push(t.elapsed());
    }
    report("save to disk (atomic: temp file, fsync, rename)", disk);
    let _ = std::fs::remove_dir_all(&dir);

    // Exports of the whole workspace (1 MB, 10k annotations) to every format.
    for format in yinwen::export::Format::ALL {
        let opts = yinwen::export::ExportOptions::default();
        let times: Vec<Duration> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let b = yinwen::export::export_bytes(&ws, format, &opts).unwrap();
                std::hint::black_box(b.len());
                t.elapsed()
            })
            .collect();
        let size = yinwen::export::export_bytes(&ws, format, &opts)
            .unwrap()
            .len();
        report(
            &format!(
                "export {format} ({:.1} MB, target ≤ 1 s)",
                size as f64 / 1e6
            ),
            times,
        );
    }

    // Re-anchoring 10k annotations after 20 scattered edits.
    let mut edited = text.clone();
    let mut rng = Lcg(11);
    for _ in 0..20 {
        let mut b = rng.next(edited.len());
        while !edited.is_char_boundary(b) {
            b -= 1;
        }
        edited.insert_str(b, "（插入的修订文字）");
    }
    let mut re = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let (cmd, orphans, _) = ws
            .update_text(doc_id, edited.clone(), Origin::default())
            .unwrap();
        std::hint::black_box((cmd, orphans));
        re.push(t.elapsed());
    }
    report("update text: re-anchor 10k annotations, 20 edits", re);

    // 20 one-char corrections inside annotated passages: each is followed approximately.
    let mut chars: Vec<char> = text.chars().collect();
    let step = ws.annotations.len() / 20;
    for a in ws.annotations.iter().step_by(step.max(1)).take(20) {
        let mid = (a.anchor.start.0 + a.anchor.end.0) / 2;
        if mid < chars.len() {
            chars[mid] = if chars[mid] == '正' { '改' } else { '正' };
        }
    }
    let corrected: String = chars.into_iter().collect();
    let mut re = Vec::new();
    let mut changed_n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (cmd, orphans, changed) = ws
            .update_text(doc_id, corrected.clone(), Origin::default())
            .unwrap();
        changed_n = changed;
        std::hint::black_box((cmd, orphans));
        re.push(t.elapsed());
    }
    report(
        &format!("update text: 20 corrections inside passages ({changed_n} changed), ≤ 100 ms"),
        re,
    );

    // Merging a colleague's copy: both started from the same 10k annotations; they added
    // 2,000 (under IDs that collide with ours) and rewrote 500 notes, we rewrote 500 others.
    let base = workspace(speech_1mb(), 10_000);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    for (k, a) in ours.annotations.iter_mut().enumerate().take(500) {
        a.note = format!("我们改的{k}");
    }
    for (k, a) in theirs
        .annotations
        .iter_mut()
        .enumerate()
        .skip(250)
        .take(500)
    {
        a.note = format!("他们改的{k}");
    }
    let extra = workspace(speech_1mb(), 2_000);
    let next = theirs.next_id;
    for (k, mut a) in extra.annotations.into_iter().enumerate() {
        a.id = AnnId(next + k as u64);
        a.doc = theirs.documents[0].id;
        theirs.annotations.push(a);
    }
    theirs.normalize();
    let mut merges = Vec::new();
    let mut conflicts = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let plan = yinwen::model::merge::plan_merge(&ours, &theirs);
        let mut c = ours.clone();
        c.apply(plan.command_all(yinwen::model::merge::Resolution::Both))
            .unwrap();
        merges.push(t.elapsed());
        conflicts = plan.conflicts.len();
        std::hint::black_box(c);
    }
    println!("merge: {conflicts} conflicts");
    report(
        "merge 10k + 2k new + 2×500 edited notes (plan+apply)",
        merges,
    );
}
