//! Signing in and out, the session itself, and the home screen it opens on.

use super::*;

/// The signed-in member, as the app shell loads it once and every page reads it from context.
pub type SessionResource = Resource<Result<Option<SessionView>, AppError>>;

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
