//! The JSON fixture format (documented in `FIXTURE.md`): human-written, IDs optional, references by email,
//! team name and folder path. `Org` serializes to it with every ID filled in, so a saved org loads again
//! unchanged; loading (`Org::from_json_str`, `Deserialize`) and its validation live in `resolve.rs`, which
//! depends on this module and never the other way round.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::{DocType, Org, Permission, Principal, UserKind, Visibility};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OrgFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    pub name: String,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_types: Vec<AccountTypeFile>,
    #[serde(default)]
    pub api_clients: Vec<ApiClientFile>,
    pub members: Vec<MemberFile>,
    #[serde(default)]
    pub teams: Vec<TeamFile>,
    #[serde(default)]
    pub documents: Vec<DocumentFile>,
    #[serde(default)]
    pub user_attributes: Vec<UserAttributeFile>,
    #[serde(default)]
    pub tenants: Vec<TenantFile>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AccountTypeFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ApiClientFile {
    pub client_id: String,
    pub client_secret: String,
    /// Email of the member who owns the client; the client acts with that member's account type.
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MemberFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub account_type: String,
    #[serde(default, skip_serializing_if = "is_default_kind")]
    pub user_kind: UserKind,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_archived: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_inactive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_img_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_folder_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TeamFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub visibility: Visibility,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_archived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// Member emails.
    #[serde(default)]
    pub members: Vec<String>,
    /// Member emails of the team admins (added as members if missing from `members`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team_admins: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DocumentFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    /// Path of the containing workspace/folder by names ("Sales/Forecasts"), or "My Documents[/…]" for the
    /// owner's home folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Alternatively, the containing document's ID (any earlier document, or a member's `homeFolderId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_archived: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<GrantFile>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GrantFile {
    /// A member's email …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// … or a team's name (or ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub permission: Permission,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UserAttributeFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Member email → value.
    #[serde(default)]
    pub users: BTreeMap<String, String>,
    /// Team name (or ID) → value.
    #[serde(default)]
    pub teams: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TenantFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The member a tenant-only subject token impersonates; defaults to the tenant's first Admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_email: Option<String>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    pub members: Vec<MemberFile>,
    #[serde(default)]
    pub teams: Vec<TeamFile>,
    #[serde(default)]
    pub documents: Vec<DocumentFile>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default_kind(k: &UserKind) -> bool {
    *k == UserKind::Internal
}

impl Org {
    /// The org in fixture form, every ID explicit (home folders are implicit: one per member).
    pub(crate) fn to_file(&self) -> OrgFile {
        OrgFile {
            organization_id: Some(self.id.clone()),
            name: self.name.clone(),
            created_at: Some(self.created_at),
            account_types: self
                .account_types
                .iter()
                .map(|a| AccountTypeFile {
                    id: Some(a.id.clone()),
                    name: a.name.clone(),
                    description: Some(a.description.clone()),
                })
                .collect(),
            api_clients: self
                .api_clients
                .iter()
                .map(|c| ApiClientFile {
                    client_id: c.client_id.clone(),
                    client_secret: c.client_secret.clone(),
                    owner: self.members[c.owner].email.clone(),
                    name: c.name.clone(),
                })
                .collect(),
            members: self.member_files(),
            teams: self.team_files(),
            documents: self.document_files(),
            user_attributes: self
                .user_attributes
                .iter()
                .map(|a| UserAttributeFile {
                    id: Some(a.id.clone()),
                    name: a.name.clone(),
                    description: a.description.clone(),
                    default_value: a.default_value.clone(),
                    created_by: Some(self.members[a.created_by].email.clone()),
                    users: a
                        .user_values
                        .iter()
                        .map(|v| (self.members[v.target].email.clone(), v.value.clone()))
                        .collect(),
                    teams: a
                        .team_values
                        .iter()
                        .map(|v| (self.teams[v.target].name.clone(), v.value.clone()))
                        .collect(),
                })
                .collect(),
            tenants: self
                .tenants
                .iter()
                .map(|t| TenantFile {
                    organization_id: Some(t.id.clone()),
                    name: t.name.clone(),
                    slug: t.tenant_info.as_ref().map(|i| i.slug.clone()),
                    admin_email: t
                        .tenant_info
                        .as_ref()
                        .map(|i| t.members[i.admin].email.clone()),
                    created_at: Some(t.created_at),
                    members: t.member_files(),
                    teams: t.team_files(),
                    documents: t.document_files(),
                })
                .collect(),
        }
    }

    fn member_files(&self) -> Vec<MemberFile> {
        self.members
            .iter()
            .map(|m| MemberFile {
                id: Some(m.id.clone()),
                email: m.email.clone(),
                first_name: m.first_name.clone(),
                last_name: m.last_name.clone(),
                account_type: self.account_types[m.account_type].name.clone(),
                user_kind: m.user_kind,
                is_archived: m.is_archived,
                is_inactive: m.is_inactive,
                profile_img_url: m.profile_img_url.clone(),
                created_by: Some(self.members[m.created_by].email.clone()),
                created_at: Some(m.created_at),
                updated_at: Some(m.updated_at),
                home_folder_id: Some(self.documents[m.home_folder].id.clone()),
            })
            .collect()
    }

    fn team_files(&self) -> Vec<TeamFile> {
        self.teams
            .iter()
            .map(|t| TeamFile {
                id: Some(t.id.clone()),
                name: t.name.clone(),
                description: t.description.clone(),
                visibility: t.visibility,
                is_archived: t.is_archived,
                created_by: Some(self.members[t.created_by].email.clone()),
                created_at: Some(t.created_at),
                members: t
                    .members
                    .iter()
                    .map(|tm| self.members[tm.member].email.clone())
                    .collect(),
                team_admins: t
                    .members
                    .iter()
                    .filter(|tm| tm.is_team_admin)
                    .map(|tm| self.members[tm.member].email.clone())
                    .collect(),
            })
            .collect()
    }

    fn document_files(&self) -> Vec<DocumentFile> {
        self.documents
            .iter()
            .filter(|d| d.home_of.is_none())
            .map(|d| DocumentFile {
                id: Some(d.id.clone()),
                url_id: Some(d.url_id.clone()),
                name: d.name.clone(),
                doc_type: d.doc_type,
                parent: None,
                parent_id: d.parent.map(|p| self.documents[p].id.clone()),
                owner: d.owner.map(|o| self.members[o].email.clone()),
                created_by: Some(self.members[d.created_by].email.clone()),
                created_at: Some(d.created_at),
                updated_at: Some(d.updated_at),
                description: d.description.clone(),
                badge: d.badge.clone(),
                is_archived: d.is_archived,
                grants: d
                    .grants
                    .iter()
                    .map(|g| match g.principal {
                        Principal::Member(m) => GrantFile {
                            user: Some(self.members[m].email.clone()),
                            team: None,
                            permission: g.permission,
                        },
                        Principal::Team(t) => GrantFile {
                            user: None,
                            team: Some(self.teams[t].id.clone()),
                            permission: g.permission,
                        },
                    })
                    .collect(),
            })
            .collect()
    }
}

impl Serialize for Org {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_file().serialize(serializer)
    }
}
