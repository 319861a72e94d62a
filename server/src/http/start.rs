//! docassemble's short interview addresses: `/start/PACKAGE/FILE/` and
//! `/start/PACKAGE/DIRECTORY/FILE/` start a new session of
//! `docassemble.PACKAGE:data/questions/[DIRECTORY/]FILE.yml` (unless `session` is given);
//! `/run/…` resumes this browser's session of it. docassemble runs the interview at that
//! address; here it is a 302 to the `/interview` address it stands for, with the request's
//! other arguments kept (`json=1` included, so JSON clients that follow redirects get the
//! screen).

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::CookieJar;

use super::error::ApiError;
use super::first_query::first_values;
use crate::interviews;

/// What the path names: the interview reference, or a 404 for names docassemble refuses.
fn reference(package: &str, directory: Option<&str>, file: &str) -> Result<String, ApiError> {
    let path = match directory {
        Some(d) => format!("data/questions/{d}/{file}.yml"),
        None => format!("data/questions/{file}.yml"),
    };
    let text = format!("docassemble.{package}:{path}");
    interviews::parse_reference(&text)
        .map(|r| r.to_string())
        .map_err(|e| ApiError::NotFound(e.to_string()))
}

fn redirect(i: &str, query: Option<String>, start: bool) -> Response {
    let args = first_values(query.as_deref().unwrap_or(""));
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("i", i);
    if start && !args.contains_key("session") {
        out.append_pair("new_session", "1");
    }
    for (k, v) in &args {
        if k != "i" && !(start && k == "new_session" && !args.contains_key("session")) {
            out.append_pair(k, v.as_str().unwrap_or(""));
        }
    }
    let to = format!("/interview?{}", out.finish());
    super::account::redirect(StatusCode::FOUND, CookieJar::new(), &to)
}

/// The interview that the path's segments (`PACKAGE/FILE` or `PACKAGE/DIRECTORY/FILE`) name,
/// then the redirect to its `/interview` address.
fn address(segments: &[String], query: Option<String>, start: bool) -> Result<Response, ApiError> {
    let i = match segments {
        [package, file] => reference(package, None, file)?,
        [package, directory, file] => reference(package, Some(directory), file)?,
        _ => return Err(ApiError::NotFound("no such interview address".into())),
    };
    Ok(redirect(&i, query, start))
}

/// `GET /start/PACKAGE/FILE/` and `GET /start/PACKAGE/DIRECTORY/FILE/`.
pub async fn start(
    Path(segments): Path<Vec<String>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    address(&segments, query, true)
}

/// `GET /run/PACKAGE/FILE/` and `GET /run/PACKAGE/DIRECTORY/FILE/`.
pub async fn run(
    Path(segments): Path<Vec<String>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    address(&segments, query, false)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::header;

    fn location(r: &Response) -> &str {
        r.headers()[header::LOCATION].to_str().unwrap()
    }

    #[test]
    fn addresses_become_interview_addresses() {
        let i = reference("demo", None, "questions").unwrap();
        assert_eq!(i, "docassemble.demo:data/questions/questions.yml");
        let r = redirect(&i, Some("json=1&x=y&i=other".into()), true);
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(
            location(&r),
            "/interview?i=docassemble.demo%3Adata%2Fquestions%2Fquestions.yml&new_session=1&json=1&x=y"
        );
        let r = redirect(&i, Some("session=abc".into()), true);
        assert!(!location(&r).contains("new_session"), "{}", location(&r));
        let r = redirect(&i, None, false);
        assert!(!location(&r).contains("new_session"));
        assert_eq!(
            reference("demo", Some("sub"), "a").unwrap(),
            "docassemble.demo:data/questions/sub/a.yml"
        );
        assert!(reference("demo", Some(".."), "a").is_err());
        assert!(reference("de mo!", None, "a").is_err());
    }
}
