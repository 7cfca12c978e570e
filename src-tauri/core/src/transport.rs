//! The one layer that touches the network. Everything above it builds [`HttpRequest`]s and reads
//! [`HttpResponse`]s, so tests can put a recording or failing transport here.

use crate::error::{CoreError, Result};
use crate::wire::{HttpRequest, HttpResponse, Method};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait Transport: Send + Sync {
    fn send<'a>(
        &'a self,
        base: &'a Url,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse>>;
}

pub type SharedTransport = Arc<dyn Transport>;

/// Largest response body Stand-in reads; anything bigger is refused rather than buffered.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct TransportOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
    /// A PEM bundle of CA certificates trusted besides the OS store (a profile's private CA).
    pub ca_file: Option<PathBuf>,
    /// Never use a proxy (set for plain-http loopback URLs: the local sandbox is never behind one).
    pub no_proxy: bool,
    /// Plain http only (loopback: the local sandbox), so no TLS trust store is loaded: reading the OS's
    /// certificate store means opening every file in /etc/ssl/certs, milliseconds that a command talking
    /// to the sandbox would spend for nothing. Redirects are never followed, so no https URL can follow.
    pub plain_http: bool,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
            ca_file: None,
            no_proxy: false,
            plain_http: false,
        }
    }
}

/// reqwest with rustls (certificate verification always on), timeouts, and no redirects: a redirect would
/// carry the `Authorization` header or the form body with the client secret to wherever it points.
///
/// Trust: the OS's certificate store (so a company's TLS-inspecting proxy, whose CA IT installed there,
/// works; `SSL_CERT_FILE`/`SSL_CERT_DIR` point elsewhere on Linux), Mozilla's roots as the fallback, and
/// the profile's own CA file. Proxies: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` from the
/// environment, except for plain-http loopback (the local sandbox).
pub struct ReqwestTransport {
    client: reqwest::Client,
    options: TransportOptions,
}

impl ReqwestTransport {
    pub fn new(options: TransportOptions) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(false) // plain http is allowed only to loopback, checked by `validate_base_url`
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .user_agent(concat!("Stand-in/", env!("CARGO_PKG_VERSION")));
        if options.no_proxy {
            builder = builder.no_proxy();
        }
        if options.plain_http {
            builder = builder.tls_built_in_root_certs(false);
        }
        if let Some(path) = &options.ca_file {
            for cert in load_ca_file(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(|e| CoreError::Connect {
            host: "-".into(),
            reason: format!("could not set up HTTP: {}", error_chain(&e)),
        })?;
        Ok(ReqwestTransport { client, options })
    }

    /// For one org: plain-http loopback URLs (the local sandbox) bypass any proxy and load no TLS roots.
    pub fn for_base_url(base: &Url, options: TransportOptions) -> Result<Self> {
        let local_http = base.scheme() == "http";
        Self::new(TransportOptions {
            no_proxy: options.no_proxy || local_http,
            plain_http: options.plain_http || local_http,
            ..options
        })
    }

    async fn send_inner(&self, base: &Url, request: HttpRequest) -> Result<HttpResponse> {
        let host = base.host_str().unwrap_or("the server").to_string();
        let url = format!(
            "{}{}",
            base.as_str().trim_end_matches('/'),
            request.path_and_query
        );
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .client
            .request(method, &url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(auth) = &request.authorization {
            let mut value =
                reqwest::header::HeaderValue::from_str(auth.expose()).map_err(|_| {
                    CoreError::MissingCredentials(
                        "the token or client ID holds characters that cannot be sent in a header"
                            .into(),
                    )
                })?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(ct) = request.content_type {
            builder = builder.header(reqwest::header::CONTENT_TYPE, ct);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.expose().to_string());
        }
        let started = Instant::now();
        let mut response = builder.send().await.map_err(|e| self.map_error(&host, e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let retry_after = header("retry-after");
        let request_id = header("x-request-id");
        if let Some(len) = response.content_length() {
            if len as usize > self.options.max_body_bytes {
                return Err(CoreError::BodyTooLarge {
                    limit: self.options.max_body_bytes,
                });
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.map_error(&host, e))?
        {
            if body.len() + chunk.len() > self.options.max_body_bytes {
                return Err(CoreError::BodyTooLarge {
                    limit: self.options.max_body_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        // Only what identifies the call: never headers, bodies or the query.
        tracing::debug!(
            method = request.method.as_str(),
            path = request.path(),
            status,
            latency_ms = started.elapsed().as_millis() as u64,
            request_id = request_id.as_deref().unwrap_or("-"),
            "sigma request"
        );
        Ok(HttpResponse {
            status,
            content_type,
            retry_after,
            request_id,
            body,
        })
    }

    fn map_error(&self, host: &str, e: reqwest::Error) -> CoreError {
        if e.is_timeout() {
            return CoreError::Timeout {
                host: host.to_string(),
                secs: self.options.request_timeout.as_secs(),
            };
        }
        let connect = e.is_connect();
        // reqwest's error text names the URL; ours has no secrets in it, but strip it anyway so a
        // future query parameter cannot leak through an error message.
        let reason = error_chain(&e.without_url());
        if let Some(tls) = explain_tls(host, &reason) {
            return CoreError::Tls {
                host: host.to_string(),
                reason: tls,
            };
        }
        if connect {
            CoreError::Connect {
                host: host.to_string(),
                reason,
            }
        } else {
            CoreError::Dropped {
                host: host.to_string(),
                reason,
            }
        }
    }
}

/// The certificates in a PEM file, or an error that names the file and says what is wrong with it.
pub fn load_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>> {
    let fail = |reason: String| CoreError::Tls {
        host: "-".into(),
        reason: format!("the CA file {} {reason}", path.display()),
    };
    let pem = std::fs::read(path).map_err(|e| fail(format!("could not be read ({e})")))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|_| fail("is not a PEM bundle of certificates".into()))?;
    if certs.is_empty() {
        return Err(fail(
            "holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)".into(),
        ));
    }
    Ok(certs)
}

/// Says plainly what a TLS failure means and what to do, from rustls's error text (which names the
/// alert or the certificate problem). `None` when the failure is not about TLS.
pub fn explain_tls(host: &str, reason: &str) -> Option<String> {
    let r = reason;
    let text = if r.contains("InvalidContentType") || r.contains("corrupt message") {
        format!(
            "the server at {host} does not speak HTTPS (plain HTTP on this port?); check the port, or use \
             http:// only for a server on this computer"
        )
    } else if r.contains("UnknownIssuer") || r.contains("UnknownCA") {
        "certificate not trusted (unknown issuer): add your company's CA to the OS certificate store, or \
         to this profile (CA certificate file / --ca-file)"
            .to_string()
    } else if r.contains("NotValidForName") {
        format!("the certificate is not valid for {host}; check the host name in the base URL")
    } else if r.contains("Expired") {
        "the server's certificate has expired (or this computer's clock is wrong)".to_string()
    } else if r.contains("NotValidYet") {
        "the server's certificate is not valid yet; check this computer's clock".to_string()
    } else if r.contains("invalid peer certificate") || r.contains("certificate") {
        format!("the server's certificate was refused ({r}); verification is never switched off")
    } else if r.contains("HandshakeFailure") || r.contains("handshake") {
        format!("the TLS handshake failed ({r}); a proxy may be interfering")
    } else {
        return None;
    };
    Some(text)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

impl Transport for ReqwestTransport {
    fn send<'a>(
        &'a self,
        base: &'a Url,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse>> {
        Box::pin(self.send_inner(base, request))
    }
}
