//! Property tests: whatever a server sends, a token holds or a user types, the core answers with a value or
//! an error, never a panic. Also: decode errors for successful statuses never quote the body (it may hold a
//! token), the token inspector reads back exactly the header and claims it was given, and the console path
//! normaliser never lets a `..` through and is idempotent.
//!
//! 256 cases per property by default (PROPTEST_CASES overrides), so the suite stays a few seconds long in
//! `cargo test --workspace`.

use base64::Engine;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use standin_core::client::decode;
use standin_core::console::normalize_console_path;
use standin_core::dangerous::inspect;
use standin_core::error::SigmaErrorBody;
use standin_core::model::*;
use standin_core::wire::{ExchangeResponse, HttpResponse, TokenResponse};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

/// A string that must never appear in an error about a 2xx answer: it stands for a token in the body.
const MARKER: &str = "tok-SECRET-MARKER-7f3a";

/// Field names of Sigma's answers, so generated objects reach past the first "missing field" error.
const KEYS: &[&str] = &[
    "memberId",
    "email",
    "memberType",
    "firstName",
    "lastName",
    "isArchived",
    "isInactive",
    "userKind",
    "homeFolderId",
    "createdAt",
    "updatedAt",
    "createdBy",
    "updatedBy",
    "profileImgUrl",
    "teamId",
    "name",
    "description",
    "visibility",
    "members",
    "userId",
    "isTeamAdmin",
    "addedBy",
    "id",
    "urlId",
    "type",
    "path",
    "permission",
    "ownerId",
    "parentId",
    "parentUrlId",
    "badge",
    "entries",
    "nextPage",
    "nextPageToken",
    "access_token",
    "refresh_token",
    "token_type",
    "expires_in",
    "issued_token_type",
    "message",
    "code",
    "requestId",
    "organizationId",
    "accountType",
    "accountTypeId",
    "accountTypeName",
    "isCustom",
    "userAttributeId",
    "userAttributeName",
    "defaultValue",
    "value",
    "val",
    "source",
    "tenantOrganizationId",
    "parentOrganizationId",
    "tenantOrganizationName",
    "tenantOrganizationSlug",
    "tenantApiUrl",
];

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        Just(MARKER.to_string()),
        Just(String::new()),
        Just("2024-01-02T03:04:05Z".to_string()),
        "[0-9]{1,25}",
        "-?[0-9]{1,3}\\.[0-9]{1,3}e[0-9]{1,3}",
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => arb_exact_json(),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
    ]
}

/// JSON without floats: it reads back exactly (serde_json's float parsing may differ in the last bit).
fn arb_exact_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let key = prop_oneof![
            3 => proptest::sample::select(KEYS).prop_map(str::to_string),
            1 => ".{0,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((key, inner), 0..10)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An object with several of Sigma's fields, or a list page of such objects: close to a real answer.
fn arb_sigma_object() -> impl Strategy<Value = Value> {
    proptest::collection::vec((proptest::sample::select(KEYS), arb_json()), 0..14).prop_map(|kv| {
        Value::Object(
            kv.into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Map<_, _>>(),
        )
    })
}

fn arb_shaped() -> impl Strategy<Value = Value> {
    prop_oneof![
        arb_sigma_object(),
        proptest::collection::vec(arb_sigma_object(), 0..5).prop_map(Value::Array),
        (
            proptest::collection::vec(arb_sigma_object(), 0..5),
            arb_json()
        )
            .prop_map(|(entries, next)| {
                serde_json::json!({ "entries": entries, "nextPage": next, "nextPageToken": next })
            }),
    ]
}

/// A body: arbitrary bytes, arbitrary JSON, JSON cut short, or something shaped like Sigma's answers.
fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        arb_json().prop_map(|v| v.to_string().into_bytes()),
        (arb_shaped(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let bytes = v.to_string().into_bytes();
            let at = cut.index(bytes.len() + 1);
            bytes[..at].to_vec()
        }),
        arb_shaped().prop_map(|v| v.to_string().into_bytes()),
        Just(b"<!DOCTYPE html><html>slow down</html>".to_vec()),
        Just(b"   \n\t ".to_vec()),
    ]
}

fn arb_response() -> impl Strategy<Value = HttpResponse> {
    let status = prop_oneof![
        4 => prop_oneof![Just(200u16), Just(201), Just(204), Just(400), Just(401), Just(403),
                         Just(404), Just(429), Just(500), Just(502), Just(503)],
        1 => any::<u16>(),
    ];
    let content_type = proptest::option::of(prop_oneof![
        Just("application/json".to_string()),
        Just("application/json; charset=utf-8".to_string()),
        Just("text/html".to_string()),
        Just("text/plain".to_string()),
        ".{0,20}",
    ]);
    let header = proptest::option::of(prop_oneof![".{0,12}", "[0-9]{1,25}"]);
    (status, content_type, header.clone(), header, arb_body()).prop_map(
        |(status, content_type, retry_after, request_id, body)| HttpResponse {
            status,
            content_type,
            retry_after,
            request_id,
            body,
        },
    )
}

/// Decodes into `T`: a value or an error, and for a 2xx answer an error that does not quote the body.
fn decodes<T: DeserializeOwned>(r: &HttpResponse) -> Result<(), TestCaseError> {
    if let Err(e) = decode::<T>(r.clone()) {
        let text = e.to_string();
        if (200..300).contains(&r.status) {
            prop_assert!(!text.contains(MARKER), "error quotes the body: {text}");
        }
        // Every error has a stable code and a message.
        prop_assert!(!e.code().is_empty() && !text.is_empty());
    }
    Ok(())
}

fn decodes_list<T: DeserializeOwned>(r: &HttpResponse) -> Result<(), TestCaseError> {
    decodes::<ListBody<T>>(r)?;
    if let Ok(body) = decode::<ListBody<T>>(r.clone()) {
        let _page = Page::from(body);
    }
    Ok(())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn arb_object() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::vec((".{0,10}", arb_exact_json()), 0..6)
        .prop_map(|kv| kv.into_iter().collect())
}

/// The normaliser's structural decoding, repeated here to check the output as a server would route it.
fn as_routed(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .replace("%2e", ".")
        .replace("%2f", "/")
        .replace("%5c", "/")
        .replace('\\', "/")
}

fn arb_console_path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("v2".to_string()),
        Just("v2.1".to_string()),
        Just("..".to_string()),
        Just(".".to_string()),
        Just("".to_string()),
        Just("%2e%2e".to_string()),
        Just("%2E.".to_string()),
        Just("%2f".to_string()),
        Just("%5C".to_string()),
        Just("\\".to_string()),
        Just("whoami".to_string()),
        Just("members".to_string()),
        Just("files?typeFilters=workbook".to_string()),
        "[a-zA-Z0-9%._~-]{1,8}",
        ".{0,6}",
    ];
    prop_oneof![
        3 => proptest::collection::vec(segment, 0..8).prop_map(|s| format!("/{}", s.join("/"))),
        1 => ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decoding_any_answer_into_any_model_never_panics(r in arb_response()) {
        decodes::<Value>(&r)?;
        decodes::<WhoAmI>(&r)?;
        decodes::<Member>(&r)?;
        decodes::<Team>(&r)?;
        decodes::<TeamMember>(&r)?;
        decodes::<File>(&r)?;
        decodes::<AccountType>(&r)?;
        decodes::<UserAttribute>(&r)?;
        decodes::<UserAttributeAssignment>(&r)?;
        decodes::<TeamAttributeAssignment>(&r)?;
        decodes::<MemberAttribute>(&r)?;
        decodes::<Tenant>(&r)?;
        decodes::<TokenResponse>(&r)?;
        decodes::<ExchangeResponse>(&r)?;
        decodes::<SigmaErrorBody>(&r)?;
        decodes_list::<Member>(&r)?;
        decodes_list::<Team>(&r)?;
        decodes_list::<TeamMember>(&r)?;
        decodes_list::<File>(&r)?;
        decodes_list::<AccountType>(&r)?;
        decodes_list::<UserAttribute>(&r)?;
        decodes_list::<MemberAttribute>(&r)?;
        decodes_list::<Tenant>(&r)?;
    }

    #[test]
    fn inspecting_any_string_never_panics(s in ".{0,200}") {
        let _ = inspect(&s);
        let dotted = s.replace(' ', ".");
        let _ = inspect(&dotted);
    }

    #[test]
    fn inspecting_three_parts_of_any_bytes_never_panics(
        h in proptest::collection::vec(any::<u8>(), 0..96),
        c in proptest::collection::vec(any::<u8>(), 0..96),
        sig in proptest::collection::vec(any::<u8>(), 0..48),
        padded in any::<bool>(),
    ) {
        let pad = if padded { "==" } else { "" };
        let token = format!("{}{pad}.{}{pad}.{}", b64(&h), b64(&c), b64(&sig));
        if let Some(t) = inspect(&token) {
            // Only JSON objects come back, and they are what the parts held.
            prop_assert_eq!(Value::Object(t.header), serde_json::from_slice::<Value>(&h).unwrap());
            prop_assert_eq!(Value::Object(t.claims), serde_json::from_slice::<Value>(&c).unwrap());
        }
    }

    #[test]
    fn the_inspector_reads_back_any_header_and_claims(
        header in arb_object(),
        claims in arb_object(),
        sig in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        let token = format!(
            "{}.{}.{}",
            b64(Value::Object(header.clone()).to_string().as_bytes()),
            b64(Value::Object(claims.clone()).to_string().as_bytes()),
            b64(&sig)
        );
        let t = inspect(&token).expect("a JWT of two JSON objects is inspected");
        prop_assert_eq!(t.header, header);
        prop_assert_eq!(t.claims, claims);
    }

    #[test]
    fn console_paths_never_panic_never_climb_and_normalise_once(p in arb_console_path()) {
        if let Ok(n) = normalize_console_path(&p) {
            let routed = as_routed(&n);
            prop_assert!(
                !routed.split('/').any(|s| s == ".." || s == "."),
                "{:?} → {:?} has a dot segment", p, n
            );
            prop_assert!(n.starts_with("/v2/") || n.starts_with("/v2.1/"), "{:?} → {:?}", p, n);
            prop_assert_eq!(normalize_console_path(&n).ok(), Some(n.clone()), "not idempotent for {:?}", p);
        }
    }
}
