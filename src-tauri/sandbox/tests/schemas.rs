//! Every Sigma JSON response of every implemented endpoint, validated against the 200-response schema of
//! that operation in Sigma's OpenAPI spec (shared/sigma-rest-api.openapi.json).

mod common;

use common::{assert_schema, claims_for, schema_errors, start, subject_token, urlencode};
use serde_json::Value;
use standin_sandbox::{DEMO_ARCHIVED_EMAIL, DEMO_USER_EMAIL};

#[tokio::test]
async fn token_responses_match_schema() {
    let env = start().await;
    let grant = env.client_credentials(&env.admin()).await;
    assert_schema("/v2/auth/token", "post", &grant);
    assert_eq!(grant["token_type"], "bearer");
    assert_eq!(grant["expires_in"], 3600);

    let refresh = grant["refresh_token"].as_str().expect("refresh_token");
    let (status, refreshed) = env
        .post_token(
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
            None,
        )
        .await;
    assert_eq!(status, 200, "{refreshed}");
    assert_schema("/v2/auth/token", "post", &refreshed);

    let actor = grant["access_token"].as_str().expect("access_token");
    let subject = subject_token(&env.admin(), claims_for(DEMO_USER_EMAIL));
    let (status, exchanged) = env.exchange(actor, &subject).await;
    assert_eq!(status, 200, "{exchanged}");
    assert_schema("/v2/auth/token", "post", &exchanged);
    assert_eq!(exchanged["token_type"], "Bearer");
    assert_eq!(
        exchanged["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert!(exchanged.get("refresh_token").is_none());
}

#[tokio::test]
async fn member_endpoints_match_schema() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;

    let bare = env.get_ok("/v2/members", &admin).await;
    assert!(bare.is_array());
    assert_schema("/v2/members", "get", &bare);
    let paged = env.get_ok("/v2/members?limit=10", &admin).await;
    assert!(paged["entries"].is_array());
    assert_schema("/v2/members", "get", &paged);
    let archived = env
        .get_ok(
            "/v2/members?limit=1000&includeArchived=true&includeInactive=true",
            &admin,
        )
        .await;
    assert_schema("/v2/members", "get", &archived);
    let v21 = env.get_ok("/v2.1/members?limit=7", &admin).await;
    assert_schema("/v2.1/members", "get", &v21);
    assert!(v21["total"].as_u64().is_some());

    let tom = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    let tom_id = tom["memberId"].as_str().expect("memberId");
    for token in [&admin, &user] {
        let one = env.get_ok(&format!("/v2/members/{tom_id}"), token).await;
        assert_schema("/v2/members/{memberId}", "get", &one);
        let teams = env
            .get_ok(&format!("/v2/members/{tom_id}/teams"), token)
            .await;
        assert_schema("/v2/members/{memberId}/teams", "get", &teams);
        assert!(!teams["entries"].as_array().expect("entries").is_empty());
        let files = env
            .get_ok(&format!("/v2/members/{tom_id}/files?limit=200"), token)
            .await;
        assert_schema("/v2/members/{memberId}/files", "get", &files);
    }
    let grace = env
        .get_ok(
            &format!(
                "/v2/members?limit=1&includeArchived=true&email={}",
                urlencode(DEMO_ARCHIVED_EMAIL)
            ),
            &admin,
        )
        .await;
    assert_eq!(grace["entries"][0]["isArchived"], true);
    let grace_id = grace["entries"][0]["memberId"].as_str().expect("memberId");
    let one = env.get_ok(&format!("/v2/members/{grace_id}"), &admin).await;
    assert_schema("/v2/members/{memberId}", "get", &one);
}

#[tokio::test]
async fn team_endpoints_match_schema() {
    let env = start().await;
    let admin = env.admin_token().await;
    let bare = env.get_ok("/v2/teams", &admin).await;
    assert_schema("/v2/teams", "get", &bare);
    let paged = env
        .get_ok("/v2/teams?limit=3&visibility=public", &admin)
        .await;
    assert_schema("/v2/teams", "get", &paged);
    for team in bare.as_array().expect("array") {
        let id = team["teamId"].as_str().expect("teamId");
        let one = env.get_ok(&format!("/v2/teams/{id}"), &admin).await;
        assert_schema("/v2/teams/{teamId}", "get", &one);
        let members = env.get_ok(&format!("/v2/teams/{id}/members"), &admin).await;
        assert_schema("/v2/teams/{teamId}/members", "get", &members);
        let attrs = env
            .get_ok(&format!("/v2/teams/{id}/user-attributes"), &admin)
            .await;
        assert_schema("/v2/teams/{teamId}/user-attributes", "get", &attrs);
    }
}

#[tokio::test]
async fn file_endpoints_match_schema() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    let queries = [
        "/v2/files",
        "/v2/files?limit=1000",
        "/v2/files?typeFilters=dataset",
        "/v2/files?typeFilters=workspace&typeFilters=folder&limit=1000",
        "/v2/files?typeFilters=template,symlink,table,sql&limit=1000",
        "/v2/files?permissionFilter=edit&limit=1000",
        "/v2/files?name=forecast",
    ];
    for token in [&admin, &user] {
        for q in queries {
            let body = env.get_ok(q, token).await;
            assert_schema("/v2/files", "get", &body);
            for entry in body["entries"].as_array().expect("entries").iter().take(20) {
                let id = entry["id"].as_str().expect("id");
                let one = env.get_ok(&format!("/v2/files/{id}"), token).await;
                assert_schema("/v2/files/{inodeId}", "get", &one);
            }
        }
    }
}

#[tokio::test]
async fn org_endpoints_match_schema() {
    let env = start().await;
    let admin = env.admin_token().await;
    let user = env.impersonate(DEMO_USER_EMAIL).await;
    for token in [&admin, &user] {
        let who = env.get_ok("/v2/whoami", token).await;
        assert_schema("/v2/whoami", "get", &who);
    }
    let types = env.get_ok("/v2/accountTypes", &admin).await;
    assert_schema("/v2/accountTypes", "get", &types);
    assert!(
        types.get("nextPageToken").is_none(),
        "absent on the last page: {types}"
    );
    let first = env.get_ok("/v2/accountTypes?pageSize=2", &admin).await;
    assert_schema("/v2/accountTypes", "get", &first);
    assert!(first["nextPageToken"].is_string());

    let attrs = env.get_ok("/v2/user-attributes", &admin).await;
    assert_schema("/v2/user-attributes", "get", &attrs);
    for a in attrs["entries"].as_array().expect("entries") {
        let id = a["userAttributeId"].as_str().expect("id");
        let users = env
            .get_ok(&format!("/v2/user-attributes/{id}/users"), &admin)
            .await;
        assert_schema("/v2/user-attributes/{userAttributeId}/users", "get", &users);
    }
    let tenants = env.get_ok("/v2/tenants", &admin).await;
    assert_schema("/v2/tenants", "get", &tenants);
    assert_eq!(tenants["entries"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn admin_only_endpoints_match_schema_for_the_admin_token() {
    let env = start().await;
    let admin = env.admin_token().await;
    let workbooks = env
        .get_ok("/v2/files?typeFilters=workbook&limit=1", &admin)
        .await;
    let id = workbooks["entries"][0]["id"].as_str().expect("a workbook");
    let resp = env
        .http
        .post(env.url(&format!("/v2/workbooks/{id}/export")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({ "format": { "type": "csv" } }))
        .send()
        .await
        .expect("export");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("json");
    assert_schema("/v2/workbooks/{workbookId}/export", "post", &body);
    let resp = env
        .http
        .post(env.url(&format!("/v2/workbooks/{id}/send")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("send");
    let body: Value = resp.json().await.expect("json");
    assert_schema("/v2/workbooks/{workbookId}/send", "post", &body);
    let schedules = env
        .get_ok(&format!("/v2/workbooks/{id}/schedules"), &admin)
        .await;
    assert_schema("/v2/workbooks/{workbookId}/schedules", "get", &schedules);
    // GET /v2/connections/paths/{inodeId} is not schema-checked: its `path` is a oneOf of four
    // identical array schemas, which no value can satisfy exactly once.
}

/// The validator really rejects what Sigma's schema forbids (so the checks above are not vacuous).
#[tokio::test]
async fn schema_validation_rejects_wrong_shapes() {
    let env = start().await;
    let admin = env.admin_token().await;
    let mut member = env.member_by_email(&admin, DEMO_USER_EMAIL).await;
    let check = |path: &str, body: Value| !schema_errors(path, "get", &body).is_empty();
    member
        .as_object_mut()
        .expect("object")
        .remove("homeFolderId");
    assert!(
        check("/v2/members/{memberId}", member.clone()),
        "missing required field accepted"
    );
    let mut file = env.get_ok("/v2/files?limit=1", &admin).await["entries"][0].clone();
    file["permission"] = Value::from("own");
    assert!(
        check("/v2/files/{inodeId}", file.clone()),
        "bad enum accepted"
    );
    file["permission"] = Value::from("view");
    file["createdAt"] = Value::from("yesterday");
    assert!(check("/v2/files/{inodeId}", file), "bad date-time accepted");
    assert!(
        check("/v2/whoami", serde_json::json!({ "userId": "x" })),
        "missing organizationId accepted"
    );
}

#[tokio::test]
async fn grant_lists_match_schema_for_every_document_the_admin_sees() {
    let env = start().await;
    let admin = env.admin_token().await;
    let files = env
        .all_pages(
            "/v2/files?limit=1000&typeFilters=workspace,folder,workbook,dataset,data-model,report,template,sql",
            &admin,
        )
        .await;
    assert!(files.len() > 20);
    let mut seen = 0;
    for f in &files {
        let id = f["id"].as_str().expect("id");
        let body = env
            .get_ok(&format!("/v2/grants?inodeId={id}"), &admin)
            .await;
        assert_schema("/v2/grants", "get", &body);
        seen += body["entries"].as_array().map_or(0, Vec::len);
    }
    assert!(seen > 0, "the demo has grants");
}
