//! The reader never panics, whatever the input.

use engine::{FileRef, MemSource, load_str};
use proptest::prelude::*;

fn read(text: &str) {
    let src = MemSource::new().with("inc.yml", "question: included\n");
    let _ = load_str(&src, &FileRef::Path("p.yml".into()), text);
}

/// YAML-ish fragments that exercise block keys, nesting, anchors and flow syntax.
fn yamlish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "question: ",
        "fields:",
        "  - ",
        "    datatype: ",
        "yesno: ",
        "code: |",
        "  x = 1",
        "choices:",
        "buttons:",
        "field: ",
        "include: inc.yml",
        "---",
        "...",
        "\n",
        "  ",
        "\t",
        ": ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&a ",
        "*a",
        "<<: ",
        "!!str ",
        "!foo ",
        "\"",
        "'",
        "#",
        "|",
        ">",
        "True",
        "no",
        "010",
        "2020-01-01",
        "objects:",
        "  - x: DAList",
        "attachment:",
        "  name: n",
        "review:",
        "  - Edit: v",
        "mandatory: True",
        "label: ",
        "value: ",
        "show if:",
        "  variable: a",
        "  is: b",
        "metadata:",
        "features:",
        "sections:",
        "terms:",
        "table: t",
        "rows: r",
        "columns:",
        "template: t",
        "content: c",
        "need:",
        "  pre: a",
        "generic object: C",
        "event: e",
        "\u{feff}",
        "é",
        "\r\n",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_do_not_panic(s in ".*") {
        read(&s);
    }

    #[test]
    fn yamlish_text_does_not_panic(s in yamlish()) {
        read(&s);
    }
}

#[test]
fn deep_nesting_and_alias_bombs_do_not_panic() {
    read(&"[".repeat(10_000));
    read(&format!("a: {}1{}\n", "[".repeat(300), "]".repeat(300)));
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("a{}", i - 1)
        };
        bomb.push_str(&format!(
            "a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    read(&bomb);
}
