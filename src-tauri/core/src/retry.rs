//! When and how long to wait before asking Sigma again.
//!
//! Reads (GET) are retried on throttling (429, or an HTML page where JSON belongs), on 500/502/503/504 and
//! on dropped connections: Sigma's reads are idempotent, so asking again is safe. Everything else — the
//! token grant, the exchange, writes in the API console — is retried only when the request never left this
//! machine (no connection could be made), because a second POST could act twice. Waits grow exponentially
//! with jitter (so a fleet of clients does not retry in lockstep), honour `Retry-After` (seconds or an HTTP
//! date) up to a cap, and stop after a number of tries or a total time budget, whichever comes first.

use crate::error::{CoreError, Result};
use crate::wire::{HttpResponse, Method};
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How hard to try. `max_tries` counts the first attempt (1 = never retry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_tries: u32,
    /// No retry starts once this much time has gone by since the first attempt (waits included).
    pub budget: Duration,
    /// The first backoff; each later one doubles, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets this much.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_tries: 5,
            budget: Duration::from_secs(90),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry (for tests that want the first answer).
    pub fn none() -> Self {
        RetryPolicy {
            max_tries: 1,
            ..Default::default()
        }
    }

    /// The default policy with `STANDIN_RETRY_TRIES` and `STANDIN_RETRY_BUDGET_SECS` applied when set.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut p = RetryPolicy::default();
        if let Some(n) = get("STANDIN_RETRY_TRIES").and_then(|v| v.trim().parse::<u32>().ok()) {
            p.max_tries = n.clamp(1, 20);
        }
        if let Some(s) = get("STANDIN_RETRY_BUDGET_SECS").and_then(|v| v.trim().parse::<u64>().ok())
        {
            p.budget = Duration::from_secs(s.min(3600));
        }
        p
    }

    /// The backoff before try number `next_try` (2 for the first retry): half of the exponential step
    /// fixed, half random ("equal jitter"), so waits still grow but clients spread out.
    pub fn backoff(&self, next_try: u32) -> Duration {
        let exp = next_try.saturating_sub(2).min(20);
        let step = self
            .base_delay
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let half = step / 2;
        let jitter = if half.is_zero() {
            Duration::ZERO
        } else {
            rand::thread_rng().gen_range(Duration::ZERO..=half)
        };
        half + jitter
    }

    /// What to wait before try `next_try`: the server's `Retry-After` (capped) when it gave one, else the
    /// backoff.
    pub fn delay(&self, next_try: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(d) => d.min(self.max_retry_after),
            None => self.backoff(next_try),
        }
    }
}

/// Why a request is being tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 429, or an HTML page where JSON belongs.
    Throttled,
    /// 500, 502, 503 or 504.
    ServerError(u16),
    /// No connection could be made, or it broke before the answer.
    Connection,
}

/// Told before each wait, so the UI and the CLI can say what is going on.
#[derive(Debug, Clone)]
pub struct RetryNotice {
    /// The path retried (no query: it may hold search terms).
    pub path: String,
    pub reason: RetryReason,
    /// The try about to be made after the wait (2 for the first retry).
    pub next_try: u32,
    pub max_tries: u32,
    pub delay: Duration,
}

impl RetryNotice {
    /// One line for a person: "Sigma is throttling: retrying in 3 s (try 2 of 5)".
    pub fn message(&self) -> String {
        let what = match self.reason {
            RetryReason::Throttled => "Sigma is throttling".to_string(),
            RetryReason::ServerError(s) => format!("Sigma answered {s}"),
            RetryReason::Connection => "the connection failed".to_string(),
        };
        format!(
            "{what}: retrying in {} s (try {} of {})",
            self.delay.as_secs_f64().ceil() as u64,
            self.next_try,
            self.max_tries
        )
    }
}

pub type RetryObserver = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// Whether a body that should be JSON is an HTML page (a proxy's or an edge's throttling page).
pub fn looks_like_html(body: &[u8], content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let start: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    start.starts_with(b"<!doctype") || start.starts_with(b"<html") || start.starts_with(b"<")
}

/// Whether this outcome of a `method` request should be tried again, and why.
pub fn classify(method: Method, outcome: &Result<HttpResponse>) -> Option<RetryReason> {
    match outcome {
        // Never sent: safe for any method.
        Err(CoreError::Connect { .. }) => Some(RetryReason::Connection),
        Err(CoreError::Dropped { .. }) if method == Method::Get => Some(RetryReason::Connection),
        Err(_) => None,
        Ok(_) if method != Method::Get => None,
        Ok(r) => match r.status {
            429 => Some(RetryReason::Throttled),
            500 | 502 | 503 | 504 => {
                if looks_like_html(&r.body, r.content_type.as_deref()) {
                    Some(RetryReason::Throttled)
                } else {
                    Some(RetryReason::ServerError(r.status))
                }
            }
            200..=299 if looks_like_html(&r.body, r.content_type.as_deref()) => {
                Some(RetryReason::Throttled)
            }
            _ => None,
        },
    }
}

/// Cap on any `Retry-After` we parse, before the policy's own cap: a date far in the future is not a
/// reason to compute with huge durations.
const RETRY_AFTER_PARSE_CAP: Duration = Duration::from_secs(24 * 3600);

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), relative to `now`. A date in the
/// past means "now"; anything unreadable is ignored.
pub fn parse_retry_after(value: Option<&str>, now: OffsetDateTime) -> Option<Duration> {
    let value = value?.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(RETRY_AFTER_PARSE_CAP));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let at = OffsetDateTime::from(at);
    let left = at - now;
    if left.is_negative() {
        return Some(Duration::ZERO);
    }
    Some(left.unsigned_abs().min(RETRY_AFTER_PARSE_CAP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn resp(status: u16, ct: &str, body: &str) -> Result<HttpResponse> {
        Ok(HttpResponse {
            status,
            content_type: Some(ct.into()),
            retry_after: None,
            request_id: None,
            body: body.as_bytes().to_vec(),
        })
    }

    #[test]
    fn reads_are_retried_on_throttling_server_errors_and_drops() {
        let json = "application/json";
        assert_eq!(
            classify(Method::Get, &resp(429, json, "{}")),
            Some(RetryReason::Throttled)
        );
        assert_eq!(
            classify(
                Method::Get,
                &resp(200, "text/html", "<html>slow down</html>")
            ),
            Some(RetryReason::Throttled)
        );
        assert_eq!(
            classify(Method::Get, &resp(503, "text/html", "<html>busy</html>")),
            Some(RetryReason::Throttled)
        );
        for s in [500, 502, 503, 504] {
            assert_eq!(
                classify(Method::Get, &resp(s, json, "{}")),
                Some(RetryReason::ServerError(s))
            );
        }
        for s in [200, 400, 401, 403, 404, 501] {
            assert_eq!(classify(Method::Get, &resp(s, json, "{}")), None, "{s}");
        }
        let dropped: Result<HttpResponse> = Err(CoreError::Dropped {
            host: "h".into(),
            reason: "r".into(),
        });
        assert_eq!(
            classify(Method::Get, &dropped),
            Some(RetryReason::Connection)
        );
    }

    #[test]
    fn posts_are_retried_only_when_never_sent() {
        let json = "application/json";
        for s in [429, 500, 502, 503] {
            assert_eq!(classify(Method::Post, &resp(s, json, "{}")), None, "{s}");
        }
        let dropped: Result<HttpResponse> = Err(CoreError::Dropped {
            host: "h".into(),
            reason: "r".into(),
        });
        assert_eq!(classify(Method::Post, &dropped), None);
        let never_sent: Result<HttpResponse> = Err(CoreError::Connect {
            host: "h".into(),
            reason: "refused".into(),
        });
        assert_eq!(
            classify(Method::Post, &never_sent),
            Some(RetryReason::Connection)
        );
        let timeout: Result<HttpResponse> = Err(CoreError::Timeout {
            host: "h".into(),
            secs: 1,
        });
        assert_eq!(classify(Method::Post, &timeout), None);
    }

    #[test]
    fn retry_after_as_seconds_or_http_date() {
        let now = datetime!(2026-12-02 10:00:00 UTC);
        assert_eq!(
            parse_retry_after(Some("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(Some("Wed, 02 Dec 2026 10:00:12 GMT"), now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            parse_retry_after(Some("Wed, 02 Dec 2026 09:00:00 GMT"), now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after(Some("99999999999999999999999"), now),
            Some(RETRY_AFTER_PARSE_CAP)
        );
        assert_eq!(parse_retry_after(Some("soon"), now), None);
        assert_eq!(parse_retry_after(Some("-3"), now), None);
        assert_eq!(parse_retry_after(None, now), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(400),
            max_delay: Duration::from_secs(2),
            ..Default::default()
        };
        for _ in 0..50 {
            let first = p.backoff(2);
            assert!(first >= Duration::from_millis(200) && first <= Duration::from_millis(400));
            let third = p.backoff(4);
            assert!(third >= Duration::from_millis(800) && third <= Duration::from_millis(1600));
            let late = p.backoff(40);
            assert!(late >= Duration::from_secs(1) && late <= Duration::from_secs(2));
        }
        // Jitter: fifty draws are not all the same.
        let draws: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(3)).collect();
        assert!(draws.len() > 1);
        assert_eq!(
            p.delay(2, Some(Duration::from_secs(600))),
            p.max_retry_after,
            "Retry-After is capped"
        );
        assert_eq!(
            p.delay(2, Some(Duration::from_secs(1))),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn policy_from_the_environment() {
        let p = RetryPolicy::from_lookup(|k| match k {
            "STANDIN_RETRY_TRIES" => Some("3".into()),
            "STANDIN_RETRY_BUDGET_SECS" => Some("12".into()),
            _ => None,
        });
        assert_eq!(p.max_tries, 3);
        assert_eq!(p.budget, Duration::from_secs(12));
        let p = RetryPolicy::from_lookup(|k| match k {
            "STANDIN_RETRY_TRIES" => Some("0".into()),
            _ => Some("x".into()),
        });
        assert_eq!(p.max_tries, 1, "at least the first try");
        assert_eq!(p.budget, RetryPolicy::default().budget);
    }

    #[test]
    fn notices_read_well() {
        let n = RetryNotice {
            path: "/v2/members".into(),
            reason: RetryReason::Throttled,
            next_try: 2,
            max_tries: 5,
            delay: Duration::from_millis(2500),
        };
        assert_eq!(
            n.message(),
            "Sigma is throttling: retrying in 3 s (try 2 of 5)"
        );
    }
}
