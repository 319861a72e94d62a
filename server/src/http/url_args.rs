//! docassemble's `url_args` (spec §3.1 item 10): the arguments of a `GET /interview` that are
//! not the protocol's own are copied into the session's `url_args` dictionary (which every
//! session has, empty at first), so an interview reads `url_args.get('name', 'you')`. A
//! change of them is a change of the answers: a new step.

use serde_json::{Map, Value};

use super::AppState;
use super::engine_task::{EngineRun, with_engine};
use super::error::ApiError;
use super::first_query::first_values;

/// The arguments `/interview` keeps for itself (docassemble's, plus `refresh`).
const RESERVED: [&str; 10] = [
    "i",
    "json",
    "js_target",
    "from_list",
    "session",
    "cache",
    "reset",
    "new_session",
    "action",
    "refresh",
];

/// The `url_args` of a query string: every argument but the reserved ones (first values).
pub fn of_query(query: Option<&str>) -> Map<String, Value> {
    let mut args = first_values(query.unwrap_or(""));
    args.retain(|k, _| !RESERVED.contains(&k.as_str()) && !k.is_empty());
    args
}

/// `current` with `args` merged in, if that differs from `current`.
fn merged(current: Option<&Value>, args: &Map<String, Value>) -> Option<Value> {
    let mut out = match current {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let mut changed = !matches!(current, Some(Value::Object(_)));
    for (k, v) in args {
        if out.get(k) != Some(v) {
            out.insert(k.clone(), v.clone());
            changed = true;
        }
    }
    changed.then_some(Value::Object(out))
}

/// The session state (a new one when `session_state` is `None`) with `url_args` made and
/// `args` merged in: the new bytes, or `None` when nothing changed.
pub async fn apply(
    state: &AppState,
    reference: engine::FileRef,
    use_cache: bool,
    session_state: Option<Vec<u8>>,
    args: Map<String, Value>,
) -> Result<Option<Vec<u8>>, ApiError> {
    with_engine(
        state,
        reference,
        use_cache,
        session_state,
        move |mut run| {
            if !apply_to(&mut run, &args)? {
                return Ok(None);
            }
            run.state
                .to_bytes()
                .map(Some)
                .map_err(|e| ApiError::Internal(e.to_string()))
        },
    )
    .await
}

/// [`apply`] on an engine run's state, in place: whether it changed.
pub fn apply_to(run: &mut EngineRun<'_>, args: &Map<String, Value>) -> Result<bool, ApiError> {
    let vars = run.engine.variables_json(&run.state);
    let Some(value) = merged(vars.get("url_args"), args) else {
        return Ok(false);
    };
    run.engine
        .set_variables(
            &mut run.state,
            &[("url_args".to_string(), value)],
            &[],
            true,
        )
        .map_err(|e| ApiError::BadRequest(format!("the URL arguments cannot be kept: {e}")))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reserved_arguments_are_not_kept() {
        let args = of_query(Some("i=a&json=1&name=Ann&session=x&name=Bob&from=mail"));
        assert_eq!(Value::Object(args), json!({"name": "Ann", "from": "mail"}));
    }

    #[test]
    fn a_change_is_reported_once() {
        let Value::Object(args) = json!({"name": "Ann"}) else {
            unreachable!()
        };
        assert_eq!(merged(None, &Map::new()), Some(json!({})));
        let once = merged(Some(&json!({"x": "1"})), &args);
        assert_eq!(once, Some(json!({"x": "1", "name": "Ann"})));
        assert_eq!(merged(once.as_ref(), &args), None);
    }
}
