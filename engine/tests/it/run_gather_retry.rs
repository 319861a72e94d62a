//! A question retried after a code block defined what its first try lacked starts a new pass:
//! a gathering that first try began is over, so the retry gathers again (docassemble resets its
//! gathering mode at the top of every loop).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, submit};
use engine::run::SessionState;

#[test]
fn a_list_counted_in_a_question_reached_through_its_field_is_gathered() {
    // docassemble.demo's testforloop.yml, without its included file.
    let iv = compile(
        r#"
objects:
  - plist: DAList
---
code: |
  plist.there_are_any = True
---
question: Item ${ i }
fields:
  - Name: plist[i]
---
question: Another?
yesno: plist.there_is_another
---
question: |
  The number is ${ plist.number() }.
field: all_done
---
mandatory: True
code: |
  all_done
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Item 0");
    let s = submit(&iv, &mut st, &s, &[("plist[0]", "apple")]);
    assert_eq!(s.question_text, "Another?");
    let s = submit(&iv, &mut st, &s, &[("plist.there_is_another", "False")]);
    assert_eq!(s.question_text, "The number is 1.");
}
