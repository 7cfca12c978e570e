//! Response bodies, field for field as Sigma's OpenAPI schemas have them (camelCase, nullable fields
//! present as `null`, optional fields omitted when absent).

use serde::Serialize;

use crate::access::display_path;
use crate::model::{format_time, Org, Permission};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Paged<T> {
    pub entries: Vec<T>,
    pub next_page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
}

impl<T> Paged<T> {
    /// One page in Sigma's `{entries, nextPage}` shape, each item turned into its view.
    pub fn of<I>(page: crate::pagination::Page<I>, view: impl FnMut(I) -> T) -> Self {
        Paged {
            entries: page.items.into_iter().map(view).collect(),
            next_page: page.next,
            total: None,
        }
    }

    /// The same with `total`, which `/v2.1/members` and the attribute lists send.
    pub fn counted<I>(page: crate::pagination::Page<I>, view: impl FnMut(I) -> T) -> Self {
        let total = page.total;
        Paged {
            total: Some(total),
            ..Self::of(page, view)
        }
    }
}

/// Style-B pages: `nextPageToken` is absent on the last page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenPaged<T> {
    pub entries: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MemberView {
    organization_id: String,
    member_id: String,
    member_type: String,
    first_name: String,
    last_name: String,
    email: String,
    profile_img_url: Option<String>,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
    home_folder_id: String,
    user_kind: &'static str,
    is_archived: bool,
    is_inactive: bool,
}

pub(crate) fn member_view(org: &Org, m: usize) -> MemberView {
    let member = &org.members[m];
    MemberView {
        organization_id: org.id.clone(),
        member_id: member.id.clone(),
        member_type: org.account_types[member.account_type].member_type(),
        first_name: member.first_name.clone(),
        last_name: member.last_name.clone(),
        email: member.email.clone(),
        profile_img_url: member.profile_img_url.clone(),
        created_by: org.members[member.created_by].id.clone(),
        updated_by: org.members[member.updated_by].id.clone(),
        created_at: format_time(member.created_at),
        updated_at: format_time(member.updated_at),
        home_folder_id: org.documents[member.home_folder].id.clone(),
        user_kind: member.user_kind.as_str(),
        is_archived: member.is_archived,
        is_inactive: member.is_inactive,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TeamView {
    team_id: String,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
    name: String,
    description: Option<String>,
    visibility: &'static str,
    is_archived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<String>>,
}

pub(crate) fn team_view(org: &Org, t: usize, with_members: bool) -> TeamView {
    let team = &org.teams[t];
    TeamView {
        team_id: team.id.clone(),
        created_by: org.members[team.created_by].id.clone(),
        updated_by: org.members[team.updated_by].id.clone(),
        created_at: format_time(team.created_at),
        updated_at: format_time(team.updated_at),
        name: team.name.clone(),
        description: team.description.clone(),
        visibility: team.visibility.as_str(),
        is_archived: team.is_archived,
        members: with_members.then(|| {
            team.members
                .iter()
                .map(|tm| org.members[tm.member].id.clone())
                .collect()
        }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FileView {
    id: String,
    url_id: String,
    name: String,
    #[serde(rename = "type")]
    doc_type: &'static str,
    parent_id: String,
    parent_url_id: String,
    permission: &'static str,
    path: String,
    badge: Option<String>,
    is_archived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    owner_id: Option<String>,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
}

pub(crate) fn file_view(org: &Org, d: usize, permission: Permission) -> FileView {
    let doc = &org.documents[d];
    let (parent_id, parent_url_id) = match doc.parent {
        Some(p) => (org.documents[p].id.clone(), org.documents[p].url_id.clone()),
        None => (org.root_id.clone(), org.root_url_id.clone()),
    };
    FileView {
        id: doc.id.clone(),
        url_id: doc.url_id.clone(),
        name: doc.name.clone(),
        doc_type: doc.doc_type.as_str(),
        parent_id,
        parent_url_id,
        permission: permission.as_str(),
        path: display_path(org, d),
        badge: doc.badge.clone(),
        is_archived: doc.is_archived,
        description: doc.description.clone(),
        owner_id: doc.owner.map(|o| org.members[o].id.clone()),
        created_by: org.members[doc.created_by].id.clone(),
        updated_by: org.members[doc.updated_by].id.clone(),
        created_at: format_time(doc.created_at),
        updated_at: format_time(doc.updated_at),
    }
}

/// Sigma's typed attribute value (only strings exist today).
#[derive(Serialize)]
pub(crate) struct AttributeValueView {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub val: String,
}

impl AttributeValueView {
    pub fn string(val: &str) -> Self {
        AttributeValueView {
            kind: "string",
            val: val.to_string(),
        }
    }
}
