//! Routes and middleware: the Leptos pages and server functions with the portal in their context,
//! the client address, refusal of cross-site server-function calls, security headers, compression
//! of the static assets, and the demo outbox.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use portal_app::{App, content_security_policy, shell};
use portal_backend::{Client, Portal};
use tower_http::compression::CompressionLayer;

pub fn router(leptos: LeptosOptions, portal: Arc<Portal>) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let portal = portal.clone();
        move || provide_context(portal.clone())
    };
    let server_fns = {
        let context = context.clone();
        move |req: Request<Body>| handle_server_fns_with_context(context.clone(), req)
    };
    let mut app = Router::new()
        .route("/api/{*fn_name}", post(server_fns.clone()).get(server_fns))
        .route("/activity.csv", get(crate::downloads::activity_csv))
        .route("/statement.pdf", get(crate::downloads::statement_pdf))
        .leptos_routes_with_context(&leptos, routes, context, {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        });
    if portal.config.demo {
        app = app
            .route("/dev/outbox.json", get(outbox_json))
            .route("/dev/outbox", get(outbox_page))
            .route("/dev/clock", post(advance_clock));
    }
    app.fallback(leptos_axum::file_and_error_handler(shell))
        .layer(CompressionLayer::new().compress_when(static_asset))
        .layer(middleware::from_fn_with_state(
            portal.clone(),
            refuse_cross_site_calls,
        ))
        .layer(middleware::from_fn_with_state(
            portal.clone(),
            client_address,
        ))
        .layer(middleware::from_fn_with_state(
            HeaderPolicy {
                hsts: portal.config.secure_cookies,
                hashed_assets: leptos.hash_files,
            },
            security_headers,
        ))
        .with_state(leptos)
        .layer(axum::Extension(portal))
}

/// Only the wasm, scripts and styles are compressed (a phone fetches the wasm at a quarter of its
/// size). Pages and server-function answers are not: they carry a member's data next to text the
/// request chose, and compressed lengths would let an onlooker guess the one from the other (BREACH).
fn static_asset(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|kind| {
            [
                "application/wasm",
                "text/javascript",
                "application/javascript",
                "text/css",
            ]
            .iter()
            .any(|asset| kind.starts_with(asset))
        })
}

/// Puts the client address in the request for rate limits and the audit log.
async fn client_address(
    State(portal): State<Arc<Portal>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string());
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|list| forwarded_client(list, portal.config.forwarded_hops));
    let addr = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(Client { addr });
    next.run(req).await
}

/// The client address in an `X-Forwarded-For` list behind `hops` trusted proxies: each appends the
/// address it was called from, so the client is `hops` places from the right. Entries further left
/// are whatever the client wrote. `None` with no trusted proxy or too short a list.
fn forwarded_client(list: &str, hops: usize) -> Option<String> {
    let entries: Vec<&str> = list.split(',').map(str::trim).collect();
    let at = entries.len().checked_sub(hops)?;
    (hops > 0)
        .then(|| entries[at])
        .filter(|e| !e.is_empty())
        .map(str::to_string)
}

/// Server functions change state, so a browser may call them only from our own pages: the
/// `Origin` (sent by browsers on every cross-origin POST) must be the portal's public origin, and
/// Fetch Metadata must not say cross-site.
async fn refuse_cross_site_calls(
    State(portal): State<Arc<Portal>>,
    req: Request,
    next: Next,
) -> Response {
    let origin = &portal.config.passkeys.origin;
    if req.uri().path().starts_with("/api/")
        && req.method() != Method::GET
        && is_cross_site(req.headers(), origin, portal.config.demo)
    {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

/// Scheme, host and port of `Origin` must be the public origin's. A demo on one machine is also
/// reached by its address (`127.0.0.1` as well as `localhost`): there the request's own host counts.
fn is_cross_site(headers: &HeaderMap, public_origin: &str, demo: bool) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        if origin.eq_ignore_ascii_case(public_origin) {
            return false;
        }
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let same_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| Some(rest) == host);
        return !(demo && same_host);
    }
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site")
}

/// What the header middleware decides by: HSTS where cookies are Secure (served over https), and
/// whether asset names carry their content's hash (release builds), which makes them safe to keep
/// for good.
#[derive(Clone, Copy)]
struct HeaderPolicy {
    hsts: bool,
    hashed_assets: bool,
}

async fn security_headers(
    State(HeaderPolicy {
        hsts,
        hashed_assets,
    }): State<HeaderPolicy>,
    req: Request,
    next: Next,
) -> Response {
    let static_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages set their own, with the nonce of their scripts.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&content_security_policy(None))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let cache = match (static_asset, hashed_assets) {
        // A hashed name changes with its content: keep it for a year, never ask again.
        (true, true) => "public, max-age=31536000, immutable",
        (true, false) => "no-cache",
        // Pages show personal data: never keep them in a shared or back-button cache.
        (false, _) => "no-store",
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Precompressed files are chosen by Accept-Encoding: a shared cache must keep them apart.
    if static_asset && !h.contains_key(header::VARY) {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

async fn outbox_json(axum::Extension(portal): axum::Extension<Arc<Portal>>) -> Response {
    match portal.db.outbox(200).await {
        Ok(mails) => Json(mails).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "outbox not readable");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct ClockStep {
    advance_secs: i64,
}

/// Demo mode only: moves the portal's clock forward, so a test sees a session go idle or a code
/// expire without waiting. Answers the new time.
async fn advance_clock(
    axum::Extension(portal): axum::Extension<Arc<Portal>>,
    axum::Form(step): axum::Form<ClockStep>,
) -> Response {
    if portal.advance_clock(step.advance_secs) {
        Json(serde_json::json!({ "now": portal.now() })).into_response()
    } else {
        StatusCode::BAD_REQUEST.into_response()
    }
}

async fn outbox_page(axum::Extension(portal): axum::Extension<Arc<Portal>>) -> Response {
    let Ok(mails) = portal.db.outbox(200).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let mut body = String::from(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>送信メール（デモ） / Outbox (demo)</title>\
         <style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;line-height:1.6}\
         article{border:1px solid #d5d9e2;border-radius:10px;padding:0 1rem;margin:1rem 0}</style></head><body><main>\
         <h1>送信メール（デモ） / Outbox (demo)</h1><p>デモモードでは、メールとSMSは送信されずここに表示されます。 In demo mode, mail and SMS are kept here instead of being sent.</p>",
    );
    if mails.is_empty() {
        body.push_str("<p>メールはまだありません。 No mail yet.</p>");
    }
    for m in mails {
        body.push_str(&format!(
            "<article class=\"panel\"><h2>{}</h2><p>{}: {} — {}</p><pre style=\"white-space:pre-wrap\">{}</pre></article>",
            escape(&m.subject),
            if m.channel == "sms" { "SMS" } else { "To" },
            escape(&m.to),
            escape(&m.sent_at),
            escape(&m.body)
        ));
    }
    body.push_str("</main></body></html>");
    Html(body).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const PUBLIC: &str = "https://portal.example";

    #[test]
    fn same_origin_calls_pass_and_cross_site_calls_are_refused() {
        let cross =
            |pairs: &[(&'static str, &'static str)]| is_cross_site(&headers(pairs), PUBLIC, false);
        assert!(!cross(&[
            ("host", "portal.example"),
            ("origin", "https://portal.example")
        ]));
        assert!(cross(&[
            ("host", "portal.example"),
            ("origin", "https://evil.example")
        ]));
        assert!(cross(&[("host", "portal.example"), ("origin", "null")]));
        assert!(cross(&[
            ("host", "portal.example"),
            ("sec-fetch-site", "cross-site")
        ]));
        assert!(!cross(&[
            ("host", "portal.example"),
            ("sec-fetch-site", "same-origin")
        ]));
        assert!(
            !cross(&[("host", "portal.example")]),
            "non-browser clients send neither"
        );
    }

    #[test]
    fn the_origin_must_match_in_scheme_host_and_port() {
        let cross = |origin: &'static str| {
            is_cross_site(
                &headers(&[("host", "portal.example"), ("origin", origin)]),
                PUBLIC,
                false,
            )
        };
        assert!(cross("http://portal.example"), "another scheme");
        assert!(cross("https://portal.example:8443"), "another port");
        assert!(cross("https://portal.example.evil.example"), "another host");
    }

    #[test]
    fn a_demo_also_answers_its_own_address() {
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(!is_cross_site(&h, "http://localhost:3000", true));
        assert!(is_cross_site(&h, "http://localhost:3000", false));
        let evil = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example"),
        ]);
        assert!(is_cross_site(&evil, "http://localhost:3000", true));
    }

    #[test]
    fn the_client_is_counted_from_the_right() {
        // The client wrote "6.6.6.6"; the one proxy appended the address it saw.
        assert_eq!(
            forwarded_client("6.6.6.6, 203.0.113.7", 1).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            forwarded_client("6.6.6.6, 203.0.113.7, 10.0.0.2", 2).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            forwarded_client("203.0.113.7", 0),
            None,
            "no proxy: the header is not believed"
        );
        assert_eq!(
            forwarded_client("203.0.113.7", 2),
            None,
            "too short for the proxies configured"
        );
    }

    #[test]
    fn outbox_text_is_escaped() {
        assert_eq!(escape("<b>&\"</b>"), "&lt;b&gt;&amp;&quot;&lt;/b&gt;");
    }
}
