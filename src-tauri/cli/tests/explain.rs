//! `standin explain EMAIL DOCUMENT_ID [--json]` as a process against `standin sandbox serve`.

mod support;

use support::{text, Home, ServedSandbox};

const TOM: &str = "tom.lee@acme.example";

/// (id, name, permission) of every document `email` can open, from their own listing.
fn listing(home: &Home, email: &str) -> Vec<(String, String, String)> {
    let files = home.json(&[
        "as",
        email,
        "--reason",
        "SUP-1 explain test",
        "files",
        "--json",
    ]);
    files
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("id"), s("name"), s("permission"))
        })
        .collect()
}

#[test]
fn a_document_the_user_sees_and_one_they_do_not() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let toms = listing(&home, TOM);
    // The demo shares the Budgets folder with Tom himself.
    let (budgets, _, permission) = toms
        .iter()
        .find(|(_, name, _)| name == "Budgets")
        .expect("Tom sees Budgets")
        .clone();
    let out = home.run(&["explain", TOM, &budgets]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let human = text(&out.stdout);
    let mut lines = human.lines();
    assert_eq!(
        lines.next(),
        Some(format!("Tom Lee can {permission} “Budgets” (folder) because:").as_str())
    );
    assert!(
        human.contains(&format!("  • it is shared with them: {permission}")),
        "{human}"
    );
    let json = home.json(&["explain", TOM, &budgets, "--json"]);
    assert_eq!(json["access"], permission.as_str());
    assert_eq!(json["member"]["email"], TOM);
    assert!(json["paths"].as_array().is_some_and(|p| !p.is_empty()));

    // Something another user sees (and the admin can read) that Tom cannot.
    let theirs = listing(&home, "hannah.kim@acme.example");
    let mine: Vec<&String> = toms.iter().map(|(id, _, _)| id).collect();
    let mut explained_none = false;
    for (id, _, _) in theirs
        .iter()
        .filter(|(id, _, _)| !mine.contains(&id))
        .take(40)
    {
        let out = home.run(&["explain", TOM, id, "--json"]);
        if out.status.code() == Some(4) {
            continue; // the admin cannot read it either: Sigma's 404
        }
        let e: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert!(e["access"].is_null(), "{e}");
        assert!(e["paths"].as_array().is_some_and(Vec::is_empty));
        let human = text(&home.run(&["explain", TOM, id]).stdout);
        assert!(
            human.contains("cannot see") && human.contains("  • "),
            "{human}"
        );
        explained_none = true;
        break;
    }
    assert!(explained_none, "found a document Tom cannot see");
}

#[test]
fn unknown_users_and_documents_exit_as_the_other_commands_do() {
    let s = ServedSandbox::start(&[]);
    let mut home = Home::new();
    // No keyring needed: nothing is impersonated, nothing recorded.
    home.envs
        .push(("SIGMA_BASE_URL".into(), s.base_url.clone()));
    home.envs
        .push(("SIGMA_CLIENT_ID".into(), s.client_id.clone()));
    home.envs
        .push(("SIGMA_CLIENT_SECRET".into(), s.client_secret.clone()));

    let out = home.run(&["explain", "nobody@acme.example", "x"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("nobody@acme.example"));

    let out = home.run(&["explain", "not-an-email@", "x"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("not a valid email"),
        "{}",
        text(&out.stderr)
    );

    let out = home.run(&["explain", TOM, "no-such-document"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.starts_with("error[not_found]"), "{err}");
    assert!(err.contains("no-such-document"), "{err}");

    let out = home.run(&["explain", TOM]);
    assert_eq!(out.status.code(), Some(2), "usage");
}
