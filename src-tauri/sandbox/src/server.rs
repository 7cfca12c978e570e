//! The accept loop and the outer service around the axum router. We run our own loop instead of
//! `axum::serve` because a `DropConnection` fault must close a connection without any response, which a
//! service can only do by failing (hyper then drops the connection). The outer service also counts
//! requests, applies queued faults, and gives every response its request ID (header and error body).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::error::{code_for_status, ApiError, SigmaErrorBody};
use crate::faults::Fault;
use crate::state::{lock, Shared};

/// The request ID, put in the request extensions for handlers that record it (the audit log).
#[derive(Clone, Debug)]
pub(crate) struct RequestId(pub String);

/// The error a service returns to make hyper drop the connection without answering.
#[derive(Debug)]
struct DroppedConnection;

impl std::fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedConnection {}

pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    router: Router,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // Resolves on an explicit shutdown and when the handle is dropped (sender gone).
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                match accepted {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        let connection = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
                        let (shared, router) = (shared.clone(), router.clone());
                        let service = hyper::service::service_fn(move |req| {
                            handle(shared.clone(), router.clone(), connection, req)
                        });
                        connections.spawn(async move {
                            let _ = hyper::server::conn::http1::Builder::new()
                                .timer(TokioTimer::new())
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                    Err(e) => {
                        // Usually EMFILE: back off briefly instead of spinning.
                        tracing::debug!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
                while connections.try_join_next().is_some() {}
            }
        }
    }
    // Dropping the set aborts open connections, so shutdown never waits on an idle keep-alive client.
    connections.shutdown().await;
}

async fn handle(
    shared: Arc<Shared>,
    router: Router,
    connection: u64,
    mut req: Request<Incoming>,
) -> Result<Response<Body>, DroppedConnection> {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    lock(&shared.wire).push(crate::wire_log::WireRecord {
        connection,
        method: req.method().to_string(),
        path_and_query: req
            .uri()
            .path_and_query()
            .map_or_else(|| req.uri().path().to_string(), |p| p.to_string()),
    });
    // The simulated network: this request's own wait, so concurrent requests are delayed independently.
    let latency = shared.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let fault = lock(&shared.faults).take(&path);
    let response = match fault {
        Some(Fault::DropConnection) => {
            tracing::debug!(%method, %path, "fault: dropping the connection");
            return Err(DroppedConnection);
        }
        Some(Fault::TooManyRequests { retry_after }) => {
            let mut r = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Too many requests; retry later",
            )
            .into_response();
            if let Some(seconds) = retry_after {
                r.headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(seconds));
            }
            r
        }
        Some(Fault::HtmlPage { status }) => html_page(status),
        Some(Fault::ServerError(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            ApiError::new(status, code_for_status(status), "Simulated server error").into_response()
        }
        Some(Fault::ExpireToken) => {
            let bearer = req
                .headers()
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_string);
            if let Some(token) = bearer {
                let now = shared.clock.unix();
                lock(&shared.tokens).expire(&token, now);
            }
            req.extensions_mut().insert(RequestId(request_id.clone()));
            route(router, req).await
        }
        Some(Fault::EmptyPageWithCursor) => axum::Json(serde_json::json!({
            "entries": [],
            "nextPage": format!("empty-{}", uuid::Uuid::new_v4()),
        }))
        .into_response(),
        Some(Fault::TokenLifetime(expires_in)) => {
            req.extensions_mut().insert(RequestId(request_id.clone()));
            with_expires_in(route(router, req).await, expires_in).await
        }
        Some(Fault::Latency(delay)) => {
            tokio::time::sleep(delay).await;
            req.extensions_mut().insert(RequestId(request_id.clone()));
            route(router, req).await
        }
        None => {
            req.extensions_mut().insert(RequestId(request_id.clone()));
            route(router, req).await
        }
    };
    let response = finish(response, &request_id);
    // Method, path and status only: never headers, bodies or query strings (they may carry secrets).
    tracing::debug!(%method, %path, status = response.status().as_u16(), "sandbox request");
    Ok(response)
}

/// Rewrites `expires_in` in a successful JSON token answer (null removes it).
async fn with_expires_in(
    response: Response<Body>,
    expires_in: serde_json::Value,
) -> Response<Body> {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(obj) = json.as_object_mut() {
        if expires_in.is_null() {
            obj.remove("expires_in");
        } else {
            obj.insert("expires_in".into(), expires_in);
        }
    }
    let out = json.to_string();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

async fn route(router: Router, req: Request<Incoming>) -> Response<Body> {
    match router.oneshot(req.map(Body::new)).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn html_page(status: u16) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let body = format!(
        "<!DOCTYPE html>\n<html><head><title>{0}</title></head><body><h1>{0}</h1>\
         <p>The server is temporarily unable to service your request. Please try again later.</p>\
         </body></html>\n",
        if status.is_success() {
            "Rate limited"
        } else {
            status.canonical_reason().unwrap_or("Unavailable")
        }
    );
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Adds the request ID, and makes every error body Sigma-shaped: our handlers' errors get their
/// `requestId` filled in; errors produced elsewhere (axum rejections) get a Sigma body. HTML fault pages
/// are left alone on purpose.
fn finish(response: Response<Body>, request_id: &str) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let error = parts.extensions.remove::<SigmaErrorBody>();
    let replacement = match error {
        Some(e) => Some(sigma_body(e.code, &e.message, request_id)),
        None if (parts.status.is_client_error() || parts.status.is_server_error())
            && !content_type.starts_with("application/json")
            && !content_type.starts_with("text/html") =>
        {
            let message = parts
                .status
                .canonical_reason()
                .unwrap_or("Request failed")
                .to_string();
            Some(sigma_body(
                code_for_status(parts.status),
                &message,
                request_id,
            ))
        }
        None => None,
    };
    let body = match replacement {
        Some(bytes) => {
            parts.headers.remove(CONTENT_LENGTH);
            parts
                .headers
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Body::from(bytes)
        }
        None => body,
    };
    if let Ok(v) = HeaderValue::from_str(request_id) {
        parts.headers.insert("x-request-id", v);
    }
    Response::from_parts(parts, body)
}

fn sigma_body(code: &str, message: &str, request_id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "message": message,
        "code": code,
        "requestId": request_id,
    }))
    .unwrap_or_default()
}
