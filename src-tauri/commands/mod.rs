//! The Tauri commands: each is one line — DTO in, one call, DTO out. The work lives in the submodules,
//! which take `&AppState` and are tested without a web view; the behaviour lives in the core.

pub mod audit;
pub mod connections;
pub mod directory;
pub mod explain;
pub mod review;
pub mod session;

use crate::dto::*;
use crate::state::AppState;
use std::sync::Arc;
use tauri::State;

type Res<T> = Result<T, ErrorDto>;
type App<'a> = State<'a, Arc<AppState>>;

include!("list.rs");

#[tauri::command]
pub async fn list_connections(state: App<'_>) -> Res<Vec<ConnectionDto>> {
    connections::list_connections(&state).await
}
#[tauri::command]
pub fn list_regions() -> Vec<RegionDto> {
    connections::list_regions()
}
#[tauri::command]
pub async fn add_connection(state: App<'_>, input: ConnectionInput) -> Res<ConnectionDto> {
    connections::add_connection(&state, input).await
}
#[tauri::command]
pub async fn update_connection(
    state: App<'_>,
    name: String,
    update: ConnectionUpdate,
) -> Res<ConnectionDto> {
    connections::update_connection(&state, name, update).await
}
#[tauri::command]
pub async fn rotate_secret(state: App<'_>, name: String, secret: standin_core::Secret) -> Res<()> {
    connections::rotate_secret(&state, name, secret).await
}
#[tauri::command]
pub async fn remove_connection(state: App<'_>, name: String) -> Res<()> {
    connections::remove_connection(&state, name).await
}
#[tauri::command]
pub async fn test_connection(state: App<'_>, name: String) -> Res<ActorDto> {
    connections::test_connection(&state, name).await
}
#[tauri::command]
pub async fn select_connection(state: App<'_>, name: String) -> Res<ConnectionState> {
    connections::select_connection(&state, name).await
}
#[tauri::command]
pub async fn current_connection(state: App<'_>) -> Res<ConnectionState> {
    connections::current_connection(&state).await
}
#[tauri::command]
pub async fn list_users(state: App<'_>, query: UserQuery) -> Res<Vec<MemberDto>> {
    directory::list_users(&state, query).await
}
#[tauri::command]
pub async fn get_user(state: App<'_>, member_id: String) -> Res<UserProfileDto> {
    directory::get_user(&state, member_id).await
}
#[tauri::command]
pub async fn list_teams(state: App<'_>) -> Res<Vec<TeamDto>> {
    directory::list_teams(&state).await
}
#[tauri::command]
pub async fn get_team_members(state: App<'_>, team_id: String) -> Res<Vec<TeamMemberDto>> {
    directory::get_team_members(&state, team_id).await
}
#[tauri::command]
pub async fn start_impersonation(state: App<'_>, request: StartRequest) -> Res<SessionDto> {
    session::start_impersonation(&state, request).await
}
#[tauri::command]
pub async fn stop_impersonation(state: App<'_>) -> Res<Option<StopResult>> {
    session::stop_impersonation(&state).await
}
#[tauri::command]
pub async fn extend_session(state: App<'_>) -> Res<SessionDto> {
    session::extend_session(&state).await
}
#[tauri::command]
pub async fn current_session(state: App<'_>) -> Res<Option<SessionDto>> {
    session::current_session(&state).await
}
#[tauri::command]
pub async fn session_whoami(state: App<'_>) -> Res<WhoAmIDto> {
    session::session_whoami(&state).await
}
#[tauri::command]
pub async fn session_files(state: App<'_>, file_type: Option<String>) -> Res<Vec<FileDto>> {
    session::session_files(&state, file_type).await
}
#[tauri::command]
pub async fn session_my_documents(state: App<'_>) -> Res<Vec<FileDto>> {
    session::session_my_documents(&state).await
}
#[tauri::command]
pub async fn session_compare(state: App<'_>, file_type: Option<String>) -> Res<ComparisonDto> {
    session::session_compare(&state, file_type).await
}
#[tauri::command]
pub async fn check_console_request(state: App<'_>, request: ConsoleRequest) -> Res<ConsoleCheck> {
    session::check_console_request(&state, request).await
}
#[tauri::command]
pub async fn console_send(state: App<'_>, request: ConsoleRequest) -> Res<ConsoleResponse> {
    session::console_send(&state, request).await
}
#[tauri::command]
pub async fn session_tokens(state: App<'_>) -> Res<Vec<TokenInfoDto>> {
    session::session_tokens(&state).await
}
#[tauri::command]
pub async fn explain_access(
    state: App<'_>,
    member_id: String,
    document_id: String,
) -> Res<ExplanationDto> {
    explain::explain_access(&state, member_id, document_id).await
}
#[tauri::command]
pub async fn audit_entries(state: App<'_>) -> Res<Vec<AuditEntryDto>> {
    audit::audit_entries(&state).await
}
#[tauri::command]
pub async fn export_audit(
    state: App<'_>,
    format: ExportFormat,
    filter: Option<AuditFilter>,
) -> Res<AuditExport> {
    audit::export_audit(&state, format, filter.unwrap_or_default()).await
}
#[tauri::command]
pub async fn reveal_export(state: App<'_>, path: String) -> Res<()> {
    audit::reveal_export(&state, path).await
}
#[tauri::command]
pub async fn verify_audit(state: App<'_>) -> Res<AuditVerificationDto> {
    audit::verify_audit(&state).await
}
#[tauri::command]
pub async fn start_access_review(
    state: App<'_>,
    request: ReviewRequestDto,
) -> Res<ReviewStartedDto> {
    review::start_access_review(&state, request).await
}
#[tauri::command]
pub async fn cancel_access_review(state: App<'_>, review_id: String) -> Res<()> {
    review::cancel_access_review(&state, review_id).await
}
#[tauri::command]
pub async fn access_review_status(state: App<'_>) -> Res<ReviewStatusDto> {
    review::access_review_status(&state).await
}
#[tauri::command]
pub async fn access_review_result(state: App<'_>, review_id: String) -> Res<AccessReviewDto> {
    review::access_review_result(&state, review_id).await
}
#[tauri::command]
pub async fn export_access_review(
    state: App<'_>,
    review_id: String,
    format: ExportFormat,
) -> Res<ReviewExportDto> {
    review::export_access_review(&state, review_id, format).await
}
