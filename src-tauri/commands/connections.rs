//! Connections: the sandbox org plus saved profiles. Everything but `test` and `select` works offline.

use crate::dto::*;
use crate::state::{blocking, AppState, SANDBOX_NAME};
use standin_core::profile::ProfileStore;
use standin_core::profile::{Profile, ProfileUpdate, REGIONS};
use standin_core::session::identify_actor;
use standin_core::{CoreError, Secret};
use std::path::PathBuf;

type Res<T> = Result<T, ErrorDto>;

fn profile_dto(p: &Profile, secret_status: SecretStatus) -> ConnectionDto {
    ConnectionDto {
        name: p.name.clone(),
        kind: ConnectionKind::Org,
        base_url: p.base_url.clone(),
        region: p.region().to_string(),
        client_id: p.client_id.clone(),
        tenant: p.tenant.clone(),
        has_secret: secret_status == SecretStatus::Stored,
        secret_status,
        ca_file: p.ca_file.as_ref().map(|f| f.display().to_string()),
    }
}

/// Asks the keyring whether it holds the profile's secret. A keyring that cannot be asked (no Secret
/// Service) is its own answer, not "no secret": rotating would not help there, starting the keyring would.
fn secret_status(profiles: &ProfileStore, name: &str) -> SecretStatus {
    match profiles.has_secret(name) {
        Ok(true) => SecretStatus::Stored,
        Ok(false) => SecretStatus::Missing,
        Err(e) => {
            tracing::warn!(error = %e, "could not ask the keyring about a connection's secret");
            SecretStatus::KeyringUnavailable
        }
    }
}

/// A CA file path from the web view: blank means none. It must be absolute: the app's working directory
/// is not one the user chose, so a relative path would name some other file.
fn ca_path(raw: Option<String>) -> Res<Option<PathBuf>> {
    let Some(path) = raw
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
    else {
        return Ok(None);
    };
    if !path.is_absolute() {
        return Err(CoreError::InvalidProfile(format!(
            "the CA certificate file '{}' must be given as a full path, e.g. /etc/ssl/certs/corp-ca.pem",
            path.display()
        ))
        .into());
    }
    Ok(Some(path))
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
                let status = secret_status(&profiles, &p.name);
                Ok(profile_dto(&p, status))
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
    )?
    .with_ca_file(ca_path(input.ca_file)?.as_deref())?;
    let secret = input.secret;
    let profiles = state.profiles.clone();
    let dto = profile_dto(&profile, SecretStatus::Stored);
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
        ca_file: if update.clear_ca_file {
            Some(None)
        } else {
            ca_path(update.ca_file)?.map(Some)
        },
    };
    let profiles = state.profiles.clone();
    blocking(move || {
        let p = profiles.update(&name, change)?;
        let status = secret_status(&profiles, &p.name);
        Ok(profile_dto(&p, status))
    })
    .await
    .map_err(Into::into)
}

pub async fn rotate_secret(state: &AppState, name: String, secret: Secret) -> Res<()> {
    reserved(&name)?;
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
        crate::commands::session::emit_stopped_because(state, &end, StopReason::Switched);
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
