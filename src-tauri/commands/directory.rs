//! Users and teams, as the admin sees them.

use crate::dto::*;
use crate::state::AppState;
use standin_core::error::Refusal;

type Res<T> = Result<T, ErrorDto>;

pub fn eligibility_dto(e: Result<(), Refusal>) -> Eligibility {
    match e {
        Ok(()) => Eligibility {
            allowed: true,
            reason: None,
        },
        Err(r) => Eligibility {
            allowed: false,
            reason: Some(r.explain()),
        },
    }
}

pub async fn list_users(state: &AppState, query: UserQuery) -> Res<Vec<MemberDto>> {
    let users = state
        .console
        .users(query.search, query.include_archived)
        .await?;
    Ok(users
        .iter()
        .map(|(m, e)| MemberDto::new(m, eligibility_dto(e.clone())))
        .collect())
}

pub async fn get_user(state: &AppState, member_id: String) -> Res<UserProfileDto> {
    let profile = state.console.user_profile(&member_id).await?;
    let actor = state.console.current_actor().await;
    let e = state
        .console
        .eligibility_of(actor.as_ref(), &profile.member);
    Ok(UserProfileDto {
        member: MemberDto::new(&profile.member, eligibility_dto(e)),
        teams: SectionDto::from_result(profile.teams, |teams| {
            teams.iter().map(TeamDto::from).collect()
        }),
        attributes: SectionDto::from_result(profile.attributes, |attributes| {
            attributes.iter().map(MemberAttributeDto::from).collect()
        }),
    })
}

pub async fn list_teams(state: &AppState) -> Res<Vec<TeamDto>> {
    Ok(state
        .console
        .teams()
        .await?
        .iter()
        .map(TeamDto::from)
        .collect())
}

pub async fn get_team_members(state: &AppState, team_id: String) -> Res<Vec<TeamMemberDto>> {
    let roster = state.console.team_roster(&team_id).await?;
    let actor = state.console.current_actor().await;
    Ok(roster
        .iter()
        .map(|entry| {
            let impersonation = match &entry.member {
                Some(m) => eligibility_dto(state.console.eligibility_of(actor.as_ref(), m)),
                None => Eligibility {
                    allowed: false,
                    reason: Some("this member's record could not be found".into()),
                },
            };
            TeamMemberDto {
                user_id: entry.team_member.user_id.clone(),
                is_team_admin: entry.team_member.is_team_admin,
                member: entry
                    .member
                    .as_ref()
                    .map(|m| MemberDto::new(m, impersonation.clone())),
                impersonation,
            }
        })
        .collect())
}
