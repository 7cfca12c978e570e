//! `standin explain EMAIL DOCUMENT_ID`: why a user can (or cannot) see a document — the grant paths, or what
//! would give access. Read with the admin's credentials; no impersonation, nothing recorded.

use super::context::{runtime, Ctx};
use crate::output::{self, print_json};
use clap::Args;
use standin_core::explain::explain_user;
use standin_core::CoreError;

#[derive(Args)]
pub struct ExplainArgs {
    /// The user: an email (or a member ID).
    user: String,
    /// The document, folder or workspace ID (`id` in `standin as EMAIL files --json`, or from Sigma's URL).
    document_id: String,
}

pub fn run(args: ExplainArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let client = ctx.client()?;
    let explanation = runtime()?.block_on(explain_user(&client, &args.user, &args.document_id))?;
    if ctx.json {
        return print_json(&explanation);
    }
    for line in explanation.lines() {
        output::line(&line);
    }
    Ok(())
}
