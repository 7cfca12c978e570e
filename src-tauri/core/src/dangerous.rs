//! Unverified JWT decoding, fenced off (as jsonwebtoken does with its `dangerous` module): it reads a token's
//! header and claims for display in the token inspector. Nothing here checks a signature, so nothing here may
//! decide anything. Only claims and times leave this module, never the token or its signature.

use base64::Engine;
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectedToken {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// Decodes a JWT's header and claims without verifying it. `None` when it is not a JWT (Sigma's access
/// tokens may be opaque strings).
pub fn inspect(token: &str) -> Option<InspectedToken> {
    let mut parts = token.split('.');
    let (h, c, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let decode = |part: &str| -> Option<Map<String, Value>> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(m) => Some(m),
            _ => None,
        }
    };
    Some(InspectedToken {
        header: decode(h)?,
        claims: decode(c)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_and_broken_tokens_are_none() {
        assert!(inspect("opaque-token").is_none());
        assert!(inspect("a.b.c").is_none());
        assert!(inspect("").is_none());
        assert!(inspect("a.b.c.d").is_none());
    }
}
