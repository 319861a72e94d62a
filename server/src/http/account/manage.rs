//! The signed-in user's own account: change the password, delete the account, turn two-factor
//! sign-in on or off.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde_json::json;

use super::pages::{self, Input};
use super::{
    ClientIp, Failure, SignIn, Viewer, audit, check_csrf, clear_login, complete_sign_in, csrf_for,
    mfa_required, new_secret, ok, parse_form, query_json, rate, redirect,
};
use crate::accounts::service;
use crate::accounts::totp;
use crate::http::AppState;
use crate::http::interview::SESSIONS_COOKIE;
use crate::store::accounts::{Login, LoginStage, LoginToken};

fn sign_in_first(json: bool) -> Failure {
    Failure::new(StatusCode::UNAUTHORIZED, "Sign in first.").json(json)
}

fn need_login(viewer: Viewer, json: bool) -> Result<(LoginToken, Login), Failure> {
    viewer.0.ok_or_else(|| sign_in_first(json))
}

/// Checks the current password of the signed-in user (counted by the throttle when wrong).
async fn confirm_password(
    state: &AppState,
    ip: std::net::IpAddr,
    login: &Login,
    password: &str,
    json: bool,
) -> Result<crate::store::Kek, Failure> {
    if let Err(r) = state
        .throttler()
        .check(state.store(), ip, Some(&login.user.email))
        .await?
    {
        let mut f = Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong passwords: try again later.",
        )
        .json(json);
        f.retry_after = Some(r.retry_after());
        return Err(f);
    }
    match service::verify_password(&login.user, password)
        .await
        .map_err(Failure::internal)?
    {
        Some(kek) => Ok(kek),
        None => {
            state
                .throttler()
                .failed(state.store(), ip, Some(&login.user.email))
                .await?;
            audit(
                state,
                "password_check_failure",
                Some(&login.user),
                None,
                ip,
                None,
            )
            .await;
            Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                "The current password is not right.",
            )
            .json(json))
        }
    }
}

/// `GET /user/change-password`.
pub async fn change_page(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    if viewer.0.is_none() {
        return Ok(redirect(
            StatusCode::SEE_OTHER,
            jar,
            "/user/sign-in?next=/user/change-password",
        ));
    }
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(
        json,
        jar,
        json!({"action": "change_password", "csrf_token": csrf}),
        || {
            pages::layout(
                "Change your password",
                &pages::form(
                    "/user/change-password",
                    &csrf,
                    &[
                        Input::Field(
                            "old_password",
                            "Current password",
                            "password",
                            "current-password",
                            "",
                        ),
                        Input::Field(
                            "new_password",
                            "New password",
                            "password",
                            "new-password",
                            "",
                        ),
                    ],
                    "Change password",
                    None,
                ),
            )
        },
    ))
}

/// `POST /user/change-password`: `old_password`, `new_password`, `csrf_token`. The user key is
/// re-wrapped (nothing re-encrypted); other sign-ins end.
pub async fn change(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    check_csrf(&state, &jar, &headers, &form)?;
    let (token, login) = need_login(viewer, json)?;
    let new_password = form.text("new_password");
    service::check_strength(state.config(), new_password)
        .map_err(|e| Failure::from(e).json(json))?;
    confirm_password(&state, ip, &login, form.text("old_password"), json).await?;
    service::change_password(
        state.store(),
        state.config(),
        login.user.id,
        &login.key,
        new_password,
        Some(&token),
    )
    .await
    .map_err(|e| Failure::from(e).json(json))?;
    audit(&state, "password_change", Some(&login.user), None, ip, None).await;
    let msg = "Your password was changed. Your saved answers are still readable.";
    Ok(ok(
        json,
        jar,
        json!({"action": "password_changed", "message": msg}),
        || pages::message_page("Password changed", msg, false),
    ))
}

/// `GET /user/delete-account`.
pub async fn delete_page(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
) -> Result<Response, Failure> {
    if viewer.0.is_none() {
        return Ok(redirect(
            StatusCode::SEE_OTHER,
            jar,
            "/user/sign-in?next=/user/delete-account",
        ));
    }
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(false, jar, json!({}), || {
        pages::layout(
            "Delete your account",
            &format!(
                "<p class=\"error\">This deletes the account and every saved interview. It \
                 cannot be undone.</p>{}",
                pages::form(
                    "/user/delete-account",
                    &csrf,
                    &[Input::Field(
                        "password",
                        "Password",
                        "password",
                        "current-password",
                        ""
                    )],
                    "Delete my account",
                    None,
                )
            ),
        )
    }))
}

/// `POST /user/delete-account`: `password`, `csrf_token`. The last admin cannot leave.
pub async fn delete(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    check_csrf(&state, &jar, &headers, &form)?;
    let (_, login) = need_login(viewer, json)?;
    confirm_password(&state, ip, &login, form.text("password"), json).await?;
    if login.user.role == "admin" && state.store().count_role("admin").await? <= 1 {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "You are the only admin: make someone else an admin first.",
        )
        .json(json));
    }
    state.store().delete_user(login.user.id).await?;
    audit(&state, "account_deleted", Some(&login.user), None, ip, None).await;
    let jar = clear_login(jar).remove(
        axum_extra::extract::cookie::Cookie::build(SESSIONS_COOKIE)
            .path("/")
            .build(),
    );
    let (_, jar) = new_secret(&state, jar)?;
    let msg = "Your account and its saved interviews were deleted.";
    Ok(ok(
        json,
        jar,
        json!({"action": "account_deleted", "message": msg}),
        || pages::message_page("Account deleted", msg, false),
    ))
}

/// A signed-in user, or one whose sign-in waits for two-factor setup.
fn setup_login(signin: SignIn) -> Option<(LoginToken, Login)> {
    signin
        .0
        .filter(|(_, l)| matches!(l.stage, LoginStage::Full | LoginStage::Setup))
}

/// `GET /user/mfa/setup`: a fresh secret to scan or type into an authenticator app.
pub async fn mfa_setup_page(
    State(state): State<AppState>,
    signin: SignIn,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    let Some((_, login)) = setup_login(signin) else {
        return Err(sign_in_first(json));
    };
    let secret = totp::new_secret().map_err(Failure::internal)?;
    let (uri, b32) = totp::provisioning(&secret, &login.user.email).map_err(Failure::internal)?;
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(
        json,
        jar,
        json!({"action": "mfa_setup", "csrf_token": csrf, "secret": b32, "otpauth_uri": uri}),
        || {
            pages::layout(
                "Set up two-factor sign-in",
                &format!(
                    "<p>Add this account to your authenticator app with the key below (or the \
                     <code>otpauth</code> link), then enter the six-digit code it shows.</p>\
                     <p>Key: <code id=\"totp-secret\">{}</code></p><p><a href=\"{}\">otpauth link</a></p>{}",
                    pages::esc(&b32),
                    pages::esc(&uri),
                    pages::form(
                        "/user/mfa/setup",
                        &csrf,
                        &[
                            Input::Hidden("secret", &b32),
                            Input::Field("code", "Six-digit code", "text", "one-time-code", ""),
                        ],
                        "Turn on two-factor sign-in",
                        None,
                    )
                ),
            )
        },
    ))
}

/// `POST /user/mfa/setup`: `secret` (base32, as shown), `code`, `csrf_token`. Answers the
/// recovery codes (shown once).
pub async fn mfa_setup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    signin: SignIn,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    rate(&state, ip, json)?;
    check_csrf(&state, &jar, &headers, &form)?;
    let Some((token, login)) = setup_login(signin) else {
        return Err(sign_in_first(json));
    };
    let secret = totp_rs::Secret::Encoded(form.text("secret").trim().to_ascii_uppercase())
        .to_bytes()
        .ok()
        .filter(|s| s.len() >= 16)
        .ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "The key is not a base32 key of at least 128 bits.",
            )
            .json(json)
        })?;
    let Some(step) = totp::matching_step(&secret, form.text("code"), totp::unix_now()) else {
        audit(
            &state,
            "mfa_setup_failure",
            Some(&login.user),
            None,
            ip,
            None,
        )
        .await;
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "That code does not match the key: check the app's clock and try again.",
        )
        .json(json));
    };
    let codes = totp::new_recovery_codes().map_err(Failure::internal)?;
    state
        .store()
        .set_totp_secret(login.user.id, Some(&secret))
        .await?;
    // The code used here cannot sign in again.
    state.store().use_totp_step(login.user.id, step).await?;
    state
        .store()
        .replace_recovery_codes(login.user.id, &codes)
        .await?;
    audit(
        &state,
        "two_factor_enabled",
        Some(&login.user),
        None,
        ip,
        None,
    )
    .await;
    let mut jar = jar;
    if login.stage == LoginStage::Setup {
        state
            .store()
            .set_login_stage(&token, LoginStage::Full)
            .await?;
        let (j, moved) = complete_sign_in(&state, jar, &login).await?;
        jar = j;
        audit(
            &state,
            "sign_in",
            Some(&login.user),
            None,
            ip,
            Some(&format!(
                "after two-factor setup; {moved} anonymous session(s) adopted"
            )),
        )
        .await;
    }
    Ok(ok(
        json,
        jar,
        json!({"action": "mfa_enabled", "recovery_codes": codes}),
        || {
            let items: String = codes
                .iter()
                .map(|c| format!("<li><code>{}</code></li>", pages::esc(c)))
                .collect();
            pages::layout(
                "Two-factor sign-in is on",
                &format!(
                    "<p>Keep these recovery codes somewhere safe. Each works once, instead of a \
                     code, if you lose your device. They are shown only now.</p>\
                     <ul id=\"recovery-codes\">{items}</ul>{}",
                    pages::links(&[("/interviews", "Continue")])
                ),
            )
        },
    ))
}

/// `POST /user/mfa/disable`: `password`, `csrf_token`. Refused for roles that require it.
pub async fn mfa_disable(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    check_csrf(&state, &jar, &headers, &form)?;
    let (_, login) = need_login(viewer, json)?;
    if mfa_required(&state, &login.user.role) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "Two-factor sign-in is required for your role.",
        )
        .json(json));
    }
    confirm_password(&state, ip, &login, form.text("password"), json).await?;
    state.store().set_totp_secret(login.user.id, None).await?;
    audit(
        &state,
        "two_factor_disabled",
        Some(&login.user),
        None,
        ip,
        None,
    )
    .await;
    let msg = "Two-factor sign-in is off.";
    Ok(ok(
        json,
        jar,
        json!({"action": "mfa_disabled", "message": msg}),
        || pages::message_page("Two-factor sign-in", msg, false),
    ))
}
