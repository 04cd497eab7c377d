//! Japanese first, English second. Every string is written in both languages where it is used,
//! `t("ログイン", "Sign in")`, so the compiler sees that none is missing. The choice is kept in a
//! cookie so the server renders the page in the same language the browser will hydrate.

use leptos::prelude::*;
use portal_domain::api::PolicyView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

pub const LANG_COOKIE: &str = "portal_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn pick<T>(self, ja: T, en: T) -> T {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// A message built at run time (with numbers or names in it), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl From<(&str, &str)> for Text {
    fn from((ja, en): (&str, &str)) -> Self {
        Text::new(ja, en)
    }
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> String {
        lang.pick(&self.ja, &self.en).clone()
    }
}

/// Reads the language cookie from the request (on the server) or the document (in the browser).
fn initial_lang() -> Lang {
    let header = cookie_header();
    header
        .as_deref()
        .and_then(|h| {
            h.split(';')
                .find_map(|c| c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
        })
        .and_then(Lang::from_code)
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn cookie_header() -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    Some(
        parts
            .headers
            .get(axum::http::header::COOKIE)?
            .to_str()
            .ok()?
            .to_string(),
    )
}

#[cfg(not(feature = "ssr"))]
fn cookie_header() -> Option<String> {
    use wasm_bindgen::JsCast;
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?
        .cookie()
        .ok()
}

pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    lang
}

/// The issuer's limits, as the server knows them: computed on the server, carried in the page and
/// read back by the wasm while it hydrates, so both render the same numbers.
pub fn provide_policy() {
    let policy = leptos::prelude::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<std::sync::Arc<portal_backend::Portal>>()
                .map(|portal| portal.policy())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            PolicyView::default()
        }
    })
    .into_inner();
    provide_context(policy);
}

pub fn use_policy() -> PolicyView {
    use_context::<PolicyView>().unwrap_or_default()
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Ja))
}

/// Switches the language and remembers it for a year.
pub fn set_lang(lang: Lang) {
    use_lang().set(lang);
    #[cfg(not(feature = "ssr"))]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&format!(
                "{LANG_COOKIE}={}; path=/; max-age=31536000; samesite=lax",
                lang.code()
            ));
        }
    }
}

/// A string in the current language, as a reactive view or attribute value.
pub fn t(
    ja: &'static str,
    en: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().pick(ja, en)
}

/// `2026年12月10日` / `10 Dec 2026` from an ISO date.
pub fn format_date(lang: Lang, iso: &str) -> String {
    let Some(date) = portal_domain::period::parse_iso_date(iso) else {
        return iso.to_string();
    };
    match lang {
        Lang::Ja => format!(
            "{}年{}月{}日",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!(
                "{} {} {}",
                date.day(),
                MONTHS[usize::from(u8::from(date.month())) - 1],
                date.year()
            )
        }
    }
}

/// A moment in Tokyo time: `2026年12月10日 09:05` / `10 Dec 2026, 09:05`.
pub fn format_moment(lang: Lang, unix_secs: i64) -> String {
    let at = portal_domain::period::tokyo_datetime(unix_secs);
    let date = format_date(lang, &portal_domain::period::iso_date(at.date()));
    let clock = format!("{:02}:{:02}", at.hour(), at.minute());
    match lang {
        Lang::Ja => format!("{date} {clock}"),
        Lang::En => format!("{date}, {clock}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        assert_eq!(format_date(Lang::Ja, "2026-12-10"), "2026年12月10日");
        assert_eq!(format_date(Lang::En, "2026-12-10"), "10 Dec 2026");
        assert_eq!(format_date(Lang::En, "garbage"), "garbage");
        // 2026-12-10 00:05 UTC is 09:05 in Tokyo.
        assert_eq!(
            format_moment(Lang::Ja, 1_796_860_800 + 300),
            "2026年12月10日 09:05"
        );
        assert_eq!(
            format_moment(Lang::En, 1_796_860_800 + 300),
            "10 Dec 2026, 09:05"
        );
    }

    #[test]
    fn language_codes_round_trip() {
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::from_code(Lang::Ja.code()), Some(Lang::Ja));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
