//! Expression evaluation, including the Needs `wanted` extension along attribute chains.

use std::sync::Arc;

use super::{Interp, Scope};
use crate::error::{Flow, PyResult, type_err};
use crate::heap::{Dict, ObjKind};
use crate::host::Args;
use crate::ir::{Arg, CmpOp, Comp, CompKind, Const, Expr, FPart, FuncDef, UnOp};
use crate::path::Seg;
use crate::value::{Func, Key, Value};

fn is_chain(e: &Expr) -> bool {
    matches!(e, Expr::Name(_) | Expr::Attr(..) | Expr::Subscript(..))
}

/// Adds `seg` to an open Needs coming out of a chain base; closes it otherwise.
fn extend_needs(err: Flow, base: &Expr, seg: Option<Seg>) -> Flow {
    match err {
        Flow::Needs(mut n) => {
            match seg {
                Some(seg) if n.open && is_chain(base) => n.wanted.segs.push(seg),
                _ => n.open = false,
            }
            Flow::Needs(n)
        }
        e => e,
    }
}

fn close_needs(err: Flow) -> Flow {
    match err {
        Flow::Needs(mut n) => {
            n.open = false;
            Flow::Needs(n)
        }
        e => e,
    }
}

impl Interp<'_> {
    /// Evaluates one expression node (charging fuel and depth).
    pub(crate) fn eval_expr(&mut self, e: &Expr) -> PyResult<Value> {
        self.budget.fuel(1)?;
        self.enter()?;
        let r = self.eval_inner(e);
        self.depth -= 1;
        r
    }

    fn eval_inner(&mut self, e: &Expr) -> PyResult<Value> {
        match e {
            Expr::Const(c) => Ok(match c {
                Const::None => Value::None,
                Const::Bool(b) => Value::Bool(*b),
                Const::Int(i) => Value::Int(*i),
                Const::Float(f) => Value::Float(*f),
                Const::Str(s) => Value::Str(s.clone()),
            }),
            Expr::Name(n) => self.lookup_name(n),
            Expr::Attr(obj, name) => {
                let o = self
                    .eval_expr(obj)
                    .map_err(|err| extend_needs(err, obj, Some(Seg::Attr(name.clone()))))?;
                self.get_attr(&o, name)
            }
            Expr::Subscript(obj, idx) => self.eval_subscript(obj, idx),
            Expr::Slice(..) => Err(type_err("slices are only supported inside []")),
            Expr::Tuple(items) => Value::tuple(self.eval_items(items)?),
            Expr::List(items) => {
                let v = self.eval_items(items)?;
                self.make_list(v)
            }
            Expr::Set(items) => {
                let v = self.eval_items(items)?;
                self.make_set(v)
            }
            Expr::Dict(items) => {
                let mut d = Dict::new();
                for (k, v) in items {
                    match k {
                        Some(k) => {
                            let kv = self.eval_expr(k)?;
                            let vv = self.eval_expr(v)?;
                            let key = Key::from_value(&kv, &self.state.heap)?;
                            d.insert(key, kv, vv);
                        }
                        None => {
                            let src = self.eval_expr(v)?;
                            for (kv, vv) in self.dict_items(&src)? {
                                let key = Key::from_value(&kv, &self.state.heap)?;
                                d.insert(key, kv, vv);
                            }
                        }
                    }
                }
                self.budget.mem_items(d.len().saturating_add(1), 72)?;
                Ok(self.state.heap.new_dict(d))
            }
            Expr::Starred(_) => Err(type_err("can't use starred expression here")),
            Expr::BinChain(first, rest) => {
                let mut acc = self.eval_expr(first).map_err(close_needs)?;
                for (op, r) in rest {
                    let b = self.eval_expr(r).map_err(close_needs)?;
                    acc = crate::ops::binop(self, *op, &acc, &b)?;
                }
                Ok(acc)
            }
            Expr::BinOp(op, a, b) => {
                let a = self.eval_expr(a).map_err(close_needs)?;
                let b = self.eval_expr(b).map_err(close_needs)?;
                crate::ops::binop(self, *op, &a, &b)
            }
            Expr::Unary(op, a) => {
                let v = self.eval_expr(a).map_err(close_needs)?;
                match op {
                    UnOp::Not => Ok(Value::Bool(!self.truthy(&v)?)),
                    UnOp::Neg => crate::ops::neg(&v),
                    UnOp::Pos => crate::ops::pos(&v),
                    UnOp::Invert => match v {
                        Value::Int(i) => Ok(Value::Int(!i)),
                        Value::Bool(b) => Ok(Value::Int(!i64::from(b))),
                        _ => Err(type_err(format!(
                            "bad operand type for unary ~: '{}'",
                            super::protocol::type_name(&v, &self.state.heap)
                        ))),
                    },
                }
            }
            Expr::BoolOp(is_and, vals) => {
                let Some((last, init)) = vals.split_last() else {
                    return Ok(Value::None);
                };
                for v in init {
                    let x = self.eval_expr(v).map_err(close_needs)?;
                    if self.truthy(&x)? != *is_and {
                        return Ok(x);
                    }
                }
                self.eval_expr(last).map_err(close_needs)
            }
            Expr::Compare(left, rest) => {
                let mut a = self.eval_expr(left).map_err(close_needs)?;
                for (op, r) in rest {
                    let b = self.eval_expr(r).map_err(close_needs)?;
                    if !self.compare(*op, &a, &b)? {
                        return Ok(Value::Bool(false));
                    }
                    a = b;
                }
                Ok(Value::Bool(true))
            }
            Expr::IfExp(c, a, b) => {
                let cv = self.eval_expr(c).map_err(close_needs)?;
                if self.truthy(&cv)? {
                    self.eval_expr(a).map_err(close_needs)
                } else {
                    self.eval_expr(b).map_err(close_needs)
                }
            }
            Expr::Call(func, args) => self.eval_call(func, args).map_err(close_needs),
            Expr::FString(parts) => {
                let s = self.eval_fstring(parts).map_err(close_needs)?;
                Ok(Value::Str(Arc::from(s)))
            }
            Expr::Comp(c) => self.eval_comp(c).map_err(close_needs),
            Expr::Lambda(def) => self.make_func(def),
            Expr::Named(name, v) => {
                let val = self.eval_expr(v).map_err(close_needs)?;
                // walrus binds in the nearest function scope (or globals), not the comprehension
                match self.scopes.iter().rposition(|s| s.func) {
                    Some(i) => self.scopes[i].set(name, val.clone()),
                    None if self.scopes.is_empty() => self.assign_name(name, val.clone()),
                    None => {
                        self.state.globals.insert(name.clone(), val.clone());
                    }
                }
                Ok(val)
            }
        }
    }

    /// `a op b` for a comparison operator (`==`, `<`, `in`, `is` …), as in Python, including
    /// the host's [`crate::Host::compare`] for instances.
    pub fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> PyResult<bool> {
        Ok(match op {
            CmpOp::Eq => crate::ops::eq(self, a, b)?,
            CmpOp::NotEq => !crate::ops::eq(self, a, b)?,
            CmpOp::In => self.contains(b, a)?,
            CmpOp::NotIn => !self.contains(b, a)?,
            CmpOp::Is => crate::ops::is(a, b),
            CmpOp::IsNot => !crate::ops::is(a, b),
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => crate::ops::order(self, op, a, b)?,
        })
    }

    /// `a == b`, as in Python (containers element-wise, host instances through
    /// [`crate::Host::compare`], identity otherwise).
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        crate::ops::eq(self, a, b)
    }

    /// `a op b` for an arithmetic/bitwise operator, as in Python, including the host's
    /// [`crate::Host::binary_op`] for instances.
    pub fn binop(&mut self, op: crate::ir::BinOp, a: &Value, b: &Value) -> PyResult<Value> {
        crate::ops::binop(self, op, a, b)
    }

    fn slice_bound(&mut self, e: &Option<Box<Expr>>) -> PyResult<Option<i64>> {
        match e {
            None => Ok(None),
            Some(e) => {
                let v = self.eval_expr(e)?;
                match v {
                    Value::None => Ok(None),
                    Value::Int(i) => Ok(Some(i)),
                    Value::Bool(b) => Ok(Some(i64::from(b))),
                    _ => Err(type_err("slice indices must be integers or None")),
                }
            }
        }
    }

    pub(crate) fn eval_slice_parts(
        &mut self,
        lo: &Option<Box<Expr>>,
        hi: &Option<Box<Expr>>,
        st: &Option<Box<Expr>>,
    ) -> PyResult<(Option<i64>, Option<i64>, Option<i64>)> {
        Ok((
            self.slice_bound(lo)?,
            self.slice_bound(hi)?,
            self.slice_bound(st)?,
        ))
    }

    fn eval_subscript(&mut self, obj: &Expr, idx: &Expr) -> PyResult<Value> {
        let o = match self.eval_expr(obj) {
            Ok(o) => o,
            Err(err) => {
                // extend `wanted` with a constant or simple-name index
                let seg = match idx {
                    Expr::Const(Const::Int(i)) => Some(Seg::Index(*i)),
                    Expr::Const(Const::Str(s)) => Some(Seg::Key(s.clone())),
                    Expr::Name(n) => match self.lookup(n) {
                        Ok(Value::Int(i)) => Some(Seg::Index(i)),
                        Ok(Value::Str(s)) => Some(Seg::Key(s)),
                        _ => None,
                    },
                    _ => None,
                };
                return Err(extend_needs(err, obj, seg));
            }
        };
        if let Expr::Slice(lo, hi, st) = idx {
            let (lo, hi, st) = self.eval_slice_parts(lo, hi, st).map_err(close_needs)?;
            return self.get_slice(&o, lo, hi, st);
        }
        let i = self.eval_expr(idx).map_err(close_needs)?;
        self.get_item(&o, &i)
    }

    pub(crate) fn eval_items(&mut self, items: &[Expr]) -> PyResult<Vec<Value>> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            match it {
                Expr::Starred(inner) => {
                    let v = self.eval_expr(inner).map_err(close_needs)?;
                    out.extend(self.collect(&v)?);
                }
                _ => out.push(self.eval_expr(it).map_err(close_needs)?),
            }
        }
        Ok(out)
    }

    /// The (key, value) pairs of a mapping (a dict, or a host instance via iteration + items).
    pub(crate) fn dict_items(&mut self, v: &Value) -> PyResult<Vec<(Value, Value)>> {
        if let Some(ObjKind::Dict(d)) = v
            .as_ref_id()
            .and_then(|id| self.state.heap.get(id))
            .map(|o| &o.kind)
        {
            return Ok(d.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
        }
        Err(type_err(format!(
            "'{}' object is not a mapping",
            super::protocol::type_name(v, &self.state.heap)
        )))
    }

    pub(crate) fn eval_args(&mut self, args: &[Arg]) -> PyResult<Args> {
        let mut out = Args {
            pos: Vec::with_capacity(args.len()),
            kw: Vec::new(),
        };
        for a in args {
            match a {
                Arg::Pos(e) => out.pos.push(self.eval_expr(e)?),
                Arg::Star(e) => {
                    let v = self.eval_expr(e)?;
                    out.pos.extend(self.collect(&v)?);
                }
                Arg::Kw(n, e) => {
                    let v = self.eval_expr(e)?;
                    out.kw.push((n.clone(), v));
                }
                Arg::StarStar(e) => {
                    let v = self.eval_expr(e)?;
                    for (k, v) in self.dict_items(&v)? {
                        match k {
                            Value::Str(s) => out.kw.push((s, v)),
                            _ => return Err(type_err("keywords must be strings")),
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn eval_call(&mut self, func: &Expr, args: &[Arg]) -> PyResult<Value> {
        // `print(x, end='')`, the statement every text piece and `${ }` of a Mako template
        // becomes: written straight to the output while `print` is the builtin (no argument
        // lists, no dispatch by name).
        if let (Expr::Name(f), [Arg::Pos(x), Arg::Kw(k, Expr::Const(Const::Str(end)))]) =
            (func, args)
            && &**f == "print"
            && &**k == "end"
            && end.is_empty()
            && !self.is_bound(f)
        {
            let v = self.eval_expr(x)?;
            crate::builtins::write_output(self, &v, "")?;
            return Ok(Value::None);
        }
        if let Expr::Attr(obj, name) = func {
            if let Some(sargs) = super::classes::is_super_call(obj)
                && !self.is_bound(&crate::path::Name::from("super"))
            {
                let a = self.eval_args(args)?;
                return self.super_call(sargs, name, a);
            }
            let o = self.eval_expr(obj)?;
            let a = self.eval_args(args)?;
            return self.call_method(&o, name, a);
        }
        let f = self.eval_expr(func)?;
        let a = self.eval_args(args)?;
        self.call_value(&f, a)
    }

    pub(crate) fn make_func(&mut self, def: &Arc<FuncDef>) -> PyResult<Value> {
        let mut defaults = Vec::new();
        for p in &def.params {
            if let Some(d) = &p.default {
                defaults.push(self.eval_expr(d)?);
            }
        }
        // capture visible enclosing locals (by value)
        let mut captured = Vec::new();
        for scope in self.scopes.iter().rev() {
            for (n, v) in &scope.vars {
                if !captured
                    .iter()
                    .any(|(c, _): &(crate::path::Name, Value)| c == n)
                {
                    captured.push((n.clone(), v.clone()));
                }
            }
            if scope.func {
                break;
            }
        }
        let mut f = Func::new(def.clone(), defaults, captured)?;
        f.module = self.module.clone();
        Ok(Value::Func(Arc::new(f)))
    }

    fn eval_fstring(&mut self, parts: &[FPart]) -> PyResult<String> {
        let mut out = String::new();
        for p in parts {
            match p {
                FPart::Lit(s) => out.push_str(s),
                FPart::Expr {
                    expr,
                    conv,
                    spec,
                    debug,
                } => {
                    if let Some(d) = debug {
                        out.push_str(d);
                    }
                    let v = self.eval_expr(expr)?;
                    let v = match conv {
                        Some('r') => Value::Str(Arc::from(self.repr(&v)?)),
                        Some('a') => {
                            Value::Str(Arc::from(crate::builtins::ascii_escape(&self.repr(&v)?)))
                        }
                        Some(_) => Value::Str(Arc::from(self.to_str(&v)?)),
                        None => v,
                    };
                    let spec = match spec {
                        Some(sp) => self.eval_fstring(sp)?,
                        None => String::new(),
                    };
                    if let (Value::Str(sv), true) = (&v, spec.is_empty()) {
                        self.budget.mem(sv.len())?;
                        out.push_str(sv);
                        continue;
                    }
                    let s = self.format_value(&v, &spec)?;
                    self.budget.mem(s.len())?;
                    out.push_str(&s);
                }
            }
        }
        Ok(out)
    }

    fn eval_comp(&mut self, c: &Comp) -> PyResult<Value> {
        let Some(first) = c.gens.first() else {
            return Err(type_err("empty comprehension"));
        };
        let first_iter = self.eval_expr(&first.iter)?;
        self.scopes.push(Scope {
            vars: Vec::new(),
            func: false,
        });
        let mut items = Vec::new();
        let mut pairs = Vec::new();
        let r = self.comp_loop(c, 0, Some(first_iter), &mut items, &mut pairs);
        self.scopes.pop();
        r?;
        match c.kind {
            CompKind::List => self.make_list(items),
            CompKind::Set => self.make_set(items),
            CompKind::Gen => self.make_iter_obj(items),
            CompKind::Dict => {
                let mut d = Dict::new();
                for (k, v) in pairs {
                    let key = Key::from_value(&k, &self.state.heap)?;
                    d.insert(key, k, v);
                }
                Ok(self.state.heap.new_dict(d))
            }
        }
    }

    fn comp_loop(
        &mut self,
        c: &Comp,
        level: usize,
        pre: Option<Value>,
        items: &mut Vec<Value>,
        pairs: &mut Vec<(Value, Value)>,
    ) -> PyResult<()> {
        let Some(g) = c.gens.get(level) else {
            return Ok(());
        };
        let itv = match pre {
            Some(v) => v,
            None => self.eval_expr(&g.iter)?,
        };
        let mut it = self.make_iter(&itv)?;
        'outer: while let Some(v) = self.iter_next(&mut it) {
            self.budget.fuel(1)?;
            self.assign(&g.target, v)?;
            for cond in &g.ifs {
                let cv = self.eval_expr(cond)?;
                if !self.truthy(&cv)? {
                    continue 'outer;
                }
            }
            if level + 1 < c.gens.len() {
                self.comp_loop(c, level + 1, None, items, pairs)?;
            } else {
                self.budget.mem(48)?;
                let k = self.eval_expr(&c.elt)?;
                match &c.value {
                    Some(ve) => {
                        let vv = self.eval_expr(ve)?;
                        pairs.push((k, vv));
                    }
                    None => items.push(k),
                }
            }
        }
        Ok(())
    }
}
