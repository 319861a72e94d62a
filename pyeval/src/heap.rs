//! The object arena ([`Heap`]) and the whole serialisable interpreter [`State`].

use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::path::{Name, Path};
use crate::value::{Key, ObjId, Value};

/// An instance of a host class: class name plus ordered attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Class name (`Individual`, `DAList` …); inheritance comes from [`crate::Host::class_parent`].
    pub class: Name,
    /// Attributes in insertion order.
    pub attrs: crate::hash::NameMap<Value>,
    /// The user class (a `class` statement's, by qualified name) the instance is of, when
    /// `class` is only its nearest host class (see [`crate::class`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_class: Option<Name>,
}

/// An insertion-ordered dict. Keys are normalised ([`Key`]) but the original key value is kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict {
    map: IndexMap<Key, (Value, Value)>,
}

impl Dict {
    /// An empty dict.
    pub fn new() -> Self {
        Dict::default()
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        self.map.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// The value for `key`.
    pub fn get(&self, key: &Key) -> Option<&Value> {
        self.map.get(key).map(|(_, v)| v)
    }
    /// Inserts or replaces (keeping the first key object and position, as Python does).
    pub fn insert(&mut self, key: Key, k: Value, v: Value) {
        match self.map.get_mut(&key) {
            Some(slot) => slot.1 = v,
            None => {
                self.map.insert(key, (k, v));
            }
        }
    }
    /// Removes `key`, preserving the order of the others.
    pub fn remove(&mut self, key: &Key) -> Option<(Value, Value)> {
        self.map.shift_remove(key)
    }
    /// Whether `key` is present.
    pub fn contains(&self, key: &Key) -> bool {
        self.map.contains_key(key)
    }
    /// `(key, value)` pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.map.values().map(|(k, v)| (k, v))
    }
    /// Removes and returns the last item.
    pub fn pop_last(&mut self) -> Option<(Value, Value)> {
        self.map.pop().map(|(_, kv)| kv)
    }
    /// Removes everything.
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

impl Serialize for Dict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.map.values())
    }
}

impl<'de> Deserialize<'de> for Dict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<(Value, Value)> = Vec::deserialize(d)?;
        let mut dict = Dict::new();
        for (k, v) in items {
            let key = Key::from_value(&k, &Heap::default())
                .map_err(|_| serde::de::Error::custom("unhashable dict key"))?;
            dict.insert(key, k, v);
        }
        Ok(dict)
    }
}

/// An insertion-ordered set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Set {
    map: IndexMap<Key, Value>,
}

impl Set {
    /// An empty set.
    pub fn new() -> Self {
        Set::default()
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        self.map.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Adds `v` (no-op if present).
    pub fn insert(&mut self, key: Key, v: Value) {
        self.map.entry(key).or_insert(v);
    }
    /// Whether present.
    pub fn contains(&self, key: &Key) -> bool {
        self.map.contains_key(key)
    }
    /// Removes `key`.
    pub fn remove(&mut self, key: &Key) -> Option<Value> {
        self.map.shift_remove(key)
    }
    /// Items in order.
    pub fn iter(&self) -> impl Iterator<Item = &Value> {
        self.map.values()
    }
    /// `(key, value)` in order.
    pub fn entries(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.map.iter()
    }
    /// Removes and returns the first item.
    pub fn pop_first(&mut self) -> Option<Value> {
        self.map.shift_remove_index(0).map(|(_, v)| v)
    }
    /// Removes everything.
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

impl Serialize for Set {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.map.values())
    }
}

impl<'de> Deserialize<'de> for Set {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<Value> = Vec::deserialize(d)?;
        let mut set = Set::new();
        for v in items {
            let key = Key::from_value(&v, &Heap::default())
                .map_err(|_| serde::de::Error::custom("unhashable set item"))?;
            set.insert(key, v);
        }
        Ok(set)
    }
}

/// A single-pass iterator (generator expressions, `map`, `zip`, `iter()` …), materialised eagerly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IterObj {
    /// The items.
    pub items: Vec<Value>,
    /// Next position.
    pub pos: usize,
}

/// What an object is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ObjKind {
    /// `list`
    List(Vec<Value>),
    /// `dict`
    Dict(Dict),
    /// `set`
    Set(Set),
    /// An iterator.
    Iter(IterObj),
    /// An instance of a host class.
    Instance(Instance),
}

impl ObjKind {
    /// Python type name (the class name for instances).
    pub fn type_name(&self) -> &str {
        match self {
            ObjKind::List(_) => "list",
            ObjKind::Dict(_) => "dict",
            ObjKind::Set(_) => "set",
            ObjKind::Iter(_) => "iterator",
            ObjKind::Instance(i) => match &i.user_class {
                Some(u) => crate::class::short_name(u),
                None => &i.class,
            },
        }
    }
}

/// A heap object: its docassemble path (instanceName), if any, and its contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obj {
    /// The object's variable path. Pathed instances raise Needs for missing attributes; pathed
    /// lists/dicts raise Needs for missing indices/keys.
    pub path: Option<Path>,
    /// Contents.
    pub kind: ObjKind,
}

/// The object arena. Ids are stable; [`State::collect_garbage`] frees unreachable slots.
///
/// Objects are shared copy-on-write between clones of a heap, so a snapshot (the engine takes
/// one per request, to roll back on error) costs one pointer per object, and an object is
/// copied only when it is first changed while a snapshot is alive.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Heap {
    objs: Vec<Option<Arc<Obj>>>,
    free: Vec<u32>,
}

impl Heap {
    /// Stores `obj`, returning its id.
    pub fn alloc(&mut self, obj: Obj) -> ObjId {
        if let Some(i) = self.free.pop()
            && let Some(slot) = self.objs.get_mut(i as usize)
        {
            *slot = Some(Arc::new(obj));
            return ObjId(i);
        }
        let i = u32::try_from(self.objs.len()).unwrap_or(u32::MAX);
        self.objs.push(Some(Arc::new(obj)));
        ObjId(i)
    }
    /// Allocates a list.
    pub fn new_list(&mut self, items: Vec<Value>) -> Value {
        Value::Ref(self.alloc(Obj {
            path: None,
            kind: ObjKind::List(items),
        }))
    }
    /// Allocates a dict.
    pub fn new_dict(&mut self, d: Dict) -> Value {
        Value::Ref(self.alloc(Obj {
            path: None,
            kind: ObjKind::Dict(d),
        }))
    }
    /// Allocates an instance of `class` with an optional path.
    pub fn new_instance(&mut self, class: &str, path: Option<Path>) -> ObjId {
        self.alloc(Obj {
            path,
            kind: ObjKind::Instance(Instance {
                class: Name::from(class),
                attrs: crate::hash::NameMap::default(),
                user_class: None,
            }),
        })
    }
    /// The object `id`.
    pub fn get(&self, id: ObjId) -> Option<&Obj> {
        self.objs.get(id.0 as usize).and_then(|o| o.as_deref())
    }
    /// The object `id`, mutably (copied first if a clone of the heap shares it).
    pub fn get_mut(&mut self, id: ObjId) -> Option<&mut Obj> {
        self.objs
            .get_mut(id.0 as usize)
            .and_then(|o| o.as_mut())
            .map(Arc::make_mut)
    }
    /// The instance `id`, if it is one.
    pub fn instance(&self, id: ObjId) -> Option<&Instance> {
        match self.get(id).map(|o| &o.kind) {
            Some(ObjKind::Instance(i)) => Some(i),
            _ => None,
        }
    }
    /// The instance `id`, mutably.
    pub fn instance_mut(&mut self, id: ObjId) -> Option<&mut Instance> {
        match self.get_mut(id).map(|o| &mut o.kind) {
            Some(ObjKind::Instance(i)) => Some(i),
            _ => None,
        }
    }
    /// An attribute of instance `id`.
    pub fn attr(&self, id: ObjId, name: &str) -> Option<&Value> {
        self.instance(id)
            .and_then(|i| crate::hash::get_small(&i.attrs, name))
    }
    /// Sets an attribute on instance `id` (no-op for non-instances).
    pub fn set_attr(&mut self, id: ObjId, name: &str, v: Value) {
        if let Some(i) = self.instance_mut(id) {
            i.attrs.insert(Name::from(name), v);
        }
    }
    /// The list items of `id`, if it is a list.
    pub fn list(&self, id: ObjId) -> Option<&Vec<Value>> {
        match self.get(id).map(|o| &o.kind) {
            Some(ObjKind::List(l)) => Some(l),
            _ => None,
        }
    }
    /// The list items of `id`, mutably.
    pub fn list_mut(&mut self, id: ObjId) -> Option<&mut Vec<Value>> {
        match self.get_mut(id).map(|o| &mut o.kind) {
            Some(ObjKind::List(l)) => Some(l),
            _ => None,
        }
    }
    /// The path of `id`.
    pub fn path(&self, id: ObjId) -> Option<&Path> {
        self.get(id).and_then(|o| o.path.as_ref())
    }
    /// Sets the path of `id`.
    pub fn set_path(&mut self, id: ObjId, path: Option<Path>) {
        if let Some(o) = self.get_mut(id) {
            o.path = path;
        }
    }
    /// Number of live objects.
    pub fn live(&self) -> usize {
        self.objs.iter().filter(|o| o.is_some()).count()
    }

    /// A copy of `v`, whose objects live in heap `src`, with its objects copied into this heap
    /// (shared and cyclic references stay shared; copies have no path). Used to hand a
    /// package module's globals, kept in a heap of their own, to a request's code.
    pub fn import_value(&mut self, src: &Heap, v: &Value) -> Value {
        let mut copied = std::collections::HashMap::new();
        self.import_with(src, v, &mut copied)
    }

    fn import_with(
        &mut self,
        src: &Heap,
        v: &Value,
        copied: &mut std::collections::HashMap<u32, ObjId>,
    ) -> Value {
        match v {
            Value::Ref(id) => {
                if let Some(&new) = copied.get(&id.0) {
                    return Value::Ref(new);
                }
                let Some(obj) = src.get(*id) else {
                    return Value::None;
                };
                // reserve the slot first so that cycles find it
                let new = self.alloc(Obj {
                    path: None,
                    kind: ObjKind::List(Vec::new()),
                });
                copied.insert(id.0, new);
                let kind = match &obj.kind {
                    ObjKind::List(l) => {
                        ObjKind::List(l.iter().map(|x| self.import_with(src, x, copied)).collect())
                    }
                    ObjKind::Iter(it) => ObjKind::Iter(IterObj {
                        items: it
                            .items
                            .iter()
                            .map(|x| self.import_with(src, x, copied))
                            .collect(),
                        pos: it.pos,
                    }),
                    ObjKind::Dict(d) => {
                        let mut out = Dict::new();
                        for (key, (k, x)) in &d.map {
                            let k = self.import_with(src, k, copied);
                            let x = self.import_with(src, x, copied);
                            let key = match &k {
                                Value::Ref(_) => Key::from_value(&k, self).unwrap_or(key.clone()),
                                _ => key.clone(),
                            };
                            out.map.insert(key, (k, x));
                        }
                        ObjKind::Dict(out)
                    }
                    ObjKind::Set(set) => {
                        let mut out = Set::new();
                        for (key, x) in set.entries() {
                            let x = self.import_with(src, x, copied);
                            let key = match &x {
                                Value::Ref(_) => Key::from_value(&x, self).unwrap_or(key.clone()),
                                _ => key.clone(),
                            };
                            out.insert(key, x);
                        }
                        ObjKind::Set(out)
                    }
                    ObjKind::Instance(inst) => {
                        let mut attrs = inst.attrs.clone();
                        for x in attrs.values_mut() {
                            *x = self.import_with(src, x, copied);
                        }
                        ObjKind::Instance(Instance {
                            class: inst.class.clone(),
                            attrs,
                            user_class: inst.user_class.clone(),
                        })
                    }
                };
                if let Some(o) = self.get_mut(new) {
                    o.kind = kind;
                }
                Value::Ref(new)
            }
            Value::Tuple(t) => {
                let items: Vec<Value> =
                    t.iter().map(|x| self.import_with(src, x, copied)).collect();
                Value::tuple(items).unwrap_or(Value::None)
            }
            Value::Func(f) if f.defaults.iter().any(Value::holds_heap) => {
                let mut g = (**f).clone();
                for d in &mut g.defaults {
                    *d = self.import_with(src, d, copied);
                }
                Value::Func(Arc::new(g))
            }
            other => other.clone(),
        }
    }

    fn mark_value(&self, v: &Value, marks: &mut [bool], stack: &mut Vec<u32>) {
        match v {
            Value::Ref(id) => {
                if let Some(m) = marks.get_mut(id.0 as usize)
                    && !*m
                {
                    *m = true;
                    stack.push(id.0);
                }
            }
            Value::Tuple(t) => t.iter().for_each(|x| self.mark_value(x, marks, stack)),
            Value::Func(f) => {
                f.defaults
                    .iter()
                    .for_each(|x| self.mark_value(x, marks, stack));
                f.captured
                    .iter()
                    .for_each(|(_, x)| self.mark_value(x, marks, stack));
            }
            _ => {}
        }
    }

    /// Frees every object not reachable from `roots`.
    pub fn collect<'a>(&mut self, roots: impl Iterator<Item = &'a Value>) {
        let mut marks = vec![false; self.objs.len()];
        let mut stack = Vec::new();
        for r in roots {
            self.mark_value(r, &mut marks, &mut stack);
        }
        while let Some(i) = stack.pop() {
            let Some(Some(obj)) = self.objs.get(i as usize) else {
                continue;
            };
            match &obj.kind {
                ObjKind::List(l) => l
                    .iter()
                    .for_each(|x| self.mark_value(x, &mut marks, &mut stack)),
                ObjKind::Iter(it) => it
                    .items
                    .iter()
                    .for_each(|x| self.mark_value(x, &mut marks, &mut stack)),
                ObjKind::Dict(d) => d.iter().for_each(|(k, v)| {
                    self.mark_value(k, &mut marks, &mut stack);
                    self.mark_value(v, &mut marks, &mut stack);
                }),
                ObjKind::Set(s) => s
                    .iter()
                    .for_each(|x| self.mark_value(x, &mut marks, &mut stack)),
                ObjKind::Instance(inst) => inst
                    .attrs
                    .values()
                    .for_each(|x| self.mark_value(x, &mut marks, &mut stack)),
            }
        }
        for (i, m) in marks.iter().enumerate() {
            if !*m
                && let Some(slot) = self.objs.get_mut(i)
                && slot.take().is_some()
            {
                self.free.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
    }
}

/// The whole interpreter state: globals plus heap. Serialise it to persist an interview session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct State {
    /// Global variables in definition order.
    pub globals: crate::hash::NameMap<Value>,
    /// The object arena.
    pub heap: Heap,
    /// The user classes its code defined, by qualified name (see [`crate::class`]).
    #[serde(default, skip_serializing_if = "crate::hash::NameMap::is_empty")]
    pub classes: crate::hash::NameMap<Arc<crate::class::UserClass>>,
}

impl State {
    /// An empty state.
    pub fn new() -> Self {
        State::default()
    }
    /// A global.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.globals.get(name)
    }
    /// Sets a global.
    pub fn set(&mut self, name: &str, v: Value) {
        self.globals.insert(Name::from(name), v);
    }
    /// Removes a global.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.globals.shift_remove(name)
    }
    /// Frees heap objects unreachable from the globals (call before saving).
    pub fn collect_garbage(&mut self) {
        let State { globals, heap, .. } = self;
        heap.collect(globals.values());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_is_a_snapshot() {
        let mut heap = Heap::default();
        let list = heap.new_list(vec![Value::Int(1)]);
        let id = list.as_ref_id().unwrap();
        let inst = heap.new_instance("Thing", None);
        heap.set_attr(inst, "a", Value::Int(1));
        let snapshot = heap.clone();
        heap.list_mut(id).unwrap().push(Value::Int(2));
        heap.set_attr(inst, "a", Value::Int(2));
        assert_eq!(snapshot.list(id).unwrap(), &vec![Value::Int(1)]);
        assert_eq!(snapshot.attr(inst, "a"), Some(&Value::Int(1)));
        assert_eq!(heap.list(id).unwrap(), &vec![Value::Int(1), Value::Int(2)]);
        assert_eq!(heap.attr(inst, "a"), Some(&Value::Int(2)));
        assert_ne!(heap, snapshot);
    }
}
