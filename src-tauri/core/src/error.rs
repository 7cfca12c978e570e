//! One error enum for the core. Every variant says what failed and what to do next; `code()` is a stable
//! identifier the UI and scripts can match on. No variant carries a secret or a token: the texts that come
//! from a server are Sigma's own `message`, never a request we sent.

use serde::Serialize;
use std::time::Duration;

/// Sigma's error body: `{message, code, requestId}`. The request ID is what Sigma support asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SigmaErrorBody {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub request_id: Option<String>,
}

/// Why an impersonation was refused before any network call (or by the server, when it says so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Refusal {
    /// The email does not look like an email address.
    MalformedEmail {
        email: String,
    },
    /// Only the Admin account type can impersonate (team admins cannot).
    ActorNotAdmin {
        actor_type: String,
    },
    /// Admins cannot impersonate other admins.
    TargetIsAdmin {
        email: String,
    },
    TargetArchived {
        email: String,
    },
    TargetInactive {
        email: String,
    },
    TargetNotFound {
        email: String,
    },
    /// The member record has no account type, so whether they are an Admin is unknown.
    TargetTypeUnknown {
        email: String,
    },
    /// An impersonation session is already active; stop it first.
    SessionActive {
        subject: String,
    },
    /// A reason is required and none was given.
    ReasonRequired,
    /// Read-only sessions may only send GET requests.
    ReadOnly {
        method: String,
    },
    /// Sigma documents that this endpoint does not accept impersonation tokens.
    EndpointRejectsImpersonation {
        path: String,
    },
}

impl Refusal {
    pub fn explain(&self) -> String {
        match self {
            Refusal::MalformedEmail { email } => format!(
                "'{email}' is not a valid email address; give the user's full email, e.g. tom@example.com"
            ),
            Refusal::ActorNotAdmin { actor_type } if actor_type.trim().is_empty() => {
                "these API credentials belong to a user whose account type Sigma did not say; only the Admin \
                 account type can impersonate — use credentials owned by an Admin"
                    .to_string()
            }
            Refusal::ActorNotAdmin { actor_type } => format!(
                "these API credentials belong to a user of account type '{actor_type}'; only the Admin account \
                 type can impersonate (team admins cannot) — use credentials owned by an Admin"
            ),
            Refusal::TargetIsAdmin { email } => {
                format!("{email} is an Admin, and admins cannot impersonate other admins")
            }
            Refusal::TargetArchived { email } => format!(
                "{email} is archived (deactivated) and cannot be impersonated; reactivate the user first"
            ),
            Refusal::TargetInactive { email } => format!(
                "{email} is inactive (archived by SCIM) and cannot be impersonated"
            ),
            Refusal::TargetTypeUnknown { email } => format!(
                "{email} has an unknown account type; Sigma sent no memberType, so Stand-in cannot tell whether \
                 they are an Admin — check the user's account type in Sigma's Administration › People"
            ),
            Refusal::TargetNotFound { email } => format!(
                "no user with email {email} in this organization; check the spelling or the tenant"
            ),
            Refusal::SessionActive { subject } => format!(
                "you are already impersonating {subject}; stop that session before starting another"
            ),
            Refusal::ReasonRequired => {
                "a reason (for example a ticket number) is required to impersonate a user".to_string()
            }
            Refusal::ReadOnly { method } => format!(
                "this session is read-only: only GET requests are allowed, not {method}"
            ),
            Refusal::EndpointRejectsImpersonation { path } => format!(
                "Sigma does not accept impersonation tokens on {path}; call it as yourself instead"
            ),
        }
    }

    pub fn rule(&self) -> &'static str {
        match self {
            Refusal::MalformedEmail { .. } => "malformed_email",
            Refusal::ActorNotAdmin { .. } => "actor_not_admin",
            Refusal::TargetIsAdmin { .. } => "target_is_admin",
            Refusal::TargetArchived { .. } => "target_archived",
            Refusal::TargetInactive { .. } => "target_inactive",
            Refusal::TargetNotFound { .. } => "target_not_found",
            Refusal::TargetTypeUnknown { .. } => "target_type_unknown",
            Refusal::SessionActive { .. } => "session_active",
            Refusal::ReasonRequired => "reason_required",
            Refusal::ReadOnly { .. } => "read_only",
            Refusal::EndpointRejectsImpersonation { .. } => "endpoint_rejects_impersonation",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("invalid base URL '{url}': {reason}")]
    InvalidBaseUrl { url: String, reason: String },

    #[error("invalid profile: {0}")]
    InvalidProfile(String),

    #[error("no profile named '{0}'; add it under Connections (or `standin profile add`)")]
    ProfileNotFound(String),

    #[error("a profile named '{0}' already exists; pick another name or remove it first")]
    ProfileExists(String),

    #[error("no client secret stored for profile '{0}' in the OS keyring; rotate the secret to store it again")]
    SecretMissing(String),

    #[error("the OS keyring is not available ({0}); unlock or start your keyring (Secret Service) and try again")]
    KeyringUnavailable(String),

    #[error("missing credentials: {0}")]
    MissingCredentials(String),

    #[error("could not read or write {path}: {reason}")]
    Storage { path: String, reason: String },

    #[error("{}", .0.explain())]
    Refused(Refusal),

    /// The request was never sent: no connection could be made (refused, DNS, proxy).
    #[error("could not reach {host}: {reason}; check the base URL, your network and proxy")]
    Connect { host: String, reason: String },

    /// The connection broke after the request was sent: the server may or may not have acted on it.
    #[error("the connection to {host} was dropped before an answer came ({reason}); check your network and proxy, then try again")]
    Dropped { host: String, reason: String },

    /// TLS failed: the reason says what to do (plain HTTP on an https:// port, a CA that is not trusted…).
    #[error("secure connection to {host} failed: {reason}")]
    Tls { host: String, reason: String },

    #[error(
        "{host} did not answer within {secs} s; try again, or check the region of the base URL"
    )]
    Timeout { host: String, secs: u64 },

    #[error("{}", sigma_message(*.status, .body))]
    Sigma { status: u16, body: SigmaErrorBody },

    #[error("Sigma is throttling requests (HTTP {status}){}; wait and try again{}", retry_hint(*.retry_after), request_id_hint(.request_id))]
    Throttled {
        status: u16,
        retry_after: Option<Duration>,
        request_id: Option<String>,
    },

    #[error("the server answered HTTP {status} with {what} where JSON was expected; check the base URL (wrong region or a proxy page?){}", request_id_hint(.request_id))]
    UnexpectedBody {
        status: u16,
        what: String,
        request_id: Option<String>,
    },

    /// A list walk that cannot be right: an empty page that still has a cursor, a repeated cursor, or far
    /// more pages or entries than any org has.
    #[error("listing {path} stopped: {reason}; try again, and report it to Sigma support if it persists")]
    Pagination { path: String, reason: String },

    #[error("the server's answer was larger than {limit} bytes; refusing to read it")]
    BodyTooLarge { limit: usize },

    #[error("the server's answer could not be understood: {0}")]
    Decode(String),

    #[error("the impersonation session ended at {expired_at}; start a new one")]
    SessionExpired { expired_at: String },

    /// Sigma refused the impersonation token (401) before its time was up: expired or revoked on the server.
    #[error("the session expired on the server: Sigma no longer accepts the impersonation token (HTTP 401){}; start a new session", request_id_hint(.request_id))]
    SessionEndedByServer { request_id: Option<String> },

    #[error("no impersonation session is active")]
    NoSession,

    #[error("invalid console request: {0}")]
    ConsoleRequest(String),

    #[error("{}", clock_message(.body))]
    SubjectTokenTime { body: SigmaErrorBody },

    #[error("could not sign the subject token: {0}")]
    Signing(String),

    #[error("could not write the audit log ({0}); nothing was done as the user")]
    Audit(String),
}

fn sigma_message(status: u16, body: &SigmaErrorBody) -> String {
    let what = match status {
        401 => "Sigma did not accept the credentials or token (401)",
        403 => "Sigma refused: not permitted (403)",
        404 => {
            "Sigma found nothing there (404: wrong path, wrong regional host, or missing resource)"
        }
        400 => "Sigma rejected the request (400)",
        s if s >= 500 => "Sigma had a server error",
        _ => "Sigma returned an error",
    };
    let mut out = what.to_string();
    if status >= 500 && status != 0 {
        out.push_str(&format!(" ({status})"));
    }
    if !body.message.is_empty() {
        out.push_str(&format!(": {}", body.message));
    }
    if !body.code.is_empty() {
        out.push_str(&format!(" [code {}]", body.code));
    }
    if let Some(id) = &body.request_id {
        out.push_str(&format!(" [request ID {id}]"));
    }
    let hint = match status {
        401 => "; check the client ID and secret (rotate the secret if it changed)",
        403 => "; the credentials' owner may lack the permission",
        s if s >= 500 => "; try again later and give Sigma support the request ID",
        _ => "",
    };
    out.push_str(hint);
    out
}

fn clock_message(body: &SigmaErrorBody) -> String {
    let mut out = String::from("the token exchange refused the subject token for its time");
    if !body.message.is_empty() {
        out.push_str(&format!(" ({})", body.message));
    }
    out.push_str(
        "; check this computer's clock (date, time and time zone, or turn on automatic time) and try again",
    );
    if let Some(id) = &body.request_id {
        out.push_str(&format!(" [request ID {id}]"));
    }
    out
}

fn request_id_hint(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(" [request ID {id}]"),
        None => String::new(),
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(", retry after {} s", d.as_secs()),
        None => String::new(),
    }
}

impl CoreError {
    /// A stable identifier for the UI and for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::InvalidBaseUrl { .. } => "invalid_base_url",
            CoreError::InvalidProfile(_) => "invalid_profile",
            CoreError::ProfileNotFound(_) => "profile_not_found",
            CoreError::ProfileExists(_) => "profile_exists",
            CoreError::SecretMissing(_) => "secret_missing",
            CoreError::KeyringUnavailable(_) => "keyring_unavailable",
            CoreError::MissingCredentials(_) => "missing_credentials",
            CoreError::Storage { .. } => "storage",
            CoreError::Refused(_) => "refused",
            CoreError::Connect { .. } | CoreError::Dropped { .. } => "connect",
            CoreError::Tls { .. } => "tls",
            CoreError::Timeout { .. } => "timeout",
            CoreError::Sigma { status: 401, .. } => "unauthorized",
            CoreError::Sigma { status: 403, .. } => "forbidden",
            CoreError::Sigma { status: 404, .. } => "not_found",
            CoreError::Sigma { .. } => "sigma_error",
            CoreError::Throttled { .. } => "throttled",
            CoreError::Pagination { .. } => "pagination",
            CoreError::UnexpectedBody { .. } => "unexpected_body",
            CoreError::BodyTooLarge { .. } => "body_too_large",
            CoreError::Decode(_) => "decode",
            CoreError::SessionExpired { .. } => "session_expired",
            CoreError::SessionEndedByServer { .. } => "session_ended_by_server",
            CoreError::NoSession => "no_session",
            CoreError::ConsoleRequest(_) => "console_request",
            CoreError::SubjectTokenTime { .. } => "clock_skew",
            CoreError::Signing(_) => "signing",
            CoreError::Audit(_) => "audit",
        }
    }

    /// Sigma's request ID, when the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            CoreError::Sigma { body, .. } | CoreError::SubjectTokenTime { body } => {
                body.request_id.as_deref()
            }
            CoreError::Throttled { request_id, .. }
            | CoreError::UnexpectedBody { request_id, .. }
            | CoreError::SessionEndedByServer { request_id } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the network (not Sigma, not this machine) is what failed: no connection, a dropped one, TLS,
    /// or no answer in time.
    pub fn is_network(&self) -> bool {
        matches!(
            self,
            CoreError::Connect { .. }
                | CoreError::Dropped { .. }
                | CoreError::Tls { .. }
                | CoreError::Timeout { .. }
        )
    }

    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            CoreError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_error_keeps_the_request_id_and_says_what_to_do() {
        let e = CoreError::Sigma {
            status: 401,
            body: SigmaErrorBody {
                message: "Token missing or malformed".into(),
                code: "unauthorized".into(),
                request_id: Some("req-123".into()),
            },
        };
        let text = e.to_string();
        assert!(text.contains("Token missing or malformed"), "{text}");
        assert!(text.contains("req-123"), "{text}");
        assert!(text.contains("check the client ID"), "{text}");
        assert_eq!(e.code(), "unauthorized");
        assert_eq!(e.request_id(), Some("req-123"));
    }

    #[test]
    fn refusals_explain_the_rule() {
        let e = CoreError::Refused(Refusal::TargetIsAdmin {
            email: "a@b.co".into(),
        });
        assert!(e
            .to_string()
            .contains("admins cannot impersonate other admins"));
        assert_eq!(e.refusal().map(|r| r.rule()), Some("target_is_admin"));
    }

    #[test]
    fn an_actor_without_an_account_type_is_not_quoted_as_empty() {
        let text = Refusal::ActorNotAdmin {
            actor_type: " ".into(),
        }
        .explain();
        assert!(text.contains("did not say"), "{text}");
        assert!(!text.contains("''"), "{text}");
    }
}
