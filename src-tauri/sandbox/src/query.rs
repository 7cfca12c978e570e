//! Query strings parsed by hand: axum's `Query` cannot take repeated keys (`typeFilters=a&typeFilters=b`)
//! and its rejections are not Sigma-shaped.

use crate::error::ApiError;

pub(crate) struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Self {
        QueryParams(
            raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
        )
    }

    /// The first value of `key`, if given and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Ok(Some(false)),
            Some(v) => Err(ApiError::bad_request(format!(
                "Query parameter {key} must be true or false, got {v:?}"
            ))),
        }
    }

    /// All parameters except `skip`, sorted: what a pagination cursor is bound to.
    pub fn canonical(&self, skip: &[&str]) -> Vec<(&str, &str)> {
        let mut pairs: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.sort_unstable();
        pairs
    }
}

/// `true` when an optional filter is unset, else whether the value passes it. (`Option::is_none_or`
/// needs Rust 1.82; the workspace declares 1.80.)
pub(crate) fn unset_or<T>(filter: Option<T>, passes: impl FnOnce(T) -> bool) -> bool {
    match filter {
        None => true,
        Some(value) => passes(value),
    }
}
