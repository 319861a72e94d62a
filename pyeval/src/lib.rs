//! # pyeval: a sandboxed Python-subset evaluator with docassemble's "needs variable" signal
//!
//! Code is compiled once ([`compile_block`], [`compile_expr`]; feature `parser`, which uses
//! ruff's parser) into a small serde-able IR ([`Block`], [`Expr`]). The IR is evaluated against
//! a serialisable [`State`] (globals + object [`Heap`]) with [`exec_block`] / [`eval_expr`] or an
//! [`Interp`]. Without the `parser` feature (the browser build) the crate only evaluates IR
//! received as JSON.
//!
//! Every evaluation returns `Result<_, Flow>`:
//! * [`Flow::Needs`] — an undefined variable was touched. `missing` is the real path (from the
//!   objects: `u = user; u.spouse` → `user.spouse`; `for c in children: c.age` →
//!   `children[0].age`), `wanted` adds the syntactic tail (`user.address.city`). Never caught by
//!   `try/except`.
//! * [`Flow::Raise`] — a Python exception ([`PyErr`] with class name and message).
//! * [`Flow::Limit`] — fuel, memory or depth limit ([`Limits`]). Never caught.
//!
//! ## Object model and the host
//!
//! Lists, dicts, sets and host-class instances live in the heap and are referenced by
//! [`ObjId`], so aliasing survives serde. Instances carry a class name, ordered attributes and
//! an optional docassemble path (instanceName). The engine implements docassemble's classes
//! and library functions through the [`Host`] trait: global functions, methods, construction,
//! `str`/`repr`, truthiness/`len`/iteration/`in`/items, missing attributes and the class
//! hierarchy for `isinstance`.
//!
//! `class` statements make user classes ([`class`]): an instance of one is a host instance of
//! its nearest host class that also names its user class, whose members are looked up first.
//!
//! A host list is an instance whose `elements` attribute is a real pyeval list carrying the
//! instance's path, so `people[3]` past the end raises Needs `people[3]`. The host's hooks gate
//! it (gathering) and delegate to the list:
//!
//! ```
//! use pyeval::{Args, Flow, Host, Interp, ObjId, Path, PyResult, State, Value, NeedsVar};
//!
//! struct Mini;
//! impl Host for Mini {
//!     fn lookup_global(&self, name: &str) -> Option<Value> {
//!         (name == "DAList").then(|| Value::Class(name.into()))
//!     }
//!     fn construct(&self, cx: &mut Interp<'_>, class: &str, args: Args) -> PyResult<Value> {
//!         let name = match args.pos.first() { Some(Value::Str(s)) => s.to_string(), _ => "x".into() };
//!         let path = Path::name(&name);
//!         let id = cx.heap_mut().new_instance(class, Some(path.clone()));
//!         let elements = cx.heap_mut().new_list(Vec::new());
//!         cx.heap_mut().set_path(elements.as_ref_id().unwrap(), Some(path));
//!         cx.heap_mut().set_attr(id, "elements", elements);
//!         Ok(Value::Ref(id))
//!     }
//!     fn truthy(&self, cx: &mut Interp<'_>, obj: ObjId, _class: &str) -> PyResult<Option<bool>> {
//!         // reading the unset attribute raises Needs('people.there_are_any')
//!         let any = cx.get_attr(&Value::Ref(obj), "there_are_any")?;
//!         Ok(Some(cx.truthy(&any)?))
//!     }
//!     fn get_item(&self, cx: &mut Interp<'_>, obj: ObjId, _c: &str, key: &Value) -> PyResult<Option<Value>> {
//!         let el = cx.get_attr(&Value::Ref(obj), "elements")?;
//!         Ok(Some(cx.get_item(&el, key)?))
//!     }
//! }
//!
//! # #[cfg(feature = "parser")] {
//! let mut st = State::new();
//! let lim = pyeval::Limits::default();
//! pyeval::exec_block(&pyeval::compile_block("people = DAList('people')").unwrap(), &mut st, &Mini, &lim).unwrap();
//! let e = pyeval::compile_expr("'yes' if people else 'no'").unwrap();
//! match pyeval::eval_expr(&e, &mut st, &Mini, &lim) {
//!     Err(Flow::Needs(n)) => assert_eq!(n.missing.to_string(), "people.there_are_any"),
//!     other => panic!("{other:?}"),
//! }
//! let e = pyeval::compile_expr("people[0].name.first").unwrap();
//! match pyeval::eval_expr(&e, &mut st, &Mini, &lim) {
//!     Err(Flow::Needs(n)) => {
//!         assert_eq!(n.missing.to_string(), "people[0]");
//!         assert_eq!(n.wanted.to_string(), "people[0].name.first");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! # }
//! ```
//!
//! Conventions: instances without a path get one when assigned to a global or to an attribute
//! or item of a pathed object (`user = Individual()` → `user`). Bound methods are not values
//! (`f = s.upper` raises `TypeError`). Ints are 64-bit (overflow → `OverflowError`). Dict views
//! (`d.keys()`) are lists; generator expressions, `map`, `zip`, `enumerate` … are evaluated
//! eagerly into single-pass iterators. Sets iterate in insertion order. Closures capture
//! enclosing locals by value when created.

pub mod builtins;
pub mod class;
mod dates;
pub mod error;
mod eval;
pub mod facts;
pub mod format;
pub mod hash;
pub mod heap;
pub mod host;
pub mod ir;
pub mod limits;
#[cfg(feature = "parser")]
pub mod lower;
mod methods;
mod ops;
pub mod path;
pub mod value;

pub use error::{CompileError, Flow, LimitKind, NeedsVar, PyErr, PyResult};
pub use eval::{Interp, STAR, eval_expr, exec_block, type_name};
pub use facts::expr_reads;
pub use heap::{Dict, Heap, Instance, Obj, ObjKind, Set, State};
pub use host::{Args, Host, NoHost};
pub use ir::{BinOp, Block, CmpOp, Expr};
pub use limits::Limits;
pub use path::{Name, PatSeg, Path, PathPattern, Seg};
pub use value::{Delta, Key, ObjId, Value};

/// Compiles a code block (statements) with the default limits.
#[cfg(feature = "parser")]
pub fn compile_block(src: &str) -> Result<Block, CompileError> {
    compile_block_with(src, &Limits::default())
}

/// Compiles a code block with explicit limits (source length and nesting).
#[cfg(feature = "parser")]
pub fn compile_block_with(src: &str, limits: &Limits) -> Result<Block, CompileError> {
    Ok(facts::block_from(lower::lower_module(src, limits)?))
}

/// Compiles a single expression (`show if`, `${ }`, `if:`) with the default limits.
#[cfg(feature = "parser")]
pub fn compile_expr(src: &str) -> Result<Expr, CompileError> {
    lower::lower_expression(src, &Limits::default())
}

/// Compiles a single expression with explicit limits.
#[cfg(feature = "parser")]
pub fn compile_expr_with(src: &str, limits: &Limits) -> Result<Expr, CompileError> {
    lower::lower_expression(src, limits)
}

#[cfg(test)]
mod tests {
    fn send_sync<T: Send + Sync>() {}

    /// Compiled IR can be cached in an `Arc` shared by server threads, and a session's state can
    /// move between threads (or across `.await`s).
    #[test]
    fn ir_and_state_are_send_and_sync() {
        send_sync::<crate::Block>();
        send_sync::<crate::Expr>();
        send_sync::<crate::State>();
        send_sync::<crate::Value>();
        send_sync::<crate::Flow>();
    }
}
