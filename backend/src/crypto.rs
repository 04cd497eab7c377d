//! Keyed hashes and random tokens. Card numbers, security codes and one-time codes are stored only
//! as HMAC-SHA256 under the configured key, so a database leak alone reveals none of them; session
//! and flow tokens are stored only as SHA-256, so a leak cannot be replayed as a cookie. The IC card
//! PIN, which a member may need shown again, is the one secret kept reversibly: sealed with AES-256-GCM
//! under its own key, bound to its card.

use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

use portal_domain::card::CardNumber;

#[derive(Clone)]
pub struct Keys {
    mac_key: Vec<u8>,
    pin_key: [u8; 32],
}

impl Keys {
    /// Without a PIN key of its own, one is derived from the MAC key (a different key all the same:
    /// neither reveals the other).
    pub fn new(mac_key: Vec<u8>, pin_key: Option<[u8; 32]>) -> Self {
        let mut keys = Self {
            mac_key,
            pin_key: [0; 32],
        };
        keys.pin_key = pin_key.unwrap_or_else(|| {
            let derived = keys.mac(&["ic-card-pin-key"]);
            let mut key = [0; 32];
            hex::decode_to_slice(derived, &mut key).expect("an HMAC-SHA256 is 32 bytes");
            key
        });
        keys
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

    /// A security code, bound to its card (by the card number's MAC, which the portal keeps, so a
    /// signed-in member can prove the codes of a card she chose by its last digits) so equal codes on
    /// two cards hash differently.
    pub fn card_code_mac(&self, number_mac: &str, which: &str, code: &str) -> String {
        self.mac(&["card-code", which, number_mac, code])
    }

    /// The PIN sealed for its card: hex of a random nonce and the ciphertext with its tag. The card
    /// id is authenticated with it, so a sealed PIN copied to another card's row does not open.
    pub fn seal_pin(&self, card_id: i64, pin: &str) -> String {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let cipher = aes_gcm::Aes256Gcm::new(&self.pin_key.into());
        let nonce: [u8; 12] = rand::random();
        let aad = card_id.to_be_bytes();
        let sealed = cipher
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: pin.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("AES-GCM seals four bytes");
        format!("{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    /// The PIN of `seal_pin`, or `None` when it was sealed under another key or for another card.
    pub fn open_pin(&self, card_id: i64, sealed: &str) -> Option<String> {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let bytes = hex::decode(sealed).ok()?;
        let (nonce, body) = bytes.split_at_checked(12)?;
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let cipher = aes_gcm::Aes256Gcm::new(&self.pin_key.into());
        let aad = card_id.to_be_bytes();
        let pin = cipher
            .decrypt(
                &nonce.into(),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .ok()?;
        String::from_utf8(pin).ok()
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
        let a = Keys::new(vec![1; 32], None);
        let b = Keys::new(vec![2; 32], None);
        let n1 = CardNumber::parse("371234567890005").unwrap();
        let n2 = CardNumber::parse("371234567890013").unwrap();
        assert_ne!(a.card_number_mac(&n1), b.card_number_mac(&n1));
        let (m1, m2) = (a.card_number_mac(&n1), a.card_number_mac(&n2));
        assert_ne!(
            a.card_code_mac(&m1, "front", "1234"),
            a.card_code_mac(&m2, "front", "1234")
        );
        assert_eq!(
            a.card_code_mac(&m1, "front", "1234"),
            a.card_code_mac(&m1, "front", "1234")
        );
        assert!(!a.card_number_mac(&n1).contains("371234567890005"));
    }

    #[test]
    fn a_sealed_pin_opens_only_for_its_card_and_key() {
        let keys = Keys::new(vec![1; 32], None);
        let sealed = keys.seal_pin(7, "2580");
        assert!(!sealed.contains("2580"));
        assert_ne!(sealed, keys.seal_pin(7, "2580"), "a fresh nonce each time");
        assert_eq!(keys.open_pin(7, &sealed).as_deref(), Some("2580"));
        assert_eq!(keys.open_pin(8, &sealed), None);
        assert_eq!(
            Keys::new(vec![1; 32], Some([9; 32])).open_pin(7, &sealed),
            None
        );
        assert_eq!(Keys::new(vec![2; 32], None).open_pin(7, &sealed), None);
        assert_eq!(keys.open_pin(7, "00"), None);
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
