//! Files: what the caller (or, for Admins, any member) can access, each with the caller's permission.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::members::find_member;
use super::views::{file_view, FileView, Paged};
use super::{AppState, Caller};
use crate::access::{accessible, is_within, permission_on};
use crate::error::ApiError;
use crate::model::{DocType, Org, Permission};
use crate::pagination::{page_a, DEFAULT_LIMIT};
use crate::query::{unset_or, QueryParams};

/// `typeFilters` as one value, repeated keys, or comma-separated; default: Sigma's default set.
fn type_filters(q: &QueryParams) -> Result<Vec<DocType>, ApiError> {
    let mut types = Vec::new();
    for raw in q.all("typeFilters").chain(q.all("typeFilters[]")) {
        for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let t = DocType::parse(name).ok_or_else(|| {
                let known: Vec<&str> = DocType::ALL.iter().map(|t| t.as_str()).collect();
                ApiError::bad_request(format!(
                    "Unknown typeFilters value {name:?}; expected one of {}",
                    known.join(", ")
                ))
            })?;
            if !types.contains(&t) {
                types.push(t);
            }
        }
    }
    if types.is_empty() {
        types.extend(DocType::DEFAULT_LISTED);
    }
    Ok(types)
}

/// The files `member` can access, filtered and paginated as `/v2/files` does.
fn list_files(
    org: &Org,
    member: usize,
    q: &QueryParams,
    endpoint: &str,
) -> Result<Paged<FileView>, ApiError> {
    let types = type_filters(q)?;
    let min_permission = q
        .get("permissionFilter")
        .map(|p| {
            Permission::parse(p).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "permissionFilter must be view, explore, organize or edit, got {p:?}"
                ))
            })
        })
        .transpose()?;
    let name = q.get("name").map(str::to_lowercase);
    let direct = q.bool("directChildFilter")?.unwrap_or(false);
    let access = accessible(org, member);
    let parent = match q.get("parentId") {
        None => None,
        Some(id) => {
            // An inaccessible parent looks exactly like a missing one, so IDs do not leak.
            let p = org
                .index
                .doc_by_id
                .get(id)
                .copied()
                .filter(|p| access.contains_key(p))
                .ok_or_else(|| ApiError::not_found(format!("Folder {id} not found")))?;
            Some(p)
        }
    };
    let mut matches: Vec<(usize, Permission)> = access
        .into_iter()
        .filter(|&(d, permission)| {
            let doc = &org.documents[d];
            // Home folders are reached through `homeFolderId`, not listed.
            doc.home_of.is_none()
                && types.contains(&doc.doc_type)
                && unset_or(min_permission, |min| permission >= min)
                && unset_or(name.as_ref(), |n| doc.name.to_lowercase().contains(n))
                && unset_or(parent, |p| {
                    if direct {
                        doc.parent == Some(p)
                    } else {
                        d != p && is_within(org, d, p)
                    }
                })
        })
        .collect();
    matches.sort_unstable_by_key(|&(d, _)| d);
    let page = page_a(endpoint, q, matches, DEFAULT_LIMIT)?;
    Ok(Paged {
        entries: page
            .items
            .into_iter()
            .map(|(d, permission)| file_view(org, d, permission))
            .collect(),
        next_page: page.next,
        total: None,
    })
}

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = QueryParams::parse(raw.as_deref());
    let org = caller.org(&shared);
    Ok(Json(list_files(org, caller.member(), &q, "/v2/files")?).into_response())
}

pub(crate) async fn member_files(
    State(shared): State<AppState>,
    caller: Caller,
    Path(member_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let org = caller.org(&shared);
    let m = find_member(org, &member_id)?;
    caller.require_admin_or_self(&shared, m)?;
    let q = QueryParams::parse(raw.as_deref());
    let endpoint = format!("/v2/members/{member_id}/files");
    Ok(Json(list_files(org, m, &q, &endpoint)?).into_response())
}

/// The document with this ID if the caller can access it, with the caller's permission.
pub(crate) fn accessible_file(
    org: &Org,
    member: usize,
    id: &str,
) -> Result<(usize, Permission), ApiError> {
    org.index
        .doc_by_id
        .get(id)
        .and_then(|&d| permission_on(org, member, d).map(|p| (d, p)))
        .ok_or_else(|| ApiError::not_found(format!("File {id} not found")))
}

pub(crate) async fn get_file(
    State(shared): State<AppState>,
    caller: Caller,
    Path(inode_id): Path<String>,
) -> Result<Response, ApiError> {
    let org = caller.org(&shared);
    let (d, permission) = accessible_file(org, caller.member(), &inode_id)?;
    Ok(Json(file_view(org, d, permission)).into_response())
}
