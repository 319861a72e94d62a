//! `supersedes` and `order`: which of several blocks defining a variable is tried first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first};
use engine::run::SessionState;

const QUESTIONS: &str = r#"
id: informal
question: What the heck is your favorite fruit?
fields:
  Fruit: fruit
---
id: regular
question: What is your favorite fruit?
fields:
  Fruit: fruit
---
id: formal
question: Kindly state your favourite fruit.
fields:
  Fruit: fruit
---
mandatory: True
question: ${ fruit }
"#;

fn asked(yaml: &str) -> String {
    let iv = compile(yaml);
    let mut st = SessionState::new();
    first(&iv, &mut st).question_text
}

#[test]
fn without_orderings_the_latest_block_is_tried_first() {
    assert_eq!(asked(QUESTIONS), "Kindly state your favourite fruit.");
}

#[test]
fn a_block_that_supersedes_others_is_tried_before_them() {
    let yaml = QUESTIONS.replace(
        "id: informal\n",
        "id: informal\nsupersedes:\n  - regular\n  - formal\n",
    );
    assert_eq!(asked(&yaml), "What the heck is your favorite fruit?");
    // Superseding only one of them: the later, unrelated block still wins.
    let yaml = QUESTIONS.replace("id: informal\n", "id: informal\nsupersedes: regular\n");
    assert_eq!(asked(&yaml), "Kindly state your favourite fruit.");
}

#[test]
fn an_order_block_tries_its_blocks_in_its_order() {
    let yaml = format!("order:\n  - regular\n  - informal\n  - formal\n---\n{QUESTIONS}");
    assert_eq!(asked(&yaml), "What is your favorite fruit?");
    let yaml = format!("order:\n  - informal\n  - regular\n---\n{QUESTIONS}");
    assert_eq!(asked(&yaml), "Kindly state your favourite fruit.");
}
