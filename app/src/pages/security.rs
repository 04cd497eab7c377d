//! Security settings (R8): the member's passkeys (add, rename, remove), the confirmation that adding
//! or removing one needs, and a new password from inside the portal.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use portal_domain::api::{Field, PasskeyView, PolicyView, Refusal, Reply, SecurityView};
use portal_domain::passkey::passkey_name;

use crate::api::{
    ChangePassword, PasskeyRemove, PasskeyRename, load_security, passkey_register_finish,
    passkey_register_start,
};
use crate::components::{
    ConfirmIdentity, FormNotice, NewPasswordFields, Outcome, SignInFirst, SubmitButton,
    UnavailableNotice, form_outcome,
};
use crate::i18n::{Text, format_moment, t, use_lang, use_policy};
use crate::messages;
use crate::passkey;

#[component]
pub fn SecurityPage() -> impl IntoView {
    // Every change answers with a redirect here with a new query, which loads the settings again.
    let query = use_query_map();
    let security = Resource::new(move || query.get(), |_| load_security());
    view! {
        <h1>{t("セキュリティ設定", "Security settings")}</h1>
        <ArrivalNotice />
        <Suspense fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match security.await {
                    Ok(Some(view)) => view! { <Settings view refresh=move || security.refetch() /> }.into_any(),
                    Ok(None) => view! { <SignInFirst /> }.into_any(),
                    Err(_) => {
                        view! { <UnavailableNotice /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArrivalNotice() -> impl IntoView {
    let query = use_query_map();
    let lang = use_lang();
    let policy = use_policy();
    let notice = move || {
        let query = query.read();
        let minutes = PolicyView::minutes(policy.confirmation_secs);
        let (ja, en): (String, String) = if query.get("password_changed").is_some() {
            (
                "パスワードを変更しました。ロックは解除されています。".into(),
                "Your password has been changed and the account is unlocked.".into(),
            )
        } else if query.get("removed").is_some() {
            (
                "パスキーを削除しました。".into(),
                "The passkey has been removed.".into(),
            )
        } else if query.get("confirmed").is_some() {
            (
                format!(
                    "ご本人確認ができました。{minutes}分間、パスキーの追加・削除、パスワードの変更、ポイント移行などができます。"
                ),
                format!(
                    "Thank you. For the next {minutes} minutes you can add and remove passkeys, change your password, transfer points and more."
                ),
            )
        } else {
            return None;
        };
        Some(view! {
            <div class="notice ok" role="status">
                <p>{lang.get().pick(ja, en)}</p>
            </div>
        })
    };
    view! { {notice} }
}

#[component]
fn Settings(
    view: SecurityView,
    refresh: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let SecurityView {
        passkeys,
        confirmation_left_secs,
        password_locked,
        ..
    } = view;
    let confirmed = confirmation_left_secs > 0;
    // Leaving a lock needs a confirmation like any other change: while the password is locked,
    // only a code by e-mail can give one, so holding a signed-in device is never enough.
    let may_change_password = confirmed;
    view! {
        {password_locked
            .then(|| {
                view! {
                    <div class="notice warn" role="alert">
                        <p>
                            {t(
                                "パスワードがロックされています。新しいパスワードを設定するとロックが解除されます。",
                                "Your password is locked. Set a new one to unlock it.",
                            )}
                        </p>
                        {if confirmed {
                            view! {
                                <p>
                                    <a href="/security/password">{t("新しいパスワードを設定する", "Set a new password")}</a>
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p>
                                    {t(
                                        "先に、下の「ワンタイムコードを送信」からメールのコードでご本人確認をしてください。",
                                        "First confirm it is you with a code by e-mail: use “Send a one-time code” below.",
                                    )}
                                </p>
                            }
                                .into_any()
                        }}
                    </div>
                }
            })}
        <section class="panel" aria-labelledby="passkeys-title">
            <h2 id="passkeys-title">{t("生体認証（パスキー）", "Passkeys (fingerprint, face or screen lock)")}</h2>
            <p>
                {t(
                    "指紋・顔認証・画面ロックで、ユーザーIDとパスワードを入力せずにログインできます。パスキーは推測されることがなく、偽サイトでは使えません。",
                    "Sign in with your fingerprint, face or screen lock instead of typing your user ID and password. A passkey cannot be guessed and does not work on fake sites.",
                )}
            </p>
            <PasskeyList passkeys confirmed />
            {if confirmed {
                view! { <AddPasskey refresh /> }.into_any()
            } else {
                view! { <ConfirmIdentity password_locked back="/security" /> }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="password-title">
            <h2 id="password-title">{t("パスワード", "Password")}</h2>
            {may_change_password
                .then(|| {
                    view! {
                        <p>
                            <a class="standalone" href="/security/password">{t("パスワードを変更する", "Change your password")}</a>
                        </p>
                    }
                })}
            {(!may_change_password)
                .then(|| {
                    view! {
                        <p class="hint">
                            {t(
                                "パスワードを変更するには、上の本人確認を先に行ってください。",
                                "To change your password, confirm it is you above first.",
                            )}
                        </p>
                    }
                })}
        </section>
    }
}

#[component]
fn PasskeyList(passkeys: Vec<PasskeyView>, confirmed: bool) -> impl IntoView {
    if passkeys.is_empty() {
        return view! {
            <p class="empty">{t("登録されているパスキーはありません。", "No passkeys yet.")}</p>
        }
        .into_any();
    }
    view! {
        <ul class="passkeys">
            {passkeys
                .into_iter()
                .map(|p| view! { <PasskeyItem passkey=p confirmed /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PasskeyItem(passkey: PasskeyView, confirmed: bool) -> impl IntoView {
    let lang = use_lang();
    let rename = ServerAction::<PasskeyRename>::new();
    let remove = ServerAction::<PasskeyRemove>::new();
    let rename_outcome = form_outcome(rename.value());
    let remove_outcome = form_outcome(remove.value());
    let PasskeyView {
        id,
        name,
        created_at,
        last_used_at,
        synced,
    } = passkey;
    let name_id = format!("passkey-name-{id}");
    let shown_name = name.clone();
    let (rename_label, remove_label) = (name.clone(), name.clone());
    view! {
        <li class="passkey" data-testid="passkey">
            <p class="name">{shown_name}</p>
            <dl class="facts">
                <dt>{t("登録日時", "Added")}</dt>
                <dd>{move || format_moment(lang.get(), created_at)}</dd>
                <dt>{t("最終利用", "Last used")}</dt>
                <dd>
                    {move || match last_used_at {
                        Some(at) => format_moment(lang.get(), at),
                        None => lang.get().pick("まだ使われていません", "Not used yet").to_string(),
                    }}
                </dd>
                <dt>{t("同期", "Sync")}</dt>
                <dd>
                    {move || {
                        if synced {
                            lang.get().pick("ほかの端末でも使えます（同期）", "Synced to your other devices")
                        } else {
                            lang.get().pick("この認証器のみ", "This authenticator only")
                        }
                    }}
                </dd>
            </dl>
            <FormNotice outcome=rename_outcome />
            <ActionForm action=rename attr:class="inline">
                <input type="hidden" name="id" value=id.to_string() />
                <label for=name_id.clone()>{t("名前", "Name")}</label>
                <input id=name_id name="name" type="text" autocomplete="off" maxlength="40" value=name />
                <button
                    type="submit"
                    class="secondary"
                    aria-label={
                        move || {
                            let name = &rename_label;
                            lang.get().pick(format!("「{name}」の名前を変更"), format!("Rename “{name}”"))
                        }
                    }
                >
                    {t("名前を変更", "Rename")}
                </button>
            </ActionForm>
            <FormNotice outcome=remove_outcome />
            {confirmed
                .then(|| {
                    view! {
                        <ActionForm action=remove attr:class="inline">
                            <input type="hidden" name="id" value=id.to_string() />
                            <button
                                type="submit"
                                class="danger"
                                aria-label={
                                    move || {
                                        let name = &remove_label;
                                        lang.get().pick(format!("「{name}」を削除"), format!("Remove “{name}”"))
                                    }
                                }
                            >
                                {t("削除", "Remove")}
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

/// What became of an attempt to add a passkey.
#[derive(Debug, Clone, PartialEq)]
enum Attempt {
    Idle,
    Working,
    Added,
    Failed(Text),
}

#[component]
fn AddPasskey(refresh: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let supported = RwSignal::new(false);
    Effect::new(move |_| supported.set(passkey::supported()));
    let name = RwSignal::new(String::new());
    Effect::new(move |_| name.set(passkey::suggested_name()));
    let attempt = RwSignal::new(Attempt::Idle);
    let name_problem = RwSignal::new(None::<Text>);
    let add = move |_| {
        let typed = name.get_untracked();
        if let Err(problem) = passkey_name(&typed) {
            name_problem.set(Some(messages::problem(
                Field::PasskeyName,
                portal_domain::api::Problem::PasskeyName(problem),
            )));
            return;
        }
        name_problem.set(None);
        attempt.set(Attempt::Working);
        spawn_local(async move {
            let result = add_passkey(typed).await;
            if result == Attempt::Added {
                let _ = LocalStorage::set(passkey::PASSKEY_MADE_HERE, true);
                refresh();
            }
            attempt.set(result);
        });
    };
    view! {
        <div class="add-passkey" hidden=move || !supported.get()>
            <h3>{t("この端末でパスキーを追加", "Add a passkey on this device")}</h3>
            <div class="field">
                <label for="new_passkey_name">{t("パスキーの名前", "Name for the passkey")}</label>
                <p class="hint" id="new_passkey_name-hint">
                    {t("あとで見分けられるように（例：iPhone、仕事用PC）", "So you can tell it apart later (e.g. iPhone, work laptop)")}
                </p>
                <input
                    id="new_passkey_name"
                    type="text"
                    autocomplete="off"
                    maxlength="40"
                    aria-describedby="new_passkey_name-hint"
                    aria-invalid=move || name_problem.get().is_some().then_some("true")
                    prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                {move || name_problem.get().map(|text| view! { <p class="error">{move || text.get(lang.get())}</p> })}
            </div>
            <button
                type="button"
                class="primary"
                on:click=add
                disabled=move || attempt.get() == Attempt::Working
                aria-busy=move || (attempt.get() == Attempt::Working).then_some("true")
            >
                {move || {
                    if attempt.get() == Attempt::Working {
                        t("生体認証を待っています…", "Waiting for your fingerprint, face or screen lock…")()
                    } else {
                        t("パスキーを追加する", "Add a passkey")()
                    }
                }}
            </button>
            <div role="status" aria-live="polite">
                {move || match attempt.get() {
                    Attempt::Added => {
                        Some(view! { <p class="notice ok">{t("パスキーを追加しました。次回から生体認証でログインできます。", "Passkey added. Next time, sign in with your fingerprint, face or screen lock.")}</p> }.into_any())
                    }
                    Attempt::Failed(text) => Some(view! { <p class="notice error">{move || text.get(lang.get())}</p> }.into_any()),
                    Attempt::Idle | Attempt::Working => None,
                }}
            </div>
        </div>
        <p class="hint" hidden=move || supported.get()>
            {t(
                "この端末またはブラウザではパスキーを追加できません。パスキーに対応したスマートフォンやパソコンでお試しください。",
                "This device or browser cannot create passkeys. Try a phone or computer that supports them.",
            )}
        </p>
    }
}

async fn add_passkey(name: String) -> Attempt {
    let refused = |reply_refusal: Refusal| Attempt::Failed(messages::refusal(reply_refusal));
    let challenge = match passkey_register_start().await {
        Ok(Reply::Done(challenge)) => challenge,
        Ok(Reply::Refused(r)) => return refused(r),
        Ok(Reply::Invalid(_)) | Err(_) => return Attempt::Failed(messages::unavailable()),
    };
    let credential = match passkey::create(challenge.options.get()).await {
        Ok(credential) => credential,
        Err(refusal) => return Attempt::Failed(messages::browser_refusal(refusal)),
    };
    match passkey_register_finish(challenge.ceremony, name, credential).await {
        Ok(Reply::Done(())) => Attempt::Added,
        Ok(Reply::Refused(r)) => refused(r),
        Ok(Reply::Invalid(problems)) => Attempt::Failed(
            problems
                .first()
                .map(|(field, problem)| messages::problem(*field, *problem))
                .unwrap_or_else(messages::unavailable),
        ),
        Err(_) => Attempt::Failed(messages::unavailable()),
    }
}

/// A new password: the way out of a lock after a passkey sign-in, or a change after confirming.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let outcome = form_outcome(action.value());
    let needs_confirmation = move || outcome.get().refusal() == Some(Refusal::ConfirmationNeeded);
    view! {
        <h1>{t("新しいパスワードの設定", "Set a new password")}</h1>
        <div class="panel">
            <FormNotice outcome>
                <Show when=needs_confirmation>
                    <p>
                        <a href="/security">{t("セキュリティ設定でご本人確認をする", "Confirm it is you in security settings")}</a>
                    </p>
                </Show>
            </FormNotice>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <NewPasswordFields outcome />
                <SubmitButton pending=action.pending() label=("設定する", "Save the new password") />
            </ActionForm>
            {move || (outcome.get() == Outcome::Done).then(|| view! { <p role="status">{t("設定しました。", "Saved.")}</p> })}
        </div>
    }
}
