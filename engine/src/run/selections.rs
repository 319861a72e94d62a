//! Choices computed by code (docassemble's `process_selections`): a list of strings, of
//! `[value, label]` pairs, of `{value: label}` or `{'value': …, 'label': …}` dicts, of objects,
//! or a dict of value → label.

use pyeval::{Interp, ObjKind, PyResult, Value};

use super::values::to_json;

/// One computed choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The value stored when it is chosen (for objects: the object's path as text).
    pub key: serde_json::Value,
    /// The label shown.
    pub label: String,
    /// Help text.
    pub help: Option<String>,
    /// Chosen by default.
    pub default: bool,
}

fn dict_pairs(cx: &Interp<'_>, v: &Value) -> Option<Vec<(Value, Value)>> {
    let Value::Ref(id) = v else { return None };
    let obj = cx.heap().get(*id)?;
    match &obj.kind {
        ObjKind::Dict(d) => Some(d.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        ObjKind::Instance(inst) => {
            let class = inst.class.as_ref();
            if class == "DADict" || class == "DAOrderedDict" {
                let el = cx.heap().attr(*id, "elements")?.clone();
                dict_pairs(cx, &el)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn is_ordered(cx: &Interp<'_>, v: &Value) -> bool {
    cx.class_name(v).is_some_and(|c| &*c == "DAOrderedDict")
}

fn key_json(cx: &mut Interp<'_>, v: &Value) -> PyResult<serde_json::Value> {
    if let Some(path) = cx.path_of(v) {
        if cx.class_name(v).is_some() {
            return Ok(serde_json::Value::String(path.to_string()));
        }
    }
    to_json(cx, v)
}

fn truthy_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// Processes the value of a choices expression. An object listed is keyed by its path when
/// `by_path` (object datatypes), else by its text (docassemble's `{'key': str(entry)}`).
pub fn process(
    cx: &mut Interp<'_>,
    data: &Value,
    exclude: &[serde_json::Value],
    by_path: bool,
) -> PyResult<Vec<Selection>> {
    let mut out = Vec::new();
    let excluded = |k: &serde_json::Value| exclude.contains(k);
    if let (Some(pairs), false) = (dict_pairs(cx, data), is_list_like(cx, data)) {
        let mut items = Vec::new();
        for (k, v) in pairs {
            let label = cx.to_str(&v)?;
            items.push((key_json(cx, &k)?, label));
        }
        if !is_ordered(cx, data) {
            items.sort_by(|a, b| a.1.cmp(&b.1));
        }
        for (key, label) in items {
            if !excluded(&key) {
                out.push(Selection {
                    key,
                    label,
                    help: None,
                    default: false,
                });
            }
        }
        return Ok(out);
    }
    for entry in cx.collect(data)? {
        if let Some(pairs) = dict_pairs(cx, &entry) {
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k.as_str() == Some(name))
                    .map(|(_, v)| v.clone())
            };
            let help = match get("help") {
                Some(h) => Some(cx.to_str(&h)?),
                None => None,
            };
            let default = get("default")
                .as_ref()
                .and_then(truthy_bool)
                .unwrap_or(false);
            if let Some(show) = get("show if") {
                if !cx.truthy(&show)? {
                    continue;
                }
            }
            if let (Some(value), Some(label)) = (get("value").or_else(|| get("key")), get("label"))
            {
                let key = key_json(cx, &value)?;
                if !excluded(&key) {
                    out.push(Selection {
                        key,
                        label: cx.to_str(&label)?,
                        help,
                        default,
                    });
                }
                continue;
            }
            const META: [&str; 8] = [
                "default",
                "help",
                "image",
                "label",
                "group",
                "css class",
                "color",
                "show if",
            ];
            for (k, v) in &pairs {
                if pairs.len() > 1 && k.as_str().is_some_and(|s| META.contains(&s)) {
                    continue;
                }
                let key = key_json(cx, k)?;
                if excluded(&key) {
                    continue;
                }
                out.push(Selection {
                    key,
                    label: cx.to_str(v)?,
                    help: help.clone(),
                    default,
                });
            }
            continue;
        }
        let is_seq = matches!(entry, Value::Tuple(_))
            || matches!(&entry, Value::Ref(id) if matches!(cx.heap().get(*id).map(|o| &o.kind), Some(ObjKind::List(_))));
        if is_seq {
            let items = cx.collect(&entry)?;
            let Some(first) = items.first() else { continue };
            let key = key_json(cx, first)?;
            if excluded(&key) {
                continue;
            }
            let label = match items.get(1) {
                Some(l) => cx.to_str(l)?,
                None => cx.to_str(first)?,
            };
            let default = items.get(2).and_then(truthy_bool).unwrap_or(false);
            let help = match items.get(3) {
                Some(h) => Some(cx.to_str(h)?),
                None => None,
            };
            out.push(Selection {
                key,
                label,
                help,
                default,
            });
            continue;
        }
        let label = cx.to_str(&entry)?;
        let key = if !by_path && cx.class_name(&entry).is_some() {
            serde_json::Value::String(label.clone())
        } else {
            key_json(cx, &entry)?
        };
        if excluded(&key) {
            continue;
        }
        out.push(Selection {
            key,
            label,
            help: None,
            default: false,
        });
    }
    Ok(out)
}

fn is_list_like(cx: &Interp<'_>, v: &Value) -> bool {
    let Value::Ref(id) = v else { return false };
    match cx.heap().get(*id).map(|o| &o.kind) {
        Some(ObjKind::List(_)) => true,
        Some(ObjKind::Instance(i)) => matches!(i.class.as_ref(), "DAList" | "DASet"),
        _ => false,
    }
}
