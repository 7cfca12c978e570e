//! Connection profiles: name, base URL, client ID and optional tenant, stored as JSON in the config dir
//! **without** the client secret, which goes to the [`SecretStore`] under `profile:<name>`. Everything here
//! works offline.

use crate::error::{CoreError, Result};
use crate::secret::Secret;
use crate::secret_store::SharedSecretStore;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use url::Url;

/// Sigma's regional API hosts (SIGMA_API.md §0).
pub const REGIONS: &[(&str, &str)] = &[
    ("AWS US West", "https://aws-api.sigmacomputing.com"),
    ("AWS US East", "https://api.us-a.aws.sigmacomputing.com"),
    ("AWS Canada", "https://api.ca.aws.sigmacomputing.com"),
    ("AWS Europe", "https://api.eu.aws.sigmacomputing.com"),
    ("AWS Australia", "https://api.au.aws.sigmacomputing.com"),
    ("AWS UK", "https://api.uk.aws.sigmacomputing.com"),
    ("Azure US", "https://api.us.azure.sigmacomputing.com"),
    ("Azure Europe", "https://api.eu.azure.sigmacomputing.com"),
    ("Azure Canada", "https://api.ca.azure.sigmacomputing.com"),
    ("Azure UK", "https://api.uk.azure.sigmacomputing.com"),
    ("Azure Australia", "https://api.au.azure.sigmacomputing.com"),
    ("GCP US", "https://api.sigmacomputing.com"),
    ("GCP KSA", "https://api.sa.gcp.sigmacomputing.com"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
    pub base_url: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// A PEM bundle of CA certificates trusted for this profile besides the system's (an org behind a
    /// private CA). Absent in older profiles files, which still load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

/// The most a CA bundle may weigh: far above any real bundle, low enough that a wrong file is not read whole.
const MAX_CA_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Checks a CA bundle: it exists, is a PEM file and holds at least one certificate. Returns its absolute
/// path, so the profile works whatever the current directory is later.
pub fn check_ca_file(path: &Path) -> Result<PathBuf> {
    let shown = path.display().to_string();
    let bad =
        |why: String| CoreError::InvalidProfile(format!("the CA certificate file '{shown}' {why}"));
    let absolute = std::fs::canonicalize(path).map_err(|e| {
        bad(format!(
            "cannot be found or opened ({e}); give the path of a PEM file"
        ))
    })?;
    let meta = std::fs::metadata(&absolute).map_err(|e| bad(format!("cannot be read ({e})")))?;
    if !meta.is_file() {
        return Err(bad("is not a file; give the path of a PEM file".into()));
    }
    if meta.len() > MAX_CA_FILE_BYTES {
        return Err(bad(format!(
            "is larger than {} MiB; it should be a PEM bundle of CA certificates",
            MAX_CA_FILE_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(&absolute).map_err(|e| bad(format!("cannot be read ({e})")))?;
    use rustls_pki_types::pem::PemObject;
    let certs = rustls_pki_types::CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| {
            bad("is not a valid PEM file; export the CA certificate as PEM (-----BEGIN CERTIFICATE-----)".into())
        })?;
    if certs.is_empty() {
        return Err(bad(
            "holds no certificate; it should contain at least one -----BEGIN CERTIFICATE----- block"
                .into(),
        ));
    }
    // A certificate is a DER SEQUENCE: a block of other base64 labelled CERTIFICATE is caught here rather
    // than when the first connection fails.
    if certs.iter().any(|c| c.as_ref().first() != Some(&0x30)) {
        return Err(bad(
            "holds a CERTIFICATE block that is not a certificate".into()
        ));
    }
    Ok(absolute)
}

/// `raw` with any `user:password@` removed, so an error about the URL never repeats a password.
fn without_userinfo(raw: &str) -> String {
    let start = raw.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &raw[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}[credentials removed]@{}", &raw[..start], &rest[at + 1..]),
        None => raw.to_string(),
    }
}

/// Checks a base URL: https anywhere, plain http only to loopback (the sandbox); no path, query or
/// credentials. Returns it normalised without a trailing slash.
pub fn validate_base_url(raw: &str) -> Result<Url> {
    // The URL is quoted in every error; credentials typed into it are not.
    let shown = without_userinfo(raw.trim());
    let bad = |reason: &str| CoreError::InvalidBaseUrl {
        url: shown.clone(),
        reason: reason.to_string(),
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(bad("it is empty; pick a Sigma region or give your API host, e.g. https://aws-api.sigmacomputing.com"));
    }
    let url = Url::parse(trimmed).map_err(|e| {
        bad(&format!(
            "{e}; it should look like https://aws-api.sigmacomputing.com"
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "it must not contain a user name or password; give only the host — the client ID and secret are asked for separately",
        ));
    }
    let host = url.host_str().ok_or_else(|| bad("it has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback_host(host) {
                return Err(bad("plain http is only allowed to this machine (127.0.0.1, ::1, localhost); use https"));
            }
        }
        other => {
            return Err(bad(&format!(
                "scheme '{other}' is not supported; use https"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment"));
    }
    let path = url.path().trim_end_matches('/');
    if !path.is_empty() {
        return Err(bad(&format!(
            "give only the host, without '{path}' (Stand-in adds /v2/... itself)"
        )));
    }
    Ok(url)
}

fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

/// The base URL as a string without a trailing slash, for joining paths.
pub fn base_url_string(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_string()
}

impl Profile {
    pub fn new(
        name: &str,
        base_url: &str,
        client_id: &str,
        tenant: Option<&str>,
    ) -> Result<Profile> {
        let p = Profile {
            name: name.trim().to_string(),
            base_url: base_url_string(&validate_base_url(base_url)?),
            client_id: client_id.trim().to_string(),
            tenant: tenant
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            ca_file: None,
        };
        p.validate()?;
        Ok(p)
    }

    /// Sets the CA bundle after checking it ([`check_ca_file`]); `None` leaves the system's trust only.
    pub fn with_ca_file(mut self, ca_file: Option<&Path>) -> Result<Profile> {
        self.ca_file = ca_file.map(check_ca_file).transpose()?;
        Ok(self)
    }

    pub fn validate(&self) -> Result<()> {
        if self.name.is_empty() || self.name.chars().count() > 64 {
            return Err(CoreError::InvalidProfile(
                "the name must be 1 to 64 characters".into(),
            ));
        }
        if !self
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        {
            return Err(CoreError::InvalidProfile(
                "the name may hold letters, digits, spaces, '-', '_' and '.'".into(),
            ));
        }
        validate_base_url(&self.base_url)?;
        if self.client_id.is_empty() || self.client_id.chars().any(char::is_whitespace) {
            return Err(CoreError::InvalidProfile(
                "the client ID must be non-empty and contain no spaces (copy it from Administration › Developer access)".into(),
            ));
        }
        Ok(())
    }

    /// The region name when the base URL is one of Sigma's, else "Custom".
    pub fn region(&self) -> &'static str {
        REGIONS
            .iter()
            .find(|(_, url)| *url == self.base_url)
            .map(|(name, _)| *name)
            .unwrap_or("Custom")
    }
}

/// The keyring account that holds a profile's client secret.
pub fn secret_account(profile_name: &str) -> String {
    format!("profile:{profile_name}")
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ProfilesFile {
    version: u32,
    profiles: Vec<Profile>,
}

/// Changes to a profile; `None` leaves a field as it is. `tenant: Some(None)` clears the tenant.
#[derive(Debug, Default, Clone)]
pub struct ProfileUpdate {
    pub name: Option<String>,
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    pub tenant: Option<Option<String>>,
    /// `Some(None)` removes the CA bundle; `Some(Some(path))` sets it (checked first).
    pub ca_file: Option<Option<PathBuf>>,
}

/// An edit's value for a field that can be set, cleared or left alone: `--clear-x` (or its checkbox) wins
/// and clears it (`Some(None)`); a value sets it; neither leaves it as it is (`None`).
pub fn set_or_clear<T>(value: Option<T>, clear: bool) -> Option<Option<T>> {
    if clear {
        Some(None)
    } else {
        value.map(Some)
    }
}

/// A CA file path as typed into a form: blank means none. It must be absolute: the app's working directory
/// is not one the user chose, so a relative path would name some other file.
pub fn ca_file_input(raw: Option<&str>) -> Result<Option<PathBuf>> {
    let Some(path) = raw
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
    else {
        return Ok(None);
    };
    if !path.is_absolute() {
        return Err(CoreError::InvalidProfile(format!(
            "the CA certificate file '{}' must be given as a full path, e.g. /etc/ssl/certs/corp-ca.pem",
            path.display()
        )));
    }
    Ok(Some(path))
}

/// What the secret store says about a profile's secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretState {
    Stored,
    /// The store answered and holds no secret for it: rotating stores one.
    Missing,
    /// The store (the OS keyring's Secret Service) could not be asked, so it is unknown; rotating would not
    /// help, starting the keyring would.
    Unavailable,
}

/// Profiles on disk plus their secrets in the secret store.
pub struct ProfileStore {
    path: PathBuf,
    secrets: SharedSecretStore,
}

impl ProfileStore {
    pub fn new(config_dir: &Path, secrets: SharedSecretStore) -> Self {
        ProfileStore {
            path: config_dir.join("profiles.json"),
            secrets,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn storage_err(&self, reason: impl std::fmt::Display) -> CoreError {
        CoreError::Storage {
            path: self.path.display().to_string(),
            reason: reason.to_string(),
        }
    }

    fn load(&self) -> Result<ProfilesFile> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                self.storage_err(format!(
                    "it is not a valid profiles file ({e}); fix or move it — Stand-in will not overwrite it"
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ProfilesFile {
                version: 1,
                profiles: vec![],
            }),
            Err(e) => Err(self.storage_err(e)),
        }
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Takes the profiles lock: every read-modify-write of the file (add, edit, rotate, remove) holds it, so
    /// the desktop app and the CLI changing profiles at the same moment each see the other's change instead of
    /// overwriting it. It is an advisory lock (`flock` / `LockFileEx`) on `profiles.json.lock`, not on
    /// `profiles.json` itself: that file is replaced by a rename on every save, and a lock on the old one would
    /// not exclude a writer that opened the new one. Released when the returned file is dropped (closing it
    /// releases the lock, also when the process dies). Plain reads take no lock: a save is atomic.
    fn lock(&self) -> Result<std::fs::File> {
        std::fs::create_dir_all(self.dir()).map_err(|e| self.storage_err(e))?;
        let lock_path = self.path.with_extension("json.lock");
        let lock_err = |e: std::io::Error| CoreError::Storage {
            path: lock_path.display().to_string(),
            reason: format!("could not lock the profiles file: {e}"),
        };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(lock_err)?;
        // Fully qualified: std's own `File::lock` (Rust 1.89) would shadow the trait method.
        fs4::FileExt::lock(&file).map_err(lock_err)?;
        Ok(file)
    }

    /// Writes the whole file to a new temporary file beside it (a unique name, so two writers never share
    /// one), syncs it, and renames it over `profiles.json`: readers see the old file or the new one, never
    /// half of one, and a crash leaves the old file. Callers hold [`Self::lock`].
    fn save(&self, file: &ProfilesFile) -> Result<()> {
        use std::io::Write;
        let dir = self.dir();
        std::fs::create_dir_all(dir).map_err(|e| self.storage_err(e))?;
        let text = serde_json::to_string_pretty(file).map_err(|e| self.storage_err(e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".profiles.json.")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| self.storage_err(e))?;
        tmp.write_all((text + "\n").as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| self.storage_err(e))?;
        // On failure the temporary file is removed when `tmp` drops.
        tmp.persist(&self.path)
            .map_err(|e| self.storage_err(e.error))?;
        // The rename itself is durable once the directory is synced (Unix; Windows has no directory handle
        // to sync). Best effort: the new file is complete either way.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    pub fn list(&self) -> Result<Vec<Profile>> {
        Ok(self.load()?.profiles)
    }

    pub fn get(&self, name: &str) -> Result<Profile> {
        self.load()?
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| CoreError::ProfileNotFound(name.to_string()))
    }

    /// Adds a profile and stores its secret. The secret is written first so a keyring failure leaves no
    /// profile without a secret behind.
    pub fn add(&self, profile: Profile, secret: &Secret) -> Result<()> {
        profile.validate()?;
        if let Some(ca) = &profile.ca_file {
            check_ca_file(ca)?;
        }
        if secret.is_empty() {
            return Err(CoreError::InvalidProfile(
                "the client secret is empty".into(),
            ));
        }
        let _lock = self.lock()?;
        let mut file = self.load()?;
        if file.profiles.iter().any(|p| p.name == profile.name) {
            return Err(CoreError::ProfileExists(profile.name));
        }
        self.secrets.set(&secret_account(&profile.name), secret)?;
        file.version = 1;
        file.profiles.push(profile);
        self.save(&file)
    }

    pub fn update(&self, name: &str, change: ProfileUpdate) -> Result<Profile> {
        let _lock = self.lock()?;
        let mut file = self.load()?;
        let idx = file
            .profiles
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| CoreError::ProfileNotFound(name.to_string()))?;
        let old = file.profiles[idx].clone();
        let new = Profile::new(
            change.name.as_deref().unwrap_or(&old.name),
            change.base_url.as_deref().unwrap_or(&old.base_url),
            change.client_id.as_deref().unwrap_or(&old.client_id),
            match &change.tenant {
                Some(t) => t.as_deref(),
                None => old.tenant.as_deref(),
            },
        )?;
        // A new CA file is checked; an unchanged one is kept as it is (a rename must not fail because
        // the file moved since — using the connection says so).
        let new = match change.ca_file {
            Some(ca) => new.with_ca_file(ca.as_deref())?,
            None => Profile {
                ca_file: old.ca_file.clone(),
                ..new
            },
        };
        if new.name != old.name {
            if file.profiles.iter().any(|p| p.name == new.name) {
                return Err(CoreError::ProfileExists(new.name));
            }
            // Move the secret to the new name before the file says so; then drop the old entry.
            if let Some(secret) = self.secrets.get(&secret_account(&old.name))? {
                self.secrets.set(&secret_account(&new.name), &secret)?;
            }
        }
        file.profiles[idx] = new.clone();
        self.save(&file)?;
        if new.name != old.name {
            self.secrets.delete(&secret_account(&old.name))?;
        }
        Ok(new)
    }

    pub fn rotate_secret(&self, name: &str, secret: &Secret) -> Result<()> {
        // Under the lock so a concurrent remove cannot leave a secret behind for a profile that is gone.
        let _lock = self.lock()?;
        self.get(name)?;
        if secret.is_empty() {
            return Err(CoreError::InvalidProfile(
                "the client secret is empty".into(),
            ));
        }
        self.secrets.set(&secret_account(name), secret)
    }

    /// Removes the profile and its keyring entry.
    pub fn remove(&self, name: &str) -> Result<()> {
        let _lock = self.lock()?;
        let mut file = self.load()?;
        let before = file.profiles.len();
        file.profiles.retain(|p| p.name != name);
        if file.profiles.len() == before {
            return Err(CoreError::ProfileNotFound(name.to_string()));
        }
        self.save(&file)?;
        self.secrets.delete(&secret_account(name))
    }

    /// Whether a secret is stored: the UI may ask this, never read the secret.
    pub fn has_secret(&self, name: &str) -> Result<bool> {
        self.secrets.contains(&secret_account(name))
    }

    /// [`ProfileStore::has_secret`], with a store that cannot be asked as its own answer rather than an
    /// error: a list of connections shows every profile even then.
    pub fn secret_state(&self, name: &str) -> SecretState {
        match self.has_secret(name) {
            Ok(true) => SecretState::Stored,
            Ok(false) => SecretState::Missing,
            Err(e) => {
                tracing::warn!(error = %e, "could not ask the keyring about a connection's secret");
                SecretState::Unavailable
            }
        }
    }

    /// The profile with its secret, read from the store at this moment.
    pub fn credentials(&self, name: &str) -> Result<crate::Credentials> {
        let profile = self.get(name)?;
        let secret = self
            .secrets
            .get(&secret_account(name))?
            .ok_or_else(|| CoreError::SecretMissing(name.to_string()))?;
        Ok(crate::Credentials::new(
            Some(profile.name.clone()),
            &profile.base_url,
            &profile.client_id,
            secret,
            profile.tenant.clone(),
        )?
        .with_ca_file(profile.ca_file.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_store::{MemorySecretStore, SecretStore};
    use std::sync::Arc;

    fn store() -> (tempfile::TempDir, ProfileStore, MemorySecretStore) {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemorySecretStore::new();
        let store = ProfileStore::new(dir.path(), Arc::new(secrets.clone()));
        (dir, store, secrets)
    }

    #[test]
    fn an_edit_sets_clears_or_leaves_a_field() {
        assert_eq!(set_or_clear(Some("t"), false), Some(Some("t")));
        assert_eq!(set_or_clear(Some("t"), true), Some(None));
        assert_eq!(set_or_clear::<&str>(None, true), Some(None));
        assert_eq!(set_or_clear::<&str>(None, false), None);
    }

    #[test]
    fn a_ca_file_from_a_form_is_blank_or_a_full_path() {
        assert_eq!(ca_file_input(None).unwrap(), None);
        assert_eq!(ca_file_input(Some("  ")).unwrap(), None);
        assert_eq!(
            ca_file_input(Some(" /etc/ssl/corp.pem ")).unwrap(),
            Some(PathBuf::from("/etc/ssl/corp.pem"))
        );
        let err = ca_file_input(Some("certs/corp.pem")).unwrap_err();
        assert!(matches!(err, CoreError::InvalidProfile(_)), "{err:?}");
        assert!(err.to_string().contains("full path"), "{err}");
    }

    /// A secret store that cannot be reached, like a session without a Secret Service.
    struct Unreachable;
    impl SecretStore for Unreachable {
        fn get(&self, _: &str) -> Result<Option<Secret>> {
            Err(CoreError::KeyringUnavailable("no Secret Service".into()))
        }
        fn set(&self, _: &str, _: &Secret) -> Result<()> {
            Err(CoreError::KeyringUnavailable("no Secret Service".into()))
        }
        fn delete(&self, _: &str) -> Result<()> {
            Err(CoreError::KeyringUnavailable("no Secret Service".into()))
        }
        fn contains(&self, _: &str) -> Result<bool> {
            Err(CoreError::KeyringUnavailable("no Secret Service".into()))
        }
    }

    #[test]
    fn a_secret_is_stored_missing_or_unknown_when_the_keyring_cannot_be_asked() {
        let (_dir, store, _) = store();
        let p = Profile::new("acme", "https://aws-api.sigmacomputing.com", "cid", None).unwrap();
        store.add(p, &Secret::new("s")).unwrap();
        assert_eq!(store.secret_state("acme"), SecretState::Stored);
        assert_eq!(store.secret_state("other"), SecretState::Missing);
        let dir = tempfile::tempdir().unwrap();
        let no_keyring = ProfileStore::new(dir.path(), Arc::new(Unreachable));
        assert_eq!(no_keyring.secret_state("acme"), SecretState::Unavailable);
    }

    #[test]
    fn base_urls_are_checked() {
        assert!(validate_base_url("https://aws-api.sigmacomputing.com/").is_ok());
        assert!(validate_base_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_base_url("http://[::1]:8080").is_ok());
        assert!(validate_base_url("http://localhost:1").is_ok());
        for bad in [
            "",
            "aws-api.sigmacomputing.com",
            "http://aws-api.sigmacomputing.com",
            "ftp://x.example",
            "https://u:p@x.example",
            "https://x.example/v2",
            "https://x.example?x=1",
            "http://10.0.0.1",
        ] {
            let err = validate_base_url(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_base_url", "{bad}");
        }
    }

    #[test]
    fn a_url_with_credentials_is_refused_without_repeating_them() {
        for raw in [
            "https://admin:hunter2-pw@api.example.com",
            "https://admin:hunter2-pw@api.example.com/v2",
            "http://admin:hunter2-pw@10.0.0.1",
            "admin:hunter2-pw@api.example.com",
            "https://admin:hunter2-pw@exa mple.com",
        ] {
            // The URL crate keeps the password: quoting the input as it is would show it.
            if let Ok(u) = Url::parse(raw) {
                assert!(u.as_str().contains("hunter2-pw"));
            }
            let err = validate_base_url(raw).unwrap_err();
            assert_eq!(err.code(), "invalid_base_url", "{raw}");
            let text = err.to_string();
            assert!(!text.contains("hunter2-pw"), "{text}");
            assert!(!format!("{err:?}").contains("hunter2-pw"), "{err:?}");
        }
        let err = validate_base_url("https://admin:hunter2-pw@api.example.com").unwrap_err();
        assert!(err.to_string().contains("user name or password"), "{err}");
        assert!(
            err.to_string()
                .contains("[credentials removed]@api.example.com"),
            "{err}"
        );
        // A user name alone is refused as well.
        assert!(validate_base_url("https://admin@api.example.com").is_err());
    }

    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBijCCATGgAwIBAgIUCWXu+W0rrhHU9DTfO55Ywev84AgwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQU3RhbmQtaW4gdGVzdCBDQTAeFw0yNjEyMDIwMzA1NDNaFw0z
NjExMjkwMzA1NDNaMBsxGTAXBgNVBAMMEFN0YW5kLWluIHRlc3QgQ0EwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAASCa+PYpV3FYIAKCUcdHK3qTiZrbSC+3DOAzqIV
YgpeFpbWd5y7LqrjYeT8h4eTMLWTP2VFwJ4trJj80nxnf/GDo1MwUTAdBgNVHQ4E
FgQUQqMQfImNkQC0zu+s+kkQtYSjlcQwHwYDVR0jBBgwFoAUQqMQfImNkQC0zu+s
+kkQtYSjlcQwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiApho5J
Ndz02c5enUSckdf/23/5hhUdMGhErEokRf/yygIgYtO2GnhvtTY7cQ+TbpTEQSxZ
iiLwx1KH6QUdXCeW3rc=
-----END CERTIFICATE-----
";

    #[test]
    fn ca_files_are_checked_kept_and_carried_into_the_credentials() {
        let (dir, store, _) = store();
        let ca = dir.path().join("corp-ca.pem");
        std::fs::write(&ca, TEST_CA).unwrap();
        let p = Profile::new("corp", "https://x.example", "c", None)
            .unwrap()
            .with_ca_file(Some(&ca))
            .unwrap();
        store.add(p, &Secret::new("s")).unwrap();
        let saved = store.get("corp").unwrap();
        assert_eq!(
            saved.ca_file.as_deref(),
            Some(ca.canonicalize().unwrap().as_path())
        );
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"caFile\""), "{text}");
        assert_eq!(
            store.credentials("corp").unwrap().ca_file.as_deref(),
            saved.ca_file.as_deref()
        );

        // Bad files are refused, on add and on edit, and the profile keeps its old file.
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let key_only = dir.path().join("key.pem");
        std::fs::write(
            &key_only,
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let not_der = dir.path().join("not-der.pem");
        std::fs::write(
            &not_der,
            "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(
            &garbage,
            "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let missing = dir.path().join("nope.pem");
        for bad in [
            &empty,
            &key_only,
            &not_der,
            &garbage,
            &missing,
            &dir.path().to_path_buf(),
        ] {
            let err = check_ca_file(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_profile", "{}", bad.display());
            assert!(err.to_string().contains("CA certificate file"), "{err}");
            let err = store
                .update(
                    "corp",
                    ProfileUpdate {
                        ca_file: Some(Some(bad.clone())),
                        ..Default::default()
                    },
                )
                .unwrap_err();
            assert_eq!(err.code(), "invalid_profile");
        }
        assert_eq!(store.get("corp").unwrap().ca_file, saved.ca_file);

        // A rename keeps the file; clearing removes it.
        let renamed = store
            .update(
                "corp",
                ProfileUpdate {
                    name: Some("corp2".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(renamed.ca_file, saved.ca_file);
        let cleared = store
            .update(
                "corp2",
                ProfileUpdate {
                    ca_file: Some(None),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(cleared.ca_file, None);
        assert_eq!(store.credentials("corp2").unwrap().ca_file, None);
        assert!(!std::fs::read_to_string(store.path())
            .unwrap()
            .contains("caFile"));
    }

    #[test]
    fn profiles_files_without_a_ca_file_still_load() {
        let (_dir, store, _) = store();
        std::fs::write(
            store.path(),
            r#"{"version":1,"profiles":[{"name":"old","baseUrl":"https://x.example","clientId":"c","tenant":"t"}]}"#,
        )
        .unwrap();
        let p = store.get("old").unwrap();
        assert_eq!(p.ca_file, None);
        assert_eq!(p.tenant.as_deref(), Some("t"));
    }

    #[test]
    fn profiles_round_trip_without_secrets_in_the_file() {
        let (_dir, store, secrets) = store();
        let p = Profile::new(
            "acme prod",
            "https://api.eu.aws.sigmacomputing.com",
            "cid-1",
            Some("t1"),
        )
        .unwrap();
        store.add(p.clone(), &Secret::new("s3cr3t-value")).unwrap();
        assert_eq!(store.list().unwrap(), vec![p.clone()]);
        assert_eq!(p.region(), "AWS Europe");
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(!text.contains("s3cr3t-value"));
        assert!(store.has_secret("acme prod").unwrap());
        assert_eq!(
            store.add(p.clone(), &Secret::new("x")).unwrap_err().code(),
            "profile_exists"
        );

        let renamed = store
            .update(
                "acme prod",
                ProfileUpdate {
                    name: Some("acme".into()),
                    tenant: Some(None),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(renamed.tenant, None);
        assert!(!secrets.contains("profile:acme prod").unwrap());
        assert_eq!(
            store.credentials("acme").unwrap().secret.expose(),
            "s3cr3t-value"
        );
        store.rotate_secret("acme", &Secret::new("new")).unwrap();
        assert_eq!(store.credentials("acme").unwrap().secret.expose(), "new");
        store.remove("acme").unwrap();
        assert!(store.list().unwrap().is_empty());
        assert!(!secrets.contains("profile:acme").unwrap());
        assert_eq!(
            store.remove("acme").unwrap_err().code(),
            "profile_not_found"
        );
    }

    #[test]
    fn a_broken_profiles_file_is_reported_and_kept() {
        let (_dir, store, _) = store();
        std::fs::write(store.path(), "{not json").unwrap();
        let err = store
            .add(
                Profile::new("a", "https://x.example", "c", None).unwrap(),
                &Secret::new("s"),
            )
            .unwrap_err();
        assert_eq!(err.code(), "storage");
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "{not json");
    }

    #[test]
    fn missing_secret_is_a_clear_error() {
        let (_dir, store, secrets) = store();
        store
            .add(
                Profile::new("a", "https://x.example", "c", None).unwrap(),
                &Secret::new("s"),
            )
            .unwrap();
        secrets.delete("profile:a").unwrap();
        assert_eq!(store.credentials("a").unwrap_err().code(), "secret_missing");
    }
}
