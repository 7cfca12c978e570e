//! Fault injection for client tests: faults queued by path prefix, each applied to the next N matching
//! requests before routing.

use std::time::Duration;

/// A failure the sandbox simulates instead of (or before) answering normally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long (real time), then answer normally.
    Latency(Duration),
    /// HTTP 429 with a Sigma-shaped body, with or without a `Retry-After` header (seconds).
    TooManyRequests { retry_after: Option<u64> },
    /// An HTML page where JSON belongs (Sigma's edge sometimes throttles this way), with this status.
    HtmlPage { status: u16 },
    /// A Sigma-shaped error with this status (500, 502, 503…).
    ServerError(u16),
    /// Close the connection without sending any response.
    DropConnection,
    /// The bearer token of this request expires right now (as a token does halfway through a long walk);
    /// the request is then answered normally — that is, with Sigma's 401 "Token expired".
    ExpireToken,
    /// 200 with an empty page that still carries a `nextPage` cursor (a server that would page forever).
    EmptyPageWithCursor,
    /// Answer normally, but with this `expires_in` in the token answer (null: leave it out). For the token
    /// endpoint: huge, zero, negative, fractional or missing lifetimes.
    TokenLifetime(serde_json::Value),
}

/// A fault and where and how often it applies, as `standin sandbox serve --fault` takes it:
/// `PREFIX:KIND[:every=N|:times=N]`, for example `/v2/members:429=1:every=3`, `/v2/members:expire-token:every=4`,
/// `/v2/auth/token:expires-in=-5`, `/v2/files:empty-page`. Kinds: `429`, `429=SECS`, `html-429`,
/// `html=STATUS`, `500`/`502`/`503`/`504` (any 4xx/5xx status), `drop`, `expire-token`, `empty-page`,
/// `latency=MS`, `expires-in=JSON` (`null` leaves it out). Without `every=`/`times=` a fault applies once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSpec {
    pub prefix: String,
    pub fault: Fault,
    /// `Some(n)`: every n-th matching request, for as long as the server runs.
    pub every: Option<usize>,
    /// One-shot: the next `times` matching requests.
    pub times: usize,
}

impl std::str::FromStr for FaultSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let usage = || {
            format!(
                "'{spec}' is not a fault; write PREFIX:KIND[:every=N|:times=N], e.g. /v2/members:429=1:every=3"
            )
        };
        let mut parts = spec.split(':');
        let prefix = parts
            .next()
            .filter(|p| p.starts_with('/'))
            .ok_or_else(usage)?;
        let kind = parts.next().ok_or_else(usage)?;
        let (name, arg) = match kind.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (kind, None),
        };
        let num = |a: Option<&str>| -> Result<u64, String> {
            a.ok_or_else(usage)?.parse::<u64>().map_err(|_| usage())
        };
        let fault = match (name, arg) {
            ("429", None) => Fault::TooManyRequests { retry_after: None },
            ("429", a) => Fault::TooManyRequests {
                retry_after: Some(num(a)?),
            },
            ("html-429", None) => Fault::HtmlPage { status: 429 },
            ("html", a) => Fault::HtmlPage {
                status: u16::try_from(num(a)?).map_err(|_| usage())?,
            },
            ("drop", None) => Fault::DropConnection,
            ("expire-token", None) => Fault::ExpireToken,
            ("empty-page", None) => Fault::EmptyPageWithCursor,
            ("latency", a) => Fault::Latency(Duration::from_millis(num(a)?)),
            ("expires-in", Some(json)) => {
                Fault::TokenLifetime(serde_json::from_str(json).map_err(|_| usage())?)
            }
            (status, None) => match status.parse::<u16>() {
                Ok(s) if (400..600).contains(&s) => Fault::ServerError(s),
                _ => return Err(usage()),
            },
            _ => return Err(usage()),
        };
        let mut out = FaultSpec {
            prefix: prefix.to_string(),
            fault,
            every: None,
            times: 1,
        };
        for opt in parts {
            match opt.split_once('=') {
                Some(("every", n)) => {
                    out.every = Some(n.parse().ok().filter(|n| *n > 0).ok_or_else(usage)?)
                }
                Some(("times", n)) => {
                    out.times = n.parse().ok().filter(|n| *n > 0).ok_or_else(usage)?
                }
                _ => return Err(usage()),
            }
        }
        Ok(out)
    }
}

struct Entry {
    prefix: String,
    fault: Fault,
    /// One-shot entries: how many more matching requests get the fault.
    remaining: usize,
    /// Repeating entries: every `every`-th matching request gets the fault (0: one-shot).
    every: usize,
    seen: usize,
}

#[derive(Default)]
pub(crate) struct FaultQueue {
    entries: Vec<Entry>,
    fired: u64,
}

impl FaultQueue {
    pub fn push(&mut self, prefix: &str, fault: Fault, times: usize) {
        if times > 0 {
            self.entries.push(Entry {
                prefix: prefix.to_string(),
                fault,
                remaining: times,
                every: 0,
                seen: 0,
            });
        }
    }

    /// `fault` on every `every`-th request matching `prefix` (the 3rd, 6th, 9th… for 3), until cleared.
    pub fn push_every(&mut self, prefix: &str, fault: Fault, every: usize) {
        if every > 0 {
            self.entries.push(Entry {
                prefix: prefix.to_string(),
                fault,
                remaining: 0,
                every,
                seen: 0,
            });
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many faults have been applied so far, so a test can prove its fault really fired.
    pub fn fired(&self) -> u64 {
        self.fired
    }

    /// The fault for this request, if any: the first one-shot entry whose prefix matches (used up by one),
    /// else a repeating entry whose turn it is.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        if let Some(pos) = self
            .entries
            .iter()
            .position(|e| e.every == 0 && path.starts_with(&e.prefix))
        {
            let entry = &mut self.entries[pos];
            entry.remaining -= 1;
            let fault = entry.fault.clone();
            if entry.remaining == 0 {
                self.entries.remove(pos);
            }
            self.fired += 1;
            return Some(fault);
        }
        let mut hit = None;
        for e in self
            .entries
            .iter_mut()
            .filter(|e| e.every > 0 && path.starts_with(&e.prefix))
        {
            e.seen += 1;
            if hit.is_none() && e.seen.is_multiple_of(e.every) {
                hit = Some(e.fault.clone());
            }
        }
        if hit.is_some() {
            self.fired += 1;
        }
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_parse_and_bad_ones_say_how_to_write_them() {
        let f: FaultSpec = "/v2/members:429=1:every=3".parse().unwrap();
        assert_eq!(f.prefix, "/v2/members");
        assert_eq!(
            f.fault,
            Fault::TooManyRequests {
                retry_after: Some(1)
            }
        );
        assert_eq!(f.every, Some(3));
        let f: FaultSpec = "/v2/auth/token:expires-in=-5".parse().unwrap();
        assert_eq!(f.fault, Fault::TokenLifetime(serde_json::json!(-5)));
        assert_eq!((f.every, f.times), (None, 1));
        let f: FaultSpec = "/v2/files:503:times=2".parse().unwrap();
        assert_eq!((f.fault, f.times), (Fault::ServerError(503), 2));
        for ok in [
            "/v2:html-429",
            "/v2:html=200",
            "/v2:drop",
            "/v2:expire-token:every=4",
            "/v2:empty-page",
            "/v2:latency=20",
            "/v2/auth/token:expires-in=null",
        ] {
            assert!(ok.parse::<FaultSpec>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "v2:429",
            "/v2",
            "/v2:teapot",
            "/v2:200",
            "/v2:429:every=0",
            "/v2:429:often",
            "/v2:latency",
            "/v2:expires-in={",
        ] {
            let e = bad.parse::<FaultSpec>().unwrap_err();
            assert!(e.contains("PREFIX:KIND"), "{bad}: {e}");
        }
    }

    #[test]
    fn repeating_faults_hit_every_nth_request_and_are_counted() {
        let mut q = FaultQueue::default();
        q.push_every("/v2/members", Fault::ServerError(500), 3);
        let hits: Vec<bool> = (0..9).map(|_| q.take("/v2/members").is_some()).collect();
        assert_eq!(
            hits,
            [false, false, true, false, false, true, false, false, true]
        );
        assert_eq!(q.fired(), 3);
        assert!(q.take("/v2/teams").is_none());
        q.push("/v2/teams", Fault::DropConnection, 1);
        assert_eq!(q.take("/v2/teams"), Some(Fault::DropConnection));
        assert_eq!(q.fired(), 4);
        q.clear();
        assert!((0..6).all(|_| q.take("/v2/members").is_none()));
    }
}
