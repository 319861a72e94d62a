//! The server key file: generated on first start with mode 0600, reused afterwards, refused
//! when group/others can access it or when it is malformed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use server::store::keyfile::{self, SERVER_KEY_FILE};
use server::store::{Credentials, Database, KeyFileError, Owner, Secret, Store, StoreError};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
#[cfg(unix)]
fn created_with_0600_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SERVER_KEY_FILE);
    keyfile::load_or_create(dir.path()).unwrap();
    assert_eq!(mode(&path), 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.trim_end().len(), 64);
    assert!(text.trim_end().bytes().all(|b| b.is_ascii_hexdigit()));
    keyfile::load_or_create(dir.path()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "key was replaced"
    );
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
    // Two data directories never share a key.
    let other = tempfile::tempdir().unwrap();
    keyfile::load_or_create(other.path()).unwrap();
    assert_ne!(
        std::fs::read_to_string(other.path().join(SERVER_KEY_FILE)).unwrap(),
        text
    );
}

#[test]
#[cfg(unix)]
fn looser_permissions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SERVER_KEY_FILE);
    keyfile::load_or_create(dir.path()).unwrap();
    for loose in [0o644, 0o640, 0o604, 0o660, 0o666] {
        set_mode(&path, loose);
        let err = keyfile::load_or_create(dir.path()).unwrap_err();
        assert!(
            matches!(err, KeyFileError::Permissions { mode, .. } if mode == loose),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains("chmod 600"), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
    }
    set_mode(&path, 0o400);
    keyfile::load_or_create(dir.path()).unwrap();
}

#[test]
#[cfg(unix)]
fn malformed_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SERVER_KEY_FILE);
    for bad in [
        "",
        "not a key\n",
        &"ab".repeat(31),
        &"xy".repeat(32),
        &"00".repeat(32),
    ] {
        std::fs::write(&path, bad).unwrap();
        set_mode(&path, 0o600);
        let err = keyfile::load_or_create(dir.path()).unwrap_err();
        assert!(
            matches!(err, KeyFileError::Malformed { .. }),
            "{bad:?}: {err:?}"
        );
        assert!(err.to_string().contains("malformed"), "{err}");
    }
    // A directory in its place.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let err = keyfile::load_or_create(dir.path()).unwrap_err();
    assert!(matches!(err, KeyFileError::Malformed { .. }), "{err:?}");
}

#[tokio::test]
#[cfg(unix)]
async fn store_refuses_to_open_with_a_loose_key_and_survives_restarts() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("new").join("data");
    let dir = dir.as_path();
    let db = Database::resolve(None, dir).unwrap();
    let store = Store::open_in(&db, dir).await.unwrap();
    assert!(dir.join("colloquy.db").is_file());
    assert_eq!(mode(dir), 0o700, "a new data directory is private");
    let secret = Secret::generate().unwrap();
    let id = store
        .create_session("demo:x.yml", Owner::Anonymous(&secret), b"kept")
        .await
        .unwrap();
    store.close().await;
    // A restart reads the same key: the session still opens.
    let store = Store::open_in(&db, dir).await.unwrap();
    assert_eq!(
        store
            .latest_step(&id, Credentials::secret(&secret))
            .await
            .unwrap()
            .state,
        b"kept"
    );
    store.close().await;
    set_mode(&dir.join(SERVER_KEY_FILE), 0o644);
    let err = Store::open_in(&db, dir).await.unwrap_err();
    assert!(
        matches!(err, StoreError::KeyFile(KeyFileError::Permissions { .. })),
        "{err:?}"
    );
}
