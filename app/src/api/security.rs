//! Security settings (R8): confirmations, passkeys and a new password; passkey sign-in.

use super::*;
#[cfg(feature = "ssr")]
use portal_domain::api::{PasskeyRefusal, Refusal};

/// A passkey challenge and the id of the ceremony on the server that waits for its answer. The
/// options travel as the WebAuthn JSON the browser reads itself
/// (`PublicKeyCredential.parse…OptionsFromJSON`), so the wasm carries no WebAuthn types.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    pub ceremony: String,
    pub options: Box<RawValue>,
}

#[cfg(feature = "ssr")]
impl<T: Serialize> TryFrom<portal_backend::Challenge<T>> for Challenge {
    type Error = AppError;

    fn try_from(c: portal_backend::Challenge<T>) -> Result<Self, AppError> {
        Ok(Challenge {
            ceremony: c.ceremony,
            options: serde_json::value::to_raw_value(&c.options).map_err(ctx::internal)?,
        })
    }
}

/// A browser's answer (its `credential.toJSON()`) read as webauthn-rs reads it; one that cannot be
/// read is refused as a rejected passkey, as one that fails verification is.
#[cfg(feature = "ssr")]
fn read_answer<T: serde::de::DeserializeOwned>(answer: &RawValue) -> Result<T, Refusal> {
    serde_json::from_str(answer.get()).map_err(|_| Refusal::Passkey(PasskeyRefusal::Rejected))
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

/// Pages that ask for a confirmation in place, and are returned to once it is given.
pub const CONFIRMING_PAGES: [&str; 3] = ["/security", "/details", "/cards"];

/// Back to the page that asked (security settings unless it is another of `CONFIRMING_PAGES`, so no
/// form can send the member elsewhere), marked confirmed, or to its form with the refusal.
#[cfg(feature = "ssr")]
fn after_confirmation(reply: Reply<()>, back: &str) -> Reply<()> {
    let page = CONFIRMING_PAGES
        .into_iter()
        .find(|p| *p == back)
        .unwrap_or(CONFIRMING_PAGES[0]);
    if reply.is_done() {
        leptos_axum::redirect(&format!("{page}?confirmed=1"));
    }
    ctx::back_to_form(page, &reply, &[]);
    reply
}

#[server(endpoint = "confirm_password")]
pub async fn confirm_password(
    password: String,
    #[server(default)] back: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .confirm_password(&user, &password, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(after_confirmation(reply, &back))
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
pub async fn confirm_code(
    code: String,
    #[server(default)] back: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .confirm_code(&user, &code, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    Ok(after_confirmation(reply, &back))
}

#[server(endpoint = "passkey_register_start")]
pub async fn passkey_register_start() -> Result<Reply<Challenge>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let reply = portal
        .start_passkey_registration(&user, &ctx::client())
        .await
        .map_err(ctx::internal)?;
    reply.try_map(Challenge::try_from)
}

#[server(endpoint = "passkey_register_finish", input = Json)]
pub async fn passkey_register_finish(
    ceremony: String,
    name: String,
    credential: Box<RawValue>,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    let credential = match read_answer(&credential) {
        Ok(credential) => credential,
        Err(refusal) => return Ok(Reply::Refused(refusal)),
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
pub async fn passkey_sign_in_start() -> Result<Reply<Challenge>, AppError> {
    let portal = ctx::portal()?;
    let reply = portal
        .start_passkey_sign_in(&ctx::client())
        .await
        .map_err(ctx::internal)?;
    reply.try_map(Challenge::try_from)
}

#[server(endpoint = "passkey_sign_in_finish", input = Json)]
pub async fn passkey_sign_in_finish(
    ceremony: String,
    credential: Box<RawValue>,
) -> Result<Reply<PasskeySignedIn>, AppError> {
    let portal = ctx::portal()?;
    let credential = match read_answer(&credential) {
        Ok(credential) => credential,
        Err(refusal) => return Ok(Reply::Refused(refusal)),
    };
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
