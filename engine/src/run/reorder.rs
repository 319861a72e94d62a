//! A table's `allow reordering`: the rows the user moved up and down, posted as
//! `_order_changes` (docassemble's `{"<base64 list name>": [[from, to], …]}`), rearrange the
//! list's items with `DAList._reorder` once the answer is valid.

use super::error::RunError;
use super::eval::{Ctx, Interrupt};
use super::screen::decode_name;

/// The posted field that carries the moves.
pub const ORDER_CHANGES: &str = "_order_changes";

/// The moves of one table: the list's variable and `(from, to)` row indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reorder {
    /// The list (a variable name).
    pub list: String,
    /// Each row that moved: the index it had and the index it has now.
    pub moves: Vec<(u32, u32)>,
}

/// Reads an `_order_changes` value; anything but an object of base64 variable names to lists
/// of two-number lists is a bad request.
pub fn parse(posted: &str) -> Result<Vec<Reorder>, RunError> {
    let bad = |why: &str| RunError::BadRequest(format!("{ORDER_CHANGES}: {why}"));
    let value: serde_json::Value =
        serde_json::from_str(posted).map_err(|e| bad(&format!("not JSON ({e})")))?;
    let serde_json::Value::Object(tables) = value else {
        return Err(bad("expected an object of table names"));
    };
    let mut out = Vec::new();
    for (encoded, changes) in tables {
        let list = decode_name(&encoded)
            .filter(|n| is_list_name(n))
            .ok_or_else(|| bad(&format!("'{encoded}' is not an encoded variable name")))?;
        let serde_json::Value::Array(changes) = changes else {
            return Err(bad(&format!("the moves of {list} are not a list")));
        };
        let mut moves = Vec::new();
        for change in changes {
            let pair = change.as_array().and_then(|p| match p.as_slice() {
                [a, b] => Some((index(a)?, index(b)?)),
                _ => None,
            });
            let Some(pair) = pair else {
                return Err(bad(&format!(
                    "invalid row number in the moves of {list}: {change}"
                )));
            };
            moves.push(pair);
        }
        out.push(Reorder { list, moves });
    }
    Ok(out)
}

/// A concrete variable path (`fruit`, `case.children`), no dunder names.
fn is_list_name(name: &str) -> bool {
    pyeval::Path::parse(name).is_ok() && !name.contains("__")
}

fn index(v: &serde_json::Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

impl Ctx<'_> {
    /// Applies the moves (docassemble: `list._reorder(*moves)`); a name that is not a list
    /// is an error of the request.
    pub(super) fn apply_reorders(
        &mut self,
        reorders: &[Reorder],
        block: &str,
    ) -> Result<(), Interrupt> {
        for r in reorders {
            let is_list = self.value_of(&r.list).is_some_and(|v| {
                let cx = self.interp();
                v.as_ref_id()
                    .and_then(|id| cx.heap().instance(id))
                    .is_some_and(|i| {
                        crate::runtime::classes::family(&i.class)
                            == crate::runtime::classes::Family::List
                    })
            });
            if !is_list {
                return Err(Interrupt::Error(RunError::BadRequest(format!(
                    "{ORDER_CHANGES}: {} is not a list",
                    r.list
                ))));
            }
            let moves: Vec<String> = r.moves.iter().map(|(a, b)| format!("({a}, {b})")).collect();
            self.exec_src(&format!("{}._reorder({})", r.list, moves.join(", ")), block)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::screen::encode_name;

    #[test]
    fn reads_moves_by_encoded_list_name() {
        let text = format!("{{\"{}\": [[1, 0], [0, 1]]}}", encode_name("fruit"));
        assert_eq!(
            parse(&text).unwrap(),
            vec![Reorder {
                list: "fruit".into(),
                moves: vec![(1, 0), (0, 1)],
            }]
        );
    }

    #[test]
    fn rejects_what_is_not_moves_of_a_variable() {
        for bad in [
            "not json".to_string(),
            "[1, 2]".to_string(),
            format!("{{\"{}\": [[1, 0]]}}", encode_name("__import__('os')")),
            format!("{{\"{}\": [[1]]}}", encode_name("fruit")),
            format!("{{\"{}\": [[-1, 0]]}}", encode_name("fruit")),
            format!("{{\"{}\": [[\"1\", 0]]}}", encode_name("fruit")),
            format!("{{\"{}\": 3}}", encode_name("fruit")),
        ] {
            assert!(
                matches!(parse(&bad), Err(RunError::BadRequest(_))),
                "{bad} was accepted"
            );
        }
    }
}
