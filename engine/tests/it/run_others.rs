//! Field options on `fields` screens: `disable others`, `uncheck others`, notes beside inputs…
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, post, submit};
use engine::run::{Answered, SessionState};

const COLOR: &str = r#"
question: What is your favorite color?
fields:
  - Favorite color: favorite_color
    choices:
      - Red
      - Blue
    disable others: True
  - Other: favorite_color
  - Reason: reason
---
mandatory: True
question: ${ favorite_color } ${ reason if defined('reason') else 'none' }
"#;

#[test]
fn a_disable_others_field_is_an_optional_alias_of_its_variable() {
    let iv = compile(COLOR);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let f = &s.fields[0];
    assert_eq!(f.input_name().as_deref(), Some("_field_0"));
    assert_eq!(f.required, Some(false));
    assert_eq!(
        f.disable_others,
        Some(vec!["favorite_color".to_string(), "reason".to_string()])
    );
    // A value in the field disables the others: they are neither stored nor required.
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[
            ("_field_0", "Red"),
            ("favorite_color", "Orange"),
            ("reason", ""),
        ],
    );
    assert_eq!(end.question_text, "Red none");
}

#[test]
fn a_blank_disable_others_field_leaves_the_variable_to_the_others() {
    let iv = compile(COLOR);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[
            ("_field_0", ""),
            ("favorite_color", "Orange"),
            ("reason", "why"),
        ],
    );
    assert_eq!(end.question_text, "Orange why");
}

const FOODS: &str = r#"
question: Which foods do you like?
fields:
  - Apples: likes_apples
    datatype: yesno
  - Turnips: likes_turnips
    datatype: yesno
  - Neither: likes_neither
    datatype: yesno
    uncheck others:
      - likes_apples
      - likes_turnips
---
mandatory: True
question: ${ likes_apples } ${ likes_turnips } ${ likes_neither }
"#;

#[test]
fn uncheck_others_needs_one_box_of_its_group_checked() {
    let iv = compile(FOODS);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.fields[2].uncheck_others,
        Some(vec![
            "likes_apples".to_string(),
            "likes_turnips".to_string()
        ])
    );
    let none = [
        ("likes_apples", "False"),
        ("likes_turnips", "False"),
        ("likes_neither", "False"),
    ];
    match post(&iv, &mut st, &s, &none) {
        Answered::Invalid(again) => assert_eq!(
            again.errors[0].message,
            "Check at least one option, or check \u{201c}Neither\u{201d}"
        ),
        other => panic!("expected an error, got {other:?}"),
    }
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[
            ("likes_apples", "False"),
            ("likes_turnips", "False"),
            ("likes_neither", "True"),
        ],
    );
    assert_eq!(end.question_text, "False False True");
}

#[test]
fn an_object_radio_none_of_the_above_keeps_the_object_and_shows_its_fields() {
    let iv = compile(
        r#"
objects:
  - hero: Individual
  - villain: Individual
---
mandatory: True
code: |
  hero.name.first = "Harry"
  villain.name.first = "Tom"
  villain.name.first
---
question: Who is the villain?
fields:
  - The villain is: the_villain
    datatype: object_radio
    none of the above: Someone else
    choices:
      - hero
      - villain
  - First name: villain.name.first
    show if:
      variable: the_villain
      is: null
continue button field: asked
---
mandatory: True
code: asked
---
mandatory: True
question: ${ villain } ${ defined('the_villain') }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.fields[0].none_of_the_above.as_deref(),
        Some("Someone else")
    );
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[("the_villain", ""), ("villain.name.first", "John")],
    );
    assert_eq!(end.question_text, "John False");
}

#[test]
fn a_headless_run_posts_a_disable_others_field_under_its_alias() {
    let iv = compile(COLOR);
    let answers = serde_json::json!({"favorite_color": "Blue"});
    let opts = engine::run::headless::RunOptions {
        auto: true,
        ..Default::default()
    };
    let t = engine::run::headless::run(&iv, &common::host(), answers.as_object().unwrap(), &opts);
    assert_eq!(t.end.map(|e| e.question), Some("Blue none".to_string()));
}

#[test]
fn fields_of_an_object_not_yet_created_create_it_from_its_objects_block() {
    let iv = compile(
        r#"
objects:
  - doctor: Individual
  - people: DAList.using(object_type=Individual, auto_gather=False, gathered=True)
---
question: Who is your doctor?
fields:
  - Existing: doctor
    datatype: object
    choices: people
    disable others: True
  - First name: doctor.name.first
---
mandatory: True
question: ${ doctor.name.first } is ${ doctor.name.full() }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[("_field_0", ""), ("doctor.name.first", "Ann")],
    );
    assert!(
        end.question_text.starts_with("Ann is"),
        "{}",
        end.question_text
    );
}

#[test]
fn a_field_with_a_note_beside_it_is_still_an_input() {
    let iv = compile(
        r#"
question: What is 2+2?
fields:
  Answer: answer
  choices:
    - 3
    - 4
  note: |
    Hint: 2 + 2 = 4.
---
mandatory: True
question: You said ${ answer }.
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.fields.len(), 1);
    assert_eq!(s.fields[0].variable_name.as_deref(), Some("answer"));
    assert!(s.fields[0].note.as_deref().unwrap().contains("Hint"));
    let s = submit(&iv, &mut st, &s, &[("answer", "4")]);
    assert_eq!(s.question_text, "You said 4.");
}

const CAR: &str = r#"
question: What kind of car do you drive?
fields:
  - Make: car_make
    choices:
      - Honda
      - Other
  - Other make: car_make
    show if:
      variable: car_make
      is: Other
  - Why: why
    show if:
      variable: car_make
      is: Other
  - Really why: really
    required: False
    show if:
      variable: why
      is: speed
---
mandatory: True
question: You drive a ${ car_make } (${ showifdef('really', 'no') }).
"#;

#[test]
fn a_field_shown_by_another_is_posted_under_its_alias() {
    let iv = compile(CAR);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    // docassemble's `_field_N`: the choice and the "Other" text are two inputs.
    assert_eq!(s.fields[0].input_name().as_deref(), Some("car_make"));
    assert_eq!(s.fields[1].input_name().as_deref(), Some("_field_1"));
    assert_eq!(s.fields[1].variable_name.as_deref(), Some("car_make"));
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[
            ("car_make", "Other"),
            ("_field_1", "Ferrari"),
            ("_field_2", "style"),
            ("_field_3", "ignored"),
        ],
    );
    // The nested field is hidden (its control, `why`, is not "speed"): not stored.
    assert_eq!(end.question_text, "You drive a Ferrari (no).");
}

#[test]
fn a_hidden_control_hides_the_fields_it_shows() {
    let iv = compile(CAR);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    // `why` is hidden (car_make is Honda), so `really`, shown by `why`, is hidden too.
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[
            ("car_make", "Honda"),
            ("_field_2", "speed"),
            ("_field_3", "fast"),
        ],
    );
    assert_eq!(end.question_text, "You drive a Honda (no).");
}

#[test]
fn a_disabled_field_is_shown_with_its_default_and_stores_nothing() {
    let iv = compile(
        "question: Eat\nfields:\n  - Fruit: fruit\n  - Vegetable: placeholder\n    disabled: True\n    default: turnip\n---\nmandatory: True\nquestion: |\n  ${ fruit } ${ defined('placeholder') }\n",
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.fields[1].disabled, Some(true));
    assert_eq!(s.fields[1].default, Some(serde_json::json!("turnip")));
    // Posted or not, a disabled field is not stored.
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[("fruit", "apple"), ("placeholder", "posted anyway")],
    );
    assert_eq!(end.question_text, "apple False");
}

/// In a `list collect`, `disable others: True` (and `uncheck others: True`) name the other
/// fields of the same item, as docassemble expands them per item.
#[test]
fn others_in_a_list_collect_are_those_of_the_same_item() {
    let iv = common::compile(
        r#"
objects:
  - fruit: DAList.using(object_type=Thing, there_are_any=True)
---
mandatory: True
code: |
  fruit.appendObject()
  fruit[-1].name.text = "apple"
  fruit.appendObject()
---
mandatory: True
question: ${ fruit }
---
question: Tell me about the fruit.
fields:
  - Fruit name: fruit[i].name.text
    choices:
      - Apple
      - Orange
    disable others: True
  - Fruit name: fruit[i].name.text
  - Seeds: fruit[i].seeds
    datatype: number
list collect: True
"#,
    );
    let s = common::first(&iv, &mut engine::run::SessionState::new());
    let with_others: Vec<_> = s
        .fields
        .iter()
        .filter(|f| f.disable_others.is_some())
        .collect();
    assert!(with_others.len() >= 2, "{:?}", s.fields);
    for f in with_others {
        let item = f.collect_number;
        for name in f.disable_others.as_ref().unwrap() {
            let other = s
                .fields
                .iter()
                .find(|g| g.input_name().as_deref() == Some(name.as_str()))
                .unwrap();
            assert_eq!(other.collect_number, item, "{name} is of another item");
        }
        assert_eq!(f.disable_others.as_ref().unwrap().len(), 2);
    }
}
