//! Access review: for a team, a list of emails or the whole org, impersonate each user (read-only, a few at
//! a time) and build the matrix users × documents with each user's permission, beside what the admin sees.
//!
//! One review is one ID: every audit record of its sessions (start, requests, stop) and every refusal
//! carries it. One user's failure never stops the others; cancelling keeps what finished. The number of
//! users in flight follows the server: halved when Sigma throttles, raised back one at a time (AIMD).

use crate::audit::{AuditEntry, AuditEvent, SharedAuditSink};
use crate::client::{FileQuery, MemberQuery, SigmaClient, PAGE_LIMIT};
use crate::error::{CoreError, Refusal, Result};
use crate::model::{File, Member};
use crate::retry::{RetryNotice, RetryObserver, RetryReason};
use crate::session::eligibility;
use crate::session::{identify_actor, start_impersonation_of, validate_email, Actor, StartOptions};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;

/// Users in flight when the caller does not say.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The most users in flight a review allows, whatever is asked.
pub const MAX_CONCURRENCY: usize = 64;
/// After a cut, the limit is not cut again (nor raised) for this long: the throttled requests already in
/// flight report one burst, not one cut each.
const AIMD_COOLDOWN: Duration = Duration::from_secs(1);

/// Whom a review covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum ReviewScope {
    /// A team's members (by team ID).
    Team(String),
    /// These users (by email).
    Emails(Vec<String>),
    /// Every active member of the org.
    All,
}

/// What a review asks for.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    pub scope: ReviewScope,
    /// Only documents of this type (Sigma's `typeFilters`), for the admin and every user.
    pub file_type: Option<String>,
    /// Users in flight at most; [`DEFAULT_CONCURRENCY`] by default, clamped to 1..=[`MAX_CONCURRENCY`].
    pub concurrency: usize,
    /// Recorded with every session of the review.
    pub reason: Option<String>,
}

impl ReviewOptions {
    pub fn new(scope: ReviewScope) -> Self {
        ReviewOptions {
            scope,
            file_type: None,
            concurrency: DEFAULT_CONCURRENCY,
            reason: None,
        }
    }

    /// The concurrency actually used.
    pub fn effective_concurrency(&self) -> usize {
        self.concurrency.clamp(1, MAX_CONCURRENCY)
    }
}

/// Where a running review is, after each user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewProgress {
    pub review_id: String,
    /// Users finished (their documents listed).
    pub done: usize,
    /// Users that failed (refused before the exchange, or an error as them).
    pub failed: usize,
    pub total: usize,
    pub elapsed_ms: u64,
    /// Users per second over the users impersonated so far.
    pub rate_per_sec: f64,
    /// Time left at that rate; `None` until there is a rate.
    pub eta_ms: Option<u64>,
    /// Sigma is throttling: fewer users are in flight than asked for.
    pub throttled: bool,
}

/// How one user's part of the review went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum ReviewOutcome {
    /// Their documents were listed.
    Done,
    /// Refused (not found, malformed email, an Admin, archived…) or an error while acting as them.
    Failed { code: String, message: String },
    /// No result: the review was cancelled before this user's listing finished.
    NotRun,
}

/// One user of the review, with their row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewUser {
    /// `None` for an email no member has.
    pub member_id: Option<String>,
    pub email: String,
    pub name: Option<String>,
    pub outcome: ReviewOutcome,
    /// The matrix row: (index in [`AccessReview::documents`], index in [`AccessReview::permissions`]) for
    /// each document the user can access, sorted by document index. Six bytes a cell, so 1,000 users ×
    /// 5,000 documents stays a few megabytes.
    pub access: Vec<(u32, u16)>,
}

/// A document of the review (any that the admin or a reviewed user can access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDocument {
    pub id: String,
    pub name: String,
    pub doc_type: String,
    pub path: String,
    /// The admin's own permission; `None` when the admin's listing does not include it.
    pub admin_permission: Option<String>,
}

/// A finished (or cancelled) review: users × documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessReview {
    pub review_id: String,
    /// The admin (email, else user ID).
    pub actor: String,
    pub profile: String,
    pub scope: ReviewScope,
    pub file_type: Option<String>,
    pub started_at: String,
    pub finished_at: String,
    pub cancelled: bool,
    /// Distinct permission names, indexed by the matrix cells.
    pub permissions: Vec<String>,
    pub documents: Vec<ReviewDocument>,
    pub users: Vec<ReviewUser>,
}

/// Stops a running review: no new user is started; those in flight stop and their sessions end (on
/// record). Cheap to clone; clones cancel the same review.
#[derive(Clone, Default)]
pub struct ReviewCancel {
    inner: Arc<CancelInner>,
}

#[derive(Default)]
struct CancelInner {
    flag: AtomicBool,
    notify: tokio::sync::Notify,
}

impl std::fmt::Debug for ReviewCancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReviewCancel")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl ReviewCancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.inner.flag.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.flag.load(Ordering::SeqCst)
    }

    /// Resolves once [`ReviewCancel::cancel`] has been called (at once if it already was).
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            // Registered before the flag is read, so a cancel between the two is not missed.
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

impl AccessReview {
    /// The user's permission on the document, if they have access.
    pub fn permission(&self, user_idx: usize, doc_idx: usize) -> Option<&str> {
        let row = &self.users.get(user_idx)?.access;
        let doc = u32::try_from(doc_idx).ok()?;
        let at = row.binary_search_by_key(&doc, |c| c.0).ok()?;
        self.permissions
            .get(usize::from(row[at].1))
            .map(String::as_str)
    }

    /// The matrix's other axis: every reviewed user who can access `doc_id`, with their permission.
    pub fn who_can_see(&self, doc_id: &str) -> Vec<(&ReviewUser, &str)> {
        let Some(doc_idx) = self.documents.iter().position(|d| d.id == doc_id) else {
            return Vec::new();
        };
        (0..self.users.len())
            .filter_map(|u| Some((&self.users[u], self.permission(u, doc_idx)?)))
            .collect()
    }

    /// The review restricted to documents of `file_type` (case-insensitive) whose path starts with
    /// `folder_prefix`; users are all kept, their rows re-indexed.
    pub fn filter(&self, file_type: Option<&str>, folder_prefix: Option<&str>) -> AccessReview {
        let keep = |d: &ReviewDocument| {
            file_type.is_none_or(|t| d.doc_type.eq_ignore_ascii_case(t))
                && folder_prefix.is_none_or(|p| d.path.starts_with(p))
        };
        let mut new_index: Vec<Option<u32>> = Vec::with_capacity(self.documents.len());
        let mut documents = Vec::new();
        for d in &self.documents {
            if keep(d) {
                new_index.push(Some(documents.len() as u32));
                documents.push(d.clone());
            } else {
                new_index.push(None);
            }
        }
        let users = self
            .users
            .iter()
            .map(|u| ReviewUser {
                access: u
                    .access
                    .iter()
                    .filter_map(|&(d, p)| Some((new_index.get(d as usize).copied()??, p)))
                    .collect(),
                ..u.clone()
            })
            .collect();
        AccessReview {
            documents,
            users,
            ..self.clone_header()
        }
    }

    fn clone_header(&self) -> AccessReview {
        AccessReview {
            review_id: self.review_id.clone(),
            actor: self.actor.clone(),
            profile: self.profile.clone(),
            scope: self.scope.clone(),
            file_type: self.file_type.clone(),
            started_at: self.started_at.clone(),
            finished_at: self.finished_at.clone(),
            cancelled: self.cancelled,
            permissions: self.permissions.clone(),
            documents: Vec::new(),
            users: Vec::new(),
        }
    }

    /// Whether the review is short of what was asked: cancelled, a user not run, or a user who failed for
    /// any reason but an impersonation rule (Admins, archived, inactive or untyped members are never
    /// reviewable; an unknown or malformed email, or an error as the user, leaves a hole).
    pub fn is_partial(&self) -> bool {
        const RULES: [&str; 4] = [
            "target_is_admin",
            "target_archived",
            "target_inactive",
            "target_type_unknown",
        ];
        self.cancelled
            || self.users.iter().any(|u| match &u.outcome {
                ReviewOutcome::Done => false,
                ReviewOutcome::NotRun => true,
                ReviewOutcome::Failed { code, .. } => !RULES.contains(&code.as_str()),
            })
    }

    /// Writes the review to `path` as CSV or JSON, atomically: a temporary file beside it, flushed to disk,
    /// then renamed over `path` — a reader never sees half a file, and a failed write leaves `path` as it was.
    pub fn write_file(&self, path: &std::path::Path, format: ExportFormat) -> Result<()> {
        let storage = |e: std::io::Error| CoreError::Storage {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".standin-review-")
            .tempfile_in(&dir)
            .map_err(storage)?;
        {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            match format {
                ExportFormat::Csv => self.write_csv(&mut w),
                ExportFormat::Json => self.write_json(&mut w),
            }
            .map_err(storage)?;
        }
        tmp.as_file().sync_all().map_err(storage)?;
        tmp.persist(path).map_err(|e| storage(e.error))?;
        Ok(())
    }

    /// Users per outcome: (done, failed, not run).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for u in &self.users {
            match u.outcome {
                ReviewOutcome::Done => c.0 += 1,
                ReviewOutcome::Failed { .. } => c.1 += 1,
                ReviewOutcome::NotRun => c.2 += 1,
            }
        }
        c
    }

    /// The export's rows, columns as [`EXPORT_COLUMNS`]: one per user × document they can access, with the
    /// admin's permission beside it; a user with no access, a failed user and a user not run get one row
    /// each with the document columns empty, so every user of the review appears. Made one at a time: a
    /// review of 1,000 × 5,000 is never held twice.
    pub fn export_rows(&self) -> impl Iterator<Item = [Cow<'_, str>; 11]> + '_ {
        self.users.iter().flat_map(move |u| {
            let (status, error) = match &u.outcome {
                ReviewOutcome::Done => ("done", Cow::Borrowed("")),
                ReviewOutcome::Failed { code, message } => {
                    ("failed", Cow::Owned(format!("{code}: {message}")))
                }
                ReviewOutcome::NotRun => ("not_run", Cow::Borrowed("")),
            };
            let cells: Box<dyn Iterator<Item = (Option<&ReviewDocument>, &str)> + '_> =
                if u.access.is_empty() {
                    Box::new(std::iter::once((None, "")))
                } else {
                    Box::new(u.access.iter().filter_map(|&(d, p)| {
                        Some((
                            Some(self.documents.get(d as usize)?),
                            self.permissions.get(usize::from(p))?.as_str(),
                        ))
                    }))
                };
            cells.map(move |(doc, perm)| export_row(u, status, &error, doc, perm))
        })
    }

    /// CSV (RFC 4180, CRLF) of [`AccessReview::export_rows`] under a header. Cells a spreadsheet would run
    /// as a formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`.
    pub fn write_csv(&self, w: impl Write) -> std::io::Result<()> {
        self.write_csv_with(w, &|c: &str| c.to_string())
    }

    /// [`AccessReview::write_csv`] with each cell passed through `cell` first (the CLI cleans server text
    /// of terminal control characters when the CSV goes to a terminal).
    pub fn write_csv_with(
        &self,
        mut w: impl Write,
        cell: &dyn Fn(&str) -> String,
    ) -> std::io::Result<()> {
        write_csv_row(&mut w, &EXPORT_COLUMNS, cell)?;
        for row in self.export_rows() {
            let cells: Vec<&str> = row.iter().map(|c| c.as_ref()).collect();
            write_csv_row(&mut w, &cells, cell)?;
        }
        w.flush()
    }

    /// One line per failed user: "failed: EMAIL — error[CODE]: MESSAGE".
    pub fn failure_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.users.iter().filter_map(|u| match &u.outcome {
            ReviewOutcome::Failed { code, message } => {
                Some(format!("failed: {} — error[{code}]: {message}", u.email))
            }
            _ => None,
        })
    }

    /// One line for people: "access review ID: 12 done, 1 failed, 0 not run of 13 users; 40 documents".
    pub fn summary(&self) -> String {
        let (done, failed, not_run) = self.counts();
        format!(
            "access review {}{}: {done} done, {failed} failed, {not_run} not run of {} users; {} documents",
            self.review_id,
            if self.cancelled { " (cancelled)" } else { "" },
            self.users.len(),
            self.documents.len()
        )
    }

    /// The whole review as JSON (the shape [`AccessReview`] deserializes from).
    pub fn write_json(&self, mut w: impl Write) -> std::io::Result<()> {
        serde_json::to_writer(&mut w, self)?;
        w.write_all(b"\n")?;
        w.flush()
    }
}

/// The columns of [`AccessReview::export_rows`] (and the CSV header).
pub const EXPORT_COLUMNS: [&str; 11] = [
    "email",
    "name",
    "member_id",
    "status",
    "document_id",
    "document_name",
    "document_type",
    "path",
    "permission",
    "admin_permission",
    "error",
];

fn export_row<'a>(
    u: &'a ReviewUser,
    status: &'a str,
    error: &Cow<'a, str>,
    doc: Option<&'a ReviewDocument>,
    perm: &'a str,
) -> [Cow<'a, str>; 11] {
    let doc_field = |f: fn(&ReviewDocument) -> &str| Cow::Borrowed(doc.map_or("", f));
    [
        Cow::Borrowed(u.email.as_str()),
        Cow::Borrowed(u.name.as_deref().unwrap_or("")),
        Cow::Borrowed(u.member_id.as_deref().unwrap_or("")),
        Cow::Borrowed(status),
        doc_field(|d| &d.id),
        doc_field(|d| &d.name),
        doc_field(|d| &d.doc_type),
        doc_field(|d| &d.path),
        Cow::Borrowed(perm),
        doc_field(|d| d.admin_permission.as_deref().unwrap_or("")),
        error.clone(),
    ]
}

/// The file formats a review exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// A list of emails as a file holds them: one a line; blank lines and lines starting with `#` are skipped,
/// spaces around an email trimmed.
pub fn parse_email_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// [`parse_email_list`] of a file, or of stdin for `-`.
pub fn read_email_list(path: &std::path::Path) -> Result<Vec<String>> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| CoreError::Storage {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(parse_email_list(&text))
}

impl ReviewProgress {
    /// One line for a progress bar: "12/40 users · 8.1/s · 4 s left · throttled".
    pub fn describe(&self) -> String {
        let eta = self
            .eta_ms
            .map_or("…".into(), |ms| format!("{} s", ms.div_ceil(1000)));
        format!(
            "{}/{} users · {:.1}/s · {eta} left{}",
            self.done + self.failed,
            self.total,
            self.rate_per_sec,
            if self.throttled { " · throttled" } else { "" }
        )
    }

    /// How much of the review is finished, 0.0 to 1.0 (1.0 for an empty review).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            ((self.done + self.failed) as f64 / self.total as f64).min(1.0)
        }
    }
}

/// One CSV cell: neutralised against formula injection, then quoted when it must be (RFC 4180).
pub fn csv_cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if neutral.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

fn write_csv_row(
    w: &mut impl Write,
    cells: &[&str],
    cell: &dyn Fn(&str) -> String,
) -> std::io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| csv_cell(&cell(c))).collect();
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

/// Additive increase, multiplicative decrease of the users in flight.
struct Aimd {
    max: usize,
    limit: AtomicUsize,
    successes: AtomicUsize,
    throttles: AtomicU64,
    last_change: Mutex<Option<Instant>>,
}

impl Aimd {
    fn new(max: usize) -> Self {
        Aimd {
            max,
            limit: AtomicUsize::new(max),
            successes: AtomicUsize::new(0),
            throttles: AtomicU64::new(0),
            last_change: Mutex::new(None),
        }
    }

    fn limit(&self) -> usize {
        self.limit.load(Ordering::SeqCst)
    }

    fn cooled(last: &Option<Instant>) -> bool {
        last.is_none_or(|t| t.elapsed() >= AIMD_COOLDOWN)
    }

    /// Sigma throttled a request: halve (at least 1), once per cooldown.
    fn throttled(&self) {
        self.throttles.fetch_add(1, Ordering::SeqCst);
        let mut last = self.last_change.lock().unwrap_or_else(|p| p.into_inner());
        if Self::cooled(&last) {
            let now = self.limit();
            self.limit.store((now / 2).max(1), Ordering::SeqCst);
            self.successes.store(0, Ordering::SeqCst);
            *last = Some(Instant::now());
        }
    }

    /// A user finished: after `limit` users without a cut, one more in flight (up to the maximum).
    fn succeeded(&self) {
        let n = self.successes.fetch_add(1, Ordering::SeqCst) + 1;
        let limit = self.limit();
        if limit >= self.max || n < limit {
            return;
        }
        let mut last = self.last_change.lock().unwrap_or_else(|p| p.into_inner());
        if Self::cooled(&last) {
            self.limit
                .store((limit + 1).min(self.max), Ordering::SeqCst);
            self.successes.store(0, Ordering::SeqCst);
            *last = Some(Instant::now());
        }
    }

    fn is_throttled(&self) -> bool {
        self.limit() < self.max
    }
}

/// Chains the review's throttling watch onto the client's retry observer, and puts the old one back when
/// the review ends (however it ends).
struct ObserverGuard<'a> {
    client: &'a SigmaClient,
    previous: Option<RetryObserver>,
}

impl<'a> ObserverGuard<'a> {
    fn install(client: &'a SigmaClient, aimd: Arc<Aimd>) -> Self {
        let previous = client.retry_observer();
        let chained = previous.clone();
        let observer: RetryObserver = Arc::new(move |notice: &RetryNotice| {
            if notice.reason == RetryReason::Throttled {
                aimd.throttled();
            }
            if let Some(p) = &chained {
                p(notice);
            }
        });
        client.set_retry_observer(Some(observer));
        ObserverGuard { client, previous }
    }
}

impl Drop for ObserverGuard<'_> {
    fn drop(&mut self) {
        self.client.set_retry_observer(self.previous.take());
    }
}

/// A row before any session: the member found for it, or why there is none.
struct Target {
    email: String,
    member: Option<Member>,
    failure: Option<(String, String)>,
}

fn refused_row(email: &str, member: Option<&Member>, r: &Refusal) -> Target {
    Target {
        email: member.map_or_else(|| email.to_string(), |m| m.email.clone()),
        member: member.cloned(),
        failure: Some((r.rule().to_string(), r.explain())),
    }
}

fn everyone() -> MemberQuery {
    MemberQuery {
        include_archived: true,
        include_inactive: true,
        ..Default::default()
    }
}

/// The scope's users, in the scope's order, each with a member or the reason there is none.
async fn resolve_scope(client: &SigmaClient, scope: &ReviewScope) -> Result<Vec<Target>> {
    let api = client.admin().await?;
    let found = |m: Member| Target {
        email: m.email.clone(),
        member: Some(m),
        failure: None,
    };
    match scope {
        ReviewScope::All => Ok(api
            .members(&MemberQuery::default(), PAGE_LIMIT)
            .await?
            .into_iter()
            .map(found)
            .collect()),
        ReviewScope::Team(team_id) => Ok(api
            .team_roster(team_id)
            .await?
            .into_iter()
            .map(|entry| match entry.member {
                Some(m) => found(m),
                None => {
                    // Only the member ID is known: it stands where the email would.
                    let email = entry.team_member.user_id.clone();
                    refused_row(
                        &email,
                        None,
                        &Refusal::TargetNotFound {
                            email: email.clone(),
                        },
                    )
                }
            })
            .collect()),
        ReviewScope::Emails(emails) => {
            let mut seen = HashSet::new();
            let wanted: Vec<String> = emails
                .iter()
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty() && seen.insert(e.to_lowercase()))
                .collect();
            // One walk of the member list, not one lookup per email: a review of hundreds of emails costs
            // a page per thousand members.
            let by_email: HashMap<String, Member> =
                if wanted.iter().any(|e| validate_email(e).is_ok()) {
                    api.members(&everyone(), PAGE_LIMIT)
                        .await?
                        .into_iter()
                        .map(|m| (m.email.to_lowercase(), m))
                        .collect()
                } else {
                    HashMap::new()
                };
            Ok(wanted
                .into_iter()
                .map(|email| {
                    if let Err(r) = validate_email(&email) {
                        return refused_row(&email, None, &r);
                    }
                    match by_email.get(&email.to_lowercase()) {
                        Some(m) => found(m.clone()),
                        None => refused_row(
                            &email,
                            None,
                            &Refusal::TargetNotFound {
                                email: email.clone(),
                            },
                        ),
                    }
                })
                .collect())
        }
    }
}

/// What a user's task hands back.
enum UserResult {
    Done(Vec<File>),
    Failed(String, String),
    NotRun,
}

fn failed(e: &CoreError) -> UserResult {
    UserResult::Failed(e.code().to_string(), e.to_string())
}

/// One user: exchange, list their files (read-only), stop. Cancelling stops the listing; the session is
/// always stopped (and the stop recorded) before this returns.
async fn review_one(
    client: SigmaClient,
    audit: SharedAuditSink,
    actor: Arc<Actor>,
    member: Member,
    opts: StartOptions,
    query: Arc<FileQuery>,
    cancel: ReviewCancel,
) -> UserResult {
    if cancel.is_cancelled() {
        return UserResult::NotRun;
    }
    // The exchange is not interrupted: a token Sigma issued is then always on record and stopped.
    let session = match start_impersonation_of(&client, audit, &actor, &member, opts).await {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    let listed = tokio::select! {
        biased;
        _ = cancel.cancelled() => None,
        r = session.files(&query) => Some(r),
    };
    let stopped = session.stop();
    match (listed, stopped) {
        (None, _) => UserResult::NotRun,
        (Some(Err(e)), _) => failed(&e),
        (Some(Ok(_)), Err(e)) => failed(&e),
        (Some(Ok(files)), Ok(())) => UserResult::Done(files),
    }
}

/// Builds the matrix as users finish.
struct MatrixBuilder {
    documents: Vec<ReviewDocument>,
    doc_index: HashMap<String, u32>,
    permissions: Vec<String>,
    perm_index: HashMap<String, u16>,
}

impl MatrixBuilder {
    fn new() -> Self {
        MatrixBuilder {
            documents: Vec::new(),
            doc_index: HashMap::new(),
            permissions: Vec::new(),
            perm_index: HashMap::new(),
        }
    }

    fn doc(&mut self, f: &File) -> u32 {
        if let Some(&i) = self.doc_index.get(&f.id) {
            return i;
        }
        let i = self.documents.len() as u32;
        self.documents.push(ReviewDocument {
            id: f.id.clone(),
            name: f.name.clone(),
            doc_type: f.file_type.clone(),
            path: f.path.clone(),
            admin_permission: None,
        });
        self.doc_index.insert(f.id.clone(), i);
        i
    }

    fn perm(&mut self, p: &str) -> u16 {
        if let Some(&i) = self.perm_index.get(p) {
            return i;
        }
        // More than 65,535 distinct permission names is not an org; the last slot takes the rest.
        let i = u16::try_from(self.permissions.len()).unwrap_or(u16::MAX);
        if usize::from(i) == self.permissions.len() {
            self.permissions.push(p.to_string());
        }
        self.perm_index.insert(p.to_string(), i);
        i
    }

    fn admin(&mut self, files: &[File]) {
        for f in files {
            let i = self.doc(f) as usize;
            self.documents[i].admin_permission = Some(f.permission.clone());
        }
    }

    fn row(&mut self, files: &[File]) -> Vec<(u32, u16)> {
        let mut row: Vec<(u32, u16)> = files
            .iter()
            .map(|f| (self.doc(f), self.perm(&f.permission)))
            .collect();
        row.sort_unstable_by_key(|c| c.0);
        // A document listed twice (a server repeating an entry across pages) is one cell.
        row.dedup_by_key(|c| c.0);
        row
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Runs an access review (see the module docs). Errors only when the review cannot start (the scope or
/// the admin's documents cannot be listed, credentials not owned by an Admin, a tenant connection); after
/// that every problem is one user's, kept in their row. `on_progress` is called once the scope is known and
/// after each user.
pub async fn run_access_review(
    client: &SigmaClient,
    audit: SharedAuditSink,
    profile: &str,
    options: &ReviewOptions,
    on_progress: &(dyn Fn(&ReviewProgress) + Send + Sync),
    cancel: &ReviewCancel,
) -> Result<AccessReview> {
    let review_id = uuid::Uuid::new_v4().to_string();
    let started_at = rfc3339(client.now());
    let clock = Instant::now();
    if client.credentials().tenant.is_some() {
        return Err(CoreError::InvalidProfile(
            "an access review lists the org's members, which a connection with a tenant cannot read; \
             review from a connection to the tenant org itself"
                .into(),
        ));
    }
    let actor = identify_actor(client).await?;
    if !actor.can_impersonate() {
        return Err(CoreError::Refused(Refusal::ActorNotAdmin {
            actor_type: actor.account_type.clone(),
        }));
    }
    let targets = resolve_scope(client, &options.scope).await?;
    // Beside what the admin sees: listed once for the whole review.
    let query = Arc::new(FileQuery::of_type(options.file_type.as_deref()));
    let admin_files = client.admin().await?.files(&query).await?;
    let mut matrix = MatrixBuilder::new();
    matrix.admin(&admin_files);
    drop(admin_files);

    let reason = options
        .reason
        .as_ref()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let mut users: Vec<ReviewUser> = Vec::with_capacity(targets.len());
    let mut queue: VecDeque<(usize, Member)> = VecDeque::new();
    let mut failed_count = 0;
    for t in targets {
        let idx = users.len();
        let failure = t.failure.or_else(|| {
            let m = t.member.as_ref()?;
            eligibility(Some(&actor), m)
                .err()
                .map(|r| (r.rule().to_string(), r.explain()))
        });
        let outcome = match failure {
            Some((code, message)) => {
                failed_count += 1;
                // On record under the review's ID, like every refusal before an exchange.
                let mut entry = AuditEntry::new(
                    AuditEvent::Refused,
                    client.now(),
                    profile,
                    &actor.label(),
                    &t.email,
                );
                entry.reason = reason.clone();
                entry.detail = Some(code.clone());
                entry.review_id = Some(review_id.clone());
                if let Err(e) = audit.record(&entry) {
                    // Nothing is done as a refused user, so an unrecorded refusal harms no one; still said.
                    tracing::warn!(error = %e, "could not record a refusal in the audit log");
                }
                ReviewOutcome::Failed { code, message }
            }
            None => {
                if let Some(m) = t.member.clone() {
                    queue.push_back((idx, m));
                }
                ReviewOutcome::NotRun
            }
        };
        users.push(ReviewUser {
            member_id: t.member.as_ref().map(|m| m.member_id.clone()),
            email: t.email,
            name: t.member.as_ref().map(Member::display_name),
            outcome,
            access: Vec::new(),
        });
    }

    let total = users.len();
    let max = options.effective_concurrency();
    let aimd = Arc::new(Aimd::new(max));
    let _observer = ObserverGuard::install(client, aimd.clone());
    let actor = Arc::new(actor);
    let mut done = 0;
    let mut impersonated = 0usize;
    let to_impersonate = queue.len();
    let progress = |done: usize, failed: usize, impersonated: usize| {
        let elapsed = clock.elapsed();
        let rate = if impersonated > 0 && elapsed > Duration::ZERO {
            impersonated as f64 / elapsed.as_secs_f64()
        } else {
            0.0
        };
        let left = to_impersonate.saturating_sub(impersonated);
        ReviewProgress {
            review_id: review_id.clone(),
            done,
            failed,
            total,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            rate_per_sec: rate,
            eta_ms: (rate > 0.0).then(|| (left as f64 / rate * 1000.0) as u64),
            throttled: aimd.is_throttled(),
        }
    };
    on_progress(&progress(done, failed_count, 0));

    let mut tasks = tokio::task::JoinSet::new();
    let mut task_rows: HashMap<tokio::task::Id, usize> = HashMap::new();
    loop {
        while !cancel.is_cancelled() && tasks.len() < aimd.limit() {
            let Some((idx, member)) = queue.pop_front() else {
                break;
            };
            let mut opts = StartOptions::new(&member.email);
            opts.reason = reason.clone();
            opts.review_id = Some(review_id.clone());
            let handle = tasks.spawn(review_one(
                client.clone(),
                audit.clone(),
                actor.clone(),
                member,
                opts,
                query.clone(),
                cancel.clone(),
            ));
            task_rows.insert(handle.id(), idx);
        }
        let joined = tokio::select! {
            j = tasks.join_next_with_id() => j,
            // A cancel while every slot waits: the tasks see it too and end; nothing new starts.
            _ = cancel.cancelled(), if !tasks.is_empty() && !cancel.is_cancelled() => continue,
        };
        let Some(joined) = joined else { break };
        let (id, result) = match joined {
            Ok((id, r)) => (id, r),
            Err(e) => (
                e.id(),
                UserResult::Failed("internal".into(), format!("the user's task failed: {e}")),
            ),
        };
        let Some(idx) = task_rows.remove(&id) else {
            continue;
        };
        let user = &mut users[idx];
        match result {
            UserResult::Done(files) => {
                user.access = matrix.row(&files);
                user.outcome = ReviewOutcome::Done;
                done += 1;
                impersonated += 1;
                aimd.succeeded();
            }
            UserResult::Failed(code, message) => {
                user.outcome = ReviewOutcome::Failed { code, message };
                failed_count += 1;
                impersonated += 1;
            }
            UserResult::NotRun => {}
        }
        on_progress(&progress(done, failed_count, impersonated));
    }

    Ok(AccessReview {
        review_id,
        actor: actor.label(),
        profile: profile.to_string(),
        scope: options.scope.clone(),
        file_type: options.file_type.clone(),
        started_at,
        finished_at: rfc3339(client.now()),
        cancelled: cancel.is_cancelled(),
        permissions: matrix.permissions,
        documents: matrix.documents,
        users,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, t: &str, path: &str, admin: Option<&str>) -> ReviewDocument {
        ReviewDocument {
            id: id.into(),
            name: format!("Doc {id}"),
            doc_type: t.into(),
            path: path.into(),
            admin_permission: admin.map(str::to_string),
        }
    }

    fn user(email: &str, outcome: ReviewOutcome, access: Vec<(u32, u16)>) -> ReviewUser {
        ReviewUser {
            member_id: Some(format!("m-{email}")),
            email: email.into(),
            name: Some(email.to_uppercase()),
            outcome,
            access,
        }
    }

    fn sample() -> AccessReview {
        AccessReview {
            review_id: "r1".into(),
            actor: "admin@x.co".into(),
            profile: "p".into(),
            scope: ReviewScope::All,
            file_type: None,
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:00:01Z".into(),
            cancelled: false,
            permissions: vec!["view".into(), "edit".into()],
            documents: vec![
                doc("d0", "workbook", "Sales/Q1", Some("edit")),
                doc("d1", "dataset", "Sales/Data", None),
                doc("d2", "workbook", "Ops", Some("view")),
            ],
            users: vec![
                user("a@x.co", ReviewOutcome::Done, vec![(0, 1), (2, 0)]),
                user("b@x.co", ReviewOutcome::Done, vec![(0, 0), (1, 0)]),
                user(
                    "c@x.co",
                    ReviewOutcome::Failed {
                        code: "throttled".into(),
                        message: "Sigma is throttling".into(),
                    },
                    vec![],
                ),
                user("d@x.co", ReviewOutcome::NotRun, vec![]),
            ],
        }
    }

    #[test]
    fn the_matrix_reads_both_ways() {
        let r = sample();
        assert_eq!(r.permission(0, 0), Some("edit"));
        assert_eq!(r.permission(0, 1), None);
        assert_eq!(r.permission(1, 1), Some("view"));
        assert_eq!(r.permission(9, 0), None);
        assert_eq!(r.permission(0, 99), None);
        let who: Vec<(&str, &str)> = r
            .who_can_see("d0")
            .into_iter()
            .map(|(u, p)| (u.email.as_str(), p))
            .collect();
        assert_eq!(who, [("a@x.co", "edit"), ("b@x.co", "view")]);
        assert!(r.who_can_see("nope").is_empty());
        assert_eq!(r.counts(), (2, 1, 1));
        assert_eq!(
            r.failure_lines().collect::<Vec<_>>(),
            ["failed: c@x.co — error[throttled]: Sigma is throttling"]
        );
        assert_eq!(
            r.summary(),
            "access review r1: 2 done, 1 failed, 1 not run of 4 users; 3 documents"
        );
    }

    #[test]
    fn filters_reindex_the_rows() {
        let r = sample();
        let w = r.filter(Some("WORKBOOK"), None);
        assert_eq!(
            w.documents
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>(),
            ["d0", "d2"]
        );
        assert_eq!(w.users[0].access, [(0, 1), (1, 0)]);
        assert_eq!(w.users[1].access, [(0, 0)]);
        assert_eq!(w.permission(0, 1), Some("view"));
        let sales = r.filter(None, Some("Sales/"));
        assert_eq!(sales.documents.len(), 2);
        assert_eq!(sales.who_can_see("d1").len(), 1);
        assert_eq!(sales.users.len(), 4, "users are all kept");
        let both = r.filter(Some("dataset"), Some("Ops"));
        assert!(both.documents.is_empty());
        assert!(both.users.iter().all(|u| u.access.is_empty()));
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let cell = csv_cell(formula);
            assert!(
                cell.starts_with('\'') || cell.starts_with("\"'"),
                "{formula:?} -> {cell:?}"
            );
        }
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://evil\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""
        );
        // Only a leading character makes a formula.
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    #[test]
    fn csv_has_a_row_per_cell_and_one_per_user_without_cells() {
        let mut r = sample();
        r.documents[0].name = "=cmd|' /C calc'!A0".into();
        r.users[1].name = Some("Lee, \"Tom\"".into());
        let mut out = Vec::new();
        r.write_csv(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        // Header, a:2, b:2, c (failed), d (not run).
        assert_eq!(lines.len(), 7, "{text}");
        assert!(lines[0].starts_with("email,name,member_id,status,document_id"));
        assert!(lines[1].starts_with("a@x.co,A@X.CO,m-a@x.co,done,d0,'=cmd|' /C calc'!A0,"));
        assert!(lines[1].ends_with(",edit,edit,"));
        assert!(lines[3].contains("\"Lee, \"\"Tom\"\"\""));
        assert!(
            lines[4].contains(",view,,"),
            "no admin permission: {}",
            lines[4]
        );
        assert!(lines[5].starts_with("c@x.co,C@X.CO,m-c@x.co,failed,,,,,,,"));
        assert!(lines[5].ends_with("throttled: Sigma is throttling"));
        assert!(lines[6].starts_with("d@x.co,D@X.CO,m-d@x.co,not_run,"));
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn json_round_trips() {
        let r = sample();
        let mut out = Vec::new();
        r.write_json(&mut out).unwrap();
        let back: AccessReview = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, r);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["users"][2]["outcome"]["status"], "failed");
        assert_eq!(v["users"][3]["outcome"]["status"], "notRun");
        assert_eq!(v["users"][0]["access"][0], serde_json::json!([0, 1]));
        assert_eq!(v["scope"]["kind"], "all");
    }

    #[test]
    fn email_lists_skip_blanks_and_comments() {
        let text = "# reviewers\n\n tom@x.co \r\n#casey@x.co\nnot an email\n\t\n";
        assert_eq!(parse_email_list(text), ["tom@x.co", "not an email"]);
        assert!(parse_email_list("").is_empty());
    }

    #[test]
    fn partial_means_cancelled_not_run_or_failed_for_more_than_a_rule() {
        let mut r = sample();
        assert!(r.is_partial(), "d is not run, c failed");
        r.users.truncate(2);
        assert!(!r.is_partial());
        r.users.push(user(
            "admin@x.co",
            ReviewOutcome::Failed {
                code: "target_is_admin".into(),
                message: String::new(),
            },
            vec![],
        ));
        assert!(!r.is_partial(), "an Admin is never reviewable");
        r.users.push(user(
            "nobody@x.co",
            ReviewOutcome::Failed {
                code: "target_not_found".into(),
                message: String::new(),
            },
            vec![],
        ));
        assert!(r.is_partial());
        r.users.pop();
        r.cancelled = true;
        assert!(r.is_partial());
    }

    #[test]
    fn files_are_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let r = sample();
        let path = dir.path().join("review.csv");
        std::fs::write(&path, "old").unwrap();
        r.write_file(&path, ExportFormat::Csv).unwrap();
        let mut expected = Vec::new();
        r.write_csv(&mut expected).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), expected);
        let json = dir.path().join("review.json");
        r.write_file(&json, ExportFormat::Json).unwrap();
        let back: AccessReview = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(back, r);
        // Nothing but the two files is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        // A directory that does not exist: an error naming the path, nothing written.
        let missing = dir.path().join("no/such/dir/review.csv");
        let err = r.write_file(&missing, ExportFormat::Csv).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(err.to_string().contains("review.csv"));
        // A path that is a directory: the rename fails, the temporary file is removed.
        let err = r.write_file(dir.path(), ExportFormat::Csv).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn progress_reads_as_a_line() {
        let mut p = ReviewProgress {
            review_id: "r".into(),
            done: 10,
            failed: 2,
            total: 40,
            elapsed_ms: 1500,
            rate_per_sec: 8.04,
            eta_ms: Some(3001),
            throttled: true,
        };
        assert_eq!(p.describe(), "12/40 users · 8.0/s · 4 s left · throttled");
        assert!((p.fraction() - 0.3).abs() < 1e-9);
        p.eta_ms = None;
        p.throttled = false;
        assert_eq!(p.describe(), "12/40 users · 8.0/s · … left");
        p.total = 0;
        assert_eq!(p.fraction(), 1.0);
    }

    #[test]
    fn email_files_are_read_and_a_missing_one_is_a_storage_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("emails.txt");
        std::fs::write(&path, "# team\ntom@x.co\n\ncasey@x.co\n").unwrap();
        assert_eq!(read_email_list(&path).unwrap(), ["tom@x.co", "casey@x.co"]);
        let err = read_email_list(&dir.path().join("missing.txt")).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(err.to_string().contains("missing.txt"));
    }

    #[test]
    fn concurrency_is_clamped() {
        let mut o = ReviewOptions::new(ReviewScope::All);
        assert_eq!(o.effective_concurrency(), DEFAULT_CONCURRENCY);
        o.concurrency = 0;
        assert_eq!(o.effective_concurrency(), 1);
        o.concurrency = 10_000;
        assert_eq!(o.effective_concurrency(), MAX_CONCURRENCY);
    }

    #[test]
    fn throttling_halves_once_per_burst_and_recovery_is_additive() {
        let a = Aimd::new(8);
        assert!(!a.is_throttled());
        // A burst of throttled requests is one cut, not eight.
        for _ in 0..8 {
            a.throttled();
        }
        assert_eq!(a.limit(), 4);
        assert!(a.is_throttled());
        // Within the cooldown, successes do not raise it.
        for _ in 0..10 {
            a.succeeded();
        }
        assert_eq!(a.limit(), 4);
        // After it: one more per `limit` users done.
        *a.last_change.lock().unwrap() = Some(Instant::now() - AIMD_COOLDOWN);
        for _ in 0..4 {
            a.succeeded();
        }
        assert_eq!(a.limit(), 5);
        // Cuts never go below one.
        let one = Aimd::new(1);
        one.throttled();
        assert_eq!(one.limit(), 1);
        let two = Aimd::new(2);
        two.throttled();
        *two.last_change.lock().unwrap() = Some(Instant::now() - AIMD_COOLDOWN);
        two.throttled();
        assert_eq!(two.limit(), 1);
    }

    #[tokio::test]
    async fn cancel_wakes_a_waiter_and_is_shared_by_clones() {
        let c = ReviewCancel::new();
        let clone = c.clone();
        let waiter = tokio::spawn(async move { clone.cancelled().await });
        tokio::task::yield_now().await;
        assert!(!c.is_cancelled());
        c.cancel();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("woken")
            .unwrap();
        assert!(c.is_cancelled());
        // Already cancelled: returns at once.
        c.cancelled().await;
    }
}
