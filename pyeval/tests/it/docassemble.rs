//! docassemble semantics: the Needs signal, paths from objects, the host interface (a mini
//! DAList / Individual), `defined`/`showifdef`/`value`, serde round-trips and sandbox limits.

#![cfg(feature = "parser")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use pyeval::{
    Args, Flow, Host, Interp, LimitKind, Limits, NeedsVar, NoHost, ObjId, Path, PyResult, State,
    Value, compile_block, compile_expr,
};

/// A tiny docassemble-like host: `DAList` (elements list + gathering gate), `Individual`
/// (auto-created `name` of class `IndividualName` with `full()` and `__str__`), and
/// `comma_and_list()`.
struct Mini;

fn list_elements(cx: &mut Interp<'_>, obj: ObjId) -> PyResult<Value> {
    cx.get_attr(&Value::Ref(obj), "elements")
}

/// docassemble's gather gate: iteration/len/str need `there_are_any` (then `gathered`).
fn gate(cx: &mut Interp<'_>, obj: ObjId) -> PyResult<()> {
    let me = Value::Ref(obj);
    if cx.heap().attr(obj, "gathered").is_some() {
        return Ok(());
    }
    let any = cx.get_attr(&me, "there_are_any")?;
    if cx.truthy(&any)? {
        let _gathered = cx.get_attr(&me, "gathered")?;
    }
    Ok(())
}

impl Host for Mini {
    fn lookup_global(&self, name: &str) -> Option<Value> {
        match name {
            "DAList" | "Individual" | "IndividualName" | "Person" | "DAObject" => {
                Some(Value::Class(Arc::from(name)))
            }
            "comma_and_list" => Some(Value::HostFn(Arc::from(name))),
            _ => None,
        }
    }
    fn class_parent(&self, class: &str) -> Option<Arc<str>> {
        match class {
            "Individual" => Some(Arc::from("Person")),
            "Person" | "DAList" | "IndividualName" => Some(Arc::from("DAObject")),
            _ => None,
        }
    }
    fn call_function(&self, cx: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
        assert_eq!(name, "comma_and_list");
        let items = cx.collect(&args.pos[0])?;
        let mut strs = Vec::new();
        for i in &items {
            strs.push(cx.to_str(i)?);
        }
        let s = match strs.len() {
            0 => String::new(),
            1 => strs[0].clone(),
            n => format!("{} and {}", strs[..n - 1].join(", "), strs[n - 1]),
        };
        Ok(Value::Str(Arc::from(s)))
    }
    fn construct(&self, cx: &mut Interp<'_>, class: &str, args: Args) -> PyResult<Value> {
        let path = match args.pos.first() {
            Some(Value::Str(s)) => {
                Some(Path::parse(s).map_err(|e| Flow::raise("ValueError", e.0))?)
            }
            _ => None,
        };
        let id = cx.heap_mut().new_instance(class, path.clone());
        if class == "DAList" {
            let el = cx.heap_mut().new_list(Vec::new());
            cx.heap_mut().set_path(el.as_ref_id().unwrap(), path);
            cx.heap_mut().set_attr(id, "elements", el);
        }
        for (k, v) in args.kw {
            cx.heap_mut().set_attr(id, &k, v);
        }
        Ok(Value::Ref(id))
    }
    fn call_method(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        name: &str,
        args: Args,
    ) -> PyResult<Option<Value>> {
        match (class, name) {
            ("DAList", "append") => {
                let el = list_elements(cx, obj)?;
                cx.call_method(&el, "append", args).map(Some)
            }
            ("DAList", "number") => {
                gate(cx, obj)?;
                let el = list_elements(cx, obj)?;
                Ok(Some(Value::Int(cx.len(&el)?)))
            }
            ("IndividualName", "full") => {
                let me = Value::Ref(obj);
                let first = cx.get_attr(&me, "first")?;
                let last = cx.get_attr(&me, "last")?;
                Ok(Some(Value::Str(Arc::from(format!(
                    "{} {}",
                    cx.to_str(&first)?,
                    cx.to_str(&last)?
                )))))
            }
            _ => Ok(None),
        }
    }
    fn call_class_method(
        &self,
        cx: &mut Interp<'_>,
        class: &str,
        name: &str,
        args: Args,
    ) -> PyResult<Option<Value>> {
        if name != "using" {
            return Ok(None);
        }
        // a "class with parameters" descriptor, as docassemble's `.using()` returns
        let id = cx.heap_mut().new_instance("ClassSpec", None);
        cx.heap_mut().set_attr(id, "base", Value::str(class));
        for (k, v) in args.kw {
            cx.heap_mut().set_attr(id, &k, v);
        }
        Ok(Some(Value::Ref(id)))
    }
    fn missing_attr(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        if class == "Individual" && name == "name" {
            let path = cx.heap().path(obj).map(|p| p.attr("name"));
            let n = cx.heap_mut().new_instance("IndividualName", path);
            cx.heap_mut().set_attr(obj, "name", Value::Ref(n));
            return Ok(Some(Value::Ref(n)));
        }
        Ok(None)
    }
    fn to_str(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<String>> {
        match class {
            "IndividualName" => {
                let first = cx.get_attr(&Value::Ref(obj), "first")?;
                Ok(Some(cx.to_str(&first)?))
            }
            "Individual" => {
                let name = cx.get_attr(&Value::Ref(obj), "name")?;
                Ok(Some(cx.to_str(&name)?))
            }
            "DAList" => {
                gate(cx, obj)?;
                let el = list_elements(cx, obj)?;
                match self.call_function(cx, "comma_and_list", Args::new(vec![el]))? {
                    Value::Str(s) => Ok(Some(s.to_string())),
                    _ => Ok(None),
                }
            }
            _ => Ok(None),
        }
    }
    fn truthy(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<bool>> {
        if class != "DAList" {
            return Ok(None);
        }
        gate(cx, obj)?;
        let el = list_elements(cx, obj)?;
        Ok(Some(cx.truthy(&el)?))
    }
    fn len(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<i64>> {
        if class != "DAList" {
            return Ok(None);
        }
        gate(cx, obj)?;
        let el = list_elements(cx, obj)?;
        Ok(Some(cx.len(&el)?))
    }
    fn iter(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<Vec<Value>>> {
        if class != "DAList" {
            return Ok(None);
        }
        gate(cx, obj)?;
        let el = list_elements(cx, obj)?;
        Ok(Some(cx.collect(&el)?))
    }
    fn get_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
    ) -> PyResult<Option<Value>> {
        if class != "DAList" {
            return Ok(None);
        }
        let el = list_elements(cx, obj)?;
        cx.get_item(&el, key).map(Some)
    }
    fn set_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
        value: &Value,
    ) -> PyResult<bool> {
        if class != "DAList" {
            return Ok(false);
        }
        let el = list_elements(cx, obj)?;
        cx.set_item(&el, key, value.clone())?;
        Ok(true)
    }
    fn today(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
    }
}

fn exec(st: &mut State, src: &str) -> PyResult<()> {
    let b = compile_block(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    pyeval::exec_block(&b, st, &Mini, &Limits::default())
}

fn eval(st: &mut State, src: &str) -> PyResult<Value> {
    let e = compile_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    pyeval::eval_expr(&e, st, &Mini, &Limits::default())
}

fn needs(r: PyResult<impl std::fmt::Debug>) -> (String, String) {
    match r {
        Err(Flow::Needs(n)) => (n.missing.to_string(), n.wanted.to_string()),
        other => panic!("expected Needs, got {other:?}"),
    }
}

fn s(st: &mut State, src: &str) -> String {
    let v = eval(st, src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let mut it = Interp::new(st, &Mini, &Limits::default());
    it.to_str(&v).unwrap()
}

#[test]
fn undefined_global_and_wanted_tail() {
    let mut st = State::new();
    assert_eq!(needs(eval(&mut st, "x + 1")), ("x".into(), "x".into()));
    assert_eq!(
        needs(eval(&mut st, "user.address.city")),
        ("user".into(), "user.address.city".into())
    );
    exec(&mut st, "user = Individual()").unwrap();
    assert_eq!(
        needs(eval(&mut st, "user.address.city == 'X'")),
        ("user.address".into(), "user.address.city".into())
    );
    assert_eq!(
        needs(eval(&mut st, "user.income['wages'][0]")),
        ("user.income".into(), "user.income['wages'][0]".into())
    );
    // a call closes the chain: the tail of f(x).y is not part of x
    assert_eq!(
        needs(eval(&mut st, "str(user.spouse).upper")),
        ("user.spouse".into(), "user.spouse".into())
    );
}

#[test]
fn paths_come_from_objects() {
    let mut st = State::new();
    exec(&mut st, "user = Individual()\nu = user").unwrap();
    assert_eq!(needs(eval(&mut st, "u.spouse")).0, "user.spouse");
    exec(&mut st, "children = DAList('children', there_are_any=True, gathered=True)\nchildren.append(Individual())\nchildren.append(Individual())").unwrap();
    exec(&mut st, "children[0].age = 7").unwrap();
    let r = exec(&mut st, "total = 0\nfor c in children:\n    total += c.age");
    assert_eq!(
        needs(r),
        ("children[1].age".into(), "children[1].age".into())
    );
    assert_eq!(
        needs(eval(&mut st, "children[5].name.first")),
        ("children[5]".into(), "children[5].name.first".into())
    );
    // auto-created attribute via the host hook gets its path
    assert_eq!(
        needs(eval(&mut st, "user.name.first")),
        ("user.name.first".into(), "user.name.first".into())
    );
    // index variables report their value
    exec(&mut st, "i = 0").unwrap();
    assert_eq!(
        needs(eval(&mut st, "children[i].name.last")).0,
        "children[0].name.last"
    );
}

#[test]
fn short_circuit_and_try_catches_needs_as_docassemble_does() {
    let mut st = State::new();
    exec(&mut st, "user = Individual(age=30)").unwrap();
    assert_eq!(
        eval(&mut st, "user.age > 50 and user.missing").unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        eval(&mut st, "user.age or user.missing").unwrap(),
        Value::Int(30)
    );
    // docassemble's "needs" is a NameError / DAAttributeError / DAIndexError: the interview's
    // own `except` catches it (and then no question is asked)
    exec(
        &mut st,
        "try:\n    y = undefined_thing\nexcept Exception:\n    y = 1",
    )
    .unwrap();
    assert_eq!(st.get("y"), Some(&Value::Int(1)));
    exec(
        &mut st,
        "try:\n    y = user.nope\nexcept AttributeError as e:\n    y = str(e)",
    )
    .unwrap();
    assert_eq!(
        st.get("y"),
        Some(&Value::Str("name 'user.nope' is not defined".into()))
    );
    exec(&mut st, "try:\n    y = nope\nexcept NameError:\n    y = 2").unwrap();
    assert_eq!(st.get("y"), Some(&Value::Int(2)));
    // a handler for another class lets the signal go on
    assert_eq!(
        needs(exec(
            &mut st,
            "try:\n    y = nope\nexcept KeyError:\n    y = 3"
        ))
        .0,
        "nope"
    );
    assert_eq!(
        needs(exec(
            &mut st,
            "try:\n    y = user.nope\nexcept NameError:\n    y = 3"
        ))
        .0,
        "user.nope"
    );
    // partial writes before the Needs are kept (as in docassemble)
    assert_eq!(needs(exec(&mut st, "before = 1\nafter = nope")).0, "nope");
    assert_eq!(st.get("before"), Some(&Value::Int(1)));
    // finally runs on the way out
    let _ = exec(&mut st, "try:\n    z = nope\nfinally:\n    cleaned = True");
    assert_eq!(st.get("cleaned"), Some(&Value::Bool(true)));
    // plain objects without a path raise AttributeError, which is catchable
    exec(
        &mut st,
        "d = {}\ntry:\n    d.x\nexcept AttributeError:\n    caught = 'yes'",
    )
    .unwrap();
    assert_eq!(st.get("caught"), Some(&Value::str("yes")));
}

#[test]
fn gathering_gate_through_host_hooks() {
    let mut st = State::new();
    exec(&mut st, "people = DAList('people')").unwrap();
    assert_eq!(
        needs(eval(&mut st, "'yes' if people else 'no'")).0,
        "people.there_are_any"
    );
    assert_eq!(
        needs(eval(&mut st, "len(people)")).0,
        "people.there_are_any"
    );
    assert_eq!(
        needs(exec(&mut st, "for p in people:\n    pass")).0,
        "people.there_are_any"
    );
    assert_eq!(
        needs(eval(&mut st, "str(people)")).0,
        "people.there_are_any"
    );
    exec(&mut st, "people.there_are_any = True").unwrap();
    assert_eq!(needs(eval(&mut st, "people.number()")).0, "people.gathered");
    exec(&mut st, "people.append(Individual())\npeople[0].name.first = 'Ann'\npeople.append(Individual())\npeople[1].name.first = 'Bob'").unwrap();
    exec(&mut st, "people.gathered = True").unwrap();
    assert_eq!(s(&mut st, "people"), "Ann and Bob");
    assert_eq!(
        s(&mut st, "f'{people} are coming ({len(people)})'"),
        "Ann and Bob are coming (2)"
    );
    assert_eq!(
        s(&mut st, "[p.name.first for p in people]"),
        "['Ann', 'Bob']"
    );
    assert_eq!(
        eval(&mut st, "people[1].name.first").unwrap(),
        Value::str("Bob")
    );
    assert_eq!(
        needs(eval(&mut st, "people[1].name.full()")).0,
        "people[1].name.last"
    );
    exec(&mut st, "people[1].name.last = 'Lee'").unwrap();
    assert_eq!(s(&mut st, "people[1].name.full()"), "Bob Lee");
    assert_eq!(s(&mut st, "comma_and_list(['a', 'b', 'c'])"), "a, b and c");
    assert_eq!(
        eval(&mut st, "isinstance(people[0], DAObject)").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(
        eval(&mut st, "isinstance(people[0], (DAList, Person))").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(
        eval(&mut st, "isinstance(people, Individual)").unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        s(&mut st, "people[0].name.instance_path if False else 'ok'"),
        "ok"
    );
    // instance paths assigned at construction/append
    let id = st.get("people").unwrap().as_ref_id().unwrap();
    let el = st.heap.attr(id, "elements").unwrap().as_ref_id().unwrap();
    let first = st.heap.list(el).unwrap()[0].as_ref_id().unwrap();
    assert_eq!(st.heap.path(first).unwrap().to_string(), "people[0]");
}

#[test]
fn class_methods_go_to_the_host() {
    let mut st = State::new();
    exec(
        &mut st,
        "spec = DAList.using(object_type=Individual, there_are_any=True)",
    )
    .unwrap();
    assert_eq!(
        s(&mut st, "spec.base + ' ' + repr(spec.object_type)"),
        "DAList <class 'Individual'>"
    );
    let r = eval(&mut st, "DAList.nope()");
    assert!(matches!(r, Err(Flow::Raise(e)) if e.kind == "AttributeError"));
}

#[test]
fn defined_showifdef_value() {
    let mut st = State::new();
    exec(
        &mut st,
        "user = Individual()\nuser.name.first = 'Jo'\nxs = [1]",
    )
    .unwrap();
    assert_eq!(
        eval(&mut st, "defined('user.name.first')").unwrap(),
        Value::Bool(true)
    );
    assert_eq!(
        eval(&mut st, "defined('user.name.last')").unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        eval(&mut st, "defined('nobody')").unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        eval(&mut st, "defined('xs[3]')").unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        eval(&mut st, "showifdef('user.name.last')").unwrap(),
        Value::str("")
    );
    assert_eq!(
        eval(&mut st, "showifdef('user.name.first')").unwrap(),
        Value::str("Jo")
    );
    assert_eq!(
        eval(&mut st, "showifdef('user.name.last', 'none')").unwrap(),
        Value::str("none")
    );
    assert_eq!(
        eval(&mut st, "showifdef('xs[3]', alternative=0)").unwrap(),
        Value::Int(0)
    );
    assert_eq!(
        needs(eval(&mut st, "value('user.name.last')")).0,
        "user.name.last"
    );
    exec(&mut st, "i = 0").unwrap();
    assert_eq!(eval(&mut st, "value('xs[i]')").unwrap(), Value::Int(1));
}

#[test]
fn local_overlays_for_index_variables() {
    let mut st = State::new();
    exec(
        &mut st,
        "people = DAList('people', there_are_any=True, gathered=True)\npeople.append(Individual())",
    )
    .unwrap();
    let e = compile_expr("people[i].name.first").unwrap();
    let lim = Limits::default();
    let mut it = Interp::new(&mut st, &Mini, &lim);
    it.push_scope(vec![(Arc::from("i"), Value::Int(0))]);
    let r = it.eval(&e);
    assert_eq!(needs(r).0, "people[0].name.first");
    let b = compile_block("people[i].name.first = 'Zed'\ntmp = 1").unwrap();
    it.exec(&b).unwrap();
    let vars = it.pop_scope();
    assert!(vars.iter().any(|(n, _)| &**n == "tmp"));
    assert_eq!(needs(it.eval(&e)).0, "i");
    drop(it);
    assert_eq!(st.get("tmp"), None);
    assert_eq!(s(&mut st, "people[0].name.first"), "Zed");
}

#[test]
fn define_and_undefine_by_path() {
    let mut st = State::new();
    exec(&mut st, "user = Individual()\ndefine('user.name.first', 'Al')\ndefine('total', 3)\nd = {}\ndefine(\"d['k']\", 1)").unwrap();
    assert_eq!(
        s(&mut st, "(user.name.first, total, d)"),
        "('Al', 3, {'k': 1})"
    );
    exec(&mut st, "undefine('total', 'user.name.first', 'never.was')").unwrap();
    assert_eq!(needs(eval(&mut st, "total")).0, "total");
    assert_eq!(needs(eval(&mut st, "user.name.first")).0, "user.name.first");
    let b = compile_block("define('x.y', 1)").unwrap();
    assert_eq!(
        b.assigns
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec!["x.y"]
    );
}

#[test]
fn del_undefines() {
    let mut st = State::new();
    exec(
        &mut st,
        "user = Individual(age=3)\nx = 1\ndel x\ndel user.age",
    )
    .unwrap();
    assert_eq!(needs(eval(&mut st, "x")).0, "x");
    assert_eq!(needs(eval(&mut st, "user.age")).0, "user.age");
}

#[test]
fn serde_round_trip_preserves_aliasing() {
    let mut st = State::new();
    exec(&mut st, "a = [1]\nb = {'x': a, 'n': float('inf')}\nc = a\nuser = Individual()\nuser.kids = a\nt = (a, 2)\nd = {(1, 'k'): 0.1}").unwrap();
    let json = serde_json::to_string(&st).unwrap();
    let mut back: State = serde_json::from_str(&json).unwrap();
    assert_eq!(back, st);
    exec(&mut back, "c.append(2)").unwrap();
    assert_eq!(
        s(&mut back, "(b['x'], user.kids, t[0], b['n'], d[(1, 'k')])"),
        "([1, 2], [1, 2], [1, 2], inf, 0.1)"
    );
    assert_eq!(s(&mut back, "user.kids is a"), "True");
}

#[test]
fn long_chains_fit_json_nesting_limits() {
    // 300-term concatenation: flattened in the IR, so JSON stays shallow
    let src = format!(
        "s = 'a'{}\nn = 1{}",
        " + 'b'".repeat(300),
        " + 1 - 1".repeat(150)
    );
    let b = compile_block(&src).unwrap();
    let json = serde_json::to_string(&b).unwrap();
    let back: pyeval::Block = serde_json::from_str(&json).unwrap();
    let mut st = State::new();
    pyeval::exec_block(&back, &mut st, &NoHost, &Limits::default()).unwrap();
    assert_eq!(st.get("n"), Some(&Value::Int(1)));
    assert_eq!(st.get("s").and_then(Value::as_str).map(str::len), Some(301));
}

#[test]
fn ir_round_trips_through_json() {
    let src =
        "total = 0\nfor i in range(5):\n    total += i * 1.5\nmsg = f'{total:.1f} {1e308 * 10}'";
    let b = compile_block(src).unwrap();
    let json = serde_json::to_string(&b).unwrap();
    let back: pyeval::Block = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    let mut st = State::new();
    pyeval::exec_block(&back, &mut st, &NoHost, &Limits::default()).unwrap();
    assert_eq!(st.get("msg"), Some(&Value::str("15.0 inf")));
}

#[test]
fn assigns_are_normalised() {
    let b = compile_block(
        "x = 1\nuser.name.first = 'a'\npeople[i].age = 3\nd[\"k\"] = 1\ne['j'][0] = 2\nfor a, (b, *c) in y:\n    z += 1\n\
         try:\n    pass\nexcept ValueError as err:\n    pass\ndef f(q):\n    r = q\n    return r\nif cond:\n    (w := 5)\nm[i + 1] = 0",
    )
    .unwrap();
    let got: Vec<String> = b.assigns.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        vec![
            "x",
            "user.name.first",
            "people[i].age",
            "d['k']",
            "e['j'][0]",
            "a",
            "b",
            "c",
            "z",
            "err",
            "f",
            "r",
            "w"
        ]
    );
    let reads: Vec<String> = b.reads.iter().map(ToString::to_string).collect();
    assert!(
        reads.contains(&"y".to_string()) && reads.contains(&"cond".to_string()),
        "{reads:?}"
    );
    let e = compile_expr(
        "user.name.full() + ' ' + str(len(children)) + f'{x.y}' + ''.join(p.a for p in ps)",
    )
    .unwrap();
    let reads: Vec<String> = pyeval::expr_reads(&e)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(reads, vec!["user.name", "children", "x.y", "ps"]);
}

#[test]
fn limits_are_clean_errors() {
    let mut st = State::new();
    let lim = Limits::default();
    let run = |st: &mut State, src: &str| {
        pyeval::exec_block(&compile_block(src).unwrap(), st, &NoHost, &lim)
    };
    assert_eq!(
        run(&mut st, "s = 'a' * 10**9"),
        Err(Flow::Limit(LimitKind::Memory))
    );
    assert_eq!(
        run(&mut st, "s = [0] * 10**9"),
        Err(Flow::Limit(LimitKind::Memory))
    );
    assert_eq!(
        run(&mut st, "s = list(range(10**12))"),
        Err(Flow::Limit(LimitKind::Memory))
    );
    assert_eq!(
        run(&mut st, "s = 'ab'\nwhile True:\n    s = s + s"),
        Err(Flow::Limit(LimitKind::Memory))
    );
    assert_eq!(
        run(&mut st, "while True:\n    pass"),
        Err(Flow::Limit(LimitKind::Fuel))
    );
    assert_eq!(
        run(
            &mut st,
            "try:\n    while True:\n        pass\nexcept:\n    caught = 1"
        ),
        Err(Flow::Limit(LimitKind::Fuel))
    );
    assert_eq!(st.get("caught"), None);
    assert_eq!(
        run(&mut st, "def f(n):\n    return f(n + 1)\nf(0)"),
        Err(Flow::Limit(LimitKind::Depth))
    );
    assert_eq!(
        run(
            &mut st,
            "for i in range(10**12):\n    if i == 3:\n        break"
        ),
        Ok(())
    );
    assert!(compile_block(&format!("x = {}1{}", "(".repeat(1000), ")".repeat(1000))).is_err());
    assert!(compile_block(&"x".repeat(300_000)).is_err());
}

#[test]
fn deep_recursion_is_stack_safe_on_small_stacks() {
    // 2 MiB, like test threads; evaluation depth limits must trigger before the stack overflows
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut st = State::new();
            let lim = Limits::default();
            let deep = format!("x = {}1", "-".repeat(190));
            pyeval::exec_block(&compile_block(&deep).unwrap(), &mut st, &NoHost, &lim).unwrap();
            let rec = "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nx = f(10000)";
            let r = pyeval::exec_block(&compile_block(rec).unwrap(), &mut st, &NoHost, &lim);
            r == Err(Flow::Limit(LimitKind::Depth))
        })
        .unwrap();
    assert!(h.join().unwrap());
}

#[test]
fn host_today_and_print_capture() {
    let mut st = State::new();
    assert_eq!(s(&mut st, "date.today().isoformat()"), "2026-12-01");
    let e = compile_expr("date.today()").unwrap();
    assert!(matches!(
        pyeval::eval_expr(&e, &mut st, &NoHost, &Limits::default()),
        Err(Flow::Raise(_))
    ));
    let b = compile_block("print('a', 1, sep='-')\nprint('b')").unwrap();
    let mut it = Interp::new(&mut st, &NoHost, &Limits::default());
    it.exec(&b).unwrap();
    assert_eq!(it.output(), "a-1\nb\n");
}

#[test]
fn print_without_end_writes_str_and_respects_a_rebound_print() {
    // The direct path for Mako's `print(x, end='')`: `str(x)`, no newline.
    let mut st = State::new();
    let b =
        compile_block("print('a', end='')\nprint(1.5, end='')\nprint([1, 'b'], end='')").unwrap();
    let mut it = Interp::new(&mut st, &NoHost, &Limits::default());
    it.exec(&b).unwrap();
    assert_eq!(it.output(), "a1.5[1, 'b']");
    // A global or a local named `print` is called instead of the builtin.
    let mut st = State::new();
    let b = compile_block(
        "seen = []\ndef print(x, end='!'):\n    seen.append(x + end)\nprint('g', end='')\n\
         def f():\n    print = lambda x, end: seen.append('local ' + x)\n    print('l', end='')\nf()",
    )
    .unwrap();
    let mut it = Interp::new(&mut st, &NoHost, &Limits::default());
    it.exec(&b).unwrap();
    assert_eq!(it.output(), "");
    assert_eq!(s(&mut st, "repr(seen)"), "['g', 'local l']");
}

#[test]
fn needs_var_constructors() {
    let n = NeedsVar::new(Path::name("a").attr("b"));
    assert_eq!(n.wanted, n.missing);
    let f = Flow::needs(Path::parse("x[0]").unwrap());
    assert_eq!(f.to_string(), "needs x[0]");
}

#[test]
fn pathological_nesting_is_bounded() {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let lim = Limits::default();
            let run = |src: &str| {
                let mut st = State::new();
                let r = pyeval::exec_block(&compile_block(src).unwrap(), &mut st, &NoHost, &lim);
                let json = serde_json::to_string(&st).unwrap();
                let _: State = serde_json::from_str(&json).unwrap();
                drop(st);
                format!("{r:?}")
            };
            vec![
                run("t = ()\nfor i in range(100000):\n    t = (t,)"),
                run("f = lambda: 0\nfor i in range(100000):\n    f = (lambda g=f: g)"),
                run("x = 0\nfor i in range(100000):\n    x = list(enumerate([x]))[0]"),
                run("l = []\nfor i in range(100000):\n    l = [l]\ntry:\n    r = repr(l)\nexcept RecursionError:\n    r = 'deep'\nassert r == 'deep'"),
                run("a = []\nb = []\nfor i in range(10000):\n    a = [a]\n    b = [b]\ntry:\n    r = a == b\nexcept RecursionError:\n    r = 'deep'\nassert r == 'deep'"),
                run("x = [1]\nx.append(x)\nassert repr(x) == '[1, [...]]'"),
                run("r = [1, 2, 3][::-9223372036854775808]\nassert r == [3]"),
                run("r = [1, 2, 3][5::9223372036854775807]\nassert r == []"),
                run("round(-9223372036854775808, -1)"),
                run("'a\\tb'.expandtabs(10**12)"),
            ]
        })
        .unwrap();
    let got = h.join().unwrap();
    let want = [
        "Err(Limit(Depth))",
        "Err(Limit(Depth))",
        "Err(Limit(Depth))",
        "Ok(())",
        "Ok(())",
        "Ok(())",
        "Ok(())",
        "Ok(())",
        "OverflowError",
        "Err(Limit(Memory))",
    ];
    for (g, w) in got.iter().zip(want) {
        assert!(g.contains(w), "got {g}, want {w}");
    }
}

#[test]
fn functions_hash_by_identity() {
    let mut st = State::new();
    exec(&mut st, "f = lambda: 1\ng = lambda: 2\nd = {f: 'f', g: 'g'}\nr = (d[f], d[g], len(d), f in {f}, g in {f})").unwrap();
    assert_eq!(s(&mut st, "r"), "('f', 'g', 2, True, False)");
}

#[test]
fn imports_bind_what_the_host_provides_and_refuse_the_rest_when_run() {
    let mut st = State::new();
    // docassemble's modules: their names are the host's globals.
    exec(
        &mut st,
        "from docassemble.base.util import comma_and_list, DAList as L\n\
         import docassemble.base.util\n\
         x = comma_and_list(['a', 'b'])\n\
         y = L",
    )
    .unwrap();
    assert_eq!(s(&mut st, "x"), "a and b");
    assert!(matches!(eval(&mut st, "y"), Ok(Value::Class(c)) if &*c == "DAList"));
    // `import DAList` binds nothing new (the name already finds it); an alias is stored.
    exec(&mut st, "import DAList\nimport DAList as D2").unwrap();
    assert!(matches!(eval(&mut st, "D2"), Ok(Value::Class(c)) if &*c == "DAList"));
    for (src, kind) in [
        ("import random", "ModuleNotFoundError"),
        ("from datetime import date", "ModuleNotFoundError"),
        (
            "from docassemble.base.util import no_such_name",
            "ImportError",
        ),
    ] {
        let r = exec(&mut st, src);
        assert!(
            matches!(&r, Err(Flow::Raise(e)) if e.kind == kind),
            "{src}: {r:?}"
        );
    }
    // The sandbox still holds for the names imports bind.
    assert!(compile_block("import os as __os").is_err());
    assert!(compile_block("from docassemble.base.util import eval").is_err());
    assert!(compile_block("from . import x").is_err());
}

#[test]
fn with_binds_its_value_and_runs_its_body() {
    let mut st = State::new();
    exec(&mut st, "with [1, 2] as y, 3:\n    z = len(y)\n").unwrap();
    assert_eq!(st.get("z"), Some(&Value::Int(2)));
    // a missing name inside is still the Needs signal (an event's `open()` fails only when run)
    assert_eq!(needs(exec(&mut st, "with nope as f:\n    w = 1")).0, "nope");
    assert_eq!(st.get("w"), None);
}
