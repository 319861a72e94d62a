//! The HTTP front end: routes, middleware and the server loop.

pub mod account;
pub mod api;
mod chrome;
mod client_ip;
mod convert;
pub mod documents;
mod error;
mod headers;
mod health;
mod info;
pub mod interview;
mod lists;
mod multipart;
mod spa;
mod state;
pub mod uploads;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use state::AppState;

use crate::config::Config;
use crate::store::Store;

/// Builds the whole application router.
pub fn router(state: AppState) -> Router {
    let config = state.config().clone();
    let index = config.dist.join("index.html");
    let spa = ServeDir::new(&config.dist).fallback(ServeFile::new(index));
    let body_limit = usize::try_from(config.max_upload_bytes).unwrap_or(usize::MAX);
    let mut app = Router::new()
        .route("/health", get(health::health))
        .route("/api/info", get(info::info))
        .route(
            "/interview",
            get(interview::get_interview).post(interview::post_interview),
        )
        .route("/list", get(lists::list))
        .route("/interviews", get(lists::sessions))
        .route("/uploadedfile/{session}/{number}", get(uploads::download))
        .route("/document/{filename}", get(documents::download))
        .route(
            "/uploadedfile/{session}/{number}/{filename}",
            get(uploads::download_named),
        )
        .merge(account::routes())
        .merge(api::routes())
        .fallback_service(spa)
        .with_state(state)
        // axum's own 2 MiB default would cut uploads short: the configured limit rules (413).
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout(),
        ));
    if let Some(cors) = cors(&config) {
        app = app.layer(cors);
    }
    let app = headers::apply(app, &config);
    app.layer(TraceLayer::new_for_http())
}

/// CORS with credentials for exactly the configured origins (none: no CORS headers at all).
fn cors(config: &Config) -> Option<CorsLayer> {
    if config.cross_site_domains.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = config
        .cross_site_domains
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::HeaderName::from_static("x-csrftoken"),
                header::HeaderName::from_static("x-csrf-token"),
            ]),
    )
}

/// Serves the app on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // A mailer that cannot be built (e.g. a bad smtp_url) stops the server here.
    crate::accounts::Mailer::from_config(&config)?;
    let state = AppState::new(config, store);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
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
