//! The admin console's state, without any UI: the active connection (its client and who it acts as), the one
//! impersonation session allowed at a time, and every action the desktop app offers as one call. The Tauri
//! shell only converts DTOs around these calls, so all behaviour here is tested without a web view.

use crate::audit::{AuditEntry, AuditEvent, SharedAuditSink};
pub use crate::client::RosterEntry;
// Defined below the console (session.rs, console_path.rs) so that session does not import the console;
// re-exported here, where callers have always found them.
use crate::client::{FileQuery, MemberQuery, SigmaClient, PAGE_LIMIT};
pub use crate::console_path::normalize_console_path;
use crate::dangerous::{inspect, InspectedToken};
use crate::error::{CoreError, Refusal, Result};
use crate::model::{File, Member, MemberAttribute, Team, WhoAmI};
pub use crate::session::eligibility;
use crate::session::{
    identify_actor, start_impersonation, Actor, Comparison, ImpersonationSession, SessionInfo,
    StartOptions,
};
use crate::wire::Method;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, RwLock};

/// A user's profile: details, and teams and user attributes as each call went (one may fail alone).
#[derive(Debug)]
pub struct UserProfile {
    pub member: Member,
    pub teams: Result<Vec<Team>>,
    pub attributes: Result<Vec<MemberAttribute>>,
}

/// How a session ended.
#[derive(Debug, Clone)]
pub struct SessionEnd {
    pub info: SessionInfo,
    pub expired: bool,
    /// Sigma refused the impersonation token (401) before the session's time was up.
    pub ended_by_server: bool,
}

/// The answer to an API-console request: non-2xx answers are results too.
#[derive(Debug, Clone)]
pub struct ConsoleAnswer {
    pub status: u16,
    pub body: serde_json::Value,
    pub request_id: Option<String>,
    pub elapsed: Duration,
}

/// A token as the inspector shows it: claims and expiry, never the token.
#[derive(Debug, Clone)]
pub struct TokenView {
    pub inspected: Option<InspectedToken>,
    pub expires_at: Option<String>,
}

struct Connected {
    name: String,
    client: SigmaClient,
    actor: std::result::Result<Actor, String>,
}

/// The console: one active connection, at most one impersonation session.
pub struct Console {
    audit: SharedAuditSink,
    connection: RwLock<Option<Connected>>,
    session: Mutex<Option<Arc<ImpersonationSession>>>,
    /// An upper bound on every session's length (an org policy; tests use a few seconds).
    session_cap: Duration,
}

fn no_connection() -> CoreError {
    CoreError::MissingCredentials("no connection is selected; pick one under Connections".into())
}

impl Console {
    pub fn new(audit: SharedAuditSink, session_cap: Duration) -> Self {
        Console {
            audit,
            connection: RwLock::new(None),
            session: Mutex::new(None),
            session_cap,
        }
    }

    /// Makes `client` the active connection and finds out who it acts as. Any active session ends first
    /// (it belongs to the old connection). An unreachable org still becomes active; the error is returned
    /// alongside so the UI can show it.
    pub async fn connect(
        &self,
        name: &str,
        client: SigmaClient,
    ) -> (Option<SessionEnd>, std::result::Result<Actor, CoreError>) {
        let ended = self.stop().await.ok().flatten();
        let actor = identify_actor(&client).await;
        *self.connection.write().await = Some(Connected {
            name: name.to_string(),
            client,
            actor: actor.as_ref().map(Clone::clone).map_err(|e| e.to_string()),
        });
        (ended, actor)
    }

    /// The active connection's client ID (not a secret: the subject token's `kid`).
    pub async fn client_id(&self) -> Option<String> {
        self.connection
            .read()
            .await
            .as_ref()
            .map(|c| c.client.credentials().client_id.clone())
    }

    pub async fn connection_name(&self) -> Option<String> {
        self.connection
            .read()
            .await
            .as_ref()
            .map(|c| c.name.clone())
    }

    /// Who the active connection acts as (looked up again if the last try failed).
    pub async fn actor(&self) -> Result<Actor> {
        let client = self.client().await?;
        if let Some(Ok(a)) = self
            .connection
            .read()
            .await
            .as_ref()
            .map(|c| c.actor.clone())
        {
            return Ok(a);
        }
        let actor = identify_actor(&client).await?;
        if let Some(c) = self.connection.write().await.as_mut() {
            c.actor = Ok(actor.clone());
        }
        Ok(actor)
    }

    async fn client(&self) -> Result<SigmaClient> {
        self.connection
            .read()
            .await
            .as_ref()
            .map(|c| c.client.clone())
            .ok_or_else(no_connection)
    }

    async fn known_actor(&self) -> Option<Actor> {
        self.connection
            .read()
            .await
            .as_ref()
            .and_then(|c| c.actor.clone().ok())
    }

    /// Every member matching the query, each with whether they can be impersonated.
    pub async fn users(
        &self,
        search: Option<String>,
        include_archived: bool,
    ) -> Result<Vec<(Member, std::result::Result<(), Refusal>)>> {
        let client = self.client().await?;
        let actor = self.known_actor().await;
        let query = MemberQuery {
            search: search.filter(|s| !s.trim().is_empty()),
            include_archived,
            include_inactive: include_archived,
            ..Default::default()
        };
        let members = client.admin().await?.members(&query, PAGE_LIMIT).await?;
        Ok(members
            .into_iter()
            .map(|m| {
                let e = eligibility(actor.as_ref(), &m);
                (m, e)
            })
            .collect())
    }

    /// A user's profile. Only the member record is required: teams and user attributes come from other
    /// endpoints (which some Sigma-compatible servers do not offer, answering 404), so each fails alone and
    /// the profile shows what did load.
    pub async fn user_profile(&self, member_id: &str) -> Result<UserProfile> {
        let client = self.client().await?;
        let api = client.admin().await?;
        let member = api.member(member_id).await?;
        let teams = api.member_teams(member_id).await;
        let attributes = api.member_attributes(member_id).await;
        Ok(UserProfile {
            member,
            teams,
            attributes,
        })
    }

    /// Why `member_id` can or cannot see `document_id`: the grant paths, or what would give access
    /// ([`crate::explain`]). Read with the admin's token; no session is needed or started.
    pub async fn explain(
        &self,
        member_id: &str,
        document_id: &str,
    ) -> Result<crate::explain::Explanation> {
        let client = self.client().await?;
        let api = client.admin().await?;
        let member = api.member(member_id).await?;
        crate::explain::explain(&api, &member, document_id).await
    }

    pub fn eligibility_of(
        &self,
        actor: Option<&Actor>,
        member: &Member,
    ) -> std::result::Result<(), Refusal> {
        eligibility(actor, member)
    }

    pub async fn current_actor(&self) -> Option<Actor> {
        self.known_actor().await
    }

    pub async fn teams(&self) -> Result<Vec<Team>> {
        self.client().await?.admin().await?.teams(PAGE_LIMIT).await
    }

    /// A team's members with their records.
    pub async fn team_roster(&self, team_id: &str) -> Result<Vec<RosterEntry>> {
        self.client()
            .await?
            .admin()
            .await?
            .team_roster(team_id)
            .await
    }

    /// Starts a session. Only one at a time: with one active, this is refused unless `replace_active`, in
    /// which case the active one is stopped first (and returned).
    pub async fn start(
        &self,
        mut opts: StartOptions,
        replace_active: bool,
    ) -> Result<(SessionInfo, Duration, Option<SessionEnd>)> {
        let client = self.client().await?;
        let mut slot = self.session.lock().await;
        let mut ended = None;
        if let Some(active) = slot.as_ref() {
            if !replace_active && !active.is_expired() {
                let refusal = Refusal::SessionActive {
                    subject: active.info().subject_email.clone(),
                };
                let actor = self
                    .known_actor()
                    .await
                    .map(|a| a.label())
                    .unwrap_or_default();
                let mut entry = AuditEntry::new(
                    AuditEvent::Refused,
                    client.now(),
                    &client.credentials().label(),
                    &actor,
                    &opts.email,
                );
                entry.reason = opts.reason.clone();
                entry.detail = Some(refusal.rule().to_string());
                self.audit.record(&entry)?;
                return Err(CoreError::Refused(refusal));
            }
            if let Some(old) = slot.take() {
                ended = Some(Self::end(&old));
            }
        }
        let cap = self.session_cap;
        opts.duration = Some(opts.duration.unwrap_or(cap).min(cap));
        let session = start_impersonation(&client, self.audit.clone(), opts).await?;
        let info = session.info().clone();
        let left = session.time_left();
        *slot = Some(Arc::new(session));
        Ok((info, left, ended))
    }

    /// Extends the active session: a new token exchange for the same user, tenant, reason and mode, for as
    /// long as the session was first given (within the cap). The new session replaces the old one only
    /// once it exists and its extension is on record (`impersonation.extend`, naming both sessions); if
    /// anything fails the old session carries on untouched. A stopped or expired session cannot be
    /// extended: that would be a new session started without the dialog's checks.
    pub async fn extend(&self) -> Result<(SessionInfo, Duration, SessionEnd)> {
        let client = self.client().await?;
        let mut slot = self.session.lock().await;
        let old = match slot.as_ref() {
            Some(s) if !s.is_stopped() && !s.is_expired() => s.clone(),
            _ => return Err(CoreError::NoSession),
        };
        let info = old.info().clone();
        let length = time::OffsetDateTime::parse(
            &info.started_at,
            &time::format_description::well_known::Rfc3339,
        )
        .map(|started| (old.expires_at() - started).unsigned_abs())
        .unwrap_or(self.session_cap);
        let mut opts = StartOptions::new(&info.subject_email);
        opts.tenant = info.tenant.clone();
        opts.reason = info.reason.clone();
        opts.read_only = info.read_only;
        opts.duration = Some(length.min(self.session_cap).max(Duration::from_secs(1)));
        let session = start_impersonation(&client, self.audit.clone(), opts).await?;
        let new_info = session.info().clone();
        let mut entry = AuditEntry::new(
            AuditEvent::Extend,
            client.now(),
            &new_info.profile,
            &new_info.actor.label(),
            &new_info.subject_email,
        );
        entry.tenant = new_info.tenant.clone();
        entry.reason = new_info.reason.clone();
        entry.session_id = Some(new_info.id.clone());
        entry.read_only = Some(new_info.read_only);
        entry.detail = Some(format!("extends {}", info.id));
        if let Err(e) = self.audit.record(&entry) {
            // Not on record as an extension: the new token goes, the old session stays as it was.
            if let Err(stop_err) = session.stop() {
                tracing::warn!(error = %stop_err, "could not record the end of an unrecorded extension");
            }
            return Err(e);
        }
        let left = session.time_left();
        let ended = Self::end(&old);
        *slot = Some(Arc::new(session));
        Ok((new_info, left, ended))
    }

    fn end(session: &ImpersonationSession) -> SessionEnd {
        let info = session.info().clone();
        let expired = session.is_expired();
        if let Err(e) = session.stop() {
            // The token is gone either way; a stop can never get stuck on the audit log.
            tracing::warn!(error = %e, "could not record the end of a session");
        }
        SessionEnd {
            info,
            expired: expired || session.ended_by_server(),
            ended_by_server: session.ended_by_server(),
        }
    }

    /// Clears the slot of a session that ended by itself (Sigma refused its token) and says how it
    /// ended; `None` while the active session (if any) is still live.
    pub async fn take_ended(&self) -> Option<SessionEnd> {
        let mut slot = self.session.lock().await;
        if slot.as_ref().is_some_and(|s| s.is_stopped()) {
            slot.take().map(|s| Self::end(&s))
        } else {
            None
        }
    }

    /// Ends the active session, if any. The token is dropped whatever happens.
    pub async fn stop(&self) -> Result<Option<SessionEnd>> {
        Ok(self.session.lock().await.take().map(|s| Self::end(&s)))
    }

    /// Ends the session `id` if it has expired (the app's timer calls this); `None` if it is not due.
    pub async fn expire_if_due(&self, id: &str) -> Option<SessionEnd> {
        let mut slot = self.session.lock().await;
        let due = slot
            .as_ref()
            .is_some_and(|s| s.info().id == id && s.is_expired());
        if due {
            slot.take().map(|s| Self::end(&s))
        } else {
            None
        }
    }

    /// The active session and its time left.
    pub async fn current(&self) -> Option<(SessionInfo, Duration)> {
        self.session
            .lock()
            .await
            .as_ref()
            .filter(|s| !s.is_expired() && !s.is_stopped())
            .map(|s| (s.info().clone(), s.time_left()))
    }

    /// Runs `f` on the active session without holding the slot's lock, so Stop is never blocked by a slow
    /// request (stopping drops the token; the request in flight finishes on its own).
    async fn with_session<T>(
        &self,
        f: impl for<'a> FnOnce(&'a ImpersonationSession) -> crate::transport::BoxFuture<'a, Result<T>>,
    ) -> Result<T> {
        let session = self
            .session
            .lock()
            .await
            .clone()
            .ok_or(CoreError::NoSession)?;
        f(&session).await
    }

    pub async fn whoami(&self) -> Result<WhoAmI> {
        self.with_session(|s| Box::pin(s.whoami())).await
    }

    pub async fn files(&self, file_type: Option<String>) -> Result<Vec<File>> {
        self.with_session(move |s| {
            Box::pin(async move { s.files(&FileQuery::of_type(file_type.as_deref())).await })
        })
        .await
    }

    pub async fn my_documents(&self) -> Result<Vec<File>> {
        self.with_session(|s| Box::pin(s.my_documents())).await
    }

    pub async fn compare(&self, file_type: Option<String>) -> Result<Comparison> {
        self.with_session(move |s| Box::pin(async move { s.compare(file_type.as_deref()).await }))
            .await
    }

    /// Runs an access review on the active connection (see [`crate::review`]), recorded in this console's
    /// audit log under the connection's profile label. It runs beside the one interactive session, never
    /// touching it.
    pub async fn access_review(
        &self,
        options: &crate::review::ReviewOptions,
        on_progress: &(dyn Fn(&crate::review::ReviewProgress) + Send + Sync),
        cancel: &crate::review::ReviewCancel,
    ) -> Result<crate::review::AccessReview> {
        let client = self.client().await?;
        let profile = client.credentials().label();
        crate::review::run_access_review(
            &client,
            self.audit.clone(),
            &profile,
            options,
            on_progress,
            cancel,
        )
        .await
    }

    /// Whether the console may send this request as the user, and if not why (before sending).
    pub async fn check_console(&self, method: &str, path: &str) -> Result<()> {
        let method = Method::parse(method)
            .ok_or_else(|| CoreError::ConsoleRequest(format!("unknown HTTP method '{method}'")))?;
        let path = normalize_console_path(path)?;
        self.with_session(move |s| Box::pin(async move { s.check_request(method, &path) }))
            .await
    }

    /// Sends one console request as the user. Refusals are errors; Sigma's answers, whatever their status,
    /// are results.
    pub async fn console_send(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<ConsoleAnswer> {
        let method = Method::parse(method)
            .ok_or_else(|| CoreError::ConsoleRequest(format!("unknown HTTP method '{method}'")))?;
        let path = normalize_console_path(path)?;
        let started = Instant::now();
        let response = self
            .with_session(|s| {
                Box::pin(async move { s.request(method, &path, body.as_ref()).await })
            })
            .await?;
        let body = if response.body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&response.body).unwrap_or_else(|_| {
                // Not JSON (an HTML error page, say): shown as text, cut to a readable size.
                let text = String::from_utf8_lossy(&response.body);
                serde_json::Value::String(text.chars().take(4000).collect())
            })
        };
        Ok(ConsoleAnswer {
            status: response.status,
            request_id: response.request_id.clone().or_else(|| {
                body.get("requestId")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            }),
            body,
            elapsed: started.elapsed(),
        })
    }

    /// The inspector's view of the actor, subject and impersonation tokens.
    pub async fn tokens(&self) -> Result<(TokenView, TokenView)> {
        let client = self.client().await?;
        let actor_expiry = client.actor_token_expiry().await;
        let actor = client.actor_token().await?;
        let actor_view = TokenView {
            inspected: inspect(actor.expose()),
            expires_at: actor_expiry.and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
        };
        let imp = self
            .with_session(|s| {
                Box::pin(async move {
                    Ok(TokenView {
                        inspected: s.inspect_token(),
                        expires_at: Some(s.info().expires_at.clone()),
                    })
                })
            })
            .await?;
        Ok((actor_view, imp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(t: &str, archived: bool, inactive: bool) -> Member {
        serde_json::from_value(serde_json::json!({
            "memberId": "m1", "email": "m@x.co", "memberType": t,
            "isArchived": archived, "isInactive": inactive
        }))
        .unwrap()
    }

    fn actor(t: &str) -> Actor {
        Actor {
            user_id: "a1".into(),
            organization_id: "o".into(),
            email: Some("a@x.co".into()),
            name: None,
            account_type: t.into(),
        }
    }

    #[test]
    fn eligibility_rules() {
        let admin = actor("admin");
        assert!(eligibility(Some(&admin), &member("creator", false, false)).is_ok());
        assert_eq!(
            eligibility(Some(&admin), &member("Admin", false, false))
                .unwrap_err()
                .rule(),
            "target_is_admin"
        );
        assert_eq!(
            eligibility(Some(&admin), &member("viewer", true, false))
                .unwrap_err()
                .rule(),
            "target_archived"
        );
        assert_eq!(
            eligibility(Some(&admin), &member("viewer", false, true))
                .unwrap_err()
                .rule(),
            "target_inactive"
        );
        assert_eq!(
            eligibility(Some(&actor("creator")), &member("viewer", false, false))
                .unwrap_err()
                .rule(),
            "actor_not_admin"
        );
        assert!(eligibility(None, &member("viewer", false, false)).is_ok());
    }

    #[test]
    fn a_member_without_an_account_type_is_refused_as_unknown() {
        let admin = actor("admin");
        let missing: Member =
            serde_json::from_value(serde_json::json!({"memberId": "m1", "email": "m@x.co"}))
                .unwrap();
        for m in [missing, member("", false, false), member(" ", false, false)] {
            // Read naively, an empty type is "not admin" and would be allowed.
            assert!(!m.is_admin());
            let refusal = eligibility(Some(&admin), &m).unwrap_err();
            assert_eq!(refusal.rule(), "target_type_unknown");
            assert!(refusal.explain().contains("unknown account type"));
            assert_eq!(
                eligibility(None, &m).unwrap_err().rule(),
                "target_type_unknown"
            );
        }
    }

    #[test]
    fn console_paths_stay_on_the_api() {
        assert_eq!(normalize_console_path("v2/whoami").unwrap(), "/v2/whoami");
        assert_eq!(
            normalize_console_path(" /v2/files?typeFilters=dataset ").unwrap(),
            "/v2/files?typeFilters=dataset"
        );
        for bad in [
            "https://evil.example/v2/x",
            "//evil.example/v2",
            "/sandbox/audit-log",
            "/v2/a b",
        ] {
            assert!(normalize_console_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn console_paths_are_normalised_before_the_rules() {
        for (raw, normal) in [
            ("/v1/../v2/files", "/v2/files"),
            ("/v2/./files", "/v2/files"),
            ("/v2//files", "/v2/files"),
            ("/v2/x/%2e%2E/files", "/v2/files"),
            ("/v2%2ffiles", "/v2/files"),
            ("\\v2\\files", "/v2/files"),
            ("/v2/files/", "/v2/files/"),
            // The query string is kept as it is, dots and escapes included.
            (
                "/v2/x/../files?a=../b&c=%2e%2e",
                "/v2/files?a=../b&c=%2e%2e",
            ),
            // Other escapes are not structure: kept.
            ("/v2/files/a%20b", "/v2/files/a%20b"),
        ] {
            assert_eq!(normalize_console_path(raw).unwrap(), normal, "{raw}");
        }
        for bad in [
            "/v2/../admin",
            "/v2/%2e%2e/admin",
            "/v2/../../v2/files",
            "/..",
            "/v2",
            "/v2/..",
            "/v2/files#x",
            "\\\\evil.example\\v2",
            "/%2f/evil.example/v2/files",
        ] {
            let err = normalize_console_path(bad).unwrap_err();
            assert_eq!(err.code(), "console_request", "{bad}");
        }
        // `/v2/../admin` starts with /v2/: only normalising shows that it leaves the API.
        assert!("/v2/../admin".starts_with("/v2/"));
    }
}
