//! Access review against the in-process sandbox: the matrix against each user's own listing, the three
//! scopes, a user failing alone, throttling mid-review, cancel, the concurrency bound, and the audit trail
//! under one review ID. Faults are injected once the review is past its admin side (the first progress
//! call), and every fault test proves its fault fired.

mod support;

use standin_core::audit::{read_audit_log, verify_audit_log, AuditEvent, JsonlAuditLog};
use standin_core::client::{Credentials, FileQuery};
use standin_core::retry::{RetryNotice, RetryObserver, RetryPolicy};
use standin_core::review::{
    run_access_review, AccessReview, ReviewCancel, ReviewOptions, ReviewOutcome, ReviewProgress,
    ReviewScope,
};
use standin_core::secret_store::MemorySecretStore;
use standin_core::session::{start_impersonation, StartOptions};
use standin_core::transport::{BoxFuture, ReqwestTransport, Transport, TransportOptions};
use standin_core::wire::{HttpRequest, HttpResponse};
use standin_core::SigmaClient;
use standin_sandbox::{
    Fault, DEMO_ARCHIVED_EMAIL, DEMO_CREATOR_EMAIL, DEMO_OTHER_ADMIN_EMAIL, DEMO_USER_EMAIL,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{env, Env};

fn no_progress() -> impl Fn(&ReviewProgress) + Send + Sync {
    |_: &ReviewProgress| {}
}

async fn review(
    client: &SigmaClient,
    env: &Env,
    options: &ReviewOptions,
    on_progress: &(dyn Fn(&ReviewProgress) + Send + Sync),
    cancel: &ReviewCancel,
) -> AccessReview {
    run_access_review(
        client,
        env.audit_sink(),
        "sandbox",
        options,
        on_progress,
        cancel,
    )
    .await
    .expect("the review runs")
}

fn outcome_of<'a>(r: &'a AccessReview, email: &str) -> &'a ReviewOutcome {
    &r.users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
        .unwrap_or_else(|| panic!("{email} is in the review"))
        .outcome
}

fn code_of(r: &AccessReview, email: &str) -> String {
    match outcome_of(r, email) {
        ReviewOutcome::Failed { code, .. } => code.clone(),
        other => panic!("{email}: expected a failure, got {other:?}"),
    }
}

/// A user's row of the matrix as (document ID, permission).
fn row(r: &AccessReview, user_idx: usize) -> BTreeSet<(String, String)> {
    (0..r.documents.len())
        .filter_map(|d| {
            r.permission(user_idx, d)
                .map(|p| (r.documents[d].id.clone(), p.to_string()))
        })
        .collect()
}

#[tokio::test]
async fn the_whole_org_matrix_is_each_users_own_listing() {
    let env = env().await;
    let mut options = ReviewOptions::new(ReviewScope::All);
    options.concurrency = 4;
    let r = review(
        &env.client,
        &env,
        &options,
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await;
    assert!(!r.cancelled);

    // Every active member is a row; admins and members of unknown type are refused rows, the rest done.
    let active: Vec<_> = env
        .everyone()
        .await
        .into_iter()
        .filter(|m| !m.archived() && !m.inactive())
        .collect();
    assert_eq!(r.users.len(), active.len());
    let mut done = 0;
    for m in &active {
        let outcome = outcome_of(&r, &m.email);
        if m.is_admin() {
            assert_eq!(code_of(&r, &m.email), "target_is_admin");
        } else if m.type_unknown() {
            assert_eq!(code_of(&r, &m.email), "target_type_unknown");
        } else {
            assert_eq!(outcome, &ReviewOutcome::Done, "{}", m.email);
            done += 1;
        }
    }
    assert!(done >= 5, "the demo org has several reviewable users");

    // Each done user's row is exactly what that user lists in a session of their own.
    for (i, u) in r.users.iter().enumerate() {
        if u.outcome != ReviewOutcome::Done {
            continue;
        }
        let session =
            start_impersonation(&env.client, env.audit_sink(), StartOptions::new(&u.email))
                .await
                .unwrap();
        let own: BTreeSet<(String, String)> = session
            .files(&FileQuery::default())
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.id, f.permission))
            .collect();
        session.stop().unwrap();
        assert_eq!(row(&r, i), own, "{}", u.email);
    }
    // The admin's column is the admin's own listing.
    let admin: HashMap<String, String> = env
        .client
        .admin()
        .await
        .unwrap()
        .files(&FileQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.permission))
        .collect();
    assert!(!admin.is_empty());
    for d in &r.documents {
        assert_eq!(d.admin_permission.as_ref(), admin.get(&d.id), "{}", d.id);
    }
    // Who can see a document is the matrix read down a column.
    let some_doc = (0..r.documents.len())
        .max_by_key(|&d| {
            (0..r.users.len())
                .filter(|&u| r.permission(u, d).is_some())
                .count()
        })
        .unwrap();
    let doc_id = r.documents[some_doc].id.clone();
    let viewers: BTreeSet<String> = r
        .who_can_see(&doc_id)
        .into_iter()
        .map(|(u, p)| format!("{}:{p}", u.email))
        .collect();
    let expected: BTreeSet<String> = (0..r.users.len())
        .filter_map(|u| {
            Some(format!(
                "{}:{}",
                r.users[u].email,
                r.permission(u, some_doc)?
            ))
        })
        .collect();
    assert_eq!(viewers, expected);
}

#[tokio::test]
async fn a_team_review_covers_the_team_roster() {
    let env = env().await;
    let api = env.client.admin().await.unwrap();
    let teams = api.teams(1000).await.unwrap();
    // The team with the most members, so the review has something to do.
    let mut best = None;
    for t in &teams {
        let roster = api.team_roster(&t.team_id).await.unwrap();
        if best
            .as_ref()
            .is_none_or(|(_, n): &(String, usize)| roster.len() > *n)
        {
            best = Some((t.team_id.clone(), roster.len()));
        }
    }
    let (team_id, _) = best.expect("the demo org has teams");
    let roster: BTreeSet<String> = api
        .team_roster(&team_id)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| e.member.map(|m| m.email))
        .collect();
    assert!(roster.len() >= 2);
    let r = review(
        &env.client,
        &env,
        &ReviewOptions::new(ReviewScope::Team(team_id)),
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await;
    let reviewed: BTreeSet<String> = r.users.iter().map(|u| u.email.clone()).collect();
    assert_eq!(reviewed, roster);
    assert!(r.users.iter().any(|u| u.outcome == ReviewOutcome::Done));

    // A team that does not exist is an error for the whole review, not an empty review.
    let err = run_access_review(
        &env.client,
        env.audit_sink(),
        "sandbox",
        &ReviewOptions::new(ReviewScope::Team("no-such-team".into())),
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn unknown_malformed_and_ineligible_emails_are_failed_rows_and_the_rest_finish() {
    let env = env().await;
    let emails = vec![
        DEMO_USER_EMAIL.to_string(),
        "nobody@acme.example".into(),
        "not an email".into(),
        DEMO_OTHER_ADMIN_EMAIL.into(),
        DEMO_ARCHIVED_EMAIL.into(),
        // Case and repeats do not make a second row.
        DEMO_CREATOR_EMAIL.to_uppercase(),
        DEMO_CREATOR_EMAIL.into(),
        "  ".into(),
    ];
    let r = review(
        &env.client,
        &env,
        &ReviewOptions::new(ReviewScope::Emails(emails)),
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await;
    assert_eq!(r.users.len(), 6, "{:?}", r.users);
    assert_eq!(outcome_of(&r, DEMO_USER_EMAIL), &ReviewOutcome::Done);
    assert_eq!(outcome_of(&r, DEMO_CREATOR_EMAIL), &ReviewOutcome::Done);
    assert_eq!(code_of(&r, "nobody@acme.example"), "target_not_found");
    assert_eq!(code_of(&r, "not an email"), "malformed_email");
    assert_eq!(code_of(&r, DEMO_OTHER_ADMIN_EMAIL), "target_is_admin");
    assert_eq!(code_of(&r, DEMO_ARCHIVED_EMAIL), "target_archived");
    let ReviewOutcome::Failed { message, .. } = outcome_of(&r, "nobody@acme.example") else {
        unreachable!()
    };
    assert!(message.contains("no user with email"), "{message}");
    assert_eq!(r.counts(), (2, 4, 0));
    // Refused rows never reached the token endpoint: two exchanges, for the two done users.
    let exchanges = env
        .sandbox
        .audit_events()
        .into_iter()
        .filter(|e| e.outcome == "success")
        .count();
    assert_eq!(exchanges, 2);
}

#[tokio::test]
async fn one_users_failure_leaves_the_others_done() {
    let env = env().await;
    let client = env.client.clone().with_retry_policy(RetryPolicy::none());
    let mut options = ReviewOptions::new(ReviewScope::All);
    options.concurrency = 3;
    let injected = AtomicUsize::new(0);
    let on_progress = |_: &ReviewProgress| {
        // Once the admin's side is listed: the next user listing gets a 500, the one after that finds
        // its session token expired (Sigma answers 401).
        if injected.fetch_add(1, Ordering::SeqCst) == 0 {
            env.sandbox.inject_fault("/v2/files", Fault::ExpireToken, 1);
            env.sandbox
                .inject_fault("/v2/files", Fault::ServerError(500), 1);
        }
    };
    let r = review(&client, &env, &options, &on_progress, &ReviewCancel::new()).await;
    assert_eq!(env.sandbox.faults_fired(), 2, "both faults fired");
    let codes: Vec<&str> = r
        .users
        .iter()
        .filter_map(|u| match &u.outcome {
            ReviewOutcome::Failed { code, .. } if !code.starts_with("target_") => {
                Some(code.as_str())
            }
            _ => None,
        })
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(sorted, ["session_ended_by_server", "sigma_error"]);
    let (done, _, not_run) = r.counts();
    assert_eq!(not_run, 0);
    assert!(done >= 3, "the others finished: {:?}", r.users);
    // The user whose session Sigma ended has the end on record, and no stop after it.
    let ended: Vec<_> = env
        .audit
        .entries()
        .into_iter()
        .filter(|e| e.event == AuditEvent::Expired)
        .collect();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].detail.as_deref(), Some("rejected_by_server"));
}

#[tokio::test]
async fn throttling_mid_review_lowers_the_users_in_flight_and_the_review_completes() {
    let env = env().await;
    let client = env.client.clone().with_retry_policy(RetryPolicy {
        max_tries: 10,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..Default::default()
    });
    // The caller's own observer still hears every notice, and is put back afterwards.
    let heard = Arc::new(AtomicUsize::new(0));
    let h = heard.clone();
    let mine: RetryObserver = Arc::new(move |_: &RetryNotice| {
        h.fetch_add(1, Ordering::SeqCst);
    });
    client.set_retry_observer(Some(mine.clone()));
    let progress: Mutex<Vec<ReviewProgress>> = Mutex::default();
    let on_progress = |p: &ReviewProgress| {
        let mut seen = progress.lock().unwrap();
        if seen.is_empty() {
            env.sandbox.inject_fault_every(
                "/v2/files",
                Fault::TooManyRequests { retry_after: None },
                3,
            );
        }
        seen.push(p.clone());
    };
    let r = review(
        &client,
        &env,
        &ReviewOptions::new(ReviewScope::All),
        &on_progress,
        &ReviewCancel::new(),
    )
    .await;
    let fired = env.sandbox.faults_fired();
    eprintln!(
        "{:#?}",
        r.users
            .iter()
            .map(|u| (&u.email, &u.outcome))
            .collect::<Vec<_>>()
    );
    assert!(fired >= 2, "429s fired: {fired}");
    assert_eq!(
        heard.load(Ordering::SeqCst) as u64,
        fired,
        "each 429 was retried once"
    );
    assert!(
        r.users
            .iter()
            .all(|u| !matches!(&u.outcome, ReviewOutcome::Failed { code, .. } if !code.starts_with("target_"))),
        "throttling failed no one: {:?}",
        r.users
    );
    assert_eq!(r.counts().2, 0);
    let progress = progress.into_inner().unwrap();
    assert!(!progress[0].throttled);
    assert!(
        progress.iter().any(|p| p.throttled),
        "throttled was reported"
    );
    let last = progress.last().unwrap();
    assert_eq!(last.done + last.failed, last.total);
    assert!(last.rate_per_sec > 0.0);
    assert_eq!(last.eta_ms, Some(0));
    let restored = client.retry_observer().expect("an observer");
    assert!(
        Arc::ptr_eq(&restored, &mine),
        "the caller's observer is back"
    );
}

#[tokio::test]
async fn cancel_keeps_what_finished_and_ends_every_session_on_record() {
    let env = env().await;
    let cancel = ReviewCancel::new();
    let mut options = ReviewOptions::new(ReviewScope::All);
    options.concurrency = 2;
    let calls = AtomicUsize::new(0);
    let on_progress = |p: &ReviewProgress| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            // Slow listings, so users are in flight when the cancel comes.
            env.sandbox.inject_fault_every(
                "/v2/files",
                Fault::Latency(Duration::from_millis(150)),
                1,
            );
        }
        if p.done >= 2 {
            cancel.cancel();
        }
    };
    let started = std::time::Instant::now();
    let r = review(&env.client, &env, &options, &on_progress, &cancel).await;
    assert!(r.cancelled);
    assert!(env.sandbox.faults_fired() >= 2);
    let (done, _, not_run) = r.counts();
    assert!(done >= 2, "{:?}", r.users);
    assert!(not_run >= 1, "some users never ran: {:?}", r.users);
    // Users done before the cancel keep their rows.
    assert!(r
        .users
        .iter()
        .filter(|u| u.outcome == ReviewOutcome::Done)
        .all(|u| !u.access.is_empty()));
    assert!(started.elapsed() < Duration::from_secs(10));

    // Every session started has its end on record; every exchange Sigma saw has a local start.
    let entries = env.audit.entries();
    let starts: BTreeSet<String> = entries
        .iter()
        .filter(|e| e.event == AuditEvent::Start)
        .filter_map(|e| e.session_id.clone())
        .collect();
    let ends: BTreeSet<String> = entries
        .iter()
        .filter(|e| matches!(e.event, AuditEvent::Stop | AuditEvent::Expired))
        .filter_map(|e| e.session_id.clone())
        .collect();
    assert!(!starts.is_empty());
    assert_eq!(starts, ends);
    let exchanges = env
        .sandbox
        .audit_events()
        .into_iter()
        .filter(|e| e.outcome == "success")
        .count();
    assert_eq!(exchanges, starts.len());
    assert!(starts.len() < r.users.len(), "not everyone was started");
}

/// Counts requests in flight at once.
struct CountingTransport {
    inner: ReqwestTransport,
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Transport for CountingTransport {
    fn send<'a>(
        &'a self,
        base: &'a url::Url,
        request: HttpRequest,
    ) -> BoxFuture<'a, standin_core::Result<HttpResponse>> {
        Box::pin(async move {
            let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.max.fetch_max(n, Ordering::SeqCst);
            let out = self.inner.send(base, request).await;
            self.now.fetch_sub(1, Ordering::SeqCst);
            out
        })
    }
}

#[tokio::test]
async fn no_more_users_are_in_flight_than_asked() {
    let env = env().await;
    let admin = env.sandbox.admin_credentials();
    let counting = Arc::new(CountingTransport {
        inner: ReqwestTransport::new(TransportOptions::default()).unwrap(),
        now: AtomicUsize::new(0),
        max: AtomicUsize::new(0),
    });
    let client = SigmaClient::new(
        Credentials::new(
            Some("sandbox".into()),
            &env.sandbox.base_url(),
            &admin.client_id,
            standin_core::Secret::new(&admin.client_secret),
            None,
        )
        .unwrap(),
        counting.clone(),
        standin_core::clock::system_clock(),
    );
    for limit in [1usize, 3] {
        let calls = AtomicUsize::new(0);
        let on_progress = |_: &ReviewProgress| {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                // From the first user on, every request takes a while, so users overlap as much as allowed.
                counting.max.store(0, Ordering::SeqCst);
                env.sandbox.inject_fault_every(
                    "/v2/",
                    Fault::Latency(Duration::from_millis(40)),
                    1,
                );
            }
        };
        let mut options = ReviewOptions::new(ReviewScope::All);
        options.concurrency = limit;
        let before = env.sandbox.faults_fired();
        let r = review(&client, &env, &options, &on_progress, &ReviewCancel::new()).await;
        env.sandbox.clear_faults();
        assert!(env.sandbox.faults_fired() - before >= 6, "latency fired");
        assert!(r.counts().0 >= 5);
        // Each user makes one request at a time, so requests in flight are users in flight.
        assert_eq!(counting.max.load(Ordering::SeqCst), limit, "limit {limit}");
    }
}

#[tokio::test]
async fn every_record_of_a_review_carries_its_id_and_the_chain_verifies() {
    let env = env().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = MemorySecretStore::new();
    let path = dir.path().join("audit.jsonl");
    let log = Arc::new(JsonlAuditLog::new(path.clone(), Arc::new(keys.clone())));
    let mut options = ReviewOptions::new(ReviewScope::Emails(vec![
        DEMO_USER_EMAIL.into(),
        DEMO_CREATOR_EMAIL.into(),
        "nobody@acme.example".into(),
    ]));
    options.reason = Some("  Q4 access review  ".into());
    let r = run_access_review(
        &env.client,
        log.clone(),
        "sandbox",
        &options,
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await
    .unwrap();
    let second = run_access_review(
        &env.client,
        log,
        "sandbox",
        &ReviewOptions::new(ReviewScope::Emails(vec![DEMO_USER_EMAIL.into()])),
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await
    .unwrap();
    assert_ne!(r.review_id, second.review_id);

    assert!(verify_audit_log(&path, &keys).unwrap().is_intact());
    let entries = read_audit_log(&path).unwrap().entries;
    let first: Vec<_> = entries
        .iter()
        .filter(|e| e.review_id.as_deref() == Some(r.review_id.as_str()))
        .collect();
    assert_eq!(
        first.len()
            + entries
                .iter()
                .filter(|e| e.review_id.as_deref() == Some(second.review_id.as_str()))
                .count(),
        entries.len(),
        "every record belongs to one of the two reviews"
    );
    let events = |subject: &str| -> Vec<AuditEvent> {
        first
            .iter()
            .filter(|e| e.subject == subject)
            .map(|e| e.event)
            .collect()
    };
    for user in [DEMO_USER_EMAIL, DEMO_CREATOR_EMAIL] {
        let ev = events(user);
        assert_eq!(ev.first(), Some(&AuditEvent::Start), "{user}: {ev:?}");
        assert_eq!(ev.last(), Some(&AuditEvent::Stop), "{user}: {ev:?}");
        assert!(ev.contains(&AuditEvent::Request));
    }
    assert_eq!(events("nobody@acme.example"), [AuditEvent::Refused]);
    assert!(first
        .iter()
        .all(|e| e.reason.as_deref() == Some("Q4 access review")));
    // Read-only: every request of the review is a GET.
    assert!(first
        .iter()
        .filter(|e| e.event == AuditEvent::Request)
        .all(|e| e.method.as_deref() == Some("GET")));
}

#[tokio::test]
async fn a_review_survives_a_json_round_trip_and_its_filters() {
    let env = env().await;
    let r = review(
        &env.client,
        &env,
        &ReviewOptions::new(ReviewScope::All),
        &no_progress(),
        &ReviewCancel::new(),
    )
    .await;
    let mut json = Vec::new();
    r.write_json(&mut json).unwrap();
    let back: AccessReview = serde_json::from_slice(&json).unwrap();
    assert_eq!(back, r);
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(value["reviewId"].is_string());
    assert!(value["users"][0]["outcome"]["status"].is_string());

    // Filtered by type, every document left is of that type and every cell still means the same.
    let t = r.documents[0].doc_type.clone();
    let f = r.filter(Some(&t), None);
    assert!(!f.documents.is_empty() && f.documents.len() < r.documents.len());
    assert!(f.documents.iter().all(|d| d.doc_type == t));
    for u in 0..r.users.len() {
        for (d, doc) in f.documents.iter().enumerate() {
            let original = r.documents.iter().position(|o| o.id == doc.id).unwrap();
            assert_eq!(f.permission(u, d), r.permission(u, original));
        }
    }
    // By folder: the paths kept all start with the prefix.
    let prefix: String = r
        .documents
        .iter()
        .find(|d| d.path.contains('/'))
        .map(|d| d.path.split('/').next().unwrap().to_string())
        .expect("a document in a folder");
    let by_folder = r.filter(None, Some(&prefix));
    assert!(!by_folder.documents.is_empty());
    assert!(by_folder
        .documents
        .iter()
        .all(|d| d.path.starts_with(&prefix)));
}

#[tokio::test]
async fn the_sandbox_counts_requests_for_benchmarks_outside_its_process() {
    let env = env().await;
    env.client.admin().await.unwrap().whoami().await.unwrap();
    let before = env.sandbox.request_count();
    let answer = env
        .client
        .send(HttpRequest::get(
            "/sandbox/request-count".to_string(),
            &standin_core::Secret::new("any"),
        ))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    // The count includes the request asking for it.
    assert_eq!(body["requests"], before + 1);
    assert!(before >= 2, "the grant and whoami were counted");
}
