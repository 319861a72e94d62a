//! What the engine gives the host for an attachment's files: the Markdown, the template file
//! (its bytes read with the interview), the rendered `fields` and `metadata`, a `variable
//! name` whose `.pdf`/`.docx` are files with download URLs, and the Jinja2 context.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use engine::run::{CompiledInterview, Engine, SessionState};
use engine::runtime::{DaHost, RuntimeConfig};
use engine::{FileRef, MemSource};
use serde_json::json;

const PKG: &str = "docassemble.docs:data/questions/t.yml";

fn host() -> DaHost {
    let now = NaiveDate::from_ymd_opt(2024, 1, 2)
        .unwrap()
        .and_hms_opt(3, 4, 5)
        .unwrap();
    let mut c = RuntimeConfig::at(now);
    c.interview_name = PKG.into();
    DaHost::new(c)
}

fn compile(yaml: &str) -> CompiledInterview {
    let mut src = MemSource::new();
    src.insert(PKG, yaml);
    src.insert_bytes(
        "docassemble.docs:data/templates/letter.docx",
        b"PK fake docx".to_vec(),
    );
    src.insert_bytes(
        "docassemble.docs:data/templates/form.pdf",
        b"%PDF-1.4".to_vec(),
    );
    let iv = engine::load(&src, &FileRef::parse(PKG)).unwrap();
    CompiledInterview::new(iv).unwrap()
}

const INTERVIEW: &str = r#"
objects:
  - client: Individual
---
code: |
  client.name.first = "Jane"
  client.name.last = "Doe"
  fruit = ["apple", "pear"]
  likes_apples = True
---
mandatory: True
question: Your documents
subquestion: |
  Also at ${ later_doc.pdf.url_for() }
attachments:
  - name: Letter to ${ client }
    filename: letter_${ client.name.last }
    docx template file: letter.docx
    fields:
      greeting: Dear ${ client.name.first }
      items:
        - ${ fruit[0] }
        - flour
    metadata:
      title: For ${ client }
  - name: Form
    filename: form
    pdf template file: form.pdf
    editable: False
    fields:
      - Your Name: ${ client }
    field code:
      - Apple Checkbox: likes_apples
  - name: Notes
    content: |
      # Notes for ${ client }

      [PAGEBREAK]
---
attachment:
  name: Later
  filename: later
  variable name: later_doc
  content: Hello ${ client.name.first }
"#;

#[test]
fn attachments_carry_what_the_files_need() {
    let iv = compile(INTERVIEW);
    assert_eq!(
        iv.interview
            .binary_file("docassemble.docs:data/templates/letter.docx"),
        Some(&b"PK fake docx"[..])
    );
    let h = host();
    let eng = Engine::new(&iv, &h);
    let mut st = SessionState::new();
    let screen = eng.screen(&mut st).unwrap();
    let a = &screen.attachments;
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(a[0].name, "Letter to Jane Doe");
    assert_eq!(a[0].filename, "letter_Doe");
    assert_eq!(a[0].template.as_deref(), Some("docx"));
    assert_eq!(
        a[0].template_files,
        vec!["docassemble.docs:data/templates/letter.docx".to_string()]
    );
    assert_eq!(a[0].formats, vec!["pdf", "docx"]);
    assert_eq!(a[0].fields["greeting"], json!("Dear Jane"));
    assert_eq!(a[0].fields["items"], json!(["apple", "flour"]));
    assert_eq!(a[0].metadata["title"], "For Jane Doe");
    assert_eq!(a[1].template.as_deref(), Some("pdf"));
    assert_eq!(a[1].editable, Some(false));
    assert_eq!(a[0].editable, None);
    assert_eq!(a[1].formats, vec!["pdf"]);
    assert_eq!(a[1].fields["Your Name"], json!("Jane Doe"));
    assert_eq!(a[1].fields["Apple Checkbox"], json!(true));
    assert_eq!(a[2].template, None);
    assert_eq!(a[2].formats, vec!["pdf", "rtf"]);
    assert!(a[2].markdown["pdf"].contains("# Notes for Jane Doe"));
    // The variable's files have download URLs naming the interview and the variable.
    let sub = screen.subquestion_text.clone().unwrap_or_default();
    assert!(
        sub.contains(
            "/document/later.pdf?i=docassemble.docs%3Adata%2Fquestions%2Ft.yml&amp;a=later_doc"
        ) || sub.contains(
            "/document/later.pdf?i=docassemble.docs%3Adata%2Fquestions%2Ft.yml&a=later_doc"
        ),
        "{sub}"
    );
    // …and the host finds the document again from the variable.
    let stored = eng.stored_attachment(&st, "later_doc").unwrap();
    assert_eq!(stored.filename, "later");
    assert!(stored.markdown.values().any(|m| m.contains("Hello Jane")));
    assert!(eng.stored_attachment(&st, "fruit").is_none());
    assert!(eng.stored_attachment(&st, "nothing_here").is_none());
}

#[test]
fn the_jinja_context_has_objects_with_their_text() {
    let iv = compile(INTERVIEW);
    let h = host();
    let eng = Engine::new(&iv, &h);
    let mut st = SessionState::new();
    eng.screen(&mut st).unwrap();
    let before = st.clone();
    let ctx = eng.document_context(&st);
    assert_eq!(
        st.to_bytes().unwrap(),
        before.to_bytes().unwrap(),
        "making the context changes nothing"
    );
    assert_eq!(ctx["client"]["__str__"], json!("Jane Doe"));
    assert_eq!(ctx["client"]["name"]["first"], json!("Jane"));
    assert_eq!(ctx["fruit"], json!(["apple", "pear"]));
    assert_eq!(ctx["likes_apples"], json!(true));
}

#[test]
fn a_missing_template_does_not_stop_the_interview() {
    let yaml = "mandatory: True\nquestion: Doc\nattachment:\n  name: X\n  docx template file: missing.docx\n";
    let mut src = MemSource::new();
    src.insert(PKG, yaml);
    let iv = engine::load(&src, &FileRef::parse(PKG)).unwrap();
    let iv = CompiledInterview::new(iv).unwrap();
    assert!(iv.interview.binary_files.is_empty());
    let h = host();
    let screen = Engine::new(&iv, &h)
        .screen(&mut SessionState::new())
        .unwrap();
    assert_eq!(
        screen.attachments[0].template_files,
        vec!["docassemble.docs:data/templates/missing.docx".to_string()]
    );
}

#[test]
fn variables_a_docx_template_uses_are_asked_for() {
    let yaml = r#"
mandatory: True
question: Your letter
attachment:
  name: Letter
  docx template file: letter.docx
  fields:
    given: here
---
question: Your pet?
fields:
  - Pet: pet
"#;
    let mut src = MemSource::new();
    src.insert(PKG, yaml);
    src.insert_bytes(
        "docassemble.docs:data/templates/letter.docx",
        b"PK".to_vec(),
    );
    let mut iv = engine::load(&src, &FileRef::parse(PKG)).unwrap();
    iv.template_uses.insert(
        "docassemble.docs:data/templates/letter.docx".into(),
        vec![
            ("given".into(), true),
            ("nobody_defines_this".into(), false),
            ("pet".into(), true),
        ],
    );
    let iv = CompiledInterview::new(iv).unwrap();
    let h = host();
    let eng = Engine::new(&iv, &h);
    let mut st = SessionState::new();
    let first = eng.screen(&mut st).unwrap();
    assert_eq!(first.question_text, "Your pet?");
    let sub = engine::run::Submission {
        question_name: Some(first.question_name.clone()),
        values: vec![("pet".into(), "Rex".into())],
        files: Vec::new(),
        action: None,
    };
    let engine::run::Answered::Next(done) = eng.answer(&mut st, &sub).unwrap() else {
        panic!("not answered")
    };
    assert_eq!(done.question_text, "Your letter");
    assert_eq!(eng.document_context(&st)["pet"], json!("Rex"));
}

#[test]
fn printed_expressions_are_evaluated_with_the_attachment() {
    let mut src = MemSource::new();
    src.insert(PKG, INTERVIEW);
    src.insert_bytes(
        "docassemble.docs:data/templates/letter.docx",
        b"PK".to_vec(),
    );
    src.insert_bytes("docassemble.docs:data/templates/form.pdf", b"%PDF".to_vec());
    let mut iv = engine::load(&src, &FileRef::parse(PKG)).unwrap();
    iv.template_uses.insert(
        "docassemble.docs:data/templates/letter.docx".into(),
        vec![
            ("client.name.first.upper()".into(), true),
            ("nobody_defines_this.x".into(), true),
            ("1 +".into(), true),
            ("greeting".into(), true),
            ("[f.upper() for f in fruit]".into(), false),
        ],
    );
    let iv = CompiledInterview::new(iv).unwrap();
    let h = host();
    let screen = Engine::new(&iv, &h)
        .screen(&mut SessionState::new())
        .unwrap();
    let e = &screen.attachments[0].expressions;
    assert_eq!(
        e.get("client.name.first.upper()").map(String::as_str),
        Some("JANE")
    );
    assert_eq!(
        e.len(),
        1,
        "failing ones and names given by fields are left out: {e:?}"
    );
}

/// A DOCX template that prints a `template` block whose text needs an undefined variable
/// asks for it first (the template is defined lazily; printing it renders it), then has the
/// text among the printed expressions.
#[test]
fn a_printed_template_asks_for_what_its_text_needs() {
    let yaml = r#"
mandatory: True
question: Your letter
attachment:
  name: Letter
  docx template file: letter.docx
---
template: closing
content: |
  Yours, ${ signer }
---
question: Who signs?
fields:
  - Signer: signer
"#;
    let mut src = MemSource::new();
    src.insert(PKG, yaml);
    src.insert_bytes(
        "docassemble.docs:data/templates/letter.docx",
        b"PK".to_vec(),
    );
    let mut iv = engine::load(&src, &FileRef::parse(PKG)).unwrap();
    iv.template_uses.insert(
        "docassemble.docs:data/templates/letter.docx".into(),
        vec![("closing".into(), true)],
    );
    let iv = CompiledInterview::new(iv).unwrap();
    let h = host();
    let eng = Engine::new(&iv, &h);
    let mut st = SessionState::new();
    let first = eng.screen(&mut st).unwrap();
    assert_eq!(first.question_text, "Who signs?");
    let sub = engine::run::Submission {
        question_name: Some(first.question_name.clone()),
        values: vec![("signer".into(), "Ann".into())],
        files: Vec::new(),
        action: None,
    };
    let engine::run::Answered::Next(done) = eng.answer(&mut st, &sub).unwrap() else {
        panic!("not answered")
    };
    assert_eq!(done.question_text, "Your letter");
    assert_eq!(
        done.attachments[0]
            .expressions
            .get("closing")
            .map(|t| t.trim()),
        Some("Yours, Ann")
    );
}

/// An attachment's `variable name` (a DAFileCollection) shows, and links to, its first file
/// (docassemble's `_first_file`: the PDF when there is one).
#[test]
fn a_document_variable_shows_its_first_file() {
    let yaml = r#"
mandatory: True
question: Done
subquestion: |
  ${ complaint } [pleading](${ complaint.url_for() }) [RTF](${ complaint.rtf.url_for() })
---
attachment:
  filename: complaint
  name: Complaint
  variable name: complaint
  content: |
    This is a complaint.
"#;
    let iv = compile(yaml);
    let h = host();
    let s = Engine::new(&iv, &h)
        .screen(&mut SessionState::new())
        .unwrap();
    let sub = s.subquestion_text.unwrap_or_default();
    assert!(sub.contains("complaint.pdf"), "{sub}");
    let pdf = sub.find(".pdf").unwrap();
    let rtf = sub.find(".rtf").unwrap();
    assert!(pdf < rtf, "the collection's link is the PDF's: {sub}");
}
