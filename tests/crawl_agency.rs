//! Crawler tests on loopback: scope, dedupe, https → http fallback, budgets, failures,
//! unreachable reasons, robots.txt, cancellation, determinism.

mod fetch_support;

use fetch_support::{
    closed_port, fetcher, settings, url, Manners, Misbehaving, Reply, Seen, TestServer,
};
use pantau::crawl::{crawl_agency, CrawlLimits, CrawlResult, CrawledPage};
use pantau::discover::Agency;
use pantau::fetch::Fetcher;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use url::Url;

fn agency(host: &str) -> Agency {
    Agency {
        id: host.split('.').next().unwrap_or_default().to_string(),
        host: host.to_string(),
        name: host.to_string(),
        provenance: Vec::new(),
        explicit: false,
        aliases: Vec::new(),
    }
}

fn limits(max_pages: usize, max_depth: u32) -> CrawlLimits {
    CrawlLimits {
        max_pages,
        max_depth,
        ..CrawlLimits::default()
    }
}

/// The `href`s of a page's `<a>` elements, resolved against its final URL (links that do not
/// resolve are skipped), in document order.
fn links(page: &CrawledPage) -> Vec<Url> {
    let html = scraper::Html::parse_document(&page.document.text);
    let selector = scraper::Selector::parse("a[href]").expect("selector");
    html.select(&selector)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| page.document.final_url.join(href).ok())
        .collect()
}

/// Pages handed to `on_page`, as `(path, depth)`.
type Handed = Mutex<Vec<(String, u32)>>;

async fn crawl(
    host: &str,
    fetcher: &Fetcher,
    limits: &CrawlLimits,
    cancel: &CancellationToken,
    handed: &Handed,
) -> CrawlResult {
    crawl_agency(
        &agency(host),
        fetcher,
        limits,
        cancel,
        |page: CrawledPage| {
            let found = links(&page);
            handed
                .lock()
                .expect("lock")
                .push((page.document.final_url.path().to_string(), page.depth));
            std::future::ready(found)
        },
    )
    .await
}

fn page(links: &[&str]) -> Reply {
    let body: String = links
        .iter()
        .map(|l| format!("<a href=\"{l}\">{l}</a>\n"))
        .collect();
    Reply::html(&format!("<!DOCTYPE html><html><body>{body}</body></html>"))
}

/// A small site: `/` → {profil, berita, kontak, aman, dokumen.pdf, hilang, lama, off-scope links},
/// `/profil` → struktur, `/berita` → berita/1, `/profil/struktur` → bagan.
fn site(req: &Seen) -> Reply {
    match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/" => page(&[
            "/profil",
            "/berita#atas",
            "profil",
            "http://a.example.go.id/kontak",
            "https://a.example.go.id/aman",
            "/dokumen.pdf",
            "/hilang",
            "/lama",
            "https://b.example.go.id/",
            "http://evila.example.go.id/x",
            "http://b.example.go.id/",
            "mailto:ppid@example.go.id",
            "javascript:void(0)",
        ]),
        "/profil" => page(&["/profil/struktur", "/", "/berita"]),
        "/berita" => page(&["/berita/1", "/profil#visi"]),
        "/kontak" | "/aman" | "/berita/1" => page(&[]),
        "/profil/struktur" => page(&["/profil/struktur/bagan"]),
        "/profil/struktur/bagan" => page(&[]),
        "/dokumen.pdf" => Reply::new(200)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4"),
        "/lama" => Reply::redirect(301, "/profil"),
        _ => Reply::new(404).body(b"tidak ada"),
    }
}

fn sorted(handed: &Handed) -> Vec<(String, u32)> {
    let mut v = handed.lock().expect("lock").clone();
    v.sort();
    v
}

#[tokio::test]
async fn whole_site_scope_dedupe_and_counters() {
    let server = TestServer::start(site).await;
    let fetcher = fetcher(server.addr);
    let handed = Handed::default();
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(100, 10),
        &CancellationToken::new(),
        &handed,
    )
    .await;

    // https to the plain server fails the TLS handshake: fallback to http.
    let https = result.https.clone().expect("https tried");
    assert!(
        https.as_ref().is_err_and(|e| e.starts_with("tls_invalid")),
        "{https:?}"
    );
    assert_eq!(result.unreachable, None);
    assert!(!result.cut_short);

    let requested: BTreeSet<String> = server.paths().into_iter().collect();
    let expected: BTreeSet<String> = [
        "/",
        "/profil",
        "/berita",
        "/kontak",
        "/aman",
        "/dokumen.pdf",
        "/hilang",
        "/lama",
        "/profil/struktur",
        "/berita/1",
        "/profil/struktur/bagan",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(requested, expected);
    // Each page once (the redirect of /lama reaches /profil a second time, by design).
    assert_eq!(server.count("/berita"), 1);
    assert_eq!(server.count("/profil"), 2);
    // The https link was fetched on the site's scheme, and every request kept the Host header
    // and carried the User-Agent.
    assert!(server.seen().iter().all(|s| s.host == "a.example.go.id"
        && s.header("user-agent") == Some("pantau-test/0 (+http://127.0.0.1/)")));

    assert_eq!(
        sorted(&handed),
        [
            ("/", 0),
            ("/aman", 1),
            ("/berita", 1),
            ("/berita/1", 2),
            ("/kontak", 1),
            ("/profil", 1),
            ("/profil/struktur", 2),
            ("/profil/struktur/bagan", 3),
        ]
        .map(|(p, d)| (p.to_string(), d))
    );

    let s = &result.summary;
    // 10 URLs with an HTTP answer below 400 (pdf and the /lama redirect included), 1 404.
    assert_eq!(s.pages_fetched, 10);
    assert_eq!(s.pages_failed, 1);
    assert_eq!(s.failures["http_404"].count, 1);
    assert_eq!(
        s.failures["http_404"].samples,
        ["http://a.example.go.id/hilang"]
    );
    // b.example.go.id twice (http and https are distinct URLs) and evila.example.go.id.
    assert_eq!(s.off_scope, 3);
    assert_eq!(s.budget_skipped, 0);
    assert_eq!(s.robots_disallowed, 0);
    assert!(s.bytes > 0);
    assert_eq!(result.robots_unreachable, None);
}

#[tokio::test]
async fn scope_is_the_exact_host_not_subdomains_or_lookalikes() {
    let server = TestServer::start(|req: &Seen| match (req.host.as_str(), req.path.as_str()) {
        (_, "/robots.txt") => Reply::new(404),
        ("example.go.id", "/") => page(&[
            "http://evilexample.go.id/",
            "http://x.example.go.id/",
            "http://EXAMPLE.go.id/ok",
        ]),
        ("example.go.id", "/ok") => page(&[]),
        _ => Reply::new(500),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let handed = Handed::default();
    let result = crawl(
        "example.go.id",
        &fetcher,
        &limits(100, 10),
        &CancellationToken::new(),
        &handed,
    )
    .await;
    assert_eq!(server.paths(), ["/", "/ok"]);
    assert_eq!(result.summary.off_scope, 2);
    assert_eq!(result.summary.pages_fetched, 2);
}

#[tokio::test]
async fn max_depth_stops_and_counts_what_is_left() {
    let server = TestServer::start(site).await;
    let fetcher = fetcher(server.addr);
    let handed = Handed::default();
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(100, 1),
        &CancellationToken::new(),
        &handed,
    )
    .await;
    assert!(sorted(&handed).iter().all(|(_, d)| *d <= 1));
    assert_eq!(server.count("/profil/struktur"), 0);
    assert_eq!(server.count("/berita/1"), 0);
    // /profil/struktur and /berita/1 were found at depth 2.
    assert_eq!(result.summary.budget_skipped, 2);
    assert!(!result.cut_short);

    let handed = Handed::default();
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(100, 0),
        &CancellationToken::new(),
        &handed,
    )
    .await;
    assert_eq!(sorted(&handed), [("/".to_string(), 0)]);
    // The 7 distinct in-scope links of the home page.
    assert_eq!(result.summary.budget_skipped, 7);
}

#[tokio::test]
async fn max_pages_cuts_in_breadth_first_discovery_order_whatever_the_timing() {
    // The first links of a level answer last, so arrival order differs from discovery order.
    let slow_site = |req: &Seen| {
        let delay = match req.path.as_str() {
            "/profil" => 150,
            "/berita" => 60,
            _ => 0,
        };
        site(req).delay(delay)
    };
    let server = TestServer::start(slow_site).await;
    let fetcher = fetcher(server.addr);
    for _ in 0..2 {
        let handed = Handed::default();
        let result = crawl(
            "a.example.go.id",
            &fetcher,
            &limits(4, 10),
            &CancellationToken::new(),
            &handed,
        )
        .await;
        // Home, then the first three links of level 1 in document order.
        assert_eq!(
            sorted(&handed),
            [("/", 0), ("/berita", 1), ("/kontak", 1), ("/profil", 1)]
                .map(|(p, d)| (p.to_string(), d))
        );
        // Level 1 had 7 URLs (4 left), level 2 found /profil/struktur and /berita/1.
        assert_eq!(result.summary.budget_skipped, 6);
        assert_eq!(result.summary.pages_fetched, 4);

        // Room for one page of level 2: the first one discovered (from /profil, which answers
        // last, and is also reached through the /lama redirect).
        let handed = Handed::default();
        let result = crawl(
            "a.example.go.id",
            &fetcher,
            &limits(9, 10),
            &CancellationToken::new(),
            &handed,
        )
        .await;
        let level2: Vec<String> = sorted(&handed)
            .into_iter()
            .filter(|(_, d)| *d == 2)
            .map(|(p, _)| p)
            .collect();
        assert_eq!(level2, ["/profil/struktur"]);
        // /berita/1 left at level 2, /profil/struktur/bagan found at level 3.
        assert_eq!(result.summary.budget_skipped, 2);
    }
}

#[tokio::test]
async fn https_redirecting_away_counts_as_an_https_answer() {
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::redirect(302, "http://example.go.id/"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    // The off-scope redirect on http (after https failed) is an answer: no combined reason.
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    let reason = result.unreachable.expect("unreachable");
    assert_eq!(reason.code, "off_scope_redirect");
    assert!(!reason.message.contains("https:"), "{}", reason.message);
}

#[tokio::test]
async fn refused_everywhere_is_unreachable_connection_refused() {
    let fetcher = fetcher(closed_port().await);
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    let reason = result.unreachable.expect("unreachable");
    assert_eq!(reason.code, "connection_refused");
    assert!(reason.message.contains("https:") && reason.message.contains("http:"));
    assert!(result
        .https
        .is_some_and(|h| h.is_err_and(|e| e.starts_with("connection_refused"))));
    assert_eq!(result.summary.pages_fetched, 0);
    assert_eq!(result.summary.pages_failed, 1);
    assert_eq!(result.summary.failures["connection_refused"].count, 1);
}

#[tokio::test]
async fn site_dropping_connections_is_unreachable_closed_or_refused() {
    for (manners, code) in [
        (Manners::Close, "connection_closed"),
        (Manners::Reset, "connection_refused"),
    ] {
        let server = Misbehaving::start(manners).await;
        let fetcher = fetcher(server.addr);
        let result = crawl(
            "a.example.go.id",
            &fetcher,
            &limits(10, 5),
            &CancellationToken::new(),
            &Handed::default(),
        )
        .await;
        let reason = result.unreachable.expect("unreachable");
        assert_eq!(reason.code, code, "{manners:?}: {reason:?}");
    }
}

#[tokio::test]
async fn silent_site_is_unreachable_timeout() {
    let server = Misbehaving::start(Manners::Hang).await;
    let mut s = settings(server.addr);
    s.timeout = std::time::Duration::from_millis(300);
    let fetcher = Fetcher::new(s).expect("fetcher");
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    let reason = result.unreachable.expect("unreachable");
    assert_eq!(reason.code, "timeout");
    // robots.txt got no answer on the origin that was tried last.
    let why = fetcher
        .robots_unreachable(&url("http://a.example.go.id/"))
        .expect("robots unreachable");
    assert!(why.contains("timeout"), "{why}");
    assert_eq!(result.robots_unreachable, Some(why));
}

/// A robots.txt that times out is "crawl nothing for now, retry later" (issue 5, like 5xx/429),
/// not a dead site: the home page is asked again once robots.txt answers, and the site crawled.
#[tokio::test]
async fn robots_timeout_once_is_retried_later_and_the_site_crawled() {
    let robots_asked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let asked = robots_asked.clone();
    let server = TestServer::start(move |req: &Seen| match req.path.as_str() {
        "/robots.txt" => {
            let n = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // The first answer comes after the 300 ms timeout; later ones at once.
            if n == 0 {
                Reply::new(404).delay(1_000)
            } else {
                Reply::new(404)
            }
        }
        "/" => Reply::html(r#"<a href="/profil">Profil</a>"#),
        _ => Reply::html("<p>Profil dinas</p>"),
    })
    .await;
    let mut s = settings(server.addr);
    s.timeout = std::time::Duration::from_millis(300);
    let fetcher = Fetcher::new(s).expect("fetcher");
    let handed = Handed::default();
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &handed,
    )
    .await;
    assert!(result.unreachable.is_none(), "{:?}", result.unreachable);
    let mut paths: Vec<String> = handed
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    paths.sort();
    assert_eq!(paths, ["/", "/profil"]);
    assert_eq!(result.summary.outcomes["timeout"].count, 0);
    assert_eq!(result.robots_unreachable, None);
    assert_eq!(server.count("/robots.txt"), 2);
}

#[tokio::test]
async fn home_page_http_error_is_unreachable_http_status() {
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(503).body(b"pemeliharaan"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    let reason = result.unreachable.expect("unreachable");
    assert_eq!(reason.code, "http_status");
    assert!(reason.message.contains("503"), "{}", reason.message);
    assert_eq!(result.summary.failures["http_503"].count, 1);
}

#[tokio::test]
async fn home_page_redirecting_away_is_unreachable_off_scope() {
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::redirect(302, "http://example.go.id/opd/a"),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    let reason = result.unreachable.expect("unreachable");
    assert_eq!(reason.code, "off_scope_redirect");
    assert!(reason.message.contains("http://example.go.id/opd/a"));
    assert_eq!(result.summary.off_scope, 1);
    assert_eq!(result.summary.pages_failed, 0);
}

#[tokio::test]
async fn robots_disallowing_everything_is_unreachable_robots_disallowed() {
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(200).body(b"User-agent: *\nDisallow: /"),
        _ => page(&[]),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    assert_eq!(
        result.unreachable.map(|r| r.code).as_deref(),
        Some("robots_disallowed")
    );
    assert_eq!(result.summary.robots_disallowed, 1);
    assert_eq!(
        result.summary.failures["robots_disallowed"].samples,
        ["http://a.example.go.id/"]
    );
    assert!(server.paths().is_empty());
    assert_eq!(result.robots_unreachable, None);
}

#[tokio::test]
async fn robots_server_error_is_unreachable_robots_unreachable() {
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(500),
        _ => page(&[]),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    assert_eq!(
        result.unreachable.map(|r| r.code).as_deref(),
        Some("robots_unreachable")
    );
    assert!(result.robots_unreachable.is_some_and(|r| r.contains("500")));
    assert!(server.paths().is_empty());
}

#[tokio::test]
async fn robots_disallowed_pages_are_counted_not_fetched() {
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(200).body(b"User-agent: pantau\nDisallow: /admin\n"),
        "/" => page(&["/admin/login", "/admin/", "/publik"]),
        _ => page(&[]),
    })
    .await;
    let fetcher = fetcher(server.addr);
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &Handed::default(),
    )
    .await;
    assert_eq!(server.paths(), ["/", "/publik"]);
    assert_eq!(result.summary.robots_disallowed, 2);
    assert_eq!(result.summary.pages_fetched, 2);
    assert_eq!(result.summary.pages_failed, 0);
    assert_eq!(result.unreachable, None);
}

#[tokio::test]
async fn cancellation_stops_the_crawl() {
    let server = TestServer::start(site).await;
    let fetcher = fetcher(server.addr);
    let cancelled = CancellationToken::new();
    cancelled.cancel();
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(100, 10),
        &cancelled,
        &Handed::default(),
    )
    .await;
    assert!(result.cut_short);
    assert_eq!(result.unreachable, None);
    assert!(server.seen().is_empty());

    // Cancelled from inside on_page after the home page: nothing after it is requested.
    let cancel = CancellationToken::new();
    let handed = Handed::default();
    let result = crawl_agency(
        &agency("a.example.go.id"),
        &fetcher,
        &limits(100, 10),
        &cancel,
        |page: CrawledPage| {
            cancel.cancel();
            handed
                .lock()
                .expect("lock")
                .push((page.document.final_url.path().to_string(), page.depth));
            std::future::ready(links(&page))
        },
    )
    .await;
    assert!(result.cut_short);
    assert_eq!(sorted(&handed), [("/".to_string(), 0)]);
    assert_eq!(server.paths(), ["/"]);
    assert_eq!(result.summary.pages_fetched, 1);
}

#[tokio::test]
async fn crawl_runs_on_a_spawned_task() {
    let server = TestServer::start(site).await;
    let fetcher = Arc::new(fetcher(server.addr));
    let task = tokio::spawn({
        let fetcher = Arc::clone(&fetcher);
        async move {
            let pages = Arc::new(Mutex::new(0u32));
            let result = crawl_agency(
                &agency("a.example.go.id"),
                &fetcher,
                &limits(100, 10),
                &CancellationToken::new(),
                |page: CrawledPage| {
                    *pages.lock().expect("lock") += 1;
                    let found = links(&page);
                    async move {
                        tokio::task::yield_now().await;
                        found
                    }
                },
            )
            .await;
            let pages = *pages.lock().expect("lock");
            (result, pages)
        }
    });
    let (result, pages) = task.await.expect("crawl task");
    assert_eq!(pages, 8);
    assert_eq!(result.summary.pages_fetched, 10);
}

#[tokio::test]
async fn https_site_is_crawled_on_https_with_http_links_upgraded() {
    let (server, ca_pem) = TestServer::start_tls(|req: &Seen| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/" => page(&["http://a.example.go.id/profil", "/berita"]),
        _ => page(&["https://a.example.go.id/#atas"]),
    })
    .await;
    let mut s = settings(server.addr);
    s.extra_root_certs_pem = vec![ca_pem];
    let fetcher = Fetcher::new(s).expect("fetcher");
    let handed = Handed::default();
    let result = crawl(
        "a.example.go.id",
        &fetcher,
        &limits(10, 5),
        &CancellationToken::new(),
        &handed,
    )
    .await;
    assert_eq!(result.https, Some(Ok(())));
    assert_eq!(result.unreachable, None);
    // The TLS server can only have answered if the http:// link was upgraded.
    assert_eq!(
        sorted(&handed),
        [("/", 0), ("/berita", 1), ("/profil", 1)].map(|(p, d)| (p.to_string(), d))
    );
    assert_eq!(result.summary.pages_fetched, 3);
    assert!(result.summary.failures.is_empty());
}
