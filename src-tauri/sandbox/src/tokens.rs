//! Issued tokens: opaque random strings held in memory with their expiry, API client and identity.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// Access and impersonation tokens live one hour (SIGMA_API.md §1).
pub(crate) const ACCESS_TOKEN_SECONDS: i64 = 3600;
/// Refresh tokens: Sigma does not document a lifetime; a week is plenty for a sandbox session.
pub(crate) const REFRESH_TOKEN_SECONDS: i64 = 7 * 24 * 3600;

/// Which org a token acts in: the sandbox org itself, or one of its tenants (by index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Main,
    Tenant(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct AccessGrant {
    /// Index of the API client the token was issued to (in the main org).
    pub client: usize,
    pub scope: Scope,
    /// The member the token acts as: the client's owner, or the impersonated member (in `scope`'s org).
    pub member: usize,
    pub impersonated: bool,
    pub expires_at: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct RefreshGrant {
    pub client: usize,
    pub expires_at: i64,
}

pub(crate) enum Lookup<T> {
    Valid(T),
    Expired,
    Unknown,
}

#[derive(Default)]
pub(crate) struct TokenStore {
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
    /// Every token handed out, in order, so leak tests can search a client's output for them.
    issued: Vec<String>,
}

/// How many issued tokens are remembered for [`TokenStore::issued`] (a long-running sandbox must not grow).
const ISSUED_KEPT: usize = 10_000;

/// 32 random bytes from a CSPRNG, URL-safe base64: opaque to clients, unguessable.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl TokenStore {
    pub fn issue_access(&mut self, grant: AccessGrant, now: i64) -> String {
        self.prune(now);
        let token = new_token();
        self.access.insert(token.clone(), grant);
        self.remember(&token);
        token
    }

    pub fn issue_refresh(&mut self, client: usize, now: i64) -> String {
        let token = new_token();
        self.refresh.insert(
            token.clone(),
            RefreshGrant {
                client,
                expires_at: now + REFRESH_TOKEN_SECONDS,
            },
        );
        self.remember(&token);
        token
    }

    fn remember(&mut self, token: &str) {
        if self.issued.len() < ISSUED_KEPT {
            self.issued.push(token.to_string());
        }
    }

    /// The access, refresh and impersonation tokens issued so far (the first [`ISSUED_KEPT`]).
    pub fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }

    pub fn access(&self, token: &str, now: i64) -> Lookup<AccessGrant> {
        match self.access.get(token) {
            Some(g) if g.expires_at > now => Lookup::Valid(g.clone()),
            Some(_) => Lookup::Expired,
            None => Lookup::Unknown,
        }
    }

    /// Makes `token` expire now (a fault: a token that runs out halfway through a walk).
    pub fn expire(&mut self, token: &str, now: i64) {
        if let Some(g) = self.access.get_mut(token) {
            g.expires_at = g.expires_at.min(now);
        }
    }

    /// Whether `token` is a known access token (expired or not) and, if so, an impersonation token.
    pub fn access_kind(&self, token: &str) -> Option<bool> {
        self.access.get(token).map(|g| g.impersonated)
    }

    /// Refresh tokens are single-use: a successful refresh removes the old one.
    pub fn take_refresh(&mut self, token: &str, now: i64) -> Lookup<RefreshGrant> {
        match self.refresh.remove(token) {
            Some(g) if g.expires_at > now => Lookup::Valid(g),
            Some(_) => Lookup::Expired,
            None => Lookup::Unknown,
        }
    }

    /// Forget tokens that expired more than a day ago (kept that long so "expired" can be told apart from
    /// "unknown" in error messages), so a long-running sandbox does not grow without bound.
    fn prune(&mut self, now: i64) {
        if self.access.len() < 10_000 {
            return;
        }
        self.access.retain(|_, g| g.expires_at + 86_400 > now);
        self.refresh.retain(|_, g| g.expires_at > now);
    }
}
