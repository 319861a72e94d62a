//! The HTTP slice: health, the info route, static files and the SPA fallback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::TestServer;

#[tokio::test]
async fn health_reports_status_version_and_uptime() {
    let server = TestServer::start().await;
    let resp = reqwest::get(server.url("/health")).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptime_seconds"].is_u64());
    server.stop().await;
}

#[tokio::test]
async fn info_route_names_the_server() {
    let server = TestServer::start_with(vec!["/nonexistent/a".into(), "/b".into()]).await;
    let body: serde_json::Value = reqwest::get(server.url("/api/info"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["name"], "Colloquy");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["package_roots"], 2);
    server.stop().await;
}

#[tokio::test]
async fn static_files_are_served_and_unknown_paths_get_the_app_shell() {
    let server = TestServer::start().await;
    let css = reqwest::get(server.url("/app.css")).await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.text().await.unwrap(), "body { margin: 0 }");

    for path in ["/", "/interview", "/list", "/some/deep/client/route"] {
        let resp = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert!(resp.text().await.unwrap().contains("app shell"), "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn precompressed_assets_are_sent_as_they_are() {
    let server = TestServer::start().await;
    let plain = "body { margin: 0 }";
    // A stand-in for the gzip file of app.css (never decoded here, only compared).
    let gz: &[u8] = b"\x1f\x8bnot really gzip";
    std::fs::write(server.dist.path().join("app.css.gz"), gz).unwrap();
    let client = reqwest::Client::new();
    let resp = client
        .get(server.url("/app.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css"),
        "{:?}",
        resp.headers()
    );
    assert_eq!(resp.bytes().await.unwrap().as_ref(), gz);
    // A client that does not accept gzip gets the file itself.
    let resp = client.get(server.url("/app.css")).send().await.unwrap();
    assert!(resp.headers().get("content-encoding").is_none());
    assert_eq!(resp.text().await.unwrap(), plain);
    server.stop().await;
}

#[tokio::test]
async fn graceful_shutdown_stops_accepting_connections() {
    let server = TestServer::start().await;
    let url = server.url("/health");
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 200);
    server.stop().await;
    assert!(reqwest::get(&url).await.is_err());
}

#[tokio::test]
async fn package_static_files_are_served_and_nothing_else() {
    let root = tempfile::tempdir().unwrap();
    let stat = root.path().join("docassemble/demo/data/static");
    std::fs::create_dir_all(&stat).unwrap();
    std::fs::write(
        stat.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(root.path().join("docassemble/demo/data/secret.yml"), "x: 1").unwrap();
    let server = TestServer::start_with(vec![root.path().to_path_buf()]).await;
    let resp = reqwest::get(server.url("/packagestatic/docassemble.demo/logo.svg"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    assert!(resp.text().await.unwrap().starts_with("<svg"));
    for path in [
        "/packagestatic/docassemble.demo/missing.svg",
        "/packagestatic/docassemble.demo/..%2Fsecret.yml",
        "/packagestatic/docassemble..demo/logo.svg",
    ] {
        let resp = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
    }
    server.stop().await;
}
