//! Questions by language: `language:` blocks are chosen for the current language
//! (`set_language()`), blocks without one serve any language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first, submit};
use engine::run::SessionState;

const LIFE: &str = r#"
initial: True
code: |
  set_language(language)
---
question: What is the meaning of life?
fields:
  - Meaning of life: meaning_life
---
language: es
question: ¿Cuál es el significado de la vida?
fields:
  - Significado de la Vida: meaning_life
---
question: What language do you speak?
field: language
choices:
  - English: en
  - Español: es
---
mandatory: True
question: ${ meaning_life }
"#;

#[test]
fn the_question_of_the_current_language_is_asked() {
    let iv = compile(LIFE);
    for (lang, asked) in [
        ("es", "¿Cuál es el significado de la vida?"),
        ("en", "What is the meaning of life?"),
    ] {
        let mut st = SessionState::new();
        let s = first(&iv, &mut st);
        assert_eq!(s.question_text, "What language do you speak?");
        let s = submit(&iv, &mut st, &s, &[("language", lang)]);
        assert_eq!(s.question_text, asked, "{lang}");
    }
}
