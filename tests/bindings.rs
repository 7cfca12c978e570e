//! The TypeScript types in ui/src/ipc/bindings.ts are generated from the Rust DTOs; this fails when they
//! drift. `UPDATE_BINDINGS=1 cargo test -p stand-in --test bindings` rewrites the file.

#[test]
fn typescript_bindings_match_the_rust_dtos() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/ipc/bindings.ts");
    let generated = stand_in::dto::typescript_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings.ts");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "ui/src/ipc/bindings.ts is out of date with src-tauri/dto.rs; run \
         `UPDATE_BINDINGS=1 cargo test -p stand-in --test bindings` and commit the result"
    );
}

#[test]
fn no_dto_sent_to_the_web_view_can_carry_a_secret() {
    // Field names that would hold a secret or a token appear only in the input types.
    let generated = stand_in::dto::typescript_bindings();
    for block in generated.split("export ").filter(|b| !b.is_empty()) {
        let name = block.split_whitespace().nth(1).unwrap_or("");
        let inbound = matches!(name, "ConnectionInput");
        for word in [
            "secret:",
            "token:",
            "accessToken",
            "clientSecret",
            "password",
        ] {
            assert!(
                inbound || !block.contains(word),
                "{name} has a field like {word}: secrets go in, never out"
            );
        }
    }
}
