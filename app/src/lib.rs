//! The member portal's pages and server functions. Built twice: with `ssr` into the server (pages
//! rendered to HTML, server functions run), with `hydrate` into the browser's wasm (the same pages
//! made interactive, server functions called over HTTP). Server-only crates enter only with `ssr`.

// Leptos views are deeply nested types; the hydrate build's layout queries need the room.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod i18n;
pub mod messages;
pub mod pages;
pub mod passkey;
pub mod url;

#[cfg(feature = "ssr")]
pub use app::content_security_policy;
pub use app::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_lazy(App);
}
