//! Two processes editing the profiles file at once lose nothing. The test re-runs its own binary as the two
//! workers (selected by an environment variable), so they are real processes with their own file handles,
//! as the desktop app and the CLI are; the secrets go to an in-memory store, the file is the real thing.

use standin_core::profile::{Profile, ProfileStore, ProfileUpdate};
use standin_core::secret_store::MemorySecretStore;
use standin_core::Secret;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const WORKER: &str = "STANDIN_PROFILE_LOCK_WORKER";
const PER_WORKER: usize = 20;
const TEST_NAME: &str = "two_processes_adding_editing_and_removing_at_once_lose_nothing";

fn store(dir: &Path) -> ProfileStore {
    ProfileStore::new(dir, Arc::new(MemorySecretStore::new()))
}

/// One worker: waits for the start signal (so both run at once), then adds its 20 profiles, renames each
/// once and removes a scratch profile, reporting every failure on stderr.
fn worker(spec: &str) {
    let (dir, prefix) = spec.split_once('|').expect("dir|prefix");
    let dir = PathBuf::from(dir);
    let go = dir.join("go");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !go.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let store = store(&dir);
    let secret = Secret::new("s");
    for i in 0..PER_WORKER {
        let p = Profile::new(
            &format!("{prefix}-tmp-{i}"),
            "https://x.example",
            "cid",
            None,
        )
        .unwrap();
        if let Err(e) = store.add(p, &secret) {
            eprintln!("FAILED add {prefix}-tmp-{i}: {e}");
            continue;
        }
        let renamed = store.update(
            &format!("{prefix}-tmp-{i}"),
            ProfileUpdate {
                name: Some(format!("{prefix}-{i}")),
                ..Default::default()
            },
        );
        if let Err(e) = renamed {
            eprintln!("FAILED rename {prefix}-tmp-{i}: {e}");
        }
        let scratch = Profile::new(&format!("{prefix}-x"), "https://x.example", "c", None).unwrap();
        if let Err(e) = store.add(scratch, &secret) {
            eprintln!("FAILED add {prefix}-x: {e}");
        } else if let Err(e) = store.remove(&format!("{prefix}-x")) {
            eprintln!("FAILED remove {prefix}-x: {e}");
        }
    }
}

#[test]
fn two_processes_adding_editing_and_removing_at_once_lose_nothing() {
    if let Ok(spec) = std::env::var(WORKER) {
        return worker(&spec);
    }
    let dir = tempfile::tempdir().unwrap();
    let me = std::env::current_exe().unwrap();
    let spawn = |prefix: &str| {
        Command::new(&me)
            .args([TEST_NAME, "--exact", "--test-threads=1", "--nocapture"])
            .env(WORKER, format!("{}|{prefix}", dir.path().display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("app");
    let b = spawn("cli");
    std::fs::write(dir.path().join("go"), "").unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success());
    let failures: Vec<String> = [a.stderr, b.stderr]
        .iter()
        .flat_map(|e| {
            String::from_utf8_lossy(e)
                .into_owned()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|l| l.starts_with("FAILED"))
        .collect();

    let mut names: Vec<String> = store(dir.path())
        .list()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.sort();
    let mut expected: Vec<String> = (0..PER_WORKER)
        .flat_map(|i| [format!("app-{i}"), format!("cli-{i}")])
        .collect();
    expected.sort();
    let lost = expected.iter().filter(|n| !names.contains(n)).count();
    assert_eq!(
        (lost, failures.len()),
        (0, 0),
        "lost {lost} of {} profiles; {} operations failed: {failures:#?}; file holds {names:?}",
        expected.len(),
        failures.len()
    );
    assert_eq!(names, expected, "no scratch or half-renamed profile left");
}
