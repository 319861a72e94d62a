//! `modules` blocks (`from module import *`) and `from module import name` for the modules
//! the runtime has (`json`, `re`, `random`, `math`, `datetime`), with CPython's seeded random
//! numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first};
use engine::run::SessionState;

// One test: the `random` generator is one per process, as Python's.
#[test]
fn module_functions_are_globals_and_random_numbers_are_cpythons() {
    let iv = compile(
        r#"
modules:
  - json
  - random
---
mandatory: True
code: |
  seed(30)
  n = int(1 + random()*4)
  d = dumps([n])
---
mandatory: True
question: ${ n } ${ d }
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    // CPython: random.seed(30); random.random() == 0.5390815646058106
    assert_eq!(s.question_text, "3 [3]");

    let iv = compile(
        r#"
mandatory: True
code: |
  import random
  from random import randint, seed as reseed
  reseed(1)
  draws = [randint(1, 10) for _ in range(2)] + [random.randint(1, 10)]
  fruit = ['apple', 'pear', 'plum']
  random.seed(2)
  random.shuffle(fruit)
---
mandatory: True
question: ${ draws } ${ ' '.join(fruit) }
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    // CPython: seed(1) → randint(1, 10) ×3 == [3, 10, 2]; seed(2), shuffle → pear plum apple
    assert_eq!(s.question_text, "[3, 10, 2] pear plum apple");
}

#[test]
fn suppress_loading_util_leaves_the_library_out_unless_a_modules_block_names_it() {
    let src = |modules: &str| {
        format!(
            r#"
metadata:
  suppress loading util: True
---
{modules}
code: |
  try:
    Individual
    found = "yes"
  except NameError:
    found = "no"
---
mandatory: True
question: Individual ${{ found }}
"#
        )
    };
    let s = first(&compile(&src("")), &mut SessionState::new());
    assert_eq!(s.question_text, "Individual no");
    let s = first(
        &compile(&src("modules:\n  - docassemble.base.util\n---")),
        &mut SessionState::new(),
    );
    assert_eq!(s.question_text, "Individual yes");
    // without the metadata, the library is always there
    let plain = src("").replace("suppress loading util: True", "title: Plain");
    let s = first(&compile(&plain), &mut SessionState::new());
    assert_eq!(s.question_text, "Individual yes");
}

/// `math` and `datetime` as module objects: imported in code (`import math`, `import
/// datetime` — the module, not the builtin class of that name — `from math import floor`)
/// and by an `imports` block.
#[test]
fn math_and_datetime_are_modules_of_their_own() {
    let iv = compile(
        r#"
imports:
  - math
---
mandatory: True
code: |
  import datetime
  from math import floor, pi as PI
  from datetime import date, timedelta
  a = math.sqrt(16)
  b = datetime.date(2020, 1, 2).year + floor(2.7)
  c = date(2021, 3, 4) + datetime.timedelta(days=1)
  d = round(PI, 2)
  e = math.ceil(1.2) + math.gcd(12, 18) + math.factorial(4)
  f = math.isclose(0.1 + 0.2, 0.3)
  try:
    math.sqrt(-1)
  except ValueError as err:
    g = str(err)
---
mandatory: True
question: ${ a } ${ b } ${ c } ${ d } ${ e } ${ f } ${ g } ${ math.log(8, 2) }
"#,
    );
    let s = first(&iv, &mut SessionState::new());
    assert_eq!(
        s.question_text,
        "4.0 2022 2021-03-05 3.14 32 True math domain error 3.0"
    );
}
