//! The app's view of the server's public JSON protocol and API. Everything the app does goes
//! through these requests, so any other front end can do the same.

use serde::Deserialize;

use crate::screen::{Screen, parse};

/// `GET /api/info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Info {
    pub name: String,
    pub version: String,
}

/// An entry of `GET /list?json=1`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default)]
pub struct Available {
    pub title: String,
    pub i: String,
    pub subtitle: Option<String>,
}

/// An entry of `GET /interviews?json=1`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default)]
pub struct SessionEntry {
    pub i: String,
    pub title: String,
    pub session: String,
    pub modified: Option<String>,
    pub steps: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default)]
struct ListDoc<T> {
    interviews: Vec<T>,
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

#[derive(Deserialize)]
struct CommandDoc {
    command: String,
    url: Option<String>,
    #[serde(rename = "questionType")]
    question_type: Option<serde_json::Value>,
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
        if let Ok(c) = serde_json::from_str::<CommandDoc>(body) {
            if c.question_type.is_none() {
                return Ok(Reply::Redirect(c.url.unwrap_or_else(|| {
                    if c.command == "leave" || c.command.starts_with("exit") {
                        "/list".into()
                    } else {
                        "/".into()
                    }
                })));
            }
        }
        let screen = parse(body)?;
        return Ok(if status == 409 {
            Reply::Stale(Box::new(screen))
        } else {
            Reply::Screen(Box::new(screen))
        });
    }
    if json {
        #[derive(Deserialize)]
        struct E {
            error: String,
        }
        if let Ok(e) = serde_json::from_str::<E>(body) {
            return Err(e.error);
        }
    }
    Err(match status {
        404 => "The interview could not be found (HTTP 404).".to_string(),
        s if s >= 500 => format!("The server had a problem (HTTP {s})."),
        s => format!("The request was refused (HTTP {s})."),
    })
}

/// Parses a list document.
pub fn parse_available(body: &str) -> Result<Vec<Available>, String> {
    serde_json::from_str::<ListDoc<Available>>(body)
        .map(|d| d.interviews)
        .map_err(|e| e.to_string())
}

/// Parses the sessions document.
pub fn parse_sessions(body: &str) -> Result<Vec<SessionEntry>, String> {
    serde_json::from_str::<ListDoc<SessionEntry>>(body)
        .map(|d| d.interviews)
        .map_err(|e| e.to_string())
}

#[cfg(feature = "csr")]
mod net {
    use gloo_net::http::Request;

    /// `(status, content type, body)` of a GET.
    pub async fn get(url: &str) -> Result<(u16, String, String), String> {
        let resp = Request::get(url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|_| "The server could not be reached. Check your connection.".to_string())?;
        finish(resp).await
    }

    /// `(status, content type, body)` of a form POST.
    pub async fn post_form(url: &str, body: String) -> Result<(u16, String, String), String> {
        let resp = Request::post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body)
            .map_err(|e| e.to_string())?
            .send()
            .await
            .map_err(|_| "The server could not be reached. Check your connection.".to_string())?;
        finish(resp).await
    }

    async fn finish(resp: gloo_net::http::Response) -> Result<(u16, String, String), String> {
        let status = resp.status();
        let ct = resp.headers().get("content-type").unwrap_or_default();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        Ok((status, ct, text))
    }
}

#[cfg(not(feature = "csr"))]
mod net {
    const NO: &str = "the server is only reachable from the browser build";
    pub async fn get(_url: &str) -> Result<(u16, String, String), String> {
        Err(NO.to_string())
    }
    pub async fn post_form(_url: &str, _body: String) -> Result<(u16, String, String), String> {
        Err(NO.to_string())
    }
}

pub use net::{get, post_form};

/// Fetches `GET /api/info`.
pub async fn fetch_info() -> Result<Info, String> {
    let (status, _, body) = get("/api/info").await?;
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

/// Fetches `GET /list?json=1`.
pub async fn fetch_available() -> Result<Vec<Available>, String> {
    let (status, _, body) = get("/list?json=1").await?;
    if !(200..300).contains(&status) {
        return Err(format!(
            "The list of interviews is unavailable (HTTP {status})."
        ));
    }
    parse_available(&body)
}

/// Fetches `GET /interviews?json=1`.
pub async fn fetch_sessions() -> Result<Vec<SessionEntry>, String> {
    let (status, _, body) = get("/interviews?json=1").await?;
    if !(200..300).contains(&status) {
        return Err(format!("Your interviews are unavailable (HTTP {status})."));
    }
    parse_sessions(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_parses_the_server_document_and_ignores_extra_keys() {
        let info: Info =
            serde_json::from_str(r#"{"name":"Colloquy","version":"0.1.0","package_roots":1}"#)
                .unwrap();
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
