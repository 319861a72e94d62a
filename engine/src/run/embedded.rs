//! Questions embedded in buttons (`- Red: {question: …, field: …}`): once such a button is
//! chosen, docassemble's `follow_multiple_choice` asks the embedded block in the place of the
//! question that holds it (and follows it again when it too was answered with such a button).

use super::eval::Ctx;
use super::state::answer_key;
use crate::block::{Block, BlockKind, ChoiceAction, QuestionInput};

/// The block that choice `index` of a multiple-choice question embeds, if any.
fn embedded_in(block: &Block, index: usize) -> Option<&Block> {
    let BlockKind::Question(q) = &block.kind else {
        return None;
    };
    let QuestionInput::MultipleChoice { choices, .. } = &q.input else {
        return None;
    };
    match choices.items.get(index).map(|c| &c.action) {
        Some(ChoiceAction::Block(b)) => Some(b),
        _ => None,
    }
}

/// The block reached from `block` by the choices of `path` (`block` itself when empty, or when
/// the path no longer fits the block).
pub fn resolve<'b>(block: &'b Block, path: &[usize]) -> &'b Block {
    let mut at = block;
    for &i in path {
        match embedded_in(at, i) {
            Some(b) => at = b,
            None => return block,
        }
    }
    at
}

/// How far a chain of embedded questions is followed (a guard; docassemble has none).
const MAX_DEPTH: usize = 16;

impl Ctx<'_> {
    /// The block to run or ask in place of `block`: the one embedded in the button its last
    /// answer chose, followed as long as the embedded block is itself so answered; with the
    /// choice indices taken.
    pub(crate) fn follow_choices<'b>(
        &self,
        block: &'b Block,
        x: Option<&str>,
        iterators: &[String],
    ) -> (&'b Block, Vec<usize>) {
        let mut at = block;
        let mut path = Vec::new();
        while path.len() < MAX_DEPTH {
            let key = answer_key(&at.name, x, iterators);
            let Some(&choice) = self.st.internal.answers.get(&key) else {
                break;
            };
            let Some(next) = embedded_in(at, choice) else {
                break;
            };
            path.push(choice);
            at = next;
        }
        (at, path)
    }
}
