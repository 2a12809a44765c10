//! The Prometheus registry of one app: HTTP metrics recorded by `actix-web-prom` (labelled by
//! route pattern, never by raw path) and pool gauges read at scrape time.

use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::{Encoder, IntGauge, Registry, TextEncoder};

use crate::db::DbPool;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub http: PrometheusMetrics,
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
        Ok(Self {
            pool_max: gauge("sma_db_pool_max_connections", "Largest number of database connections the pool may open")?,
            pool_size: gauge("sma_db_pool_connections", "Database connections currently open")?,
            pool_available: gauge("sma_db_pool_idle_connections", "Open database connections not in use")?,
            pool_waiting: gauge("sma_db_pool_waiting_requests", "Requests waiting for a database connection")?,
            registry,
            http,
        })
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
