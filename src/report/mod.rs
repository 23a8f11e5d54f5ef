//! Cross-document analyses for policy research: the directive register (which quotations
//! recur, who quotes them and how), the code matrix (tags × documents, groups or attribute
//! values) and tag co-occurrence. Nothing here knows about egui: the window and
//! `yinwen report` share these functions.
//!
//! Every analysis takes a [`crate::model::DocFilter`]: it looks only at the documents the
//! filter keeps. Orphaned annotations (their passage lost after a text change) are left out
//! of every analysis, since they have no position.

/// A synthetic workspace of many documents for the analyses' own tests (the benchmarks
/// build theirs from a folder, `benches/common`).
#[cfg(test)]
mod bench;
mod matrix;
pub mod output;
mod register;
#[cfg(test)]
mod tests_support;

pub use matrix::{
    Cell, CoCell, Column, ColumnsBy, Cooccurrence, CooccurrenceMode, Matrix, TagRow, code_matrix,
    cooccurrence,
};
pub use register::{
    Entry, Form, GROUP_THRESHOLD, GROUP_THRESHOLD_SHORT, Occurrence, Period, QuoteStatus,
    Reference, Register, RegisterOptions, TimelineBucket, form_key, iso_date, register,
};

/// Runs `f` over `items` on the machine's cores (at most 8 threads), keeping the order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if threads <= 1 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
