//! Benchmark: a representative 20-line docassemble-like code block (if/elif/else, for, +=,
//! and/or/not, string concatenation, `.upper()`, `len`, `/`, a list comprehension, an f-string
//! calling a host function). Prints µs per run. `cargo bench -p pyeval --bench block`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use pyeval::{Args, Host, Interp, Limits, PyResult, State, Value};

const BLOCK: &str = r#"
total = 0
names = []
for c in children:
    total += c.age
    names.append(c.name.first)
avg = total / len(children)
if user.age > 65:
    status = 'senior'
elif user.age >= 18 and not user.disqualified:
    status = 'adult'
else:
    status = 'minor'
label = user.name.first.upper() + ' ' + user.name.last
older = [c.name.first for c in children if c.age > 20]
eligible = (user.income < 50000 or len(older) > 1) and status != 'minor'
summary = f"{user.name.first} has {len(children)} children: {comma_and_list(names)}"
ratio = user.income / 12
if eligible:
    note = 'eligible ' + status
else:
    note = 'not eligible'
"#;

struct BenchHost;

impl Host for BenchHost {
    fn lookup_global(&self, name: &str) -> Option<Value> {
        (name == "comma_and_list").then(|| Value::HostFn(Arc::from(name)))
    }
    fn call_function(&self, cx: &mut Interp<'_>, _name: &str, args: Args) -> PyResult<Value> {
        let items = cx.collect(&args.pos[0])?;
        let mut strs = Vec::with_capacity(items.len());
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
}

fn person(st: &mut State, path: pyeval::Path, first: &str, last: &str, age: i64) -> Value {
    let id = st.heap.new_instance("Individual", Some(path.clone()));
    let name = st
        .heap
        .new_instance("IndividualName", Some(path.attr("name")));
    st.heap.set_attr(name, "first", Value::str(first));
    st.heap.set_attr(name, "last", Value::str(last));
    st.heap.set_attr(id, "name", Value::Ref(name));
    st.heap.set_attr(id, "age", Value::Int(age));
    Value::Ref(id)
}

fn state() -> State {
    let mut st = State::new();
    let user = person(&mut st, pyeval::Path::name("user"), "Jane", "Doe", 40);
    let uid = user.as_ref_id().unwrap();
    st.heap.set_attr(uid, "income", Value::Float(42_000.0));
    st.heap.set_attr(uid, "disqualified", Value::Bool(false));
    st.set("user", user);
    let mut kids = Vec::new();
    for (i, (n, a)) in [("Ann", 30), ("Bob", 24), ("Cy", 20)]
        .into_iter()
        .enumerate()
    {
        kids.push(person(
            &mut st,
            pyeval::Path::name("children").index(i as i64),
            n,
            "Doe",
            a,
        ));
    }
    let l = st.heap.new_list(kids);
    st.heap
        .set_path(l.as_ref_id().unwrap(), Some(pyeval::Path::name("children")));
    st.set("children", l);
    st
}

fn main() {
    let lim = Limits::default();
    let block = pyeval::compile_block(BLOCK).unwrap();
    let base = state();
    // check the results once
    let mut st = base.clone();
    pyeval::exec_block(&block, &mut st, &BenchHost, &lim).unwrap();
    assert_eq!(st.get("total"), Some(&Value::Int(74)));
    assert_eq!(st.get("avg"), Some(&Value::Float(74.0 / 3.0)));
    assert_eq!(
        st.get("summary"),
        Some(&Value::str("Jane has 3 children: Ann, Bob and Cy"))
    );
    assert_eq!(st.get("note"), Some(&Value::str("eligible adult")));

    let n: u32 = std::env::var("PYEVAL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    for _ in 0..n {
        let mut st = base.clone();
        pyeval::exec_block(black_box(&block), &mut st, &BenchHost, &lim).unwrap();
        black_box(&st);
    }
    let pre = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);

    // the block is idempotent: re-running it on one state measures evaluation alone
    let mut st = base.clone();
    let t = Instant::now();
    for _ in 0..n {
        pyeval::exec_block(black_box(&block), &mut st, &BenchHost, &lim).unwrap();
    }
    let eval_only = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!("block (20 lines), pre-parsed, same state:        {eval_only:.2} µs/run");
    st.collect_garbage();

    if std::env::var_os("PYEVAL_BENCH_EVAL_ONLY").is_some() {
        println!("block (20 lines), pre-parsed, incl. state clone: {pre:.2} µs/run");
        return;
    }
    let m = 20_000;
    let t = Instant::now();
    for _ in 0..m {
        let b = pyeval::compile_block(black_box(BLOCK)).unwrap();
        let mut st = base.clone();
        pyeval::exec_block(&b, &mut st, &BenchHost, &lim).unwrap();
        black_box(&st);
    }
    let full = t.elapsed().as_secs_f64() * 1e6 / f64::from(m);

    let t = Instant::now();
    for _ in 0..n {
        black_box(base.clone());
    }
    let clone = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);

    println!("block (20 lines), pre-parsed, incl. state clone: {pre:.2} µs/run");
    println!("block (20 lines), parse + lower + eval:          {full:.2} µs/run");
    println!("state clone alone:                               {clone:.2} µs/run");
}
