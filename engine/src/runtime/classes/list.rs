//! `DAList`: a list whose items docassemble gathers by asking questions, and the gathering
//! algorithm (`util.py` `DAList.gather`) shared with `DADict`/`DASet` through
//! [`trigger_gather`] and [`len`].
//!
//! State lives on the object: `elements` (a pyeval list carrying the list's path, so reading
//! `people[n]` past the end raises Needs `people[n]`), `there_are_any`, `there_is_another`,
//! `target_number`, `_necessary_length`, `gathered`, `revisit`, `auto_gather`, `ask_number`,
//! `minimum_number`, `object_type` (a `Value::Class`) with `object_type_parameters` (a dict),
//! `complete_attribute`.

use pyeval::{Args, Dict, Flow, Interp, Key, Name, ObjId, Path, PyResult, Value};

use super::super::functions::{text, web, words};
use super::super::host::DaHost;
use super::super::support::{self, closed, da_err, kw_bool, req, s, type_err};
use super::super::using;
use super::object::{cap, point_of_view, possessify, verb_for};
use super::{Family, family};

/// The shared `init` of DAList/DADict/DASet: `elements`, defaults, `object_type`.
pub(crate) fn init_common(
    cx: &mut Interp<'_>,
    id: ObjId,
    kw: &mut Vec<(Name, Value)>,
    elements: Value,
) -> PyResult<()> {
    if let Value::Ref(el) = elements {
        let p = support::path(cx, id);
        cx.heap_mut().set_path(el, p);
    }
    support::set(cx, id, "elements", elements);
    for (k, d) in [
        ("auto_gather", Value::Bool(true)),
        ("ask_number", Value::Bool(false)),
        ("minimum_number", Value::None),
    ] {
        if !kw.iter().any(|(n, _)| &**n == k) {
            support::set(cx, id, k, d);
        }
    }
    kw.retain(|(k, _)| &**k != "set_instance_name");
    // what is not given is kept when already set (a user class's `init` sets `object_type`
    // before its `super().init(...)`), as docassemble's `DAList.init` does
    let given = match take(kw, "object_type") {
        Some(Value::Class(c)) => {
            let spec = using::decode(cx, &c)?;
            Some((Value::Class(Name::from(spec.base.as_str())), spec.params))
        }
        Some(Value::None) => Some((Value::None, Vec::new())),
        None => None,
        Some(_) => return Err(type_err("object_type must be a class")),
    };
    match given {
        Some((ot, params)) => {
            support::set(cx, id, "object_type", ot);
            let pd = params_dict(cx, &params)?;
            support::set(cx, id, "object_type_parameters", pd);
        }
        None => {
            if !support::has_raw(cx, id, "object_type") {
                support::set(cx, id, "object_type", Value::None);
            }
            if !support::has_raw(cx, id, "object_type_parameters") {
                let pd = params_dict(cx, &[])?;
                support::set(cx, id, "object_type_parameters", pd);
            }
        }
    }
    match take(kw, "complete_attribute") {
        Some(ca) => support::set(cx, id, "complete_attribute", ca),
        None if !support::has_raw(cx, id, "complete_attribute") => {
            support::set(cx, id, "complete_attribute", Value::None);
        }
        None => {}
    }
    let ask = match take(kw, "ask_object_type") {
        Some(v) => cx.truthy(&v)?,
        None => false,
    };
    if ask {
        support::set(cx, id, "object_type", Value::None);
    }
    support::set(cx, id, "ask_object_type", Value::Bool(ask));
    Ok(())
}

/// Removes keyword `name` from `kw`.
pub(crate) fn take(kw: &mut Vec<(Name, Value)>, name: &str) -> Option<Value> {
    let i = kw.iter().position(|(k, _)| &**k == name)?;
    Some(kw.remove(i).1)
}

/// A dict of string keys.
pub(crate) fn params_dict(cx: &mut Interp<'_>, params: &[(Name, Value)]) -> PyResult<Value> {
    let mut d = Dict::new();
    for (k, v) in params {
        d.insert(Key::Str(k.clone()), Value::Str(k.clone()), v.clone());
    }
    Ok(cx.heap_mut().new_dict(d))
}

/// The `(name, value)` pairs of a string-keyed dict value.
pub(crate) fn dict_params(cx: &Interp<'_>, v: &Value) -> Vec<(Name, Value)> {
    let Some(id) = v.as_ref_id() else {
        return Vec::new();
    };
    match cx.heap().get(id).map(|o| &o.kind) {
        Some(pyeval::ObjKind::Dict(d)) => d
            .iter()
            .filter_map(|(k, v)| k.as_str().map(|k| (Name::from(k), v.clone())))
            .collect(),
        _ => Vec::new(),
    }
}

/// `DAList.init`.
pub fn init(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    kw: &mut Vec<(Name, Value)>,
) -> PyResult<()> {
    let elements = cx.heap_mut().new_list(Vec::new());
    init_common(cx, id, kw, elements)?;
    if let Some(items) = take(kw, "elements") {
        let items = cx.collect(&items)?;
        let n = items.len();
        for v in items {
            append_value(h, cx, id, v, false)?;
        }
        support::set(cx, id, "there_are_any", Value::Bool(n > 0));
        support::set(cx, id, "gathered", Value::Bool(true));
        support::set(cx, id, "revisit", Value::Bool(true));
    }
    Ok(())
}

/// The id of the `elements` pyeval list.
pub(crate) fn elements_id(cx: &Interp<'_>, id: ObjId) -> PyResult<ObjId> {
    support::raw(cx, id, "elements")
        .and_then(|v| v.as_ref_id())
        .ok_or_else(|| da_err("the collection has no elements"))
}

/// The items (no gathering).
pub(crate) fn items(cx: &Interp<'_>, id: ObjId) -> PyResult<Vec<Value>> {
    let el = elements_id(cx, id)?;
    Ok(cx.heap().list(el).cloned().unwrap_or_default())
}

/// The number of stored items (no gathering), for lists, dicts and sets.
pub(crate) fn stored_len(cx: &Interp<'_>, id: ObjId) -> PyResult<usize> {
    let el = elements_id(cx, id)?;
    Ok(match cx.heap().get(el).map(|o| &o.kind) {
        Some(pyeval::ObjKind::List(l)) => l.len(),
        Some(pyeval::ObjKind::Dict(d)) => d.len(),
        Some(pyeval::ObjKind::Set(s)) => s.len(),
        _ => 0,
    })
}

fn raw_truthy(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<bool> {
    match support::raw(cx, id, name) {
        Some(v) => cx.truthy(&v),
        None => Ok(false),
    }
}

fn attr(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Value> {
    support::get(cx, id, name).map_err(closed)
}

fn attr_truthy(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<bool> {
    let v = attr(cx, id, name)?;
    cx.truthy(&v).map_err(closed)
}

fn to_int(cx: &mut Interp<'_>, v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Float(f) => Ok(f.trunc() as i64),
        other => {
            let t = cx.to_str(other)?;
            t.trim()
                .parse::<f64>()
                .map(|f| f.trunc() as i64)
                .map_err(|_| Flow::raise("ValueError", format!("invalid literal for int(): '{t}'")))
        }
    }
}

/// docassemble's `_trigger_gather`: gathers unless this collection is already being gathered
/// in this pass; with `auto_gather=False` only reads `gathered`.
pub fn trigger_gather(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<()> {
    let name = support::instance_name(cx, id);
    if h.is_gathering(&name) {
        return Ok(());
    }
    let auto = match support::raw(cx, id, "auto_gather") {
        Some(v) => cx.truthy(&v)?,
        None => true,
    };
    if auto {
        match family(class) {
            Family::Dict => super::dict::gather(h, cx, id, &Args::default()).map(|_| ()),
            Family::Set => super::set::gather(h, cx, id, &Args::default()).map(|_| ()),
            _ => gather(h, cx, id, &Args::default()).map(|_| ()),
        }
    } else {
        attr(cx, id, "gathered").map(|_| ())
    }
}

/// `len()` with docassemble's rules: `ask_number` lists report `target_number` until gathered.
pub fn len(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<i64> {
    if raw_truthy(cx, id, "ask_number")? {
        return target_or_actual(cx, id);
    }
    trigger_gather(h, cx, id, class)?;
    Ok(stored_len(cx, id)? as i64)
}

fn target_or_actual(cx: &mut Interp<'_>, id: ObjId) -> PyResult<i64> {
    if raw_truthy(cx, id, "gathered")? {
        return Ok(stored_len(cx, id)? as i64);
    }
    if support::has_raw(cx, id, "there_are_any") && !raw_truthy(cx, id, "there_are_any")? {
        return Ok(0);
    }
    let t = attr(cx, id, "target_number")?;
    to_int(cx, &t)
}

/// The (class, parameters) for new items: an explicit class argument, else `object_type` with
/// `object_type_parameters`, else `new_object_type` when `ask_object_type`, else `DAObject`.
fn item_type(
    cx: &mut Interp<'_>,
    id: ObjId,
    explicit: Option<&Value>,
) -> PyResult<(Name, Vec<(Name, Value)>)> {
    if let Some(Value::Class(c)) = explicit {
        let spec = using::decode(cx, c)?;
        return Ok((Name::from(spec.base.as_str()), spec.params));
    }
    if raw_truthy(cx, id, "ask_object_type")? {
        let t = attr(cx, id, "new_object_type")?;
        return match t {
            Value::Class(c) => {
                let spec = using::decode(cx, &c)?;
                Ok((Name::from(spec.base.as_str()), spec.params))
            }
            _ => Err(da_err("new_object_type must be an object type")),
        };
    }
    match support::raw(cx, id, "object_type") {
        Some(Value::Class(c)) => {
            let p = support::raw(cx, id, "object_type_parameters").unwrap_or(Value::None);
            Ok((c, dict_params(cx, &p)))
        }
        _ => Ok((Name::from("DAObject"), Vec::new())),
    }
}

fn object_type(cx: &Interp<'_>, id: ObjId) -> Option<Name> {
    match support::raw(cx, id, "object_type") {
        Some(Value::Class(c)) => Some(c),
        _ => None,
    }
}

/// `appendObject(Class=None, **kw)`.
pub fn append_object(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    explicit: Option<&Value>,
    extra: Vec<(Name, Value)>,
) -> PyResult<Value> {
    let (class, mut params) = item_type(cx, id, explicit)?;
    for (k, v) in extra {
        match params.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => params.push((k, v)),
        }
    }
    let el = elements_id(cx, id)?;
    let n = cx.heap().list(el).map_or(0, Vec::len);
    let path = support::path(cx, id).map(|p| p.index(n as i64));
    let obj = super::new_object(h, cx, &class, path, params)?;
    if let Some(l) = cx.heap_mut().list_mut(el) {
        l.push(Value::Ref(obj));
    }
    support::set(cx, id, "there_are_any", Value::Bool(true));
    if explicit.is_none() && raw_truthy(cx, id, "ask_object_type")? {
        support::del(cx, id, "new_object_type");
    }
    Ok(Value::Ref(obj))
}

/// Gives an unnamed instance `path` (and its unnamed/old-named children), as docassemble's
/// `fix_instance_name` does.
pub(crate) fn rename(cx: &mut Interp<'_>, v: &Value, path: Path, force: bool) {
    let Some(id) = v.as_ref_id() else { return };
    if cx.heap().instance(id).is_none() {
        return;
    }
    let old = support::path(cx, id);
    if old.is_some() && !force {
        return;
    }
    rename_rec(cx, id, old.as_ref(), &path, 0);
}

fn rename_rec(cx: &mut Interp<'_>, id: ObjId, old: Option<&Path>, new: &Path, depth: u32) {
    if depth > 32 {
        return;
    }
    cx.heap_mut().set_path(id, Some(new.clone()));
    let attrs: Vec<(Name, Value)> = cx
        .heap()
        .instance(id)
        .map(|i| {
            i.attrs
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    for (k, v) in attrs {
        let Some(cid) = v.as_ref_id() else { continue };
        let cpath = cx.heap().path(cid).cloned();
        let belongs = match (&cpath, old) {
            (None, _) => true,
            (Some(cp), Some(o)) => cp.starts_with(o),
            _ => false,
        };
        if !belongs {
            continue;
        }
        if &*k == "elements" {
            cx.heap_mut().set_path(cid, Some(new.clone()));
            continue;
        }
        if cx.heap().instance(cid).is_some() {
            let child_old = cpath.clone();
            rename_rec(cx, cid, child_old.as_ref(), &new.attr(&k), depth + 1);
        }
    }
}

fn append_value(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    v: Value,
    force_name: bool,
) -> PyResult<()> {
    let _ = h;
    let el = elements_id(cx, id)?;
    let n = cx.heap().list(el).map_or(0, Vec::len);
    if let Some(p) = support::path(cx, id) {
        rename(cx, &v, p.index(n as i64), force_name);
    }
    if let Some(l) = cx.heap_mut().list_mut(el) {
        l.push(v);
    }
    Ok(())
}

/// `_reorder(*moves)`: each `(from, to)` puts the item that was at `from` at `to` (both
/// within the list), and the items are renamed after their new places.
fn reorder(cx: &mut Interp<'_>, id: ObjId, moves: &[Value]) -> PyResult<()> {
    let old = items(cx, id)?;
    let mut new = old.clone();
    for m in moves {
        let pair = cx.collect(m)?;
        let index = |v: Option<&Value>| match v {
            Some(Value::Int(i)) => usize::try_from(*i).ok().filter(|i| *i < old.len()),
            _ => None,
        };
        if let (Some(from), Some(to)) = (index(pair.first()), index(pair.get(1))) {
            new[to] = old[from].clone();
        }
    }
    let el = elements_id(cx, id)?;
    if let Some(l) = cx.heap_mut().list_mut(el) {
        *l = new;
    }
    reset_instance_names(cx, id)
}

fn reset_instance_names(cx: &mut Interp<'_>, id: ObjId) -> PyResult<()> {
    let Some(p) = support::path(cx, id) else {
        return Ok(());
    };
    let prefix = format!("{p}[");
    for (i, v) in items(cx, id)?.iter().enumerate() {
        if let Some(cid) = v.as_ref_id() {
            let cp = cx.heap().path(cid).map(ToString::to_string);
            if cp.is_some_and(|c| c.starts_with(&prefix)) {
                rename(cx, v, p.index(i as i64), true);
            }
        }
    }
    Ok(())
}

/// docassemble's `_fill_up_to(index)`: appends `None` (no object type) or new objects.
fn fill_up_to(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, index: i64) -> PyResult<()> {
    let n = stored_len(cx, id)? as i64;
    let to_add = if index < 0 {
        if n + index >= 0 {
            return Ok(());
        }
        -index - n
    } else if n <= index {
        1 + index - n
    } else {
        return Ok(());
    };
    if to_add > 10 {
        return Err(da_err("Attempt to fill up more than 10 items"));
    }
    let plain = object_type(cx, id).is_none() || raw_truthy(cx, id, "ask_object_type")?;
    for _ in 0..to_add {
        if plain {
            let el = elements_id(cx, id)?;
            if let Some(l) = cx.heap_mut().list_mut(el) {
                l.push(Value::None);
            }
        } else {
            let ot = support::raw(cx, id, "object_type");
            append_object(h, cx, id, ot.as_ref(), Vec::new())?;
        }
    }
    Ok(())
}

fn norm(i: i64, n: usize) -> Option<usize> {
    let n = n as i64;
    let j = if i < 0 { i + n } else { i };
    (0..n).contains(&j).then_some(j as usize)
}

/// `list[index]`: missing items raise Needs `list[index]` (no object type) or are created.
pub fn get_item(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, key: &Value) -> PyResult<Value> {
    let i = match key {
        Value::Int(i) => *i,
        Value::Bool(b) => i64::from(*b),
        _ => {
            let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
            return cx.get_item(&el, key);
        }
    };
    if let Some(v) = item_at(cx, id, i)? {
        return Ok(v);
    }
    if raw_truthy(cx, id, "auto_gather")?
        && support::has_raw(cx, id, "gathered")
        && !raw_truthy(cx, id, "_appending_allowed")?
    {
        return Err(Flow::raise("IndexError", "list index out of range"));
    }
    if object_type(cx, id).is_none() && !raw_truthy(cx, id, "ask_object_type")? {
        return Err(match support::path(cx, id) {
            Some(p) => support::needs_open(p.index(i)),
            None => Flow::raise("IndexError", "list index out of range"),
        });
    }
    fill_up_to(h, cx, id, i)?;
    item_at(cx, id, i)?.ok_or_else(|| Flow::raise("IndexError", "list index out of range"))
}

/// The stored item at Python index `i` (negative from the end), without copying the list.
fn item_at(cx: &Interp<'_>, id: ObjId, i: i64) -> PyResult<Option<Value>> {
    let el = elements_id(cx, id)?;
    let list = cx.heap().list(el).map(Vec::as_slice).unwrap_or_default();
    Ok(norm(i, list.len()).and_then(|j| list.get(j)).cloned())
}

/// `list[index] = value` (filling up to the index first).
pub fn set_item(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    key: &Value,
    value: &Value,
) -> PyResult<()> {
    let i = match key {
        Value::Int(i) => *i,
        Value::Bool(b) => i64::from(*b),
        _ => return Err(type_err("list indices must be integers")),
    };
    fill_up_to(h, cx, id, i)?;
    let n = stored_len(cx, id)?;
    let j = norm(i, n)
        .ok_or_else(|| Flow::raise("IndexError", "list assignment index out of range"))?;
    if let Some(p) = support::path(cx, id) {
        rename(cx, value, p.index(j as i64), false);
    }
    let el = elements_id(cx, id)?;
    if let Some(l) = cx.heap_mut().list_mut(el) {
        l[j] = value.clone();
    }
    Ok(())
}

/// `del list[index]`.
pub fn del_item(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, key: &Value) -> PyResult<()> {
    get_item(h, cx, id, key)?;
    let n = stored_len(cx, id)?;
    let i = key
        .as_int()
        .ok_or_else(|| type_err("list indices must be integers"))?;
    if let Some(j) = norm(i, n) {
        let el = elements_id(cx, id)?;
        if let Some(l) = cx.heap_mut().list_mut(el) {
            l.remove(j);
        }
    }
    reset_instance_names(cx, id)
}

/// The attribute names of `complete_attribute` (a name, a list of names, or `None`).
pub(crate) fn complete_attributes(cx: &mut Interp<'_>, ca: &Value) -> PyResult<Vec<String>> {
    Ok(match ca {
        Value::None => Vec::new(),
        Value::Str(s) => vec![s.to_string()],
        Value::Ref(_) | Value::Tuple(_) => {
            let all = cx.collect(ca)?;
            let mut out = Vec::new();
            for v in all {
                out.push(cx.to_str(&v)?);
            }
            out
        }
        _ => Vec::new(),
    })
}

/// `complex_getattr(obj, 'a.b')`: reads each attribute in turn (raising Needs).
pub(crate) fn complex_getattr(cx: &mut Interp<'_>, obj: &Value, attrib: &str) -> PyResult<Value> {
    let mut v = obj.clone();
    for part in attrib.split('.') {
        v = cx.get_attr(&v, part)?;
    }
    Ok(v)
}

/// `complex_hasattr(obj, 'a.b')`.
pub(crate) fn complex_hasattr(cx: &mut Interp<'_>, obj: &Value, attrib: &str) -> PyResult<bool> {
    match complex_getattr(cx, obj, attrib) {
        Ok(_) => Ok(true),
        Err(Flow::Needs(_)) => Ok(false),
        Err(Flow::Raise(e)) if e.kind == "AttributeError" => Ok(false),
        Err(e) => Err(e),
    }
}

/// `_validate`: every item must be complete (`complete_attribute`s defined) or `str()`-able.
pub(crate) fn validate(
    cx: &mut Interp<'_>,
    elems: &[Value],
    typed: bool,
    ca: &Value,
) -> PyResult<()> {
    let attrs = complete_attributes(cx, ca)?;
    for e in elems {
        if typed && !ca.is_none() {
            for a in &attrs {
                complex_getattr(cx, e, a).map_err(closed)?;
            }
        } else {
            cx.to_str(e).map_err(closed)?;
        }
    }
    Ok(())
}

fn validate_list(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    typed: bool,
    ca: &Value,
) -> PyResult<()> {
    if raw_truthy(cx, id, "ask_object_type")? {
        let all = items(cx, id)?;
        for (i, e) in all.iter().enumerate() {
            if e.is_none() {
                let t = attr(cx, id, "new_object_type")?;
                let Value::Class(c) = t else {
                    return Err(da_err("new_object_type must be an object type"));
                };
                let spec = using::decode(cx, &c)?;
                let path = support::path(cx, id).map(|p| p.index(i as i64));
                let obj = super::new_object(h, cx, &spec.base, path, spec.params)?;
                let el = elements_id(cx, id)?;
                if let Some(l) = cx.heap_mut().list_mut(el) {
                    l[i] = Value::Ref(obj);
                }
            }
        }
        support::del(cx, id, "new_object_type");
    }
    let all = items(cx, id)?;
    validate(cx, &all, typed, ca)
}

/// `DAList.gather(number=None, item_object_type=None, minimum=None, complete_attribute=None)`,
/// exactly as docassemble's loop (see the spec §5).
pub fn gather(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<Value> {
    if raw_truthy(cx, id, "gathered")? {
        if raw_truthy(cx, id, "auto_gather")?
            && stored_len(cx, id)? == 0
            && raw_truthy(cx, id, "there_are_any")?
        {
            support::del(cx, id, "gathered");
        } else {
            return Ok(Value::Bool(true));
        }
    }
    let explicit = args
        .get(1, "item_object_type")
        .filter(|v| !v.is_none())
        .cloned();
    let ask_ot = raw_truthy(cx, id, "ask_object_type")?;
    let (typed, item_class, item_params) = match (&explicit, object_type(cx, id)) {
        (None, Some(c)) if !ask_ot => {
            let p = support::raw(cx, id, "object_type_parameters").unwrap_or(Value::None);
            (true, Some(c), dict_params(cx, &p))
        }
        (Some(Value::Class(c)), _) => {
            let spec = using::decode(cx, c)?;
            (true, Some(Name::from(spec.base.as_str())), spec.params)
        }
        _ => (false, None, Vec::new()),
    };
    let ca = match args.get(3, "complete_attribute").filter(|v| !v.is_none()) {
        Some(v) => v.clone(),
        None => support::raw(cx, id, "complete_attribute").unwrap_or(Value::None),
    };
    let name = support::instance_name(cx, id);
    h.set_gathering(&name, true);
    let mut number: Option<i64> = match args.get(0, "number").filter(|v| !v.is_none()) {
        Some(v) => {
            let v = v.clone();
            Some(to_int(cx, &v)?)
        }
        None => None,
    };
    if number.is_none() && raw_truthy(cx, id, "ask_number")? {
        number = Some(
            if support::has_raw(cx, id, "there_are_any") && !raw_truthy(cx, id, "there_are_any")? {
                0
            } else {
                let t = attr(cx, id, "target_number")?;
                to_int(cx, &t)?
            },
        );
    }
    let mut minimum: Option<i64> = match args.get(2, "minimum").filter(|v| !v.is_none()) {
        Some(v) => {
            let v = v.clone();
            Some(to_int(cx, &v)?)
        }
        None => match support::raw(cx, id, "minimum_number") {
            None | Some(Value::None) => None,
            Some(v) => Some(to_int(cx, &v)?),
        },
    };
    if number.is_none() && minimum.is_none_or(|m| m == 0) && stored_len(cx, id)? == 0 {
        minimum = Some(if attr_truthy(cx, id, "there_are_any")? {
            1
        } else {
            0
        });
    }
    let append = |cx: &mut Interp<'_>| -> PyResult<()> {
        if let Some(c) = &item_class {
            append_object(
                h,
                cx,
                id,
                Some(&Value::Class(c.clone())),
                item_params.clone(),
            )?;
        }
        Ok(())
    };
    validate_list(h, cx, id, typed, &ca)?;
    if let Some(m) = minimum {
        while (stored_len(cx, id)? as i64) < m {
            let len = stored_len(cx, id)? as i64;
            append(cx)?;
            get_item(h, cx, id, &Value::Int(len)).map_err(closed)?;
            validate_list(h, cx, id, typed, &ca)?;
        }
    }
    let the_length = stored_len(cx, id)? as i64;
    if let Some(nl) = support::raw(cx, id, "_necessary_length") {
        let nl = to_int(cx, &nl)?;
        if nl <= the_length {
            support::del(cx, id, "_necessary_length");
        } else if number.is_none_or(|n| n < nl) {
            number = Some(nl);
        }
    }
    if let Some(n) = number {
        let mut len = the_length;
        while len < n {
            append(cx)?;
            get_item(h, cx, id, &Value::Int(len)).map_err(closed)?;
            validate_list(h, cx, id, typed, &ca)?;
            len = stored_len(cx, id)? as i64;
        }
        support::del(cx, id, "_necessary_length");
    } else if minimum != Some(0) {
        loop {
            let more = attr_truthy(cx, id, "there_is_another")?
                || (support::has_raw(cx, id, "there_is_one_other")
                    && raw_truthy(cx, id, "there_is_one_other")?);
            if !more {
                break;
            }
            if !support::del(cx, id, "there_is_one_other") {
                support::del(cx, id, "there_is_another");
            }
            support::set(cx, id, "_necessary_length", Value::Int(the_length + 1));
            append(cx)?;
            get_item(h, cx, id, &Value::Int(the_length)).map_err(closed)?;
            validate_list(h, cx, id, typed, &ca)?;
        }
    }
    support::del(cx, id, "_necessary_length");
    super::hook(cx, id, "hook_on_gather", Vec::new())?;
    if raw_truthy(cx, id, "auto_gather")? {
        support::set(cx, id, "gathered", Value::Bool(true));
        support::set(cx, id, "revisit", Value::Bool(true));
    }
    support::del(cx, id, "was_gathered");
    h.set_gathering(&name, false);
    super::hook(cx, id, "hook_after_gather", Vec::new())?;
    Ok(Value::Bool(true))
}

/// `reset_gathered(recursive=False, only_if_empty=False, mark_incomplete=False)`.
pub(crate) fn reset_gathered(cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<()> {
    if kw_bool(cx, args, "only_if_empty", false)? && stored_len(cx, id)? > 0 {
        return Ok(());
    }
    if stored_len(cx, id)? == 0 {
        support::del(cx, id, "there_are_any");
    }
    for a in [
        "there_is_another",
        "there_is_one_other",
        "gathered",
        "revisit",
        "new_object_type",
    ] {
        support::del(cx, id, a);
    }
    if kw_bool(cx, args, "mark_incomplete", false)? {
        let ca = support::raw(cx, id, "complete_attribute").unwrap_or(Value::None);
        let attrs = complete_attributes(cx, &ca)?;
        let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
        let elems = cx.collect(&el)?;
        for e in elems {
            if let Some(eid) = e.as_ref_id() {
                for a in &attrs {
                    if !a.contains('.') {
                        support::del(cx, eid, a);
                    }
                }
            }
        }
    }
    Ok(())
}

/// `str(list)`: gathers, then `comma_and_list` of the items.
pub fn to_str(h: &DaHost, cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    trigger_gather(h, cx, id, "DAList")?;
    let all = items(cx, id)?;
    let mut strs = Vec::new();
    for v in &all {
        strs.push(cx.to_str(v)?);
    }
    Ok(text::comma_and_list_str(
        &strs,
        &text::AndOptions::default(),
    ))
}

/// The noun from the instanceName (`case.plaintiff` → `plaintiff`, underscores as spaces).
pub(crate) fn noun_from_name(cx: &Interp<'_>, id: ObjId) -> String {
    let n = support::instance_name(cx, id);
    let last = n.rsplit('.').next().unwrap_or(&n).to_string();
    last.replace('_', " ")
}

/// `number()`.
pub(crate) fn number(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<i64> {
    if raw_truthy(cx, id, "ask_number")? {
        return target_or_actual(cx, id);
    }
    trigger_gather(h, cx, id, class)?;
    Ok(stored_len(cx, id)? as i64)
}

/// `as_noun(noun=None, plural=…, singular=…, article=…, this=…, capitalize=…)`, shared with DADict.
pub(crate) fn as_noun(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    args: &Args,
) -> PyResult<String> {
    let noun = match args.pos.first() {
        Some(v) => cx.to_str(v)?,
        None => noun_from_name(cx, id),
    };
    let n = number(h, cx, id, class)?;
    let plural = (n > 1 || n == 0 || kw_bool(cx, args, "plural", false)?)
        && !kw_bool(cx, args, "singular", false)?;
    let article = kw_bool(cx, args, "article", false)?;
    let this = kw_bool(cx, args, "this", false)?;
    let out = if plural {
        // docassemble's noun_plural (a singular noun ending in s, like witness, stays)
        let p = crate::runtime::functions::text::noun_plural_str(&noun, None, false);
        if article && kw_bool(cx, args, "some", false)? {
            format!("some {p}")
        } else if !article && this {
            format!("these {p}")
        } else {
            p
        }
    } else {
        let sg = words::singularize(&noun);
        if article {
            format!("{} {sg}", words::article(&sg))
        } else if this {
            format!("this {sg}")
        } else {
            sg
        }
    };
    cap(cx, args, out)
}

/// Methods shared by DAList and DADict that depend only on the count and the name.
pub(crate) fn collection_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let r = match name {
        "number" => Value::Int(number(h, cx, id, class)?),
        "number_as_word" => {
            let n = number(h, cx, id, class)?;
            let w = text::nice_number_str(n as f64, None);
            s(cap(cx, args, w)?)
        }
        "number_gathered" => {
            if kw_bool(cx, args, "if_started", false)? && !gathering_started(cx, id)? {
                trigger_gather(h, cx, id, class)?;
            }
            Value::Int(stored_len(cx, id)? as i64)
        }
        "gathering_started" => Value::Bool(gathering_started(cx, id)?),
        "has_been_gathered" => {
            Value::Bool(support::has_raw(cx, id, "gathered") || raw_truthy(cx, id, "was_gathered")?)
        }
        "reset_gathered" => {
            reset_gathered(cx, id, args)?;
            Value::None
        }
        "as_noun" => s(as_noun(h, cx, id, class, args)?),
        "as_singular_noun" => s(words::singularize(&noun_from_name(cx, id))),
        "quantity_noun" => {
            let n = number(h, cx, id, class)?;
            let noun = match args.pos.first() {
                Some(v) => cx.to_str(v)?,
                None => noun_from_name(cx, id),
            };
            let out = format!(
                "{} {}",
                text::nice_number_str(n as f64, None),
                text::noun_plural_str(&noun, Some(n as f64), false)
            );
            s(cap(cx, args, out)?)
        }
        "possessive" => {
            let target = cx.to_str(req(args, 0, "target", name)?)?;
            // the keyword arguments go to as_noun() (`capitalize=True`), as docassemble's do
            let kw = Args {
                pos: Vec::new(),
                kw: args.kw.clone(),
            };
            let noun = as_noun(h, cx, id, class, &kw)?;
            let n = number(h, cx, id, class)?;
            s(possessify(&noun, &target, n > 1))
        }
        "does_verb" | "did_verb" => {
            let verb = cx.to_str(req(args, 0, "the_verb", name)?)?;
            let person = point_of_view(cx, id, args)?;
            let past = name == "did_verb"
                || kw_bool(cx, args, "past", false)?
                || args
                    .kw("present")
                    .is_some_and(|v| matches!(v, Value::Bool(false)));
            let n = number(h, cx, id, class)?;
            s(verb_for(&verb, &person, n > 1, past))
        }
        "pronoun_possessive" | "pronoun" | "pronoun_objective" | "pronoun_subjective"
        | "itself" => {
            if number(h, cx, id, class)? == 1 {
                let first = first_value(h, cx, id, class)?;
                if cx.class_name(&first).is_some() {
                    return cx.call_method(&first, name, args.clone()).map(Some);
                }
            }
            let person = point_of_view(cx, id, args)?;
            let second = matches!(person.as_str(), "2" | "2p");
            let first_p = matches!(person.as_str(), "1" | "1p");
            let out = match name {
                "pronoun_possessive" => {
                    let target = cx.to_str(req(args, 0, "target", name)?)?;
                    let p = if second {
                        "your"
                    } else if first_p {
                        "our"
                    } else {
                        "their"
                    };
                    format!("{p} {target}")
                }
                "pronoun_subjective" => if second {
                    "you"
                } else if first_p {
                    "we"
                } else {
                    "they"
                }
                .to_string(),
                "itself" => if second {
                    "yourselves"
                } else if first_p {
                    "ourselves"
                } else {
                    "themselves"
                }
                .to_string(),
                _ => if second {
                    "you"
                } else if first_p {
                    "us"
                } else {
                    "them"
                }
                .to_string(),
            };
            s(cap(cx, args, out)?)
        }
        // one item answers for itself; more are "do you", "do we" or "do Ann and Bob"
        "do_question" | "did_question" | "were_question" | "have_question" | "is_user" => {
            if number(h, cx, id, class)? == 1 {
                let first = first_value(h, cx, id, class)?;
                if cx.class_name(&first).is_some() {
                    return cx.call_method(&first, name, args.clone()).map(Some);
                }
            }
            if name == "is_user" {
                return Ok(Some(Value::Bool(false)));
            }
            let what = cx.to_str(req(args, 0, "the_verb", name)?)?;
            let person = point_of_view(cx, id, args)?;
            let verb = match name {
                "do_question" => "do",
                "did_question" => "did",
                "were_question" => "were",
                _ => "have",
            };
            let out = match person.as_str() {
                "2" | "2p" => format!("{verb} you {what}"),
                "1" | "1p" => format!("{verb} we {what}"),
                _ => format!("{verb} {} {what}", cx.to_str(&Value::Ref(id))?),
            };
            s(cap(cx, args, out)?)
        }
        "is_are_you" => {
            if number(h, cx, id, class)? == 1 {
                let first = first_value(h, cx, id, class)?;
                if cx.class_name(&first).is_some() {
                    return cx.call_method(&first, name, args.clone()).map(Some);
                }
            }
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" | "2p" => "are you".to_string(),
                "1" | "1p" => "are we".to_string(),
                _ => format!("are {}", cx.to_str(&Value::Ref(id))?),
            };
            s(cap(cx, args, out)?)
        }
        "_allow_appending" => {
            support::set(cx, id, "_appending_allowed", Value::Bool(true));
            Value::None
        }
        "_disallow_appending" => {
            support::del(cx, id, "_appending_allowed");
            Value::None
        }
        "add_action" => s(add_action(h, cx, id, args)?),
        "item_actions" => s(item_actions(h, cx, id, args)?),
        "set_object_type" => {
            let v = req(args, 0, "object_type", name)?.clone();
            let (ot, params) = match v {
                Value::Class(c) => {
                    let spec = using::decode(cx, &c)?;
                    (Value::Class(Name::from(spec.base.as_str())), spec.params)
                }
                _ => (Value::None, Vec::new()),
            };
            support::set(cx, id, "object_type", ot);
            let pd = params_dict(cx, &params)?;
            support::set(cx, id, "object_type_parameters", pd);
            Value::None
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}

fn gathering_started(cx: &mut Interp<'_>, id: ObjId) -> PyResult<bool> {
    Ok(support::has_raw(cx, id, "gathered")
        || support::has_raw(cx, id, "there_are_any")
        || stored_len(cx, id)? > 0)
}

fn first_value(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<Value> {
    trigger_gather(h, cx, id, class)?;
    let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
    let all = cx.collect(&el)?;
    match (family(class), all.first()) {
        (Family::Dict, Some(k)) => cx.get_item(&el, k),
        (_, Some(v)) => Ok(v.clone()),
        (_, None) => Ok(Value::None),
    }
}

/// `add_action(label=None, url_only=False, icon='plus-circle', color=None, size='sm', block=None, classname=None)`.
pub(crate) fn add_action(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    args: &Args,
) -> PyResult<String> {
    let color = support::kw_str(cx, args, "color")?.unwrap_or_else(|| "secondary".into());
    let color = if matches!(
        color.as_str(),
        "primary"
            | "secondary"
            | "tertiary"
            | "success"
            | "danger"
            | "warning"
            | "info"
            | "light"
            | "dark"
    ) {
        color
    } else {
        "success".into()
    };
    let size = support::kw_str(cx, args, "size")?.unwrap_or_else(|| "sm".into());
    let size = match size.as_str() {
        "md" => String::new(),
        "lg" => " btn-lg".into(),
        _ => " btn-sm".into(),
    };
    let block = if kw_bool(cx, args, "block", false)? {
        " btn-block"
    } else {
        ""
    };
    let icon = match args.kw("icon") {
        None => Some("plus-circle".to_string()),
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(_) => None,
    };
    let icon = icon.map(|i| {
        let i =
            if i.starts_with("fa") && i.chars().nth(3) == Some('-') && i[3..].starts_with("-fa-") {
                format!("{} {}", &i[..3], &i[4..])
            } else {
                i
            };
        let has_prefix = i.len() > 4
            && i.starts_with("fa")
            && i.as_bytes()[3] == b' '
            && i[4..].starts_with("fa-");
        let i = if has_prefix {
            i
        } else {
            format!("fa-solid fa-{i}")
        };
        i.replacen("fas ", "fa-solid ", 1)
            .replacen("far ", "fa-regular ", 1)
            .replacen("fab ", "fa-brands ", 1)
    });
    let classname = match support::kw_str(cx, args, "classname")? {
        Some(c) => format!(" {c}"),
        None => String::new(),
    };
    let label = match support::arg_str(cx, args, 0, "label")? {
        Some(l) => l,
        None => match support::kw_str(cx, args, "message")? {
            Some(m) => m,
            None if stored_len(cx, id)? > 0 => "Add another".into(),
            None => "Add an item".into(),
        },
    };
    let list_name = support::instance_name(cx, id);
    let (action, key) = if collection_family(cx, id) == Family::Dict {
        ("_da_dict_add", "dict")
    } else {
        ("_da_list_add", "list")
    };
    let url = web::url_action(h, cx, action, vec![(Name::from(key), s(&list_name))])?;
    if kw_bool(cx, args, "url_only", false)? {
        return Ok(url);
    }
    let icon = match icon {
        Some(i) if !i.is_empty() => format!("<i class=\"{i}\"></i> "),
        _ => String::new(),
    };
    Ok(format!(
        "<a href=\"{url}\" class=\"btn{size}{block} btn-{color} btn-darevisit{classname}\">{icon}{label}</a>"
    ))
}

fn collection_family(cx: &Interp<'_>, id: ObjId) -> Family {
    cx.heap()
        .instance(id)
        .map_or(Family::Object, |i| family(&i.class))
}

fn py_dict(cx: &mut Interp<'_>, items: Vec<(&str, Value)>) -> PyResult<Value> {
    let mut d = Dict::new();
    for (k, v) in items {
        let key = s(k);
        let hk = support::key(cx, &key)?;
        d.insert(hk, key, v);
    }
    Ok(cx.heap_mut().new_dict(d))
}

/// `item_actions(item, index, *follow_up_attributes, edit=True, delete=True, confirm=False,
/// ensure_complete=True, read_only_attribute=None, edit_url_only=False,
/// delete_url_only=False)`: the Edit and Delete buttons of one row of a list's or dict's
/// table (`_da_list_edit` / `_da_dict_edit` and `_da_list_remove` / `_da_dict_remove`).
pub(crate) fn item_actions(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    args: &Args,
) -> PyResult<String> {
    let is_dict = collection_family(cx, id) == Family::Dict;
    let (edit_action, remove_action, key, ensure) = if is_dict {
        (
            "_da_dict_edit",
            "_da_dict_remove",
            "dict",
            "_da_dict_ensure_complete",
        )
    } else {
        (
            "_da_list_edit",
            "_da_list_remove",
            "list",
            "_da_list_ensure_complete",
        )
    };
    let item = req(args, 0, "item", "item_actions")?.clone();
    let index = req(args, 1, "index", "item_actions")?.clone();
    let follow_ups: Vec<String> = args
        .pos
        .iter()
        .skip(2)
        .map(|v| cx.to_str(v))
        .collect::<PyResult<_>>()?;
    let name = support::instance_name(cx, id);
    let can_delete = match support::raw(cx, id, "minimum_number") {
        Some(v) if !v.is_none() => {
            let min = support::num(&v).unwrap_or(0.0);
            (stored_len(cx, id)? as f64) > min
        }
        _ => true,
    };
    let mut use_edit = kw_bool(cx, args, "edit", true)?;
    let mut use_delete = kw_bool(cx, args, "delete", true)?;
    let ensure_complete = kw_bool(cx, args, "ensure_complete", true)?;
    if let Some(attr) = support::kw_str(cx, args, "read_only_attribute")? {
        let v = cx.get_attr(&item, &attr)?;
        match v {
            Value::Bool(true) => {
                use_edit = false;
                use_delete = false;
            }
            Value::Ref(_) => {
                let get = |cx: &mut Interp<'_>, k: &str| -> PyResult<bool> {
                    let key = s(k);
                    if cx.contains(&v, &key)? {
                        let x = cx.get_item(&v, &key)?;
                        cx.truthy(&x)
                    } else {
                        Ok(true)
                    }
                };
                use_edit = get(cx, "edit")?;
                use_delete = get(cx, "delete")?;
            }
            _ => {}
        }
    }
    let item_name = match cx.path_of(&item) {
        Some(p) => p.to_string(),
        None => format!("{name}[{}]", cx.repr(&index)?),
    };
    let mut items = Vec::new();
    if is_dict
        && matches!(support::raw(cx, id, "complete_attribute"), Some(Value::Str(a)) if &*a == "complete")
    {
        let vars = cx
            .heap_mut()
            .new_list(vec![s(format!("{item_name}.complete"))]);
        let arguments = py_dict(cx, vec![("variables", vars)])?;
        items.push(py_dict(
            cx,
            vec![("action", s("_da_undefine")), ("arguments", arguments)],
        )?);
    }
    let follow: Vec<Value> = if follow_ups.is_empty() {
        vec![s(format!("{name}[{}]", cx.repr(&index)?))]
    } else {
        follow_ups
            .iter()
            .map(|a| {
                let sep = if a.starts_with('[') { "" } else { "." };
                s(format!("{item_name}{sep}{a}"))
            })
            .collect()
    };
    let follow = cx.heap_mut().new_list(follow);
    items.push(py_dict(cx, vec![("follow up", follow)])?);
    let ca = support::raw(cx, id, "complete_attribute").unwrap_or(Value::None);
    if !matches!(&ca, Value::None) && !matches!(&ca, Value::Str(a) if &**a == "complete") {
        let vars: Vec<Value> = complete_attributes(cx, &ca)?
            .into_iter()
            .map(|a| s(format!("{item_name}.{a}")))
            .collect();
        let vars = cx.heap_mut().new_list(vars);
        let arguments = py_dict(cx, vec![("variables", vars)])?;
        items.push(py_dict(
            cx,
            vec![("action", s("_da_define")), ("arguments", arguments)],
        )?);
    }
    if ensure_complete {
        let arguments = py_dict(cx, vec![("group", s(&name))])?;
        items.push(py_dict(
            cx,
            vec![("action", s(ensure)), ("arguments", arguments)],
        )?);
    }
    let items = cx.heap_mut().new_list(items);
    let edit_url = web::url_action(h, cx, edit_action, vec![(Name::from("items"), items)])?;
    let index_repr = s(cx.repr(&index)?);
    let remove_url = web::url_action(
        h,
        cx,
        remove_action,
        vec![
            (Name::from(key), s(&name)),
            (Name::from("item"), index_repr),
        ],
    )?;
    if kw_bool(cx, args, "edit_url_only", false)? {
        return Ok(edit_url);
    }
    if kw_bool(cx, args, "delete_url_only", false)? {
        return Ok(remove_url);
    }
    let mut out = String::new();
    if kw_bool(cx, args, "reorder", false)? {
        out.push_str(&reorder_buttons(&name, &cx.repr(&index)?));
    }
    if use_edit {
        out.push_str(&format!(
            "<a href=\"{edit_url}\" role=\"button\" class=\"btn btn-sm btn-secondary btn-darevisit\"><span class=\"text-nowrap\"><i class=\"fa-solid fa-pencil-alt\"></i> Edit</span></a> "
        ));
    }
    if use_delete && can_delete {
        let confirm = if kw_bool(cx, args, "confirm", false)? {
            " daremovebutton"
        } else {
            ""
        };
        out.push_str(&format!(
            "<a href=\"{remove_url}\" role=\"button\" class=\"btn btn-sm btn-danger btn-darevisit{confirm}\"><span class=\"text-nowrap\"><i class=\"fa-solid fa-trash\"></i> Delete</span></a>"
        ));
    }
    Ok(out)
}

/// The up and down buttons of a row of a table with `allow reordering` (docassemble's
/// `_reorder_buttons`): the page moves the rows, and on submit posts each row's first index
/// (`data-tableitem`) against its place as `_order_changes`.
fn reorder_buttons(list: &str, index: &str) -> String {
    let table = crate::runtime::functions::json::b64(list.as_bytes());
    format!(
        "<span class=\"text-nowrap\"><a href=\"#\" role=\"button\" class=\"btn btn-sm btn-info btn-darevisit datableup\" data-tablename=\"{table}\" data-tableitem=\"{index}\" title=\"Reorder by moving up\"><i class=\"fa-solid fa-arrow-up\"></i><span class=\"visually-hidden\">Move up</span></a> <a href=\"#\" role=\"button\" class=\"btn btn-sm btn-info btn-darevisit databledown\"><i class=\"fa-solid fa-arrow-down\" title=\"Reorder by moving down\"></i><span class=\"visually-hidden\">Move down</span></a></span> "
    )
}

/// DAList methods.
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let class = cx
        .heap()
        .instance(id)
        .map(|i| i.class.to_string())
        .unwrap_or_else(|| "DAList".into());
    let r = match name {
        "appendObject" | "append_object" => {
            let explicit = args.pos.first().cloned();
            let mut kw = args.kw.clone();
            // `appendObject(DAContext, 'Apple', 'red fruit')`: the texts after the class
            if let Some(Value::Class(c)) = &explicit
                && super::is_a(using::base_of(c), "DAContext")
            {
                kw.extend(super::context_texts(
                    args.pos.iter().skip(1).cloned().collect(),
                ));
            }
            append_object(h, cx, id, explicit.as_ref(), kw)?
        }
        "initializeObject" | "initialize_object" => {
            let index = match args.pos.first() {
                Some(Value::Int(i)) if *i >= 0 => *i,
                _ => {
                    return Err(da_err(
                        "initializeObject: first parameter must be an integer (0 or greater)",
                    ));
                }
            };
            let (class, mut params) = item_type(cx, id, args.pos.get(1))?;
            params.extend(args.kw.iter().cloned());
            let path = support::path(cx, id).map(|p| p.index(index));
            let obj = super::new_object(h, cx, &class, path, params)?;
            let el = elements_id(cx, id)?;
            if let Some(l) = cx.heap_mut().list_mut(el) {
                while (l.len() as i64) < index {
                    l.push(Value::None);
                }
            }
            set_item(h, cx, id, &Value::Int(index), &Value::Ref(obj))?;
            support::set(cx, id, "there_are_any", Value::Bool(true));
            Value::Ref(obj)
        }
        "append" => {
            let force = kw_bool(cx, args, "set_instance_name", false)?;
            for v in &args.pos {
                append_value(h, cx, id, v.clone(), force)?;
            }
            if !args.pos.is_empty() {
                support::set(cx, id, "there_are_any", Value::Bool(true));
            }
            Value::None
        }
        "extend" => {
            let v = req(args, 0, "the_list", name)?.clone();
            let all = cx.collect(&v)?;
            for x in all {
                append_value(h, cx, id, x, false)?;
            }
            Value::None
        }
        "insert" => {
            let i = req(args, 0, "index", name)?
                .as_int()
                .ok_or_else(|| type_err("index must be an integer"))?;
            let v = req(args, 1, "item", name)?.clone();
            let el = elements_id(cx, id)?;
            if let Some(l) = cx.heap_mut().list_mut(el) {
                let n = l.len() as i64;
                let j = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
                l.insert(j, v);
            }
            reset_instance_names(cx, id)?;
            support::set(cx, id, "there_are_any", Value::Bool(true));
            Value::None
        }
        "remove" => {
            let mut removed = false;
            for v in &args.pos {
                let all = items(cx, id)?;
                let mut pos = None;
                for (i, x) in all.iter().enumerate() {
                    if super::super::functions::values_equal(cx, x, v)? {
                        pos = Some(i);
                        break;
                    }
                }
                if let Some(i) = pos {
                    super::hook(cx, id, "hook_on_remove", vec![all[i].clone()])?;
                    let el = elements_id(cx, id)?;
                    if let Some(l) = cx.heap_mut().list_mut(el) {
                        l.remove(i);
                    }
                    removed = true;
                }
            }
            reset_instance_names(cx, id)?;
            if removed && stored_len(cx, id)? == 0 {
                support::set(cx, id, "there_are_any", Value::Bool(false));
            }
            Value::None
        }
        "delitem" | "_remove_items_by_number" => {
            let mut idx: Vec<usize> = Vec::new();
            let n = stored_len(cx, id)?;
            for v in &args.pos {
                if let Some(j) = v.as_int().and_then(|i| norm(i, n)) {
                    idx.push(j);
                }
            }
            idx.sort_unstable();
            idx.dedup();
            let el = elements_id(cx, id)?;
            if let Some(l) = cx.heap_mut().list_mut(el) {
                for j in idx.iter().rev() {
                    l.remove(*j);
                }
            }
            reset_instance_names(cx, id)?;
            if !idx.is_empty() {
                support::del(cx, id, "_necessary_length");
            }
            Value::None
        }
        "pop" => {
            let el = elements_id(cx, id)?;
            let n = stored_len(cx, id)?;
            let j = match args.pos.first() {
                Some(v) => v.as_int().and_then(|i| norm(i, n)),
                None => n.checked_sub(1),
            };
            let Some(j) = j else {
                return Err(Flow::raise("IndexError", "pop index out of range"));
            };
            let item = items(cx, id)?.get(j).cloned().unwrap_or(Value::None);
            super::hook(cx, id, "hook_on_remove", vec![item])?;
            let v = cx
                .heap_mut()
                .list_mut(el)
                .map(|l| l.remove(j))
                .unwrap_or(Value::None);
            reset_instance_names(cx, id)?;
            if stored_len(cx, id)? == 0 {
                support::set(cx, id, "there_are_any", Value::Bool(false));
            }
            v
        }
        "clear" => {
            let el = elements_id(cx, id)?;
            if let Some(l) = cx.heap_mut().list_mut(el) {
                l.clear();
            }
            Value::None
        }
        "index" => {
            trigger_gather(h, cx, id, &class)?;
            let v = req(args, 0, "value", name)?.clone();
            let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
            support::call(cx, &el, "index", vec![v])?
        }
        "count" => {
            trigger_gather(h, cx, id, &class)?;
            let v = req(args, 0, "item", name)?.clone();
            let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
            support::call(cx, &el, "count", vec![v])?
        }
        "first" => {
            trigger_gather(h, cx, id, &class)?;
            get_item(h, cx, id, &Value::Int(0))?
        }
        "last" => {
            trigger_gather(h, cx, id, &class)?;
            let n = stored_len(cx, id)? as i64;
            get_item(h, cx, id, &Value::Int((n - 1).max(0)))?
        }
        "item" => {
            trigger_gather(h, cx, id, &class)?;
            let i = req(args, 0, "index", name)?.as_int().unwrap_or(0);
            if i < stored_len(cx, id)? as i64 {
                get_item(h, cx, id, &Value::Int(i))?
            } else {
                super::file::empty(cx)
            }
        }
        "current_index" => Value::Int((stored_len(cx, id)? as i64 - 1).max(0)),
        "gather" => gather(h, cx, id, args)?,
        "cancel_add_or_edit" => cancel_add_or_edit(h, cx, id, false)?,
        "complete_elements" => {
            let ca = match args.get(0, "complete_attribute").filter(|v| !v.is_none()) {
                Some(v) => v.clone(),
                None => support::raw(cx, id, "complete_attribute").unwrap_or(Value::None),
            };
            let attrs = complete_attributes(cx, &ca)?;
            let mut keep = Vec::new();
            for e in items(cx, id)? {
                if e.is_none() {
                    continue;
                }
                let ok = if ca.is_none() {
                    match cx.to_str(&e) {
                        Ok(_) => true,
                        Err(Flow::Needs(_)) | Err(Flow::Raise(_)) => false,
                        Err(other) => return Err(other),
                    }
                } else {
                    let mut ok = true;
                    for a in &attrs {
                        if !complex_hasattr(cx, &e, a)? {
                            ok = false;
                            break;
                        }
                    }
                    ok
                };
                if ok {
                    keep.push(e);
                }
            }
            new_gathered_list(h, cx, &class, support::path(cx, id), keep)?
        }
        "gathered_and_complete" => {
            let _ = support::del(cx, id, "gathered");
            gather(h, cx, id, &Args::default())?
        }
        "comma_and_list" => {
            trigger_gather(h, cx, id, &class)?;
            let all = items(cx, id)?;
            let mut strs = Vec::new();
            for v in &all {
                strs.push(cx.to_str(v)?);
            }
            let opts = text::AndOptions::from_args(cx, args)?;
            s(text::comma_and_list_str(&strs, &opts))
        }
        "copy" => {
            trigger_gather(h, cx, id, &class)?;
            let all = items(cx, id)?;
            new_gathered_list(h, cx, &class, None, all)?
        }
        "sort" | "sort_elements" => {
            // docassemble: gathers, sorts in place and returns the list itself
            trigger_gather(h, cx, id, &class)?;
            let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
            cx.call_method(&el, "sort", args.clone())?;
            reset_instance_names(cx, id)?;
            Value::Ref(id)
        }
        "_reorder" => {
            reorder(cx, id, &args.pos)?;
            if raw_truthy(cx, id, "gathered")? {
                super::hook(cx, id, "hook_after_gather", Vec::new())?;
            }
            Value::None
        }
        "reverse" => {
            let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
            cx.call_method(&el, "reverse", Args::default())?;
            reset_instance_names(cx, id)?;
            Value::None
        }
        "filter" => {
            trigger_gather(h, cx, id, &class)?;
            let mut keep = Vec::new();
            'items: for e in items(cx, id)? {
                for (k, want) in &args.kw {
                    let got = cx.get_attr(&e, k).map_err(closed)?;
                    if !super::super::functions::values_equal(cx, &got, want)? {
                        continue 'items;
                    }
                }
                keep.push(e);
            }
            new_gathered_list(h, cx, &class, None, keep)?
        }
        "union" | "intersection" | "difference" => {
            trigger_gather(h, cx, id, &class)?;
            let mine = items(cx, id)?;
            let other = req(args, 0, "other_set", name)?.clone();
            let theirs = cx.collect(&other)?;
            let mut out: Vec<Value> = Vec::new();
            let contains = |cx: &mut Interp<'_>, xs: &[Value], v: &Value| -> PyResult<bool> {
                for x in xs {
                    if super::super::functions::values_equal(cx, x, v)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            };
            match name {
                "union" => {
                    for v in mine.iter().chain(theirs.iter()) {
                        if !contains(cx, &out, v)? {
                            out.push(v.clone());
                        }
                    }
                }
                "intersection" => {
                    for v in &mine {
                        if contains(cx, &theirs, v)? && !contains(cx, &out, v)? {
                            out.push(v.clone());
                        }
                    }
                }
                _ => {
                    for v in &mine {
                        if !contains(cx, &theirs, v)? && !contains(cx, &out, v)? {
                            out.push(v.clone());
                        }
                    }
                }
            }
            new_gathered_set(h, cx, out)?
        }
        _ => return collection_method(h, cx, id, &class, name, args),
    };
    Ok(Some(r))
}

/// A new, gathered list of `class` holding `items` (not renaming them).
pub(crate) fn new_gathered_list(
    h: &DaHost,
    cx: &mut Interp<'_>,
    class: &str,
    path: Option<Path>,
    items: Vec<Value>,
) -> PyResult<Value> {
    let id = super::new_object(h, cx, class, None, Vec::new())?;
    let el = elements_id(cx, id)?;
    cx.heap_mut().set_path(id, path.clone());
    cx.heap_mut().set_path(el, path);
    let n = items.len();
    if let Some(l) = cx.heap_mut().list_mut(el) {
        *l = items;
    }
    support::set(cx, id, "there_are_any", Value::Bool(n > 0));
    support::set(cx, id, "gathered", Value::Bool(true));
    support::set(cx, id, "revisit", Value::Bool(true));
    Ok(Value::Ref(id))
}

fn new_gathered_set(h: &DaHost, cx: &mut Interp<'_>, items: Vec<Value>) -> PyResult<Value> {
    let id = super::new_object(h, cx, "DASet", None, Vec::new())?;
    let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
    for v in items {
        cx.call_method(&el, "add", Args::new(vec![v]))?;
    }
    support::set(cx, id, "gathered", Value::Bool(true));
    support::set(cx, id, "auto_gather", Value::Bool(false));
    Ok(Value::Ref(id))
}

/// `cancel_add_or_edit()` of a DAList or DADict: the pending add/edit actions go (the engine
/// drops them from the event stack), an item being added that is not complete is removed,
/// and the gathering marks are cleared.
pub(crate) fn cancel_add_or_edit(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    is_dict: bool,
) -> PyResult<Value> {
    let name = support::instance_name(cx, id);
    h.effects_mut().cancelled_groups.push(name);
    let me = Value::Ref(id);
    let complete = cx.call_method(&me, "complete_elements", Args::default())?;
    let complete = cx.len(&complete)?;
    let gathered = cx.call_method(&me, "number_gathered", Args::default())?;
    if let Some(n) = gathered.as_int()
        && complete < n
    {
        let pop = if is_dict { "popitem" } else { "pop" };
        cx.call_method(&me, pop, Args::default())?;
    }
    let extra = if is_dict {
        "new_item_name"
    } else {
        "_necessary_length"
    };
    for attr in ["doing_gathered_and_complete", extra, "there_is_one_other"] {
        support::del(cx, id, attr);
    }
    Ok(Value::None)
}
