//! Choices: empty lists of choices (nothing to ask), template choice values and defaults
//! given by code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, post, submit};
use engine::run::{Answered, SessionState};

const EMPTY: &str = r#"
code: |
  if empty:
    the_choices = []
  else:
    the_choices = ["Door 1", "Door 2"]
---
question: Which door?
field: door
choices:
  - code: the_choices
---
mandatory: True
question: door is ${ door }
---
question: Empty?
yesno: empty
"#;

#[test]
fn a_multiple_choice_question_without_choices_is_not_asked() {
    let iv = compile(EMPTY);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(&iv, &mut st, &s, &[("empty", "True")]);
    assert_eq!(end.question_text, "door is None");
    // With choices, it is asked.
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let door = submit(&iv, &mut st, &s, &[("empty", "False")]);
    assert_eq!(door.question_text, "Which door?");
    assert_eq!(door.fields[0].choices.len(), 2);
}

#[test]
fn fields_without_choices_store_nothing_chosen() {
    let iv = compile(
        r#"
code: |
  the_choices = []
---
question: Pick
fields:
  - Fruit: fruit
  - no label: door
    datatype: radio
    code: the_choices
  - Villains: villains
    datatype: checkboxes
    code: the_choices
---
mandatory: True
question: ${ fruit } ${ door } ${ len(villains) } ${ villains.gathered }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Pick");
    let end = submit(&iv, &mut st, &s, &[("fruit", "apple")]);
    assert_eq!(end.question_text, "apple None 0 True");
}

#[test]
fn checkboxes_without_choices_are_an_empty_gathered_dict() {
    let iv = compile(
        r#"
question: Which?
fields:
  - Things: things
    datatype: checkboxes
    code: "[]"
---
mandatory: True
question: ${ things.gathered } ${ len(things) }
"#,
    );
    let mut st = SessionState::new();
    assert_eq!(first(&iv, &mut st).question_text, "True 0");
}

#[test]
fn choice_values_are_templates() {
    let iv = compile(
        r#"
code: |
  birthday = "April 4, 2004"
---
question: Favorite date?
fields:
  - Date: favorite
    choices:
      - ${ birthday }
      - Never
---
mandatory: True
question: ${ favorite }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let values: Vec<_> = s.fields[0]
        .choices
        .iter()
        .map(|c| c.value.clone().unwrap())
        .collect();
    assert_eq!(values, vec!["April 4, 2004", "Never"]);
    let end = submit(&iv, &mut st, &s, &[("favorite", "April 4, 2004")]);
    assert_eq!(end.question_text, "April 4, 2004");
}

#[test]
fn a_default_may_be_code() {
    let iv = compile(
        r#"
question: Fruits?
fields:
  - Fruits: likes
    datatype: checkboxes
    choices:
      - Apples
      - Pears
    default:
      code: |
        ['Pears']
---
mandatory: True
question: ${ likes.true_values() }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.fields[0].default, Some(serde_json::json!(["Pears"])));
}

#[test]
fn checkboxes_without_none_of_the_above_may_be_left_unchecked() {
    let iv = compile(
        r#"
question: Fruits?
fields:
  - Fruits: likes
    datatype: checkboxes
    choices:
      - Apples
      - Pears
    none of the above: False
---
mandatory: True
question: ${ len(likes.true_values()) } ${ likes['Apples'] }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[("likes['Apples']", "False"), ("likes['Pears']", "False")],
    );
    assert_eq!(end.question_text, "0 False");
}

#[test]
fn validation_messages_come_from_the_field_then_the_interview_defaults() {
    let iv = compile(
        r#"
default validation messages:
  required: |
    I would really like
    to know this.
  max: No more than %s, please!
---
question: Fruit?
fields:
  - Fruit: fruit
    validation messages:
      required: Everyone has a favorite fruit.
  - Seeds: seeds
    datatype: integer
    max: 100
---
mandatory: True
question: ${ fruit } ${ seeds }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let Answered::Invalid(bad) = post(&iv, &mut st, &s, &[("fruit", ""), ("seeds", "")]) else {
        panic!("expected validation errors");
    };
    let messages: Vec<&str> = bad.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "Everyone has a favorite fruit.",
            "I would really like to know this."
        ]
    );
    let Answered::Invalid(bad) = post(&iv, &mut st, &s, &[("fruit", "kiwi"), ("seeds", "542")])
    else {
        panic!("expected a validation error");
    };
    assert_eq!(bad.errors[0].message, "No more than 100, please!");
}

#[test]
fn an_object_labeler_and_help_generator_make_an_object_choices_texts() {
    let iv = compile(
        r#"
objects:
  - bus: Thing
  - car: Address
---
code: |
  bus.name.text = 'bus'
  bus.help_text = 'Public.'
  car.help_text = 'Private.'
  car.nickname = 'the car'
---
question: How would you prefer to travel?
fields:
  - no label: transportation_method
    datatype: object_radio
    choices:
      - bus
      - car
    object labeler: |
      lambda y: y.nickname if y is car else capitalize(y)
    help generator: |
      lambda y: y.help_text
---
mandatory: True
question: By ${ transportation_method.help_text }
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let labels: Vec<_> = s.fields[0]
        .choices
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    // An Address's str() would need its address: the labeler is used instead.
    assert_eq!(labels, ["Bus", "the car"]);
    assert_eq!(s.fields[0].choices[1].help.as_deref(), Some("Private."));
    let s = submit(&iv, &mut st, &s, &[("transportation_method", "car")]);
    assert_eq!(s.question_text, "By Private.");
}

#[test]
fn exclude_removes_listed_choices_and_no_choice_left_means_none() {
    let yaml = r#"
question: Brother's fruit?
fields:
  - Fruit: brother
    datatype: radio
    choices:
      - Apples
      - Oranges
      - Pears
    exclude: |
      excluded
---
mandatory: True
question: Brother likes ${ brother }.
"#;
    let iv = compile(&format!(
        "code: |\n  excluded = ['Apples', 'Pears']\n---\n{yaml}"
    ));
    let s = first(&iv, &mut SessionState::new());
    let values: Vec<_> = s.fields[0]
        .choices
        .iter()
        .map(|c| c.value.clone().unwrap())
        .collect();
    assert_eq!(values, ["Oranges"]);
    let iv = compile(&format!(
        "code: |\n  excluded = ['Apples', 'Oranges', 'Pears']\n---\n{yaml}"
    ));
    let s = first(&iv, &mut SessionState::new());
    assert_eq!(s.question_text, "Brother likes None.");
}

#[test]
fn a_note_or_html_beside_a_field_keeps_the_field() {
    for (key, member) in [("note", "note"), ("html", "html")] {
        let iv = compile(&format!(
            "question: What is 2+2?\nfields:\n  Answer: answer\n  choices:\n    - 3\n    - 4\n  {key}: |\n    Hint: 2 + 2 = 4.\n---\nmandatory: True\nquestion: ${{ answer == \"4\" }}\n"
        ));
        let mut st = SessionState::new();
        let s = first(&iv, &mut st);
        let f = &s.fields[0];
        assert_eq!(f.label.as_deref(), Some("Answer"), "{key}");
        assert_eq!(f.variable_name.as_deref(), Some("answer"), "{key}");
        assert_eq!(f.choices.len(), 2, "{key}");
        let json = serde_json::to_value(f).unwrap();
        assert!(
            json[member].as_str().unwrap().contains("Hint: 2 + 2 = 4."),
            "{key}"
        );
        // The choice written as the number 4 is stored as the text posted, as docassemble
        // stores a text field's answer.
        let s = submit(&iv, &mut st, &s, &[("answer", "4")]);
        assert_eq!(s.question_text, "True", "{key}");
    }
}

#[test]
fn objects_listed_by_code_for_a_text_field_are_chosen_by_their_text() {
    let iv = compile(
        "objects:\n  - person: DAList.using(object_type=Individual, auto_gather=False, gathered=True)\n---\nmandatory: True\ncode: |\n  person.appendObject()\n  person[0].name.first = 'John'\n  person.appendObject()\n  person[1].name.first = 'Jane'\n---\nquestion: Favorite?\nfields:\n  - Favorite: favorite\n    code: person\n---\nmandatory: True\nquestion: Your favorite is ${ favorite }.\n",
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let values: Vec<_> = s.fields[0]
        .choices
        .iter()
        .map(|c| c.value.clone().unwrap())
        .collect();
    assert_eq!(
        values,
        [serde_json::json!("John"), serde_json::json!("Jane")]
    );
    let s = submit(&iv, &mut st, &s, &[("favorite", "Jane")]);
    assert_eq!(s.question_text, "Your favorite is Jane.");
}

#[test]
fn exclude_leaves_written_choices_out_and_excluding_all_answers_none() {
    let yaml = "mandatory: True\nquestion: ${ first } ${ second }\n---\nquestion: First\nfields:\n  - Fruit: first\n    datatype: radio\n    choices:\n      - Apples\n      - Oranges\n---\nquestion: Second\nfields:\n  - Fruit: second\n    datatype: radio\n    choices:\n      - Apples\n      - Oranges\n    exclude: EXCLUDE\n";
    let iv = compile(&yaml.replace("EXCLUDE", "first"));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("first", "Apples")]);
    assert_eq!(s.question_text, "Second");
    let values: Vec<_> = s.fields[0]
        .choices
        .iter()
        .map(|c| c.value.clone().unwrap())
        .collect();
    assert_eq!(values, [serde_json::json!("Oranges")]);
    // Nothing left to choose: not asked, the answer is None (docassemble's empty choices).
    let iv = compile(&yaml.replace("EXCLUDE", "\"['Apples', 'Oranges']\""));
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("first", "Apples")]);
    assert_eq!(s.question_text, "Apples None");
}

const VILLAINS: &str = r#"
mandatory: True
objects:
  - hero: Individual
  - foe: Individual
  - villain: DAList.using(auto_gather=False)
---
mandatory: True
code: |
  hero.name.first = "Harry"
  foe.name.first = "Tom"
  villain.append(foe)
---
question: Who are the villains?
fields:
  - no label: villain
    datatype: object_checkboxes
    choices:
      - hero
      - foe
---
mandatory: True
question: |
  % if villain.number() == 0:
  No villains.
  % else:
  The ${ villain.as_noun() } ${ villain.does_verb("include") } ${ villain }.
  % endif
"#;

#[test]
fn object_checkboxes_are_posted_box_by_box_and_start_at_the_list() {
    let iv = compile(VILLAINS);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let f = &s.fields[0];
    // Each box has its own variable, as docassemble's checkboxes do; its value is the path.
    let names: Vec<_> = f
        .choices
        .iter()
        .map(|c| c.variable_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["villain['hero']", "villain['foe']"]);
    assert_eq!(f.choices[1].value, Some(serde_json::json!("foe")));
    // The objects already in the list start checked.
    assert_eq!(f.default, Some(serde_json::json!(["foe"])));
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[("villain['hero']", "True"), ("villain['foe']", "True")],
    );
    assert_eq!(end.question_text, "The villains include Harry and Tom.");
}

#[test]
fn object_checkboxes_left_as_they_started_keep_the_list() {
    let iv = compile(VILLAINS);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(
        &iv,
        &mut st,
        &s,
        &[("villain['hero']", "False"), ("villain['foe']", "True")],
    );
    assert_eq!(end.question_text, "The villain includes Tom.");
    // Posting an object that is not offered is refused, not added.
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let sub = engine::run::Submission {
        question_name: Some(s.question_name.clone()),
        values: vec![("villain['nobody']".to_string(), "True".to_string())],
        ..engine::run::Submission::default()
    };
    let r = engine::run::Engine::new(&iv, &common::host()).answer(&mut st, &sub);
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn every_session_has_url_args_and_fields_carry_their_under_text() {
    let iv = compile(
        "question: Food\nfields:\n  - Vegetable: veg\n    under text: E.g., *eggplant*\n---\nmandatory: True\nquestion: |\n  From ${ url_args.get('from', 'the unknown') }, ${ veg }\n",
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.fields[0].under_text.as_deref(),
        Some("E.g., <em>eggplant</em>")
    );
    let end = submit(&iv, &mut st, &s, &[("veg", "turnip")]);
    assert_eq!(end.question_text, "From the unknown, turnip");
}

#[test]
fn use_objects_objects_makes_instances_of_the_named_class() {
    // docassemble's objects_from_data: `{object: C, items: [...]}` is a DAList of C made with
    // the attributes as keyword arguments, named after the variable; plain lists are DALists.
    let iv = compile(
        r#"
variable name: people
use objects: objects
data:
  object: Individual
  module: docassemble.base.util
  items:
    - name:
        object: IndividualName
        item:
          first: Fred
          last: Smith
      email: fred@example.com
      skills:
        - guessing
        - making ${ 'coffee' }
---
mandatory: True
question: |
  ${ people[0] } (${ people[0].name.instanceName }) at ${ people[0].email } is good at ${ people[0].skills }; ${ people.number() } in all.
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.question_text,
        "Fred Smith (people[0].name) at fred@example.com is good at guessing and making coffee; 1 in all."
    );
}

#[test]
fn a_data_block_with_gathered_false_asks_for_more_items() {
    let iv = compile(
        "variable name: fruits\nuse objects: True\ngathered: False\ndata:\n  - apple\n  - pear\n---\nquestion: Any more fruit?\nyesno: fruits.there_is_another\n---\nquestion: What fruit?\nfields:\n  - Fruit: fruits[i]\n---\nmandatory: True\nquestion: |\n  ${ fruits }\n",
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Any more fruit?");
    let s = submit(&iv, &mut st, &s, &[("fruits.there_is_another", "True")]);
    let s = submit(&iv, &mut st, &s, &[("fruits[2]", "fig")]);
    let end = submit(&iv, &mut st, &s, &[("fruits.there_is_another", "False")]);
    assert_eq!(end.question_text, "apple, pear, and fig");
}

#[test]
fn stop_rendering_ends_a_template_there() {
    let iv = compile(
        "mandatory: True\nquestion: Apples\nsubquestion: |\n  % if not likes:\n  Never mind.\n  <% return STOP_RENDERING %>\n  % endif\n  Apples are red.\n---\nquestion: Like apples?\nyesno: likes\n",
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(&iv, &mut st, &s, &[("likes", "False")]);
    assert_eq!(
        end.subquestion_text.as_deref().map(str::trim),
        Some("<p>Never mind.</p>")
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(&iv, &mut st, &s, &[("likes", "True")]);
    assert_eq!(
        end.subquestion_text.as_deref().map(str::trim),
        Some("<p>Apples are red.</p>")
    );
}

const OPTIONAL_RADIO: &str = r#"
question: Fruit?
fields:
  - "Which do you like best?": favorite
    datatype: radio
    required: False
    choices:
      - Apples
      - Oranges
---
mandatory: True
question: favorite is [${ favorite }] ${ favorite is None }
"#;

#[test]
fn an_unchecked_optional_radio_is_blank_text_as_docassemble_page_posts_it() {
    let iv = compile(OPTIONAL_RADIO);
    // docassemble's page posts "" for radio buttons none of which is checked (`_empties`)
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(&iv, &mut st, &s, &[("favorite", "")]);
    assert_eq!(end.question_text, "favorite is [] False", "{end:?}");
    // a client that posts nothing for it leaves None
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(&iv, &mut st, &s, &[]);
    assert_eq!(end.question_text, "favorite is [None] True", "{end:?}");
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let end = submit(&iv, &mut st, &s, &[("favorite", "Oranges")]);
    assert_eq!(end.question_text, "favorite is [Oranges] False", "{end:?}");
}

const OBJECTS_INTO_A_PARTY_LIST: &str = r#"
modules:
  - docassemble.base.legal
---
objects:
  - hero: Individual
  - foe: Individual
---
mandatory: True
code: |
  hero.name.first = "Harry"
  foe.name.first = "Tom"
---
question: Who are the villains?
fields:
  no label: villain
  datatype: object_checkboxes
  choices:
    - hero
    - foe
---
objects:
  villain: PartyList.using(auto_gather=False)
---
mandatory: True
question: ${ villain } (${ villain.__class__.__name__ }, ${ type(villain).__name__ }, ${ villain.gathered })
"#;

#[test]
fn object_checkboxes_refill_the_list_that_is_there() {
    let iv = compile(OBJECTS_INTO_A_PARTY_LIST);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Who are the villains?");
    let var = s.fields[0].variable_name.clone().unwrap();
    let end = submit(&iv, &mut st, &s, &[(var.as_str(), "foe")]);
    assert_eq!(
        end.question_text, "Tom (PartyList, PartyList, True)",
        "{end:?}"
    );
}

#[test]
fn object_radio_none_of_the_above_keeps_the_object_and_sets_its_fields() {
    let iv = compile(
        r#"
objects:
  protagonist: Individual
  antagonist: Individual
  villain: Individual
---
code: |
  protagonist.name.first = "Harry"
  protagonist.name.last = "Potter"
  antagonist.name.first = "Tom"
  antagonist.name.last = "Riddle"
---
question: Who is the villain?
fields:
  - The villain is: villain
    datatype: object_radio
    default: antagonist
    none of the above: Someone else
    choices:
      - protagonist
      - antagonist
  - First name: villain.name.first
    show if:
      variable: villain
      is: null
  - Last name: villain.name.last
    show if:
      variable: villain
      is: null
---
mandatory: True
question: ${ villain } will surely be defeated!
"#,
    );
    for nota in ["", "None"] {
        let mut st = SessionState::new();
        let s = first(&iv, &mut st);
        // (stored and read back between requests, as the server does)
        let mut st = SessionState::from_bytes(&st.to_bytes().unwrap()).unwrap();
        let names: Vec<String> = s
            .fields
            .iter()
            .filter_map(|f| f.input_name().map(|n| n.into_owned()))
            .collect();
        let s = submit(
            &iv,
            &mut st,
            &s,
            &[(&names[0], nota), (&names[1], "John"), (&names[2], "Smith")],
        );
        assert_eq!(
            s.question_text, "John Smith will surely be defeated!",
            "{nota:?}"
        );
    }
}

/// A button whose value is `Null` (docassemble's dispatch menus: `Continue: Null`) posts
/// `None`, and the value survives the waiting screen being stored and read back.
#[test]
fn a_null_choice_is_a_value_that_survives_storage() {
    let iv = compile(
        r#"
mandatory: True
question: |
  You chose ${ repr(menu) }.
---
question: Main menu
field: menu
buttons:
  - Fruit: fruit_menu
  - Continue: Null
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["fields"][0]["choices"][1]["value"],
        serde_json::Value::Null
    );
    assert!(
        json["fields"][0]["choices"][1]
            .as_object()
            .unwrap()
            .contains_key("value")
    );
    let mut st = SessionState::from_bytes(&st.to_bytes().unwrap()).unwrap();
    let s = submit(&iv, &mut st, &s, &[("menu", "None")]);
    assert_eq!(s.question_text, "You chose None.");
}

/// `js show if` (docassemble's `val("fruit") == "apple"`): read as Python for the browser,
/// first shown as the condition stands on the fields' defaults, and a field the browser hid
/// (not posted) is not required.
#[test]
fn js_show_if_is_decided_in_the_browser() {
    let iv = compile(
        r#"
mandatory: True
question: |
  ${ fruit } ${ defined('mushroom') } ${ spice }
---
question: Please fill in the following information.
fields:
  - Favorite fruit: fruit
  - Favorite fungus: mushroom
    js show if: |
      val("fruit") == "apple"
  - Favorite spice: spice
    js hide if: |
      val("fruit") === 'mango' || val('fruit') == "kiwi"
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let code = s.fields[1].show_if_code.as_ref().unwrap();
    assert!(code.js);
    assert_eq!(code.sign, 1);
    assert_eq!(
        s.fields[1].active,
        Some(false),
        "hidden while fruit is empty"
    );
    assert_eq!(s.fields[2].active, Some(true));
    assert_eq!(s.fields[2].show_if_code.as_ref().unwrap().sign, 0);
    // the fungus was hidden, so not posted: nothing is required of it
    let mut other = st.clone();
    let done = submit(&iv, &mut other, &s, &[("fruit", "pear"), ("spice", "salt")]);
    assert_eq!(done.question_text, "pear False salt");
    // shown in the browser and posted: stored
    let done = submit(
        &iv,
        &mut st,
        &s,
        &[("fruit", "apple"), ("mushroom", "morel"), ("spice", "salt")],
    );
    assert_eq!(done.question_text, "apple True salt");
}
