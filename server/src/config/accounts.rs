//! The account and security keys: the mailer's kind and the checks of their values.

use std::fmt;

use serde::Deserialize;

use super::{ConfigError, Layer, Source};

/// How the server sends e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MailerKind {
    /// Printed to the log (development).
    #[default]
    Console,
    /// One `.eml` file per message in `mail_dir` (development, tests).
    File,
    /// Through `smtp_url`, over TLS.
    Smtp,
}

impl<'de> Deserialize<'de> for MailerKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = MailerKind;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"console\", \"file\" or \"smtp\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MailerKind, E> {
                match v.trim() {
                    "console" => Ok(MailerKind::Console),
                    "file" => Ok(MailerKind::File),
                    "smtp" => Ok(MailerKind::Smtp),
                    other => Err(E::custom(format!(
                        "expected \"console\", \"file\" or \"smtp\", not {other:?}"
                    ))),
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// The roles `two_factor_required_for` may name.
pub const ROLES: &[&str] = &["admin", "developer", "advocate", "user"];

impl Layer {
    /// Checks the account keys this layer sets, normalising origins and URLs.
    pub(super) fn validate_accounts(&mut self, from: &Source) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            key: key.to_owned(),
            from: from.clone(),
            message,
        };
        if let Some(url) = &mut self.public_url {
            let trimmed = url.trim().trim_end_matches('/').to_string();
            if !(trimmed.starts_with("https://") || trimmed.starts_with("http://"))
                || trimmed.contains(char::is_whitespace)
                || trimmed.len() <= "https://".len()
            {
                return Err(invalid(
                    "public_url",
                    format!("{url:?} is not an http(s) URL like https://forms.example.org"),
                ));
            }
            *url = trimmed;
        }
        if let Some(url) = &self.smtp_url {
            let u = url.trim();
            let tls = u.starts_with("smtps://")
                || (u.starts_with("smtp://") && u.contains("tls=required"));
            if !tls {
                return Err(invalid(
                    "smtp_url",
                    "use smtps://host:465 (TLS) or smtp://host:587?tls=required (STARTTLS); \
                     plain-text SMTP is refused"
                        .into(),
                ));
            }
        }
        if let Some(roles) = &mut self.two_factor_required_for {
            for role in roles.iter_mut() {
                *role = role.trim().to_ascii_lowercase();
                if !ROLES.contains(&role.as_str()) {
                    return Err(invalid(
                        "two_factor_required_for",
                        format!("unknown role {role:?} (roles: {})", ROLES.join(", ")),
                    ));
                }
            }
        }
        if let Some(origins) = &mut self.frame_ancestors {
            for origin in origins.iter_mut() {
                *origin = super::parse_origin(origin).map_err(|e| {
                    let why = match e {
                        super::OriginError::Wildcard => "wildcards are refused",
                        super::OriginError::Malformed(why) => why,
                    };
                    invalid("frame_ancestors", format!("{origin:?}: {why}"))
                })?;
            }
        }
        if let Some(m) = self.argon2_memory_kib
            && m < 64
        {
            return Err(invalid(
                "argon2_memory_kib",
                "must be at least 64 (KiB)".into(),
            ));
        }
        Ok(())
    }
}
