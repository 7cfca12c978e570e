//! The access review commands as the web view calls them, against the in-process sandbox: start → progress
//! events → finished event → result; one review at a time; cancel keeps the partial result; users that fail
//! alone; a review that cannot start; CSV and JSON exports that parse and that "Show in folder" accepts.

use stand_in::commands::{audit, directory, review};
use stand_in::dto::*;
use stand_in::state::{AppConfig, AppState, EventSink};
use standin_core::review::AccessReview;
use standin_core::secret_store::MemorySecretStore;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Recorded(Mutex<Vec<(String, serde_json::Value)>>);

impl EventSink for Recorded {
    fn emit(&self, event: &str, payload: serde_json::Value) {
        self.0.lock().unwrap().push((event.to_string(), payload));
    }
}

impl Recorded {
    fn of(&self, name: &str) -> Vec<serde_json::Value> {
        let events = self.0.lock().unwrap();
        events
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .collect()
    }
}

struct Harness {
    state: Arc<AppState>,
    events: Arc<Recorded>,
    _dir: tempfile::TempDir,
}

async fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Recorded::default());
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("data/audit.jsonl"),
        export_dir: dir.path().join("Downloads"),
        secrets: Arc::new(MemorySecretStore::new()),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state = Arc::new(AppState::start(config, events.clone()).await.unwrap());
    Harness {
        state,
        events,
        _dir: dir,
    }
}

fn request(
    kind: ReviewScopeKind,
    team_id: Option<String>,
    emails: Option<Vec<&str>>,
) -> ReviewRequestDto {
    ReviewRequestDto {
        scope: ReviewScopeDto {
            kind,
            team_id,
            emails: emails.map(|e| e.into_iter().map(String::from).collect()),
        },
        file_type: None,
        concurrency: Some(4),
        reason: Some("SEC-212 quarterly review".into()),
    }
}

/// Waits for the `review-finished` event of `id` (a review runs in the background).
async fn finished(h: &Harness, id: &str) -> serde_json::Value {
    for _ in 0..800 {
        let found = h
            .events
            .of("review-finished")
            .into_iter()
            .find(|f| f["reviewId"] == id);
        if let Some(f) = found {
            return f;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no review-finished event for {id}");
}

async fn team_id(h: &Harness, name: &str) -> String {
    let teams = directory::list_teams(&h.state).await.unwrap();
    teams
        .into_iter()
        .find(|t| t.name == name)
        .map(|t| t.team_id)
        .unwrap()
}

#[tokio::test]
async fn a_team_review_streams_progress_then_finishes_with_its_matrix() {
    let h = harness().await;
    let team = team_id(&h, "Sales").await;
    let started =
        review::start_access_review(&h.state, request(ReviewScopeKind::Team, Some(team), None))
            .await
            .unwrap();
    let id = started.review_id.clone();
    let end = finished(&h, &id).await;
    assert_eq!(end["cancelled"], false);
    assert!(end["error"].is_null());

    // Progress: every event names this review, `done` never goes back, the last one covers every user.
    let progress = h.events.of("review-progress");
    assert!(progress.len() >= 2, "{progress:?}");
    assert!(progress.iter().all(|p| p["reviewId"] == id.as_str()));
    let done: Vec<u64> = progress
        .iter()
        .map(|p| p["done"].as_u64().unwrap())
        .collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");
    let last = progress.last().unwrap();
    let finished_users = last["done"].as_u64().unwrap() + last["failed"].as_u64().unwrap();
    assert_eq!(finished_users, last["total"].as_u64().unwrap());
    assert_eq!(end["total"], last["total"]);

    let result = review::access_review_result(&h.state, id.clone())
        .await
        .unwrap();
    assert_eq!(result.review_id, id);
    assert_eq!(result.actor, "admin@acme.example");
    assert_eq!(result.users.len() as u64, end["total"].as_u64().unwrap());
    assert_eq!(result.access.len(), result.users.len());
    assert!(!result.documents.is_empty());
    // Every pair points into the tables, and the users who finished can open something.
    for row in &result.access {
        for (doc, perm) in row {
            assert!((*doc as usize) < result.documents.len());
            assert!((*perm as usize) < result.permissions.len());
        }
    }
    let done_users: Vec<usize> = (0..result.users.len())
        .filter(|&i| result.users[i].outcome == ReviewOutcomeKind::Done)
        .collect();
    assert!(!done_users.is_empty());
    assert!(done_users.iter().any(|&i| !result.access[i].is_empty()));
    assert!(result
        .documents
        .iter()
        .any(|d| d.admin_permission.is_some()));
    // Tom (a Sales member) sees the Sales documents through his team.
    let tom = result
        .users
        .iter()
        .position(|u| u.email == "tom.lee@acme.example")
        .unwrap();
    assert!(!result.access[tom].is_empty());

    let status = review::access_review_status(&h.state).await.unwrap();
    assert!(status.running.is_none());
    assert_eq!(status.last.unwrap().review_id, id);

    // Every impersonation of the review is on record under its ID.
    let entries = audit::audit_entries(&h.state).await.unwrap();
    let starts = entries
        .iter()
        .filter(|e| e.event == "impersonation.start" && e.review_id.as_deref() == Some(id.as_str()))
        .count();
    assert_eq!(starts, done_users.len());
    let filtered = entries
        .iter()
        .filter(|e| {
            audit::matches_filter(
                e,
                &AuditFilter {
                    text: id.clone(),
                    event: None,
                },
            )
        })
        .count();
    assert!(filtered >= starts * 2, "starts and stops at least");
}

#[tokio::test]
async fn one_review_at_a_time_and_cancel_keeps_the_partial_result() {
    let h = harness().await;
    // Slow enough to be caught mid-way: every request to the sandbox waits 60 ms.
    h.state.sandbox.set_latency(Duration::from_millis(60));
    let mut req = request(ReviewScopeKind::All, None, None);
    req.concurrency = Some(1);
    let started = review::start_access_review(&h.state, req.clone())
        .await
        .unwrap();
    let id = started.review_id;

    let again = review::start_access_review(&h.state, req)
        .await
        .unwrap_err();
    assert_eq!(again.code, "review_running");
    let status = review::access_review_status(&h.state).await.unwrap();
    assert_eq!(status.running.unwrap().review_id, id);

    // Once a user has finished, cancel.
    for _ in 0..400 {
        let progressed = h
            .events
            .of("review-progress")
            .iter()
            .any(|p| p["done"].as_u64() >= Some(1));
        if progressed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // Another review's ID cancels nothing.
    review::cancel_access_review(&h.state, "not-this-one".into())
        .await
        .unwrap();
    assert!(review::access_review_status(&h.state)
        .await
        .unwrap()
        .running
        .is_some());
    review::cancel_access_review(&h.state, id.clone())
        .await
        .unwrap();
    let end = finished(&h, &id).await;
    assert_eq!(end["cancelled"], true);
    let not_run = end["notRun"].as_u64().unwrap();
    assert!(not_run >= 1, "{end}");
    assert!(end["done"].as_u64().unwrap() >= 1, "{end}");

    let result = review::access_review_result(&h.state, id.clone())
        .await
        .unwrap();
    assert!(result.cancelled);
    let count =
        |k: ReviewOutcomeKind| result.users.iter().filter(|u| u.outcome == k).count() as u64;
    assert_eq!(count(ReviewOutcomeKind::NotRun), not_run);
    assert_eq!(
        count(ReviewOutcomeKind::Done),
        end["done"].as_u64().unwrap()
    );
    // The slot is free again: a new review may start.
    h.state.sandbox.set_latency(Duration::ZERO);
    let next = review::start_access_review(
        &h.state,
        request(
            ReviewScopeKind::Emails,
            None,
            Some(vec!["tom.lee@acme.example"]),
        ),
    )
    .await
    .unwrap();
    finished(&h, &next.review_id).await;
}

#[tokio::test]
async fn users_fail_alone_with_their_errors() {
    let h = harness().await;
    let emails = vec![
        "tom.lee@acme.example",
        "not-an-email",
        "nobody@acme.example",
        "priya.raman@acme.example",
    ];
    let started = review::start_access_review(
        &h.state,
        request(ReviewScopeKind::Emails, None, Some(emails)),
    )
    .await
    .unwrap();
    let end = finished(&h, &started.review_id).await;
    assert_eq!(end["failed"], 3, "{end}");
    assert_eq!(end["done"], 1, "{end}");
    let result = review::access_review_result(&h.state, started.review_id)
        .await
        .unwrap();
    for u in &result.users {
        if u.email == "tom.lee@acme.example" {
            assert_eq!(u.outcome, ReviewOutcomeKind::Done);
            assert!(u.error.is_none());
        } else {
            assert_eq!(u.outcome, ReviewOutcomeKind::Failed, "{}", u.email);
            let e = u.error.as_ref().unwrap();
            assert!(!e.code.is_empty() && !e.message.is_empty(), "{e:?}");
        }
    }
    // No token or secret in anything sent to the web view.
    let sent = serde_json::to_string(&*h.events.0.lock().unwrap()).unwrap();
    assert!(!sent.contains("demo-admin-secret"));
    assert!(!sent.to_lowercase().contains("bearer"));
}

#[tokio::test]
async fn a_review_that_cannot_start_is_the_start_calls_error() {
    let h = harness().await;
    let err = review::start_access_review(&h.state, request(ReviewScopeKind::Team, None, None))
        .await
        .unwrap_err();
    assert_eq!(err.code, "invalid_review");
    let err = review::start_access_review(
        &h.state,
        request(ReviewScopeKind::Emails, None, Some(vec![" "])),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "invalid_review");
    let err = review::start_access_review(
        &h.state,
        request(ReviewScopeKind::Team, Some("no-such-team".into()), None),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "not_found", "{err:?}");
    // No event, nothing kept, and the slot is free.
    assert!(h.events.of("review-finished").is_empty());
    let status = review::access_review_status(&h.state).await.unwrap();
    assert!(status.running.is_none() && status.last.is_none());
    let err = review::access_review_result(&h.state, "rev-x".into())
        .await
        .unwrap_err();
    assert_eq!(err.code, "review_not_found");
    let err = review::export_access_review(&h.state, "rev-x".into(), ExportFormat::Csv)
        .await
        .unwrap_err();
    assert_eq!(err.code, "review_not_found");
}

#[tokio::test]
async fn exports_write_csv_and_json_that_parse_and_show_in_their_folder() {
    let h = harness().await;
    let team = team_id(&h, "Marketing").await;
    let started =
        review::start_access_review(&h.state, request(ReviewScopeKind::Team, Some(team), None))
            .await
            .unwrap();
    let id = started.review_id;
    finished(&h, &id).await;
    let result = review::access_review_result(&h.state, id.clone())
        .await
        .unwrap();

    let csv = review::export_access_review(&h.state, id.clone(), ExportFormat::Csv)
        .await
        .unwrap();
    let json = review::export_access_review(&h.state, id.clone(), ExportFormat::Json)
        .await
        .unwrap();
    let again = review::export_access_review(&h.state, id.clone(), ExportFormat::Csv)
        .await
        .unwrap();
    assert_ne!(csv.path, again.path, "a new file each time");
    assert_eq!(csv.users as usize, result.users.len());
    assert_eq!(csv.documents as usize, result.documents.len());

    let text = std::fs::read_to_string(&csv.path).unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("email,name,member_id,status,document_id"));
    let rows: usize = result.access.iter().map(|r| r.len().max(1)).sum();
    assert_eq!(
        lines.count(),
        rows,
        "one row per user × document, one for a user with none"
    );

    let parsed: AccessReview =
        serde_json::from_str(&std::fs::read_to_string(&json.path).unwrap()).unwrap();
    assert_eq!(parsed.review_id, id);
    assert_eq!(parsed.users.len(), result.users.len());
    assert_eq!(parsed.documents.len(), result.documents.len());

    for path in [&csv.path, &json.path] {
        assert!(std::path::Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("stand-in-review-"));
        audit::export_file(&h.state.export_dir, path)
            .expect("Show in folder accepts a review export");
    }
    // Nothing but the three exports in the folder (no temporary file left).
    assert_eq!(std::fs::read_dir(&h.state.export_dir).unwrap().count(), 3);
}

#[tokio::test]
async fn throttling_mid_review_reaches_the_web_view_and_fails_no_one() {
    let h = harness().await;
    // Slow enough that the review is still running when the fault is armed.
    h.state.sandbox.set_latency(Duration::from_millis(30));
    let started = review::start_access_review(&h.state, request(ReviewScopeKind::All, None, None))
        .await
        .unwrap();
    // Past the admin's own listing (the first progress has been sent): every third file listing is a 429.
    h.state.sandbox.inject_fault_every(
        "/v2/files",
        standin_sandbox::Fault::TooManyRequests {
            retry_after: Some(0),
        },
        3,
    );
    let end = finished(&h, &started.review_id).await;
    h.state.sandbox.clear_faults();
    let fired = h.state.sandbox.faults_fired();
    assert!(fired >= 1, "429s fired: {fired}");
    // The waits reached the web view as sigma-retry, and the review said it slowed down.
    let retries = h.events.of("sigma-retry");
    assert!(
        retries.iter().any(|r| r["reason"] == "throttled"),
        "{retries:?}"
    );
    let progress = h.events.of("review-progress");
    assert_eq!(progress[0]["throttled"], false);
    assert!(
        progress.iter().any(|p| p["throttled"] == true),
        "throttled was never reported"
    );
    // Throttling slows the review down; it fails no one (only the rows refused before any call, target_*).
    let result = review::access_review_result(&h.state, started.review_id)
        .await
        .unwrap();
    let failed_as_them: Vec<_> = result
        .users
        .iter()
        .filter(|u| u.outcome == ReviewOutcomeKind::Failed)
        .filter(|u| {
            u.error
                .as_ref()
                .is_some_and(|e| !e.code.starts_with("target_"))
        })
        .collect();
    assert!(failed_as_them.is_empty(), "{failed_as_them:?}");
    assert_eq!(end["notRun"], 0);
}
