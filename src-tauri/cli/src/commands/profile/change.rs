//! The profile commands that change something: add, edit, rotate, remove.

use crate::output;
use standin_core::profile::{Profile, ProfileStore, ProfileUpdate, REGIONS};
use standin_core::{CoreError, Secret};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

pub(super) fn add(
    store: &ProfileStore,
    name: &str,
    base_url: Option<String>,
    region: Option<String>,
    client_id: &str,
    tenant: Option<String>,
    ca_file: Option<PathBuf>,
) -> Result<(), CoreError> {
    // clap requires one of --base-url and --region; an empty URL would be refused clearly anyway.
    let base_url = match region {
        Some(r) => REGIONS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&r))
            .map(|(_, u)| u.to_string())
            .ok_or_else(|| {
                CoreError::InvalidProfile(format!(
                    "unknown region '{r}'; see `standin profile regions`"
                ))
            })?,
        None => base_url.unwrap_or_default(),
    };
    // Checked before the secret is asked for, so a wrong path costs no typing.
    let profile = Profile::new(name, &base_url, client_id, tenant.as_deref())?
        .with_ca_file(ca_file.as_deref())?;
    let secret = read_secret("Client secret: ")?;
    store.add(profile, &secret)?;
    output::note(&format!(
        "profile '{name}' saved; its secret is in the OS keyring"
    ));
    Ok(())
}

pub(super) fn edit(
    store: &ProfileStore,
    name: &str,
    update: ProfileUpdate,
) -> Result<(), CoreError> {
    let updated = store.update(name, update)?;
    output::note(&format!("profile '{}' updated", updated.name));
    Ok(())
}

pub(super) fn rotate(store: &ProfileStore, name: &str) -> Result<(), CoreError> {
    store.get(name)?;
    let secret = read_secret("New client secret: ")?;
    store.rotate_secret(name, &secret)?;
    output::note(&format!(
        "secret of profile '{name}' replaced in the OS keyring"
    ));
    Ok(())
}

pub(super) fn remove(store: &ProfileStore, name: &str) -> Result<(), CoreError> {
    store.remove(name)?;
    output::note(&format!("profile '{name}' and its keyring entry removed"));
    Ok(())
}

fn read_secret(prompt: &str) -> Result<Secret, CoreError> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        rpassword::prompt_password(prompt)
            .map_err(|e| CoreError::MissingCredentials(e.to_string()))?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| CoreError::MissingCredentials(e.to_string()))?;
        line
    };
    let value = value.trim_end_matches(['\r', '\n']).to_string();
    if value.trim().is_empty() {
        return Err(CoreError::MissingCredentials(
            "no client secret was given on stdin; pipe it in, e.g. `printf %s \"$SECRET\" | standin profile add …`".into(),
        ));
    }
    Ok(Secret::new(value))
}
