//! The app shell (`dist/index.html`) for client-side routes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::AppState;

/// Serves `index.html` from the app directory.
pub async fn index(state: &AppState) -> Response {
    let path = state.config().dist.join("index.html");
    match tokio::fs::read_to_string(&path).await {
        Ok(html) => {
            let mut resp = Html(html).into_response();
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            resp
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The web app is not built: run `trunk build --release` (scripts/serve does it).",
        )
            .into_response(),
    }
}
