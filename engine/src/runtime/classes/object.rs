//! `DAObject`: the methods every object has (attribute initialisation, names, possessives,
//! pronouns, verbs) and its `str()`.

use pyeval::{Args, Flow, Interp, Name, ObjId, PyResult, Value};

use super::super::functions::words;
use super::super::host::DaHost;
use super::super::support::{self, kw_bool, req, s};

/// docassemble's `get_point_of_view()`: `_point_of_view` if set, `'2'` for the global `user`,
/// else `None` (third person, returned as `""`).
pub fn point_of_view(cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<String> {
    if let Some(p) = args.kw("person") {
        let p = p.clone();
        return cx.to_str(&p);
    }
    if let Some(v) = support::raw(cx, id, "_point_of_view") {
        return cx.to_str(&v);
    }
    if cx.state().get("user") == Some(&Value::Ref(id)) {
        return Ok("2".into());
    }
    Ok(String::new())
}

/// Applies `capitalize=True`.
pub fn cap(cx: &mut Interp<'_>, args: &Args, text: String) -> PyResult<String> {
    Ok(if kw_bool(cx, args, "capitalize", false)? {
        words::capitalize(&text)
    } else {
        text
    })
}

/// docassemble's `possessify(a, b, plural=…)`: `a's b` / `as' b`.
pub fn possessify(a: &str, b: &str, plural: bool) -> String {
    if plural {
        format!("{a}' {b}")
    } else {
        format!("{a}'s {b}")
    }
}

/// The possessive for a point of view (`your x`, `my x`, `our x`), or `None` for third person.
pub fn pov_possessive(person: &str, target: &str) -> Option<String> {
    match person {
        "2" | "2p" => Some(format!("your {target}")),
        "1" => Some(format!("my {target}")),
        "1p" => Some(format!("our {target}")),
        _ => None,
    }
}

/// `object_name()`: `case.plaintiff` → `plaintiff in the case`, `people[0]` → `first people`.
pub fn object_name(cx: &Interp<'_>, id: ObjId) -> String {
    let name = support::instance_name(cx, id);
    let parts: Vec<String> = split_top(&name)
        .iter()
        .rev()
        .map(|p| convert_part(p))
        .collect();
    parts.join(" in the ")
}

fn split_top(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for ch in name.chars() {
        match ch {
            '[' => {
                depth += 1;
                cur.push(ch);
            }
            ']' => {
                depth -= 1;
                cur.push(ch);
            }
            '.' if depth == 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    out
}

fn convert_part(text: &str) -> String {
    if let (Some(open), true) = (text.find('['), text.ends_with(']')) {
        let outer = &text[..open];
        let index = text[open + 1..text.len() - 1].trim_matches(|c| c == '\'' || c == '"');
        let prefix = match index.parse::<i64>() {
            Ok(i) => format!("{} ", words::ordinal_number(i + 1, None)),
            Err(_) => format!("{index} "),
        };
        return prefix + &outer.replace('_', " ");
    }
    text.replace('_', " ")
}

/// `str(obj)` for a plain DAObject: `str(obj.name)` if it has a name, else `object_name()`.
pub fn to_str(_h: &DaHost, cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    if support::has(cx, id, "name")? {
        let n = support::get(cx, id, "name")?;
        return cx.to_str(&n);
    }
    Ok(object_name(cx, id))
}

/// Deletes each attribute path (`'a'` or `'a.b'`) if defined.
fn delattr_paths(cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<()> {
    for a in &args.pos {
        let a = cx.to_str(a)?;
        support::del(cx, id, &a);
    }
    Ok(())
}

/// `path` with the prefix `old` replaced by `new` (docassemble's recursive renaming of a copy).
/// Without a new name (a snapshot), every path stays as it is.
fn rename(
    path: Option<&pyeval::Path>,
    old: &Option<pyeval::Path>,
    new: Option<&pyeval::Path>,
) -> Option<pyeval::Path> {
    let p = path?;
    let Some(new) = new else {
        return Some(p.clone());
    };
    let o = old.as_ref()?;
    if p.root != o.root || !p.segs.starts_with(&o.segs) {
        return None;
    }
    let mut segs = new.segs.clone();
    segs.extend(p.segs[o.segs.len()..].iter().cloned());
    Some(pyeval::Path {
        root: new.root.clone(),
        segs,
    })
}

/// A deep copy of `v` whose objects keep their names (what pickling and unpickling a value
/// gives docassemble's stores).
pub(crate) fn snapshot(cx: &mut Interp<'_>, v: &Value) -> PyResult<Value> {
    match v {
        Value::Ref(id) => {
            let old = support::path(cx, *id);
            copy_object(cx, *id, &old, None, true, &mut Vec::new(), 0)
        }
        other => Ok(other.clone()),
    }
}

/// Copies heap object `id` (`copy.copy`, or `copy.deepcopy` when `deep`), renaming paths under
/// `old` to `new` (or keeping every path when `new` is `None`). `memo` keeps aliasing (and
/// cycles) within the copy.
fn copy_object(
    cx: &mut Interp<'_>,
    id: ObjId,
    old: &Option<pyeval::Path>,
    new: Option<&pyeval::Path>,
    deep: bool,
    memo: &mut Vec<(ObjId, ObjId)>,
    depth: u32,
) -> PyResult<Value> {
    let at = if depth == 0 { new.cloned() } else { None };
    copy_at(cx, id, old, new, at, deep, memo, depth)
}

/// [`copy_object`] of the object `id` to be named `at`: docassemble's
/// `_set_instance_name_recursively` names an object's object attributes `at.attr` and a
/// collection's items `at[i]` / `at['key']`, whatever they were named before. Without `at`
/// (objects under a plain list or dict, or a snapshot) names move from `old` to `new`.
#[allow(clippy::too_many_arguments)]
fn copy_at(
    cx: &mut Interp<'_>,
    id: ObjId,
    old: &Option<pyeval::Path>,
    new: Option<&pyeval::Path>,
    at: Option<pyeval::Path>,
    deep: bool,
    memo: &mut Vec<(ObjId, ObjId)>,
    depth: u32,
) -> PyResult<Value> {
    if let Some((_, c)) = memo.iter().find(|(o, _)| *o == id) {
        return Ok(Value::Ref(*c));
    }
    if depth > 64 {
        return Err(support::value_err("copy: objects nest too deeply"));
    }
    let Some(obj) = cx.heap().get(id).cloned() else {
        return Ok(Value::Ref(id));
    };
    cx.charge_mem(64)?;
    let path = match &at {
        Some(p) => Some(p.clone()),
        None if depth == 0 => obj.path.clone(),
        None => rename(obj.path.as_ref(), old, new),
    };
    let copy = cx.heap_mut().alloc(pyeval::heap::Obj {
        path,
        kind: obj.kind.clone(),
    });
    memo.push((id, copy));
    if !deep && depth == 0 {
        return Ok(Value::Ref(copy));
    }
    let is_instance = |cx: &Interp<'_>, v: &Value| {
        v.as_ref_id()
            .is_some_and(|r| cx.heap().instance(r).is_some())
    };
    let sub = |cx: &mut Interp<'_>,
               v: &Value,
               child_at: Option<pyeval::Path>,
               memo: &mut Vec<(ObjId, ObjId)>|
     -> PyResult<Value> {
        match v {
            Value::Ref(r) if deep => copy_at(cx, *r, old, new, child_at, deep, memo, depth + 1),
            other => Ok(other.clone()),
        }
    };
    // the items of a collection's `elements` are named after the collection
    let elements_of = |cx: &Interp<'_>| {
        at.as_ref().filter(|_| {
            cx.heap()
                .instance(id)
                .is_some_and(|i| super::family(&i.class) != super::Family::Object)
        })
    };
    match obj.kind {
        pyeval::ObjKind::Instance(inst) => {
            let collection = elements_of(cx).cloned();
            for (k, v) in inst.attrs.iter() {
                let child_at = match (&at, &**k) {
                    (Some(p), "elements") if collection.is_some() => Some(p.clone()),
                    (Some(p), _) if is_instance(cx, v) => Some(p.attr(k)),
                    _ => None,
                };
                let nv = sub(cx, v, child_at, memo)?;
                cx.heap_mut().set_attr(copy, k, nv);
            }
        }
        pyeval::ObjKind::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                let child_at = at
                    .as_ref()
                    .filter(|_| is_instance(cx, v))
                    .map(|p| p.index(i as i64));
                out.push(sub(cx, v, child_at, memo)?);
            }
            if let Some(l) = cx.heap_mut().list_mut(copy) {
                *l = out;
            }
        }
        pyeval::ObjKind::Dict(d) => {
            let mut nd = pyeval::Dict::new();
            for (k, v) in d.iter() {
                let child_at = match (&at, support::key_seg(k)) {
                    (Some(p), Some(seg)) if is_instance(cx, v) => Some(p.child(seg)),
                    _ => None,
                };
                let nv = sub(cx, v, child_at, memo)?;
                let key = pyeval::Key::from_value(k, cx.heap())?;
                nd.insert(key, k.clone(), nv);
            }
            if let Some(o) = cx.heap_mut().get_mut(copy) {
                o.kind = pyeval::ObjKind::Dict(nd);
            }
        }
        _ => {}
    }
    Ok(Value::Ref(copy))
}

/// Names object `id` `path` and its objects by their place in it (attributes `path.attr`,
/// a collection's items `path[i]` / `path['key']`), as docassemble's
/// `_set_instance_name_recursively`.
pub(crate) fn name_recursively(cx: &mut Interp<'_>, id: ObjId, path: &pyeval::Path, depth: u32) {
    if depth > 32 {
        return;
    }
    let Some(obj) = cx.heap().get(id).cloned() else {
        return;
    };
    if let Some(o) = cx.heap_mut().get_mut(id) {
        o.path = Some(path.clone());
    }
    let child =
        |cx: &Interp<'_>, v: &Value| v.as_ref_id().filter(|r| cx.heap().instance(*r).is_some());
    match obj.kind {
        pyeval::ObjKind::Instance(inst) => {
            let collection = super::family(&inst.class) != super::Family::Object;
            for (k, v) in inst.attrs.iter() {
                if collection && &**k == "elements" {
                    if let Some(el) = v.as_ref_id() {
                        name_recursively(cx, el, path, depth + 1);
                    }
                } else if let Some(r) = child(cx, v) {
                    name_recursively(cx, r, &path.attr(k), depth + 1);
                }
            }
        }
        pyeval::ObjKind::List(items) => {
            for (i, v) in items.iter().enumerate() {
                if let Some(r) = child(cx, v) {
                    name_recursively(cx, r, &path.index(i as i64), depth + 1);
                }
            }
        }
        pyeval::ObjKind::Dict(d) => {
            for (k, v) in d.iter() {
                if let (Some(r), Some(seg)) = (child(cx, v), support::key_seg(k)) {
                    name_recursively(cx, r, &path.child(seg), depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Methods of every DAObject.
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let r = match name {
        "initializeAttribute"
        | "initialize_attribute"
        | "reinitializeAttribute"
        | "reinitialize_attribute" => {
            let attr = cx.to_str(req(args, 0, "name", name)?)?;
            let class = super::class_arg(req(args, 1, "object_type", name)?, name)?;
            if name.starts_with("re") {
                support::del(cx, id, &attr);
            }
            let extra: Vec<(Name, Value)> = args.kw.clone();
            super::initialize_attribute(h, cx, id, &attr, &class, extra)?
        }
        "attr_name" => {
            let a = cx.to_str(req(args, 0, "attr", name)?)?;
            s(format!("{}.{a}", support::instance_name(cx, id)))
        }
        "attribute_defined" => {
            let a = cx.to_str(req(args, 0, "name", name)?)?;
            Value::Bool(support::has(cx, id, &a)?)
        }
        "attr" => {
            let a = cx.to_str(req(args, 0, "name", name)?)?;
            match support::get(cx, id, &a) {
                Ok(v) => v,
                Err(Flow::Needs(_)) => Value::None,
                Err(Flow::Raise(e)) if e.kind == "AttributeError" => Value::None,
                Err(e) => return Err(e),
            }
        }
        "delattr" => {
            delattr_paths(cx, id, args)?;
            Value::None
        }
        "invalidate_attr" => {
            for a in &args.pos {
                let a = cx.to_str(a)?;
                let full = format!("{}.{a}", support::instance_name(cx, id));
                support::del(cx, id, &a);
                h.effects_mut().invalidated.push(full);
            }
            Value::None
        }
        "getattr_fresh" => {
            let a = cx.to_str(req(args, 0, "attr", name)?)?;
            support::del(cx, id, &a);
            support::get(cx, id, &a)?
        }
        "copy_shallow" | "copy_deep" => {
            let new = cx.to_str(req(args, 0, "name", name)?)?;
            let new = pyeval::Path::parse(&new).map_err(|e| support::value_err(e.0))?;
            let old = support::path(cx, id);
            let mut memo = Vec::new();
            copy_object(cx, id, &old, Some(&new), name == "copy_deep", &mut memo, 0)?
        }
        "object_name" => {
            let n = object_name(cx, id);
            s(cap(cx, args, n)?)
        }
        "is_user" => Value::Bool(cx.state().get("user") == Some(&Value::Ref(id))),
        "possessive" => {
            let target = cx.to_str(req(args, 0, "target", name)?)?;
            let person = point_of_view(cx, id, args)?;
            let out = match pov_possessive(&person, &target) {
                Some(p) => p,
                None => {
                    let me = cx.to_str(&Value::Ref(id))?;
                    let me = if kw_bool(cx, args, "capitalize", false)? {
                        words::capitalize(&me)
                    } else {
                        me
                    };
                    return Ok(Some(s(possessify(&me, &target, false))));
                }
            };
            s(cap(cx, args, out)?)
        }
        "object_possessive" => {
            let target = cx.to_str(req(args, 0, "target", name)?)?;
            // the point of view counts for a Person (docassemble's Person.object_possessive);
            // DAObject's names the object
            let person = point_of_view(cx, id, args)?;
            let is_person = cx
                .heap()
                .instance(id)
                .is_some_and(|i| super::is_a(&i.class, "Person"));
            let pov = if is_person {
                pov_possessive(&person, &target)
            } else {
                None
            };
            let out = match pov {
                Some(p) => p,
                None => {
                    let iname = support::instance_name(cx, id);
                    let oname = object_name(cx, id);
                    if iname.contains('.') {
                        format!("the {target} of the {oname}")
                    } else {
                        possessify(&format!("the {oname}"), &target, false)
                    }
                }
            };
            s(cap(cx, args, out)?)
        }
        "pronoun_possessive" => {
            let target = cx.to_str(req(args, 0, "target", name)?)?;
            let person = point_of_view(cx, id, args)?;
            let out = pov_possessive(&person, &target).unwrap_or_else(|| format!("its {target}"));
            s(cap(cx, args, out)?)
        }
        "pronoun" | "pronoun_objective" => {
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" | "2p" => "you",
                "1" => "me",
                "1p" => "us",
                _ => "it",
            };
            s(cap(cx, args, out.to_string())?)
        }
        "pronoun_subjective" => {
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" | "2p" => "you",
                "1" => "I",
                "1p" => "we",
                _ => "it",
            };
            s(cap(cx, args, out.to_string())?)
        }
        "itself" => {
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" => "yourself",
                "2p" => "yourselves",
                "1" => "myself",
                "1p" => "ourselves",
                _ => "itself",
            };
            s(cap(cx, args, out.to_string())?)
        }
        "is_are_you" => {
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" | "2p" => "are you".to_string(),
                "1" => "am I".to_string(),
                "1p" => "are we".to_string(),
                _ => format!("is {}", cx.to_str(&Value::Ref(id))?),
            };
            s(cap(cx, args, out)?)
        }
        // `do_question('eat')`: "do you eat", "does John Smith eat" …
        "do_question" | "did_question" | "were_question" | "have_question" => {
            let what = cx.to_str(req(args, 0, "the_verb", name)?)?;
            let person = point_of_view(cx, id, args)?;
            let (you, i, we, third) = match name {
                "do_question" => ("do you", "do I", "do we", "does"),
                "did_question" => ("did you", "did I", "did we", "did"),
                "were_question" => ("were you", "was I", "were we", "was"),
                _ => ("have you", "have I", "have we", "has"),
            };
            let out = match person.as_str() {
                "2" | "2p" => format!("{you} {what}"),
                "1" => format!("{i} {what}"),
                "1p" => format!("{we} {what}"),
                _ => format!("{third} {} {what}", cx.to_str(&Value::Ref(id))?),
            };
            s(cap(cx, args, out)?)
        }
        "does_verb" => {
            let verb = cx.to_str(req(args, 0, "the_verb", name)?)?;
            let person = point_of_view(cx, id, args)?;
            let past = kw_bool(cx, args, "past", false)?
                || args
                    .kw("present")
                    .is_some_and(|v| matches!(v, Value::Bool(false)));
            s(verb_for(&verb, &person, false, past))
        }
        "did_verb" => {
            let verb = cx.to_str(req(args, 0, "the_verb", name)?)?;
            let person = point_of_view(cx, id, args)?;
            s(verb_for(&verb, &person, false, true))
        }
        "yourself_or_name" | "subjective_pronoun_or_name" | "pronoun_or_name" => {
            let person = point_of_view(cx, id, args)?;
            // (second person, plural, first person, plural)
            let words = match name {
                "yourself_or_name" => ["yourself", "yourselves", "myself", "ourselves"],
                "subjective_pronoun_or_name" => ["you", "you", "I", "we"],
                _ => ["you", "you", "me", "us"],
            };
            let out = match person.as_str() {
                "2" => words[0].to_string(),
                "2p" => words[1].to_string(),
                "1" => words[2].to_string(),
                "1p" => words[3].to_string(),
                _ => cx.to_str(&Value::Ref(id))?,
            };
            s(cap(cx, args, out)?)
        }
        "set_point_of_view" => {
            let p = req(args, 0, "person", name)?.clone();
            support::set(cx, id, "_point_of_view", p);
            Value::None
        }
        "as_serializable" => Value::str(&cx.to_str(&Value::Ref(id))?),
        _ => return Ok(None),
    };
    Ok(Some(r))
}

/// The verb form for a point of view: `plural` for lists of several items.
pub fn verb_for(verb: &str, person: &str, plural: bool, past: bool) -> String {
    let tense = match (person, plural, past) {
        ("2", false, false) => "2sg",
        ("2", false, true) => "2sgp",
        ("2p", _, false) | ("2", true, false) => "2pl",
        ("2p", _, true) | ("2", true, true) => "2ppl",
        ("1", false, false) => "1sg",
        ("1", false, true) => "1sgp",
        ("1p", _, false) | ("1", true, false) => "1pl",
        ("1p", _, true) | ("1", true, true) => "1ppl",
        (_, true, false) => "3pl",
        (_, true, true) => "3ppl",
        (_, false, false) => "3sg",
        (_, false, true) => "3sgp",
    };
    if past {
        words::verb_past(verb, tense)
    } else {
        words::verb_present(verb, tense)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names() {
        assert_eq!(convert_part("plaintiff"), "plaintiff");
        assert_eq!(convert_part("witness[0]"), "first witness");
        assert_eq!(
            split_top("case.plaintiff[0].x"),
            vec!["case", "plaintiff[0]", "x"]
        );
        assert_eq!(possessify("Fred", "fish", false), "Fred's fish");
        assert_eq!(verb_for("eat", "", false, false), "eats");
        assert_eq!(verb_for("eat", "2", false, false), "eat");
        assert_eq!(verb_for("eat", "", true, false), "eat");
    }
}
