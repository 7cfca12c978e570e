//! What several commands share: the global flags, the client, the runtime, the profile store and the audit
//! log. Command modules use this module and `output`, never each other.

use crate::output;
use standin_core::audit::{JsonlAuditLog, SharedAuditSink};
use standin_core::profile::ProfileStore;
use standin_core::secret_store::KeyringStore;
use standin_core::{CoreError, Credentials, SigmaClient};
use std::sync::Arc;

/// The global flags every command sees.
pub struct Ctx {
    /// `--profile NAME` (or STANDIN_PROFILE); `None` means the SIGMA_* environment variables.
    pub profile: Option<String>,
    /// `--json`: JSON for scripts instead of a table.
    pub json: bool,
}

impl Ctx {
    /// A client for the org of `--profile` (or the environment).
    pub fn client(&self) -> Result<SigmaClient, CoreError> {
        connect_client(credentials(self.profile.as_deref())?)
    }
}

/// A client for the org, which says on stderr when it waits to try again ("Sigma is throttling: retrying
/// in 3 s (try 2 of 5)"), so a long listing that pauses is not mistaken for a hang.
pub fn connect_client(credentials: Credentials) -> Result<SigmaClient, CoreError> {
    let client = SigmaClient::connect(credentials)?;
    client.set_retry_observer(Some(std::sync::Arc::new(
        // Through `output::note`: a closed stderr must not panic the program (the note is dropped instead).
        |n: &standin_core::retry::RetryNotice| output::note(&format!("note: {}", n.message())),
    )));
    Ok(client)
}

/// The runtime for a command that makes its requests one after another (most of them): one thread. Worker
/// threads would only add start-up work, wake-ups between threads and memory to a run of a few milliseconds
/// (BENCHMARKS.md §2: the multi-threaded runtime cost `standin as … compare` ≈ 1 ms of its ≈ 5).
pub fn runtime() -> Result<tokio::runtime::Runtime, CoreError> {
    build_runtime(tokio::runtime::Builder::new_current_thread())
}

/// The runtime for work that is parallel by nature — an access review's concurrent impersonations and their
/// decoding, the sandbox server's connections: a worker per core.
pub fn parallel_runtime() -> Result<tokio::runtime::Runtime, CoreError> {
    build_runtime(tokio::runtime::Builder::new_multi_thread())
}

fn build_runtime(
    mut builder: tokio::runtime::Builder,
) -> Result<tokio::runtime::Runtime, CoreError> {
    builder
        .enable_all()
        .build()
        .map_err(|e| CoreError::Storage {
            path: "-".into(),
            reason: format!("could not start the async runtime: {e}"),
        })
}

pub fn profiles() -> ProfileStore {
    ProfileStore::new(
        &standin_core::paths::config_dir(),
        Arc::new(KeyringStore::default()),
    )
}

/// `--profile` wins; else the SIGMA_* environment variables. Read before the runtime starts: keyring calls
/// block on D-Bus.
pub fn credentials(profile: Option<&str>) -> Result<Credentials, CoreError> {
    match profile {
        Some(name) => profiles().credentials(name),
        None => Credentials::from_env(),
    }
}

/// The audit log, signed with the key in the OS keyring: without a keyring nothing can be recorded, so
/// `standin as` is refused (see `JsonlAuditLog`).
pub fn audit_log() -> JsonlAuditLog {
    JsonlAuditLog::new(
        JsonlAuditLog::default_path(),
        Arc::new(KeyringStore::default()),
    )
}

/// The audit log, once it is known that records can be signed: checked before the exchange, so with no
/// keyring `standin as` stops before any request is made (the refusal is not recorded either: it cannot be).
pub fn audit_sink() -> Result<SharedAuditSink, CoreError> {
    let log = audit_log();
    log.ready()?;
    Ok(Arc::new(log))
}

/// The audit log, its key read from the keyring in the background while the first requests (the admin's
/// token and lookups) go out: the start of an impersonation waits for it before the exchange, so with no
/// keyring nothing is done as the user, only the admin's own reads before it (BENCHMARKS.md §2).
pub fn audit_sink_warming() -> SharedAuditSink {
    let log = Arc::new(audit_log());
    log.warm_up();
    log
}
