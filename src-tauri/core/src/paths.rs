//! Where Stand-in keeps its files. `STANDIN_CONFIG_DIR` and `STANDIN_DATA_DIR` override the platform defaults
//! (tests and portable setups use them).

use std::path::PathBuf;

/// The app identifier: also the keyring service name, so every entry Stand-in writes is easy to find.
pub const APP_ID: &str = "dev.standin.console";

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("dev", "standin", "Stand-in")
}

/// Profiles (no secrets) live here.
pub fn config_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STANDIN_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".standin/config"))
}

/// The audit log lives here.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STANDIN_DATA_DIR") {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".standin/data"))
}
