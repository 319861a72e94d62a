//! `GET /user/autologin?key=…`: the one-time sign-in link of `/api/login_url`. The link is
//! consumed (whoever comes first), the browser is signed in as the link's user with a fresh
//! `secret` cookie, and goes to the interview (or `next`).

use crate::http::first_query::FirstQuery;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{ClientIp, LOGIN_COOKIE, audit, complete_sign_in, login_cookie, redirect};
use crate::http::AppState;
use crate::http::links::{LOGIN_CODE_LEN, LOGIN_SEAL_LEN, LoginLink, login_target, refusal};
use crate::store::accounts::{LoginStage, LoginToken};
use crate::store::codes::{CodePurpose, Take};

/// The query of `/user/autologin`.
#[derive(Debug, Deserialize)]
pub struct AutoLoginQuery {
    key: Option<String>,
}

/// `GET /user/autologin?key=…`.
pub async fn autologin(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FirstQuery(q): FirstQuery<AutoLoginQuery>,
    jar: CookieJar,
) -> Response {
    let denied = || refusal(StatusCode::FORBIDDEN, "The link has expired or was used.");
    let Some(key) = q.key.filter(|k| {
        k.len() == LOGIN_SEAL_LEN + LOGIN_CODE_LEN && k.bytes().all(|b| b.is_ascii_alphanumeric())
    }) else {
        return denied();
    };
    let (seal, code) = key.split_at(LOGIN_SEAL_LEN);
    let payload = match state
        .store()
        .take_code(CodePurpose::Login, code, seal, Take::Delete)
        .await
    {
        Ok(Some(p)) => p,
        Ok(None) => return denied(),
        Err(e) => {
            tracing::error!(error = %e, "reading a sign-in link failed");
            return refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "The link cannot be read now: try again.",
            );
        }
    };
    let Ok(mut link) = serde_json::from_slice::<LoginLink>(&payload) else {
        return denied();
    };
    let Some(token) = LoginToken::parse(&link.token) else {
        return denied();
    };
    let login = match state.store().load_login(&token).await {
        Ok(Some(l)) if l.stage == LoginStage::Full && l.user.active => l,
        _ => return denied(),
    };
    // resume_existing: the user's newest session of the interview.
    if let (true, None, Some(i)) = (link.resume_existing, &link.session, &link.i) {
        if let Ok(list) = state
            .store()
            .list_user_sessions(login.user.id, Some(i))
            .await
        {
            link.session = list.first().map(|s| s.id.as_str().to_string());
        }
    }
    // A sign-in cookie already present is replaced (and its row ended).
    if let Some(old) = jar
        .get(LOGIN_COOKIE)
        .and_then(|c| LoginToken::parse(c.value()))
    {
        if old != token {
            let _ = state.store().delete_login(&old).await;
        }
    }
    let jar = jar.add(login_cookie(&state, &token, false));
    let jar = match complete_sign_in(&state, jar, &login).await {
        Ok((jar, _)) => jar,
        Err(_) => {
            return refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "Signing in failed: try again.",
            );
        }
    };
    audit(&state, "auto_login", Some(&login.user), None, ip, None).await;
    redirect(StatusCode::FOUND, jar, &login_target(&link))
}
