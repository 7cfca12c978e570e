//! The code's shape, checked: no import cycles between modules, command modules that stay thin (under 150
//! lines) and that never use one another. Reads the sources under src-tauri/ as text; no code is compiled or
//! run.
//!
//! The module graph: a node per module file (found by following `mod name;` from each crate's root), an edge
//! A → B when A's code names a path into B (`use crate::b::…`, `use super::b::…`, `crate::b::f()` inline, or
//! `use b::…` for a child module b). A module's paths to its own descendants are not edges: a parent
//! declares, re-exports and routes to its children, which is containment, not a dependency between peers.
//! Test code (from the first `#[cfg(test)]` on) is left out: `super::` there means the file itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModPath = Vec<String>;

/// One crate's modules: path → file, plus the edges between them.
struct Crate {
    name: &'static str,
    files: BTreeMap<ModPath, PathBuf>,
    edges: BTreeMap<ModPath, BTreeSet<ModPath>>,
}

fn src_tauri() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri")
}

/// The crates of the workspace, by their root file.
fn crates() -> Vec<Crate> {
    let root = src_tauri();
    [
        ("stand-in (app)", root.join("lib.rs")),
        ("standin-core", root.join("core/src/lib.rs")),
        ("standin-sandbox", root.join("sandbox/src/lib.rs")),
        ("standin-cli", root.join("cli/src/main.rs")),
    ]
    .into_iter()
    .map(|(name, file)| load_crate(name, &file))
    .collect()
}

/// The code of a file without comments, string contents and its test module.
fn code_of(text: &str) -> String {
    // The test module is the last thing in a file by convention; a `#[cfg(test)]` on anything else stays.
    let text = text
        .match_indices("#[cfg(test)]")
        .find(|(i, m)| text[i + m.len()..].trim_start().starts_with("mod "))
        .map_or(text, |(i, _)| &text[..i]);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let after_ident = out.chars().next_back().is_some_and(is_ident);
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            // A raw string, r"…" or r#"…"#: it ends at a quote followed by as many #s as it began with.
            'r' if !after_ident && matches!(chars.peek(), Some('#') | Some('"')) => {
                let mut hashes = 0;
                while chars.peek() == Some(&'#') {
                    chars.next();
                    hashes += 1;
                }
                if chars.next() != Some('"') {
                    out.push('r');
                    continue;
                }
                let closing: String = std::iter::once('"')
                    .chain("#".repeat(hashes).chars())
                    .collect();
                let mut body = String::new();
                for c in chars.by_ref() {
                    body.push(c);
                    if body.ends_with(&closing) {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            '"' => {
                // A path inside a string ("crate::x" in a message) is not a dependency.
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            // Char literals ('"', '\'', '\\'), so a quote in one does not open a string; lifetimes stay.
            '\'' if chars.peek() == Some(&'\\') => {
                chars.next();
                chars.next();
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                }
                out.push_str("' '");
            }
            '\'' if chars.clone().nth(1) == Some('\'') => {
                chars.next();
                chars.next();
                out.push_str("' '");
            }
            c => out.push(c),
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The `mod name;` declarations of a file (inline `mod name { … }` blocks are tests or small helpers).
fn declared_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in code.lines() {
        let line = line.trim();
        let rest = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub(super) "))
            .or_else(|| line.strip_prefix("pub "))
            .unwrap_or(line);
        if let Some(name) = rest.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
            found.push(name.trim().to_string());
        }
    }
    found
}

fn load_crate(name: &'static str, root: &Path) -> Crate {
    let mut files = BTreeMap::new();
    let mut pending = vec![(Vec::<String>::new(), root.to_path_buf())];
    while let Some((path, file)) = pending.pop() {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // lib.rs, main.rs and mod.rs hold their children beside them; a.rs holds them in a/.
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let dir = if path.is_empty() || stem == "mod" {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        for child in declared_modules(&code_of(&text)) {
            let flat = dir.join(format!("{child}.rs"));
            let nested = dir.join(&child).join("mod.rs");
            let child_file = if flat.exists() { flat } else { nested };
            assert!(
                child_file.exists(),
                "{name}: `mod {child};` in {} has no file",
                file.display()
            );
            let mut child_path = path.clone();
            child_path.push(child);
            pending.push((child_path, child_file));
        }
        files.insert(path, file);
    }
    let modules: BTreeSet<ModPath> = files.keys().cloned().collect();
    let edges = files
        .iter()
        .map(|(path, file)| {
            let text = std::fs::read_to_string(file).unwrap();
            let targets = referenced_paths(&code_of(&text), path)
                .into_iter()
                .filter_map(|p| module_of(&p, &modules))
                // Self-references and a parent's paths to its children are not edges (see the top).
                .filter(|target| !target.starts_with(path))
                .collect();
            (path.clone(), targets)
        })
        .collect();
    Crate { name, files, edges }
}

/// Every absolute path (segments after `crate`) the code names: `use` trees and inline `crate::`/`super::`
/// paths. Relative `use child::…` paths are made absolute when `child` is a module declared here.
fn referenced_paths(code: &str, here: &ModPath) -> Vec<ModPath> {
    let children: BTreeSet<String> = declared_modules(code).into_iter().collect();
    let mut found = Vec::new();
    // `use` statements, braces expanded; the rest of the code is kept for the inline paths.
    let mut rest = code;
    let mut other_code = String::new();
    while let Some(i) = find_keyword(rest, "use") {
        other_code.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let end = after.find(';').unwrap_or(after.len());
        for path in expand_use_tree(&after[..end]) {
            if let Some(abs) = absolute(&path, here, &children) {
                found.push(abs);
            }
        }
        rest = &after[end..];
    }
    other_code.push_str(rest);
    // Inline paths: `crate::a::b::f()` and `super::a::T`, each up to the first segment that is not a bare
    // name (`f()`, `T {`), or the path's end.
    let code = other_code.as_str();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            // Inside a longer path (`x::super::`, `super::super::`): the whole path was read at its start.
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let mut segments = Vec::new();
            for part in code[at..].split("::") {
                let name: String = part.chars().take_while(|c| is_ident(*c)).collect();
                if name.is_empty() {
                    break;
                }
                let whole = name.len() == part.len();
                segments.push(name);
                if !whole {
                    break;
                }
            }
            if let Some(abs) = absolute(&segments, here, &children) {
                found.push(abs);
            }
        }
    }
    found
}

/// The byte offset of the next `keyword` that stands alone (not part of an identifier).
fn find_keyword(code: &str, keyword: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = code[from..].find(keyword) {
        let at = from + i;
        let before = code[..at].chars().next_back();
        let after = code[at + keyword.len()..].chars().next();
        if !before.is_some_and(is_ident) && after.is_some_and(char::is_whitespace) {
            return Some(at);
        }
        from = at + keyword.len();
    }
    None
}

/// `a::{b, c::{d as e, f}}` → [a::b, a::c::d, a::c::f] (as segment lists).
fn expand_use_tree(tree: &str) -> Vec<Vec<String>> {
    let segments = |path: &str| -> Vec<String> {
        path.split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split_whitespace().next().unwrap_or("");
        return vec![segments(path)];
    };
    let prefix = segments(&tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    // Split the inside on the commas outside nested braces.
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(expand_use_tree)
        .map(|tail| {
            let mut full = prefix.clone();
            full.extend(tail);
            full
        })
        .collect()
}

/// A path made absolute (from the crate root), or `None` for another crate's path.
fn absolute(path: &[String], here: &ModPath, children: &BTreeSet<String>) -> Option<ModPath> {
    let first = path.first()?;
    let mut base = match first.as_str() {
        "crate" => return Some(path[1..].to_vec()),
        "self" => here.clone(),
        "super" => here.clone(),
        name if children.contains(name) => {
            let mut p = here.clone();
            p.extend(path.iter().cloned());
            return Some(p);
        }
        _ => return None,
    };
    let mut rest = path;
    if first == "self" {
        rest = &path[1..];
    }
    while rest.first().is_some_and(|s| s == "super") {
        base.pop()?;
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module a path points into: its longest prefix that is a module.
fn module_of(path: &ModPath, modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

fn show(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".into()
    } else {
        path.join("::")
    }
}

/// A cycle in the graph, as the modules along it, if there is one.
fn find_cycle(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Option<Vec<ModPath>> {
    fn visit(
        node: &ModPath,
        edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
        stack: &mut Vec<ModPath>,
        done: &mut BTreeSet<ModPath>,
    ) -> Option<Vec<ModPath>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_cycle_between_the_modules_of_a_crate() {
    for krate in crates() {
        assert!(
            krate.files.len() > 3,
            "{}: only {} modules found; the walk is broken",
            krate.name,
            krate.files.len()
        );
        if let Some(cycle) = find_cycle(&krate.edges) {
            let shown: Vec<String> = cycle.iter().map(show).collect();
            panic!(
                "{}: import cycle {}: move what they share into a lower module both use",
                krate.name,
                shown.join(" → ")
            );
        }
    }
}

/// The command modules of a crate: `commands::<name>` with everything below it, except the shared
/// `context` (CLI) module.
fn command_of(path: &ModPath) -> Option<&str> {
    match path.as_slice() {
        [first, name, ..] if first == "commands" && name != "context" => Some(name),
        _ => None,
    }
}

#[test]
fn command_modules_do_not_use_each_other() {
    for krate in crates()
        .into_iter()
        .filter(|c| c.name == "stand-in (app)" || c.name == "standin-cli")
    {
        let commands: BTreeSet<&str> = krate.files.keys().filter_map(command_of).collect();
        assert!(commands.len() >= 4, "{}: {commands:?}", krate.name);
        for (from, targets) in &krate.edges {
            let Some(from_command) = command_of(from) else {
                continue;
            };
            for target in targets {
                if let Some(to_command) = command_of(target) {
                    assert_eq!(
                        from_command,
                        to_command,
                        "{}: {} uses {}: command modules share code through the core (or the CLI's \
                         commands::context), never through another command",
                        krate.name,
                        show(from),
                        show(target)
                    );
                }
            }
        }
    }
}

/// Each command file of the CLI (src-tauri/cli/src/commands/**) and the app (src-tauri/commands/*) stays
/// under 150 lines: a command parses, calls the core once and prints or returns; logic lives in the core.
/// The app's commands/mod.rs is the registration list (one `#[tauri::command]` wrapper per command) and
/// grows with every command, so it is not held to this.
#[test]
fn command_files_stay_under_150_lines() {
    let root = src_tauri();
    let mut files = Vec::new();
    let mut dirs = vec![root.join("cli/src/commands"), root.join("commands")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 10, "{files:?}");
    let registration = root.join("commands/mod.rs");
    let too_long: Vec<String> = files
        .iter()
        .filter(|f| **f != registration)
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines >= 150).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(
        too_long.is_empty(),
        "command files of 150 lines or more: {too_long:?}; move the logic into standin-core"
    );
}

#[test]
fn the_graph_sees_use_trees_inline_paths_and_cycles() {
    // The parser on the shapes the real code uses, so a check that passes is not one that sees nothing.
    let here: ModPath = vec!["routes".into(), "token".into()];
    let code = code_of(concat!(
        "use super::{exchange, AppState};\n",
        "use crate::state::{\n    lock,\n    Shared as S,\n};\n",
        "// use crate::in_a_comment;\n",
        "fn f() { let s = \"crate::in_a_string\"; let q = '\"'; crate::audit::push(); }\n",
        "const RAW: &str = r#\"crate::in_a_raw \"string\" \"#;\n",
        "fn g() -> super::super::model::Org { loop {} }\n",
        "#[cfg(test)]\nmod tests { use super::*; use crate::test_only; }",
    ));
    let paths = referenced_paths(&code, &here);
    let shown: BTreeSet<String> = paths.iter().map(show).collect();
    let expected: BTreeSet<String> = [
        "routes::exchange",
        "routes::AppState",
        "state::lock",
        "state::Shared",
        "audit::push",
        "model::Org",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(shown, expected);

    let p = |s: &str| -> ModPath { s.split("::").map(String::from).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(p("a"), BTreeSet::from([p("b")]));
    edges.insert(p("b"), BTreeSet::from([p("c")]));
    edges.insert(p("c"), BTreeSet::new());
    assert_eq!(find_cycle(&edges), None);
    edges.insert(p("c"), BTreeSet::from([p("a")]));
    assert_eq!(
        find_cycle(&edges),
        Some(vec![p("a"), p("b"), p("c"), p("a")])
    );
}
