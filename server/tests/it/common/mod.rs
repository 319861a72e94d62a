//! A real server on a random port with a real SQLite file (or a fresh PostgreSQL database), for
//! integration tests.
#![allow(dead_code)]

pub(crate) use crate::store_support;

pub mod protocol;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use server::config::Config;
use server::http;
use server::store::{Database, Store};
use tokio::sync::oneshot;

/// Which database a test server uses.
pub enum Backend {
    /// `colloquy.db` in the server's data directory.
    Sqlite,
    /// A fresh PostgreSQL database (dropped with the server).
    Postgres(Box<store_support::PgDatabase>),
}

impl Backend {
    /// A fresh PostgreSQL database, or `None` after printing "skipped: PostgreSQL not
    /// reachable" (`DATABASE_URL`, else `postgres://postgres@127.0.0.1:5432/test`).
    pub async fn postgres(test: &str) -> Option<Backend> {
        store_support::PgDatabase::create(test)
            .await
            .map(|pg| Backend::Postgres(Box::new(pg)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres(_))
    }
}

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    pub addr: SocketAddr,
    pub dist: tempfile::TempDir,
    pub data: tempfile::TempDir,
    /// The store the server uses (the same database), for inspecting raw rows.
    pub store: Store,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    // Dropped last: the PostgreSQL database, if any.
    backend: Option<Backend>,
}

/// Writes the interview files `(name, text)` into `dir`, each only when it differs and by
/// rename, so that tests running in parallel (threads of one process) never read a
/// half-written file nor take each other's temporary file.
pub fn write_interviews(dir: &Path, files: &[(&str, &str)]) {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(*text) {
            let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = dir.join(format!(".{name}.{}.{n}", std::process::id()));
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, &path).unwrap();
        }
    }
}

/// The demo interviews of the repository (a packages root).
pub fn demo_packages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../interviews")
}

impl TestServer {
    /// Starts a server whose `dist/` holds a tiny index.html and one asset.
    pub async fn start() -> Self {
        Self::start_with(Vec::new()).await
    }

    pub async fn start_with(packages: Vec<PathBuf>) -> Self {
        Self::start_config(packages, |_| {}).await
    }

    pub async fn start_config(packages: Vec<PathBuf>, edit: impl FnOnce(&mut Config)) -> Self {
        Self::start_on(Backend::Sqlite, packages, edit).await
    }

    /// Starts a server on `backend`.
    pub async fn start_on(
        backend: Backend,
        packages: Vec<PathBuf>,
        edit: impl FnOnce(&mut Config),
    ) -> Self {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(
            dist.path().join("index.html"),
            "<!doctype html><title>Colloquy</title><body>app shell</body>",
        )
        .unwrap();
        std::fs::write(dist.path().join("app.css"), "body { margin: 0 }").unwrap();
        let data = tempfile::tempdir().unwrap();
        Self::start_in(backend, dist, data, packages, edit).await
    }

    /// Starts a server on existing directories (a restart: same database and server key).
    pub async fn start_in(
        backend: Backend,
        dist: tempfile::TempDir,
        data: tempfile::TempDir,
        packages: Vec<PathBuf>,
        edit: impl FnOnce(&mut Config),
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let mut config = Config {
            dist: dist.path().to_path_buf(),
            data: data.path().to_path_buf(),
            packages,
            ..Config::default()
        };
        edit(&mut config);
        let db = match &backend {
            Backend::Sqlite => Database::sqlite_file(data.path().join("colloquy.db")),
            Backend::Postgres(pg) => Database::Postgres(pg.options.clone()),
        };
        let store = Store::open_in(&db, data.path()).await.unwrap();
        let handle = tokio::spawn(http::serve(listener, config, store.clone(), async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            dist,
            data,
            store,
            shutdown: Some(tx),
            handle: Some(handle),
            backend: Some(backend),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that keeps cookies, like a browser.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap()
    }

    /// Stops the server and hands back its directories and database, to start it again.
    pub async fn stop_keeping(mut self) -> (Backend, tempfile::TempDir, tempfile::TempDir) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
        self.store.close().await;
        let backend = self.backend.take().unwrap();
        let dist = std::mem::replace(&mut self.dist, tempfile::tempdir().unwrap());
        let data = std::mem::replace(&mut self.data, tempfile::tempdir().unwrap());
        (backend, dist, data)
    }

    /// Asks the server to stop and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
        self.store.close().await;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Runs each listed `async fn(Backend)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! protocol_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(b) = $crate::common::Backend::postgres(stringify!($name)).await else {
                        return;
                    };
                    super::$name(b).await;
                }
            )*
        }
    };
}
