//! The headless scenario runner's steps against small interviews: list collect buttons,
//! waiting (reloads, background notifications), vocabulary popovers, buttons drawn as links.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, host};
use engine::run::scenario::{Outcome, Session, parse_feature, play};

/// Plays `steps` (one per line, without the start step) against `yaml`.
fn run(yaml: &str, steps: &str) -> Outcome {
    let iv = compile(yaml);
    let h = host();
    let feature = format!(
        "Feature: t\n  Scenario: s\n{}\n",
        steps
            .lines()
            .map(|l| {
                let l = l.trim();
                if l.starts_with("Then ") {
                    format!("    {l}")
                } else {
                    format!("    And {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    );
    let sc = parse_feature(&feature).remove(0);
    let mut session = Session::start(&iv, &h);
    play(&mut session, &sc.steps, false)
}

fn passes(yaml: &str, steps: &str) {
    assert_eq!(run(yaml, steps), Outcome::Passed);
}

const FRUIT: &str = r#"
objects:
  fruit: DAList.using(object_type=Thing, there_are_any=True)
---
mandatory: True
code: |
  fruit.appendObject()
  fruit[-1].name.text = "apple"
  fruit.appendObject()
---
question: Tell me about the fruit.
fields:
  - Fruit name: fruit[i].name.text
list collect: True
---
question: More fruit?
yesno: fruit.there_is_another
---
mandatory: True
question: Fruit
subquestion: ${ fruit }
"#;

#[test]
fn list_collect_adds_and_deletes_items() {
    passes(
        FRUIT,
        r#"I set the second "Fruit name" to "orange"
        I click the button " Add another"
        I set the third "Fruit name" to "fig"
        I click the first button " Delete"
        I click the button "Continue"
        Then I should see the phrase "orange and fig""#,
    );
}

#[test]
fn waiting_reloads_a_reloading_screen_and_delivers_background_results() {
    let yaml = r#"
mandatory: True
code: |
  if the_task.ready():
    done
  else:
    the_number
---
code: |
  the_task = background_action('bg', 'fields', n=2)
---
event: bg
code: |
  background_response({'the_number': 553 + action_argument('n')})
---
question: Your answer will appear shortly.
fields:
  - Number: the_number
    datatype: integer
---
event: done
question: The task said ${ the_task.get()['the_number'] }.
"#;
    passes(
        yaml,
        r#"Then I should see the phrase "Your answer will appear shortly."
        I wait 5 seconds
        I click the button "Continue"
        Then I should see the phrase "The task said 555.""#,
    );
}

#[test]
fn a_term_shows_its_definition_until_unfocused() {
    passes(
        r#"
terms:
  creeper: A tall green creature.
---
mandatory: True
question: Have you met a {creeper}?
yesno: met
"#,
        r#"Then I should not see the phrase "A tall green creature."
        I click the link "creeper"
        Then I should see the phrase "A tall green creature."
        I unfocus
        Then I should not see the phrase "A tall green creature.""#,
    );
}

#[test]
fn the_navigation_bar_shows_subsections_of_the_current_section_or_all_with_auto_open() {
    let yaml = |auto: &str| {
        format!(
            r#"
sections:
  - Introduction
  - About you:
    - Contact info
  - Conclusion
auto open: {auto}
---
features:
  navigation: True
---
mandatory: True
question: Welcome
field: welcomed
"#
        )
    };
    assert_eq!(
        run(
            &yaml("True"),
            r#"Then I should see the phrase "Contact info""#
        ),
        Outcome::Passed
    );
    assert_eq!(
        run(
            &yaml("False"),
            r#"Then I should not see the phrase "Contact info""#
        ),
        Outcome::Passed
    );
}

#[test]
fn a_refresh_button_shows_the_screen_again() {
    passes(
        r#"
mandatory: True
question: Still here.
buttons:
  - Refresh: refresh
"#,
        r#"I click the button "Refresh"
        Then I should see the phrase "Still here.""#,
    );
}

const DOCUMENT: &str = r#"
mandatory: True
question: Your document is ready.
attachment:
  name: A letter
  filename: letter
  valid formats:
    - pdf
    - html
  content: |
    Hello, *world*!
"#;

#[test]
fn documents_show_download_preview_and_markdown_tabs() {
    // The Download tab is open first: its links, not the content.
    passes(
        DOCUMENT,
        r#"Then I should see the phrase "The following document has been created for you."
        I should see the phrase "PDF (for printing"
        I should not see the phrase "RTF"
        I should not see the phrase "Hello, world!"
        I click the link "Preview"
        Then I should see the phrase "Hello, world!"
        I click the link "Markdown"
        Then I should see the phrase "Hello, *world*!"
        I click the link "Download"
        Then I should not see the phrase "Hello""#,
    );
    assert!(matches!(
        run(DOCUMENT, r#"I click the link "Spreadsheet""#),
        Outcome::Failed { .. }
    ));
}

#[test]
fn options_of_a_choice_list_without_a_variable_are_clicked() {
    passes(
        r#"
question: Tell me then.
fields:
  - Food: food
---
question: Favorite food?
choices:
  - Apples:
      code: |
        food = 'apples'
  - Something else: continue
---
mandatory: True
question: You like ${ food }.
"#,
        r#"I click the "Something else" option
        I click the button "Continue"
        Then I should see the phrase "Tell me then."
        I set "Food" to "pasta"
        I click the button "Continue"
        Then I should see the phrase "You like pasta.""#,
    );
}

#[test]
fn pages_show_screen_parts_and_currency_symbols() {
    passes(
        r#"
question: House?
fields:
  - Value: house_value
    datatype: currency
  - Euros: euros
    datatype: currency
    currency symbol: €
pre: Before the question.
post: After the buttons.
---
mandatory: True
question: ${ house_value }
"#,
        r#"Then I should see the phrase "Before the question."
        Then I should see the phrase "After the buttons."
        Then I should see the phrase "$"
        Then I should see the phrase "€""#,
    );
}

#[test]
fn a_menu_entry_runs_its_action() {
    passes(
        r#"
mandatory: True
code: |
  menu_items = [action_menu_item('Review Answers', 'review_answers')]
---
event: review_answers
question: Revisit questions
review:
  - Favorite fruit: fruit
---
question: Fruit?
fields:
  - Fruit: fruit
---
mandatory: True
question: You like ${ fruit }.
"#,
        r#"I set "Fruit" to "apple"
        I click the button "Continue"
        I select "Review Answers" from the menu
        Then I should see the phrase "Revisit questions"
        I click the link "Favorite fruit"
        Then I should see the phrase "Fruit?""#,
    );
    assert_ne!(
        run(
            "question: Hi\nmandatory: True\n",
            r#"I select "Nothing" from the menu"#
        ),
        Outcome::Passed
    );
}

#[test]
fn the_help_tab_shows_the_question_and_interview_help() {
    let yaml = r#"
interview help:
  label: More info
  heading: About this interview
  content: Answer as best you can.
---
question: Damages?
fields:
  - Money: damages
help: Ask for a million dollars.
---
question: Fruit?
fields:
  - Fruit: fruit
help:
  label: Huh?
  content: A fleshy part of a plant.
---
mandatory: True
question: ${ damages } ${ fruit }
"#;
    passes(
        yaml,
        r#"Then I should see the phrase "More info"
        I go to the help screen
        Then I should see the phrase "Ask for a million dollars."
        Then I should see the phrase "About this interview"
        Then I should not see the phrase "Damages?"
        I go back to the question screen
        I set "Money" to "5"
        I click the button "Continue"
        Then I should see the phrase "Huh?"
        I click the button "Huh?"
        Then I should see the phrase "A fleshy part of a plant."
        I click the button "Huh?"
        Then I should see the phrase "Fruit?""#,
    );
    assert_ne!(
        run("question: Hi\nmandatory: True\n", "I go to the help screen"),
        Outcome::Passed
    );
}

#[test]
fn an_end_screen_shows_the_submit_part_only_above_buttons_and_back_can_be_prevented() {
    let yaml = "metadata:\n  submit: Under penalty of perjury\n---\nquestion: Name?\nfields:\n  - Name: name\n---\nprevent going back: True\nquestion: Thanks, ${ name }\nfield: done\n---\nmandatory: True\nquestion: The end\nsubquestion: ${ done }\n";
    passes(
        yaml,
        "I should see the phrase \"Under penalty of perjury\"
        I set \"Name\" to \"Ann\"
        I click the button \"Continue\"
        Then I should see the phrase \"Thanks, Ann\"
        I should see the phrase \"Under penalty of perjury\"
        I click the button \"Continue\"
        Then I should see the phrase \"The end\"
        I should not see the phrase \"Under penalty of perjury\"",
    );
    // The screen that prevented going back, and the next one, have no way back.
    assert!(matches!(
        run(
            yaml,
            "I set \"Name\" to \"Ann\"
            I click the button \"Continue\"
            I click the back button"
        ),
        Outcome::Failed { .. }
    ));
}

#[test]
fn check_others_checks_the_other_boxes_and_unchecking_one_unchecks_it() {
    let yaml = "question: Foods\nfields:\n  - Apples: likes_apples\n    datatype: yesnowide\n  - Turnips: likes_turnips\n    datatype: yesnowide\n  - Both: likes_both\n    datatype: yesnowide\n    check others: True\n---\nmandatory: True\nquestion: ${ likes_apples } ${ likes_turnips } ${ likes_both }\n";
    passes(
        yaml,
        "I click the option \"Both\"
        I click the button \"Continue\"
        Then I should see the phrase \"True True True\"",
    );
    passes(
        yaml,
        "I click the option \"Both\"
        I click the option \"Turnips\"
        I click the button \"Continue\"
        Then I should see the phrase \"True False False\"",
    );
}

#[test]
fn an_error_page_shows_the_interviews_error_help() {
    let yaml = "metadata:\n  error help:\n    en: We are sorry.\n---\ncode: |\n  answer = 5/0\n---\nmandatory: True\nquestion: ${ answer }\n";
    let iv = compile(yaml);
    let h = host();
    let session = Session::start(&iv, &h);
    let text = session.visible_text();
    assert!(text.starts_with("We are sorry."), "{text}");
    assert!(text.contains("ZeroDivisionError"), "{text}");
}

const CHECK_IN: &str = r#"
question: What is your favorite food?  [TARGET one]
fields:
  - Favorite food: favorite_food
  - Kind: kind
    choices:
      - sweet
      - savory
  - Count: count
    datatype: integer
    required: False
check in: question_food
---
event: question_food
code: |
  if action_argument('_changed') == 'kind':
    background_response({'count': 3}, 'fields')
  food = action_argument('favorite_food')
  if food:
    background_response([{'target': 'one', 'content': "(" + food.upper() + "?)"}])
  background_response()
---
mandatory: True
question: ${ favorite_food }, ${ kind }, ${ count }.
"#;

#[test]
fn a_typed_field_checks_in_when_it_loses_the_focus_or_the_page_waits() {
    passes(
        CHECK_IN,
        r#"I set "Favorite food" to "soup"
        Then I should not see the phrase "(SOUP?)"
        I unfocus
        Then I should see the phrase "(SOUP?)"
        I click the option "savory" under "Kind"
        I click the button "Continue"
        Then I should see the phrase "soup, savory, 3."
        "#,
    );
    passes(
        CHECK_IN,
        r#"I set "Favorite food" to "rice"
        I wait 2 seconds
        Then I should not see the phrase "(RICE?)"
        I wait 7 seconds
        Then I should see the phrase "(RICE?)"
        "#,
    );
}

#[test]
fn a_filled_in_field_is_checked_when_it_loses_the_focus() {
    let yaml = r#"
question: Seeds?
fields:
  - How many seeds?: seeds
    datatype: integer
    max: 100
---
mandatory: True
question: ${ seeds } seeds.
"#;
    passes(
        yaml,
        r#"I set "How many seeds?" to "542"
        Then I should not see the phrase "100"
        I unfocus
        Then I should see the phrase "You need to enter a number that is at most 100."
        I set "How many seeds?" to "98"
        I unfocus
        Then I should not see the phrase "at most 100"
        I click the button "Continue"
        Then I should see the phrase "98 seeds."
        "#,
    );
}

#[test]
fn a_link_to_this_interview_with_arguments_sets_url_args() {
    let yaml = r#"
mandatory: True
question: From ${ url_args.get('from', 'nowhere') }
subquestion: |
  % if url_args.get('fruit', 'apple') == 'apple':
  [Not an apple](?fruit=orange&from=here)
  % else:
  A ${ url_args['fruit'] }.
  % endif
  [Elsewhere](https://example.org/?fruit=pear)
"#;
    passes(
        yaml,
        "Then I should see the phrase \"From nowhere\"
        I click the link \"Not an apple\"
        Then I should see the phrase \"From here\"
        Then I should see the phrase \"A orange.\"",
    );
    let Outcome::Failed { reason, .. } = run(yaml, "I click the link \"Elsewhere\"") else {
        panic!("a link to another site cannot be followed");
    };
    assert!(reason.contains("leads out of the interview"), "{reason}");
}
