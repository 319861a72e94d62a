//! The HTTP front end: routes, middleware and the server loop.

pub mod account;
pub mod api;
mod checkin;
mod chrome;
mod client_ip;
mod convert;
pub mod documents;
mod engine_task;
mod error;
mod first_query;
mod generic_names;
mod going_back;
mod headers;
mod health;
mod info;
pub mod interview;
mod links;
mod lists;
mod multipart;
mod package_static;
mod plain_errors;
mod spa;
mod start;
mod state;
mod temp_url;
pub mod uploads;
pub(crate) mod url_args;
mod validation;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::routing::{get, post};
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
    // `NAME.gz` beside an asset (scripts/lib/precompress.sh writes them after `trunk build`) is
    // sent as it is to browsers that accept gzip, instead of compressing the WASM per request.
    let spa = ServeDir::new(&config.dist)
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    let body_limit = usize::try_from(config.max_upload_bytes).unwrap_or(usize::MAX);
    let limit = config.max_upload_bytes;
    let mut site = Router::new()
        .route("/health", get(health::health))
        .route(
            "/interview",
            get(interview::get_interview).post(interview::post_interview),
        )
        .route("/checkin", post(checkin::checkin))
        .route("/list", get(lists::list))
        .route("/launch", get(links::launch))
        .route("/goto", get(temp_url::goto))
        .route("/start/{package}/{file}/", get(start::start))
        .route("/start/{package}/{file}", get(start::start))
        .route("/start/{package}/{directory}/{file}/", get(start::start))
        .route("/run/{package}/{file}/", get(start::run))
        .route("/run/{package}/{file}", get(start::run))
        .route("/run/{package}/{directory}/{file}/", get(start::run))
        .route("/interviews", get(lists::sessions))
        .route("/uploadedfile/{session}/{number}", get(uploads::download))
        .route("/document/{filename}", get(documents::download))
        .route(
            "/packagestatic/{package}/{*path}",
            get(package_static::serve),
        )
        .route(
            "/uploadedfile/{session}/{number}/{filename}",
            get(uploads::download_named),
        )
        .merge(account::routes());
    // Each part answers CORS its own way: the site with credentials (cookies), the API
    // without (it is called with keys, never with a browser's cookies).
    if let Some(cors) = site_cors(&config) {
        site = site.layer(cors);
    }
    let mut api = api::routes().route("/api/info", get(info::info));
    if let Some(cors) = api_cors(&config) {
        api = api.layer(cors);
    }
    let app = site
        .merge(api)
        .fallback_service(spa)
        .with_state(state)
        // axum's own 2 MiB default would cut uploads short: the configured limit rules (413).
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        // Errors made below the handlers (413, 405, rejections) answer JSON like the rest.
        .layer(axum::middleware::map_response(
            move |uri: axum::http::Uri, resp: axum::response::Response| {
                plain_errors::to_json(uri, limit, resp)
            },
        ))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout(),
        ));
    let app = headers::apply(app, &config);
    app.layer(TraceLayer::new_for_http())
}

fn allowed_origins(config: &Config) -> Option<AllowOrigin> {
    if config.cross_site_domains.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = config
        .cross_site_domains
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    Some(AllowOrigin::list(origins))
}

/// The site's CORS: credentials (cookies) for exactly the configured origins (none: no CORS
/// headers at all).
fn site_cors(config: &Config) -> Option<CorsLayer> {
    Some(
        CorsLayer::new()
            .allow_origin(allowed_origins(config)?)
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

/// The API's CORS (docassemble answers every origin): only the configured origins, preflight
/// included, with the key in the `X-API-Key` or `Authorization` header — and never with
/// credentials, so a browser neither sends cookies (the `X-API-Key` cookie, a sign-in) on
/// another site's behalf nor lets that site read an answer made with them.
fn api_cors(config: &Config) -> Option<CorsLayer> {
    Some(
        CorsLayer::new()
            .allow_origin(allowed_origins(config)?)
            .allow_credentials(false)
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::AUTHORIZATION,
                header::HeaderName::from_static("x-api-key"),
            ])
            .max_age(std::time::Duration::from_secs(600)),
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
