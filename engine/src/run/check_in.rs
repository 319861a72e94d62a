//! Check-ins: docassemble's `check in` (interview/views.py `checkin`).
//!
//! While a screen whose question says `check in: EVENT` is shown, the page posts the fields'
//! current values every `checkin interval` milliseconds and whenever a field changes; the
//! server runs `EVENT` as an action with those values as its arguments (`action_argument()`,
//! keyed by variable name, plus `_initial` and `_changed`). What the event's code does to the
//! answers is kept; the screen waiting for the user stays as it was. How the code ends tells
//! the page what to do (the `commands` of the reply):
//!
//! - `background_response(value, 'fields')`: set those fields (a `{"choices": [...]}` entry
//!   replaces a dropdown's choices, here also on the waiting screen so that the server
//!   accepts the new choices), `'javascript'`, `'flash'` (a message) or `'refresh'` (show
//!   the screen again);
//! - a template with a `target`, or `background_response(target=…, content=…)` (or a list of
//!   such dicts): fill the screen's `[TARGET name]` areas;
//! - anything else, or no response: nothing.
//!
//! Safer than docassemble, which runs any action the page names: only the event of the
//! screen waiting in the session runs, and HTML for the page is sanitised.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::Engine;
use super::error::{BackgroundExit, RunError};
use super::screen::ScreenChoice;
use super::state::{Action, SessionState};
use crate::text::markdown::sanitize;

/// The kinds of `background_response(value, kind)` the page acts on.
const KINDS: &[&str] = &["javascript", "flash", "refresh", "fields"];

/// One thing for the page to do after a check-in (docassemble's `{action, value, extra}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckInCommand {
    /// The event that ran.
    pub action: String,
    /// What to apply (per `extra`).
    pub value: Json,
    /// `backgroundresponse`, `fields`, `flash`, `javascript` or `refresh`.
    pub extra: String,
}

impl Engine<'_> {
    /// Runs the waiting screen's `check in` event `event` with the page's field values
    /// `arguments`, and says what the page should do. The answers the event changes are kept
    /// in `st` (store it); on error `st` is left as it was.
    pub fn check_in(
        &self,
        st: &mut SessionState,
        event: &str,
        arguments: Map<String, Json>,
    ) -> Result<Vec<CheckInCommand>, RunError> {
        let waiting = st
            .internal
            .pending
            .as_ref()
            .and_then(|p| p.screen.check_in.as_deref());
        if waiting != Some(event) {
            return Err(RunError::BadRequest(match waiting {
                Some(w) => format!("the screen checks in with '{w}', not '{event}'"),
                None => "the screen shown has no check-in event".to_string(),
            }));
        }
        let before = st.clone();
        let action = Action {
            action: event.to_string(),
            arguments,
        };
        let value = match self.run_beside_screen(st, action) {
            Err(RunError::BackgroundResponse(BackgroundExit::Value(v))) => Some(v),
            // The event asked a question, or ran to its end.
            Ok(_) | Err(RunError::BackgroundResponse(BackgroundExit::Action(_))) => None,
            Err(e) => {
                *st = before;
                return Err(e);
            }
        };
        self.run_background(st);
        let commands = value.map(|v| commands(event, v)).unwrap_or_default();
        if let Some(p) = st.internal.pending.as_mut() {
            for c in commands.iter().filter(|c| c.extra == "fields") {
                set_choices(&mut p.screen, &c.value);
            }
        }
        Ok(commands)
    }
}

/// docassemble's reading of a check-in event's `background_response(...)` value.
fn commands(event: &str, value: Json) -> Vec<CheckInCommand> {
    let command = |value: Json, extra: &str| CheckInCommand {
        action: event.to_string(),
        value,
        extra: extra.to_string(),
    };
    // `background_response(value, kind)` (as a list, or as pargs beside keyword arguments)
    let pair = match &value {
        Json::Array(items) if items.len() == 2 => Some(items.clone()),
        Json::Object(m) => match m.get("pargs") {
            Some(Json::Array(items)) if items.len() == 2 => Some(items.clone()),
            _ => None,
        },
        _ => None,
    };
    if let Some([v, Json::String(kind)]) = pair.as_deref() {
        if KINDS.contains(&kind.as_str()) {
            return vec![match kind.as_str() {
                "refresh" => command(Json::Null, "refresh"),
                "fields" => command(normalise_fields(v.clone()), "fields"),
                "flash" => command(sanitised(v.clone()), "flash"),
                _ => command(v.clone(), kind),
            }];
        }
    }
    if value.as_str() == Some("refresh") {
        return vec![command(Json::Null, "refresh")];
    }
    vec![command(sanitised(value), "backgroundresponse")]
}

/// Every text in `v` as sanitised HTML (what the page inserts as HTML).
fn sanitised(v: Json) -> Json {
    match v {
        Json::String(s) => Json::String(sanitize(&s)),
        Json::Array(items) => Json::Array(items.into_iter().map(sanitised).collect()),
        Json::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (k, sanitised(v))).collect()),
        other => other,
    }
}

/// docassemble's `normalize_background_response`: a field's `choices` given as a list of
/// values, of `{"value"|"key": …, "label": …}` or one-entry dicts, or as a dict, become
/// `[value, label]` pairs.
fn normalise_fields(v: Json) -> Json {
    let Json::Object(fields) = v else {
        return v;
    };
    let fields = fields
        .into_iter()
        .map(|(name, entry)| match entry {
            Json::Object(mut m) if m.contains_key("choices") => {
                let choices = m.remove("choices").map(choice_pairs).unwrap_or_default();
                m.insert("choices".into(), Json::Array(choices));
                (name, Json::Object(m))
            }
            other => (name, other),
        })
        .collect();
    Json::Object(fields)
}

fn choice_pairs(choices: Json) -> Vec<Json> {
    let pair = |v: Json, l: Json| Json::Array(vec![v, l]);
    match choices {
        Json::Array(items) => items
            .into_iter()
            .flat_map(|item| match item {
                Json::Object(mut m) if m.contains_key("label") => {
                    let label = m.remove("label").unwrap_or(Json::Null);
                    match m.remove("value").or_else(|| m.remove("key")) {
                        Some(v) => vec![pair(v, label)],
                        None => vec![],
                    }
                }
                Json::Object(m) => m
                    .into_iter()
                    .map(|(k, l)| pair(Json::String(k), l))
                    .collect(),
                Json::Array(a) => vec![Json::Array(a)],
                other => vec![pair(other.clone(), other)],
            })
            .collect(),
        Json::Object(m) => m
            .into_iter()
            .map(|(k, l)| pair(Json::String(k), l))
            .collect(),
        _ => Vec::new(),
    }
}

/// The text of a JSON scalar as the page shows it.
fn text_of(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// Replaces the choices of the waiting screen's fields named in a `fields` command.
fn set_choices(screen: &mut super::screen::Screen, value: &Json) {
    let Json::Object(fields) = value else {
        return;
    };
    for (name, entry) in fields {
        let Some(Json::Array(choices)) = entry.get("choices") else {
            continue;
        };
        let Some(field) = screen
            .fields
            .iter_mut()
            .find(|f| f.variable_name.as_deref() == Some(name.as_str()))
        else {
            continue;
        };
        field.choices = choices
            .iter()
            .filter_map(|c| match c.as_array().map(Vec::as_slice) {
                Some([v, l, ..]) => Some(ScreenChoice {
                    label: crate::text::markup::escape_html(&text_of(l)),
                    value: Some(Json::String(text_of(v))),
                    variable_name: None,
                    variable_name_encoded: None,
                    help: None,
                    selected: None,
                    color: None,
                    command: None,
                }),
                _ => None,
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_kind_as_second_argument_is_a_command_of_that_kind() {
        let c = commands("e", json!([{"var_c": 20.0}, "fields"]));
        assert_eq!(c[0].extra, "fields");
        assert_eq!(c[0].value, json!({"var_c": 20.0}));
        assert_eq!(commands("e", json!("refresh"))[0].extra, "refresh");
        assert_eq!(commands("e", json!([null, "refresh"]))[0].value, Json::Null);
        let flash = commands("e", json!(["<b>Hi</b><script>x()</script>", "flash"]));
        assert_eq!(flash[0].value, json!("<b>Hi</b>"));
    }

    #[test]
    fn other_values_fill_target_areas_sanitised() {
        let c = commands(
            "e",
            json!([{"target": "a", "content": "<i>x</i><img src=x onerror=y>"}, {"target": "b", "content": ""}]),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].extra, "backgroundresponse");
        assert_eq!(c[0].value[0]["content"], "<i>x</i><img src=\"x\">");
        assert_eq!(commands("e", json!({}))[0].value, json!({}));
    }

    #[test]
    fn choices_are_normalised_to_pairs() {
        let v = normalise_fields(json!({
            "a": {"choices": ["x", {"value": "y", "label": "Y"}, {"z": "Z"}, ["w", "W"]]},
            "b": {"choices": {"k": "K"}},
            "c": 3,
        }));
        assert_eq!(
            v,
            json!({
                "a": {"choices": [["x", "x"], ["y", "Y"], ["z", "Z"], ["w", "W"]]},
                "b": {"choices": [["k", "K"]]},
                "c": 3,
            })
        );
    }
}
