//! `POST /api/stash_data` and `GET /api/retrieve_stashed_data`: data kept for a while for
//! another program or a later request, encrypted with a secret only the caller gets
//! (docassemble's `stash_data()`). Kept in the database ([`crate::store::codes`]).

use axum::extract::State;
use axum::response::Response;
use serde_json::{Value, json};
use time::Duration;

use super::{ApiRequest, Fail, ok_json};
use crate::http::AppState;
use crate::store::codes::{CodePurpose, Take};
use crate::store::{IdError, StoreError};

/// docassemble's default lifetime of stashed data: 90 days.
const DEFAULT_EXPIRE_SECONDS: i64 = 60 * 60 * 24 * 90;
const KEY_LEN: usize = 32;
const SECRET_LEN: usize = 16;

fn random(len: usize) -> Result<String, Fail> {
    crate::store::random_code(len).map_err(|e: IdError| Fail::from(StoreError::Id(e)))
}

fn seconds(text: Option<String>) -> Option<i64> {
    text.and_then(|t| super::positive_seconds(&t))
}

/// `POST /api/stash_data`: `data` (any JSON; JSON text in a form), `expire` (seconds, 90 days
/// by default) → `{"stash_key", "secret"}`.
pub async fn stash(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let data: Value = match params.json_any("data") {
        Ok(Some(v)) => v,
        Ok(None) => return Err(Fail::bad("Data must be provided.")),
        Err(_) => return Err(Fail::bad("Malformed data.")),
    };
    let expire = seconds(params.text("expire")).unwrap_or(DEFAULT_EXPIRE_SECONDS);
    let payload = serde_json::to_vec(&data).map_err(|_| Fail::bad("Malformed data."))?;
    let secret = random(SECRET_LEN)?;
    for _ in 0..4 {
        let key = random(KEY_LEN)?;
        if state
            .store()
            .put_code(
                CodePurpose::Stash,
                &key,
                &secret,
                &payload,
                false,
                Duration::seconds(expire),
            )
            .await?
        {
            return Ok(ok_json(json!({"stash_key": key, "secret": secret})));
        }
    }
    Err(Fail::from(StoreError::Id(IdError::Random)))
}

/// `GET /api/retrieve_stashed_data?stash_key&secret[&delete][&refresh=SECONDS]`: the data.
pub async fn retrieve(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let (Some(key), Some(secret)) = (params.text("stash_key"), params.text("secret")) else {
        return Err(Fail::bad(
            "The stash key and secret parameters are required.",
        ));
    };
    let take = if params.flag("delete") {
        Take::Delete
    } else if let Some(s) = seconds(params.text("refresh")) {
        Take::Refresh(Duration::seconds(s))
    } else {
        Take::Read
    };
    let gone = || {
        Fail::bad(
            "The stashed data could not be retrieved: it does not exist, it expired, or the secret is wrong.",
        )
    };
    if key.len() > 128 || secret.len() > 128 {
        return Err(gone());
    }
    let payload = state
        .store()
        .take_code(CodePurpose::Stash, &key, &secret, take)
        .await?
        .ok_or_else(gone)?;
    let data: Value = serde_json::from_slice(&payload).map_err(|_| gone())?;
    Ok(ok_json(data))
}
