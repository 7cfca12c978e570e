//! The audit log across processes: a writer killed with SIGKILL mid-loop loses no record it acknowledged,
//! and two processes appending at once keep one unbroken chain. This binary is both the test and (with
//! `--child`) the writer it spawns, so it runs without libtest (`harness = false` in Cargo.toml).

use standin_core::audit::{
    read_audit_log, verify_audit_log, AuditEntry, AuditEvent, AuditProblemKind, AuditSink,
    JsonlAuditLog, AUDIT_KEY_ACCOUNT,
};
use standin_core::secret_store::{MemorySecretStore, SecretStore};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// The writers share the parent's key (a test key) through this variable.
const KEY_VAR: &str = "STANDIN_TEST_AUDIT_KEY";

fn entry(tag: &str, n: u64) -> AuditEntry {
    let mut e = AuditEntry::new(
        AuditEvent::Request,
        time::OffsetDateTime::now_utc(),
        "crash-test",
        "admin@x.co",
        "tom@x.co",
    );
    e.method = Some("GET".into());
    // Long enough that a write takes a moment, so the kill can land anywhere.
    e.path = Some(format!("/{tag}/{n}/{}", "x".repeat(2000)));
    e
}

fn store_with(key: Option<&str>) -> MemorySecretStore {
    let keys = MemorySecretStore::new();
    if let Some(k) = key {
        keys.set(AUDIT_KEY_ACCOUNT, &standin_core::Secret::new(k))
            .unwrap();
    }
    keys
}

/// `--child PATH TAG COUNT`: append COUNT records (0 = until killed), printing each sequence number once
/// `record` has returned, i.e. once it is acknowledged.
fn child(args: &[String]) {
    let path = PathBuf::from(&args[0]);
    let tag = &args[1];
    let count: u64 = args[2].parse().unwrap();
    let key = std::env::var(KEY_VAR).expect("the parent passes the key");
    let log = JsonlAuditLog::new(path, Arc::new(store_with(Some(&key))));
    let stdout = std::io::stdout();
    let mut n = 0u64;
    // A cap so a writer whose parent died does not run forever.
    while (count == 0 && n < 1_000_000) || n < count {
        log.record(&entry(tag, n)).expect("record");
        let mut out = stdout.lock();
        writeln!(out, "{n}").unwrap();
        out.flush().unwrap();
        n += 1;
    }
}

fn spawn_writer(path: &Path, tag: &str, count: u64, key: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--child",
            &path.display().to_string(),
            tag,
            &count.to_string(),
        ])
        .env(KEY_VAR, key)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the writer starts")
}

/// A log whose key is made by a first record; returns the stored key for the writers.
fn new_log(dir: &Path) -> (PathBuf, MemorySecretStore, String) {
    let path = dir.join("audit.jsonl");
    let keys = store_with(None);
    JsonlAuditLog::new(path.clone(), Arc::new(keys.clone()))
        .record(&entry("parent", 0))
        .unwrap();
    let key = keys.get(AUDIT_KEY_ACCOUNT).unwrap().unwrap();
    (path, keys, key.expose().to_string())
}

fn paths_in(path: &Path) -> HashSet<String> {
    read_audit_log(path)
        .unwrap()
        .entries
        .into_iter()
        .filter_map(|e| e.path)
        .map(|p| p.split('/').take(3).collect::<Vec<_>>().join("/"))
        .collect()
}

fn sigkill_loses_no_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let (path, keys, key) = new_log(dir.path());
    let mut writer = spawn_writer(&path, "w", 0, &key);
    let mut lines = BufReader::new(writer.stdout.take().unwrap()).lines();
    let mut acked: Vec<u64> = Vec::new();
    while acked.len() < 300 {
        acked.push(lines.next().unwrap().unwrap().parse().unwrap());
    }
    writer.kill().unwrap(); // SIGKILL on Unix
    writer.wait().unwrap();
    // Whatever it printed before dying was acknowledged too.
    for l in lines {
        acked.push(l.unwrap().parse().unwrap());
    }
    let found = paths_in(&path);
    for n in &acked {
        assert!(
            found.contains(&format!("/w/{n}")),
            "acknowledged record {n} is missing"
        );
    }
    let v = verify_audit_log(&path, &keys).unwrap();
    match &v.problem {
        None => assert!(v.is_intact()),
        // A write cut by the kill: only ever the last line, and never an acknowledged record (all of
        // those were found above, and a cut line is not a readable record).
        Some(p) => {
            assert_eq!(p.kind, AuditProblemKind::Truncated, "{}", v.summary());
            assert_eq!(p.line, v.records + 1, "{}", v.summary());
        }
    }
    // The parent's first record, then at least every acknowledged one.
    assert!(v.records as usize > acked.len(), "{}", v.summary());
    // The next writer carries on with an unbroken chain.
    JsonlAuditLog::new(path.clone(), Arc::new(keys.clone()))
        .record(&entry("after", 0))
        .unwrap();
    let v = verify_audit_log(&path, &keys).unwrap();
    assert!(v.is_intact(), "{}", v.summary());
    println!(
        "sigkill: {} acknowledged, {} records in the file, {}",
        acked.len(),
        v.records,
        v.summary()
    );
}

fn two_processes_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (path, keys, key) = new_log(dir.path());
    let per_writer = 200;
    let writers: Vec<Child> = ["a", "b"]
        .iter()
        .map(|t| spawn_writer(&path, t, per_writer, &key))
        .collect();
    let mut acked = Vec::new();
    for (w, tag) in writers.into_iter().zip(["a", "b"]) {
        let out = w.wait_with_output().unwrap();
        assert!(out.status.success(), "writer {tag} failed");
        for l in String::from_utf8(out.stdout).unwrap().lines() {
            acked.push(format!("/{tag}/{l}"));
        }
    }
    assert_eq!(acked.len() as u64, 2 * per_writer);
    let found = paths_in(&path);
    for a in &acked {
        assert!(found.contains(a), "acknowledged record {a} is missing");
    }
    let v = verify_audit_log(&path, &keys).unwrap();
    assert!(v.is_intact(), "{}", v.summary());
    assert_eq!(v.records, 2 * per_writer + 1);
    // The writers really did interleave (otherwise this proves nothing about the lock).
    let order: Vec<char> = read_audit_log(&path)
        .unwrap()
        .entries
        .iter()
        .filter_map(|e| e.path.as_ref()?.chars().nth(1))
        .collect();
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    println!(
        "two processes: {} records, {switches} switches between writers, {}",
        v.records,
        v.summary()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        return child(&args[i + 1..]);
    }
    // libtest-style arguments (filters, --nocapture) are accepted and ignored: both tests always run.
    if args.iter().any(|a| a == "--list") {
        println!("sigkill_loses_no_acknowledged_record: test\ntwo_processes_keep_one_chain: test");
        return;
    }
    sigkill_loses_no_acknowledged_record();
    two_processes_keep_one_chain();
    println!("test result: ok. 2 passed");
}
