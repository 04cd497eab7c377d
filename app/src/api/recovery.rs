//! A forgotten user ID (R6) and the password reset or unlock (R5, R7).

use super::*;

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
