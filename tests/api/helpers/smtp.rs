//! `SmtpSink`: a real SMTP server on a loopback port that keeps every message it is sent, so a
//! test can run the outbox worker against it and assert on the mail that was delivered.
//!
//! The server is `mailin-embedded` (plain SMTP: no STARTTLS, no AUTH; any sender and recipient
//! accepted); `mailparse` reads what arrived. The server has no shutdown: its thread and its small
//! pool of session threads stay parked until the test process exits.

use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin_embedded::{response, Handler, Response, Server, SslConfig};
use mailparse::{DispositionType, MailHeaderMap, ParsedMail};

/// How many SMTP sessions one sink serves at once (a pooled transport keeps its connections
/// open, and a session beyond this waits for one to close).
const SESSIONS: u32 = 8;

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    /// Starts a sink on `127.0.0.1` at a free port, serving in the background.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding the SMTP sink to a loopback port");
        let port = listener.local_addr().expect("the SMTP sink's address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Collector { received: received.clone(), transaction: None });
        server
            .with_name("smtp-sink.test")
            .with_ssl(SslConfig::None)
            .expect("an SMTP server without TLS")
            .with_num_threads(SESSIONS)
            .with_tcp_listener(listener);
        std::thread::Builder::new()
            .name(format!("smtp-sink-{port}"))
            .spawn(move || {
                if let Err(e) = server.serve() {
                    eprintln!("the SMTP sink on port {port} stopped: {e}");
                }
            })
            .expect("starting the SMTP sink's thread");
        SmtpSink { port, received }
    }

    /// The URL to configure the service's mailer with (plain SMTP, as lettre's `from_url` reads it).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in the order their transactions completed.
    pub fn messages(&self) -> Vec<Mail> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have arrived and returns them all; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Mail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if Instant::now() >= deadline {
                let subjects: Vec<String> =
                    messages.iter().map(|m| m.header("Subject").unwrap_or_else(|| "(no subject)".into())).collect();
                panic!(
                    "the SMTP sink on port {} expected at least {n} message(s) within {timeout:?} but got {}: {subjects:?}",
                    self.port,
                    messages.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One message as delivered: the SMTP envelope and the message text as sent after `DATA`
/// (dot-stuffing undone, CRLF line endings).
#[derive(Debug, Clone)]
pub struct Mail {
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    pub raw: String,
}

impl Mail {
    /// The first header of this name (case-insensitive), unfolded and with RFC 2047 encoded
    /// words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed().headers.get_first_value(name)
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_else(|| panic!("the message has no Subject:\n{}", self.raw))
    }

    /// The first `text/plain` part that is not an attachment (the message itself when it is not
    /// multipart), with its transfer encoding and charset decoded.
    pub fn text_body(&self) -> String {
        let parsed = self.parsed();
        let part = text_plain(&parsed).unwrap_or_else(|| panic!("the message has no text/plain part:\n{}", self.raw));
        part.get_body().unwrap_or_else(|e| panic!("the text/plain part does not decode ({e}):\n{}", self.raw))
    }

    fn parsed(&self) -> ParsedMail<'_> {
        mailparse::parse_mail(self.raw.as_bytes())
            .unwrap_or_else(|e| panic!("the SMTP sink received a message that does not parse ({e}):\n{}", self.raw))
    }
}

fn text_plain<'m, 'a>(part: &'m ParsedMail<'a>) -> Option<&'m ParsedMail<'a>> {
    if part.subparts.is_empty() {
        let attachment = part.get_content_disposition().disposition == DispositionType::Attachment;
        (part.ctype.mimetype.eq_ignore_ascii_case("text/plain") && !attachment).then_some(part)
    } else {
        part.subparts.iter().find_map(|p| text_plain(p))
    }
}

/// The SMTP session handler: one clone per connection, collecting the transaction in progress.
#[derive(Clone)]
struct Collector {
    received: Arc<Mutex<Vec<Mail>>>,
    transaction: Option<(String, Vec<String>, Vec<u8>)>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.transaction = Some((from.to_owned(), to.to_vec(), Vec::new()));
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some((_, _, data)) = &mut self.transaction {
            data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some((envelope_from, envelope_to, data)) = self.transaction.take() {
            let raw = String::from_utf8_lossy(&data).into_owned();
            self.received.lock().unwrap().push(Mail { envelope_from, envelope_to, raw });
        }
        response::OK
    }
}
