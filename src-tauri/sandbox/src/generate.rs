//! Large generated orgs (`Org::generate`) for scale tests and the 100k-member UI: seeded, so the same
//! `(members, seed)` always gives the same org, and built through the fixture resolver like every org.

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

impl Org {
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

fn generated_file(n: usize, seed: u64) -> OrgFile {
    let mut rng = StdRng::seed_from_u64(seed);
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
