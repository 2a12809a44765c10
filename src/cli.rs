//! The command line: `serve` (the default), `migrate`, `create-admin`, `seed --demo`.

use std::io::IsTerminal;

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::config::Config;
use crate::startup::{prepare_database, serve};
use crate::users::json::Role;

#[derive(Debug, Parser)]
#[command(name = "social-mission-api", version, about = "The Social Mission Alliance API")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Create the database if it is missing and apply the embedded migrations.
    Migrate,
    /// Create an admin account; the password comes from ADMIN_PASSWORD or is asked for.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Show the latest messages the service wrote (development only): recipient, subject and
    /// body with its links, opened with the data key. Messages already sent keep no body.
    Mail {
        /// Only messages to this address.
        #[arg(long)]
        to: Option<String>,
        /// How many, newest first.
        #[arg(long, default_value_t = 10)]
        limit: i64,
    },
    /// Load data: `--demo` adds the demo staff, the vocabularies and the library's real examples.
    Seed {
        #[arg(long)]
        demo: bool,
        /// Synthetic resources to add on top.
        #[arg(long, default_value_t = 0)]
        resources: usize,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::from_env()?;
    crate::telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            prepare_database(&mut config).await?;
            tracing::info!("the database is up to date");
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            prepare_database(&mut config).await?;
            let password = match std::env::var("ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ if std::io::stdin().is_terminal() => rpassword::prompt_password("Password for the new admin: ")?,
                _ => anyhow::bail!("set ADMIN_PASSWORD (stdin is not a terminal to ask for it)"),
            };
            let mut conn = crate::db::connect(config.database_url.expose_secret()).await?;
            let user = crate::seed::create_staff(&mut conn, &email, &name, Role::Admin, password).await?;
            println!("created admin {} ({})", user.email, user.id);
            Ok(())
        }
        Command::Mail { to, limit } => {
            anyhow::ensure!(config.is_development(), "`mail` shows messages only in development (APP_ENV=development)");
            prepare_database(&mut config).await?;
            let mut conn = crate::db::connect(config.database_url.expose_secret()).await?;
            let key = crate::crypto::DataKey::derive(&config.data_key_secret);
            for line in crate::jobs::outbox::latest(&mut conn, &key, to.as_deref(), limit).await? {
                println!("{line}");
            }
            Ok(())
        }
        Command::Seed { demo, resources } => {
            anyhow::ensure!(demo, "nothing to seed: pass --demo");
            anyhow::ensure!(
                config.is_development(),
                "demo data (with demo staff and their published password) is for development only: set APP_ENV=development"
            );
            prepare_database(&mut config).await?;
            let mut conn = crate::db::connect(config.database_url.expose_secret()).await?;
            crate::seed::demo(&mut conn, resources).await.context("seeding demo data")?;
            Ok(())
        }
    }
}
