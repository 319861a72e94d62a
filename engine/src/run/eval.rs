//! Evaluation helpers over a session: run Python, render Mako, bind `x`/`i`, and turn the
//! evaluator's non-local exits into the engine's interrupts.

use pyeval::{Flow, Interp, Value};

use super::compile::{CompiledCond, CompiledInterview};
use super::error::RunError;
use super::state::SessionState;
use super::variants::INDEX_VARS;
use crate::block::Text;

/// Why evaluation stopped early.
#[derive(Debug)]
pub enum Interrupt {
    /// A variable is undefined: seek it, then start again.
    Needs {
        /// The real path of the undefined variable.
        missing: String,
        /// The path the code was reaching for (`missing` + the syntactic tail).
        wanted: String,
    },
    /// The interview cannot go on.
    Error(RunError),
    /// A runtime signal (`force_ask`, `message`, `command`, `re_run_logic`,
    /// `validation_error`): the payload is in the host's effects.
    Signal {
        /// The exception kind (`runtime::signals`).
        kind: String,
        /// The block that raised it.
        block: String,
        /// The exception message.
        message: String,
    },
}

impl From<RunError> for Interrupt {
    fn from(e: RunError) -> Self {
        Interrupt::Error(e)
    }
}

/// The result type of engine evaluation.
pub type Eval<T> = Result<T, Interrupt>;

/// Maps an evaluator exit inside block `block` to an interrupt.
pub fn flow(e: Flow, block: &str) -> Interrupt {
    match e {
        Flow::Needs(n) => Interrupt::Needs {
            missing: n.missing.to_string(),
            wanted: n.wanted.to_string(),
        },
        Flow::Raise(err) if crate::runtime::signals::is_signal(&err.kind) => Interrupt::Signal {
            kind: err.kind.clone(),
            block: block.to_string(),
            message: err.message.clone(),
        },
        Flow::Raise(err) => Interrupt::Error(RunError::Python {
            block: block.to_string(),
            kind: err.kind.clone(),
            message: err.message.clone(),
        }),
        Flow::Limit(kind) => Interrupt::Error(RunError::Limit {
            block: block.to_string(),
            what: format!("{kind:?}").to_lowercase(),
        }),
    }
}

/// Evaluation context: the interview, the session, the host and the limits.
pub struct Ctx<'a> {
    /// The interview.
    pub iv: &'a CompiledInterview,
    /// The session.
    pub st: &'a mut SessionState,
    /// docassemble's classes and functions.
    pub host: &'a dyn super::RunHost,
    /// Evaluation limits for each piece of code.
    pub limits: pyeval::Limits,
    /// The vocabulary terms linked in the texts of the screen being built.
    pub terms: super::terms::Terms,
    /// How the data block being defined makes its objects (see `Ctx::data_object`).
    pub data_mode: DataMode,
}

/// How a `data` block being defined makes its objects.
#[derive(Debug, Clone, Copy, Default)]
pub struct DataMode {
    /// `use objects: objects`: `{object: …, item(s): …}` become instances.
    pub objects: bool,
    /// `gathered: False`: the lists and dicts made are not marked gathered (so more items are
    /// asked for).
    pub ungathered: bool,
}

impl DataMode {
    /// The keyword arguments of the `DAList`/`DADict` a data block makes: gathered, not
    /// gathered automatically, unless `gathered: False`.
    pub(crate) fn collection_flags(self) -> &'static str {
        if self.ungathered {
            ""
        } else {
            ", auto_gather=False, gathered=True"
        }
    }
}

impl Ctx<'_> {
    /// The current language (`en` when the host does not say).
    pub fn language(&self) -> String {
        self.host.language().unwrap_or_else(|| "en".to_string())
    }

    /// A fresh interpreter over the session's variables.
    pub fn interp(&mut self) -> Interp<'_> {
        Interp::new(&mut self.st.vars, self.host, &self.limits)
    }

    /// Runs a compiled block.
    pub fn exec(&mut self, code: &pyeval::Block, block: &str) -> Eval<()> {
        self.interp().exec(code).map_err(|e| flow(e, block))
    }

    /// Runs statements given as source (engine-generated, e.g. `del x`).
    pub fn exec_src(&mut self, src: &str, block: &str) -> Eval<()> {
        let compiled = self.iv.stmts(src);
        match compiled.as_ref() {
            Ok(code) => self.exec(code, block),
            Err(e) => Err(Interrupt::Error(e.clone())),
        }
    }

    /// Evaluates an expression given as source.
    pub fn eval_src(&mut self, src: &str, at: (&str, u32), block: &str) -> Eval<Value> {
        let compiled = self.iv.expr(src.trim(), at);
        match compiled.as_ref() {
            Ok(e) => self.interp().eval(e).map_err(|f| flow(f, block)),
            Err(e) => Err(Interrupt::Error(e.clone())),
        }
    }

    /// The truth of an expression given as source.
    pub fn truthy_src(&mut self, src: &str, at: (&str, u32), block: &str) -> Eval<bool> {
        let compiled = self.iv.expr(src.trim(), at);
        match compiled.as_ref() {
            Ok(e) => {
                let mut cx = self.interp();
                let v = cx.eval(e).map_err(|f| flow(f, block))?;
                cx.truthy(&v).map_err(|f| flow(f, block))
            }
            Err(e) => Err(Interrupt::Error(e.clone())),
        }
    }

    /// The truth of a compiled condition.
    pub fn cond(&mut self, c: &CompiledCond, block: &str) -> Eval<bool> {
        match c {
            CompiledCond::Const(b) => Ok(*b),
            CompiledCond::Expr(e) => {
                let mut cx = self.interp();
                let v = cx.eval(e).map_err(|f| flow(f, block))?;
                cx.truthy(&v).map_err(|f| flow(f, block))
            }
        }
    }

    /// Is `var` defined? (Needs and lookup errors mean no.)
    pub fn defined(&mut self, var: &str) -> bool {
        let Some(pat) = self.iv.pattern(var) else {
            return false;
        };
        matches!(self.interp().defined_pattern(&pat), Ok(true))
    }

    /// The value of the variable `var` (a path, possibly using `i`…), if defined.
    pub fn value_of(&mut self, var: &str) -> Option<Value> {
        let pat = self.iv.pattern(var)?;
        self.interp().eval_pattern(&pat).ok()
    }

    /// Sets variable `var` (any assignable expression) to `value`.
    pub fn assign(&mut self, var: &str, value: Value, block: &str) -> Eval<()> {
        self.st
            .vars
            .globals
            .insert(pyeval::Name::from(VALUE_SLOT), value);
        let result = self.exec_src(&format!("{var} = {VALUE_SLOT}"), block);
        self.st.vars.globals.shift_remove(VALUE_SLOT);
        result
    }

    /// Deletes `var` if it is defined.
    pub fn undefine(&mut self, var: &str) {
        if self.defined(var) {
            let _ = self.exec_src(&format!("del {var}"), "undefine");
        }
    }

    /// Binds `x` to the object at path `x` and `i`, `j`, … to the index values.
    pub fn bind(&mut self, x: Option<&str>, iterators: &[String], block: &str) -> Eval<()> {
        if let Some(root) = x {
            let v = self.eval_src(root, ("<engine>", 0), block)?;
            self.st.vars.globals.insert(pyeval::Name::from("x"), v);
        }
        for (n, value) in iterators.iter().enumerate() {
            let Some(name) = INDEX_VARS.get(n) else {
                break;
            };
            let v = literal(value);
            self.st.vars.globals.insert(pyeval::Name::from(*name), v);
        }
        Ok(())
    }

    /// Renders a Mako text to a string (before Markdown).
    pub fn render(&mut self, text: &Text, file: &str, block: &str) -> Eval<String> {
        if let Some(defs) = self.iv.defs.get(block) {
            if !text.source.is_empty() {
                let lines = defs.matches('\n').count() as u32;
                let with_defs = Text {
                    source: format!("{defs}{}", text.source),
                    line: text.line.saturating_sub(lines),
                };
                return self.render_text(&with_defs, file, block);
            }
        }
        self.render_text(text, file, block)
    }

    fn render_text(&mut self, text: &Text, file: &str, block: &str) -> Eval<String> {
        let compiled = self.iv.text(&text.source, file, text.line);
        let compiled = match compiled.as_ref() {
            Ok(c) => c,
            Err(e) => return Err(Interrupt::Error(e.clone())),
        };
        let Some(program) = &compiled.program else {
            return Ok(text.source.clone());
        };
        let mut cx = Interp::new(&mut self.st.vars, self.host, &self.limits);
        let result = cx.exec(program);
        let out = cx.output().to_string();
        drop(cx);
        self.st
            .vars
            .globals
            .shift_remove(crate::text::mako::RENDER_FN);
        match result {
            Ok(()) => Ok(out),
            Err(Flow::Raise(err)) => Err(Interrupt::Error(RunError::Python {
                block: block.to_string(),
                kind: err.kind.clone(),
                message: format!(
                    "{} (in the text at {file}:{})",
                    err.message,
                    text.line
                        + err
                            .line
                            .map(|l| compiled
                                .line_map
                                .get(l.saturating_sub(1) as usize)
                                .copied()
                                .unwrap_or(1))
                            .unwrap_or(1)
                ),
            })),
            Err(other) => Err(flow(other, block)),
        }
    }

    /// `str()` of a value.
    pub fn to_str(&mut self, v: &Value, block: &str) -> Eval<String> {
        self.interp().to_str(v).map_err(|f| flow(f, block))
    }
}

/// A temporary global used to pass values into generated assignments.
const VALUE_SLOT: &str = "_colloquy_value";

/// An index value as written in a variable name (`0`, `'key'`, `"key"`).
pub fn literal(text: &str) -> Value {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Value::Int(i);
    }
    if t.len() >= 2
        && ((t.starts_with('\'') && t.ends_with('\'')) || (t.starts_with('"') && t.ends_with('"')))
    {
        return Value::str(&t[1..t.len() - 1]);
    }
    Value::str(t)
}
