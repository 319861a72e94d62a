//! Gathering driven the way the engine drives it: evaluate, and on Needs set the missing
//! variable to a scripted answer and start again from the top.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test helpers fail loudly

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use engine::runtime::{DaHost, RuntimeConfig};
use pyeval::{Flow, Interp, Limits, State, Value};

fn host() -> DaHost {
    let now = NaiveDate::from_ymd_opt(2024, 3, 15)
        .and_then(|d| d.and_hms_opt(10, 30, 0))
        .unwrap();
    DaHost::new(RuntimeConfig::at(now))
}

fn exec(h: &DaHost, st: &mut State, src: &str) -> Result<(), Flow> {
    let b = pyeval::compile_block(src).unwrap();
    Interp::new(st, h, &Limits::default()).exec(&b)
}

fn eval(h: &DaHost, st: &mut State, src: &str) -> Result<Value, Flow> {
    let e = pyeval::compile_expr(src).unwrap();
    Interp::new(st, h, &Limits::default()).eval(&e)
}

/// Evaluates `expr` (a string-valued expression) until it succeeds, answering every Needs from
/// `answers` (a queue per variable). Returns the result and the variables asked, in order.
fn drive(
    h: &DaHost,
    st: &mut State,
    expr: &str,
    answers: &[(&str, &str)],
) -> (String, Vec<String>) {
    let mut queues: HashMap<String, VecDeque<String>> = HashMap::new();
    for (k, v) in answers {
        queues
            .entry((*k).to_string())
            .or_default()
            .push_back((*v).to_string());
    }
    let mut asked = Vec::new();
    for _ in 0..100 {
        h.begin_pass();
        match eval(h, st, expr) {
            Ok(Value::Str(s)) => return (s.to_string(), asked),
            Ok(other) => panic!("not a string: {other:?}"),
            Err(Flow::Needs(n)) => {
                let var = n.missing.to_string();
                let ans = queues
                    .get_mut(&var)
                    .and_then(VecDeque::pop_front)
                    .unwrap_or_else(|| panic!("no answer for {var} (asked so far: {asked:?})"));
                asked.push(var.clone());
                h.begin_pass();
                exec(h, st, &format!("{var} = {ans}")).unwrap();
            }
            Err(e) => panic!("{e:?} (asked so far: {asked:?})"),
        }
    }
    panic!("did not finish: {asked:?}");
}

#[test]
fn list_of_individuals_with_there_is_another() {
    let h = host();
    let mut st = State::new();
    engine::runtime::objects::create_from_source(
        &h,
        &mut Interp::new(&mut st, &h, &Limits::default()),
        "people",
        "DAList.using(object_type=Individual)",
    )
    .unwrap();
    let (out, asked) = drive(
        &h,
        &mut st,
        "str(people)",
        &[
            ("people.there_are_any", "True"),
            ("people[0].name.first", "'Alice'"),
            ("people.there_is_another", "True"),
            ("people[1].name.first", "'Bob'"),
            ("people.there_is_another", "True"),
            ("people[2].name.first", "'Carol'"),
            ("people.there_is_another", "False"),
        ],
    );
    assert_eq!(out, "Alice, Bob, and Carol");
    assert_eq!(
        asked,
        [
            "people.there_are_any",
            "people[0].name.first",
            "people.there_is_another",
            "people[1].name.first",
            "people.there_is_another",
            "people[2].name.first",
            "people.there_is_another",
        ]
    );
    // gathered: no more questions, and the state is on the object
    assert_eq!(
        eval(&h, &mut st, "people.gathered").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(eval(&h, &mut st, "len(people)").unwrap(), Value::Int(3));
    assert_eq!(
        eval(&h, &mut st, "people.number_as_word()").unwrap(),
        Value::str("three")
    );
    assert_eq!(
        eval(&h, &mut st, "people[1].name.full()").unwrap(),
        Value::str("Bob")
    );
    assert_eq!(
        eval(&h, &mut st, "people.possessive('shoes')").unwrap(),
        Value::str("people' shoes")
    );
    assert_eq!(
        eval(&h, &mut st, "people.as_noun()").unwrap(),
        Value::str("people")
    );
    assert_eq!(
        eval(&h, &mut st, "people.does_verb('eat')").unwrap(),
        Value::str("eat")
    );
    assert_eq!(
        eval(&h, &mut st, "', '.join(p.name.first for p in people)").unwrap(),
        Value::str("Alice, Bob, Carol")
    );
    // the instance names are docassemble's
    assert_eq!(
        eval(&h, &mut st, "people[2].name.instanceName").unwrap(),
        Value::str("people[2].name")
    );
}

#[test]
fn there_are_any_false_gives_an_empty_list() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "people = DAList('people', object_type=Individual)",
    )
    .unwrap();
    let (out, asked) = drive(
        &h,
        &mut st,
        "str(len(people))",
        &[("people.there_are_any", "False")],
    );
    assert_eq!(out, "0");
    assert_eq!(asked, ["people.there_are_any"]);
}

#[test]
fn truthiness_and_iteration_trigger_gathering() {
    let h = host();
    let mut st = State::new();
    exec(&h, &mut st, "fruit = DAList('fruit')").unwrap();
    let (out, asked) = drive(
        &h,
        &mut st,
        "'yes: ' + ', '.join(f for f in fruit) if fruit else 'none'",
        &[
            ("fruit.there_are_any", "True"),
            ("fruit[0]", "'apple'"),
            ("fruit.there_is_another", "True"),
            ("fruit[1]", "'pear'"),
            ("fruit.there_is_another", "False"),
        ],
    );
    assert_eq!(out, "yes: apple, pear");
    assert_eq!(
        asked,
        [
            "fruit.there_are_any",
            "fruit[0]",
            "fruit.there_is_another",
            "fruit[1]",
            "fruit.there_is_another"
        ]
    );
    assert_eq!(
        eval(&h, &mut st, "'pear' in fruit").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(
        eval(&h, &mut st, "fruit.comma_and_list()").unwrap(),
        Value::str("apple and pear")
    );
}

#[test]
fn ask_number_uses_target_number() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "kids = DAList.using(object_type=Individual, ask_number=True)('kids')",
    )
    .unwrap_or_else(|_| {
        // DAObjectPlusParameters is not callable in docassemble either; use the constructor.
        exec(
            &h,
            &mut st,
            "kids = DAList('kids', object_type=Individual, ask_number=True)",
        )
        .unwrap();
    });
    let (out, asked) = drive(
        &h,
        &mut st,
        "str(kids)",
        &[
            ("kids.target_number", "2"),
            ("kids[0].name.first", "'Ann'"),
            ("kids[1].name.first", "'Ben'"),
        ],
    );
    assert_eq!(out, "Ann and Ben");
    assert_eq!(
        asked,
        [
            "kids.target_number",
            "kids[0].name.first",
            "kids[1].name.first"
        ]
    );
}

#[test]
fn complete_attribute_is_read_for_each_item() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "people = DAList('people', object_type=Individual, complete_attribute='age')",
    )
    .unwrap();
    let (out, asked) = drive(
        &h,
        &mut st,
        "str(people.number())",
        &[
            ("people.there_are_any", "True"),
            ("people[0].age", "30"),
            ("people.there_is_another", "True"),
            ("people[1].age", "40"),
            ("people.there_is_another", "False"),
        ],
    );
    assert_eq!(out, "2");
    assert_eq!(
        asked,
        [
            "people.there_are_any",
            "people[0].age",
            "people.there_is_another",
            "people[1].age",
            "people.there_is_another"
        ]
    );
    // str() of the list still needs the names
    let (_, asked) = drive(
        &h,
        &mut st,
        "str(people)",
        &[
            ("people[0].name.first", "'A'"),
            ("people[1].name.first", "'B'"),
        ],
    );
    assert_eq!(asked, ["people[0].name.first", "people[1].name.first"]);
    assert_eq!(
        eval(&h, &mut st, "people.complete_elements().number()").unwrap(),
        Value::Int(2)
    );
}

#[test]
fn auto_gather_false_only_reads_gathered() {
    let h = host();
    let mut st = State::new();
    exec(&h, &mut st, "things = DAList('things', auto_gather=False)").unwrap();
    match eval(&h, &mut st, "str(things)") {
        Err(Flow::Needs(n)) => assert_eq!(n.missing.to_string(), "things.gathered"),
        other => panic!("{other:?}"),
    }
    exec(
        &h,
        &mut st,
        "things.append('a')\nthings.append('b')\nthings.gathered = True",
    )
    .unwrap();
    assert_eq!(
        eval(&h, &mut st, "str(things)").unwrap(),
        Value::str("a and b")
    );
}

#[test]
fn dict_gathering_with_new_item_name_and_value() {
    let h = host();
    let mut st = State::new();
    exec(&h, &mut st, "pets = DADict('pets')").unwrap();
    let (out, asked) = drive(
        &h,
        &mut st,
        "str(pets)",
        &[
            ("pets.there_are_any", "True"),
            ("pets.new_item_name", "'dog'"),
            ("pets['dog']", "2"),
            ("pets.there_is_another", "True"),
            ("pets.new_item_name", "'cat'"),
            ("pets['cat']", "1"),
            ("pets.there_is_another", "False"),
        ],
    );
    assert_eq!(out, "cat and dog");
    assert_eq!(
        asked,
        [
            "pets.there_are_any",
            "pets.new_item_name",
            "pets['dog']",
            "pets.there_is_another",
            "pets.new_item_name",
            "pets['cat']",
            "pets.there_is_another",
        ]
    );
    assert_eq!(eval(&h, &mut st, "pets['dog']").unwrap(), Value::Int(2));
    assert_eq!(
        eval(&h, &mut st, "str(pets.keys())").unwrap(),
        Value::str("['cat', 'dog']")
    );
    assert_eq!(eval(&h, &mut st, "len(pets)").unwrap(), Value::Int(2));
}

#[test]
fn dict_of_objects_and_checkbox_values() {
    let h = host();
    let mut st = State::new();
    exec(&h, &mut st, "assets = DADict('assets', object_type=Thing)").unwrap();
    exec(&h, &mut st, "assets.new('house', 'car')").unwrap();
    assert_eq!(
        eval(&h, &mut st, "assets['car'].instanceName").unwrap(),
        Value::str("assets['car']")
    );
    match eval(&h, &mut st, "assets['car'].value") {
        Err(Flow::Needs(n)) => assert_eq!(n.missing.to_string(), "assets['car'].value"),
        other => panic!("{other:?}"),
    }
    {
        let mut cx = Interp::new(&mut st, &h, &Limits::default());
        let d = engine::runtime::objects::new_checkbox_dict(
            &h,
            &mut cx,
            "fruits",
            vec![
                (Value::str("apple"), true),
                (Value::str("pear"), false),
                (Value::str("fig"), true),
            ],
        )
        .unwrap();
        cx.assign_name(&pyeval::Name::from("fruits"), d);
    }
    assert_eq!(
        eval(&h, &mut st, "str(fruits.true_values())").unwrap(),
        Value::str("apple and fig")
    );
    assert_eq!(
        eval(&h, &mut st, "fruits.any_true()").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(
        eval(&h, &mut st, "fruits.all_true('apple', 'fig')").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(
        eval(&h, &mut st, "fruits['pear']").unwrap(),
        Value::Bool(false)
    );
}

#[test]
fn set_gathering_with_new_item() {
    let h = host();
    let mut st = State::new();
    exec(&h, &mut st, "colors = DASet('colors')").unwrap();
    let (out, asked) = drive(
        &h,
        &mut st,
        "str(colors)",
        &[
            ("colors.there_are_any", "True"),
            ("colors.new_item", "'red'"),
            ("colors.there_is_another", "True"),
            ("colors.new_item", "'blue'"),
            ("colors.there_is_another", "False"),
        ],
    );
    assert_eq!(out, "blue and red");
    assert_eq!(asked.len(), 5);
}

#[test]
fn defined_only_probes_and_makes_no_item() {
    // docassemble's defined()/showifdef() look in `elements`: a dict with an object_type
    // (whose `d[key]` would make the item) and an ungathered list say "not defined".
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "things = DADict('things', object_type=Thing)\nthings.initialize_object('first')\nthings['first'].name.text = 'One'\npeople = DAList('people')",
    )
    .unwrap();
    let ask = |st: &mut State, src: &str| eval(&h, st, src).unwrap();
    assert_eq!(
        ask(&mut st, "defined(\"things['first']\")"),
        Value::Bool(true)
    );
    assert_eq!(
        ask(&mut st, "defined(\"things['third']\")"),
        Value::Bool(false)
    );
    assert_eq!(
        ask(&mut st, "defined(\"things['third'].name.text\")"),
        Value::Bool(false)
    );
    assert_eq!(
        ask(&mut st, "showifdef(\"things['third']\", 'Ok')"),
        Value::str("Ok")
    );
    assert_eq!(ask(&mut st, "defined('people[0]')"), Value::Bool(false));
    assert_eq!(
        ask(&mut st, "str(showifdef(\"things['first']\"))"),
        Value::str("One")
    );
}
