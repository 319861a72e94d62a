//! Statement execution: assignment targets, loops, `try`, `del`, `raise`.

use std::sync::Arc;

use super::Interp;
use crate::error::{Flow, PyErr, PyResult, exc_matches, type_err, value_err};
use crate::heap::ObjKind;
use crate::ir::{BinOp, Expr, Handler, Stmt, StmtKind, Target};
use crate::value::Value;

/// How a statement sequence finished.
#[derive(Debug)]
pub(crate) enum Ctl {
    Normal,
    Break,
    Continue,
    Return(Value),
}

impl Interp<'_> {
    pub(crate) fn exec_stmts(&mut self, body: &[Stmt]) -> PyResult<Ctl> {
        for s in body {
            match self.exec_stmt(s) {
                Ok(Ctl::Normal) => {}
                Ok(c) => return Ok(c),
                Err(Flow::Raise(mut e)) => {
                    if e.line.is_none() {
                        e.line = Some(s.line);
                    }
                    return Err(Flow::Raise(e));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Ctl::Normal)
    }

    fn exec_stmt(&mut self, s: &Stmt) -> PyResult<Ctl> {
        self.budget.fuel(1)?;
        self.enter()?;
        let r = self.exec_kind(&s.kind);
        self.depth -= 1;
        r
    }

    fn exec_kind(&mut self, k: &StmtKind) -> PyResult<Ctl> {
        match k {
            StmtKind::Expr(e) => {
                self.eval_expr(e)?;
            }
            StmtKind::Assign(targets, value) => {
                let v = self.eval_expr(value)?;
                for t in targets {
                    self.assign(t, v.clone())?;
                }
            }
            StmtKind::AnnAssign(t, value) => {
                if let Some(value) = value {
                    let v = self.eval_expr(value)?;
                    self.assign(t, v)?;
                }
            }
            StmtKind::AugAssign(t, op, value) => self.aug_assign(t, *op, value)?,
            StmtKind::If(c, body, orelse) => {
                let cv = self.eval_expr(c)?;
                return if self.truthy(&cv)? {
                    self.exec_stmts(body)
                } else {
                    self.exec_stmts(orelse)
                };
            }
            StmtKind::For(target, iter, body, orelse) => {
                let itv = self.eval_expr(iter)?;
                let mut it = self.make_iter(&itv)?;
                while let Some(v) = self.iter_next(&mut it) {
                    self.budget.fuel(1)?;
                    self.assign(target, v)?;
                    match self.exec_stmts(body)? {
                        Ctl::Break => return Ok(Ctl::Normal),
                        Ctl::Return(v) => return Ok(Ctl::Return(v)),
                        Ctl::Normal | Ctl::Continue => {}
                    }
                }
                return self.exec_stmts(orelse);
            }
            StmtKind::While(c, body, orelse) => {
                loop {
                    self.budget.fuel(1)?;
                    let cv = self.eval_expr(c)?;
                    if !self.truthy(&cv)? {
                        break;
                    }
                    match self.exec_stmts(body)? {
                        Ctl::Break => return Ok(Ctl::Normal),
                        Ctl::Return(v) => return Ok(Ctl::Return(v)),
                        Ctl::Normal | Ctl::Continue => {}
                    }
                }
                return self.exec_stmts(orelse);
            }
            StmtKind::Break => return Ok(Ctl::Break),
            StmtKind::Continue => return Ok(Ctl::Continue),
            StmtKind::Pass => {}
            StmtKind::Import(binds) => {
                for (module, bind) in binds {
                    // `import docassemble.base.util`: its names are already the host's globals.
                    if module == "docassemble" || module.starts_with("docassemble.") {
                        continue;
                    }
                    let v = self.host.lookup_global(module).ok_or_else(|| {
                        Flow::raise(
                            "ModuleNotFoundError",
                            format!("No module named '{module}' (not available in this sandbox)"),
                        )
                    })?;
                    // `import json` binds what the name already finds: nothing to store; but
                    // `import datetime` binds the module over the builtin class of that name.
                    if bind.as_ref() != module.as_str() || crate::builtins::is_builtin(bind) {
                        self.assign_name(bind, v);
                    }
                }
            }
            StmtKind::ImportFrom(module, binds) => {
                // docassemble's modules: their names are the host's globals; another module
                // the host has (`random`): its names are the host's `module.name`.
                let docassemble = module == "docassemble" || module.starts_with("docassemble.");
                if docassemble && self.import_from_package(module, binds)? {
                    return Ok(Ctl::Normal);
                }
                if !docassemble && self.host.lookup_global(module).is_none() {
                    return Err(Flow::raise(
                        "ModuleNotFoundError",
                        format!("No module named '{module}' (not available in this sandbox)"),
                    ));
                }
                for (name, bind) in binds {
                    let found = if docassemble {
                        self.host.lookup_global(name)
                    } else {
                        self.host.lookup_global(&format!("{module}.{name}"))
                    };
                    let v = found.ok_or_else(|| {
                        Flow::raise(
                            "ImportError",
                            format!("cannot import name '{name}' from '{module}'"),
                        )
                    })?;
                    // a module's name differs from what the bare name finds: bind it
                    if bind != name || !docassemble {
                        self.assign_name(bind, v);
                    }
                }
            }
            StmtKind::Return(v) => {
                let v = match v {
                    Some(e) => self.eval_expr(e)?,
                    None => Value::None,
                };
                return Ok(Ctl::Return(v));
            }
            StmtKind::Del(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
            }
            StmtKind::Raise(e) => return Err(self.raise_value(e.as_ref())?),
            StmtKind::Assert(c, msg) => {
                let cv = self.eval_expr(c)?;
                if !self.truthy(&cv)? {
                    let m = match msg {
                        Some(m) => {
                            let mv = self.eval_expr(m)?;
                            self.to_str(&mv)?
                        }
                        None => String::new(),
                    };
                    return Err(Flow::raise("AssertionError", m));
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => return self.exec_try(body, handlers, orelse, finally),
            StmtKind::FuncDef(def) => {
                let mut f = self.make_func(def)?;
                for d in def.decorators.iter().rev() {
                    let dv = self.eval_expr(d)?;
                    f = self.call_value(&dv, crate::host::Args::new(vec![f]))?;
                }
                self.assign_name(&def.name, f);
            }
            StmtKind::ClassDef(def) => self.exec_class_def(def)?,
        }
        Ok(Ctl::Normal)
    }

    fn raise_value(&mut self, e: Option<&Expr>) -> PyResult<Flow> {
        let Some(e) = e else {
            return Ok(match self.handling.last() {
                Some(cur) => Flow::Raise(Box::new((**cur).clone())),
                None => Flow::raise("RuntimeError", "No active exception to reraise"),
            });
        };
        let v = self.eval_expr(e)?;
        Ok(match v {
            Value::Exc(err) => Flow::Raise(Box::new((*err).clone())),
            Value::Builtin(n) if crate::error::is_builtin_exception(&n) => Flow::raise(&n, ""),
            Value::Class(n) => Flow::raise(&n, ""),
            _ => type_err("exceptions must derive from BaseException"),
        })
    }

    fn handler_matches(&mut self, h: &Handler, e: &PyErr) -> PyResult<bool> {
        let Some(kind) = &h.kind else { return Ok(true) };
        let kv = self.eval_expr(kind)?;
        let classes: Vec<Value> = match kv {
            Value::Tuple(t) => t.to_vec(),
            v => vec![v],
        };
        for c in classes {
            match c {
                Value::Builtin(n) | Value::Class(n) => {
                    if exc_matches(&e.kind, &n) || self.host_exc_matches(&e.kind, &n) {
                        return Ok(true);
                    }
                }
                _ => {
                    return Err(type_err(
                        "catching classes that do not inherit from BaseException is not allowed",
                    ));
                }
            }
        }
        Ok(false)
    }

    fn host_exc_matches(&self, kind: &str, base: &str) -> bool {
        let mut cur: Arc<str> = Arc::from(kind);
        for _ in 0..32 {
            if &*cur == base {
                return true;
            }
            match self.host.class_parent(&cur) {
                Some(p) => cur = p,
                None => return exc_matches(&cur, base) && &*cur != kind,
            }
        }
        false
    }

    /// `from docassemble.pkg.module import a, b` of a package module the host loaded: binds
    /// its names. `false` when the module has none of them (a docassemble library module,
    /// whose names are the host's globals already).
    fn import_from_package(
        &mut self,
        module: &str,
        binds: &[(crate::path::Name, crate::path::Name)],
    ) -> PyResult<bool> {
        let host = self.host;
        let mut found = Vec::with_capacity(binds.len());
        for (name, bind) in binds {
            match host.module_global(self, module, name)? {
                Some(v) => found.push((bind.clone(), v)),
                None if found.is_empty() => return Ok(false),
                None => {
                    return Err(Flow::raise(
                        "ImportError",
                        format!("cannot import name '{name}' from '{module}'"),
                    ));
                }
            }
        }
        if found.is_empty() {
            return Ok(false);
        }
        for (bind, v) in found {
            self.assign_name(&bind, v);
        }
        Ok(true)
    }

    fn exec_try(
        &mut self,
        body: &[Stmt],
        handlers: &[Handler],
        orelse: &[Stmt],
        finally: &[Stmt],
    ) -> PyResult<Ctl> {
        let r = match self.exec_stmts(body) {
            // docassemble's "needs" is a NameError (DAAttributeError, DAIndexError) that the
            // interview's own `except` catches like any other; uncaught, the signal goes on
            Err(Flow::Needs(n)) => {
                let e = Box::new(needs_as_exception(&n));
                match self.choose_handler(handlers, &e) {
                    Ok(Some(h)) => self.run_handler(h, &e),
                    Ok(None) => Err(Flow::Needs(n)),
                    Err(err) => Err(err),
                }
            }
            Err(Flow::Raise(e)) => match self.choose_handler(handlers, &e) {
                Ok(Some(h)) => self.run_handler(h, &e),
                Ok(None) => Err(Flow::Raise(e)),
                Err(err) => Err(err),
            },
            Ok(Ctl::Normal) => self.exec_stmts(orelse),
            other => other,
        };
        if finally.is_empty() || matches!(r, Err(Flow::Limit(_))) {
            return r;
        }
        match self.exec_stmts(finally)? {
            Ctl::Normal => r,
            c => Ok(c),
        }
    }

    /// The first handler whose class matches `e` (an error evaluating a handler's class is
    /// the result).
    fn choose_handler<'h>(
        &mut self,
        handlers: &'h [Handler],
        e: &PyErr,
    ) -> PyResult<Option<&'h Handler>> {
        for h in handlers {
            if self.handler_matches(h, e)? {
                return Ok(Some(h));
            }
        }
        Ok(None)
    }

    /// Runs handler `h` for `e` (bound to its name while it runs).
    fn run_handler(&mut self, h: &Handler, e: &PyErr) -> PyResult<Ctl> {
        let exc = Arc::new(e.clone());
        if let Some(n) = &h.name {
            self.assign_name(n, Value::Exc(exc.clone()));
        }
        self.handling.push(exc);
        let r = self.exec_stmts(&h.body);
        self.handling.pop();
        if let Some(n) = &h.name {
            let _ = self.delete_name(n);
        }
        r
    }

    /// Assigns `v` to a target.
    pub(crate) fn assign(&mut self, t: &Target, v: Value) -> PyResult<()> {
        match t {
            Target::Name(n) => {
                self.assign_name(n, v);
                Ok(())
            }
            Target::Attr(obj, name) => {
                let o = self.eval_expr(obj)?;
                self.set_attr(&o, name, v)
            }
            Target::Subscript(obj, idx) => {
                let o = self.eval_expr(obj)?;
                if let Expr::Slice(lo, hi, st) = idx {
                    let (lo, hi, st) = self.eval_slice_parts(lo, hi, st)?;
                    return self.set_slice(&o, lo, hi, st, &v);
                }
                let i = self.eval_expr(idx)?;
                self.set_item(&o, &i, v)
            }
            Target::Tuple(targets) => {
                let items = self.collect(&v)?;
                let star = targets.iter().position(|t| matches!(t, Target::Starred(_)));
                match star {
                    None => {
                        if items.len() != targets.len() {
                            return Err(if items.len() < targets.len() {
                                value_err(format!(
                                    "not enough values to unpack (expected {}, got {})",
                                    targets.len(),
                                    items.len()
                                ))
                            } else {
                                value_err(format!(
                                    "too many values to unpack (expected {})",
                                    targets.len()
                                ))
                            });
                        }
                        for (t, x) in targets.iter().zip(items) {
                            self.assign(t, x)?;
                        }
                    }
                    Some(si) => {
                        let after = targets.len() - si - 1;
                        if items.len() < si + after {
                            return Err(value_err(format!(
                                "not enough values to unpack (expected at least {}, got {})",
                                si + after,
                                items.len()
                            )));
                        }
                        let mut items = items;
                        let tail = items.split_off(items.len() - after);
                        let mid = items.split_off(si);
                        for (t, x) in targets[..si].iter().zip(items) {
                            self.assign(t, x)?;
                        }
                        if let Target::Starred(inner) = &targets[si] {
                            let l = self.make_list(mid)?;
                            self.assign(inner, l)?;
                        }
                        for (t, x) in targets[si + 1..].iter().zip(tail) {
                            self.assign(t, x)?;
                        }
                    }
                }
                Ok(())
            }
            Target::Starred(_) => Err(type_err(
                "starred assignment target must be in a list or tuple",
            )),
        }
    }

    fn aug_assign(&mut self, t: &Target, op: BinOp, value: &Expr) -> PyResult<()> {
        match t {
            Target::Name(n) => {
                let cur = self.lookup(n)?;
                let v = self.eval_expr(value)?;
                let new = self.inplace(op, cur, &v)?;
                self.assign_name(n, new);
                Ok(())
            }
            Target::Attr(obj, name) => {
                let o = self.eval_expr(obj)?;
                let cur = self.get_attr(&o, name)?;
                let v = self.eval_expr(value)?;
                let new = self.inplace(op, cur, &v)?;
                self.set_attr(&o, name, new)
            }
            Target::Subscript(obj, idx) => {
                let o = self.eval_expr(obj)?;
                let i = self.eval_expr(idx)?;
                let cur = self.get_item(&o, &i)?;
                let v = self.eval_expr(value)?;
                let new = self.inplace(op, cur, &v)?;
                self.set_item(&o, &i, new)
            }
            _ => Err(type_err("illegal expression for augmented assignment")),
        }
    }

    /// In-place operators: lists extend/repeat in place (aliases see it), others rebind.
    fn inplace(&mut self, op: BinOp, cur: Value, v: &Value) -> PyResult<Value> {
        if let Value::Ref(id) = &cur {
            if self.state.heap.list(*id).is_some() {
                match op {
                    BinOp::Add => {
                        let items = self.collect(v)?;
                        if let Some(l) = self.state.heap.list_mut(*id) {
                            l.extend(items);
                        }
                        return Ok(cur);
                    }
                    BinOp::Mul => {
                        let n = v
                            .as_int()
                            .ok_or_else(|| type_err("can't multiply sequence by non-int"))?;
                        let items = self.state.heap.list(*id).cloned().unwrap_or_default();
                        let n = usize::try_from(n).unwrap_or(0);
                        self.budget.mem_items(items.len().saturating_mul(n), 24)?;
                        if let Some(l) = self.state.heap.list_mut(*id) {
                            l.clear();
                            for _ in 0..n {
                                l.extend(items.iter().cloned());
                            }
                        }
                        return Ok(cur);
                    }
                    _ => {}
                }
            }
            if matches!(op, BinOp::BitOr)
                && let Some(ObjKind::Dict(_)) = self.state.heap.get(*id).map(|o| &o.kind)
            {
                let items = self.dict_items(v)?;
                for (k, x) in items {
                    self.set_item(&cur, &k, x)?;
                }
                return Ok(cur);
            }
        }
        crate::ops::binop(self, op, &cur, v)
    }

    fn delete(&mut self, t: &Target) -> PyResult<()> {
        match t {
            Target::Name(n) => self.delete_name(n),
            Target::Attr(obj, name) => {
                let o = self.eval_expr(obj)?;
                self.del_attr(&o, name)
            }
            Target::Subscript(obj, idx) => {
                let o = self.eval_expr(obj)?;
                if let Expr::Slice(lo, hi, st) = idx {
                    let (lo, hi, st) = self.eval_slice_parts(lo, hi, st)?;
                    return self.del_slice(&o, lo, hi, st);
                }
                let i = self.eval_expr(idx)?;
                self.del_item(&o, &i)
            }
            Target::Tuple(ts) => {
                for t in ts {
                    self.delete(t)?;
                }
                Ok(())
            }
            Target::Starred(_) => Err(type_err("cannot delete starred")),
        }
    }
}

/// The exception docassemble raises where the engine signals "needs": `NameError` for an
/// undefined name, `AttributeError` (docassemble's DAAttributeError) for an attribute,
/// `IndexError` (DAIndexError) for an item; the message names the path as docassemble's do.
fn needs_as_exception(n: &crate::NeedsVar) -> PyErr {
    use crate::path::Seg;
    let kind = match n.missing.segs.last() {
        None => "NameError",
        Some(Seg::Attr(_)) => "AttributeError",
        Some(_) => "IndexError",
    };
    PyErr::new(kind, format!("name '{}' is not defined", n.missing))
}
