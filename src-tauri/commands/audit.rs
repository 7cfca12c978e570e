//! The audit log view, its export, and its verification.

use crate::dto::*;
use crate::state::{blocking, AppState};
use standin_core::audit::read_audit_log;
use standin_core::audit_export;
use standin_core::CoreError;
use std::path::{Path, PathBuf};

type Res<T> = Result<T, ErrorDto>;

pub async fn audit_entries(state: &AppState) -> Res<Vec<AuditEntryDto>> {
    let path = state.audit_path.clone();
    let read = blocking(move || read_audit_log(&path)).await?;
    Ok(read.entries.iter().map(AuditEntryDto::from).collect())
}

fn core_filter(filter: AuditFilter) -> audit_export::AuditFilter {
    audit_export::AuditFilter {
        text: filter.text,
        event: filter.event,
    }
}

/// The Audit screen's filter (`standin_core::audit_export::AuditFilter`) on a record as the web view has it.
pub fn matches_filter(e: &AuditEntryDto, filter: &AuditFilter) -> bool {
    let fields = [
        Some(e.actor.as_str()),
        Some(e.subject.as_str()),
        e.reason.as_deref(),
        Some(e.profile.as_str()),
        e.path.as_deref(),
        e.detail.as_deref(),
        e.request_id.as_deref(),
        e.session_id.as_deref(),
        e.review_id.as_deref(),
    ];
    core_filter(filter.clone()).matches_fields(&e.event, &fields)
}

/// Writes the entries the filter selects to a new file in the export folder (see
/// [`audit_export::export_audit_log`]).
pub async fn export_audit(
    state: &AppState,
    format: ExportFormat,
    filter: AuditFilter,
) -> Res<AuditExport> {
    let (log, dir) = (state.audit_path.clone(), state.export_dir.clone());
    let format = match format {
        ExportFormat::Csv => audit_export::ExportFormat::Csv,
        ExportFormat::Json => audit_export::ExportFormat::Json,
    };
    let filter = core_filter(filter);
    let now = time::OffsetDateTime::now_utc();
    let exported =
        blocking(move || audit_export::export_audit_log(&log, &dir, format, &filter, now)).await?;
    Ok(AuditExport {
        path: exported.path.display().to_string(),
        count: exported.count as u32,
    })
}

/// The file an export wrote, if `path` is one (see [`audit_export::export_file`]).
pub fn export_file(export_dir: &Path, path: &str) -> Result<PathBuf, CoreError> {
    audit_export::export_file(export_dir, path)
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
