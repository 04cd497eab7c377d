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

/// The family card applications of the account the member holds (`account`, else the first).
#[server(endpoint = "family_applications")]
pub async fn load_family_applications(
    #[server(default)] account: Option<i64>,
) -> Result<Reply<Vec<FamilyApplicationView>>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .family_applications(&user, account)
        .await
        .map_err(ctx::internal)
}

/// Applies for a family card (家族カードの追加); `account` as the form's hidden field has it. The
/// fields are named `family_…` so they do not clash with the add-card form on the same page.
#[server(endpoint = "family_apply")]
#[allow(clippy::too_many_arguments)]
pub async fn apply_family_card(
    #[server(default)] family_name_ja: String,
    #[server(default)] family_name_kana: String,
    #[server(default)] family_name_en: String,
    #[server(default)] relationship: String,
    #[server(default)] family_birth_date: String,
    #[server(default)] family_email: String,
    #[server(default)] account: String,
) -> Result<Reply<FamilyApplicationView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let form = portal_backend::FamilyForm {
        name_ja: &family_name_ja,
        name_kana: &family_name_kana,
        name_en: &family_name_en,
        relationship: &relationship,
        birth_date: &family_birth_date,
        email: &family_email,
    };
    let reply = portal
        .apply_family_card(&user, account.parse().ok(), form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    if reply.is_done() {
        leptos_axum::redirect("/cards?applied=1");
    }
    let keep = [
        ("family_name_ja", family_name_ja.as_str()),
        ("family_name_kana", family_name_kana.as_str()),
        ("family_name_en", family_name_en.as_str()),
        ("relationship", relationship.as_str()),
        ("family_birth_date", family_birth_date.as_str()),
        ("family_email", family_email.as_str()),
    ];
    ctx::back_to_form("/cards", &reply, &keep);
    Ok(reply)
}
