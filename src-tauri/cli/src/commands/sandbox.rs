//! `standin sandbox serve`: the sandbox org, a local server that speaks Sigma's REST API.

use super::context::parallel_runtime;
use crate::output;
use clap::Subcommand;
use standin_core::CoreError;
use std::io::Write;

#[derive(Subcommand)]
pub enum SandboxCommand {
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
        /// Serve a generated org instead of the demo org: users=N,teams=T,documents=D[,seed=S]. The same spec
        /// always gives the same org, byte for byte (e.g. users=100000,teams=1000,documents=5000).
        #[arg(long, value_name = "SPEC", conflicts_with = "org")]
        generate: Option<standin_sandbox::GenerateSpec>,
        /// Delay every response by this many milliseconds, each request on its own (a realistic network:
        /// concurrent requests overlap their waits).
        #[arg(long, value_name = "MS", default_value_t = 0)]
        latency_ms: u64,
    },
}

pub fn run(cmd: SandboxCommand) -> Result<(), CoreError> {
    match cmd {
        SandboxCommand::Serve {
            port,
            org,
            faults,
            generate,
            latency_ms,
        } => {
            let org = match (org, generate) {
                (Some(path), _) => {
                    standin_sandbox::Org::from_file(&path).map_err(|e| CoreError::Storage {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })?
                }
                (None, Some(spec)) => {
                    output::note(&format!("generating the org {spec}…"));
                    standin_sandbox::Org::generate_spec(&spec)
                }
                (None, None) => standin_sandbox::Org::demo(),
            };
            sandbox_serve(port, org, faults, latency_ms)
        }
    }
}

fn sandbox_serve(
    port: u16,
    org: standin_sandbox::Org,
    faults: Vec<standin_sandbox::FaultSpec>,
    latency_ms: u64,
) -> Result<(), CoreError> {
    parallel_runtime()?.block_on(async move {
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
        handle.set_latency(std::time::Duration::from_millis(latency_ms));
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
