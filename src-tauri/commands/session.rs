//! Impersonation from the app: start, stop, extend, the views as the user, the API console and the token
//! inspector. The expiry watcher is the core's (`standin_core::watch`); `AppState` spawns it and turns what
//! it sees into events.

use crate::dto::*;
use crate::state::AppState;
use standin_core::{inspector, CoreError, StartOptions};
use std::sync::Arc;
use std::time::Duration;

type Res<T> = Result<T, ErrorDto>;

/// Passes a session call's answer on; on an error, first ends the session when Sigma refused its token
/// (401): the slot is cleared and `session-stopped` says why, so the banner never outlives the session.
async fn as_user<T>(state: &AppState, answer: Result<T, CoreError>) -> Res<T> {
    if let Err(CoreError::SessionEndedByServer { .. }) = &answer {
        if let Some(end) = state.console.take_ended().await {
            state.emit_stopped(&end, None);
        }
    }
    answer.map_err(ErrorDto::from)
}

pub async fn start_impersonation(state: &Arc<AppState>, request: StartRequest) -> Res<SessionDto> {
    let mut opts = StartOptions::new(&request.email);
    opts.tenant = request.tenant.filter(|t| !t.trim().is_empty());
    opts.reason = Some(request.reason);
    opts.require_reason = true;
    opts.read_only = request.read_only;
    opts.duration = Some(Duration::from_secs(
        u64::from(request.duration_minutes.clamp(1, 60)) * 60,
    ));
    // Nothing is exchanged unless its start could be recorded: a log that cannot be written (keyring with
    // the signing key unavailable, disk) refuses here, before any token is asked for.
    let log = state.audit_log.clone();
    crate::state::blocking(move || log.ready()).await?;
    let (info, left, ended) = state.console.start(opts, request.replace_active).await?;
    if let Some(end) = ended {
        state.emit_stopped(&end, Some(StopReason::Replaced));
    }
    Ok(state.session_started(&info, left))
}

pub async fn stop_impersonation(state: &AppState) -> Res<Option<StopResult>> {
    let ended = state.console.stop().await?;
    Ok(ended.map(|end| state.emit_stopped(&end, None)))
}

/// Extends the active session (a new exchange for the same user, reason and mode; see
/// [`standin_core::console::Console::extend`]). The web view hears `session-started` with the new session, and not
/// `session-stopped`: nothing ended from the user's point of view. A new watcher follows the new deadline;
/// the old one finds its session gone and stops.
pub async fn extend_session(state: &Arc<AppState>) -> Res<SessionDto> {
    let log = state.audit_log.clone();
    crate::state::blocking(move || log.ready()).await?;
    let (info, left, _old) = state.console.extend().await?;
    Ok(state.session_started(&info, left))
}

pub async fn current_session(state: &AppState) -> Res<Option<SessionDto>> {
    Ok(state
        .console
        .current()
        .await
        .map(|(info, left)| SessionDto::new(&info, left.as_secs())))
}

pub async fn session_whoami(state: &AppState) -> Res<WhoAmIDto> {
    let me = as_user(state, state.console.whoami().await).await?;
    Ok(WhoAmIDto {
        user_id: me.user_id,
        organization_id: me.organization_id,
        account_type: me.account_type,
        extra: me.extra,
    })
}

pub async fn session_files(state: &AppState, file_type: Option<String>) -> Res<Vec<FileDto>> {
    let files = state.console.files(file_type.filter(|t| !t.is_empty()));
    let files = as_user(state, files.await).await?;
    Ok(files.iter().map(FileDto::from).collect())
}

pub async fn session_my_documents(state: &AppState) -> Res<Vec<FileDto>> {
    let files = as_user(state, state.console.my_documents().await).await?;
    Ok(files.iter().map(FileDto::from).collect())
}

pub async fn session_compare(state: &AppState, file_type: Option<String>) -> Res<ComparisonDto> {
    let c = state.console.compare(file_type.filter(|t| !t.is_empty()));
    let c = as_user(state, c.await).await?;
    Ok(ComparisonDto::from(&c))
}

pub async fn check_console_request(state: &AppState, request: ConsoleRequest) -> Res<ConsoleCheck> {
    Ok(
        match state
            .console
            .check_console(&request.method, &request.path)
            .await
        {
            Ok(()) => ConsoleCheck {
                allowed: true,
                reason: None,
            },
            Err(e) => ConsoleCheck {
                allowed: false,
                reason: Some(e.to_string()),
            },
        },
    )
}

pub async fn console_send(state: &AppState, request: ConsoleRequest) -> Res<ConsoleResponse> {
    let answer = state
        .console
        .console_send(&request.method, &request.path, request.body);
    let answer = as_user(state, answer.await).await?;
    Ok(ConsoleResponse {
        status: answer.status,
        body: answer.body,
        request_id: answer.request_id,
        elapsed_ms: answer.elapsed.as_millis() as u64,
    })
}

pub async fn session_tokens(state: &AppState) -> Res<Vec<TokenInfoDto>> {
    let tokens = inspector::session_tokens(&state.console).await?;
    Ok(tokens
        .into_iter()
        .map(|t| TokenInfoDto {
            kind: match t.kind {
                inspector::TokenKind::Actor => TokenKind::Actor,
                inspector::TokenKind::Subject => TokenKind::Subject,
                inspector::TokenKind::Impersonation => TokenKind::Impersonation,
            },
            header: t.header,
            claims: t.claims,
            expires_at: t.expires_at,
            note: t.note,
        })
        .collect())
}
