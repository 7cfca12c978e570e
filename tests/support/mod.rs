//! Shared test support: a sandbox org on loopback, a client for it, and a transport that records what
//! went over the wire.
#![allow(dead_code)]

use standin_core::audit::MemoryAuditSink;
use standin_core::clock::{ManualClock, SharedClock};
use standin_core::model::Member;
use standin_core::transport::{
    BoxFuture, ReqwestTransport, SharedTransport, Transport, TransportOptions,
};
use standin_core::wire::{HttpRequest, HttpResponse};
use standin_core::{Credentials, MemberQuery, Secret, SigmaClient};
use standin_sandbox::{Org, Sandbox, SandboxHandle};
use std::sync::{Arc, Mutex};
use url::Url;

/// What one request looked like on the wire (tests only: bodies hold secrets).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path_and_query: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub status: Option<u16>,
}

/// Wraps the real transport and keeps a copy of every request.
pub struct RecordingTransport {
    inner: ReqwestTransport,
    pub log: Arc<Mutex<Vec<Recorded>>>,
}

impl RecordingTransport {
    pub fn new(options: TransportOptions) -> Self {
        RecordingTransport {
            inner: ReqwestTransport::new(options).expect("transport"),
            log: Arc::default(),
        }
    }
}

impl Transport for RecordingTransport {
    fn send<'a>(
        &'a self,
        base: &'a Url,
        request: HttpRequest,
    ) -> BoxFuture<'a, standin_core::Result<HttpResponse>> {
        Box::pin(async move {
            let mut rec = Recorded {
                method: request.method.as_str().to_string(),
                path_and_query: request.path_and_query.clone(),
                authorization: request
                    .authorization
                    .as_ref()
                    .map(|s| s.expose().to_string()),
                content_type: request.content_type.map(str::to_string),
                body: request.body.as_ref().map(|s| s.expose().to_string()),
                status: None,
            };
            let result = self.inner.send(base, request).await;
            rec.status = result.as_ref().ok().map(|r| r.status);
            self.log.lock().unwrap().push(rec);
            result
        })
    }
}

pub struct Env {
    pub sandbox: SandboxHandle,
    pub client: SigmaClient,
    pub clock: ManualClock,
    pub audit: MemoryAuditSink,
    pub wire: Arc<Mutex<Vec<Recorded>>>,
}

pub fn credentials_for(sandbox: &SandboxHandle, client_id: &str, secret: &str) -> Credentials {
    Credentials::new(
        Some("sandbox".into()),
        &sandbox.base_url(),
        client_id,
        Secret::new(secret),
        None,
    )
    .expect("credentials")
}

pub async fn env_with(options: TransportOptions) -> Env {
    let sandbox = Sandbox::start(Org::demo()).await.expect("sandbox starts");
    let admin = sandbox.admin_credentials();
    let creds = credentials_for(&sandbox, &admin.client_id, &admin.client_secret);
    let transport = RecordingTransport::new(options);
    let wire = transport.log.clone();
    let clock = ManualClock::starting_now();
    let shared_clock: SharedClock = Arc::new(clock.clone());
    let shared_transport: SharedTransport = Arc::new(transport);
    Env {
        client: SigmaClient::new(creds, shared_transport, shared_clock),
        sandbox,
        clock,
        audit: MemoryAuditSink::new(),
        wire,
    }
}

pub async fn env() -> Env {
    env_with(TransportOptions::default()).await
}

impl Env {
    pub fn audit_sink(&self) -> standin_core::audit::SharedAuditSink {
        Arc::new(self.audit.clone())
    }

    /// Every member, archived and inactive included.
    pub async fn everyone(&self) -> Vec<Member> {
        let q = MemberQuery {
            include_archived: true,
            include_inactive: true,
            ..Default::default()
        };
        self.client
            .admin()
            .await
            .unwrap()
            .members(&q, 1000)
            .await
            .unwrap()
    }

    /// An active, non-admin member who owns something in My Documents if possible.
    pub async fn ordinary_user(&self) -> Member {
        self.everyone()
            .await
            .into_iter()
            .find(|m| {
                !m.is_admin()
                    && !m.archived()
                    && !m.inactive()
                    && m.member_type != "viewer"
                    && m.user_kind.as_deref() == Some("internal")
            })
            .expect("an active non-admin user in the demo org")
    }

    pub fn wire(&self) -> Vec<Recorded> {
        self.wire.lock().unwrap().clone()
    }
}
