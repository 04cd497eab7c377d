//! Pieces every form uses: labelled fields with their errors, the notice that announces a refusal,
//! the password strength meter, the step indicator, and what a page shows when it has no data.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use portal_domain::api::{CardView, Field, PolicyView, Problem, Refusal, Reply};
use portal_domain::card::{chosen_account, masked};

use crate::api::{AppError, ConfirmCode, ConfirmPassword, load_cards, send_confirmation_code};
use crate::i18n::{Text, t, use_lang, use_policy};
use crate::messages;

/// What became of the last submission of a form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Outcome {
    #[default]
    Nothing,
    Done,
    Invalid(Vec<(Field, Problem)>),
    Refused(Refusal),
    Unavailable,
}

impl Outcome {
    pub fn of<T>(result: &Result<Reply<T>, AppError>) -> Self {
        match result {
            Ok(Reply::Done(_)) => Outcome::Done,
            Ok(Reply::Invalid(problems)) => Outcome::Invalid(problems.clone()),
            Ok(Reply::Refused(refusal)) => Outcome::Refused(*refusal),
            Err(_) => Outcome::Unavailable,
        }
    }

    pub fn problem(&self, field: Field) -> Option<Problem> {
        match self {
            Outcome::Invalid(problems) => {
                problems.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
            }
            _ => None,
        }
    }

    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Outcome::Refused(r) => Some(*r),
            _ => None,
        }
    }
}

/// The outcome of a form's server action, or, before any submission from this page, the one a
/// plain-HTML post was sent back with (`?reply=`).
pub fn form_outcome<T, S>(value: S) -> Memo<Outcome>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<Reply<T>, AppError>>> + Send + Sync + 'static,
{
    let query = use_query_map();
    Memo::new(move |_| match value.get() {
        Some(result) => Outcome::of(&result),
        None => query
            .read()
            .get("reply")
            .and_then(|json| serde_json::from_str::<Reply<()>>(&json).ok())
            .map(|reply| Outcome::of::<()>(&Ok(reply)))
            .unwrap_or_default(),
    })
}

/// A query parameter's value, for fields a plain-HTML post was sent back with.
pub fn query_value(name: &'static str) -> String {
    use_query_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// A labelled input. Its error sits right under it, tied by `aria-describedby`, and the input is
/// marked invalid so screen readers announce both.
#[component]
pub fn TextField(
    /// The `id` and the `name` the server function reads.
    name: &'static str,
    label: (&'static str, &'static str),
    /// One of the standard `autocomplete` tokens password managers and tests rely on.
    autocomplete: &'static str,
    field: Field,
    outcome: Memo<Outcome>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] hint: Option<Text>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] value: String,
    /// Called with the text as it is typed.
    #[prop(optional)]
    on_text: Option<Callback<String>>,
    /// The text, both ways: what is typed goes into it, and what is put in it (a look-up filling
    /// the field) shows in the field.
    #[prop(optional)]
    text: Option<RwSignal<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let input = NodeRef::<leptos::html::Input>::new();
    if let Some(text) = text {
        Effect::new(move |_| {
            let value = text.get();
            if let Some(input) = input.get()
                && input.value() != value
            {
                input.set_value(&value);
            }
        });
    }
    let value = text.map(|t| t.get_untracked()).unwrap_or(value);
    let error = Memo::new(move |_| {
        outcome
            .get()
            .problem(field)
            .map(|p| messages::problem(field, p))
    });
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let has_hint = hint.is_some();
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=name>{t(label.0, label.1)}</label>
            {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{move || text.get(lang.get())}</p> })}
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                value=value
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                node_ref=input
                on:input=move |ev| {
                    if let Some(cb) = on_text {
                        cb.run(event_target_value(&ev));
                    }
                    if let Some(text) = text {
                        text.set(event_target_value(&ev));
                    }
                }
            />
            {move || {
                error
                    .get()
                    .map(|text| view! { <p class="error" id=error_id.clone()>{text.get(lang.get())}</p> })
            }}
        </div>
    }
}

/// A refusal or failure for the whole form, announced as an alert.
#[component]
pub fn FormNotice(
    outcome: Memo<Outcome>,
    #[prop(optional)] children: Option<ChildrenFn>,
) -> impl IntoView {
    let lang = use_lang();
    let message = move || match outcome.get() {
        Outcome::Refused(r) => Some(messages::refusal(r)),
        Outcome::Unavailable => Some(messages::unavailable()),
        Outcome::Invalid(_) => Some(Text::new(
            "入力内容をご確認ください。",
            "Please check the fields marked below.",
        )),
        Outcome::Nothing | Outcome::Done => None,
    };
    // Keyboard and screen-reader users are taken to what went wrong: the first field marked
    // invalid, or else the notice itself.
    let notice = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if message().is_none() {
            return;
        }
        let Some(notice) = notice.get_untracked() else {
            return;
        };
        // The notice sits in its form, or just before it.
        let invalid = notice
            .closest("form")
            .ok()
            .flatten()
            .or_else(|| notice.parent_element())
            .and_then(|scope| scope.query_selector("[aria-invalid='true']").ok().flatten());
        match invalid {
            Some(field) => {
                use wasm_bindgen::JsCast;
                if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                    let _ = field.focus();
                }
            }
            None => {
                let _ = notice.focus();
            }
        }
    });
    view! {
        <div role="alert" aria-live="assertive" tabindex="-1" class="form-notice" node_ref=notice>
            {move || {
                message()
                    .map(|text| {
                        view! {
                            <div class="notice error">
                                <p>{text.get(lang.get())}</p>
                                {children.clone().map(|c| c())}
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// How strong a password looks while it is typed, as the server's rule judges it: asked a moment
/// after typing pauses.
#[component]
pub fn StrengthMeter(password: ReadSignal<String>, user_id: Signal<String>) -> impl IntoView {
    const PAUSE: std::time::Duration = std::time::Duration::from_millis(250);
    let estimate = Action::new(|(password, user_id): &(String, String)| {
        crate::api::password_strength(password.clone(), user_id.clone())
    });
    let typed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let (pw, id) = (password.get(), user_id.get());
        let generation = typed.get_untracked() + 1;
        typed.set(generation);
        if !pw.is_empty() {
            set_timeout(
                move || {
                    if typed.get_untracked() == generation {
                        estimate.dispatch((pw, id));
                    }
                },
                PAUSE,
            );
        }
    });
    let score = Memo::new(move |_| {
        if password.get().is_empty() {
            0
        } else {
            estimate
                .value()
                .get()
                .and_then(Result::ok)
                .flatten()
                .unwrap_or(0)
        }
    });
    let lang = use_lang();
    let label = move || {
        let (ja, en) = match score.get() {
            0 => ("とても弱い", "Very weak"),
            1 => ("弱い", "Weak"),
            2 => ("普通", "Fair"),
            3 => ("強い", "Strong"),
            _ => ("とても強い", "Very strong"),
        };
        lang.get().pick(ja, en)
    };
    view! {
        <div class="strength" aria-live="polite">
            <div class="meter" data-score=move || score.get().to_string() aria-hidden="true">
                <span></span>
            </div>
            <p class="meter-label">{t("パスワードの強さ：", "Password strength: ")} {label}</p>
        </div>
    }
}

/// The three details that prove a member holds the card, for registration and recovery.
#[component]
pub fn IdentityFields(outcome: Memo<Outcome>) -> impl IntoView {
    view! {
        <TextField
            name="card_number"
            label=("カード番号（15桁）", "Card number (15 digits)")
            hint=("スペースを入れても構いません。", "Spaces are fine.")
            autocomplete="cc-number"
            inputmode="numeric"
            maxlength=20
            field=Field::CardNumber
            outcome
        />
        <TextField
            name="front_code"
            label=("カード表面の4桁のコード", "4-digit code on the front of the card")
            hint=("カード番号の右上に印字された4桁の数字です。", "The 4 digits printed above the card number, on the right.")
            kind="password"
            autocomplete="cc-csc"
            inputmode="numeric"
            maxlength=4
            field=Field::FrontCode
            outcome
        />
        <TextField
            name="birth_date"
            label=("生年月日", "Date of birth")
            kind="date"
            autocomplete="bday"
            field=Field::BirthDate
            outcome
            value=query_value("birth_date")
        />
    }
}

/// The form's main button, disabled while the request is under way.
#[component]
pub fn SubmitButton(pending: Memo<bool>, label: (&'static str, &'static str)) -> impl IntoView {
    view! {
        <button class="primary" type="submit" disabled=move || pending.get() aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { t("送信しています…", "Sending…")() } else { t(label.0, label.1)() }}
        </button>
    }
}

/// Where the member is in a multi-step procedure.
#[component]
pub fn Steps(current: usize, steps: &'static [(&'static str, &'static str)]) -> impl IntoView {
    view! {
        <ol class="steps">
            {steps
                .iter()
                .enumerate()
                .map(|(i, (ja, en))| {
                    let state = if i + 1 == current { Some("step") } else { None };
                    view! {
                        <li aria-current=state class:done=i + 1 < current>
                            {format!("{}. ", i + 1)}
                            {t(ja, en)}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

pub const REGISTRATION_STEPS: &[(&str, &str)] = &[
    ("カードの確認", "Your card"),
    ("ID・パスワード", "ID and password"),
    ("完了", "Done"),
];
pub const RESET_STEPS: &[(&str, &str)] = &[
    ("本人確認", "Identity"),
    ("ワンタイムコード", "One-time code"),
    ("新しいパスワード", "New password"),
];

/// The portal could not answer: the whole page says so.
#[component]
pub fn UnavailableNotice() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice error" role="alert">
            <p>{move || messages::unavailable().get(lang.get())}</p>
        </div>
    }
}

/// A new password, its strength as typed, and the same again to confirm it.
/// What a new password needs, with the configured minimum length.
pub fn password_hint(case_sensitive: bool) -> Text {
    let min = use_policy().password_min;
    let (ja, en) = if case_sensitive {
        ("大文字・小文字は区別します。", " Case-sensitive.")
    } else {
        ("", "")
    };
    Text::new(
        format!("{min}文字以上で、英字と数字を両方含めてください。記号も使えます。{ja}"),
        format!("At least {min} characters with both letters and digits; symbols are welcome.{en}"),
    )
}

#[component]
pub fn NewPasswordFields(outcome: Memo<Outcome>) -> impl IntoView {
    let (password, set_password) = signal(String::new());
    view! {
        <TextField
            name="password"
            label=("新しいパスワード", "New password")
            hint=password_hint(false)
            kind="password"
            autocomplete="new-password"
            field=Field::Password
            outcome
            on_text=Callback::new(move |v| set_password.set(v))
        />
        <StrengthMeter password user_id=Signal::stored(String::new()) />
        <TextField
            name="password_confirm"
            label=("新しいパスワード（確認）", "New password again")
            kind="password"
            autocomplete="new-password"
            field=Field::PasswordConfirm
            outcome
        />
    }
}

/// Without a session: the server answers with a redirect to the sign-in page; in the browser (a
/// session that just ended, or sign-out under way) a notice with the way back.
#[component]
pub fn SignInFirst() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let redirect = view! { <leptos_router::components::Redirect path="/?expired=1" /> };
    #[cfg(not(feature = "ssr"))]
    let redirect = ();
    view! {
        {redirect}
        <div class="notice warn" role="status">
            <p>{t("ログインしてください。", "Please sign in.")}</p>
            <p>
                <a href="/">{t("ログインページへ", "Go to the sign-in page")}</a>
            </p>
        </div>
    }
}

/// A page's data shown by `show`, or what stands in for it: the way back to sign in, the refusal in
/// words, or that the portal cannot answer.
pub fn answered<T>(result: Result<Reply<T>, AppError>, show: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(Reply::Done(value)) => show(value),
        Ok(Reply::Refused(Refusal::SignedOut)) => view! { <SignInFirst /> }.into_any(),
        Ok(Reply::Refused(r)) => {
            let lang = use_lang();
            view! { <p class="notice">{move || messages::refusal(r).get(lang.get())}</p> }
                .into_any()
        }
        _ => view! { <UnavailableNotice /> }.into_any(),
    }
}

/// The fresh confirmation a sensitive change needs: the password again, or a one-time code by
/// e-mail (the way when the password is locked). Once given, the member is back on `back` (one of
/// `CONFIRMING_PAGES`).
#[component]
pub fn ConfirmIdentity(password_locked: bool, back: &'static str) -> impl IntoView {
    let lang = use_lang();
    let minutes = PolicyView::minutes(use_policy().confirmation_secs);
    let by_password = ServerAction::<ConfirmPassword>::new();
    let by_code = ServerAction::<ConfirmCode>::new();
    let send = Action::new(|_: &()| send_confirmation_code());
    let password_outcome = form_outcome(by_password.value());
    let code_outcome = form_outcome(by_code.value());
    let sent = move || match send.value().get() {
        Some(Ok(Reply::Done(sent))) => Some(Ok(sent.email_hint)),
        Some(Ok(Reply::Refused(r))) => Some(Err(messages::refusal(r))),
        Some(Ok(Reply::Invalid(_)) | Err(_)) => Some(Err(messages::unavailable())),
        None => None,
    };
    view! {
        <div class="confirm">
            <h3>{t("ご本人確認", "Confirm it is you")}</h3>
            <p>
                {move || {
                    lang.get()
                        .pick(
                            format!("登録情報・パスキー・パスワードなどの変更の前に、パスワードまたはメールのワンタイムコードでご本人確認をお願いします（{minutes}分間有効）。"),
                            format!("Before changing your details, passkeys, password and the like, confirm it is you with your password or a one-time code by e-mail (valid for {minutes} minutes)."),
                        )
                }}
            </p>
            {(!password_locked)
                .then(|| {
                    view! {
                        <FormNotice outcome=password_outcome />
                        <ActionForm action=by_password attr:class="stack" attr:novalidate=true>
                            <input type="hidden" name="back" value=back />
                            <TextField
                                name="password"
                                label=("パスワード", "Password")
                                kind="password"
                                autocomplete="current-password"
                                field=Field::Password
                                outcome=password_outcome
                            />
                            <SubmitButton pending=by_password.pending() label=("確認する", "Confirm") />
                        </ActionForm>
                    }
                })}
            <h4>{t("メールでコードを受け取る", "Get a code by e-mail")}</h4>
            <button type="button" class="secondary" on:click=move |_| { send.dispatch(()); } disabled=move || send.pending().get()>
                {t("ワンタイムコードを送信", "Send a one-time code")}
            </button>
            <div role="status" aria-live="polite">
                {move || {
                    sent()
                        .map(|r| match r {
                            Ok(hint) => {
                                view! {
                                    <p class="notice ok">
                                        {move || lang.get().pick(format!("{hint} にコードを送りました。"), format!("We sent a code to {hint}."))}
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(text) => view! { <p class="notice error">{move || text.get(lang.get())}</p> }.into_any(),
                        })
                }}
            </div>
            <FormNotice outcome=code_outcome />
            <ActionForm action=by_code attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="back" value=back />
                <TextField
                    name="code"
                    label=("ワンタイムコード", "One-time code")
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    maxlength=6
                    field=Field::Code
                    outcome=code_outcome
                />
                <SubmitButton pending=by_code.pending() label=("コードで確認する", "Confirm with the code") />
            </ActionForm>
        </div>
    }
}

/// The account the URL names (`?account=`, R1), for the pages that switch between accounts.
pub fn account_in_url() -> Memo<Option<i64>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("account").and_then(|v| v.parse().ok()))
}

/// `?account=<id>` when the member has several accounts, else nothing: links that keep the account.
pub fn account_query(account_id: i64, several: bool) -> String {
    if several {
        format!("?account={account_id}")
    } else {
        String::new()
    }
}

/// Links between the member's accounts (R1), shown only when she has more than one: each opens
/// `path` on that account. `holder_only` pages (payments, points) list only the accounts she holds.
#[component]
pub fn AccountSwitcher(path: &'static str, holder_only: bool) -> impl IntoView {
    let lang = use_lang();
    let wanted = account_in_url();
    let cards = Resource::new(|| (), |_| load_cards());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Reply::Done(cards)) = cards.await else {
                    return ().into_any();
                };
                let mut choices: Vec<CardView> = cards
                    .iter()
                    .filter(|c| !holder_only || !c.family)
                    .cloned()
                    .collect();
                choices.dedup_by_key(|c| c.account_id);
                if choices.len() < 2 {
                    return ().into_any();
                }
                let current = chosen_account(
                    cards.iter().map(|c| (c.account_id, c.family)),
                    wanted.get(),
                    holder_only,
                );
                view! {
                    <nav class="account-switch" aria-label=move || lang.get().pick("口座の切り替え", "Switch account")>
                        <ul>
                            {choices
                                .into_iter()
                                .map(|c| {
                                    let href = format!("{path}?account={}", c.account_id);
                                    let here = (current == Some(c.account_id)).then_some("page");
                                    let product = (c.product_ja, c.product_en);
                                    view! {
                                        <li>
                                            <a href=href aria-current=here>
                                                {move || lang.get().pick(product.0.clone(), product.1.clone())}
                                                " "
                                                {masked(&c.last_digits)}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </nav>
                }
                    .into_any()
            })}
        </Suspense>
    }
}
