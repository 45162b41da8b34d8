//! Fetcher tests on loopback: `--resolve` overrides, robots.txt, redirects, charsets, body cap,
//! failure classes, pacing settings.

mod fetch_support;

use fetch_support::{closed_port, fetcher, settings, url, Manners, Misbehaving, Reply, TestServer};
use pantau::fetch::{
    FailureClass, FetchError, FetchOutcome, FetchedDocument, Fetcher, ResolveOverride,
};
use std::time::Duration;

fn document(outcome: FetchOutcome) -> FetchedDocument {
    match outcome {
        FetchOutcome::Document(d) => d,
        other => panic!("expected a document, got {other:?}"),
    }
}

fn failure_class(outcome: &FetchOutcome) -> Option<FailureClass> {
    match outcome {
        FetchOutcome::Failed(f) => Some(f.class),
        _ => None,
    }
}

#[tokio::test]
async fn wildcard_resolve_reaches_loopback_with_host_and_user_agent_unchanged() {
    let server = TestServer::start(|_| Reply::html("<p>hai</p>")).await;
    let fetcher = fetcher(server.addr);
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/halo")).await);
    assert_eq!(doc.status, 200);
    assert_eq!(doc.text, "<p>hai</p>");
    assert_eq!(doc.content_type.as_deref(), Some("text/html"));
    assert_eq!(doc.final_url.as_str(), "http://a.example.go.id/halo");
    let seen = server.seen();
    let page = seen
        .iter()
        .find(|s| s.path == "/halo")
        .expect("page requested");
    assert_eq!(page.host, "a.example.go.id");
    assert_eq!(
        page.header("user-agent"),
        Some("pantau-test/0 (+http://127.0.0.1/)")
    );
    let robots = seen
        .iter()
        .find(|s| s.path == "/robots.txt")
        .expect("robots.txt requested first");
    assert_eq!(
        robots.header("user-agent"),
        Some("pantau-test/0 (+http://127.0.0.1/)")
    );
}

#[tokio::test]
async fn wildcard_covers_subdomains_not_the_apex_nor_lookalikes() {
    let server = TestServer::start(|_| Reply::html("x")).await;
    let closed = closed_port().await;
    let mut s = settings(server.addr);
    // `*.go.id` catches everything else, on a port where nothing listens.
    s.resolve = vec![
        format!("*.example.go.id:{}", server.addr)
            .parse()
            .expect("override"),
        format!("*.go.id:{closed}").parse().expect("override"),
    ];
    let fetcher = Fetcher::new(s).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://x.y.example.go.id/")).await);
    assert_eq!(doc.status, 200);
    for other in ["http://example.go.id/", "http://evilexample.go.id/"] {
        let outcome = fetcher.fetch(&url(other)).await;
        assert_eq!(
            failure_class(&outcome),
            Some(FailureClass::Refused),
            "{other}"
        );
    }
    let hosts: Vec<String> = server.seen().into_iter().map(|s| s.host).collect();
    assert!(hosts.iter().all(|h| h == "x.y.example.go.id"), "{hosts:?}");
}

#[tokio::test]
async fn resolve_override_parse_errors_name_the_input() {
    let err = "example.go.id:127.0.0.1"
        .parse::<ResolveOverride>()
        .expect_err("no port");
    assert!(matches!(err, FetchError::BadResolve { .. }));
    assert!(err.to_string().contains("example.go.id:127.0.0.1"), "{err}");
    let ok: ResolveOverride = "*.example.go.id:[::1]:8443".parse().expect("ipv6");
    assert_eq!(ok.addr.port(), 8443);
    assert!(ok.addr.is_ipv6());
}

#[tokio::test]
async fn bad_root_certificate_is_named() {
    let mut s = settings(closed_port().await);
    s.extra_root_certs_pem = vec!["not a certificate".to_string()];
    let err = Fetcher::new(s).expect_err("bad PEM");
    assert!(matches!(err, FetchError::RootCert { index: 0, .. }));
    assert!(err.to_string().contains("#1"), "{err}");
}

#[tokio::test]
async fn negative_rate_is_rejected() {
    let mut s = settings(closed_port().await);
    s.rate_per_host = -1.0;
    let err = Fetcher::new(s).expect_err("negative rate");
    assert!(err.to_string().contains("rate_per_host"), "{err}");
}

#[tokio::test]
async fn robots_disallowed_path_is_not_requested_and_robots_is_fetched_once() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(200)
            .header("content-type", "text/plain")
            .body(b"User-agent: pantau\nDisallow: /rahasia\n\nUser-agent: *\nDisallow: /"),
        _ => Reply::html("ok"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let urls = [
        "http://a.example.go.id/",
        "http://a.example.go.id/berita",
        "http://a.example.go.id/rahasia/dokumen",
        "http://a.example.go.id/profil",
    ]
    .map(url);
    let outcomes = futures::future::join_all(urls.iter().map(|u| fetcher.fetch(u))).await;
    assert!(matches!(
        &outcomes[2],
        FetchOutcome::RobotsDisallowed(u) if u.path() == "/rahasia/dokumen"
    ));
    for i in [0, 1, 3] {
        assert!(matches!(&outcomes[i], FetchOutcome::Document(d) if d.status == 200));
    }
    assert_eq!(server.count("/robots.txt"), 1);
    assert_eq!(server.count("/rahasia/dokumen"), 0);
    assert_eq!(fetcher.robots_unreachable(&urls[0]), None);
}

#[tokio::test]
async fn robots_404_allows_everything() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html("ok"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/admin")).await);
    assert_eq!(doc.status, 200);
    assert_eq!(server.paths(), ["/admin"]);
}

#[tokio::test]
async fn robots_500_disallows_everything_and_is_recorded() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(503),
        _ => Reply::html("ok"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let home = url("http://a.example.go.id/");
    assert!(matches!(
        fetcher.fetch(&home).await,
        FetchOutcome::RobotsDisallowed(_)
    ));
    assert!(server.paths().is_empty());
    let why = fetcher.robots_unreachable(&home).expect("recorded");
    assert!(why.contains("503"), "{why}");
    // Another origin of the same host (https) has its own robots.txt, not fetched yet.
    assert_eq!(
        fetcher.robots_unreachable(&url("https://a.example.go.id/")),
        None
    );
}

#[tokio::test]
async fn rate_limit_and_crawl_delay_are_configured() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(200).body(b"User-agent: *\nCrawl-delay: 60\nAllow: /"),
        _ => Reply::html("ok"),
    })
    .await;
    let mut s = settings(server.addr);
    s.rate_per_host = 4.0;
    let fetcher = Fetcher::new(s).expect("fetcher");
    assert_eq!(
        fetcher.request_interval("a.example.go.id"),
        Some(Duration::from_millis(250))
    );
    // The robots fetch reads Crawl-delay: 60 s, capped at 10 s.
    let _ = fetcher
        .fetch(&url("http://a.example.go.id/robots.txt"))
        .await;
    assert_eq!(
        fetcher.request_interval("a.example.go.id"),
        Some(pantau::fetch::MAX_CRAWL_DELAY)
    );
    assert_eq!(
        fetcher.request_interval("b.example.go.id"),
        Some(Duration::from_millis(250))
    );
    let off = fetcher_with_rate(server.addr, 0.0);
    assert_eq!(off.request_interval("a.example.go.id"), None);
}

fn fetcher_with_rate(addr: std::net::SocketAddr, rate: f64) -> Fetcher {
    let mut s = settings(addr);
    s.rate_per_host = rate;
    Fetcher::new(s).expect("fetcher")
}

#[tokio::test]
async fn same_host_redirects_are_followed_across_ports_and_schemes_kept() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/" => Reply::redirect(301, "/id/"),
        "/id/" => Reply::redirect(302, "beranda?x=1#top"),
        "/id/beranda?x=1" => Reply::html("beranda"),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(doc.status, 200);
    assert_eq!(doc.requested_url.as_str(), "http://a.example.go.id/");
    assert_eq!(
        doc.final_url.as_str(),
        "http://a.example.go.id/id/beranda?x=1"
    );
    assert_eq!(doc.text, "beranda");
}

#[tokio::test]
async fn redirect_to_another_host_is_off_scope_with_the_target() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/" => Reply::redirect(301, "https://example.go.id/portal"),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    let FetchOutcome::Failed(f) = outcome else {
        panic!("expected a failure, got {outcome:?}");
    };
    assert_eq!(f.class, FailureClass::OffScopeRedirect);
    assert_eq!(f.class.code(), "off_scope_redirect");
    assert!(
        f.message.contains("https://example.go.id/portal"),
        "{}",
        f.message
    );
    assert_eq!(
        f.location.map(|l| l.to_string()),
        Some("https://example.go.id/portal".to_string())
    );
    assert_eq!(server.paths(), ["/"]);
}

#[tokio::test]
async fn redirect_loop_and_too_many_redirects_are_told_apart() {
    let server = TestServer::start(|req| {
        let path = req.path.as_str();
        match path {
            "/a" => Reply::redirect(302, "/b"),
            "/b" => Reply::redirect(302, "/a"),
            _ if path.starts_with("/hop/") => {
                let n: u32 = path[5..].parse().unwrap_or(0);
                Reply::redirect(302, &format!("/hop/{}", n + 1))
            }
            _ => Reply::new(404),
        }
    })
    .await;
    let fetcher = fetcher(server.addr);
    let outcome = fetcher.fetch(&url("http://a.example.go.id/a")).await;
    assert_eq!(failure_class(&outcome), Some(FailureClass::RedirectLoop));
    let outcome = fetcher.fetch(&url("http://a.example.go.id/hop/0")).await;
    assert_eq!(
        failure_class(&outcome),
        Some(FailureClass::TooManyRedirects)
    );
    // 1 request + 10 followed redirects.
    assert_eq!(
        server
            .paths()
            .iter()
            .filter(|p| p.starts_with("/hop/"))
            .count(),
        11
    );
}

#[tokio::test]
async fn self_redirect_setting_a_cookie_is_not_a_loop() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/" if req.header("cookie").is_some_and(|c| c.contains("cek=1")) => Reply::html("masuk"),
        "/" => Reply::redirect(302, "/").header("set-cookie", "cek=1; Path=/"),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(doc.text, "masuk");
}

#[tokio::test]
async fn charsets_bom_header_meta_and_fallbacks() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/meta1252" => Reply::new(200)
            .header("content-type", "text/html")
            .body(b"<html><head><meta charset=\"windows-1252\"></head><p>2020\x962021</p>"),
        "/header-wins" => Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>é</p>".as_bytes()),
        "/latin1-header" => Reply::new(200)
            .header("content-type", "text/html; charset=ISO-8859-1")
            .body(b"<p>caf\xe9</p>"),
        "/bom" => Reply::new(200)
            .header("content-type", "text/html; charset=windows-1252")
            .body(&[b"\xEF\xBB\xBF".as_slice(), "<p>é</p>".as_bytes()].concat()),
        "/untyped" => Reply::new(200).body(b"<!DOCTYPE html><p>tanpa tipe</p>"),
        "/pdf" => Reply::new(200)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4 binary"),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let get = |path: &str| {
        let u = url(&format!("http://a.example.go.id{path}"));
        let f = &fetcher;
        async move { document(f.fetch(&u).await) }
    };
    let doc = get("/meta1252").await;
    assert_eq!(doc.charset, "windows-1252");
    assert!(doc.text.contains("2020–2021"), "{}", doc.text);

    let doc = get("/header-wins").await;
    assert_eq!(doc.charset, "UTF-8");
    assert!(doc.text.contains("<p>é</p>"), "{}", doc.text);

    let doc = get("/latin1-header").await;
    assert_eq!(doc.charset, "windows-1252");
    assert_eq!(doc.text, "<p>café</p>");

    let doc = get("/bom").await;
    assert_eq!(doc.charset, "UTF-8");
    assert_eq!(doc.text, "<p>é</p>");

    let doc = get("/untyped").await;
    // No Content-Type: sniffed as HTML (WHATWG MIME Sniffing §7.1).
    assert_eq!(doc.content_type.as_deref(), Some("text/html"));
    assert!(doc.is_html());
    assert_eq!(doc.text, "<!DOCTYPE html><p>tanpa tipe</p>");

    let doc = get("/pdf").await;
    assert!(!doc.is_html());
    assert_eq!(doc.text, "");
    assert_eq!(doc.bytes, 15);
}

#[tokio::test]
async fn body_is_capped_and_marked_truncated() {
    let server = TestServer::start(|_| Reply::html(&"a".repeat(5000))).await;
    let mut s = settings(server.addr);
    s.max_body_bytes = 1000;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/besar")).await);
    assert!(doc.truncated);
    assert_eq!(doc.bytes, 1000);
    assert_eq!(doc.text.len(), 1000);
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/besar2")).await);
    assert_eq!(doc.bytes, 1000);
    let mut s = settings(server.addr);
    s.max_body_bytes = 5000;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/pas")).await);
    assert!(!doc.truncated);
    assert_eq!(doc.bytes, 5000);
}

/// `gzip.compress(b"a" * 10000, mtime=0)`.
const GZIP_10000_A: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xed\xc1\x01\x0d\x00\x00\x00\xc2\xa0\xac\xef\x5f\xc2\x1c\x6e\x40\x01\x00\x00\x00\x00\x00\x00\x00\x00\xc0\xbf\x01\x97\xd4\x7e\x46\x10\x27\x00\x00";

#[tokio::test]
async fn body_cap_counts_bytes_after_decompression() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(200)
            .header("content-type", "text/plain")
            .header("content-encoding", "gzip")
            .body(GZIP_10000_A),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_body_bytes = 4000;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/z")).await);
    assert!(doc.truncated);
    assert_eq!(doc.bytes, 4000);
    assert_eq!(doc.text, "a".repeat(4000));
    let accept = server
        .seen()
        .iter()
        .find(|s| s.path == "/z")
        .and_then(|s| s.header("accept-encoding").map(String::from));
    assert!(accept.is_some_and(|a| a.contains("gzip")));
}

#[tokio::test]
async fn http_error_status_is_a_document() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(500).body(b"rusak"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(doc.status, 500);
}

#[tokio::test]
async fn refused_connection_is_classed_refused() {
    let fetcher = fetcher(closed_port().await);
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(failure_class(&outcome), Some(FailureClass::Refused));
    let FetchOutcome::Failed(f) = outcome else {
        unreachable!()
    };
    assert_eq!(f.url.as_str(), "http://a.example.go.id/");
    assert!(f.message.contains("robots.txt"), "{}", f.message);
}

#[tokio::test]
async fn connection_closed_without_answer_is_classed_closed() {
    let server = Misbehaving::start(Manners::Close).await;
    let fetcher = fetcher(server.addr);
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(
        failure_class(&outcome),
        Some(FailureClass::Closed),
        "{outcome:?}"
    );
    assert_eq!(FailureClass::Closed.code(), "connection_closed");
}

#[tokio::test]
async fn connection_reset_is_classed_refused() {
    let server = Misbehaving::start(Manners::Reset).await;
    let fetcher = fetcher(server.addr);
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(
        failure_class(&outcome),
        Some(FailureClass::Refused),
        "{outcome:?}"
    );
    assert_eq!(FailureClass::Refused.code(), "connection_refused");
}

#[tokio::test]
async fn silent_server_is_classed_timeout() {
    let server = Misbehaving::start(Manners::Hang).await;
    let mut s = settings(server.addr);
    s.timeout = Duration::from_millis(300);
    let fetcher = Fetcher::new(s).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(failure_class(&outcome), Some(FailureClass::Timeout));
}

#[tokio::test]
async fn answer_slower_than_the_timeout_is_classed_timeout() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html("lambat").delay(2_000),
    })
    .await;
    let mut s = settings(server.addr);
    s.timeout = Duration::from_millis(300);
    let fetcher = Fetcher::new(s).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(failure_class(&outcome), Some(FailureClass::Timeout));
    assert_eq!(FailureClass::Timeout.code(), "timeout");
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_classed_tls() {
    let server = TestServer::start(|_| Reply::html("plain")).await;
    let fetcher = fetcher(server.addr);
    let outcome = fetcher.fetch(&url("https://a.example.go.id/")).await;
    assert_eq!(
        failure_class(&outcome),
        Some(FailureClass::Tls),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn unknown_host_is_classed_dns_without_asking_dns() {
    let fetcher = fetcher(closed_port().await);
    let outcome = fetcher.fetch(&url("http://tidak-ada.invalid/")).await;
    assert_eq!(failure_class(&outcome), Some(FailureClass::Dns));
    assert_eq!(FailureClass::Dns.code(), "dns_not_found");
}

#[tokio::test]
async fn non_http_url_is_a_failure_not_a_panic() {
    let fetcher = fetcher(closed_port().await);
    let outcome = fetcher.fetch(&url("mailto:ppid@example.go.id")).await;
    assert_eq!(failure_class(&outcome), Some(FailureClass::Other));
}

#[tokio::test]
async fn https_with_the_extra_root_certificate_is_trusted_and_without_it_is_untrusted() {
    let (server, ca_pem) = TestServer::start_tls(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html("aman"),
    })
    .await;
    let mut s = settings(server.addr);
    s.extra_root_certs_pem = vec![ca_pem];
    let trusted = Fetcher::new(s).expect("fetcher");
    let doc = document(trusted.fetch(&url("https://a.example.go.id/")).await);
    assert_eq!(doc.status, 200);
    assert_eq!(doc.text, "aman");
    assert_eq!(doc.final_url.scheme(), "https");
    assert!(server.seen().iter().all(|s| s.host == "a.example.go.id"));

    let untrusted = fetcher(server.addr);
    let outcome = untrusted.fetch(&url("https://a.example.go.id/")).await;
    // A leaf without its (unknown) CA: the server sent no chain to a trusted root.
    assert_eq!(
        failure_class(&outcome),
        Some(FailureClass::TlsIncompleteChain),
        "{outcome:?}"
    );
    assert_eq!(FailureClass::Tls.code(), "tls_invalid");
}

#[tokio::test]
async fn redirect_from_http_to_https_on_another_port_of_the_same_host_is_followed() {
    let (tls_server, ca_pem) = TestServer::start_tls(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html("lewat https"),
    })
    .await;
    let target = format!("https://a.example.go.id:{}/aman", tls_server.addr.port());
    let plain = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::redirect(301, &target),
    })
    .await;
    let mut s = settings(plain.addr);
    s.extra_root_certs_pem = vec![ca_pem];
    let fetcher = Fetcher::new(s).expect("fetcher");
    // The explicit port of the redirect target wins over the override's port.
    let doc = document(fetcher.fetch(&url("http://a.example.go.id/")).await);
    assert_eq!(doc.text, "lewat https");
    assert_eq!(
        doc.final_url.as_str(),
        format!("https://a.example.go.id:{}/aman", tls_server.addr.port())
    );
    assert_eq!(plain.count("/"), 1);
    assert_eq!(tls_server.count("/aman"), 1);
    // Each origin (scheme, host, port) has its own robots.txt.
    assert_eq!(plain.count("/robots.txt"), 1);
    assert_eq!(tls_server.count("/robots.txt"), 1);
}
