//! `standin teams` and `standin team-members TEAM_ID`.

use super::context::{runtime, Ctx};
use crate::output::{self, print_json, JsonArray, StreamTable, Table};
use clap::Args;
use standin_core::client::{RosterEntry, PAGE_LIMIT};
use standin_core::CoreError;
use std::ops::ControlFlow;

#[derive(Args)]
pub struct TeamMembersArgs {
    team_id: String,
}

pub fn run_teams(ctx: &Ctx) -> Result<(), CoreError> {
    let json = ctx.json;
    let client = ctx.client()?;
    runtime()?.block_on(async {
        let teams = client.admin().await?.teams(PAGE_LIMIT).await?;
        if json {
            return print_json(&teams);
        }
        let mut t = Table::new(&["NAME", "VISIBILITY", "DESCRIPTION", "ID"]);
        for team in &teams {
            t.row(vec![
                team.name.clone(),
                team.visibility.clone().unwrap_or_default(),
                team.description.clone().unwrap_or_default(),
                team.team_id.clone(),
            ]);
        }
        t.print();
        Ok(())
    })
}

/// The roster is printed as the org's member list is walked (see `Api::team_roster_each`): rows come in
/// the org's order, a page at a time; a closed stdout stops the walk.
pub fn run_members(args: TeamMembersArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let team_id = args.team_id;
    let json = ctx.json;
    let client = ctx.client()?;
    runtime()?.block_on(async {
        let mut table = StreamTable::new(&["NAME", "EMAIL", "ACCOUNT TYPE", "TEAM ADMIN", "ID"]);
        let mut array = JsonArray::default();
        let mut failed = None;
        let api = client.admin().await?;
        api.team_roster_each(&team_id, |page| {
            if json {
                if let Err(e) = array.items(&page.iter().map(roster_json).collect::<Vec<_>>()) {
                    failed = Some(e);
                    return ControlFlow::Break(());
                }
            } else {
                table.rows(page.iter().map(roster_row).collect());
            }
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
        }
        Ok(())
    })
}

/// The team member entry with the member's email, name and type beside it (when the record was found).
fn roster_json(entry: &RosterEntry) -> serde_json::Value {
    let mut v = serde_json::to_value(&entry.team_member).unwrap_or_default();
    if let (Some(m), Some(obj)) = (&entry.member, v.as_object_mut()) {
        obj.insert("email".into(), m.email.clone().into());
        obj.insert("name".into(), m.display_name().into());
        obj.insert("memberType".into(), m.member_type.clone().into());
    }
    v
}

fn roster_row(entry: &RosterEntry) -> Vec<String> {
    let m = entry.member.as_ref();
    vec![
        m.map(|m| m.display_name()).unwrap_or_default(),
        m.map(|m| m.email.clone()).unwrap_or_default(),
        m.map(|m| m.member_type.clone()).unwrap_or_default(),
        if entry.team_member.is_team_admin {
            "yes"
        } else {
            ""
        }
        .into(),
        entry.team_member.user_id.clone(),
    ]
}
