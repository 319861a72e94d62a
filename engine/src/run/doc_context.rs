//! The variables of an interview as JSON, for the Jinja2 of DOCX templates (which the engine
//! does not render itself: the host's document maker does).
//!
//! Scalars stay scalars, lists and dicts become arrays and objects, and docassemble objects
//! become objects with `__class__`, `__str__` (their text, as Mako would print them), their
//! attributes, and `__items__` for the elements of a `DAList`/`DASet`/`DADict`. Cycles and
//! very deep nesting end in the object's text.

use pyeval::{Interp, ObjId, ObjKind, Value};

use super::eval::Ctx;

/// How deep objects are followed.
const MAX_DEPTH: u32 = 8;

impl Ctx<'_> {
    /// The interview's variables (those not starting with `_`) as a Jinja2 context.
    pub(crate) fn document_context(&mut self) -> serde_json::Value {
        let globals: Vec<(String, Value)> = self
            .st
            .vars
            .globals
            .iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let mut cx = self.interp();
        let mut out = serde_json::Map::new();
        for (name, v) in globals {
            if matches!(v, Value::Builtin(_) | Value::HostFn(_) | Value::Class(_)) {
                continue;
            }
            let mut seen = Vec::new();
            out.insert(name, context_value(&mut cx, &v, 0, &mut seen));
        }
        serde_json::Value::Object(out)
    }
}

fn text(cx: &mut Interp<'_>, v: &Value) -> String {
    cx.to_str(v).unwrap_or_default()
}

/// One value of the context.
pub(crate) fn context_value(
    cx: &mut Interp<'_>,
    v: &Value,
    depth: u32,
    seen: &mut Vec<ObjId>,
) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::None => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::Str(s) => J::String(s.to_string()),
        Value::Tuple(_) => {
            let items = cx.collect(v).unwrap_or_default();
            J::Array(
                items
                    .iter()
                    .map(|i| context_value(cx, i, depth + 1, seen))
                    .collect(),
            )
        }
        Value::Ref(id) => {
            if depth > MAX_DEPTH || seen.contains(id) {
                return serde_json::json!({"__str__": text(cx, v)});
            }
            let Some(obj) = cx.heap().get(*id).map(|o| o.kind.clone()) else {
                return J::Null;
            };
            seen.push(*id);
            let out = match obj {
                ObjKind::List(items) => J::Array(
                    items
                        .iter()
                        .map(|i| context_value(cx, i, depth + 1, seen))
                        .collect(),
                ),
                ObjKind::Set(set) => J::Array(
                    set.iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .iter()
                        .map(|i| context_value(cx, i, depth + 1, seen))
                        .collect(),
                ),
                ObjKind::Dict(d) => {
                    let pairs: Vec<(Value, Value)> =
                        d.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    let mut m = serde_json::Map::new();
                    for (k, val) in pairs {
                        let key = text(cx, &k);
                        m.insert(key, context_value(cx, &val, depth + 1, seen));
                    }
                    J::Object(m)
                }
                ObjKind::Iter(_) => J::Null,
                ObjKind::Instance(inst) => {
                    let mut m = serde_json::Map::new();
                    m.insert("__class__".into(), J::String(inst.class.to_string()));
                    m.insert("__str__".into(), J::String(text(cx, v)));
                    let attrs: Vec<(String, Value)> = inst
                        .attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect();
                    for (k, val) in attrs {
                        if k.starts_with('_') {
                            continue;
                        }
                        let j = context_value(cx, &val, depth + 1, seen);
                        if k == "elements" {
                            m.insert("__items__".into(), j.clone());
                        }
                        m.insert(k, j);
                    }
                    J::Object(m)
                }
            };
            seen.pop();
            out
        }
        Value::Builtin(_) | Value::HostFn(_) | Value::Class(_) => J::Null,
        other => serde_json::json!({"__str__": text(cx, other)}),
    }
}
