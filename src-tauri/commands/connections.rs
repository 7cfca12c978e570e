//! Connections: the sandbox org plus saved profiles. Everything but `test` and `select` works offline.

use crate::dto::*;
use crate::state::{blocking, not_the_sandbox, AppState, SANDBOX_NAME};
use standin_core::profile::{ca_file_input, set_or_clear, Profile, ProfileUpdate, REGIONS};
use standin_core::session::identify_actor;
use standin_core::{CoreError, Secret};

type Res<T> = Result<T, ErrorDto>;

pub async fn list_connections(state: &AppState) -> Res<Vec<ConnectionDto>> {
    let profiles = state.profiles.clone();
    let saved = blocking(move || {
        profiles
            .list()?
            .into_iter()
            .map(|p| {
                // A keyring that cannot be asked must not hide the profile.
                let status = profiles.secret_state(&p.name).into();
                Ok(ConnectionDto::from_profile(&p, status))
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
    not_the_sandbox(&input.name)?;
    let profile = Profile::new(
        &input.name,
        &input.base_url,
        &input.client_id,
        input.tenant.as_deref(),
    )?
    .with_ca_file(ca_file_input(input.ca_file.as_deref())?.as_deref())?;
    let secret = input.secret;
    let profiles = state.profiles.clone();
    let dto = ConnectionDto::from_profile(&profile, SecretStatus::Stored);
    blocking(move || profiles.add(profile, &secret)).await?;
    Ok(dto)
}

pub async fn update_connection(
    state: &AppState,
    name: String,
    update: ConnectionUpdate,
) -> Res<ConnectionDto> {
    not_the_sandbox(&name)?;
    if let Some(n) = &update.name {
        not_the_sandbox(n)?;
    }
    let change = ProfileUpdate {
        name: update.name,
        base_url: update.base_url,
        client_id: update.client_id,
        tenant: set_or_clear(update.tenant, update.clear_tenant),
        ca_file: set_or_clear(
            ca_file_input(update.ca_file.as_deref())?,
            update.clear_ca_file,
        ),
    };
    let profiles = state.profiles.clone();
    blocking(move || {
        let p = profiles.update(&name, change)?;
        let status = profiles.secret_state(&p.name).into();
        Ok(ConnectionDto::from_profile(&p, status))
    })
    .await
    .map_err(Into::into)
}

pub async fn rotate_secret(state: &AppState, name: String, secret: Secret) -> Res<()> {
    not_the_sandbox(&name)?;
    let profiles = state.profiles.clone();
    let rotated = name.clone();
    blocking(move || profiles.rotate_secret(&rotated, &secret)).await?;
    // The active connection's cached token was made with the old secret.
    if state.console.connection_name().await.as_deref() == Some(name.as_str()) {
        select_connection(state, name).await?;
    }
    Ok(())
}

pub async fn remove_connection(state: &AppState, name: String) -> Res<()> {
    not_the_sandbox(&name)?;
    let profiles = state.profiles.clone();
    let removed = name.clone();
    blocking(move || profiles.remove(&removed)).await?;
    if state.console.connection_name().await.as_deref() == Some(name.as_str()) {
        select_connection(state, SANDBOX_NAME.to_string()).await?;
    }
    Ok(())
}

pub async fn test_connection(state: &AppState, name: String) -> Res<ActorDto> {
    let client = state.connect_client(state.credentials(&name).await?)?;
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
    let client = state.connect_client(state.credentials(&name).await?)?;
    let (ended, actor) = state.console.connect(&name, client).await;
    if let Some(end) = ended {
        state.emit_stopped(&end, Some(StopReason::Switched));
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
