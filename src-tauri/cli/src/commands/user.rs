//! `standin user EMAIL_OR_ID`: one user's details, teams and user attributes.

use super::context::{runtime, Ctx};
use crate::output::{self, print_json, Table};
use clap::Args;
use standin_core::{CoreError, SigmaClient};

#[derive(Args)]
pub struct UserArgs {
    email_or_id: String,
}

pub fn run(args: UserArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let client = ctx.client()?;
    runtime()?.block_on(user_command(&client, &args.email_or_id, ctx.json))
}

async fn user_command(
    client: &SigmaClient,
    email_or_id: &str,
    json: bool,
) -> Result<(), CoreError> {
    let api = client.admin().await?;
    let member = if email_or_id.contains('@') {
        api.member_by_email(email_or_id).await?.ok_or_else(|| {
            CoreError::Refused(standin_core::Refusal::TargetNotFound {
                email: email_or_id.to_string(),
            })
        })?
    } else {
        api.member(email_or_id).await?
    };
    let teams = api.member_teams(&member.member_id).await?;
    let attributes = api.member_attributes(&member.member_id).await?;
    if json {
        return print_json(&serde_json::json!({
            "member": member,
            "teams": teams,
            "userAttributes": attributes,
        }));
    }
    let mut t = Table::new(&["FIELD", "VALUE"]);
    t.row(vec!["name".into(), member.display_name()]);
    t.row(vec!["email".into(), member.email.clone()]);
    t.row(vec!["account type".into(), member.member_type.clone()]);
    t.row(vec!["status".into(), output::member_status(&member)]);
    t.row(vec![
        "user kind".into(),
        member.user_kind.clone().unwrap_or_default(),
    ]);
    t.row(vec!["member ID".into(), member.member_id.clone()]);
    t.row(vec![
        "My Documents".into(),
        member.home_folder_id.clone().unwrap_or_default(),
    ]);
    t.row(vec![
        "teams".into(),
        teams
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    for a in &attributes {
        t.row(vec![
            format!("attribute {}", a.name),
            format!("{} ({})", a.value, a.source),
        ]);
    }
    t.print();
    if member.is_admin() {
        output::note(&format!(
            "note: {} is an Admin: admins cannot impersonate other admins",
            member.email
        ));
    } else if member.archived() || member.inactive() {
        output::note(&format!(
            "note: {} is archived or inactive and cannot be impersonated",
            member.email
        ));
    }
    Ok(())
}
