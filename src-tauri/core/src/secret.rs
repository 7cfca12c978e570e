//! Secrets are a type: a client secret or a token can be moved around, but its value is only read through an
//! explicit call, its `Debug` prints `[redacted]`, and it cannot be serialized (there is no `Serialize` impl),
//! so it cannot slip into a log line, an error message, an IPC payload or a file by accident. Its memory is
//! wiped when it is dropped, so a freed secret does not linger in the heap for a later allocation (or a core
//! dump) to reveal. It can be deserialized — an IPC input carries a secret straight into this type — but
//! never serialized.

use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret string: client secret, access token, refresh token, subject or impersonation token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrites the whole buffer (its capacity, not only its length) before it is freed.
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for Secret {}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that must send it (a header, a form field, a signature key).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

/// Deserialized straight from the incoming value, so the secret is in a `Secret` from the first moment it
/// is a Rust value (there is deliberately no `Serialize`).
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// The last four characters of an identifier, the most a log line may show of a client ID.
pub fn id_hint(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 4 {
        return "…".to_string();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }

    #[test]
    fn deserializes_but_never_shows() {
        let s: Secret = serde_json::from_str("\"from-the-web-view\"").unwrap();
        assert_eq!(s.expose(), "from-the-web-view");
        assert_eq!(format!("{s:?}"), "[redacted]");
    }

    #[test]
    fn id_hint_shows_at_most_four_characters() {
        assert_eq!(id_hint("abcdef123456"), "…3456");
        assert_eq!(id_hint("abc"), "…");
    }
}
