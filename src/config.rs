//! Typed configuration, read once from the environment. Every variable and its default is
//! listed in the README; `Config::from_env` is the only place that reads them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/social_mission";
/// Only ever valid in development: production refuses to start with it.
pub const DEV_JWT_SECRET: &str = "development-only-jwt-secret-do-not-use-in-production";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    Any,
    List(Vec<String>),
}

/// Where rate limits are counted (`RATE_LIMIT_STORE`).
#[derive(Debug, Clone)]
pub enum RateLimitStore {
    /// In each process (the default): right for one instance.
    Memory,
    /// In Redis at this URL: one budget across every instance.
    Redis(SecretString),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
    /// True when `DATABASE_URL` was not set: only then may development start a private cluster.
    pub database_url_is_default: bool,
    pub db_pool_size: usize,
    /// How many answers to text searches each instance keeps (`SEARCH_KEPT_ANSWERS`; 0: none).
    pub search_kept_answers: usize,
    /// A streaming replica for public reads not answered from memory (`DATABASE_READ_URL`).
    pub database_read_url: Option<SecretString>,
    /// Every pooled connection's `statement_timeout` (exports and OAI-PMH pages lift it).
    pub db_statement_timeout: Duration,
    pub host: String,
    pub port: u16,
    pub app_env: AppEnv,
    pub jwt_secret: SecretString,
    pub cors_allowed_origins: CorsOrigins,
    pub public_base_url: String,
    pub smtp_url: Option<SecretString>,
    /// The `From` of every message the service sends.
    pub mail_from: String,
    /// The website's base URL: links in messages point to its pages.
    pub website_url: String,
    /// Sending attempts per message before the outbox gives up on it.
    pub outbox_max_attempts: i32,
    /// The first retry waits this long; each further one twice as long (capped at an hour).
    pub outbox_retry_base: Duration,
    /// How often the outbox worker looks for due messages when nothing woke it.
    pub outbox_poll: Duration,
    pub log_format: LogFormat,
    pub rate_limit_forms_per_minute: u32,
    pub rate_limit_reads_per_minute: u32,
    pub rate_limit_partner_per_minute: u32,
    /// Failed sign-ins per client address, and per account and address; also how many recent
    /// failures of one account (from anywhere) it takes before its sign-ins are slowed.
    pub rate_limit_login_per_minute: u32,
    /// Uses of secret tokens (confirmation, consent, manage and JSON unsubscribe links) per client address.
    pub rate_limit_tokens_per_minute: u32,
    /// As-you-type suggestions per client address.
    pub rate_limit_suggest_per_minute: u32,
    /// `memory` or a `redis://` URL (`RATE_LIMIT_STORE`).
    pub rate_limit_store: RateLimitStore,
    /// Put before every key this service writes to Redis (`RATE_LIMIT_KEY_PREFIX`).
    pub rate_limit_key_prefix: String,
    /// How long a request waits for Redis before it is counted in this process instead
    /// (`RATE_LIMIT_STORE_TIMEOUT_MS`).
    pub rate_limit_store_timeout: Duration,
    /// How many instances serve together (`INSTANCES`): while Redis does not answer, each counts
    /// this share of every budget in its own process.
    pub instances: u32,
    /// Argon2 hashes and verifications running at once; more wait their turn.
    pub password_hash_concurrency: usize,
    /// A sign-in session ends this long after it began, however often it was refreshed.
    pub session_max_age: Duration,
    pub trusted_proxies: Vec<IpNet>,
    pub request_timeout: Duration,
    pub body_limit_bytes: usize,
    pub shutdown_timeout: Duration,
    /// On SIGTERM, how long the instance keeps serving while `/health/ready` says 503, so a load
    /// balancer stops sending before the listener closes.
    pub shutdown_drain: Duration,
    /// HTTP worker threads (`HTTP_WORKERS`); `None`: one per CPU.
    pub http_workers: Option<usize>,
    pub local_pg_dir: String,
    pub local_pg_port: u16,
    /// OAI-PMH: the `adminEmail` that `Identify` names.
    pub oai_admin_email: String,
    /// OAI-PMH: records (or headers) per page of `ListRecords` and `ListIdentifiers`.
    pub oai_page_size: usize,
    /// OAI-PMH: how long a resumption token stays valid.
    pub oai_token_ttl: Duration,
    /// The secret the data key is derived from (`DATA_KEY`, else `JWT_SECRET`): it seals unsent
    /// messages and stored answers (see `crypto`).
    pub data_key_secret: SecretString,
    /// Retention: a sent (or logged, or failed) message's row is deleted this long after it was made.
    pub retention_messages: Duration,
    /// Retention: an `Idempotency-Key` and its stored answer are kept this long.
    pub retention_idempotency: Duration,
    /// Retention: registrations of an edition lose their personal data this long after it ended.
    pub retention_registrations: Duration,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("APP_ENV=production refuses to start: {0}")]
    UnsafeInProduction(&'static str),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars().collect())
    }

    /// Builds the configuration from a map of variables, so tests never touch the process
    /// environment (which is shared by every test thread).
    pub fn from_vars(vars: HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |name: &str| vars.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());

        // Production unless told otherwise: a binary started with nothing set must be safe.
        let app_env = match get("APP_ENV").as_deref() {
            Some("development") => AppEnv::Development,
            None | Some("production") => AppEnv::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "APP_ENV",
                    reason: format!("`{other}` is neither `development` nor `production`"),
                })
            }
        };
        let log_format = match get("LOG_FORMAT").as_deref() {
            None => match app_env {
                AppEnv::Development => LogFormat::Text,
                AppEnv::Production => LogFormat::Json,
            },
            Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "LOG_FORMAT",
                    reason: format!("`{other}` is neither `text` nor `json`"),
                })
            }
        };
        let cors_allowed_origins = match get("CORS_ALLOWED_ORIGINS") {
            None if app_env == AppEnv::Development => CorsOrigins::Any,
            None => CorsOrigins::List(Vec::new()),
            Some(v) if v == "*" => CorsOrigins::Any,
            Some(v) => CorsOrigins::List(
                v.split(',').map(|o| o.trim().trim_end_matches('/').to_string()).filter(|o| !o.is_empty()).collect(),
            ),
        };
        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(v) => v
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<IpNet>().or_else(|_| p.parse::<IpAddr>().map(IpNet::from)).map_err(|_| {
                        ConfigError::Invalid {
                            name: "TRUSTED_PROXIES",
                            reason: format!("`{p}` is not an IP address or CIDR range"),
                        }
                    })
                })
                .collect::<Result<_, _>>()?,
        };

        let port = parse(&get("PORT"), "PORT", 8080)?;
        let jwt_secret: SecretString = get("JWT_SECRET").unwrap_or_else(|| DEV_JWT_SECRET.into()).into();
        let days = |name: &'static str, default: u64| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(parse::<u64>(&get(name), name, default)?.saturating_mul(86_400)))
        };
        let config = Config {
            database_url_is_default: get("DATABASE_URL").is_none(),
            database_url: get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()).into(),
            db_pool_size: parse(&get("DATABASE_POOL_SIZE"), "DATABASE_POOL_SIZE", 10)?,
            search_kept_answers: parse(&get("SEARCH_KEPT_ANSWERS"), "SEARCH_KEPT_ANSWERS", 1000)?,
            database_read_url: get("DATABASE_READ_URL").map(Into::into),
            db_statement_timeout: Duration::from_millis(parse(
                &get("DATABASE_STATEMENT_TIMEOUT_MS"),
                "DATABASE_STATEMENT_TIMEOUT_MS",
                5_000,
            )?),
            host: get("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port,
            app_env,
            data_key_secret: get("DATA_KEY").map(Into::into).unwrap_or_else(|| jwt_secret.clone()),
            jwt_secret,
            cors_allowed_origins,
            public_base_url: get("PUBLIC_BASE_URL")
                .unwrap_or_else(|| format!("http://localhost:{port}"))
                .trim_end_matches('/')
                .to_string(),
            smtp_url: get("SMTP_URL").map(Into::into),
            mail_from: get("MAIL_FROM")
                .unwrap_or_else(|| "Social Mission Alliance <no-reply@socialmission.org>".into()),
            website_url: get("WEBSITE_URL")
                .or_else(|| get("PUBLIC_BASE_URL"))
                .unwrap_or_else(|| format!("http://localhost:{port}"))
                .trim_end_matches('/')
                .to_string(),
            outbox_max_attempts: parse(&get("OUTBOX_MAX_ATTEMPTS"), "OUTBOX_MAX_ATTEMPTS", 8)?,
            outbox_retry_base: Duration::from_millis(parse(
                &get("OUTBOX_RETRY_BASE_MS"),
                "OUTBOX_RETRY_BASE_MS",
                30_000,
            )?),
            outbox_poll: Duration::from_millis(parse(&get("OUTBOX_POLL_MS"), "OUTBOX_POLL_MS", 1_000)?),
            log_format,
            rate_limit_forms_per_minute: parse(&get("RATE_LIMIT_FORMS_PER_MINUTE"), "RATE_LIMIT_FORMS_PER_MINUTE", 20)?,
            rate_limit_reads_per_minute: parse(
                &get("RATE_LIMIT_READS_PER_MINUTE"),
                "RATE_LIMIT_READS_PER_MINUTE",
                600,
            )?,
            rate_limit_partner_per_minute: parse(
                &get("RATE_LIMIT_PARTNER_PER_MINUTE"),
                "RATE_LIMIT_PARTNER_PER_MINUTE",
                6000,
            )?,
            rate_limit_login_per_minute: parse(&get("RATE_LIMIT_LOGIN_PER_MINUTE"), "RATE_LIMIT_LOGIN_PER_MINUTE", 10)?,
            rate_limit_tokens_per_minute: parse(
                &get("RATE_LIMIT_TOKENS_PER_MINUTE"),
                "RATE_LIMIT_TOKENS_PER_MINUTE",
                30,
            )?,
            rate_limit_suggest_per_minute: parse(
                &get("RATE_LIMIT_SUGGEST_PER_MINUTE"),
                "RATE_LIMIT_SUGGEST_PER_MINUTE",
                3000,
            )?,
            rate_limit_store: match get("RATE_LIMIT_STORE") {
                None => RateLimitStore::Memory,
                Some(v) if v == "memory" => RateLimitStore::Memory,
                Some(v) if v.starts_with("redis://") || v.starts_with("rediss://") => RateLimitStore::Redis(v.into()),
                Some(_) => {
                    return Err(ConfigError::Invalid {
                        name: "RATE_LIMIT_STORE",
                        reason: "must be `memory` or a `redis://` (or `rediss://`) URL".into(),
                    })
                }
            },
            rate_limit_key_prefix: get("RATE_LIMIT_KEY_PREFIX").unwrap_or_else(|| "sma:".into()),
            rate_limit_store_timeout: Duration::from_millis(parse(
                &get("RATE_LIMIT_STORE_TIMEOUT_MS"),
                "RATE_LIMIT_STORE_TIMEOUT_MS",
                250,
            )?),
            instances: match parse(&get("INSTANCES"), "INSTANCES", 1u32)? {
                0 => return Err(ConfigError::Invalid { name: "INSTANCES", reason: "must be at least 1".into() }),
                n => n,
            },
            password_hash_concurrency: match parse(
                &get("PASSWORD_HASH_CONCURRENCY"),
                "PASSWORD_HASH_CONCURRENCY",
                std::thread::available_parallelism().map_or(2, usize::from),
            )? {
                0 => {
                    return Err(ConfigError::Invalid {
                        name: "PASSWORD_HASH_CONCURRENCY",
                        reason: "must be at least 1".into(),
                    })
                }
                n => n,
            },
            session_max_age: days("SESSION_MAX_AGE_DAYS", 30)?,
            trusted_proxies,
            request_timeout: Duration::from_millis(parse(&get("REQUEST_TIMEOUT_MS"), "REQUEST_TIMEOUT_MS", 30_000)?),
            body_limit_bytes: parse(&get("BODY_LIMIT_BYTES"), "BODY_LIMIT_BYTES", 64 * 1024)?,
            shutdown_timeout: Duration::from_secs(parse(&get("SHUTDOWN_TIMEOUT_SECS"), "SHUTDOWN_TIMEOUT_SECS", 30)?),
            shutdown_drain: Duration::from_secs(parse(&get("SHUTDOWN_DRAIN_SECS"), "SHUTDOWN_DRAIN_SECS", 0)?),
            http_workers: match get("HTTP_WORKERS") {
                None => None,
                Some(v) => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => Some(n),
                    _ => {
                        return Err(ConfigError::Invalid {
                            name: "HTTP_WORKERS",
                            reason: format!("`{v}` is not a number of at least 1"),
                        })
                    }
                },
            },
            local_pg_dir: get("LOCAL_PG_DIR").unwrap_or_else(|| ".local/pgdata".into()),
            local_pg_port: parse(&get("LOCAL_PG_PORT"), "LOCAL_PG_PORT", 54329)?,
            oai_admin_email: oai_admin_email(get("OAI_ADMIN_EMAIL"))?,
            oai_page_size: match parse(&get("OAI_PAGE_SIZE"), "OAI_PAGE_SIZE", 100)? {
                0 => return Err(ConfigError::Invalid { name: "OAI_PAGE_SIZE", reason: "must be at least 1".into() }),
                n => n,
            },
            oai_token_ttl: Duration::from_secs(parse(
                &get("OAI_RESUMPTION_TOKEN_TTL_SECS"),
                "OAI_RESUMPTION_TOKEN_TTL_SECS",
                86_400,
            )?),
            retention_messages: days("RETENTION_MESSAGES_DAYS", 30)?,
            retention_idempotency: Duration::from_secs(
                parse(&get("RETENTION_IDEMPOTENCY_HOURS"), "RETENTION_IDEMPOTENCY_HOURS", 24u64)?.saturating_mul(3600),
            ),
            retention_registrations: days("RETENTION_REGISTRATIONS_DAYS", 365)?,
        };
        config.check_production()?;
        Ok(config)
    }

    fn check_production(&self) -> Result<(), ConfigError> {
        if self.app_env != AppEnv::Production {
            return Ok(());
        }
        let secret = self.jwt_secret.expose_secret();
        if secret == DEV_JWT_SECRET {
            return Err(ConfigError::UnsafeInProduction("JWT_SECRET is unset or the development default"));
        }
        if secret.len() < 32 {
            return Err(ConfigError::UnsafeInProduction("JWT_SECRET must be at least 32 characters"));
        }
        if self.data_key_secret.expose_secret().len() < 32 {
            return Err(ConfigError::UnsafeInProduction("DATA_KEY must be at least 32 characters"));
        }
        if self.cors_allowed_origins == CorsOrigins::Any {
            return Err(ConfigError::UnsafeInProduction("CORS_ALLOWED_ORIGINS must list origins, not `*`"));
        }
        Ok(())
    }

    pub fn is_development(&self) -> bool {
        self.app_env == AppEnv::Development
    }
}

/// `Identify` must name an address the OAI-PMH schema accepts (`\S+@(\S+\.)+\S+`).
fn oai_admin_email(value: Option<String>) -> Result<String, ConfigError> {
    let email = value.unwrap_or_else(|| "library@socialmission.org".into());
    let valid = !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.split('.').count() > 1 && domain.split('.').all(|part| !part.is_empty())
        });
    if valid {
        Ok(email)
    } else {
        Err(ConfigError::Invalid { name: "OAI_ADMIN_EMAIL", reason: format!("`{email}` is not an email address") })
    }
}

fn parse<T: std::str::FromStr>(value: &Option<String>, name: &'static str, default: T) -> Result<T, ConfigError> {
    match value {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| ConfigError::Invalid { name, reason: format!("`{v}` is not a valid number") }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_match_the_readme() {
        let c = Config::from_vars(vars(&[("APP_ENV", "development")])).unwrap();
        assert_eq!(c.database_url.expose_secret(), DEFAULT_DATABASE_URL);
        assert!(c.database_url_is_default);
        assert_eq!(c.port, 8080);
        assert_eq!(c.app_env, AppEnv::Development);
        assert_eq!(c.retention_messages, Duration::from_secs(30 * 86_400));
        assert_eq!(c.retention_idempotency, Duration::from_secs(24 * 3600));
        assert_eq!(c.retention_registrations, Duration::from_secs(365 * 86_400));
        assert_eq!(c.rate_limit_forms_per_minute, 20);
        assert_eq!(c.rate_limit_reads_per_minute, 600);
        assert_eq!(c.rate_limit_partner_per_minute, 6000);
        assert_eq!(c.rate_limit_login_per_minute, 10);
        assert_eq!(c.rate_limit_tokens_per_minute, 30);
        assert_eq!(c.db_statement_timeout, Duration::from_millis(5_000));
        assert_eq!(c.rate_limit_store_timeout, Duration::from_millis(250));
        assert_eq!(c.session_max_age, Duration::from_secs(30 * 86_400));
        assert!(c.password_hash_concurrency >= 1);
        assert_eq!(c.cors_allowed_origins, CorsOrigins::Any);
        assert!(c.trusted_proxies.is_empty());
    }

    #[test]
    fn nothing_set_means_production_which_refuses_the_development_secret() {
        let err = Config::from_vars(HashMap::new()).unwrap_err();
        assert!(matches!(err, ConfigError::UnsafeInProduction(m) if m.contains("JWT_SECRET")), "{err}");
        let secret = "a-long-random-production-secret-0123456789";
        let c = Config::from_vars(vars(&[("JWT_SECRET", secret)])).unwrap();
        assert_eq!(c.app_env, AppEnv::Production);
        assert_eq!(c.cors_allowed_origins, CorsOrigins::List(Vec::new()), "no origin it was not given");
        let err = Config::from_vars(vars(&[("JWT_SECRET", secret), ("DATA_KEY", "short")])).unwrap_err();
        assert!(err.to_string().contains("DATA_KEY"), "{err}");
    }

    #[test]
    fn production_refuses_the_development_secret_and_wildcard_cors() {
        let err = Config::from_vars(vars(&[("APP_ENV", "production"), ("CORS_ALLOWED_ORIGINS", "https://a.org")]));
        assert!(matches!(err, Err(ConfigError::UnsafeInProduction(m)) if m.contains("JWT_SECRET")));
        let secret = "a-long-random-production-secret-0123456789";
        let err = Config::from_vars(vars(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", secret),
            ("CORS_ALLOWED_ORIGINS", "*"),
        ]));
        assert!(matches!(err, Err(ConfigError::UnsafeInProduction(m)) if m.contains("CORS")));
        let ok = Config::from_vars(vars(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", secret),
            ("CORS_ALLOWED_ORIGINS", "https://a.org, https://b.org/"),
        ]))
        .unwrap();
        assert_eq!(ok.cors_allowed_origins, CorsOrigins::List(vec!["https://a.org".into(), "https://b.org".into()]));
        assert_eq!(ok.log_format, LogFormat::Json);
    }

    #[test]
    fn oai_settings_have_defaults_and_are_checked() {
        let c = Config::from_vars(vars(&[("APP_ENV", "development")])).unwrap();
        assert_eq!(c.oai_admin_email, "library@socialmission.org");
        assert_eq!(c.oai_page_size, 100);
        assert_eq!(c.oai_token_ttl, Duration::from_secs(86_400));
        for bad in ["nobody", "a@localhost", "a b@example.org", "@example.org", "a@example."] {
            let err = Config::from_vars(vars(&[("OAI_ADMIN_EMAIL", bad)])).unwrap_err();
            assert!(err.to_string().contains("OAI_ADMIN_EMAIL"), "{bad}");
        }
        let err = Config::from_vars(vars(&[("OAI_PAGE_SIZE", "0")])).unwrap_err();
        assert!(err.to_string().contains("OAI_PAGE_SIZE"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Config::from_vars(vars(&[("PORT", "eighty")])).unwrap_err();
        assert!(err.to_string().contains("PORT"));
        let err = Config::from_vars(vars(&[("TRUSTED_PROXIES", "10.0.0.0/8,nope")])).unwrap_err();
        assert!(err.to_string().contains("TRUSTED_PROXIES"));
        let c = Config::from_vars(vars(&[("APP_ENV", "development"), ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")]))
            .unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
    }
}
