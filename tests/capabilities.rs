//! The main window's capability grants the app's own commands, event listening and clipboard writes, nothing else, and the
//! configuration keeps remote content out.

fn read_json(rel: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn the_main_window_may_call_exactly_the_apps_commands() {
    let cap = read_json("src-tauri/capabilities/main.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let granted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .expect("plain permission names, no scopes")
                .to_string()
        })
        .collect();
    let mut expected: Vec<String> = stand_in::commands::COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    expected.push("core:event:allow-listen".into());
    expected.push("core:event:allow-unlisten".into());
    // Copy buttons write through the clipboard plugin; reading the clipboard is not granted.
    expected.push("clipboard-manager:allow-write-text".into());
    assert_eq!(granted, expected);
}

#[test]
fn the_csp_allows_no_remote_content() {
    let conf = read_json("tauri.conf.json");
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-eval"));
    for directive in csp.split(';') {
        for source in directive.split_whitespace().skip(1) {
            let remote = source.starts_with("https:")
                || source.starts_with("http:")
                || source.starts_with("https://")
                || source == "*";
            assert!(
                !remote || source == "http://ipc.localhost",
                "remote source {source} in {directive}"
            );
        }
    }
    assert_eq!(conf["app"]["windows"][0]["label"], "main");
}
