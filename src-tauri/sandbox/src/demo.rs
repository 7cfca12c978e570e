//! The embedded demo org ("Acme Analytics"): a believable org that every feature can be tried on, built
//! deterministically (fixed names, a fixed RNG seed for the document mix) through the same fixture
//! resolver a JSON file goes through.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::fixture::{
    AccountTypeFile, ApiClientFile, DocumentFile, GrantFile, MemberFile, OrgFile, TeamFile,
    TenantFile, UserAttributeFile,
};
use crate::model::{DocType, Org, Permission, UserKind, Visibility};

/// The demo org's Admin who owns the demo API client.
pub const DEMO_ADMIN_EMAIL: &str = "admin@acme.example";
pub const DEMO_ADMIN_CLIENT_ID: &str = "standin-demo-admin";
pub const DEMO_ADMIN_CLIENT_SECRET: &str = "demo-admin-secret-5f2c9e7a4b1d8036";
/// A Creator who is a team admin (not an org Admin): their client must be refused impersonation.
pub const DEMO_CREATOR_EMAIL: &str = "casey.nguyen@acme.example";
pub const DEMO_CREATOR_CLIENT_ID: &str = "standin-demo-creator";
pub const DEMO_CREATOR_CLIENT_SECRET: &str = "demo-creator-secret-8d3a6f1e0c7b2945";
/// A non-admin user to impersonate (Creator, team admin of Sales).
pub const DEMO_USER_EMAIL: &str = "tom.lee@acme.example";
/// Another Admin (cannot be impersonated).
pub const DEMO_OTHER_ADMIN_EMAIL: &str = "priya.raman@acme.example";
/// An archived user (cannot be impersonated).
pub const DEMO_ARCHIVED_EMAIL: &str = "grace.chen@acme.example";
/// An inactive user (cannot be impersonated).
pub const DEMO_INACTIVE_EMAIL: &str = "lucas.silva@acme.example";

const SEED: u64 = 0x5A4D_B0C5;
const DOMAIN: &str = "acme.example";

struct P {
    first: &'static str,
    last: &'static str,
    email: &'static str,
    account_type: &'static str,
    kind: UserKind,
    archived: bool,
    inactive: bool,
}

const fn p(first: &'static str, last: &'static str, email: &'static str, t: &'static str) -> P {
    P {
        first,
        last,
        email,
        account_type: t,
        kind: UserKind::Internal,
        archived: false,
        inactive: false,
    }
}

const PEOPLE: &[P] = &[
    p("Avery", "Adams", "admin", "Admin"),
    p("Jordan", "Blake", "jordan.blake", "Admin"),
    p("Priya", "Raman", "priya.raman", "Admin"),
    P {
        archived: true,
        ..p("Marcus", "Webb", "marcus.webb", "Admin")
    },
    p("Tom", "Lee", "tom.lee", "Creator"),
    p("Casey", "Nguyen", "casey.nguyen", "Creator"),
    p("Sofia", "Martinez", "sofia.martinez", "Creator"),
    p("Ethan", "Brooks", "ethan.brooks", "Creator"),
    p("Hannah", "Kim", "hannah.kim", "Creator"),
    p("Liam", "O'Connor", "liam.oconnor", "Creator"),
    P {
        archived: true,
        ..p("Grace", "Chen", "grace.chen", "Creator")
    },
    p("Noah", "Patel", "noah.patel", "Creator"),
    p("Olivia", "Johnson", "olivia.johnson", "Explorer"),
    p("Mateo", "Rossi", "mateo.rossi", "Explorer"),
    p("Aisha", "Bello", "aisha.bello", "Explorer"),
    p("Daniel", "Schmidt", "daniel.schmidt", "Explorer"),
    p("Chloe", "Dubois", "chloe.dubois", "Explorer"),
    P {
        archived: true,
        ..p("Ryan", "Murphy", "ryan.murphy", "Explorer")
    },
    p("Emma", "Wilson", "emma.wilson", "Explorer"),
    P {
        inactive: true,
        ..p("Lucas", "Silva", "lucas.silva", "Explorer")
    },
    p("Zoe", "Park", "zoe.park", "Explorer"),
    p("Samuel", "Green", "samuel.green", "Explorer"),
    p("Victor", "Nilsson", "victor.nilsson", "Explorer"),
    p("Mia", "Thompson", "mia.thompson", "Viewer"),
    p("Benjamin", "Clark", "benjamin.clark", "Viewer"),
    p("Isabella", "Lopez", "isabella.lopez", "Viewer"),
    p("Henry", "Walker", "henry.walker", "Viewer"),
    p("Amelia", "Scott", "amelia.scott", "Viewer"),
    p("Jack", "Turner", "jack.turner", "Viewer"),
    p("Ella", "Harris", "ella.harris", "Viewer"),
    p("Yuki", "Sato", "yuki.sato", "Viewer"),
    p("Nina", "Volkova", "nina.volkova", "Analyst"),
    p("Omar", "Haddad", "omar.haddad", "Analyst"),
    p("Kenji", "Tanaka", "kenji.tanaka", "Analyst"),
    p("Fatima", "Noor", "fatima.noor", "Analyst"),
    p("Diego", "Fernandez", "diego.fernandez", "Analyst"),
    P {
        kind: UserKind::Guest,
        ..p(
            "Paul",
            "Novak",
            "paul.novak@northwind-partners.example",
            "Viewer",
        )
    },
    P {
        kind: UserKind::Guest,
        ..p(
            "Rita",
            "Alvarez",
            "rita.alvarez@contoso-consulting.example",
            "Explorer",
        )
    },
    P {
        kind: UserKind::Embed,
        ..p("Portal", "Customer 101", "embed-customer-101", "Viewer")
    },
    P {
        kind: UserKind::Embed,
        ..p("Portal", "Customer 102", "embed-customer-102", "Viewer")
    },
];

fn email(local: &str) -> String {
    if local.contains('@') {
        local.to_string()
    } else {
        format!("{local}@{DOMAIN}")
    }
}

fn emails(locals: &[&str]) -> Vec<String> {
    locals.iter().map(|l| email(l)).collect()
}

fn team(
    name: &str,
    description: &str,
    visibility: Visibility,
    admins: &[&str],
    members: &[&str],
) -> TeamFile {
    TeamFile {
        id: None,
        name: name.to_string(),
        description: Some(description.to_string()),
        visibility,
        is_archived: false,
        created_by: None,
        created_at: None,
        members: emails(members),
        team_admins: emails(admins),
    }
}

fn grant_team(team: &str, permission: Permission) -> GrantFile {
    GrantFile {
        user: None,
        team: Some(team.to_string()),
        permission,
    }
}

fn grant_user(local: &str, permission: Permission) -> GrantFile {
    GrantFile {
        user: Some(email(local)),
        team: None,
        permission,
    }
}

fn doc(name: &str, doc_type: DocType, parent: Option<&str>, owner: &str) -> DocumentFile {
    DocumentFile {
        id: None,
        url_id: None,
        name: name.to_string(),
        doc_type,
        parent: parent.map(str::to_string),
        parent_id: None,
        owner: Some(email(owner)),
        created_by: None,
        created_at: None,
        updated_at: None,
        description: None,
        badge: None,
        is_archived: false,
        grants: Vec::new(),
    }
}

struct Space {
    name: &'static str,
    owner: &'static str,
    authors: &'static [&'static str],
    grants: &'static [(&'static str, Permission)],
    folders: &'static [(&'static str, [&'static str; 5])],
    root_docs: &'static [&'static str],
}

const SPACES: &[Space] = &[
    Space {
        name: "Sales",
        owner: "admin",
        authors: &["tom.lee", "sofia.martinez"],
        grants: &[
            ("Sales", Permission::Organize),
            ("Executive", Permission::View),
        ],
        folders: &[
            (
                "Pipeline",
                [
                    "Pipeline Overview",
                    "Open Opportunities",
                    "Opportunity Stages",
                    "Deal Velocity",
                    "Pipeline Coverage",
                ],
            ),
            (
                "Forecasts",
                [
                    "Quarterly Forecast",
                    "Forecast Accuracy",
                    "Commit vs Best Case",
                    "Bookings Forecast",
                    "Forecast Inputs",
                ],
            ),
            (
                "Regional Performance",
                [
                    "West Region Scorecard",
                    "East Region Scorecard",
                    "EMEA Bookings",
                    "APAC Bookings",
                    "Territory Coverage",
                ],
            ),
        ],
        root_docs: &["Sales Leaderboard", "Quota Attainment"],
    },
    Space {
        name: "Marketing",
        owner: "hannah.kim",
        authors: &["hannah.kim"],
        grants: &[("Marketing", Permission::Edit)],
        folders: &[
            (
                "Campaigns",
                [
                    "Campaign Performance",
                    "Campaign Touches",
                    "Lead Source Mix",
                    "Event ROI",
                    "Email Engagement",
                ],
            ),
            (
                "Web Analytics",
                [
                    "Site Traffic",
                    "Web Sessions",
                    "Conversion Funnel",
                    "SEO Keywords",
                    "Landing Page Tests",
                ],
            ),
        ],
        root_docs: &["Marketing Scorecard"],
    },
    Space {
        name: "Finance",
        owner: "jordan.blake",
        authors: &["jordan.blake", "ethan.brooks"],
        grants: &[
            ("Finance", Permission::Explore),
            ("Executive", Permission::View),
        ],
        folders: &[
            (
                "Monthly Close",
                [
                    "Close Checklist",
                    "GL Balances",
                    "Accruals Review",
                    "Intercompany Recon",
                    "Close Timeline",
                ],
            ),
            (
                "Budgets",
                [
                    "FY Budget",
                    "Department Spend",
                    "Headcount Plan",
                    "Budget vs Actuals",
                    "Vendor Spend",
                ],
            ),
            (
                "Revenue Recognition",
                [
                    "Deferred Revenue",
                    "Billing Schedule",
                    "ARR Bridge",
                    "Revenue Waterfall",
                    "Contract Ledger",
                ],
            ),
        ],
        root_docs: &["Finance Dashboard", "Cash Position"],
    },
    Space {
        name: "Data Engineering",
        owner: "casey.nguyen",
        authors: &["casey.nguyen", "noah.patel", "liam.oconnor"],
        grants: &[("Data Engineering", Permission::Edit)],
        folders: &[
            (
                "Raw Sources",
                [
                    "Orders Raw",
                    "Customers Raw",
                    "Events Raw",
                    "Web Logs Raw",
                    "Payments Raw",
                ],
            ),
            (
                "Transformations",
                [
                    "Orders Model",
                    "Customer 360",
                    "Sessionization",
                    "Revenue Facts",
                    "Dim Product",
                ],
            ),
            (
                "Quality Checks",
                [
                    "Freshness Monitor",
                    "Row Count Audit",
                    "Null Rate Checks",
                    "Schema Drift",
                    "Pipeline SLAs",
                ],
            ),
        ],
        root_docs: &["Warehouse Usage"],
    },
    Space {
        name: "Executive",
        owner: "admin",
        authors: &["admin", "jordan.blake"],
        grants: &[("Executive", Permission::Organize)],
        folders: &[
            (
                "Board Decks",
                [
                    "Q3 Board Review",
                    "Q2 Board Review",
                    "Annual Plan",
                    "Investor Metrics",
                    "Board KPIs",
                ],
            ),
            (
                "Strategy",
                [
                    "Market Sizing",
                    "Competitive Landscape",
                    "Pricing Study",
                    "M&A Screening",
                    "Long Range Plan",
                ],
            ),
        ],
        root_docs: &["Company Health"],
    },
    Space {
        name: "Company Shared",
        owner: "priya.raman",
        authors: &["priya.raman", "sofia.martinez", "hannah.kim"],
        grants: &[
            ("Sales", Permission::View),
            ("Marketing", Permission::View),
            ("Finance", Permission::View),
            ("Data Engineering", Permission::View),
            ("Customer Success", Permission::Explore),
            ("Product", Permission::View),
        ],
        folders: &[
            (
                "KPIs",
                [
                    "Company KPIs",
                    "Revenue Dashboard",
                    "Customer Counts",
                    "Net Retention",
                    "Active Users",
                ],
            ),
            (
                "Onboarding",
                [
                    "Sigma Basics",
                    "Data Dictionary",
                    "Metric Definitions",
                    "How To Request Access",
                    "Sample Workbook",
                ],
            ),
            (
                "Customer Success",
                [
                    "Account Health",
                    "Support Tickets",
                    "Renewals Calendar",
                    "NPS Survey",
                    "Churn Risk",
                ],
            ),
        ],
        root_docs: &["All Hands Metrics"],
    },
    Space {
        name: "Product",
        owner: "liam.oconnor",
        authors: &["liam.oconnor"],
        grants: &[("Product", Permission::Edit)],
        folders: &[
            (
                "Usage Analytics",
                [
                    "Feature Adoption",
                    "Daily Active Users",
                    "Retention Cohorts",
                    "Session Length",
                    "Power Users",
                ],
            ),
            (
                "Experiments",
                [
                    "AB Test Results",
                    "Experiment Registry",
                    "Pricing Page Test",
                    "Onboarding Flow Test",
                    "Guardrail Metrics",
                ],
            ),
        ],
        root_docs: &["Product Roadmap Metrics"],
    },
];

const DOC_TYPES: [DocType; 6] = [
    DocType::Workbook,
    DocType::Workbook,
    DocType::Dataset,
    DocType::DataModel,
    DocType::Report,
    DocType::Workbook,
];

impl Org {
    /// The built-in demo org. Deterministic: the same IDs, documents and grants on every call.
    pub fn demo() -> Org {
        let file = demo_file();
        match crate::resolve::resolve(file) {
            Ok(org) => org,
            // The demo data is a constant of this crate and covered by tests; failing here is a bug in it.
            Err(e) => panic!("the built-in demo org is inconsistent: {e}"),
        }
    }
}

fn demo_file() -> OrgFile {
    let mut rng = StdRng::seed_from_u64(SEED);
    let members = PEOPLE
        .iter()
        .map(|p| MemberFile {
            id: None,
            email: email(p.email),
            first_name: p.first.to_string(),
            last_name: p.last.to_string(),
            account_type: p.account_type.to_string(),
            user_kind: p.kind,
            is_archived: p.archived,
            is_inactive: p.inactive,
            profile_img_url: None,
            created_by: None,
            created_at: None,
            updated_at: None,
            home_folder_id: None,
        })
        .collect();

    let mut legacy = team(
        "Legacy BI",
        "The old BI team, kept for its grants",
        Visibility::Private,
        &[],
        &["grace.chen", "ryan.murphy"],
    );
    legacy.is_archived = true;
    let teams = vec![
        team(
            "Sales",
            "Account executives and sales leadership",
            Visibility::Public,
            &["tom.lee"],
            &[
                "sofia.martinez",
                "olivia.johnson",
                "mateo.rossi",
                "victor.nilsson",
                "mia.thompson",
                "benjamin.clark",
                "jack.turner",
                "ryan.murphy",
            ],
        ),
        team(
            "Marketing",
            "Demand generation and brand",
            Visibility::Public,
            &["hannah.kim"],
            &[
                "chloe.dubois",
                "aisha.bello",
                "isabella.lopez",
                "amelia.scott",
                "zoe.park",
            ],
        ),
        team(
            "Finance",
            "FP&A and accounting",
            Visibility::Private,
            &["jordan.blake"],
            &[
                "ethan.brooks",
                "daniel.schmidt",
                "henry.walker",
                "nina.volkova",
                "fatima.noor",
            ],
        ),
        team(
            "Data Engineering",
            "Warehouse, pipelines and data models",
            Visibility::Private,
            &["casey.nguyen"],
            &[
                "noah.patel",
                "liam.oconnor",
                "kenji.tanaka",
                "omar.haddad",
                "grace.chen",
            ],
        ),
        team(
            "Executive",
            "Leadership team",
            Visibility::Private,
            &["admin"],
            &["priya.raman", "jordan.blake", "ella.harris"],
        ),
        team(
            "Customer Success",
            "Onboarding, support and renewals",
            Visibility::Public,
            &["emma.wilson"],
            &["samuel.green", "yuki.sato", "lucas.silva"],
        ),
        team(
            "Product",
            "Product management and design",
            Visibility::Public,
            &["liam.oconnor"],
            &["zoe.park", "diego.fernandez", "hannah.kim"],
        ),
        team(
            "Partners",
            "External partners and consultants",
            Visibility::Private,
            &["priya.raman"],
            &[
                "paul.novak@northwind-partners.example",
                "rita.alvarez@contoso-consulting.example",
            ],
        ),
        legacy,
    ];

    let mut documents = Vec::new();
    for space in SPACES {
        let mut ws = doc(space.name, DocType::Workspace, None, space.owner);
        ws.description = Some(format!("{} workspace", space.name));
        ws.grants = space
            .grants
            .iter()
            .map(|(t, perm)| grant_team(t, *perm))
            .collect();
        documents.push(ws);
        for root in space.root_docs {
            let owner = space
                .authors
                .choose(&mut rng)
                .copied()
                .unwrap_or(space.owner);
            let mut d = doc(root, DocType::Workbook, Some(space.name), owner);
            d.badge = Some("Endorsed".to_string());
            documents.push(d);
        }
        for (folder, names) in space.folders {
            documents.push(doc(folder, DocType::Folder, Some(space.name), space.owner));
            let path = format!("{}/{}", space.name, folder);
            for name in names {
                let owner = space
                    .authors
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or(space.owner);
                let doc_type = DOC_TYPES
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or(DocType::Workbook);
                let mut d = doc(name, doc_type, Some(&path), owner);
                if rng.gen_bool(0.15) {
                    d.badge = Some(
                        ["Endorsed", "Warning", "Deprecated"][rng.gen_range(0..3)].to_string(),
                    );
                }
                if rng.gen_bool(0.4) {
                    d.description = Some(format!("{name} for the {} team", space.name));
                }
                documents.push(d);
            }
        }
    }
    add_special_documents(&mut documents);
    add_direct_shares(&mut documents, &mut rng);

    OrgFile {
        organization_id: None,
        name: "Acme Analytics".to_string(),
        created_at: None,
        account_types: vec![AccountTypeFile {
            id: None,
            name: "Analyst".to_string(),
            description: Some(
                "Explore data and build personal workbooks; no publishing".to_string(),
            ),
        }],
        api_clients: vec![
            ApiClientFile {
                client_id: DEMO_ADMIN_CLIENT_ID.to_string(),
                client_secret: DEMO_ADMIN_CLIENT_SECRET.to_string(),
                owner: DEMO_ADMIN_EMAIL.to_string(),
                name: Some("Stand-in (Admin)".to_string()),
            },
            ApiClientFile {
                client_id: DEMO_CREATOR_CLIENT_ID.to_string(),
                client_secret: DEMO_CREATOR_CLIENT_SECRET.to_string(),
                owner: DEMO_CREATOR_EMAIL.to_string(),
                name: Some("Data Engineering automation (Creator)".to_string()),
            },
        ],
        members,
        teams,
        documents,
        user_attributes: user_attributes(),
        tenants: vec![tenant()],
    }
}

/// Documents placed by hand: other types, My Documents content and the grants tests rely on.
fn add_special_documents(documents: &mut Vec<DocumentFile>) {
    let add_grant = |docs: &mut Vec<DocumentFile>, name: &str, g: GrantFile| {
        if let Some(d) = docs.iter_mut().find(|d| d.name == name) {
            d.grants.push(g);
        }
    };
    add_grant(
        documents,
        "Budgets",
        grant_user("tom.lee", Permission::View),
    );
    add_grant(
        documents,
        "Forecasts",
        grant_team("Finance", Permission::View),
    );
    add_grant(
        documents,
        "Quality Checks",
        grant_user("omar.haddad", Permission::Edit),
    );
    add_grant(
        documents,
        "Q3 Board Review",
        grant_user("tom.lee", Permission::Explore),
    );
    add_grant(
        documents,
        "Pricing Study",
        grant_team("Product", Permission::View),
    );

    let mut extra = vec![
        doc(
            "Standard KPI Template",
            DocType::Template,
            Some("Company Shared"),
            "priya.raman",
        ),
        doc(
            "Shortcut to Revenue Dashboard",
            DocType::Symlink,
            Some("Company Shared"),
            "priya.raman",
        ),
        doc(
            "RAW.ORDERS",
            DocType::Table,
            Some("Data Engineering/Raw Sources"),
            "casey.nguyen",
        ),
        doc(
            "Ad hoc order checks",
            DocType::Sql,
            Some("Data Engineering/Quality Checks"),
            "noah.patel",
        ),
        doc(
            "Partner Portal",
            DocType::Folder,
            Some("Company Shared"),
            "priya.raman",
        ),
        doc(
            "Partner Pipeline",
            DocType::Workbook,
            Some("Company Shared/Partner Portal"),
            "priya.raman",
        ),
        doc(
            "Co-sell Leads",
            DocType::Dataset,
            Some("Company Shared/Partner Portal"),
            "priya.raman",
        ),
        // My Documents of several users.
        doc("Drafts", DocType::Folder, Some("My Documents"), "tom.lee"),
        doc(
            "Pipeline Scratchpad",
            DocType::Workbook,
            Some("My Documents"),
            "tom.lee",
        ),
        doc(
            "My Leads Extract",
            DocType::Dataset,
            Some("My Documents"),
            "tom.lee",
        ),
        doc(
            "Territory Plan Draft",
            DocType::Workbook,
            Some("My Documents/Drafts"),
            "tom.lee",
        ),
        doc(
            "Win-Loss Notes",
            DocType::Report,
            Some("My Documents/Drafts"),
            "tom.lee",
        ),
        doc(
            "dbt Run Monitor",
            DocType::Workbook,
            Some("My Documents"),
            "casey.nguyen",
        ),
        doc(
            "Staging Orders",
            DocType::Dataset,
            Some("My Documents"),
            "casey.nguyen",
        ),
        doc(
            "Orders Model Draft",
            DocType::DataModel,
            Some("My Documents"),
            "casey.nguyen",
        ),
        doc(
            "Admin Sandbox Notes",
            DocType::Workbook,
            Some("My Documents"),
            "priya.raman",
        ),
        doc(
            "License Usage Extract",
            DocType::Dataset,
            Some("My Documents"),
            "priya.raman",
        ),
        doc(
            "Deal Desk Notes",
            DocType::Workbook,
            Some("My Documents"),
            "olivia.johnson",
        ),
        doc(
            "Creative",
            DocType::Folder,
            Some("My Documents"),
            "hannah.kim",
        ),
        doc(
            "Campaign Ideas",
            DocType::Workbook,
            Some("My Documents"),
            "hannah.kim",
        ),
        doc(
            "Brand Survey Readout",
            DocType::Report,
            Some("My Documents/Creative"),
            "hannah.kim",
        ),
        doc(
            "Variance Analysis Scratch",
            DocType::Workbook,
            Some("My Documents"),
            "nina.volkova",
        ),
        doc(
            "Admin Checklist",
            DocType::Workbook,
            Some("My Documents"),
            "admin",
        ),
    ];
    for d in &mut extra {
        match d.name.as_str() {
            "Partner Portal" => d.grants.push(grant_team("Partners", Permission::View)),
            // Shared out of Tom's My Documents: Sofia sees it, nobody else (admins included).
            "Pipeline Scratchpad" => d
                .grants
                .push(grant_user("sofia.martinez", Permission::View)),
            "Standard KPI Template" => d.grants.push(grant_team("Sales", Permission::Explore)),
            _ => {}
        }
    }
    documents.extend(extra);
}

/// A sprinkle of direct shares to individual users, chosen by the seeded RNG.
fn add_direct_shares(documents: &mut [DocumentFile], rng: &mut StdRng) {
    let recipients = [
        "olivia.johnson",
        "mateo.rossi",
        "aisha.bello",
        "mia.thompson",
        "henry.walker",
        "nina.volkova",
        "kenji.tanaka",
        "zoe.park",
        "rita.alvarez@contoso-consulting.example",
        "embed-customer-101",
    ];
    let perms = [
        Permission::View,
        Permission::View,
        Permission::Explore,
        Permission::Edit,
    ];
    let candidates: Vec<usize> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            !d.doc_type.is_container()
                && d.parent
                    .as_deref()
                    .is_some_and(|p| !p.starts_with("My Documents"))
        })
        .map(|(i, _)| i)
        .collect();
    for recipient in recipients {
        for _ in 0..2 {
            if let Some(&i) = candidates.choose(rng) {
                let perm = perms.choose(rng).copied().unwrap_or(Permission::View);
                documents[i].grants.push(grant_user(recipient, perm));
            }
        }
    }
}

fn user_attributes() -> Vec<UserAttributeFile> {
    let map = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let users = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (email(k), v.to_string()))
            .collect()
    };
    vec![
        UserAttributeFile {
            id: None,
            name: "SNOWFLAKE_ROLE".to_string(),
            description: Some("Snowflake role used for this user's queries".to_string()),
            default_value: Some("REPORTING_READER".to_string()),
            created_by: None,
            users: users(&[
                ("tom.lee", "SALES_LEAD"),
                ("casey.nguyen", "DATA_ENGINEER"),
                ("nina.volkova", "FINANCE_ANALYST"),
                ("olivia.johnson", "SALES_ANALYST"),
            ]),
            teams: map(&[
                ("Sales", "SALES_ANALYST"),
                ("Finance", "FINANCE_ANALYST"),
                ("Data Engineering", "TRANSFORMER"),
                ("Executive", "EXEC_READER"),
            ]),
        },
        UserAttributeFile {
            id: None,
            name: "SNOWFLAKE_WAREHOUSE".to_string(),
            description: Some("Snowflake warehouse used for this user's queries".to_string()),
            default_value: Some("REPORTING_WH_XS".to_string()),
            created_by: None,
            users: users(&[
                ("priya.raman", "ADMIN_WH_M"),
                ("kenji.tanaka", "TRANSFORM_WH_L"),
                ("tom.lee", "SALES_WH_S"),
            ]),
            teams: map(&[
                ("Data Engineering", "TRANSFORM_WH_L"),
                ("Executive", "EXEC_WH_M"),
            ]),
        },
        UserAttributeFile {
            id: None,
            name: "Region".to_string(),
            description: Some("Row-level security: the sales region a user may see".to_string()),
            default_value: None,
            created_by: None,
            users: users(&[
                ("tom.lee", "West"),
                ("sofia.martinez", "East"),
                ("olivia.johnson", "West"),
                ("mateo.rossi", "EMEA"),
            ]),
            teams: map(&[("Marketing", "Global")]),
        },
        UserAttributeFile {
            id: None,
            name: "Cost Center".to_string(),
            description: None,
            default_value: None,
            created_by: None,
            users: users(&[]),
            teams: map(&[
                ("Sales", "CC-100"),
                ("Marketing", "CC-200"),
                ("Finance", "CC-300"),
                ("Data Engineering", "CC-400"),
            ]),
        },
    ]
}

fn tenant() -> TenantFile {
    let m = |first: &str, last: &str, local: &str, t: &str| MemberFile {
        id: None,
        email: format!("{local}@globex.example"),
        first_name: first.to_string(),
        last_name: last.to_string(),
        account_type: t.to_string(),
        user_kind: UserKind::Internal,
        is_archived: false,
        is_inactive: false,
        profile_img_url: None,
        created_by: None,
        created_at: None,
        updated_at: None,
        home_folder_id: None,
    };
    let mut ws = doc(
        "Globex Dashboards",
        DocType::Workspace,
        None,
        "gina.admin@globex.example",
    );
    ws.grants.push(grant_team("Globex Ops", Permission::View));
    TenantFile {
        organization_id: None,
        name: "Globex (tenant)".to_string(),
        slug: Some("globex".to_string()),
        admin_email: Some("gina.admin@globex.example".to_string()),
        created_at: None,
        members: vec![
            m("Gina", "Admin", "gina.admin", "Admin"),
            m("Greta", "Creator", "greta.creator", "Creator"),
            m("Gus", "Explorer", "gus.explorer", "Explorer"),
            m("Gary", "Viewer", "gary.viewer", "Viewer"),
        ],
        teams: vec![TeamFile {
            id: None,
            name: "Globex Ops".to_string(),
            description: None,
            visibility: Visibility::Public,
            is_archived: false,
            created_by: None,
            created_at: None,
            members: vec![
                "gus.explorer@globex.example".to_string(),
                "gary.viewer@globex.example".to_string(),
            ],
            team_admins: vec!["greta.creator@globex.example".to_string()],
        }],
        documents: vec![
            ws,
            doc(
                "Operations Overview",
                DocType::Workbook,
                Some("Globex Dashboards"),
                "greta.creator@globex.example",
            ),
            doc(
                "Shipments",
                DocType::Dataset,
                Some("Globex Dashboards"),
                "greta.creator@globex.example",
            ),
            doc(
                "Inventory Levels",
                DocType::Workbook,
                Some("Globex Dashboards"),
                "greta.creator@globex.example",
            ),
            doc(
                "Greta's Scratch",
                DocType::Workbook,
                Some("My Documents"),
                "greta.creator@globex.example",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_builds_and_is_deterministic() {
        let a = Org::demo();
        let b = Org::demo();
        assert_eq!(a.organization_id(), b.organization_id());
        let ids_a: Vec<&str> = a.documents.iter().map(|d| d.id.as_str()).collect();
        let ids_b: Vec<&str> = b.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids_a, ids_b);
        assert!(a.members.len() >= 40);
        let non_home = a.documents.iter().filter(|d| d.home_of.is_none()).count();
        assert!((130..=170).contains(&non_home), "{non_home} documents");
        // No demo name may contain "Error": Sigma's example script treats that word as a failure.
        assert!(a.documents.iter().all(|d| !d.name.contains("Error")));
    }
}
