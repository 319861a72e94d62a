//! `DACatchAll`: the object a variable nothing defines becomes under `use catchall`. Each use
//! records its kind in `.context` (and the other operand in `.operand`) and goes on with
//! `.value`, which the interview's `generic object: DACatchAll` questions ask for.

use pyeval::{BinOp, CmpOp, Interp, ObjId, PyResult, Value};

use super::super::support::{self, s};

/// The class name.
pub const CLASS: &str = "DACatchAll";

/// Records how the object is used, then gives its `.value`.
pub fn value_for(
    cx: &mut Interp<'_>,
    id: ObjId,
    context: &str,
    operand: Option<&Value>,
) -> PyResult<Value> {
    support::set(cx, id, "context", s(context));
    if let Some(o) = operand {
        support::set(cx, id, "operand", o.clone());
    }
    support::get(cx, id, "value")
}

/// docassemble's names of the operators (`__add__` → `add`, reflected `radd`).
fn op_name(op: BinOp, reflected: bool) -> String {
    let base = match op {
        BinOp::Add => "add",
        BinOp::Sub => "sub",
        BinOp::Mul => "mul",
        BinOp::Div => "truediv",
        BinOp::FloorDiv => "floordiv",
        BinOp::Mod => "mod",
        BinOp::Pow => "pow",
        BinOp::LShift => "lshift",
        BinOp::RShift => "rshift",
        BinOp::BitAnd => "and",
        BinOp::BitOr => "or",
        BinOp::BitXor => "xor",
    };
    if reflected {
        format!("r{base}")
    } else {
        base.to_string()
    }
}

/// `obj op other` (or `other op obj`): the value's.
pub fn binary_op(
    cx: &mut Interp<'_>,
    op: BinOp,
    id: ObjId,
    other: &Value,
    reflected: bool,
) -> PyResult<Value> {
    let v = value_for(cx, id, &op_name(op, reflected), Some(other))?;
    if reflected {
        cx.binop(op, other, &v)
    } else {
        cx.binop(op, &v, other)
    }
}

/// `obj op other`: the value's.
pub fn compare(cx: &mut Interp<'_>, op: CmpOp, id: ObjId, other: &Value) -> PyResult<bool> {
    let name = match op {
        CmpOp::Eq => "eq",
        CmpOp::NotEq => "ne",
        CmpOp::Lt => "lt",
        CmpOp::LtE => "le",
        CmpOp::Gt => "gt",
        CmpOp::GtE => "ge",
        _ => "compare",
    };
    let v = value_for(cx, id, name, Some(other))?;
    cx.compare(op, &v, other)
}

/// `data_type_guess()`: what the uses so far say the value is.
pub fn data_type_guess(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let Some(context) = support::raw(cx, id, "context") else {
        return Ok("str".into());
    };
    let context = cx.to_str(&context)?;
    Ok(match context.as_str() {
        "bool" => "bool",
        "hex" | "rlshift" | "rrshift" | "rand" | "ror" | "int" | "oct" => "int",
        "neg" | "pos" | "abs" | "invert" | "float" => "float",
        "add" | "radd" | "sub" | "rsub" | "mul" | "rmul" | "truediv" | "rtruediv" | "floordiv"
        | "rfloordiv" | "mod" | "rmod" | "pow" | "rpow" | "lt" | "eq" | "gt" | "ne" | "ge"
        | "le" => match support::raw(cx, id, "operand") {
            Some(Value::Bool(_)) => "bool",
            Some(Value::Float(_)) => "float",
            Some(Value::Int(_)) => "int",
            _ => "str",
        },
        _ => "str",
    }
    .to_string())
}
