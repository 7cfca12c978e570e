//! The Linux kernel keyring (keyctl(2)) as a short-lived cache in front of the Secret Service.
//!
//! Why: every `standin` run needs the audit log's MAC key (and, with `--profile`, the client secret). Reading
//! one from the Secret Service is a D-Bus connection, a Diffie-Hellman session and a lookup: several
//! milliseconds, most of a `standin as … compare` run (BENCHMARKS.md §2). A key in the kernel keyring is read
//! with two system calls. The Secret Service stays the store of record; this cache only ever holds a copy
//! for [`DEFAULT_TTL_SECS`] (or `STANDIN_KEYRING_CACHE_SECS`; 0 turns it off), after which the kernel
//! destroys it.
//!
//! What it holds and where:
//! - keys of type "user" in the user keyring (@u): shared by this user's processes, as the unlocked Secret
//!   Service is; never written to disk or swap by the kernel; gone at reboot or when the timeout passes;
//! - readable by their possessor and by processes of the same user, by no one else;
//! - named `stand-in:<bus>:<service>:<account>`, where `<bus>` is a hash of `DBUS_SESSION_BUS_ADDRESS`: two
//!   Secret Services (a desktop's and a test's private one) never see each other's entries, and with no
//!   session bus there is no Secret Service to cache, so nothing is cached.
//!
//! Every failure (no keyctl under a seccomp filter, quota exceeded, a key revoked under us) means "not
//! cached": the caller asks the Secret Service as before. Nothing here can make a read fail.
//!
//! On macOS and Windows there is no such cache: [`KernelKeyCache::from_environment`] gives `None` there (the
//! Keychain and the Credential Manager are in-process calls, not a D-Bus session per run).

use crate::secret::Secret;
#[cfg(target_os = "linux")]
use linux_keyutils::{KeyError, KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission};
use sha2::{Digest, Sha256};
#[cfg(target_os = "linux")]
use zeroize::Zeroizing;

/// Five minutes: a run of commands in a terminal reads the Secret Service once, and a secret changed or a
/// keyring locked outside Stand-in is seen again within this time.
pub const DEFAULT_TTL_SECS: u32 = 300;

/// The environment variable that sets the cache's lifetime in seconds (0: no cache).
pub const TTL_ENV: &str = "STANDIN_KEYRING_CACHE_SECS";

/// A namespace of cached secrets with one lifetime.
#[derive(Debug, Clone)]
pub struct KernelKeyCache {
    prefix: String,
    ttl_secs: u32,
}

/// The user keyring (@u), made if this user has none yet.
#[cfg(target_os = "linux")]
fn user_keyring() -> Result<KeyRing, KeyError> {
    KeyRing::from_special_id(KeyRingIdentifier::User, true)
}

impl KernelKeyCache {
    /// The cache for `service`'s entries in the Secret Service reached through this process's session bus,
    /// with the lifetime the environment sets; `None` when it is turned off or there is no session bus.
    pub fn from_environment(service: &str) -> Option<Self> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let ttl_secs = match std::env::var(TTL_ENV) {
            Ok(v) => match v.trim().parse::<u32>() {
                Ok(secs) => secs,
                Err(_) => {
                    tracing::warn!(
                        "{TTL_ENV}={v:?} is not a number of seconds; using {DEFAULT_TTL_SECS}"
                    );
                    DEFAULT_TTL_SECS
                }
            },
            Err(_) => DEFAULT_TTL_SECS,
        };
        let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").ok()?;
        Self::new(&bus, service, ttl_secs)
    }

    /// A cache for the Secret Service at `bus`; `None` when `ttl_secs` is 0.
    pub fn new(bus: &str, service: &str, ttl_secs: u32) -> Option<Self> {
        if ttl_secs == 0 || bus.is_empty() {
            return None;
        }
        let digest = Sha256::digest(bus.as_bytes());
        let bus_id: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Some(KernelKeyCache {
            prefix: format!("stand-in:{bus_id}:{service}:"),
            ttl_secs,
        })
    }

    /// True when this process can use the kernel keyring at all (no seccomp filter refusing keyctl).
    #[cfg(target_os = "linux")]
    pub fn available() -> bool {
        user_keyring().is_ok()
    }

    fn name(&self, account: &str) -> String {
        format!("{}{account}", self.prefix)
    }

    /// The cached copy, if there is a live one.
    #[cfg(target_os = "linux")]
    pub fn get(&self, account: &str) -> Option<Secret> {
        let result = (|| -> Result<Option<Secret>, KeyError> {
            let ring = user_keyring()?;
            let key = ring.search(&self.name(account))?;
            // keyctl(KEYCTL_READ) returns the payload's full length even when the buffer is shorter.
            let mut buf = Zeroizing::new(vec![0u8; 4096]);
            let mut len = key.read(&mut *buf)?;
            if len > buf.len() {
                buf = Zeroizing::new(vec![0u8; len]);
                len = key.read(&mut *buf)?;
            }
            let text = std::str::from_utf8(&buf[..len.min(buf.len())])
                .map_err(|_| KeyError::InvalidArguments)?;
            Ok(Some(Secret::new(text)))
        })();
        match result {
            Ok(found) => found,
            Err(KeyError::KeyDoesNotExist) => None,
            Err(e) => {
                tracing::debug!(account, error = ?e, "kernel keyring cache not read");
                None
            }
        }
    }

    /// Keeps a copy for the cache's lifetime (replacing any older copy).
    #[cfg(target_os = "linux")]
    pub fn put(&self, account: &str, secret: &Secret) {
        if secret.is_empty() {
            // The kernel refuses empty payloads; an empty secret is not worth caching anyway.
            return;
        }
        let result = (|| -> Result<(), KeyError> {
            let ring = user_keyring()?;
            let key = ring.add_key(&self.name(account), secret.expose().as_bytes())?;
            // The timeout first: a copy must never outlive it, even if the next call fails.
            if let Err(e) = key.set_timeout(self.ttl_secs as usize) {
                let _ = key.invalidate();
                return Err(e);
            }
            let perms = KeyPermissionsBuilder::builder()
                .posessor(Permission::ALL)
                .user(Permission::VIEW | Permission::READ | Permission::SEARCH)
                .build();
            key.set_perms(perms)
        })();
        if let Err(e) = result {
            tracing::debug!(account, error = ?e, "kernel keyring cache not written");
        }
    }

    /// Drops the cached copy (after a delete or a failed write to the Secret Service).
    #[cfg(target_os = "linux")]
    pub fn remove(&self, account: &str) {
        let removed = user_keyring()
            .and_then(|ring| ring.search(&self.name(account)))
            .and_then(|key| key.invalidate());
        match removed {
            Ok(()) | Err(KeyError::KeyDoesNotExist) => {}
            Err(e) => tracing::debug!(account, error = ?e, "kernel keyring cache not cleared"),
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn available() -> bool {
        false
    }

    #[cfg(not(target_os = "linux"))]
    pub fn get(&self, _account: &str) -> Option<Secret> {
        None
    }

    #[cfg(not(target_os = "linux"))]
    pub fn put(&self, _account: &str, _secret: &Secret) {}

    #[cfg(not(target_os = "linux"))]
    pub fn remove(&self, _account: &str) {}
}
