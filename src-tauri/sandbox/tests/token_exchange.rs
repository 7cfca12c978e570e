//! Every refusal of `POST /v2/auth/token`, especially the token exchange: status, Sigma-shaped body, and
//! (for exchanges) a refused audit event.

mod common;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{
    assert_sigma_error, claims_for, now, start, subject_token, Env, ACCESS_TYPE, JWT_TYPE,
    TOKEN_EXCHANGE,
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};
use standin_sandbox::{
    ApiClientCredentials, DEMO_ARCHIVED_EMAIL, DEMO_INACTIVE_EMAIL, DEMO_OTHER_ADMIN_EMAIL,
    DEMO_USER_EMAIL,
};

/// Exchanges and expects a refusal; also checks the refusal was audited.
async fn expect_refused(
    env: &Env,
    actor: &str,
    subject: &str,
    status: StatusCode,
    code: &str,
) -> Value {
    let before = env.sandbox.audit_events().len();
    let (got, body) = env.exchange(actor, subject).await;
    assert_sigma_error(got, &body, status, code);
    let events = env.sandbox.audit_events();
    assert_eq!(events.len(), before + 1, "one audit event per attempt");
    let last = events.last().expect("event");
    assert_eq!(last.event, "impersonation.refused");
    assert_eq!(last.outcome, "refused");
    assert_eq!(last.reason.as_deref(), body["message"].as_str());
    assert_eq!(Some(last.request_id.as_str()), body["requestId"].as_str());
    body
}

fn full_form<'a>(actor: &'a str, subject: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", subject),
        ("subject_token_type", JWT_TYPE),
        ("actor_token", actor),
        ("actor_token_type", ACCESS_TYPE),
    ]
}

#[tokio::test]
async fn each_missing_field_is_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let subject = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    let form = full_form(&actor, &subject);
    for missing in [
        "grant_type",
        "subject_token",
        "subject_token_type",
        "actor_token",
        "actor_token_type",
    ] {
        let partial: Vec<(&str, &str)> = form
            .iter()
            .copied()
            .filter(|(k, _)| *k != missing)
            .collect();
        let (status, body) = env.post_token(&partial, Some(&actor)).await;
        assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
        assert!(
            body["message"].as_str().unwrap_or("").contains(missing),
            "{missing}: {body}"
        );
        // An empty value counts as missing too.
        let emptied: Vec<(&str, &str)> = form
            .iter()
            .map(|&(k, v)| if k == missing { (k, "") } else { (k, v) })
            .collect();
        let (status, body) = env.post_token(&emptied, Some(&actor)).await;
        assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    }
}

#[tokio::test]
async fn wrong_grant_and_token_types_are_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let subject = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    let mut form = full_form(&actor, &subject);
    form[0].1 = "password";
    let (status, body) = env.post_token(&form, Some(&actor)).await;
    assert_sigma_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "unsupported_grant_type",
    );

    let mut form = full_form(&actor, &subject);
    form[2].1 = "urn:ietf:params:oauth:token-type:id_token";
    let (status, body) = env.post_token(&form, Some(&actor)).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(body["message"]
        .as_str()
        .unwrap_or("")
        .contains("subject_token_type"));

    let mut form = full_form(&actor, &subject);
    form[4].1 = "urn:ietf:params:oauth:token-type:refresh_token";
    let (status, body) = env.post_token(&form, Some(&actor)).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(body["message"]
        .as_str()
        .unwrap_or("")
        .contains("actor_token_type"));
}

#[tokio::test]
async fn bearer_is_required_and_must_equal_actor_token() {
    let env = start().await;
    let actor = env.admin_token().await;
    let other = env.admin_token().await;
    let subject = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    let (status, body) = env.post_token(&full_form(&actor, &subject), None).await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    let (status, body) = env
        .post_token(&full_form(&actor, &subject), Some(&other))
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(body["message"]
        .as_str()
        .unwrap_or("")
        .contains("must match"));
    let events = env.sandbox.audit_events();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.outcome == "refused"));
}

#[tokio::test]
async fn expired_or_unknown_actor_token_is_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let subject = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    expect_refused(
        &env,
        "not-a-token",
        &subject,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    env.sandbox.advance_clock(Duration::from_secs(3601));
    let body = expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap_or("").contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn bad_signature_is_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let forged = ApiClientCredentials {
        client_secret: "not-the-secret".into(),
        ..env.admin()
    };
    let subject = subject_token(&forged, claims_for(DEMO_USER_EMAIL));
    let body = expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap_or("").contains("signature"),
        "{body}"
    );
    // Tampered claims with the original signature.
    let good = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    let parts: Vec<&str> = good.split('.').collect();
    let tampered_claims =
        URL_SAFE_NO_PAD.encode(json!({ "sub": "jordan.blake@acme.example" }).to_string());
    let tampered = format!("{}.{}.{}", parts[0], tampered_claims, parts[2]);
    expect_refused(
        &env,
        &actor,
        &tampered,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    expect_refused(
        &env,
        &actor,
        "not.a.jwt",
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    expect_refused(
        &env,
        &actor,
        "garbage",
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn wrong_algorithm_is_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let creds = env.admin();
    let mut header = Header::new(Algorithm::HS384);
    header.kid = Some(creds.client_id.clone());
    let hs384 = jsonwebtoken::encode(
        &header,
        &claims_for(DEMO_USER_EMAIL),
        &EncodingKey::from_secret(creds.client_secret.as_bytes()),
    )
    .expect("encode");
    let body = expect_refused(
        &env,
        &actor,
        &hs384,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap_or("").contains("HS256"),
        "{body}"
    );

    let none_header = URL_SAFE_NO_PAD
        .encode(json!({ "alg": "none", "kid": creds.client_id, "typ": "JWT" }).to_string());
    let none_claims = URL_SAFE_NO_PAD.encode(json!({ "sub": DEMO_USER_EMAIL }).to_string());
    let unsigned = format!("{none_header}.{none_claims}.");
    expect_refused(
        &env,
        &actor,
        &unsigned,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn unknown_kid_and_other_clients_kid_are_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let unknown = ApiClientCredentials {
        client_id: "no-such-client".into(),
        ..env.admin()
    };
    let subject = subject_token(&unknown, claims_for(DEMO_USER_EMAIL));
    expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // Validly signed by the other API client, but the actor token belongs to the admin client.
    let subject = subject_token(&env.creator(), claims_for(DEMO_USER_EMAIL));
    let body = expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap_or("").contains("kid"),
        "{body}"
    );
    // No kid at all.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = None;
    let no_kid = jsonwebtoken::encode(
        &header,
        &claims_for(DEMO_USER_EMAIL),
        &EncodingKey::from_secret(env.admin().client_secret.as_bytes()),
    )
    .expect("encode");
    expect_refused(
        &env,
        &actor,
        &no_kid,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn expired_or_future_subject_token_is_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let t = now();
    let expired = subject_token(
        &env.admin(),
        json!({ "sub": DEMO_USER_EMAIL, "iat": t - 600, "exp": t - 10 }),
    );
    let body = expect_refused(
        &env,
        &actor,
        &expired,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap_or("").contains("expired"),
        "{body}"
    );
    let future = subject_token(
        &env.admin(),
        json!({ "sub": DEMO_USER_EMAIL, "iat": t + 3600 }),
    );
    expect_refused(
        &env,
        &actor,
        &future,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let not_yet = subject_token(
        &env.admin(),
        json!({ "sub": DEMO_USER_EMAIL, "nbf": t + 3600 }),
    );
    expect_refused(
        &env,
        &actor,
        &not_yet,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let bad_type = subject_token(
        &env.admin(),
        json!({ "sub": DEMO_USER_EMAIL, "exp": "tomorrow" }),
    );
    expect_refused(
        &env,
        &actor,
        &bad_type,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // A subject token that expires by the sandbox clock.
    let fresh = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    env.sandbox.advance_clock(Duration::from_secs(400));
    let actor = env.admin_token().await;
    expect_refused(
        &env,
        &actor,
        &fresh,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn unknown_subject_and_tenant_are_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let subject = subject_token(&env.admin(), claims_for("nobody@acme.example"));
    let body = expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(body["message"]
        .as_str()
        .unwrap_or("")
        .contains("nobody@acme.example"));
    let subject = subject_token(
        &env.admin(),
        json!({ "sub": DEMO_USER_EMAIL, "tenant": "no-such-tenant" }),
    );
    expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let subject = subject_token(&env.admin(), json!({ "iat": now() }));
    expect_refused(
        &env,
        &actor,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn admin_archived_and_inactive_targets_are_refused() {
    let env = start().await;
    let actor = env.admin_token().await;
    let admin_target = subject_token(&env.admin(), claims_for(DEMO_OTHER_ADMIN_EMAIL));
    let body = expect_refused(
        &env,
        &actor,
        &admin_target,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(body["message"]
        .as_str()
        .unwrap_or("")
        .contains("Admins cannot impersonate other admins"));
    // The subject email is matched case-insensitively, so this is still the admin.
    let upper = subject_token(
        &env.admin(),
        claims_for(&DEMO_OTHER_ADMIN_EMAIL.to_uppercase()),
    );
    expect_refused(&env, &actor, &upper, StatusCode::FORBIDDEN, "forbidden").await;
    // Impersonating yourself is impersonating an admin.
    let own = subject_token(&env.admin(), claims_for(&env.admin().owner_email));
    expect_refused(&env, &actor, &own, StatusCode::FORBIDDEN, "forbidden").await;

    let archived = subject_token(&env.admin(), claims_for(DEMO_ARCHIVED_EMAIL));
    let body = expect_refused(&env, &actor, &archived, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(body["message"].as_str().unwrap_or("").contains("archived"));
    let inactive = subject_token(&env.admin(), claims_for(DEMO_INACTIVE_EMAIL));
    let body = expect_refused(&env, &actor, &inactive, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(body["message"].as_str().unwrap_or("").contains("inactive"));
    let last = env.sandbox.audit_events().pop().expect("event");
    assert_eq!(last.subject_email.as_deref(), Some(DEMO_INACTIVE_EMAIL));
    assert_eq!(
        last.actor_email.as_deref(),
        Some(env.admin().owner_email.as_str())
    );
}

#[tokio::test]
async fn actor_who_is_not_admin_is_refused() {
    let env = start().await;
    let creator = env.creator();
    let actor = env.token(&creator).await;
    let subject = subject_token(&creator, claims_for(DEMO_USER_EMAIL));
    let body = expect_refused(&env, &actor, &subject, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        body["message"].as_str().unwrap_or("").contains("Admin"),
        "{body}"
    );
}

#[tokio::test]
async fn impersonation_token_cannot_act_or_refresh() {
    let env = start().await;
    let impersonation = env.impersonate(DEMO_USER_EMAIL).await;
    let subject = subject_token(&env.admin(), claims_for("olivia.johnson@acme.example"));
    expect_refused(
        &env,
        &impersonation,
        &subject,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;

    let (status, body) = env
        .post_token(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &impersonation),
            ],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("cannot be refreshed"),
        "{body}"
    );
}

#[tokio::test]
async fn client_credentials_and_refresh_refusals() {
    let env = start().await;
    let admin = env.admin();
    let (status, body) = env
        .post_token(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &admin.client_id),
                ("client_secret", "wrong"),
            ],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    let (status, body) = env
        .post_token(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "nobody"),
                ("client_secret", "x"),
            ],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    let (status, body) = env
        .post_token(&[("grant_type", "client_credentials")], None)
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = env
        .post_token(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &admin.client_id),
            ],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = env
        .post_token(&[("grant_type", "refresh_token")], None)
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = env
        .post_token(
            &[("grant_type", "refresh_token"), ("refresh_token", "bogus")],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_grant");
    // A refresh token is single-use.
    let grant = env.client_credentials(&admin).await;
    let refresh = grant["refresh_token"].as_str().expect("refresh");
    let (status, _) = env
        .post_token(
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = env
        .post_token(
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_grant");
    // An access token is not a refresh token.
    let access = grant["access_token"].as_str().expect("access");
    let (status, body) = env
        .post_token(
            &[("grant_type", "refresh_token"), ("refresh_token", access)],
            None,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_grant");
}

#[tokio::test]
async fn malformed_bodies_get_sigma_shaped_400s() {
    let env = start().await;
    let url = env.url("/v2/auth/token");
    let send = |req: reqwest::RequestBuilder| async move {
        let resp = req.send().await.expect("request");
        let status = resp.status();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    };
    let (status, body) = send(
        env.http
            .post(&url)
            .header("content-type", "text/plain")
            .body("grant_type=client_credentials"),
    )
    .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = send(
        env.http
            .post(&url)
            .header("content-type", "application/json")
            .body("{\"grant_type\": "),
    )
    .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = send(env.http.post(&url).json(&json!({ "grant_type": 5 }))).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = send(env.http.post(&url).json(&json!(["grant_type"]))).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = send(
        env.http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![0xff, 0xfe, b'=', 0xfd]),
    )
    .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = send(env.http.post(&url).form(&[
        ("grant_type", "client_credentials"),
        ("grant_type", "refresh_token"),
    ]))
    .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, body) = send(
        env.http
            .post(&url)
            .header("authorization", "Basic !!!")
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    let big = "x".repeat(100 * 1024);
    let (status, body) = send(
        env.http
            .post(&url)
            .form(&[("grant_type", "client_credentials"), ("pad", big.as_str())]),
    )
    .await;
    assert_sigma_error(
        status,
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    let (status, body) = send(env.http.get(&url)).await;
    assert_sigma_error(
        status,
        &body,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}
