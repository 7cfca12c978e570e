//! State shared by the server's connections and the handle.

use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::audit::AuditEvent;
use crate::clock::Clock;
use crate::faults::FaultQueue;
use crate::model::Org;
use crate::tokens::{Scope, TokenStore};
use crate::wire_log::WireLog;

pub(crate) struct Shared {
    /// The org is read-only while the server runs, so it needs no lock.
    pub org: Org,
    pub clock: Clock,
    pub tokens: Mutex<TokenStore>,
    pub audit: Mutex<Vec<AuditEvent>>,
    pub faults: Mutex<FaultQueue>,
    pub requests: AtomicU64,
    /// Every request received, in order (`SandboxHandle::wire_log`).
    pub wire: Mutex<WireLog>,
    /// Connections accepted so far: the wire log numbers them.
    pub connections: AtomicU64,
    /// Milliseconds every response waits before it is sent (`SandboxHandle::set_latency`).
    pub latency_ms: AtomicU64,
}

impl Shared {
    pub fn new(org: Org) -> Self {
        Shared {
            org,
            clock: Clock::default(),
            tokens: Mutex::new(TokenStore::default()),
            audit: Mutex::new(Vec::new()),
            faults: Mutex::new(FaultQueue::default()),
            requests: AtomicU64::new(0),
            wire: Mutex::new(WireLog::default()),
            connections: AtomicU64::new(0),
            latency_ms: AtomicU64::new(0),
        }
    }

    /// The org a token acts in. Tenant indexes come from our own token store, so they are valid; the
    /// fallback to the main org only guards against a logic error.
    pub fn org_for(&self, scope: Scope) -> &Org {
        match scope {
            Scope::Main => &self.org,
            Scope::Tenant(i) => self.org.tenants.get(i).unwrap_or(&self.org),
        }
    }
}

/// Locks a mutex, carrying on after a panic elsewhere: every critical section leaves the data consistent.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
