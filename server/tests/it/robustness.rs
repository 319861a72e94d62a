//! Black-box robustness: a real server on a random port gets hostile and malformed input on
//! every route of the protocol spec — bad interview names and sessions, undecodable and
//! foreign variable names, structured parameters that are not base64 JSON, wrong datatypes,
//! control characters and huge values, missing CSRF tokens, broken multipart bodies, bad
//! inline files, oversized bodies, repeated and combined query parameters, racing POSTs, and
//! API calls with bad JSON, wrong types, missing keys and bad keys. Every answer must be a
//! clear error (a 4xx with a message, or the same screen with a field error), never a 5xx,
//! and the answers already stored must survive all of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::PathBuf;

use common::TestServer;
use common::protocol::{answer, get_screen, post_form, status_and_body};
use engine::run::encode_name;
use proptest::prelude::*;
use serde_json::{Value, json};
use server::accounts::Role;
use server::accounts::service::create_account;
use server::config::Config;
use server::store::api_keys::KeyMethod;

const PKG: &str = "docassemble.robusttest:data/questions";
/// The server's body limit in these tests (small, so the oversized body is quick to send).
const LIMIT: u64 = 3 * 1024 * 1024;

fn packages() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("robustness-packages");
    let dir = root.join("docassemble/robusttest/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    let files: &[(&str, &str)] = &[
        (
            "form.yml",
            r#"metadata:
  title: Robust
---
mandatory: True
question: |
  Done: fruit=${ fruit }; name=${ name }; count=${ count }; price=${ price }
---
question: Fruit?
fields:
  - Fruit: fruit
---
question: Details
fields:
  - Name: name
  - Count: count
    datatype: integer
  - Price: price
    datatype: currency
  - When: when
    datatype: date
  - Picture: picture
    datatype: file
    required: False
"#,
        ),
        (
            "generic.yml",
            r#"objects:
  - pet: DAObject
  - ages: DAList
---
mandatory: True
question: |
  pet=${ pet.kind }; age=${ ages[0] }
---
generic object: DAObject
question: What kind of animal?
fields:
  - Kind: x.kind
---
question: Age number ${ i + 1 }?
fields:
  - Age: ages[i]
    datatype: integer
"#,
        ),
        (
            "args.yml",
            r#"mandatory: True
question: |
  Hello, ${ url_args.get('name', 'you') }!
"#,
        ),
        (
            "noend.yml",
            r#"mandatory: True
code: |
  x = 1
"#,
        ),
    ];
    common::write_interviews(&dir, files);
    root
}

fn fast(c: &mut Config) {
    c.argon2_memory_kib = 64;
    c.argon2_iterations = 1;
    c.max_upload_bytes = LIMIT;
}

async fn start() -> TestServer {
    TestServer::start_config(vec![packages()], fast).await
}

fn iv(name: &str) -> String {
    format!("{PKG}/{name}.yml")
}

fn b64json(v: &Value) -> String {
    encode_name(&v.to_string())
}

/// A clear refusal or an answer: never a 5xx; a 4xx carries a non-empty message.
#[track_caller]
fn assert_clear(what: &str, status: u16, body: &Value) {
    assert!(
        (200..500).contains(&status),
        "{what}: status {status}: {body}"
    );
    if status >= 400 {
        let message = body["error"]
            .as_str()
            .or_else(|| body.as_str())
            .unwrap_or("");
        assert!(
            !message.trim().is_empty(),
            "{what}: {status} without a message: {body}"
        );
    }
}

/// A browser on the Details screen with `fruit = apple` stored (step 2).
async fn at_details(server: &TestServer) -> (reqwest::Client, Value) {
    let browser = server.browser();
    let (_, first) = get_screen(&browser, server, &iv("form"), "").await;
    let (status, details) = answer(
        &browser,
        server,
        &iv("form"),
        &first,
        &[("fruit", "apple")],
        &[],
    )
    .await;
    assert_eq!(status, 200, "{details}");
    assert_eq!(details["questionText"], "Details");
    assert_eq!(details["steps"], 2);
    (browser, details)
}

/// The Details screen is still waiting at step 2 (nothing was stored).
async fn still_at_details(browser: &reqwest::Client, server: &TestServer, what: &str) {
    let (status, now) = get_screen(browser, server, &iv("form"), "").await;
    assert_eq!(status, 200, "{what}: {now}");
    assert_eq!(now["questionText"], "Details", "{what}: {now}");
    assert_eq!(now["steps"], 2, "{what}: the session moved on: {now}");
}

/// Answers Details properly and checks that the stored `fruit` survived.
async fn finish(browser: &reqwest::Client, server: &TestServer, details: &Value) {
    let (status, done) = answer(
        browser,
        server,
        &iv("form"),
        details,
        &[
            ("name", "Ann"),
            ("count", "3"),
            ("price", "2.5"),
            ("when", "2020-01-02"),
        ],
        &[("_datatypes", details["_datatypes"].as_str().unwrap())],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["questionText"], "Done: fruit=apple; name=Ann; count=3; price=2.5",
        "{done}"
    );
}

/// Posts `pairs` plus the screen's token, question name and `json=1`.
async fn post_on(
    browser: &reqwest::Client,
    server: &TestServer,
    screen: &Value,
    pairs: &[(&str, &str)],
) -> (u16, Value) {
    let csrf = screen["csrf_token"].as_str().unwrap();
    let qn = screen["_question_name"].as_str().unwrap();
    let mut form = vec![("json", "1"), ("csrf_token", csrf), ("_question_name", qn)];
    form.extend_from_slice(pairs);
    post_form(browser, server, &iv("form"), &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_interview_names_are_refused_clearly() {
    let server = start().await;
    let long = format!("{PKG}/{}.yml", "a".repeat(300));
    let names = [
        "",
        "nonexistent",
        "../../etc/passwd",
        "/etc/passwd",
        "docassemble.robusttest:../../../etc/passwd",
        "docassemble.robusttest:data/questions/../../../../etc/passwd.yml",
        "docassemble.robusttest:/etc/passwd",
        "docassemble.robusttest:data/questions/form.txt",
        "docassemble.robusttest:data/questions/missing.yml",
        "docassemble.nosuchpackage:data/questions/form.yml",
        "notdocassemble.robusttest:data/questions/form.yml",
        "docassemble..robusttest:form.yml",
        "docassemble.robusttest:",
        ":form.yml",
        "docassemble.robusttest:data/questions/fo\u{0}rm.yml",
        "docassemble.robusttest:data/questions/form.yml\r\nX-Injected: 1",
        &long,
    ];
    for name in names {
        let browser = server.browser();
        let resp = browser
            .get(server.url("/interview"))
            .query(&[("i", name), ("json", "1")])
            .send()
            .await
            .unwrap();
        let (status, body) = status_and_body(resp).await;
        assert!(
            (400..500).contains(&status),
            "GET i={name:?}: {status} {body}"
        );
        assert_clear(&format!("GET i={name:?}"), status, &body);
        let resp = browser
            .post(server.url("/interview"))
            .query(&[("i", name)])
            .form(&[("json", "1")])
            .send()
            .await
            .unwrap();
        let (status, body) = status_and_body(resp).await;
        assert!(
            (400..500).contains(&status),
            "POST i={name:?}: {status} {body}"
        );
        assert_clear(&format!("POST i={name:?}"), status, &body);
    }
    let (status, body) = get_screen(&server.browser(), &server, &iv("missing"), "").await;
    assert_eq!(status, 404, "{body}");
    // No `i` at all.
    let resp = reqwest::get(server.url("/interview?json=1")).await.unwrap();
    let (status, body) = status_and_body(resp).await;
    assert_eq!(status, 400, "{body}");
    assert_clear("no i", status, &body);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sessions_are_refused_and_leak_nothing() {
    let server = start().await;
    let (browser, details) = at_details(&server).await;
    let mine = details["session"].as_str().unwrap().to_string();
    let stranger = server.browser();
    let _ = get_screen(&stranger, &server, &iv("form"), "").await;
    for session in [
        "x",
        "../../etc/passwd",
        &"A".repeat(1000),
        "%00",
        "00000000000000000000000000000000",
        &mine,
    ] {
        let extra = format!("&session={}", urlencode(session));
        let (status, body) = get_screen(&stranger, &server, &iv("form"), &extra).await;
        assert!((400..500).contains(&status), "session={session}: {body}");
        assert_clear(&format!("GET session={session}"), status, &body);
        assert!(
            !body.to_string().contains("apple"),
            "another browser's answer leaked: {body}"
        );
    }
    still_at_details(&browser, &server, "strangers' sessions").await;
    // The owner naming its session under another interview: not found, never run by the
    // other interview's code, and a reset there does not delete it.
    let other = iv("generic");
    let extra = format!("&session={mine}");
    let (status, body) = get_screen(&browser, &server, &other, &extra).await;
    assert_eq!(status, 404, "{body}");
    assert_clear("another interview's session", status, &body);
    let (_, theirs) = get_screen(&browser, &server, &other, "").await;
    let (status, body) = post_form(
        &browser,
        &server,
        &other,
        &[
            ("json", "1"),
            ("csrf_token", theirs["csrf_token"].as_str().unwrap()),
            ("session", &mine),
            (
                "_question_name",
                details["_question_name"].as_str().unwrap(),
            ),
            (&encode_name("name"), "Eve"),
        ],
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = get_screen(&browser, &server, &other, &format!("&reset=1{extra}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["questionText"], "What kind of animal?");
    still_at_details(&browser, &server, "another interview's session").await;
    finish(&browser, &server, &details).await;
    server.stop().await;
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_forms_are_refused_and_change_nothing() {
    let server = start().await;
    let (browser, details) = at_details(&server).await;
    // The screen carries docassemble's validation messages for front ends that check first.
    let field = |var: &str| {
        details["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["variable_name"] == var)
            .unwrap()
            .clone()
    };
    assert_eq!(details["validation_messages"], json!({}));
    assert_eq!(
        field("count")["validation_messages"],
        json!({
            "required": "This field is required.",
            "number": "You need to enter a number.",
            "step": "Please enter a whole number.",
        })
    );
    assert_eq!(
        field("when")["validation_messages"]["date"],
        "You need to enter a valid date."
    );
    assert_eq!(field("picture")["max"], json!(LIMIT));
    let name = encode_name("name");
    let count = encode_name("count");
    let price = encode_name("price");
    let when = encode_name("when");
    let picture = encode_name("picture");
    let datatypes = details["_datatypes"].as_str().unwrap().to_string();
    // Two of these stay under the body limit (the oversize body is its own case below: a server
    // may close the connection before the client has written it all).
    let huge = "x".repeat(LIMIT as usize / 4);
    let inline = |content: &str, key: &str| {
        b64json(&json!({
            "keys": [key],
            "values": {key: [{"name": "a.png", "size": 3, "type": "image/png", "content": content}]}
        }))
    };
    let cases: Vec<(String, Vec<(String, String)>)> = vec![
        // Names that are not base64, or decode to something that is not on the screen.
        ("undecodable key".into(), vec![("A".into(), "v".into())]),
        ("invalid UTF-8 key".into(), vec![("gA".into(), "v".into())]),
        ("empty key".into(), vec![(String::new(), "v".into())]),
        ("padding only".into(), vec![("====".into(), "v".into())]),
        (
            "code as a name".into(),
            vec![(encode_name("os.system('id')"), "v".into())],
        ),
        (
            "dunder".into(),
            vec![(encode_name("name.__class__"), "v".into())],
        ),
        (
            "internal".into(),
            vec![(encode_name("_internal['answered']"), "v".into())],
        ),
        (
            "the stored answer".into(),
            vec![(encode_name("fruit"), "pear".into())],
        ),
        (
            "NUL in a name".into(),
            vec![(encode_name("na\u{0}me"), "v".into())],
        ),
        (
            "huge name".into(),
            vec![(encode_name(&"n".repeat(20_000)), "v".into())],
        ),
        // Structured parameters that are not base64 JSON of the right shape.
        (
            "_datatypes not base64".into(),
            vec![
                ("_datatypes".into(), "!!!".into()),
                (name.clone(), String::new()),
            ],
        ),
        (
            "_datatypes not JSON".into(),
            vec![("_datatypes".into(), encode_name("{nope"))],
        ),
        (
            "_datatypes a list".into(),
            vec![("_datatypes".into(), encode_name("[1, 2]"))],
        ),
        (
            "_varnames not base64".into(),
            vec![("_varnames".into(), "%%%".into())],
        ),
        (
            "_varnames to a foreign name".into(),
            vec![
                (
                    "_varnames".into(),
                    b64json(&json!({"X2ZpZWxkXzA": encode_name("fruit")})),
                ),
                ("X2ZpZWxkXzA".into(), "pear".into()),
            ],
        ),
        (
            "_visible not JSON".into(),
            vec![("_visible".into(), encode_name("{"))],
        ),
        (
            "_files not JSON".into(),
            vec![("_files".into(), encode_name("x"))],
        ),
        (
            "_files of numbers".into(),
            vec![("_files".into(), encode_name("[1]"))],
        ),
        (
            "_files_inline not JSON".into(),
            vec![("_files_inline".into(), encode_name("x"))],
        ),
        (
            "_files_inline wrong shape".into(),
            vec![("_files_inline".into(), b64json(&json!({"keys": 5})))],
        ),
        (
            "_files_inline not a data URL".into(),
            vec![("_files_inline".into(), inline("not a data url", &picture))],
        ),
        (
            "_files_inline bad base64".into(),
            vec![(
                "_files_inline".into(),
                inline("data:image/png;base64,!!!!", &picture),
            )],
        ),
        (
            "_files_inline on a text field".into(),
            vec![(
                "_files_inline".into(),
                inline("data:image/png;base64,iVBO", &name),
            )],
        ),
        (
            "_files_inline on a foreign name".into(),
            vec![(
                "_files_inline".into(),
                inline("data:image/png;base64,iVBO", &encode_name("fruit")),
            )],
        ),
        (
            "_action not JSON".into(),
            vec![("_action".into(), "!!".into())],
        ),
        (
            "_action unknown".into(),
            vec![(
                "_action".into(),
                b64json(&json!({"action": "no_such_event"})),
            )],
        ),
        (
            "_action with bad arguments".into(),
            vec![(
                "_action".into(),
                b64json(&json!({"action": "x", "arguments": 5})),
            )],
        ),
        (
            "_multiple_choice on a fields screen".into(),
            vec![("_multiple_choice".into(), "0".into())],
        ),
        (
            "signature on a fields screen".into(),
            vec![
                ("_save_as".into(), name.clone()),
                ("_the_image".into(), "data:image/png;base64,%%%".into()),
                ("_success".into(), "1".into()),
            ],
        ),
        (
            "bad _tracker and _event".into(),
            vec![
                ("_tracker".into(), "9".repeat(40)),
                ("_event".into(), "!!".into()),
                ("ajax".into(), "abc".into()),
            ],
        ),
        // Values of the wrong type, with the datatypes echoed as a client does.
        (
            "text into integer".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "Ann".into()),
                (count.clone(), "three".into()),
                (price.clone(), "1".into()),
                (when.clone(), "2020-01-02".into()),
            ],
        ),
        (
            "huge integer".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "Ann".into()),
                (count.clone(), "9".repeat(400)),
                (price.clone(), "1".into()),
                (when.clone(), "2020-01-02".into()),
            ],
        ),
        (
            "text into currency".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "Ann".into()),
                (count.clone(), "1".into()),
                (price.clone(), "lots".into()),
                (when.clone(), "2020-01-02".into()),
            ],
        ),
        (
            "infinite currency".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "Ann".into()),
                (count.clone(), "1".into()),
                (price.clone(), "1e999".into()),
                (when.clone(), "2020-01-02".into()),
            ],
        ),
        (
            "text into date".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "Ann".into()),
                (count.clone(), "1".into()),
                (price.clone(), "1".into()),
                (when.clone(), "the day after".into()),
            ],
        ),
        (
            "impossible date".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "Ann".into()),
                (count.clone(), "1".into()),
                (price.clone(), "1".into()),
                (when.clone(), "2020-13-45".into()),
            ],
        ),
        // Values that are empty, control characters only, or huge.
        (
            "empty required".into(),
            vec![
                (name.clone(), String::new()),
                (count.clone(), String::new()),
            ],
        ),
        (
            "control characters".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), "\u{0}\u{1}\u{1b}".into()),
                (count.clone(), "\u{0}".into()),
                (price.clone(), "\u{7f}".into()),
                (when.clone(), "\u{0}2020-01-02".into()),
            ],
        ),
        (
            "huge value".into(),
            vec![
                ("_datatypes".into(), datatypes.clone()),
                (name.clone(), huge.clone()),
                (count.clone(), huge.clone()),
            ],
        ),
    ];
    for (what, pairs) in &cases {
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, body) = post_on(&browser, &server, &details, &borrowed).await;
        assert_clear(what, status, &body);
        if status == 200 {
            assert_eq!(body["questionText"], "Details", "{what}: moved on: {body}");
            assert_eq!(body["steps"], 2, "{what}: {body}");
        }
        still_at_details(&browser, &server, what).await;
    }
    // The wrong types say which field is wrong.
    let (_, typed) = post_on(
        &browser,
        &server,
        &details,
        &[
            ("_datatypes", &datatypes),
            (&name, "Ann"),
            (&count, "three"),
            (&price, "1"),
            (&when, "2020-01-02"),
        ],
    )
    .await;
    // docassemble shows the refused answers again as the fields' defaults.
    let default_of = |var: &str| {
        typed["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["variable_name"] == var)
            .unwrap()["default"]
            .clone()
    };
    assert_eq!(default_of("count"), json!("three"), "{typed}");
    assert_eq!(default_of("name"), json!("Ann"), "{typed}");
    let errors = typed["errors"].as_array().expect("field errors");
    assert!(
        errors.iter().any(|e| e["variable_name"] == "count"),
        "{typed}"
    );
    finish(&browser, &server, &details).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_bodies_and_tokens_are_refused() {
    let server = start().await;
    let (browser, details) = at_details(&server).await;
    let csrf = details["csrf_token"].as_str().unwrap().to_string();
    let name = encode_name("name");
    let url = server.url(&format!("/interview?i={}&json=1", iv("form")));
    let bodies: Vec<(&str, String, Vec<u8>)> = vec![
        ("no boundary", "multipart/form-data".into(), b"xx".to_vec()),
        (
            "truncated multipart",
            "multipart/form-data; boundary=abc".into(),
            b"--abc\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nbroken".to_vec(),
        ),
        (
            "nameless part",
            "multipart/form-data; boundary=abc".into(),
            b"--abc\r\nContent-Disposition: form-data\r\n\r\nx\r\n--abc--\r\n".to_vec(),
        ),
        (
            "empty boundary",
            "multipart/form-data; boundary=".into(),
            b"--\r\n".to_vec(),
        ),
        (
            "JSON body",
            "application/json".into(),
            br#"{"a":1}"#.to_vec(),
        ),
        ("text body", "text/plain".into(), b"a=b".to_vec()),
        (
            "broken urlencoding",
            "application/x-www-form-urlencoded".into(),
            b"%%%%&&==&=%ff%fe".to_vec(),
        ),
        (
            "binary urlencoded",
            "application/x-www-form-urlencoded".into(),
            vec![0, 159, 146, 150, b'=', 255],
        ),
    ];
    for (what, ctype, body) in bodies {
        let resp = browser
            .post(&url)
            .header("content-type", ctype)
            .header("x-csrftoken", &csrf)
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, body) = status_and_body(resp).await;
        assert!((400..500).contains(&status), "{what}: {status} {body}");
        assert_clear(what, status, &body);
        still_at_details(&browser, &server, what).await;
    }
    // Media types are case-insensitive: an upper-case form type is a form.
    let resp = browser
        .post(&url)
        .header(
            "content-type",
            "Application/X-WWW-Form-URLEncoded; Charset=UTF-8",
        )
        .body(format!(
            "csrf_token={}&_question_name={}&{}=",
            urlencode(&csrf),
            urlencode(details["_question_name"].as_str().unwrap()),
            name
        ))
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_body(resp).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["questionText"], "Details", "{body}");
    // Missing or wrong CSRF tokens, and no secret cookie at all.
    for (what, token) in [("no token", None), ("wrong token", Some("x".repeat(500)))] {
        let mut form = vec![("json", "1"), (name.as_str(), "Eve")];
        if let Some(t) = &token {
            form.push(("csrf_token", t));
        }
        let (status, body) = post_form(&browser, &server, &iv("form"), &form).await;
        assert_eq!(status, 400, "{what}: {body}");
        assert_clear(what, status, &body);
    }
    let (status, body) = post_form(
        &reqwest::Client::new(),
        &server,
        &iv("form"),
        &[("json", "1"), ("csrf_token", &csrf), (&name, "Eve")],
    )
    .await;
    assert!((400..500).contains(&status), "{body}");
    assert_clear("no cookie", status, &body);
    // Over the body limit: 413 with a JSON message.
    let resp = browser
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; LIMIT as usize + 1024])
        .send()
        .await;
    if let Ok(resp) = resp {
        let (status, body) = status_and_body(resp).await;
        assert_eq!(status, 413, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("too large"),
            "{body}"
        );
    }
    still_at_details(&browser, &server, "after the bodies").await;
    finish(&browser, &server, &details).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_parameters_repeat_and_combine() {
    let server = start().await;
    let browser = server.browser();
    let i = iv("form");
    // Repeated names: the first wins, as with Flask's request.args.
    let (status, first) = get_screen(&browser, &server, &i, "&json=2&i=nonsense").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["questionText"], "Fruit?");
    // Without `i`, the interview of the browser's latest session (docassemble's
    // guess_yaml_filename); a browser without one gets a 400.
    let resp = browser
        .get(server.url("/interview?json=1"))
        .send()
        .await
        .unwrap();
    let (status, guessed) = status_and_body(resp).await;
    assert_eq!(status, 200, "{guessed}");
    assert_eq!(guessed["session"], first["session"], "{guessed}");
    // Going back at the first step changes nothing.
    let (status, back) = post_on(&browser, &server, &first, &[("_back_one", "1")]).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["steps"], 1);
    assert_eq!(back["questionText"], "Fruit?");
    let (_, details) = answer(&browser, &server, &i, &first, &[("fruit", "apple")], &[]).await;
    let session = details["session"].as_str().unwrap().to_string();
    for extra in [
        "&reset=abc",
        "&new_session=x",
        "&cache=0",
        "&refresh=abc",
        "&json=1",
        "&action=!!",
        "&session=bad",
        "&reset=1&session=bad",
    ] {
        let (status, body) = get_screen(&browser, &server, &i, extra).await;
        assert_clear(extra, status, &body);
    }
    // new_session keeps the old session; reset=1 on it removes it.
    let (status, fresh) = get_screen(&browser, &server, &i, "&new_session=1").await;
    assert_eq!(status, 200, "{fresh}");
    assert_eq!(fresh["questionText"], "Fruit?");
    assert_ne!(fresh["session"], json!(session));
    let resume = format!("&session={session}");
    let (status, old) = get_screen(&browser, &server, &i, &resume).await;
    assert_eq!(status, 200, "{old}");
    assert_eq!(old["questionText"], "Details");
    let (status, reset) = get_screen(
        &browser,
        &server,
        &i,
        &format!("&reset=1&new_session=1{resume}"),
    )
    .await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(reset["questionText"], "Fruit?");
    let (status, gone) = get_screen(&browser, &server, &i, &resume).await;
    assert_eq!(status, 404, "{gone}");
    assert_clear("reset session", status, &gone);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generic_names_are_understood() {
    let server = start().await;
    let browser = server.browser();
    let i = iv("generic");
    let (_, kind) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(kind["questionText"], "What kind of animal?", "{kind}");
    assert_eq!(kind["fields"][0]["variable_name"], "pet.kind");
    // docassemble's spelling of the same field: the generic name as the question writes it.
    let (status, age) = answer(&browser, &server, &i, &kind, &[("x.kind", "cat")], &[]).await;
    assert_eq!(status, 200, "{age}");
    assert_eq!(age["questionText"], "Age number 1?", "{age}");
    // A generic name the screen does not have is still refused.
    let (status, body) = answer(&browser, &server, &i, &age, &[("x.kind", "dog")], &[]).await;
    assert_eq!(status, 400, "{body}");
    let (status, done) = answer(&browser, &server, &i, &age, &[("ages[i]", "4")], &[]).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "pet=cat; age=4", "{done}");
    // Posting nothing to the end screen (it asks nothing) shows it again, as docassemble
    // does: it is not taken as answered (that left no question: a 500 before).
    let (status, again) = answer(&browser, &server, &i, &done, &[], &[]).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["questionText"], "pet=cat; age=4", "{again}");
    assert_eq!(again["steps"], done["steps"], "{again}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_addresses_start_and_run_interviews() {
    let server = start().await;
    let browser = server.browser();
    let resp = browser
        .get(server.url("/start/robusttest/form/?json=1"))
        .send()
        .await
        .unwrap();
    let (status, first) = status_and_body(resp).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["questionText"], "Fruit?");
    let (_, details) = answer(
        &browser,
        &server,
        &iv("form"),
        &first,
        &[("fruit", "apple")],
        &[],
    )
    .await;
    // /run resumes this browser's session; /start makes a new one.
    let resp = browser
        .get(server.url("/run/robusttest/form/?json=1"))
        .send()
        .await
        .unwrap();
    let (_, resumed) = status_and_body(resp).await;
    assert_eq!(resumed["session"], details["session"], "{resumed}");
    assert_eq!(resumed["questionText"], "Details");
    let resp = browser
        .get(server.url("/start/robusttest/form?json=1"))
        .send()
        .await
        .unwrap();
    let (_, fresh) = status_and_body(resp).await;
    assert_ne!(fresh["session"], details["session"], "{fresh}");
    assert_eq!(fresh["questionText"], "Fruit?");
    for bad in [
        "/start/robust%20test/form/",
        "/start/robusttest/..%2f..%2fetc/passwd/",
        "/run/robusttest/missing/?json=1",
    ] {
        let resp = browser.get(server.url(bad)).send().await.unwrap();
        let (status, body) = status_and_body(resp).await;
        assert_eq!(status, 404, "{bad}: {body}");
        assert_clear(bad, status, &body);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_arguments_reach_the_interview() {
    let server = start().await;
    let browser = server.browser();
    let i = iv("args");
    let (status, first) = get_screen(&browser, &server, &i, "").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["questionText"], "Hello, you!");
    let (_, named) = get_screen(&browser, &server, &i, "&name=Ann&session=").await;
    assert_eq!(named["questionText"], "Hello, Ann!", "{named}");
    assert_eq!(named["steps"], 2, "a change of url_args is a step: {named}");
    let (_, again) = get_screen(&browser, &server, &i, "&name=Ann").await;
    assert_eq!(again["steps"], 2, "{again}");
    let (_, fresh) = get_screen(&browser, &server, &i, "&new_session=1&name=Bo").await;
    assert_eq!(fresh["questionText"], "Hello, Bo!", "{fresh}");
    assert_eq!(fresh["steps"], 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_interview_does_not_break_waiting_sessions() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("docassemble/edited/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("edited.yml");
    std::fs::write(
        &file,
        "mandatory: True\nquestion: Done ${ a } ${ b }\n---\nquestion: A?\nfields:\n  - A: a\n---\nquestion: B?\nfields:\n  - B: b\n",
    )
    .unwrap();
    let server = TestServer::start_config(vec![root.path().to_path_buf()], fast).await;
    let browser = server.browser();
    let i = "docassemble.edited:data/questions/edited.yml";
    let (_, a) = get_screen(&browser, &server, i, "").await;
    let (_, b) = answer(&browser, &server, i, &a, &[("a", "1")], &[]).await;
    assert_eq!(b["questionText"], "B?", "{b}");
    // The author removes the blocks while the session waits on one of them.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, "mandatory: True\nquestion: Short\n").unwrap();
    let (status, now) = get_screen(&browser, &server, i, "").await;
    assert_eq!(status, 200, "{now}");
    assert_eq!(now["questionText"], "Short", "{now}");
    let (status, body) = answer(&browser, &server, i, &b, &[("b", "2")], &[]).await;
    assert_clear("answer to a vanished question", status, &body);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_posts_store_one_answer() {
    let server = start().await;
    let (browser, details) = at_details(&server).await;
    let datatypes = details["_datatypes"].as_str().unwrap().to_string();
    let mut tasks = Vec::new();
    for n in 0..8 {
        let form: Vec<(String, String)> = vec![
            ("json".into(), "1".into()),
            (
                "csrf_token".into(),
                details["csrf_token"].as_str().unwrap().into(),
            ),
            (
                "_question_name".into(),
                details["_question_name"].as_str().unwrap().into(),
            ),
            ("_datatypes".into(), datatypes.clone()),
            (encode_name("name"), format!("n{n}")),
            (encode_name("count"), n.to_string()),
            (encode_name("price"), "1".into()),
            (encode_name("when"), "2020-01-02".into()),
        ];
        let (browser, url) = (
            browser.clone(),
            server.url(&format!("/interview?i={}", iv("form"))),
        );
        tasks.push(tokio::spawn(async move {
            let resp = browser.post(url).form(&form).send().await.unwrap();
            status_and_body(resp).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_clear("racing post", status, &body);
        if status == 200 {
            ok += 1;
        }
    }
    assert!(ok >= 1, "no racing POST won");
    let (_, now) = get_screen(&browser, &server, &iv("form"), "").await;
    // One answer was stored, as one step.
    assert_eq!(now["steps"], 3, "{now}");
    assert!(
        now["questionText"]
            .as_str()
            .unwrap()
            .starts_with("Done: fruit=apple; name=n"),
        "{now}"
    );
    server.stop().await;
}

/// A key for a plain user (and the server).
async fn with_key() -> (TestServer, String) {
    let server = start().await;
    let mut config = Config::default();
    fast(&mut config);
    let id = create_account(
        &server.store,
        &config,
        "u@example.org",
        "Correct horse 42",
        Role::User,
        true,
    )
    .await
    .unwrap();
    let key = server
        .store
        .create_api_key(id, "test", &KeyMethod::None)
        .await
        .unwrap()
        .unwrap();
    (server, key.expose().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_bad_input_is_refused_clearly() {
    let (server, key) = with_key().await;
    let client = reqwest::Client::new();
    // An interview without any question: docassemble's 400, no session.
    let resp = client
        .get(server.url("/api/session/new"))
        .query(&[("i", iv("noend").as_str()), ("key", &key)])
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_body(resp).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.as_str()
            .unwrap()
            .contains("failure to assemble interview"),
        "{body}"
    );
    // Other arguments of /api/session/new are the session's url_args.
    let resp = client
        .get(server.url("/api/session/new"))
        .query(&[("i", iv("args").as_str()), ("key", &key), ("name", "Bob")])
        .send()
        .await
        .unwrap();
    let (_, made) = status_and_body(resp).await;
    let resp = client
        .get(server.url("/api/session/question"))
        .query(&[
            ("i", iv("args").as_str()),
            ("session", made["session"].as_str().unwrap()),
            ("secret", made["secret"].as_str().unwrap()),
            ("key", &key),
        ])
        .send()
        .await
        .unwrap();
    let (_, q) = status_and_body(resp).await;
    assert_eq!(q["questionText"], "Hello, Bob!", "{q}");
    let resp = client
        .get(server.url("/api/session/new"))
        .query(&[("i", iv("form").as_str()), ("key", &key)])
        .send()
        .await
        .unwrap();
    let (_, made) = status_and_body(resp).await;
    let session = made["session"].as_str().unwrap().to_string();
    let secret = made["secret"].as_str().unwrap().to_string();
    let target = json!({"i": iv("form"), "session": session, "secret": secret});
    let with = |extra: Value| {
        let mut v = target.clone();
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v.to_string()
    };
    let bodies: Vec<(&str, String)> = vec![
        ("not JSON", "{nope".into()),
        ("a list", "[1, 2]".into()),
        ("a string", "\"x\"".into()),
        (
            "wrong types",
            json!({"i": 5, "session": [], "secret": {}}).to_string(),
        ),
        ("variables a string", with(json!({"variables": "x"}))),
        ("variables code", with(json!({"variables": {"x = 1": 1}}))),
        (
            "variables dunder",
            with(json!({"variables": {"__class__": 1}})),
        ),
        ("delete a number", with(json!({"delete_variables": 5}))),
        ("action a number", with(json!({"action": 5}))),
        (
            "arguments a list",
            with(json!({"action": "x", "arguments": []})),
        ),
        ("wrong secret", with(json!({"secret": "x".repeat(40)}))),
        ("foreign session", with(json!({"session": "0".repeat(32)}))),
        ("traversal", with(json!({"i": "../../etc/passwd"}))),
    ];
    let routes = [
        ("GET", "/api/session"),
        ("POST", "/api/session"),
        ("GET", "/api/session/question"),
        ("POST", "/api/session/back"),
        ("POST", "/api/session/action"),
        ("GET", "/api/user"),
        ("GET", "/api/user/api"),
        ("POST", "/api/user/api"),
        ("GET", "/api/user/interviews"),
        ("GET", "/api/list"),
        ("POST", "/api/stash_data"),
        ("GET", "/api/retrieve_stashed_data"),
        ("POST", "/api/resume_url"),
        ("GET", "/api/file/1"),
    ];
    for (method, path) in routes {
        for (what, body) in &bodies {
            let resp = client
                .request(method.parse().unwrap(), server.url(path))
                .header("x-api-key", &key)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let (status, value) = status_and_body(resp).await;
            assert_clear(&format!("{method} {path} {what}"), status, &value);
        }
        // Missing, malformed and unknown keys.
        for bad in [
            None,
            Some("short".to_string()),
            Some("0".repeat(32)),
            Some("\u{7f}".repeat(32)),
        ] {
            let mut req = client.request(method.parse().unwrap(), server.url(path));
            if let Some(k) = &bad {
                req = req.query(&[("key", k)]);
            }
            let (status, value) = status_and_body(req.send().await.unwrap()).await;
            assert_eq!(status, 403, "{method} {path} key {bad:?}: {value}");
            assert_eq!(value, json!("Access denied."));
        }
    }
    // The session under another interview: not found, for reading, writing and deleting.
    for method in ["GET", "POST", "DELETE"] {
        let resp = client
            .request(method.parse().unwrap(), server.url("/api/session"))
            .header("x-api-key", &key)
            .header("content-type", "application/json")
            .body(
                json!({"i": iv("generic"), "session": session, "secret": secret,
                       "variables": {"x": 1}})
                .to_string(),
            )
            .send()
            .await
            .unwrap();
        let (status, value) = status_and_body(resp).await;
        assert_eq!(status, 404, "{method}: {value}");
    }
    // After all that the session still answers its first question.
    let resp = client
        .get(server.url("/api/session/question"))
        .query(&[
            ("i", iv("form").as_str()),
            ("session", &session),
            ("secret", &secret),
            ("key", &key),
        ])
        .send()
        .await
        .unwrap();
    let (status, q) = status_and_body(resp).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["questionText"], "Fruit?");
    // The keys docassemble's get_question_data adds for API clients.
    assert!(q["questionName"].is_string(), "{q}");
    assert_eq!(q["title"], "Robust");
    assert_eq!(q["display_title"], "Robust");
    assert_eq!(q["short_title"], "Robust");
    assert_eq!(q["sections"], json!([]));
    assert_eq!(q["menu"], json!({"items": []}));
    assert_eq!(q["interview_options"], json!({}));
    assert!(
        q.get("_datatypes").is_none() && q.get("cornerBackButton").is_none(),
        "{q}"
    );
    assert_eq!(
        q["fields"][0]["validation_messages"],
        json!({"required": "This field is required."})
    );
    server.stop().await;
}

/// A random form field: a name (base64 of a random name, a control name, or random text) and
/// a random value.
fn arb_pair() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        "[a-z_][a-z0-9_.\\[\\]']{0,12}".prop_map(|n| encode_name(&n)),
        Just(encode_name("name")),
        Just(encode_name("count")),
        Just(encode_name("fruit")),
        prop::sample::select(vec![
            "_datatypes",
            "_varnames",
            "_visible",
            "_files",
            "_files_inline",
            "_checkboxes",
            "_empties",
            "_event",
            "_tracker",
            "_action",
            "_multiple_choice",
            "_question_name",
            "_save_as",
            "_the_image",
            "_success",
            "json",
            "ajax",
        ])
        .prop_map(str::to_string),
        ".{0,16}",
    ];
    let value = prop_oneof![
        ".{0,24}",
        "[A-Za-z0-9+/]{0,40}",
        Just(String::new()),
        Just("True".to_string()),
        Just("None".to_string()),
        Just("1".to_string()),
    ];
    (name, value)
}

#[test]
fn random_forms_never_break_the_server() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (server, browser, details) = rt.block_on(async {
        let server = start().await;
        let (browser, details) = at_details(&server).await;
        (server, browser, details)
    });
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&prop::collection::vec(arb_pair(), 0..6), |pairs| {
            let borrowed: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (status, body) = rt.block_on(post_on(&browser, &server, &details, &borrowed));
            prop_assert!((200..500).contains(&status), "{pairs:?}: {status} {body}");
            if status >= 400 {
                let message = body["error"].as_str().unwrap_or("");
                prop_assert!(!message.is_empty(), "{pairs:?}: {body}");
            }
            Ok(())
        })
        .unwrap();
    rt.block_on(async {
        // Whatever random forms did, `fruit` is still apple: finish from the current screen.
        let (_, now) = get_screen(&browser, &server, &iv("form"), "").await;
        if now["questionText"] == "Details" {
            finish(&browser, &server, &now).await;
        } else {
            let text = now["questionText"].as_str().unwrap_or("");
            assert!(text.starts_with("Done: fruit=apple;"), "{now}");
        }
        server.stop().await;
    });
}
