//! [`DaHost`]: the [`pyeval::Host`] that provides docassemble's classes and functions.

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::NaiveDate;
use pyeval::{Args, BinOp, CmpOp, Host, Interp, Name, ObjId, PyResult, Value};

use super::classes;
use super::config::RuntimeConfig;
use super::functions;
use super::signals::Effects;

/// The `random` module's generator (Python's is one per process).
static RNG: std::sync::Mutex<Option<functions::random::Mt>> = std::sync::Mutex::new(None);

/// docassemble's runtime library as a pyeval host.
///
/// Construct one per request (or per evaluation pass) with the caller's [`RuntimeConfig`]; the
/// interview's answers live in the [`pyeval::State`], not here. What the library records for
/// the engine accumulates in [`Effects`] (read it with [`DaHost::take_effects`]). The
/// per-request bookkeeping that docassemble keeps in its thread state (the lists currently
/// being gathered, the variables already reconsidered) is reset with
/// [`DaHost::begin_pass`] / [`DaHost::begin_request`].
#[derive(Debug, Default)]
pub struct DaHost {
    config: RuntimeConfig,
    effects: RefCell<Effects>,
    /// instanceNames of the lists/dicts whose `gather()` is running (docassemble's
    /// `gathering_mode`): while set, reading the list does not trigger gathering again.
    gathering: RefCell<BTreeSet<String>>,
    /// Variables reconsidered in this request (each only once).
    reconsidered: RefCell<BTreeSet<String>>,
    /// The current language (`set_language`).
    language: RefCell<String>,
    /// The action (name, arguments) of the current request, for `action_argument()`.
    action: RefCell<Option<(String, Value)>>,
    /// What `set_info()` stored (docassemble's `this_thread.global_vars`), for `get_info()`
    /// and the "you" of the `user` info.
    info: RefCell<Vec<(String, Value)>>,
    /// An attachment with `redact: False` is being made: `redact()` gives its text back.
    unredacted: std::cell::Cell<bool>,
    /// The modules of the interview's `modules` blocks (`from json import *`): their
    /// functions are globals.
    modules: RefCell<Vec<String>>,
    /// `docassemble.base.util` is not imported (`suppress loading util`): its classes and
    /// functions are not globals.
    util_hidden: std::cell::Cell<bool>,
    /// The interview's own Python modules (package `.py` files).
    py_modules: RefCell<Option<std::sync::Arc<super::modules::PyModules>>>,
    /// The data files `objects_from_file()` reads, by reference.
    source_files: RefCell<std::sync::Arc<std::collections::BTreeMap<String, String>>>,
    /// The inline contents of the interview's plain-named `template` blocks.
    template_sources: RefCell<std::sync::Arc<TemplateSources>>,
}

/// A `template` block's inline content and subject (Mako + Markdown) and where they were
/// written.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSource {
    /// The content as written, and its line.
    pub content: (String, u32),
    /// The subject as written, and its line.
    pub subject: Option<(String, u32)>,
    /// The interview file (for error messages).
    pub file: String,
}

/// Template contents by the template's variable name.
pub type TemplateSources = std::collections::BTreeMap<String, TemplateSource>;

impl DaHost {
    /// A host with the given configuration.
    pub fn new(config: RuntimeConfig) -> Self {
        let language = config.language.clone();
        DaHost {
            config,
            language: RefCell::new(language),
            ..DaHost::default()
        }
    }

    /// The configuration.
    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    /// Takes (and clears) what the library recorded since the last call.
    pub fn take_effects(&self) -> Effects {
        std::mem::take(&mut *self.effects.borrow_mut())
    }

    /// Reads the record without clearing it.
    pub fn effects(&self) -> std::cell::Ref<'_, Effects> {
        self.effects.borrow()
    }

    /// Call at the start of every evaluation pass (docassemble's `reset_gathering_mode()` at
    /// the top of each `assemble` loop iteration).
    pub fn begin_pass(&self) {
        self.gathering.borrow_mut().clear();
    }

    /// Call at the start of every request: clears the pass state and the set of reconsidered
    /// variables, and sets the current action (from `url_action`/an action button) whose
    /// arguments `action_argument()` reads. `arguments` is a pyeval dict (or `None`).
    pub fn begin_request(&self, action: Option<(String, Value)>) {
        self.begin_pass();
        self.info.borrow_mut().clear();
        self.reconsidered.borrow_mut().clear();
        self.effects.borrow_mut().prevent_going_back = false;
        *self.action.borrow_mut() = action;
    }

    /// Sets the action whose arguments `action_argument()` reads (an event replayed from the
    /// event stack, or the request's own action).
    pub fn set_action(&self, action: Option<(String, Value)>) {
        *self.action.borrow_mut() = action;
    }

    /// Whether `redact()` redacts (off while an attachment with `redact: False` is made).
    pub fn set_redact(&self, on: bool) {
        self.unredacted.set(!on);
    }

    /// Whether `redact()` redacts.
    pub fn redacting(&self) -> bool {
        !self.unredacted.get()
    }

    /// The current language.
    pub fn language(&self) -> String {
        self.language.borrow().clone()
    }

    pub(crate) fn set_language(&self, lang: &str) {
        *self.language.borrow_mut() = lang.to_string();
        self.effects.borrow_mut().language = Some(lang.to_string());
    }

    pub(crate) fn effects_mut(&self) -> std::cell::RefMut<'_, Effects> {
        self.effects.borrow_mut()
    }

    pub(crate) fn is_gathering(&self, name: &str) -> bool {
        self.gathering.borrow().contains(name)
    }

    pub(crate) fn set_gathering(&self, name: &str, on: bool) {
        let mut g = self.gathering.borrow_mut();
        if on {
            g.insert(name.to_string());
        } else {
            g.remove(name);
        }
    }

    /// Marks `var` as reconsidered; false if it already was in this request.
    pub(crate) fn mark_reconsidered(&self, var: &str) -> bool {
        self.reconsidered.borrow_mut().insert(var.to_string())
    }

    pub(crate) fn action(&self) -> Option<(String, Value)> {
        self.action.borrow().clone()
    }

    pub(crate) fn set_info(&self, name: &str, v: Value) {
        let mut info = self.info.borrow_mut();
        match info.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => info.push((name.to_string(), v)),
        }
    }

    /// Makes the functions of `modules` (the interview's `modules` blocks) globals, as
    /// docassemble's `from module import *`; modules the runtime does not have are ignored.
    pub fn set_modules(&self, modules: &[String]) {
        *self.modules.borrow_mut() = modules
            .iter()
            .filter(|m| functions::server::MODULES.contains(&m.as_str()))
            .cloned()
            .collect();
    }

    /// Whether `docassemble.base.util` is star-imported (docassemble skips it when the
    /// metadata says `suppress loading util`).
    pub fn set_util_loaded(&self, loaded: bool) {
        self.util_hidden.set(!loaded);
    }

    /// The interview's own Python modules, loaded when it was compiled: their globals are
    /// what their functions see, and the exports of those its `modules` blocks name are
    /// globals of the interview.
    pub fn set_python_modules(&self, modules: std::sync::Arc<super::modules::PyModules>) {
        *self.py_modules.borrow_mut() = (!modules.is_empty()).then_some(modules);
    }

    /// The data files of the interview's packages' `data/sources` folders that
    /// `objects_from_file()` reads, by reference (read when the interview was loaded).
    pub fn set_source_files(
        &self,
        files: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    ) {
        *self.source_files.borrow_mut() = files;
    }

    /// The text of data file `reference` (`docassemble.demo:data/sources/fishes.yml`).
    pub fn source_file(&self, reference: &str) -> Option<String> {
        self.source_files.borrow().get(reference).cloned()
    }

    /// Runs `f` on the `random` generator (seeded from the clock on first use). As Python's
    /// `random` module state, it is one for the process: `seed()` in one request sets the
    /// numbers of the next.
    pub(crate) fn with_rng<T>(&self, f: impl FnOnce(&mut functions::random::Mt) -> T) -> T {
        let mut rng = RNG
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mt = rng.get_or_insert_with(|| {
            let t = self.config.now.and_utc();
            let nanos = t
                .timestamp()
                .wrapping_mul(1_000_000_000)
                .wrapping_add(i64::from(t.timestamp_subsec_nanos()));
            functions::random::Mt::seeded(nanos)
        });
        f(mt)
    }

    /// `random.seed(n)`; `None` seeds from the clock.
    pub(crate) fn seed_rng(&self, n: Option<i64>) {
        *RNG.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            n.map(functions::random::Mt::seeded);
    }

    /// The inline contents of the interview's plain-named `template` blocks.
    pub fn set_template_sources(&self, sources: std::sync::Arc<TemplateSources>) {
        *self.template_sources.borrow_mut() = sources;
    }

    /// Renders the content (or, with `subject`, the subject) of template `name` (a `template`
    /// block's variable) now, with `vars` as extra names (docassemble's `show(**kwargs)` on
    /// its lazy templates): the text, trailing whitespace removed, or `None` when the
    /// interview has no such inline template. What it needs and is undefined is asked for,
    /// as any text's.
    pub(crate) fn render_template(
        &self,
        cx: &mut Interp<'_>,
        name: &str,
        subject: bool,
        vars: Vec<(Name, Value)>,
    ) -> pyeval::PyResult<Option<String>> {
        let Some(src) = self.template_sources.borrow().get(name).cloned() else {
            return Ok(None);
        };
        #[cfg(not(feature = "parser"))]
        {
            // (without the parser, the runtime renders no text: the templates it is given
            // were rendered by the engine)
            let _ = (cx, subject, vars, src);
            Ok(None)
        }
        #[cfg(feature = "parser")]
        self.render_template_source(cx, &src, subject, vars)
    }

    #[cfg(feature = "parser")]
    fn render_template_source(
        &self,
        cx: &mut Interp<'_>,
        src: &TemplateSource,
        subject: bool,
        vars: Vec<(Name, Value)>,
    ) -> pyeval::PyResult<Option<String>> {
        let (text, line) = if subject {
            src.subject.clone().unwrap_or_default()
        } else {
            src.content.clone()
        };
        if !crate::text::mako::is_template(&text) {
            return Ok(Some(text.trim_end().to_string()));
        }
        let bad = |at: u32, message: String| {
            pyeval::Flow::raise(
                "SyntaxError",
                format!("Mako: {message} (in the template at {}:{at})", src.file),
            )
        };
        let program =
            crate::text::mako::compile(&text).map_err(|e| bad(line + e.line, e.message))?;
        let block = pyeval::compile_block(&program.source)
            .map_err(|e| bad(line + program.template_line(e.line), e.message))?;
        let out = cx.exec_apart(&block, vars);
        // (the program's render function is not an answer; an outer render still running
        // has its own already)
        cx.state_mut()
            .globals
            .shift_remove(crate::text::mako::RENDER_FN);
        Ok(Some(out?.trim_end().to_string()))
    }

    /// A value stored with `set_info(name=...)`.
    pub fn info(&self, name: &str) -> Option<Value> {
        self.info
            .borrow()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

impl Host for DaHost {
    fn lookup_global(&self, name: &str) -> Option<Value> {
        let util = !self.util_hidden.get();
        if util && classes::is_class(name) {
            return Some(Value::Class(Name::from(name)));
        }
        if util && functions::is_function(name) {
            return Some(Value::HostFn(Name::from(name)));
        }
        // `random.random` (`from random import random`), `datetime.date`
        if let Some((module, function)) = name.split_once('.') {
            if let Some(v) = functions::server::module_attr(module, function) {
                return Some(v);
            }
            return functions::server::module_has(module, function)
                .then(|| Value::HostFn(Name::from(name)));
        }
        // the names of `modules` blocks (`from random import *` binds the function `random`
        // over the module's name)
        if let Some(m) = self
            .modules
            .borrow()
            .iter()
            .find(|m| functions::server::module_has(m, name))
        {
            return Some(Value::HostFn(Name::from(format!("{m}.{name}"))));
        }
        if functions::server::MODULES.contains(&name) {
            return Some(Value::Class(Name::from(name)));
        }
        // an export of the interview's own modules (values on a heap are read through
        // `module_global`, which copies them)
        if let Some(m) = self.py_modules.borrow().as_ref()
            && let Some((_, v)) = m.export(name)
            && !v.holds_heap()
        {
            return Some(v.clone());
        }
        None
    }

    fn module_global(
        &self,
        cx: &mut Interp<'_>,
        module: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        let modules = self.py_modules.borrow().clone();
        let Some(modules) = modules.as_ref() else {
            return Ok(None);
        };
        let found = if module == pyeval::STAR {
            modules.export(name)
        } else {
            modules
                .get(module)
                .and_then(|m| m.global(name).map(|v| (m, v)))
        };
        Ok(found.map(|(m, v)| into_request(cx, m, v)))
    }

    fn call_function(&self, cx: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
        functions::call(self, cx, name, args)
    }

    fn construct(&self, cx: &mut Interp<'_>, class: &str, args: Args) -> PyResult<Value> {
        classes::construct(self, cx, class, args)
    }

    fn user_class(&self, qualname: &str) -> Option<std::sync::Arc<pyeval::class::UserClass>> {
        self.py_modules.borrow().as_ref()?.class(qualname)
    }

    fn user_class_value(
        &self,
        cx: &mut Interp<'_>,
        qualname: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        let modules = self.py_modules.borrow().clone();
        Ok(modules
            .as_ref()
            .and_then(|ms| ms.class_member(qualname, name))
            .map(|(m, v)| into_request(cx, m, &v)))
    }

    fn new_instance(&self, cx: &mut Interp<'_>, class: &str, args: &mut Args) -> PyResult<ObjId> {
        let path = classes::take_instance_name(args);
        Ok(cx.heap_mut().new_instance(class, path))
    }

    fn class_parent(&self, class: &str) -> Option<Name> {
        classes::parent(class).map(Name::from)
    }

    fn call_method(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        name: &str,
        args: Args,
    ) -> PyResult<Option<Value>> {
        classes::call_method(self, cx, obj, class, name, args)
    }

    fn call_class_method(
        &self,
        cx: &mut Interp<'_>,
        class: &str,
        name: &str,
        args: Args,
    ) -> PyResult<Option<Value>> {
        match name {
            "using" if classes::is_known(cx, super::using::base_of(class)) => {
                if !args.pos.is_empty() {
                    return Err(super::support::type_err(
                        "using() takes only keyword arguments",
                    ));
                }
                super::using::encode(cx, class, &args.kw).map(Some)
            }
            _ if functions::server::MODULES.contains(&class) => {
                // `datetime.date(2020, 1, 2)`: a class of the module, called
                if let Some(v) = functions::server::module_attr(class, name) {
                    return cx.call_value(&v, args).map(Some);
                }
                functions::server::module_call(self, cx, class, name, &args)
            }
            _ => Ok(None),
        }
    }

    fn class_attr(&self, _cx: &mut Interp<'_>, class: &str, name: &str) -> PyResult<Option<Value>> {
        // `us.states`: a module of the `us` package
        Ok(match (class, name) {
            ("us", "states") => Some(Value::Class(Name::from("us.states"))),
            ("string", _) => functions::server::string_constant(name).map(Value::str),
            _ => functions::server::module_attr(class, name),
        })
    }

    fn missing_attr(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        name: &str,
    ) -> PyResult<Option<Value>> {
        classes::missing_attr(self, cx, obj, class, name)
    }

    fn to_str(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<String>> {
        classes::to_str(self, cx, obj, class)
    }

    fn to_repr(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<String>> {
        classes::to_repr(self, cx, obj, class)
    }

    fn truthy(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<bool>> {
        classes::truthy(self, cx, obj, class)
    }

    fn len(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<i64>> {
        classes::len(self, cx, obj, class)
    }

    fn iter(&self, cx: &mut Interp<'_>, obj: ObjId, class: &str) -> PyResult<Option<Vec<Value>>> {
        classes::iter(self, cx, obj, class)
    }

    fn contains(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        item: &Value,
    ) -> PyResult<Option<bool>> {
        classes::contains(self, cx, obj, class, item)
    }

    fn get_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
    ) -> PyResult<Option<Value>> {
        classes::get_item(self, cx, obj, class, key)
    }

    fn get_slice(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        lo: Option<i64>,
        hi: Option<i64>,
        step: Option<i64>,
    ) -> PyResult<Option<Value>> {
        // `people[1:]`: a list of the items there are (docassemble's `self.elements[index]`,
        // which does not gather)
        if classes::family(class) != classes::Family::List {
            return Ok(None);
        }
        let el = classes::list::elements_id(cx, obj)?;
        cx.get_slice(&Value::Ref(el), lo, hi, step).map(Some)
    }

    fn set_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
        value: &Value,
    ) -> PyResult<bool> {
        classes::set_item(self, cx, obj, class, key, value)
    }

    fn del_item(
        &self,
        cx: &mut Interp<'_>,
        obj: ObjId,
        class: &str,
        key: &Value,
    ) -> PyResult<bool> {
        classes::del_item(self, cx, obj, class, key)
    }

    fn binary_op(
        &self,
        cx: &mut Interp<'_>,
        op: BinOp,
        obj: ObjId,
        class: &str,
        other: &Value,
        reflected: bool,
    ) -> PyResult<Option<Value>> {
        classes::ops::binary_op(self, cx, op, obj, class, other, reflected)
    }

    fn compare(
        &self,
        cx: &mut Interp<'_>,
        op: CmpOp,
        obj: ObjId,
        class: &str,
        other: &Value,
    ) -> PyResult<Option<bool>> {
        classes::ops::compare(self, cx, op, obj, class, other)
    }

    fn today(&self) -> Option<NaiveDate> {
        Some(self.config.today())
    }
}

/// A value of package module `m` as a value of the request: heap values are copied into its
/// heap, so a request never changes a module.
fn into_request(cx: &mut Interp<'_>, m: &super::modules::PyModule, v: &Value) -> Value {
    if v.holds_heap() {
        cx.heap_mut().import_value(&m.state.heap, v)
    } else {
        v.clone()
    }
}
