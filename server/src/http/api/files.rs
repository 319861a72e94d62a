//! `GET /api/file/<n>`: an uploaded file of a session the caller can open (docassemble's
//! `/api/file/<file_number>`).
//!
//! File numbers are per session on this server (`/uploadedfile/SESSION/N`), so `session`
//! (with `i`, optionally) names the session; without it the caller's sessions — those of the
//! `secret` given, newest first — are searched for file `n`. Opening needs what opening the
//! session needs: its `secret` (or a user's secret from `/api/secret`), nothing for
//! `multi_user` sessions. `extension`/`filename` ask for a sibling file, which exists here
//! only as the file itself (its own extension or name). Anything else is docassemble's
//! `404 File not found`.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ApiRequest, Fail};
use crate::http::AppState;
use crate::http::uploads::{extension, file_response, secure_filename};
use crate::store::{Credentials, SessionId, StoreError, StoredFile};

fn not_found() -> Response {
    let mut resp = (StatusCode::NOT_FOUND, "File not found").into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `GET /api/file/<n>[?i&session&secret&extension|filename]`.
pub async fn file(
    State(state): State<AppState>,
    Path(number): Path<String>,
    req: ApiRequest,
) -> Result<Response, Fail> {
    // docassemble keeps only the digits of the number.
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let Some(number) = digits.parse::<u32>().ok().filter(|n| *n >= 1) else {
        return Ok(not_found());
    };
    let opener = match req.params.text("secret") {
        Some(text) => super::opener_from_text(&state, &text).await?,
        None => None,
    };
    let creds = opener
        .as_ref()
        .map_or_else(Credentials::none, |o| o.creds());
    let interview = match req.params.text("i") {
        Some(i) => Some(crate::interviews::parse_reference(&i)?.to_string()),
        None => None,
    };
    let candidates: Vec<SessionId> = match req.params.text("session") {
        Some(s) => vec![
            s.parse::<SessionId>()
                .map_err(|_| Fail::bad("Invalid session."))?,
        ],
        None => match &opener {
            Some(super::Opener::Secret(_)) => state
                .store()
                .list_sessions(creds, interview.as_deref())
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect(),
            Some(super::Opener::User(login)) => state
                .store()
                .list_user_sessions(login.user.id, interview.as_deref())
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect(),
            None => return Ok(not_found()),
        },
    };
    let mut found: Option<StoredFile> = None;
    for id in candidates {
        if let Some(i) = &interview {
            match state.store().session_holder(&id).await {
                Ok((_, of)) if &of == i => {}
                _ => continue,
            }
        }
        match state.store().load_file(&id, number, creds).await {
            Ok(f) => {
                found = Some(f);
                break;
            }
            Err(
                StoreError::FileNotFound { .. }
                | StoreError::NotFound(_)
                | StoreError::Decrypt { .. }
                | StoreError::SecretRequired(_),
            ) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let Some(file) = found else {
        return Ok(not_found());
    };
    if let Some(ext) = req.params.text("extension") {
        let own = extension(&file.filename).unwrap_or_default();
        if !own.eq_ignore_ascii_case(ext.trim_start_matches('.')) {
            return Ok(not_found());
        }
    } else if let Some(name) = req.params.text("filename") {
        if secure_filename(&name) != secure_filename(&file.filename) {
            return Ok(not_found());
        }
    }
    let mut resp = file_response(file);
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(
            "no-store, no-cache, must-revalidate, post-check=0, pre-check=0, max-age=0",
        ),
    );
    Ok(resp)
}
