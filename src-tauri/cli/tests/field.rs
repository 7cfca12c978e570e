//! `standin` against a sandbox that misbehaves like a real network (`standin sandbox serve --fault`): the
//! admin token expiring mid-walk, every third page throttled (JSON and HTML) or failing, a session token
//! Sigma stops accepting. Each case first shows the fault fires (the same walk fails with retries off).

mod support;

use support::{text, Home, ServedSandbox};

fn users(home: &Home, extra_env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = home.cmd(&["users", "--json", "--page-size", "4"]);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.stdin(std::process::Stdio::null()).output().unwrap()
}

fn count(out: &std::process::Output) -> usize {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
        .unwrap()
        .len()
}

#[test]
fn the_admin_token_expiring_mid_walk_is_renewed_and_the_listing_completes() {
    let plain = ServedSandbox::start(&[]);
    let everyone = count(&users(&Home::new().with_sandbox(&plain), &[]));
    assert!(everyone >= 30);

    let faulty = ServedSandbox::start(&["--fault", "/v2/members:expire-token:every=3"]);
    let home = Home::new().with_sandbox(&faulty);
    // ≈10 pages of 4: the token expires on the 3rd, 6th and 9th page request.
    assert_eq!(
        count(&users(&home, &[])),
        everyone,
        "nobody lost, nobody twice"
    );

    // With the old behaviour (no renewal) the same walk stops with a 401: shown by a sandbox that
    // expires the token on every page, where one renewal per request cannot help.
    let always = ServedSandbox::start(&["--fault", "/v2/members:expire-token:every=1"]);
    let out = users(&Home::new().with_sandbox(&always), &[]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("error[unauthorized]"));
}

#[test]
fn throttled_and_failing_pages_are_retried_and_said_on_stderr() {
    let plain = ServedSandbox::start(&[]);
    let everyone = count(&users(&Home::new().with_sandbox(&plain), &[]));
    for spec in [
        "/v2/members:429=1:every=3",
        "/v2/members:html-429:every=3",
        "/v2/members:500:every=3",
        "/v2/members:drop:every=3",
    ] {
        let faulty = ServedSandbox::start(&["--fault", spec]);
        let home = Home::new().with_sandbox(&faulty);
        let out = users(&home, &[]);
        assert_eq!(count(&out), everyone, "{spec}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("note: "), "{spec}: {stderr}");
        assert!(stderr.contains("retrying in"), "{spec}: {stderr}");
        if spec.contains("429") {
            assert!(stderr.contains("Sigma is throttling"), "{spec}: {stderr}");
        }
        // The fault really fires: with one try only, the same listing fails.
        let out = users(&home, &[("STANDIN_RETRY_TRIES", "1")]);
        assert!(!out.status.success(), "{spec} without retries");
        assert!(
            matches!(out.status.code(), Some(4) | Some(5)),
            "{spec}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_session_token_sigma_stops_accepting_ends_the_session_clearly() {
    let faulty = ServedSandbox::start(&["--fault", "/v2/files:expire-token"]);
    let home = Home::new().with_sandbox(&faulty);
    let out = home.run(&["as", "tom.lee@acme.example", "--reason", "SUP-1", "files"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("error[session_ended_by_server]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the session expired on the server"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // On record: the start, the request, and the end as an expiry the server caused — once.
    let log = home.json(&["audit", "--json"]);
    let entries = log["entries"].as_array().unwrap();
    let ends: Vec<_> = entries
        .iter()
        .filter(|e| e["event"] == "impersonation.expired" || e["event"] == "impersonation.stop")
        .collect();
    assert_eq!(ends.len(), 1, "{entries:?}");
    assert_eq!(ends[0]["detail"], "rejected_by_server");
}
