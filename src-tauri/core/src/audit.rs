//! The local audit log: every impersonation start, stop, expiry, refusal and request made as a user, as
//! append-only JSON lines in the data dir. The sink is a trait so the app, the CLI and tests can each put it
//! where they need.
//!
//! [`JsonlAuditLog`] makes the file tamper-evident: each line carries its line number (`seq`), the SHA-256
//! of the previous line's exact bytes (`prev`) and an HMAC-SHA256 of everything before the MAC (`mac`),
//! keyed by a random key kept in the OS keyring (account [`AUDIT_KEY_ACCOUNT`]). [`verify_audit_log`]
//! names the first line edited, deleted, reordered or cut off. Older lines without these fields still
//! read as entries (they are reported as legacy records outside the chain).

use crate::error::{CoreError, Result};
use crate::secret::Secret;
use crate::secret_store::{SecretStore, SharedSecretStore};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The keyring account (under the app's service) holding the audit log's MAC key.
pub const AUDIT_KEY_ACCOUNT: &str = "audit-key";

/// Which half of a request made as the user a `impersonation.request` entry records. Entries written before
/// this field existed have none: they were written once, after the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RequestPhase {
    /// Written before the request goes on the wire; the request is not sent unless this is on record.
    Sent,
    /// Written after: status, Sigma's request ID, or the error code.
    Outcome,
}

impl RequestPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestPhase::Sent => "sent",
            RequestPhase::Outcome => "outcome",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEvent {
    #[serde(rename = "impersonation.start")]
    Start,
    #[serde(rename = "impersonation.stop")]
    Stop,
    #[serde(rename = "impersonation.expired")]
    Expired,
    #[serde(rename = "impersonation.refused")]
    Refused,
    #[serde(rename = "impersonation.request")]
    Request,
    /// A session was extended: a new exchange for the same user, reason and mode. `session_id` is the new
    /// session, `detail` names the one it replaced ("extends <old id>").
    #[serde(rename = "impersonation.extend")]
    Extend,
}

impl AuditEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Start => "impersonation.start",
            AuditEvent::Stop => "impersonation.stop",
            AuditEvent::Expired => "impersonation.expired",
            AuditEvent::Refused => "impersonation.refused",
            AuditEvent::Request => "impersonation.request",
            AuditEvent::Extend => "impersonation.extend",
        }
    }
}

/// One line of the audit log. Never holds a token or a secret: only who, whom, where, why and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub time: String,
    pub event: AuditEvent,
    /// The profile name, or the base URL for credentials from the environment.
    pub profile: String,
    /// The admin: email when known, else the actor's user ID.
    pub actor: String,
    /// The user impersonated (email).
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// For refusals the rule or error code; for stops how it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For `impersonation.request`: `sent` (before) or `outcome` (after); absent in older logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<RequestPhase>,
    /// The access review this record belongs to (every session of one review carries the same ID); absent
    /// outside reviews and in older logs, so their lines (and MACs) are unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_id: Option<String>,
}

impl AuditEntry {
    pub fn new(
        event: AuditEvent,
        at: OffsetDateTime,
        profile: &str,
        actor: &str,
        subject: &str,
    ) -> Self {
        AuditEntry {
            time: at.format(&Rfc3339).unwrap_or_default(),
            event,
            profile: profile.to_string(),
            actor: actor.to_string(),
            subject: subject.to_string(),
            tenant: None,
            reason: None,
            session_id: None,
            read_only: None,
            method: None,
            path: None,
            status: None,
            detail: None,
            request_id: None,
            phase: None,
            review_id: None,
        }
    }
}

pub trait AuditSink: Send + Sync {
    /// Records `entry`; `Ok` means it is on disk (or wherever the sink keeps records for good).
    fn record(&self, entry: &AuditEntry) -> Result<()>;

    /// Records `entry` without waiting for the disk: it is written at once, so it outlives a crash of this
    /// process, and reaches the disk with the next [`AuditSink::record`] (one sync for both). For records
    /// that nothing is done on the strength of before another record follows: a session's start (the
    /// first request as the user, or the stop, is recorded with a sync before anything else happens) and a
    /// request's outcome (the request was already on record before it was sent). A sink without the
    /// distinction records it as [`AuditSink::record`] does.
    fn record_unsynced(&self, entry: &AuditEntry) -> Result<()> {
        self.record(entry)
    }

    /// Whether records can be kept at all right now (for the file log: its MAC key is at hand). Asked
    /// before the token exchange, so that when nothing could be recorded nothing is done as the user.
    fn ready(&self) -> Result<()> {
        Ok(())
    }
}

pub type SharedAuditSink = Arc<dyn AuditSink>;

type HmacSha256 = Hmac<Sha256>;

/// `prev` of the first line of a log.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Bytes of random key material.
const KEY_LEN: usize = 32;
/// `,"mac":"` + 64 hex digits + `"}`: how every chained line ends, so the MACed bytes can be recovered
/// exactly (the line without this suffix, closed with `}`) instead of re-serialising the JSON.
const MAC_PREFIX: &[u8] = b",\"mac\":\"";
const MAC_SUFFIX_LEN: usize = MAC_PREFIX.len() + 64 + 2;

/// The MAC key, as raw bytes. Never printed.
#[derive(Clone)]
struct MacKey(Vec<u8>);

impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl MacKey {
    fn parse(stored: &Secret) -> Result<Self> {
        use base64::Engine;
        match base64::engine::general_purpose::STANDARD.decode(stored.expose().trim()) {
            Ok(bytes) if bytes.len() >= KEY_LEN => Ok(MacKey(bytes)),
            // Never quote the stored value: it is the key.
            _ => Err(CoreError::Audit(format!(
                "the audit key in the OS keyring (account '{AUDIT_KEY_ACCOUNT}') is malformed"
            ))),
        }
    }

    fn generate() -> (Self, Secret) {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = vec![0u8; KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let stored = Secret::new(base64::engine::general_purpose::STANDARD.encode(&bytes));
        (MacKey(bytes), stored)
    }

    fn mac(&self, body: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
        let mut m = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        m.update(body);
        m
    }

    fn sign(&self, body: &[u8]) -> String {
        hex(&self.mac(body).finalize().into_bytes())
    }

    fn verify(&self, body: &[u8], mac_hex: &str) -> bool {
        match unhex(mac_hex) {
            // Constant-time comparison.
            Some(tag) => self.mac(body).verify_slice(&tag).is_ok(),
            None => false,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    s.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => u8::from_str_radix(std::str::from_utf8(&[*hi, *lo]).ok()?, 16).ok(),
            _ => None,
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The keyring's answer, turned into an audit error that says why impersonation stops.
fn key_error(e: CoreError) -> CoreError {
    match e {
        CoreError::KeyringUnavailable(why) => CoreError::Audit(format!(
            "the OS keyring is not available ({why}), and audit records are signed with a key kept there; \
             unlock or start your keyring (Secret Service) and try again"
        )),
        other => CoreError::Audit(other.to_string()),
    }
}

/// Reads the audit key; `Ok(None)` when there is none yet.
fn load_key(keys: &dyn SecretStore) -> Result<Option<MacKey>> {
    match keys.get(AUDIT_KEY_ACCOUNT).map_err(key_error)? {
        Some(stored) => MacKey::parse(&stored).map(Some),
        None => Ok(None),
    }
}

/// What one line of the file is.
#[derive(Debug)]
enum Line {
    /// A record with `seq`, `prev` and `mac`; `mac_ok` when the MAC matches the key.
    Chained {
        seq: Option<u64>,
        prev: Option<String>,
        mac_ok: bool,
    },
    /// An entry written before the chain existed.
    Legacy,
    /// Not a record at all.
    Junk,
}

fn classify(line: &[u8], key: Option<&MacKey>) -> Line {
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(line)
    else {
        return Line::Junk;
    };
    let Some(mac) = obj.get("mac") else {
        return match serde_json::from_slice::<AuditEntry>(line) {
            Ok(_) => Line::Legacy,
            Err(_) => Line::Junk,
        };
    };
    let mac_ok = match (key, mac.as_str(), signed_body(line)) {
        (Some(k), Some(mac), Some(body)) => k.verify(&body, mac),
        _ => false,
    };
    Line::Chained {
        seq: obj.get("seq").and_then(|v| v.as_u64()),
        prev: obj.get("prev").and_then(|v| v.as_str()).map(str::to_string),
        mac_ok,
    }
}

/// The bytes a chained line's MAC covers: the line without its `,"mac":"…"` suffix, closed with `}`.
fn signed_body(line: &[u8]) -> Option<Vec<u8>> {
    if line.len() < MAC_SUFFIX_LEN + 2 || !line.ends_with(b"\"}") {
        return None;
    }
    let cut = line.len() - MAC_SUFFIX_LEN;
    if &line[cut..cut + MAC_PREFIX.len()] != MAC_PREFIX {
        return None;
    }
    let mut body = line[..cut].to_vec();
    body.push(b'}');
    Some(body)
}

/// One chained line, as written.
#[derive(Serialize)]
struct ChainedLine<'a> {
    seq: u64,
    prev: &'a str,
    #[serde(flatten)]
    entry: &'a AuditEntry,
}

/// The hash-chained, MACed, append-only JSON lines file.
///
/// Each record is written with one `write` to a file opened with `O_APPEND`, then `sync_data`, while an
/// advisory lock (`flock` / `LockFileEx`) on the file is held: the app and the CLI can append at once, and
/// each reads the last line (for `seq` and `prev`) and appends under the same lock, so the chain never
/// forks. A record is acknowledged (`record` returns `Ok`) only once it is on disk; a failed or short write
/// is cut back off the file, so an error means "not recorded".
///
/// Group commit: threads of one process that record at the same moment share one write and one
/// `sync_data` (≈ 4–7 ms on a desktop disk, which would otherwise be paid once per record, one thread after
/// another). A thread queues its record, then whichever thread holds the writer lock next appends every
/// queued record as one batch, syncs once, and hands each waiting thread its outcome. Each `record` still
/// returns only once its own line is on disk, and a batch whose write or sync fails is cut back whole, with
/// every record in it reported as not recorded.
///
/// [`AuditSink::record_unsynced`] writes its record the same way but does not sync: the next synced batch
/// (which always follows before anything is done on the strength of it) carries it to the disk.
///
/// The MAC key comes from the [`SecretStore`] (the OS keyring in the app and the CLI), created on first
/// use. When the keyring is unavailable nothing is written and `record` fails with [`CoreError::Audit`]:
/// an unsigned record could be forged or edited without trace, and because a session's start must be on
/// record before anything is done as the user, this refuses impersonation until the keyring is back
/// (refusals are still returned to the caller, just not recorded).
pub struct JsonlAuditLog {
    path: PathBuf,
    keys: SharedSecretStore,
    key: Mutex<Option<MacKey>>,
    /// The writer: held while a batch is appended and synced.
    lock: Mutex<()>,
    /// Records waiting for the writer, and the outcomes of batches written for threads still waiting.
    queue: Mutex<Queue>,
    /// Batches synced to disk so far (tests and benchmarks count the syncs a command costs).
    syncs: std::sync::atomic::AtomicU64,
    /// Whether this instance created the file with an unsynced record, so the directory entry still has to
    /// be synced with the next synced batch.
    dir_unsynced: std::sync::atomic::AtomicBool,
}

/// The group-commit queue (see [`JsonlAuditLog`]).
#[derive(Default)]
struct Queue {
    next_ticket: u64,
    /// Each queued record, and whether its writer waits for the disk.
    pending: Vec<(u64, AuditEntry, bool)>,
    /// The outcome of each written ticket whose thread has not picked it up yet (an error's message).
    done: std::collections::HashMap<u64, std::result::Result<(), String>>,
}

impl std::fmt::Debug for JsonlAuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonlAuditLog")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl JsonlAuditLog {
    /// A log at `path` whose MAC key lives in `keys` under [`AUDIT_KEY_ACCOUNT`].
    pub fn new(path: PathBuf, keys: SharedSecretStore) -> Self {
        JsonlAuditLog {
            path,
            keys,
            key: Mutex::new(None),
            lock: Mutex::new(()),
            queue: Mutex::new(Queue::default()),
            syncs: std::sync::atomic::AtomicU64::new(0),
            dir_unsynced: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// How many times this instance has synced records to disk (one per batch; see group commit above).
    pub fn sync_count(&self) -> u64 {
        self.syncs.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// `audit.jsonl` in the data dir.
    pub fn default_path() -> PathBuf {
        crate::paths::data_dir().join("audit.jsonl")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks the whole file against this log's key. See [`verify_audit_log`].
    pub fn verify(&self) -> Result<AuditVerification> {
        verify_audit_log(&self.path, self.keys.as_ref())
    }

    /// The key, read (or created) once per process. Called with the file lock held, so two processes
    /// starting on an empty keyring cannot each create a different key.
    fn key(&self) -> Result<MacKey> {
        let mut cached = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(k) = cached.as_ref() {
            return Ok(k.clone());
        }
        let key = match load_key(self.keys.as_ref())? {
            Some(k) => k,
            None => {
                let (key, stored) = MacKey::generate();
                self.keys
                    .set(AUDIT_KEY_ACCOUNT, &stored)
                    .map_err(key_error)?;
                key
            }
        };
        *cached = Some(key.clone());
        Ok(key)
    }

    /// Starts [`JsonlAuditLog::ready`] on a thread of its own and returns at once: reading the key from the
    /// OS keyring takes several D-Bus round trips (milliseconds, more on a busy desktop), which can then
    /// overlap the first requests to Sigma. A later `ready` or `record` waits for it (they take the same
    /// locks) and gets its answer: the key, or why there is none.
    pub fn warm_up(self: &Arc<Self>) {
        // A copy in the kernel keyring cache (secret_store.rs) is read in microseconds: no thread for that.
        // Only a key that exists is cached, so nothing is created here and the file lock is not needed.
        if let Some(key) = self
            .keys
            .get_cached(AUDIT_KEY_ACCOUNT)
            .and_then(|stored| MacKey::parse(&stored).ok())
        {
            *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
            return;
        }
        let log = self.clone();
        let spawned = std::thread::Builder::new()
            .name("audit-key".into())
            .spawn(move || {
                // The outcome is cached (the key) or found again by the caller's own `ready`.
                let _ = log.ready();
            });
        if let Err(e) = spawned {
            tracing::debug!(error = %e, "no thread for the audit key; it is read when first needed");
        }
    }

    /// Makes sure records can be signed — reads the key, or creates it, under the file lock — without
    /// writing a record, so a caller can refuse before doing anything it would have to record (the CLI checks
    /// this before the token exchange).
    pub fn ready(&self) -> Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _file = self
            .open_locked()
            .map_err(|e| CoreError::Audit(format!("{}: {e}", self.path.display())))?;
        self.key().map(|_| ())
    }

    /// The log file, created with mode 0600 (an existing one tightened to it), opened for appending and
    /// locked; the lock goes when the file is dropped.
    fn open_locked(&self) -> std::io::Result<std::fs::File> {
        let mut options = std::fs::OpenOptions::new();
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        // The directory is made only when it is missing (the first record on this machine), not before
        // every record: two system calls per record saved on the path every request takes.
        let file = match options.open(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = self.path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                options.open(&self.path)?
            }
            other => other?,
        };
        // A log created by an older version (or by hand) may be readable by others: tighten it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = file.metadata()?.permissions().mode();
            if mode & 0o077 != 0 {
                file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
        }
        // Released when `file` is dropped. Fully qualified: std's own `File::lock` would shadow it on
        // newer toolchains.
        fs4::FileExt::lock(&file)?;
        Ok(file)
    }

    /// Appends `entries` in order as consecutive chained lines, with one write and (when `sync`) one sync,
    /// which also carries every unsynced record written before them to the disk.
    fn append(
        &self,
        entries: &[&AuditEntry],
        sync: bool,
    ) -> std::io::Result<std::result::Result<(), CoreError>> {
        let mut file = self.open_locked()?;
        let key = match self.key() {
            Ok(k) => k,
            Err(e) => return Ok(Err(e)),
        };
        let len = file.metadata()?.len();
        let tail = read_tail(&mut file, len)?;
        let mut lines = Vec::with_capacity(entries.len() * 512);
        if tail.torn {
            // The file ends inside a line: a write that never completed, so never acknowledged. End that
            // fragment here; the next record's `prev` is its hash, so the chain vouches for where it was
            // found and `verify` reports it as an interrupted write.
            lines.push(b'\n');
        }
        let mut prev = tail.prev;
        for (i, entry) in entries.iter().enumerate() {
            let out = ChainedLine {
                seq: tail.next_seq + i as u64,
                prev: &prev,
                entry,
            };
            let body = match serde_json::to_vec(&out) {
                Ok(b) => b,
                Err(e) => return Ok(Err(CoreError::Audit(e.to_string()))),
            };
            let mac = key.sign(&body);
            let start = lines.len();
            lines.extend_from_slice(&body[..body.len() - 1]);
            lines.extend_from_slice(MAC_PREFIX);
            lines.extend_from_slice(mac.as_bytes());
            lines.extend_from_slice(b"\"}");
            // The next line's `prev`: this line's exact bytes, as `read_tail` would hash them.
            prev = sha256_hex(&lines[start..]);
            lines.push(b'\n');
        }
        // One write: with O_APPEND the whole batch lands at the end. A short write (disk full) or a failed
        // sync is cut back off, so the file never keeps a record its writer reported as failed.
        let written = file.write(&lines);
        let outcome = match written {
            Ok(n) if n == lines.len() && sync => file.sync_data(),
            Ok(n) if n == lines.len() => Ok(()),
            Ok(n) => Err(std::io::Error::other(format!(
                "short write ({n} of {} bytes)",
                lines.len()
            ))),
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            let _ = file.set_len(len);
            let _ = file.sync_data();
            return Err(e);
        }
        use std::sync::atomic::Ordering::SeqCst;
        if !sync {
            if len == 0 {
                self.dir_unsynced.store(true, SeqCst);
            }
            return Ok(Ok(()));
        }
        self.syncs.fetch_add(1, SeqCst);
        // A new file's directory entry must reach the disk too, or a power cut could lose the whole log.
        #[cfg(unix)]
        if len == 0 || self.dir_unsynced.swap(false, SeqCst) {
            // Best effort: the record itself is on disk, so a failure here does not un-acknowledge it.
            if let Some(dir) = self.path.parent() {
                if let Err(e) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
                    tracing::warn!(error = %e, "could not sync the audit log's directory");
                }
            }
        }
        Ok(Ok(()))
    }
}

/// Where the next record goes: its `seq`, its `prev`, and whether the file ends inside a line.
struct Tail {
    next_seq: u64,
    prev: String,
    torn: bool,
}

/// Reads the last line of the file (growing the window from the end until it holds a whole line).
fn read_tail(file: &mut std::fs::File, len: u64) -> std::io::Result<Tail> {
    if len == 0 {
        return Ok(Tail {
            next_seq: 1,
            prev: GENESIS.to_string(),
            torn: false,
        });
    }
    let mut window: u64 = 8 * 1024;
    let buf = loop {
        let start = len.saturating_sub(window);
        let mut buf = vec![0u8; (len - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf)?;
        let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if start == 0 || body.contains(&b'\n') {
            break buf;
        }
        window *= 4;
    };
    let torn = buf.last() != Some(&b'\n');
    let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
    let last = match body.iter().rposition(|b| *b == b'\n') {
        Some(i) => &body[i + 1..],
        None => body,
    };
    let prev = sha256_hex(last);
    let last_seq = match serde_json::from_slice::<serde_json::Value>(last) {
        Ok(v) if !torn && v.get("mac").is_some() => v.get("seq").and_then(|s| s.as_u64()),
        _ => None,
    };
    let next_seq = match last_seq {
        Some(s) => s + 1,
        // The last line is a legacy entry or a fragment: number from the count of lines (once; from then
        // on the last record carries it).
        None => {
            let mut all = Vec::with_capacity(len as usize);
            file.seek(SeekFrom::Start(0))?;
            file.read_to_end(&mut all)?;
            let lines = all.iter().filter(|b| **b == b'\n').count() as u64 + u64::from(torn);
            lines + 1
        }
    };
    Ok(Tail {
        next_seq,
        prev,
        torn,
    })
}

impl AuditSink for JsonlAuditLog {
    fn record(&self, entry: &AuditEntry) -> Result<()> {
        self.submit(entry, true)
    }

    fn record_unsynced(&self, entry: &AuditEntry) -> Result<()> {
        self.submit(entry, false)
    }

    fn ready(&self) -> Result<()> {
        JsonlAuditLog::ready(self)
    }
}

impl JsonlAuditLog {
    /// Queues `entry` and waits until a writer (this thread or another) has appended it, synced when any
    /// record of its batch asks for that.
    fn submit(&self, entry: &AuditEntry, sync: bool) -> Result<()> {
        let ticket = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.next_ticket += 1;
            let ticket = queue.next_ticket;
            queue.pending.push((ticket, entry.clone(), sync));
            ticket
        };
        // Whoever holds the writer appends everything queued by then: this record too, unless a writer
        // that took the lock after it was queued already did.
        let _writer = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let batch = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(outcome) = queue.done.remove(&ticket) {
                return outcome.map_err(CoreError::Audit);
            }
            std::mem::take(&mut queue.pending)
        };
        if !batch.iter().any(|(t, _, _)| *t == ticket) {
            // Only if a writer panicked after taking this record and before publishing its outcome: it may
            // or may not be in the file, so it is not acknowledged.
            return Err(CoreError::Audit(format!(
                "{}: the record's writer failed",
                self.path.display()
            )));
        }
        let entries: Vec<&AuditEntry> = batch.iter().map(|(_, e, _)| e).collect();
        let outcome = match self.append(&entries, batch.iter().any(|(_, _, sync)| *sync)) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(CoreError::Audit(why))) => Err(why),
            Ok(Err(other)) => Err(other.to_string()),
            Err(e) => Err(format!("{}: {e}", self.path.display())),
        };
        // Published before the writer lock is released, so a thread whose record was in this batch finds
        // its outcome as soon as it gets the lock.
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        for (t, _, _) in &batch {
            if *t != ticket {
                queue.done.insert(*t, outcome.clone());
            }
        }
        outcome.map_err(CoreError::Audit)
    }
}

/// What is wrong at the first bad line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AuditProblemKind {
    /// The line's contents do not match its MAC, or it is no longer a readable record.
    Edited,
    /// Records are missing before this line.
    Deleted,
    /// This line holds a record that belongs elsewhere (swapped, moved or duplicated).
    Reordered,
    /// The file ends inside a record.
    Truncated,
    /// The previous line is not the one this record was chained to.
    ChainBroken,
    /// A line without a MAC after the chain began.
    Unsigned,
    /// No record's MAC matches the key in the keyring.
    WrongKey,
    /// The log is signed but the keyring holds no audit key.
    KeyMissing,
}

impl AuditProblemKind {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditProblemKind::Edited => "edited",
            AuditProblemKind::Deleted => "deleted",
            AuditProblemKind::Reordered => "reordered",
            AuditProblemKind::Truncated => "truncated",
            AuditProblemKind::ChainBroken => "chainBroken",
            AuditProblemKind::Unsigned => "unsigned",
            AuditProblemKind::WrongKey => "wrongKey",
            AuditProblemKind::KeyMissing => "keyMissing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditProblem {
    /// 1-based line number in the file.
    pub line: u64,
    pub kind: AuditProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AuditVerifyStatus {
    /// Every chained record checks (an empty log too).
    Intact,
    /// Only records from before the chain existed: nothing to check them against.
    Legacy,
    /// See `problem`.
    Broken,
}

impl AuditVerifyStatus {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditVerifyStatus::Intact => "intact",
            AuditVerifyStatus::Legacy => "legacy",
            AuditVerifyStatus::Broken => "broken",
        }
    }
}

/// The result of [`verify_audit_log`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerification {
    pub status: AuditVerifyStatus,
    /// Chained records that checked out (before the problem, if any).
    pub records: u64,
    /// Records written before the chain existed (at the top of the file; not covered).
    pub legacy_records: u64,
    /// Lines holding the fragment of a write that was interrupted (never acknowledged) and that the next
    /// record sealed into the chain.
    pub interrupted_lines: Vec<u64>,
    /// The first thing wrong.
    pub problem: Option<AuditProblem>,
    /// SHA-256 of the last line: note it to detect later removal of whole records from the end, which no
    /// chain can show by itself.
    pub head: Option<String>,
}

impl AuditVerification {
    pub fn is_intact(&self) -> bool {
        self.status == AuditVerifyStatus::Intact
    }

    /// One line for people: "intact, N records", "N legacy records without a chain", or the problem.
    pub fn summary(&self) -> String {
        let mut s = match (&self.problem, self.status) {
            (Some(p), _) => format!("NOT intact: line {}: {}", p.line, p.message),
            (None, AuditVerifyStatus::Legacy) => {
                format!("{} legacy records without a chain (written before records were signed; nothing to check)", self.legacy_records)
            }
            (None, _) => format!("intact, {} records", self.records),
        };
        if self.problem.is_none()
            && self.status == AuditVerifyStatus::Intact
            && self.legacy_records > 0
        {
            s.push_str(&format!(
                " (plus {} legacy records without a chain before them, not covered)",
                self.legacy_records
            ));
        }
        if !self.interrupted_lines.is_empty() {
            let lines: Vec<String> = self.interrupted_lines.iter().map(u64::to_string).collect();
            s.push_str(&format!(
                "; interrupted write (never acknowledged) at line {}",
                lines.join(", ")
            ));
        }
        s
    }
}

/// Checks the audit log at `path` against the MAC key in `keys` (never creating one): every chained line's
/// MAC, that its `seq` is its line number, and that its `prev` is the hash of the line before. Stops at the
/// first problem. A missing file is an intact, empty log.
///
/// A file that ends inside a line is reported as truncated: the cut-off record was never acknowledged if
/// a writer was killed mid-write (every acknowledged record before it still checks), but a file cut by
/// hand looks the same, so it is not passed as intact. Whole records removed from the end leave a shorter
/// chain that checks; compare `head` with one noted earlier to catch that.
pub fn verify_audit_log(path: &Path, keys: &dyn SecretStore) -> Result<AuditVerification> {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(CoreError::Storage {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
        }
    };
    let torn = !data.is_empty() && data.last() != Some(&b'\n');
    let mut lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    if !torn {
        // The empty piece after the final newline (or of an empty file).
        lines.pop();
    }
    let mut out = AuditVerification {
        status: AuditVerifyStatus::Intact,
        records: 0,
        legacy_records: 0,
        interrupted_lines: Vec::new(),
        problem: None,
        head: lines.last().map(|l| sha256_hex(l)),
    };
    // The key is read only when there is something signed to check.
    // Any line with a `mac` field counts, well-formed or not: a mangled MAC must be reported as an edit,
    // not as "no key".
    let signed = lines.iter().any(|l| {
        matches!(serde_json::from_slice::<serde_json::Value>(l), Ok(v) if v.get("mac").is_some())
    });
    // Keyring errors keep their own words here (nothing is being written).
    let key = match signed {
        true => match keys.get(AUDIT_KEY_ACCOUNT)? {
            Some(stored) => Some(MacKey::parse(&stored).map_err(|_| CoreError::Storage {
                path: format!("the OS keyring (account '{AUDIT_KEY_ACCOUNT}')"),
                reason: "the stored audit key is malformed".into(),
            })?),
            None => None,
        },
        false => None,
    };
    let parsed: Vec<Line> = lines.iter().map(|l| classify(l, key.as_ref())).collect();
    let n = lines.len();
    let mut chain_started = false;
    let problem = |line: usize, kind: AuditProblemKind, message: String| AuditProblem {
        line: line as u64,
        kind,
        message,
    };
    for i in 0..n {
        let line_no = i + 1;
        if torn && i == n - 1 {
            out.problem = Some(problem(
                line_no,
                AuditProblemKind::Truncated,
                "the file ends inside this record (cut off): either a write was interrupted before it was acknowledged, or the file was truncated".into(),
            ));
            break;
        }
        match &parsed[i] {
            Line::Junk => {
                // A fragment sealed by the next record: that record's writer found it at the end of the
                // file and chained to it.
                let sealed = matches!(
                    parsed.get(i + 1),
                    Some(Line::Chained { prev: Some(p), mac_ok: true, .. }) if *p == sha256_hex(lines[i])
                );
                if sealed {
                    out.interrupted_lines.push(line_no as u64);
                    continue;
                }
                out.problem = Some(problem(
                    line_no,
                    AuditProblemKind::Edited,
                    "not a readable record (edited or damaged)".into(),
                ));
                break;
            }
            Line::Legacy => {
                if chain_started {
                    out.problem = Some(problem(
                        line_no,
                        AuditProblemKind::Unsigned,
                        "a record without a MAC inside the chain (inserted, or its MAC removed)"
                            .into(),
                    ));
                    break;
                }
                out.legacy_records += 1;
            }
            Line::Chained { seq, prev, mac_ok } => {
                if key.is_none() {
                    out.problem = Some(problem(
                        line_no,
                        AuditProblemKind::KeyMissing,
                        format!("the log is signed, but the OS keyring holds no audit key (account '{AUDIT_KEY_ACCOUNT}') to check it with"),
                    ));
                    break;
                }
                if !mac_ok {
                    let any_ok = parsed
                        .iter()
                        .any(|l| matches!(l, Line::Chained { mac_ok: true, .. }));
                    out.problem = Some(if !chain_started && !any_ok {
                        problem(line_no, AuditProblemKind::WrongKey, "no record's MAC matches the audit key in the OS keyring: the key was changed, the log was signed with another key, or every record was edited".into())
                    } else {
                        problem(
                            line_no,
                            AuditProblemKind::Edited,
                            "edited: the record does not match its MAC".into(),
                        )
                    });
                    break;
                }
                let want = line_no as u64;
                match *seq {
                    Some(s) if s == want => {}
                    Some(s) if s > want => {
                        let later = parsed.iter().enumerate().skip(i + 1).find(|(_, l)| {
                            matches!(l, Line::Chained { seq: Some(x), mac_ok: true, .. } if *x == want)
                        });
                        out.problem = Some(match later {
                            Some((j, _)) => problem(line_no, AuditProblemKind::Reordered, format!("out of order: holds record {s}, and record {want} is at line {}", j + 1)),
                            None if s == want + 1 => problem(line_no, AuditProblemKind::Deleted, format!("record {want} is missing before this line (deleted)")),
                            None => problem(line_no, AuditProblemKind::Deleted, format!("records {want} to {} are missing before this line (deleted)", s - 1)),
                        });
                        break;
                    }
                    Some(s) => {
                        let earlier = parsed[..i].iter().position(
                            |l| matches!(l, Line::Chained { seq: Some(x), .. } if *x == s),
                        );
                        out.problem = Some(match earlier {
                            Some(j) => problem(
                                line_no,
                                AuditProblemKind::Reordered,
                                format!("a copy of record {s} (line {})", j + 1),
                            ),
                            None => problem(
                                line_no,
                                AuditProblemKind::Reordered,
                                format!(
                                    "out of order: holds record {s}, which belongs at line {s}"
                                ),
                            ),
                        });
                        break;
                    }
                    None => {
                        out.problem = Some(problem(
                            line_no,
                            AuditProblemKind::Edited,
                            "edited: the record has no sequence number".into(),
                        ));
                        break;
                    }
                }
                let expected = if i == 0 {
                    GENESIS.to_string()
                } else {
                    sha256_hex(lines[i - 1])
                };
                if prev.as_deref() != Some(expected.as_str()) {
                    out.problem = Some(problem(
                        line_no,
                        AuditProblemKind::ChainBroken,
                        format!("the hash chain is broken: line {} is not the line this record followed (changed, inserted or removed)", line_no.saturating_sub(1)),
                    ));
                    break;
                }
                chain_started = true;
                out.records += 1;
            }
        }
    }
    out.status = if out.problem.is_some() {
        AuditVerifyStatus::Broken
    } else if out.records == 0 && out.legacy_records > 0 {
        AuditVerifyStatus::Legacy
    } else {
        AuditVerifyStatus::Intact
    };
    Ok(out)
}

/// What reading the log found: the entries, and how many lines could not be read (kept in the file).
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRead {
    pub entries: Vec<AuditEntry>,
    pub unreadable_lines: usize,
}

/// Reads an audit log; a missing file is an empty log.
pub fn read_audit_log(path: &Path) -> Result<AuditRead> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AuditRead::default()),
        Err(e) => {
            return Err(CoreError::Storage {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
        }
    };
    let mut read = AuditRead::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(e) => read.entries.push(e),
            Err(_) => read.unreadable_lines += 1,
        }
    }
    Ok(read)
}

/// An audit sink that keeps entries in memory (tests, and the UI's live view).
#[derive(Debug, Default, Clone)]
pub struct MemoryAuditSink(Arc<Mutex<Vec<AuditEntry>>>);

impl MemoryAuditSink {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn entries(&self) -> Vec<AuditEntry> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl AuditSink for MemoryAuditSink {
    fn record(&self, entry: &AuditEntry) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(entry.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_store::MemorySecretStore;

    fn entry(n: usize) -> AuditEntry {
        let mut e = AuditEntry::new(
            AuditEvent::Request,
            OffsetDateTime::now_utc(),
            "p",
            "admin@x.co",
            "tom@x.co",
        );
        e.method = Some("GET".into());
        e.path = Some(format!("/v2/files/{n}"));
        e.phase = Some(RequestPhase::Sent);
        e
    }

    /// A log of `n` records in a temp dir, with its key store.
    fn log_of(n: usize) -> (tempfile::TempDir, JsonlAuditLog, MemorySecretStore) {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemorySecretStore::new();
        let log = JsonlAuditLog::new(dir.path().join("audit.jsonl"), Arc::new(keys.clone()));
        for i in 0..n {
            log.record(&entry(i)).unwrap();
        }
        (dir, log, keys)
    }

    fn lines(log: &JsonlAuditLog) -> Vec<String> {
        std::fs::read_to_string(log.path())
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn write_lines(log: &JsonlAuditLog, lines: &[String]) {
        std::fs::write(log.path(), lines.join("\n") + "\n").unwrap();
    }

    fn problem(log: &JsonlAuditLog) -> AuditProblem {
        let v = log.verify().unwrap();
        assert_eq!(v.status, AuditVerifyStatus::Broken, "{}", v.summary());
        v.problem.unwrap()
    }

    #[test]
    fn appends_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = JsonlAuditLog::new(
            dir.path().join("sub/audit.jsonl"),
            Arc::new(MemorySecretStore::new()),
        );
        let now = OffsetDateTime::now_utc();
        let mut e = AuditEntry::new(AuditEvent::Start, now, "p", "admin@x.co", "tom@x.co");
        e.reason = Some("TICKET-1".into());
        log.record(&e).unwrap();
        log.record(&entry(1)).unwrap();
        // A damaged line is skipped on read, not lost from the file.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap();
        f.write_all(b"{broken\n").unwrap();
        let read = read_audit_log(log.path()).unwrap();
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[0], e);
        assert_eq!(read.entries[1].phase, Some(RequestPhase::Sent));
        assert_eq!(read.unreadable_lines, 1);
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(text
            .lines()
            .next()
            .unwrap()
            .contains("\"event\":\"impersonation.start\""));
        // ...and verify names it.
        let p = problem(&log);
        assert_eq!((p.line, p.kind), (3, AuditProblemKind::Edited));
    }

    #[test]
    fn a_review_id_is_kept_and_older_records_are_unchanged() {
        // Without a review ID the line has no `reviewId` key at all: older logs read and verify as before.
        let plain = serde_json::to_string(&entry(1)).unwrap();
        assert!(!plain.contains("reviewId"), "{plain}");
        let back: AuditEntry = serde_json::from_str(&plain).unwrap();
        assert_eq!(back.review_id, None);
        let mut reviewed = entry(2);
        reviewed.review_id = Some("rev-1".into());
        let line = serde_json::to_string(&reviewed).unwrap();
        assert!(line.contains("\"reviewId\":\"rev-1\""), "{line}");
        let (_dir, log, keys) = log_of(2);
        log.record(&reviewed).unwrap();
        let v = verify_audit_log(log.path(), &keys).unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        let read = read_audit_log(log.path()).unwrap().entries;
        assert_eq!(read.len(), 3);
        assert_eq!(read[2].review_id.as_deref(), Some("rev-1"));
        assert_eq!(read[0].review_id, None);
    }

    #[test]
    fn records_are_chained_signed_and_private() {
        let (_dir, log, keys) = log_of(5);
        let v = log.verify().unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!(v.records, 5);
        assert_eq!(v.summary(), "intact, 5 records");
        let ls = lines(&log);
        let first: serde_json::Value = serde_json::from_str(&ls[0]).unwrap();
        assert_eq!(first["seq"], 1);
        assert_eq!(first["prev"], GENESIS);
        let third: serde_json::Value = serde_json::from_str(&ls[2]).unwrap();
        assert_eq!(third["seq"], 3);
        assert_eq!(third["prev"], sha256_hex(ls[1].as_bytes()));
        assert_eq!(third["mac"].as_str().unwrap().len(), 64);
        assert_eq!(v.head, Some(sha256_hex(ls[4].as_bytes())));
        // The key was made on first use, is in the store only, and in no line of the file.
        let stored = keys.get(AUDIT_KEY_ACCOUNT).unwrap().expect("a key");
        assert!(!std::fs::read_to_string(log.path())
            .unwrap()
            .contains(stored.expose()));
        assert!(!format!("{log:?}").contains(stored.expose()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_looser_existing_file_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, log, _) = log_of(0);
        std::fs::write(log.path(), b"").unwrap();
        std::fs::set_permissions(log.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        log.record(&entry(0)).unwrap();
        let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn an_edited_record_is_named() {
        let (_dir, log, _) = log_of(5);
        let mut ls = lines(&log);
        ls[2] = ls[2].replace("tom@x.co", "ann@x.co");
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!(
            (p.line, p.kind),
            (3, AuditProblemKind::Edited),
            "{}",
            p.message
        );
        assert_eq!(log.verify().unwrap().records, 2);
    }

    #[test]
    fn a_deleted_record_is_named() {
        let (_dir, log, _) = log_of(5);
        let mut ls = lines(&log);
        ls.remove(2);
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!((p.line, p.kind), (3, AuditProblemKind::Deleted));
        assert_eq!(p.message, "record 3 is missing before this line (deleted)");
    }

    #[test]
    fn swapped_records_are_named() {
        let (_dir, log, _) = log_of(5);
        let mut ls = lines(&log);
        ls.swap(2, 3);
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!((p.line, p.kind), (3, AuditProblemKind::Reordered));
        assert_eq!(
            p.message,
            "out of order: holds record 4, and record 3 is at line 4"
        );
    }

    #[test]
    fn a_duplicated_record_is_named() {
        let (_dir, log, _) = log_of(3);
        let mut ls = lines(&log);
        ls.push(ls[1].clone());
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!((p.line, p.kind), (4, AuditProblemKind::Reordered));
        assert_eq!(p.message, "a copy of record 2 (line 2)");
    }

    #[test]
    fn a_truncated_file_is_named() {
        let (_dir, log, _) = log_of(5);
        let len = std::fs::metadata(log.path()).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(log.path())
            .unwrap()
            .set_len(len - 10)
            .unwrap();
        let v = log.verify().unwrap();
        let p = v.problem.clone().unwrap();
        assert_eq!((p.line, p.kind), (5, AuditProblemKind::Truncated));
        // Every record before the cut still checks.
        assert_eq!(v.records, 4);
    }

    #[test]
    fn a_changed_key_is_named() {
        let (_dir, log, keys) = log_of(3);
        let (_, other) = MacKey::generate();
        keys.set(AUDIT_KEY_ACCOUNT, &other).unwrap();
        let fresh = JsonlAuditLog::new(log.path().to_path_buf(), Arc::new(keys.clone()));
        let p = problem(&fresh);
        assert_eq!((p.line, p.kind), (1, AuditProblemKind::WrongKey));
        // A missing key is said as such.
        keys.delete(AUDIT_KEY_ACCOUNT).unwrap();
        let p = problem(&fresh);
        assert_eq!((p.line, p.kind), (1, AuditProblemKind::KeyMissing));
    }

    #[test]
    fn a_mangled_mac_is_an_edit_even_on_the_only_record() {
        let (_dir, log, _) = log_of(1);
        let mut ls = lines(&log);
        ls[0] = ls[0].replace("\"mac\":\"", "\"mac\":\"00");
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!(
            (p.line, p.kind),
            (1, AuditProblemKind::WrongKey),
            "{}",
            p.message
        );
        // With a good record after it, the same damage reads as an edit of that line.
        let (_dir, log, _) = log_of(2);
        let mut ls = lines(&log);
        ls[0] = ls[0].replace("\"mac\":\"", "\"mac\":\"00");
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!(
            (p.line, p.kind),
            (1, AuditProblemKind::Edited),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_record_inserted_with_a_forged_mac_or_none_is_named() {
        let (_dir, log, _) = log_of(3);
        let mut ls = lines(&log);
        // An old-format line slipped into the chain.
        let legacy = serde_json::to_string(&entry(9)).unwrap();
        ls.insert(2, legacy);
        write_lines(&log, &ls);
        let p = problem(&log);
        assert_eq!((p.line, p.kind), (3, AuditProblemKind::Unsigned));
    }

    #[test]
    fn legacy_logs_are_reported_not_rejected_and_the_chain_continues_after_them() {
        let (_dir, log, _) = log_of(0);
        let old: Vec<String> = (0..3)
            .map(|i| {
                let mut e = entry(i);
                e.phase = None;
                serde_json::to_string(&e).unwrap()
            })
            .collect();
        write_lines(&log, &old);
        let v = log.verify().unwrap();
        assert_eq!(v.status, AuditVerifyStatus::Legacy);
        assert_eq!(
            v.summary(),
            "3 legacy records without a chain (written before records were signed; nothing to check)"
        );
        log.record(&entry(3)).unwrap();
        log.record(&entry(4)).unwrap();
        let v = log.verify().unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!((v.records, v.legacy_records), (2, 3));
        let fourth: serde_json::Value = serde_json::from_str(&lines(&log)[3]).unwrap();
        assert_eq!(fourth["seq"], 4);
        assert_eq!(read_audit_log(log.path()).unwrap().entries.len(), 5);
    }

    #[test]
    fn an_interrupted_write_is_sealed_by_the_next_record() {
        let (_dir, log, _) = log_of(2);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap();
        f.write_all(b"{\"seq\":3,\"prev\":\"ab").unwrap();
        drop(f);
        let p = problem(&log);
        assert_eq!((p.line, p.kind), (3, AuditProblemKind::Truncated));
        log.record(&entry(3)).unwrap();
        let v = log.verify().unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!(v.records, 3);
        assert_eq!(v.interrupted_lines, vec![3]);
        assert_eq!(lines(&log).len(), 4);
    }

    #[test]
    fn names_match_their_serialised_form() {
        use AuditProblemKind::*;
        for k in [
            Edited,
            Deleted,
            Reordered,
            Truncated,
            ChainBroken,
            Unsigned,
            WrongKey,
            KeyMissing,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for s in [
            AuditVerifyStatus::Intact,
            AuditVerifyStatus::Legacy,
            AuditVerifyStatus::Broken,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn an_empty_or_missing_log_is_intact() {
        let (_dir, log, keys) = log_of(0);
        let v = log.verify().unwrap();
        assert!(v.is_intact());
        assert_eq!(v.summary(), "intact, 0 records");
        // Verifying never creates a key.
        assert!(keys.get(AUDIT_KEY_ACCOUNT).unwrap().is_none());
    }

    struct NoKeyring;
    impl SecretStore for NoKeyring {
        fn set(&self, _: &str, _: &Secret) -> Result<()> {
            Err(CoreError::KeyringUnavailable(
                "no Secret Service on the bus".into(),
            ))
        }
        fn get(&self, _: &str) -> Result<Option<Secret>> {
            Err(CoreError::KeyringUnavailable(
                "no Secret Service on the bus".into(),
            ))
        }
        fn delete(&self, _: &str) -> Result<()> {
            Err(CoreError::KeyringUnavailable(
                "no Secret Service on the bus".into(),
            ))
        }
    }

    #[test]
    fn without_a_keyring_nothing_is_written_and_the_error_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let log = JsonlAuditLog::new(dir.path().join("audit.jsonl"), Arc::new(NoKeyring));
        let err = log.record(&entry(0)).unwrap_err();
        assert!(matches!(err, CoreError::Audit(_)), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("keyring is not available"), "{msg}");
        assert!(msg.contains("nothing was done as the user"), "{msg}");
        assert_eq!(std::fs::read(log.path()).unwrap_or_default().len(), 0);
    }

    #[test]
    fn ready_makes_the_key_once_and_fails_without_a_keyring() {
        let (_dir, log, keys) = log_of(0);
        log.ready().unwrap();
        let key = keys
            .get(AUDIT_KEY_ACCOUNT)
            .unwrap()
            .expect("made on first use");
        log.ready().unwrap();
        log.record(&entry(0)).unwrap();
        assert_eq!(keys.get(AUDIT_KEY_ACCOUNT).unwrap(), Some(key));
        assert!(log.verify().unwrap().is_intact());
        let dir = tempfile::tempdir().unwrap();
        let none = JsonlAuditLog::new(dir.path().join("audit.jsonl"), Arc::new(NoKeyring));
        assert!(matches!(none.ready(), Err(CoreError::Audit(_))));
    }

    #[test]
    fn a_malformed_stored_key_is_refused_without_quoting_it() {
        let (_dir, log, keys) = log_of(0);
        keys.set(AUDIT_KEY_ACCOUNT, &Secret::new("not-base64-key-material!"))
            .unwrap();
        let msg = log.record(&entry(0)).unwrap_err().to_string();
        assert!(msg.contains("malformed"), "{msg}");
        assert!(!msg.contains("not-base64-key-material"), "{msg}");
    }

    #[test]
    fn separate_instances_on_threads_append_without_breaking_the_chain() {
        let (_dir, log, keys) = log_of(1);
        let path = log.path().to_path_buf();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let path = path.clone();
                let keys = keys.clone();
                std::thread::spawn(move || {
                    // Its own instance: only the file lock keeps the writers apart.
                    let log = JsonlAuditLog::new(path, Arc::new(keys));
                    for i in 0..50 {
                        log.record(&entry(1000 + t * 100 + i)).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let v = log.verify().unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!(v.records, 201);
        let paths: std::collections::HashSet<String> = read_audit_log(&path)
            .unwrap()
            .entries
            .into_iter()
            .filter_map(|e| e.path)
            .collect();
        assert_eq!(paths.len(), 201);
    }

    /// Starts `n` threads that each record one entry while the writer lock is held here, and waits until
    /// all `n` records are queued behind it; releasing the returned guard lets them be written.
    fn queued_behind_the_writer(
        log: &Arc<JsonlAuditLog>,
        n: usize,
    ) -> (
        std::sync::MutexGuard<'_, ()>,
        Vec<std::thread::JoinHandle<Result<()>>>,
    ) {
        let writer = log.lock.lock().unwrap();
        let threads: Vec<_> = (0..n)
            .map(|i| {
                let log = log.clone();
                std::thread::spawn(move || log.record(&entry(500 + i)))
            })
            .collect();
        let started = std::time::Instant::now();
        while log.queue.lock().unwrap().pending.len() < n {
            assert!(started.elapsed() < std::time::Duration::from_secs(10));
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        (writer, threads)
    }

    #[test]
    fn records_queued_at_once_share_one_write_and_one_sync() {
        let (dir, log, keys) = log_of(2);
        let log = Arc::new(log);
        assert_eq!(log.sync_count(), 2, "one sync per record written alone");
        let (writer, threads) = queued_behind_the_writer(&log, 8);
        drop(writer);
        for t in threads {
            t.join().unwrap().unwrap();
        }
        // Eight records, every one acknowledged, with a single sync between them.
        assert_eq!(log.sync_count(), 3);
        let v = log.verify().unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!(v.records, 10);
        let paths: std::collections::HashSet<String> = read_audit_log(log.path())
            .unwrap()
            .entries
            .into_iter()
            .filter_map(|e| e.path)
            .collect();
        assert_eq!(paths.len(), 10);
        // And another instance (another process) goes on from where the batch ended.
        let other = JsonlAuditLog::new(dir.path().join("audit.jsonl"), Arc::new(keys));
        other.record(&entry(99)).unwrap();
        assert!(other.verify().unwrap().is_intact());
    }

    #[test]
    fn an_unsynced_record_reaches_the_disk_with_the_next_synced_one() {
        use std::sync::atomic::Ordering::SeqCst;
        let dir = tempfile::tempdir().unwrap();
        let keys = MemorySecretStore::new();
        let log = JsonlAuditLog::new(dir.path().join("audit.jsonl"), Arc::new(keys.clone()));
        log.record_unsynced(&entry(0)).unwrap();
        assert_eq!(log.sync_count(), 0);
        // It created the file, so the directory entry waits for the next sync too.
        assert!(log.dir_unsynced.load(SeqCst));
        // Written already: another reader (or this process after a crash) sees it.
        assert_eq!(read_audit_log(log.path()).unwrap().entries.len(), 1);
        log.record(&entry(1)).unwrap();
        assert_eq!(log.sync_count(), 1, "one sync for both");
        assert!(!log.dir_unsynced.load(SeqCst));
        log.record_unsynced(&entry(2)).unwrap();
        log.record(&entry(3)).unwrap();
        assert_eq!(log.sync_count(), 2);
        let v = log.verify().unwrap();
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!(v.records, 4);
        // A sink without the distinction records it as `record` does.
        let memory = MemoryAuditSink::new();
        memory.record_unsynced(&entry(4)).unwrap();
        assert_eq!(memory.entries().len(), 1);
    }

    #[test]
    fn a_batch_that_cannot_be_written_fails_every_record_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let log = Arc::new(JsonlAuditLog::new(
            dir.path().join("audit.jsonl"),
            Arc::new(NoKeyring),
        ));
        let (writer, threads) = queued_behind_the_writer(&log, 4);
        drop(writer);
        for t in threads {
            let err = t.join().unwrap().unwrap_err();
            assert!(
                err.to_string().contains("keyring is not available"),
                "{err}"
            );
        }
        assert_eq!(log.sync_count(), 0);
        assert_eq!(std::fs::read(log.path()).unwrap_or_default().len(), 0);
    }

    #[test]
    fn a_batch_after_a_torn_line_chains_from_the_fragment() {
        let (_dir, log, _keys) = log_of(1);
        // A write that never completed: half a line at the end of the file.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap();
        f.write_all(b"{\"seq\":2,\"prev\":\"ab").unwrap();
        drop(f);
        let log = Arc::new(log);
        let (writer, threads) = queued_behind_the_writer(&log, 3);
        drop(writer);
        for t in threads {
            t.join().unwrap().unwrap();
        }
        let v = log.verify().unwrap();
        // The fragment is reported as the interrupted write it is; the three records after it chain on.
        assert!(v.is_intact(), "{}", v.summary());
        assert_eq!(v.records, 4);
        assert_eq!(v.interrupted_lines, vec![2]);
        // One for the record before the fragment, one for the whole batch after it.
        assert_eq!(log.sync_count(), 2);
    }
}
