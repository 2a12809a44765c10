//! Rate limits behind one small interface, so the state can move to a shared store when the
//! service runs on several machines. The in-process implementation uses `governor` (GCRA).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Gcra};

use crate::config::Config;
use crate::error::ApiError;

/// What a limit is for; each has its own budget per key and minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Sign-in attempts, per client IP and per account.
    Login,
    /// Public form submissions, per client IP.
    Forms,
    /// Anonymous reads, per client IP.
    Reads,
    /// Reads with a partner API key, per key.
    Partner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the budget is whole again.
    pub reset_secs: u64,
    /// Seconds until the next request would be allowed (0 when allowed).
    pub retry_after_secs: u64,
}

impl Decision {
    pub fn into_result(self) -> Result<Self, ApiError> {
        if self.allowed {
            Ok(self)
        } else {
            Err(ApiError::TooManyRequests { retry_after_secs: self.retry_after_secs })
        }
    }
}

pub trait RateLimiter: Send + Sync {
    fn check(&self, policy: Policy, key: &str) -> Decision;
}

type Keyed = Gcra<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

pub struct InProcessLimiter {
    limiters: HashMap<Policy, (u32, Keyed)>,
    clock: DefaultClock,
}

impl InProcessLimiter {
    pub fn from_config(config: &Config) -> Self {
        let limits = [
            (Policy::Login, config.rate_limit_login_per_minute),
            (Policy::Forms, config.rate_limit_forms_per_minute),
            (Policy::Reads, config.rate_limit_reads_per_minute),
            (Policy::Partner, config.rate_limit_partner_per_minute),
        ];
        let limiters = limits
            .into_iter()
            .map(|(policy, per_minute)| {
                let per_minute = per_minute.max(1);
                let quota = Quota::per_minute(NonZeroU32::new(per_minute).expect("at least 1"));
                (policy, (per_minute, Gcra::keyed(quota).with_middleware::<StateInformationMiddleware>()))
            })
            .collect();
        Self { limiters, clock: DefaultClock::default() }
    }
}

impl RateLimiter for InProcessLimiter {
    fn check(&self, policy: Policy, key: &str) -> Decision {
        let (limit, limiter) = &self.limiters[&policy];
        let per_token = Duration::from_secs(60) / *limit;
        match limiter.check_key(&key.to_string()) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                Decision {
                    allowed: true,
                    limit: *limit,
                    remaining,
                    reset_secs: (per_token * (limit - remaining)).as_secs_f64().ceil() as u64,
                    retry_after_secs: 0,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now()).as_secs_f64().ceil().max(1.0) as u64;
                Decision {
                    allowed: false,
                    limit: *limit,
                    remaining: 0,
                    reset_secs: (per_token * *limit).as_secs_f64().ceil() as u64,
                    retry_after_secs: wait,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_budget_and_then_a_retry_after() {
        let mut vars = HashMap::new();
        vars.insert("APP_ENV".to_string(), "development".to_string());
        vars.insert("RATE_LIMIT_LOGIN_PER_MINUTE".to_string(), "3".to_string());
        let limiter = InProcessLimiter::from_config(&Config::from_vars(vars).unwrap());
        let remaining: Vec<u32> = (0..3).map(|_| limiter.check(Policy::Login, "ip:1").remaining).collect();
        assert_eq!(remaining, vec![2, 1, 0]);
        let refused = limiter.check(Policy::Login, "ip:1");
        assert!(!refused.allowed);
        assert!((1..=20).contains(&refused.retry_after_secs), "{refused:?}");
        assert!(limiter.check(Policy::Login, "ip:2").allowed, "keys are independent");
        assert!(limiter.check(Policy::Forms, "ip:1").allowed, "policies are independent");
    }
}
