//! An empty Tauri window (one blank page, no commands, no plugins): what any Tauri app on this machine costs, so
//! bench/app.sh can report Stand-in's launch time and memory as ratios against it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("empty-window could not start: {e}");
        std::process::exit(1);
    }
}
