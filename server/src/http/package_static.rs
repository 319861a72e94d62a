//! `GET /packagestatic/{package}/{path}`: a package's static files (`data/static/` under the
//! package's folder in a packages root), which `[FILE docassemble.demo:data/static/x.png]`,
//! `static_image()` and `url_of()` point at, as docassemble's `/packagestatic` does.

use std::path::{Path as FsPath, PathBuf};

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::AppState;

/// Serves the file, or 404 "File not found" for a name that is not a package's static file.
pub async fn serve(
    State(state): State<AppState>,
    Path((package, path)): Path<(String, String)>,
    req: Request,
) -> Response {
    let Some(file) = locate(&state.config().packages, &package, &path) else {
        return (StatusCode::NOT_FOUND, "File not found").into_response();
    };
    let mut resp = match ServeFile::new(file).oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    let h = resp.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// The file `path` of `package`'s `data/static/` in the first root that has it; `None` for a
/// malformed name, a name that leaves the folder (`..`, links pointing out) or no such file.
pub fn locate(roots: &[PathBuf], package: &str, path: &str) -> Option<PathBuf> {
    let package_ok = !package.is_empty()
        && package
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let path_ok = !path.is_empty()
        && path.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ' '))
        });
    if !package_ok || !path_ok {
        return None;
    }
    roots.iter().find_map(|root| {
        let mut folder = root.clone();
        folder.extend(package.split('.'));
        folder.push("data");
        folder.push("static");
        let file = folder.join(path);
        inside(&folder, &file).then_some(file)
    })
}

/// `file` is a regular file whose real path lies under `folder`'s real path.
fn inside(folder: &FsPath, file: &FsPath) -> bool {
    match (folder.canonicalize(), file.canonicalize()) {
        (Ok(dir), Ok(f)) => f.starts_with(&dir) && f.is_file(),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_static_files_and_refuses_everything_else() {
        let tmp = tempfile::tempdir().unwrap();
        let stat = tmp.path().join("docassemble/demo/data/static");
        std::fs::create_dir_all(stat.join("img")).unwrap();
        std::fs::write(stat.join("img/logo.png"), b"png").unwrap();
        std::fs::write(tmp.path().join("docassemble/demo/data/secret.yml"), b"x").unwrap();
        let roots = vec![tmp.path().to_path_buf()];
        assert_eq!(
            locate(&roots, "docassemble.demo", "img/logo.png"),
            Some(stat.join("img/logo.png"))
        );
        for (pkg, path) in [
            ("docassemble.demo", "../secret.yml"),
            ("docassemble.demo", "img/../../secret.yml"),
            ("docassemble.demo", "/etc/passwd"),
            ("docassemble.demo", "img"),
            ("docassemble.demo", "missing.png"),
            ("docassemble..demo", "img/logo.png"),
            ("docassemble/demo", "img/logo.png"),
            ("", "img/logo.png"),
            ("docassemble.demo", "img\\logo.png"),
        ] {
            assert_eq!(locate(&roots, pkg, path), None, "{pkg} {path}");
        }
    }
}
