//! Interview-language features end to end on small interviews: `depends on`, `on change`,
//! `reconsider: True`, `reset`, Mako's `loop`, template files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, compile_with, first, host, submit};
use engine::run::{CompiledInterview, Engine, SessionState};
use engine::{FileRef, MemSource};

/// `a` is asked, then asked again on a screen that ends with `changed`.
const CHANGE_A: &str = r#"
question: Change A?
fields:
  - New A: a
    datatype: integer
continue button field: changed
---
question: What is A?
fields:
  - A: a
    datatype: integer
"#;

#[test]
fn depends_on_deletes_dependents_when_the_value_changes() {
    let yaml = format!(
        r#"
mandatory: True
code: |
  c
  changed
---
mandatory: True
question: |
  b=${{ b }} c=${{ c }}
---
question: What is B?
fields:
  - B: b
    datatype: integer
depends on:
  - a
---
code: |
  c = a + b
depends on:
  - a
  - b
---
{CHANGE_A}"#
    );
    let iv = compile(&yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "What is A?");
    let s = submit(&iv, &mut st, &s, &[("a", "2")]);
    assert_eq!(s.question_text, "What is B?");
    let s = submit(&iv, &mut st, &s, &[("b", "3")]);
    assert_eq!(s.question_text, "Change A?");
    // The same value changes nothing.
    let s = submit(&iv, &mut st, &s, &[("a", "2")]);
    assert_eq!(s.question_text, "b=3 c=5");

    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("a", "2")]);
    let s = submit(&iv, &mut st, &s, &[("b", "3")]);
    let s = submit(&iv, &mut st, &s, &[("a", "5")]);
    // `b` depends on `a`: asked again, its old value offered as the default.
    assert_eq!(s.question_text, "What is B?");
    assert_eq!(s.fields[0].default, Some(serde_json::json!(3)));
    let s = submit(&iv, &mut st, &s, &[("b", "4")]);
    assert_eq!(s.question_text, "b=4 c=9");
}

#[test]
fn depends_on_with_index_variables() {
    let yaml = r#"
code: |
  xs = DAList('xs', auto_gather=False, gathered=True)
  xs.appendObject()
  xs.appendObject()
---
mandatory: True
code: |
  xs[1].total
  xs[1].changed
---
mandatory: True
question: |
  total=${ xs[1].total }
---
code: |
  xs[i].total = xs[i].a * 10
depends on:
  - xs[i].a
---
question: Change A?
fields:
  - New A: xs[i].a
    datatype: integer
continue button field: xs[i].changed
---
question: What is A?
fields:
  - A: xs[i].a
    datatype: integer
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("xs[1].a", "1")]);
    assert_eq!(s.question_text, "Change A?");
    let s = submit(&iv, &mut st, &s, &[("xs[1].a", "7")]);
    assert_eq!(s.question_text, "total=70");
}

#[test]
fn on_change_runs_when_the_variable_is_set_and_when_it_changes() {
    let yaml = format!(
        r#"
code: |
  history = []
---
mandatory: True
code: |
  history
  a
  changed
---
mandatory: True
question: |
  history=${{ history }}
---
on change:
  a: |
    history.append(a)
    this_fails_but_is_ignored
---
{CHANGE_A}"#
    );
    let iv = compile(&yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("a", "2")]);
    let s = submit(&iv, &mut st, &s, &[("a", "5")]);
    assert_eq!(s.question_text, "history=[2, 5]");

    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("a", "2")]);
    let s = submit(&iv, &mut st, &s, &[("a", "2")]);
    assert_eq!(s.question_text, "history=[2]");
}

fn reconsidered(modifier: &str) -> String {
    let (reset, reconsider) = match modifier {
        "reset" => ("reset:\n  - total\n---\n", ""),
        "reconsider" => ("", "reconsider: True\n"),
        _ => ("", ""),
    };
    format!(
        r#"{reset}
code: |
  before = total
---
mandatory: True
code: |
  before
  changed
---
mandatory: True
question: |
  ${{ before }} ${{ total }}
---
code: |
  total = a * 2
{reconsider}---
{CHANGE_A}"#
    )
}

#[test]
fn reconsider_true_and_reset_recompute_at_every_request() {
    for (modifier, expected) in [("reconsider", "2 10"), ("reset", "2 10"), ("none", "2 2")] {
        let iv = compile(&reconsidered(modifier));
        let mut st = SessionState::new();
        let s = first(&iv, &mut st);
        let s = submit(&iv, &mut st, &s, &[("a", "1")]);
        let s = submit(&iv, &mut st, &s, &[("a", "5")]);
        assert_eq!(s.question_text, expected, "{modifier}");
    }
}

#[test]
fn mako_loop_context() {
    let yaml = r#"
mandatory: True
question: |
  % for x in ['a', 'b', 'c']:
  % if loop.first:
  F${ loop.index }${ x }
  % elif loop.last:
  L${ loop.index }${ x }${ loop.reverse_index }
  % else:
  ${ 'E' if loop.even else 'O' }${ x }${ loop.cycle('p', 'q') }
  % endif
  % endfor
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "F0a\nObq\nL2c0");
}

#[test]
fn template_content_files_are_read_with_the_interview() {
    let src = MemSource::new()
        .with("dir/notice.md", "Notice for ${ who }.")
        .with("dir/other.md", " More.");
    let yaml = r#"
template: notice
content file:
  - notice.md
  - other.md
---
template: chosen
content file:
  code: which
---
code: |
  who = "Ann"
  which = "other.md"
---
mandatory: True
question: |
  ${ notice } /${ chosen }/
"#;
    let iv = compile_with(&src, yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Notice for Ann. More. / More./");

    let missing = engine::load_str(
        &MemSource::new(),
        &FileRef::Path("dir/test.yml".into()),
        "template: t\ncontent file: nothing.md\n",
    )
    .unwrap_err();
    assert!(missing[0].to_string().contains("nothing.md"), "{missing:?}");
}

#[test]
fn template_files_from_code_in_a_package_are_found_in_its_templates_folder() {
    let src = MemSource::new()
        .with("docassemble.demo:data/templates/a.md", "A file")
        .with("docassemble.demo:data/templates/b.docx", "binary");
    let root = FileRef::package("docassemble.demo:data/questions/q.yml").unwrap();
    let yaml =
        "template: t\ncontent file:\n  code: \"'a.md'\"\n---\nmandatory: True\nquestion: ${ t }\n";
    let iv = engine::load_str(&src, &root, yaml).unwrap();
    assert!(
        iv.template_files
            .contains_key("docassemble.demo:data/templates/a.md")
    );
    assert!(
        !iv.template_files
            .contains_key("docassemble.demo:data/templates/b.docx")
    );
    let iv = CompiledInterview::new(iv).unwrap();
    let mut st = SessionState::new();
    assert_eq!(first(&iv, &mut st).question_text, "A file");
}

#[test]
fn fields_generated_by_code_mix_with_written_fields() {
    let yaml = r#"
mandatory: True
question: |
  ${ a } ${ b } ${ c }
---
question: Several
fields:
  - First: a
  - code: more
---
code: |
  more = [{"label": "Second", "field": "b", "datatype": "integer"}, {"Third": "c", "choices": ["x", "y"]}]
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Several");
    let vars: Vec<_> = s
        .fields
        .iter()
        .map(|f| f.variable_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(vars, ["a", "b", "c"]);
    assert_eq!(s.fields[1].label.as_deref(), Some("Second"));
    assert_eq!(s.fields[1].datatype.as_deref(), Some("integer"));
    assert_eq!(s.fields[2].choices.len(), 2);
    let s = submit(&iv, &mut st, &s, &[("a", "A"), ("b", "2"), ("c", "y")]);
    assert_eq!(s.question_text, "A 2 y");
}

#[test]
fn fields_code_must_give_a_list() {
    let yaml = "mandatory: True\nquestion: Q\nfields:\n  - code: \"'nope'\"\n";
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let e = Engine::new(&iv, &host()).screen(&mut st).unwrap_err();
    assert!(e.to_string().contains("must return a list"), "{e}");
}

#[test]
fn attachments_are_rendered_on_the_screen_and_define_their_variable() {
    let src = MemSource::new().with("dir/body.md", "Dear ${ who },\n\n**Hello**");
    let yaml = r#"
code: |
  who = "Ann"
---
attachment:
  name: Letter to ${ who }
  variable name: letter
  valid formats:
    - html
    - pdf
  content file: body.md
---
mandatory: True
question: Done
subquestion: |
  ${ letter.info['name'] } / ${ letter.info['filename'] }
attachments:
  - name: Notice
    filename: the notice
    description: A *short* notice.
    content: |
      Notice for ${ who }.
"#;
    let iv = compile_with(&src, yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.subquestion_text.as_deref(),
        Some("<p>Letter to Ann / Letter_to_Ann</p>\n")
    );
    assert_eq!(s.attachments.len(), 1);
    let a = &s.attachments[0];
    assert_eq!(a.name, "Notice");
    assert_eq!(a.filename, "the_notice");
    assert_eq!(a.description, "<p>A <em>short</em> notice.</p>\n");
    assert_eq!(a.formats, ["pdf", "rtf"]);
    assert_eq!(a.markdown["pdf"], "Notice for Ann.");
    assert_eq!(a.html.as_deref(), Some("<p>Notice for Ann.</p>\n"));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["attachments"][0]["name"], "Notice");

    let mut st = SessionState::new();
    let yaml2 =
        format!("mandatory: True\ncode: |\n  shown = letter.info['content']['html']\n---\n{yaml}");
    let iv = compile_with(&src, &yaml2);
    first(&iv, &mut st);
    let Some(pyeval::Value::Str(html)) = st.vars.globals.get("shown").cloned() else {
        panic!("no html content");
    };
    assert_eq!(&*html, "<p>Dear Ann,</p>\n<p><strong>Hello</strong></p>\n");
}

const FRUIT: &str = r#"
objects:
  fruit: DAList.using(object_type=Thing, there_are_any=True)
---
mandatory: True
question: |
  ${ fruit.number() } fruit: ${ fruit }
---
question: Tell me about the fruit.
fields:
  - Fruit name: fruit[i].name.text
list collect:
  label: Fruit ${ i + 1 }
---
question: Are there any more fruit?
yesno: fruit.there_is_another
"#;

#[test]
fn list_collect_shows_every_item_and_blank_ones() {
    let iv = compile(FRUIT);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Tell me about the fruit.");
    let lc = s.list_collect.clone().unwrap();
    assert_eq!(
        (lc.list.as_str(), lc.length, lc.is_final),
        ("fruit", 1, true)
    );
    assert_eq!(lc.labels[0], "Fruit 1");
    assert_eq!(s.fields.len(), 1 + engine::run::list_collect::EXTRA_COUNT);
    assert_eq!(
        s.fields[0].variable_name.as_deref(),
        Some("fruit[0].name.text")
    );
    assert_eq!(s.fields[0].collect_type.as_deref(), Some("mid"));
    assert_eq!(
        s.fields[2].variable_name.as_deref(),
        Some("fruit[2].name.text")
    );
    assert_eq!(s.fields[2].collect_type.as_deref(), Some("extra"));
    assert_eq!(s.fields[2].active, Some(false));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["listCollect"]["addAnotherLabel"], "Add another");

    // Two blank items added, the second item deleted; the collection is final.
    let s = submit(
        &iv,
        &mut st,
        &s,
        &[
            ("fruit[0].name.text", "apple"),
            ("fruit[1].name.text", "pear"),
            ("fruit[2].name.text", "plum"),
            ("fruit[3].name.text", ""),
            ("_collect_delete", "[1]"),
        ],
    );
    assert_eq!(s.question_text, "2 fruit: apple and plum");
}

#[test]
fn list_collect_can_be_disabled() {
    let yaml = FRUIT.replace("  label: Fruit ${ i + 1 }", "  enable: False");
    let iv = compile(&yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert!(s.list_collect.is_none());
    assert_eq!(s.fields.len(), 1);
    let s = submit(&iv, &mut st, &s, &[("fruit[0].name.text", "apple")]);
    assert_eq!(s.question_text, "Are there any more fruit?");
}

#[test]
fn templates_and_tables_show_their_content() {
    let yaml = r#"
template: note
subject: A *note*
content: Hello **there**
---
table: tbl
rows: "[1, 2]"
columns:
  - N: row_item
  - Double: row_item * 2
---
mandatory: True
question: |
  ${ note.subject_as_html() }
subquestion: |
  ${ note.show() }|${ note.content_as_html() }

  ${ tbl.show(editable=False) }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "A <em>note</em>");
    let sub = s.subquestion_text.unwrap_or_default();
    assert!(
        sub.contains("Hello <strong>there</strong>|</p><p>Hello <strong>there</strong></p>"),
        "{sub}"
    );
    assert!(
        sub.contains("<td>2</td>") && sub.contains("<td>4</td>"),
        "{sub}"
    );

    // extra names render it again with them; a template from a file cannot take them
    let yaml =
        "template: t\ncontent: x ${ who }\n---\nmandatory: True\nquestion: ${ t.show(who='me') }\n";
    let iv = compile(yaml);
    let mut st = SessionState::new();
    assert_eq!(first(&iv, &mut st).question_text, "x me");
}

#[test]
fn buttons_that_run_code_define_what_the_code_sets() {
    let yaml = r#"
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
question: |
  A ${ car_make } ${ car_model }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "What kind of car do you want?");
    let s = submit(&iv, &mut st, &s, &[("_multiple_choice", "1")]);
    assert_eq!(s.question_text, "A Toyota Camry");
}

#[test]
fn buttons_that_run_code_remember_the_choice_per_index() {
    let yaml = r#"
question: Car ${ i }?
buttons:
  - A:
      code: |
        cars[i] = "A"
  - B:
      code: |
        cars[i] = "B"
---
objects:
  - cars: DAList.using(auto_gather=False)
---
mandatory: True
question: |
  ${ cars[0] }${ cars[1] }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Car 0?");
    let s = submit(&iv, &mut st, &s, &[("_multiple_choice", "1")]);
    assert_eq!(s.question_text, "Car 1?");
    let s = submit(&iv, &mut st, &s, &[("_multiple_choice", "0")]);
    assert_eq!(s.question_text, "BA");
}

#[test]
fn a_button_that_embeds_a_question_asks_it_next() {
    let yaml = r#"
question: What is your favorite color?
buttons:
  - Red:
      question: Dark red or light red?
      field: favorite_color
      buttons:
        - Dark Red
        - Light Red
      validation code: |
        checked = True
  - Green:
      question: Dark green or light green?
      field: favorite_color
      buttons:
        - Dark Green
        - Light Green
---
mandatory: True
question: Your favorite color is ${ favorite_color }.
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "What is your favorite color?");
    let s = submit(&iv, &mut st, &s, &[("_multiple_choice", "1")]);
    assert_eq!(s.question_text, "Dark green or light green?");
    let s = submit(&iv, &mut st, &s, &[("favorite_color", "Light Green")]);
    assert_eq!(s.question_text, "Your favorite color is Light Green.");
    assert!(
        !st.vars.globals.contains_key("checked"),
        "the other button's block ran"
    );
}

#[test]
fn a_mandatory_question_embedding_a_question_is_done_once_that_is_answered() {
    let yaml = r#"
mandatory: True
question: Which of these statements is true?
choices:
  - "I am old-fashioned":
      question: Would you go to the dance?
      yesno: wants_dance
      validation code: |
        checked = True
  - "Neither": continue
---
mandatory: True
question: Done ${ wants_dance }.
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("_multiple_choice", "0")]);
    assert_eq!(s.question_text, "Would you go to the dance?");
    let s = submit(&iv, &mut st, &s, &[("wants_dance", "True")]);
    assert_eq!(s.question_text, "Done True.");
    assert!(
        st.vars.globals.contains_key("checked"),
        "the embedded block's validation code"
    );
}

#[test]
fn usedefs_prefix_the_blocks_texts_with_mako_definitions() {
    let yaml = r#"
def: fruit
mako: |
  <%def name="praise(f)">${ f } are good</%def>
---
mandatory: True
usedefs:
  - fruit
question: |
  ${ praise("Pears") }!
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    assert_eq!(first(&iv, &mut st).question_text, "Pears are good!");

    let src = MemSource::new();
    let bad = "mandatory: True\nusedefs: nothing\nquestion: hi\n";
    let iv = engine::load_str(&src, &FileRef::Path("t.yml".into()), bad).unwrap();
    let e = CompiledInterview::new(iv).unwrap_err();
    assert!(e[0].to_string().contains("nothing"), "{e:?}");
}

#[test]
fn table_columns_may_give_header_and_cell() {
    let yaml = r#"
code: |
  thing = "Fruit"
---
table: tbl
rows: "['apple']"
columns:
  - header: |
      ${ thing } Name
    cell: |
      row_item.upper()
  - Length: len(row_item)
---
mandatory: True
question: Table
subquestion: |
  ${ tbl }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let sub = first(&iv, &mut st).subquestion_text.unwrap_or_default();
    assert!(sub.contains("<th>Fruit Name</th><th>Length</th>"), "{sub}");
    assert!(sub.contains("<td>APPLE</td><td>5</td>"), "{sub}");
}

#[test]
fn list_collect_of_texts_shows_the_item_asked() {
    let yaml = r#"
objects:
  fruit: DAList.using(there_are_any=True)
---
mandatory: True
code: |
  fruit[0] = "apple"
  fruit.there_is_another = True
---
question: Tell me about the fruit.
fields:
  - Fruit name: fruit[i]
list collect: True
---
mandatory: True
question: |
  ${ fruit }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let lc = s.list_collect.clone().unwrap();
    assert_eq!(lc.length, 2);
    assert_eq!(s.fields[1].variable_name.as_deref(), Some("fruit[1]"));
    assert_eq!(s.fields[1].collect_type.as_deref(), Some("mid"));
    let s = submit(
        &iv,
        &mut st,
        &s,
        &[("fruit[0]", "apple"), ("fruit[1]", "pear")],
    );
    assert_eq!(s.question_text, "apple and pear");
}

#[test]
fn a_lone_field_on_review_and_fields_questions_is_their_continue_button_field() {
    let yaml = r#"
question: Review
review:
  - Edit: a
    button: A is ${ a }
field: reviewed
---
question: Fields
fields:
  - B: b
field: b_done
---
mandatory: True
code: |
  a = 1
  reviewed
  b_done
---
mandatory: True
question: Done ${ b }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Review");
    assert_eq!(s.question_variable_name.as_deref(), Some("reviewed"));
    let s = submit(&iv, &mut st, &s, &[("reviewed", "True")]);
    assert_eq!(s.question_variable_name.as_deref(), Some("b_done"));
    let s = submit(&iv, &mut st, &s, &[("b", "x"), ("b_done", "True")]);
    assert_eq!(s.question_text, "Done x");
}

#[test]
fn show_if_may_name_one_checkbox_of_the_screen() {
    let yaml = r#"
question: Info
fields:
  - Varieties: liked
    datatype: checkboxes
    choices:
      - Fuji
      - Gala
  - Why Fuji?: reason
    show if: liked['Fuji']
---
mandatory: True
question: |
  ${ liked['Fuji'] } ${ defined('reason') }
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.fields[1].show_if_var.as_deref(), Some("liked['Fuji']"));
    let s2 = submit(&iv, &mut st, &s, &[("liked['Gala']", "True")]);
    assert_eq!(s2.question_text, "False False");
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let s2 = submit(
        &iv,
        &mut st,
        &s,
        &[("liked['Fuji']", "True"), ("reason", "tasty")],
    );
    assert_eq!(s2.question_text, "True True");
}

#[test]
fn message_screens_get_docassemble_s_exit_leave_and_restart_buttons() {
    let labels = |yaml: &str| {
        let iv = compile(yaml);
        let mut st = SessionState::new();
        let s = first(&iv, &mut st);
        s.fields
            .iter()
            .flat_map(|f| f.choices.iter())
            .map(|c| (c.label.clone(), c.command.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let pair = |l: &str, c: &str| (l.to_string(), c.to_string());
    assert_eq!(
        labels("mandatory: True\ncode: |\n  message('Over', 'Bye')\n"),
        vec![pair("Exit", "exit"), pair("Restart", "restart")]
    );
    assert_eq!(
        labels(
            "mandatory: True\ncode: |\n  message('Over', show_leave=True, show_restart=False)\n"
        ),
        vec![pair("Leave", "leave")]
    );
    assert!(labels("mandatory: True\ncode: |\n  message('Over', dead_end=True)\n").is_empty());
}

#[test]
fn as_noun_pluralises_as_noun_plural_does() {
    let yaml = r#"
objects:
  - witness: DAList.using(object_type=Individual, auto_gather=False, gathered=True)
  - car: DAList.using(auto_gather=False, gathered=True)
---
mandatory: True
code: |
  witness.appendObject()
  witness.appendObject()
  car.append("ford", "kia")
---
mandatory: True
question: |
  The ${ witness.as_noun() }, the ${ car.as_noun() }, ${ witness.as_noun(singular=True) }.
"#;
    let iv = compile(yaml);
    let s = first(&iv, &mut SessionState::new());
    // docassemble's noun_plural leaves a singular noun ending in "s" as it is
    assert_eq!(s.question_text, "The witness, the cars, witness.");
}

#[test]
fn session_tags_start_as_the_metadata_tags() {
    let yaml = r#"
metadata:
  tags:
    - apples
    - oranges
---
mandatory: True
code: |
  session_tags().add('grapes')
---
mandatory: True
question: |
  ${ ', '.join(sorted(session_tags())) }
"#;
    let iv = compile(yaml);
    let s = first(&iv, &mut SessionState::new());
    assert_eq!(s.question_text, "apples, grapes, oranges");
}

#[test]
fn redact_hides_text_except_in_an_unredacted_document() {
    let yaml = r#"
mandatory: True
question: SSN ${ redact('123 45') }
attachments:
  - name: Unredacted
    redact: False
    content: |
      SSN ${ redact('123 45') }
  - name: Redacted
    content: |
      SSN ${ redact('123 45') }
"#;
    let iv = compile(yaml);
    let s = first(&iv, &mut SessionState::new());
    assert!(!s.question_text.contains("123"), "{}", s.question_text);
    assert!(s.question_text.contains('\u{2588}'), "{}", s.question_text);
    assert_eq!(s.attachments[0].markdown["pdf"], "SSN 123 45");
    assert_eq!(
        s.attachments[1].markdown["pdf"],
        "SSN [REDACTION_WORD 123][REDACTION_SPACE][REDACTION_WORD 45]"
    );
}

#[test]
fn use_catchall_asks_a_catchall_question_for_an_undefined_variable() {
    let yaml = r#"
features:
  use catchall: True
---
generic object: DACatchAll
question: What is ${ x.object_name() }?
fields:
  - no label: x.value
validation code: |
  define(x.instanceName, x.value)
---
if: |
  x.context == 'float'
generic object: DACatchAll
question: How much is ${ x.object_name() }?
fields:
  - Amount: x.value
    datatype: currency
validation code: |
  define(x.instanceName, x.value)
---
mandatory: True
question: |
  ${ user_name } earns ${ currency(salary) }, ${ 'more' if salary > 10 else 'less' }.
"#;
    let iv = compile(yaml);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "What is user name?");
    let s = submit(&iv, &mut st, &s, &[("user_name.value", "Ann")]);
    assert_eq!(s.question_text, "How much is salary?");
    let s = submit(&iv, &mut st, &s, &[("salary.value", "20")]);
    assert_eq!(s.question_text, "Ann earns $20.00, more.");
}

#[test]
fn without_use_catchall_an_undefined_variable_is_an_error() {
    let iv = compile("mandatory: True\nquestion: ${ user_name }\n");
    let err = Engine::new(&iv, &host())
        .screen(&mut SessionState::new())
        .unwrap_err();
    assert!(err.to_string().contains("'user_name'"), "{err}");
}
