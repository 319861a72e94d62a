//! `DANav`, the `nav` object: the current section and the section list of the interview.
//!
//! Attributes: `current` (the current section's key, or None), `hidden` (the section list
//! is not shown), `sections` (a list set by `set_sections()`, or None) and
//! `_default_sections` (the interview's `sections` block, which the engine stores). Lists use
//! docassemble's forms: `"Title"`, `{"key": "Title"}`, `{"key": "Title", "subsections": […]}`
//! and `{"Title": […]}`.

use pyeval::{Args, Interp, ObjId, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{self, arg_str, kw_bool, s};

/// `(key, title)` of every section and subsection in a docassemble-form list, in order.
fn flatten(cx: &mut Interp<'_>, list: &Value, out: &mut Vec<(String, String)>) -> PyResult<()> {
    if list.is_none() {
        return Ok(());
    }
    for item in cx.collect(list)? {
        if let Value::Str(t) = &item {
            out.push((t.to_string(), t.to_string()));
            continue;
        }
        if !matches!(&item, Value::Ref(_)) {
            continue;
        }
        let keys = cx.collect(&item)?;
        for k in keys {
            let key = cx.to_str(&k)?;
            let v = cx.get_item(&item, &k)?;
            if key == "subsections" {
                flatten(cx, &v, out)?;
            } else if matches!(&v, Value::Str(_)) {
                let title = cx.to_str(&v)?;
                out.push((key, title));
            } else {
                out.push((key.clone(), key));
                flatten(cx, &v, out)?;
            }
        }
    }
    Ok(())
}

/// The sections in force: `set_sections()`'s list, else the interview's.
fn sections(cx: &mut Interp<'_>, id: ObjId) -> Value {
    match support::raw(cx, id, "sections") {
        Some(v) if !v.is_none() => v,
        _ => support::raw(cx, id, "_default_sections").unwrap_or(Value::None),
    }
}

/// DANav methods.
pub fn method(
    _h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let r = match name {
        "set_section" => {
            let key = arg_str(cx, args, 0, "section")?.unwrap_or_default();
            support::set(cx, id, "current", s(key.trim()));
            Value::None
        }
        "get_section" => {
            let display = kw_bool(cx, args, "display", false)?;
            let list = sections(cx, id);
            let mut all = Vec::new();
            flatten(cx, &list, &mut all)?;
            let current = match support::raw(cx, id, "current") {
                Some(Value::Str(c)) => Some(c.to_string()),
                _ => all.first().map(|(k, _)| k.clone()),
            };
            match current {
                None => Value::None,
                Some(c) if display => s(all
                    .iter()
                    .find(|(k, _)| *k == c)
                    .map_or(c.clone(), |(_, t)| t.clone())),
                Some(c) => s(c),
            }
        }
        "get_sections" => sections(cx, id),
        "set_sections" => {
            let v = args.get(0, "sections").cloned().unwrap_or(Value::None);
            support::set(cx, id, "sections", v);
            Value::None
        }
        "hide" => {
            support::set(cx, id, "hidden", Value::Bool(true));
            Value::None
        }
        "unhide" => {
            support::set(cx, id, "hidden", Value::Bool(false));
            Value::None
        }
        "visible" => Value::Bool(!matches!(
            support::raw(cx, id, "hidden"),
            Some(Value::Bool(true))
        )),
        // The section list is drawn by the front end from the screen's `sections`.
        "show_sections" => s(""),
        _ => return Ok(None),
    };
    Ok(Some(r))
}
