//! docassemble's REST API (`/api/*`, spec §6 and checks 16–18 of §9) against a real server on
//! SQLite and PostgreSQL: keys in every place docassemble reads them, sessions driven by
//! variables, questions, back, actions, deletion, users, and bad input answered with
//! docassemble's messages and no change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

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
    start_with(b, |_| {}).await
}

/// [`start`] with more configuration.
async fn start_with(b: Backend, edit: impl FnOnce(&mut Config)) -> (TestServer, String, String) {
    start_roots(b, vec![demo_packages()], edit).await
}

/// [`start_with`] on these package roots.
async fn start_roots(
    b: Backend,
    roots: Vec<std::path::PathBuf>,
    edit: impl FnOnce(&mut Config),
) -> (TestServer, String, String) {
    let s = TestServer::start_on(b, roots, |c| {
        fast(c);
        edit(c);
    })
    .await;
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
    let (s, admin, key) = start(b).await;
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
        // Administrators' routes: refused to this key whatever the parameters.
        ("GET", "/api/interviews"),
        ("DELETE", "/api/interviews"),
        ("GET", "/api/users/interviews"),
        ("DELETE", "/api/users/interviews"),
        ("GET", "/api/user/1/interviews"),
        ("GET", "/api/user/x/interviews"),
        ("POST", "/api/login_url"),
        ("GET", "/api/file/1"),
        ("GET", "/api/file/999999999999999999999"),
        ("GET", "/api/file/..%2f..%2fetc%2fpasswd"),
        ("POST", "/api/resume_url"),
        ("POST", "/api/stash_data"),
        ("GET", "/api/retrieve_stashed_data"),
    ];
    // The administrator's key on the routes that only read or make links.
    let admin_routes = [
        ("GET", "/api/interviews"),
        ("GET", "/api/users/interviews"),
        ("GET", "/api/user/2/interviews"),
        ("POST", "/api/login_url"),
        ("POST", "/api/resume_url"),
        ("POST", "/api/stash_data"),
        ("GET", "/api/retrieve_stashed_data"),
        ("GET", "/api/file/1"),
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
        vec![
            ("next_id", "%%%"),
            ("tag", &long),
            ("include_dictionary", "1"),
        ],
        vec![("next_id", "MTIzLmFiYw"), ("user_id", "-1")],
        vec![("query", "__import__('os').system('id')")],
        vec![("query", "DA.Sessions.first_name == 'x'")],
        vec![("query", &long)],
        vec![("query", "DA.Sessions.email.Like(1)"), ("user_id", "abc")],
        vec![
            ("username", "u@example.org"),
            ("password", "wrong"),
            ("expire", "-5"),
        ],
        vec![
            ("username", "u@example.org"),
            ("url_args", "["),
            ("next", &long),
        ],
        vec![
            ("i", HELLO),
            ("session", &session),
            ("secret", "x"),
            ("expire", "abc"),
        ],
        vec![
            ("i", HELLO),
            ("session", "abcdefghijABCDEFGHIJ0123456789xy"),
        ],
        vec![("i", HELLO), ("secret", &secret)],
        vec![("data", "{"), ("expire", "0")],
        vec![("stash_key", &long), ("secret", &long), ("refresh", "-1")],
        vec![("stash_key", "x"), ("secret", "y"), ("delete", "1")],
        vec![
            ("extension", "../../x"),
            ("session", &session),
            ("secret", &secret),
        ],
        vec![("filename", "../../etc/passwd"), ("secret", &secret)],
    ];
    let passes = routes
        .iter()
        .map(|r| (r, key.as_str()))
        .chain(admin_routes.iter().map(|r| (r, admin.as_str())));
    for ((method, path), who) in passes {
        let (method, path) = (*method, *path);
        for params in &bad_params {
            let mut q: Vec<(&str, &str)> = vec![("key", who)];
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
    // Routes not offered are a JSON 404, not the app's page.
    for path in [
        "/api/user_invite",
        "/api/playground",
        "/api/config",
        "/api/nope/deeper",
    ] {
        assert_eq!(
            get(&s, path, &[("key", &key)]).await,
            (404, json!("Not found.")),
            "{path}"
        );
    }
    // The links the API hands out, with hostile codes.
    let browser = no_redirects();
    for path in [
        "/launch".to_string(),
        "/launch?c=".to_string(),
        format!("/launch?c={long}"),
        "/launch?c=%00%00".to_string(),
        "/launch?c=abcdefghijABCDEFGHIJ0123456789xy".to_string(),
        "/user/autologin".to_string(),
        format!("/user/autologin?key={long}"),
        "/user/autologin?key=abcdefghijABCDEFGHIJ0123456789xyabcdefgh".to_string(),
        "/user/autologin?key=%27%3B--".to_string(),
    ] {
        let r = browser.get(s.url(&path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403, "{path}");
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

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn new_api_session(s: &TestServer, key: &str) -> (String, String) {
    let (status, v) = get(s, "/api/session/new", &[("i", HELLO), ("key", key)]).await;
    assert_eq!(status, 200, "{v}");
    (
        v["session"].as_str().unwrap().to_string(),
        v["secret"].as_str().unwrap().to_string(),
    )
}

async fn set_name(s: &TestServer, key: &str, session: &str, secret: &str, name: &str) {
    let body = json!({"key": key, "i": HELLO, "session": session, "secret": secret,
        "variables": {"user_name": name}, "question": 0});
    let (status, v) = post_json(s, "/api/session", body).await;
    assert_eq!(status, 204, "{v}");
}

/// The path and query of an absolute link.
fn path_of(url: &str) -> String {
    let (_, rest) = url.split_once("://").unwrap();
    rest[rest.find('/').unwrap()..].to_string()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// `/api/stash_data` and `/api/retrieve_stashed_data`: sealed with the returned secret,
/// `refresh`, `delete`, expiry; a wrong secret neither reads nor deletes.
async fn stashed_data(b: Backend) {
    let (s, _, key) = start(b).await;
    let sent = json!({"a": [1, 2, {"b": "c"}], "d": "2019-06-13"});
    // Dates become date-times, as docassemble's transform_json_variables makes them.
    let data = json!({"a": [1, 2, {"b": "c"}], "d": "2019-06-13T00:00:00"});
    let (status, raw) = post_json(
        &s,
        "/api/stash_data",
        json!({"key": key, "data": sent, "raw": true}),
    )
    .await;
    assert_eq!(status, 200, "{raw}");
    let q = [
        ("key", key.as_str()),
        ("stash_key", raw["stash_key"].as_str().unwrap()),
        ("secret", raw["secret"].as_str().unwrap()),
    ];
    assert_eq!(
        get(&s, "/api/retrieve_stashed_data", &q).await,
        (200, sent.clone())
    );
    let (status, v) = post_json(&s, "/api/stash_data", json!({"key": key, "data": sent})).await;
    assert_eq!(status, 200, "{v}");
    let stash_key = v["stash_key"].as_str().unwrap().to_string();
    let secret = v["secret"].as_str().unwrap().to_string();
    assert_eq!(stash_key.len(), 32);
    let read = |extra: Vec<(&'static str, String)>| {
        let mut q = vec![
            ("key", key.clone()),
            ("stash_key", stash_key.clone()),
            ("secret", secret.clone()),
        ];
        for (k, v) in extra {
            q.retain(|(n, _)| *n != k);
            q.push((k, v));
        }
        let s = &s;
        async move {
            let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
            get(s, "/api/retrieve_stashed_data", &q).await
        }
    };
    let (status, wrong) = read(vec![
        ("secret", "WrongSecretWrong".into()),
        ("delete", "1".into()),
    ])
    .await;
    assert_eq!(status, 400, "{wrong}");
    assert!(
        wrong
            .as_str()
            .unwrap()
            .starts_with("The stashed data could not be retrieved")
    );
    assert_eq!(read(vec![]).await, (200, data.clone()));
    assert_eq!(
        read(vec![("refresh", "3600".into())]).await,
        (200, data.clone())
    );
    assert_eq!(
        read(vec![("delete", "1".into())]).await,
        (200, data.clone())
    );
    assert_eq!(read(vec![]).await.0, 400, "deleted");
    // Nothing has expired yet.
    assert_eq!(s.store.purge_expired_codes().await.unwrap(), 0);
    // A form body carries the data as JSON text; it expires.
    let r = client()
        .post(s.url("/api/stash_data"))
        .form(&[
            ("key", key.as_str()),
            ("data", "[1, \"x\"]"),
            ("expire", "1"),
        ])
        .send()
        .await
        .unwrap();
    let (status, v) = status_and_body(r).await;
    assert_eq!(status, 200, "{v}");
    let q = [
        ("key", key.as_str()),
        ("stash_key", v["stash_key"].as_str().unwrap()),
        ("secret", v["secret"].as_str().unwrap()),
    ];
    assert_eq!(
        get(&s, "/api/retrieve_stashed_data", &q).await,
        (200, json!([1, "x"]))
    );
    // One more, never read: purged once expired.
    let (status, _) = post_json(
        &s,
        "/api/stash_data",
        json!({"key": key, "data": 1, "expire": 1}),
    )
    .await;
    assert_eq!(status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        s.store.purge_expired_codes().await.unwrap(),
        2,
        "both expired stashes"
    );
    assert_eq!(
        get(&s, "/api/retrieve_stashed_data", &q).await.0,
        400,
        "expired"
    );
    let (status, v) = post_json(&s, "/api/stash_data", json!({"key": key})).await;
    assert_eq!((status, v), (400, json!("Data must be provided.")));
    s.stop().await;
}

/// `/api/login_url` (administrators) → `/user/autologin?key=`: one use, signs the browser in
/// with a fresh secret and goes to the interview; expired and reused links are refused.
async fn login_links(b: Backend) {
    let (s, admin, user) = start_with(b, |c| {
        c.public_url = Some("https://forms.example.org".into())
    })
    .await;
    let ask = json!({"key": admin, "username": "u@example.org", "password": PASSWORD,
        "i": HELLO, "url_args": {"from": "mail"}, "expire": 60});
    let mut as_user = ask.clone();
    as_user["key"] = json!(user);
    assert_eq!(
        post_json(&s, "/api/login_url", as_user).await,
        (403, json!("Access denied."))
    );
    let mut wrong = ask.clone();
    wrong["password"] = json!("Not the password 1");
    assert_eq!(
        post_json(&s, "/api/login_url", wrong).await,
        (403, json!("Incorrect username or password."))
    );
    let (status, url) = post_json(&s, "/api/login_url", ask.clone()).await;
    assert_eq!(status, 200, "{url}");
    let url = url.as_str().unwrap().to_string();
    assert!(
        url.starts_with("https://forms.example.org/user/autologin?key="),
        "public_url: {url}"
    );
    let path = path_of(&url);
    assert!(path.starts_with("/user/autologin?key="), "{url}");
    assert_eq!(path.len(), "/user/autologin?key=".len() + 40);
    let browser = no_redirects();
    // The browser had an anonymous secret before.
    browser
        .get(s.url("/user/sign-in?json=1"))
        .send()
        .await
        .unwrap();
    let r = browser.get(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let to = location(&r);
    assert!(to.starts_with("/interview?"), "{to}");
    assert!(
        to.contains("from=mail") && to.contains("i=docassemble.colloquydemo"),
        "{to}"
    );
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("colloquy_login=") && c.contains("HttpOnly")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("secret=")),
        "{cookies:?}"
    );
    let me: Value = browser
        .get(s.url("/user/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["signed_in"], true, "{me}");
    assert_eq!(me["email"], "u@example.org");
    // Once only, from any browser.
    let r = no_redirects().get(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // resume_existing: the user's newest session of the interview.
    let (_, user_secret) = get(
        &s,
        "/api/secret",
        &[
            ("key", &user),
            ("username", "u@example.org"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let (_, made) = get(
        &s,
        "/api/session/new",
        &[
            ("key", &user),
            ("i", HELLO),
            ("secret", user_secret.as_str().unwrap()),
        ],
    )
    .await;
    let theirs = made["session"].as_str().unwrap();
    let mut resume = ask.clone();
    resume["resume_existing"] = json!(true);
    let (_, url) = post_json(&s, "/api/login_url", resume).await;
    let r = no_redirects()
        .get(s.url(&path_of(url.as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    assert!(
        location(&r).contains(&format!("session={theirs}")),
        "{}",
        location(&r)
    );
    // An expired link.
    let mut short = ask.clone();
    short["expire"] = json!(1);
    let (_, url) = post_json(&s, "/api/login_url", short).await;
    let path = path_of(url.as_str().unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = no_redirects().get(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // A tampered key (the sealing half changed) opens nothing and leaves the link usable.
    let (_, url) = post_json(&s, "/api/login_url", ask).await;
    let path = path_of(url.as_str().unwrap());
    let (head, tail) = path.split_at(path.len() - 40);
    let tampered = format!("{head}{}{}", "A".repeat(16), &tail[16..]);
    let r = no_redirects().get(s.url(&tampered)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = no_redirects().get(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 302);
    s.stop().await;
}

/// `/api/resume_url` → `/launch?c=`: a link with the session's secret hands the session to the
/// browser that opens it (once); one without a session starts a new one, as often as allowed.
async fn resume_links(b: Backend) {
    let (s, _, key) = start(b).await;
    let (session, secret) = new_api_session(&s, &key).await;
    set_name(&s, &key, &session, &secret, "Ann").await;
    let (status, url) = post_json(
        &s,
        "/api/resume_url",
        json!({"key": key, "i": HELLO, "session": session, "secret": secret,
            "url_args": {"ref": "x1"}}),
    )
    .await;
    assert_eq!(status, 200, "{url}");
    let path = path_of(url.as_str().unwrap());
    assert!(path.starts_with("/launch?c="), "{path}");
    let browser = no_redirects();
    let r = browser.get(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let to = location(&r);
    assert!(
        to.contains(&format!("session={session}")) && to.contains("ref=x1"),
        "{to}"
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
    // The link worked once, and the API's secret no longer opens the session.
    assert_eq!(
        no_redirects()
            .get(s.url(&path))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    let ids = [
        ("key", key.as_str()),
        ("i", HELLO),
        ("session", &session),
        ("secret", &secret),
    ];
    assert_eq!(get(&s, "/api/session", &ids).await.0, 403);
    // A wrong secret makes no link.
    let (other, _) = new_api_session(&s, &key).await;
    let (status, v) = post_json(
        &s,
        "/api/resume_url",
        json!({"key": key, "i": HELLO, "session": other, "secret": secret}),
    )
    .await;
    assert_eq!(
        (status, v),
        (403, json!("Unable to decrypt interview dictionary."))
    );
    // Without a session: a new session each time, until it expires.
    let (status, url) = post_json(
        &s,
        "/api/resume_url",
        json!({"key": key, "i": HELLO, "expire": 1}),
    )
    .await;
    assert_eq!(status, 200);
    let path = path_of(url.as_str().unwrap());
    for _ in 0..2 {
        let r = no_redirects().get(s.url(&path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 302);
        assert!(location(&r).contains("new_session=1"), "{}", location(&r));
    }
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        no_redirects()
            .get(s.url(&path))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    // one_time without a secret.
    let (_, url) = post_json(
        &s,
        "/api/resume_url",
        json!({"key": key, "i": HELLO, "one_time": 1}),
    )
    .await;
    let path = path_of(url.as_str().unwrap());
    assert_eq!(
        no_redirects()
            .get(s.url(&path))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        302
    );
    assert_eq!(
        no_redirects()
            .get(s.url(&path))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    let (status, v) = post_json(&s, "/api/resume_url", json!({"key": key})).await;
    assert_eq!((status, v), (400, json!("No filename supplied.")));
    s.stop().await;
}

/// `/api/interviews` and the per-user listings: filters, paging, dictionaries only where the
/// secret opens them, `query`, deletion; plain users see only their own.
async fn session_listings(b: Backend) {
    let (s, admin, user) = start(b).await;
    let (_, me) = get(&s, "/api/user", &[("key", &user)]).await;
    let user_id = me["id"].as_i64().unwrap();
    let (_, admin_me) = get(&s, "/api/user", &[("key", &admin)]).await;
    let admin_id = admin_me["id"].as_i64().unwrap();
    let (mine, my_secret) = new_api_session(&s, &user).await;
    set_name(&s, &user, &mine, &my_secret, "Una").await;
    let (theirs, _) = new_api_session(&s, &admin).await;
    // Plain users may not list everyone's sessions.
    assert_eq!(
        get(&s, "/api/interviews", &[("key", &user)]).await,
        (403, json!("Access denied."))
    );
    assert_eq!(
        get(&s, "/api/users/interviews", &[("key", &user)]).await.0,
        403
    );
    let other = format!("/api/user/{admin_id}/interviews");
    assert_eq!(get(&s, &other, &[("key", &user)]).await.0, 403);
    let sessions_of = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["session"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, all) = get(&s, "/api/interviews", &[("key", &admin)]).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        sessions_of(&all),
        vec![theirs.clone(), mine.clone()],
        "newest first"
    );
    assert_eq!(all["next_id"], Value::Null);
    let item = &all["items"][1];
    assert_eq!(item["filename"], HELLO);
    assert_eq!(item["user_id"], user_id);
    assert_eq!(item["email"], "u@example.org");
    assert_eq!(item["encrypted"], true);
    assert_eq!(item["valid"], true);
    assert!(
        item["title"].is_string() && item.get("dict").is_none(),
        "{item}"
    );
    // Filters.
    let (_, one) = get(
        &s,
        "/api/interviews",
        &[("key", &admin), ("session", &mine)],
    )
    .await;
    assert_eq!(sessions_of(&one), vec![mine.clone()]);
    let (_, none) = get(
        &s,
        "/api/interviews",
        &[("key", &admin), ("tag", "no such tag")],
    )
    .await;
    assert!(sessions_of(&none).is_empty());
    let q = format!("DA.Sessions.user_id == {user_id}");
    let (status, by_query) = get(&s, "/api/interviews", &[("key", &admin), ("query", &q)]).await;
    assert_eq!(status, 200, "{by_query}");
    assert_eq!(sessions_of(&by_query), vec![mine.clone()]);
    let (_, by_like) = get(
        &s,
        "/api/interviews",
        &[
            ("key", &admin),
            (
                "query",
                "DA.Sessions.email.Like('%@example.org') & DA.Sessions.encrypted",
            ),
        ],
    )
    .await;
    assert_eq!(sessions_of(&by_like).len(), 2, "{by_like}");
    let (status, v) = get(
        &s,
        "/api/interviews",
        &[("key", &admin), ("query", "DA.Sessions.last_name == 'x'")],
    )
    .await;
    assert_eq!(status, 400, "{v}");
    for (path, key) in [
        ("/api/user/interviews".to_string(), user.as_str()),
        (format!("/api/user/{user_id}/interviews"), user.as_str()),
        (format!("/api/user/{user_id}/interviews"), admin.as_str()),
    ] {
        let (status, v) = get(&s, &path, &[("key", key)]).await;
        assert_eq!(status, 200, "{path}: {v}");
        assert_eq!(sessions_of(&v), vec![mine.clone()], "{path}");
    }
    let uid = user_id.to_string();
    let (_, v) = get(
        &s,
        "/api/users/interviews",
        &[("key", &admin), ("user_id", &uid)],
    )
    .await;
    assert_eq!(sessions_of(&v), vec![mine.clone()]);
    // Dictionaries only where the secret decrypts them.
    let (_, with_dict) = get(
        &s,
        "/api/interviews",
        &[
            ("key", &admin),
            ("include_dictionary", "1"),
            ("secret", &my_secret),
        ],
    )
    .await;
    let items = with_dict["items"].as_array().unwrap();
    let of = |id: &str| items.iter().find(|i| i["session"] == id).unwrap();
    assert_eq!(of(&mine)["dict"]["user_name"], "Una", "{with_dict}");
    assert!(of(&theirs).get("dict").is_none(), "{with_dict}");
    // Pages of 100, following next_id.
    for _ in 0..100 {
        new_api_session(&s, &admin).await;
    }
    let (_, page1) = get(&s, "/api/interviews", &[("key", &admin)]).await;
    assert_eq!(page1["items"].as_array().unwrap().len(), 100);
    let next = page1["next_id"].as_str().unwrap().to_string();
    let (_, page2) = get(
        &s,
        "/api/interviews",
        &[("key", &admin), ("next_id", &next)],
    )
    .await;
    let mut seen = sessions_of(&page1);
    seen.extend(sessions_of(&page2));
    assert_eq!(seen.len(), 102);
    assert_eq!(page2["next_id"], Value::Null);
    assert_eq!(seen.last(), Some(&mine));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 102, "no session twice");
    // Deleting: plain users their own only; administrators any (every page).
    let r = client()
        .delete(s.url("/api/interviews"))
        .query(&[("key", &user)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let q = format!("DA.Sessions.user_id == {admin_id}");
    let r = client()
        .delete(s.url("/api/interviews"))
        .query(&[("key", admin.as_str()), ("query", q.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (_, left) = get(&s, "/api/interviews", &[("key", &admin)]).await;
    assert_eq!(sessions_of(&left), vec![mine.clone()]);
    let ids = [
        ("key", user.as_str()),
        ("i", HELLO),
        ("session", &mine),
        ("secret", &my_secret),
    ];
    assert_eq!(
        get(&s, "/api/session", &ids).await.0,
        200,
        "the user's session is kept"
    );
    let r = client()
        .delete(s.url("/api/user/interviews"))
        .query(&[("key", &user)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(get(&s, "/api/session", &ids).await.0, 404);
    s.stop().await;
}

/// `/api/file/<n>`: a session's uploaded file for whoever holds its secret; docassemble's
/// `404 File not found` otherwise.
async fn uploaded_files(b: Backend) {
    let (s, _, key) = start(b).await;
    let (session, secret) = new_api_session(&s, &key).await;
    let id: server::store::SessionId = session.parse().unwrap();
    let sec: server::store::Secret = secret.parse().unwrap();
    let n = s
        .store
        .save_file(
            &id,
            server::store::Credentials::secret(&sec),
            "notes.txt",
            "text/plain",
            b"hello",
        )
        .await
        .unwrap();
    let path = format!("/api/file/{n}");
    let fetch = |q: Vec<(&'static str, String)>| {
        let s = &s;
        let path = path.clone();
        async move { client().get(s.url(&path)).query(&q).send().await.unwrap() }
    };
    let base = vec![
        ("key", key.clone()),
        ("session", session.clone()),
        ("secret", secret.clone()),
    ];
    let r = fetch(base.clone()).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store")
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(r.text().await.unwrap(), "hello");
    // Found among the secret's sessions without naming the session.
    let r = fetch(vec![("key", key.clone()), ("secret", secret.clone())]).await;
    assert_eq!(r.status().as_u16(), 200);
    let mut with_ext = base.clone();
    with_ext.push(("extension", "txt".into()));
    assert_eq!(fetch(with_ext).await.status().as_u16(), 200);
    let mut named = base.clone();
    named.push(("filename", "notes.txt".into()));
    assert_eq!(fetch(named).await.status().as_u16(), 200);
    let (_, other_secret) = new_api_session(&s, &key).await;
    for q in [
        vec![("key", key.clone()), ("session", session.clone())],
        vec![
            ("key", key.clone()),
            ("session", session.clone()),
            ("secret", other_secret),
        ],
        vec![("key", key.clone())],
        {
            let mut q = base.clone();
            q.push(("extension", "pdf".into()));
            q
        },
        {
            let mut q = base.clone();
            q.push(("filename", "other.txt".into()));
            q
        },
    ] {
        let r = fetch(q.clone()).await;
        assert_eq!(r.status().as_u16(), 404, "{q:?}");
        assert_eq!(r.text().await.unwrap(), "File not found");
    }
    let r = client()
        .get(s.url(&format!("/api/file/{}", n + 1)))
        .query(&base)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    s.stop().await;
}

/// CORS on `/api/*`: only `cross_site_domains` origins, preflight answered, never with
/// credentials; the `X-API-Key` cookie does not count cross-site.
async fn api_cors(b: Backend) {
    let origin = "https://forms.example.org";
    let (s, _, key) = start_with(b, |c| c.cross_site_domains = vec![origin.to_string()]).await;
    let preflight = |from: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, s.url("/api/session/new"))
            .header("Origin", from)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "x-api-key")
            .send()
    };
    let r = preflight(origin).await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], origin);
    assert!(
        h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("x-api-key")
    );
    assert!(h.get("access-control-allow-credentials").is_none(), "{h:?}");
    let r = preflight("https://evil.example").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // A real request from the allowed origin with the key in the header.
    let r = client()
        .get(s.url("/api/session/new"))
        .query(&[("i", HELLO)])
        .header("Origin", origin)
        .header("X-API-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], origin);
    assert!(
        r.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    // The cookie a browser adds by itself does not count when the request is cross-site.
    let r = client()
        .get(s.url("/api/user"))
        .header("Origin", origin)
        .header("Sec-Fetch-Site", "cross-site")
        .header("Cookie", format!("X-API-Key={key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // The site's own routes keep their credentialed CORS.
    let r = client()
        .request(reqwest::Method::OPTIONS, s.url("/interview"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-credentials"], "true");
    s.stop().await;
}

/// The `tag` filter reads the interview's `metadata: tags`.
async fn listings_by_tag(b: Backend) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("docassemble/tagged/data/questions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("t.yml"),
        "metadata:\n  title: Tagged\n  tags:\n    - housing\n    - appeals\n---\n\
         mandatory: True\nquestion: Done?\n",
    )
    .unwrap();
    let (s, admin, key) =
        start_roots(b, vec![demo_packages(), root.path().to_path_buf()], |_| {}).await;
    let tagged = "docassemble.tagged:data/questions/t.yml";
    let (status, v) = get(&s, "/api/session/new", &[("i", tagged), ("key", &key)]).await;
    assert_eq!(status, 200, "{v}");
    let session = v["session"].as_str().unwrap().to_string();
    new_api_session(&s, &key).await;
    let (_, v) = get(
        &s,
        "/api/interviews",
        &[("key", &admin), ("tag", "housing")],
    )
    .await;
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["session"], session.as_str());
    assert_eq!(items[0]["title"], "Tagged");
    assert_eq!(items[0]["tags"], json!(["appeals", "housing"]));
    let (_, v) = get(
        &s,
        "/api/user/interviews",
        &[("key", &key), ("tag", "appeals")],
    )
    .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    let (_, v) = get(&s, "/api/user/interviews", &[("key", &key)]).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 2, "{v}");
    s.stop().await;
}

/// Links and stashes live in the database, not in the process: they work after a restart
/// (and so on any replica sharing the database and `server.key`).
async fn codes_survive_a_restart(b: Backend) {
    let (s, admin, key) = start(b).await;
    let (status, stash) =
        post_json(&s, "/api/stash_data", json!({"key": key, "data": {"x": 1}})).await;
    assert_eq!(status, 200, "{stash}");
    let (_, resume) = post_json(&s, "/api/resume_url", json!({"key": key, "i": HELLO})).await;
    let (_, login) = post_json(
        &s,
        "/api/login_url",
        json!({"key": admin, "username": "u@example.org", "password": PASSWORD, "expire": 60}),
    )
    .await;
    let (backend, dist, data) = s.stop_keeping().await;
    let s = TestServer::start_in(backend, dist, data, vec![demo_packages()], fast).await;
    let q = [
        ("key", key.as_str()),
        ("stash_key", stash["stash_key"].as_str().unwrap()),
        ("secret", stash["secret"].as_str().unwrap()),
    ];
    assert_eq!(
        get(&s, "/api/retrieve_stashed_data", &q).await,
        (200, json!({"x": 1}))
    );
    for url in [resume, login] {
        let path = path_of(url.as_str().unwrap());
        let r = no_redirects().get(s.url(&path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 302, "{path}");
    }
    s.stop().await;
}

/// Privileges (docassemble's names, one role per user here) and looking users up.
async fn privileges_and_user_lookups(b: Backend) {
    let (s, admin, user) = start(b).await;
    let (status, v) = get(&s, "/api/privileges", &[("key", &admin)]).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v, json!(["admin", "advocate", "developer", "user"]));
    let (status, v) = get(&s, "/api/privileges", &[("key", &user)]).await;
    assert_eq!(status, 400, "{v}");
    assert!(v.as_str().unwrap().contains("sufficient privileges"), "{v}");
    let (status, v) = get(&s, "/api/user/privileges", &[("key", &user)]).await;
    assert_eq!((status, v), (200, json!(["user"])));
    // Adding or removing privilege names is refused, and only admins may ask.
    let (status, v) = post_json(
        &s,
        "/api/privileges",
        json!({"key": admin, "privilege": "trainer"}),
    )
    .await;
    assert_eq!(status, 400, "{v}");
    let (status, _) = post_json(
        &s,
        "/api/privileges",
        json!({"key": user, "privilege": "trainer"}),
    )
    .await;
    assert_eq!(status, 403);
    // The plain user is user 2.
    let (status, me) = get(&s, "/api/user", &[("key", &user)]).await;
    assert_eq!(status, 200);
    let id = me["id"].as_i64().unwrap();
    let path = format!("/api/user/{id}/privileges");
    let (status, v) = get(&s, &path, &[("key", &user)]).await;
    assert_eq!((status, v), (200, json!(["user"])));
    let (status, v) = post_json(&s, &path, json!({"key": user, "privilege": "admin"})).await;
    assert_eq!((status, v), (403, json!("Access denied.")));
    let (status, v) = post_json(&s, &path, json!({"key": admin, "privilege": "wizard"})).await;
    assert_eq!(status, 400, "{v}");
    let (status, _) = post_json(&s, &path, json!({"key": admin, "privilege": "advocate"})).await;
    assert_eq!(status, 204);
    let (_, v) = get(&s, &path, &[("key", &user)]).await;
    assert_eq!(v, json!(["advocate"]));
    // An advocate may look users up; taking the privilege away leaves `user`.
    let (status, v) = get(
        &s,
        "/api/user_info",
        &[("key", &user), ("username", "ADMIN@example.org")],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["email"], "admin@example.org");
    assert_eq!(v["privileges"], json!(["admin"]));
    let (status, v) = get(
        &s,
        "/api/user_info",
        &[("key", &user), ("username", "nobody@example.org")],
    )
    .await;
    assert_eq!((status, v), (404, json!("User not found.")));
    let (status, v) = get(&s, "/api/user_list", &[("key", &user)]).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    assert_eq!(v["next_id"], Value::Null);
    let r = client()
        .delete(s.url(&path))
        .query(&[("key", admin.as_str()), ("privilege", "advocate")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (status, v) = get(&s, "/api/user_list", &[("key", &user)]).await;
    assert_eq!((status, v), (403, json!("Access denied.")));
    // Users see themselves, admins anyone; unknown and malformed ids are 404.
    let (status, v) = get(&s, &format!("/api/user/{id}"), &[("key", &user)]).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["email"], "u@example.org");
    let (status, _) = get(&s, "/api/user/1", &[("key", &user)]).await;
    assert_eq!(status, 403);
    let (status, v) = get(&s, "/api/user/1", &[("key", &admin)]).await;
    assert_eq!(
        (status, v["email"].clone()),
        (200, json!("admin@example.org"))
    );
    for bad in [
        "/api/user/999/privileges",
        "/api/user/abc/privileges",
        "/api/user/0",
    ] {
        let (status, v) = get(&s, bad, &[("key", &admin)]).await;
        assert_eq!((status, v), (404, json!("User not found")), "{bad}");
    }
    // The last admin stays admin.
    let r = client()
        .delete(s.url("/api/user/1/privileges"))
        .query(&[("key", admin.as_str()), ("privilege", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let (_, v) = get(&s, "/api/user/privileges", &[("key", &admin)]).await;
    assert_eq!(v, json!(["admin"]));
    s.stop().await;
}

/// `/api/temp_url` links redirect until they expire or, one-time, are used.
async fn temporary_links(b: Backend) {
    let (s, _admin, user) = start(b).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let code_of = |url: &Value| -> String {
        let url = url.as_str().unwrap();
        assert!(url.contains("/goto?c="), "{url}");
        url.rsplit_once("c=").unwrap().1.to_string()
    };
    let (status, v) = get(
        &s,
        "/api/temp_url",
        &[("key", &user), ("url", "https://example.org/a?b=1")],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let code = code_of(&v);
    for _ in 0..2 {
        let r = no_redirect
            .get(s.url(&format!("/goto?c={code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 302);
        assert_eq!(r.headers()["location"], "https://example.org/a?b=1");
    }
    let (_, v) = get(
        &s,
        "/api/temp_url",
        &[("key", &user), ("url", "/list"), ("one_time", "1")],
    )
    .await;
    let once = code_of(&v);
    let r = no_redirect
        .get(s.url(&format!("/goto?c={once}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    assert_eq!(r.headers()["location"], "/list");
    let r = no_redirect
        .get(s.url(&format!("/goto?c={once}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    for bad in ["", "x", &"A".repeat(32), "../../etc"] {
        let r = no_redirect
            .get(s.url("/goto"))
            .query(&[("c", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{bad}");
    }
    for (params, message) in [
        (vec![], "No url supplied."),
        (vec![("url", "javascript:alert(1)")], "The url must be"),
        (vec![("url", "//evil.example/")], "The url must be"),
        (
            vec![("url", "/a"), ("expire", "0")],
            "Invalid number of seconds.",
        ),
        (
            vec![("url", "/a"), ("expire", "soon")],
            "Invalid number of seconds.",
        ),
    ] {
        let mut q = params.clone();
        q.push(("key", &user));
        let (status, v) = get(&s, "/api/temp_url", &q).await;
        assert_eq!(status, 400, "{params:?}: {v}");
        assert!(v.as_str().unwrap().starts_with(message), "{params:?}: {v}");
    }
    let (status, _) = get(&s, "/api/temp_url", &[("url", "/list")]).await;
    assert_eq!(status, 403);
    s.stop().await;
}

/// `/api/interview_data`: the variables an interview's blocks define (admins, developers).
async fn interview_data(b: Backend) {
    let (s, admin, user) = start(b).await;
    let (status, v) = get(&s, "/api/interview_data", &[("key", &admin), ("i", HELLO)]).await;
    assert_eq!(status, 200, "{v}");
    let vars: Vec<&str> = v["names"]["var_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["var"].as_str().unwrap())
        .collect();
    assert!(
        vars.contains(&"user_name") && vars.contains(&"likes_turnips"),
        "{v}"
    );
    assert!(
        vars.windows(2).all(|w| w[0] <= w[1]),
        "not sorted: {vars:?}"
    );
    assert!(
        v["vocabulary"]
            .as_array()
            .unwrap()
            .contains(&json!("user_name"))
    );
    let (status, _) = get(&s, "/api/interview_data", &[("key", &user), ("i", HELLO)]).await;
    assert_eq!(status, 403);
    let (status, v) = get(&s, "/api/interview_data", &[("key", &admin)]).await;
    assert_eq!((status, v), (400, json!("No filename supplied.")));
    for bad in [
        "../../etc/passwd",
        "docassemble.colloquydemo:data/questions/missing.yml",
    ] {
        let (status, v) = get(&s, "/api/interview_data", &[("key", &admin), ("i", bad)]).await;
        assert_eq!(status, 400, "{bad}: {v}");
        assert!(
            v.as_str().unwrap().starts_with("Error finding interview: "),
            "{v}"
        );
    }
    s.stop().await;
}

protocol_tests!(
    privileges_and_user_lookups,
    temporary_links,
    interview_data,
    codes_survive_a_restart,
    listings_by_tag,
    stashed_data,
    login_links,
    resume_links,
    session_listings,
    uploaded_files,
    api_cors,
    a_users_secret_opens_the_users_sessions,
    no_route_answers_5xx_to_bad_input,
    api_keys_are_read_where_docassemble_reads_them,
    a_session_driven_by_variables,
    bad_input_gets_docassemble_messages_and_changes_nothing,
    users_and_keys,
);
