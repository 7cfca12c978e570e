//! `standin users`: the org's users, printed page by page as they arrive (a 100,000-member org starts
//! printing after its first page and is never held whole; a closed stdout stops the walk).

use super::context::{runtime, Ctx};
use crate::output::{self, JsonArray, StreamTable};
use clap::Args;
use standin_core::client::PAGE_LIMIT;
use standin_core::{CoreError, MemberQuery};
use std::ops::ControlFlow;

#[derive(Args)]
pub struct UsersArgs {
    /// Only users whose name or email contains this.
    #[arg(long)]
    search: Option<String>,
    /// Include archived and inactive users.
    #[arg(long)]
    all: bool,
    /// Page size for each request (1–1000).
    #[arg(long, default_value_t = PAGE_LIMIT, hide = true)]
    page_size: u32,
}

pub fn run(args: UsersArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let UsersArgs {
        search,
        all,
        page_size,
    } = args;
    let json = ctx.json;
    let client = ctx.client()?;
    runtime()?.block_on(async {
        let query = MemberQuery {
            search,
            include_archived: all,
            include_inactive: all,
            ..Default::default()
        };
        let mut table = StreamTable::new(&["NAME", "EMAIL", "ACCOUNT TYPE", "STATUS", "ID"]);
        let mut array = JsonArray::default();
        let mut failed = None;
        let count = client
            .admin()
            .await?
            .members_each(&query, page_size.clamp(1, PAGE_LIMIT), |page| {
                if json {
                    if let Err(e) = array.items(&page) {
                        failed = Some(e);
                        return ControlFlow::Break(());
                    }
                } else {
                    table.rows(
                        page.iter()
                            .map(|m| {
                                vec![
                                    m.display_name(),
                                    m.email.clone(),
                                    m.member_type.clone(),
                                    output::member_status(m),
                                    m.member_id.clone(),
                                ]
                            })
                            .collect(),
                    );
                }
                // Nobody reads any more (`| head`): ask for no further page.
                if output::stdout_open() {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            })
            .await?;
        if let Some(e) = failed {
            return Err(e);
        }
        if json {
            array.finish();
        } else {
            table.finish();
            output::note(&format!("{count} users"));
        }
        Ok(())
    })
}
