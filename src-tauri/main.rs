// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // `stand-in --version` answers before Tauri starts: it needs no display, no GTK and no web view, so a
    // package check, a script or an admin over SSH can ask which version is installed. The number is the
    // workspace's (Cargo.toml), the same one `standin --version` prints.
    if let Some(arg) = std::env::args_os().nth(1) {
        if arg == "--version" || arg == "-V" {
            println!("stand-in {}", env!("CARGO_PKG_VERSION"));
            return;
        }
    }
    stand_in::run();
}
