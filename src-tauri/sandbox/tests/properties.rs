//! Property tests of the fixture loader: any text, any JSON, and any mutation of the shipped example fixture
//! loads or fails with an error, never a panic; and whatever loads saves and reloads unchanged (FIXTURE.md's
//! promise).
//!
//! 256 cases per property by default (PROPTEST_CASES overrides), a few seconds in `cargo test --workspace`.

use proptest::prelude::*;
use serde_json::{Map, Value};
use standin_sandbox::Org;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

fn example() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/small-org.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("example fixture")).expect("JSON")
}

/// Strings that mean something to the loader: references by email, team name and folder path, enum values,
/// times, IDs, and some that are almost right.
const MEANINGFUL: &[&str] = &[
    "",
    "ada.admin@northwind.example",
    "ben.builder@northwind.example",
    "BEN.BUILDER@NORTHWIND.EXAMPLE",
    "carl.admin@contoso.example",
    "nobody@northwind.example",
    "Sales",
    "Finance",
    "Sales/Reports",
    "Sales/Reports/",
    "/Sales",
    "Sales//Reports",
    "My Documents",
    "My Documents/Drafts",
    "My Documents/../Sales",
    "..",
    "Admin",
    "admin",
    "Analyst",
    "Creator",
    "workspace",
    "folder",
    "workbook",
    "dataset",
    "view",
    "edit",
    "public",
    "private",
    "guest",
    "embed",
    "2023-02-01T09:00:00Z",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "not a time",
    "é",
    "🚀",
    "\u{0}",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        3 => proptest::sample::select(MEANINGFUL).prop_map(|s| Value::String(s.to_string())),
        1 => ".{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((".{0,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every JSON pointer in `v` (the root excluded).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(prop::sample::Index, Value),
    Remove(prop::sample::Index),
    Duplicate(prop::sample::Index),
    Swap(prop::sample::Index, prop::sample::Index),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), arb_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<prop::sample::Index>().prop_map(Mutation::Remove),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Duplicate),
        2 => (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

fn parent_and_key(pointer: &str) -> (&str, String) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, key.replace("~1", "/").replace("~0", "~"))
}

fn apply(v: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    match m {
        Mutation::Replace(i, new) => {
            if let Some(slot) = v.pointer_mut(all[i.index(all.len())].as_str()) {
                *slot = new.clone();
            }
        }
        Mutation::Remove(i) => {
            let (parent, key) = parent_and_key(all[i.index(all.len())].as_str());
            match v.pointer_mut(parent) {
                Some(Value::Object(o)) => {
                    o.remove(&key);
                }
                Some(Value::Array(a)) => {
                    if let Ok(k) = key.parse::<usize>() {
                        if k < a.len() {
                            a.remove(k);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Duplicate(i) => {
            let (parent, key) = parent_and_key(all[i.index(all.len())].as_str());
            if let Some(Value::Array(a)) = v.pointer_mut(parent) {
                if let Some(item) = key.parse::<usize>().ok().and_then(|k| a.get(k).cloned()) {
                    a.push(item);
                }
            }
        }
        // Puts one part of the fixture where another was: real records and references in the wrong place.
        Mutation::Swap(a, b) => {
            let (pa, pb) = (
                all[a.index(all.len())].clone(),
                all[b.index(all.len())].clone(),
            );
            if pa.starts_with(&format!("{pb}/")) || pb.starts_with(&format!("{pa}/")) {
                return;
            }
            let (Some(va), Some(vb)) = (v.pointer(&pa).cloned(), v.pointer(&pb).cloned()) else {
                return;
            };
            if let Some(slot) = v.pointer_mut(&pa) {
                *slot = vb;
            }
            if let Some(slot) = v.pointer_mut(&pb) {
                *slot = va;
            }
        }
    }
}

/// Loads `text`; when it loads, saving and loading again gives the same org.
fn loads_or_fails_and_round_trips(text: &str) -> Result<(), TestCaseError> {
    if let Ok(org) = Org::from_json_str(text) {
        let saved = serde_json::to_string(&org).expect("an org serializes");
        let again = Org::from_json_str(&saved);
        prop_assert!(
            again.is_ok(),
            "a loaded org does not reload: {}\nfixture: {text}",
            again.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let again = again.unwrap();
        prop_assert_eq!(
            serde_json::to_value(&again).expect("v"),
            serde_json::to_value(&org).expect("v"),
            "the reloaded org differs; fixture: {}",
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_loads_or_fails(text in ".{0,300}") {
        loads_or_fails_and_round_trips(&text)?;
    }

    #[test]
    fn any_json_loads_or_fails(v in arb_json()) {
        loads_or_fails_and_round_trips(&v.to_string())?;
    }

    #[test]
    fn any_bytes_in_a_file_load_or_fail(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("org.json");
        std::fs::write(&path, &bytes).unwrap();
        let _ = Org::from_file(&path);
    }

    #[test]
    fn any_mutation_of_the_example_loads_or_fails(mutations in proptest::collection::vec(arb_mutation(), 1..5)) {
        let mut fixture = example();
        for m in &mutations {
            apply(&mut fixture, m);
        }
        loads_or_fails_and_round_trips(&fixture.to_string())?;
    }
}
