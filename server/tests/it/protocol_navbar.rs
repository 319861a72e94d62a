//! The navbar settings in the screen JSON (`show login`, `exit label`, `exit url`, `exit
//! link`, `hide standard menu`, `question help button`), docassemble's Exit entry (the
//! `_da_exit` action), help labels, and `refresh=1` (a `reload` screen's page reload).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::PathBuf;

use common::{Backend, TestServer, protocol};
use engine::run::encode_name;
use serde_json::{Value, json};

const PKG: &str = "docassemble.colloquynavbar:data/questions";

fn packages() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("protocol-navbar-packages");
    let dir = root.join("docassemble/colloquynavbar/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    let files: &[(&str, &str)] = &[
        (
            "leave.yml",
            "metadata:\n  title: Leave\n---\nmetadata:\n  show login: False\n  exit label: Leave now\n  exit url: /list?bye=1\n---\nmandatory: True\nquestion: Hello\nfields:\n  - Name: name\n---\nmandatory: True\nquestion: Bye\n",
        ),
        (
            "exit.yml",
            "metadata:\n  show login: False\n  exit link: exit\n---\nfeatures:\n  hide standard menu: True\n  question help button: True\n  debug: False\n---\ninterview help:\n  label: More info\n  content: About fruit.\n---\nmandatory: True\nquestion: Fruit?\nfields:\n  - Fruit: fruit\nhelp:\n  label: Huh?\n  content: Seeds.\n",
        ),
        (
            "reload.yml",
            "mandatory: True\ncode: |\n  if the_task.ready():\n    final_screen\n  else:\n    waiting_screen\n---\ncode: |\n  the_task = background_action('bg_task', None, additional=value_to_add)\n---\nquestion: How much shall I add to 553?\nfields:\n  - Number: value_to_add\n    datatype: integer\n---\nevent: waiting_screen\nquestion: Still waiting.\nreload: True\n---\nevent: final_screen\nquestion: The answer is ${ the_task.get() }.\n---\nevent: bg_task\ncode: |\n  background_response(553 + action_argument('additional'))\n",
        ),
        (
            "flash.yml",
            "mandatory: True\ncode: |\n  if the_task.ready():\n    final_screen\n  else:\n    waiting_screen\n---\ncode: |\n  the_task = background_action('bg_task', 'flash', additional=value_to_add)\n---\nquestion: How much shall I add to 553?\nfields:\n  - Number: value_to_add\n    datatype: integer\n---\nevent: waiting_screen\nquestion: Working on it.\nbuttons:\n  - Continue: refresh\n---\nevent: final_screen\nquestion: \"All done: ${ the_task.get() }\"\n---\nevent: bg_task\ncode: |\n  background_response('The answer is ' + str(553 + action_argument('additional')))\n",
        ),
        (
            "plain.yml",
            "mandatory: True\nquestion: Plain\nfields:\n  - Name: name\n",
        ),
    ];
    common::write_interviews(&dir, files);
    root
}

async fn start(b: Backend) -> TestServer {
    TestServer::start_on(b, vec![packages()], |_| {}).await
}

fn exit_action() -> String {
    encode_name(&json!({"action": "_da_exit", "arguments": {}}).to_string())
}

async fn post_exit(
    client: &reqwest::Client,
    server: &TestServer,
    i: &str,
    screen: &Value,
) -> (u16, Value) {
    let csrf = screen["csrf_token"].as_str().unwrap().to_string();
    let action = exit_action();
    protocol::post_form(
        client,
        server,
        i,
        &[("json", "1"), ("csrf_token", &csrf), ("_action", &action)],
    )
    .await
}

async fn the_screen_carries_the_navbar_settings(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let (status, s) =
        protocol::get_screen(&browser, &server, &format!("{PKG}/plain.yml"), "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["show_login"], true);
    assert_eq!(s["exit_label"], "Exit");
    assert_eq!(s["exit_link"], "leave");
    assert_eq!(s["exit_url"], Value::Null);
    assert_eq!(s["hide_standard_menu"], false);
    assert_eq!(s["questionHelpButton"], false);
    assert_eq!(s["debug"], true);
    let (_, s) = protocol::get_screen(&browser, &server, &format!("{PKG}/exit.yml"), "").await;
    assert_eq!(s["show_login"], false);
    assert_eq!(s["exit_link"], "exit");
    assert_eq!(s["hide_standard_menu"], true);
    assert_eq!(s["questionHelpButton"], true);
    assert_eq!(s["debug"], false);
    assert_eq!(s["helpText"][0]["label"], "Huh?");
    assert_eq!(s["interviewHelpText"][0]["label"], "More info");
    server.stop().await;
}

async fn exit_leaves_for_the_exit_url_and_keeps_the_answers(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = format!("{PKG}/leave.yml");
    let (_, s) = protocol::get_screen(&browser, &server, &i, "").await;
    assert_eq!(s["show_login"], false);
    assert_eq!(s["exit_label"], "Leave now");
    let session = s["session"].clone();
    let (status, s) = protocol::answer(&browser, &server, &i, &s, &[("name", "Ann")], &[]).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Bye");
    let (status, r) = post_exit(&browser, &server, &i, &s).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r, json!({"command": "leave", "url": "/list?bye=1"}));
    // `leave` keeps the session: it can be resumed where it was.
    let sid = session.as_str().unwrap();
    let (status, back) =
        protocol::get_screen(&browser, &server, &i, &format!("&session={sid}")).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["questionText"], "Bye");
    server.stop().await;
}

async fn exit_link_exit_deletes_the_session(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = format!("{PKG}/exit.yml");
    let (_, s) = protocol::get_screen(&browser, &server, &i, "").await;
    let sid = s["session"].as_str().unwrap().to_string();
    let (status, r) = post_exit(&browser, &server, &i, &s).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r, json!({"command": "exit", "url": "/list"}));
    let (status, gone) =
        protocol::get_screen(&browser, &server, &i, &format!("&session={sid}")).await;
    assert!(status >= 400, "{status}: {gone}");
    // Without the CSRF token the action is refused like any POST.
    let action = exit_action();
    let (status, _) = protocol::post_form(
        &browser,
        &server,
        &i,
        &[("json", "1"), ("_action", &action)],
    )
    .await;
    assert_eq!(status, 400);
    server.stop().await;
}

async fn a_refresh_shows_what_background_tasks_did_without_a_new_step(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = format!("{PKG}/reload.yml");
    let (_, s) = protocol::get_screen(&browser, &server, &i, "").await;
    let (status, s) =
        protocol::answer(&browser, &server, &i, &s, &[("value_to_add", "2")], &[]).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Still waiting.");
    assert_eq!(s["reload"], 10_000);
    let steps = s["steps"].clone();
    // A plain GET shows the waiting screen as it was sent.
    let (_, again) = protocol::get_screen(&browser, &server, &i, "").await;
    assert_eq!(again["questionText"], "Still waiting.");
    // A refresh looks again: the task has finished. The step count does not grow.
    let (status, now) = protocol::get_screen(&browser, &server, &i, "&refresh=1").await;
    assert_eq!(status, 200, "{now}");
    assert_eq!(now["questionText"], "The answer is 555.");
    assert_eq!(now["steps"], steps);
    let (_, later) = protocol::get_screen(&browser, &server, &i, "").await;
    assert_eq!(later["questionText"], "The answer is 555.");
    server.stop().await;
}

async fn finished_tasks_notifications_come_with_the_answer_once(b: Backend) {
    let server = start(b).await;
    let browser = server.browser();
    let i = format!("{PKG}/flash.yml");
    let (_, s) = protocol::get_screen(&browser, &server, &i, "").await;
    assert_eq!(s.get("notifications"), None);
    let (status, s) =
        protocol::answer(&browser, &server, &i, &s, &[("value_to_add", "2")], &[]).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["questionText"], "Working on it.");
    assert_eq!(
        s["notifications"],
        json!([{"action": "flash", "value": "The answer is 555"}])
    );
    let (_, again) = protocol::get_screen(&browser, &server, &i, "").await;
    assert_eq!(again["questionText"], "Working on it.");
    assert_eq!(again.get("notifications"), None);
    // A `refresh` button looks for the current question again.
    let (status, done) = protocol::answer(
        &browser,
        &server,
        &i,
        &again,
        &[],
        &[("X211bHRpcGxlX2Nob2ljZQ", "0")],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["questionText"], "All done: The answer is 555");
    // Delivered once: the stored session no longer holds them.
    assert_eq!(done.get("notifications"), None);
    server.stop().await;
}

crate::protocol_tests!(
    finished_tasks_notifications_come_with_the_answer_once,
    a_refresh_shows_what_background_tasks_did_without_a_new_step,
    the_screen_carries_the_navbar_settings,
    exit_leaves_for_the_exit_url_and_keeps_the_answers,
    exit_link_exit_deletes_the_session
);
