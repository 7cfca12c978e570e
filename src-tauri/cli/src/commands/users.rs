//! `standin users`: the org's users.

use super::context::{runtime, Ctx};
use crate::output::{self, print_json, Table};
use clap::Args;
use standin_core::client::PAGE_LIMIT;
use standin_core::{CoreError, MemberQuery};

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
        let members = client
            .admin()
            .await?
            .members(&query, page_size.clamp(1, PAGE_LIMIT))
            .await?;
        if json {
            return print_json(&members);
        }
        let mut t = Table::new(&["NAME", "EMAIL", "ACCOUNT TYPE", "STATUS", "ID"]);
        for m in &members {
            t.row(vec![
                m.display_name(),
                m.email.clone(),
                m.member_type.clone(),
                output::member_status(m),
                m.member_id.clone(),
            ]);
        }
        t.print();
        output::note(&format!("{} users", members.len()));
        Ok(())
    })
}
