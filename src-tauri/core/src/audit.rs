//! The local audit log: every impersonation start, stop, expiry, refusal and request made as a user, as
//! append-only JSON lines in the data dir. The sink is a trait so the app, the CLI and tests can each put it
//! where they need (and a hash-chained sink can replace this one without touching callers).

use crate::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

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
}

impl AuditEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Start => "impersonation.start",
            AuditEvent::Stop => "impersonation.stop",
            AuditEvent::Expired => "impersonation.expired",
            AuditEvent::Refused => "impersonation.refused",
            AuditEvent::Request => "impersonation.request",
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
        }
    }
}

pub trait AuditSink: Send + Sync {
    fn record(&self, entry: &AuditEntry) -> Result<()>;
}

pub type SharedAuditSink = Arc<dyn AuditSink>;

/// Append-only JSON lines. Each entry is one `write` of one line to a file opened with `O_APPEND`, so
/// concurrent writers (the app and the CLI) interleave whole lines.
#[derive(Debug)]
pub struct JsonlAuditLog {
    path: PathBuf,
    lock: Mutex<()>,
}

impl JsonlAuditLog {
    pub fn new(path: PathBuf) -> Self {
        JsonlAuditLog {
            path,
            lock: Mutex::new(()),
        }
    }

    /// `audit.jsonl` in the data dir.
    pub fn default_path() -> PathBuf {
        crate::paths::data_dir().join("audit.jsonl")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl AuditSink for JsonlAuditLog {
    fn record(&self, entry: &AuditEntry) -> Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let fail =
            |e: &dyn std::fmt::Display| CoreError::Audit(format!("{}: {e}", self.path.display()));
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        }
        let mut line = serde_json::to_string(entry).map_err(|e| fail(&e))?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| fail(&e))?;
        file.write_all(line.as_bytes()).map_err(|e| fail(&e))?;
        file.flush().map_err(|e| fail(&e))
    }
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

    #[test]
    fn appends_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = JsonlAuditLog::new(dir.path().join("sub/audit.jsonl"));
        let now = OffsetDateTime::now_utc();
        let mut e = AuditEntry::new(AuditEvent::Start, now, "p", "admin@x.co", "tom@x.co");
        e.reason = Some("TICKET-1".into());
        log.record(&e).unwrap();
        log.record(&AuditEntry::new(
            AuditEvent::Stop,
            now,
            "p",
            "admin@x.co",
            "tom@x.co",
        ))
        .unwrap();
        // A damaged line is skipped on read, not lost from the file.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap();
        f.write_all(b"{broken\n").unwrap();
        let read = read_audit_log(log.path()).unwrap();
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[0], e);
        assert_eq!(read.unreadable_lines, 1);
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(text
            .lines()
            .next()
            .unwrap()
            .contains("\"event\":\"impersonation.start\""));
    }
}
