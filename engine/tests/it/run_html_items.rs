//! `html` / `raw html` items: sanitised, and sanitised together when they open elements one
//! closes later around the fields between them (docassemble's accordion recipe).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first};
use engine::run::SessionState;

const ACCORDION: &str = r##"
mandatory: True
question: Tell me about your preferences
fields:
  - raw html: |
      <div class="accordion" id="a"><div class="accordion-item"><h2><button class="accordion-button" type="button" data-bs-toggle="collapse" data-bs-target="#c1" aria-expanded="true" onclick="steal()">Pets</button></h2><div id="c1" class="accordion-collapse collapse show" data-bs-parent="#a"><div class="accordion-body">
  - Favorite cat: favorite_cat
  - raw html: |
      </div></div></div><div class="accordion-item"><h2><button class="accordion-button collapsed" type="button" data-bs-toggle="collapse" data-bs-target="#c2" aria-expanded="false">Food</button></h2><div id="c2" class="accordion-collapse collapse" data-bs-parent="#a"><div class="accordion-body">
  - Favorite fruit: favorite_fruit
  - raw html: |
      </div></div></div></div><img src="x.png" onerror="steal()">${ note }
---
code: |
  note = '<script>steal()</script><b>bold</b>'
"##;

#[test]
fn html_items_that_open_and_close_around_fields_are_cleaned_together() {
    let iv = compile(ACCORDION);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let html: Vec<&str> = s.fields.iter().filter_map(|f| f.html.as_deref()).collect();
    assert_eq!(html.len(), 3, "{:?}", s.fields);
    assert!(
        s.fields
            .iter()
            .filter(|f| f.html.is_some())
            .all(|f| f.html_spans)
    );
    // The first item leaves its sections open for the field after it.
    assert!(
        html[0]
            .trim_end()
            .ends_with("<div class=\"accordion-body\">"),
        "{}",
        html[0]
    );
    assert!(html[0].contains("data-bs-target=\"#c1\""), "{}", html[0]);
    assert!(html[1].starts_with("</div></div></div>"), "{}", html[1]);
    // Nothing that runs script survives, from the author or from an answer.
    let all = html.concat();
    assert!(
        !all.contains("onclick") && !all.contains("onerror"),
        "{all}"
    );
    assert!(!all.contains("<script"), "{all}");
    assert!(all.contains("<b>bold</b>"), "{all}");
    // The fields between keep their places.
    let names: Vec<_> = s
        .fields
        .iter()
        .filter_map(|f| f.variable_name.as_deref())
        .collect();
    assert_eq!(names, ["favorite_cat", "favorite_fruit"]);
    // In the screen's JSON the mark goes with the items; fields without it have none.
    let json = serde_json::to_value(&s).unwrap();
    let fields = json["fields"].as_array().unwrap();
    assert_eq!(fields[0]["html_spans"], true);
    assert!(fields[1].get("html_spans").is_none());
}

#[test]
fn balanced_html_items_are_cleaned_each_on_its_own() {
    let iv = compile(
        r#"
mandatory: True
question: Hi
fields:
  - html: |
      <p class="x" style="color: red">One</p><iframe src="https://evil.example/"></iframe>
  - Name: name
  - raw html: |
      <div>Two</div>
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let html: Vec<&str> = s.fields.iter().filter_map(|f| f.html.as_deref()).collect();
    assert_eq!(html.len(), 2);
    assert!(s.fields.iter().all(|f| !f.html_spans));
    assert!(html[0].contains("<p class=\"x\""), "{}", html[0]);
    assert!(!html[0].contains("evil.example"), "{}", html[0]);
    assert_eq!(html[1].trim(), "<div>Two</div>");
}
