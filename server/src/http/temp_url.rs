//! Temporary redirect links: docassemble's `GET /api/temp_url?url=…[&expire=s][&one_time=1]`
//! answers a link `…/goto?c=<32 characters>` that redirects to `url` until it expires (an hour
//! by default), or until first used with `one_time`.
//!
//! Unlike docassemble, the target must be an `http(s)://` address or a path on this server:
//! a key holder cannot make this server hand out `javascript:` or `data:` links.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Duration;

use super::AppState;
use super::api::{ApiRequest, Fail, ok_json};
use super::links::{read_link, refusal};
use crate::store::codes::{CodePurpose, MAX_CODE_LIFETIME};

const CODE_LEN: usize = 32;
/// The longest target kept.
const MAX_URL: usize = 4096;

/// What a link carries (sealed).
#[derive(Debug, Serialize, Deserialize)]
struct TempLink {
    url: String,
}

/// Whether `url` may be a redirect target: `http(s)://host…` or `/path` (not `//host`).
fn allowed_target(url: &str) -> bool {
    if url.len() > MAX_URL || url.chars().any(char::is_control) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let web = ["http://", "https://"]
        .iter()
        .any(|p| lower.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
    web || (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"))
}

/// `GET /api/temp_url`.
pub async fn temp_url(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    let url = req.params.require("url", "No url supplied.")?;
    if !allowed_target(&url) {
        return Err(Fail::bad(
            "The url must be an http:// or https:// address or a path on this server.",
        ));
    }
    let expire = match req.params.text("expire") {
        None => 3600,
        Some(t) => super::api::positive_seconds(&t)
            .filter(|s| *s <= MAX_CODE_LIFETIME.whole_seconds())
            .ok_or_else(|| Fail::bad("Invalid number of seconds."))?,
    };
    let payload = serde_json::to_vec(&TempLink { url }).map_err(|e| Fail::bad(e.to_string()))?;
    let once = req.params.flag("one_time");
    let code = state
        .store()
        .new_code(
            CodePurpose::TempUrl,
            CODE_LEN,
            None,
            &payload,
            once,
            Duration::seconds(expire),
        )
        .await?;
    let base = super::account::public_url(&state);
    let url = format!("{}/goto?c={code}", base.trim_end_matches('/'));
    Ok(ok_json(json!(url)))
}

/// `GET /goto?c=CODE`: 302 to the link's target, or 403 "The link has expired.".
pub async fn goto(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let expired = || refusal(StatusCode::FORBIDDEN, "The link has expired.");
    let code = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "c")
        .map(|(_, v)| v.into_owned());
    let payload = match read_link(&state, CodePurpose::TempUrl, code, CODE_LEN).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let Some(to) = serde_json::from_slice::<TempLink>(&payload)
        .ok()
        .filter(|l| allowed_target(&l.url))
        .filter(|l| HeaderValue::from_str(&l.url).is_ok())
    else {
        return expired();
    };
    super::account::redirect(StatusCode::FOUND, CookieJar::new(), &to.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_and_local_paths() {
        assert!(allowed_target("https://example.org/a?b=c"));
        assert!(allowed_target("HTTP://example.org"));
        assert!(allowed_target("/interview?i=docassemble.x:a.yml"));
        assert!(!allowed_target("javascript:alert(1)"));
        assert!(!allowed_target("data:text/html,hi"));
        assert!(!allowed_target("//evil.example/"));
        assert!(!allowed_target("/\\evil.example/"));
        assert!(!allowed_target("https://"));
        assert!(!allowed_target("/a\r\nSet-Cookie: x=1"));
        assert!(!allowed_target(&format!("/{}", "a".repeat(MAX_URL))));
    }
}
