//! The sandbox's own record of impersonation attempts (Sigma keeps these in its audit-log connection,
//! which has no REST endpoint; the sandbox exposes them at `/sandbox/audit-log` and through the handle).

use serde::Serialize;

/// One impersonation attempt: a successful token exchange or a refused one. Never holds a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// RFC 3339, in the sandbox clock.
    pub time: String,
    /// `impersonation.start` or `impersonation.refused`.
    pub event: String,
    /// Email of the API client's owner, when the actor token was valid.
    pub actor_email: Option<String>,
    pub actor_client_id: Option<String>,
    /// The subject's email: the verified `sub` claim, or the tenant admin for a tenant-only token.
    pub subject_email: Option<String>,
    /// The verified `tenant` claim, if any.
    pub tenant: Option<String>,
    /// `success` or `refused`.
    pub outcome: String,
    /// Why the exchange was refused (the error message returned to the client).
    pub reason: Option<String>,
    pub request_id: String,
}

pub(crate) const EVENT_START: &str = "impersonation.start";
pub(crate) const EVENT_REFUSED: &str = "impersonation.refused";
