//! Every rule Stand-in enforces before the token exchange, each against the real sandbox: the refusal says
//! why, is recorded, and no exchange reaches the server (no request at all for a malformed email).

mod support;

use standin_core::audit::AuditEvent;
use standin_core::{start_impersonation, CoreError, SigmaClient, StartOptions};
use support::{credentials_for, env, Env};

fn exchanges(env: &Env) -> usize {
    env.wire()
        .iter()
        .filter(|r| {
            r.body
                .as_deref()
                .is_some_and(|b| b.contains("token-exchange"))
        })
        .count()
}

async fn refused(env: &Env, client: &SigmaClient, email: &str) -> CoreError {
    let err = start_impersonation(client, env.audit_sink(), StartOptions::new(email))
        .await
        .expect_err("must be refused");
    assert_eq!(err.code(), "refused", "{err}");
    let last = env
        .audit
        .entries()
        .last()
        .cloned()
        .expect("refusal recorded");
    assert_eq!(last.event, AuditEvent::Refused);
    assert_eq!(last.detail.as_deref(), err.refusal().map(|r| r.rule()));
    err
}

#[tokio::test]
async fn malformed_emails_are_refused_before_any_network_call() {
    let env = env().await;
    for bad in [
        "tom",
        "tom@",
        "@x.com",
        "tom@@x.com",
        "to m@x.com",
        "tom@x",
        "<b>@x.com",
        "",
    ] {
        let before = env.sandbox.request_count();
        let err = refused(&env, &env.client, bad).await;
        assert_eq!(err.refusal().unwrap().rule(), "malformed_email");
        assert!(err.to_string().contains("not a valid email"), "{err}");
        assert_eq!(
            env.sandbox.request_count(),
            before,
            "no request for {bad:?}"
        );
    }
    assert!(env.wire().is_empty());
}

#[tokio::test]
async fn admins_cannot_impersonate_admins() {
    let env = env().await;
    let me = env.client.admin().await.unwrap().whoami().await.unwrap();
    let other_admin = env
        .everyone()
        .await
        .into_iter()
        .find(|m| m.is_admin() && m.member_id != me.user_id && !m.archived())
        .expect("a second admin in the demo org");
    let err = refused(&env, &env.client, &other_admin.email).await;
    assert_eq!(err.refusal().unwrap().rule(), "target_is_admin");
    assert!(err
        .to_string()
        .contains("admins cannot impersonate other admins"));
    assert_eq!(exchanges(&env), 0);
}

#[tokio::test]
async fn archived_and_inactive_users_are_refused() {
    let env = env().await;
    let everyone = env.everyone().await;
    let archived = everyone
        .iter()
        .find(|m| m.archived() && !m.is_admin())
        .expect("an archived user");
    let err = refused(&env, &env.client, &archived.email).await;
    assert_eq!(err.refusal().unwrap().rule(), "target_archived");
    let inactive = everyone
        .iter()
        .find(|m| m.inactive() && !m.archived() && !m.is_admin())
        .expect("an inactive user");
    let err = refused(&env, &env.client, &inactive.email).await;
    assert_eq!(err.refusal().unwrap().rule(), "target_inactive");
    assert_eq!(exchanges(&env), 0);
}

#[tokio::test]
async fn unknown_users_are_refused() {
    let env = env().await;
    let err = refused(&env, &env.client, "nobody-here@nowhere.example").await;
    assert_eq!(err.refusal().unwrap().rule(), "target_not_found");
    assert_eq!(exchanges(&env), 0);
}

#[tokio::test]
async fn credentials_of_a_non_admin_cannot_impersonate() {
    let env = env().await;
    let admin = env.sandbox.admin_credentials();
    let other = env
        .sandbox
        .api_clients()
        .into_iter()
        .find(|c| c.owner_email != admin.owner_email)
        .expect("a second API client owned by a non-Admin");
    let client = SigmaClient::connect(credentials_for(
        &env.sandbox,
        &other.client_id,
        &other.client_secret,
    ))
    .unwrap();
    let user = env.ordinary_user().await;
    let err = refused(&env, &client, &user.email).await;
    assert_eq!(err.refusal().unwrap().rule(), "actor_not_admin");
    assert!(err
        .to_string()
        .contains("only the Admin account type can impersonate"));
    assert!(env
        .sandbox
        .audit_events()
        .iter()
        .all(|e| !serde_json::to_string(e).unwrap().contains(&user.email)));
}

#[tokio::test]
async fn a_reason_can_be_required() {
    let env = env().await;
    let user = env.ordinary_user().await;
    let mut opts = StartOptions::new(&user.email);
    opts.require_reason = true;
    opts.reason = Some("   ".into());
    let err = start_impersonation(&env.client, env.audit_sink(), opts)
        .await
        .unwrap_err();
    assert_eq!(err.refusal().unwrap().rule(), "reason_required");
}

#[tokio::test]
async fn the_server_refusal_is_reported_when_the_local_check_cannot_know() {
    // Wrong secret: the grant fails with Sigma's 401 and its request ID.
    let env = env().await;
    let admin = env.sandbox.admin_credentials();
    let client = SigmaClient::connect(credentials_for(
        &env.sandbox,
        &admin.client_id,
        "not-the-secret",
    ))
    .unwrap();
    let err = start_impersonation(
        &client,
        env.audit_sink(),
        StartOptions::new("someone@example.com"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "unauthorized", "{err}");
    assert!(
        err.request_id().is_some(),
        "Sigma's request ID is kept: {err}"
    );
    assert!(!err.to_string().contains("not-the-secret"));
}
