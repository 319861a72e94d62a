//! `colloquy backup`, `colloquy restore` and `colloquy maintenance`, run as the real binary
//! against real SQLite files and (when reachable) a fresh PostgreSQL database: a backup
//! restores into either backend with every session readable, and bad archives, a non-empty
//! target or a different server key are refused with nothing changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::store_support;

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Output};

use server::store::{Credentials, Database, Owner, Secret, SessionId, Store, keyfile};
use store_support::PgDatabase;

const IV: &str = "demo:data/questions/a.yml";

fn colloquy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_colloquy"))
        .args(args)
        .env_remove("COLLOQUY_DATABASE")
        .env_remove("COLLOQUY_DATA")
        .env_remove("COLLOQUY_CONFIG")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn failed(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "expected a failure; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sqlite_in(dir: &Path) -> Database {
    Database::sqlite_file(dir.join("colloquy.db"))
}

/// What the source database holds, to compare after a restore.
struct Fixture {
    secret: Secret,
    anonymous: SessionId,
    shared: SessionId,
}

async fn fill(store: &Store) -> Fixture {
    let secret = Secret::generate().unwrap();
    let c = Credentials::secret(&secret);
    let anonymous = store
        .create_session(IV, Owner::Anonymous(&secret), b"step one")
        .await
        .unwrap();
    let n = store.latest_step(&anonymous, c).await.unwrap().number;
    let n = store
        .append_step(&anonymous, n, c, b"step two")
        .await
        .unwrap();
    store
        .append_step(&anonymous, n, c, b"step three")
        .await
        .unwrap();
    store
        .save_file(&anonymous, c, "a.txt", "text/plain", b"file bytes")
        .await
        .unwrap();
    let shared = store
        .create_session(IV, Owner::Server { creator: None }, b"shared state")
        .await
        .unwrap();
    Fixture {
        secret,
        anonymous,
        shared,
    }
}

async fn check(store: &Store, f: &Fixture) {
    let c = Credentials::secret(&f.secret);
    let step = store.latest_step(&f.anonymous, c).await.unwrap();
    assert_eq!(step.state, b"step three");
    assert_eq!(step.number.get(), 3);
    let file = store.load_file(&f.anonymous, 1, c).await.unwrap();
    assert_eq!(
        (file.filename.as_str(), file.bytes.as_slice()),
        ("a.txt", &b"file bytes"[..])
    );
    let shared = store
        .latest_step(&f.shared, Credentials::none())
        .await
        .unwrap();
    assert_eq!(shared.state, b"shared state");
    let listed = store.list_sessions(c, None).await.unwrap();
    assert_eq!(listed.len(), 1);
    // New steps go on after the restored ones.
    let next = store
        .append_step(&f.anonymous, step.number, c, b"step four")
        .await
        .unwrap();
    assert_eq!(next.get(), 4);
    store.back(&f.anonymous, next, c).await.unwrap();
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[tokio::test]
async fn a_backup_restores_into_sqlite_and_postgresql_with_every_session_readable() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("source");
    let store = Store::open_in(&sqlite_in(&source), &source).await.unwrap();
    let fixture = fill(&store).await;
    store.close().await;

    let archive = tmp.path().join("backup.gz");
    let out = ok(&colloquy(&[
        "backup",
        "--data",
        s(&source),
        "-o",
        s(&archive),
    ]));
    assert!(out.contains("wrote 7 rows"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Nothing of the answers is readable in the archive either.
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&archive).unwrap())
        .read_to_end(&mut plain)
        .unwrap();
    let plain = String::from_utf8(plain).unwrap();
    assert!(!plain.contains("step three") && !plain.contains("file bytes"));
    // A second backup to the same file needs --force.
    let err = failed(&colloquy(&[
        "backup",
        "--data",
        s(&source),
        "-o",
        s(&archive),
    ]));
    assert!(err.contains("--force"), "{err}");

    // Into a new SQLite data directory: the key comes with the backup.
    let restored = tmp.path().join("restored");
    let out = ok(&colloquy(&["restore", s(&archive), "--data", s(&restored)]));
    assert!(out.contains("restored 7 rows"), "{out}");
    assert!(out.contains("installed the backup's server key"), "{out}");
    let key = keyfile::load(&restored.join("server.key")).unwrap();
    let again = Store::connect(&sqlite_in(&restored), key).await.unwrap();
    check(&again, &fixture).await;
    again.close().await;

    // The same restore again is refused: the target is not empty; nothing changes.
    let err = failed(&colloquy(&["restore", s(&archive), "--data", s(&restored)]));
    assert!(err.contains("not empty"), "{err}");
    let ver = ok(&colloquy(&[
        "maintenance",
        "verify",
        "--data",
        s(&restored),
    ]));
    assert!(
        ver.contains("2 session(s)") && ver.contains("no problems"),
        "{ver}"
    );

    // --replace deletes what is there and restores the backup.
    ok(&colloquy(&[
        "restore",
        s(&archive),
        "--data",
        s(&restored),
        "--replace",
    ]));

    let Some(pg) = PgDatabase::create("backup_restore").await else {
        return;
    };
    let url = pg.url();
    ok(&colloquy(&[
        "restore",
        s(&archive),
        "--data",
        s(&restored),
        "--database",
        &url,
    ]));
    let key = keyfile::load(&restored.join("server.key")).unwrap();
    let on_pg = Store::connect(&Database::Postgres(pg.options.clone()), key)
        .await
        .unwrap();
    check(&on_pg, &fixture).await;
    on_pg.close().await;
    // And back from PostgreSQL to SQLite.
    let from_pg = tmp.path().join("from-pg.gz");
    ok(&colloquy(&[
        "backup",
        "--data",
        s(&restored),
        "--database",
        &url,
        "-o",
        s(&from_pg),
    ]));
    let third = tmp.path().join("third");
    ok(&colloquy(&["restore", s(&from_pg), "--data", s(&third)]));
    let key = keyfile::load(&third.join("server.key")).unwrap();
    let back_home = Store::connect(&sqlite_in(&third), key).await.unwrap();
    check(&back_home, &fixture).await;
    back_home.close().await;
}

/// Rewrites an archive's plain lines (for tampering).
fn rewrite(archive: &Path, to: &Path, edit: impl Fn(Vec<String>) -> Vec<String>) {
    let mut plain = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(archive).unwrap())
        .read_to_string(&mut plain)
        .unwrap();
    let lines = edit(plain.lines().map(str::to_string).collect());
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(to).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all((lines.join("\n") + "\n").as_bytes()).unwrap();
    gz.finish().unwrap();
}

#[tokio::test]
async fn bad_archives_and_mismatched_keys_are_refused_with_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("source");
    let store = Store::open_in(&sqlite_in(&source), &source).await.unwrap();
    fill(&store).await;
    store.close().await;
    let archive = tmp.path().join("backup.gz");
    ok(&colloquy(&[
        "backup",
        "--data",
        s(&source),
        "-o",
        s(&archive),
    ]));

    let garbage = tmp.path().join("garbage.gz");
    std::fs::write(&garbage, b"this is not gzip").unwrap();
    let truncated = tmp.path().join("truncated.gz");
    rewrite(&archive, &truncated, |mut l| {
        l.pop();
        l
    });
    let miscounted = tmp.path().join("miscounted.gz");
    rewrite(&archive, &miscounted, |mut l| {
        let last_row = l.len() - 2;
        l.remove(last_row);
        l
    });
    let injected = tmp.path().join("injected.gz");
    rewrite(&archive, &injected, |mut l| {
        l[0] = l[0].replacen(
            "\"name\":\"files\"",
            "\"name\":\"files\\\"; DROP TABLE steps; --\"",
            1,
        );
        l
    });
    let unknown_table = tmp.path().join("unknown.gz");
    rewrite(&archive, &unknown_table, |mut l| {
        l[0] = l[0].replacen("\"name\":\"files\"", "\"name\":\"users_x\"", 1);
        l
    });
    let bad_value = tmp.path().join("bad-value.gz");
    rewrite(&archive, &bad_value, |l| {
        l.into_iter()
            .map(|line| line.replacen("{\"bytes\":", "{\"int\":1,\"x\":", 1))
            .collect()
    });
    for (file, wanted) in [
        (&garbage, "not a Colloquy backup"),
        (&truncated, "incomplete"),
        (&miscounted, "incomplete"),
        (&injected, "not a plain name"),
        (&unknown_table, "does not have"),
        (&bad_value, "line"),
    ] {
        let target = tmp
            .path()
            .join(format!("t-{}", file.file_stem().unwrap().to_str().unwrap()));
        let err = failed(&colloquy(&["restore", s(file), "--data", s(&target)]));
        assert!(err.contains(wanted), "{}: {err}", file.display());
        // Nothing restored: the target has no sessions (and no key from the archive).
        if target.join("colloquy.db").exists() {
            let probe = Store::connect(
                &sqlite_in(&target),
                server::store::ServerKey::generate().unwrap(),
            )
            .await
            .unwrap();
            assert!(probe.all_sessions().await.unwrap().is_empty(), "{wanted}");
            probe.close().await;
        }
        assert!(!target.join("server.key").exists(), "{wanted}");
    }

    // A data directory with another key: refused, the key stays.
    let other = tmp.path().join("other");
    keyfile::ensure_data_dir(&other).unwrap();
    let mine = keyfile::load_or_create(&other).unwrap();
    let err = failed(&colloquy(&["restore", s(&archive), "--data", s(&other)]));
    assert!(err.contains("different server key"), "{err}");
    let still = keyfile::load(&other.join("server.key")).unwrap();
    assert_eq!(*keyfile::to_hex(&still), *keyfile::to_hex(&mine));
    // --replace takes the backup's key and keeps the old one aside.
    ok(&colloquy(&[
        "restore",
        s(&archive),
        "--data",
        s(&other),
        "--replace",
    ]));
    assert!(other.join("server.key.replaced").exists());
}

#[tokio::test]
async fn maintenance_purges_idle_sessions_and_verify_finds_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let store = Store::open_in(&sqlite_in(&data), &data).await.unwrap();
    let fixture = fill(&store).await;

    let out = ok(&colloquy(&["maintenance", "verify", "--data", s(&data)]));
    assert!(out.contains("1 server-held decrypted"), "{out}");
    // Tamper with the server-held session's newest step: verify reports it, exit 1.
    let steps = store.raw_steps(&fixture.shared).await.unwrap();
    let (n, mut bytes) = steps.last().cloned().unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    store
        .raw_set_ciphertext(&fixture.shared, n, &bytes)
        .await
        .unwrap();
    let out = colloquy(&["maintenance", "verify", "--data", s(&data)]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("cannot decrypt session"), "{text}");

    let out = ok(&colloquy(&[
        "maintenance",
        "purge",
        "--data",
        s(&data),
        "--dry-run",
    ]));
    assert!(out.contains("0 session(s)"), "{out}");
    let out = ok(&colloquy(&[
        "maintenance",
        "purge",
        "--data",
        s(&data),
        "--older-than",
        "0",
        "--dry-run",
    ]));
    assert!(out.contains("2 session(s)"), "{out}");
    assert_eq!(store.all_sessions().await.unwrap().len(), 2);
    let out = ok(&colloquy(&[
        "maintenance",
        "purge",
        "--data",
        s(&data),
        "--older-than",
        "0",
    ]));
    assert!(out.contains("deleted 2 session(s)"), "{out}");
    assert!(out.contains("deleted 0 expired API link(s)"), "{out}");
    assert!(store.all_sessions().await.unwrap().is_empty());
    ok(&colloquy(&["maintenance", "vacuum", "--data", s(&data)]));
    // Without a key file the commands refuse rather than invent one.
    let empty = tmp.path().join("empty");
    let err = failed(&colloquy(&["maintenance", "verify", "--data", s(&empty)]));
    assert!(err.contains("server key"), "{err}");
    store.close().await;
}
