//! Whether a screen may go back (docassemble's `allow_going_back`): past the first step, unless
//! the engine says this screen or the one before it prevented it (`prevent going back`,
//! `prevent_going_back()`). The question's own Back button (`questionBackButton`) is sent only
//! when going back is allowed, as docassemble does.

use serde_json::{Map, Value, json};

use crate::store::StepNumber;

/// The engine's private key saying going back is prevented.
const PREVENTED: &str = "_back_prevented";

/// Sets `allow_going_back` in a screen's JSON document and drops what only the engine reads.
pub(crate) fn decide(doc: &mut Map<String, Value>, steps: StepNumber) {
    let prevented = doc.remove(PREVENTED).and_then(|v| v.as_bool()) == Some(true);
    let allowed = steps.get() > 1 && !prevented;
    doc.insert("allow_going_back".into(), json!(allowed));
    if !allowed {
        doc.shift_remove("questionBackButton");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn step(n: u32) -> StepNumber {
        StepNumber::new(n).unwrap_or(StepNumber::FIRST)
    }

    #[test]
    fn the_first_step_cannot_go_back_and_loses_its_question_back_button() {
        let mut d = doc(json!({"questionBackButton": "Back"}));
        decide(&mut d, StepNumber::FIRST);
        assert_eq!(d["allow_going_back"], json!(false));
        assert!(!d.contains_key("questionBackButton"));
    }

    #[test]
    fn a_later_step_goes_back_unless_the_engine_prevented_it() {
        let mut d = doc(json!({"questionBackButton": "Back"}));
        decide(&mut d, step(3));
        assert_eq!(d["allow_going_back"], json!(true));
        assert_eq!(d["questionBackButton"], json!("Back"));
        let mut d = doc(json!({"questionBackButton": "Back", "_back_prevented": true}));
        decide(&mut d, step(3));
        assert_eq!(d["allow_going_back"], json!(false));
        assert!(!d.contains_key("_back_prevented"));
        assert!(!d.contains_key("questionBackButton"));
    }
}
