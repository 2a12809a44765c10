//! Rate limits: what each budget is for (`Policy`), what a check decided (`Decision`), and the
//! `Limiter` every caller goes through. The budgets live in this process (`memory`, the default:
//! one instance, nothing to run) or in Redis (`RATE_LIMIT_STORE=redis://…`, see `shared`), where
//! every instance spends the same budget. When Redis cannot be reached the limiter keeps serving
//! from its own process, each budget divided among `INSTANCES`, and says so (`Limiter::store`).

mod memory;
mod shared;

use std::sync::Weak;
use std::time::Duration;

pub use memory::{InProcessLimiter, RateLimiter};
use shared::SharedStore;

use crate::config::{Config, RateLimitStore};
use crate::error::{ApiError, ProblemType};

/// What a limit is for; each has its own budget per key and minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Failed sign-ins: per client address, per account and address, and the strain on an account.
    Login,
    /// Public form submissions, per client address.
    Forms,
    /// Uses of secret tokens (confirmation, consent, a registration's manage token), per client address.
    Tokens,
    /// Anonymous reads, per client address.
    Reads,
    /// Reads with a partner API key, per key.
    Partner,
    /// As-you-type suggestions, per client address (a request per keystroke).
    Suggest,
}

impl Policy {
    /// The problem type of a request this policy refuses.
    pub fn problem(self) -> ProblemType {
        match self {
            Self::Login => ProblemType::SignInThrottled,
            Self::Forms => ProblemType::FormLimitReached,
            Self::Tokens => ProblemType::LinkLimitReached,
            Self::Reads => ProblemType::ReadLimitReached,
            Self::Partner => ProblemType::PartnerLimitReached,
            Self::Suggest => ProblemType::ReadLimitReached,
        }
    }

    /// The configured budget per key and minute (at least 1).
    pub fn per_minute(self, config: &Config) -> u32 {
        match self {
            Self::Login => config.rate_limit_login_per_minute,
            Self::Forms => config.rate_limit_forms_per_minute,
            Self::Tokens => config.rate_limit_tokens_per_minute,
            Self::Reads => config.rate_limit_reads_per_minute,
            Self::Partner => config.rate_limit_partner_per_minute,
            Self::Suggest => config.rate_limit_suggest_per_minute,
        }
        .max(1)
    }

    /// One process's part of `per_minute` when `instances` processes each count their own:
    /// rounded down for sign-in failures (the instances together never allow more than the
    /// budget: sign-in limits stay strict), rounded up for the others (never below 1).
    pub fn share(self, per_minute: u32, instances: u32) -> u32 {
        let instances = instances.max(1);
        match self {
            Self::Login => per_minute / instances,
            _ => per_minute.div_ceil(instances),
        }
        .max(1)
    }

    /// The policy's name in the shared store's keys.
    fn name(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Forms => "forms",
            Self::Tokens => "tokens",
            Self::Reads => "reads",
            Self::Partner => "partner",
            Self::Suggest => "suggest",
        }
    }
}

const POLICIES: [Policy; 6] =
    [Policy::Login, Policy::Forms, Policy::Tokens, Policy::Reads, Policy::Partner, Policy::Suggest];

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
    /// The decision of `policy` as a result: a 429 of the policy's type when refused.
    pub fn into_result(self, policy: Policy) -> Result<Self, ApiError> {
        if self.allowed {
            Ok(self)
        } else {
            Err(ApiError::TooManyRequests { kind: policy.problem(), retry_after_secs: self.retry_after_secs })
        }
    }
}

/// Where the budgets are counted right now (for `/health/ready`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// In this process: `RATE_LIMIT_STORE=memory`.
    Memory,
    /// In Redis, one budget across every instance.
    Shared,
    /// Redis is configured but not answering: in this process, each budget divided among `INSTANCES`.
    Fallback,
}

/// The rate limiter every caller uses: the shared store when one is configured and answering,
/// this process's budgets otherwise.
pub struct Limiter {
    shared: Option<SharedStore>,
    /// The budgets of this process: the whole budgets with `memory`, a share of them as the
    /// shared store's fallback.
    local: Box<dyn RateLimiter>,
}

impl Limiter {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        Ok(match &config.rate_limit_store {
            RateLimitStore::Memory => Self::in_process(Box::new(InProcessLimiter::from_config(config))),
            RateLimitStore::Redis(url) => Self {
                shared: Some(SharedStore::new(url, config)?),
                local: Box::new(InProcessLimiter::share_of(config, config.instances)),
            },
        })
    }

    /// A limiter of this process only, over the given budgets (tests give a fake clock).
    pub fn in_process(local: Box<dyn RateLimiter>) -> Self {
        Self { shared: None, local }
    }

    /// Where the budgets are counted right now.
    pub fn store(&self) -> Store {
        match &self.shared {
            None => Store::Memory,
            Some(shared) if shared.is_down() => Store::Fallback,
            Some(_) => Store::Shared,
        }
    }

    /// Asks the shared store whether it answers (when one is configured and due to be tried), and
    /// tells where the budgets are counted now: at start, and on every readiness check, so an
    /// instance notices Redis again even when no limited request comes.
    pub async fn probe(&self) -> Store {
        let _ = self.shared(|s| s.ping()).await;
        self.store()
    }

    /// Takes one unit of `key`'s budget under `policy`; refused when none is left.
    pub async fn check(&self, policy: Policy, key: &str) -> Decision {
        if let Some(decision) = self.shared(|s| s.take(policy, shared::Kind::Requests, key)).await {
            return decision;
        }
        self.local.check(policy, key)
    }

    /// For attempts that only count when they fail (sign-in): takes one unit of `key`'s failure
    /// budget ahead of the attempt, so attempts still in flight count too; `forgive` gives it
    /// back when the attempt succeeded. Refused (nothing taken) when none is left.
    pub async fn begin_attempt(&self, policy: Policy, key: &str) -> Decision {
        if let Some(decision) = self.shared(|s| s.take(policy, shared::Kind::Failures, key)).await {
            return decision;
        }
        self.local.begin_attempt(policy, key)
    }

    /// Gives back the unit of a `begin_attempt` or `strain` whose attempt succeeded.
    pub async fn forgive(&self, policy: Policy, key: &str) {
        if self.shared(|s| s.forgive(policy, key)).await.is_none() {
            self.local.forgive(policy, key);
        }
    }

    /// Counts an attempt against `key` that is never refused (an account tried from many
    /// addresses), and answers how many failures it had recently before this one; each is
    /// forgotten after 60/limit seconds. Given back by `forgive` when the attempt succeeded.
    pub async fn strain(&self, policy: Policy, key: &str) -> u32 {
        if let Some(recent) = self.shared(|s| s.strain(policy, key)).await {
            return recent;
        }
        self.local.strain(policy, key)
    }

    /// Runs `op` on the shared store when there is one and it is answering; `None` sends the
    /// caller to this process's budgets (no shared store, or it failed just now).
    async fn shared<'a, T, F>(&'a self, op: impl FnOnce(&'a SharedStore) -> F) -> Option<T>
    where
        F: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let shared = self.shared.as_ref().filter(|s| s.usable())?;
        match op(shared).await {
            Ok(value) => {
                shared.answered();
                Some(value)
            }
            Err(error) => {
                shared.failed(&error);
                None
            }
        }
    }

    /// Forgets this process's keys whose budget is whole again (the shared store's expire by themselves).
    pub fn prune(&self) {
        self.local.prune();
    }
}

/// Prunes `limiter` every `every` until `stop`, or until it is dropped.
pub fn spawn_pruner(
    limiter: Weak<Limiter>,
    every: Duration,
    stop: tokio_util::sync::CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
            match limiter.upgrade() {
                Some(limiter) => limiter.prune(),
                None => return,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_a_budget_never_loosens_sign_in_and_never_reaches_zero() {
        assert_eq!(Policy::Forms.share(20, 1), 20);
        assert_eq!(Policy::Forms.share(20, 3), 7, "rounded up");
        assert_eq!(Policy::Login.share(10, 3), 3, "rounded down: 3 instances allow 9 of 10");
        assert_eq!(Policy::Login.share(2, 3), 1, "never zero");
        assert_eq!(Policy::Reads.share(600, 0), 600, "0 instances is read as 1");
    }
}
