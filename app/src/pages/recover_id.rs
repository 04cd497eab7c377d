//! Forgotten user ID (R6): the card's details show the ID; a notice goes to the registered e-mail.

use leptos::prelude::*;
use portal_domain::api::{Refusal, Reply};

use crate::api::RecoverUserId;
use crate::components::{FormNotice, IdentityFields, SubmitButton, form_outcome};
use crate::i18n::t;

#[component]
pub fn RecoverIdPage() -> impl IntoView {
    let action = ServerAction::<RecoverUserId>::new();
    let outcome = form_outcome(action.value());
    let found = move || match action.value().get() {
        Some(Ok(Reply::Done(found))) => Some(found.user_id),
        _ => None,
    };
    let not_registered = move || outcome.get().refusal() == Some(Refusal::NotRegistered);
    view! {
        <h1>{t("ユーザーIDの確認", "Find your user ID")}</h1>
        <Show
            when=move || found().is_some()
            fallback=move || {
                view! {
                    <div class="panel">
                        <p>
                            {t(
                                "カード番号、カード表面の4桁のコード、生年月日を入力してください。",
                                "Enter your card number, the 4-digit code on the front of the card and your date of birth.",
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
                            <SubmitButton pending=action.pending() label=("確認する", "Find my user ID") />
                        </ActionForm>
                    </div>
                }
            }
        >
            <div class="panel" role="status">
                <p>{t("お客様のユーザーIDは次のとおりです。", "Your user ID is:")}</p>
                <p class="result-id" data-testid="recovered-user-id">{found}</p>
                <p class="hint">
                    {t(
                        "ご登録のメールアドレスにお知らせを送りました。",
                        "We have sent a notice to your registered e-mail address.",
                    )}
                </p>
                <a class="primary" href="/">{t("ログインへ", "Go to sign in")}</a>
            </div>
        </Show>
    }
}
