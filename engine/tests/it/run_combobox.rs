//! A combobox offers its choices but takes typed text too (docassemble's `combobox:` question
//! and `input type: combobox` field); a dropdown takes only its choices.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::run::{Answered, CompiledInterview, Engine, Screen, SessionState, Submission};
use engine::{FileRef, MemSource};

fn compile(yaml: &str) -> CompiledInterview {
    let src = MemSource::new();
    let iv = engine::load_str(&src, &FileRef::Path("test.yml".into()), yaml).unwrap();
    CompiledInterview::new(iv).unwrap()
}

fn submit(iv: &CompiledInterview, st: &mut SessionState, screen: &Screen, v: &str) -> Answered {
    let sub = Submission {
        question_name: Some(screen.question_name.clone()),
        values: vec![("color".to_string(), v.to_string())],
        files: Vec::new(),
        action: None,
    };
    Engine::new(iv, &pyeval::NoHost).answer(st, &sub).unwrap()
}

fn text_after(yaml: &str, typed: &str) -> Result<String, String> {
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    match submit(&iv, &mut st, &s, typed) {
        Answered::Next(s) => Ok(s.question_text),
        Answered::Invalid(s) => Err(s.errors[0].message.clone()),
        other => panic!("unexpected {other:?}"),
    }
}

const END: &str = "mandatory: True\nquestion: Color ${ color }.\n---\n";

#[test]
fn a_question_combobox_takes_typed_text_and_choices() {
    let yaml =
        format!("{END}question: Color?\nfield: color\ncombobox:\n  - Red: red\n  - Blue: blue\n");
    assert_eq!(text_after(&yaml, "Orange").unwrap(), "Color Orange.");
    assert_eq!(text_after(&yaml, "red").unwrap(), "Color red.");
}

#[test]
fn a_field_combobox_takes_typed_text() {
    let yaml = format!(
        "{END}question: Color?\nfields:\n  - Color: color\n    input type: combobox\n    choices:\n      - Red\n"
    );
    assert_eq!(text_after(&yaml, "Teal").unwrap(), "Color Teal.");
}

#[test]
fn a_dropdown_refuses_text_that_is_not_a_choice() {
    let yaml =
        format!("{END}question: Color?\nfields:\n  - Color: color\n    choices:\n      - Red\n");
    assert_eq!(
        text_after(&yaml, "Teal").unwrap_err(),
        "Please choose one of the options."
    );
}
