//! The tree-walking evaluator. [`Interp`] holds the state, the host, the budget and the local
//! scopes; `expr.rs`, `stmt.rs`, `call.rs` and `protocol.rs` implement its parts.

mod call;
mod classes;
mod expr;
mod protocol;
mod stmt;
mod strfmt;

use std::sync::Arc;

use crate::error::{Flow, LimitKind, NeedsVar, PyErr, PyResult};
use crate::heap::{Heap, ObjKind, State};
use crate::host::Host;
use crate::ir::{Block, Expr};
use crate::limits::{Budget, Limits};
use crate::path::{Name, PatSeg, Path, PathPattern, Seg};
use crate::value::Value;

pub(crate) use protocol::LoopIter;
pub use protocol::type_name;
pub(crate) use protocol::type_name as protocol_type_name;
pub(crate) use stmt::Ctl;

/// Python's slice index adjustment: (start, stop, step, count).
pub(crate) fn slice_indices_pub(
    len: usize,
    lo: Option<i64>,
    hi: Option<i64>,
    step: Option<i64>,
) -> (i64, i64, i64, usize) {
    protocol::slice_indices(len, lo, hi, step).unwrap_or((0, 0, 1, 0))
}

/// A normalised sequence index.
pub(crate) fn norm_index_pub(i: i64, len: usize) -> Option<usize> {
    protocol::norm_index(i, len)
}

/// Number of items in `range(a, b, s)`.
pub(crate) fn range_len_pub(a: i64, b: i64, s: i64) -> usize {
    protocol::range_len(a, b, s)
}

/// A local scope: a function call frame or a comprehension.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    pub(crate) vars: Vec<(Name, Value)>,
    /// Function frames end name resolution (then globals); comprehension scopes see through.
    pub(crate) func: bool,
}

impl Scope {
    #[inline]
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v)
    }
    pub(crate) fn set(&mut self, name: &Name, v: Value) {
        if let Some(slot) = self
            .vars
            .iter_mut()
            .find(|(n, _)| Arc::ptr_eq(n, name) || **n == **name)
        {
            slot.1 = v;
        } else {
            self.vars.push((name.clone(), v));
        }
    }
    fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.vars.iter().position(|(n, _)| &**n == name)?;
        Some(self.vars.remove(i).1)
    }
}

/// A running evaluation: state + host + budget. Host hooks receive it to inspect and change the
/// heap and to evaluate paths or call back into the object protocol.
pub struct Interp<'a> {
    pub(crate) state: &'a mut State,
    pub(crate) host: &'a dyn Host,
    pub(crate) budget: Budget,
    pub(crate) limits: Limits,
    pub(crate) scopes: Vec<Scope>,
    pub(crate) depth: u32,
    pub(crate) call_depth: u32,
    pub(crate) output: String,
    pub(crate) handling: Vec<Arc<PyErr>>,
    /// Direct-mapped cache: IR name pointer → index in `state.globals` (always verified).
    gcache: [(usize, u32); GCACHE],
    /// The package module whose code is running (a function defined in it, or its top level
    /// while it is loaded): globals resolve in its namespace, not the interview's.
    pub(crate) module: Option<Name>,
    /// The module being loaded: its namespace is `state.globals` (see [`Interp::load_module`]).
    loading: Option<Name>,
    /// The user function running (for `super()`).
    pub(crate) current: Option<Arc<crate::value::Func>>,
}

const GCACHE: usize = 64;

/// The module name under which [`crate::Host::module_global`] is asked for a global of the
/// interview itself that no other lookup found (a star-imported module's list or dict).
pub const STAR: &str = "*";

#[inline]
fn gslot(name: &Name) -> (usize, usize) {
    let p = Arc::as_ptr(name) as *const u8 as usize;
    (p, (p >> 4) % GCACHE)
}

impl<'a> Interp<'a> {
    /// A new evaluation over `state`.
    pub fn new(state: &'a mut State, host: &'a dyn Host, limits: &Limits) -> Self {
        Interp {
            state,
            host,
            budget: Budget::new(limits),
            limits: *limits,
            scopes: Vec::new(),
            depth: 0,
            call_depth: 0,
            output: String::new(),
            handling: Vec::new(),
            gcache: [(0, 0); GCACHE],
            module: None,
            loading: None,
            current: None,
        }
    }

    /// Runs the following code as the top level of the Python module `name` (a package module
    /// named by an interview's `modules` block): the state's globals are the module's
    /// namespace, and the functions it defines remember the module, so that when they are
    /// called later their globals are looked up through [`crate::Host::module_global`].
    pub fn load_module(&mut self, name: &str) {
        let name = Name::from(name);
        self.module = Some(name.clone());
        self.loading = Some(name);
    }

    /// A global of module `m` seen from code running in it: its own namespace (the state's
    /// globals while it is being loaded, else the host's copy).
    fn module_lookup(&mut self, m: &Name, name: &str) -> PyResult<Option<Value>> {
        if self.loading.as_ref() == Some(m)
            && let Some(v) = self.state.globals.get(name)
        {
            return Ok(Some(v.clone()));
        }
        let host = self.host;
        host.module_global(self, m, name)
    }

    /// A name not found in the scopes of code running in module `m`: its globals, the
    /// builtins, the host's library; else `NameError` (a module never asks a question).
    fn lookup_in_module(&mut self, m: &Name, name: &str) -> PyResult<Value> {
        if let Some(v) = self.module_lookup(m, name)? {
            return Ok(v);
        }
        if let Some(v) = crate::builtins::lookup(name) {
            return Ok(v);
        }
        if let Some(v) = self.host.lookup_global(name) {
            return Ok(v);
        }
        Err(Flow::raise(
            "NameError",
            format!("name '{name}' is not defined"),
        ))
    }

    /// Runs a block at global scope.
    pub fn exec(&mut self, block: &Block) -> PyResult<()> {
        // a block usually defines a few new globals: grow once, not per insert
        let want = block.assigns.len().min(64);
        let g = &mut self.state.globals;
        if g.capacity() - g.len() < want {
            g.reserve(want);
        }
        match self.exec_stmts(&block.body)? {
            Ctl::Normal | Ctl::Break | Ctl::Continue | Ctl::Return(_) => Ok(()),
        }
    }

    /// Runs `block` in the interview's namespace, as if at its top level (outside whatever
    /// function or package module is running now), with `vars` bound as globals while it
    /// runs (their earlier values, or their absence, come back after); what it prints is the
    /// result and does not reach the current output. For a host that renders a template with
    /// extra names from inside a call (docassemble's `template.show(**kwargs)`).
    pub fn exec_apart(&mut self, block: &Block, vars: Vec<(Name, Value)>) -> PyResult<String> {
        let scopes = std::mem::take(&mut self.scopes);
        let module = self.module.take();
        let current = self.current.take();
        let output = std::mem::take(&mut self.output);
        let mut saved = Vec::with_capacity(vars.len());
        for (k, v) in vars {
            let old = self.state.globals.insert(k.clone(), v);
            saved.push((k, old));
        }
        let result = self.exec(block);
        for (k, old) in saved.into_iter().rev() {
            match old {
                Some(v) => {
                    self.state.globals.insert(k, v);
                }
                None => {
                    self.state.globals.shift_remove(&*k);
                }
            }
        }
        let printed = std::mem::replace(&mut self.output, output);
        self.current = current;
        self.module = module;
        self.scopes = scopes;
        result.map(|()| printed)
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, expr: &Expr) -> PyResult<Value> {
        self.eval_expr(expr)
    }

    /// Pushes an overlay of local variables (docassemble's `i`/`j` index variables, a Mako
    /// `% for` loop variable): lookups see them before the globals, and assignments made while
    /// the overlay is on top go into it. Pop with [`Interp::pop_scope`].
    pub fn push_scope(&mut self, vars: Vec<(Name, Value)>) {
        self.scopes.push(Scope { vars, func: false });
    }

    /// Removes the overlay pushed last, returning its variables.
    pub fn pop_scope(&mut self) -> Vec<(Name, Value)> {
        self.scopes.pop().map(|s| s.vars).unwrap_or_default()
    }

    /// The state.
    pub fn state(&self) -> &State {
        self.state
    }
    /// The state, mutably.
    pub fn state_mut(&mut self) -> &mut State {
        self.state
    }
    /// The heap.
    pub fn heap(&self) -> &Heap {
        &self.state.heap
    }
    /// The heap, mutably.
    pub fn heap_mut(&mut self) -> &mut Heap {
        &mut self.state.heap
    }
    /// The host.
    pub fn host(&self) -> &'a dyn Host {
        self.host
    }
    /// Text written by `print()` so far.
    pub fn output(&self) -> &str {
        &self.output
    }
    /// Steps left in the budget.
    pub fn fuel_left(&self) -> u64 {
        self.budget.fuel_left()
    }
    /// Charges `n` steps (hosts doing expensive work may call this).
    pub fn charge_fuel(&mut self, n: u64) -> PyResult<()> {
        self.budget.fuel(n)
    }
    /// Charges `bytes` of memory before an allocation.
    pub fn charge_mem(&mut self, bytes: usize) -> PyResult<()> {
        self.budget.mem(bytes)
    }

    /// Looks a name up: locals, globals, pyeval builtins, host globals; else Needs.
    pub fn lookup(&mut self, name: &str) -> PyResult<Value> {
        for scope in self.scopes.iter().rev() {
            if let Some(v) = scope.get(name) {
                return Ok(v.clone());
            }
            if scope.func {
                break;
            }
        }
        if let Some(m) = self.module.clone() {
            return self.lookup_in_module(&m, name);
        }
        if let Some(v) = self.state.globals.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = crate::builtins::lookup(name) {
            return Ok(v);
        }
        if let Some(v) = self.host.lookup_global(name) {
            return Ok(v);
        }
        let host = self.host;
        if let Some(v) = host.module_global(self, STAR, name)? {
            return Ok(v);
        }
        Err(Flow::Needs(Box::new(NeedsVar::open(Path::name(name)))))
    }

    /// [`Interp::lookup`] for an IR name: builtins reuse the name's `Arc` (no allocation).
    #[inline]
    pub(crate) fn lookup_name(&mut self, name: &Name) -> PyResult<Value> {
        for scope in self.scopes.iter().rev() {
            if let Some(v) = scope.get(name) {
                return Ok(v.clone());
            }
            if scope.func {
                break;
            }
        }
        if let Some(m) = self.module.clone() {
            return self.lookup_in_module(&m, name);
        }
        if let Some(i) = self.global_index(name) {
            if let Some((_, v)) = self.state.globals.get_index(i) {
                return Ok(v.clone());
            }
        }
        if crate::builtins::is_builtin(name) {
            return Ok(Value::Builtin(name.clone()));
        }
        if let Some(v) = self.host.lookup_global(name) {
            return Ok(v);
        }
        let host = self.host;
        if let Some(v) = host.module_global(self, STAR, name)? {
            return Ok(v);
        }
        Err(Flow::Needs(Box::new(NeedsVar::open(Path {
            root: name.clone(),
            segs: Vec::new(),
        }))))
    }

    /// Is `name` bound by the code (a local of an enclosing scope up to the function's, or a
    /// global), shadowing any builtin or host name?
    #[inline]
    pub(crate) fn is_bound(&mut self, name: &Name) -> bool {
        for scope in self.scopes.iter().rev() {
            if scope.get(name).is_some() {
                return true;
            }
            if scope.func {
                break;
            }
        }
        if let Some(m) = self.module.clone() {
            return matches!(self.module_lookup(&m, name), Ok(Some(_)));
        }
        self.global_index(name).is_some()
    }

    /// Binds a name in the current scope (globals at top level). Instances without a path that
    /// are bound to a global get the name as their path.
    pub fn assign_name(&mut self, name: &Name, v: Value) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.set(name, v);
            return;
        }
        self.name_object(&v, || Path {
            root: name.clone(),
            segs: Vec::new(),
        });
        if let Some(i) = self.global_index(name) {
            if let Some((_, slot)) = self.state.globals.get_index_mut(i) {
                *slot = v;
                return;
            }
        }
        let (i, _) = self.state.globals.insert_full(name.clone(), v);
        let (p, s) = gslot(name);
        self.gcache[s] = (p, u32::try_from(i).unwrap_or(u32::MAX));
    }

    /// The index of global `name`, through the pointer cache (verified against the key, so
    /// hosts may change the globals freely).
    #[inline]
    fn global_index(&mut self, name: &Name) -> Option<usize> {
        let (p, s) = gslot(name);
        let (cp, ci) = self.gcache[s];
        if cp == p {
            if let Some((k, _)) = self.state.globals.get_index(ci as usize) {
                if Arc::ptr_eq(k, name) || **k == **name {
                    return Some(ci as usize);
                }
            }
        }
        let i = self.state.globals.get_index_of(&**name)?;
        self.gcache[s] = (p, u32::try_from(i).unwrap_or(u32::MAX));
        Some(i)
    }

    /// Gives a path-less instance the path `path` (docassemble's instanceName from assignment).
    pub(crate) fn name_object(&mut self, v: &Value, path: impl FnOnce() -> Path) {
        if let Value::Ref(id) = v
            && let Some(obj) = self.state.heap.get_mut(*id)
            && obj.path.is_none()
            && matches!(obj.kind, ObjKind::Instance(_))
        {
            obj.path = Some(path());
        }
    }

    /// Removes a binding (`del x`).
    pub(crate) fn delete_name(&mut self, name: &str) -> PyResult<()> {
        if let Some(scope) = self.scopes.last_mut()
            && (scope.func || scope.get(name).is_some())
        {
            return match scope.remove(name) {
                Some(_) => Ok(()),
                None => Err(Flow::raise(
                    "NameError",
                    format!("name '{name}' is not defined"),
                )),
            };
        }
        match self.state.globals.shift_remove(name) {
            Some(_) => Ok(()),
            None => Err(Flow::raise(
                "NameError",
                format!("name '{name}' is not defined"),
            )),
        }
    }

    pub(crate) fn enter(&mut self) -> PyResult<()> {
        self.depth += 1;
        if self.depth > self.limits.max_eval_depth {
            self.depth -= 1;
            return Err(Flow::Limit(LimitKind::Depth));
        }
        Ok(())
    }

    /// Evaluates a concrete path (`user.name.first`) against the globals.
    pub fn eval_path(&mut self, path: &Path) -> PyResult<Value> {
        let mut v = match self.state.globals.get(&*path.root) {
            Some(v) => v.clone(),
            None => self.lookup(&path.root)?,
        };
        for seg in &path.segs {
            v = match seg {
                Seg::Attr(a) => self.get_attr(&v, a)?,
                Seg::Index(i) => self.get_item(&v, &Value::Int(*i))?,
                Seg::Key(k) => self.get_item(&v, &Value::Str(k.clone()))?,
            };
        }
        Ok(v)
    }

    /// Evaluates a path pattern whose variable indices (`people[i]`) are looked up as names.
    pub fn eval_pattern(&mut self, pat: &PathPattern) -> PyResult<Value> {
        let mut v = self.lookup(&pat.root)?;
        for seg in &pat.segs {
            v = match seg {
                PatSeg::Attr(a) => self.get_attr(&v, a)?,
                PatSeg::Index(i) => self.get_item(&v, &Value::Int(*i))?,
                PatSeg::Key(k) => self.get_item(&v, &Value::Str(k.clone()))?,
                PatSeg::Var(n) => {
                    let idx = self.lookup(n)?;
                    self.get_item(&v, &idx)?
                }
            };
        }
        Ok(v)
    }

    /// Evaluates the container part of a pattern (all but the last step) and returns it with the
    /// last step resolved to a key value (`Err` for a bare name).
    fn pattern_parent(&mut self, pat: &PathPattern) -> PyResult<Option<(Value, PatSeg, Value)>> {
        let Some((last, init)) = pat.segs.split_last() else {
            return Ok(None);
        };
        let mut v = self.lookup(&pat.root)?;
        for seg in init {
            v = match seg {
                PatSeg::Attr(a) => self.get_attr(&v, a)?,
                PatSeg::Index(i) => self.get_item(&v, &Value::Int(*i))?,
                PatSeg::Key(k) => self.get_item(&v, &Value::Str(k.clone()))?,
                PatSeg::Var(n) => {
                    let idx = self.lookup(n)?;
                    self.get_item(&v, &idx)?
                }
            };
        }
        let key = match last {
            PatSeg::Attr(_) => Value::None,
            PatSeg::Index(i) => Value::Int(*i),
            PatSeg::Key(k) => Value::Str(k.clone()),
            PatSeg::Var(n) => self.lookup(n)?,
        };
        Ok(Some((v, last.clone(), key)))
    }

    /// Assigns to a path pattern (docassemble's `define('user.name.first', v)`).
    pub fn assign_pattern(&mut self, pat: &PathPattern, v: Value) -> PyResult<()> {
        match self.pattern_parent(pat)? {
            None => {
                let root = pat.root.clone();
                self.assign_name(&root, v);
                Ok(())
            }
            Some((obj, PatSeg::Attr(a), _)) => self.set_attr(&obj, &a, v),
            Some((obj, _, key)) => self.set_item(&obj, &key, v),
        }
    }

    /// Deletes a path pattern (docassemble's `undefine('x')`).
    pub fn delete_pattern(&mut self, pat: &PathPattern) -> PyResult<()> {
        match self.pattern_parent(pat)? {
            None => self.delete_name(&pat.root),
            Some((obj, PatSeg::Attr(a), _)) => self.del_attr(&obj, &a),
            Some((obj, _, key)) => self.del_item(&obj, &key),
        }
    }

    /// docassemble's `defined(path)`: evaluates the path; Needs and lookup errors give `false`.
    pub fn defined(&mut self, path: &str) -> PyResult<bool> {
        let pat = PathPattern::parse(path).map_err(|e| Flow::raise("ValueError", e.0))?;
        self.defined_pattern(&pat)
    }

    /// [`Interp::defined`] for a parsed path. Like docassemble's `defined()` it only probes:
    /// an index of a collection that keeps its items in `elements` (DAList, DADict) counts
    /// only if it is there already, so that a dict with an `object_type` does not make the
    /// item it is asked about (and a list is not gathered) just to say whether it exists.
    pub fn defined_pattern(&mut self, pat: &PathPattern) -> PyResult<bool> {
        fn absent(e: Flow) -> PyResult<bool> {
            match e {
                Flow::Needs(_) => Ok(false),
                Flow::Raise(e)
                    if matches!(
                        e.kind.as_str(),
                        "NameError" | "AttributeError" | "KeyError" | "IndexError"
                    ) =>
                {
                    Ok(false)
                }
                e => Err(e),
            }
        }
        let mut v = match self.lookup(&pat.root) {
            Ok(v) => v,
            Err(e) => return absent(e),
        };
        for seg in &pat.segs {
            let step = match seg {
                PatSeg::Attr(a) => self.get_attr(&v, a).map(Some),
                PatSeg::Index(i) => self.probe_item(&v, &Value::Int(*i)),
                PatSeg::Key(k) => self.probe_item(&v, &Value::Str(k.clone())),
                PatSeg::Var(n) => match self.lookup(n) {
                    Ok(idx) => self.probe_item(&v, &idx),
                    Err(e) => Err(e),
                },
            };
            v = match step {
                Ok(Some(next)) => next,
                Ok(None) => return Ok(false),
                Err(e) => return absent(e),
            };
        }
        Ok(true)
    }

    /// `v[key]` for [`Interp::defined_pattern`]: `None` when `v` keeps its items in
    /// `elements` and `key` is not among them.
    fn probe_item(&mut self, v: &Value, key: &Value) -> PyResult<Option<Value>> {
        if let Value::Ref(id) = v
            && let Some(Value::Ref(el)) = self.heap().attr(*id, "elements")
        {
            let present = match (self.heap().get(*el).map(|o| &o.kind), key) {
                (Some(ObjKind::List(items)), Value::Int(i)) => {
                    *i < 0 || (*i as usize) < items.len()
                }
                (Some(ObjKind::Dict(d)), k) => d.contains(&crate::Key::from_value(k, self.heap())?),
                _ => true,
            };
            if !present {
                return Ok(None);
            }
        }
        self.get_item(v, key).map(Some)
    }
}

/// Runs `block` on `state` with a fresh budget.
pub fn exec_block(
    block: &Block,
    state: &mut State,
    host: &dyn Host,
    limits: &Limits,
) -> PyResult<()> {
    Interp::new(state, host, limits).exec(block)
}

/// Evaluates `expr` on `state` with a fresh budget.
pub fn eval_expr(
    expr: &Expr,
    state: &mut State,
    host: &dyn Host,
    limits: &Limits,
) -> PyResult<Value> {
    Interp::new(state, host, limits).eval(expr)
}
