//! The interview's variables seen from outside (docassemble's `/api/session`): all of them as
//! JSON, and setting or deleting variables by name.
//!
//! Reading gives docassemble's `serializable_dict` shape: scalars as themselves, dates as ISO
//! text, lists and dicts as JSON arrays and objects, and objects as `{"_class": …,
//! "instanceName": …, attribute: value…}`. Setting takes JSON values; text that starts with an
//! ISO date (`2019-06-13`, `2019-06-13T10:00`) becomes a `DADateTime` unless `raw` is asked for.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pyeval::{ObjId, ObjKind, Value};
use serde_json::{Map, Value as Json};

use super::error::RunError;
use super::eval::Interrupt;
use super::state::SessionState;
use super::{Engine, values};

/// How deep nested objects are written (deeper ones appear as their instance name).
const MAX_DEPTH: usize = 32;

/// Why a set of variables was refused (nothing is changed then).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VariablesError {
    /// The name is not a variable path (`x = 1`, `os.system('id')`, `_internal`).
    #[error("Illegal value as variable name.")]
    IllegalName(String),
    /// Assigning failed (e.g. an attribute of something that is not an object).
    #[error("{name}: {message}")]
    Assign { name: String, message: String },
}

/// Python's reserved words: never a variable.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Whether `name` may be set from outside: a concrete path (`a`, `a.b`, `a[0]`, `a['k'].c`)
/// whose root is not internal (`_…`) nor a reserved word. Index variables (`a[i]`) are refused:
/// they name no one element.
pub fn settable_name(name: &str) -> bool {
    let Ok(path) = pyeval::PathPattern::parse(name.trim()) else {
        return false;
    };
    !path.root.starts_with('_')
        && !KEYWORDS.contains(&path.root.as_ref())
        && path
            .segs
            .iter()
            .all(|s| !matches!(s, pyeval::PatSeg::Var(_)))
}

impl Engine<'_> {
    /// Every variable of the session as JSON (internal names left out).
    pub fn variables_json(&self, st: &SessionState) -> Json {
        serializable(&st.vars)
    }

    /// Sets each `(name, value)` and deletes each of `delete`, then forgets the waiting screen so
    /// the next one is assembled afresh. On any error nothing is changed.
    pub fn set_variables(
        &self,
        st: &mut SessionState,
        set: &[(String, Json)],
        delete: &[String],
        raw: bool,
    ) -> Result<(), SetError> {
        for name in set.iter().map(|(n, _)| n).chain(delete) {
            if !settable_name(name) {
                return Err(SetError::Refused(VariablesError::IllegalName(name.clone())));
            }
        }
        let before = st.clone();
        let result = (|| {
            let mut cx = self.ctx(st);
            let has_datetime = cx.host.lookup_global("DADateTime").is_some();
            for (name, json) in set {
                let value = {
                    let mut interp = cx.interp();
                    let v = if raw { None } else { as_datetime(json) };
                    match v {
                        Some(dt) if has_datetime => {
                            crate::runtime::classes::datetime::new_datetime(&mut interp, dt)
                        }
                        Some(dt) => Value::DateTime(dt),
                        None => values::from_json(&mut interp, json).map_err(|e| {
                            SetError::Refused(VariablesError::Assign {
                                name: name.clone(),
                                message: format!("{e:?}"),
                            })
                        })?,
                    }
                };
                cx.assign_creating(name.trim(), value, "api")
                    .map_err(|e| interrupt_error(name, e))?;
            }
            for name in delete {
                cx.undefine(name.trim());
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                st.internal.pending = None;
                Ok(())
            }
            Err(e) => {
                *st = before;
                Err(e)
            }
        }
    }
}

/// Setting variables failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetError {
    /// The request is at fault (bad name, bad value).
    #[error(transparent)]
    Refused(VariablesError),
    /// The interview failed while setting (e.g. a limit).
    #[error(transparent)]
    Run(RunError),
}

fn interrupt_error(name: &str, e: Interrupt) -> SetError {
    match e {
        Interrupt::Error(RunError::Python { message, .. }) => {
            SetError::Refused(VariablesError::Assign {
                name: name.to_string(),
                message,
            })
        }
        Interrupt::Error(other) => SetError::Run(other),
        Interrupt::Needs { missing, .. } => SetError::Refused(VariablesError::Assign {
            name: name.to_string(),
            message: format!("{missing} is not defined"),
        }),
        other => SetError::Refused(VariablesError::Assign {
            name: name.to_string(),
            message: format!("{other:?}"),
        }),
    }
}

/// docassemble's `transform_json_variables`: `YYYY-MM-DD…` text is a date.
fn as_datetime(json: &Json) -> Option<NaiveDateTime> {
    let t = json.as_str()?.trim();
    let head = t.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let rest = t[10..].trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let time_text = rest.get(..8).or_else(|| rest.get(..5)).unwrap_or(rest);
    let time = NaiveTime::parse_from_str(time_text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time_text, "%H:%M"))
        .unwrap_or(NaiveTime::MIN);
    Some(date.and_time(time))
}

/// Values worth writing out (not functions, classes or modules).
/// docassemble's `serializable_dict`: every variable but internal names (`_…`) and functions
/// and classes, as JSON (see the module's documentation).
pub(crate) fn serializable(vars: &pyeval::State) -> Json {
    let mut out = Map::new();
    let mut seen = HashSet::new();
    for (name, value) in vars.globals.iter() {
        if name.starts_with('_') || !dumpable(value) {
            continue;
        }
        out.insert(name.to_string(), dump(&vars.heap, value, 0, &mut seen));
    }
    Json::Object(out)
}

fn dumpable(v: &Value) -> bool {
    !matches!(
        v,
        Value::Builtin(_) | Value::HostFn(_) | Value::Class(_) | Value::Func(_)
    )
}

fn dump(st: &pyeval::Heap, v: &Value, depth: usize, seen: &mut HashSet<ObjId>) -> Json {
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        Value::DateTime(d) => Json::String(d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::Decimal(d) => Json::String(d.to_string()),
        Value::Tuple(t) => Json::Array(t.iter().map(|x| dump(st, x, depth + 1, seen)).collect()),
        Value::Range(a, b, step) => Json::String(format!("range({a}, {b}, {step})")),
        Value::Ref(id) => dump_obj(st, *id, depth, seen),
        Value::Delta(d) => Json::String(format!("{d:?}")),
        Value::Exc(e) => Json::String(format!("{e:?}")),
        Value::Builtin(n) | Value::HostFn(n) | Value::Class(n) => Json::String(format!("<{n}>")),
        Value::Func(_) => Json::String("<function>".into()),
    }
}

fn dump_obj(st: &pyeval::Heap, id: ObjId, depth: usize, seen: &mut HashSet<ObjId>) -> Json {
    let Some(obj) = st.get(id) else {
        return Json::Null;
    };
    let name = obj.path.as_ref().map(|p| p.to_string());
    if depth >= MAX_DEPTH || !seen.insert(id) {
        // A cycle or a very deep structure: refer to the object by name.
        return Json::String(name.unwrap_or_else(|| "<object>".into()));
    }
    let out = match &obj.kind {
        ObjKind::List(items) => {
            Json::Array(items.iter().map(|x| dump(st, x, depth + 1, seen)).collect())
        }
        ObjKind::Set(items) => {
            Json::Array(items.iter().map(|x| dump(st, x, depth + 1, seen)).collect())
        }
        ObjKind::Dict(d) => {
            let mut m = Map::new();
            for (k, v) in d.iter() {
                let key = match k {
                    Value::Str(s) => s.to_string(),
                    other => match dump(st, other, depth + 1, seen) {
                        Json::String(s) => s,
                        j => j.to_string(),
                    },
                };
                m.insert(key, dump(st, v, depth + 1, seen));
            }
            Json::Object(m)
        }
        ObjKind::Iter(_) => Json::Null,
        ObjKind::Instance(inst) => {
            if inst.class.as_ref() == crate::runtime::classes::time_of_day::CLASS {
                if let Some(Value::DateTime(d)) = inst.attrs.get("_dt") {
                    seen.remove(&id);
                    return Json::String(d.time().format("%H:%M:%S").to_string());
                }
            }
            if inst.class.as_ref() == "DADateTime" {
                if let Some(v) = inst.attrs.get("_dt") {
                    let j = dump(st, v, depth + 1, seen);
                    seen.remove(&id);
                    return j;
                }
            }
            let mut m = Map::new();
            // the qualified name, as docassemble's `type_name()` gives it
            let class = match &inst.user_class {
                Some(q) => q.to_string(),
                None => format!(
                    "{}.{}",
                    crate::runtime::classes::module_of(&inst.class),
                    inst.class
                ),
            };
            m.insert("_class".into(), Json::String(class));
            if let Some(n) = &name {
                m.insert("instanceName".into(), Json::String(n.clone()));
            }
            for (k, v) in inst.attrs.iter() {
                if dumpable(v) {
                    m.insert(k.to_string(), dump(st, v, depth + 1, seen));
                }
            }
            Json::Object(m)
        }
    };
    seen.remove(&id);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a", "a.b", "a[0]", "a['k'].c", " fruit "] {
            assert!(settable_name(ok), "{ok}");
        }
        for bad in [
            "x = 1",
            "os.system('id')",
            "_internal",
            "a +",
            "",
            "1a",
            "import",
            "a()",
            "people[i].name",
        ] {
            assert!(!settable_name(bad), "{bad}");
        }
    }

    #[test]
    fn iso_dates() {
        let d = |s: &str| as_datetime(&Json::String(s.into())).map(|d| d.to_string());
        assert_eq!(d("2019-06-13").as_deref(), Some("2019-06-13 00:00:00"));
        assert_eq!(
            d("2019-06-13T10:30").as_deref(),
            Some("2019-06-13 10:30:00")
        );
        assert_eq!(
            d("2019-06-13 10:30:15").as_deref(),
            Some("2019-06-13 10:30:15")
        );
        assert_eq!(d("13/06/2019"), None);
        assert_eq!(d("2019-13-40"), None);
        assert_eq!(as_datetime(&Json::from(5)), None);
    }
}
