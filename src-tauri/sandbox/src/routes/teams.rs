//! Teams: list (legacy bare array without `limit`), one team with its member IDs, its members with team
//! admin flags, and its user-attribute values. Admins see every team; a member may read their own teams.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::views::{team_view, AttributeValueView, Paged};
use super::{AppState, Caller};
use crate::error::ApiError;
use crate::model::{Org, Visibility};
use crate::pagination::{page_a, parse_limit, DEFAULT_LIMIT};
use crate::query::{unset_or, QueryParams};
use crate::state::Shared;

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let name = q.get("name").map(str::to_lowercase);
    let description = q.get("description").map(str::to_lowercase);
    let visibility = match q.get("visibility") {
        None => None,
        Some("public") => Some(Visibility::Public),
        Some("private") => Some(Visibility::Private),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "visibility must be public or private, got {other:?}"
            )))
        }
    };
    let matches: Vec<usize> = org
        .teams
        .iter()
        .enumerate()
        .filter(|(_, t)| unset_or(name.as_ref(), |n| t.name.to_lowercase().contains(n)))
        .filter(|(_, t)| {
            unset_or(description.as_ref(), |d| {
                t.description
                    .as_ref()
                    .is_some_and(|td| td.to_lowercase().contains(d))
            })
        })
        .filter(|(_, t)| unset_or(visibility, |v| t.visibility == v))
        .map(|(i, _)| i)
        .collect();
    if parse_limit(&q, "limit")?.is_none() && q.get("page").is_none() {
        let all: Vec<_> = matches
            .into_iter()
            .map(|t| team_view(org, t, false))
            .collect();
        return Ok(Json(all).into_response());
    }
    let page = page_a("/v2/teams", &q, matches, DEFAULT_LIMIT)?;
    Ok(Json(Paged::of(page, |t| team_view(org, t, false))).into_response())
}

/// The team with this ID, if the caller may read it (an Admin, or a member of the team).
fn readable_team(shared: &Shared, caller: &Caller, team_id: &str) -> Result<usize, ApiError> {
    let org: &Org = caller.org(shared);
    let t = *org
        .index
        .team_by_id
        .get(team_id)
        .ok_or_else(|| ApiError::not_found(format!("Team {team_id} not found")))?;
    let is_member = org.teams[t]
        .members
        .iter()
        .any(|tm| tm.member == caller.member());
    if is_member || caller.is_admin(shared) {
        Ok(t)
    } else {
        Err(ApiError::forbidden(
            "Only Admins and members of a team can read it",
        ))
    }
}

pub(crate) async fn get_team(
    State(shared): State<AppState>,
    caller: Caller,
    Path(team_id): Path<String>,
) -> Result<Response, ApiError> {
    let t = readable_team(&shared, &caller, &team_id)?;
    Ok(Json(team_view(caller.org(&shared), t, true)).into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamMemberView {
    user_id: String,
    is_team_admin: bool,
    added_by: String,
}

pub(crate) async fn team_members(
    State(shared): State<AppState>,
    caller: Caller,
    Path(team_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let t = readable_team(&shared, &caller, &team_id)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let indices: Vec<usize> = (0..org.teams[t].members.len()).collect();
    let page = page_a(
        &format!("/v2/teams/{team_id}/members"),
        &q,
        indices,
        DEFAULT_LIMIT,
    )?;
    let entries = page
        .items
        .into_iter()
        .map(|i| {
            let tm = &org.teams[t].members[i];
            TeamMemberView {
                user_id: org.members[tm.member].id.clone(),
                is_team_admin: tm.is_team_admin,
                added_by: org.members[tm.added_by].id.clone(),
            }
        })
        .collect();
    Ok(Json(Paged {
        entries,
        next_page: page.next,
        total: None,
    })
    .into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamAttributeView {
    user_attribute_id: String,
    user_attribute_name: String,
    value: AttributeValueView,
}

pub(crate) async fn team_user_attributes(
    State(shared): State<AppState>,
    caller: Caller,
    Path(team_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let t = readable_team(&shared, &caller, &team_id)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let values: Vec<TeamAttributeView> = org
        .user_attributes
        .iter()
        .filter_map(|a| {
            a.team_values
                .iter()
                .find(|v| v.target == t)
                .map(|v| TeamAttributeView {
                    user_attribute_id: a.id.clone(),
                    user_attribute_name: a.name.clone(),
                    value: AttributeValueView::string(&v.value),
                })
        })
        .collect();
    let page = page_a(
        &format!("/v2/teams/{team_id}/user-attributes"),
        &q,
        values,
        DEFAULT_LIMIT,
    )?;
    Ok(Json(Paged::counted(page, std::convert::identity)).into_response())
}
