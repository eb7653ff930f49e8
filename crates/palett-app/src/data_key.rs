//! The data key: encryption at rest for personal identity numbers, the
//! restricted field group and profile snapshots, and the keyed hash that
//! lets the database compare identity numbers without holding them.
//!
//! The 32-byte master key comes from configuration (the CLI reads
//! `PALETT_DATA_KEY` or a key file). Three keys are derived from it with
//! HMAC-SHA256 under fixed labels: one for XChaCha20-Poly1305 (a random
//! 24-byte nonce per value, the column name as associated data, so a sealed
//! value cannot be moved to another column), one for the identity hash and
//! one for the fingerprint stored in the database.

use crate::secret::{hmac_sha256, random_bytes};
use crate::{AppError, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use palett_store::sealing::{Sealer, SEALED_PREFIX};
use palett_store::StoreError;

const NONCE_LEN: usize = 24;

pub struct DataKey {
    cipher: XChaCha20Poly1305,
    hash_key: Vec<u8>,
    fingerprint: String,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    pub fn from_bytes(master: &[u8; 32]) -> Self {
        let derive = |label: &str| hmac_sha256(master, label.as_bytes());
        let seal_key = derive("palett/seal/v1");
        Self {
            cipher: XChaCha20Poly1305::new(seal_key.as_slice().into()),
            hash_key: derive("palett/identity-hash/v1"),
            fingerprint: B64.encode(&derive("palett/fingerprint/v1")[..16]),
        }
    }

    /// A key in its text form: 32 bytes in standard base64 (surrounding
    /// white space ignored).
    pub fn parse(text: &str) -> Result<Self> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|_| AppError::internal("the data key is not base64"))?;
        let master: [u8; 32] = bytes
            .try_into()
            .map_err(|_| AppError::internal("the data key is not 32 bytes"))?;
        Ok(Self::from_bytes(&master))
    }

    /// A new random key and its text form (for a key file).
    pub fn generate() -> Result<(Self, String)> {
        let master = random_bytes::<32>()?;
        Ok((Self::from_bytes(&master), B64.encode(master)))
    }
}

fn sealing(msg: &str) -> StoreError {
    StoreError::Sealing(msg.into())
}

impl Sealer for DataKey {
    fn seal(&self, column: &str, plain: &str) -> palett_store::Result<String> {
        let nonce = random_bytes::<NONCE_LEN>().map_err(|_| sealing("no randomness"))?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| sealing("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{SEALED_PREFIX}{}", B64.encode(out)))
    }

    fn open(&self, column: &str, stored: &str) -> palett_store::Result<String> {
        let Some(body) = stored.strip_prefix(SEALED_PREFIX) else {
            return Ok(stored.to_string());
        };
        let bytes = B64.decode(body).map_err(|_| sealing("not base64"))?;
        if bytes.len() < NONCE_LEN {
            return Err(sealing("too short"));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| sealing("a sealed value does not open with this key"))?;
        String::from_utf8(plain).map_err(|_| sealing("not UTF-8"))
    }

    fn identity_hash(&self, partnership_id: i64, number: &str) -> String {
        let mut msg = partnership_id.to_be_bytes().to_vec();
        msg.extend_from_slice(number.as_bytes());
        B64.encode(hmac_sha256(&self.hash_key, &msg))
    }

    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> DataKey {
        DataKey::from_bytes(&[b; 32])
    }

    #[test]
    fn a_sealed_value_opens_to_the_plaintext_and_hides_it() {
        let k = key(1);
        let sealed = k.seal("c", "199001011234").expect("ok");
        assert!(sealed.starts_with("enc1:"));
        assert!(!sealed.contains("199001011234"));
        assert_eq!(k.open("c", &sealed).expect("ok"), "199001011234");
        // A fresh nonce each time: equal plaintexts do not look equal.
        assert_ne!(sealed, k.seal("c", "199001011234").expect("ok"));
    }

    #[test]
    fn another_key_another_column_or_an_altered_value_do_not_open() {
        let sealed = key(1).seal("c", "secret").expect("ok");
        assert!(key(2).open("c", &sealed).is_err());
        assert!(key(1).open("d", &sealed).is_err());
        let mut altered = sealed.into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert!(key(1)
            .open("c", &String::from_utf8(altered).expect("ok"))
            .is_err());
    }

    #[test]
    fn legacy_plaintext_reads_as_it_is() {
        assert_eq!(key(1).open("c", "hello").expect("ok"), "hello");
    }

    #[test]
    fn the_identity_hash_is_keyed_and_bound_to_the_partnership() {
        let (a, b) = (key(1), key(2));
        assert_eq!(a.identity_hash(1, "x"), a.identity_hash(1, "x"));
        assert_ne!(a.identity_hash(1, "x"), a.identity_hash(2, "x"));
        assert_ne!(a.identity_hash(1, "x"), b.identity_hash(1, "x"));
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    /// Existing installations hold sealed values, identity hashes and the
    /// key fingerprint made with today's derivation: a fixed key must keep
    /// giving exactly these (pinned from the hand-written HMAC before it
    /// was replaced by the `hmac` crate).
    #[test]
    fn derived_keys_stay_what_existing_data_was_made_with() {
        let k = key(7);
        assert_eq!(k.fingerprint(), "z1i9jXlrP9CVPfG+hj4FAg==");
        assert_eq!(
            k.identity_hash(3, "199001011234"),
            "bLK8R/2T4Vwv2AcuBEiZvTjL6VlmniCopqekMzDpLi8="
        );
        assert_eq!(
            k.open(
                "participants.pnr",
                "enc1:KwaG3899T9gfYxCNu4HUsj32+/HGVe6bI+srpx2PZv/raIxLh+zn5bNNzzSSrnu3Vpru9A=="
            )
            .expect("opens"),
            "199001011234"
        );
    }

    #[test]
    fn a_key_round_trips_through_its_text_form() {
        let (k, text) = DataKey::generate().expect("ok");
        let again = DataKey::parse(&format!("{text}\n")).expect("ok");
        assert_eq!(k.fingerprint(), again.fingerprint());
        assert!(DataKey::parse("short").is_err());
        assert!(DataKey::parse(&B64.encode([0u8; 16])).is_err());
    }
}
