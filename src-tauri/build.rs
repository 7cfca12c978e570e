// The app manifest lists the app's own commands, so each gets an `allow-<command>` permission that the main
// window's capability grants one by one; the capabilities live under src-tauri/ (the package root is the
// repository root, where tauri.conf.json and icons/ sit).
include!("commands/list.rs");

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
