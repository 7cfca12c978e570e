//! Sigma's two pagination styles. Cursors are opaque (base64 of an offset and a fingerprint of the query
//! they belong to), so clients cannot treat them as offsets and a cursor reused with other filters is refused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::ApiError;
use crate::ids::stable_hash;
use crate::query::QueryParams;

pub(crate) const MAX_LIMIT: usize = 1000;
/// Page size when a paginated endpoint gets no `limit`/`pageSize` (Sigma does not document one).
pub(crate) const DEFAULT_LIMIT: usize = 50;

/// One page of indices plus the cursor for the next page (`None` at the end).
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub total: usize,
}

/// Style A: `page` (cursor) and `limit` (number, max 1000, larger values clamped) → `nextPage`.
/// `limit` is `None` when the client gave none (the legacy bare-array case for some endpoints).
pub(crate) fn parse_limit(q: &QueryParams, key: &str) -> Result<Option<usize>, ApiError> {
    let Some(raw) = q.get(key) else {
        return Ok(None);
    };
    let value: f64 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{key} must be a number, got {raw:?}")))?;
    if !value.is_finite() || value < 1.0 {
        return Err(ApiError::bad_request(format!(
            "{key} must be at least 1, got {raw:?}"
        )));
    }
    Ok(Some((value.floor() as usize).min(MAX_LIMIT)))
}

fn fingerprint(endpoint: &str, q: &QueryParams, skip: &[&str]) -> u64 {
    let mut parts: Vec<&str> = vec![endpoint];
    for (k, v) in q.canonical(skip) {
        parts.push(k);
        parts.push(v);
    }
    stable_hash(&parts)
}

fn encode(offset: usize, fp: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("sbx1:{offset}:{fp:016x}"))
}

fn decode(cursor: &str, fp: u64, key: &str) -> Result<usize, ApiError> {
    let invalid = || {
        ApiError::bad_request(format!(
            "Invalid {key}: use the value returned by the previous response, with the same filters"
        ))
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim_end_matches('='))
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.split(':');
    let (Some("sbx1"), Some(offset), Some(hash), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    if u64::from_str_radix(hash, 16).map_err(|_| invalid())? != fp {
        return Err(invalid());
    }
    Ok(offset)
}

fn slice<T>(mut items: Vec<T>, offset: usize, limit: usize, fp: u64) -> Page<T> {
    let total = items.len();
    let end = offset.saturating_add(limit).min(total);
    let start = offset.min(total);
    let next = (end < total).then(|| encode(end, fp));
    items.truncate(end);
    let items = items.split_off(start);
    Page { items, next, total }
}

/// Paginates with `page`/`limit`, using `default_limit` when no limit is given.
pub(crate) fn page_a<T>(
    endpoint: &str,
    q: &QueryParams,
    items: Vec<T>,
    default_limit: usize,
) -> Result<Page<T>, ApiError> {
    let limit = parse_limit(q, "limit")?.unwrap_or(default_limit);
    let fp = fingerprint(endpoint, q, &["page", "limit"]);
    let offset = match q.get("page") {
        Some(c) => decode(c, fp, "page")?,
        None => 0,
    };
    Ok(slice(items, offset, limit, fp))
}

/// Style B: `pageToken`/`pageSize` → `nextPageToken` (absent on the last page).
pub(crate) fn page_b<T>(
    endpoint: &str,
    q: &QueryParams,
    items: Vec<T>,
) -> Result<Page<T>, ApiError> {
    let size = parse_limit(q, "pageSize")?.unwrap_or(DEFAULT_LIMIT);
    let fp = fingerprint(endpoint, q, &["pageToken", "pageSize"]);
    let offset = match q.get("pageToken") {
        Some(c) => decode(c, fp, "pageToken")?,
        None => 0,
    };
    Ok(slice(items, offset, size, fp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_binding() {
        let c = encode(120, 7);
        assert_eq!(decode(&c, 7, "page").ok(), Some(120));
        assert!(decode(&c, 8, "page").is_err());
        assert!(decode("120", 7, "page").is_err());
        assert!(decode("!!!", 7, "page").is_err());
    }

    #[test]
    fn slicing() {
        let p = slice((0..10).collect::<Vec<_>>(), 8, 5, 1);
        assert_eq!(p.items, vec![8, 9]);
        assert!(p.next.is_none());
        let p = slice((0..10).collect::<Vec<_>>(), 0, 5, 1);
        assert_eq!(p.items, vec![0, 1, 2, 3, 4]);
        assert!(p.next.is_some());
        let p = slice((0..10).collect::<Vec<_>>(), 50, 5, 1);
        assert!(p.items.is_empty());
    }
}
