//! `standin` in pipes: a reader that stops early (`standin users | head -1`) ends the program quietly, and
//! text from the server reaches a terminal without control characters.
//!
//! The closed-pipe tests are deterministic: the pipe is shrunk to one page (F_SETPIPE_SZ) and read one byte at
//! a time up to the first newline, so when the output is larger than a page plus a line the program is
//! certain to write after the reader has gone (a pipe of the default 64 KiB could swallow the whole table and
//! let the test pass without ever reaching the broken-pipe path).
#![cfg(target_os = "linux")]

mod support;

use std::io::Read;
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use support::{text, Home, ServedSandbox};

const PAGE: libc::c_int = 4096;

struct Piped {
    first_line: String,
    status: std::process::ExitStatus,
    stderr: String,
    /// Bytes the program wrote before the reader went away would be more than this.
    total_if_read: usize,
}

/// Runs `cmd` with stdout a one-page pipe, reads the first line, closes the pipe, waits for the program.
fn first_line_then_close(mut cmd: Command) -> Piped {
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    // SAFETY: fcntl on a pipe descriptor we own; F_SETPIPE_SZ only resizes the kernel buffer.
    let size = unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, PAGE) };
    assert!(
        size >= PAGE,
        "F_SETPIPE_SZ: {}",
        std::io::Error::last_os_error()
    );
    let child = cmd
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("standin runs");
    // `cmd` still holds the write end: drop it so the reader sees only the child's.
    drop(cmd);
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while reader.read(&mut byte).expect("read the pipe") == 1 {
        line.push(byte[0]);
        if byte[0] == b'\n' {
            break;
        }
    }
    drop(reader);
    let out = child.wait_with_output().expect("standin ends");
    Piped {
        first_line: text(&line),
        status: out.status,
        stderr: text(&out.stderr),
        total_if_read: size as usize + line.len(),
    }
}

/// Quiet: no panic, no error, and exit 0 (141, death by SIGPIPE as a shell reports it, is also what `head`
/// users expect; this CLI exits 0 so the session and audit log are closed properly).
fn assert_quiet(p: &Piped, what: &str) {
    assert!(
        !p.stderr.contains("panicked") && !p.stderr.contains("Broken pipe"),
        "{what}: stderr was {:?}",
        p.stderr
    );
    assert!(
        !p.stderr.contains("error["),
        "{what}: an error on a closed pipe: {:?}",
        p.stderr
    );
    use std::os::unix::process::ExitStatusExt;
    assert!(
        p.status.code() == Some(0) || p.status.signal() == Some(libc::SIGPIPE),
        "{what}: exit status {:?}, stderr {:?}",
        p.status,
        p.stderr
    );
}

/// The full output, to check it is larger than what the pipe can hold (else the test would prove nothing).
fn full_output(home: &Home, args: &[&str]) -> String {
    let out = home.run(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_closed_stdout_ends_users_quietly() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    for args in [&["users", "--all"][..], &["users", "--all", "--json"][..]] {
        let full = full_output(&home, args);
        let p = first_line_then_close(home.cmd(args));
        assert!(
            full.len() > p.total_if_read,
            "{args:?} prints {} bytes: too few to fill the pipe",
            full.len()
        );
        assert_eq!(
            p.first_line,
            full.lines().next().unwrap().to_string() + "\n"
        );
        assert_quiet(&p, &format!("{args:?}"));
    }
}

#[test]
fn a_closed_stdout_ends_an_impersonation_quietly_and_still_stops_the_session() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let args = ["as", "tom.lee@acme.example", "compare"];
    let full = full_output(&home, &args);
    let p = first_line_then_close(home.cmd(&args));
    assert!(
        full.len() > p.total_if_read,
        "compare prints {} bytes: too few to fill the pipe",
        full.len()
    );
    assert!(p.first_line.contains("DIFFERENCE"), "{:?}", p.first_line);
    assert_quiet(&p, "as … compare");
    // The session was stopped and recorded even though nobody read the table: as many stops as starts.
    let audit = home.json(&["audit", "--json"]);
    let count = |event: &str| {
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == event)
            .count()
    };
    assert_eq!(count("impersonation.start"), 2);
    assert_eq!(count("impersonation.stop"), 2);
}

/// Runs `cmd` with stdout a pipe whose reader is gone before the program writes anything (`… | true`).
fn reader_gone_before_any_output(mut cmd: Command) -> Piped {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let child = cmd
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("standin runs");
    drop(cmd);
    let out = child.wait_with_output().expect("standin ends");
    Piped {
        first_line: String::new(),
        status: out.status,
        stderr: text(&out.stderr),
        total_if_read: 0,
    }
}

#[test]
fn every_printing_command_is_quiet_when_nobody_reads() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let teams = home.json(&["teams", "--json"]);
    let team_id = teams[0]["teamId"].as_str().unwrap().to_string();
    let tom = "tom.lee@acme.example";
    let commands: Vec<Vec<&str>> = vec![
        vec!["users"],
        vec!["teams"],
        vec!["team-members", &team_id],
        vec!["user", tom],
        vec!["as", tom, "whoami"],
        vec!["as", tom, "files"],
        vec!["as", tom, "my-documents"],
        vec!["as", tom, "compare"],
        vec!["as", tom, "get", "/v2/whoami"],
        vec!["audit"],
        vec!["profile", "list"],
        vec!["profile", "regions"],
    ];
    for args in &commands {
        for json in [false, true] {
            let mut args = args.clone();
            if json {
                args.push("--json");
            }
            // Each prints something when read: else the closed pipe would never be written to.
            assert!(!full_output(&home, &args).is_empty(), "{args:?} prints");
            let p = reader_gone_before_any_output(home.cmd(&args));
            assert_quiet(&p, &format!("{args:?}"));
        }
    }
}

#[test]
fn stdout_and_stderr_into_one_closed_pipe_is_quiet_too() {
    // `standin users 2>&1 | head -1`: the summary line on stderr meets the same closed pipe.
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let (mut reader, writer) = std::io::pipe().unwrap();
    // SAFETY: as above.
    unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, PAGE) };
    let mut cmd = home.cmd(&["users", "--all"]);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .unwrap();
    drop(cmd);
    let mut byte = [0u8; 1];
    while reader.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {}
    drop(reader);
    let status = child.wait().unwrap();
    // A panic would exit 101; nothing can be read from the closed pipe, so the status is the evidence.
    assert_eq!(status.code(), Some(0), "{status:?}");
}

const EVIL: &str = "\u{1b}[31mEVIL\u{1b}[0m";

/// A fixture whose names carry terminal escapes, C1 controls, newlines and bidi overrides.
fn hostile_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let org = serde_json::json!({
        "name": "Hostile \u{1b}]0;pwned\u{7} Org",
        "apiClients": [{
            "clientId": "hostile-admin",
            "clientSecret": "hostile-admin-secret",
            "owner": "ada@hostile.example"
        }],
        "members": [
            { "email": "ada@hostile.example", "firstName": "Ada", "lastName": "Admin", "accountType": "Admin" },
            { "email": "eve@hostile.example", "firstName": EVIL, "lastName": "Line\nBreak\tTab\u{9b}2J",
              "accountType": "Creator" },
            { "email": "bidi@hostile.example", "firstName": "\u{202e}gnp.exe", "lastName": "\u{2066}x\u{2069}",
              "accountType": "Viewer" }
        ],
        "teams": [
            { "name": "Team \u{1b}[2J\u{1b}[H", "description": "desc\r\noverwrite", "members": ["eve@hostile.example"] }
        ],
        "documents": [
            { "name": "Shared", "type": "workspace", "owner": "ada@hostile.example",
              "grants": [ { "user": "eve@hostile.example", "permission": "view" } ] },
            { "name": "Report \u{1b}[8mhidden\u{1b}[28m", "type": "workbook", "parent": "Shared",
              "owner": "ada@hostile.example" }
        ]
    });
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_string_pretty(&org).unwrap()).unwrap();
    path
}

/// No C0 (tab and newline included), DEL or C1 control and no bidi override in a line of terminal output.
fn assert_clean(output: &str, what: &str) {
    for line in output.lines() {
        let bad: Vec<char> = line
            .chars()
            .filter(|c| {
                c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(bad.is_empty(), "{what}: {bad:?} in {line:?}");
    }
}

#[test]
fn server_text_reaches_the_terminal_without_control_characters() {
    let home_dir = tempfile::tempdir().unwrap();
    let fixture = hostile_fixture(home_dir.path());
    let s = ServedSandbox::start(&["--org", fixture.to_str().unwrap()]);
    let home = Home::new().with_sandbox(&s);

    let out = home.run(&["users"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert_clean(&table, "users");
    // The text is kept, only the controls go: the name still reads EVIL, the row is still one line.
    let evil_row = table
        .lines()
        .find(|l| l.contains("eve@hostile.example"))
        .unwrap_or_else(|| panic!("eve's row in\n{table}"));
    assert!(
        evil_row.contains("EVIL") && evil_row.contains("Line Break Tab"),
        "{evil_row}"
    );
    assert!(
        !evil_row.contains("[31m"),
        "the whole escape sequence goes: {evil_row}"
    );
    assert_eq!(table.lines().count(), 4, "header + 3 users:\n{table}");

    // JSON stays exact: serde escapes the controls, and the parsed value is the server's text.
    let users = home.json(&["users", "--json"]);
    let eve = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "eve@hostile.example")
        .unwrap();
    assert_eq!(eve["firstName"], EVIL);
    let raw = text(&home.run(&["users", "--json"]).stdout);
    assert!(raw.contains("\\u001b[31mEVIL"), "JSON escapes ESC");
    assert_clean(&raw, "users --json");

    for args in [
        vec!["teams"],
        vec!["user", "eve@hostile.example"],
        vec!["as", "eve@hostile.example", "files"],
        vec!["as", "eve@hostile.example", "compare"],
        vec!["audit"],
    ] {
        let out = home.run(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert_clean(&text(&out.stdout), &format!("{args:?} stdout"));
        assert_clean(&text(&out.stderr), &format!("{args:?} stderr"));
    }

    // Sigma's error message echoes the ID it was given; it is cleaned before it reaches stderr.
    let out = home.run(&["user", "id-\u{1b}[31mX\u{1b}]0;title\u{7}-\u{202e}"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("error[not_found]") && err.contains("id-X"),
        "{err:?}"
    );
    assert_clean(&err, "error message");
}
