//! Registered details (登録情報, C3): the name as registered, the address (filled from the postal
//! code), phones and employer, a new e-mail address or mobile number confirmed by a code sent to
//! it, and the history of every change. What cannot change online (C4) has its own page.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use portal_domain::api::{DetailChangeView, DetailsView, Field, PaperlessView, Refusal, Reply};
use portal_domain::details::{PREFECTURES, format_postal_code, parse_postal_code};

use crate::api::{
    ChangeAddress, ChangePhones, FinishEmailChange, FinishMobileChange, SetPaperless,
    StartEmailChange, StartMobileChange, find_address, load_details,
};
use crate::components::{
    ConfirmIdentity, FormNotice, SignInFirst, SubmitButton, TextField, UnavailableNotice,
    form_outcome, query_value,
};
use crate::i18n::{Text, format_moment, t, use_lang};
use crate::messages;

#[component]
pub fn DetailsPage() -> impl IntoView {
    // Every change answers with a redirect here with a new query, which loads the details again.
    let location = use_location();
    let details = Resource::new(move || location.search.get(), |_| load_details());
    view! {
        <h1>{t("登録情報", "Registered details")}</h1>
        <DoneNotice />
        <Suspense fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(Reply::Done(view)) => view! { <Details view /> }.into_any(),
                    Ok(Reply::Refused(Refusal::SignedOut)) => view! { <SignInFirst /> }.into_any(),
                    _ => view! { <UnavailableNotice /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the last change did, from the query its redirect left.
#[component]
fn DoneNotice() -> impl IntoView {
    let query = use_query_map();
    let done = move || {
        let query = query.read();
        let said = [
            (
                "address_changed",
                ("住所を変更しました。", "Your address has been changed."),
            ),
            (
                "phones_changed",
                (
                    "電話番号・勤務先を変更しました。",
                    "Your phones and employer have been changed.",
                ),
            ),
            (
                "email_code_sent",
                (
                    "新しいメールアドレスに確認コードを送りました。届いたコードを入力すると変更されます。",
                    "We sent a code to the new address. The change takes effect when you enter it.",
                ),
            ),
            (
                "email_changed",
                (
                    "メールアドレスを変更しました。以前のアドレスにもお知らせしました。",
                    "Your e-mail address has been changed. We told the old address too.",
                ),
            ),
            (
                "mobile_code_sent",
                (
                    "新しい携帯電話番号にSMSで確認コードを送りました。",
                    "We sent a code by SMS to the new number.",
                ),
            ),
            (
                "mobile_changed",
                (
                    "携帯電話番号を変更しました。",
                    "Your mobile number has been changed.",
                ),
            ),
            (
                "paperless_on",
                (
                    "オンライン明細に切り替えました。次回の明細から紙の明細は郵送されません。",
                    "Done: from the next statement on, statements are online only.",
                ),
            ),
            (
                "paperless_off",
                (
                    "次回の明細から紙の明細を郵送します。",
                    "Done: from the next statement on, statements are posted on paper.",
                ),
            ),
            (
                "confirmed",
                (
                    "ご本人確認ができました。登録情報を変更できます。",
                    "Thank you. You can change your details now.",
                ),
            ),
        ];
        said.into_iter()
            .find(|(key, _)| query.get(key).is_some())
            .map(|(_, (ja, en))| t(ja, en))
    };
    view! {
        <div role="status" aria-live="polite">
            {move || done().map(|text| view! { <p class="notice ok">{text}</p> })}
        </div>
    }
}

#[component]
fn Details(view: DetailsView) -> impl IntoView {
    let DetailsView {
        name_ja,
        name_kana,
        name_en,
        address,
        home_phone,
        mobile_phone,
        employer_name,
        employer_phone,
        email,
        pending_email,
        pending_mobile,
        confirmation_left_secs,
        history,
        paperless,
    } = view;
    let confirmed = confirmation_left_secs > 0;
    view! {
        <section class="panel" aria-labelledby="name-title">
            <h2 id="name-title">{t("お名前", "Name")}</h2>
            <dl class="details-list">
                <dt>{t("氏名", "Name")}</dt>
                <dd>{name_ja}</dd>
                <dt>{t("フリガナ", "Name in kana")}</dt>
                <dd>{name_kana}</dd>
                <dt>{t("ローマ字", "Name in Latin letters")}</dt>
                <dd>{name_en}</dd>
            </dl>
            <p>
                <a class="standalone" href="/details/offline">
                    {t("氏名・お支払い口座の変更について", "Changing your name or the bank account for payments")}
                </a>
            </p>
        </section>
        {if confirmed {
            view! {
                <AddressSection address />
                <PhonesSection home_phone employer_name employer_phone />
                <EmailSection email pending=pending_email />
                <MobileSection mobile_phone pending=pending_mobile />
                {(!paperless.is_empty()).then(|| view! { <PaperlessSection accounts=paperless /> })}
            }
                .into_any()
        } else {
            view! {
                <section class="panel" aria-labelledby="current-title">
                    <h2 id="current-title">{t("ご登録内容", "What is registered")}</h2>
                    <dl class="details-list">
                        <dt>{t("住所", "Address")}</dt>
                        <dd>{address.one_line()}</dd>
                        <dt>{t("自宅電話番号", "Home phone")}</dt>
                        <dd>{home_phone}</dd>
                        <dt>{t("携帯電話番号", "Mobile number")}</dt>
                        <dd>{mobile_phone}</dd>
                        <dt>{t("勤務先", "Employer")}</dt>
                        <dd>{employer_name}</dd>
                        <dt>{t("勤務先電話番号", "Employer's phone")}</dt>
                        <dd>{employer_phone}</dd>
                        <dt>{t("メールアドレス", "E-mail address")}</dt>
                        <dd>{email}</dd>
                    </dl>
                    <ConfirmIdentity password_locked=false back="/details" />
                </section>
            }
                .into_any()
        }}
        <History history />
    }
}

#[component]
fn AddressSection(address: portal_domain::details::Address) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangeAddress>::new();
    let outcome = form_outcome(action.value());
    // After a refused plain-HTML post, what was typed comes back in the query.
    let typed = |name: &'static str, saved: String| {
        let value = query_value(name);
        RwSignal::new(if value.is_empty() { saved } else { value })
    };
    let postal = typed("postal_code", format_postal_code(&address.postal_code));
    let prefecture = typed("prefecture", address.prefecture);
    let city = typed("city", address.city);
    let line1 = typed("address_line1", address.line1);
    let line2 = typed("address_line2", address.line2);
    let lookup = Action::new(|code: &String| find_address(code.clone()));
    let found = RwSignal::new(None::<Text>);
    Effect::new(move |_| {
        let Some(answer) = lookup.value().get() else {
            return;
        };
        found.set(Some(match answer {
            Ok(Reply::Done(Some(place))) => {
                let said = Text::new(
                    format!(
                        "住所を入力しました: {}{}{}",
                        place.prefecture, place.city, place.town
                    ),
                    format!(
                        "Filled in: {}{}{}",
                        place.prefecture, place.city, place.town
                    ),
                );
                prefecture.set(place.prefecture);
                city.set(place.city);
                line1.set(place.town);
                said
            }
            Ok(Reply::Done(None)) => Text::new(
                "この郵便番号の住所が見つかりません。都道府県と市区町村を入力してください。",
                "No address has this postal code. Choose the prefecture and type the city.",
            ),
            Ok(Reply::Invalid(problems)) => problems
                .first()
                .map(|(field, problem)| messages::problem(*field, *problem))
                .unwrap_or_else(messages::unavailable),
            Ok(Reply::Refused(refusal)) => messages::refusal(refusal),
            Err(_) => messages::unavailable(),
        }));
    });
    // Seven digits typed: look the address up at once, as a member expects.
    let on_postal = Callback::new(move |typed: String| {
        if parse_postal_code(&typed).is_ok() {
            lookup.dispatch(typed);
        }
    });
    let prefecture_error = move || {
        outcome
            .get()
            .problem(Field::Prefecture)
            .map(|p| messages::problem(Field::Prefecture, p))
    };
    view! {
        <section class="panel" aria-labelledby="address-title">
            <h2 id="address-title">{t("住所", "Address")}</h2>
            <FormNotice outcome />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <div class="with-button">
                    <TextField
                        name="postal_code"
                        label=("郵便番号", "Postal code")
                        autocomplete="postal-code"
                        inputmode="numeric"
                        maxlength=10
                        field=Field::PostalCode
                        outcome
                        hint=Text::new("例: 123-4567", "For example 123-4567")
                        text=postal
                        on_text=on_postal
                    />
                    <button type="button" class="secondary" on:click=move |_| {
                        lookup.dispatch(postal.get_untracked());
                    } disabled=move || lookup.pending().get()>
                        {t("郵便番号から住所を入力", "Fill in from the postal code")}
                    </button>
                </div>
                <p role="status" aria-live="polite" class="hint">
                    {move || found.get().map(|text| text.get(lang.get()))}
                </p>
                <div class="field">
                    <label for="prefecture">{t("都道府県", "Prefecture")}</label>
                    <select
                        id="prefecture"
                        name="prefecture"
                        autocomplete="address-level1"
                        prop:value=move || prefecture.get()
                        on:change=move |ev| prefecture.set(event_target_value(&ev))
                        aria-invalid=move || prefecture_error().is_some().then_some("true")
                        aria-describedby=move || prefecture_error().is_some().then_some("prefecture-error")
                    >
                        <option value="">{t("選択してください", "Choose")}</option>
                        {PREFECTURES
                            .iter()
                            .map(|(ja, en)| {
                                let ja = *ja;
                                view! {
                                    <option value=ja selected=move || prefecture.get_untracked() == ja>
                                        {move || lang.get().pick(ja.to_string(), format!("{ja} {en}"))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    {move || prefecture_error().map(|text| view! { <p class="error" id="prefecture-error">{text.get(lang.get())}</p> })}
                </div>
                <TextField name="city" label=("市区町村", "City") autocomplete="address-level2" field=Field::City outcome text=city />
                <TextField name="address_line1" label=("町名・番地", "Town and block number") autocomplete="address-line1" field=Field::AddressLine1 outcome text=line1 />
                <TextField
                    name="address_line2"
                    label=("建物名・部屋番号（任意）", "Building and room (optional)")
                    autocomplete="address-line2"
                    field=Field::AddressLine2
                    outcome
                    text=line2
                />
                <SubmitButton pending=action.pending() label=("住所を変更する", "Change the address") />
            </ActionForm>
        </section>
    }
}

#[component]
fn PhonesSection(
    home_phone: String,
    employer_name: String,
    employer_phone: String,
) -> impl IntoView {
    let action = ServerAction::<ChangePhones>::new();
    let outcome = form_outcome(action.value());
    let typed = |name: &'static str, saved: String| {
        let value = query_value(name);
        if value.is_empty() { saved } else { value }
    };
    view! {
        <section class="panel" aria-labelledby="phones-title">
            <h2 id="phones-title">{t("電話番号・勤務先", "Phones and employer")}</h2>
            <FormNotice outcome />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <TextField
                    name="home_phone"
                    label=("自宅電話番号（任意）", "Home phone (optional)")
                    kind="tel"
                    autocomplete="home tel"
                    field=Field::HomePhone
                    outcome
                    value=typed("home_phone", home_phone)
                />
                <TextField
                    name="employer_name"
                    label=("勤務先（任意）", "Employer (optional)")
                    autocomplete="organization"
                    field=Field::EmployerName
                    outcome
                    value=typed("employer_name", employer_name)
                />
                <TextField
                    name="employer_phone"
                    label=("勤務先電話番号（任意）", "Employer's phone (optional)")
                    kind="tel"
                    autocomplete="work tel"
                    field=Field::EmployerPhone
                    outcome
                    value=typed("employer_phone", employer_phone)
                />
                <SubmitButton pending=action.pending() label=("電話番号・勤務先を変更する", "Change phones and employer") />
            </ActionForm>
        </section>
    }
}

#[component]
fn EmailSection(email: String, pending: Option<String>) -> impl IntoView {
    let start = ServerAction::<StartEmailChange>::new();
    let finish = ServerAction::<FinishEmailChange>::new();
    let start_outcome = form_outcome(start.value());
    let finish_outcome = form_outcome(finish.value());
    let typed = query_value("email");
    view! {
        <section class="panel" aria-labelledby="email-title">
            <h2 id="email-title">{t("メールアドレス", "E-mail address")}</h2>
            <dl class="details-list">
                <dt>{t("ご登録のアドレス", "Registered address")}</dt>
                <dd>{email}</dd>
            </dl>
            {pending
                .map(|address| {
                    view! {
                        <div class="pending">
                            <p>
                                <PendingText
                                    ja=format!("{address} に送った確認コードを入力してください。入力するまで、ご登録のアドレスは変わりません。")
                                    en=format!("Enter the code we sent to {address}. The registered address stays until you do.")
                                />
                            </p>
                            <FormNotice outcome=finish_outcome />
                            <ActionForm action=finish attr:class="stack" attr:novalidate=true>
                                <TextField
                                    name="email_code"
                                    label=("確認コード", "Code")
                                    autocomplete="one-time-code"
                                    inputmode="numeric"
                                    maxlength=6
                                    field=Field::Code
                                    outcome=finish_outcome
                                />
                                <SubmitButton pending=finish.pending() label=("メールアドレスを変更する", "Change the e-mail address") />
                            </ActionForm>
                        </div>
                    }
                })}
            <FormNotice outcome=start_outcome />
            <ActionForm action=start attr:class="stack" attr:novalidate=true>
                <TextField
                    name="email"
                    label=("新しいメールアドレス", "New e-mail address")
                    kind="email"
                    autocomplete="email"
                    field=Field::Email
                    outcome=start_outcome
                    value=typed
                    hint=Text::new(
                        "新しいアドレスに確認コードを送ります。",
                        "We send a code to the new address.",
                    )
                />
                <SubmitButton pending=start.pending() label=("確認コードを送る", "Send a code") />
            </ActionForm>
        </section>
    }
}

#[component]
fn MobileSection(mobile_phone: String, pending: Option<String>) -> impl IntoView {
    let start = ServerAction::<StartMobileChange>::new();
    let finish = ServerAction::<FinishMobileChange>::new();
    let start_outcome = form_outcome(start.value());
    let finish_outcome = form_outcome(finish.value());
    let typed = query_value("mobile_phone");
    view! {
        <section class="panel" aria-labelledby="mobile-title">
            <h2 id="mobile-title">{t("携帯電話番号", "Mobile number")}</h2>
            <dl class="details-list">
                <dt>{t("ご登録の番号", "Registered number")}</dt>
                <dd>{mobile_phone}</dd>
            </dl>
            {pending
                .map(|number| {
                    view! {
                        <div class="pending">
                            <p>
                                <PendingText
                                    ja=format!("{number} にSMSで送った確認コードを入力してください。")
                                    en=format!("Enter the code we sent by SMS to {number}.")
                                />
                            </p>
                            <FormNotice outcome=finish_outcome />
                            <ActionForm action=finish attr:class="stack" attr:novalidate=true>
                                <TextField
                                    name="mobile_code"
                                    label=("SMSの確認コード", "Code from the SMS")
                                    autocomplete="one-time-code"
                                    inputmode="numeric"
                                    maxlength=6
                                    field=Field::Code
                                    outcome=finish_outcome
                                />
                                <SubmitButton pending=finish.pending() label=("携帯電話番号を変更する", "Change the mobile number") />
                            </ActionForm>
                        </div>
                    }
                })}
            <FormNotice outcome=start_outcome />
            <ActionForm action=start attr:class="stack" attr:novalidate=true>
                <TextField
                    name="mobile_phone"
                    label=("新しい携帯電話番号", "New mobile number")
                    kind="tel"
                    autocomplete="tel"
                    field=Field::MobilePhone
                    outcome=start_outcome
                    value=typed
                    hint=Text::new(
                        "新しい番号にSMSで確認コードを送ります。",
                        "We send a code by SMS to the new number.",
                    )
                />
                <SubmitButton pending=start.pending() label=("SMSでコードを送る", "Text me a code") />
            </ActionForm>
        </section>
    }
}

/// Paperless statements (C5), for the account holder: one choice per account she holds.
#[component]
fn PaperlessSection(accounts: Vec<PaperlessView>) -> impl IntoView {
    let several = accounts.len() > 1;
    view! {
        <section class="panel" aria-labelledby="statements-title">
            <h2 id="statements-title">{t("ご利用明細の送付方法", "How you get statements")}</h2>
            {accounts
                .into_iter()
                .map(|paperless| view! { <PaperlessChoice paperless several /> })
                .collect_view()}
        </section>
    }
}

#[component]
fn PaperlessChoice(paperless: PaperlessView, several: bool) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetPaperless>::new();
    let outcome = form_outcome(action.value());
    let PaperlessView {
        account_id,
        product_ja,
        product_en,
        from,
        next_closing,
    } = paperless;
    let on = from.is_some();
    let state = match from {
        Some(from) => (
            format!(
                "オンライン明細（{from}締めの明細から紙の明細は郵送されません。確定時にメールでお知らせします）"
            ),
            format!(
                "Online only (no paper from the statement closing on {from}; we e-mail you when each is final)"
            ),
        ),
        None => (
            "紙の明細を郵送しています。".to_string(),
            "Paper statements are posted.".to_string(),
        ),
    };
    let change = (
        format!("変更は{next_closing}締めの明細から適用されます。"),
        format!("A change applies from the statement closing on {next_closing}."),
    );
    view! {
        <div class="paperless" data-testid="paperless-choice">
            {several.then(|| view! { <h3>{move || lang.get().pick(product_ja.clone(), product_en.clone())}</h3> })}
            <p>{move || lang.get().pick(state.0.clone(), state.1.clone())}</p>
            <p class="hint">{move || lang.get().pick(change.0.clone(), change.1.clone())}</p>
            <FormNotice outcome />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="account" value=account_id.to_string() />
                {(!on).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                {if on {
                    view! { <SubmitButton pending=action.pending() label=("紙の明細に戻す", "Post paper statements again") /> }.into_any()
                } else {
                    view! { <SubmitButton pending=action.pending() label=("オンライン明細に切り替える", "Switch to online statements") /> }.into_any()
                }}
            </ActionForm>
        </div>
    }
}

#[component]
fn PendingText(ja: String, en: String) -> impl IntoView {
    let lang = use_lang();
    move || lang.get().pick(ja.clone(), en.clone())
}

#[component]
fn History(history: Vec<DetailChangeView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{t("変更履歴", "Change history")}</h2>
            {if history.is_empty() {
                view! { <p>{t("変更はまだありません。", "Nothing has been changed yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="history">
                        {history
                            .into_iter()
                            .map(|change| {
                                let (ja, en) = change.item.names();
                                view! {
                                    <li>
                                        <p>
                                            <strong>{move || lang.get().pick(ja, en)}</strong>
                                            " "
                                            <time>{move || format_moment(lang.get(), change.at)}</time>
                                        </p>
                                        <dl class="details-list">
                                            <dt>{t("変更前", "Before")}</dt>
                                            <dd>{change.old_value}</dd>
                                            <dt>{t("変更後", "After")}</dt>
                                            <dd>{change.new_value}</dd>
                                        </dl>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// C4: what cannot change online, and how to change it.
#[component]
pub fn OfflineChangesPage() -> impl IntoView {
    view! {
        <h1>{t("オンラインで変更できない手続き", "Changes that cannot be made online")}</h1>
        <section class="panel" aria-labelledby="offline-title">
            <h2 id="offline-title">{t("お支払い口座・氏名の変更", "The bank account for payments, and your name")}</h2>
            <p>
                {t(
                    "お支払いに使う銀行口座の変更と、ご結婚などによる氏名の変更は、大切な情報のためオンラインでは承っておりません。次のいずれかの方法でお手続きください。",
                    "The bank account your payments are taken from, and a change of name (on marriage, for example), are too important to change online. Please use one of these ways.",
                )}
            </p>
            <h3>{t("お電話で", "By phone")}</h3>
            <p>
                {t("会員専用ダイヤル: ", "Member line: ")}
                <a href="tel:0120-000-123">"0120-000-123"</a>
            </p>
            <p>
                {t(
                    "受付時間 9:00〜17:00（土日祝・年末年始を除く）。カード裏面の番号からもおかけいただけます。",
                    "Open 9:00 to 17:00, Japan time, on weekdays (closed at weekends, on public holidays and over the New Year). The number on the back of your card works too.",
                )}
            </p>
            <h3>{t("書面で", "On paper")}</h3>
            <p>
                {t(
                    "お電話で「変更届」をご請求ください。ご登録の住所へお送りします。口座の変更は金融機関のお届け印、氏名の変更は新しい氏名の本人確認書類の写しを添えてご返送ください。",
                    "Ask for the change form by phone and we post it to your registered address. Return it with the bank's seal for a new account, or with a copy of an identity document in your new name.",
                )}
            </p>
            <p>
                {t(
                    "口座の変更は、お手続きから反映まで1〜2か月かかります。その間のお支払いは以前の口座から引き落とされます。",
                    "A new bank account takes one to two months to take effect; until then payments are taken from the old one.",
                )}
            </p>
        </section>
        <p>
            <a class="standalone" href="/details">{t("登録情報へ戻る", "Back to registered details")}</a>
        </p>
    }
}
