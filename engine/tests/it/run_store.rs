//! `DAStore` and `DARedis`: key/value stores kept in the session.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first};
use engine::run::SessionState;

#[test]
fn dastore_keeps_copies_by_base_and_key() {
    let iv = compile(
        r#"
objects:
  - userdata: DAStore
  - other: DAStore.using(base='global')
  - prefs: DAObject
---
mandatory: True
code: |
  prefs.fruit = 'apple'
  userdata.set('prefs', prefs)
  prefs.fruit = 'pear'
  other.set('n', 3)
  before = userdata.defined('gone')
  userdata.set('gone', 1)
  userdata.delete('gone')
---
mandatory: True
question: |
  ${ userdata.get('prefs').fruit } ${ prefs.fruit } ${ userdata.defined('prefs') }
  ${ userdata.defined('n') } ${ other.get('n') } ${ userdata.keys() } ${ before }
  ${ userdata.get('gone') }
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert_eq!(
        s.question_text,
        "apple pear True\nFalse 3 [\u{2018}prefs\u{2019}] False\nNone"
    );
}

#[test]
fn daredis_sets_and_gets_bytes_and_objects() {
    let iv = compile(
        r#"
objects:
  r: DARedis
---
mandatory: True
code: |
  key = r.key('my_variable')
  r.set(key, 'hello world')
  r.set_data('obj', {'a': [1, 2]})
  n = r.incr('count')
  n = r.incr('count')
---
mandatory: True
question: |
  ${ key } "${ r.get(key).decode() }" ${ r.get_data('obj')['a'] } ${ n } ${ r.get('none') }
  ${ r.exists(key) }
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert!(
        s.question_text.starts_with("interview.yml:my_variable "),
        "{}",
        s.question_text
    );
    assert!(
        s.question_text.contains("hello world"),
        "{}",
        s.question_text
    );
    assert!(
        s.question_text.contains("[1, 2] 2 None\n1"),
        "{}",
        s.question_text
    );
}
