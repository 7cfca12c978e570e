//! The sandbox org: an in-process server on `127.0.0.1` that speaks Sigma's REST API (see
//! `shared/SIGMA_API.md`) with Sigma's shapes and rules, over an org loaded from a fixture, the built-in
//! demo org, or a generated large org. Tests and the app drive it through [`SandboxHandle`].
//!
//! ```no_run
//! # async fn run() -> Result<(), standin_sandbox::SandboxError> {
//! use standin_sandbox::{Org, Sandbox};
//! let sandbox = Sandbox::start(Org::demo()).await?;
//! let creds = sandbox.admin_credentials();
//! println!("{} as {}", sandbox.base_url(), creds.client_id);
//! # Ok(()) }
//! ```

mod access;
mod audit;
mod clock;
mod demo;
mod error;
mod faults;
mod fixture;
mod generate;
mod ids;
mod model;
mod pagination;
mod query;
mod resolve;
mod routes;
mod server;
mod state;
mod tokens;
mod wire_log;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use audit::AuditEvent;
pub use demo::{
    DEMO_ADMIN_CLIENT_ID, DEMO_ADMIN_CLIENT_SECRET, DEMO_ADMIN_EMAIL, DEMO_ARCHIVED_EMAIL,
    DEMO_CREATOR_CLIENT_ID, DEMO_CREATOR_CLIENT_SECRET, DEMO_CREATOR_EMAIL, DEMO_INACTIVE_EMAIL,
    DEMO_OTHER_ADMIN_EMAIL, DEMO_USER_EMAIL,
};
pub use error::SandboxError;
pub use faults::{Fault, FaultSpec};
pub use generate::{GenerateSpec, FOLDERS_PER_WORKSPACE, GENERATE_ENV};
pub use model::{ApiClientCredentials, DocType, Org, Permission, UserKind, Visibility};
pub use wire_log::WireRecord;

use state::{lock, Shared};

/// Starts sandbox servers.
pub struct Sandbox;

impl Sandbox {
    /// Serves `org` on `127.0.0.1` with an OS-chosen port.
    pub async fn start(org: Org) -> Result<SandboxHandle, SandboxError> {
        Self::start_on(org, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Serves `org` on `addr`. The server runs on the current Tokio runtime until the handle is dropped
    /// or [`SandboxHandle::shutdown`] is called.
    pub async fn start_on(org: Org, addr: SocketAddr) -> Result<SandboxHandle, SandboxError> {
        let admin = org.admin_credentials().ok_or_else(|| {
            SandboxError::fixture("the org has no API client, so nothing could call the sandbox")
        })?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let shared = Arc::new(Shared::new(org));
        let router = routes::router(shared.clone());
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), router, rx));
        tracing::debug!(addr = %local, "sandbox org listening");
        Ok(SandboxHandle {
            addr: local,
            shared,
            admin,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A running sandbox server. Dropping it shuts the server down.
pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    admin: ApiClientCredentials,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The org being served.
    pub fn org(&self) -> &Org {
        &self.shared.org
    }

    /// The first API client owned by an Admin (for the demo org: `standin-demo-admin`).
    pub fn admin_credentials(&self) -> ApiClientCredentials {
        self.admin.clone()
    }

    pub fn api_clients(&self) -> Vec<ApiClientCredentials> {
        self.shared.org.api_clients()
    }

    /// Moves the sandbox clock forward (tokens and JWT times are judged by it).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Applies `fault` to the next `times` requests whose path starts with `path_prefix`. Faults queue
    /// in order; the first matching one is used.
    pub fn inject_fault(&self, path_prefix: &str, fault: Fault, times: usize) {
        lock(&self.shared.faults).push(path_prefix, fault, times);
    }

    /// Applies `fault` to every `every`-th request whose path starts with `path_prefix` (the 3rd, 6th, 9th…
    /// for 3), until [`SandboxHandle::clear_faults`].
    pub fn inject_fault_every(&self, path_prefix: &str, fault: Fault, every: usize) {
        lock(&self.shared.faults).push_every(path_prefix, fault, every);
    }

    /// Applies a parsed [`FaultSpec`] (`standin sandbox serve --fault`).
    pub fn inject(&self, spec: &FaultSpec) {
        match spec.every {
            Some(n) => self.inject_fault_every(&spec.prefix, spec.fault.clone(), n),
            None => self.inject_fault(&spec.prefix, spec.fault.clone(), spec.times),
        }
    }

    /// Delays every response by `delay` from now on (zero: none), like a network between client and Sigma:
    /// each request waits on its own, so concurrent requests overlap their waits and a benchmark measures
    /// the client's concurrency, not the sandbox's speed (`standin sandbox serve --latency-ms`).
    pub fn set_latency(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.shared.latency_ms.store(ms, Ordering::SeqCst);
    }

    /// The delay [`SandboxHandle::set_latency`] set.
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.shared.latency_ms.load(Ordering::SeqCst))
    }

    /// Removes every queued and repeating fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many injected faults have fired so far (a test of a fault proves it fired).
    pub fn faults_fired(&self) -> u64 {
        lock(&self.shared.faults).fired()
    }

    /// Impersonation events so far (successful and refused exchanges), oldest first.
    pub fn audit_events(&self) -> Vec<AuditEvent> {
        lock(&self.shared.audit).clone()
    }

    /// Every token the sandbox has issued (access, refresh, impersonation), for tests that prove a client
    /// never prints, logs or stores one.
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.shared.tokens).issued()
    }

    /// HTTP requests received so far, faulted ones included.
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// The requests received so far (the latest 10,000), oldest first: method, path and query, and the
    /// connection each came on. Never headers or bodies.
    pub fn wire_log(&self) -> Vec<WireRecord> {
        lock(&self.shared.wire).records()
    }

    /// Empties the wire log (the connection numbering goes on).
    pub fn clear_wire_log(&self) {
        lock(&self.shared.wire).clear();
    }

    /// Stops accepting, closes open connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
