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

/// docassemble's `transform_json_variables` as the data comes back (`safe_json`): text that
/// starts `YYYY-MM-DD` and reads as a date or date and time becomes its ISO date-time text
/// (`2019-06-13` → `2019-06-13T00:00:00`), in lists and dicts too.
fn transform_dates(v: Value, depth: usize) -> Value {
    if depth > 64 {
        return v;
    }
    match v {
        Value::String(s) => {
            let looks = s.len() >= 10
                && s.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        *b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            match super::query::parse_naive_time(&s).filter(|_| looks) {
                Some(t) => Value::String(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )),
                None => Value::String(s),
            }
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|x| transform_dates(x, depth + 1))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (k, transform_dates(x, depth + 1)))
                .collect(),
        ),
        other => other,
    }
}

/// `POST /api/stash_data`: `data` (any JSON; JSON text in a form), `raw` (keep date text as
/// it is), `expire` (seconds, 90 days by default) → `{"stash_key", "secret"}`.
pub async fn stash(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let data: Value = match params.json_any("data") {
        Ok(Some(v)) => v,
        Ok(None) => return Err(Fail::bad("Data must be provided.")),
        Err(_) => return Err(Fail::bad("Malformed data.")),
    };
    let data = if params.flag("raw") {
        data
    } else {
        transform_dates(data, 0)
    };
    let expire = seconds(params.text("expire")).unwrap_or(DEFAULT_EXPIRE_SECONDS);
    let payload = serde_json::to_vec(&data).map_err(|_| Fail::bad("Malformed data."))?;
    let secret = random(SECRET_LEN)?;
    let key = state
        .store()
        .new_code(
            CodePurpose::Stash,
            KEY_LEN,
            Some(&secret),
            &payload,
            false,
            Duration::seconds(expire),
        )
        .await?;
    Ok(ok_json(json!({"stash_key": key, "secret": secret})))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso_date_times_unless_raw() {
        let v = json!({"d": "2019-06-13", "t": "2019-06-13 14:05", "x": "2019-13-45",
            "n": ["12:00:00", "hello", 5], "deep": [{"d": "2020-01-02T03:04:05"}]});
        assert_eq!(
            transform_dates(v, 0),
            json!({"d": "2019-06-13T00:00:00", "t": "2019-06-13T14:05:00", "x": "2019-13-45",
                "n": ["12:00:00", "hello", 5], "deep": [{"d": "2020-01-02T03:04:05"}]})
        );
    }
}
