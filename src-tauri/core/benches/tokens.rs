//! Per-op cost of the two pieces of in-process work every impersonation does before it touches the network:
//! minting the self-signed subject token and building the RFC 8693 exchange request. Each is measured beside
//! an alternative in the same run (BENCHMARKS.md §1), so the numbers read as ratios rather than as absolute
//! times on whatever machine this runs:
//!
//! - `mint/standin`: `subject_token::mint_subject_token`, what a session start calls.
//! - `mint/jsonwebtoken_floor`: `jsonwebtoken::encode` with the header and key built once, the same claims
//!   (fresh `jti` and times each op): the least any HS256 minting with this library can cost.
//! - `mint/jsonwebtoken_fresh_key`: the same, with the header and key built on every call (as a naive caller
//!   does), which shows what per-call setup costs.
//! - `exchange/standin`: `wire::token_exchange_request` (the whole `HttpRequest`: body, bearer, path).
//! - `exchange/by_hand`: the same body and bearer written with `form_urlencoded::byte_serialize` into one
//!   pre-sized `String`: the floor for building those bytes.
//!
//! `cargo bench -p standin-core --bench tokens`.

use criterion::{criterion_group, criterion_main, Criterion};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use standin_core::clock::SystemClock;
use standin_core::subject_token::{
    mint_subject_token, SubjectClaims, CLOCK_SKEW_ALLOWANCE, MAX_SUBJECT_TOKEN_TTL,
};
use standin_core::wire::{self, TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_JWT};
use standin_core::Secret;
use std::hint::black_box;
use time::OffsetDateTime;

const CLIENT_ID: &str = "0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a098";
const EMAIL: &str = "tom.example@acme.example.com";
const TENANT: &str = "tenant-org-1";
// A client secret of the length Sigma issues (64 hex characters).
const CLIENT_SECRET: &str = "5f1d0c9b8a7e6d5c4b3a29181716151413121110f0e0d0c0b0a09080706050403";

fn claims() -> SubjectClaims {
    let iat = OffsetDateTime::now_utc().unix_timestamp() - CLOCK_SKEW_ALLOWANCE.as_secs() as i64;
    SubjectClaims {
        sub: EMAIL.to_string(),
        tenant: Some(TENANT.to_string()),
        iat,
        exp: iat + MAX_SUBJECT_TOKEN_TTL.as_secs() as i64,
        jti: uuid::Uuid::new_v4().to_string(),
    }
}

fn header() -> Header {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(CLIENT_ID.to_string());
    header.typ = Some("JWT".to_string());
    header
}

fn minting(c: &mut Criterion) {
    let secret = Secret::new(CLIENT_SECRET);
    let clock = SystemClock;
    let mut group = c.benchmark_group("mint");
    group.bench_function("standin", |b| {
        b.iter(|| {
            mint_subject_token(
                black_box(CLIENT_ID),
                black_box(&secret),
                black_box(EMAIL),
                black_box(Some(TENANT)),
                &clock,
                MAX_SUBJECT_TOKEN_TTL,
            )
            .expect("mints")
        })
    });
    let key = EncodingKey::from_secret(CLIENT_SECRET.as_bytes());
    let prepared = header();
    group.bench_function("jsonwebtoken_floor", |b| {
        b.iter(|| encode(black_box(&prepared), &claims(), black_box(&key)).expect("encodes"))
    });
    group.bench_function("jsonwebtoken_fresh_key", |b| {
        b.iter(|| {
            let key = EncodingKey::from_secret(black_box(CLIENT_SECRET).as_bytes());
            encode(&header(), &claims(), &key).expect("encodes")
        })
    });
    group.finish();
}

/// The exchange body and bearer written by hand: every value percent-encoded as
/// `application/x-www-form-urlencoded` asks, into one string sized up front.
fn exchange_by_hand(subject: &str, actor: &str) -> (String, String) {
    let mut body = String::with_capacity(256 + subject.len() + actor.len());
    let fields = [
        ("grant_type", wire::GRANT_TOKEN_EXCHANGE),
        ("subject_token", subject),
        ("subject_token_type", TOKEN_TYPE_JWT),
        ("actor_token", actor),
        ("actor_token_type", TOKEN_TYPE_ACCESS_TOKEN),
    ];
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            body.push('&');
        }
        body.push_str(k);
        body.push('=');
        body.extend(url::form_urlencoded::byte_serialize(v.as_bytes()));
    }
    let mut bearer = String::with_capacity(7 + actor.len());
    bearer.push_str("Bearer ");
    bearer.push_str(actor);
    (body, bearer)
}

fn exchange_request(c: &mut Criterion) {
    let clock = SystemClock;
    let subject = mint_subject_token(
        CLIENT_ID,
        &Secret::new(CLIENT_SECRET),
        EMAIL,
        Some(TENANT),
        &clock,
        MAX_SUBJECT_TOKEN_TTL,
    )
    .expect("mints");
    // An actor token of a realistic size (Sigma's are JWTs of about 900 bytes).
    let actor = Secret::new(format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", "a".repeat(880)));

    // The two must build the same bytes, or the comparison means nothing.
    let built = wire::token_exchange_request(&subject, &actor);
    let (body, bearer) = exchange_by_hand(subject.expose(), actor.expose());
    assert_eq!(built.body.as_ref().map(Secret::expose), Some(body.as_str()));
    assert_eq!(
        built.authorization.as_ref().map(Secret::expose),
        Some(bearer.as_str())
    );

    let mut group = c.benchmark_group("exchange");
    group.bench_function("standin", |b| {
        b.iter(|| wire::token_exchange_request(black_box(&subject), black_box(&actor)))
    });
    group.bench_function("by_hand", |b| {
        b.iter(|| exchange_by_hand(black_box(subject.expose()), black_box(actor.expose())))
    });
    group.finish();
}

criterion_group!(benches, minting, exchange_request);
criterion_main!(benches);
