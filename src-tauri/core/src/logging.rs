//! Logging through `tracing`, filtered by `RUST_LOG` (warn by default), to stderr.
//!
//! Stand-in's own events never carry a secret, a token, a header or a body. The HTTP stack below it is
//! another matter: at trace level hyper, h2 and rustls describe frames and handshakes, so their level is
//! capped whatever `RUST_LOG` says.

use tracing_subscriber::EnvFilter;

const CAPPED: &[&str] = &[
    "hyper=info",
    "hyper_util=info",
    "h2=info",
    "reqwest=info",
    "rustls=info",
    "tokio_rustls=info",
    "axum=info",
    "tower=info",
    "tower_http=info",
];

pub fn env_filter(default: &str) -> EnvFilter {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    for d in CAPPED {
        if let Ok(directive) = d.parse() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

/// Installs the stderr subscriber once; later calls are no-ops.
pub fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(env_filter("warn"))
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}
