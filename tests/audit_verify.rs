//! The audit log through the app's commands: requests made as the user are recorded before they are sent
//! and after, and `verify_audit` says "intact" or names the first damaged line.

use stand_in::commands::{audit, session};
use stand_in::dto::*;
use stand_in::state::{AppConfig, AppState, EventSink};
use standin_core::audit::{
    AuditEntry, AuditEvent, AuditSink, MemoryAuditSink, RequestPhase, SharedAuditSink,
};
use standin_core::secret_store::{MemorySecretStore, SecretStore};
use standin_core::{start_impersonation, CoreError, StartOptions};
use std::sync::Arc;
use std::time::Duration;

mod support;

struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _: &str, _: serde_json::Value) {}
}

async fn state(dir: &std::path::Path, secrets: MemorySecretStore) -> Arc<AppState> {
    let config = AppConfig {
        config_dir: dir.join("config"),
        audit_path: dir.join("data/audit.jsonl"),
        export_dir: dir.join("Downloads"),
        secrets: Arc::new(secrets),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    Arc::new(AppState::start(config, Arc::new(NoEvents)).await.unwrap())
}

fn start_request(email: &str) -> StartRequest {
    StartRequest {
        email: email.into(),
        tenant: None,
        reason: "SUP-9".into(),
        read_only: true,
        duration_minutes: 15,
        replace_active: false,
    }
}

#[tokio::test]
async fn requests_are_recorded_before_and_after_and_the_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecretStore::new();
    let state = state(dir.path(), secrets.clone()).await;
    session::start_impersonation(&state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    session::session_whoami(&state).await.unwrap();
    session::stop_impersonation(&state).await.unwrap();

    let entries = audit::audit_entries(&state).await.unwrap();
    let requests: Vec<(Option<&str>, Option<u16>)> = entries
        .iter()
        .filter(|e| e.event == "impersonation.request")
        .map(|e| (e.phase.as_deref(), e.status))
        .collect();
    assert_eq!(
        requests,
        [(Some("sent"), None), (Some("outcome"), Some(200))],
        "{entries:#?}"
    );
    // The key was made in the secret store (the OS keyring in the app).
    assert!(secrets.get("audit-key").unwrap().is_some());

    let v = audit::verify_audit(&state).await.unwrap();
    assert!(v.intact, "{}", v.summary);
    assert_eq!(v.records as usize, entries.len());
    assert_eq!(v.summary, format!("intact, {} records", entries.len()));
    assert_eq!(v.problem_line, None);

    // Edit the second line: named, and no longer intact.
    let path = dir.path().join("data/audit.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1] = lines[1].replace("tom.lee@acme.example", "ann.lee@acme.example");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let v = audit::verify_audit(&state).await.unwrap();
    assert!(!v.intact);
    assert_eq!(v.status, "broken");
    assert_eq!(v.problem_line, Some(2));
    assert_eq!(v.problem_kind.as_deref(), Some("edited"));
    assert!(
        v.summary.starts_with("NOT intact: line 2: edited"),
        "{}",
        v.summary
    );
}

/// Fails the "sent" record of requests made as the user (a full disk, a locked keyring), records the rest.
struct FailsBeforeSending(MemoryAuditSink);

impl AuditSink for FailsBeforeSending {
    fn record(&self, entry: &AuditEntry) -> standin_core::Result<()> {
        if entry.phase == Some(RequestPhase::Sent) {
            return Err(CoreError::Audit("disk full".into()));
        }
        self.0.record(entry)
    }
}

#[tokio::test]
async fn a_request_whose_record_cannot_be_written_is_not_sent() {
    let env = support::env().await;
    let user = env.ordinary_user().await;
    let memory = MemoryAuditSink::new();
    let sink: SharedAuditSink = Arc::new(FailsBeforeSending(memory.clone()));
    let session = start_impersonation(&env.client, sink, StartOptions::new(&user.email))
        .await
        .unwrap();
    let on_wire_before = env.wire.lock().unwrap().len();
    let err = session.whoami().await.unwrap_err();
    assert!(matches!(err, CoreError::Audit(_)), "{err:?}");
    assert_eq!(err.code(), "audit");
    // Nothing went out, and no outcome was recorded for a request that was never made.
    assert_eq!(env.wire.lock().unwrap().len(), on_wire_before);
    assert!(memory
        .entries()
        .iter()
        .all(|e| e.event != AuditEvent::Request));
}
