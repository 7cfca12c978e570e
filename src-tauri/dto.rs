//! The IPC contract: every value that crosses between Rust and the web view. TypeScript types are generated
//! from these (ts-rs) into `ui/src/ipc/bindings.ts`; a test fails when the checked-in file drifts.
//!
//! Secrets go in (a new connection's secret, a rotation) and never come back: no DTO returned to the web
//! view has a field that could hold a secret or a token.

use serde::{Deserialize, Serialize};
use standin_core::audit::{AuditEntry, AuditVerification};
use standin_core::model::{File, Member, MemberAttribute, Team};
use standin_core::session::{Actor, Comparison, SessionInfo};
use standin_core::{CoreError, Secret};
use ts_rs::TS;

/// Every command's error: a stable code, a message that says what to do, Sigma's request ID when known.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDto {
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    /// For refusals: the rule that refused (`target_is_admin`, `read_only`, …).
    pub rule: Option<String>,
}

impl From<CoreError> for ErrorDto {
    fn from(e: CoreError) -> Self {
        ErrorDto {
            code: e.code().to_string(),
            message: e.to_string(),
            request_id: e.request_id().map(str::to_string),
            rule: e.refusal().map(|r| r.rule().to_string()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionKind {
    /// The built-in sandbox org, started in-process.
    Sandbox,
    /// A real Sigma org from a saved profile.
    Org,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDto {
    pub name: String,
    pub kind: ConnectionKind,
    pub base_url: String,
    /// A Sigma region's name, or "Custom".
    pub region: String,
    pub client_id: String,
    pub tenant: Option<String>,
    /// Whether the keyring holds a secret for it (the secret itself never leaves Rust); `false` both when
    /// it is missing and when the keyring could not be asked — `secret_status` tells them apart.
    pub has_secret: bool,
    pub secret_status: SecretStatus,
    /// A PEM file of CA certificates trusted for this connection besides the system's (a private CA).
    pub ca_file: Option<String>,
}

/// What the keyring says about a connection's secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SecretStatus {
    /// In the OS keyring (or, for the sandbox, in memory).
    Stored,
    /// The keyring answered and holds no secret for it: rotate to store one.
    Missing,
    /// The keyring (Secret Service) could not be reached, so whether a secret is stored is unknown.
    KeyringUnavailable,
}

impl From<standin_core::profile::SecretState> for SecretStatus {
    fn from(state: standin_core::profile::SecretState) -> Self {
        use standin_core::profile::SecretState;
        match state {
            SecretState::Stored => SecretStatus::Stored,
            SecretState::Missing => SecretStatus::Missing,
            SecretState::Unavailable => SecretStatus::KeyringUnavailable,
        }
    }
}

impl ConnectionDto {
    /// A saved profile as a connection, with what the keyring says about its secret.
    pub fn from_profile(p: &standin_core::profile::Profile, secret_status: SecretStatus) -> Self {
        ConnectionDto {
            name: p.name.clone(),
            kind: ConnectionKind::Org,
            base_url: p.base_url.clone(),
            region: p.region().to_string(),
            client_id: p.client_id.clone(),
            tenant: p.tenant.clone(),
            has_secret: secret_status == SecretStatus::Stored,
            secret_status,
            ca_file: p.ca_file.as_ref().map(|f| f.display().to_string()),
        }
    }
}

/// A new connection. The secret goes to the keyring and is never sent back; it is a [`Secret`] from the
/// moment it is deserialized, so this type's `Debug` shows `[redacted]`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInput {
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    pub tenant: Option<String>,
    #[ts(type = "string")]
    pub secret: Secret,
    /// A PEM file of CA certificates to trust for this connection, or `null`.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// Changes to a connection; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionUpdate {
    pub name: Option<String>,
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    pub tenant: Option<String>,
    #[serde(default)]
    pub clear_tenant: bool,
    /// A new CA certificate file (PEM); `clear_ca_file` removes it.
    #[serde(default)]
    pub ca_file: Option<String>,
    #[serde(default)]
    pub clear_ca_file: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionDto {
    pub name: String,
    pub base_url: String,
}

/// Who the connection's credentials belong to.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActorDto {
    pub user_id: String,
    pub organization_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub account_type: String,
    pub can_impersonate: bool,
}

impl From<&Actor> for ActorDto {
    fn from(a: &Actor) -> Self {
        ActorDto {
            user_id: a.user_id.clone(),
            organization_id: a.organization_id.clone(),
            email: a.email.clone(),
            name: a.name.clone(),
            account_type: a.account_type.clone(),
            can_impersonate: a.can_impersonate(),
        }
    }
}

/// The active connection and, when it could be reached, who it acts as.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionState {
    pub connection: ConnectionDto,
    pub actor: Option<ActorDto>,
    pub actor_error: Option<ErrorDto>,
}

/// Whether a user can be impersonated, and if not, why (shown as text and as a tooltip).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Eligibility {
    pub allowed: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberDto {
    pub member_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// First and last name, or the email when both are empty.
    pub name: String,
    /// The account type as Sigma names it (`admin`, `creator`, a custom type …).
    pub member_type: String,
    pub user_kind: Option<String>,
    pub is_archived: bool,
    pub is_inactive: bool,
    pub home_folder_id: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub impersonation: Eligibility,
    /// Fields Sigma sent that Stand-in does not know yet, shown as they are.
    #[ts(type = "Record<string, unknown>")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl MemberDto {
    pub fn new(m: &Member, impersonation: Eligibility) -> Self {
        MemberDto {
            member_id: m.member_id.clone(),
            email: m.email.clone(),
            first_name: m.first_name.clone(),
            last_name: m.last_name.clone(),
            name: m.display_name(),
            member_type: m.member_type.clone(),
            user_kind: m.user_kind.clone(),
            is_archived: m.archived(),
            is_inactive: m.inactive(),
            home_folder_id: m.home_folder_id.clone(),
            created_at: m.created_at.clone(),
            updated_at: m.updated_at.clone(),
            impersonation,
            extra: m.extra.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserQuery {
    pub search: Option<String>,
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDto {
    pub team_id: String,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Option<String>,
    pub is_archived: bool,
}

impl From<&Team> for TeamDto {
    fn from(t: &Team) -> Self {
        TeamDto {
            team_id: t.team_id.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            visibility: t.visibility.clone(),
            is_archived: t.is_archived.unwrap_or(false),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamMemberDto {
    pub user_id: String,
    pub is_team_admin: bool,
    /// The member's record, when it could be found.
    pub member: Option<MemberDto>,
    pub impersonation: Eligibility,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberAttributeDto {
    pub user_attribute_id: String,
    pub name: String,
    pub value: String,
    /// "user", "team:<name>" or "default".
    pub source: String,
}

impl From<&MemberAttribute> for MemberAttributeDto {
    fn from(a: &MemberAttribute) -> Self {
        MemberAttributeDto {
            user_attribute_id: a.user_attribute_id.clone(),
            name: a.name.clone(),
            value: a.value.clone(),
            source: a.source.clone(),
        }
    }
}

/// One part of a screen built from several calls: what loaded, or why it did not. Exactly one of `value`
/// and `error` is set, so a failed part shows its own error (with Retry and the request ID) while the rest
/// of the screen shows what loaded.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SectionDto<T: TS> {
    pub value: Option<T>,
    pub error: Option<ErrorDto>,
}

impl<T: TS> SectionDto<T> {
    pub fn from_result<U>(r: standin_core::Result<U>, f: impl FnOnce(U) -> T) -> Self {
        match r {
            Ok(v) => SectionDto {
                value: Some(f(v)),
                error: None,
            },
            Err(e) => SectionDto {
                value: None,
                error: Some(ErrorDto::from(e)),
            },
        }
    }
}

/// A user's profile: the member record (required), and teams and user attributes, each of which may fail
/// alone (a server without those endpoints answers 404).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserProfileDto {
    pub member: MemberDto,
    pub teams: SectionDto<Vec<TeamDto>>,
    pub attributes: SectionDto<Vec<MemberAttributeDto>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartRequest {
    pub email: String,
    pub tenant: Option<String>,
    /// A reason or ticket; required (a blank one is refused with rule `reason_required`).
    pub reason: String,
    pub read_only: bool,
    /// Capped at 60.
    pub duration_minutes: u32,
    /// End an active session first (the UI asks before setting this).
    #[serde(default)]
    pub replace_active: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    pub id: String,
    pub connection: String,
    pub actor_email: String,
    pub subject_email: String,
    pub subject_name: Option<String>,
    pub subject_id: Option<String>,
    pub subject_account_type: Option<String>,
    pub tenant: Option<String>,
    pub reason: Option<String>,
    pub read_only: bool,
    pub started_at: String,
    pub expires_at: String,
    pub seconds_left: u64,
}

impl SessionDto {
    pub fn new(info: &SessionInfo, seconds_left: u64) -> Self {
        SessionDto {
            id: info.id.clone(),
            connection: info.profile.clone(),
            actor_email: info.actor.label(),
            subject_email: info.subject_email.clone(),
            subject_name: info.subject_name.clone(),
            subject_id: info.subject_id.clone(),
            subject_account_type: info.subject_account_type.clone(),
            tenant: info.tenant.clone(),
            reason: info.reason.clone(),
            read_only: info.read_only,
            started_at: info.started_at.clone(),
            expires_at: info.expires_at.clone(),
            seconds_left,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StopReason {
    Stopped,
    Expired,
    /// Sigma refused the impersonation token (401) before the session's time was up.
    EndedByServer,
    /// The active connection changed (picked, rotated or removed): the session belonged to the old one.
    Switched,
    /// A new session was started in its place.
    Replaced,
}

/// Sent when a session ends (by Stop or by expiry): where to go back to.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StopResult {
    /// The session that ended (a late event about an older session can be told apart).
    pub session_id: String,
    pub subject_email: String,
    pub subject_id: Option<String>,
    pub reason: StopReason,
}

/// Sent before each wait between tries of a request to Sigma (throttling, a server error, a dropped
/// connection), so a long list that pauses says why.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetryEvent {
    /// "Sigma is throttling: retrying in 3 s (try 2 of 5)".
    pub message: String,
    /// The API path retried, without its query.
    pub path: String,
    /// `throttled`, `server_error` or `connection`.
    pub reason: String,
    pub delay_seconds: u64,
    pub next_try: u32,
    pub max_tries: u32,
}

impl From<&standin_core::retry::RetryNotice> for RetryEvent {
    fn from(n: &standin_core::retry::RetryNotice) -> Self {
        use standin_core::retry::RetryReason;
        RetryEvent {
            message: n.message(),
            path: n.path.clone(),
            reason: match n.reason {
                RetryReason::Throttled => "throttled",
                RetryReason::ServerError(_) => "server_error",
                RetryReason::Connection => "connection",
            }
            .into(),
            delay_seconds: n.delay.as_secs_f64().ceil() as u64,
            next_try: n.next_try,
            max_tries: n.max_tries,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpiringEvent {
    pub session_id: String,
    pub seconds_left: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmIDto {
    pub user_id: String,
    pub organization_id: String,
    pub account_type: Option<String>,
    #[ts(type = "Record<string, unknown>")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileDto {
    pub id: String,
    pub name: String,
    /// workbook, dataset, data-model, folder, report, … (new types are shown as they come).
    pub file_type: String,
    /// create, annotate, organize, explore, view, edit, apply (or a new value).
    pub permission: String,
    pub path: String,
    pub parent_id: Option<String>,
    pub owner_id: Option<String>,
    pub badge: Option<String>,
    pub description: Option<String>,
    pub is_archived: bool,
    pub updated_at: Option<String>,
}

impl From<&File> for FileDto {
    fn from(f: &File) -> Self {
        FileDto {
            id: f.id.clone(),
            name: f.name.clone(),
            file_type: f.file_type.clone(),
            permission: f.permission.clone(),
            path: f.path.clone(),
            parent_id: f.parent_id.clone(),
            owner_id: f.owner_id.clone(),
            badge: f.badge.clone(),
            description: f.description.clone(),
            is_archived: f.is_archived,
            updated_at: f.updated_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PermissionDifferenceDto {
    pub file: FileDto,
    pub admin_permission: String,
    pub user_permission: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonDto {
    pub only_admin: Vec<FileDto>,
    pub only_user: Vec<FileDto>,
    pub different: Vec<PermissionDifferenceDto>,
    pub same: u32,
}

impl From<&Comparison> for ComparisonDto {
    fn from(c: &Comparison) -> Self {
        ComparisonDto {
            only_admin: c.only_admin.iter().map(FileDto::from).collect(),
            only_user: c.only_user.iter().map(FileDto::from).collect(),
            different: c
                .different
                .iter()
                .map(|d| PermissionDifferenceDto {
                    file: FileDto::from(&d.file),
                    admin_permission: d.admin_permission.clone(),
                    user_permission: d.user_permission.clone(),
                })
                .collect(),
            same: c.same as u32,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleRequest {
    /// GET, POST, PUT, PATCH or DELETE.
    pub method: String,
    /// A path under the base URL, e.g. `/v2/files?typeFilters=dataset`.
    pub path: String,
    /// A JSON body for writes (read-write sessions only); `null` for none.
    #[serde(default)]
    #[ts(type = "unknown")]
    pub body: Option<serde_json::Value>,
}

/// Whether a console request may be sent, explained before sending.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleCheck {
    pub allowed: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleResponse {
    pub status: u16,
    #[ts(type = "unknown")]
    pub body: serde_json::Value,
    pub request_id: Option<String>,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TokenKind {
    Actor,
    Subject,
    Impersonation,
}

/// What the token inspector shows: claims and times, never the token.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfoDto {
    pub kind: TokenKind,
    #[ts(type = "Record<string, unknown> | null")]
    pub header: Option<serde_json::Map<String, serde_json::Value>>,
    #[ts(type = "Record<string, unknown> | null")]
    pub claims: Option<serde_json::Map<String, serde_json::Value>>,
    pub expires_at: Option<String>,
    /// Why claims are missing (opaque token), or what the token is for.
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryDto {
    pub time: String,
    pub event: String,
    pub profile: String,
    pub actor: String,
    pub subject: String,
    pub tenant: Option<String>,
    pub reason: Option<String>,
    pub session_id: Option<String>,
    pub read_only: Option<bool>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub status: Option<u16>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    /// For requests: "sent" (recorded before it went out) or "outcome" (after); null in older logs.
    pub phase: Option<String>,
    /// The access review this record belongs to; null outside reviews and in older logs.
    pub review_id: Option<String>,
}

impl From<&AuditEntry> for AuditEntryDto {
    fn from(e: &AuditEntry) -> Self {
        AuditEntryDto {
            time: e.time.clone(),
            event: e.event.as_str().to_string(),
            profile: e.profile.clone(),
            actor: e.actor.clone(),
            subject: e.subject.clone(),
            tenant: e.tenant.clone(),
            reason: e.reason.clone(),
            session_id: e.session_id.clone(),
            read_only: e.read_only,
            method: e.method.clone(),
            path: e.path.clone(),
            status: e.status,
            detail: e.detail.clone(),
            request_id: e.request_id.clone(),
            phase: e.phase.map(|p| p.as_str().to_string()),
            review_id: e.review_id.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Which audit entries an export holds: the Audit screen's filter, so the file has what the table shows.
/// `text` matches (case-insensitively) actor, subject, reason, connection, path, detail, request ID or
/// session ID; `event` is one event name (`impersonation.start`…) or null for every event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilter {
    pub text: String,
    pub event: Option<String>,
}

/// What `verify_audit` found: whether the log's hash chain and MACs check, or the first line that does not.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerificationDto {
    /// "intact", "legacy" (only records from before signing: nothing to check) or "broken".
    pub status: String,
    pub intact: bool,
    /// Records whose MAC and chain link checked (before the problem, if any).
    pub records: u32,
    pub legacy_records: u32,
    /// 1-based line of the first problem.
    pub problem_line: Option<u32>,
    /// "edited", "deleted", "reordered", "truncated", "chainBroken", "unsigned", "wrongKey" or "keyMissing".
    pub problem_kind: Option<String>,
    /// One sentence for people: "intact, 12 records", or the line and what is wrong with it.
    pub summary: String,
    /// Lines holding an interrupted write (never acknowledged) sealed by the next record.
    pub interrupted_lines: Vec<u32>,
}

impl From<&AuditVerification> for AuditVerificationDto {
    fn from(v: &AuditVerification) -> Self {
        let to_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        AuditVerificationDto {
            status: v.status.as_str().to_string(),
            intact: v.is_intact(),
            records: to_u32(v.records),
            legacy_records: to_u32(v.legacy_records),
            problem_line: v.problem.as_ref().map(|p| to_u32(p.line)),
            problem_kind: v.problem.as_ref().map(|p| p.kind.as_str().to_string()),
            summary: v.summary(),
            interrupted_lines: v.interrupted_lines.iter().map(|n| to_u32(*n)).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditExport {
    /// Where the file was written.
    pub path: String,
    pub count: u32,
}

/// Who an access review covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReviewScopeKind {
    /// Every member of one team (`team_id`).
    Team,
    /// The users with these emails (`emails`).
    Emails,
    /// Every active member of the organization.
    All,
}

/// The scope of a review: `kind`, and the team or the emails it names.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewScopeDto {
    pub kind: ReviewScopeKind,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub emails: Option<Vec<String>>,
}

/// What `start_access_review` is asked to do.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequestDto {
    pub scope: ReviewScopeDto,
    /// One document type (`workbook`, `dataset`, …) or null for every type.
    #[serde(default)]
    pub file_type: Option<String>,
    /// Users impersonated at once; null for the default (8).
    #[serde(default)]
    pub concurrency: Option<u32>,
    /// Recorded with every impersonation of the review.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewStartedDto {
    pub review_id: String,
}

/// The `review-progress` event: how far a running review is.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewProgressDto {
    pub review_id: String,
    /// Users whose documents were listed.
    pub done: u32,
    /// Users that failed (refused, or an error as them); `done + failed` of `total` have ended.
    pub failed: u32,
    pub total: u32,
    pub elapsed_ms: u64,
    /// Users per second so far.
    pub rate_per_sec: f64,
    /// Time left at the current rate; null until the rate is known.
    pub eta_ms: Option<u64>,
    /// Sigma is answering 429 and the review has slowed down.
    pub throttled: bool,
}

/// The `review-finished` event: the review ended (finished, cancelled, or failed before it could start,
/// with `error`). The result, when there is one, is read with `access_review_result`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewFinishedDto {
    pub review_id: String,
    pub cancelled: bool,
    pub done: u32,
    pub failed: u32,
    pub not_run: u32,
    pub total: u32,
    /// Why the review could not run at all (an unknown team, a connection that is not an Admin's…).
    pub error: Option<ErrorDto>,
}

/// How one user's part of a review ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReviewOutcomeKind {
    Done,
    Failed,
    /// Never started: the review was cancelled first.
    NotRun,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewUserDto {
    /// Null for an email no member has.
    pub member_id: Option<String>,
    pub email: String,
    pub name: Option<String>,
    pub outcome: ReviewOutcomeKind,
    /// Set when `outcome` is `failed`.
    pub error: Option<ErrorDto>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDocumentDto {
    pub id: String,
    pub name: String,
    /// workbook, dataset, … (a type Sigma adds later comes through as it is).
    pub doc_type: String,
    pub path: String,
    /// The admin's own access level; null when the admin cannot see it.
    pub admin_permission: Option<String>,
}

/// A finished (or cancelled) review, compact: the matrix can be thousands of users by thousands of
/// documents, mostly empty, so each user's row is a list of `[documentIndex, permissionIndex]` pairs for
/// the documents they can access (`access[i]` belongs to `users[i]`; the permission is
/// `permissions[permissionIndex]`), not a dense grid.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessReviewDto {
    pub review_id: String,
    /// The admin who ran it (email, else user ID): the matrix's "You (admin)".
    pub actor: String,
    pub connection: String,
    pub started_at: String,
    pub finished_at: String,
    pub cancelled: bool,
    pub file_type: Option<String>,
    pub users: Vec<ReviewUserDto>,
    pub documents: Vec<ReviewDocumentDto>,
    /// Distinct permission names (`view`, `edit`, … or one Sigma adds later), indexed by the pairs.
    pub permissions: Vec<String>,
    pub access: Vec<Vec<(u32, u16)>>,
}

/// What `access_review_status` answers: the review running now, and the last one that ended (its result
/// is kept in memory until the next review or the app quits), so the screen picks up where it was.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewStatusDto {
    pub running: Option<ReviewProgressDto>,
    pub last: Option<ReviewFinishedDto>,
}

impl ReviewRequestDto {
    /// The core's options; a scope without the team or the emails it names is refused here, before any
    /// call to Sigma.
    pub fn to_options(&self) -> Result<standin_core::review::ReviewOptions, ErrorDto> {
        use standin_core::review::{ReviewOptions, ReviewScope, DEFAULT_CONCURRENCY};
        let invalid = |message: &str| ErrorDto {
            code: "invalid_review".into(),
            message: message.into(),
            request_id: None,
            rule: None,
        };
        let scope = match self.scope.kind {
            ReviewScopeKind::Team => match self.scope.team_id.as_deref().map(str::trim) {
                Some(id) if !id.is_empty() => ReviewScope::Team(id.to_string()),
                _ => return Err(invalid("pick a team to review")),
            },
            ReviewScopeKind::Emails => {
                let emails: Vec<String> = (self.scope.emails.iter().flatten())
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect();
                if emails.is_empty() {
                    return Err(invalid("give at least one email to review"));
                }
                ReviewScope::Emails(emails)
            }
            ReviewScopeKind::All => ReviewScope::All,
        };
        let mut options = ReviewOptions::new(scope);
        options.file_type = self
            .file_type
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        options.concurrency = self.concurrency.map_or(DEFAULT_CONCURRENCY, |c| c as usize);
        options.reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        Ok(options)
    }
}

impl From<&standin_core::review::ReviewProgress> for ReviewProgressDto {
    fn from(p: &standin_core::review::ReviewProgress) -> Self {
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        ReviewProgressDto {
            review_id: p.review_id.clone(),
            done: to_u32(p.done),
            failed: to_u32(p.failed),
            total: to_u32(p.total),
            elapsed_ms: p.elapsed_ms,
            rate_per_sec: if p.rate_per_sec.is_finite() {
                p.rate_per_sec
            } else {
                0.0
            },
            eta_ms: p.eta_ms,
            throttled: p.throttled,
        }
    }
}

impl ReviewFinishedDto {
    /// A review that failed as a whole after it began (no result to read).
    pub fn failed(review_id: String, error: ErrorDto) -> Self {
        ReviewFinishedDto {
            review_id,
            cancelled: false,
            done: 0,
            failed: 0,
            not_run: 0,
            total: 0,
            error: Some(error),
        }
    }
}

impl From<&standin_core::review::AccessReview> for ReviewFinishedDto {
    fn from(r: &standin_core::review::AccessReview) -> Self {
        let (done, failed, not_run) = r.counts();
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        ReviewFinishedDto {
            review_id: r.review_id.clone(),
            cancelled: r.cancelled,
            done: to_u32(done),
            failed: to_u32(failed),
            not_run: to_u32(not_run),
            total: to_u32(r.users.len()),
            error: None,
        }
    }
}

impl From<&standin_core::review::AccessReview> for AccessReviewDto {
    fn from(r: &standin_core::review::AccessReview) -> Self {
        use standin_core::review::ReviewOutcome;
        AccessReviewDto {
            review_id: r.review_id.clone(),
            actor: r.actor.clone(),
            connection: r.profile.clone(),
            started_at: r.started_at.clone(),
            finished_at: r.finished_at.clone(),
            cancelled: r.cancelled,
            file_type: r.file_type.clone(),
            users: r
                .users
                .iter()
                .map(|u| {
                    let (outcome, error) = match &u.outcome {
                        ReviewOutcome::Done => (ReviewOutcomeKind::Done, None),
                        ReviewOutcome::NotRun => (ReviewOutcomeKind::NotRun, None),
                        ReviewOutcome::Failed { code, message } => (
                            ReviewOutcomeKind::Failed,
                            Some(ErrorDto {
                                code: code.clone(),
                                message: message.clone(),
                                request_id: None,
                                rule: None,
                            }),
                        ),
                    };
                    ReviewUserDto {
                        member_id: u.member_id.clone(),
                        email: u.email.clone(),
                        name: u.name.clone(),
                        outcome,
                        error,
                    }
                })
                .collect(),
            documents: r
                .documents
                .iter()
                .map(|d| ReviewDocumentDto {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    doc_type: d.doc_type.clone(),
                    path: d.path.clone(),
                    admin_permission: d.admin_permission.clone(),
                })
                .collect(),
            permissions: r.permissions.clone(),
            access: r.users.iter().map(|u| u.access.clone()).collect(),
        }
    }
}

/// Where `export_access_review` wrote the review.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewExportDto {
    pub path: String,
    pub users: u32,
    pub documents: u32,
}

/// How a route gives access: owning the document, a grant to the member or to one of their teams, on the
/// document itself or (the `inherited…` kinds) on a folder or workspace above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AccessKindDto {
    Owner,
    UserGrant,
    TeamGrant,
    InheritedOwner,
    InheritedUserGrant,
    InheritedTeamGrant,
}

/// What would give access: join a team that has it, a grant on the nearest shared folder, a grant on the
/// document itself (nothing above it is shared), or an archived team of theirs that would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SuggestionKindDto {
    JoinTeam,
    GrantOnFolder,
    GrantOnDocument,
    ArchivedTeam,
}

/// A document, folder or workspace; `name` is null for a folder the admin's own token cannot read.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InodeRefDto {
    pub id: String,
    pub name: Option<String>,
    pub inode_type: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamRefDto {
    pub id: String,
    pub name: String,
}

/// One route that gives the member access; `onInode` is set when it is inherited from above.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessPathDto {
    pub kind: AccessKindDto,
    pub permission: String,
    pub via_team: Option<TeamRefDto>,
    pub on_inode: Option<InodeRefDto>,
    pub grant_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionDto {
    pub kind: SuggestionKindDto,
    pub permission: String,
    pub team: Option<TeamRefDto>,
    pub on_inode: InodeRefDto,
    /// Who already has that grant there ("team Sales (view)", "Ann Bell (explore)").
    pub grantees: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedMemberDto {
    pub id: String,
    pub email: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedDocumentDto {
    pub id: String,
    pub name: String,
    pub doc_type: String,
    pub path: String,
    /// The admin's own permission on it.
    pub admin_permission: String,
}

/// "Why can (or can't) this user see it?": the effective permission (null: no access), every route that
/// gives it (strongest first), and what would give access (or more of it, up to the admin's).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExplanationDto {
    pub member: ExplainedMemberDto,
    pub document: ExplainedDocumentDto,
    pub access: Option<String>,
    pub paths: Vec<AccessPathDto>,
    pub would_grant: Vec<SuggestionDto>,
    /// False when a folder above the document could not be read with the admin's token.
    pub ancestors_complete: bool,
}

impl From<standin_core::explain::Explanation> for ExplanationDto {
    fn from(e: standin_core::explain::Explanation) -> Self {
        use standin_core::explain::{AccessKind, InodeRef, SuggestionKind, TeamRef};
        let inode = |i: InodeRef| InodeRefDto {
            id: i.id,
            name: i.name,
            inode_type: i.inode_type,
        };
        let team = |t: TeamRef| TeamRefDto {
            id: t.id,
            name: t.name,
        };
        ExplanationDto {
            member: ExplainedMemberDto {
                id: e.member.id,
                email: e.member.email,
                name: e.member.name,
            },
            document: ExplainedDocumentDto {
                id: e.document.id,
                name: e.document.name,
                doc_type: e.document.doc_type,
                path: e.document.path,
                admin_permission: e.document.admin_permission,
            },
            access: e.access,
            paths: e
                .paths
                .into_iter()
                .map(|p| AccessPathDto {
                    kind: match p.kind {
                        AccessKind::Owner => AccessKindDto::Owner,
                        AccessKind::UserGrant => AccessKindDto::UserGrant,
                        AccessKind::TeamGrant => AccessKindDto::TeamGrant,
                        AccessKind::InheritedOwner => AccessKindDto::InheritedOwner,
                        AccessKind::InheritedUserGrant => AccessKindDto::InheritedUserGrant,
                        AccessKind::InheritedTeamGrant => AccessKindDto::InheritedTeamGrant,
                    },
                    permission: p.permission,
                    via_team: p.via_team.map(team),
                    on_inode: p.on_inode.map(inode),
                    grant_id: p.grant_id,
                })
                .collect(),
            would_grant: e
                .would_grant
                .into_iter()
                .map(|s| SuggestionDto {
                    kind: match s.kind {
                        SuggestionKind::JoinTeam => SuggestionKindDto::JoinTeam,
                        SuggestionKind::GrantOnFolder => SuggestionKindDto::GrantOnFolder,
                        SuggestionKind::GrantOnDocument => SuggestionKindDto::GrantOnDocument,
                        SuggestionKind::ArchivedTeam => SuggestionKindDto::ArchivedTeam,
                    },
                    permission: s.permission,
                    team: s.team.map(team),
                    on_inode: inode(s.on_inode),
                    grantees: s.grantees,
                })
                .collect(),
            ancestors_complete: e.ancestors_complete,
        }
    }
}

/// Every type in the contract, in file order, as TypeScript declarations.
pub fn typescript_bindings() -> String {
    // Seconds and milliseconds travel as JSON numbers, so 64-bit integers are `number` in TypeScript.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        ErrorDto::decl(&cfg),
        ConnectionKind::decl(&cfg),
        ConnectionDto::decl(&cfg),
        SecretStatus::decl(&cfg),
        ConnectionInput::decl(&cfg),
        ConnectionUpdate::decl(&cfg),
        RegionDto::decl(&cfg),
        ActorDto::decl(&cfg),
        ConnectionState::decl(&cfg),
        Eligibility::decl(&cfg),
        MemberDto::decl(&cfg),
        UserQuery::decl(&cfg),
        TeamDto::decl(&cfg),
        TeamMemberDto::decl(&cfg),
        MemberAttributeDto::decl(&cfg),
        SectionDto::<()>::decl(&cfg),
        UserProfileDto::decl(&cfg),
        StartRequest::decl(&cfg),
        SessionDto::decl(&cfg),
        StopReason::decl(&cfg),
        StopResult::decl(&cfg),
        ExpiringEvent::decl(&cfg),
        RetryEvent::decl(&cfg),
        WhoAmIDto::decl(&cfg),
        FileDto::decl(&cfg),
        PermissionDifferenceDto::decl(&cfg),
        ComparisonDto::decl(&cfg),
        ConsoleRequest::decl(&cfg),
        ConsoleCheck::decl(&cfg),
        ConsoleResponse::decl(&cfg),
        TokenKind::decl(&cfg),
        TokenInfoDto::decl(&cfg),
        AuditEntryDto::decl(&cfg),
        AuditVerificationDto::decl(&cfg),
        ExportFormat::decl(&cfg),
        AuditFilter::decl(&cfg),
        AuditExport::decl(&cfg),
        ReviewScopeKind::decl(&cfg),
        ReviewScopeDto::decl(&cfg),
        ReviewRequestDto::decl(&cfg),
        ReviewStartedDto::decl(&cfg),
        ReviewProgressDto::decl(&cfg),
        ReviewFinishedDto::decl(&cfg),
        ReviewOutcomeKind::decl(&cfg),
        ReviewUserDto::decl(&cfg),
        ReviewDocumentDto::decl(&cfg),
        AccessReviewDto::decl(&cfg),
        ReviewStatusDto::decl(&cfg),
        ReviewExportDto::decl(&cfg),
        AccessKindDto::decl(&cfg),
        SuggestionKindDto::decl(&cfg),
        InodeRefDto::decl(&cfg),
        TeamRefDto::decl(&cfg),
        AccessPathDto::decl(&cfg),
        SuggestionDto::decl(&cfg),
        ExplainedMemberDto::decl(&cfg),
        ExplainedDocumentDto::decl(&cfg),
        ExplanationDto::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from src-tauri/dto.rs by ts-rs. Do not edit: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p stand-in bindings` after changing a DTO.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}
