//! Verifying the directives of a workspace against the texts of their linked sources — one at
//! a time from the Directives tab, or all at once off the UI thread with progress and cancel.

use std::collections::HashMap;

use super::verify::{Match, SourceIndex, Status};
use crate::model::{AnnId, Annotation, SourceId, Verification, VerifyStatus, Workspace};
use crate::progress::{Cancelled, Progress};

/// The model's status for a match.
pub fn verify_status(s: Status) -> VerifyStatus {
    s.into()
}

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
        d.source_span = span;
        d.verification = Some(Verification {
            status: verify_status(m.status),
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

/// Verifies the directives `anns` (all directives when empty) against their linked sources'
/// texts. Each source is indexed once. Reports one unit of progress per directive and stops
/// with [`Cancelled`] between directives when asked.
pub fn verify_directives(
    ws: &Workspace,
    anns: &[AnnId],
    progress: &Progress,
) -> Result<BatchOutcome, Cancelled> {
    let todo: Vec<&Annotation> = ws
        .annotations
        .iter()
        .filter(|a| a.directive.is_some() && (anns.is_empty() || anns.contains(&a.id)))
        .collect();
    progress.set_total(todo.len() as u64);
    let mut out = BatchOutcome::default();
    let mut indexes: HashMap<SourceId, Option<SourceIndex>> = HashMap::new();
    for a in todo {
        progress.check()?;
        let src = a.directive.as_ref().and_then(|d| d.source);
        let index = src.and_then(|s| {
            indexes
                .entry(s)
                .or_insert_with(|| {
                    ws.source(s)
                        .and_then(|x| x.text.as_deref())
                        .map(|t| SourceIndex::new(&[t]))
                })
                .as_ref()
        });
        match (src, index) {
            (Some(s), Some(index)) => {
                let (new, _) = verify_against(a, index, 0, s);
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
        let out = verify_directives(&cleared, &[], &p).unwrap();
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
        assert_eq!(verify_directives(&ws, &[], &p).unwrap_err(), Cancelled);
    }
}
