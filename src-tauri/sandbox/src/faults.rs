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
}

struct Entry {
    prefix: String,
    fault: Fault,
    remaining: usize,
}

#[derive(Default)]
pub(crate) struct FaultQueue {
    entries: Vec<Entry>,
}

impl FaultQueue {
    pub fn push(&mut self, prefix: &str, fault: Fault, times: usize) {
        if times > 0 {
            self.entries.push(Entry {
                prefix: prefix.to_string(),
                fault,
                remaining: times,
            });
        }
    }

    /// The first queued fault whose prefix matches `path`, used up by one.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let pos = self
            .entries
            .iter()
            .position(|e| path.starts_with(&e.prefix))?;
        let entry = &mut self.entries[pos];
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.entries.remove(pos);
        }
        Some(fault)
    }
}
