//! `features: use catchall: True`: a variable nothing defines becomes a `DACatchAll` object,
//! whose use (`str()`, `float()`, a comparison …) records how it is used in `.context` and asks
//! for its `.value` (docassemble's catch-all questions: `generic object: DACatchAll`).

use super::eval::{Ctx, Eval};
use crate::block::BlockKind;

impl Ctx<'_> {
    /// Whether some `features` block turns `use catchall` on.
    fn uses_catchall(&self) -> bool {
        let mut on = false;
        for b in &self.iv.interview.blocks {
            if let BlockKind::Features(f) = &b.kind {
                if let Some(v) = f.use_catchall {
                    on = v;
                }
            }
        }
        on
    }

    /// Makes `var` a `DACatchAll` when the interview uses catch-alls (never a `.value`, which
    /// is what the catch-all questions define); whether it did.
    pub(crate) fn catch_all(&mut self, var: &str) -> Eval<bool> {
        if var.ends_with(".value")
            || !self.uses_catchall()
            || self.host.lookup_global("DACatchAll").is_none()
            || pyeval::PathPattern::parse(var).is_err()
        {
            return Ok(false);
        }
        self.exec_src(
            &format!("{var} = DACatchAll({})", super::ask::py_repr(var)),
            "catchall",
        )?;
        Ok(true)
    }
}
