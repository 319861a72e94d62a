//! The financial classes of `docassemble.base.util` (`Value`, `PeriodicValue`, `FinancialList`,
//! `PeriodicFinancialList`, `Income`, `Asset`, `Expense`) and the classes of
//! `docassemble.base.legal` (`PartyList`, `Court`, `Case`, `Document`, `LegalFiling`).
//!
//! They are always available (docassemble needs `modules: - docassemble.base.legal` for the
//! legal ones; an interview that does not import them does not use the names).

use pyeval::{Args, CmpOp, Interp, Name, ObjId, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{self, closed, s};
use super::{Family, family, is_a, list};

/// The classes of this module and their parents.
pub const CLASSES: &[(&str, &str)] = &[
    ("Value", "DAObject"),
    ("PeriodicValue", "Value"),
    ("FinancialList", "DADict"),
    ("PeriodicFinancialList", "FinancialList"),
    ("Income", "PeriodicFinancialList"),
    ("Asset", "FinancialList"),
    ("Expense", "PeriodicFinancialList"),
    ("PartyList", "DAList"),
    ("Court", "DAObject"),
    ("Case", "DAObject"),
    ("Document", "DAObject"),
    ("LegalFiling", "Document"),
];

fn default_kw(kw: &mut Vec<(Name, Value)>, name: &str, v: Value) {
    if !kw.iter().any(|(k, _)| &**k == name) {
        kw.push((Name::from(name), v));
    }
}

/// The part of `init` for class `c` of the chain (before the base classes' `init`).
pub fn init(cx: &mut Interp<'_>, c: &str, kw: &mut Vec<(Name, Value)>) {
    match c {
        "PeriodicFinancialList" => {
            default_kw(kw, "object_type", Value::Class(Name::from("PeriodicValue")))
        }
        "FinancialList" => default_kw(kw, "object_type", Value::Class(Name::from("Value"))),
        "PartyList" => default_kw(kw, "object_type", Value::Class(Name::from("Individual"))),
        "Court" => {
            let empty = cx.heap_mut().new_list(Vec::new());
            default_kw(kw, "jurisdiction", empty);
        }
        "Case" => {
            default_kw(kw, "is_solo_action", Value::Bool(false));
            default_kw(kw, "state", Value::None);
            default_kw(kw, "action_type", s("plaintiff defendant"));
        }
        _ => {}
    }
}

/// Attributes created on first access: `Case.court`, `.plaintiff`, `.defendant`,
/// `.firstParty`, `.secondParty`.
pub fn missing_attr(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    c: &str,
    name: &str,
) -> PyResult<Option<Value>> {
    if c != "Case" {
        return Ok(None);
    }
    Ok(match name {
        "court" => Some(super::initialize_attribute(
            h,
            cx,
            id,
            "court",
            "Court",
            Vec::new(),
        )?),
        "plaintiff" | "defendant" => Some(super::initialize_attribute(
            h,
            cx,
            id,
            name,
            "PartyList",
            Vec::new(),
        )?),
        "firstParty" => Some(support::get(cx, id, "plaintiff")?),
        "secondParty" => Some(support::get(cx, id, "defendant")?),
        _ => None,
    })
}

/// `Decimal(x)`.
fn decimal(cx: &mut Interp<'_>, v: Value) -> PyResult<Value> {
    cx.call_value(&Value::Builtin(Name::from("Decimal")), Args::new(vec![v]))
}

/// `Value.amount()` / `PeriodicValue.amount(period_to_use=1)`.
fn amount(cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<Value> {
    let exists = support::get(cx, id, "exists").map_err(closed)?;
    if !cx.truthy(&exists)? {
        return Ok(Value::Int(0));
    }
    let v = support::get(cx, id, "value").map_err(closed)?;
    let v = decimal(cx, v)?;
    let periodic = cx
        .heap()
        .instance(id)
        .is_some_and(|i| is_a(&i.class, "PeriodicValue"));
    if !periodic {
        return Ok(v);
    }
    let p = support::get(cx, id, "period").map_err(closed)?;
    let p = decimal(cx, p)?;
    let per = args
        .get(0, "period_to_use")
        .cloned()
        .unwrap_or(Value::Int(1));
    let per = decimal(cx, per)?;
    let prod = cx.binop(pyeval::BinOp::Mul, &v, &p)?;
    cx.binop(pyeval::BinOp::Div, &prod, &per)
}

/// The (sorted) items of a financial list whose `exists` is true.
fn existing(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
) -> PyResult<Vec<(Value, Value)>> {
    list::trigger_gather(h, cx, id, class)?;
    let el = support::get(cx, id, "elements")?;
    let keys = cx.collect(&el)?;
    let keys = cx.heap_mut().new_list(keys);
    let sorted = cx.call_value(&Value::Builtin(Name::from("sorted")), Args::new(vec![keys]))?;
    let mut out = Vec::new();
    for k in cx.collect(&sorted)? {
        let item = cx.get_item(&el, &k)?;
        let ex = cx.get_attr(&item, "exists").map_err(closed)?;
        if cx.truthy(&ex)? {
            out.push((k, item));
        }
    }
    Ok(out)
}

fn total(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str, args: &Args) -> PyResult<Value> {
    let periodic = is_a(class, "PeriodicFinancialList");
    let per = args
        .get(0, "period_to_use")
        .cloned()
        .unwrap_or(Value::Int(1));
    if periodic && cx.eq(&per, &Value::Int(0))? {
        return Ok(Value::Int(0));
    }
    let mut acc = Value::Int(0);
    for (_, item) in existing(h, cx, id, class)? {
        let v = cx.get_attr(&item, "value").map_err(closed)?;
        let mut v = decimal(cx, v)?;
        if periodic {
            let p = cx.get_attr(&item, "period").map_err(closed)?;
            let p = decimal(cx, p)?;
            v = cx.binop(pyeval::BinOp::Mul, &v, &p)?;
        }
        acc = cx.binop(pyeval::BinOp::Add, &acc, &v)?;
    }
    if periodic {
        let per = decimal(cx, per)?;
        acc = cx.binop(pyeval::BinOp::Div, &acc, &per)?;
    }
    Ok(acc)
}

/// Methods of the classes of this module (`c` is the class of the chain being tried).
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    c: &str,
    class: &str,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let r = match (c, name) {
        ("Value", "amount") => amount(cx, id, args)?,
        ("FinancialList", "total") => total(h, cx, id, class, args)?,
        ("FinancialList", "existing_items") => {
            let keys = existing(h, cx, id, class)?
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            cx.heap_mut().new_list(keys)
        }
        ("Court", "in_the_court") => {
            let n = support::get(cx, id, "name")?;
            s(format!("In the {}", cx.to_str(&n)?))
        }
        ("Case", "case_id_in_caption") => match support::raw(cx, id, "case_id") {
            Some(v) => s(format!("Case No. {}", cx.to_str(&v)?)),
            None => s("Case No."),
        },
        ("Case", "determine_court") => Value::None,
        ("Case", "set_action_type") => {
            let v = support::req(args, 0, "the_value", name)?.clone();
            support::set(cx, id, "action_type", v);
            Value::None
        }
        ("Case", "all_known_people" | "parties") => {
            let mut out: Vec<Value> = Vec::new();
            for party in party_lists(cx, id)? {
                let pid = party.as_ref_id().unwrap_or(id);
                if name == "parties" {
                    list::trigger_gather(h, cx, pid, "PartyList")?;
                }
                for p in list::items(cx, pid)? {
                    if name == "parties" {
                        if !out.iter().any(|x| x == &p) {
                            out.push(p);
                        }
                    } else {
                        add_with_children(cx, &p, &mut out, 0)?;
                    }
                }
            }
            cx.heap_mut().new_list(out)
        }
        ("Case", "role_of") => {
            let party = support::req(args, 0, "party", name)?.clone();
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
            let mut role = s("third party");
            for (k, v) in attrs {
                if matches!(&*k, "firstParty" | "secondParty") || !is_party_list(cx, &v) {
                    continue;
                }
                let pid = v.as_ref_id().unwrap_or(id);
                list::trigger_gather(h, cx, pid, "PartyList")?;
                if list::items(cx, pid)?.contains(&party) {
                    role = Value::Str(k);
                    break;
                }
            }
            role
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}

fn is_party_list(cx: &Interp<'_>, v: &Value) -> bool {
    v.as_ref_id()
        .and_then(|i| cx.heap().instance(i))
        .is_some_and(|i| is_a(&i.class, "PartyList"))
}

/// The PartyList attributes of a case (creating `plaintiff` and `defendant` first).
fn party_lists(cx: &mut Interp<'_>, id: ObjId) -> PyResult<Vec<Value>> {
    support::get(cx, id, "plaintiff")?;
    support::get(cx, id, "defendant")?;
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
    Ok(attrs
        .into_iter()
        .filter(|(k, v)| !matches!(&**k, "firstParty" | "secondParty") && is_party_list(cx, v))
        .map(|(_, v)| v)
        .collect())
}

/// `_add_person_and_children_of`: the person (if identified) and, recursively, its `child`
/// list.
fn add_with_children(
    cx: &mut Interp<'_>,
    p: &Value,
    out: &mut Vec<Value>,
    depth: u32,
) -> PyResult<()> {
    if depth > 32 || out.contains(p) {
        return Ok(());
    }
    let identified = cx.call_method(p, "identified", Args::default())?;
    if !cx.truthy(&identified)? {
        return Ok(());
    }
    out.push(p.clone());
    if let Some(pid) = p.as_ref_id()
        && let Some(Value::Ref(cid)) = support::raw(cx, pid, "child")
        && cx
            .heap()
            .instance(cid)
            .is_some_and(|i| family(&i.class) == Family::List)
    {
        for c in list::items(cx, cid)? {
            add_with_children(cx, &c, out, depth + 1)?;
        }
    }
    Ok(())
}

/// `str()` of the classes of this module (`c` is the class of the chain being tried).
pub fn to_str(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    c: &str,
    class: &str,
) -> PyResult<Option<String>> {
    let v = match c {
        "Value" => amount(cx, id, &Args::default())?,
        "FinancialList" => total(h, cx, id, class, &Args::default())?,
        "Court" => support::get(cx, id, "name")?,
        "Case" => support::get(cx, id, "case_id")?,
        "Document" => support::get(cx, id, "title")?,
        _ => return Ok(None),
    };
    cx.to_str(&v).map(Some)
}

/// `Value` comparisons (`==`, `<` … on `.value`).
pub fn compare(cx: &mut Interp<'_>, op: CmpOp, id: ObjId, other: &Value) -> PyResult<Option<bool>> {
    let mine = support::get(cx, id, "value").map_err(closed)?;
    let theirs = match other
        .as_ref_id()
        .and_then(|o| cx.heap().instance(o).map(|i| (o, i.class.clone())))
    {
        Some((o, c)) if is_a(&c, "Value") => support::get(cx, o, "value").map_err(closed)?,
        _ => other.clone(),
    };
    cx.compare(op, &mine, &theirs).map(Some)
}

/// FinancialList's `_new_item_init_callback`: the new item exists, with `new_item_value` /
/// `new_item_period` as its value / period.
pub fn new_item_callback(cx: &mut Interp<'_>, id: ObjId) -> PyResult<()> {
    let Some(key) = support::raw(cx, id, "new_item_name") else {
        return Ok(());
    };
    let el = support::get(cx, id, "elements")?;
    let item = cx.get_item(&el, &key)?;
    let Some(iid) = item.as_ref_id() else {
        return Ok(());
    };
    support::set(cx, iid, "exists", Value::Bool(true));
    if let Some(v) = support::raw(cx, id, "new_item_value") {
        support::set(cx, iid, "value", v);
        support::del(cx, id, "new_item_value");
    }
    if let Some(p) = support::raw(cx, id, "new_item_period") {
        support::set(cx, iid, "period", p);
        support::del(cx, id, "new_item_period");
    }
    Ok(())
}
