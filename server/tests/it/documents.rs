//! Attachments' files from a real server: a DOCX template, a PDF form and Markdown content
//! downloaded as PDF, DOCX and RTF by the session that owns them (and nobody else), the zip of
//! `_download_attachments`, and a `variable name`'s file reached from a later screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;

use common::TestServer;
use engine::run::encode_name;
use serde_json::Value;

const RECIPE: &str = "docassemble.doctest:data/questions/recipe.yml";
const FORM: &str = "docassemble.doctest:data/questions/form.yml";
const LETTER: &str = "docassemble.doctest:data/questions/letter.yml";
const SIGNED: &str = "docassemble.doctest:data/questions/signed.yml";

const SIGNED_YML: &str = r#"
question: Your signature
fields:
  - Signature: user_signature
    datatype: file
---
mandatory: True
question: Signed
attachments:
  - name: Signed form
    filename: signed-form
    pdf template file: sample-form.pdf
    fields:
      - Your Name: ${ user_signature }
  - name: Signed letter
    filename: signed-letter
    valid formats:
      - pdf
    content: |
      Signed:

      ${ user_signature }
  - name: Signed recipe
    filename: signed-recipe
    docx template file: recipe_template.docx
    fields:
      title: ${ user_signature }
      oven_temperature: hot
      ingredients: []
      preparation_time: now
"#;

const RECIPE_YML: &str = r#"
question: What is the special ingredient?
fields:
  - Ingredient: special_ingredient
---
mandatory: True
question: Your recipe is ready
attachment:
  name: Your recipe
  filename: recipe
  docx template file: recipe_template.docx
  fields:
    - title: Mandelbrot cookies
    - oven_temperature: 350 degrees
    - ingredients:
        - apple sauce
        - ${ special_ingredient }
        - flour
    - preparation_time: 48 hours
"#;

const FORM_YML: &str = r#"
question: Your name?
fields:
  - Name: user_name
  - Apples?: likes_apples
    datatype: yesnoradio
---
mandatory: True
question: Your form
attachment:
  name: A filled-in form
  filename: filled-form
  pdf template file: sample-form.pdf
  fields:
    - Your Name: ${ user_name }
    - Apple Checkbox: ${ likes_apples }
"#;

const LETTER_YML: &str = r#"
question: To whom?
fields:
  - Name: recipient
---
attachment:
  name: Letter
  filename: letter
  variable name: the_letter
  valid formats:
    - pdf
    - docx
    - rtf
  metadata:
    title: Letter to ${ recipient }
  content: |
    # Dear ${ recipient }

    [BOLDCENTER] Notice

    Please pay **now**.
---
mandatory: True
question: Done
subquestion: |
  [Download](${ the_letter.pdf.url_for() })
"#;

fn packages(dir: &Path) {
    let base = dir.join("docassemble/doctest/data");
    std::fs::create_dir_all(base.join("questions")).unwrap();
    std::fs::create_dir_all(base.join("templates")).unwrap();
    std::fs::write(base.join("questions/recipe.yml"), RECIPE_YML).unwrap();
    std::fs::write(base.join("questions/form.yml"), FORM_YML).unwrap();
    std::fs::write(base.join("questions/letter.yml"), LETTER_YML).unwrap();
    std::fs::write(base.join("questions/signed.yml"), SIGNED_YML).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../documents/tests/data");
    for f in ["recipe_template.docx", "sample-form.pdf"] {
        std::fs::copy(data.join(f), base.join("templates").join(f)).unwrap();
    }
}

async fn screen(client: &reqwest::Client, server: &TestServer, i: &str) -> Value {
    let resp = client
        .get(server.url(&format!("/interview?i={i}&json=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn answer(
    client: &reqwest::Client,
    server: &TestServer,
    i: &str,
    screen: &Value,
    answers: &[(&str, &str)],
) -> Value {
    let csrf = screen["csrf_token"].as_str().unwrap().to_string();
    let qn = screen["_question_name"].as_str().unwrap().to_string();
    let mut form: Vec<(String, String)> = vec![
        ("json".into(), "1".into()),
        ("csrf_token".into(), csrf),
        ("_question_name".into(), qn),
    ];
    for (k, v) in answers {
        form.push((encode_name(k), v.to_string()));
    }
    let resp = client
        .post(server.url(&format!("/interview?i={i}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn download(
    client: &reqwest::Client,
    server: &TestServer,
    url: &str,
) -> (u16, String, Vec<u8>) {
    let resp = client.get(server.url(url)).send().await.unwrap();
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ctype, resp.bytes().await.unwrap().to_vec())
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn docx_xml(bytes: &[u8]) -> String {
    documents::archive::read(bytes, "DOCX")
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docx_template_as_docx_and_pdf_for_its_owner_only() {
    let pkgs = tempfile::tempdir().unwrap();
    packages(pkgs.path());
    let server = TestServer::start_with(vec![pkgs.path().to_path_buf()]).await;
    let client = server.browser();
    let first = screen(&client, &server, RECIPE).await;
    let done = answer(
        &client,
        &server,
        RECIPE,
        &first,
        &[("special_ingredient", "cocoa & nuts")],
    )
    .await;
    let att = &done["attachments"][0];
    assert_eq!(att["filename_with_extension"]["docx"], "recipe.docx");
    assert!(
        att.get("fields").is_none(),
        "server-side details stay on the server"
    );
    let docx_url = att["url"]["docx"].as_str().unwrap().to_string();
    let pdf_url = att["url"]["pdf"].as_str().unwrap().to_string();

    let (status, ctype, bytes) = download(&client, &server, &docx_url).await;
    assert_eq!(status, 200);
    assert!(ctype.contains("wordprocessingml"), "{ctype}");
    let xml = docx_xml(&bytes);
    assert!(
        xml.contains("Mandelbrot cookies") && xml.contains("cocoa &amp; nuts"),
        "{xml}"
    );
    assert!(!xml.contains("{%"));

    let (status, ctype, bytes) = download(&client, &server, &pdf_url).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/pdf");
    let text = pdf_text(&bytes);
    assert!(
        text.contains("Mandelbrot cookies") && text.contains("cocoa & nuts"),
        "{text}"
    );

    // Another browser cannot have it; an unknown format or number is a 404.
    let stranger = server.browser();
    let (status, _, _) = download(&stranger, &server, &pdf_url).await;
    assert!(status == 403 || status == 404, "{status}");
    let (status, _, _) = download(
        &client,
        &server,
        &pdf_url.replace("recipe.pdf", "recipe.rtf"),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = download(&client, &server, &pdf_url.replace("&a=0", "&a=5")).await;
    assert_eq!(status, 404);

    // The zip of all the screen's documents.
    let csrf = done["csrf_token"].as_str().unwrap();
    let resp = client
        .post(server.url(&format!("/interview?i={RECIPE}")))
        .form(&[
            ("csrf_token", csrf),
            ("_download_attachments", "1"),
            ("json", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/zip");
    let zip = resp.bytes().await.unwrap();
    let names: Vec<String> = documents::archive::read(&zip, "zip")
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        vec!["recipe.pdf".to_string(), "recipe.docx".to_string()]
    );
    // Nothing was answered by it: the same screen is still there.
    assert_eq!(
        screen(&client, &server, RECIPE).await["_question_name"],
        done["_question_name"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_template_is_filled() {
    let pkgs = tempfile::tempdir().unwrap();
    packages(pkgs.path());
    let server = TestServer::start_with(vec![pkgs.path().to_path_buf()]).await;
    let client = server.browser();
    let first = screen(&client, &server, FORM).await;
    let done = answer(
        &client,
        &server,
        FORM,
        &first,
        &[("user_name", "Jane Doe"), ("likes_apples", "True")],
    )
    .await;
    let att = &done["attachments"][0];
    assert!(att["url"].get("docx").is_none());
    let (status, ctype, bytes) =
        download(&client, &server, att["url"]["pdf"].as_str().unwrap()).await;
    assert_eq!((status, ctype.as_str()), (200, "application/pdf"));
    let fields = documents::pdf_form::fields(&bytes).unwrap();
    let get = |n: &str| fields.iter().find(|f| f.name == n).cloned().unwrap();
    assert_eq!(get("Your Name").value.as_deref(), Some("Jane Doe"));
    let apple = get("Apple Checkbox");
    assert_eq!(apple.value, apple.on_states.first().cloned());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_and_a_variable_names_files() {
    let pkgs = tempfile::tempdir().unwrap();
    packages(pkgs.path());
    let server = TestServer::start_with(vec![pkgs.path().to_path_buf()]).await;
    let client = server.browser();
    let first = screen(&client, &server, LETTER).await;
    let done = answer(&client, &server, LETTER, &first, &[("recipient", "Bob")]).await;
    let sub = done["subquestionText"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let start = sub
        .find("/document/letter.pdf")
        .unwrap_or_else(|| panic!("no link in {sub}"));
    let end = sub[start..].find('"').map(|e| start + e).unwrap();
    let url = sub[start..end].replace("&amp;", "&");
    let (status, _, bytes) = download(&client, &server, &url).await;
    assert_eq!(status, 200, "{url}");
    let text = pdf_text(&bytes);
    assert!(
        text.contains("Dear Bob") && text.contains("Notice") && text.contains("now"),
        "{text}"
    );
    let (status, ctype, bytes) =
        download(&client, &server, &url.replace("letter.pdf", "letter.rtf")).await;
    assert_eq!((status, ctype.as_str()), (200, "application/rtf"));
    assert!(String::from_utf8_lossy(&bytes).contains("Dear Bob"));
    let (status, _, bytes) =
        download(&client, &server, &url.replace("letter.pdf", "letter.docx")).await;
    assert_eq!(status, 200);
    assert!(docx_xml(&bytes).contains("Dear Bob"));
    // Code is not a variable name.
    let (status, _, _) = download(
        &client,
        &server,
        &url.replace("a=the_letter", "a=__import__%28%27os%27%29"),
    )
    .await;
    assert_eq!(status, 400);
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer
            .write_image_data(&vec![40u8; (w * h * 4) as usize])
            .unwrap();
    }
    out
}

/// How many colour images the PDF holds (their alpha masks are not counted).
fn image_count(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let name = |s: &lopdf::Stream, k: &[u8]| {
        s.dict
            .get(k)
            .ok()
            .and_then(|t| t.as_name().ok())
            .map(<[u8]>::to_vec)
    };
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            name(s, b"Subtype").as_deref() == Some(b"Image".as_slice())
                && name(s, b"ColorSpace").as_deref() == Some(b"DeviceRGB".as_slice())
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_signature_is_placed_in_the_documents() {
    use base64::Engine as _;
    let pkgs = tempfile::tempdir().unwrap();
    packages(pkgs.path());
    let server = TestServer::start_with(vec![pkgs.path().to_path_buf()]).await;
    let client = server.browser();
    let first = screen(&client, &server, SIGNED).await;
    let var = encode_name("user_signature");
    let data = base64::engine::general_purpose::STANDARD.encode(png(30, 10));
    let inline = serde_json::json!({
        "keys": [var],
        "values": {var.clone(): [{"name": "sig.png", "size": 1, "type": "image/png",
                                  "content": format!("data:image/png;base64,{data}")}]}
    });
    let csrf = first["csrf_token"].as_str().unwrap().to_string();
    let qn = first["_question_name"].as_str().unwrap().to_string();
    let resp = client
        .post(server.url(&format!("/interview?i={SIGNED}")))
        .form(&[
            ("json", "1"),
            ("csrf_token", csrf.as_str()),
            ("_question_name", qn.as_str()),
            ("_files_inline", encode_name(&inline.to_string()).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let done: Value = resp.json().await.unwrap();
    assert_eq!(done["questionText"], "Signed", "{done}");
    for n in 0..2 {
        let url = done["attachments"][n]["url"]["pdf"].as_str().unwrap();
        let (status, _, bytes) = download(&client, &server, url).await;
        assert_eq!(status, 200);
        assert_eq!(image_count(&bytes), 1, "document {n} has the signature");
    }
    let url = done["attachments"][2]["url"]["docx"].as_str().unwrap();
    let (status, _, bytes) = download(&client, &server, url).await;
    assert_eq!(status, 200);
    assert!(
        docx_xml(&bytes).contains("<w:drawing>"),
        "the DOCX has the signature"
    );
}
