//! Paths sent as the user are normalised before the rules (`..`, `.`, `%2e%2e`, `%2f`, `//`, backslashes),
//! against the real sandbox: other spellings of a blocked endpoint are refused before anything is sent,
//! paths that leave `/v2/` are refused, and what is recorded and sent is the normalised path.

mod support;

use standin_core::audit::AuditEvent;
use standin_core::wire::Method;
use standin_core::{start_impersonation, ImpersonationSession, StartOptions};
use support::{env, Env};

async fn session(env: &Env, read_only: bool) -> ImpersonationSession {
    let mut opts = StartOptions::new("tom.lee@acme.example");
    opts.read_only = read_only;
    start_impersonation(&env.client, env.audit_sink(), opts)
        .await
        .expect("session starts")
}

fn sent_as_user(env: &Env) -> Vec<String> {
    env.wire()
        .iter()
        .filter(|r| {
            r.path_and_query.starts_with("/v2/") && !r.path_and_query.starts_with("/v2/auth/token")
        })
        .map(|r| format!("{} {}", r.method, r.path_and_query))
        .collect()
}

#[tokio::test]
async fn other_spellings_of_blocked_endpoints_are_refused_before_sending() {
    let env = env().await;
    let s = session(&env, false).await;
    let before = env.wire().len();
    for (method, path) in [
        (Method::Post, "/v2/../v2/workbooks/w1/export"),
        (Method::Get, "/v2/%2e%2e/v2/connections/paths/x"),
        (Method::Get, "/v2//connections/paths/x"),
        (Method::Post, "/v2/workbooks/w1/%2E/send"),
        (Method::Get, "\\v2\\connections\\paths\\x"),
    ] {
        let err = s.check_request(method, path).unwrap_err();
        assert_eq!(
            err.refusal().map(|r| r.rule()),
            Some("endpoint_rejects_impersonation"),
            "{path}: {err}"
        );
        let err = s.request(method, path, None).await.unwrap_err();
        assert_eq!(
            err.refusal().map(|r| r.rule()),
            Some("endpoint_rejects_impersonation"),
            "{path}: {err}"
        );
    }
    assert_eq!(env.wire().len(), before, "nothing was sent");
    // The refusals are recorded with the normalised path.
    let refused: Vec<String> = env
        .audit
        .entries()
        .iter()
        .filter(|e| e.event == AuditEvent::Refused)
        .filter_map(|e| e.path.clone())
        .collect();
    assert!(refused.contains(&"/v2/workbooks/w1/export".to_string()));
    assert!(refused.contains(&"/v2/connections/paths/x".to_string()));
    assert!(refused
        .iter()
        .all(|p| !p.contains("..") && !p.contains('%')));
    s.stop().unwrap();
}

#[tokio::test]
async fn paths_that_leave_the_api_are_refused_and_nothing_is_sent() {
    let env = env().await;
    let s = session(&env, true).await;
    let before = env.wire().len();
    for path in [
        "/v2/../admin",
        "/v2/../sandbox/audit-log",
        "/v2/%2e%2e/%2e%2e/etc/passwd",
        "/v2/..%2f..%2fsandbox/audit-log",
    ] {
        let err = s.check_request(Method::Get, path).unwrap_err();
        assert_eq!(err.code(), "console_request", "{path}: {err}");
        let err = s.request(Method::Get, path, None).await.unwrap_err();
        assert_eq!(err.code(), "console_request", "{path}: {err}");
    }
    assert_eq!(env.wire().len(), before, "nothing was sent");
    // Each refusal is on record, like every other refusal.
    let refused = env
        .audit
        .entries()
        .iter()
        .filter(|e| {
            e.event == AuditEvent::Refused && e.detail.as_deref() == Some("console_request")
        })
        .count();
    assert_eq!(refused, 4);
    s.stop().unwrap();
}

#[tokio::test]
async fn the_normalised_path_is_what_is_sent_and_recorded() {
    let env = env().await;
    let s = session(&env, true).await;
    let before = sent_as_user(&env).len();
    let me: standin_core::model::WhoAmI = s.get("/v1/../v2/./whoami").await.unwrap();
    assert!(!me.user_id.is_empty());
    let answer = s
        .request(Method::Get, "/v2//files?limit=1&x=..%2f", None)
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    let sent = sent_as_user(&env);
    assert_eq!(
        &sent[before..],
        ["GET /v2/whoami", "GET /v2/files?limit=1&x=..%2f"]
    );
    let recorded: Vec<String> = env
        .audit
        .entries()
        .iter()
        .filter(|e| e.event == AuditEvent::Request)
        .filter_map(|e| e.path.clone())
        .collect();
    // Each request may be recorded more than once (before sending and with its answer); every record has
    // the normalised path.
    let mut distinct = recorded.clone();
    distinct.dedup();
    assert_eq!(distinct, ["/v2/whoami", "/v2/files"], "{recorded:?}");
    s.stop().unwrap();
}
