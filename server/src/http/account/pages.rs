//! The account pages: plain HTML forms, no script and no inline style (the CSP allows
//! neither), one stylesheet served from `/user/account.css`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The account pages' stylesheet.
pub const STYLESHEET: &str = "\
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}\
h1{font-size:1.5rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}\
input[type=email],input[type=password],input[type=text]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}\
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem;cursor:pointer}\
.error{background:#fde8e8;border:1px solid #c53030;padding:.6rem;border-radius:4px}\
.notice{background:#e8f4fd;border:1px solid #2b6cb0;padding:.6rem;border-radius:4px}\
.check{display:flex;gap:.5rem;align-items:center;font-weight:400}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}\
code{word-break:break-all}nav a{margin-right:1rem}\n";

/// `GET /user/account.css`.
pub async fn stylesheet() -> Response {
    let mut resp = STYLESHEET.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    resp
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page.
pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Colloquy</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/user/account.css\"></head>\
         <body><nav><a href=\"/list\">Interviews</a><a href=\"/interviews\">My sessions</a></nav>\
         <main><h1>{}</h1>{body}</main></body></html>\n",
        esc(title),
        esc(title)
    )
}

/// A page with one message.
pub fn message_page(title: &str, message: &str, error: bool) -> String {
    let class = if error { "error" } else { "notice" };
    layout(
        title,
        &format!(
            "<p class=\"{class}\" role=\"{}\">{}</p>",
            if error { "alert" } else { "status" },
            esc(message)
        ),
    )
}

/// One input of a form.
pub enum Input<'a> {
    /// `(name, label, type, autocomplete, value)`.
    Field(&'a str, &'a str, &'a str, &'a str, &'a str),
    /// A checkbox `(name, label)`.
    Check(&'a str, &'a str),
    /// A hidden value.
    Hidden(&'a str, &'a str),
}

/// A POST form with the CSRF token.
pub fn form(
    action: &str,
    csrf: &str,
    inputs: &[Input<'_>],
    button: &str,
    error: Option<&str>,
) -> String {
    let mut out = String::new();
    if let Some(e) = error {
        out.push_str(&format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)));
    }
    out.push_str(&format!(
        "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf_token\" value=\"{}\">",
        esc(action),
        esc(csrf)
    ));
    for input in inputs {
        match input {
            Input::Field(name, label, kind, auto, value) => out.push_str(&format!(
                "<label for=\"{n}\">{l}</label><input id=\"{n}\" name=\"{n}\" type=\"{k}\" \
                 autocomplete=\"{a}\" value=\"{v}\" required>",
                n = esc(name),
                l = esc(label),
                k = esc(kind),
                a = esc(auto),
                v = esc(value)
            )),
            Input::Check(name, label) => out.push_str(&format!(
                "<label class=\"check\"><input type=\"checkbox\" name=\"{}\" value=\"1\"> {}</label>",
                esc(name),
                esc(label)
            )),
            Input::Hidden(name, value) => out.push_str(&format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(name),
                esc(value)
            )),
        }
    }
    out.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        esc(button)
    ));
    out
}

/// Links under a form.
pub fn links(items: &[(&str, &str)]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|(href, text)| format!("<a href=\"{}\">{}</a>", esc(href), esc(text)))
        .collect();
    format!("<p>{}</p>", inner.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        let page = message_page("T<", "<script>alert(1)</script>", true);
        assert!(!page.contains("<script>"));
        assert!(!page.contains("style="));
    }
}
