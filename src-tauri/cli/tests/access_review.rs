//! `standin access-review` as a process against `standin sandbox serve`: the three scopes, the three
//! formats, `--out`, a user failing alone, a throttled run, and Ctrl-C (SIGINT) mid-run.

mod support;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;
use support::{text, Home, ServedSandbox};

const PARTIAL: i32 = 6;

fn statuses(review: &serde_json::Value) -> Vec<(String, String)> {
    review["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| {
            let o = &u["outcome"];
            let status = match o["status"].as_str().unwrap() {
                "failed" => format!("failed:{}", o["code"].as_str().unwrap()),
                s => s.to_string(),
            };
            (u["email"].as_str().unwrap().to_string(), status)
        })
        .collect()
}

fn count(review: &serde_json::Value, status: &str) -> usize {
    statuses(review).iter().filter(|(_, s)| s == status).count()
}

#[test]
fn the_whole_org_as_json_table_and_csv() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let review = home.json(&["access-review", "--all", "--format", "json"]);
    let users = home.json(&["users", "--json"]);
    let active = users.as_array().unwrap().len();
    assert_eq!(review["users"].as_array().unwrap().len(), active);
    assert!(count(&review, "done") >= 5);
    // Admins are refused rows; a review with only those is still complete (exit 0, checked by `json`).
    assert!(statuses(&review)
        .iter()
        .all(|(_, s)| s == "done" || s == "failed:target_is_admin"));
    assert!(!review["cancelled"].as_bool().unwrap());
    let review_id = review["reviewId"].as_str().unwrap().to_string();

    // The audit log has the review's sessions under its ID.
    let audit = home.json(&["audit", "--json"]);
    let ours: Vec<_> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reviewId"] == review_id.as_str())
        .collect();
    let starts = ours
        .iter()
        .filter(|e| e["event"] == "impersonation.start")
        .count();
    let stops = ours
        .iter()
        .filter(|e| e["event"] == "impersonation.stop")
        .count();
    assert_eq!(starts, count(&review, "done"));
    assert_eq!(stops, starts);

    let out = home.run(&["access-review", "--all", "--type", "workbook"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let header = table.lines().next().unwrap();
    assert!(
        header.starts_with("EMAIL") && header.contains("PERMISSION"),
        "{table}"
    );
    assert!(
        table.contains("workbook") && !table.contains("dataset"),
        "{table}"
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("access review ") && err.contains(" done, "),
        "{err}"
    );
    assert!(
        err.contains("failed: ") && err.contains("error[target_is_admin]"),
        "{err}"
    );

    let out = home.run(&["access-review", "--all", "--format", "csv"]);
    assert!(out.status.success());
    let csv = text(&out.stdout);
    assert!(csv.starts_with("email,name,member_id,status,document_id"));
    assert!(csv.contains("\r\n"));
    assert!(csv.lines().count() > active);
}

#[test]
fn a_team_and_an_email_list_with_unknown_and_malformed_entries() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let teams = home.json(&["teams", "--json"]);
    let team = teams.as_array().unwrap()[0]["teamId"]
        .as_str()
        .unwrap()
        .to_string();
    let roster: BTreeSet<String> = home
        .json(&["team-members", &team, "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["email"].as_str().map(str::to_string))
        .collect();
    let review = home.json_allow_failure(&["access-review", "--team", &team, "--json"]);
    let reviewed: BTreeSet<String> = statuses(&review).into_iter().map(|(e, _)| e).collect();
    assert_eq!(reviewed, roster);

    // From a file, and from stdin with `-`.
    let list = "# reviewers\n\ntom.lee@acme.example\n  casey.nguyen@acme.example  \nnobody@acme.example\nnot-an-email\n";
    let file = home.path().join("emails.txt");
    std::fs::write(&file, list).unwrap();
    let out = home.run(&[
        "access-review",
        "--emails",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(PARTIAL), "{}", text(&out.stderr));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        statuses(&review),
        [
            ("tom.lee@acme.example".into(), "done".into()),
            ("casey.nguyen@acme.example".into(), "done".into()),
            (
                "nobody@acme.example".into(),
                "failed:target_not_found".into()
            ),
            ("not-an-email".into(), "failed:malformed_email".into()),
        ]
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("failed: nobody@acme.example — error[target_not_found]"),
        "{err}"
    );
    assert!(
        err.contains("failed: not-an-email — error[malformed_email]"),
        "{err}"
    );

    let out = home.run_with_stdin(&["access-review", "--emails", "-", "--json"], list);
    assert_eq!(out.status.code(), Some(PARTIAL));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(statuses(&again), statuses(&review));

    // A missing file: exit 1, nothing impersonated.
    let out = home.run(&["access-review", "--emails", "/no/such/file"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[storage]"));
    // No scope: usage error.
    assert_eq!(home.run(&["access-review"]).status.code(), Some(2));
}

#[test]
fn out_writes_the_file_whole_and_stdout_stays_empty() {
    let s = ServedSandbox::start(&[]);
    let home = Home::new().with_sandbox(&s);
    let path = home.path().join("review.csv");
    std::fs::write(&path, "an older export").unwrap();
    let p = path.to_str().unwrap();
    let out = home.run(&["access-review", "--all", "--format", "csv", "--out", p]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("email,"));
    assert!(csv.ends_with("\r\n"));
    let json_path = home.path().join("review.json");
    let out = home.run(&[
        "access-review",
        "--all",
        "--json",
        "--out",
        json_path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert!(v["reviewId"].is_string());
    // Only the two exports (no temporary file left) besides the config, data and keyring dirs.
    let leftovers: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".standin-review-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_user_whose_listing_fails_is_listed_and_the_others_finish() {
    // Every third file listing answers 500; with no retries and one user at a time, the admin's listing
    // (the first) passes and every third user after it fails.
    let s = ServedSandbox::start(&["--fault", "/v2/files:500:every=3"]);
    let mut home = Home::new().with_sandbox(&s);
    home.envs.push(("STANDIN_RETRY_TRIES".into(), "1".into()));
    let out = home.run(&["access-review", "--all", "--concurrency", "1", "--json"]);
    assert_eq!(out.status.code(), Some(PARTIAL), "{}", text(&out.stderr));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed = count(&review, "failed:sigma_error");
    let done = count(&review, "done");
    assert!(failed >= 2, "the fault fired: {:?}", statuses(&review));
    assert!(done >= 2 * failed - 1, "{:?}", statuses(&review));
    let err = text(&out.stderr);
    assert!(err.contains("error[sigma_error]"), "{err}");
}

#[test]
fn a_throttled_review_retries_and_completes() {
    let s = ServedSandbox::start(&["--fault", "/v2/files:429=0:every=4"]);
    let home = Home::new().with_sandbox(&s);
    let out = home.run(&["access-review", "--all", "--concurrency", "4", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("note: Sigma is throttling"),
        "the 429s fired: {err}"
    );
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(statuses(&review)
        .iter()
        .all(|(_, s)| s == "done" || s == "failed:target_is_admin"));
}

#[test]
fn ctrl_c_mid_review_writes_the_partial_result_and_exits_partial() {
    let s = ServedSandbox::start(&["--latency-ms", "150"]);
    let home = Home::new().with_sandbox(&s);
    let path = home.path().join("partial.json");
    let child = home
        .cmd(&[
            "access-review",
            "--all",
            "--concurrency",
            "1",
            "--json",
            "--out",
            path.to_str().unwrap(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Cancel once two users are done (their stops are in the audit log); the rest would take seconds more.
    let log = home.path().join("data").join("audit.jsonl");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::fs::read_to_string(&log)
        .unwrap_or_default()
        .matches("impersonation.stop")
        .count()
        < 2
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no user finished in a minute"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: kill(2) on our own child's PID.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(PARTIAL), "{err}");
    assert!(
        err.contains("cancelling") && err.contains("(cancelled)"),
        "{err}"
    );
    let review: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(review["cancelled"], true);
    assert!(count(&review, "done") >= 1, "{:?}", statuses(&review));
    assert!(count(&review, "notRun") >= 1, "{:?}", statuses(&review));

    // Every session the review started has its stop on record.
    let audit = home.json(&["audit", "--json"]);
    let ours = |event: &str| -> BTreeSet<String> {
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["reviewId"] == review["reviewId"] && e["event"] == event)
            .map(|e| e["sessionId"].as_str().unwrap().to_string())
            .collect()
    };
    let starts = ours("impersonation.start");
    assert!(!starts.is_empty());
    assert_eq!(starts, ours("impersonation.stop"));
    assert!(home.run(&["audit", "verify"]).status.success());
}
