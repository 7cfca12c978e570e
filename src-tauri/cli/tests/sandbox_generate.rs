//! `standin sandbox serve --generate SPEC --latency-ms N`: a generated org (the same spec serves the same
//! bytes from two processes), clear errors for a bad spec, the delay applied to every response, and the
//! demo org unchanged without the switches.

mod support;

use std::time::{Duration, Instant};
use support::{standin, text, Home, ServedSandbox};

/// A home pointed at `s` through the environment (no keyring: listings need none).
fn home_for(s: &ServedSandbox) -> Home {
    let mut home = Home::new();
    home.envs
        .push(("SIGMA_BASE_URL".into(), s.base_url.clone()));
    home.envs
        .push(("SIGMA_CLIENT_ID".into(), s.client_id.clone()));
    home.envs
        .push(("SIGMA_CLIENT_SECRET".into(), s.client_secret.clone()));
    home
}

fn run(home: &Home, args: &[&str]) -> Vec<u8> {
    let out = home.run(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    out.stdout
}

#[test]
fn the_same_spec_serves_the_same_org_from_two_processes() {
    let spec = "users=2500,teams=30,documents=400,seed=11";
    let a = ServedSandbox::start(&["--generate", spec]);
    let b = ServedSandbox::start(&["--generate", spec]);
    assert_eq!(
        (&a.client_id, &a.admin_email),
        (&b.client_id, &b.admin_email)
    );
    let (ha, hb) = (home_for(&a), home_for(&b));
    for args in [
        &["users", "--all", "--json"][..],
        &["teams", "--json"][..],
        &["users", "--search", "zhang"][..],
    ] {
        let (x, y) = (run(&ha, args), run(&hb, args));
        assert!(x.len() > 1000, "{args:?} printed {} bytes", x.len());
        assert!(x == y, "{args:?} differs between two sandboxes of {spec}");
    }
    let users: Vec<serde_json::Value> =
        serde_json::from_slice(&run(&ha, &["users", "--all", "--json"])).unwrap();
    assert_eq!(users.len(), 2500);
    let teams: Vec<serde_json::Value> =
        serde_json::from_slice(&run(&ha, &["teams", "--json"])).unwrap();
    assert_eq!(teams.len(), 30);
}

#[test]
fn a_bad_spec_says_what_is_wrong() {
    for (spec, says) in [
        ("users=abc", "users=abc: not a number"),
        ("users=10,colour=3", "unknown key \"colour\""),
        ("users=5000000", "users=5000000: at most 1000000"),
        ("teams=3", "users=N is required"),
    ] {
        let out = standin()
            .args(["sandbox", "serve", "--port", "0", "--generate", spec])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{spec} was accepted");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{spec}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = standin()
        .args(["sandbox", "serve", "--port", "0", "--latency-ms", "soon"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--latency-ms"));
}

#[test]
fn latency_delays_every_response_and_the_demo_org_is_the_default() {
    let plain = ServedSandbox::start(&[]);
    assert_eq!(plain.admin_email, standin_sandbox::DEMO_ADMIN_EMAIL);
    assert_eq!(plain.client_id, standin_sandbox::DEMO_ADMIN_CLIENT_ID);
    let slow = ServedSandbox::start(&["--latency-ms", "400"]);
    assert_eq!(slow.admin_email, plain.admin_email, "still the demo org");
    let time = |s: &ServedSandbox| {
        let home = home_for(s);
        let started = Instant::now();
        let out = run(&home, &["users", "--json"]);
        (started.elapsed(), out)
    };
    let (fast, fast_out) = time(&plain);
    let (delayed, slow_out) = time(&slow);
    assert_eq!(fast_out, slow_out, "the same answers, later");
    // Two requests at least (the token, one page), each 400 ms late.
    assert!(
        delayed >= Duration::from_millis(800),
        "with --latency-ms 400: {delayed:?}"
    );
    assert!(
        delayed >= fast + Duration::from_millis(700),
        "{fast:?} without, {delayed:?} with"
    );
}
