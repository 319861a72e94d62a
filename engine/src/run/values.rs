//! Conversions between YAML/JSON values and the evaluator's values.

use pyeval::{Dict, Interp, Key, PyResult, Value};

use crate::source::yaml::Node;

/// A JSON value as a Python value (objects become dicts, arrays lists).
pub fn from_json(cx: &mut Interp<'_>, json: &serde_json::Value) -> PyResult<Value> {
    Ok(match json {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(from_json(cx, item)?);
            }
            cx.heap_mut().new_list(out)
        }
        serde_json::Value::Object(map) => {
            let mut d = Dict::new();
            for (k, v) in map {
                let key = Value::str(k);
                let val = from_json(cx, v)?;
                let hk = Key::from_value(&key, cx.heap())?;
                d.insert(hk, key, val);
            }
            cx.heap_mut().new_dict(d)
        }
    })
}

/// A Python value as JSON, for defaults shown on screens: scalars as themselves, dates as ISO
/// text, anything else as its `str()`.
pub fn to_json(cx: &mut Interp<'_>, v: &Value) -> PyResult<serde_json::Value> {
    Ok(match v {
        Value::None => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::Date(d) => serde_json::Value::String(d.format("%Y-%m-%d").to_string()),
        Value::DateTime(d) => serde_json::Value::String(d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        other => serde_json::Value::String(cx.to_str(other)?),
    })
}

/// The paths of the objects in a list (a DAList's `elements`, or a plain list) as a JSON array:
/// which boxes of an object-checkboxes field start checked. `None` for anything else.
pub fn object_paths_json(cx: &mut Interp<'_>, v: &Value) -> Option<serde_json::Value> {
    use pyeval::ObjKind;
    let list = match v {
        Value::Ref(id) => match cx.heap().attr(*id, "elements") {
            Some(el @ Value::Ref(_)) => el.clone(),
            _ => v.clone(),
        },
        _ => return None,
    };
    let Value::Ref(lid) = list else { return None };
    let Some(ObjKind::List(items)) = cx.heap().get(lid).map(|o| &o.kind) else {
        return None;
    };
    let paths = items
        .iter()
        .filter_map(|item| cx.path_of(item))
        .map(|p| serde_json::Value::String(p.to_string()))
        .collect();
    Some(serde_json::Value::Array(paths))
}

/// A default computed by code as JSON: lists (and tuples, sets) as arrays and dicts as
/// objects of their items' [`to_json`], so that checkboxes can tell which are checked.
pub fn default_json(cx: &mut Interp<'_>, v: &Value) -> PyResult<serde_json::Value> {
    use pyeval::ObjKind;
    let items: Option<Vec<Value>> = match v {
        Value::Tuple(t) => Some(t.iter().cloned().collect()),
        Value::Ref(id) => match cx.heap().get(*id).map(|o| &o.kind) {
            Some(ObjKind::List(l)) => Some(l.clone()),
            Some(ObjKind::Set(s)) => Some(s.iter().cloned().collect()),
            Some(ObjKind::Dict(d)) => {
                let pairs: Vec<(Value, Value)> =
                    d.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                let mut m = serde_json::Map::new();
                for (k, v) in pairs {
                    let key = cx.to_str(&k)?;
                    m.insert(key, to_json(cx, &v)?);
                }
                return Ok(serde_json::Value::Object(m));
            }
            _ => None,
        },
        _ => None,
    };
    match items {
        Some(items) => Ok(serde_json::Value::Array(
            items
                .iter()
                .map(|i| to_json(cx, i))
                .collect::<PyResult<Vec<_>>>()?,
        )),
        None => to_json(cx, v),
    }
}

/// A YAML node as JSON (choice values, defaults): [`Node::to_json`].
pub fn yaml_to_json(node: &Node) -> serde_json::Value {
    node.to_json()
}

/// The text docassemble compares a posted choice value with: Python's `str()` of the value.
pub fn json_str(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "None".to_string(),
        serde_json::Value::Bool(true) => "True".to_string(),
        serde_json::Value::Bool(false) => "False".to_string(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            (None, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}
