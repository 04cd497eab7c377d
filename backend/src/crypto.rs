//! Keyed hashes and random tokens. Card numbers, security codes and one-time codes are stored only
//! as HMAC-SHA256 under the configured key, so a database leak alone reveals none of them; session
//! and flow tokens are stored only as SHA-256, so a leak cannot be replayed as a cookie.

use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

use portal_domain::card::CardNumber;

#[derive(Clone)]
pub struct Keys {
    mac_key: Vec<u8>,
}

impl Keys {
    pub fn new(mac_key: Vec<u8>) -> Self {
        Self { mac_key }
    }

    fn mac(&self, parts: &[&str]) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.mac_key).expect("HMAC takes a key of any length");
        for part in parts {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn card_number_mac(&self, number: &CardNumber) -> String {
        self.mac(&["card-number", number.digits()])
    }

    /// A security code, bound to its card so equal codes on two cards hash differently.
    pub fn card_code_mac(&self, number: &CardNumber, which: &str, code: &str) -> String {
        self.mac(&["card-code", which, number.digits(), code])
    }

    /// A one-time code, bound to the flow it was sent for.
    pub fn one_time_code_mac(&self, flow_hash: &str, code: &str) -> String {
        self.mac(&["one-time-code", flow_hash, code])
    }
}

/// A fresh 256-bit token for a cookie, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored for a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A one-time code of `digits` decimal digits, uniformly drawn.
pub fn random_code(digits: u32) -> String {
    let n = rand::rngs::OsRng.gen_range(0..10u64.pow(digits));
    format!("{n:0width$}", width = digits as usize)
}

/// Compares two hex digests without revealing where they differ.
pub fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_depend_on_the_key_and_the_card() {
        let a = Keys::new(vec![1; 32]);
        let b = Keys::new(vec![2; 32]);
        let n1 = CardNumber::parse("371234567890005").unwrap();
        let n2 = CardNumber::parse("371234567890013").unwrap();
        assert_ne!(a.card_number_mac(&n1), b.card_number_mac(&n1));
        assert_ne!(
            a.card_code_mac(&n1, "front", "1234"),
            a.card_code_mac(&n2, "front", "1234")
        );
        assert_eq!(
            a.card_code_mac(&n1, "front", "1234"),
            a.card_code_mac(&n1, "front", "1234")
        );
        assert!(!a.card_number_mac(&n1).contains("371234567890005"));
    }

    #[test]
    fn codes_have_the_requested_digits() {
        for _ in 0..100 {
            let code = random_code(6);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn tokens_are_unique_and_hashed() {
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token());
        assert_ne!(token_hash(&t), t);
        assert!(same_digest(&token_hash(&t), &token_hash(&t)));
        assert!(!same_digest(&token_hash(&t), &token_hash("other")));
    }
}
