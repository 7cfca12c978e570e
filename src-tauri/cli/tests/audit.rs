//! `standin audit` and `standin audit verify` as a process: requests recorded before and after, a signed
//! chain that verifies, tampering named with exit code 1, old logs reported, and no keyring → no
//! impersonation.

mod support;

use support::{text, Home, ServedSandbox};

fn audit_file(home: &Home) -> std::path::PathBuf {
    home.path().join("data/audit.jsonl")
}

#[test]
fn requests_are_recorded_and_the_log_verifies_until_it_is_edited() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    home.json(&[
        "as",
        "tom.lee@acme.example",
        "--reason",
        "SUP-1",
        "whoami",
        "--json",
    ]);

    let log = home.json(&["audit", "--json"]);
    let entries = log["entries"].as_array().unwrap();
    let requests: Vec<(&str, Option<u64>)> = entries
        .iter()
        .filter(|e| e["event"] == "impersonation.request")
        .map(|e| (e["phase"].as_str().unwrap(), e["status"].as_u64()))
        .collect();
    assert_eq!(requests, [("sent", None), ("outcome", Some(200))]);
    let n = entries.len();

    let out = home.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), format!("intact, {n} records"));
    let v = home.json(&["audit", "verify", "--json"]);
    assert_eq!(v["status"], "intact");
    assert_eq!(v["records"], n);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(audit_file(&home))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The MAC key is in the keyring, and nowhere in the files or the output.
    let bus = home
        .envs
        .iter()
        .rev()
        .find(|(k, _)| k == "DBUS_SESSION_BUS_ADDRESS")
        .map(|(_, v)| v.clone())
        .expect("a private keyring");
    let key = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "dev.standin.console",
            "username",
            "audit-key",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    let key = text(&key.stdout).trim().to_string();
    assert!(key.len() >= 40, "the audit key is in the keyring");
    let mut seen = text(&out.stdout) + &text(&out.stderr);
    seen.push_str(&log.to_string());
    seen.push_str(&v.to_string());
    for f in walk(home.path()) {
        if !f.starts_with(home.path().join("xdg-data")) {
            seen.push_str(&String::from_utf8_lossy(&std::fs::read(&f).unwrap()));
        }
    }
    assert!(!seen.contains(&key), "the audit key leaked");

    // Change who was impersonated in the second record.
    let path = audit_file(&home);
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert!(lines[1].contains("\"subject\":\"tom.lee@acme.example\""));
    lines[1] = lines[1].replace("tom.lee@acme.example", "x@acme.example");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = home.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stdout);
    assert!(said.starts_with("NOT intact: line 2: edited"), "{said}");
    let v = home.json_allow_failure(&["audit", "verify", "--json"]);
    assert_eq!(v["status"], "broken");
    assert_eq!(v["problem"]["line"], 2);
    assert_eq!(v["problem"]["kind"], "edited");
}

#[test]
fn an_old_log_is_reported_as_legacy_records() {
    let home = Home::new().with_keyring();
    let path = audit_file(&home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let old = r#"{"time":"2026-01-01T00:00:00Z","event":"impersonation.start","profile":"p","actor":"a@x.co","subject":"t@x.co"}"#;
    std::fs::write(&path, format!("{old}\n{old}\n{old}\n")).unwrap();
    let out = home.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "not proven intact");
    assert!(
        text(&out.stdout).starts_with("3 legacy records without a chain"),
        "{}",
        text(&out.stdout)
    );
    // And the log still lists.
    assert_eq!(
        home.json(&["audit", "--json"])["entries"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn without_a_keyring_impersonation_is_refused_and_says_why() {
    let s = ServedSandbox::start(&[]);
    let mut home = Home::new().with_sandbox(&s);
    home.envs.push((
        "DBUS_SESSION_BUS_ADDRESS".into(),
        "unix:path=/nonexistent/bus".into(),
    ));
    let out = home.run(&["as", "tom.lee@acme.example", "whoami", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("error[audit]"), "{err}");
    assert!(err.contains("keyring is not available"), "{err}");
    assert!(err.contains("nothing was done as the user"), "{err}");
    assert!(out.stdout.is_empty(), "nothing was printed as the user");
    // Refused before the token exchange: the sandbox saw no impersonation attempt.
    let token = http(
        &s.base_url,
        "POST /v2/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            s.client_id, s.client_secret
        ),
    );
    let body = token.split("\r\n\r\n").nth(1).unwrap_or_default();
    let token: serde_json::Value = serde_json::from_str(body).expect("a token answer");
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let exchanges = http(
        &s.base_url,
        "GET /sandbox/audit-log",
        &[("Authorization", &bearer)],
        "",
    );
    assert!(exchanges.starts_with("HTTP/1.1 200"), "{exchanges}");
    assert!(!exchanges.contains("tom.lee@acme.example"), "{exchanges}");
    // Nothing unsigned was written either.
    assert_eq!(
        std::fs::read(audit_file(&home)).unwrap_or_default().len(),
        0
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.is_file() {
            out.push(p);
        }
    }
    out
}

/// One plain HTTP/1.1 request to the loopback sandbox: status line, headers and body as text.
fn http(base_url: &str, request_line: &str, headers: &[(&str, &str)], body: &str) -> String {
    use std::io::{Read, Write};
    let host = base_url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    let mut req = format!("{request_line} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}
