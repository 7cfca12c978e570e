//! The wire log: every request the sandbox received, in order, with the connection it came on. Tests use it
//! to pin down exactly what a client sends (a guard against an extra token grant or a duplicate lookup
//! creeping in), and benchmarks to see how many connections a client opens.

use std::collections::VecDeque;

/// How many records are kept: a sandbox serving a long benchmark must not grow without bound, and a test
/// looks at a few dozen requests at most.
const CAPACITY: usize = 10_000;

/// One request as it arrived: method, path with its query (never headers or bodies, which carry tokens
/// and secrets), and which connection it came on (numbered from 1 in accept order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRecord {
    pub connection: u64,
    pub method: String,
    pub path_and_query: String,
}

impl WireRecord {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split('?')
            .next()
            .unwrap_or(&self.path_and_query)
    }
}

impl std::fmt::Display for WireRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "#{} {} {}",
            self.connection, self.method, self.path_and_query
        )
    }
}

#[derive(Debug, Default)]
pub(crate) struct WireLog {
    records: VecDeque<WireRecord>,
}

impl WireLog {
    pub fn push(&mut self, record: WireRecord) {
        if self.records.len() == CAPACITY {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    pub fn records(&self) -> Vec<WireRecord> {
        self.records.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.records.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_latest_records_up_to_its_capacity() {
        let mut log = WireLog::default();
        for i in 0..CAPACITY + 5 {
            log.push(WireRecord {
                connection: 1,
                method: "GET".into(),
                path_and_query: format!("/v2/files?page={i}"),
            });
        }
        let records = log.records();
        assert_eq!(records.len(), CAPACITY);
        assert_eq!(records[0].path_and_query, "/v2/files?page=5");
        assert_eq!(records[0].path(), "/v2/files");
        assert_eq!(records[0].to_string(), "#1 GET /v2/files?page=5");
        log.clear();
        assert!(log.records().is_empty());
    }
}
