//! Fresh databases for store tests: a real SQLite file in a temporary directory, and (when a
//! server is reachable) a uniquely named PostgreSQL database per test, dropped afterwards.
//!
//! PostgreSQL: `DATABASE_URL` if set, else `postgres://postgres@127.0.0.1:5432/test`. When
//! it is not reachable, PostgreSQL tests print "skipped: PostgreSQL not reachable" and pass.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use server::store::{Database, ServerKey, Store};
use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A uniquely named PostgreSQL database; dropping it drops the database.
pub struct PgDatabase {
    admin: PgConnectOptions,
    pub name: String,
    pub options: PgConnectOptions,
}

impl PgDatabase {
    /// Creates an empty database, or `None` (with a message) if PostgreSQL is not reachable.
    pub async fn create(test: &str) -> Option<PgDatabase> {
        let admin_url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into());
        let admin: PgConnectOptions = match admin_url.parse() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("skipped: PostgreSQL not reachable for {test} (bad DATABASE_URL: {e})");
                return None;
            }
        };
        let connect =
            tokio::time::timeout(Duration::from_secs(3), PgConnection::connect_with(&admin)).await;
        let mut conn = match connect {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => {
                eprintln!("skipped: PostgreSQL not reachable for {test} ({e})");
                return None;
            }
            Err(_) => {
                eprintln!("skipped: PostgreSQL not reachable for {test} (timeout)");
                return None;
            }
        };
        let name = format!(
            "colloquy_test_{}",
            server::store::SessionId::generate()
                .unwrap()
                .as_str()
                .to_ascii_lowercase()
        );
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let options = admin.clone().database(&name);
        Some(PgDatabase {
            admin,
            name,
            options,
        })
    }

    /// A `postgres://` URL for the new database.
    pub fn url(&self) -> String {
        format!(
            "postgres://{}@{}:{}/{}",
            self.options.get_username(),
            self.options.get_host(),
            self.options.get_port(),
            self.name
        )
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop is synchronous: use a private runtime on a plain thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// A store on a fresh database; dropping it removes the database.
pub struct TestStore {
    pub store: Store,
    pub dir: tempfile::TempDir,
    // Dropped after `store` (fields drop in order).
    _pg: Option<PgDatabase>,
}

impl TestStore {
    /// A store on a new SQLite file.
    pub async fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::sqlite_file(dir.path().join("colloquy.db"));
        let store = Store::open_in(&db, dir.path()).await.unwrap();
        TestStore {
            store,
            dir,
            _pg: None,
        }
    }

    /// A store on a new PostgreSQL database, or `None` (with a message) if none is reachable.
    pub async fn postgres(test: &str) -> Option<TestStore> {
        let pg = PgDatabase::create(test).await?;
        let db = Database::Postgres(pg.options.clone());
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(&db, dir.path()).await.unwrap();
        Some(TestStore {
            store,
            dir,
            _pg: Some(pg),
        })
    }

    /// A second store on the same database with a different server key (a stolen dump).
    pub async fn with_other_server_key(&self) -> Store {
        Store::connect(self.store.database(), ServerKey::generate().unwrap())
            .await
            .unwrap()
    }
}

/// Runs each listed `async fn(&TestStore)` once on SQLite and once on PostgreSQL, as separate
/// tests `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let t = $crate::store_support::TestStore::sqlite().await;
                    super::$name(&t).await;
                    t.store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(t) = $crate::store_support::TestStore::postgres(stringify!($name)).await
                    else {
                        return;
                    };
                    super::$name(&t).await;
                    t.store.close().await;
                }
            )*
        }
    };
}
