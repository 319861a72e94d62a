//! `GET /api/interview_data?i=` (admins and developers): what docassemble's Playground shows
//! of an interview's variables, as `{"names": {"var_list": [...]}, "vocabulary": [...]}`.
//!
//! Each `var_list` entry is `{var, to_insert, hide, var_type}` (plus `var_base`, the name with
//! indices written `[i]`, `[j]`…, when it differs), for every variable a block of the
//! interview defines, sorted; `hide` is true for attributes and items of another listed name.
//! docassemble's other keys (functions, classes, modules, documentation) are not given.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::Response;
use serde_json::{Value, json};

use super::{ApiRequest, Fail, ok_json};
use crate::accounts::Role;
use crate::http::AppState;
use crate::http::engine_task::with_engine;
use crate::interviews;

/// The part of a name before its first `.` or `[`.
fn parent(var: &str) -> &str {
    var.split(['.', '[']).next().unwrap_or(var)
}

/// The `var_list` entries of `names` (sorted).
fn var_list(names: &BTreeSet<String>) -> Vec<Value> {
    names
        .iter()
        .map(|var| {
            let mut info = json!({
                "var": var,
                "to_insert": var,
                "hide": parent(var) != var,
                "var_type": "default",
            });
            let base = engine::run::headless::generalise(var);
            if &base != var {
                info["var_base"] = json!(base);
            }
            info
        })
        .collect()
}

/// `GET /api/interview_data`.
pub async fn interview_data(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    if !caller.has_role(&[Role::Admin, Role::Developer]) {
        return Err(Fail::denied());
    }
    let i = params.require("i", "No filename supplied.")?;
    let reference = interviews::parse_reference(&i)
        .map_err(|e| Fail::bad(format!("Error finding interview: {e}")))?;
    let names = with_engine(&state, reference, true, None, |run| {
        let iv = run.interview;
        let names: BTreeSet<String> = iv
            .defined_variables()
            .chain(iv.generic_variables())
            .map(str::to_string)
            .collect();
        Ok::<_, crate::http::ApiError>(names)
    })
    .await
    .map_err(|e| Fail::bad(format!("Error finding interview: {e}")))?;
    let vocabulary: BTreeSet<&str> = names
        .iter()
        .map(|n| parent(n))
        .chain(names.iter().map(String::as_str))
        .collect();
    Ok(ok_json(json!({
        "names": {"var_list": var_list(&names)},
        "vocabulary": vocabulary,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_say_what_docassemble_says() {
        let names: BTreeSet<String> = ["people", "people[0].name", "x.age"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let list = var_list(&names);
        assert_eq!(
            list[0],
            json!({"var": "people", "to_insert": "people", "hide": false, "var_type": "default"})
        );
        assert_eq!(list[1]["hide"], json!(true));
        assert_eq!(list[1]["var_base"], json!("people[i].name"));
        assert!(list[2].get("var_base").is_none());
    }
}
