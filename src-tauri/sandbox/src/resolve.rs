//! Turns a fixture (`OrgFile`) into a resolved `Org`: fills in derived IDs and timestamps, resolves every
//! reference and rejects inconsistent data with a message that says where the problem is. The loaders
//! (`Org::from_json_str`, `Org::from_file`, `Deserialize for Org`) live here rather than in `fixture.rs`, so
//! the fixture format stays a plain data module that `resolve` uses (no import cycle).

use std::collections::{HashMap, HashSet};
use std::fmt;

use time::{Duration, OffsetDateTime};

use crate::error::SandboxError;
use crate::fixture::{
    AccountTypeFile, DocumentFile, MemberFile, OrgFile, TeamFile, TenantFile, UserAttributeFile,
};
use crate::ids::{base62_id, stable_hash, uuid_id};
use crate::model::{
    AccountType, ApiClient, AttributeValue, DocType, Document, Grant, Member, Org, OrgIndex,
    Principal, Team, TeamMember, TenantInfo, UserAttribute,
};

type Result<T> = std::result::Result<T, SandboxError>;

const BUILT_IN_TYPES: [(&str, &str); 4] = [
    (
        "Admin",
        "Full access: manage the organization, its members and all its settings.",
    ),
    (
        "Creator",
        "Create and edit workbooks, data models and datasets; explore data.",
    ),
    (
        "Explorer",
        "Explore and modify existing workbooks without saving new documents.",
    ),
    (
        "Viewer",
        "View and interact with shared workbooks and reports.",
    ),
];

/// Where in the fixture a record is ("members[3] (tom@x.example)"), formatted only when an error needs it:
/// building a 100k-member org must not format 100k strings that are never shown.
struct At<'a> {
    ctx: &'a str,
    kind: &'static str,
    i: usize,
    name: &'a str,
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}[{}] ({})", self.ctx, self.kind, self.i, self.name)
    }
}

/// The default organization creation time when a fixture gives none.
fn default_org_created_at() -> OffsetDateTime {
    // 2022-03-14T09:00:00Z
    OffsetDateTime::from_unix_timestamp(1_647_248_400).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A deterministic time after `base`, spread over `max_days` days, for records without timestamps.
fn derived_time(base: OffsetDateTime, max_days: i64, key: &[&str]) -> OffsetDateTime {
    let minutes = (stable_hash(key) % (max_days.max(1) as u64 * 24 * 60)) as i64;
    base + Duration::minutes(minutes)
}

impl Org {
    /// Loads and validates an org from the JSON fixture format (`FIXTURE.md`).
    pub fn from_json_str(s: &str) -> Result<Org> {
        let file: OrgFile = serde_json::from_str(s)?;
        resolve(file)
    }

    /// Reads a fixture file; see [`Org::from_json_str`].
    pub fn from_file(path: &std::path::Path) -> Result<Org> {
        let text = std::fs::read_to_string(path).map_err(|source| SandboxError::FixtureRead {
            path: path.to_path_buf(),
            source,
        })?;
        Org::from_json_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for Org {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let file = <OrgFile as serde::Deserialize>::deserialize(deserializer)?;
        resolve(file).map_err(serde::de::Error::custom)
    }
}

pub(crate) fn resolve(file: OrgFile) -> Result<Org> {
    let OrgFile {
        organization_id,
        name,
        created_at,
        account_types,
        api_clients,
        members,
        teams,
        documents,
        user_attributes,
        tenants,
    } = file;
    let org_id = organization_id.unwrap_or_else(|| uuid_id(&["org", &name]));
    let account_types = resolve_account_types(&org_id, &account_types)?;
    let core = CoreParts {
        id: org_id,
        name,
        created_at: created_at.unwrap_or_else(default_org_created_at),
        members,
        teams,
        documents,
    };
    let mut org = resolve_core(core, account_types.clone(), "")?;

    if api_clients.is_empty() {
        return Err(SandboxError::fixture(
            "apiClients: at least one API client is required (the sandbox is only reachable through one)",
        ));
    }
    let mut seen_clients = HashSet::new();
    for (i, c) in api_clients.into_iter().enumerate() {
        let at = format!("apiClients[{i}]");
        if c.client_id.trim().is_empty() || c.client_secret.is_empty() {
            return Err(SandboxError::fixture(format!(
                "{at}: clientId and clientSecret must not be empty"
            )));
        }
        if !seen_clients.insert(c.client_id.clone()) {
            return Err(SandboxError::fixture(format!(
                "{at}: duplicate clientId {:?}",
                c.client_id
            )));
        }
        let owner = org.member_by_email(&c.owner).ok_or_else(|| {
            SandboxError::fixture(format!("{at}: owner {:?} is not a member", c.owner))
        })?;
        org.api_clients.push(ApiClient {
            client_id: c.client_id,
            client_secret: c.client_secret,
            name: c.name,
            owner,
        });
    }

    org.user_attributes = resolve_user_attributes(&org, user_attributes)?;

    let mut tenant_ids = HashSet::new();
    for (i, t) in tenants.into_iter().enumerate() {
        let tenant = resolve_tenant(&org, t, account_types.clone(), i)?;
        if tenant.id == org.id || !tenant_ids.insert(tenant.id.clone()) {
            return Err(SandboxError::fixture(format!(
                "tenants[{i}]: duplicate organizationId {:?}",
                tenant.id
            )));
        }
        org.tenants.push(tenant);
    }
    org.build_index();
    Ok(org)
}

fn resolve_account_types(org_id: &str, files: &[AccountTypeFile]) -> Result<Vec<AccountType>> {
    let mut types: Vec<AccountType> = BUILT_IN_TYPES
        .iter()
        .map(|(name, description)| AccountType {
            id: base62_id(22, &["account-type", org_id, name]),
            name: (*name).to_string(),
            description: (*description).to_string(),
            is_custom: false,
        })
        .collect();
    for (i, f) in files.iter().enumerate() {
        if f.name.trim().is_empty() {
            return Err(SandboxError::fixture(format!(
                "accountTypes[{i}]: name must not be empty"
            )));
        }
        match types
            .iter_mut()
            .find(|t| t.name.eq_ignore_ascii_case(&f.name))
        {
            // Naming a built-in type overrides its ID/description; it stays built in.
            Some(existing) if !existing.is_custom => {
                if let Some(id) = &f.id {
                    existing.id = id.clone();
                }
                if let Some(d) = &f.description {
                    existing.description = d.clone();
                }
            }
            Some(_) => {
                return Err(SandboxError::fixture(format!(
                    "accountTypes[{i}]: duplicate account type {:?}",
                    f.name
                )))
            }
            None => types.push(AccountType {
                id: f
                    .id
                    .clone()
                    .unwrap_or_else(|| base62_id(22, &["account-type", org_id, &f.name])),
                name: f.name.clone(),
                description: f
                    .description
                    .clone()
                    .unwrap_or_else(|| format!("Custom account type {}", f.name)),
                is_custom: true,
            }),
        }
    }
    Ok(types)
}

/// The parts an org and a tenant org have in common.
struct CoreParts {
    id: String,
    name: String,
    created_at: OffsetDateTime,
    members: Vec<MemberFile>,
    teams: Vec<TeamFile>,
    documents: Vec<DocumentFile>,
}

fn resolve_core(core: CoreParts, account_types: Vec<AccountType>, ctx: &str) -> Result<Org> {
    let mut org = Org {
        root_id: uuid_id(&["root", &core.id]),
        root_url_id: base62_id(22, &["root-url", &core.id]),
        id: core.id,
        name: core.name,
        created_at: core.created_at,
        api_clients: Vec::new(),
        account_types,
        members: Vec::with_capacity(core.members.len()),
        teams: Vec::new(),
        documents: Vec::with_capacity(core.members.len() + core.documents.len()),
        user_attributes: Vec::new(),
        tenants: Vec::new(),
        tenant_info: None,
        index: OrgIndex::default(),
    };
    if org.name.trim().is_empty() {
        return Err(SandboxError::fixture(format!(
            "{ctx}name must not be empty"
        )));
    }
    resolve_members(&mut org, core.members, ctx)?;
    resolve_teams(&mut org, core.teams, ctx)?;
    resolve_documents(&mut org, core.documents, ctx)?;
    // The full index is built once by the caller, when the org is complete; until then only the
    // email index (filled by `resolve_members`) is used.
    Ok(org)
}

fn resolve_members(org: &mut Org, files: Vec<MemberFile>, ctx: &str) -> Result<()> {
    if files.is_empty() {
        return Err(SandboxError::fixture(format!(
            "{ctx}members: at least one member is required"
        )));
    }
    let mut by_email: HashMap<String, usize> = HashMap::with_capacity(files.len());
    let mut ids = HashSet::with_capacity(files.len());
    let mut first_admin = None;
    for (i, f) in files.iter().enumerate() {
        let at = At {
            ctx,
            kind: "members",
            i,
            name: &f.email,
        };
        let email = f.email.trim();
        if email.is_empty() || !email.contains('@') || email.chars().any(char::is_whitespace) {
            return Err(SandboxError::fixture(format!(
                "{at}: {:?} is not an email address",
                f.email
            )));
        }
        if by_email.insert(email.to_lowercase(), i).is_some() {
            return Err(SandboxError::fixture(format!(
                "{at}: duplicate email (emails are case-insensitive)"
            )));
        }
        let account_type = org
            .account_types
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(f.account_type.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = org.account_types.iter().map(|t| t.name.as_str()).collect();
                SandboxError::fixture(format!(
                    "{at}: unknown accountType {:?} (known: {}; add custom types under accountTypes)",
                    f.account_type,
                    known.join(", ")
                ))
            })?;
        if first_admin.is_none() && org.account_types[account_type].is_admin() {
            first_admin = Some(i);
        }
        let id =
            f.id.clone()
                .unwrap_or_else(|| base62_id(29, &["member", &org.id, &email.to_lowercase()]));
        if !ids.insert(id.clone()) {
            return Err(SandboxError::fixture(format!(
                "{at}: duplicate member id {id:?}"
            )));
        }
        let created_at = f
            .created_at
            .unwrap_or_else(|| derived_time(org.created_at, 600, &["member-created", &id]));
        let updated_at = f
            .updated_at
            .unwrap_or_else(|| derived_time(created_at, 90, &["member-updated", &id]));
        org.members.push(Member {
            id,
            email: email.to_string(),
            first_name: f.first_name.clone(),
            last_name: f.last_name.clone(),
            account_type,
            user_kind: f.user_kind,
            is_archived: f.is_archived,
            is_inactive: f.is_inactive,
            profile_img_url: f.profile_img_url.clone(),
            created_by: 0,
            updated_by: 0,
            created_at,
            updated_at,
            home_folder: i,
        });
    }
    // Members without `createdBy` were created by the first Admin (or by themselves when none is listed).
    let default_creator = first_admin.unwrap_or(0);
    let mut home_ids = HashSet::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let creator = match &f.created_by {
            Some(email) => *by_email.get(&email.trim().to_lowercase()).ok_or_else(|| {
                SandboxError::fixture(format!(
                    "{ctx}members[{i}] ({}): createdBy {email:?} is not a member",
                    f.email
                ))
            })?,
            None => default_creator,
        };
        let m = &mut org.members[i];
        m.created_by = creator;
        m.updated_by = creator;
        // Home folders come first in the document list: document index i is member i's My Documents.
        let home_id = f
            .home_folder_id
            .clone()
            .unwrap_or_else(|| uuid_id(&["home", &org.id, &m.id]));
        if !home_ids.insert(home_id.clone()) {
            return Err(SandboxError::fixture(format!(
                "{ctx}members[{i}] ({}): duplicate homeFolderId {home_id:?}",
                f.email
            )));
        }
        let created_at = m.created_at;
        org.documents.push(Document {
            url_id: base62_id(22, &["url", &home_id]),
            id: home_id,
            name: "My Documents".to_string(),
            doc_type: DocType::Folder,
            parent: None,
            owner: Some(i),
            created_by: i,
            updated_by: i,
            created_at,
            updated_at: created_at,
            description: None,
            badge: None,
            is_archived: false,
            grants: Vec::new(),
            home_of: Some(i),
        });
    }
    org.index.member_by_email = by_email;
    Ok(())
}

fn lookup_member(org: &Org, email: &str, at: &dyn fmt::Display, what: &str) -> Result<usize> {
    org.member_by_email(email)
        .ok_or_else(|| SandboxError::fixture(format!("{at}: {what} {email:?} is not a member")))
}

fn default_creator(org: &Org) -> usize {
    (0..org.members.len())
        .find(|&i| org.member_is_admin(i))
        .unwrap_or(0)
}

fn resolve_teams(org: &mut Org, files: Vec<TeamFile>, ctx: &str) -> Result<()> {
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for (i, f) in files.into_iter().enumerate() {
        let at = At {
            ctx,
            kind: "teams",
            i,
            name: &f.name,
        };
        if f.name.trim().is_empty() {
            return Err(SandboxError::fixture(format!(
                "{at}: name must not be empty"
            )));
        }
        if !names.insert(f.name.to_lowercase()) {
            return Err(SandboxError::fixture(format!("{at}: duplicate team name")));
        }
        let id = f.id.unwrap_or_else(|| uuid_id(&["team", &org.id, &f.name]));
        if !ids.insert(id.clone()) {
            return Err(SandboxError::fixture(format!(
                "{at}: duplicate team id {id:?}"
            )));
        }
        let created_by = match &f.created_by {
            Some(e) => lookup_member(org, e, &at, "createdBy")?,
            None => default_creator(org),
        };
        let created_at = f
            .created_at
            .unwrap_or_else(|| derived_time(org.created_at, 400, &["team-created", &id]));
        let mut members: Vec<TeamMember> = Vec::new();
        // A set, not a scan of `members`: generated "All staff" teams have 100,000 members.
        let mut seen_members: HashSet<usize> = HashSet::new();
        let admins: HashSet<usize> = f
            .team_admins
            .iter()
            .map(|e| lookup_member(org, e, &at, "team admin"))
            .collect::<Result<_>>()?;
        for e in f.members.iter().chain(f.team_admins.iter()) {
            let m = lookup_member(org, e, &at, "member")?;
            if seen_members.insert(m) {
                members.push(TeamMember {
                    member: m,
                    is_team_admin: admins.contains(&m),
                    added_by: created_by,
                });
            }
        }
        org.teams.push(Team {
            id,
            name: f.name,
            description: f.description,
            visibility: f.visibility,
            is_archived: f.is_archived,
            created_by,
            updated_by: created_by,
            created_at,
            updated_at: created_at,
            members,
        });
    }
    Ok(())
}

fn lookup_team(org: &Org, name_or_id: &str, at: &dyn fmt::Display) -> Result<usize> {
    org.teams
        .iter()
        .position(|t| t.name.eq_ignore_ascii_case(name_or_id) || t.id == name_or_id)
        .ok_or_else(|| SandboxError::fixture(format!("{at}: team {name_or_id:?} does not exist")))
}

fn resolve_documents(org: &mut Org, files: Vec<DocumentFile>, ctx: &str) -> Result<()> {
    let mut by_id: HashMap<String, usize> = org
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.clone(), i))
        .collect();
    // Containers by (parent, lower-case name); `usize::MAX` stands for the org root.
    let mut containers: HashMap<(usize, String), usize> = HashMap::new();
    for (i, f) in files.into_iter().enumerate() {
        let at = At {
            ctx,
            kind: "documents",
            i,
            name: &f.name,
        };
        if f.name.trim().is_empty() {
            return Err(SandboxError::fixture(format!(
                "{at}: name must not be empty"
            )));
        }
        let owner = f
            .owner
            .as_deref()
            .map(|e| lookup_member(org, e, &at, "owner"))
            .transpose()?;
        let parent = match (&f.parent, &f.parent_id) {
            (Some(_), Some(_)) => {
                return Err(SandboxError::fixture(format!(
                    "{at}: give either parent (a path) or parentId, not both"
                )))
            }
            (Some(path), None) => Some(resolve_path(org, &containers, path, owner, &at)?),
            (None, Some(pid)) => Some(*by_id.get(pid).ok_or_else(|| {
                SandboxError::fixture(format!(
                    "{at}: parentId {pid:?} is not a document listed earlier or a home folder"
                ))
            })?),
            (None, None) => None,
        };
        match (f.doc_type, parent) {
            (DocType::Workspace, Some(_)) => {
                return Err(SandboxError::fixture(format!(
                    "{at}: a workspace is top level and takes no parent"
                )))
            }
            (t, None) if t != DocType::Workspace => {
                return Err(SandboxError::fixture(format!(
                    "{at}: a {} needs a parent (a workspace or folder path, or \"My Documents\")",
                    t.as_str()
                )))
            }
            (_, Some(p)) if !org.documents[p].doc_type.is_container() => {
                return Err(SandboxError::fixture(format!(
                    "{at}: parent {:?} is a {}, not a folder or workspace",
                    org.documents[p].name,
                    org.documents[p].doc_type.as_str()
                )))
            }
            _ => {}
        }
        let parent_key = parent.map_or("root".to_string(), |p| org.documents[p].id.clone());
        let id = f.id.unwrap_or_else(|| {
            uuid_id(&["doc", &org.id, &parent_key, &f.name, f.doc_type.as_str()])
        });
        if by_id.contains_key(&id) {
            return Err(SandboxError::fixture(format!(
                "{at}: duplicate document id {id:?} (two documents with the same name and type in one \
                 folder need explicit ids)"
            )));
        }
        let created_by = match &f.created_by {
            Some(e) => lookup_member(org, e, &at, "createdBy")?,
            None => owner.unwrap_or_else(|| default_creator(org)),
        };
        let mut grants = Vec::with_capacity(f.grants.len());
        for (g_i, g) in f.grants.iter().enumerate() {
            let g_at = format!("{at} grants[{g_i}]");
            let principal = match (&g.user, &g.team) {
                (Some(u), None) => Principal::Member(lookup_member(org, u, &g_at, "user")?),
                (None, Some(t)) => Principal::Team(lookup_team(org, t, &g_at)?),
                _ => {
                    return Err(SandboxError::fixture(format!(
                        "{g_at}: give exactly one of user (email) or team (name)"
                    )))
                }
            };
            grants.push(Grant {
                principal,
                permission: g.permission,
            });
        }
        let created_at = f
            .created_at
            .unwrap_or_else(|| derived_time(org.created_at, 500, &["doc-created", &id]));
        let updated_at = f
            .updated_at
            .unwrap_or_else(|| derived_time(created_at, 120, &["doc-updated", &id]));
        let index = org.documents.len();
        if f.doc_type.is_container() {
            let key = (parent.unwrap_or(usize::MAX), f.name.to_lowercase());
            if containers.insert(key, index).is_some() {
                return Err(SandboxError::fixture(format!(
                    "{at}: another {} with this name is already in the same place",
                    f.doc_type.as_str()
                )));
            }
        }
        by_id.insert(id.clone(), index);
        org.documents.push(Document {
            url_id: f.url_id.unwrap_or_else(|| base62_id(22, &["url", &id])),
            id,
            name: f.name,
            doc_type: f.doc_type,
            parent,
            owner,
            created_by,
            updated_by: created_by,
            created_at,
            updated_at,
            description: f.description,
            badge: f.badge,
            is_archived: f.is_archived,
            grants,
            home_of: None,
        });
    }
    Ok(())
}

/// Resolves "Workspace/Folder/Sub" or "My Documents/Sub" to a container document.
fn resolve_path(
    org: &Org,
    containers: &HashMap<(usize, String), usize>,
    path: &str,
    owner: Option<usize>,
    at: &dyn fmt::Display,
) -> Result<usize> {
    let segments: Vec<&str> = path.split('/').map(str::trim).collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(SandboxError::fixture(format!(
            "{at}: parent path {path:?} has an empty segment"
        )));
    }
    let mut current = if segments[0].eq_ignore_ascii_case("My Documents") {
        let owner = owner.ok_or_else(|| {
            SandboxError::fixture(format!(
                "{at}: a document in \"My Documents\" needs an owner (whose My Documents it is)"
            ))
        })?;
        org.members[owner].home_folder
    } else {
        *containers
            .get(&(usize::MAX, segments[0].to_lowercase()))
            .ok_or_else(|| {
                SandboxError::fixture(format!(
                    "{at}: parent {path:?}: no workspace named {:?} listed before this document",
                    segments[0]
                ))
            })?
    };
    for seg in &segments[1..] {
        current = *containers
            .get(&(current, seg.to_lowercase()))
            .ok_or_else(|| {
                SandboxError::fixture(format!(
                    "{at}: parent {path:?}: no folder {seg:?} in {:?} listed before this document",
                    org.documents[current].name
                ))
            })?;
    }
    Ok(current)
}

fn resolve_user_attributes(org: &Org, files: Vec<UserAttributeFile>) -> Result<Vec<UserAttribute>> {
    let mut out: Vec<UserAttribute> = Vec::with_capacity(files.len());
    for (i, f) in files.into_iter().enumerate() {
        let at = format!("userAttributes[{i}] ({})", f.name);
        if f.name.trim().is_empty() {
            return Err(SandboxError::fixture(format!(
                "{at}: name must not be empty"
            )));
        }
        if out.iter().any(|a| a.name.eq_ignore_ascii_case(&f.name)) {
            return Err(SandboxError::fixture(format!(
                "{at}: duplicate attribute name"
            )));
        }
        let id =
            f.id.unwrap_or_else(|| base62_id(22, &["user-attribute", &org.id, &f.name]));
        if out.iter().any(|a| a.id == id) {
            return Err(SandboxError::fixture(format!("{at}: duplicate id {id:?}")));
        }
        let created_by = match &f.created_by {
            Some(e) => lookup_member(org, e, &at, "createdBy")?,
            None => default_creator(org),
        };
        let mut user_values = f
            .users
            .iter()
            .map(|(email, value)| {
                Ok(AttributeValue {
                    target: lookup_member(org, email, &at, "user")?,
                    value: value.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        user_values.sort_by_key(|v| v.target);
        let mut team_values = f
            .teams
            .iter()
            .map(|(team, value)| {
                Ok(AttributeValue {
                    target: lookup_team(org, team, &at)?,
                    value: value.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        team_values.sort_by_key(|v| v.target);
        let created_at = derived_time(org.created_at, 200, &["attribute-created", &id]);
        out.push(UserAttribute {
            id,
            name: f.name,
            description: f.description,
            default_value: f.default_value,
            created_by,
            created_at,
            updated_at: created_at,
            user_values,
            team_values,
        });
    }
    Ok(out)
}

fn resolve_tenant(
    parent: &Org,
    t: TenantFile,
    account_types: Vec<AccountType>,
    i: usize,
) -> Result<Org> {
    let ctx = format!("tenants[{i}] ({}): ", t.name);
    let id = t
        .organization_id
        .unwrap_or_else(|| uuid_id(&["tenant", &parent.id, &t.name]));
    let slug = t.slug.unwrap_or_else(|| slugify(&t.name));
    let core = CoreParts {
        id,
        name: t.name,
        created_at: t
            .created_at
            .unwrap_or_else(|| derived_time(parent.created_at, 300, &["tenant", &slug])),
        members: t.members,
        teams: t.teams,
        documents: t.documents,
    };
    let mut org = resolve_core(core, account_types, &ctx)?;
    let admin = match &t.admin_email {
        Some(e) => lookup_member(&org, e, &format!("{ctx}adminEmail"), "admin")?,
        None => (0..org.members.len())
            .find(|&m| org.member_is_admin(m))
            .ok_or_else(|| {
                SandboxError::fixture(format!(
                    "{ctx}a tenant needs an Admin member (or adminEmail) for tenant-only impersonation"
                ))
            })?,
    };
    org.tenant_info = Some(TenantInfo {
        slug,
        parent_organization_id: parent.id.clone(),
        admin,
    });
    org.build_index();
    Ok(org)
}

fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}
