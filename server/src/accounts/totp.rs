//! Two-factor sign-in: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock skew) and
//! one-time recovery codes.

use totp_rs::{Algorithm, TOTP};

/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;

/// A TOTP secret could not be used, or the random generator failed.
#[derive(Debug, thiserror::Error)]
pub enum TotpError {
    #[error("the TOTP secret is unusable: {0}")]
    Secret(String),
    #[error("the random generator failed")]
    Random,
}

/// A fresh 160-bit TOTP secret.
pub fn new_secret() -> Result<Vec<u8>, TotpError> {
    let mut s = vec![0u8; 20];
    getrandom::fill(&mut s).map_err(|_| TotpError::Random)?;
    Ok(s)
}

fn totp(secret: &[u8], account: &str) -> Result<TOTP, TotpError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret.to_vec(),
        Some("Colloquy".to_string()),
        account.to_string(),
    )
    .map_err(|e| TotpError::Secret(e.to_string()))
}

/// The `otpauth://` URI an authenticator app reads (as text or a QR code), and the secret in
/// base32 for typing in.
pub fn provisioning(secret: &[u8], account: &str) -> Result<(String, String), TotpError> {
    let t = totp(secret, account)?;
    Ok((t.get_url(), t.get_secret_base32()))
}

/// Whether `code` is valid now (or one step before or after). Anything but 6 digits is not.
pub fn check(secret: &[u8], account: &str, code: &str) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match totp(secret, account) {
        Ok(t) => t.check_current(&code).unwrap_or(false),
        Err(_) => false,
    }
}

/// The 30-second time step (one before or after `unix_time`'s included) whose code is `code`,
/// if any. The caller records the step so that a code works only once.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, "x").ok()?;
    let now = unix_time / 30;
    let mut found = None;
    for step in [now.saturating_sub(1), now, now + 1] {
        let expected = t.generate(step * 30);
        // Compared without an early exit.
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(expected.len() ^ code.len(), |acc, (a, b)| {
                acc | usize::from(a ^ b)
            })
            == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The code for `unix_time` (tests and the e2e helper).
pub fn code_at(secret: &[u8], unix_time: u64) -> Result<String, TotpError> {
    Ok(totp(secret, "x")?.generate(unix_time))
}

/// Fresh recovery codes: `xxxxx-xxxxx` from 32 letters and digits (50 bits each).
pub fn new_recovery_codes() -> Result<Vec<String>, TotpError> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz234567890";
    let mut out = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut raw = [0u8; 10];
        getrandom::fill(&mut raw).map_err(|_| TotpError::Random)?;
        let mut code = String::with_capacity(11);
        for (i, b) in raw.iter().enumerate() {
            if i == 5 {
                code.push('-');
            }
            code.push(char::from(ALPHABET[usize::from(b % 32)]));
        }
        out.push(code);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_check() {
        let s = new_secret().unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let code = code_at(&s, now).unwrap();
        assert!(check(&s, "a@b.org", &code));
        assert!(!check(&s, "a@b.org", "12345"));
        assert!(!check(&s, "a@b.org", "abcdef"));
        let old = code_at(&s, now - 300).unwrap();
        if old != code {
            assert!(!check(&s, "a@b.org", &old));
        }
        assert_eq!(matching_step(&s, &code, now), Some(now / 30));
        let next = code_at(&s, now + 30).unwrap();
        assert_eq!(matching_step(&s, &next, now), Some(now / 30 + 1));
        assert_eq!(matching_step(&s, "12345x", now), None);
        let (uri, b32) = provisioning(&s, "a@b.org").unwrap();
        assert!(uri.starts_with("otpauth://totp/"));
        assert_eq!(b32.len(), 32);
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes.iter().all(|c| c.len() == 11));
    }
}
