//! Background tasks, run synchronously after the request that queued them.
//!
//! docassemble's `background_action(event, ui_notification, **kwargs)` hands the event to a
//! worker, which runs it on a copy of the session's answers: `background_response(value)`
//! ends it with a result, `background_response_action(action, **kwargs)` runs `action` in
//! the session itself (whose answers it may change; its own `background_response()` gives
//! the result), and an error runs the `background_error_action()` event in the session with
//! `error_type`, `error_message`, `error_trace` and `variables` arguments. The result reaches
//! the session's task object (`ready()`, `get()`, `failed()`, `result()`), and the browser
//! is told per `ui_notification` (`refresh`, `fields`, `flash`, `javascript`) when it next
//! polls.
//!
//! Here the runtime queues the task ([`bg::QUEUE`]) and [`Engine::run_background`] runs the
//! queue when the request is done, in the same order as docassemble's worker: the screen
//! already computed still shows the task as running, and the next request sees its result.
//! The notifications are left in [`super::state::Internal::notifications`] for the front end.

use pyeval::{ObjId, Value};
use serde_json::{Map, Value as Json};

use super::Engine;
use super::error::{BackgroundExit, RunError};
use super::state::{Action, Notification, SessionState};
use super::values::from_json;
use crate::runtime::functions::{background as bg, server};

/// At most this many tasks run after one request (a task may start others).
const MAX_TASKS: usize = 16;
/// At most this many notifications wait for the front end.
const MAX_NOTIFICATIONS: usize = 8;

/// A queued task, read from its object.
struct Task {
    id: ObjId,
    event: String,
    ui: Option<String>,
    arguments: Map<String, Json>,
}

/// What a task came to.
struct Outcome {
    value: Json,
    error: Option<TaskError>,
}

struct TaskError {
    kind: String,
    message: String,
    trace: String,
    variables: Vec<String>,
}

impl TaskError {
    fn of(e: &RunError, sought: &str) -> Self {
        let (kind, message) = match e {
            RunError::Python { kind, message, .. } => (kind.clone(), message.clone()),
            other => ("DAError".to_string(), other.to_string()),
        };
        TaskError {
            kind,
            message,
            trace: e.to_string(),
            variables: vec![sought.to_string()],
        }
    }
}

impl Engine<'_> {
    /// Runs the background tasks the last request queued (and any they queue), storing each
    /// result on its task object and leaving its notification for the front end.
    pub(crate) fn run_background(&self, st: &mut SessionState) {
        for _ in 0..MAX_TASKS {
            let Some(task) = self.next_task(st) else {
                return;
            };
            let outcome = self.run_task(st, &task);
            self.finish(st, &task, outcome);
        }
    }

    /// Takes the first task off the queue.
    fn next_task(&self, st: &mut SessionState) -> Option<Task> {
        let mut ctx = self.ctx(st);
        let mut cx = ctx.interp();
        let queue = server::get_internal(&mut cx, bg::QUEUE).ok()??;
        if cx.len(&queue).ok()? == 0 {
            return None;
        }
        let first = cx
            .call_method(&queue, "pop", pyeval::Args::new(vec![Value::Int(0)]))
            .ok()?;
        let id = first.as_ref_id()?;
        let text = |cx: &mut pyeval::Interp<'_>, name: &str| -> Option<String> {
            match cx.heap().attr(id, name).cloned() {
                Some(Value::None) | None => None,
                Some(v) => cx.to_str(&v).ok(),
            }
        };
        let event = text(&mut cx, "_event")?;
        let ui = text(&mut cx, "_ui");
        let arguments = match cx.heap().attr(id, "_arguments").cloned() {
            Some(v) => match bg::to_json(&mut cx, &v) {
                Ok(Json::Object(m)) => m,
                _ => Map::new(),
            },
            None => Map::new(),
        };
        Some(Task {
            id,
            event,
            ui,
            arguments,
        })
    }

    /// Runs the task's event on a copy of the answers (the worker's copy).
    fn run_task(&self, st: &mut SessionState, task: &Task) -> Outcome {
        let mut worker = st.clone();
        worker.internal.pending = None;
        worker.internal.gather.clear();
        worker.internal.notifications.clear();
        worker.internal.event_stack = vec![Action {
            action: task.event.clone(),
            arguments: task.arguments.clone(),
        }];
        {
            let mut ctx = self.ctx(&mut worker);
            let mut cx = ctx.interp();
            let _ = server::set_internal(&mut cx, bg::ON_ERROR, Value::None);
        }
        self.host.begin_request();
        let result = self.ctx(&mut worker).assemble();
        match result {
            Err(RunError::BackgroundResponse(BackgroundExit::Value(value))) => {
                Outcome { value, error: None }
            }
            Err(RunError::BackgroundResponse(BackgroundExit::Action(action))) => {
                self.respond(st, action)
            }
            // The event asked a question instead of responding: no result.
            Ok(_) => Outcome {
                value: Json::Null,
                error: None,
            },
            Err(e) => {
                let error = TaskError::of(&e, &task.event);
                match self.error_action(&mut worker) {
                    Some(mut action) => {
                        action.arguments.extend([
                            ("error_type".to_string(), Json::String(error.kind.clone())),
                            (
                                "error_message".to_string(),
                                Json::String(error.message.clone()),
                            ),
                            ("error_trace".to_string(), Json::String(error.trace.clone())),
                            ("variables".to_string(), Json::from(error.variables.clone())),
                        ]);
                        let handled = self.respond(st, action);
                        Outcome {
                            value: handled.value,
                            error: Some(handled.error.unwrap_or(error)),
                        }
                    }
                    None => Outcome {
                        value: Json::Null,
                        error: Some(error),
                    },
                }
            }
        }
    }

    /// The action `background_error_action()` registered in the worker, if any.
    fn error_action(&self, worker: &mut SessionState) -> Option<Action> {
        let mut ctx = self.ctx(worker);
        let mut cx = ctx.interp();
        let entry = server::get_internal(&mut cx, bg::ON_ERROR).ok()??;
        if entry.is_none() {
            return None;
        }
        let json = bg::to_json(&mut cx, &entry).ok()?;
        Action::from_json(&json).ok()
    }

    /// Runs `action` in the session itself (docassemble's response action and error
    /// callback): its changes to the answers are kept unless it fails; the screen waiting for
    /// the user stays as it was.
    fn respond(&self, st: &mut SessionState, action: Action) -> Outcome {
        let vars = st.vars.clone();
        let event = action.action.clone();
        match self.run_beside_screen(st, action) {
            Err(RunError::BackgroundResponse(BackgroundExit::Value(value))) => {
                Outcome { value, error: None }
            }
            Ok(_) | Err(RunError::BackgroundResponse(BackgroundExit::Action(_))) => Outcome {
                value: Json::Null,
                error: None,
            },
            Err(e) => {
                // Nothing the failed action did is kept.
                st.vars = vars;
                Outcome {
                    value: Json::Null,
                    error: Some(TaskError::of(&e, &event)),
                }
            }
        }
    }

    /// Runs `action` as the session's only event, then puts back the screen waiting for the
    /// user, the events waiting after it, the gathering under way and the assembly count (a
    /// response action, a check-in): what the action did to the answers stays in `st`.
    pub(crate) fn run_beside_screen(
        &self,
        st: &mut SessionState,
        action: Action,
    ) -> Result<super::screen::Screen, RunError> {
        let pending = st.internal.pending.take();
        let event_stack = std::mem::replace(&mut st.internal.event_stack, vec![action]);
        let gather = std::mem::take(&mut st.internal.gather);
        let tracker = st.internal.tracker;
        self.host.begin_request();
        let result = self.ctx(st).assemble();
        st.internal.pending = pending;
        st.internal.event_stack = event_stack;
        st.internal.gather = gather;
        st.internal.tracker = tracker;
        result
    }

    /// Stores the outcome on the task object and leaves the task's notification.
    fn finish(&self, st: &mut SessionState, task: &Task, outcome: Outcome) {
        {
            let mut ctx = self.ctx(st);
            let mut cx = ctx.interp();
            let value = from_json(&mut cx, &outcome.value).unwrap_or(Value::None);
            let status = if outcome.error.is_some() {
                bg::FAILED
            } else {
                bg::DONE
            };
            let mut attrs = vec![("_status", Value::str(status)), ("_value", value)];
            if let Some(e) = &outcome.error {
                let variables = e.variables.iter().map(|v| Value::str(v)).collect();
                let variables = cx.heap_mut().new_list(variables);
                attrs.extend([
                    ("_error_type", Value::str(&e.kind)),
                    ("_error_message", Value::str(&e.message)),
                    ("_error_trace", Value::str(&e.trace)),
                    ("_variables", variables),
                ]);
            }
            for (k, v) in attrs {
                cx.heap_mut().set_attr(task.id, k, v);
            }
        }
        if let Some(kind) = &task.ui {
            // A front end that never takes them keeps only the latest few.
            let n = st.internal.notifications.len();
            if n >= MAX_NOTIFICATIONS {
                st.internal.notifications.drain(..=n - MAX_NOTIFICATIONS);
            }
            st.internal.notifications.push(Notification {
                kind: kind.clone(),
                value: outcome.value,
            });
        }
    }
}
