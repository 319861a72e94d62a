//! User classes at run time: the `class` statement, member lookup along the resolution order,
//! construction, `super()` and the special methods (`__str__` …) the object protocol asks.

use std::sync::Arc;

use super::Interp;
use crate::class::{self, Base, Member, OBJECT, UserClass};
use crate::error::{Flow, PyResult, type_err};
use crate::hash::NameMap;
use crate::host::Args;
use crate::ir::{Arg, ClassDef, Expr, FuncDef, StmtKind, Target};
use crate::path::Name;
use crate::value::{ObjId, Value};

/// How a method decorator changes what a `def` in a class body makes.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Method,
    Property,
    Static,
    ClassMethod,
}

impl Interp<'_> {
    /// The user class `qualname`: one this state's code defined, or the host's (a module's).
    pub fn user_class(&self, qualname: &str) -> Option<Arc<UserClass>> {
        match self.state.classes.get(qualname) {
            Some(c) => Some(c.clone()),
            None => self.host.user_class(qualname),
        }
    }

    /// The user class of instance `id`, if it is of one.
    pub fn user_class_of(&self, id: ObjId) -> Option<Arc<UserClass>> {
        let q = self.state.heap.instance(id)?.user_class.as_ref()?;
        self.user_class(q)
    }

    /// Runs a `class` statement: evaluates the bases, makes the members and binds the class.
    pub(crate) fn exec_class_def(&mut self, def: &ClassDef) -> PyResult<()> {
        let mut bases = Vec::new();
        for b in &def.bases {
            match self.eval_expr(b)? {
                Value::Class(n) => bases.push(match self.user_class(&n) {
                    Some(c) => Base::User(c),
                    None => Base::Host(n),
                }),
                Value::Builtin(n) if &*n == "object" => {}
                other => {
                    return Err(type_err(format!(
                        "class {}: a base must be a class, not '{}'",
                        def.name,
                        super::type_name(&other, &self.state.heap)
                    )));
                }
            }
        }
        let module = self.module.clone().or_else(|| self.loading.clone());
        let qualname = Name::from(match &module {
            Some(m) => format!("{m}.{}", def.name),
            None => format!("__main__.{}", def.name),
        });
        let (mro, hosts) = class::split_mro(class::linearise(&bases)?, &bases);
        let mut members = NameMap::default();
        for st in &def.body {
            match &st.kind {
                StmtKind::FuncDef(f) => {
                    let m = self.class_member(f, &qualname)?;
                    members.insert(f.name.clone(), m);
                }
                StmtKind::Assign(targets, e) => {
                    let v = self.eval_expr(e)?;
                    for t in targets {
                        if let Target::Name(n) = t {
                            members.insert(n.clone(), Member::Attr(v.clone()));
                        }
                    }
                }
                StmtKind::AnnAssign(Target::Name(n), Some(e)) => {
                    let v = self.eval_expr(e)?;
                    members.insert(n.clone(), Member::Attr(v));
                }
                _ => {}
            }
        }
        let cls = UserClass {
            name: def.name.clone(),
            qualname: qualname.clone(),
            mro,
            hosts,
            members,
        };
        self.state.classes.insert(qualname.clone(), Arc::new(cls));
        self.assign_name(&def.name, Value::Class(qualname));
        Ok(())
    }

    /// A `def` of a class body, its decorators applied (`@property`, `@staticmethod` and
    /// `@classmethod` say what it is; any other decorator is called with the function).
    fn class_member(&mut self, def: &Arc<FuncDef>, owner: &Name) -> PyResult<Member> {
        let mut f = match self.make_func(def)? {
            Value::Func(f) => f,
            _ => return Err(type_err("a method must be a function")),
        };
        Arc::make_mut(&mut f).owner = Some(owner.clone());
        let mut v = Value::Func(f);
        let mut kind = Kind::Method;
        for d in def.decorators.iter().rev() {
            let marker = match d {
                Expr::Name(n) => match &**n {
                    "property" => Some(Kind::Property),
                    "staticmethod" => Some(Kind::Static),
                    "classmethod" => Some(Kind::ClassMethod),
                    _ => None,
                },
                _ => None,
            };
            match marker {
                Some(k) => kind = k,
                None => {
                    let dv = self.eval_expr(d)?;
                    v = self.call_value(&dv, Args::new(vec![v]))?;
                }
            }
        }
        let func = |v: Value| match v {
            Value::Func(f) => Ok(f),
            _ => Err(type_err(format!(
                "{}: a decorated method must stay a function",
                def.name
            ))),
        };
        Ok(match kind {
            Kind::Method => Member::Method(func(v)?),
            Kind::Property => Member::Property(func(v)?),
            Kind::ClassMethod => Member::ClassMethod(func(v)?),
            Kind::Static => Member::Static(v),
        })
    }

    /// Member `name` of `cls` or of the user classes of its resolution order, with the class
    /// that has it.
    pub(crate) fn find_member(&mut self, cls: &UserClass, name: &str) -> PyResult<Option<Member>> {
        match self.find_member_raw(cls, name) {
            Some(m) => self.localize_member(cls, name, m).map(Some),
            None => Ok(None),
        }
    }

    /// [`Interp::find_member`] as the class holds it.
    fn find_member_raw(&self, cls: &UserClass, name: &str) -> Option<Member> {
        if let Some(m) = crate::hash::get_small(&cls.members, name) {
            return Some(m.clone());
        }
        cls.mro.iter().find_map(|q| {
            let c = self.user_class(q)?;
            crate::hash::get_small(&c.members, name).cloned()
        })
    }

    /// Value `v` of member `name` of `cls` (or of the user class of its resolution order that
    /// has it), usable here: a value on another state's heap (a package module's list, a
    /// method's default) is copied in by the host ([`crate::Host::user_class_value`]).
    fn localize(&mut self, cls: &UserClass, name: &str, v: Value) -> PyResult<Value> {
        if !v.holds_heap() {
            return Ok(v);
        }
        let owner = if crate::hash::get_small(&cls.members, name).is_some() {
            Some(cls.qualname.clone())
        } else {
            cls.mro.iter().find_map(|q| {
                let c = self.user_class(q)?;
                crate::hash::get_small(&c.members, name).map(|_| q.clone())
            })
        };
        let Some(owner) = owner else {
            return Ok(v);
        };
        if self.state.classes.contains_key(&*owner) {
            return Ok(v);
        }
        let host = self.host;
        match host.user_class_value(self, &owner, name)? {
            Some(local) => Ok(local),
            None => Err(type_err(format!(
                "{}.{name} holds a value of another namespace that cannot be used here",
                class::short_name(&owner)
            ))),
        }
    }

    /// [`Interp::localize`] for a member.
    fn localize_member(&mut self, c: &UserClass, name: &str, m: Member) -> PyResult<Member> {
        let func = |v: Value| match v {
            Value::Func(f) => Ok(f),
            _ => Err(type_err("a method must be a function")),
        };
        Ok(match m {
            Member::Method(f) => Member::Method(func(self.localize(c, name, Value::Func(f))?)?),
            Member::Property(f) => {
                Member::Property(func(self.localize(c, name, Value::Func(f))?)?)
            }
            Member::ClassMethod(f) => {
                Member::ClassMethod(func(self.localize(c, name, Value::Func(f))?)?)
            }
            Member::Static(v) => Member::Static(self.localize(c, name, v)?),
            Member::Attr(v) => Member::Attr(self.localize(c, name, v)?),
        })
    }

    /// Calls member `m` for `this` (an instance of `cls`, or the class itself for `this ==
    /// None`).
    pub(crate) fn call_member(
        &mut self,
        m: &Member,
        this: Option<&Value>,
        cls: &Name,
        mut args: Args,
    ) -> PyResult<Value> {
        match m {
            Member::Method(f) => {
                if let Some(t) = this {
                    args.pos.insert(0, t.clone());
                }
                self.call_func(f, args)
            }
            Member::ClassMethod(f) => {
                args.pos.insert(0, Value::Class(cls.clone()));
                self.call_func(f, args)
            }
            Member::Static(v) | Member::Attr(v) => self.call_value(v, args),
            Member::Property(f) => {
                let Some(t) = this else {
                    return Err(type_err("'property' object is not callable"));
                };
                let v = self.call_func(f, Args::new(vec![t.clone()]))?;
                self.call_value(&v, args)
            }
        }
    }

    /// `obj.name` for an instance of user class `cls`: `Some` when the class decides it (a
    /// property, or a class attribute the instance does not shadow).
    pub(crate) fn user_attr(
        &mut self,
        id: ObjId,
        cls: &UserClass,
        name: &str,
        shadowed: bool,
    ) -> PyResult<Option<Value>> {
        match self.find_member(cls, name)? {
            Some(Member::Property(f)) => self
                .call_func(&f, Args::new(vec![Value::Ref(id)]))
                .map(Some),
            Some(Member::Attr(v)) if !shadowed => Ok(Some(v)),
            Some(Member::Method(_) | Member::Static(_) | Member::ClassMethod(_)) if !shadowed => {
                Err(type_err(format!(
                    "'{}.{name}' must be called (bound methods are not values in pyeval)",
                    cls.name
                )))
            }
            _ => Ok(None),
        }
    }

    /// `Cls.name` for a user class.
    pub(crate) fn user_class_attr(&mut self, cls: &UserClass, name: &str) -> PyResult<Value> {
        match name {
            "__name__" | "__qualname__" => return Ok(Value::Str(cls.name.clone())),
            "__module__" => {
                let m = cls
                    .qualname
                    .strip_suffix(&*cls.name)
                    .and_then(|m| m.strip_suffix('.'))
                    .unwrap_or("");
                return Ok(Value::str(m));
            }
            _ => {}
        }
        match self.find_member(cls, name)? {
            Some(Member::Attr(v) | Member::Static(v)) => Ok(v),
            Some(Member::Method(f)) => Ok(Value::Func(f)),
            Some(_) => Err(type_err(format!(
                "'{}.{name}' must be called (bound methods are not values in pyeval)",
                cls.name
            ))),
            None => Err(Flow::raise(
                "AttributeError",
                format!("type object '{}' has no attribute '{name}'", cls.name),
            )),
        }
    }

    /// `Cls(args)` for a user class: a new instance (of its first host class, named as that
    /// class's host constructor names it) whose `__init__` runs, or (deriving from a host
    /// class) its `init`, as docassemble's `DAObject.__init__` calls it.
    pub(crate) fn construct_user(
        &mut self,
        cls: &Arc<UserClass>,
        mut args: Args,
    ) -> PyResult<Value> {
        let id = match cls.host_base() {
            Some(h) => {
                let host = self.host;
                let h = h.clone();
                host.new_instance(self, &h, &mut args)?
            }
            None => self.state.heap.new_instance(OBJECT, None),
        };
        self.init_instance_of(id, cls, args)?;
        Ok(Value::Ref(id))
    }

    /// Makes instance `id` (just allocated with the class's first host class) an instance of
    /// user class `qualname` and runs its initialisation (see [`Interp::construct_user`]).
    pub fn init_user_instance(&mut self, id: ObjId, qualname: &str, args: Args) -> PyResult<()> {
        let cls = self
            .user_class(qualname)
            .ok_or_else(|| type_err(format!("unknown class {qualname}")))?;
        self.init_instance_of(id, &cls, args)
    }

    fn init_instance_of(&mut self, id: ObjId, cls: &Arc<UserClass>, args: Args) -> PyResult<()> {
        if let Some(inst) = self.state.heap.instance_mut(id) {
            inst.user_class = Some(cls.qualname.clone());
        }
        let this = Value::Ref(id);
        if let Some(m) = self.find_member(cls, "__init__")? {
            self.call_member(&m, Some(&this), &cls.qualname, args)?;
            return Ok(());
        }
        if cls.host_base().is_none() {
            if !args.pos.is_empty() || !args.kw.is_empty() {
                return Err(type_err(format!("{}() takes no arguments", cls.name)));
            }
            return Ok(());
        }
        match self.find_member(cls, "init")? {
            Some(m) => {
                self.call_member(&m, Some(&this), &cls.qualname, args)?;
            }
            None => self.host_init(id, cls, args)?,
        }
        Ok(())
    }

    /// The host class's `init` for an instance of a user class (`super().init(...)` reaching
    /// the host); a host without one sets the keyword arguments as attributes.
    fn host_init(&mut self, id: ObjId, cls: &UserClass, args: Args) -> PyResult<()> {
        if let Some(h) = cls.host_base().cloned() {
            let host = self.host;
            if host
                .call_method(self, id, &h, "init", args.clone())?
                .is_some()
            {
                return Ok(());
            }
        }
        for (k, v) in args.kw {
            self.set_attr(&Value::Ref(id), &k, v)?;
        }
        Ok(())
    }

    /// `super().method(args)` (or `super(Cls, self).method(args)`): `method` of the classes
    /// after the running method's class in the resolution order of `self`'s class, then of
    /// the host class.
    pub(crate) fn super_call(
        &mut self,
        super_args: &[Arg],
        method: &str,
        args: Args,
    ) -> PyResult<Value> {
        let (owner, this) = if super_args.is_empty() {
            let f = self
                .current
                .clone()
                .ok_or_else(|| Flow::raise("RuntimeError", "super(): no arguments"))?;
            let owner = f
                .owner
                .clone()
                .ok_or_else(|| Flow::raise("RuntimeError", "super(): __class__ cell not found"))?;
            let first = f
                .def
                .params
                .first()
                .ok_or_else(|| Flow::raise("RuntimeError", "super(): no arguments"))?;
            let this = self
                .scopes
                .last()
                .and_then(|s| s.get(&first.name))
                .cloned()
                .ok_or_else(|| Flow::raise("RuntimeError", "super(): arg[0] deleted"))?;
            (owner, this)
        } else {
            let a = self.eval_args(super_args)?;
            match (a.pos.first(), a.pos.get(1)) {
                (Some(Value::Class(c)), Some(t)) => (c.clone(), t.clone()),
                _ => return Err(type_err("super() argument 1 must be a type")),
            }
        };
        let Value::Ref(id) = this else {
            return Err(type_err("super(type, obj): obj must be an instance"));
        };
        let cls = self.user_class_of(id).ok_or_else(|| {
            type_err("super(type, obj): obj must be an instance or subtype of type")
        })?;
        let order: Vec<Name> = std::iter::once(cls.qualname.clone())
            .chain(cls.mro.iter().cloned())
            .collect();
        let start = order
            .iter()
            .position(|q| *q == owner)
            .map_or(order.len(), |i| i + 1);
        for q in &order[start..] {
            if let Some(c) = self.user_class(q)
                && let Some(m) = crate::hash::get_small(&c.members, method).cloned()
            {
                let m = self.localize_member(&c, method, m)?;
                return self.call_member(&m, Some(&this), &cls.qualname, args);
            }
        }
        if method == "init" || method == "__init__" {
            self.host_init(id, &cls, args)?;
            return Ok(Value::None);
        }
        if let Some(h) = cls.host_base().cloned() {
            let host = self.host;
            if let Some(v) = host.call_method(self, id, &h, method, args)? {
                return Ok(v);
            }
        }
        Err(Flow::raise(
            "AttributeError",
            format!("'super' object has no attribute '{method}'"),
        ))
    }

    /// Calls method `name` (`__str__`, `hook_on_gather` …) of instance `id` if its user class
    /// (or one of that class's user bases) defines it; `Ok(None)` otherwise.
    pub fn call_user_method(
        &mut self,
        id: ObjId,
        name: &str,
        args: Vec<Value>,
    ) -> PyResult<Option<Value>> {
        let Some(cls) = self.user_class_of(id) else {
            return Ok(None);
        };
        match self.find_member(&cls, name)? {
            Some(m) => self
                .call_member(&m, Some(&Value::Ref(id)), &cls.qualname, Args::new(args))
                .map(Some),
            None => Ok(None),
        }
    }
}

/// The arguments of `super(...)` when `obj` is that call.
pub(crate) fn is_super_call(obj: &Expr) -> Option<&[Arg]> {
    match obj {
        Expr::Call(f, a) if matches!(&**f, Expr::Name(n) if &**n == "super") => Some(a),
        _ => None,
    }
}
