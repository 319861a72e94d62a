//! Background tasks: `background_action()`, `background_response()`,
//! `background_response_action()`, `background_error_action()` and the task object they
//! return (`ready()`, `failed()`, `get()`, `result()`, `revoke()`, `wait()`).
//!
//! docassemble hands the task to a Celery worker and returns at once; the worker runs the
//! event on a copy of the answers and its result (or the action it asks the session to run)
//! reaches the session later, which the browser learns by polling or reloading. Here the
//! library only records the task: `background_action()` queues it in `_da_internal`
//! ([`QUEUE`]) and the engine runs the queue after the request that queued it (see
//! `engine::run::background`), so the request that starts a task still sees it not ready and
//! the next one sees its result, as with docassemble.

use pyeval::{Args, Flow, Interp, ObjId, PyResult, Value};

use super::super::host::DaHost;
use super::super::signals::{self, Signal};
use super::super::support::{self, req, s};
use super::{json, server};

/// The functions of this module.
pub const NAMES: &[&str] = &[
    "background_action",
    "background_error_action",
    "background_response",
    "background_response_action",
];

/// The class of the task objects.
pub const TASK: &str = "DABackgroundTask";
/// The `_da_internal` slot holding the tasks waiting to run (a list of task objects).
pub const QUEUE: &str = "background";
/// The `_da_internal` slot where `background_error_action()` leaves the error action.
pub const ON_ERROR: &str = "background_on_error";

/// A task's state (its `_status` attribute).
pub const QUEUED: &str = "queued";
/// The task finished (`background_response` or its response action).
pub const DONE: &str = "done";
/// The task raised an error.
pub const FAILED: &str = "failed";

/// A Python value as JSON, as it crosses from the worker to the session (docassemble
/// pickles it; values that JSON cannot carry become their text).
pub fn to_json(cx: &mut Interp<'_>, v: &Value) -> PyResult<serde_json::Value> {
    let text = json::dumps(cx, v)?;
    match serde_json::from_str(&text) {
        Ok(j) => Ok(j),
        Err(_) => Ok(serde_json::Value::String(cx.to_str(v)?)),
    }
}

fn raise(h: &DaHost, message: &str, signal: Signal) -> Flow {
    h.effects_mut().signal = Some(signal);
    Flow::raise(signals::BACKGROUND, message)
}

/// The keyword arguments as a JSON object.
fn kwargs(
    cx: &mut Interp<'_>,
    args: &Args,
) -> PyResult<serde_json::Map<String, serde_json::Value>> {
    let mut out = serde_json::Map::new();
    for (k, v) in &args.kw {
        out.insert(k.to_string(), to_json(cx, v)?);
    }
    Ok(out)
}

fn kwargs_dict(cx: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let mut d = pyeval::Dict::new();
    for (k, v) in &args.kw {
        let key = s(k);
        let hk = support::key(cx, &key)?;
        d.insert(hk, key, v.clone());
    }
    Ok(cx.heap_mut().new_dict(d))
}

/// The background functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "background_action" => {
            let event = cx.to_str(req(args, 0, "action", name)?)?;
            let ui = match args.pos.get(1) {
                Some(v) if !v.is_none() => s(cx.to_str(v)?),
                _ => Value::None,
            };
            let arguments = kwargs_dict(cx, args)?;
            let id = cx.heap_mut().new_instance(TASK, None);
            for (k, v) in [
                ("_event", s(&event)),
                ("_ui", ui),
                ("_arguments", arguments),
                ("_status", s(QUEUED)),
                ("_value", Value::None),
            ] {
                cx.heap_mut().set_attr(id, k, v);
            }
            let queue = server::internal(cx, QUEUE, |cx| Ok(cx.heap_mut().new_list(Vec::new())))?;
            cx.call_method(&queue, "append", Args::new(vec![Value::Ref(id)]))?;
            Value::Ref(id)
        }
        "background_response" => {
            // docassemble's BackgroundResponseError: one positional argument is the value,
            // several are a list, keyword arguments alone a dict, both
            // `{"pargs": [...], "kwargs": {...}}`.
            let mut pargs = Vec::with_capacity(args.pos.len());
            for v in &args.pos {
                pargs.push(to_json(cx, v)?);
            }
            let kw = kwargs(cx, args)?;
            let value = match (pargs.len(), kw.is_empty()) {
                (0, _) => serde_json::Value::Object(kw),
                (_, false) => serde_json::json!({"pargs": pargs, "kwargs": kw}),
                (1, true) => pargs.swap_remove(0),
                _ => serde_json::Value::Array(pargs),
            };
            return Err(raise(
                h,
                "background_response() was called outside a background task",
                Signal::BackgroundResponse { value },
            ));
        }
        "background_response_action" => {
            let action = cx.to_str(req(args, 0, "action", name)?)?;
            let arguments = kwargs(cx, args)?;
            return Err(raise(
                h,
                "background_response_action() was called outside a background task",
                Signal::BackgroundResponseAction { action, arguments },
            ));
        }
        "background_error_action" => {
            let action = cx.to_str(req(args, 0, "action", name)?)?;
            let arguments = kwargs_dict(cx, args)?;
            let mut d = pyeval::Dict::new();
            for (k, v) in [("action", s(&action)), ("arguments", arguments)] {
                let key = s(k);
                let hk = support::key(cx, &key)?;
                d.insert(hk, key, v);
            }
            let entry = cx.heap_mut().new_dict(d);
            server::set_internal(cx, ON_ERROR, entry)?;
            Value::None
        }
        _ => return Ok(None),
    }))
}

fn status(cx: &Interp<'_>, id: ObjId) -> String {
    support::raw(cx, id, "_status")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| QUEUED.to_string())
}

/// Methods of a task object.
pub fn task_method(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "ready" => Value::Bool(status(cx, id) != QUEUED),
        "failed" => Value::Bool(status(cx, id) == FAILED),
        "get" => support::raw(cx, id, "_value").unwrap_or(Value::None),
        "result" => {
            let r = cx.heap_mut().new_instance("DAObject", None);
            let value = support::raw(cx, id, "_value").unwrap_or(Value::None);
            cx.heap_mut().set_attr(r, "value", value);
            for attr in ["error_type", "error_message", "error_trace", "variables"] {
                if let Some(v) = support::raw(cx, id, &format!("_{attr}")) {
                    cx.heap_mut().set_attr(r, attr, v);
                }
            }
            Value::Ref(r)
        }
        // The task has run by the time anything can wait for it or revoke it.
        "wait" | "revoke" => Value::None,
        _ => return Ok(None),
    }))
}
