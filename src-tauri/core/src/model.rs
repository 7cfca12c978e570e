//! Sigma's resources as Stand-in reads them. Deserialization is lenient on purpose: fields Sigma may add
//! are kept in `extra` (and shown), enum-like fields (`memberType`, `type`, `permission`) are plain strings
//! so a new value is displayed rather than fatal, and a missing optional field is not an error.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub type Extra = Map<String, Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    pub user_id: String,
    pub organization_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub member_id: String,
    #[serde(default)]
    pub organization_id: String,
    /// Empty when Sigma sent none (missing or `null`): one such record must not fail a whole list, and
    /// an empty type is refused as unknown, never taken for a non-admin.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub member_type: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    pub email: String,
    #[serde(default)]
    pub profile_img_url: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub updated_by: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub home_folder_id: Option<String>,
    #[serde(default)]
    pub user_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_archived: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_inactive: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Member {
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string();
        if name.is_empty() {
            self.email.clone()
        } else {
            name
        }
    }

    /// Sigma's Admin account type (the name is `admin` on the wire; compare without case).
    pub fn is_admin(&self) -> bool {
        is_admin_type(&self.member_type)
    }

    /// Whether the record says nothing about the account type (so whether they are an Admin is unknown).
    pub fn type_unknown(&self) -> bool {
        self.member_type.trim().is_empty()
    }

    pub fn archived(&self) -> bool {
        self.is_archived.unwrap_or(false)
    }

    pub fn inactive(&self) -> bool {
        self.is_inactive.unwrap_or(false)
    }
}

pub fn is_admin_type(account_type: &str) -> bool {
    account_type.trim().eq_ignore_ascii_case("admin")
}

/// A string field that may be missing or `null`: both read as empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub team_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub updated_by: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_archived: Option<bool>,
    /// Present on `GET /v2/teams/{teamId}` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    pub user_id: String,
    #[serde(default)]
    pub is_team_admin: bool,
    #[serde(default)]
    pub added_by: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A document, folder or workspace ("inode").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct File {
    pub id: String,
    #[serde(default)]
    pub url_id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type")]
    pub file_type: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub parent_url_id: Option<String>,
    #[serde(default)]
    pub permission: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub badge: Option<String>,
    #[serde(default)]
    pub is_archived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub updated_by: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Document types Sigma documents for `typeFilters`.
pub const FILE_TYPES: &[&str] = &[
    "workspace",
    "folder",
    "workbook",
    "dataset",
    "data-model",
    "sql",
    "worksheet",
    "dashboard",
    "template",
    "table",
    "symlink",
    "report",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountType {
    pub account_type_id: String,
    #[serde(default)]
    pub account_type_name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub is_custom: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeValue {
    #[serde(rename = "type", default)]
    pub value_type: String,
    #[serde(default)]
    pub val: Value,
}

impl AttributeValue {
    pub fn as_text(&self) -> String {
        match &self.val {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAttribute {
    pub user_attribute_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<AttributeValue>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAttributeAssignment {
    pub user_id: String,
    pub value: AttributeValue,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamAttributeAssignment {
    pub user_attribute_id: String,
    #[serde(default)]
    pub user_attribute_name: String,
    pub value: AttributeValue,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One member's value of one user attribute, derived (Sigma has no per-member endpoint): a value set on the
/// user wins over a team's, which wins over the default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAttribute {
    pub user_attribute_id: String,
    pub name: String,
    pub value: String,
    /// "user", "team:<name>" or "default".
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub tenant_organization_id: String,
    #[serde(default)]
    pub parent_organization_id: Option<String>,
    #[serde(default)]
    pub tenant_organization_name: String,
    #[serde(default)]
    pub tenant_organization_slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_api_url: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One grant (`GET /v2/grants`): a permission on an inode for a member or a team. `permission` and
/// `inodeType` are kept as strings so a value Sigma adds later is shown, not fatal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub grant_id: String,
    pub inode_id: String,
    #[serde(default)]
    pub organization_id: String,
    #[serde(default)]
    pub member_id: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub permission: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub inode_type: String,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub updated_by: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// How strong a document permission is, for "the strongest grant wins": view < explore < organize < edit
/// (Sigma's Can View, Can Explore, Can Contribute, Can Manage). Any other value (`create`, `apply`, one
/// Sigma adds later) ranks below view: it still gives access, but never hides a permission we can rank.
pub fn permission_rank(permission: &str) -> u8 {
    match permission.trim().to_ascii_lowercase().as_str() {
        "edit" => 4,
        "organize" => 3,
        "explore" => 2,
        "view" => 1,
        _ => 0,
    }
}

/// A list answer in any of Sigma's shapes: `{entries, nextPage}`, `{entries, nextPageToken}`, or the legacy
/// bare array (`GET /v2/members` and `/v2/teams` without `limit`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ListBody<T> {
    Paged {
        entries: Vec<Option<T>>,
        #[serde(default, rename = "nextPage")]
        next_page: Option<String>,
        #[serde(default, rename = "nextPageToken")]
        next_page_token: Option<String>,
    },
    Legacy(Vec<T>),
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub entries: Vec<T>,
    pub next_page: Option<String>,
}

impl<T> From<ListBody<T>> for Page<T> {
    fn from(body: ListBody<T>) -> Self {
        match body {
            ListBody::Paged {
                entries,
                next_page,
                next_page_token,
            } => Page {
                // The tenants list may hold nulls (its schema allows them): skip them.
                entries: entries.into_iter().flatten().collect(),
                next_page: next_page.or(next_page_token).filter(|c| !c.is_empty()),
            },
            ListBody::Legacy(entries) => Page {
                entries,
                next_page: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_enum_values_are_kept() {
        let m: Member = serde_json::from_value(serde_json::json!({
            "memberId": "u1", "email": "a@b.co", "memberType": "superviewer",
            "firstName": "A", "lastName": "B", "profileImgUrl": null,
            "brandNewField": {"x": 1}
        }))
        .unwrap();
        assert_eq!(m.member_type, "superviewer");
        assert_eq!(m.extra["brandNewField"]["x"], 1);
        let back = serde_json::to_value(&m).unwrap();
        assert_eq!(back["brandNewField"]["x"], 1);
    }

    #[test]
    fn a_missing_or_null_member_type_reads_as_unknown_without_failing_the_list() {
        let body: ListBody<Member> = serde_json::from_value(serde_json::json!({"entries": [
            {"memberId": "u1", "email": "a@b.co"},
            {"memberId": "u2", "email": "c@b.co", "memberType": null},
            {"memberId": "u3", "email": "d@b.co", "memberType": "  "},
            {"memberId": "u4", "email": "e@b.co", "memberType": "viewer"}
        ]}))
        .unwrap();
        let members = Page::from(body).entries;
        let unknown: Vec<bool> = members.iter().map(Member::type_unknown).collect();
        assert_eq!(unknown, [true, true, true, false]);
        // Unknown is not Admin — which is why eligibility must refuse it rather than read it as a non-admin.
        assert!(members.iter().all(|m| !m.is_admin()));
    }

    #[test]
    fn grants_keep_new_permission_and_inode_type_values() {
        let body: ListBody<Grant> = serde_json::from_value(serde_json::json!({"entries": [
            {"grantId": "g1", "inodeId": "i1", "organizationId": "o", "memberId": null, "teamId": "t1",
             "permission": "superview", "inodeType": "hologram", "createdBy": "a", "updatedBy": "a",
             "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z", "scope": "x"},
            {"grantId": "g2", "inodeId": "i2", "permission": null}
        ], "nextPage": null}))
        .unwrap();
        let grants = Page::from(body).entries;
        assert_eq!(grants[0].permission, "superview");
        assert_eq!(grants[0].inode_type, "hologram");
        assert_eq!(grants[0].team_id.as_deref(), Some("t1"));
        assert_eq!(grants[0].extra["scope"], "x");
        assert_eq!(grants[1].permission, "");
        assert!(permission_rank("edit") > permission_rank("organize"));
        assert!(permission_rank("organize") > permission_rank("explore"));
        assert!(permission_rank("explore") > permission_rank("view"));
        assert!(permission_rank("view") > permission_rank("superview"));
    }

    #[test]
    fn list_bodies_of_every_shape() {
        let legacy: ListBody<TeamMember> =
            serde_json::from_str(r#"[{"userId":"a","isTeamAdmin":true,"addedBy":"x"}]"#).unwrap();
        let p = Page::from(legacy);
        assert_eq!(p.entries.len(), 1);
        assert!(p.next_page.is_none());

        let paged: ListBody<TeamMember> =
            serde_json::from_str(r#"{"entries":[{"userId":"a"}],"nextPage":"abc"}"#).unwrap();
        assert_eq!(Page::from(paged).next_page.as_deref(), Some("abc"));

        let token: ListBody<Tenant> = serde_json::from_str(
            r#"{"entries":[null,{"tenantOrganizationId":"t"}],"nextPageToken":"n"}"#,
        )
        .unwrap();
        let p = Page::from(token);
        assert_eq!(p.entries.len(), 1);
        assert_eq!(p.next_page.as_deref(), Some("n"));
    }
}
