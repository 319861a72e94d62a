//! The state of one interview session: the answers (a Python namespace) plus docassemble's
//! `_internal` bookkeeping. Serialised as a whole for every step.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::screen::Screen;

/// Everything a session remembers between requests.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionState {
    /// The interview answers: docassemble's `user_dict` (globals + object heap).
    pub vars: pyeval::State,
    /// docassemble's `_internal`.
    pub internal: Internal,
}

/// docassemble's `user_dict['_internal']`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Internal {
    /// Names of mandatory blocks that are done.
    pub answered: BTreeSet<String>,
    /// `{question name: chosen index}` for buttons without a variable whose choice runs an
    /// embedded block.
    pub answers: BTreeMap<String, usize>,
    /// Whether this request followed one of `answers` (docassemble's `followed_mc`): a
    /// request that follows none forgets them all, so a button question is asked again the
    /// next time its variable is needed.
    #[serde(skip)]
    pub followed_mc: bool,
    /// Tables named before their rows could be read in this request (made lazy once; the
    /// second time their rows' needs are asked for).
    #[serde(skip)]
    pub lazy_tables: BTreeSet<String>,
    /// Actions (events) waiting to be run on the next requests (`force_ask('a', 'b')`).
    pub event_stack: Vec<Action>,
    /// Incremented by every assembly.
    pub tracker: u64,
    /// Steps taken (answers accepted).
    pub steps: u64,
    /// The progress bar value set by `progress:` or `set_progress()`.
    pub progress: Option<f64>,
    /// The screen last shown, with what it allows to be set.
    pub pending: Option<Pending>,
    /// Values of variables deleted because something they depend on changed (`depends on`),
    /// offered as defaults when they are asked again (docassemble's `dirty`).
    #[serde(default)]
    pub dirty: BTreeMap<String, serde_json::Value>,
    /// Variables to keep seeking until they are defined (`_da_compute`, `force_gather`).
    #[serde(default)]
    pub gather: Vec<String>,
    /// The variables that generic or indexed `template`/`table` blocks defined (`x.summary`
    /// as `company.summary`): lazy in docassemble, so forgotten at the start of each request
    /// and made again when shown, like the plain ones.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub lazy_made: BTreeSet<String>,
    /// The current navigation section (`section:` of the last question shown with one).
    #[serde(default)]
    pub section: Option<String>,
    /// What finished background tasks ask the browser to do (their `ui_notification`), for
    /// the front end to take: docassemble delivers these while the user waits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notifications: Vec<Notification>,
    /// Screen parts set by `set_parts()` (`pre`, `continue button label` …), by part name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parts: BTreeMap<String, String>,
    /// The step count when going back was last prevented (`prevent going back`,
    /// `prevent_going_back()`; docassemble's `steps_offset`): going back from a later screen
    /// is possible only once a step separates it from that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps_offset: Option<u64>,
}

/// A background task's message to the browser (`background_action(…, ui_notification)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// `refresh` (show the current screen again), `fields` (put the values, a
    /// `{variable: value}` object, into the form), `flash` (show the value as a message) or
    /// `javascript` (run the value as a script).
    pub kind: String,
    /// The task's result.
    pub value: serde_json::Value,
}

/// An action requested by a link, a button or `force_ask`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// The event or variable name.
    pub action: String,
    /// Arguments (`action_argument()`), as JSON.
    #[serde(default)]
    pub arguments: serde_json::Map<String, serde_json::Value>,
}

/// The screen last shown: what a submission may answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The question-list index of the block asked.
    pub block: usize,
    /// The block's name (`_question_name`).
    pub question_name: String,
    /// The value bound to `x` when the screen was built (a path), if generic.
    pub x: Option<String>,
    /// Values bound to `i`, `j`, … (Python literals).
    pub iterators: Vec<String>,
    /// The variable whose seeking produced the screen.
    pub sought: Option<String>,
    /// The screen itself, as served.
    pub screen: Screen,
    /// The block is mandatory (answering it marks it answered).
    pub mandatory: bool,
    /// The choices that led from `block` to the question embedded in it that was asked
    /// (empty: `block` itself was asked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<usize>,
}

/// The key under which the choice of a button that runs code is remembered (docassemble's
/// `extended_question_name`): the question name, plus `|WITH|` and the values of `x`, `i`, …
/// when the question was asked for them.
pub fn answer_key(question: &str, x: Option<&str>, iterators: &[String]) -> String {
    if x.is_none() && iterators.is_empty() {
        return question.to_string();
    }
    let mut parts: Vec<&str> = x.into_iter().collect();
    parts.extend(iterators.iter().map(String::as_str));
    format!("{question}|WITH|{}", parts.join("|"))
}

/// The first bytes of a state in the compact format: MessagePack with named fields, format
/// version 1. States written before it are JSON, which always starts with `{`.
const COMPACT_V1: &[u8] = b"\x00cq1";

/// Why stored state bytes cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The state does not serialise (a value the format cannot hold).
    #[error("the session state cannot be written: {0}")]
    Write(#[from] rmp_serde::encode::Error),
    /// Compact-format bytes that do not decode.
    #[error("the session state cannot be read: {0}")]
    Read(#[from] rmp_serde::decode::Error),
    /// JSON bytes (the format before version 1) that do not decode.
    #[error("the session state cannot be read: {0}")]
    ReadJson(#[from] serde_json::Error),
    /// Neither format.
    #[error("the session state is in an unknown format")]
    UnknownFormat,
}

impl SessionState {
    /// A fresh session.
    pub fn new() -> Self {
        SessionState {
            vars: pyeval::State::new(),
            internal: Internal::default(),
        }
    }

    /// Serialises the state: a format marker, then MessagePack with named fields (compact and
    /// quick to read back; named fields keep `skip_serializing_if` and `default` working).
    pub fn to_bytes(&self) -> Result<Vec<u8>, StateError> {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(COMPACT_V1);
        rmp_serde::encode::write_named(&mut out, self)?;
        Ok(out)
    }

    /// Restores a state serialised by [`SessionState::to_bytes`], or by earlier versions (JSON).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StateError> {
        if let Some(body) = bytes.strip_prefix(COMPACT_V1) {
            return Ok(rmp_serde::from_slice(body)?);
        }
        if bytes.first() == Some(&b'{') {
            return Ok(serde_json::from_slice(bytes)?);
        }
        Err(StateError::UnknownFormat)
    }
}

impl Default for SessionState {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state with answers, objects and JSON-valued bookkeeping.
    fn sample() -> SessionState {
        let mut st = SessionState::new();
        st.vars.set("name", pyeval::Value::str("Ann"));
        st.vars.set("age", pyeval::Value::Float(41.5));
        let list = st.vars.heap.new_list(vec![pyeval::Value::Int(1)]);
        st.vars.set("items", list);
        let person = st.vars.heap.new_instance("Individual", None);
        st.vars.heap.set_attr(person, "age", pyeval::Value::Int(44));
        st.vars.set("person", pyeval::Value::Ref(person));
        st.internal.answered.insert("intro".into());
        st.internal.tracker = 7;
        st.internal.progress = Some(12.5);
        st.internal
            .dirty
            .insert("x".into(), serde_json::json!({"a": [1, 2.5, null, "s"]}));
        st.internal.event_stack.push(Action {
            action: "review".into(),
            arguments: serde_json::json!({"k": true})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        });
        st
    }

    #[test]
    fn states_round_trip_in_the_compact_format() {
        let st = sample();
        let bytes = st.to_bytes().unwrap();
        assert!(bytes.starts_with(COMPACT_V1));
        let back = SessionState::from_bytes(&bytes).unwrap();
        // The same state: it serialises to the same bytes, in both formats.
        assert_eq!(back.to_bytes().unwrap(), bytes);
        assert_eq!(
            serde_json::to_vec(&back).unwrap(),
            serde_json::to_vec(&st).unwrap()
        );
        assert!(bytes.len() < serde_json::to_vec(&st).unwrap().len());
    }

    #[test]
    fn states_written_as_json_still_read() {
        let st = sample();
        let json = serde_json::to_vec(&st).unwrap();
        let back = SessionState::from_bytes(&json).unwrap();
        assert_eq!(serde_json::to_vec(&back).unwrap(), json);
    }

    #[test]
    fn unknown_or_broken_bytes_are_errors() {
        assert!(matches!(
            SessionState::from_bytes(b"garbage"),
            Err(StateError::UnknownFormat)
        ));
        assert!(SessionState::from_bytes(b"").is_err());
        assert!(matches!(
            SessionState::from_bytes(b"{not json"),
            Err(StateError::ReadJson(_))
        ));
        let mut cut = sample().to_bytes().unwrap();
        cut.truncate(cut.len() / 2);
        assert!(matches!(
            SessionState::from_bytes(&cut),
            Err(StateError::Read(_))
        ));
    }
}
