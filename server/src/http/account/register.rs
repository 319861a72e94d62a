//! Registration with e-mail activation, and the forgotten-password reset.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde_json::json;

use super::pages::{self, Input};
use super::signin::urlencode;
use super::{
    ClientIp, Failure, audit, check_csrf, csrf_for, ok, parse_form, public_url, query_json, rate,
    with_form,
};
use crate::accounts::service::{self, AccountError};
use crate::accounts::{Email, Mail, Role};
use crate::http::AppState;

const ACTIVATE: &str = "activate";
const RESET: &str = "reset";
const ACTIVATION_HOURS: i64 = 48;
const RESET_MINUTES: i64 = 60;

fn token_of(query: Option<&str>) -> String {
    query
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default()
}

async fn send(state: &AppState, mail: Mail) {
    if let Err(e) = state.mailer().send(&mail).await {
        tracing::error!(error = %e, to = %mail.to, "cannot send mail");
    }
}

fn registration_closed(json: bool) -> Failure {
    Failure::new(
        StatusCode::FORBIDDEN,
        "Registration is closed on this server.",
    )
    .json(json)
}

fn register_form(csrf: &str, email: &str, error: Option<&str>) -> String {
    let mut body = pages::form(
        "/user/register",
        csrf,
        &[
            Input::Field("email", "E-mail address", "email", "username", email),
            Input::Field("password", "Password", "password", "new-password", ""),
        ],
        "Create account",
        error,
    );
    body.push_str(&pages::links(&[("/user/sign-in", "Sign in instead")]));
    pages::layout("Create an account", &body)
}

/// `GET /user/register` (`json=1`: `{"action":"register","csrf_token":…}`).
pub async fn register_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    if !state.config().allow_registration {
        return Err(registration_closed(json));
    }
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(
        json,
        jar,
        json!({"action": "register", "csrf_token": csrf}),
        || register_form(&csrf, "", None),
    ))
}

const CHECK_MAIL: &str =
    "Check your e-mail: we sent a link to activate the account. It works for 48 hours.";

/// `POST /user/register`: `email`, `password`, `csrf_token`. The answer is the same whether
/// or not the address has an account (the owner of an existing one is told by e-mail).
pub async fn register(
    State(state): State<AppState>,
    ip: ClientIp,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = register_inner(&state, ip, query.as_deref(), jar.clone(), &headers, &body).await;
    with_form(
        &state,
        &jar,
        &headers,
        query.as_deref(),
        &body,
        result,
        |csrf, form, msg| register_form(csrf, form.text("email"), Some(msg)),
    )
}

async fn register_inner(
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
    if !state.config().allow_registration {
        return Err(registration_closed(json));
    }
    rate(&state, ip, json)?;
    check_csrf(&state, &jar, &headers, &form)?;
    let email = Email::parse(form.text("email"))
        .map_err(|e| Failure::from(AccountError::from(e)).json(json))?;
    let password = form.text("password");
    service::check_strength(state.config(), password).map_err(|e| Failure::from(e).json(json))?;
    let made = service::create_account(
        state.store(),
        state.config(),
        email.as_str(),
        password,
        Role::User,
        false,
    )
    .await;
    let base = public_url(&state);
    match made {
        Ok(id) => {
            let token = state
                .store()
                .create_account_token(id, ACTIVATE, time::Duration::hours(ACTIVATION_HOURS))
                .await?;
            let link = format!("{base}/user/activate?token={}", urlencode(&token));
            send(
                &state,
                Mail {
                    to: email.to_string(),
                    subject: "Activate your Colloquy account".into(),
                    body: format!(
                        "Someone (hopefully you) created an account with this address.\n\n\
                         To activate it, open this link within 48 hours:\n\n{link}\n\n\
                         If it was not you, ignore this message.\n"
                    ),
                    attachments: Vec::new(),
                },
            )
            .await;
            let user = state.store().user_by_id(id).await?;
            audit(&state, "registered", user.as_ref(), None, ip, None).await;
        }
        Err(AccountError::Taken) => {
            send(
                &state,
                Mail {
                    to: email.to_string(),
                    subject: "Someone tried to register with your address".into(),
                    body: format!(
                        "Someone tried to create an account with this address, which has one \
                         already. If you forgot your password, reset it here:\n\n\
                         {base}/user/forgot-password\n"
                    ),
                    attachments: Vec::new(),
                },
            )
            .await;
            audit(
                &state,
                "register_existing",
                None,
                Some(email.as_str()),
                ip,
                None,
            )
            .await;
        }
        Err(e) => return Err(Failure::from(e).json(json)),
    }
    Ok(ok(
        json,
        jar,
        json!({"action": "registered", "message": CHECK_MAIL}),
        || pages::message_page("Check your e-mail", CHECK_MAIL, false),
    ))
}

/// `GET /user/activate?token=…`: the link of the activation e-mail.
pub async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    let token = token_of(query.as_deref());
    let bad = || {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "This activation link is not valid (it was used already, or it expired).",
        )
        .json(json)
    };
    if token.is_empty() || token.len() > 64 {
        return Err(bad());
    }
    let Some(id) = state.store().take_account_token(&token, ACTIVATE).await? else {
        return Err(bad());
    };
    state.store().confirm_email(id).await?;
    let user = state.store().user_by_id(id).await?;
    audit(&state, "activated", user.as_ref(), None, ip, None).await;
    let msg = "Your account is active: you can sign in now.";
    Ok(ok(
        json,
        jar,
        json!({"action": "activated", "message": msg}),
        || {
            let mut body = format!(
                "<p class=\"notice\" role=\"status\">{}</p>",
                pages::esc(msg)
            );
            body.push_str(&pages::links(&[("/user/sign-in", "Sign in")]));
            pages::layout("Account activated", &body)
        },
    ))
}

fn forgot_form(csrf: &str) -> String {
    pages::layout(
        "Forgot your password?",
        &format!(
            "<p>We will e-mail you a link to choose a new password. Answers saved under the old \
             password cannot be recovered: they are encrypted with it.</p>{}",
            pages::form(
                "/user/forgot-password",
                csrf,
                &[Input::Field(
                    "email",
                    "E-mail address",
                    "email",
                    "username",
                    ""
                )],
                "Send the link",
                None,
            )
        ),
    )
}

/// `GET /user/forgot-password`.
pub async fn forgot_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(
        json,
        jar,
        json!({"action": "forgot_password", "csrf_token": csrf}),
        || forgot_form(&csrf),
    ))
}

const RESET_SENT: &str = "If an account has this address, we sent it a link to choose a new password (valid for one hour).";

/// `POST /user/forgot-password`: `email`, `csrf_token`. Same answer for every address.
pub async fn forgot(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    rate(&state, ip, json)?;
    check_csrf(&state, &jar, &headers, &form)?;
    let email = Email::parse(form.text("email"))
        .map_err(|e| Failure::from(AccountError::from(e)).json(json))?;
    if let Some(user) = state.store().user_by_email(email.as_str()).await?
        && user.active
    {
        let token = state
            .store()
            .create_account_token(user.id, RESET, time::Duration::minutes(RESET_MINUTES))
            .await?;
        let link = format!(
            "{}/user/reset-password?token={}",
            public_url(&state),
            urlencode(&token)
        );
        send(
            &state,
            Mail {
                to: user.email.clone(),
                subject: "Reset your Colloquy password".into(),
                body: format!(
                    "To choose a new password, open this link within an hour:\n\n{link}\n\n\
                     Note: answers you saved are encrypted with your current password. After a \
                     reset they cannot be opened any more. If you remember the password, sign \
                     in and change it instead.\n"
                ),
                attachments: Vec::new(),
            },
        )
        .await;
        audit(
            &state,
            "password_reset_requested",
            Some(&user),
            None,
            ip,
            None,
        )
        .await;
    }
    Ok(ok(
        json,
        jar,
        json!({"action": "reset_sent", "message": RESET_SENT}),
        || pages::message_page("Check your e-mail", RESET_SENT, false),
    ))
}

fn reset_form(csrf: &str, token: &str, error: Option<&str>) -> String {
    pages::layout(
        "Choose a new password",
        &format!(
            "<p class=\"notice\">Answers saved under your old password will no longer be \
             readable.</p>{}",
            pages::form(
                "/user/reset-password",
                csrf,
                &[
                    Input::Hidden("token", token),
                    Input::Field("password", "New password", "password", "new-password", ""),
                ],
                "Set the password",
                error,
            )
        ),
    )
}

/// `GET /user/reset-password?token=…`: the form (the token is checked on POST).
pub async fn reset_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    let token = token_of(query.as_deref());
    let (csrf, jar) = csrf_for(&state, jar)?;
    Ok(ok(
        json,
        jar,
        json!({"action": "reset_password", "csrf_token": csrf}),
        || reset_form(&csrf, &token, None),
    ))
}

/// `POST /user/reset-password`: `token`, `password`, `csrf_token`. A new user key: the old
/// sessions become unreadable, and the answer says how many.
pub async fn reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    rate(&state, ip, json)?;
    check_csrf(&state, &jar, &headers, &form)?;
    let password = form.text("password");
    // Checked before the token is used up, so a weak password does not cost the link.
    service::check_strength(state.config(), password).map_err(|e| Failure::from(e).json(json))?;
    let token = form.text("token").trim();
    let bad = || {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "This reset link is not valid (it was used already, or it expired): ask for a new one.",
        )
        .json(json)
    };
    if token.is_empty() || token.len() > 64 {
        return Err(bad());
    }
    let Some(id) = state.store().take_account_token(token, RESET).await? else {
        return Err(bad());
    };
    let lost = service::reset_password(state.store(), state.config(), id, password)
        .await
        .map_err(|e| Failure::from(e).json(json))?;
    let user = state.store().user_by_id(id).await?;
    audit(
        &state,
        "password_reset",
        user.as_ref(),
        None,
        ip,
        Some(&format!("{lost} session(s) now unreadable")),
    )
    .await;
    let message = if lost == 0 {
        "Your password was reset. You can sign in with the new password.".to_string()
    } else {
        format!(
            "Your password was reset. {lost} saved interview(s) were encrypted with your old \
             password and can no longer be opened; you will have to start them again."
        )
    };
    Ok(ok(
        json,
        jar,
        json!({"action": "password_reset", "message": message, "unreadable_sessions": lost}),
        || pages::message_page("Password reset", &message, false),
    ))
}
