//! `colloquy run --auto`: the values it makes up for fields the answers do not cover.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::compile;
use engine::run::headless::{RunOptions, RunStatus, run};

fn auto(yaml: &str) -> engine::run::headless::Transcript {
    let iv = compile(yaml);
    let opts = RunOptions {
        auto: true,
        ..Default::default()
    };
    run(&iv, &common::host(), &serde_json::Map::new(), &opts)
}

#[test]
fn an_empty_default_gets_a_made_up_value_so_a_required_field_passes() {
    let t = auto(
        r#"
question: Name?
fields:
  - First Name: first
    default: ${ "" }
---
mandatory: True
question: Hello ${ first }
"#,
    );
    assert_eq!(t.status, RunStatus::Completed, "{t:?}");
    assert_eq!(t.end.unwrap().question, "Hello Sample text");
}

#[test]
fn a_checkboxes_default_given_as_a_dict_chooses_its_true_keys() {
    let t = auto(
        r#"
question: Fruit?
fields:
  - Fruit: likes
    datatype: checkboxes
    choices:
      - Apples
      - Peaches
      - Pears
    default:
      Apples: True
      Peaches: False
      Pears: True
---
mandatory: True
question: ${ likes.true_values() }
"#,
    );
    assert_eq!(t.status, RunStatus::Completed, "{t:?}");
    assert_eq!(t.end.unwrap().question, "Apples and Pears");
}

#[test]
fn a_time_answer_is_a_time_object() {
    let iv = compile(
        r#"
question: When?
fields:
  - Time: appointment
    datatype: time
  - Other: other
    datatype: time
---
mandatory: True
question: |
  ${ appointment } / ${ appointment.strftime('%I:%M %p') } / ${ appointment.hour }
  / ${ appointment < other } / ${ appointment.replace(minute=0) }
"#,
    );
    let answers = serde_json::json!({"appointment": "14:30", "other": "15:00"});
    let t = run(
        &iv,
        &common::host(),
        answers.as_object().unwrap(),
        &RunOptions::default(),
    );
    assert_eq!(
        t.end.unwrap().question,
        "14:30:00 / 02:30 PM / 14 / True / 14:00:00",
        "{:?}",
        t.error
    );
}

#[test]
fn a_field_hidden_by_code_is_not_among_the_variables_a_screen_sets() {
    let t = auto(
        r#"
question: Food?
fields:
  - Fruit: fruit
  - Fungus: mushroom
    show if:
      code: |
        2 + 2 == 3
---
mandatory: True
question: ${ fruit }
"#,
    );
    assert_eq!(t.status, RunStatus::Completed, "{t:?}");
    assert_eq!(t.screens[0].variables, ["fruit"]);
}

#[test]
fn a_command_ends_the_run_as_its_button_would() {
    let t = auto(
        r#"
mandatory: True
code: |
  command('exit', url=target_url)
---
question: Where to?
field: target_url
buttons:
  - Stanford: "http://stanford.edu/"
"#,
    );
    assert_eq!(t.status, RunStatus::Completed, "{t:?}");
    assert_eq!(t.end.unwrap().question, "[exit]");
}

#[test]
fn a_choice_field_without_choices_gets_no_answer() {
    let t = auto(
        r#"
question: What do you choose?
fields:
  - Fruit: favorite_fruit
  - no label: door
    datatype: radio
    code: "[]"
---
mandatory: True
question: ${ favorite_fruit } ${ door }
"#,
    );
    assert_eq!(t.status, RunStatus::Completed, "{t:?}");
    let answers = &t.screens[0].answers;
    assert!(answers.contains_key("favorite_fruit"), "{answers:?}");
    assert!(!answers.contains_key("door"), "{answers:?}");
    assert_eq!(t.end.unwrap().question, "Sample text None");
}
