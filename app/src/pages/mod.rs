//! One module per screen.

pub mod activity;
pub mod home;
pub mod payments;
pub mod points;
pub mod recover_id;
pub mod register;
pub mod reset;
pub mod security;
pub mod sign_in;

use leptos::prelude::*;
use portal_domain::api::{Refusal, Reply};

use crate::api::AppError;
use crate::components::UnavailableNotice;
use crate::i18n::use_lang;

/// A page's data shown by `show`, or what stands in for it: the way back to sign in, the refusal in
/// words, or that the portal cannot answer.
pub fn answered<T>(result: Result<Reply<T>, AppError>, show: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(Reply::Done(value)) => show(value),
        Ok(Reply::Refused(Refusal::SignedOut)) => view! { <home::SignInFirst /> }.into_any(),
        Ok(Reply::Refused(r)) => {
            let lang = use_lang();
            view! { <p class="notice">{move || crate::messages::refusal(r).get(lang.get())}</p> }
                .into_any()
        }
        _ => view! { <UnavailableNotice /> }.into_any(),
    }
}
