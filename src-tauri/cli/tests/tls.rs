//! TLS trust and proxies as a company network has them: the sandbox behind a TLS server whose certificate
//! comes from a private CA (as a TLS-inspecting proxy re-signs traffic), and an HTTP CONNECT proxy.
//! `standin users` runs as a process so each case gets its own environment: the "OS store" is
//! `SSL_CERT_FILE` (which the OS-store loader honours on Linux), the profile's CA is `SIGMA_CA_FILE`.

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use support::{standin, ServedSandbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

struct Pki {
    ca_pem: String,
    leaf_der: Vec<u8>,
    leaf_key_der: Vec<u8>,
}

/// A private CA ("Acme Corp inspection CA") and a certificate for `localhost` signed by it.
fn private_pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Acme Corp inspection CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        leaf_der: leaf_cert.der().to_vec(),
        leaf_key_der: leaf_key.serialize_der(),
    }
}

/// Terminates TLS with `pki`'s certificate and forwards the bytes to `upstream` (the sandbox).
async fn tls_front(pki: &Pki, upstream: SocketAddr) -> SocketAddr {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(pki.leaf_der.clone())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.leaf_key_der.clone())),
    )
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that does not trust the CA aborts the handshake: nothing to forward.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut up) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
            });
        }
    });
    addr
}

/// An HTTP CONNECT proxy that counts the tunnels it opened.
async fn connect_proxy() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let tunnels = Arc::new(AtomicUsize::new(0));
    let count = tunnels.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
                    if client.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head);
                let Some(target) = text
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("CONNECT "))
                    .and_then(|l| l.split_whitespace().next())
                    .map(str::to_string)
                else {
                    let _ = client
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                        .await;
                    return;
                };
                let target = target.replace("localhost", "127.0.0.1");
                let Ok(mut up) = TcpStream::connect(&target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                count.fetch_add(1, Ordering::SeqCst);
                if client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut client, &mut up).await;
            });
        }
    });
    (addr, tunnels)
}

/// `standin users --json` against `base_url` with only `envs` on top of a clean proxy/CA environment.
async fn users(
    sandbox: &ServedSandbox,
    base_url: &str,
    envs: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = standin();
    cmd.args(["users", "--json"])
        .env("SIGMA_BASE_URL", base_url)
        .env("SIGMA_CLIENT_ID", &sandbox.client_id)
        .env("SIGMA_CLIENT_SECRET", &sandbox.client_secret)
        .env("STANDIN_RETRY_TRIES", "1");
    for k in [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "SIGMA_CA_FILE",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(k);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn ok(out: &std::process::Output, what: &str) -> usize {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what}: {stderr}");
    let users: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(users.len() >= 30, "{what}: the demo org's users");
    users.len()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// The sandbox behind a TLS server whose certificate a private CA signed, and that CA in a PEM file.
struct CorpFront {
    sandbox: ServedSandbox,
    url: String,
    dir: tempfile::TempDir,
    ca: String,
}

async fn corp_front() -> CorpFront {
    let sandbox = ServedSandbox::start(&[]);
    let upstream: SocketAddr = sandbox
        .base_url
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let pki = private_pki();
    let front = tls_front(&pki, upstream).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = write(dir.path(), "corp-ca.pem", &pki.ca_pem);
    CorpFront {
        url: format!("https://localhost:{}", front.port()),
        sandbox,
        dir,
        ca,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_is_trusted_from_the_os_store_or_the_profile_and_never_otherwise() {
    let CorpFront {
        sandbox,
        url,
        dir,
        ca,
    } = corp_front().await;

    // Not trusted anywhere: refused, and the error says what to do.
    let out = users(&sandbox, &url, &[]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("error[tls]"), "{stderr}");
    assert!(
        stderr.contains("certificate not trusted (unknown issuer)"),
        "{stderr}"
    );
    assert!(stderr.contains("add your company's CA"), "{stderr}");

    // The CA in the OS store (SSL_CERT_FILE is where the OS-store loader looks on Linux).
    let n = ok(
        &users(&sandbox, &url, &[("SSL_CERT_FILE", &ca)]).await,
        "OS store",
    );
    // The CA only in the profile's CA file.
    assert_eq!(
        ok(
            &users(&sandbox, &url, &[("SIGMA_CA_FILE", &ca)]).await,
            "CA file"
        ),
        n
    );

    // A CA file that is not a certificate: a clear local error, nothing sent.
    let junk = write(dir.path(), "junk.pem", "not a certificate\n");
    let out = users(&sandbox, &url, &[("SIGMA_CA_FILE", &junk)]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("junk.pem"), "{stderr}");
    assert!(
        stderr.contains("holds no certificate") || stderr.contains("not a PEM"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_proxy_and_no_proxy_are_honoured() {
    // `_dir` (not `_`) keeps the CA file's directory alive for the whole test.
    let CorpFront {
        sandbox,
        url,
        dir: _dir,
        ca,
    } = corp_front().await;
    let (proxy, tunnels) = connect_proxy().await;
    let proxy_url = format!("http://{proxy}");

    ok(
        &users(
            &sandbox,
            &url,
            &[("SSL_CERT_FILE", &ca), ("HTTPS_PROXY", &proxy_url)],
        )
        .await,
        "through the proxy",
    );
    let through = tunnels.load(Ordering::SeqCst);
    assert!(through >= 1, "the proxy carried the calls");

    ok(
        &users(
            &sandbox,
            &url,
            &[
                ("SSL_CERT_FILE", &ca),
                ("HTTPS_PROXY", &proxy_url),
                ("NO_PROXY", "localhost"),
            ],
        )
        .await,
        "NO_PROXY",
    );
    assert_eq!(
        tunnels.load(Ordering::SeqCst),
        through,
        "NO_PROXY bypassed it"
    );

    // A proxy that is down is a clear network error naming the proxy problem, not a hang.
    let out = users(
        &sandbox,
        &url,
        &[
            ("SSL_CERT_FILE", &ca),
            ("HTTPS_PROXY", "http://127.0.0.1:1"),
        ],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The local sandbox over plain http never goes through a proxy, whatever the environment says.
    ok(
        &users(
            &sandbox,
            &sandbox.base_url,
            &[
                ("HTTP_PROXY", "http://127.0.0.1:1"),
                ("ALL_PROXY", "http://127.0.0.1:1"),
            ],
        )
        .await,
        "loopback http",
    );
}
