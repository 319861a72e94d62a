//! Variables from outside (docassemble's `/api/session`): reading all of them as JSON, setting
//! and deleting by name, and the next screen following what was set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, host};
use engine::run::variables::{SetError, VariablesError};
use engine::run::{Engine, SessionState};
use serde_json::json;

const FRUIT: &str = r#"
objects:
  - client: Individual
---
mandatory: True
question: |
  ${ client.name.first } likes ${ favorite_fruit }, born ${ format_date(birthday) }.
---
question: Your first name?
fields:
  - First: client.name.first
---
question: Favourite fruit?
fields:
  - Fruit: favorite_fruit
---
question: Birthday?
fields:
  - Birthday: birthday
    datatype: date
"#;

#[test]
fn set_variables_and_the_next_screen_follows() {
    let iv = compile(FRUIT);
    let host = host();
    let eng = Engine::new(&iv, &host);
    let mut st = SessionState::new();
    assert_eq!(
        eng.screen(&mut st).unwrap().question_text,
        "Your first name?"
    );
    eng.set_variables(
        &mut st,
        &[
            ("client.name.first".into(), json!("Ann")),
            ("favorite_fruit".into(), json!("apple")),
        ],
        &[],
        false,
    )
    .unwrap();
    assert_eq!(eng.screen(&mut st).unwrap().question_text, "Birthday?");
    eng.set_variables(
        &mut st,
        &[("birthday".into(), json!("2019-06-13"))],
        &[],
        false,
    )
    .unwrap();
    let end = eng.screen(&mut st).unwrap();
    assert_eq!(end.question_text, "Ann likes apple, born June 13, 2019.");

    let vars = eng.variables_json(&st);
    assert_eq!(vars["favorite_fruit"], "apple");
    assert_eq!(vars["birthday"], "2019-06-13T00:00:00");
    assert_eq!(vars["client"]["_class"], "docassemble.base.util.Individual");
    assert_eq!(vars["client"]["instanceName"], "client");
    assert_eq!(vars["client"]["name"]["first"], "Ann");

    // Deleting asks again.
    eng.set_variables(&mut st, &[], &["favorite_fruit".into()], false)
        .unwrap();
    assert_eq!(
        eng.screen(&mut st).unwrap().question_text,
        "Favourite fruit?"
    );
    assert!(eng.variables_json(&st).get("favorite_fruit").is_none());
}

#[test]
fn raw_keeps_date_text_and_json_structures_arrive_as_python() {
    let iv = compile("question: x\nfield: done\nmandatory: True\n");
    let host = host();
    let eng = Engine::new(&iv, &host);
    let mut st = SessionState::new();
    eng.set_variables(
        &mut st,
        &[
            ("d".into(), json!("2019-06-13")),
            ("things".into(), json!({"a": [1, 2.5, null, true]})),
        ],
        &[],
        true,
    )
    .unwrap();
    let vars = eng.variables_json(&st);
    assert_eq!(vars["d"], "2019-06-13");
    assert_eq!(vars["things"], json!({"a": [1, 2.5, null, true]}));
}

#[test]
fn bad_names_change_nothing() {
    let iv = compile(FRUIT);
    let host = host();
    let eng = Engine::new(&iv, &host);
    let mut st = SessionState::new();
    eng.screen(&mut st).unwrap();
    for bad in ["x = 1", "os.system('id')", "_internal", "client.name[i]"] {
        let err = eng
            .set_variables(
                &mut st,
                &[
                    ("favorite_fruit".into(), json!("pear")),
                    (bad.into(), json!(1)),
                ],
                &[],
                false,
            )
            .unwrap_err();
        assert_eq!(
            err,
            SetError::Refused(VariablesError::IllegalName(bad.into())),
            "{bad}"
        );
        assert_eq!(err.to_string(), "Illegal value as variable name.");
    }
    // An assignment that fails half-way leaves the earlier ones undone too.
    let err = eng
        .set_variables(
            &mut st,
            &[
                ("favorite_fruit".into(), json!("pear")),
                ("favorite_fruit.colour".into(), json!("green")),
            ],
            &[],
            false,
        )
        .unwrap_err();
    assert!(
        matches!(err, SetError::Refused(VariablesError::Assign { .. })),
        "{err:?}"
    );
    assert!(eng.variables_json(&st).get("favorite_fruit").is_none());
    assert_eq!(
        eng.screen(&mut st).unwrap().question_text,
        "Your first name?"
    );
}
