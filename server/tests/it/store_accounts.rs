//! Accounts in the store: the key hierarchy (password → user key → session data keys), sign-in
//! tokens, one-time tokens, recovery codes, and the accounts migration on a database that
//! already holds sessions (SQLite rebuilds the sessions, steps and files tables).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use server::accounts::password::{Hasher, derive_kek};
use server::config::Config;
use server::store::accounts::{LoginStage, NewAccount, PasswordRecord};
use server::store::{
    Credentials, Database, HolderKind, Owner, Secret, ServerKey, Store, StoreError, UserCreds,
};

fn hasher() -> Hasher {
    let c = Config {
        argon2_memory_kib: 64,
        argon2_iterations: 1,
        ..Config::default()
    };
    Hasher::from_config(&c)
}

async fn store(dir: &std::path::Path) -> Store {
    let db = Database::sqlite_file(dir.join("colloquy.db"));
    let store = Store::connect(&db, ServerKey::from_bytes([9; 32]))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

#[tokio::test]
async fn keys_follow_the_user_through_sign_in_change_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path()).await;
    let m = hasher().create("First password 1").unwrap();
    let record = PasswordRecord {
        hash: &m.hash,
        kek_salt: &m.kek_salt,
        kek_params: &m.kek_params,
    };
    let account = NewAccount {
        email: "k@example.org",
        role: "user",
        password: record,
        active: true,
        email_confirmed: true,
    };
    let id = s.create_user(account, &m.kek).await.unwrap().unwrap();
    assert!(
        s.create_user(account, &m.kek).await.unwrap().is_none(),
        "taken"
    );
    let user = s.user_by_id(id).await.unwrap().unwrap();
    let key = s.unwrap_user_key(&user, &m.kek).unwrap();
    let wrong = derive_kek("Second password 2", &m.kek_salt, &m.kek_params).unwrap();
    assert!(matches!(
        s.unwrap_user_key(&user, &wrong),
        Err(StoreError::UserKey(_))
    ));

    // An anonymous session is adopted by the user: the secret no longer opens it.
    let secret = Secret::generate().unwrap();
    let sid = s
        .create_session(
            "docassemble.x:data/questions/a.yml",
            Owner::Anonymous(&secret),
            b"state",
        )
        .await
        .unwrap();
    let creds = UserCreds { id, key: &key };
    let moved = s
        .adopt_anonymous_sessions(Credentials::secret(&secret), creds)
        .await
        .unwrap();
    assert_eq!(moved, vec![sid.clone()]);
    assert!(
        s.latest_step(&sid, Credentials::secret(&secret))
            .await
            .is_err()
    );
    let with_user = Credentials::none().with_user(Some(creds));
    assert_eq!(
        s.latest_step(&sid, with_user).await.unwrap().state,
        b"state"
    );
    assert_eq!(
        s.latest_step(&sid, with_user).await.unwrap().holder,
        HolderKind::User
    );
    assert_eq!(s.list_user_sessions(id, None).await.unwrap().len(), 1);

    // Another user's key, or the right key under another user id, opens nothing.
    let m2 = hasher().create("Other password 3").unwrap();
    let other = s
        .create_user(
            NewAccount {
                email: "o@example.org",
                password: PasswordRecord {
                    hash: &m2.hash,
                    kek_salt: &m2.kek_salt,
                    kek_params: &m2.kek_params,
                },
                ..account
            },
            &m2.kek,
        )
        .await
        .unwrap()
        .unwrap();
    let other_user = s.user_by_id(other).await.unwrap().unwrap();
    let other_key = s.unwrap_user_key(&other_user, &m2.kek).unwrap();
    let forged = Credentials::none().with_user(Some(UserCreds {
        id: other,
        key: &other_key,
    }));
    assert!(s.latest_step(&sid, forged).await.is_err());
    let swapped = Credentials::none().with_user(Some(UserCreds {
        id: other,
        key: &key,
    }));
    assert!(s.latest_step(&sid, swapped).await.is_err());

    // A sign-in keeps the user key under the token; a wrong token finds nothing.
    let token = s
        .create_login(id, &key, LoginStage::Mfa, false, time::Duration::hours(1))
        .await
        .unwrap();
    let login = s.load_login(&token).await.unwrap().unwrap();
    assert_eq!(login.stage, LoginStage::Mfa);
    assert_eq!(
        s.latest_step(&sid, Credentials::none().with_user(Some(login.creds())))
            .await
            .unwrap()
            .state,
        b"state"
    );
    let bogus =
        server::store::accounts::LoginToken::parse("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .unwrap();
    assert!(s.load_login(&bogus).await.unwrap().is_none());
    assert!(server::store::accounts::LoginToken::parse("short").is_none());

    // Change: the same key under the new password; the steps are untouched; sign-ins end.
    let before = s.raw_steps(&sid).await.unwrap();
    let m3 = hasher().create("Changed password 4").unwrap();
    s.change_password(
        id,
        &key,
        PasswordRecord {
            hash: &m3.hash,
            kek_salt: &m3.kek_salt,
            kek_params: &m3.kek_params,
        },
        &m3.kek,
        None,
    )
    .await
    .unwrap();
    assert_eq!(s.raw_steps(&sid).await.unwrap(), before);
    assert!(s.load_login(&token).await.unwrap().is_none());
    let user = s.user_by_id(id).await.unwrap().unwrap();
    assert!(s.unwrap_user_key(&user, &m.kek).is_err());
    let again = s.unwrap_user_key(&user, &m3.kek).unwrap();
    assert!(
        s.latest_step(
            &sid,
            Credentials::none().with_user(Some(UserCreds { id, key: &again }))
        )
        .await
        .is_ok()
    );

    // Reset: a new key; the session exists but cannot be opened.
    let m4 = hasher().create("Reset password 5").unwrap();
    let lost = s
        .reset_password(
            id,
            PasswordRecord {
                hash: &m4.hash,
                kek_salt: &m4.kek_salt,
                kek_params: &m4.kek_params,
            },
            &m4.kek,
        )
        .await
        .unwrap();
    assert_eq!(lost, 1);
    let user = s.user_by_id(id).await.unwrap().unwrap();
    let new_key = s.unwrap_user_key(&user, &m4.kek).unwrap();
    let after = Credentials::none().with_user(Some(UserCreds { id, key: &new_key }));
    assert!(matches!(
        s.latest_step(&sid, after).await,
        Err(StoreError::Decrypt { .. })
    ));
    assert!(!s.can_open(&sid, after).await.unwrap());

    // One-time tokens and recovery codes work once.
    let t = s
        .create_account_token(id, "reset", time::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        s.take_account_token(&t, "activate").await.unwrap(),
        None,
        "wrong purpose"
    );
    let t = s
        .create_account_token(id, "reset", time::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(s.take_account_token(&t, "reset").await.unwrap(), Some(id));
    assert_eq!(s.take_account_token(&t, "reset").await.unwrap(), None);
    let expired = s
        .create_account_token(id, "reset", time::Duration::seconds(-1))
        .await
        .unwrap();
    assert_eq!(s.take_account_token(&expired, "reset").await.unwrap(), None);
    s.replace_recovery_codes(id, &["abcde-fghij".into()])
        .await
        .unwrap();
    assert!(s.use_recovery_code(id, "ABCDE FGHIJ").await.unwrap());
    assert!(!s.use_recovery_code(id, "abcde-fghij").await.unwrap());
    assert!(!s.use_recovery_code(other, "abcde-fghij").await.unwrap());

    // Expired sign-ins and tokens are purged; live ones stay.
    let live = s
        .create_login(
            id,
            &new_key,
            LoginStage::Full,
            false,
            time::Duration::hours(1),
        )
        .await
        .unwrap();
    let dead = s
        .create_login(
            id,
            &new_key,
            LoginStage::Full,
            false,
            time::Duration::seconds(-5),
        )
        .await
        .unwrap();
    s.create_account_token(id, "reset", time::Duration::seconds(-5))
        .await
        .unwrap();
    assert!(
        s.purge_expired_accounts(time::Duration::hours(1))
            .await
            .unwrap()
            >= 2
    );
    assert!(s.load_login(&live).await.unwrap().is_some());
    assert!(s.load_login(&dead).await.unwrap().is_none());

    // Deleting the account deletes its sessions.
    assert!(s.delete_user(id).await.unwrap());
    assert!(matches!(
        s.latest_step(&sid, after).await,
        Err(StoreError::NotFound(_))
    ));
    s.close().await;
}

/// A database made by the migrations before accounts, with a session, steps and a file, keeps
/// them readable through the accounts migration, with the foreign keys pointing at the new tables.
#[tokio::test]
async fn the_accounts_migration_keeps_existing_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for entry in std::fs::read_dir(&src).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if name.as_str() < "20260101" {
            std::fs::copy(&p, old.join(&name)).unwrap();
        }
    }
    let db = Database::sqlite_file(dir.path().join("colloquy.db"));
    let s = Store::connect(&db, ServerKey::from_bytes([3; 32]))
        .await
        .unwrap();
    let url = format!("sqlite:{}", dir.path().join("colloquy.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    pool.close().await;
    let secret = Secret::generate().unwrap();
    let creds = Credentials::secret(&secret);
    let sid = s
        .create_session(
            "docassemble.x:data/questions/a.yml",
            Owner::Anonymous(&secret),
            b"one",
        )
        .await
        .unwrap();
    // (A second step cannot be written by this version into the old schema, which lacks the
    // step revisions a write checks; a second session stands in for more rows.)
    let other = s
        .create_session(
            "docassemble.x:data/questions/b.yml",
            Owner::Anonymous(&secret),
            b"two",
        )
        .await
        .unwrap();
    s.save_file(&sid, creds, "a.txt", "text/plain", b"file")
        .await
        .unwrap();
    let applied = s.migrate().await.unwrap();
    assert!(
        applied.iter().any(|m| m.version == 20260101000001)
            && applied.iter().all(|m| m.version >= 20260101000001),
        "the accounts migration and the later ones: {applied:?}"
    );
    assert_eq!(s.latest_step(&sid, creds).await.unwrap().state, b"one");
    assert_eq!(s.latest_step(&other, creds).await.unwrap().state, b"two");
    assert_eq!(s.raw_steps(&sid).await.unwrap().len(), 1);
    // Written after the migrations, the next step goes in.
    s.append_step(&sid, server::store::StepNumber::FIRST, creds, b"three")
        .await
        .unwrap();
    assert_eq!(s.raw_steps(&sid).await.unwrap().len(), 2);
    assert_eq!(s.load_file(&sid, 1, creds).await.unwrap().bytes, b"file");
    assert_eq!(s.list_sessions(creds, None).await.unwrap().len(), 2);
    // The rebuilt child tables point at the rebuilt sessions table.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    for table in ["steps", "files"] {
        let parent: String = sqlx::query_scalar(&format!(
            "SELECT \"table\" FROM pragma_foreign_key_list('{table}')"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(parent.trim_matches('"'), "sessions", "{table}");
    }
    let problems: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    pool.close().await;
    s.delete_session(&sid, creds).await.unwrap();
    assert!(s.raw_steps(&sid).await.unwrap().is_empty());
    s.close().await;
}
