//! A real server on a random port with a real SQLite file, for integration tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use server::config::Config;
use server::http;
use server::store::{Database, Store};
use tokio::sync::oneshot;

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    pub addr: SocketAddr,
    pub dist: tempfile::TempDir,
    pub data: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
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
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(
            dist.path().join("index.html"),
            "<!doctype html><title>Colloquy</title><body>app shell</body>",
        )
        .unwrap();
        std::fs::write(dist.path().join("app.css"), "body { margin: 0 }").unwrap();
        let data = tempfile::tempdir().unwrap();
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
        let db = Database::sqlite_file(data.path().join("colloquy.db"));
        let store = Store::open_in(&db, data.path()).await.unwrap();
        let handle = tokio::spawn(http::serve(listener, config, store, async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            dist,
            data,
            shutdown: Some(tx),
            handle: Some(handle),
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

    /// Asks the server to stop and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
