//! `GET /v2/grants`: Sigma's shapes, exactly one selector, inherited vs direct grants, pagination, 404s, and
//! who may call it.

mod common;

use common::{assert_schema, assert_sigma_error, start, urlencode, Env};
use reqwest::StatusCode;
use serde_json::Value;
use standin_sandbox::DEMO_USER_EMAIL;

/// The file named `name` as the admin sees it.
async fn file_named(env: &Env, admin: &str, name: &str) -> Value {
    let files = env
        .all_pages(
            &format!(
                "/v2/files?limit=1000&typeFilters=workbook,folder,workspace&name={}",
                urlencode(name)
            ),
            admin,
        )
        .await;
    files
        .into_iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} is visible to the admin"))
}

fn ids(entries: &[Value], key: &str) -> Vec<String> {
    entries
        .iter()
        .map(|g| g[key].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn inherited_and_direct_grants_of_a_document_match_the_schema() {
    let env = start().await;
    let admin = env.admin_token().await;
    let doc = file_named(&env, &admin, "Quarterly Forecast").await;
    let folder = file_named(&env, &admin, "Forecasts").await;
    let space = file_named(&env, &admin, "Sales").await;
    assert_eq!(doc["parentId"], folder["id"]);
    assert_eq!(folder["parentId"], space["id"]);
    let doc_id = doc["id"].as_str().expect("id");

    let all = env
        .get_ok(&format!("/v2/grants?inodeId={doc_id}"), &admin)
        .await;
    assert_schema("/v2/grants", "get", &all);
    assert!(all["nextPage"].is_null());
    let all = all["entries"].as_array().expect("entries").clone();
    let direct = env
        .get_ok(
            &format!("/v2/grants?inodeId={doc_id}&directGrantsOnly=true"),
            &admin,
        )
        .await;
    assert_schema("/v2/grants", "get", &direct);
    let direct = direct["entries"].as_array().expect("entries").clone();

    // Direct grants are the document's own; the default adds the folder's and the workspace's, nearest first.
    assert!(direct.iter().all(|g| g["inodeId"] == doc["id"]));
    assert_eq!(&all[..direct.len()], &direct[..]);
    let inherited_on = ids(&all[direct.len()..], "inodeId");
    assert!(inherited_on.contains(&folder["id"].as_str().unwrap_or_default().to_string()));
    assert!(inherited_on.contains(&space["id"].as_str().unwrap_or_default().to_string()));
    let first_space = inherited_on
        .iter()
        .position(|i| space["id"] == i.as_str())
        .expect("space");
    assert!(inherited_on[..first_space]
        .iter()
        .all(|i| folder["id"] == i.as_str()));
    // The demo's Forecasts folder is shared with the Finance team, the Sales workspace with Sales and Executive.
    let finance_grant = all
        .iter()
        .find(|g| g["inodeId"] == folder["id"] && g["teamId"].is_string())
        .expect("a team grant on Forecasts");
    assert_eq!(finance_grant["permission"], "view");
    assert_eq!(finance_grant["inodeType"], "folder");
    assert!(finance_grant["memberId"].is_null());
    let space_grants: Vec<&Value> = all.iter().filter(|g| g["inodeId"] == space["id"]).collect();
    let mut perms: Vec<&str> = space_grants
        .iter()
        .map(|g| g["permission"].as_str().unwrap_or_default())
        .collect();
    perms.sort_unstable();
    assert_eq!(perms, ["organize", "view"]);
    // A workspace is a folder inode in the spec's enum.
    assert!(space_grants.iter().all(|g| g["inodeType"] == "folder"));
    let orgs: Vec<&Value> = all.iter().map(|g| &g["organizationId"]).collect();
    assert!(orgs
        .iter()
        .all(|o| o.as_str() == Some(env.sandbox.org().organization_id())));
}

#[tokio::test]
async fn grants_of_a_member_and_a_team_and_stable_ids() {
    let env = start().await;
    let admin = env.admin_token().await;
    let tom = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    let tom_id = tom["memberId"].as_str().expect("memberId");
    let body = env
        .get_ok(&format!("/v2/grants?userId={tom_id}&limit=1000"), &admin)
        .await;
    assert_schema("/v2/grants", "get", &body);
    let toms = body["entries"].as_array().expect("entries").clone();
    // The demo shares "Budgets" (view) and "Q3 Board Review" (explore) with Tom himself.
    assert!(toms.len() >= 2, "{toms:?}");
    assert!(toms
        .iter()
        .all(|g| g["memberId"] == tom_id && g["teamId"].is_null()));

    let teams = env.get_ok("/v2/teams", &admin).await;
    let sales = teams
        .as_array()
        .expect("bare team list")
        .iter()
        .find(|t| t["name"] == "Sales")
        .expect("Sales team")
        .clone();
    let sales_id = sales["teamId"].as_str().expect("teamId");
    let body = env
        .get_ok(
            &format!("/v2/grants?teamId={sales_id}&directGrantsOnly=true"),
            &admin,
        )
        .await;
    assert_schema("/v2/grants", "get", &body);
    let sales_grants = body["entries"].as_array().expect("entries").clone();
    assert!(!sales_grants.is_empty());
    assert!(sales_grants
        .iter()
        .all(|g| g["teamId"] == sales_id && g["memberId"].is_null()));

    // The same fixture gives the same grant IDs in another sandbox; no two grants share one.
    let again = start().await;
    let admin2 = again.admin_token().await;
    let body2 = again
        .get_ok(&format!("/v2/grants?userId={tom_id}&limit=1000"), &admin2)
        .await;
    assert_eq!(
        ids(&toms, "grantId"),
        ids(body2["entries"].as_array().expect("entries"), "grantId")
    );
    let mut every = ids(&toms, "grantId");
    every.extend(ids(&sales_grants, "grantId"));
    let count = every.len();
    every.sort_unstable();
    every.dedup();
    assert_eq!(every.len(), count);
}

#[tokio::test]
async fn pages_follow_the_cursor_and_the_limit_is_clamped() {
    let env = start().await;
    let admin = env.admin_token().await;
    let teams = env.get_ok("/v2/teams", &admin).await;
    let sales_id = teams
        .as_array()
        .expect("teams")
        .iter()
        .find(|t| t["name"] == "Sales")
        .and_then(|t| t["teamId"].as_str())
        .expect("Sales")
        .to_string();
    let whole = env
        .get_ok(&format!("/v2/grants?teamId={sales_id}&limit=5000"), &admin)
        .await;
    assert!(whole["nextPage"].is_null());
    let whole = whole["entries"].as_array().expect("entries").clone();
    assert!(whole.len() >= 2, "needs two grants to page: {whole:?}");
    let first = env
        .get_ok(&format!("/v2/grants?teamId={sales_id}&limit=1"), &admin)
        .await;
    assert_schema("/v2/grants", "get", &first);
    assert!(first["nextPage"].is_string());
    let paged = env
        .all_pages(&format!("/v2/grants?teamId={sales_id}&limit=1"), &admin)
        .await;
    assert_eq!(paged, whole);
    let (status, body) = env
        .get(&format!("/v2/grants?teamId={sales_id}&page=12"), &admin)
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn none_or_several_selectors_unknown_ids_and_bad_flags_are_refused() {
    let env = start().await;
    let admin = env.admin_token().await;
    let tom = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    let tom_id = tom["memberId"].as_str().expect("memberId");
    for query in [
        String::new(),
        "?limit=10".to_string(),
        "?inodeId=".to_string(),
        format!("?userId={tom_id}&teamId=x"),
        format!("?inodeId=a&userId={tom_id}&teamId=x"),
        format!("?userId={tom_id}&directGrantsOnly=maybe"),
    ] {
        let (status, body) = env.get(&format!("/v2/grants{query}"), &admin).await;
        assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    }
    for query in [
        "inodeId=00000000-0000-4000-8000-000000000000",
        "userId=nobody",
        "teamId=no-such-team",
    ] {
        let (status, body) = env.get(&format!("/v2/grants?{query}"), &admin).await;
        assert_sigma_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn only_admins_may_list_grants() {
    let env = start().await;
    let admin = env.admin_token().await;
    let tom = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    let tom_id = tom["memberId"].as_str().expect("memberId");
    let path = format!("/v2/grants?userId={tom_id}");
    env.get_ok(&path, &admin).await;
    // Tom's own impersonation token, asking even about himself; and a non-Admin's own client.
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    let (status, body) = env.get(&path, &user).await;
    assert_sigma_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let creator = env.token(&env.creator()).await;
    let (status, body) = env.get(&path, &creator).await;
    assert_sigma_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let (status, body) = env.get(&path, "not-a-token").await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
}

#[test]
fn the_grant_schema_still_rejects_a_permission_outside_the_spec() {
    let grant = |permission: &str| {
        serde_json::json!({"entries": [{
            "grantId": "g", "inodeId": "i", "organizationId": "o", "memberId": "m", "teamId": null,
            "permission": permission, "inodeType": "workbook", "createdBy": "m", "updatedBy": "m",
            "createdAt": "2024-01-01T00:00:00.000Z", "updatedAt": "2024-01-01T00:00:00.000Z"
        }], "nextPage": null})
    };
    // "view" is in two of the spec's overlapping enum lists: valid (a strict oneOf would refuse it).
    assert!(common::schema_errors("/v2/grants", "get", &grant("view")).is_empty());
    assert!(!common::schema_errors("/v2/grants", "get", &grant("owner")).is_empty());
}
