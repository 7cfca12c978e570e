//! `POST /v2/auth/token`: body parsing (form or JSON), client authentication, client credentials and
//! refresh grants. The token exchange lives in `exchange.rs`; the request's fields (`TokenForm`) in
//! `token_form.rs`, which both use (so `exchange` does not depend on this module).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, PRAGMA};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use subtle::ConstantTimeEq;

use super::token_form::{parse_body, TokenForm};
use super::{exchange, AppState};
use crate::error::{code_for_status, ApiError};
use crate::server::RequestId;
use crate::state::{lock, Shared};
use crate::tokens::{AccessGrant, Lookup, Scope, ACCESS_TOKEN_SECONDS};

pub(crate) const GRANT_TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

pub(crate) async fn post_token(
    State(shared): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|r| {
        let status = r.status();
        ApiError::new(
            status,
            code_for_status(status),
            format!("Could not read the request body: {}", r.body_text()),
        )
    })?;
    let form = parse_body(&headers, &body)?;
    let grant_type = form
        .get("grant_type")
        .ok_or_else(|| ApiError::invalid_request("grant_type is required"))?;
    let response = match grant_type {
        "client_credentials" => client_credentials(&shared, &headers, &form)?,
        "refresh_token" => refresh(&shared, &headers, &form)?,
        GRANT_TOKEN_EXCHANGE => exchange::exchange(&shared, &headers, &form, &request_id.0)?,
        other => {
            return Err(ApiError::unsupported_grant_type(format!(
                "grant_type {other:?} is not supported; use client_credentials, refresh_token or \
                 {GRANT_TOKEN_EXCHANGE}"
            )))
        }
    };
    Ok(no_store(response))
}

/// Token responses must not be cached (RFC 6749 §5.1).
fn no_store(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// HTTP Basic credentials, if the request uses Basic auth.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, ApiError> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Ok(value) = value.to_str() else {
        return Err(ApiError::invalid_request(
            "Authorization header is not valid text",
        ));
    };
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let malformed = || ApiError::unauthorized("Malformed HTTP Basic credentials");
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let text = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = text.split_once(':').ok_or_else(malformed)?;
    Ok(Some((id.to_string(), secret.to_string())))
}

/// The API client authenticated by this request (HTTP Basic or body fields), if credentials were sent.
fn authenticate_client(
    shared: &Shared,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<Option<usize>, ApiError> {
    let basic = basic_credentials(headers)?;
    let (body_id, body_secret) = (form.get("client_id"), form.get("client_secret"));
    let (id, secret) = match (basic, body_id, body_secret) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(ApiError::invalid_request(
                "Send client credentials either with HTTP Basic or in the body, not both",
            ))
        }
        (Some((id, secret)), None, None) => (id, secret),
        (None, Some(id), Some(secret)) => (id.to_string(), secret.to_string()),
        (None, Some(_), None) => {
            return Err(ApiError::invalid_request("client_secret is required"))
        }
        (None, None, Some(_)) => return Err(ApiError::invalid_request("client_id is required")),
        (None, None, None) => return Ok(None),
    };
    let invalid = || ApiError::unauthorized("Invalid client credentials");
    let client = *shared.org.index.client_by_id.get(&id).ok_or_else(invalid)?;
    let expected = shared.org.api_clients[client].client_secret.as_bytes();
    if !bool::from(expected.ct_eq(secret.as_bytes())) {
        return Err(invalid());
    }
    Ok(Some(client))
}

fn client_credentials(
    shared: &Shared,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<Response, ApiError> {
    let client = authenticate_client(shared, headers, form)?.ok_or_else(|| {
        ApiError::invalid_request(
            "Client credentials are required: client_id and client_secret in the body, or HTTP Basic",
        )
    })?;
    issue_client_tokens(shared, client)
}

fn issue_client_tokens(shared: &Shared, client: usize) -> Result<Response, ApiError> {
    let owner = shared.org.api_clients[client].owner;
    let member = &shared.org.members[owner];
    // A deactivated user's API credentials stop working.
    if member.is_archived || member.is_inactive {
        return Err(ApiError::unauthorized(
            "The API client's owner is deactivated; its credentials no longer work",
        ));
    }
    let now = shared.clock.unix();
    let mut tokens = lock(&shared.tokens);
    let access_token = tokens.issue_access(
        AccessGrant {
            client,
            scope: Scope::Main,
            member: owner,
            impersonated: false,
            expires_at: now + ACCESS_TOKEN_SECONDS,
        },
        now,
    );
    let refresh_token = tokens.issue_refresh(client, now);
    Ok(Json(serde_json::json!({
        "access_token": access_token,
        "refresh_token": refresh_token,
        "token_type": "bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
    }))
    .into_response())
}

fn refresh(shared: &Shared, headers: &HeaderMap, form: &TokenForm) -> Result<Response, ApiError> {
    let token = form
        .get("refresh_token")
        .ok_or_else(|| ApiError::invalid_request("refresh_token is required"))?;
    // Client authentication is optional for a refresh, but when sent it must be right.
    let client = authenticate_client(shared, headers, form)?;
    let now = shared.clock.unix();
    let taken = lock(&shared.tokens).take_refresh(token, now);
    match taken {
        Lookup::Valid(grant) => {
            if client.is_some_and(|c| c != grant.client) {
                return Err(ApiError::invalid_grant(
                    "The refresh token was issued to another API client",
                ));
            }
            issue_client_tokens(shared, grant.client)
        }
        Lookup::Expired => Err(ApiError::invalid_grant("The refresh token has expired")),
        Lookup::Unknown => {
            let message = match lock(&shared.tokens).access_kind(token) {
                Some(true) => {
                    "Impersonation tokens cannot be refreshed; exchange a new subject token instead"
                }
                Some(false) => "That is an access token, not a refresh token",
                None => "The refresh token is invalid",
            };
            Err(ApiError::invalid_grant(message))
        }
    }
}
