//! Accounts over HTTP: sign-in (docassemble's `/user/sign-in`, with its `json=1` flow),
//! sign-out, registration with e-mail activation, password reset and change, account deletion,
//! two-factor sign-in, and the admin pages.
//!
//! Every page is plain server-rendered HTML (forms, no script), so the strict CSP holds; with
//! `json=1` (query or form) the same routes answer JSON. Every POST needs the CSRF token bound
//! to the browser's `secret` cookie. Signing in (or finishing two-factor) hands the browser's
//! anonymous sessions to the user and replaces the `secret` cookie (no session fixation).

mod admin;
mod autologin;
mod manage;
mod pages;
mod register;
mod signin;

use std::net::IpAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde_json::{Value, json};

use super::AppState;
use super::interview::SECRET_COOKIE;
use crate::accounts::Role;
use crate::store::accounts::{Login, LoginStage, LoginToken};
use crate::store::{Credentials, Secret, UserCreds};

pub use super::client_ip::ClientIp;
pub use pages::STYLESHEET;
pub(in crate::http) use pages::message_page;
pub(in crate::http) use signin::{PasswordDenial, check_password};

/// The cookie holding the sign-in token.
pub const LOGIN_COOKIE: &str = "colloquy_login";

/// The account routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/user/sign-in",
            get(signin::sign_in_page).post(signin::sign_in),
        )
        .route(
            "/user/sign-out",
            get(signin::sign_out_page).post(signin::sign_out),
        )
        .route("/user/mfa", get(signin::mfa_page).post(signin::mfa))
        .route("/user/me", get(signin::me))
        .route("/user/autologin", get(autologin::autologin))
        .route(
            "/user/register",
            get(register::register_page).post(register::register),
        )
        .route("/user/activate", get(register::activate))
        .route(
            "/user/forgot-password",
            get(register::forgot_page).post(register::forgot),
        )
        .route(
            "/user/reset-password",
            get(register::reset_page).post(register::reset),
        )
        .route(
            "/user/change-password",
            get(manage::change_page).post(manage::change),
        )
        .route(
            "/user/delete-account",
            get(manage::delete_page).post(manage::delete),
        )
        .route(
            "/user/mfa/setup",
            get(manage::mfa_setup_page).post(manage::mfa_setup),
        )
        .route("/user/mfa/disable", post(manage::mfa_disable))
        .route("/user/account.css", get(pages::stylesheet))
        .route("/admin/users", get(admin::users))
        .route("/admin/users/role", post(admin::set_role))
        .route("/admin/audit", get(admin::audit_log))
}

/// The browser's sign-in, whatever its stage (None: not signed in, or expired).
#[derive(Debug, Clone)]
pub struct SignIn(pub Option<(LoginToken, Login)>);

impl FromRequestParts<AppState> for SignIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar
            .get(LOGIN_COOKIE)
            .and_then(|c| LoginToken::parse(c.value()))
        else {
            return Ok(SignIn(None));
        };
        match state.store().load_login(&token).await {
            Ok(Some(login)) => Ok(SignIn(Some((token, login)))),
            Ok(None) => Ok(SignIn(None)),
            Err(e) => {
                tracing::warn!(error = %e, "a sign-in cookie could not be used");
                Ok(SignIn(None))
            }
        }
    }
}

/// The signed-in user (stage full), if any.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<(LoginToken, Login)>);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let SignIn(s) = SignIn::from_request_parts(parts, state).await?;
        Ok(Viewer(s.filter(|(_, l)| l.stage == LoginStage::Full)))
    }
}

impl Viewer {
    /// The user's credentials for opening sessions.
    pub fn creds(&self) -> Option<UserCreds<'_>> {
        self.0.as_ref().map(|(_, l)| l.creds())
    }

    /// The user's role.
    pub fn role(&self) -> Option<Role> {
        self.0
            .as_ref()
            .and_then(|(_, l)| l.user.role.parse::<Role>().ok())
    }

    /// Whether the user may use developer features.
    pub fn is_developer(&self) -> bool {
        self.role().is_some_and(Role::is_developer)
    }
}

/// A parsed account request: the form fields and whether JSON was asked for.
pub(super) struct FormData {
    pairs: Vec<(String, String)>,
    pub json: bool,
}

impl FormData {
    /// A field (the first of that name).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A field, or "".
    pub fn text(&self, key: &str) -> &str {
        self.get(key).unwrap_or("")
    }

    /// A checkbox-like field: `1`, `true`, `on`, `yes`.
    pub fn checked(&self, key: &str) -> bool {
        matches!(
            self.get(key)
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref(),
            Some("1" | "true" | "on" | "yes" | "y")
        )
    }
}

/// The longest account form accepted (passwords are at most 1 KiB).
const MAX_FORM_BYTES: usize = 16 * 1024;

/// `json=1` in a query string.
pub(super) fn query_json(query: Option<&str>) -> bool {
    query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .any(|(k, v)| k == "json" && v.trim().parse::<i64>().is_ok_and(|n| n != 0))
        })
        .unwrap_or(false)
}

/// Parses an urlencoded account form (JSON if `json=1` is in the query or the form).
pub(super) fn parse_form(
    headers: &HeaderMap,
    query: Option<&str>,
    body: &Bytes,
) -> Result<FormData, Failure> {
    let json = query_json(query);
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if body.len() > MAX_FORM_BYTES {
        return Err(
            Failure::new(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").json(json),
        );
    }
    if !ctype.is_empty() && !ctype.starts_with("application/x-www-form-urlencoded") {
        return Err(Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the form as application/x-www-form-urlencoded.",
        )
        .json(json));
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let form_json = pairs
        .iter()
        .any(|(k, v)| k == "json" && v.trim().parse::<i64>().is_ok_and(|n| n != 0));
    Ok(FormData {
        pairs,
        json: json || form_json,
    })
}

/// A refused request: status, message, and how to answer (JSON or an HTML page).
#[derive(Debug)]
pub(in crate::http) struct Failure {
    pub status: StatusCode,
    pub message: String,
    pub json: bool,
    /// Keys added to the JSON body (boxed: a failure stays small to return).
    pub extra: Box<Value>,
    pub retry_after: Option<u64>,
    /// The HTML page to show instead of a bare message (the form again, with the message).
    pub page: Option<String>,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            json: true,
            extra: Box::new(json!({})),
            retry_after: None,
            page: None,
        }
    }

    pub fn json(mut self, json: bool) -> Self {
        self.json = json;
        self
    }

    pub fn extra(mut self, extra: Value) -> Self {
        self.extra = Box::new(extra);
        self
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "account request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The server could not complete the request.",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut resp = if self.json {
            let mut body = json!({ "error": self.message });
            if let (Value::Object(b), Value::Object(extra)) = (&mut body, *self.extra) {
                b.extend(extra);
            }
            (self.status, axum::Json(body)).into_response()
        } else {
            let page = self
                .page
                .unwrap_or_else(|| pages::message_page("Request refused", &self.message, true));
            (self.status, Html(page)).into_response()
        };
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        no_store(&mut resp);
        resp
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure::internal(e)
    }
}

/// An HTML form's failure shows the form again with the message (JSON failures stay JSON):
/// `render(csrf token, the posted form, message)`.
pub(super) fn with_form(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &Bytes,
    result: Result<Response, Failure>,
    render: impl FnOnce(&str, &FormData, &str) -> String,
) -> Response {
    match result {
        Ok(r) => r,
        Err(f) if f.json => f.into_response(),
        Err(mut f) => {
            let secret = jar
                .get(SECRET_COOKIE)
                .and_then(|c| c.value().parse::<Secret>().ok());
            if let (Some(secret), Ok(form)) = (secret, parse_form(headers, query, body)) {
                let csrf = state.store().csrf_token(&secret);
                f.page = Some(render(&csrf, &form, &f.message));
            }
            f.into_response()
        }
    }
}

/// Marks a response as not to be cached.
pub(super) fn no_store(resp: &mut Response) {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// A JSON or HTML success.
pub(super) fn ok(
    json: bool,
    jar: CookieJar,
    body: Value,
    page: impl FnOnce() -> String,
) -> Response {
    let mut resp = if json {
        (jar, axum::Json(body)).into_response()
    } else {
        (jar, Html(page())).into_response()
    };
    no_store(&mut resp);
    resp
}

/// A 303 (HTML forms) or 302 (docassemble's sign-in, links) redirect with cookies, never cached.
pub(in crate::http) fn redirect(status: StatusCode, jar: CookieJar, to: &str) -> Response {
    let mut resp = (status, jar).into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    no_store(&mut resp);
    resp
}

/// The browser's secret, or a fresh one set as the cookie.
pub(in crate::http) fn secret_of(
    state: &AppState,
    jar: CookieJar,
) -> Result<(Secret, CookieJar), Failure> {
    if let Some(s) = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok())
    {
        return Ok((s, jar));
    }
    new_secret(state, jar)
}

/// A fresh secret, replacing the cookie (after sign-in and sign-out).
pub(super) fn new_secret(state: &AppState, jar: CookieJar) -> Result<(Secret, CookieJar), Failure> {
    let secret = Secret::generate().map_err(Failure::internal)?;
    let cookie = Cookie::build((SECRET_COOKIE, secret.expose_encoded()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().cookies_secure())
        .path("/")
        .permanent()
        .build();
    Ok((secret, jar.add(cookie)))
}

/// Checks the CSRF token of a POST (form field `csrf_token`, or header `X-CSRFToken` /
/// `X-CSRF-Token`) against the browser's secret.
pub(super) fn check_csrf(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
    form: &FormData,
) -> Result<Secret, Failure> {
    let refuse = || {
        Failure::new(
            StatusCode::FORBIDDEN,
            "Input not processed because the page expired (the CSRF token is missing or \
             invalid): load the form again.",
        )
        .json(form.json)
        .extra(json!({"action": "reload", "reason": "csrf_error"}))
    };
    let secret = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok())
        .ok_or_else(refuse)?;
    let token = form
        .get("csrf_token")
        .or_else(|| headers.get("x-csrftoken").and_then(|v| v.to_str().ok()))
        .or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))
        .unwrap_or("");
    if state.store().check_csrf(&secret, token) {
        Ok(secret)
    } else {
        Err(refuse())
    }
}

/// Counts the request against the per-IP rate.
pub(super) fn rate(state: &AppState, ip: IpAddr, json: bool) -> Result<(), Failure> {
    state.throttler().rate(ip).map_err(|r| {
        let mut f = Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests from your address: wait a minute and try again.",
        )
        .json(json);
        f.retry_after = Some(r.retry_after());
        f
    })
}

/// The sign-in cookie for `token`.
pub(super) fn login_cookie(
    state: &AppState,
    token: &LoginToken,
    remember: bool,
) -> Cookie<'static> {
    let mut c = Cookie::build((LOGIN_COOKIE, token.expose().to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().cookies_secure())
        .path("/");
    if remember {
        c = c.max_age(time::Duration::days(i64::from(
            state.config().remember_me_days,
        )));
    }
    c.build()
}

/// Removes the sign-in cookie.
pub(super) fn clear_login(jar: CookieJar) -> CookieJar {
    jar.remove(Cookie::build(LOGIN_COOKIE).path("/").build())
}

/// `next` if it is a path on this server, else `/interviews`.
pub(in crate::http) fn safe_next(next: Option<&str>) -> String {
    let next = next.map(str::trim).unwrap_or("");
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2048;
    if ok {
        next.to_string()
    } else {
        "/interviews".to_string()
    }
}

/// The base of e-mailed links: `public_url`, else `http://` + the listen address.
pub(in crate::http) fn public_url(state: &AppState) -> String {
    state
        .config()
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", state.config().listen))
}

/// Records a security event; a failure to record is logged, never shown.
pub(in crate::http) async fn audit(
    state: &AppState,
    event: &str,
    user: Option<&crate::store::accounts::User>,
    email: Option<&str>,
    ip: IpAddr,
    detail: Option<&str>,
) {
    let ip = ip.to_string();
    if let Err(e) = state
        .store()
        .audit(
            event,
            user.map(|u| u.id),
            email.or(user.map(|u| u.email.as_str())),
            Some(&ip),
            detail,
        )
        .await
    {
        tracing::error!(error = %e, event, "cannot write the audit log");
    }
}

/// Finishes a sign-in: the browser's anonymous sessions go to the user, and the browser gets a
/// fresh secret (so a planted `secret` cookie gains an attacker nothing).
pub(super) async fn complete_sign_in(
    state: &AppState,
    jar: CookieJar,
    login: &Login,
) -> Result<(CookieJar, usize), Failure> {
    let mut moved = 0;
    if let Some(old) = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok())
    {
        moved = state
            .store()
            .adopt_anonymous_sessions(Credentials::secret(&old), login.creds())
            .await?
            .len();
    }
    let (_, jar) = new_secret(state, jar)?;
    Ok((jar, moved))
}

/// The CSRF token for the browser's secret (making the secret if needed).
pub(super) fn csrf_for(state: &AppState, jar: CookieJar) -> Result<(String, CookieJar), Failure> {
    let (secret, jar) = secret_of(state, jar)?;
    Ok((state.store().csrf_token(&secret), jar))
}

/// Whether `role` must use two-factor sign-in.
pub(in crate::http) fn mfa_required(state: &AppState, role: &str) -> bool {
    state
        .config()
        .two_factor_required_for
        .iter()
        .any(|r| r == role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_server() {
        assert_eq!(safe_next(Some("/interview?i=x")), "/interview?i=x");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_next(Some(bad)), "/interviews", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/interviews");
    }
}
