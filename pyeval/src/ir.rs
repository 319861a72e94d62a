//! The evaluator's own intermediate representation. Produced once by [`crate::lower`] (from ruff's
//! AST), serde-able so that the browser build can evaluate IR received as JSON.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::path::{Name, PathPattern};

/// A literal constant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Const {
    /// `None`
    None,
    /// `True` / `False`
    Bool(bool),
    /// An integer literal (64-bit).
    Int(i64),
    /// A float literal.
    Float(#[serde(with = "crate::value::f64_serde")] f64),
    /// A string literal.
    Str(Arc<str>),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
}

impl BinOp {
    /// The operator's source text.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnOp {
    /// `not x`
    Not,
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `~x`
    Invert,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    LtE,
    /// `>`
    Gt,
    /// `>=`
    GtE,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `is`
    Is,
    /// `is not`
    IsNot,
}

impl CmpOp {
    /// The operator's source text.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

/// A call argument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Arg {
    /// `f(x)`
    Pos(Expr),
    /// `f(*xs)`
    Star(Expr),
    /// `f(k=x)`
    Kw(Name, Expr),
    /// `f(**d)`
    StarStar(Expr),
}

/// One piece of an f-string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FPart {
    /// Literal text.
    Lit(Arc<str>),
    /// `{expr!conv:spec}`; `debug` is the `expr=` prefix text for `{x=}`.
    Expr {
        /// The interpolated expression.
        expr: Box<Expr>,
        /// `s`, `r` or `a`.
        conv: Option<char>,
        /// The format spec, itself possibly interpolated.
        spec: Option<Vec<FPart>>,
        /// Text to emit before the value for `{x=}`.
        debug: Option<Arc<str>>,
    },
}

/// Kinds of comprehension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompKind {
    /// `[x for …]`
    List,
    /// `{x for …}`
    Set,
    /// `{k: v for …}`
    Dict,
    /// `(x for …)`, evaluated eagerly into an iterator.
    Gen,
}

/// One `for … in … if …` clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompFor {
    /// Loop target.
    pub target: Target,
    /// Iterable.
    pub iter: Expr,
    /// Filters.
    pub ifs: Vec<Expr>,
}

/// A comprehension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comp {
    /// Which kind.
    pub kind: CompKind,
    /// Element (the key, for dict comprehensions).
    pub elt: Expr,
    /// The value, for dict comprehensions.
    pub value: Option<Expr>,
    /// The clauses, outermost first.
    pub gens: Vec<CompFor>,
}

/// Parameter kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamKind {
    /// Positional or keyword.
    Normal,
    /// `*args`
    VarArgs,
    /// Keyword-only (after `*`).
    KwOnly,
    /// `**kwargs`
    VarKw,
}

/// A function parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Its name.
    pub name: Name,
    /// Its kind.
    pub kind: ParamKind,
    /// Default value expression, evaluated when the function is defined.
    pub default: Option<Expr>,
}

/// A `def` or `lambda`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuncDef {
    /// Function name (`<lambda>` for lambdas).
    pub name: Name,
    /// Parameters in order.
    pub params: Vec<Param>,
    /// Body statements (a lambda body is a single `return`).
    pub body: Vec<Stmt>,
    /// Decorators, outermost first (`@property` …); empty for lambdas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decorators: Vec<Expr>,
}

/// A `class` statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassDef {
    /// The class name.
    pub name: Name,
    /// The base class expressions, in order.
    pub bases: Vec<Expr>,
    /// The body: `def`s, assignments to names, docstrings and `pass`.
    pub body: Vec<Stmt>,
}

/// An expression node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// A literal.
    Const(Const),
    /// A variable.
    Name(Name),
    /// `obj.attr`
    Attr(Box<Expr>, Name),
    /// `obj[index]`
    Subscript(Box<Expr>, Box<Expr>),
    /// `lo:hi:step` inside a subscript.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `(a, b)`
    Tuple(Vec<Expr>),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `{a, b}`
    Set(Vec<Expr>),
    /// `{k: v, **d}` (a `None` key is a `**` spread).
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `*x` inside a list/tuple/set display.
    Starred(Box<Expr>),
    /// `a + b` …
    BinOp(BinOp, Box<Expr>, Box<Expr>),
    /// A flattened left-associative chain `a + b - c * …` at one level: `first`, then each
    /// `(op, operand)` folded left to right (same semantics as nested `BinOp`s, bounded depth).
    BinChain(Box<Expr>, Vec<(BinOp, Expr)>),
    /// `not a`, `-a` …
    Unary(UnOp, Box<Expr>),
    /// `a and b and c` (`true` = and).
    BoolOp(bool, Vec<Expr>),
    /// `a < b <= c`
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    /// `a if cond else b`: (cond, a, b).
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `f(args)`
    Call(Box<Expr>, Vec<Arg>),
    /// An f-string.
    FString(Vec<FPart>),
    /// A comprehension or generator expression.
    Comp(Box<Comp>),
    /// `lambda params: body`
    Lambda(Arc<FuncDef>),
    /// `name := value`
    Named(Name, Box<Expr>),
}

/// An assignment target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// `x = …`
    Name(Name),
    /// `obj.attr = …`
    Attr(Expr, Name),
    /// `obj[i] = …`
    Subscript(Expr, Expr),
    /// `a, b = …` / `[a, b] = …`
    Tuple(Vec<Target>),
    /// `*rest` inside a tuple target.
    Starred(Box<Target>),
}

/// An `except` clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handler {
    /// The class (or tuple of classes) to match; `None` for a bare `except:`.
    pub kind: Option<Expr>,
    /// The `as name` binding.
    pub name: Option<Name>,
    /// The handler body.
    pub body: Vec<Stmt>,
}

/// A statement with its source line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stmt {
    /// 1-based source line (for error messages).
    pub line: u32,
    /// What it does.
    pub kind: StmtKind,
}

/// Statement kinds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StmtKind {
    /// An expression statement.
    Expr(Expr),
    /// `a = b = value`
    Assign(Vec<Target>, Expr),
    /// `a += value`
    AugAssign(Target, BinOp, Expr),
    /// `a: T = value` (annotation dropped)
    AnnAssign(Target, Option<Expr>),
    /// `if`/`elif`/`else`
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for target in iter: body else: orelse`
    For(Target, Expr, Vec<Stmt>, Vec<Stmt>),
    /// `while cond: body else: orelse`
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `pass`
    Pass,
    /// `return value`
    Return(Option<Expr>),
    /// `del a, b.c, d[0]`
    Del(Vec<Target>),
    /// `raise exc` (`None` re-raises)
    Raise(Option<Expr>),
    /// `assert cond, msg`
    Assert(Expr, Option<Expr>),
    /// `try/except/else/finally`
    Try {
        /// The protected body.
        body: Vec<Stmt>,
        /// Handlers in order.
        handlers: Vec<Handler>,
        /// Runs when the body raised nothing.
        orelse: Vec<Stmt>,
        /// Always runs.
        finally: Vec<Stmt>,
    },
    /// `def`
    FuncDef(Arc<FuncDef>),
    /// `class`
    ClassDef(Arc<ClassDef>),
    /// `import m` / `import m as n`: (module, name bound). The host provides modules
    /// ([`crate::Host::lookup_global`]); any other is `ModuleNotFoundError` when run.
    Import(Vec<(String, Name)>),
    /// `from m import a, b as c` (`*` is an empty list): names come from the host when `m` is
    /// one of docassemble's modules (whose names are the host's globals); any other module is
    /// `ModuleNotFoundError` when run.
    ImportFrom(String, Vec<(Name, Name)>),
}

/// A compiled code block with its static facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// The statements.
    pub body: Vec<Stmt>,
    /// Every assignment target anywhere in the code, normalised (`a.b[i]['k']`), deduplicated, in
    /// source order. The engine's index of which block can define which variable.
    pub assigns: Vec<PathPattern>,
    /// Variable paths the code reads (maximal attribute/subscript chains rooted at a free name).
    pub reads: Vec<PathPattern>,
}
