//! User classes: what a `class` statement makes (the classes of an interview's Python modules,
//! such as `class FishList(DAList)`).
//!
//! A user class is known by its qualified name (`docassemble.demo.fishlist.FishList`); its
//! value is a [`Value::Class`] of that name, like a host class's. Classes live in the
//! [`crate::State`] of the code that defined them (a module's state), and the host finds those
//! of other states ([`crate::Host::user_class`]), so an instance stored in a session keeps only
//! its class's name.
//!
//! An instance of a user class is a host instance whose [`crate::Instance::class`] is the
//! nearest host class of its method resolution order (`DAList` for a `FishList`, `object` when
//! there is none) and whose [`crate::Instance::user_class`] names the user class: the host's
//! hooks keep seeing a class they know, and the user class's members are looked up first.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{PyResult, type_err};
use crate::hash::NameMap;
use crate::path::Name;
use crate::value::{Func, Value};

/// The class name of instances of a user class that derives from no host class.
pub const OBJECT: &str = "object";

/// One member of a class body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Member {
    /// A `def`: called with the instance first.
    Method(Arc<Func>),
    /// `@property`: its getter runs when the attribute is read.
    Property(Arc<Func>),
    /// `@staticmethod`: called as it is.
    Static(Value),
    /// `@classmethod`: called with the class first.
    ClassMethod(Arc<Func>),
    /// A class attribute (`name = value`).
    Attr(Value),
}

/// A class made by a `class` statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserClass {
    /// The name in the `class` statement.
    pub name: Name,
    /// The qualified name (`module.Name`): the class's identity.
    pub qualname: Name,
    /// The user classes of the method resolution order after the class itself (by qualified
    /// name), C3-linearised as Python does.
    pub mro: Vec<Name>,
    /// The host classes of the resolution order, in order: the first is the class of the
    /// instances ([`crate::Instance::class`]).
    pub hosts: Vec<Name>,
    /// The body's members, in definition order.
    pub members: NameMap<Member>,
}

impl UserClass {
    /// Whether `class` is this class or one of its ancestors.
    pub fn is_a(&self, class: &str) -> bool {
        &*self.qualname == class || self.mro.iter().any(|c| &**c == class)
    }
    /// The first host class (the class name of its instances), if any.
    pub fn host_base(&self) -> Option<&Name> {
        self.hosts.first()
    }
}

/// One base of a class being defined: a user class (with its resolution order) or a host class.
pub(crate) enum Base {
    User(Arc<UserClass>),
    Host(Name),
}

impl Base {
    fn name(&self) -> &Name {
        match self {
            Base::User(c) => &c.qualname,
            Base::Host(n) => n,
        }
    }
    /// The base followed by its resolution order.
    fn linearisation(&self) -> Vec<Name> {
        match self {
            Base::User(c) => std::iter::once(c.qualname.clone())
                .chain(c.mro.iter().cloned())
                .chain(c.hosts.iter().cloned())
                .collect(),
            Base::Host(n) => vec![n.clone()],
        }
    }
}

/// The resolution order after a class with `bases` (C3: each base's order, merged so that a
/// class comes before its bases and bases keep their order). `TypeError` if none exists.
pub(crate) fn linearise(bases: &[Base]) -> PyResult<Vec<Name>> {
    let mut seqs: Vec<Vec<Name>> = bases.iter().map(Base::linearisation).collect();
    seqs.push(bases.iter().map(|b| b.name().clone()).collect());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let head = seqs.iter().find_map(|s| {
            let h = &s[0];
            (!seqs.iter().any(|t| t[1..].contains(h))).then(|| h.clone())
        });
        let Some(head) = head else {
            return Err(type_err(
                "Cannot create a consistent method resolution order (MRO) for bases",
            ));
        };
        for s in &mut seqs {
            if s[0] == head {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

/// Splits a resolution order into its user classes and its host classes (each in order).
pub(crate) fn split_mro(mro: Vec<Name>, bases: &[Base]) -> (Vec<Name>, Vec<Name>) {
    let is_user = |n: &Name| {
        bases.iter().any(|b| match b {
            Base::User(c) => &c.qualname == n || c.mro.contains(n),
            Base::Host(_) => false,
        })
    };
    mro.into_iter().partition(is_user)
}

/// The short name of a qualified class name (`a.b.Fish` → `Fish`).
pub fn short_name(qualname: &str) -> &str {
    qualname.rsplit('.').next().unwrap_or(qualname)
}
