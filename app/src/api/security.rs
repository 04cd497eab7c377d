//! Security settings (R8): confirmations, passkeys and a new password; passkey sign-in.

use super::*;

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
