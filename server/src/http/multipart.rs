//! `multipart/form-data` bodies (parsed with `multer`): text parts and file parts.
//!
//! The whole body is already bounded by `max_upload_bytes` (413 above it) before it gets here,
//! so parts are read into memory.

use axum::body::Bytes;

use super::error::ApiError;

/// One file part: `<input type="file" name="…">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The part's name (an encoded variable name in docassemble's protocol).
    pub name: String,
    /// The file name the browser sent (unsanitised; may be empty for "no file chosen").
    pub filename: String,
    /// The media type the browser declared, if any.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Bytes,
}

/// A parsed form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// `name=value` text parts, in order.
    pub pairs: Vec<(String, String)>,
    /// File parts, in order.
    pub files: Vec<FilePart>,
}

/// Parses a multipart body into its text and file parts.
pub async fn parse(content_type: &str, body: Bytes) -> Result<Form, ApiError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| ApiError::BadRequest(format!("bad multipart content type: {e}")))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut form = Form::default();
    loop {
        let field = mp
            .next_field()
            .await
            .map_err(|e| ApiError::BadRequest(format!("bad multipart body: {e}")))?;
        let Some(field) = field else { break };
        let name = field
            .name()
            .map(str::to_string)
            .ok_or_else(|| ApiError::BadRequest("a multipart part has no name".into()))?;
        if let Some(filename) = field.file_name().map(str::to_string) {
            let content_type = field.content_type().map(|m| m.essence_str().to_string());
            let bytes = field.bytes().await.map_err(|e| {
                ApiError::BadRequest(format!("the file part {name:?} cannot be read: {e}"))
            })?;
            form.files.push(FilePart {
                name,
                filename,
                content_type,
                bytes,
            });
            continue;
        }
        let value = field
            .text()
            .await
            .map_err(|e| ApiError::BadRequest(format!("the part {name:?} is not text: {e}")))?;
        form.pairs.push((name, value));
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn parses_text_parts() {
        let body = Bytes::from_static(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ntwo words\r\n--XyZ--\r\n");
        let form = parse("multipart/form-data; boundary=XyZ", body)
            .await
            .unwrap();
        assert_eq!(
            form.pairs,
            vec![("a".into(), "1".into()), ("b".into(), "two words".into())]
        );
        assert!(form.files.is_empty());
    }

    #[tokio::test]
    async fn parses_file_parts() {
        let body = Bytes::from_static(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ\r\nContent-Disposition: form-data; name=\"g\"; filename=\"\"\r\n\r\n\r\n--XyZ--\r\n");
        let form = parse("multipart/form-data; boundary=XyZ", body)
            .await
            .unwrap();
        assert_eq!(form.pairs, vec![("a".into(), "1".into())]);
        assert_eq!(form.files.len(), 2);
        assert_eq!(form.files[0].name, "f");
        assert_eq!(form.files[0].filename, "x.png");
        assert_eq!(form.files[0].content_type.as_deref(), Some("image/png"));
        assert_eq!(&form.files[0].bytes[..], b"\x89PNG");
        assert_eq!(form.files[1].filename, "");
        assert!(form.files[1].bytes.is_empty());
    }

    #[tokio::test]
    async fn rejects_garbage() {
        assert!(
            parse(
                "multipart/form-data; boundary=X",
                Bytes::from_static(b"nonsense")
            )
            .await
            .is_err()
        );
        assert!(
            parse("multipart/form-data", Bytes::from_static(b"--X\r\n"))
                .await
                .is_err()
        );
    }
}
