//! Lists across pages (and the legacy bare array), and every kind of bad answer a server can give: each
//! becomes a clear error with a stable code, never a panic.

mod support;

use standin_core::transport::TransportOptions;
use standin_core::{CoreError, MemberQuery};
use standin_sandbox::Fault;
use std::collections::HashSet;
use std::time::Duration;
use support::{env, env_with};

#[tokio::test]
async fn members_across_many_pages_equal_the_whole_list() {
    let env = env().await;
    let api = env.client.admin().await.unwrap();
    let q = MemberQuery::default();
    let whole = api.members(&q, 1000).await.unwrap();
    assert!(
        whole.len() >= 30,
        "demo org has ≈40 users, got {}",
        whole.len()
    );
    let paged = api.members(&q, 7).await.unwrap();
    assert_eq!(
        paged.iter().map(|m| &m.member_id).collect::<Vec<_>>(),
        whole.iter().map(|m| &m.member_id).collect::<Vec<_>>()
    );
    let pages = env
        .wire()
        .iter()
        .filter(|r| {
            r.path_and_query.starts_with("/v2/members?") && r.path_and_query.contains("limit=7")
        })
        .count();
    assert_eq!(pages, whole.len().div_ceil(7), "one request per page of 7");
    let ids: HashSet<_> = paged.iter().map(|m| &m.member_id).collect();
    assert_eq!(ids.len(), paged.len(), "no member twice");
    // Archived users appear only when asked for.
    assert!(whole.iter().all(|m| !m.archived()));
    let everyone = env.everyone().await;
    assert!(everyone.len() > whole.len());
}

#[tokio::test]
async fn the_legacy_bare_array_is_understood() {
    let env = env().await;
    let api = env.client.admin().await.unwrap();
    let legacy = api.members_legacy(&MemberQuery::default()).await.unwrap();
    let last = env.wire().last().cloned().unwrap();
    assert_eq!(
        last.path_and_query, "/v2/members",
        "no limit: the server answers a bare array"
    );
    let paged = api.members(&MemberQuery::default(), 1000).await.unwrap();
    assert_eq!(legacy.len(), paged.len());
    assert!(legacy.len() >= 30);
}

#[tokio::test]
async fn search_email_teams_and_attributes() {
    let env = env().await;
    let api = env.client.admin().await.unwrap();
    let user = env.ordinary_user().await;
    let found = api
        .member_by_email(&user.email.to_uppercase())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.member_id, user.member_id);
    let wire = env.wire();
    assert!(
        wire.last().unwrap().path_and_query.contains("%40"),
        "@ sent as %40"
    );
    assert!(api
        .member_by_email("nobody@nowhere.example")
        .await
        .unwrap()
        .is_none());

    let teams = api.teams(3).await.unwrap();
    assert!(teams.len() >= 6);
    let team = api.team(&teams[0].team_id).await.unwrap();
    let members = api.team_members(&teams[0].team_id).await.unwrap();
    assert_eq!(
        team.members.clone().unwrap_or_default().len(),
        members.len()
    );

    let attrs = api.user_attributes().await.unwrap();
    assert!(attrs
        .iter()
        .any(|a| a.name.to_uppercase().contains("SNOWFLAKE")));
    let types = api.account_types().await.unwrap();
    assert!(types
        .iter()
        .any(|t| t.account_type_name.eq_ignore_ascii_case("admin")));
    // Some member has a Snowflake role, derived from user, team or default values.
    let mut with_role = 0;
    for m in env.everyone().await.iter().take(40) {
        let a = api.member_attributes(&m.member_id).await.unwrap();
        if a.iter().any(|x| x.name.to_uppercase().contains("ROLE")) {
            with_role += 1;
        }
    }
    assert!(with_role > 0);
}

/// The first answer's error, with retries off (`field_trust.rs` tests the retries): how each bad answer
/// is worded when it is the last one.
async fn whoami_error(env: &support::Env) -> CoreError {
    env.client
        .clone()
        .with_retry_policy(standin_core::retry::RetryPolicy::none())
        .admin()
        .await
        .unwrap()
        .whoami()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn throttling_with_and_without_retry_after() {
    let env = env().await;
    env.client.actor_token().await.unwrap();
    env.sandbox.inject_fault(
        "/v2/whoami",
        Fault::TooManyRequests {
            retry_after: Some(3),
        },
        1,
    );
    match whoami_error(&env).await {
        CoreError::Throttled {
            status: 429,
            retry_after,
            request_id,
        } => {
            assert_eq!(retry_after, Some(Duration::from_secs(3)));
            assert!(request_id.is_some(), "Sigma's request ID is kept");
        }
        other => panic!("{other:?}"),
    }
    env.sandbox.inject_fault(
        "/v2/whoami",
        Fault::TooManyRequests { retry_after: None },
        1,
    );
    let e = whoami_error(&env).await;
    assert_eq!(e.code(), "throttled");
    assert!(e.to_string().contains("wait and try again"));
    // Nothing lost: the next call works.
    env.client.admin().await.unwrap().whoami().await.unwrap();
}

#[tokio::test]
async fn html_where_json_belongs() {
    let env = env().await;
    env.client.actor_token().await.unwrap();
    env.sandbox
        .inject_fault("/v2/whoami", Fault::HtmlPage { status: 200 }, 1);
    let e = whoami_error(&env).await;
    assert_eq!(e.code(), "unexpected_body");
    assert!(e.to_string().contains("HTML"));
    // An HTML page from a gateway is throttling.
    env.sandbox
        .inject_fault("/v2/whoami", Fault::HtmlPage { status: 502 }, 1);
    assert_eq!(whoami_error(&env).await.code(), "throttled");
}

#[tokio::test]
async fn server_errors_and_dropped_connections() {
    let env = env().await;
    env.client.actor_token().await.unwrap();
    for status in [500, 502, 503] {
        env.sandbox
            .inject_fault("/v2/whoami", Fault::ServerError(status), 1);
        let e = whoami_error(&env).await;
        assert!(
            matches!(e.code(), "sigma_error" | "throttled"),
            "{status}: {e}"
        );
    }
    env.sandbox
        .inject_fault("/v2/whoami", Fault::DropConnection, 1);
    let e = whoami_error(&env).await;
    assert_eq!(e.code(), "connect", "{e}");
}

#[tokio::test]
async fn slow_servers_time_out() {
    let env = env_with(TransportOptions {
        request_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    // Timeouts are not retried (asking a server that did not answer in time again at once rarely helps).
    env.client.actor_token().await.unwrap();
    env.sandbox
        .inject_fault("/v2/whoami", Fault::Latency(Duration::from_secs(2)), 1);
    let e = whoami_error(&env).await;
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(e.to_string().contains("did not answer"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let env = env_with(TransportOptions {
        max_body_bytes: 2_000,
        ..Default::default()
    })
    .await;
    let e = env
        .client
        .admin()
        .await
        .unwrap()
        .members(&MemberQuery::default(), 1000)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "body_too_large");
}

#[tokio::test]
async fn wrong_paths_and_hosts() {
    let env = env().await;
    let api = env.client.admin().await.unwrap();
    let e = api.member("no-such-member").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.request_id().is_some());
    // Nothing listens on port 1: a clear connection error.
    let creds = standin_core::Credentials::new(
        None,
        "http://127.0.0.1:1",
        "id",
        standin_core::Secret::new("s"),
        None,
    )
    .unwrap();
    let client = standin_core::SigmaClient::connect(creds).unwrap();
    let e = client.actor_token().await.unwrap_err();
    assert_eq!(e.code(), "connect");
    assert!(e.to_string().contains("check the base URL"));
}
