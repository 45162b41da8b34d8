//! HTTP faults on loopback: first-byte vs total timeouts (drip cut off, steady large download
//! kept), decompression bombs stopped at the cap (gzip, brotli, zlib and raw deflate), content
//! type from the final response and sniffing.

mod fetch_support;

use fetch_support::{settings, url, Reply, TestServer};
use pantau::fetch::{FailureClass, FetchOutcome, FetchedDocument, Fetcher};
use std::io::Write;
use std::time::Duration;

fn document(outcome: FetchOutcome) -> FetchedDocument {
    match outcome {
        FetchOutcome::Document(d) => d,
        other => panic!("expected a document, got {other:?}"),
    }
}

fn failure(outcome: &FetchOutcome) -> (FailureClass, String) {
    match outcome {
        FetchOutcome::Failed(f) => (f.class, f.message.clone()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("zlib");
    e.finish().expect("zlib")
}

fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        w.write_all(data).expect("brotli");
    }
    out
}

#[tokio::test]
async fn drip_feeding_server_is_cut_off_by_the_total_timeout() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html(&"x".repeat(200)).drip(50),
    })
    .await;
    let mut s = settings(server.addr);
    s.timeout = Duration::from_millis(800);
    s.max_retries = 0;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let (class, message) = failure(&fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(class, FailureClass::Timeout);
    assert!(message.contains("whole response"), "{message}");
}

#[tokio::test]
async fn slow_headers_hit_the_first_byte_timeout() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html("<p>akhirnya</p>").delay(1_500),
    })
    .await;
    let mut s = settings(server.addr);
    s.first_byte_timeout = Duration::from_millis(200);
    s.timeout = Duration::from_secs(10);
    s.max_retries = 0;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let (class, message) = failure(&fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(class, FailureClass::Timeout);
    assert!(message.contains("first-byte timeout"), "{message}");
}

#[tokio::test]
async fn steady_large_download_within_budget_is_kept_whole() {
    let body = "<p>data</p>".repeat(300_000); // 3.3 MB
    let len = body.len() as u64;
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html(&body),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_body_bytes = 8 * 1024 * 1024;
    s.first_byte_timeout = Duration::from_secs(5);
    let fetcher = Fetcher::new(s).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(doc.bytes, len);
    assert!(!doc.truncated);
}

/// A page of 200,000 unclosed `<div>`s (1 MB) would hold html5ever for minutes: its text is
/// cut where the nesting passes `MAX_NESTING` and the document is marked truncated (counted
/// `too_large` by the crawl), while the bytes received are all counted.
#[tokio::test]
async fn markup_nested_past_the_cap_is_cut_like_a_body_over_the_cap() {
    let body = format!("<!DOCTYPE html><html><body>{}x", "<div>".repeat(200_000));
    let len = body.len() as u64;
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html(&body),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_body_bytes = 2 * 1024 * 1024;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(doc.bytes, len);
    assert!(doc.truncated);
    assert_eq!(
        doc.text.matches("<div>").count(),
        pantau::fetch::decode::MAX_NESTING
    );
    assert!(doc.text.ends_with("<div>"));
}

/// Serve `encoded` with `Content-Encoding: encoding`, cap 1 MiB, and return the document.
async fn fetch_encoded(encoding: &'static str, encoded: Vec<u8>) -> FetchedDocument {
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .header("content-encoding", encoding)
            .body(&encoded),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    document(fetcher.fetch(&url("http://a.example.go.id/")).await)
}

#[tokio::test]
async fn decompression_bombs_stop_at_the_cap() {
    // 64 MiB of spaces compresses to a few tens of KB.
    let bomb = vec![b' '; 64 * 1024 * 1024];
    let cap = 1024 * 1024;
    for (encoding, encoded) in [
        ("gzip", gzip(&bomb)),
        ("br", brotli(&bomb)),
        ("deflate", zlib(&bomb)),
        ("deflate", raw_deflate(&bomb)),
    ] {
        assert!(encoded.len() < 1024 * 1024, "{encoding}: the bomb is small");
        let doc = fetch_encoded(encoding, encoded).await;
        assert_eq!(doc.status, 200, "{encoding}");
        assert!(doc.truncated, "{encoding}");
        assert_eq!(doc.bytes, cap, "{encoding}");
    }
}

#[tokio::test]
async fn zlib_and_raw_deflate_both_decode() {
    let html = "<!DOCTYPE html><html><body><p>Dinas Kesehatan</p></body></html>".repeat(50);
    for encoded in [zlib(html.as_bytes()), raw_deflate(html.as_bytes())] {
        let doc = fetch_encoded("deflate", encoded).await;
        assert!(!doc.truncated);
        assert_eq!(doc.text, html);
    }
    let doc = fetch_encoded("br", brotli(html.as_bytes())).await;
    assert_eq!(doc.text, html);
}

#[tokio::test]
async fn broken_deflate_data_is_a_failure_not_a_panic() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(200)
            .header("content-encoding", "deflate")
            .body(&[0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13]),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let (class, message) = failure(&fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(class, FailureClass::Other);
    assert!(message.contains("deflate"), "{message}");
}

#[tokio::test]
async fn content_type_comes_from_the_final_response_and_sniffing() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        // PDF bytes labelled text/html.
        "/laporan" => Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n1 0 obj"),
        // An `.html` link that redirects to a PDF.
        "/dokumen.html" => Reply::redirect(302, "/files/dokumen.pdf"),
        "/files/dokumen.pdf" => Reply::new(200)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4"),
        // HTML with no Content-Type.
        "/polos" => Reply::new(200).body(b"  <html><body><p>hai</p></body></html>"),
        // An image named .html.
        "/foto.html" => Reply::new(200)
            .header("content-type", "text/html")
            .body(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let get = |path: &str| {
        let target = url(&format!("http://a.example.go.id{path}"));
        let fetcher = &fetcher;
        async move { document(fetcher.fetch(&target).await) }
    };
    let doc = get("/laporan").await;
    assert_eq!(doc.content_type.as_deref(), Some("application/pdf"));
    assert!(!doc.is_html());
    assert_eq!(doc.text, "");

    let doc = get("/dokumen.html").await;
    assert_eq!(doc.final_url.path(), "/files/dokumen.pdf");
    assert_eq!(doc.content_type.as_deref(), Some("application/pdf"));
    assert!(!doc.is_html());

    let doc = get("/polos").await;
    assert_eq!(doc.content_type.as_deref(), Some("text/html"));
    assert!(doc.is_html());
    assert!(doc.text.contains("<p>hai</p>"));

    let doc = get("/foto.html").await;
    assert_eq!(doc.content_type.as_deref(), Some("image/png"));
    assert!(!doc.is_html());
}

#[tokio::test]
async fn header_and_meta_charset_conflict_is_reported() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/beda" => Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xC3\xA9</p>"),
        _ => Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(b"<html><head><meta charset=\"utf-8\"></head></html>"),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/beda")).await);
    assert_eq!(doc.charset, "UTF-8", "the header wins");
    assert!(doc.text.contains("café"));
    assert_eq!(
        doc.charset_conflict(),
        Some(("UTF-8".to_string(), "windows-1252".to_string()))
    );
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/sama")).await);
    assert_eq!(doc.charset_conflict(), None);
}
