//! Operators with Python semantics: arithmetic (floor division/modulo signs, true division,
//! checked 64-bit ints), sequence concatenation/repetition, equality across int/float/decimal,
//! ordering and set algebra.

use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::error::{Flow, PyResult, overflow, type_err, value_err, zero_div};
use crate::eval::Interp;
use crate::eval::protocol_type_name as tn;
use crate::heap::{ObjKind, Set};
use crate::ir::{BinOp, CmpOp};
use crate::value::{Key, Value};

/// Python's floor division for ints.
pub fn int_floordiv(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(zero_div("integer division or modulo by zero"));
    }
    let q = a.checked_div(b).ok_or_else(overflow)?;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        Ok(q - 1)
    } else {
        Ok(q)
    }
}

/// Python's modulo for ints (sign of the divisor).
pub fn int_mod(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(zero_div("integer modulo by zero"));
    }
    let r = a.checked_rem(b).unwrap_or(0);
    if r != 0 && ((r < 0) != (b < 0)) {
        Ok(r + b)
    } else {
        Ok(r)
    }
}

/// CPython's `float_divmod`.
pub fn float_divmod(vx: f64, wx: f64) -> PyResult<(f64, f64)> {
    if wx == 0.0 {
        return Err(zero_div("float divmod()"));
    }
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    Ok((floordiv, m))
}

/// Integer power (non-negative exponent), checked.
pub fn int_pow(a: i64, b: i64) -> PyResult<i64> {
    let e = u32::try_from(b).map_err(|_| overflow())?;
    a.checked_pow(e).ok_or_else(overflow)
}

#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
    D(Decimal),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::I(*i)),
        Value::Bool(b) => Some(Num::I(i64::from(*b))),
        Value::Float(f) => Some(Num::F(*f)),
        Value::Decimal(d) => Some(Num::D(*d)),
        _ => None,
    }
}

#[allow(clippy::cast_precision_loss)]
fn to_f(n: Num) -> f64 {
    match n {
        Num::I(i) => i as f64,
        Num::F(f) => f,
        Num::D(d) => d.to_f64().unwrap_or(f64::NAN),
    }
}

fn unsupported(op: &str, a: &Value, b: &Value, it: &Interp<'_>) -> Flow {
    let (ta, tb) = (tn(a, it.heap()), tn(b, it.heap()));
    if op == "+" && matches!(ta.as_str(), "str" | "list" | "tuple") {
        return type_err(format!("can only concatenate {ta} (not \"{tb}\") to {ta}"));
    }
    if op == "*" && matches!(ta.as_str(), "str" | "list" | "tuple") {
        return type_err(format!("can't multiply sequence by non-int of type '{tb}'"));
    }
    if op == "*" && matches!(tb.as_str(), "str" | "list" | "tuple") {
        return type_err(format!("can't multiply sequence by non-int of type '{ta}'"));
    }
    type_err(format!(
        "unsupported operand type(s) for {op}: '{}' and '{}'",
        tn(a, it.heap()),
        tn(b, it.heap())
    ))
}

fn dec_err(_: rust_decimal::Error) -> Flow {
    Flow::raise("OverflowError", "decimal overflow")
}

fn numeric(op: BinOp, x: Num, y: Num) -> PyResult<Value> {
    use Num::*;
    match (x, y) {
        (I(a), I(b)) => int_op(op, a, b),
        (D(a), D(b)) => dec_op(op, a, b),
        (D(a), I(b)) => dec_op(op, a, Decimal::from(b)),
        (I(a), D(b)) => dec_op(op, Decimal::from(a), b),
        (D(_), F(_)) | (F(_), D(_)) => Err(type_err(format!(
            "unsupported operand type(s) for {}: 'decimal.Decimal' and 'float'",
            op.symbol()
        ))),
        _ => float_op(op, to_f(x), to_f(y)),
    }
}

fn int_op(op: BinOp, a: i64, b: i64) -> PyResult<Value> {
    Ok(Value::Int(match op {
        BinOp::Add => a.checked_add(b).ok_or_else(overflow)?,
        BinOp::Sub => a.checked_sub(b).ok_or_else(overflow)?,
        BinOp::Mul => a.checked_mul(b).ok_or_else(overflow)?,
        BinOp::Div => {
            if b == 0 {
                return Err(zero_div("division by zero"));
            }
            #[allow(clippy::cast_precision_loss)]
            return Ok(Value::Float(a as f64 / b as f64));
        }
        BinOp::FloorDiv => int_floordiv(a, b)?,
        BinOp::Mod => int_mod(a, b)?,
        BinOp::Pow => {
            if b < 0 {
                if a == 0 {
                    return Err(zero_div("0.0 cannot be raised to a negative power"));
                }
                #[allow(clippy::cast_precision_loss)]
                return Ok(Value::Float((a as f64).powf(b as f64)));
            }
            int_pow(a, b)?
        }
        BinOp::LShift => {
            if b < 0 {
                return Err(value_err("negative shift count"));
            }
            if a == 0 {
                0
            } else {
                let s = u32::try_from(b).map_err(|_| overflow())?;
                let r = a.checked_shl(s).ok_or_else(overflow)?;
                if r >> s != a {
                    return Err(overflow());
                }
                r
            }
        }
        BinOp::RShift => {
            if b < 0 {
                return Err(value_err("negative shift count"));
            }
            a >> b.min(63)
        }
        BinOp::BitAnd => a & b,
        BinOp::BitOr => a | b,
        BinOp::BitXor => a ^ b,
    }))
}

fn float_op(op: BinOp, a: f64, b: f64) -> PyResult<Value> {
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(zero_div("float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Err(zero_div("float floor division by zero"));
            }
            float_divmod(a, b)?.0
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(zero_div("float modulo"));
            }
            float_divmod(a, b)?.1
        }
        BinOp::Pow => {
            if a == 0.0 && b < 0.0 {
                return Err(zero_div("0.0 cannot be raised to a negative power"));
            }
            if a < 0.0 && b.fract() != 0.0 && b.is_finite() {
                return Err(value_err(
                    "negative number cannot be raised to a fractional power (complex numbers are not supported)",
                ));
            }
            let r = a.powf(b);
            if r.is_infinite() && a.is_finite() && b.is_finite() {
                return Err(Flow::raise(
                    "OverflowError",
                    "(34, 'Numerical result out of range')",
                ));
            }
            r
        }
        _ => {
            return Err(type_err(format!(
                "unsupported operand type(s) for {}: 'float' and 'float'",
                op.symbol()
            )));
        }
    }))
}

fn dec_op(op: BinOp, a: Decimal, b: Decimal) -> PyResult<Value> {
    Ok(Value::Decimal(match op {
        BinOp::Add => a
            .checked_add(b)
            .ok_or_else(|| dec_err(rust_decimal::Error::ExceedsMaximumPossibleValue))?,
        BinOp::Sub => a
            .checked_sub(b)
            .ok_or_else(|| dec_err(rust_decimal::Error::ExceedsMaximumPossibleValue))?,
        BinOp::Mul => a
            .checked_mul(b)
            .ok_or_else(|| dec_err(rust_decimal::Error::ExceedsMaximumPossibleValue))?,
        BinOp::Div => {
            if b.is_zero() {
                return Err(zero_div("[<class 'decimal.DivisionByZero'>]"));
            }
            let q = a
                .checked_div(b)
                .ok_or_else(|| dec_err(rust_decimal::Error::ExceedsMaximumPossibleValue))?;
            // exact quotients take Python's ideal exponent (10/4 = 2.5, 1.00/2 = 0.50)
            if q.checked_mul(b) == Some(a) {
                let mut n = q.normalize();
                let ideal = a.scale().saturating_sub(b.scale());
                if ideal > n.scale() {
                    n.rescale(ideal);
                }
                n
            } else {
                q
            }
        }
        // Decimal // and % truncate toward zero
        BinOp::FloorDiv => {
            if b.is_zero() {
                return Err(zero_div("[<class 'decimal.DivisionByZero'>]"));
            }
            (a / b).trunc()
        }
        BinOp::Mod => {
            if b.is_zero() {
                return Err(Flow::raise(
                    "ZeroDivisionError",
                    "[<class 'decimal.InvalidOperation'>]",
                ));
            }
            a.checked_rem(b)
                .ok_or_else(|| dec_err(rust_decimal::Error::ExceedsMaximumPossibleValue))?
        }
        BinOp::Pow => {
            let e = b
                .to_i64()
                .filter(|_| b.fract().is_zero())
                .ok_or_else(|| type_err("Decimal ** non-integer is not supported"))?;
            let mut r = Decimal::ONE;
            let base = if e < 0 {
                Decimal::ONE
                    .checked_div(a)
                    .ok_or_else(|| zero_div("decimal division by zero"))?
            } else {
                a
            };
            for _ in 0..e.unsigned_abs().min(1000) {
                r = r
                    .checked_mul(base)
                    .ok_or_else(|| dec_err(rust_decimal::Error::ExceedsMaximumPossibleValue))?;
            }
            r
        }
        _ => {
            return Err(type_err(format!(
                "unsupported operand type(s) for {}: 'decimal.Decimal'",
                op.symbol()
            )));
        }
    }))
}

/// `a op b`.
pub fn binop(it: &mut Interp<'_>, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        if let (Value::Bool(p), Value::Bool(q), BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) =
            (a, b, op)
        {
            return Ok(Value::Bool(match op {
                BinOp::BitAnd => *p & *q,
                BinOp::BitOr => *p | *q,
                _ => *p ^ *q,
            }));
        }
        return numeric(op, x, y);
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            it.charge_mem(y.len())?;
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Ok(Value::Str(Arc::from(s)))
        }
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            it.charge_mem(y.len().saturating_mul(24))?;
            Value::tuple(x.iter().chain(y.iter()).cloned().collect())
        }
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if n.as_int().is_some() => {
            let n = usize::try_from(n.as_int().unwrap_or(0)).unwrap_or(0);
            it.budget.mem_items(s.len(), n)?;
            Ok(Value::Str(Arc::from(s.repeat(n))))
        }
        (BinOp::Mul, Value::Tuple(t), n) | (BinOp::Mul, n, Value::Tuple(t))
            if n.as_int().is_some() =>
        {
            let n = usize::try_from(n.as_int().unwrap_or(0)).unwrap_or(0);
            it.budget.mem_items(t.len().saturating_mul(n), 24)?;
            let mut out = Vec::with_capacity(t.len() * n);
            for _ in 0..n {
                out.extend(t.iter().cloned());
            }
            Value::tuple(out)
        }
        (BinOp::Mod, Value::Str(fmt), args) => {
            let s = it.percent_format(fmt, args)?;
            Ok(Value::Str(Arc::from(s)))
        }
        (_, Value::Ref(_), _) | (_, _, Value::Ref(_)) => ref_binop(it, op, a, b),
        (_, Value::Date(_) | Value::DateTime(_) | Value::Delta(_), _)
        | (_, _, Value::Date(_) | Value::DateTime(_) | Value::Delta(_)) => {
            match crate::dates::binop(op, a, b)? {
                Some(v) => Ok(v),
                None => Err(unsupported(op.symbol(), a, b, it)),
            }
        }
        _ => Err(unsupported(op.symbol(), a, b, it)),
    }
}

fn ref_binop(it: &mut Interp<'_>, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let heap = it.heap();
    let ka = a.as_ref_id().and_then(|id| heap.get(id)).map(|o| &o.kind);
    let kb = b.as_ref_id().and_then(|id| heap.get(id)).map(|o| &o.kind);
    match (op, ka, kb) {
        (BinOp::Add, Some(ObjKind::List(x)), Some(ObjKind::List(y))) => {
            let v: Vec<Value> = x.iter().chain(y.iter()).cloned().collect();
            it.make_list(v)
        }
        (BinOp::Mul, Some(ObjKind::List(x)), None) | (BinOp::Mul, None, Some(ObjKind::List(x))) => {
            let n = if ka.is_some() { b.as_int() } else { a.as_int() };
            let Some(n) = n else {
                return Err(unsupported("*", a, b, it));
            };
            let n = usize::try_from(n).unwrap_or(0);
            let x = x.clone();
            it.budget.mem_items(x.len().saturating_mul(n), 24)?;
            let mut out = Vec::with_capacity(x.len() * n);
            for _ in 0..n {
                out.extend(x.iter().cloned());
            }
            it.make_list(out)
        }
        (
            BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor,
            Some(ObjKind::Set(x)),
            Some(ObjKind::Set(y)),
        ) => {
            let r = set_op(op, x, y);
            let items: Vec<Value> = r.iter().cloned().collect();
            it.make_set(items)
        }
        (BinOp::BitOr, Some(ObjKind::Dict(x)), Some(ObjKind::Dict(y))) => {
            let mut d = x.clone();
            for (k, v) in y.iter() {
                let key = Key::from_value(k, heap)?;
                d.insert(key, k.clone(), v.clone());
            }
            it.charge_mem(d.len() * 72)?;
            Ok(it.heap_mut().new_dict(d))
        }
        _ => match host_binop(it, op, a, b)? {
            Some(v) => Ok(v),
            None => Err(unsupported(op.symbol(), a, b, it)),
        },
    }
}

/// The instance id and class of `v`, if it is a host instance.
fn instance_of(it: &Interp<'_>, v: &Value) -> Option<(crate::value::ObjId, crate::path::Name)> {
    let id = v.as_ref_id()?;
    it.heap().instance(id).map(|i| (id, i.class.clone()))
}

/// [`crate::Host::binary_op`]: the left instance, then the right one (reflected).
fn host_binop(it: &mut Interp<'_>, op: BinOp, a: &Value, b: &Value) -> PyResult<Option<Value>> {
    let host = it.host();
    if let Some((id, class)) = instance_of(it, a)
        && let Some(v) = host.binary_op(it, op, id, &class, b, false)?
    {
        return Ok(Some(v));
    }
    if let Some((id, class)) = instance_of(it, b)
        && let Some(v) = host.binary_op(it, op, id, &class, a, true)?
    {
        return Ok(Some(v));
    }
    Ok(None)
}

/// [`crate::Host::compare`]: the left instance, then the right one with the operator swapped.
/// A user class's special method (`__eq__`, `__lt__` …) comes first.
fn host_compare(it: &mut Interp<'_>, op: CmpOp, a: &Value, b: &Value) -> PyResult<Option<bool>> {
    let host = it.host();
    let special = |op: CmpOp| match op {
        CmpOp::Eq => Some("__eq__"),
        CmpOp::Lt => Some("__lt__"),
        CmpOp::LtE => Some("__le__"),
        CmpOp::Gt => Some("__gt__"),
        CmpOp::GtE => Some("__ge__"),
        _ => None,
    };
    if let Some((id, class)) = instance_of(it, a) {
        if let Some(m) = special(op)
            && let Some(v) = it.call_user_method(id, m, vec![b.clone()])?
        {
            return it.truthy(&v).map(Some);
        }
        if let Some(r) = host.compare(it, op, id, &class, b)? {
            return Ok(Some(r));
        }
    }
    if let Some((id, class)) = instance_of(it, b) {
        let swapped = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::LtE => CmpOp::GtE,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::GtE => CmpOp::LtE,
            other => other,
        };
        if let Some(m) = special(swapped)
            && let Some(v) = it.call_user_method(id, m, vec![a.clone()])?
        {
            return it.truthy(&v).map(Some);
        }
        if let Some(r) = host.compare(it, swapped, id, &class, a)? {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

fn set_op(op: BinOp, x: &Set, y: &Set) -> Set {
    let mut out = Set::new();
    match op {
        BinOp::BitOr => {
            for (k, v) in x.entries().chain(y.entries()) {
                out.insert(k.clone(), v.clone());
            }
        }
        BinOp::BitAnd => {
            for (k, v) in x.entries().filter(|(k, _)| y.contains(k)) {
                out.insert(k.clone(), v.clone());
            }
        }
        BinOp::Sub => {
            for (k, v) in x.entries().filter(|(k, _)| !y.contains(k)) {
                out.insert(k.clone(), v.clone());
            }
        }
        _ => {
            for (k, v) in x
                .entries()
                .filter(|(k, _)| !y.contains(k))
                .chain(y.entries().filter(|(k, _)| !x.contains(k)))
            {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// Unary minus.
pub fn neg(v: &Value) -> PyResult<Value> {
    match v {
        Value::Int(i) => Ok(Value::Int(i.checked_neg().ok_or_else(overflow)?)),
        Value::Bool(b) => Ok(Value::Int(-i64::from(*b))),
        Value::Float(f) => Ok(Value::Float(-f)),
        Value::Decimal(d) => Ok(Value::Decimal(-*d)),
        Value::Delta(d) => Ok(Value::Delta(crate::value::Delta(
            d.0.checked_neg().ok_or_else(overflow)?,
        ))),
        _ => Err(type_err("bad operand type for unary -")),
    }
}

/// Unary plus.
pub fn pos(v: &Value) -> PyResult<Value> {
    match v {
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Int(_) | Value::Float(_) | Value::Decimal(_) | Value::Delta(_) => Ok(v.clone()),
        _ => Err(type_err("bad operand type for unary +")),
    }
}

/// Compares an int with a float exactly.
fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    // |f| < 2^63 here or the int comparison below saturates correctly
    if fl < -9.223_372_036_854_776e18 {
        return Some(Ordering::Greater);
    }
    if fl >= 9.223_372_036_854_776e18 {
        return Some(Ordering::Less);
    }
    #[allow(clippy::cast_possible_truncation)]
    let fi = fl as i64;
    match i.cmp(&fi) {
        Ordering::Equal => {
            if f > fl {
                Some(Ordering::Less)
            } else {
                Some(Ordering::Equal)
            }
        }
        o => Some(o),
    }
}

fn num_cmp(x: Num, y: Num) -> Option<Ordering> {
    use Num::*;
    match (x, y) {
        (I(a), I(b)) => Some(a.cmp(&b)),
        (F(a), F(b)) => a.partial_cmp(&b),
        (I(a), F(b)) => cmp_int_float(a, b),
        (F(a), I(b)) => cmp_int_float(b, a).map(Ordering::reverse),
        (D(a), D(b)) => Some(a.cmp(&b)),
        (D(a), I(b)) => Some(a.cmp(&Decimal::from(b))),
        (I(a), D(b)) => Some(Decimal::from(a).cmp(&b)),
        (D(a), F(b)) => {
            if b.is_nan() {
                None
            } else {
                match Decimal::from_f64(b) {
                    Some(bd) => Some(a.cmp(&bd)),
                    None => Some(if b > 0.0 {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }),
                }
            }
        }
        (F(_), D(_)) => num_cmp(y, x).map(Ordering::reverse),
    }
}

/// `a == b`.
pub fn eq(it: &mut Interp<'_>, a: &Value, b: &Value) -> PyResult<bool> {
    eq_depth(it, a, b, 0)
}

fn eq_depth(it: &mut Interp<'_>, a: &Value, b: &Value, depth: u32) -> PyResult<bool> {
    if depth > 100 {
        return Err(Flow::raise(
            "RecursionError",
            "maximum recursion depth exceeded in comparison",
        ));
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(num_cmp(x, y) == Some(Ordering::Equal));
    }
    if let (Value::Ref(x), Value::Ref(y)) = (a, b)
        && x == y
    {
        // identity implies equality, as in Python's containers (and no host hook is asked,
        // so `people == people` does not gather)
        return Ok(true);
    }
    if (matches!(a, Value::Ref(_)) || matches!(b, Value::Ref(_)))
        && let Some(r) = host_compare(it, CmpOp::Eq, a, b)?
    {
        return Ok(r);
    }
    Ok(match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (p, q) in x.iter().zip(y.iter()) {
                if !eq_depth(it, p, q, depth + 1)? {
                    return Ok(false);
                }
            }
            true
        }
        (Value::Range(a1, b1, s1), Value::Range(a2, b2, s2)) => {
            let n1 = crate::eval::range_len_pub(*a1, *b1, *s1);
            let n2 = crate::eval::range_len_pub(*a2, *b2, *s2);
            n1 == n2 && (n1 == 0 || (a1 == a2 && (n1 == 1 || s1 == s2)))
        }
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::DateTime(x), Value::DateTime(y)) => x == y,
        (Value::Delta(x), Value::Delta(y)) => x == y,
        (Value::Builtin(x), Value::Builtin(y))
        | (Value::HostFn(x), Value::HostFn(y))
        | (Value::Class(x), Value::Class(y)) => x == y,
        (Value::Func(x), Value::Func(y)) => Arc::ptr_eq(x, y),
        (Value::Exc(x), Value::Exc(y)) => Arc::ptr_eq(x, y),
        (Value::Ref(x), Value::Ref(y)) => {
            if x == y {
                return Ok(true);
            }
            let heap = it.heap();
            match (heap.get(*x).map(|o| &o.kind), heap.get(*y).map(|o| &o.kind)) {
                (Some(ObjKind::List(p)), Some(ObjKind::List(q))) => {
                    if p.len() != q.len() {
                        return Ok(false);
                    }
                    let (p, q) = (p.clone(), q.clone());
                    for (m, n) in p.iter().zip(q.iter()) {
                        if !eq_depth(it, m, n, depth + 1)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                (Some(ObjKind::Dict(p)), Some(ObjKind::Dict(q))) => {
                    if p.len() != q.len() {
                        return Ok(false);
                    }
                    let pairs: Vec<(Value, Value)> =
                        p.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    let q = q.clone();
                    for (k, v) in pairs {
                        let key = Key::from_value(&k, it.heap())?;
                        match q.get(&key) {
                            Some(w) => {
                                if !eq_depth(it, &v, w, depth + 1)? {
                                    return Ok(false);
                                }
                            }
                            None => return Ok(false),
                        }
                    }
                    true
                }
                (Some(ObjKind::Set(p)), Some(ObjKind::Set(q))) => {
                    p.len() == q.len() && p.entries().all(|(k, _)| q.contains(k))
                }
                _ => false,
            }
        }
        _ => false,
    })
}

/// `a is b`.
pub fn is(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Ref(x), Value::Ref(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => Arc::ptr_eq(x, y) || x == y,
        (Value::Tuple(x), Value::Tuple(y)) => crate::value::Tuple::ptr_eq(x, y),
        (Value::Builtin(x), Value::Builtin(y))
        | (Value::Class(x), Value::Class(y))
        | (Value::HostFn(x), Value::HostFn(y)) => x == y,
        (Value::Func(x), Value::Func(y)) => Arc::ptr_eq(x, y),
        (Value::Exc(x), Value::Exc(y)) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

/// Set comparisons (`<` = proper subset …); `None` if not both sets.
pub fn set_compare(it: &Interp<'_>, op: CmpOp, a: &Value, b: &Value) -> PyResult<Option<bool>> {
    let heap = it.heap();
    let (Some(ObjKind::Set(x)), Some(ObjKind::Set(y))) = (
        a.as_ref_id().and_then(|i| heap.get(i)).map(|o| &o.kind),
        b.as_ref_id().and_then(|i| heap.get(i)).map(|o| &o.kind),
    ) else {
        return Ok(None);
    };
    let sub = x.entries().all(|(k, _)| y.contains(k));
    let sup = y.entries().all(|(k, _)| x.contains(k));
    Ok(Some(match op {
        CmpOp::Lt => sub && x.len() < y.len(),
        CmpOp::LtE => sub,
        CmpOp::Gt => sup && x.len() > y.len(),
        _ => sup,
    }))
}

fn apply_order(op: CmpOp, o: Option<Ordering>) -> bool {
    match (op, o) {
        (_, None) => false,
        (CmpOp::Lt, Some(o)) => o == Ordering::Less,
        (CmpOp::LtE, Some(o)) => o != Ordering::Greater,
        (CmpOp::Gt, Some(o)) => o == Ordering::Greater,
        (_, Some(o)) => o != Ordering::Less,
    }
}

/// `a op b` for the ordering operators `<`, `<=`, `>`, `>=` (sets compare as subsets, host
/// instances through [`crate::Host::compare`], sequences lexicographically); `TypeError`
/// when the types cannot be ordered. NaN compares false.
pub fn order(it: &mut Interp<'_>, op: CmpOp, a: &Value, b: &Value) -> PyResult<bool> {
    order_depth(it, op, a, b, 0)
}

fn order_depth(it: &mut Interp<'_>, op: CmpOp, a: &Value, b: &Value, depth: u32) -> PyResult<bool> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(apply_order(op, num_cmp(x, y)));
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => return Ok(apply_order(op, Some(x.cmp(y)))),
        (Value::Date(x), Value::Date(y)) => return Ok(apply_order(op, Some(x.cmp(y)))),
        (Value::DateTime(x), Value::DateTime(y)) => return Ok(apply_order(op, Some(x.cmp(y)))),
        (Value::Delta(x), Value::Delta(y)) => return Ok(apply_order(op, Some(x.cmp(y)))),
        _ => {}
    }
    if depth > 100 {
        return Err(Flow::raise(
            "RecursionError",
            "maximum recursion depth exceeded in comparison",
        ));
    }
    if matches!(a, Value::Ref(_)) || matches!(b, Value::Ref(_)) {
        if let Some(r) = host_compare(it, op, a, b)? {
            return Ok(r);
        }
        if let Some(r) = set_compare(it, op, a, b)? {
            return Ok(r);
        }
    }
    let seq = |it: &Interp<'_>, v: &Value| -> Option<(bool, Vec<Value>)> {
        match v {
            Value::Tuple(t) => Some((true, t.to_vec())),
            Value::Ref(id) => it.heap().list(*id).map(|l| (false, l.clone())),
            _ => None,
        }
    };
    if let (Some((ta, xs)), Some((tb, ys))) = (seq(it, a), seq(it, b))
        && ta == tb
    {
        for (p, q) in xs.iter().zip(ys.iter()) {
            if !eq_depth(it, p, q, depth + 1)? {
                return order_depth(it, op, p, q, depth + 1);
            }
        }
        return Ok(apply_order(op, Some(xs.len().cmp(&ys.len()))));
    }
    Err(type_err(format!(
        "'{}' not supported between instances of '{}' and '{}'",
        op.symbol(),
        tn(a, it.heap()),
        tn(b, it.heap())
    )))
}

/// `a < b` as used by sorting, `min` and `max`.
pub fn lt(it: &mut Interp<'_>, a: &Value, b: &Value) -> PyResult<bool> {
    order(it, CmpOp::Lt, a, b)
}
