//! `DASet`: a set gathered through `new_item` (each answer is added), with `there_are_any`
//! / `there_is_another` as for lists.

use pyeval::{Args, Interp, Name, ObjId, PyResult, Value};

use super::super::functions::text;
use super::super::host::DaHost;
use super::super::support::{self, closed, da_err, req, s};
use super::list::{self, take};

/// `DASet.init`.
pub fn init(
    _h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    kw: &mut Vec<(Name, Value)>,
) -> PyResult<()> {
    let empty = cx.heap_mut().new_list(Vec::new());
    let elements = cx.call_value(&Value::Builtin(Name::from("set")), Args::new(vec![empty]))?;
    list::init_common(cx, id, kw, elements)?;
    if let Some(src) = take(kw, "elements") {
        add(cx, id, &[src])?;
        support::set(cx, id, "gathered", Value::Bool(true));
        support::set(cx, id, "revisit", Value::Bool(true));
    }
    Ok(())
}

fn elements(cx: &Interp<'_>, id: ObjId) -> PyResult<Value> {
    support::raw(cx, id, "elements").ok_or_else(|| da_err("the set has no elements"))
}

fn add(cx: &mut Interp<'_>, id: ObjId, items: &[Value]) -> PyResult<()> {
    let all = support::flatten_args(cx, items)?;
    let el = elements(cx, id)?;
    let any = !all.is_empty();
    for v in all {
        cx.call_method(&el, "add", Args::new(vec![v]))?;
    }
    if any {
        support::set(cx, id, "there_are_any", Value::Bool(true));
    }
    Ok(())
}

fn sorted_items(cx: &mut Interp<'_>, id: ObjId) -> PyResult<Vec<Value>> {
    let el = elements(cx, id)?;
    match cx.call_value(
        &Value::Builtin(Name::from("sorted")),
        Args::new(vec![el.clone()]),
    ) {
        Ok(v) => cx.collect(&v),
        Err(pyeval::Flow::Raise(e)) if e.kind == "TypeError" => cx.collect(&el),
        Err(e) => Err(e),
    }
}

fn raw_truthy(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<bool> {
    match support::raw(cx, id, name) {
        Some(v) => cx.truthy(&v),
        None => Ok(false),
    }
}

fn validate(cx: &mut Interp<'_>, id: ObjId) -> PyResult<()> {
    for e in sorted_items(cx, id)? {
        cx.to_str(&e).map_err(closed)?;
    }
    Ok(())
}

/// `DASet.gather(number=None, minimum=None)`.
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
    let name = support::instance_name(cx, id);
    h.set_gathering(&name, true);
    validate(cx, id)?;
    let int = |cx: &mut Interp<'_>, v: &Value| -> PyResult<i64> {
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
    let mut number = match args.get(0, "number").filter(|v| !v.is_none()) {
        Some(v) => {
            let v = v.clone();
            Some(int(cx, &v)?)
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
                int(cx, &t)?
            },
        );
    }
    let mut minimum = match args.get(1, "minimum").filter(|v| !v.is_none()) {
        Some(v) => {
            let v = v.clone();
            Some(int(cx, &v)?)
        }
        None => match support::raw(cx, id, "minimum_number") {
            None | Some(Value::None) => None,
            Some(v) => Some(int(cx, &v)?),
        },
    };
    if number.is_none() && minimum.is_none_or(|m| m == 0) {
        minimum = Some(if list::stored_len(cx, id)? == 0 {
            let a = support::get(cx, id, "there_are_any").map_err(closed)?;
            i64::from(cx.truthy(&a)?)
        } else {
            1
        });
    }
    loop {
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
        let item = support::get(cx, id, "new_item").map_err(closed)?;
        add(cx, id, &[item])?;
        support::del(cx, id, "new_item");
        validate(cx, id)?;
        if !support::del(cx, id, "there_is_one_other") {
            support::del(cx, id, "there_is_another");
        }
    }
    super::hook(cx, id, "hook_on_gather", Vec::new())?;
    support::set(cx, id, "gathered", Value::Bool(true));
    support::set(cx, id, "revisit", Value::Bool(true));
    h.set_gathering(&name, false);
    super::hook(cx, id, "hook_after_gather", Vec::new())?;
    Ok(Value::Bool(true))
}

/// `str(s)`: `comma_and_list` of the sorted `str()` of the items.
pub fn to_str(h: &DaHost, cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    list::trigger_gather(h, cx, id, "DASet")?;
    let el = elements(cx, id)?;
    let all = cx.collect(&el)?;
    let mut strs = Vec::new();
    for v in &all {
        strs.push(cx.to_str(v)?);
    }
    strs.sort();
    Ok(text::comma_and_list_str(
        &strs,
        &text::AndOptions::default(),
    ))
}

/// DASet methods.
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let r = match name {
        "add" | "append" => {
            add(cx, id, &args.pos)?;
            Value::None
        }
        "remove" | "discard" => {
            let el = elements(cx, id)?;
            for v in &args.pos {
                cx.call_method(&el, "discard", Args::new(vec![v.clone()]))?;
            }
            if list::stored_len(cx, id)? == 0 {
                support::set(cx, id, "there_are_any", Value::Bool(false));
            }
            Value::None
        }
        "clear" => {
            let el = elements(cx, id)?;
            cx.call_method(&el, "clear", Args::default())?;
            Value::None
        }
        "copy" => {
            let el = elements(cx, id)?;
            cx.call_method(&el, "copy", Args::default())?
        }
        "gather" => gather(h, cx, id, args)?,
        "comma_and_list" => {
            list::trigger_gather(h, cx, id, "DASet")?;
            let el = elements(cx, id)?;
            let all = cx.collect(&el)?;
            let mut strs = Vec::new();
            for v in &all {
                strs.push(cx.to_str(v)?);
            }
            strs.sort();
            let opts = text::AndOptions::from_args(cx, args)?;
            s(text::comma_and_list_str(&strs, &opts))
        }
        "union" | "intersection" | "difference" | "isdisjoint" | "issubset" | "issuperset" => {
            list::trigger_gather(h, cx, id, "DASet")?;
            let other = req(args, 0, "other_set", name)?.clone();
            let other = match other.as_ref_id().filter(|o| super::is_collection(cx, *o)) {
                Some(o) => {
                    list::trigger_gather(h, cx, o, "DASet")?;
                    let items = cx.collect(&other)?;
                    let l = cx.heap_mut().new_list(items);
                    cx.call_value(&Value::Builtin(Name::from("set")), Args::new(vec![l]))?
                }
                None => other,
            };
            let el = elements(cx, id)?;
            let r = cx.call_method(&el, name, Args::new(vec![other]))?;
            if matches!(name, "union" | "intersection" | "difference") {
                // a new (gathered) set of the same class, as docassemble's
                // `self.__class__(elements=...)`
                let class = cx
                    .heap()
                    .instance(id)
                    .map(|i| i.class.to_string())
                    .unwrap_or_else(|| "DASet".into());
                let nid =
                    super::new_object(h, cx, &class, None, vec![(Name::from("elements"), r)])?;
                Value::Ref(nid)
            } else {
                r
            }
        }
        _ => {
            let class = cx
                .heap()
                .instance(id)
                .map(|i| i.class.to_string())
                .unwrap_or_else(|| "DASet".into());
            return list::collection_method(h, cx, id, &class, name, args);
        }
    };
    Ok(Some(r))
}
