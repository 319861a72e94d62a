//! `supersedes` and `order` (docassemble's `id_orderings`): which of several blocks that
//! define the same variable is tried first. Without them the latest block wins; a block that
//! `supersedes` others, or comes earlier in an `order` list, is tried before them.

use std::collections::HashMap;

use crate::block::{Block, BlockKind};

/// Precedence between question-list blocks, as docassemble's `orderings_by_question`:
/// `lookup[b][a]` is -1 when `b` sorts before `a` (and so is tried after it).
#[derive(Debug, Default)]
pub struct Orderings {
    lookup: HashMap<usize, HashMap<usize, i8>>,
}

impl Orderings {
    /// The orderings of an interview's blocks (question-list indices count the blocks in
    /// the question list).
    pub fn build(all: &[Block]) -> Self {
        let list: Vec<&Block> = all.iter().filter(|b| b.in_question_list).collect();
        let by_id: HashMap<&str, usize> = list
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.id.as_deref().map(|id| (id, i)))
            .collect();
        let ids = |ids: &[String]| -> Vec<usize> {
            ids.iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect()
        };
        let mut orderings: Vec<Vec<usize>> = Vec::new();
        let mut number = 0;
        for block in all {
            if block.in_question_list {
                if !block.modifiers.supersedes.is_empty() {
                    let mut order = vec![number];
                    order.extend(ids(&block.modifiers.supersedes));
                    orderings.push(order);
                }
                number += 1;
            } else if let BlockKind::Order(list) = &block.kind {
                orderings.push(ids(list));
            }
        }
        let mut lookup: HashMap<usize, HashMap<usize, i8>> = HashMap::new();
        for order in &orderings {
            for &a in order {
                let mut mode = 1;
                for &b in order {
                    if a == b {
                        mode = -1;
                        continue;
                    }
                    lookup.entry(b).or_default().insert(a, mode);
                }
            }
        }
        Orderings { lookup }
    }

    /// True when the interview has no orderings.
    pub fn is_empty(&self) -> bool {
        self.lookup.is_empty()
    }

    fn less(&self, a: usize, b: usize) -> bool {
        a != b && self.lookup.get(&a).and_then(|m| m.get(&b)) == Some(&-1)
    }

    /// Sorts blocks given in file order as Python's `sorted(…, key=sorter)` does (the first
    /// run, then binary insertion: CPython's algorithm for short lists, which matters because
    /// the order is partial). Tried latest first, the result reads backwards.
    pub fn sort(&self, v: &mut [usize]) {
        let n = v.len();
        if n < 2 || self.is_empty() {
            return;
        }
        // count_run: a strictly descending run is reversed; an ascending one is kept.
        let mut run = 2;
        if self.less(v[1], v[0]) {
            while run < n && self.less(v[run], v[run - 1]) {
                run += 1;
            }
            v[..run].reverse();
        } else {
            while run < n && !self.less(v[run], v[run - 1]) {
                run += 1;
            }
        }
        for start in run..n {
            let pivot = v[start];
            let (mut l, mut r) = (0, start);
            while l < r {
                let p = (l + r) / 2;
                if self.less(pivot, v[p]) {
                    r = p;
                } else {
                    l = p + 1;
                }
            }
            v[l..=start].rotate_right(1);
        }
    }
}
