//! `error action` (metadata): a request that fails with an interview error runs that action
//! instead, once, from the state before the request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, host, post, submit};
use engine::run::{Answered, Engine, RunError, SessionState, Submission};

const ON_ERROR: &str = r#"
metadata:
  error action: on_error
---
event: on_error
question: |
  Sorry: ${ action_argument('error_message') }
---
mandatory: True
question: This will fail when you press Continue.
field: intro
---
mandatory: True
code: |
  a = 5 / 0
"#;

#[test]
fn an_error_after_an_answer_shows_the_error_action() {
    let iv = compile(ON_ERROR);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "This will fail when you press Continue.");
    let s = submit(&iv, &mut st, &s, &[]);
    assert!(
        s.question_text.starts_with("Sorry: ") && s.question_text.contains("ZeroDivisionError"),
        "{}",
        s.question_text
    );
}

#[test]
fn without_an_error_action_the_error_stands() {
    let iv = compile(&ON_ERROR.replace("error action: on_error", "title: Plain"));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let sub = Submission {
        question_name: Some(s.question_name.clone()),
        values: Vec::new(),
        ..Submission::default()
    };
    let err = Engine::new(&iv, &host()).answer(&mut st, &sub).unwrap_err();
    assert!(matches!(err, RunError::Python { .. }), "{err:?}");
}

#[test]
fn the_error_action_code_can_steer_the_interview() {
    // docassemble's error-action-2.yml: the action records the failure, the interview then
    // takes its fail-safe path.
    let iv = compile(
        r#"
metadata:
  error action: on_error
---
code: |
  healthy = True
---
event: on_error
code: |
  healthy = False
---
mandatory: True
code: |
  if not healthy:
    fail_safe
  fruit
  number
---
event: fail_safe
question: We did the best we could.
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Number? (${ best })
fields:
  - Number: number
---
code: |
  best = 1 / 0
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Fruit?");
    match post(&iv, &mut st, &s, &[("fruit", "apple")]) {
        Answered::Next(s) => assert_eq!(s.question_text, "We did the best we could."),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_error_in_the_error_action_is_the_error() {
    let iv = compile(&ON_ERROR.replace(
        "Sorry: ${ action_argument('error_message') }",
        "Sorry: ${ undefined_thing.attr }",
    ));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let sub = Submission {
        question_name: Some(s.question_name.clone()),
        values: Vec::new(),
        ..Submission::default()
    };
    assert!(Engine::new(&iv, &host()).answer(&mut st, &sub).is_err());
}
