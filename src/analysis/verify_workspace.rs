//! Verifying the directives of a workspace against the texts of their linked sources — one at
//! a time from the Directives tab, or all at once off the UI thread with progress and cancel.

use std::collections::HashMap;

use super::verify::{Match, SourceIndex, Status};
use crate::model::{AnnId, Annotation, SourceId, Verification, VerifyStatus, Workspace};
use crate::progress::{Cancelled, Progress};

impl From<Status> for VerifyStatus {
    fn from(s: Status) -> VerifyStatus {
        match s {
            Status::Verbatim => VerifyStatus::Verbatim,
            Status::Variant => VerifyStatus::Variant,
            Status::Abridged => VerifyStatus::Abridged,
            Status::NotFound => VerifyStatus::NotFound,
        }
    }
}

/// Checks one directive against source `which` of `index` (the text of source `src`) and
/// returns the annotation with its verification and source span set, and the match.
pub fn verify_against(
    ann: &Annotation,
    index: &SourceIndex,
    which: usize,
    src: SourceId,
) -> (Annotation, Match) {
    let m = index.find_in(&ann.anchor.quote, which);
    let span = m.source_start.zip(m.source_end);
    let mut a = ann.clone();
    if let Some(d) = &mut a.directive {
        d.verification_stale = false;
        d.source_span = span;
        d.verification = Some(Verification {
            status: m.status.into(),
            source: src,
            span,
            similarity: m.similarity,
        });
    }
    (a, m)
}

/// What a batch verification found.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    /// Annotations whose verification changed, ready for `SetAnnotation`.
    pub changed: Vec<Annotation>,
    /// Directives checked.
    pub checked: usize,
    /// Directives skipped: no linked source, or the source has no text.
    pub skipped: usize,
}

/// The indexes of sources' texts, each built once per text and shared: the window keeps one
/// (Verify and Verify all use it, the latter from a background job through a clone, which
/// shares the same indexes). An index is rebuilt only when its source's text changed.
#[derive(Clone, Default)]
pub struct SourceIndexes {
    map: std::sync::Arc<std::sync::Mutex<IndexMap>>,
}

/// Per source: a hash of the text indexed, and its index.
type IndexMap = HashMap<SourceId, (u64, std::sync::Arc<SourceIndex>)>;

impl SourceIndexes {
    /// The index of source `id`'s text in `ws`; `None` when it has no text.
    pub fn get(&self, ws: &Workspace, id: SourceId) -> Option<std::sync::Arc<SourceIndex>> {
        use std::hash::{Hash, Hasher};
        let text = ws.source(id)?.text.as_deref()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let key = h.finish();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, index)) = map.get(&id)
            && *k == key
        {
            return Some(index.clone());
        }
        let index = std::sync::Arc::new(SourceIndex::new(&[text]));
        map.insert(id, (key, index.clone()));
        Some(index)
    }

    /// How many indexes are kept.
    pub fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Verifies the directives `anns` (all directives when empty) against their linked sources'
/// texts, with the indexes of `indexes` (built there once per source text). Reports one unit
/// of progress per directive and stops with [`Cancelled`] between directives when asked.
pub fn verify_directives(
    ws: &Workspace,
    anns: &[AnnId],
    indexes: &SourceIndexes,
    progress: &Progress,
) -> Result<BatchOutcome, Cancelled> {
    let todo: Vec<&Annotation> = ws
        .annotations
        .iter()
        .filter(|a| a.directive.is_some() && (anns.is_empty() || anns.contains(&a.id)))
        .collect();
    progress.set_total(todo.len() as u64);
    let mut out = BatchOutcome::default();
    let mut local: HashMap<SourceId, Option<std::sync::Arc<SourceIndex>>> = HashMap::new();
    for a in todo {
        progress.check()?;
        let src = a.directive.as_ref().and_then(|d| d.source);
        let index = src.and_then(|s| local.entry(s).or_insert_with(|| indexes.get(ws, s)).clone());
        match (src, index) {
            (Some(s), Some(index)) => {
                let (new, _) = verify_against(a, &index, 0, s);
                out.checked += 1;
                if new != *a {
                    out.changed.push(new);
                }
            }
            _ => out.skipped += 1,
        }
        progress.advance(1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_every_linked_directive_of_the_exercise() {
        let ws = crate::sample::verification_sample();
        let linked = ws
            .annotations
            .iter()
            .filter(|a| a.directive.as_ref().is_some_and(|d| d.source.is_some()))
            .count();
        assert!(linked >= 4);
        let mut cleared = ws.clone();
        for a in &mut cleared.annotations {
            if let Some(d) = &mut a.directive {
                d.verification = None;
            }
        }
        let p = Progress::new();
        let out = verify_directives(&cleared, &[], &SourceIndexes::default(), &p).unwrap();
        assert_eq!(out.checked, linked);
        assert_eq!(p.fraction(), Some(1.0));
        let statuses: std::collections::HashSet<VerifyStatus> = out
            .changed
            .iter()
            .filter_map(|a| a.directive.as_ref()?.verification.as_ref())
            .map(|v| v.status)
            .collect();
        for s in [
            VerifyStatus::Verbatim,
            VerifyStatus::Variant,
            VerifyStatus::Abridged,
            VerifyStatus::NotFound,
        ] {
            assert!(statuses.contains(&s), "{s:?} missing from {statuses:?}");
        }
    }

    #[test]
    fn cancelling_stops_before_the_next_directive() {
        let ws = crate::sample::verification_sample();
        let p = Progress::new();
        p.cancel();
        assert_eq!(
            verify_directives(&ws, &[], &SourceIndexes::default(), &p).unwrap_err(),
            Cancelled
        );
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;
    use crate::model::Command;

    #[test]
    fn one_index_per_source_text_rebuilt_only_when_the_text_changes() {
        let mut ws = crate::sample::verification_sample();
        let id = ws
            .sources
            .iter()
            .find(|s| s.text.is_some())
            .map(|s| s.id)
            .unwrap();
        let indexes = SourceIndexes::default();
        let a = indexes.get(&ws, id).unwrap();
        let b = indexes.clone().get(&ws, id).unwrap();
        assert!(
            std::sync::Arc::ptr_eq(&a, &b),
            "built once, shared by clones"
        );
        let mut src = ws.source(id).unwrap().clone();
        src.text = Some("另一个文本。".into());
        ws.apply(Command::SetSource(Box::new(src))).unwrap();
        let c = indexes.get(&ws, id).unwrap();
        assert!(
            !std::sync::Arc::ptr_eq(&a, &c),
            "a changed text is indexed again"
        );
        assert_eq!(indexes.len(), 1);
    }
}
