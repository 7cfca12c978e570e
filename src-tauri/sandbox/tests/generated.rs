//! Generated orgs from a `GenerateSpec` over HTTP (same spec → the same bytes on the wire) and the
//! simulated network latency (`SandboxHandle::set_latency`, `standin sandbox serve --latency-ms`).

mod common;

use std::time::{Duration, Instant};

use common::{claims_for, start_with, subject_token, urlencode, Env};
use standin_sandbox::{GenerateSpec, Org};

/// The raw body of a GET, so responses can be compared byte for byte.
async fn raw(env: &Env, path: &str, token: &str) -> Vec<u8> {
    let resp = env
        .http
        .get(env.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    assert!(resp.status().is_success(), "GET {path}: {}", resp.status());
    resp.bytes().await.expect("body").to_vec()
}

/// The bodies a client sees walking the generated org: member pages, teams, the first team's members, the
/// admin's files, and one non-admin user's files through an impersonation token.
async fn walk(env: &Env) -> Vec<Vec<u8>> {
    let admin = env.admin_token().await;
    let mut bodies = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..3 {
        let path = match &cursor {
            Some(c) => format!("/v2/members?limit=500&page={}", urlencode(c)),
            None => "/v2/members?limit=500".to_string(),
        };
        let body = raw(env, &path, &admin).await;
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        cursor = json["nextPage"].as_str().map(str::to_string);
        bodies.push(body);
    }
    let teams = raw(env, "/v2/teams?limit=1000", &admin).await;
    let json: serde_json::Value = serde_json::from_slice(&teams).unwrap();
    let team_id = json["entries"][0]["teamId"].as_str().unwrap().to_string();
    bodies.push(teams);
    bodies.push(
        raw(
            env,
            &format!("/v2/teams/{team_id}/members?limit=1000"),
            &admin,
        )
        .await,
    );
    bodies.push(raw(env, "/v2/files?limit=1000", &admin).await);
    // A non-admin (member 5 onwards: the first non-Admin, non-archived one) sees their own files.
    let members: serde_json::Value = serde_json::from_slice(&bodies[0]).unwrap();
    let user = members["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["memberType"] != "admin")
        .expect("a non-admin")["email"]
        .as_str()
        .unwrap()
        .to_string();
    let actor = env.admin_token().await;
    let subject = subject_token(&env.admin(), claims_for(&user));
    let (status, body) = env.exchange(&actor, &subject).await;
    assert!(status.is_success(), "exchange: {body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    bodies.push(raw(env, "/v2/files?limit=1000", &token).await);
    bodies
}

#[tokio::test]
async fn the_same_spec_serves_the_same_bytes_and_another_seed_does_not() {
    let spec: GenerateSpec = "users=3000,teams=40,documents=800,seed=5".parse().unwrap();
    let first = walk(&start_with(Org::generate_spec(&spec)).await).await;
    let second = walk(&start_with(Org::generate_spec(&spec)).await).await;
    assert_eq!(first.len(), second.len());
    for (i, (a, b)) in first.iter().zip(&second).enumerate() {
        assert!(a == b, "response {i} differs between two runs of {spec}");
        assert!(a.len() > 100, "response {i} is suspiciously small");
    }
    let other = GenerateSpec { seed: 6, ..spec };
    let third = walk(&start_with(Org::generate_spec(&other)).await).await;
    assert_ne!(first, third, "another seed should give another org");
}

#[tokio::test]
async fn the_benchmark_org_builds_in_seconds_and_serves_its_counts() {
    let spec: GenerateSpec = "users=100000,teams=1000,documents=5000".parse().unwrap();
    let started = Instant::now();
    let org = Org::generate_spec(&spec);
    let built = started.elapsed();
    eprintln!("Org::generate_spec({spec}) took {built:?} (debug build)");
    // A generous bound for an unoptimized build on a loaded 2-core machine: minutes would fail it.
    assert!(built < Duration::from_secs(60), "took {built:?}");
    let env = start_with(org).await;
    let admin = env.admin_token().await;
    let total = env.get_ok("/v2.1/members?limit=1", &admin).await["total"]
        .as_u64()
        .unwrap();
    // Archived and inactive members are left out of a default listing; with them, all 100,000.
    let everyone = env
        .get_ok(
            "/v2.1/members?limit=1&includeArchived=true&includeInactive=true",
            &admin,
        )
        .await["total"]
        .as_u64()
        .unwrap();
    assert_eq!(everyone, 100_000);
    assert!(total > 90_000 && total < 100_000, "{total}");
    let teams = env.all_pages("/v2/teams?limit=1000", &admin).await;
    assert_eq!(teams.len(), 1000);
    assert_eq!(teams[0]["name"], "All staff");
}

#[tokio::test]
async fn latency_delays_every_response_and_concurrent_requests_wait_independently() {
    let env = start_with(Org::demo()).await;
    let admin = env.admin_token().await;
    let timed = |env: &Env, admin: String| {
        let http = env.http.clone();
        let url = env.url("/v2/whoami");
        async move {
            let started = Instant::now();
            let resp = http.get(url).bearer_auth(admin).send().await.unwrap();
            assert!(resp.status().is_success());
            started.elapsed()
        }
    };
    let baseline = timed(&env, admin.clone()).await;
    assert!(baseline < Duration::from_millis(150), "{baseline:?}");

    env.sandbox.set_latency(Duration::from_millis(300));
    assert_eq!(env.sandbox.latency(), Duration::from_millis(300));
    let one = timed(&env, admin.clone()).await;
    assert!(
        one >= Duration::from_millis(300),
        "one request took {one:?}"
    );

    // Eight at once: each waits its own 300 ms, so together they take about 300 ms, not 2.4 s.
    let started = Instant::now();
    let all = futures_join(8, || timed(&env, admin.clone())).await;
    let wall = started.elapsed();
    assert!(
        all.iter().all(|d| *d >= Duration::from_millis(300)),
        "{all:?}"
    );
    assert!(
        wall < Duration::from_millis(1_500),
        "8 concurrent requests took {wall:?}"
    );

    // Errors are delayed too (the token endpoint refusing a bad secret, say): every response is.
    let started = Instant::now();
    let (status, _) = env
        .post_token(&[("grant_type", "client_credentials")], None)
        .await;
    assert!(status.is_client_error());
    assert!(started.elapsed() >= Duration::from_millis(300));

    env.sandbox.set_latency(Duration::ZERO);
    let after = timed(&env, admin.clone()).await;
    assert!(after < Duration::from_millis(300), "{after:?}");
}

/// Runs `n` futures made by `make` concurrently on the current runtime and returns their outputs.
async fn futures_join<F, Fut>(n: usize, make: F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Duration> + Send + 'static,
{
    let handles: Vec<_> = (0..n).map(|_| tokio::spawn(make())).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
