//! The app's view of the server's public JSON protocol and API. Everything the app does goes
//! through these requests, so any other front end can do the same.

use crate::json::Json;
use crate::screen::{Screen, from_doc};

/// `GET /api/info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub name: String,
    pub version: String,
}

/// An entry of `GET /list?json=1`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Available {
    pub title: String,
    pub i: String,
    pub subtitle: Option<String>,
}

impl Available {
    fn from_json(v: &Json) -> Self {
        let o = v.obj();
        Available {
            title: o.str("title"),
            i: o.str("i"),
            subtitle: o.opt_str("subtitle"),
        }
    }
}

/// An entry of `GET /interviews?json=1`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionEntry {
    pub i: String,
    pub title: String,
    pub session: String,
    pub modified: Option<String>,
    pub steps: Option<i64>,
}

impl SessionEntry {
    fn from_json(v: &Json) -> Self {
        let o = v.obj();
        SessionEntry {
            i: o.str("i"),
            title: o.str("title"),
            session: o.str("session"),
            modified: o.opt_str("modified"),
            steps: o.opt_i64("steps"),
        }
    }
}

/// The `interviews` list of a list document.
fn list_doc<T>(body: &str, item: impl Fn(&Json) -> T) -> Result<Vec<T>, String> {
    let doc = Json::parse(body).map_err(|e| e.to_string())?;
    Ok(doc.obj().list("interviews", item))
}

/// Parses `GET /api/info`.
pub fn parse_info(body: &str) -> Result<Info, String> {
    let doc = Json::parse(body).map_err(|e| e.to_string())?;
    let o = doc.obj();
    match (o.opt_str("name"), o.opt_str("version")) {
        (Some(name), Some(version)) => Ok(Info { name, version }),
        _ => Err("the server information is incomplete".into()),
    }
}

/// What a screen request gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The next (or current) screen.
    Screen(Box<Screen>),
    /// 409: another tab answered first; this is the current screen.
    Stale(Box<Screen>),
    /// A special command left the interview (`{"command": "exit", "url": "/list"}`).
    Redirect(String),
}

/// Turns an HTTP status and body into a [`Reply`] or a message for a person.
pub fn interpret(status: u16, content_type: &str, body: &str) -> Result<Reply, String> {
    let json = content_type.contains("json") || body.trim_start().starts_with('{');
    if (200..300).contains(&status) || status == 409 {
        if !json {
            return Err(format!(
                "The server sent an unexpected reply (HTTP {status})."
            ));
        }
        let doc =
            Json::parse(body).map_err(|e| format!("the server sent an unreadable screen: {e}"))?;
        let o = doc.obj();
        if let (Some(command), None) = (o.opt_str("command"), o.get("questionType")) {
            return Ok(Reply::Redirect(o.opt_str("url").unwrap_or_else(|| {
                if command == "leave" || command.starts_with("exit") {
                    "/list".into()
                } else {
                    "/".into()
                }
            })));
        }
        let screen = from_doc(&doc, body)?;
        return Ok(if status == 409 {
            Reply::Stale(Box::new(screen))
        } else {
            Reply::Screen(Box::new(screen))
        });
    }
    if json {
        if let Some(e) = Json::parse(body)
            .ok()
            .and_then(|d| d.obj().opt_str("error"))
        {
            return Err(e);
        }
    }
    Err(match status {
        404 => "The interview could not be found (HTTP 404).".to_string(),
        s if s >= 500 => format!("The server had a problem (HTTP {s})."),
        s => format!("The request was refused (HTTP {s})."),
    })
}

/// The interview's `error help` (HTML) in an error reply, if it has one.
pub fn error_help(body: &str) -> Option<String> {
    Json::parse(body)
        .ok()
        .and_then(|d| d.obj().opt_str("error_help"))
        .filter(|h| !h.trim().is_empty())
}

/// Parses a list document.
pub fn parse_available(body: &str) -> Result<Vec<Available>, String> {
    list_doc(body, Available::from_json)
}

/// Parses the sessions document.
pub fn parse_sessions(body: &str) -> Result<Vec<SessionEntry>, String> {
    list_doc(body, SessionEntry::from_json)
}

/// `GET url`, then `done` with the reply.
pub fn get(url: &str, done: crate::dom::Done) {
    crate::dom::request("GET", url, crate::dom::Body::Empty, None, done);
}

/// A form POST to `url`, then `done` with the reply.
pub fn post_form(url: &str, body: String, done: crate::dom::Done) {
    crate::dom::request("POST", url, crate::dom::Body::Form(body), None, done);
}

/// Reads `GET /api/info`.
pub fn info_of(status: u16, body: &str) -> Result<Info, String> {
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    parse_info(body)
}

/// Reads `GET /list?json=1`.
pub fn available_of(status: u16, body: &str) -> Result<Vec<Available>, String> {
    if !(200..300).contains(&status) {
        return Err(format!(
            "The list of interviews is unavailable (HTTP {status})."
        ));
    }
    parse_available(body)
}

/// Reads `GET /interviews?json=1`.
pub fn sessions_of(status: u16, body: &str) -> Result<Vec<SessionEntry>, String> {
    if !(200..300).contains(&status) {
        return Err(format!("Your interviews are unavailable (HTTP {status})."));
    }
    parse_sessions(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_reply_may_carry_the_interviews_error_help() {
        let body = r#"{"error":"ZeroDivisionError","error_help":"<p>We are sorry.</p>"}"#;
        assert_eq!(error_help(body).as_deref(), Some("<p>We are sorry.</p>"));
        assert_eq!(error_help(r#"{"error":"x"}"#), None);
        assert_eq!(error_help("<html>"), None);
        assert!(interpret(500, "application/json", body).is_err());
    }

    #[test]
    fn info_parses_the_server_document_and_ignores_extra_keys() {
        let info =
            parse_info(r#"{"name":"Colloquy","version":"0.1.0","package_roots":1}"#).unwrap();
        assert!(parse_info(r#"{"name":"Colloquy"}"#).is_err());
        assert!(parse_info("<html>").is_err());
        assert_eq!(info.name, "Colloquy");
        assert_eq!(info.version, "0.1.0");
    }

    #[test]
    fn replies() {
        let screen = r#"{"_question_name":"Q","questionType":"deadend","questionText":"Bye"}"#;
        assert!(matches!(
            interpret(200, "application/json", screen),
            Ok(Reply::Screen(_))
        ));
        assert!(matches!(
            interpret(409, "application/json", screen),
            Ok(Reply::Stale(_))
        ));
        assert_eq!(
            interpret(400, "application/json", r#"{"error":"Bad CSRF token"}"#),
            Err("Bad CSRF token".to_string())
        );
        assert!(interpret(502, "text/html", "<html>").is_err());
        assert_eq!(
            interpret(
                200,
                "application/json",
                r#"{"command":"exit","url":"/list"}"#
            ),
            Ok(Reply::Redirect("/list".into()))
        );
        assert!(interpret(200, "text/html", "<html>").is_err());
    }

    #[test]
    fn lists() {
        let a = parse_available(r#"{"interviews":[{"title":"T","i":"a:b.yml"}]}"#).unwrap();
        assert_eq!(a[0].i, "a:b.yml");
        let s = parse_sessions(
            r#"{"interviews":[{"i":"a:b.yml","title":"T","session":"s1","modified":"2024-01-01T00:00:00Z","steps":3}]}"#,
        )
        .unwrap();
        assert_eq!(s[0].steps, Some(3));
    }
}
