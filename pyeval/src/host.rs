//! The host interface: how the engine (docassemble's classes and library functions) plugs into the
//! evaluator.
//!
//! Every hook has a default, so a host implements only what it needs. Hooks receive the running
//! [`Interp`], through which they can read and change the heap ([`Interp::heap_mut`]), evaluate
//! paths ([`Interp::eval_path`]) or call back into the object protocol ([`Interp::truthy`],
//! [`Interp::call_method`] …). Hooks take `&self`: a host that needs mutable state of its own
//! keeps it in a `RefCell`.
//!
//! "Not handled" is `Ok(None)` (or `Ok(false)`), which selects pyeval's default behaviour.

use chrono::NaiveDate;

use crate::error::{Flow, PyResult};
use crate::eval::Interp;
use crate::ir::{BinOp, CmpOp};
use crate::path::Name;
use crate::value::{ObjId, Value};

/// Call arguments: positional values and keyword pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    /// Positional arguments.
    pub pos: Vec<Value>,
    /// Keyword arguments, in call order.
    pub kw: Vec<(Name, Value)>,
}

impl Args {
    /// Positional-only arguments.
    pub fn new(pos: Vec<Value>) -> Self {
        Args {
            pos,
            kw: Vec::new(),
        }
    }
    /// The keyword argument `name`.
    pub fn kw(&self, name: &str) -> Option<&Value> {
        self.kw.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
    }
    /// Removes and returns the keyword argument `name`.
    pub fn take_kw(&mut self, name: &str) -> Option<Value> {
        let i = self.kw.iter().position(|(k, _)| &**k == name)?;
        Some(self.kw.remove(i).1)
    }
    /// Positional argument `i`, or keyword `name`.
    pub fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.pos.get(i).or_else(|| self.kw(name))
    }
}

/// What the engine implements. See the crate docs for a worked example (a mini `DAList`).
#[allow(unused_variables)]
pub trait Host {
    /// A global name that is not a local, a global variable or a pyeval builtin: return
    /// `Value::HostFn(name)` for a library function, `Value::Class(name)` for a class, or any
    /// constant. `None` means undefined (the evaluator then raises Needs for the name).
    fn lookup_global(&self, name: &str) -> Option<Value> {
        None
    }

    /// Global `name` of the Python module `module` (a package module the host loaded with
    /// [`Interp::load_module`]), for code running in that module, and for `from module import
    /// name` anywhere. Heap values are the host's to copy into `cx`'s heap. `Ok(None)`: the
    /// module has no such name (or is unknown).
    fn module_global(
        &self,
        cx: &mut Interp<'_>,
        module: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// The user class `qualname` (a `class` statement's) that another state defined: a
    /// package module's, for instances and class values of it in the interview. `None`:
    /// unknown.
    fn user_class(&self, qualname: &str) -> Option<std::sync::Arc<crate::class::UserClass>> {
        None
    }

    /// Member `name` of user class `qualname` (defined in another state, a package module's)
    /// as a value of `cx`'s heap: a class attribute holding a list or dict, or a method whose
    /// defaults do, copied in. `Ok(None)`: not available.
    fn user_class_value(
        &self,
        cx: &mut Interp<'_>,
        qualname: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// Allocates an instance of host class `class` for a user class that derives from it,
    /// taking from `args` what the host's constructor takes itself (docassemble's instance
    /// name), without running any `init` (pyeval runs the user class's). Default: an unnamed
    /// instance.
    fn new_instance(&self, cx: &mut Interp<'_>, class: &str, args: &mut Args) -> PyResult<ObjId> {
        Ok(cx.heap_mut().new_instance(class, None))
    }

    /// Calls a host function returned by [`Host::lookup_global`] as `Value::HostFn`.
    fn call_function(&self, cx: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
        Err(Flow::raise(
            "NameError",
            format!("name '{name}' is not defined"),
        ))
    }

    /// Constructs an instance of host class `class` (`DAList('people')`, `Individual()`).
    /// The default creates an empty instance and sets keyword arguments as attributes.
    fn construct(&self, cx: &mut Interp<'_>, class: &str, args: Args) -> PyResult<Value> {
        let id = cx.heap_mut().new_instance(class, None);
        for (k, v) in args.kw {
            cx.heap_mut().set_attr(id, &k, v);
        }
        Ok(Value::Ref(id))
    }

    /// The direct base class of `class`, for `isinstance` (`Individual` → `Person` → `DAObject`).
    fn class_parent(&self, class: &str) -> Option<Name> {
        None
    }

    /// Calls method `name` on instance `obj` of class `class`. `Ok(None)`: no such method; the
    /// evaluator then treats `obj.name` as a missing attribute.
    fn call_method(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        name: &str,
        args: Args,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// Calls a method on a host class itself (`DAList.using(object_type=Individual)`).
    /// `Ok(None)`: no such class method (`AttributeError`).
    fn call_class_method(
        &self,
        cx: &mut Interp<'_>,
        class: &str,
        name: &str,
        args: Args,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// Attribute `name` of a host class or module itself (`us.states`). `Ok(None)`: none
    /// (`AttributeError`).
    fn class_attr(&self, cx: &mut Interp<'_>, class: &str, name: &str) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// Attribute `name` is not stored on instance `obj`. Return a computed value (a property),
    /// or create the attribute (docassemble's `initializeAttribute`) and return it. `Ok(None)`:
    /// the default, which is Needs(`path.name`) if the object has a path and `AttributeError`
    /// otherwise.
    fn missing_attr(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `str(obj)`. Default: `<Class object>` (or the path, for pathed objects).
    fn to_str(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<String>> {
        Ok(None)
    }

    /// `repr(obj)`. Default: `<Class object>` / `<Class object 'path'>`.
    fn to_repr(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<String>> {
        Ok(None)
    }

    /// Truthiness (`if people:`). A `DAList` raises Needs here to trigger gathering. Default: `True`.
    fn truthy(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<bool>> {
        Ok(None)
    }

    /// `len(obj)`. Default: `TypeError`.
    fn len(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<i64>> {
        Ok(None)
    }

    /// Iteration (`for p in people`). Default: `TypeError`.
    fn iter(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<Vec<Value>>> {
        Ok(None)
    }

    /// `item in obj`. Default: compares against the items of [`Host::iter`].
    fn contains(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        item: &Value,
    ) -> PyResult<Option<bool>> {
        Ok(None)
    }

    /// `obj[key]`. Default: `TypeError`.
    fn get_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `obj[lo:hi:step]`. Default: `TypeError`.
    fn get_slice(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        lo: Option<i64>,
        hi: Option<i64>,
        step: Option<i64>,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `obj[key] = value`; return `true` if handled. Default: `TypeError`.
    fn set_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
        value: &Value,
    ) -> PyResult<bool> {
        Ok(false)
    }

    /// `del obj[key]`; return `true` if handled. Default: `TypeError`.
    fn del_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
    ) -> PyResult<bool> {
        Ok(false)
    }

    /// `obj op other` (`reflected == false`, Python's `__add__`) or `other op obj`
    /// (`reflected == true`, `__radd__`) for a host instance `obj`. pyeval asks the left
    /// operand first (if it is an instance), then the right one; it calls this only when an
    /// operand is a host instance and no builtin operation applies (list + list, set | set …
    /// are never offered). Also used by augmented assignment (`x += y`) and `sum()`.
    /// `Ok(None)`: not supported (`NotImplemented`); if neither operand supports it,
    /// `TypeError: unsupported operand type(s)`.
    fn binary_op(
        &self,
        cx: &mut Interp<'_>,
        op: BinOp,
        obj: ObjId,
        class: &str,
        other: &Value,
        reflected: bool,
    ) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// The rich comparison `obj op other` for a host instance `obj`; `op` is `Eq`, `Lt`,
    /// `LtE`, `Gt` or `GtE`. pyeval asks the left operand first; a reflected comparison
    /// arrives swapped (`x < obj` asks `obj > x`). `!=` is `not ==`. Used by `==`, `<` …,
    /// `in` over lists/tuples, `list.index/count/remove`, `sorted`, `min`, `max`.
    /// `Ok(None)`: not supported; then `==` falls back to identity and ordering raises
    /// `TypeError`. Dict keys and set members still hash instances by identity.
    fn compare(
        &self,
        cx: &mut Interp<'_>,
        op: CmpOp,
        obj: ObjId,
        class: &str,
        other: &Value,
    ) -> PyResult<Option<bool>> {
        Ok(None)
    }

    /// "Today", for `date.today()`; pyeval has no clock. Default: `None` (raises `RuntimeError`).
    fn today(&self) -> Option<NaiveDate> {
        None
    }
}

/// A host with no functions or classes.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHost;

impl Host for NoHost {}
