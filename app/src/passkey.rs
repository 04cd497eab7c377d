//! The browser's half of a passkey ceremony: `navigator.credentials` with the options the server
//! sent, and the answer in the form the server reads. Only the hydrated app runs it; the server
//! renders the controls hidden and never calls these.

use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

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

    use js_sys::Reflect;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{AbortController, CredentialCreationOptions, CredentialRequestOptions};
    use webauthn_rs_proto::wasm::PublicKeyCredentialExt;

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

    fn has_webauthn() -> bool {
        Reflect::has(&web_sys::window().into(), &"PublicKeyCredential".into()).unwrap_or(false)
    }

    async fn resolves_true(promise: Result<js_sys::Promise, JsValue>) -> bool {
        match promise {
            Ok(p) => JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            Err(_) => false,
        }
    }

    pub fn supported() -> bool {
        has_webauthn()
    }

    pub async fn platform_authenticator() -> bool {
        has_webauthn()
            && resolves_true(Ok(
                web_sys::PublicKeyCredential::is_user_verifying_platform_authenticator_available(),
            ))
            .await
    }

    pub async fn autofill_supported() -> bool {
        has_webauthn()
            && resolves_true(PublicKeyCredentialExt::is_conditional_mediation_available()).await
    }

    fn credentials() -> Result<web_sys::CredentialsContainer, BrowserRefusal> {
        web_sys::window()
            .map(|w| w.navigator().credentials())
            .ok_or(BrowserRefusal::Unsupported)
    }

    pub async fn create(
        options: CreationChallengeResponse,
    ) -> Result<RegisterPublicKeyCredential, BrowserRefusal> {
        let options = CredentialCreationOptions::from(options);
        let promise = credentials()?
            .create_with_options(&options)
            .map_err(|e| refusal(e, true))?;
        let answer = JsFuture::from(promise)
            .await
            .map_err(|e| refusal(e, true))?;
        answer
            .dyn_into::<web_sys::PublicKeyCredential>()
            .map(RegisterPublicKeyCredential::from)
            .map_err(|_| BrowserRefusal::Failed)
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
    pub async fn get(
        mut options: RequestChallengeResponse,
        autofill: bool,
    ) -> Result<PublicKeyCredential, BrowserRefusal> {
        let request = if autofill {
            options.mediation = Some(webauthn_rs_proto::Mediation::Conditional);
            let controller = AbortController::new().map_err(|_| BrowserRefusal::Unsupported)?;
            let request = CredentialRequestOptions::from(options);
            request.set_signal(&controller.signal());
            AUTOFILL.with(|a| *a.borrow_mut() = Some(controller));
            request
        } else {
            CredentialRequestOptions::from(options)
        };
        let promise = credentials()?
            .get_with_options(&request)
            .map_err(|e| refusal(e, false))?;
        let answer = JsFuture::from(promise)
            .await
            .map_err(|e| refusal(e, false))?;
        answer
            .dyn_into::<web_sys::PublicKeyCredential>()
            .map(PublicKeyCredential::from)
            .map_err(|_| BrowserRefusal::Failed)
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

    pub async fn create(
        _: CreationChallengeResponse,
    ) -> Result<RegisterPublicKeyCredential, BrowserRefusal> {
        Err(BrowserRefusal::Unsupported)
    }

    pub fn cancel_autofill() {}

    pub async fn get(
        _: RequestChallengeResponse,
        _: bool,
    ) -> Result<PublicKeyCredential, BrowserRefusal> {
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
