//! The `explain_access` command, called as the web view calls it: a document the user found in the Compare
//! tab, explained with the admin's token after the session has ended (no session needed), and the errors.

use stand_in::commands::{directory, explain, session};
use stand_in::dto::*;
use stand_in::state::{AppConfig, AppState, EventSink};
use standin_core::secret_store::MemorySecretStore;
use std::sync::Arc;
use std::time::Duration;

struct Quiet;

impl EventSink for Quiet {
    fn emit(&self, _event: &str, _payload: serde_json::Value) {}
}

async fn state() -> (Arc<AppState>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig {
        config_dir: dir.path().join("config"),
        audit_path: dir.path().join("data/audit.jsonl"),
        export_dir: dir.path().join("Downloads"),
        secrets: Arc::new(MemorySecretStore::new()),
        session_cap: Duration::from_secs(3600),
        sandbox_org: standin_sandbox::Org::demo(),
    };
    let state = Arc::new(AppState::start(config, Arc::new(Quiet)).await.unwrap());
    (state, dir)
}

async fn member_id(state: &AppState, email: &str) -> String {
    directory::list_users(state, UserQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == email)
        .unwrap()
        .member_id
}

#[tokio::test]
async fn a_document_from_the_users_own_view_is_explained_after_the_session() {
    let (state, _dir) = state().await;
    let tom = member_id(&state, "tom.lee@acme.example").await;
    session::start_impersonation(
        &state,
        StartRequest {
            email: "tom.lee@acme.example".into(),
            tenant: None,
            reason: "SUP-9 why does Tom see Budgets".into(),
            read_only: true,
            duration_minutes: 15,
            replace_active: false,
        },
    )
    .await
    .unwrap();
    let files = session::session_files(&state, None).await.unwrap();
    session::stop_impersonation(&state).await.unwrap();
    // The demo shares the Budgets folder with Tom himself (view).
    let budgets = files
        .iter()
        .find(|f| f.name == "Budgets")
        .expect("Tom sees Budgets");
    let e = explain::explain_access(&state, tom.clone(), format!("  {}  ", budgets.id))
        .await
        .unwrap();
    assert_eq!(e.member.email, "tom.lee@acme.example");
    assert_eq!(e.document.id, budgets.id);
    assert_eq!(e.access.as_deref(), Some(budgets.permission.as_str()));
    assert!(e
        .paths
        .iter()
        .any(|p| p.kind == AccessKindDto::UserGrant && p.permission == "view"));
    let json = serde_json::to_value(&e).unwrap();
    assert!(json["wouldGrant"].is_array() && json["ancestorsComplete"].is_boolean());
    assert_eq!(
        json["paths"][0]["kind"].as_str().map(|k| k.is_empty()),
        Some(false)
    );
}

#[tokio::test]
async fn unknown_documents_and_members_come_back_as_error_dtos() {
    let (state, _dir) = state().await;
    let tom = member_id(&state, "tom.lee@acme.example").await;
    let e = explain::explain_access(&state, tom, "no-such-document".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, "not_found", "{e:?}");
    assert!(e.request_id.is_some(), "Sigma's request ID is kept");
    let e = explain::explain_access(&state, "nobody".into(), "x".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, "not_found", "{e:?}");
    assert!(e.message.contains("Member nobody"), "{e:?}");
}
