//! `standin profile add/edit --ca-file`: the file is checked (exists, PEM, at least one certificate) before
//! anything is saved or a secret is asked for, kept as an absolute path, shown by `profile show`, and
//! cleared with `--clear-ca-file`. With the real keyring on a private D-Bus session.

mod support;

use support::{text, Home, PrivateKeyring};

const TEST_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBijCCATGgAwIBAgIUCWXu+W0rrhHU9DTfO55Ywev84AgwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQU3RhbmQtaW4gdGVzdCBDQTAeFw0yNjEyMDIwMzA1NDNaFw0z
NjExMjkwMzA1NDNaMBsxGTAXBgNVBAMMEFN0YW5kLWluIHRlc3QgQ0EwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAASCa+PYpV3FYIAKCUcdHK3qTiZrbSC+3DOAzqIV
YgpeFpbWd5y7LqrjYeT8h4eTMLWTP2VFwJ4trJj80nxnf/GDo1MwUTAdBgNVHQ4E
FgQUQqMQfImNkQC0zu+s+kkQtYSjlcQwHwYDVR0jBBgwFoAUQqMQfImNkQC0zu+s
+kkQtYSjlcQwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiApho5J
Ndz02c5enUSckdf/23/5hhUdMGhErEokRf/yygIgYtO2GnhvtTY7cQ+TbpTEQSxZ
iiLwx1KH6QUdXCeW3rc=
-----END CERTIFICATE-----
";

#[test]
fn profiles_carry_a_checked_ca_file() {
    let mut home = Home::new();
    let keyring = PrivateKeyring::start(home.path());
    keyring.apply(&mut home);
    let ca = home.path().join("corp-ca.pem");
    std::fs::write(&ca, TEST_CA).unwrap();
    let not_pem = home.path().join("notes.txt");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    let ca_arg = ca.display().to_string();
    let bad_arg = not_pem.display().to_string();
    let add = |file: &str| {
        home.run_with_stdin(
            &[
                "profile",
                "add",
                "corp",
                "--base-url",
                "https://api.corp.example",
                "--client-id",
                "cid",
                "--ca-file",
                file,
            ],
            "corp-secret\n",
        )
    };

    let out = add(&bad_arg);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("CA certificate file"), "{err}");
    assert!(
        !home.path().join("config/profiles.json").exists(),
        "nothing was saved"
    );

    let out = add(&ca_arg);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let show = home.json(&["profile", "show", "corp", "--json"]);
    let absolute = ca.canonicalize().unwrap().display().to_string();
    assert_eq!(show["caFile"], absolute.as_str());
    let out = home.run(&["profile", "show", "corp"]);
    let table = text(&out.stdout);
    assert!(
        table.contains("CA file") && table.contains(&absolute),
        "{table}"
    );

    let out = home.run(&["profile", "edit", "corp", "--ca-file", &bad_arg]);
    assert_eq!(out.status.code(), Some(1));
    let show = home.json(&["profile", "show", "corp", "--json"]);
    assert_eq!(show["caFile"], absolute.as_str(), "the old file is kept");

    let out = home.run(&["profile", "edit", "corp", "--clear-ca-file"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let show = home.json(&["profile", "show", "corp", "--json"]);
    assert!(show.get("caFile").is_none(), "{show}");

    let out = home.run(&["profile", "edit", "corp", "--ca-file", &ca_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let show = home.json(&["profile", "show", "corp", "--json"]);
    assert_eq!(show["caFile"], absolute.as_str());
}
