//! The fixture server on a small province built in a temp folder: routing by Host, folders,
//! `_headers`, `_redirects`, 404 pages, traversal, unknown hosts, TLS on the same port.

use pantau::fixture::{FixtureError, FixtureServer};
use std::net::SocketAddr;
use std::path::Path;

fn write(root: &Path, rel: &str, body: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
    std::fs::write(path, body).expect("write");
}

/// Two hosts: `a.test.go.id` (TLS, rules) and `b.test.go.id` (`_no_tls`).
fn province() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = dir.path();
    write(r, "a.test.go.id/index.html", "<title>A home</title>");
    write(
        r,
        "a.test.go.id/profil/index.html",
        "<title>A profil</title>",
    );
    write(r, "a.test.go.id/berita/satu.html", "<p>satu</p>");
    write(r, "a.test.go.id/error.html", "<p>galat</p>");
    write(r, "a.test.go.id/hilang.html", "<p>hilang</p>");
    write(r, "a.test.go.id/404.html", "<p>Halaman tidak ditemukan</p>");
    write(r, "a.test.go.id/robots.txt", "User-agent: *\nAllow: /\n");
    write(r, "a.test.go.id/sitemap.xml", "<urlset></urlset>");
    write(
        r,
        "a.test.go.id/_headers",
        "/*\n  X-Frame-Options: DENY\n/berita/*\n  Content-Type: text/html\n  Cache-Control: no-store\n",
    );
    write(
        r,
        "a.test.go.id/_redirects",
        "# rules\n/lama/* /berita/:splat 301\n/keluar https://b.test.go.id/x 302\n/alias /profil/index.html 200\n/layanan/* /error.html 500\n/dihapus /hilang.html 404\n",
    );
    write(r, "b.test.go.id/index.html", "<title>B home</title>");
    write(r, "b.test.go.id/_no_tls", "");
    write(r, "README.md", "not a host");
    write(r, "secret.txt", "outside every host folder");
    dir
}

fn client(server: &FixtureServer) -> reqwest::Client {
    let addr: SocketAddr = server.addr();
    let ca = reqwest::Certificate::from_pem(server.ca_cert_pem().as_bytes()).expect("CA PEM");
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .add_root_certificate(ca)
        .resolve("a.test.go.id", addr)
        .resolve("b.test.go.id", addr)
        .resolve("nobody.test.go.id", addr)
        .build()
        .expect("client")
}

fn url(server: &FixtureServer, host: &str, path: &str) -> String {
    format!("http://{host}:{}{path}", server.addr().port())
}

async fn get(c: &reqwest::Client, u: &str) -> (u16, Vec<(String, String)>, String) {
    let resp = c.get(u).send().await.expect("HTTP answer");
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                v.to_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let body = resp.text().await.expect("body");
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn serves_files_folders_and_rules_by_host() {
    let dir = province();
    let server = FixtureServer::start(dir.path(), 0).await.expect("start");
    assert_eq!(server.hosts(), ["a.test.go.id", "b.test.go.id"]);
    assert!(server.addr().ip().is_loopback());
    let overrides: Vec<String> = server
        .resolve_overrides()
        .iter()
        .map(|r| format!("{}={}", r.host, r.addr))
        .collect();
    let a = server.addr();
    assert_eq!(
        overrides,
        vec![
            format!("a.test.go.id={a}"),
            format!("*.a.test.go.id={a}"),
            format!("b.test.go.id={a}"),
            format!("*.b.test.go.id={a}"),
        ]
    );
    let c = client(&server);

    let (status, headers, body) = get(&c, &url(&server, "a.test.go.id", "/")).await;
    assert_eq!(status, 200);
    assert_eq!(body, "<title>A home</title>");
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header(&headers, "x-frame-options"), Some("DENY"));

    // Host header is matched without port and case-insensitively.
    let resp = c
        .get(url(&server, "a.test.go.id", "/profil/"))
        .header("Host", "A.Test.Go.Id:8080")
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.text().await.expect("body"), "<title>A profil</title>");

    let (status, headers, _) = get(&c, &url(&server, "a.test.go.id", "/profil?x=1")).await;
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location"), Some("/profil/?x=1"));

    let (status, headers, body) = get(&c, &url(&server, "a.test.go.id", "/berita/satu.html")).await;
    assert_eq!((status, body.as_str()), (200, "<p>satu</p>"));
    assert_eq!(header(&headers, "content-type"), Some("text/html"));
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    assert_eq!(header(&headers, "x-frame-options"), Some("DENY"));

    let (status, headers, _) = get(&c, &url(&server, "a.test.go.id", "/sitemap.xml")).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("application/xml"));
    let (_, headers, _) = get(&c, &url(&server, "a.test.go.id", "/robots.txt")).await;
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/plain; charset=utf-8")
    );

    let (status, headers, _) = get(&c, &url(&server, "a.test.go.id", "/lama/satu.html")).await;
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location"), Some("/berita/satu.html"));
    let (status, headers, _) = get(&c, &url(&server, "a.test.go.id", "/lama/satu.html?id=7")).await;
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location"), Some("/berita/satu.html?id=7"));

    // HEAD: same status and length, no body.
    let resp = c
        .head(url(&server, "a.test.go.id", "/berita/satu.html"))
        .send()
        .await
        .expect("HEAD answer");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()
            .get("content-length")
            .map(|v| v.to_str().unwrap_or_default().to_string()),
        Some("11".to_string())
    );
    assert_eq!(resp.text().await.expect("body"), "");
    let resp = c
        .post(url(&server, "a.test.go.id", "/"))
        .send()
        .await
        .expect("POST answer");
    assert_eq!(resp.status().as_u16(), 405);
    let (status, headers, _) = get(&c, &url(&server, "a.test.go.id", "/keluar")).await;
    assert_eq!(status, 302);
    assert_eq!(header(&headers, "location"), Some("https://b.test.go.id/x"));
    let (status, _, body) = get(&c, &url(&server, "a.test.go.id", "/alias")).await;
    assert_eq!((status, body.as_str()), (200, "<title>A profil</title>"));
    let (status, _, body) = get(&c, &url(&server, "a.test.go.id", "/layanan/izin")).await;
    assert_eq!((status, body.as_str()), (500, "<p>galat</p>"));
    let (status, _, body) = get(&c, &url(&server, "a.test.go.id", "/dihapus")).await;
    assert_eq!((status, body.as_str()), (404, "<p>hilang</p>"));

    let (status, headers, body) = get(&c, &url(&server, "a.test.go.id", "/tidak-ada")).await;
    assert_eq!(
        (status, body.as_str()),
        (404, "<p>Halaman tidak ditemukan</p>")
    );
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    // No 404.html on b: a plain 404.
    let (status, _, body) = get(&c, &url(&server, "b.test.go.id", "/tidak-ada")).await;
    assert_eq!((status, body.as_str()), (404, "404 Not Found\n"));

    // Rule files are never served.
    for hidden in ["/_headers", "/_redirects"] {
        let (status, _, body) = get(&c, &url(&server, "a.test.go.id", hidden)).await;
        assert_eq!(status, 404, "{hidden}");
        assert_eq!(body, "<p>Halaman tidak ditemukan</p>");
    }
    let (status, _, _) = get(&c, &url(&server, "b.test.go.id", "/_no_tls")).await;
    assert_eq!(status, 404);

    server.shutdown().await;
}

/// Raw HTTP/1.1 over TCP, so that paths are sent exactly as written.
async fn raw_request(addr: SocketAddr, host: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    // A reset is an empty answer too.
    let _ = stream.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn traversal_never_leaves_the_host_folder() {
    let dir = province();
    let server = FixtureServer::start(dir.path(), 0).await.expect("start");
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/profil/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let answer = raw_request(server.addr(), "a.test.go.id", path).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(!answer.contains("outside every host folder"), "{path}");
    }
    // An encoded path inside the folder still works.
    let answer = raw_request(server.addr(), "a.test.go.id", "/berita/%73atu.html").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("<p>satu</p>"));
}

#[tokio::test]
async fn unknown_host_gets_no_http_answer() {
    let dir = province();
    let server = FixtureServer::start(dir.path(), 0).await.expect("start");
    let answer = raw_request(server.addr(), "nobody.test.go.id", "/").await;
    assert_eq!(answer, "", "the connection is closed without any bytes");
    let c = client(&server);
    let err = c
        .get(url(&server, "nobody.test.go.id", "/"))
        .send()
        .await
        .expect_err("no HTTP answer");
    assert!(err.status().is_none());
    // The same port still serves known hosts.
    let (status, _, _) = get(&c, &url(&server, "a.test.go.id", "/")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn tls_on_the_same_port_except_for_no_tls_hosts() {
    let dir = province();
    let server = FixtureServer::start(dir.path(), 0).await.expect("start");
    assert!(server
        .ca_cert_pem()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let c = client(&server);
    let port = server.addr().port();

    let resp = c
        .get(format!("https://a.test.go.id:{port}/profil/"))
        .send()
        .await
        .expect("https works");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.text().await.expect("body"), "<title>A profil</title>");

    let err = c
        .get(format!("https://b.test.go.id:{port}/"))
        .send()
        .await
        .expect_err("b has no TLS");
    assert!(err.status().is_none());
    // b still answers plain HTTP on the same port.
    let (status, _, body) = get(&c, &url(&server, "b.test.go.id", "/")).await;
    assert_eq!((status, body.as_str()), (200, "<title>B home</title>"));

    // A client without the CA does not trust the server.
    let untrusting = reqwest::Client::builder()
        .resolve("a.test.go.id", server.addr())
        .build()
        .expect("client");
    assert!(untrusting
        .get(format!("https://a.test.go.id:{port}/"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn drop_stops_the_server() {
    let dir = province();
    let server = FixtureServer::start(dir.path(), 0).await.expect("start");
    let addr = server.addr();
    drop(server);
    // Give the runtime a turn to run the cancellation.
    tokio::task::yield_now().await;
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(refused, "port {addr} still accepts after drop");
}

#[tokio::test]
async fn start_errors_name_the_path() {
    let missing = Path::new("/nonexistent/pantau-fixture");
    let err = FixtureServer::start(missing, 0).await.expect_err("missing");
    assert!(matches!(err, FixtureError::DirMissing { .. }));
    assert_eq!(
        err.to_string(),
        "fixture folder /nonexistent/pantau-fixture does not exist or is not a folder"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "x.go.id/index.html", "x");
    write(
        dir.path(),
        "x.go.id/_headers",
        "/*\n  X-Ok: 1\n  broken line\n",
    );
    let err = FixtureServer::start(dir.path(), 0)
        .await
        .expect_err("bad _headers");
    let file = dir.path().join("x.go.id/_headers");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3: expected an indented `Name: value` header line, found `broken line`",
            file.display()
        )
    );

    let empty = tempfile::tempdir().expect("tempdir");
    let err = FixtureServer::start(empty.path(), 0)
        .await
        .expect_err("no hosts");
    assert!(matches!(err, FixtureError::NoHosts { .. }));
}
