//! `/list` (the interviews offered) and `/interviews` (the caller's sessions).

use crate::http::first_query::FirstQuery;
use axum::extract::State;
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
    FirstQuery(q): FirstQuery<JsonQuery>,
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
///
/// A signed-in user sees the sessions held by the account (those still readable: after a
/// password reset the old ones are not) and those of this browser's secret.
pub async fn sessions(
    State(state): State<AppState>,
    FirstQuery(q): FirstQuery<JsonQuery>,
    viewer: super::account::Viewer,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    if !wants_json(&q) {
        return Ok(super::spa::index(&state).await);
    }
    let secret = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok());
    let mut rows = Vec::new();
    if let Some(user) = viewer.creds() {
        let creds = Credentials::none().with_user(Some(user));
        for r in state.store().list_user_sessions(user.id, None).await? {
            if state.store().can_open(&r.id, creds).await? {
                rows.push(r);
            }
        }
    }
    if let Some(secret) = &secret {
        rows.extend(
            state
                .store()
                .list_sessions(Credentials::secret(secret), None)
                .await?,
        );
    }
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert(r.id.clone()));
    rows.sort_by_key(|r| std::cmp::Reverse(r.modified));
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
