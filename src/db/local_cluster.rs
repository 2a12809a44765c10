//! A private PostgreSQL cluster for development on a machine where no server is running but
//! PostgreSQL's programs are installed. Written against `initdb`/`pg_ctl` directly: the crates
//! that wrap them (`postgresql_embedded`) download a server build, which this project cannot rely on.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

/// Finds a PostgreSQL program on PATH or in Debian's and the usual install folders.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        versions.reverse(); // newest major first
        dirs.extend(versions);
    }
    dirs.extend(["/usr/local/pgsql/bin", "/opt/homebrew/bin", "/usr/local/bin"].map(PathBuf::from));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn is_root() -> bool {
    // `id -u` avoids an unsafe libc call; initdb refuses to run as root, so we must know.
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root.
fn run(program: &Path, args: &[&str]) -> anyhow::Result<()> {
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let output = cmd.args(args).output().with_context(|| format!("running {}", program.display()))?;
    if !output.status.success() {
        bail!("{} failed: {}", program.display(), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

/// Initialises (once) and starts a cluster in `data_dir` listening on 127.0.0.1:`port`, and
/// returns the URL of `database` on it. The cluster keeps running after the service stops;
/// `pg_ctl -D <data_dir> stop` stops it.
pub fn start(data_dir: &str, port: u16, database: &str) -> anyhow::Result<String> {
    let initdb = find_program("initdb").context("initdb is not installed")?;
    let pg_ctl = find_program("pg_ctl").context("pg_ctl is not installed")?;
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {data_dir}"))?;
    let dir = std::fs::canonicalize(data_dir)?;
    let dir_s = dir.to_str().context("the data directory path is not UTF-8")?;
    if is_root() {
        let status = Command::new("chown").args(["-R", "postgres:postgres", dir_s]).status()?;
        anyhow::ensure!(status.success(), "could not hand {dir_s} to the postgres user");
    }
    if !dir.join("PG_VERSION").exists() {
        tracing::info!(data_dir = dir_s, "initialising a private PostgreSQL cluster");
        run(&initdb, &["-D", dir_s, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-instructions"])?;
    }
    let running = dir.join("postmaster.pid").exists() && run(&pg_ctl, &["-D", dir_s, "status"]).is_ok();
    if !running {
        tracing::info!(data_dir = dir_s, port, "starting the private PostgreSQL cluster");
        let options = format!("-p {port} -k {dir_s} -c listen_addresses=127.0.0.1");
        let log = dir.join("server.log");
        run(&pg_ctl, &["-D", dir_s, "-o", &options, "-l", log.to_str().unwrap_or("server.log"), "-w", "start"])?;
    }
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{database}"))
}

/// Makes (once) and starts a streaming replica of the cluster on 127.0.0.1:`primary_port` in
/// `data_dir` (`pg_basebackup -R`, so it follows the primary from then on), listening on
/// 127.0.0.1:`port`, and returns the URL of `database` on it. The primary must accept
/// replication connections from 127.0.0.1 (a cluster made by `start` does). For trying
/// `DATABASE_READ_URL` locally, and for its tests.
pub fn start_replica(primary_port: u16, data_dir: &str, port: u16, database: &str) -> anyhow::Result<String> {
    let basebackup = find_program("pg_basebackup").context("pg_basebackup is not installed")?;
    let pg_ctl = find_program("pg_ctl").context("pg_ctl is not installed")?;
    let dir = Path::new(data_dir);
    if !dir.join("PG_VERSION").exists() {
        // Made by the postgres user (as root: `run`), so it owns the copy.
        let primary = primary_port.to_string();
        let args =
            ["-h", "127.0.0.1", "-p", &primary, "-U", "postgres", "-D", data_dir, "-R", "-X", "stream", "-c", "fast"];
        run(&basebackup, &args)?;
    }
    let dir = std::fs::canonicalize(dir)?;
    let dir_s = dir.to_str().context("the data directory path is not UTF-8")?;
    let options = format!("-p {port} -k {dir_s} -c listen_addresses=127.0.0.1");
    let log = dir.join("server.log");
    run(&pg_ctl, &["-D", dir_s, "-o", &options, "-l", log.to_str().unwrap_or("server.log"), "-w", "start"])?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{database}"))
}

/// Stops the cluster in `data_dir` (fast mode: open sessions are ended).
pub fn stop(data_dir: &str) -> anyhow::Result<()> {
    let pg_ctl = find_program("pg_ctl").context("pg_ctl is not installed")?;
    run(&pg_ctl, &["-D", data_dir, "-m", "fast", "-w", "stop"])
}
