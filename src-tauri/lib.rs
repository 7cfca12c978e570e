//! Stand-in desktop app: a thin Tauri shell over `standin-core`. It starts the sandbox org in-process, keeps
//! the console state, and exposes one command per action; tokens and secrets never cross into the web view.

pub mod commands;
pub mod dto;
pub mod state;

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
    ])
}

pub fn run() {
    standin_core::logging::init_logging();
    let result = with_commands(tauri::Builder::default())
        .setup(|app| {
            let config = AppConfig::from_environment(Arc::new(KeyringStore::default()));
            let events = Arc::new(TauriEvents(app.handle().clone()));
            let state = tauri::async_runtime::block_on(AppState::start(config, events))
                .map_err(|e| e.message)?;
            app.manage(Arc::new(state));
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Stand-in could not start: {e}");
        std::process::exit(1);
    }
}
