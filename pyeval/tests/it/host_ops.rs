//! Operator hooks for host instances: `Host::binary_op` (with reflected operands) and
//! `Host::compare` (swapped for reflected comparisons), as used by `==`, `<`, `in`, `sorted`,
//! `list.remove`, `+=` and `sum()`.

#![cfg(feature = "parser")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use pyeval::{
    Args, BinOp, CmpOp, Flow, Host, Interp, Limits, ObjId, PyResult, State, Value, compile_block,
    compile_expr,
};

/// `Money(n)`: value equality, ordering, `Money ± int`, `int + Money` (reflected), `Money -
/// Money` → int. `Plain()` has no hooks (identity equality, no ordering).
struct Mini;

fn amount(cx: &Interp<'_>, v: &Value) -> Option<i64> {
    let id = v.as_ref_id()?;
    let inst = cx.heap().instance(id)?;
    if &*inst.class != "Money" {
        return None;
    }
    inst.attrs.get("amount").and_then(Value::as_int)
}

fn money(cx: &mut Interp<'_>, n: i64) -> Value {
    let id = cx.heap_mut().new_instance("Money", None);
    cx.heap_mut().set_attr(id, "amount", Value::Int(n));
    Value::Ref(id)
}

impl Host for Mini {
    fn lookup_global(&self, name: &str) -> Option<Value> {
        matches!(name, "Money" | "Plain").then(|| Value::Class(Arc::from(name)))
    }
    fn construct(&self, cx: &mut Interp<'_>, class: &str, args: Args) -> PyResult<Value> {
        if class == "Money" {
            let n = args.pos.first().and_then(Value::as_int).unwrap_or(0);
            return Ok(money(cx, n));
        }
        Ok(Value::Ref(cx.heap_mut().new_instance(class, None)))
    }
    fn binary_op(
        &self,
        cx: &mut Interp<'_>,
        op: BinOp,
        obj: ObjId,
        class: &str,
        other: &Value,
        reflected: bool,
    ) -> PyResult<Option<Value>> {
        let Some(me) = amount(cx, &Value::Ref(obj)) else {
            assert_eq!(class, "Plain");
            return Ok(None);
        };
        let them = match (other.as_int(), amount(cx, other)) {
            (Some(n), _) | (None, Some(n)) => n,
            _ => return Ok(None),
        };
        let is_money = amount(cx, other).is_some();
        let (l, r) = if reflected { (them, me) } else { (me, them) };
        Ok(match op {
            BinOp::Add => Some(money(cx, l + r)),
            BinOp::Sub if is_money => Some(Value::Int(l - r)),
            BinOp::Sub => Some(money(cx, l - r)),
            _ => None,
        })
    }
    fn compare(
        &self,
        cx: &mut Interp<'_>,
        op: CmpOp,
        obj: ObjId,
        _class: &str,
        other: &Value,
    ) -> PyResult<Option<bool>> {
        let Some(me) = amount(cx, &Value::Ref(obj)) else {
            return Ok(None);
        };
        let Some(them) = amount(cx, other).or_else(|| other.as_int()) else {
            return Ok(None);
        };
        Ok(Some(match op {
            CmpOp::Eq => me == them,
            CmpOp::Lt => me < them,
            CmpOp::LtE => me <= them,
            CmpOp::Gt => me > them,
            CmpOp::GtE => me >= them,
            _ => unreachable!("compare gets only Eq and orderings, not {op:?}"),
        }))
    }
}

fn eval(src_block: &str, expr: &str) -> Result<Value, Flow> {
    let mut st = State::new();
    let lim = Limits::default();
    pyeval::exec_block(&compile_block(src_block).unwrap(), &mut st, &Mini, &lim)?;
    let e = compile_expr(expr).unwrap();
    let v = pyeval::eval_expr(&e, &mut st, &Mini, &lim)?;
    // make results comparable: Money → its amount
    let mut it = Interp::new(&mut st, &Mini, &lim);
    Ok(match amount(&it, &v) {
        Some(n) => Value::Str(Arc::from(format!("Money({n})"))),
        None => match &v {
            Value::Ref(_) => Value::Str(Arc::from(it.repr(&v).unwrap())),
            _ => v,
        },
    })
}

fn is_true(block: &str, expr: &str) {
    assert_eq!(eval(block, expr).unwrap(), Value::Bool(true), "{expr}");
}

fn type_error(block: &str, expr: &str) -> String {
    match eval(block, expr) {
        Err(Flow::Raise(e)) => {
            assert_eq!(&*e.kind, "TypeError", "{expr}: {e:?}");
            e.message.to_string()
        }
        other => panic!("{expr}: expected TypeError, got {other:?}"),
    }
}

const SETUP: &str = "a = Money(5)\nb = Money(7)\nc = Money(5)\np = Plain()\nq = Plain()";

#[test]
fn comparisons_both_orders() {
    for e in [
        "a == c",
        "not (a != c)",
        "a != b",
        "a < b",
        "a <= c",
        "b > a",
        "b >= b",
        "a < 6",
        "6 > a",
        "4 < a",
        "5 == a",
        "a == 5",
        "4 < a < b < 8",
        "not (a < 5)",
    ] {
        is_true(SETUP, e);
    }
}

#[test]
fn containers_use_the_hook() {
    is_true(SETUP, "c in [b, a]");
    is_true(SETUP, "Money(7) in (a, b)");
    is_true(SETUP, "[a, b].index(Money(7)) == 1");
    is_true(SETUP, "[a, b, c].count(Money(5)) == 2");
    is_true(SETUP, "[a, b] == [Money(5), Money(7)]");
    is_true(SETUP, "(a, 1) < (b, 0)");
    is_true(SETUP, "sorted([b, a, Money(6)]) == [5, 6, 7]");
    is_true(SETUP, "max([a, b, c]) == 7 and min(a, b) == 5");
    is_true(
        "a = Money(5)\nb = Money(7)\nl = [b, a]\nl.remove(Money(5))",
        "l == [7]",
    );
}

#[test]
fn arithmetic_both_orders() {
    assert_eq!(eval(SETUP, "a + 1").unwrap(), Value::str("Money(6)"));
    assert_eq!(eval(SETUP, "1 + a").unwrap(), Value::str("Money(6)"));
    assert_eq!(eval(SETUP, "a + b").unwrap(), Value::str("Money(12)"));
    assert_eq!(eval(SETUP, "10 - a").unwrap(), Value::str("Money(5)"));
    assert_eq!(eval(SETUP, "a - 10").unwrap(), Value::str("Money(-5)"));
    assert_eq!(eval(SETUP, "b - a").unwrap(), Value::Int(2));
    assert_eq!(eval(SETUP, "True + a").unwrap(), Value::str("Money(6)"));
    assert_eq!(
        eval(&format!("{SETUP}\na += 3"), "a").unwrap(),
        Value::str("Money(8)")
    );
    assert_eq!(eval(SETUP, "sum([a, b])").unwrap(), Value::str("Money(12)"));
}

#[test]
fn unsupported_falls_back() {
    // no hook: identity equality, ordering and arithmetic raise TypeError
    is_true(SETUP, "p == p and p != q and not (p == a) and a != p");
    is_true(SETUP, "p in [q, p] and p not in [q]");
    let m = type_error(SETUP, "p < q");
    assert_eq!(
        m,
        "'<' not supported between instances of 'Plain' and 'Plain'"
    );
    let m = type_error(SETUP, "a * 2");
    assert_eq!(m, "unsupported operand type(s) for *: 'Money' and 'int'");
    let m = type_error(SETUP, "p + 1");
    assert_eq!(m, "unsupported operand type(s) for +: 'Plain' and 'int'");
    type_error(SETUP, "a < 'x'");
    // builtin operations are not offered to the host
    is_true("x = [1] + [2]", "x == [1, 2]");
}
