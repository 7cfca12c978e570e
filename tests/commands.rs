//! The desktop app's commands, called as the web view would call them but without a web view: the app
//! state (sandbox org in-process, in-memory secret store, recorded events) and one call per command.

use stand_in::commands::{audit, connections, directory, session};
use stand_in::dto::*;
use stand_in::state::{AppConfig, AppState, EventSink, SANDBOX_NAME};
use standin_core::secret_store::{MemorySecretStore, SecretStore};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Recorded(Mutex<Vec<(String, serde_json::Value)>>);

impl EventSink for Recorded {
    fn emit(&self, event: &str, payload: serde_json::Value) {
        self.0.lock().unwrap().push((event.to_string(), payload));
    }
}

impl Recorded {
    fn names(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(n, _)| n.clone())
            .collect()
    }
}

struct Harness {
    state: Arc<AppState>,
    events: Arc<Recorded>,
    secrets: MemorySecretStore,
    dir: tempfile::TempDir,
}

async fn harness_with_cap(cap: Duration) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecretStore::new();
    let events = Arc::new(Recorded::default());
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("data/audit.jsonl"),
        export_dir: dir.path().join("Downloads"),
        secrets: Arc::new(secrets.clone()),
        session_cap: cap,
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state = Arc::new(AppState::start(config, events.clone()).await.unwrap());
    Harness {
        state,
        events,
        secrets,
        dir,
    }
}

async fn harness() -> Harness {
    harness_with_cap(Duration::from_secs(3600)).await
}

fn start_request(email: &str) -> StartRequest {
    StartRequest {
        email: email.into(),
        tenant: None,
        reason: "SUP-7 workbook missing".into(),
        read_only: true,
        duration_minutes: 15,
        replace_active: false,
    }
}

#[tokio::test]
async fn first_launch_is_connected_to_the_sandbox_org_as_an_admin() {
    let h = harness().await;
    let state = connections::current_connection(&h.state).await.unwrap();
    assert_eq!(state.connection.name, SANDBOX_NAME);
    assert_eq!(state.connection.kind, ConnectionKind::Sandbox);
    let actor = state.actor.unwrap();
    assert!(actor.can_impersonate);
    assert_eq!(actor.email.as_deref(), Some("admin@acme.example"));
    let list = connections::list_connections(&h.state).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(connections::list_regions().len() >= 13);
}

#[tokio::test]
async fn connections_are_added_edited_rotated_and_removed_offline() {
    let h = harness().await;
    let sandbox_url = h.state.sandbox.base_url();
    let added = connections::add_connection(
        &h.state,
        ConnectionInput {
            name: "Acme EU".into(),
            base_url: "https://api.eu.aws.sigmacomputing.com".into(),
            client_id: "cid".into(),
            tenant: None,
            secret: "top-secret".into(),
            ca_file: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(added.region, "AWS Europe");
    assert!(added.has_secret);
    // The secret went to the store, not the profiles file.
    assert!(h.secrets.contains("profile:Acme EU").unwrap());
    let file = std::fs::read_to_string(h.dir.path().join("config/profiles.json")).unwrap();
    assert!(!file.contains("top-secret"));
    // No DTO sent back carries it.
    let listed = connections::list_connections(&h.state).await.unwrap();
    assert!(!serde_json::to_string(&listed)
        .unwrap()
        .contains("top-secret"));

    let err = connections::add_connection(
        &h.state,
        ConnectionInput {
            name: SANDBOX_NAME.into(),
            base_url: "https://x.example".into(),
            client_id: "c".into(),
            tenant: None,
            secret: "s".into(),
            ca_file: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "invalid_profile");
    let err = connections::add_connection(
        &h.state,
        ConnectionInput {
            name: "bad".into(),
            base_url: "http://sigma.example".into(),
            client_id: "c".into(),
            tenant: None,
            secret: "s".into(),
            ca_file: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "invalid_base_url");
    assert!(err.message.contains("plain http"));

    let edited = connections::update_connection(
        &h.state,
        "Acme EU".into(),
        ConnectionUpdate {
            name: Some("Local".into()),
            base_url: Some(sandbox_url.clone()),
            client_id: Some(h.state.sandbox.admin_credentials().client_id),
            tenant: None,
            clear_tenant: false,
            ca_file: None,
            clear_ca_file: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(edited.region, "Custom");
    // Test fails with the wrong secret (Sigma's 401 with its request ID), then works after a rotation.
    let err = connections::test_connection(&h.state, "Local".into())
        .await
        .unwrap_err();
    assert_eq!(err.code, "unauthorized");
    assert!(err.request_id.is_some());
    connections::rotate_secret(
        &h.state,
        "Local".into(),
        h.state.sandbox.admin_credentials().client_secret.into(),
    )
    .await
    .unwrap();
    let actor = connections::test_connection(&h.state, "Local".into())
        .await
        .unwrap();
    assert_eq!(actor.account_type, "admin");
    let selected = connections::select_connection(&h.state, "Local".into())
        .await
        .unwrap();
    assert_eq!(selected.connection.name, "Local");
    assert!(selected.actor.is_some());
    // Removing the active connection falls back to the sandbox and deletes the secret.
    connections::remove_connection(&h.state, "Local".into())
        .await
        .unwrap();
    assert!(!h.secrets.contains("profile:Local").unwrap());
    let now = connections::current_connection(&h.state).await.unwrap();
    assert_eq!(now.connection.name, SANDBOX_NAME);
}

#[tokio::test]
async fn users_profiles_and_team_members_carry_eligibility_with_reasons() {
    let h = harness().await;
    let users = directory::list_users(&h.state, UserQuery::default())
        .await
        .unwrap();
    let tom = users
        .iter()
        .find(|u| u.email == "tom.lee@acme.example")
        .unwrap();
    assert!(tom.impersonation.allowed);
    let priya = users
        .iter()
        .find(|u| u.email == "priya.raman@acme.example")
        .unwrap();
    assert!(!priya.impersonation.allowed);
    assert!(priya
        .impersonation
        .reason
        .as_deref()
        .unwrap()
        .contains("admins cannot impersonate other admins"));
    let all = directory::list_users(
        &h.state,
        UserQuery {
            search: None,
            include_archived: true,
        },
    )
    .await
    .unwrap();
    let grace = all
        .iter()
        .find(|u| u.email == "grace.chen@acme.example")
        .unwrap();
    assert!(grace.is_archived && !grace.impersonation.allowed);
    assert!(grace
        .impersonation
        .reason
        .as_deref()
        .unwrap()
        .contains("archived"));

    let profile = directory::get_user(&h.state, tom.member_id.clone())
        .await
        .unwrap();
    assert!(profile.member.impersonation.allowed);
    assert!(profile.teams.error.is_none() && profile.attributes.error.is_none());
    assert!(profile
        .teams
        .value
        .as_ref()
        .unwrap()
        .iter()
        .any(|t| t.name == "Sales"));
    assert!(profile
        .attributes
        .value
        .as_ref()
        .unwrap()
        .iter()
        .any(|a| a.name == "SNOWFLAKE_ROLE"));

    let teams = directory::list_teams(&h.state).await.unwrap();
    let sales = teams.iter().find(|t| t.name == "Sales").unwrap();
    let members = directory::get_team_members(&h.state, sales.team_id.clone())
        .await
        .unwrap();
    let tom_row = members.iter().find(|m| m.user_id == tom.member_id).unwrap();
    assert!(tom_row.is_team_admin);
    assert_eq!(tom_row.member.as_ref().unwrap().email, tom.email);
    assert!(tom_row.impersonation.allowed);
}

#[tokio::test]
async fn a_session_from_start_to_stop_with_views_console_tokens_and_events() {
    let h = harness().await;
    let started = session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    assert_eq!(started.subject_email, "tom.lee@acme.example");
    assert_eq!(started.subject_name.as_deref(), Some("Tom Lee"));
    assert!(started.read_only);
    assert!(started.seconds_left > 14 * 60 && started.seconds_left <= 15 * 60);
    assert_eq!(h.events.names(), ["session-started"]);

    // Only one at a time.
    let err = session::start_impersonation(&h.state, start_request("sofia.martinez@acme.example"))
        .await
        .unwrap_err();
    assert_eq!(err.rule.as_deref(), Some("session_active"));

    let me = session::session_whoami(&h.state).await.unwrap();
    assert_eq!(Some(me.user_id.clone()), started.subject_id);
    let workbooks = session::session_files(&h.state, Some("workbook".into()))
        .await
        .unwrap();
    assert!(workbooks.iter().all(|f| f.file_type == "workbook"));
    session::session_my_documents(&h.state).await.unwrap();
    let cmp = session::session_compare(&h.state, None).await.unwrap();
    assert!(!cmp.only_admin.is_empty());

    // Console: GET works; writes refused in read-only mode, and blocked endpoints explained, before sending.
    let ok = session::console_send(
        &h.state,
        ConsoleRequest {
            method: "GET".into(),
            path: "/v2/whoami".into(),
            body: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["userId"], me.user_id.as_str());
    let check = session::check_console_request(
        &h.state,
        ConsoleRequest {
            method: "POST".into(),
            path: "/v2/files".into(),
            body: None,
        },
    )
    .await
    .unwrap();
    assert!(!check.allowed && check.reason.unwrap().contains("read-only"));
    let check = session::check_console_request(
        &h.state,
        ConsoleRequest {
            method: "GET".into(),
            path: "/v2/connections/paths/abc".into(),
            body: None,
        },
    )
    .await
    .unwrap();
    assert!(
        !check.allowed
            && check
                .reason
                .unwrap()
                .contains("does not accept impersonation tokens")
    );
    let not_found = session::console_send(
        &h.state,
        ConsoleRequest {
            method: "GET".into(),
            path: "/v2/members/nobody".into(),
            body: None,
        },
    )
    .await
    .unwrap();
    assert!(not_found.status == 403 || not_found.status == 404);
    assert!(not_found.request_id.is_some());

    let tokens = session::session_tokens(&h.state).await.unwrap();
    assert_eq!(tokens.len(), 3);
    assert_eq!(
        tokens[1].claims.as_ref().unwrap()["sub"],
        "tom.lee@acme.example"
    );
    let text = serde_json::to_string(&tokens).unwrap();
    for t in h.state.sandbox.issued_tokens() {
        assert!(
            !text.contains(&t),
            "a token reached the inspector's payload"
        );
    }

    let stopped = session::stop_impersonation(&h.state)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stopped.subject_id, started.subject_id,
        "Stop returns to that user's profile"
    );
    assert_eq!(stopped.reason, StopReason::Stopped);
    assert!(session::current_session(&h.state).await.unwrap().is_none());
    assert_eq!(h.events.names(), ["session-started", "session-stopped"]);
    assert_eq!(
        session::session_whoami(&h.state).await.unwrap_err().code,
        "no_session"
    );
    assert!(session::stop_impersonation(&h.state)
        .await
        .unwrap()
        .is_none());

    let entries = audit::audit_entries(&h.state).await.unwrap();
    let events: Vec<&str> = entries.iter().map(|e| e.event.as_str()).collect();
    assert!(events.contains(&"impersonation.refused"));
    assert_eq!(events.first(), Some(&"impersonation.start"));
    assert_eq!(events.last(), Some(&"impersonation.stop"));
    let csv = audit::export_audit(&h.state, ExportFormat::Csv, AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(csv.count as usize, entries.len());
    let written = std::fs::read_to_string(&csv.path).unwrap();
    assert!(written.starts_with("time,event,"));
    assert_eq!(written.lines().count(), entries.len() + 1);
    let json = audit::export_audit(&h.state, ExportFormat::Json, AuditFilter::default())
        .await
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json.path).unwrap()).unwrap();
    assert_eq!(v["entries"].as_array().unwrap().len(), entries.len());
}

#[tokio::test]
async fn replacing_a_session_and_refusals_come_back_as_error_dtos() {
    let h = harness().await;
    session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    let mut next = start_request("sofia.martinez@acme.example");
    next.replace_active = true;
    let s = session::start_impersonation(&h.state, next).await.unwrap();
    assert_eq!(s.subject_email, "sofia.martinez@acme.example");
    assert_eq!(
        h.events.names(),
        ["session-started", "session-stopped", "session-started"]
    );
    let (_, replaced) = h.events.0.lock().unwrap()[1].clone();
    assert_eq!(replaced["reason"], "replaced");
    session::stop_impersonation(&h.state).await.unwrap();

    let err = session::start_impersonation(&h.state, start_request("priya.raman@acme.example"))
        .await
        .unwrap_err();
    assert_eq!(err.code, "refused");
    assert_eq!(err.rule.as_deref(), Some("target_is_admin"));
    let mut no_reason = start_request("tom.lee@acme.example");
    no_reason.reason = " ".into();
    let err = session::start_impersonation(&h.state, no_reason)
        .await
        .unwrap_err();
    assert_eq!(err.rule.as_deref(), Some("reason_required"));
}

#[tokio::test]
async fn expiry_warns_then_ends_the_session_by_itself() {
    // A 2-second policy cap: the warning comes halfway (sessions under two minutes), the end at 2 s.
    let h = harness_with_cap(Duration::from_secs(2)).await;
    let s = session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    assert!(s.seconds_left <= 2);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(h.events.names(), ["session-started", "session-expiring"]);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        h.events.names(),
        ["session-started", "session-expiring", "session-stopped"]
    );
    let (_, payload) = h.events.0.lock().unwrap()[2].clone();
    assert_eq!(payload["reason"], "expired");
    assert_eq!(payload["subjectEmail"], "tom.lee@acme.example");
    assert!(session::current_session(&h.state).await.unwrap().is_none());
    let entries = audit::audit_entries(&h.state).await.unwrap();
    let end = entries.last().unwrap();
    assert_eq!(end.event, "impersonation.expired");
    assert!(!entries.iter().any(|e| e.event == "impersonation.stop"));
}

async fn tom_id(h: &Harness) -> String {
    directory::list_users(&h.state, UserQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "tom.lee@acme.example")
        .unwrap()
        .member_id
}

#[tokio::test]
async fn a_profile_shows_what_loaded_when_the_attribute_endpoints_answer_404() {
    let h = harness().await;
    let tom = tom_id(&h).await;
    // A Sigma-compatible server without the team attribute endpoint.
    h.state
        .sandbox
        .inject_fault_every("/v2/teams/", standin_sandbox::Fault::ServerError(404), 1);
    let profile = directory::get_user(&h.state, tom.clone()).await.unwrap();
    assert!(h.state.sandbox.faults_fired() >= 1);
    assert_eq!(profile.member.email, "tom.lee@acme.example");
    assert!(profile.member.impersonation.allowed);
    assert!(profile
        .teams
        .value
        .as_ref()
        .unwrap()
        .iter()
        .any(|t| t.name == "Sales"));
    let err = profile
        .attributes
        .error
        .as_ref()
        .expect("attributes failed");
    assert!(profile.attributes.value.is_none());
    assert!(err.request_id.is_some(), "{err:?}");
    h.state.sandbox.clear_faults();

    // Nor the per-attribute user list.
    h.state.sandbox.inject_fault_every(
        "/v2/user-attributes/",
        standin_sandbox::Fault::ServerError(404),
        1,
    );
    let profile = directory::get_user(&h.state, tom.clone()).await.unwrap();
    assert!(profile.teams.value.is_some());
    assert!(profile.attributes.error.is_some());
    h.state.sandbox.clear_faults();

    // Teams failing takes the attributes (derived from teams) with it, never the member record.
    h.state.sandbox.inject_fault_every(
        &format!("/v2/members/{tom}/teams"),
        standin_sandbox::Fault::ServerError(404),
        1,
    );
    let profile = directory::get_user(&h.state, tom.clone()).await.unwrap();
    assert!(profile.teams.error.is_some() && profile.teams.value.is_none());
    assert!(profile.attributes.error.is_some());
    assert!(profile.member.impersonation.allowed);
    h.state.sandbox.clear_faults();

    // Without the member record there is no profile.
    let err = directory::get_user(&h.state, "no-such-member".into())
        .await
        .unwrap_err();
    assert!(!err.message.is_empty());
}

#[tokio::test]
async fn extending_a_session_is_a_new_exchange_on_record_as_an_extension() {
    let h = harness().await;
    let mut req = start_request("tom.lee@acme.example");
    req.read_only = false;
    let first = session::start_impersonation(&h.state, req).await.unwrap();
    let next = session::extend_session(&h.state).await.unwrap();
    assert_ne!(next.id, first.id);
    assert_eq!(next.subject_email, first.subject_email);
    assert_eq!(next.reason, first.reason);
    assert!(!next.read_only);
    assert_eq!(
        session::current_session(&h.state)
            .await
            .unwrap()
            .unwrap()
            .id,
        next.id
    );
    // Nothing ended for the user: no session-stopped, and the new session is announced.
    assert_eq!(h.events.names(), ["session-started", "session-started"]);
    let entries = audit::audit_entries(&h.state).await.unwrap();
    let extend = entries
        .iter()
        .find(|e| e.event == "impersonation.extend")
        .expect("an extension on record");
    assert_eq!(extend.session_id.as_deref(), Some(next.id.as_str()));
    assert_eq!(
        extend.detail.as_deref(),
        Some(format!("extends {}", first.id).as_str())
    );
    assert_eq!(extend.reason, first.reason);
    assert_eq!(extend.read_only, Some(false));
    assert!(entries
        .iter()
        .any(|e| e.event == "impersonation.start"
            && e.session_id.as_deref() == Some(next.id.as_str())));
    assert!(entries
        .iter()
        .any(|e| e.event == "impersonation.stop"
            && e.session_id.as_deref() == Some(first.id.as_str())));

    // A stopped session cannot be extended.
    session::stop_impersonation(&h.state).await.unwrap();
    let err = session::extend_session(&h.state).await.unwrap_err();
    assert_eq!(err.code, "no_session");
    assert!(session::current_session(&h.state).await.unwrap().is_none());
    let after = audit::audit_entries(&h.state).await.unwrap();
    assert_eq!(
        after
            .iter()
            .filter(|e| e.event == "impersonation.extend")
            .count(),
        1
    );
}

#[tokio::test]
async fn the_expiry_watcher_follows_an_extended_sessions_new_deadline() {
    // 2-second sessions: the first would warn at 1 s and end at 2 s.
    let h = harness_with_cap(Duration::from_secs(2)).await;
    let first = session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let next = session::extend_session(&h.state).await.unwrap();
    // Past the first session's end: still going, nothing said about the old one.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        session::current_session(&h.state)
            .await
            .unwrap()
            .unwrap()
            .id,
        next.id
    );
    let events = h.events.0.lock().unwrap().clone();
    assert!(!events.iter().any(|(n, _)| n == "session-stopped"));
    assert!(!events
        .iter()
        .any(|(_, p)| p["sessionId"] == first.id.as_str() && p.get("secondsLeft").is_some()));
    // …and the new session ends at its own deadline.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let events = h.events.0.lock().unwrap().clone();
    let (_, stopped) = events
        .iter()
        .find(|(n, _)| n == "session-stopped")
        .expect("the extended session ended");
    assert_eq!(stopped["sessionId"], next.id.as_str());
    assert_eq!(stopped["reason"], "expired");
    assert!(events
        .iter()
        .any(|(n, p)| n == "session-expiring" && p["sessionId"] == next.id.as_str()));
    assert!(session::current_session(&h.state).await.unwrap().is_none());
}

#[tokio::test]
async fn a_connection_change_ends_the_session() {
    let h = harness().await;
    session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    connections::select_connection(&h.state, SANDBOX_NAME.into())
        .await
        .unwrap();
    assert!(session::current_session(&h.state).await.unwrap().is_none());
    assert_eq!(h.events.names(), ["session-started", "session-stopped"]);
    let (_, stopped) = h.events.0.lock().unwrap()[1].clone();
    assert_eq!(stopped["reason"], "switched");
}

#[tokio::test]
async fn read_write_sessions_may_send_writes_with_a_json_body() {
    let h = harness().await;
    let mut req = start_request("tom.lee@acme.example");
    req.read_only = false;
    session::start_impersonation(&h.state, req).await.unwrap();
    let blocked = session::check_console_request(
        &h.state,
        ConsoleRequest {
            method: "POST".into(),
            path: "/v2/workbooks/w1/export".into(),
            body: None,
        },
    )
    .await
    .unwrap();
    assert!(
        !blocked.allowed,
        "export rejects impersonation tokens even read-write"
    );
    let answer = session::console_send(
        &h.state,
        ConsoleRequest {
            method: "POST".into(),
            path: "/v2/files".into(),
            body: Some(serde_json::json!({"name": "From the console"})),
        },
    )
    .await
    .unwrap();
    // The sandbox does not create files; what matters is that the write went out as the user and was
    // recorded, and that Sigma's answer came back whatever its status.
    assert!(answer.status >= 200);
    let entries = audit::audit_entries(&h.state).await.unwrap();
    let write = entries
        .iter()
        .rev()
        .find(|e| e.event == "impersonation.request")
        .unwrap();
    assert_eq!(write.method.as_deref(), Some("POST"));
    assert_eq!(write.path.as_deref(), Some("/v2/files"));
    assert_eq!(write.status, Some(answer.status));
    session::stop_impersonation(&h.state).await.unwrap();
}

#[tokio::test]
async fn a_session_whose_token_sigma_refuses_ends_with_a_notice_and_an_audit_record() {
    let h = harness().await;
    let started = session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
    // Sigma revokes the impersonation token long before its time is up.
    h.state
        .sandbox
        .inject_fault("/v2/whoami", standin_sandbox::Fault::ExpireToken, 1);
    let err = session::session_whoami(&h.state).await.unwrap_err();
    assert_eq!(h.state.sandbox.faults_fired(), 1);
    assert_eq!(err.code, "session_ended_by_server", "{}", err.message);
    assert!(err.message.contains("the session expired on the server"));
    assert!(err.request_id.is_some());
    // Ended for the app: no current session, a session-stopped event that says why.
    assert!(session::current_session(&h.state).await.unwrap().is_none());
    assert_eq!(h.events.names(), ["session-started", "session-stopped"]);
    let stopped = h.events.0.lock().unwrap()[1].1.clone();
    assert_eq!(stopped["reason"], "endedByServer");
    assert_eq!(stopped["sessionId"], started.id.as_str());
    // On record once, as an expiry the server caused.
    let entries = audit::audit_entries(&h.state).await.unwrap();
    let ends: Vec<_> = entries
        .iter()
        .filter(|e| e.event == "impersonation.expired" || e.event == "impersonation.stop")
        .collect();
    assert_eq!(ends.len(), 1, "{ends:?}");
    assert_eq!(ends[0].detail.as_deref(), Some("rejected_by_server"));
    // A new session can start at once.
    session::start_impersonation(&h.state, start_request("tom.lee@acme.example"))
        .await
        .unwrap();
}

/// A keyring that is not there (no Secret Service on the session bus).
struct NoKeyring;

impl SecretStore for NoKeyring {
    fn set(&self, _: &str, _: &standin_core::Secret) -> standin_core::Result<()> {
        Err(standin_core::CoreError::KeyringUnavailable(
            "no Secret Service".into(),
        ))
    }
    fn get(&self, _: &str) -> standin_core::Result<Option<standin_core::Secret>> {
        Err(standin_core::CoreError::KeyringUnavailable(
            "no Secret Service".into(),
        ))
    }
    fn delete(&self, _: &str) -> standin_core::Result<()> {
        Err(standin_core::CoreError::KeyringUnavailable(
            "no Secret Service".into(),
        ))
    }
}

#[tokio::test]
async fn without_a_keyring_to_sign_the_audit_log_nothing_is_exchanged() {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("data/audit.jsonl"),
        export_dir: dir.path().join("Downloads"),
        secrets: Arc::new(NoKeyring),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state = Arc::new(
        AppState::start(config, Arc::new(Recorded::default()))
            .await
            .unwrap(),
    );
    let err = session::start_impersonation(&state, start_request("tom.lee@acme.example"))
        .await
        .unwrap_err();
    assert_eq!(err.code, "audit", "{}", err.message);
    assert!(err.message.contains("keyring"), "{}", err.message);
    assert!(
        state.sandbox.audit_events().is_empty(),
        "the sandbox saw no token exchange"
    );
    assert!(session::current_session(&state).await.unwrap().is_none());
}
