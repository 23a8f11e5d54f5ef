//! Progress and cancellation shared between a background job and the window.
//!
//! The job reports how far it is and checks [`Progress::check`] between steps; the window
//! draws a progress bar from [`Progress::fraction`] and calls [`Progress::cancel`] when the
//! user presses Cancel. No egui here: the library's long functions take a `&Progress`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The user cancelled the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

#[derive(Debug, Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
    finished: AtomicBool,
}

/// A handle to one job's progress; clones share it.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    inner: Arc<Inner>,
}

impl Progress {
    /// A fresh progress: nothing done, total unknown, not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how many units the whole job has (bytes, items).
    pub fn set_total(&self, total: u64) {
        self.inner.total.store(total, Ordering::Relaxed);
    }

    /// Sets how many units are done.
    pub fn set_done(&self, done: u64) {
        self.inner.done.store(done, Ordering::Relaxed);
    }

    /// Adds to the units done.
    pub fn advance(&self, n: u64) {
        self.inner.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Done / total between 0 and 1, or `None` while the total is unknown.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.inner.total.load(Ordering::Relaxed);
        if total == 0 {
            return None;
        }
        let done = self.inner.done.load(Ordering::Relaxed).min(total);
        Some(done as f32 / total as f32)
    }

    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether the user asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// Marks the job as over (done, failed or cancelled), so the window stops showing it.
    pub fn finish(&self) {
        self.inner.finished.store(true, Ordering::Relaxed);
    }

    /// Whether the job is over.
    pub fn is_finished(&self) -> bool {
        self.inner.finished.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once the user asked to stop; jobs call it between steps.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_progress_and_cancellation() {
        let p = Progress::new();
        assert_eq!(p.fraction(), None);
        let job = p.clone();
        job.set_total(200);
        job.advance(50);
        assert_eq!(p.fraction(), Some(0.25));
        job.set_done(500);
        assert_eq!(p.fraction(), Some(1.0), "never above 1");
        assert!(job.check().is_ok());
        p.cancel();
        assert_eq!(job.check(), Err(Cancelled));
        assert!(!p.is_finished());
        job.finish();
        assert!(p.is_finished());
    }
}
