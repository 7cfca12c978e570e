//! Exports of the audit log: the Audit screen's filter, the CSV and JSON renderings, and a new file in the
//! export folder for every export. The app's `export_audit` command is one call here.

use crate::audit::{read_audit_log, AuditEntry};
use crate::error::{CoreError, Result};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The Audit screen's filter, the same rule as `matchesAudit` in ui/src/screens/AuditScreen.tsx, so an
/// export holds exactly the rows the table shows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Case-insensitive, trimmed; empty matches everything.
    pub text: String,
    /// An event name (`impersonation.stop`), or `None` for every event.
    pub event: Option<String>,
}

impl AuditFilter {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        self.matches_fields(e.event.as_str(), &searched_fields(e))
    }

    /// The rule itself, on a record's event name and the fields the text is looked for in (for callers
    /// holding a record in another shape).
    pub fn matches_fields(&self, event: &str, fields: &[Option<&str>]) -> bool {
        if self.event.as_deref().is_some_and(|wanted| wanted != event) {
            return false;
        }
        let text = self.text.trim().to_lowercase();
        text.is_empty()
            || fields
                .iter()
                .flatten()
                .any(|field| field.to_lowercase().contains(&text))
    }
}

/// The fields the filter's text is looked for in, as on the Audit screen.
pub fn searched_fields(e: &AuditEntry) -> [Option<&str>; 9] {
    [
        Some(e.actor.as_str()),
        Some(e.subject.as_str()),
        e.reason.as_deref(),
        Some(e.profile.as_str()),
        e.path.as_deref(),
        e.detail.as_deref(),
        e.request_id.as_deref(),
        e.session_id.as_deref(),
        e.review_id.as_deref(),
    ]
}

/// The export's columns: the CSV header, and the JSON keys in the same order.
const CSV_COLUMNS: [&str; 16] = [
    "time",
    "event",
    "connection",
    "actor",
    "subject",
    "tenant",
    "reason",
    "session_id",
    "read_only",
    "method",
    "path",
    "status",
    "detail",
    "request_id",
    "phase",
    "review_id",
];
const JSON_KEYS: [&str; 16] = [
    "time",
    "event",
    "profile",
    "actor",
    "subject",
    "tenant",
    "reason",
    "sessionId",
    "readOnly",
    "method",
    "path",
    "status",
    "detail",
    "requestId",
    "phase",
    "reviewId",
];

/// A record's values in column order. Every column is present (null when the record has no value), so
/// every row of an export has the same shape.
fn values(e: &AuditEntry) -> [Value; 16] {
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
    [
        e.time.clone().into(),
        e.event.as_str().into(),
        e.profile.clone().into(),
        e.actor.clone().into(),
        e.subject.clone().into(),
        text(&e.tenant),
        text(&e.reason),
        text(&e.session_id),
        e.read_only.map_or(Value::Null, Value::Bool),
        text(&e.method),
        text(&e.path),
        e.status.map_or(Value::Null, Value::from),
        text(&e.detail),
        text(&e.request_id),
        e.phase.map_or(Value::Null, |p| p.as_str().into()),
        text(&e.review_id),
    ]
}

fn csv_field(value: &Value) -> String {
    let s = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // Quote every field; a leading = + - @ could make a spreadsheet run a formula, so prefix it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = CSV_COLUMNS.join(",") + "\n";
    for e in entries {
        let row: Vec<String> = values(e).iter().map(csv_field).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// `{"entries": [...]}`, each record with every field (camelCase keys; null when absent).
pub fn to_json(entries: &[AuditEntry]) -> Result<String> {
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let row: Map<String, Value> = JSON_KEYS
                .iter()
                .map(|k| k.to_string())
                .zip(values(e))
                .collect();
            Value::Object(row)
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "entries": rows }))
        .map_err(|e| CoreError::Decode(e.to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    pub path: PathBuf,
    pub count: usize,
}

/// Writes the records of the log at `log` that `filter` selects, in the log's own (chain) order, to a new
/// file `stand-in-audit-<stamp>[-N].<ext>` in `export_dir`. Blocking (file reads and writes).
pub fn export_audit_log(
    log: &Path,
    export_dir: &Path,
    format: ExportFormat,
    filter: &AuditFilter,
    now: OffsetDateTime,
) -> Result<Exported> {
    let entries: Vec<AuditEntry> = read_audit_log(log)?
        .entries
        .into_iter()
        .filter(|e| filter.matches(e))
        .collect();
    let (ext, body) = match format {
        ExportFormat::Csv => ("csv", to_csv(&entries)),
        ExportFormat::Json => ("json", to_json(&entries)?),
    };
    let path = write_new_file(export_dir, "stand-in-audit", now, ext, body.as_bytes())?;
    Ok(Exported {
        path,
        count: entries.len(),
    })
}

/// Writes `body` to a new file `<prefix>-<stamp>.<ext>` in `dir` (created if missing). A new file every
/// time (create_new): two exports within one second get "-2", "-3"… rather than one silently replacing
/// the other.
pub fn write_new_file(
    dir: &Path,
    prefix: &str,
    now: OffsetDateTime,
    ext: &str,
    body: &[u8],
) -> Result<PathBuf> {
    let storage = |path: &Path, e: std::io::Error| CoreError::Storage {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| storage(dir, e))?;
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let mut n = 1u32;
    loop {
        let name = match n {
            1 => format!("{prefix}-{stamp}.{ext}"),
            _ => format!("{prefix}-{stamp}-{n}.{ext}"),
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(body).map_err(|e| storage(&path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(storage(&path, e)),
        }
    }
}

/// The file an export wrote, if `path` is one: a `stand-in-audit-*` or `stand-in-review-*` (access review)
/// file directly in the export folder. The web view may only show our own exports, never ask the desktop to
/// open an arbitrary path.
pub fn export_file(export_dir: &Path, path: &str) -> Result<PathBuf> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditEvent, RequestPhase};

    fn at() -> OffsetDateTime {
        time::macros::datetime!(2026-12-02 07:30:00 UTC)
    }

    fn request() -> AuditEntry {
        let mut e = AuditEntry::new(
            AuditEvent::Request,
            at(),
            "Sandbox org",
            "admin@acme.example",
            "tom.lee@acme.example",
        );
        e.path = Some("/v2/workbooks".into());
        e.method = Some("GET".into());
        e.status = Some(200);
        e.read_only = Some(true);
        e.request_id = Some("REQ-ABC".into());
        e.session_id = Some("sess-42".into());
        e.phase = Some(RequestPhase::Outcome);
        e.review_id = Some("rev-7f3a".into());
        e
    }

    fn filter(text: &str, event: Option<&str>) -> AuditFilter {
        AuditFilter {
            text: text.into(),
            event: event.map(str::to_string),
        }
    }

    #[test]
    fn the_filter_looks_in_the_screens_fields_case_insensitively() {
        let e = request();
        assert!(filter("", None).matches(&e));
        for text in [
            "REV-7F",
            "req-abc",
            "SESS-4",
            "/V2/WORK",
            "  tom.LEE ",
            "sandbox",
        ] {
            assert!(filter(text, None).matches(&e), "{text}");
        }
        assert!(filter("tom", Some("impersonation.request")).matches(&e));
        assert!(!filter("tom", Some("impersonation.stop")).matches(&e));
        // Not searched: the time and the method.
        assert!(!filter("2026-12", None).matches(&e));
        assert!(!filter("sofia", None).matches(&e));
    }

    #[test]
    fn csv_has_every_column_quotes_every_field_and_defuses_formulas() {
        let mut e = request();
        e.reason = Some("=HYPERLINK(\"x\")".into());
        let csv = to_csv(&[e]);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "time,event,connection,actor,subject,tenant,reason,session_id,read_only,method,path,status,detail,request_id,phase,review_id"
        );
        assert_eq!(
            lines.next().unwrap(),
            "\"2026-12-02T07:30:00Z\",\"impersonation.request\",\"Sandbox org\",\"admin@acme.example\",\
             \"tom.lee@acme.example\",\"\",\"'=HYPERLINK(\"\"x\"\")\",\"sess-42\",\"true\",\"GET\",\
             \"/v2/workbooks\",\"200\",\"\",\"REQ-ABC\",\"outcome\",\"rev-7f3a\""
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn json_rows_have_every_key_with_null_for_what_is_absent() {
        let json: Value = serde_json::from_str(&to_json(&[request()]).unwrap()).unwrap();
        let row = json["entries"][0].as_object().unwrap();
        assert_eq!(row.len(), 16);
        assert_eq!(row["event"], "impersonation.request");
        assert_eq!(row["profile"], "Sandbox org");
        assert_eq!(row["readOnly"], true);
        assert_eq!(row["status"], 200);
        assert_eq!(row["phase"], "outcome");
        assert_eq!(row["reviewId"], "rev-7f3a");
        assert_eq!(row["tenant"], Value::Null);
    }

    #[test]
    fn an_export_is_a_new_file_each_time_and_holds_what_the_filter_selects() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("audit.jsonl");
        let mut other = request();
        other.subject = "sofia.martinez@acme.example".into();
        let lines: String = [request(), other]
            .iter()
            .map(|e| serde_json::to_string(e).unwrap() + "\n")
            .collect();
        std::fs::write(&log, lines).unwrap();
        let out = dir.path().join("Downloads");
        let sofia = filter("sofia", None);
        let a = export_audit_log(&log, &out, ExportFormat::Csv, &sofia, at()).unwrap();
        let b = export_audit_log(&log, &out, ExportFormat::Csv, &sofia, at()).unwrap();
        assert_eq!((a.count, b.count), (1, 1));
        assert!(a.path.ends_with("stand-in-audit-20261202-073000.csv"));
        assert!(b.path.ends_with("stand-in-audit-20261202-073000-2.csv"));
        let written = std::fs::read_to_string(&a.path).unwrap();
        assert_eq!(written.lines().count(), 2);
        assert!(written.contains("sofia.martinez@acme.example"));
        let all =
            export_audit_log(&log, &out, ExportFormat::Json, &filter("", None), at()).unwrap();
        assert_eq!(all.count, 2);
        assert!(all.path.ends_with("stand-in-audit-20261202-073000.json"));
    }

    #[test]
    fn only_our_own_exports_in_the_export_folder_can_be_shown() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("Downloads");
        let ours = write_new_file(&out, "stand-in-audit", at(), "csv", b"x").unwrap();
        assert_eq!(
            export_file(&out, &ours.display().to_string()).unwrap(),
            ours.canonicalize().unwrap()
        );
        let foreign = out.join("notes.txt");
        std::fs::write(&foreign, "x").unwrap();
        let elsewhere = dir.path().join("stand-in-audit-1.csv");
        std::fs::write(&elsewhere, "x").unwrap();
        let escaped = out.join("..").join("stand-in-audit-1.csv");
        for bad in [
            &foreign,
            &elsewhere,
            &escaped,
            &out.join("missing.csv"),
            &out,
        ] {
            let err = export_file(&out, &bad.display().to_string()).unwrap_err();
            assert!(matches!(err, CoreError::Storage { .. }), "{bad:?}: {err:?}");
        }
    }
}
