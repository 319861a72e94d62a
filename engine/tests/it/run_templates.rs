//! `template` blocks: rendered when their block runs, or lazily (docassemble's
//! DALazyTemplate) when their text needs what is not defined yet or `show()` gets extra names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, submit};
use engine::run::SessionState;

const DISCLAIMER: &str = r#"
template: disclaimer
subject: About ${ company }
content: |
  The views of *${ company }* are its own.
---
mandatory: True
question: Welcome
subquestion: |
  ${ disclaimer.show(company="ABC Widgets") }

  ${ disclaimer.show(company="XYZ") }
field: intro
---
mandatory: True
question: Company?
fields:
  - Company: company
---
mandatory: True
question: End ${ disclaimer.subject }
subquestion: |
  ${ disclaimer }
"#;

#[test]
fn show_with_names_renders_the_template_with_them() {
    let iv = compile(DISCLAIMER);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Welcome");
    let sub = s.subquestion_text.clone().unwrap_or_default();
    assert!(
        sub.contains("The views of <em>ABC Widgets</em> are its own."),
        "{sub}"
    );
    assert!(
        sub.contains("The views of <em>XYZ</em> are its own."),
        "{sub}"
    );
    // the names were for that render only: `company` is still asked for
    let s = submit(&iv, &mut st, &s, &[("intro", "True")]);
    assert_eq!(s.question_text, "Company?");
    assert!(st.to_bytes().is_ok());
    let s = submit(&iv, &mut st, &s, &[("company", "Acme")]);
    assert_eq!(s.question_text, "End About Acme");
    let sub = s.subquestion_text.clone().unwrap_or_default();
    assert!(
        sub.contains("The views of <em>Acme</em> are its own."),
        "{sub}"
    );
}

#[test]
fn a_lazy_template_asks_for_what_it_needs_when_shown() {
    let iv = compile(
        r#"
template: note
content: Hello ${ who }.
---
mandatory: True
code: |
  note
---
mandatory: True
question: ${ note }
"#,
    );
    let mut st = SessionState::new();
    // defining it needs nothing; showing it needs `who`, which nothing asks for
    let h = common::host();
    let err = engine::run::Engine::new(&iv, &h)
        .screen(&mut st)
        .unwrap_err()
        .to_string();
    assert!(err.contains("'who'"), "{err}");
}
