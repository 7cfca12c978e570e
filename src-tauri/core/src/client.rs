//! The Sigma client: credentials, the cached actor token, and typed calls to Sigma's REST API v2.

use crate::clock::SharedClock;
use crate::error::{CoreError, Result, SigmaErrorBody};
use crate::model::*;
use crate::profile::{base_url_string, validate_base_url};
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
        })
    }

    /// `SIGMA_BASE_URL`, `SIGMA_CLIENT_ID`, `SIGMA_CLIENT_SECRET` and optional `SIGMA_TENANT`.
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
        Credentials::new(None, &base, &id, secret, get("SIGMA_TENANT"))
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
}

/// How long before expiry the actor token is refreshed.
pub const ACTOR_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Sigma's tokens live one hour; used when an answer leaves `expires_in` out.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

struct Inner {
    credentials: Credentials,
    transport: SharedTransport,
    clock: SharedClock,
    client_auth: ClientAuth,
    actor: Mutex<Option<CachedToken>>,
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
            }),
        }
    }

    /// With the real network and the system clock.
    pub fn connect(credentials: Credentials) -> Result<Self> {
        let transport = Arc::new(ReqwestTransport::new(TransportOptions::default())?);
        Ok(Self::new(
            credentials,
            transport,
            crate::clock::system_clock(),
        ))
    }

    /// Use HTTP Basic instead of form fields for the client-credentials grant.
    pub fn with_client_auth(self, auth: ClientAuth) -> Self {
        let inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            credentials: shared.credentials.clone(),
            transport: shared.transport.clone(),
            clock: shared.clock.clone(),
            client_auth: shared.client_auth,
            actor: Mutex::new(None),
        });
        SigmaClient {
            inner: Arc::new(Inner {
                client_auth: auth,
                ..inner
            }),
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

    /// Sends one request and returns the raw answer.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        self.inner
            .transport
            .send(&self.inner.credentials.base_url, request)
            .await
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
            expires_at: self.now() + lifetime(body.expires_in),
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
            if now + ACTOR_REFRESH_MARGIN < t.expires_at {
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
        *cached = Some(CachedToken {
            access: issued.access,
            refresh: issued.refresh,
            expires_at: issued.expires_at,
        });
        Ok(access)
    }

    /// Forgets the cached actor token (after a 401, or when the secret was rotated).
    pub async fn forget_actor_token(&self) {
        *self.inner.actor.lock().await = None;
    }

    /// When the cached actor token expires, if there is one.
    pub async fn actor_token_expiry(&self) -> Option<OffsetDateTime> {
        self.inner.actor.lock().await.as_ref().map(|t| t.expires_at)
    }

    /// Calls made with the admin's own token.
    pub async fn admin(&self) -> Result<Api<'_>> {
        Ok(Api {
            client: self,
            token: self.actor_token().await?,
            as_admin: true,
        })
    }

    /// Calls made with another token (an impersonation token).
    pub fn with_token(&self, token: Secret) -> Api<'_> {
        Api {
            client: self,
            token,
            as_admin: false,
        }
    }
}

fn lifetime(expires_in: Option<u64>) -> time::Duration {
    let secs = expires_in.unwrap_or(DEFAULT_TOKEN_LIFETIME.as_secs());
    time::Duration::seconds(secs.min(i64::MAX as u64) as i64)
}

fn looks_like_html(body: &[u8], content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|ct| ct.contains("html")) {
        return true;
    }
    let start: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    start.starts_with(b"<!doctype") || start.starts_with(b"<html") || start.starts_with(b"<")
}

fn retry_after(value: Option<&str>) -> Option<Duration> {
    value?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Turns an answer into `T` or into the error that says what went wrong. serde's messages are not used
/// verbatim: they can quote the body, which may hold a token.
pub fn decode<T: DeserializeOwned>(response: HttpResponse) -> Result<T> {
    let status = response.status;
    let html = looks_like_html(&response.body, response.content_type.as_deref());
    if status == 429 || (html && status == 503) {
        return Err(CoreError::Throttled {
            status,
            retry_after: retry_after(response.retry_after.as_deref()),
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
        return Err(CoreError::UnexpectedBody {
            status,
            what: "an HTML page (Sigma sometimes throttles this way)".into(),
        });
    }
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Err(CoreError::UnexpectedBody {
            status,
            what: "an empty body".into(),
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

/// Page size Stand-in asks for (Sigma's maximum).
pub const PAGE_LIMIT: u32 = 1000;
/// A guard against a server that hands back cursors forever.
const MAX_PAGES: usize = 100_000;

/// Follows `nextPage` cursors from the first page to the last, whoever fetches the pages (the admin's
/// calls, or a session's audited calls as the user). Stops with an error on a repeated cursor or after
/// [`MAX_PAGES`] pages rather than looping forever on a broken server.
pub(crate) async fn collect_pages<T, F, Fut>(path: &str, mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..MAX_PAGES {
        let page = fetch(cursor.take()).await?;
        out.extend(page.entries);
        match page.next_page {
            Some(next) => {
                if !seen.insert(next.clone()) {
                    return Err(CoreError::Decode(format!(
                        "{path} returned the same page cursor twice; stopping to avoid a loop"
                    )));
                }
                cursor = Some(next);
            }
            None => return Ok(out),
        }
    }
    Err(CoreError::Decode(format!(
        "{path} returned more than {MAX_PAGES} pages; stopping"
    )))
}

/// Calls made with one token.
pub struct Api<'a> {
    client: &'a SigmaClient,
    token: Secret,
    as_admin: bool,
}

impl Api<'_> {
    /// GET `path_and_query` and decode the answer.
    pub async fn get<T: DeserializeOwned>(&self, path_and_query: String) -> Result<T> {
        let response = self
            .client
            .send(HttpRequest::get(path_and_query, &self.token))
            .await?;
        if response.status == 401 && self.as_admin {
            // The cached actor token was revoked or expired early: the next call starts over.
            self.client.forget_actor_token().await;
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
        assert_eq!(e.code(), "unexpected_body");
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
