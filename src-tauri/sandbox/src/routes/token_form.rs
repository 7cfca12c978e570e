//! The fields of a `POST /v2/auth/token` request, parsed from a form or a JSON body. Its own module, below
//! both `token.rs` (client credentials, refresh) and `exchange.rs` (token exchange), so neither of those
//! imports the other for it.

use std::collections::HashMap;

use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;

use crate::error::ApiError;

/// The fields of a token request, from a form or a JSON body.
pub(crate) struct TokenForm(HashMap<String, String>);

impl TokenForm {
    /// A field's value; empty values count as missing.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

pub(crate) fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<TokenForm, ApiError> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .map(|v| {
            v.to_str()
                .map(|s| {
                    s.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                })
                .map_err(|_| ApiError::invalid_request("Content-Type header is not valid text"))
        })
        .transpose()?;
    let mut fields = HashMap::new();
    match content_type.as_deref() {
        // No Content-Type: treat as a form, the documented encoding.
        None | Some("application/x-www-form-urlencoded") => {
            if std::str::from_utf8(body).is_err() {
                return Err(ApiError::invalid_request("Request body is not valid UTF-8"));
            }
            for (k, v) in form_urlencoded::parse(body) {
                if fields.insert(k.to_string(), v.to_string()).is_some() {
                    return Err(ApiError::invalid_request(format!(
                        "Field {k} appears more than once"
                    )));
                }
            }
        }
        Some("application/json") => {
            let value: serde_json::Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::invalid_request(format!("Request body is not valid JSON: {e}")))?;
            let serde_json::Value::Object(map) = value else {
                return Err(ApiError::invalid_request("JSON request body must be an object"));
            };
            for (k, v) in map {
                let serde_json::Value::String(s) = v else {
                    return Err(ApiError::invalid_request(format!("Field {k} must be a string")));
                };
                fields.insert(k, s);
            }
        }
        Some(other) => {
            return Err(ApiError::invalid_request(format!(
                "Unsupported Content-Type {other:?}: send application/x-www-form-urlencoded (or application/json)"
            )))
        }
    }
    Ok(TokenForm(fields))
}
