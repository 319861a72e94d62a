//! The next-question algorithm end to end on small interviews (no docassemble classes needed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use engine::run::{
    Answered, CompiledInterview, Engine, QuestionType, Screen, SessionState, Submission,
};
use engine::{FileRef, MemSource};

fn compile(yaml: &str) -> CompiledInterview {
    let src = MemSource::new();
    let iv = engine::load_str(&src, &FileRef::Path("test.yml".into()), yaml).unwrap();
    CompiledInterview::new(iv).unwrap()
}

fn submit(
    iv: &CompiledInterview,
    st: &mut SessionState,
    screen: &Screen,
    values: &[(&str, &str)],
) -> Answered {
    let sub = Submission {
        question_name: Some(screen.question_name.clone()),
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        files: Vec::new(),
        action: None,
    };
    Engine::new(iv, &pyeval::NoHost).answer(st, &sub).unwrap()
}

fn next(a: Answered) -> Screen {
    match a {
        Answered::Next(s) => s,
        other => panic!("expected the next screen, got {other:?}"),
    }
}

const HELLO: &str = r#"
mandatory: True
question: |
  Hello, ${ user_name }!
subquestion: |
  % if likes_turnips:
  You like "turnips".
  % else:
  You do not like turnips.
  % endif
---
question: What is your name?
fields:
  - Name: user_name
---
question: Do you like turnips?
yesno: likes_turnips
"#;

#[test]
fn asks_for_each_undefined_variable_then_ends() {
    let iv = compile(HELLO);
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    assert_eq!(s.question_text, "What is your name?");
    assert_eq!(s.question_type, QuestionType::Fields);
    assert_eq!(s.fields[0].variable_name.as_deref(), Some("user_name"));
    assert_eq!(s.fields[0].label.as_deref(), Some("Name"));
    assert_eq!(s.event_list, vec!["user_name".to_string()]);

    let s = next(submit(&iv, &mut st, &s, &[("user_name", "Ann")]));
    assert_eq!(s.question_text, "Do you like turnips?");
    assert_eq!(s.question_type, QuestionType::Yesno);

    let s = next(submit(&iv, &mut st, &s, &[("likes_turnips", "True")]));
    assert_eq!(s.question_text, "Hello, Ann!");
    assert_eq!(
        s.subquestion_text.as_deref(),
        Some("<p>You like \u{201c}turnips\u{201d}.</p>\n")
    );
    assert_eq!(s.question_type, QuestionType::Deadend);
    assert!(s.mandatory);
}

#[test]
fn state_survives_serialisation_between_steps() {
    let iv = compile(HELLO);
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    let mut st = SessionState::from_bytes(&st.to_bytes().unwrap()).unwrap();
    let s = next(submit(&iv, &mut st, &s, &[("user_name", "Bo")]));
    let mut st = SessionState::from_bytes(&st.to_bytes().unwrap()).unwrap();
    let s = next(submit(&iv, &mut st, &s, &[("likes_turnips", "False")]));
    assert_eq!(s.question_text, "Hello, Bo!");
    assert!(s.subquestion_text.unwrap().contains("do not like"));
}

#[test]
fn variables_not_on_the_screen_are_refused_and_nothing_changes() {
    let iv = compile(HELLO);
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    let before = st.to_bytes().unwrap();
    let sub = Submission {
        question_name: Some(s.question_name.clone()),
        values: vec![
            ("user_name".into(), "A".into()),
            ("likes_turnips".into(), "True".into()),
        ],
        files: Vec::new(),
        action: None,
    };
    let err = Engine::new(&iv, &pyeval::NoHost)
        .answer(&mut st, &sub)
        .unwrap_err();
    assert!(err.to_string().contains("likes_turnips"), "{err}");
    assert_eq!(st.to_bytes().unwrap(), before);
}

#[test]
fn a_submission_for_another_screen_is_stale() {
    let iv = compile(HELLO);
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    let sub = Submission {
        question_name: Some("Question_99".into()),
        values: vec![],
        files: Vec::new(),
        action: None,
    };
    let before = st.to_bytes().unwrap();
    match Engine::new(&iv, &pyeval::NoHost)
        .answer(&mut st, &sub)
        .unwrap()
    {
        Answered::Stale(current) => assert_eq!(current.question_name, s.question_name),
        other => panic!("{other:?}"),
    }
    // The same screen is still waiting.
    assert_eq!(st.to_bytes().unwrap(), before);
}

#[test]
fn required_and_typed_fields_are_validated() {
    let iv = compile(
        r#"
mandatory: True
question: Done ${ age } ${ nickname }
---
question: Tell me
fields:
  - Age: age
    datatype: integer
    min: 18
  - Nickname: nickname
    required: False
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    let before = st.to_bytes().unwrap();
    match submit(&iv, &mut st, &s, &[("age", "abc")]) {
        Answered::Invalid(s) => {
            assert_eq!(s.errors.len(), 1);
            assert_eq!(s.errors[0].variable_name, "age");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(st.to_bytes().unwrap(), before);
    match submit(&iv, &mut st, &s, &[("age", "12")]) {
        Answered::Invalid(s) => assert!(s.errors[0].message.contains("18"), "{:?}", s.errors),
        other => panic!("{other:?}"),
    }
    let s = next(submit(
        &iv,
        &mut st,
        &s,
        &[("age", "1,234"), ("nickname", "")],
    ));
    assert_eq!(s.question_text, "Done 1234");
}

#[test]
fn code_blocks_define_variables_and_later_blocks_win() {
    let iv = compile(
        r#"
mandatory: True
question: Total is ${ total }
---
code: |
  total = 1
---
code: |
  if a > 1:
    total = a * 2
  else:
    total = 0
---
question: A?
fields:
  - A: a
    datatype: number
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    assert_eq!(s.question_text, "A?");
    let s = next(submit(&iv, &mut st, &s, &[("a", "2.5")]));
    assert_eq!(s.question_text, "Total is 5.0");
}

#[test]
fn mandatory_code_runs_in_order_and_restarts_from_the_top() {
    let iv = compile(
        r#"
mandatory: True
code: |
  first
  second
  final_screen
---
question: First?
field: first
---
question: Second?
yesno: second
---
event: final_screen
question: All done
"#,
    );
    let mut st = SessionState::new();
    let e = Engine::new(&iv, &pyeval::NoHost);
    let s = e.screen(&mut st).unwrap();
    assert_eq!(s.question_type, QuestionType::Settrue);
    let s = next(submit(&iv, &mut st, &s, &[]));
    assert_eq!(s.question_text, "Second?");
    let s = next(submit(&iv, &mut st, &s, &[("second", "False")]));
    assert_eq!(s.question_text, "All done");
}

#[test]
fn buttons_with_a_field_store_the_text_of_numbers_and_booleans_as_booleans() {
    // docassemble gives a question's own `field` no datatype unless every value is True or
    // False, so a number is kept as the text posted (views.py: `repr(raw_data)`).
    let iv = compile(
        r#"
mandatory: True
question: You chose ${ repr(n) } and ${ repr(sure) }
---
question: Sure?
field: sure
buttons:
  - Yes: True
  - No: False
---
question: Pick
field: n
buttons:
  - One: 1
  - Two: 2
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    assert_eq!(s.question_type, QuestionType::MultipleChoice);
    assert_eq!(s.fields[0].choices.len(), 2);
    match submit(&iv, &mut st, &s, &[("n", "3")]) {
        Answered::Invalid(_) => {}
        other => panic!("{other:?}"),
    }
    let s = next(submit(&iv, &mut st, &s, &[("n", "2")]));
    let s = next(submit(&iv, &mut st, &s, &[("sure", "True")]));
    assert_eq!(s.question_text, "You chose \u{2018}2\u{2019} and True");
}

#[test]
fn an_undefinable_variable_is_a_clear_error() {
    let iv = compile("mandatory: True\nquestion: Hi ${ nobody_defines_me }\n");
    let mut st = SessionState::new();
    let err = Engine::new(&iv, &pyeval::NoHost)
        .screen(&mut st)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Interview has an error. There was a reference to a variable 'nobody_defines_me' that \
         could not be looked up in the question file (for language 'en') or in any of the \
         files incorporated by reference into the question file."
    );
}

#[test]
fn a_self_referencing_block_is_an_infinite_loop_error() {
    let iv = compile(
        "mandatory: True\nquestion: ${ a }\n---\ncode: |\n  a = b\n---\ncode: |\n  b = a\n",
    );
    let mut st = SessionState::new();
    let err = Engine::new(&iv, &pyeval::NoHost)
        .screen(&mut st)
        .unwrap_err();
    assert!(err.to_string().contains("infinite loop"), "{err}");
}

#[test]
fn show_if_code_hides_fields_server_side() {
    let iv = compile(
        r#"
mandatory: True
question: ${ a } ${ showifdef('b') } end
---
code: |
  flag = False
---
question: Q
fields:
  - A: a
  - B: b
    show if:
      code: flag
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    assert_eq!(s.fields[1].active, Some(false));
    assert!(s.fields[1].show_if_code.is_some());
    let s = next(submit(&iv, &mut st, &s, &[("a", "x")]));
    assert_eq!(s.question_text, "x  end");
}

#[test]
fn buttons_that_run_code_define_what_the_code_assigns() {
    // The question is found because its button code assigns `car_make`; pressing a button
    // runs that code once and the interview moves on.
    let iv = compile(
        r#"
question: What kind of car do you want?
buttons:
  - Ford Focus:
      code: |
        car_model = "Focus"
        car_make = "Ford"
  - Toyota Camry:
      code: |
        car_model = "Camry"
        car_make = "Toyota"
---
mandatory: True
question: Go to a ${ car_make } dealer for a ${ car_model }.
"#,
    );
    let mut st = SessionState::new();
    let first = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    assert_eq!(first.question_text, "What kind of car do you want?");
    let end = next(submit(&iv, &mut st, &first, &[("_multiple_choice", "1")]));
    assert_eq!(end.question_text, "Go to a Toyota dealer for a Camry.");
}

#[test]
fn blank_optional_choices_and_range_messages_follow_docassemble() {
    let iv = compile(
        r#"
question: Details
fields:
  - Suffix: suffix
    required: False
    choices:
      - Jr
      - Sr
  - Color: color
    required: False
    input type: radio
    choices:
      - Red
  - Percent: pct
    datatype: number
    min: 0
---
mandatory: True
question: Done ${ repr(suffix) } ${ repr(color) }
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    // Out of range: docassemble's wording, nothing stored.
    let Answered::Invalid(bad) = submit(&iv, &mut st, &s, &[("suffix", ""), ("pct", "-1")]) else {
        panic!("expected the same screen");
    };
    assert_eq!(
        bad.errors[0].message,
        "You need to enter a number that is at least 0."
    );
    // A drop-down left blank posts "" and keeps "", an unchecked radio group is None.
    let end = next(submit(&iv, &mut st, &s, &[("suffix", ""), ("pct", "5")]));
    assert_eq!(end.question_text, "Done \u{2018}\u{2019} None");
}

#[test]
fn file_references_in_text_become_images_that_survive_sanitising() {
    let iv = compile(
        r#"
mandatory: True
question: Logo
subquestion: |
  Here: [FILE docassemble.base:data/static/court.svg, 100px, The court]
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    let html = s.subquestion_text.unwrap_or_default();
    assert!(
        html.contains("src=\"/packagestatic/docassemble.base/court.svg\"")
            && html.contains("alt=\"The court\""),
        "{html}"
    );
}

#[test]
fn an_event_code_block_does_not_define_what_it_assigns() {
    let iv = compile(
        r#"
question: More?
yesno: more
---
event: never
code: |
  more = False
---
mandatory: True
question: ${ more }
"#,
    );
    let mut st = SessionState::new();
    let s = Engine::new(&iv, &pyeval::NoHost).screen(&mut st).unwrap();
    assert_eq!(s.question_text, "More?");
}
