//! A software passkey: an ES256 key pair that answers WebAuthn options as a platform authenticator
//! would (user present and verified, "none" attestation), so the server's ceremonies can be tested
//! over HTTP without a browser. Its counter can be set back to play a cloned key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_cbor_2::Value as Cbor;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const BACKUP_ELIGIBLE: u8 = 0x08;
const BACKED_UP: u8 = 0x10;
const ATTESTED_DATA: u8 = 0x40;

pub struct SoftPasskey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    pub counter: u32,
    /// Backed up to a provider (a synced passkey).
    pub synced: bool,
    origin: String,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn cbor_map(entries: Vec<(Cbor, Cbor)>) -> Cbor {
    Cbor::Map(entries.into_iter().collect::<BTreeMap<_, _>>())
}

impl SoftPasskey {
    /// A new key for `origin` (`http://localhost:<port>`); the RP ID is its host.
    pub fn new(origin: &str) -> Self {
        Self {
            key: SigningKey::from_slice(&rand::random::<[u8; 32]>()).unwrap(),
            credential_id: rand::random::<[u8; 16]>().to_vec(),
            user_handle: Vec::new(),
            counter: 0,
            synced: false,
            origin: origin.to_string(),
        }
    }

    fn rp_id_hash(&self) -> Vec<u8> {
        let host = self
            .origin
            .split_once("://")
            .map(|(_, rest)| rest.split(':').next().unwrap())
            .unwrap();
        Sha256::digest(host.as_bytes()).to_vec()
    }

    fn flags(&self) -> u8 {
        let backup = if self.synced {
            BACKUP_ELIGIBLE | BACKED_UP
        } else {
            0
        };
        USER_PRESENT | USER_VERIFIED | backup
    }

    fn client_data(&self, kind: &str, challenge: &Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind,
            "challenge": challenge,
            "origin": self.origin,
            "crossOrigin": false,
        }))
        .unwrap()
    }

    fn public_key(&self) -> Cbor {
        let point = self.key.verifying_key().to_encoded_point(false);
        cbor_map(vec![
            (Cbor::Integer(1), Cbor::Integer(2)),
            (Cbor::Integer(3), Cbor::Integer(-7)),
            (Cbor::Integer(-1), Cbor::Integer(1)),
            (Cbor::Integer(-2), Cbor::Bytes(point.x().unwrap().to_vec())),
            (Cbor::Integer(-3), Cbor::Bytes(point.y().unwrap().to_vec())),
        ])
    }

    /// Answers the options of `passkey_register_start` as `navigator.credentials.create` would.
    pub fn register(&mut self, options: &Value) -> Value {
        let options = &options["publicKey"];
        self.user_handle = URL_SAFE_NO_PAD
            .decode(options["user"]["id"].as_str().unwrap())
            .unwrap();
        let client_data = self.client_data("webauthn.create", &options["challenge"]);
        let mut auth_data = self.rp_id_hash();
        auth_data.push(self.flags() | ATTESTED_DATA);
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]);
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(serde_cbor_2::to_vec(&self.public_key()).unwrap());
        let attestation = cbor_map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), cbor_map(vec![])),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(&serde_cbor_2::to_vec(&attestation).unwrap()),
                "clientDataJSON": b64(&client_data),
            },
        })
    }

    /// Answers the options of `passkey_sign_in_start` as `navigator.credentials.get` would, after
    /// counting one more use.
    pub fn sign_in(&mut self, options: &Value) -> Value {
        self.counter += 1;
        self.assert(options)
    }

    /// An answer with the counter as it stands (set it back to play a copy of the key).
    pub fn assert(&self, options: &Value) -> Value {
        let client_data = self.client_data("webauthn.get", &options["publicKey"]["challenge"]);
        let mut auth_data = self.rp_id_hash();
        auth_data.push(self.flags());
        auth_data.extend(self.counter.to_be_bytes());
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": b64(&self.user_handle),
            },
        })
    }
}
