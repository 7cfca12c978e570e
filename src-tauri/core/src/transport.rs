//! The one layer that touches the network. Everything above it builds [`HttpRequest`]s and reads
//! [`HttpResponse`]s, so tests can put a recording or failing transport here.

use crate::error::{CoreError, Result};
use crate::wire::{HttpRequest, HttpResponse, Method};
use std::future::Future;
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
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
        }
    }
}

/// reqwest with rustls (certificate verification always on), timeouts, and no redirects: a redirect would
/// carry the `Authorization` header or the form body with the client secret to wherever it points.
pub struct ReqwestTransport {
    client: reqwest::Client,
    options: TransportOptions,
}

impl ReqwestTransport {
    pub fn new(options: TransportOptions) -> Result<Self> {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(false) // plain http is allowed only to loopback, checked by `validate_base_url`
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .user_agent(concat!("Stand-in/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CoreError::Connect {
                host: "-".into(),
                reason: format!("could not set up HTTP: {e}"),
            })?;
        Ok(ReqwestTransport { client, options })
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
        // reqwest's error text names the URL; ours has no secrets in it, but strip it anyway so a
        // future query parameter cannot leak through an error message.
        let reason = error_chain(&e.without_url());
        CoreError::Connect {
            host: host.to_string(),
            reason,
        }
    }
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
