//! One module per screen.

pub mod activity;
pub mod cards;
pub mod details;
pub mod home;
pub mod menu;
pub mod payments;
pub mod pin;
pub mod points;
pub mod recover_id;
pub mod register;
pub mod reset;
pub mod security;
pub mod sign_in;
