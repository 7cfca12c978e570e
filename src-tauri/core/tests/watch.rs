//! The expiry watcher against the sandbox org, on a manual clock: the warning comes before the end, the
//! session is ended (and the end recorded) when its time is up, and a session stopped or extended meanwhile
//! is left alone.

use standin_core::audit::{AuditEvent, MemoryAuditSink};
use standin_core::clock::ManualClock;
use standin_core::console::Console;
use standin_core::transport::{ReqwestTransport, TransportOptions};
use standin_core::watch::{ExpiryWatch, ManualSleeper, WatchEvent};
use standin_core::{Credentials, Secret, SigmaClient, StartOptions};
use standin_sandbox::{Org, Sandbox, SandboxHandle};
use std::sync::Arc;
use std::time::Duration;

struct Setup {
    _sandbox: SandboxHandle,
    console: Arc<Console>,
    clock: ManualClock,
    audit: MemoryAuditSink,
}

async fn setup() -> Setup {
    let sandbox = Sandbox::start(Org::demo()).await.expect("sandbox starts");
    let admin = sandbox.admin_credentials();
    let credentials = Credentials::new(
        Some("sandbox".into()),
        &sandbox.base_url(),
        &admin.client_id,
        Secret::new(admin.client_secret),
        None,
    )
    .unwrap();
    let clock = ManualClock::starting_now();
    let client = SigmaClient::new(
        credentials,
        Arc::new(ReqwestTransport::new(TransportOptions::default()).unwrap()),
        Arc::new(clock.clone()),
    );
    let audit = MemoryAuditSink::new();
    let console = Arc::new(Console::new(
        Arc::new(audit.clone()),
        Duration::from_secs(3600),
    ));
    let (_, actor) = console.connect("sandbox", client).await;
    actor.expect("the sandbox admin");
    Setup {
        _sandbox: sandbox,
        console,
        clock,
        audit,
    }
}

async fn start(s: &Setup, seconds: u64) -> (String, Duration) {
    let mut opts = StartOptions::new("tom.lee@acme.example");
    opts.reason = Some("TICKET-1".into());
    opts.duration = Some(Duration::from_secs(seconds));
    let (info, left, _) = s.console.start(opts, false).await.expect("session starts");
    (info.id, left)
}

async fn watch(s: &Setup, id: &str, left: Duration) -> Vec<WatchEvent> {
    let mut events = Vec::new();
    ExpiryWatch::new(s.console.clone(), id, left)
        .with_sleeper(Arc::new(ManualSleeper(s.clock.clone())))
        .run(|e| events.push(e))
        .await;
    events
}

fn count(audit: &MemoryAuditSink, event: AuditEvent) -> usize {
    audit.entries().iter().filter(|e| e.event == event).count()
}

#[tokio::test]
async fn warns_before_the_end_then_ends_the_session_when_its_time_is_up() {
    let s = setup().await;
    let (id, left) = start(&s, 90).await;
    assert_eq!(left, Duration::from_secs(90));
    let started = std::time::Instant::now();
    let events = watch(&s, &id, left).await;
    // Ninety seconds of session, watched on the manual clock: no real waiting.
    assert!(started.elapsed() < Duration::from_secs(20));
    match events.as_slice() {
        [WatchEvent::Expiring {
            session_id,
            seconds_left,
        }, WatchEvent::Ended(end)] => {
            assert_eq!(session_id, &id);
            // A 90 s session is warned halfway (45 s before its end).
            assert_eq!(*seconds_left, 45);
            assert_eq!(end.info.id, id);
            assert!(end.expired, "ended because its time was up");
            assert!(!end.ended_by_server);
        }
        other => panic!("expected a warning then the end, got {other:?}"),
    }
    assert!(s.console.current().await.is_none(), "the slot is empty");
    // The end is on record, once.
    assert_eq!(
        count(&s.audit, AuditEvent::Expired) + count(&s.audit, AuditEvent::Stop),
        1
    );
}

#[tokio::test]
async fn a_session_stopped_meanwhile_is_left_alone() {
    let s = setup().await;
    let (id, left) = start(&s, 600).await;
    let stopped = s.console.stop().await.unwrap().expect("a session to stop");
    assert!(!stopped.expired);
    let events = watch(&s, &id, left).await;
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(
        count(&s.audit, AuditEvent::Expired) + count(&s.audit, AuditEvent::Stop),
        1
    );
}

#[tokio::test]
async fn after_an_extension_only_the_new_sessions_watcher_ends_it() {
    let s = setup().await;
    let (old_id, old_left) = start(&s, 600).await;
    let (new_info, _, _) = s.console.extend().await.expect("extended");
    assert_ne!(new_info.id, old_id);
    // The old watcher wakes for its warning, finds another session in the slot and goes quietly: without
    // the ID check it would warn about, and then end, the session that replaced it.
    let old_events = watch(&s, &old_id, old_left).await;
    assert!(old_events.is_empty(), "{old_events:?}");
    let (current, remaining) = s.console.current().await.expect("the new session runs on");
    assert_eq!(current.id, new_info.id);
    // The manual clock moved on for the old watcher's wait: the new watcher starts from what is left.
    let new_events = watch(&s, &new_info.id, remaining).await;
    assert!(
        matches!(new_events.last(), Some(WatchEvent::Ended(end)) if end.info.id == new_info.id && end.expired),
        "{new_events:?}"
    );
    assert!(s.console.current().await.is_none());
}
