//! Argon2id password hashing, always on a blocking thread (a hash takes tens of milliseconds).

use anyhow::Context;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

pub async fn hash(password: String) -> anyhow::Result<String> {
    actix_web::web::block(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("the hashing task failed")?
}

/// True when `password` matches `hash`. A malformed stored hash counts as a mismatch.
pub async fn verify(password: String, hash: String) -> anyhow::Result<bool> {
    actix_web::web::block(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .context("the verifying task failed")
}
