//! A synthetic workspace of many annotated documents (directives with variants, verified
//! sources, tagged passages) for the analyses' tests.

use std::path::Path;
use std::sync::Arc;

use crate::import::{EncodingChoice, decode_bytes, import_file};
use crate::model::{
    Anchor, AnnId, Annotation, Attribution, CharIndex, DirectiveInfo, DocId, DocMeta, Document,
    Origin, Source, SourceId, Tag, TagId, Verification, VerifyStatus, Workspace,
};

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The speeches of `tests/data` (UTF-8 twins), else the embedded sample speech.
fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p: &std::path::PathBuf| {
        p.extension().is_some_and(|e| e == "txt") && !p.to_string_lossy().ends_with(".gbk.txt")
    });
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| import_file(p, EncodingChoice::Auto).ok().map(|d| d.text))
        .collect();
    if texts.is_empty() {
        decode_bytes(crate::sample::SAMPLE_SPEECH, EncodingChoice::Auto)
            .map(|d| vec![d.text])
            .unwrap_or_default()
    } else {
        texts
    }
}

/// [`bench_workspace_from`] over the speeches of `tests/data` (the embedded sample speech
/// when that folder is not there).
pub fn bench_workspace(n_docs: usize, n_annotations: usize) -> Workspace {
    bench_workspace_from(&corpus(), n_docs, n_annotations)
}

/// A deterministic synthetic workspace: `n_docs` documents of about 20 KB (50 MB for 2,500), each a run of
/// paragraphs of `texts` with quoted directives inserted, and `n_annotations` annotations —
/// 30 % of them directives quoting a pool of 600 sentences of `texts` (a few quoted very
/// often; 70 % verbatim, 15 % with a changed char, 15 % abridged with ……; one in ten verified
/// against one of 20 sources holding the pool), the rest coded passages of 10–200 chars with
/// one or two tags of a 40-tag codebook (8 tags with 4 children each). Documents have dates
/// (2006–2016), groups (`year/level`), levels and speakers.
pub fn bench_workspace_from(texts: &[String], n_docs: usize, n_annotations: usize) -> Workspace {
    let mut rng = Lcg(0x5eed);
    let paragraphs: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.lines())
        .map(str::trim)
        .filter(|l| l.chars().count() >= 10)
        .collect();
    let mut pool: Vec<String> = texts
        .iter()
        .flat_map(|t| t.split(['。', '\n']))
        .map(str::trim)
        .filter(|s| {
            let n = s.chars().count();
            (12..=60).contains(&n) && !s.contains(['“', '”', '"', '…'])
        })
        .map(str::to_string)
        .collect();
    pool.dedup();
    if pool.len() > 600 {
        let step = pool.len() / 600;
        pool = pool.into_iter().step_by(step).take(600).collect();
    }
    if pool.is_empty() {
        pool.push("坚持以人为本，树立全面、协调、可持续的发展观".into());
    }

    let mut ws = Workspace::new();
    let mut next = 1u64;
    let mut fresh = || {
        next += 1;
        next - 1
    };
    // The codebook.
    let mut tags = Vec::new();
    for p in 0..8 {
        let parent = TagId(fresh());
        ws.tags.push(tag(parent, format!("主题{p}"), None));
        tags.push(parent);
        for c in 0..4 {
            let id = TagId(fresh());
            ws.tags.push(tag(id, format!("主题{p}-{c}"), Some(parent)));
            tags.push(id);
        }
    }
    // Sources: source k holds the pool quotations i with i % 20 == k, one a paragraph.
    let mut sources = Vec::new();
    let mut pool_at: Vec<(usize, usize)> = vec![(0, 0); pool.len()]; // source, char offset
    for k in 0..20.min(pool.len()) {
        let id = SourceId(fresh());
        let mut text = String::new();
        let mut chars = 0;
        for (i, q) in pool.iter().enumerate().skip(k).step_by(20) {
            pool_at[i] = (k, chars);
            text.push_str(q);
            text.push_str("。\n");
            chars += q.chars().count() + 2;
        }
        ws.sources.push(Source {
            id,
            title: format!("文件{k}"),
            issuer: "国务院".into(),
            date: format!("{}", 2000 + k),
            text: Some(text),
            ..Default::default()
        });
        sources.push(id);
    }

    let n_directives = n_annotations * 3 / 10;
    let n_coded = n_annotations - n_directives;
    let levels = ["中央", "省", "市", "县"];
    let speakers = ["胡锦涛", "温家宝", "习近平", "李克强", "王书记", "张市长"];
    let mut annotations = Vec::new();
    for i in 0..n_docs {
        let dirs = n_directives / n_docs.max(1) + usize::from(i < n_directives % n_docs.max(1));
        let coded = n_coded / n_docs.max(1) + usize::from(i < n_coded % n_docs.max(1));
        let doc_id = DocId(fresh());
        // Paragraphs from a random place, directives between them.
        let mut text = String::new();
        let mut chars = 0usize;
        let mut p = rng.next(paragraphs.len());
        let slots: Vec<usize> = {
            let mut s: Vec<usize> = (0..dirs).map(|_| rng.next(40)).collect();
            s.sort_unstable();
            s
        };
        let mut quotes: Vec<(usize, usize, String, usize, u8)> = Vec::new(); // start, end, quote, pool, kind
        let mut slot = 0;
        let mut k = 0;
        while chars < 5_000 || slot < slots.len() {
            while slot < slots.len() && slots[slot] <= k {
                let pi = rng.next(pool.len()) * rng.next(pool.len()) / pool.len().max(1);
                let base: Vec<char> = pool[pi].chars().collect();
                let roll = rng.next(100);
                let (q, kind): (String, u8) = if roll < 70 || base.len() < 12 {
                    (base.iter().collect(), 0)
                } else if roll < 85 {
                    let mut v = base.clone();
                    let at = 1 + rng.next(v.len() - 2);
                    v[at] = if v[at] == '新' { '旧' } else { '新' };
                    (v.into_iter().collect(), 1)
                } else {
                    let keep = base.len() * 2 / 5;
                    let mut v: String = base[..keep].iter().collect();
                    v.push_str("……");
                    v.extend(&base[base.len() - keep..]);
                    (v, 2)
                };
                let who = speakers[rng.next(speakers.len())];
                let lead = format!("{who}同志指出：“");
                let start = chars + lead.chars().count();
                let n = q.chars().count();
                text.push_str(&lead);
                text.push_str(&q);
                text.push_str("”。\n");
                chars = start + n + 3;
                quotes.push((start, start + n, q, pi, kind));
                slot += 1;
            }
            let para = paragraphs
                .get(p % paragraphs.len().max(1))
                .copied()
                .unwrap_or("");
            text.push_str(para);
            text.push('\n');
            chars += para.chars().count() + 1;
            p += 1;
            k += 1;
        }
        let index = CharIndex::new(&text);
        for (n, (start, end, _, pi, kind)) in quotes.into_iter().enumerate() {
            let who = speakers[n % speakers.len()];
            let verification = (rng.next(10) == 0 && !sources.is_empty()).then(|| {
                let (src, at) = pool_at[pi];
                let len = pool[pi].chars().count();
                Verification {
                    status: [
                        VerifyStatus::Verbatim,
                        VerifyStatus::Variant,
                        VerifyStatus::Abridged,
                    ][kind as usize],
                    source: sources[src],
                    span: Some((at, at + len)),
                    similarity: 1.0,
                }
            });
            annotations.push(Annotation {
                id: AnnId(fresh()),
                doc: doc_id,
                anchor: Anchor::new(&text, &index, start..end),
                color: crate::model::DIRECTIVE_COLOR.into(),
                note: String::new(),
                tags: Vec::new(),
                orphan: false,
                directive: Some(DirectiveInfo {
                    attribution: Attribution {
                        speaker: who.into(),
                        verb: "指出".into(),
                        confidence: 1.0,
                        ..Default::default()
                    },
                    source: verification.as_ref().map(|v| v.source),
                    source_span: verification.as_ref().and_then(|v| v.span),
                    verification,
                    verification_stale: false,
                }),
            });
        }
        for _ in 0..coded {
            let len = 10 + rng.next(190);
            let start = rng.next(chars.saturating_sub(len).max(1));
            let mut t = vec![tags[rng.next(tags.len())]];
            if rng.next(3) == 0 {
                t.push(tags[rng.next(tags.len())]);
            }
            t.sort();
            t.dedup();
            annotations.push(Annotation {
                id: AnnId(fresh()),
                doc: doc_id,
                anchor: Anchor::new(&text, &index, start..start + len),
                color: "#F2C94C".into(),
                note: String::new(),
                tags: t,
                orphan: false,
                directive: None,
            });
        }
        let year = 2006 + i % 11;
        let level = levels[rng.next(levels.len())];
        let meta = DocMeta {
            title: format!("讲话{i}"),
            speaker: speakers[rng.next(speakers.len())].into(),
            date: format!("{year}-{:02}-{:02}", 1 + rng.next(12), 1 + rng.next(28)),
            group: format!("{year}/{level}"),
            level: level.into(),
            ..Default::default()
        };
        let mut doc = Document::new(text, Origin::default(), meta);
        doc.id = doc_id;
        ws.documents.push(Arc::new(doc));
    }
    ws.annotations = annotations;
    ws.next_id = next;
    ws.normalize();
    ws
}

fn tag(id: TagId, name: String, parent: Option<TagId>) -> Tag {
    Tag {
        id,
        name,
        parent,
        color: "#56CCF2".into(),
        description: String::new(),
        guid: String::new(),
        memo: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocFilter;
    use crate::report::{
        ColumnsBy, CooccurrenceMode, RegisterOptions, code_matrix, cooccurrence, register,
    };

    /// The analyses agree with the workspace they summarise.
    #[test]
    fn analyses_of_the_synthetic_workspace_add_up() {
        let ws = bench_workspace(60, 600);
        assert_eq!(ws.documents.len(), 60);
        assert_eq!(ws.annotations.len(), 600);
        let all = DocFilter::default();
        let directives = ws
            .annotations
            .iter()
            .filter(|a| a.directive.is_some())
            .count();
        let reg = register(&ws, &all, &RegisterOptions::default());
        assert_eq!(reg.occurrence_count(), directives);
        for e in &reg.entries {
            assert!(e.forms.iter().all(|f| f.occurrences > 0));
            assert_eq!(
                e.forms.iter().map(|f| f.occurrences).sum::<usize>(),
                e.occurrences.len()
            );
            assert!(e.first_date <= e.last_date);
            // Every occurrence's passage is the quotation it reports.
            for o in &e.occurrences {
                let d = ws.document(o.doc).unwrap();
                let text: String = d.text.chars().skip(o.start).take(o.end - o.start).collect();
                assert_eq!(text, o.quote);
            }
        }
        assert!(
            reg.entries.iter().any(|e| e.variants() > 1),
            "variants grouped"
        );
        let month: usize = reg
            .timeline(crate::report::Period::Month)
            .iter()
            .map(|b| b.occurrences)
            .sum();
        assert_eq!(month + reg.undated, directives);

        let coded: usize = ws.annotations.iter().map(|a| a.tags.len()).sum();
        for by in [
            ColumnsBy::Document,
            ColumnsBy::Group,
            ColumnsBy::Attribute("level".into()),
        ] {
            let m = code_matrix(&ws, &all, &by);
            let total: usize = m.row_totals.iter().map(|c| c.count).sum();
            assert_eq!(total, coded, "{by:?}");
            let cells: usize = m.cells.iter().flatten().map(|c| c.count).sum();
            assert_eq!(cells, coded);
            assert!(
                m.cells
                    .iter()
                    .flatten()
                    .all(|c| (0.0..=1.0).contains(&c.coverage))
            );
        }
        let o = cooccurrence(&ws, &all, CooccurrenceMode::Overlap);
        let p = cooccurrence(&ws, &all, CooccurrenceMode::Paragraph);
        let diagonal: usize = (0..o.tags.len()).map(|i| o.cells[i][i].count).sum();
        assert_eq!(diagonal, coded);
        for a in 0..o.tags.len() {
            for b in 0..o.tags.len() {
                assert_eq!(o.cells[a][b], o.cells[b][a]);
                assert_eq!(p.cells[a][b].count, p.cells[b][a].count);
            }
        }
    }
}
