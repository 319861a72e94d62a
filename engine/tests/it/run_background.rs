//! Background tasks: `background_action()` runs after the request that starts it; the next
//! request sees its result; response actions and error actions run in the session.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, submit};
use engine::run::{Notification, SessionState};
use engine::runtime::DaHost;

const ADD: &str = r#"
mandatory: True
code: |
  if the_task.ready():
    final_screen
  else:
    waiting_screen
---
code: |
  the_task = background_action('bg_task', UI, additional=value_to_add)
---
question: How much shall I add to 553?
fields:
  - Number: value_to_add
    datatype: integer
---
event: waiting_screen
question: Still waiting.
reload: True
---
event: final_screen
question: The answer is ${ the_task.get() }.
"#;

fn add(ui: &str, task: &str) -> String {
    format!("{ADD}---\nevent: bg_task\ncode: |\n{task}\n").replace("UI", ui)
}

#[test]
fn the_result_reaches_the_next_request() {
    let iv = compile(&add(
        "None",
        "  background_response(553 + action_argument('additional'))",
    ));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("value_to_add", "2")]);
    assert_eq!(s.question_text, "Still waiting.");
    assert_eq!(s.reload, Some(10_000));
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "The answer is 555.");
    assert!(st.internal.notifications.is_empty());
}

#[test]
fn the_worker_changes_a_copy_and_a_response_action_changes_the_session() {
    let yaml = add(
        "'refresh'",
        "  scratch = 1\n  background_response_action('bg_resp', ans=553 + action_argument('additional'))",
    )
    .replace("The answer is ${ the_task.get() }.", "${ answer } ${ defined('scratch') }")
        + "---\nevent: bg_resp\ncode: |\n  answer = action_argument('ans')\n  background_response('ok')\n";
    let iv = compile(&yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let waiting = submit(&iv, &mut st, &s, &[("value_to_add", "2")]);
    assert_eq!(waiting.question_text, "Still waiting.");
    // The screen the user sees is still the one waiting.
    assert_eq!(
        st.internal
            .pending
            .as_ref()
            .map(|p| p.screen.question_text.clone()),
        Some("Still waiting.".to_string())
    );
    assert_eq!(
        st.internal.notifications,
        vec![Notification {
            kind: "refresh".into(),
            value: serde_json::json!("ok")
        }]
    );
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "555 False");
}

#[test]
fn an_error_runs_the_error_action_with_the_error() {
    let yaml = add(
        "None",
        "  background_error_action('bg_fail', stage='calculation')\n  value = action_argument('additional') / 0",
    )
    .replace(
        "The answer is ${ the_task.get() }.",
        "${ the_task.failed() } ${ the_task.get() } ${ the_task.result().error_type } ${ errmess }",
    ) + "---\nevent: bg_fail\ncode: |\n  errmess = action_argument('stage') + ' ' + action_argument('error_type')\n  background_response('handled')\n";
    let iv = compile(&yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    submit(&iv, &mut st, &s, &[("value_to_add", "2")]);
    let s = first(&iv, &mut st);
    assert_eq!(
        s.question_text,
        "True handled ZeroDivisionError calculation ZeroDivisionError"
    );
}

#[test]
fn background_response_outside_a_task_is_an_error() {
    let iv = compile("mandatory: True\ncode: |\n  background_response(1)\n");
    let e = engine::run::Engine::new(&iv, &DaHost::default())
        .screen(&mut SessionState::new())
        .unwrap_err();
    assert!(e.to_string().contains("outside a background task"), "{e}");
}
