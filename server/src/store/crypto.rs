//! The encryption envelope: XChaCha20-Poly1305 with per-session data keys.
//!
//! * Each session has a random 256-bit [`DataKey`]; every step's state is sealed with it under a
//!   fresh 192-bit nonce, with associated data binding the ciphertext to its session id, step
//!   number and key version (so rows cannot be swapped, between steps or sessions).
//! * The data key is stored *wrapped* (sealed) by a holder key:
//!   - anonymous: `HKDF-SHA256(salt = server key, ikm = secret, info = label ‖ session id)` — the
//!     secret lives only in the browser's cookie, so neither a database leak nor a database plus
//!     server-key leak opens a session without the cookie, and a cookie plus database dump is
//!     useless without the server key;
//!   - server (`multi_user` interviews): `HKDF-SHA256(ikm = server key, info = label ‖ session id)`.
//!
//!   A later user-account holder only needs another wrapping key; re-keying a session (login,
//!   `multi_user` switching) re-wraps one key instead of re-encrypting every step.
//! * Sessions are listed per anonymous holder by an opaque tag, `HMAC-SHA256(server key, label ‖
//!   secret)`, which reveals nothing about the secret.
//!
//! * Uploaded files are sealed with the same data key, under a fresh nonce, with associated data
//!   binding them to the session id and the file number (a file cannot pose as a step, or as
//!   another file).
//!
//! Blob layout for wrapped keys, steps and files: `nonce (24 bytes) ‖ ciphertext ‖ tag (16 bytes)`.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::ids::{Secret, SessionId, StepNumber};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// The current envelope version, stored with each step (`key_version`) and each wrapped key.
pub const KEY_VERSION: u32 = 1;

/// Fills `buf` from the operating system's generator.
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(|_| CryptoError::Random)
}

/// Failures inside the envelope. Callers turn `Open` into [`super::StoreError::Decrypt`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Authentication failed: wrong key, altered ciphertext or associated data.
    #[error("authentication failed")]
    Open,
    /// The OS random generator failed.
    #[error("random generator failure")]
    Random,
}

/// Who can unwrap a session's data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderKind {
    /// An anonymous browser holding the `secret` cookie.
    Anonymous,
    /// The server itself (`multi_user: True` interviews): anyone with the session id.
    Server,
    /// A signed-in user: only with that user's key (unwrapped by the password at sign-in).
    User,
}

impl HolderKind {
    /// The database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HolderKind::Anonymous => "anonymous",
            HolderKind::Server => "server",
            HolderKind::User => "user",
        }
    }

    /// Parses the database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "anonymous" => Some(HolderKind::Anonymous),
            "server" => Some(HolderKind::Server),
            "user" => Some(HolderKind::User),
            _ => None,
        }
    }
}

/// The server's 256-bit master key (see [`super::keyfile`]). Wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ServerKey([u8; KEY_LEN]);

impl ServerKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut k = [0u8; KEY_LEN];
        random_bytes(&mut k)?;
        Ok(Self(k))
    }

    /// Wraps raw key bytes (tests, or keys from a secrets manager).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKey(***)")
    }
}

/// A session's random data key. Never stored in the clear; wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; KEY_LEN]);

impl DataKey {
    /// A fresh random data key.
    pub(crate) fn generate() -> Result<Self, CryptoError> {
        let mut k = [0u8; KEY_LEN];
        random_bytes(&mut k)?;
        Ok(Self(k))
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(***)")
    }
}

/// A key that wraps a [`DataKey`].
pub(crate) struct WrapKey(Zeroizing<[u8; KEY_LEN]>);

/// A user's 256-bit key: it wraps the data keys of the user's sessions. Stored only wrapped,
/// by the key-encryption key derived from the password (and, while signed in, by the sign-in
/// token); wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct UserKey([u8; KEY_LEN]);

impl UserKey {
    /// A fresh random user key.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut k = [0u8; KEY_LEN];
        random_bytes(&mut k)?;
        Ok(Self(k))
    }
}

impl fmt::Debug for UserKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserKey(***)")
    }
}

/// A key-encryption key: Argon2id of the password, or HKDF of a sign-in token. Wraps a
/// [`UserKey`].
pub struct Kek(Zeroizing<[u8; KEY_LEN]>);

impl Kek {
    /// Raw bytes (from Argon2id).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Kek(***)")
    }
}

/// The wrapping key of a user-held session: `HKDF(salt = server key, ikm = user key, info =
/// label ‖ session id)`, so the database plus the user key is not enough without the server key.
pub(crate) fn wrap_key_for_user(
    server: &ServerKey,
    user: &UserKey,
    session: &SessionId,
) -> WrapKey {
    let hk = Hkdf::<Sha256>::new(Some(server.expose()), &user.0);
    expand(&hk, b"colloquy/wrap/user/v1\0", session)
}

/// The key wrapping a user key while signed in: `HKDF(salt = server key, ikm = token)`; the
/// token lives only in the browser's sign-in cookie.
pub(crate) fn kek_for_login(server: &ServerKey, token: &[u8]) -> Kek {
    let hk = Hkdf::<Sha256>::new(Some(server.expose()), token);
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    if hk.expand(b"colloquy/login-kek/v1", okm.as_mut()).is_err() {
        okm.zeroize();
    }
    Kek(okm)
}

fn user_key_aad(user_id: i64, purpose: &[u8]) -> Vec<u8> {
    let mut aad = b"colloquy/user-key/v1\0".to_vec();
    aad.extend_from_slice(purpose);
    aad.push(0);
    aad.extend_from_slice(&user_id.to_be_bytes());
    aad
}

/// Seals a user key under a KEK, bound to the user id and the purpose (`password`, `login`).
pub(crate) fn wrap_user_key(
    kek: &Kek,
    key: &UserKey,
    user_id: i64,
    purpose: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    seal(&kek.0, &user_key_aad(user_id, purpose), &key.0)
}

/// Opens a wrapped user key.
pub(crate) fn unwrap_user_key(
    kek: &Kek,
    blob: &[u8],
    user_id: i64,
    purpose: &[u8],
) -> Result<UserKey, CryptoError> {
    let plain = Zeroizing::new(open(&kek.0, &user_key_aad(user_id, purpose), blob)?);
    let bytes = <[u8; KEY_LEN]>::try_from(plain.as_slice()).map_err(|_| CryptoError::Open)?;
    Ok(UserKey(bytes))
}

/// Seals a small server-side secret (a TOTP secret) under the server key, bound to `label`.
pub(crate) fn seal_with_server(
    server: &ServerKey,
    label: &[u8],
    msg: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let key = server_subkey(server, label);
    seal(&key, label, msg)
}

/// Opens what [`seal_with_server`] sealed.
pub(crate) fn open_with_server(
    server: &ServerKey,
    label: &[u8],
    blob: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let key = server_subkey(server, label);
    open(&key, label, blob)
}

fn server_subkey(server: &ServerKey, label: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let hk = Hkdf::<Sha256>::new(None, server.expose());
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    if hk.expand(label, okm.as_mut()).is_err() {
        okm.zeroize();
    }
    okm
}

/// Seals a code's payload under `HKDF(salt = server key, ikm = secret)` expanded with `label`,
/// bound to `label`: the holder of the code's secret and the server key can open it, the
/// database alone cannot.
pub(crate) fn seal_with_code(
    server: &ServerKey,
    label: &[u8],
    secret: &[u8],
    msg: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    seal(&code_key(server, label, secret), label, msg)
}

/// Opens what [`seal_with_code`] sealed.
pub(crate) fn open_with_code(
    server: &ServerKey,
    label: &[u8],
    secret: &[u8],
    blob: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    open(&code_key(server, label, secret), label, blob)
}

fn code_key(server: &ServerKey, label: &[u8], secret: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let hk = Hkdf::<Sha256>::new(Some(server.expose()), secret);
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    if hk.expand(label, okm.as_mut()).is_err() {
        okm.zeroize();
    }
    okm
}

/// `HMAC(server key, label ‖ data)`: a keyed digest for looking up tokens and codes without
/// storing them.
pub(crate) fn keyed_digest(server: &ServerKey, label: &[u8], data: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(server.expose()) else {
        return Vec::new();
    };
    mac.update(label);
    mac.update(b"\0");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The wrapping key of an anonymous holder's session.
pub(crate) fn wrap_key_for_secret(
    server: &ServerKey,
    secret: &Secret,
    session: &SessionId,
) -> WrapKey {
    let hk = Hkdf::<Sha256>::new(Some(server.expose()), secret.expose_bytes());
    expand(&hk, b"colloquy/wrap/anonymous/v1\0", session)
}

/// The wrapping key of a server-held (`multi_user`) session.
pub(crate) fn wrap_key_for_server(server: &ServerKey, session: &SessionId) -> WrapKey {
    let hk = Hkdf::<Sha256>::new(None, server.expose());
    expand(&hk, b"colloquy/wrap/server/v1\0", session)
}

fn expand(hk: &Hkdf<Sha256>, label: &[u8], session: &SessionId) -> WrapKey {
    let mut info = Vec::with_capacity(label.len() + session.as_str().len());
    info.extend_from_slice(label);
    info.extend_from_slice(session.as_str().as_bytes());
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so this cannot fail.
    if hk.expand(&info, okm.as_mut()).is_err() {
        okm.zeroize();
    }
    WrapKey(okm)
}

/// The opaque tag under which an anonymous holder's sessions are listed.
pub(crate) fn holder_tag(server: &ServerKey, secret: &Secret) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(server.expose()) else {
        return Vec::new();
    };
    mac.update(b"colloquy/holder-tag/v1\0");
    mac.update(secret.expose_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A CSRF token bound to one browser's secret: `HMAC(server key, "csrf" ‖ secret)`.
pub(crate) fn csrf_token(server: &ServerKey, secret: &Secret) -> Vec<u8> {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(server.expose()) else {
        return Vec::new();
    };
    mac.update(b"colloquy/csrf/v1\0");
    mac.update(secret.expose_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Checks a CSRF token in constant time.
pub(crate) fn csrf_ok(server: &ServerKey, secret: &Secret, token: &[u8]) -> bool {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(server.expose()) else {
        return false;
    };
    mac.update(b"colloquy/csrf/v1\0");
    mac.update(secret.expose_bytes());
    mac.verify_slice(token).is_ok()
}

fn key_aad(session: &SessionId, holder: HolderKind) -> Vec<u8> {
    let mut aad = b"colloquy/key/v1\0".to_vec();
    aad.extend_from_slice(session.as_str().as_bytes());
    aad.push(0);
    aad.extend_from_slice(holder.as_str().as_bytes());
    aad.extend_from_slice(&KEY_VERSION.to_be_bytes());
    aad
}

fn step_aad(session: &SessionId, step: StepNumber, key_version: u32) -> Vec<u8> {
    let mut aad = b"colloquy/step/v1\0".to_vec();
    aad.extend_from_slice(session.as_str().as_bytes());
    aad.push(0);
    aad.extend_from_slice(&step.get().to_be_bytes());
    aad.extend_from_slice(&key_version.to_be_bytes());
    aad
}

fn seal(key: &[u8; KEY_LEN], aad: &[u8], msg: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let mut nonce = [0u8; NONCE_LEN];
    random_bytes(&mut nonce)?;
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg, aad })
        .map_err(|_| CryptoError::Open)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn open(key: &[u8; KEY_LEN], aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if blob.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Open);
    }
    let (nonce, ct) = blob.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .map_err(|_| CryptoError::Open)
}

/// Seals `data` under `wrap`, bound to the session and holder kind.
pub(crate) fn wrap(
    wrap: &WrapKey,
    data: &DataKey,
    session: &SessionId,
    holder: HolderKind,
) -> Result<Vec<u8>, CryptoError> {
    seal(&wrap.0, &key_aad(session, holder), &data.0)
}

/// Opens a wrapped data key.
pub(crate) fn unwrap(
    wrap: &WrapKey,
    blob: &[u8],
    session: &SessionId,
    holder: HolderKind,
) -> Result<DataKey, CryptoError> {
    let plain = Zeroizing::new(open(&wrap.0, &key_aad(session, holder), blob)?);
    let bytes = <[u8; KEY_LEN]>::try_from(plain.as_slice()).map_err(|_| CryptoError::Open)?;
    Ok(DataKey(bytes))
}

/// Seals one step's state.
pub(crate) fn seal_step(
    key: &DataKey,
    session: &SessionId,
    step: StepNumber,
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    seal(&key.0, &step_aad(session, step, KEY_VERSION), plaintext)
}

/// Opens one step's state.
pub(crate) fn open_step(
    key: &DataKey,
    session: &SessionId,
    step: StepNumber,
    key_version: u32,
    blob: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    open(&key.0, &step_aad(session, step, key_version), blob)
}

fn file_aad(session: &SessionId, number: u32, key_version: u32) -> Vec<u8> {
    let mut aad = b"colloquy/file/v1\0".to_vec();
    aad.extend_from_slice(session.as_str().as_bytes());
    aad.push(0);
    aad.extend_from_slice(&number.to_be_bytes());
    aad.extend_from_slice(&key_version.to_be_bytes());
    aad
}

/// Seals one uploaded file (its name, type and bytes), bound to the session and file number.
pub(crate) fn seal_file(
    key: &DataKey,
    session: &SessionId,
    number: u32,
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    seal(&key.0, &file_aad(session, number, KEY_VERSION), plaintext)
}

/// Opens one uploaded file.
pub(crate) fn open_file(
    key: &DataKey,
    session: &SessionId,
    number: u32,
    key_version: u32,
    blob: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    open(&key.0, &file_aad(session, number, key_version), blob)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ids() -> (SessionId, SessionId) {
        (
            SessionId::generate().unwrap(),
            SessionId::generate().unwrap(),
        )
    }

    #[test]
    fn step_round_trip_and_binding() {
        let (s1, s2) = ids();
        let dk = DataKey::generate().unwrap();
        let one = StepNumber::FIRST;
        let two = one.next().unwrap();
        let blob = seal_step(&dk, &s1, one, b"hello").unwrap();
        assert_eq!(
            open_step(&dk, &s1, one, KEY_VERSION, &blob).unwrap(),
            b"hello"
        );
        // Another step, session or key version: refused.
        assert_eq!(
            open_step(&dk, &s1, two, KEY_VERSION, &blob),
            Err(CryptoError::Open)
        );
        assert_eq!(
            open_step(&dk, &s2, one, KEY_VERSION, &blob),
            Err(CryptoError::Open)
        );
        assert_eq!(open_step(&dk, &s1, one, 2, &blob), Err(CryptoError::Open));
        // One flipped bit anywhere: refused.
        for i in 0..blob.len() {
            let mut bad = blob.clone();
            bad[i] ^= 1;
            assert_eq!(
                open_step(&dk, &s1, one, KEY_VERSION, &bad),
                Err(CryptoError::Open)
            );
        }
        assert_eq!(
            open_step(&dk, &s1, one, KEY_VERSION, &blob[..10]),
            Err(CryptoError::Open)
        );
        // Fresh nonces: the same plaintext never gives the same blob.
        assert_ne!(seal_step(&dk, &s1, one, b"hello").unwrap(), blob);
    }

    #[test]
    fn wrapping_needs_the_secret_and_the_server_key() {
        let (s1, _) = ids();
        let server = ServerKey::generate().unwrap();
        let other_server = ServerKey::generate().unwrap();
        let secret = Secret::generate().unwrap();
        let wrong = Secret::generate().unwrap();
        let dk = DataKey::generate().unwrap();
        let wk = wrap_key_for_secret(&server, &secret, &s1);
        let blob = wrap(&wk, &dk, &s1, HolderKind::Anonymous).unwrap();
        let back = unwrap(&wk, &blob, &s1, HolderKind::Anonymous).unwrap();
        assert_eq!(back.0, dk.0);
        let bad = wrap_key_for_secret(&server, &wrong, &s1);
        assert!(unwrap(&bad, &blob, &s1, HolderKind::Anonymous).is_err());
        let bad = wrap_key_for_secret(&other_server, &secret, &s1);
        assert!(unwrap(&bad, &blob, &s1, HolderKind::Anonymous).is_err());
        // The holder kind is bound too.
        assert!(unwrap(&wk, &blob, &s1, HolderKind::Server).is_err());
        let sk = wrap_key_for_server(&server, &s1);
        let blob = wrap(&sk, &dk, &s1, HolderKind::Server).unwrap();
        assert!(unwrap(&sk, &blob, &s1, HolderKind::Server).is_ok());
    }

    #[test]
    fn file_round_trip_and_binding() {
        let (s1, s2) = ids();
        let dk = DataKey::generate().unwrap();
        let blob = seal_file(&dk, &s1, 1, b"file bytes").unwrap();
        assert_eq!(
            open_file(&dk, &s1, 1, KEY_VERSION, &blob).unwrap(),
            b"file bytes"
        );
        assert!(open_file(&dk, &s1, 2, KEY_VERSION, &blob).is_err());
        assert!(open_file(&dk, &s2, 1, KEY_VERSION, &blob).is_err());
        // A step blob is not a file blob (different associated data).
        let step = seal_step(&dk, &s1, StepNumber::FIRST, b"file bytes").unwrap();
        assert!(open_file(&dk, &s1, 1, KEY_VERSION, &step).is_err());
    }

    #[test]
    fn holder_tags_are_stable_per_secret() {
        let server = ServerKey::generate().unwrap();
        let a = Secret::generate().unwrap();
        let b = Secret::generate().unwrap();
        assert_eq!(holder_tag(&server, &a), holder_tag(&server, &a));
        assert_ne!(holder_tag(&server, &a), holder_tag(&server, &b));
        assert_eq!(holder_tag(&server, &a).len(), 32);
    }

    #[test]
    fn debug_hides_keys() {
        assert_eq!(
            format!("{:?}", ServerKey::from_bytes([7; 32])),
            "ServerKey(***)"
        );
        assert_eq!(
            format!("{:?}", DataKey::generate().unwrap()),
            "DataKey(***)"
        );
    }
}
