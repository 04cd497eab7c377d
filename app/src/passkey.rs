//! The browser's half of a passkey ceremony: `navigator.credentials` with the options the server
//! sent, and the answer in the form the server reads. Both are WebAuthn's own JSON, which the
//! browser converts itself (`PublicKeyCredential.parse…OptionsFromJSON`, `credential.toJSON()`), so
//! the wasm carries no WebAuthn types; a browser without those methods is not offered passkeys and
//! signs in with the password. Only the hydrated app runs it; the server renders the controls
//! hidden and never calls these.

use serde_json::value::RawValue;

/// Browser storage: this browser already made a passkey, so it is not offered one again.
pub const PASSKEY_MADE_HERE: &str = "portal.passkey_made_here";

/// Why the browser produced no passkey answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserRefusal {
    /// The member closed the prompt, or it timed out.
    Cancelled,
    /// The authenticator already holds a passkey for this account.
    AlreadyRegistered,
    /// A newer request replaced this one (the autofill offer gave way to the button).
    Aborted,
    Unsupported,
    Failed,
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;

    use js_sys::{Function, JSON, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{AbortController, CredentialCreationOptions, CredentialRequestOptions};

    use super::*;

    /// Why `navigator.credentials` failed. A state error means an already registered
    /// authenticator only when creating; when getting, another request was still pending.
    fn refusal(error: JsValue, creating: bool) -> BrowserRefusal {
        let name = Reflect::get(&error, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" => BrowserRefusal::Cancelled,
            "InvalidStateError" if creating => BrowserRefusal::AlreadyRegistered,
            "AbortError" => BrowserRefusal::Aborted,
            "NotSupportedError" | "SecurityError" => BrowserRefusal::Unsupported,
            _ => BrowserRefusal::Failed,
        }
    }

    /// `PublicKeyCredential`'s static method `name`, if this browser has it.
    fn static_method(name: &str) -> Option<(JsValue, Function)> {
        let class = Reflect::get(&web_sys::window()?.into(), &"PublicKeyCredential".into()).ok()?;
        let method = Reflect::get(&class, &name.into()).ok()?;
        method.dyn_into::<Function>().ok().map(|m| (class, m))
    }

    fn has_webauthn() -> bool {
        static_method("parseRequestOptionsFromJSON").is_some()
            && static_method("parseCreationOptionsFromJSON").is_some()
    }

    async fn resolves_true(promise: Option<JsValue>) -> bool {
        match promise.and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
            Some(p) => JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            None => false,
        }
    }

    pub fn supported() -> bool {
        has_webauthn()
    }

    pub async fn platform_authenticator() -> bool {
        has_webauthn()
            && resolves_true(
                static_method("isUserVerifyingPlatformAuthenticatorAvailable")
                    .and_then(|(class, m)| m.call0(&class).ok()),
            )
            .await
    }

    pub async fn autofill_supported() -> bool {
        has_webauthn()
            && resolves_true(
                static_method("isConditionalMediationAvailable")
                    .and_then(|(class, m)| m.call0(&class).ok()),
            )
            .await
    }

    fn credentials() -> Result<web_sys::CredentialsContainer, BrowserRefusal> {
        web_sys::window()
            .map(|w| w.navigator().credentials())
            .ok_or(BrowserRefusal::Unsupported)
    }

    /// The server's options (`{"publicKey": …, "mediation"?: …}`) with `publicKey` converted by
    /// the browser's `parse_with`.
    fn browser_options(options: &str, parse_with: &str) -> Result<js_sys::Object, BrowserRefusal> {
        let options = JSON::parse(options).map_err(|_| BrowserRefusal::Failed)?;
        let json =
            Reflect::get(&options, &"publicKey".into()).map_err(|_| BrowserRefusal::Failed)?;
        let (class, parse) = static_method(parse_with).ok_or(BrowserRefusal::Unsupported)?;
        let public_key = parse
            .call1(&class, &json)
            .map_err(|_| BrowserRefusal::Failed)?;
        Reflect::set(&options, &"publicKey".into(), &public_key)
            .map_err(|_| BrowserRefusal::Failed)?;
        Ok(options.unchecked_into())
    }

    /// The credential as the JSON the server reads.
    fn answer_json(answer: JsValue) -> Result<Box<RawValue>, BrowserRefusal> {
        let to_json = Reflect::get(&answer, &"toJSON".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or(BrowserRefusal::Unsupported)?;
        let json = to_json.call0(&answer).map_err(|_| BrowserRefusal::Failed)?;
        JSON::stringify(&json)
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| RawValue::from_string(s).ok())
            .ok_or(BrowserRefusal::Failed)
    }

    pub async fn create(options: &str) -> Result<Box<RawValue>, BrowserRefusal> {
        let options: CredentialCreationOptions =
            browser_options(options, "parseCreationOptionsFromJSON")?.unchecked_into();
        let promise = credentials()?
            .create_with_options(&options)
            .map_err(|e| refusal(e, true))?;
        let answer = JsFuture::from(promise)
            .await
            .map_err(|e| refusal(e, true))?;
        answer_json(answer)
    }

    thread_local! {
        /// The autofill request waiting in the user-ID field, if any.
        static AUTOFILL: RefCell<Option<AbortController>> = const { RefCell::new(None) };
    }

    /// Withdraws the autofill request, so a prompt can take its place.
    pub fn cancel_autofill() {
        if let Some(controller) = AUTOFILL.with(|a| a.borrow_mut().take()) {
            controller.abort();
        }
    }

    /// With `autofill`, the request waits for the member to pick a passkey from the user-ID
    /// field's suggestions instead of prompting.
    pub async fn get(options: &str, autofill: bool) -> Result<Box<RawValue>, BrowserRefusal> {
        let request: CredentialRequestOptions =
            browser_options(options, "parseRequestOptionsFromJSON")?.unchecked_into();
        if autofill {
            let controller = AbortController::new().map_err(|_| BrowserRefusal::Unsupported)?;
            Reflect::set(&request, &"mediation".into(), &"conditional".into())
                .map_err(|_| BrowserRefusal::Failed)?;
            request.set_signal(&controller.signal());
            AUTOFILL.with(|a| *a.borrow_mut() = Some(controller));
        }
        let promise = credentials()?
            .get_with_options(&request)
            .map_err(|e| refusal(e, false))?;
        let answer = JsFuture::from(promise)
            .await
            .map_err(|e| refusal(e, false))?;
        answer_json(answer)
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{
    autofill_supported, cancel_autofill, create, get, platform_authenticator, supported,
};

/// The server renders passkey controls hidden; these answers keep them so.
#[cfg(not(feature = "hydrate"))]
mod rendered_on_server {
    use super::*;

    pub fn supported() -> bool {
        false
    }

    pub async fn platform_authenticator() -> bool {
        false
    }

    pub async fn autofill_supported() -> bool {
        false
    }

    pub async fn create(_: &str) -> Result<Box<RawValue>, BrowserRefusal> {
        Err(BrowserRefusal::Unsupported)
    }

    pub fn cancel_autofill() {}

    pub async fn get(_: &str, _: bool) -> Result<Box<RawValue>, BrowserRefusal> {
        Err(BrowserRefusal::Unsupported)
    }
}

#[cfg(not(feature = "hydrate"))]
pub use rendered_on_server::{
    autofill_supported, cancel_autofill, create, get, platform_authenticator, supported,
};

/// A name to suggest for a new passkey, from what the browser says it runs on.
pub fn suggested_name() -> String {
    #[cfg(feature = "hydrate")]
    {
        let agent = web_sys::window()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default();
        let device = [
            ("iPhone", "iPhone"),
            ("iPad", "iPad"),
            ("Android", "Android"),
            ("Macintosh", "Mac"),
            ("Windows", "Windows"),
            ("CrOS", "Chromebook"),
            ("Linux", "Linux"),
        ]
        .iter()
        .find(|(needle, _)| agent.contains(needle))
        .map(|(_, name)| *name);
        if let Some(device) = device {
            return device.to_string();
        }
    }
    "Passkey".to_string()
}
