//! Screen parts (`pre`, `submit`, `post`, `under`, `right`, `footer`, button labels): the
//! question's own, else `set_parts()`, else `default screen parts`, else `metadata`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, submit};
use engine::run::SessionState;

#[test]
fn a_questions_own_pre_and_post_are_on_its_screen() {
    let iv = compile(
        r#"
question: Velocity?
fields:
  - Velocity: v
pre: Before **all**.
post: After all.
submit: Read it again.
---
mandatory: True
question: ${ v }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.parts.pre.as_deref(),
        Some("<p>Before <strong>all</strong>.</p>\n")
    );
    assert!(s.parts.post.as_deref().unwrap().contains("After all."));
    assert!(
        s.parts
            .submit
            .as_deref()
            .unwrap()
            .contains("Read it again.")
    );
    let json = serde_json::to_value(&s).unwrap();
    assert!(json["preText"].as_str().unwrap().contains("Before"));
    assert!(json.get("footerText").is_none());
}

#[test]
fn default_screen_parts_fill_what_the_question_leaves_out() {
    let iv = compile(
        r#"
mandatory: True
code: |
  counter = 3
---
default screen parts:
  under: You have seen ${ counter } screens.
  post: Sponsored by Example, Inc.
  continue button label: Go on
  help label: About
---
metadata:
  post: Metadata post
  footer: The footer
---
question: Fruit?
fields:
  - Fruit: fruit
under: My own under.
---
mandatory: True
question: ${ fruit }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert!(s.under_text.as_deref().unwrap().contains("My own under."));
    assert!(
        s.parts
            .post
            .as_deref()
            .unwrap()
            .contains("Sponsored by Example, Inc.")
    );
    assert!(s.parts.footer.as_deref().unwrap().contains("The footer"));
    assert_eq!(s.continue_label.as_deref(), Some("Go on"));
    assert_eq!(s.help_label.as_deref(), Some("About"));
    let end = submit(&iv, &mut st, &s, &[("fruit", "apple")]);
    assert!(
        end.under_text
            .as_deref()
            .unwrap()
            .contains("You have seen 3 screens.")
    );
}

#[test]
fn set_parts_lasts_for_the_session_and_wins_over_defaults() {
    let iv = compile(
        r#"
default screen parts:
  pre: Default pre
---
mandatory: True
code: |
  set_parts(pre='Code pre', continue_button_label='Onward', short='Tiny')
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Vegetable?
fields:
  - Vegetable: vegetable
---
mandatory: True
question: ${ fruit } ${ vegetable }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.parts.pre.as_deref(), Some("<p>Code pre</p>\n"));
    assert_eq!(s.continue_label.as_deref(), Some("Onward"));
    assert_eq!(
        st.internal.parts.get("short title").map(String::as_str),
        Some("Tiny")
    );
    // The next request (a new host) still has them.
    let next = submit(&iv, &mut st, &s, &[("fruit", "apple")]);
    assert_eq!(next.question_text, "Vegetable?");
    assert_eq!(next.parts.pre.as_deref(), Some("<p>Code pre</p>\n"));
}

#[test]
fn the_help_label_is_the_questions_then_the_interview_helps() {
    let iv = compile(
        r#"
interview help:
  label: More info
  content: About it.
---
question: Fruit?
fields:
  - Fruit: fruit
help:
  label: Huh?
  content: A fruit.
---
question: Color?
fields:
  - Color: color
help: A color.
---
mandatory: True
question: ${ fruit } ${ color }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.help_label.as_deref(), Some("Huh?"));
    let next = submit(&iv, &mut st, &s, &[("fruit", "apple")]);
    assert_eq!(next.help_label.as_deref(), Some("More info"));
}

#[test]
fn a_question_back_button_has_the_blocks_or_the_interviews_label() {
    let iv = compile(
        r#"
default screen parts:
  back button label: Go back
---
question: Well?
yesno: well
---
question: Sky blue?
yesno: blue
back button: True
back button label: Wait, go back
---
question: Grass green?
yesno: green
back button: True
---
mandatory: True
question: ${ well } ${ blue } ${ green }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.parts.back_button, None);
    let s = submit(&iv, &mut st, &s, &[("well", "True")]);
    assert_eq!(s.parts.back_button.as_deref(), Some("Wait, go back"));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["questionBackButton"], "Wait, go back");
    let s = submit(&iv, &mut st, &s, &[("blue", "True")]);
    assert_eq!(s.parts.back_button.as_deref(), Some("Go back"));
    // The feature gives every question one.
    let iv =
        compile("features:\n  question back button: True\n---\nmandatory: True\nquestion: Hi\n");
    let mut st = SessionState::new();
    assert_eq!(
        first(&iv, &mut st).parts.back_button.as_deref(),
        Some("Back")
    );
}

#[test]
fn the_progress_percentage_feature_is_on_the_screen() {
    let yaml = "features:\n  progress bar: True\n  show progress bar percentage: True\n---\nmandatory: True\nquestion: Hi\nprogress: 20\n";
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert!(s.parts.progress_percentage);
    assert_eq!(s.progress, Some(20.0));
    let iv = compile(&yaml.replace("  show progress bar percentage: True\n", ""));
    let mut st = SessionState::new();
    assert!(!first(&iv, &mut st).parts.progress_percentage);
}

#[test]
fn prevent_going_back_blocks_back_on_that_screen_and_the_next() {
    // The modifier on a question, and the function called from code (docassemble's
    // `steps_offset`): back is possible again one step later.
    for yaml in [
        "question: Service?\nfield: service\nchoices:\n  - Tutoring\n---\nprevent going back: True\nquestion: Submitted ${ service }\nfield: one\nmandatory: True\n",
        "code: |\n  if service:\n    prevent_going_back()\n  submitted = True\n---\nquestion: Service?\nfield: service\nchoices:\n  - Tutoring\n---\nquestion: Submitted ${ service }\nneed: submitted\nfield: one\nmandatory: True\n",
    ] {
        let iv = compile(&format!(
            "{yaml}---\nquestion: Two\nfield: two\nmandatory: True\n---\nquestion: Three\nfield: three\nmandatory: True\n---\nmandatory: True\nquestion: End\n"
        ));
        let mut st = SessionState::new();
        let s = first(&iv, &mut st);
        assert!(!s.parts.back_prevented, "{yaml}");
        let s = submit(&iv, &mut st, &s, &[("service", "Tutoring")]);
        assert!(s.question_text.starts_with("Submitted"), "{yaml}");
        assert!(s.parts.back_prevented, "{yaml}");
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["_back_prevented"], true);
        let s = submit(&iv, &mut st, &s, &[("one", "True")]);
        assert_eq!(s.question_text, "Two");
        assert!(s.parts.back_prevented, "{yaml}");
        let s = submit(&iv, &mut st, &s, &[("two", "True")]);
        assert_eq!(s.question_text, "Three");
        assert!(!s.parts.back_prevented, "{yaml}");
        let json = serde_json::to_value(&s).unwrap();
        assert!(json.get("_back_prevented").is_none());
    }
}

#[test]
fn a_questions_script_is_rendered_and_asks_for_what_it_needs() {
    // docassemble's googlechart.yml: the chart's data are only used in the `script`.
    let iv = compile(
        r#"
mandatory: True
question: Your stuff
script: |
  <script>draw(${ how_many });</script>
css: |
  <style>.x { width: ${ width }px; }</style>
---
question: How many?
fields:
  - Number: how_many
    datatype: integer
---
code: |
  width = 40
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "How many?");
    let s = submit(&iv, &mut st, &s, &[("how_many", "3")]);
    assert_eq!(s.question_text, "Your stuff");
    assert_eq!(
        s.extras.script.as_deref().map(str::trim),
        Some("<script>draw(3);</script>")
    );
    assert_eq!(
        s.extras.css.as_deref().map(str::trim),
        Some("<style>.x { width: 40px; }</style>")
    );
}

#[test]
fn the_questions_help_panel_takes_the_help_label_part_when_it_has_no_label() {
    // docassemble: the question's help label, else set_parts / default screen parts /
    // metadata `help label` (what the question help button reads)
    let iv = compile(
        r#"
metadata:
  help label: Help label
---
features:
  question help button: True
---
mandatory: True
question: Question
fields:
  - Fruit: fruit
help: Some help.
---
mandatory: True
question: Vegetable?
fields:
  - Vegetable: vegetable
help:
  label: Own label
  content: Other help.
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.help_text[0].label.as_deref(), Some("Help label"));
    let s = submit(&iv, &mut st, &s, &[("fruit", "apple")]);
    assert_eq!(s.help_text[0].label.as_deref(), Some("Own label"));
}
