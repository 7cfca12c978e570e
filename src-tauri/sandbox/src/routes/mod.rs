//! The HTTP surface: Sigma's endpoints (`/v2/...`) plus the sandbox's own `/sandbox/audit-log`.

mod blocked;
mod exchange;
mod files;
mod grants;
mod members;
mod org;
mod teams;
mod token;
mod token_form;
mod views;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Uri};
use axum::routing::{get, post};
use axum::Router;

use crate::error::ApiError;
use crate::model::Org;
use crate::state::{lock, Shared};
use crate::tokens::{AccessGrant, Lookup};

pub(crate) type AppState = Arc<Shared>;

/// Token bodies are tiny; anything bigger than this is refused before it is buffered.
const BODY_LIMIT: usize = 64 * 1024;

pub(crate) fn router(shared: AppState) -> Router {
    Router::new()
        .route("/v2/auth/token", post(token::post_token))
        .route("/v2/whoami", get(org::whoami))
        .route("/v2/members", get(members::list_v2))
        .route("/v2.1/members", get(members::list_v2_1))
        .route("/v2/members/{memberId}", get(members::get_member))
        .route("/v2/members/{memberId}/teams", get(members::member_teams))
        .route("/v2/members/{memberId}/files", get(files::member_files))
        .route("/v2/teams", get(teams::list))
        .route("/v2/teams/{teamId}", get(teams::get_team))
        .route("/v2/teams/{teamId}/members", get(teams::team_members))
        .route(
            "/v2/teams/{teamId}/user-attributes",
            get(teams::team_user_attributes),
        )
        .route("/v2/files", get(files::list))
        .route("/v2/files/{inodeId}", get(files::get_file))
        .route("/v2/grants", get(grants::list))
        .route("/v2/accountTypes", get(org::account_types))
        .route("/v2/user-attributes", get(org::user_attributes))
        .route(
            "/v2/user-attributes/{userAttributeId}/users",
            get(org::user_attribute_users),
        )
        .route("/v2/tenants", get(org::tenants))
        .route(
            "/v2/connections/paths/{inodeId}",
            get(blocked::connection_path),
        )
        .route(
            "/v2/connection/{connectionId}/lookup",
            post(blocked::connection_lookup),
        )
        .route(
            "/v2/workbooks/{workbookId}/export",
            post(blocked::export_workbook),
        )
        .route(
            "/v2/workbooks/{workbookId}/send",
            post(blocked::send_workbook),
        )
        .route(
            "/v2/workbooks/{workbookId}/schedules",
            get(blocked::list_schedules).post(blocked::create_schedule),
        )
        .route("/sandbox/audit-log", get(org::audit_log))
        .route("/sandbox/request-count", get(request_count))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

/// `{"requests": N}`: every request received so far, this one included, so a benchmark can count what a
/// client process sent (`standin sandbox serve` runs in another process, out of reach of the wire log).
async fn request_count(
    axum::extract::State(shared): axum::extract::State<AppState>,
) -> axum::Json<serde_json::Value> {
    let n = shared.requests.load(std::sync::atomic::Ordering::SeqCst);
    axum::Json(serde_json::json!({ "requests": n }))
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("No endpoint {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not supported on {}", uri.path()),
    )
}

/// The bearer token of a request, if it has a well-formed `Authorization: Bearer …` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The authenticated caller of an API endpoint: whom the bearer token acts as, in which org.
pub(crate) struct Caller(pub AccessGrant);

impl Caller {
    pub fn org<'a>(&self, shared: &'a Shared) -> &'a Org {
        shared.org_for(self.0.scope)
    }
    pub fn member(&self) -> usize {
        self.0.member
    }
    pub fn is_admin(&self, shared: &Shared) -> bool {
        self.org(shared).member_is_admin(self.0.member)
    }
    pub fn require_admin(&self, shared: &Shared) -> Result<(), ApiError> {
        if self.is_admin(shared) {
            Ok(())
        } else {
            Err(ApiError::admin_required())
        }
    }
    /// Admins may read any member's data; everyone may read their own.
    pub fn require_admin_or_self(&self, shared: &Shared, member: usize) -> Result<(), ApiError> {
        if member == self.0.member || self.is_admin(shared) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "Only Admins can read other members' data",
            ))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::token_missing)?;
        let now = state.clock.unix();
        match lock(&state.tokens).access(token, now) {
            Lookup::Valid(grant) => Ok(Caller(grant)),
            Lookup::Expired => Err(ApiError::unauthorized("Token expired")),
            Lookup::Unknown => Err(ApiError::token_missing()),
        }
    }
}
