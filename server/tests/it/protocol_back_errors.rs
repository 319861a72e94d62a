//! What docassemble's protocol says about going back and about errors: `prevent going back`
//! and `prevent_going_back()` turn `allow_going_back` (and the question's own Back button) off
//! for that screen and the next, and an interview's `error help` comes with its errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{Backend, TestServer, protocol};
use serde_json::Value;

const BACK: &str = "docassemble.backtest:data/questions/back.yml";
const ERROR: &str = "docassemble.backtest:data/questions/error.yml";

/// A package with the two interviews; the directory lives as long as the returned guard.
fn package() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("docassemble/backtest/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("back.yml"),
        "features:\n  question back button: True\n---\n\
         code: |\n  if service:\n    prevent_going_back()\n  submitted = True\n---\n\
         question: Service?\nfield: service\nchoices:\n  - Tutoring\n---\n\
         question: Submitted\nneed: submitted\nfield: one\nmandatory: True\n---\n\
         question: Two\nfield: two\nmandatory: True\n---\n\
         question: Three\nfield: three\nmandatory: True\n---\n\
         mandatory: True\nquestion: End\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("error.yml"),
        "metadata:\n  error help: |\n    We are **sorry**.\n---\n\
         code: |\n  answer = 5/0\n---\nmandatory: True\nquestion: The answer is ${ answer }.\n",
    )
    .unwrap();
    root
}

async fn next(client: &reqwest::Client, server: &TestServer, screen: &Value) -> Value {
    let var = screen["fields"][0]["variable_name"]
        .as_str()
        .unwrap_or("service")
        .to_string();
    let value = if var == "service" { "Tutoring" } else { "True" };
    let (status, s) =
        protocol::answer(client, server, BACK, screen, &[(var.as_str(), value)], &[]).await;
    assert_eq!(status, 200, "{s}");
    s
}

async fn going_back_is_prevented_for_a_screen_and_the_next(b: Backend) {
    let root = package();
    let server = TestServer::start_on(b, vec![root.path().to_path_buf()], |_| {}).await;
    let browser = server.browser();
    let (status, s) = protocol::get_screen(&browser, &server, BACK, "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Service?");
    assert_eq!(s["allow_going_back"], false);
    assert!(s.get("questionBackButton").is_none(), "{s}");
    let s = next(&browser, &server, &s).await;
    assert_eq!(s["questionText"], "Submitted");
    assert_eq!(s["allow_going_back"], false, "{s}");
    assert!(s.get("questionBackButton").is_none(), "{s}");
    assert!(s.get("_back_prevented").is_none(), "{s}");
    let s = next(&browser, &server, &s).await;
    assert_eq!(s["questionText"], "Two");
    assert_eq!(s["allow_going_back"], false, "{s}");
    let s = next(&browser, &server, &s).await;
    assert_eq!(s["questionText"], "Three");
    assert_eq!(s["allow_going_back"], true, "{s}");
    assert_eq!(s["questionBackButton"], "Back");
    server.stop().await;
}

async fn an_interview_error_carries_the_interviews_error_help(b: Backend) {
    let root = package();
    let server = TestServer::start_on(b, vec![root.path().to_path_buf()], |_| {}).await;
    let browser = server.browser();
    let (status, e) = protocol::get_screen(&browser, &server, ERROR, "").await;
    assert_eq!(status, 501, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("ZeroDivisionError"),
        "{e}"
    );
    let help = e["error_help"].as_str().unwrap();
    assert!(help.contains("We are <strong>sorry</strong>."), "{help}");
    // An interview without it sends none.
    let (_, e) = protocol::get_screen(&browser, &server, BACK, "&action=nonexistent").await;
    assert!(e.get("error_help").is_none(), "{e}");
    server.stop().await;
}

crate::protocol_tests!(
    going_back_is_prevented_for_a_screen_and_the_next,
    an_interview_error_carries_the_interviews_error_help
);
