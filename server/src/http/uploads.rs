//! File uploads (protocol spec §3.8) and `GET /uploadedfile/{session}/{number}`.
//!
//! * Multipart: `_files` is `encode(json([encoded variable, …]))`; the file parts are named by
//!   the encoded variable and are only taken when that name is also listed in `_visible`
//!   (docassemble's `if orig_file_field not in raw_visible_fields: continue`).
//! * Inline: `_files_inline` is `encode(json({"keys": [encoded variable], "values": {encoded
//!   variable: [{"name", "size", "type", "content": "data:…;base64,…"}]}}))`, not gated by
//!   `_visible`.
//!
//! Every file is checked before it is stored: its media type is decided from its extension
//! (the browser's claim is only used when the extension says nothing), active content (HTML,
//! SVG, JavaScript, XML, Flash) is always refused with 415, and the type must match the field's
//! `accept` list or, without one, a conservative default list (images, PDF, plain text/CSV,
//! office documents, audio, video, zip). The file is then sealed with the session's data key in
//! the `files` table (see [`crate::store::Store::save_file`]).
//!
//! Downloads need what opening the session needs (the `secret` cookie, or nothing for a
//! server-held `multi_user` session), are never cached, carry `X-Content-Type-Options: nosniff`
//! and a `default-src 'none'` CSP, and are served `attachment` unless they are an image or a
//! PDF whose bytes really start like one.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::error::ApiError;
use super::interview::SECRET_COOKIE;
use crate::store::{Credentials, Secret, SessionId};

/// Datatypes whose fields take files.
pub const FILE_DATATYPES: &[&str] = &[
    "file",
    "files",
    "camera",
    "user",
    "environment",
    "camcorder",
    "microphone",
    // A drawn signature arrives as a PNG (`_the_image`).
    "signature",
];

/// Media types never accepted: a browser would run them if they were ever served inline.
const ACTIVE_TYPES: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "text/ecmascript",
    "text/xml",
    "application/xml",
    "text/xsl",
    "application/xslt+xml",
    "application/x-shockwave-flash",
    "application/hta",
    "text/x-component",
    "application/vnd.wap.xhtml+xml",
    "multipart/x-mixed-replace",
];

/// Extensions never accepted, whatever type is claimed.
const ACTIVE_EXTENSIONS: &[&str] = &[
    "html", "htm", "shtml", "xhtml", "xht", "svg", "svgz", "js", "mjs", "xml", "xsl", "xslt",
    "swf", "hta", "htc", "mht", "mhtml",
];

/// Known extensions and their media types.
const TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("jpe", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("bmp", "image/bmp"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("heic", "image/heic"),
    ("heif", "image/heif"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("text", "text/plain"),
    ("log", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("rtf", "application/rtf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("zip", "application/zip"),
    ("json", "application/json"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("ogg", "audio/ogg"),
    ("oga", "audio/ogg"),
    ("m4a", "audio/mp4"),
    ("webm", "video/webm"),
    ("mp4", "video/mp4"),
    ("m4v", "video/mp4"),
    ("mov", "video/quicktime"),
];

/// The default accept list when a field has no `accept`.
fn default_accepted(mimetype: &str) -> bool {
    mimetype.starts_with("image/")
        || mimetype.starts_with("audio/")
        || mimetype.starts_with("video/")
        || matches!(
            mimetype,
            "application/pdf"
                | "text/plain"
                | "text/csv"
                | "text/markdown"
                | "text/tab-separated-values"
                | "application/rtf"
                | "application/msword"
                | "application/vnd.ms-excel"
                | "application/vnd.ms-powerpoint"
                | "application/zip"
                | "application/json"
        )
        || mimetype.starts_with("application/vnd.openxmlformats-officedocument.")
        || mimetype.starts_with("application/vnd.oasis.opendocument.")
}

/// A file's extension, lower-cased, if it has one.
pub fn extension(filename: &str) -> Option<String> {
    let (stem, ext) = filename.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// werkzeug's `secure_filename`, roughly: ASCII letters, digits, `.`, `_`, `-`; spaces become
/// `_`; no path, no leading dots; `file` when nothing is left.
pub fn secure_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out: String = base
        .chars()
        .filter_map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-' => Some(c),
            ' ' => Some('_'),
            _ => None,
        })
        .collect();
    while out.starts_with('.') || out.starts_with('_') {
        out.remove(0);
    }
    out.truncate(200);
    if out.is_empty() || out.chars().all(|c| c == '.') {
        "file".to_string()
    } else {
        out
    }
}

/// The field's `accept` modifier (`"image/*,.pdf"`; docassemble evaluates it as Python, so a
/// quoted string literal is unquoted) as a list of patterns.
pub fn accept_patterns(accept: &str) -> Vec<String> {
    let t = accept.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| t.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(t);
    t.split(',')
        .map(|p| p.trim().to_ascii_lowercase())
        .filter(|p| !p.is_empty())
        .collect()
}

fn accepted_by(patterns: &[String], mimetype: &str, ext: Option<&str>) -> bool {
    patterns.iter().any(|p| {
        if p == "*/*" || p == "*" {
            true
        } else if let Some(e) = p.strip_prefix('.') {
            ext == Some(e)
        } else if let Some(major) = p.strip_suffix("/*") {
            mimetype.split('/').next() == Some(major)
        } else {
            p == mimetype
        }
    })
}

/// Decides a file's media type, or refuses it (415).
pub fn decide_type(
    filename: &str,
    declared: Option<&str>,
    accept: Option<&[String]>,
) -> Result<String, ApiError> {
    let ext = extension(filename);
    let declared = declared
        .map(|d| {
            d.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|d| !d.is_empty());
    let refuse = |what: &str| {
        ApiError::UnsupportedMediaType(format!(
            "{filename:?}: {what} files cannot be uploaded (active content)"
        ))
    };
    if let Some(e) = ext.as_deref().filter(|e| ACTIVE_EXTENSIONS.contains(e)) {
        return Err(refuse(&format!(".{e}")));
    }
    if let Some(d) = declared.as_deref().filter(|d| ACTIVE_TYPES.contains(d)) {
        return Err(refuse(d));
    }
    let known = ext
        .as_deref()
        .and_then(|e| TYPES.iter().find(|(x, _)| *x == e))
        .map(|(_, t)| (*t).to_string());
    let mimetype = known
        .or(declared)
        .unwrap_or_else(|| "application/octet-stream".to_string());
    if ACTIVE_TYPES.contains(&mimetype.as_str()) || mimetype.contains("script") {
        return Err(refuse(&mimetype));
    }
    let ok = match accept {
        Some(patterns) if !patterns.is_empty() => accepted_by(patterns, &mimetype, ext.as_deref()),
        _ => default_accepted(&mimetype),
    };
    if !ok {
        return Err(ApiError::UnsupportedMediaType(format!(
            "{filename:?} ({mimetype}) is not a file type this field accepts"
        )));
    }
    Ok(mimetype)
}

/// Do the bytes start the way files of `mimetype` do? (Only types served inline are checked.)
fn looks_like(mimetype: &str, bytes: &[u8]) -> bool {
    match mimetype {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        "image/gif" => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "image/bmp" => bytes.starts_with(b"BM"),
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// One entry of `_files_inline`.
#[derive(Debug, Deserialize)]
pub struct InlineFile {
    /// The file name.
    #[serde(default)]
    pub name: String,
    /// The declared media type.
    #[serde(default, rename = "type")]
    pub mimetype: Option<String>,
    /// `data:<type>;base64,<bytes>`.
    #[serde(default)]
    pub content: String,
}

/// `_files_inline` decoded.
#[derive(Debug, Default, Deserialize)]
pub struct InlineFiles {
    /// The encoded variables, in order.
    #[serde(default)]
    pub keys: Vec<String>,
    /// The files of each.
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, Vec<InlineFile>>,
}

/// The bytes of a data URL (after the first comma; base64 when marked `;base64`).
pub fn data_url_bytes(url: &str) -> Result<Vec<u8>, ApiError> {
    let (meta, data) = url
        .split_once(',')
        .ok_or_else(|| ApiError::BadRequest("an inline file is not a data: URL".into()))?;
    if meta.ends_with(";base64") {
        let clean: String = data.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(clean.trim_end_matches('=').as_bytes())
            .map_err(|_| ApiError::BadRequest("an inline file's base64 is malformed".into()))
    } else {
        Ok(form_urlencoded::parse(format!("x={data}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned().into_bytes())
            .unwrap_or_default())
    }
}

/// What the engine gets as the value of a file field until it builds `DAFileList`s itself:
/// docassemble's `DAFileList(var, elements=[DAFile(var[0], filename, number, mimetype,
/// extension)])` as JSON text.
pub fn descriptor(
    var: &str,
    session: &SessionId,
    files: &[(u32, String, String, usize)],
) -> String {
    let elements: Vec<serde_json::Value> = files
        .iter()
        .enumerate()
        .map(|(i, (number, filename, mimetype, size))| {
            json!({
                "_class": "DAFile",
                "instanceName": format!("{var}[{i}]"),
                "number": number,
                "filename": filename,
                "extension": extension(filename).unwrap_or_default(),
                "mimetype": mimetype,
                "size": size,
                "session": session.as_str(),
                "url": format!("/uploadedfile/{}/{number}", session.as_str()),
            })
        })
        .collect();
    json!({"_class": "DAFileList", "instanceName": var, "elements": elements}).to_string()
}

/// `GET /uploadedfile/{session}/{number}`.
pub async fn download(
    State(state): State<AppState>,
    Path((session, number)): Path<(String, String)>,
    viewer: super::account::Viewer,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    serve_file(&state, &session, &number, &jar, &viewer).await
}

/// `GET /uploadedfile/{session}/{number}/{filename}` (the name is decoration).
pub async fn download_named(
    State(state): State<AppState>,
    Path((session, number, _name)): Path<(String, String, String)>,
    viewer: super::account::Viewer,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    serve_file(&state, &session, &number, &jar, &viewer).await
}

async fn serve_file(
    state: &AppState,
    session: &str,
    number: &str,
    jar: &CookieJar,
    viewer: &super::account::Viewer,
) -> Result<Response, ApiError> {
    let id: SessionId = session
        .parse()
        .map_err(|_| ApiError::BadRequest("not a valid session id".into()))?;
    let number: u32 = number
        .split('.')
        .next()
        .unwrap_or("")
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::BadRequest("not a valid file number".into()))?;
    let secret = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok());
    let creds = match &secret {
        Some(s) => Credentials::secret(s),
        None => Credentials::none(),
    }
    .with_user(viewer.creds());
    let file = state.store().load_file(&id, number, creds).await?;
    Ok(file_response(file))
}

/// An uploaded file as a download: its type, `nosniff`, `no-store`, a sandboxing CSP (not
/// for PDF), `inline` only for an image or PDF whose bytes really are one.
pub fn file_response(file: crate::store::StoredFile) -> Response {
    let inline = looks_like(&file.mimetype, &file.bytes);
    let mut resp = file.bytes.into_response();
    let h = resp.headers_mut();
    let ctype = if file.mimetype.starts_with("text/") {
        format!("{}; charset=utf-8", file.mimetype)
    } else {
        file.mimetype.clone()
    };
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ctype)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    let disposition = format!(
        "{}; filename=\"{}\"",
        if inline { "inline" } else { "attachment" },
        secure_filename(&file.filename)
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
    if file.mimetype != "application/pdf" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_decided_from_the_extension_and_checked() {
        assert_eq!(decide_type("a.PNG", None, None).unwrap(), "image/png");
        assert_eq!(
            decide_type("a.pdf", Some("text/html"), None)
                .unwrap_err()
                .to_string(),
            "\"a.pdf\": text/html files cannot be uploaded (active content)"
        );
        assert!(decide_type("x.html", Some("image/png"), None).is_err());
        assert!(decide_type("x.svg", None, None).is_err());
        assert!(decide_type("x", Some("image/svg+xml"), None).is_err());
        assert!(decide_type("x", Some("application/javascript"), None).is_err());
        assert!(decide_type("x.exe", None, None).is_err());
        assert_eq!(
            decide_type("x", Some("image/png"), None).unwrap(),
            "image/png"
        );
        let pdf_only = accept_patterns("'application/pdf'");
        assert!(decide_type("a.png", None, Some(&pdf_only)).is_err());
        assert!(decide_type("a.pdf", None, Some(&pdf_only)).is_ok());
        let images = accept_patterns("\"image/*, .txt\"");
        assert!(decide_type("a.jpg", None, Some(&images)).is_ok());
        assert!(decide_type("a.txt", None, Some(&images)).is_ok());
        assert!(decide_type("a.pdf", None, Some(&images)).is_err());
        let any = accept_patterns("*/*");
        assert!(decide_type("a.bin", None, Some(&any)).is_ok());
        assert!(decide_type("a.htm", None, Some(&any)).is_err());
    }

    #[test]
    fn filenames_are_made_safe() {
        assert_eq!(secure_filename("../../etc/passwd"), "passwd");
        assert_eq!(secure_filename("C:\\x\\my file.pdf"), "my_file.pdf");
        assert_eq!(secure_filename("\"quoted\";.png"), "quoted.png");
        assert_eq!(secure_filename("..."), "file");
        assert_eq!(secure_filename(".bashrc"), "bashrc");
        assert_eq!(secure_filename("ünï.txt"), "n.txt");
    }

    #[test]
    fn data_urls() {
        assert_eq!(
            data_url_bytes("data:text/plain;base64,aGk=").unwrap(),
            b"hi"
        );
        assert_eq!(data_url_bytes("data:text/plain;base64,aGk").unwrap(), b"hi");
        assert_eq!(data_url_bytes("data:text/plain,a%20b").unwrap(), b"a b");
        assert!(data_url_bytes("data:text/plain;base64,!!!").is_err());
        assert!(data_url_bytes("nope").is_err());
    }

    #[test]
    fn magic_bytes() {
        assert!(looks_like("image/png", b"\x89PNG\r\n\x1a\nrest"));
        assert!(!looks_like("image/png", b"<html>"));
        assert!(looks_like("application/pdf", b"%PDF-1.7"));
        assert!(!looks_like("text/plain", b"hello"));
    }
}
