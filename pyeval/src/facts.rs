//! Static facts computed from IR: which variables a block assigns (`assigns`) and reads
//! (`reads`), normalised to docassemble's `a.b[i]['k']` form.

use crate::ir::{Arg, Block, Comp, Expr, FPart, FuncDef, Stmt, StmtKind, Target};
use crate::path::{Name, PatSeg, PathPattern};

fn push_unique(v: &mut Vec<PathPattern>, p: PathPattern) {
    if !v.contains(&p) {
        v.push(p);
    }
}

/// The pattern of a simple chain expression (`a.b[i]['k']`), if it is one.
pub fn chain_pattern(e: &Expr) -> Option<PathPattern> {
    match e {
        Expr::Name(n) => Some(PathPattern {
            root: n.clone(),
            segs: Vec::new(),
        }),
        Expr::Attr(obj, a) => {
            let mut p = chain_pattern(obj)?;
            p.segs.push(PatSeg::Attr(a.clone()));
            Some(p)
        }
        Expr::Subscript(obj, idx) => {
            let mut p = chain_pattern(obj)?;
            p.segs.push(index_seg(idx)?);
            Some(p)
        }
        _ => None,
    }
}

fn index_seg(idx: &Expr) -> Option<PatSeg> {
    match idx {
        Expr::Const(crate::ir::Const::Int(i)) => Some(PatSeg::Index(*i)),
        Expr::Const(crate::ir::Const::Str(s)) => Some(PatSeg::Key(s.clone())),
        Expr::Name(n) => Some(PatSeg::Var(n.clone())),
        Expr::Unary(crate::ir::UnOp::Neg, inner) => match &**inner {
            Expr::Const(crate::ir::Const::Int(i)) => Some(PatSeg::Index(i.checked_neg()?)),
            _ => None,
        },
        _ => None,
    }
}

fn target_patterns(t: &Target, out: &mut Vec<PathPattern>) {
    match t {
        Target::Name(n) => push_unique(
            out,
            PathPattern {
                root: n.clone(),
                segs: Vec::new(),
            },
        ),
        Target::Attr(obj, a) => {
            if let Some(mut p) = chain_pattern(obj) {
                p.segs.push(PatSeg::Attr(a.clone()));
                push_unique(out, p);
            }
        }
        Target::Subscript(obj, idx) => {
            if let (Some(mut p), Some(seg)) = (chain_pattern(obj), index_seg(idx)) {
                p.segs.push(seg);
                push_unique(out, p);
            }
        }
        Target::Tuple(ts) => ts.iter().for_each(|t| target_patterns(t, out)),
        Target::Starred(t) => target_patterns(t, out),
    }
}

struct Walker {
    assigns: Vec<PathPattern>,
    reads: Vec<PathPattern>,
    locals: Vec<Name>,
}

impl Walker {
    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign(ts, v) => {
                self.expr(v);
                for t in ts {
                    self.target(t);
                }
            }
            StmtKind::AugAssign(t, _, v) => {
                self.expr(v);
                self.target(t);
                if let Some(p) = target_read(t) {
                    self.read(p);
                }
            }
            StmtKind::AnnAssign(t, v) => {
                if let Some(v) = v {
                    self.expr(v);
                    self.target(t);
                }
            }
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.expr(c);
                self.stmts(a);
                self.stmts(b);
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(it);
                self.target(t);
                self.stmts(a);
                self.stmts(b);
            }
            StmtKind::Return(Some(e)) | StmtKind::Raise(Some(e)) => self.expr(e),
            StmtKind::Assert(c, m) => {
                self.expr(c);
                if let Some(m) = m {
                    self.expr(m);
                }
            }
            StmtKind::Del(ts) => {
                for t in ts {
                    if let Some(p) = target_read(t) {
                        self.read(p);
                    }
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                self.stmts(body);
                for h in handlers {
                    if let Some(k) = &h.kind {
                        self.expr(k);
                    }
                    if let Some(n) = &h.name {
                        push_unique(
                            &mut self.assigns,
                            PathPattern {
                                root: n.clone(),
                                segs: Vec::new(),
                            },
                        );
                    }
                    self.stmts(&h.body);
                }
                self.stmts(orelse);
                self.stmts(finally);
            }
            StmtKind::FuncDef(f) => {
                push_unique(
                    &mut self.assigns,
                    PathPattern {
                        root: f.name.clone(),
                        segs: Vec::new(),
                    },
                );
                self.func(f);
            }
            StmtKind::ClassDef(c) => {
                push_unique(
                    &mut self.assigns,
                    PathPattern {
                        root: c.name.clone(),
                        segs: Vec::new(),
                    },
                );
                for b in &c.bases {
                    self.expr(b);
                }
                for st in &c.body {
                    if let StmtKind::FuncDef(f) = &st.kind {
                        self.func(f);
                    }
                }
            }
            StmtKind::Import(binds) => {
                for (_, bind) in binds {
                    self.bound(bind);
                }
            }
            StmtKind::ImportFrom(_, binds) => {
                for (_, bind) in binds {
                    self.bound(bind);
                }
            }
            StmtKind::Return(None)
            | StmtKind::Raise(None)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass => {}
        }
    }

    /// A name an `import` binds.
    fn bound(&mut self, n: &Name) {
        push_unique(
            &mut self.assigns,
            PathPattern {
                root: n.clone(),
                segs: Vec::new(),
            },
        );
    }

    fn func(&mut self, f: &FuncDef) {
        let mark = self.locals.len();
        for p in &f.params {
            if let Some(d) = &p.default {
                self.expr(d);
            }
            self.locals.push(p.name.clone());
        }
        self.stmts(&f.body);
        self.locals.truncate(mark);
    }

    fn target(&mut self, t: &Target) {
        target_patterns(t, &mut self.assigns);
        match t {
            Target::Attr(obj, _) => self.expr(obj),
            Target::Subscript(obj, idx) => {
                self.expr(obj);
                self.expr(idx);
            }
            Target::Tuple(ts) => ts.iter().for_each(|t| self.target(t)),
            Target::Starred(t) => self.target(t),
            Target::Name(_) => {}
        }
    }

    fn read(&mut self, p: PathPattern) {
        if self.locals.contains(&p.root) || crate::builtins::lookup(&p.root).is_some() {
            return;
        }
        push_unique(&mut self.reads, p);
    }

    fn expr(&mut self, e: &Expr) {
        if let Some(p) = chain_pattern(e) {
            // index variables are read too
            for s in &p.segs {
                if let PatSeg::Var(v) = s {
                    self.read(PathPattern {
                        root: v.clone(),
                        segs: Vec::new(),
                    });
                }
            }
            self.read(p);
            return;
        }
        match e {
            Expr::Const(_) | Expr::Name(_) => {}
            Expr::Attr(obj, _) => self.expr(obj),
            Expr::Subscript(obj, idx) => {
                self.expr(obj);
                self.expr(idx);
            }
            Expr::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x);
                }
            }
            Expr::Tuple(xs) | Expr::List(xs) | Expr::Set(xs) | Expr::BoolOp(_, xs) => {
                xs.iter().for_each(|x| self.expr(x))
            }
            Expr::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            Expr::Starred(x) | Expr::Unary(_, x) => self.expr(x),
            Expr::BinChain(a, rest) => {
                self.expr(a);
                rest.iter().for_each(|(_, x)| self.expr(x));
            }
            Expr::BinOp(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Compare(a, rest) => {
                self.expr(a);
                rest.iter().for_each(|(_, x)| self.expr(x));
            }
            Expr::IfExp(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            Expr::Call(f, args) => {
                // define('var', value) registers var as assigned (as docassemble's scan does)
                if let (Expr::Name(n), Some(Arg::Pos(Expr::Const(crate::ir::Const::Str(s))))) =
                    (&**f, args.first())
                {
                    if &**n == "define" {
                        if let Ok(p) = PathPattern::parse(s) {
                            push_unique(&mut self.assigns, p);
                        }
                    }
                }
                match &**f {
                    Expr::Name(_) => {}
                    Expr::Attr(obj, _) => self.expr(obj),
                    other => self.expr(other),
                }
                for a in args {
                    match a {
                        Arg::Pos(x) | Arg::Star(x) | Arg::Kw(_, x) | Arg::StarStar(x) => {
                            self.expr(x)
                        }
                    }
                }
            }
            Expr::FString(parts) => self.fparts(parts),
            Expr::Comp(c) => self.comp(c),
            Expr::Lambda(f) => self.func(f),
            Expr::Named(n, v) => {
                self.expr(v);
                push_unique(
                    &mut self.assigns,
                    PathPattern {
                        root: n.clone(),
                        segs: Vec::new(),
                    },
                );
            }
        }
    }

    fn fparts(&mut self, parts: &[FPart]) {
        for p in parts {
            if let FPart::Expr { expr, spec, .. } = p {
                self.expr(expr);
                if let Some(s) = spec {
                    self.fparts(s);
                }
            }
        }
    }

    fn comp(&mut self, c: &Comp) {
        let mark = self.locals.len();
        for g in &c.gens {
            self.expr(&g.iter);
            let mut names = Vec::new();
            bound_names(&g.target, &mut names);
            self.locals.extend(names);
            g.ifs.iter().for_each(|x| self.expr(x));
        }
        self.expr(&c.elt);
        if let Some(v) = &c.value {
            self.expr(v);
        }
        self.locals.truncate(mark);
    }
}

fn bound_names(t: &Target, out: &mut Vec<Name>) {
    match t {
        Target::Name(n) => out.push(n.clone()),
        Target::Tuple(ts) => ts.iter().for_each(|t| bound_names(t, out)),
        Target::Starred(t) => bound_names(t, out),
        _ => {}
    }
}

fn target_read(t: &Target) -> Option<PathPattern> {
    match t {
        Target::Name(n) => Some(PathPattern {
            root: n.clone(),
            segs: Vec::new(),
        }),
        Target::Attr(o, a) => chain_pattern(&Expr::Attr(Box::new(o.clone()), a.clone())),
        Target::Subscript(o, i) => {
            chain_pattern(&Expr::Subscript(Box::new(o.clone()), Box::new(i.clone())))
        }
        _ => None,
    }
}

/// Builds a [`Block`] with its `assigns` and `reads`.
pub fn block_from(body: Vec<Stmt>) -> Block {
    let mut w = Walker {
        assigns: Vec::new(),
        reads: Vec::new(),
        locals: Vec::new(),
    };
    w.stmts(&body);
    Block {
        body,
        assigns: w.assigns,
        reads: w.reads,
    }
}

/// The variable paths an expression reads.
pub fn expr_reads(e: &Expr) -> Vec<PathPattern> {
    let mut w = Walker {
        assigns: Vec::new(),
        reads: Vec::new(),
        locals: Vec::new(),
    };
    w.expr(e);
    w.reads
}
