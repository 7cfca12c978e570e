//! Connection commands, as the web view calls them: the secret is a `Secret` from deserialization on (so
//! no `Debug` shows it), a keyring that cannot be asked is reported as such (not as "no secret"), the CA
//! certificate file is checked and kept, and console errors have their own code.

use stand_in::commands::{connections, session};
use stand_in::dto::*;
use stand_in::state::{AppConfig, AppState, EventSink};
use standin_core::secret_store::{MemorySecretStore, SecretStore};
use standin_core::{CoreError, Secret};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "top-secret-7c1e9a";

struct Silent;

impl EventSink for Silent {
    fn emit(&self, _: &str, _: serde_json::Value) {}
}

/// An in-memory keyring that can be made unreachable, as when no Secret Service runs.
#[derive(Clone, Default)]
struct FlakyKeyring {
    inner: MemorySecretStore,
    down: Arc<AtomicBool>,
}

impl FlakyKeyring {
    fn check(&self) -> standin_core::Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(CoreError::KeyringUnavailable(
                "org.freedesktop.secrets was not provided by any .service files".into(),
            ));
        }
        Ok(())
    }
}

impl SecretStore for FlakyKeyring {
    fn set(&self, account: &str, secret: &Secret) -> standin_core::Result<()> {
        self.check()?;
        self.inner.set(account, secret)
    }
    fn get(&self, account: &str) -> standin_core::Result<Option<Secret>> {
        self.check()?;
        self.inner.get(account)
    }
    fn delete(&self, account: &str) -> standin_core::Result<()> {
        self.check()?;
        self.inner.delete(account)
    }
}

async fn app(keyring: &FlakyKeyring) -> (Arc<AppState>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("data/audit.jsonl"),
        export_dir: dir.path().join("Downloads"),
        secrets: Arc::new(keyring.clone()),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state = Arc::new(AppState::start(config, Arc::new(Silent)).await.unwrap());
    (state, dir)
}

fn input(json: serde_json::Value) -> ConnectionInput {
    serde_json::from_value(json).expect("the web view's input deserializes")
}

#[test]
fn the_input_dtos_never_show_the_secret() {
    let add = input(serde_json::json!({
        "name": "Acme", "baseUrl": "https://x.example", "clientId": "c",
        "tenant": null, "secret": SECRET
    }));
    // The field really holds the value: the redaction is not an empty field.
    assert_eq!(add.secret.expose(), SECRET);
    assert_eq!(add.ca_file, None);
    for shown in [format!("{add:?}"), format!("{add:#?}")] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
    // The rotate command's argument is the same type.
    let rotated: Secret = serde_json::from_value(serde_json::json!(SECRET)).unwrap();
    assert!(!format!("{rotated:?}").contains(SECRET));
    // And a deserialize error about the secret does not quote it either.
    let err = serde_json::from_value::<ConnectionInput>(serde_json::json!({
        "name": "Acme", "baseUrl": "https://x.example", "clientId": "c", "secret": 42
    }))
    .unwrap_err();
    assert!(!err.to_string().contains(SECRET));
}

#[tokio::test]
async fn a_keyring_that_cannot_be_asked_is_not_reported_as_a_missing_secret() {
    let keyring = FlakyKeyring::default();
    let (state, _dir) = app(&keyring).await;
    let added = connections::add_connection(
        &state,
        input(serde_json::json!({
            "name": "Acme", "baseUrl": "https://x.example", "clientId": "c",
            "tenant": null, "secret": SECRET
        })),
    )
    .await
    .unwrap();
    assert_eq!(added.secret_status, SecretStatus::Stored);
    assert!(added.has_secret);

    keyring.down.store(true, Ordering::SeqCst);
    let listed = connections::list_connections(&state).await.unwrap();
    let acme = listed.iter().find(|c| c.name == "Acme").unwrap();
    assert_eq!(acme.secret_status, SecretStatus::KeyringUnavailable);
    assert!(!acme.has_secret);
    let json = serde_json::to_value(acme).unwrap();
    assert_eq!(json["secretStatus"], "keyringUnavailable");

    // An edit still saves (the file needs no keyring) and says the same.
    let edited = connections::update_connection(
        &state,
        "Acme".into(),
        ConnectionUpdate {
            client_id: Some("c2".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(edited.client_id, "c2");
    assert_eq!(edited.secret_status, SecretStatus::KeyringUnavailable);

    // With the keyring back and the entry gone, it is "missing".
    keyring.down.store(false, Ordering::SeqCst);
    keyring.inner.delete("profile:Acme").unwrap();
    let listed = connections::list_connections(&state).await.unwrap();
    let acme = listed.iter().find(|c| c.name == "Acme").unwrap();
    assert_eq!(acme.secret_status, SecretStatus::Missing);
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

#[tokio::test]
async fn a_ca_certificate_file_is_checked_saved_shown_and_cleared() {
    let keyring = FlakyKeyring::default();
    let (state, dir) = app(&keyring).await;
    let ca = dir.path().join("corp-ca.pem");
    std::fs::write(&ca, TEST_CA).unwrap();
    let not_pem = dir.path().join("notes.txt");
    std::fs::write(&not_pem, "just some text\n").unwrap();

    let err = connections::add_connection(
        &state,
        input(serde_json::json!({
            "name": "Corp", "baseUrl": "https://x.example", "clientId": "c",
            "tenant": null, "secret": SECRET, "caFile": not_pem.display().to_string()
        })),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "invalid_profile");
    assert!(
        err.message.contains("CA certificate file"),
        "{}",
        err.message
    );
    assert!(!err.message.contains(SECRET));
    let listed = connections::list_connections(&state).await.unwrap();
    assert!(listed.iter().all(|c| c.name != "Corp"), "nothing was saved");

    let added = connections::add_connection(
        &state,
        input(serde_json::json!({
            "name": "Corp", "baseUrl": "https://x.example", "clientId": "c",
            "tenant": null, "secret": SECRET, "caFile": ca.display().to_string()
        })),
    )
    .await
    .unwrap();
    let shown = ca.canonicalize().unwrap().display().to_string();
    assert_eq!(added.ca_file.as_deref(), Some(shown.as_str()));
    let listed = connections::list_connections(&state).await.unwrap();
    let corp = listed.iter().find(|c| c.name == "Corp").unwrap();
    assert_eq!(corp.ca_file.as_deref(), Some(shown.as_str()));

    // A relative path would be resolved against the app's working directory: refused.
    let err = connections::update_connection(
        &state,
        "Corp".into(),
        ConnectionUpdate {
            ca_file: Some("corp-ca.pem".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "invalid_profile");
    assert!(err.message.contains("full path"), "{}", err.message);

    let err = connections::update_connection(
        &state,
        "Corp".into(),
        ConnectionUpdate {
            ca_file: Some(dir.path().join("gone.pem").display().to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "invalid_profile");

    let cleared = connections::update_connection(
        &state,
        "Corp".into(),
        ConnectionUpdate {
            clear_ca_file: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(cleared.ca_file, None);
}

#[tokio::test]
async fn console_errors_have_their_own_code() {
    let keyring = FlakyKeyring::default();
    let (state, _dir) = app(&keyring).await;
    session::start_impersonation(
        &state,
        StartRequest {
            email: "tom.lee@acme.example".into(),
            tenant: None,
            reason: "SUP-1".into(),
            read_only: true,
            duration_minutes: 5,
            replace_active: false,
        },
    )
    .await
    .unwrap();
    for (method, path) in [
        ("FETCH", "/v2/whoami"),
        ("GET", "/v2/../admin"),
        ("GET", "https://evil.example/v2/x"),
    ] {
        let err = session::console_send(
            &state,
            ConsoleRequest {
                method: method.into(),
                path: path.into(),
                body: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, "console_request", "{method} {path}");
        assert_ne!(err.code, "invalid_profile");
    }
    // The check explains it before sending.
    let check = session::check_console_request(
        &state,
        ConsoleRequest {
            method: "GET".into(),
            path: "/v2/%2e%2e/admin".into(),
            body: None,
        },
    )
    .await
    .unwrap();
    assert!(!check.allowed);
    assert!(check.reason.unwrap().contains("/v2/"));
    session::stop_impersonation(&state).await.unwrap();
}
