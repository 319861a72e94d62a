//! The server key file: `DATA/server.key`, one line of 64 hex digits, mode 0600.
//!
//! Generated on first start (never a built-in default). A file that group or others can access,
//! or that does not hold exactly one key, is refused: the server does not start.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::crypto::ServerKey;
use super::error::KeyFileError;

/// The file name inside the data directory.
pub const SERVER_KEY_FILE: &str = "server.key";

/// Creates the data directory if it is missing (mode 0700: it holds the key and the database).
pub fn ensure_data_dir(dir: &Path) -> Result<(), KeyFileError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| KeyFileError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Loads `dir/server.key`, creating it (mode 0600) if it does not exist.
pub fn load_or_create(dir: &Path) -> Result<ServerKey, KeyFileError> {
    let path = dir.join(SERVER_KEY_FILE);
    match fs::symlink_metadata(&path) {
        Ok(_) => load(&path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(source) => Err(KeyFileError::Io { path, source }),
    }
}

/// Loads an existing key file, checking its permissions and format.
pub fn load(path: &Path) -> Result<ServerKey, KeyFileError> {
    let io = |source| KeyFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(KeyFileError::Malformed {
            path: path.to_path_buf(),
            reason: "not a regular file",
        });
    }
    check_permissions(path, &meta)?;
    let text = Zeroizing::new(fs::read_to_string(path).map_err(io)?);
    parse(&text).map_err(|reason| KeyFileError::Malformed {
        path: path.to_path_buf(),
        reason,
    })
}

#[cfg(unix)]
fn check_permissions(path: &Path, meta: &fs::Metadata) -> Result<(), KeyFileError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(KeyFileError::Permissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path, _meta: &fs::Metadata) -> Result<(), KeyFileError> {
    Ok(())
}

fn parse(text: &str) -> Result<ServerKey, &'static str> {
    let line = text.strip_suffix('\n').unwrap_or(text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.len() != 64 {
        return Err("wrong length");
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (i, pair) in line.as_bytes().chunks_exact(2).enumerate() {
        let hi = hex_digit(pair[0]).ok_or("not hexadecimal")?;
        let lo = hex_digit(pair[1]).ok_or("not hexadecimal")?;
        key[i] = (hi << 4) | lo;
    }
    if key.iter().all(|&b| b == 0) {
        return Err("the key is all zeros");
    }
    Ok(ServerKey::from_bytes(*key))
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn encode(key: &ServerKey) -> Zeroizing<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = Zeroizing::new(String::with_capacity(65));
    for b in key.expose() {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s.push('\n');
    s
}

/// The key as the file holds it: 64 hexadecimal digits and a newline (for backups).
pub fn to_hex(key: &ServerKey) -> Zeroizing<String> {
    encode(key)
}

/// Reads a key written by [`to_hex`] (a backup's copy of the key file).
pub fn from_hex(text: &str) -> Result<ServerKey, &'static str> {
    parse(text)
}

/// Installs `key` as `dir/server.key` (mode 0600), as a restore does. An existing key file is
/// left alone unless `replace`: then it is swapped atomically for the new one.
pub fn install(dir: &Path, key: &ServerKey, replace: bool) -> Result<(), KeyFileError> {
    let path = dir.join(SERVER_KEY_FILE);
    write_key(&path, key, replace).map(|_| ())
}

/// Writes a new key to a private temporary file, then links it into place, so a crash never
/// leaves a half-written key and a concurrent start never overwrites one.
fn create(path: &Path) -> Result<ServerKey, KeyFileError> {
    let key = ServerKey::generate().map_err(|_| KeyFileError::Random)?;
    match write_key(path, &key, false)? {
        true => {
            tracing::info!(path = %path.display(), "generated a new server key");
            Ok(key)
        }
        // Another process created it first: use theirs.
        false => load(path),
    }
}

/// Writes `key` to `path` through a private temporary file. Returns false when a key file
/// already exists and `replace` is false (nothing written).
fn write_key(path: &Path, key: &ServerKey, replace: bool) -> Result<bool, KeyFileError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp: PathBuf = dir.join(format!(".{SERVER_KEY_FILE}.{}.tmp", std::process::id()));
    let io = |source| KeyFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let _ = fs::remove_file(&tmp);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(encode(key).as_bytes())?;
        file.sync_all()?;
        if replace {
            fs::rename(&tmp, path)
        } else {
            fs::hard_link(&tmp, path)
        }
    })();
    let _ = fs::remove_file(&tmp);
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(e)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_one_line_of_hex() {
        let text = format!("{}\n", "ab".repeat(32));
        assert_eq!(parse(&text).unwrap().expose(), &[0xab; 32]);
        assert!(parse(&"AB".repeat(32)).is_ok());
        assert_eq!(parse("abc").err(), Some("wrong length"));
        assert_eq!(parse(&"zz".repeat(32)).err(), Some("not hexadecimal"));
        assert_eq!(parse(&"00".repeat(32)).err(), Some("the key is all zeros"));
        assert_eq!(
            parse(&format!("{}\n\n", "ab".repeat(32))).err(),
            Some("wrong length")
        );
    }

    #[test]
    fn encode_then_parse() {
        let key = ServerKey::generate().unwrap();
        assert_eq!(parse(&encode(&key)).unwrap().expose(), key.expose());
    }
}
