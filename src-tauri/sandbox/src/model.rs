//! The resolved org: every reference is an index, every ID is filled in, and lookup indexes are built once
//! so that listing and filtering stay fast for 100,000 members. The JSON fixture format lives in `fixture.rs`.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Document types, exactly Sigma's `type` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    Workspace,
    Folder,
    Workbook,
    Dataset,
    DataModel,
    Sql,
    Worksheet,
    Dashboard,
    Template,
    Table,
    Symlink,
    Report,
}

impl DocType {
    pub const ALL: [DocType; 12] = [
        DocType::Workspace,
        DocType::Folder,
        DocType::Workbook,
        DocType::Dataset,
        DocType::DataModel,
        DocType::Sql,
        DocType::Worksheet,
        DocType::Dashboard,
        DocType::Template,
        DocType::Table,
        DocType::Symlink,
        DocType::Report,
    ];

    /// What `/v2/files` returns when no `typeFilters` are given (SIGMA_API.md §5).
    pub const DEFAULT_LISTED: [DocType; 5] = [
        DocType::Workbook,
        DocType::Folder,
        DocType::DataModel,
        DocType::Dataset,
        DocType::Report,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Workspace => "workspace",
            DocType::Folder => "folder",
            DocType::Workbook => "workbook",
            DocType::Dataset => "dataset",
            DocType::DataModel => "data-model",
            DocType::Sql => "sql",
            DocType::Worksheet => "worksheet",
            DocType::Dashboard => "dashboard",
            DocType::Template => "template",
            DocType::Table => "table",
            DocType::Symlink => "symlink",
            DocType::Report => "report",
        }
    }

    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Workspaces and folders hold other documents and pass their grants down.
    pub fn is_container(self) -> bool {
        matches!(self, DocType::Workspace | DocType::Folder)
    }
}

/// Document permissions, weakest first, so `max` is "the strongest grant wins". Sigma's response enum has
/// more values (create, annotate, apply) that belong to connections and templates; documents use these four
/// (the same four `permissionFilter` accepts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    View,
    Explore,
    Organize,
    Edit,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::View => "view",
            Permission::Explore => "explore",
            Permission::Organize => "organize",
            Permission::Edit => "edit",
        }
    }
    pub fn parse(s: &str) -> Option<Permission> {
        match s {
            "view" => Some(Permission::View),
            "explore" => Some(Permission::Explore),
            "organize" => Some(Permission::Organize),
            "edit" => Some(Permission::Edit),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UserKind {
    #[default]
    Internal,
    Guest,
    Embed,
}

impl UserKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UserKind::Internal => "internal",
            UserKind::Guest => "guest",
            UserKind::Embed => "embed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }
}

/// The credentials of one API client, as the CLI and tests need them to call the sandbox.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiClientCredentials {
    pub client_id: String,
    pub client_secret: String,
    pub owner_email: String,
}

// Never print the secret, even in a test failure or a debug log.
impl fmt::Debug for ApiClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("owner_email", &self.owner_email)
            .finish()
    }
}

#[derive(Clone)]
pub(crate) struct ApiClient {
    pub client_id: String,
    pub client_secret: String,
    pub name: Option<String>,
    pub owner: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct AccountType {
    pub id: String,
    pub name: String,
    pub description: String,
    pub is_custom: bool,
}

impl AccountType {
    /// Only the built-in Admin type may impersonate and read org-wide data; custom types never are Admin.
    pub fn is_admin(&self) -> bool {
        !self.is_custom && self.name.eq_ignore_ascii_case("admin")
    }
    /// `memberType` as Sigma reports it: built-in types in lower case (`admin`, `creator`…), custom types
    /// by their name.
    pub fn member_type(&self) -> String {
        if self.is_custom {
            self.name.clone()
        } else {
            self.name.to_ascii_lowercase()
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub account_type: usize,
    pub user_kind: UserKind,
    pub is_archived: bool,
    pub is_inactive: bool,
    pub profile_img_url: Option<String>,
    pub created_by: usize,
    pub updated_by: usize,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub home_folder: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct TeamMember {
    pub member: usize,
    pub is_team_admin: bool,
    pub added_by: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Team {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    pub is_archived: bool,
    pub created_by: usize,
    pub updated_by: usize,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub members: Vec<TeamMember>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Principal {
    Member(usize),
    Team(usize),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Grant {
    pub principal: Principal,
    pub permission: Permission,
}

#[derive(Clone, Debug)]
pub(crate) struct Document {
    pub id: String,
    pub url_id: String,
    pub name: String,
    pub doc_type: DocType,
    /// `None` for top-level documents (workspaces and home folders), whose parent is the org root.
    pub parent: Option<usize>,
    pub owner: Option<usize>,
    pub created_by: usize,
    pub updated_by: usize,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub description: Option<String>,
    pub badge: Option<String>,
    pub is_archived: bool,
    pub grants: Vec<Grant>,
    /// Set on a member's "My Documents" folder.
    pub home_of: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct AttributeValue<T> {
    pub target: T,
    pub value: String,
}

#[derive(Clone, Debug)]
pub(crate) struct UserAttribute {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub default_value: Option<String>,
    pub created_by: usize,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub user_values: Vec<AttributeValue<usize>>,
    pub team_values: Vec<AttributeValue<usize>>,
}

/// What the tenant list shows about a tenant org (the tenant's data is an `Org` of its own).
#[derive(Clone, Debug)]
pub(crate) struct TenantInfo {
    pub slug: String,
    pub parent_organization_id: String,
    /// The member the tenant-only subject token (`tenant` claim, no `sub`) impersonates.
    pub admin: usize,
}

/// Lookup tables built once from the resolved data; never serialized.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgIndex {
    pub member_by_email: HashMap<String, usize>,
    pub member_by_id: HashMap<String, usize>,
    pub team_by_id: HashMap<String, usize>,
    pub doc_by_id: HashMap<String, usize>,
    pub attribute_by_id: HashMap<String, usize>,
    pub tenant_by_id: HashMap<String, usize>,
    pub client_by_id: HashMap<String, usize>,
    pub children: Vec<Vec<usize>>,
    pub owned: Vec<Vec<usize>>,
    pub member_grants: Vec<Vec<(usize, Permission)>>,
    pub team_grants: Vec<Vec<(usize, Permission)>>,
    pub member_teams: Vec<Vec<usize>>,
}

/// A Sigma organization (or a tenant organization) with its members, teams, documents and settings.
///
/// Build one with [`Org::demo`], [`Org::generate`] or from a JSON fixture ([`Org::from_json_str`],
/// [`Org::from_file`]; the format is documented in `FIXTURE.md`). It serializes back to that format.
#[derive(Clone)]
pub struct Org {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) root_id: String,
    pub(crate) root_url_id: String,
    pub(crate) api_clients: Vec<ApiClient>,
    pub(crate) account_types: Vec<AccountType>,
    pub(crate) members: Vec<Member>,
    pub(crate) teams: Vec<Team>,
    pub(crate) documents: Vec<Document>,
    pub(crate) user_attributes: Vec<UserAttribute>,
    pub(crate) tenants: Vec<Org>,
    pub(crate) tenant_info: Option<TenantInfo>,
    pub(crate) index: OrgIndex,
}

impl fmt::Debug for Org {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Org")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("members", &self.members.len())
            .field("teams", &self.teams.len())
            .field("documents", &self.documents.len())
            .field("tenants", &self.tenants.len())
            .finish_non_exhaustive()
    }
}

impl Org {
    /// The organization ID (`organizationId` in API responses).
    pub fn organization_id(&self) -> &str {
        &self.id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn member_count(&self) -> usize {
        self.members.len()
    }
    pub fn team_count(&self) -> usize {
        self.teams.len()
    }
    /// Documents, including every member's "My Documents" folder.
    pub fn document_count(&self) -> usize {
        self.documents.len()
    }
    /// The organization IDs of the tenant orgs.
    pub fn tenant_ids(&self) -> Vec<String> {
        self.tenants.iter().map(|t| t.id.clone()).collect()
    }
    /// Every API client's credentials, in fixture order.
    pub fn api_clients(&self) -> Vec<ApiClientCredentials> {
        self.api_clients
            .iter()
            .map(|c| self.credentials(c))
            .collect()
    }
    /// The first API client owned by an active Admin (the one the sandbox connection uses), or the first
    /// client when no Admin owns one. `None` only for an org with no API clients (a tenant org).
    pub fn admin_credentials(&self) -> Option<ApiClientCredentials> {
        self.api_clients
            .iter()
            .find(|c| {
                let owner = &self.members[c.owner];
                self.account_types[owner.account_type].is_admin()
                    && !owner.is_archived
                    && !owner.is_inactive
            })
            .or_else(|| self.api_clients.first())
            .map(|c| self.credentials(c))
    }

    fn credentials(&self, c: &ApiClient) -> ApiClientCredentials {
        ApiClientCredentials {
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.clone(),
            owner_email: self.members[c.owner].email.clone(),
        }
    }

    pub(crate) fn member_is_admin(&self, member: usize) -> bool {
        self.account_types[self.members[member].account_type].is_admin()
    }

    pub(crate) fn member_by_email(&self, email: &str) -> Option<usize> {
        self.index
            .member_by_email
            .get(&email.trim().to_lowercase())
            .copied()
    }

    /// Builds the lookup tables. Called once by the fixture resolver after all references are checked.
    pub(crate) fn build_index(&mut self) {
        let mut index = OrgIndex {
            children: vec![Vec::new(); self.documents.len()],
            owned: vec![Vec::new(); self.members.len()],
            member_grants: vec![Vec::new(); self.members.len()],
            team_grants: vec![Vec::new(); self.teams.len()],
            member_teams: vec![Vec::new(); self.members.len()],
            ..OrgIndex::default()
        };
        // The resolver already built the email index; rebuilding it for 100k members is wasted work.
        if self.index.member_by_email.len() == self.members.len() {
            index.member_by_email = std::mem::take(&mut self.index.member_by_email);
        } else {
            for (i, m) in self.members.iter().enumerate() {
                index.member_by_email.insert(m.email.to_lowercase(), i);
            }
        }
        for (i, m) in self.members.iter().enumerate() {
            index.member_by_id.insert(m.id.clone(), i);
        }
        for (i, t) in self.teams.iter().enumerate() {
            index.team_by_id.insert(t.id.clone(), i);
            for tm in &t.members {
                index.member_teams[tm.member].push(i);
            }
        }
        for (i, d) in self.documents.iter().enumerate() {
            index.doc_by_id.insert(d.id.clone(), i);
            if let Some(p) = d.parent {
                index.children[p].push(i);
            }
            if let Some(o) = d.owner {
                index.owned[o].push(i);
            }
            for g in &d.grants {
                match g.principal {
                    Principal::Member(m) => index.member_grants[m].push((i, g.permission)),
                    Principal::Team(t) => index.team_grants[t].push((i, g.permission)),
                }
            }
        }
        for (i, a) in self.user_attributes.iter().enumerate() {
            index.attribute_by_id.insert(a.id.clone(), i);
        }
        for (i, t) in self.tenants.iter().enumerate() {
            index.tenant_by_id.insert(t.id.clone(), i);
        }
        for (i, c) in self.api_clients.iter().enumerate() {
            index.client_by_id.insert(c.client_id.clone(), i);
        }
        self.index = index;
    }
}

/// RFC 3339 as Sigma writes it (`2024-03-01T09:30:00.000Z`).
pub(crate) fn format_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}
