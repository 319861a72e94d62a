//! An interview made ready to run: its Python compiled once, and the index of which block can
//! define which variable (spec §3.2).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use pyeval::hash::FxBuild;
use pyeval::{Block as PyBlock, Expr as PyExpr};

/// A map keyed by names or source texts, hashed with the evaluator's fast hasher (these are
/// looked up many times per screen).
type FxMap<K, V> = HashMap<K, V, FxBuild>;

use super::error::RunError;
use super::variants::{Variant, variants};
use crate::block::{Block, BlockKind, Cond, Python};
use crate::interview::Interview;
use crate::text::mako;

/// A condition compiled: a constant or an expression.
#[derive(Debug, Clone)]
pub enum CompiledCond {
    /// `True`/`False`.
    Const(bool),
    /// An expression.
    Expr(PyExpr),
}

/// One block of the question list, with its Python compiled.
#[derive(Debug)]
pub struct CompiledBlock {
    /// Index into [`Interview::blocks`].
    pub source: usize,
    /// The code of a `code` block.
    pub code: Option<PyBlock>,
    /// `mandatory`.
    pub mandatory: Option<CompiledCond>,
    /// `initial`.
    pub initial: Option<CompiledCond>,
    /// `if` conditions.
    pub conditions: Vec<PyExpr>,
    /// The (normalised) variables the block can define.
    pub defines: Vec<String>,
}

/// A compiled text template: `None` when the text has no Mako and is used as it is.
#[derive(Debug)]
pub struct CompiledText {
    /// The Python program of the template.
    pub program: Option<PyBlock>,
    /// Maps the program's lines back to the template's.
    pub line_map: Vec<u32>,
}

/// An interview ready to run.
#[derive(Debug)]
pub struct CompiledInterview {
    /// The loaded interview.
    pub interview: Interview,
    /// The question list (blocks docassemble appends to `questions_list`), in order.
    pub blocks: Vec<CompiledBlock>,
    /// Variable name → question-list indices of the blocks that define it (file order).
    index: FxMap<String, Vec<usize>>,
    /// Class → variable (`x…`) → blocks (`generic object`).
    generic: FxMap<String, FxMap<String, Vec<usize>>>,
    /// The variables (`x…`) some `generic object` block defines, for any class.
    generic_vars: HashSet<String, FxBuild>,
    /// Compiled expressions and templates by source text.
    exprs: Mutex<FxMap<String, std::sync::Arc<Result<PyExpr, RunError>>>>,
    stmts: Mutex<FxMap<String, std::sync::Arc<Result<PyBlock, RunError>>>>,
    texts: Mutex<FxMap<String, std::sync::Arc<Result<CompiledText, RunError>>>>,
    /// `depends on`, `on change`, `reconsider: True` and `reset`.
    pub deps: super::depends::Dependencies,
    /// Block name → the Mako definitions (`def` blocks named by its `usedefs`) that prefix
    /// each of its texts.
    pub defs: FxMap<String, String>,
    /// HTML of rendered texts.
    html: crate::text::cache::HtmlCache,
    /// The interview's images (`images`, `image sets`) by name.
    pub images: std::collections::HashMap<String, super::images::Image>,
    /// The variants of missing variables (by the name as reported).
    variants: Mutex<FxMap<String, std::sync::Arc<Vec<Variant>>>>,
    /// Variable names parsed as paths (`None`: not a path).
    patterns: Mutex<FxMap<String, Option<std::sync::Arc<pyeval::PathPattern>>>>,
    /// The modules named by the interview's `modules` blocks, in order.
    modules: Vec<String>,
    /// The interview's own Python modules, run once here.
    python_modules: std::sync::Arc<crate::runtime::modules::PyModules>,
    /// The data files `objects_from_file()` reads (see [`Interview::source_files`]).
    source_files: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    /// The inline content of each `template` block named by a plain variable, for rendering
    /// it again with extra names (`show(**kwargs)`).
    template_sources: std::sync::Arc<crate::runtime::TemplateSources>,
    /// Whether `docassemble.base.util` is star-imported (see [`CompiledInterview::util_loaded`]).
    util_loaded: bool,
}

/// The variant and pattern memos are emptied when they hold more names than this.
const MAX_VARIANT_NAMES: usize = 4096;

/// Normalises a variable name to docassemble's `a.b[c]` form (`x["a"]` → `x['a']`, spaces
/// removed). Names that are not assignable paths are returned trimmed.
pub fn normalise(var: &str) -> String {
    let trimmed = var.trim();
    match pyeval::PathPattern::parse(trimmed) {
        Ok(p) => p.to_string(),
        Err(_) => trimmed.to_string(),
    }
}

impl CompiledInterview {
    /// Compiles every code block, condition and `mandatory`/`initial` expression of the
    /// interview. All problems are reported, each with its file and line.
    pub fn new(interview: Interview) -> Result<Self, Vec<RunError>> {
        let mut errors = Vec::new();
        let mut blocks = Vec::new();
        for (source, block) in interview.blocks.iter().enumerate() {
            if !block.in_question_list {
                continue;
            }
            match compile_block(source, block) {
                Ok(b) => blocks.push(b),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut index: FxMap<String, Vec<usize>> = FxMap::default();
        let mut generic: FxMap<String, FxMap<String, Vec<usize>>> = FxMap::default();
        for (i, cb) in blocks.iter().enumerate() {
            let block = &interview.blocks[cb.source];
            for var in &cb.defines {
                match &block.modifiers.generic_object {
                    Some(class) => generic
                        .entry(class.clone())
                        .or_default()
                        .entry(var.clone())
                        .or_default()
                        .push(i),
                    None => index.entry(var.clone()).or_default().push(i),
                }
            }
        }
        // docassemble's sort of candidate blocks (`supersedes`, `order`), in file-order terms;
        // stored latest first, the order they are tried in (later blocks win).
        let orderings = super::orderings::Orderings::build(&interview.blocks);
        for list in index
            .values_mut()
            .chain(generic.values_mut().flat_map(|m| m.values_mut()))
        {
            orderings.sort(list);
            list.reverse();
        }
        let deps = super::depends::Dependencies::build(&interview, &blocks)?;
        let defs = usedefs(&interview)?;
        let generic_vars = generic.values().flat_map(|m| m.keys().cloned()).collect();
        let modules: Vec<String> = interview
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                crate::BlockKind::Modules(names) => Some(names.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        let python_modules = std::sync::Arc::new(load_python_modules(&interview));
        let source_files = std::sync::Arc::new(interview.source_files.clone());
        let template_sources = std::sync::Arc::new(template_sources(&interview));
        let util_loaded = util_loaded(&interview, &modules);
        let images = super::images::images_of(&interview);
        let html = crate::text::cache::HtmlCache::with_icons(super::images::icons_of(&images));
        Ok(CompiledInterview {
            interview,
            blocks,
            index,
            generic,
            generic_vars,
            deps,
            defs,
            exprs: Mutex::default(),
            stmts: Mutex::default(),
            texts: Mutex::default(),
            html,
            images,
            variants: Mutex::default(),
            patterns: Mutex::default(),
            modules,
            python_modules,
            source_files,
            template_sources,
            util_loaded,
        })
    }

    /// The inline contents of the interview's plain-named `template` blocks.
    pub fn template_sources(&self) -> &std::sync::Arc<crate::runtime::TemplateSources> {
        &self.template_sources
    }

    /// The data files `objects_from_file()` reads, by reference.
    pub fn source_files(&self) -> &std::sync::Arc<std::collections::BTreeMap<String, String>> {
        &self.source_files
    }

    /// The interview's own Python modules (package `.py` files), loaded.
    pub fn python_modules(&self) -> &std::sync::Arc<crate::runtime::modules::PyModules> {
        &self.python_modules
    }

    /// The modules named by the interview's `modules` blocks, in order.
    pub fn modules(&self) -> &[String] {
        &self.modules
    }

    /// Whether `docassemble.base.util` is star-imported into the interview's namespace: unless
    /// a `metadata` block says `suppress loading util` (truthy) and no `modules` block names
    /// `docassemble.base.util` or `docassemble.base.legal`.
    pub fn util_loaded(&self) -> bool {
        self.util_loaded
    }

    /// The source block of question-list entry `i`.
    pub fn block(&self, i: usize) -> &Block {
        &self.interview.blocks[self.blocks[i].source]
    }

    /// Blocks (question-list indices) that define `var`, latest first (later blocks win).
    pub fn definers(&self, var: &str) -> &[usize] {
        self.index.get(var).map_or(&[], Vec::as_slice)
    }

    /// Every variable some block defines (not `generic object` ones), in no order.
    pub fn defined_variables(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// The variables (`x…`) `generic object` blocks define, in no order.
    pub fn generic_variables(&self) -> impl Iterator<Item = &str> {
        self.generic_vars.iter().map(String::as_str)
    }

    /// Whether a `generic object` block of any class defines `var` (written with `x`).
    pub fn has_generic_definers(&self, var: &str) -> bool {
        self.generic_vars.contains(var)
    }

    /// Generic blocks for class `class` that define `var` (written with `x`), latest first.
    pub fn generic_definers(&self, class: &str, var: &str) -> &[usize] {
        self.generic
            .get(class)
            .and_then(|m| m.get(var))
            .map_or(&[], Vec::as_slice)
    }

    /// Compiles (once) an expression written in the interview.
    pub fn expr(
        &self,
        src: &str,
        file_line: (&str, u32),
    ) -> std::sync::Arc<Result<PyExpr, RunError>> {
        cached(&self.exprs, src, || {
            py_expr(src).map_err(|e| RunError::compile(file_line.0, file_line.1, &e))
        })
    }

    /// Compiles (once) statements generated by the engine or written in the interview.
    pub fn stmts(&self, src: &str) -> std::sync::Arc<Result<PyBlock, RunError>> {
        cached(&self.stmts, src, || {
            py_block(src).map_err(|e| RunError::compile("<engine>", e.line, &e))
        })
    }

    /// Compiles (once) a Mako template.
    pub fn text(
        &self,
        src: &str,
        file: &str,
        line: u32,
    ) -> std::sync::Arc<Result<CompiledText, RunError>> {
        cached(&self.texts, src, || {
            if !mako::is_template(src) {
                return Ok(CompiledText {
                    program: None,
                    line_map: Vec::new(),
                });
            }
            let prog = mako::compile(src).map_err(|e| RunError::Source {
                file: file.to_string(),
                line: line + e.line,
                message: format!("Mako: {}", e.message),
            })?;
            let block = py_block(&prog.source).map_err(|e| RunError::Source {
                file: file.to_string(),
                line: line + prog.template_line(e.line),
                message: format!("Mako: {}", e.message),
            })?;
            Ok(CompiledText {
                program: Some(block),
                line_map: prog.line_map,
            })
        })
    }
}

/// The Mako definitions each block with `usedefs` gets: the `mako` of the named `def` blocks
/// (which must come earlier), joined by newlines, plus a newline (as docassemble).
fn usedefs(iv: &Interview) -> Result<FxMap<String, String>, Vec<RunError>> {
    let mut known: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut out = FxMap::default();
    let mut errors = Vec::new();
    for block in &iv.blocks {
        if let BlockKind::Def(d) = &block.kind {
            known
                .entry(d.name.as_str())
                .or_default()
                .extend(d.mako.iter().map(|t| t.source.as_str()));
        }
        if block.modifiers.usedefs.is_empty() {
            continue;
        }
        let mut defs: Vec<&str> = Vec::new();
        for name in &block.modifiers.usedefs {
            match known.get(name.as_str()) {
                Some(d) => defs.extend(d.iter().copied()),
                None => errors.push(RunError::Source {
                    file: block.file.to_string(),
                    line: block.line,
                    message: format!(
                        "usedefs refers to a def \"{name}\" that is not defined before this block"
                    ),
                }),
            }
        }
        out.insert(block.name.clone(), format!("{}\n", defs.join("\n")));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl CompiledInterview {
    /// The variants of the missing variable `var` (normalised first), in the order their
    /// blocks are tried; memoised.
    pub fn variants(&self, var: &str) -> std::sync::Arc<Vec<Variant>> {
        if let Ok(m) = self.variants.lock() {
            if let Some(v) = m.get(var) {
                return v.clone();
            }
        }
        let v = std::sync::Arc::new(variants(&normalise(var)));
        if let Ok(mut m) = self.variants.lock() {
            if m.len() >= MAX_VARIANT_NAMES {
                m.clear();
            }
            m.insert(var.to_string(), v.clone());
        }
        v
    }

    /// `var` parsed as a path pattern (`None` if it is not one); memoised.
    pub fn pattern(&self, var: &str) -> Option<std::sync::Arc<pyeval::PathPattern>> {
        if let Ok(m) = self.patterns.lock() {
            if let Some(p) = m.get(var) {
                return p.clone();
            }
        }
        let p = pyeval::PathPattern::parse(var)
            .ok()
            .map(std::sync::Arc::new);
        if let Ok(mut m) = self.patterns.lock() {
            if m.len() >= MAX_VARIANT_NAMES {
                m.clear();
            }
            m.insert(var.to_string(), p.clone());
        }
        p
    }

    /// Rendered Markdown (with markup tokens) to sanitised block HTML, memoised.
    pub fn to_html(&self, rendered: &str) -> String {
        self.html.to_html(rendered)
    }

    /// html items cleaned together ([`crate::text::markdown::sanitize_fragments`]), memoised.
    pub fn sanitize_fragments(&self, pieces: &[&str]) -> (Vec<String>, bool) {
        self.html.sanitize_fragments(pieces)
    }

    /// Rendered Markdown to sanitised inline HTML (a title or a label), memoised.
    pub fn to_inline_html(&self, rendered: &str) -> String {
        self.html.to_inline_html(rendered)
    }

    /// A text of the `metadata` blocks (later blocks win; a value may be a `{language: text}`
    /// mapping, read for `language`, then `*`).
    pub fn metadata_text(&self, name: &str, language: &str) -> Option<String> {
        let mut found = None;
        for block in &self.interview.blocks {
            let crate::BlockKind::Metadata(raw) = &block.kind else {
                continue;
            };
            let Some(node) = raw.0.get(name) else {
                continue;
            };
            let text = match node.as_map() {
                Some(_) => node
                    .get(language)
                    .or_else(|| node.get("*"))
                    .and_then(|n| n.python_str().map(|s| s.into_owned())),
                None => node.python_str().map(|s| s.into_owned()),
            };
            if let Some(t) = text {
                found = Some(t.trim().to_string());
            }
        }
        found
    }

    /// The interview's `error help` (metadata) as HTML, for an error page in `language`
    /// (docassemble tries the language, then `*`, then its default language, English).
    pub fn error_help(&self, language: &str) -> Option<String> {
        self.metadata_text("error help", language)
            .or_else(|| self.metadata_text("error help", "en"))
            .filter(|t| !t.is_empty())
            .map(|t| self.to_html(&t))
    }
}

/// Compiles an expression written in an interview.
pub fn py_expr(src: &str) -> Result<PyExpr, pyeval::CompileError> {
    pyeval::compile_expr(src)
}

/// See [`CompiledInterview::util_loaded`] (the latest `metadata` block that says `suppress
/// loading util` decides).
fn util_loaded(interview: &Interview, modules: &[String]) -> bool {
    let named = modules
        .iter()
        .any(|m| m == "docassemble.base.util" || m == "docassemble.base.legal");
    let mut suppressed = false;
    for block in &interview.blocks {
        if let crate::BlockKind::Metadata(raw) = &block.kind
            && let Some(node) = raw.0.get("suppress loading util")
        {
            suppressed = crate::block::read::truthy(node);
        }
    }
    named || !suppressed
}

/// The inline content of each `template` block whose variable is a plain name (no generic
/// object, no index), by that name (a later block wins, as it would be tried first).
fn template_sources(interview: &Interview) -> crate::runtime::TemplateSources {
    let mut out = crate::runtime::TemplateSources::new();
    for block in &interview.blocks {
        if block.modifiers.generic_object.is_some() {
            continue;
        }
        if let crate::BlockKind::Template(t) = &block.kind
            && let crate::block::TemplateContent::Inline(text) = &t.content
            && pyeval::PathPattern::parse(&t.name.name).is_ok_and(|p| p.segs.is_empty())
        {
            out.insert(
                t.name.name.clone(),
                crate::runtime::TemplateSource {
                    content: (text.source.clone(), text.line),
                    subject: t.subject.as_ref().map(|s| (s.source.clone(), s.line)),
                    file: block.file.to_string(),
                },
            );
        }
    }
    out
}

/// Compiles statements written in an interview (see [`py_expr`]).
pub fn py_block(src: &str) -> Result<PyBlock, pyeval::CompileError> {
    pyeval::compile_block(src)
}

fn cached<T>(
    map: &Mutex<FxMap<String, std::sync::Arc<T>>>,
    key: &str,
    make: impl FnOnce() -> T,
) -> std::sync::Arc<T> {
    if let Ok(m) = map.lock() {
        if let Some(v) = m.get(key) {
            return v.clone();
        }
    }
    let v = std::sync::Arc::new(make());
    if let Ok(mut m) = map.lock() {
        m.insert(key.to_string(), v.clone());
    }
    v
}

fn compile_block(source: usize, block: &Block) -> Result<CompiledBlock, Vec<RunError>> {
    let mut errors = Vec::new();
    let file = block.file.to_string();
    let mut expr = |p: &Python| -> Option<PyExpr> {
        match py_expr(p.source.trim()) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.push(RunError::compile(&file, p.line, &e));
                None
            }
        }
    };
    let cond = |c: &Option<Cond>, expr: &mut dyn FnMut(&Python) -> Option<PyExpr>| match c {
        None => None,
        Some(Cond::Const(b)) => Some(CompiledCond::Const(*b)),
        Some(Cond::Code(p)) => expr(p).map(CompiledCond::Expr),
    };
    let mandatory = cond(&block.modifiers.mandatory, &mut expr);
    let initial = cond(&block.modifiers.initial, &mut expr);
    let conditions: Vec<PyExpr> = block
        .modifiers
        .condition
        .iter()
        .filter_map(&mut expr)
        .collect();
    let mut code = None;
    let mut defines: Vec<String> = block.defines().iter().map(|v| normalise(v)).collect();
    if let BlockKind::Code(py) = &block.kind {
        match py_block(&py.source) {
            Ok(b) => {
                // An `event` code block defines only its events (docassemble turns `scan for
                // variables` off for it): an event that sets `x.there_is_another` is never
                // run to define it.
                let scanned = block.modifiers.only_sets.is_none()
                    && block.modifiers.scan_for_variables
                    && block.modifiers.events.is_empty();
                if scanned {
                    for target in &b.assigns {
                        let name = target.to_string();
                        if !defines.contains(&name) {
                            defines.push(name);
                        }
                    }
                }
                code = Some(b);
            }
            Err(e) => errors.push(RunError::compile(
                &block.file.to_string(),
                py.line + e.line,
                &e,
            )),
        }
    }
    // Buttons that run code define what that code assigns (docassemble scans embedded blocks).
    if let BlockKind::Question(q) = &block.kind {
        if let crate::block::QuestionInput::MultipleChoice { choices, .. } = &q.input {
            let scanned = block.modifiers.only_sets.is_none() && block.modifiers.scan_for_variables;
            for c in &choices.items {
                if let crate::block::ChoiceAction::Block(embedded) = &c.action {
                    if let BlockKind::Code(py) = &embedded.kind {
                        match py_block(&py.source) {
                            Ok(b) if scanned => {
                                for target in &b.assigns {
                                    let name = target.to_string();
                                    if !defines.contains(&name) {
                                        defines.push(name);
                                    }
                                }
                            }
                            Ok(_) => {}
                            Err(e) => errors.push(RunError::compile(
                                &block.file.to_string(),
                                py.line + e.line,
                                &e,
                            )),
                        }
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CompiledBlock {
        source,
        code,
        mandatory,
        initial,
        conditions,
        defines,
    })
}

/// Runs the interview's own Python modules, dependencies first, each in a namespace of its
/// own. A module that does not compile or run (it needs a library the sandbox lacks, say) is
/// left out with its error noted, so that the interview still runs as far as it can.
fn load_python_modules(interview: &Interview) -> crate::runtime::modules::PyModules {
    use crate::runtime::modules::{PyModule, PyModules};
    let mut modules = PyModules::default();
    for name in &interview.star_modules {
        modules.star_import(name);
    }
    let limits = pyeval::Limits::default();
    for (name, source) in &interview.python_modules {
        let block = match pyeval::compile_block_with(source, &limits) {
            Ok(b) => b,
            Err(e) => {
                modules.push_error(name, e.to_string());
                continue;
            }
        };
        let host = crate::runtime::DaHost::new(crate::runtime::RuntimeConfig::default());
        host.set_python_modules(std::sync::Arc::new(modules.clone()));
        let mut state = pyeval::State::new();
        let run = {
            let mut cx = pyeval::Interp::new(&mut state, &host, &limits);
            cx.load_module(name);
            cx.exec(&block)
        };
        match run {
            Ok(()) => {
                let mut m = PyModule {
                    name: name.clone(),
                    state,
                    all: None,
                };
                m.read_all();
                modules.push(m);
            }
            Err(e) => modules.push_error(name, format!("{e:?}")),
        }
    }
    modules
}
