//! The document shell, the routes, and the header every page shares.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};
use portal_domain::api::SessionView;

use leptos::server_fn::ServerFn;

use crate::api::{SessionResource, SignOut, current_session};
use crate::i18n::{Lang, provide_lang, provide_policy, set_lang, t, use_lang};
use crate::pages::{
    activity::ActivityPage, cards::CardsPage, details, home::HomePage, menu::MenuPage,
    payments::PaymentsPage, pin, points::PointsPage, recover_id::RecoverIdPage, register, reset,
    security, sign_in::SignInPage,
};

/// Routes whose page is its own wasm chunk, fetched when it is first visited, or earlier when a link
/// to it is pointed at or focused (`preload_route`). Only sign-in ships in the first load.
macro_rules! lazy_pages {
    ($($path:literal => $route:ident => $page:path),* $(,)?) => {
        $(
            struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    $page().into_any()
                }
            }
        )*

        /// The lazy route's type name for a path, as the split build names its chunks.
        #[cfg(feature = "hydrate")]
        fn lazy_route_of(path: &str) -> Option<&'static str> {
            match path {
                $($path => Some(stringify!($route)),)*
                _ => None,
            }
        }
    };
}

lazy_pages! {
    "/home" => HomeRoute => HomePage,
    "/register" => CardStepRoute => register::CardStep,
    "/register/account" => AccountStepRoute => register::AccountStep,
    "/recover/id" => RecoverIdRoute => RecoverIdPage,
    "/recover/password" => IdentityStepRoute => reset::IdentityStep,
    "/recover/password/code" => CodeStepRoute => reset::CodeStep,
    "/recover/password/new" => NewPasswordStepRoute => reset::NewPasswordStep,
    "/activity" => ActivityRoute => ActivityPage,
    "/payments" => PaymentsRoute => PaymentsPage,
    "/points" => PointsRoute => PointsPage,
    "/cards" => CardsRoute => CardsPage,
    "/details" => DetailsRoute => details::DetailsPage,
    "/details/offline" => OfflineChangesRoute => details::OfflineChangesPage,
    "/pin" => PinRoute => pin::PinPage,
    "/menu" => MenuRoute => MenuPage,
    "/security" => SecurityRoute => security::SecurityPage,
    "/security/password" => ChangePasswordRoute => security::ChangePasswordPage,
}

/// Fetches a page's chunks when the pointer rests on, or the keyboard focuses, a link to it, so they
/// are usually there by the time the link is followed (`chunks`).
#[cfg(feature = "hydrate")]
fn preload_on_intent() {
    use wasm_bindgen::JsCast;
    let preload_link = |event: leptos::ev::Event| {
        let route = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"))
            .and_then(|href| lazy_route_of(href.split(['?', '#']).next().unwrap_or_default()));
        if let Some(route) = route {
            crate::chunks::warm(route);
        }
    };
    window_event_listener(leptos::ev::pointerover, move |e| preload_link(e.into()));
    window_event_listener(leptos::ev::focusin, move |e| preload_link(e.into()));
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#00175a" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                {crate::chunks::manifest_url(&options)
                    .map(|url| view! { <meta name=crate::chunks::MANIFEST_META content=url /> })}
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// What a page may load and run: scripts from this origin or carrying this response's nonce (Leptos
/// puts it on its hydration scripts), the wasm compiled, styles from here (inline ones too: the
/// server renders a bar's width as a style attribute), nothing framed, forms posted only here.
/// Without a nonce, for the responses the app does not render, no inline script runs.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use leptos::nonce::use_nonce;
    use leptos_axum::ResponseOptions;
    let nonce = use_nonce().map(|n| n.to_string());
    let policy = content_security_policy(nonce.as_deref());
    if let (Some(res), Ok(value)) = (
        use_context::<ResponseOptions>(),
        axum::http::HeaderValue::from_str(&policy),
    ) {
        res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The session as the header sees it, fetched again on every navigation (which also counts as
/// activity for the idle timeout).

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();
    provide_policy();
    // Tests and scripts wait for this before clicking: the page is interactive from here on.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        preload_on_intent();
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Html {..} lang=move || lang.get().code() />
        <Title text=move || lang.get().pick("会員ポータル", "Member Portal") />
        <Router>
            <Layout />
        </Router>
    }
}

/// Everything inside the router: the session every page can see, the header, the routes.
#[component]
fn Layout() -> impl IntoView {
    let location = use_location();
    let session: SessionResource =
        Resource::new(move || location.pathname.get(), |_| current_session());
    provide_context(session);
    view! {
        <a class="skip-link" href="#main">
            {t("本文へスキップ", "Skip to content")}
        </a>
        <Header session />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/home") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/register") view={Lazy::<CardStepRoute>::new()} />
                <Route path=path!("/register/account") view={Lazy::<AccountStepRoute>::new()} />
                <Route path=path!("/recover/id") view={Lazy::<RecoverIdRoute>::new()} />
                <Route path=path!("/recover/password") view={Lazy::<IdentityStepRoute>::new()} />
                <Route path=path!("/recover/password/code") view={Lazy::<CodeStepRoute>::new()} />
                <Route path=path!("/recover/password/new") view={Lazy::<NewPasswordStepRoute>::new()} />
                <Route path=path!("/activity") view={Lazy::<ActivityRoute>::new()} />
                <Route path=path!("/payments") view={Lazy::<PaymentsRoute>::new()} />
                <Route path=path!("/points") view={Lazy::<PointsRoute>::new()} />
                <Route path=path!("/cards") view={Lazy::<CardsRoute>::new()} />
                <Route path=path!("/details") view={Lazy::<DetailsRoute>::new()} />
                <Route path=path!("/details/offline") view={Lazy::<OfflineChangesRoute>::new()} />
                <Route path=path!("/pin") view={Lazy::<PinRoute>::new()} />
                <Route path=path!("/menu") view={Lazy::<MenuRoute>::new()} />
                <Route path=path!("/security") view={Lazy::<SecurityRoute>::new()} />
                <Route path=path!("/security/password") view={Lazy::<ChangePasswordRoute>::new()} />
            </Routes>
        </main>
        <footer class="site-footer">
            <p>{t("会員ポータル（デモ）", "Member Portal (demo)")}</p>
        </footer>
    }
}

#[component]
fn Header(session: SessionResource) -> impl IntoView {
    let lang = use_lang();
    let other = move || match lang.get() {
        Lang::Ja => ("English", "en"),
        Lang::En => ("日本語", "ja"),
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                {t("会員ポータル", "Member Portal")}
            </a>
            <button
                type="button"
                lang=move || other().1
                aria-label=move || lang.get().pick("Switch to English", "日本語に切り替える")
                on:click=move |_| {
                    let next = match lang.get_untracked() {
                        Lang::Ja => Lang::En,
                        Lang::En => Lang::Ja,
                    };
                    set_lang(next);
                }
            >
                {move || other().0}
            </button>
            <Transition fallback=|| ()>
                {move || {
                    session
                        .get()
                        .and_then(|r| r.ok().flatten())
                        .map(|s| {
                            let (name_ja, name_en) = (format!("{} 様", s.name_ja), s.name_en.clone());
                            view! {
                                <span class="who">
                                    {move || lang.get().pick(name_ja.clone(), name_en.clone())}
                                </span>
                                <nav class="member-nav" aria-label=move || lang.get().pick("会員メニュー", "Member menu")>
                                    <a href="/home">{t("ホーム", "Home")}</a>
                                    <a href="/activity">{t("ご利用明細", "Activity")}</a>
                                    <a href="/payments">{t("お支払い", "Payments")}</a>
                                    <a href="/points">{t("ポイント", "Points")}</a>
                                    <a href="/cards" class="beyond-bar">{t("カードの一時停止", "Freeze a card")}</a>
                                    <a href="/details" class="beyond-bar">{t("登録情報", "Details")}</a>
                                    <a href="/pin" class="beyond-bar">{t("暗証番号", "PIN")}</a>
                                    <a href="/security" class="beyond-bar">{t("セキュリティ設定", "Security")}</a>
                                    <a href="/menu" class="menu-link">{t("メニュー", "Menu")}</a>
                                </nav>
                                // A plain form: sign-out is a full page load that drops every
                                // piece of client state, with or without the wasm.
                                <form method="post" action=SignOut::url()>
                                    <button type="submit">{t("ログアウト", "Sign out")}</button>
                                </form>
                                <IdleWatch session=s />
                            }
                        })
                }}
            </Transition>
        </header>
    }
}

/// Warns before the idle timeout ends the session and offers to continue; sends the member to the
/// sign-in page once it has ended. The server enforces the limit either way.
#[component]
fn IdleWatch(session: SessionView) -> impl IntoView {
    let started = RwSignal::new(0u32);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let warn_after = std::time::Duration::from_secs(
        (session.idle_timeout_secs - session.warning_secs).max(1) as u64,
    );
    let end_after = std::time::Duration::from_secs(session.idle_timeout_secs.max(1) as u64);
    let arm = move || {
        let generation = started.get_untracked() + 1;
        started.set(generation);
        set_timeout(
            move || {
                if started.get_untracked() == generation
                    && let Some(d) = dialog.get_untracked()
                {
                    let _ = d.show_modal();
                }
            },
            warn_after,
        );
        set_timeout(
            move || {
                if started.get_untracked() == generation {
                    let _ = window().location().set_href("/?timeout=1");
                }
            },
            end_after,
        );
    };
    Effect::new(move |_| arm());
    let keep = Action::new(|_: &()| crate::api::keep_alive());
    Effect::new(move |_| {
        if let Some(result) = keep.value().get() {
            if let Some(d) = dialog.get_untracked() {
                d.close();
            }
            match result {
                Ok(true) => arm(),
                _ => {
                    let _ = window().location().set_href("/?timeout=1");
                }
            }
        }
    });
    let minutes = session.warning_secs / 60;
    view! {
        <dialog class="idle-warning" node_ref=dialog aria-labelledby="idle-title">
            <h2 id="idle-title">{t("まもなく自動的にログアウトします", "You will be signed out soon")}</h2>
            <p>
                {move || {
                    use_lang()
                        .get()
                        .pick(
                            format!("操作がないため、約{minutes}分後にログアウトします。続ける場合はボタンを押してください。"),
                            format!("For your security you will be signed out in about {minutes} minutes without activity."),
                        )
                }}
            </p>
            <div class="actions">
                <button class="primary" type="button" on:click=move |_| { keep.dispatch(()); }>
                    {t("ログインを続ける", "Stay signed in")}
                </button>
            </div>
        </dialog>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="panel">
            <h1>{t("ページが見つかりません", "Page not found")}</h1>
            <p>
                <a href="/">{t("ログインページへ戻る", "Back to the sign-in page")}</a>
            </p>
        </div>
    }
}
