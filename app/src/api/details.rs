//! Registered details (C3): the page, the postal code look-up, the address, phones and employer,
//! and a new e-mail address or mobile number confirmed by a code sent to it.

use super::*;
#[cfg(feature = "ssr")]
use portal_backend::{AddressForm, Contact, PhonesForm};

#[server(endpoint = "details")]
pub async fn load_details() -> Result<Reply<DetailsView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    match portal.details(&user).await.map_err(ctx::internal)? {
        Some(view) => Ok(Reply::Done(view)),
        None => ctx::signed_out(),
    }
}

#[server(endpoint = "postal_code")]
pub async fn find_address(postal_code: String) -> Result<Reply<Option<PostalAddress>>, AppError> {
    let Some((portal, _)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    Ok(portal.find_address(&postal_code))
}

/// Back to the details page saying what was `done`, or, for a plain form, with the refusal and
/// what was typed.
#[cfg(feature = "ssr")]
fn back_to_details<T: Serialize>(reply: Reply<T>, done: &str, keep: &[(&str, &str)]) -> Reply<T> {
    if reply.is_done() {
        leptos_axum::redirect(&format!("/details?{done}=1"));
    }
    ctx::back_to_form("/details", &reply, keep);
    reply
}

#[server(endpoint = "details_address")]
pub async fn change_address(
    postal_code: String,
    prefecture: String,
    city: String,
    address_line1: String,
    #[server(default)] address_line2: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let form = AddressForm {
        postal_code: &postal_code,
        prefecture: &prefecture,
        city: &city,
        line1: &address_line1,
        line2: &address_line2,
    };
    let reply = portal
        .change_address(&user, form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    let keep = [
        ("postal_code", postal_code.as_str()),
        ("prefecture", prefecture.as_str()),
        ("city", city.as_str()),
        ("address_line1", address_line1.as_str()),
        ("address_line2", address_line2.as_str()),
    ];
    Ok(back_to_details(reply, "address_changed", &keep))
}

#[server(endpoint = "details_phones")]
pub async fn change_phones(
    #[server(default)] home_phone: String,
    #[server(default)] employer_name: String,
    #[server(default)] employer_phone: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let form = PhonesForm {
        home_phone: &home_phone,
        employer_name: &employer_name,
        employer_phone: &employer_phone,
    };
    let reply = portal
        .change_phones(&user, form, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    let keep = [
        ("home_phone", home_phone.as_str()),
        ("employer_name", employer_name.as_str()),
        ("employer_phone", employer_phone.as_str()),
    ];
    Ok(back_to_details(reply, "phones_changed", &keep))
}

/// `on` is `1` for online statements only, empty for paper again; `account` the account's id
/// (empty: the first the member holds).
#[server(endpoint = "details_paperless")]
pub async fn set_paperless(
    #[server(default)] on: String,
    #[server(default)] account: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let on = !on.is_empty();
    let reply = portal
        .set_paperless(&user, account.parse().ok(), on, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    let done = if on { "paperless_on" } else { "paperless_off" };
    Ok(back_to_details(reply, done, &[]))
}

#[cfg(feature = "ssr")]
async fn start_change(contact: Contact, typed: &str) -> Result<Reply<CodeSent>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .start_contact_change(&user, contact, typed, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    let (done, name) = match contact {
        Contact::Email => ("email_code_sent", "email"),
        Contact::Mobile => ("mobile_code_sent", "mobile_phone"),
    };
    Ok(back_to_details(reply, done, &[(name, typed)]))
}

#[cfg(feature = "ssr")]
async fn finish_change(contact: Contact, code: &str) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .finish_contact_change(&user, contact, code, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    let done = match contact {
        Contact::Email => "email_changed",
        Contact::Mobile => "mobile_changed",
    };
    Ok(back_to_details(reply, done, &[]))
}

/// A code to the new address; the registered one stays until it is entered.
#[server(endpoint = "details_email_start")]
pub async fn start_email_change(email: String) -> Result<Reply<CodeSent>, AppError> {
    start_change(Contact::Email, &email).await
}

#[server(endpoint = "details_email_finish")]
pub async fn finish_email_change(email_code: String) -> Result<Reply<()>, AppError> {
    finish_change(Contact::Email, &email_code).await
}

/// A code by SMS to the new number.
#[server(endpoint = "details_mobile_start")]
pub async fn start_mobile_change(mobile_phone: String) -> Result<Reply<CodeSent>, AppError> {
    start_change(Contact::Mobile, &mobile_phone).await
}

#[server(endpoint = "details_mobile_finish")]
pub async fn finish_mobile_change(mobile_code: String) -> Result<Reply<()>, AppError> {
    finish_change(Contact::Mobile, &mobile_code).await
}
