//! HAProxy from Debian's package, the load balancer of the multi-instance tests: installed with
//! apt-get on first use when missing (our machines and CI run as root; elsewhere the panic names
//! the command), started in the foreground with a generated configuration, stopped on drop.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static HAPROXY: OnceLock<PathBuf> = OnceLock::new();

fn installed() -> Option<PathBuf> {
    ["/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"].iter().map(PathBuf::from).find(|p| p.exists())
}

/// The `haproxy` binary, installed when missing.
pub fn haproxy() -> PathBuf {
    HAPROXY
        .get_or_init(|| {
            if let Some(found) = installed() {
                return found;
            }
            let apt = |args: &[&str]| {
                Command::new("apt-get")
                    .args(args)
                    .env("DEBIAN_FRONTEND", "noninteractive")
                    .stdout(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            };
            let _ = apt(&["update", "-qq"]);
            assert!(
                apt(&["install", "-y", "-qq", "haproxy"]) && installed().is_some(),
                "the deploy test needs HAProxy: sudo apt-get install haproxy"
            );
            installed().expect("just installed")
        })
        .clone()
}

/// A load balancer on `port` in front of `backends` (ports on 127.0.0.1): round robin, each
/// backend checked on `/health/ready` every 100 ms, and an idempotent request whose backend
/// refused or dropped the connection retried on another (what a rolling restart relies on).
pub struct LoadBalancer {
    child: Child,
    config: PathBuf,
    pub port: u16,
}

impl LoadBalancer {
    pub fn start(port: u16, backends: &[u16]) -> Self {
        let servers: String =
            backends.iter().enumerate().map(|(i, p)| format!("    server api{i} 127.0.0.1:{p} check\n")).collect();
        let config = std::env::temp_dir().join(format!("sma-haproxy-{}-{port}.cfg", std::process::id()));
        std::fs::write(
            &config,
            format!(
                "global\n    maxconn 512\n\
                 defaults\n    mode http\n    timeout connect 1s\n    timeout client 10s\n    timeout server 10s\n\
                 \x20   retries 3\n    option redispatch 1\n    retry-on conn-failure empty-response response-timeout\n\
                 \x20   option httpchk GET /health/ready\n    timeout check 2s\n    default-server inter 100ms fall 1 rise 1\n\
                 frontend api\n    bind 127.0.0.1:{port}\n    default_backend instances\n\
                 backend instances\n    balance roundrobin\n{servers}"
            ),
        )
        .unwrap();
        let child = Command::new(haproxy())
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting haproxy");
        let deadline = Instant::now() + Duration::from_secs(10);
        // Listening, and a backend found ready (a request through it answered 200).
        while !answers_200(port) {
            assert!(Instant::now() < deadline, "haproxy did not start, or found no backend ready");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, config, port }
    }
}

/// Whether `GET /health/live` through the balancer on `port` answers 200.
fn answers_200(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut head = [0u8; 12];
    stream.write_all(b"GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n").is_ok()
        && stream.read_exact(&mut head).is_ok()
        && &head[9..12] == b"200"
}

impl Drop for LoadBalancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.config);
    }
}
