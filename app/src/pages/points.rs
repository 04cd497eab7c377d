//! Membership Rewards (D9): balance, points expiring soon, history; using points against the bill,
//! for catalog items, or by transfer to a linked partner program, with each transfer's status.

use leptos::prelude::*;
use portal_domain::api::{
    Field, PartnerView, PointsLine, PointsView, Reply, UseDone, UseKind, UseRequest, UseView,
};
use portal_domain::money::{format_count, format_points, format_yen, parse_amount};
use portal_domain::points::{CATALOG, Partner, TransferStatus, catalog_item};

use crate::api::{AppError, LinkPartner, load_points, use_points};
use crate::components::{
    AccountSwitcher, FormNotice, Outcome, account_in_url, answered, form_outcome,
};
use crate::i18n::{Lang, Text, format_date, format_moment, t, use_lang};
use crate::messages;

/// How often, and how many times, the page looks again while a transfer waits for its partner.
const TRANSFER_POLL: std::time::Duration = std::time::Duration::from_secs(2);
const MAX_POLLS: u32 = 60;

fn is_waiting(item: &UseView) -> bool {
    matches!(
        item.kind,
        UseKind::Transfer {
            status: TransferStatus::Requested,
            ..
        }
    )
}

#[component]
pub fn PointsPage() -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let done = RwSignal::new(None::<Text>);
    let account = account_in_url();
    let points = Resource::new(
        move || (version.get(), account.get()),
        |(_, account)| load_points(account),
    );
    view! {
        <h1>{t("ポイント（メンバーシップ・リワード）", "Points (Membership Rewards)")}</h1>
        <AccountSwitcher path="/points" holder_only=true />
        <div role="status" aria-live="polite">
            {move || done.get().map(|text| view! { <p class="notice ok" data-testid="points-done">{move || text.get(lang.get())}</p> })}
        </div>
        <Transition fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                answered(points.await, |view| view! { <Points view version done /> }.into_any())
            })}
        </Transition>
    }
}

/// An id for one intended use of points, made once and sent again with any retry of it.
fn new_request_id() -> String {
    #[cfg(feature = "hydrate")]
    let (a, b) = (js_sys::Math::random(), js_sys::Math::random());
    #[cfg(not(feature = "hydrate"))]
    let (a, b) = (0.5, 0.5);
    let scale = (1u64 << 53) as f64;
    format!("{:014x}{:014x}", (a * scale) as u64, (b * scale) as u64)
}

type UseAction = Action<(String, UseRequest), Result<Reply<UseDone>, AppError>>;

/// A form that uses points: its action, its outcome, and `submit`, which keeps the request id
/// until the server has answered, so a double click or a retry is one use.
#[derive(Clone, Copy)]
struct UseForm {
    action: UseAction,
    request_id: RwSignal<String>,
    outcome: Memo<Outcome>,
}

impl UseForm {
    fn new(version: RwSignal<u32>, done: RwSignal<Option<Text>>, success: Text) -> Self {
        let account = account_in_url();
        let action: UseAction = Action::new(move |(id, request): &(String, UseRequest)| {
            use_points(id.clone(), request.clone(), account.get_untracked())
        });
        let request_id = RwSignal::new(String::new());
        let outcome = Memo::new(move |_| {
            action
                .value()
                .get()
                .map(|r| Outcome::of(&r))
                .unwrap_or_default()
        });
        Effect::new(move |_| match action.value().get() {
            Some(Ok(Reply::Done(_))) => {
                request_id.set(String::new());
                done.set(Some(success.clone()));
                version.update(|v| *v += 1);
            }
            Some(Ok(_)) => request_id.set(String::new()),
            _ => {}
        });
        Self {
            action,
            request_id,
            outcome,
        }
    }

    fn submit(&self, request: UseRequest) {
        if self.action.pending().get_untracked() {
            return;
        }
        let mut id = self.request_id.get_untracked();
        if id.is_empty() {
            id = new_request_id();
            self.request_id.set(id.clone());
        }
        self.action.dispatch((id, request));
    }
}

fn partner_name(lang: Lang, partner: Partner) -> &'static str {
    let (ja, en) = partner.names();
    lang.pick(ja, en)
}

/// Points as typed; anything unreadable is 0, which the server answers with the smallest amount.
fn parse_points(text: &str) -> i64 {
    parse_amount(text).ok().flatten().unwrap_or(0)
}

#[component]
fn Points(view: PointsView, version: RwSignal<u32>, done: RwSignal<Option<Text>>) -> AnyView {
    let lang = use_lang();
    let PointsView {
        balance,
        expiring,
        expiry_months,
        history,
        partners,
        uses,
        bill,
        credit_payment,
    } = view;
    // Transfers waiting for their partner are looked at again every few seconds, for a while:
    // only the balance and the list of uses change, so forms keep what is typed and in flight.
    let uses = RwSignal::new(uses);
    let balance = RwSignal::new(balance);
    let polls = RwSignal::new(0u32);
    let account = account_in_url();
    Effect::new(move |_| {
        let waiting = uses.with(|list| list.iter().any(is_waiting));
        if !waiting || polls.get_untracked() >= MAX_POLLS {
            return;
        }
        let poll = move || {
            leptos::task::spawn_local(async move {
                if let Ok(Reply::Done(view)) = load_points(account.get_untracked()).await {
                    let _ = polls.try_update(|n| *n += 1);
                    let _ = balance.try_set(view.balance);
                    let _ = uses.try_set(view.uses);
                }
            });
        };
        if let Ok(handle) = set_timeout_with_handle(poll, TRANSFER_POLL) {
            on_cleanup(move || handle.clear());
        }
    });
    let bill_form = UseForm::new(
        version,
        done,
        Text::new(
            "ポイントをお支払いに充当しました。",
            "Points were used against your bill.",
        ),
    );
    let bill_points = RwSignal::new(String::new());
    let credit_payment_shown = credit_payment.clone();
    view! {
        <section class="panel" aria-labelledby="balance-title">
            <h2 id="balance-title">{t("ポイント残高", "Balance")}</h2>
            <p class="points-balance" data-testid="points-balance" data-points=move || balance.get().to_string()>{move || format_points(balance.get())}</p>
            {if expiring.is_empty() {
                view! { <p class="sub">{t("3か月以内に有効期限を迎えるポイントはありません。", "No points expire in the next three months.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="expiring" data-testid="points-expiring">
                        {expiring.into_iter().map(|(date, points)| view! {
                            <li>{move || lang.get().pick(
                                format!("{}に {} が有効期限を迎えます", format_date(lang.get(), &date), format_points(points)),
                                format!("{} expire on {}", format_points(points), format_date(lang.get(), &date)),
                            )}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="sub">{move || lang.get().pick(
                format!("ポイントの有効期限は獲得から{expiry_months}か月です。古いポイントから順に使われます。"),
                format!("Points expire {expiry_months} months after they are earned. The oldest are used first."),
            )}</p>
        </section>

        <section class="panel" aria-labelledby="bill-title">
            <h2 id="bill-title">{t("お支払いに使う", "Use against your bill")}</h2>
            <p class="sub">{move || lang.get().pick(
                format!("100ポイントにつき{}。{}以上、100ポイント単位で、{}のお支払いから差し引きます。", format_yen(bill.yen_per_100), format_points(bill.min_points), format_date(lang.get(), &credit_payment_shown)),
                format!("{} for every 100 points; at least {}, in steps of 100, taken off the payment on {}.", format_yen(bill.yen_per_100), format_points(bill.min_points), format_date(lang.get(), &credit_payment_shown)),
            )}</p>
            <FormNotice outcome=bill_form.outcome />
            <form class="inline" on:submit=move |ev| {
                ev.prevent_default();
                bill_form.submit(UseRequest::Bill { points: parse_points(&bill_points.get_untracked()) });
            }>
                <div class="field">
                    <label for="bill-points">{t("使うポイント", "Points to use")}</label>
                    <input id="bill-points" type="text" inputmode="numeric" autocomplete="off"
                        prop:value=bill_points on:input=move |ev| bill_points.set(event_target_value(&ev))
                        aria-invalid=move || bill_form.outcome.get().problem(Field::Points).is_some().then_some("true")
                        aria-describedby="bill-credit" />
                    <p class="sub" id="bill-credit">{move || {
                        let p = parse_points(&bill_points.get());
                        (p > 0).then(|| lang.get().pick(
                            format!("{}を充当", format_yen(p / 100 * bill.yen_per_100)),
                            format!("{} off the bill", format_yen(p / 100 * bill.yen_per_100)),
                        ))
                    }}</p>
                    <UseProblem outcome=bill_form.outcome />
                </div>
                <button type="submit" class="primary" disabled=move || bill_form.action.pending().get()>{t("充当する", "Use points")}</button>
            </form>
        </section>

        <section class="panel" aria-labelledby="catalog-title">
            <h2 id="catalog-title">{t("商品と交換", "Rewards catalog")}</h2>
            <CatalogList version done />
        </section>

        <section class="panel" aria-labelledby="partners-title">
            <h2 id="partners-title">{t("提携プログラムへ移行", "Transfer to partners")}</h2>
            <p class="sub">{t(
                "移行には提携プログラムの会員番号の登録が必要です。移行は提携先の確認後に完了します。",
                "Link your member number first. A transfer completes when the partner confirms it.",
            )}</p>
            <ul class="partners">
                {partners.into_iter().map(|p| view! { <PartnerItem partner=p version done /> }).collect_view()}
            </ul>
        </section>

        <section class="panel" aria-labelledby="uses-title">
            <h2 id="uses-title">{t("ポイントのご利用状況", "Your point uses")}</h2>
            {move || uses.with(Vec::is_empty).then(|| view! { <p class="empty">{t("まだご利用はありません。", "No uses yet.")}</p> })}
            <ul class="uses">
                {move || uses.get().into_iter().map(|u| view! { <UseItem item=u /> }).collect_view()}
            </ul>
        </section>

        <section class="panel" aria-labelledby="points-history-title">
            <h2 id="points-history-title">{t("ポイント履歴", "Points history")}</h2>
            <ul class="points-history">
                {history.into_iter().map(|line| view! { <HistoryItem line /> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The message for a points field, next to it.
#[component]
fn UseProblem(outcome: Memo<Outcome>) -> impl IntoView {
    let lang = use_lang();
    move || {
        outcome.get().problem(Field::Points).map(|p| {
            let text = messages::problem(Field::Points, p);
            view! { <p class="error" role="alert">{move || text.get(lang.get())}</p> }
        })
    }
}

#[component]
fn CatalogList(version: RwSignal<u32>, done: RwSignal<Option<Text>>) -> AnyView {
    let lang = use_lang();
    let form = UseForm::new(
        version,
        done,
        Text::new("商品と交換しました。", "Exchanged for the item."),
    );
    // A catalog item is one click away from thousands of points: the click asks first.
    let asking = RwSignal::new(None::<&'static str>);
    view! {
        <FormNotice outcome=form.outcome />
        <ul class="catalog">
            {CATALOG.iter().map(|item| {
                let code = item.code;
                view! {
                    <li data-testid="catalog-item">
                        <span class="name">{move || lang.get().pick(item.name_ja, item.name_en)}</span>
                        <span class="points">{format_points(item.points)}</span>
                        <Show
                            when=move || asking.get() == Some(code)
                            fallback=move || view! {
                                <button type="button" class="secondary"
                                    on:click=move |_| asking.set(Some(code))
                                    aria-label=move || lang.get().pick(
                                        format!("{}と交換する", item.name_ja),
                                        format!("Exchange for {}", item.name_en),
                                    )>
                                    {t("交換する", "Exchange")}
                                </button>
                            }
                        >
                            <span class="confirm-exchange" role="group" aria-label=move || lang.get().pick("交換の確認", "Confirm the exchange")>
                                {move || lang.get().pick(
                                    format!("{}を使って交換しますか？", format_points(item.points)),
                                    format!("Use {} for this?", format_points(item.points)),
                                )}
                                " "
                                <button type="button" class="primary"
                                    disabled=move || form.action.pending().get()
                                    on:click=move |_| form.submit(UseRequest::Item { code: code.to_string() })>
                                    {t("交換を確定する", "Confirm")}
                                </button>
                                " "
                                <button type="button" class="secondary" on:click=move |_| asking.set(None)>
                                    {t("やめる", "Cancel")}
                                </button>
                            </span>
                        </Show>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PartnerItem(
    partner: PartnerView,
    version: RwSignal<u32>,
    done: RwSignal<Option<Text>>,
) -> AnyView {
    let lang = use_lang();
    let PartnerView {
        partner,
        number,
        ratio,
    } = partner;
    let code = partner.code();
    let account = account_in_url();
    let link = ServerAction::<LinkPartner>::new();
    let link_outcome = form_outcome(link.value());
    Effect::new(move |_| {
        if link_outcome.get() == Outcome::Done {
            done.set(Some(Text::new(
                "会員番号を登録しました。",
                "Member number linked.",
            )));
            version.update(|v| *v += 1);
        }
    });
    let transfer = UseForm::new(
        version,
        done,
        Text::new(
            "ポイント移行を申し込みました。提携先の確認後に完了します。",
            "Transfer requested. It completes when the partner confirms it.",
        ),
    );
    let transfer_points = RwSignal::new(String::new());
    let editing = RwSignal::new(number.is_none());
    let (unit_ja, unit_en) = partner.unit_names();
    let digits = partner.number_digits();
    let points_id = format!("transfer-points-{code}");
    let linked = number.is_some();
    view! {
        <li class="partner" data-testid="partner" data-partner=code>
            <h3>{move || partner_name(lang.get(), partner)}</h3>
            <p class="sub">{move || lang.get().pick(
                format!("{} → {}{unit_ja}", format_points(ratio.points), format_count(ratio.units)),
                format!("{} → {} {unit_en}", format_points(ratio.points), format_count(ratio.units)),
            )}</p>
            {number.map(|n| view! {
                <p>
                    {t("登録済みの会員番号", "Linked number")} " "
                    <span data-testid="partner-number">{n}</span> " "
                    <button type="button" class="link" on:click=move |_| editing.update(|e| *e = !*e)
                        aria-expanded=move || editing.get().to_string()>
                        {t("変更", "Change")}
                    </button>
                </p>
            })}
            <Show when=move || editing.get()>
                <FormNotice outcome=link_outcome />
                <ActionForm action=link attr:class="inline">
                    <input type="hidden" name="partner" value=code />
                    {account.get_untracked().map(|a| view! { <input type="hidden" name="account" value=a.to_string() /> })}
                    <div class="field">
                        <label for=format!("partner-number-{code}")>{move || lang.get().pick(
                            format!("{}の会員番号（{digits}桁）", partner.names().0),
                            format!("{} number ({digits} digits)", partner.names().1),
                        )}</label>
                        <input id=format!("partner-number-{code}") name="number" type="text" inputmode="numeric" autocomplete="off"
                            aria-invalid=move || link_outcome.get().problem(Field::PartnerNumber).is_some().then_some("true") />
                        {move || link_outcome.get().problem(Field::PartnerNumber).map(|p| {
                            let text = messages::problem(Field::PartnerNumber, p);
                            view! { <p class="error" role="alert">{move || text.get(lang.get())}</p> }
                        })}
                    </div>
                    <button type="submit" class="secondary" disabled=move || link.pending().get()>{t("登録する", "Link")}</button>
                </ActionForm>
            </Show>
            {linked.then(|| view! {
                <FormNotice outcome=transfer.outcome />
                <form class="inline" on:submit=move |ev| {
                    ev.prevent_default();
                    transfer.submit(UseRequest::Transfer { partner, points: parse_points(&transfer_points.get_untracked()) });
                }>
                    <div class="field">
                        <label for=points_id.clone()>{t("移行するポイント", "Points to transfer")}</label>
                        <input id=points_id.clone() type="text" inputmode="numeric" autocomplete="off"
                            prop:value=transfer_points on:input=move |ev| transfer_points.set(event_target_value(&ev))
                            aria-invalid=move || transfer.outcome.get().problem(Field::Points).is_some().then_some("true") />
                        <UseProblem outcome=transfer.outcome />
                    </div>
                    <button type="submit" class="primary" disabled=move || transfer.action.pending().get()
                        aria-label=move || lang.get().pick(
                            format!("{}へ移行する", partner.names().0),
                            format!("Transfer to {}", partner.names().1),
                        )>
                        {t("移行する", "Transfer")}
                    </button>
                </form>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn UseItem(item: UseView) -> AnyView {
    let lang = use_lang();
    let UseView {
        points,
        kind,
        created_at,
        ..
    } = item;
    let (what, status) = match kind {
        UseKind::Bill {
            credit_yen,
            payment_date,
        } => (
            Box::new(move |l: Lang| {
                l.pick(
                    format!(
                        "お支払いへの充当 {}（{}のお支払い）",
                        format_yen(credit_yen),
                        format_date(l, &payment_date)
                    ),
                    format!(
                        "Bill credit {} (payment on {})",
                        format_yen(credit_yen),
                        format_date(l, &payment_date)
                    ),
                )
            }) as Box<dyn Fn(Lang) -> String + Send + Sync>,
            None,
        ),
        UseKind::Item { code } => (
            Box::new(move |l: Lang| {
                catalog_item(&code)
                    .map_or(code.clone(), |i| l.pick(i.name_ja, i.name_en).to_string())
            }) as Box<dyn Fn(Lang) -> String + Send + Sync>,
            None,
        ),
        UseKind::Transfer {
            partner,
            units,
            status,
        } => (
            Box::new(move |l: Lang| {
                let (ja, en) = partner.unit_names();
                l.pick(
                    format!(
                        "{}へ移行 {}{ja}",
                        partner_name(l, partner),
                        format_count(units)
                    ),
                    format!(
                        "Transfer to {}: {} {en}",
                        partner_name(l, partner),
                        format_count(units)
                    ),
                )
            }) as Box<dyn Fn(Lang) -> String + Send + Sync>,
            Some(status),
        ),
    };
    view! {
        <li class="use" data-testid=if status.is_some() { "transfer" } else { "use" } data-status=status.map(|s| s.code())>
            <span class="date">{move || format_moment(lang.get(), created_at)}</span>
            <span class="what">{move || what(lang.get())}</span>
            <span class="points">{format_points(-points)}</span>
            {status.map(|s| view! {
                <span class="badge" data-testid="transfer-status">{match s {
                    TransferStatus::Requested => t("申請中", "Requested")(),
                    TransferStatus::Completed => t("完了", "Completed")(),
                    TransferStatus::Failed => t("不成立（ポイントを返却しました）", "Failed (points returned)")(),
                }}</span>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn HistoryItem(line: PointsLine) -> impl IntoView {
    let lang = use_lang();
    let PointsLine {
        at,
        delta,
        kind,
        reason,
    } = line;
    let what = move || {
        let l = lang.get();
        let label = match kind.as_str() {
            "earn" => l.pick("ご利用による獲得", "Earned"),
            "reverse" => l.pick("返品による取り消し", "Refund reversal"),
            "bonus" => l.pick("ボーナス", "Bonus"),
            "use" => l.pick("ご利用", "Used"),
            "return" => l.pick("移行不成立による返却", "Returned (transfer failed)"),
            "expire" => l.pick("有効期限切れ", "Expired"),
            _ => "",
        };
        let detail = match kind.as_str() {
            "earn" | "reverse" => format!("：{reason}"),
            "bonus" if reason == "welcome" => l.pick("：ご入会特典", ": welcome").to_string(),
            _ => String::new(),
        };
        format!("{label}{detail}")
    };
    view! {
        <li>
            <span class="date">{move || format_moment(lang.get(), at)}</span>
            <span class="what">{what}</span>
            <span class=if delta < 0 { "points minus" } else { "points" }>{format_points(delta)}</span>
        </li>
    }
}
