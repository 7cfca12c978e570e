//! What a real network does that a friendly server never does: throttling (JSON and HTML), server errors,
//! dropped connections, an actor token that expires halfway through a walk, odd token lifetimes, broken
//! paging, TLS on a plain port. Each test proves its fault fired (`faults_fired`, the wire log) before
//! trusting the outcome.

mod support;

use standin_core::client::{token_lifetime, MAX_TOKEN_LIFETIME, MIN_TOKEN_LIFETIME};
use standin_core::retry::{RetryNotice, RetryPolicy, RetryReason};
use standin_core::session::{start_impersonation, StartOptions};
use standin_core::{CoreError, MemberQuery, SigmaClient};
use standin_sandbox::Fault;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{env, Env};

/// A client on the same sandbox and wire log with a fast retry policy, and the notices it gave.
fn fast_client(env: &Env, max_tries: u32) -> (SigmaClient, Arc<Mutex<Vec<RetryNotice>>>) {
    let client = env.client.clone().with_retry_policy(RetryPolicy {
        max_tries,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(80),
        ..Default::default()
    });
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = notices.clone();
    client.set_retry_observer(Some(Arc::new(move |n: &RetryNotice| {
        sink.lock().unwrap().push(n.clone())
    })));
    (client, notices)
}

fn count(env: &Env, method: &str, prefix: &str) -> usize {
    env.wire()
        .iter()
        .filter(|r| r.method == method && r.path_and_query.starts_with(prefix))
        .count()
}

async fn all_members(client: &SigmaClient, limit: u32) -> standin_core::Result<Vec<String>> {
    Ok(client
        .admin()
        .await?
        .members(&MemberQuery::default(), limit)
        .await?
        .into_iter()
        .map(|m| m.member_id)
        .collect())
}

#[tokio::test]
async fn every_third_get_throttled_or_failing_still_lists_everyone() {
    let env = env().await;
    let (client, notices) = fast_client(&env, 5);
    let expected = all_members(&client, 1000).await.unwrap();
    for fault in [
        Fault::TooManyRequests {
            retry_after: Some(0),
        },
        Fault::HtmlPage { status: 429 },
        Fault::HtmlPage { status: 200 },
        Fault::ServerError(500),
        Fault::ServerError(503),
        Fault::DropConnection,
    ] {
        env.sandbox.clear_faults();
        let fired_before = env.sandbox.faults_fired();
        env.sandbox
            .inject_fault_every("/v2/members", fault.clone(), 3);
        let got = all_members(&client, 4).await.unwrap_or_else(|e| {
            panic!("{fault:?}: {e}");
        });
        assert_eq!(got, expected, "{fault:?}: same members, none twice");
        let fired = env.sandbox.faults_fired() - fired_before;
        // ≈40 members in pages of 4: ≈10 pages plus the retries, so a third of them is at least 3.
        assert!(fired >= 3, "{fault:?} fired only {fired} times");
    }
    let notices = notices.lock().unwrap();
    assert!(notices
        .iter()
        .any(|n| n.reason == RetryReason::Throttled
            && n.message().starts_with("Sigma is throttling")));
    assert!(notices
        .iter()
        .any(|n| n.reason == RetryReason::ServerError(500)));
    assert!(notices.iter().any(|n| n.reason == RetryReason::Connection));
    assert!(
        notices.iter().all(|n| n.path == "/v2/members"),
        "no query in notices"
    );
}

#[tokio::test]
async fn without_retries_the_same_walk_fails() {
    // The guard's proof: the walk above only succeeds because of the retries.
    let env = env().await;
    let (client, _) = fast_client(&env, 1);
    client.actor_token().await.unwrap();
    env.sandbox.inject_fault_every(
        "/v2/members",
        Fault::TooManyRequests { retry_after: None },
        3,
    );
    let e = all_members(&client, 4).await.unwrap_err();
    assert_eq!(e.code(), "throttled", "{e}");
    assert!(
        e.request_id().is_some(),
        "the last answer's request ID: {e}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured_and_tries_are_bounded() {
    let env = env().await;
    let (client, notices) = fast_client(&env, 3);
    client.actor_token().await.unwrap();
    env.sandbox.inject_fault(
        "/v2/whoami",
        Fault::TooManyRequests {
            retry_after: Some(1),
        },
        1,
    );
    let started = Instant::now();
    client.admin().await.unwrap().whoami().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as Retry-After asked"
    );
    assert_eq!(notices.lock().unwrap()[0].delay, Duration::from_secs(1));
    assert_eq!(count(&env, "GET", "/v2/whoami"), 2);

    // Throttled on every try: exactly max_tries requests, then the error with Sigma's request ID.
    env.sandbox.inject_fault(
        "/v2/whoami",
        Fault::TooManyRequests { retry_after: None },
        10,
    );
    let e = client.admin().await.unwrap().whoami().await.unwrap_err();
    assert!(matches!(e, CoreError::Throttled { status: 429, .. }), "{e}");
    assert!(e.request_id().is_some());
    assert!(e.to_string().contains("request ID"), "{e}");
    assert_eq!(count(&env, "GET", "/v2/whoami"), 2 + 3);
}

#[tokio::test]
async fn the_time_budget_stops_retries() {
    let env = env().await;
    let client = env.client.clone().with_retry_policy(RetryPolicy {
        max_tries: 10,
        budget: Duration::from_millis(1500),
        ..Default::default()
    });
    client.actor_token().await.unwrap();
    env.sandbox.inject_fault(
        "/v2/whoami",
        Fault::TooManyRequests {
            retry_after: Some(1),
        },
        10,
    );
    let started = Instant::now();
    let e = client.admin().await.unwrap().whoami().await.unwrap_err();
    assert_eq!(e.code(), "throttled");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        count(&env, "GET", "/v2/whoami"),
        2,
        "a second wait of 1 s would pass the 1.5 s budget"
    );
}

#[tokio::test]
async fn token_posts_are_not_retried_once_sent() {
    let env = env().await;
    let (client, notices) = fast_client(&env, 5);
    // Throttled or dropped after sending: a POST may have been acted on, so it is not sent again.
    env.sandbox.inject_fault(
        "/v2/auth/token",
        Fault::TooManyRequests { retry_after: None },
        1,
    );
    assert_eq!(client.actor_token().await.unwrap_err().code(), "throttled");
    env.sandbox
        .inject_fault("/v2/auth/token", Fault::DropConnection, 1);
    assert_eq!(client.actor_token().await.unwrap_err().code(), "connect");
    assert_eq!(count(&env, "POST", "/v2/auth/token"), 2);
    assert_eq!(env.sandbox.faults_fired(), 2);
    assert!(notices.lock().unwrap().is_empty());
    client.actor_token().await.unwrap();

    // Never sent (nothing listens): retried, even for a POST.
    let dead = standin_core::Credentials::new(
        None,
        "http://127.0.0.1:1",
        "id",
        standin_core::Secret::new("s"),
        None,
    )
    .unwrap();
    let transport =
        Arc::new(standin_core::transport::ReqwestTransport::new(Default::default()).unwrap());
    let dead = SigmaClient::new(dead, transport, standin_core::clock::system_clock())
        .with_retry_policy(RetryPolicy {
            max_tries: 3,
            base_delay: Duration::from_millis(10),
            ..Default::default()
        });
    let tries = Arc::new(Mutex::new(0));
    let t = tries.clone();
    dead.set_retry_observer(Some(Arc::new(move |_: &RetryNotice| {
        *t.lock().unwrap() += 1
    })));
    let e = dead.actor_token().await.unwrap_err();
    assert_eq!(e.code(), "connect");
    assert_eq!(*tries.lock().unwrap(), 2, "three tries in all");
}

#[tokio::test]
async fn an_actor_token_expiring_mid_walk_is_renewed_and_the_walk_goes_on() {
    let env = env().await;
    let (client, _) = fast_client(&env, 5);
    let expected = all_members(&client, 1000).await.unwrap();
    let grants_before = count(&env, "POST", "/v2/auth/token");
    env.sandbox
        .inject_fault_every("/v2/members", Fault::ExpireToken, 4);
    let got = all_members(&client, 3).await.unwrap();
    env.sandbox.clear_faults();
    assert_eq!(got, expected);
    assert!(env.sandbox.faults_fired() >= 2);
    let wire = env.wire();
    let renewals = count(&env, "POST", "/v2/auth/token") - grants_before;
    assert!(renewals >= 2, "a new token per expiry, got {renewals}");
    // Each 401 is followed by the same page asked again with another token.
    let mut retried = 0;
    for w in wire.windows(3) {
        if w[0].status == Some(401) && w[0].path_and_query.starts_with("/v2/members") {
            assert_eq!(w[1].method, "POST", "a new token first");
            assert_eq!(w[2].path_and_query, w[0].path_and_query, "same cursor");
            assert_ne!(w[2].authorization, w[0].authorization, "with the new token");
            assert_eq!(w[2].status, Some(200));
            retried += 1;
        }
    }
    assert!(retried >= 2, "{retried}");
}

#[tokio::test]
async fn a_401_is_retried_once_only() {
    let env = env().await;
    let (client, _) = fast_client(&env, 5);
    client.actor_token().await.unwrap();
    env.sandbox
        .inject_fault("/v2/whoami", Fault::ServerError(401), 2);
    let e = client.admin().await.unwrap().whoami().await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert_eq!(count(&env, "GET", "/v2/whoami"), 2, "one retry, not a loop");
    assert_eq!(count(&env, "POST", "/v2/auth/token"), 2, "one renewal");
    // The next call starts with yet another token, and works.
    client.admin().await.unwrap().whoami().await.unwrap();
}

#[tokio::test]
async fn odd_token_lifetimes_never_panic_nor_cost_a_grant_per_call() {
    for expires_in in [
        serde_json::json!(u64::MAX),
        serde_json::json!(1e300),
        serde_json::json!(0),
        serde_json::json!(-5),
        serde_json::json!(0.5),
        serde_json::json!("3600"),
        serde_json::json!("soon"),
        serde_json::Value::Null,
    ] {
        let env = env().await;
        env.sandbox.inject_fault(
            "/v2/auth/token",
            Fault::TokenLifetime(expires_in.clone()),
            1,
        );
        let client = &env.client;
        client.actor_token().await.unwrap();
        let expiry = client.actor_token_expiry().await.unwrap();
        let lifetime = expiry - client.now();
        assert!(
            lifetime >= MIN_TOKEN_LIFETIME && lifetime <= MAX_TOKEN_LIFETIME,
            "{expires_in}: {lifetime}"
        );
        for _ in 0..5 {
            client.admin().await.unwrap().whoami().await.unwrap();
        }
        env.clock.advance(Duration::from_secs(30));
        client.admin().await.unwrap().whoami().await.unwrap();
        assert_eq!(env.sandbox.faults_fired(), 1);
        assert_eq!(
            count(&env, "POST", "/v2/auth/token"),
            1,
            "{expires_in}: one grant for six calls over 30 s"
        );

        // The exchange's lifetime is clamped the same way; the session never ends at once.
        env.sandbox.inject_fault(
            "/v2/auth/token",
            Fault::TokenLifetime(expires_in.clone()),
            1,
        );
        let user = env.ordinary_user().await;
        let session = start_impersonation(client, env.audit_sink(), StartOptions::new(&user.email))
            .await
            .unwrap();
        assert_eq!(env.sandbox.faults_fired(), 2);
        let left = session.time_left();
        assert!(
            left >= Duration::from_secs(59) && left <= Duration::from_secs(3600),
            "{expires_in}: {left:?}"
        );
        session.whoami().await.unwrap();
        session.stop().unwrap();
    }
    assert_eq!(token_lifetime(Some(i64::MAX)), MAX_TOKEN_LIFETIME);
    assert_eq!(token_lifetime(Some(i64::MIN)), MIN_TOKEN_LIFETIME);
}

#[tokio::test]
async fn an_empty_page_with_a_cursor_stops_the_walk() {
    let env = env().await;
    let (client, _) = fast_client(&env, 5);
    client.actor_token().await.unwrap();
    env.sandbox
        .inject_fault("/v2/members", Fault::EmptyPageWithCursor, 1);
    let e = all_members(&client, 5).await.unwrap_err();
    assert_eq!(env.sandbox.faults_fired(), 1);
    assert_eq!(e.code(), "pagination", "{e}");
    assert!(e.to_string().contains("empty page"), "{e}");
    assert!(e.to_string().contains("/v2/members"), "{e}");
}

#[tokio::test]
async fn https_to_a_plain_http_port_says_so() {
    let env = env().await;
    let url = env.sandbox.base_url().replace("http://", "https://");
    let creds =
        standin_core::Credentials::new(None, &url, "id", standin_core::Secret::new("s"), None)
            .unwrap();
    let client = SigmaClient::connect(creds).unwrap();
    let e = client.actor_token().await.unwrap_err();
    assert_eq!(e.code(), "tls", "{e}");
    let text = e.to_string();
    assert!(text.contains("does not speak HTTPS"), "{text}");
    assert!(text.contains("plain HTTP on this port"), "{text}");
    assert!(!text.contains("InvalidContentType"), "{text}");
}

#[tokio::test]
async fn an_impersonation_token_refused_by_sigma_ends_the_session_on_record() {
    let env = env().await;
    let user = env.ordinary_user().await;
    let session = start_impersonation(
        &env.client,
        env.audit_sink(),
        StartOptions::new(&user.email),
    )
    .await
    .unwrap();
    session.whoami().await.unwrap();
    env.sandbox.inject_fault("/v2/files", Fault::ExpireToken, 1);
    let e = session.files(&Default::default()).await.unwrap_err();
    assert_eq!(env.sandbox.faults_fired(), 1);
    assert_eq!(e.code(), "session_ended_by_server", "{e}");
    assert!(
        e.to_string().contains("the session expired on the server"),
        "{e}"
    );
    assert!(e.request_id().is_some());
    assert!(session.is_stopped() && session.ended_by_server());
    // Nothing more is sent as the user, and the end is recorded once.
    let sent = env.wire().len();
    assert_eq!(session.whoami().await.unwrap_err().code(), "no_session");
    assert_eq!(env.wire().len(), sent);
    session.stop().unwrap();
    let ends: Vec<_> = env
        .audit
        .entries()
        .into_iter()
        .filter(|a| {
            matches!(
                a.event,
                standin_core::audit::AuditEvent::Expired | standin_core::audit::AuditEvent::Stop
            )
        })
        .collect();
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].detail.as_deref(), Some("rejected_by_server"));
    assert!(ends[0].request_id.is_some());
}
