//! Creating objects for the engine: the entries of `objects:` blocks, and the values that
//! answers create (the `DADict` of a `checkboxes` field).

use pyeval::{Expr, Flow, Interp, PatSeg, Path, PathPattern, PyResult, Value};

use super::classes;
use super::host::DaHost;
use super::support::{self, type_err, value_err};

/// Creates the object of one `objects:` entry, `target: class_expr`, as docassemble does:
/// a global target gets `target = Class('target', **params)`; an attribute target
/// (`user.spouse`) gets `parent.initializeAttribute('spouse', Class)` (an existing attribute
/// is kept); an item target (`people[0]`) is assigned. `class_expr` is the compiled value of the
/// entry (`Individual`, `DAList.using(object_type=Individual)`). If the expression already yields an object, it is
/// assigned as is. Returns the object.
pub fn create(h: &DaHost, cx: &mut Interp<'_>, target: &str, class_expr: &Expr) -> PyResult<Value> {
    let class = cx.eval(class_expr)?;
    create_with(h, cx, target, class)
}

/// [`create`] with source text (compiled here; needs the `parser` feature).
#[cfg(feature = "parser")]
pub fn create_from_source(
    h: &DaHost,
    cx: &mut Interp<'_>,
    target: &str,
    class_src: &str,
) -> PyResult<Value> {
    let expr =
        pyeval::compile_expr(class_src).map_err(|e| Flow::raise("SyntaxError", e.to_string()))?;
    create(h, cx, target, &expr)
}

/// [`create`] with the class value already evaluated.
pub fn create_with(h: &DaHost, cx: &mut Interp<'_>, target: &str, class: Value) -> PyResult<Value> {
    let pat = PathPattern::parse(target).map_err(|e| value_err(e.0))?;
    let Value::Class(cls) = class else {
        if cx.class_name(&class).is_some() {
            super::functions::logic::define_var(cx, target, class.clone())?;
            return Ok(class);
        }
        return Err(type_err(format!("objects: {target} must be a class")));
    };
    let Some((last, init)) = pat.segs.split_last() else {
        let v = classes::construct(h, cx, &cls, pyeval::Args::new(vec![Value::str(target)]))?;
        cx.assign_name(&pat.root, v.clone());
        return Ok(v);
    };
    let parent = cx.eval_pattern(&PathPattern {
        root: pat.root.clone(),
        segs: init.to_vec(),
    })?;
    match (last, parent.as_ref_id()) {
        (PatSeg::Attr(a), Some(pid)) if cx.heap().instance(pid).is_some() => {
            classes::initialize_attribute(h, cx, pid, a, &cls, Vec::new())
        }
        _ => {
            let path: Option<Path> = concrete(cx, &pat)?;
            let name = path
                .map(|p| p.to_string())
                .unwrap_or_else(|| target.to_string());
            let v = classes::construct(h, cx, &cls, pyeval::Args::new(vec![Value::str(&name)]))?;
            super::functions::logic::define_var(cx, &name, v.clone())?;
            Ok(v)
        }
    }
}

fn concrete(cx: &mut Interp<'_>, pat: &PathPattern) -> PyResult<Option<Path>> {
    let mut p = Path::name(&pat.root);
    for s in &pat.segs {
        p = match s {
            PatSeg::Attr(a) => p.attr(a),
            PatSeg::Index(i) => p.index(*i),
            PatSeg::Key(k) => p.child(pyeval::Seg::Key(k.clone())),
            PatSeg::Var(n) => {
                let v = cx.lookup(n)?;
                match support::key_seg(&v) {
                    Some(seg) => p.child(seg),
                    None => return Ok(None),
                }
            }
        };
    }
    Ok(Some(p))
}

/// The value of a `checkboxes` answer: `DADict(path, auto_gather=False, gathered=True)` of
/// choice value → bool, named `path` (the field's variable).
pub fn new_checkbox_dict(
    h: &DaHost,
    cx: &mut Interp<'_>,
    path: &str,
    items: Vec<(Value, bool)>,
) -> PyResult<Value> {
    let p = Path::parse(path).map_err(|e| value_err(e.0))?;
    let kw = vec![
        (pyeval::Name::from("auto_gather"), Value::Bool(false)),
        (pyeval::Name::from("gathered"), Value::Bool(true)),
    ];
    let id = classes::new_object(h, cx, "DADict", Some(p), kw)?;
    for (k, b) in items {
        classes::dict::set_item(cx, id, &k, &Value::Bool(b))?;
    }
    Ok(Value::Ref(id))
}

/// A `DAList(path, auto_gather=False, gathered=True)` holding `items` (the value of an
/// `object_checkboxes` answer).
pub fn new_gathered_list(
    h: &DaHost,
    cx: &mut Interp<'_>,
    path: &str,
    items: Vec<Value>,
) -> PyResult<Value> {
    let p = Path::parse(path).map_err(|e| value_err(e.0))?;
    let kw = vec![
        (pyeval::Name::from("auto_gather"), Value::Bool(false)),
        (pyeval::Name::from("gathered"), Value::Bool(true)),
    ];
    let id = classes::new_object(h, cx, "DAList", Some(p), kw)?;
    let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
    for v in items {
        cx.call_method(&el, "append", pyeval::Args::new(vec![v]))?;
    }
    Ok(Value::Ref(id))
}

/// `as_datetime(text)` for a `date`/`datetime` answer: a DADateTime, or `ValueError`.
pub fn parse_date_answer(h: &DaHost, cx: &mut Interp<'_>, text: &str) -> PyResult<Value> {
    let d = super::functions::datefmt::parse(text, h.config().today())
        .ok_or_else(|| Flow::raise("ValueError", format!("{text} is not a valid date")))?;
    Ok(classes::datetime::new_datetime(cx, d))
}
