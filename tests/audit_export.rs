//! Audit export holds what the Audit screen's filter shows, and "Show in folder" reveals only our own exports.

use stand_in::commands::{audit, session};
use stand_in::dto::*;
use stand_in::state::{AppConfig, AppState, EventSink};
use standin_core::secret_store::MemorySecretStore;
use std::sync::Arc;
use std::time::Duration;

struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _event: &str, _payload: serde_json::Value) {}
}

async fn state(dir: &std::path::Path) -> Arc<AppState> {
    let config = AppConfig {
        config_dir: dir.join("config"),
        audit_path: dir.join("data/audit.jsonl"),
        export_dir: dir.join("Downloads"),
        secrets: Arc::new(MemorySecretStore::new()),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    Arc::new(AppState::start(config, Arc::new(NoEvents)).await.unwrap())
}

fn start(email: &str, reason: &str) -> StartRequest {
    StartRequest {
        email: email.into(),
        tenant: None,
        reason: reason.into(),
        read_only: true,
        duration_minutes: 15,
        replace_active: false,
    }
}

/// Two sessions (Tom, then Sofia), each started and stopped: four entries.
async fn two_sessions(state: &Arc<AppState>) {
    for (email, reason) in [
        ("tom.lee@acme.example", "SUP-7 workbook missing"),
        ("sofia.martinez@acme.example", "SUP-9 dashboard empty"),
    ] {
        session::start_impersonation(state, start(email, reason))
            .await
            .unwrap();
        session::stop_impersonation(state).await.unwrap();
    }
}

fn filter(text: &str, event: Option<&str>) -> AuditFilter {
    AuditFilter {
        text: text.into(),
        event: event.map(str::to_string),
    }
}

#[tokio::test]
async fn an_export_holds_only_the_entries_the_filter_shows() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path()).await;
    two_sessions(&state).await;
    let all = audit::audit_entries(&state).await.unwrap();
    assert_eq!(all.len(), 4);

    let everything = audit::export_audit(&state, ExportFormat::Json, AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(everything.count, 4);

    // Text: case-insensitive, over the same fields as the screen's filter (here the reason).
    let csv = audit::export_audit(&state, ExportFormat::Csv, filter("  sup-9 ", None))
        .await
        .unwrap();
    assert_eq!(csv.count, 2, "only Sofia's start and stop have that reason");
    let written = std::fs::read_to_string(&csv.path).unwrap();
    assert_eq!(written.lines().count(), 3, "header and two rows");
    assert!(written.contains("sofia.martinez@acme.example"));
    assert!(!written.contains("tom.lee@acme.example"));

    // Event and text together.
    let json = audit::export_audit(
        &state,
        ExportFormat::Json,
        filter("tom.lee", Some("impersonation.stop")),
    )
    .await
    .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json.path).unwrap()).unwrap();
    let rows = v["entries"].as_array().unwrap();
    assert_eq!(json.count, 1);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["event"], "impersonation.stop");
    assert_eq!(rows[0]["subject"], "tom.lee@acme.example");

    // A filter that matches nothing still writes a (header-only) file and says 0.
    let none = audit::export_audit(&state, ExportFormat::Csv, filter("nobody-at-all", None))
        .await
        .unwrap();
    assert_eq!(none.count, 0);
    assert_eq!(
        std::fs::read_to_string(&none.path).unwrap().lines().count(),
        1
    );

    // Exports made within the same second never overwrite each other.
    assert_ne!(none.path, csv.path);
    assert_eq!(std::fs::read_to_string(&csv.path).unwrap(), written);
}

#[test]
fn the_filter_matches_like_the_audit_screen() {
    let e = AuditEntryDto {
        time: "2026-01-01T00:00:00Z".into(),
        event: "impersonation.request".into(),
        profile: "Sandbox org".into(),
        actor: "admin@acme.example".into(),
        subject: "tom.lee@acme.example".into(),
        tenant: None,
        reason: None,
        session_id: Some("sess-42".into()),
        read_only: Some(true),
        method: Some("GET".into()),
        path: Some("/v2/workbooks".into()),
        status: Some(200),
        detail: None,
        request_id: Some("REQ-ABC".into()),
        phase: Some("outcome".into()),
        review_id: Some("rev-7f3a".into()),
    };
    assert!(audit::matches_filter(&e, &AuditFilter::default()));
    // Every record of an access review can be found by the review's ID.
    assert!(audit::matches_filter(&e, &filter("REV-7F", None)));
    assert!(audit::matches_filter(&e, &filter("req-abc", None)));
    assert!(audit::matches_filter(&e, &filter("SESS-4", None)));
    assert!(audit::matches_filter(&e, &filter("/V2/WORK", None)));
    assert!(audit::matches_filter(
        &e,
        &filter("sandbox", Some("impersonation.request"))
    ));
    assert!(!audit::matches_filter(
        &e,
        &filter("", Some("impersonation.start"))
    ));
    assert!(!audit::matches_filter(&e, &filter("sofia", None)));
    // The method and time are not searched on screen either.
    assert!(!audit::matches_filter(&e, &filter("2026-01", None)));
}

#[tokio::test]
async fn show_in_folder_takes_only_this_apps_exports() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path()).await;
    two_sessions(&state).await;
    let export = audit::export_audit(&state, ExportFormat::Csv, AuditFilter::default())
        .await
        .unwrap();
    let found = audit::export_file(&state.export_dir, &export.path).unwrap();
    assert!(found.ends_with(std::path::Path::new(&export.path).file_name().unwrap()));

    // Anything else is refused before the desktop is asked to open it: another file in the folder, a path
    // that climbs out of it, a file elsewhere, a folder, a path that does not exist.
    let stranger = state.export_dir.join("notes.txt");
    std::fs::write(&stranger, "x").unwrap();
    let outside = dir.path().join("stand-in-audit-outside.csv");
    std::fs::write(&outside, "x").unwrap();
    let climbing = state
        .export_dir
        .join("..")
        .join("stand-in-audit-outside.csv");
    for bad in [
        stranger.display().to_string(),
        outside.display().to_string(),
        climbing.display().to_string(),
        state.export_dir.display().to_string(),
        state
            .export_dir
            .join("stand-in-audit-missing.csv")
            .display()
            .to_string(),
        String::new(),
    ] {
        let err = audit::export_file(&state.export_dir, &bad).unwrap_err();
        assert_eq!(ErrorDto::from(err).code, "storage", "{bad}");
        let refused = audit::reveal_export(&state, bad.clone()).await.unwrap_err();
        assert_eq!(refused.code, "storage", "{bad}");
    }
}
