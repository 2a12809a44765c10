//! From configuration to a listening server: find or start the database, migrate, serve.

use secrecy::ExposeSecret;

use crate::app::Application;
use crate::config::Config;
use crate::db::{self, local_cluster};

/// Makes sure the configured database exists and is migrated, starting a private cluster in
/// development when nothing answers at the default URL. Updates `config.database_url` when it does.
pub async fn prepare_database(config: &mut Config) -> anyhow::Result<()> {
    let url = config.database_url.expose_secret().to_string();
    if let Err(reason) = db::check_server(&url).await {
        let can_start_local = config.is_development()
            && config.database_url_is_default
            && local_cluster::find_program("initdb").is_some();
        if !can_start_local {
            anyhow::bail!(
                "cannot reach PostgreSQL at {} ({reason}). Set DATABASE_URL to a running server, or start one: \
                 `docker compose up -d db`, or install your distribution's package (`sudo apt-get install postgresql`).",
                db::redact_url(&url)
            );
        }
        tracing::warn!(%reason, "no PostgreSQL at the default URL; starting a private cluster in {}", config.local_pg_dir);
        let (_, name) = db::split_database_url(&url)?;
        let (dir, port) = (config.local_pg_dir.clone(), config.local_pg_port);
        let local = tokio::task::spawn_blocking(move || local_cluster::start(&dir, port, &name)).await??;
        config.database_url = local.into();
    }
    let url = config.database_url.expose_secret().to_string();
    if db::create_database_if_missing(&url).await? {
        tracing::info!(database = %db::redact_url(&url), "created the database");
    }
    db::run_migrations(&url).await
}

pub async fn serve(mut config: Config) -> anyhow::Result<()> {
    prepare_database(&mut config).await?;
    let pool = db::build_pool(config.database_url.expose_secret(), config.db_pool_size, config.db_statement_timeout)?;
    if config.is_development() {
        crate::seed::demo_on_first_start(&mut *pool.get().await?).await?;
    }
    let host = config.host.clone();
    let app = Application::build(config, pool).await?;
    let stopper = app.stopper();
    tokio::spawn(async move {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("listening for SIGTERM");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        stopper.stop();
    });
    tracing::info!("listening on http://{host}:{} (API references at /reference and /docs)", app.port());
    app.run().await
}
