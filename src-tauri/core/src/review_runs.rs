//! Access reviews as the desktop app runs them: one at a time, in the background, with the last one that
//! ended kept in memory (its matrix is read and exported after the event that says it ended), and exports
//! written whole to a new file in the export folder.

use crate::review::{AccessReview, ReviewCancel, ReviewProgress};
use crate::{CoreError, Result};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The running review (its cancel handle and latest progress) and the last one that ended.
#[derive(Default)]
pub struct ReviewRuns(Mutex<Slots>);

#[derive(Default)]
struct Slots {
    running: Option<(ReviewCancel, Option<ReviewProgress>)>,
    last: Option<Arc<AccessReview>>,
}

impl ReviewRuns {
    fn slots(&self) -> MutexGuard<'_, Slots> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Claims the one review slot: its cancel handle, or `None` while another review runs.
    pub fn begin(&self) -> Option<ReviewCancel> {
        let mut slots = self.slots();
        if slots.running.is_some() {
            return None;
        }
        let cancel = ReviewCancel::new();
        slots.running = Some((cancel.clone(), None));
        Some(cancel)
    }

    /// The running review's latest progress (what a screen opened mid-review shows first).
    pub fn progressed(&self, progress: &ReviewProgress) {
        if let Some((_, latest)) = self.slots().running.as_mut() {
            *latest = Some(progress.clone());
        }
    }

    /// Frees the slot; a review that produced a result (finished or cancelled) becomes the last one.
    pub fn ended(&self, review: Option<AccessReview>) -> Option<Arc<AccessReview>> {
        let mut slots = self.slots();
        slots.running = None;
        let review = review.map(Arc::new);
        if review.is_some() {
            slots.last = review.clone();
        }
        review
    }

    /// Cancels the running review if it is `review_id` (or has no ID yet); false when none matched.
    pub fn cancel(&self, review_id: &str) -> bool {
        let slots = self.slots();
        match slots.running.as_ref() {
            Some((cancel, progress)) if !matches!(progress, Some(p) if p.review_id != review_id) => {
                cancel.cancel();
                true
            }
            _ => false,
        }
    }

    pub fn running(&self) -> Option<ReviewProgress> {
        self.slots().running.as_ref().and_then(|(_, p)| p.clone())
    }

    pub fn last(&self) -> Option<Arc<AccessReview>> {
        self.slots().last.clone()
    }

    /// The last review, if it is `review_id` (only the last one is kept).
    pub fn get(&self, review_id: &str) -> Option<Arc<AccessReview>> {
        self.last().filter(|r| r.review_id == review_id)
    }
}

/// CSV or JSON, with the review's own writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Csv,
    Json,
}

/// Writes `review` to a new file `stand-in-review-<stamp>[-N].<ext>` in `dir`: whole to a temporary file
/// first (synced), then hard-linked under the first free name, so a reader never sees half a file and an
/// earlier export is never replaced (a link, unlike a rename, fails when the name is taken).
pub fn export_review(
    review: &AccessReview,
    dir: &Path,
    kind: ExportKind,
    stamp: &str,
) -> Result<PathBuf> {
    let storage = |p: &Path, e: std::io::Error| CoreError::Storage {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| storage(dir, e))?;
    let ext = match kind {
        ExportKind::Csv => "csv",
        ExportKind::Json => "json",
    };
    let tmp = dir.join(format!(".stand-in-review-{}.tmp", uuid::Uuid::new_v4()));
    let write = || -> std::io::Result<()> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut out = std::io::BufWriter::new(file);
        match kind {
            ExportKind::Csv => review.write_csv(&mut out)?,
            ExportKind::Json => review.write_json(&mut out)?,
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    let linked = write().map_err(|e| storage(&tmp, e)).and_then(|()| {
        for n in 1..1000u32 {
            let name = match n {
                1 => format!("stand-in-review-{stamp}.{ext}"),
                _ => format!("stand-in-review-{stamp}-{n}.{ext}"),
            };
            let path = dir.join(name);
            match std::fs::hard_link(&tmp, &path) {
                Ok(()) => return Ok(path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(storage(&path, e)),
            }
        }
        Err(storage(
            dir,
            std::io::Error::other("every export file name is taken"),
        ))
    });
    // The temporary name goes either way: after a link the file lives on under its export name.
    let _ = std::fs::remove_file(&tmp);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{ReviewDocument, ReviewOutcome, ReviewScope, ReviewUser};

    fn review(id: &str) -> AccessReview {
        AccessReview {
            review_id: id.into(),
            actor: "admin@acme.example".into(),
            profile: "Sandbox org".into(),
            scope: ReviewScope::All,
            file_type: None,
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:00:01Z".into(),
            cancelled: false,
            permissions: vec!["view".into()],
            documents: vec![ReviewDocument {
                id: "d1".into(),
                name: "=HYPERLINK(\"x\")".into(),
                doc_type: "workbook".into(),
                path: "Workspaces/Sales/d1".into(),
                admin_permission: Some("view".into()),
            }],
            users: vec![ReviewUser {
                member_id: Some("m1".into()),
                email: "tom@acme.example".into(),
                name: Some("Tom".into()),
                outcome: ReviewOutcome::Done,
                access: vec![(0, 0)],
            }],
        }
    }

    fn progress(id: &str, done: usize) -> ReviewProgress {
        ReviewProgress {
            review_id: id.into(),
            done,
            failed: 0,
            total: 3,
            elapsed_ms: 10,
            rate_per_sec: 1.0,
            eta_ms: None,
            throttled: false,
        }
    }

    #[test]
    fn one_review_at_a_time_and_the_last_one_is_kept() {
        let runs = ReviewRuns::default();
        let cancel = runs.begin().expect("the slot is free");
        assert!(runs.begin().is_none(), "a second review while one runs");
        assert_eq!(runs.running(), None, "no progress yet");
        runs.progressed(&progress("r1", 1));
        assert_eq!(runs.running().unwrap().done, 1);
        assert!(
            !runs.cancel("another"),
            "another review's ID cancels nothing"
        );
        assert!(!cancel.is_cancelled());
        assert!(runs.cancel("r1"));
        assert!(cancel.is_cancelled());
        runs.ended(Some(review("r1")));
        assert!(runs.running().is_none());
        assert_eq!(runs.get("r1").unwrap().review_id, "r1");
        assert!(runs.get("r0").is_none());
        // A review that could not run frees the slot and keeps the previous result.
        runs.begin().expect("free again");
        runs.ended(None);
        assert_eq!(runs.last().unwrap().review_id, "r1");
    }

    #[test]
    fn exports_are_new_complete_files_and_never_replace_one() {
        let dir = tempfile::tempdir().unwrap();
        let r = review("r1");
        let a = export_review(&r, dir.path(), ExportKind::Csv, "20260101-000000").unwrap();
        let b = export_review(&r, dir.path(), ExportKind::Csv, "20260101-000000").unwrap();
        let j = export_review(&r, dir.path(), ExportKind::Json, "20260101-000000").unwrap();
        assert!(a.ends_with("stand-in-review-20260101-000000.csv"));
        assert!(b.ends_with("stand-in-review-20260101-000000-2.csv"));
        let csv = std::fs::read_to_string(&a).unwrap();
        assert_eq!(csv, std::fs::read_to_string(&b).unwrap());
        assert!(csv.contains("tom@acme.example"));
        // The core's writer neutralises a formula in a document name.
        assert!(csv.contains("'=HYPERLINK"));
        let back: AccessReview =
            serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
        assert_eq!(back, r);
        // No temporary file is left behind.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("stand-in-review-")));
    }

    #[test]
    fn an_export_folder_that_cannot_be_made_is_a_storage_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        let err =
            export_review(&review("r1"), &file.join("sub"), ExportKind::Json, "s").unwrap_err();
        assert_eq!(err.code(), "storage");
    }
}
