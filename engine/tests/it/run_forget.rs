//! A `continue` choice lets the next block be tried; `forget_result_of()` makes blocks
//! whose results were kept run (or be asked) again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{act, compile, first, named, submit};
use engine::run::{Action, SessionState};

const FOOD: &str = r#"
question: Just tell me your favorite food.
fields:
  Favorite food: food
---
id: stage 1
question: What is your favorite food?
field: chosen
choices:
  - Apples:
      code: |
        food = 'apples'
  - Something else: continue
---
event: reset_food
code: |
  del food
  forget_result_of("stage 1")
---
mandatory: True
question: Your favorite food is ${ food }.
"#;

fn choice_value(s: &engine::run::Screen, label: &str) -> String {
    let c = s.fields[0]
        .choices
        .iter()
        .find(|c| c.label == label)
        .unwrap();
    c.value.as_ref().unwrap().to_string()
}

#[test]
fn a_continue_choice_tries_the_next_block() {
    let iv = compile(&FOOD.replace("field: chosen\n", ""));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "What is your favorite food?");
    let v = choice_value(&s, "Something else");
    let next = submit(&iv, &mut st, &s, &[("_multiple_choice", &v)]);
    assert_eq!(next.question_text, "Just tell me your favorite food.");
    let end = submit(&iv, &mut st, &next, &[("food", "pasta")]);
    assert_eq!(end.question_text, "Your favorite food is pasta.");
}

#[test]
fn forget_result_of_asks_a_question_with_code_choices_again() {
    let iv = compile(&FOOD.replace("field: chosen\n", ""));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let v = choice_value(&s, "Apples");
    let end = submit(&iv, &mut st, &s, &[("_multiple_choice", &v)]);
    assert_eq!(end.question_text, "Your favorite food is apples.");
    let again = act(
        &iv,
        &mut st,
        Action {
            action: "reset_food".into(),
            arguments: Default::default(),
        },
    );
    assert_eq!(again.question_text, "What is your favorite food?");
}

#[test]
fn forget_result_of_runs_a_mandatory_block_again() {
    let iv = compile(
        r#"
id: count
mandatory: True
code: |
  counter = counter + 1 if defined('counter') else 1
---
event: recount
code: |
  forget_result_of('count')
---
mandatory: True
question: Counted ${ counter }
"#,
    );
    let mut st = SessionState::new();
    assert_eq!(first(&iv, &mut st).question_text, "Counted 1");
    let again = act(&iv, &mut st, named("recount"));
    assert_eq!(again.question_text, "Counted 2");
}

const RECONSIDER_ON_A_QUESTION: &str = r#"
objects:
  - boss: Individual
---
mandatory: True
question: The boss is ${ boss }; ${ len(people) } known
---
reconsider:
  - people
question: Who is the boss?
fields:
  - First Name: boss.name.first
  - Other: other
    datatype: object
    required: False
    choices: people
---
code: |
  people = [boss] if boss.name.defined() else []
"#;

#[test]
fn a_questions_reconsider_seeks_again_once_per_request() {
    let iv = common::compile(RECONSIDER_ON_A_QUESTION);
    let mut st = engine::run::SessionState::new();
    // reconsidering `people` while asking for `boss` does not loop
    let s = common::first(&iv, &mut st);
    assert_eq!(s.question_text, "Who is the boss?", "{s:?}");
    let s = common::submit(&iv, &mut st, &s, &[("boss.name.first", "Ann")]);
    assert_eq!(s.question_text, "The boss is Ann; 0 known", "{s:?}");
}
