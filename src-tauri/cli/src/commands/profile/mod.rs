//! `standin profile …`: saved connections (no secret in the file: secrets go to the OS keyring).

mod change;
mod show;

use super::context::{profiles, Ctx};
use clap::Subcommand;
use standin_core::profile::{set_or_clear, ProfileUpdate};
use standin_core::CoreError;

#[derive(Subcommand)]
pub enum ProfileCommand {
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

pub fn run(cmd: ProfileCommand, ctx: &Ctx) -> Result<(), CoreError> {
    let store = profiles();
    let json = ctx.json;
    match cmd {
        ProfileCommand::Add {
            name,
            base_url,
            region,
            client_id,
            tenant,
            ca_file,
        } => change::add(&store, &name, base_url, region, &client_id, tenant, ca_file),
        ProfileCommand::List => show::list(&store, json),
        ProfileCommand::Show { name } => show::show(&store, &name, json),
        ProfileCommand::Edit {
            name,
            rename,
            base_url,
            client_id,
            tenant,
            clear_tenant,
            ca_file,
            clear_ca_file,
        } => change::edit(
            &store,
            &name,
            ProfileUpdate {
                name: rename,
                base_url,
                client_id,
                tenant: set_or_clear(tenant, clear_tenant),
                ca_file: set_or_clear(ca_file, clear_ca_file),
            },
        ),
        ProfileCommand::Rotate { name } => change::rotate(&store, &name),
        ProfileCommand::Remove { name } => change::remove(&store, &name),
        ProfileCommand::Test { name } => show::test(&store, &name, json),
        ProfileCommand::Regions => show::regions(json),
    }
}
