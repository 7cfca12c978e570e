//! A client for a plain-http loopback URL (the local sandbox) does not read the OS's certificate store;
//! one for https does. A process of its own: it points the store at a broken file through the environment,
//! which would upset other tests running beside it.

use standin_core::transport::{ReqwestTransport, TransportOptions};
use url::Url;

#[test]
fn only_https_clients_load_the_os_certificate_store() {
    let dir = tempfile::tempdir().unwrap();
    // Well-formed PEM around bytes that are no certificate: loading the store finds only invalid roots,
    // which reqwest refuses to build a client on.
    let bundle = dir.path().join("broken.pem");
    std::fs::write(
        &bundle,
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let empty = dir.path().join("certs");
    std::fs::create_dir(&empty).unwrap();
    // rustls-native-certs reads these on Linux; this process has no other thread yet.
    std::env::set_var("SSL_CERT_FILE", &bundle);
    std::env::set_var("SSL_CERT_DIR", &empty);

    let https = Url::parse("https://api.example.com").unwrap();
    let err = ReqwestTransport::for_base_url(&https, TransportOptions::default())
        .err()
        .expect("an https client reads the store, and this one is broken");
    assert!(err.to_string().contains("could not set up HTTP"), "{err}");

    let sandbox = Url::parse("http://127.0.0.1:8080").unwrap();
    ReqwestTransport::for_base_url(&sandbox, TransportOptions::default())
        .expect("a plain-http loopback client never looks at the store");
}
