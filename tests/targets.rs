//! Target rules and the clock, against the real sandbox: a member whose record has no account type is
//! refused as unknown (never taken for a non-admin) before any exchange; a subject token the exchange
//! refuses for its time says to check the computer's clock; and `iat` is set back so a small skew passes.

mod support;

use standin_core::audit::AuditEvent;
use standin_core::clock::{ManualClock, SharedClock};
use standin_core::transport::{BoxFuture, ReqwestTransport, Transport, TransportOptions};
use standin_core::wire::{HttpRequest, HttpResponse};
use standin_core::{start_impersonation, SigmaClient, StartOptions};
use std::sync::Arc;
use std::time::Duration;
use support::{credentials_for, env, Env};
use url::Url;

const USER: &str = "tom.lee@acme.example";

/// Passes requests to the sandbox and removes `memberType` from one member's records in the answers, as a
/// server that omits the field would send them.
struct WithoutMemberType {
    inner: ReqwestTransport,
    email: &'static str,
}

fn strip(value: &mut serde_json::Value, email: &str) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("email").and_then(|e| e.as_str()) == Some(email) {
                map.remove("memberType");
            }
            map.values_mut().for_each(|v| strip(v, email));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| strip(v, email)),
        _ => {}
    }
}

impl Transport for WithoutMemberType {
    fn send<'a>(
        &'a self,
        base: &'a Url,
        request: HttpRequest,
    ) -> BoxFuture<'a, standin_core::Result<HttpResponse>> {
        Box::pin(async move {
            let mut response = self.inner.send(base, request).await?;
            if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&response.body) {
                strip(&mut json, self.email);
                response.body = serde_json::to_vec(&json).unwrap();
            }
            Ok(response)
        })
    }
}

fn client(env: &Env, transport: Arc<dyn Transport>, clock: SharedClock) -> SigmaClient {
    let admin = env.sandbox.admin_credentials();
    SigmaClient::new(
        credentials_for(&env.sandbox, &admin.client_id, &admin.client_secret),
        transport,
        clock,
    )
}

fn exchanges(env: &Env) -> usize {
    env.sandbox.audit_events().len()
}

#[tokio::test]
async fn a_target_without_an_account_type_is_refused_as_unknown() {
    let env = env().await;
    let stripped = client(
        &env,
        Arc::new(WithoutMemberType {
            inner: ReqwestTransport::new(TransportOptions::default()).unwrap(),
            email: USER,
        }),
        Arc::new(ManualClock::starting_now()),
    );
    // The record really arrives without a type, and reads as "not an admin": the naive rule would allow.
    let member = stripped
        .admin()
        .await
        .unwrap()
        .member_by_email(USER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(member.member_type, "");
    assert!(!member.is_admin());

    let before = exchanges(&env);
    let err = start_impersonation(&stripped, env.audit_sink(), StartOptions::new(USER))
        .await
        .unwrap_err();
    assert_eq!(err.refusal().map(|r| r.rule()), Some("target_type_unknown"));
    assert!(err.to_string().contains("unknown account type;"), "{err}");
    assert_eq!(exchanges(&env), before, "no exchange was attempted");
    let last = env.audit.entries().last().cloned().unwrap();
    assert_eq!(last.event, AuditEvent::Refused);
    assert_eq!(last.detail.as_deref(), Some("target_type_unknown"));

    // The same user with the type present is allowed.
    let session = start_impersonation(&env.client, env.audit_sink(), StartOptions::new(USER))
        .await
        .unwrap();
    session.stop().unwrap();
}

fn plain_transport() -> Arc<dyn Transport> {
    Arc::new(ReqwestTransport::new(TransportOptions::default()).unwrap())
}

#[tokio::test]
async fn a_subject_token_refused_for_its_time_says_to_check_the_clock() {
    // This computer's clock ten minutes behind the server: the token has expired on arrival.
    let env = env().await;
    env.sandbox.advance_clock(Duration::from_secs(600));
    let behind = client(
        &env,
        plain_transport(),
        Arc::new(ManualClock::starting_now()),
    );
    let err = start_impersonation(&behind, env.audit_sink(), StartOptions::new(USER))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clock_skew", "{err}");
    let text = err.to_string();
    assert!(text.contains("check this computer's clock"), "{text}");
    assert!(text.contains("expired"), "{text}");
    assert!(err.request_id().is_some());
    let last = env.audit.entries().last().cloned().unwrap();
    assert_eq!(last.event, AuditEvent::Refused);
    assert_eq!(last.detail.as_deref(), Some("clock_skew"));

    // Ten minutes ahead: issued in the future.
    let env = env_ahead(600).await;
    let err = start_impersonation(&env.1, env.0.audit_sink(), StartOptions::new(USER))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clock_skew", "{err}");
    assert!(err.to_string().contains("clock"));
}

/// A sandbox, and a client whose clock runs `secs` seconds ahead of it.
async fn env_ahead(secs: u64) -> (Env, SigmaClient) {
    let env = env().await;
    let clock = ManualClock::starting_now();
    clock.advance(Duration::from_secs(secs));
    let c = client(&env, plain_transport(), Arc::new(clock));
    (env, c)
}

#[tokio::test]
async fn iat_is_set_back_so_a_small_skew_passes() {
    // The sandbox, like Sigma, tolerates an `iat` up to 60 s in its future. 62 s ahead passes only because
    // `iat` is set back 5 s (62 - 5 < 60); 70 s ahead is still refused (70 - 5 > 60), which shows the
    // server's rule is really applied to this token.
    let (env, ahead) = env_ahead(62).await;
    let session = start_impersonation(&ahead, env.audit_sink(), StartOptions::new(USER))
        .await
        .expect("62 s of skew passes");
    session.stop().unwrap();

    let (env, far_ahead) = env_ahead(70).await;
    let err = start_impersonation(&far_ahead, env.audit_sink(), StartOptions::new(USER))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clock_skew", "{err}");
}
