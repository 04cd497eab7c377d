//! Server functions: the browser's only way in. Each one takes what it needs from context (the
//! portal, the request, the response), calls one `Portal` method, and maps the result. Business
//! outcomes travel as `Ok(Reply)` so a wrong password is an answer, not an HTTP error; `Err` is kept
//! for the portal being unreachable.

use leptos::prelude::*;
use leptos::server_fn::codec::{Json, JsonEncoding};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use portal_domain::api::{
    ActivityPage, ActivitySummary, CodeSent, HomeView, PasskeySignedIn, PaymentsView, PlanPreview,
    PlanSeen, PointsView, RecoveredUserId, Reply, SecurityView, SessionView, SpendingAnswer,
    UseDone, UseRequest,
};
use portal_domain::payments::PlanChoice;
use serde::{Deserialize, Serialize};
use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

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
    use portal_backend::{Client, Portal, PortalError, SessionUser, cookie_value};
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

    pub fn internal(error: PortalError) -> AppError {
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

#[server(endpoint = "session")]
pub async fn current_session() -> Result<Option<SessionView>, AppError> {
    let portal = ctx::portal()?;
    match ctx::signed_in(&portal).await? {
        Some(user) => portal
            .session_view(&user)
            .await
            .map(Some)
            .map_err(ctx::internal),
        None => Ok(None),
    }
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(user_id: String, password: String) -> Result<Reply<()>, AppError> {
    let portal = ctx::portal()?;
    let reply = portal
        .sign_in(&user_id, &password, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if let Reply::Done(token) = &reply {
        ctx::set_cookie(&portal.session_cookie(token));
        leptos_axum::redirect("/home");
    }
    let reply = reply.map(|_| ());
    ctx::back_to_form("/", &reply, &[("user_id", &user_id)]);
    Ok(reply)
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let portal = ctx::portal()?;
    if let Some(user) = ctx::signed_in(&portal).await? {
        portal
            .sign_out(&user, &ctx::client())
            .await
            .map_err(ctx::internal)?;
    }
    ctx::set_cookie(&portal.expired_cookie(portal_backend::SESSION_COOKIE));
    leptos_axum::redirect("/?signed_out=1");
    Ok(())
}

/// Activity that keeps the session alive; false when it has already ended.
#[server(endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<bool, AppError> {
    let portal = ctx::portal()?;
    Ok(ctx::signed_in(&portal).await?.is_some())
}

#[server(endpoint = "home")]
pub async fn load_home() -> Result<Option<HomeView>, AppError> {
    let portal = ctx::portal()?;
    match ctx::signed_in(&portal).await? {
        Some(user) => portal.home(&user).await.map(Some).map_err(ctx::internal),
        None => Ok(None),
    }
}

/// The strength meter's estimate: the same function the password rule uses, run on the server so
/// the browser need not download its dictionaries. The password is not stored or logged. `None`
/// when this address asked too often.
#[server(endpoint = "password_strength")]
pub async fn password_strength(password: String, user_id: String) -> Result<Option<u8>, AppError> {
    let portal = ctx::portal()?;
    portal
        .password_strength(password, user_id, &ctx::client())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "register_card")]
pub async fn register_card(
    card_number: String,
    front_code: String,
    birth_date: String,
) -> Result<Reply<()>, AppError> {
    let portal = ctx::portal()?;
    let form = portal_backend::IdentityForm {
        card_number: &card_number,
        front_code: &front_code,
        birth_date: &birth_date,
    };
    let reply = portal
        .start_registration(form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if let Reply::Done(token) = &reply {
        ctx::set_cookie(&portal.flow_cookie(token));
        leptos_axum::redirect("/register/account");
    }
    let reply = reply.map(|_| ());
    ctx::back_to_form("/register", &reply, &[]);
    Ok(reply)
}

#[server(endpoint = "register_account")]
pub async fn register_account(
    user_id: String,
    password: String,
    password_confirm: String,
) -> Result<Reply<()>, AppError> {
    let portal = ctx::portal()?;
    let flow = ctx::flow_token();
    let new = portal_backend::NewCredentials {
        user_id: &user_id,
        password: &password,
        password_confirm: &password_confirm,
    };
    let reply = portal
        .complete_registration(&flow, new, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if let Reply::Done(token) = &reply {
        ctx::set_cookie(&portal.expired_cookie(portal_backend::FLOW_COOKIE));
        ctx::set_cookie(&portal.session_cookie(token));
        leptos_axum::redirect("/home?welcome=1");
    }
    let reply = reply.map(|_| ());
    ctx::back_to_form("/register/account", &reply, &[("user_id", &user_id)]);
    Ok(reply)
}

#[server(endpoint = "recover_user_id")]
pub async fn recover_user_id(
    card_number: String,
    front_code: String,
    birth_date: String,
) -> Result<Reply<RecoveredUserId>, AppError> {
    let portal = ctx::portal()?;
    let form = portal_backend::IdentityForm {
        card_number: &card_number,
        front_code: &front_code,
        birth_date: &birth_date,
    };
    portal
        .recover_user_id(form, &ctx::client())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "reset_start")]
pub async fn reset_start(
    card_number: String,
    front_code: String,
    birth_date: String,
) -> Result<Reply<()>, AppError> {
    let portal = ctx::portal()?;
    let form = portal_backend::IdentityForm {
        card_number: &card_number,
        front_code: &front_code,
        birth_date: &birth_date,
    };
    let reply = portal
        .start_reset(form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if let Reply::Done((token, _)) = &reply {
        ctx::set_cookie(&portal.flow_cookie(token));
        leptos_axum::redirect("/recover/password/code");
    }
    let reply = reply.map(|_| ());
    ctx::back_to_form("/recover/password", &reply, &[]);
    Ok(reply)
}

#[server(endpoint = "reset_status")]
pub async fn reset_status() -> Result<Option<CodeSent>, AppError> {
    let portal = ctx::portal()?;
    match ctx::cookie(portal_backend::FLOW_COOKIE) {
        Some(flow) => portal.reset_status(&flow).await.map_err(ctx::internal),
        None => Ok(None),
    }
}

#[server(endpoint = "reset_resend")]
pub async fn reset_resend() -> Result<Reply<CodeSent>, AppError> {
    let portal = ctx::portal()?;
    let flow = ctx::flow_token();
    let reply = portal
        .resend_code(&flow, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    ctx::back_to_form("/recover/password/code", &reply, &[]);
    Ok(reply)
}

#[server(endpoint = "reset_verify")]
pub async fn reset_verify(code: String) -> Result<Reply<()>, AppError> {
    let portal = ctx::portal()?;
    let flow = ctx::flow_token();
    let reply = portal
        .verify_reset_code(&flow, &code, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        leptos_axum::redirect("/recover/password/new");
    }
    ctx::back_to_form("/recover/password/code", &reply, &[]);
    Ok(reply)
}

#[server(endpoint = "reset_finish")]
pub async fn reset_finish(
    password: String,
    password_confirm: String,
) -> Result<Reply<()>, AppError> {
    let portal = ctx::portal()?;
    let flow = ctx::flow_token();
    let reply = portal
        .finish_reset(&flow, &password, &password_confirm, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        ctx::set_cookie(&portal.expired_cookie(portal_backend::FLOW_COOKIE));
        leptos_axum::redirect("/?reset=1");
    }
    ctx::back_to_form("/recover/password/new", &reply, &[]);
    Ok(reply)
}

/// A passkey challenge and the id of the ceremony on the server that waits for its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge<T> {
    pub ceremony: String,
    pub options: T,
}

#[cfg(feature = "ssr")]
impl<T> From<portal_backend::Challenge<T>> for Challenge<T> {
    fn from(c: portal_backend::Challenge<T>) -> Self {
        Challenge {
            ceremony: c.ceremony,
            options: c.options,
        }
    }
}

#[server(endpoint = "security")]
pub async fn load_security() -> Result<Option<SecurityView>, AppError> {
    let portal = ctx::portal()?;
    match ctx::signed_in(&portal).await? {
        Some(user) => portal
            .security(&user)
            .await
            .map(Some)
            .map_err(ctx::internal),
        None => Ok(None),
    }
}

/// Back to security settings marked confirmed, or to its form with the refusal.
#[cfg(feature = "ssr")]
fn after_confirmation(reply: Reply<()>) -> Reply<()> {
    if reply.is_done() {
        leptos_axum::redirect("/security?confirmed=1");
    }
    ctx::back_to_form("/security", &reply, &[]);
    reply
}

#[server(endpoint = "confirm_password")]
pub async fn confirm_password(password: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .confirm_password(&user, &password, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(after_confirmation(reply))
}

#[server(endpoint = "confirm_code_send")]
pub async fn send_confirmation_code() -> Result<Reply<CodeSent>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .send_confirmation_code(&user, &ctx::client())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "confirm_code")]
pub async fn confirm_code(code: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .confirm_code(&user, &code, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(after_confirmation(reply))
}

#[server(endpoint = "passkey_register_start")]
pub async fn passkey_register_start()
-> Result<Reply<Challenge<CreationChallengeResponse>>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .start_passkey_registration(&user, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(reply.map(Challenge::from))
}

#[server(endpoint = "passkey_register_finish", input = Json)]
pub async fn passkey_register_finish(
    ceremony: String,
    name: String,
    credential: RegisterPublicKeyCredential,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .finish_passkey_registration(&user, &ceremony, &name, &credential, &ctx::client())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "passkey_rename")]
pub async fn passkey_rename(id: i64, name: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .rename_passkey(&user, id, &name, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        leptos_axum::redirect(&format!("/security?renamed={id}"));
    }
    ctx::back_to_form("/security", &reply, &[]);
    Ok(reply)
}

#[server(endpoint = "passkey_remove")]
pub async fn passkey_remove(id: i64) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .remove_passkey(&user, id, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        leptos_axum::redirect("/security?removed=1");
    }
    ctx::back_to_form("/security", &reply, &[]);
    Ok(reply)
}

#[server(endpoint = "passkey_sign_in_start")]
pub async fn passkey_sign_in_start() -> Result<Reply<Challenge<RequestChallengeResponse>>, AppError>
{
    let portal = ctx::portal()?;
    let reply = portal
        .start_passkey_sign_in(&ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(reply.map(Challenge::from))
}

#[server(endpoint = "passkey_sign_in_finish", input = Json)]
pub async fn passkey_sign_in_finish(
    ceremony: String,
    credential: PublicKeyCredential,
) -> Result<Reply<PasskeySignedIn>, AppError> {
    let portal = ctx::portal()?;
    let reply = portal
        .finish_passkey_sign_in(&ceremony, &credential, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if let Reply::Done((token, _)) = &reply {
        ctx::set_cookie(&portal.session_cookie(token));
    }
    Ok(reply.map(|(_, signed_in)| signed_in))
}

/// A new password from inside the portal: after a passkey sign-in (the way out of a lock) or a
/// fresh confirmation.
#[server(endpoint = "change_password")]
pub async fn change_password(
    password: String,
    password_confirm: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .change_password(&user, &password, &password_confirm, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        leptos_axum::redirect("/security?password_changed=1");
    }
    ctx::back_to_form("/security/password", &reply, &[]);
    Ok(reply)
}

/// The filter fields as the activity page's URL holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterQuery {
    pub pairs: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
fn read_filter(
    query: &FilterQuery,
) -> Result<portal_domain::activity::ActivityFilter, portal_domain::activity::FilterProblem> {
    portal_domain::activity::ActivityFilter::from_query(
        query.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

#[server(endpoint = "activity_page", input = Json)]
pub async fn load_activity_page(
    query: FilterQuery,
    cursor: Option<String>,
) -> Result<Reply<ActivityPage>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .activity_page(&user, read_filter(&query), cursor.as_deref())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "activity_summary", input = Json)]
pub async fn load_activity_summary(query: FilterQuery) -> Result<Reply<ActivitySummary>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .activity_summary(&user, read_filter(&query))
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "line_note")]
pub async fn set_line_note(id: i64, category: String, memo: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .set_line_note(&user, id, &category, &memo)
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "payments")]
pub async fn load_payments() -> Result<Reply<PaymentsView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal.payments(&user).await.map_err(ctx::internal)
}

/// Without `confirm`, shows what moving the charges would do; with it, does it, provided it is
/// still what was `seen`.
#[server(endpoint = "plan_change", input = Json)]
pub async fn change_plan(
    line_ids: Vec<i64>,
    choice: PlanChoice,
    confirm: bool,
    seen: Option<PlanSeen>,
) -> Result<Reply<PlanPreview>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .change_plan(&user, &line_ids, choice, confirm, seen.as_ref())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "plan_undo")]
pub async fn undo_plan(plan_id: i64) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .undo_plan(&user, plan_id)
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "spending_power")]
pub async fn check_spending_power(amount: String) -> Result<Reply<SpendingAnswer>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .spending_power(&user, &amount, &ctx::client())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "points")]
pub async fn load_points() -> Result<Reply<PointsView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal.points(&user).await.map_err(ctx::internal)
}

/// `request_id` is made by the browser once per intended use, so a repeat is recognised.
#[server(endpoint = "points_use", input = Json)]
pub async fn use_points(
    request_id: String,
    request: UseRequest,
) -> Result<Reply<UseDone>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .use_points(&user, &request_id, &request)
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "partner_link")]
pub async fn link_partner(partner: String, number: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .link_partner(&user, &partner, &number)
        .await
        .map_err(ctx::internal)
}
