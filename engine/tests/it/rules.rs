//! One test per parsing rule, with small YAML snippets, and the exact error messages.
#![allow(clippy::panic)] // helper functions outside #[test] bodies fail loudly on purpose

use engine::block::field::{Datatype, FieldItem, InputType, NoneOfTheAbove, ShowIf};
use engine::block::{
    AttachmentContent, Attachments, BlockKind, ChoiceAction, Cond, MultipleChoiceStyle,
    QuestionInput, Reconsider, YesNoKind,
};
use engine::source::yaml::Value;
use engine::{Block, FileRef, Interview, MemSource, load, load_str};

fn ok(yaml: &str) -> Interview {
    let src = MemSource::new();
    match load_str(&src, &FileRef::Path("t.yml".into()), yaml) {
        Ok(i) => i,
        Err(errors) => panic!("unexpected errors: {errors:?}"),
    }
}

fn errors(yaml: &str) -> Vec<String> {
    let src = MemSource::new();
    match load_str(&src, &FileRef::Path("t.yml".into()), yaml) {
        Ok(_) => panic!("expected an error"),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

fn one(yaml: &str) -> Block {
    let mut i = ok(yaml);
    assert_eq!(i.blocks.len(), 1, "{:?}", i.blocks);
    i.blocks.remove(0)
}

fn question(b: &Block) -> &engine::block::Question {
    match &b.kind {
        BlockKind::Question(q) => q,
        other => panic!("not a question: {other:?}"),
    }
}

fn fields(b: &Block) -> Vec<&engine::block::Field> {
    match &question(b).input {
        QuestionInput::Fields { items, .. } => items
            .iter()
            .filter_map(|i| match i {
                FieldItem::Field(f) => Some(f.as_ref()),
                FieldItem::Code(_) => None,
            })
            .collect(),
        other => panic!("no fields: {other:?}"),
    }
}

#[test]
fn splits_chunks_and_reports_whole_file_lines() {
    let e = errors("question: one\n---\nquestion: two\n---\nquestion: three\nbogus: 1\n");
    assert_eq!(e, ["t.yml:6: unknown block key 'bogus'"]);
    let i = ok("question: a\n--- \n\n---\nquestion: b\n...\n");
    assert_eq!(i.blocks.len(), 2);
    assert_eq!(i.blocks[1].line, 5);
}

#[test]
fn every_chunk_must_be_a_mapping() {
    assert_eq!(
        errors("question: a\n---\n- just\n- a list\n"),
        ["t.yml:3: a block must be a dictionary (found a list)"]
    );
}

#[test]
fn duplicate_keys_are_errors() {
    let e = errors("question: a\nsubquestion: b\nquestion: c\n");
    assert_eq!(
        e,
        ["t.yml:3: YAML error: found duplicate key 'question' (first given on line 1)"]
    );
}

#[test]
fn top_level_keys_are_lower_cased_nested_keep_case() {
    let b = one("Question: Hi\nFields:\n  - Your Name: name\n");
    let f = fields(&b);
    assert_eq!(f[0].label.as_ref().unwrap().source, "Your Name");
}

#[test]
fn yes_and_no_are_strings() {
    let b = one("question: q\nfields:\n  - A: a\n    required: no\n");
    assert_eq!(
        fields(&b)[0].required,
        Cond::Code(engine::block::Python {
            source: "no".into(),
            line: 4
        })
    );
}

#[test]
fn only_one_directive() {
    assert_eq!(
        errors("question: q\nyesno: a\nfields:\n  - B: b\n"),
        [
            "t.yml:3: a block may have only one of yesno, noyes, yesnomaybe, noyesmaybe, fields, \
             buttons, choices, dropdown, combobox, signature, review (found yesno, fields)"
        ]
    );
}

#[test]
fn a_directive_needs_question() {
    assert_eq!(
        errors("yesno: a\n"),
        ["t.yml:1: a block with 'yesno' must have a 'question'"]
    );
}

#[test]
fn question_and_code_cannot_combine() {
    assert_eq!(
        errors("question: q\ncode: x = 1\n"),
        [
            "t.yml:2: a block can be a question block or a code block, but not both (found \
             question and code)"
        ]
    );
}

#[test]
fn lone_field_is_a_continue_button_field() {
    let b = one("question: q\nfield: seen_intro\n");
    match &question(&b).input {
        QuestionInput::Continue(v) => assert_eq!(v.name, "seen_intro"),
        other => panic!("{other:?}"),
    }
    assert_eq!(b.defines(), ["seen_intro"]);
}

#[test]
fn field_with_buttons_is_multiple_choice() {
    let b = one("question: q\nfield: color\nbuttons:\n  - Red: red\n  - Two: 2\n");
    match &question(&b).input {
        QuestionInput::MultipleChoice {
            style,
            field,
            choices,
            ..
        } => {
            assert_eq!(*style, MultipleChoiceStyle::Buttons);
            assert_eq!(field.as_ref().unwrap().name, "color");
            let ChoiceAction::Value(v) = &choices.items[1].action else {
                panic!()
            };
            assert_eq!(v.0.value, Value::Int(2));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn mandatory_and_initial_placement() {
    assert_eq!(
        errors("features:\n  centered: False\nmandatory: True\n"),
        [
            "t.yml:3: mandatory can only be used on question, code, objects, attachment, data, \
             data from code and objects from file blocks"
        ]
    );
    assert_eq!(
        errors("code: x = 1\nmandatory: True\ninitial: True\n"),
        ["t.yml:3: a block cannot be both mandatory and initial"]
    );
    assert_eq!(
        errors("question: q\ninitial: True\n"),
        ["t.yml:2: only a code block can be marked as initial"]
    );
    let b = one("code: x = 1\ninitial: True\n");
    assert_eq!(b.modifiers.initial, Some(Cond::Const(true)));
}

#[test]
fn event_excludes_inputs() {
    assert_eq!(
        errors("event: e\nquestion: q\nfields:\n  - A: a\n"),
        [
            "t.yml:3: 'event' is for screens that do not gather information; it can only be used \
             with 'buttons' or no other controls (found 'fields')"
        ]
    );
    let b = one("event: show_it\nquestion: Shown\n");
    assert_eq!(b.defines(), ["show_it"]);
}

#[test]
fn metadata_only_with_comment() {
    let b = one("metadata:\n  title: T\ncomment: hi\n");
    assert!(matches!(b.kind, BlockKind::Metadata(_)));
    assert!(!b.in_question_list);
    assert_eq!(
        errors("metadata:\n  title: T\nquestion: q\n"),
        ["t.yml:3: a metadata block may only be combined with comment (found 'question')"]
    );
}

#[test]
fn datatype_normalisation() {
    let b = one(concat!(
        "question: q\nfields:\n",
        "  - A: a\n    datatype: radio\n    choices: [x, y]\n",
        "  - B: b\n    datatype: pulldown\n    choices: [x]\n",
        "  - C: c\n    datatype: mlarea\n",
        "  - D: d\n    datatype: area\n",
        "  - E: e\n    datatype: hidden\n",
    ));
    let f = fields(&b);
    assert_eq!(f[0].input_type, Some(InputType::Radio));
    assert_eq!(f[0].datatype, Datatype::Text);
    assert_eq!(f[1].input_type, Some(InputType::Dropdown));
    assert_eq!(f[2].datatype, Datatype::Ml);
    assert_eq!(f[2].input_type, Some(InputType::Area));
    assert_eq!(f[3].input_type, Some(InputType::Area));
    assert_eq!(f[4].input_type, Some(InputType::Hidden));
    assert_eq!(b.defines(), ["a", "b", "c", "c.text", "d", "e"]);
}

#[test]
fn required_defaults() {
    let b = one(concat!(
        "question: q\nfields:\n",
        "  - A: a\n    datatype: yesno\n",
        "  - B: b\n    datatype: noyeswide\n",
        "  - C: c\n    datatype: range\n    min: 1\n    max: 5\n",
        "  - D: d\n",
        "  - E: e\n    datatype: yesnoradio\n",
    ));
    let req: Vec<_> = fields(&b).iter().map(|f| f.required.clone()).collect();
    assert_eq!(
        req,
        [
            Cond::Const(false),
            Cond::Const(false),
            Cond::Const(false),
            Cond::Const(true),
            Cond::Const(true)
        ]
    );
    assert_eq!(
        errors("question: q\nfields:\n  - C: c\n    datatype: range\n"),
        ["t.yml:3: a field with datatype 'range' must have a 'min' and a 'max'"]
    );
}

#[test]
fn checkboxes_none_of_the_above_defaults() {
    let b = one(concat!(
        "question: q\nfields:\n",
        "  - A: a\n    datatype: checkboxes\n    choices: [x, y]\n",
        "  - B: b\n    datatype: object_radio\n    choices: people\n",
        "  - C: c\n    datatype: checkboxes\n    none of the above: Nothing\n    choices: [x]\n",
    ));
    let f = fields(&b);
    assert_eq!(f[0].none_of_the_above, Some(NoneOfTheAbove::Const(true)));
    assert_eq!(f[0].all_of_the_above, Some(NoneOfTheAbove::Const(false)));
    assert_eq!(f[1].none_of_the_above, Some(NoneOfTheAbove::Const(false)));
    assert_eq!(f[1].object_choices[0].source, "people");
    assert!(matches!(
        f[2].none_of_the_above,
        Some(NoneOfTheAbove::Label(_))
    ));
    assert_eq!(b.defines(), ["a", "a.gathered", "b", "c", "c.gathered"]);
    assert_eq!(
        errors("question: q\nfields:\n  - A: a\n    datatype: checkboxes\n"),
        ["t.yml:3: a multiple choice field (datatype checkboxes) must have 'choices' or 'code'"]
    );
}

/// docassemble's `auto_determine_type` looks at a field's `selections` mapping, not at its
/// values, so a field's choices never change its datatype: it stays text.
#[test]
fn field_choices_do_not_set_the_datatype() {
    let b = one(concat!(
        "question: q\nfields:\n",
        "  - A: a\n    choices:\n      - One: 1\n      - Two: 2\n",
        "  - B: b\n    choices:\n      - Yes: True\n      - No: False\n",
        "  - C: c\n    choices:\n      - Half: 0.5\n      - One: 1\n",
        "  - D: d\n    choices:\n      - One: 1\n      - X: x\n",
    ));
    let t: Vec<_> = fields(&b).iter().map(|f| f.datatype.clone()).collect();
    assert_eq!(
        t,
        [
            Datatype::Text,
            Datatype::Text,
            Datatype::Text,
            Datatype::Text
        ]
    );
}

#[test]
fn field_item_shapes() {
    let b = one(concat!(
        "question: q\nfields:\n",
        "  - label: Name\n    field: user.name\n",
        "  - note: Some **text**\n",
        "  - html: <b>x</b>\n",
        "  - code: make_fields()\n",
        "  - Age: age\n    datatype: integer\n    min: 0\n",
    ));
    let QuestionInput::Fields { items, .. } = &question(&b).input else {
        panic!()
    };
    assert_eq!(items.len(), 5);
    assert!(matches!(&items[3], FieldItem::Code(p) if p.source == "make_fields()"));
    let f = fields(&b);
    assert_eq!(f[0].variable.as_ref().unwrap().name, "user.name");
    assert!(f[1].variable.is_none() && f[1].note.is_some());
    assert_eq!(
        f[3].attributes,
        [(
            "min".to_string(),
            engine::block::Text {
                source: "0".into(),
                line: 10
            }
        )]
    );
    assert_eq!(
        errors("question: q\nfields:\n  - A: a\n    B: b\n"),
        [
            "t.yml:4: field label 'B' overwrites the previous label 'A' (a field item has one \
             'Label: variable' entry; is a modifier misspelled?)"
        ]
    );
    assert_eq!(
        errors("question: q\nfields:\n  - label: A\n"),
        ["t.yml:3: a field item with 'label' must also have a 'field'"]
    );
}

#[test]
fn show_if_forms() {
    let b = one(concat!(
        "question: q\nfields:\n",
        "  - A: a\n    datatype: yesno\n",
        "  - B: b\n    show if: a\n",
        "  - C: c\n    show if:\n      variable: a\n      is: False\n",
        "  - D: d\n    show if:\n      code: x > 1\n",
        "  - E: e\n    js show if: val('a')\n",
    ));
    let f = fields(&b);
    assert!(matches!(&f[1].show_if, Some(ShowIf::Field { variable, .. }) if variable.name == "a"));
    assert!(
        matches!(&f[2].show_if, Some(ShowIf::Field { is, .. }) if is.0.value == Value::Bool(false))
    );
    assert!(matches!(&f[3].show_if, Some(ShowIf::Code(p)) if p.source == "x > 1"));
    assert!(matches!(&f[4].show_if, Some(ShowIf::Js(_))));
}

#[test]
fn choice_list_forms() {
    let b = one(concat!(
        "question: q\nfield: pick\nchoices:\n",
        "  - Bare\n",
        "  - Label: 7\n",
        "  - label: Fancy\n    value: fancy\n    help: Some help\n    show if: ok\n",
        "  - code: more_choices()\n",
    ));
    let QuestionInput::MultipleChoice { choices, .. } = &question(&b).input else {
        panic!()
    };
    let c = &choices.items;
    assert_eq!(c[0].label.as_ref().unwrap().source, "Bare");
    assert!(matches!(&c[1].action, ChoiceAction::Value(v) if v.0.value == Value::Int(7)));
    assert_eq!(c[2].label.as_ref().unwrap().source, "Fancy");
    assert_eq!(c[2].help.as_ref().unwrap().source, "Some help");
    assert_eq!(c[2].show_if.as_ref().unwrap().source, "ok");
    assert!(
        matches!(&c[2].action, ChoiceAction::Value(v) if v.0.value == Value::Str("fancy".into()))
    );
    assert!(choices.has_code());
}

#[test]
fn buttons_special_values_and_embedded_blocks() {
    let i = ok(concat!(
        "question: Done\nbuttons:\n",
        "  - Restart: restart\n",
        "  - Leave: leave\n    url: https://example.com\n",
        "  - Compute:\n      code: answer = 42\n",
        "---\nquestion: next\n",
    ));
    let b = &i.blocks[0];
    let QuestionInput::MultipleChoice { choices, field, .. } = &question(b).input else {
        panic!()
    };
    assert!(field.is_none());
    assert!(matches!(&choices.items[0].action, ChoiceAction::Special(s) if s.command == "restart"));
    assert!(
        matches!(&choices.items[1].action, ChoiceAction::Special(s) if s.command == "leave" && s.url.is_some())
    );
    let ChoiceAction::Block(embedded) = &choices.items[2].action else {
        panic!()
    };
    assert!(embedded.is_code());
    // Special buttons and embedded blocks are numbered before their question.
    assert_eq!(embedded.name, "Question_2");
    assert_eq!(b.name, "Question_3");
    assert_eq!(i.blocks[1].name, "Question_4");
}

#[test]
fn yesno_kinds() {
    let b = one("question: q\nnoyes: user.is_ok\n");
    assert!(matches!(
        &question(&b).input,
        QuestionInput::YesNo { kind: YesNoKind::NoYes, variable } if variable.name == "user.is_ok"
    ));
}

#[test]
fn objects_and_generic_object() {
    let b = one(concat!(
        "objects:\n",
        "  - client: Individual\n",
        "  - people: DAList.using(object_type=Individual, there_are_any=True)\n",
    ));
    let BlockKind::Objects(objs) = &b.kind else {
        panic!()
    };
    assert_eq!(objs[1].class_name(), "DAList");
    assert_eq!(b.defines(), ["client", "people"]);
    let g = one("generic object: Individual\nquestion: Name?\nfields:\n  - First: x.name.first\n");
    assert_eq!(g.modifiers.generic_object.as_deref(), Some("Individual"));
}

#[test]
fn sets_only_sets_and_scan_for_variables() {
    let b = one("code: |\n  foo = 1\nsets: [bar, baz]\n");
    assert_eq!(b.defines(), ["bar", "baz"]);
    let b = one("question: q\nfields:\n  - A: a\nonly sets: z\n");
    assert_eq!(b.defines(), ["z"]);
    let b = one("question: q\nfields:\n  - A: a\nscan for variables: False\nsets: s\n");
    assert_eq!(b.defines(), ["s"]);
}

#[test]
fn need_reconsider_undefine_depends_on_if() {
    let b = one(concat!(
        "code: x = y\n",
        "need:\n  - a\n  - pre: b\n    post: [c, d]\n",
        "reconsider: True\n",
        "undefine: u\n",
        "depends on: [p, q]\n",
        "if: z > 1\n",
    ));
    let m = &b.modifiers;
    assert_eq!(
        m.need
            .pre
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(m.need.post.len(), 2);
    assert_eq!(m.reconsider, Reconsider::All);
    assert_eq!(m.undefine[0].name, "u");
    assert_eq!(m.depends_on.len(), 2);
    assert_eq!(m.condition[0].source, "z > 1");
}

#[test]
fn templates_tables_attachments_define_names() {
    let i = ok(concat!(
        "template: letter\nsubject: Hi\ncontent: Dear ${ name }\n",
        "---\ntable: fruit_table\nrows: fruits\ncolumns:\n  - Name: row_item.name\nedit:\n  - name\n",
        "---\nattachment:\n  name: Doc\n  filename: doc\n  variable name: the_doc\n  content: Hello\n",
        "---\nquestion: Here\nattachments:\n  - name: A\n    docx template file: a.docx\n    variable name: a_doc\n",
    ));
    assert_eq!(i.blocks[0].defines(), ["letter"]);
    assert_eq!(i.blocks[1].defines(), ["fruit_table"]);
    assert_eq!(i.blocks[2].defines(), ["the_doc"]);
    assert!(matches!(i.blocks[2].kind, BlockKind::Attachments(_)));
    let q = question(&i.blocks[3]);
    let Some(Attachments::List(list)) = &q.attachments else {
        panic!()
    };
    assert!(matches!(list[0].content, AttachmentContent::Docx(_)));
    assert_eq!(i.blocks[3].defines(), ["a_doc"]);
    assert_eq!(
        errors("table: t\nrows: r\n"),
        ["t.yml:1: a table block must have 'table', 'rows' and 'columns'"]
    );
}

#[test]
fn review_items() {
    let b = one(concat!(
        "question: Review\nreview:\n",
        "  - Edit: user.name\n    button: Name is ${ user.name }\n",
        "  - note: A note\n",
        "  - Revisit: people.revisit\n    show if: people.number() > 0\n",
        "continue button field: reviewed\n",
    ));
    let QuestionInput::Review {
        items,
        continue_field,
        ..
    } = &question(&b).input
    else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    assert!(items[0].is_button);
    assert_eq!(continue_field.as_ref().unwrap().name, "reviewed");
    assert_eq!(b.defines(), ["reviewed"]);
}

#[test]
fn names_and_numbering() {
    let i = ok(concat!(
        "metadata:\n  title: T\n",
        "---\nid: intro\nquestion: Hello\nfield: seen\n",
        "---\nquestion: Bye\n",
        "---\nfeatures:\n  centered: False\n",
    ));
    let names: Vec<_> = i.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["Block_0", "ID intro", "Question_1", "Block_1"]);
    assert!(i.by_id("intro").is_some());
    assert_eq!(i.questions().count(), 2);
}

#[test]
fn includes_sibling_then_standard_once() {
    let src = MemSource::new()
        .with(
            "dir/main.yml",
            "include:\n  - local.yml\n  - basic.yml\n  - local.yml\n---\nquestion: main\n",
        )
        .with("dir/local.yml", "question: local\n")
        .with(
            "docassemble.base:data/questions/basic.yml",
            "question: basic\n---\ninclude: local2.yml\n",
        )
        .with(
            "docassemble.base:data/questions/local2.yml",
            "question: local2\n",
        );
    let i = load(&src, &FileRef::parse("dir/main.yml")).unwrap();
    let files: Vec<_> = i.files.iter().map(ToString::to_string).collect();
    assert_eq!(
        files,
        [
            "dir/main.yml",
            "dir/local.yml",
            "docassemble.base:data/questions/basic.yml",
            "docassemble.base:data/questions/local2.yml"
        ]
    );
    let texts: Vec<_> = i
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Question(q) => Some(q.question.source.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["local", "basic", "local2", "main"]);
    let err = load(
        &MemSource::new().with("m.yml", "include: missing.yml\n"),
        &FileRef::parse("m.yml"),
    )
    .unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "m.yml:1: an include section could not find the file missing.yml (file not found: \
         docassemble.base:data/questions/missing.yml)"
    );
}

#[test]
fn config_blocks_are_typed() {
    let i = ok(concat!(
        "features:\n  navigation: True\n  progress bar: True\n  javascript: a.js\n",
        "---\nsections:\n  - intro: Introduction\n  - Conclusion\n",
        "---\ninterview help:\n  heading: H\n  content: C\n",
        "---\nimage sets:\n  freepik:\n    attribution: Icon\n    images:\n      baby: baby.svg\n",
        "---\nmodules:\n  - .utils\n",
        "---\ndefault screen parts:\n  under: Footer\n",
        "---\nterms:\n  law: A rule\n",
        "---\norder:\n  - a\n  - b\n",
    ));
    let kinds: Vec<_> = i
        .blocks
        .iter()
        .map(|b| std::mem::discriminant(&b.kind))
        .collect();
    assert_eq!(kinds.len(), 8);
    let BlockKind::Features(f) = &i.blocks[0].kind else {
        panic!()
    };
    assert_eq!(f.progress_bar, Some(true));
    assert_eq!(f.javascript, ["a.js"]);
    let BlockKind::Sections(s) = &i.blocks[1].kind else {
        panic!()
    };
    assert_eq!(s.sections[0].key.as_deref(), Some("intro"));
    let BlockKind::Images(sets) = &i.blocks[3].kind else {
        panic!()
    };
    assert_eq!(
        sets[0].images[0],
        ("baby".to_string(), "baby.svg".to_string())
    );
    assert!(i.blocks[4].in_question_list);
    assert!(!i.blocks[6].in_question_list);
}

#[test]
fn no_block_type() {
    assert_eq!(
        errors("subquestion: hi\n"),
        [
            "t.yml:1: no block type could be determined for this block (keys: subquestion); a \
             block needs e.g. question, code, objects, template or table"
        ]
    );
}

#[test]
fn errors_do_not_stop_other_blocks() {
    let e = errors("bogus: 1\n---\nquestion: ok\n---\nyesno: x\n");
    assert_eq!(e.len(), 2);
}
