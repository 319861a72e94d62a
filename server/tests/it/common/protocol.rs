//! docassemble's `/interview?json=1` protocol as a test client speaks it: GET a screen, POST a
//! form, answer a screen by plain variable names.

use engine::run::encode_name;
use serde_json::Value;

use super::TestServer;

/// The status and the body: JSON, or the text as a JSON string when it is not JSON.
pub async fn status_and_body(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `GET /interview?i=I&json=1` plus `extra` (e.g. `"&reset=1"`).
pub async fn get_screen(
    client: &reqwest::Client,
    server: &TestServer,
    i: &str,
    extra: &str,
) -> (u16, Value) {
    let resp = client
        .get(server.url(&format!("/interview?i={i}&json=1{extra}")))
        .send()
        .await
        .unwrap();
    status_and_body(resp).await
}

/// `POST /interview?i=I` with a urlencoded form.
pub async fn post_form(
    client: &reqwest::Client,
    server: &TestServer,
    i: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let resp = client
        .post(server.url(&format!("/interview?i={i}")))
        .form(form)
        .send()
        .await
        .unwrap();
    status_and_body(resp).await
}

/// Posts `answers` (plain variable names, encoded here) to `screen` with its CSRF token and
/// question name, plus `extra` raw pairs.
pub async fn answer(
    client: &reqwest::Client,
    server: &TestServer,
    i: &str,
    screen: &Value,
    answers: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let csrf = screen["csrf_token"].as_str().unwrap().to_string();
    let qn = screen["_question_name"].as_str().unwrap().to_string();
    let encoded: Vec<(String, String)> = answers
        .iter()
        .map(|(k, v)| (encode_name(k), v.to_string()))
        .collect();
    let mut form: Vec<(&str, &str)> = vec![
        ("json", "1"),
        ("csrf_token", &csrf),
        ("_question_name", &qn),
    ];
    for (k, v) in &encoded {
        form.push((k, v));
    }
    form.extend_from_slice(extra);
    post_form(client, server, i, &form).await
}
