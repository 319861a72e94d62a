//! E-mail addresses as account names.

use std::fmt;

/// A syntactically plausible e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadEmail(pub &'static str);

impl Email {
    /// Validates and normalises an address.
    pub fn parse(s: &str) -> Result<Self, BadEmail> {
        let s = s.trim().to_lowercase();
        if s.is_empty() {
            return Err(BadEmail("the e-mail address is missing"));
        }
        if s.len() > 254 {
            return Err(BadEmail("the e-mail address is longer than 254 characters"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BadEmail(
                "the e-mail address contains spaces or control characters",
            ));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(BadEmail("the e-mail address has no @"));
        };
        if local.is_empty() || local.contains('@') || domain.is_empty() {
            return Err(BadEmail("the e-mail address is not name@domain"));
        }
        if !domain.contains('.') && domain != "localhost" {
            return Err(BadEmail("the e-mail address's domain has no dot"));
        }
        if s.contains(['<', '>', '"', ',', ';', '\\', '(', ')', '[', ']']) {
            return Err(BadEmail(
                "the e-mail address contains characters that are not allowed",
            ));
        }
        Ok(Email(s))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        assert_eq!(
            Email::parse(" A@Example.ORG ").unwrap().as_str(),
            "a@example.org"
        );
        for bad in [
            "",
            "a",
            "a@",
            "@b.org",
            "a b@c.org",
            "a@b",
            "a@b.org\r\nBcc: x@y.org",
            "<a@b.org>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@b.org", "a".repeat(260))).is_err());
    }
}
