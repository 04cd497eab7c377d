//! Freezing a card (C7): one tap stops a card at once; unfreezing asks for a fresh confirmation.
//! The main member sees every card of the account, a family member her own. A card of another
//! account she holds is added here (R1), with the same details as registration. The account's
//! holder applies for family cards here too (C3).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use portal_domain::api::{
    ApplicationStatus, FamilyApplicationView, Field, Refusal, Relationship, Reply,
};
use portal_domain::card::{CardView, masked};

use crate::api::{
    AddCard, ApplyFamilyCard, FreezeCard, UnfreezeCard, load_cards, load_family_applications,
};
use crate::components::{
    ConfirmIdentity, FormNotice, IdentityFields, Outcome, SignInFirst, SubmitButton, TextField,
    UnavailableNotice, account_in_url, form_outcome, query_value,
};
use crate::i18n::{t, use_lang};
use crate::messages;

#[component]
pub fn CardsPage() -> impl IntoView {
    // Read again after each change: the answer sends the page to `?frozen=1` or `?unfrozen=1`.
    let location = use_location();
    let cards = Resource::new(move || location.search.get(), |_| load_cards());
    let freeze = ServerAction::<FreezeCard>::new();
    let unfreeze = ServerAction::<UnfreezeCard>::new();
    let add = ServerAction::<AddCard>::new();
    let add_outcome = form_outcome(add.value());
    let apply = ServerAction::<ApplyFamilyCard>::new();
    let apply_outcome = form_outcome(apply.value());
    let account = account_in_url();
    // Read again after an application, not on every change of the URL: a confirmation's return
    // (`?confirmed=1`) must not redraw the form and lose what was typed.
    let applications = Resource::new(
        move || (apply.version().get(), account.get()),
        |(_, account)| load_family_applications(account),
    );
    let freeze_outcome = form_outcome(freeze.value());
    let unfreeze_outcome = form_outcome(unfreeze.value());
    let needs_confirmation =
        move || unfreeze_outcome.get().refusal() == Some(Refusal::ConfirmationNeeded);
    let query = use_query_map();
    let done = move || {
        let query = query.read();
        if query.get("frozen").is_some() {
            Some(t("カードを一時停止しました。", "The card is frozen."))
        } else if query.get("unfrozen").is_some() {
            Some(t("一時停止を解除しました。", "The card is unfrozen."))
        } else if query.get("added").is_some() {
            Some(t(
                "カードを追加しました。ホームで口座を切り替えられます。",
                "The card was added. Switch between accounts on home.",
            ))
        } else if query.get("applied").is_some() {
            Some(t(
                "家族カードのお申し込みを受け付けました。発行されると、このページとホームに表示されます。",
                "Your family card application was received. Once the card is issued, it shows here and on home.",
            ))
        } else if query.get("confirmed").is_some() {
            Some(t(
                "ご本人確認ができました。もう一度ボタンを押してください。",
                "Thank you. Press the button again.",
            ))
        } else {
            None
        }
    };
    view! {
        <h1>{t("カードの一時停止", "Freeze a card")}</h1>
        <p>
            {t(
                "カードが見当たらないときは、すぐに一時停止できます。停止中のカードでのご利用は承認されません。解除にはご本人確認が必要です。",
                "If you cannot find a card, freeze it at once: nothing new is approved on a frozen card. Unfreezing it asks you to confirm it is you.",
            )}
        </p>
        <div role="status" aria-live="polite">
            {move || done().map(|text| view! { <p class="notice ok">{text}</p> })}
        </div>
        <FormNotice outcome=freeze_outcome />
        <FormNotice outcome=unfreeze_outcome />
        {move || {
            needs_confirmation()
                .then(|| {
                    view! {
                        <section class="panel">
                            <ConfirmIdentity password_locked=false back="/cards" />
                        </section>
                    }
                })
        }}
        <Suspense fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match cards.await {
                    Ok(Reply::Done(cards)) => {
                        view! {
                            <ul class="cards freeze-list">
                                {cards
                                    .into_iter()
                                    .map(|card| view! { <CardState card freeze unfreeze /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Ok(Reply::Refused(Refusal::SignedOut)) => view! { <SignInFirst /> }.into_any(),
                    _ => view! { <UnavailableNotice /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="panel" aria-labelledby="add-card-title">
            <h2 id="add-card-title">{t("ほかのカードを追加", "Add another card")}</h2>
            <p>
                {t(
                    "別の口座のカードもお持ちなら、カード番号、カード表面の4桁のコード、生年月日で追加すると、同じユーザーIDでご覧いただけます。",
                    "If you hold a card of another account, add it with its number, the 4-digit code on its front and your date of birth, and see it under the same user ID.",
                )}
            </p>
            <FormNotice outcome=add_outcome />
            <ActionForm action=add attr:class="stack" attr:novalidate=true>
                <IdentityFields outcome=add_outcome />
                <SubmitButton pending=add.pending() label=("カードを追加する", "Add this card") />
            </ActionForm>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match applications.await {
                    Ok(Reply::Done(list)) => {
                        view! { <FamilyCards list apply outcome=apply_outcome account=account.get_untracked() /> }.into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// The account holder's family card applications and the form to make one.
#[component]
fn FamilyCards(
    list: Vec<FamilyApplicationView>,
    apply: ServerAction<ApplyFamilyCard>,
    outcome: Memo<Outcome>,
    account: Option<i64>,
) -> impl IntoView {
    let lang = use_lang();
    let relationship = query_value("relationship");
    view! {
        <section class="panel" aria-labelledby="family-title">
            <h2 id="family-title">{t("家族カードの申し込み", "Apply for a family card")}</h2>
            <p>
                {t(
                    "生計を同一にする配偶者・親・18歳以上のお子様に家族カードをお申し込みいただけます。ご利用代金は本会員の口座からお支払いいただきます。",
                    "A spouse, a parent or a child of 18 or older living on your household budget can have a family card. What it spends is paid from your account.",
                )}
            </p>
            {(!list.is_empty())
                .then(|| {
                    view! {
                        <ul class="applications">
                            {list
                                .into_iter()
                                .map(|a| {
                                    let (relation_ja, relation_en) = a.relationship.names();
                                    let issued = a.status == ApplicationStatus::Issued;
                                    let last = a.last_digits.clone().unwrap_or_default();
                                    view! {
                                        <li data-testid="family-application" data-status=a.status.code()>
                                            <span class="name">{a.name_ja.clone()}" （"{a.name_kana.clone()}"）"</span>
                                            " "
                                            <span class="sub">{move || lang.get().pick(relation_ja, relation_en)}</span>
                                            " "
                                            {if issued {
                                                view! { <span class="badge active">{t("発行済み", "Issued")}" "{masked(&last)}</span> }.into_any()
                                            } else {
                                                view! { <span class="badge">{t("受付済み・発行準備中", "Received, being issued")}</span> }.into_any()
                                            }}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <FormNotice outcome />
            {move || {
                (outcome.get().refusal() == Some(Refusal::ConfirmationNeeded))
                    .then(|| view! { <ConfirmIdentity password_locked=false back="/cards" /> })
            }}
            <ActionForm action=apply attr:class="stack" attr:novalidate=true>
                {account.map(|a| view! { <input type="hidden" name="account" value=a.to_string() /> })}
                <TextField name="family_name_ja" label=("お名前（漢字）", "Name (kanji)") autocomplete="off" field=Field::NameJa outcome value=query_value("family_name_ja") maxlength=40 />
                <TextField name="family_name_kana" label=("フリガナ（カタカナ）", "Name in katakana") autocomplete="off" field=Field::NameKana outcome value=query_value("family_name_kana") maxlength=40 />
                <TextField
                    name="family_name_en"
                    label=("カードに記載するお名前（ローマ字）", "Name on the card (Latin letters)")
                    hint=("例：HANAKO YAMADA", "For example: HANAKO YAMADA")
                    autocomplete="off"
                    field=Field::NameEn
                    outcome
                    value=query_value("family_name_en")
                    maxlength=26
                />
                <div class="field">
                    <label for="relationship">{t("続柄", "Relationship")}</label>
                    <select
                        id="relationship"
                        name="relationship"
                        aria-invalid=move || outcome.get().problem(Field::Relationship).is_some().then_some("true")
                        aria-describedby="relationship-error"
                    >
                        <option value="">{t("選択してください", "Choose")}</option>
                        {Relationship::ALL
                            .into_iter()
                            .map(|r| {
                                let (ja, en) = r.names();
                                view! { <option value=r.code() selected=relationship == r.code()>{move || lang.get().pick(ja, en)}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="error" id="relationship-error">
                        {move || outcome.get().problem(Field::Relationship).map(|p| messages::problem(Field::Relationship, p).get(lang.get()))}
                    </p>
                </div>
                <TextField name="family_birth_date" label=("生年月日", "Date of birth") kind="date" autocomplete="off" field=Field::BirthDate outcome value=query_value("family_birth_date") />
                <TextField
                    name="family_email"
                    label=("ご本人のメールアドレス", "Their e-mail address")
                    hint=("発行のご案内と、会員ポータルのご登録に使います。", "For the notice of issue and to register in the member portal.")
                    kind="email"
                    autocomplete="off"
                    field=Field::Email
                    outcome
                    value=query_value("family_email")
                />
                <SubmitButton pending=apply.pending() label=("家族カードを申し込む", "Apply for the family card") />
            </ActionForm>
        </section>
    }
}

#[component]
fn CardState(
    card: CardView,
    freeze: ServerAction<FreezeCard>,
    unfreeze: ServerAction<UnfreezeCard>,
) -> impl IntoView {
    let lang = use_lang();
    let CardView {
        product_ja,
        product_en,
        holder_ja,
        holder_en,
        last_digits,
        family,
        frozen,
        ..
    } = card;
    let title_id = format!("card-{last_digits}");
    let number = masked(&last_digits);
    let hidden = last_digits.clone();
    view! {
        <li class="card-tile" class:family=family data-testid="freeze-card" data-card=last_digits data-frozen=frozen.to_string()>
            <span class="product" id=title_id.clone()>
                {move || lang.get().pick(format!("{holder_ja} {product_ja}"), format!("{holder_en} {product_en}"))}
                {family.then(|| view! { <span class="badge">{t("家族カード", "Family card")}</span> })}
            </span>
            <span class="number">{number}</span>
            {if frozen {
                view! {
                    <span class="badge frozen">{t("停止中", "Frozen")}</span>
                    <ActionForm action=unfreeze attr:class="inline">
                        <input type="hidden" name="card" value=hidden.clone() />
                        <button type="submit" class="secondary" aria-describedby=title_id.clone() disabled=move || unfreeze.pending().get()>
                            {t("解除", "Unfreeze")}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <span class="badge active">{t("ご利用可能", "Active")}</span>
                    <ActionForm action=freeze attr:class="inline">
                        <input type="hidden" name="card" value=hidden.clone() />
                        <button type="submit" class="primary" aria-describedby=title_id.clone() disabled=move || freeze.pending().get()>
                            {t("一時停止", "Freeze")}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }}
        </li>
    }
}
