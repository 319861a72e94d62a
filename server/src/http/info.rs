//! `GET /api/info`: what this server is, for the app's header and for API clients.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::AppState;

/// Public facts about the server.
#[derive(Debug, Serialize)]
pub struct Info {
    pub name: &'static str,
    pub version: &'static str,
    /// How many package roots the server reads interviews from.
    pub package_roots: usize,
}

pub async fn info(State(state): State<AppState>) -> Json<Info> {
    Json(Info {
        name: "Colloquy",
        version: env!("CARGO_PKG_VERSION"),
        package_roots: state.config().packages.len(),
    })
}
