//! The app's view of the server's public JSON API.

use serde::Deserialize;

/// `GET /api/info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Info {
    pub name: String,
    pub version: String,
}

/// Fetches `GET /api/info`.
#[cfg(feature = "csr")]
pub async fn fetch_info() -> Result<Info, String> {
    let resp = gloo_net::http::Request::get("/api/info")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    resp.json::<Info>().await.map_err(|e| e.to_string())
}

/// Without a browser (host builds, tests) there is no server to ask.
#[cfg(not(feature = "csr"))]
pub async fn fetch_info() -> Result<Info, String> {
    Err("the API is only reachable from the browser build".to_string())
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
}
