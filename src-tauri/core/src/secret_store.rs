//! Client secrets live only in the OS keyring. The store is a trait so tests use an in-memory one; the app
//! keeps its own index of entries (the profile list) instead of enumerating the keyring.

use crate::error::{CoreError, Result};
use crate::kernel_keys::KernelKeyCache;
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub trait SecretStore: Send + Sync {
    fn set(&self, account: &str, secret: &Secret) -> Result<()>;
    /// `Ok(None)` when there is no entry.
    fn get(&self, account: &str) -> Result<Option<Secret>>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<()>;
    fn contains(&self, account: &str) -> Result<bool> {
        Ok(self.get(account)?.is_some())
    }
    /// A copy this store can give without a round trip to the platform's keyring (a cache hit), else
    /// `None`; never an error. Lets a caller skip a thread it would start only to wait on D-Bus.
    fn get_cached(&self, _account: &str) -> Option<Secret> {
        None
    }
}

pub type SharedSecretStore = Arc<dyn SecretStore>;

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows), under the
/// service name [`crate::paths::APP_ID`]; on Linux with the kernel keyring as a short-lived cache in front
/// ([`crate::kernel_keys`]), so a run of commands makes one D-Bus round trip, not one per command. Calls may
/// block on D-Bus round trips: call from `spawn_blocking` in async code that must stay responsive.
#[derive(Debug, Clone)]
pub struct KeyringStore(Cached<PlatformKeyring>);

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        let service = service.into();
        let cache = KernelKeyCache::from_environment(&service);
        KeyringStore(Cached::new(PlatformKeyring { service }, cache))
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(crate::paths::APP_ID)
    }
}

impl SecretStore for KeyringStore {
    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        self.0.set(account, secret)
    }

    fn get(&self, account: &str) -> Result<Option<Secret>> {
        self.0.get(account)
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.0.delete(account)
    }

    fn get_cached(&self, account: &str) -> Option<Secret> {
        self.0.get_cached(account)
    }
}

/// A store of record with a [`KernelKeyCache`] in front: reads try the cache first and fill it from the
/// store; writes and deletes go to the store first, then update or clear the cache, so the cache never holds
/// what the store refused. With no cache (`None`) it is the store alone.
#[derive(Debug, Clone)]
pub struct Cached<S> {
    store: S,
    cache: Option<KernelKeyCache>,
}

impl<S: SecretStore> Cached<S> {
    pub fn new(store: S, cache: Option<KernelKeyCache>) -> Self {
        Cached { store, cache }
    }
}

impl<S: SecretStore> SecretStore for Cached<S> {
    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        match self.store.set(account, secret) {
            Ok(()) => {
                if let Some(cache) = &self.cache {
                    cache.put(account, secret);
                }
                Ok(())
            }
            Err(e) => {
                // The store may or may not have changed: a cached copy could now be wrong either way.
                if let Some(cache) = &self.cache {
                    cache.remove(account);
                }
                Err(e)
            }
        }
    }

    fn get(&self, account: &str) -> Result<Option<Secret>> {
        if let Some(hit) = self.get_cached(account) {
            return Ok(Some(hit));
        }
        let found = self.store.get(account)?;
        if let (Some(cache), Some(secret)) = (&self.cache, &found) {
            cache.put(account, secret);
        }
        Ok(found)
    }

    fn delete(&self, account: &str) -> Result<()> {
        // Before: if the store's delete fails halfway, no copy is left to outlive it. After: a copy that a
        // concurrent reader put back from the store in the meantime is cleared too (one that reader puts back
        // later still can outlive the delete, for at most the cache's lifetime).
        if let Some(cache) = &self.cache {
            cache.remove(account);
        }
        let deleted = self.store.delete(account);
        if let Some(cache) = &self.cache {
            cache.remove(account);
        }
        deleted
    }

    fn get_cached(&self, account: &str) -> Option<Secret> {
        self.cache.as_ref().and_then(|c| c.get(account))
    }
}

/// The platform's secret store itself (see [`KeyringStore`]).
#[derive(Debug, Clone)]
pub struct PlatformKeyring {
    service: String,
}

impl PlatformKeyring {
    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(keyring_error)
    }
}

fn keyring_error(e: keyring::Error) -> CoreError {
    // keyring's messages name the platform failure, never the secret.
    match e {
        keyring::Error::NoStorageAccess(inner) => CoreError::KeyringUnavailable(inner.to_string()),
        keyring::Error::PlatformFailure(inner) => CoreError::KeyringUnavailable(inner.to_string()),
        other => CoreError::KeyringUnavailable(other.to_string()),
    }
}

impl SecretStore for PlatformKeyring {
    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        self.entry(account)?
            .set_password(secret.expose())
            .map_err(keyring_error)
    }

    fn get(&self, account: &str) -> Result<Option<Secret>> {
        match self.entry(account)?.get_password() {
            Ok(s) => Ok(Some(Secret::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// An in-memory store for tests and for the sandbox connection (whose demo secret is not worth keeping).
#[derive(Debug, Default, Clone)]
pub struct MemorySecretStore(Arc<Mutex<HashMap<String, Secret>>>);

impl MemorySecretStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl SecretStore for MemorySecretStore {
    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(account.to_string(), secret.clone());
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<Secret>> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(account)
            .cloned())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(account);
        Ok(())
    }
}
