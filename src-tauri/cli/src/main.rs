//! `standin`: the Stand-in command line. Same core, same keyring, same audit log as the desktop app.
//!
//! This file holds the command line's shape (`Cli`, `Command`) and the dispatch; each command lives in
//! `commands/<name>.rs`.

mod commands;
mod output;

use clap::{Parser, Subcommand};
use commands::context::Ctx;
use commands::explain;
use commands::{access_review, as_cmd, audit, profile, sandbox, teams, user, users};
use standin_core::CoreError;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "standin",
    version,
    about = "Stand-in: Sigma user impersonation from the command line",
    after_help = "Credentials come from --profile NAME (secret in the OS keyring) or from the environment: \
                  SIGMA_BASE_URL, SIGMA_CLIENT_ID, SIGMA_CLIENT_SECRET and optional SIGMA_TENANT.\n\
                  Try it offline: `standin sandbox serve` prints demo credentials for a local Sigma-compatible org."
)]
struct Cli {
    /// Use this saved profile's credentials (see `standin profile list`).
    #[arg(long, global = true, env = "STANDIN_PROFILE")]
    profile: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The sandbox org: a local server that speaks Sigma's REST API.
    #[command(subcommand)]
    Sandbox(sandbox::SandboxCommand),
    /// Saved connections (no secret in the file: secrets go to the OS keyring).
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// List the org's users.
    Users(users::UsersArgs),
    /// List the org's teams.
    Teams,
    /// List a team's members.
    TeamMembers(teams::TeamMembersArgs),
    /// Show one user: details, teams, user attributes.
    User(user::UserArgs),
    /// Impersonate a user for one command (read-only), then stop.
    As(as_cmd::AsArgs),
    /// Why a user can or cannot see a document: the grants that give access, or what would.
    Explain(explain::ExplainArgs),
    /// Show the local audit log of impersonations (`audit verify` checks that it was not altered).
    Audit(audit::AuditArgs),
    /// Review what each user of a team, a list or the org can access (exit 6: partial).
    AccessReview(access_review::AccessReviewArgs),
}

fn main() -> ExitCode {
    standin_core::logging::init_logging();
    let cli = Cli::parse();
    // All output goes through `output`: a closed stdout ends the printing quietly and the command exits with
    // its usual code; `finish` reports any other write error. The error line is cleaned there too (Sigma's
    // `message` is server text).
    match run(cli).and_then(|()| output::finish()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::note(&format!("error[{}]: {e}", e.code()));
            ExitCode::from(match &e {
                CoreError::Refused(_) => 3,
                CoreError::Sigma { .. }
                | CoreError::Throttled { .. }
                | CoreError::SubjectTokenTime { .. }
                | CoreError::SessionEndedByServer { .. } => 4,
                e if e.is_network() => 5,
                _ => 1,
            })
        }
    }
}

fn run(cli: Cli) -> Result<(), CoreError> {
    let ctx = Ctx {
        profile: cli.profile,
        json: cli.json,
    };
    match cli.command {
        Command::Sandbox(cmd) => sandbox::run(cmd),
        Command::Profile(cmd) => profile::run(cmd, &ctx),
        Command::Users(args) => users::run(args, &ctx),
        Command::Teams => teams::run_teams(&ctx),
        Command::TeamMembers(args) => teams::run_members(args, &ctx),
        Command::User(args) => user::run(args, &ctx),
        Command::As(args) => as_cmd::run(args, &ctx),
        Command::Explain(args) => explain::run(args, &ctx),
        Command::Audit(args) => audit::run(args, &ctx),
        Command::AccessReview(args) => access_review::run(args, &ctx),
    }
}
