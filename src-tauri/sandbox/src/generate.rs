//! Large generated orgs for scale tests, benchmarks and the 100k-member UI: `Org::generate(members, seed)`
//! (the original shape) and `Org::generate_spec` from a [`GenerateSpec`] (`users=N,teams=T,documents=D,seed=S`,
//! as `standin sandbox serve --generate` and `STANDIN_SANDBOX_GENERATE` take it). Seeded, so the same spec
//! always gives the same org (and the same bytes on the wire), and built through the fixture resolver like
//! every org.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::fixture::{
    AccountTypeFile, ApiClientFile, DocumentFile, GrantFile, MemberFile, OrgFile, TeamFile,
    UserAttributeFile,
};
use crate::ids::base62_id;
use crate::model::{DocType, Org, Permission, UserKind, Visibility};

const FIRST: &[&str] = &[
    "Ada", "Ben", "Cara", "Dev", "Eli", "Fay", "Gil", "Hana", "Ivan", "Jade", "Kai", "Lena",
    "Milo", "Nora", "Owen", "Pia", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wes", "Xena",
    "Yara", "Zane",
];
const LAST: &[&str] = &[
    "Abbott", "Baker", "Castro", "Diaz", "Evans", "Flores", "Garcia", "Hughes", "Ito", "Jensen",
    "Khan", "Larsen", "Moreau", "Nakamura", "Okafor", "Price", "Quist", "Reyes", "Singh", "Tran",
    "Ueda", "Vargas", "Weber", "Xu", "Young", "Zhang",
];
const DOMAIN: &str = "bigcorp.example";
const KINDS: [DocType; 5] = [
    DocType::Workbook,
    DocType::Dataset,
    DocType::DataModel,
    DocType::Report,
    DocType::Workbook,
];

/// What to generate: `users=N,teams=T,documents=D[,seed=S]`.
///
/// `documents` counts the documents people open (workbooks, datasets, data models, reports); the workspaces
/// and folders that hold them ([`GenerateSpec::workspace_count`] × (1 + [`FOLDERS_PER_WORKSPACE`])) and
/// every member's My Documents folder come on top. Access varies per user the way it does in real orgs:
/// team 0 is "All staff" (everyone, with view on one folder), most users are in one to three teams that
/// each hold a grant on a workspace or a folder (tens to hundreds of documents), a few small "power" teams
/// see a large share of the workspaces (thousands), owners edit what they own, and some documents are shared
/// with single users or teams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerateSpec {
    pub users: usize,
    pub teams: usize,
    pub documents: usize,
    pub seed: u64,
}

/// The environment variable that makes the desktop app's built-in sandbox serve a generated org
/// (`STANDIN_SANDBOX_GENERATE=users=100000,teams=1000,documents=5000`).
pub const GENERATE_ENV: &str = "STANDIN_SANDBOX_GENERATE";

/// Folders in each generated workspace.
pub const FOLDERS_PER_WORKSPACE: usize = 4;
const FOLDER_NAMES: [&str; FOLDERS_PER_WORKSPACE] = ["Reports", "Dashboards", "Models", "Archive"];
const DEPARTMENTS: &[&str] = &[
    "Finance",
    "Sales",
    "Marketing",
    "Engineering",
    "Support",
    "People",
    "Operations",
    "Product",
    "Legal",
    "Data",
];

impl GenerateSpec {
    /// Large enough for any benchmark we run, small enough that a typo cannot exhaust the machine's memory
    /// (a million members take about a gigabyte).
    pub const MAX_USERS: usize = 1_000_000;
    pub const MAX_TEAMS: usize = 100_000;
    pub const MAX_DOCUMENTS: usize = 1_000_000;

    /// Workspaces holding the documents: about a hundred documents each, at least one when there are
    /// documents.
    pub fn workspace_count(&self) -> usize {
        if self.documents == 0 {
            0
        } else {
            (self.documents / 100).clamp(1, 1_000)
        }
    }

    /// The small teams with grants on many workspaces (the last teams; none when there are fewer than 3).
    fn power_team_count(&self) -> usize {
        if self.teams < 3 {
            0
        } else {
            (self.teams / 100).max(1)
        }
    }
}

impl std::fmt::Display for GenerateSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "users={},teams={},documents={},seed={}",
            self.users, self.teams, self.documents, self.seed
        )
    }
}

impl std::str::FromStr for GenerateSpec {
    type Err = String;

    /// `users=N,teams=T,documents=D[,seed=S]`; `users` is required, `teams` defaults to users/100 (at
    /// least 3), `documents` to users/20 (at least 50), `seed` to 1. Errors name the part that is wrong.
    fn from_str(spec: &str) -> Result<Self, String> {
        let mut users = None;
        let mut teams = None;
        let mut documents = None;
        let mut seed = None;
        for part in spec.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!(
                    "{spec:?}: empty part; write users=N,teams=T,documents=D[,seed=S]"
                ));
            }
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!(
                    "{part}: expected KEY=VALUE (users, teams, documents or seed)"
                ));
            };
            let (key, value) = (key.trim(), value.trim());
            let slot = match key {
                "users" => &mut users,
                "teams" => &mut teams,
                "documents" => &mut documents,
                "seed" => &mut seed,
                other => {
                    return Err(format!(
                        "{part}: unknown key {other:?} (use users, teams, documents or seed)"
                    ))
                }
            };
            if slot.is_some() {
                return Err(format!("{part}: {key} is given twice"));
            }
            let number: u64 = value
                .replace('_', "")
                .parse()
                .map_err(|_| format!("{part}: not a number (a whole number such as {key}=1000)"))?;
            *slot = Some(number);
        }
        let users = users.ok_or_else(|| format!("{spec:?}: users=N is required"))?;
        let cap = |key: &str, value: u64, min: u64, max: usize| -> Result<usize, String> {
            if value < min {
                return Err(format!("{key}={value}: at least {min}"));
            }
            usize::try_from(value)
                .ok()
                .filter(|v| *v <= max)
                .ok_or_else(|| format!("{key}={value}: at most {max}"))
        };
        // Two members at least: an Admin and a Creator own the org's two API clients.
        let users = cap("users", users, 2, Self::MAX_USERS)?;
        let teams = match teams {
            Some(t) => cap("teams", t, 0, Self::MAX_TEAMS)?,
            None => (users / 100).max(3),
        };
        let documents = match documents {
            Some(d) => cap("documents", d, 0, Self::MAX_DOCUMENTS)?,
            None => (users / 20).max(50),
        };
        Ok(GenerateSpec {
            users,
            teams,
            documents,
            seed: seed.unwrap_or(1),
        })
    }
}

impl Org {
    /// The org a [`GenerateSpec`] describes. Member 0 is an Admin owning the first API client
    /// (`admin_credentials()`), member 1 a Creator owning the second. 100,000 users × 1,000 teams × 5,000
    /// documents build in a few seconds.
    pub fn generate_spec(spec: &GenerateSpec) -> Org {
        let spec = GenerateSpec {
            users: spec.users.clamp(2, GenerateSpec::MAX_USERS),
            teams: spec.teams.min(GenerateSpec::MAX_TEAMS),
            documents: spec.documents.min(GenerateSpec::MAX_DOCUMENTS),
            seed: spec.seed,
        };
        match crate::resolve::resolve(spec_file(&spec)) {
            Ok(org) => org,
            // Generated data is consistent by construction; failing here is a bug in this module.
            Err(e) => panic!("generated org is inconsistent: {e}"),
        }
    }

    /// The org the desktop app's built-in sandbox serves: the demo org, or, when `spec` is given (the value
    /// of [`GENERATE_ENV`]), the generated org it describes. A bad spec is an error that says what is wrong.
    pub fn demo_or_generated(spec: Option<&str>) -> Result<Org, String> {
        match spec.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Org::demo()),
            Some(spec) => {
                let spec: GenerateSpec =
                    spec.parse().map_err(|e| format!("{GENERATE_ENV}: {e}"))?;
                Ok(Org::generate_spec(&spec))
            }
        }
    }

    /// How many documents have one of these types (generated orgs are checked against their spec with it).
    pub fn document_count_of(&self, types: &[DocType]) -> usize {
        self.documents
            .iter()
            .filter(|d| d.home_of.is_none() && types.contains(&d.doc_type))
            .count()
    }

    /// A large org with `members` members (at least 2), teams, workspaces, documents and grants.
    ///
    /// Member 0 is an Admin owning the first API client (`admin_credentials()`); member 1 is a Creator
    /// owning a second client. 100,000 members build in well under a few seconds.
    pub fn generate(members: usize, seed: u64) -> Org {
        let file = generated_file(members.max(2), seed);
        match crate::resolve::resolve(file) {
            Ok(org) => org,
            // Generated data is consistent by construction; failing here is a bug in this module.
            Err(e) => panic!("generated org is inconsistent: {e}"),
        }
    }
}

/// `n` members drawn from `rng` (the same draws, in the same order, as before `GenerateSpec` existed, so
/// `Org::generate(members, seed)` still builds the same org). Returns them and the indices of the Creators.
fn generated_members(n: usize, rng: &mut StdRng) -> (Vec<MemberFile>, Vec<usize>) {
    let mut members = Vec::with_capacity(n);
    let mut creators = Vec::new();
    for i in 0..n {
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let last = LAST[rng.gen_range(0..LAST.len())];
        let roll: u32 = rng.gen_range(0..100);
        let account_type = match (i, roll) {
            (0, _) => "Admin",
            (1, _) => "Creator",
            (_, 0..=2) => "Admin",
            (_, 3..=27) => "Creator",
            (_, 28..=62) => "Explorer",
            (_, 63..=92) => "Viewer",
            _ => "Analyst",
        };
        if account_type == "Creator" {
            creators.push(i);
        }
        let kind_roll: u32 = rng.gen_range(0..100);
        let user_kind = match (i, kind_roll) {
            (0 | 1, _) => UserKind::Internal,
            (_, 0 | 1) => UserKind::Guest,
            (_, 2) => UserKind::Embed,
            _ => UserKind::Internal,
        };
        let state_roll: u32 = rng.gen_range(0..100);
        members.push(MemberFile {
            id: None,
            email: format!(
                "{}.{}{}@{DOMAIN}",
                first.to_lowercase(),
                last.to_lowercase(),
                i
            ),
            first_name: first.to_string(),
            last_name: last.to_string(),
            account_type: account_type.to_string(),
            user_kind,
            is_archived: i > 1 && state_roll < 3,
            is_inactive: i > 1 && state_roll == 3,
            profile_img_url: None,
            created_by: None,
            created_at: None,
            updated_at: None,
            home_folder_id: None,
        });
    }
    (members, creators)
}

fn generated_file(n: usize, seed: u64) -> OrgFile {
    let mut rng = StdRng::seed_from_u64(seed);
    let (members, creators) = generated_members(n, &mut rng);
    let email = |i: usize| members[i].email.clone();

    let team_count = (n / 200).clamp(3, 500);
    let mut teams: Vec<TeamFile> = (0..team_count)
        .map(|t| TeamFile {
            id: None,
            name: format!("Team {t:03}"),
            description: if t % 3 == 0 {
                None
            } else {
                Some(format!("Generated team {t}"))
            },
            visibility: if t % 4 == 0 {
                Visibility::Private
            } else {
                Visibility::Public
            },
            is_archived: false,
            created_by: None,
            created_at: None,
            members: Vec::new(),
            team_admins: Vec::new(),
        })
        .collect();
    for i in 0..n {
        teams[i % team_count].members.push(email(i));
        if rng.gen_bool(0.2) {
            teams[rng.gen_range(0..team_count)].members.push(email(i));
        }
    }
    for (t, team) in teams.iter_mut().enumerate() {
        // The team's first Creator (by member order) administers it; team admins need not be org Admins.
        if let Some(&c) = creators.iter().find(|&&c| c % team_count == t) {
            team.team_admins.push(members[c].email.clone());
        }
    }

    let workspace_count = team_count.clamp(3, 50);
    let doc_count = (n / 4).clamp(50, 25_000);
    let mut documents = Vec::with_capacity(workspace_count * 5 + doc_count + n / 20);
    let pick_creator = |rng: &mut StdRng| {
        if creators.is_empty() {
            0
        } else {
            creators[rng.gen_range(0..creators.len())]
        }
    };
    for w in 0..workspace_count {
        let mut ws = new_doc(
            format!("Workspace {w:02}"),
            DocType::Workspace,
            None,
            email(0),
        );
        for k in 0..rng.gen_range(1..=3) {
            let team = (w + k * 7) % team_count;
            let permission = [Permission::View, Permission::Explore, Permission::Edit][k % 3];
            ws.grants.push(GrantFile {
                user: None,
                team: Some(format!("Team {team:03}")),
                permission,
            });
        }
        documents.push(ws);
        for f in 0..4 {
            documents.push(new_doc(
                format!("Folder {f}"),
                DocType::Folder,
                Some(format!("Workspace {w:02}")),
                email(0),
            ));
        }
    }
    for d in 0..doc_count {
        let w = rng.gen_range(0..workspace_count);
        let f = rng.gen_range(0..4);
        let doc_type = KINDS[rng.gen_range(0..KINDS.len())];
        let owner = pick_creator(&mut rng);
        let mut doc = new_doc(
            format!("{} {d}", kind_label(doc_type)),
            doc_type,
            Some(format!("Workspace {w:02}/Folder {f}")),
            email(owner),
        );
        if rng.gen_bool(0.1) {
            doc.grants.push(GrantFile {
                user: Some(email(rng.gen_range(0..n))),
                team: None,
                permission: Permission::View,
            });
        }
        documents.push(doc);
    }
    for i in (0..n).step_by(20) {
        documents.push(new_doc(
            format!("Personal workbook {i}"),
            DocType::Workbook,
            Some("My Documents".to_string()),
            email(i),
        ));
    }

    let admin_client = format!("generated-admin-{seed}");
    let creator_client = format!("generated-creator-{seed}");
    OrgFile {
        organization_id: None,
        name: format!("Generated org ({n} members, seed {seed})"),
        created_at: None,
        account_types: vec![AccountTypeFile {
            id: None,
            name: "Analyst".to_string(),
            description: None,
        }],
        api_clients: vec![
            ApiClientFile {
                client_secret: base62_id(40, &["generated-secret", &admin_client]),
                client_id: admin_client,
                owner: email(0),
                name: Some("Generated admin client".to_string()),
            },
            ApiClientFile {
                client_secret: base62_id(40, &["generated-secret", &creator_client]),
                client_id: creator_client,
                owner: email(1),
                name: Some("Generated creator client".to_string()),
            },
        ],
        user_attributes: vec![UserAttributeFile {
            id: None,
            name: "SNOWFLAKE_ROLE".to_string(),
            description: None,
            default_value: Some("PUBLIC".to_string()),
            created_by: None,
            users: (0..n)
                .step_by(50)
                .map(|i| (email(i), format!("ROLE_{}", i % 7)))
                .collect(),
            teams: (0..team_count.min(20))
                .map(|t| (format!("Team {t:03}"), format!("TEAM_ROLE_{t}")))
                .collect(),
        }],
        members,
        teams,
        documents,
        tenants: Vec::new(),
    }
}

/// The fixture for a [`GenerateSpec`]; see there for the shape. Every random draw comes from one seeded
/// generator in a fixed order, so the same spec gives the same file.
fn spec_file(spec: &GenerateSpec) -> OrgFile {
    let n = spec.users;
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let (members, creators) = generated_members(n, &mut rng);
    let email = |i: usize| members[i].email.clone();
    let team_name = |t: usize| {
        if t == 0 {
            "All staff".to_string()
        } else {
            format!("{} team {t:04}", DEPARTMENTS[t % DEPARTMENTS.len()])
        }
    };

    // Teams: 0 is everyone; 1..regular_end are regular teams whose sizes fall off with the index (a few
    // large departments, many small teams); the last `power` teams are small and see a lot.
    let power = spec.power_team_count();
    // Team 0 and the power teams aside (power < teams whenever there are any).
    let regular_end = spec.teams - power;
    let mut team_members: Vec<Vec<usize>> = vec![Vec::new(); spec.teams];
    for i in 0..n {
        if spec.teams > 0 {
            team_members[0].push(i);
        }
        if regular_end > 1 {
            let regular = regular_end - 1;
            let joins = match rng.gen_range(0..100u32) {
                0..=9 => 0,
                10..=59 => 1,
                60..=89 => 2,
                _ => 3,
            };
            let mut chosen: [usize; 3] = [usize::MAX; 3];
            for k in 0..joins {
                // u² skews the draw towards low indices: team 1 is large, the last regular teams small.
                let u: f64 = rng.gen();
                let t = 1 + ((u * u * regular as f64) as usize).min(regular - 1);
                if !chosen.contains(&t) {
                    chosen[k] = t;
                    team_members[t].push(i);
                }
            }
        }
        if power > 0 && rng.gen_range(0..1000u32) < 5 {
            let t = spec.teams - power + rng.gen_range(0..power);
            team_members[t].push(i);
        }
    }
    let teams: Vec<TeamFile> = team_members
        .iter()
        .enumerate()
        .map(|(t, list)| {
            let is_power = t >= spec.teams - power && t > 0;
            TeamFile {
                id: None,
                name: team_name(t),
                description: match (t, is_power) {
                    (0, _) => Some("Everyone in the org".to_string()),
                    (_, true) => Some("Analytics leads: view on many workspaces".to_string()),
                    _ if t % 3 == 0 => None,
                    _ => Some(format!("Generated team {t}")),
                },
                visibility: if t % 4 == 3 {
                    Visibility::Private
                } else {
                    Visibility::Public
                },
                is_archived: false,
                created_by: None,
                created_at: None,
                members: list.iter().map(|&i| email(i)).collect(),
                // The team's first Creator administers it; team admins need not be org Admins.
                team_admins: list
                    .iter()
                    .find(|&&i| members[i].account_type == "Creator")
                    .map(|&i| vec![email(i)])
                    .unwrap_or_default(),
            }
        })
        .collect();
    drop(team_members);

    let workspaces = spec.workspace_count();
    let containers = workspaces * (1 + FOLDERS_PER_WORKSPACE);
    let personal = spec.documents / 10;
    let shared_docs = spec.documents - personal;
    let mut documents = Vec::with_capacity(containers + spec.documents);
    let ws_name = |w: usize| format!("{} {:03}", DEPARTMENTS[w % DEPARTMENTS.len()], w);
    let container_path = |c: usize| {
        let (w, f) = (
            c / (1 + FOLDERS_PER_WORKSPACE),
            c % (1 + FOLDERS_PER_WORKSPACE),
        );
        if f == 0 {
            ws_name(w)
        } else {
            format!("{}/{}", ws_name(w), FOLDER_NAMES[f - 1])
        }
    };
    let pick_creator = |rng: &mut StdRng| {
        if creators.is_empty() {
            0
        } else {
            creators[rng.gen_range(0..creators.len())]
        }
    };
    // Grants on containers, by container index (workspace w is container w*5, its folders the next four).
    let mut container_grants: Vec<Vec<GrantFile>> = vec![Vec::new(); containers];
    let team_grant = |t: usize, permission: Permission| GrantFile {
        user: None,
        team: Some(team_name(t)),
        permission,
    };
    if containers > 0 && spec.teams > 0 {
        // Everyone views the first workspace's first folder (the handbook, say).
        container_grants[1].push(team_grant(0, Permission::View));
        for t in 1..regular_end {
            let grants = if rng.gen_bool(0.4) { 2 } else { 1 };
            for _ in 0..grants {
                let c = rng.gen_range(0..containers);
                let permission = match rng.gen_range(0..10u32) {
                    0..=5 => Permission::View,
                    6..=8 => Permission::Explore,
                    _ => Permission::Edit,
                };
                if !container_grants[c]
                    .iter()
                    .any(|g| g.team.as_deref() == Some(&team_name(t)))
                {
                    container_grants[c].push(team_grant(t, permission));
                }
            }
        }
        for t in spec.teams - power..spec.teams {
            if t == 0 {
                continue;
            }
            // Two workspaces in five: with 5,000 documents that is about 2,000 documents each.
            for w in (0..workspaces).filter(|w| (w + t) % 5 < 2) {
                container_grants[w * (1 + FOLDERS_PER_WORKSPACE)]
                    .push(team_grant(t, Permission::View));
            }
        }
    }
    for (c, grants) in container_grants.into_iter().enumerate() {
        let (w, f) = (
            c / (1 + FOLDERS_PER_WORKSPACE),
            c % (1 + FOLDERS_PER_WORKSPACE),
        );
        let mut doc = if f == 0 {
            new_doc(ws_name(w), DocType::Workspace, None, email(0))
        } else {
            new_doc(
                FOLDER_NAMES[f - 1].to_string(),
                DocType::Folder,
                Some(ws_name(w)),
                email(0),
            )
        };
        doc.grants = grants;
        documents.push(doc);
    }
    for d in 0..spec.documents {
        let doc_type = KINDS[rng.gen_range(0..KINDS.len())];
        let owner = pick_creator(&mut rng);
        let name = format!("{} {d}", kind_label(doc_type));
        let mut doc = if d < shared_docs {
            // In a workspace's folder (or, one in five, the workspace itself).
            let w = rng.gen_range(0..workspaces);
            let f = rng.gen_range(0..=FOLDERS_PER_WORKSPACE);
            let parent = container_path(w * (1 + FOLDERS_PER_WORKSPACE) + f);
            new_doc(name, doc_type, Some(parent), email(owner))
        } else {
            new_doc(
                name,
                doc_type,
                Some("My Documents".to_string()),
                email(owner),
            )
        };
        match rng.gen_range(0..100u32) {
            0..=9 => doc.grants.push(GrantFile {
                user: Some(email(rng.gen_range(0..n))),
                team: None,
                permission: if rng.gen_bool(0.5) {
                    Permission::View
                } else {
                    Permission::Explore
                },
            }),
            10..=12 if spec.teams > 1 => doc
                .grants
                .push(team_grant(rng.gen_range(1..spec.teams), Permission::View)),
            _ => {}
        }
        documents.push(doc);
    }

    let admin_client = format!("generated-admin-{}", spec.seed);
    let creator_client = format!("generated-creator-{}", spec.seed);
    let api_clients = vec![
        ApiClientFile {
            client_secret: base62_id(40, &["generated-secret", &admin_client]),
            client_id: admin_client,
            owner: email(0),
            name: Some("Generated admin client".to_string()),
        },
        ApiClientFile {
            client_secret: base62_id(40, &["generated-secret", &creator_client]),
            client_id: creator_client,
            owner: email(1),
            name: Some("Generated creator client".to_string()),
        },
    ];
    let user_attributes = vec![UserAttributeFile {
        id: None,
        name: "SNOWFLAKE_ROLE".to_string(),
        description: None,
        default_value: Some("PUBLIC".to_string()),
        created_by: None,
        users: (0..n)
            .step_by(50)
            .map(|i| (email(i), format!("ROLE_{}", i % 7)))
            .collect(),
        teams: (0..spec.teams.min(20))
            .map(|t| (team_name(t), format!("TEAM_ROLE_{t}")))
            .collect(),
    }];
    OrgFile {
        organization_id: None,
        name: format!("Generated org ({spec})"),
        created_at: None,
        account_types: vec![AccountTypeFile {
            id: None,
            name: "Analyst".to_string(),
            description: None,
        }],
        api_clients,
        user_attributes,
        members,
        teams,
        documents,
        tenants: Vec::new(),
    }
}

fn kind_label(t: DocType) -> &'static str {
    match t {
        DocType::Dataset => "Dataset",
        DocType::DataModel => "Data model",
        DocType::Report => "Report",
        _ => "Workbook",
    }
}

fn new_doc(name: String, doc_type: DocType, parent: Option<String>, owner: String) -> DocumentFile {
    DocumentFile {
        id: None,
        url_id: None,
        name,
        doc_type,
        parent,
        parent_id: None,
        owner: Some(owner),
        created_by: None,
        created_at: None,
        updated_at: None,
        description: None,
        badge: None,
        is_archived: false,
        grants: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Principal;

    #[test]
    fn specs_parse_with_defaults_and_bad_ones_say_what_is_wrong() {
        let s: GenerateSpec = "users=100000,teams=1000,documents=5000,seed=7"
            .parse()
            .unwrap();
        assert_eq!(
            s,
            GenerateSpec {
                users: 100_000,
                teams: 1000,
                documents: 5000,
                seed: 7
            }
        );
        assert_eq!(s.to_string().parse::<GenerateSpec>().unwrap(), s);
        let s: GenerateSpec = " users = 100_000 ".parse().unwrap();
        assert_eq!(
            (s.users, s.teams, s.documents, s.seed),
            (100_000, 1000, 5000, 1)
        );
        let s: GenerateSpec = "users=10".parse().unwrap();
        assert_eq!((s.teams, s.documents), (3, 50));
        for (bad, says) in [
            ("users=abc", "users=abc: not a number"),
            ("users=-5", "users=-5: not a number"),
            ("users=10,teams=1.5", "teams=1.5: not a number"),
            ("users=1", "users=1: at least 2"),
            ("users=0", "users=0: at least 2"),
            ("users=2000000", "users=2000000: at most 1000000"),
            ("users=10,teams=100001", "teams=100001: at most 100000"),
            (
                "users=10,documents=99999999",
                "documents=99999999: at most 1000000",
            ),
            ("teams=3", "users=N is required"),
            ("", "empty part"),
            ("users=10,", "empty part"),
            ("users", "users: expected KEY=VALUE"),
            ("users=10,colour=3", "colour=3: unknown key \"colour\""),
            ("users=10,users=20", "users=20: users is given twice"),
            ("users=99999999999999999999999", "not a number"),
        ] {
            let e = bad.parse::<GenerateSpec>().unwrap_err();
            assert!(e.contains(says), "{bad:?} → {e:?}, expected {says:?}");
        }
    }

    fn spec(users: usize, teams: usize, documents: usize, seed: u64) -> GenerateSpec {
        GenerateSpec {
            users,
            teams,
            documents,
            seed,
        }
    }

    #[test]
    fn counts_match_the_spec() {
        for s in [
            spec(2, 0, 0, 1),
            spec(50, 1, 1, 2),
            spec(300, 2, 99, 3),
            spec(5_000, 60, 1_234, 4),
        ] {
            let org = Org::generate_spec(&s);
            assert_eq!(org.member_count(), s.users, "{s}");
            assert_eq!(org.team_count(), s.teams, "{s}");
            let docs = org.document_count_of(&[
                DocType::Workbook,
                DocType::Dataset,
                DocType::DataModel,
                DocType::Report,
            ]);
            assert_eq!(docs, s.documents, "{s}");
            let containers = s.workspace_count() * (1 + FOLDERS_PER_WORKSPACE);
            // Containers, the documents, and every member's My Documents folder.
            assert_eq!(
                org.document_count(),
                containers + s.documents + s.users,
                "{s}"
            );
            assert!(org.admin_credentials().is_some());
            if s.teams > 0 {
                assert_eq!(org.teams[0].name, "All staff");
                assert_eq!(org.teams[0].members.len(), s.users, "{s}");
            }
        }
    }

    #[test]
    fn the_same_spec_gives_the_same_org_and_another_seed_another() {
        let a = Org::generate_spec(&spec(3_000, 40, 600, 9));
        let b = Org::generate_spec(&spec(3_000, 40, 600, 9));
        let c = Org::generate_spec(&spec(3_000, 40, 600, 10));
        let json = |o: &Org| serde_json::to_string(&o.to_file()).unwrap();
        assert_eq!(json(&a), json(&b));
        assert_ne!(json(&a), json(&c));
    }

    #[test]
    fn access_varies_per_user_like_a_real_org() {
        // The benchmark shape, scaled down in users only: documents and teams drive what a user sees.
        let org = Org::generate_spec(&spec(20_000, 1_000, 5_000, 1));
        let mut seen: Vec<usize> = (0..org.member_count())
            .step_by(7)
            .map(|m| crate::access::accessible(&org, m).len())
            .collect();
        seen.sort_unstable();
        let median = seen[seen.len() / 2];
        let p10 = seen[seen.len() / 10];
        let max = *seen.last().unwrap();
        assert!(
            (10..=1_000).contains(&median),
            "median user sees {median} documents"
        );
        assert!(p10 >= 10, "the 10th percentile sees {p10}");
        assert!(max >= 1_500, "the busiest sampled user sees only {max}");
        let thousands = seen.iter().filter(|&&n| n >= 1_000).count();
        assert!(
            thousands * 20 < seen.len(),
            "{thousands} of {} sampled users see thousands: that should be a few",
            seen.len()
        );
        // Grants of every kind exist: to single users, to teams on documents, on folders and workspaces.
        let grants = org.documents.iter().flat_map(|d| {
            d.grants
                .iter()
                .map(move |g| (d.doc_type.is_container(), g.principal))
        });
        let (mut user, mut team_doc, mut team_container) = (0, 0, 0);
        for (container, principal) in grants {
            match (container, principal) {
                (_, Principal::Member(_)) => user += 1,
                (false, Principal::Team(_)) => team_doc += 1,
                (true, Principal::Team(_)) => team_container += 1,
            }
        }
        assert!(
            user > 100 && team_doc > 50 && team_container > 500,
            "{user} {team_doc} {team_container}"
        );
    }

    #[test]
    fn the_app_serves_the_demo_org_unless_a_spec_is_given() {
        let demo = Org::demo();
        for unset in [None, Some(""), Some("  ")] {
            let org = Org::demo_or_generated(unset).unwrap();
            assert_eq!(org.organization_id(), demo.organization_id());
            assert_eq!(org.member_count(), demo.member_count());
        }
        let org = Org::demo_or_generated(Some("users=300,teams=5,documents=60")).unwrap();
        assert_eq!((org.member_count(), org.team_count()), (300, 5));
        let e = Org::demo_or_generated(Some("users=lots")).unwrap_err();
        assert_eq!(
            e,
            "STANDIN_SANDBOX_GENERATE: users=lots: not a number (a whole number such as users=1000)"
        );
    }

    #[test]
    fn generate_by_member_count_keeps_its_shape() {
        let org = Org::generate(2_500, 7);
        assert_eq!(org.member_count(), 2_500);
        assert_eq!(org.team_count(), 12);
        assert_eq!(org.teams[0].name, "Team 000");
        let again = Org::generate(2_500, 7);
        assert_eq!(
            serde_json::to_string(&org.to_file()).unwrap(),
            serde_json::to_string(&again.to_file()).unwrap()
        );
    }
}
