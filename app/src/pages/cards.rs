//! Freezing a card (C7): one tap stops a card at once; unfreezing asks for a fresh confirmation.
//! The main member sees every card of the account, a family member her own. A card of another
//! account she holds is added here (R1), with the same details as registration.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use portal_domain::api::{Refusal, Reply};
use portal_domain::card::{CardView, masked};

use crate::api::{AddCard, FreezeCard, UnfreezeCard, load_cards};
use crate::components::{
    ConfirmIdentity, FormNotice, IdentityFields, SignInFirst, SubmitButton, UnavailableNotice,
    form_outcome,
};
use crate::i18n::{t, use_lang};

#[component]
pub fn CardsPage() -> impl IntoView {
    // Read again after each change: the answer sends the page to `?frozen=1` or `?unfrozen=1`.
    let location = use_location();
    let cards = Resource::new(move || location.search.get(), |_| load_cards());
    let freeze = ServerAction::<FreezeCard>::new();
    let unfreeze = ServerAction::<UnfreezeCard>::new();
    let add = ServerAction::<AddCard>::new();
    let add_outcome = form_outcome(add.value());
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
        } else if query.get("confirmed").is_some() {
            Some(t(
                "ご本人確認ができました。もう一度「解除」を押してください。",
                "Thank you. Press Unfreeze again.",
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
