//! Sign-in (password, then the two-factor code if set up), sign-out, and `/user/me`.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde_json::json;

use super::pages::{self, Input};
use super::{
    ClientIp, Failure, SignIn, Viewer, audit, check_csrf, clear_login, complete_sign_in, csrf_for,
    login_cookie, mfa_required, new_secret, ok, parse_form, query_json, rate, redirect, safe_next,
    with_form,
};
use crate::accounts::service::{self, AccountError};
use crate::accounts::{Email, Hasher, Refusal, totp};
use crate::http::AppState;
use crate::http::interview::SESSIONS_COOKIE;
use crate::store::accounts::LoginStage;

/// A pending two-factor sign-in lasts this long.
const MFA_MINUTES: i64 = 10;

fn next_of(query: Option<&str>) -> Option<String> {
    query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v.into_owned())
    })
}

fn sign_in_form(csrf: &str, next: &str, email: &str, error: Option<&str>) -> String {
    let mut body = pages::form(
        "/user/sign-in",
        csrf,
        &[
            Input::Field("email", "E-mail address", "email", "username", email),
            Input::Field("password", "Password", "password", "current-password", ""),
            Input::Check("remember", "Remember me on this device"),
            Input::Hidden("next", next),
        ],
        "Sign in",
        error,
    );
    body.push_str(&pages::links(&[
        ("/user/register", "Create an account"),
        ("/user/forgot-password", "Forgot your password?"),
    ]));
    pages::layout("Sign in", &body)
}

/// `GET /user/sign-in` (`json=1`: `{"action":"login","csrf_token":…}`, docassemble's shape).
pub async fn sign_in_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    let (csrf, jar) = csrf_for(&state, jar).map_err(|f| f.json(json))?;
    let next = safe_next(next_of(query.as_deref()).as_deref());
    Ok(ok(
        json,
        jar,
        json!({"action": "login", "csrf_token": csrf}),
        || sign_in_form(&csrf, &next, "", None),
    ))
}

/// A PHC hash to check against when the account does not exist, so an unknown address costs
/// as much time as a wrong password.
fn dummy_hash(state: &AppState) -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        Hasher::from_config(state.config())
            .create("colloquy timing equaliser")
            .map(|m| m.hash)
            .unwrap_or_default()
    })
}

/// `POST /user/sign-in`: `email`, `password`, `csrf_token`, `next`, `remember`.
pub async fn sign_in(
    State(state): State<AppState>,
    ip: ClientIp,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = sign_in_inner(&state, ip, query.as_deref(), jar.clone(), &headers, &body).await;
    with_form(
        &state,
        &jar,
        &headers,
        query.as_deref(),
        &body,
        result,
        |csrf, form, msg| {
            sign_in_form(
                csrf,
                &safe_next(form.get("next")),
                form.text("email"),
                Some(msg),
            )
        },
    )
}

async fn sign_in_inner(
    state: &AppState,
    ClientIp(ip): ClientIp,
    query: Option<&str>,
    jar: CookieJar,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, Failure> {
    let state = state.clone();
    let (headers, body) = (headers.clone(), body.clone());
    let form = parse_form(&headers, query, &body)?;
    let json = form.json;
    rate(&state, ip, json)?;
    check_csrf(&state, &jar, &headers, &form)?;
    let next = safe_next(form.get("next"));
    let (csrf, jar) = csrf_for(&state, jar)?;
    let refuse = |status: StatusCode, msg: &str, jar_csrf: &str| {
        Failure::new(status, msg)
            .json(json)
            .extra(json!({"action": "login", "csrf_token": jar_csrf}))
    };
    let email = match Email::parse(form.text("email")) {
        Ok(e) => e,
        Err(e) => return Err(refuse(StatusCode::BAD_REQUEST, &e.to_string(), &csrf)),
    };
    let password = form.text("password");
    if password.is_empty() {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "Enter your password.",
            &csrf,
        ));
    }
    let (user, user_key) = match check_password(&state, ip, &email, password).await? {
        Ok(found) => found,
        Err(PasswordDenial::Throttled(r)) => return Err(locked(r, json, &csrf)),
        Err(PasswordDenial::Wrong) => {
            return Err(refuse(
                StatusCode::UNAUTHORIZED,
                "Incorrect e-mail address or password.",
                &csrf,
            ));
        }
        Err(PasswordDenial::NotActive) => {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "Confirm your e-mail address first: follow the link in the activation e-mail.",
                &csrf,
            ));
        }
    };
    let remember = form.checked("remember");
    let stage = if user.has_totp {
        LoginStage::Mfa
    } else if mfa_required(&state, &user.role) {
        LoginStage::Setup
    } else {
        LoginStage::Full
    };
    let lifetime = match stage {
        LoginStage::Mfa => time::Duration::minutes(MFA_MINUTES),
        _ if remember => time::Duration::days(i64::from(state.config().remember_me_days)),
        _ => time::Duration::hours(i64::from(state.config().sign_in_hours)),
    };
    // A sign-in cookie already present is replaced (and its row ended).
    if let Some(old) = jar
        .get(super::LOGIN_COOKIE)
        .and_then(|c| crate::store::accounts::LoginToken::parse(c.value()))
    {
        state.store().delete_login(&old).await?;
    }
    let token = state
        .store()
        .create_login(user.id, &user_key, stage, remember, lifetime)
        .await?;
    let jar = jar.add(login_cookie(&state, &token, remember));
    match stage {
        LoginStage::Full => {
            let login = state
                .store()
                .load_login(&token)
                .await?
                .ok_or_else(|| Failure::internal("the new sign-in vanished"))?;
            let (jar, moved) = complete_sign_in(&state, jar, &login).await?;
            audit(
                &state,
                "sign_in",
                Some(&user),
                None,
                ip,
                Some(&format!("{moved} anonymous session(s) adopted")),
            )
            .await;
            Ok(redirect(StatusCode::FOUND, jar, &next))
        }
        LoginStage::Mfa => {
            audit(&state, "sign_in_password_ok", Some(&user), None, ip, None).await;
            let target = format!("/user/mfa?next={}", urlencode(&next));
            if json {
                Ok(ok(
                    true,
                    jar,
                    json!({"action": "mfa", "csrf_token": csrf, "next": next}),
                    String::new,
                ))
            } else {
                Ok(redirect(StatusCode::SEE_OTHER, jar, &target))
            }
        }
        LoginStage::Setup => {
            audit(
                &state,
                "sign_in_password_ok",
                Some(&user),
                None,
                ip,
                Some("two-factor setup required"),
            )
            .await;
            if json {
                Ok(ok(
                    true,
                    jar,
                    json!({"action": "mfa_setup", "csrf_token": csrf, "next": next}),
                    String::new,
                ))
            } else {
                Ok(redirect(StatusCode::SEE_OTHER, jar, "/user/mfa/setup"))
            }
        }
    }
}

/// Why [`check_password`] refused.
pub(in crate::http) enum PasswordDenial {
    /// Too many attempts from this address or for this account.
    Throttled(Refusal),
    /// No such account, or the wrong password (the same answer for both).
    Wrong,
    /// The account is not active or its e-mail address is not confirmed.
    NotActive,
}

/// Checks an e-mail address and password with throttling (failures counted per IP address
/// and account, lockouts audited; an unknown address costs as much time as a wrong
/// password): the user and their unwrapped key.
pub(in crate::http) async fn check_password(
    state: &AppState,
    ip: std::net::IpAddr,
    email: &Email,
    password: &str,
) -> Result<Result<(crate::store::accounts::User, crate::store::UserKey), PasswordDenial>, Failure>
{
    if let Err(r) = state
        .throttler()
        .check(state.store(), ip, Some(email.as_str()))
        .await?
    {
        return Ok(Err(PasswordDenial::Throttled(r)));
    }
    let user = state.store().user_by_email(email.as_str()).await?;
    let kek = match &user {
        Some(u) => service::verify_password(u, password)
            .await
            .map_err(Failure::internal)?,
        None => {
            let hash = dummy_hash(state).to_string();
            let pw = password.to_string();
            let _ =
                tokio::task::spawn_blocking(move || crate::accounts::password::verify(&hash, &pw))
                    .await;
            None
        }
    };
    let (Some(user), Some(kek)) = (user, kek) else {
        let locked_now = state
            .throttler()
            .failed(state.store(), ip, Some(email.as_str()))
            .await?;
        audit(
            state,
            "sign_in_failure",
            None,
            Some(email.as_str()),
            ip,
            None,
        )
        .await;
        for key in &locked_now {
            audit(state, "lockout", None, Some(email.as_str()), ip, Some(key)).await;
        }
        return Ok(Err(PasswordDenial::Wrong));
    };
    if !user.active || !user.email_confirmed {
        return Ok(Err(PasswordDenial::NotActive));
    }
    state
        .throttler()
        .succeeded(state.store(), ip, email.as_str())
        .await?;
    let user_key = state.store().unwrap_user_key(&user, &kek)?;
    Ok(Ok((user, user_key)))
}

/// 429 for a throttled sign-in.
fn locked(r: Refusal, json: bool, csrf: &str) -> Failure {
    let message = match &r {
        Refusal::TooFast => "Too many requests: wait a minute and try again.".to_string(),
        Refusal::Locked { .. } => {
            "Too many failed sign-ins: signing in is locked for a while. Try again later."
                .to_string()
        }
    };
    let mut f = Failure::new(StatusCode::TOO_MANY_REQUESTS, message)
        .json(json)
        .extra(json!({"action": "login", "csrf_token": csrf}));
    f.retry_after = Some(r.retry_after());
    f
}

pub(super) fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `GET /user/mfa`: the code form of a pending sign-in.
pub async fn mfa_page(
    State(state): State<AppState>,
    SignIn(signin): SignIn,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    if !matches!(&signin, Some((_, l)) if l.stage == LoginStage::Mfa) {
        return Ok(redirect(StatusCode::SEE_OTHER, jar, "/user/sign-in"));
    }
    let (csrf, jar) = csrf_for(&state, jar)?;
    let next = safe_next(next_of(query.as_deref()).as_deref());
    Ok(ok(
        json,
        jar,
        json!({"action": "mfa", "csrf_token": csrf}),
        || mfa_form(&csrf, &next, None),
    ))
}

fn mfa_form(csrf: &str, next: &str, error: Option<&str>) -> String {
    let body = pages::form(
        "/user/mfa",
        csrf,
        &[
            Input::Field(
                "code",
                "Code from your authenticator app (or a recovery code)",
                "text",
                "one-time-code",
                "",
            ),
            Input::Hidden("next", next),
        ],
        "Verify",
        error,
    );
    pages::layout("Two-factor sign-in", &body)
}

/// `POST /user/mfa`: `code` (six digits) or `recovery_code`, `csrf_token`, `next`.
pub async fn mfa(
    State(state): State<AppState>,
    ip: ClientIp,
    signin: SignIn,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pending = matches!(&signin.0, Some((_, l)) if l.stage == LoginStage::Mfa);
    let result = mfa_inner(
        &state,
        ip,
        signin,
        query.as_deref(),
        jar.clone(),
        &headers,
        &body,
    )
    .await;
    with_form(
        &state,
        &jar,
        &headers,
        query.as_deref(),
        &body,
        result,
        |csrf, form, msg| {
            if pending {
                mfa_form(csrf, &safe_next(form.get("next")), Some(msg))
            } else {
                pages::message_page("Request refused", msg, true)
            }
        },
    )
}

async fn mfa_inner(
    state: &AppState,
    ClientIp(ip): ClientIp,
    SignIn(signin): SignIn,
    query: Option<&str>,
    jar: CookieJar,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, Failure> {
    let state = state.clone();
    let (headers, body) = (headers.clone(), body.clone());
    let form = parse_form(&headers, query, &body)?;
    let json = form.json;
    rate(&state, ip, json)?;
    check_csrf(&state, &jar, &headers, &form)?;
    let Some((token, login)) = signin.filter(|(_, l)| l.stage == LoginStage::Mfa) else {
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "No sign-in is waiting for a code: sign in with your password first.",
        )
        .json(json));
    };
    let (csrf, jar) = csrf_for(&state, jar)?;
    let user = &login.user;
    if let Err(r) = state
        .throttler()
        .check(state.store(), ip, Some(&user.email))
        .await?
    {
        return Err(locked(r, json, &csrf));
    }
    let code = form
        .get("code")
        .or(form.get("recovery_code"))
        .unwrap_or("")
        .trim();
    let secret = state.store().totp_secret(user)?;
    let step = secret
        .as_deref()
        .and_then(|s| totp::matching_step(s, code, totp::unix_now()));
    let by_totp = match step {
        Some(step) => state.store().use_totp_step(user.id, step).await?,
        None => false,
    };
    let by_recovery =
        !by_totp && code.len() >= 10 && state.store().use_recovery_code(user.id, code).await?;
    if !by_totp && !by_recovery {
        let locked_now = state
            .throttler()
            .failed(state.store(), ip, Some(&user.email))
            .await?;
        audit(&state, "mfa_failure", Some(user), None, ip, None).await;
        for key in &locked_now {
            audit(&state, "lockout", Some(user), None, ip, Some(key)).await;
        }
        return Err(
            Failure::new(StatusCode::UNAUTHORIZED, "That code is not valid.")
                .json(json)
                .extra(json!({"action": "mfa", "csrf_token": csrf})),
        );
    }
    state
        .throttler()
        .succeeded(state.store(), ip, &user.email)
        .await?;
    state
        .store()
        .set_login_stage(&token, LoginStage::Full)
        .await?;
    let (jar, moved) = complete_sign_in(&state, jar, &login).await?;
    let how = if by_totp {
        "authenticator code"
    } else {
        "recovery code"
    };
    audit(
        &state,
        "sign_in",
        Some(user),
        None,
        ip,
        Some(&format!(
            "two-factor by {how}; {moved} anonymous session(s) adopted"
        )),
    )
    .await;
    let next = safe_next(form.get("next"));
    Ok(redirect(StatusCode::FOUND, jar, &next))
}

/// `GET /user/sign-out`: a confirmation form (signing out changes state: POST only).
pub async fn sign_out_page(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(false, jar, json!({}), || {
        pages::layout(
            "Sign out",
            &pages::form("/user/sign-out", &csrf, &[], "Sign out", None),
        )
    }))
}

/// `POST /user/sign-out`: ends the sign-in, replaces the secret, forgets remembered sessions.
pub async fn sign_out(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    SignIn(signin): SignIn,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    check_csrf(&state, &jar, &headers, &form)?;
    if let Some((token, login)) = &signin {
        state.store().delete_login(token).await?;
        audit(&state, "sign_out", Some(&login.user), None, ip, None).await;
    }
    let jar = clear_login(jar);
    let jar = jar.remove(
        axum_extra::extract::cookie::Cookie::build(SESSIONS_COOKIE)
            .path("/")
            .build(),
    );
    let (_, jar) = new_secret(&state, jar)?;
    if form.json {
        Ok(ok(true, jar, json!({"action": "signed_out"}), String::new))
    } else {
        Ok(redirect(StatusCode::SEE_OTHER, jar, "/user/sign-in"))
    }
}

/// `GET /user/me`: who is signed in (for the app: what to show).
pub async fn me(viewer: Viewer, SignIn(signin): SignIn) -> Response {
    let body = match &viewer.0 {
        Some((_, l)) => json!({
            "signed_in": true,
            "email": l.user.email,
            "role": l.user.role,
            "developer": viewer.is_developer(),
            "two_factor": l.user.has_totp,
        }),
        None => json!({
            "signed_in": false,
            "pending": signin.map(|(_, l)| match l.stage {
                LoginStage::Mfa => "mfa",
                LoginStage::Setup => "mfa_setup",
                LoginStage::Full => "none",
            }),
            "developer": false,
        }),
    };
    ok(true, CookieJar::new(), body, String::new)
}

impl From<AccountError> for Failure {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Email(e) => Failure::new(StatusCode::BAD_REQUEST, e.to_string()),
            AccountError::WeakPassword(p) => {
                Failure::new(StatusCode::BAD_REQUEST, p.join(" ")).extra(json!({"problems": p}))
            }
            AccountError::Taken => Failure::new(StatusCode::CONFLICT, e.to_string()),
            AccountError::NoSuchUser => Failure::new(StatusCode::NOT_FOUND, e.to_string()),
            other => Failure::internal(other),
        }
    }
}
