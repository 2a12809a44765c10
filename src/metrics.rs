//! The Prometheus registry of one app: HTTP metrics recorded by `actix-web-prom` (labelled by
//! route pattern, never by raw path) and pool gauges read at scrape time.

use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::{Encoder, IntCounterVec, IntGauge, Opts, Registry, TextEncoder};

use crate::error::ProblemType;

use crate::db::DbPool;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub http: PrometheusMetrics,
    /// Problems answered, by operation id and problem type.
    problems: IntCounterVec,
    /// Public resource lists, by what answered them: the search `index` or the `sql`.
    lists: IntCounterVec,
    pool_max: IntGauge,
    pool_size: IntGauge,
    pool_available: IntGauge,
    pool_waiting: IntGauge,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new();
        let http = PrometheusMetricsBuilder::new("sma")
            .registry(registry.clone())
            .mask_unmatched_patterns("UNMATCHED")
            .build()
            .map_err(|e| anyhow::anyhow!("building the HTTP metrics: {e}"))?;
        let gauge = |name: &str, help: &str| -> anyhow::Result<IntGauge> {
            let g = IntGauge::new(name, help)?;
            registry.register(Box::new(g.clone()))?;
            Ok(g)
        };
        let problems = IntCounterVec::new(
            Opts::new("sma_problems_total", "Problems answered, by operation id and problem type"),
            &["operation", "type"],
        )?;
        registry.register(Box::new(problems.clone()))?;
        let lists = IntCounterVec::new(
            Opts::new(
                "sma_resource_lists_total",
                "Public resource lists and searches, by what answered them (index or sql)",
            ),
            &["source"],
        )?;
        registry.register(Box::new(lists.clone()))?;
        Ok(Self {
            problems,
            lists,
            pool_max: gauge("sma_db_pool_max_connections", "Largest number of database connections the pool may open")?,
            pool_size: gauge("sma_db_pool_connections", "Database connections currently open")?,
            pool_available: gauge("sma_db_pool_idle_connections", "Open database connections not in use")?,
            pool_waiting: gauge("sma_db_pool_waiting_requests", "Requests waiting for a database connection")?,
            registry,
            http,
        })
    }

    /// Counts a problem answered by an operation.
    pub fn problem(&self, operation: &str, kind: ProblemType) {
        self.problems.with_label_values(&[operation, kind.uri()]).inc();
    }

    /// Counts a public list answered by the search index (`true`) or the SQL.
    pub fn list_answered(&self, by_index: bool) {
        self.lists.with_label_values(&[if by_index { "index" } else { "sql" }]).inc();
    }

    /// Every (operation id, problem type URI) answered at least once.
    pub fn problems_answered(&self) -> Vec<(String, String)> {
        use prometheus::core::Collector;
        let mut answered = Vec::new();
        for family in self.problems.collect() {
            for metric in family.get_metric() {
                let label =
                    |name: &str| metric.get_label().iter().find(|l| l.name() == name).map(|l| l.value().to_string());
                if let (Some(operation), Some(kind)) = (label("operation"), label("type")) {
                    answered.push((operation, kind));
                }
            }
        }
        answered
    }

    pub fn render(&self, pool: &DbPool) -> anyhow::Result<String> {
        let status = pool.status();
        self.pool_max.set(status.max_size as i64);
        self.pool_size.set(status.size as i64);
        self.pool_available.set(status.available as i64);
        self.pool_waiting.set(status.waiting as i64);
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer)?;
        Ok(String::from_utf8(buffer)?)
    }
}
