//! The API console's path rule: the path as the server will route it, refused when it leaves `/v2/`. Its
//! own module, below both the console and the session (which applies it to every request it sends).

use crate::error::{CoreError, Result};

/// Decodes the escapes a server may turn into path structure — `%2e` (a dot), `%2f` and `%5c` (slashes) —
/// and turns backslashes into slashes, so the rules below see the path the server will route. Other
/// escapes are kept as they are.
fn decode_structural_escapes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(c) = rest.chars().next() {
        let escape = rest.get(..3).map(str::to_ascii_lowercase);
        match escape.as_deref() {
            Some("%2e") => {
                out.push('.');
                rest = &rest[3..];
            }
            Some("%2f") | Some("%5c") => {
                out.push('/');
                rest = &rest[3..];
            }
            _ => {
                out.push(if c == '\\' { '/' } else { c });
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The console's path rule, applied to the path as the server will understand it: `.`, `..`, `//`,
/// backslashes and percent-encoded dots and slashes are resolved first, so `/v2/../admin` or
/// `/v2/%2e%2e/v2/connections/paths/x` cannot slip past the `/v2/` rule or the list of endpoints that
/// reject impersonation tokens. Returns the normalised path (with the query string kept as it is), which is
/// what is checked, recorded and sent. A path that climbs above the root or leaves `/v2/` is refused.
pub fn normalize_console_path(path: &str) -> Result<String> {
    let p = path.trim();
    let bad = |why: &str| CoreError::ConsoleRequest(format!("'{p}' {why}"));
    if p.contains("://") || p.starts_with("//") || p.starts_with("\\\\") {
        return Err(bad("must be a path such as /v2/whoami, not a URL"));
    }
    if p.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain spaces"));
    }
    if p.contains('#') {
        return Err(bad("must not contain a fragment ('#')"));
    }
    let (raw_path, query) = match p.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (p, None),
    };
    let decoded = decode_structural_escapes(raw_path);
    let mut segments: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err(bad("climbs above the API's root with '..'"));
                }
            }
            s => segments.push(s),
        }
    }
    if segments.len() < 2 || !matches!(segments[0], "v2" | "v2.1") {
        return Err(bad("must stay under /v2/ (Sigma's REST API)"));
    }
    let mut out = format!("/{}", segments.join("/"));
    // A trailing slash can matter to a router; keep it.
    if decoded.ends_with('/') {
        out.push('/');
    }
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}
