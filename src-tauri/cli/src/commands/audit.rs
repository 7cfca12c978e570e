//! `standin audit` and `standin audit verify`: the local audit log of impersonations.

use super::context::{audit_log, Ctx};
use crate::output::{self, print_json, Table};
use clap::{Args, Subcommand};
use standin_core::audit::{read_audit_log, JsonlAuditLog};
use standin_core::CoreError;

#[derive(Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    action: Option<AuditCommand>,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every record's MAC and the hash chain: prints "intact, N records", or names the first line
    /// edited, deleted, reordered or cut off and exits 1.
    Verify,
}

pub fn run(args: AuditArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let json = ctx.json;
    match args.action {
        Some(AuditCommand::Verify) => {
            let log = audit_log();
            let verification = log.verify()?;
            if json {
                print_json(&verification)?;
            } else {
                output::line(&verification.summary());
                output::note(&format!("log: {}", log.path().display()));
                if let Some(head) = &verification.head {
                    // Removing whole records from the end leaves a chain that checks: comparing this with
                    // a value noted earlier is how that shows.
                    output::note(&format!("last line's SHA-256: {head}"));
                }
            }
            if verification.is_intact() {
                Ok(())
            } else {
                // Not an error of the command: the answer is "no", said on stdout, with exit code 1.
                output::finish()?;
                std::process::exit(1);
            }
        }
        None => {
            let path = JsonlAuditLog::default_path();
            let read = read_audit_log(&path)?;
            if read.unreadable_lines > 0 {
                output::note(&format!(
                "warning: {} line(s) of {} could not be read and were skipped (they are still in the file)",
                read.unreadable_lines,
                path.display()
            ));
            }
            if json {
                return print_json(&serde_json::json!({ "entries": read.entries }));
            }
            let mut t = Table::new(&["TIME", "EVENT", "ACTOR", "SUBJECT", "REASON", "DETAIL"]);
            for e in &read.entries {
                let detail = match (&e.method, &e.path) {
                    (Some(m), Some(p)) => format!(
                        "{m} {p}{}",
                        e.status.map(|s| format!(" → {s}")).unwrap_or_default()
                    ),
                    _ => e.detail.clone().unwrap_or_default(),
                };
                let event = e.event.as_str().trim_start_matches("impersonation.");
                t.row(vec![
                    e.time.clone(),
                    match e.phase {
                        Some(phase) => format!("{event} {}", phase.as_str()),
                        None => event.to_string(),
                    },
                    e.actor.clone(),
                    e.subject.clone(),
                    e.reason.clone().unwrap_or_default(),
                    detail,
                ]);
            }
            t.print();
            output::note(&format!(
                "{} entries in {}",
                read.entries.len(),
                path.display()
            ));
            Ok(())
        }
    }
}
