//! `DALink` (a hyperlink) and `DAEmailRecipient` / `DAEmailRecipientList` (e-mail addresses
//! with optional names), as `docassemble.base.util` defines them.

use pyeval::{Args, Interp, Name, ObjId, PyResult, Value};

use super::super::support::{self, s};

/// The classes of this module and their parents.
pub const CLASSES: &[(&str, &str)] = &[
    ("DALink", "DAObject"),
    ("DAEmailRecipient", "DAObject"),
    ("DAEmailRecipientList", "DAList"),
];

/// The part of `init` for class `c` of the chain.
pub fn init(c: &str, kw: &mut Vec<(Name, Value)>) {
    if c == "DAEmailRecipientList" && !kw.iter().any(|(k, _)| &**k == "object_type") {
        kw.push((
            Name::from("object_type"),
            Value::Class(Name::from("DAEmailRecipient")),
        ));
    }
}

/// `[anchor text](url)`: the Markdown of a link.
fn link(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let anchor = support::get(cx, id, "anchor_text")?;
    let url = support::get(cx, id, "url")?;
    Ok(format!("[{}]({})", cx.to_str(&anchor)?, cx.to_str(&url)?))
}

/// An attribute as text, or `None` when it is not set.
fn text_of(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Option<String>> {
    match support::raw(cx, id, name) {
        Some(v) => cx.to_str(&v).map(Some),
        None => Ok(None),
    }
}

fn is_empty(cx: &mut Interp<'_>, id: ObjId) -> PyResult<bool> {
    match support::raw(cx, id, "empty") {
        Some(v) => cx.truthy(&v),
        None => Ok(false),
    }
}

/// `str(recipient)`: a `mailto:` link named by the name when there is one.
fn recipient(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let name = text_of(cx, id, "name")?.unwrap_or_default();
    if is_empty(cx, id)? {
        return Ok(String::new());
    }
    let address = support::get(cx, id, "address")?;
    let address = cx.to_str(&address)?;
    Ok(match (address.is_empty(), name.is_empty()) {
        (true, true) => "EMAIL NOT DEFINED".to_string(),
        (true, false) => name,
        (false, true) => format!("[{address}](mailto:{address})"),
        (false, false) => format!("[{name}](mailto:{address})"),
    })
}

/// `str(obj)` for the classes of this module.
pub fn to_str(cx: &mut Interp<'_>, id: ObjId, c: &str) -> PyResult<Option<String>> {
    match c {
        "DALink" => link(cx, id).map(Some),
        "DAEmailRecipient" => recipient(cx, id).map(Some),
        _ => Ok(None),
    }
}

/// The methods of the classes of this module.
pub fn method(
    cx: &mut Interp<'_>,
    id: ObjId,
    c: &str,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(match (c, name) {
        ("DALink", "show") => Some(s(link(cx, id)?)),
        ("DAEmailRecipient", "exists") => Some(Value::Bool(support::has_raw(cx, id, "address"))),
        ("DAEmailRecipient", "email_address") => {
            if is_empty(cx, id)? {
                return Ok(Some(s("")));
            }
            let include = args.get(0, "include_name").cloned();
            let name = text_of(cx, id, "name")?;
            let with_name = match include {
                Some(Value::Bool(b)) => b,
                _ => {
                    support::raw(cx, id, "name").is_some_and(|v| !v.is_none())
                        && name.as_deref().is_some_and(|n| !n.is_empty())
                }
            };
            let address = support::get(cx, id, "address")?;
            let address = cx.to_str(&address)?;
            Some(s(if with_name {
                let name = name.unwrap_or_default().replace('"', "");
                format!("\"{name}\" <{address}>")
            } else {
                address
            }))
        }
        _ => None,
    })
}
