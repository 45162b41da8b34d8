//! Crawler traps, sitemaps, session ids and the crawl section's outcome classes, on loopback.

mod fetch_support;

use fetch_support::{settings, Reply, Seen, TestServer};
use pantau::crawl::{crawl_agency, CrawlLimits, CrawlResult, CrawledPage};
use pantau::discover::Agency;
use pantau::fetch::Fetcher;
use pantau::scorecard::CrawlSummary;
use std::io::Write;
use std::time::Duration;
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

fn links(page: &CrawledPage) -> Vec<Url> {
    let html = scraper::Html::parse_document(&page.document.text);
    let selector = scraper::Selector::parse("a[href]").expect("selector");
    html.select(&selector)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| page.document.final_url.join(href).ok())
        .collect()
}

fn page(links: &[String]) -> Reply {
    let body: String = links
        .iter()
        .map(|l| format!("<a href=\"{l}\">{l}</a>\n"))
        .collect();
    Reply::html(&format!("<!DOCTYPE html><html><body>{body}</body></html>"))
}

async fn crawl_with(fetcher: &Fetcher, limits: &CrawlLimits) -> CrawlResult {
    crawl_agency(
        &agency("a.example.go.id"),
        fetcher,
        limits,
        &CancellationToken::new(),
        |page: CrawledPage| std::future::ready(links(&page)),
    )
    .await
}

fn count(summary: &CrawlSummary, class: &str) -> u64 {
    summary.outcomes.get(class).map_or(0, |s| s.count)
}

/// A calendar with endless prev/next months, a search with endless query variants, a path that
/// repeats itself, an over-long URL, and ordinary pages that must still be crawled.
fn trap_site(req: &Seen) -> Reply {
    let path = req.path.as_str();
    if path == "/robots.txt" || path == "/sitemap.xml" {
        return Reply::new(404);
    }
    if path == "/" {
        return page(&[
            "/agenda?bulan=1&tahun=2026".to_string(),
            "/cari?q=0".to_string(),
            "/a/".to_string(),
            format!("/panjang?x={}", "y".repeat(3000)),
            "/profil".to_string(),
            "/kontak".to_string(),
        ]);
    }
    if let Some(query) = path.strip_prefix("/agenda?") {
        // bulan=M&tahun=Y → next month and previous month.
        let mut month = 1u32;
        let mut year = 2026u32;
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("bulan", v)) => month = v.parse().unwrap_or(1),
                Some(("tahun", v)) => year = v.parse().unwrap_or(2026),
                _ => {}
            }
        }
        let (ny, nm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let (py, pm) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
        return page(&[
            format!("/agenda?bulan={nm}&tahun={ny}"),
            format!("/agenda?bulan={pm}&tahun={py}"),
        ]);
    }
    if let Some(n) = path.strip_prefix("/cari?q=") {
        let n: u32 = n.parse().unwrap_or(0);
        return page(&[format!("/cari?q={}", n + 1), format!("/cari?q={}", n + 2)]);
    }
    if path.starts_with("/a/") {
        // Relative links that nest forever: /a/ → /a/b/ → /a/b/a/ → …
        return page(&["b/".to_string(), "a/".to_string()]);
    }
    match path {
        "/profil" => page(&["/profil/struktur".to_string()]),
        "/kontak" | "/profil/struktur" => page(&[]),
        _ => Reply::new(404),
    }
}

#[tokio::test]
async fn traps_are_reported_and_the_rest_of_the_site_is_crawled() {
    let server = TestServer::start(trap_site).await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let limits = CrawlLimits {
        max_pages: 500,
        max_depth: 40,
        max_query_variants: 10,
        max_calendar_variants: 6,
        ..CrawlLimits::default()
    };
    let result = crawl_with(&fetcher, &limits).await;
    let s = &result.summary;
    for kind in [
        "calendar",
        "query_variants",
        "repeating_segments",
        "url_too_long",
    ] {
        assert!(
            s.traps
                .get(kind)
                .is_some_and(|t| t.count >= 1 && !t.samples.is_empty()),
            "trap {kind} not reported: {:?}",
            s.traps
        );
    }
    assert_eq!(s.traps["url_too_long"].count, 1);
    let total: u64 = s.traps.values().map(|t| t.count).sum();
    assert_eq!(count(s, "trap"), total);
    // The calendar chain stops at 6 months, the search at 10 variants.
    assert_eq!(
        server
            .paths()
            .iter()
            .filter(|p| p.starts_with("/agenda"))
            .count(),
        6
    );
    assert_eq!(
        server
            .paths()
            .iter()
            .filter(|p| p.starts_with("/cari"))
            .count(),
        10
    );
    assert!(server.paths().iter().all(|p| !p.starts_with("/panjang")));
    // A segment may appear twice, not three times.
    assert!(server.paths().iter().any(|p| p == "/a/b/a/b/"));
    assert!(server.paths().iter().all(|p| p.matches("/a").count() <= 2));
    // The ordinary pages are crawled.
    for p in ["/profil", "/kontak", "/profil/struktur"] {
        assert!(server.paths().iter().any(|q| q == p), "{p} not crawled");
    }
    assert!(result.unreachable.is_none());
    assert!(!result.cut_short);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

#[tokio::test]
async fn sitemaps_from_robots_with_index_gzip_relative_and_cross_host_entries() {
    let index = r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/peta/halaman.xml.gz</loc></sitemap>
<sitemap><loc>http://a.example.go.id/peta/berita.xml</loc></sitemap>
<sitemap><loc>http://lain.example.go.id/peta.xml</loc></sitemap>
</sitemapindex>"#;
    let pages = gzip(
        br#"<urlset><url><loc>/tersembunyi</loc></url><url><loc>http://a.example.go.id/dokumen</loc></url><url><loc>http://b.example.go.id/luar</loc></url><url><loc>/rahasia/data</loc></url></urlset>"#,
    );
    // Gzipped twice: an .xml.gz served again with Content-Encoding: gzip.
    let double = gzip(&pages);
    // Truncated and with a wrong content type.
    let news =
        r#"<urlset><url><loc>/berita/1</loc></url><url><loc>/berita/2</loc></url><url><loc>/beri"#;
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" => {
            Reply::new(200).body(b"User-agent: *\nDisallow: /rahasia\nSitemap: /peta/index.xml\n")
        }
        "/peta/index.xml" => Reply::new(200)
            .header("content-type", "text/plain")
            .body(index.as_bytes()),
        "/peta/halaman.xml.gz" => Reply::new(200)
            .header("content-type", "application/octet-stream")
            .header("content-encoding", "gzip")
            .body(&double),
        "/peta/berita.xml" => Reply::new(200)
            .header("content-type", "text/html")
            .body(news.as_bytes()),
        "/" => page(&["/profil".to_string()]),
        "/profil" | "/tersembunyi" | "/dokumen" | "/berita/1" | "/berita/2" => page(&[]),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let result = crawl_with(&fetcher, &CrawlLimits::default()).await;
    let s = &result.summary;
    assert_eq!(s.sitemaps_read, 3);
    assert_eq!(
        s.sitemap_urls, 5,
        "/tersembunyi, /dokumen, /rahasia/data, /berita/1, /berita/2"
    );
    // robots.txt applies to sitemap URLs too.
    assert_eq!(count(s, "robots_disallowed"), 1);
    assert!(s.outcomes["robots_disallowed"].samples[0].ends_with("/rahasia/data"));
    assert_eq!(server.count("/rahasia/data"), 0);
    assert_eq!(
        s.sitemap_off_scope, 2,
        "lain.example.go.id index entry, b.example.go.id page"
    );
    let paths = server.paths();
    for p in [
        "/tersembunyi",
        "/dokumen",
        "/berita/1",
        "/berita/2",
        "/profil",
    ] {
        assert!(paths.iter().any(|q| q == p), "{p} not crawled: {paths:?}");
    }
    assert!(server.seen().iter().all(|r| r.host == "a.example.go.id"));
    assert_eq!(count(s, "fetched"), 6);
}

#[tokio::test]
async fn default_sitemap_xml_is_read_when_robots_lists_none() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/sitemap.xml" => Reply::new(200)
            .header("content-type", "application/xml")
            .body(b"<urlset><url><loc>http://a.example.go.id/yatim</loc></url></urlset>"),
        "/" | "/yatim" => page(&[]),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let result = crawl_with(&fetcher, &CrawlLimits::default()).await;
    assert_eq!(result.summary.sitemaps_read, 1);
    assert_eq!(server.paths(), ["/", "/yatim"]);
    // Sitemaps off: the orphan page is not found.
    let server2 = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/sitemap.xml" => Reply::new(200)
            .body(b"<urlset><url><loc>http://a.example.go.id/yatim</loc></url></urlset>"),
        _ => page(&[]),
    })
    .await;
    let fetcher = Fetcher::new(settings(server2.addr)).expect("fetcher");
    let limits = CrawlLimits {
        use_sitemaps: false,
        ..CrawlLimits::default()
    };
    let result = crawl_with(&fetcher, &limits).await;
    assert_eq!(result.summary.sitemaps_read, 0);
    assert_eq!(server2.count("/sitemap.xml"), 0);
    assert_eq!(server2.paths(), ["/"]);
}

#[tokio::test]
async fn session_id_variants_are_fetched_once() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" | "/sitemap.xml" => Reply::new(404),
        "/" => page(&[
            "/berita;jsessionid=0A1B2C3D4E5F6A7B".to_string(),
            "/berita;jsessionid=FFEEDDCCBBAA9988".to_string(),
            "/berita?PHPSESSID=9f86d081884c7d659a2feaa0c55ad015".to_string(),
            "/berita".to_string(),
        ]),
        _ => page(&[]),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let result = crawl_with(&fetcher, &CrawlLimits::default()).await;
    assert_eq!(server.paths(), ["/", "/berita;jsessionid=0A1B2C3D4E5F6A7B"]);
    assert_eq!(count(&result.summary, "fetched"), 2);
}

/// One URL for each outcome class that a loopback site can produce.
#[tokio::test]
async fn every_outcome_class_is_counted_with_samples_and_none_is_dropped() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(200).body(b"User-agent: *\nDisallow: /privat\n"),
        "/sitemap.xml" => Reply::new(404),
        "/" => page(&[
            "/ok".to_string(),
            "/dok.pdf".to_string(),
            "/besar".to_string(),
            "/tidak-ada".to_string(),
            "/galat".to_string(),
            "/privat".to_string(),
            "/lambat".to_string(),
            "/putus".to_string(),
            "/keluar".to_string(),
            "/putar".to_string(),
            "/tanpa-lokasi".to_string(),
            format!("/{}", "x".repeat(300)),
            "/ok2".to_string(),
        ]),
        "/ok" | "/ok2" => page(&[]),
        "/dok.pdf" => Reply::new(200)
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4"),
        "/besar" => Reply::html(&"b".repeat(4096)),
        "/galat" => Reply::new(500),
        "/lambat" => Reply::html("late").delay(3_000),
        "/putus" => Reply::hang_up(),
        "/keluar" => Reply::redirect(302, "http://luar.example.go.id/"),
        "/putar" => Reply::redirect(302, "/putar"),
        "/tanpa-lokasi" => Reply::new(302),
        _ => Reply::new(404),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_body_bytes = 2048;
    s.first_byte_timeout = Duration::from_millis(300);
    s.max_retries = 1;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let limits = CrawlLimits {
        max_pages: 12,
        max_url_length: 200,
        ..CrawlLimits::default()
    };
    let result = crawl_with(&fetcher, &limits).await;
    let sum = &result.summary;
    // Every class is present, even at 0.
    let classes: Vec<&str> = sum.outcomes.keys().map(String::as_str).collect();
    let mut expected = CrawlSummary::OUTCOME_CLASSES.to_vec();
    expected.sort();
    assert_eq!(classes, expected);
    let sample = |class: &str| sum.outcomes[class].samples.clone();
    assert_eq!(count(sum, "fetched"), 2, "/ and /ok");
    assert_eq!(count(sum, "not_html"), 1);
    assert!(sample("not_html")[0].ends_with("/dok.pdf"));
    assert_eq!(count(sum, "too_large"), 1);
    assert!(sample("too_large")[0].ends_with("/besar"));
    assert_eq!(count(sum, "http_4xx"), 1);
    assert!(sample("http_4xx")[0].ends_with("/tidak-ada"));
    assert_eq!(count(sum, "http_5xx"), 1);
    assert_eq!(count(sum, "http_3xx"), 1, "{:?}", sum.outcomes);
    assert!(sample("http_3xx")[0].ends_with("/tanpa-lokasi"));
    assert_eq!(count(sum, "robots_disallowed"), 1);
    assert!(sample("robots_disallowed")[0].ends_with("/privat"));
    assert_eq!(count(sum, "timeout"), 1);
    // Accepted, then closed without an answer: its own class, not `refused`.
    assert_eq!(count(sum, "connection_closed"), 1);
    assert!(sample("connection_closed")[0].ends_with("/putus"));
    assert_eq!(count(sum, "off_scope_redirect"), 1);
    assert_eq!(count(sum, "redirect_error"), 1);
    assert_eq!(count(sum, "trap"), 1);
    assert_eq!(
        count(sum, "budget_skipped"),
        1,
        "/ok2 is over the budget of 12"
    );
    assert!(sample("budget_skipped")[0].ends_with("/ok2"));
    for class in [
        "dns",
        "refused",
        "tls",
        "blocked_address",
        "transport_error",
        "robots_unreachable",
        "rate_limited",
    ] {
        assert_eq!(count(sum, class), 0, "{class}");
        assert!(sum.outcomes[class].samples.is_empty());
    }
}

#[tokio::test]
async fn rate_limited_pages_are_not_checked_and_not_broken() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" | "/sitemap.xml" => Reply::new(404),
        "/" => page(&["/sibuk".to_string()]),
        "/sibuk" => Reply::new(429).header("retry-after", "86400"),
        _ => page(&[]),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let result = crawl_with(&fetcher, &CrawlLimits::default()).await;
    let sum = &result.summary;
    assert_eq!(count(sum, "rate_limited"), 1);
    assert!(sum.outcomes["rate_limited"].samples[0].ends_with("/sibuk"));
    assert_eq!(sum.pages_failed, 0);
    assert!(!sum.failures.contains_key("rate_limited"));
    assert_eq!(server.count("/sibuk"), 1);
}

#[tokio::test]
async fn unreachable_robots_is_its_own_outcome() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(503),
        _ => page(&[]),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_retries = 0;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let result = crawl_with(&fetcher, &CrawlLimits::default()).await;
    assert_eq!(count(&result.summary, "robots_unreachable"), 1);
    assert_eq!(count(&result.summary, "robots_disallowed"), 0);
    assert_eq!(
        result.unreachable.map(|r| r.code).as_deref(),
        Some("robots_unreachable")
    );
}

#[tokio::test]
async fn samples_are_at_most_five_sorted() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" | "/sitemap.xml" => Reply::new(404),
        "/" => page(&(0..9).map(|n| format!("/hilang/{n}")).collect::<Vec<_>>()),
        _ => Reply::new(404),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let result = crawl_with(&fetcher, &CrawlLimits::default()).await;
    let four = &result.summary.outcomes["http_4xx"];
    assert_eq!(four.count, 9);
    let tails: Vec<&str> = four
        .samples
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or_default())
        .collect();
    assert_eq!(tails, ["0", "1", "2", "3", "4"]);
}
