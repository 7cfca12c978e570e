//! "Why can (or can't) this user see it?": the routes that give a member access to a document, derived
//! from the admin's view of the org — the document and the folders and workspaces above it (`GET
//! /v2/files/{id}`, walking `parentId`), the member's teams, and the grants on all of them (`GET
//! /v2/grants`) — the same rules Sigma applies (SIGMA_API.md §8): owning the document or a folder above it
//! gives edit, a grant to the member or to one of their teams gives its permission, on the document or on any
//! folder or workspace above it; archived teams give nothing; the strongest route wins.
//!
//! Grants come from one `GET /v2/grants?inodeId=<document>` without `directGrantsOnly`, which lists the
//! document's own grants and every inherited one. Asking each inode with `directGrantsOnly=true` would cost
//! one request per level instead of one (`tests/explain.rs` counts them), and it also sees grants on folders
//! above the document that the admin's own listing does not show.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::client::{Api, GrantQuery, GrantSubject, PAGE_LIMIT};
use crate::error::{CoreError, Result};
use crate::model::{permission_rank, File, Grant, Member, Team};

/// Folders above a document: far more than any real tree, few enough that a server whose `parentId`s go
/// round in a circle (or on forever) stops the walk quickly.
const MAX_DEPTH: usize = 64;
/// Members named in a suggestion are looked up one by one; past this many, their IDs are shown.
const MAX_NAMED_GRANTEES: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedMember {
    pub id: String,
    pub email: String,
    pub name: String,
}

/// A document, folder or workspace, as far as the admin can see it (`name` is `None` for a folder above
/// the document that the admin's own token cannot read; its grants are still listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InodeRef {
    pub id: String,
    pub name: Option<String>,
    /// The file's `type` (workspace, folder, workbook, …) or, when the file cannot be read, the grant's
    /// `inodeType`; any string Sigma sends.
    pub inode_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedDocument {
    pub id: String,
    pub name: String,
    pub doc_type: String,
    pub path: String,
    /// The admin's own permission on it (what the admin's token sees).
    pub admin_permission: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AccessKind {
    /// The member owns the document.
    Owner,
    /// A grant to the member on the document.
    UserGrant,
    /// A grant on the document to one of the member's teams.
    TeamGrant,
    /// The member owns a folder or workspace above the document.
    InheritedOwner,
    /// A grant to the member on a folder or workspace above the document.
    InheritedUserGrant,
    /// A grant to one of the member's teams on a folder or workspace above the document.
    InheritedTeamGrant,
}

/// One route that gives the member access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPath {
    pub kind: AccessKind,
    pub permission: String,
    pub via_team: Option<TeamRef>,
    /// Where the grant (or ownership) sits when it is inherited; `None` when it is on the document itself.
    pub on_inode: Option<InodeRef>,
    pub grant_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuggestionKind {
    /// Adding the member to this team would give them `permission` (its grant on `on_inode`).
    JoinTeam,
    /// The nearest folder or workspace above the document that has grants: a grant to the member there
    /// would give `permission`, as it does for `grantees`.
    GrantOnFolder,
    /// Nothing above the document is shared: only a grant on the document itself would.
    GrantOnDocument,
    /// The member is in this team, which has a grant here, but the team is archived and gives nothing.
    ArchivedTeam,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub permission: String,
    pub team: Option<TeamRef>,
    pub on_inode: InodeRef,
    /// Who already has that grant there (team names, member names or emails).
    pub grantees: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub member: ExplainedMember,
    pub document: ExplainedDocument,
    /// The effective permission (the strongest route), `None` when no route gives access.
    pub access: Option<String>,
    /// Every route that gives access, strongest first.
    pub paths: Vec<AccessPath>,
    /// What would give access (or a stronger one than now, up to the admin's): empty when access is
    /// already at least the admin's.
    pub would_grant: Vec<Suggestion>,
    /// `false` when a folder above the document could not be read with the admin's token: its grants are
    /// counted, but whether the member owns it is not known.
    pub ancestors_complete: bool,
}

/// Explains `member`'s access to `document_id`. The document must be readable with `api`'s token (the
/// admin's): a document the admin cannot see is Sigma's 404, as `GET /v2/files/{id}` answers.
pub async fn explain(api: &Api<'_>, member: &Member, document_id: &str) -> Result<Explanation> {
    let document = api.file(document_id).await?;
    let (ancestors, ancestors_complete) = ancestors_of(api, &document).await?;
    let teams = api.member_teams(&member.member_id).await?;
    let grants = api
        .grants(&GrantQuery {
            subject: GrantSubject::Inode(document.id.clone()),
            direct_only: false,
        })
        .await?;
    let facts = Facts {
        member,
        document: &document,
        ancestors: &ancestors,
        teams: &teams,
        grants: &grants,
    };
    let paths = facts.paths();
    let access = paths.first().map(|p| p.permission.clone());
    let current = access.as_deref().map(permission_rank);
    let wants_more = match current {
        None => true,
        Some(rank) => rank < permission_rank(&document.permission),
    };
    let would_grant = if wants_more {
        let names = Names::load(api, &facts).await;
        facts.suggestions(current, &names)
    } else {
        Vec::new()
    };
    Ok(Explanation {
        member: ExplainedMember {
            id: member.member_id.clone(),
            email: member.email.clone(),
            name: member.display_name(),
        },
        document: ExplainedDocument {
            id: document.id.clone(),
            name: document.name.clone(),
            doc_type: document.file_type.clone(),
            path: document.path.clone(),
            admin_permission: document.permission.clone(),
        },
        access,
        paths,
        would_grant,
        ancestors_complete,
    })
}

/// [`explain`] for a user named by email (or member ID), as the CLI takes it: a malformed email is refused
/// before any request, and an email nobody has is `TargetNotFound`, as for `standin user` and `standin as`.
pub async fn explain_user(
    client: &crate::SigmaClient,
    user: &str,
    document_id: &str,
) -> Result<Explanation> {
    let user = user.trim();
    if user.contains('@') {
        crate::session::validate_email(user).map_err(CoreError::Refused)?;
    }
    let api = client.admin().await?;
    let member = if user.contains('@') {
        api.member_by_email(user).await?.ok_or_else(|| {
            CoreError::Refused(crate::error::Refusal::TargetNotFound {
                email: user.to_string(),
            })
        })?
    } else {
        api.member(user).await?
    };
    explain(&api, &member, document_id.trim()).await
}

/// "folder Finance", "workspace Sales"; a folder the admin cannot read is named by its ID.
pub fn describe_inode(inode: &InodeRef, document_id: &str) -> String {
    if inode.id == document_id {
        return "this document".to_string();
    }
    match &inode.name {
        Some(name) => format!("{} {name}", inode.inode_type),
        None => format!("{} {} (not visible to you)", inode.inode_type, inode.id),
    }
}

/// One route to access, as a sentence about the member (the app's WhyPanel says the same).
pub fn describe_path(p: &AccessPath, document_id: &str) -> String {
    let team = p
        .via_team
        .as_ref()
        .map_or_else(|| "their team".to_string(), |t| format!("team {}", t.name));
    let on = p.on_inode.as_ref().map_or_else(
        || "a folder above it".to_string(),
        |i| describe_inode(i, document_id),
    );
    let perm = &p.permission;
    match p.kind {
        AccessKind::Owner => format!("they own it ({perm})"),
        AccessKind::UserGrant => format!("it is shared with them: {perm}"),
        AccessKind::TeamGrant => format!("{team} has {perm} on it"),
        AccessKind::InheritedOwner => format!("they own {on} above it ({perm}, inherited)"),
        AccessKind::InheritedUserGrant => format!("they have {perm} on {on} (inherited)"),
        AccessKind::InheritedTeamGrant => format!("{team} has {perm} on {on} (inherited)"),
    }
}

/// One way in, as advice to the admin.
pub fn describe_suggestion(s: &Suggestion, document_id: &str) -> String {
    let on = describe_inode(&s.on_inode, document_id);
    let team = s
        .team
        .as_ref()
        .map_or_else(|| "a team".to_string(), |t| format!("team {}", t.name));
    let perm = &s.permission;
    match s.kind {
        SuggestionKind::JoinTeam => format!("add them to {team}: it has {perm} on {on}"),
        SuggestionKind::GrantOnFolder if s.grantees.is_empty() => {
            format!("share {on} with them ({perm})")
        }
        SuggestionKind::GrantOnFolder => format!(
            "share {on} with them ({perm}), as it is shared with {}",
            s.grantees.join(", ")
        ),
        SuggestionKind::GrantOnDocument => {
            "share it with them directly: nothing above it is shared".to_string()
        }
        SuggestionKind::ArchivedTeam => format!(
            "their {team} has {perm} on {on}, but the team is archived, and archived teams give no access"
        ),
    }
}

impl Explanation {
    /// The explanation for people, one line each: the verdict, then the routes (or what would give access).
    /// "Tom Lee can view “Q3 Revenue” (workbook) because:" / "• team Sales has view on folder Finance
    /// (inherited)", or "… cannot see it; these would give access:".
    pub fn lines(&self) -> Vec<String> {
        let doc = format!("“{}” ({})", self.document.name, self.document.doc_type);
        let who = &self.member.name;
        let id = self.document.id.as_str();
        let mut out = Vec::new();
        match &self.access {
            Some(access) => {
                out.push(format!("{who} can {access} {doc} because:"));
                out.extend(
                    self.paths
                        .iter()
                        .map(|p| format!("  • {}", describe_path(p, id))),
                );
                if !self.would_grant.is_empty() {
                    out.push(format!(
                        "These would give more (you have {}):",
                        self.document.admin_permission
                    ));
                }
            }
            None if self.would_grant.is_empty() => {
                out.push(format!(
                    "{who} cannot see {doc}, and nothing above it would give access."
                ));
            }
            None => out.push(format!("{who} cannot see {doc}; these would give access:")),
        }
        out.extend(
            self.would_grant
                .iter()
                .map(|s| format!("  • {}", describe_suggestion(s, id))),
        );
        if !self.ancestors_complete {
            out.push(
                "note: some folders above it are not visible to you; their grants are counted, \
                 whether the user owns them is not known"
                    .to_string(),
            );
        }
        out
    }
}

/// The folders and workspaces above `document`, nearest first, and whether the walk reached the top. A
/// folder the admin cannot read (404) ends the walk; any other error is the caller's.
///
/// The top is a workspace, or as many levels as the document's `path` has segments: a workspace's (or a
/// home folder's) `parentId` is the org's root, which is not a file — asking for it would be a wasted
/// request answered 404, indistinguishable from a folder the admin may not read.
async fn ancestors_of(api: &Api<'_>, document: &File) -> Result<(Vec<File>, bool)> {
    let levels = match document.path.trim() {
        "" => usize::MAX,
        path => path.split('/').count(),
    };
    let mut out: Vec<File> = Vec::new();
    let mut seen: HashSet<String> = HashSet::from([document.id.clone()]);
    let mut next = (!is_workspace(document))
        .then(|| parent_of(document))
        .flatten();
    while let Some(id) = next {
        if out.len() >= levels {
            break;
        }
        if out.len() >= MAX_DEPTH || !seen.insert(id.clone()) {
            return Err(CoreError::Pagination {
                path: format!("the folders above {}", document.id),
                reason: format!(
                    "their parentId links go round in a circle or deeper than {MAX_DEPTH} levels"
                ),
            });
        }
        match api.file(&id).await {
            Ok(parent) => {
                next = (!is_workspace(&parent))
                    .then(|| parent_of(&parent))
                    .flatten();
                out.push(parent);
            }
            Err(CoreError::Sigma { status: 404, .. }) => return Ok((out, false)),
            Err(e) => return Err(e),
        }
    }
    Ok((out, true))
}

fn is_workspace(file: &File) -> bool {
    file.file_type.eq_ignore_ascii_case("workspace")
}

fn parent_of(file: &File) -> Option<String> {
    file.parent_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
}

/// What the explanation is built from, already fetched.
struct Facts<'a> {
    member: &'a Member,
    document: &'a File,
    ancestors: &'a [File],
    teams: &'a [Team],
    grants: &'a [Grant],
}

impl Facts<'_> {
    fn active_team(&self, id: &str) -> Option<&Team> {
        self.teams
            .iter()
            .find(|t| t.team_id == id && t.is_archived != Some(true))
    }

    fn archived_team(&self, id: &str) -> Option<&Team> {
        self.teams
            .iter()
            .find(|t| t.team_id == id && t.is_archived == Some(true))
    }

    /// How far above the document `inode_id` sits: 0 for the document, 1 for its folder, …; folders the
    /// admin could not read come after every readable one.
    fn distance(&self, inode_id: &str) -> usize {
        if inode_id == self.document.id {
            return 0;
        }
        self.ancestors
            .iter()
            .position(|a| a.id == inode_id)
            .map_or(self.ancestors.len() + 1, |i| i + 1)
    }

    fn inode(&self, inode_id: &str, grant_type: &str) -> InodeRef {
        let known = std::iter::once(self.document)
            .chain(self.ancestors.iter())
            .find(|f| f.id == inode_id);
        match known {
            Some(f) => InodeRef {
                id: f.id.clone(),
                name: Some(f.name.clone()),
                inode_type: f.file_type.clone(),
            },
            None => InodeRef {
                id: inode_id.to_string(),
                name: None,
                inode_type: grant_type.to_string(),
            },
        }
    }

    fn paths(&self) -> Vec<AccessPath> {
        let me = self.member.member_id.as_str();
        let mut paths: Vec<(usize, AccessPath)> = Vec::new();
        if self.document.owner_id.as_deref() == Some(me) {
            paths.push((0, owner_path(AccessKind::Owner, None)));
        }
        for (i, a) in self.ancestors.iter().enumerate() {
            if a.owner_id.as_deref() == Some(me) {
                let on = self.inode(&a.id, &a.file_type);
                paths.push((i + 1, owner_path(AccessKind::InheritedOwner, Some(on))));
            }
        }
        for g in self.grants {
            let distance = self.distance(&g.inode_id);
            let on_self = distance == 0;
            let (kind, via_team) = if g.member_id.as_deref() == Some(me) {
                let kind = if on_self {
                    AccessKind::UserGrant
                } else {
                    AccessKind::InheritedUserGrant
                };
                (kind, None)
            } else if let Some(team) = g.team_id.as_deref().and_then(|t| self.active_team(t)) {
                let kind = if on_self {
                    AccessKind::TeamGrant
                } else {
                    AccessKind::InheritedTeamGrant
                };
                (kind, Some(team_ref(team)))
            } else {
                continue;
            };
            paths.push((
                distance,
                AccessPath {
                    kind,
                    permission: g.permission.clone(),
                    via_team,
                    on_inode: (!on_self).then(|| self.inode(&g.inode_id, &g.inode_type)),
                    grant_id: Some(g.grant_id.clone()),
                },
            ));
        }
        // Strongest first; among equals, ownership before grants and the nearest inode first.
        paths.sort_by(|(da, a), (db, b)| {
            permission_rank(&b.permission)
                .cmp(&permission_rank(&a.permission))
                .then_with(|| kind_order(a.kind).cmp(&kind_order(b.kind)))
                .then_with(|| da.cmp(db))
        });
        paths.into_iter().map(|(_, p)| p).collect()
    }

    /// What would give access, or more than `current` (a rank), strongest first within each kind.
    fn suggestions(&self, current: Option<u8>, names: &Names) -> Vec<Suggestion> {
        let better = |p: &str| match current {
            None => true,
            Some(c) => permission_rank(p) > c,
        };
        // An archived team's grant gives nothing to anyone: never offered as a way in.
        let archived =
            |t: &str| self.archived_team(t).is_some() || names.archived_teams.contains(t);
        let mut out = Vec::new();

        // Teams the member is not in whose grants reach the document: the strongest grant of each team.
        let mut by_team: HashMap<&str, &Grant> = HashMap::new();
        for g in self.grants.iter().filter(|g| better(&g.permission)) {
            let Some(team) = g.team_id.as_deref() else {
                continue;
            };
            if self.teams.iter().any(|t| t.team_id == team) || archived(team) {
                continue;
            }
            let keep = match by_team.get(team) {
                None => true,
                Some(old) => {
                    (
                        permission_rank(&g.permission),
                        std::cmp::Reverse(self.distance(&g.inode_id)),
                    ) > (
                        permission_rank(&old.permission),
                        std::cmp::Reverse(self.distance(&old.inode_id)),
                    )
                }
            };
            if keep {
                by_team.insert(team, g);
            }
        }
        let mut joins: Vec<Suggestion> = by_team
            .into_iter()
            .map(|(team, g)| Suggestion {
                kind: SuggestionKind::JoinTeam,
                permission: g.permission.clone(),
                team: Some(TeamRef {
                    id: team.to_string(),
                    name: names.team(team),
                }),
                on_inode: self.inode(&g.inode_id, &g.inode_type),
                grantees: Vec::new(),
            })
            .collect();
        joins.sort_by(|a, b| {
            permission_rank(&b.permission)
                .cmp(&permission_rank(&a.permission))
                .then_with(|| {
                    self.distance(&a.on_inode.id)
                        .cmp(&self.distance(&b.on_inode.id))
                })
                .then_with(|| {
                    a.team
                        .as_ref()
                        .map(|t| &t.name)
                        .cmp(&b.team.as_ref().map(|t| &t.name))
                })
        });
        out.extend(joins);

        // The nearest folder or workspace above the document with grants that would help.
        let useful =
            |g: &&Grant| better(&g.permission) && !g.team_id.as_deref().is_some_and(archived);
        let nearest = self
            .grants
            .iter()
            .filter(|g| g.inode_id != self.document.id)
            .filter(useful)
            .min_by_key(|g| self.distance(&g.inode_id));
        match nearest {
            Some(first) => {
                let here: Vec<&Grant> = self
                    .grants
                    .iter()
                    .filter(|g| g.inode_id == first.inode_id)
                    .filter(useful)
                    .collect();
                let strongest = here
                    .iter()
                    .max_by_key(|g| permission_rank(&g.permission))
                    .map_or_else(|| first.permission.clone(), |g| g.permission.clone());
                let grantees = here
                    .iter()
                    .map(|g| {
                        let who = match (&g.member_id, &g.team_id) {
                            (Some(m), _) => names.member(m),
                            (None, Some(t)) => format!("team {}", names.team(t)),
                            (None, None) => "someone".to_string(),
                        };
                        format!("{who} ({})", g.permission)
                    })
                    .collect();
                out.push(Suggestion {
                    kind: SuggestionKind::GrantOnFolder,
                    permission: strongest,
                    team: None,
                    on_inode: self.inode(&first.inode_id, &first.inode_type),
                    grantees,
                });
            }
            None if current.is_none() => out.push(Suggestion {
                kind: SuggestionKind::GrantOnDocument,
                permission: "view".to_string(),
                team: None,
                on_inode: self.inode(&self.document.id, &self.document.file_type),
                grantees: Vec::new(),
            }),
            None => {}
        }

        // Grants the member would have if their archived team were still active.
        for g in self.grants.iter().filter(|g| better(&g.permission)) {
            if let Some(team) = g.team_id.as_deref().and_then(|t| self.archived_team(t)) {
                out.push(Suggestion {
                    kind: SuggestionKind::ArchivedTeam,
                    permission: g.permission.clone(),
                    team: Some(team_ref(team)),
                    on_inode: self.inode(&g.inode_id, &g.inode_type),
                    grantees: Vec::new(),
                });
            }
        }
        out
    }
}

fn owner_path(kind: AccessKind, on_inode: Option<InodeRef>) -> AccessPath {
    AccessPath {
        kind,
        permission: "edit".to_string(),
        via_team: None,
        on_inode,
        grant_id: None,
    }
}

fn team_ref(team: &Team) -> TeamRef {
    TeamRef {
        id: team.team_id.clone(),
        name: display_team_name(team),
    }
}

fn display_team_name(team: &Team) -> String {
    if team.name.trim().is_empty() {
        team.team_id.clone()
    } else {
        team.name.clone()
    }
}

fn kind_order(kind: AccessKind) -> u8 {
    match kind {
        AccessKind::Owner => 0,
        AccessKind::UserGrant => 1,
        AccessKind::TeamGrant => 2,
        AccessKind::InheritedOwner => 3,
        AccessKind::InheritedUserGrant => 4,
        AccessKind::InheritedTeamGrant => 5,
    }
}

/// Names for the teams and members a suggestion mentions, looked up only when there are suggestions to
/// make. A failed lookup shows the ID: the explanation is still right without the name.
#[derive(Default)]
struct Names {
    teams: HashMap<String, String>,
    archived_teams: HashSet<String>,
    members: HashMap<String, String>,
}

impl Names {
    async fn load(api: &Api<'_>, facts: &Facts<'_>) -> Names {
        let mut names = Names::default();
        for t in facts.teams {
            names.teams.insert(t.team_id.clone(), display_team_name(t));
        }
        let other_teams = facts
            .grants
            .iter()
            .filter_map(|g| g.team_id.as_deref())
            .any(|t| !names.teams.contains_key(t));
        if other_teams {
            match api.teams(PAGE_LIMIT).await {
                Ok(all) => {
                    for t in all {
                        if t.is_archived == Some(true) {
                            names.archived_teams.insert(t.team_id.clone());
                        }
                        names.teams.insert(t.team_id.clone(), display_team_name(&t));
                    }
                }
                Err(e) => tracing::debug!(error = %e, "team names for an explanation"),
            }
        }
        let mut wanted: Vec<&str> = Vec::new();
        for g in facts.grants {
            if let Some(m) = g.member_id.as_deref() {
                if !wanted.contains(&m) && m != facts.member.member_id {
                    wanted.push(m);
                }
            }
        }
        for id in wanted.into_iter().take(MAX_NAMED_GRANTEES) {
            match api.member(id).await {
                Ok(m) => {
                    names.members.insert(id.to_string(), m.display_name());
                }
                Err(e) => tracing::debug!(error = %e, "a member's name for an explanation"),
            }
        }
        names
    }

    fn team(&self, id: &str) -> String {
        self.teams
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn member(&self, id: &str) -> String {
        self.members
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(id: &str, name: &str, t: &str, parent: Option<&str>, owner: Option<&str>) -> File {
        serde_json::from_value(json!({
            "id": id, "name": name, "type": t, "parentId": parent, "ownerId": owner,
            "permission": "edit", "path": "Top"
        }))
        .unwrap()
    }

    fn grant(id: &str, inode: &str, member: Option<&str>, team: Option<&str>, p: &str) -> Grant {
        serde_json::from_value(json!({
            "grantId": id, "inodeId": inode, "organizationId": "o", "memberId": member, "teamId": team,
            "permission": p, "inodeType": "hologram", "createdBy": "a", "updatedBy": "a",
            "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    fn member() -> Member {
        serde_json::from_value(json!({"memberId": "me", "email": "me@x.example"})).unwrap()
    }

    #[test]
    fn a_permission_and_an_inode_type_sigma_adds_later_are_shown_not_dropped() {
        let doc = file("d", "Doc", "workbook", Some("f"), None);
        let folder = file("f", "Top", "folder", None, None);
        let m = member();
        let teams: Vec<Team> =
            vec![serde_json::from_value(json!({"teamId": "t", "name": "T"})).unwrap()];
        let grants = vec![
            grant("g1", "d", Some("me"), None, "superview"),
            grant("g2", "f", None, Some("t"), "view"),
            grant("g3", "hidden", None, Some("t"), "annotate"),
        ];
        let facts = Facts {
            member: &m,
            document: &doc,
            ancestors: std::slice::from_ref(&folder),
            teams: &teams,
            grants: &grants,
        };
        let paths = facts.paths();
        let shown: Vec<(&str, AccessKind)> = paths
            .iter()
            .map(|p| (p.permission.as_str(), p.kind))
            .collect();
        // view ranks above the unknown values; the unknown ones still count as routes, with their names.
        assert_eq!(
            shown,
            [
                ("view", AccessKind::InheritedTeamGrant),
                ("superview", AccessKind::UserGrant),
                ("annotate", AccessKind::InheritedTeamGrant),
            ]
        );
        // A folder the admin could not read keeps the grant's own inodeType, and no name.
        let hidden = paths[2].on_inode.as_ref().unwrap();
        assert_eq!(
            (
                hidden.id.as_str(),
                hidden.name.as_deref(),
                hidden.inode_type.as_str()
            ),
            ("hidden", None, "hologram")
        );
    }

    #[test]
    fn the_lines_for_people_name_the_routes_or_the_ways_in() {
        let team = Some(TeamRef {
            id: "t".into(),
            name: "Sales".into(),
        });
        let finance = InodeRef {
            id: "f".into(),
            name: Some("Finance".into()),
            inode_type: "folder".into(),
        };
        let mut e = Explanation {
            member: ExplainedMember {
                id: "m".into(),
                email: "tom@x.example".into(),
                name: "Tom Lee".into(),
            },
            document: ExplainedDocument {
                id: "d".into(),
                name: "Q3 Revenue".into(),
                doc_type: "workbook".into(),
                path: "Finance".into(),
                admin_permission: "edit".into(),
            },
            access: Some("view".into()),
            paths: vec![AccessPath {
                kind: AccessKind::InheritedTeamGrant,
                permission: "view".into(),
                via_team: team.clone(),
                on_inode: Some(finance.clone()),
                grant_id: Some("g".into()),
            }],
            would_grant: vec![],
            ancestors_complete: true,
        };
        assert_eq!(
            e.lines(),
            [
                "Tom Lee can view “Q3 Revenue” (workbook) because:",
                "  • team Sales has view on folder Finance (inherited)",
            ]
        );
        e.access = None;
        e.paths.clear();
        e.ancestors_complete = false;
        e.would_grant = vec![Suggestion {
            kind: SuggestionKind::JoinTeam,
            permission: "view".into(),
            team,
            on_inode: InodeRef {
                id: "hidden".into(),
                name: None,
                inode_type: "folder".into(),
            },
            grantees: vec![],
        }];
        let lines = e.lines();
        assert_eq!(
            lines[..2],
            [
                "Tom Lee cannot see “Q3 Revenue” (workbook); these would give access:",
                "  • add them to team Sales: it has view on folder hidden (not visible to you)",
            ]
        );
        assert!(lines[2].starts_with("note: some folders above it are not visible"));
    }

    #[test]
    fn only_unknown_permissions_still_give_access_under_their_own_name() {
        let doc = file("d", "Doc", "workbook", None, None);
        let m = member();
        let grants = vec![grant("g1", "d", Some("me"), None, "superview")];
        let facts = Facts {
            member: &m,
            document: &doc,
            ancestors: &[],
            teams: &[],
            grants: &grants,
        };
        let paths = facts.paths();
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].permission, "superview");
    }
}
