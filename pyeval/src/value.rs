//! Runtime values. Small and `Clone`; containers and instances live in the [`crate::Heap`] and are
//! referenced by [`ObjId`], so aliasing survives serialisation.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{PyErr, PyResult, type_err};

use crate::ir::FuncDef;
use crate::path::Name;

/// Index of an object in the heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjId(pub u32);

/// A `datetime.timedelta`, stored as microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Delta(pub i64);

impl Delta {
    /// Microseconds per day.
    pub const DAY: i64 = 86_400_000_000;
    /// Whole days (floored, as Python's `.days`).
    pub fn days(self) -> i64 {
        self.0.div_euclid(Self::DAY)
    }
    /// Seconds within the day (`.seconds`).
    pub fn seconds(self) -> i64 {
        self.0.rem_euclid(Self::DAY) / 1_000_000
    }
    /// Microseconds within the second (`.microseconds`).
    pub fn micros(self) -> i64 {
        self.0.rem_euclid(1_000_000)
    }
}

/// Maximum nesting of inline values (tuples inside tuples, functions capturing functions).
/// Keeps drop, repr, hashing and serde recursion shallow (and a serialised state within
/// serde_json's default nesting limit of 128).
pub const MAX_VALUE_DEPTH: u16 = 25;

/// The inline nesting depth of a value (heap references count as 0).
pub fn value_depth(v: &Value) -> u16 {
    match v {
        Value::Tuple(t) => t.depth,
        Value::Func(f) => f.depth,
        _ => 0,
    }
}

fn depth_of<'a>(items: impl Iterator<Item = &'a Value>) -> PyResult<u16> {
    let d = items.map(value_depth).max().unwrap_or(0).saturating_add(1);
    if d > MAX_VALUE_DEPTH {
        return Err(crate::error::Flow::Limit(crate::error::LimitKind::Depth));
    }
    Ok(d)
}

/// An immutable tuple. Derefs to `[Value]`; remembers its nesting depth.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuple {
    items: Arc<[Value]>,
    depth: u16,
}

impl Tuple {
    /// A tuple of `items`; `Limit(Depth)` if nested deeper than [`MAX_VALUE_DEPTH`].
    pub fn new(items: Vec<Value>) -> PyResult<Tuple> {
        let depth = depth_of(items.iter())?;
        Ok(Tuple {
            items: Arc::from(items),
            depth,
        })
    }
    /// Whether both are the same tuple object.
    pub fn ptr_eq(a: &Tuple, b: &Tuple) -> bool {
        Arc::ptr_eq(&a.items, &b.items)
    }
}

impl std::ops::Deref for Tuple {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        &self.items
    }
}

impl Serialize for Tuple {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter())
    }
}

impl<'de> Deserialize<'de> for Tuple {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<Value> = Vec::deserialize(d)?;
        Tuple::new(items).map_err(|_| serde::de::Error::custom("tuple nested too deeply"))
    }
}

/// A user function (`def` or `lambda`) with its evaluated defaults and captured enclosing locals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Func {
    /// The definition.
    pub def: Arc<FuncDef>,
    /// Default values, one per parameter that has a default, in parameter order.
    pub defaults: Vec<Value>,
    /// Enclosing function/comprehension locals visible when it was created (captured by value).
    pub captured: Vec<(Name, Value)>,
    /// Inline nesting depth (see [`MAX_VALUE_DEPTH`]).
    #[serde(default)]
    pub depth: u16,
    /// The Python module the function was defined in (a package module of the interview's
    /// `modules` blocks): its body resolves globals in that module's namespace
    /// ([`crate::Host::module_global`]), not in the interview's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<Name>,
    /// The user class whose body defined it (a method), by qualified name: `super()` looks
    /// after it in the resolution order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Name>,
    /// docassemble's `@prevent_dependency_satisfaction`: an undefined variable in the body is
    /// an error (`DAError`), not a request to ask for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_dependency_satisfaction: bool,
}

impl Func {
    /// A function value; `Limit(Depth)` if its defaults/captures nest too deeply.
    pub fn new(
        def: Arc<FuncDef>,
        defaults: Vec<Value>,
        captured: Vec<(Name, Value)>,
    ) -> PyResult<Func> {
        let depth = depth_of(defaults.iter().chain(captured.iter().map(|(_, v)| v)))?;
        Ok(Func {
            def,
            defaults,
            captured,
            depth,
            module: None,
            owner: None,
            no_dependency_satisfaction: false,
        })
    }
}

/// A Python value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// `None`
    None,
    /// `True`/`False`
    Bool(bool),
    /// A 64-bit int (overflow raises `OverflowError`).
    Int(i64),
    /// A float.
    Float(#[serde(with = "f64_serde")] f64),
    /// A string.
    Str(Arc<str>),
    /// An immutable tuple.
    Tuple(Tuple),
    /// A lazy `range(start, stop, step)`.
    Range(i64, i64, i64),
    /// A heap object: list, dict, set, iterator or instance.
    Ref(ObjId),
    /// `datetime.date`
    Date(NaiveDate),
    /// `datetime.datetime` (naive)
    DateTime(NaiveDateTime),
    /// `datetime.timedelta`
    Delta(Delta),
    /// `decimal.Decimal`
    Decimal(Decimal),
    /// A pyeval builtin function or type (`len`, `int`, `ValueError`, `date` …).
    Builtin(Name),
    /// A function the host provides (`comma_and_list`).
    HostFn(Name),
    /// A host class (`DAList`, `Individual`).
    Class(Name),
    /// A user function.
    Func(Arc<Func>),
    /// An exception instance.
    Exc(Arc<PyErr>),
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }
    /// A tuple value (`Limit(Depth)` if nested too deeply).
    pub fn tuple(items: Vec<Value>) -> PyResult<Value> {
        Ok(Value::Tuple(Tuple::new(items)?))
    }
    /// Whether this holds a heap reference (itself, in a tuple, or in a function's
    /// defaults): a value that must be copied to move it to another heap.
    pub fn holds_heap(&self) -> bool {
        match self {
            Value::Ref(_) => true,
            Value::Tuple(t) => t.iter().any(Value::holds_heap),
            Value::Func(f) => f.defaults.iter().any(Value::holds_heap),
            _ => false,
        }
    }
    /// Whether this is `None`.
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }
    /// The heap id, if a reference.
    pub fn as_ref_id(&self) -> Option<ObjId> {
        match self {
            Value::Ref(id) => Some(*id),
            _ => None,
        }
    }
    /// The string contents, if a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The integer, if an int or bool.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }
}

/// A hashable key for dicts and sets, normalised so that `1`, `1.0`, `True` and `Decimal(1)` are
/// one key, as in Python.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// `None`
    None,
    /// An integer-valued number (int, bool, integral float or decimal).
    Int(i64),
    /// A non-integral float, by bits.
    Float(u64),
    /// A non-integral decimal (normalised).
    Decimal(Decimal),
    /// A string.
    Str(Arc<str>),
    /// A tuple of keys.
    Tuple(Vec<Key>),
    /// A range.
    Range(i64, i64, i64),
    /// A date.
    Date(NaiveDate),
    /// A datetime.
    DateTime(NaiveDateTime),
    /// A timedelta.
    Delta(Delta),
    /// Identity of a hashable heap object (an instance).
    Obj(ObjId),
    /// A builtin, host function or class, by name.
    Named(u8, Name),
    /// Identity of an inline reference value (a function or exception object).
    Ptr(usize),
}

impl Key {
    /// The key for `v`, or `TypeError: unhashable type` for lists/dicts/sets.
    pub fn from_value(v: &Value, heap: &crate::Heap) -> PyResult<Key> {
        Ok(match v {
            Value::None => Key::None,
            Value::Bool(b) => Key::Int(i64::from(*b)),
            Value::Int(i) => Key::Int(*i),
            Value::Float(f) => float_key(*f),
            Value::Decimal(d) => {
                let n = d.normalize();
                if n.scale() == 0 {
                    match i64::try_from(n) {
                        Ok(i) => Key::Int(i),
                        Err(_) => Key::Decimal(n),
                    }
                } else {
                    Key::Decimal(n)
                }
            }
            Value::Str(s) => Key::Str(s.clone()),
            Value::Tuple(t) => Key::Tuple(
                t.iter()
                    .map(|x| Key::from_value(x, heap))
                    .collect::<PyResult<_>>()?,
            ),
            Value::Range(a, b, c) => Key::Range(*a, *b, *c),
            Value::Date(d) => Key::Date(*d),
            Value::DateTime(d) => Key::DateTime(*d),
            Value::Delta(d) => Key::Delta(*d),
            Value::Builtin(n) => Key::Named(0, n.clone()),
            Value::HostFn(n) => Key::Named(1, n.clone()),
            Value::Class(n) => Key::Named(2, n.clone()),
            // functions and exceptions hash by identity
            Value::Func(f) => Key::Ptr(Arc::as_ptr(f) as *const u8 as usize),
            Value::Exc(e) => Key::Ptr(Arc::as_ptr(e) as *const u8 as usize),
            Value::Ref(id) => match heap.get(*id).map(|o| &o.kind) {
                Some(crate::heap::ObjKind::Instance(_)) | Some(crate::heap::ObjKind::Iter(_)) => {
                    Key::Obj(*id)
                }
                Some(k) => return Err(type_err(format!("unhashable type: '{}'", k.type_name()))),
                None => Key::Obj(*id),
            },
        })
    }
}

fn float_key(f: f64) -> Key {
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        // Integral floats hash like the int (1.0 == 1); -0.0 == 0.
        #[allow(clippy::cast_possible_truncation)]
        Key::Int(f as i64)
    } else {
        Key::Float(f.to_bits())
    }
}

/// Serde for `f64` that survives JSON: human-readable formats get Python's repr as a string
/// (`"0.1"`, `"inf"`, `"nan"`), binary formats the plain float.
pub mod f64_serde {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialises `v`.
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&crate::format::float_repr(*v))
        } else {
            s.serialize_f64(*v)
        }
    }
    /// Deserialises a float written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            crate::format::parse_float(&s)
                .ok_or_else(|| D::Error::custom(format!("bad float {s:?}")))
        } else {
            f64::deserialize(d)
        }
    }
}
