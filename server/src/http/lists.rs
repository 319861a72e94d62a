//! `/list` (the interviews offered) and `/interviews` (the caller's sessions).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::error::ApiError;
use super::interview::SECRET_COOKIE;
use crate::store::{Credentials, Secret};

/// `?json=1`.
#[derive(Debug, Default, Deserialize)]
pub struct JsonQuery {
    /// `1` for JSON.
    pub json: Option<String>,
}

fn wants_json(q: &JsonQuery) -> bool {
    q.json
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0)
        != 0
}

/// `GET /list`.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<JsonQuery>,
) -> Result<Response, ApiError> {
    if !wants_json(&q) {
        return Ok(super::spa::index(&state).await);
    }
    let roots = state.config().packages.clone();
    let interviews = tokio::task::spawn_blocking(move || crate::interviews::list(&roots))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(axum::Json(json!({ "interviews": interviews })).into_response())
}

/// `GET /interviews`.
pub async fn sessions(
    State(state): State<AppState>,
    Query(q): Query<JsonQuery>,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    if !wants_json(&q) {
        return Ok(super::spa::index(&state).await);
    }
    let secret = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok());
    let Some(secret) = secret else {
        return Ok(axum::Json(json!({ "interviews": [] })).into_response());
    };
    let rows = state
        .store()
        .list_sessions(Credentials::secret(&secret), None)
        .await?;
    let roots = crate::interviews::PackageRoots::new(&state.config().packages);
    let items: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            let title = crate::interviews::parse_reference(&r.interview)
                .ok()
                .and_then(|f| roots.path_of(&f))
                .and_then(|p| std::fs::read_to_string(p).ok())
                .and_then(|t| crate::interviews::metadata_title(&t).0)
                .unwrap_or_else(|| r.interview.clone());
            json!({
                "i": r.interview,
                "title": title,
                "session": r.id.as_str(),
                "steps": r.steps.get(),
                "modified": r.modified.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            })
        })
        .collect();
    Ok(axum::Json(json!({ "interviews": items })).into_response())
}
