//! What `standin as EMAIL compare` puts on the wire, request by request, read from the sandbox's wire log:
//! a guard against an extra token grant, a duplicate lookup, a small page size or a second connection
//! creeping in (BENCHMARKS.md §2 measures what each costs), and what it leaves in the audit log.

mod support;

use standin_sandbox::{Org, Sandbox, DEMO_USER_EMAIL};
use support::{text, Home};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compare_sends_only_the_requests_it_needs_on_one_connection() {
    let sandbox = Sandbox::start(Org::demo()).await.expect("sandbox");
    let creds = sandbox.admin_credentials();
    let mut home = Home::new();
    home.envs.extend([
        ("SIGMA_BASE_URL".to_string(), sandbox.base_url()),
        ("SIGMA_CLIENT_ID".to_string(), creds.client_id.clone()),
        (
            "SIGMA_CLIENT_SECRET".to_string(),
            creds.client_secret.clone(),
        ),
    ]);
    let home = home.with_keyring();
    let (home, out) = tokio::task::spawn_blocking(move || {
        let out = home.run(&["as", DEMO_USER_EMAIL, "compare", "--type", "dataset"]);
        (home, out)
    })
    .await
    .expect("join");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("the same"),
        "{}",
        text(&out.stderr)
    );

    let wire = sandbox.wire_log();
    // The admin's own member ID is the sandbox's to choose: written as {admin} below.
    let seen: Vec<String> = wire
        .iter()
        .map(|r| match r.path().strip_prefix("/v2/members/") {
            Some(id) if !id.contains('/') && !r.path_and_query.contains('?') => {
                format!("{} /v2/members/{{admin}}", r.method)
            }
            _ => format!("{} {}", r.method, r.path_and_query),
        })
        .collect();
    let lookup = format!(
        "GET /v2/members?email={}&includeArchived=true&includeInactive=true&limit=50",
        DEMO_USER_EMAIL.replace('@', "%40")
    );
    let files = "GET /v2/files?typeFilters=dataset&limit=1000";
    assert_eq!(
        seen,
        [
            // The admin's token, once.
            "POST /v2/auth/token",
            // Who the admin is, and their account type and email (the Admin check, the audit's actor).
            "GET /v2/whoami",
            "GET /v2/members/{admin}",
            // The user's record (the target checks).
            &lookup,
            // The exchange.
            "POST /v2/auth/token",
            // The user's datasets, then the admin's: one page each.
            files,
            files,
        ],
        "{seen:#?}"
    );
    assert!(
        wire.iter().all(|r| r.connection == wire[0].connection),
        "one keep-alive connection: {wire:?}"
    );

    // On record: the start, the request as the user (sent, then its outcome), the stop; chained and intact.
    let audit = tokio::task::spawn_blocking(move || {
        (
            home.json(&["audit", "--json"]),
            home.json(&["audit", "verify", "--json"]),
        )
    })
    .await
    .expect("join");
    let events: Vec<(String, Option<String>)> = audit.0["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap_or_default().to_string(),
                e["phase"].as_str().map(str::to_string),
            )
        })
        .collect();
    let event = |name: &str, phase: Option<&str>| (name.to_string(), phase.map(str::to_string));
    assert_eq!(
        events,
        [
            event("impersonation.start", None),
            event("impersonation.request", Some("sent")),
            event("impersonation.request", Some("outcome")),
            event("impersonation.stop", None),
        ]
    );
    assert_eq!(audit.1["status"], "intact", "{}", audit.1);
}
