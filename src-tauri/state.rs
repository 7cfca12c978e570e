//! The app's state: the console (core), saved profiles, and the in-process sandbox org. Nothing here is
//! Tauri-specific, so the command functions can be tested without a web view.

use crate::dto::{
    ConnectionDto, ConnectionKind, ErrorDto, ExpiringEvent, SessionDto, StopReason, StopResult,
};
use standin_core::audit::{JsonlAuditLog, SharedAuditSink};
use standin_core::console::{Console, SessionEnd};
use standin_core::profile::{base_url_string, ProfileStore};
use standin_core::secret_store::SharedSecretStore;
use standin_core::session::SessionInfo;
use standin_core::watch::{ExpiryWatch, WatchEvent};
use standin_core::{CoreError, Credentials, Secret, SigmaClient};
use standin_sandbox::{Org, Sandbox, SandboxHandle};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The built-in connection's name.
pub const SANDBOX_NAME: &str = "Sandbox org";

/// Where session events go: Tauri's event system in the app, a recorder in tests.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: &str, payload: serde_json::Value);
}

pub struct AppState {
    pub console: Arc<Console>,
    pub profiles: Arc<ProfileStore>,
    pub sandbox: SandboxHandle,
    sandbox_credentials: Credentials,
    pub audit_path: PathBuf,
    /// The same log the console writes to, for `verify_audit` (its MAC key is in `AppConfig::secrets`).
    pub audit_log: Arc<JsonlAuditLog>,
    pub export_dir: PathBuf,
    pub events: Arc<dyn EventSink>,
    /// The access review running now and the last one that ended (commands/review.rs).
    pub reviews: standin_core::review_runs::ReviewRuns,
}

/// Settings the app starts with.
pub struct AppConfig {
    pub config_dir: PathBuf,
    pub audit_path: PathBuf,
    pub export_dir: PathBuf,
    pub secrets: SharedSecretStore,
    /// Upper bound on a session's length.
    pub session_cap: Duration,
    pub sandbox_org: Org,
}

impl AppConfig {
    /// The real locations; `STANDIN_SESSION_CAP_SECONDS` sets a shorter policy cap (end-to-end tests use it
    /// to see a session expire without waiting minutes).
    pub fn from_environment(secrets: SharedSecretStore) -> Self {
        let cap = std::env::var("STANDIN_SESSION_CAP_SECONDS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|s| *s > 0)
            .map(Duration::from_secs)
            .unwrap_or(standin_core::session::MAX_SESSION);
        let export_dir = directories::UserDirs::new()
            .and_then(|u| u.download_dir().map(PathBuf::from))
            .unwrap_or_else(standin_core::paths::data_dir);
        AppConfig {
            config_dir: standin_core::paths::config_dir(),
            audit_path: JsonlAuditLog::default_path(),
            export_dir,
            secrets,
            session_cap: cap,
            sandbox_org: sandbox_org_from_environment(),
        }
    }
}

/// The demo org, or a generated one with `STANDIN_SANDBOX_GENERATE=users=N,teams=T,documents=D[,seed=S]`
/// (to try the app on a large org). A bad spec is logged and the demo org is served instead: the app still
/// opens, and the log says why the org is not the one asked for.
fn sandbox_org_from_environment() -> Org {
    let spec = std::env::var(standin_sandbox::GENERATE_ENV).ok();
    Org::demo_or_generated(spec.as_deref()).unwrap_or_else(|e| {
        tracing::error!(error = %e, "serving the demo org instead");
        Org::demo()
    })
}

impl AppState {
    /// Starts the sandbox org and connects the console to it: the app works on first launch, offline.
    pub async fn start(config: AppConfig, events: Arc<dyn EventSink>) -> Result<Self, ErrorDto> {
        let sandbox = Sandbox::start(config.sandbox_org)
            .await
            .map_err(|e| ErrorDto {
                code: "sandbox".into(),
                message: format!("the built-in sandbox org could not start: {e}"),
                request_id: None,
                rule: None,
            })?;
        let admin = sandbox.admin_credentials();
        let sandbox_credentials = Credentials::new(
            Some(SANDBOX_NAME.to_string()),
            &sandbox.base_url(),
            &admin.client_id,
            Secret::new(admin.client_secret),
            None,
        )?;
        // Records are MACed with a key kept in the same secret store as the client secrets (the OS keyring).
        let audit_log = Arc::new(JsonlAuditLog::new(
            config.audit_path.clone(),
            config.secrets.clone(),
        ));
        let audit: SharedAuditSink = audit_log.clone();
        let console = Arc::new(Console::new(audit, config.session_cap));
        let state = AppState {
            console,
            profiles: Arc::new(ProfileStore::new(&config.config_dir, config.secrets)),
            sandbox,
            sandbox_credentials,
            audit_path: config.audit_path,
            audit_log,
            export_dir: config.export_dir,
            events,
            reviews: Default::default(),
        };
        let client = state.connect_client(state.sandbox_credentials.clone())?;
        let (_, actor) = state.console.connect(SANDBOX_NAME, client).await;
        if let Err(e) = actor {
            tracing::warn!(error = %e, "the sandbox org did not answer at start-up");
        }
        Ok(state)
    }

    pub fn sandbox_connection(&self) -> ConnectionDto {
        ConnectionDto {
            name: SANDBOX_NAME.to_string(),
            kind: ConnectionKind::Sandbox,
            base_url: base_url_string(&self.sandbox_credentials.base_url),
            region: "Local sandbox".into(),
            client_id: self.sandbox_credentials.client_id.clone(),
            tenant: None,
            has_secret: true,
            secret_status: crate::dto::SecretStatus::Stored,
            ca_file: None,
        }
    }

    /// A client for `credentials` whose waits between tries reach the web view as `sigma-retry` events
    /// ("Sigma is throttling: retrying in 3 s").
    pub fn connect_client(&self, credentials: Credentials) -> Result<SigmaClient, CoreError> {
        let client = SigmaClient::connect(credentials)?;
        let events = self.events.clone();
        client.set_retry_observer(Some(Arc::new(
            move |n: &standin_core::retry::RetryNotice| {
                let payload = serde_json::to_value(crate::dto::RetryEvent::from(n))
                    .unwrap_or(serde_json::Value::Null);
                events.emit("sigma-retry", payload);
            },
        )));
        Ok(client)
    }

    /// Credentials for a connection: the sandbox's from memory, a profile's from the keyring (a blocking
    /// D-Bus call, so off the async threads).
    pub async fn credentials(&self, name: &str) -> Result<Credentials, CoreError> {
        if name == SANDBOX_NAME {
            return Ok(self.sandbox_credentials.clone());
        }
        let profiles = self.profiles.clone();
        let name = name.to_string();
        blocking(move || profiles.credentials(&name)).await
    }
}

/// Session events for the web view: `session-started`, `session-expiring` (from the core's expiry watcher)
/// and `session-stopped`, which always says why the session ended.
impl AppState {
    /// Tells the web view a session runs (a new one, or an extension) and spawns the core's expiry watcher
    /// for it: its warning becomes `session-expiring`, the end it brings `session-stopped`.
    pub fn session_started(self: &Arc<Self>, info: &SessionInfo, left: Duration) -> SessionDto {
        let dto = SessionDto::new(info, left.as_secs());
        let payload = serde_json::to_value(&dto).unwrap_or_default();
        self.events.emit("session-started", payload);
        let state = self.clone();
        let watch = ExpiryWatch::new(self.console.clone(), &info.id, left);
        tokio::spawn(watch.run(move |event| match event {
            WatchEvent::Expiring {
                session_id,
                seconds_left,
            } => {
                let payload = serde_json::to_value(ExpiringEvent {
                    session_id,
                    seconds_left,
                });
                state
                    .events
                    .emit("session-expiring", payload.unwrap_or_default());
            }
            WatchEvent::Ended(end) => {
                state.emit_stopped(&end, None);
            }
        }));
        dto
    }

    /// Tells the web view a session ended (`session-stopped`) and returns what it said. `instead` is the
    /// reason for an end that was not Stop, expiry or Sigma (a connection change, a new session in its
    /// place), so no session ends without a reason given; expiry or Sigma's refusal, when either came
    /// first, is the truer reason and wins.
    pub fn emit_stopped(&self, end: &SessionEnd, instead: Option<StopReason>) -> StopResult {
        let reason = if end.ended_by_server {
            StopReason::EndedByServer
        } else if end.expired {
            StopReason::Expired
        } else {
            instead.unwrap_or(StopReason::Stopped)
        };
        let result = StopResult {
            session_id: end.info.id.clone(),
            subject_email: end.info.subject_email.clone(),
            subject_id: end.info.subject_id.clone(),
            reason,
        };
        let payload = serde_json::to_value(&result).unwrap_or_default();
        self.events.emit("session-stopped", payload);
        result
    }
}

/// The built-in connection's name is not a profile's: refused for a new name, a rename, or an edit.
pub fn not_the_sandbox(name: &str) -> Result<(), CoreError> {
    if name.trim().eq_ignore_ascii_case(SANDBOX_NAME) {
        return Err(CoreError::InvalidProfile(format!(
            "'{SANDBOX_NAME}' is the built-in connection; pick another name"
        )));
    }
    Ok(())
}

/// Runs a blocking store call (keyring, files) on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CoreError> + Send + 'static,
) -> Result<T, CoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| CoreError::Storage {
            path: "-".into(),
            reason: format!("a background task failed: {e}"),
        })?
}
