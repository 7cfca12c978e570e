//! `standin as`: `get PATH` goes through the same normalised-path checks as the desktop console, and a
//! tenant says on stderr that the server's target checks apply.

mod support;

use support::{text, Home, ServedSandbox};

const USER: &str = "tom.lee@acme.example";

#[test]
fn get_paths_are_normalised_before_the_rules() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let plain = home.json(&["as", USER, "get", "/v2/whoami", "--json"]);

    // Another spelling of the same endpoint reaches the same answer.
    let dotted = home.json(&["as", USER, "get", "/v1/../v2/./whoami", "--json"]);
    assert_eq!(dotted["userId"], plain["userId"]);

    // A blocked endpoint in disguise is refused as the rule, before it is sent.
    for disguised in [
        "/v2/%2e%2e/v2/connections/paths/x",
        "/v2//connections/paths/x",
        "/v2/../v2/connections/paths/x",
    ] {
        let out = home.run(&["as", USER, "get", disguised]);
        assert_eq!(out.status.code(), Some(3), "{disguised}");
        let err = text(&out.stderr);
        assert!(
            err.contains("does not accept impersonation tokens"),
            "{err}"
        );
        assert!(err.contains("/v2/connections/paths/x"), "{err}");
    }

    // Leaving the API is refused as bad input.
    for outside in ["/v2/../admin", "/v2/../sandbox/audit-log", "/v2/../../x"] {
        let out = home.run(&["as", USER, "get", outside]);
        assert_eq!(out.status.code(), Some(1), "{outside}");
        assert!(out.stdout.is_empty());
        assert!(
            text(&out.stderr).contains("error[console_request]"),
            "{}",
            text(&out.stderr)
        );
    }

    // What was recorded is the normalised path; a path that cannot be normalised (it leaves the API) is
    // on record as a refusal with what was attempted.
    let audit = home.json(&["audit", "--json"]);
    let entries = audit["entries"].as_array().unwrap();
    let (escapes, rest): (Vec<_>, Vec<_>) = entries
        .iter()
        .filter(|e| e["path"].is_string())
        .partition(|e| e["event"] == "impersonation.refused" && e["detail"] == "console_request");
    let paths: Vec<&str> = rest.iter().filter_map(|e| e["path"].as_str()).collect();
    assert!(paths.contains(&"/v2/whoami"));
    assert!(paths.contains(&"/v2/connections/paths/x"));
    assert!(paths.iter().all(|p| !p.contains("..") && !p.contains('%')));
    let attempted: Vec<&str> = escapes.iter().filter_map(|e| e["path"].as_str()).collect();
    assert_eq!(
        attempted,
        ["/v2/../admin", "/v2/../sandbox/audit-log", "/v2/../../x"]
    );
}

#[test]
fn a_tenant_says_the_servers_checks_apply() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let out = home.run(&["as", USER, "--tenant", "no-such-tenant", "whoami"]);
    let err = text(&out.stderr);
    assert!(err.contains("tenant org no-such-tenant"), "{err}");
    assert!(err.contains("server's checks"), "{err}");

    // Without a tenant Stand-in checks the target itself, and says nothing of the sort.
    let out = home.run(&["as", USER, "whoami"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("server's checks"));
}
