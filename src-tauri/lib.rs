//! Stand-in desktop app: a thin Tauri shell over `standin-core`. It starts the sandbox org in-process, keeps
//! the console state, and exposes one command per action; tokens and secrets never cross into the web view.

pub mod commands;
pub mod dto;
pub mod state;
pub mod webview;

use standin_core::secret_store::KeyringStore;
use state::{AppConfig, AppState, EventSink};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager};

struct TauriEvents(AppHandle);

impl EventSink for TauriEvents {
    fn emit(&self, event: &str, payload: serde_json::Value) {
        if let Err(e) = self.0.emit(event, payload) {
            tracing::warn!(event, error = %e, "could not deliver an event to the window");
        }
    }
}

/// Registers every command on a builder (any runtime: the real one, or Tauri's mock runtime in tests).
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::list_connections,
        commands::list_regions,
        commands::add_connection,
        commands::update_connection,
        commands::rotate_secret,
        commands::remove_connection,
        commands::test_connection,
        commands::select_connection,
        commands::current_connection,
        commands::list_users,
        commands::get_user,
        commands::list_teams,
        commands::get_team_members,
        commands::start_impersonation,
        commands::stop_impersonation,
        commands::extend_session,
        commands::current_session,
        commands::session_whoami,
        commands::session_files,
        commands::session_my_documents,
        commands::session_compare,
        commands::check_console_request,
        commands::console_send,
        commands::session_tokens,
        commands::audit_entries,
        commands::export_audit,
        commands::reveal_export,
        commands::verify_audit,
        commands::explain_access,
        commands::start_access_review,
        commands::cancel_access_review,
        commands::access_review_status,
        commands::access_review_result,
        commands::export_access_review,
    ])
}

/// A terminate or hang-up signal (logout, shutdown, `kill`) ends the session the way Stop does before the
/// app exits, so the audit log records the end.
fn end_session_on_signal(handle: AppHandle, state: Arc<AppState>) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        if let Err(e) = state.console.stop().await {
            tracing::warn!(error = %e, "could not end the session at a signal");
        }
        handle.exit(0);
    });
    #[cfg(not(unix))]
    let _ = (handle, state);
}

pub fn run() {
    standin_core::logging::init_logging();
    // The clipboard plugin serves the Copy buttons; the capability grants it write-text only.
    let app = with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            let config = AppConfig::from_environment(Arc::new(KeyringStore::default()));
            let events = Arc::new(TauriEvents(app.handle().clone()));
            let state = Arc::new(
                tauri::async_runtime::block_on(AppState::start(config, events))
                    .map_err(|e| e.message)?,
            );
            app.manage(state.clone());
            // Rendering without GPU compositing on Linux: ≈ 110 MiB less (src-tauri/webview.rs).
            if let Some(window) = app.get_webview_window("main") {
                webview::apply(&window);
            }
            end_session_on_signal(app.handle().clone(), state);
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("Stand-in could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(on_run_event);
}

/// Quitting (closing the last window) ends the session the way Stop does, so the audit log never shows a
/// start without an end; the token dies with the process either way.
pub fn on_run_event<R: tauri::Runtime>(handle: &AppHandle<R>, event: tauri::RunEvent) {
    if let tauri::RunEvent::Exit = event {
        if let Some(state) = handle.try_state::<Arc<AppState>>() {
            if let Err(e) = tauri::async_runtime::block_on(state.console.stop()) {
                tracing::warn!(error = %e, "could not end the session at exit");
            }
        }
    }
}
