//! The token endpoint on the wire: exact form bodies of both grants and of the exchange, the actor-token
//! cache, refresh before expiry with an injected clock, and session expiry.

mod support;

use standin_core::audit::AuditEvent;
use standin_core::wire::ClientAuth;
use standin_core::{start_impersonation, StartOptions};
use std::time::Duration;
use support::env;

fn form(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn client_credentials_grant_sends_the_exact_form_body() {
    let env = env().await;
    let admin = env.sandbox.admin_credentials();
    env.client.actor_token().await.unwrap();
    let wire = env.wire();
    assert_eq!(wire.len(), 1);
    let r = &wire[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path_and_query, "/v2/auth/token");
    assert_eq!(
        r.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert!(r.authorization.is_none());
    let expected = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", &admin.client_id)
        .append_pair("client_secret", &admin.client_secret)
        .finish();
    assert_eq!(r.body.as_deref(), Some(expected.as_str()));
    assert_eq!(r.status, Some(200));
}

#[tokio::test]
async fn basic_client_auth_works_against_the_server() {
    let env = env().await;
    let client = env.client.clone().with_client_auth(ClientAuth::Basic);
    client.admin().await.unwrap().whoami().await.unwrap();
    let wire = env.wire();
    let grant = &wire[0];
    assert!(grant
        .authorization
        .as_deref()
        .unwrap()
        .starts_with("Basic "));
    assert_eq!(grant.body.as_deref(), Some("grant_type=client_credentials"));
    assert_eq!(grant.status, Some(200));
}

#[tokio::test]
async fn the_exchange_sends_five_fields_and_the_actor_token_as_bearer() {
    let env = env().await;
    let user = env.ordinary_user().await;
    let session = start_impersonation(
        &env.client,
        env.audit_sink(),
        StartOptions::new(&user.email),
    )
    .await
    .unwrap();
    let wire = env.wire();
    let ex = wire
        .iter()
        .find(|r| {
            r.body
                .as_deref()
                .is_some_and(|b| b.contains("token-exchange"))
        })
        .expect("an exchange request");
    let fields = form(ex.body.as_deref().unwrap());
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "grant_type",
            "subject_token",
            "subject_token_type",
            "actor_token",
            "actor_token_type"
        ]
    );
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).unwrap().1.clone();
    assert_eq!(
        get("grant_type"),
        "urn:ietf:params:oauth:grant-type:token-exchange"
    );
    assert_eq!(
        get("subject_token_type"),
        "urn:ietf:params:oauth:token-type:jwt"
    );
    assert_eq!(
        get("actor_token_type"),
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(
        ex.authorization.as_deref(),
        Some(format!("Bearer {}", get("actor_token")).as_str())
    );
    let inspected = standin_core::dangerous::inspect(&get("subject_token")).unwrap();
    assert_eq!(inspected.header["alg"], "HS256");
    assert_eq!(inspected.header["typ"], "JWT");
    assert_eq!(
        inspected.header["kid"],
        env.sandbox.admin_credentials().client_id.as_str()
    );
    assert_eq!(inspected.claims["sub"], user.email.as_str());
    let iat = inspected.claims["iat"].as_i64().unwrap();
    let exp = inspected.claims["exp"].as_i64().unwrap();
    assert!(exp > iat && exp - iat <= 300);
    assert!(inspected.claims["jti"]
        .as_str()
        .is_some_and(|j| !j.is_empty()));
    assert_eq!(ex.status, Some(200));
    session.stop().unwrap();
}

#[tokio::test]
async fn the_actor_token_is_cached_then_refreshed_before_expiry() {
    let env = env().await;
    let first = env.client.actor_token().await.unwrap();
    let again = env.client.actor_token().await.unwrap();
    assert_eq!(first.expose(), again.expose());
    assert_eq!(env.wire().len(), 1, "one grant for two uses");

    // 50 minutes later: still fresh.
    env.clock.advance(Duration::from_secs(50 * 60));
    env.client.actor_token().await.unwrap();
    assert_eq!(env.wire().len(), 1);

    // 59.5 minutes: inside the refresh margin, so the refresh token is used.
    env.clock.advance(Duration::from_secs(9 * 60 + 30));
    let refreshed = env.client.actor_token().await.unwrap();
    assert_ne!(refreshed.expose(), first.expose());
    let wire = env.wire();
    assert_eq!(wire.len(), 2);
    let refresh = form(wire[1].body.as_deref().unwrap());
    assert_eq!(
        refresh[0],
        ("grant_type".to_string(), "refresh_token".to_string())
    );
    assert_eq!(refresh[1].0, "refresh_token");
    assert_eq!(refresh.len(), 2);
    assert_eq!(wire[1].status, Some(200));
    // And the refreshed token works.
    env.client.admin().await.unwrap().whoami().await.unwrap();
}

#[tokio::test]
async fn a_failed_refresh_falls_back_to_a_new_grant() {
    let env = env().await;
    env.client.actor_token().await.unwrap();
    // Eight days pass on both clocks: the sandbox's refresh tokens live a week, so the refresh fails too.
    env.sandbox
        .advance_clock(Duration::from_secs(8 * 24 * 3600));
    env.clock.advance(Duration::from_secs(8 * 24 * 3600));
    env.client.admin().await.unwrap().whoami().await.unwrap();
    let grants: Vec<String> = env
        .wire()
        .iter()
        .filter(|r| r.path_and_query == "/v2/auth/token")
        .map(|r| form(r.body.as_deref().unwrap())[0].1.clone())
        .collect();
    assert_eq!(
        grants,
        ["client_credentials", "refresh_token", "client_credentials"],
        "{grants:?}"
    );
}

#[tokio::test]
async fn a_session_expires_by_itself() {
    let env = env().await;
    let user = env.ordinary_user().await;
    let mut opts = StartOptions::new(&user.email);
    opts.duration = Some(Duration::from_secs(15 * 60));
    let session = start_impersonation(&env.client, env.audit_sink(), opts)
        .await
        .unwrap();
    assert_eq!(session.time_left(), Duration::from_secs(15 * 60));
    env.clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(session.time_left(), Duration::from_secs(60));
    session.whoami().await.unwrap();
    env.clock.advance(Duration::from_secs(61));
    assert!(session.is_expired());
    let sent = env.sandbox.request_count();
    let err = session.whoami().await.unwrap_err();
    assert_eq!(err.code(), "session_expired");
    assert_eq!(
        env.sandbox.request_count(),
        sent,
        "nothing is sent on an expired session"
    );
    session.whoami().await.unwrap_err();
    assert!(session.is_stopped(), "expiry dropped the token");
    session.stop().unwrap();
    let events: Vec<_> = env.audit.entries().iter().map(|e| e.event).collect();
    assert_eq!(
        events.iter().filter(|e| **e == AuditEvent::Expired).count(),
        1,
        "{events:?}"
    );
    assert!(
        !events.contains(&AuditEvent::Stop),
        "an expiry is not recorded as a stop too"
    );
    let end = env.audit.entries().last().cloned().unwrap();
    assert_eq!(end.event, AuditEvent::Expired);
    assert_eq!(end.detail.as_deref(), Some("expired"));
}

#[tokio::test]
async fn the_server_refuses_an_expired_impersonation_token() {
    let env = env().await;
    let user = env.ordinary_user().await;
    let session = start_impersonation(
        &env.client,
        env.audit_sink(),
        StartOptions::new(&user.email),
    )
    .await
    .unwrap();
    // Only the server's clock moves: Stand-in thinks the session is alive, Sigma says 401.
    env.sandbox.advance_clock(Duration::from_secs(3601));
    let err = session.whoami().await.unwrap_err();
    assert_eq!(err.code(), "session_ended_by_server", "{err}");
    assert!(err.to_string().contains("expired on the server"), "{err}");
    assert!(err.request_id().is_some());
    // The session is over: its token dropped, its end on record as an expiry the server caused.
    assert!(session.is_stopped());
    session.stop().unwrap();
    let end = env.audit.entries().last().cloned().unwrap();
    assert_eq!(end.event, AuditEvent::Expired);
    assert_eq!(end.detail.as_deref(), Some("rejected_by_server"));
}
