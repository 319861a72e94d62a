//! Actions over HTTP (`?action=`, `_action`), review screens with edit links, sections and
//! progress in the screen JSON, and bad actions refused with 4xx and no change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{Backend, TestServer, demo_packages, protocol};
use engine::run::{decode_name, encode_name};
use serde_json::{Value, json};

const REVIEW: &str = "docassemble.colloquydemo:data/questions/review.yml";

async fn start(b: Backend) -> TestServer {
    TestServer::start_on(b, vec![demo_packages()], |_| {}).await
}

async fn get(client: &reqwest::Client, server: &TestServer, extra: &str) -> (u16, Value) {
    protocol::get_screen(client, server, REVIEW, extra).await
}

async fn post(
    client: &reqwest::Client,
    server: &TestServer,
    form: &[(&str, &str)],
) -> (u16, Value) {
    protocol::post_form(client, server, REVIEW, form).await
}

async fn answer(
    client: &reqwest::Client,
    server: &TestServer,
    screen: &Value,
    answers: &[(&str, &str)],
) -> Value {
    let (status, s) = protocol::answer(client, server, REVIEW, screen, answers, &[]).await;
    assert_eq!(status, 200, "{s}");
    s
}

/// Posts `_action` (the encoded action JSON) for `screen`.
async fn post_action(
    client: &reqwest::Client,
    server: &TestServer,
    screen: &Value,
    encoded: &str,
) -> (u16, Value) {
    let csrf = screen["csrf_token"].as_str().unwrap().to_string();
    post(
        client,
        server,
        &[("json", "1"), ("csrf_token", &csrf), ("_action", encoded)],
    )
    .await
}

fn encoded_action(v: &Value) -> String {
    encode_name(&v.to_string())
}

/// Answers the demo up to its final screen.
async fn to_the_end(client: &reqwest::Client, server: &TestServer) -> Value {
    let (status, s) = get(client, server, "").await;
    assert_eq!(status, 200, "{s}");
    let s = answer(client, server, &s, &[("user_name", "Ann")]).await;
    let s = answer(client, server, &s, &[("favorite_fruit", "apple")]).await;
    answer(client, server, &s, &[("favorite_vegetable", "kale")]).await
}

async fn sections_and_progress_are_in_the_screen(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (_, s) = get(&browser, &server, "").await;
    assert_eq!(s["progress"], 20.0);
    assert_eq!(s["section"], "about");
    assert_eq!(
        s["sections"],
        json!([
            {"key": "about", "title": "About you"},
            {"key": "food", "title": "Food"},
            {"key": "done", "title": "Finished"}
        ])
    );
    let tracker = s["_tracker"].as_u64().unwrap();
    let s = answer(&browser, &server, &s, &[("user_name", "Ann")]).await;
    assert!(s["_tracker"].as_u64().unwrap() > tracker);
    assert_eq!(s["section"], "food");
    assert_eq!(s["progress"], 50.0);
    server.stop().await;
}

async fn a_url_action_link_opens_the_review_and_an_edit_comes_back(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let end = to_the_end(&browser, &server).await;
    assert_eq!(end["questionText"], "Thank you, Ann.");
    let steps = end["steps"].as_i64().unwrap();
    // The link in the text is docassemble's: ?action=<base64 JSON>&i=<interview>.
    let html = end["subquestionText"].as_str().unwrap();
    let href = html
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let href = href.replace("&amp;", "&");
    assert!(href.starts_with("/interview?action="), "{href}");
    let resp = browser
        .get(server.url(&format!("{href}&json=1")))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let r: Value = resp.json().await.unwrap();
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["questionType"], "review");
    assert_eq!(r["continueLabel"], "Resume");
    assert_eq!(r["steps"].as_i64().unwrap(), steps + 1);
    let fruit = &r["fields"][1];
    assert_eq!(fruit["label"], "Fruit");
    assert_eq!(fruit["active"], true);
    assert!(fruit["helptext"].as_str().unwrap().contains("apple"));
    let edit = fruit["action"].as_str().unwrap();
    let decoded: Value = serde_json::from_str(&decode_name(edit).unwrap()).unwrap();
    assert_eq!(
        decoded,
        json!({"action": "favorite_fruit", "arguments": {}})
    );
    // The edit link: the fruit question, then the review again, then Resume to the end.
    let (status, q) = post_action(&browser, &server, &r, edit).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["questionText"], "What is your favorite fruit?");
    let r = answer(&browser, &server, &q, &[("favorite_fruit", "pear")]).await;
    assert_eq!(r["questionType"], "review");
    assert!(
        r["fields"][1]["helptext"]
            .as_str()
            .unwrap()
            .contains("pear")
    );
    let end = answer(&browser, &server, &r, &[]).await;
    assert_eq!(end["questionText"], "Thank you, Ann.");
    assert!(end["subquestionText"].as_str().unwrap().contains("pear"));
    server.stop().await;
}

async fn bad_actions_get_a_4xx_and_change_nothing(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let end = to_the_end(&browser, &server).await;
    let steps = end["steps"].clone();
    let bad = [
        encoded_action(&json!({"action": "not_in_this_interview", "arguments": {}})),
        encoded_action(&json!({"action": "os.system('id')", "arguments": {}})),
        encoded_action(&json!({"action": "_da_set",
            "arguments": {"variables": [["user_name", "Mallory"]]}})),
        encoded_action(&json!({"action": "_da_undefine",
            "arguments": {"variables": ["user_name"]}})),
        encoded_action(&json!({"action": "review_answers", "arguments": [1]})),
        encoded_action(&json!(["review_answers"])),
        "%%%".to_string(),
    ];
    for enc in &bad {
        let (status, body) = post_action(&browser, &server, &end, enc).await;
        assert_eq!(status, 400, "{enc}: {body}");
        let q = enc.replace('+', "%2B").replace('/', "%2F");
        let (status, body) = get(&browser, &server, &format!("&action={q}")).await;
        assert_eq!(status, 400, "GET {enc}: {body}");
    }
    let (status, now) = get(&browser, &server, "").await;
    assert_eq!(status, 200);
    assert_eq!(now["steps"], steps);
    assert_eq!(now["questionText"], "Thank you, Ann.");
    // An action POST needs the CSRF token like any POST.
    let enc = encoded_action(&json!({"action": "review_answers", "arguments": {}}));
    let (status, _) = post(&browser, &server, &[("json", "1"), ("_action", &enc)]).await;
    assert_eq!(status, 400);
    server.stop().await;
}

crate::protocol_tests!(
    sections_and_progress_are_in_the_screen,
    a_url_action_link_opens_the_review_and_an_edit_comes_back,
    bad_actions_get_a_4xx_and_change_nothing
);
