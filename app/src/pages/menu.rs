//! Every section in one list: on phones the bottom bar's メニュー, for what does not fit in it.
//! The header's links, written out again: a list shared with the header made the main wasm
//! 190 kB larger (the split build then kept code of the lazy pages with it).

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn MenuPage() -> impl IntoView {
    view! {
        <h1>{t("メニュー", "Menu")}</h1>
        <nav aria-labelledby="menu-title" class="panel">
            <h2 id="menu-title" class="visually-hidden">{t("すべてのメニュー", "Every section")}</h2>
            <ul class="links">
                <li><a href="/home">{t("ホーム", "Home")}</a></li>
                <li><a href="/activity">{t("ご利用明細", "Activity")}</a></li>
                <li><a href="/payments">{t("お支払い", "Payments")}</a></li>
                <li><a href="/points">{t("ポイント", "Points")}</a></li>
                <li><a href="/cards">{t("カードの一時停止", "Freeze a card")}</a></li>
                <li><a href="/details">{t("登録情報", "Details")}</a></li>
                <li><a href="/pin">{t("ICカード暗証番号", "IC card PIN")}</a></li>
                <li><a href="/security">{t("セキュリティ設定", "Security")}</a></li>
            </ul>
        </nav>
    }
}
