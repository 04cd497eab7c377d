//! Server functions: the browser's only way in, one file per feature, named as in the backend. Each
//! one takes what it needs from context (the portal, the request, the response), calls one `Portal`
//! method, and maps the result. Business outcomes travel as `Ok(Reply)` so a wrong password is an
//! answer, not an HTTP error; `Err` is kept for the portal being unreachable. The error type and the
//! context helpers are here; the endpoints and field names are what browsers and forms post, and
//! stay as they are.

use leptos::prelude::*;
use leptos::server_fn::codec::{Json, JsonEncoding};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use portal_domain::api::{
    ActivityPage, ActivitySummary, CodeSent, DetailsView, FamilyApplicationView, HomeView,
    PasskeySignedIn, PaymentsView, PinView, PlanPreview, PlanSeen, PointsView, PostalAddress,
    RecoveredUserId, Reply, SecurityView, SessionView, SpendingAnswer, UseDone, UseRequest,
};
use portal_domain::card::CardView;
use portal_domain::payments::PlanChoice;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The portal could not answer (storage or mail down); details are in the server log only.
    Unavailable,
    /// The request did not reach the portal or its answer could not be read.
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod ctx {
    use std::sync::Arc;

    use axum::http::header::{ACCEPT, COOKIE, SET_COOKIE};
    use axum::http::{HeaderValue, request::Parts};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use portal_backend::{Client, Portal, SessionUser, cookie_value};
    use portal_domain::api::Reply;
    use serde::Serialize;

    use super::AppError;

    pub fn portal() -> Result<Arc<Portal>, AppError> {
        use_context::<Arc<Portal>>().ok_or(AppError::Unavailable)
    }

    pub fn client() -> Client {
        use_context::<Parts>()
            .and_then(|p| p.extensions.get::<Client>().cloned())
            .unwrap_or_else(|| Client {
                addr: "unknown".into(),
            })
    }

    pub fn cookie(name: &str) -> Option<String> {
        let parts = use_context::<Parts>()?;
        cookie_value(
            parts.headers.get(COOKIE).and_then(|v| v.to_str().ok()),
            name,
        )
    }

    pub fn set_cookie(value: &str) {
        if let (Some(res), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            res.append_header(SET_COOKIE, value);
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> AppError {
        tracing::error!(%error, "server function failed");
        AppError::Unavailable
    }

    /// The `Refusal::SignedOut` for a server function that needs a member.
    pub fn signed_out<T>() -> Result<Reply<T>, AppError> {
        Ok(Reply::Refused(portal_domain::api::Refusal::SignedOut))
    }

    pub fn flow_token() -> String {
        cookie(portal_backend::FLOW_COOKIE).unwrap_or_default()
    }

    /// The portal and the signed-in member, for server functions that need one.
    pub async fn member() -> Result<Option<(Arc<Portal>, SessionUser)>, AppError> {
        let portal = portal()?;
        Ok(signed_in(&portal).await?.map(|user| (portal, user)))
    }

    pub async fn signed_in(portal: &Portal) -> Result<Option<SessionUser>, AppError> {
        match cookie(portal_backend::SESSION_COOKIE) {
            Some(token) => portal.session_user(&token).await.map_err(internal),
            None => Ok(None),
        }
    }

    /// A form posted without the wasm (plain HTML). Such a post cannot read a JSON answer, so a
    /// refusal is sent back to the form's page in its query string.
    fn is_plain_form() -> bool {
        use_context::<Parts>().is_some_and(|p| {
            p.headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        })
    }

    /// For a plain form post that did not succeed: back to `page` with the reply and the fields
    /// worth keeping (never a password or a card number).
    pub fn back_to_form<T: Serialize>(page: &str, reply: &Reply<T>, keep: &[(&str, &str)]) {
        if reply.is_done() || !is_plain_form() {
            return;
        }
        let Ok(json) = serde_json::to_string(reply) else {
            return;
        };
        let mut url = format!("{page}?reply={}", crate::url::encode(&json));
        for (name, value) in keep {
            url.push_str(&format!("&{name}={}", crate::url::encode(value)));
        }
        leptos_axum::redirect(&url);
    }
}

mod activity;
mod cards;
mod details;
mod payments;
mod pin;
mod points;
mod recovery;
mod registration;
mod security;
mod session;

pub use activity::*;
pub use cards::*;
pub use details::*;
pub use payments::*;
pub use pin::*;
pub use points::*;
pub use recovery::*;
pub use registration::*;
pub use security::*;
pub use session::*;
