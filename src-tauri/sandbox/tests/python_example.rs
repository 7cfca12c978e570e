//! Sigma's own example client (shared/sigma_example_client.py, from its "Impersonate users" help page)
//! runs unmodified against the sandbox: only its four placeholders are filled in by text substitution.

use std::path::PathBuf;
use std::process::Command;

use standin_sandbox::{Org, Sandbox, DEMO_USER_EMAIL};

fn script_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sigma_example_client.py")
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the example script should contain the placeholder {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

fn python_ready() -> Result<(), String> {
    let out = Command::new("python3")
        .args(["-c", "import jwt, requests"])
        .output()
        .map_err(|e| {
            format!(
                "python3 is not installed ({e}); install Python 3 and `pip install PyJWT requests`"
            )
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "python3 lacks the example's modules; run `pip install PyJWT requests` ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The user ID printed after "Current user:" in the output of step `step`.
fn user_id_of_step(output: &str, step: &str) -> String {
    let section = output
        .split(step)
        .nth(1)
        .unwrap_or_else(|| panic!("step {step:?} missing:\n{output}"));
    let line = section
        .lines()
        .find(|l| l.starts_with("Current user:"))
        .unwrap_or_else(|| panic!("no Current user line after {step:?}:\n{output}"));
    let start = line
        .find("'userId': '")
        .map(|i| i + "'userId': '".len())
        .expect("userId in the line");
    line[start..]
        .split('\'')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigma_python_example_runs_all_seven_steps() {
    if let Err(why) = python_ready() {
        panic!("{why}");
    }
    let path = script_path();
    let original = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "Sigma's example client is expected at {} ({e})",
            path.display()
        )
    });
    let sandbox = Sandbox::start(Org::demo()).await.expect("sandbox");
    let creds = sandbox.admin_credentials();
    let script = replace_once(
        &original,
        "client_id=\"\"",
        &format!("client_id=\"{}\"", creds.client_id),
    );
    let script = replace_once(
        &script,
        "client_secret=\"\"",
        &format!("client_secret=\"{}\"", creds.client_secret),
    );
    let script = replace_once(
        &script,
        "url = \"\"",
        &format!("url = \"{}\"", sandbox.base_url()),
    );
    let script = replace_once(
        &script,
        "\"<email address of user to impersonate>\"",
        &format!("\"{DEMO_USER_EMAIL}\""),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sigma_example_client.py");
    std::fs::write(&file, script).expect("write script");

    let output = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(&file)
            .env("PYTHONUNBUFFERED", "1")
            .output()
    })
    .await
    .expect("join")
    .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let all = format!("{stdout}\n{stderr}");
    assert!(output.status.success(), "exit {:?}\n{all}", output.status);
    assert!(!all.contains("Script failed"), "{all}");
    assert!(!all.contains("Error"), "{all}");
    for step in [
        "1. Generating",
        "2. Getting",
        "3. Exchanging",
        "4. Get current",
        "5. Get current",
        "6. Listing",
        "7. Listing",
    ] {
        assert!(stdout.contains(step), "step {step:?} missing:\n{stdout}");
    }
    let admin_id = user_id_of_step(&stdout, "4. Get current user with actor token");
    let user_id = user_id_of_step(&stdout, "5. Get current user with impersonation token");
    assert!(!admin_id.is_empty() && !user_id.is_empty());
    assert_ne!(
        admin_id, user_id,
        "step 5 must answer as the impersonated user"
    );
    assert!(
        stdout.contains("Datasets accessible by current user: {'entries': ["),
        "{stdout}"
    );
    let audit = sandbox.audit_events();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].subject_email.as_deref(), Some(DEMO_USER_EMAIL));
}
