//! Card activity (D3–D6): filters that live in the URL, totals with a subtotal per card holder and
//! per category, lines page by page, the member's category and memo on each line, the CSV.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use portal_domain::activity::{CATEGORIES, LineStatus};
use portal_domain::api::{ActivityLine, ActivitySummary, Reply};
use portal_domain::card::masked;
use portal_domain::money::{format_foreign, format_yen};

use crate::api::{FilterQuery, load_activity_page, load_activity_summary, set_line_note};
use crate::components::{AccountSwitcher, Outcome, SignInFirst, UnavailableNotice};
use crate::i18n::{format_date, t, use_lang};
use crate::messages;

fn filter_query() -> Memo<FilterQuery> {
    let query = use_query_map();
    Memo::new(move |_| FilterQuery {
        pairs: query
            .read()
            .clone()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .filter(|(k, _)| k != "cursor")
            .collect(),
    })
}

fn query_string(query: &FilterQuery) -> String {
    query
        .pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", crate::url::encode(k), crate::url::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let query = filter_query();
    let summary = Resource::new(move || query.get(), load_activity_summary);
    let first = Resource::new(move || query.get(), |q| load_activity_page(q, None));
    let lang = use_lang();
    view! {
        <div class="activity-page">
        <h1>{t("ご利用明細", "Card activity")}</h1>
        <AccountSwitcher path="/activity" holder_only=false />
        <Suspense fallback=move || view! { <p aria-busy="true">{t("読み込み中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(Reply::Done(view)) => view! { <Overview view query /> }.into_any(),
                    Ok(Reply::Refused(portal_domain::api::Refusal::SignedOut)) => {
                        view! { <SignInFirst /> }.into_any()
                    }
                    Ok(Reply::Refused(r)) => {
                        view! {
                            <div class="notice error" role="alert">
                                <p>{move || messages::refusal(r).get(lang.get())}</p>
                                <p><a href="/activity">{t("条件をクリア", "Clear the filter")}</a></p>
                            </div>
                        }
                            .into_any()
                    }
                    _ => {
                        view! { <UnavailableNotice /> }.into_any()
                    }
                }
            })}
        </Suspense>
        <Suspense fallback=move || view! { <p aria-busy="true">{t("明細を読み込み中…", "Loading lines…")}</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Ok(Reply::Done(page)) => view! { <Lines first=page.lines next=page.next query /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(Reply::Done(view)) => view! { <Breakdown view /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
        </div>
    }
}

/// What the filter selects and the filter itself, above the lines. On phones the filter is folded
/// under 絞り込み (open when one is applied, and naming what is applied); on desktops it stays open.
#[component]
fn Overview(view: ActivitySummary, query: Memo<FilterQuery>) -> impl IntoView {
    let lang = use_lang();
    let current = move |key: &str| {
        query
            .read()
            .pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let ActivitySummary {
        cards,
        periods,
        total,
        ..
    } = view;
    let csv = move || format!("/activity.csv?{}", query_string(&query.get()));
    let clear = match current("account") {
        account if account.is_empty() => "/activity".to_string(),
        account => format!("/activity?account={}", crate::url::encode(&account)),
    };
    let applied = move || applied_filters(&query.get(), lang.get());
    let filters = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        let wide = window()
            .match_media(WIDE_SCREEN)
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if let Some(details) = filters.get()
            && wide
        {
            details.set_open(true);
        }
    });
    view! {
        <section class="panel totals overview" aria-labelledby="totals-title">
            <h2 id="totals-title">{t("表示中の合計", "Total of what is shown")}</h2>
            <p class="total">
                <span data-testid="activity-total">{format_yen(total.yen)}</span>
                <span class="sub" data-testid="activity-count" data-count=total.count.to_string()>
                    {move || lang.get().pick(format!("（{}件）", total.count), format!(" ({} lines)", total.count))}
                </span>
            </p>
            <p>
                <a class="download" href=csv download>
                    {t("CSVをダウンロード（表示中の条件）", "Download CSV (this filter)")}
                </a>
            </p>
            {move || {
                let period = current("period");
                (!period.is_empty() && period != "open")
                    .then(|| {
                        let mut href = format!("/statement.pdf?period={}", crate::url::encode(&period));
                        let account = current("account");
                        if !account.is_empty() {
                            href.push_str(&format!("&account={}", crate::url::encode(&account)));
                        }
                        view! {
                            <p>
                                <a class="download" href=href download>
                                    {move || lang.get().pick(
                                        format!("PDFのご利用代金明細書（{}締め）", format_date(lang.get(), &period)),
                                        format!("PDF statement (closing {})", format_date(lang.get(), &period)),
                                    )}
                                </a>
                            </p>
                        }
                    })
            }}
        </section>
        <details class="panel filters" open=!applied_filters(&query.get_untracked(), lang.get_untracked()).is_empty() node_ref=filters>
            <summary>
                {t("絞り込み", "Filter")}
                {move || {
                    let shown = applied();
                    (!shown.is_empty()).then(|| view! { <span class="applied">{shown.join(" · ")}</span> })
                }}
            </summary>
            <Form method="GET" action="/activity" attr:class="filter-form">
                {(!current("account").is_empty()).then(|| view! { <input type="hidden" name="account" value=current("account") /> })}
                <div class="field">
                    <label for="period">{t("お支払い期間（締め日）", "Statement period")}</label>
                    <select id="period" name="period">
                        <option value="" selected=current("period").is_empty()>{t("すべて", "All")}</option>
                        {periods
                            .into_iter()
                            .map(|p| {
                                let selected = current("period") == p.closing_date;
                                let value = p.closing_date.clone();
                                let label = move || {
                                    let l = lang.get();
                                    if p.closing_date == "open" {
                                        l.pick("未確定（今回締め分）".to_string(), "Open period (not closed yet)".to_string())
                                    } else {
                                        l.pick(
                                            format!("{}締め（{}払い）", format_date(l, &p.closing_date), format_date(l, &p.payment_date)),
                                            format!("Closing {} (due {})", format_date(l, &p.closing_date), format_date(l, &p.payment_date)),
                                        )
                                    }
                                };
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="from">{t("利用日（から）", "Used from")}</label>
                        <input id="from" name="from" type="date" value=current("from") />
                    </div>
                    <div class="field">
                        <label for="to">{t("利用日（まで）", "Used until")}</label>
                        <input id="to" name="to" type="date" value=current("to") />
                    </div>
                </div>
                <div class="field">
                    <label for="card">{t("カード", "Card")}</label>
                    <select id="card" name="card">
                        <option value="" selected=current("card").is_empty()>{t("すべてのカード", "All cards")}</option>
                        {cards
                            .into_iter()
                            .map(|c| {
                                let selected = current("card") == c.last_digits;
                                let value = c.last_digits.clone();
                                let label = move || {
                                    let holder = lang.get().pick(c.holder_ja.clone(), c.holder_en.clone());
                                    let kind = if c.family { lang.get().pick("（家族カード）", " (family card)") } else { "" };
                                    let state = if c.frozen { lang.get().pick("・停止中", " · Frozen") } else { "" };
                                    format!("{holder}{kind} {}{state}", masked(&c.last_digits))
                                };
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="q">{t("利用店名・メモ", "Merchant or memo")}</label>
                    <input id="q" name="q" type="search" autocomplete="off" value=current("q") />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="min">{t("金額（円）下限", "Lowest amount (¥)")}</label>
                        <input id="min" name="min" type="text" inputmode="numeric" value=current("min") />
                    </div>
                    <div class="field">
                        <label for="max">{t("金額（円）上限", "Highest amount (¥)")}</label>
                        <input id="max" name="max" type="text" inputmode="numeric" value=current("max") />
                    </div>
                </div>
                <div class="field">
                    <label for="status">{t("状態", "Status")}</label>
                    <select id="status" name="status">
                        <option value="" selected=current("status").is_empty()>{t("すべて", "All")}</option>
                        <option value="posted" selected=current("status") == "posted">{t("確定", "Posted")}</option>
                        <option value="pending" selected=current("status") == "pending">{t("未確定（保留中）", "Pending")}</option>
                    </select>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">{t("絞り込む", "Apply")}</button>
                    <a href=clear>{t("条件をクリア", "Clear")}</a>
                </div>
            </Form>
        </details>
    }
}

/// Wider than the phone layout (style/main.css switches at 48rem).
const WIDE_SCREEN: &str = "(min-width: 48.01rem)";

/// The filter's conditions in words, for the folded filter's label; empty when nothing is applied.
fn applied_filters(query: &FilterQuery, lang: crate::i18n::Lang) -> Vec<String> {
    let value = |key: &str| query.value(key).map(str::to_string);
    let mut shown = Vec::new();
    match value("period").as_deref() {
        Some("open") => shown.push(lang.pick("未確定分", "Open period").to_string()),
        Some(closing) => shown.push(lang.pick(
            format!("{}締め", format_date(lang, closing)),
            format!("closing {}", format_date(lang, closing)),
        )),
        None => {}
    }
    match (value("from"), value("to")) {
        (None, None) => {}
        (from, to) => shown.push(format!(
            "{}〜{}",
            from.map(|d| format_date(lang, &d)).unwrap_or_default(),
            to.map(|d| format_date(lang, &d)).unwrap_or_default()
        )),
    }
    if let Some(card) = value("card") {
        shown.push(masked(&card));
    }
    if let Some(text) = value("q") {
        shown.push(format!("「{text}」"));
    }
    match (value("min"), value("max")) {
        (None, None) => {}
        (min, max) => shown.push(format!(
            "¥{}〜{}",
            min.unwrap_or_default(),
            max.map(|m| format!("¥{m}")).unwrap_or_default()
        )),
    }
    match value("status").as_deref() {
        Some("posted") => shown.push(lang.pick("確定", "Posted").to_string()),
        Some("pending") => shown.push(lang.pick("未確定", "Pending").to_string()),
        _ => {}
    }
    shown
}

/// The totals taken apart, below the lines: per card holder and per category.
#[component]
fn Breakdown(view: ActivitySummary) -> impl IntoView {
    let lang = use_lang();
    let ActivitySummary {
        by_holder,
        by_category,
        ..
    } = view;
    let largest = by_category
        .iter()
        .map(|(_, s)| s.yen)
        .max()
        .unwrap_or(0)
        .max(1);
    view! {
        <section class="panel totals breakdown" aria-labelledby="breakdown-title">
            <h2 id="breakdown-title">{t("内訳", "Breakdown")}</h2>
            <h3>{t("カード会員別の小計", "Subtotal per card holder")}</h3>
            <table class="subtotals">
                <tbody>
                    {by_holder
                        .into_iter()
                        .map(|h| {
                            let name = (h.holder_ja.clone(), h.holder_en.clone());
                            let last = h.last_digits.clone();
                            view! {
                                <tr data-testid="holder-subtotal" data-card=last.clone()>
                                    <th scope="row">
                                        {move || lang.get().pick(name.0.clone(), name.1.clone())}
                                        {h.family.then(|| view! { <span class="badge">{t("家族カード", "Family card")}</span> })}
                                        <span class="sub">{masked(&last)}</span>
                                    </th>
                                    <td>{format_yen(h.sum.yen)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <h3>{t("カテゴリー別", "By category")}</h3>
            <ul class="category-chart">
                {by_category
                    .into_iter()
                    .map(|(code, sum)| {
                        let width = format!("width: {}%", (sum.yen.max(0) * 100 / largest).max(1));
                        let name = messages::category(&code);
                        view! {
                            <li>
                                <span class="name">{move || name.get(lang.get())}</span>
                                <span class="bar" aria-hidden="true"><span style=width></span></span>
                                <span class="amount">{format_yen(sum.yen)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Lines(
    first: Vec<ActivityLine>,
    next: Option<String>,
    query: Memo<FilterQuery>,
) -> impl IntoView {
    let lines = RwSignal::new(first);
    let next = RwSignal::new(next);
    let more = Action::new(move |cursor: &String| {
        load_activity_page(query.get_untracked(), Some(cursor.clone()))
    });
    Effect::new(move |_| {
        if let Some(Ok(Reply::Done(page))) = more.value().get() {
            lines.update(|l| l.extend(page.lines));
            next.set(page.next);
        }
    });
    view! {
        <section class="lines-section" aria-labelledby="lines-title">
            <h2 id="lines-title">{t("明細", "Lines")}</h2>
            {move || {
                lines
                    .with(Vec::is_empty)
                    .then(|| view! { <p class="empty">{t("条件に合うご利用はありません。", "No lines match this filter.")}</p> })
            }}
            <ul class="lines">
                <For each=move || lines.get() key=|l| (l.id, l.category.clone(), l.memo.clone()) let:line>
                    <Line line lines />
                </For>
            </ul>
            {move || {
                next.get()
                    .map(|cursor| {
                        view! {
                            <button
                                type="button"
                                class="secondary more"
                                on:click=move |_| { more.dispatch(cursor.clone()); }
                                disabled=move || more.pending().get()
                                aria-busy=move || more.pending().get().then_some("true")
                            >
                                {move || if more.pending().get() { t("読み込み中…", "Loading…")() } else { t("さらに表示", "Show more")() }}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn Line(line: ActivityLine, lines: RwSignal<Vec<ActivityLine>>) -> impl IntoView {
    let lang = use_lang();
    let editing = RwSignal::new(false);
    let category = RwSignal::new(line.category.clone());
    let memo = RwSignal::new(line.memo.clone());
    let id = line.id;
    let save = Action::new(move |(category, memo): &(String, String)| {
        set_line_note(id, category.clone(), memo.clone())
    });
    let outcome = Memo::new(move |_| {
        save.value()
            .get()
            .map(|r| Outcome::of(&r))
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        if outcome.get() == Outcome::Done {
            let (c, m) = (
                category.get_untracked(),
                memo.get_untracked().trim().to_string(),
            );
            lines.update(|all| {
                if let Some(l) = all.iter_mut().find(|l| l.id == id) {
                    l.category = c;
                    l.memo = m;
                }
            });
        }
    });
    let ActivityLine {
        used_on,
        posted_on,
        merchant,
        last_digits,
        holder_ja,
        holder_en,
        amount_yen,
        foreign,
        status,
        category: shown_category,
        memo: shown_memo,
        ..
    } = line;
    let category_name = messages::category(&shown_category);
    let memo_id = format!("memo-{id}");
    let category_id = format!("category-{id}");
    view! {
        <li class="line" data-testid="line">
            <div class="main">
                <span class="date">{move || format_date(lang.get(), &used_on)}</span>
                <span class="merchant">{merchant}</span>
                <span class="amount">{format_yen(amount_yen)}</span>
            </div>
            <div class="details">
                <span class="holder">{move || lang.get().pick(holder_ja.clone(), holder_en.clone())} " " {masked(&last_digits)}</span>
                {foreign.map(|(currency, minor)| view! { <span class="foreign">{format_foreign(&currency, minor)}</span> })}
                <span class=match status { LineStatus::Pending => "status pending", LineStatus::Posted => "status" }>
                    {match status {
                        LineStatus::Pending => t("未確定", "Pending")(),
                        LineStatus::Posted => t("確定", "Posted")(),
                    }}
                </span>
                {posted_on.map(|p| view! { <span class="posted">{move || lang.get().pick(format!("計上 {}", format_date(lang.get(), &p)), format!("posted {}", format_date(lang.get(), &p)))}</span> })}
                <span class="category" data-testid="line-category">{move || category_name.get(lang.get())}</span>
            </div>
            {(!shown_memo.is_empty()).then(|| view! { <p class="memo" data-testid="line-memo">{shown_memo.clone()}</p> })}
            <button
                type="button"
                class="link"
                on:click=move |_| editing.update(|e| *e = !*e)
                aria-expanded=move || editing.get().to_string()
                aria-controls=format!("note-{id}")
            >
                {t("カテゴリー・メモを編集", "Edit category and memo")}
            </button>
            <Show when=move || editing.get()>
                <div class="note-form" id=format!("note-{id}")>
                    <label for=category_id.clone()>{t("カテゴリー", "Category")}</label>
                    <select id=category_id.clone() on:change=move |ev| category.set(event_target_value(&ev))>
                        {CATEGORIES
                            .iter()
                            .map(|code| {
                                let name = messages::category(code);
                                view! { <option value=*code selected=move || category.get() == *code>{move || name.get(lang.get())}</option> }
                            })
                            .collect_view()}
                    </select>
                    <label for=memo_id.clone()>{t("メモ（100文字まで）", "Memo (up to 100 characters)")}</label>
                    <input id=memo_id.clone() type="text" maxlength="100" autocomplete="off" prop:value=memo on:input=move |ev| memo.set(event_target_value(&ev)) />
                    {move || {
                        match outcome.get() {
                            Outcome::Invalid(problems) => problems
                                .first()
                                .map(|(f, p)| messages::problem(*f, *p))
                                .map(|text| view! { <p class="error" role="alert">{move || text.get(lang.get())}</p> }.into_any()),
                            Outcome::Refused(r) => Some(view! { <p class="error" role="alert">{move || messages::refusal(r).get(lang.get())}</p> }.into_any()),
                            Outcome::Unavailable => Some(view! { <p class="error" role="alert">{move || messages::unavailable().get(lang.get())}</p> }.into_any()),
                            _ => None,
                        }
                    }}
                    <button type="button" class="secondary" on:click=move |_| { save.dispatch((category.get_untracked(), memo.get_untracked())); } disabled=move || save.pending().get()>
                        {t("保存", "Save")}
                    </button>
                </div>
            </Show>
        </li>
    }
}
