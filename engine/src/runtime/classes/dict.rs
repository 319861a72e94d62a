//! `DADict` (and `DAOrderedDict`): a dict whose entries docassemble gathers by asking
//! `new_item_name` (the key) and `new_item_value` or `d[key]` (an object of `object_type`),
//! with `there_are_any` / `there_is_another` as for lists.

use pyeval::{Args, Dict, Flow, Interp, Name, ObjId, PyResult, Value};

use super::super::functions::text;
use super::super::host::DaHost;
use super::super::support::{self, closed, da_err, kw_bool, req, s};
use super::super::using;
use super::list::{self, dict_params, take};

/// `DADict.init`.
pub fn init(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    kw: &mut Vec<(Name, Value)>,
) -> PyResult<()> {
    let elements = cx.heap_mut().new_dict(Dict::new());
    list::init_common(cx, id, kw, elements)?;
    if let Some(src) = take(kw, "elements") {
        let pairs = pairs_of(cx, &src)?;
        for (k, v) in pairs {
            set_item(cx, id, &k, &v)?;
        }
        support::set(cx, id, "gathered", Value::Bool(true));
        support::set(cx, id, "revisit", Value::Bool(true));
    }
    if let Some(keys) = take(kw, "keys") {
        new_entries(h, cx, id, &[keys], &[])?;
    }
    Ok(())
}

fn pairs_of(cx: &mut Interp<'_>, v: &Value) -> PyResult<Vec<(Value, Value)>> {
    let keys = cx.collect(v)?;
    let mut out = Vec::new();
    for k in keys {
        let val = cx.get_item(v, &k)?;
        out.push((k, val));
    }
    Ok(out)
}

fn elements(cx: &Interp<'_>, id: ObjId) -> PyResult<Value> {
    support::raw(cx, id, "elements").ok_or_else(|| da_err("the dict has no elements"))
}

/// The stored `(key, value)` pairs in insertion order (no gathering).
pub(crate) fn stored_items(cx: &Interp<'_>, id: ObjId) -> PyResult<Vec<(Value, Value)>> {
    let el = elements(cx, id)?;
    let Some(eid) = el.as_ref_id() else {
        return Ok(Vec::new());
    };
    Ok(match cx.heap().get(eid).map(|o| &o.kind) {
        Some(pyeval::ObjKind::Dict(d)) => d.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    })
}

fn has_key(cx: &mut Interp<'_>, id: ObjId, key: &Value) -> PyResult<bool> {
    let el = elements(cx, id)?;
    cx.contains(&el, key)
}

/// Sorted keys (`sorted(d.elements.keys())`), falling back to insertion order.
pub(crate) fn sorted_keys(cx: &mut Interp<'_>, id: ObjId) -> PyResult<Vec<Value>> {
    let keys: Vec<Value> = stored_items(cx, id)?.into_iter().map(|(k, _)| k).collect();
    sorted_or_same(cx, keys)
}

fn sorted_or_same(cx: &mut Interp<'_>, items: Vec<Value>) -> PyResult<Vec<Value>> {
    let l = cx.heap_mut().new_list(items.clone());
    match cx.call_value(&Value::Builtin(Name::from("sorted")), Args::new(vec![l])) {
        Ok(v) => cx.collect(&v),
        Err(Flow::Raise(e)) if e.kind == "TypeError" => Ok(items),
        Err(e) => Err(e),
    }
}

fn sorted_items(cx: &mut Interp<'_>, id: ObjId) -> PyResult<Vec<(Value, Value)>> {
    let keys = sorted_keys(cx, id)?;
    let el = elements(cx, id)?;
    let mut out = Vec::new();
    for k in keys {
        let v = cx.get_item(&el, &k)?;
        out.push((k, v));
    }
    Ok(out)
}

fn object_type(cx: &Interp<'_>, id: ObjId) -> Option<Name> {
    match support::raw(cx, id, "object_type") {
        Some(Value::Class(c)) => Some(c),
        _ => None,
    }
}

fn raw_truthy(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<bool> {
    match support::raw(cx, id, name) {
        Some(v) => cx.truthy(&v),
        None => Ok(false),
    }
}

/// `initializeObject(key, Class=None, **kw)`: a new object at `d[key]`.
pub fn initialize_object(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    key: &Value,
    explicit: Option<&Value>,
    extra: &[(Name, Value)],
) -> PyResult<Value> {
    let (class, mut params) = match explicit {
        Some(Value::Class(c)) => {
            let spec = using::decode(cx, c)?;
            (Name::from(spec.base.as_str()), spec.params)
        }
        _ => {
            if raw_truthy(cx, id, "ask_object_type")? {
                let t = support::get(cx, id, "new_object_type").map_err(closed)?;
                match t {
                    Value::Class(c) => {
                        let spec = using::decode(cx, &c)?;
                        (Name::from(spec.base.as_str()), spec.params)
                    }
                    _ => return Err(da_err("new_object_type must be an object type")),
                }
            } else if let Some(c) = object_type(cx, id) {
                let p = support::raw(cx, id, "object_type_parameters").unwrap_or(Value::None);
                (c, dict_params(cx, &p))
            } else {
                (Name::from("DAObject"), Vec::new())
            }
        }
    };
    params.extend(extra.iter().cloned());
    let path = match (support::path(cx, id), support::key_seg(key)) {
        (Some(p), Some(seg)) => Some(p.child(seg)),
        _ => None,
    };
    let obj = super::new_object(h, cx, &class, path, params)?;
    set_item(cx, id, key, &Value::Ref(obj))?;
    support::set(cx, id, "there_are_any", Value::Bool(true));
    Ok(Value::Ref(obj))
}

/// `d[key]`: missing keys raise Needs `d['key']` (no object type) or create the object.
pub fn get_item(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, key: &Value) -> PyResult<Value> {
    let el = elements(cx, id)?;
    if cx.contains(&el, key)? {
        return cx.get_item(&el, key);
    }
    if object_type(cx, id).is_none() && !raw_truthy(cx, id, "ask_object_type")? {
        return Err(match (support::path(cx, id), support::key_seg(key)) {
            (Some(p), Some(seg)) => support::needs_open(p.child(seg)),
            _ => Flow::raise("KeyError", cx.repr(key)?),
        });
    }
    if raw_truthy(cx, id, "ask_object_type")? {
        set_item(cx, id, key, &Value::None)?;
        return Ok(Value::None);
    }
    initialize_object(h, cx, id, key, None, &[])
}

/// `d[key] = value`.
pub fn set_item(cx: &mut Interp<'_>, id: ObjId, key: &Value, value: &Value) -> PyResult<()> {
    if let (Some(p), Some(seg)) = (support::path(cx, id), support::key_seg(key)) {
        list::rename(cx, value, p.child(seg), false);
    }
    let el = elements(cx, id)?;
    cx.set_item(&el, key, value.clone())
}

/// `del d[key]`.
pub fn del_item(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, key: &Value) -> PyResult<()> {
    get_item(h, cx, id, key)?;
    let el = elements(cx, id)?;
    cx.del_item(&el, key)
}

fn new_entries(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    pargs: &[Value],
    kw: &[(Name, Value)],
) -> PyResult<()> {
    let keys = support::flatten_args(cx, pargs)?;
    for k in keys {
        if raw_truthy(cx, id, "ask_object_type")? {
            if !has_key(cx, id, &k)? {
                set_item(cx, id, &k, &Value::None)?;
            }
            continue;
        }
        if !has_key(cx, id, &k)? {
            let ot = object_type(cx, id).map(Value::Class);
            let explicit = ot.unwrap_or(Value::Class(Name::from("DAObject")));
            let mut extra = Vec::new();
            if object_type(cx, id).is_some() {
                let p = support::raw(cx, id, "object_type_parameters").unwrap_or(Value::None);
                extra = dict_params(cx, &p);
            }
            extra.extend(kw.iter().cloned());
            initialize_object(h, cx, id, &k, Some(&explicit), &extra)?;
        }
    }
    Ok(())
}

fn validate(cx: &mut Interp<'_>, id: ObjId, typed: bool, ca: &Value) -> PyResult<()> {
    let keys = sorted_keys(cx, id)?;
    let el = elements(cx, id)?;
    let mut vals = Vec::new();
    for k in keys {
        vals.push(cx.get_item(&el, &k)?);
    }
    list::validate(cx, &vals, typed, ca)
}

fn new_item_init_callback(cx: &mut Interp<'_>, id: ObjId) -> PyResult<()> {
    if cx
        .heap()
        .instance(id)
        .is_some_and(|i| super::is_a(&i.class, "FinancialList"))
    {
        super::legal::new_item_callback(cx, id)?;
    }
    support::del(cx, id, "new_item_name");
    support::del(cx, id, "new_item_value");
    let typed = object_type(cx, id).is_some() || raw_truthy(cx, id, "ask_object_type")?;
    let ca = support::raw(cx, id, "complete_attribute").unwrap_or(Value::None);
    let vals: Vec<Value> = stored_items(cx, id)?.into_iter().map(|(_, v)| v).collect();
    let vals = sorted_or_same(cx, vals)?;
    list::validate(cx, &vals, typed, &ca)
}

fn del_another(cx: &mut Interp<'_>, id: ObjId) {
    if !support::del(cx, id, "there_is_one_other") {
        support::del(cx, id, "there_is_another");
    }
}

/// `DADict.gather(item_object_type=None, number=None, minimum=None, complete_attribute=None)`.
pub fn gather(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<Value> {
    if raw_truthy(cx, id, "gathered")? {
        if raw_truthy(cx, id, "auto_gather")?
            && list::stored_len(cx, id)? == 0
            && raw_truthy(cx, id, "there_are_any")?
        {
            support::del(cx, id, "gathered");
        } else {
            return Ok(Value::Bool(true));
        }
    }
    if !raw_truthy(cx, id, "auto_gather")? {
        return support::get(cx, id, "gathered").map_err(closed);
    }
    let explicit = args
        .get(0, "item_object_type")
        .filter(|v| !v.is_none())
        .cloned();
    let ask_ot = raw_truthy(cx, id, "ask_object_type")?;
    let item_class: Option<Value> = match (&explicit, object_type(cx, id)) {
        (None, Some(c)) if !ask_ot => {
            let p = support::raw(cx, id, "object_type_parameters").unwrap_or(Value::None);
            let params = dict_params(cx, &p);
            Some(using::encode(cx, &c, &params)?)
        }
        (Some(v @ Value::Class(_)), _) => Some(v.clone()),
        _ => None,
    };
    let ca = match args.get(3, "complete_attribute").filter(|v| !v.is_none()) {
        Some(v) => v.clone(),
        None => support::raw(cx, id, "complete_attribute").unwrap_or(Value::None),
    };
    let name = support::instance_name(cx, id);
    h.set_gathering(&name, true);
    validate(cx, id, item_class.is_some(), &ca)?;
    let to_int = |cx: &mut Interp<'_>, v: &Value| -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(*i),
            other => {
                let t = cx.to_str(other)?;
                t.trim()
                    .parse::<f64>()
                    .map(|f| f as i64)
                    .map_err(|_| support::value_err(format!("invalid literal for int(): '{t}'")))
            }
        }
    };
    let mut number: Option<i64> = match args.get(1, "number").filter(|v| !v.is_none()) {
        Some(v) => {
            let v = v.clone();
            Some(to_int(cx, &v)?)
        }
        None => None,
    };
    let ask_number = raw_truthy(cx, id, "ask_number")?;
    if number.is_none() && ask_number {
        number = Some(
            if support::has_raw(cx, id, "there_are_any") && !raw_truthy(cx, id, "there_are_any")? {
                0
            } else {
                let t = support::get(cx, id, "target_number").map_err(closed)?;
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
    if number.is_none() && minimum.is_none_or(|m| m == 0) {
        if list::stored_len(cx, id)? == 0 {
            let any = support::get(cx, id, "there_are_any").map_err(closed)?;
            minimum = Some(if cx.truthy(&any)? { 1 } else { 0 });
        } else {
            minimum = Some(1);
        }
    }
    if item_class.is_none() {
        if let Some(k) = support::raw(cx, id, "new_item_name") {
            if has_key(cx, id, &k)? {
                support::del(cx, id, "new_item_name");
                del_another(cx, id);
            }
        }
    }
    let mut break_out = false;
    loop {
        if break_out {
            break;
        }
        let len = list::stored_len(cx, id)? as i64;
        let want = number.is_some_and(|n| len < n)
            || minimum.is_some_and(|m| len < m)
            || (!ask_number && minimum != Some(0) && {
                let a = support::get(cx, id, "there_is_another").map_err(closed)?;
                cx.truthy(&a)?
                    || (support::has_raw(cx, id, "there_is_one_other")
                        && raw_truthy(cx, id, "there_is_one_other")?)
            });
        if !want {
            break;
        }
        if let Some(c) = &item_class {
            let key = support::get(cx, id, "new_item_name").map_err(closed)?;
            initialize_object(h, cx, id, &key, Some(c), &[])?;
            del_another(cx, id);
            new_item_init_callback(cx, id)?;
            support::del(cx, id, "new_item_name");
        } else {
            let key = support::get(cx, id, "new_item_name").map_err(closed)?;
            if let Some(v) = support::raw(cx, id, "new_item_value") {
                set_item(cx, id, &key, &v)?;
                support::del(cx, id, "new_item_value");
                support::del(cx, id, "new_item_name");
                del_another(cx, id);
            } else {
                get_item(h, cx, id, &key).map_err(closed)?;
                break_out = true;
                support::del(cx, id, "new_item_name");
                del_another(cx, id);
            }
        }
        del_another(cx, id);
    }
    validate(cx, id, item_class.is_some(), &ca)?;
    super::hook(cx, id, "hook_on_gather", Vec::new())?;
    if raw_truthy(cx, id, "auto_gather")? {
        support::set(cx, id, "gathered", Value::Bool(true));
        support::set(cx, id, "revisit", Value::Bool(true));
    }
    h.set_gathering(&name, false);
    super::hook(cx, id, "hook_after_gather", Vec::new())?;
    Ok(Value::Bool(true))
}

/// `str(d)`: `comma_and_list` of the sorted keys.
pub fn to_str(h: &DaHost, cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    list::trigger_gather(h, cx, id, "DADict")?;
    let keys = sorted_keys(cx, id)?;
    let mut strs = Vec::new();
    for k in &keys {
        strs.push(cx.to_str(k)?);
    }
    Ok(text::comma_and_list_str(
        &strs,
        &text::AndOptions::default(),
    ))
}

fn true_false(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    args: &Args,
    want: bool,
) -> PyResult<Value> {
    let items = if kw_bool(cx, args, "insertion_order", false)? {
        list::trigger_gather(h, cx, id, "DADict")?;
        stored_items(cx, id)?
    } else {
        list::trigger_gather(h, cx, id, "DADict")?;
        sorted_items(cx, id)?
    };
    let mut keys = Vec::new();
    for (k, v) in items {
        if cx.truthy(&v)? == want {
            keys.push(k);
        }
    }
    list::new_gathered_list(h, cx, "DAList", None, keys)
}

fn all_values(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    args: &Args,
    want_true: bool,
) -> PyResult<bool> {
    let keys = support::flatten_args(cx, &args.pos)?;
    let exclusive = kw_bool(cx, args, "exclusive", false)?;
    let items = sorted_items(cx, id)?;
    if keys.is_empty() {
        for (_, v) in &items {
            if cx.truthy(v)? != want_true {
                return Ok(false);
            }
        }
        list::trigger_gather(h, cx, id, "DADict")?;
        return Ok(true);
    }
    for k in &keys {
        if !has_key(cx, id, k)? {
            return Ok(false);
        }
    }
    for (k, v) in &items {
        let mut listed = false;
        for x in &keys {
            if super::super::functions::values_equal(cx, x, k)? {
                listed = true;
                break;
            }
        }
        let t = cx.truthy(v)?;
        if listed {
            if t != want_true {
                return Ok(false);
            }
        } else if exclusive && t == want_true {
            return Ok(false);
        }
    }
    list::trigger_gather(h, cx, id, "DADict")?;
    Ok(true)
}

/// DADict methods.
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
        .unwrap_or_else(|| "DADict".into());
    let r = match name {
        "keys" => {
            list::trigger_gather(h, cx, id, &class)?;
            let keys = if class == "DAOrderedDict" {
                stored_items(cx, id)?.into_iter().map(|(k, _)| k).collect()
            } else {
                sorted_keys(cx, id)?
            };
            cx.heap_mut().new_list(keys)
        }
        "values" => {
            list::trigger_gather(h, cx, id, &class)?;
            let vals = stored_items(cx, id)?.into_iter().map(|(_, v)| v).collect();
            cx.heap_mut().new_list(vals)
        }
        "items" | "iteritems" => {
            list::trigger_gather(h, cx, id, &class)?;
            let items = stored_items(cx, id)?
                .into_iter()
                .map(|(k, v)| Value::tuple(vec![k, v]))
                .collect::<PyResult<Vec<_>>>()?;
            cx.heap_mut().new_list(items)
        }
        "get" => {
            list::trigger_gather(h, cx, id, &class)?;
            let k = req(args, 0, "key", name)?.clone();
            if has_key(cx, id, &k)? {
                get_item(h, cx, id, &k)?
            } else {
                args.get(1, "default").cloned().unwrap_or(Value::None)
            }
        }
        "item" => {
            list::trigger_gather(h, cx, id, &class)?;
            let k = req(args, 0, "key", name)?.clone();
            if has_key(cx, id, &k)? {
                get_item(h, cx, id, &k)?
            } else {
                super::file::empty(cx)
            }
        }
        "has_key" => {
            let k = req(args, 0, "key", name)?.clone();
            Value::Bool(has_key(cx, id, &k)?)
        }
        "pop" | "popitem" | "setdefault" | "update" | "clear" => {
            if name != "update" && name != "clear" {
                list::trigger_gather(h, cx, id, &class)?;
            }
            let el = elements(cx, id)?;
            // docassemble's pop() runs hook_on_remove(value) first
            if name == "pop"
                && let Some(k) = args.pos.first()
                && cx.contains(&el, k)?
            {
                let v = cx.get_item(&el, k)?;
                super::hook(cx, id, "hook_on_remove", vec![v])?;
            }
            cx.call_method(&el, name, args.clone())?
        }
        "copy" => {
            list::trigger_gather(h, cx, id, &class)?;
            let nid = super::new_object(h, cx, &class, None, Vec::new())?;
            for (k, v) in stored_items(cx, id)? {
                set_item(cx, nid, &k, &v)?;
            }
            support::set(cx, nid, "gathered", Value::Bool(true));
            Value::Ref(nid)
        }
        "true_values" => true_false(h, cx, id, args, true)?,
        "false_values" => true_false(h, cx, id, args, false)?,
        "all_true" => Value::Bool(all_values(h, cx, id, args, true)?),
        "all_false" => Value::Bool(all_values(h, cx, id, args, false)?),
        "any_true" => Value::Bool(!all_values(h, cx, id, args, false)?),
        "any_false" => Value::Bool(!all_values(h, cx, id, args, true)?),
        "new" => {
            new_entries(h, cx, id, &args.pos, &args.kw)?;
            Value::None
        }
        "initializeObject" | "initialize_object" => {
            let k = req(args, 0, "key", name)?.clone();
            initialize_object(h, cx, id, &k, args.pos.get(1), &args.kw)?
        }
        "delitem" => {
            for k in &args.pos {
                if has_key(cx, id, k)? {
                    let el = elements(cx, id)?;
                    cx.del_item(&el, k)?;
                }
            }
            Value::None
        }
        "invalidate_item" => {
            let base = support::instance_name(cx, id);
            for k in &args.pos {
                if has_key(cx, id, k)? {
                    let el = elements(cx, id)?;
                    cx.del_item(&el, k)?;
                    let r = cx.repr(k)?;
                    h.effects_mut().invalidated.push(format!("{base}[{r}]"));
                }
            }
            Value::None
        }
        "getitem_fresh" => {
            let k = req(args, 0, "item", name)?.clone();
            if has_key(cx, id, &k)? {
                let el = elements(cx, id)?;
                cx.del_item(&el, &k)?;
            }
            get_item(h, cx, id, &k)?
        }
        "gather" => gather(h, cx, id, args)?,
        "comma_and_list" => {
            list::trigger_gather(h, cx, id, &class)?;
            let keys = sorted_keys(cx, id)?;
            let mut strs = Vec::new();
            for k in &keys {
                strs.push(cx.to_str(k)?);
            }
            let opts = text::AndOptions::from_args(cx, args)?;
            s(text::comma_and_list_str(&strs, &opts))
        }
        "gathered_and_complete" => {
            let _ = support::del(cx, id, "gathered");
            gather(h, cx, id, &Args::default())?
        }
        "cancel_add_or_edit" => super::list::cancel_add_or_edit(h, cx, id, true)?,
        "complete_elements" => {
            let ca = match args.get(0, "complete_attribute").filter(|v| !v.is_none()) {
                Some(v) => v.clone(),
                None => support::raw(cx, id, "complete_attribute").unwrap_or(Value::None),
            };
            let attrs = list::complete_attributes(cx, &ca)?;
            let nid = super::new_object(h, cx, &class, None, Vec::new())?;
            for (k, v) in stored_items(cx, id)? {
                let ok = if ca.is_none() {
                    match cx.to_str(&v) {
                        Ok(_) => true,
                        Err(Flow::Needs(_)) | Err(Flow::Raise(_)) => false,
                        Err(e) => return Err(e),
                    }
                } else {
                    let mut ok = true;
                    for a in &attrs {
                        if !list::complex_hasattr(cx, &v, a)? {
                            ok = false;
                            break;
                        }
                    }
                    ok
                };
                if ok {
                    let el = elements(cx, nid)?;
                    cx.set_item(&el, &k, v)?;
                }
            }
            support::set(cx, nid, "gathered", Value::Bool(true));
            Value::Ref(nid)
        }
        "slice" => {
            let keys = support::flatten_args(cx, &args.pos)?;
            let nid = super::new_object(h, cx, &class, None, Vec::new())?;
            for k in keys {
                if has_key(cx, id, &k)? {
                    let v = get_item(h, cx, id, &k)?;
                    let el = elements(cx, nid)?;
                    cx.set_item(&el, &k, v)?;
                }
            }
            support::set(cx, nid, "gathered", Value::Bool(true));
            Value::Ref(nid)
        }
        _ => return list::collection_method(h, cx, id, &class, name, args),
    };
    Ok(Some(r))
}
