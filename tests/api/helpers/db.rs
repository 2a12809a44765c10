//! Test databases: one migrated template per version of `migrations/`, cloned for every test.

use std::path::Path;

use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use social_mission_api::db::{quote_ident, run_migrations};
use tokio::sync::OnceCell;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The server tests run against: `TEST_DATABASE_URL` (its database is only used to connect).
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn url_for(database: &str) -> String {
    let mut url = url::Url::parse(&server_url()).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{database}"));
    url.to_string()
}

pub async fn admin_connection() -> AsyncPgConnection {
    let url = server_url();
    AsyncPgConnection::establish(&url).await.unwrap_or_else(|e| {
        panic!(
            "\n\ncannot reach PostgreSQL at {url} ({e}).\nThe tests need a server: start one (`docker compose up -d db`, or \
             `sudo apt-get install postgresql`), or point TEST_DATABASE_URL at one.\n\n"
        )
    })
}

/// Of the migrations' names and contents, not of where the checkout is: two clones of one version
/// share a template.
fn migrations_hash() -> String {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"));
    let mut files: Vec<_> = walk(root);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.strip_prefix(root).unwrap_or(&file).to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).expect("reading a migration"));
    }
    hex::encode(&hasher.finalize()[..6])
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("reading migrations/").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Drops databases left by test processes that no longer run, and templates of other migrations
/// made more than two hours ago (a younger one may serve a run of another checkout right now).
async fn sweep(conn: &mut AsyncPgConnection, current_template: &str) {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'sma\\_test\\_%' OR (datname LIKE 'sma\\_tpl\\_%' \
         AND coalesce(substring(shobj_description(oid, 'pg_database') from '^made (\\d+)$')::bigint, 0) \
             < extract(epoch from now())::bigint - 7200)",
    )
    .load(conn)
    .await
    .unwrap_or_default();
    for Name { datname } in names {
        let stale = if let Some(rest) = datname.strip_prefix("sma_test_") {
            let pid = rest.split('_').next().unwrap_or("");
            !Path::new(&format!("/proc/{pid}")).exists()
        } else {
            datname != current_template && !datname.contains("_build_")
        };
        if stale {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&datname)))
                .execute(conn)
                .await;
        }
    }
}

async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("sma_tpl_{}", migrations_hash());
            let mut conn = admin_connection().await;
            sweep(&mut conn, &name).await;
            let exists: Vec<Name> = diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
                .bind::<Text, _>(&name)
                .load(&mut conn)
                .await
                .unwrap();
            if exists.is_empty() {
                // Migrate under a private name and rename into place, so no test ever clones a
                // half-migrated template, even when several test processes start at once.
                let building = format!("{name}_build_{}", std::process::id());
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&building)))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&building)))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                run_migrations(&url_for(&building)).await.expect("migrating the template database");
                let renamed = diesel::sql_query(format!(
                    "ALTER DATABASE {} RENAME TO {}",
                    quote_ident(&building),
                    quote_ident(&name)
                ))
                .execute(&mut conn)
                .await;
                let made = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                let _ = diesel::sql_query(format!("COMMENT ON DATABASE {} IS 'made {made}'", quote_ident(&name)))
                    .execute(&mut conn)
                    .await;
                if renamed.is_err() {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&building)))
                            .execute(&mut conn)
                            .await;
                }
            }
            name
        })
        .await
        .clone()
}

/// A fresh, migrated database of its own; dropped by `drop_database`.
pub async fn create_test_database() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let template = template().await;
    let name = format!("sma_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let mut conn = admin_connection().await;
    diesel::sql_query(format!(
        "CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY",
        quote_ident(&name),
        quote_ident(&template)
    ))
    .execute(&mut conn)
    .await
    .expect("cloning the template database");
    name
}

/// Drops a test database from a plain thread (this runs in `Drop`, inside the test's runtime).
pub fn drop_database(name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut conn = admin_connection().await;
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&name)))
                .execute(&mut conn)
                .await;
        });
    })
    .join();
}
