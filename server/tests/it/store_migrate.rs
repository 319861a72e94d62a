//! `colloquy migrate` (the library entry point; the lead wires the subcommand).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use std::process::ExitCode;

use server::cmd::migrate::{MigrateArgs, run};
use server::cmd::store_args::StoreArgs;
use server::store::{self, Database};

#[test]
fn migrates_the_default_sqlite_database_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let args = || MigrateArgs {
        store: StoreArgs {
            database: None,
            data: Some(data.clone()),
            config: None,
        },
        dry_run: false,
    };
    assert_eq!(run(args()).unwrap(), ExitCode::SUCCESS);
    assert!(data.join("colloquy.db").is_file());
    // No key is created by migrate.
    assert!(!data.join("server.key").exists());
    // Second run: nothing to do.
    assert_eq!(run(args()).unwrap(), ExitCode::SUCCESS);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = Database::resolve(None, &data).unwrap();
    assert!(
        rt.block_on(store::pending_migrations(&db))
            .unwrap()
            .is_empty()
    );
    assert!(!store::embedded_migrations(&db).is_empty());
}

#[test]
fn dry_run_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("x.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Create the file first: sqlite: URLs do not create directories, the file is created.
    let args = MigrateArgs {
        store: StoreArgs {
            database: Some(url.clone()),
            data: None,
            config: None,
        },
        dry_run: true,
    };
    assert_eq!(run(args).unwrap(), ExitCode::SUCCESS);
    let db = Database::parse(&url).unwrap();
    let pending = rt.block_on(store::pending_migrations(&db)).unwrap();
    assert_eq!(pending, store::embedded_migrations(&db));
    let applied = rt.block_on(store::migrate_database(&db)).unwrap();
    assert_eq!(applied, pending);
}

#[test]
fn bad_database_url_is_reported() {
    let err = run(MigrateArgs {
        store: StoreArgs {
            database: Some("mysql://nope".into()),
            data: None,
            config: None,
        },
        dry_run: false,
    })
    .unwrap_err();
    assert!(format!("{err:#}").contains("database"), "{err:#}");
}

#[test]
fn migrates_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(pg) = rt.block_on(store_support::PgDatabase::create("migrates_postgres")) else {
        return;
    };
    let args = || MigrateArgs {
        store: StoreArgs {
            database: Some(pg.url()),
            data: None,
            config: None,
        },
        dry_run: false,
    };
    let db = Database::parse(&pg.url()).unwrap();
    assert!(
        !rt.block_on(store::pending_migrations(&db))
            .unwrap()
            .is_empty()
    );
    assert_eq!(run(args()).unwrap(), ExitCode::SUCCESS);
    assert!(
        rt.block_on(store::pending_migrations(&db))
            .unwrap()
            .is_empty()
    );
    assert_eq!(run(args()).unwrap(), ExitCode::SUCCESS);
}
