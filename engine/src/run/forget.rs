//! `forget_result_of(id, …)`: the blocks named lose their results (a mandatory block runs
//! again, a question whose chosen button ran code is asked again), as in docassemble, where
//! the answers of `ID <id>` (also `ID <id>|WITH|…` for generic ones) are deleted.

use super::eval::Ctx;
use crate::runtime::functions::{logic::FORGET_RESULT_OF, server};

impl Ctx<'_> {
    /// Applies the `forget_result_of()` calls made since the last pass.
    pub(crate) fn forget_results(&mut self) {
        let mut cx = self.interp();
        let Ok(Some(list)) = server::get_internal(&mut cx, FORGET_RESULT_OF) else {
            return;
        };
        let ids: Vec<String> = cx
            .collect(&list)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let empty = cx.heap_mut().new_list(Vec::new());
        let _ = server::set_internal(&mut cx, FORGET_RESULT_OF, empty);
        drop(cx);
        for id in ids {
            let key = format!("ID {id}");
            let generic = format!("{key}|WITH|");
            let internal = &mut self.st.internal;
            internal
                .answers
                .retain(|k, _| k != &key && !k.starts_with(&generic));
            internal.answered.remove(&key);
        }
    }
}
