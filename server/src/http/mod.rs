//! The HTTP front end: routes, middleware and the server loop.

mod health;
mod info;
mod state;

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// What the HTTP layer needs to know at start-up.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Trunk's output directory (index.html, the WASM, the JS glue, CSS).
    pub dist: PathBuf,
    /// Package roots holding interviews.
    pub packages: Vec<PathBuf>,
}

/// Builds the whole application router.
pub fn router(config: AppConfig) -> Router {
    let index = config.dist.join("index.html");
    let spa = ServeDir::new(&config.dist).fallback(ServeFile::new(index));
    let state = AppState::new(config);
    Router::new()
        .route("/health", get(health::health))
        .route("/api/info", get(info::info))
        .fallback_service(spa)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
}

/// Serves `router(config)` on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    config: AppConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router(config))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
