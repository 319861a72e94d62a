//! docassemble's `/interview?json=1` protocol against a real server: every test runs on a real
//! SQLite file (`sqlite::NAME`) and on a fresh PostgreSQL database (`postgres::NAME`; skipped
//! with "skipped: PostgreSQL not reachable" when there is none).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{Backend, TestServer, demo_packages, protocol};
use engine::run::encode_name;
use serde_json::Value;

const HELLO: &str = "docassemble.colloquydemo:data/questions/hello.yml";

async fn start(b: Backend) -> TestServer {
    TestServer::start_on(b, vec![demo_packages()], |_| {}).await
}

async fn get_screen(client: &reqwest::Client, server: &TestServer, extra: &str) -> (u16, Value) {
    protocol::get_screen(client, server, HELLO, extra).await
}

async fn post(
    client: &reqwest::Client,
    server: &TestServer,
    form: &[(&str, &str)],
) -> (u16, Value) {
    protocol::post_form(client, server, HELLO, form).await
}

/// Posts answers to `screen` (variables given in plain form; encoded here).
async fn answer(
    client: &reqwest::Client,
    server: &TestServer,
    screen: &Value,
    answers: &[(&str, &str)],
) -> (u16, Value) {
    protocol::answer(client, server, HELLO, screen, answers, &[]).await
}

async fn a_whole_interview_with_back_and_resume(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (status, s) = get_screen(&browser, &server, "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "What is your name?");
    assert_eq!(s["questionType"], "fields");
    assert_eq!(s["steps"], 1);
    assert_eq!(s["allow_going_back"], false);
    assert_eq!(
        s["fields"][0]["variable_name_encoded"],
        encode_name("user_name")
    );
    assert!(s["csrf_token"].as_str().unwrap().len() > 20);
    assert!(s["session"].as_str().unwrap().len() >= 32);
    assert!(s.get("secret").is_none());

    let (status, s) = answer(&browser, &server, &s, &[("user_name", "Ann")]).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Do you like turnips?");
    assert_eq!(s["steps"], 2);
    assert_eq!(s["allow_going_back"], true);

    let (_, s) = answer(&browser, &server, &s, &[("likes_turnips", "True")]).await;
    assert_eq!(s["questionText"], "Hello, Ann!");
    assert_eq!(s["steps"], 3);

    // Reloading resumes where the user was.
    let (_, again) = get_screen(&browser, &server, "").await;
    assert_eq!(again["questionText"], "Hello, Ann!");

    // Back goes to the previous step.
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let (status, back) = post(
        &browser,
        &server,
        &[("json", "1"), ("csrf_token", &csrf), ("_back_one", "1")],
    )
    .await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["questionText"], "Do you like turnips?");
    assert_eq!(back["steps"], 2);
    // The screen gone back to shows the answer given on it (docassemble's old_user_dict).
    assert_eq!(back["fields"][0]["default"], true, "{back}");

    // Another browser (no cookies) gets its own session.
    let other = server.browser();
    let (_, fresh) = get_screen(&other, &server, "").await;
    assert_eq!(fresh["questionText"], "What is your name?");
    assert_ne!(fresh["session"], s["session"]);
    server.stop().await;
}

async fn bad_input_gets_a_clear_4xx_and_changes_nothing(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (_, s) = get_screen(&browser, &server, "").await;
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let qn = s["_question_name"].as_str().unwrap().to_string();
    let name = encode_name("user_name");

    // Forged CSRF token.
    let (status, body) = post(
        &browser,
        &server,
        &[
            ("json", "1"),
            ("csrf_token", "forged"),
            ("_question_name", &qn),
            (&name, "X"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().unwrap().contains("CSRF"));
    // A variable that is not on the screen.
    let other = encode_name("likes_turnips");
    let (status, body) = post(
        &browser,
        &server,
        &[
            ("json", "1"),
            ("csrf_token", &csrf),
            ("_question_name", &qn),
            (&other, "True"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().unwrap().contains("likes_turnips"));
    // A name that is not base64 of anything.
    let (status, body) = post(
        &browser,
        &server,
        &[
            ("json", "1"),
            ("csrf_token", &csrf),
            ("_question_name", &qn),
            ("Z", "x"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Code injection through a variable name.
    let evil = encode_name("__import__('os').system('true')");
    let (status, _) = post(
        &browser,
        &server,
        &[
            ("json", "1"),
            ("csrf_token", &csrf),
            ("_question_name", &qn),
            (&evil, "1"),
        ],
    )
    .await;
    assert_eq!(status, 400);

    // Nothing changed: the same first screen, still at step 1.
    let (_, again) = get_screen(&browser, &server, "").await;
    assert_eq!(again["questionText"], "What is your name?");
    assert_eq!(again["steps"], 1);

    // Bad interview names.
    let resp = browser
        .get(server.url("/interview?i=../../etc/passwd&json=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = browser
        .get(server.url("/interview?i=docassemble.nothere:data/questions/x.yml&json=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    // No `i` and no session to guess it from (docassemble's guess_yaml_filename).
    let resp = server
        .browser()
        .get(server.url("/interview?json=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // A POST without a session.
    let stranger = server.browser();
    let (status, _) = post(&stranger, &server, &[("json", "1"), ("csrf_token", &csrf)]).await;
    assert_eq!(status, 403);
    // A wrong content type.
    let resp = browser
        .post(server.url(&format!("/interview?i={HELLO}")))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 415);
    server.stop().await;
}

async fn validation_errors_come_back_in_the_json(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (_, s) = get_screen(&browser, &server, "").await;
    let (status, body) = answer(&browser, &server, &s, &[("user_name", "")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["questionText"], "What is your name?");
    assert_eq!(body["errors"][0]["variable_name"], "user_name");
    assert_eq!(body["steps"], 1);
    server.stop().await;
}

async fn a_stale_submission_gets_409_with_the_current_screen(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (_, s) = get_screen(&browser, &server, "").await;
    let (_, s2) = answer(&browser, &server, &s, &[("user_name", "Ann")]).await;
    assert_eq!(s2["questionText"], "Do you like turnips?");
    // The first screen again (an old tab).
    let (status, body) = answer(&browser, &server, &s, &[("user_name", "Bob")]).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["questionText"], "Do you like turnips?");
    server.stop().await;
}

async fn racing_submissions_one_wins_nothing_is_lost(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (_, s) = get_screen(&browser, &server, "").await;
    let (a, b) = tokio::join!(
        answer(&browser, &server, &s, &[("user_name", "Ann")]),
        answer(&browser, &server, &s, &[("user_name", "Bob")]),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    let (_, now) = get_screen(&browser, &server, "").await;
    assert_eq!(now["questionText"], "Do you like turnips?");
    assert_eq!(now["steps"], 2);
    server.stop().await;
}

async fn restart_and_the_app_shell(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (_, s) = get_screen(&browser, &server, "").await;
    let (_, _) = answer(&browser, &server, &s, &[("user_name", "Ann")]).await;
    let (_, restarted) = get_screen(&browser, &server, "&reset=1").await;
    assert_eq!(restarted["questionText"], "What is your name?");
    assert_eq!(restarted["steps"], 1);
    let html = browser
        .get(server.url(&format!("/interview?i={HELLO}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("app shell"));
    server.stop().await;
}

async fn list_and_sessions(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let list: Value = browser
        .get(server.url("/list?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = list["interviews"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["i"] == HELLO && i["title"] == "Hello"),
        "{list}"
    );
    let none: Value = browser
        .get(server.url("/interviews?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none["interviews"].as_array().unwrap().len(), 0);
    let (_, s) = get_screen(&browser, &server, "").await;
    let mine: Value = browser
        .get(server.url("/interviews?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = mine["interviews"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{mine}");
    assert_eq!(rows[0]["session"], s["session"]);
    assert_eq!(rows[0]["title"], "Hello");
    server.stop().await;
}

async fn cors_only_for_configured_origins(b: Backend) {
    let server = TestServer::start_on(b, vec![demo_packages()], |c| {
        c.cross_site_domains = vec!["https://partner.example".into()];
    })
    .await;
    let client = reqwest::Client::new();
    let resp = client
        .request(reqwest::Method::OPTIONS, server.url("/interview"))
        .header("origin", "https://partner.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    assert_eq!(resp.headers()["access-control-allow-credentials"], "true");
    let resp = client
        .get(server.url("/health"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    server.stop().await;
}

async fn oversized_bodies_are_refused(b: Backend) {
    let server =
        TestServer::start_on(b, vec![demo_packages()], |c| c.max_upload_bytes = 1024).await;
    let browser = server.browser();
    let big = "x".repeat(4096);
    let resp = browser
        .post(server.url(&format!("/interview?i={HELLO}")))
        .form(&[("json", "1"), ("pad", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    server.stop().await;
}

/// A table's moved rows (`allow reordering`) posted as docassemble's page posts them: plain
/// JSON `_order_changes`; malformed moves are a 400 that changes nothing.
async fn table_order_changes_move_the_rows(b: Backend) {
    const REORDER: &str = "docassemble.colloquydemo:data/questions/table-reorder.yml";
    let server = start(b).await;
    let browser = server.browser();
    let (status, s) = protocol::get_screen(&browser, &server, REORDER, "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Rank the fruit");
    let table = encode_name("fruit");
    assert!(
        s["subquestionText"]
            .as_str()
            .unwrap()
            .contains(&format!("data-tablename=\"{table}\" data-tableitem=\"2\"")),
        "{s}"
    );
    let bad = format!("{{\"{table}\": [[2]]}}");
    let (status, e) = protocol::answer(
        &browser,
        &server,
        REORDER,
        &s,
        &[("ranked", "True")],
        &[("_order_changes", &bad)],
    )
    .await;
    assert_eq!(status, 400, "{e}");
    let moves = format!("{{\"{table}\": [[2, 0], [0, 1], [1, 2]]}}");
    let (status, done) = protocol::answer(
        &browser,
        &server,
        REORDER,
        &s,
        &[("ranked", "True")],
        &[("_order_changes", &moves)],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "Your ranking");
    assert!(
        done["subquestionText"]
            .as_str()
            .unwrap()
            .contains("fruit[0]: Cherry.\nfruit[1]: Apple.\nfruit[2]: Banana."),
        "{done}"
    );
    server.stop().await;
}

crate::protocol_tests!(
    a_whole_interview_with_back_and_resume,
    bad_input_gets_a_clear_4xx_and_changes_nothing,
    validation_errors_come_back_in_the_json,
    a_stale_submission_gets_409_with_the_current_screen,
    racing_submissions_one_wins_nothing_is_lost,
    restart_and_the_app_shell,
    list_and_sessions,
    cors_only_for_configured_origins,
    oversized_bodies_are_refused,
    table_order_changes_move_the_rows
);
