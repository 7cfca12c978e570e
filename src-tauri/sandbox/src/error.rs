//! The crate's one error enum (for callers of the Rust API) and the Sigma-shaped HTTP error the routes return.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// What can go wrong when loading an org or starting the server.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The fixture parsed as JSON but describes an inconsistent org (unknown reference, duplicate, …).
    #[error("invalid org fixture: {0}")]
    InvalidFixture(String),
    /// The fixture is not valid JSON or does not have the documented shape.
    #[error("org fixture does not match the documented format (see FIXTURE.md): {0}")]
    FixtureFormat(#[from] serde_json::Error),
    /// The fixture file could not be read.
    #[error("cannot read org fixture {path}: {source}")]
    FixtureRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The listening socket could not be opened.
    #[error("cannot bind the sandbox server to {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

impl SandboxError {
    pub(crate) fn fixture(msg: impl Into<String>) -> Self {
        SandboxError::InvalidFixture(msg.into())
    }
}

/// The `{message, code}` part of a Sigma error. It rides in the response extensions so that the outer
/// service can add the `requestId` (which only it knows) when it writes the final body.
#[derive(Clone, Debug)]
pub(crate) struct SigmaErrorBody {
    pub code: &'static str,
    pub message: String,
}

/// A Sigma-shaped error response: `{"message", "code", "requestId"}` with an HTTP status.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    /// A malformed query or path on a regular API endpoint.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    /// OAuth's `invalid_request`: the token request itself is malformed.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }
    /// OAuth's `invalid_grant`: the grant (refresh token, subject token) is not acceptable.
    pub fn invalid_grant(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", message)
    }
    pub fn unsupported_grant_type(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unsupported_grant_type", message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    /// Sigma's observed body for a missing or unusable bearer token.
    pub fn token_missing() -> Self {
        Self::unauthorized("Token missing or malformed")
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    /// Shorthand for the Admin-only endpoints.
    pub fn admin_required() -> Self {
        Self::forbidden("This endpoint requires a caller with the Admin account type")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "message": self.message,
            "code": self.code,
            "requestId": "",
        });
        let mut response = (self.status, Json(body)).into_response();
        response.extensions_mut().insert(SigmaErrorBody {
            code: self.code,
            message: self.message,
        });
        response
    }
}

/// The Sigma error code used for a bare status (faults, and errors produced outside our handlers).
pub(crate) fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        s if s >= 500 => "internal_error",
        _ => "error",
    }
}
