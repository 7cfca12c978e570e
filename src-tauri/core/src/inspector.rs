//! The token inspector: the three tokens of an impersonation session as they may be shown — header, claims
//! and expiry, never the token itself — each with a note on what it is for.

use crate::console::{Console, TokenView};
use crate::error::{CoreError, Result};
use crate::subject_token::subject_token_view;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The admin's own access token (client credentials), also the exchange's actor token.
    Actor,
    /// The self-signed subject token naming the user; used once and discarded.
    Subject,
    /// The token the exchange issued; the session's requests carry it.
    Impersonation,
}

#[derive(Debug, Clone)]
pub struct InspectedToken {
    pub kind: TokenKind,
    pub header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    pub expires_at: Option<String>,
    /// What the token is for, or why it has no claims to show (an opaque token).
    pub note: String,
}

const ACTOR_NOTE: &str =
    "Your own access token (client credentials); it is also the exchange's actor token.";
const SUBJECT_NOTE: &str = "Self-signed with the client secret (HS256), valid 5 minutes, used once for the exchange and discarded; iat, exp and jti were also set.";
const IMPERSONATION_NOTE: &str =
    "Issued by the token exchange; held in memory only and dropped at Stop Impersonation.";

fn shown(kind: TokenKind, view: TokenView, note: &str) -> InspectedToken {
    let opaque = view.inspected.is_none();
    InspectedToken {
        kind,
        header: view.inspected.as_ref().map(|i| i.header.clone()),
        claims: view.inspected.map(|i| i.claims),
        expires_at: view.expires_at,
        note: if opaque {
            format!("{note} Sigma issued an opaque token: it has no claims to show.")
        } else {
            note.to_string()
        },
    }
}

/// The active session's tokens: actor, subject, impersonation. The subject token was used once and
/// discarded, so what it said is rebuilt from the session ([`subject_token_view`]).
pub async fn session_tokens(console: &Console) -> Result<Vec<InspectedToken>> {
    let (actor, impersonation) = console.tokens().await?;
    let (info, _) = console.current().await.ok_or(CoreError::NoSession)?;
    let kid = console.client_id().await.unwrap_or_default();
    let subject = subject_token_view(&kid, &info.subject_email, info.tenant.as_deref());
    Ok(vec![
        shown(TokenKind::Actor, actor, ACTOR_NOTE),
        InspectedToken {
            kind: TokenKind::Subject,
            header: Some(subject.header),
            claims: Some(subject.claims),
            expires_at: None,
            note: SUBJECT_NOTE.into(),
        },
        shown(TokenKind::Impersonation, impersonation, IMPERSONATION_NOTE),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opaque_token_says_it_has_no_claims() {
        let opaque = shown(
            TokenKind::Impersonation,
            TokenView {
                inspected: None,
                expires_at: Some("2026-12-02T08:00:00Z".into()),
            },
            IMPERSONATION_NOTE,
        );
        assert!(opaque.claims.is_none() && opaque.header.is_none());
        assert!(opaque.note.starts_with(IMPERSONATION_NOTE));
        assert!(opaque.note.ends_with("it has no claims to show."));
        assert_eq!(opaque.expires_at.as_deref(), Some("2026-12-02T08:00:00Z"));
    }
}
