//! Where `show if: code` is evaluated.
//!
//! With feature `eval` (host builds, tests, and the evaluator module itself) pyeval is linked
//! in and [`visibility`] is [`show_if::visibility`]. The browser app is built without it: the
//! evaluator is a second WASM module (crate `showif`, `/showif.js`), loaded the first time a
//! screen has `show if: code`. Until it is there the server's `active` stands for such fields
//! (as when the browser cannot decide); when it arrives, the visibility is computed again.

use crate::form::Values;
use crate::screen::Screen;
use crate::show_if;

/// Which fields are shown, given the current values.
#[cfg(feature = "eval")]
pub fn visibility(screen: &Screen, values: &Values) -> Vec<bool> {
    show_if::visibility(screen, values)
}

/// Which fields are shown, given the current values.
#[cfg(not(feature = "eval"))]
pub fn visibility(screen: &Screen, values: &Values) -> Vec<bool> {
    if show_if::has_code(screen) {
        if let Some(v) = lazy::visibility(screen, values) {
            return v;
        }
    }
    show_if::visibility_with(screen, values, &mut |_| None)
}

/// The evaluator's answer, `"1"`/`"0"` per field, as a list (`None`: unreadable).
pub fn decode(answer: &str, fields: usize) -> Option<Vec<bool>> {
    let v: Vec<bool> = answer.bytes().map(|b| b == b'1').collect();
    (v.len() == fields && answer.bytes().all(|b| b == b'0' || b == b'1')).then_some(v)
}

/// The evaluator's answer for `visibility`.
pub fn encode(shown: &[bool]) -> String {
    shown.iter().map(|b| if *b { '1' } else { '0' }).collect()
}

#[cfg(not(feature = "eval"))]
mod lazy {
    use std::cell::RefCell;

    use leptos::prelude::{ArcTrigger, Notify, Track};
    use leptos::wasm_bindgen::{JsValue, closure::Closure, prelude::wasm_bindgen};

    use super::{Screen, Values, decode};

    /// Where Trunk puts the evaluator module (`index.html`, `data-type="worker"`: unhashed).
    const MODULE: &str = "/showif.js";

    #[wasm_bindgen(inline_js = "export function load_evaluator(url, done) {
        import(url).then(async (m) => { await m.default(); done(m); }, () => done(undefined));
    }")]
    extern "C" {
        fn load_evaluator(url: &str, done: &JsValue);

        type Evaluator;
        #[wasm_bindgen(method, catch)]
        fn screen(this: &Evaluator, raw: &str) -> Result<bool, JsValue>;
        #[wasm_bindgen(method, catch)]
        fn visibility(this: &Evaluator, values: &str) -> Result<Option<String>, JsValue>;
    }

    enum Load {
        NotStarted,
        Loading,
        Ready(Evaluator),
        Failed,
    }

    struct Lazy {
        load: Load,
        /// The screen text the evaluator holds.
        screen: Option<std::sync::Arc<str>>,
        /// Notified when the module arrives.
        ready: ArcTrigger,
    }

    thread_local! {
        static LAZY: RefCell<Lazy> = RefCell::new(Lazy {
            load: Load::NotStarted,
            screen: None,
            ready: ArcTrigger::new(),
        });
    }

    /// The evaluator's visibility, or `None` (while it loads, when it failed to load or could
    /// not read the screen). Tracks the module's arrival, so a memo calling this runs again.
    pub fn visibility(screen: &Screen, values: &Values) -> Option<Vec<bool>> {
        LAZY.with(|lazy| {
            let mut lazy = lazy.borrow_mut();
            let Lazy {
                load,
                screen: held,
                ready,
            } = &mut *lazy;
            ready.track();
            match load {
                Load::NotStarted => {
                    *load = Load::Loading;
                    start();
                    None
                }
                Load::Loading | Load::Failed => None,
                Load::Ready(ev) => {
                    if held.as_ref().is_none_or(|s| **s != *screen.raw) {
                        if !ev.screen(&screen.raw).unwrap_or(false) {
                            return None;
                        }
                        *held = Some(screen.raw.clone());
                    }
                    let values = crate::json::string_map_text(values);
                    let answer = ev.visibility(&values).ok()??;
                    decode(&answer, screen.fields.len())
                }
            }
        })
    }

    fn start() {
        let done = Closure::once_into_js(move |m: JsValue| {
            let ready = LAZY.with(|lazy| {
                let mut lazy = lazy.borrow_mut();
                lazy.load = if m.is_undefined() {
                    Load::Failed
                } else {
                    Load::Ready(leptos::wasm_bindgen::JsCast::unchecked_into(m))
                };
                lazy.ready.clone()
            });
            // Outside the borrow: the memos that depend on it may run at once.
            ready.notify();
        });
        load_evaluator(MODULE, &done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip() {
        assert_eq!(encode(&[true, false, true]), "101");
        assert_eq!(decode("101", 3), Some(vec![true, false, true]));
        assert_eq!(decode("10", 3), None);
        assert_eq!(decode("1x1", 3), None);
        assert_eq!(decode("", 0), Some(vec![]));
    }
}
