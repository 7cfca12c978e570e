//! End-to-end success flows over HTTP: the three client-credential styles, refresh, the exchange, acting
//! as the user (whoami, files, My Documents), tenants, Admin-only rules and blocked endpoints.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{assert_sigma_error, start, subject_token, urlencode, Env};
use reqwest::StatusCode;
use serde_json::{json, Value};
use standin_sandbox::{DEMO_ADMIN_EMAIL, DEMO_USER_EMAIL};

async fn whoami(env: &Env, token: &str) -> Value {
    env.get_ok("/v2/whoami", token).await
}

fn names(entries: &[Value]) -> HashSet<String> {
    entries
        .iter()
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn client_credentials_by_form_basic_and_json() {
    let env = start().await;
    let creds = env.admin();
    let url = env.url("/v2/auth/token");
    let form = env.client_credentials(&creds).await;
    let basic = env
        .http
        .post(&url)
        .header(
            "authorization",
            format!(
                "Basic {}",
                STANDARD.encode(format!("{}:{}", creds.client_id, creds.client_secret))
            ),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("basic");
    assert_eq!(basic.status(), StatusCode::OK);
    assert_eq!(
        basic.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let basic: Value = basic.json().await.expect("json");
    let json_grant: Value = env
        .http
        .post(&url)
        .json(&json!({ "grant_type": "client_credentials", "client_id": creds.client_id, "client_secret": creds.client_secret }))
        .send()
        .await
        .expect("json")
        .json()
        .await
        .expect("json body");
    let mut seen = HashSet::new();
    for grant in [&form, &basic, &json_grant] {
        assert_eq!(grant["token_type"], "bearer");
        assert_eq!(grant["expires_in"], 3600);
        let token = grant["access_token"].as_str().expect("access_token");
        assert!(seen.insert(token.to_string()), "tokens are unique");
        assert!(grant["refresh_token"].is_string());
        let me = whoami(&env, token).await;
        assert_eq!(me["organizationId"], env.sandbox.org().organization_id());
        assert_eq!(me["accountType"], "admin");
    }
}

#[tokio::test]
async fn refresh_issues_a_working_token_pair() {
    let env = start().await;
    let grant = env.client_credentials(&env.admin()).await;
    let (status, refreshed) = env
        .post_token(
            &[
                ("grant_type", "refresh_token"),
                (
                    "refresh_token",
                    grant["refresh_token"].as_str().expect("rt"),
                ),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{refreshed}");
    assert_ne!(refreshed["access_token"], grant["access_token"]);
    assert_ne!(refreshed["refresh_token"], grant["refresh_token"]);
    whoami(&env, refreshed["access_token"].as_str().expect("at")).await;
    // After the access token expires, the refresh token still works.
    env.sandbox.advance_clock(Duration::from_secs(3700));
    let (status, body) = env
        .get("/v2/whoami", grant["access_token"].as_str().expect("at"))
        .await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    let (status, again) = env
        .post_token(
            &[
                ("grant_type", "refresh_token"),
                (
                    "refresh_token",
                    refreshed["refresh_token"].as_str().expect("rt"),
                ),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
}

#[tokio::test]
async fn exchange_then_act_as_the_user() {
    let env = start().await;
    let admin = env.admin_token().await;
    let admin_me = whoami(&env, &admin).await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    let user_me = whoami(&env, &user).await;
    let tom = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    assert_eq!(user_me["userId"], tom["memberId"]);
    assert_ne!(user_me["userId"], admin_me["userId"]);
    assert_eq!(user_me["organizationId"], admin_me["organizationId"]);
    assert_eq!(user_me["accountType"], "creator");

    let events = env.sandbox.audit_events();
    let start_event = events
        .iter()
        .find(|e| e.event == "impersonation.start")
        .expect("start event");
    assert_eq!(start_event.actor_email.as_deref(), Some(DEMO_ADMIN_EMAIL));
    assert_eq!(start_event.subject_email.as_deref(), Some(DEMO_USER_EMAIL));
    assert_eq!(start_event.outcome, "success");

    // Sigma's example sends a subject token with only `sub`.
    let actor = env.admin_token().await;
    let bare = subject_token(
        &env.admin(),
        json!({ "sub": "OLIVIA.Johnson@acme.example" }),
    );
    let (status, body) = env.exchange(&actor, &bare).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The impersonation token expires with the sandbox clock.
    env.sandbox.advance_clock(Duration::from_secs(3601));
    let (status, body) = env.get("/v2/whoami", &user).await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn files_differ_between_admin_and_user() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    let admin_files = env.all_pages("/v2/files?limit=40", &admin).await;
    let user_files = env.all_pages("/v2/files?limit=40", &user).await;
    let (a, u) = (names(&admin_files), names(&user_files));
    assert_ne!(a, u);
    assert!(u.contains("Pipeline Scratchpad") && !a.contains("Pipeline Scratchpad"));
    assert!(a.contains("Admin Checklist") && !u.contains("Admin Checklist"));
    // Tom sees Budgets through a folder grant, and the documents inside it inherit that view.
    let budget = user_files
        .iter()
        .find(|f| f["name"] == "FY Budget")
        .expect("FY Budget via folder grant");
    assert_eq!(budget["permission"], "view");
    assert_eq!(budget["path"], "Finance/Budgets");
    // Default types only.
    let types: HashSet<&str> = user_files
        .iter()
        .filter_map(|f| f["type"].as_str())
        .collect();
    assert!(
        types
            .iter()
            .all(|t| ["workbook", "folder", "data-model", "dataset", "report"].contains(t)),
        "{types:?}"
    );
    // The user's datasets, as Sigma's example lists them.
    let datasets = env
        .get_ok("/v2/files?typeFilters=dataset&limit=1000", &user)
        .await;
    let datasets = datasets["entries"].as_array().expect("entries");
    assert!(!datasets.is_empty());
    assert!(datasets.iter().all(|d| d["type"] == "dataset"));
    // Several type filters, both spellings.
    let both = env
        .get_ok(
            "/v2/files?typeFilters=workspace&typeFilters=template&limit=1000",
            &user,
        )
        .await;
    let comma = env
        .get_ok("/v2/files?typeFilters=workspace,template&limit=1000", &user)
        .await;
    assert_eq!(both, comma);
    let kinds: HashSet<&str> = both["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|f| f["type"].as_str())
        .collect();
    assert_eq!(kinds, HashSet::from(["workspace", "template"]));
    // permissionFilter is "at least".
    let edit = env
        .get_ok("/v2/files?permissionFilter=edit&limit=1000", &user)
        .await;
    assert!(edit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .all(|f| f["permission"] == "edit"));
    let (status, body) = env.get("/v2/files?typeFilters=spreadsheet", &user).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    // Admin reading Tom's files through /v2/members/{id}/files sees Tom's view.
    let tom = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    let via_admin = env
        .all_pages(
            &format!(
                "/v2/members/{}/files?limit=100",
                tom["memberId"].as_str().expect("id")
            ),
            &admin,
        )
        .await;
    assert_eq!(names(&via_admin), u);
}

#[tokio::test]
async fn my_documents_via_home_folder() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    let me = whoami(&env, &user).await;
    let member = env
        .get_ok(
            &format!("/v2/members/{}", me["userId"].as_str().expect("userId")),
            &user,
        )
        .await;
    let home = member["homeFolderId"].as_str().expect("homeFolderId");
    let direct = env
        .get_ok(
            &format!("/v2/files?parentId={home}&directChildFilter=true"),
            &user,
        )
        .await;
    let direct = direct["entries"].as_array().expect("entries").clone();
    assert_eq!(
        names(&direct),
        HashSet::from([
            "Drafts".to_string(),
            "Pipeline Scratchpad".to_string(),
            "My Leads Extract".to_string()
        ])
    );
    assert!(direct
        .iter()
        .all(|f| f["path"] == "My Documents" && f["parentId"] == home));
    let all = env
        .get_ok(&format!("/v2/files?parentId={home}"), &user)
        .await;
    let all = all["entries"].as_array().expect("entries").clone();
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|f| f["path"]
        .as_str()
        .is_some_and(|p| p.starts_with("My Documents"))));
    assert!(all.iter().any(|f| f["path"] == "My Documents/Drafts"));
    let folder = env.get_ok(&format!("/v2/files/{home}"), &user).await;
    assert_eq!(folder["name"], "My Documents");
    assert_eq!(folder["permission"], "edit");
    // Nobody else sees it, admins included.
    let (status, body) = env.get(&format!("/v2/files?parentId={home}"), &admin).await;
    assert_sigma_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = env.get(&format!("/v2/files/{home}"), &admin).await;
    assert_sigma_error(status, &body, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn tenant_impersonation() {
    let env = start().await;
    let admin = env.admin_token().await;
    let tenants = env.get_ok("/v2/tenants", &admin).await;
    let tenant = tenants["entries"][0]["tenantOrganizationId"]
        .as_str()
        .expect("tenant id")
        .to_string();
    let actor = env.admin_token().await;
    let subject = subject_token(
        &env.admin(),
        json!({ "sub": "gary.viewer@globex.example", "tenant": tenant }),
    );
    let (status, body) = env.exchange(&actor, &subject).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().expect("token");
    let me = whoami(&env, token).await;
    assert_eq!(me["organizationId"], tenant.as_str());
    let files = env.get_ok("/v2/files?limit=100", token).await;
    assert!(names(files["entries"].as_array().expect("entries")).contains("Operations Overview"));
    // Tenant only: the tenant's admin user.
    let subject = subject_token(&env.admin(), json!({ "tenant": tenant }));
    let (status, body) = env.exchange(&actor, &subject).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let admin_me = whoami(&env, body["access_token"].as_str().expect("token")).await;
    assert_eq!(admin_me["organizationId"], tenant.as_str());
    assert_eq!(admin_me["accountType"], "admin");
    assert_ne!(admin_me["userId"], me["userId"]);
    // A main-org email is not a member of the tenant.
    let subject = subject_token(
        &env.admin(),
        json!({ "sub": DEMO_USER_EMAIL, "tenant": tenant }),
    );
    let (status, body) = env.exchange(&actor, &subject).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "invalid_grant");
    let last = env.sandbox.audit_events().pop().expect("event");
    assert_eq!(last.tenant.as_deref(), Some(tenant.as_str()));
}

#[tokio::test]
async fn admin_only_rules_for_an_impersonated_user() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    for path in [
        "/v2/members",
        "/v2.1/members",
        "/v2/teams",
        "/v2/accountTypes",
        "/v2/user-attributes",
        "/v2/tenants",
    ] {
        let (status, body) = env.get(path, &user).await;
        assert_sigma_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    }
    let other = env
        .member_by_email(&admin, "olivia.johnson@acme.example")
        .await;
    let (status, body) = env
        .get(
            &format!("/v2/members/{}", other["memberId"].as_str().expect("id")),
            &user,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let (status, body) = env.get("/v2/members/does-not-exist", &admin).await;
    assert_sigma_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    // A team member may read their own team.
    let teams = env
        .get_ok(
            &format!(
                "/v2/members/{}/teams",
                whoami(&env, &user).await["userId"].as_str().expect("id")
            ),
            &user,
        )
        .await;
    let sales = teams["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|t| t["name"] == "Sales")
        .expect("Sales");
    let team = env
        .get_ok(
            &format!("/v2/teams/{}", sales["teamId"].as_str().expect("id")),
            &user,
        )
        .await;
    assert!(team["members"].as_array().is_some_and(|m| m.len() > 3));
    let members = env
        .get_ok(
            &format!(
                "/v2/teams/{}/members",
                sales["teamId"].as_str().expect("id")
            ),
            &user,
        )
        .await;
    assert!(members["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .any(|m| m["isTeamAdmin"] == true));
    // The audit log is for the admin's own token.
    let (status, body) = env.get("/sandbox/audit-log", &user).await;
    assert_sigma_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let log = env.get_ok("/sandbox/audit-log", &admin).await;
    assert_eq!(log["entries"][0]["event"], "impersonation.start");
    // Search and email filters.
    let found = env
        .get_ok("/v2/members?limit=50&search=nguyen", &admin)
        .await;
    assert_eq!(found["entries"].as_array().map(Vec::len), Some(1));
    let by_email = env
        .get_ok(
            &format!(
                "/v2/members?limit=5&email={}",
                urlencode("TOM.LEE@ACME.EXAMPLE")
            ),
            &admin,
        )
        .await;
    assert_eq!(by_email["entries"][0]["email"], DEMO_USER_EMAIL);
}

#[tokio::test]
async fn endpoints_that_refuse_impersonation_tokens() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    let workbook = env
        .get_ok("/v2/files?typeFilters=workbook&limit=1", &user)
        .await;
    let wb = workbook["entries"][0]["id"]
        .as_str()
        .expect("workbook")
        .to_string();
    let dataset = env
        .get_ok("/v2/files?typeFilters=dataset&limit=1", &user)
        .await;
    let ds = dataset["entries"][0]["id"]
        .as_str()
        .expect("dataset")
        .to_string();
    let calls: Vec<(reqwest::Method, String)> = vec![
        (reqwest::Method::GET, format!("/v2/connections/paths/{ds}")),
        (
            reqwest::Method::POST,
            "/v2/connection/any/lookup".to_string(),
        ),
        (reqwest::Method::POST, format!("/v2/workbooks/{wb}/export")),
        (reqwest::Method::POST, format!("/v2/workbooks/{wb}/send")),
        (
            reqwest::Method::POST,
            format!("/v2/workbooks/{wb}/schedules"),
        ),
    ];
    for (method, path) in &calls {
        let resp = env
            .http
            .request(method.clone(), env.url(path))
            .bearer_auth(&user)
            .json(&json!({}))
            .send()
            .await
            .expect("call");
        let status = resp.status();
        let body: Value = resp.json().await.expect("json");
        assert_sigma_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
        assert!(
            body["message"]
                .as_str()
                .unwrap_or("")
                .contains("impersonation"),
            "{path}: {body}"
        );
    }
    // With the admin's own token the connection path works.
    let (status, body) = env
        .get(&format!("/v2/connections/paths/{ds}"), &admin)
        .await;
    if status == StatusCode::OK {
        let connection = body["connectionId"].as_str().expect("connectionId");
        let resp = env
            .http
            .post(env.url(&format!("/v2/connection/{connection}/lookup")))
            .bearer_auth(&admin)
            .json(&json!({ "path": body["path"] }))
            .send()
            .await
            .expect("lookup");
        assert_eq!(resp.status(), StatusCode::OK);
        let found: Value = resp.json().await.expect("json");
        assert_eq!(found["inodeId"], ds.as_str());
    } else {
        // Tom's dataset may not be visible to the admin: that is a 404, not a refusal.
        assert_sigma_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn unauthenticated_unknown_paths_and_request_ids() {
    let env = start().await;
    let before = env.sandbox.request_count();
    let resp = env
        .http
        .get(env.url("/v2/whoami"))
        .send()
        .await
        .expect("whoami");
    let header = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(body["message"], "Token missing or malformed");
    assert_eq!(header.as_deref(), body["requestId"].as_str());
    let (status, body) = env.get("/v2/whoami", "made-up").await;
    assert_sigma_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    let resp = env
        .http
        .get(env.url("/v2/whoami"))
        .header("authorization", "Token abc")
        .send()
        .await
        .expect("call");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let (status, body) = env.get("/v2/no-such-endpoint", "x").await;
    assert_sigma_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let admin = env.admin_token().await;
    let ok = env
        .http
        .get(env.url("/v2/whoami"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("whoami");
    assert!(ok.headers().get("x-request-id").is_some());
    assert_eq!(env.sandbox.request_count(), before + 6);
}
