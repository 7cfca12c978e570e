//! `standin access-review (--team ID | --emails FILE | --all)`: every user of the scope impersonated
//! read-only, a few at a time, into the users × documents matrix beside the admin's own view. Ctrl-C
//! cancels: what finished is still written, and the exit code is [`PARTIAL`].

use super::context::{audit_sink, connect_client, credentials, parallel_runtime, Ctx};
use crate::output::{self, print_json, StreamTable};
use clap::{Args, ValueEnum};
use standin_core::review::{
    read_email_list, run_access_review, AccessReview, ExportFormat, ReviewCancel, ReviewOptions,
    ReviewProgress, ReviewScope, DEFAULT_CONCURRENCY,
};
use standin_core::CoreError;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The exit code of a review that is short of what was asked (cancelled, or users failed or not run): the
/// output is still complete for the users it covers.
pub const PARTIAL: i32 = 6;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("scope").required(true).args(["team", "emails", "all"]))]
pub struct AccessReviewArgs {
    /// Review a team's members (team ID, see `standin teams`).
    #[arg(long, value_name = "ID")]
    team: Option<String>,
    /// Review these users: one email a line, blank lines and #comments skipped; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    emails: Option<PathBuf>,
    /// Review every active member of the org.
    #[arg(long)]
    all: bool,
    /// Only documents of this type (workbook, dataset, …).
    #[arg(long = "type", value_name = "T")]
    file_type: Option<String>,
    /// Users impersonated at once (1-64); fewer while Sigma throttles.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY)]
    concurrency: usize,
    /// Why (recorded with every session of the review).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write to FILE (atomically: a temporary file, then renamed) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: AccessReviewArgs, ctx: &Ctx) -> Result<(), CoreError> {
    let format = if ctx.json { Format::Json } else { args.format };
    let scope = match (&args.emails, &args.team) {
        (Some(file), _) => ReviewScope::Emails(read_email_list(file)?),
        (None, Some(team)) => ReviewScope::Team(team.clone()),
        (None, None) => ReviewScope::All,
    };
    let mut options = ReviewOptions::new(scope);
    options.file_type = args.file_type.clone();
    options.concurrency = args.concurrency;
    options.reason = args.reason.clone();
    // Keyring reads (secret, audit key) block on D-Bus: done before the runtime starts.
    let creds = credentials(ctx.profile.as_deref())?;
    let profile = creds.label();
    let audit = audit_sink()?;
    let client = connect_client(creds)?;
    let terminal = std::io::stderr().is_terminal();
    let review = parallel_runtime()?.block_on(async {
        let cancel = ReviewCancel::new();
        let on_signal = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                output::note("\ncancelling: no new users; sessions in flight are being stopped");
                on_signal.cancel();
            }
        });
        let on_progress = move |p: &ReviewProgress| {
            // `[#####     ] 12/40 users · 8.1/s · 4 s left`, on a terminal only.
            let filled = ((p.fraction() * 30.0).round() as usize).min(30);
            if terminal {
                output::progress(&format!("[{:<30}] {}", "#".repeat(filled), p.describe()));
            }
        };
        let review =
            run_access_review(&client, audit, &profile, &options, &on_progress, &cancel).await;
        if terminal {
            output::progress_clear();
        }
        review
    })?;
    review.failure_lines().for_each(|l| output::note(&l));
    output::note(&review.summary());
    match (&args.out, format) {
        (Some(path), Format::Csv | Format::Table) => review.write_file(path, ExportFormat::Csv)?,
        (Some(path), Format::Json) => review.write_file(path, ExportFormat::Json)?,
        (None, Format::Json) => print_json(&review)?,
        // Server text cleaned of terminal controls cell by cell (`--out` keeps it exact).
        (None, Format::Csv) => {
            drop(review.write_csv_with(output::RawWriter::default(), &output::clean))
        }
        (None, Format::Table) => print_table(&review),
    }
    if review.is_partial() {
        output::finish()?;
        std::process::exit(PARTIAL);
    }
    Ok(())
}

/// The export's rows, fewer columns; streamed a thousand rows at a time.
fn print_table(r: &AccessReview) {
    const COLUMNS: [usize; 7] = [0, 3, 5, 6, 7, 8, 9];
    const HEADER: [&str; 7] = [
        "EMAIL",
        "STATUS",
        "DOCUMENT",
        "TYPE",
        "PATH",
        "PERMISSION",
        "ADMIN",
    ];
    let mut t = StreamTable::new(&HEADER);
    let mut rows = r.export_rows().peekable();
    while rows.peek().is_some() && output::stdout_open() {
        let chunk = rows.by_ref().take(1000);
        t.rows(
            chunk
                .map(|row| COLUMNS.map(|c| row[c].to_string()).to_vec())
                .collect(),
        );
    }
    t.finish();
}
