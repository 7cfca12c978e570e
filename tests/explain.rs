//! "Why can't this user see it?" (`standin_core::explain`) against the sandbox: every kind of route
//! (owner, a grant to them, a grant to their team, inherited from a folder or a workspace, owning a folder
//! above), no access with what would give it, archived teams, the strongest of several, 404/403, a
//! throttled grants endpoint, the requests it costs, and a cross-check with what users see themselves.

mod support;

use standin_core::audit::MemoryAuditSink;
use standin_core::client::{GrantQuery, GrantSubject};
use standin_core::clock::{ManualClock, SharedClock};
use standin_core::explain::{explain, AccessKind, Explanation, SuggestionKind};
use standin_core::model::Member;
use standin_core::retry::RetryPolicy;
use standin_core::transport::{SharedTransport, TransportOptions};
use standin_core::{start_impersonation, CoreError, FileQuery, SigmaClient, StartOptions};
use standin_sandbox::{Fault, Org, Sandbox};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use support::{credentials_for, Env, RecordingTransport};

/// A small org where each route to a document appears once, on purpose.
const ORG: &str = r#"{
  "name": "Explain Co",
  "createdAt": "2024-01-01T09:00:00Z",
  "apiClients": [
    { "clientId": "explain-admin", "clientSecret": "explain-admin-secret-0001", "owner": "ada@explain.example" },
    { "clientId": "explain-rob", "clientSecret": "explain-rob-secret-0002", "owner": "rob@explain.example" }
  ],
  "members": [
    { "email": "ada@explain.example", "firstName": "Ada", "lastName": "Admin", "accountType": "Admin" },
    { "email": "tom@explain.example", "firstName": "Tom", "lastName": "Lee", "accountType": "Creator" },
    { "email": "sue@explain.example", "firstName": "Sue", "lastName": "Park", "accountType": "Viewer" },
    { "email": "ann@explain.example", "firstName": "Ann", "lastName": "Bell", "accountType": "Explorer" },
    { "email": "rob@explain.example", "firstName": "Rob", "lastName": "Stone", "accountType": "Creator" },
    { "email": "zed@explain.example", "firstName": "Zed", "lastName": "Ray", "accountType": "Viewer" }
  ],
  "teams": [
    { "name": "Sales", "members": ["tom@explain.example", "sue@explain.example"] },
    { "name": "Ops", "members": ["ann@explain.example"] },
    { "name": "Execs", "members": ["rob@explain.example"] },
    { "name": "Old BI", "isArchived": true, "members": ["zed@explain.example"] }
  ],
  "documents": [
    { "name": "Finance", "type": "workspace", "owner": "ada@explain.example",
      "grants": [ { "team": "Execs", "permission": "view" }, { "team": "Ops", "permission": "organize" } ] },
    { "name": "Reports", "type": "folder", "parent": "Finance", "owner": "ada@explain.example",
      "grants": [ { "team": "Sales", "permission": "view" }, { "user": "ann@explain.example", "permission": "explore" },
                  { "team": "Old BI", "permission": "edit" } ] },
    { "name": "Q3 Revenue", "type": "workbook", "parent": "Finance/Reports", "owner": "ada@explain.example",
      "grants": [ { "user": "tom@explain.example", "permission": "explore" } ] },
    { "name": "Plan", "type": "workbook", "parent": "Finance", "owner": "rob@explain.example" },
    { "name": "Ledger", "type": "dataset", "parent": "Finance", "owner": "ada@explain.example",
      "grants": [ { "team": "Ops", "permission": "edit" } ] },
    { "name": "Toms Corner", "type": "folder", "parent": "Finance", "owner": "tom@explain.example" },
    { "name": "Notes", "type": "workbook", "parent": "Finance/Toms Corner", "owner": "ada@explain.example" },
    { "name": "Archive", "type": "workspace", "owner": "ada@explain.example" },
    { "name": "Old Deck", "type": "workbook", "parent": "Archive", "owner": "ada@explain.example" },
    { "name": "Private", "type": "workbook", "parent": "My Documents", "owner": "tom@explain.example" }
  ]
}"#;

async fn env_of(org: Org, client_id: &str, secret: &str) -> Env {
    let sandbox = Sandbox::start(org).await.expect("sandbox starts");
    let creds = credentials_for(&sandbox, client_id, secret);
    let transport = RecordingTransport::new(TransportOptions::default());
    let wire = transport.log.clone();
    let clock = ManualClock::starting_now();
    let shared_clock: SharedClock = Arc::new(clock.clone());
    let shared_transport: SharedTransport = Arc::new(transport);
    let client =
        SigmaClient::new(creds, shared_transport, shared_clock).with_retry_policy(RetryPolicy {
            max_tries: 4,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(80),
            ..Default::default()
        });
    Env {
        client,
        sandbox,
        clock,
        audit: MemoryAuditSink::new(),
        wire,
    }
}

async fn small() -> Env {
    let org = Org::from_json_str(ORG).expect("fixture resolves");
    env_of(org, "explain-admin", "explain-admin-secret-0001").await
}

async fn member(env: &Env, local: &str) -> Member {
    env.client
        .admin()
        .await
        .unwrap()
        .member_by_email(&format!("{local}@explain.example"))
        .await
        .unwrap()
        .expect("member")
}

/// The ID of the document named `name`, as the admin lists it.
async fn doc(env: &Env, name: &str) -> String {
    let q = FileQuery {
        type_filters: vec![
            "workspace".into(),
            "folder".into(),
            "workbook".into(),
            "dataset".into(),
        ],
        ..Default::default()
    };
    env.client
        .admin()
        .await
        .unwrap()
        .files(&q)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} is listed for the admin"))
        .id
}

async fn why(env: &Env, who: &str, what: &str) -> Explanation {
    let m = member(env, who).await;
    let d = doc(env, what).await;
    explain(&env.client.admin().await.unwrap(), &m, &d)
        .await
        .unwrap()
}

fn kinds(e: &Explanation) -> Vec<(AccessKind, &str)> {
    e.paths
        .iter()
        .map(|p| (p.kind, p.permission.as_str()))
        .collect()
}

#[tokio::test]
async fn the_owner_edits_and_that_route_comes_first() {
    let env = small().await;
    let e = why(&env, "rob", "Plan").await;
    assert_eq!(e.access.as_deref(), Some("edit"));
    assert_eq!(
        kinds(&e),
        [
            (AccessKind::Owner, "edit"),
            (AccessKind::InheritedTeamGrant, "view")
        ]
    );
    assert!(e.paths[0].on_inode.is_none() && e.paths[0].grant_id.is_none());
    assert_eq!(e.member.name, "Rob Stone");
    assert_eq!(e.member.email, "rob@explain.example");
    assert_eq!(
        (e.document.name.as_str(), e.document.doc_type.as_str()),
        ("Plan", "workbook")
    );
    assert_eq!(e.document.path, "Finance");
    assert!(
        e.would_grant.is_empty(),
        "edit is already the most there is"
    );
    assert!(e.ancestors_complete);
}

#[tokio::test]
async fn a_direct_grant_beats_a_weaker_inherited_team_grant() {
    let env = small().await;
    let e = why(&env, "tom", "Q3 Revenue").await;
    assert_eq!(e.access.as_deref(), Some("explore"));
    assert_eq!(
        kinds(&e),
        [
            (AccessKind::UserGrant, "explore"),
            (AccessKind::InheritedTeamGrant, "view")
        ]
    );
    assert!(e.paths[0].grant_id.is_some());
    let inherited = &e.paths[1];
    assert_eq!(
        inherited.via_team.as_ref().map(|t| t.name.as_str()),
        Some("Sales")
    );
    let on = inherited
        .on_inode
        .as_ref()
        .expect("inherited from a folder");
    assert_eq!(
        (on.name.as_deref(), on.inode_type.as_str()),
        (Some("Reports"), "folder")
    );
    assert_eq!(e.document.path, "Finance/Reports");
}

#[tokio::test]
async fn a_team_grant_on_the_document() {
    let env = small().await;
    let e = why(&env, "ann", "Ledger").await;
    assert_eq!(e.access.as_deref(), Some("edit"));
    assert_eq!(e.paths[0].kind, AccessKind::TeamGrant);
    assert_eq!(
        e.paths[0].via_team.as_ref().map(|t| t.name.as_str()),
        Some("Ops")
    );
    assert!(e.paths[0].on_inode.is_none());
}

#[tokio::test]
async fn inherited_from_a_folder_and_from_a_workspace() {
    let env = small().await;
    let sue = why(&env, "sue", "Q3 Revenue").await;
    assert_eq!(kinds(&sue), [(AccessKind::InheritedTeamGrant, "view")]);
    assert_eq!(
        sue.paths[0]
            .on_inode
            .as_ref()
            .and_then(|i| i.name.as_deref()),
        Some("Reports")
    );
    let rob = why(&env, "rob", "Q3 Revenue").await;
    assert_eq!(kinds(&rob), [(AccessKind::InheritedTeamGrant, "view")]);
    let on = rob.paths[0].on_inode.as_ref().expect("on the workspace");
    assert_eq!(
        (on.name.as_deref(), on.inode_type.as_str()),
        (Some("Finance"), "workspace")
    );
    assert_eq!(
        rob.paths[0].via_team.as_ref().map(|t| t.name.as_str()),
        Some("Execs")
    );
}

#[tokio::test]
async fn owning_a_folder_above_gives_edit() {
    let env = small().await;
    let e = why(&env, "tom", "Notes").await;
    assert_eq!(e.access.as_deref(), Some("edit"));
    assert_eq!(e.paths[0].kind, AccessKind::InheritedOwner);
    assert_eq!(
        e.paths[0].on_inode.as_ref().and_then(|i| i.name.as_deref()),
        Some("Toms Corner")
    );
}

#[tokio::test]
async fn the_strongest_of_several_wins_even_from_further_up() {
    let env = small().await;
    let e = why(&env, "ann", "Q3 Revenue").await;
    // Ops has organize on the workspace; Ann herself has explore on the nearer folder.
    assert_eq!(e.access.as_deref(), Some("organize"));
    assert_eq!(
        kinds(&e),
        [
            (AccessKind::InheritedTeamGrant, "organize"),
            (AccessKind::InheritedUserGrant, "explore")
        ]
    );
    // Weaker than the admin's edit, but the only edit above it is the archived Old BI team's, which gives
    // nothing to anyone: no suggestion.
    assert!(e.would_grant.is_empty(), "{:?}", e.would_grant);
}

#[tokio::test]
async fn an_archived_team_gives_nothing_and_the_suggestions_say_what_would() {
    let env = small().await;
    let e = why(&env, "zed", "Q3 Revenue").await;
    assert_eq!(e.access, None);
    assert!(e.paths.is_empty(), "{:?}", e.paths);
    let joins: Vec<(&str, &str, Option<&str>)> = e
        .would_grant
        .iter()
        .filter(|s| s.kind == SuggestionKind::JoinTeam)
        .map(|s| {
            (
                s.team.as_ref().map_or("", |t| t.name.as_str()),
                s.permission.as_str(),
                s.on_inode.name.as_deref(),
            )
        })
        .collect();
    // Strongest first; Old BI (archived) is never offered as a team to join.
    assert_eq!(
        joins,
        [
            ("Ops", "organize", Some("Finance")),
            ("Sales", "view", Some("Reports")),
            ("Execs", "view", Some("Finance")),
        ]
    );
    let folder = e
        .would_grant
        .iter()
        .find(|s| s.kind == SuggestionKind::GrantOnFolder)
        .expect("the nearest shared folder");
    assert_eq!(folder.on_inode.name.as_deref(), Some("Reports"));
    assert_eq!(folder.permission, "explore");
    assert_eq!(folder.grantees, ["team Sales (view)", "Ann Bell (explore)"]);
    let archived = e
        .would_grant
        .iter()
        .find(|s| s.kind == SuggestionKind::ArchivedTeam)
        .expect("the archived team is named");
    assert_eq!(
        archived.team.as_ref().map(|t| t.name.as_str()),
        Some("Old BI")
    );
    assert_eq!(archived.permission, "edit");
}

#[tokio::test]
async fn nothing_shared_above_suggests_a_grant_on_the_document() {
    let env = small().await;
    let e = why(&env, "sue", "Old Deck").await;
    assert_eq!(e.access, None);
    assert_eq!(e.would_grant.len(), 1);
    assert_eq!(e.would_grant[0].kind, SuggestionKind::GrantOnDocument);
    assert_eq!(e.would_grant[0].on_inode.name.as_deref(), Some("Old Deck"));
}

#[tokio::test]
async fn a_document_that_is_missing_or_hidden_from_the_admin_is_404() {
    let env = small().await;
    let tom = member(&env, "tom").await;
    let api = env.client.admin().await.unwrap();
    let e = explain(&api, &tom, "00000000-0000-4000-8000-000000000000")
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::Sigma { status: 404, .. }), "{e:?}");
    // Tom's unshared My Documents workbook: the admin's own listing does not show it either.
    let session = start_impersonation(&env.client, env.audit_sink(), StartOptions::new(&tom.email))
        .await
        .unwrap();
    let mine = session.my_documents().await.unwrap();
    session.stop().unwrap();
    let hidden = mine
        .iter()
        .find(|f| f.name == "Private")
        .expect("Tom's own");
    let e = explain(&api, &tom, &hidden.id).await.unwrap_err();
    assert!(matches!(e, CoreError::Sigma { status: 404, .. }), "{e:?}");
}

#[tokio::test]
async fn a_non_admin_token_is_refused_by_the_grants_endpoint() {
    let org = Org::from_json_str(ORG).expect("fixture");
    let env = env_of(org, "explain-rob", "explain-rob-secret-0002").await;
    let api = env.client.admin().await.unwrap();
    // Rob's own record, read as himself, is enough to ask about his own document.
    let me = api.whoami().await.unwrap();
    let rob = api.member(&me.user_id).await.unwrap();
    let plan = api
        .files(&FileQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Plan")
        .expect("Rob sees his own Plan");
    let e = explain(&api, &rob, &plan.id).await.unwrap_err();
    assert!(matches!(e, CoreError::Sigma { status: 403, .. }), "{e:?}");
}

#[tokio::test]
async fn a_throttled_grants_endpoint_is_retried() {
    let env = small().await;
    let before = env.sandbox.faults_fired();
    env.sandbox
        .inject_fault("/v2/grants", Fault::HtmlPage { status: 429 }, 1);
    env.sandbox.inject_fault(
        "/v2/grants",
        Fault::TooManyRequests {
            retry_after: Some(0),
        },
        1,
    );
    let e = why(&env, "tom", "Q3 Revenue").await;
    assert_eq!(env.sandbox.faults_fired() - before, 2, "both faults fired");
    assert_eq!(e.access.as_deref(), Some("explore"));
    let grant_calls = env
        .wire()
        .iter()
        .filter(|r| r.path_and_query.starts_with("/v2/grants?"))
        .count();
    assert_eq!(grant_calls, 3, "two throttled answers, then the real one");
}

#[tokio::test]
async fn an_html_page_where_the_grants_belong_is_an_error_not_a_panic() {
    let env = small().await;
    let tom = member(&env, "tom").await;
    let d = doc(&env, "Q3 Revenue").await;
    let before = env.sandbox.faults_fired();
    // More HTML pages than the client's four tries: each is retried (Sigma's edge throttles that way), then
    // the last one is the error.
    env.sandbox
        .inject_fault("/v2/grants", Fault::HtmlPage { status: 200 }, 10);
    let e = explain(&env.client.admin().await.unwrap(), &tom, &d)
        .await
        .unwrap_err();
    env.sandbox.clear_faults();
    assert_eq!(
        env.sandbox.faults_fired() - before,
        4,
        "every try got the page"
    );
    assert!(
        matches!(e.code(), "unexpected_body" | "throttled"),
        "{}: {e}",
        e.code()
    );
    assert!(
        e.to_string().contains("HTML") || e.to_string().contains("throttling"),
        "{e}"
    );
}

#[tokio::test]
async fn one_inherited_grants_call_costs_fewer_requests_than_one_per_level() {
    let env = small().await;
    let tom = member(&env, "tom").await;
    let d = doc(&env, "Q3 Revenue").await;
    let api = env.client.admin().await.unwrap();
    let start = env.wire().len();
    let e = explain(&api, &tom, &d).await.unwrap();
    let used: Vec<String> = env.wire()[start..]
        .iter()
        .map(|r| r.path_and_query.split('?').next().unwrap_or("").to_string())
        .collect();
    // The document, its folder and workspace, Tom's teams, and one grants call; Tom's explore is below the
    // admin's edit, so the names for the suggestions cost one more (the team list: Ops and Execs are not
    // Tom's teams) plus Ann's record.
    let grants_calls = used.iter().filter(|p| *p == "/v2/grants").count();
    let file_calls = used.iter().filter(|p| p.starts_with("/v2/files/")).count();
    assert_eq!((grants_calls, file_calls), (1, 3), "{used:?}");
    assert_eq!(used.len(), 7, "{used:?}");
    // The other way: one directGrantsOnly call per level (document, folder, workspace) finds the same
    // grants with three requests instead of one.
    let inherited = api
        .grants(&GrantQuery {
            subject: GrantSubject::Inode(d.clone()),
            direct_only: false,
        })
        .await
        .unwrap();
    let start = env.wire().len();
    let mut per_level = Vec::new();
    for inode in [
        d.clone(),
        doc(&env, "Reports").await,
        doc(&env, "Finance").await,
    ] {
        per_level.extend(
            api.grants(&GrantQuery {
                subject: GrantSubject::Inode(inode),
                direct_only: true,
            })
            .await
            .unwrap(),
        );
    }
    let direct_calls = env.wire()[start..]
        .iter()
        .filter(|r| r.path_and_query.starts_with("/v2/grants?"))
        .count();
    assert_eq!(direct_calls, 3);
    assert_eq!(per_level, inherited);
    assert_eq!(e.paths.len(), 2);
}

/// For every document the admin can see, what explain says a user has is what that user's own listing
/// shows (through impersonation), in the demo org, for users with every kind of route.
#[tokio::test]
async fn explain_agrees_with_each_users_own_listing_in_the_demo_org() {
    let env = support::env().await;
    let api = env.client.admin().await.unwrap();
    let all_types = FileQuery {
        type_filters: standin_core::model::FILE_TYPES
            .iter()
            .map(|t| t.to_string())
            .collect(),
        ..Default::default()
    };
    let admin_docs = api.files(&all_types).await.unwrap();
    assert!(admin_docs.len() > 50);
    let mut checked = 0;
    for email in [
        "tom.lee@acme.example",
        "sofia.martinez@acme.example",
        "omar.haddad@acme.example",
        "hannah.kim@acme.example",
        "nina.volkova@acme.example",
    ] {
        let m = api.member_by_email(email).await.unwrap().expect(email);
        let session = start_impersonation(&env.client, env.audit_sink(), StartOptions::new(email))
            .await
            .unwrap();
        let theirs: HashMap<String, String> = session
            .files(&all_types)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.id, f.permission))
            .collect();
        session.stop().unwrap();
        for d in &admin_docs {
            let e = explain(&api, &m, &d.id).await.unwrap();
            assert_eq!(
                e.access.as_deref(),
                theirs.get(&d.id).map(String::as_str),
                "{email} on {} ({}): {:?}",
                d.name,
                d.path,
                e.paths
            );
            checked += 1;
        }
    }
    assert!(checked > 250);
}

/// The same cross-check on a generated org (`--generate`): many teams, workspaces, folders and grants, so
/// routes of every depth and team grants the users are and are not in.
#[tokio::test]
async fn explain_agrees_with_each_users_own_listing_in_a_generated_org() {
    let spec: standin_sandbox::GenerateSpec = "users=80,teams=10,documents=400,seed=11"
        .parse()
        .expect("spec");
    let org = Org::generate_spec(&spec);
    let admin = org.admin_credentials().expect("an admin client");
    let env = env_of(org, &admin.client_id, &admin.client_secret).await;
    let api = env.client.admin().await.unwrap();
    let all_types = FileQuery {
        type_filters: standin_core::model::FILE_TYPES
            .iter()
            .map(|t| t.to_string())
            .collect(),
        ..Default::default()
    };
    let admin_docs = api.files(&all_types).await.unwrap();
    assert!(admin_docs.len() > 20, "{}", admin_docs.len());
    let members = env.everyone().await;
    let mut checked = 0;
    let mut with_access = 0;
    let mut inherited = 0;
    for m in members
        .iter()
        .filter(|m| !m.is_admin() && !m.archived() && !m.inactive())
        .take(4)
    {
        let session =
            start_impersonation(&env.client, env.audit_sink(), StartOptions::new(&m.email))
                .await
                .unwrap();
        let theirs: HashMap<String, String> = session
            .files(&all_types)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.id, f.permission))
            .collect();
        session.stop().unwrap();
        for d in admin_docs.iter().take(120) {
            let e = explain(&api, m, &d.id).await.unwrap();
            assert_eq!(
                e.access.as_deref(),
                theirs.get(&d.id).map(String::as_str),
                "{} on {} ({}): {:?}",
                m.email,
                d.name,
                d.path,
                e.paths
            );
            checked += 1;
            with_access += usize::from(e.access.is_some());
            inherited += usize::from(e.paths.iter().any(|p| p.on_inode.is_some()));
        }
    }
    assert!(checked >= 80, "{checked}");
    // The org gives some of them access and some none, some of it inherited: the check is not vacuous.
    assert!(
        with_access > 0 && with_access < checked,
        "{with_access} of {checked}"
    );
    assert!(inherited > 0);
}
