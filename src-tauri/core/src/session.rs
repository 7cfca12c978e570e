//! Impersonation: the rules checked before the exchange, the exchange itself, and the session that holds
//! the impersonation token (in memory only) and makes calls as the user.

use crate::audit::{AuditEntry, AuditEvent, SharedAuditSink};
use crate::client::{decode, FileQuery, MemberQuery, SigmaClient};
use crate::console_path::normalize_console_path;
use crate::error::{CoreError, Refusal, Result};
use crate::model::{is_admin_type, File, Member, WhoAmI};
use crate::secret::{id_hint, Secret};
use crate::subject_token::{mint_subject_token, MAX_SUBJECT_TOKEN_TTL};
use crate::wire::{self, HttpRequest, Method};
use serde::Serialize;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The longest session Stand-in lets anyone ask for; Sigma's token may end it sooner.
pub const MAX_SESSION: Duration = Duration::from_secs(3600);

/// Whether `member` may be impersonated by `actor`, and if not, the rule that forbids it.
pub fn eligibility(actor: Option<&Actor>, member: &Member) -> std::result::Result<(), Refusal> {
    if let Some(a) = actor {
        if !a.can_impersonate() {
            return Err(Refusal::ActorNotAdmin {
                actor_type: a.account_type.clone(),
            });
        }
        if a.user_id == member.member_id {
            return Err(Refusal::TargetIsAdmin {
                email: member.email.clone(),
            });
        }
    }
    // Without an account type the Admin rule cannot be checked: refused, never assumed to be a non-admin.
    if member.type_unknown() {
        return Err(Refusal::TargetTypeUnknown {
            email: member.email.clone(),
        });
    }
    if member.is_admin() {
        return Err(Refusal::TargetIsAdmin {
            email: member.email.clone(),
        });
    }
    if member.archived() {
        return Err(Refusal::TargetArchived {
            email: member.email.clone(),
        });
    }
    if member.inactive() {
        return Err(Refusal::TargetInactive {
            email: member.email.clone(),
        });
    }
    Ok(())
}

/// Checks an email address well enough to refuse typos before anything is sent.
pub fn validate_email(email: &str) -> std::result::Result<(), Refusal> {
    let refuse = || Refusal::MalformedEmail {
        email: email.to_string(),
    };
    if email.len() > 254 || email.trim() != email {
        return Err(refuse());
    }
    let (local, domain) = email.split_once('@').ok_or_else(refuse)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(refuse())
    }
}

/// Endpoints Sigma documents as not accepting impersonation tokens (SIGMA_API.md §1). The path is
/// normalised first (`..`, `%2e%2e`, `//`, …), so a spelling of the same endpoint is caught too; a path that
/// cannot be normalised counts as rejecting (it is refused anyway, and failing closed is the safe side).
pub fn rejects_impersonation(method: Method, path: &str) -> bool {
    match normalize_console_path(path) {
        Ok(normal) => endpoint_rejects_impersonation(method, &normal),
        Err(_) => true,
    }
}

/// The rule itself, on an already normalised path.
fn endpoint_rejects_impersonation(method: Method, path: &str) -> bool {
    let parts: Vec<&str> = path
        .split('?')
        .next()
        .unwrap_or("")
        .trim_matches('/')
        .split('/')
        .collect();
    matches!(
        (method, parts.as_slice()),
        (Method::Get, ["v2", "connections", "paths", _])
            | (Method::Post, ["v2", "connection", _, "lookup"])
            | (Method::Post, ["v2", "workbooks", _, "export"])
            | (Method::Post, ["v2", "workbooks", _, "send"])
            | (Method::Post, ["v2", "workbooks", _, "schedules"])
    )
}

/// Who is asking to impersonate: the owner of the API credentials.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    pub user_id: String,
    pub organization_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub account_type: String,
}

impl Actor {
    pub fn label(&self) -> String {
        self.email.clone().unwrap_or_else(|| self.user_id.clone())
    }

    pub fn can_impersonate(&self) -> bool {
        is_admin_type(&self.account_type)
    }
}

/// Finds out who the credentials belong to and their account type.
pub async fn identify_actor(client: &SigmaClient) -> Result<Actor> {
    let api = client.admin().await?;
    let me: WhoAmI = api.whoami().await?;
    let member = match api.member(&me.user_id).await {
        Ok(m) => Ok(m),
        // A server without the single-member endpoint: whoami's accountType if it gives one, else find
        // the caller in the member list.
        Err(e) if me.account_type.is_none() => api
            .members(&MemberQuery::default(), crate::client::PAGE_LIMIT)
            .await
            .ok()
            .and_then(|all| all.into_iter().find(|m| m.member_id == me.user_id))
            .ok_or(e),
        Err(e) => Err(e),
    };
    let (email, name, account_type) = match member {
        Ok(m) => (
            Some(m.email.clone()),
            Some(m.display_name()),
            m.member_type.clone(),
        ),
        Err(e) => match &me.account_type {
            Some(t) => (None, None, t.clone()),
            None => return Err(e),
        },
    };
    Ok(Actor {
        user_id: me.user_id,
        organization_id: me.organization_id,
        email,
        name,
        account_type,
    })
}

/// What an impersonation asks for.
#[derive(Debug, Clone)]
pub struct StartOptions {
    pub email: String,
    pub tenant: Option<String>,
    pub reason: Option<String>,
    pub require_reason: bool,
    pub read_only: bool,
    /// How long the session may last; capped at [`MAX_SESSION`] and by the token's own lifetime.
    pub duration: Option<Duration>,
    /// The access review this session belongs to: every audit record of the session carries it.
    pub review_id: Option<String>,
}

impl StartOptions {
    pub fn new(email: &str) -> Self {
        StartOptions {
            email: email.trim().to_string(),
            tenant: None,
            reason: None,
            require_reason: false,
            read_only: true,
            duration: None,
            review_id: None,
        }
    }
}

/// Everything about a session that may be shown: never the token.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub id: String,
    pub profile: String,
    pub actor: Actor,
    pub subject_email: String,
    pub subject_name: Option<String>,
    pub subject_id: Option<String>,
    pub subject_account_type: Option<String>,
    pub tenant: Option<String>,
    pub reason: Option<String>,
    pub read_only: bool,
    pub started_at: String,
    pub expires_at: String,
}

/// An active impersonation. The token lives here, in memory only; [`ImpersonationSession::stop`] drops it.
pub struct ImpersonationSession {
    info: SessionInfo,
    /// `None` once stopped: stopping drops the token at once, even while another task holds the session.
    token: std::sync::Mutex<Option<Secret>>,
    expires_at: OffsetDateTime,
    home_folder_id: Option<String>,
    client: SigmaClient,
    audit: SharedAuditSink,
    expiry_recorded: AtomicBool,
    /// Set when Sigma refused the impersonation token (401) before the session's time was up.
    ended_by_server: AtomicBool,
    review_id: Option<String>,
}

impl std::fmt::Debug for ImpersonationSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImpersonationSession")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn audit_refusal(
    client: &SigmaClient,
    audit: &SharedAuditSink,
    actor: &str,
    opts: &StartOptions,
    error: &CoreError,
) {
    let mut e = AuditEntry::new(
        AuditEvent::Refused,
        client.now(),
        &client.credentials().label(),
        actor,
        &opts.email,
    );
    e.tenant = opts.tenant.clone();
    e.reason = opts.reason.clone();
    e.review_id = opts.review_id.clone();
    e.detail = Some(match error.refusal() {
        Some(r) => r.rule().to_string(),
        None => error.code().to_string(),
    });
    e.request_id = error.request_id().map(str::to_string);
    // A refusal that cannot be recorded is still a refusal: the caller gets the refusal, and the
    // failure to record is logged.
    if let Err(err) = audit.record(&e) {
        tracing::warn!(error = %err, "could not record a refusal in the audit log");
    }
}

/// What to tell the admin when a tenant is set: the target checks Stand-in makes before the exchange need
/// the tenant's member list, which the parent org's credentials cannot read, so there Sigma's checks apply.
pub fn tenant_checks_note(tenant: &str) -> String {
    format!(
        "impersonating in tenant org {tenant}: Stand-in cannot read that org's members, so its own target \
         checks (Admin, archived, inactive, unknown account type) do not run — Sigma's token exchange applies \
         the server's checks"
    )
}

/// Checks the rules, mints the subject token, exchanges it, and returns the session. Rule violations are
/// refused before the exchange (a malformed email before any network call at all) and recorded.
pub async fn start_impersonation(
    client: &SigmaClient,
    audit: SharedAuditSink,
    opts: StartOptions,
) -> Result<ImpersonationSession> {
    let unknown_actor = format!("client {}", id_hint(&client.credentials().client_id));
    let refuse = |actor: &str, r: Refusal| {
        let err = CoreError::Refused(r);
        audit_refusal(client, &audit, actor, &opts, &err);
        Err(err)
    };
    if let Err(r) = validate_email(&opts.email) {
        return refuse(&unknown_actor, r);
    }
    let reason = opts
        .reason
        .as_ref()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if opts.require_reason && reason.is_none() {
        return refuse(&unknown_actor, Refusal::ReasonRequired);
    }
    let tenant = opts
        .tenant
        .clone()
        .or_else(|| client.credentials().tenant.clone());

    let actor = match identify_actor(client).await {
        Ok(a) => a,
        Err(e) => {
            audit_refusal(client, &audit, &unknown_actor, &opts, &e);
            return Err(e);
        }
    };
    if !actor.can_impersonate() {
        return refuse(
            &actor.label(),
            Refusal::ActorNotAdmin {
                actor_type: actor.account_type.clone(),
            },
        );
    }

    // In a tenant the members live in the tenant org, which the parent's token cannot list: there the
    // server's checks are the ones that apply.
    let mut target: Option<Member> = None;
    if tenant.is_none() {
        let api = client.admin().await?;
        let found = match api.member_by_email(&opts.email).await {
            Ok(m) => m,
            Err(e) => {
                audit_refusal(client, &audit, &actor.label(), &opts, &e);
                return Err(e);
            }
        };
        let Some(member) = found else {
            return refuse(
                &actor.label(),
                Refusal::TargetNotFound {
                    email: opts.email.clone(),
                },
            );
        };
        // No account type on the record: whether they are an Admin is unknown, so they are refused.
        if member.type_unknown() {
            return refuse(
                &actor.label(),
                Refusal::TargetTypeUnknown {
                    email: member.email.clone(),
                },
            );
        }
        if member.is_admin() {
            return refuse(
                &actor.label(),
                Refusal::TargetIsAdmin {
                    email: member.email.clone(),
                },
            );
        }
        if member.archived() {
            return refuse(
                &actor.label(),
                Refusal::TargetArchived {
                    email: member.email.clone(),
                },
            );
        }
        if member.inactive() {
            return refuse(
                &actor.label(),
                Refusal::TargetInactive {
                    email: member.email.clone(),
                },
            );
        }
        target = Some(member);
    }
    begin(client, audit, actor, target, tenant, reason, &opts).await
}

/// Starts a session for `member`, already looked up by the caller (an access review lists the members once
/// instead of once per user) with `actor` already identified: the same target rules
/// ([`eligibility`]) are checked and refusals recorded, then the exchange as in
/// [`start_impersonation`]. The credentials' tenant, if any, is used: there the member list is the parent
/// org's, so callers should not use this with a tenant.
pub async fn start_impersonation_of(
    client: &SigmaClient,
    audit: SharedAuditSink,
    actor: &Actor,
    member: &Member,
    opts: StartOptions,
) -> Result<ImpersonationSession> {
    let refuse = |r: Refusal| {
        let err = CoreError::Refused(r);
        audit_refusal(client, &audit, &actor.label(), &opts, &err);
        Err(err)
    };
    if let Err(r) = validate_email(&member.email) {
        return refuse(r);
    }
    if let Err(r) = eligibility(Some(actor), member) {
        return refuse(r);
    }
    let reason = opts
        .reason
        .as_ref()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if opts.require_reason && reason.is_none() {
        return refuse(Refusal::ReasonRequired);
    }
    let tenant = opts
        .tenant
        .clone()
        .or_else(|| client.credentials().tenant.clone());
    let mut opts = opts;
    opts.email = member.email.clone();
    begin(
        client,
        audit,
        actor.clone(),
        Some(member.clone()),
        tenant,
        reason,
        &opts,
    )
    .await
}

/// The exchange and the session, once the rules have passed.
async fn begin(
    client: &SigmaClient,
    audit: SharedAuditSink,
    actor: Actor,
    target: Option<Member>,
    tenant: Option<String>,
    reason: Option<String>,
    opts: &StartOptions,
) -> Result<ImpersonationSession> {
    // Nothing is done as the user unless it can be recorded: with no audit key (no keyring) the exchange
    // is not even asked for. (The key may have been read in the background meanwhile: see
    // `JsonlAuditLog::warm_up`.)
    audit.ready()?;
    // A subject token refused for its time was minted a moment ago: the clock here is what is off.
    let exchanged = exchange(client, &opts.email, tenant.as_deref())
        .await
        .map_err(crate::subject_token::explain_time_refusal);
    let (token, token_lifetime) = match exchanged {
        Ok(t) => t,
        Err(e) => {
            audit_refusal(client, &audit, &actor.label(), opts, &e);
            return Err(e);
        }
    };

    let started = client.now();
    let wanted = opts.duration.unwrap_or(MAX_SESSION).min(MAX_SESSION);
    let lifetime = wanted.min(token_lifetime);
    let expires_at = started + lifetime;
    let info = SessionInfo {
        id: uuid::Uuid::new_v4().to_string(),
        profile: client.credentials().label(),
        actor: actor.clone(),
        subject_email: target
            .as_ref()
            .map(|m| m.email.clone())
            .unwrap_or_else(|| opts.email.clone()),
        subject_name: target.as_ref().map(Member::display_name),
        subject_id: target.as_ref().map(|m| m.member_id.clone()),
        subject_account_type: target.as_ref().map(|m| m.member_type.clone()),
        tenant: tenant.clone(),
        reason: reason.clone(),
        read_only: opts.read_only,
        started_at: rfc3339(started),
        expires_at: rfc3339(expires_at),
    };
    let session = ImpersonationSession {
        home_folder_id: target.as_ref().and_then(|m| m.home_folder_id.clone()),
        info,
        token: std::sync::Mutex::new(Some(token)),
        expires_at,
        client: client.clone(),
        audit,
        expiry_recorded: AtomicBool::new(false),
        ended_by_server: AtomicBool::new(false),
        review_id: opts.review_id.clone(),
    };
    // Nothing is done as the user unless the start is on record. Written now, it reaches the disk with the
    // next record, which is synced before anything else happens: the first request's (before it is sent),
    // or the stop's (one sync for both instead of one each).
    session.record_unsynced(AuditEvent::Start, |_| {})?;
    Ok(session)
}

/// Mints the subject token and exchanges it for an impersonation token (RFC 8693). A 401 (the actor token
/// expired or was revoked early) gets a new actor token and one more exchange, with a freshly minted
/// subject token.
async fn exchange(
    client: &SigmaClient,
    email: &str,
    tenant: Option<&str>,
) -> Result<(Secret, Duration)> {
    let mut response = exchange_once(client, email, tenant).await?;
    if response.status == 401 {
        response = exchange_once(client, email, tenant).await?;
        if response.status == 401 {
            client.forget_actor_token().await;
        }
    }
    let body: wire::ExchangeResponse = decode(response)?;
    if body.access_token.is_empty() {
        return Err(CoreError::Decode(
            "the token exchange answered without an access token".into(),
        ));
    }
    // Clamped like the actor token's: a server saying 0, -5 or 10^15 neither ends the session at once nor
    // overflows a date.
    let lifetime = crate::client::token_lifetime(body.expires_in);
    Ok((Secret::new(body.access_token), lifetime))
}

async fn exchange_once(
    client: &SigmaClient,
    email: &str,
    tenant: Option<&str>,
) -> Result<crate::wire::HttpResponse> {
    let actor_token = client.actor_token().await?;
    let creds = client.credentials();
    let subject = mint_subject_token(
        &creds.client_id,
        &creds.secret,
        email,
        tenant,
        client.clock().as_ref(),
        MAX_SUBJECT_TOKEN_TTL,
    )?;
    let response = client
        .send(wire::token_exchange_request(&subject, &actor_token))
        .await?;
    if response.status == 401 {
        client.forget_rejected_actor_token(&actor_token).await;
    }
    Ok(response)
}

/// What differs between the admin's view and the user's.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Documents the admin can access and the user cannot.
    pub only_admin: Vec<File>,
    /// Documents the user can access and the admin cannot (their My Documents, say).
    pub only_user: Vec<File>,
    /// Documents both can access, with different permissions.
    pub different: Vec<PermissionDifference>,
    /// How many documents both see with the same permission.
    pub same: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionDifference {
    pub file: File,
    pub admin_permission: String,
    pub user_permission: String,
}

/// Compares two lists of files by ID.
pub fn compare_files(admin: &[File], user: &[File]) -> Comparison {
    use std::collections::HashMap;
    let admin_by_id: HashMap<&str, &File> = admin.iter().map(|f| (f.id.as_str(), f)).collect();
    let user_by_id: HashMap<&str, &File> = user.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut out = Comparison::default();
    for f in admin {
        if !user_by_id.contains_key(f.id.as_str()) {
            out.only_admin.push(f.clone());
        }
    }
    for f in user {
        match admin_by_id.get(f.id.as_str()) {
            None => out.only_user.push(f.clone()),
            Some(a) if a.permission != f.permission => out.different.push(PermissionDifference {
                file: f.clone(),
                admin_permission: a.permission.clone(),
                user_permission: f.permission.clone(),
            }),
            Some(_) => out.same += 1,
        }
    }
    out
}

impl ImpersonationSession {
    pub fn info(&self) -> &SessionInfo {
        &self.info
    }

    pub fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }

    /// Time left, zero once expired.
    pub fn time_left(&self) -> Duration {
        let left = self.expires_at - self.client.now();
        if left.is_negative() {
            Duration::ZERO
        } else {
            left.unsigned_abs()
        }
    }

    pub fn is_expired(&self) -> bool {
        self.client.now() >= self.expires_at
    }

    fn record(&self, event: AuditEvent, fill: impl FnOnce(&mut AuditEntry)) -> Result<()> {
        self.audit.record(&self.entry(event, fill))
    }

    /// See [`crate::audit::AuditSink::record_unsynced`]: for records nothing depends on until the next one.
    fn record_unsynced(&self, event: AuditEvent, fill: impl FnOnce(&mut AuditEntry)) -> Result<()> {
        self.audit.record_unsynced(&self.entry(event, fill))
    }

    fn entry(&self, event: AuditEvent, fill: impl FnOnce(&mut AuditEntry)) -> AuditEntry {
        let mut e = AuditEntry::new(
            event,
            self.client.now(),
            &self.info.profile,
            &self.info.actor.label(),
            &self.info.subject_email,
        );
        e.tenant = self.info.tenant.clone();
        e.reason = self.info.reason.clone();
        e.session_id = Some(self.info.id.clone());
        e.read_only = Some(self.info.read_only);
        e.review_id = self.review_id.clone();
        fill(&mut e);
        e
    }

    /// Refuses once the session has expired, recording the expiry the first time.
    fn ensure_active(&self) -> Result<()> {
        if !self.is_expired() {
            return Ok(());
        }
        // Expiry ends the session: the token goes, and the end is recorded once.
        self.stop()?;
        Err(CoreError::SessionExpired {
            expired_at: self.info.expires_at.clone(),
        })
    }

    /// Checks whether a request may be made as the user, without making it. The rules apply to the
    /// normalised path (see [`normalize_console_path`]); a path that leaves `/v2/` is refused.
    pub fn check_request(&self, method: Method, path: &str) -> Result<()> {
        if self.info.read_only && method != Method::Get {
            return Err(CoreError::Refused(Refusal::ReadOnly {
                method: method.as_str().to_string(),
            }));
        }
        let path = normalize_console_path(path)?;
        if endpoint_rejects_impersonation(method, &path) {
            return Err(CoreError::Refused(Refusal::EndpointRejectsImpersonation {
                path: path.split('?').next().unwrap_or(&path).to_string(),
            }));
        }
        Ok(())
    }

    fn token(&self) -> Result<Secret> {
        self.token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or(CoreError::NoSession)
    }

    /// GET `path_and_query` as the user, recorded in the audit log.
    pub async fn get<T: serde::de::DeserializeOwned>(&self, path_and_query: &str) -> Result<T> {
        decode(self.request(Method::Get, path_and_query, None).await?)
    }

    /// Sends one request as the user (JSON body for writes), recorded in the audit log. Read-only sessions
    /// and endpoints that reject impersonation tokens are refused before anything is sent.
    pub async fn request(
        &self,
        method: Method,
        path_and_query: &str,
        json_body: Option<&Value>,
    ) -> Result<crate::wire::HttpResponse> {
        self.ensure_active()?;
        let token = self.token()?;
        // Checked, recorded and sent in its normalised form, so `..` or `%2e%2e` cannot dodge the rules.
        let path_and_query = match normalize_console_path(path_and_query) {
            Ok(p) => p,
            Err(e) => {
                // Refused before anything is sent, and on record like every other refusal. Only the path
                // part is kept (a query may hold search terms), cut to a readable length.
                let raw: String = path_and_query
                    .split('?')
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(200)
                    .collect();
                self.record(AuditEvent::Refused, |a| {
                    a.method = Some(method.as_str().into());
                    a.path = Some(raw);
                    a.detail = Some(e.code().to_string());
                })?;
                return Err(e);
            }
        };
        let path = path_and_query.split('?').next().unwrap_or("").to_string();
        if let Err(e) = self.check_request(method, &path_and_query) {
            self.record(AuditEvent::Refused, |a| {
                a.method = Some(method.as_str().into());
                a.path = Some(path.clone());
                a.detail = e.refusal().map(|r| r.rule().to_string());
            })?;
            return Err(e);
        }
        let mut request = HttpRequest::get(path_and_query, &token);
        request.method = method;
        if let Some(body) = json_body {
            request.content_type = Some("application/json");
            request.body = Some(Secret::new(body.to_string()));
        }
        // On record before it goes on the wire: if this cannot be written (disk, keyring), nothing is sent
        // and the caller gets `CoreError::Audit`.
        self.record(AuditEvent::Request, |a| {
            a.method = Some(method.as_str().into());
            a.path = Some(path.clone());
            a.phase = Some(crate::audit::RequestPhase::Sent);
        })?;
        let result = self.client.send(request).await;
        let (status, request_id) = match &result {
            Ok(r) => (Some(r.status), r.request_id.clone()),
            Err(_) => (None, None),
        };
        // The request is on record already (above); its outcome reaches the disk with the next record (the
        // next request's, or the stop), which is synced.
        self.record_unsynced(AuditEvent::Request, |a| {
            a.method = Some(method.as_str().into());
            a.path = Some(path);
            a.status = status;
            a.request_id = request_id;
            a.phase = Some(crate::audit::RequestPhase::Outcome);
            if let Err(e) = &result {
                a.detail = Some(e.code().to_string());
            }
        })?;
        if let Ok(r) = &result {
            if r.status == 401 {
                // Sigma no longer takes the token (expired or revoked on its side before our clock said
                // so): the session is over, not just this request.
                let request_id = r.request_id.clone();
                self.end_by_server(request_id.clone())?;
                return Err(CoreError::SessionEndedByServer { request_id });
            }
        }
        result
    }

    /// Ends the session because the server refused its token: the token is dropped and the end recorded
    /// once, as `impersonation.expired` with detail `rejected_by_server`.
    fn end_by_server(&self, request_id: Option<String>) -> Result<()> {
        let token = self.token.lock().unwrap_or_else(|p| p.into_inner()).take();
        if token.is_none() {
            return Ok(());
        }
        drop(token);
        self.ended_by_server.store(true, Ordering::SeqCst);
        if self.expiry_recorded.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.record(AuditEvent::Expired, |a| {
            a.detail = Some("rejected_by_server".into());
            a.request_id = request_id;
        })
    }

    /// Whether the server ended this session by refusing its token.
    pub fn ended_by_server(&self) -> bool {
        self.ended_by_server.load(Ordering::SeqCst)
    }

    /// `GET /v2/whoami` as the user.
    pub async fn whoami(&self) -> Result<WhoAmI> {
        self.get("/v2/whoami").await
    }

    /// The user's documents (every page), optionally of one type, with their permission on each.
    pub async fn files(&self, query: &FileQuery) -> Result<Vec<File>> {
        crate::client::collect_pages("/v2/files", |cursor| async move {
            let mut q = query.params();
            q.push(("limit", crate::client::PAGE_LIMIT.to_string()));
            if let Some(c) = cursor {
                q.push(("page", c));
            }
            let body: crate::model::ListBody<File> =
                self.get(&wire::path_with_query("/v2/files", &q)).await?;
            Ok(crate::model::Page::from(body))
        })
        .await
    }

    /// The user's My Documents folder: its direct children.
    pub async fn my_documents(&self) -> Result<Vec<File>> {
        let home = match &self.home_folder_id {
            Some(h) => h.clone(),
            None => {
                // Tenant sessions: ask the server who the user is, then read their own member record.
                let me = self.whoami().await?;
                let member: Member = self
                    .get(&format!("/v2/members/{}", wire::segment(&me.user_id)))
                    .await?;
                member.home_folder_id.ok_or_else(|| {
                    CoreError::Decode("the user's member record has no homeFolderId".into())
                })?
            }
        };
        self.files(&FileQuery {
            parent_id: Some(home),
            direct_children_only: true,
            ..Default::default()
        })
        .await
    }

    /// The admin's own view against the user's, for documents of one type (or the default set).
    pub async fn compare(&self, file_type: Option<&str>) -> Result<Comparison> {
        let query = FileQuery::of_type(file_type);
        let user = self.files(&query).await?;
        let admin = self.client.admin().await?.files(&query).await?;
        Ok(compare_files(&admin, &user))
    }

    /// Claims and expiry of the impersonation token, when it is a JWT (for the token inspector).
    pub fn inspect_token(&self) -> Option<crate::dangerous::InspectedToken> {
        crate::dangerous::inspect(self.token().ok()?.expose())
    }

    pub fn is_stopped(&self) -> bool {
        self.token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
    }

    /// Ends the session: the token is dropped at once whatever happens, and the end is recorded once — as
    /// `impersonation.expired` when its time was up, else as `impersonation.stop`.
    pub fn stop(&self) -> Result<()> {
        let token = self.token.lock().unwrap_or_else(|p| p.into_inner()).take();
        if token.is_none() {
            return Ok(());
        }
        drop(token);
        if self.is_expired() {
            if self.expiry_recorded.swap(true, Ordering::SeqCst) {
                return Ok(());
            }
            self.record(AuditEvent::Expired, |a| a.detail = Some("expired".into()))
        } else {
            self.record(AuditEvent::Stop, |a| a.detail = Some("stopped".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        for ok in ["tom@example.com", "a.b+c@sub.example.co", "x_y@d-e.io"] {
            assert!(validate_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "tom",
            "tom@",
            "@example.com",
            "tom@example",
            "tom@@example.com",
            "to m@example.com",
            " tom@example.com",
            "tom@example..com",
            "tom@-example.com",
            ".tom@example.com",
            "tom@exa mple.com",
            "<script>@x.com",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints_that_reject_impersonation_are_known() {
        assert!(rejects_impersonation(
            Method::Get,
            "/v2/connections/paths/abc"
        ));
        assert!(rejects_impersonation(
            Method::Post,
            "/v2/workbooks/w1/export"
        ));
        assert!(rejects_impersonation(
            Method::Post,
            "/v2/workbooks/w1/send?x=1"
        ));
        assert!(rejects_impersonation(
            Method::Post,
            "/v2/workbooks/w1/schedules"
        ));
        assert!(rejects_impersonation(
            Method::Post,
            "/v2/connection/c1/lookup"
        ));
        assert!(!rejects_impersonation(
            Method::Get,
            "/v2/workbooks/w1/schedules"
        ));
        assert!(!rejects_impersonation(Method::Get, "/v2/files"));
    }

    #[test]
    fn other_spellings_of_those_endpoints_are_caught_after_normalising() {
        let spellings = [
            (Method::Post, "/v2/../v2/workbooks/w1/export"),
            (Method::Get, "/v2/%2e%2e/v2/connections/paths/x"),
            (Method::Get, "/v2//connections/paths/x"),
            (Method::Get, "/v2/./connections/%2Fpaths/x"),
            (Method::Post, "\\v2\\workbooks\\w1\\send"),
            (Method::Post, "/v2/workbooks/w1/x/%2E%2E/schedules?y=1"),
        ];
        for (method, path) in spellings {
            // Matched as written, the rule misses them: this is what normalising is for.
            assert!(
                !endpoint_rejects_impersonation(method, path),
                "{path} already matched raw"
            );
            assert!(rejects_impersonation(method, path), "{path}");
        }
        // A path that cannot be normalised fails closed.
        assert!(rejects_impersonation(Method::Get, "/v2/../../etc"));
        assert!(!rejects_impersonation(Method::Get, "/v1/../v2/files"));
    }

    fn file(id: &str, perm: &str) -> File {
        serde_json::from_value(serde_json::json!({"id": id, "permission": perm, "name": id}))
            .unwrap()
    }

    #[test]
    fn comparison_splits_three_ways() {
        let admin = vec![file("a", "edit"), file("b", "edit"), file("c", "view")];
        let user = vec![file("b", "view"), file("c", "view"), file("d", "edit")];
        let c = compare_files(&admin, &user);
        assert_eq!(
            c.only_admin
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
            ["a"]
        );
        assert_eq!(
            c.only_user
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
            ["d"]
        );
        assert_eq!(c.different.len(), 1);
        assert_eq!(c.different[0].admin_permission, "edit");
        assert_eq!(c.different[0].user_permission, "view");
        assert_eq!(c.same, 1);
    }
}
