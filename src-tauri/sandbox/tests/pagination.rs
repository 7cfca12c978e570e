//! Cursor pagination (`page`/`limit` and `pageToken`/`pageSize`), the legacy bare arrays, bad cursors
//! and limit clamping.

mod common;

use std::collections::HashSet;

use common::{assert_sigma_error, start, start_with, urlencode};
use reqwest::StatusCode;
use serde_json::Value;
use standin_sandbox::Org;

fn ids(entries: &[Value], key: &str) -> Vec<String> {
    entries
        .iter()
        .filter_map(|e| e[key].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn members_page_through_several_pages() {
    let env = start().await;
    let admin = env.admin_token().await;
    let bare = env.get_ok("/v2/members", &admin).await;
    let bare = bare
        .as_array()
        .expect("legacy bare array without limit")
        .clone();
    let paged = env.all_pages("/v2/members?limit=7", &admin).await;
    assert!(bare.len() > 14, "several pages");
    assert_eq!(ids(&paged, "memberId"), ids(&bare, "memberId"));
    assert_eq!(
        paged
            .iter()
            .map(|m| &m["memberId"])
            .collect::<HashSet<_>>()
            .len(),
        paged.len(),
        "no duplicates"
    );
    // Archived and inactive members are excluded unless asked for.
    assert!(bare
        .iter()
        .all(|m| m["isArchived"] == false && m["isInactive"] == false));
    let everyone = env
        .all_pages(
            "/v2/members?limit=9&includeArchived=true&includeInactive=true",
            &admin,
        )
        .await;
    assert_eq!(everyone.len(), env.sandbox.org().member_count());
    // The cursor is opaque (not a number) and the page after the last is empty-handed.
    let first = env.get_ok("/v2/members?limit=7", &admin).await;
    let cursor = first["nextPage"].as_str().expect("nextPage");
    assert!(
        cursor.parse::<u64>().is_err(),
        "cursor {cursor} must not be a plain number"
    );
    let v21 = env.all_pages("/v2.1/members?limit=11", &admin).await;
    assert_eq!(ids(&v21, "memberId"), ids(&bare, "memberId"));
    let head = env.get_ok("/v2.1/members?limit=11", &admin).await;
    assert_eq!(head["total"].as_u64(), Some(bare.len() as u64));
    let default = env.get_ok("/v2.1/members", &admin).await;
    assert!(default["entries"].is_array() && default.get("nextPage").is_some());
}

#[tokio::test]
async fn teams_legacy_array_and_pages() {
    let env = start().await;
    let admin = env.admin_token().await;
    let bare = env.get_ok("/v2/teams", &admin).await;
    let bare = bare.as_array().expect("bare array").clone();
    let paged = env.all_pages("/v2/teams?limit=2", &admin).await;
    assert_eq!(ids(&paged, "teamId"), ids(&bare, "teamId"));
    let private = env.get_ok("/v2/teams?visibility=private", &admin).await;
    assert!(private
        .as_array()
        .expect("array")
        .iter()
        .all(|t| t["visibility"] == "private"));
    let named = env.get_ok("/v2/teams?limit=10&name=sales", &admin).await;
    assert_eq!(named["entries"].as_array().map(Vec::len), Some(1));
    let (status, body) = env.get("/v2/teams?visibility=secret", &admin).await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn files_page_and_account_types_page_token() {
    let env = start().await;
    let admin = env.admin_token().await;
    let all = env.get_ok("/v2/files?limit=1000", &admin).await;
    assert!(all["nextPage"].is_null());
    let all = all["entries"].as_array().expect("entries").clone();
    let paged = env.all_pages("/v2/files?limit=6", &admin).await;
    assert!(all.len() > 12);
    assert_eq!(ids(&paged, "id"), ids(&all, "id"));

    let mut token: Option<String> = None;
    let mut seen = Vec::new();
    for _ in 0..20 {
        let path = match &token {
            Some(t) => format!("/v2/accountTypes?pageSize=2&pageToken={}", urlencode(t)),
            None => "/v2/accountTypes?pageSize=2".to_string(),
        };
        let body = env.get_ok(&path, &admin).await;
        seen.extend(ids(
            body["entries"].as_array().expect("entries"),
            "accountTypeName",
        ));
        match body.get("nextPageToken") {
            Some(Value::String(t)) => token = Some(t.clone()),
            None => break,
            Some(other) => panic!("nextPageToken must be a string or absent, got {other}"),
        }
    }
    assert_eq!(
        seen,
        vec!["Admin", "Creator", "Explorer", "Viewer", "Analyst"]
    );
}

#[tokio::test]
async fn bad_cursors_and_limits_are_400() {
    let env = start().await;
    let admin = env.admin_token().await;
    for path in [
        "/v2/members?limit=5&page=not-a-cursor",
        "/v2/members?limit=5&page=10",
        "/v2.1/members?page=%FF%FE",
        "/v2/teams?limit=1&page=abc",
        "/v2/files?page=zzz",
        "/v2/accountTypes?pageToken=nope",
        "/v2/tenants?pageToken=1",
        "/v2/members?limit=0",
        "/v2/members?limit=-3",
        "/v2/members?limit=lots",
        "/v2/members?limit=5&includeArchived=maybe",
    ] {
        let (status, body) = env.get(path, &admin).await;
        assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    }
    // A cursor only works with the query it came from.
    let first = env.get_ok("/v2/members?limit=3", &admin).await;
    let cursor = urlencode(first["nextPage"].as_str().expect("nextPage"));
    let (status, body) = env
        .get(
            &format!("/v2/members?limit=3&search=a&page={cursor}"),
            &admin,
        )
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    let (status, body) = env
        .get(&format!("/v2/teams?limit=3&page={cursor}"), &admin)
        .await;
    assert_sigma_error(status, &body, StatusCode::BAD_REQUEST, "bad_request");
    // Changing the page size mid-way is fine.
    let (status, _) = env
        .get(&format!("/v2/members?limit=10&page={cursor}"), &admin)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn limit_above_1000_is_clamped() {
    let env = start_with(Org::generate(2500, 7)).await;
    let admin = env.admin_token().await;
    let body = env.get_ok("/v2/members?limit=5000", &admin).await;
    assert_eq!(body["entries"].as_array().map(Vec::len), Some(1000));
    assert!(body["nextPage"].is_string());
    let body = env.get_ok("/v2.1/members?limit=1000000", &admin).await;
    assert_eq!(body["entries"].as_array().map(Vec::len), Some(1000));
    let body = env.get_ok("/v2/members?limit=2.9", &admin).await;
    assert_eq!(body["entries"].as_array().map(Vec::len), Some(2));
}
