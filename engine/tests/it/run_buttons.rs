//! A question's `action buttons` (a list, or `code`), and what pressing one runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{act, compile, first};
use engine::run::SessionState;

const APPLES: &str = r#"
code: |
  num_apples = 4
---
mandatory: True
question: I will give you ${ num_apples } apples.
field: show_quantity
action buttons:
  - label: More
    action: change_quantity
    arguments:
      amount: 1
    color: success
    icon: chevron-up
  - label: Hidden
    action: change_quantity
    show if: False
  - label: Start over
    action: change_quantity
    arguments:
      amount: 0
    forget prior: True
---
event: change_quantity
code: |
  num_apples += action_argument('amount')
"#;

#[test]
fn action_buttons_are_on_the_screen_and_run_their_action() {
    let iv = compile(APPLES);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let b = &s.additional_buttons;
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!(b[0].label, "More");
    assert_eq!(b[0].color.as_deref(), Some("success"));
    assert_eq!(b[0].arguments["amount"], 1);
    let s = act(&iv, &mut st, b[0].to_action().unwrap());
    assert_eq!(s.question_text, "I will give you 5 apples.");
    let again = s.additional_buttons[1].to_action().unwrap();
    assert_eq!(again.action, "_da_priority_action");
    let s = act(&iv, &mut st, again);
    assert_eq!(s.question_text, "I will give you 5 apples.");
}

#[test]
fn action_buttons_from_code() {
    let iv = compile(
        r#"
code: |
  fruit = 'apple'
---
mandatory: True
question: Thanks.
field: thanks
action buttons:
  code: |
    [{'action': 'eat', 'arguments': {'fruit': fruit}, 'label': 'Eat ' + fruit}]
---
event: eat
code: |
  eaten = action_argument('fruit')
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert_eq!(s.additional_buttons[0].label, "Eat apple");
    assert_eq!(
        s.additional_buttons[0].to_action().unwrap().arguments["fruit"],
        "apple"
    );
}

#[test]
fn a_choice_marked_default_is_selected() {
    let iv = compile(
        r#"
mandatory: True
question: What type of shoes do you wear?
field: shoes
choices:
  - Sneakers: sneakers
  - Sandals: sandals
    default: True
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    let selected: Vec<bool> = s.fields[0]
        .choices
        .iter()
        .map(|c| c.selected == Some(true))
        .collect();
    assert_eq!(selected, vec![false, true]);
}

#[test]
fn log_with_a_priority_is_shown_on_the_next_screen_once() {
    let iv = compile(
        r#"
mandatory: True
question: Thanks.
field: thanks
action buttons:
  - label: Eat
    action: eat
---
event: eat
code: |
  log('Nom nom nom.', 'info')
  log('only in the log')
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert!(s.message_log.is_empty());
    let s = act(&iv, &mut st, s.additional_buttons[0].to_action().unwrap());
    assert_eq!(
        s.message_log,
        vec![engine::run::screen::LogMessage {
            priority: "info".into(),
            message: "Nom nom nom.".into()
        }]
    );
    assert!(first(&iv, &mut st).message_log.is_empty());
}

const ITEM_TYPES: &str = r#"
objects:
  - location: DAList.using(there_are_any=True, ask_object_type=True)
---
mandatory: True
question: |
  % for loc in location:
  ${ loc.__class__.__name__ }
  % endfor
---
question: Full address of location ${ location.current_index() }?
buttons:
  - Yes:
      code: |
        location.new_object_type = Address
  - No:
      code: |
        location.new_object_type = City
---
question: City of ${ i }
fields:
  - Address: location[i].address
    required: False
  - City: location[i].city
---
question: Another?
yesno: location.there_is_another
"#;

#[test]
fn a_button_code_choice_is_asked_again_once_a_request_has_not_followed_it() {
    let iv = common::compile(ITEM_TYPES);
    let mut st = engine::run::SessionState::new();
    let s = common::first(&iv, &mut st);
    assert_eq!(s.question_text, "Full address of location 0?");
    let s = common::submit(&iv, &mut st, &s, &[("_multiple_choice", "0")]);
    assert_eq!(s.question_text, "City of 0");
    let s = common::submit(&iv, &mut st, &s, &[("location[0].city", "Springfield")]);
    assert_eq!(s.question_text, "Another?");
    let s = common::submit(&iv, &mut st, &s, &[("location.there_is_another", "True")]);
    // docassemble forgets a button's answer after a request that did not use it
    assert_eq!(s.question_text, "Full address of location 1?", "{s:?}");
    let s = common::submit(&iv, &mut st, &s, &[("_multiple_choice", "1")]);
    let s = common::submit(&iv, &mut st, &s, &[("location[1].city", "Glen Falls")]);
    let s = common::submit(&iv, &mut st, &s, &[("location.there_is_another", "False")]);
    assert_eq!(s.question_text, "Address\nCity", "{s:?}");
}
