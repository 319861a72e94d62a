//! Small helpers shared by the classes and functions: raw attribute access (no hooks),
//! argument extraction, and Needs handling.

use pyeval::{Args, Flow, Interp, Key, Name, NeedsVar, ObjId, Path, PyResult, Value};

/// The stored attribute `name` of instance `id`, without any hook.
pub(crate) fn raw(cx: &Interp<'_>, id: ObjId, name: &str) -> Option<Value> {
    cx.heap().attr(id, name).cloned()
}

/// Whether instance `id` stores attribute `name` (docassemble's `hasattr` for plain attributes).
pub(crate) fn has_raw(cx: &Interp<'_>, id: ObjId, name: &str) -> bool {
    cx.heap().attr(id, name).is_some()
}

/// Sets attribute `name`, naming a path-less instance value after it (as Python assignment does).
pub(crate) fn set(cx: &mut Interp<'_>, id: ObjId, name: &str, v: Value) {
    let _ = cx.set_attr(&Value::Ref(id), &Name::from(name), v);
}

/// Deletes attribute `name` if present; returns whether it was.
pub(crate) fn del(cx: &mut Interp<'_>, id: ObjId, name: &str) -> bool {
    cx.heap_mut()
        .instance_mut(id)
        .is_some_and(|i| i.attrs.shift_remove(name).is_some())
}

/// `obj.name` through the protocol (hooks, Needs).
pub(crate) fn get(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Value> {
    cx.get_attr(&Value::Ref(id), name)
}

/// docassemble's `hasattr(obj, name)`: reads through the hooks; Needs/AttributeError → false.
pub(crate) fn has(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<bool> {
    cx.has_attr(&Value::Ref(id), name)
}

/// The instance's path (docassemble's `instanceName`), or `None`.
pub(crate) fn path(cx: &Interp<'_>, id: ObjId) -> Option<Path> {
    cx.heap().path(id).cloned()
}

/// The instanceName as text; unnamed objects get a stable placeholder.
pub(crate) fn instance_name(cx: &Interp<'_>, id: ObjId) -> String {
    match cx.heap().path(id) {
        Some(p) => p.to_string(),
        None => format!("_obj{}", id.0),
    }
}

/// A Needs signal for `path` that enclosing syntax may extend (`people[0]` → `people[0].name`).
pub(crate) fn needs_open(path: Path) -> Flow {
    Flow::Needs(Box::new(NeedsVar::open(path)))
}

/// Closes a Needs signal raised inside a hook, so that the caller's syntax does not extend it.
pub(crate) fn closed(f: Flow) -> Flow {
    match f {
        Flow::Needs(n) => {
            let mut c = NeedsVar::new(n.missing);
            c.wanted = n.wanted;
            Flow::Needs(Box::new(c))
        }
        other => other,
    }
}

/// `TypeError`.
pub(crate) fn type_err(msg: impl Into<String>) -> Flow {
    Flow::raise("TypeError", msg)
}

/// `ValueError`.
pub(crate) fn value_err(msg: impl Into<String>) -> Flow {
    Flow::raise("ValueError", msg)
}

/// docassemble's `DAError`.
pub(crate) fn da_err(msg: impl Into<String>) -> Flow {
    Flow::raise("DAError", msg)
}

/// A string value.
pub(crate) fn s(text: impl AsRef<str>) -> Value {
    Value::str(text.as_ref())
}

/// Python truthiness of a keyword argument (absent → `default`).
pub(crate) fn kw_bool(
    cx: &mut Interp<'_>,
    args: &Args,
    name: &str,
    default: bool,
) -> PyResult<bool> {
    match args.kw(name) {
        Some(v) => {
            let v = v.clone();
            cx.truthy(&v)
        }
        None => Ok(default),
    }
}

/// A string keyword argument (absent or `None` → `None`).
pub(crate) fn kw_str(cx: &mut Interp<'_>, args: &Args, name: &str) -> PyResult<Option<String>> {
    match args.kw(name) {
        None | Some(Value::None) => Ok(None),
        Some(v) => {
            let v = v.clone();
            Ok(Some(cx.to_str(&v)?))
        }
    }
}

/// Positional argument `i` or keyword `name` as `str()`; `None` if absent.
pub(crate) fn arg_str(
    cx: &mut Interp<'_>,
    args: &Args,
    i: usize,
    name: &str,
) -> PyResult<Option<String>> {
    match args.get(i, name) {
        None | Some(Value::None) => Ok(None),
        Some(v) => {
            let v = v.clone();
            Ok(Some(cx.to_str(&v)?))
        }
    }
}

/// A required argument.
pub(crate) fn req<'a>(args: &'a Args, i: usize, name: &str, func: &str) -> PyResult<&'a Value> {
    args.get(i, name)
        .ok_or_else(|| type_err(format!("{func}() missing required argument: '{name}'")))
}

/// A number as f64 (int, float, decimal, bool, numeric string).
pub(crate) fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Float(f) => Some(*f),
        Value::Decimal(d) => d.to_string().parse().ok(),
        Value::Str(s) => s.trim().replace(',', "").parse().ok(),
        _ => None,
    }
}

/// A dict key value → its path segment text, as docassemble writes `d['k']` / `d[1]`.
pub(crate) fn key_seg(key: &Value) -> Option<pyeval::Seg> {
    match key {
        Value::Str(s) => Some(pyeval::Seg::Key(s.clone())),
        Value::Int(i) => Some(pyeval::Seg::Index(*i)),
        Value::Bool(b) => Some(pyeval::Seg::Index(i64::from(*b))),
        _ => None,
    }
}

/// The hashable key of a value.
pub(crate) fn key(cx: &Interp<'_>, v: &Value) -> PyResult<Key> {
    Key::from_value(v, cx.heap())
}

/// Calls method `name` on `obj` with positional arguments.
pub(crate) fn call(
    cx: &mut Interp<'_>,
    obj: &Value,
    name: &str,
    pos: Vec<Value>,
) -> PyResult<Value> {
    cx.call_method(obj, name, Args::new(pos))
}

/// The items of a list/tuple/iterable value, or the single value.
pub(crate) fn flatten_args(cx: &mut Interp<'_>, pargs: &[Value]) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    for p in pargs {
        match p {
            Value::Str(_) => out.push(p.clone()),
            Value::Tuple(_) | Value::Ref(_) | Value::Range(..) => {
                let iterable = match p {
                    Value::Ref(id) => {
                        cx.heap().instance(*id).is_none() || super::classes::is_collection(cx, *id)
                    }
                    _ => true,
                };
                if iterable {
                    out.extend(cx.collect(p)?);
                } else {
                    out.push(p.clone());
                }
            }
            _ => out.push(p.clone()),
        }
    }
    Ok(out)
}
