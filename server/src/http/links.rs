//! Links the API hands out (docassemble's `/api/login_url` and `/api/resume_url`) and the
//! resume route they lead to (`/launch?c=`; `/user/autologin` is with the account routes).
//!
//! A link's code is kept in the database only as a keyed digest, its payload sealed with the
//! code ([`crate::store::codes`]), so links work on every replica, and the database alone
//! opens none of them.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use time::Duration;

use super::AppState;
use super::account::Viewer;
use super::api::{ApiRequest, Fail, ok_json};
use crate::accounts::Role;
use crate::interviews;
use crate::store::codes::{CodePurpose, Take};
use crate::store::{IdError, Owner, SessionId, StoreError};

/// An auto-login link's key: 16 characters that seal the payload, then the 24-character code
/// (docassemble's layout).
pub(crate) const LOGIN_SEAL_LEN: usize = 16;
pub(crate) const LOGIN_CODE_LEN: usize = 24;
const RESUME_CODE_LEN: usize = 32;

/// What an auto-login link carries (sealed).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct LoginLink {
    /// A sign-in made when the link was made, handed to the browser that uses the link.
    pub token: String,
    pub i: Option<String>,
    pub session: Option<String>,
    pub next: Option<String>,
    #[serde(default)]
    pub url_args: Map<String, Value>,
    /// Without a session: resume the user's newest session of `i`, if any.
    #[serde(default)]
    pub resume_existing: bool,
}

/// What a resume link carries (sealed).
#[derive(Debug, Serialize, Deserialize)]
struct ResumeLink {
    i: String,
    session: Option<String>,
    /// The session's secret (or a user's secret), if the caller gave one: the session is
    /// then handed to the browser that opens the link.
    secret: Option<String>,
    #[serde(default)]
    url_args: Map<String, Value>,
}

fn random(len: usize) -> Result<String, Fail> {
    crate::store::random_code(len).map_err(|e: IdError| Fail::from(StoreError::Id(e)))
}

/// `url_args`: an object (JSON text in a form), else 400.
fn url_args(req: &ApiRequest) -> Result<Map<String, Value>, Fail> {
    match req.params.json("url_args") {
        Ok(None) => Ok(Map::new()),
        Ok(Some(Value::Object(m))) => Ok(m),
        _ => Err(Fail::bad("Malformed URL arguments")),
    }
}

/// The absolute base of links: `public_url`, else `http://` + the listen address — never the
/// request's `Host` header (as for e-mailed links).
fn base_url(state: &AppState) -> String {
    super::account::public_url(state)
        .trim_end_matches('/')
        .to_string()
}

/// A query string of `args` (text as is, anything else as JSON text).
pub(crate) fn query_of(args: &Map<String, Value>) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in args {
        match v {
            Value::String(s) => q.append_pair(k, s),
            other => q.append_pair(k, &other.to_string()),
        };
    }
    q.finish()
}

/// `/interview?i=…[&session=…|&new_session=1]&url_args…` (`new_session` without a session
/// when `fresh`).
pub(crate) fn interview_url(
    i: &str,
    session: Option<&str>,
    fresh: bool,
    args: &Map<String, Value>,
) -> String {
    let mut all = Map::new();
    all.insert("i".into(), json!(i));
    match session {
        Some(s) => {
            all.insert("session".into(), json!(s));
        }
        None if fresh => {
            all.insert("new_session".into(), json!("1"));
        }
        None => {}
    }
    for (k, v) in args {
        if !matches!(k.as_str(), "i" | "session" | "new_session" | "json") {
            all.insert(k.clone(), v.clone());
        }
    }
    format!("/interview?{}", query_of(&all))
}

/// `POST /api/login_url` (admins): `username`, `password`, `expire` (seconds, 15 by default),
/// `url_args`, `next`, `i`, `session`, `resume_existing` → a one-time link `…/user/autologin?key=…` that signs
/// the browser using it in as that user and goes to the interview (or `next`).
pub async fn login_url(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    if !req.caller.has_role(&[Role::Admin]) {
        return Err(Fail::denied());
    }
    let args = url_args(&req)?;
    let expire = match req.params.text("expire") {
        None => 15,
        Some(t) => super::api::positive_seconds(&t)
            .ok_or_else(|| Fail::bad("Invalid number of seconds."))?,
    };
    let i = match req.params.text("i") {
        Some(i) => Some(interviews::parse_reference(&i)?.to_string()),
        None => None,
    };
    let session = match req.params.text("session") {
        Some(s) if i.is_some() => Some(parse_session(&s)?),
        Some(_) => return Err(Fail::bad("A session needs the interview (i) too.")),
        None => None,
    };
    let next = req.params.text("next");
    if next.as_deref().is_some_and(|n| n.len() > 2048) {
        return Err(Fail::bad("The next URL is too long."));
    }
    let (user, key) = super::api::verified_user(&state, &req.params, req.ip).await?;
    let token = state
        .store()
        .create_login(
            user.id,
            &key,
            crate::store::accounts::LoginStage::Full,
            false,
            Duration::hours(i64::from(state.config().sign_in_hours)),
        )
        .await?;
    let link = LoginLink {
        token: token.expose().to_string(),
        i,
        session: session.map(|s| s.as_str().to_string()),
        next,
        url_args: args,
        resume_existing: req.params.flag("resume_existing"),
    };
    let payload = serde_json::to_vec(&link).map_err(|e| Fail::bad(e.to_string()))?;
    let seal = random(LOGIN_SEAL_LEN)?;
    let code = state
        .store()
        .new_code(
            CodePurpose::Login,
            LOGIN_CODE_LEN,
            Some(&seal),
            &payload,
            true,
            Duration::seconds(expire),
        )
        .await?;
    super::account::audit(
        &state,
        "api_login_url",
        Some(&user),
        None,
        req.ip,
        Some(&format!("made by user {}", req.caller.id().get())),
    )
    .await;
    let url = format!("{}/user/autologin?key={seal}{code}", base_url(&state));
    Ok(ok_json(json!(url)))
}

fn parse_session(s: &str) -> Result<SessionId, Fail> {
    s.parse::<SessionId>()
        .map_err(|_| Fail::bad("Invalid session."))
}

/// `POST /api/resume_url`: `i`, `session`, `url_args`, `one_time`, `expire` (seconds, 3600 by
/// default), `secret` → `…/launch?c=…`. With a `secret` (the session's or a user's), the
/// link hands the session to the browser that opens it, so it works once.
pub async fn resume_url(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    let i = req
        .params
        .text("i")
        .ok_or_else(|| Fail::bad("No filename supplied."))?;
    let i = interviews::parse_reference(&i)?.to_string();
    let session = match req
        .params
        .text("session")
        .or_else(|| req.params.text("session_id"))
    {
        Some(s) => Some(parse_session(&s)?),
        None => None,
    };
    let args = url_args(&req)?;
    let one_time = req.params.flag("one_time");
    let expire = match req.params.text("expire") {
        None => 3600,
        Some(t) => super::api::positive_seconds(&t)
            .ok_or_else(|| Fail::bad("Invalid number of seconds."))?,
    };
    let secret = req.params.text("secret").filter(|s| s != "None");
    if let Some(session) = &session {
        let (_, interview) = state
            .store()
            .session_holder(session)
            .await
            .map_err(|e| match e {
                StoreError::NotFound(_) => Fail(StatusCode::NOT_FOUND, "Session not found.".into()),
                other => Fail::from(other),
            })?;
        if interview != i {
            return Err(Fail::bad("The session is not a session of this interview."));
        }
        if let Some(text) = &secret {
            let opener = super::api::opener_from_text(&state, text).await?;
            let creds = opener
                .as_ref()
                .map_or_else(crate::store::Credentials::none, |o| o.creds());
            if !state.store().can_open(session, creds).await? {
                return Err(Fail(
                    StatusCode::FORBIDDEN,
                    "Unable to decrypt interview dictionary.".into(),
                ));
            }
        }
    } else if secret.is_some() {
        return Err(Fail::bad("A secret needs a session."));
    }
    let once = one_time || secret.is_some();
    let link = ResumeLink {
        i,
        session: session.map(|s| s.as_str().to_string()),
        secret,
        url_args: args,
    };
    let payload = serde_json::to_vec(&link).map_err(|e| Fail::bad(e.to_string()))?;
    let code = state
        .store()
        .new_code(
            CodePurpose::Resume,
            RESUME_CODE_LEN,
            None,
            &payload,
            once,
            Duration::seconds(expire),
        )
        .await?;
    let url = format!("{}/launch?c={code}", base_url(&state));
    Ok(ok_json(json!(url)))
}

/// A plain page with a status (links that do not work are 403, as in docassemble).
pub(crate) fn refusal(status: StatusCode, message: &str) -> Response {
    let mut resp = (
        status,
        Html(super::account::message_page("Link", message, true)),
    )
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// What the link code `code` (`len` letters and digits) of `purpose` holds, read without using
/// it up; else the page to answer: 403 "The link has expired." for a malformed, unknown or
/// expired code, 503 when the store cannot be read.
pub(crate) async fn read_link(
    state: &AppState,
    purpose: CodePurpose,
    code: Option<String>,
    len: usize,
) -> Result<Vec<u8>, Response> {
    let expired = || refusal(StatusCode::FORBIDDEN, "The link has expired.");
    let Some(code) =
        code.filter(|c| c.len() == len && c.bytes().all(|b| b.is_ascii_alphanumeric()))
    else {
        return Err(expired());
    };
    match state
        .store()
        .take_code(purpose, &code, &code, Take::Read)
        .await
    {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(expired()),
        Err(e) => {
            tracing::error!(error = %e, ?purpose, "reading a link code failed");
            Err(refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "The link cannot be read now: try again.",
            ))
        }
    }
}

/// `GET /launch?c=CODE[&arg=…]`: opens the interview (and session) a resume link names, with
/// its `url_args` and the request's other arguments. A link made with the session's secret
/// hands the session to this browser (its user when signed in, else its `secret` cookie).
pub async fn launch(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    viewer: Viewer,
    jar: CookieJar,
) -> Response {
    let mut code = None;
    let mut extra = Map::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "c" => code = Some(v.into_owned()),
            "session" => {}
            _ => {
                extra.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
    }
    let expired = || refusal(StatusCode::FORBIDDEN, "The link has expired.");
    let payload = match read_link(&state, CodePurpose::Resume, code, RESUME_CODE_LEN).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let Ok(link) = serde_json::from_slice::<ResumeLink>(&payload) else {
        return expired();
    };
    let mut args = link.url_args.clone();
    args.extend(extra);
    let mut jar = jar;
    if let (Some(session), Some(secret)) = (&link.session, &link.secret) {
        match hand_over(&state, session, secret, &viewer, jar.clone()).await {
            Ok(j) => jar = j,
            Err(resp) => return *resp,
        }
    }
    let to = interview_url(&link.i, link.session.as_deref(), true, &args);
    super::account::redirect(StatusCode::FOUND, jar, &to)
}

/// Re-wraps `session` from `secret` to this browser (its signed-in user, else its `secret`
/// cookie, made if missing). Server-held (`multi_user`) sessions need nothing.
async fn hand_over(
    state: &AppState,
    session: &str,
    secret: &str,
    viewer: &Viewer,
    jar: CookieJar,
) -> Result<CookieJar, Box<Response>> {
    let gone = || {
        Box::new(refusal(
            StatusCode::FORBIDDEN,
            "The link no longer opens its session.",
        ))
    };
    let id: SessionId = session.parse().map_err(|_| gone())?;
    match state.store().session_holder(&id).await {
        Ok((crate::store::HolderKind::Server, _)) => return Ok(jar),
        Ok(_) => {}
        Err(_) => return Err(gone()),
    }
    let opener = super::api::opener_from_text(state, secret)
        .await
        .map_err(|_| gone())?;
    let from = opener
        .as_ref()
        .map_or_else(crate::store::Credentials::none, |o| o.creds());
    if let Some(user) = viewer.creds() {
        state
            .store()
            .set_owner(&id, from, Owner::User(user))
            .await
            .map_err(|_| gone())?;
        return Ok(jar);
    }
    let (mine, jar) = super::account::secret_of(state, jar).map_err(|_| gone())?;
    state
        .store()
        .set_owner(&id, from, Owner::Anonymous(&mine))
        .await
        .map_err(|_| gone())?;
    Ok(jar)
}

/// Where an auto-login goes: the interview (and session), else `next` (an interview
/// reference or a path on this server), else the session list.
pub(crate) fn login_target(link: &LoginLink) -> String {
    if let Some(i) = &link.i {
        return interview_url(i, link.session.as_deref(), false, &link.url_args);
    }
    if let Some(next) = &link.next {
        if next.contains(':') && !next.contains("//") {
            if let Ok(r) = interviews::parse_reference(next) {
                return interview_url(&r.to_string(), None, false, &link.url_args);
            }
        }
        let mut url = super::account::safe_next(Some(next));
        if !link.url_args.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&query_of(&link.url_args));
        }
        return url;
    }
    "/interviews".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interview_urls() {
        let mut args = Map::new();
        args.insert("from".into(), json!("mail"));
        args.insert("n".into(), json!(3));
        args.insert("session".into(), json!("ignored"));
        assert_eq!(
            interview_url(
                "docassemble.x:data/questions/a.yml",
                Some("S1"),
                true,
                &args
            ),
            "/interview?i=docassemble.x%3Adata%2Fquestions%2Fa.yml&session=S1&from=mail&n=3"
        );
        assert_eq!(
            interview_url("docassemble.x:a.yml", None, true, &Map::new()),
            "/interview?i=docassemble.x%3Aa.yml&new_session=1"
        );
    }

    #[test]
    fn login_targets() {
        let mut link = LoginLink {
            token: String::new(),
            i: None,
            session: None,
            next: Some("https://evil.example/".into()),
            url_args: Map::new(),
            resume_existing: false,
        };
        assert_eq!(login_target(&link), "/interviews");
        link.next = Some("/list".into());
        link.url_args.insert("a".into(), json!("b"));
        assert_eq!(login_target(&link), "/list?a=b");
        link.next = None;
        link.i = Some("docassemble.x:a.yml".into());
        assert_eq!(
            login_target(&link),
            "/interview?i=docassemble.x%3Aa.yml&a=b"
        );
    }
}
