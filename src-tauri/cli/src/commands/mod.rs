//! One module per command. A command module is thin: it parses its arguments, makes one call into
//! `standin-core`, and prints the answer through `crate::output`. What several commands share is in
//! `context`; a command module never uses another command module (tests/architecture.rs at the workspace
//! root checks that, and that each file stays under 150 lines).

pub mod access_review;
pub mod as_cmd;
pub mod audit;
pub mod context;
pub mod explain;
pub mod profile;
pub mod sandbox;
pub mod teams;
pub mod user;
pub mod users;
