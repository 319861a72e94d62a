//! Security headers on every response: a Content-Security-Policy without inline script (the
//! app shell's one inline module loader is allowed by its SHA-256 hash), `frame-ancestors` from
//! the configuration, HSTS when cookies are `Secure` (served over TLS), `nosniff`, a referrer
//! policy, and `X-Frame-Options` when no other site may embed the pages.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use sha2::{Digest as _, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;

/// The SHA-256 CSP sources of the inline `<script>` elements of `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine as _;
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains("src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            out.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    out
}

/// The policy for this configuration and app shell.
pub fn content_security_policy(config: &Config, shell: Option<&str>) -> String {
    let hashes = shell.map(inline_script_hashes).unwrap_or_default();
    let mut ancestors = vec!["'self'".to_string()];
    ancestors.extend(config.frame_ancestors.iter().cloned());
    let mut script = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script.extend(hashes);
    format!(
        "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {}",
        script.join(" "),
        ancestors.join(" ")
    )
}

/// Adds the security headers to every response of `app` (unless a handler set them).
pub fn apply(app: Router, config: &Config) -> Router {
    let shell = std::fs::read_to_string(config.dist.join("index.html")).ok();
    let csp = content_security_policy(config, shell.as_deref());
    let mut headers: Vec<(HeaderName, String)> = vec![
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        (
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin".into(),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()".into(),
        ),
    ];
    if config.frame_ancestors.is_empty() {
        headers.push((header::X_FRAME_OPTIONS, "SAMEORIGIN".into()));
    }
    if config.cookies_secure() {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains".into(),
        ));
    }
    headers
        .into_iter()
        .filter_map(|(n, v)| HeaderValue::from_str(&v).ok().map(|v| (n, v)))
        .fold(app, |app, (n, v)| {
            app.layer(SetResponseHeaderLayer::if_not_present(n, v))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_of_inline_scripts_only() {
        let html = "<head><script type=\"module\">import init from \"/app.js\";</script>\
                    <script src=\"/x.js\"></script></head>";
        let h = inline_script_hashes(html);
        assert_eq!(h.len(), 1);
        assert!(h[0].starts_with("'sha256-"));
        let csp = content_security_policy(&Config::default(), Some(html));
        assert!(csp.contains(&h[0]));
        assert!(
            !csp.contains("unsafe-inline'; img")
                || csp.contains("style-src 'self' 'unsafe-inline'")
        );
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
        assert!(csp.ends_with("frame-ancestors 'self'"));
    }
}
