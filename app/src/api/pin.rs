//! IC card PIN (C8): register once per card, or have a forgotten one shown after the same checks.

use super::*;
#[cfg(feature = "ssr")]
use portal_backend::PinStart;
#[cfg(feature = "ssr")]
use portal_domain::pin::CodeChannel;

#[server(endpoint = "pin")]
pub async fn load_pin() -> Result<Reply<PinView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    match portal.pin_page(&user).await.map_err(ctx::internal)? {
        Some(view) => Ok(Reply::Done(view)),
        None => ctx::signed_out(),
    }
}

/// Back to the PIN page saying what was `done`, or, for a plain form, why not. Codes and PINs are
/// never sent back.
#[cfg(feature = "ssr")]
fn back_to_pin<T: Serialize>(reply: Reply<T>, done: &str) -> Reply<T> {
    if reply.is_done() {
        leptos_axum::redirect(&format!("/pin?{done}=1"));
    }
    ctx::back_to_form("/pin", &reply, &[]);
    reply
}

/// `card` is the card's last 5 digits; `channel` is `email` or `sms`; `reveal` is set for a
/// forgotten PIN.
#[server(endpoint = "pin_start")]
pub async fn start_pin(
    card: String,
    front_code: String,
    back_code: String,
    #[server(default)] channel: String,
    #[server(default)] reveal: String,
) -> Result<Reply<CodeSent>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let form = PinStart {
        card: &card,
        front_code: &front_code,
        back_code: &back_code,
        channel: CodeChannel::from_form(&channel),
        reveal: !reveal.is_empty(),
    };
    let reply = portal
        .start_pin(&user, form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(back_to_pin(reply, "code_sent"))
}

#[server(endpoint = "pin_code")]
pub async fn verify_pin_code(code: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .verify_pin_code(&user, &code, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(back_to_pin(reply, "verified"))
}

#[server(endpoint = "pin_register")]
pub async fn register_pin(pin: String, pin_confirm: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .register_pin(&user, &pin, &pin_confirm, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(back_to_pin(reply, "registered"))
}

/// The forgotten PIN itself, answered to this request only (never in a URL or a redirect).
#[server(endpoint = "pin_reveal")]
pub async fn reveal_pin(code: String) -> Result<Reply<String>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .reveal_pin(&user, &code, &ctx::client())
        .await
        .map_err(ctx::internal)
}
