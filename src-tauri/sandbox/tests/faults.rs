//! Fault injection: each kind of fault, applied to the next N requests under a path prefix.

mod common;

use std::time::{Duration, Instant};

use common::{assert_sigma_error, start};
use reqwest::StatusCode;
use serde_json::Value;
use standin_sandbox::Fault;

#[tokio::test]
async fn latency_delays_then_answers() {
    let env = start().await;
    let admin = env.admin_token().await;
    env.sandbox
        .inject_fault("/v2/whoami", Fault::Latency(Duration::from_millis(300)), 1);
    let started = Instant::now();
    env.get_ok("/v2/whoami", &admin).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    env.get_ok("/v2/whoami", &admin).await;
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "used up after one request"
    );
}

#[tokio::test]
async fn too_many_requests_with_and_without_retry_after() {
    let env = start().await;
    env.sandbox.inject_fault(
        "/v2/auth/token",
        Fault::TooManyRequests {
            retry_after: Some(7),
        },
        1,
    );
    env.sandbox.inject_fault(
        "/v2/auth/token",
        Fault::TooManyRequests { retry_after: None },
        1,
    );
    let creds = env.admin();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", creds.client_id.as_str()),
        ("client_secret", creds.client_secret.as_str()),
    ];
    let first = env
        .http
        .post(env.url("/v2/auth/token"))
        .form(&form)
        .send()
        .await
        .expect("first");
    assert_eq!(
        first
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("7")
    );
    let status = first.status();
    let body: Value = first.json().await.expect("json");
    assert_sigma_error(
        status,
        &body,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    );
    let second = env
        .http
        .post(env.url("/v2/auth/token"))
        .form(&form)
        .send()
        .await
        .expect("second");
    assert!(second.headers().get("retry-after").is_none());
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    let third = env
        .http
        .post(env.url("/v2/auth/token"))
        .form(&form)
        .send()
        .await
        .expect("third");
    assert_eq!(third.status(), StatusCode::OK);
}

#[tokio::test]
async fn html_pages_where_json_belongs() {
    let env = start().await;
    let admin = env.admin_token().await;
    env.sandbox
        .inject_fault("/v2/files", Fault::HtmlPage { status: 200 }, 1);
    env.sandbox
        .inject_fault("/v2/files", Fault::HtmlPage { status: 503 }, 1);
    for expected in [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE] {
        let resp = env
            .http
            .get(env.url("/v2/files"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("files");
        assert_eq!(resp.status(), expected);
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let text = resp.text().await.expect("text");
        assert!(text.starts_with("<!DOCTYPE html>"));
        assert!(serde_json::from_str::<Value>(&text).is_err());
    }
    env.get_ok("/v2/files", &admin).await;
}

#[tokio::test]
async fn server_errors() {
    let env = start().await;
    let admin = env.admin_token().await;
    for code in [500u16, 502, 503] {
        env.sandbox
            .inject_fault("/v2/members", Fault::ServerError(code), 1);
        let (status, body) = env.get("/v2/members", &admin).await;
        assert_eq!(status.as_u16(), code);
        assert!(
            body["requestId"].is_string()
                && body["code"].is_string()
                && body["message"].is_string(),
            "{body}"
        );
    }
    // Two in a row, then normal again; other prefixes are unaffected meanwhile.
    env.sandbox
        .inject_fault("/v2/members", Fault::ServerError(500), 2);
    env.get_ok("/v2/whoami", &admin).await;
    assert_eq!(
        env.get("/v2/members", &admin).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        env.get("/v2/members", &admin).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    env.get_ok("/v2/members", &admin).await;
}

#[tokio::test]
async fn dropped_connections() {
    let env = start().await;
    let admin = env.admin_token().await;
    env.sandbox
        .inject_fault("/v2/whoami", Fault::DropConnection, 2);
    for _ in 0..2 {
        let err = env
            .http
            .get(env.url("/v2/whoami"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect_err("the connection is closed without a response");
        assert!(!err.is_status() && err.status().is_none(), "{err}");
    }
    env.get_ok("/v2/whoami", &admin).await;
    let before = env.sandbox.request_count();
    assert!(before >= 4);
}
