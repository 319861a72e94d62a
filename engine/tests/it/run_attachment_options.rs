//! `allow emailing` (on unless turned off), `allow downloading` (off unless turned on) and
//! `manual attachment list` of a question with documents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{compile, first};
use engine::run::SessionState;

fn screen(options: &str) -> engine::run::Screen {
    let iv = compile(&format!(
        r#"
mandatory: True
question: Your document is ready.
{options}
attachment:
  name: A document
  filename: hello
  content: Hello, world!
"#
    ));
    let mut st = SessionState::new();
    first(&iv, &mut st)
}

#[test]
fn documents_may_be_emailed_unless_the_question_says_not() {
    let s = screen("");
    assert!(s.allow_emailing);
    assert!(!s.allow_downloading);
    let json = serde_json::to_value(&s).unwrap();
    assert!(json.get("allowEmailing").is_none());
    let s = screen("allow emailing: False\nallow downloading: True");
    assert!(!s.allow_emailing);
    assert!(s.allow_downloading);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["allowEmailing"], false);
    assert_eq!(json["allowDownloading"], true);
}

#[test]
fn the_options_may_be_code() {
    let s = screen("allow downloading: 1 + 1 == 2\nallow emailing: 1 > 2");
    assert!(s.allow_downloading);
    assert!(!s.allow_emailing);
}

#[test]
fn a_manual_attachment_list_lists_no_documents() {
    let s = screen("");
    assert!(!s.manual_attachment_list);
    assert!(
        serde_json::to_value(&s)
            .unwrap()
            .get("manualAttachmentList")
            .is_none()
    );
    let s = screen("manual attachment list: True");
    assert!(s.manual_attachment_list);
    // The documents are still made (the question links them) and may be e-mailed.
    assert_eq!(s.attachments.len(), 1);
    assert!(s.allow_emailing);
    assert_eq!(
        serde_json::to_value(&s).unwrap()["manualAttachmentList"],
        true
    );
}
