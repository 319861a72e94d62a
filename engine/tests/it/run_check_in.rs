//! `check in`: the waiting screen's event runs with the page's field values; its response
//! says what the page does; its changes to the answers are kept; the screen stays.

use crate::common;

use common::{compile, first, host, submit};
use engine::run::{Engine, RunError, SessionState};
use serde_json::{Map, Value as Json, json};

fn args(pairs: &[(&str, &str)]) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("_initial".into(), json!(false));
    m.insert("_changed".into(), Json::Null);
    for (k, v) in pairs {
        m.insert(k.to_string(), json!(v));
    }
    m
}

const TARGET_CODE: &str = r#"
question: What is your favorite food?
fields:
  - Favorite food: favorite_food
under: |
  [TARGET feedback]
check in: question_food
---
event: question_food
code: |
  food = action_argument('favorite_food')
  if food:
    content = "What? You like " + food.upper() + "?"
  else:
    content = ''
  background_response(target='feedback', content=content)
---
mandatory: True
question: Your favorite food is ${ favorite_food }.
"#;

#[test]
fn the_screen_names_its_event_and_the_response_fills_the_target() {
    let iv = compile(TARGET_CODE);
    let mut st = SessionState::new();
    let screen = first(&iv, &mut st);
    assert_eq!(screen.check_in.as_deref(), Some("question_food"));
    assert_eq!(screen.checkin_interval, Some(6000));
    assert!(
        screen
            .under_text
            .as_deref()
            .is_some_and(|u| u.contains("datargetfeedback"))
    );
    let h = host();
    let eng = Engine::new(&iv, &h);
    let c = eng
        .check_in(&mut st, "question_food", args(&[("favorite_food", "soup")]))
        .unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].extra, "backgroundresponse");
    assert_eq!(
        c[0].value,
        json!({"target": "feedback", "content": "What? You like SOUP?"})
    );
    // the same screen still waits, and answering it goes on
    let next = submit(&iv, &mut st, &screen, &[("favorite_food", "soup")]);
    assert_eq!(next.question_text, "Your favorite food is soup.");
}

#[test]
fn a_template_with_a_target_is_the_response() {
    let iv = compile(
        r#"
question: What is your favorite food?
fields:
  - Favorite food: favorite_food
under: |
  [TARGET feedback]
check in: question_food
---
event: question_food
code: |
  the_food = action_argument('favorite_food').upper() if action_argument('favorite_food') else 'nothing'
  food_message
---
template: food_message
content: |
  _What?_  You like ${ the_food }?
target: feedback
---
mandatory: True
question: Your favorite food is ${ favorite_food }.
"#,
    );
    let mut st = SessionState::new();
    first(&iv, &mut st);
    let h = host();
    let c = Engine::new(&iv, &h)
        .check_in(&mut st, "question_food", args(&[("favorite_food", "")]))
        .unwrap();
    assert_eq!(
        c[0].value,
        json!({"target": "feedback", "content": "<em>What?</em>  You like nothing?"})
    );
}

#[test]
fn the_events_changes_to_the_answers_are_kept() {
    let iv = compile(
        r#"
mandatory: True
code: |
  counter = 0
  drafts = set()
---
question: What is your favorite food?
fields:
  - Favorite food: favorite_food
check in: track_drafts
---
event: track_drafts
code: |
  counter += 1
  if action_argument('favorite_food'):
    drafts.add(action_argument('favorite_food'))
---
mandatory: True
question: Your favorite food is ${ favorite_food }
subquestion: |
  You checked in ${ counter } times. Drafts: ${ comma_and_list(sorted(drafts)) }.
"#,
    );
    let mut st = SessionState::new();
    let screen = first(&iv, &mut st);
    let h = host();
    let eng = Engine::new(&iv, &h);
    for typed in ["pi", "pie"] {
        let c = eng
            .check_in(&mut st, "track_drafts", args(&[("favorite_food", typed)]))
            .unwrap();
        assert!(c.is_empty(), "{c:?}");
    }
    let next = submit(&iv, &mut st, &screen, &[("favorite_food", "pie")]);
    assert_eq!(
        next.subquestion_text.as_deref(),
        Some("<p>You checked in 2 times. Drafts: pi and pie.</p>\n")
    );
}

#[test]
fn new_choices_for_a_field_are_accepted_by_the_server() {
    let iv = compile(
        r#"
question: Where do you live?
fields:
  - Country: country
    choices:
      - US
      - PT
  - State: state
    code: |
      ['NY', 'PA']
check in: update_states
---
event: update_states
code: |
  if action_argument('_changed') == 'country' and action_argument('country') == 'PT':
    background_response({'state': {'choices': [{'value': '04', 'label': 'Bragança'}]}}, 'fields')
  background_response()
---
mandatory: True
question: You live in ${ state }, ${ country }.
"#,
    );
    let mut st = SessionState::new();
    let screen = first(&iv, &mut st);
    let h = host();
    let mut a = args(&[("country", "PT"), ("state", "")]);
    a.insert("_changed".into(), json!("country"));
    let c = Engine::new(&iv, &h)
        .check_in(&mut st, "update_states", a)
        .unwrap();
    assert_eq!(c[0].extra, "fields");
    assert_eq!(
        c[0].value,
        json!({"state": {"choices": [["04", "Bragança"]]}})
    );
    let waiting = st.internal.pending.as_ref().unwrap();
    let state_field = &waiting.screen.fields[1];
    assert_eq!(state_field.choices.len(), 1);
    assert_eq!(state_field.choices[0].label, "Bragança");
    let next = submit(&iv, &mut st, &screen, &[("country", "PT"), ("state", "04")]);
    assert_eq!(next.question_text, "You live in 04, PT.");
}

#[test]
fn only_the_waiting_screens_event_runs_and_errors_change_nothing() {
    let iv = compile(
        r#"
question: Food?
fields:
  - Food: food
check in: bad
---
event: other
code: |
  food = 'hacked'
---
event: bad
code: |
  x = 1 / 0
---
mandatory: True
question: ${ food }
"#,
    );
    let mut st = SessionState::new();
    let screen = first(&iv, &mut st);
    let h = host();
    let eng = Engine::new(&iv, &h);
    let e = eng.check_in(&mut st, "other", args(&[])).unwrap_err();
    assert!(matches!(e, RunError::BadRequest(_)), "{e}");
    let e = eng.check_in(&mut st, "bad", args(&[])).unwrap_err();
    assert!(e.to_string().contains("ZeroDivisionError"), "{e}");
    let next = submit(&iv, &mut st, &screen, &[("food", "rice")]);
    assert_eq!(next.question_text, "rice");
}

#[test]
fn the_event_may_be_a_template_with_a_target() {
    let iv = compile(
        r#"
question: What is your favorite food?
fields:
  - Favorite food: favorite_food
under: |
  [TARGET feedback]
check in: question_food
---
template: question_food
content: |
  % if action_argument('favorite_food'):
  _What?_  You like
  ${ action_argument('favorite_food').upper() }?
  % endif
target: feedback
---
mandatory: True
question: Your favorite food is ${ favorite_food }.
"#,
    );
    let mut st = SessionState::new();
    first(&iv, &mut st);
    let h = host();
    let c = Engine::new(&iv, &h)
        .check_in(&mut st, "question_food", args(&[("favorite_food", "soup")]))
        .unwrap();
    assert_eq!(
        c[0].value,
        json!({"target": "feedback", "content": "<em>What?</em>  You like\nSOUP?"})
    );
}
