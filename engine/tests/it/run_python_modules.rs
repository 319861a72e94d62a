//! The interview's own Python modules (package `.py` files named by `modules` blocks): their
//! functions are globals, see their module's own globals, and a `validate:` function refuses
//! an answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile_with, first, post, submit};
use engine::MemSource;
use engine::run::{Answered, SessionState};

const MODULE: &str = r#"
import re
from docassemble.base.util import comma_and_list

__all__ = ['shout', 'is_even', 'SIZES']

_suffix = '!'
SIZES = ['S', 'M']

def _clean(text):
    return re.sub(r'\s+', ' ', text).strip()

def shout(text):
    m = re.search(r'(\w+)', text)
    return _clean(text).upper() + _suffix + ' (' + m.group(1) + ') ' + comma_and_list(SIZES)

def is_even(n):
    return n % 2 == 0

def hidden():
    return 'not exported'
"#;

const INTERVIEW: &str = r#"
modules:
  - docassemble.demo.helpers
---
mandatory: True
question: ${ shout("hello   there") } ${ len(SIZES) }
subquestion: ${ number }
---
question: Pick an even number
fields:
  - Number: number
    datatype: integer
    validate: is_even
"#;

fn source() -> MemSource {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:helpers.py", MODULE);
    src
}

/// Compiles `yaml` with the files of `src`; its Python modules must all load.
fn compile_loaded(src: &MemSource, yaml: &str) -> engine::run::CompiledInterview {
    let iv = compile_with(src, yaml);
    assert!(
        iv.python_modules().errors().is_empty(),
        "{:?}",
        iv.python_modules().errors()
    );
    iv
}

#[test]
fn module_functions_see_their_own_globals_and_validate_answers() {
    let iv = compile_loaded(&source(), INTERVIEW);
    let mut st = SessionState::default();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "Pick an even number");
    match post(&iv, &mut st, &s, &[("number", "5")]) {
        Answered::Invalid(s) => {
            assert_eq!(s.errors[0].message, "Please enter a valid value.", "{s:?}")
        }
        other => panic!("an odd number is refused: {other:?}"),
    }
    let s = submit(&iv, &mut st, &s, &[("number", "8")]);
    assert_eq!(s.question_text, "HELLO THERE! (hello) S and M 2", "{s:?}");
}

#[test]
fn names_a_module_does_not_export_are_not_globals() {
    let yaml =
        "modules:\n  - docassemble.demo.helpers\n---\nmandatory: True\nquestion: ${ hidden() }\n";
    let iv = compile_with(&source(), yaml);
    let mut st = SessionState::default();
    let r = engine::run::Engine::new(&iv, &common::host()).screen(&mut st);
    assert!(r.is_err(), "{r:?}");
}

const PETS: &str = r#"
from docassemble.base.util import DAList, DAObject

__all__ = ['Pet', 'PetList']

class Pet(DAObject):
    @property
    def complete(self):
        self.name
        self.legs
        return True

    def __str__(self):
        return self.name

    def describe(self):
        return f"{self.name} ({self.legs} legs)"

class PetList(DAList):
    def init(self, *pargs, **kwargs):
        self.object_type = Pet
        self.complete_attribute = 'complete'
        super().init(*pargs, **kwargs)

    def hook_after_gather(self):
        self.total_legs = sum(p.legs for p in self)
"#;

const PETS_INTERVIEW: &str = r#"
modules:
  - docassemble.demo.pets
---
objects:
  - pets: PetList.using(there_are_any=True)
---
mandatory: True
question: ${ pets } have ${ pets.total_legs } legs
subquestion: |
  ${ pets[0].describe() }; ${ isinstance(pets[0], Pet) } ${ isinstance(pets[0], DAObject) } ${ isinstance(pets, Pet) } ${ type(pets[1]).__name__ } ${ pets.object_type.__name__ }
---
generic object: Pet
question: About a pet
fields:
  - Name: x.name
  - Legs: x.legs
    datatype: integer
---
question: Another pet?
yesno: pets.there_is_another
"#;

/// A session state as it is stored between requests.
fn stored(st: &SessionState) -> SessionState {
    serde_json::from_str(&serde_json::to_string(st).unwrap()).unwrap()
}

#[test]
fn module_classes_derive_from_docassemble_classes() {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:pets.py", PETS);
    let iv = compile_loaded(&src, PETS_INTERVIEW);
    let mut st = SessionState::default();
    // the list's own init set object_type, so its items are Pets, asked by the Pet block
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "About a pet", "{s:?}");
    let s = submit(
        &iv,
        &mut st,
        &s,
        &[("pets[0].name", "Rex"), ("pets[0].legs", "4")],
    );
    assert_eq!(s.question_text, "Another pet?", "{s:?}");
    // instances keep their class across a stored session
    let mut st = stored(&st);
    let s = submit(&iv, &mut st, &s, &[("pets.there_is_another", "True")]);
    assert_eq!(s.question_text, "About a pet", "{s:?}");
    let s = submit(
        &iv,
        &mut st,
        &s,
        &[("pets[1].name", "Tweety"), ("pets[1].legs", "2")],
    );
    let s = submit(&iv, &mut st, &s, &[("pets.there_is_another", "False")]);
    // __str__, hook_after_gather, methods, isinstance and type names
    assert_eq!(s.question_text, "Rex and Tweety have 6 legs", "{s:?}");
    assert_eq!(
        s.subquestion_text.as_deref(),
        Some("<p>Rex (4 legs); True True False Pet Pet</p>\n"),
        "{s:?}"
    );
}

#[test]
fn a_module_whose_class_cannot_be_made_reports_why() {
    let mut src = MemSource::new();
    src.insert(
        "docassemble.demo:bad.py",
        "class Broken(NoSuchBase):\n    pass\n",
    );
    let iv = compile_with(
        &src,
        "modules:\n  - docassemble.demo.bad\n---\nmandatory: True\nquestion: hi\n",
    );
    let errors = iv.python_modules().errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].1.contains("NoSuchBase"), "{errors:?}");
}

const FISH_MODULE: &str =
    "from docassemble.base.util import DAObject\n\nclass Halibut(DAObject):\n    pass\n";

const FISHES: &str = r#"object: Halibut
module: .fish
items:
  - name: Fred
    scales: 500
    food:
      object: DAObject
      item:
        kind: plankton
  - name: Larry
    scales: 600
    tags:
      - big
      - old
"#;

const FISH_INTERVIEW: &str = r#"
objects from file:
  - school: fishes.yml
---
mandatory: True
code: |
  pond = objects_from_file("fishes.yml")
  seeds = objects_from_file("docassemble.demo:seeds.json", use_objects=True)
---
mandatory: True
question: |
  ${ len(school) } fish: ${ school[0].name } ${ school[0].scales }, ${ school[1].name } ${ school[1].tags[1] }
subquestion: |
  ${ school[0].food.kind } ${ school[0].food.instanceName } ${ school[1].instanceName } ${ type(school[0]).__name__ } ${ pond[1].scales } ${ seeds['apple'] } ${ type(seeds).__name__ }
"#;

/// Compiles `yaml` as `docassemble.demo:data/questions/fish.yml`.
fn compile_in_demo(src: &MemSource, yaml: &str) -> engine::run::CompiledInterview {
    let root = engine::FileRef::Package {
        package: "docassemble.demo".into(),
        path: "data/questions/fish.yml".into(),
    };
    let iv = engine::load_str(src, &root, yaml).unwrap();
    engine::run::CompiledInterview::new(iv).unwrap()
}

#[test]
fn objects_from_file_makes_objects_of_the_data_files_classes() {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:fish.py", FISH_MODULE);
    src.insert("docassemble.demo:data/sources/fishes.yml", FISHES);
    src.insert(
        "docassemble.demo:data/sources/seeds.json",
        r#"{"apple": 4, "peach": 5}"#,
    );
    let iv = compile_in_demo(&src, FISH_INTERVIEW);
    assert!(
        iv.python_modules().errors().is_empty(),
        "{:?}",
        iv.python_modules().errors()
    );
    let mut st = SessionState::default();
    let c = engine::runtime::RuntimeConfig {
        interview_name: "docassemble.demo:data/questions/fish.yml".into(),
        ..Default::default()
    };
    let host = engine::runtime::DaHost::new(c);
    let s = engine::run::Engine::new(&iv, &host)
        .screen(&mut st)
        .unwrap();
    assert_eq!(s.question_text, "2 fish: Fred 500, Larry old", "{s:?}");
    assert_eq!(
        s.subquestion_text.as_deref(),
        Some("<p>plankton school[0].food school[1] Halibut 600 4 DADict</p>\n"),
        "{s:?}"
    );
}

#[test]
fn objects_from_file_names_a_missing_file() {
    let yaml = "mandatory: True\ncode: |\n  x = objects_from_file('nothing.yml')\n";
    let iv = compile_in_demo(&MemSource::new(), yaml);
    let mut st = SessionState::default();
    let r = engine::run::Engine::new(&iv, &common::host()).screen(&mut st);
    let e = format!("{:?}", r.unwrap_err());
    assert!(e.contains("nothing.yml") && e.contains("not found"), "{e}");
}

const BASKET: &str = r#"
from docassemble.base.util import DAList, DADict

class Basket(DAList):
    def init(self, *pargs, **kwargs):
        super().init(*pargs, **kwargs)
        self.removed = []

    def hook_on_remove(self, item):
        self.removed.append(item)

class Crate(DADict):
    def init(self, *pargs, **kwargs):
        super().init(*pargs, **kwargs)
        self.removed = []

    def hook_on_remove(self, item):
        self.removed.append(item)
"#;

#[test]
fn removing_items_runs_the_lists_hook_on_remove() {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:basket.py", BASKET);
    // docassemble's pop() and remove() run it; `del fruit[0]` does not
    let yaml = "modules:\n  - docassemble.demo.basket\n---\nobjects:\n  - fruit: Basket\n  - box: Crate\n---\nmandatory: True\ncode: |\n  box\n  fruit.append('apple', 'fig', 'kiwi', 'plum')\n  fruit.pop()\n  fruit.remove('fig')\n  del fruit[0]\n  fruit.gathered = True\n  box['a'] = 1\n  box['b'] = 2\n  box.gathered = True\n  box.pop('b')\n---\nmandatory: True\nquestion: ${ fruit.removed } ${ fruit.elements } ${ box.removed }\n";
    let iv = compile_loaded(&src, yaml);
    let mut st = SessionState::default();
    let s = first(&iv, &mut st);
    assert_eq!(
        s.question_text, "[\u{2018}plum\u{2019}, \u{2018}fig\u{2019}] [\u{2018}kiwi\u{2019}] [2]",
        "{s:?}"
    );
}

const SHELF: &str = r#"
from docassemble.base.util import DAObject

class Shelf(DAObject):
    sizes = ['S', 'M']

    def labels(self, extra=['XL']):
        return self.sizes + extra

    @property
    def count(self):
        return len(self.sizes)
"#;

#[test]
fn class_attributes_holding_lists_are_read_from_their_modules() {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:shelf.py", SHELF);
    let yaml = "modules:\n  - docassemble.demo.shelf\n---\nobjects:\n  - shelf: Shelf\n---\nmandatory: True\nquestion: ${ shelf.sizes[1] } ${ Shelf.sizes[0] } ${ shelf.labels()[2] } ${ shelf.count }\n";
    let iv = compile_loaded(&src, yaml);
    let mut st = SessionState::default();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "M S XL 2", "{s:?}");
}

const LEGUME: &str = r#"
from docassemble.base.util import Thing, prevent_dependency_satisfaction

__all__ = ['Legume']

class Legume(Thing):

    @prevent_dependency_satisfaction
    def is_tasty(self):
        return bool(self.sweet_index > 5 or self.savory_index > 6)

    def is_salty(self):
        return self.savory_index > 6
"#;

/// docassemble's `prevent-dependency-satisfaction.yml`: inside the decorated method an
/// undefined attribute is an error, not a question; an undecorated method asks for it.
#[test]
fn prevent_dependency_satisfaction_makes_an_undefined_variable_an_error() {
    let mut src = MemSource::new();
    src.insert("docassemble.demo:legume.py", LEGUME);
    let interview = |method: &str| {
        format!(
            r#"modules:
  - docassemble.demo.legume
---
objects:
  - bean: Legume
---
mandatory: True
code: |
  bean.sweet_index
  final_screen
---
event: final_screen
question: |
  % if bean.{method}():
  It is tasty.
  % else:
  It is not tasty.
  % endif
---
question: How sweet is it?
fields:
  - Sweetness: bean.sweet_index
    datatype: integer
---
question: How savory is it?
fields:
  - Savoriness: bean.savory_index
    datatype: integer
"#
        )
    };
    let iv = compile_loaded(&src, &interview("is_tasty"));
    let mut st = SessionState::default();
    let s = first(&iv, &mut st);
    assert_eq!(s.question_text, "How sweet is it?");
    // sweet enough: the `or` never reads the savory index
    let mut sweet = st.clone();
    let done = submit(&iv, &mut sweet, &s, &[("bean.sweet_index", "8")]);
    assert_eq!(done.question_text, "It is tasty.", "{done:?}");
    // not sweet: the savory index is undefined, and the decorated method may not ask for it
    let sub = engine::run::Submission {
        question_name: Some(s.question_name.clone()),
        values: vec![("bean.sweet_index".into(), "3".into())],
        ..Default::default()
    };
    let err = engine::run::Engine::new(&iv, &common::host())
        .answer(&mut st, &sub)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("DAError")
            && err.contains(
                "Reference to undefined variable in context where dependency satisfaction not allowed"
            ),
        "{err}"
    );
    // the same method undecorated asks for what it needs
    let iv = compile_loaded(&src, &interview("is_salty"));
    let mut st = SessionState::default();
    let s = first(&iv, &mut st);
    let s = submit(&iv, &mut st, &s, &[("bean.sweet_index", "3")]);
    assert_eq!(s.question_text, "How savory is it?");
}
