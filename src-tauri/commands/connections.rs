//! Connections: the sandbox org plus saved profiles. Everything but `test` and `select` works offline.

use crate::dto::*;
use crate::state::{blocking, AppState, SANDBOX_NAME};
use standin_core::profile::{Profile, ProfileUpdate, REGIONS};
use standin_core::session::identify_actor;
use standin_core::{CoreError, Secret, SigmaClient};

type Res<T> = Result<T, ErrorDto>;

fn profile_dto(p: &Profile, has_secret: bool) -> ConnectionDto {
    ConnectionDto {
        name: p.name.clone(),
        kind: ConnectionKind::Org,
        base_url: p.base_url.clone(),
        region: p.region().to_string(),
        client_id: p.client_id.clone(),
        tenant: p.tenant.clone(),
        has_secret,
    }
}

fn reserved(name: &str) -> Res<()> {
    if name.trim().eq_ignore_ascii_case(SANDBOX_NAME) {
        return Err(CoreError::InvalidProfile(format!(
            "'{SANDBOX_NAME}' is the built-in connection; pick another name"
        ))
        .into());
    }
    Ok(())
}

pub async fn list_connections(state: &AppState) -> Res<Vec<ConnectionDto>> {
    let profiles = state.profiles.clone();
    let saved = blocking(move || {
        profiles
            .list()?
            .into_iter()
            .map(|p| {
                // A keyring that cannot be asked must not hide the profile.
                let has = profiles.has_secret(&p.name).unwrap_or(false);
                Ok(profile_dto(&p, has))
            })
            .collect::<Result<Vec<_>, CoreError>>()
    })
    .await?;
    let mut out = vec![state.sandbox_connection()];
    out.extend(saved);
    Ok(out)
}

pub fn list_regions() -> Vec<RegionDto> {
    REGIONS
        .iter()
        .map(|(name, url)| RegionDto {
            name: name.to_string(),
            base_url: url.to_string(),
        })
        .collect()
}

pub async fn add_connection(state: &AppState, input: ConnectionInput) -> Res<ConnectionDto> {
    reserved(&input.name)?;
    let profile = Profile::new(
        &input.name,
        &input.base_url,
        &input.client_id,
        input.tenant.as_deref(),
    )?;
    let secret = Secret::new(input.secret);
    let profiles = state.profiles.clone();
    let dto = profile_dto(&profile, true);
    blocking(move || profiles.add(profile, &secret)).await?;
    Ok(dto)
}

pub async fn update_connection(
    state: &AppState,
    name: String,
    update: ConnectionUpdate,
) -> Res<ConnectionDto> {
    reserved(&name)?;
    if let Some(n) = &update.name {
        reserved(n)?;
    }
    let change = ProfileUpdate {
        name: update.name,
        base_url: update.base_url,
        client_id: update.client_id,
        tenant: if update.clear_tenant {
            Some(None)
        } else {
            update.tenant.map(Some)
        },
    };
    let profiles = state.profiles.clone();
    blocking(move || {
        let p = profiles.update(&name, change)?;
        let has = profiles.has_secret(&p.name)?;
        Ok(profile_dto(&p, has))
    })
    .await
    .map_err(Into::into)
}

pub async fn rotate_secret(state: &AppState, name: String, secret: String) -> Res<()> {
    reserved(&name)?;
    let profiles = state.profiles.clone();
    let secret = Secret::new(secret);
    let rotated = name.clone();
    blocking(move || profiles.rotate_secret(&rotated, &secret)).await?;
    // The active connection's cached token was made with the old secret.
    if state.console.connection_name().await.as_deref() == Some(name.as_str()) {
        select_connection(state, name).await?;
    }
    Ok(())
}

pub async fn remove_connection(state: &AppState, name: String) -> Res<()> {
    reserved(&name)?;
    let profiles = state.profiles.clone();
    let removed = name.clone();
    blocking(move || profiles.remove(&removed)).await?;
    if state.console.connection_name().await.as_deref() == Some(name.as_str()) {
        select_connection(state, SANDBOX_NAME.to_string()).await?;
    }
    Ok(())
}

pub async fn test_connection(state: &AppState, name: String) -> Res<ActorDto> {
    let client = SigmaClient::connect(state.credentials(&name).await?)?;
    let actor = identify_actor(&client).await?;
    Ok(ActorDto::from(&actor))
}

async fn connection_dto(state: &AppState, name: &str) -> Res<ConnectionDto> {
    list_connections(state)
        .await?
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| CoreError::ProfileNotFound(name.to_string()).into())
}

pub async fn select_connection(state: &AppState, name: String) -> Res<ConnectionState> {
    let connection = connection_dto(state, &name).await?;
    let client = SigmaClient::connect(state.credentials(&name).await?)?;
    let (ended, actor) = state.console.connect(&name, client).await;
    if let Some(end) = ended {
        crate::commands::session::emit_stopped(state, &end);
    }
    Ok(ConnectionState {
        connection,
        actor: actor.as_ref().ok().map(ActorDto::from),
        actor_error: actor.err().map(ErrorDto::from),
    })
}

pub async fn current_connection(state: &AppState) -> Res<ConnectionState> {
    let name = state
        .console
        .connection_name()
        .await
        .unwrap_or_else(|| SANDBOX_NAME.to_string());
    let connection = connection_dto(state, &name).await?;
    let actor = state.console.actor().await;
    Ok(ConnectionState {
        connection,
        actor: actor.as_ref().ok().map(ActorDto::from),
        actor_error: actor.err().map(ErrorDto::from),
    })
}
