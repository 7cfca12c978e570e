//! The audit log view, its export, and its verification.

use crate::dto::*;
use crate::state::{blocking, AppState};
use standin_core::audit::read_audit_log;
use standin_core::CoreError;

type Res<T> = Result<T, ErrorDto>;

pub async fn audit_entries(state: &AppState) -> Res<Vec<AuditEntryDto>> {
    let path = state.audit_path.clone();
    let read = blocking(move || read_audit_log(&path)).await?;
    Ok(read.entries.iter().map(AuditEntryDto::from).collect())
}

fn csv_field(s: &str) -> String {
    // Quote every field; a leading = + - @ could make a spreadsheet run a formula, so prefix it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub fn to_csv(entries: &[AuditEntryDto]) -> String {
    let mut out = String::from(
        "time,event,connection,actor,subject,tenant,reason,session_id,read_only,method,path,status,detail,request_id,phase\n",
    );
    for e in entries {
        let row = [
            e.time.clone(),
            e.event.clone(),
            e.profile.clone(),
            e.actor.clone(),
            e.subject.clone(),
            e.tenant.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            e.session_id.clone().unwrap_or_default(),
            e.read_only.map(|b| b.to_string()).unwrap_or_default(),
            e.method.clone().unwrap_or_default(),
            e.path.clone().unwrap_or_default(),
            e.status.map(|s| s.to_string()).unwrap_or_default(),
            e.detail.clone().unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
            e.phase.clone().unwrap_or_default(),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

pub async fn export_audit(state: &AppState, format: ExportFormat) -> Res<AuditExport> {
    let entries = audit_entries(state).await?;
    let (ext, body) = match format {
        ExportFormat::Csv => ("csv", to_csv(&entries)),
        ExportFormat::Json => (
            "json",
            serde_json::to_string_pretty(&serde_json::json!({ "entries": entries }))
                .map_err(|e| CoreError::Decode(e.to_string()))?,
        ),
    };
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let path = state
        .export_dir
        .join(format!("stand-in-audit-{stamp}.{ext}"));
    let count = entries.len() as u32;
    let written = path.clone();
    blocking(move || {
        if let Some(dir) = written.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::Storage {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        std::fs::write(&written, body).map_err(|e| CoreError::Storage {
            path: written.display().to_string(),
            reason: e.to_string(),
        })
    })
    .await?;
    Ok(AuditExport {
        path: path.display().to_string(),
        count,
    })
}

/// Checks the log's hash chain and MACs (a keyring read, so off the async threads): "intact, N records" or
/// the first line edited, deleted, reordered or cut off.
pub async fn verify_audit(state: &AppState) -> Res<AuditVerificationDto> {
    let log = state.audit_log.clone();
    let verification = blocking(move || log.verify()).await?;
    Ok(AuditVerificationDto::from(&verification))
}
