//! Identifier and secret newtypes: [`SessionId`], [`StepNumber`], [`Secret`], [`UserId`].

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::crypto::random_bytes;
use super::error::IdError;

/// Length of a session id: 32 characters like docassemble's `random_alphanumeric(32)`.
const SESSION_ID_LEN: usize = 32;

const ALPHANUMERIC: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A session id: 32 random characters from `[A-Za-z0-9]` (about 190 bits), safe in URLs.
///
/// Only [`SessionId::generate`] and a validating [`FromStr`] make one.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(String);

/// `len` random letters and digits (uniform) from the operating system's generator.
pub(crate) fn random_alphanumeric(len: usize) -> Result<String, IdError> {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut buf = [0u8; 48];
        random_bytes(&mut buf).map_err(|_| IdError::Random)?;
        // Rejection sampling keeps the distribution uniform: 248 = 4 × 62.
        for b in buf {
            if b < 248 && out.len() < len {
                out.push(char::from(ALPHANUMERIC[usize::from(b % 62)]));
            }
        }
    }
    Ok(out)
}

impl SessionId {
    /// A fresh random id from the operating system's generator.
    pub fn generate() -> Result<Self, IdError> {
        random_alphanumeric(SESSION_ID_LEN).map(Self)
    }

    /// The id as text (what goes into URLs and the database).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SessionId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != SESSION_ID_LEN {
            return Err(IdError::SessionIdLength(s.len()));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IdError::SessionIdCharacters);
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for SessionId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SessionId {
    /// Validates like [`FromStr`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({})", self.0)
    }
}

/// A user account's id (the database's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct UserId(i64);

impl UserId {
    /// Wraps a database id.
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    /// The id as stored.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A step of a session: 1 for the first saved state, +1 for each change (docassemble's `steps`).
/// Serialises as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct StepNumber(u32);

impl StepNumber {
    /// The first step of every session.
    pub const FIRST: StepNumber = StepNumber(1);

    /// A step number; `None` for 0.
    pub fn new(n: u32) -> Option<Self> {
        (n >= 1).then_some(Self(n))
    }

    /// The number itself (≥ 1).
    pub fn get(self) -> u32 {
        self.0
    }

    /// The following step, or `None` on overflow.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }

    /// The previous step, or `None` for the first one.
    pub fn previous(self) -> Option<Self> {
        Self::new(self.0 - 1)
    }

    pub(crate) fn from_db(n: i64) -> Result<Self, IdError> {
        u32::try_from(n)
            .ok()
            .and_then(Self::new)
            .ok_or(IdError::StepNumber(n))
    }

    pub(crate) fn to_db(self) -> i64 {
        i64::from(self.0)
    }
}

impl fmt::Display for StepNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Length in bytes of a [`Secret`].
pub const SECRET_LEN: usize = 32;

/// An anonymous holder's secret: 256 random bits, kept only in the browser's `secret` cookie
/// (43 URL-safe base64 characters). Never stored server-side; wiped from memory on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret([u8; SECRET_LEN]);

impl Secret {
    /// A fresh random secret.
    pub fn generate() -> Result<Self, IdError> {
        let mut bytes = [0u8; SECRET_LEN];
        random_bytes(&mut bytes).map_err(|_| IdError::Random)?;
        Ok(Self(bytes))
    }

    /// The cookie form: unpadded URL-safe base64. Handle with care: this *is* the secret.
    pub fn expose_encoded(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    pub(crate) fn expose_bytes(&self) -> &[u8; SECRET_LEN] {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = IdError;

    /// Parses the cookie form written by [`Secret::expose_encoded`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut decoded = URL_SAFE_NO_PAD
            .decode(s.trim())
            .map_err(|_| IdError::SecretEncoding)?;
        let result = <[u8; SECRET_LEN]>::try_from(decoded.as_slice())
            .map(Self)
            .map_err(|_| IdError::SecretEncoding);
        decoded.zeroize();
        result
    }
}

impl PartialEq for Secret {
    /// Constant-time comparison.
    fn eq(&self, other: &Self) -> bool {
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_32_alphanumerics_and_distinct() {
        let a = SessionId::generate().unwrap();
        let b = SessionId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(a.as_str().parse::<SessionId>().unwrap(), a);
    }

    #[test]
    fn session_id_parsing_rejects_bad_input() {
        assert!(matches!(
            "abc".parse::<SessionId>(),
            Err(IdError::SessionIdLength(3))
        ));
        let bad = format!("{}/", "a".repeat(31));
        assert!(matches!(
            bad.parse::<SessionId>(),
            Err(IdError::SessionIdCharacters)
        ));
        assert!("a".repeat(33).parse::<SessionId>().is_err());
    }

    #[test]
    fn secret_round_trips_and_hides_itself() {
        let s = Secret::generate().unwrap();
        let text = s.expose_encoded();
        assert_eq!(text.len(), 43);
        assert_eq!(text.parse::<Secret>().unwrap(), s);
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert!("short".parse::<Secret>().is_err());
        assert!("!".repeat(43).parse::<Secret>().is_err());
    }

    #[test]
    fn session_ids_in_json_are_validated() {
        let id = SessionId::generate().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<SessionId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<SessionId>("\"../etc/passwd\"").is_err());
        assert_eq!(serde_json::to_string(&StepNumber::FIRST).unwrap(), "1");
    }

    #[test]
    fn step_numbers_start_at_one() {
        assert!(StepNumber::new(0).is_none());
        assert_eq!(StepNumber::FIRST.get(), 1);
        assert!(StepNumber::FIRST.previous().is_none());
        assert_eq!(StepNumber::FIRST.next().unwrap().get(), 2);
        assert!(StepNumber::from_db(-1).is_err());
        assert!(StepNumber::from_db(0).is_err());
        assert_eq!(StepNumber::from_db(7).unwrap().to_db(), 7);
    }
}
