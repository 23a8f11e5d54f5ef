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

/// Sentences of the corpus texts 20–60 chars long: the quotations the synthetic corpus's
/// speeches quote (each speech quotes a few, some abridged or with one character changed).
pub fn quotation_pool(texts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for t in texts {
        for s in t.split(['。', '\n']) {
            let s = s.trim();
            let n = s.chars().count();
            // Whole sentences of running text: no quotations, titles, lead-ins or datelines.
            if (20..=60).contains(&n)
                && !s.contains(['“', '”', '《', '》', '：', ':'])
                && !s.starts_with(['—', '（', '('])
                && !s.chars().any(|c| c.is_ascii_alphanumeric())
            {
                out.push(s.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A quotation written into a synthetic speech: start char, end char, speaker.
pub type Quoted = (usize, usize, String);

/// Writes a folder of `n` synthetic speeches of about `bytes` UTF-8 bytes each, in
/// subfolders by year and month (`2021/03/…`): real paragraphs of the corpus texts in a
/// different order for each speech, under a header (title, date, speaker), each quoting
/// three sentences of [`quotation_pool`] as `某某同志指出：“……”`. Returns the file paths in
/// order and, per file, the quotations it holds: (start char, end char, speaker).
pub fn write_speech_folder(
    dir: &Path,
    n: usize,
    bytes: usize,
) -> Vec<(std::path::PathBuf, Vec<Quoted>)> {
    let texts = corpus_texts();
    let paragraphs: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.lines())
        .map(str::trim)
        .filter(|l| l.chars().count() > 30)
        .collect();
    let pool = quotation_pool(&texts);
    let speakers = [
        "习近平",
        "李强",
        "赵乐际",
        "王沪宁",
        "蔡奇",
        "丁薛祥",
        "李希",
    ];
    let mut rng = Lcg(7);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let year = 2019 + i % 5;
        let month = 1 + (i / 5) % 12;
        let sub = dir.join(format!("{year}/{month:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        let mut text = format!(
            "在第{}次工作会议上的讲话\n\n（{year}年{month}月{}日）\n\n同志们：\n\n",
            i + 1,
            1 + i % 28
        );
        let mut quotes = Vec::new();
        let mut k = rng.next(paragraphs.len());
        let mut q = 0;
        while text.len() < bytes {
            text.push_str(paragraphs[k % paragraphs.len()]);
            k += 1 + rng.next(7);
            if q < 3 && rng.next(3) == 0 {
                let mut quote = pool[rng.next(pool.len())].clone();
                match rng.next(4) {
                    0 => {
                        // Abridged: the middle left out.
                        let c: Vec<char> = quote.chars().collect();
                        let third = c.len() / 3;
                        quote = c[..third].iter().collect::<String>()
                            + "……"
                            + &c[2 * third..].iter().collect::<String>();
                    }
                    1 => {
                        // A variant: one character changed.
                        let mut c: Vec<char> = quote.chars().collect();
                        let at = c.len() / 2;
                        c[at] = '要';
                        quote = c.into_iter().collect();
                    }
                    _ => {}
                }
                let speaker = speakers[rng.next(speakers.len())];
                text.push_str(&format!("{speaker}同志指出：“"));
                let start = text.chars().count();
                text.push_str(&quote);
                quotes.push((start, start + quote.chars().count(), speaker.to_string()));
                text.push_str("”。");
                q += 1;
            }
            text.push('\n');
        }
        let path = sub.join(format!("speech-{i:05}.txt"));
        std::fs::write(&path, &text).unwrap();
        out.push((path, quotes));
    }
    out
}

/// Adds `n` annotations to a workspace whose documents came from [`write_speech_folder`]
/// (`quotes` by the documents' file paths): every quotation as a directive annotation
/// attributed to its speaker, and tagged passages of 20–60 chars (one or two of 40 tags)
/// until there are `n`. Returns the number of directives.
pub fn annotate_corpus(
    ws: &mut yinwen::model::Workspace,
    quotes: &std::collections::HashMap<std::path::PathBuf, Vec<Quoted>>,
    n: usize,
) -> usize {
    use yinwen::model::{
        Anchor, AnnId, Annotation, Attribution, CharIndex, Command, DirectiveInfo, Tag, TagId,
    };
    let mut tags = Vec::new();
    for t in 0..40 {
        let parent = (t >= 8).then(|| tags[t % 8]);
        let inv = ws
            .apply(Command::AddTag(Box::new(Tag {
                id: TagId(0),
                name: format!("编码{t}"),
                parent,
                color: yinwen::model::PALETTE[t % 8].into(),
                description: String::new(),
                guid: String::new(),
                memo: String::new(),
            })))
            .unwrap();
        let Command::RemoveTag(id) = inv else {
            unreachable!()
        };
        tags.push(id);
    }
    let mut rng = Lcg(11);
    let mut next = ws.next_id.max(1000);
    let mut directives = 0;
    let mut anns = Vec::with_capacity(n);
    let docs: Vec<_> = ws.documents.clone();
    let per_doc = n.div_ceil(docs.len().max(1));
    for d in &docs {
        let idx = CharIndex::new(&d.text);
        let len = d.text.chars().count();
        let path = std::path::PathBuf::from(d.origin.path.clone().unwrap_or_default());
        let qs = quotes.get(&path).cloned().unwrap_or_default();
        for k in 0..per_doc {
            if anns.len() >= n {
                break;
            }
            let (range, directive) = match qs.get(k) {
                Some((s, e, speaker)) => {
                    let (s, e, speaker) = (*s, *e, speaker.clone());
                    directives += 1;
                    let at = Attribution {
                        speaker,
                        verb: "指出".into(),
                        confidence: 1.0,
                        ..Default::default()
                    };
                    (
                        s..e,
                        Some(DirectiveInfo {
                            attribution: at,
                            ..Default::default()
                        }),
                    )
                }
                None => {
                    let l = 20 + rng.next(40);
                    let s = rng.next(len.saturating_sub(l + 1));
                    (s..(s + l).min(len), None)
                }
            };
            let mut t = vec![tags[rng.next(tags.len())]];
            if rng.next(2) == 0 {
                t.push(tags[rng.next(tags.len())]);
            }
            t.sort();
            t.dedup();
            anns.push(Annotation {
                id: AnnId(next),
                doc: d.id,
                anchor: Anchor::new(&d.text, &idx, range),
                color: yinwen::model::PALETTE[rng.next(8)].into(),
                note: String::new(),
                tags: if directive.is_some() { Vec::new() } else { t },
                orphan: false,
                directive,
            });
            next += 1;
        }
    }
    ws.next_id = next;
    ws.annotations.extend(anns);
    ws.normalize();
    directives
}

/// The whole window (`YinwenApp` in a headless egui_kittest harness, 1400×900, English) with
/// these files opened as from the command line, stepped until the first document is shown,
/// the welcome dialog closed.
pub fn open_window(
    files: Vec<std::path::PathBuf>,
) -> egui_kittest::Harness<'static, yinwen::ui::app::YinwenApp> {
    use yinwen::ui::app::{AppOptions, YinwenApp};
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| {
            YinwenApp::new(
                cc,
                AppOptions {
                    files,
                    settings_path: None,
                    recovery_path: None,
                    language: Some(yinwen::ui::i18n::Language::English),
                },
            )
        });
    for _ in 0..10_000 {
        h.step();
        if !h.state().jobs.busy() && h.state().current.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    h.state_mut().dialogs.welcome = false;
    h.run_steps(5);
    h
}
