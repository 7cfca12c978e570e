//! The commands through Tauri's own IPC layer on the mock runtime (no display, no web view): the handler
//! is registered under the names the UI calls, arguments arrive by their camelCase names, errors come
//! back as `ErrorDto`, and an unknown command is refused.

use stand_in::state::{AppConfig, AppState, EventSink};
use standin_core::secret_store::MemorySecretStore;
use std::sync::Arc;
use std::time::Duration;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::Manager;

struct NoEvents;
impl EventSink for NoEvents {
    fn emit(&self, _: &str, _: serde_json::Value) {}
}

fn request(cmd: &str, body: serde_json::Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn commands_answer_through_the_ipc_layer() {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("audit.jsonl"),
        export_dir: dir.path().join("exports"),
        secrets: Arc::new(MemorySecretStore::new()),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state =
        tauri::async_runtime::block_on(AppState::start(config, Arc::new(NoEvents))).unwrap();
    let app = stand_in::with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(Arc::new(state));
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();

    let regions = get_ipc_response(&webview, request("list_regions", serde_json::json!({})))
        .unwrap()
        .deserialize::<serde_json::Value>()
        .unwrap();
    assert!(regions.as_array().unwrap().len() >= 13);

    let users = get_ipc_response(
        &webview,
        request(
            "list_users",
            serde_json::json!({"query": {"search": "tom", "includeArchived": false}}),
        ),
    )
    .unwrap()
    .deserialize::<serde_json::Value>()
    .unwrap();
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["email"] == "tom.lee@acme.example"));

    let err = get_ipc_response(
        &webview,
        request(
            "start_impersonation",
            serde_json::json!({"request": {"email": "priya.raman@acme.example", "tenant": null,
                "reason": "x", "readOnly": true, "durationMinutes": 5}}),
        ),
    )
    .unwrap_err();
    assert_eq!(err["code"], "refused");
    assert_eq!(err["rule"], "target_is_admin");

    assert!(get_ipc_response(&webview, request("read_secret", serde_json::json!({}))).is_err());
}

#[test]
fn closing_the_last_window_during_a_session_records_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("audit.jsonl"),
        export_dir: dir.path().join("exports"),
        secrets: Arc::new(MemorySecretStore::new()),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state = Arc::new(
        tauri::async_runtime::block_on(AppState::start(config, Arc::new(NoEvents))).unwrap(),
    );
    let app = stand_in::with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(state.clone());
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let session = tauri::async_runtime::block_on(stand_in::commands::session::start_impersonation(
        &state,
        stand_in::dto::StartRequest {
            email: "tom.lee@acme.example".into(),
            tenant: None,
            reason: "closing".into(),
            read_only: true,
            duration_minutes: 15,
            replace_active: false,
        },
    ))
    .unwrap();
    // The mock runtime handles a close only once its loop runs: close from another thread, shortly after.
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        window.close().unwrap();
    });
    // A guard so a broken exit path fails the test instead of hanging it.
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(30));
        eprintln!("the app did not exit after its last window closed");
        std::process::exit(1);
    });
    // Runs until the last window is gone, then delivers RunEvent::Exit.
    app.run(stand_in::on_run_event);
    let log = standin_core::audit::read_audit_log(&dir.path().join("audit.jsonl")).unwrap();
    let end = log.entries.last().unwrap();
    assert_eq!(end.event, standin_core::audit::AuditEvent::Stop);
    assert_eq!(end.session_id.as_deref(), Some(session.id.as_str()));
}
