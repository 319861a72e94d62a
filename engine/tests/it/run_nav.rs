//! Review screens, actions (`url_action`, review edit links, the `_da_*` built-ins) and
//! navigation, end to end with docassemble's runtime.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{act, act_result, compile, first, host, named, submit};
use engine::run::{
    Action, Answered, CompiledInterview, QuestionType, Screen, SessionState, decode_name,
};

/// The action of a review field, decoded.
fn field_action(screen: &Screen, n: usize) -> Action {
    let enc = screen.fields[n].action.as_deref().expect("an action");
    let json: serde_json::Value = serde_json::from_str(&decode_name(enc).unwrap()).unwrap();
    Action::from_json(&json).unwrap()
}

const REVIEW: &str = r#"
mandatory: True
question: Done with ${ fruit } and ${ vegetable } (${ total })
subquestion: |
  [Review your answers](${ url_action('review_answers') })
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Vegetable?
fields:
  - Vegetable: vegetable
---
code: |
  total = len(fruit)
---
event: review_answers
question: Review
resume button label: Back to the end
review:
  - Edit fruit: fruit
    help: You said ${ fruit }.
  - Edit fungus: fungi
  - note: |
      Thanks for **checking**.
  - label: Both
    fields:
      - fruit
      - follow up:
          - vegetable
  - Recount:
      - recompute:
          - total
    show if: fruit != 'none'
  - Hidden: vegetable
    show if: fruit == 'none'
"#;

fn at_the_end(iv: &CompiledInterview, st: &mut SessionState) -> Screen {
    let s = first(iv, st);
    let s = submit(iv, st, &s, &[("fruit", "apple")]);
    submit(iv, st, &s, &[("vegetable", "kale")])
}

#[test]
fn a_review_screen_lists_its_items_with_edit_actions() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    let end = at_the_end(&iv, &mut st);
    assert_eq!(end.question_text, "Done with apple and kale (5)");
    let r = act(&iv, &mut st, named("review_answers"));
    assert_eq!(r.question_type, QuestionType::Review);
    assert_eq!(r.continue_label.as_deref(), Some("Back to the end"));
    assert_eq!(r.fields.len(), 6);
    let f = &r.fields[0];
    assert_eq!(f.active, Some(true));
    assert_eq!(f.label.as_deref(), Some("Edit fruit"));
    assert_eq!(f.helptext.as_deref(), Some("<p>You said apple.</p>\n"));
    assert_eq!(field_action(&r, 0), named("fruit"));
    // `fungi` is undefined: with `skip undefined` the item is left out, not asked.
    assert_eq!(r.fields[1].active, Some(false));
    assert_eq!(r.fields[1].label, None);
    assert_eq!(r.fields[2].datatype.as_deref(), Some("note"));
    assert!(
        r.fields[2]
            .note
            .as_deref()
            .unwrap()
            .contains("<strong>checking</strong>")
    );
    assert_eq!(r.fields[2].action, None);
    let both = field_action(&r, 3);
    assert_eq!(both.action, "_da_force_ask");
    assert_eq!(
        both.arguments["variables"],
        serde_json::json!(["fruit", {"action": "vegetable", "arguments": {}}])
    );
    assert_eq!(r.fields[4].active, Some(true));
    assert_eq!(r.fields[5].active, Some(false));
}

#[test]
fn an_edit_link_asks_again_and_comes_back_to_the_review() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    at_the_end(&iv, &mut st);
    let r = act(&iv, &mut st, named("review_answers"));
    let q = act(&iv, &mut st, field_action(&r, 0));
    assert_eq!(q.question_text, "Fruit?");
    assert_eq!(q.fields[0].default, Some(serde_json::json!("apple")));
    let r = submit(&iv, &mut st, &q, &[("fruit", "pear")]);
    assert_eq!(r.question_type, QuestionType::Review);
    assert_eq!(
        r.fields[0].helptext.as_deref(),
        Some("<p>You said pear.</p>\n")
    );
    // Resume: back to where the interview was.
    let end = submit(&iv, &mut st, &r, &[]);
    assert_eq!(end.question_text, "Done with pear and kale (5)");
}

#[test]
fn follow_ups_are_asked_in_turn_before_the_review_returns() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    at_the_end(&iv, &mut st);
    let r = act(&iv, &mut st, named("review_answers"));
    let q = act(&iv, &mut st, field_action(&r, 3));
    assert_eq!(q.question_text, "Fruit?");
    let q = submit(&iv, &mut st, &q, &[("fruit", "fig")]);
    assert_eq!(q.question_text, "Vegetable?");
    let r = submit(&iv, &mut st, &q, &[("vegetable", "leek")]);
    assert_eq!(r.question_type, QuestionType::Review);
    let end = submit(&iv, &mut st, &r, &[]);
    assert_eq!(end.question_text, "Done with fig and leek (5)");
}

#[test]
fn recompute_undefines_and_computes_again() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    at_the_end(&iv, &mut st);
    let r = act(&iv, &mut st, named("review_answers"));
    let q = act(&iv, &mut st, field_action(&r, 0));
    let r = submit(&iv, &mut st, &q, &[("fruit", "banana")]);
    // `total` was computed from "apple" and stays until recomputed.
    let r = act(&iv, &mut st, field_action(&r, 4));
    assert_eq!(r.question_type, QuestionType::Review);
    let end = submit(&iv, &mut st, &r, &[]);
    assert_eq!(end.question_text, "Done with banana and kale (6)");
}

#[test]
fn url_action_links_carry_docassemble_action_json() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    let end = at_the_end(&iv, &mut st);
    let html = end.subquestion_text.unwrap();
    let href = html
        .split("href=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .unwrap();
    let enc = href
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("action="))
        .unwrap();
    let enc = enc
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let json: serde_json::Value = serde_json::from_str(&decode_name(&enc).unwrap()).unwrap();
    assert_eq!(Action::from_json(&json).unwrap(), named("review_answers"));
}

#[test]
fn actions_the_interview_does_not_offer_are_refused_without_change() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    at_the_end(&iv, &mut st);
    let before = st.to_bytes().unwrap();
    let set = Action::from_json(&serde_json::json!({
        "action": "_da_set",
        "arguments": {"variables": [["fruit", "hacked"]]}
    }))
    .unwrap();
    let undefine = Action::from_json(&serde_json::json!({
        "action": "_da_undefine",
        "arguments": {"variables": ["fruit"]}
    }))
    .unwrap();
    for a in [
        named("nobody_defines_this"),
        named("os.system('id')"),
        named("_da_nonsense"),
        set,
        undefine,
    ] {
        let err = act_result(&iv, &mut st, a.clone()).unwrap_err();
        assert!(
            matches!(err, engine::run::RunError::BadRequest(_)),
            "{a:?}: {err}"
        );
        assert_eq!(st.to_bytes().unwrap(), before, "{a:?} changed the state");
    }
}

#[test]
fn a_review_field_offers_its_builtin_actions_only_while_shown() {
    let iv = compile(REVIEW);
    let mut st = SessionState::new();
    at_the_end(&iv, &mut st);
    let r = act(&iv, &mut st, named("review_answers"));
    let recount = field_action(&r, 4);
    assert_eq!(recount.action, "_da_force_ask");
    // Offered by the review screen: accepted.
    let r = act(&iv, &mut st, recount.clone());
    let end = submit(&iv, &mut st, &r, &[]);
    assert!(end.question_text.starts_with("Done"));
    // Not offered by the end screen.
    assert!(act_result(&iv, &mut st, recount).is_err());
}

#[test]
fn event_code_reads_action_arguments() {
    let iv = compile(
        r#"
mandatory: True
question: Colour ${ colour }
---
event: paint
code: |
  colour = action_argument('colour')
---
code: colour = 'none'
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Colour none");
    let a = Action::from_json(&serde_json::json!({
        "action": "paint", "arguments": {"colour": "red"}
    }))
    .unwrap();
    let s = act(&iv, &mut st, a);
    assert_eq!(s.question_text, "Colour red");
    assert!(st.internal.event_stack.is_empty());
}

#[test]
fn a_review_with_a_continue_field_sets_it_when_continued() {
    let iv = compile(
        r#"
mandatory: True
code: |
  fruit
  reviewed
  final
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Check
review:
  - Change: fruit
continue button field: reviewed
---
event: final
question: Thanks, ${ fruit }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let r = submit(&iv, &mut st, &s, &[("fruit", "plum")]);
    assert_eq!(r.question_type, QuestionType::Review);
    assert_eq!(r.question_variable_name.as_deref(), Some("reviewed"));
    // docassemble labels the button of a review that saves a field "Continue" (only a review
    // without one is "Resume"d): standardformatter's `review_saveas` branch.
    assert_eq!(r.continue_label.as_deref(), Some("Continue"));
    let q = act(&iv, &mut st, field_action(&r, 0));
    assert_eq!(q.question_text, "Fruit?");
    let r = submit(&iv, &mut st, &q, &[("fruit", "lime")]);
    assert_eq!(r.question_type, QuestionType::Review);
    let end = submit(&iv, &mut st, &r, &[]);
    assert_eq!(end.question_text, "Thanks, lime");
}

#[test]
fn sections_and_the_current_section_follow_the_questions() {
    let iv = compile(
        r#"
sections:
  - intro: Introduction
  - about: About you
    subsections:
      - contact: Contact info
  - Conclusion
---
mandatory: True
code: |
  a
  b
  c
---
question: A?
fields:
  - A: a
progress: 10
---
question: B?
fields:
  - B: b
section: contact
---
question: C?
fields:
  - C: c
---
mandatory: True
question: End
section: Conclusion
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.section.as_deref(), Some("intro"));
    assert_eq!(s.progress, Some(10.0));
    let keys: Vec<&str> = s.sections.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, ["intro", "about", "Conclusion"]);
    assert_eq!(s.sections[1].title, "About you");
    assert_eq!(s.sections[1].subsections[0].key, "contact");
    assert_eq!(s.sections[1].subsections[0].title, "Contact info");
    let s = submit(&iv, &mut st, &s, &[("a", "1")]);
    assert_eq!(s.section.as_deref(), Some("contact"));
    // A question without `section:` keeps the current one.
    let s = submit(&iv, &mut st, &s, &[("b", "1")]);
    assert_eq!(s.section.as_deref(), Some("contact"));
    assert_eq!(s.progress, Some(10.0));
    let s = submit(&iv, &mut st, &s, &[("c", "1")]);
    assert_eq!(s.section.as_deref(), Some("Conclusion"));
}

#[test]
fn the_nav_object_sets_reads_replaces_and_hides_sections() {
    let iv = compile(
        r#"
sections:
  - intro: Introduction
  - about: About you
  - Conclusion
---
mandatory: True
code: |
  a
  nav.set_section('about')
  b
  nav.set_sections([{'x': 'Ex'}, 'Why'])
  nav.set_section('Why')
  c
  nav.hide()
  d
---
question: A in ${ nav.get_section(display=True) }
fields:
  - A: a
---
question: B in ${ nav.get_section() } / ${ nav.get_section(display=True) }
fields:
  - B: b
---
question: C in ${ nav.get_section(display=True) }
fields:
  - C: c
---
question: D visible=${ nav.visible() }
fields:
  - D: d
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "A in Introduction");
    assert_eq!(s.section.as_deref(), Some("intro"));
    let s = submit(&iv, &mut st, &s, &[("a", "1")]);
    assert_eq!(s.question_text, "B in about / About you");
    assert_eq!(s.section.as_deref(), Some("about"));
    let s = submit(&iv, &mut st, &s, &[("b", "1")]);
    assert_eq!(s.question_text, "C in Why");
    let keys: Vec<&str> = s.sections.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, ["x", "Why"]);
    assert_eq!(s.section.as_deref(), Some("Why"));
    let s = submit(&iv, &mut st, &s, &[("c", "1")]);
    assert_eq!(s.question_text, "D visible=False");
    assert!(s.sections.is_empty());
}

#[test]
fn a_headless_run_presses_continue_on_a_review_screen() {
    use engine::run::headless::{RunOptions, RunStatus, run};
    let iv = compile(
        r#"
mandatory: True
code: |
  fruit
  reviewed
  final
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Check
review:
  - Change: fruit
    help: ${ fruit }
field: reviewed
---
event: final
question: Thanks, ${ fruit }
"#,
    );
    let answers = serde_json::json!({"fruit": "plum"});
    let t = run(
        &iv,
        &host(),
        answers.as_object().unwrap(),
        &RunOptions::default(),
    );
    assert_eq!(t.status, RunStatus::Completed, "{:?}", t.error);
    assert_eq!(t.screens.len(), 2);
    assert_eq!(t.screens[1].question_type, QuestionType::Review);
    assert_eq!(t.screens[1].answers["reviewed"], serde_json::json!(true));
    assert_eq!(t.end.unwrap().question, "Thanks, plum");
}

#[test]
fn a_list_add_action_asks_for_one_more_item() {
    let iv = compile(
        r#"
objects:
  - fruits: DAList.using(there_are_any=True)
---
mandatory: True
question: Fruits ${ fruits }
subquestion: ${ fruits.add_action() }
---
question: Fruit number ${ i + 1 }?
fields:
  - Fruit: fruits[i]
---
question: Another fruit?
yesno: fruits.there_is_another
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("fruits[0]", "apple")]);
    let end = submit(&iv, &mut st, &s, &[("fruits.there_is_another", "False")]);
    assert_eq!(end.question_text, "Fruits apple");
    let html = end.subquestion_text.unwrap();
    let enc = html
        .split("action=")
        .nth(1)
        .and_then(|h| h.split(['&', '"']).next())
        .unwrap()
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let json: serde_json::Value = serde_json::from_str(&decode_name(&enc).unwrap()).unwrap();
    let a = Action::from_json(&json).unwrap();
    assert_eq!(a.action, "_da_list_add");
    let q = act(&iv, &mut st, a);
    assert_eq!(q.question_text, "Fruit number 2?");
    let q = submit(&iv, &mut st, &q, &[("fruits[1]", "pear")]);
    let end = if q.question_text == "Another fruit?" {
        submit(&iv, &mut st, &q, &[("fruits.there_is_another", "False")])
    } else {
        q
    };
    assert_eq!(end.question_text, "Fruits apple and pear");
    assert!(st.internal.event_stack.is_empty());
}

#[test]
fn interview_help_is_on_every_screen_after_the_questions_own_help() {
    let iv = compile(
        r#"
interview help:
  heading: About ${ topic }
  content: |
    Answer each question.
---
code: |
  topic = "this interview"
---
question: Ready?
help:
  label: More info
  content: Just say yes.
yesno: ready
---
mandatory: True
need: ready
question: The end.
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.help_label.as_deref(), Some("More info"));
    assert_eq!(s.help_text.len(), 1);
    assert!(s.help_text[0].content.contains("Just say yes."));
    assert_eq!(s.interview_help_text.len(), 1);
    assert_eq!(
        s.interview_help_text[0].heading.as_deref(),
        Some("About this interview")
    );
    assert!(
        s.interview_help_text[0]
            .content
            .contains("Answer each question.")
    );
    let json = serde_json::to_value(&s).unwrap();
    assert!(json["interviewHelpText"][0]["content"].is_string());
    let end = submit(&iv, &mut st, &s, &[("ready", "True")]);
    assert_eq!(end.question_text, "The end.");
    assert!(end.help_text.is_empty());
    assert_eq!(end.interview_help_text.len(), 1);
}

#[test]
fn menu_items_reach_the_screen_and_their_actions_run() {
    let iv = compile(
        r#"
mandatory: True
code: |
  menu_items = [ action_menu_item('Visit Cow', 'see_cow'), {'label': 'Docs', 'url': 'https://example.org/'}, 'not an item' ]
---
event: see_cow
question: Moo!
buttons:
  - Continue: continue
---
mandatory: True
question: Welcome to the interview
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Welcome to the interview");
    let labels: Vec<&str> = s.menu_items.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["Visit Cow", "Docs"]);
    assert_eq!(s.menu_items[1].url, "https://example.org/");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["menu_items"][0]["label"], "Visit Cow");
    // The cow's URL is an url_action link: its action runs like any other.
    let url = &s.menu_items[0].url;
    let enc = url
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("action="))
        .unwrap()
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let json: serde_json::Value = serde_json::from_str(&decode_name(&enc).unwrap()).unwrap();
    assert_eq!(Action::from_json(&json).unwrap(), named("see_cow"));
    let cow = match act_result(&iv, &mut st, named("see_cow")).unwrap() {
        Answered::Next(s) => s,
        other => panic!("expected the cow, got {other:?}"),
    };
    assert_eq!(cow.question_text, "Moo!");
}

#[test]
fn an_action_naming_a_variable_set_by_code_runs_that_code_and_asks_what_it_needs() {
    // docassemble's process_action force-asks the name: a code block (not an event) that sets
    // it runs, what it reads is asked, and when it has run the page it left comes back.
    let iv = compile(
        r#"
mandatory: True
question: Home
subquestion: |
  [Food](${ url_action('food_done') })
  % if defined('food_done'):
  Fruit ${ fruit }, vegetable ${ vegetable }.
  % endif
---
code: |
  fruit
  vegetable
  food_done = True
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Vegetable?
fields:
  - Vegetable: vegetable
"#,
    );
    let mut st = SessionState::new();
    assert_eq!(first(&iv, &mut st).question_text, "Home");
    let s = act(&iv, &mut st, named("food_done"));
    assert_eq!(s.question_text, "Fruit?");
    let s = common::submit(&iv, &mut st, &s, &[("fruit", "apple")]);
    assert_eq!(s.question_text, "Vegetable?");
    let s = common::submit(&iv, &mut st, &s, &[("vegetable", "leek")]);
    assert_eq!(s.question_text, "Home");
    assert!(
        s.subquestion_text
            .as_deref()
            .unwrap_or("")
            .contains("Fruit apple, vegetable leek."),
        "{:?}",
        s.subquestion_text
    );
}
