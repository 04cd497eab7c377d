//! Every section in one list: on phones the bottom bar's メニュー, for what does not fit in it.

use leptos::prelude::*;

use crate::components::SECTIONS;
use crate::i18n::{t, use_lang};

#[component]
pub fn MenuPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{t("メニュー", "Menu")}</h1>
        <nav aria-labelledby="menu-title" class="panel">
            <h2 id="menu-title" class="visually-hidden">{t("すべてのメニュー", "Every section")}</h2>
            <ul class="links">
                {SECTIONS
                    .iter()
                    .map(|(href, ja, en)| view! { <li><a href=*href>{move || lang.get().pick(*ja, *en)}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}
