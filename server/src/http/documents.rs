//! `GET /document/{filename}.{ext}?i=…&a=…[&session=…]`: the file of an attachment, made on
//! request (see [`crate::documents`]). `a` is the attachment's position on the screen
//! waiting in the session, or the `variable name` it was stored in. The session is the one
//! `session=` names or the browser's session of `i`; opening it needs what opening the
//! session needs (the `secret` cookie, or a signed-in owner), as for uploaded files.
//!
//! Also the zip of `_download_attachments=1` (a POST to `/interview`).

use crate::http::first_query::FirstQuery;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use documents::Format;
use documents::image::Images;
use engine::run::{Engine, SessionState};
use serde::Deserialize;

use super::AppState;
use super::engine_task::{decode_state, with_engine};
use super::error::ApiError;
use super::interview::{InterviewQuery, SECRET_COOKIE, session_of};
use crate::documents::{self as docs, MakeError};
use crate::interviews;
use crate::store::{Credentials, Secret};

/// Query parameters of `/document/…`.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentQuery {
    /// The interview.
    pub i: Option<String>,
    /// The session (else the browser's session of `i`).
    pub session: Option<String>,
    /// Which document: a position on the waiting screen (`0`), or a variable name.
    pub a: Option<String>,
}

impl From<MakeError> for ApiError {
    fn from(e: MakeError) -> Self {
        match e {
            MakeError::NotOffered { .. } => ApiError::NotFound(e.to_string()),
            other => ApiError::Document(other.to_string()),
        }
    }
}

/// Is `key` a variable path (`doc`, `docs[0]`, `a.b['x']`) rather than code?
fn is_variable(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        && key.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '\'' | '"' | ' ' | '-')
        })
}

/// The waiting screen's documents, or the one in variable `key`.
fn find(
    eng: &Engine<'_>,
    st: &SessionState,
    key: &str,
) -> Result<engine::run::attachments::ScreenAttachment, ApiError> {
    if let Ok(n) = key.parse::<usize>() {
        return st
            .internal
            .pending
            .as_ref()
            .and_then(|p| p.screen.attachments.get(n))
            .cloned()
            .ok_or_else(|| ApiError::NotFound(format!("the screen has no document {n}")));
    }
    if !is_variable(key) {
        return Err(ApiError::BadRequest(format!(
            "{key:?} is neither a document number nor a variable name"
        )));
    }
    eng.stored_attachment(st, key)
        .ok_or_else(|| ApiError::NotFound(format!("{key} holds no document")))
}

/// `GET /document/{filename}`.
pub async fn download(
    State(state): State<AppState>,
    Path(name): Path<String>,
    FirstQuery(q): FirstQuery<DocumentQuery>,
    viewer: super::account::Viewer,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .ok_or_else(|| ApiError::BadRequest("the file name has no extension".into()))?;
    let format = Format::parse(ext)
        .ok_or_else(|| ApiError::NotFound(format!("documents are not made as .{ext}")))?;
    let i =
        q.i.clone()
            .ok_or_else(|| ApiError::BadRequest("the i parameter is required".into()))?;
    let reference = interviews::parse_reference(&i)?;
    let iq = InterviewQuery {
        i: Some(i),
        session: q.session.clone(),
        ..InterviewQuery::default()
    };
    let id = session_of(&iq, &jar, &reference.to_string())?
        .ok_or_else(|| ApiError::NotFound("there is no session for this interview".into()))?;
    let secret = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok());
    let creds = match &secret {
        Some(s) => Credentials::secret(s),
        None => Credentials::none(),
    }
    .with_user(viewer.creds());
    let step = state
        .store()
        .latest_step_of(&id, &reference.to_string(), creds)
        .await?;
    let key = q.a.clone().unwrap_or_else(|| "0".into());
    let att = with_engine(
        &state,
        reference.clone(),
        true,
        Some(step.state.clone()),
        move |run| find(&run.engine, &run.state, &key),
    )
    .await?;
    let images = images_of(&state, &id, creds, &docs::image_refs(&att)).await;
    let made = with_engine(&state, reference, true, Some(step.state), move |run| {
        Ok::<_, ApiError>(docs::make(
            run.interview,
            || run.engine.document_context(&run.state),
            &att,
            format,
            &images,
        )?)
    })
    .await?;
    Ok(file_response(made.bytes, made.mimetype, &made.filename))
}

/// The session's uploaded images named by `refs` (file numbers, or the session's own
/// `/uploadedfile/SESSION/N/name` URLs an upload shows itself by); others are left out.
async fn images_of(
    state: &AppState,
    session: &crate::store::SessionId,
    creds: Credentials<'_>,
    refs: &[String],
) -> Images {
    let mut out = Images::new();
    for r in refs {
        let Some(n) = upload_number(r, session) else {
            continue;
        };
        if let Ok(f) = state.store().load_file(session, n, creds).await {
            if matches!(f.mimetype.as_str(), "image/png" | "image/jpeg") {
                out.insert(r.clone(), f.bytes);
            }
        }
    }
    out
}

/// The file number a `[FILE …]` reference names: `3`, or `/uploadedfile/SESSION/3[/name]` of
/// this session.
fn upload_number(r: &str, session: &crate::store::SessionId) -> Option<u32> {
    if let Ok(n) = r.parse::<u32>() {
        return Some(n);
    }
    let rest = r.strip_prefix("/uploadedfile/")?;
    let mut parts = rest.split('/');
    (parts.next()? == session.as_str()).then_some(())?;
    parts.next()?.parse().ok()
}

/// The documents of a waiting screen, with the uploaded images they show.
struct Waiting {
    attachments: Vec<engine::run::attachments::ScreenAttachment>,
    images: Images,
    /// The question allows e-mailing them.
    emailing: bool,
}

/// The documents of the screen waiting in `state_bytes`, if it has any.
async fn waiting_documents(
    state: &AppState,
    session: &crate::store::SessionId,
    creds: Credentials<'_>,
    state_bytes: &[u8],
) -> Result<Option<Waiting>, ApiError> {
    let st = decode_state(state_bytes)?;
    let Some(pending) = st.internal.pending.as_ref() else {
        return Ok(None);
    };
    let attachments = pending.screen.attachments.clone();
    if attachments.is_empty() {
        return Ok(None);
    }
    let mut refs = Vec::new();
    for a in &attachments {
        refs.extend(docs::image_refs(a));
    }
    let images = images_of(state, session, creds, &refs).await;
    Ok(Some(Waiting {
        attachments,
        images,
        emailing: pending.screen.allow_emailing,
    }))
}

/// The zip of every document of the screen waiting in `state_bytes` (of `session`, opened
/// with `creds`).
pub async fn bundle(
    state: &AppState,
    reference: engine::FileRef,
    session: &crate::store::SessionId,
    creds: Credentials<'_>,
    state_bytes: Vec<u8>,
) -> Result<Response, ApiError> {
    let Some(waiting) = waiting_documents(state, session, creds, &state_bytes).await? else {
        return Err(ApiError::NotFound("the screen has no documents".into()));
    };
    let (atts, images) = (waiting.attachments, waiting.images);
    let zip = with_engine(state, reference, true, Some(state_bytes), move |run| {
        Ok::<_, ApiError>(docs::bundle(
            run.interview,
            || run.engine.document_context(&run.state),
            &atts,
            &images,
        )?)
    })
    .await?;
    Ok(file_response(zip, "application/zip", "documents.zip"))
}

/// E-mails every document of the screen waiting in `state_bytes` to `address` (docassemble's
/// `_email_attachments`); what the user is told.
pub async fn email(
    state: &AppState,
    reference: engine::FileRef,
    session: &crate::store::SessionId,
    creds: Credentials<'_>,
    state_bytes: Vec<u8>,
    address: &str,
) -> Result<String, ApiError> {
    let address = address.trim();
    if address.parse::<lettre::Address>().is_err() {
        return Err(ApiError::BadRequest(format!(
            "{address:?} is not an e-mail address"
        )));
    }
    let waiting = waiting_documents(state, session, creds, &state_bytes).await?;
    let Some(Waiting {
        attachments: atts,
        images,
        emailing: true,
    }) = waiting
    else {
        return Err(ApiError::BadRequest(
            "the screen has no documents to e-mail".into(),
        ));
    };
    let names: Vec<String> = atts.iter().map(|a| a.name.clone()).collect();
    let files = with_engine(state, reference, true, Some(state_bytes), move |run| {
        Ok::<_, ApiError>(docs::files(
            run.interview,
            || run.engine.document_context(&run.state),
            &atts,
            &images,
        ))
    })
    .await?;
    let plural = names.len() > 1;
    let mail = crate::accounts::Mail {
        to: address.to_string(),
        subject: if plural {
            "Your documents"
        } else {
            "Your document"
        }
        .to_string(),
        body: format!(
            "{} attached:\n\n{}\n",
            if plural {
                "Your documents are"
            } else {
                "Your document is"
            },
            names
                .iter()
                .map(|n| format!("- {}", n.trim()))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        attachments: files
            .into_iter()
            .map(|m| crate::accounts::MailFile {
                filename: m.filename,
                mimetype: m.mimetype.to_string(),
                bytes: m.bytes,
            })
            .collect(),
    };
    state.mailer().send(&mail).await.map_err(|e| {
        tracing::warn!(error = %e, "documents not e-mailed");
        ApiError::Internal(format!("the documents could not be e-mailed: {e}"))
    })?;
    Ok(format!(
        "Your {} e-mailed to {address}.",
        if plural {
            "documents were"
        } else {
            "document was"
        }
    ))
}

fn file_response(bytes: Vec<u8>, mimetype: &str, filename: &str) -> Response {
    let inline = mimetype == "application/pdf" && bytes.starts_with(b"%PDF-");
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    let ctype = if mimetype.starts_with("text/") {
        format!("{mimetype}; charset=utf-8")
    } else {
        mimetype.to_string()
    };
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ctype)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    let disposition = format!(
        "{}; filename=\"{}\"",
        if inline { "inline" } else { "attachment" },
        super::uploads::secure_filename(filename)
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if !inline {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        );
    }
    resp
}

/// Adds docassemble's `url`, `number` and `filename_with_extension` (by format) to the
/// `attachments` of a screen's JSON and removes what only the server needs. A document with a
/// `variable name` is addressed by it (its URL stays valid on later screens), the others by
/// their position on the screen.
pub fn decorate(
    doc: &mut serde_json::Map<String, serde_json::Value>,
    reference: &str,
    session: &str,
) {
    let Some(serde_json::Value::Array(atts)) = doc.get_mut("attachments") else {
        return;
    };
    for (n, a) in atts.iter_mut().enumerate() {
        let Some(a) = a.as_object_mut() else { continue };
        let filename = a
            .get("filename")
            .and_then(|f| f.as_str())
            .filter(|f| !f.is_empty())
            .unwrap_or("document")
            .to_string();
        let formats: Vec<String> = a
            .get("formats")
            .and_then(|f| f.as_array())
            .map(|f| {
                f.iter()
                    .filter_map(|x| x.as_str())
                    .filter(|x| Format::parse(x).is_some())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // A document kept in a variable keeps its URL after the screen is answered.
        let key = a
            .get("variable_name")
            .and_then(|v| v.as_str())
            .filter(|v| is_variable(v))
            .map(str::to_string)
            .unwrap_or_else(|| n.to_string());
        let mut url = serde_json::Map::new();
        let mut number = serde_json::Map::new();
        let mut with_ext = serde_json::Map::new();
        for f in formats {
            let name = format!("{filename}.{f}");
            url.insert(
                f.clone(),
                format!(
                    "/document/{}?i={}&session={}&a={}",
                    engine::run::url_part(&name),
                    engine::run::url_part(reference),
                    engine::run::url_part(session),
                    engine::run::url_part(&key)
                )
                .into(),
            );
            number.insert(f.clone(), n.into());
            with_ext.insert(f, name.into());
        }
        a.insert("url".into(), url.into());
        a.insert("number".into(), number.into());
        a.insert("filename_with_extension".into(), with_ext.into());
        for internal in [
            "fields",
            "template_files",
            "skip_undefined",
            "expressions",
            "editable",
        ] {
            a.remove(internal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_code() {
        assert!(is_variable("my_doc"));
        assert!(is_variable("docs[0]"));
        assert!(is_variable("a.b['x']"));
        assert!(!is_variable("__import__('os')"));
        assert!(!is_variable("0abc"));
        assert!(!is_variable("a;b"));
    }

    #[test]
    fn screens_get_urls() {
        let mut doc = serde_json::json!({"attachments": [
            {"filename": "Letter", "formats": ["pdf", "docx", "tex"], "fields": {"a": 1}},
            {"filename": "Kept", "formats": ["pdf"], "variable_name": "docs[0]"}
        ]})
        .as_object()
        .cloned()
        .unwrap_or_default();
        decorate(&mut doc, "docassemble.x:data/questions/a.yml", "S1");
        let a = &doc["attachments"][0];
        assert_eq!(
            a["url"]["pdf"],
            "/document/Letter.pdf?i=docassemble.x%3Adata%2Fquestions%2Fa.yml&session=S1&a=0"
        );
        assert_eq!(a["filename_with_extension"]["docx"], "Letter.docx");
        assert_eq!(a["number"]["pdf"], 0);
        assert!(a.get("fields").is_none());
        assert!(a["url"].get("tex").is_none());
        assert_eq!(
            doc["attachments"][1]["url"]["pdf"],
            "/document/Kept.pdf?i=docassemble.x%3Adata%2Fquestions%2Fa.yml&session=S1&a=docs%5B0%5D"
        );
    }
}
