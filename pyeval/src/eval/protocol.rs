//! The object protocol: attributes, items, slices, truthiness, len, iteration, membership,
//! str/repr. Host instances dispatch to the [`crate::Host`] hooks first.

use std::sync::Arc;

use super::Interp;
use crate::error::{Flow, NeedsVar, PyResult, type_err};
use crate::format::{float_repr, repr_str};
use crate::heap::{ObjKind, Set};
use crate::path::{Path, Seg};
use crate::value::{Key, ObjId, Value};

/// An in-progress iteration.
pub(crate) enum LoopIter {
    /// Live iteration over a list (sees appends, like Python).
    List(ObjId, usize),
    /// A lazy range.
    Range(i64, i64, i64),
    /// Materialised items.
    Items(std::vec::IntoIter<Value>),
    /// A shared iterator object.
    IterObj(ObjId),
}

/// Python's name for the type of `v`.
pub fn type_name(v: &Value, heap: &crate::Heap) -> String {
    match v {
        Value::None => "NoneType".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float".into(),
        Value::Str(_) => "str".into(),
        Value::Tuple(_) => "tuple".into(),
        Value::Range(..) => "range".into(),
        Value::Date(_) => "date".into(),
        Value::DateTime(_) => "datetime".into(),
        Value::Delta(_) => "timedelta".into(),
        Value::Decimal(_) => "Decimal".into(),
        Value::Builtin(n)
            if crate::builtins::is_type(n) || crate::error::is_builtin_exception(n) =>
        {
            "type".into()
        }
        Value::Builtin(_) | Value::HostFn(_) => "builtin_function_or_method".into(),
        Value::Class(_) => "type".into(),
        Value::Func(_) => "function".into(),
        Value::Exc(e) => e.kind.clone(),
        Value::Ref(id) => heap
            .get(*id)
            .map_or("object", |o| o.kind.type_name())
            .to_string(),
    }
}

/// Normalises a sequence index (negative from the end); `None` if out of range.
pub(crate) fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let j = if i < 0 { i.checked_add(len)? } else { i };
    if (0..len).contains(&j) {
        usize::try_from(j).ok()
    } else {
        None
    }
}

/// Python's `PySlice_AdjustIndices`: (start, stop, step, count).
pub(crate) fn slice_indices(
    len: usize,
    lo: Option<i64>,
    hi: Option<i64>,
    step: Option<i64>,
) -> PyResult<(i64, i64, i64, usize)> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(Flow::raise("ValueError", "slice step cannot be zero"));
    }
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let adj = |v: Option<i64>, def: i64, lo_b: i64, hi_b: i64| -> i64 {
        match v {
            None => def,
            Some(v) if v < 0 => (v.saturating_add(len)).max(lo_b),
            Some(v) => v.min(hi_b),
        }
    };
    let (start, stop) = if step > 0 {
        (adj(lo, 0, 0, len), adj(hi, len, 0, len))
    } else {
        (adj(lo, len - 1, -1, len - 1), adj(hi, -1, -1, len - 1))
    };
    let (s, a, b) = (i128::from(step), i128::from(start), i128::from(stop));
    let count = if s > 0 {
        if b > a { (b - a - 1) / s + 1 } else { 0 }
    } else if a > b {
        (a - b - 1) / (-s) + 1
    } else {
        0
    };
    Ok((start, stop, step, usize::try_from(count).unwrap_or(0)))
}

fn slice_pick<T: Clone>(
    items: &[T],
    lo: Option<i64>,
    hi: Option<i64>,
    step: Option<i64>,
) -> PyResult<Vec<T>> {
    let (start, _, step, count) = slice_indices(items.len(), lo, hi, step)?;
    let mut out = Vec::with_capacity(count);
    let mut i = start;
    for _ in 0..count {
        if let Some(x) = usize::try_from(i).ok().and_then(|u| items.get(u)) {
            out.push(x.clone());
        }
        i = i.saturating_add(step);
    }
    Ok(out)
}

pub(crate) fn range_len(a: i64, b: i64, s: i64) -> usize {
    let (a, b, s) = (i128::from(a), i128::from(b), i128::from(s));
    let n = if s > 0 && b > a {
        (b - a - 1) / s + 1
    } else if s < 0 && a > b {
        (a - b - 1) / (-s) + 1
    } else {
        0
    };
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl Interp<'_> {
    fn class_of(&self, id: ObjId) -> Option<Arc<str>> {
        self.state.heap.instance(id).map(|i| i.class.clone())
    }

    /// `obj.name`.
    pub fn get_attr(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
        if name.starts_with("__") {
            match (name, obj) {
                ("__class__", _) => return Ok(crate::builtins::type_of(self, obj)),
                ("__name__" | "__qualname__", Value::Class(c)) if self.user_class(c).is_none() => {
                    // a host class, maybe with parameters (`DAList.using(…)`)
                    let base = c.split_once(".using(").map_or(&**c, |(b, _)| b);
                    return Ok(Value::str(crate::class::short_name(base)));
                }
                ("__name__" | "__qualname__", Value::Builtin(b))
                    if crate::builtins::is_type(b) || crate::error::is_builtin_exception(b) =>
                {
                    return Ok(Value::Str(b.clone()));
                }
                _ => {}
            }
        }
        match obj {
            Value::Ref(id) => {
                if let Some(inst) = self.state.heap.instance(*id) {
                    let stored = crate::hash::get_small(&inst.attrs, name).cloned();
                    if let Some(uc) = inst.user_class.clone()
                        && let Some(cls) = self.user_class(&uc)
                        && let Some(v) = self.user_attr(*id, &cls, name, stored.is_some())?
                    {
                        return Ok(v);
                    }
                    if let Some(v) = stored {
                        return Ok(v);
                    }
                    let Some(inst) = self.state.heap.instance(*id) else {
                        return Err(type_err("dangling reference"));
                    };
                    let class = inst.class.clone();
                    if let Some(v) = self.host.missing_attr(self, *id, &class, name)? {
                        return Ok(v);
                    }
                    return match self.state.heap.path(*id) {
                        Some(p) => Err(Flow::Needs(Box::new(NeedsVar::open(p.attr(name))))),
                        None => Err(Flow::raise(
                            "AttributeError",
                            format!("'{class}' object has no attribute '{name}'"),
                        )),
                    };
                }
            }
            Value::Date(_) | Value::DateTime(_) | Value::Delta(_) => {
                if let Some(v) = crate::dates::attr(obj, name) {
                    return Ok(v);
                }
            }
            Value::Builtin(b) => {
                if let Some(v) = crate::builtins::static_attr(b, name) {
                    return Ok(v);
                }
            }
            Value::Class(c) => {
                let c = c.clone();
                if let Some(cls) = self.user_class(&c) {
                    return self.user_class_attr(&cls, name);
                }
                if let Some(v) = self.host.class_attr(self, &c, name)? {
                    return Ok(v);
                }
            }
            Value::Exc(e) if name == "args" => {
                return Value::tuple(vec![Value::str(&e.message)]);
            }
            Value::Float(f) if name == "real" => return Ok(Value::Float(*f)),
            Value::Int(i) if name == "real" || name == "numerator" => return Ok(Value::Int(*i)),
            Value::Int(_) if name == "denominator" => return Ok(Value::Int(1)),
            Value::Int(_) | Value::Float(_) if name == "imag" => return Ok(Value::Int(0)),
            _ => {}
        }
        let tn = type_name(obj, &self.state.heap);
        if crate::methods::has_method(obj, name, &self.state.heap) {
            return Err(type_err(format!(
                "'{tn}.{name}' must be called (bound methods are not values in pyeval)"
            )));
        }
        Err(Flow::raise(
            "AttributeError",
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }

    /// `hasattr(obj, name)`: Needs and AttributeError give `false`.
    pub fn has_attr(&mut self, obj: &Value, name: &str) -> PyResult<bool> {
        if crate::methods::has_method(obj, name, &self.state.heap) {
            return Ok(true);
        }
        if let Value::Ref(id) = obj
            && let Some(cls) = self.user_class_of(*id)
            && matches!(
                self.find_member(&cls, name)?,
                Some(
                    crate::class::Member::Method(_)
                        | crate::class::Member::Static(_)
                        | crate::class::Member::ClassMethod(_)
                )
            )
        {
            return Ok(true);
        }
        match self.get_attr(obj, name) {
            Ok(_) => Ok(true),
            Err(Flow::Needs(_)) => Ok(false),
            Err(Flow::Raise(e)) if e.kind == "AttributeError" => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `obj.name = v`.
    pub fn set_attr(&mut self, obj: &Value, name: &crate::path::Name, v: Value) -> PyResult<()> {
        if let Value::Ref(id) = obj
            && self.state.heap.instance(*id).is_some()
        {
            if let Some(p) = self.state.heap.path(*id).cloned() {
                self.name_object(&v, || p.attr(name));
            }
            if let Some(inst) = self.state.heap.instance_mut(*id) {
                inst.attrs.insert(name.clone(), v);
            }
            return Ok(());
        }
        let tn = type_name(obj, &self.state.heap);
        Err(Flow::raise(
            "AttributeError",
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }

    /// `del obj.name`.
    pub fn del_attr(&mut self, obj: &Value, name: &str) -> PyResult<()> {
        if let Value::Ref(id) = obj
            && let Some(inst) = self.state.heap.instance_mut(*id)
        {
            if inst.attrs.shift_remove(name).is_some() {
                return Ok(());
            }
            let class = inst.class.clone();
            return Err(Flow::raise(
                "AttributeError",
                format!("'{class}' object has no attribute '{name}'"),
            ));
        }
        let tn = type_name(obj, &self.state.heap);
        Err(Flow::raise(
            "AttributeError",
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }

    pub(crate) fn index_of(&self, v: &Value, what: &str) -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(i64::from(*b)),
            _ => Err(type_err(format!(
                "{what} indices must be integers or slices, not {}",
                type_name(v, &self.state.heap)
            ))),
        }
    }

    fn missing_index(&self, id: ObjId, seg: Seg, err: Flow) -> Flow {
        match self.state.heap.path(id) {
            Some(p) => Flow::Needs(Box::new(NeedsVar::open(p.child(seg)))),
            None => err,
        }
    }

    /// `obj[key]`.
    pub fn get_item(&mut self, obj: &Value, key: &Value) -> PyResult<Value> {
        match obj {
            Value::Ref(id) => {
                let id = *id;
                let Some(o) = self.state.heap.get(id) else {
                    return Err(type_err("dangling reference"));
                };
                match &o.kind {
                    ObjKind::List(l) => {
                        let i = self.index_of(key, "list")?;
                        match norm_index(i, l.len()) {
                            Some(j) => Ok(l[j].clone()),
                            None => Err(self.missing_index(
                                id,
                                Seg::Index(i),
                                Flow::raise("IndexError", "list index out of range"),
                            )),
                        }
                    }
                    ObjKind::Dict(d) => {
                        let k = Key::from_value(key, &self.state.heap)?;
                        match d.get(&k) {
                            Some(v) => Ok(v.clone()),
                            None => {
                                let seg = match key {
                                    Value::Str(s) => Some(Seg::Key(s.clone())),
                                    Value::Int(i) => Some(Seg::Index(*i)),
                                    _ => None,
                                };
                                let err = Flow::raise("KeyError", self.repr(key)?);
                                Err(match seg {
                                    Some(seg) => self.missing_index(id, seg, err),
                                    None => err,
                                })
                            }
                        }
                    }
                    ObjKind::Instance(inst) => {
                        let class = inst.class.clone();
                        if inst.user_class.is_some()
                            && let Some(v) =
                                self.call_user_method(id, "__getitem__", vec![key.clone()])?
                        {
                            return Ok(v);
                        }
                        match self.host.get_item(self, id, &class, key)? {
                            Some(v) => Ok(v),
                            None => Err(type_err(format!("'{class}' object is not subscriptable"))),
                        }
                    }
                    k => Err(type_err(format!(
                        "'{}' object is not subscriptable",
                        k.type_name()
                    ))),
                }
            }
            Value::Tuple(t) => {
                let i = self.index_of(key, "tuple")?;
                norm_index(i, t.len())
                    .map(|j| t[j].clone())
                    .ok_or_else(|| Flow::raise("IndexError", "tuple index out of range"))
            }
            Value::Str(s) => {
                let i = self.index_of(key, "string")?;
                let out = if s.is_ascii() {
                    norm_index(i, s.len()).map(|j| s[j..j + 1].to_string())
                } else {
                    let n = s.chars().count();
                    norm_index(i, n)
                        .and_then(|j| s.chars().nth(j))
                        .map(|c| c.to_string())
                };
                out.map(|c| Value::Str(Arc::from(c)))
                    .ok_or_else(|| Flow::raise("IndexError", "string index out of range"))
            }
            Value::Range(a, b, s) => {
                let i = self.index_of(key, "range object")?;
                let n = range_len(*a, *b, *s);
                match norm_index(i, n) {
                    Some(j) => Ok(Value::Int(a + (j as i64) * s)),
                    None => Err(Flow::raise("IndexError", "range object index out of range")),
                }
            }
            _ => Err(type_err(format!(
                "'{}' object is not subscriptable",
                type_name(obj, &self.state.heap)
            ))),
        }
    }

    /// `obj[lo:hi:step]`.
    pub fn get_slice(
        &mut self,
        obj: &Value,
        lo: Option<i64>,
        hi: Option<i64>,
        step: Option<i64>,
    ) -> PyResult<Value> {
        if let Value::Ref(id) = obj
            && let Some(class) = self.class_of(*id)
        {
            let host = self.host;
            return match host.get_slice(self, *id, &class, lo, hi, step)? {
                Some(v) => Ok(v),
                None => Err(type_err(format!("'{class}' object is not subscriptable"))),
            };
        }
        match obj {
            Value::Ref(id) => match self.state.heap.list(*id) {
                Some(l) => {
                    let out = slice_pick(l, lo, hi, step)?;
                    self.budget.mem_items(out.len(), 24)?;
                    Ok(self.state.heap.new_list(out))
                }
                None => Err(type_err(format!(
                    "'{}' object is not subscriptable",
                    type_name(obj, &self.state.heap)
                ))),
            },
            Value::Tuple(t) => Value::tuple(slice_pick(t, lo, hi, step)?),
            Value::Str(s) => {
                if s.is_ascii() {
                    let out = slice_pick(s.as_bytes(), lo, hi, step)?;
                    Ok(Value::Str(Arc::from(
                        String::from_utf8_lossy(&out).as_ref(),
                    )))
                } else {
                    let chars: Vec<char> = s.chars().collect();
                    let out: String = slice_pick(&chars, lo, hi, step)?.into_iter().collect();
                    Ok(Value::Str(Arc::from(out)))
                }
            }
            Value::Range(a, _, s) => {
                let n = range_len(
                    *a,
                    match obj {
                        Value::Range(_, b, _) => *b,
                        _ => 0,
                    },
                    *s,
                );
                let (start, stop, step2, _) = slice_indices(n, lo, hi, step)?;
                let ns = s.checked_mul(step2).ok_or_else(crate::error::overflow)?;
                let na = a
                    .checked_add(start.checked_mul(*s).ok_or_else(crate::error::overflow)?)
                    .ok_or_else(crate::error::overflow)?;
                let nb = a
                    .checked_add(stop.checked_mul(*s).ok_or_else(crate::error::overflow)?)
                    .ok_or_else(crate::error::overflow)?;
                Ok(Value::Range(na, nb, ns))
            }
            _ => Err(type_err(format!(
                "'{}' object is not subscriptable",
                type_name(obj, &self.state.heap)
            ))),
        }
    }

    /// `obj[key] = v`.
    pub fn set_item(&mut self, obj: &Value, key: &Value, v: Value) -> PyResult<()> {
        let Value::Ref(id) = obj else {
            return Err(type_err(format!(
                "'{}' object does not support item assignment",
                type_name(obj, &self.state.heap)
            )));
        };
        let id = *id;
        let path = self.state.heap.path(id).cloned();
        let kind_is = self.state.heap.get(id).map(|o| match &o.kind {
            ObjKind::List(_) => 0,
            ObjKind::Dict(_) => 1,
            ObjKind::Instance(_) => 2,
            _ => 3,
        });
        match kind_is {
            Some(0) => {
                let i = self.index_of(key, "list")?;
                if let Some(p) = &path {
                    self.name_object(&v, || p.index(i));
                }
                let l = self
                    .state
                    .heap
                    .list_mut(id)
                    .ok_or_else(|| type_err("not a list"))?;
                match norm_index(i, l.len()) {
                    Some(j) => {
                        l[j] = v;
                        Ok(())
                    }
                    None => Err(Flow::raise(
                        "IndexError",
                        "list assignment index out of range",
                    )),
                }
            }
            Some(1) => {
                let k = Key::from_value(key, &self.state.heap)?;
                if let Some(p) = &path {
                    let seg = match key {
                        Value::Str(s) => Some(Seg::Key(s.clone())),
                        Value::Int(i) => Some(Seg::Index(*i)),
                        _ => None,
                    };
                    if let Some(seg) = seg {
                        self.name_object(&v, || p.child(seg));
                    }
                }
                self.budget.mem(72)?;
                if let Some(ObjKind::Dict(d)) = self.state.heap.get_mut(id).map(|o| &mut o.kind) {
                    d.insert(k, key.clone(), v);
                }
                Ok(())
            }
            Some(2) => {
                let class = self.class_of(id).unwrap_or_else(|| Arc::from("object"));
                if self.host.set_item(self, id, &class, key, &v)? {
                    Ok(())
                } else {
                    Err(type_err(format!(
                        "'{class}' object does not support item assignment"
                    )))
                }
            }
            _ => Err(type_err(format!(
                "'{}' object does not support item assignment",
                type_name(obj, &self.state.heap)
            ))),
        }
    }

    /// `obj[lo:hi:step] = v` (lists only).
    pub fn set_slice(
        &mut self,
        obj: &Value,
        lo: Option<i64>,
        hi: Option<i64>,
        step: Option<i64>,
        v: &Value,
    ) -> PyResult<()> {
        let items = self.collect(v)?;
        let Some(l) = obj.as_ref_id().and_then(|id| self.state.heap.list_mut(id)) else {
            return Err(type_err("slice assignment is supported on lists only"));
        };
        let (start, stop, st, count) = slice_indices(l.len(), lo, hi, step)?;
        if st == 1 {
            let a = usize::try_from(start).unwrap_or(0);
            let b = usize::try_from(stop.max(start)).unwrap_or(a);
            l.splice(a..b, items);
            return Ok(());
        }
        if items.len() != count {
            return Err(Flow::raise(
                "ValueError",
                format!(
                    "attempt to assign sequence of size {} to extended slice of size {count}",
                    items.len()
                ),
            ));
        }
        let mut i = start;
        for x in items {
            if let Some(slot) = usize::try_from(i).ok().and_then(|u| l.get_mut(u)) {
                *slot = x;
            }
            i = i.saturating_add(st);
        }
        Ok(())
    }

    /// `del obj[key]`.
    pub fn del_item(&mut self, obj: &Value, key: &Value) -> PyResult<()> {
        let Value::Ref(id) = obj else {
            return Err(type_err(format!(
                "'{}' object doesn't support item deletion",
                type_name(obj, &self.state.heap)
            )));
        };
        let id = *id;
        let k = match self.state.heap.get(id).map(|o| &o.kind) {
            Some(ObjKind::Dict(_)) => Some(Key::from_value(key, &self.state.heap)?),
            _ => None,
        };
        let krepr = self.repr(key)?;
        match self.state.heap.get_mut(id).map(|o| &mut o.kind) {
            Some(ObjKind::List(l)) => {
                let i = match key {
                    Value::Int(i) => *i,
                    Value::Bool(b) => i64::from(*b),
                    _ => return Err(type_err("list indices must be integers or slices")),
                };
                match norm_index(i, l.len()) {
                    Some(j) => {
                        l.remove(j);
                        Ok(())
                    }
                    None => Err(Flow::raise(
                        "IndexError",
                        "list assignment index out of range",
                    )),
                }
            }
            Some(ObjKind::Dict(d)) => match k.and_then(|k| d.remove(&k)) {
                Some(_) => Ok(()),
                None => Err(Flow::raise("KeyError", krepr)),
            },
            Some(ObjKind::Instance(inst)) => {
                let class = inst.class.clone();
                if self.host.del_item(self, id, &class, key)? {
                    Ok(())
                } else {
                    Err(type_err(format!(
                        "'{class}' object doesn't support item deletion"
                    )))
                }
            }
            _ => Err(type_err(format!(
                "'{}' object doesn't support item deletion",
                type_name(obj, &self.state.heap)
            ))),
        }
    }

    /// `del obj[lo:hi:step]` (lists only).
    pub fn del_slice(
        &mut self,
        obj: &Value,
        lo: Option<i64>,
        hi: Option<i64>,
        step: Option<i64>,
    ) -> PyResult<()> {
        let Some(l) = obj.as_ref_id().and_then(|id| self.state.heap.list_mut(id)) else {
            return Err(type_err("slice deletion is supported on lists only"));
        };
        let (start, _, st, count) = slice_indices(l.len(), lo, hi, step)?;
        let mut idx: Vec<usize> = (0..count)
            .filter_map(|k| usize::try_from(i128::from(start) + (k as i128) * i128::from(st)).ok())
            .collect();
        idx.sort_unstable();
        for j in idx.into_iter().rev() {
            if j < l.len() {
                l.remove(j);
            }
        }
        Ok(())
    }

    /// Python truthiness.
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Range(a, b, s) => range_len(*a, *b, *s) > 0,
            Value::Delta(d) => d.0 != 0,
            Value::Decimal(d) => !d.is_zero(),
            Value::Ref(id) => match self.state.heap.get(*id).map(|o| &o.kind) {
                Some(ObjKind::List(l)) => !l.is_empty(),
                Some(ObjKind::Dict(d)) => !d.is_empty(),
                Some(ObjKind::Set(s)) => !s.is_empty(),
                Some(ObjKind::Instance(inst)) => {
                    let class = inst.class.clone();
                    if inst.user_class.is_some() {
                        if let Some(v) = self.call_user_method(*id, "__bool__", Vec::new())? {
                            return self.truthy(&v);
                        }
                        if let Some(v) = self.call_user_method(*id, "__len__", Vec::new())? {
                            return self.truthy(&v);
                        }
                    }
                    self.host.truthy(self, *id, &class)?.unwrap_or(true)
                }
                _ => true,
            },
            _ => true,
        })
    }

    /// `len(v)`.
    pub fn len(&mut self, v: &Value) -> PyResult<i64> {
        let n = match v {
            Value::Str(s) => {
                if s.is_ascii() {
                    s.len()
                } else {
                    s.chars().count()
                }
            }
            Value::Tuple(t) => t.len(),
            Value::Range(a, b, s) => range_len(*a, *b, *s),
            Value::Ref(id) => match self.state.heap.get(*id).map(|o| &o.kind) {
                Some(ObjKind::List(l)) => l.len(),
                Some(ObjKind::Dict(d)) => d.len(),
                Some(ObjKind::Set(s)) => s.len(),
                Some(ObjKind::Instance(inst)) => {
                    let class = inst.class.clone();
                    if inst.user_class.is_some()
                        && let Some(v) = self.call_user_method(*id, "__len__", Vec::new())?
                    {
                        return self.index_of(&v, "__len__");
                    }
                    return match self.host.len(self, *id, &class)? {
                        Some(n) => Ok(n),
                        None => Err(type_err(format!("object of type '{class}' has no len()"))),
                    };
                }
                _ => {
                    return Err(type_err(format!(
                        "object of type '{}' has no len()",
                        type_name(v, &self.state.heap)
                    )));
                }
            },
            _ => {
                return Err(type_err(format!(
                    "object of type '{}' has no len()",
                    type_name(v, &self.state.heap)
                )));
            }
        };
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// Starts iterating `v`.
    pub(crate) fn make_iter(&mut self, v: &Value) -> PyResult<LoopIter> {
        Ok(match v {
            Value::Range(a, b, s) => LoopIter::Range(*a, *b, *s),
            Value::Tuple(t) => LoopIter::Items(t.iter().cloned().collect::<Vec<_>>().into_iter()),
            Value::Str(s) => {
                self.budget.mem_items(s.len(), 24)?;
                LoopIter::Items(
                    s.chars()
                        .map(|c| Value::Str(Arc::from(c.to_string())))
                        .collect::<Vec<_>>()
                        .into_iter(),
                )
            }
            Value::Ref(id) => match self.state.heap.get(*id).map(|o| &o.kind) {
                Some(ObjKind::List(_)) => LoopIter::List(*id, 0),
                Some(ObjKind::Dict(d)) => {
                    let keys: Vec<Value> = d.iter().map(|(k, _)| k.clone()).collect();
                    LoopIter::Items(keys.into_iter())
                }
                Some(ObjKind::Set(s)) => {
                    LoopIter::Items(s.iter().cloned().collect::<Vec<_>>().into_iter())
                }
                Some(ObjKind::Iter(_)) => LoopIter::IterObj(*id),
                Some(ObjKind::Instance(inst)) => {
                    let class = inst.class.clone();
                    if inst.user_class.is_some()
                        && let Some(v) = self.call_user_method(*id, "__iter__", Vec::new())?
                    {
                        return Ok(LoopIter::Items(self.collect(&v)?.into_iter()));
                    }
                    match self.host.iter(self, *id, &class)? {
                        Some(items) => LoopIter::Items(items.into_iter()),
                        None => return Err(type_err(format!("'{class}' object is not iterable"))),
                    }
                }
                None => return Err(type_err("dangling reference")),
            },
            _ => {
                return Err(type_err(format!(
                    "'{}' object is not iterable",
                    type_name(v, &self.state.heap)
                )));
            }
        })
    }

    /// The next item of an iteration.
    pub(crate) fn iter_next(&mut self, it: &mut LoopIter) -> Option<Value> {
        match it {
            LoopIter::List(id, i) => {
                let v = self.state.heap.list(*id)?.get(*i)?.clone();
                *i += 1;
                Some(v)
            }
            LoopIter::Range(a, b, s) => {
                if (*s > 0 && *a < *b) || (*s < 0 && *a > *b) {
                    let v = *a;
                    match a.checked_add(*s) {
                        Some(n) => *a = n,
                        None => *b = *a,
                    }
                    Some(Value::Int(v))
                } else {
                    None
                }
            }
            LoopIter::Items(items) => items.next(),
            LoopIter::IterObj(id) => match self.state.heap.get_mut(*id).map(|o| &mut o.kind) {
                Some(ObjKind::Iter(io)) => {
                    let v = io.items.get(io.pos)?.clone();
                    io.pos += 1;
                    Some(v)
                }
                _ => None,
            },
        }
    }

    /// All items of an iterable, charging memory first.
    pub fn collect(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        match v {
            Value::Range(a, b, s) => {
                let n = range_len(*a, *b, *s);
                self.budget.mem_items(n, 24)?;
                self.budget.fuel(n as u64 / 8)?;
            }
            Value::Ref(id) => {
                if let Some(l) = self.state.heap.list(*id) {
                    let n = l.len();
                    self.budget.mem_items(n, 24)?;
                    return Ok(self.state.heap.list(*id).cloned().unwrap_or_default());
                }
            }
            _ => {}
        }
        let mut it = self.make_iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.iter_next(&mut it) {
            out.push(x);
        }
        self.budget.mem_items(out.len(), 24)?;
        Ok(out)
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container {
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(s.contains(&**sub)),
                _ => Err(type_err(format!(
                    "'in <string>' requires string as left operand, not {}",
                    type_name(item, &self.state.heap)
                ))),
            },
            Value::Range(a, b, s) => Ok(
                match item.as_int().or_else(|| match item {
                    Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e18 => Some(*f as i64),
                    _ => None,
                }) {
                    Some(x) => {
                        let inr = if *s > 0 {
                            *a <= x && x < *b
                        } else {
                            *b < x && x <= *a
                        };
                        inr && (i128::from(x) - i128::from(*a)) % i128::from(*s) == 0
                    }
                    None => false,
                },
            ),
            Value::Tuple(t) => {
                for x in t.iter() {
                    if crate::ops::eq(self, x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Ref(id) => {
                let id = *id;
                match self.state.heap.get(id).map(|o| &o.kind) {
                    Some(ObjKind::Dict(d)) => {
                        let k = Key::from_value(item, &self.state.heap)?;
                        Ok(d.contains(&k))
                    }
                    Some(ObjKind::Set(s)) => {
                        let k = Key::from_value(item, &self.state.heap)?;
                        Ok(s.contains(&k))
                    }
                    Some(ObjKind::List(l)) => {
                        let n = l.len();
                        for i in 0..n {
                            let Some(x) = self.state.heap.list(id).and_then(|l| l.get(i)).cloned()
                            else {
                                break;
                            };
                            if crate::ops::eq(self, &x, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    Some(ObjKind::Instance(inst)) => {
                        let class = inst.class.clone();
                        if inst.user_class.is_some()
                            && let Some(v) =
                                self.call_user_method(id, "__contains__", vec![item.clone()])?
                        {
                            return self.truthy(&v);
                        }
                        if let Some(b) = self.host.contains(self, id, &class, item)? {
                            return Ok(b);
                        }
                        let items = self.collect(container)?;
                        for x in &items {
                            if crate::ops::eq(self, x, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    Some(ObjKind::Iter(_)) => {
                        let mut it = LoopIter::IterObj(id);
                        while let Some(x) = self.iter_next(&mut it) {
                            if crate::ops::eq(self, &x, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    None => Err(type_err("dangling reference")),
                }
            }
            _ => Err(type_err(format!(
                "argument of type '{}' is not iterable",
                type_name(container, &self.state.heap)
            ))),
        }
    }

    /// `str(v)`.
    pub fn to_str(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            Value::Exc(e) => Ok(e.message.clone()),
            Value::Date(_) | Value::DateTime(_) | Value::Delta(_) | Value::Decimal(_) => {
                Ok(crate::dates::to_str(v))
            }
            Value::Ref(id) => {
                if let Some(v) = self.call_user_method(*id, "__str__", Vec::new())? {
                    return match v {
                        Value::Str(s) => Ok(s.to_string()),
                        other => Err(type_err(format!(
                            "__str__ returned non-string (type {})",
                            type_name(&other, &self.state.heap)
                        ))),
                    };
                }
                if let Some(class) = self.class_of(*id)
                    && let Some(s) = self.host.to_str(self, *id, &class)?
                {
                    return Ok(s);
                }
                self.repr(v)
            }
            _ => self.repr(v),
        }
    }

    /// `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.repr_into(v, &mut out, &mut seen, 0)?;
        Ok(out)
    }

    fn repr_into(
        &mut self,
        v: &Value,
        out: &mut String,
        seen: &mut Vec<ObjId>,
        depth: u32,
    ) -> PyResult<()> {
        self.budget.fuel(1)?;
        if out.len() > self.budget.mem_left() {
            return Err(Flow::Limit(crate::error::LimitKind::Memory));
        }
        if depth > 200 {
            return Err(Flow::raise(
                "RecursionError",
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        match v {
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&float_repr(*f)),
            Value::Str(s) => out.push_str(&repr_str(s)),
            Value::Tuple(t) => {
                out.push('(');
                for (i, x) in t.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(x, out, seen, depth + 1)?;
                }
                if t.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::Range(a, b, s) => {
                if *s == 1 {
                    out.push_str(&format!("range({a}, {b})"));
                } else {
                    out.push_str(&format!("range({a}, {b}, {s})"));
                }
            }
            Value::Date(_) | Value::DateTime(_) | Value::Delta(_) | Value::Decimal(_) => {
                out.push_str(&crate::dates::repr(v))
            }
            Value::Builtin(n) => {
                if crate::builtins::is_type(n) || crate::error::is_builtin_exception(n) {
                    out.push_str(&format!("<class '{n}'>"));
                } else {
                    out.push_str(&format!("<built-in function {n}>"));
                }
            }
            Value::HostFn(n) => out.push_str(&format!("<function {n}>")),
            Value::Class(n) => out.push_str(&format!("<class '{n}'>")),
            Value::Func(f) => out.push_str(&format!("<function {}>", f.def.name)),
            Value::Exc(e) => {
                out.push_str(&e.kind);
                out.push('(');
                if e.kind == "KeyError" {
                    // a KeyError's message is already the repr of its key
                    out.push_str(&e.message);
                } else if !e.message.is_empty() {
                    out.push_str(&repr_str(&e.message));
                }
                out.push(')');
            }
            Value::Ref(id) => {
                let id = *id;
                if seen.contains(&id) {
                    out.push_str(match self.state.heap.get(id).map(|o| &o.kind) {
                        Some(ObjKind::Dict(_)) => "{...}",
                        _ => "[...]",
                    });
                    return Ok(());
                }
                let Some(obj) = self.state.heap.get(id) else {
                    out.push_str("<dangling>");
                    return Ok(());
                };
                match &obj.kind {
                    ObjKind::List(l) => {
                        let items = l.clone();
                        seen.push(id);
                        out.push('[');
                        for (i, x) in items.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            self.repr_into(x, out, seen, depth + 1)?;
                        }
                        out.push(']');
                        seen.pop();
                    }
                    ObjKind::Dict(d) => {
                        let items: Vec<(Value, Value)> =
                            d.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                        seen.push(id);
                        out.push('{');
                        for (i, (k, x)) in items.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            self.repr_into(k, out, seen, depth + 1)?;
                            out.push_str(": ");
                            self.repr_into(x, out, seen, depth + 1)?;
                        }
                        out.push('}');
                        seen.pop();
                    }
                    ObjKind::Set(s) => {
                        let items: Vec<Value> = s.iter().cloned().collect();
                        if items.is_empty() {
                            out.push_str("set()");
                            return Ok(());
                        }
                        out.push('{');
                        for (i, x) in items.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            self.repr_into(x, out, seen, depth + 1)?;
                        }
                        out.push('}');
                    }
                    ObjKind::Iter(_) => out.push_str("<iterator object>"),
                    ObjKind::Instance(inst) => {
                        let class = inst.class.clone();
                        let user = inst.user_class.is_some();
                        if user
                            && let Some(v) = self.call_user_method(id, "__repr__", Vec::new())?
                        {
                            match v {
                                Value::Str(s) => out.push_str(&s),
                                other => {
                                    return Err(type_err(format!(
                                        "__repr__ returned non-string (type {})",
                                        type_name(&other, &self.state.heap)
                                    )));
                                }
                            }
                        } else if let Some(s) = self.host.to_repr(self, id, &class)? {
                            out.push_str(&s);
                        } else {
                            match self.state.heap.path(id) {
                                Some(p) => out.push_str(&format!(
                                    "<{class} object {}>",
                                    repr_str(&p.to_string())
                                )),
                                None => out.push_str(&format!("<{class} object>")),
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A new set from values.
    pub(crate) fn make_set(&mut self, items: Vec<Value>) -> PyResult<Value> {
        self.budget.mem_items(items.len(), 48)?;
        let mut s = Set::new();
        for v in items {
            let k = Key::from_value(&v, &self.state.heap)?;
            s.insert(k, v);
        }
        Ok(Value::Ref(self.state.heap.alloc(crate::heap::Obj {
            path: None,
            kind: ObjKind::Set(s),
        })))
    }

    /// A new list (charging memory).
    pub(crate) fn make_list(&mut self, items: Vec<Value>) -> PyResult<Value> {
        self.budget.mem_items(items.len().saturating_add(1), 24)?;
        Ok(self.state.heap.new_list(items))
    }

    /// A new iterator object.
    pub(crate) fn make_iter_obj(&mut self, items: Vec<Value>) -> PyResult<Value> {
        self.budget.mem_items(items.len().saturating_add(1), 24)?;
        let io = crate::heap::IterObj { items, pos: 0 };
        Ok(Value::Ref(self.state.heap.alloc(crate::heap::Obj {
            path: None,
            kind: ObjKind::Iter(io),
        })))
    }

    /// The path of a heap value, if any.
    pub fn path_of(&self, v: &Value) -> Option<Path> {
        v.as_ref_id()
            .and_then(|id| self.state.heap.path(id).cloned())
    }
}
