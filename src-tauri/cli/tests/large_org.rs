//! `standin users` and `standin team-members` on a generated 100,000-member org: every row printed, the
//! first rows printed while later pages are still to be requested (streaming, not collect-then-print), a
//! closed stdout stopping the walk after the first page, and the CLI's peak memory bounded.
//!
//! The sandbox runs in this test process (not `standin sandbox serve`), so its request counter can be read
//! at the moment the CLI prints its first row.
#![cfg(target_os = "linux")]

mod support;

use std::io::{BufRead, BufReader, Read};
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use standin_sandbox::{GenerateSpec, Org, Sandbox, SandboxHandle};
use support::{standin, text};

const USERS: usize = 100_000;
/// Pages of 1,000: the walk of 100,000 members is 100 member requests.
const PAGES: u64 = (USERS / 1000) as u64;
/// Peak resident memory allowed to the CLI listing 100,000 members. Streaming stays near the program's
/// own size (≈ 15–30 MB in a debug build); the collect-then-print code held every member record and the
/// whole JSON text at once, several hundred MB (see the report in BENCHMARKS.md).
const PEAK_RSS_LIMIT_KB: i64 = 100 * 1024;

fn org() -> Org {
    static ORG: OnceLock<Org> = OnceLock::new();
    ORG.get_or_init(|| {
        let spec: GenerateSpec = format!("users={USERS},teams=20,documents=200,seed=3")
            .parse()
            .unwrap();
        Org::generate_spec(&spec)
    })
    .clone()
}

/// A sandbox on its own runtime, serving while the test thread blocks on the CLI's output.
struct Served {
    sandbox: SandboxHandle,
    _runtime: tokio::runtime::Runtime,
}

fn serve(latency: Duration) -> Served {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(Sandbox::start(org())).unwrap();
    sandbox.set_latency(latency);
    Served {
        sandbox,
        _runtime: runtime,
    }
}

fn cli(s: &Served, args: &[&str]) -> Command {
    let creds = s.sandbox.admin_credentials();
    let dir = std::env::temp_dir();
    let mut c = standin();
    c.args(args)
        .env("SIGMA_BASE_URL", s.sandbox.base_url())
        .env("SIGMA_CLIENT_ID", &creds.client_id)
        .env("SIGMA_CLIENT_SECRET", &creds.client_secret)
        .env("STANDIN_CONFIG_DIR", dir.join("standin-large-config"))
        .env("STANDIN_DATA_DIR", dir.join("standin-large-data"))
        .env_remove("SIGMA_TENANT")
        .env_remove("STANDIN_PROFILE")
        .stdin(Stdio::null());
    c
}

/// Watches a child's peak resident set (VmHWM in /proc/PID/status, KiB) until it is gone. Not wait4's
/// ru_maxrss: the child is spawned from this process, which holds the 100k-member org, and the kernel
/// counts the spawning process's memory in the child's ru_maxrss (it shares the address space until exec).
/// VmHWM only ever grows, so the last reading is the peak up to 10 ms before the exit.
fn watch_peak(pid: u32) -> std::thread::JoinHandle<i64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let Some(hwm) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
            else {
                break; // a zombie: its memory is gone
            };
            peak = peak.max(hwm);
            std::thread::sleep(Duration::from_millis(10));
        }
        peak
    })
}

struct Listing {
    lines: usize,
    first_row_requests: u64,
    total_requests: u64,
    status: i32,
    peak_kb: i64,
    stderr: String,
    /// For --json: the parsed array.
    json: Option<Vec<serde_json::Value>>,
}

/// Runs a listing, notes the sandbox's request count when the first row arrives, reads the rest.
fn list(s: &Served, args: &[&str], json: bool) -> Listing {
    let mut child = cli(s, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("standin runs");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut err = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut e = String::new();
        let _ = err.read_to_string(&mut e);
        e
    });
    let peak = watch_peak(child.id());
    let before = s.sandbox.request_count();
    let mut line = String::new();
    // The header (or `[`) comes with the first page; the first row is the line after it.
    out.read_line(&mut line).unwrap();
    let mut all = line.clone();
    line.clear();
    out.read_line(&mut line).unwrap();
    let first_row_requests = s.sandbox.request_count() - before;
    all.push_str(&line);
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    all.push_str(&rest);
    let status = child.wait().unwrap().code().unwrap_or(-1);
    let peak_kb = peak.join().unwrap();
    let json = json.then(|| {
        serde_json::from_str(&all).unwrap_or_else(|e| panic!("{args:?}: not one JSON array: {e}"))
    });
    Listing {
        lines: all.lines().count(),
        first_row_requests,
        total_requests: s.sandbox.request_count() - before,
        status,
        peak_kb,
        stderr: err_reader.join().unwrap(),
        json,
    }
}

/// `first_row_within`: requests allowed before the first row (the token and a page or two; for a team, the
/// walk of its ID list comes first).
// The measurements go to the test's own stderr (shown with --nocapture); the CLI's printing rule is for the CLI.
#[allow(clippy::disallowed_macros)]
fn assert_streamed(l: &Listing, what: &str, first_row_within: u64) {
    assert_eq!(l.status, 0, "{what}: {}", l.stderr);
    eprintln!(
        "{what}: {} lines, first row after {} of {} requests, peak RSS {} MiB",
        l.lines,
        l.first_row_requests,
        l.total_requests,
        l.peak_kb / 1024
    );
    assert!(
        l.total_requests > PAGES,
        "{what}: {} requests",
        l.total_requests
    );
    // Collect-then-print would have made all of them before printing anything: here the first row comes
    // while at least 90 member pages are still to be asked for.
    assert!(
        l.first_row_requests <= first_row_within && l.total_requests - l.first_row_requests >= 90,
        "{what}: the first row came after {} requests",
        l.first_row_requests
    );
    assert!(
        l.peak_kb < PEAK_RSS_LIMIT_KB,
        "{what}: peak RSS {} KiB, over {} KiB",
        l.peak_kb,
        PEAK_RSS_LIMIT_KB
    );
}

#[test]
fn users_prints_all_100k_rows_as_the_pages_arrive_in_bounded_memory() {
    // 5 ms a request: the walk takes at least half a second, so "first row before the last request"
    // cannot be a race the CLI happens to win.
    let s = serve(Duration::from_millis(5));
    let table = list(&s, &["users", "--all"], false);
    assert_streamed(&table, "users --all", 5);
    assert_eq!(table.lines, USERS + 1, "the header and every user");
    assert!(
        table.stderr.contains(&format!("{USERS} users")),
        "{}",
        table.stderr
    );

    let json = list(&s, &["users", "--all", "--json"], true);
    assert_streamed(&json, "users --all --json", 5);
    let rows = json.json.unwrap();
    assert_eq!(rows.len(), USERS);
    let ids: std::collections::HashSet<&str> = rows
        .iter()
        .map(|r| r["memberId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), USERS, "nobody twice");
}

#[test]
fn team_members_of_a_100k_team_stream_too() {
    let s = serve(Duration::from_millis(5));
    let teams = cli(&s, &["teams", "--json"]).output().unwrap();
    let teams: serde_json::Value = serde_json::from_slice(&teams.stdout).unwrap();
    let everyone = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "All staff")
        .expect("the generated All staff team");
    let id = everyone["teamId"].as_str().unwrap();
    let table = list(&s, &["team-members", id], false);
    // The team's ID list (100 pages of IDs) is walked first: Sigma's team list has no names or emails,
    // and the member records then come from the org walk, printed page by page.
    assert_streamed(&table, "team-members", PAGES + 5);
    assert_eq!(table.lines, USERS + 1);
    let json = list(&s, &["team-members", id, "--json"], true);
    assert_streamed(&json, "team-members --json", PAGES + 5);
    let rows = json.json.unwrap();
    assert_eq!(rows.len(), USERS);
    assert!(rows
        .iter()
        .all(|r| r["email"].is_string() && r["userId"].is_string()));
}

#[test]
fn a_reader_that_stops_after_one_line_stops_the_walk() {
    let s = serve(Duration::ZERO);
    for args in [&["users", "--all"][..], &["users", "--all", "--json"][..]] {
        let (mut reader, writer) = std::io::pipe().unwrap();
        // SAFETY: resizes the kernel buffer of a pipe we own, to one page: the first page of rows (≈100
        // KB) cannot fit, so the CLI is still writing it when the reader goes.
        let size = unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
        assert!(size >= 4096);
        let before = s.sandbox.request_count();
        let mut cmd = cli(&s, args);
        let child = cmd.stdout(writer).stderr(Stdio::piped()).spawn().unwrap();
        drop(cmd);
        let mut byte = [0u8; 1];
        let mut first = Vec::new();
        while reader.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            first.push(byte[0]);
        }
        drop(reader);
        let out = child.wait_with_output().unwrap();
        let requests = s.sandbox.request_count() - before;
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(
            !text(&out.stderr).contains("error["),
            "{}",
            text(&out.stderr)
        );
        assert!(!first.is_empty());
        // The token and the first page (a second may already be in flight): not the other 99.
        assert!(
            requests <= 4,
            "{args:?}: {requests} requests after the reader left"
        );
    }
}
