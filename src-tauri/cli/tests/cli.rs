//! `standin` as a process against `standin sandbox serve`: the exact command forms scripts rely on.

mod support;

use support::{text, Home, ServedSandbox};

fn ordinary_user(home: &Home) -> String {
    let users = home.json(&["users", "--json"]);
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| {
            u["memberType"] != "admin" && u["memberType"] != "viewer" && u["userKind"] == "internal"
        })
        .expect("a non-admin user")["email"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn sandbox_serve_prints_one_json_line_of_demo_credentials() {
    let s = ServedSandbox::start(&[]);
    assert!(s.base_url.starts_with("http://127.0.0.1:"));
    assert!(!s.client_id.is_empty() && !s.client_secret.is_empty());
    assert!(s.admin_email.contains('@'));
}

#[test]
fn users_teams_and_team_members() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let users = home.json(&["users", "--json"]);
    let users = users.as_array().unwrap();
    assert!(users.len() >= 30);
    assert!(users
        .iter()
        .all(|u| u["email"].is_string() && u["memberId"].is_string()));
    // Several pages give the same list.
    let paged = home.json(&["users", "--json", "--page-size", "5"]);
    assert_eq!(paged.as_array().unwrap().len(), users.len());
    let all = home.json(&["users", "--all", "--json"]);
    assert!(
        all.as_array().unwrap().len() > users.len(),
        "archived users only with --all"
    );
    let search = home.json(&[
        "users",
        "--search",
        users[0]["lastName"].as_str().unwrap(),
        "--json",
    ]);
    assert!(!search.as_array().unwrap().is_empty());

    let teams = home.json(&["teams", "--json"]);
    let team_id = teams[0]["teamId"].as_str().unwrap();
    let members = home.json(&["team-members", team_id, "--json"]);
    let first = &members[0];
    assert!(
        first["userId"].is_string()
            && first["isTeamAdmin"].is_boolean()
            && first["email"].is_string()
    );

    // Tables for people: a header row and aligned columns.
    let out = home.run(&["users"]);
    assert!(out.status.success());
    let table = text(&out.stdout);
    let header = table.lines().next().unwrap();
    assert!(header.contains("NAME") && header.contains("EMAIL") && header.contains("ACCOUNT TYPE"));
    let col = header.find("EMAIL").unwrap();
    let email = users[0]["email"].as_str().unwrap();
    assert!(
        table.lines().any(|l| l.find(email) == Some(col)),
        "EMAIL column aligned:\n{table}"
    );
}

#[test]
fn user_profile_shows_teams_and_attributes() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let email = ordinary_user(&home);
    let v = home.json(&["user", &email, "--json"]);
    assert_eq!(v["member"]["email"], email.as_str());
    assert!(v["teams"].is_array());
    assert!(v["userAttributes"].is_array());
    let id = v["member"]["memberId"].as_str().unwrap();
    let by_id = home.json(&["user", id, "--json"]);
    assert_eq!(by_id["member"]["email"], email.as_str());
}

#[test]
fn impersonate_whoami_files_my_documents_compare_get_and_audit() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let email = ordinary_user(&home);
    let user = home.json(&["user", &email, "--json"]);
    let user_id = user["member"]["memberId"].as_str().unwrap();

    let me = home.json(&["as", &email, "--reason", "SUP-42", "whoami", "--json"]);
    assert_eq!(me["userId"], user_id);
    assert!(me["organizationId"].is_string());

    let files = home.json(&["as", &email, "files", "--type", "workbook", "--json"]);
    assert!(files
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["type"] == "workbook" && f["permission"].is_string()));
    let mine = home.json(&["as", &email, "my-documents", "--json"]);
    assert!(mine.is_array());
    let cmp = home.json(&["as", &email, "compare", "--json"]);
    assert!(
        cmp["onlyAdmin"].is_array() && cmp["onlyUser"].is_array() && cmp["different"].is_array()
    );
    let got = home.json(&["as", &email, "get", "/v2/whoami", "--json"]);
    assert_eq!(got["userId"], user_id);

    let audit = home.json(&["audit", "--json"]);
    let entries = audit["entries"].as_array().unwrap();
    let events: Vec<&str> = entries
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == "impersonation.start")
            .count(),
        5
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == "impersonation.stop")
            .count(),
        5
    );
    assert!(events.contains(&"impersonation.request"));
    let first = &entries[0];
    assert_eq!(first["subject"], email.as_str());
    assert_eq!(first["actor"], s.admin_email.as_str());
    assert_eq!(first["reason"], "SUP-42");
    let log = std::fs::read_to_string(home.path().join("data/audit.jsonl")).unwrap();
    assert_eq!(log.lines().count(), entries.len());
    let table = home.run(&["audit"]);
    assert!(text(&table.stdout).contains("SUP-42"));
}

#[test]
fn refusals_exit_non_zero_with_the_reason() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let all = home.json(&["users", "--all", "--json"]);
    let admin = all
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["memberType"] == "admin" && u["email"] != s.admin_email.as_str())
        .unwrap()["email"]
        .as_str()
        .unwrap()
        .to_string();
    let out = home.run(&["as", &admin, "whoami", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("admins cannot impersonate other admins"),
        "{err}"
    );

    let out = home.run(&["as", "not-an-email", "whoami"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("not a valid email"));

    let audit = home.json(&["audit", "--json"]);
    let refused = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "impersonation.refused")
        .count();
    assert_eq!(refused, 2);
}

#[test]
fn missing_or_bad_credentials_say_what_to_do() {
    let home = Home::new();
    let out = home
        .cmd(&["users"])
        .env_remove("SIGMA_BASE_URL")
        .env_remove("SIGMA_CLIENT_ID")
        .env_remove("SIGMA_CLIENT_SECRET")
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("--profile NAME or set SIGMA_BASE_URL"),
        "{}",
        text(&out.stderr)
    );

    let s = ServedSandbox::start(&[]);
    let mut home = Home::new().with_sandbox(&s);
    home.envs.retain(|(k, _)| k != "SIGMA_CLIENT_SECRET");
    home.envs
        .push(("SIGMA_CLIENT_SECRET".into(), "wrong-secret".into()));
    let out = home.run(&["users", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    let err = text(&out.stderr);
    assert!(err.contains("401") && err.contains("request ID"), "{err}");
    assert!(!err.contains("wrong-secret"));

    let mut home = Home::new().with_sandbox(&s);
    home.envs
        .push(("SIGMA_BASE_URL".into(), "http://example.com".into()));
    let out = home.run(&["users"]);
    assert!(
        text(&out.stderr).contains("plain http is only allowed"),
        "{}",
        text(&out.stderr)
    );
}
