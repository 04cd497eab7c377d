//! A page's wasm chunks fetched before its link is followed. The split build writes a manifest
//! (each lazy view → the chunk files it needs); the server names it in the page
//! (`<meta name="route-chunks">`), and when the pointer rests on, or the keyboard focuses, a link to
//! a lazy page, the browser fetches the manifest once and then that page's chunks into its HTTP
//! cache (they are immutable), where the loader finds them when the page is visited. Referring to
//! the routes' own preload functions instead pulled 188 kB of their data into the main wasm.

/// The `<meta>` that names the manifest.
pub const MANIFEST_META: &str = "route-chunks";

/// Where the split build's manifest is served, if this build was split.
#[cfg(feature = "ssr")]
pub fn manifest_url(options: &leptos::prelude::LeptosOptions) -> Option<String> {
    use std::sync::OnceLock;
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        let dir =
            std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let newest = std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with("__wasm_split_manifest") && name.ends_with(".json")
            })
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())?;
        Some(format!(
            "/{}/{}",
            options.site_pkg_dir,
            newest.file_name().to_string_lossy()
        ))
    })
    .clone()
}

/// The browser renders no document shell.
#[cfg(not(feature = "ssr"))]
pub fn manifest_url(_: &leptos::prelude::LeptosOptions) -> Option<String> {
    None
}

/// The manifest's key prefix of a lazy route's view: `HomeRoute` → `__home_route_view_`.
pub fn view_key_prefix(route: &str) -> String {
    let mut key = String::from("__");
    for (i, c) in route.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            key.push('_');
        }
        key.push(c.to_ascii_lowercase());
    }
    key.push_str("_view_");
    key
}

#[cfg(feature = "hydrate")]
pub use browser::warm;

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::collections::HashSet;

    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        static WARMED: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
        /// The manifest and the folder its chunks are in, once read.
        static MANIFEST: RefCell<Option<(JsValue, String)>> = const { RefCell::new(None) };
    }

    async fn fetch(url: &str) -> Result<web_sys::Response, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        JsFuture::from(window.fetch_with_str(url)).await?.dyn_into()
    }

    async fn manifest() -> Result<(JsValue, String), JsValue> {
        if let Some(read) = MANIFEST.with(|m| m.borrow().clone()) {
            return Ok(read);
        }
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(JsValue::NULL)?;
        let url = document
            .query_selector(&format!("meta[name=\"{}\"]", super::MANIFEST_META))?
            .and_then(|m| m.get_attribute("content"))
            .ok_or(JsValue::NULL)?;
        let pkg = url
            .rsplit_once('/')
            .map(|(dir, _)| dir.to_string())
            .unwrap_or_default();
        let manifest = JsFuture::from(fetch(&url).await?.json()?).await?;
        MANIFEST.with(|m| *m.borrow_mut() = Some((manifest.clone(), pkg.clone())));
        Ok((manifest, pkg))
    }

    async fn fetch_chunks(route: &'static str) -> Result<(), JsValue> {
        let (manifest, pkg) = manifest().await?;
        let prefix = super::view_key_prefix(route);
        let key = Object::keys(manifest.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .find(|k| k.starts_with(&prefix))
            .ok_or(JsValue::NULL)?;
        let files: Array = Reflect::get(&manifest, &key.into())?.dyn_into()?;
        for file in files.iter().filter_map(|f| f.as_string()) {
            // Only the fetch matters: the answer lands in the HTTP cache.
            let url = format!("{pkg}/{file}.wasm");
            wasm_bindgen_futures::spawn_local(async move {
                let _ = fetch(&url).await;
            });
        }
        Ok(())
    }

    /// Fetches the chunks of the lazy route `route` (its type's name), once per page load.
    pub fn warm(route: &'static str) {
        if WARMED.with(|w| w.borrow_mut().insert(route)) {
            wasm_bindgen_futures::spawn_local(async move {
                if fetch_chunks(route).await.is_err() {
                    WARMED.with(|w| w.borrow_mut().remove(route));
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_names_its_view_as_the_split_build_does() {
        assert_eq!(view_key_prefix("HomeRoute"), "__home_route_view_");
        assert_eq!(
            view_key_prefix("ChangePasswordRoute"),
            "__change_password_route_view_"
        );
    }
}
