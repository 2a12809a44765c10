//! Sealing what must wait in the database but would let its reader act as a person: the body of
//! an unsent message (its links carry live tokens) and the stored answer of a public POST (a
//! registration's carries its manage token). XChaCha20-Poly1305 (RustCrypto) with a random nonce
//! per value, under a key that lives only in the environment (`DATA_KEY`, or derived from
//! `JWT_SECRET`), so a copy of the database alone opens nothing.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 24;
/// The first byte of every sealed value: the format, so the key or cipher can change later.
const VERSION: u8 = 1;

#[derive(Clone)]
pub struct DataKey {
    cipher: XChaCha20Poly1305,
}

#[derive(Debug, thiserror::Error)]
#[error("a sealed value could not be opened (another DATA_KEY or JWT_SECRET sealed it, or it was altered)")]
pub struct Unsealable;

impl DataKey {
    /// The key from a secret of any length: SHA-256 with a label of its own, so the same secret
    /// used for signing tokens never doubles as this key.
    pub fn derive(secret: &SecretString) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"social-mission-api data key v1\0");
        hasher.update(secret.expose_secret().as_bytes());
        let key: [u8; 32] = hasher.finalize().into();
        Self { cipher: XChaCha20Poly1305::new(Key::from_slice(&key)) }
    }

    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self.cipher.encrypt(XNonce::from_slice(&nonce), plain).expect("in-memory encryption cannot fail");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, Unsealable> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != VERSION {
            return Err(Unsealable);
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        self.cipher.decrypt(XNonce::from_slice(nonce), body).map_err(|_| Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_hide_their_text() {
        let key = DataKey::derive(&"one secret".to_string().into());
        let sealed = key.seal(b"https://example.org/confirm?token=abc");
        assert!(!sealed.windows(3).any(|w| w == b"abc"));
        assert_ne!(sealed, key.seal(b"https://example.org/confirm?token=abc"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).unwrap(), b"https://example.org/confirm?token=abc");
        assert!(DataKey::derive(&"another secret".to_string().into()).open(&sealed).is_err());
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(key.open(&altered).is_err());
    }
}
