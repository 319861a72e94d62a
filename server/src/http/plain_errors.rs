//! Errors made below the handlers (a body over the size limit, a path that does not parse, a
//! method a route does not take) come from axum and tower as plain text or an empty body. This
//! layer gives them the server's JSON shape: `{"error": message}` on the site, a JSON string
//! on `/api/` (docassemble's `jsonify_with_status`), so every client reads every error alike.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::Response;

/// The most of a plain-text error body that is kept as the message.
const MAX_MESSAGE: usize = 4096;

/// Rewrites a plain-text or empty error response of a request for `uri` as JSON.
pub async fn to_json(uri: Uri, limit: u64, resp: Response) -> Response {
    let status = resp.status();
    // 404s are the handlers' own (axum's rejections never answer 404; docassemble's
    // `/api/file` answers a plain-text "File not found", kept as it is).
    if !(status.is_client_error() || status.is_server_error()) || status == StatusCode::NOT_FOUND {
        return resp;
    }
    let plain = match resp.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(v) => v
            .to_str()
            .is_ok_and(|t| t.to_ascii_lowercase().starts_with("text/plain")),
    };
    if !plain {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = match axum::body::to_bytes(body, MAX_MESSAGE).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_string(),
        Err(_) => String::new(),
    };
    let message = message_for(status, &text, limit);
    let api = uri.path().starts_with("/api/");
    let value = if api {
        serde_json::Value::String(message)
    } else {
        serde_json::json!({ "error": message })
    };
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// A clear message for `status`, keeping axum's own text where it says more.
fn message_for(status: StatusCode, text: &str, limit: u64) -> String {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "The request is too large: this server accepts at most {limit} bytes (maximum content length)."
        ),
        StatusCode::METHOD_NOT_ALLOWED => "This method is not allowed here.".to_string(),
        StatusCode::REQUEST_TIMEOUT => "The request took too long and was stopped.".to_string(),
        _ if !text.is_empty() => text.to_string(),
        _ => status
            .canonical_reason()
            .unwrap_or("The request failed.")
            .to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    async fn body_of(resp: Response) -> serde_json::Value {
        let b = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        serde_json::from_slice(&b).unwrap()
    }

    fn plain(status: StatusCode, text: &'static str) -> Response {
        let mut r = Response::new(Body::from(text));
        *r.status_mut() = status;
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        r
    }

    #[tokio::test]
    async fn plain_errors_become_json() {
        let uri: Uri = "/interview?i=x".parse().unwrap();
        let r = to_json(
            uri,
            10,
            plain(StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let v = body_of(r).await;
        assert!(v["error"].as_str().unwrap().contains("at most 10 bytes"));
        let uri: Uri = "/api/session".parse().unwrap();
        let r = to_json(uri, 10, plain(StatusCode::BAD_REQUEST, "Invalid URL")).await;
        assert_eq!(body_of(r).await, serde_json::json!("Invalid URL"));
    }

    #[tokio::test]
    async fn other_responses_are_untouched() {
        let uri: Uri = "/uploadedfile/x/1".parse().unwrap();
        let r = to_json(uri.clone(), 10, plain(StatusCode::OK, "a text file")).await;
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        let mut html = plain(StatusCode::NOT_FOUND, "<p>x</p>");
        html.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let r = to_json(uri.clone(), 10, html).await;
        assert_eq!(r.headers()[header::CONTENT_TYPE], "text/html");
        let r = to_json(uri, 10, plain(StatusCode::NOT_FOUND, "File not found")).await;
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
    }
}
