//! `POST /checkin`: the waiting screen's `check in` event runs with the page's values, its
//! commands come back, what it changes is stored; other events, bad parameters and a missing
//! CSRF token are refused.

use crate::common;

use common::{Backend, TestServer, protocol};
use serde_json::{Value, json};

const I: &str = "docassemble.checkintest:data/questions/food.yml";

const FOOD: &str = r#"
mandatory: True
code: |
  counter = 0
---
question: What is your favorite food?
fields:
  - Favorite food: favorite_food
under: |
  [TARGET feedback]
check in: question_food
---
event: question_food
code: |
  counter += 1
  food = action_argument('favorite_food')
  if food:
    background_response(target='feedback', content="What? You like " + food.upper() + "?")
  background_response()
---
event: other
code: |
  counter = 100
---
mandatory: True
question: Your favorite food is ${ favorite_food }.
subquestion: You checked in ${ counter } times.
"#;

fn package() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("docassemble/checkintest/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("food.yml"), FOOD).unwrap();
    root
}

async fn check_in(
    client: &reqwest::Client,
    server: &TestServer,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let resp = client
        .post(server.url(&format!("/checkin?i={I}")))
        .form(form)
        .send()
        .await
        .unwrap();
    protocol::status_and_body(resp).await
}

async fn a_check_in_runs_the_screens_event_and_keeps_its_changes(b: Backend) {
    let root = package();
    let server = TestServer::start_on(b, vec![root.path().to_path_buf()], |_| {}).await;
    let browser = server.browser();
    let (status, s) = protocol::get_screen(&browser, &server, I, "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["do_action"], "question_food");
    assert_eq!(s["checkin_interval"], 6000);
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let params = json!({"_initial": false, "_changed": "favorite_food", "favorite_food": "soup"})
        .to_string();
    let form = [
        ("action", "checkin"),
        ("do_action", "question_food"),
        ("parameters", params.as_str()),
        ("checkinCode", "0.25"),
        ("csrf_token", csrf.as_str()),
    ];
    let (status, r) = check_in(&browser, &server, &form).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["success"], true);
    assert_eq!(r["checkin_code"], "0.25");
    assert_eq!(
        r["commands"],
        json!([{"action": "question_food", "extra": "backgroundresponse",
                "value": {"target": "feedback", "content": "What? You like SOUP?"}}])
    );
    // a read-only check-in runs but stores nothing
    let mut ro = form.to_vec();
    ro.push(("read_only", "1"));
    let (status, _) = check_in(&browser, &server, &ro).await;
    assert_eq!(status, 200);
    // without do_action: nothing runs
    let (status, r) = check_in(
        &browser,
        &server,
        &[("action", "checkin"), ("csrf_token", csrf.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["commands"], json!([]));
    // the screen is still the same, and the stored counter counts the one stored check-in
    let (_, s) = protocol::get_screen(&browser, &server, I, "").await;
    assert_eq!(s["questionText"], "What is your favorite food?");
    let (status, end) =
        protocol::answer(&browser, &server, I, &s, &[("favorite_food", "soup")], &[]).await;
    assert_eq!(status, 200, "{end}");
    assert_eq!(end["questionText"], "Your favorite food is soup.");
    assert_eq!(end["subquestionText"], "<p>You checked in 1 times.</p>\n");
    server.stop().await;
}

/// A check-in of the food screen with `food` typed, posted on a task of its own.
fn spawn_check_in(
    browser: &reqwest::Client,
    url: &str,
    csrf: &str,
    food: &str,
) -> tokio::task::JoinHandle<(u16, Value)> {
    let (browser, url, csrf) = (browser.clone(), url.to_string(), csrf.to_string());
    let params = json!({"_changed": "favorite_food", "favorite_food": food}).to_string();
    tokio::spawn(async move {
        let resp = browser
            .post(url)
            .form(&[
                ("action", "checkin"),
                ("do_action", "question_food"),
                ("parameters", params.as_str()),
                ("csrf_token", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        protocol::status_and_body(resp).await
    })
}

/// Check-ins of one page overlap (one per changed field): each runs on what the others saved,
/// so none of their changes is lost and none is refused.
async fn overlapping_check_ins_all_count(b: Backend) {
    let root = package();
    let server = TestServer::start_on(b, vec![root.path().to_path_buf()], |_| {}).await;
    let browser = server.browser();
    let (_, s) = protocol::get_screen(&browser, &server, I, "").await;
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let url = server.url(&format!("/checkin?i={I}"));
    let tasks: Vec<_> = (0..6)
        .map(|n| spawn_check_in(&browser, &url, &csrf, &format!("soup {n}")))
        .collect();
    for t in tasks {
        let (status, r) = t.await.unwrap();
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["success"], true, "{r}");
    }
    let (_, s) = protocol::get_screen(&browser, &server, I, "").await;
    let (status, end) =
        protocol::answer(&browser, &server, I, &s, &[("favorite_food", "soup")], &[]).await;
    assert_eq!(status, 200, "{end}");
    assert_eq!(end["subquestionText"], "<p>You checked in 6 times.</p>\n");
    server.stop().await;
}

/// A check-in sent with the answer (the page checks in when a field loses the focus, as the
/// user presses Continue) may save over the step while the answer is taken: the answer is
/// then taken again on what the check-in saved, never refused as stale.
async fn a_check_in_racing_the_answer_does_not_make_it_stale(b: Backend) {
    let root = package();
    let server = TestServer::start_on(b, vec![root.path().to_path_buf()], |_| {}).await;
    for round in 0..6 {
        let browser = server.browser();
        let (_, s) = protocol::get_screen(&browser, &server, I, "").await;
        let csrf = s["csrf_token"].as_str().unwrap().to_string();
        let url = server.url(&format!("/checkin?i={I}"));
        let check_in = spawn_check_in(&browser, &url, &csrf, "soup");
        let (status, end) =
            protocol::answer(&browser, &server, I, &s, &[("favorite_food", "soup")], &[]).await;
        assert_eq!(status, 200, "round {round}: {end}");
        assert_eq!(
            end["questionText"], "Your favorite food is soup.",
            "round {round}"
        );
        // The check-in either went in before the answer was saved (and the answer counts it)
        // or found the session moved on (409, or 400 once the end screen, which has no
        // check-in, is waiting); never saved and then lost.
        let (checked, _) = check_in.await.unwrap();
        assert!(
            matches!(checked, 200 | 400 | 409),
            "round {round}: {checked}"
        );
        let counted = if checked == 200 { "1" } else { "0" };
        let text = end["subquestionText"].as_str().unwrap_or("");
        assert!(
            text.contains(&format!("You checked in {counted} times.")),
            "round {round}: check-in {checked}, {text}"
        );
        protocol::post_form(&browser, &server, I, &[("json", "1"), ("reset", "1")]).await;
    }
    server.stop().await;
}

async fn other_events_and_bad_check_ins_are_refused(b: Backend) {
    let root = package();
    let server = TestServer::start_on(b, vec![root.path().to_path_buf()], |_| {}).await;
    let browser = server.browser();
    let (_, s) = protocol::get_screen(&browser, &server, I, "").await;
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    let cases: Vec<(Vec<(&str, &str)>, u16)> = vec![
        (
            vec![
                ("action", "checkin"),
                ("do_action", "other"),
                ("csrf_token", &csrf),
            ],
            400,
        ),
        (
            vec![
                ("action", "checkin"),
                ("do_action", "question_food"),
                ("parameters", "[1, 2]"),
                ("csrf_token", &csrf),
            ],
            400,
        ),
        (
            vec![
                ("action", "checkin"),
                ("do_action", "question_food"),
                ("parameters", "{not json"),
                ("csrf_token", &csrf),
            ],
            400,
        ),
        (
            vec![("action", "checkin"), ("do_action", "question_food")],
            400,
        ),
        (vec![("action", "chat_log"), ("csrf_token", &csrf)], 400),
    ];
    for (form, want) in cases {
        let (status, r) = check_in(&browser, &server, &form).await;
        assert_eq!(status, want, "{form:?}: {r}");
    }
    // a browser without the session's secret
    let stranger = server.browser();
    let (status, _) = check_in(
        &stranger,
        &server,
        &[("action", "checkin"), ("do_action", "question_food")],
    )
    .await;
    assert_eq!(status, 403);
    // nothing of that changed the answers
    let (_, s) = protocol::get_screen(&browser, &server, I, "").await;
    let (_, end) =
        protocol::answer(&browser, &server, I, &s, &[("favorite_food", "rice")], &[]).await;
    assert_eq!(end["subquestionText"], "<p>You checked in 0 times.</p>\n");
    server.stop().await;
}

protocol_tests!(
    a_check_in_runs_the_screens_event_and_keeps_its_changes,
    overlapping_check_ins_all_count,
    a_check_in_racing_the_answer_does_not_make_it_stale,
    other_events_and_bad_check_ins_are_refused
);
