//! One module per screen.

pub mod home;
pub mod recover_id;
pub mod register;
pub mod reset;
pub mod sign_in;
