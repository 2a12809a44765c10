//! Sign-in throttling that protects people, not attackers. Failures are counted per client
//! address and per (account, address), each within `RATE_LIMIT_LOGIN_PER_MINUTE`, so strangers'
//! failures elsewhere never refuse the right password from another address; successes give their
//! units back. An account tried from many addresses is never locked: its sign-ins are slowed by
//! a delay that grows with its recent failures from anywhere.

use std::time::Duration;

use crate::error::ApiError;
use crate::ratelimit::{Limiter, Policy};

/// The longest wait before a password is checked, however hard the account is being tried.
pub const MAX_DELAY: Duration = Duration::from_secs(4);

/// The wait before checking a password of an account with `recent` failures (from anywhere, in
/// the last minute or so): none below `threshold`, then a quarter second, doubling with each
/// further failure, at most `MAX_DELAY`.
pub fn delay(recent: u32, threshold: u32) -> Duration {
    match recent.checked_sub(threshold) {
        None => Duration::ZERO,
        Some(over) => (Duration::from_millis(250) * 2u32.pow(over.min(4))).min(MAX_DELAY),
    }
}

/// One sign-in attempt's units, taken ahead of it (so attempts in flight count): kept when the
/// credentials were wrong, given back by `forgive` otherwise.
pub struct Attempt<'a> {
    limiter: &'a Limiter,
    address: String,
    pair: String,
    account: String,
    /// How long to wait before checking the password.
    pub delay: Duration,
}

impl<'a> Attempt<'a> {
    /// `address` is the caller's rate-limit key (`client_key`), `email` the account as typed
    /// (lower-cased); `threshold` is the failures per minute at which an account is slowed.
    /// A 429 when the address, or the address for this account, has no failures left.
    pub async fn begin(limiter: &'a Limiter, address: &str, email: &str, threshold: u32) -> Result<Self, ApiError> {
        let pair = format!("account:{email}|{address}");
        limiter.begin_attempt(Policy::Login, address).await.into_result(Policy::Login)?;
        if let Err(refused) = limiter.begin_attempt(Policy::Login, &pair).await.into_result(Policy::Login) {
            limiter.forgive(Policy::Login, address).await;
            return Err(refused);
        }
        let account = format!("account:{email}");
        let recent = limiter.strain(Policy::Login, &account).await;
        Ok(Self { limiter, address: address.to_string(), pair, account, delay: delay(recent, threshold) })
    }

    /// The attempt did not fail on its credentials: it counts for nothing.
    pub async fn forgive(self) {
        for key in [&self.address, &self.pair, &self.account] {
            self.limiter.forgive(Policy::Login, key).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use governor::clock::FakeRelativeClock;

    use super::*;
    use crate::config::Config;
    use crate::ratelimit::InProcessLimiter;

    #[test]
    fn the_delay_is_none_below_the_threshold_then_grows_and_is_capped() {
        let ms = |recent| delay(recent, 10).as_millis();
        assert_eq!([ms(0), ms(5), ms(9)], [0, 0, 0]);
        assert_eq!([ms(10), ms(11), ms(12), ms(13), ms(14)], [250, 500, 1000, 2000, 4000]);
        assert_eq!([ms(15), ms(20), ms(u32::MAX)], [4000, 4000, 4000]);
        assert!(delay(u32::MAX, 0) <= MAX_DELAY);
    }

    fn limiter(per_minute: &str) -> Limiter {
        let vars: HashMap<String, String> = [("APP_ENV", "development"), ("RATE_LIMIT_LOGIN_PER_MINUTE", per_minute)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let config = Config::from_vars(vars).unwrap();
        Limiter::in_process(Box::new(InProcessLimiter::with_clock(&config, FakeRelativeClock::default(), 1)))
    }

    #[tokio::test]
    async fn an_account_tried_from_many_addresses_is_slowed_never_refused() {
        let limiter = limiter("4");
        let mut delays = Vec::new();
        for n in 0..20 {
            // One failure from each of twenty addresses: each address is within its budget.
            let attempt = Attempt::begin(&limiter, &format!("ip:10.0.0.{n}"), "a@example.org", 4).await.unwrap();
            delays.push(attempt.delay.as_millis());
        }
        assert_eq!(delays[..9], [0, 0, 0, 0, 250, 500, 1000, 2000, 4000]);
        assert!(delays[9..].iter().all(|&d| d == 4000), "{delays:?}");
        // The right password from a fresh address is slowed, not refused.
        let attempt = Attempt::begin(&limiter, "ip:10.0.1.1", "a@example.org", 4).await.unwrap();
        assert_eq!(attempt.delay, MAX_DELAY);
        attempt.forgive().await;
    }

    #[tokio::test]
    async fn an_address_is_refused_after_its_failures_and_successes_do_not_count() {
        let limiter = limiter("3");
        for _ in 0..10 {
            Attempt::begin(&limiter, "ip:10.0.0.1", "me@example.org", 3).await.unwrap().forgive().await;
        }
        for n in 0..3 {
            Attempt::begin(&limiter, "ip:10.0.0.9", &format!("someone{n}@example.org"), 3).await.unwrap();
        }
        let refused = Attempt::begin(&limiter, "ip:10.0.0.9", "me@example.org", 3).await.err().unwrap();
        assert!(matches!(refused, ApiError::TooManyRequests { retry_after_secs: 20, .. }), "{refused:?}");
        // The account itself is unaffected elsewhere.
        assert_eq!(Attempt::begin(&limiter, "ip:10.0.0.1", "me@example.org", 3).await.unwrap().delay, Duration::ZERO);
    }
}
