//! Profiles with the real OS keyring: a private D-Bus session and gnome-keyring per test, so nothing touches
//! the developer's own keyring. The secret goes in through stdin, lands in the keyring, and never in a file.

mod support;

use support::{text, Home, PrivateKeyring, ServedSandbox};

#[test]
fn add_list_show_edit_test_rotate_remove_with_the_real_keyring() {
    let s = ServedSandbox::start(&[]);
    let mut home = Home::new();
    let keyring = PrivateKeyring::start(home.path());
    keyring.apply(&mut home);

    let out = home.run_with_stdin(
        &[
            "profile",
            "add",
            "sandbox",
            "--base-url",
            &s.base_url,
            "--client-id",
            &s.client_id,
        ],
        &format!("{}\n", s.client_secret),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // In the keyring, under the app's service name; not in the profiles file.
    let stored = keyring.search("dev.standin.console");
    assert!(stored.contains("profile:sandbox"), "{stored}");
    let file = std::fs::read_to_string(home.path().join("config/profiles.json")).unwrap();
    assert!(
        file.contains(&s.client_id) && !file.contains(&s.client_secret),
        "{file}"
    );

    let list = home.json(&["profile", "list", "--json"]);
    assert_eq!(list[0]["name"], "sandbox");
    assert_eq!(list[0]["baseUrl"], s.base_url.as_str());
    let show = home.json(&["profile", "show", "sandbox", "--json"]);
    assert_eq!(show["hasSecret"], true);
    assert_eq!(show["region"], "Custom");
    assert!(!show.to_string().contains(&s.client_secret));

    let test = home.json(&["profile", "test", "sandbox", "--json"]);
    assert_eq!(test["email"], s.admin_email.as_str());
    assert_eq!(test["canImpersonate"], true);

    // The profile drives every command, offline-stored secret and all.
    let users = home.json(&["--profile", "sandbox", "users", "--json"]);
    assert!(users.as_array().unwrap().len() >= 30);

    // Edit (rename moves the keyring entry), rotate to a wrong secret (401), rotate back.
    let out = home.run(&[
        "profile", "edit", "sandbox", "--rename", "demo", "--tenant", "t-1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stored = keyring.search("dev.standin.console");
    assert!(
        stored.contains("profile:demo") && !stored.contains("profile:sandbox"),
        "{stored}"
    );
    home.run(&["profile", "edit", "demo", "--clear-tenant"]);
    let out = home.run_with_stdin(&["profile", "rotate", "demo"], "wrong\n");
    assert!(out.status.success());
    let out = home.run(&["profile", "test", "demo"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    home.run_with_stdin(
        &["profile", "rotate", "demo"],
        &format!("{}\n", s.client_secret),
    );
    assert!(home.run(&["profile", "test", "demo"]).status.success());

    // Adding works offline, and an empty secret or a bad URL is refused.
    let out = home.run_with_stdin(
        &[
            "profile",
            "add",
            "acme",
            "--region",
            "AWS Europe",
            "--client-id",
            "abc",
        ],
        "s3cret\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let acme = home.json(&["profile", "show", "acme", "--json"]);
    assert_eq!(acme["baseUrl"], "https://api.eu.aws.sigmacomputing.com");
    let out = home.run_with_stdin(
        &[
            "profile",
            "add",
            "x",
            "--base-url",
            "https://x.example",
            "--client-id",
            "c",
        ],
        "\n",
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("no client secret"));
    let out = home.run_with_stdin(
        &[
            "profile",
            "add",
            "y",
            "--base-url",
            "http://x.example",
            "--client-id",
            "c",
        ],
        "s\n",
    );
    assert!(text(&out.stderr).contains("plain http"));

    for name in ["demo", "acme"] {
        let out = home.run(&["profile", "remove", name]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert!(!keyring.search("dev.standin.console").contains("profile:"));
    let out = home.run(&["profile", "show", "demo"]);
    assert!(text(&out.stderr).contains("no profile named 'demo'"));
}

#[test]
fn the_secret_is_never_an_argument() {
    let out = support::standin()
        .args([
            "profile",
            "add",
            "x",
            "--base-url",
            "https://x.example",
            "--client-id",
            "c",
            "--client-secret",
            "s",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap rejects an unknown flag");
}

#[test]
fn without_a_keyring_the_error_says_so() {
    let home = Home::new();
    let out = home
        .cmd(&[
            "profile",
            "add",
            "x",
            "--base-url",
            "https://x.example",
            "--client-id",
            "c",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap();
    // No secret on stdin comes first; give one and see the keyring error.
    assert_ne!(out.status.code(), Some(0));
    let out = home.run_with_stdin(&["profile", "list"], "");
    assert!(out.status.success(), "listing works with no keyring at all");
    let mut c = home.cmd(&[
        "profile",
        "add",
        "x",
        "--base-url",
        "https://x.example",
        "--client-id",
        "c",
    ]);
    c.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"secret\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("keyring"), "{err}");
    assert!(
        !home.path().join("config/profiles.json").exists(),
        "no profile without its secret"
    );
}
