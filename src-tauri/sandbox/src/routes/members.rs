//! Members: `/v2/members` (paginated with `limit`, legacy bare array without), `/v2.1/members`,
//! one member, and a member's teams. Listing is Admin-only; anyone may read their own record.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::views::{member_view, team_view, Paged};
use super::{AppState, Caller};
use crate::error::ApiError;
use crate::model::Org;
use crate::pagination::{page_a, parse_limit, DEFAULT_LIMIT};
use crate::query::QueryParams;

/// Members matching `email` (exact, case-insensitive), `search` (substring of name or email) and the
/// archived/inactive switches (both excluded unless asked for), in org order.
fn filter_members(org: &Org, q: &QueryParams) -> Result<Vec<usize>, ApiError> {
    let include_archived = q.bool("includeArchived")?.unwrap_or(false);
    let include_inactive = q.bool("includeInactive")?.unwrap_or(false);
    let visible = |m: usize| {
        let member = &org.members[m];
        (include_archived || !member.is_archived) && (include_inactive || !member.is_inactive)
    };
    if let Some(email) = q.get("email") {
        return Ok(org
            .member_by_email(email)
            .filter(|&m| visible(m))
            .into_iter()
            .collect());
    }
    let search = q.get("search").map(str::to_lowercase);
    Ok((0..org.members.len())
        .filter(|&m| visible(m))
        .filter(|&m| match &search {
            None => true,
            Some(s) => {
                let member = &org.members[m];
                member.email.to_lowercase().contains(s)
                    || format!("{} {}", member.first_name, member.last_name)
                        .to_lowercase()
                        .contains(s)
            }
        })
        .collect())
}

pub(crate) async fn list_v2(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let matches = filter_members(org, &q)?;
    // Legacy behaviour (until 2026-06-02): no `limit` → every match as a bare array.
    if parse_limit(&q, "limit")?.is_none() && q.get("page").is_none() {
        let all: Vec<_> = matches.into_iter().map(|m| member_view(org, m)).collect();
        return Ok(Json(all).into_response());
    }
    let page = page_a("/v2/members", &q, matches, DEFAULT_LIMIT)?;
    Ok(Json(Paged::of(page, |m| member_view(org, m))).into_response())
}

pub(crate) async fn list_v2_1(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let matches = filter_members(org, &q)?;
    let page = page_a("/v2.1/members", &q, matches, DEFAULT_LIMIT)?;
    Ok(Json(Paged::counted(page, |m| member_view(org, m))).into_response())
}

/// The member with this ID in the caller's org.
pub(crate) fn find_member(org: &Org, id: &str) -> Result<usize, ApiError> {
    org.index
        .member_by_id
        .get(id)
        .copied()
        .ok_or_else(|| ApiError::not_found(format!("Member {id} not found")))
}

pub(crate) async fn get_member(
    State(shared): State<AppState>,
    caller: Caller,
    Path(member_id): Path<String>,
) -> Result<Response, ApiError> {
    let org = caller.org(&shared);
    let m = find_member(org, &member_id)?;
    caller.require_admin_or_self(&shared, m)?;
    Ok(Json(member_view(org, m)).into_response())
}

pub(crate) async fn member_teams(
    State(shared): State<AppState>,
    caller: Caller,
    Path(member_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let org = caller.org(&shared);
    let m = find_member(org, &member_id)?;
    caller.require_admin_or_self(&shared, m)?;
    let q = QueryParams::parse(raw.as_deref());
    let teams = org.index.member_teams[m].clone();
    let page = page_a(
        &format!("/v2/members/{member_id}/teams"),
        &q,
        teams,
        DEFAULT_LIMIT,
    )?;
    Ok(Json(Paged::of(page, |t| team_view(org, t, false))).into_response())
}
