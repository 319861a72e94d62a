//! A query-string extractor that reads parameters as Flask's `request.args.get` does: the first
//! value of a repeated name wins (axum's `Query` refuses repeated names with a plain-text 400),
//! names no handler knows are ignored, and a malformed query is a JSON 400 like every other
//! error of the server.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::ApiError;

/// The query string deserialised into `T` (whose fields are `Option<String>`).
#[derive(Debug, Clone, Default)]
pub struct FirstQuery<T>(pub T);

/// `name → first value` of a query string.
pub fn first_values(query: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        map.entry(k.into_owned())
            .or_insert_with(|| Value::String(v.into_owned()));
    }
    map
}

impl<T, S> FromRequestParts<S> for FirstQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let map = first_values(parts.uri.query().unwrap_or(""));
        serde_json::from_value(Value::Object(map))
            .map(FirstQuery)
            .map_err(|e| ApiError::BadRequest(format!("the query string is not valid: {e}")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Q {
        json: Option<String>,
        i: Option<String>,
    }

    #[test]
    fn the_first_of_repeated_names_wins() {
        let map = first_values("json=1&json=2&i=a%3Ab&other=x");
        let q: Q = serde_json::from_value(Value::Object(map)).unwrap();
        assert_eq!(q.json.as_deref(), Some("1"));
        assert_eq!(q.i.as_deref(), Some("a:b"));
    }

    #[test]
    fn undecodable_bytes_are_replaced_not_refused() {
        let map = first_values("i=%ff%fe&json");
        assert_eq!(map["json"], Value::String(String::new()));
        assert!(map["i"].as_str().unwrap().contains('\u{fffd}'));
    }
}
