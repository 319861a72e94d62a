//! Tables with `edit`, `delete buttons` and the list/dict item actions they link to
//! (`_da_list_edit`, `_da_list_remove`, `_da_dict_remove`, `_da_dict_add`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{act, compile, first};
use engine::run::{Action, Screen, SessionState};

/// The actions of the links in an HTML text, by their text.
fn links(html: &str) -> Vec<(String, Action)> {
    let re = regex::Regex::new(r#"<a href="([^"]*)"[^>]*>(.*?)</a>"#).unwrap();
    re.captures_iter(html)
        .filter_map(|c| {
            let href = c[1].replace("&amp;", "&");
            let enc = href.split("action=").nth(1)?.split('&').next()?.to_string();
            let enc = enc.replace("%3D", "=");
            let json = engine::run::decode_name(&enc)?;
            let action = Action::from_json(&serde_json::from_str(&json).ok()?).ok()?;
            let text = regex::Regex::new("<[^>]*>").unwrap().replace_all(&c[2], "");
            Some((text.trim().to_string(), action))
        })
        .collect()
}

fn page(s: &Screen) -> String {
    let mut t = s.subquestion_text.clone().unwrap_or_default();
    for f in &s.fields {
        t.push_str(f.note.as_deref().unwrap_or(""));
    }
    t
}

const PEOPLE: &str = r#"
objects:
  - person: DAList.using(object_type=Individual, there_are_any=True, complete_attribute='complete')
---
code: |
  person[i].name.first
  person[i].fruit
  person[i].complete = True
---
question: Who is the ${ ordinal(i) } person?
fields:
  - First Name: person[i].name.first
  - Last Name: person[i].name.last
---
question: What fruit does ${ person[i] } like?
fields:
  - Fruit: person[i].fruit
---
question: Any more?
yesno: person.there_is_another
---
mandatory: True
code: |
  # (through a loop variable: a block that sets person[0].name.first would be run again
  # when an edit link asks for it, as in docassemble)
  for who, (first, last, fruit) in enumerate([('Ann', 'Lee', 'apple'), ('Bob', 'Ray', 'pear')]):
    person[who].name.first = first
    person[who].name.last = last
    person[who].fruit = fruit
    person[who].complete = True
  person.there_is_another = False
---
mandatory: True
question: The people
subquestion: |
  ${ person.table }
---
table: person.table
rows: person
columns:
  - Name: row_item.name.full()
  - Fruit: row_item.fruit
edit:
  - name.first
  - fruit
"#;

#[test]
fn edit_links_ask_the_follow_ups_then_show_the_table_again() {
    let iv = compile(PEOPLE);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let html = page(&s);
    assert!(html.contains("Actions"), "{html}");
    let l = links(&html);
    let edits: Vec<&Action> = l
        .iter()
        .filter(|(t, _)| t == "Edit")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(edits.len(), 2, "{html}");
    assert_eq!(edits[0].action, "_da_list_edit");
    let s = act(&iv, &mut st, edits[0].clone());
    assert_eq!(s.question_text, "Who is the first person?");
    let s = common::submit(
        &iv,
        &mut st,
        &s,
        &[
            ("person[0].name.first", "Anne"),
            ("person[0].name.last", "Lee"),
        ],
    );
    assert_eq!(s.question_text, "What fruit does Anne Lee like?");
    let s = common::submit(&iv, &mut st, &s, &[("person[0].fruit", "fig")]);
    assert_eq!(s.question_text, "The people");
    assert!(page(&s).contains("fig"), "{}", page(&s));
}

#[test]
fn delete_links_remove_the_item() {
    let iv = compile(PEOPLE);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let l = links(&page(&s));
    let delete = l
        .iter()
        .find(|(t, _)| t == "Delete")
        .map(|(_, a)| a.clone())
        .unwrap();
    assert_eq!(delete.action, "_da_list_remove");
    let s = act(&iv, &mut st, delete);
    assert_eq!(s.question_text, "The people");
    let html = page(&s);
    assert!(!html.contains("Ann Lee"), "{html}");
    assert!(html.contains("Bob Ray"), "{html}");
}

#[test]
fn a_remove_action_refuses_an_item_that_is_not_a_literal() {
    let iv = compile(PEOPLE);
    let mut st = SessionState::new();
    first(&iv, &mut st);
    let mut args = serde_json::Map::new();
    args.insert("list".into(), "person".into());
    args.insert("item".into(), "__import__('os')".into());
    let r = common::act_result(
        &iv,
        &mut st,
        Action {
            action: "_da_list_remove".into(),
            arguments: args,
        },
    );
    assert!(r.is_err());
}

#[test]
fn a_review_note_shows_a_table_even_though_tables_are_recomputed() {
    let yaml = PEOPLE.replace(
        "mandatory: True\nquestion: The people\nsubquestion: |\n  ${ person.table }\n",
        "mandatory: True\nquestion: The people\nfield: seen\nreview:\n  - note: |\n      ${ person.table }\n",
    );
    let iv = compile(&yaml);
    let s = first(&iv, &mut SessionState::new());
    let note = s.fields[0].note.clone().unwrap_or_default();
    assert!(note.contains("Bob Ray") && note.contains("Edit"), "{note}");
}

#[test]
fn a_table_gathers_its_list_before_it_is_built() {
    let iv = compile(
        r#"
objects:
  - person: DAList.using(object_type=Individual, there_are_any=True, complete_attribute='complete')
---
code: |
  person[i].name.first
  person[i].complete = True
---
question: Who is the ${ ordinal(i) } person?
fields:
  - First Name: person[i].name.first
---
question: Any more?
yesno: person.there_is_another
---
mandatory: True
question: Summary
subquestion: |
  ${ person.table }
---
table: person.table
rows: person
columns:
  - Name: row_item.name.first
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = common::submit(&iv, &mut st, &s, &[("person[0].name.first", "Ann")]);
    assert_eq!(s.question_text, "Any more?");
}

const INCOME: &str = r#"
objects:
  - income: DADict.using(object_type=DAObject, keys=['benefits', 'interest'], complete_attribute='complete', there_is_another=False)
---
code: |
  income[i].amount
  income[i].complete = True
---
question: How much from ${ i }?
fields:
  - Amount: income[i].amount
    datatype: integer
---
mandatory: True
question: Summary
subquestion: |
  ${ income.table }
---
table: income.table
rows: income
columns:
  - Type: row_index
  - Amount: row_item.amount
delete buttons: True
"#;

#[test]
fn a_dict_table_offers_delete_buttons_by_key() {
    let iv = compile(INCOME);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = common::submit(&iv, &mut st, &s, &[("income['benefits'].amount", "1")]);
    let s = common::submit(&iv, &mut st, &s, &[("income['interest'].amount", "2")]);
    assert_eq!(s.question_text, "Summary");
    let l = links(&page(&s));
    assert!(l.iter().all(|(t, _)| t != "Edit"), "{l:?}");
    let delete = l
        .iter()
        .find(|(t, _)| t == "Delete")
        .map(|(_, a)| a.clone())
        .unwrap();
    assert_eq!(delete.action, "_da_dict_remove");
    assert_eq!(delete.arguments["item"], "'benefits'");
    let s = act(&iv, &mut st, delete);
    let html = page(&s);
    assert!(
        !html.contains("benefits") && html.contains("interest"),
        "{html}"
    );
}

#[test]
fn show_incomplete_shows_the_items_so_far_with_not_available_cells() {
    let iv = compile(
        r#"
objects:
  - fruit: DAList.using(there_are_any=True, complete_attribute='seeds')
---
mandatory: True
code: |
  fruit.append('apple')
  fruit.gather()
---
question: How many seeds has ${ fruit[i] }?
fields:
  - Seeds: fruit[i].seeds
    datatype: integer
---
question: Any more fruit?
yesno: fruit.there_is_another
---
question: Summary
subquestion: ${ fruit.table }
event: summary
---
table: fruit.table
rows: fruit
columns:
  - Fruit: row_item
  - Seeds: row_item.seeds
show incomplete: True
not available label: unknown
"#,
    );
    let mut st = SessionState::new();
    first(&iv, &mut st);
    let s = act(&iv, &mut st, common::named("summary"));
    assert!(page(&s).contains("unknown"), "{}", page(&s));
}

#[test]
fn show_editable_false_leaves_out_the_actions_column() {
    let iv = compile(&PEOPLE.replace(
        "  ${ person.table }\n",
        "  ${ person.table }\n\n  ${ person.table.show(editable=False) }\n",
    ));
    let mut st = SessionState::new();
    let html = page(&first(&iv, &mut st));
    assert_eq!(html.matches("Actions").count(), 1, "{html}");
    assert_eq!(html.matches("<table").count(), 2, "{html}");
    assert_eq!(links(&html).iter().filter(|(t, _)| t == "Edit").count(), 2);
}

#[test]
fn a_table_of_a_generic_block_is_made_again_after_a_change() {
    // `generic object` tables (x.table) are lazy too: a deleted row does not stay on the page.
    let yaml = PEOPLE.replace(
        "table: person.table\nrows: person",
        "generic object: DAList\ntable: x.table\nrows: x",
    );
    let iv = compile(&yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert!(page(&s).contains("Ann Lee"), "{}", page(&s));
    let delete = links(&page(&s))
        .into_iter()
        .find(|(t, _)| t == "Delete")
        .map(|(_, a)| a)
        .unwrap();
    let s = act(&iv, &mut st, delete);
    let html = page(&s);
    assert!(!html.contains("Ann Lee"), "{html}");
    assert!(html.contains("Bob Ray"), "{html}");
}

const CANCEL: &str = r#"
objects:
  - fruits: DAList.using(object_type=Thing, complete_attribute='complete', there_are_any=True)
---
code: |
  fruits[i].name.text
  fruits[i].seeds
  fruits[i].complete = True
---
question: Any more fruits?
yesno: fruits.there_is_another
---
table: fruits.table
rows: fruits
columns:
  - Name: row_item.name.text
  - Seeds: row_item.seeds
edit:
  - name.text
  - seeds
---
question: What is the name of the ${ ordinal(i) } fruit?
fields:
  - Name: fruits[i].name.text
---
question: How many seeds does ${ fruits[i] } have?
fields:
  - Seeds: fruits[i].seeds
    datatype: integer
---
event: fruits.cancel
code: |
  fruits.cancel_add_or_edit()
---
mandatory: True
question: Fruit table
subquestion: |
  ${ fruits.table }

  ${ fruits.add_action(label="Add a fruit") }
"#;

#[test]
fn cancel_add_or_edit_drops_the_pending_add_or_edit() {
    let iv = compile(CANCEL);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = common::submit(&iv, &mut st, &s, &[("fruits[0].name.text", "apple")]);
    let s = common::submit(&iv, &mut st, &s, &[("fruits[0].seeds", "4")]);
    let s = common::submit(&iv, &mut st, &s, &[("fruits.there_is_another", "False")]);
    assert_eq!(s.question_text, "Fruit table");
    // adding, then cancelling: the new incomplete item goes
    let add = links(&page(&s))
        .into_iter()
        .find(|(t, _)| t.contains("Add a fruit"))
        .map(|(_, a)| a)
        .unwrap();
    let s = act(&iv, &mut st, add);
    assert_eq!(s.question_text, "What is the name of the second fruit?");
    let s = act(&iv, &mut st, common::named("fruits.cancel"));
    assert_eq!(s.question_text, "Fruit table", "{s:?}");
    assert!(!page(&s).contains("n/a"), "{}", page(&s));
    // editing, then cancelling half way: the rest of the edit is not asked
    let edit = links(&page(&s))
        .into_iter()
        .find(|(t, _)| t == "Edit")
        .map(|(_, a)| a)
        .unwrap();
    let s = act(&iv, &mut st, edit);
    assert_eq!(s.question_text, "What is the name of the first fruit?");
    let s = common::submit(&iv, &mut st, &s, &[("fruits[0].name.text", "apple")]);
    assert_eq!(s.question_text, "How many seeds does apple have?");
    let s = act(&iv, &mut st, common::named("fruits.cancel"));
    assert_eq!(s.question_text, "Fruit table", "{s:?}");
}

const NAMED_BEFORE_ITS_ROWS: &str = r#"
objects:
  - fruit: DAList.using(object_type=Thing)
---
mandatory: True
code: |
  fruit.table
  fruit.appendObject()
  fruit[-1].name.text = "Apple"
  fruit.appendObject()
  fruit[-1].name.text = "Pear"
  fruit.gathered = True
---
mandatory: True
question: Fruit
subquestion: |
  ${ fruit.table }
---
table: fruit.table
rows: fruit
columns:
  - Name: row_item.name.text
"#;

#[test]
fn a_table_named_before_its_rows_can_be_read_is_built_when_shown() {
    // docassemble's tables are lazy: naming one does not gather its rows
    let iv = compile(NAMED_BEFORE_ITS_ROWS);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Fruit", "{s:?}");
    let html = page(&s);
    assert!(html.contains("Apple") && html.contains("Pear"), "{html}");
}

const FRUIT_REORDER: &str = r#"
objects:
  - fruit: DAList.using(object_type=Thing, there_are_any=True)
---
mandatory: True
code: |
  for n, (name, seeds) in enumerate([('Apple', 5), ('Banana', 0), ('Cherry', 1)]):
    fruit[n].name.text = name
    fruit[n].seeds = seeds
  fruit.there_is_another = False
---
question: Information about fruit
subquestion: |
  ${ fruit_table }
field: table_edited
---
mandatory: True
code: |
  table_edited
---
mandatory: True
question: All done
subquestion: |
  ${ fruit } (${ fruit[0].instanceName }, ${ fruit[2].instanceName })

  ${ fruit_table.show(editable=False) }
---
table: fruit_table
rows: fruit
columns:
  - Fruit Name: row_item.name
  - Seeds: row_item.seeds
edit:
  - name.text
allow reordering: True
"#;

#[test]
fn allow_reordering_draws_up_and_down_buttons_and_order_changes_move_the_items() {
    let iv = compile(FRUIT_REORDER);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let html = page(&s);
    let table = engine::run::encode_name("fruit");
    // one pair of buttons per row, naming the list and the row's index
    for i in 0..3 {
        assert!(
            html.contains(&format!(
                "class=\"btn btn-sm btn-info btn-darevisit datableup\" data-tablename=\"{table}\" data-tableitem=\"{i}\""
            )),
            "{html}"
        );
    }
    assert_eq!(html.matches("databledown").count(), 3, "{html}");
    // The user moved Cherry to the top: the rows are now 2, 0, 1.
    let moves = format!("{{\"{table}\": [[2, 0], [0, 1], [1, 2]]}}");
    let s = common::submit(
        &iv,
        &mut st,
        &s,
        &[("table_edited", "True"), ("_order_changes", &moves)],
    );
    assert_eq!(s.question_text, "All done");
    let done = page(&s);
    assert!(
        done.contains("Cherry, Apple, and Banana (fruit[0], fruit[2])"),
        "{done}"
    );
    assert!(!done.contains("datableup"), "{done}");
}

#[test]
fn order_changes_that_are_not_moves_of_a_list_are_refused_and_change_nothing() {
    let iv = compile(FRUIT_REORDER);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let before = st.clone();
    let not_a_list = format!(
        "{{\"{}\": [[1, 0]]}}",
        engine::run::encode_name("table_edited")
    );
    for bad in ["{not json", "[[1, 0]]", not_a_list.as_str()] {
        let sub = engine::run::Submission {
            question_name: Some(s.question_name.clone()),
            values: vec![
                ("table_edited".into(), "True".into()),
                ("_order_changes".into(), bad.into()),
            ],
            ..Default::default()
        };
        let r = engine::run::Engine::new(&iv, &common::host()).answer(&mut st, &sub);
        assert!(
            matches!(r, Err(engine::run::RunError::BadRequest(_))),
            "{bad}: {r:?}"
        );
        assert_eq!(
            st.to_bytes().unwrap(),
            before.to_bytes().unwrap(),
            "{bad} changed the session"
        );
    }
}
