//! Structured logs: human-readable text in development, one JSON object per line in production.

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;

/// Libraries that log what they send at debug level: query parameters (tokio-postgres) and SMTP
/// envelopes (lettre), which hold people's addresses. They stay at `info` unless `RUST_LOG`
/// names them explicitly.
const PRIVATE_TARGETS: [&str; 2] = ["tokio_postgres", "lettre"];

fn with_private_targets_capped(spec: &str) -> String {
    PRIVATE_TARGETS.iter().filter(|t| !spec.contains(*t)).fold(spec.to_string(), |s, t| format!("{s},{t}=info"))
}

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(format: LogFormat) {
    let spec = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
    let filter = EnvFilter::try_new(with_private_targets_capped(&spec)).unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr so that stdout carries only what a command prints for its caller.
    let builder = fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libraries_that_log_addresses_stay_at_info() {
        assert_eq!(with_private_targets_capped("debug"), "debug,tokio_postgres=info,lettre=info");
        assert_eq!(with_private_targets_capped("info,lettre=trace"), "info,lettre=trace,tokio_postgres=info");
    }
}
