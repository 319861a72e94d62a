//! A real server on a random port, for integration tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use server::http::{self, AppConfig};
use tokio::sync::oneshot;

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    pub addr: SocketAddr,
    pub dist: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestServer {
    /// Starts a server whose `dist/` holds a tiny index.html and one asset.
    pub async fn start() -> Self {
        Self::start_with(Vec::new()).await
    }

    pub async fn start_with(packages: Vec<PathBuf>) -> Self {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(
            dist.path().join("index.html"),
            "<!doctype html><title>Colloquy</title><body>app shell</body>",
        )
        .unwrap();
        std::fs::write(dist.path().join("app.css"), "body { margin: 0 }").unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let config = AppConfig {
            dist: dist.path().to_path_buf(),
            packages,
        };
        let handle = tokio::spawn(http::serve(listener, config, async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            dist,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
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
