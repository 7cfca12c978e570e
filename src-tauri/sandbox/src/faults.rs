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
            if hit.is_none() && e.seen % e.every == 0 {
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
