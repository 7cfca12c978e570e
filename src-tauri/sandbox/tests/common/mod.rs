//! Helpers shared by the integration tests: a running demo sandbox, a reqwest client, token helpers,
//! subject-token minting, Sigma-error assertions and OpenAPI schema validation.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};
use standin_sandbox::{ApiClientCredentials, Org, Sandbox, SandboxHandle};

pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const JWT_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
pub const ACCESS_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

pub struct Env {
    pub sandbox: SandboxHandle,
    pub http: reqwest::Client,
}

pub async fn start() -> Env {
    start_with(Org::demo()).await
}

pub async fn start_with(org: Org) -> Env {
    let sandbox = Sandbox::start(org).await.expect("sandbox starts");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    Env { sandbox, http }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// An HS256 subject token signed with `creds`' secret, `kid` = its client ID.
pub fn subject_token(creds: &ApiClientCredentials, claims: Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(creds.client_id.clone());
    header.typ = Some("JWT".to_string());
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(creds.client_secret.as_bytes()),
    )
    .expect("jwt encodes")
}

/// Standard claims for `email`: iat now, exp in five minutes, a jti.
pub fn claims_for(email: &str) -> Value {
    let now = now();
    json!({ "sub": email, "iat": now, "exp": now + 300, "jti": uuid::Uuid::new_v4().to_string() })
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sandbox.base_url(), path)
    }

    pub fn admin(&self) -> ApiClientCredentials {
        self.sandbox.admin_credentials()
    }

    pub fn creator(&self) -> ApiClientCredentials {
        self.sandbox
            .api_clients()
            .into_iter()
            .find(|c| c.client_id == standin_sandbox::DEMO_CREATOR_CLIENT_ID)
            .expect("demo creator client")
    }

    /// A client-credentials grant (form body); returns the whole token response.
    pub async fn client_credentials(&self, creds: &ApiClientCredentials) -> Value {
        let resp = self
            .http
            .post(self.url("/v2/auth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", creds.client_id.as_str()),
                ("client_secret", creds.client_secret.as_str()),
            ])
            .send()
            .await
            .expect("token request");
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.expect("token json")
    }

    pub async fn token(&self, creds: &ApiClientCredentials) -> String {
        self.client_credentials(creds).await["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token(&self.admin()).await
    }

    /// A token exchange with all five fields and the actor token as bearer.
    pub async fn exchange(&self, actor: &str, subject: &str) -> (StatusCode, Value) {
        let form = [
            ("grant_type", TOKEN_EXCHANGE),
            ("subject_token", subject),
            ("subject_token_type", JWT_TYPE),
            ("actor_token", actor),
            ("actor_token_type", ACCESS_TYPE),
        ];
        self.post_token(&form, Some(actor)).await
    }

    pub async fn post_token(
        &self,
        form: &[(&str, &str)],
        bearer: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.post(self.url("/v2/auth/token")).form(form);
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        let resp = req.send().await.expect("token request");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Impersonates `email` with the demo admin client; returns the impersonation token.
    pub async fn impersonate(&self, email: &str) -> String {
        let actor = self.admin_token().await;
        let subject = subject_token(&self.admin(), claims_for(email));
        let (status, body) = self.exchange(&actor, &subject).await;
        assert_eq!(status, StatusCode::OK, "exchange for {email}: {body}");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// GET that must succeed; returns the body.
    pub async fn get_ok(&self, path: &str, token: &str) -> Value {
        let (status, body) = self.get(path, token).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// Every page of a `{entries, nextPage}` listing, following the cursor.
    pub async fn all_pages(&self, path: &str, token: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut url = path.to_string();
        for _ in 0..10_000 {
            let body = self.get_ok(&url, token).await;
            out.extend(body["entries"].as_array().expect("entries").iter().cloned());
            match body["nextPage"].as_str() {
                Some(next) => url = format!("{path}{sep}page={}", urlencode(next)),
                None => return out,
            }
        }
        panic!("pagination did not end");
    }

    pub async fn member_by_email(&self, admin_token: &str, email: &str) -> Value {
        let body = self
            .get_ok(
                &format!("/v2/members?limit=5&email={}", urlencode(email)),
                admin_token,
            )
            .await;
        body["entries"][0].clone()
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Asserts a Sigma-shaped error: `{message, code, requestId}` with exactly those string fields.
pub fn assert_sigma_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "status for {body}");
    let obj = body
        .as_object()
        .unwrap_or_else(|| panic!("error body is not an object: {body}"));
    assert_eq!(
        obj.len(),
        3,
        "error body has exactly message, code, requestId: {body}"
    );
    assert_eq!(body["code"], code, "code in {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message in {body}"
    );
    assert!(
        body["requestId"].as_str().is_some_and(|r| !r.is_empty()),
        "requestId in {body}"
    );
}

// ---- OpenAPI schema validation -------------------------------------------------------------------

fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sigma-rest-api.openapi.json")
}

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = spec_path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "Sigma's OpenAPI spec is required for schema tests and was not found at {} ({e}). \
                 It lives in the project's shared/ folder next to the repository.",
                path.display()
            )
        });
        serde_json::from_str(&text).expect("the OpenAPI spec is JSON")
    })
}

/// The 200-response validator of `method path`, compiled once per test binary.
fn validator(path: &str, method: &str) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = OnceLock::new();
    let key = format!("{method} {path}");
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(v) = cache.lock().expect("cache").get(&key) {
        return v.clone();
    }
    let spec = spec();
    let schema =
        &spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "no 200 JSON schema for {key} in the OpenAPI spec"
    );
    // Point the operation's `$ref`s at the spec registered as a resource, so `#/components/...` resolves.
    let reference = schema["$ref"].as_str().expect("operation schema is a $ref");
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("urn:sigma-openapi{reference}"),
    });
    let components = json!({ "components": enum_one_of_as_any_of(&spec["components"]) });
    let resource = jsonschema::Draft::Draft202012.create_resource(components);
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_resource("urn:sigma-openapi", resource)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema for {key} compiles: {e}"));
    let v = Arc::new(v);
    cache.lock().expect("cache").insert(key, v.clone());
    v
}

/// The spec's `oneOf` over string enums whose value lists overlap (a grant's `permission`: "view" and "edit"
/// are in two of its three lists) cannot be met by any answer that uses a shared value — a strict validator
/// would reject every real Sigma grant that says "view". Such a `oneOf` means "one of these values", so it
/// is checked as `anyOf`; every other `oneOf` stays strict.
fn enum_one_of_as_any_of(components: &Value) -> Value {
    let schemas = &components["schemas"];
    let is_string_enum = |branch: &Value| {
        let target = match branch["$ref"].as_str() {
            Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
            None => branch,
        };
        target["enum"].is_array()
    };
    let mut out = components.clone();
    if let Some(map) = out["schemas"].as_object_mut() {
        for schema in map.values_mut() {
            let all_enums = schema["oneOf"]
                .as_array()
                .is_some_and(|branches| branches.iter().all(is_string_enum));
            if all_enums {
                if let Some(obj) = schema.as_object_mut() {
                    if let Some(branches) = obj.remove("oneOf") {
                        obj.insert("anyOf".to_string(), branches);
                    }
                }
            }
        }
    }
    out
}

/// The schema violations of `body` against the 200 schema of `method path` (path as templated in the spec).
pub fn schema_errors(path: &str, method: &str, body: &Value) -> Vec<String> {
    let v = validator(path, method);
    let errors: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .take(10)
        .collect();
    errors
}

/// Asserts that `body` matches the 200 schema of `method path`.
pub fn assert_schema(path: &str, method: &str, body: &Value) {
    let errors = schema_errors(path, method, body);
    assert!(
        errors.is_empty(),
        "{method} {path} response does not match Sigma's schema:\n{}\nbody: {}",
        errors.join("\n"),
        serde_json::to_string(body)
            .unwrap_or_default()
            .chars()
            .take(2000)
            .collect::<String>()
    );
}
