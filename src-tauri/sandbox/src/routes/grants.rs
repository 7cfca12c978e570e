//! `GET /v2/grants` (Sigma's `listGrants`): the grants on a document, folder or workspace, or the grants made
//! to one member or one team.
//!
//! Choices where the spec is silent (documented in README.md, "Why can't they see it?"):
//! - Admins only: the list shows who can reach what across the whole org, which is what Sigma keeps to
//!   Admins (like `/v2/members/{id}/teams`). Any other caller, an impersonated user included, gets 403.
//! - `inodeId` without `directGrantsOnly=true` lists the grants made on the inode *and* the ones it inherits
//!   from every folder and workspace above it (nearest first); with it, only the inode's own. The spec's
//!   own wording — "only grants made on that inode, not inherited ones" — implies the default includes them.
//! - `userId`/`teamId` list the grants that name that member or team (grants to a member's teams are not
//!   grants to the member); `directGrantsOnly` changes nothing there.
//! - An admin can list the grants of any inode, also one their own file listing does not show: grants are
//!   how an admin finds out who sees a document they cannot.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::members::find_member;
use super::views::Paged;
use super::{AppState, Caller};
use crate::error::ApiError;
use crate::ids::uuid_id;
use crate::model::{format_time, DocType, Org, Principal};
use crate::pagination::{page_a, DEFAULT_LIMIT};
use crate::query::QueryParams;

/// One entry of `grants_listGrants_Response_200`, every field required by the spec.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GrantView {
    grant_id: String,
    inode_id: String,
    organization_id: String,
    member_id: Option<String>,
    team_id: Option<String>,
    permission: &'static str,
    inode_type: &'static str,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
}

/// `inodeType` as the spec's enum spells it. The enum has no `workspace` (a workspace is a top-level folder
/// inode) and no data model (whose predecessor is the dataset), so those two map onto what it has; every
/// other document type is in the enum under its own name.
fn inode_type(t: DocType) -> &'static str {
    match t {
        DocType::Workspace | DocType::Folder => "folder",
        DocType::DataModel | DocType::Dataset => "dataset",
        DocType::Workbook => "workbook",
        DocType::Sql => "sql",
        DocType::Worksheet => "worksheet",
        DocType::Dashboard => "dashboard",
        DocType::Template => "template",
        DocType::Table => "table",
        DocType::Symlink => "symlink",
        DocType::Report => "report",
    }
}

/// The grant at `documents[doc].grants[index]`, with IDs and times derived from the fixture so they are the
/// same on every run (the fixture has no grant IDs): the sharer is the document's owner (else its creator),
/// at the document's creation.
fn grant_view(org: &Org, doc: usize, index: usize) -> GrantView {
    let d = &org.documents[doc];
    let g = d.grants[index];
    let (member_id, team_id, principal) = match g.principal {
        Principal::Member(m) => (Some(org.members[m].id.clone()), None, &org.members[m].id),
        Principal::Team(t) => (None, Some(org.teams[t].id.clone()), &org.teams[t].id),
    };
    let sharer = org.members[d.owner.unwrap_or(d.created_by)].id.clone();
    GrantView {
        grant_id: uuid_id(&["grant", &d.id, &index.to_string(), principal]),
        inode_id: d.id.clone(),
        organization_id: org.id.clone(),
        member_id,
        team_id,
        permission: g.permission.as_str(),
        inode_type: inode_type(d.doc_type),
        created_by: sharer.clone(),
        updated_by: sharer,
        created_at: format_time(d.created_at),
        updated_at: format_time(d.created_at.max(d.updated_at)),
    }
}

/// Exactly one of the three selectors, as the spec's usage notes ask.
enum Selector<'a> {
    Inode(&'a str),
    Member(&'a str),
    Team(&'a str),
}

fn selector(q: &QueryParams) -> Result<Selector<'_>, ApiError> {
    let given: Vec<Selector<'_>> = [
        q.get("inodeId").map(Selector::Inode),
        q.get("userId").map(Selector::Member),
        q.get("teamId").map(Selector::Team),
    ]
    .into_iter()
    .flatten()
    .collect();
    let count = given.len();
    given
        .into_iter()
        .next()
        .filter(|_| count == 1)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "Specify exactly one of inodeId, userId or teamId (got {count})"
            ))
        })
}

/// Every (document, grant index) the query selects, in a stable order.
fn select(org: &Org, q: &QueryParams) -> Result<Vec<(usize, usize)>, ApiError> {
    let direct_only = q.bool("directGrantsOnly")?.unwrap_or(false);
    let of = |doc: usize| (0..org.documents[doc].grants.len()).map(move |i| (doc, i));
    match selector(q)? {
        Selector::Inode(id) => {
            let doc = *org
                .index
                .doc_by_id
                .get(id)
                .ok_or_else(|| ApiError::not_found(format!("File {id} not found")))?;
            let mut out: Vec<(usize, usize)> = of(doc).collect();
            if !direct_only {
                let mut current = org.documents[doc].parent;
                while let Some(p) = current {
                    out.extend(of(p));
                    current = org.documents[p].parent;
                }
            }
            Ok(out)
        }
        Selector::Member(id) => {
            let m = find_member(org, id)?;
            Ok(all_grants(org)
                .filter(|&(d, i)| org.documents[d].grants[i].principal == Principal::Member(m))
                .collect())
        }
        Selector::Team(id) => {
            let t = *org
                .index
                .team_by_id
                .get(id)
                .ok_or_else(|| ApiError::not_found(format!("Team {id} not found")))?;
            Ok(all_grants(org)
                .filter(|&(d, i)| org.documents[d].grants[i].principal == Principal::Team(t))
                .collect())
        }
    }
}

fn all_grants(org: &Org) -> impl Iterator<Item = (usize, usize)> + '_ {
    org.documents
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.grants.len()).map(move |i| (d, i)))
}

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let selected = select(org, &q)?;
    let page = page_a("/v2/grants", &q, selected, DEFAULT_LIMIT)?;
    Ok(Json(Paged::of(page, |(d, i)| grant_view(org, d, i))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_type_maps_into_the_spec_enum() {
        let spec_enum = [
            "folder",
            "customFunction",
            "symlink",
            "versionTag",
            "worksheet",
            "block",
            "dashboard",
            "report",
            "table",
            "semanticView",
            "metricView",
            "scope",
            "sql",
            "workbook",
            "template",
            "dataset",
            "datafile",
            "storedProcedure",
            "apiConnector",
            "apiConnectorAuth",
            "mcpConnector",
            "warehouseAgent",
            "agentSkill",
            "tlsProfile",
            "schedule",
            "application",
            "appBranch",
        ];
        for t in DocType::ALL {
            assert!(spec_enum.contains(&inode_type(t)), "{t:?}");
        }
    }

    #[test]
    fn exactly_one_selector() {
        let q = |s: &str| QueryParams::parse(Some(s));
        assert!(selector(&q("inodeId=a")).is_ok());
        assert!(selector(&q("userId=a&limit=5")).is_ok());
        assert!(selector(&q("")).is_err());
        assert!(selector(&q("inodeId=")).is_err());
        assert!(selector(&q("inodeId=a&teamId=b")).is_err());
        assert!(selector(&q("inodeId=a&userId=b&teamId=c")).is_err());
    }
}
