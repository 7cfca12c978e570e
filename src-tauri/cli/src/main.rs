//! `standin`: the Stand-in command line. Same core, same keyring, same audit log as the desktop app.

mod output;

use clap::{Args, Parser, Subcommand};
use output::{print_json, Table};
use standin_core::audit::{read_audit_log, JsonlAuditLog, SharedAuditSink};
use standin_core::client::PAGE_LIMIT;
use standin_core::profile::{Profile, ProfileStore, ProfileUpdate, REGIONS};
use standin_core::secret_store::KeyringStore;
use standin_core::session::identify_actor;
use standin_core::{
    start_impersonation, CoreError, Credentials, FileQuery, MemberQuery, Secret, SigmaClient,
    StartOptions,
};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

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
    Sandbox(SandboxCommand),
    /// Saved connections (no secret in the file: secrets go to the OS keyring).
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// List the org's users.
    Users {
        /// Only users whose name or email contains this.
        #[arg(long)]
        search: Option<String>,
        /// Include archived and inactive users.
        #[arg(long)]
        all: bool,
        /// Page size for each request (1–1000).
        #[arg(long, default_value_t = PAGE_LIMIT, hide = true)]
        page_size: u32,
    },
    /// List the org's teams.
    Teams,
    /// List a team's members.
    TeamMembers { team_id: String },
    /// Show one user: details, teams, user attributes.
    User { email_or_id: String },
    /// Impersonate a user for one command (read-only), then stop.
    As(AsArgs),
    /// Show the local audit log of impersonations (`audit verify` checks that it was not altered).
    Audit {
        #[command(subcommand)]
        action: Option<AuditCommand>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every record's MAC and the hash chain: prints "intact, N records", or names the first line
    /// edited, deleted, reordered or cut off and exits 1.
    Verify,
}

#[derive(Subcommand)]
enum SandboxCommand {
    /// Serve the sandbox org on 127.0.0.1 until interrupted. Prints one JSON line of demo credentials.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Load the org from this JSON fixture instead of the built-in demo org.
        #[arg(long)]
        org: Option<std::path::PathBuf>,
        /// Misbehave like a real network, for trying Stand-in out and for tests:
        /// PREFIX:KIND[:every=N|:times=N], e.g. /v2/members:429=1:every=3 or /v2/members:expire-token:every=4
        /// (kinds: 429[=SECS], html-429, html=STATUS, 4xx/5xx status, drop, expire-token, empty-page,
        /// latency=MS, expires-in=JSON). Repeatable.
        #[arg(long = "fault", value_name = "SPEC")]
        faults: Vec<standin_sandbox::FaultSpec>,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Add a profile; the client secret is read from stdin (or a hidden prompt).
    Add {
        name: String,
        /// Sigma's API base URL, e.g. https://aws-api.sigmacomputing.com
        #[arg(long, required_unless_present = "region")]
        base_url: Option<String>,
        /// A Sigma region by name instead of --base-url (see `standin profile regions`).
        #[arg(long, conflicts_with = "base_url")]
        region: Option<String>,
        #[arg(long)]
        client_id: String,
        /// Organization ID of a tenant org.
        #[arg(long)]
        tenant: Option<String>,
        /// A PEM file of CA certificates to trust for this org besides the system's (a private CA).
        #[arg(long, value_name = "PEM")]
        ca_file: Option<std::path::PathBuf>,
    },
    /// List profiles.
    List,
    /// Show one profile (and whether its secret is in the keyring).
    Show { name: String },
    /// Change a profile's name, URL, client ID, tenant or CA file.
    Edit {
        name: String,
        #[arg(long)]
        rename: Option<String>,
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long)]
        client_id: Option<String>,
        #[arg(long, conflicts_with = "clear_tenant")]
        tenant: Option<String>,
        #[arg(long)]
        clear_tenant: bool,
        /// A PEM file of CA certificates to trust for this org besides the system's.
        #[arg(long, value_name = "PEM", conflicts_with = "clear_ca_file")]
        ca_file: Option<std::path::PathBuf>,
        /// Stop trusting the profile's CA file.
        #[arg(long)]
        clear_ca_file: bool,
    },
    /// Replace a profile's client secret (read from stdin or a prompt).
    Rotate { name: String },
    /// Remove a profile and its keyring entry.
    Remove { name: String },
    /// Check the credentials: who they belong to and their account type.
    Test { name: String },
    /// Sigma's regions and their API base URLs.
    Regions,
}

#[derive(Args)]
struct AsArgs {
    /// Email of the user to impersonate.
    email: String,
    /// Organization ID of a tenant org (the `tenant` claim).
    #[arg(long)]
    tenant: Option<String>,
    /// Why (a ticket number, say); recorded in the audit log.
    #[arg(long)]
    reason: Option<String>,
    #[command(subcommand)]
    action: AsAction,
}

#[derive(Subcommand)]
enum AsAction {
    /// Who the server says the user is.
    Whoami,
    /// The documents the user can access, with their permission.
    Files {
        /// Only this type (workbook, dataset, data-model, folder, report, …).
        #[arg(long = "type")]
        file_type: Option<String>,
    },
    /// The user's My Documents folder.
    MyDocuments,
    /// Your own view against the user's.
    Compare {
        #[arg(long = "type")]
        file_type: Option<String>,
    },
    /// GET any API path as the user, e.g. /v2/files?typeFilters=dataset
    Get { path: String },
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

/// A client for the org, which says on stderr when it waits to try again ("Sigma is throttling: retrying
/// in 3 s (try 2 of 5)"), so a long listing that pauses is not mistaken for a hang.
fn connect_client(credentials: standin_core::Credentials) -> Result<SigmaClient, CoreError> {
    let client = SigmaClient::connect(credentials)?;
    client.set_retry_observer(Some(std::sync::Arc::new(
        // Through `output::note`: a closed stderr must not panic the program (the note is dropped instead).
        |n: &standin_core::retry::RetryNotice| output::note(&format!("note: {}", n.message())),
    )));
    Ok(client)
}

fn runtime() -> Result<tokio::runtime::Runtime, CoreError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CoreError::Storage {
            path: "-".into(),
            reason: format!("could not start the async runtime: {e}"),
        })
}

fn profiles() -> ProfileStore {
    ProfileStore::new(
        &standin_core::paths::config_dir(),
        Arc::new(KeyringStore::default()),
    )
}

/// `--profile` wins; else the SIGMA_* environment variables. Read before the runtime starts: keyring calls
/// block on D-Bus.
fn credentials(profile: Option<&str>) -> Result<Credentials, CoreError> {
    match profile {
        Some(name) => profiles().credentials(name),
        None => Credentials::from_env(),
    }
}

/// The audit log, signed with the key in the OS keyring: without a keyring nothing can be recorded, so
/// `standin as` is refused (see `JsonlAuditLog`).
fn audit_log() -> JsonlAuditLog {
    JsonlAuditLog::new(
        JsonlAuditLog::default_path(),
        Arc::new(KeyringStore::default()),
    )
}

/// The audit log, once it is known that records can be signed: checked before the exchange, so with no
/// keyring `standin as` stops before any request is made (the refusal is not recorded either: it cannot be).
fn audit_sink() -> Result<SharedAuditSink, CoreError> {
    let log = audit_log();
    log.ready()?;
    Ok(Arc::new(log))
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

fn run(cli: Cli) -> Result<(), CoreError> {
    let json = cli.json;
    match cli.command {
        Command::Sandbox(SandboxCommand::Serve { port, org, faults }) => {
            sandbox_serve(port, org, faults)
        }
        Command::Profile(cmd) => profile_command(cmd, json),
        Command::Users {
            search,
            all,
            page_size,
        } => {
            let client = connect_client(credentials(cli.profile.as_deref())?)?;
            runtime()?.block_on(async {
                let query = MemberQuery {
                    search,
                    include_archived: all,
                    include_inactive: all,
                    ..Default::default()
                };
                let members = client
                    .admin()
                    .await?
                    .members(&query, page_size.clamp(1, PAGE_LIMIT))
                    .await?;
                if json {
                    return print_json(&members);
                }
                let mut t = Table::new(&["NAME", "EMAIL", "ACCOUNT TYPE", "STATUS", "ID"]);
                for m in &members {
                    t.row(vec![
                        m.display_name(),
                        m.email.clone(),
                        m.member_type.clone(),
                        output::member_status(m),
                        m.member_id.clone(),
                    ]);
                }
                t.print();
                output::note(&format!("{} users", members.len()));
                Ok(())
            })
        }
        Command::Teams => {
            let client = connect_client(credentials(cli.profile.as_deref())?)?;
            runtime()?.block_on(async {
                let teams = client.admin().await?.teams(PAGE_LIMIT).await?;
                if json {
                    return print_json(&teams);
                }
                let mut t = Table::new(&["NAME", "VISIBILITY", "DESCRIPTION", "ID"]);
                for team in &teams {
                    t.row(vec![
                        team.name.clone(),
                        team.visibility.clone().unwrap_or_default(),
                        team.description.clone().unwrap_or_default(),
                        team.team_id.clone(),
                    ]);
                }
                t.print();
                Ok(())
            })
        }
        Command::TeamMembers { team_id } => {
            let client = connect_client(credentials(cli.profile.as_deref())?)?;
            runtime()?.block_on(async {
                let roster = client.admin().await?.team_roster(&team_id).await?;
                if json {
                    let rows: Vec<serde_json::Value> = roster
                        .iter()
                        .map(|entry| {
                            let mut v =
                                serde_json::to_value(&entry.team_member).unwrap_or_default();
                            if let (Some(m), Some(obj)) = (&entry.member, v.as_object_mut()) {
                                obj.insert("email".into(), m.email.clone().into());
                                obj.insert("name".into(), m.display_name().into());
                                obj.insert("memberType".into(), m.member_type.clone().into());
                            }
                            v
                        })
                        .collect();
                    return print_json(&rows);
                }
                let mut t = Table::new(&["NAME", "EMAIL", "ACCOUNT TYPE", "TEAM ADMIN", "ID"]);
                for entry in &roster {
                    let m = entry.member.as_ref();
                    t.row(vec![
                        m.map(|m| m.display_name()).unwrap_or_default(),
                        m.map(|m| m.email.clone()).unwrap_or_default(),
                        m.map(|m| m.member_type.clone()).unwrap_or_default(),
                        if entry.team_member.is_team_admin {
                            "yes"
                        } else {
                            ""
                        }
                        .into(),
                        entry.team_member.user_id.clone(),
                    ]);
                }
                t.print();
                Ok(())
            })
        }
        Command::User { email_or_id } => {
            let client = connect_client(credentials(cli.profile.as_deref())?)?;
            runtime()?.block_on(user_command(&client, &email_or_id, json))
        }
        Command::As(args) => {
            let client = connect_client(credentials(cli.profile.as_deref())?)?;
            runtime()?.block_on(as_command(client, args, json))
        }
        Command::Audit {
            action: Some(AuditCommand::Verify),
        } => {
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
        Command::Audit { action: None } => {
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

fn sandbox_serve(
    port: u16,
    org: Option<std::path::PathBuf>,
    faults: Vec<standin_sandbox::FaultSpec>,
) -> Result<(), CoreError> {
    let org = match org {
        Some(path) => standin_sandbox::Org::from_file(&path).map_err(|e| CoreError::Storage {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?,
        None => standin_sandbox::Org::demo(),
    };
    runtime()?.block_on(async move {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let handle = standin_sandbox::Sandbox::start_on(org, addr)
            .await
            .map_err(|e| CoreError::Connect {
                host: addr.to_string(),
                reason: format!("could not start the sandbox: {e}"),
            })?;
        for fault in &faults {
            handle.inject(fault);
        }
        let admin = handle.admin_credentials();
        // Demo credentials of a local sandbox only: printing them is the point of this command.
        let line = serde_json::json!({
            "baseUrl": handle.base_url(),
            "clientId": admin.client_id,
            "clientSecret": admin.client_secret,
            "adminEmail": admin.owner_email,
        });
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
        drop(out);
        output::note(&format!(
            "sandbox org serving at {} — press Ctrl+C to stop",
            handle.base_url()
        ));
        wait_for_shutdown().await;
        handle.shutdown().await;
        Ok(())
    })
}

async fn wait_for_shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn profile_command(cmd: ProfileCommand, json: bool) -> Result<(), CoreError> {
    let store = profiles();
    match cmd {
        ProfileCommand::Add {
            name,
            base_url,
            region,
            client_id,
            tenant,
            ca_file,
        } => {
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
            let profile = Profile::new(&name, &base_url, &client_id, tenant.as_deref())?
                .with_ca_file(ca_file.as_deref())?;
            let secret = read_secret("Client secret: ")?;
            store.add(profile, &secret)?;
            output::note(&format!(
                "profile '{name}' saved; its secret is in the OS keyring"
            ));
            Ok(())
        }
        ProfileCommand::List => {
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
        ProfileCommand::Show { name } => {
            let p = store.get(&name)?;
            let has_secret = store.has_secret(&name)?;
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
        ProfileCommand::Edit {
            name,
            rename,
            base_url,
            client_id,
            tenant,
            clear_tenant,
            ca_file,
            clear_ca_file,
        } => {
            let updated = store.update(
                &name,
                ProfileUpdate {
                    name: rename,
                    base_url,
                    client_id,
                    tenant: if clear_tenant {
                        Some(None)
                    } else {
                        tenant.map(Some)
                    },
                    ca_file: if clear_ca_file {
                        Some(None)
                    } else {
                        ca_file.map(Some)
                    },
                },
            )?;
            output::note(&format!("profile '{}' updated", updated.name));
            Ok(())
        }
        ProfileCommand::Rotate { name } => {
            store.get(&name)?;
            let secret = read_secret("New client secret: ")?;
            store.rotate_secret(&name, &secret)?;
            output::note(&format!(
                "secret of profile '{name}' replaced in the OS keyring"
            ));
            Ok(())
        }
        ProfileCommand::Remove { name } => {
            store.remove(&name)?;
            output::note(&format!("profile '{name}' and its keyring entry removed"));
            Ok(())
        }
        ProfileCommand::Test { name } => {
            let client = connect_client(store.credentials(&name)?)?;
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
        ProfileCommand::Regions => {
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
    }
}

async fn user_command(
    client: &SigmaClient,
    email_or_id: &str,
    json: bool,
) -> Result<(), CoreError> {
    let api = client.admin().await?;
    let member = if email_or_id.contains('@') {
        api.member_by_email(email_or_id).await?.ok_or_else(|| {
            CoreError::Refused(standin_core::Refusal::TargetNotFound {
                email: email_or_id.to_string(),
            })
        })?
    } else {
        api.member(email_or_id).await?
    };
    let teams = api.member_teams(&member.member_id).await?;
    let attributes = api.member_attributes(&member.member_id).await?;
    if json {
        return print_json(&serde_json::json!({
            "member": member,
            "teams": teams,
            "userAttributes": attributes,
        }));
    }
    let mut t = Table::new(&["FIELD", "VALUE"]);
    t.row(vec!["name".into(), member.display_name()]);
    t.row(vec!["email".into(), member.email.clone()]);
    t.row(vec!["account type".into(), member.member_type.clone()]);
    t.row(vec!["status".into(), output::member_status(&member)]);
    t.row(vec![
        "user kind".into(),
        member.user_kind.clone().unwrap_or_default(),
    ]);
    t.row(vec!["member ID".into(), member.member_id.clone()]);
    t.row(vec![
        "My Documents".into(),
        member.home_folder_id.clone().unwrap_or_default(),
    ]);
    t.row(vec![
        "teams".into(),
        teams
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    for a in &attributes {
        t.row(vec![
            format!("attribute {}", a.name),
            format!("{} ({})", a.value, a.source),
        ]);
    }
    t.print();
    if member.is_admin() {
        output::note(&format!(
            "note: {} is an Admin: admins cannot impersonate other admins",
            member.email
        ));
    } else if member.archived() || member.inactive() {
        output::note(&format!(
            "note: {} is archived or inactive and cannot be impersonated",
            member.email
        ));
    }
    Ok(())
}

async fn as_command(client: SigmaClient, args: AsArgs, json: bool) -> Result<(), CoreError> {
    let mut opts = StartOptions::new(&args.email);
    opts.tenant = args.tenant;
    opts.reason = args.reason;
    if let Some(tenant) = opts
        .tenant
        .as_ref()
        .or(client.credentials().tenant.as_ref())
    {
        // The parent org's credentials cannot list a tenant's members, so the target checks Stand-in makes
        // elsewhere cannot run: say whose checks apply.
        output::note(&format!(
            "note: {}",
            standin_core::session::tenant_checks_note(tenant)
        ));
    }
    let session = start_impersonation(&client, audit_sink()?, opts).await?;
    let result = as_action(&session, args.action, json).await;
    // The session ends whatever the action did; the token is dropped with it.
    let stopped = session.stop();
    result?;
    stopped
}

async fn as_action(
    session: &standin_core::ImpersonationSession,
    action: AsAction,
    json: bool,
) -> Result<(), CoreError> {
    match action {
        AsAction::Whoami => {
            let me = session.whoami().await?;
            if json {
                return print_json(&me);
            }
            let info = session.info();
            let mut t = Table::new(&["FIELD", "VALUE"]);
            t.row(vec!["user ID".into(), me.user_id.clone()]);
            t.row(vec!["organization ID".into(), me.organization_id.clone()]);
            if let Some(a) = &me.account_type {
                t.row(vec!["account type".into(), a.clone()]);
            }
            t.row(vec!["impersonating".into(), info.subject_email.clone()]);
            t.row(vec!["as".into(), info.actor.label()]);
            t.print();
            Ok(())
        }
        AsAction::Files { file_type } => {
            let files = session
                .files(&FileQuery::of_type(file_type.as_deref()))
                .await?;
            output::print_files(&files, json)
        }
        AsAction::MyDocuments => {
            let files = session.my_documents().await?;
            output::print_files(&files, json)
        }
        AsAction::Compare { file_type } => {
            let c = session.compare(file_type.as_deref()).await?;
            if json {
                return print_json(&c);
            }
            let mut t = Table::new(&["DIFFERENCE", "TYPE", "NAME", "PATH", "ADMIN", "USER"]);
            for f in &c.only_admin {
                t.row(vec![
                    "only you".into(),
                    f.file_type.clone(),
                    f.name.clone(),
                    f.path.clone(),
                    f.permission.clone(),
                    "—".into(),
                ]);
            }
            for f in &c.only_user {
                t.row(vec![
                    "only the user".into(),
                    f.file_type.clone(),
                    f.name.clone(),
                    f.path.clone(),
                    "—".into(),
                    f.permission.clone(),
                ]);
            }
            for d in &c.different {
                t.row(vec![
                    "different access".into(),
                    d.file.file_type.clone(),
                    d.file.name.clone(),
                    d.file.path.clone(),
                    d.admin_permission.clone(),
                    d.user_permission.clone(),
                ]);
            }
            t.print();
            output::note(&format!(
                "{} only you, {} only the user, {} different, {} the same",
                c.only_admin.len(),
                c.only_user.len(),
                c.different.len(),
                c.same
            ));
            Ok(())
        }
        AsAction::Get { path } => {
            let value: serde_json::Value = session.get(&path).await?;
            // The API console prints JSON either way.
            let _ = json;
            print_json(&value)
        }
    }
}
