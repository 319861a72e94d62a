//! Lowering of ruff's Python AST into our IR. This is the ONLY module that touches the ruff
//! crates (pinned `=0.0.10`), so parser upgrades stay local.
//!
//! Besides translating, it closes the sandbox: `class`, `with`, `async`, `global`,
//! `nonlocal`, `match`, `yield`, dunder names/attributes and calls to reflective builtins
//! (`exec`, `eval`, `getattr`, `open` …) are compile errors with line and column; `import`
//! only binds what the host provides (see [`crate::ir::StmtKind::Import`]). Nesting is
//! capped before parsing (wasm has no stack growth) and again while lowering.

use std::collections::HashMap;
use std::sync::Arc;

use ruff_python_ast as ast;
use ruff_text_size::Ranged;

use crate::error::CompileError;
use crate::ir::{
    Arg, BinOp, ClassDef, CmpOp, Comp, CompFor, CompKind, Const, Expr, FPart, FuncDef, Handler,
    Param, ParamKind, Stmt, StmtKind, Target, UnOp,
};
use crate::limits::Limits;
use crate::path::Name;

/// Names that would open the sandbox; rejected wherever they appear.
/// The `__dunder__` names code may use: a module's `__all__`, the special methods a class
/// may define (pyeval calls exactly these), a class's names, and `__class__`. Every other name starting
/// with `__` is refused.
const ALLOWED_DUNDERS: &[&str] = &[
    "__all__",
    "__init__",
    "__str__",
    "__repr__",
    "__eq__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__len__",
    "__bool__",
    "__iter__",
    "__contains__",
    "__getitem__",
    "__name__",
    "__qualname__",
    "__module__",
    // `obj.__class__` is `type(obj)`: a class value whose only attributes are its names (no
    // `__bases__`, `__dict__` or `__subclasses__` to climb: those stay refused)
    "__class__",
];

const FORBIDDEN_NAMES: &[&str] = &[
    "exec",
    "eval",
    "compile",
    "open",
    "getattr",
    "setattr",
    "delattr",
    "globals",
    "locals",
    "vars",
    "input",
    "breakpoint",
    "exit",
    "quit",
    "memoryview",
    "object",
    "classmethod",
    "staticmethod",
    "property",
];

/// Maximum depth of nested expressions/statements accepted while lowering.
const MAX_LOWER_DEPTH: u32 = 200;

/// Rejects sources that could exhaust the parser's stack: too long, too deeply bracketed or
/// indented, or with very long chains of (recursively parsed) operators on one logical line.
/// String literals and comments are skipped (their text is not code); f-string replacement
/// fields are scanned as code, so nested f-strings count as nesting.
fn prescan(src: &str, limits: &Limits) -> Result<(), CompileError> {
    if src.len() > limits.max_source_len {
        return Err(CompileError::at(
            src,
            limits.max_source_len,
            format!("source longer than {} bytes", limits.max_source_len),
        ));
    }
    Prescan {
        src,
        b: src.as_bytes(),
        limits,
        depth: 0,
        ops: 0,
        indents: vec![0],
        fstack: Vec::new(),
    }
    .run()
}

/// An open f-string whose replacement field is being scanned: (quote, triple, bracket depth at
/// which the field started).
type FField = (u8, bool, u32);

struct Prescan<'s> {
    src: &'s str,
    b: &'s [u8],
    limits: &'s Limits,
    depth: u32,
    ops: u32,
    indents: Vec<usize>,
    fstack: Vec<FField>,
}

impl Prescan<'_> {
    fn err(&self, at: usize, msg: &str) -> CompileError {
        CompileError::at(self.src, at, msg)
    }

    fn open(&mut self, at: usize) -> Result<(), CompileError> {
        self.depth += 1;
        if self.depth > self.limits.max_nesting {
            return Err(self.err(at, "expression nested too deeply"));
        }
        Ok(())
    }

    fn op(&mut self, at: usize) -> Result<(), CompileError> {
        self.ops += 1;
        if self.ops > 4 * MAX_LOWER_DEPTH {
            return Err(self.err(at, "expression too long"));
        }
        Ok(())
    }

    /// Skips a string body starting after the opening quote(s); for f-strings, stops at a
    /// replacement field and returns `Some(position after '{')`.
    fn string_body(
        &mut self,
        mut i: usize,
        q: u8,
        triple: bool,
        is_f: bool,
    ) -> Result<(usize, bool), CompileError> {
        let b = self.b;
        while i < b.len() {
            let c = b[i];
            if c == b'\\' {
                i += 2;
                continue;
            }
            if is_f && c == b'{' {
                if b.get(i + 1) == Some(&b'{') {
                    i += 2;
                    continue;
                }
                self.fstack.push((q, triple, self.depth));
                self.open(i)?;
                return Ok((i + 1, true));
            }
            if c == q {
                if !triple {
                    return Ok((i + 1, false));
                }
                if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                    return Ok((i + 3, false));
                }
            }
            if c == b'\n' && !triple {
                return Ok((i, false)); // unterminated: let the parser report it
            }
            i += 1;
        }
        Ok((i, false))
    }

    fn run(mut self) -> Result<(), CompileError> {
        let b = self.b;
        let mut at_line_start = true;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if at_line_start && self.depth == 0 {
                let st = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                at_line_start = false;
                if i < b.len() && b[i] != b'\n' && b[i] != b'#' && b[i] != b'\r' {
                    let w = i - st;
                    while self.indents.last().is_some_and(|&l| l > w) {
                        self.indents.pop();
                    }
                    if self.indents.last().is_some_and(|&l| l < w) {
                        self.indents.push(w);
                    }
                    if self.indents.len() as u32 > self.limits.max_nesting {
                        return Err(self.err(i, "statements nested too deeply"));
                    }
                }
                continue;
            }
            match c {
                b'#' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'\'' | b'"' => {
                    // string prefix letters just before the quote
                    let mut k = i;
                    while k > 0 && b[k - 1].is_ascii_alphabetic() && i - (k - 1) <= 2 {
                        k -= 1;
                    }
                    let prefix = &b[k..i];
                    let is_f = prefix.iter().any(|p| *p == b'f' || *p == b'F');
                    let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                    let start = if triple { i + 3 } else { i + 1 };
                    let (next, in_field) = self.string_body(start, c, triple, is_f)?;
                    i = next;
                    let _ = in_field;
                    continue;
                }
                b'(' | b'[' => self.open(i)?,
                b'{' => self.open(i)?,
                b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    // end of an f-string replacement field: resume the string
                    if let Some(&(q, triple, d)) = self.fstack.last() {
                        if self.depth == d {
                            self.fstack.pop();
                            let (next, _) = self.string_body(i + 1, q, triple, true)?;
                            i = next;
                            continue;
                        }
                    }
                }
                b')' | b']' => self.depth = self.depth.saturating_sub(1),
                b'\n' => {
                    if self.depth == 0 && !(i > 0 && b[i - 1] == b'\\') {
                        self.ops = 0;
                    }
                    at_line_start = true;
                }
                b'-' | b'+' | b'~' | b'*' => self.op(i)?,
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let st = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    if matches!(&b[st..i], b"not" | b"lambda" | b"if" | b"await") {
                        self.op(st)?;
                    }
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }
}

/// Parses and lowers a module (a code block).
pub fn lower_module(src: &str, limits: &Limits) -> Result<Vec<Stmt>, CompileError> {
    prescan(src, limits)?;
    let parsed = ruff_python_parser::parse_module(src)
        .map_err(|e| CompileError::at(src, e.location.start().to_usize(), e.error.to_string()))?;
    let mut l = Lowerer::new(src);
    l.stmts(&parsed.syntax().body)
}

/// Parses and lowers a single expression.
pub fn lower_expression(src: &str, limits: &Limits) -> Result<Expr, CompileError> {
    prescan(src, limits)?;
    let parsed = ruff_python_parser::parse_expression(src.trim())
        .map_err(|e| CompileError::at(src, e.location.start().to_usize(), e.error.to_string()))?;
    let mut l = Lowerer::new(src.trim());
    l.expr(&parsed.syntax().body)
}

struct Lowerer<'s> {
    src: &'s str,
    line_starts: Vec<usize>,
    names: HashMap<String, Name>,
    depth: u32,
    func_depth: u32,
    loop_depth: u32,
}

type LResult<T> = Result<T, CompileError>;

impl<'s> Lowerer<'s> {
    fn new(src: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lowerer {
            src,
            line_starts,
            names: HashMap::new(),
            depth: 0,
            func_depth: 0,
            loop_depth: 0,
        }
    }

    fn err(&self, node: &impl Ranged, msg: impl Into<String>) -> CompileError {
        CompileError::at(self.src, node.start().to_usize(), msg)
    }

    fn line(&self, node: &impl Ranged) -> u32 {
        let off = node.start().to_usize();
        let idx = self.line_starts.partition_point(|&s| s <= off);
        u32::try_from(idx).unwrap_or(u32::MAX)
    }

    fn name(&mut self, s: &str) -> Name {
        if let Some(n) = self.names.get(s) {
            return n.clone();
        }
        let n: Name = Arc::from(s);
        self.names.insert(s.to_string(), n.clone());
        n
    }

    /// A name that is called or imported: no dunder, and none of Python's builtins the
    /// sandbox leaves out (`eval(…)`, `open(…)` get a clear error).
    fn check_ident(&self, node: &impl Ranged, s: &str) -> LResult<()> {
        self.check_name(node, s)?;
        if FORBIDDEN_NAMES.contains(&s) {
            return Err(self.err(node, format!("'{s}' is not available in this sandbox")));
        }
        Ok(())
    }

    /// A name read, bound or used as an attribute: no dunder. The left-out builtins are
    /// undefined names here, so an interview may use them as its own variables and
    /// attributes (`breakpoint = "sm"`, `asset.property`), as Python lets it shadow them.
    fn check_name(&self, node: &impl Ranged, s: &str) -> LResult<()> {
        // a module's `__all__` (the names `from module import *` binds) is plain data; the
        // special methods a class may define and the names of a class are pyeval's own
        if s.starts_with("__") && !ALLOWED_DUNDERS.contains(&s) {
            return Err(self.err(
                node,
                format!("names starting with '__' are not allowed: {s}"),
            ));
        }
        Ok(())
    }

    fn enter(&mut self, node: &impl Ranged) -> LResult<()> {
        self.depth += 1;
        if self.depth > MAX_LOWER_DEPTH {
            return Err(self.err(node, "code nested too deeply"));
        }
        Ok(())
    }

    fn stmts(&mut self, body: &[ast::Stmt]) -> LResult<Vec<Stmt>> {
        body.iter().map(|s| self.stmt(s)).collect()
    }

    fn stmt(&mut self, s: &ast::Stmt) -> LResult<Stmt> {
        self.enter(s)?;
        let kind = self.stmt_kind(s)?;
        self.depth -= 1;
        Ok(Stmt {
            line: self.line(s),
            kind,
        })
    }

    fn stmt_kind(&mut self, s: &ast::Stmt) -> LResult<StmtKind> {
        use ast::Stmt as S;
        Ok(match s {
            S::Expr(e) => StmtKind::Expr(self.expr(&e.value)?),
            S::Assign(a) => {
                let targets = a
                    .targets
                    .iter()
                    .map(|t| self.target(t))
                    .collect::<LResult<Vec<_>>>()?;
                StmtKind::Assign(targets, self.expr(&a.value)?)
            }
            S::AugAssign(a) => {
                let t = self.target(&a.target)?;
                if matches!(t, Target::Tuple(_) | Target::Starred(_)) {
                    return Err(self.err(s, "illegal expression for augmented assignment"));
                }
                StmtKind::AugAssign(t, self.binop(s, a.op)?, self.expr(&a.value)?)
            }
            S::AnnAssign(a) => {
                let v = a.value.as_ref().map(|v| self.expr(v)).transpose()?;
                StmtKind::AnnAssign(self.target(&a.target)?, v)
            }
            S::If(i) => {
                let test = self.expr(&i.test)?;
                let body = self.stmts(&i.body)?;
                // elif/else chain, folded from the end
                let mut orelse: Vec<Stmt> = Vec::new();
                for clause in i.elif_else_clauses.iter().rev() {
                    let cbody = self.stmts(&clause.body)?;
                    orelse = match &clause.test {
                        None => cbody,
                        Some(t) => vec![Stmt {
                            line: self.line(clause),
                            kind: StmtKind::If(self.expr(t)?, cbody, orelse),
                        }],
                    };
                }
                StmtKind::If(test, body, orelse)
            }
            S::For(f) => {
                if f.is_async {
                    return Err(self.err(s, "async for is not supported"));
                }
                let target = self.target(&f.target)?;
                let iter = self.expr(&f.iter)?;
                self.loop_depth += 1;
                let body = self.stmts(&f.body)?;
                self.loop_depth -= 1;
                StmtKind::For(target, iter, body, self.stmts(&f.orelse)?)
            }
            S::While(w) => {
                let test = self.expr(&w.test)?;
                self.loop_depth += 1;
                let body = self.stmts(&w.body)?;
                self.loop_depth -= 1;
                StmtKind::While(test, body, self.stmts(&w.orelse)?)
            }
            S::Break(_) | S::Continue(_) => {
                if self.loop_depth == 0 {
                    return Err(self.err(s, "'break'/'continue' outside loop"));
                }
                if matches!(s, S::Break(_)) {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            S::Pass(_) => StmtKind::Pass,
            S::Return(r) => {
                if self.func_depth == 0 {
                    return Err(self.err(s, "'return' outside function"));
                }
                StmtKind::Return(r.value.as_ref().map(|v| self.expr(v)).transpose()?)
            }
            S::Delete(d) => StmtKind::Del(
                d.targets
                    .iter()
                    .map(|t| self.target(t))
                    .collect::<LResult<_>>()?,
            ),
            S::Raise(r) => {
                // `raise X from Y`: the cause is evaluated for errors but not kept
                if let Some(c) = &r.cause {
                    self.expr(c)?;
                }
                StmtKind::Raise(r.exc.as_ref().map(|v| self.expr(v)).transpose()?)
            }
            S::Assert(a) => StmtKind::Assert(
                self.expr(&a.test)?,
                a.msg.as_ref().map(|m| self.expr(m)).transpose()?,
            ),
            S::Try(t) => {
                if t.is_star {
                    return Err(self.err(s, "'except*' is not supported"));
                }
                let body = self.stmts(&t.body)?;
                let mut handlers = Vec::new();
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    let kind = h.type_.as_ref().map(|k| self.expr(k)).transpose()?;
                    let name = match &h.name {
                        Some(n) => {
                            self.check_name(n, n.id.as_str())?;
                            Some(self.name(n.id.as_str()))
                        }
                        None => None,
                    };
                    handlers.push(Handler {
                        kind,
                        name,
                        body: self.stmts(&h.body)?,
                    });
                }
                StmtKind::Try {
                    body,
                    handlers,
                    orelse: self.stmts(&t.orelse)?,
                    finally: self.stmts(&t.finalbody)?,
                }
            }
            S::FunctionDef(f) => {
                if f.is_async {
                    return Err(self.err(s, "async def is not supported"));
                }
                // `@property`, `@staticmethod` and `@classmethod` are markers of a class
                // body (the names are not values of this sandbox)
                let decorators = f
                    .decorator_list
                    .iter()
                    .map(|d| match &d.expression {
                        ast::Expr::Name(n)
                            if matches!(
                                n.id.as_str(),
                                "property" | "staticmethod" | "classmethod"
                            ) =>
                        {
                            Ok(Expr::Name(self.name(n.id.as_str())))
                        }
                        e => self.expr(e),
                    })
                    .collect::<LResult<Vec<_>>>()?;
                if f.type_params.is_some() {
                    return Err(self.err(s, "type parameters are not supported"));
                }
                self.check_name(&f.name, f.name.id.as_str())?;
                let name = self.name(f.name.id.as_str());
                let params = self.params(Some(&f.parameters))?;
                self.func_depth += 1;
                let saved_loop = std::mem::replace(&mut self.loop_depth, 0);
                let body = self.stmts(&f.body);
                self.loop_depth = saved_loop;
                self.func_depth -= 1;
                StmtKind::FuncDef(Arc::new(FuncDef {
                    name,
                    params,
                    body: body?,
                    decorators,
                }))
            }
            S::ClassDef(c) => {
                if !c.decorator_list.is_empty() {
                    return Err(self.err(s, "class decorators are not supported"));
                }
                if c.type_params.is_some() {
                    return Err(self.err(s, "type parameters are not supported"));
                }
                if self.func_depth > 0 {
                    return Err(self.err(s, "a class inside a function is not supported"));
                }
                self.check_name(&c.name, c.name.id.as_str())?;
                let name = self.name(c.name.id.as_str());
                let mut bases = Vec::new();
                if let Some(a) = &c.arguments {
                    if !a.keywords.is_empty() {
                        return Err(self.err(s, "class keywords (metaclass=…) are not supported"));
                    }
                    for b in a.args.iter() {
                        // `class A(object)` is `class A`
                        if matches!(b, ast::Expr::Name(n) if n.id.as_str() == "object") {
                            continue;
                        }
                        bases.push(self.expr(b)?);
                    }
                }
                for st in &c.body {
                    let ok = match st {
                        S::FunctionDef(_) | S::Pass(_) | S::Expr(_) => true,
                        S::Assign(a) => a.targets.iter().all(|t| t.is_name_expr()),
                        S::AnnAssign(a) => a.target.is_name_expr(),
                        _ => false,
                    };
                    if !ok {
                        return Err(self.err(
                            st,
                            "a class body may hold only def, assignments to names, docstrings and pass",
                        ));
                    }
                }
                let body = self.stmts(&c.body)?;
                StmtKind::ClassDef(Arc::new(ClassDef { name, bases, body }))
            }
            S::Import(i) => {
                let mut out = Vec::new();
                for a in &i.names {
                    let module = a.name.id.to_string();
                    let bind = match &a.asname {
                        Some(n) => n.id.to_string(),
                        None => module.split('.').next().unwrap_or("").to_string(),
                    };
                    self.check_ident(s, &bind)?;
                    out.push((module, self.name(&bind)));
                }
                StmtKind::Import(out)
            }
            S::ImportFrom(i) => {
                if i.level > 0 {
                    return Err(self.err(s, "relative imports are not supported"));
                }
                let module = i
                    .module
                    .as_ref()
                    .map(|m| m.id.to_string())
                    .unwrap_or_default();
                let mut names = Vec::new();
                for a in &i.names {
                    if a.name.id.as_str() == "*" {
                        continue;
                    }
                    let bind = a.asname.as_ref().unwrap_or(&a.name).id.to_string();
                    self.check_ident(s, a.name.id.as_str())?;
                    self.check_ident(s, &bind)?;
                    names.push((self.name(a.name.id.as_str()), self.name(&bind)));
                }
                StmtKind::ImportFrom(module, names)
            }
            S::With(w) => {
                // No object here is a context manager (there is no `open()`): `with a as b:`
                // runs as `b = a` and the body, in an always-true `if` to stay one statement.
                if w.is_async {
                    return Err(self.err(s, "async with is not supported"));
                }
                let line = self.line(s);
                let mut body = Vec::new();
                for item in &w.items {
                    let value = self.expr(&item.context_expr)?;
                    let kind = match &item.optional_vars {
                        Some(t) => StmtKind::Assign(vec![self.target(t)?], value),
                        None => StmtKind::Expr(value),
                    };
                    body.push(Stmt { line, kind });
                }
                body.extend(self.stmts(&w.body)?);
                StmtKind::If(Expr::Const(Const::Bool(true)), body, Vec::new())
            }
            S::Global(_) | S::Nonlocal(_) => {
                return Err(self.err(s, "'global'/'nonlocal' are not supported"));
            }
            S::Match(_) => return Err(self.err(s, "'match' is not supported")),
            S::TypeAlias(_) => return Err(self.err(s, "'type' aliases are not supported")),
            S::IpyEscapeCommand(_) => return Err(self.err(s, "invalid syntax")),
        })
    }

    fn params(&mut self, p: Option<&ast::Parameters>) -> LResult<Vec<Param>> {
        let mut out = Vec::new();
        let Some(p) = p else { return Ok(out) };
        let mut one =
            |this: &mut Self, pw: &ast::ParameterWithDefault, kind: ParamKind| -> LResult<()> {
                this.check_name(&pw.parameter.name, pw.parameter.name.id.as_str())?;
                let default = pw.default.as_ref().map(|d| this.expr(d)).transpose()?;
                let name = this.name(pw.parameter.name.id.as_str());
                out.push(Param {
                    name,
                    kind,
                    default,
                });
                Ok(())
            };
        for pw in p.posonlyargs.iter().chain(p.args.iter()) {
            one(self, pw, ParamKind::Normal)?;
        }
        if let Some(v) = &p.vararg {
            self.check_name(&v.name, v.name.id.as_str())?;
            out.push(Param {
                name: self.name(v.name.id.as_str()),
                kind: ParamKind::VarArgs,
                default: None,
            });
        }
        let mut kwonly = Vec::new();
        for pw in &p.kwonlyargs {
            self.check_name(&pw.parameter.name, pw.parameter.name.id.as_str())?;
            let default = pw.default.as_ref().map(|d| self.expr(d)).transpose()?;
            kwonly.push(Param {
                name: self.name(pw.parameter.name.id.as_str()),
                kind: ParamKind::KwOnly,
                default,
            });
        }
        out.extend(kwonly);
        if let Some(v) = &p.kwarg {
            self.check_name(&v.name, v.name.id.as_str())?;
            out.push(Param {
                name: self.name(v.name.id.as_str()),
                kind: ParamKind::VarKw,
                default: None,
            });
        }
        Ok(out)
    }

    fn target(&mut self, e: &ast::Expr) -> LResult<Target> {
        self.enter(e)?;
        let t = match e {
            ast::Expr::Name(n) => {
                self.check_name(n, n.id.as_str())?;
                Target::Name(self.name(n.id.as_str()))
            }
            ast::Expr::Attribute(a) => {
                self.check_name(&a.attr, a.attr.id.as_str())?;
                let attr = self.name(a.attr.id.as_str());
                Target::Attr(self.expr(&a.value)?, attr)
            }
            ast::Expr::Subscript(s) => {
                Target::Subscript(self.expr(&s.value)?, self.expr(&s.slice)?)
            }
            ast::Expr::Tuple(t) => Target::Tuple(
                t.elts
                    .iter()
                    .map(|x| self.target(x))
                    .collect::<LResult<_>>()?,
            ),
            ast::Expr::List(t) => Target::Tuple(
                t.elts
                    .iter()
                    .map(|x| self.target(x))
                    .collect::<LResult<_>>()?,
            ),
            ast::Expr::Starred(s) => Target::Starred(Box::new(self.target(&s.value)?)),
            _ => return Err(self.err(e, "cannot assign to this expression")),
        };
        self.depth -= 1;
        Ok(t)
    }

    fn binop(&self, node: &impl Ranged, op: ast::Operator) -> LResult<BinOp> {
        use ast::Operator as O;
        Ok(match op {
            O::Add => BinOp::Add,
            O::Sub => BinOp::Sub,
            O::Mult => BinOp::Mul,
            O::Div => BinOp::Div,
            O::FloorDiv => BinOp::FloorDiv,
            O::Mod => BinOp::Mod,
            O::Pow => BinOp::Pow,
            O::LShift => BinOp::LShift,
            O::RShift => BinOp::RShift,
            O::BitAnd => BinOp::BitAnd,
            O::BitOr => BinOp::BitOr,
            O::BitXor => BinOp::BitXor,
            O::MatMult => return Err(self.err(node, "the '@' operator is not supported")),
        })
    }

    fn exprs(&mut self, es: &[ast::Expr]) -> LResult<Vec<Expr>> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn opt(&mut self, e: Option<&ast::Expr>) -> LResult<Option<Box<Expr>>> {
        Ok(match e {
            Some(e) => Some(Box::new(self.expr(e)?)),
            None => None,
        })
    }

    fn expr(&mut self, e: &ast::Expr) -> LResult<Expr> {
        self.enter(e)?;
        let r = self.expr_inner(e)?;
        self.depth -= 1;
        Ok(r)
    }

    fn expr_inner(&mut self, e: &ast::Expr) -> LResult<Expr> {
        use ast::Expr as E;
        // hot, small arms here; everything else in `expr_other` (keeps this frame small, since
        // nesting recurses through it)
        Ok(match e {
            E::BinOp(b)
                if b.op != ast::Operator::Pow
                    && matches!(&*b.left, E::BinOp(l) if l.op != ast::Operator::Pow) =>
            {
                return self.bin_chain(e);
            }
            E::BinOp(b) => {
                let op = self.binop(e, b.op)?;
                let l = self.expr(&b.left)?;
                let r = self.expr(&b.right)?;
                Expr::BinOp(op, Box::new(l), Box::new(r))
            }
            E::Name(n) => {
                self.check_name(n, n.id.as_str())?;
                Expr::Name(self.name(n.id.as_str()))
            }
            E::Attribute(a) => {
                self.check_name(&a.attr, a.attr.id.as_str())?;
                let attr = self.name(a.attr.id.as_str());
                Expr::Attr(Box::new(self.expr(&a.value)?), attr)
            }
            _ => return self.expr_other(e),
        })
    }

    /// Flattens a left-deep chain of left-associative binary operators (`a + b + c …`), which
    /// would otherwise nest one level per operand.
    #[inline(never)]
    fn bin_chain(&mut self, e: &ast::Expr) -> LResult<Expr> {
        let mut rest = Vec::new();
        let mut cur = e;
        while let ast::Expr::BinOp(b) = cur {
            if b.op == ast::Operator::Pow {
                break;
            }
            rest.push((self.binop(cur, b.op)?, &*b.right));
            cur = &b.left;
        }
        let first = self.expr(cur)?;
        let mut ops = Vec::with_capacity(rest.len());
        for (op, r) in rest.into_iter().rev() {
            ops.push((op, self.expr(r)?));
        }
        Ok(Expr::BinChain(Box::new(first), ops))
    }

    #[inline(never)]
    fn expr_other(&mut self, e: &ast::Expr) -> LResult<Expr> {
        use ast::Expr as E;
        Ok(match e {
            E::BoolOp(b) => Expr::BoolOp(matches!(b.op, ast::BoolOp::And), self.exprs(&b.values)?),
            E::Named(n) => {
                let ast::Expr::Name(name) = &*n.target else {
                    return Err(self.err(e, "walrus target must be a name"));
                };
                self.check_name(name, name.id.as_str())?;
                Expr::Named(self.name(name.id.as_str()), Box::new(self.expr(&n.value)?))
            }
            E::BinOp(b) => Expr::BinOp(
                self.binop(e, b.op)?,
                Box::new(self.expr(&b.left)?),
                Box::new(self.expr(&b.right)?),
            ),
            E::UnaryOp(u) => self.unary_expr(e, u)?,
            E::Lambda(l) => self.lambda_expr(e, l)?,
            E::If(i) => Expr::IfExp(
                Box::new(self.expr(&i.test)?),
                Box::new(self.expr(&i.body)?),
                Box::new(self.expr(&i.orelse)?),
            ),
            E::Dict(d) => self.dict_expr(e, d)?,
            E::Set(s) => Expr::Set(self.exprs(&s.elts)?),
            E::List(l) => Expr::List(self.exprs(&l.elts)?),
            E::Tuple(t) => Expr::Tuple(self.exprs(&t.elts)?),
            E::ListComp(c) => self.comp(CompKind::List, &c.elt, None, &c.generators)?,
            E::SetComp(c) => self.comp(CompKind::Set, &c.elt, None, &c.generators)?,
            E::Generator(c) => self.comp(CompKind::Gen, &c.elt, None, &c.generators)?,
            E::DictComp(c) => match &c.key {
                Some(k) => self.comp(CompKind::Dict, k, Some(&c.value), &c.generators)?,
                None => {
                    return Err(self.err(e, "dict unpacking cannot be used in dict comprehension"));
                }
            },
            E::Compare(c) => self.compare_expr(e, c)?,
            E::Call(c) => self.call_expr(c)?,
            E::FString(f) => self.fstring_expr(f)?,
            E::StringLiteral(s) => Expr::Const(Const::Str(Arc::from(s.value.to_str()))),
            E::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => match i.as_i64() {
                    Some(v) => Expr::Const(Const::Int(v)),
                    None => {
                        return Err(
                            self.err(e, "integer literal too large (pyeval integers are 64-bit)")
                        );
                    }
                },
                ast::Number::Float(f) => Expr::Const(Const::Float(*f)),
                ast::Number::Complex { .. } => {
                    return Err(self.err(e, "complex numbers are not supported"));
                }
            },
            E::BooleanLiteral(b) => Expr::Const(Const::Bool(b.value)),
            E::NoneLiteral(_) => Expr::Const(Const::None),
            E::Attribute(a) => {
                self.check_name(&a.attr, a.attr.id.as_str())?;
                let attr = self.name(a.attr.id.as_str());
                Expr::Attr(Box::new(self.expr(&a.value)?), attr)
            }
            E::Subscript(s) => Expr::Subscript(
                Box::new(self.expr(&s.value)?),
                Box::new(self.expr(&s.slice)?),
            ),
            E::Slice(s) => Expr::Slice(
                self.opt(s.lower.as_deref())?,
                self.opt(s.upper.as_deref())?,
                self.opt(s.step.as_deref())?,
            ),
            E::Starred(s) => Expr::Starred(Box::new(self.expr(&s.value)?)),
            E::Name(n) => {
                self.check_name(n, n.id.as_str())?;
                Expr::Name(self.name(n.id.as_str()))
            }
            E::BytesLiteral(_) => return Err(self.err(e, "bytes literals are not supported")),
            E::EllipsisLiteral(_) => return Err(self.err(e, "'...' is not supported")),
            E::Await(_) => return Err(self.err(e, "'await' is not supported")),
            E::Yield(_) | E::YieldFrom(_) => return Err(self.err(e, "'yield' is not supported")),
            E::TString(_) => return Err(self.err(e, "template strings are not supported")),
            E::IpyEscapeCommand(_) => return Err(self.err(e, "invalid syntax")),
        })
    }

    #[inline(never)]
    fn call_expr(&mut self, c: &ast::ExprCall) -> LResult<Expr> {
        use ast::Expr as E;
        Ok({
            if let E::Name(n) = &*c.func {
                self.check_ident(n, n.id.as_str())?;
            }
            let func = self.expr(&c.func)?;
            let mut args = Vec::with_capacity(c.arguments.args.len() + c.arguments.keywords.len());
            for a in c.arguments.args.iter() {
                args.push(match a {
                    E::Starred(s) => Arg::Star(self.expr(&s.value)?),
                    a => Arg::Pos(self.expr(a)?),
                });
            }
            for k in &c.arguments.keywords {
                let v = self.expr(&k.value)?;
                args.push(match &k.arg {
                    Some(name) => {
                        self.check_name(name, name.id.as_str())?;
                        Arg::Kw(self.name(name.id.as_str()), v)
                    }
                    None => Arg::StarStar(v),
                });
            }
            Expr::Call(Box::new(func), args)
        })
    }

    #[inline(never)]
    fn fstring_expr(&mut self, f: &ast::ExprFString) -> LResult<Expr> {
        Ok({
            let mut parts = Vec::new();
            for part in f.value.iter() {
                match part {
                    ast::FStringPart::Literal(l) => push_lit(&mut parts, &l.value),
                    ast::FStringPart::FString(fs) => self.fparts(&fs.elements, &mut parts)?,
                }
            }
            Expr::FString(parts)
        })
    }

    #[inline(never)]
    fn unary_expr(&mut self, e: &ast::Expr, u: &ast::ExprUnaryOp) -> LResult<Expr> {
        use ast::Expr as E;
        let _ = e;
        Ok({
            let op = match u.op {
                ast::UnaryOp::Not => UnOp::Not,
                ast::UnaryOp::USub => UnOp::Neg,
                ast::UnaryOp::UAdd => UnOp::Pos,
                ast::UnaryOp::Invert => UnOp::Invert,
            };
            // fold negative literals so `-9223372036854775808` works
            if let (UnOp::Neg, E::NumberLiteral(n)) = (op, &*u.operand)
                && let ast::Number::Int(i) = &n.value
                && i.as_u64() == Some(1u64 << 63)
            {
                return Ok(Expr::Const(Const::Int(i64::MIN)));
            }
            Expr::Unary(op, Box::new(self.expr(&u.operand)?))
        })
    }

    #[inline(never)]
    fn lambda_expr(&mut self, e: &ast::Expr, l: &ast::ExprLambda) -> LResult<Expr> {
        let _ = e;
        Ok({
            let params = self.params(l.parameters.as_deref())?;
            self.func_depth += 1;
            let body = self.expr(&l.body);
            self.func_depth -= 1;
            let body = body?;
            Expr::Lambda(Arc::new(FuncDef {
                name: self.name("<lambda>"),
                params,
                body: vec![Stmt {
                    line: self.line(e),
                    kind: StmtKind::Return(Some(body)),
                }],
                decorators: Vec::new(),
            }))
        })
    }

    #[inline(never)]
    fn dict_expr(&mut self, e: &ast::Expr, d: &ast::ExprDict) -> LResult<Expr> {
        let _ = e;
        Ok({
            let mut items = Vec::with_capacity(d.items.len());
            for it in &d.items {
                let k = it.key.as_ref().map(|k| self.expr(k)).transpose()?;
                items.push((k, self.expr(&it.value)?));
            }
            Expr::Dict(items)
        })
    }

    #[inline(never)]
    fn compare_expr(&mut self, e: &ast::Expr, c: &ast::ExprCompare) -> LResult<Expr> {
        let _ = e;
        Ok({
            let left = self.expr(&c.left)?;
            let mut rest = Vec::with_capacity(c.ops.len());
            for (op, r) in c.ops.iter().zip(c.comparators.iter()) {
                let op = match op {
                    ast::CmpOp::Eq => CmpOp::Eq,
                    ast::CmpOp::NotEq => CmpOp::NotEq,
                    ast::CmpOp::Lt => CmpOp::Lt,
                    ast::CmpOp::LtE => CmpOp::LtE,
                    ast::CmpOp::Gt => CmpOp::Gt,
                    ast::CmpOp::GtE => CmpOp::GtE,
                    ast::CmpOp::Is => CmpOp::Is,
                    ast::CmpOp::IsNot => CmpOp::IsNot,
                    ast::CmpOp::In => CmpOp::In,
                    ast::CmpOp::NotIn => CmpOp::NotIn,
                };
                rest.push((op, self.expr(r)?));
            }
            Expr::Compare(Box::new(left), rest)
        })
    }

    fn comp(
        &mut self,
        kind: CompKind,
        elt: &ast::Expr,
        value: Option<&ast::Expr>,
        gens: &[ast::Comprehension],
    ) -> LResult<Expr> {
        let mut out = Vec::with_capacity(gens.len());
        for g in gens {
            if g.is_async {
                return Err(self.err(g, "async comprehensions are not supported"));
            }
            out.push(CompFor {
                target: self.target(&g.target)?,
                iter: self.expr(&g.iter)?,
                ifs: self.exprs(&g.ifs)?,
            });
        }
        let elt = self.expr(elt)?;
        let value = value.map(|v| self.expr(v)).transpose()?;
        Ok(Expr::Comp(Box::new(Comp {
            kind,
            elt,
            value,
            gens: out,
        })))
    }

    fn fparts(
        &mut self,
        elements: &ast::InterpolatedStringElements,
        parts: &mut Vec<FPart>,
    ) -> LResult<()> {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => push_lit(parts, &l.value),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let expr = Box::new(self.expr(&i.expression)?);
                    let conv = i.conversion.to_char();
                    let spec = match &i.format_spec {
                        Some(s) => {
                            let mut sp = Vec::new();
                            self.fparts(&s.elements, &mut sp)?;
                            Some(sp)
                        }
                        None => None,
                    };
                    let debug = i.debug_text.as_ref().map(|d| {
                        let src = &self.src[i.expression.range()];
                        Arc::from(format!("{}{}{}", d.leading(), src, d.trailing()))
                    });
                    // `{x=}` defaults to repr unless a spec or conversion is given
                    let conv = if debug.is_some() && conv.is_none() && spec.is_none() {
                        Some('r')
                    } else {
                        conv
                    };
                    parts.push(FPart::Expr {
                        expr,
                        conv,
                        spec,
                        debug,
                    });
                }
            }
        }
        Ok(())
    }
}

fn push_lit(parts: &mut Vec<FPart>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(FPart::Lit(prev)) = parts.last_mut() {
        *prev = Arc::from(format!("{prev}{s}"));
        return;
    }
    parts.push(FPart::Lit(Arc::from(s)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> CompileError {
        lower_module(src, &Limits::default()).unwrap_err()
    }

    #[test]
    fn rejects_unsafe_syntax() {
        // `import` compiles (the host decides when it runs); its names stay checked.
        assert!(err("import os as __os").message.contains("__"));
        assert!(err("from . import x").message.contains("relative"));
        // a class body holds definitions only; no class decorators, metaclasses or classes
        // inside functions
        let body = err("x = 1\nclass A:\n    for i in x: pass");
        assert!(body.message.contains("class body"), "{}", body.message);
        assert_eq!(body.line, 3);
        assert!(err("@d\nclass A: pass").message.contains("decorators"));
        assert!(
            err("class A(metaclass=M): pass")
                .message
                .contains("metaclass")
        );
        assert!(
            err("def f():\n    class A: pass")
                .message
                .contains("inside a function")
        );
        assert!(
            err("class A:\n    def __getattr__(self, n): pass")
                .message
                .contains("__")
        );
        assert!(
            err("class A:\n    def f(self):\n        return self.__dict__")
                .message
                .contains("__")
        );
        assert!(
            err("async def f():\n  async with f: pass")
                .message
                .contains("async")
        );
        assert!(err("x.__dict__").message.contains("__"));
        assert!(err("x.__class__.__bases__").message.contains("__bases__"));
        assert!(err("x.__class__.__subclasses__()").message.contains("__"));
        assert!(err("eval('1')").message.contains("eval"));
        assert!(err("y = getattr(x, 'a')").message.contains("getattr"));
        assert!(err("breakpoint()").message.contains("breakpoint"));
        assert!(err("from os import open").message.contains("open"));
    }

    #[test]
    fn left_out_builtins_may_be_an_interviews_own_names() {
        // Python lets code shadow them; here they are undefined until the interview binds them.
        let lim = Limits::default();
        for src in [
            "breakpoint = 'sm'\nwidth = breakpoint",
            "asset.property = 'house'\ny = asset.property",
            "def input(x):\n    return x\n",
            "obj.delattr('x')",
            "f(object=1, vars=2)",
        ] {
            assert!(lower_module(src, &lim).is_ok(), "{src}");
        }
        assert!(err("global x").message.contains("global"));
        assert!(err("return 1").message.contains("return"));
        assert!(err("async def f(): pass").message.contains("async"));
        assert!(err("x = (").line >= 1);
    }

    #[test]
    fn prescan_skips_strings_and_comments() {
        let lim = Limits::default();
        let dashes = format!("x = '{}'\ny = \"{}\"", "-".repeat(5000), "(".repeat(500));
        assert!(lower_module(&dashes, &lim).is_ok());
        let table = format!("t = '''\n{}\n'''", "|---|---|\n".repeat(500));
        assert!(lower_module(&table, &lim).is_ok());
        let comment = format!("x = 1  # {}", "((((-".repeat(300));
        assert!(lower_module(&comment, &lim).is_ok());
        let entries: Vec<String> = (0..1500).map(|i| format!("'k{i}': {i}")).collect();
        let big_dict = format!("d = {{{}}}", entries.join(", "));
        assert!(lower_module(&big_dict, &lim).is_ok());
        let fstr = "x = f\"{a:>{w}} {d['k']!r} {{literal}} {f'{b}'}\"";
        assert!(lower_module(fstr, &lim).is_ok());
        let deep_f = format!("x = {}1{}", "f\"{".repeat(100), "}\"".repeat(100));
        assert!(lower_module(&deep_f, &lim).is_err());
        let elif_str = "if a:\n    pass\nelif'{':\n    pass";
        assert!(lower_module(elif_str, &lim).is_ok());
    }

    #[test]
    fn depth_caps() {
        let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(err(&deep).message.contains("deeply"));
        let long = format!("x = {}1", "-".repeat(100_000));
        assert!(lower_module(&long, &Limits::default()).is_err());
        // left-associative chains are flattened, so long concatenations are fine
        let chain = format!("x = 1{}", " + 1 - 2 * 3".repeat(150));
        assert!(lower_module(&chain, &Limits::default()).is_ok());
        let nots = format!("x = {}1", "not ".repeat(300));
        assert!(lower_module(&nots, &Limits::default()).is_err());
        let pows = format!("x = 1{}", " ** 1".repeat(250));
        assert!(lower_module(&pows, &Limits::default()).is_err());
    }
}
