//! Passwords: strength rules, Argon2id hashes, and the key-encryption key derived from the
//! password (a second Argon2id with its own salt, so the stored hash reveals nothing of it).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::Config;
use crate::store::Kek;

/// The longest password accepted (Argon2 takes any length; this keeps requests small).
pub const MAX_PASSWORD_LEN: usize = 1024;

/// The strength rules (`password_min_*` keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: u32,
    pub min_lowercase: u32,
    pub min_uppercase: u32,
    pub min_digits: u32,
    pub min_punctuation: u32,
}

impl PasswordPolicy {
    /// The configured rules.
    pub fn from_config(c: &Config) -> Self {
        Self {
            min_length: c.password_min_length,
            min_lowercase: c.password_min_lowercase,
            min_uppercase: c.password_min_uppercase,
            min_digits: c.password_min_digits,
            min_punctuation: c.password_min_punctuation,
        }
    }

    /// Every rule `password` breaks, as sentences (empty: acceptable).
    pub fn problems(&self, password: &str) -> Vec<String> {
        let mut out = Vec::new();
        let count = |f: fn(&char) -> bool| -> u32 {
            u32::try_from(password.chars().filter(f).count()).unwrap_or(u32::MAX)
        };
        let len = u32::try_from(password.chars().count()).unwrap_or(u32::MAX);
        if len < self.min_length {
            out.push(format!(
                "The password must have at least {} characters.",
                self.min_length
            ));
        }
        if password.len() > MAX_PASSWORD_LEN {
            out.push(format!(
                "The password must have at most {MAX_PASSWORD_LEN} bytes."
            ));
        }
        let rules = [
            (
                self.min_lowercase,
                count(|c| c.is_lowercase()),
                "lower-case letter",
            ),
            (
                self.min_uppercase,
                count(|c| c.is_uppercase()),
                "upper-case letter",
            ),
            (self.min_digits, count(|c| c.is_ascii_digit()), "digit"),
            (
                self.min_punctuation,
                count(|c| !c.is_alphanumeric()),
                "character that is not a letter or digit",
            ),
        ];
        for (min, have, what) in rules {
            if have < min {
                let plural = if min == 1 { "" } else { "s" };
                out.push(format!("The password needs at least {min} {what}{plural}."));
            }
        }
        out
    }
}

/// Hashing or key derivation failed (bad parameters; never the user's fault).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the random generator failed")]
    Random,
}

/// A password's stored material: the PHC hash and the key-encryption key's salt and params.
pub struct PasswordMaterial {
    pub hash: String,
    pub kek_salt: Vec<u8>,
    pub kek_params: String,
    pub kek: Kek,
}

/// Argon2id with the configured costs.
#[derive(Debug, Clone, Copy)]
pub struct Hasher {
    memory_kib: u32,
    iterations: u32,
}

impl Hasher {
    /// The configured costs.
    pub fn from_config(c: &Config) -> Self {
        Self {
            memory_kib: c.argon2_memory_kib,
            iterations: c.argon2_iterations,
        }
    }

    fn params(memory_kib: u32, iterations: u32) -> Result<Params, PasswordError> {
        Params::new(memory_kib, iterations, 1, Some(32))
            .map_err(|e| PasswordError::Hash(e.to_string()))
    }

    /// Hashes a new password and derives its key-encryption key (fresh salts).
    pub fn create(&self, password: &str) -> Result<PasswordMaterial, PasswordError> {
        let params = Self::params(self.memory_kib, self.iterations)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| PasswordError::Random)?;
        let salt_string =
            SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hash(e.to_string()))?;
        let hash = argon
            .hash_password(password.as_bytes(), &salt_string)
            .map_err(|e| PasswordError::Hash(e.to_string()))?
            .to_string();
        let mut kek_salt = vec![0u8; 16];
        getrandom::fill(&mut kek_salt).map_err(|_| PasswordError::Random)?;
        let kek_params = format!("m={},t={},p=1", self.memory_kib, self.iterations);
        let kek = derive_kek(password, &kek_salt, &kek_params)?;
        Ok(PasswordMaterial {
            hash,
            kek_salt,
            kek_params,
            kek,
        })
    }
}

/// Whether `password` matches the PHC `hash` (constant time inside argon2).
pub fn verify(hash: &str, password: &str) -> bool {
    if password.len() > MAX_PASSWORD_LEN {
        return false;
    }
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// The key-encryption key of `password` with the stored salt and parameters (`m=…,t=…,p=…`).
pub fn derive_kek(password: &str, salt: &[u8], params: &str) -> Result<Kek, PasswordError> {
    let mut m = None;
    let mut t = None;
    for part in params.split(',') {
        match part.split_once('=') {
            Some(("m", v)) => m = v.parse::<u32>().ok(),
            Some(("t", v)) => t = v.parse::<u32>().ok(),
            _ => {}
        }
    }
    let (Some(m), Some(t)) = (m, t) else {
        return Err(PasswordError::Hash(format!(
            "malformed key parameters {params:?}"
        )));
    };
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, Hasher::params(m, t)?);
    let mut out = [0u8; 32];
    argon
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Kek::from_bytes(out))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn policy() -> PasswordPolicy {
        PasswordPolicy::from_config(&Config::default())
    }

    #[test]
    fn strength_rules() {
        assert!(policy().problems("Correct horse 9").is_empty());
        assert_eq!(policy().problems("Short1a").len(), 1);
        assert_eq!(policy().problems("alllowercase").len(), 2);
        let p = PasswordPolicy {
            min_punctuation: 2,
            ..policy()
        };
        assert_eq!(p.problems("Abcdefghij1!").len(), 1);
        assert!(p.problems("Abcdefghij1!?").is_empty());
        assert!(!policy().problems(&"Aa1".repeat(400)).is_empty());
    }

    #[test]
    fn hash_verify_and_kek() {
        let h = Hasher {
            memory_kib: 64,
            iterations: 1,
        };
        let m = h.create("Tr0ub4dor&3xx").unwrap();
        assert!(m.hash.starts_with("$argon2id$"));
        assert!(verify(&m.hash, "Tr0ub4dor&3xx"));
        assert!(!verify(&m.hash, "Tr0ub4dor&3xy"));
        assert!(!verify("not a hash", "x"));
        let again = derive_kek("Tr0ub4dor&3xx", &m.kek_salt, &m.kek_params).unwrap();
        let other = derive_kek("Tr0ub4dor&3xy", &m.kek_salt, &m.kek_params).unwrap();
        assert_eq!(format!("{again:?}"), "Kek(***)");
        // Same password and salt: same key; checked through wrapping in the store tests.
        assert!(derive_kek("x", &m.kek_salt, "garbage").is_err());
        drop(other);
    }
}
