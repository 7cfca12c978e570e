//! Endpoints Sigma documents as not accepting impersonation tokens (SIGMA_API.md §1, last bullet).
//! With an impersonation token each answers 403 saying so (Sigma's own status and body are not
//! documented; 403 with a clear message is our choice). With a regular token they do the minimum a
//! sandbox can: there is one simulated warehouse connection, exports and sends are accepted and dropped,
//! and no schedules exist.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::files::accessible_file;
use super::{AppState, Caller};
use crate::error::ApiError;
use crate::ids::uuid_id;
use crate::model::{DocType, Org};

fn refuse_impersonation(caller: &Caller) -> Result<(), ApiError> {
    if caller.0.impersonated {
        Err(ApiError::forbidden(
            "This endpoint does not accept impersonation tokens; call it with the admin's own token",
        ))
    } else {
        Ok(())
    }
}

/// The one simulated warehouse connection of an org.
fn connection_id(org: &Org) -> String {
    uuid_id(&["connection", &org.id])
}

/// The warehouse path a dataset or table "reads": `ACME_ANALYTICS / PUBLIC / <NAME>`.
fn warehouse_path(org: &Org, doc: usize) -> Vec<String> {
    let upper = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    vec![
        upper(&org.name),
        "PUBLIC".to_string(),
        upper(&org.documents[doc].name),
    ]
}

fn json_body(body: Result<Bytes, BytesRejection>) -> Result<Value, ApiError> {
    let body = body.map_err(|r| {
        ApiError::bad_request(format!(
            "Could not read the request body: {}",
            r.body_text()
        ))
    })?;
    if body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("Request body is not valid JSON: {e}")))
}

fn workbook(org: &Org, caller: &Caller, id: &str) -> Result<usize, ApiError> {
    let (d, _) = accessible_file(org, caller.member(), id)?;
    if org.documents[d].doc_type != DocType::Workbook {
        return Err(ApiError::not_found(format!("Workbook {id} not found")));
    }
    Ok(d)
}

pub(crate) async fn connection_path(
    State(shared): State<AppState>,
    caller: Caller,
    Path(inode_id): Path<String>,
) -> Result<Response, ApiError> {
    refuse_impersonation(&caller)?;
    let org = caller.org(&shared);
    let (d, _) = accessible_file(org, caller.member(), &inode_id)?;
    if !matches!(org.documents[d].doc_type, DocType::Dataset | DocType::Table) {
        return Err(ApiError::not_found(format!(
            "{inode_id} is not a connection object"
        )));
    }
    Ok(
        Json(json!({ "connectionId": connection_id(org), "path": warehouse_path(org, d) }))
            .into_response(),
    )
}

pub(crate) async fn connection_lookup(
    State(shared): State<AppState>,
    caller: Caller,
    Path(connection): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    refuse_impersonation(&caller)?;
    let org = caller.org(&shared);
    if connection != connection_id(org) {
        return Err(ApiError::not_found(format!(
            "Connection {connection} not found"
        )));
    }
    let body = json_body(body)?;
    let path: Vec<String> = body
        .get("path")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .ok_or_else(|| {
            ApiError::bad_request("Body must be {\"path\": [\"DATABASE\", \"SCHEMA\", \"TABLE\"]}")
        })?;
    let found = (0..org.documents.len()).find(|&d| {
        matches!(org.documents[d].doc_type, DocType::Dataset | DocType::Table)
            && warehouse_path(org, d) == path
    });
    match found {
        Some(d) => Ok(Json(json!({
            "kind": "table",
            "inodeId": org.documents[d].id,
            "url": format!("/sandbox/{}", org.documents[d].url_id),
        }))
        .into_response()),
        None => Err(ApiError::not_found(
            "No table at that path in the sandbox connection",
        )),
    }
}

pub(crate) async fn export_workbook(
    State(shared): State<AppState>,
    caller: Caller,
    Path(workbook_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    refuse_impersonation(&caller)?;
    let org = caller.org(&shared);
    workbook(org, &caller, &workbook_id)?;
    json_body(body)?;
    Ok(
        Json(json!({ "jobComplete": false, "queryId": uuid::Uuid::new_v4().to_string() }))
            .into_response(),
    )
}

pub(crate) async fn send_workbook(
    State(shared): State<AppState>,
    caller: Caller,
    Path(workbook_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    refuse_impersonation(&caller)?;
    let org = caller.org(&shared);
    workbook(org, &caller, &workbook_id)?;
    json_body(body)?;
    Ok(Json(json!({})).into_response())
}

pub(crate) async fn list_schedules(
    State(shared): State<AppState>,
    caller: Caller,
    Path(workbook_id): Path<String>,
) -> Result<Response, ApiError> {
    refuse_impersonation(&caller)?;
    let org = caller.org(&shared);
    workbook(org, &caller, &workbook_id)?;
    Ok(Json(json!({ "entries": [], "nextPage": null })).into_response())
}

pub(crate) async fn create_schedule(
    State(shared): State<AppState>,
    caller: Caller,
    Path(workbook_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    refuse_impersonation(&caller)?;
    let org = caller.org(&shared);
    workbook(org, &caller, &workbook_id)?;
    json_body(body)?;
    Err(ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "not_implemented",
        "The sandbox does not run scheduled exports",
    ))
}
