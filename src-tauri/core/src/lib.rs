//! Stand-in's core: everything the desktop app and the CLI do, with no Tauri in sight.
//!
//! - [`profile`]: connection profiles on disk (no secrets) and their secrets in a [`secret_store`].
//! - [`client`]: the Sigma client, its cached and refreshed actor token, typed API calls.
//! - [`wire`]: sans-IO request builders for the token endpoint, tested byte for byte.
//! - [`subject_token`]: the self-signed HS256 subject token.
//! - [`session`]: the impersonation rules, the RFC 8693 exchange, and calls made as the user.
//! - [`audit`]: the append-only local audit log; [`audit_export`]: its filtered CSV/JSON exports.
//! - [`review`]: access reviews — many users impersonated a few at a time, the users × documents matrix.
//! - [`review_runs`]: the app's reviews — one at a time in the background, the last kept, exports.
//! - [`retry`]: when to ask again (throttling, server errors, dropped connections) and how long to wait.
//! - [`watch`]: the expiry watcher — a warning before a session's end, then the end itself.
//! - [`transport`], [`clock`]: the seams tests replace.

pub mod audit;
pub mod audit_export;
pub mod client;
pub mod clock;
pub mod console;
pub mod console_path;
pub mod dangerous;
pub mod error;
pub mod explain;
pub mod inspector;
pub mod kernel_keys;
pub mod listing;
pub mod logging;
pub mod model;
pub mod paths;
pub mod profile;
pub mod retry;
pub mod review;
pub mod review_runs;
pub mod secret;
pub mod secret_store;
pub mod session;
pub mod subject_token;
pub mod transport;
pub mod watch;
pub mod wire;

pub use client::{Credentials, FileQuery, MemberQuery, SigmaClient};
pub use error::{CoreError, Refusal, Result};
pub use secret::Secret;
pub use session::{start_impersonation, ImpersonationSession, StartOptions};
