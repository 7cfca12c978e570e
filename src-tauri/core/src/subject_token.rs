//! The self-signed subject token (SIGMA_API.md §1): HS256, header `{alg, kid = client id, typ: JWT}`,
//! claims `sub` (the user's email), optional `tenant`, and `iat`, `exp` (at most five minutes later), `jti`.

use crate::clock::Clock;
use crate::error::{CoreError, Result};
use crate::secret::Secret;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The longest a subject token lives: it is used once, seconds after minting.
pub const MAX_SUBJECT_TOKEN_TTL: Duration = Duration::from_secs(300);

/// How far `iat` is set back, so a server whose clock runs a little behind this computer's does not see a
/// token issued in the future. `exp` stays within [`MAX_SUBJECT_TOKEN_TTL`] of `iat`.
pub const CLOCK_SKEW_ALLOWANCE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectClaims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// Mints a subject token for `email` (and `tenant`), signed with the client secret.
pub fn mint_subject_token(
    client_id: &str,
    client_secret: &Secret,
    email: &str,
    tenant: Option<&str>,
    clock: &dyn Clock,
    ttl: Duration,
) -> Result<Secret> {
    let ttl = ttl.min(MAX_SUBJECT_TOKEN_TTL);
    let iat = clock.now().unix_timestamp() - CLOCK_SKEW_ALLOWANCE.as_secs() as i64;
    let claims = SubjectClaims {
        sub: email.to_string(),
        tenant: tenant.map(str::to_string),
        iat,
        exp: iat + ttl.as_secs() as i64,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(client_id.to_string());
    header.typ = Some("JWT".to_string());
    let key = EncodingKey::from_secret(client_secret.expose().as_bytes());
    encode(&header, &claims, &key)
        .map(Secret::new)
        .map_err(|e| CoreError::Signing(e.to_string()))
}

/// The subject token as the token inspector shows it once the session runs. The token itself was used once
/// for the exchange and discarded, so its header and the claims that say whom it named are rebuilt here,
/// the same way [`mint_subject_token`] writes them; `iat`, `exp` and `jti` were not kept and are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectTokenView {
    pub header: serde_json::Map<String, serde_json::Value>,
    pub claims: serde_json::Map<String, serde_json::Value>,
}

pub fn subject_token_view(client_id: &str, email: &str, tenant: Option<&str>) -> SubjectTokenView {
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), email.into());
    if let Some(t) = tenant {
        claims.insert("tenant".into(), t.into());
    }
    let mut header = serde_json::Map::new();
    header.insert("alg".into(), "HS256".into());
    header.insert("typ".into(), "JWT".into());
    header.insert("kid".into(), client_id.into());
    SubjectTokenView { header, claims }
}

/// Whether the exchange refused the subject token for its time (expired, not valid yet, issued in the
/// future): a sign that this computer's clock is off, since the token was minted a moment ago.
fn refused_for_its_time(status: u16, message: &str) -> bool {
    if !matches!(status, 400 | 401 | 403) {
        return false;
    }
    let m = message.to_ascii_lowercase();
    // The actor token expiring is a different matter (it is refreshed), not the clock.
    if m.contains("actor") {
        return false;
    }
    let about_time = [
        "(exp)",
        "(iat)",
        "(nbf)",
        "expired",
        "not valid yet",
        "not yet valid",
        "in the future",
        "clock",
    ]
    .iter()
    .any(|w| m.contains(w));
    about_time && (m.contains("subject") || m.contains("jwt") || m.contains("token"))
}

/// Turns an exchange refusal about the subject token's time into an error that says to check the clock;
/// any other error is returned as it is.
pub fn explain_time_refusal(error: CoreError) -> CoreError {
    match error {
        CoreError::Sigma { status, body } if refused_for_its_time(status, &body.message) => {
            CoreError::SubjectTokenTime { body }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn the_view_of_a_subject_token_matches_a_minted_one_but_its_times_and_id() {
        let clock = ManualClock::starting_now();
        for tenant in [None, Some("tenant-org-1")] {
            let token = mint_subject_token(
                "client-7",
                &Secret::new("s3cret".to_string()),
                "tom.lee@acme.example",
                tenant,
                &clock,
                MAX_SUBJECT_TOKEN_TTL,
            )
            .unwrap();
            let minted = crate::dangerous::inspect(token.expose()).expect("a JWT");
            let view = subject_token_view("client-7", "tom.lee@acme.example", tenant);
            assert_eq!(view.header, minted.header);
            let mut claims = minted.claims.clone();
            for unknown in ["iat", "exp", "jti"] {
                assert!(claims.remove(unknown).is_some(), "{unknown} is minted");
            }
            assert_eq!(view.claims, claims);
        }
    }
    use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};

    #[test]
    fn header_and_claims_are_as_sigma_documents() {
        let clock = ManualClock::starting_now();
        let token = mint_subject_token(
            "client-123",
            &Secret::new("shh"),
            "tom@example.com",
            Some("tenant-9"),
            &clock,
            Duration::from_secs(3600),
        )
        .unwrap();
        let header = decode_header(token.expose()).unwrap();
        assert_eq!(header.alg, Algorithm::HS256);
        assert_eq!(header.kid.as_deref(), Some("client-123"));
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        let mut v = Validation::new(Algorithm::HS256);
        v.required_spec_claims.clear();
        let data =
            decode::<SubjectClaims>(token.expose(), &DecodingKey::from_secret(b"shh"), &v).unwrap();
        let c = data.claims;
        assert_eq!(c.sub, "tom@example.com");
        assert_eq!(c.tenant.as_deref(), Some("tenant-9"));
        // Set back a few seconds for a server clock slightly behind ours.
        assert_eq!(c.iat, clock.now().unix_timestamp() - 5);
        // Capped at five minutes from iat even though an hour was asked for.
        assert_eq!(c.exp - c.iat, 300);
        assert!(c.exp > clock.now().unix_timestamp());
        assert_eq!(c.jti.len(), 36);
        // The wrong key does not verify.
        assert!(
            decode::<SubjectClaims>(token.expose(), &DecodingKey::from_secret(b"other"), &v)
                .is_err()
        );
    }

    #[test]
    fn no_tenant_claim_when_none() {
        let clock = ManualClock::starting_now();
        let token = mint_subject_token(
            "c",
            &Secret::new("k"),
            "a@b.co",
            None,
            &clock,
            MAX_SUBJECT_TOKEN_TTL,
        )
        .unwrap();
        let claims = crate::dangerous::inspect(token.expose()).unwrap();
        assert!(claims.claims.get("tenant").is_none());
        assert_eq!(claims.claims["sub"], "a@b.co");
    }

    #[test]
    fn time_refusals_say_to_check_the_clock() {
        use crate::error::SigmaErrorBody;
        let sigma = |status: u16, message: &str| CoreError::Sigma {
            status,
            body: SigmaErrorBody {
                message: message.into(),
                code: "invalid_grant".into(),
                request_id: Some("req-9".into()),
            },
        };
        for message in [
            "subject_token has expired (exp)",
            "subject_token is not valid yet (nbf)",
            "subject_token was issued in the future (iat)",
            "JWT expired",
        ] {
            let e = explain_time_refusal(sigma(400, message));
            assert_eq!(e.code(), "clock_skew", "{message}");
            let text = e.to_string();
            assert!(text.contains("clock"), "{text}");
            assert!(text.contains(message), "{text}");
            assert_eq!(e.request_id(), Some("req-9"));
        }
        for (status, message) in [
            (401, "The actor token has expired"),
            (403, "Admins cannot impersonate other admins"),
            (400, "subject_token signature does not verify"),
            (500, "subject_token has expired (exp)"),
        ] {
            let e = explain_time_refusal(sigma(status, message));
            assert_ne!(e.code(), "clock_skew", "{message}");
        }
    }
}
