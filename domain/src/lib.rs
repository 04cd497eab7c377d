//! The issuer's rules as plain Rust: no I/O, no clock, no framework. Shared by the server (which
//! enforces them) and the browser (which checks early and draws the strength meter).

pub mod activity;
pub mod api;
pub mod card;
pub mod credentials;
pub mod details;
pub mod family;
pub mod lockout;
pub mod money;
pub mod otp;
pub mod passkey;
pub mod payments;
pub mod period;
pub mod pin;
pub mod points;
pub mod session;
