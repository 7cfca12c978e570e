//! `standin teams` and `standin team-members TEAM_ID`.

use super::context::{runtime, Ctx};
use crate::output::{print_json, Table};
use clap::Args;
use standin_core::client::PAGE_LIMIT;
use standin_core::CoreError;

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

pub fn run_members(args: TeamMembersArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let team_id = args.team_id;
    let json = ctx.json;
    let client = ctx.client()?;
    runtime()?.block_on(async {
        let roster = client.admin().await?.team_roster(&team_id).await?;
        if json {
            let rows: Vec<serde_json::Value> = roster
                .iter()
                .map(|entry| {
                    let mut v = serde_json::to_value(&entry.team_member).unwrap_or_default();
                    if let (Some(m), Some(obj)) = (&entry.member, v.as_object_mut()) {
                        obj.insert("email".into(), m.email.clone().into());
                        obj.insert("name".into(), m.display_name().into());
                        obj.insert("memberType".into(), m.member_type.clone().into());
                    }
                    v
                })
                .collect();
            return print_json(&rows);
        }
        let mut t = Table::new(&["NAME", "EMAIL", "ACCOUNT TYPE", "TEAM ADMIN", "ID"]);
        for entry in &roster {
            let m = entry.member.as_ref();
            t.row(vec![
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
            ]);
        }
        t.print();
        Ok(())
    })
}
