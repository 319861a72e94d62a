//! The interview's own Python modules (package `.py` files named by `modules` blocks): their
//! functions are globals, see their module's own globals, and a `validate:` function refuses
//! an answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{compile_with, first, post, submit};
use engine::MemSource;
use engine::run::{Answered, SessionState};

const MODULE: &str = r#"
import re
from docassemble.base.util import comma_and_list

__all__ = ['shout', 'is_even', 'SIZES']

_suffix = '!'
SIZES = ['S', 'M']

def _clean(text):
    return re.sub(r'\s+', ' ', text).strip()

def shout(text):
    m = re.search(r'(\w+)', text)
    return _clean(text).upper() + _suffix + ' (' + m.group(1) + ') ' + comma_and_list(SIZES)

def is_even(n):
    return n % 2 == 0

def hidden():
    return 'not exported'
"#;

const INTERVIEW: &str = r#"
modules:
  - docassemble.demo.helpers
---
mandatory: True
question: ${ shout("hello   there") } ${ len(SIZES) }
subquestion: ${ number }
---
question: Pick an even number
fields:
  - Number: number
    datatype: integer
    validate: is_even
"#;

fn source() -> MemSource {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:helpers.py", MODULE);
    src
}

#[test]
fn module_functions_see_their_own_globals_and_validate_answers() {
    let iv = compile_with(&source(), INTERVIEW);
    assert!(
        iv.python_modules().errors().is_empty(),
        "{:?}",
        iv.python_modules().errors()
    );
    let mut st = SessionState::default();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Pick an even number");
    match post(&iv, &mut st, &s, &[("number", "5")]) {
        Answered::Invalid(s) => {
            assert_eq!(s.errors[0].message, "Please enter a valid value.", "{s:?}")
        }
        other => panic!("an odd number is refused: {other:?}"),
    }
    let s = submit(&iv, &mut st, &s, &[("number", "8")]);
    assert_eq!(s.question_text, "HELLO THERE! (hello) S and M 2", "{s:?}");
}

#[test]
fn names_a_module_does_not_export_are_not_globals() {
    let yaml =
        "modules:\n  - docassemble.demo.helpers\n---\nmandatory: True\nquestion: ${ hidden() }\n";
    let iv = compile_with(&source(), yaml);
    let mut st = SessionState::default();
    let r = engine::run::Engine::new(&iv, &common::host()).screen(&mut st);
    assert!(r.is_err(), "{r:?}");
}
