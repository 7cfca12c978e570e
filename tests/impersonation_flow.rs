//! The core against the real sandbox over HTTP on loopback: the whole impersonation flow, the views as the
//! user, and the audit trail.

mod support;

use standin_core::audit::AuditEvent;
use standin_core::session::identify_actor;
use standin_core::{start_impersonation, FileQuery, StartOptions};
use support::env;

#[tokio::test]
async fn full_flow_as_an_ordinary_user() {
    let env = env().await;
    let actor = identify_actor(&env.client).await.expect("actor");
    assert!(
        actor.can_impersonate(),
        "demo credentials belong to an Admin: {actor:?}"
    );
    let admin_whoami = env.client.admin().await.unwrap().whoami().await.unwrap();

    let user = env.ordinary_user().await;
    let mut opts = StartOptions::new(&user.email);
    opts.reason = Some("SUP-1234 cannot see a workbook".into());
    let session = start_impersonation(&env.client, env.audit_sink(), opts)
        .await
        .expect("impersonation starts");
    let info = session.info().clone();
    assert_eq!(info.subject_email, user.email);
    assert_eq!(info.subject_id.as_deref(), Some(user.member_id.as_str()));
    assert!(info.read_only);
    assert!(session.time_left().as_secs() > 3500);

    // The server answers as the user.
    let me = session.whoami().await.unwrap();
    assert_eq!(me.user_id, user.member_id);
    assert_ne!(me.user_id, admin_whoami.user_id);

    // Documents by type, with a permission on each.
    let all = session.files(&FileQuery::default()).await.unwrap();
    assert!(!all.is_empty(), "the user can see some documents");
    assert!(all.iter().all(|f| !f.permission.is_empty()));
    let workbooks = session
        .files(&FileQuery::of_type(Some("workbook")))
        .await
        .unwrap();
    assert!(workbooks.iter().all(|f| f.file_type == "workbook"));

    // My Documents: direct children of the user's home folder, all under "My Documents".
    let mine = session.my_documents().await.unwrap();
    let home = user.home_folder_id.clone().unwrap();
    assert!(
        mine.iter()
            .all(|f| f.parent_id.as_deref() == Some(home.as_str())),
        "{mine:?}"
    );

    // Compare: the admin's view against the user's differs, and the split is consistent.
    let cmp = session.compare(None).await.unwrap();
    let admin_files = env
        .client
        .admin()
        .await
        .unwrap()
        .files(&FileQuery::default())
        .await
        .unwrap();
    assert_eq!(
        cmp.only_admin.len() + cmp.different.len() + cmp.same,
        admin_files.len()
    );
    assert_eq!(
        cmp.only_user.len() + cmp.different.len() + cmp.same,
        all.len()
    );
    assert!(
        !cmp.only_admin.is_empty() || !cmp.only_user.is_empty() || !cmp.different.is_empty(),
        "an ordinary user's view differs from an admin's"
    );
    for f in &cmp.only_user {
        assert!(!admin_files.iter().any(|a| a.id == f.id));
    }

    session.stop().unwrap();

    let events: Vec<_> = env.audit.entries().iter().map(|e| e.event).collect();
    assert_eq!(events.first(), Some(&AuditEvent::Start));
    assert_eq!(events.last(), Some(&AuditEvent::Stop));
    assert!(events.iter().filter(|e| **e == AuditEvent::Request).count() >= 4);
    let start = &env.audit.entries()[0];
    assert_eq!(start.subject, user.email);
    assert_eq!(start.actor, actor.email.clone().unwrap());
    assert_eq!(
        start.reason.as_deref(),
        Some("SUP-1234 cannot see a workbook")
    );
    assert_eq!(start.profile, "sandbox");
    let request = env
        .audit
        .entries()
        .into_iter()
        .find(|e| {
            e.event == AuditEvent::Request
                && e.phase == Some(standin_core::audit::RequestPhase::Outcome)
        })
        .unwrap();
    assert_eq!(request.method.as_deref(), Some("GET"));
    assert_eq!(request.status, Some(200));

    // The sandbox recorded the impersonation too (Sigma's audit event).
    assert!(env.sandbox.audit_events().iter().any(|e| {
        let v = serde_json::to_value(e).unwrap();
        v.to_string().contains(&user.email)
    }));
}

#[tokio::test]
async fn read_only_sessions_and_blocked_endpoints_refuse_before_sending() {
    let env = env().await;
    let user = env.ordinary_user().await;
    let session = start_impersonation(
        &env.client,
        env.audit_sink(),
        StartOptions::new(&user.email),
    )
    .await
    .unwrap();
    let before = env.sandbox.request_count();
    let err = session
        .check_request(standin_core::wire::Method::Post, "/v2/files")
        .unwrap_err();
    assert_eq!(err.refusal().unwrap().rule(), "read_only");
    let err = session
        .get::<serde_json::Value>("/v2/connections/paths/abc")
        .await
        .unwrap_err();
    assert_eq!(
        err.refusal().unwrap().rule(),
        "endpoint_rejects_impersonation"
    );
    assert_eq!(env.sandbox.request_count(), before, "nothing was sent");
    session.stop().unwrap();
}

#[tokio::test]
async fn tenant_impersonation_answers_from_the_tenant_org() {
    let env = env().await;
    let tenants = env.client.admin().await.unwrap().tenants().await.unwrap();
    let tenant = tenants.first().expect("the demo org has a tenant");
    let home_whoami = env.client.admin().await.unwrap().whoami().await.unwrap();
    // `tenant` only: the tenant's admin user.
    let mut opts = StartOptions::new("");
    opts.email = String::new();
    opts.tenant = Some(tenant.tenant_organization_id.clone());
    // An email is required by Stand-in (Sigma allows tenant only; Stand-in always names the user).
    assert!(start_impersonation(&env.client, env.audit_sink(), opts)
        .await
        .is_err());

    // A member of the demo org's tenant (Globex), which the parent's token cannot list.
    let email = "gus.explorer@globex.example".to_string();
    let mut opts = StartOptions::new(&email);
    opts.tenant = Some(tenant.tenant_organization_id.clone());
    let session = start_impersonation(&env.client, env.audit_sink(), opts)
        .await
        .unwrap();
    let me = session.whoami().await.unwrap();
    assert_eq!(me.organization_id, tenant.tenant_organization_id);
    assert_ne!(me.organization_id, home_whoami.organization_id);
    session.my_documents().await.unwrap();
    session.stop().unwrap();
}

/// A server that is Sigma-compatible but thinner than the sandbox: whoami without `accountType`, and no
/// single-member endpoint. Built on the transport seam.
struct ThinServer(standin_core::transport::ReqwestTransport);

impl standin_core::transport::Transport for ThinServer {
    fn send<'a>(
        &'a self,
        base: &'a url::Url,
        request: standin_core::wire::HttpRequest,
    ) -> standin_core::transport::BoxFuture<
        'a,
        standin_core::Result<standin_core::wire::HttpResponse>,
    > {
        Box::pin(async move {
            let path = request.path().to_string();
            if path.starts_with("/v2/members/") {
                return Ok(standin_core::wire::HttpResponse {
                    status: 404,
                    content_type: Some("application/json".into()),
                    retry_after: None,
                    request_id: None,
                    body: br#"{"message":"Not found","code":"not_found","requestId":"thin-1"}"#
                        .to_vec(),
                });
            }
            let mut response = self.0.send(base, request).await?;
            if path == "/v2/whoami" {
                let mut v: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
                v.as_object_mut().unwrap().remove("accountType");
                response.body = serde_json::to_vec(&v).unwrap();
            }
            Ok(response)
        })
    }
}

#[tokio::test]
async fn the_actor_is_found_on_a_server_without_the_member_endpoint() {
    let env = env().await;
    let admin = env.sandbox.admin_credentials();
    let transport = standin_core::transport::ReqwestTransport::new(Default::default()).unwrap();
    let client = standin_core::SigmaClient::new(
        support::credentials_for(&env.sandbox, &admin.client_id, &admin.client_secret),
        std::sync::Arc::new(ThinServer(transport)),
        standin_core::clock::system_clock(),
    );
    let actor = identify_actor(&client).await.unwrap();
    assert_eq!(actor.email.as_deref(), Some(admin.owner_email.as_str()));
    assert!(actor.can_impersonate());
}
