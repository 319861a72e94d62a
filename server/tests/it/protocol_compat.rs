//! The applicable compatibility checks of protocol spec §9 (items 1–15; 16–20 need accounts and
//! API keys, which do not exist yet), uploads, the bad-input catalogue, `multi_user`, and "no
//! answer bytes in plaintext at rest". Every test runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::PathBuf;

use common::protocol::{answer, get_screen, post_form};
use common::{Backend, TestServer};
use engine::run::encode_name;
use serde_json::{Value, json};

const PKG: &str = "docassemble.colloquytest:data/questions";

/// Test interviews, written once into a packages root under the target directory.
fn packages() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("protocol-compat-packages");
    let dir = root.join("docassemble/colloquytest/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    let files: &[(&str, &str)] = &[
        (
            "fruit.yml",
            r#"metadata:
  title: Fruit
---
mandatory: True
question: |
  You want ${ favorite_fruit } in quantity ${ quantity }.
---
question: What fruit?
fields:
  - Fruit: favorite_fruit
---
question: How many?
fields:
  - Quantity: quantity
    datatype: integer
"#,
        ),
        (
            "text.yml",
            r#"mandatory: True
question: Checks
subquestion: |
  text=${ t_text == 'hi' }; area=${ t_area == 'C:temp' }; raw=${ t_raw == 'C:\\temp' }
---
question: Type
fields:
  - Text: t_text
  - Area: t_area
    datatype: area
  - Raw: t_raw
    datatype: raw
"#,
        ),
        (
            "upload.yml",
            r#"mandatory: True
question: Uploaded
subquestion: |
  pic=${ user_picture.url_for() }
---
question: Upload a picture
fields:
  - Picture: user_picture
    datatype: file
"#,
        ),
        (
            "signature.yml",
            r#"mandatory: True
question: Signed
subquestion: |
  sig=${ user_signature.url_for() }
---
question: Sign your name
signature: user_signature
"#,
        ),
        (
            "upload_pdf.yml",
            r#"mandatory: True
question: Uploaded
subquestion: |
  doc=${ document.url_for() }
---
question: Upload the PDF
fields:
  - Document: document
    datatype: file
    accept: "'application/pdf'"
"#,
        ),
        (
            "checkboxes.yml",
            r#"mandatory: True
question: |
  apple=${ fruit['apple'] } pear=${ fruit['pear'] }
---
question: Which fruit?
fields:
  - Fruit: fruit
    datatype: checkboxes
    choices:
      - apple
      - pear
"#,
        ),
        (
            "buttons.yml",
            r#"mandatory: True
question: Pick a colour
buttons:
  - Red:
      code: |
        colour = 'red'
  - Blue:
      code: |
        colour = 'blue'
---
mandatory: True
question: |
  Chose ${ colour }
"#,
        ),
        (
            "shared.yml",
            r#"mandatory: True
code: |
  multi_user = True
---
mandatory: True
question: |
  Shared note: ${ shared_note }
---
question: Write a note
fields:
  - Note: shared_note
"#,
        ),
        (
            "collect.yml",
            r#"objects:
  - fruit: DAList.using(object_type=Thing, there_are_any=True)
---
mandatory: True
question: |
  ${ fruit.number() } fruit: ${ fruit }
---
question: Tell me about the fruit
fields:
  - Fruit: fruit[i].name.text
list collect: True
"#,
        ),
        (
            "log.yml",
            r#"mandatory: True
code: |
  log("Your answers were saved.", "success")
  log("only in the server log")
  logged = True
---
mandatory: True
question: Logged
"#,
        ),
        (
            "email.yml",
            r#"mandatory: True
question: Your documents are ready.
attachment:
  name: A hello world document
  filename: Hello_World
  content: |
    Hello, world!
"#,
        ),
        (
            "validate.yml",
            r#"mandatory: True
question: You picked ${ number }.
---
question: Pick an even number
fields:
  - Number: number
    datatype: integer
    validate: |
      lambda y: y % 2 == 0
"#,
        ),
    ];
    common::write_interviews(&dir, files);
    root
}

async fn start(b: Backend) -> TestServer {
    TestServer::start_on(b, vec![packages()], |_| {}).await
}

fn iv(name: &str) -> String {
    format!("{PKG}/{name}.yml")
}

/// A multipart part.
enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        name: &'a str,
        filename: &'a str,
        ctype: &'a str,
        bytes: &'a [u8],
    },
}

fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "XcolloquyBoundary7MA4YWxk";
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match p {
            Part::Text(k, v) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                        .as_bytes(),
                );
            }
            Part::File {
                name,
                filename,
                ctype,
                bytes,
            } => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(
    client: &reqwest::Client,
    server: &TestServer,
    i: &str,
    parts: &[Part<'_>],
) -> (u16, Value) {
    let (ctype, body) = multipart(parts);
    let sent = client
        .post(server.url(&format!("/interview?i={i}")))
        .header("content-type", ctype)
        .body(body)
        .send()
        .await;
    let resp = match sent {
        // The server may refuse an oversized body from its Content-Length and close the
        // connection before the client has written it all: status 0 says so (callers that
        // expect a response fail on it).
        Err(e)
            if format!("{e:?}").contains("BrokenPipe")
                || format!("{e:?}").contains("ConnectionReset") =>
        {
            return (
                0,
                Value::String(format!("connection closed while sending: {e}")),
            );
        }
        other => other.unwrap(),
    };
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn b64json(v: &Value) -> String {
    encode_name(&v.to_string())
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-colloquy-test-image";

/// Uploads `bytes` as the picture of upload.yml; returns the status and response.
async fn upload_picture(
    client: &reqwest::Client,
    server: &TestServer,
    screen: &Value,
    filename: &str,
    ctype: &str,
    bytes: &[u8],
    visible: bool,
) -> (u16, Value) {
    let var = encode_name("user_picture");
    let files = b64json(&json!([var]));
    let vis = b64json(&json!(if visible { vec![var.clone()] } else { vec![] }));
    let csrf = screen["csrf_token"].as_str().unwrap();
    let qn = screen["_question_name"].as_str().unwrap();
    post_multipart(
        client,
        server,
        &iv("upload"),
        &[
            Part::Text("json", "1"),
            Part::Text("csrf_token", csrf),
            Part::Text("_question_name", qn),
            Part::Text("_files", &files),
            Part::Text("_visible", &vis),
            Part::File {
                name: &var,
                filename,
                ctype,
                bytes,
            },
        ],
    )
    .await
}

/// The `/uploadedfile/...` URL inside a descriptor shown on the screen.
fn file_url(screen: &Value) -> String {
    let text = screen["subquestionText"].as_str().unwrap_or("");
    let start = text
        .find("/uploadedfile/")
        .expect("no file URL on the screen");
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect()
}

// §9.1: a fresh cookie jar gets JSON, not a redirect, with the CSRF token, steps and the
// question, and an HttpOnly secret cookie.
async fn first_visit_sets_cookies_and_answers_json(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let resp = browser
        .get(server.url(&format!("/interview?i={}&json=1", iv("fruit"))))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let cookies: Vec<String> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let secret = cookies.iter().find(|c| c.starts_with("secret=")).unwrap();
    assert!(secret.contains("HttpOnly"), "{secret}");
    assert!(secret.contains("SameSite=Lax"), "{secret}");
    let s: Value = resp.json().await.unwrap();
    assert!(s["csrf_token"].is_string());
    assert_eq!(s["steps"], 1);
    assert_eq!(s["questionType"], "fields");
    assert!(s["_question_name"].is_string());
    assert!(s.get("secret").is_none());
    // §9.2: json=true is not an integer: the HTML app shell.
    let resp = browser
        .get(server.url(&format!("/interview?i={}&json=true", iv("fruit"))))
        .send()
        .await
        .unwrap();
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    server.stop().await;
}

// §9.3 and §9.6: a padded key works; integers drop commas; a bad integer is refused with the
// same question and no new step.
async fn padded_keys_and_integer_coercion(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("fruit");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let qn = s["_question_name"].as_str().unwrap().to_string();
    assert_eq!(encode_name("favorite_fruit"), "ZmF2b3JpdGVfZnJ1aXQ");
    let (status, s2) = post_form(
        &browser,
        &server,
        &i,
        &[
            ("json", "1"),
            ("csrf_token", &csrf),
            ("_question_name", &qn),
            ("ZmF2b3JpdGVfZnJ1aXQ=", "apple"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{s2}");
    assert_eq!(s2["questionText"], "How many?");
    assert_eq!(s2["steps"], 2);
    let (status, bad) = answer(&browser, &server, &i, &s2, &[("quantity", "abc")], &[]).await;
    assert_eq!(status, 200, "{bad}");
    assert_eq!(bad["_question_name"], s2["_question_name"]);
    assert_eq!(bad["steps"], 2);
    assert!(!bad["errors"].as_array().unwrap().is_empty(), "{bad}");
    let (status, done) = answer(&browser, &server, &i, &s2, &[("quantity", "1,234")], &[]).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "You want apple in quantity 1234.");
    assert_eq!(done["steps"], 3);
    server.stop().await;
}

// §9.4 (deliberate difference: a JSON 400, not a redirect) and the CSRF header form.
async fn csrf_is_required_by_field_or_header(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("fruit");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let qn = s["_question_name"].as_str().unwrap().to_string();
    let fruit = encode_name("favorite_fruit");
    let (status, body) = post_form(
        &browser,
        &server,
        &i,
        &[("json", "1"), ("_question_name", &qn), (&fruit, "apple")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Another browser's token does not work either.
    let other = server.browser();
    let (_, theirs) = get_screen(&other, &server, &i, "").await;
    let (status, _) = post_form(
        &browser,
        &server,
        &i,
        &[
            ("json", "1"),
            ("csrf_token", theirs["csrf_token"].as_str().unwrap()),
            ("_question_name", &qn),
            (&fruit, "apple"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    let (_, again) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(again["steps"], 1);
    // X-CSRFToken works like the field.
    let resp = browser
        .post(server.url(&format!("/interview?i={i}")))
        .header("X-CSRFToken", s["csrf_token"].as_str().unwrap())
        .form(&[("json", "1"), ("_question_name", &qn), (&fruit, "apple")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["steps"], 2);
    server.stop().await;
}

// §9.7: text answers lose HTML and backslashes; raw ones are kept verbatim.
async fn text_answers_are_converted_like_docassemble(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("text");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let (status, done) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[
            ("t_text", "<b>hi</b>"),
            ("t_area", "C:\\temp"),
            ("t_raw", "C:\\temp"),
        ],
        &[],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert!(
        done["subquestionText"]
            .as_str()
            .unwrap()
            .contains("text=True; area=True; raw=True"),
        "{done}"
    );
    server.stop().await;
}

// §9.8, §9.9: injected code and undecodable names are refused (400) and nothing is set.
async fn injected_names_set_nothing(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("fruit");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let qn = s["_question_name"].as_str().unwrap().to_string();
    let fruit = encode_name("favorite_fruit");
    assert_eq!(encode_name("os.system('id')"), "b3Muc3lzdGVtKCdpZCcp");
    for key in ["b3Muc3lzdGVtKCdpZCcp", "A", "Z", "!!!"] {
        let (status, body) = post_form(
            &browser,
            &server,
            &i,
            &[
                ("json", "1"),
                ("csrf_token", &csrf),
                ("_question_name", &qn),
                (key, "1"),
                (&fruit, "apple"),
            ],
        )
        .await;
        assert_eq!(status, 400, "{key}: {body}");
    }
    // A raw '+' in a form-encoded key becomes a space: the name is not on the screen.
    let resp = browser
        .post(server.url(&format!("/interview?i={i}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "json=1&csrf_token={csrf}&_question_name={}&ZnJ1aXRzWyc+J10=x",
            qn.replace(' ', "+")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let (_, again) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(again["steps"], 1);
    assert_eq!(again["questionText"], "What fruit?");
    server.stop().await;
}

// §9.10: checkboxes make a dictionary of booleans.
async fn checkboxes_make_a_dictionary(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("checkboxes");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let (status, done) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[("fruit['apple']", "True"), ("fruit['pear']", "False")],
        &[],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "apple=True pear=False");
    server.stop().await;
}

// `list collect`: docassemble's page posts the deleted items as plain JSON `_collect_delete`.
async fn list_collect_deletes_posted_as_plain_json(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("collect");
    let (status, s) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Tell me about the fruit");
    let (status, done) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[
            ("fruit[0].name.text", "apple"),
            ("fruit[1].name.text", "pear"),
            ("fruit[2].name.text", "plum"),
        ],
        &[("_collect_delete", "[1]")],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "2 fruit: apple and plum");
    server.stop().await;
}

// `log(message, priority)` reaches the user as docassemble's `message_log` (a plain `log()`
// only the server's log).
async fn log_messages_reach_the_json(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (status, s) = get_screen(&browser, &server, &iv("log"), "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Logged");
    assert_eq!(
        s["message_log"],
        json!([{"priority": "success", "message": "Your answers were saved."}]),
        "{s}"
    );
    server.stop().await;
}

// `_email_attachments`: the waiting screen's documents e-mailed to the address given, the
// same screen back with the message for the user; a bad address is a 400 and sends nothing.
async fn documents_are_emailed(b: Backend) {
    let server = TestServer::start_on(b, vec![packages()], |c| {
        c.mailer = server::config::MailerKind::File;
    })
    .await;
    let browser = server.browser();
    let i = iv("email");
    let (status, s) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(status, 200, "{s}");
    // (absent: docassemble's default, allowed)
    assert_ne!(s["allowEmailing"], false, "{s}");
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let mail_dir = server.data.path().join("mail");
    let (status, e) = post_form(
        &browser,
        &server,
        &i,
        &[
            ("json", "1"),
            ("csrf_token", &csrf),
            ("_email_attachments", "1"),
            ("_attachment_email_address", "not an address"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{e}");
    assert!(std::fs::read_dir(&mail_dir).map_or(true, |d| d.count() == 0));
    let (status, again) = post_form(
        &browser,
        &server,
        &i,
        &[
            ("json", "1"),
            ("csrf_token", &csrf),
            ("_email_attachments", "1"),
            ("_attachment_email_address", "ann@example.org"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["questionText"], "Your documents are ready.");
    assert_eq!(
        again["message_log"][0]["message"], "Your document was e-mailed to ann@example.org.",
        "{again}"
    );
    let mails: Vec<String> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: ann@example.org"), "{}", mails[0]);
    assert!(mails[0].contains("Hello_World."), "{}", mails[0]);
    assert!(
        mails[0].contains("Content-Disposition: attachment"),
        "{}",
        mails[0]
    );
    server.stop().await;
}

// §9.11: a button without a variable runs its block.
async fn buttons_without_a_variable(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("buttons");
    let (status, s) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Pick a colour");
    let (status, done) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[],
        &[("X211bHRpcGxlX2Nob2ljZQ", "0")],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "Chose red");
    server.stop().await;
}

// §9.12: back at the first step changes nothing; §9.13: reset makes a new 32-character
// session and the old one is gone.
async fn back_at_the_start_and_reset(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("fruit");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let (status, back) = post_form(
        &browser,
        &server,
        &i,
        &[("json", "1"), ("csrf_token", &csrf), ("_back_one", "1")],
    )
    .await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["steps"], 1);
    assert_eq!(back["allow_going_back"], false);
    let (_, s2) = answer(&browser, &server, &i, &s, &[("favorite_fruit", "fig")], &[]).await;
    assert_eq!(s2["steps"], 2);
    let old = s["session"].as_str().unwrap().to_string();
    let (_, fresh) = get_screen(&browser, &server, &i, "&reset=1").await;
    let new = fresh["session"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(new.len(), 32);
    assert!(new.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(fresh["steps"], 1);
    let (status, _) = get_screen(&browser, &server, &i, &format!("&session={old}")).await;
    assert_eq!(status, 404);
    server.stop().await;
}

// §9.14: another browser naming an encrypted session gets nothing of it.
async fn another_browsers_session_leaks_nothing(b: Backend) {
    let server = start(b).await;
    let owner = server.browser();
    let i = iv("fruit");
    let (_, s) = get_screen(&owner, &server, &i, "").await;
    let (_, _) = answer(
        &owner,
        &server,
        &i,
        &s,
        &[("favorite_fruit", "Secret-Quince-81")],
        &[],
    )
    .await;
    let id = s["session"].as_str().unwrap();
    let thief = server.browser();
    let (status, body) = get_screen(&thief, &server, &i, &format!("&session={id}")).await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_string().contains("Quince"));
    // Posting into it with the thief's own (valid) token does not work either.
    let (_, own) = get_screen(&thief, &server, &i, "").await;
    let (status, body) = post_form(
        &thief,
        &server,
        &i,
        &[
            ("json", "1"),
            ("csrf_token", own["csrf_token"].as_str().unwrap()),
            ("session", id),
            (&encode_name("quantity"), "3"),
        ],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_string().contains("Quince"));
    // Its file downloads are refused too.
    let resp = thief
        .get(server.url(&format!("/uploadedfile/{id}/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // The owner still has it.
    let (_, mine) = get_screen(&owner, &server, &i, "").await;
    assert_eq!(mine["questionText"], "How many?");
    server.stop().await;
}

// §9.14, multi_user: the session is held by the server key, so a second browser can join.
async fn multi_user_sessions_can_be_joined(b: Backend) {
    let server = start(b).await;
    let first = server.browser();
    let i = iv("shared");
    let (_, s) = get_screen(&first, &server, &i, "").await;
    assert_eq!(s["questionText"], "Write a note");
    let id = s["session"].as_str().unwrap().to_string();
    let (holder, _) = server
        .store
        .session_holder(&id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(holder, server::store::HolderKind::Server);
    let second = server.browser();
    let (status, joined) = get_screen(&second, &server, &i, &format!("&session={id}")).await;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(joined["session"], id.as_str());
    assert_eq!(joined["questionText"], "Write a note");
    // The second browser answers; the first sees it.
    let (status, done) = answer(
        &second,
        &server,
        &i,
        &joined,
        &[("shared_note", "from two")],
        &[],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "Shared note: from two");
    let (_, seen) = get_screen(&first, &server, &i, "").await;
    assert_eq!(seen["questionText"], "Shared note: from two");
    assert_eq!(seen["steps"], 2);
    // The creator still lists it.
    let mine: Value = first
        .get(server.url("/interviews?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["interviews"][0]["session"], id.as_str());
    server.stop().await;
}

// §9.15: a multipart upload listed in _files and _visible is stored encrypted and can be
// downloaded by its owner; without _visible it is not taken.
async fn uploads_are_stored_and_served(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("upload");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(s["fields"][0]["datatype"], "file");
    // Without _visible the file is ignored: the required field is missing.
    let (status, same) =
        upload_picture(&browser, &server, &s, "me.png", "image/png", PNG, false).await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["questionText"], "Upload a picture");
    assert_eq!(same["steps"], 1);
    let (status, done) = upload_picture(
        &browser,
        &server,
        &s,
        "../my photo.png",
        "image/png",
        PNG,
        true,
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "Uploaded");
    assert_eq!(done["steps"], 2);
    let url = file_url(&done);
    let id = s["session"].as_str().unwrap();
    assert_eq!(url, format!("/uploadedfile/{id}/1"));
    let resp = browser.get(server.url(&url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(disposition, "inline; filename=\"my_photo.png\"");
    assert_eq!(&resp.bytes().await.unwrap()[..], PNG);
    // Another browser cannot read it; missing files and bad numbers are 404/400.
    let stranger = server.browser();
    let resp = stranger.get(server.url(&url)).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let resp = browser
        .get(server.url(&format!("/uploadedfile/{id}/9")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let resp = browser
        .get(server.url(&format!("/uploadedfile/{id}/x")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    server.stop().await;
}

// §9.15: _files_inline works without _visible; non-images are served as attachments.
async fn inline_uploads_and_attachments(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("upload");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let var = encode_name("user_picture");
    let inline = b64json(&json!({
        "keys": [var],
        "values": {var.clone(): [{"name": "notes.txt", "size": 5, "type": "text/plain",
                                   "content": "data:text/plain;base64,aGVsbG8="}]}
    }));
    let (status, done) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[],
        &[("_files_inline", &inline)],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "Uploaded");
    let resp = browser
        .get(server.url(&file_url(&done)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(
        resp.headers()["content-disposition"],
        "attachment; filename=\"notes.txt\""
    );
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.text().await.unwrap(), "hello");
    server.stop().await;
}

// A signature (`_save_as`, `_the_image` as a PNG data URL, `_success=1`) is stored as
// `canvas.png` and served as an image.
async fn signatures_are_stored_as_png(b: Backend) {
    use base64::Engine as _;
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("signature");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(s["questionType"], "signature");
    let var = encode_name("user_signature");
    let image = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    let (status, done) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[],
        &[
            ("_save_as", &var),
            ("_the_image", &image),
            ("_success", "1"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "Signed");
    let resp = browser
        .get(server.url(&file_url(&done)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(&resp.bytes().await.unwrap()[..], PNG);
    // A blank pad on a required signature is refused and nothing is stored.
    let (_, s) = get_screen(&browser, &server, &i, "&reset=1").await;
    let (status, again) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[],
        &[("_save_as", &var), ("_the_image", ""), ("_success", "0")],
    )
    .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["questionText"], "Sign your name");
    assert!(!again["errors"].as_array().unwrap().is_empty(), "{again}");
    server.stop().await;
}

// Uploads that must be refused: active content, types outside `accept`, files for fields
// not on the screen, malformed structures, too large bodies.
async fn bad_uploads_are_refused(b: Backend) {
    let server = TestServer::start_on(b, vec![packages()], |c| {
        c.max_upload_bytes = 3 * 1024 * 1024
    })
    .await;
    let browser = server.browser();
    let i = iv("upload");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    for (name, ctype) in [
        ("x.html", "text/html"),
        ("x.png", "text/html"),
        ("x.svg", "image/svg+xml"),
        ("x", "application/javascript"),
        ("x.exe", "application/octet-stream"),
    ] {
        let (status, body) = upload_picture(
            &browser,
            &server,
            &s,
            name,
            ctype,
            b"<script>alert(1)</script>",
            true,
        )
        .await;
        assert_eq!(status, 415, "{name}: {body}");
    }
    // `accept: 'application/pdf'`.
    let j = iv("upload_pdf");
    let (_, p) = get_screen(&browser, &server, &j, "").await;
    let var = encode_name("document");
    let files = b64json(&json!([var]));
    let vis = b64json(&json!([var]));
    let csrf = p["csrf_token"].as_str().unwrap().to_string();
    let qn = p["_question_name"].as_str().unwrap().to_string();
    let (status, body) = post_multipart(
        &browser,
        &server,
        &j,
        &[
            Part::Text("json", "1"),
            Part::Text("csrf_token", &csrf),
            Part::Text("_question_name", &qn),
            Part::Text("_files", &files),
            Part::Text("_visible", &vis),
            Part::File {
                name: &var,
                filename: "a.png",
                ctype: "image/png",
                bytes: PNG,
            },
        ],
    )
    .await;
    assert_eq!(status, 415, "{body}");
    let (status, body) = post_multipart(
        &browser,
        &server,
        &j,
        &[
            Part::Text("json", "1"),
            Part::Text("csrf_token", &csrf),
            Part::Text("_question_name", &qn),
            Part::Text("_files", &files),
            Part::Text("_visible", &vis),
            Part::File {
                name: &var,
                filename: "a.pdf",
                ctype: "application/pdf",
                bytes: b"%PDF-1.4 test",
            },
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["questionText"], "Uploaded");
    // A file for a variable that is not a file field of the screen.
    let other = encode_name("favorite_fruit");
    let (status, body) = post_multipart(
        &browser,
        &server,
        &i,
        &[
            Part::Text("json", "1"),
            Part::Text("csrf_token", s["csrf_token"].as_str().unwrap()),
            Part::Text("_files", &b64json(&json!([other]))),
            Part::Text("_visible", &b64json(&json!([other]))),
            Part::File {
                name: &other,
                filename: "a.png",
                ctype: "image/png",
                bytes: PNG,
            },
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Malformed _files / _visible / _files_inline.
    for (k, v) in [
        ("_files", "%%%"),
        ("_files", "eyJub3QiOiAiYSBsaXN0In0"),
        ("_visible", "!!"),
        ("_files_inline", "bm90IGpzb24"),
    ] {
        let mut parts = vec![
            Part::Text("json", "1"),
            Part::Text("csrf_token", s["csrf_token"].as_str().unwrap()),
            Part::Text(k, v),
        ];
        if k == "_visible" {
            parts.push(Part::Text("_files", "WyJkWE5sY2w5d2FXTjBkWEpsIl0"));
        }
        let (status, body) = post_multipart(&browser, &server, &i, &parts).await;
        assert_eq!(status, 400, "{k}={v}: {body}");
    }
    // Over the limit (3 MiB here; above axum's 2 MiB default, which must not apply): 413.
    let big = vec![0u8; 3 * 1024 * 1024 + 10];
    let (status, _) =
        upload_picture(&browser, &server, &s, "big.png", "image/png", &big, true).await;
    // 413, or the connection closed by the server before the body was all sent.
    assert!(status == 413 || status == 0, "{status}");
    // Just under it (2.5 MiB): accepted.
    let mut ok = PNG.to_vec();
    ok.resize(5 * 512 * 1024, 0);
    let (status, body) =
        upload_picture(&browser, &server, &s, "ok.png", "image/png", &ok, true).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["questionText"], "Uploaded");
    let (_, again) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(again["steps"], 2);
    server.stop().await;
}

// The bad-input catalogue: malformed cookies are treated as absent, nothing answers 5xx.
async fn malformed_cookies_are_treated_as_absent(b: Backend) {
    let server = start(b).await;
    let i = iv("fruit");
    let client = reqwest::Client::new();
    for cookie in [
        "secret=%%%; colloquy_sessions=|||==",
        "secret=; colloquy_sessions=docassemble.x:y.yml=notanid",
        "secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "colloquy_sessions=\"quoted\"; secret=\"x\"",
        "=; ;; secret",
    ] {
        let resp = client
            .get(server.url(&format!("/interview?i={i}&json=1")))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{cookie:?}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["steps"], 1);
        let resp = client
            .post(server.url(&format!("/interview?i={i}")))
            .header("cookie", cookie)
            .form(&[
                ("json", "1"),
                ("csrf_token", v["csrf_token"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_client_error(),
            "{cookie:?}: {}",
            resp.status()
        );
    }
    // A real secret with a sessions cookie pointing at someone else's session: a fresh one.
    let owner = server.browser();
    let (_, s) = get_screen(&owner, &server, &i, "").await;
    let id = s["session"].as_str().unwrap();
    let thief = server.browser();
    let (_, _) = get_screen(&thief, &server, &i, "").await;
    let resp = thief
        .get(server.url(&format!("/interview?i={i}&json=1")))
        .header("cookie", format!("colloquy_sessions={i}={id}"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().as_u16() < 500);
    let v: Value = resp.json().await.unwrap();
    assert_ne!(v["session"], id);
    // Odd query strings.
    for q in [
        "/interview?i=&json=1",
        "/interview?i=docassemble.x&json=1",
        "/interview?i=docassemble.colloquytest:data/questions/../../x.yml&json=1",
        "/interview?i=notdocassemble:data/questions/x.yml&json=1",
        "/interview?i=docassemble.colloquytest:data/questions/fruit.yml&json=1&session=short",
        "/interview?i=docassemble.colloquytest:data/questions/fruit.yml&json=99999999999999999999999",
        "/uploadedfile/x/1",
        "/uploadedfile/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/0",
    ] {
        let resp = client.get(server.url(q)).send().await.unwrap();
        assert!(resp.status().as_u16() < 500, "{q}: {}", resp.status());
    }
    server.stop().await;
}

/// Every byte the store wrote: the SQLite files in the data directory, or the PostgreSQL rows.
async fn stored_bytes(server: &TestServer) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(server.data.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    if let server::store::Database::Postgres(options) = server.store.database() {
        use sqlx::Connection as _;
        let mut conn = sqlx::postgres::PgConnection::connect_with(options)
            .await
            .unwrap();
        for table in ["sessions", "steps", "files"] {
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT CAST(t.* AS TEXT) FROM {table} t"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            for (r,) in rows {
                all.extend(r.into_bytes());
            }
        }
        for table in ["steps", "files"] {
            let rows: Vec<(Vec<u8>,)> = sqlx::query_as(&format!("SELECT ciphertext FROM {table}"))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for (r,) in rows {
                all.extend(r);
            }
        }
        conn.close().await.unwrap();
    }
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// No answer or file byte is stored in plaintext.
async fn nothing_is_stored_in_plaintext(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let marker = "MarkerAnswer-8f3Qz1-Plaintext";
    let file_marker = b"MarkerFile-7Kp2Lx-Plaintext";
    let i = iv("fruit");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let (status, _) = answer(
        &browser,
        &server,
        &i,
        &s,
        &[("favorite_fruit", marker)],
        &[],
    )
    .await;
    assert_eq!(status, 200);
    let (_, u) = get_screen(&browser, &server, &iv("upload"), "").await;
    let mut content = PNG.to_vec();
    content.extend_from_slice(file_marker);
    let (status, done) = upload_picture(
        &browser,
        &server,
        &u,
        "marker-name.png",
        "image/png",
        &content,
        true,
    )
    .await;
    assert_eq!(status, 200, "{done}");
    // The answers and the file are readable through the server…
    let resp = browser
        .get(server.url(&file_url(&done)))
        .send()
        .await
        .unwrap();
    assert!(contains(&resp.bytes().await.unwrap(), file_marker));
    // …but not in what it stored (SQLite: the database, its WAL and everything else in the
    // data directory; PostgreSQL: every row).
    let bytes = stored_bytes(&server).await;
    assert!(!bytes.is_empty());
    assert!(
        !contains(&bytes, marker.as_bytes()),
        "answer stored in plaintext"
    );
    assert!(!contains(&bytes, file_marker), "file stored in plaintext");
    assert!(
        !contains(&bytes, b"marker-name"),
        "file name stored in plaintext"
    );
    assert!(
        !contains(&bytes, b"favorite_fruit"),
        "variable name stored in plaintext"
    );
    server.stop().await;
}

// Many browsers at once, each through a whole interview: no errors, no crosstalk.
async fn concurrent_sessions_do_not_interfere(b: Backend) {
    let server = start(b).await;
    let i = iv("fruit");
    let mut tasks = Vec::new();
    for n in 0..16 {
        let browser = server.browser();
        let url = server.url("");
        let i = i.clone();
        tasks.push(tokio::spawn(async move {
            let get = |extra: String| {
                let b = browser.clone();
                let u = format!("{url}/interview?i={i}&json=1{extra}");
                async move {
                    b.get(u)
                        .send()
                        .await
                        .unwrap()
                        .json::<Value>()
                        .await
                        .unwrap()
                }
            };
            let s = get(String::new()).await;
            let post = |screen: Value, var: &'static str, val: String| {
                let b = browser.clone();
                let u = format!("{url}/interview?i={i}");
                async move {
                    let form = vec![
                        ("json".to_string(), "1".to_string()),
                        (
                            "csrf_token".into(),
                            screen["csrf_token"].as_str().unwrap().to_string(),
                        ),
                        (
                            "_question_name".into(),
                            screen["_question_name"].as_str().unwrap().to_string(),
                        ),
                        (encode_name(var), val),
                    ];
                    let r = b.post(u).form(&form).send().await.unwrap();
                    assert_eq!(r.status(), 200);
                    r.json::<Value>().await.unwrap()
                }
            };
            let s = post(s, "favorite_fruit", format!("fruit{n}")).await;
            let s = post(s, "quantity", n.to_string()).await;
            assert_eq!(
                s["questionText"],
                format!("You want fruit{n} in quantity {n}.")
            );
            let again = get(String::new()).await;
            assert_eq!(
                again["questionText"],
                format!("You want fruit{n} in quantity {n}.")
            );
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    server.stop().await;
}

// A field's `validate:` code refuses an answer on the server; a client is not sent it.
async fn validate_code_is_checked_but_not_sent(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = iv("validate");
    let (_, s) = get_screen(&browser, &server, &i, "").await;
    let field = &s["fields"][0];
    assert_eq!(field["variable_name"], "number", "{s}");
    assert!(
        field.as_object().unwrap().keys().all(|k| k != "_validate"),
        "{field}"
    );
    let (status, bad) = answer(&browser, &server, &i, &s, &[("number", "5")], &[]).await;
    assert_eq!(status, 200, "{bad}");
    assert!(!bad["errors"].as_array().unwrap().is_empty(), "{bad}");
    let (_, done) = answer(&browser, &server, &i, &s, &[("number", "8")], &[]).await;
    assert_eq!(done["questionText"], "You picked 8.", "{done}");
    server.stop().await;
}

crate::protocol_tests!(
    validate_code_is_checked_but_not_sent,
    first_visit_sets_cookies_and_answers_json,
    padded_keys_and_integer_coercion,
    csrf_is_required_by_field_or_header,
    text_answers_are_converted_like_docassemble,
    injected_names_set_nothing,
    checkboxes_make_a_dictionary,
    list_collect_deletes_posted_as_plain_json,
    log_messages_reach_the_json,
    documents_are_emailed,
    buttons_without_a_variable,
    back_at_the_start_and_reset,
    another_browsers_session_leaks_nothing,
    multi_user_sessions_can_be_joined,
    uploads_are_stored_and_served,
    inline_uploads_and_attachments,
    signatures_are_stored_as_png,
    bad_uploads_are_refused,
    malformed_cookies_are_treated_as_absent,
    nothing_is_stored_in_plaintext,
    concurrent_sessions_do_not_interfere,
);
