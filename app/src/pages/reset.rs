//! Forgotten password and locked account (R5, R7, R9): identity, a one-time code by e-mail, then a
//! new password, which also unlocks the account.

use leptos::prelude::*;
use portal_domain::api::{Field, PolicyView, Refusal, Reply};

use crate::api::{ResetFinish, ResetResend, ResetStart, ResetVerify, reset_status};
use crate::components::{
    FormNotice, IdentityFields, NewPasswordFields, Outcome, RESET_STEPS, Steps, SubmitButton,
    TextField, form_outcome,
};
use crate::i18n::{t, use_lang, use_policy};
use crate::messages;

#[component]
pub fn IdentityStep() -> impl IntoView {
    let action = ServerAction::<ResetStart>::new();
    let outcome = form_outcome(action.value());
    let not_registered = move || outcome.get().refusal() == Some(Refusal::NotRegistered);
    view! {
        <h1>{t("パスワードの再設定・ロック解除", "Reset your password or unlock your account")}</h1>
        <Steps current=1 steps=RESET_STEPS />
        <div class="panel">
            <p>
                {t(
                    "本人確認のあと、ご登録のメールアドレスにワンタイムコードをお送りします。新しいパスワードを設定すると、ロックも解除されます。",
                    "After the identity check we e-mail a one-time code to your registered address. Setting a new password also unlocks your account.",
                )}
            </p>
            <FormNotice outcome>
                <Show when=not_registered>
                    <p>
                        <a href="/register">{t("新規登録へ進む", "Register now")}</a>
                    </p>
                </Show>
            </FormNotice>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <IdentityFields outcome />
                <SubmitButton pending=action.pending() label=("コードを送信", "Send the code") />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn CodeStep() -> impl IntoView {
    let verify = ServerAction::<ResetVerify>::new();
    let resend = ServerAction::<ResetResend>::new();
    let outcome = form_outcome(verify.value());
    let status = Resource::new(|| (), |_| reset_status());
    let lang = use_lang();
    let policy = use_policy();
    let (digits, minutes) = (
        policy.code_digits,
        PolicyView::minutes(policy.code_ttl_secs),
    );
    let resend_secs = policy.code_resend_secs;
    let resent = move || match resend.value().get() {
        Some(Ok(Reply::Done(_))) => Some(Ok(())),
        Some(Ok(Reply::Refused(r))) => Some(Err(messages::refusal(r))),
        Some(Ok(Reply::Invalid(_)) | Err(_)) => Some(Err(messages::unavailable())),
        None => None,
    };
    view! {
        <h1>{t("ワンタイムコードの入力", "Enter the one-time code")}</h1>
        <Steps current=2 steps=RESET_STEPS />
        <div class="panel">
            <Transition fallback=|| ()>
                {move || {
                    status
                        .get()
                        .map(|s| match s {
                            Ok(Some(sent)) => {
                                view! {
                                    <p>
                                        {move || {
                                            lang.get()
                                                .pick(
                                                    format!("{} にワンタイムコード（{digits}桁）を送りました。有効期限は{minutes}分です。", sent.email_hint),
                                                    format!("We sent a {digits}-digit code to {}. It is valid for {minutes} minutes.", sent.email_hint),
                                                )
                                        }}
                                    </p>
                                }
                                    .into_any()
                            }
                            _ => {
                                view! {
                                    <div class="notice error" role="alert">
                                        <p>{move || messages::refusal(Refusal::FlowExpired).get(lang.get())}</p>
                                        <p>
                                            <a href="/recover/password">{t("最初からやり直す", "Start again")}</a>
                                        </p>
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <FormNotice outcome />
            <ActionForm action=verify attr:class="stack" attr:novalidate=true>
                <TextField
                    name="code"
                    label=("ワンタイムコード", "One-time code")
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    maxlength=6
                    field=Field::Code
                    outcome
                />
                <SubmitButton pending=verify.pending() label=("確認する", "Confirm") />
            </ActionForm>
            <h2>{t("コードが届かない場合", "Did not get the code?")}</h2>
            <div role="status" aria-live="polite">
                {move || {
                    resent()
                        .map(|r| match r {
                            Ok(()) => {
                                view! {
                                    <p class="notice ok">{t("新しいコードを送りました。", "We sent a new code.")}</p>
                                }
                                    .into_any()
                            }
                            Err(text) => view! { <p class="notice error">{move || text.get(lang.get())}</p> }.into_any(),
                        })
                }}
            </div>
            <ActionForm action=resend>
                <button class="secondary" type="submit" disabled=move || resend.pending().get()>
                    {move || {
                        lang.get()
                            .pick(
                                format!("コードを再送する（{resend_secs}秒後から）"),
                                format!("Send a new code (after {resend_secs} seconds)"),
                            )
                    }}
                </button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn NewPasswordStep() -> impl IntoView {
    let action = ServerAction::<ResetFinish>::new();
    let outcome = form_outcome(action.value());
    let expired = move || outcome.get().refusal() == Some(Refusal::FlowExpired);
    view! {
        <h1>{t("新しいパスワードの設定", "Set a new password")}</h1>
        <Steps current=3 steps=RESET_STEPS />
        <div class="panel">
            <FormNotice outcome>
                <Show when=expired>
                    <p>
                        <a href="/recover/password">{t("最初からやり直す", "Start again")}</a>
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
