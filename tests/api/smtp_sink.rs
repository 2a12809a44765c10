//! The SMTP sink the mail tests deliver to: lettre's async transport, configured from the sink's
//! `smtp://` URL (plain SMTP, as the outbox worker is), hands it a message that it reads back.

use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
use lettre::message::{Body, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::helpers::smtp::SmtpSink;

#[actix_web::test]
async fn lettre_delivers_over_plain_smtp_and_the_sink_decodes_the_message() {
    let sink = SmtpSink::start().await;
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let confirm =
        format!("https://socialmission.example.org/api/v1/subscriptions/confirm?token={token}&list=newsletter");
    let unsubscribe =
        format!("<https://socialmission.example.org/api/v1/subscriptions/unsubscribe?token={token}>, <mailto:unsubscribe@example.org>");
    let subject = "Confirm your subscription — Réunion annuelle";
    let text = format!("Hello,\n\nPlease confirm your subscription:\n{confirm}\n\nThe Social Mission Alliance\n");
    let html = format!("<p>Please <a href=\"{confirm}\">confirm your subscription</a>.</p>");

    let message = Message::builder()
        .from("Social Mission Alliance <no-reply@example.org>".parse().unwrap())
        .to("member@example.org".parse().unwrap())
        .subject(subject)
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), unsubscribe.clone()))
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(
                    Body::new_with_encoding(text, ContentTransferEncoding::QuotedPrintable).unwrap(),
                ))
                .singlepart(SinglePart::html(html)),
        )
        .unwrap();
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(&sink.url()).expect("a plain smtp:// URL").build();
    mailer.send(message).await.expect("lettre delivers to the sink");

    let messages = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 1);
    let mail = &messages[0];
    assert_eq!(mail.envelope_from, "no-reply@example.org");
    assert_eq!(mail.envelope_to, vec!["member@example.org".to_string()]);
    assert_eq!(mail.header("to").as_deref(), Some("member@example.org"));
    assert_eq!(mail.subject(), subject);
    let subject_line = mail.raw.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(subject_line.contains("=?utf-8?"), "the subject went out RFC 2047-encoded: {subject_line}");
    assert_eq!(mail.header("list-unsubscribe"), Some(unsubscribe));
    // The URL went out quoted-printable, soft-broken over lines ("=\r\n") and with "=" as "=3D";
    // the decoded body has it whole.
    assert!(!mail.raw.contains(&confirm) && mail.raw.contains("=\r\n"), "{}", mail.raw);
    let body = mail.text_body();
    assert!(body.contains(&confirm), "the text body has the confirmation URL intact:\n{body}");
    assert!(body.starts_with("Hello,"), "the text/plain part, not the HTML one:\n{body}");
}

#[actix_web::test]
#[should_panic(expected = "expected at least 1 message(s)")]
async fn waiting_for_mail_that_never_comes_fails_with_what_arrived() {
    let sink = SmtpSink::start().await;
    sink.wait_for(1, Duration::from_millis(100)).await;
}
