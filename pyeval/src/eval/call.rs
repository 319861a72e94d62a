//! Calls: user functions (argument binding, recursion cap), builtins, host functions, host
//! classes and method dispatch.

use std::sync::Arc;

use super::{Ctl, Interp, Scope};
use crate::error::{Flow, LimitKind, PyResult, type_err};
use crate::heap::{Dict, ObjKind};
use crate::host::Args;
use crate::ir::ParamKind;
use crate::value::{Func, Key, Value};

impl Interp<'_> {
    /// Calls a callable value.
    pub fn call_value(&mut self, f: &Value, args: Args) -> PyResult<Value> {
        match f {
            Value::Builtin(name) => crate::builtins::call(self, name, args),
            Value::HostFn(name) => {
                let host = self.host;
                host.call_function(self, name, args)
            }
            Value::Class(name) => {
                if let Some(cls) = self.user_class(name) {
                    return self.construct_user(&cls, args);
                }
                let host = self.host;
                host.construct(self, name, args)
            }
            Value::Func(func) => self.call_func(func, args),
            _ => Err(type_err(format!(
                "'{}' object is not callable",
                super::protocol::type_name(f, &self.state.heap)
            ))),
        }
    }

    /// Calls `obj.name(args)`.
    pub fn call_method(&mut self, obj: &Value, name: &str, args: Args) -> PyResult<Value> {
        if let Value::Ref(id) = obj
            && let Some(inst) = self.state.heap.instance(*id)
        {
            if let Some(v) = crate::hash::get_small(&inst.attrs, name) {
                let v = v.clone();
                return self.call_value(&v, args);
            }
            let class = inst.class.clone();
            if let Some(uc) = inst.user_class.clone()
                && let Some(cls) = self.user_class(&uc)
                && let Some(m) = self.find_member(&cls, name)?
            {
                return self.call_member(&m, Some(obj), &uc, args);
            }
            let host = self.host;
            if let Some(v) = host.call_method(self, *id, &class, name, args.clone())? {
                return Ok(v);
            }
            let f = self.get_attr(obj, name)?;
            return self.call_value(&f, args);
        }
        match obj {
            Value::Class(c) => {
                if let Some(cls) = self.user_class(c)
                    && let Some(m) = self.find_member(&cls, name)?
                {
                    return self.call_member(&m, None, c, args);
                }
                let host = self.host;
                match host.call_class_method(self, c, name, args)? {
                    Some(v) => Ok(v),
                    None => Err(Flow::raise(
                        "AttributeError",
                        format!("type object '{c}' has no attribute '{name}'"),
                    )),
                }
            }
            Value::Builtin(b) => {
                if let Some(r) = crate::builtins::call_static(self, b, name, &args) {
                    return r;
                }
                let f = self.get_attr(obj, name)?;
                self.call_value(&f, args)
            }
            _ => crate::methods::call(self, obj, name, args),
        }
    }

    pub(crate) fn call_func(&mut self, f: &Arc<Func>, mut args: Args) -> PyResult<Value> {
        if self.call_depth >= self.limits.max_call_depth {
            return Err(Flow::Limit(LimitKind::Depth));
        }
        let mut scope = Scope {
            vars: f.captured.clone(),
            func: true,
        };
        let name = &f.def.name;
        let mut pos = std::mem::take(&mut args.pos).into_iter();
        let mut defaults = f.defaults.iter();
        let mut varargs_taken = false;
        for p in &f.def.params {
            let default = if p.default.is_some() {
                defaults.next().cloned()
            } else {
                None
            };
            match p.kind {
                ParamKind::Normal => {
                    let v = match pos.next() {
                        Some(v) => {
                            if args.kw(&p.name).is_some() {
                                return Err(type_err(format!(
                                    "{name}() got multiple values for argument '{}'",
                                    p.name
                                )));
                            }
                            v
                        }
                        None => match args.take_kw(&p.name).or(default) {
                            Some(v) => v,
                            None => {
                                return Err(type_err(format!(
                                    "{name}() missing 1 required positional argument: '{}'",
                                    p.name
                                )));
                            }
                        },
                    };
                    scope.set(&p.name, v);
                }
                ParamKind::VarArgs => {
                    varargs_taken = true;
                    let rest: Vec<Value> = pos.by_ref().collect();
                    scope.set(&p.name, Value::tuple(rest)?);
                }
                ParamKind::KwOnly => match args.take_kw(&p.name).or(default) {
                    Some(v) => scope.set(&p.name, v),
                    None => {
                        return Err(type_err(format!(
                            "{name}() missing 1 required keyword-only argument: '{}'",
                            p.name
                        )));
                    }
                },
                ParamKind::VarKw => {
                    let mut d = Dict::new();
                    for (k, v) in std::mem::take(&mut args.kw) {
                        let kv = Value::Str(k.clone());
                        d.insert(Key::Str(k), kv, v);
                    }
                    let dv = self.state.heap.new_dict(d);
                    scope.set(&p.name, dv);
                }
            }
        }
        if !varargs_taken && pos.next().is_some() {
            let takes = f
                .def
                .params
                .iter()
                .filter(|p| p.kind == ParamKind::Normal)
                .count();
            let given = takes + 1 + pos.count();
            let plural = if takes == 1 { "" } else { "s" };
            let verb = if given == 1 { "was" } else { "were" };
            return Err(type_err(format!(
                "{name}() takes {takes} positional argument{plural} but {given} {verb} given"
            )));
        }
        if let Some((k, _)) = args.kw.first() {
            return Err(type_err(format!(
                "{name}() got an unexpected keyword argument '{k}'"
            )));
        }
        self.call_depth += 1;
        self.scopes.push(scope);
        // the function's globals are those of the module it was defined in (or the interview's)
        let caller_module = std::mem::replace(&mut self.module, f.module.clone());
        let caller = self.current.replace(f.clone());
        let mut r = self.exec_stmts(&f.def.body);
        self.current = caller;
        self.module = caller_module;
        self.scopes.pop();
        self.call_depth -= 1;
        if f.no_dependency_satisfaction {
            r = r.map_err(undefined_is_an_error);
        }
        match r? {
            Ctl::Return(v) => Ok(v),
            _ => Ok(Value::None),
        }
    }

    /// Whether `class` is `base` or inherits from it (via [`crate::Host::class_parent`], or a
    /// user class's resolution order).
    pub fn is_subclass(&self, class: &str, base: &str) -> bool {
        if let Some(c) = self.user_class(class) {
            return c.is_a(base) || c.hosts.iter().any(|h| self.is_subclass(h, base));
        }
        let mut cur: Arc<str> = Arc::from(class);
        for _ in 0..64 {
            if &*cur == base {
                return true;
            }
            match self.host.class_parent(&cur) {
                Some(p) => cur = p,
                None => return false,
            }
        }
        false
    }

    /// The class names of an instance value, its own first: a user class's (short names) and
    /// its ancestors', then its host class and the host class's ancestors. `None` for a value
    /// that is no instance.
    pub fn class_chain(&self, v: &Value) -> Option<Vec<Arc<str>>> {
        let id = v.as_ref_id()?;
        let inst = self.state.heap.instance(id)?;
        let mut out: Vec<Arc<str>> = Vec::new();
        if let Some(cls) = inst.user_class.as_ref().and_then(|u| self.user_class(u)) {
            out.push(cls.name.clone());
            for q in &cls.mro {
                out.push(Arc::from(crate::class::short_name(q)));
            }
        }
        let mut cur = inst.class.clone();
        for _ in 0..64 {
            if out.contains(&cur) {
                break;
            }
            out.push(cur.clone());
            match self.host.class_parent(&cur) {
                Some(p) => cur = p,
                None => break,
            }
        }
        Some(out)
    }

    /// The class name of an instance value.
    pub fn class_name(&self, v: &Value) -> Option<Arc<str>> {
        match v {
            Value::Ref(id) => match self.state.heap.get(*id).map(|o| &o.kind) {
                Some(ObjKind::Instance(i)) => Some(i.class.clone()),
                _ => None,
            },
            _ => None,
        }
    }
}

/// What `@prevent_dependency_satisfaction` makes of a function's missing variable (asked for,
/// or raised as `NameError`, `AttributeError` or `UndefinedError`): docassemble's `DAError`.
fn undefined_is_an_error(f: Flow) -> Flow {
    let undefined = match &f {
        Flow::Needs(_) => true,
        Flow::Raise(e) => matches!(
            e.kind.as_str(),
            "NameError" | "AttributeError" | "UndefinedError"
        ),
        Flow::Limit(_) => false,
    };
    if undefined {
        Flow::raise(
            "DAError",
            "Reference to undefined variable in context where dependency satisfaction not allowed",
        )
    } else {
        f
    }
}
