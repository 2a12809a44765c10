//! Argon2id password hashing, always on a blocking thread (a hash takes tens of milliseconds).
//! Requests go through `Passwords`, which lets only a few hashes run at once
//! (`PASSWORD_HASH_CONCURRENCY`): a flood of sign-ins waits its turn instead of taking every
//! blocking thread (and every core) from the rest of the service.

use std::sync::Arc;

use anyhow::Context;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
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
    tokio::task::spawn_blocking(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .context("the verifying task failed")
}

/// Hashing and verifying for requests, at most `concurrency` at a time.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Passwords {
    pub fn new(concurrency: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))) }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _turn = self.permits.acquire().await.context("the password semaphore is closed")?;
        hash(password).await
    }

    pub async fn verify(&self, password: String, stored: String) -> anyhow::Result<bool> {
        let _turn = self.permits.acquire().await.context("the password semaphore is closed")?;
        verify(password, stored).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_wait_for_a_free_turn() {
        let passwords = Passwords::new(1);
        let stored = hash("a password".into()).await.unwrap();
        assert!(passwords.verify("a password".into(), stored.clone()).await.unwrap());
        assert!(!passwords.verify("another".into(), stored.clone()).await.unwrap());

        // While the only turn is taken, a verification waits; it runs once the turn is free.
        let held = passwords.permits.clone().acquire_owned().await.unwrap();
        let waiting = tokio::spawn({
            let passwords = passwords.clone();
            let stored = stored.clone();
            async move { passwords.verify("a password".into(), stored).await.unwrap() }
        });
        // Ample time for a verification (tens of milliseconds) that did not wait.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "it must wait for the turn");
        assert_eq!(passwords.permits.available_permits(), 0);
        drop(held);
        assert!(waiting.await.unwrap());
        assert_eq!(passwords.permits.available_permits(), 1, "the turn is given back");
    }
}
