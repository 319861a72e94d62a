//! `POST /checkin?i=…`: docassemble's check-in (interview/views.py `checkin`), which a page
//! showing a screen with `do_action` (the question's `check in` event) posts every
//! `checkin_interval` milliseconds and when a field changes.
//!
//! Form: `action=checkin`, `do_action` (the event), `parameters` (JSON: the fields' values
//! by variable name, with `_initial` and `_changed`), `checkinCode` (echoed back),
//! `read_only` (`1`: the answers the event changes are not stored), `chatstatus`,
//! `csrf_token` (or an `X-CSRFToken` header). Answer: `{"success": true, "commands":
//! [{"action", "value", "extra"}], "checkin_code", "chat_status", "phone": null,
//! "observerControl": false}` (see [`engine::run::check_in`] for the commands).
//!
//! Safer than docassemble: only the event of the screen waiting in the session runs (any
//! other is a 400), and the step is brought up to date only while it is still the newest (a
//! check-in that lost a race with an answer is a 409 and changes nothing).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde_json::{Map, Value, json};

use super::AppState;
use super::engine_task::{EngineRun, with_engine};
use super::error::ApiError;
use super::first_query::FirstQuery;
use super::interview::{InterviewQuery, posted_secret, read_form, session_of, use_cache};
use crate::interviews;
use crate::store::{Credentials, StoreError};

/// How many times a check-in runs when it keeps losing the race to save its step (each round
/// one of the racing check-ins wins, so this many overlapping check-ins all get through).
const CHECK_IN_ATTEMPTS: usize = 10;

/// The page's field values: a JSON object.
fn parameters(text: Option<&str>) -> Result<Map<String, Value>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Map::new()),
        Some(t) => match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(ApiError::BadRequest(
                "parameters must be a JSON object of the fields' values".into(),
            )),
            Err(e) => Err(ApiError::BadRequest(format!(
                "parameters is not valid JSON: {e}"
            ))),
        },
    }
}

fn truthy(v: Option<&str>) -> bool {
    v.map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"))
}

/// `POST /checkin`.
pub async fn checkin(
    State(state): State<AppState>,
    FirstQuery(q): FirstQuery<InterviewQuery>,
    viewer: super::account::Viewer,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = read_form(&headers, body).await?;
    let pairs = &form.pairs;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    match get("action") {
        Some("checkin") => {}
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "unknown check-in action '{other}' (expected 'checkin')"
            )));
        }
        None => return Err(ApiError::BadRequest("the action field is required".into())),
    }
    let i = get("i")
        .map(str::to_string)
        .or_else(|| q.i.clone())
        .ok_or_else(|| ApiError::BadRequest("the i parameter is required".into()))?;
    let reference = interviews::parse_reference(&i)?;
    let reference_text = reference.to_string();
    let secret = posted_secret(&state, &jar, &headers, pairs)?;
    let checkin_code = get("checkinCode").map(str::to_string);
    let chat_status = get("chatstatus").unwrap_or("off").to_string();
    let reply = |commands: Value| {
        json!({
            "success": true,
            "commands": commands,
            "checkin_code": checkin_code,
            "chat_status": chat_status,
            "phone": null,
            "observerControl": false,
        })
    };
    let Some(event) = get("do_action")
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
    else {
        return Ok(axum::Json(reply(json!([]))).into_response());
    };
    let arguments = parameters(get("parameters"))?;
    let read_only = truthy(get("read_only"));
    let lookup = InterviewQuery {
        session: get("session").map(str::to_string).or(q.session.clone()),
        ..InterviewQuery::default()
    };
    let id = session_of(&lookup, &jar, &reference_text)?.ok_or_else(|| {
        ApiError::Conflict("there is no session for this interview: GET it first".into())
    })?;
    let creds = Credentials::secret(&secret).with_user(viewer.creds());
    let moved_on = || {
        (
            StatusCode::CONFLICT,
            axum::Json(json!({
                "success": false,
                "error": "the session moved on while checking in",
            })),
        )
            .into_response()
    };
    // Check-ins of one page overlap (one per changed field): one that lost the race to save
    // its step to another check-in of the same step runs again on what that one saved. Only
    // a session that moved on to another step (an answer) makes it a 409.
    let mut at = None;
    for _ in 0..CHECK_IN_ATTEMPTS {
        let (step, opened) = state
            .store()
            .open_latest_of(&id, &reference_text, creds)
            .await?;
        if *at.get_or_insert(step.number) != step.number {
            return Ok(moved_on());
        }
        let (event, arguments) = (event.clone(), arguments.clone());
        let (commands, new_state) = with_engine(
            &state,
            reference.clone(),
            use_cache(&q, &viewer),
            Some(step.state),
            move |run: EngineRun<'_>| -> Result<(Value, Vec<u8>), ApiError> {
                let EngineRun {
                    interview,
                    engine,
                    state: mut st,
                    ..
                } = run;
                let commands = engine
                    .check_in(&mut st, &event, arguments)
                    .map_err(|e| ApiError::of_run(e, interview))?;
                let bytes = st
                    .to_bytes()
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                let commands = serde_json::to_value(commands)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                Ok((commands, bytes))
            },
        )
        .await?;
        if read_only {
            return Ok(axum::Json(reply(commands)).into_response());
        }
        match state.store().overwrite_opened(&opened, &new_state).await {
            Ok(()) => return Ok(axum::Json(reply(commands)).into_response()),
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(moved_on())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_must_be_a_json_object() {
        assert!(parameters(None).unwrap().is_empty());
        assert_eq!(
            parameters(Some(r#"{"a": "1", "_changed": null}"#))
                .unwrap()
                .len(),
            2
        );
        assert!(parameters(Some("[1]")).is_err());
        assert!(parameters(Some("{bad")).is_err());
    }
}
