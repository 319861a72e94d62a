//! API parameters: the query string plus a JSON or form body, as one map (docassemble reads
//! both). In forms, lists and dicts are JSON text.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use super::Fail;

/// The parameters of one API request.
#[derive(Debug, Default)]
pub struct Params {
    map: Map<String, Value>,
    /// The names that came from a JSON body (their values are JSON as sent).
    from_json: std::collections::BTreeSet<String>,
}

impl Params {
    /// The query (`a=1&b=2`) and the body (JSON object, urlencoded or multipart form); body
    /// values win over query values of the same name.
    pub async fn read(query: Option<&str>, headers: &HeaderMap, body: Bytes) -> Result<Self, Fail> {
        let mut map = Map::new();
        let mut from_json = std::collections::BTreeSet::new();
        if let Some(q) = query {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                map.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        if !body.is_empty() {
            let raw_ctype = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let ctype = raw_ctype.to_ascii_lowercase();
            if ctype.starts_with("application/json") {
                match serde_json::from_slice::<Value>(&body) {
                    Ok(Value::Object(m)) => {
                        from_json.extend(m.keys().cloned());
                        map.extend(m);
                    }
                    Ok(_) => return Err(Fail::bad("The JSON body must be an object.")),
                    Err(e) => return Err(Fail::bad(format!("The JSON body is malformed: {e}"))),
                }
            } else if ctype.starts_with("multipart/form-data") {
                let form = crate::http::multipart::parse(raw_ctype, body)
                    .await
                    .map_err(Fail::from)?;
                for (k, v) in form.pairs {
                    map.insert(k, Value::String(v));
                }
            } else {
                for (k, v) in form_urlencoded::parse(&body) {
                    map.insert(k.into_owned(), Value::String(v.into_owned()));
                }
            }
        }
        Ok(Params { map, from_json })
    }

    /// A text parameter (numbers and booleans as their text); empty text counts as absent.
    pub fn text(&self, name: &str) -> Option<String> {
        match self.map.get(name)? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
            _ => None,
        }
    }

    /// Every parameter given as text (the query's, a form's, a JSON body's strings).
    pub fn strings(&self) -> Vec<(String, String)> {
        self.map
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect()
    }

    /// A required text parameter.
    pub fn require(&self, name: &str, message: &str) -> Result<String, Fail> {
        self.text(name).ok_or_else(|| Fail::bad(message))
    }

    /// A flag: `1`, `true`, `True`, `yes` (or JSON true) — docassemble's `true_or_false`.
    pub fn flag(&self, name: &str) -> bool {
        match self.map.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
            Some(Value::String(s)) => {
                matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes" | "y"
                )
            }
            _ => false,
        }
    }

    /// Any JSON value: as sent in a JSON body (a string stays a string), parsed from text in
    /// the query or a form (docassemble's `data` of `/api/stash_data`).
    pub fn json_any(&self, name: &str) -> Result<Option<Value>, String> {
        if self.from_json.contains(name) {
            return Ok(self.map.get(name).cloned().filter(|v| !v.is_null()));
        }
        self.json(name)
    }

    /// A JSON parameter: itself in a JSON body, parsed from text in a form; `Err` names it.
    pub fn json(&self, name: &str) -> Result<Option<Value>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| format!("Malformed {name}.")),
            Some(v) => Ok(Some(v.clone())),
        }
    }
}
