//! The bad-input catalogue of the account routes: forged and missing CSRF tokens, forged and
//! pending sign-in cookies, oversized and mistyped bodies, malformed addresses, weak
//! passwords, bad tokens, wrong and reused two-factor codes, role escalation. Each case must be
//! answered with its 4xx, and nothing may change: the users, their roles, passwords and
//! two-factor state, their sessions and those sessions' steps are compared before and after.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::sync::Arc;

use common::{Backend, TestServer, demo_packages};
use engine::run::encode_name;
use serde_json::Value;
use server::accounts::{Role, service::create_account};
use server::config::{Config, MailerKind};
use server::store::{SessionId, Store};

const HELLO: &str = "docassemble.colloquydemo:data/questions/hello.yml";
const PASSWORD: &str = "Correct horse 42";

fn fast(c: &mut Config) {
    c.mailer = MailerKind::File;
    c.argon2_memory_kib = 64;
    c.argon2_iterations = 1;
    c.login_attempt_limit = 10_000;
    c.login_rate_per_minute = 10_000;
}

fn browser_with(jar: Arc<reqwest::cookie::Jar>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn browser() -> reqwest::Client {
    browser_with(Arc::new(reqwest::cookie::Jar::default()))
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
    let (_, v) = get_json(c, s, "/user/sign-in?json=1").await;
    v["csrf_token"].as_str().unwrap().to_string()
}

async fn sign_in(c: &reqwest::Client, s: &TestServer, email: &str) -> u16 {
    let token = csrf(c, s).await;
    c.post(s.url("/user/sign-in"))
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &token),
            ("json", "1"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Everything a bad request must leave alone.
async fn snapshot(store: &Store, session: &SessionId) -> String {
    let mut out = String::new();
    for u in store.list_users().await.unwrap() {
        out.push_str(&format!(
            "{} {} {} {} {} {} {}\n",
            u.id, u.email, u.role, u.password_hash, u.active, u.email_confirmed, u.has_totp
        ));
        for s in store.list_user_sessions(u.id, None).await.unwrap() {
            out.push_str(&format!("  {} {}\n", s.id, s.steps.get()));
        }
        out.push_str(&format!(
            "  codes {}\n",
            store.recovery_codes_left(u.id).await.unwrap()
        ));
    }
    out.push_str(&format!("{:?}\n", store.raw_steps(session).await.unwrap()));
    out
}

/// Who sends a case.
#[derive(Debug, Clone, Copy)]
enum Who {
    Anonymous,
    /// Signed in as `user@example.org` (role user).
    User,
    /// Signed in as `admin@example.org`, the only admin.
    Admin,
    /// `totp@example.org` after the password, before the code.
    Pending,
    /// A browser with a made-up sign-in cookie.
    Forged,
}

/// The body of a case.
enum Body {
    /// A form; `{csrf}` is replaced by the sender's token.
    Form(&'static [(&'static str, &'static str)]),
    /// Raw bytes with a content type.
    Raw(&'static str, Vec<u8>),
}

struct Case {
    name: &'static str,
    who: Who,
    get: bool,
    path: String,
    body: Body,
    status: u16,
}

fn form(
    name: &'static str,
    who: Who,
    path: &str,
    f: &'static [(&'static str, &'static str)],
    status: u16,
) -> Case {
    Case {
        name,
        who,
        get: false,
        path: path.to_string(),
        body: Body::Form(f),
        status,
    }
}

fn get(name: &'static str, who: Who, path: &str, status: u16) -> Case {
    Case {
        name,
        who,
        get: true,
        path: path.to_string(),
        body: Body::Form(&[]),
        status,
    }
}

async fn catalogue(b: Backend) {
    let s = TestServer::start_on(b, vec![demo_packages()], fast).await;
    let mut config = Config::default();
    fast(&mut config);
    create_account(
        &s.store,
        &config,
        "admin@example.org",
        PASSWORD,
        Role::Admin,
        true,
    )
    .await
    .unwrap();
    let user_id = create_account(
        &s.store,
        &config,
        "user@example.org",
        PASSWORD,
        Role::User,
        true,
    )
    .await
    .unwrap();
    let totp_id = create_account(
        &s.store,
        &config,
        "totp@example.org",
        PASSWORD,
        Role::User,
        true,
    )
    .await
    .unwrap();
    let totp_secret = server::accounts::totp::new_secret().unwrap();
    s.store
        .set_totp_secret(totp_id, Some(&totp_secret))
        .await
        .unwrap();
    s.store
        .replace_recovery_codes(
            totp_id,
            &["used1-code1".to_string(), "fresh-codes".to_string()],
        )
        .await
        .unwrap();

    let user = browser();
    assert_eq!(sign_in(&user, &s, "user@example.org").await, 302);
    let admin = browser();
    assert_eq!(sign_in(&admin, &s, "admin@example.org").await, 302);
    // The user has a session with two steps.
    let (_, first) = get_json(&user, &s, &format!("/interview?i={HELLO}&json=1")).await;
    let enc = encode_name("user_name");
    let r = user
        .post(s.url(&format!("/interview?i={HELLO}")))
        .form(&[
            ("json", "1"),
            ("csrf_token", first["csrf_token"].as_str().unwrap()),
            ("_question_name", first["_question_name"].as_str().unwrap()),
            (enc.as_str(), "Una"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let session: SessionId = first["session"].as_str().unwrap().parse().unwrap();
    // A pending two-factor sign-in that spends one recovery code, so it counts as used.
    let pending = browser();
    assert_eq!(sign_in(&pending, &s, "totp@example.org").await, 200);
    let token = csrf(&pending, &s).await;
    let r = pending
        .post(s.url("/user/mfa"))
        .form(&[("recovery_code", "used1-code1"), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let pending = browser();
    assert_eq!(sign_in(&pending, &s, "totp@example.org").await, 200);
    let forged_jar = Arc::new(reqwest::cookie::Jar::default());
    forged_jar.add_cookie_str(
        "colloquy_login=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; Path=/",
        &s.url("/").parse().unwrap(),
    );
    let forged = browser_with(forged_jar);
    let anon = browser();

    let big = vec![b'a'; 64 * 1024];
    let mut big_form = b"csrf_token=x&email=a%40b.org&password=".to_vec();
    big_form.extend_from_slice(&big);
    let long_password: &'static str =
        Box::leak(format!("Aa1{}", "x".repeat(1100)).into_boxed_str());
    let long_password_form: &'static [(&'static str, &'static str)] = Box::leak(
        vec![
            ("email", "new@example.org"),
            ("password", long_password),
            ("csrf_token", "{csrf}"),
        ]
        .into_boxed_slice(),
    );
    let other_session = format!("/interview?i={HELLO}&json=1&session={session}");
    let file_of_session = format!("/uploadedfile/{session}/1");
    let uid = user_id.to_string();
    let user_role_form: &'static [(&'static str, &'static str)] = Box::leak(
        vec![
            ("user_id", Box::leak(uid.into_boxed_str()) as &str),
            ("role", "admin"),
            ("csrf_token", "{csrf}"),
            ("json", "1"),
        ]
        .into_boxed_slice(),
    );

    use Who::*;
    let cases = vec![
        // CSRF.
        form(
            "sign-in without a CSRF token",
            Anonymous,
            "/user/sign-in?json=1",
            &[("email", "user@example.org"), ("password", PASSWORD)],
            403,
        ),
        form(
            "sign-in with a forged CSRF token",
            Anonymous,
            "/user/sign-in?json=1",
            &[
                ("email", "user@example.org"),
                ("password", PASSWORD),
                ("csrf_token", "Zm9yZ2Vk"),
            ],
            403,
        ),
        form(
            "sign-in with another browser's token",
            Anonymous,
            "/user/sign-in?json=1",
            &[
                ("email", "user@example.org"),
                ("password", PASSWORD),
                ("csrf_token", "{other_csrf}"),
            ],
            403,
        ),
        form(
            "register without a CSRF token",
            Anonymous,
            "/user/register?json=1",
            &[("email", "n@example.org"), ("password", PASSWORD)],
            403,
        ),
        form(
            "forgot-password without a CSRF token",
            Anonymous,
            "/user/forgot-password?json=1",
            &[("email", "user@example.org")],
            403,
        ),
        form(
            "reset without a CSRF token",
            Anonymous,
            "/user/reset-password?json=1",
            &[("token", "x"), ("password", PASSWORD)],
            403,
        ),
        form(
            "change-password without a CSRF token",
            User,
            "/user/change-password?json=1",
            &[
                ("old_password", PASSWORD),
                ("new_password", "Another one 77"),
            ],
            403,
        ),
        form(
            "delete-account without a CSRF token",
            User,
            "/user/delete-account?json=1",
            &[("password", PASSWORD)],
            403,
        ),
        form(
            "role change without a CSRF token",
            Admin,
            "/admin/users/role?json=1",
            &[("user_id", "2"), ("role", "admin")],
            403,
        ),
        form(
            "sign-out without a CSRF token",
            User,
            "/user/sign-out?json=1",
            &[],
            403,
        ),
        form(
            "mfa disable without a CSRF token",
            User,
            "/user/mfa/disable?json=1",
            &[("password", PASSWORD)],
            403,
        ),
        form(
            "interview answer with a forged CSRF token",
            User,
            &format!("/interview?i={HELLO}"),
            &[("json", "1"), ("csrf_token", "Zm9yZ2Vk")],
            400,
        ),
        // Sign-in input.
        form(
            "sign-in without an e-mail",
            Anonymous,
            "/user/sign-in?json=1",
            &[("password", PASSWORD), ("csrf_token", "{csrf}")],
            400,
        ),
        form(
            "sign-in with a malformed e-mail",
            Anonymous,
            "/user/sign-in?json=1",
            &[
                ("email", "not-an-address"),
                ("password", PASSWORD),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "sign-in with a header-injection e-mail",
            Anonymous,
            "/user/sign-in?json=1",
            &[
                ("email", "user@example.org\r\nBcc: x@evil.example"),
                ("password", PASSWORD),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "sign-in without a password",
            Anonymous,
            "/user/sign-in?json=1",
            &[("email", "user@example.org"), ("csrf_token", "{csrf}")],
            400,
        ),
        form(
            "sign-in with a wrong password",
            Anonymous,
            "/user/sign-in?json=1",
            &[
                ("email", "user@example.org"),
                ("password", "Wrong horse 42"),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "sign-in of an unknown account",
            Anonymous,
            "/user/sign-in?json=1",
            &[
                ("email", "ghost@example.org"),
                ("password", PASSWORD),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "sign-in with a 1 KiB+ password",
            Anonymous,
            "/user/sign-in?json=1",
            Box::leak(
                vec![
                    ("email", "user@example.org"),
                    ("password", long_password),
                    ("csrf_token", "{csrf}"),
                ]
                .into_boxed_slice(),
            ),
            401,
        ),
        Case {
            name: "sign-in with an oversized body",
            who: Anonymous,
            get: false,
            path: "/user/sign-in?json=1".into(),
            body: Body::Raw("application/x-www-form-urlencoded", big_form.clone()),
            status: 413,
        },
        Case {
            name: "sign-in as JSON",
            who: Anonymous,
            get: false,
            path: "/user/sign-in?json=1".into(),
            body: Body::Raw(
                "application/json",
                br#"{"email":"user@example.org"}"#.to_vec(),
            ),
            status: 415,
        },
        Case {
            name: "register with an oversized body",
            who: Anonymous,
            get: false,
            path: "/user/register?json=1".into(),
            body: Body::Raw("application/x-www-form-urlencoded", big_form),
            status: 413,
        },
        // Registration, activation, reset.
        form(
            "register with a weak password",
            Anonymous,
            "/user/register?json=1",
            &[
                ("email", "new@example.org"),
                ("password", "password"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "register with a malformed e-mail",
            Anonymous,
            "/user/register?json=1",
            &[
                ("email", "new@@example"),
                ("password", PASSWORD),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "register with a too long password",
            Anonymous,
            "/user/register?json=1",
            long_password_form,
            400,
        ),
        get(
            "activate with a made-up token",
            Anonymous,
            "/user/activate?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&json=1",
            400,
        ),
        get(
            "activate without a token",
            Anonymous,
            "/user/activate?json=1",
            400,
        ),
        get(
            "activate with a huge token",
            Anonymous,
            &format!("/user/activate?json=1&token={}", "A".repeat(500)),
            400,
        ),
        form(
            "reset with a made-up token",
            Anonymous,
            "/user/reset-password?json=1",
            &[
                ("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ("password", "Brand new 2024"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "reset with a weak password",
            Anonymous,
            "/user/reset-password?json=1",
            &[
                ("token", "AAAA"),
                ("password", "short"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "forgot-password with a malformed e-mail",
            Anonymous,
            "/user/forgot-password?json=1",
            &[("email", "x"), ("csrf_token", "{csrf}")],
            400,
        ),
        // Two-factor.
        form(
            "a code without a pending sign-in",
            Anonymous,
            "/user/mfa?json=1",
            &[("code", "123456"), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "a wrong code",
            Pending,
            "/user/mfa?json=1",
            &[("code", "000000"), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "a code of letters",
            Pending,
            "/user/mfa?json=1",
            &[("code", "abcdef"), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "a reused recovery code",
            Pending,
            "/user/mfa?json=1",
            &[("recovery_code", "used1-code1"), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "a made-up recovery code",
            Pending,
            "/user/mfa?json=1",
            &[("recovery_code", "zzzzz-zzzzz"), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "a pending sign-in changing the password",
            Pending,
            "/user/change-password?json=1",
            &[
                ("old_password", PASSWORD),
                ("new_password", "Another one 77"),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "mfa setup when not signed in",
            Anonymous,
            "/user/mfa/setup?json=1",
            &[
                ("secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
                ("code", "123456"),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "mfa setup with a wrong code",
            User,
            "/user/mfa/setup?json=1",
            &[
                ("secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
                ("code", "000000"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "mfa setup with a short key",
            User,
            "/user/mfa/setup?json=1",
            &[
                ("secret", "JBSWY3DP"),
                ("code", "123456"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "mfa setup with a key that is not base32",
            User,
            "/user/mfa/setup?json=1",
            &[
                ("secret", "!!!!not base32!!!!"),
                ("code", "123456"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "mfa disable with a wrong password",
            User,
            "/user/mfa/disable?json=1",
            &[("password", "Wrong horse 42"), ("csrf_token", "{csrf}")],
            401,
        ),
        // The signed-in user's own account.
        form(
            "change-password when not signed in",
            Anonymous,
            "/user/change-password?json=1",
            &[
                ("old_password", PASSWORD),
                ("new_password", "Another one 77"),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "change-password with a forged sign-in cookie",
            Forged,
            "/user/change-password?json=1",
            &[
                ("old_password", PASSWORD),
                ("new_password", "Another one 77"),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "change-password with a wrong old password",
            User,
            "/user/change-password?json=1",
            &[
                ("old_password", "Wrong horse 42"),
                ("new_password", "Another one 77"),
                ("csrf_token", "{csrf}"),
            ],
            401,
        ),
        form(
            "change-password to a weak one",
            User,
            "/user/change-password?json=1",
            &[
                ("old_password", PASSWORD),
                ("new_password", "weak"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "delete-account with a wrong password",
            User,
            "/user/delete-account?json=1",
            &[("password", "Wrong horse 42"), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "delete-account when not signed in",
            Anonymous,
            "/user/delete-account?json=1",
            &[("password", PASSWORD), ("csrf_token", "{csrf}")],
            401,
        ),
        form(
            "the only admin deleting the account",
            Admin,
            "/user/delete-account?json=1",
            &[("password", PASSWORD), ("csrf_token", "{csrf}")],
            409,
        ),
        // Role escalation.
        form(
            "a user making themself admin",
            User,
            "/admin/users/role?json=1",
            user_role_form,
            403,
        ),
        form(
            "an anonymous role change",
            Anonymous,
            "/admin/users/role?json=1",
            user_role_form,
            401,
        ),
        form(
            "a forged sign-in changing a role",
            Forged,
            "/admin/users/role?json=1",
            user_role_form,
            401,
        ),
        form(
            "a pending sign-in changing a role",
            Pending,
            "/admin/users/role?json=1",
            user_role_form,
            401,
        ),
        form(
            "an unknown role",
            Admin,
            "/admin/users/role?json=1",
            &[("user_id", "2"), ("role", "root"), ("csrf_token", "{csrf}")],
            400,
        ),
        form(
            "a role for no such user",
            Admin,
            "/admin/users/role?json=1",
            &[
                ("user_id", "999"),
                ("role", "developer"),
                ("csrf_token", "{csrf}"),
            ],
            404,
        ),
        form(
            "a user id that is not a number",
            Admin,
            "/admin/users/role?json=1",
            &[
                ("user_id", "1 OR 1=1"),
                ("role", "developer"),
                ("csrf_token", "{csrf}"),
            ],
            400,
        ),
        form(
            "demoting the only admin",
            Admin,
            "/admin/users/role?json=1",
            &[("user_id", "1"), ("role", "user"), ("csrf_token", "{csrf}")],
            409,
        ),
        get(
            "a user reading the user list",
            User,
            "/admin/users?json=1",
            403,
        ),
        get(
            "a user reading the audit log",
            User,
            "/admin/audit?json=1",
            403,
        ),
        get(
            "an anonymous user list",
            Anonymous,
            "/admin/users?json=1",
            401,
        ),
        // Other people's sessions.
        get(
            "the admin opening the user's session",
            Admin,
            &other_session,
            403,
        ),
        get(
            "an anonymous browser opening the user's session",
            Anonymous,
            &other_session,
            403,
        ),
        get(
            "the admin fetching a file of the user's session",
            Admin,
            &file_of_session,
            403,
        ),
    ];
    assert!(cases.len() >= 40, "{} cases", cases.len());

    let before = snapshot(&s.store, &session).await;
    let other_csrf = csrf(&browser(), &s).await;
    for case in cases {
        let client = match case.who {
            Anonymous => &anon,
            User => &user,
            Admin => &admin,
            Pending => &pending,
            Forged => &forged,
        };
        let token = csrf(client, &s).await;
        let resp = if case.get {
            client.get(s.url(&case.path)).send().await.unwrap()
        } else {
            match &case.body {
                Body::Form(fields) => {
                    let filled: Vec<(&str, String)> = fields
                        .iter()
                        .map(|(k, v)| {
                            let v = v
                                .replace("{other_csrf}", &other_csrf)
                                .replace("{csrf}", &token);
                            (*k, v)
                        })
                        .collect();
                    client
                        .post(s.url(&case.path))
                        .form(&filled)
                        .send()
                        .await
                        .unwrap()
                }
                Body::Raw(ctype, bytes) => client
                    .post(s.url(&case.path))
                    .header("content-type", *ctype)
                    .body(bytes.clone())
                    .send()
                    .await
                    .unwrap(),
            }
        };
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        assert_eq!(status, case.status, "{}: {text}", case.name);
        assert!(!text.is_empty(), "{}: an empty answer", case.name);
        assert_eq!(
            snapshot(&s.store, &session).await,
            before,
            "{} changed something",
            case.name
        );
    }
    // Nobody was created or signed in by any of it.
    assert!(
        s.store
            .user_by_email("new@example.org")
            .await
            .unwrap()
            .is_none()
    );
    let (_, me) = get_json(&forged, &s, "/user/me").await;
    assert_eq!(me["signed_in"], false);
    s.stop().await;
}

/// A `secret` cookie planted before sign-in (session fixation) is replaced at sign-in, and the
/// planted secret cannot open what the user does afterwards.
async fn sign_in_replaces_a_planted_secret(b: Backend) {
    let s = TestServer::start_on(b, vec![demo_packages()], fast).await;
    let mut config = Config::default();
    fast(&mut config);
    create_account(
        &s.store,
        &config,
        "v@example.org",
        PASSWORD,
        Role::User,
        true,
    )
    .await
    .unwrap();
    // The attacker's browser gets a secret and plants it in the victim's.
    let attacker = browser();
    let _ = csrf(&attacker, &s).await;
    let planted = server::store::Secret::generate()
        .unwrap()
        .expose_encoded()
        .to_string();
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = s.url("/").parse().unwrap();
    jar.add_cookie_str(&format!("secret={planted}; Path=/"), &url);
    let victim = browser_with(jar.clone());
    assert_eq!(sign_in(&victim, &s, "v@example.org").await, 302);
    let cookies = reqwest::cookie::CookieStore::cookies(&*jar, &url).unwrap();
    let cookies = cookies.to_str().unwrap();
    assert!(!cookies.contains(&planted), "{cookies}");
    // The victim's new session is held by the user, not the planted secret.
    let (_, screen) = get_json(&victim, &s, &format!("/interview?i={HELLO}&json=1")).await;
    let id: SessionId = screen["session"].as_str().unwrap().parse().unwrap();
    let secret: server::store::Secret = planted.parse().unwrap();
    assert!(
        !s.store
            .can_open(&id, server::store::Credentials::secret(&secret))
            .await
            .unwrap()
    );
    s.stop().await;
}

protocol_tests!(catalogue, sign_in_replaces_a_planted_secret);
