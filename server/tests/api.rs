//! docassemble's REST API (`/api/*`, spec §6 and checks 16–18 of §9) against a real server on
//! SQLite and PostgreSQL: keys in every place docassemble reads them, sessions driven by
//! variables, questions, back, actions, deletion, users, and bad input answered with
//! docassemble's messages and no change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::protocol::status_and_body;
use common::{Backend, TestServer, demo_packages};
use serde_json::{Value, json};
use server::accounts::Role;
use server::accounts::service::create_account;
use server::config::Config;
use server::store::api_keys::KeyMethod;

const HELLO: &str = "docassemble.colloquydemo:data/questions/hello.yml";
const PASSWORD: &str = "Correct horse 42";

fn fast(c: &mut Config) {
    c.argon2_memory_kib = 64;
    c.argon2_iterations = 1;
}

/// A server with an admin and a plain user, and an API key for each.
async fn start(b: Backend) -> (TestServer, String, String) {
    let s = TestServer::start_on(b, vec![demo_packages()], fast).await;
    let mut config = Config::default();
    fast(&mut config);
    let mut keys = Vec::new();
    for (email, role) in [
        ("admin@example.org", Role::Admin),
        ("u@example.org", Role::User),
    ] {
        let id = create_account(&s.store, &config, email, PASSWORD, role, true)
            .await
            .unwrap();
        let key = s
            .store
            .create_api_key(id, "test", &KeyMethod::None)
            .await
            .unwrap()
            .unwrap();
        keys.push(key.expose().to_string());
    }
    let user = keys.pop().unwrap();
    let admin = keys.pop().unwrap();
    (s, admin, user)
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn get(s: &TestServer, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
    status_and_body(client().get(s.url(path)).query(query).send().await.unwrap()).await
}

async fn post_json(s: &TestServer, path: &str, body: Value) -> (u16, Value) {
    status_and_body(client().post(s.url(path)).json(&body).send().await.unwrap()).await
}

async fn api_keys_are_read_where_docassemble_reads_them(b: Backend) {
    let (s, _, key) = start(b).await;
    let q = [("i", HELLO)];
    let (status, v) = get(&s, "/api/session/new", &q).await;
    assert_eq!((status, v), (403, json!("Access denied.")));
    let (status, v) = get(
        &s,
        "/api/session/new",
        &[("i", HELLO), ("key", "x".repeat(32).as_str())],
    )
    .await;
    assert_eq!((status, v), (403, json!("Access denied.")));
    let ok = |v: &Value| {
        v["session"].as_str().unwrap().len() == 32 && v["encrypted"] == true && v["i"].is_string()
    };
    let (status, v) = get(&s, "/api/session/new", &[("i", HELLO), ("key", &key)]).await;
    assert!(
        status == 200 && ok(&v) && v["secret"].is_string(),
        "{status} {v}"
    );
    for req in [
        client()
            .get(s.url("/api/session/new"))
            .header("X-API-Key", &key),
        client()
            .get(s.url("/api/session/new"))
            .header("Authorization", format!("Bearer {key}")),
        client()
            .get(s.url("/api/session/new"))
            .header("Cookie", format!("X-API-Key={key}")),
    ] {
        let (status, v) = status_and_body(req.query(&q).send().await.unwrap()).await;
        assert!(status == 200 && ok(&v), "{status} {v}");
    }
    // In a JSON body.
    let (status, v) = post_json(&s, "/api/user", json!({"key": key, "first_name": "A"})).await;
    assert_eq!(status, 400, "{v}");
    let (status, v) = get(&s, "/api/user", &[("key", &key)]).await;
    assert_eq!(status, 200);
    assert_eq!(v["email"], "u@example.org");
    assert_eq!(v["privileges"], json!(["user"]));
    // Missing i.
    let (status, v) = get(&s, "/api/session/new", &[("key", &key)]).await;
    assert_eq!((status, v), (400, json!("Parameter i is required.")));
    s.stop().await;
}

async fn a_session_driven_by_variables(b: Backend) {
    let (s, _, key) = start(b).await;
    let (_, v) = get(&s, "/api/session/new", &[("i", HELLO), ("key", &key)]).await;
    let session = v["session"].as_str().unwrap().to_string();
    let secret = v["secret"].as_str().unwrap().to_string();
    let ids = [
        ("key", key.as_str()),
        ("i", HELLO),
        ("session", session.as_str()),
        ("secret", secret.as_str()),
    ];
    let (status, q) = get(&s, "/api/session/question", &ids).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["questionText"], "What is your name?");
    assert!(q["questionName"].is_string());
    assert!(q.get("_datatypes").is_none() && q.get("_question_name").is_none());
    assert!(q["fields"][0].get("variable_name_encoded").is_none(), "{q}");
    assert_eq!(q["fields"][0]["variable_name"], "user_name");

    // Set variables without a question (204), then read them back.
    let body = json!({"key": key, "i": HELLO, "session": session, "secret": secret,
        "variables": {"user_name": "Ann", "d": "2019-06-13"}, "question": 0});
    let (status, _) = post_json(&s, "/api/session", body).await;
    assert_eq!(status, 204);
    let (status, vars) = get(&s, "/api/session", &ids).await;
    assert_eq!(status, 200);
    assert_eq!(vars["user_name"], "Ann");
    assert_eq!(vars["d"], "2019-06-13T00:00:00");
    // raw keeps the text; the answer to the next question comes back as the question.
    let body = json!({"key": key, "i": HELLO, "session": session, "secret": secret,
        "variables": {"d": "2019-06-13"}, "raw": true});
    let (status, q) = post_json(&s, "/api/session", body).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["questionText"], "Do you like turnips?");
    let (_, vars) = get(&s, "/api/session", &ids).await;
    assert_eq!(vars["d"], "2019-06-13");
    // Form bodies carry the variables as JSON text.
    let form = [
        ("key", key.as_str()),
        ("i", HELLO),
        ("session", session.as_str()),
        ("secret", secret.as_str()),
        ("variables", r#"{"likes_turnips": true}"#),
    ];
    let (status, q) = status_and_body(
        client()
            .post(s.url("/api/session"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(q["questionText"], "Hello, Ann!");
    let steps = q["steps"].as_i64().unwrap();
    // Back, and at the first step "Cannot go back."
    let back = |s: &TestServer| {
        let body = json!({"key": key, "i": HELLO, "session": session, "secret": secret});
        let url = s.url("/api/session/back");
        async move { status_and_body(client().post(url).json(&body).send().await.unwrap()).await }
    };
    let (status, q) = back(&s).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["steps"].as_i64().unwrap(), steps - 1);
    loop {
        let (status, v) = back(&s).await;
        if status == 400 {
            assert_eq!(v, json!("Cannot go back."));
            break;
        }
        assert_eq!(status, 200, "{v}");
    }
    // An action on a variable asks it again.
    let body = json!({"key": key, "i": HELLO, "session": session, "secret": secret,
        "action": "user_name"});
    let (status, v) = post_json(&s, "/api/session/action", body).await;
    assert_eq!(status, 204, "{v}");
    let (_, q) = get(&s, "/api/session/question", &ids).await;
    assert_eq!(q["questionText"], "What is your name?");
    // Without the secret, or with another, nothing can be read.
    let (status, _) = get(&s, "/api/session", &ids[..3]).await;
    assert_eq!(status, 403);
    let other = server::store::Secret::generate().unwrap().expose_encoded();
    let (status, v) = get(
        &s,
        "/api/session",
        &[ids[0], ids[1], ids[2], ("secret", &other)],
    )
    .await;
    assert_eq!(
        (status, v),
        (403, json!("Unable to decrypt interview dictionary."))
    );
    // Listed among the key user's sessions.
    let (status, list) = get(&s, "/api/user/interviews", &[("key", &key), ("i", HELLO)]).await;
    assert_eq!(status, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["session"], session.as_str());
    assert_eq!(items[0]["filename"], HELLO);
    assert_eq!(items[0]["encrypted"], true);
    // Delete.
    let r = client()
        .delete(s.url("/api/session"))
        .query(&ids)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (status, _) = get(&s, "/api/session", &ids).await;
    assert_eq!(status, 404);
    let (_, list) = get(&s, "/api/user/interviews", &[("key", &key)]).await;
    assert_eq!(list["items"], json!([]));
    s.stop().await;
}

async fn bad_input_gets_docassemble_messages_and_changes_nothing(b: Backend) {
    let (s, _, key) = start(b).await;
    let (_, v) = get(&s, "/api/session/new", &[("i", HELLO), ("key", &key)]).await;
    let session = v["session"].as_str().unwrap().to_string();
    let secret = v["secret"].as_str().unwrap().to_string();
    let base = json!({"key": key, "i": HELLO, "session": session, "secret": secret});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (status, v) = post_json(
        &s,
        "/api/session",
        with(json!({"variables": {"x = 1": 1, "user_name": "Z"}})),
    )
    .await;
    assert_eq!(
        (status, v),
        (
            400,
            json!("Problem setting variables:Illegal value as variable name.")
        )
    );
    for bad in [
        json!({"variables": [1, 2]}),
        json!({"variables": "not json"}),
    ] {
        let (status, v) = post_json(&s, "/api/session", with(bad.clone())).await;
        assert_eq!(status, 400, "{bad}: {v}");
        assert!(v.as_str().unwrap().starts_with("Malformed"), "{v}");
    }
    let (status, v) = post_json(&s, "/api/session", json!({"key": key, "i": HELLO})).await;
    assert_eq!(
        (status, v),
        (400, json!("Parameters i and session are required."))
    );
    let (status, v) = post_json(&s, "/api/session", with(json!({"session": "short"}))).await;
    assert_eq!(status, 400, "{v}");
    let (status, v) = post_json(&s, "/api/session", with(json!({"secret": "nope"}))).await;
    assert_eq!(status, 400, "{v}");
    let (status, v) = post_json(
        &s,
        "/api/session/action",
        with(json!({"action": "no_such_thing"})),
    )
    .await;
    assert_eq!(status, 400, "{v}");
    let r = client()
        .post(s.url("/api/session"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let (status, _) = post_json(
        &s,
        "/api/session",
        with(json!({"i": "docassemble.nope:x.yml"})),
    )
    .await;
    assert!(status == 404 || status == 400, "{status}");
    // Nothing was set.
    let ids = [
        ("key", key.as_str()),
        ("i", HELLO),
        ("session", &session),
        ("secret", &secret),
    ];
    let (status, vars) = get(&s, "/api/session", &ids).await;
    assert_eq!(status, 200);
    assert!(vars.get("user_name").is_none(), "{vars}");
    s.stop().await;
}

async fn users_and_keys(b: Backend) {
    let (s, admin, user) = start(b).await;
    // Only admins make users.
    let new =
        json!({"username": "new@example.org", "password": PASSWORD, "privileges": ["developer"]});
    let mut body = new.clone();
    body["key"] = json!(user);
    let (status, v) = post_json(&s, "/api/user/new", body).await;
    assert_eq!((status, v), (403, json!("Access denied.")));
    let mut body = new.clone();
    body["key"] = json!(admin);
    let (status, v) = post_json(&s, "/api/user/new", body.clone()).await;
    assert_eq!(status, 200, "{v}");
    assert!(v["user_id"].is_i64());
    let (status, v) = post_json(&s, "/api/user/new", body).await;
    assert_eq!(status, 400, "{v}");
    let (status, v) = post_json(
        &s,
        "/api/user/new",
        json!({"key": admin, "username": "w@example.org", "password": "weak"}),
    )
    .await;
    assert_eq!(status, 400, "{v}");

    // Keys: make one, list (never the key itself), use it, delete it.
    let (status, k) = post_json(&s, "/api/user/api", json!({"key": user, "name": "second"})).await;
    assert_eq!(status, 200, "{k}");
    let second = k.as_str().unwrap().to_string();
    assert_eq!(second.len(), 32);
    let (status, list) = get(&s, "/api/user/api", &[("key", &second)]).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["second", "test"]);
    assert!(!list.to_string().contains(&second));
    assert_eq!(list[0]["last_four"], second[28..]);
    let (status, _) = post_json(&s, "/api/user/api", json!({"key": user, "name": "second"})).await;
    assert_eq!(status, 400);
    let (status, v) = post_json(
        &s,
        "/api/user/api",
        json!({"key": user, "name": "x", "method": "ip", "allowed": ["nonsense"]}),
    )
    .await;
    assert_eq!(status, 400, "{v}");
    // An ip-limited key from elsewhere is refused.
    let (_, limited) = post_json(
        &s,
        "/api/user/api",
        json!({"key": user, "name": "lan", "method": "ip", "allowed": ["10.0.0.0/8"]}),
    )
    .await;
    let (status, _) = get(&s, "/api/user", &[("key", limited.as_str().unwrap())]).await;
    assert_eq!(status, 403);
    let r = client()
        .delete(s.url("/api/user/api"))
        .query(&[("key", user.as_str()), ("name", "second")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (status, _) = get(&s, "/api/user", &[("key", &second)]).await;
    assert_eq!(status, 403);
    // The interview list.
    let (status, list) = get(&s, "/api/list", &[("key", &user)]).await;
    assert_eq!(status, 200);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|i| i["filename"] == HELLO),
        "{list}"
    );
    s.stop().await;
}

/// Every route with hostile or malformed parameters: a 4xx, never a 5xx or a hang.
async fn no_route_answers_5xx_to_bad_input(b: Backend) {
    let (s, _, key) = start(b).await;
    let (_, v) = get(&s, "/api/session/new", &[("i", HELLO), ("key", &key)]).await;
    let session = v["session"].as_str().unwrap().to_string();
    let secret = v["secret"].as_str().unwrap().to_string();
    let routes = [
        ("GET", "/api/session/new"),
        ("GET", "/api/session"),
        ("POST", "/api/session"),
        // (DELETE /api/session with the right secret deletes: tested above.)
        ("GET", "/api/session/question"),
        ("POST", "/api/session/back"),
        ("POST", "/api/session/action"),
        ("GET", "/api/user"),
        ("POST", "/api/user/new"),
        ("GET", "/api/user/api"),
        ("POST", "/api/user/api"),
        ("DELETE", "/api/user/api"),
        ("GET", "/api/user/interviews"),
        ("GET", "/api/list"),
    ];
    let long = "x".repeat(10_000);
    let bad_params: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("i", "")],
        vec![("i", "../../etc/passwd")],
        vec![("i", "docassemble.x:data/questions/../../../../x.yml")],
        vec![("i", HELLO), ("session", "'; DROP TABLE sessions; --")],
        vec![("i", HELLO), ("session", &session), ("secret", "%%%")],
        vec![("i", HELLO), ("session", &session), ("secret", &long)],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("secret", &secret),
            ("variables", "{"),
        ],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("variables", r#"{"__class__": 1}"#),
        ],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("variables", r#"{"a.b.c.d": {"_class": "x"}}"#),
        ],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("delete_variables", "[1]"),
        ],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("secret", &secret),
            ("action", &long),
        ],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("secret", &secret),
            ("arguments", "[]"),
        ],
        vec![("name", &long), ("method", "ip"), ("allowed", "not json")],
        vec![("username", "a@b"), ("password", ""), ("privileges", "{}")],
        vec![("i", &long)],
    ];
    for (method, path) in routes {
        for params in &bad_params {
            let mut q: Vec<(&str, &str)> = vec![("key", key.as_str())];
            q.extend(params.iter().copied());
            let req = match method {
                "GET" => client().get(s.url(path)).query(&q),
                "DELETE" => client().delete(s.url(path)).query(&q),
                _ => client().post(s.url(path)).form(&q),
            };
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            assert!(
                status < 500,
                "{method} {path} {params:?}: {status} {}",
                r.text().await.unwrap()
            );
        }
    }
    // The session is untouched by all of it.
    let (status, vars) = get(
        &s,
        "/api/session",
        &[
            ("key", &key),
            ("i", HELLO),
            ("session", &session),
            ("secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        vars.get("a").is_none() && vars.get("user_name").is_none(),
        "{vars}"
    );
    s.stop().await;
}

/// `/api/secret`: a user's secret opens the user's sessions through the API, and sessions
/// made with it are the user's own (readable when the user signs in with a browser).
async fn a_users_secret_opens_the_users_sessions(b: Backend) {
    let (s, _, key) = start(b).await;
    for (user, pw) in [
        ("u@example.org", "Wrong password 9"),
        ("nobody@example.org", PASSWORD),
    ] {
        let (status, v) = get(
            &s,
            "/api/secret",
            &[("key", &key), ("username", user), ("password", pw)],
        )
        .await;
        assert_eq!(
            (status, v),
            (403, json!("Incorrect username or password.")),
            "{user}"
        );
    }
    let (status, v) = get(
        &s,
        "/api/secret",
        &[("key", &key), ("username", "u@example.org")],
    )
    .await;
    assert_eq!(status, 400, "{v}");
    let (status, v) = get(
        &s,
        "/api/secret",
        &[
            ("key", &key),
            ("username", "u@example.org"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let user_secret = v.as_str().unwrap().to_string();
    let (status, v) = get(
        &s,
        "/api/session/new",
        &[("key", &key), ("i", HELLO), ("secret", &user_secret)],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert!(
        v.get("secret").is_none(),
        "the caller's own secret is not echoed: {v}"
    );
    let session = v["session"].as_str().unwrap().to_string();
    let ids = [
        ("key", key.as_str()),
        ("i", HELLO),
        ("session", &session),
        ("secret", &user_secret),
    ];
    let body = json!({"key": key, "i": HELLO, "session": session, "secret": user_secret,
        "variables": {"user_name": "Una"}});
    let (status, q) = post_json(&s, "/api/session", body).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["questionText"], "Do you like turnips?");
    let (status, _) = get(&s, "/api/session", &ids[..3]).await;
    assert_eq!(status, 403, "no secret, no answers");

    // The same user signs in with a browser: the session is among theirs, and readable.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let v: Value = browser
        .get(s.url("/user/sign-in?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = v["csrf_token"].as_str().unwrap().to_string();
    let r = browser
        .post(s.url("/user/sign-in"))
        .form(&[
            ("email", "u@example.org"),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
            ("json", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let list: Value = browser
        .get(s.url("/interviews?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        list["interviews"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["session"] == session.as_str()),
        "{list}"
    );
    let screen: Value = browser
        .get(s.url(&format!("/interview?i={HELLO}&session={session}&json=1")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(screen["questionText"], "Do you like turnips?", "{screen}");
    s.stop().await;
}

protocol_tests!(
    a_users_secret_opens_the_users_sessions,
    no_route_answers_5xx_to_bad_input,
    api_keys_are_read_where_docassemble_reads_them,
    a_session_driven_by_variables,
    bad_input_gets_docassemble_messages_and_changes_nothing,
    users_and_keys,
);
