//! Home (D1): the member's cards, this month's spending, the next statement and the points balance.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_domain::api::{AccountSummary, CardView, HomeView};
use portal_domain::card::masked;
use portal_domain::money::{format_points, format_yen};

use crate::api::load_home;
use crate::components::{SignInFirst, UnavailableNotice, account_query, query_value};
use crate::i18n::{format_date, t, use_lang};
use crate::passkey;

/// Browser storage: the member said "not now" to the passkey offer on this browser.
const PASSKEY_OFFER_DECLINED: &str = "portal.passkey_offer_declined";

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| load_home());
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Some(view)) => view! { <Home view /> }.into_any(),
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
fn Home(view: HomeView) -> impl IntoView {
    let lang = use_lang();
    let welcome = !query_value("welcome").is_empty();
    let HomeView {
        name_ja,
        name_en,
        today,
        accounts,
        offer_passkey,
        notices,
    } = view;
    let several = accounts.len() > 1;
    view! {
        <h1>
            {move || lang.get().pick(format!("{name_ja} 様のホーム"), format!("Welcome, {name_en}"))}
        </h1>
        {welcome
            .then(|| {
                view! {
                    <div class="notice ok" role="status">
                        <p>{t("ご登録ありがとうございます。オンライン・サービスをご利用いただけます。", "Thank you for registering. Your online account is ready.")}</p>
                    </div>
                }
            })}
        {(!notices.is_empty())
            .then(|| {
                view! {
                    <section class="notices" aria-labelledby="notices-title">
                        <h2 id="notices-title">{t("お知らせ", "Notices")}</h2>
                        <ul>
                            {notices
                                .into_iter()
                                .map(|n| {
                                    let href = format!("/activity?period={}", n.closing_date);
                                    view! {
                                        <li class="notice ok" data-testid="statement-notice">
                                            {move || {
                                                let l = lang.get();
                                                l.pick(
                                                    format!(
                                                        "{}締めのご利用代金 {} が確定しました（お支払い日：{}）。",
                                                        format_date(l, &n.closing_date),
                                                        format_yen(n.amount_yen),
                                                        format_date(l, &n.payment_date),
                                                    ),
                                                    format!(
                                                        "Your statement closing {} is final: {}, due {}.",
                                                        format_date(l, &n.closing_date),
                                                        format_yen(n.amount_yen),
                                                        format_date(l, &n.payment_date),
                                                    ),
                                                )
                                            }}
                                            " "
                                            <a href=href>{t("明細を見る", "See the lines")}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        {offer_passkey.then(|| view! { <PasskeyOffer /> })}
        {accounts
            .into_iter()
            .map(|account| view! { <AccountOverview account today=today.clone() several /> })
            .collect_view()}
        <p><a class="standalone" href="/cards">{t("カードの一時停止・解除", "Freeze or unfreeze a card")}</a></p>
    }
}

/// One account: its figures and cards. With several accounts (R1) each is headed by its card's
/// name, and its links open the other pages on it.
#[component]
fn AccountOverview(account: AccountSummary, today: String, several: bool) -> impl IntoView {
    let lang = use_lang();
    let AccountSummary {
        account_id,
        product_ja,
        product_en,
        cards,
        month_spending_yen,
        next_statement,
        points,
        paperless,
    } = account;
    let on_account = account_query(account_id, several);
    let month_label = move || {
        let month = today
            .get(5..7)
            .and_then(|m| m.parse::<u8>().ok())
            .unwrap_or(1);
        lang.get().pick(
            format!("{month}月のご利用額（速報）"),
            "Spent this month so far".to_string(),
        )
    };
    let paper = paperless.map(|p| {
        let said = match &p.from {
            Some(from) => (
                format!(
                    "オンライン明細をご利用中です（{from}締めの明細から紙の明細は郵送されません）。"
                ),
                format!(
                    "You get statements online (no paper from the statement closing on {from})."
                ),
            ),
            None => (
                "ご利用明細は紙で郵送しています。".to_string(),
                "Your statements are posted on paper.".to_string(),
            ),
        };
        view! {
            <p class="sub" data-testid="paperless">
                {move || lang.get().pick(said.0.clone(), said.1.clone())}
                " "
                <a href="/details#statements-title">{t("送付方法の変更", "Change")}</a>
            </p>
        }
    });
    let payments_href = format!("/payments{on_account}");
    let statement = next_statement.map(|s| {
        let (payment, closing) = (s.payment_date.clone(), s.closing_date.clone());
        view! {
            <div class="figure" data-testid="next-statement">
                <p class="label">
                    {move || {
                        if s.is_final {
                            lang.get().pick("次回お支払い金額（確定）", "Next payment (final)")
                        } else {
                            lang.get().pick("次回お支払い金額（未確定）", "Next payment (so far)")
                        }
                    }}
                </p>
                <p class="value">{format_yen(s.amount_yen)}</p>
                <p class="sub">
                    {move || {
                        lang.get()
                            .pick(
                                format!("お支払い日：{}（{}締め）", format_date(lang.get(), &payment), format_date(lang.get(), &closing)),
                                format!("Due {} (closing {})", format_date(lang.get(), &payment), format_date(lang.get(), &closing)),
                            )
                    }}
                </p>
                <p class="sub"><a class="standalone" href=payments_href>{t("お支払い予定・あとリボ・分割", "Schedule, revolving and instalments")}</a></p>
                {paper}
            </div>
        }
    });
    let points_href = format!("/points{on_account}");
    let heading_id = format!("account-{account_id}");
    let labelled_by = heading_id.clone();
    let product = (product_ja, product_en);
    view! {
        <section class="account" aria-labelledby=labelled_by data-testid="account">
            <h2 id=heading_id class:visually-hidden=!several>
                {move || lang.get().pick(product.0.clone(), product.1.clone())}
            </h2>
            <div class="figures">
                <div class="figure" data-testid="month-spending">
                    <p class="label">{month_label}</p>
                    <p class="value">{format_yen(month_spending_yen)}</p>
                    <p class="sub">{t("保留中のご利用を含みます", "Includes pending charges")}</p>
                </div>
                {statement}
                {points
                    .map(|points| {
                        view! {
                            <div class="figure" data-testid="points">
                                <p class="label">{t("メンバーシップ・リワード ポイント", "Membership Rewards points")}</p>
                                <p class="value">{format_points(points)}</p>
                                <p class="sub"><a class="standalone" href=points_href>{t("ポイントを使う・移行する", "Use or transfer points")}</a></p>
                            </div>
                        }
                    })}
            </div>
            <h3>{t("ご利用中のカード", "Your cards")}</h3>
            <ul class="cards">
                {cards.into_iter().map(|c| view! { <CardTile card=c /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn CardTile(card: CardView) -> impl IntoView {
    let lang = use_lang();
    let product = (card.product_ja, card.product_en);
    let holder = (card.holder_ja, card.holder_en);
    let family = card.family;
    let last = card.last_digits.clone();
    view! {
        <li class="card-tile" class:family=family data-testid="card">
            <span class="product">
                {move || lang.get().pick(product.0.clone(), product.1.clone())}
                {family.then(|| view! { <span class="badge">{t("家族カード", "Family card")}</span> })}
            </span>
            <span class="number" aria-label=move || lang.get().pick(format!("下5桁 {last}"), format!("ending {last}"))>
                {masked(&card.last_digits)}
            </span>
            <span class="holder">{move || lang.get().pick(holder.0.clone(), holder.1.clone())}</span>
            {card.frozen.then(|| view! { <span class="badge frozen" data-testid="card-frozen">{t("停止中", "Frozen")}</span> })}
        </li>
    }
}

/// After a password sign-in on a device that can make passkeys: offered once per browser, until the
/// member says "not now" or makes one here.
#[component]
fn PasskeyOffer() -> impl IntoView {
    let shown = RwSignal::new(false);
    Effect::new(move |_| {
        let answered = LocalStorage::get::<bool>(PASSKEY_OFFER_DECLINED).is_ok()
            || LocalStorage::get::<bool>(passkey::PASSKEY_MADE_HERE).is_ok();
        if !answered {
            spawn_local(async move { shown.set(passkey::platform_authenticator().await) });
        }
    });
    let decline = move |_| {
        let _ = LocalStorage::set(PASSKEY_OFFER_DECLINED, true);
        shown.set(false);
    };
    view! {
        <aside class="notice offer" aria-labelledby="passkey-offer-title" hidden=move || !shown.get()>
            <h2 id="passkey-offer-title">{t("次回から生体認証でログイン", "Sign in with your fingerprint or face next time")}</h2>
            <p>
                {t(
                    "この端末の指紋・顔認証・画面ロックを登録すると、IDとパスワードを入力せずにログインできます。",
                    "Set up this device's fingerprint, face or screen lock and sign in without typing your ID and password.",
                )}
            </p>
            <div class="actions">
                <a class="primary" href="/security">{t("設定する", "Set it up")}</a>
                <button type="button" class="secondary" on:click=decline>{t("今はしない", "Not now")}</button>
            </div>
        </aside>
    }
}
