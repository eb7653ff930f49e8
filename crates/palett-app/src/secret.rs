//! Random secrets and their hashes. Session ids and access tokens are 32
//! random bytes; only their SHA-256 is stored. Passwords use Argon2id.

use crate::{AppError, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| AppError::internal(format!("getrandom: {e}")))?;
    Ok(buf)
}

/// 32 random bytes as 64 hex characters.
pub fn random_token() -> Result<String> {
    Ok(hex(&random_bytes::<32>()?))
}

/// HMAC (RFC 2104) with the `hmac` crate, for any hash it supports.
fn mac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length (a long one is hashed first), so
    // `new_from_slice` cannot fail for it.
    let mut m = <M as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    Mac::update(&mut m, msg);
    m.finalize().into_bytes().to_vec()
}

/// HMAC-SHA256: the data key's derived keys and identity hash, research
/// pseudonyms.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    mac::<Hmac<Sha256>>(key, msg)
}

/// HMAC-SHA1: HOTP/TOTP (RFC 4226, 6238), what authenticator apps use.
pub fn hmac_sha1(key: &[u8], msg: &[u8]) -> Vec<u8> {
    mac::<Hmac<Sha1>>(key, msg)
}

/// Whether two secrets (tokens, codes, hashes of them) are equal, in time
/// that does not depend on where they differ (only on their lengths).
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

pub fn sha256_hex(s: &str) -> String {
    sha256_bytes_hex(s.as_bytes())
}

pub fn sha256_bytes_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Argon2id hash in PHC format (blocking: call from `spawn_blocking`).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AppError::internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(e.to_string()))
}

/// Whether `password` matches the PHC `hash` (blocking).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn hash_password_async(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?
}

pub async fn verify_password_async(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the account does
/// not exist, so the time a sign-in takes does not tell which e-mails exist.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        random_token()
            .and_then(|pw| hash_password(&pw))
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_of(b: &[u8]) -> String {
        hex(b)
    }

    #[test]
    fn hmac_matches_rfc_4231_and_rfc_2202_with_long_keys() {
        // RFC 4231 case 6: a 131-byte key, hashed first.
        let key = [0xaau8; 131];
        assert_eq!(
            hex_of(&hmac_sha256(
                &key,
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // RFC 2202 case 6 for HMAC-SHA1 (80-byte key).
        let key = [0xaau8; 80];
        assert_eq!(
            hex_of(&hmac_sha1(
                &key,
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret(b"abc123", b"abc123"));
        assert!(!same_secret(b"abc123", b"abc124"));
        assert!(!same_secret(b"abc123", b"abc12"));
        assert!(!same_secret(b"", b"a"));
    }
}
