//! The browser's `show if: code` evaluator, a WASM module of its own so that pyeval is not part
//! of the app's first download. The app (`app::evaluator`) imports `/showif.js` the first time
//! a screen has `show if: code`, hands it the screen ([`screen`]) and then asks for the
//! visibility of its fields whenever an answer changes ([`visibility`]). It runs the app's own
//! [`app::show_if::visibility`], so the answers are those of an app with pyeval linked in.

use std::cell::RefCell;

use app::form::Values;
use app::screen::{Screen, normalise, parse};
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static SCREEN: RefCell<Option<Screen>> = const { RefCell::new(None) };
}

/// Holds the screen (its JSON text, as the server sent it); `false` if it is unreadable.
#[wasm_bindgen]
pub fn screen(raw: &str) -> bool {
    let parsed = parse(raw).ok().map(normalise);
    let ok = parsed.is_some();
    SCREEN.with(|s| *s.borrow_mut() = parsed);
    ok
}

/// `"1"`/`"0"` per field of the screen held: shown or not, given the answers (a JSON object,
/// input name → posted text). `None` without a screen or with unreadable answers.
#[wasm_bindgen]
pub fn visibility(values: &str) -> Option<String> {
    let values: Values = serde_json::from_str(values).ok()?;
    SCREEN.with(|s| {
        let s = s.borrow();
        let screen = s.as_ref()?;
        Some(app::evaluator::encode(&app::show_if::visibility(
            screen, &values,
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_answers_like_the_app() {
        let expr = serde_json::to_string(&pyeval::compile_expr("likes").unwrap()).unwrap();
        let raw = format!(
            r#"{{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {{"number":0,"variable_name":"likes","variable_name_encoded":"bGlrZXM","datatype":"boolean","inputtype":"yesnoradio"}},
            {{"number":1,"variable_name":"why","variable_name_encoded":"d2h5","active":false,
              "show_if_code":{{"expression":{expr},"source":"likes","sign":1}}}}]}}"#
        );
        assert_eq!(visibility("{}"), None);
        assert!(screen(&raw));
        assert_eq!(visibility(r#"{"bGlrZXM":"False"}"#).as_deref(), Some("10"));
        assert_eq!(visibility(r#"{"bGlrZXM":"True"}"#).as_deref(), Some("11"));
        assert_eq!(visibility("not json"), None);
        assert!(!screen("{"));
        assert_eq!(visibility("{}"), None);
    }
}
