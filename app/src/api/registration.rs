//! Online registration (R1–R3): the card, then a user ID and password, with the strength meter.

use super::*;

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
