//! The code matrix (tags × documents, groups or attribute values, with counts and coverage)
//! and tag co-occurrence (overlapping passages, or the same paragraph).
//!
//! Rows are the codebook in tree order ([`Workspace::tag_tree`]); a row counts the passages
//! coded with that tag itself (not its children). Orphaned annotations and annotations of
//! documents the filter leaves out are not counted.

use std::collections::{BTreeMap, HashMap};

use crate::model::{AnnId, DocFilter, DocId, Document, TagId, Workspace, segment_paragraphs};

/// One row of a matrix: a tag of the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRow {
    /// The tag.
    pub tag: TagId,
    /// Its full path (`社区服务 / 社区卫生`, see [`Workspace::tag_path`]).
    pub path: String,
    /// Its name.
    pub name: String,
    /// Depth in the tree (0 for a top-level tag).
    pub depth: usize,
}

/// The rows of every matrix: the codebook in tree order, and each tag's row.
fn tag_rows(ws: &Workspace) -> (Vec<TagRow>, HashMap<TagId, usize>) {
    let rows: Vec<TagRow> = ws
        .tag_tree()
        .into_iter()
        .map(|(depth, t)| TagRow {
            tag: t.id,
            path: ws.tag_path(t.id),
            name: t.name.clone(),
            depth,
        })
        .collect();
    let index = rows.iter().enumerate().map(|(i, r)| (r.tag, i)).collect();
    (rows, index)
}

/// What the columns of a code matrix are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnsBy {
    /// One column per document, in workspace order.
    Document,
    /// One column per group (the document's own group, not its parents), by name.
    Group,
    /// One column per value of a document attribute (built-in or user-defined, see
    /// [`crate::model::DocMeta::attribute`]), by value; documents without a value form the
    /// column with the empty key.
    Attribute(String),
}

impl ColumnsBy {
    /// `document`, `group`, or any other word as an attribute name.
    pub fn parse(s: &str) -> ColumnsBy {
        match s {
            "document" | "documents" | "doc" => ColumnsBy::Document,
            "group" => ColumnsBy::Group,
            other => ColumnsBy::Attribute(other.to_string()),
        }
    }

    /// The column key of a document.
    fn key(&self, d: &Document) -> String {
        match self {
            ColumnsBy::Document => d.id.0.to_string(),
            ColumnsBy::Group => d.meta.group.clone(),
            ColumnsBy::Attribute(name) => d.meta.attribute(name).to_string(),
        }
    }
}

/// One column of a code matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The document ID (as a number), group path or attribute value; empty for documents
    /// at the top level or without a value.
    pub key: String,
    /// What to show: the document's name, the group, the value; `(top level)` or `(none)`
    /// for an empty key.
    pub label: String,
    /// The documents of the column, in workspace order.
    pub documents: Vec<DocId>,
    /// Chars of the column's documents.
    pub chars: usize,
}

/// One cell of a code matrix.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Passages coded with the row's tag in the column's documents.
    pub count: usize,
    /// Chars those passages cover (overlaps counted once).
    pub chars: usize,
    /// `chars` / chars of the column's documents (0 for an empty column).
    pub coverage: f64,
    /// The passages, in ID order.
    pub annotations: Vec<AnnId>,
}

/// Tags × columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matrix {
    /// The rows: the codebook in tree order.
    pub rows: Vec<TagRow>,
    /// The columns.
    pub columns: Vec<Column>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
    /// Per row, the whole filtered set: passages, chars and coverage of all documents.
    pub row_totals: Vec<Cell>,
    /// Chars of all the filtered documents.
    pub chars: usize,
}

impl Matrix {
    /// The passages (annotation IDs, ascending) of a cell; empty when out of range.
    pub fn cell_annotations(&self, row: usize, col: usize) -> Vec<AnnId> {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .map(|c| c.annotations.clone())
            .unwrap_or_default()
    }

    /// The row of a tag.
    pub fn row_of(&self, tag: TagId) -> Option<usize> {
        self.rows.iter().position(|r| r.tag == tag)
    }
}

/// Length of the union of char ranges sorted by start.
fn union_len(ranges: &[(usize, usize)]) -> usize {
    let mut total = 0;
    let mut cur: Option<(usize, usize)> = None;
    for &(s, e) in ranges {
        match cur {
            Some((cs, ce)) if s <= ce => cur = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                cur = Some((s, e));
            }
            None => cur = Some((s, e)),
        }
    }
    total + cur.map_or(0, |(s, e)| e - s)
}

/// Coverage of `chars` in `total`.
fn ratio(chars: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        chars as f64 / total as f64
    }
}

/// The code matrix of the documents `filter` keeps: for each tag and column, the passages
/// coded with the tag, the chars they cover and the coverage.
pub fn code_matrix(ws: &Workspace, filter: &DocFilter, by: &ColumnsBy) -> Matrix {
    let (rows, row_of) = tag_rows(ws);
    let docs: Vec<&Document> = filter.documents(ws).collect();
    let doc_chars: Vec<usize> = super::par_map(&docs, |d| d.text.chars().count());

    // Columns and each document's column.
    let mut columns: Vec<Column> = Vec::new();
    let mut col_of_doc: HashMap<DocId, (usize, usize)> = HashMap::new(); // column, doc index
    match by {
        ColumnsBy::Document => {
            for (i, d) in docs.iter().enumerate() {
                col_of_doc.insert(d.id, (columns.len(), i));
                columns.push(Column {
                    key: by.key(d),
                    label: d.display_name(),
                    documents: vec![d.id],
                    chars: doc_chars[i],
                });
            }
        }
        _ => {
            let mut keys: BTreeMap<String, usize> = BTreeMap::new();
            for d in &docs {
                keys.entry(by.key(d)).or_default();
            }
            for (i, (k, slot)) in keys.iter_mut().enumerate() {
                *slot = i;
                let label = if !k.is_empty() {
                    k.clone()
                } else if *by == ColumnsBy::Group {
                    "(top level)".into()
                } else {
                    "(none)".into()
                };
                columns.push(Column {
                    key: k.clone(),
                    label,
                    documents: Vec::new(),
                    chars: 0,
                });
            }
            for (i, d) in docs.iter().enumerate() {
                let c = keys[&by.key(d)];
                columns[c].documents.push(d.id);
                columns[c].chars += doc_chars[i];
                col_of_doc.insert(d.id, (c, i));
            }
        }
    }
    let total_chars: usize = doc_chars.iter().sum();

    // (row, doc index, start, end, annotation) for every coded passage.
    let mut coded: Vec<(usize, usize, usize, usize, AnnId)> = Vec::new();
    let mut cells = vec![vec![Cell::default(); columns.len()]; rows.len()];
    for a in ws.annotations.iter().filter(|a| !a.orphan) {
        let Some(&(col, di)) = col_of_doc.get(&a.doc) else {
            continue;
        };
        let (s, e) = (a.anchor.start.0, a.anchor.end.0.max(a.anchor.start.0));
        for t in &a.tags {
            if let Some(&r) = row_of.get(t) {
                coded.push((r, di, s, e, a.id));
                let cell = &mut cells[r][col];
                cell.count += 1;
                cell.annotations.push(a.id);
            }
        }
    }
    coded.sort_unstable();
    let mut row_totals = vec![Cell::default(); rows.len()];
    let mut i = 0;
    while i < coded.len() {
        let (r, di, ..) = coded[i];
        let mut j = i;
        while j < coded.len() && coded[j].0 == r && coded[j].1 == di {
            j += 1;
        }
        let ranges: Vec<(usize, usize)> = coded[i..j].iter().map(|c| (c.2, c.3)).collect();
        let n = union_len(&ranges);
        let col = col_of_doc[&docs[di].id].0;
        cells[r][col].chars += n;
        row_totals[r].chars += n;
        i = j;
    }
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            cell.coverage = ratio(cell.chars, columns[c].chars);
            cell.annotations.sort_unstable();
            row_totals[r].count += cell.count;
            row_totals[r]
                .annotations
                .extend_from_slice(&cell.annotations);
        }
        row_totals[r].annotations.sort_unstable();
        row_totals[r].coverage = ratio(row_totals[r].chars, total_chars);
    }
    Matrix {
        rows,
        columns,
        cells,
        row_totals,
        chars: total_chars,
    }
}

/// What counts as two tags occurring together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CooccurrenceMode {
    /// Two passages that overlap (or one passage carrying both tags).
    Overlap,
    /// Both tags in passages of the same paragraph ([`segment_paragraphs`]; a passage
    /// over several paragraphs is in each).
    Paragraph,
}

impl CooccurrenceMode {
    /// `overlap` or `paragraph`.
    pub fn word(self) -> &'static str {
        match self {
            CooccurrenceMode::Overlap => "overlap",
            CooccurrenceMode::Paragraph => "paragraph",
        }
    }
}

/// One cell of a co-occurrence matrix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoCell {
    /// Off the diagonal: pairs of overlapping passages (a passage with both tags counts as a
    /// pair with itself), or paragraphs with both tags. On the diagonal: passages with the
    /// tag, or paragraphs with it.
    pub count: usize,
    /// The passages involved, ascending.
    pub annotations: Vec<AnnId>,
}

/// Tags × tags, symmetric.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cooccurrence {
    /// Overlap or paragraph.
    pub mode: Option<CooccurrenceMode>,
    /// Rows and columns: the codebook in tree order.
    pub tags: Vec<TagRow>,
    /// `cells[a][b]` = `cells[b][a]`.
    pub cells: Vec<Vec<CoCell>>,
}

impl Cooccurrence {
    /// The passages (annotation IDs, ascending) of a cell; empty when out of range.
    pub fn cell_annotations(&self, a: usize, b: usize) -> Vec<AnnId> {
        self.cells
            .get(a)
            .and_then(|r| r.get(b))
            .map(|c| c.annotations.clone())
            .unwrap_or_default()
    }

    /// The pairs of different tags that occur together, as `(row a, row b, count)` with
    /// `a < b`, most frequent first.
    pub fn pairs(&self) -> Vec<(usize, usize, usize)> {
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for (a, row) in self.cells.iter().enumerate() {
            for (b, c) in row.iter().enumerate().skip(a + 1) {
                if c.count > 0 {
                    out.push((a, b, c.count));
                }
            }
        }
        out.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
        out
    }
}

/// A coded passage while counting co-occurrences.
struct Passage {
    start: usize,
    end: usize,
    id: AnnId,
    /// Rows of its tags, ascending, distinct.
    rows: Vec<usize>,
}

/// Tag co-occurrence over the documents `filter` keeps.
pub fn cooccurrence(ws: &Workspace, filter: &DocFilter, mode: CooccurrenceMode) -> Cooccurrence {
    let (tags, row_of) = tag_rows(ws);
    let n = tags.len();
    let docs: Vec<&Document> = filter.documents(ws).collect();
    let doc_index: HashMap<DocId, usize> =
        docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let mut per_doc: Vec<Vec<Passage>> = (0..docs.len()).map(|_| Vec::new()).collect();
    for a in ws.annotations.iter().filter(|a| !a.orphan) {
        let Some(&di) = doc_index.get(&a.doc) else {
            continue;
        };
        let mut rows: Vec<usize> = a
            .tags
            .iter()
            .filter_map(|t| row_of.get(t).copied())
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_unstable();
        rows.dedup();
        per_doc[di].push(Passage {
            start: a.anchor.start.0,
            end: a.anchor.end.0.max(a.anchor.start.0),
            id: a.id,
            rows,
        });
    }
    for p in &mut per_doc {
        p.sort_by_key(|p| (p.start, p.end, p.id));
    }

    let mut cells = vec![vec![CoCell::default(); n]; n];
    let mut bump = |a: usize, b: usize, ids: &[AnnId]| {
        cells[a][b].count += 1;
        cells[a][b].annotations.extend_from_slice(ids);
        if a != b {
            cells[b][a].count += 1;
            cells[b][a].annotations.extend_from_slice(ids);
        }
    };
    match mode {
        CooccurrenceMode::Overlap => {
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for ps in &per_doc {
                for (i, p) in ps.iter().enumerate() {
                    for &r in &p.rows {
                        bump(r, r, &[p.id]);
                    }
                    // The passage with itself, then with every later one it overlaps.
                    let overlapping = std::iter::once(p).chain(
                        ps[i + 1..]
                            .iter()
                            .take_while(|q| q.start < p.end)
                            .filter(|q| p.start < q.end),
                    );
                    for q in overlapping {
                        pairs.clear();
                        for &a in &p.rows {
                            for &b in &q.rows {
                                if a != b {
                                    pairs.push((a.min(b), a.max(b)));
                                }
                            }
                        }
                        pairs.sort_unstable();
                        pairs.dedup();
                        let ids = [p.id, q.id];
                        let ids = if p.id == q.id { &ids[..1] } else { &ids[..] };
                        for &(a, b) in &pairs {
                            bump(a, b, ids);
                        }
                    }
                }
            }
        }
        CooccurrenceMode::Paragraph => {
            // Paragraph of every passage, computed only for documents with passages.
            let work: Vec<(usize, &Vec<Passage>)> = per_doc
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.is_empty())
                .collect();
            let paras: Vec<Vec<std::ops::Range<usize>>> = super::par_map(&work, |(di, _)| {
                segment_paragraphs(&docs[*di].text)
                    .into_iter()
                    .map(|p| p.chars)
                    .collect()
            });
            for ((_, ps), paras) in work.iter().zip(&paras) {
                // paragraph → (rows present, passages)
                let mut in_para: BTreeMap<usize, (Vec<usize>, Vec<AnnId>)> = BTreeMap::new();
                for p in ps.iter() {
                    let first = paras.partition_point(|r| r.end <= p.start);
                    let mut k = first;
                    loop {
                        let past = paras
                            .get(k)
                            .is_none_or(|r| r.start >= p.end && (k > first || p.end > p.start));
                        if past {
                            break;
                        }
                        let slot = in_para.entry(k).or_default();
                        slot.0.extend_from_slice(&p.rows);
                        slot.1.push(p.id);
                        k += 1;
                    }
                }
                for (rows, ids) in in_para.values_mut() {
                    rows.sort_unstable();
                    rows.dedup();
                    for (x, &a) in rows.iter().enumerate() {
                        for &b in &rows[x..] {
                            bump(a, b, ids);
                        }
                    }
                }
            }
        }
    }
    for row in &mut cells {
        for c in row {
            c.annotations.sort_unstable();
            c.annotations.dedup();
        }
    }
    Cooccurrence {
        mode: Some(mode),
        tags,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests_support::WsBuilder;

    /// Two documents, three tags (B under A):
    /// doc 1 (group 2006, level 市): "一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸" (21 chars)
    ///   p1 A 0..4, p2 B 2..6 (overlaps p1), p3 C 11..13 (second paragraph), p4 A+C 14..16
    /// doc 2 (group 2007, level 省): "子丑寅卯辰巳午未申酉" (10 chars)
    ///   p5 A 0..5
    fn fixture() -> (crate::model::Workspace, [TagId; 3], [AnnId; 5]) {
        let mut b = WsBuilder::new();
        let d1 = b.doc(
            "一",
            "2006",
            "2006",
            "一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸",
        );
        let d2 = b.doc("二", "2007", "2007", "子丑寅卯辰巳午未申酉");
        b.set(d1, "level", "市");
        b.set(d2, "level", "省");
        let ta = b.tag("A", None);
        let tb = b.tag("B", Some(ta));
        let tc = b.tag("C", None);
        let p1 = b.annotate(d1, 0..4, &[ta]);
        let p2 = b.annotate(d1, 2..6, &[tb]);
        let p3 = b.annotate(d1, 11..13, &[tc]);
        let p4 = b.annotate(d1, 14..16, &[ta, tc]);
        let p5 = b.annotate(d2, 0..5, &[ta]);
        (b.ws, [ta, tb, tc], [p1, p2, p3, p4, p5])
    }

    #[test]
    fn matrix_counts_and_coverage() {
        let (ws, [ta, tb, tc], [p1, _, _, p4, p5]) = fixture();
        let m = code_matrix(&ws, &DocFilter::default(), &ColumnsBy::Document);
        let paths: Vec<&str> = m.rows.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["A", "A / B", "C"]);
        assert_eq!(m.columns.len(), 2);
        assert_eq!(m.columns[0].chars, 21);
        let a = m.row_of(ta).unwrap();
        assert_eq!(m.cells[a][0].count, 2);
        assert_eq!(m.cells[a][0].chars, 6);
        assert!((m.cells[a][0].coverage - 6.0 / 21.0).abs() < 1e-9);
        assert_eq!(m.cells[a][1].count, 1);
        assert!((m.cells[a][1].coverage - 0.5).abs() < 1e-9);
        assert_eq!(m.cell_annotations(a, 0), vec![p1, p4]);
        assert_eq!(m.row_totals[a].count, 3);
        assert_eq!(m.row_totals[a].annotations, vec![p1, p4, p5]);
        assert_eq!(m.cells[m.row_of(tb).unwrap()][1].count, 0);
        assert_eq!(m.cells[m.row_of(tc).unwrap()][0].chars, 4);
        // By attribute, and filtered.
        let by = code_matrix(&ws, &DocFilter::default(), &ColumnsBy::parse("level"));
        let keys: Vec<&str> = by.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["市", "省"]);
        let f = DocFilter {
            group: Some("2007".into()),
            ..Default::default()
        };
        let only = code_matrix(&ws, &f, &ColumnsBy::Group);
        assert_eq!(only.columns.len(), 1);
        assert_eq!(only.columns[0].key, "2007");
        assert_eq!(only.cells[a][0].annotations, vec![p5]);
    }

    #[test]
    fn overlapping_passages_share_the_cell() {
        let mut b = WsBuilder::new();
        let d = b.doc("一", "", "", "一二三四五六七八九十");
        let t = b.tag("T", None);
        b.annotate(d, 0..6, &[t]);
        b.annotate(d, 4..8, &[t]);
        let m = code_matrix(&b.ws, &DocFilter::default(), &ColumnsBy::Document);
        assert_eq!(m.cells[0][0].count, 2);
        assert_eq!(m.cells[0][0].chars, 8, "overlap counted once");
    }

    #[test]
    fn cooccurrence_overlap_versus_paragraph() {
        let (ws, [ta, tb, tc], [p1, p2, p3, p4, _]) = fixture();
        let o = cooccurrence(&ws, &DocFilter::default(), CooccurrenceMode::Overlap);
        let (a, b, c) = (0, 1, 2);
        assert_eq!(
            o.tags.iter().map(|t| t.tag).collect::<Vec<_>>(),
            [ta, tb, tc]
        );
        assert_eq!(o.cells[a][b].count, 1, "p1 overlaps p2");
        assert_eq!(o.cell_annotations(a, b), vec![p1, p2]);
        assert_eq!(
            o.cells[a][c].count, 1,
            "p4 carries both; p3 does not overlap"
        );
        assert_eq!(o.cell_annotations(c, a), vec![p4]);
        assert_eq!(o.cells[b][c].count, 0);
        assert_eq!(o.cells[a][a].count, 3, "diagonal: passages with A");
        let p = cooccurrence(&ws, &DocFilter::default(), CooccurrenceMode::Paragraph);
        assert_eq!(p.cells[a][b].count, 1);
        assert_eq!(p.cells[a][c].count, 1, "one paragraph has both");
        assert_eq!(p.cell_annotations(a, c), vec![p3, p4]);
        assert_eq!(p.cells[a][a].count, 3, "paragraphs with A");
        assert_eq!(p.pairs(), vec![(a, b, 1), (a, c, 1)]);
    }
}
