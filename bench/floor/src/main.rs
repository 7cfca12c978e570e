//! The floor of BENCHMARKS.md §2: what `standin as EMAIL compare --type dataset` has to ask the server, and
//! nothing else, as fast as a client can honestly ask it. Six requests, one after another, over one
//! keep-alive HTTP/1.1 connection on a plain `std::net::TcpStream` (no async runtime, no connection pool, no
//! TLS setup, no keyring, no audit log):
//!
//! 1. `POST /v2/auth/token` (client credentials): the admin's token;
//! 2. `GET /v2/whoami` with it: who the admin is;
//! 3. `GET /v2/members?email=…`: the user's record (the CLI checks it before impersonating);
//! 4. `POST /v2/auth/token` (RFC 8693 exchange, with an HS256 subject token minted here);
//! 5. `GET /v2/files?typeFilters=dataset&limit=1000` with the impersonation token;
//! 6. the same with the admin's token;
//!
//! then the comparison by file ID, and one summary line. Every answer must be a 200 with the JSON it should
//! carry, or the run fails: the floor does the whole job, only without the safeguards.
//!
//! Usage: `bench-floor EMAIL` with `SIGMA_BASE_URL` (http://host:port), `SIGMA_CLIENT_ID`,
//! `SIGMA_CLIENT_SECRET` in the environment, as `standin` reads them.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

type Error = Box<dyn std::error::Error>;

/// One keep-alive connection: requests are written whole, answers read by `Content-Length` or chunks.
struct Connection {
    host: String,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(base: &url::Url) -> Result<Self, Error> {
        if base.scheme() != "http" {
            return Err(format!("the floor speaks plain http only, not {}", base.scheme()).into());
        }
        let host = base.host_str().ok_or("no host in SIGMA_BASE_URL")?;
        let port = base.port_or_known_default().unwrap_or(80);
        let stream = TcpStream::connect((host, port))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            host: format!("{host}:{port}"),
            reader: BufReader::new(stream),
        })
    }

    fn request(
        &mut self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        form: Option<&str>,
    ) -> Result<Value, Error> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n",
            self.host
        );
        if let Some(token) = bearer {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        let body = form.unwrap_or("");
        if form.is_some() {
            head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        head.push_str(body);
        self.reader.get_mut().write_all(head.as_bytes())?;

        let mut status_line = String::new();
        self.reader.read_line(&mut status_line)?;
        let status = status_line.split(' ').nth(1).unwrap_or("").to_string();
        let mut length: Option<usize> = None;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
                return Err("the server closed the connection".into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = Some(value.parse()?);
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)?;
                let mut chunk = vec![0; n + 2];
                self.reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            body.resize(length.ok_or("an answer without a length")?, 0);
            self.reader.read_exact(&mut body)?;
        }
        if status != "200" {
            return Err(format!(
                "{method} {path}: {status} {}",
                String::from_utf8_lossy(&body)
            )
            .into());
        }
        Ok(serde_json::from_slice(&body)?)
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    ser.finish()
}

fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, Error> {
    v[key]
        .as_str()
        .ok_or_else(|| format!("no {key} in the answer").into())
}

/// `(id, permission)` of every file in one page (a thousand is more than any sandbox user has, and the
/// page must say it is the last).
fn files(page: &Value) -> Result<HashMap<String, String>, Error> {
    if !page["nextPage"].is_null() {
        return Err("more than one page of files: the floor reads one".into());
    }
    let entries = page["entries"].as_array().ok_or("no entries")?;
    entries
        .iter()
        .map(|f| {
            Ok((
                text(f, "id")?.to_string(),
                text(f, "permission")?.to_string(),
            ))
        })
        .collect()
}

fn run(email: &str) -> Result<String, Error> {
    let env = |k: &str| std::env::var(k).map_err(|_| format!("{k} is not set"));
    let base = url::Url::parse(&env("SIGMA_BASE_URL")?)?;
    let client_id = env("SIGMA_CLIENT_ID")?;
    let secret = env("SIGMA_CLIENT_SECRET")?;
    let mut conn = Connection::open(&base)?;
    let token_path = "/v2/auth/token";

    let grant = conn.request(
        "POST",
        token_path,
        None,
        Some(&form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ])),
    )?;
    let admin = text(&grant, "access_token")?.to_string();

    let me = conn.request("GET", "/v2/whoami", Some(&admin), None)?;
    text(&me, "userId")?;

    let query = form(&[
        ("email", email),
        ("includeArchived", "true"),
        ("includeInactive", "true"),
        ("limit", "50"),
    ]);
    let members = conn.request("GET", &format!("/v2/members?{query}"), Some(&admin), None)?;
    let found = members["entries"]
        .as_array()
        .and_then(|all| {
            all.iter().find(|m| {
                m["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
        })
        .ok_or("no such member")?;
    text(found, "memberType")?;

    let iat = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64 - 5;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(client_id.clone());
    let claims = serde_json::json!({
        "sub": email, "iat": iat, "exp": iat + 300, "jti": format!("floor-{iat}-{}", std::process::id()),
    });
    let subject = encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )?;
    let exchanged = conn.request(
        "POST",
        token_path,
        Some(&admin),
        Some(&form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("subject_token", &subject),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"),
            ("actor_token", &admin),
            (
                "actor_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
        ])),
    )?;
    let user = text(&exchanged, "access_token")?.to_string();

    let files_path = "/v2/files?typeFilters=dataset&limit=1000";
    let user_files = files(&conn.request("GET", files_path, Some(&user), None)?)?;
    let admin_files = files(&conn.request("GET", files_path, Some(&admin), None)?)?;

    let only_admin = admin_files
        .keys()
        .filter(|id| !user_files.contains_key(*id))
        .count();
    let (mut only_user, mut different, mut same) = (0, 0, 0);
    for (id, permission) in &user_files {
        match admin_files.get(id) {
            None => only_user += 1,
            Some(p) if p != permission => different += 1,
            Some(_) => same += 1,
        }
    }
    Ok(format!(
        "{only_admin} only you, {only_user} only the user, {different} different, {same} the same"
    ))
}

fn main() -> ExitCode {
    let Some(email) = std::env::args().nth(1) else {
        let _ = writeln!(std::io::stderr(), "usage: bench-floor EMAIL");
        return ExitCode::from(2);
    };
    match run(&email) {
        Ok(summary) => {
            let _ = writeln!(std::io::stdout(), "{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "bench-floor: {e}");
            ExitCode::FAILURE
        }
    }
}
