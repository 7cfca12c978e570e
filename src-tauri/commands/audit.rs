//! The audit log view, its export, and its verification.

use crate::dto::*;
use crate::state::{blocking, AppState};
use standin_core::audit::read_audit_log;
use standin_core::CoreError;
use std::path::{Path, PathBuf};

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
        "time,event,connection,actor,subject,tenant,reason,session_id,read_only,method,path,status,detail,request_id,phase,review_id\n",
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
            e.review_id.clone().unwrap_or_default(),
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

/// The Audit screen's filter, the same rule as `matchesAudit` in ui/src/screens/AuditScreen.tsx, so an
/// export holds exactly the rows the table shows.
pub fn matches_filter(e: &AuditEntryDto, filter: &AuditFilter) -> bool {
    if let Some(event) = filter.event.as_deref() {
        if e.event != event {
            return false;
        }
    }
    let text = filter.text.trim().to_lowercase();
    if text.is_empty() {
        return true;
    }
    [
        Some(&e.actor),
        Some(&e.subject),
        e.reason.as_ref(),
        Some(&e.profile),
        e.path.as_ref(),
        e.detail.as_ref(),
        e.request_id.as_ref(),
        e.session_id.as_ref(),
        e.review_id.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|field| field.to_lowercase().contains(&text))
}

/// Writes the entries the filter selects, in the log's own (chain) order, to a new file in the export folder.
pub async fn export_audit(
    state: &AppState,
    format: ExportFormat,
    filter: AuditFilter,
) -> Res<AuditExport> {
    let entries: Vec<AuditEntryDto> = audit_entries(state)
        .await?
        .into_iter()
        .filter(|e| matches_filter(e, &filter))
        .collect();
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
    let dir = state.export_dir.clone();
    let count = entries.len() as u32;
    let path = blocking(move || {
        std::fs::create_dir_all(&dir).map_err(|e| CoreError::Storage {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        // A new file every time (create_new): two exports within one second get "-2", "-3"… rather than
        // one silently replacing the other.
        let mut n = 1u32;
        loop {
            let name = if n == 1 {
                format!("stand-in-audit-{stamp}.{ext}")
            } else {
                format!("stand-in-audit-{stamp}-{n}.{ext}")
            };
            let path = dir.join(name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    use std::io::Write;
                    file.write_all(body.as_bytes())
                        .map_err(|e| CoreError::Storage {
                            path: path.display().to_string(),
                            reason: e.to_string(),
                        })?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => {
                    return Err(CoreError::Storage {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })
                }
            }
        }
    })
    .await?;
    Ok(AuditExport {
        path: path.display().to_string(),
        count,
    })
}

/// The file an export wrote, if `path` is one: a `stand-in-audit-*` or `stand-in-review-*` (access review)
/// file directly in the export folder. The web view may only show our own exports, never ask the desktop to
/// open an arbitrary path.
pub fn export_file(export_dir: &Path, path: &str) -> Result<PathBuf, CoreError> {
    let not_export = |reason: &str| CoreError::Storage {
        path: path.to_string(),
        reason: reason.to_string(),
    };
    let file = Path::new(path)
        .canonicalize()
        .map_err(|e| not_export(&e.to_string()))?;
    let dir = export_dir
        .canonicalize()
        .map_err(|e| not_export(&format!("the export folder cannot be read ({e})")))?;
    let is_export = file.is_file()
        && file.parent() == Some(dir.as_path())
        && file
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("stand-in-audit-") || n.starts_with("stand-in-review-"));
    if !is_export {
        return Err(not_export("not an export of this app"));
    }
    Ok(file)
}

/// "Show in folder": opens the folder holding an export in the desktop's file manager.
pub async fn reveal_export(state: &AppState, path: String) -> Res<()> {
    let file = export_file(&state.export_dir, &path)?;
    blocking(move || {
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        opener::open(&dir).map_err(|e| CoreError::Storage {
            path: dir.display().to_string(),
            reason: format!("the file manager could not be opened ({e})"),
        })
    })
    .await?;
    Ok(())
}

/// Checks the log's hash chain and MACs (a keyring read, so off the async threads): "intact, N records" or
/// the first line edited, deleted, reordered or cut off.
pub async fn verify_audit(state: &AppState) -> Res<AuditVerificationDto> {
    let log = state.audit_log.clone();
    let verification = blocking(move || log.verify()).await?;
    Ok(AuditVerificationDto::from(&verification))
}
