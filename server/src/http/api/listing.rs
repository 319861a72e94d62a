//! Session listings (docassemble's `user_interviews()`): `GET`/`DELETE /api/interviews`
//! (administrators and advocates: every session), `/api/user/interviews` (the key's user),
//! `/api/users/interviews?user_id=` and `/api/user/<id>/interviews`.
//!
//! Filters: `i`, `session`, `tag` (the interview's `metadata: tags`), `query` (docassemble's
//! `DA.Sessions` expressions, see [`super::query`]); pages of 100 with `next_id`.
//! `include_dictionary` adds `dict` (every variable) for the sessions the given `secret` (or
//! the server, for `multi_user` sessions) can decrypt; nothing else is decrypted. `DELETE`
//! deletes every matching session (all pages).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use serde_json::{Value, json};

use super::query::SessionQuery;
use super::{ApiRequest, Fail, no_content, ok_json};
use crate::accounts::Role;
use crate::http::AppState;
use crate::http::engine_task::with_engine;
use crate::interviews::{self, Listed};
use crate::store::listing::{Cursor, ListedSession, SessionFilter};
use crate::store::{Credentials, HolderKind, SessionId, UserId};

/// docassemble's `pagination limit`.
const PAGE: usize = 100;

/// Whose sessions a route lists.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Everyone's.
    All,
    /// One user's.
    User(UserId),
}

/// The filters of a listing request.
struct Request {
    filter: SessionFilter,
    tag: Option<String>,
    query: Option<SessionQuery>,
}

fn read_request(req: &ApiRequest, scope: Scope) -> Result<Request, Fail> {
    let interview = match req.params.text("i") {
        Some(i) => Some(interviews::parse_reference(&i)?.to_string()),
        None => None,
    };
    let session = match req.params.text("session") {
        Some(s) => Some(
            s.parse::<SessionId>()
                .map_err(|_| Fail::bad("Invalid session."))?,
        ),
        None => None,
    };
    let query = match req.params.text("query") {
        Some(q) => Some(
            SessionQuery::parse(&q)
                .map_err(|e| Fail::bad(format!("Invalid query parameter: {e}")))?,
        ),
        None => None,
    };
    let user = match scope {
        Scope::All => None,
        Scope::User(u) => Some(u),
    };
    Ok(Request {
        filter: SessionFilter {
            interview,
            session,
            user,
            after: req.params.text("next_id").and_then(|t| decode_cursor(&t)),
        },
        tag: req.params.text("tag"),
        query,
    })
}

/// `next_id`: the base64url of `<created, in Unix nanoseconds>.<session id>`.
fn encode_cursor(c: &Cursor) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}.{}",
        c.created.unix_timestamp_nanos(),
        c.id
    ))
}

/// docassemble ignores a `next_id` it cannot read (the listing starts at the beginning).
fn decode_cursor(text: &str) -> Option<Cursor> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (nanos, id) = text.split_once('.')?;
    let created = time::OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
    id.parse::<SessionId>().ok()?;
    Some(Cursor {
        created,
        id: id.to_string(),
    })
}

/// Titles and tags of the interviews `refs` (read from their files; those that do not exist
/// are left out: their sessions are not `valid`).
async fn catalogue(state: &AppState, refs: Vec<String>) -> Result<HashMap<String, Listed>, Fail> {
    let roots = crate::interviews::PackageRoots::new(&state.config().packages);
    tokio::task::spawn_blocking(move || {
        use engine::Source as _;
        let mut out = HashMap::new();
        for i in refs {
            if out.contains_key(&i) {
                continue;
            }
            let Ok(r) = interviews::parse_reference(&i) else {
                continue;
            };
            let Ok(text) = roots.read(&r) else {
                continue;
            };
            let meta = interviews::metadata_of(&text);
            let stem = i
                .rsplit(['/', ':'])
                .next()
                .unwrap_or(&i)
                .trim_end_matches(".yml")
                .to_string();
            out.insert(
                i.clone(),
                Listed {
                    i,
                    title: meta.title.unwrap_or(stem),
                    subtitle: meta.subtitle,
                    tags: meta.tags,
                },
            );
        }
        out
    })
    .await
    .map_err(|e| Fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn item_json(s: &ListedSession, meta: Option<&Listed>) -> Value {
    let info = &s.info;
    let mut tags: Vec<String> = meta.map(|m| m.tags.clone()).unwrap_or_default();
    tags.sort();
    json!({
        "filename": info.interview,
        "session": info.id.as_str(),
        "steps": info.steps.get(),
        "starttime": rfc3339(info.created),
        "modtime": rfc3339(info.modified),
        "utc_starttime": rfc3339(info.created),
        "utc_modtime": rfc3339(info.modified),
        "title": meta.map(|m| m.title.clone()),
        "subtitle": meta.and_then(|m| m.subtitle.clone()),
        "metadata": meta.map(|m| json!({"title": m.title, "short title": m.subtitle, "tags": m.tags}))
            .unwrap_or_else(|| json!({})),
        "tags": tags,
        "valid": meta.is_some(),
        "encrypted": info.holder != HolderKind::Server,
        "user_id": s.user_id.map(|u| u.get()),
        "temp_user_id": null,
        "email": s.email,
    })
}

/// One page of matching sessions (after the tag and query filters), the next page's cursor,
/// and the page's interviews.
async fn page(
    state: &AppState,
    r: &Request,
) -> Result<(Vec<ListedSession>, Option<Cursor>, HashMap<String, Listed>), Fail> {
    let (rows, next) = state.store().list_all_sessions(&r.filter, PAGE).await?;
    let catalogue = catalogue(
        state,
        rows.iter().map(|s| s.info.interview.clone()).collect(),
    )
    .await?;
    let kept = rows
        .into_iter()
        .filter(|s| match &r.tag {
            Some(tag) => catalogue
                .get(&s.info.interview)
                .is_some_and(|m| m.tags.iter().any(|t| t == tag)),
            None => true,
        })
        .filter(|s| r.query.as_ref().is_none_or(|q| q.matches(s)))
        .collect();
    Ok((kept, next, catalogue))
}

/// Every variable of `s`, if `creds` (or the server) can open it.
async fn dictionary(state: &AppState, s: &ListedSession, creds: Credentials<'_>) -> Option<Value> {
    let step = state.store().latest_step(&s.info.id, creds).await.ok()?;
    let reference = interviews::parse_reference(&s.info.interview).ok()?;
    with_engine(state, reference, true, Some(step.state), |run| {
        Ok::<_, Fail>(run.engine.variables_json(&run.state))
    })
    .await
    .ok()
}

async fn list(state: &AppState, req: &ApiRequest, scope: Scope) -> Result<Response, Fail> {
    let r = read_request(req, scope)?;
    let include = req.params.flag("include_dictionary");
    let opener = match (include, req.params.text("secret")) {
        (true, Some(text)) => super::opener_from_text(state, &text).await?,
        _ => None,
    };
    let creds = opener
        .as_ref()
        .map_or_else(Credentials::none, |o| o.creds());
    let (rows, next, catalogue) = page(state, &r).await?;
    let mut items = Vec::with_capacity(rows.len());
    for s in &rows {
        let mut item = item_json(s, catalogue.get(&s.info.interview));
        if include {
            if let Some(d) = dictionary(state, s, creds).await {
                item["dict"] = d;
            }
        }
        items.push(item);
    }
    Ok(ok_json(json!({
        "items": items,
        "next_id": next.as_ref().map(encode_cursor),
    })))
}

async fn delete(state: &AppState, req: &ApiRequest, scope: Scope) -> Result<Response, Fail> {
    let mut r = read_request(req, scope)?;
    r.filter.after = None;
    // Every page: the cursor moves past deleted and kept sessions alike.
    loop {
        let (rows, next, _) = page(state, &r).await?;
        for s in &rows {
            state.store().delete_session_unopened(&s.info.id).await?;
        }
        match next {
            Some(c) => r.filter.after = Some(c),
            None => break,
        }
    }
    Ok(no_content())
}

fn privileged(req: &ApiRequest) -> bool {
    req.caller.has_role(&[Role::Admin, Role::Advocate])
}

/// `GET /api/interviews` (administrators, advocates).
pub async fn all_get(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    if !privileged(&req) {
        return Err(Fail::denied());
    }
    list(&state, &req, Scope::All).await
}

/// `DELETE /api/interviews` (administrators, advocates).
pub async fn all_delete(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    if !privileged(&req) {
        return Err(Fail::denied());
    }
    delete(&state, &req, Scope::All).await
}

/// `GET /api/user/interviews`: the key's user's sessions.
pub async fn mine_get(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    let scope = Scope::User(req.caller.id());
    list(&state, &req, scope).await
}

/// `DELETE /api/user/interviews`.
pub async fn mine_delete(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    let scope = Scope::User(req.caller.id());
    delete(&state, &req, scope).await
}

/// The scope of `/api/users/interviews?user_id=` (everyone's without `user_id`).
fn users_scope(req: &ApiRequest) -> Result<Scope, Fail> {
    if !privileged(req) {
        return Err(Fail::denied());
    }
    match req.params.text("user_id") {
        None => Ok(Scope::All),
        Some(t) => t
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| Scope::User(UserId::new(n)))
            .ok_or_else(|| Fail::bad("Invalid user_id.")),
    }
}

/// `GET /api/users/interviews[?user_id=]` (administrators, advocates).
pub async fn users_get(State(state): State<AppState>, req: ApiRequest) -> Result<Response, Fail> {
    let scope = users_scope(&req)?;
    list(&state, &req, scope).await
}

/// `DELETE /api/users/interviews[?user_id=]`.
pub async fn users_delete(
    State(state): State<AppState>,
    req: ApiRequest,
) -> Result<Response, Fail> {
    let scope = users_scope(&req)?;
    delete(&state, &req, scope).await
}

/// The scope of `/api/user/<id>/interviews`: the caller themselves, or anyone for
/// administrators and advocates.
fn user_scope(req: &ApiRequest, id: &str) -> Result<Scope, Fail> {
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(UserId::new)
        .ok_or_else(|| Fail(StatusCode::NOT_FOUND, "User not found.".into()))?;
    if id == req.caller.id() || privileged(req) {
        Ok(Scope::User(id))
    } else {
        Err(Fail::denied())
    }
}

/// `GET /api/user/<id>/interviews`.
pub async fn user_get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiRequest,
) -> Result<Response, Fail> {
    let scope = user_scope(&req, &id)?;
    list(&state, &req, scope).await
}

/// `DELETE /api/user/<id>/interviews`.
pub async fn user_delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiRequest,
) -> Result<Response, Fail> {
    let scope = user_scope(&req, &id)?;
    delete(&state, &req, scope).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_ignored() {
        let c = Cursor {
            created: time::OffsetDateTime::from_unix_timestamp_nanos(1_764_000_000_123_456_000)
                .unwrap(),
            id: "abcdefghijABCDEFGHIJ0123456789xy".into(),
        };
        assert_eq!(decode_cursor(&encode_cursor(&c)), Some(c));
        for bad in ["", "%%%", "MTIz", "eHgueXk"] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }
}
