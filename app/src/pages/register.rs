//! Online registration (R1–R3): prove the card, then choose a user ID and a password.

use leptos::prelude::*;
use portal_domain::api::{Field, Refusal};

use crate::api::{RegisterAccount, RegisterCard};
use crate::components::{
    FormNotice, IdentityFields, REGISTRATION_STEPS, Steps, StrengthMeter, SubmitButton, TextField,
    form_outcome, password_hint, query_value,
};
use crate::i18n::{Text, t, use_policy};

#[component]
pub fn CardStep() -> impl IntoView {
    let action = ServerAction::<RegisterCard>::new();
    let outcome = form_outcome(action.value());
    let already = move || outcome.get().refusal() == Some(Refusal::AlreadyRegistered);
    view! {
        <h1>{t("新規登録", "Register")}</h1>
        <Steps current=1 steps=REGISTRATION_STEPS />
        <div class="panel">
            <p>
                {t(
                    "お手元のカードをご用意ください。3つの情報がすべて一致すると、次にユーザーIDとパスワードを決めていただけます。",
                    "Have your card at hand. When all three details match, you choose your user ID and password next.",
                )}
            </p>
            <FormNotice outcome>
                <Show when=already>
                    <p>
                        <a href="/recover/id">{t("ユーザーIDを確認する", "Look up your user ID")}</a>
                    </p>
                </Show>
            </FormNotice>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <IdentityFields outcome />
                <SubmitButton pending=action.pending() label=("次へ", "Continue") />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn AccountStep() -> impl IntoView {
    let action = ServerAction::<RegisterAccount>::new();
    let outcome = form_outcome(action.value());
    let (password, set_password) = signal(String::new());
    let user_id = RwSignal::new(query_value("user_id"));
    let expired = move || outcome.get().refusal() == Some(Refusal::FlowExpired);
    let policy = use_policy();
    view! {
        <h1>{t("ユーザーIDとパスワードの登録", "Choose your user ID and password")}</h1>
        <Steps current=2 steps=REGISTRATION_STEPS />
        <div class="panel">
            <FormNotice outcome>
                <Show when=expired>
                    <p>
                        <a href="/register">{t("カードの確認からやり直す", "Start again with your card")}</a>
                    </p>
                </Show>
            </FormNotice>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <TextField
                    name="user_id"
                    label=("ユーザーID", "User ID")
                    hint=Text::new(
                        format!("半角英数字{}〜{}文字。大文字・小文字は区別しません。", policy.user_id_min, policy.user_id_max),
                        format!("{}–{} letters and digits. Upper and lower case are the same.", policy.user_id_min, policy.user_id_max),
                    )
                    autocomplete="username"
                    maxlength=u32::try_from(policy.user_id_max).unwrap_or(u32::MAX)
                    field=Field::UserId
                    outcome
                    value=user_id.get_untracked()
                    on_text=Callback::new(move |v| user_id.set(v))
                />
                <TextField
                    name="password"
                    label=("パスワード", "Password")
                    hint=password_hint(true)
                    kind="password"
                    autocomplete="new-password"
                    field=Field::Password
                    outcome
                    on_text=Callback::new(move |v| set_password.set(v))
                />
                <StrengthMeter password user_id=user_id.into() />
                <TextField
                    name="password_confirm"
                    label=("パスワード（確認）", "Password again")
                    kind="password"
                    autocomplete="new-password"
                    field=Field::PasswordConfirm
                    outcome
                />
                <SubmitButton pending=action.pending() label=("登録する", "Register") />
            </ActionForm>
        </div>
    }
}
