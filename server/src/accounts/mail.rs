//! Outgoing e-mail: to the log (console), to files (one `.eml` per message) or via SMTP over
//! TLS (lettre).

use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailerKind};

/// A message to send (plain text), with files attached.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<MailFile>,
}

/// A file attached to a message.
#[derive(Debug, Clone)]
pub struct MailFile {
    pub filename: String,
    pub mimetype: String,
    pub bytes: Vec<u8>,
}

/// Building or sending a message failed.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("cannot write the message to {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error("the mailer is not configured: {0}")]
    Config(String),
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// Logged (development).
    Console { from: Mailbox },
    /// Written to this directory.
    File { from: Mailbox, dir: PathBuf },
    /// Sent through an SMTP server over TLS.
    Smtp {
        from: Mailbox,
        transport: AsyncSmtpTransport<Tokio1Executor>,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Console { .. } => f.write_str("Mailer::Console"),
            Mailer::File { dir, .. } => write!(f, "Mailer::File({})", dir.display()),
            Mailer::Smtp { .. } => f.write_str("Mailer::Smtp"),
        }
    }
}

impl Mailer {
    /// The configured mailer.
    pub fn from_config(c: &Config) -> Result<Self, MailError> {
        let from: Mailbox = c
            .mail_from
            .parse()
            .map_err(|e| MailError::Address(format!("mail_from {:?}: {e}", c.mail_from)))?;
        Ok(match c.mailer {
            MailerKind::Console => Mailer::Console { from },
            MailerKind::File => Mailer::File {
                from,
                dir: c.mail_dir.clone().unwrap_or_else(|| c.data.join("mail")),
            },
            MailerKind::Smtp => {
                let url = c
                    .smtp_url
                    .as_deref()
                    .ok_or_else(|| MailError::Config("mailer = \"smtp\" needs smtp_url".into()))?;
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Config(format!("smtp_url: {e}")))?
                    .build();
                Mailer::Smtp { from, transport }
            }
        })
    }

    /// The console mailer with a `noreply@localhost` sender.
    pub fn console_fallback() -> Self {
        Mailer::Console {
            from: Mailbox::new(None, lettre::Address::new_dangerous("noreply", "localhost")),
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Console { from } | Mailer::File { from, .. } | Mailer::Smtp { from, .. } => {
                from
            }
        }
    }

    /// Sends one message.
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| MailError::Address(format!("{:?}: {e}", mail.to)))?;
        let builder = Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(mail.subject.clone());
        let message = if mail.attachments.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone())
        } else {
            use lettre::message::{Attachment, MultiPart, SinglePart};
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.body.clone()));
            for f in &mail.attachments {
                let ctype = ContentType::parse(&f.mimetype).unwrap_or_else(|_| {
                    ContentType::parse("application/octet-stream")
                        .unwrap_or(ContentType::TEXT_PLAIN)
                });
                parts = parts
                    .singlepart(Attachment::new(f.filename.clone()).body(f.bytes.clone(), ctype));
            }
            builder.multipart(parts)
        }
        .map_err(|e| MailError::Build(e.to_string()))?;
        match self {
            Mailer::Console { .. } => {
                tracing::info!(to = %mail.to, subject = %mail.subject, body = %mail.body, "mail (console mailer)");
                Ok(())
            }
            Mailer::File { dir, .. } => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_file(&dir, &bytes))
                    .await
                    .map_err(|e| MailError::Build(e.to_string()))?
            }
            Mailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Smtp(e.to_string())),
        }
    }
}

fn write_file(dir: &std::path::Path, bytes: &[u8]) -> Result<(), MailError> {
    std::fs::create_dir_all(dir).map_err(|source| MailError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut rand = [0u8; 6];
    getrandom::fill(&mut rand).map_err(|e| MailError::Build(e.to_string()))?;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let name: String = rand.iter().map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("{stamp}-{name}.eml"));
    std::fs::write(&path, bytes).map_err(|source| MailError::Write { path, source })
}
