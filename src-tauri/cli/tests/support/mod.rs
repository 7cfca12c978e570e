//! Runs `standin` as a process: a sandbox served by `standin sandbox serve`, private config and data dirs,
//! and (for profile tests) a private D-Bus session with its own unlocked gnome-keyring.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub fn standin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_standin"))
}

/// `standin sandbox serve --port 0` in the background; killed on drop.
pub struct ServedSandbox {
    child: Child,
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub admin_email: String,
}

impl ServedSandbox {
    pub fn start(extra: &[&str]) -> Self {
        let mut child = standin()
            .args(["sandbox", "serve", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("standin sandbox serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("one JSON line");
        let v: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("sandbox serve printed {line:?}: {e}"));
        let s = |k: &str| {
            v[k].as_str()
                .unwrap_or_else(|| panic!("{k} in {line}"))
                .to_string()
        };
        ServedSandbox {
            base_url: s("baseUrl"),
            client_id: s("clientId"),
            client_secret: s("clientSecret"),
            admin_email: s("adminEmail"),
            child,
        }
    }
}

impl Drop for ServedSandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Private config and data dirs for one test.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub envs: Vec<(String, String)>,
    /// Impersonation needs one: audit records are MACed with a key kept in the OS keyring.
    keyring: Option<PrivateKeyring>,
}

impl Home {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let envs = vec![
            (
                "STANDIN_CONFIG_DIR".into(),
                dir.path().join("config").display().to_string(),
            ),
            (
                "STANDIN_DATA_DIR".into(),
                dir.path().join("data").display().to_string(),
            ),
        ];
        Home {
            dir,
            envs,
            keyring: None,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn with_sandbox(mut self, s: &ServedSandbox) -> Self {
        self.envs
            .push(("SIGMA_BASE_URL".into(), s.base_url.clone()));
        self.envs
            .push(("SIGMA_CLIENT_ID".into(), s.client_id.clone()));
        self.envs
            .push(("SIGMA_CLIENT_SECRET".into(), s.client_secret.clone()));
        self.with_keyring()
    }

    /// A private keyring for this home (once): `standin as` refuses to run without one, since its audit
    /// records could not be signed.
    pub fn with_keyring(mut self) -> Self {
        if self.keyring.is_none() {
            let keyring = PrivateKeyring::start(self.dir.path());
            keyring.apply(&mut self);
            self.keyring = Some(keyring);
        }
        self
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = standin();
        c.args(args)
            .env_remove("SIGMA_TENANT")
            .env_remove("STANDIN_PROFILE");
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args)
            .stdin(Stdio::null())
            .output()
            .expect("standin runs")
    }

    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            text(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed non-JSON ({e}): {}", text(&out.stdout)))
    }
}

impl Home {
    /// JSON printed on stdout, whatever the exit code.
    pub fn json_allow_failure(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed non-JSON ({e}): {}", text(&out.stdout)))
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A private D-Bus session bus with an unlocked gnome-keyring: the real Secret Service, no shared state.
pub struct PrivateKeyring {
    dbus_pid: u32,
    pub address: String,
    pub data_home: PathBuf,
}

impl PrivateKeyring {
    /// A private D-Bus session with an unlocked gnome-keyring whose default collection is ready. On a loaded
    /// machine a daemon now and then never sets up its login collection: that attempt is torn down and a
    /// fresh one started (up to three).
    pub fn start(root: &Path) -> Self {
        let need = |bin: &str| {
            let ok = Command::new("sh")
                .args(["-c", &format!("command -v {bin}")])
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            assert!(ok, "{bin} is missing: install the Debian packages dbus, gnome-keyring and libsecret-tools (make setup does)");
        };
        need("dbus-daemon");
        need("gnome-keyring-daemon");
        need("secret-tool");
        for attempt in 0..3 {
            let dir = root.join(format!("keyring-{attempt}"));
            let keyring = Self::start_once(&dir);
            if keyring.ready(std::time::Duration::from_secs(15)) {
                return keyring;
            }
            drop(keyring);
        }
        panic!("the private gnome-keyring did not become ready in three attempts");
    }

    fn start_once(root: &Path) -> Self {
        let out = Command::new("dbus-daemon")
            .args([
                "--session",
                "--fork",
                "--print-address=1",
                "--print-pid=1",
                "--nopidfile",
            ])
            .output()
            .expect("dbus-daemon starts");
        let stdout = text(&out.stdout);
        let mut lines = stdout.lines();
        let address = lines.next().expect("bus address").trim().to_string();
        let dbus_pid: u32 = lines.next().expect("bus pid").trim().parse().expect("pid");
        let data_home = root.join("xdg-data");
        let runtime = root.join("xdg-runtime");
        std::fs::create_dir_all(&data_home).unwrap();
        std::fs::create_dir_all(&runtime).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", &data_home)
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        {
            use std::io::Write;
            let mut stdin = daemon.stdin.take().unwrap();
            stdin.write_all(b"test-password").unwrap();
        }
        let _ = daemon.wait();
        PrivateKeyring {
            dbus_pid,
            address,
            data_home,
        }
    }

    /// Whether an item can be stored in the default collection (what the keyring crate uses) within `limit`;
    /// the daemon's parent exits before the service, and the service answers before that collection exists.
    fn ready(&self, limit: std::time::Duration) -> bool {
        let secret_tool = |args: &[&str]| {
            let Ok(mut child) = Command::new("secret-tool")
                .args(args)
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            else {
                return false;
            };
            {
                use std::io::Write;
                let _ = child.stdin.take().unwrap().write_all(b"probe");
            }
            child.wait().map(|s| s.success()).unwrap_or(false)
        };
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if secret_tool(&[
                "store",
                "--label=standin-test-probe",
                "standin-test",
                "probe",
            ]) {
                secret_tool(&["clear", "standin-test", "probe"]);
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    }

    pub fn apply(&self, home: &mut Home) {
        home.envs
            .push(("DBUS_SESSION_BUS_ADDRESS".into(), self.address.clone()));
        home.envs
            .push(("XDG_DATA_HOME".into(), self.data_home.display().to_string()));
    }

    /// `secret-tool search` against this keyring: what is stored for the app.
    pub fn search(&self, service: &str) -> String {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", service])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("secret-tool runs (package libsecret-tools)");
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        // The keyring daemon exits with its bus.
        let _ = Command::new("kill").arg(self.dbus_pid.to_string()).status();
    }
}
