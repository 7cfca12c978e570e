//! No secret or token ever appears in `standin`'s output, its logs (at trace level), or its files. The sandbox
//! runs in this test's process so the test can list every token it issued and search for each one.

mod support;

use standin_sandbox::{Org, Sandbox};
use support::{text, Home};

#[test]
fn no_issued_token_or_secret_reaches_output_logs_or_files() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = rt.block_on(Sandbox::start(Org::demo())).unwrap();
    let admin = sandbox.admin_credentials();
    let mut home = Home::new().with_keyring();
    home.envs
        .push(("SIGMA_BASE_URL".into(), sandbox.base_url()));
    home.envs
        .push(("SIGMA_CLIENT_ID".into(), admin.client_id.clone()));
    home.envs
        .push(("SIGMA_CLIENT_SECRET".into(), admin.client_secret.clone()));
    home.envs.push(("RUST_LOG".into(), "trace".into()));

    let mut seen = String::new();
    for args in [
        vec!["users", "--json"],
        vec!["user", "tom.lee@acme.example"],
        vec![
            "as",
            "tom.lee@acme.example",
            "--reason",
            "leak check",
            "whoami",
            "--json",
        ],
        vec!["as", "tom.lee@acme.example", "files"],
        vec!["as", "tom.lee@acme.example", "my-documents", "--json"],
        vec!["as", "tom.lee@acme.example", "compare"],
        vec![
            "as",
            "tom.lee@acme.example",
            "get",
            "/v2/files?typeFilters=dataset",
        ],
        vec!["as", "priya.raman@acme.example", "whoami"],
        vec!["audit", "--json"],
    ] {
        let out = home.run(&args);
        seen.push_str(&text(&out.stdout));
        seen.push_str(&text(&out.stderr));
    }
    // Trace logging really was on.
    assert!(seen.contains("sigma request"), "{seen}");
    let mut files = String::new();
    for entry in walk(home.path()) {
        files.push_str(&std::fs::read_to_string(&entry).unwrap_or_default());
    }
    assert!(
        files.contains("impersonation.start"),
        "the audit log was written"
    );

    let tokens = sandbox.issued_tokens();
    // users, user (2 grants: one per process) + 6 × as (grant + exchange) at least.
    assert!(tokens.len() >= 10, "{} tokens issued", tokens.len());
    for (what, haystack) in [("output and logs", &seen), ("files", &files)] {
        assert!(
            !haystack.contains(&admin.client_secret),
            "the client secret leaked into {what}"
        );
        for t in &tokens {
            assert!(!haystack.contains(t.as_str()), "a token leaked into {what}");
        }
        assert!(
            !haystack.contains("eyJ"),
            "a JWT (subject token) leaked into {what}"
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
