//! Two `standin profile add` loops at once (as the desktop app and a script would) lose no profile: the
//! profiles file is rewritten under a lock, through a temporary file of its own.

mod support;

use std::process::{Command, Stdio};
use support::{text, Home, PrivateKeyring};

const PER_LOOP: usize = 20;

#[test]
fn two_profile_add_loops_at_once_keep_all_forty_profiles() {
    let mut home = Home::new();
    let keyring = PrivateKeyring::start(home.path());
    keyring.apply(&mut home);
    let bin = env!("CARGO_BIN_EXE_standin");

    // Each loop is a shell running `standin profile add` 20 times; both start at the same moment.
    let spawn_loop = |prefix: &str| {
        let script = format!(
            "for i in $(seq 1 {PER_LOOP}); do \
               printf 'secret-%s' \"$i\" | \"$BIN\" profile add \"{prefix}-$i\" \
                 --base-url https://x.example --client-id \"cid-$i\" || echo \"failed {prefix}-$i\" >&2; \
             done"
        );
        let mut c = Command::new("sh");
        c.args(["-c", &script])
            .env("BIN", bin)
            .env_remove("STANDIN_PROFILE")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in &home.envs {
            c.env(k, v);
        }
        c.spawn().expect("sh runs")
    };
    let a = spawn_loop("app");
    let b = spawn_loop("cli");
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let failures = format!("{}{}", text(&a.stderr), text(&b.stderr));

    let list = home.json(&["profile", "list", "--json"]);
    let mut names: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut expected: Vec<String> = (1..=PER_LOOP)
        .flat_map(|i| [format!("app-{i}"), format!("cli-{i}")])
        .collect();
    expected.sort();
    let lost: Vec<&String> = expected.iter().filter(|n| !names.contains(n)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} profiles lost: {lost:?}\nfailures:\n{failures}",
        lost.len(),
        expected.len()
    );
    assert_eq!(names, expected);
    assert!(
        !failures.contains("failed"),
        "every add succeeded:\n{failures}"
    );
    // Nothing but the file and its lock is left in the config dir: no stray temporary files.
    let mut left: Vec<String> = std::fs::read_dir(home.path().join("config"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["profiles.json", "profiles.json.lock"]);
    // Every secret landed too.
    let stored = keyring.search("dev.standin.console");
    for n in &expected {
        let entry = format!("= profile:{n}");
        assert!(
            stored.lines().any(|l| l.trim_end().ends_with(&entry)),
            "{n} in the keyring"
        );
    }
}
