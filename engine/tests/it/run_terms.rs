//! Vocabulary terms on screens: `terms`, `auto terms` (question and interview level) and
//! `update_terms()`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first};
use engine::run::SessionState;

#[test]
fn interview_terms_link_braced_phrases_with_their_definition() {
    let iv = compile(
        r#"
terms:
  creeper: |
    A tall green creature.
  zombie pigman: A harmless creature.
---
mandatory: True
question: Have you ever met a {creeper}?
subquestion: |
  If you met a {Zombie Pigman|zombified pigman}, you met a creeper.
yesno: met
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert!(
        s.question_text.contains("class=\"daterm\""),
        "{}",
        s.question_text
    );
    assert!(
        s.question_text.contains(">creeper</a>?"),
        "{}",
        s.question_text
    );
    assert!(!s.question_text.contains('{'), "{}", s.question_text);
    let sub = s.subquestion_text.unwrap();
    assert!(sub.contains(">zombified pigman</a>"), "{sub}");
    // Without braces a term is plain text.
    assert!(sub.contains("you met a creeper."), "{sub}");
    assert_eq!(s.terms["creeper"], "A tall green creature.");
}

#[test]
fn question_auto_terms_link_every_occurrence_and_render_mako() {
    let iv = compile(
        r#"
mandatory: True
question: Have you ever met a creeper?
yesno: met
auto terms:
  creeper: A tall ${ color } creature.
---
code: color = 'green'
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert!(
        s.question_text.contains(">creeper</a>?"),
        "{}",
        s.question_text
    );
    assert_eq!(s.autoterms["creeper"], "A tall green creature.");
}

#[test]
fn update_terms_replaces_definitions() {
    let iv = compile(
        r#"
terms:
  - zombie pigman: A harmless creature.
---
mandatory: True
code: |
  update_terms({'zombie pigman': 'A nether dweller', 'nether': 'The underworld'})
---
mandatory: True
question: Met a {zombie pigman} in the {nether}?
yesno: met
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert_eq!(s.terms["zombie pigman"], "A nether dweller");
    assert_eq!(s.terms["nether"], "The underworld");
    assert!(
        s.question_text.contains(">nether</a>?"),
        "{}",
        s.question_text
    );
}
