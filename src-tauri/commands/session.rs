//! Impersonation from the app: start, stop, the views as the user, the API console, the token inspector,
//! and the timer that warns before expiry and ends the session at expiry.

use crate::dto::*;
use crate::state::AppState;
use standin_core::console::{SessionEnd, TokenView};
use standin_core::StartOptions;
use std::sync::Arc;
use std::time::Duration;

type Res<T> = Result<T, ErrorDto>;

/// The warning comes this long before a session expires…
pub const EXPIRY_WARNING: Duration = Duration::from_secs(60);

/// …or halfway through a session shorter than two minutes, so every session gets one.
pub fn warning_lead(session_length: Duration) -> Duration {
    EXPIRY_WARNING.min(session_length / 2)
}

pub fn stop_result(end: &SessionEnd) -> StopResult {
    StopResult {
        session_id: end.info.id.clone(),
        subject_email: end.info.subject_email.clone(),
        subject_id: end.info.subject_id.clone(),
        reason: if end.ended_by_server {
            StopReason::EndedByServer
        } else if end.expired {
            StopReason::Expired
        } else {
            StopReason::Stopped
        },
    }
}

/// Passes a session call's error on, first ending the session when Sigma refused its token (401): the slot
/// is cleared and `session-stopped` says why, so the banner never outlives the session.
async fn ended_if_refused(state: &AppState, e: standin_core::CoreError) -> ErrorDto {
    if matches!(e, standin_core::CoreError::SessionEndedByServer { .. }) {
        if let Some(end) = state.console.take_ended().await {
            emit_stopped(state, &end);
        }
    }
    ErrorDto::from(e)
}

pub fn emit_stopped(state: &AppState, end: &SessionEnd) {
    emit_stop_result(state, stop_result(end));
}

/// For a session ended by something other than Stop, expiry or Sigma: a connection change or a new
/// session in its place. The notice says so, so no session ends without a reason given.
pub fn emit_stopped_because(state: &AppState, end: &SessionEnd, reason: StopReason) {
    let mut result = stop_result(end);
    // Expiry or Sigma's refusal came first: that is the truer reason.
    if result.reason == StopReason::Stopped {
        result.reason = reason;
    }
    emit_stop_result(state, result);
}

fn emit_stop_result(state: &AppState, result: StopResult) {
    let payload = serde_json::to_value(result).unwrap_or_default();
    state.events.emit("session-stopped", payload);
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
        emit_stopped_because(state, &end, StopReason::Replaced);
    }
    let dto = SessionDto::new(&info, left.as_secs());
    state.events.emit(
        "session-started",
        serde_json::to_value(&dto).unwrap_or_default(),
    );
    tokio::spawn(watch_expiry(state.clone(), info.id.clone(), left));
    Ok(dto)
}

/// Warns a minute before the end, then ends the session by itself. Sleeps on the real clock; a session that
/// was stopped or replaced meanwhile is left alone (`expire_if_due` checks the ID).
async fn watch_expiry(state: Arc<AppState>, id: String, left: Duration) {
    let lead = warning_lead(left);
    if !lead.is_zero() {
        tokio::time::sleep(left - lead).await;
        match state.console.current().await {
            Some((info, remaining)) if info.id == id => state.events.emit(
                "session-expiring",
                serde_json::to_value(ExpiringEvent {
                    session_id: id.clone(),
                    seconds_left: remaining.as_secs(),
                })
                .unwrap_or_default(),
            ),
            _ => return,
        }
    }
    loop {
        let remaining = match state.console.current().await {
            Some((info, remaining)) if info.id == id => remaining,
            // Already expired (current() hides it) or gone: try to end it, then stop watching.
            _ => Duration::ZERO,
        };
        tokio::time::sleep(remaining + Duration::from_millis(50)).await;
        if let Some(end) = state.console.expire_if_due(&id).await {
            emit_stopped(&state, &end);
            return;
        }
        if remaining.is_zero() {
            return;
        }
    }
}

pub async fn stop_impersonation(state: &AppState) -> Res<Option<StopResult>> {
    let ended = state.console.stop().await?;
    Ok(ended.map(|end| {
        emit_stopped(state, &end);
        stop_result(&end)
    }))
}

/// Extends the active session (a new exchange for the same user, reason and mode; see
/// [`standin_core::console::Console::extend`]). The web view hears `session-started` with the new session, and not
/// `session-stopped`: nothing ended from the user's point of view. A new watcher follows the new deadline;
/// the old one finds its session gone and stops.
pub async fn extend_session(state: &Arc<AppState>) -> Res<SessionDto> {
    let log = state.audit_log.clone();
    crate::state::blocking(move || log.ready()).await?;
    let (info, left, _old) = state.console.extend().await?;
    let dto = SessionDto::new(&info, left.as_secs());
    state.events.emit(
        "session-started",
        serde_json::to_value(&dto).unwrap_or_default(),
    );
    tokio::spawn(watch_expiry(state.clone(), info.id.clone(), left));
    Ok(dto)
}

pub async fn current_session(state: &AppState) -> Res<Option<SessionDto>> {
    Ok(state
        .console
        .current()
        .await
        .map(|(info, left)| SessionDto::new(&info, left.as_secs())))
}

pub async fn session_whoami(state: &AppState) -> Res<WhoAmIDto> {
    let me = match state.console.whoami().await {
        Ok(me) => me,
        Err(e) => return Err(ended_if_refused(state, e).await),
    };
    Ok(WhoAmIDto {
        user_id: me.user_id,
        organization_id: me.organization_id,
        account_type: me.account_type,
        extra: me.extra,
    })
}

pub async fn session_files(state: &AppState, file_type: Option<String>) -> Res<Vec<FileDto>> {
    let files = match state
        .console
        .files(file_type.filter(|t| !t.is_empty()))
        .await
    {
        Ok(f) => f,
        Err(e) => return Err(ended_if_refused(state, e).await),
    };
    Ok(files.iter().map(FileDto::from).collect())
}

pub async fn session_my_documents(state: &AppState) -> Res<Vec<FileDto>> {
    let files = match state.console.my_documents().await {
        Ok(f) => f,
        Err(e) => return Err(ended_if_refused(state, e).await),
    };
    Ok(files.iter().map(FileDto::from).collect())
}

pub async fn session_compare(state: &AppState, file_type: Option<String>) -> Res<ComparisonDto> {
    let c = match state
        .console
        .compare(file_type.filter(|t| !t.is_empty()))
        .await
    {
        Ok(c) => c,
        Err(e) => return Err(ended_if_refused(state, e).await),
    };
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
    let answer = match state
        .console
        .console_send(&request.method, &request.path, request.body)
        .await
    {
        Ok(a) => a,
        Err(e) => return Err(ended_if_refused(state, e).await),
    };
    Ok(ConsoleResponse {
        status: answer.status,
        body: answer.body,
        request_id: answer.request_id,
        elapsed_ms: answer.elapsed.as_millis() as u64,
    })
}

fn token_info(kind: TokenKind, view: TokenView, note: &str) -> TokenInfoDto {
    let opaque = view.inspected.is_none();
    TokenInfoDto {
        kind,
        header: view.inspected.as_ref().map(|i| i.header.clone()),
        claims: view.inspected.map(|i| i.claims),
        expires_at: view.expires_at,
        note: if opaque {
            format!("{note} Sigma issued an opaque token: it has no claims to show.")
        } else {
            note.to_string()
        },
    }
}

pub async fn session_tokens(state: &AppState) -> Res<Vec<TokenInfoDto>> {
    let (actor, impersonation) = state.console.tokens().await?;
    let (info, _) = state
        .console
        .current()
        .await
        .ok_or(standin_core::CoreError::NoSession)?;
    // The subject token was used once and discarded; its claims are known from the session.
    let mut subject_claims = serde_json::Map::new();
    subject_claims.insert("sub".into(), info.subject_email.clone().into());
    if let Some(t) = &info.tenant {
        subject_claims.insert("tenant".into(), t.clone().into());
    }
    let mut subject_header = serde_json::Map::new();
    subject_header.insert("alg".into(), "HS256".into());
    subject_header.insert("typ".into(), "JWT".into());
    let kid = state.console.client_id().await.unwrap_or_default();
    subject_header.insert("kid".into(), kid.into());
    Ok(vec![
        token_info(
            TokenKind::Actor,
            actor,
            "Your own access token (client credentials); it is also the exchange's actor token.",
        ),
        TokenInfoDto {
            kind: TokenKind::Subject,
            header: Some(subject_header),
            claims: Some(subject_claims),
            expires_at: None,
            note: "Self-signed with the client secret (HS256), valid 5 minutes, used once for the exchange and discarded; iat, exp and jti were also set.".into(),
        },
        token_info(
            TokenKind::Impersonation,
            impersonation,
            "Issued by the token exchange; held in memory only and dropped at Stop Impersonation.",
        ),
    ])
}
