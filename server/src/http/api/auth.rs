//! Who is calling: the API key, looked up by digest, with its `ip`/`referer` limits checked
//! and its user active.

use std::net::IpAddr;

use axum::http::{HeaderMap, header};
use axum_extra::extract::CookieJar;

use super::{Fail, Params};
use crate::accounts::Role;
use crate::config::ProxyNet;
use crate::http::AppState;
use crate::store::UserId;
use crate::store::accounts::User;
use crate::store::api_keys::{ApiKey, KeyMethod};

/// The caller of an API route: the key's user.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The key's owner.
    pub user: User,
}

impl Caller {
    /// The user's id.
    pub fn id(&self) -> UserId {
        self.user.id
    }

    /// Whether the user has one of `roles`.
    pub fn has_role(&self, roles: &[Role]) -> bool {
        self.user
            .role
            .parse::<Role>()
            .is_ok_and(|r| roles.contains(&r))
    }
}

/// The key as docassemble looks for it: query/body `key`, the `X-API-Key` cookie, the
/// `X-API-Key` header, then `Authorization: Bearer`.
fn presented_key(params: &Params, headers: &HeaderMap) -> Option<String> {
    if let Some(k) = params.text("key") {
        return Some(k);
    }
    // The cookie is sent by browsers on their own, so a page elsewhere could make a visitor's
    // browser call the API with it: it counts only for requests the browser marks as coming
    // from this site itself (or from no page, or from a client that sends no such header).
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v != "same-origin" && v != "none");
    let jar = CookieJar::from_headers(headers);
    if let Some(c) = jar.get("X-API-Key").filter(|_| !cross_site) {
        return Some(c.value().to_string());
    }
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        })
}

/// Checks the key of a request; `403 "Access denied."` for anything wrong, never saying what.
pub async fn authenticate(
    state: &AppState,
    params: &Params,
    headers: &HeaderMap,
    ip: IpAddr,
) -> Result<Caller, Fail> {
    let key = presented_key(params, headers)
        .and_then(|k| ApiKey::parse(&k))
        .ok_or_else(Fail::denied)?;
    let info = state
        .store()
        .find_api_key(&key)
        .await?
        .ok_or_else(Fail::denied)?;
    if !allowed_from(&info.method, ip, headers) {
        return Err(Fail::denied());
    }
    let user = state
        .store()
        .user_by_id(info.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(Fail::denied)?;
    Ok(Caller { user })
}

/// The key's `ip`/`referer` limit.
fn allowed_from(method: &KeyMethod, ip: IpAddr, headers: &HeaderMap) -> bool {
    match method {
        KeyMethod::None => true,
        KeyMethod::Ip(nets) => nets
            .iter()
            .filter_map(|n| n.parse::<ProxyNet>().ok())
            .any(|n| n.contains(ip)),
        KeyMethod::Referer(patterns) => {
            let from = headers
                .get(header::REFERER)
                .or_else(|| headers.get(header::ORIGIN))
                .and_then(|v| v.to_str().ok());
            from.is_some_and(|f| patterns.iter().any(|p| wildcard_match(p, f)))
        }
    }
}

/// `*` matches any run of characters; everything else literally (case-insensitive).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    super::glob::matches(&p, &t, '*', None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match(
            "https://*.example.org/*",
            "https://a.example.org/x"
        ));
        assert!(wildcard_match("https://example.org", "HTTPS://EXAMPLE.ORG"));
        assert!(!wildcard_match(
            "https://example.org",
            "https://example.org.evil"
        ));
        assert!(!wildcard_match(
            "https://*.example.org/*",
            "https://example.com/"
        ));
        assert!(wildcard_match("*", ""));
    }

    #[test]
    fn the_cookie_counts_only_from_this_site() {
        let key = "abcdefghijABCDEFGHIJ0123456789xy";
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, format!("X-API-Key={key}").parse().unwrap());
        let p = Params::default();
        assert_eq!(presented_key(&p, &h).as_deref(), Some(key));
        h.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert_eq!(presented_key(&p, &h).as_deref(), Some(key));
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert_eq!(presented_key(&p, &h), None);
        // A key given explicitly counts from anywhere.
        h.insert("x-api-key", key.parse().unwrap());
        assert_eq!(presented_key(&p, &h).as_deref(), Some(key));
    }

    #[test]
    fn limits() {
        let mut h = HeaderMap::new();
        let ip = "10.1.2.3".parse().unwrap();
        assert!(allowed_from(&KeyMethod::None, ip, &h));
        assert!(allowed_from(
            &KeyMethod::Ip(vec!["10.0.0.0/8".into()]),
            ip,
            &h
        ));
        assert!(!allowed_from(
            &KeyMethod::Ip(vec!["192.168.0.1".into()]),
            ip,
            &h
        ));
        let r = KeyMethod::Referer(vec!["https://forms.example.org/*".into()]);
        assert!(!allowed_from(&r, ip, &h));
        h.insert(
            header::REFERER,
            "https://forms.example.org/a".parse().unwrap(),
        );
        assert!(allowed_from(&r, ip, &h));
    }
}
