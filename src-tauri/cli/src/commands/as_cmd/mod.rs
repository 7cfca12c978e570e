//! `standin as EMAIL …`: impersonate a user for one command (read-only), then stop.

mod actions;

use super::context::{audit_sink_warming, runtime, Ctx};
use crate::output;
use clap::{Args, Subcommand};
use standin_core::{start_impersonation, CoreError, SigmaClient, StartOptions};

#[derive(Args)]
pub struct AsArgs {
    /// Email of the user to impersonate.
    email: String,
    /// Organization ID of a tenant org (the `tenant` claim).
    #[arg(long)]
    tenant: Option<String>,
    /// Why (a ticket number, say); recorded in the audit log.
    #[arg(long)]
    reason: Option<String>,
    #[command(subcommand)]
    action: AsAction,
}

#[derive(Subcommand)]
pub(crate) enum AsAction {
    /// Who the server says the user is.
    Whoami,
    /// The documents the user can access, with their permission.
    Files {
        /// Only this type (workbook, dataset, data-model, folder, report, …).
        #[arg(long = "type")]
        file_type: Option<String>,
    },
    /// The user's My Documents folder.
    MyDocuments,
    /// Your own view against the user's.
    Compare {
        #[arg(long = "type")]
        file_type: Option<String>,
    },
    /// GET any API path as the user, e.g. /v2/files?typeFilters=dataset
    Get { path: String },
}

pub fn run(args: AsArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let client = ctx.client()?;
    runtime()?.block_on(as_command(client, args, ctx.json))
}

async fn as_command(client: SigmaClient, args: AsArgs, json: bool) -> Result<(), CoreError> {
    let mut opts = StartOptions::new(&args.email);
    opts.tenant = args.tenant;
    opts.reason = args.reason;
    if let Some(tenant) = opts
        .tenant
        .as_ref()
        .or(client.credentials().tenant.as_ref())
    {
        // The parent org's credentials cannot list a tenant's members, so the target checks Stand-in makes
        // elsewhere cannot run: say whose checks apply.
        output::note(&format!(
            "note: {}",
            standin_core::session::tenant_checks_note(tenant)
        ));
    }
    let session = start_impersonation(&client, audit_sink_warming(), opts).await?;
    let result = actions::as_action(&session, args.action, json).await;
    // The session ends whatever the action did; the token is dropped with it.
    let stopped = session.stop();
    result?;
    stopped
}
