//! Sign-in (R4, R8, R11): user ID and password, the lockout notice, "remember my user ID", and
//! passkeys, by button or from the user-ID field's autofill.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use portal_domain::api::{Field, PasskeySignedIn, Refusal, Reply};

use crate::api::{SessionResource, SignIn, passkey_sign_in_finish, passkey_sign_in_start};
use crate::components::{FormNotice, TextField, form_outcome, query_value};
use crate::i18n::{Text, t, use_lang};
use crate::messages;
use crate::passkey::{self, BrowserRefusal};

/// Browser storage key for the remembered user ID. The password is never stored.
const REMEMBERED_ID: &str = "portal.remembered_user_id";

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let outcome = form_outcome(action.value());
    let remember = RwSignal::new(false);
    let user_id_input = NodeRef::<leptos::html::Input>::new();

    // Fill in a remembered ID once the page is interactive.
    Effect::new(move |_| {
        if let Ok(saved) = LocalStorage::get::<String>(REMEMBERED_ID) {
            remember.set(true);
            if let Some(input) = user_id_input.get_untracked()
                && input.value().is_empty()
            {
                input.set_value(&saved);
            }
        }
    });
    // On each submission, keep or forget the ID as the box says.
    Effect::new(move |_| {
        if let Some(input) = action.input().get() {
            if remember.get_untracked() {
                let _ = LocalStorage::set(REMEMBERED_ID, input.user_id.trim());
            } else {
                LocalStorage::delete(REMEMBERED_ID);
            }
        }
    });

    let session = use_context::<SessionResource>();
    let locked = move || outcome.get().refusal() == Some(Refusal::Locked);
    view! {
        // A member already signed in goes home. After a sign-in here the answer itself sends them
        // there; a second navigation, started while home's chunk loads, would race a link tapped
        // in the meantime and leave the address bar on the wrong page.
        <Transition fallback=|| ()>
            {move || {
                session
                    .and_then(|s| s.get())
                    .and_then(|r| r.ok().flatten())
                    .filter(|_| action.version().get_untracked() == 0)
                    .map(|_| view! { <Redirect path="/home" /> })
            }}
        </Transition>
        <h1>{t("ログイン", "Sign in")}</h1>
        <ArrivalNotice />
        <div class="panel">
            <Show when=locked fallback=move || view! { <FormNotice outcome /> }>
                <LockedNotice />
            </Show>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <div class="field">
                    <label for="user_id">{t("ユーザーID", "User ID")}</label>
                    <input
                        id="user_id"
                        name="user_id"
                        type="text"
                        autocomplete="username webauthn"
                        autocapitalize="none"
                        spellcheck="false"
                        node_ref=user_id_input
                        value=query_value("user_id")
                        aria-invalid=move || outcome.get().problem(Field::UserId).map(|_| "true")
                    />
                </div>
                <TextField
                    name="password"
                    label=("パスワード", "Password")
                    kind="password"
                    autocomplete="current-password"
                    field=Field::Password
                    outcome
                />
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=remember
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    {t("ユーザーIDを保存する（この端末のみ）", "Remember my user ID on this device")}
                </label>
                <button class="primary" type="submit" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t("確認しています…", "Checking…")()
                        } else {
                            t("ログイン", "Sign in")()
                        }
                    }}
                </button>
            </ActionForm>
            <PasskeySignIn />
            <ul class="links">
                <li>
                    <a href="/recover/id">{t("ユーザーIDを忘れた方", "Forgot your user ID?")}</a>
                </li>
                <li>
                    <a href="/recover/password">
                        {t("パスワードが分からない方・ロックを解除する方", "Forgot your password or locked out?")}
                    </a>
                </li>
            </ul>
        </div>
        <div class="panel">
            <h2>{t("はじめてご利用の方", "New to online services?")}</h2>
            <p>
                {t(
                    "カード番号、カード表面の4桁のコード、生年月日で本人確認をして、すぐにご登録いただけます。",
                    "Prove you hold the card with its number, the 4-digit code on its front and your date of birth, and register in a minute.",
                )}
            </p>
            <a class="primary" href="/register">
                {t("新規登録", "Register")}
            </a>
        </div>
    }
}

/// Why the member arrived here: signed out, timed out, or just reset the password.
#[component]
fn ArrivalNotice() -> impl IntoView {
    let notice = if !query_value("signed_out").is_empty() {
        Some(("ok", "ログアウトしました。", "You have signed out."))
    } else if !query_value("timeout").is_empty() {
        Some((
            "warn",
            "一定時間操作がなかったため、安全のためログアウトしました。もう一度ログインしてください。",
            "You were signed out after a period without activity. Please sign in again.",
        ))
    } else if !query_value("expired").is_empty() {
        Some(("warn", "ログインしてください。", "Please sign in."))
    } else if !query_value("reset").is_empty() {
        Some((
            "ok",
            "パスワードを変更しました。ロックは解除されています。新しいパスワードでログインしてください。",
            "Your password has been changed and the account is unlocked. Sign in with the new password.",
        ))
    } else {
        None
    };
    notice.map(|(kind, ja, en)| {
        view! {
            <div class=format!("notice {kind}") role="status">
                <p>{t(ja, en)}</p>
            </div>
        }
    })
}

#[component]
fn LockedNotice() -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            <strong>{t("アカウントがロックされています", "Your account is locked")}</strong>
            <p>
                {t(
                    "パスワードを続けて間違えたため、安全のためロックしました。カード情報とメールで届くワンタイムコードで本人確認のうえ、新しいパスワードを設定するとロックが解除されます。",
                    "The password was entered wrongly too many times, so we locked the account to protect it. Prove your identity with your card details and a one-time code sent by e-mail, then set a new password to unlock it.",
                )}
            </p>
            <p>
                <a href="/recover/password">{t("オンラインでロックを解除する", "Unlock online now")}</a>
            </p>
            <p class="hint">
                {t(
                    "お電話でも解除できます：カード裏面の会員専用ダイヤルへおかけください。",
                    "You can also call the member line printed on the back of your card.",
                )}
            </p>
        </div>
    }
}

/// One passkey sign-in: a challenge from the server, the browser's prompt (or, with `autofill`,
/// the user-ID field's suggestions), the answer checked by the server.
async fn sign_in_with_passkey(autofill: bool) -> Result<PasskeySignedIn, Option<Text>> {
    let challenge = match passkey_sign_in_start().await {
        Ok(Reply::Done(challenge)) => challenge,
        Ok(Reply::Refused(r)) => return Err(Some(messages::refusal(r))),
        Ok(Reply::Invalid(_)) | Err(_) => return Err(Some(messages::unavailable())),
    };
    let credential = match passkey::get(challenge.options.get(), autofill).await {
        Ok(credential) => credential,
        // The autofill request ends without a word (the member did not ask for anything), and
        // gives way to the button the same way.
        Err(_) if autofill => return Err(None),
        Err(BrowserRefusal::Aborted) => return Err(None),
        Err(refusal) => return Err(Some(messages::browser_refusal(refusal))),
    };
    match passkey_sign_in_finish(challenge.ceremony, credential).await {
        Ok(Reply::Done(signed_in)) => Ok(signed_in),
        Ok(Reply::Refused(r)) => Err(Some(messages::refusal(r))),
        Ok(Reply::Invalid(_)) | Err(_) => Err(Some(messages::unavailable())),
    }
}

/// A full page load into the portal, so every piece of state starts from the new session.
fn enter(signed_in: PasskeySignedIn) {
    let next = if signed_in.password_locked {
        "/security"
    } else {
        "/home"
    };
    let _ = window().location().set_href(next);
}

/// The passkey button, shown only where the browser can use passkeys; and passkeys offered in the
/// user-ID field's autofill where the browser supports that.
#[component]
fn PasskeySignIn() -> impl IntoView {
    let lang = use_lang();
    let supported = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Text>);
    Effect::new(move |_| {
        supported.set(passkey::supported());
        spawn_local(async move {
            if !passkey::autofill_supported().await {
                return;
            }
            match sign_in_with_passkey(true).await {
                Ok(signed_in) => enter(signed_in),
                Err(text) => {
                    if text.is_some() {
                        failure.set(text);
                    }
                }
            }
        });
    });
    // Leaving the page (a password sign-in, a link) withdraws the waiting autofill request: left
    // pending, it can make a passkey created later on the security page fail.
    on_cleanup(passkey::cancel_autofill);
    let press = move |_| {
        passkey::cancel_autofill();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match sign_in_with_passkey(false).await {
                Ok(signed_in) => enter(signed_in),
                Err(text) => {
                    failure.set(text);
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="passkey-sign-in" hidden=move || !supported.get()>
            <p class="or">{t("または", "or")}</p>
            <button
                type="button"
                class="secondary passkey"
                on:click=press
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
                aria-describedby="passkey-hint"
            >
                {t("生体認証（パスキー）でログイン", "Sign in with a passkey")}
            </button>
            <p class="hint" id="passkey-hint">
                {t(
                    "登録済みの端末の指紋・顔認証・画面ロックで、IDとパスワードを入力せずにログインできます。",
                    "Use the fingerprint, face or screen lock of a device you set up, without typing your ID and password.",
                )}
            </p>
            // Present only with a message: the form above owns the page's standing alert region.
            {move || {
                failure
                    .get()
                    .map(|text| view! { <p class="notice error" role="alert">{move || text.get(lang.get())}</p> })
            }}
        </div>
    }
}
