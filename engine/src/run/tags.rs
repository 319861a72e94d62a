//! The session's tags start as the `tags` of the interview's `metadata` blocks (docassemble's
//! `session_tags()` fills its set from them the first time it is used).

use super::eval::{Ctx, Eval};
use crate::block::BlockKind;
use crate::runtime::functions::server;

/// The `_da_internal` slot `session_tags()` keeps the set in.
const SLOT: &str = "tags";

impl Ctx<'_> {
    /// Puts the metadata tags in the session before anything can ask for `session_tags()`.
    pub(crate) fn ensure_tags(&mut self) -> Eval<()> {
        let mut tags: Vec<pyeval::Value> = Vec::new();
        for block in &self.iv.interview.blocks {
            if let BlockKind::Metadata(raw) = &block.kind {
                for t in raw.0.get("tags").and_then(|t| t.as_seq()).unwrap_or(&[]) {
                    if let Some(s) = t.python_str() {
                        tags.push(pyeval::Value::str(&s));
                    }
                }
            }
        }
        if tags.is_empty() {
            return Ok(());
        }
        let mut cx = self.interp();
        let flow = |f| super::eval::flow(f, "metadata");
        if server::get_internal(&mut cx, SLOT).map_err(flow)?.is_some() {
            return Ok(());
        }
        let list = cx.heap_mut().new_list(tags);
        let set = cx
            .call_value(
                &pyeval::Value::Builtin(pyeval::Name::from("set")),
                pyeval::Args::new(vec![list]),
            )
            .map_err(flow)?;
        server::set_internal(&mut cx, SLOT, set).map_err(flow)
    }
}
