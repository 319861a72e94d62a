//! The interview's own Python modules (`modules: [.cards]`, `docassemble.demo.accordion`):
//! package `.py` files, run once when the interview is compiled, whose functions and values
//! the interview's code uses (docassemble's `from module import *`).
//!
//! Each module keeps its namespace in a [`pyeval::State`] of its own. Its functions remember
//! the module ([`pyeval::Interp::load_module`]), so that when a request calls them their
//! globals are read from that namespace ([`DaHost`]'s `module_global`); heap values (lists,
//! dicts) are copied into the request's heap when read, so a request never changes a module.

use pyeval::Value;

/// One loaded module.
#[derive(Debug, Clone)]
pub struct PyModule {
    /// Its dotted name (`docassemble.demo.cards`).
    pub name: String,
    /// Its namespace: globals and the heap they point into.
    pub state: pyeval::State,
    /// `__all__`, when the module sets it to a list of names.
    pub all: Option<Vec<String>>,
}

impl PyModule {
    /// Whether `from module import *` binds `name`: listed in `__all__`, or (without one)
    /// public.
    pub fn exports(&self, name: &str) -> bool {
        match &self.all {
            Some(all) => all.iter().any(|n| n == name),
            None => !name.starts_with('_') && self.state.globals.contains_key(name),
        }
    }

    /// The global `name`.
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.state.globals.get(name)
    }

    /// Reads `__all__` from the namespace.
    pub fn read_all(&mut self) {
        let Some(Value::Ref(id)) = self.state.globals.get("__all__") else {
            return;
        };
        let items = match self.state.heap.get(*id).map(|o| &o.kind) {
            Some(pyeval::ObjKind::List(l)) => l.clone(),
            _ => return,
        };
        self.all = Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        );
    }
}

/// The modules of one interview, and which of them its `modules` blocks star-import.
#[derive(Debug, Clone, Default)]
pub struct PyModules {
    modules: Vec<PyModule>,
    /// Modules whose exports are the interview's globals, in `modules`-block order.
    star: Vec<String>,
    /// Modules that could not be loaded, with why.
    errors: Vec<(String, String)>,
}

impl PyModules {
    /// Adds a loaded module.
    pub fn push(&mut self, m: PyModule) {
        self.modules.retain(|x| x.name != m.name);
        self.modules.push(m);
    }

    /// Notes that `name`'s exports are globals (a `modules` block names it).
    pub fn star_import(&mut self, name: &str) {
        if !self.star.iter().any(|s| s == name) {
            self.star.push(name.to_string());
        }
    }

    /// Notes a module that failed to load.
    pub fn push_error(&mut self, name: &str, error: String) {
        self.errors.push((name.to_string(), error));
    }

    /// The modules that failed to load, with why.
    pub fn errors(&self) -> &[(String, String)] {
        &self.errors
    }

    /// The module `name`.
    pub fn get(&self, name: &str) -> Option<&PyModule> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// The user class `qualname` (`docassemble.demo.fishlist.FishList`), defined by the
    /// module it names.
    pub fn class(&self, qualname: &str) -> Option<std::sync::Arc<pyeval::class::UserClass>> {
        let (module, _) = qualname.rsplit_once('.')?;
        self.get(module)?.state.classes.get(qualname).cloned()
    }

    /// Member `name` of user class `qualname` as a value (a method as its function), with the
    /// module whose heap it lives on.
    pub fn class_member(&self, qualname: &str, name: &str) -> Option<(&PyModule, Value)> {
        use pyeval::class::Member;
        let (module, _) = qualname.rsplit_once('.')?;
        let m = self.get(module)?;
        let class = m.state.classes.get(qualname)?;
        let v = match pyeval::hash::get_small(&class.members, name)? {
            Member::Attr(v) | Member::Static(v) => v.clone(),
            Member::Method(f) | Member::Property(f) | Member::ClassMethod(f) => {
                Value::Func(f.clone())
            }
        };
        Some((m, v))
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// The star-imported module that exports `name` (the last one named wins, as repeated
    /// `from m import *` do), and its value.
    pub fn export(&self, name: &str) -> Option<(&PyModule, &Value)> {
        self.star.iter().rev().find_map(|s| {
            let m = self.get(s)?;
            if !m.exports(name) {
                return None;
            }
            m.global(name).map(|v| (m, v))
        })
    }
}

/// The dotted name of a module an interview file in `package` names as `written`
/// (`.cards` → `docassemble.demo.cards`); `None` for names that are not package modules of
/// docassemble packages (`json`, `docassemble.base.util`: the runtime's own).
pub fn resolve_module_name(written: &str, package: Option<&str>) -> Option<String> {
    let written = written.trim();
    let full = match written.strip_prefix('.') {
        Some(rest) => format!("{}.{rest}", package?),
        None => written.to_string(),
    };
    let ok = full.starts_with("docassemble.")
        && !full.starts_with("docassemble.base.")
        && full != "docassemble.base"
        && !full.starts_with("docassemble.webapp")
        && full
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
    ok.then_some(full)
}

/// Where module `name` lives: its package and its path in it
/// (`docassemble.demo.cards` → `docassemble.demo`, `cards.py`).
pub fn module_file(name: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() < 2 {
        return None;
    }
    let package = parts[..2].join(".");
    let path = if parts.len() == 2 {
        "__init__.py".to_string()
    } else {
        format!("{}.py", parts[2..].join("/"))
    };
    Some((package, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_resolve_relative_to_the_package() {
        assert_eq!(
            resolve_module_name(".cards", Some("docassemble.demo")).as_deref(),
            Some("docassemble.demo.cards")
        );
        assert_eq!(
            resolve_module_name("docassemble.demo.accordion", None).as_deref(),
            Some("docassemble.demo.accordion")
        );
        assert_eq!(resolve_module_name("json", None), None);
        assert_eq!(resolve_module_name("docassemble.base.util", None), None);
        assert_eq!(resolve_module_name(".cards", None), None);
        assert_eq!(resolve_module_name("docassemble.demo.a-b", None), None);
        assert_eq!(
            module_file("docassemble.demo.cards"),
            Some(("docassemble.demo".into(), "cards.py".into()))
        );
        assert_eq!(
            module_file("docassemble.demo"),
            Some(("docassemble.demo".into(), "__init__.py".into()))
        );
        assert_eq!(
            module_file("docassemble.al.sub.m"),
            Some(("docassemble.al".into(), "sub/m.py".into()))
        );
    }
}
