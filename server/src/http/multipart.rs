//! `multipart/form-data` bodies (parsed with `multer`): the text parts. File parts are refused
//! until uploads are supported.

use axum::body::Bytes;

use super::error::ApiError;

/// The `name=value` text parts of a multipart body.
pub async fn text_parts(
    content_type: &str,
    body: Bytes,
) -> Result<Vec<(String, String)>, ApiError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| ApiError::BadRequest(format!("bad multipart content type: {e}")))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
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
        if field.file_name().is_some() {
            return Err(ApiError::BadRequest(
                "file uploads are not accepted by this interview endpoint yet".into(),
            ));
        }
        let value = field
            .text()
            .await
            .map_err(|e| ApiError::BadRequest(format!("the part {name:?} is not text: {e}")))?;
        out.push((name, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn parses_text_parts() {
        let body = Bytes::from_static(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ntwo words\r\n--XyZ--\r\n");
        let parts = text_parts("multipart/form-data; boundary=XyZ", body)
            .await
            .unwrap();
        assert_eq!(
            parts,
            vec![("a".into(), "1".into()), ("b".into(), "two words".into())]
        );
    }

    #[tokio::test]
    async fn rejects_garbage() {
        assert!(
            text_parts(
                "multipart/form-data; boundary=X",
                Bytes::from_static(b"nonsense")
            )
            .await
            .is_err()
        );
        assert!(
            text_parts("multipart/form-data", Bytes::from_static(b"--X\r\n"))
                .await
                .is_err()
        );
    }
}
