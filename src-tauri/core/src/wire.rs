//! Sans-IO protocol code: the exact requests Stand-in sends to `/v2/auth/token` and the shapes it reads back.
//! The builders are pure functions, tested byte for byte; the transport only carries what they produce.

use crate::secret::Secret;
use base64::Engine;
use serde::Deserialize;
use std::fmt;

pub const TOKEN_PATH: &str = "/v2/auth/token";
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
pub const GRANT_CLIENT_CREDENTIALS: &str = "client_credentials";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
pub const GRANT_TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const TOKEN_TYPE_JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
pub const TOKEN_TYPE_ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

/// One HTTP request, before it meets the network. The `Authorization` value and the body are secrets
/// (they carry tokens and the client secret), so `Debug` shows only the method and path. `Clone` so a
/// retry can send the same request again.
#[derive(Clone)]
pub struct HttpRequest {
    pub method: Method,
    /// Path and query, starting with `/`.
    pub path_and_query: String,
    pub authorization: Option<Secret>,
    pub content_type: Option<&'static str>,
    pub body: Option<Secret>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.path())
            .finish_non_exhaustive()
    }
}

impl HttpRequest {
    pub fn get(path_and_query: String, bearer: &Secret) -> Self {
        HttpRequest {
            method: Method::Get,
            path_and_query,
            authorization: Some(bearer_header(bearer)),
            content_type: None,
            body: None,
        }
    }

    /// The path without the query, which is what logs and the audit log show.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split('?')
            .next()
            .unwrap_or(&self.path_and_query)
    }
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

pub fn bearer_header(token: &Secret) -> Secret {
    Secret::new(format!("Bearer {}", token.expose()))
}

fn form(pairs: &[(&str, &str)]) -> Secret {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    Secret::new(ser.finish())
}

/// How the client authenticates for the client-credentials grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body, as Sigma's help page example does.
    #[default]
    FormBody,
    /// HTTP Basic `client_id:client_secret`.
    Basic,
}

/// `POST /v2/auth/token` with `grant_type=client_credentials`.
pub fn client_credentials_request(
    client_id: &str,
    client_secret: &Secret,
    auth: ClientAuth,
) -> HttpRequest {
    match auth {
        ClientAuth::FormBody => HttpRequest {
            method: Method::Post,
            path_and_query: TOKEN_PATH.to_string(),
            authorization: None,
            content_type: Some(FORM_CONTENT_TYPE),
            body: Some(form(&[
                ("grant_type", GRANT_CLIENT_CREDENTIALS),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
            ])),
        },
        ClientAuth::Basic => {
            let raw = format!("{client_id}:{}", client_secret.expose());
            let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
            HttpRequest {
                method: Method::Post,
                path_and_query: TOKEN_PATH.to_string(),
                authorization: Some(Secret::new(format!("Basic {encoded}"))),
                content_type: Some(FORM_CONTENT_TYPE),
                body: Some(form(&[("grant_type", GRANT_CLIENT_CREDENTIALS)])),
            }
        }
    }
}

/// `POST /v2/auth/token` with `grant_type=refresh_token`.
pub fn refresh_request(refresh_token: &Secret) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        path_and_query: TOKEN_PATH.to_string(),
        authorization: None,
        content_type: Some(FORM_CONTENT_TYPE),
        body: Some(form(&[
            ("grant_type", GRANT_REFRESH_TOKEN),
            ("refresh_token", refresh_token.expose()),
        ])),
    }
}

/// RFC 8693 token exchange (SIGMA_API.md §1): the five form fields, and the actor token also as the bearer
/// ("this token must match the bearer token in the request authorization header").
pub fn token_exchange_request(subject_token: &Secret, actor_token: &Secret) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        path_and_query: TOKEN_PATH.to_string(),
        authorization: Some(bearer_header(actor_token)),
        content_type: Some(FORM_CONTENT_TYPE),
        body: Some(form(&[
            ("grant_type", GRANT_TOKEN_EXCHANGE),
            ("subject_token", subject_token.expose()),
            ("subject_token_type", TOKEN_TYPE_JWT),
            ("actor_token", actor_token.expose()),
            ("actor_token_type", TOKEN_TYPE_ACCESS_TOKEN),
        ])),
    }
}

/// `expires_in` as servers really send it: an integer (possibly negative or huge), a float, a numeric
/// string, or null. Anything unreadable is treated as absent rather than failing the whole token answer;
/// the lifetime is clamped later (`client::token_lifetime`).
fn lenient_seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.clamp(i64::MIN as f64, i64::MAX as f64) as i64)
            }),
        serde_json::Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    })
}

/// The answer to client-credentials and refresh grants.
#[derive(Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_seconds")]
    pub expires_in: Option<i64>,
}

/// The answer to the token exchange: no refresh token.
#[derive(Deserialize)]
pub struct ExchangeResponse {
    pub access_token: String,
    #[serde(default)]
    pub issued_token_type: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_seconds")]
    pub expires_in: Option<i64>,
}

/// Builds `path?query` with every value form-encoded (`@` becomes `%40`, as Sigma asks for emails).
pub fn path_with_query(path: &str, query: &[(&str, String)]) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in query {
        ser.append_pair(k, v);
    }
    format!("{path}?{}", ser.finish())
}

/// Encodes one path segment (an ID taken from user input or a server).
pub fn segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_credentials_form_body_is_exact() {
        let r =
            client_credentials_request("my-id", &Secret::new("a+b/c=d&e"), ClientAuth::FormBody);
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.path_and_query, "/v2/auth/token");
        assert!(r.authorization.is_none());
        assert_eq!(r.content_type, Some("application/x-www-form-urlencoded"));
        assert_eq!(
            r.body.unwrap().expose(),
            "grant_type=client_credentials&client_id=my-id&client_secret=a%2Bb%2Fc%3Dd%26e"
        );
    }

    #[test]
    fn client_credentials_basic_is_exact() {
        let r = client_credentials_request("my-id", &Secret::new("pw"), ClientAuth::Basic);
        // base64("my-id:pw")
        assert_eq!(r.authorization.unwrap().expose(), "Basic bXktaWQ6cHc=");
        assert_eq!(r.body.unwrap().expose(), "grant_type=client_credentials");
    }

    #[test]
    fn refresh_form_body_is_exact() {
        let r = refresh_request(&Secret::new("rt 1"));
        assert_eq!(
            r.body.unwrap().expose(),
            "grant_type=refresh_token&refresh_token=rt+1"
        );
    }

    #[test]
    fn token_exchange_form_body_is_exact() {
        let r = token_exchange_request(&Secret::new("eyJ.sub.sig"), &Secret::new("actor-1"));
        assert_eq!(r.authorization.unwrap().expose(), "Bearer actor-1");
        assert_eq!(
            r.body.unwrap().expose(),
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
             &subject_token=eyJ.sub.sig\
             &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt\
             &actor_token=actor-1\
             &actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
        );
    }

    #[test]
    fn debug_of_a_request_hides_secrets() {
        let r = token_exchange_request(&Secret::new("SUBJECT"), &Secret::new("ACTOR"));
        let text = format!("{r:?}");
        assert!(
            !text.contains("SUBJECT") && !text.contains("ACTOR"),
            "{text}"
        );
        assert!(text.contains("/v2/auth/token"));
    }

    #[test]
    fn queries_encode_at_signs() {
        assert_eq!(
            path_with_query("/v2/members", &[("email", "tom@x.com".into())]),
            "/v2/members?email=tom%40x.com"
        );
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
    }
}
