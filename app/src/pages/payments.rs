//! Payments (C1, C2, D2): what each coming payment date will debit and what was paid, moving posted
//! lump-sum charges to pay-later revolving (あとリボ) or instalments (分割) with the fee and the new
//! schedule shown before the member confirms, undoing that before the cut-off, and the
//! spending-power check.

use leptos::prelude::*;
use portal_domain::api::{
    ChargeView, DueView, Field, PaymentsView, PlanPreview, PlanSeen, PlanView, Reply,
};
use portal_domain::card::masked;
use portal_domain::money::format_yen;
use portal_domain::payments::{INSTALMENT_COUNTS, PlanChoice, PlanKind};

use crate::api::{CheckSpendingPower, change_plan, load_payments, undo_plan};
use crate::components::{
    AccountSwitcher, FormNotice, Outcome, account_in_url, answered, form_outcome,
};
use crate::i18n::{Lang, Text, format_date, t, use_lang};
use crate::messages;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let lang = use_lang();
    // Bumped after a change, so the schedule is read again.
    let version = RwSignal::new(0u32);
    let done = RwSignal::new(None::<Text>);
    let account = account_in_url();
    let payments = Resource::new(
        move || (version.get(), account.get()),
        |(_, account)| load_payments(account),
    );
    view! {
        <h1>{t("お支払い", "Payments")}</h1>
        <AccountSwitcher path="/payments" holder_only=true />
        <div role="status" aria-live="polite">
            {move || done.get().map(|text| view! { <p class="notice ok" data-testid="payments-done">{move || text.get(lang.get())}</p> })}
        </div>
        <Transition fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                answered(payments.await, |view| view! { <Payments view version done /> }.into_any())
            })}
        </Transition>
        <SpendingPower />
    }
}

#[component]
fn Payments(view: PaymentsView, version: RwSignal<u32>, done: RwSignal<Option<Text>>) -> AnyView {
    let PaymentsView {
        coming,
        history,
        plans,
        eligible,
        terms,
        ..
    } = view;
    view! {
        <section class="panel" aria-labelledby="schedule-title">
            <h2 id="schedule-title">{t("お支払い予定", "Coming payments")}</h2>
            {coming.is_empty().then(|| view! { <p class="empty">{t("予定されているお支払いはありません。", "Nothing is due.")}</p> })}
            <ul class="dues">
                {coming.into_iter().map(|due| view! { <DueItem due change=false /> }).collect_view()}
            </ul>
            <p class="sub">
                {t(
                    "手数料は、お支払い日の翌日から次のお支払い日までの日数分を日割りで計算し、1円未満を切り捨てています。",
                    "Fees are counted by the day from the day after one payment date to the next, and rounded down to the yen.",
                )}
            </p>
        </section>
        <PlanList plans version done />
        <ChangeForm eligible terms version done />
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{t("お支払い履歴", "Past payments")}</h2>
            {history.is_empty().then(|| view! { <p class="empty">{t("お支払い履歴はありません。", "No payments yet.")}</p> })}
            <ul class="dues history">
                {history.into_iter().map(|due| view! { <DueItem due change=false /> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// `¥1,200`, or for a change `+¥1,200` / `-¥1,200`.
fn yen(amount: i64, signed: bool) -> String {
    if signed && amount > 0 {
        format!("+{}", format_yen(amount))
    } else {
        format_yen(amount)
    }
}

/// One payment date: the total and its parts. With `change`, the figures are what a change adds.
#[component]
fn DueItem(due: DueView, change: bool) -> AnyView {
    let lang = use_lang();
    let DueView { date, due, fixed } = due;
    let parts: Vec<((&'static str, &'static str), i64)> = [
        (("一括払い", "Lump sum"), due.lump_sum_yen),
        (
            ("あとリボ（元金）", "Revolving (principal)"),
            due.revolving_yen,
        ),
        (("あとリボ手数料", "Revolving fee"), due.revolving_fee_yen),
        (
            ("分割払い（元金）", "Instalments (principal)"),
            due.instalment_yen,
        ),
        (("分割払い手数料", "Instalment fee"), due.instalment_fee_yen),
        (
            ("ポイント充当・調整", "Points and adjustments"),
            -due.credit_yen,
        ),
    ]
    .into_iter()
    .filter(|(_, amount)| *amount != 0)
    .collect();
    let shown_date = date.clone();
    view! {
        <li class="due" data-testid=if change { "change" } else { "due" } data-date=date>
            <div class="due-head">
                <span class="date">{move || format_date(lang.get(), &shown_date)}</span>
                <span class="amount" data-testid="due-total">{yen(due.total_yen(), change)}</span>
            </div>
            {(!change).then(|| {
                view! {
                    <span class="badge">
                        {if fixed { t("金額確定", "Amount fixed")() } else { t("変更できます", "Can still change")() }}
                    </span>
                }
            })}
            <dl class="due-parts">
                {parts
                    .into_iter()
                    .map(|((ja, en), amount)| {
                        view! {
                            <div>
                                <dt>{move || lang.get().pick(ja, en)}</dt>
                                <dd>{yen(amount, change)}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </li>
    }
    .into_any()
}

fn plan_label(lang: Lang, kind: PlanKind, monthly_yen: i64, payments: u8) -> String {
    match kind {
        PlanKind::Revolving => lang.pick(
            format!("あとリボ（毎月{}）", format_yen(monthly_yen)),
            format!("Revolving ({} a month)", format_yen(monthly_yen)),
        ),
        PlanKind::Instalments => lang.pick(
            format!("分割払い（{payments}回）"),
            format!("Instalments ({payments} payments)"),
        ),
    }
}

#[component]
fn PlanList(plans: Vec<PlanView>, version: RwSignal<u32>, done: RwSignal<Option<Text>>) -> AnyView {
    let lang = use_lang();
    let account = account_in_url();
    let undo = Action::new(move |id: &i64| undo_plan(*id, account.get_untracked()));
    let outcome = Memo::new(move |_| {
        undo.value()
            .get()
            .map(|r| Outcome::of(&r))
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        if outcome.get() == Outcome::Done {
            done.set(Some(Text::new(
                "変更を取り消しました。一括払いに戻りました。",
                "Undone: the charge is back to a lump sum.",
            )));
            version.update(|v| *v += 1);
        }
    });
    if plans.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="panel" aria-labelledby="plans-title">
            <h2 id="plans-title">{t("お支払い方法を変更したご利用", "Charges with a changed payment")}</h2>
            <FormNotice outcome />
            <ul class="plans">
                {plans
                    .into_iter()
                    .map(|plan| {
                        let PlanView { plan_id, kind, merchant, used_on, amount_yen, monthly_yen, payments, first_payment, undo_until } = plan;
                        let label_merchant = merchant.clone();
                        view! {
                            <li class="plan" data-testid="plan" data-kind=kind.code()>
                                <p class="main">
                                    <span class="date">{move || format_date(lang.get(), &used_on)}</span>
                                    <span class="merchant">{merchant}</span>
                                    <span class="amount">{format_yen(amount_yen)}</span>
                                </p>
                                <p>
                                    {move || plan_label(lang.get(), kind, monthly_yen, payments)}
                                    " · "
                                    {move || lang.get().pick(
                                        format!("{}のお支払いから", format_date(lang.get(), &first_payment)),
                                        format!("from the payment on {}", format_date(lang.get(), &first_payment)),
                                    )}
                                </p>
                                {match undo_until {
                                    Some(until) => view! {
                                        <p>
                                            <button
                                                type="button"
                                                class="secondary"
                                                on:click=move |_| { undo.dispatch(plan_id); }
                                                disabled=move || undo.pending().get()
                                                aria-label=move || lang.get().pick(
                                                    format!("{label_merchant}の変更を取り消す"),
                                                    format!("Undo the change to {label_merchant}"),
                                                )
                                            >
                                                {t("取り消す", "Undo")}
                                            </button>
                                            " "
                                            <span class="sub">{move || lang.get().pick(
                                                format!("{}まで取り消しできます", format_date(lang.get(), &until)),
                                                format!("Can be undone until {}", format_date(lang.get(), &until)),
                                            )}</span>
                                        </p>
                                    }.into_any(),
                                    None => view! {
                                        <p class="sub">{t("お支払い金額が確定したため、取り消しはできません。", "The payment is fixed; this can no longer be undone.")}</p>
                                    }.into_any(),
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn ChangeForm(
    eligible: Vec<ChargeView>,
    terms: portal_domain::payments::PlanTerms,
    version: RwSignal<u32>,
    done: RwSignal<Option<Text>>,
) -> AnyView {
    let lang = use_lang();
    let kind = RwSignal::new(PlanKind::Revolving);
    let selected = RwSignal::new(Vec::<i64>::new());
    let course = RwSignal::new(terms.revolving_courses.first().copied().unwrap_or(10_000));
    let count = RwSignal::new(INSTALMENT_COUNTS[0]);
    let preview = RwSignal::new(None::<PlanPreview>);
    type Ask = (Vec<i64>, PlanChoice, bool, Option<PlanSeen>);
    let account = account_in_url();
    let submit = Action::new(move |(ids, choice, confirm, seen): &Ask| {
        change_plan(
            ids.clone(),
            *choice,
            *confirm,
            seen.clone(),
            account.get_untracked(),
        )
    });
    let outcome = Memo::new(move |_| {
        submit
            .value()
            .get()
            .map(|r| Outcome::of(&r))
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        if let Some(Ok(Reply::Done(answer))) = submit.value().get() {
            if answer.confirmed {
                preview.set(None);
                done.set(Some(match answer.choice {
                    PlanChoice::Revolving { .. } => Text::new(
                        "あとリボに変更しました。新しいお支払い予定をご確認ください。",
                        "Moved to revolving. The new schedule is below.",
                    ),
                    PlanChoice::Instalments { payments } => Text::new(
                        format!(
                            "{payments}回払いに変更しました。新しいお支払い予定をご確認ください。"
                        ),
                        format!("Split into {payments} payments. The new schedule is below."),
                    ),
                }));
                version.update(|v| *v += 1);
            } else {
                preview.set(Some(answer));
            }
        }
    });
    let choice = move || match kind.get() {
        PlanKind::Revolving => PlanChoice::Revolving {
            monthly_yen: course.get(),
        },
        PlanKind::Instalments => PlanChoice::Instalments {
            payments: count.get(),
        },
    };
    // Any change of what is chosen makes a shown preview stale.
    Effect::new(move |_| {
        let _ = (kind.get(), selected.get(), course.get(), count.get());
        preview.set(None);
    });
    let ask = move |confirm: bool| {
        if !submit.pending().get_untracked() {
            let seen = preview.get_untracked().map(|p| PlanSeen {
                applies_from: p.applies_from,
                fee_total_yen: p.fee_total_yen,
            });
            submit.dispatch((selected.get_untracked(), choice(), confirm, seen));
        }
    };
    let rate = format!(
        "{}.{:02}",
        terms.annual_rate_bp / 100,
        terms.annual_rate_bp % 100
    );
    let cutoff_days = terms.cutoff_days;
    let courses = terms.revolving_courses.clone();
    view! {
        <section class="panel" aria-labelledby="change-title">
            <h2 id="change-title">{t("あとリボ・分割払いへの変更", "Pay later: revolving or instalments")}</h2>
            <p class="sub">
                {move || lang.get().pick(
                    format!("一括払いのご利用を、あとからリボ払い（あとリボ）や分割払いに変更できます。手数料は実質年率{rate}%です。変更と取り消しは、お支払い日の{cutoff_days}日前まで受け付けます。それ以降のお申し込みは翌月のお支払いから変更されます。"),
                    format!("Move a lump-sum charge to revolving or split it into instalments after the fact. The fee is {rate}% a year. Changes and undos are taken until {cutoff_days} days before the payment date; later changes apply from the next month's payment."),
                )}
            </p>
            {eligible.is_empty().then(|| view! { <p class="empty">{t("変更できるご利用はありません。", "No charges can be changed now.")}</p> })}
            <FormNotice outcome />
            {move || {
                let current = outcome.get();
                [Field::Charges, Field::Plan]
                    .into_iter()
                    .find_map(|f| current.problem(f).map(|p| messages::problem(f, p)))
                    .map(|text| view! { <p class="error" data-testid="plan-problem">{move || text.get(lang.get())}</p> })
            }}
            <fieldset class="plan-kind">
                <legend>{t("お支払い方法", "How to pay")}</legend>
                <label class="check">
                    <input type="radio" name="plan-kind" value="revolving" prop:checked=move || kind.get() == PlanKind::Revolving on:change=move |_| { kind.set(PlanKind::Revolving); } />
                    {t("あとリボ（リボ払い）", "Revolving (あとリボ)")}
                </label>
                <label class="check">
                    <input type="radio" name="plan-kind" value="instalments" prop:checked=move || kind.get() == PlanKind::Instalments on:change=move |_| { kind.set(PlanKind::Instalments); selected.update(|s| s.truncate(1)); } />
                    {t("分割払い", "Instalments")}
                </label>
            </fieldset>
            <fieldset class="charges" aria-describedby="charges-hint">
                <legend>{t("変更するご利用", "Charges to change")}</legend>
                <p class="sub" id="charges-hint">
                    {move || match kind.get() {
                        PlanKind::Revolving => t("1件以上選べます。", "Choose one or more.")(),
                        PlanKind::Instalments => t("1件選んでください。", "Choose one.")(),
                    }}
                </p>
                <ul class="charge-list">
                    {eligible
                        .into_iter()
                        .map(|charge| {
                            let ChargeView { id, used_on, merchant, last_digits, amount_yen, statement_payment, applies_from } = charge;
                            let late = statement_payment != applies_from;
                            let input_id = format!("charge-{id}");
                            view! {
                                <li data-testid="charge">
                                    <input
                                        id=input_id.clone()
                                        type=move || if kind.get() == PlanKind::Instalments { "radio" } else { "checkbox" }
                                        name="charge"
                                        value=id.to_string()
                                        prop:checked=move || selected.with(|s| s.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| {
                                                if kind.get_untracked() == PlanKind::Instalments {
                                                    s.clear();
                                                }
                                                s.retain(|x| *x != id);
                                                if on {
                                                    s.push(id);
                                                }
                                            });
                                        }
                                    />
                                    <label for=input_id>
                                        <span class="date">{move || format_date(lang.get(), &used_on)}</span>
                                        " "
                                        <span class="merchant">{merchant}</span>
                                        " "
                                        <span class="amount">{format_yen(amount_yen)}</span>
                                        " "
                                        <span class="sub">{masked(&last_digits)}</span>
                                        {late.then(|| {
                                            let from = applies_from.clone();
                                            view! {
                                                <span class="sub late">
                                                    {move || lang.get().pick(
                                                        format!("締め切り後のため、{}のお支払いから変更されます", format_date(lang.get(), &from)),
                                                        format!("Past the cut-off: applies from the payment on {}", format_date(lang.get(), &from)),
                                                    )}
                                                </span>
                                            }
                                        })}
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </fieldset>
            <Show
                when=move || kind.get() == PlanKind::Revolving
                fallback=move || view! {
                    <div class="field">
                        <label for="plan-count">{t("お支払い回数", "Number of payments")}</label>
                        <select id="plan-count" on:change=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { count.set(n); } }>
                            {INSTALMENT_COUNTS.iter().map(|n| {
                                let n = *n;
                                view! { <option value=n.to_string() selected=move || count.get() == n>{move || lang.get().pick(format!("{n}回"), format!("{n} payments"))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
            >
                <div class="field">
                    <label for="plan-course">{t("毎月のお支払い額（コース）", "Monthly amount (course)")}</label>
                    <select id="plan-course" on:change=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { course.set(n); } }>
                        {courses.iter().map(|c| {
                            let c = *c;
                            view! { <option value=c.to_string() selected=move || course.get() == c>{move || lang.get().pick(format!("毎月{}", format_yen(c)), format!("{} a month", format_yen(c)))}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| ask(false) disabled=move || submit.pending().get() || selected.with(Vec::is_empty)>
                    {t("手数料とお支払い予定を確認", "Show the fee and schedule")}
                </button>
            </div>
            {move || preview.get().map(|p| view! { <Preview preview=p cutoff_days on_confirm=move || ask(true) on_cancel=move || preview.set(None) pending=submit.pending() /> })}
        </section>
    }
    .into_any()
}

#[component]
fn Preview(
    preview: PlanPreview,
    cutoff_days: u8,
    on_confirm: impl Fn() + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
    pending: Memo<bool>,
) -> AnyView {
    let lang = use_lang();
    let PlanPreview {
        amount_yen,
        statement_payment,
        applies_from,
        changes,
        fee_total_yen,
        ..
    } = preview;
    let late = statement_payment != applies_from;
    // Keyboard and screen-reader users land on what they asked to see.
    let shown = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(div) = shown.get() {
            let _ = div.focus();
        }
    });
    view! {
        <div class="preview" data-testid="plan-preview" tabindex="-1" node_ref=shown aria-labelledby="preview-title">
            <h3 id="preview-title">{t("変更内容のご確認", "Check the change")}</h3>
            <dl class="figures">
                <div><dt>{t("対象のご利用", "Charges")}</dt><dd>{format_yen(amount_yen)}</dd></div>
                <div><dt>{t("手数料の合計", "Total fee")}</dt><dd data-testid="plan-fee">{format_yen(fee_total_yen)}</dd></div>
            </dl>
            <p>
                {move || lang.get().pick(
                    format!("{}のお支払いから変更されます。", format_date(lang.get(), &applies_from)),
                    format!("The change applies from the payment on {}.", format_date(lang.get(), &applies_from)),
                )}
                {late.then(|| {
                    let statement_payment = statement_payment.clone();
                    move || lang.get().pick(
                        format!("締め切り（お支払い日の{cutoff_days}日前）を過ぎたため、{}のお支払いは一括のまま引き落とされ、その分を翌月のご請求で調整します。", format_date(lang.get(), &statement_payment)),
                        format!(" The cut-off ({cutoff_days} days before the payment date) has passed: the payment on {} is debited as billed and adjusted on the next statement.", format_date(lang.get(), &statement_payment)),
                    )
                })}
            </p>
            <h4>{t("お支払い額の変わり方", "How your payments change")}</h4>
            <ul class="dues">
                {changes.into_iter().map(|due| view! { <DueItem due change=true /> }).collect_view()}
            </ul>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| on_confirm() disabled=move || pending.get()>
                    {t("この内容で変更する", "Make this change")}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel()>
                    {t("やめる", "Cancel")}
                </button>
            </div>
        </div>
    }
    .into_any()
}

/// D2: whether an amount would be approved now; the internal line is never shown.
#[component]
fn SpendingPower() -> AnyView {
    let lang = use_lang();
    let account = account_in_url();
    let check = ServerAction::<CheckSpendingPower>::new();
    let outcome = form_outcome(check.value());
    let answer = move || match check.value().get() {
        Some(Ok(Reply::Done(a))) => Some(a),
        _ => None,
    };
    view! {
        <section class="panel" aria-labelledby="power-title">
            <h2 id="power-title">{t("ご利用可能額の確認", "Check your spending power")}</h2>
            <p class="sub">
                {t(
                    "このカードには一律のご利用限度額がありません。ご予定の金額を入力すると、現時点で承認される見込みかどうかをお知らせします。",
                    "This card has no preset spending limit. Enter an amount to learn whether a purchase of it would be approved now.",
                )}
            </p>
            <FormNotice outcome />
            <ActionForm action=check attr:class="inline">
                {move || account.get().map(|a| view! { <input type="hidden" name="account" value=a.to_string() /> })}
                <div class="field">
                    <label for="power-amount">{t("ご利用予定金額（円）", "Amount (yen)")}</label>
                    <input
                        id="power-amount"
                        name="amount"
                        type="text"
                        inputmode="numeric"
                        autocomplete="transaction-amount"
                        aria-invalid=move || outcome.get().problem(portal_domain::api::Field::Amount).is_some().then_some("true")
                        aria-describedby="power-error"
                    />
                    <p class="error" id="power-error">
                        {move || outcome.get().problem(portal_domain::api::Field::Amount).map(|p| messages::problem(portal_domain::api::Field::Amount, p).get(lang.get()))}
                    </p>
                </div>
                <button type="submit" class="primary" disabled=move || check.pending().get()>{t("確認する", "Check")}</button>
            </ActionForm>
            <div role="status" aria-live="polite">
                {move || answer().map(|a| {
                    let amount = format_yen(a.amount_yen);
                    view! {
                        <p class=if a.approved { "notice ok" } else { "notice" } data-testid="spending-answer" data-approved=a.approved.to_string()>
                            {move || if a.frozen {
                                lang.get().pick(
                                    format!("このカードは一時停止中のため、{amount}のご利用は承認されません。ご利用の前に一時停止を解除してください。"),
                                    format!("This card is frozen, so a purchase of {amount} would not be approved. Unfreeze it before you buy."),
                                )
                            } else if a.approved {
                                lang.get().pick(
                                    format!("{amount}のご利用は、現時点で承認される見込みです。"),
                                    format!("A purchase of {amount} would be approved now."),
                                )
                            } else {
                                lang.get().pick(
                                    format!("{amount}のご利用は、現時点では承認されない可能性があります。ご利用前にカード裏面の会員専用ダイヤルへご相談ください。"),
                                    format!("A purchase of {amount} might not be approved now. Call the member line on the back of your card before you buy."),
                                )
                            }}
                        </p>
                        <p class="sub">{t("ご利用時のカードのご利用状況により、結果が変わることがあります。", "The answer at the time of purchase may differ with how the card is used until then.")}</p>
                    }
                })}
            </div>
        </section>
    }
    .into_any()
}
