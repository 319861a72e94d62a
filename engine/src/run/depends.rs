//! Invalidation: `depends on`, `on change`, `reconsider: True` and `reset` blocks
//! (docassemble's `invalidation`, `onchange`, `reconsider` and `reset`).
//!
//! * A block with `depends on: [a]` registers every variable it defines as depending on `a`.
//!   When an answer (or a code block) changes the value of `a`, those variables are deleted —
//!   and, recursively, whatever depends on them — so they are sought again. The deleted value
//!   is remembered ("dirty") and offered as the default when the variable is asked again.
//! * An `on change` block's code runs whenever a listed variable is set (also the first time)
//!   or changes; errors in it are ignored, as docassemble only logs them.
//! * `reconsider: True` on a code block and a `reset` block delete their variables at the
//!   start of every request.
//!
//! Listened names may use `i`, `j`, … and generic `x`: they are matched against the variants
//! of the variable set (spec §3.4), and the targets are made concrete the same way.

use std::collections::{HashMap, HashSet};

use pyeval::Value;

use super::compile::{CompiledBlock, normalise};
use super::error::RunError;
use super::eval::Ctx;
use super::values::to_json;
use super::variants::{INDEX_VARS, Variant, substitute, variants};
use crate::block::{BlockKind, Python, Reconsider};
use crate::interview::Interview;

/// The invalidation rules of an interview, collected once when it is compiled.
#[derive(Debug, Default)]
pub struct Dependencies {
    /// Listened variable → the variables deleted when it changes.
    invalidation: HashMap<String, Vec<String>>,
    /// Listened variable → the `on change` code run when it is set or changes.
    onchange: HashMap<String, Vec<Python>>,
    /// Variables of `reconsider: True` code blocks and `reset` blocks.
    reconsider: Vec<String>,
    /// Class → variables (written with `x`) of generic `reconsider: True` code blocks.
    reconsider_generic: HashMap<String, Vec<String>>,
}

impl Dependencies {
    /// Collects the rules of `iv`'s blocks; `blocks` is its question list. On-change code that
    /// does not compile is reported.
    pub fn build(iv: &Interview, blocks: &[CompiledBlock]) -> Result<Self, Vec<RunError>> {
        let mut deps = Dependencies::default();
        let mut errors = Vec::new();
        for cb in blocks {
            let block = &iv.blocks[cb.source];
            for dep in &block.modifiers.depends_on {
                let targets = deps.invalidation.entry(normalise(&dep.name)).or_default();
                for target in &cb.defines {
                    if !targets.contains(target) {
                        targets.push(target.clone());
                    }
                }
            }
            if block.modifiers.reconsider == Reconsider::All && block.is_code() {
                match &block.modifiers.generic_object {
                    Some(class) => deps
                        .reconsider_generic
                        .entry(class.clone())
                        .or_default()
                        .extend(cb.defines.iter().cloned()),
                    None => deps.reconsider.extend(cb.defines.iter().cloned()),
                }
            }
        }
        for block in &iv.blocks {
            match &block.kind {
                BlockKind::OnChange(items) => {
                    for (var, code) in items {
                        if let Err(e) = super::compile::py_block(&code.source) {
                            errors.push(RunError::compile(
                                &block.file.to_string(),
                                code.line + e.line,
                                &e,
                            ));
                            continue;
                        }
                        deps.onchange
                            .entry(normalise(&var.name))
                            .or_default()
                            .push(code.clone());
                    }
                }
                BlockKind::Reset(vars) => {
                    deps.reconsider.extend(vars.iter().map(|v| normalise(v)));
                }
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(deps)
        } else {
            Err(errors)
        }
    }

    /// True when nothing listens for changes (the common case: no bookkeeping needed).
    pub fn is_empty(&self) -> bool {
        self.invalidation.is_empty() && self.onchange.is_empty()
    }

    /// The variants of the concrete variable `var` that something listens for, in
    /// docassemble's order, each once.
    fn listeners(&self, var: &str) -> Vec<Variant> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        variants(&normalise(var))
            .into_iter()
            .filter(|v| {
                (self.invalidation.contains_key(&v.name) || self.onchange.contains_key(&v.name))
                    && seen.insert(v.name.clone())
            })
            .collect()
    }
}

/// The values variables had before an answer or a code block set them.
pub type OldValues = HashMap<String, Value>;

impl Ctx<'_> {
    /// `reconsider: True` and `reset`: deletes their variables (start of every request).
    pub(crate) fn forget_reconsidered(&mut self) {
        let deps = &self.iv.deps;
        for var in &deps.reconsider {
            self.undefine(var);
        }
        if deps.reconsider_generic.is_empty() {
            return;
        }
        let class = match self.st.vars.globals.get("x") {
            Some(x) => {
                let x = x.clone();
                self.interp().class_name(&x)
            }
            None => None,
        };
        if let Some(vars) = class.and_then(|c| deps.reconsider_generic.get(&*c)) {
            for var in vars {
                self.undefine(var);
            }
        }
    }

    /// The current values of those of `vars` that something listens for.
    pub(crate) fn old_values<'v>(
        &mut self,
        vars: impl IntoIterator<Item = &'v String>,
    ) -> OldValues {
        let mut old = OldValues::new();
        if self.iv.deps.is_empty() {
            return old;
        }
        for var in vars {
            if self.iv.deps.listeners(var).is_empty() {
                continue;
            }
            if let Some(v) = self.value_of(var) {
                old.insert(var.clone(), v);
            }
        }
        old
    }

    /// After `vars` were set: invalidates what depends on those that changed and runs their
    /// `on change` code (docassemble's `invalidate_dependencies`).
    pub(crate) fn invalidate_changed<'v>(
        &mut self,
        vars: impl IntoIterator<Item = &'v String>,
        old: &OldValues,
    ) {
        for var in vars {
            self.st.internal.dirty.remove(var);
            if self.iv.deps.is_empty() {
                continue;
            }
            let mut history = HashSet::new();
            self.invalidate(var, old, &mut history, false);
        }
    }

    fn invalidate(
        &mut self,
        var: &str,
        old: &OldValues,
        history: &mut HashSet<String>,
        force: bool,
    ) {
        if history.contains(var) {
            return;
        }
        let listeners = self.iv.deps.listeners(var);
        if listeners.is_empty() {
            return;
        }
        let Some(current) = self.value_of(var) else {
            return;
        };
        let do_invalidation = if force {
            true
        } else {
            match old.get(var) {
                Some(before) => {
                    if matches!(self.interp().eq(&current, before), Ok(true)) {
                        return;
                    }
                    true
                }
                None => false,
            }
        };
        let mut invalidated = Vec::new();
        if do_invalidation {
            for v in &listeners {
                let Some(targets) = self.iv.deps.invalidation.get(&v.name) else {
                    continue;
                };
                for target in targets {
                    let x = v.is_generic().then_some(v.generic_root.as_str());
                    let concrete = substitute(target, x, &v.iterators);
                    let Some(value) = self.value_of(&concrete) else {
                        continue;
                    };
                    let mut cx = self.interp();
                    if let Ok(json) = to_json(&mut cx, &value) {
                        self.st.internal.dirty.insert(concrete.clone(), json);
                    }
                    if !invalidated.contains(&concrete) {
                        invalidated.push(concrete);
                    }
                }
            }
        }
        history.insert(var.to_string());
        for v in &invalidated {
            self.invalidate(v, old, history, true);
        }
        for v in &invalidated {
            self.undefine(v);
        }
        for v in &listeners {
            let Some(codes) = self.iv.deps.onchange.get(&v.name) else {
                continue;
            };
            let saved = self.save_bindings();
            let x = v.is_generic().then_some(v.generic_root.as_str());
            if self.bind(x, &v.iterators, "on change").is_ok() {
                for code in codes {
                    // docassemble logs and ignores exceptions raised by `on change` code.
                    let _ = self.exec_src(&code.source, "on change");
                }
            }
            self.restore_bindings(saved);
        }
    }

    /// The current values of `x`, `i`, `j`, … (to restore after binding them).
    fn save_bindings(&self) -> Vec<(&'static str, Option<Value>)> {
        std::iter::once("x")
            .chain(INDEX_VARS)
            .map(|n| (n, self.st.vars.globals.get(n).cloned()))
            .collect()
    }

    fn restore_bindings(&mut self, saved: Vec<(&'static str, Option<Value>)>) {
        for (name, value) in saved {
            match value {
                Some(v) => {
                    self.st.vars.globals.insert(pyeval::Name::from(name), v);
                }
                None => {
                    self.st.vars.globals.shift_remove(name);
                }
            }
        }
    }
}
