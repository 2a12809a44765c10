//! The connection pool, the embedded migrations, and creating the database when it is missing.
//! Every pooled connection runs under `DATABASE_STATEMENT_TIMEOUT_MS`; the few statements allowed
//! to run long (streamed exports, OAI-PMH pages) lift it for their own transaction only.

pub mod local_cluster;
pub mod reads;
pub mod schema;
pub mod text_enum;

use std::time::Duration;

use anyhow::Context;
use diesel::result::QueryResult;
use diesel::sql_types::{Bool, Text};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

pub fn build_pool(database_url: &str, max_size: usize, statement_timeout: Duration) -> anyhow::Result<DbPool> {
    // `Fast` recycling: a broken connection is noticed by diesel and dropped by the pool; the
    // default (`Verified`) would add a `SELECT 1` round trip to every request. (A connection
    // dropped inside a transaction is broken too, so a `SET LOCAL` never outlives its request.)
    let mut setup = ManagerConfig::default();
    setup.recycling_method = RecyclingMethod::Fast;
    let timeout_ms = statement_timeout.as_millis();
    setup.custom_setup = Box::new(move |url| {
        Box::pin(async move {
            let mut conn = AsyncPgConnection::establish(url).await?;
            conn.batch_execute(&format!("SET statement_timeout = {timeout_ms}"))
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, setup);
    Pool::builder(manager)
        .max_size(max_size)
        // Bounded waits: a missing database makes requests fail fast (503) instead of hanging.
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(3)))
        .recycle_timeout(Some(Duration::from_secs(3)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .context("building the database pool")
}

/// Lifts the statement timeout for the rest of the current transaction (`SET LOCAL`, undone when
/// it ends, so the pooled connection keeps its own): for streamed exports and OAI-PMH pages,
/// which may rightly read the whole library. Call it first inside the transaction.
pub async fn lift_statement_timeout(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    conn.batch_execute("SET LOCAL statement_timeout = 0").await
}

/// True when Postgres cancelled the statement (SQLSTATE 57014: `statement_timeout`, or an
/// operator's `pg_cancel_backend`). diesel-async does not pass the code on, so this reads the
/// server's message (English unless the server's `lc_messages` says otherwise).
pub fn is_cancelled(error: &diesel::result::Error) -> bool {
    matches!(error, diesel::result::Error::DatabaseError(_, info) if info.message().starts_with("canceling statement due to"))
}

/// Applies every pending embedded migration. Runs the synchronous harness on a blocking thread
/// (diesel's `AsyncMigrationHarness` needs a multi-threaded runtime, which tests do not have).
pub async fn run_migrations(database_url: &str) -> anyhow::Result<()> {
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut conn: AsyncConnectionWrapper<AsyncPgConnection> =
            diesel::Connection::establish(&url).context("connecting to run migrations")?;
        // Migrations may rewrite large tables: no timeout, whatever the role's or server's default.
        diesel::connection::SimpleConnection::batch_execute(&mut conn, "SET statement_timeout = 0")
            .context("lifting the statement timeout for migrations")?;
        let applied = conn.run_pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        for version in applied {
            tracing::info!(%version, "applied migration");
        }
        Ok(())
    })
    .await
    .context("the migration task panicked")?
}

/// Splits `postgres://…/name?opts` into the URL of the server's `postgres` database and `name`.
pub fn split_database_url(database_url: &str) -> anyhow::Result<(String, String)> {
    let mut url = url::Url::parse(database_url).context("DATABASE_URL is not a valid URL")?;
    let name = url.path().trim_start_matches('/').to_string();
    anyhow::ensure!(!name.is_empty(), "DATABASE_URL names no database");
    url.set_path("/postgres");
    Ok((url.to_string(), name))
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Creates the database named by `database_url` when it does not exist yet.
pub async fn create_database_if_missing(database_url: &str) -> anyhow::Result<bool> {
    let (admin_url, name) = split_database_url(database_url)?;
    let mut conn = AsyncPgConnection::establish(&admin_url).await?;
    let found: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<Text, _>(&name)
        .get_result(&mut conn)
        .await?;
    if found.exists {
        return Ok(false);
    }
    match diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&name))).execute(&mut conn).await {
        Ok(_) => Ok(true),
        // Another process created it between our check and our CREATE.
        Err(diesel::result::Error::DatabaseError(_, info)) if info.message().contains("already exists") => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Quotes an SQL identifier (CREATE DATABASE takes no bind parameters).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The URL with any password replaced, safe to print.
pub fn redact_url(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("****"));
            }
            url.to_string()
        }
        Err(_) => "(an unparsable DATABASE_URL)".into(),
    }
}

/// Connects to the server behind the URL (its `postgres` database, so the named one need not
/// exist yet) and reports why that failed.
pub async fn check_server(database_url: &str) -> anyhow::Result<()> {
    let (admin_url, _) = split_database_url(database_url)?;
    match tokio::time::timeout(Duration::from_secs(5), AsyncPgConnection::establish(&admin_url)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(anyhow::anyhow!("{e}")),
        Err(_) => Err(anyhow::anyhow!("no answer within 5 seconds")),
    }
}

/// One connection outside the pool, for command-line tasks.
pub async fn connect(database_url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(database_url).await.context("connecting to the database")
}
