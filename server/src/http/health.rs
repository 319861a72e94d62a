//! `GET /health`: liveness for load balancers and monitoring.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::AppState;

/// The health document.
#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_seconds: u64,
}

pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.uptime_seconds(),
    })
}
