//! Org fixtures: the shipped example, clear errors for broken ones, round trips, and large generated orgs.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::start_with;
use serde_json::{json, Value};
use standin_sandbox::{Org, SandboxError};

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/small-org.json")
}

fn example() -> Value {
    serde_json::from_str(&std::fs::read_to_string(example_path()).expect("example fixture"))
        .expect("json")
}

fn error_for(fixture: &Value) -> String {
    match Org::from_json_str(&fixture.to_string()) {
        Ok(_) => panic!("fixture should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn example_fixture_loads_and_serves() {
    let org = Org::from_file(&example_path()).expect("the example fixture is valid");
    assert_eq!(org.member_count(), 6);
    assert_eq!(org.team_count(), 2);
    assert_eq!(org.tenant_ids().len(), 1);
    let env = start_with(org).await;
    let admin = env.admin_token().await;
    let members = env.get_ok("/v2/members", &admin).await;
    assert_eq!(
        members.as_array().map(Vec::len),
        Some(5),
        "archived member hidden"
    );
    let files = env.get_ok("/v2/files?limit=100", &admin).await;
    assert!(!files["entries"].as_array().expect("entries").is_empty());
    // The example's non-admin can be impersonated.
    let user = example()["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["accountType"] == "Creator")
        .and_then(|m| m["email"].as_str())
        .expect("a creator")
        .to_string();
    let token = env.impersonate(&user).await;
    let me = env.get_ok("/v2/whoami", &token).await;
    assert_eq!(me["accountType"], "creator");
}

#[test]
fn org_round_trips_through_json() {
    let org = Org::from_file(&example_path()).expect("valid");
    let text = serde_json::to_string(&org).expect("serializes");
    let again: Org = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(again.organization_id(), org.organization_id());
    assert_eq!(
        serde_json::to_value(&again).expect("v"),
        serde_json::to_value(&org).expect("v")
    );
    let demo = Org::demo();
    let again =
        Org::from_json_str(&serde_json::to_string(&demo).expect("json")).expect("demo round trip");
    assert_eq!(
        serde_json::to_value(&again).expect("v"),
        serde_json::to_value(&demo).expect("v")
    );
    assert_eq!(again.document_count(), demo.document_count());
}

#[test]
fn broken_fixtures_give_clear_errors() {
    assert!(matches!(
        Org::from_json_str("{ not json"),
        Err(SandboxError::FixtureFormat(_))
    ));
    assert!(matches!(
        Org::from_file(std::path::Path::new("/no/such/fixture.json")),
        Err(SandboxError::FixtureRead { .. })
    ));

    let mut f = example();
    f["members"][1]["accountType"] = json!("Wizard");
    let e = error_for(&f);
    assert!(e.contains("Wizard") && e.contains("members[1]"), "{e}");

    let mut f = example();
    f["members"][2]["email"] = f["members"][0]["email"].clone();
    assert!(error_for(&f).contains("duplicate email"));

    let mut f = example();
    f["apiClients"][0]["owner"] = json!("ghost@nowhere.example");
    assert!(error_for(&f).contains("ghost@nowhere.example"));

    let mut f = example();
    f["apiClients"] = json!([]);
    assert!(error_for(&f).contains("apiClients"));

    let mut f = example();
    f["teams"][0]["members"] = json!(["ghost@nowhere.example"]);
    assert!(error_for(&f).contains("teams[0]"));

    let mut f = example();
    f["documents"][1]["parent"] = json!("No Such Workspace/Reports");
    let e = error_for(&f);
    assert!(
        e.contains("documents[1]") && e.contains("No Such Workspace"),
        "{e}"
    );

    let mut f = example();
    f["documents"][1]["grants"] = json!([{ "team": "Ghosts", "permission": "view" }]);
    assert!(error_for(&f).contains("Ghosts"));

    let mut f = example();
    f["documents"][1]["grants"] =
        json!([{ "user": "a@b.example", "team": "x", "permission": "view" }]);
    assert!(error_for(&f).contains("exactly one"));

    let mut f = example();
    f["documents"][1]["grants"] = json!([{ "team": "Sales", "permission": "own" }]);
    assert!(matches!(
        Org::from_json_str(&f.to_string()),
        Err(SandboxError::FixtureFormat(_))
    ));

    let mut f = example();
    f["members"][0]["favouriteColour"] = json!("blue");
    let e = Org::from_json_str(&f.to_string())
        .expect_err("unknown field")
        .to_string();
    assert!(e.contains("favouriteColour"), "{e}");

    let mut f = example();
    f["documents"][0]["parent"] = json!("Somewhere");
    assert!(error_for(&f).contains("workspace"));

    let mut f = example();
    f["userAttributes"][0]["users"] = json!({ "ghost@nowhere.example": "X" });
    assert!(error_for(&f).contains("userAttributes[0]"));

    let mut f = example();
    f["tenants"][0]["adminEmail"] = json!("ghost@nowhere.example");
    assert!(error_for(&f).contains("tenants[0]"));
}

#[tokio::test]
async fn generated_org_of_100k_members_builds_and_pages() {
    let started = Instant::now();
    let org = Org::generate(100_000, 1);
    let built = started.elapsed();
    eprintln!("Org::generate(100_000, 1) took {built:?}");
    assert_eq!(org.member_count(), 100_000);
    // Generous for unoptimized test builds on a small machine; release builds are far faster.
    assert!(
        built.as_secs_f64() < 20.0,
        "generate(100_000) took {built:?}"
    );
    let again = Org::generate(100_000, 1);
    assert_eq!(again.organization_id(), org.organization_id());
    assert_eq!(again.api_clients(), org.api_clients());

    let env = start_with(org).await;
    let admin = env.admin_token().await;
    let started = Instant::now();
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    for _ in 0..5 {
        let path = match &cursor {
            Some(c) => format!("/v2.1/members?limit=1000&page={}", common::urlencode(c)),
            None => "/v2.1/members?limit=1000".to_string(),
        };
        let body = env.get_ok(&path, &admin).await;
        seen += body["entries"].as_array().map(Vec::len).unwrap_or(0);
        assert!(body["total"].as_u64().is_some_and(|t| t > 90_000));
        cursor = body["nextPage"].as_str().map(str::to_string);
    }
    assert_eq!(seen, 5000);
    let found = env
        .get_ok("/v2/members?limit=10&search=zhang", &admin)
        .await;
    assert!(!found["entries"].as_array().expect("entries").is_empty());
    let files = env.get_ok("/v2/files?limit=100", &admin).await;
    assert!(files["entries"].is_array());
    assert!(
        started.elapsed().as_secs_f64() < 20.0,
        "paging took {:?}",
        started.elapsed()
    );
}
