//! Freezing and unfreezing a card (C7); adding a card of another account (R1).

use super::*;

#[server(endpoint = "cards")]
pub async fn load_cards() -> Result<Reply<Vec<CardView>>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .cards(&user)
        .await
        .map(Reply::Done)
        .map_err(ctx::internal)
}

/// Back to the cards page, saying what was `done` or, for a plain form, why not.
#[cfg(feature = "ssr")]
fn back_to_cards(reply: Reply<()>, done: &str) -> Reply<()> {
    if reply.is_done() {
        leptos_axum::redirect(&format!("/cards?{done}=1"));
    }
    ctx::back_to_form("/cards", &reply, &[]);
    reply
}

/// `card` is the card's last 5 digits, the only part of its number the browser ever has.
#[server(endpoint = "card_freeze")]
pub async fn freeze_card(card: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .freeze_card(&user, &card, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(back_to_cards(reply, "frozen"))
}

#[server(endpoint = "card_unfreeze")]
pub async fn unfreeze_card(card: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .unfreeze_card(&user, &card, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(back_to_cards(reply, "unfrozen"))
}

/// Brings a card of another account the member holds into her portal (R1).
#[server(endpoint = "card_add")]
pub async fn add_card(
    card_number: String,
    front_code: String,
    birth_date: String,
) -> Result<Reply<CardView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let form = portal_backend::IdentityForm {
        card_number: &card_number,
        front_code: &front_code,
        birth_date: &birth_date,
    };
    let reply = portal
        .add_card(&user, form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        leptos_axum::redirect("/cards?added=1");
    }
    ctx::back_to_form("/cards", &reply, &[]);
    Ok(reply)
}
