//! Accounts against a real server: registration → activation mail (file mailer) → sign-in →
//! two-factor → anonymous sessions re-wrapped to the user → password change (answers still
//! readable) → reset (old answers unreadable, and the user is told); throttling that survives a
//! restart; docassemble's JSON sign-in; roles and the admin page; security headers. Each flow
//! runs on SQLite and (when reachable) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::path::Path;

use common::{Backend, TestServer, demo_packages};
use engine::run::encode_name;
use serde_json::Value;
use server::config::{Config, MailerKind};

const HELLO: &str = "docassemble.colloquydemo:data/questions/hello.yml";
const PASSWORD: &str = "Correct horse 42";

fn fast(c: &mut Config) {
    c.mailer = MailerKind::File;
    c.argon2_memory_kib = 64;
    c.argon2_iterations = 1;
    c.public_url = Some("https://forms.example.org".into());
}

async fn start(b: Backend, edit: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::start_on(b, vec![demo_packages()], |c| {
        fast(c);
        edit(c);
    })
    .await
}

/// A browser that keeps cookies and does not follow redirects (so they can be checked).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get_json(c: &reqwest::Client, s: &TestServer, path: &str) -> (u16, Value) {
    let r = c.get(s.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn csrf(c: &reqwest::Client, s: &TestServer) -> String {
    let (status, v) = get_json(c, s, "/user/sign-in?json=1").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["action"], "login");
    v["csrf_token"].as_str().unwrap().to_string()
}

/// POSTs a form; returns status, `Location`, and the body (JSON if it is).
async fn post(
    c: &reqwest::Client,
    s: &TestServer,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, Value) {
    let r = c.post(s.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.text().await.unwrap();
    (
        status,
        location,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The messages the file mailer wrote, oldest first.
fn mails(data: &Path) -> Vec<String> {
    let dir = data.join("mail");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .replace("=\r\n", "")
                .replace("=3D", "=")
        })
        .collect()
}

/// The first link to `path` in the newest message.
fn link_in_last_mail(data: &Path, path: &str) -> String {
    let all = mails(data);
    let last = all.last().expect("no mail was written");
    let start = last
        .find(&format!("https://forms.example.org{path}"))
        .unwrap_or_else(|| panic!("no {path} link in {last}"));
    let link: String = last[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.trim_start_matches("https://forms.example.org")
        .to_string()
}

/// Registers and activates an account through the mail; returns nothing (the browser is
/// still anonymous).
async fn register_and_activate(c: &reqwest::Client, s: &TestServer, email: &str) {
    let token = csrf(c, s).await;
    let (status, _, v) = post(
        c,
        s,
        "/user/register?json=1",
        &[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["action"], "registered");
    // Not active yet.
    let (status, _, v) = sign_in(c, s, email, PASSWORD).await;
    assert_eq!(status, 403, "{v}");
    let link = link_in_last_mail(s.data.path(), "/user/activate?token=");
    let (status, v) = get_json(c, s, &format!("{link}&json=1")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["action"], "activated");
    // The link works once.
    let (status, _) = get_json(c, s, &format!("{link}&json=1")).await;
    assert_eq!(status, 400);
}

async fn sign_in(
    c: &reqwest::Client,
    s: &TestServer,
    email: &str,
    password: &str,
) -> (u16, String, Value) {
    let token = csrf(c, s).await;
    post(
        c,
        s,
        "/user/sign-in",
        &[
            ("email", email),
            ("password", password),
            ("csrf_token", &token),
            ("next", "/interviews?json=1"),
            ("json", "1"),
        ],
    )
    .await
}

async fn screen(c: &reqwest::Client, s: &TestServer) -> (u16, Value) {
    get_json(c, s, &format!("/interview?i={HELLO}&json=1")).await
}

async fn answer_name(c: &reqwest::Client, s: &TestServer, screen: &Value, name: &str) -> Value {
    let enc = encode_name("user_name");
    let (status, _, v) = post(
        c,
        s,
        &format!("/interview?i={HELLO}"),
        &[
            ("json", "1"),
            ("csrf_token", screen["csrf_token"].as_str().unwrap()),
            ("_question_name", screen["_question_name"].as_str().unwrap()),
            (&enc, name),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn my_sessions(c: &reqwest::Client, s: &TestServer) -> Vec<Value> {
    let (status, v) = get_json(c, s, "/interviews?json=1").await;
    assert_eq!(status, 200, "{v}");
    v["interviews"].as_array().unwrap().clone()
}

fn totp_now(secret_b32: &str) -> String {
    totp_in(secret_b32, 0)
}

/// The code `seconds` from now (30: the next time step, still accepted).
fn totp_in(secret_b32: &str, seconds: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    server::accounts::totp::code_at(&bytes, now + seconds).unwrap()
}

async fn the_whole_account_flow(b: Backend) {
    let s = start(b, |_| {}).await;
    let c = browser();
    // Anonymous answers first.
    let (_, first) = screen(&c, &s).await;
    let second = answer_name(&c, &s, &first, "Ann").await;
    assert_eq!(second["questionText"], "Do you like turnips?");
    let session = second["session"].as_str().unwrap().to_string();
    let old_secret_cookie = s
        .store
        .raw_steps(&session.parse().unwrap())
        .await
        .unwrap()
        .len();
    assert_eq!(old_secret_cookie, 2);

    register_and_activate(&c, &s, "Ann@Example.org").await;
    let (status, location, v) = sign_in(&c, &s, "ann@example.org", PASSWORD).await;
    assert_eq!(status, 302, "{v}");
    assert_eq!(location, "/interviews?json=1");

    // The anonymous session now belongs to the user and is listed.
    let listed = my_sessions(&c, &s).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["session"], session.as_str());
    let (status, resumed) = screen(&c, &s).await;
    assert_eq!(status, 200, "{resumed}");
    assert_eq!(resumed["questionText"], "Do you like turnips?");
    let (holder, _) = s
        .store
        .session_holder(&session.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(holder, server::store::HolderKind::User);

    // Turn on two-factor sign-in.
    let (status, setup) = get_json(&c, &s, "/user/mfa/setup?json=1").await;
    assert_eq!(status, 200, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_string();
    let token = setup["csrf_token"].as_str().unwrap().to_string();
    let (status, _, v) = post(
        &c,
        &s,
        "/user/mfa/setup?json=1",
        &[
            ("secret", &secret),
            ("code", "000000"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 400, "{v}");
    let (status, _, v) = post(
        &c,
        &s,
        "/user/mfa/setup?json=1",
        &[
            ("secret", &secret),
            ("code", &totp_now(&secret)),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let codes: Vec<String> = v["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);

    // Sign out; a new browser signs in: password, then the code.
    let token = csrf(&c, &s).await;
    let (status, _, _) = post(
        &c,
        &s,
        "/user/sign-out",
        &[("csrf_token", &token), ("json", "1")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(my_sessions(&c, &s).await.is_empty());
    let d = browser();
    let (status, _, v) = sign_in(&d, &s, "ann@example.org", PASSWORD).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["action"], "mfa");
    // Not signed in yet.
    assert!(my_sessions(&d, &s).await.is_empty());
    let token = v["csrf_token"].as_str().unwrap().to_string();
    let (status, _, v) = post(
        &d,
        &s,
        "/user/mfa?json=1",
        &[("code", "123456"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(status, 401, "{v}");
    let used = totp_in(&secret, 30);
    let (status, location, v) = post(
        &d,
        &s,
        "/user/mfa",
        &[
            // The code of the setup's time step is spent: the next step's code works.
            ("code", &used),
            ("csrf_token", &token),
            ("next", "/interviews?json=1"),
        ],
    )
    .await;
    assert_eq!(status, 302, "{v}");
    assert_eq!(location, "/interviews?json=1");
    assert_eq!(my_sessions(&d, &s).await.len(), 1);
    // A code works once: replayed from another browser, it is refused.
    let r = browser();
    let (_, _, v) = sign_in(&r, &s, "ann@example.org", PASSWORD).await;
    let token = v["csrf_token"].as_str().unwrap().to_string();
    for code in [used.clone(), totp_now(&secret)] {
        let (status, _, v) = post(
            &r,
            &s,
            "/user/mfa?json=1",
            &[("code", &code), ("csrf_token", &token)],
        )
        .await;
        assert_eq!(status, 401, "replayed code accepted: {v}");
    }

    // A recovery code works once.
    let e = browser();
    let (_, _, v) = sign_in(&e, &s, "ann@example.org", PASSWORD).await;
    let token = v["csrf_token"].as_str().unwrap().to_string();
    let (status, _, _) = post(
        &e,
        &s,
        "/user/mfa",
        &[("recovery_code", &codes[0]), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(status, 302);
    let f = browser();
    let (_, _, v) = sign_in(&f, &s, "ann@example.org", PASSWORD).await;
    let token = v["csrf_token"].as_str().unwrap().to_string();
    let (status, _, _) = post(
        &f,
        &s,
        "/user/mfa?json=1",
        &[("recovery_code", &codes[0]), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(status, 401);

    // Change the password: the data keys are not re-encrypted, answers stay readable; the
    // other sign-ins end.
    let before = s.store.raw_steps(&session.parse().unwrap()).await.unwrap();
    let (_, me) = get_json(&d, &s, "/user/change-password?json=1").await;
    let token = me["csrf_token"].as_str().unwrap().to_string();
    let (status, _, v) = post(
        &d,
        &s,
        "/user/change-password?json=1",
        &[
            ("old_password", PASSWORD),
            ("new_password", "Battery staple 99"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        s.store.raw_steps(&session.parse().unwrap()).await.unwrap(),
        before
    );
    // (This browser never saw the session: it opens it by id, with the user's key.)
    let (status, again) = get_json(
        &d,
        &s,
        &format!("/interview?i={HELLO}&json=1&session={session}"),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["questionText"], "Do you like turnips?");
    assert!(
        my_sessions(&e, &s).await.is_empty(),
        "the other sign-in ended"
    );
    // The new password signs in (then the code).
    let g = browser();
    let (status, _, v) = sign_in(&g, &s, "ann@example.org", "Battery staple 99").await;
    assert_eq!(status, 200, "{v}");
    let (status, _, _) = sign_in(&browser(), &s, "ann@example.org", PASSWORD).await;
    assert_eq!(status, 401);

    let events: Vec<String> = s
        .store
        .audit_events(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    for e in [
        "registered",
        "activated",
        "sign_in",
        "two_factor_enabled",
        "mfa_failure",
        "sign_out",
        "password_change",
        "sign_in_failure",
    ] {
        assert!(
            events.contains(&e.to_string()),
            "{e} missing from {events:?}"
        );
    }
    s.stop().await;
}

async fn reset_makes_old_answers_unreadable_and_says_so(b: Backend) {
    let s = start(b, |_| {}).await;
    let c = browser();
    register_and_activate(&c, &s, "bo@example.org").await;
    let (status, _, _) = sign_in(&c, &s, "bo@example.org", PASSWORD).await;
    assert_eq!(status, 302);
    let (_, first) = screen(&c, &s).await;
    let second = answer_name(&c, &s, &first, "Bo").await;
    let session: server::store::SessionId = second["session"].as_str().unwrap().parse().unwrap();
    assert_eq!(my_sessions(&c, &s).await.len(), 1);

    let other = browser();
    let token = csrf(&other, &s).await;
    let (status, _, v) = post(
        &other,
        &s,
        "/user/forgot-password?json=1",
        &[("email", "bo@example.org"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    // Unknown addresses get the same answer, and no mail.
    let n = mails(s.data.path()).len();
    let (status, _, v2) = post(
        &other,
        &s,
        "/user/forgot-password?json=1",
        &[("email", "nobody@example.org"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v2["message"], v["message"]);
    assert_eq!(mails(s.data.path()).len(), n);

    let link = link_in_last_mail(s.data.path(), "/user/reset-password?token=");
    let reset_token = link.split("token=").nth(1).unwrap().to_string();
    let reset_token = urlencoding_decode(&reset_token);
    // A weak password does not use up the link.
    let (status, _, _) = post(
        &other,
        &s,
        "/user/reset-password?json=1",
        &[
            ("token", &reset_token),
            ("password", "weak"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, v) = post(
        &other,
        &s,
        "/user/reset-password?json=1",
        &[
            ("token", &reset_token),
            ("password", "Fresh start 2024"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["unreadable_sessions"], 1);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("can no longer be opened")
    );
    // The link works once.
    let (status, _, _) = post(
        &other,
        &s,
        "/user/reset-password?json=1",
        &[
            ("token", &reset_token),
            ("password", "Fresh start 2025"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 400);

    // The old sign-in ended; with the new password the old answers cannot be opened.
    assert!(my_sessions(&c, &s).await.is_empty());
    let (status, _, _) = sign_in(&other, &s, "bo@example.org", "Fresh start 2024").await;
    assert_eq!(status, 302);
    assert!(my_sessions(&other, &s).await.is_empty());
    let (status, _) = get_json(
        &other,
        &s,
        &format!("/interview?i={HELLO}&json=1&session={session}"),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        s.store.raw_steps(&session).await.unwrap().len(),
        2,
        "rows kept, unreadable"
    );
    s.stop().await;
}

fn urlencoding_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

async fn throttling_locks_out_and_survives_restart(b: Backend) {
    let s = start(b, |c| {
        c.login_attempt_limit = 3;
        c.login_rate_per_minute = 1000;
    })
    .await;
    let c = browser();
    register_and_activate(&c, &s, "cy@example.org").await;
    for _ in 0..3 {
        let (status, _, _) = sign_in(&c, &s, "cy@example.org", "Wrong password 1").await;
        assert_eq!(status, 401);
    }
    // Locked: even the right password is refused, from this address and for this account.
    let (status, _, v) = sign_in(&c, &s, "cy@example.org", PASSWORD).await;
    assert_eq!(status, 429, "{v}");
    let (backend, dist, data) = s.stop_keeping().await;
    let s = TestServer::start_in(backend, dist, data, vec![demo_packages()], |c| {
        fast(c);
        c.login_attempt_limit = 3;
    })
    .await;
    let (status, _, v) = sign_in(&browser(), &s, "cy@example.org", PASSWORD).await;
    assert_eq!(status, 429, "still locked after a restart: {v}");
    let events: Vec<String> = s
        .store
        .audit_events(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(events.contains(&"lockout".to_string()), "{events:?}");
    s.stop().await;

    // The in-memory rate limit: the 3rd request in a minute is refused.
    let s = start(Backend::Sqlite, |c| c.login_rate_per_minute = 2).await;
    let c = browser();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(sign_in(&c, &s, "dee@example.org", PASSWORD).await.0);
    }
    assert_eq!(statuses, vec![401, 401, 429]);
    s.stop().await;
}

async fn docassemble_json_sign_in(b: Backend) {
    let s = start(b, |_| {}).await;
    s.store
        .create_user(
            server::store::accounts::NewAccount {
                email: "x@example.org",
                role: "user",
                password: server::store::accounts::PasswordRecord {
                    hash: "unused",
                    kek_salt: b"0123456789abcdef",
                    kek_params: "m=64,t=1,p=1",
                },
                active: true,
                email_confirmed: true,
            },
            &server::accounts::password::derive_kek("x", b"0123456789abcdef", "m=64,t=1,p=1")
                .unwrap(),
        )
        .await
        .unwrap();
    // A real account through the service (as `colloquy user create` does).
    let mut config = Config::default();
    fast(&mut config);
    server::accounts::service::create_account(
        &s.store,
        &config,
        "admin@example.org",
        PASSWORD,
        server::accounts::Role::Admin,
        true,
    )
    .await
    .unwrap();
    let c = browser();
    let (status, v) = get_json(&c, &s, "/user/sign-in?json=1").await;
    assert_eq!(status, 200);
    assert_eq!(v["action"], "login");
    let token = v["csrf_token"].as_str().unwrap().to_string();
    let (status, location, _) = post(
        &c,
        &s,
        "/user/sign-in",
        &[
            ("email", "admin@example.org"),
            ("password", PASSWORD),
            ("csrf_token", &token),
            ("next", "/list?json=1"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(location, "/list?json=1");
    let (_, me) = get_json(&c, &s, "/user/me").await;
    assert_eq!(me["signed_in"], true);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["developer"], true);
    // An account whose stored hash is not a real hash never signs in.
    let (status, _, _) = sign_in(&browser(), &s, "x@example.org", "x").await;
    assert_eq!(status, 401);
    s.stop().await;
}

async fn roles_and_the_admin_page(b: Backend) {
    let s = start(b, |_| {}).await;
    let mut config = Config::default();
    fast(&mut config);
    use server::accounts::{Role, service::create_account};
    create_account(
        &s.store,
        &config,
        "root@example.org",
        PASSWORD,
        Role::Admin,
        true,
    )
    .await
    .unwrap();
    let user_id = create_account(
        &s.store,
        &config,
        "u@example.org",
        PASSWORD,
        Role::User,
        true,
    )
    .await
    .unwrap();
    let admin = browser();
    assert_eq!(
        sign_in(&admin, &s, "root@example.org", PASSWORD).await.0,
        302
    );
    let (status, page) = get_json(&admin, &s, "/admin/users?json=1").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["users"].as_array().unwrap().len(), 2);
    let token = page["csrf_token"].as_str().unwrap().to_string();
    let id = user_id.to_string();
    let (status, _, v) = post(
        &admin,
        &s,
        "/admin/users/role?json=1",
        &[
            ("user_id", &id),
            ("role", "developer"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        s.store.user_by_id(user_id).await.unwrap().unwrap().role,
        "developer"
    );
    // The HTML page has a role form and no script.
    let html = admin
        .get(s.url("/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("name=\"role\""), "{html}");
    assert!(!html.contains("<script"));
    // /user/me tells the app whether to show developer features.
    let u = browser();
    assert_eq!(sign_in(&u, &s, "u@example.org", PASSWORD).await.0, 302);
    let (_, me) = get_json(&u, &s, "/user/me").await;
    assert_eq!(me["developer"], true);
    let (status, _) = get_json(&u, &s, "/admin/users?json=1").await;
    assert_eq!(status, 403);
    let (status, audit) = get_json(&admin, &s, "/admin/audit?json=1").await;
    assert_eq!(status, 200);
    assert!(
        audit["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "role_change")
    );
    s.stop().await;
}

async fn security_headers(b: Backend) {
    let s = start(b, |c| {
        c.frame_ancestors = vec!["https://embed.example.org".into()]
    })
    .await;
    for path in ["/user/sign-in", "/interview?i=x", "/health", "/"] {
        let r = reqwest::get(s.url(path)).await.unwrap();
        let h = r.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'self' https://embed.example.org"),
            "{csp}"
        );
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert!(csp.contains("object-src 'none'"));
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert!(h.get("referrer-policy").is_some());
        // Loopback over HTTP: no HSTS.
        assert!(h.get("strict-transport-security").is_none());
    }
    s.stop().await;
    let s = start(Backend::Sqlite, |c| {
        c.secure_cookies = server::config::SecureCookies::Always
    })
    .await;
    let r = reqwest::get(s.url("/user/sign-in")).await.unwrap();
    assert!(r.headers().get("strict-transport-security").is_some());
    assert_eq!(r.headers().get("x-frame-options").unwrap(), "SAMEORIGIN");
    s.stop().await;
}

async fn remember_me_and_account_deletion(b: Backend) {
    let s = start(b, |_| {}).await;
    let mut config = Config::default();
    fast(&mut config);
    use server::accounts::{Role, service::create_account};
    let id = create_account(
        &s.store,
        &config,
        "del@example.org",
        PASSWORD,
        Role::User,
        true,
    )
    .await
    .unwrap();
    let login_cookie = |r: &reqwest::Response| -> String {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("colloquy_login="))
            .unwrap()
            .to_string()
    };
    for (remember, persistent) in [("0", false), ("1", true)] {
        let c = browser();
        let token = csrf(&c, &s).await;
        let r = c
            .post(s.url("/user/sign-in"))
            .form(&[
                ("email", "del@example.org"),
                ("password", PASSWORD),
                ("csrf_token", &token),
                ("remember", remember),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        let cookie = login_cookie(&r);
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert_eq!(cookie.contains("Max-Age"), persistent, "{cookie}");
    }
    let c = browser();
    assert_eq!(sign_in(&c, &s, "del@example.org", PASSWORD).await.0, 302);
    let (_, first) = screen(&c, &s).await;
    answer_name(&c, &s, &first, "Del").await;
    assert_eq!(s.store.list_user_sessions(id, None).await.unwrap().len(), 1);
    let (_, page) = get_json(&c, &s, "/user/change-password?json=1").await;
    let token = page["csrf_token"].as_str().unwrap().to_string();
    let (status, _, v) = post(
        &c,
        &s,
        "/user/delete-account?json=1",
        &[("password", PASSWORD), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert!(s.store.user_by_id(id).await.unwrap().is_none());
    assert!(
        s.store
            .list_user_sessions(id, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        sign_in(&browser(), &s, "del@example.org", PASSWORD).await.0,
        401
    );
    s.stop().await;
}

async fn html_failures_show_the_form_again(b: Backend) {
    let s = start(b, |_| {}).await;
    let c = browser();
    let token = csrf(&c, &s).await;
    let r = c
        .post(s.url("/user/sign-in"))
        .form(&[
            ("email", "who@example.org"),
            ("password", "Wrong horse 1"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<form method=\"post\" action=\"/user/sign-in\""),
        "{html}"
    );
    assert!(
        html.contains("Incorrect e-mail address or password"),
        "{html}"
    );
    assert!(html.contains("value=\"who@example.org\""), "{html}");
    assert!(
        !html.contains("Wrong horse"),
        "the password is never echoed"
    );
    let r = c
        .post(s.url("/user/register"))
        .form(&[
            ("email", "<b>x</b>@example.org"),
            ("password", "weak"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(html.contains("action=\"/user/register\""), "{html}");
    assert!(!html.contains("<b>x</b>"), "escaped: {html}");
    s.stop().await;
}

/// A sign-in attempt from a browser behind a proxy that sent `X-Forwarded-For: forwarded`.
async fn sign_in_forwarded(s: &TestServer, forwarded: &str) -> u16 {
    let c = browser();
    let token = csrf(&c, s).await;
    c.post(s.url("/user/sign-in"))
        .header("X-Forwarded-For", forwarded)
        .form(&[
            ("email", "eve@example.org"),
            ("password", "Wrong password 1"),
            ("csrf_token", &token),
            ("json", "1"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_trusted_proxies() {
    // Not trusted (the default): the header is ignored, so forging it does not escape the limit.
    let s = start(Backend::Sqlite, |c| c.login_rate_per_minute = 2).await;
    let mut statuses = Vec::new();
    for client in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        statuses.push(sign_in_forwarded(&s, client).await);
    }
    assert_eq!(statuses, vec![401, 401, 429]);
    s.stop().await;

    // The test server's peer is 127.0.0.1: trusted, so each forwarded client has its own limit.
    let s = start(Backend::Sqlite, |c| {
        c.login_rate_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let mut statuses = Vec::new();
    for forwarded in [
        "198.51.100.1",
        "203.0.113.50, 198.51.100.1", // a client-written entry left of the proxy's
        "198.51.100.1",
        "198.51.100.2",
    ] {
        statuses.push(sign_in_forwarded(&s, forwarded).await);
    }
    assert_eq!(statuses, vec![401, 401, 429, 401]);
    let ips: Vec<String> = s
        .store
        .audit_events(100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| e.ip)
        .collect();
    assert!(ips.iter().any(|ip| ip == "198.51.100.2"), "{ips:?}");
    assert!(
        !ips.iter().any(|ip| ip == "203.0.113.50"),
        "forged entry believed: {ips:?}"
    );
    s.stop().await;
}

protocol_tests!(
    html_failures_show_the_form_again,
    remember_me_and_account_deletion,
    the_whole_account_flow,
    reset_makes_old_answers_unreadable_and_says_so,
    throttling_locks_out_and_survives_restart,
    docassemble_json_sign_in,
    roles_and_the_admin_page,
    security_headers,
);
