//! The RFC 8693 token exchange (SIGMA_API.md §1): an Admin's actor token plus a subject JWT signed with
//! the same API client's secret → an impersonation token. Every attempt, granted or refused, is audited.

use std::collections::HashSet;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use super::bearer;
use super::token_form::TokenForm;
use crate::audit::{AuditEvent, EVENT_REFUSED, EVENT_START};
use crate::error::ApiError;
use crate::model::{format_time, Org};
use crate::state::{lock, Shared};
use crate::tokens::{AccessGrant, Lookup, Scope, ACCESS_TOKEN_SECONDS};

const SUBJECT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
const ACTOR_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
const ISSUED_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
const REQUIRED_FIELDS: [&str; 5] = [
    "grant_type",
    "subject_token",
    "subject_token_type",
    "actor_token",
    "actor_token_type",
];
/// Tolerated clock skew for `iat` and `nbf` in the future.
const SKEW_SECONDS: f64 = 60.0;

/// What the audit event will say; filled in as the checks learn who is involved.
#[derive(Default)]
struct Draft {
    actor_email: Option<String>,
    actor_client_id: Option<String>,
    subject_email: Option<String>,
    tenant: Option<String>,
}

pub(crate) fn exchange(
    shared: &Shared,
    headers: &HeaderMap,
    form: &TokenForm,
    request_id: &str,
) -> Result<Response, ApiError> {
    let mut draft = Draft::default();
    let result = run(shared, headers, form, &mut draft);
    let (event, outcome, reason) = match &result {
        Ok(_) => (EVENT_START, "success", None),
        Err(e) => (EVENT_REFUSED, "refused", Some(e.message.clone())),
    };
    lock(&shared.audit).push(AuditEvent {
        time: format_time(shared.clock.now()),
        event: event.to_string(),
        actor_email: draft.actor_email,
        actor_client_id: draft.actor_client_id,
        subject_email: draft.subject_email,
        tenant: draft.tenant,
        outcome: outcome.to_string(),
        reason,
        request_id: request_id.to_string(),
    });
    let access_token = result?;
    Ok(Json(serde_json::json!({
        "access_token": access_token,
        "issued_token_type": ISSUED_TOKEN_TYPE,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
    }))
    .into_response())
}

fn run(
    shared: &Shared,
    headers: &HeaderMap,
    form: &TokenForm,
    draft: &mut Draft,
) -> Result<String, ApiError> {
    let missing: Vec<&str> = REQUIRED_FIELDS
        .into_iter()
        .filter(|f| form.get(f).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::invalid_request(format!(
            "Token exchange requires all of grant_type, subject_token, subject_token_type, actor_token, \
             actor_token_type; missing: {}",
            missing.join(", ")
        )));
    }
    let field = |f: &str| form.get(f).unwrap_or_default();
    if field("subject_token_type") != SUBJECT_TOKEN_TYPE {
        return Err(ApiError::invalid_request(format!(
            "subject_token_type must be {SUBJECT_TOKEN_TYPE}"
        )));
    }
    if field("actor_token_type") != ACTOR_TOKEN_TYPE {
        return Err(ApiError::invalid_request(format!(
            "actor_token_type must be {ACTOR_TOKEN_TYPE}"
        )));
    }
    let actor_token = field("actor_token");
    let bearer_token = bearer(headers).ok_or_else(|| {
        ApiError::unauthorized(
            "Token exchange requires Authorization: Bearer <actor token> (the same token as actor_token)",
        )
    })?;
    if !bool::from(bearer_token.as_bytes().ct_eq(actor_token.as_bytes())) {
        return Err(ApiError::invalid_request(
            "actor_token must match the bearer token in the Authorization header",
        ));
    }

    let now = shared.clock.unix();
    let actor = match lock(&shared.tokens).access(actor_token, now) {
        Lookup::Valid(grant) => grant,
        Lookup::Expired => return Err(ApiError::unauthorized("The actor token has expired")),
        Lookup::Unknown => return Err(ApiError::unauthorized("The actor token is not valid")),
    };
    let client = &shared.org.api_clients[actor.client];
    draft.actor_client_id = Some(client.client_id.clone());
    draft.actor_email = Some(shared.org.members[client.owner].email.clone());
    if actor.impersonated {
        return Err(ApiError::invalid_grant(
            "An impersonation token cannot be used as the actor token; use the admin's own access token",
        ));
    }

    let claims = verify_subject_token(shared, field("subject_token"), actor.client)?;
    check_times(&claims, now as f64)?;
    let sub = string_claim(&claims, "sub")?;
    let tenant = string_claim(&claims, "tenant")?;
    draft.subject_email = sub.map(str::to_string);
    draft.tenant = tenant.map(str::to_string);

    let owner = client.owner;
    if !shared.org.member_is_admin(owner) {
        let account_type = &shared.org.account_types[shared.org.members[owner].account_type];
        return Err(ApiError::forbidden(format!(
            "Only members with the Admin account type can impersonate users; the API client's owner has \
             account type {} (team admins are not Admins)",
            account_type.name
        )));
    }

    let (scope, org): (Scope, &Org) = match tenant {
        Some(t) => {
            let i = *shared.org.index.tenant_by_id.get(t).ok_or_else(|| {
                ApiError::invalid_grant(format!(
                    "tenant {t:?} is not a tenant organization of this org"
                ))
            })?;
            (Scope::Tenant(i), &shared.org.tenants[i])
        }
        None => (Scope::Main, &shared.org),
    };
    let target = match (sub, &org.tenant_info) {
        (Some(email), _) => org.member_by_email(email).ok_or_else(|| {
            ApiError::invalid_grant(format!(
                "No member with email {email:?} in organization {}",
                org.name
            ))
        })?,
        // Tenant only: that tenant's admin user (SIGMA_API.md §1).
        (None, Some(info)) => info.admin,
        (None, None) => {
            return Err(ApiError::invalid_grant(
                "The subject token needs a sub claim: the email of the user to impersonate",
            ))
        }
    };
    let member = &org.members[target];
    draft.subject_email = Some(member.email.clone());
    if member.is_archived {
        return Err(ApiError::forbidden(format!(
            "{} is archived (deactivated) and cannot be impersonated",
            member.email
        )));
    }
    if member.is_inactive {
        return Err(ApiError::forbidden(format!(
            "{} is inactive and cannot be impersonated",
            member.email
        )));
    }
    // The tenant-only form targets the tenant's admin by design, so the rule applies to a named `sub`.
    if sub.is_some() && org.member_is_admin(target) {
        return Err(ApiError::forbidden(format!(
            "Admins cannot impersonate other admins: {} has the Admin account type",
            member.email
        )));
    }

    let token = lock(&shared.tokens).issue_access(
        AccessGrant {
            client: actor.client,
            scope,
            member: target,
            impersonated: true,
            expires_at: now + ACCESS_TOKEN_SECONDS,
        },
        now,
    );
    Ok(token)
}

fn decode_segment(segment: &str, what: &str) -> Result<Value, ApiError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|_| ApiError::invalid_grant(format!("subject_token {what} is not base64url")))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::invalid_grant(format!("subject_token {what} is not JSON")))
}

/// Checks the JWT header (HS256, `kid` = the actor's API client) and the signature with that client's
/// secret; returns the claims.
fn verify_subject_token(
    shared: &Shared,
    token: &str,
    actor_client: usize,
) -> Result<Map<String, Value>, ApiError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(ApiError::invalid_grant(
            "subject_token is not a JWT (expected three dot-separated parts)",
        ));
    }
    let header = decode_segment(parts[0], "header")?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("(none)");
    if alg != "HS256" {
        return Err(ApiError::invalid_grant(format!(
            "subject_token must be signed with HS256, not {alg}"
        )));
    }
    let kid = header.get("kid").and_then(Value::as_str).ok_or_else(|| {
        ApiError::invalid_grant("subject_token header must have kid set to the API client ID")
    })?;
    let client = *shared.org.index.client_by_id.get(kid).ok_or_else(|| {
        ApiError::invalid_grant("subject_token kid is not the client ID of a known API client")
    })?;
    if client != actor_client {
        return Err(ApiError::invalid_grant(
            "subject_token kid must be the client ID of the API client the actor token was issued to",
        ));
    }
    let secret = shared.org.api_clients[client].client_secret.as_bytes();
    let mut validation = Validation::new(Algorithm::HS256);
    // Times are checked against the sandbox clock below, and only when present.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims = HashSet::new();
    let data = jsonwebtoken::decode::<Value>(token, &DecodingKey::from_secret(secret), &validation)
        .map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => ApiError::invalid_grant(
                "subject_token signature does not verify with the API client's secret",
            ),
            _ => ApiError::invalid_grant(format!("subject_token is malformed: {e}")),
        })?;
    match data.claims {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::invalid_grant(
            "subject_token claims must be a JSON object",
        )),
    }
}

fn number_claim(claims: &Map<String, Value>, key: &str) -> Result<Option<f64>, ApiError> {
    match claims.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| {
            ApiError::invalid_grant(format!("subject_token claim {key} must be a number"))
        }),
    }
}

fn string_claim<'a>(
    claims: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match claims.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim())),
        Some(_) => Err(ApiError::invalid_grant(format!(
            "subject_token claim {key} must be a non-empty string"
        ))),
    }
}

/// `exp`, `nbf` and `iat` are optional (Sigma's own example sends none) but checked when present.
fn check_times(claims: &Map<String, Value>, now: f64) -> Result<(), ApiError> {
    if let Some(exp) = number_claim(claims, "exp")? {
        if now >= exp {
            return Err(ApiError::invalid_grant("subject_token has expired (exp)"));
        }
    }
    if let Some(nbf) = number_claim(claims, "nbf")? {
        if nbf > now + SKEW_SECONDS {
            return Err(ApiError::invalid_grant(
                "subject_token is not valid yet (nbf)",
            ));
        }
    }
    if let Some(iat) = number_claim(claims, "iat")? {
        if iat > now + SKEW_SECONDS {
            return Err(ApiError::invalid_grant(
                "subject_token was issued in the future (iat)",
            ));
        }
    }
    Ok(())
}
