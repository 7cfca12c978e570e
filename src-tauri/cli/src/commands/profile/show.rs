//! The profile commands that only read: list, show, test, regions.

use super::super::context::{connect_client, runtime};
use crate::output::{self, print_json, Table};
use standin_core::profile::{ProfileStore, REGIONS};
use standin_core::session::identify_actor;
use standin_core::CoreError;

pub(super) fn list(store: &ProfileStore, json: bool) -> Result<(), CoreError> {
    let list = store.list()?;
    if json {
        return print_json(&list);
    }
    let mut t = Table::new(&["NAME", "REGION", "BASE URL", "CLIENT ID", "TENANT"]);
    for p in &list {
        t.row(vec![
            p.name.clone(),
            p.region().into(),
            p.base_url.clone(),
            p.client_id.clone(),
            p.tenant.clone().unwrap_or_default(),
        ]);
    }
    t.print();
    Ok(())
}

pub(super) fn show(store: &ProfileStore, name: &str, json: bool) -> Result<(), CoreError> {
    let p = store.get(name)?;
    let has_secret = store.has_secret(name)?;
    if json {
        let mut v = serde_json::to_value(&p).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("region".into(), p.region().into());
            o.insert("hasSecret".into(), has_secret.into());
        }
        return print_json(&v);
    }
    let mut t = Table::new(&["FIELD", "VALUE"]);
    t.row(vec!["name".into(), p.name.clone()]);
    t.row(vec!["region".into(), p.region().into()]);
    t.row(vec!["base URL".into(), p.base_url.clone()]);
    t.row(vec!["client ID".into(), p.client_id.clone()]);
    t.row(vec!["tenant".into(), p.tenant.clone().unwrap_or_default()]);
    t.row(vec![
        "CA file".into(),
        p.ca_file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default(),
    ]);
    t.row(vec![
        "secret".into(),
        if has_secret {
            "stored in the OS keyring"
        } else {
            "MISSING — run `standin profile rotate`"
        }
        .into(),
    ]);
    t.print();
    Ok(())
}

pub(super) fn test(store: &ProfileStore, name: &str, json: bool) -> Result<(), CoreError> {
    let client = connect_client(store.credentials(name)?)?;
    let actor = runtime()?.block_on(identify_actor(&client))?;
    if json {
        let mut v = serde_json::to_value(&actor).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("canImpersonate".into(), actor.can_impersonate().into());
        }
        return print_json(&v);
    }
    output::line(&format!(
        "OK: credentials of {} ({}), account type {}{}",
        actor.name.clone().unwrap_or_default(),
        actor.label(),
        actor.account_type,
        if actor.can_impersonate() {
            " — can impersonate"
        } else {
            " — cannot impersonate (only Admins can)"
        }
    ));
    Ok(())
}

pub(super) fn regions(json: bool) -> Result<(), CoreError> {
    if json {
        let v: Vec<_> = REGIONS
            .iter()
            .map(|(n, u)| serde_json::json!({"name": n, "baseUrl": u}))
            .collect();
        return print_json(&v);
    }
    let mut t = Table::new(&["REGION", "BASE URL"]);
    for (n, u) in REGIONS {
        t.row(vec![n.to_string(), u.to_string()]);
    }
    t.print();
    Ok(())
}
