//! The `query` filter of the session listings: docassemble's `DA.Sessions` expressions, e.g.
//! `DA.Sessions.email == 'a@example.org'`, `(DA.Sessions.modtime > '2024-01-01') &
//! ~DA.Sessions.encrypted`, `DA.Or(DA.Sessions.user_id == 1, DA.Sessions.filename.Like('%x%'))`,
//! `DA.Sessions.user_id.In(1, 2)`.
//!
//! docassemble `eval`s the text (after a blacklist) into SQLAlchemy conditions; here it is
//! parsed with the evaluator's parser and only this small language is accepted: columns,
//! literals, comparisons, `&`, `|`, `^`, `~`, `DA.And`, `DA.Or`, `.Like()`, `.In()`. Nothing
//! is evaluated. Columns this server does not keep (profile fields, `last_login`) are refused
//! by name.

use pyeval::ir::{Arg, Const, UnOp};
use pyeval::{BinOp, CmpOp, Expr};
use time::OffsetDateTime;

use crate::store::HolderKind;
use crate::store::listing::ListedSession;

/// The longest query text taken.
const MAX_LEN: usize = 4000;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionQuery(Node);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Modtime,
    Filename,
    Session,
    Encrypted,
    UserId,
    Email,
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Xor(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Cmp(Column, Op, Lit),
    Like(Column, String),
    In(Column, Vec<Lit>),
    /// A bare boolean column (`DA.Sessions.encrypted`).
    Truthy(Column),
}

/// An operand while parsing.
enum Term {
    Col(Column),
    Lit(Lit),
    Cond(Node),
}

impl SessionQuery {
    /// Parses `text`; `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > MAX_LEN {
            return Err("the query is too long".into());
        }
        let expr = pyeval::compile_expr(text).map_err(|e| e.to_string())?;
        match term(&expr, 0)? {
            Term::Cond(n) => Ok(SessionQuery(n)),
            Term::Col(c) => Ok(SessionQuery(Node::Truthy(c))),
            Term::Lit(_) => Err("the query is a constant, not a condition".into()),
        }
    }

    /// Does session `s` match?
    pub fn matches(&self, s: &ListedSession) -> bool {
        eval(&self.0, s)
    }
}

fn column(name: &str) -> Result<Column, String> {
    Ok(match name {
        "modtime" => Column::Modtime,
        "filename" => Column::Filename,
        "session" => Column::Session,
        "encrypted" => Column::Encrypted,
        "user_id" => Column::UserId,
        "email" => Column::Email,
        other => return Err(format!("Column {other:?} not available")),
    })
}

fn is_da(e: &Expr) -> bool {
    matches!(e, Expr::Name(n) if &**n == "DA")
}

fn cond(t: Term) -> Result<Node, String> {
    match t {
        Term::Cond(n) => Ok(n),
        Term::Col(c) => Ok(Node::Truthy(c)),
        Term::Lit(_) => Err("a constant is not a condition".into()),
    }
}

fn lit(t: Term) -> Result<Lit, String> {
    match t {
        Term::Lit(l) => Ok(l),
        _ => Err("expected a constant".into()),
    }
}

fn combine(op: BinOp, a: Node, b: Node) -> Result<Node, String> {
    Ok(match op {
        BinOp::BitAnd => Node::And(vec![a, b]),
        BinOp::BitOr => Node::Or(vec![a, b]),
        BinOp::BitXor => Node::Xor(Box::new(a), Box::new(b)),
        other => return Err(format!("operator {} is not allowed", other.symbol())),
    })
}

fn positional(args: &[Arg]) -> Result<Vec<&Expr>, String> {
    args.iter()
        .map(|a| match a {
            Arg::Pos(e) => Ok(e),
            _ => Err("only plain arguments are allowed".to_string()),
        })
        .collect()
}

fn term(e: &Expr, depth: usize) -> Result<Term, String> {
    if depth > 64 {
        return Err("the query is nested too deeply".into());
    }
    let d = depth + 1;
    match e {
        Expr::Const(c) => Ok(Term::Lit(match c {
            Const::None => Lit::None,
            Const::Bool(b) => Lit::Bool(*b),
            Const::Int(i) => Lit::Int(*i),
            Const::Float(f) => Lit::Float(*f),
            Const::Str(s) => Lit::Str(s.to_string()),
        })),
        Expr::Unary(UnOp::Neg, inner) => match term(inner, d)? {
            Term::Lit(Lit::Int(i)) => Ok(Term::Lit(Lit::Int(i.saturating_neg()))),
            Term::Lit(Lit::Float(f)) => Ok(Term::Lit(Lit::Float(-f))),
            _ => Err("- applies to numbers only".into()),
        },
        Expr::Unary(UnOp::Invert | UnOp::Not, inner) => {
            Ok(Term::Cond(Node::Not(Box::new(cond(term(inner, d)?)?))))
        }
        Expr::Attr(obj, name) => match &**obj {
            Expr::Attr(da, sessions) if is_da(da) && &**sessions == "Sessions" => {
                Ok(Term::Col(column(name)?))
            }
            _ => Err(format!("unknown name .{name}")),
        },
        Expr::BinOp(op, a, b) => Ok(Term::Cond(combine(
            *op,
            cond(term(a, d)?)?,
            cond(term(b, d)?)?,
        )?)),
        Expr::BinChain(first, rest) => {
            let mut acc = cond(term(first, d)?)?;
            for (op, x) in rest {
                acc = combine(*op, acc, cond(term(x, d)?)?)?;
            }
            Ok(Term::Cond(acc))
        }
        Expr::Compare(left, ops) => {
            let [(op, right)] = ops.as_slice() else {
                return Err("chained comparisons are not allowed".into());
            };
            let op = match op {
                CmpOp::Eq | CmpOp::Is => Op::Eq,
                CmpOp::NotEq | CmpOp::IsNot => Op::Ne,
                CmpOp::Lt => Op::Lt,
                CmpOp::LtE => Op::Le,
                CmpOp::Gt => Op::Gt,
                CmpOp::GtE => Op::Ge,
                _ => return Err("use .In(…) for membership".into()),
            };
            match (term(left, d)?, term(right, d)?) {
                (Term::Col(c), Term::Lit(l)) => Ok(Term::Cond(Node::Cmp(c, op, l))),
                (Term::Lit(l), Term::Col(c)) => Ok(Term::Cond(Node::Cmp(c, flip(op), l))),
                _ => Err("a comparison needs a column and a constant".into()),
            }
        }
        Expr::Call(f, args) => {
            let Expr::Attr(obj, method) = &**f else {
                return Err("only DA.And, DA.Or, .Like and .In can be called".into());
            };
            let args = positional(args)?;
            if is_da(obj) {
                let items = args
                    .into_iter()
                    .map(|a| cond(term(a, d)?))
                    .collect::<Result<Vec<_>, _>>()?;
                return match &**method {
                    "And" => Ok(Term::Cond(Node::And(items))),
                    "Or" => Ok(Term::Cond(Node::Or(items))),
                    other => Err(format!("DA.{other} is not available")),
                };
            }
            let Term::Col(c) = term(obj, d)? else {
                return Err(format!(".{method}() applies to columns only"));
            };
            match &**method {
                "Like" => match args.as_slice() {
                    [one] => match lit(term(one, d)?)? {
                        Lit::Str(p) => Ok(Term::Cond(Node::Like(c, p))),
                        _ => Err(".Like() takes a text pattern".into()),
                    },
                    _ => Err(".Like() takes one pattern".into()),
                },
                "In" => {
                    let items = args
                        .into_iter()
                        .map(|a| lit(term(a, d)?))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(Term::Cond(Node::In(c, items)))
                }
                other => Err(format!(".{other}() is not available")),
            }
        }
        _ => Err("this kind of expression is not allowed in a query".into()),
    }
}

fn flip(op: Op) -> Op {
    match op {
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        other => other,
    }
}

/// A column's value for one session.
enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Text(&'a str),
    Time(OffsetDateTime),
}

fn value(c: Column, s: &ListedSession) -> Val<'_> {
    match c {
        Column::Modtime => Val::Time(s.info.modified),
        Column::Filename => Val::Text(&s.info.interview),
        Column::Session => Val::Text(s.info.id.as_str()),
        Column::Encrypted => Val::Bool(s.info.holder != HolderKind::Server),
        Column::UserId => s.user_id.map_or(Val::Null, |u| Val::Int(u.get())),
        Column::Email => s.email.as_deref().map_or(Val::Null, Val::Text),
    }
}

/// A time literal: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or a date (midnight UTC).
fn parse_time(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let t = text.trim();
    if let Ok(v) = OffsetDateTime::parse(t, &Rfc3339) {
        return Some(v);
    }
    parse_naive_time(t).map(time::PrimitiveDateTime::assume_utc)
}

/// `YYYY-MM-DD`, optionally with ` HH:MM[:SS]` or `THH:MM[:SS]`.
pub(super) fn parse_naive_time(text: &str) -> Option<time::PrimitiveDateTime> {
    let t = text.trim();
    let (date, rest) = t.split_at_checked(10)?;
    let mut d = date.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(y, month, u8::try_from(day).ok()?).ok()?;
    let rest = rest.trim_start_matches(['T', ' ']);
    let time = if rest.is_empty() {
        time::Time::MIDNIGHT
    } else {
        let parts: Vec<u8> = rest
            .split(':')
            .map(|p| p.trim().parse::<u8>().ok())
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [h, m] => time::Time::from_hms(*h, *m, 0).ok()?,
            [h, m, s] => time::Time::from_hms(*h, *m, *s).ok()?,
            _ => return None,
        }
    };
    Some(time::PrimitiveDateTime::new(date, time))
}

fn compare(v: &Val<'_>, l: &Lit) -> Option<std::cmp::Ordering> {
    match (v, l) {
        (Val::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
        (Val::Int(a), Lit::Float(b)) => (*a as f64).partial_cmp(b),
        (Val::Int(a), Lit::Str(b)) => b.trim().parse::<i64>().ok().map(|b| a.cmp(&b)),
        (Val::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (Val::Bool(a), Lit::Int(b)) => Some(i64::from(*a).cmp(b)),
        (Val::Text(a), Lit::Str(b)) => Some((*a).cmp(b.as_str())),
        (Val::Time(a), Lit::Str(b)) => parse_time(b).map(|b| a.cmp(&b)),
        _ => None,
    }
}

/// SQL `LIKE`: `%` any run, `_` one character, case-sensitive (as PostgreSQL).
fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    super::glob::matches(&p, &t, '%', Some('_'))
}

fn eval(n: &Node, s: &ListedSession) -> bool {
    use std::cmp::Ordering as O;
    match n {
        Node::And(items) => items.iter().all(|i| eval(i, s)),
        Node::Or(items) => items.iter().any(|i| eval(i, s)),
        Node::Xor(a, b) => eval(a, s) != eval(b, s),
        Node::Not(a) => !eval(a, s),
        Node::Truthy(c) => matches!(value(*c, s), Val::Bool(true)),
        Node::Cmp(c, op, Lit::None) => {
            let null = matches!(value(*c, s), Val::Null);
            match op {
                Op::Eq => null,
                Op::Ne => !null,
                _ => false,
            }
        }
        Node::Cmp(c, op, l) => {
            let Some(ord) = compare(&value(*c, s), l) else {
                return false;
            };
            match op {
                Op::Eq => ord == O::Equal,
                Op::Ne => ord != O::Equal,
                Op::Lt => ord == O::Less,
                Op::Le => ord != O::Greater,
                Op::Gt => ord == O::Greater,
                Op::Ge => ord != O::Less,
            }
        }
        Node::Like(c, p) => match value(*c, s) {
            Val::Text(t) => like(t, p),
            _ => false,
        },
        Node::In(c, items) => {
            let v = value(*c, s);
            items
                .iter()
                .any(|l| compare(&v, l) == Some(std::cmp::Ordering::Equal))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::{SessionId, SessionInfo, StepNumber, UserId};

    fn session(email: Option<&str>, user: Option<i64>, holder: HolderKind) -> ListedSession {
        let t = parse_time("2024-06-01 12:00:00").unwrap();
        ListedSession {
            info: SessionInfo {
                id: "abcdefghijABCDEFGHIJ0123456789xy"
                    .parse::<SessionId>()
                    .unwrap(),
                interview: "docassemble.demo:data/questions/housing.yml".into(),
                holder,
                steps: StepNumber::FIRST,
                created: t,
                modified: t,
            },
            user_id: user.map(UserId::new),
            email: email.map(str::to_string),
        }
    }

    #[test]
    fn docassemble_queries() {
        let a = session(Some("a@example.org"), Some(1), HolderKind::User);
        let b = session(None, None, HolderKind::Server);
        let q = |t: &str| SessionQuery::parse(t).unwrap();
        assert!(q("DA.Sessions.email == 'a@example.org'").matches(&a));
        assert!(!q("DA.Sessions.email == 'a@example.org'").matches(&b));
        assert!(q("DA.Sessions.user_id == None").matches(&b));
        assert!(q("DA.Sessions.modtime > '2024-01-01'").matches(&a));
        assert!(!q("DA.Sessions.modtime < '2024-06-01'").matches(&a));
        assert!(q("(DA.Sessions.user_id == 1) & DA.Sessions.encrypted").matches(&a));
        assert!(q("~DA.Sessions.encrypted").matches(&b));
        assert!(
            q("DA.Or(DA.Sessions.user_id == 2, DA.Sessions.filename.Like('%housing%'))")
                .matches(&a)
        );
        assert!(q("DA.Sessions.user_id.In(3, 1)").matches(&a));
        assert!(q("DA.And(DA.Sessions.user_id.In(3, 1), 1 <= DA.Sessions.user_id)").matches(&a));
        assert!(!q("DA.Sessions.filename.Like('housing')").matches(&a));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "__import__('os').system('id')",
            "DA.Sessions.first_name == 'x'",
            "DA.Sessions.email + 'x'",
            "1",
            "DA.Sessions.email == DA.Sessions.email",
            "DA.Sessions.email.lower()",
            "DA.Exec('x')",
            "[x for x in y]",
            "1 < DA.Sessions.user_id < 3",
            "DA.Sessions.email ==",
        ] {
            assert!(SessionQuery::parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}DA.Sessions.encrypted", "~".repeat(200));
        assert!(SessionQuery::parse(&deep).is_err());
    }
}
