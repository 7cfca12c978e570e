//! The Sigma client: credentials, the cached actor token, and typed calls to Sigma's REST API v2.

use crate::clock::SharedClock;
use crate::error::{CoreError, Result, SigmaErrorBody};
use crate::model::*;
use crate::profile::{base_url_string, validate_base_url};
use crate::retry::{self, RetryNotice, RetryObserver, RetryPolicy};
use crate::secret::{id_hint, Secret};
use crate::transport::{ReqwestTransport, SharedTransport, TransportOptions};
use crate::wire::{self, ClientAuth, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use url::Url;

/// What it takes to talk to one Sigma org: the base URL, the API client's ID and secret, an optional tenant.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The profile these came from, if any (`None` for credentials from the environment).
    pub profile: Option<String>,
    pub base_url: Url,
    pub client_id: String,
    pub secret: Secret,
    pub tenant: Option<String>,
    /// Extra CA certificates (a PEM bundle) trusted for this org besides the OS store: for private endpoints
    /// whose CA the OS does not trust. Set with [`Credentials::with_ca_file`].
    pub ca_file: Option<std::path::PathBuf>,
}

impl Credentials {
    pub fn new(
        profile: Option<String>,
        base_url: &str,
        client_id: &str,
        secret: Secret,
        tenant: Option<String>,
    ) -> Result<Self> {
        let base_url = validate_base_url(base_url)?;
        let client_id = client_id.trim().to_string();
        if client_id.is_empty() {
            return Err(CoreError::MissingCredentials(
                "the client ID is empty".into(),
            ));
        }
        if secret.is_empty() {
            return Err(CoreError::MissingCredentials(
                "the client secret is empty".into(),
            ));
        }
        Ok(Credentials {
            profile,
            base_url,
            client_id,
            secret,
            tenant: tenant.filter(|t| !t.trim().is_empty()),
            ca_file: None,
        })
    }

    /// Trust the CA certificates in this PEM file too (on top of the OS store), for this org only.
    pub fn with_ca_file(mut self, ca_file: Option<std::path::PathBuf>) -> Self {
        self.ca_file = ca_file;
        self
    }

    /// `SIGMA_BASE_URL`, `SIGMA_CLIENT_ID`, `SIGMA_CLIENT_SECRET`, optional `SIGMA_TENANT` and
    /// `SIGMA_CA_FILE` (a PEM bundle of extra CAs to trust).
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let need = |k: &str| {
            get(k).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                CoreError::MissingCredentials(format!(
                    "{k} is not set; pass --profile NAME or set SIGMA_BASE_URL, SIGMA_CLIENT_ID and SIGMA_CLIENT_SECRET"
                ))
            })
        };
        let base = need("SIGMA_BASE_URL")?;
        let id = need("SIGMA_CLIENT_ID")?;
        let secret = Secret::new(need("SIGMA_CLIENT_SECRET")?);
        Ok(
            Credentials::new(None, &base, &id, secret, get("SIGMA_TENANT"))?.with_ca_file(
                get("SIGMA_CA_FILE")
                    .filter(|v| !v.trim().is_empty())
                    .map(std::path::PathBuf::from),
            ),
        )
    }

    /// A label for logs and the audit log: the profile name, or the host.
    pub fn label(&self) -> String {
        self.profile
            .clone()
            .unwrap_or_else(|| base_url_string(&self.base_url))
    }
}

#[derive(Clone)]
struct CachedToken {
    access: Secret,
    refresh: Option<Secret>,
    expires_at: OffsetDateTime,
    /// When to get a new one: [`ACTOR_REFRESH_MARGIN`] before expiry, or sooner for short-lived tokens.
    refresh_at: OffsetDateTime,
}

/// How long before expiry the actor token is refreshed.
pub const ACTOR_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Sigma's tokens live one hour; used when an answer leaves `expires_in` out or says something unreadable.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The shortest lifetime believed: a server saying 0 or -5 must not make every call ask for a new token.
pub const MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime believed: a huge `expires_in` must neither overflow a date nor keep a token forever.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A token's lifetime from the server's `expires_in` (seconds), clamped to
/// [`MIN_TOKEN_LIFETIME`]..=[`MAX_TOKEN_LIFETIME`]; missing means [`DEFAULT_TOKEN_LIFETIME`].
pub fn token_lifetime(expires_in: Option<i64>) -> Duration {
    match expires_in {
        None => DEFAULT_TOKEN_LIFETIME,
        Some(s) if s <= 0 => MIN_TOKEN_LIFETIME,
        Some(s) => {
            Duration::from_secs(s.unsigned_abs()).clamp(MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME)
        }
    }
}

/// `at + d` without the panic `+` has on overflow (the far future stands in).
pub(crate) fn add_time(at: OffsetDateTime, d: Duration) -> OffsetDateTime {
    time::Duration::try_from(d)
        .ok()
        .and_then(|d| at.checked_add(d))
        .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc())
}

struct Inner {
    credentials: Credentials,
    transport: SharedTransport,
    clock: SharedClock,
    client_auth: ClientAuth,
    actor: Mutex<Option<CachedToken>>,
    retry: RetryPolicy,
    observer: std::sync::RwLock<Option<RetryObserver>>,
}

/// A client for one org. Cheap to clone; clones share the actor-token cache.
#[derive(Clone)]
pub struct SigmaClient {
    inner: Arc<Inner>,
}

/// A token issued by the token endpoint, with its expiry computed from the injected clock.
pub struct IssuedToken {
    pub access: Secret,
    pub refresh: Option<Secret>,
    /// The server's `expires_in`, clamped (see [`token_lifetime`]).
    pub lifetime: Duration,
    pub expires_at: OffsetDateTime,
    pub token_type: Option<String>,
}

impl SigmaClient {
    pub fn new(credentials: Credentials, transport: SharedTransport, clock: SharedClock) -> Self {
        SigmaClient {
            inner: Arc::new(Inner {
                credentials,
                transport,
                clock,
                client_auth: ClientAuth::FormBody,
                actor: Mutex::new(None),
                retry: RetryPolicy::default(),
                observer: std::sync::RwLock::new(None),
            }),
        }
    }

    /// With the real network (the OS's trusted CAs plus the profile's CA file, proxies from the
    /// environment), the system clock, and the retry policy from the environment.
    pub fn connect(credentials: Credentials) -> Result<Self> {
        let options = TransportOptions {
            ca_file: credentials.ca_file.clone(),
            ..TransportOptions::default()
        };
        let transport = Arc::new(ReqwestTransport::for_base_url(
            &credentials.base_url,
            options,
        )?);
        Ok(
            Self::new(credentials, transport, crate::clock::system_clock())
                .with_retry_policy(RetryPolicy::from_env()),
        )
    }

    fn rebuild(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            credentials: shared.credentials.clone(),
            transport: shared.transport.clone(),
            clock: shared.clock.clone(),
            client_auth: shared.client_auth,
            actor: Mutex::new(None),
            retry: shared.retry.clone(),
            observer: std::sync::RwLock::new(
                shared
                    .observer
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone(),
            ),
        });
        change(&mut inner);
        SigmaClient {
            inner: Arc::new(inner),
        }
    }

    /// Use HTTP Basic instead of form fields for the client-credentials grant.
    pub fn with_client_auth(self, auth: ClientAuth) -> Self {
        self.rebuild(|i| i.client_auth = auth)
    }

    /// How requests are retried (see [`crate::retry`]).
    pub fn with_retry_policy(self, policy: RetryPolicy) -> Self {
        self.rebuild(|i| i.retry = policy)
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Called before each wait between tries (the UI shows "Sigma is throttling: retrying in N s").
    /// Clones of this client share it.
    pub fn set_retry_observer(&self, observer: Option<RetryObserver>) {
        *self
            .inner
            .observer
            .write()
            .unwrap_or_else(|p| p.into_inner()) = observer;
    }

    /// The observer set by [`SigmaClient::set_retry_observer`], so a caller that adds its own (an access
    /// review watching for throttling) can pass notices on to it and put it back afterwards.
    pub fn retry_observer(&self) -> Option<RetryObserver> {
        self.inner
            .observer
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn notify(&self, notice: &RetryNotice) {
        tracing::info!(path = %notice.path, "{}", notice.message());
        let observer = self
            .inner
            .observer
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(o) = observer {
            o(notice);
        }
    }

    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    pub fn now(&self) -> OffsetDateTime {
        self.inner.clock.now()
    }

    /// Sends one request and returns the raw answer, trying again per the [`RetryPolicy`] when it is safe
    /// (see [`retry::classify`]). After the last try the last answer (or error) is returned as it was.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        let policy = &self.inner.retry;
        let started = std::time::Instant::now();
        let mut tries = 1;
        loop {
            let outcome = self
                .inner
                .transport
                .send(&self.inner.credentials.base_url, request.clone())
                .await;
            let Some(reason) = retry::classify(request.method, &outcome) else {
                return outcome;
            };
            if tries >= policy.max_tries {
                return outcome;
            }
            let retry_after = outcome
                .as_ref()
                .ok()
                .and_then(|r| retry::parse_retry_after(r.retry_after.as_deref(), self.now()));
            let delay = policy.delay(tries + 1, retry_after);
            if started.elapsed() + delay > policy.budget {
                return outcome;
            }
            self.notify(&RetryNotice {
                path: request.path().to_string(),
                reason,
                next_try: tries + 1,
                max_tries: policy.max_tries,
                delay,
            });
            tokio::time::sleep(delay).await;
            tries += 1;
        }
    }

    async fn token_grant(&self, request: HttpRequest) -> Result<IssuedToken> {
        let response = self.send(request).await?;
        let body: wire::TokenResponse = decode(response)?;
        if body.access_token.is_empty() {
            return Err(CoreError::Decode(
                "the token endpoint answered without an access token".into(),
            ));
        }
        Ok(IssuedToken {
            access: Secret::new(body.access_token),
            refresh: body
                .refresh_token
                .filter(|r| !r.is_empty())
                .map(Secret::new),
            lifetime: token_lifetime(body.expires_in),
            expires_at: add_time(self.now(), token_lifetime(body.expires_in)),
            token_type: body.token_type,
        })
    }

    /// A fresh client-credentials grant (not cached).
    pub async fn client_credentials_grant(&self) -> Result<IssuedToken> {
        let c = &self.inner.credentials;
        tracing::debug!(client = %id_hint(&c.client_id), "client credentials grant");
        self.token_grant(wire::client_credentials_request(
            &c.client_id,
            &c.secret,
            self.inner.client_auth,
        ))
        .await
    }

    pub async fn refresh_grant(&self, refresh_token: &Secret) -> Result<IssuedToken> {
        tracing::debug!("refresh grant");
        self.token_grant(wire::refresh_request(refresh_token)).await
    }

    /// The admin's (actor's) access token: cached, refreshed [`ACTOR_REFRESH_MARGIN`] before it expires with
    /// the refresh token, falling back to a new client-credentials grant.
    pub async fn actor_token(&self) -> Result<Secret> {
        let mut cached = self.inner.actor.lock().await;
        let now = self.now();
        if let Some(t) = cached.as_ref() {
            if now < t.refresh_at {
                return Ok(t.access.clone());
            }
        }
        let mut issued = None;
        if let Some(refresh) = cached.as_ref().and_then(|t| t.refresh.clone()) {
            match self.refresh_grant(&refresh).await {
                Ok(t) => issued = Some(t),
                Err(e) => tracing::debug!(code = e.code(), "refresh failed; new grant"),
            }
        }
        let issued = match issued {
            Some(t) => t,
            None => self.client_credentials_grant().await?,
        };
        let access = issued.access.clone();
        // Refresh a minute early, or a quarter of the lifetime early for tokens that live under four
        // minutes, so even a token said to live 0 s is reused for 45 s rather than renewed on every call.
        let margin = ACTOR_REFRESH_MARGIN.min(issued.lifetime / 4);
        let refresh_at = add_time(now, issued.lifetime.saturating_sub(margin));
        *cached = Some(CachedToken {
            access: issued.access,
            refresh: issued.refresh,
            expires_at: issued.expires_at,
            refresh_at,
        });
        Ok(access)
    }

    /// Forgets the cached actor token (after a 401, or when the secret was rotated).
    pub async fn forget_actor_token(&self) {
        *self.inner.actor.lock().await = None;
    }

    /// Forgets the cached actor token if it is still `rejected`: of several calls that got a 401 with the
    /// same token at once, only the first makes the next one fetch a new token.
    pub async fn forget_rejected_actor_token(&self, rejected: &Secret) {
        let mut cached = self.inner.actor.lock().await;
        if cached.as_ref().is_some_and(|t| &t.access == rejected) {
            *cached = None;
        }
    }

    /// When the cached actor token expires, if there is one.
    pub async fn actor_token_expiry(&self) -> Option<OffsetDateTime> {
        self.inner.actor.lock().await.as_ref().map(|t| t.expires_at)
    }

    /// Calls made with the admin's own token.
    pub async fn admin(&self) -> Result<Api<'_>> {
        Ok(Api {
            client: self,
            token: std::sync::Mutex::new(self.actor_token().await?),
            as_admin: true,
        })
    }

    /// Calls made with another token (an impersonation token).
    pub fn with_token(&self, token: Secret) -> Api<'_> {
        Api {
            client: self,
            token: std::sync::Mutex::new(token),
            as_admin: false,
        }
    }
}

use retry::looks_like_html;

/// Turns an answer into `T` or into the error that says what went wrong. serde's messages are not used
/// verbatim: they can quote the body, which may hold a token.
pub fn decode<T: DeserializeOwned>(response: HttpResponse) -> Result<T> {
    let status = response.status;
    let html = looks_like_html(&response.body, response.content_type.as_deref());
    if status == 429 || (html && matches!(status, 502..=504)) {
        return Err(CoreError::Throttled {
            status,
            retry_after: retry::parse_retry_after(
                response.retry_after.as_deref(),
                OffsetDateTime::now_utc(),
            ),
            request_id: response.request_id.clone(),
        });
    }
    if !(200..300).contains(&status) {
        if let Ok(mut body) = serde_json::from_slice::<SigmaErrorBody>(&response.body) {
            if body.request_id.is_none() {
                body.request_id = response.request_id.clone();
            }
            return Err(CoreError::Sigma { status, body });
        }
        if html {
            return Err(CoreError::UnexpectedBody {
                status,
                what: "an HTML page".into(),
                request_id: response.request_id.clone(),
            });
        }
        return Err(CoreError::Sigma {
            status,
            body: SigmaErrorBody {
                message: String::new(),
                code: String::new(),
                request_id: response.request_id.clone(),
            },
        });
    }
    if html {
        // Retried as throttling first (see `retry::classify`); still HTML after the last try, the base URL
        // may point at a web page rather than the API.
        return Err(CoreError::UnexpectedBody {
            status,
            what: "an HTML page (Sigma sometimes throttles this way)".into(),
            request_id: response.request_id.clone(),
        });
    }
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Err(CoreError::UnexpectedBody {
            status,
            what: "an empty body".into(),
            request_id: response.request_id.clone(),
        });
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        let kind = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "it is not valid JSON"
            }
            _ => "its JSON does not have the expected shape",
        };
        CoreError::Decode(format!("{kind} (line {}, column {})", e.line(), e.column()))
    })
}

/// Which pagination a list endpoint uses (SIGMA_API.md §7).
#[derive(Debug, Clone, Copy)]
enum Paging {
    /// `page`/`limit` → `nextPage`.
    Cursor,
    /// `pageToken`/`pageSize` → `nextPageToken`.
    Token,
}

/// One member of a team with their record (when it could be found).
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub team_member: TeamMember,
    pub member: Option<Member>,
}

/// Filters for `GET /v2/members`.
#[derive(Debug, Clone, Default)]
pub struct MemberQuery {
    pub search: Option<String>,
    pub email: Option<String>,
    pub include_archived: bool,
    pub include_inactive: bool,
}

impl MemberQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![];
        if let Some(s) = &self.search {
            q.push(("search", s.clone()));
        }
        if let Some(e) = &self.email {
            q.push(("email", e.clone()));
        }
        if self.include_archived {
            q.push(("includeArchived", "true".into()));
        }
        if self.include_inactive {
            q.push(("includeInactive", "true".into()));
        }
        q
    }
}

/// Filters for `GET /v2/files` and `GET /v2/members/{id}/files`.
#[derive(Debug, Clone, Default)]
pub struct FileQuery {
    pub type_filters: Vec<String>,
    pub permission_filter: Option<String>,
    pub parent_id: Option<String>,
    pub direct_children_only: bool,
    pub name: Option<String>,
}

impl FileQuery {
    pub fn of_type(file_type: Option<&str>) -> Self {
        FileQuery {
            type_filters: file_type.map(|t| vec![t.to_string()]).unwrap_or_default(),
            ..Default::default()
        }
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![];
        for t in &self.type_filters {
            q.push(("typeFilters", t.clone()));
        }
        if let Some(p) = &self.permission_filter {
            q.push(("permissionFilter", p.clone()));
        }
        if let Some(p) = &self.parent_id {
            q.push(("parentId", p.clone()));
        }
        if self.direct_children_only {
            q.push(("directChildFilter", "true".into()));
        }
        if let Some(n) = &self.name {
            q.push(("name", n.clone()));
        }
        q
    }
}

/// Whose grants `GET /v2/grants` lists: exactly one inode, member or team (Sigma refuses none or several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantSubject {
    Inode(String),
    Member(String),
    Team(String),
}

/// The query of `GET /v2/grants`. `direct_only` (`directGrantsOnly=true`) leaves out the grants an inode
/// inherits from the folders and workspaces above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantQuery {
    pub subject: GrantSubject,
    pub direct_only: bool,
}

impl GrantQuery {
    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![match &self.subject {
            GrantSubject::Inode(id) => ("inodeId", id.clone()),
            GrantSubject::Member(id) => ("userId", id.clone()),
            GrantSubject::Team(id) => ("teamId", id.clone()),
        }];
        if self.direct_only {
            q.push(("directGrantsOnly", "true".into()));
        }
        q
    }
}

/// Page size Stand-in asks for (Sigma's maximum).
pub const PAGE_LIMIT: u32 = 1000;

/// Caps on one list walk: far past any real org, low enough that a server handing back cursors (or
/// entries) forever is stopped before it exhausts memory.
#[derive(Debug, Clone, Copy)]
pub struct PageLimits {
    pub max_pages: usize,
    pub max_entries: usize,
}

impl Default for PageLimits {
    fn default() -> Self {
        PageLimits {
            max_pages: 100_000,
            max_entries: 5_000_000,
        }
    }
}

/// Follows `nextPage` cursors from the first page to the last, whoever fetches the pages (the admin's
/// calls, or a session's audited calls as the user), within [`PageLimits::default`].
pub(crate) async fn collect_pages<T, F, Fut>(path: &str, fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    collect_pages_within(path, PageLimits::default(), fetch).await
}

/// [`collect_pages`] with explicit caps. Stops with [`CoreError::Pagination`] on an empty page that still
/// carries a cursor (a server that would go on forever), a cursor seen before (a loop), or more pages or
/// entries than `limits` allow — never loops or grows without bound on a broken server.
pub async fn collect_pages_within<T, F, Fut>(
    path: &str,
    limits: PageLimits,
    fetch: F,
) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let mut out = Vec::new();
    walk_pages_within(path, limits, fetch, |entries| {
        out.extend(entries);
        std::ops::ControlFlow::Continue(())
    })
    .await?;
    Ok(out)
}

/// Follows `nextPage` cursors like [`collect_pages_within`], with the same guards and caps, but hands each
/// page's entries to `on_page` as soon as it arrives instead of collecting them, so a listing of 100,000
/// members holds one page at a time. `on_page` returns `Break` to stop early (the reader of the output went
/// away): no further page is requested. Returns how many entries were handed over.
pub async fn walk_pages_within<T, F, Fut, P>(
    path: &str,
    limits: PageLimits,
    mut fetch: F,
    mut on_page: P,
) -> Result<usize>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
    P: FnMut(Vec<T>) -> std::ops::ControlFlow<()>,
{
    let stop = |reason: String| CoreError::Pagination {
        path: path.to_string(),
        reason,
    };
    let mut count = 0usize;
    let mut cursor: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..limits.max_pages {
        let page = fetch(cursor.take()).await?;
        let empty = page.entries.is_empty();
        count += page.entries.len();
        if count > limits.max_entries {
            return Err(stop(format!(
                "more than {} entries, far more than any org holds",
                limits.max_entries
            )));
        }
        let next = page.next_page.filter(|c| !c.is_empty());
        if !empty && on_page(page.entries).is_break() {
            return Ok(count);
        }
        match next {
            Some(_) if empty => {
                return Err(stop(
                    "the server sent an empty page that still points to a next page".into(),
                ))
            }
            Some(next) => {
                if !seen.insert(next.clone()) {
                    return Err(stop(
                        "the server returned the same page cursor twice (a loop)".into(),
                    ));
                }
                cursor = Some(next);
            }
            None => return Ok(count),
        }
    }
    Err(stop(format!(
        "more than {} pages, far more than any org holds",
        limits.max_pages
    )))
}

/// Calls made with one token.
pub struct Api<'a> {
    client: &'a SigmaClient,
    /// Replaced when the admin's token is renewed after a 401, so later pages use the new one.
    token: std::sync::Mutex<Secret>,
    as_admin: bool,
}

impl Api<'_> {
    fn current_token(&self) -> Secret {
        self.token.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// GET `path_and_query` and decode the answer. A 401 on an admin call (the actor token expired or was
    /// revoked early, say halfway through a long list) gets a new actor token once and tries the same
    /// request again — a page walk goes on from the same cursor.
    pub async fn get<T: DeserializeOwned>(&self, path_and_query: String) -> Result<T> {
        let token = self.current_token();
        let mut response = self
            .client
            .send(HttpRequest::get(path_and_query.clone(), &token))
            .await?;
        if response.status == 401 && self.as_admin {
            self.client.forget_rejected_actor_token(&token).await;
            tracing::debug!("actor token rejected (401); getting a new one and trying again");
            let fresh = self.client.actor_token().await?;
            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
            response = self
                .client
                .send(HttpRequest::get(path_and_query, &fresh))
                .await?;
            if response.status == 401 {
                self.client.forget_rejected_actor_token(&fresh).await;
            }
        }
        decode(response)
    }

    async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        mut query: Vec<(&str, String)>,
        paging: Paging,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<T>> {
        match paging {
            Paging::Cursor => {
                query.push(("limit", limit.to_string()));
                if let Some(c) = cursor {
                    query.push(("page", c.to_string()));
                }
            }
            Paging::Token => {
                query.push(("pageSize", limit.to_string()));
                if let Some(c) = cursor {
                    query.push(("pageToken", c.to_string()));
                }
            }
        }
        let body: ListBody<T> = self.get(wire::path_with_query(path, &query)).await?;
        Ok(body.into())
    }

    async fn all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: Vec<(&str, String)>,
        paging: Paging,
        limit: u32,
    ) -> Result<Vec<T>> {
        collect_pages(path, |cursor| {
            let query = query.clone();
            async move {
                self.page(path, query, paging, cursor.as_deref(), limit)
                    .await
            }
        })
        .await
    }

    pub async fn whoami(&self) -> Result<WhoAmI> {
        self.get("/v2/whoami".into()).await
    }

    pub async fn members_page(
        &self,
        query: &MemberQuery,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Member>> {
        self.page("/v2/members", query.params(), Paging::Cursor, cursor, limit)
            .await
    }

    /// Every member matching `query`, following `nextPage` across pages of `limit`.
    pub async fn members(&self, query: &MemberQuery, limit: u32) -> Result<Vec<Member>> {
        self.all("/v2/members", query.params(), Paging::Cursor, limit)
            .await
    }

    /// `GET /v2/members` without `limit`: the legacy bare array (or a page, on servers that changed).
    pub async fn members_legacy(&self, query: &MemberQuery) -> Result<Vec<Member>> {
        let body: ListBody<Member> = self
            .get(wire::path_with_query("/v2/members", &query.params()))
            .await?;
        Ok(Page::from(body).entries)
    }

    pub async fn member(&self, member_id: &str) -> Result<Member> {
        self.get(format!("/v2/members/{}", wire::segment(member_id)))
            .await
    }

    /// The member with this email (archived and inactive included), if any.
    pub async fn member_by_email(&self, email: &str) -> Result<Option<Member>> {
        let query = MemberQuery {
            email: Some(email.to_string()),
            include_archived: true,
            include_inactive: true,
            ..Default::default()
        };
        let page = self.members_page(&query, None, 50).await?;
        let matches = |m: &Member| m.email.eq_ignore_ascii_case(email);
        // Match exactly: a server that ignores `email` must not make us pick someone else.
        let ignored_filter = page.entries.iter().any(|m| !matches(m));
        if let Some(found) = page.entries.into_iter().find(matches) {
            return Ok(Some(found));
        }
        if !ignored_filter {
            return Ok(None);
        }
        // The server listed everyone instead of filtering: look through every page.
        let everyone = MemberQuery {
            email: None,
            ..query
        };
        Ok(self
            .members(&everyone, PAGE_LIMIT)
            .await?
            .into_iter()
            .find(matches))
    }

    pub async fn member_teams(&self, member_id: &str) -> Result<Vec<Team>> {
        let path = format!("/v2/members/{}/teams", wire::segment(member_id));
        self.all(&path, vec![], Paging::Cursor, PAGE_LIMIT).await
    }

    pub async fn member_files(&self, member_id: &str, query: &FileQuery) -> Result<Vec<File>> {
        let path = format!("/v2/members/{}/files", wire::segment(member_id));
        self.all(&path, query.params(), Paging::Cursor, PAGE_LIMIT)
            .await
    }

    pub async fn teams(&self, limit: u32) -> Result<Vec<Team>> {
        self.all("/v2/teams", vec![], Paging::Cursor, limit).await
    }

    pub async fn team(&self, team_id: &str) -> Result<Team> {
        self.get(format!("/v2/teams/{}", wire::segment(team_id)))
            .await
    }

    /// One page of a team's members (`page`/`limit`), for walks that print as they go.
    pub async fn team_members_page(
        &self,
        team_id: &str,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<TeamMember>> {
        let path = format!("/v2/teams/{}/members", wire::segment(team_id));
        self.page(&path, vec![], Paging::Cursor, cursor, limit)
            .await
    }

    pub async fn team_members(&self, team_id: &str) -> Result<Vec<TeamMember>> {
        let path = format!("/v2/teams/{}/members", wire::segment(team_id));
        self.all(&path, vec![], Paging::Cursor, PAGE_LIMIT).await
    }

    /// A team's members with their member records, joined from one paged walk of the member list (not a
    /// call per member). A member the list does not know has `member: None`.
    pub async fn team_roster(&self, team_id: &str) -> Result<Vec<RosterEntry>> {
        let members = self.team_members(team_id).await?;
        let everyone = self
            .members(
                &MemberQuery {
                    include_archived: true,
                    include_inactive: true,
                    ..Default::default()
                },
                PAGE_LIMIT,
            )
            .await?;
        let mut by_id: std::collections::HashMap<String, Member> = everyone
            .into_iter()
            .map(|m| (m.member_id.clone(), m))
            .collect();
        Ok(members
            .into_iter()
            .map(|tm| RosterEntry {
                member: by_id.remove(&tm.user_id),
                team_member: tm,
            })
            .collect())
    }

    pub async fn team_user_attributes(
        &self,
        team_id: &str,
    ) -> Result<Vec<TeamAttributeAssignment>> {
        let path = format!("/v2/teams/{}/user-attributes", wire::segment(team_id));
        self.all(&path, vec![], Paging::Cursor, PAGE_LIMIT).await
    }

    pub async fn files(&self, query: &FileQuery) -> Result<Vec<File>> {
        self.all("/v2/files", query.params(), Paging::Cursor, PAGE_LIMIT)
            .await
    }

    pub async fn file(&self, inode_id: &str) -> Result<File> {
        self.get(format!("/v2/files/{}", wire::segment(inode_id)))
            .await
    }

    /// Every grant `query` selects, following `nextPage` to the last page.
    pub async fn grants(&self, query: &GrantQuery) -> Result<Vec<Grant>> {
        self.all("/v2/grants", query.params(), Paging::Cursor, PAGE_LIMIT)
            .await
    }

    pub async fn account_types(&self) -> Result<Vec<AccountType>> {
        self.all("/v2/accountTypes", vec![], Paging::Token, 100)
            .await
    }

    pub async fn user_attributes(&self) -> Result<Vec<UserAttribute>> {
        self.all("/v2/user-attributes", vec![], Paging::Cursor, PAGE_LIMIT)
            .await
    }

    pub async fn user_attribute_users(
        &self,
        attribute_id: &str,
    ) -> Result<Vec<UserAttributeAssignment>> {
        let path = format!("/v2/user-attributes/{}/users", wire::segment(attribute_id));
        self.all(&path, vec![], Paging::Cursor, PAGE_LIMIT).await
    }

    pub async fn tenants(&self) -> Result<Vec<Tenant>> {
        self.all("/v2/tenants", vec![], Paging::Token, 100).await
    }

    /// A member's user attributes, derived from the attribute lists (Sigma has no per-member endpoint):
    /// the user's own value, else a team's, else the default.
    pub async fn member_attributes(&self, member_id: &str) -> Result<Vec<MemberAttribute>> {
        let attributes = self.user_attributes().await?;
        let teams = self.member_teams(member_id).await?;
        let mut team_values = Vec::new();
        for team in &teams {
            for a in self.team_user_attributes(&team.team_id).await? {
                team_values.push((team.name.clone(), a));
            }
        }
        let mut out = Vec::new();
        for attr in attributes {
            let users = self.user_attribute_users(&attr.user_attribute_id).await?;
            let value = if let Some(u) = users.iter().find(|u| u.user_id == member_id) {
                Some((u.value.as_text(), "user".to_string()))
            } else if let Some((team, a)) = team_values
                .iter()
                .find(|(_, a)| a.user_attribute_id == attr.user_attribute_id)
            {
                Some((a.value.as_text(), format!("team:{team}")))
            } else {
                attr.default_value
                    .as_ref()
                    .map(|d| (d.as_text(), "default".to_string()))
            };
            if let Some((value, source)) = value {
                out.push(MemberAttribute {
                    user_attribute_id: attr.user_attribute_id.clone(),
                    name: attr.name.clone(),
                    value,
                    source,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            content_type: Some(ct.into()),
            retry_after: None,
            request_id: Some("hdr-req".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn sigma_errors_are_kept_whole() {
        let e = decode::<WhoAmI>(resp(
            401,
            "application/json",
            r#"{"message":"Token missing or malformed","code":"unauthorized","requestId":"r1"}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "unauthorized");
        assert_eq!(e.request_id(), Some("r1"));
    }

    #[test]
    fn html_and_broken_bodies_are_clear_errors() {
        let e = decode::<WhoAmI>(resp(200, "text/html", "<html>slow down</html>")).unwrap_err();
        assert_eq!(e.code(), "unexpected_body");
        let e = decode::<WhoAmI>(resp(502, "text/html", "<html>bad gateway</html>")).unwrap_err();
        assert_eq!(e.code(), "throttled");
        assert_eq!(
            e.request_id(),
            Some("hdr-req"),
            "after the last try: the request ID"
        );
        let e = decode::<WhoAmI>(resp(503, "text/html", "<html>busy</html>")).unwrap_err();
        assert_eq!(e.code(), "throttled");
        let e = decode::<WhoAmI>(resp(200, "application/json", "{\"userId\":")).unwrap_err();
        assert_eq!(e.code(), "decode");
        let e = decode::<WhoAmI>(resp(200, "application/json", "")).unwrap_err();
        assert_eq!(e.code(), "unexpected_body");
        let e = decode::<WhoAmI>(resp(500, "text/plain", "oops")).unwrap_err();
        assert_eq!(e.code(), "sigma_error");
        assert_eq!(e.request_id(), Some("hdr-req"));
    }

    #[test]
    fn decode_errors_never_quote_the_body() {
        let e = decode::<wire::TokenResponse>(resp(
            200,
            "application/json",
            r#"{"access_token": 12345678, "refresh_token": "SECRET-REFRESH"}"#,
        ))
        .err()
        .unwrap();
        assert!(!e.to_string().contains("SECRET-REFRESH"));
        assert!(!e.to_string().contains("12345678"));
    }

    #[test]
    fn throttling_with_retry_after() {
        let mut r = resp(429, "application/json", "{}");
        r.retry_after = Some("7".into());
        match decode::<WhoAmI>(r).unwrap_err() {
            CoreError::Throttled { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(7)))
            }
            other => panic!("{other:?}"),
        }
    }

    fn page(ids: &[&str], next: Option<&str>) -> Page<String> {
        Page {
            entries: ids.iter().map(|s| s.to_string()).collect(),
            next_page: next.map(str::to_string),
        }
    }

    /// Walks a scripted server: page `n` is `pages[n]`, whatever cursor is asked for.
    async fn walk(pages: Vec<Page<String>>, limits: PageLimits) -> Result<Vec<String>> {
        let pages = std::sync::Mutex::new(pages.into_iter());
        collect_pages_within("/v2/things", limits, |_cursor| {
            let next = pages.lock().unwrap().next();
            async move { next.ok_or_else(|| CoreError::Decode("asked past the end".into())) }
        })
        .await
    }

    #[tokio::test]
    async fn page_walks_stop_on_broken_paging() {
        let limits = PageLimits::default();
        let ok = walk(
            vec![page(&["a", "b"], Some("c1")), page(&["c"], None)],
            limits,
        )
        .await
        .unwrap();
        assert_eq!(ok, ["a", "b", "c"]);
        // An empty last page without a cursor is fine; an empty cursor string ends the walk too.
        assert_eq!(
            walk(vec![page(&["a"], Some("c1")), page(&[], Some(""))], limits)
                .await
                .unwrap(),
            ["a"]
        );

        let e = walk(
            vec![page(&["a"], Some("c1")), page(&[], Some("c2"))],
            limits,
        )
        .await
        .unwrap_err();
        assert_eq!(e.code(), "pagination");
        assert!(e.to_string().contains("empty page"), "{e}");

        let e = walk(
            vec![
                page(&["a"], Some("c1")),
                page(&["b"], Some("c2")),
                page(&["c"], Some("c1")),
            ],
            limits,
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("same page cursor twice"), "{e}");

        let tight = PageLimits {
            max_pages: 3,
            max_entries: 100,
        };
        let many: Vec<_> = (0..10)
            .map(|i| page(&["x"], Some(&format!("c{i}"))))
            .collect();
        let e = walk(many, tight).await.unwrap_err();
        assert!(e.to_string().contains("more than 3 pages"), "{e}");
        let big: Vec<String> = (0..60).map(|i| i.to_string()).collect();
        let big: Vec<&str> = big.iter().map(String::as_str).collect();
        let e = walk(vec![page(&big, Some("c1")), page(&big, None)], tight)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("more than 100 entries"), "{e}");
        // The same walks within the caps succeed: the guards are what stopped them.
        assert_eq!(
            walk(vec![page(&big, Some("c1")), page(&big, None)], limits)
                .await
                .unwrap()
                .len(),
            120
        );
    }

    #[test]
    fn token_lifetimes_are_clamped() {
        assert_eq!(token_lifetime(None), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(0)), MIN_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(-5)), MIN_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(i64::MAX)), MAX_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(1800)), Duration::from_secs(1800));
        let far = time::PrimitiveDateTime::MAX.assume_utc();
        assert_eq!(
            add_time(far, Duration::from_secs(10)),
            far,
            "no overflow panic"
        );
    }

    #[test]
    fn env_credentials_say_what_is_missing() {
        let e = Credentials::from_lookup(|k| match k {
            "SIGMA_BASE_URL" => Some("https://x.example".into()),
            _ => None,
        })
        .unwrap_err();
        assert!(e.to_string().contains("SIGMA_CLIENT_ID"));
        let c = Credentials::from_lookup(|k| match k {
            "SIGMA_BASE_URL" => Some("https://x.example".into()),
            "SIGMA_CLIENT_ID" => Some("id".into()),
            "SIGMA_CLIENT_SECRET" => Some("sec".into()),
            "SIGMA_TENANT" => Some("".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.tenant, None);
        assert!(!format!("{c:?}").contains("sec\""));
    }
}
