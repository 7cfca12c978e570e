//! The IPC contract: every value that crosses between Rust and the web view. TypeScript types are generated
//! from these (ts-rs) into `ui/src/ipc/bindings.ts`; a test fails when the checked-in file drifts.
//!
//! Secrets go in (a new connection's secret, a rotation) and never come back: no DTO returned to the web
//! view has a field that could hold a secret or a token.

use serde::{Deserialize, Serialize};
use standin_core::audit::AuditEntry;
use standin_core::model::{File, Member, MemberAttribute, Team};
use standin_core::session::{Actor, Comparison, SessionInfo};
use standin_core::CoreError;
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
    /// Whether the keyring holds a secret for it (the secret itself never leaves Rust).
    pub has_secret: bool,
}

/// A new connection. The secret goes to the keyring and is never sent back.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInput {
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    pub tenant: Option<String>,
    pub secret: String,
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

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserProfileDto {
    pub member: MemberDto,
    pub teams: Vec<TeamDto>,
    pub attributes: Vec<MemberAttributeDto>,
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditExport {
    /// Where the file was written.
    pub path: String,
    pub count: u32,
}

/// Every type in the contract, in file order, as TypeScript declarations.
pub fn typescript_bindings() -> String {
    // Seconds and milliseconds travel as JSON numbers, so 64-bit integers are `number` in TypeScript.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        ErrorDto::decl(&cfg),
        ConnectionKind::decl(&cfg),
        ConnectionDto::decl(&cfg),
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
        UserProfileDto::decl(&cfg),
        StartRequest::decl(&cfg),
        SessionDto::decl(&cfg),
        StopReason::decl(&cfg),
        StopResult::decl(&cfg),
        ExpiringEvent::decl(&cfg),
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
        ExportFormat::decl(&cfg),
        AuditExport::decl(&cfg),
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
