//! `image sets` / `images`: `:name:` draws an image, `decoration` sets the question's image,
//! and the attribution of a set whose image the screen shows is listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::first;
use engine::run::{CompiledInterview, SessionState};
use engine::{FileRef, MemSource};

const YAML: &str = r#"
image sets:
  freepik:
    attribution: |
      Icon made by
      [Freepik](http://www.flaticon.com/authors/freepik)
    images:
      baby: crawling.svg
      money: commerce.svg
---
images:
  bills: docassemble.demo:data/static/money.png
---
decoration: money
question: |
  Money is important.
subquestion: |
  And if you have a :baby: you will need a lot of it; :bills: and :nothing: too.
mandatory: True
"#;

fn compile(yaml: &str) -> CompiledInterview {
    let reference = FileRef::Package {
        package: "docassemble.base".into(),
        path: "data/questions/examples/image-sets.yml".into(),
    };
    let iv = engine::load_str(&MemSource::new(), &reference, yaml).unwrap();
    CompiledInterview::new(iv).unwrap()
}

#[test]
fn images_decorate_and_are_attributed() {
    let iv = compile(YAML);
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    let sub = s.subquestion_text.clone().unwrap();
    assert!(
        sub.contains(
            r#"<img alt="" class="daicon" src="/packagestatic/docassemble.base/crawling.svg">"#
        ),
        "{sub}"
    );
    assert!(
        sub.contains(r#"src="/packagestatic/docassemble.demo/money.png""#),
        "{sub}"
    );
    // A name that is no image stays as it is.
    assert!(sub.contains(":nothing:"), "{sub}");
    let d = s.decoration.clone().unwrap();
    assert_eq!(
        (d.name.as_str(), d.url.as_str()),
        ("money", "/packagestatic/docassemble.base/commerce.svg")
    );
    assert_eq!(s.attributions.len(), 1, "{:?}", s.attributions);
    assert!(
        s.attributions[0]
            .starts_with("Icon made by <a href=\"http://www.flaticon.com/authors/freepik\""),
        "{:?}",
        s.attributions
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["decoration"]["url"],
        "/packagestatic/docassemble.base/commerce.svg"
    );
    assert!(
        json["attributions"][0]
            .as_str()
            .unwrap()
            .contains("Freepik")
    );
}

#[test]
fn a_screen_without_attributed_images_lists_none() {
    let iv = compile(
        r#"
image sets:
  freepik:
    attribution: Icon made by Freepik
    images:
      baby: crawling.svg
---
question: No pictures here
mandatory: True
"#,
    );
    let mut st = SessionState::new();
    let s = first(&iv, &mut st);
    assert!(s.attributions.is_empty());
    assert!(s.decoration.is_none());
    assert!(
        serde_json::to_value(&s)
            .unwrap()
            .get("attributions")
            .is_none()
    );
}
