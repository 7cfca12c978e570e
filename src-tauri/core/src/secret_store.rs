//! Client secrets live only in the OS keyring. The store is a trait so tests use an in-memory one; the app
//! keeps its own index of entries (the profile list) instead of enumerating the keyring.

use crate::error::{CoreError, Result};
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
}

pub type SharedSecretStore = Arc<dyn SecretStore>;

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows), under the
/// service name [`crate::paths::APP_ID`]. Calls block on D-Bus round trips: call from `spawn_blocking` in
/// async code that must stay responsive.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        KeyringStore {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(keyring_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(crate::paths::APP_ID)
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

impl SecretStore for KeyringStore {
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
