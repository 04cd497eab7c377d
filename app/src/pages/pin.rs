//! IC card PIN (ICカード暗証番号, C8): per card and once. The card's front code, then its back code,
//! a one-time code by e-mail or SMS, then the PIN twice, with a warning that it cannot be changed. A
//! forgotten PIN is shown once, on screen, after the same checks (`?forgot=1`).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use portal_domain::api::{Field, PinCardView, PinView, Refusal, Reply};
use portal_domain::card::masked;

use crate::api::{RegisterPin, RevealPin, StartPin, VerifyPinCode, load_pin};
use crate::components::{
    FormNotice, SignInFirst, SubmitButton, TextField, UnavailableNotice, form_outcome,
};
use crate::i18n::{Text, t, use_lang};

#[component]
pub fn PinPage() -> impl IntoView {
    let location = use_location();
    let pin = Resource::new(move || location.search.get(), |_| load_pin());
    let query = use_query_map();
    let done = move || {
        let query = query.read();
        [
            (
                "code_sent",
                ("確認コードを送りました。", "We sent you a one-time code."),
            ),
            (
                "verified",
                (
                    "確認できました。暗証番号を入力してください。",
                    "Thank you. Now choose the PIN.",
                ),
            ),
            ("registered", ("登録しました。", "Registered.")),
        ]
        .into_iter()
        .find(|(key, _)| query.get(key).is_some())
        .map(|(_, (ja, en))| t(ja, en))
    };
    view! {
        <h1>{t("ICカード暗証番号", "IC card PIN")}</h1>
        <p>
            {t(
                "お店の端末でICカードを使うときの4桁の暗証番号を、カードごとに一度だけ登録できます。",
                "Register the 4-digit PIN your IC card asks for at shop terminals: once for each card.",
            )}
        </p>
        <div role="status" aria-live="polite">
            {move || done().map(|text| view! { <p class="notice ok">{text}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || {
                let forgot = query.read().get("forgot").is_some();
                Suspend::new(async move {
                match pin.await {
                    Ok(Reply::Done(view)) => view! { <PinSteps view forgot /> }.into_any(),
                    Ok(Reply::Refused(Refusal::SignedOut)) => view! { <SignInFirst /> }.into_any(),
                    _ => view! { <UnavailableNotice /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

#[component]
fn PinSteps(view: PinView, forgot: bool) -> impl IntoView {
    let PinView {
        cards,
        step,
        email_hint,
        mobile_hint,
    } = view;
    let list = cards.clone();
    let current = match step {
        Some(step) if step.reveal => view! { <RevealCode card=step.card /> }.into_any(),
        Some(step) if step.verified => view! { <NewPin card=step.card /> }.into_any(),
        Some(step) => view! { <CodeEntry card=step.card /> }.into_any(),
        None => {
            let candidates: Vec<PinCardView> = cards
                .into_iter()
                .filter(|c| c.registered == forgot)
                .collect();
            view! { <Start cards=candidates reveal=forgot email_hint mobile_hint /> }.into_any()
        }
    };
    view! {
        <ul class="cards pin-cards">
            {list
                .into_iter()
                .map(|c| view! { <PinCard card=c /> })
                .collect_view()}
        </ul>
        {current}
        <p>
            {if forgot {
                view! { <a class="standalone" href="/pin">{t("暗証番号を登録する", "Register a PIN")}</a> }.into_any()
            } else {
                view! { <a class="standalone" href="/pin?forgot=1">{t("暗証番号をお忘れの方", "Forgot your PIN?")}</a> }.into_any()
            }}
        </p>
    }
}

#[component]
fn PinCard(card: PinCardView) -> impl IntoView {
    let lang = use_lang();
    let PinCardView { card, registered } = card;
    let name = (
        format!("{} {}", card.holder_ja, card.product_ja),
        format!("{} {}", card.holder_en, card.product_en),
    );
    view! {
        <li class="card-tile" data-testid="pin-card" data-card=card.last_digits.clone()>
            <span class="product">{move || lang.get().pick(name.0.clone(), name.1.clone())}</span>
            <span class="number">{masked(&card.last_digits)}</span>
            {if registered {
                view! { <span class="badge active">{t("登録済み", "Already registered")}</span> }.into_any()
            } else {
                view! { <span class="badge">{t("未登録", "Not registered")}</span> }.into_any()
            }}
        </li>
    }
}

/// Step 1: which card, its codes (front first), and where the one-time code goes.
#[component]
fn Start(
    cards: Vec<PinCardView>,
    reveal: bool,
    email_hint: String,
    mobile_hint: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<StartPin>::new();
    let outcome = form_outcome(action.value());
    if cards.is_empty() {
        return if reveal {
            view! { <p>{t("暗証番号が登録されたカードはありません。", "No card has a PIN yet.")}</p> }
                .into_any()
        } else {
            view! {
                <p>{t("すべてのカードの暗証番号は登録済みです。登録済みの暗証番号は変更できません。", "Every card has its PIN. A registered PIN cannot be changed.")}</p>
            }
                .into_any()
        };
    }
    let title = if reveal {
        ("暗証番号の確認", "See a forgotten PIN")
    } else {
        ("暗証番号の登録", "Register a PIN")
    };
    view! {
        <section class="panel" aria-labelledby="pin-start-title">
            <h2 id="pin-start-title">{t(title.0, title.1)}</h2>
            {reveal
                .then(|| {
                    view! {
                        <p>
                            {t(
                                "ご本人確認のうえ、この画面に一度だけ表示します。郵送やメールではお知らせしません。",
                                "After these checks it is shown once, on this screen. It is never sent by post or e-mail.",
                            )}
                        </p>
                    }
                })}
            <FormNotice outcome />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                {reveal.then(|| view! { <input type="hidden" name="reveal" value="1" /> })}
                <div class="field">
                    <label for="card">{t("カード", "Card")}</label>
                    <select id="card" name="card">
                        {cards
                            .into_iter()
                            .map(|c| {
                                let name = (
                                    format!("{} {} {}", c.card.holder_ja, c.card.product_ja, masked(&c.card.last_digits)),
                                    format!("{} {} {}", c.card.holder_en, c.card.product_en, masked(&c.card.last_digits)),
                                );
                                view! { <option value=c.card.last_digits>{move || lang.get().pick(name.0.clone(), name.1.clone())}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <TextField
                    name="front_code"
                    label=("カード表面の4桁のコード", "4-digit code on the front")
                    autocomplete="cc-csc"
                    inputmode="numeric"
                    maxlength=4
                    field=Field::FrontCode
                    outcome
                />
                <TextField
                    name="back_code"
                    label=("カード裏面の3桁のコード", "3-digit code on the back")
                    autocomplete="cc-csc"
                    inputmode="numeric"
                    maxlength=3
                    field=Field::BackCode
                    outcome
                />
                <fieldset class="choice">
                    <legend>{t("確認コードの受け取り方法", "Where to send the one-time code")}</legend>
                    <label>
                        <input type="radio" name="channel" value="email" checked=true />
                        {move || lang.get().pick(format!("メール（{email_hint}）"), format!("E-mail ({email_hint})"))}
                    </label>
                    {mobile_hint
                        .map(|hint| {
                            view! {
                                <label>
                                    <input type="radio" name="channel" value="sms" />
                                    {move || lang.get().pick(format!("SMS（{hint}）"), format!("SMS ({hint})"))}
                                </label>
                            }
                        })}
                </fieldset>
                <SubmitButton pending=action.pending() label=("確認コードを送る", "Send a code") />
            </ActionForm>
        </section>
    }
    .into_any()
}

/// Step 2: the one-time code.
#[component]
fn CodeEntry(card: String) -> impl IntoView {
    let action = ServerAction::<VerifyPinCode>::new();
    let outcome = form_outcome(action.value());
    view! {
        <section class="panel" aria-labelledby="pin-code-title">
            <h2 id="pin-code-title">{t("確認コードの入力", "Enter the one-time code")}</h2>
            <p>{masked(&card)}</p>
            <FormNotice outcome />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <TextField
                    name="code"
                    label=("確認コード", "One-time code")
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    maxlength=6
                    field=Field::Code
                    outcome
                />
                <SubmitButton pending=action.pending() label=("確認する", "Confirm") />
            </ActionForm>
        </section>
    }
}

/// Step 3: the PIN twice, after saying it cannot be changed.
#[component]
fn NewPin(card: String) -> impl IntoView {
    let action = ServerAction::<RegisterPin>::new();
    let outcome = form_outcome(action.value());
    view! {
        <section class="panel" aria-labelledby="pin-new-title">
            <h2 id="pin-new-title">{t("暗証番号の入力", "Choose the PIN")}</h2>
            <p>{masked(&card)}</p>
            <div class="notice warn" role="note">
                <p>
                    {t(
                        "登録した暗証番号は、あとから変更できません。お忘れの場合は、この画面でご本人確認のうえ表示できます。",
                        "Once registered, the PIN cannot be changed. If you forget it, this page can show it after the same checks.",
                    )}
                </p>
            </div>
            <FormNotice outcome />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <TextField
                    name="pin"
                    label=("暗証番号（4桁の数字）", "PIN (4 digits)")
                    kind="password"
                    autocomplete="off"
                    inputmode="numeric"
                    maxlength=4
                    field=Field::Pin
                    outcome
                    hint=Text::new(
                        "同じ数字の繰り返し（1111）、連続した数字（1234）、誕生日（月日）や生まれた年は登録できません。",
                        "Not one digit repeated (1111), a run (1234), your birthday (month and day) or year of birth.",
                    )
                />
                <TextField
                    name="pin_confirm"
                    label=("暗証番号（確認のためもう一度）", "PIN again, to confirm")
                    kind="password"
                    autocomplete="off"
                    inputmode="numeric"
                    maxlength=4
                    field=Field::PinConfirm
                    outcome
                />
                <SubmitButton pending=action.pending() label=("登録する", "Register") />
            </ActionForm>
        </section>
    }
}

/// A forgotten PIN: the one-time code, then the PIN on screen, once.
#[component]
fn RevealCode(card: String) -> impl IntoView {
    let action = ServerAction::<RevealPin>::new();
    let outcome = form_outcome(action.value());
    let shown = move || match action.value().get() {
        Some(Ok(Reply::Done(pin))) => Some(pin),
        _ => None,
    };
    view! {
        <section class="panel" aria-labelledby="pin-reveal-title">
            <h2 id="pin-reveal-title">{t("暗証番号の確認", "See a forgotten PIN")}</h2>
            <p>{masked(&card)}</p>
            {move || match shown() {
                Some(pin) => {
                    view! {
                        <p class="pin-shown" data-testid="pin-shown">{pin}</p>
                        <p>
                            {t(
                                "この画面を離れると、もう一度ご本人確認が必要です。人に見られないようご注意ください。",
                                "Once you leave this page, seeing it again needs the checks again. Make sure nobody is looking.",
                            )}
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <FormNotice outcome />
                        <ActionForm action attr:class="stack" attr:novalidate=true>
                            <TextField
                                name="code"
                                label=("確認コード", "One-time code")
                                autocomplete="one-time-code"
                                inputmode="numeric"
                                maxlength=6
                                field=Field::Code
                                outcome
                            />
                            <SubmitButton pending=action.pending() label=("暗証番号を表示する", "Show the PIN") />
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
