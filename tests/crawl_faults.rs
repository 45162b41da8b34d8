//! The fault province `fixtures/faults/` served by the fixture server, crawled host by host: each
//! fault gives its documented outcome class and the ordinary page of the host is still crawled.

mod fetch_support;

use pantau::crawl::{crawl_agency, CrawlLimits, CrawlResult, CrawledPage};
use pantau::discover::Agency;
use pantau::fetch::{FetchSettings, Fetcher};
use pantau::fixture::FixtureServer;
use std::path::PathBuf;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use url::Url;

fn faults_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/faults")
}

fn fetcher_for(server: &FixtureServer) -> Fetcher {
    Fetcher::new(settings_for(server)).expect("fetcher")
}

fn settings_for(server: &FixtureServer) -> FetchSettings {
    FetchSettings {
        user_agent: "pantau-test/0 (+http://127.0.0.1/)".to_string(),
        rate_per_host: 0.0,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        first_byte_timeout: Duration::from_secs(1),
        max_body_bytes: 256 * 1024,
        max_retries: 1,
        retry_base: Duration::from_millis(10),
        resolve: server.resolve_overrides(),
        extra_root_certs_pem: vec![server.ca_cert_pem().to_string()],
        ..FetchSettings::default()
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

async fn crawl(server: &FixtureServer, fault: &str) -> CrawlResult {
    let fetcher = fetcher_for(server);
    crawl_with(&fetcher, fault, |page: CrawledPage| {
        std::future::ready(links(&page))
    })
    .await
}

/// Crawls `<fault>.faults.test` with `fetcher` (shared between agencies like a run's).
async fn crawl_with<F, Fut>(fetcher: &Fetcher, fault: &str, on_page: F) -> CrawlResult
where
    F: Fn(CrawledPage) -> Fut + Sync,
    Fut: std::future::Future<Output = Vec<Url>> + Send,
{
    let host = format!("{fault}.faults.test");
    let agency = Agency {
        id: fault.to_string(),
        host,
        name: fault.to_string(),
        provenance: Vec::new(),
        explicit: false,
        aliases: Vec::new(),
    };
    let limits = CrawlLimits {
        max_calendar_variants: 5,
        ..CrawlLimits::default()
    };
    crawl_agency(
        &agency,
        fetcher,
        &limits,
        &CancellationToken::new(),
        on_page,
    )
    .await
}

/// The sample URLs of `class`, paths only.
fn paths(result: &CrawlResult, class: &str) -> Vec<String> {
    result.summary.outcomes[class]
        .samples
        .iter()
        .filter_map(|s| Url::parse(s).ok())
        .map(|u| u.path().to_string())
        .collect()
}

async fn server() -> FixtureServer {
    FixtureServer::start(&faults_dir(), 0)
        .await
        .expect("fault province serves")
}

/// Home and profile page crawled over https.
fn assert_rest_crawled(result: &CrawlResult) {
    let fetched = paths(result, "fetched");
    assert!(fetched.iter().any(|p| p == "/"), "{fetched:?}");
    assert!(fetched.iter().any(|p| p == "/profil.html"), "{fetched:?}");
    assert!(result.unreachable.is_none());
    assert_eq!(result.https, Some(Ok(())));
}

#[tokio::test]
async fn drip_is_a_timeout() {
    let server = server().await;
    let result = crawl(&server, "drip").await;
    assert_eq!(paths(&result, "timeout"), ["/tetes.html"]);
    assert_rest_crawled(&result);
}

#[tokio::test]
async fn slow_headers_are_a_timeout() {
    let server = server().await;
    let result = crawl(&server, "slow-headers").await;
    assert_eq!(paths(&result, "timeout"), ["/lambat.html"]);
    assert_rest_crawled(&result);
}

#[tokio::test]
async fn endless_body_is_cut_at_the_cap() {
    let server = server().await;
    let result = crawl(&server, "endless").await;
    assert_eq!(paths(&result, "too_large"), ["/tanpa-akhir.html"]);
    assert_rest_crawled(&result);
}

#[tokio::test]
async fn compression_bombs_stop_at_the_cap() {
    let server = server().await;
    for (host, bombs) in [
        ("gzip-bomb", vec!["/bom.html"]),
        ("brotli-bomb", vec!["/bom.html"]),
        ("deflate-bomb", vec!["/bom-mentah.html", "/bom.html"]),
    ] {
        let result = crawl(&server, host).await;
        assert_eq!(paths(&result, "too_large"), bombs, "{host}");
        assert_rest_crawled(&result);
        // Bytes counted stay at the cap per bomb, not 32 MiB.
        assert!(result.summary.bytes < (bombs.len() as u64 + 1) * 256 * 1024 + 10_000);
    }
}

#[tokio::test]
async fn retry_after_a_day_is_rate_limited_not_broken() {
    let server = server().await;
    let result = crawl(&server, "rate-limited").await;
    assert_eq!(paths(&result, "rate_limited"), ["/sibuk.html"]);
    assert_eq!(result.summary.pages_failed, 0);
    assert!(result.summary.failures.is_empty());
}

#[tokio::test]
async fn redirect_loop_is_a_redirect_error() {
    let server = server().await;
    let result = crawl(&server, "redirect-loop").await;
    assert_eq!(paths(&result, "redirect_error"), ["/putar-a"]);
    assert_eq!(result.summary.failures["redirect_loop"].count, 1);
    assert_rest_crawled(&result);
}

#[tokio::test]
async fn cookie_gate_is_passed_with_the_cookie_jar() {
    let server = server().await;
    let result = crawl(&server, "cookie-gate").await;
    assert_eq!(result.summary.outcomes["fetched"].count, 2);
    assert_eq!(result.summary.outcomes["redirect_error"].count, 0);
    assert_rest_crawled(&result);
}

/// The text of `<pre id="cookies">` on the `echo-cookies` page `/kue.html` of a crawl.
async fn cookies_seen(fetcher: &Fetcher, fault: &str) -> String {
    let seen = std::sync::Mutex::new(None);
    let result = crawl_with(fetcher, fault, |page: CrawledPage| {
        if page.document.final_url.path() == "/kue.html" {
            let html = scraper::Html::parse_document(&page.document.text);
            let pre = scraper::Selector::parse("pre#cookies").expect("selector");
            let text = html.select(&pre).next().map(|e| e.text().collect());
            *seen.lock().expect("not poisoned") = text;
        }
        std::future::ready(links(&page))
    })
    .await;
    assert_eq!(
        result.summary.outcomes["fetched"].count, 3,
        "/, profil, kue"
    );
    let text = seen.into_inner().expect("not poisoned");
    text.expect("/kue.html was crawled")
}

#[tokio::test]
async fn cookies_of_one_agency_never_reach_another() {
    let server = server().await;
    // One fetcher for both agencies, as in a run.
    let fetcher = fetcher_for(&server);
    // cookie-domain's home page sets `opd_sesi` with `Domain=.faults.test`: its own pages get
    // it back…
    assert_eq!(
        cookies_seen(&fetcher, "cookie-domain").await,
        "opd_sesi=cookie-domain"
    );
    // …another agency under the same parent domain never does.
    assert_eq!(cookies_seen(&fetcher, "cookie-echo").await, "");
    // Asked again afterwards, the first agency's jar still holds its cookie.
    let doc = fetcher
        .fetch(&Url::parse("https://cookie-domain.faults.test/kue.html").expect("url"))
        .await;
    let pantau::fetch::FetchOutcome::Document(doc) = doc else {
        panic!("kue.html answered: {doc:?}");
    };
    assert!(
        doc.text.contains(">opd_sesi=cookie-domain<"),
        "{}",
        doc.text
    );
}

#[tokio::test]
async fn calendar_chain_is_a_trap_and_stops() {
    let server = server().await;
    let result = crawl(&server, "calendar").await;
    let trap = &result.summary.traps["calendar"];
    assert_eq!(trap.count, 2, "the next and previous month beyond the cap");
    assert_eq!(result.summary.outcomes["trap"].count, 2);
    // `/`, `/profil.html`, `/agenda` and 5 calendar variants were fetched (the samples are the
    // 5 smallest URLs, all `/agenda…`, so the count tells).
    assert_eq!(result.summary.outcomes["fetched"].count, 8);
    assert!(result.unreachable.is_none());
}

#[tokio::test]
async fn wrong_content_types_are_not_parsed_as_html() {
    let server = server().await;
    let result = crawl(&server, "content-types").await;
    assert_eq!(
        paths(&result, "not_html"),
        ["/data.html", "/files/unduh.pdf", "/laporan.html"]
    );
    // The link inside /data.html (HTML labelled JSON) is not followed.
    assert_eq!(result.summary.outcomes["http_4xx"].count, 0);
    assert_eq!(result.summary.pages_fetched, 5);
    assert_rest_crawled(&result);
}

/// A fetcher that asks an unreachable robots.txt again after 50 ms.
fn quick_robots_retry(server: &FixtureServer) -> Fetcher {
    Fetcher::new(FetchSettings {
        robots_retry_interval: Duration::from_millis(50),
        ..settings_for(server)
    })
    .expect("fetcher")
}

#[tokio::test]
async fn robots_503_once_is_retried_and_the_site_crawled() {
    let server = server().await;
    let fetcher = quick_robots_retry(&server);
    let result = crawl_with(&fetcher, "robots-flaky", |page: CrawledPage| {
        std::future::ready(links(&page))
    })
    .await;
    // The first robots.txt answer was 503: the home page was refused, then asked again, and
    // its links and its sitemap (`/peta.html`, linked nowhere) were crawled.
    assert_rest_crawled(&result);
    assert_eq!(
        paths(&result, "fetched"),
        ["/", "/peta.html", "/profil.html"]
    );
    assert_eq!(result.summary.sitemaps_read, 1);
    assert_eq!(result.summary.outcomes["robots_unreachable"].count, 0);
    assert_eq!(result.summary.robots_disallowed, 0);
    assert_eq!(result.robots_unreachable, None);
}

#[tokio::test]
async fn robots_503_every_time_stays_robots_unreachable_with_samples() {
    let server = server().await;
    let fetcher = quick_robots_retry(&server);
    let result = crawl_with(&fetcher, "robots-down", |page: CrawledPage| {
        std::future::ready(links(&page))
    })
    .await;
    let reason = result.unreachable.clone().expect("nothing was crawled");
    assert_eq!(reason.code, "robots_unreachable");
    assert!(reason.message.contains("503"), "{}", reason.message);
    assert_eq!(paths(&result, "robots_unreachable"), ["/"]);
    assert_eq!(result.summary.outcomes["robots_unreachable"].count, 1);
    assert_eq!(result.summary.outcomes["fetched"].count, 0);
    assert_eq!(result.summary.robots_disallowed, 1);
    assert!(result
        .robots_unreachable
        .is_some_and(|why| why.contains("HTTP 503")));
}

#[tokio::test]
async fn refresh_targets_in_scope_are_crawled_and_others_recorded() {
    let server = server().await;
    let fetcher = fetcher_for(&server);
    let handed = std::sync::Mutex::new(Vec::new());
    let result = crawl_with(&fetcher, "refresh", |page: CrawledPage| {
        let url = &page.document.final_url;
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        handed.lock().expect("not poisoned").push(path);
        std::future::ready(links(&page))
    })
    .await;
    assert!(result.unreachable.is_none());
    let mut handed = handed.into_inner().expect("not poisoned");
    handed.sort();
    // `/baru.html…` and `/tujuan.html` are reached only through a refresh: a `<meta>` one
    // (delay 3, `&amp;` decoded once) and a `Refresh` header.
    assert_eq!(
        handed,
        [
            "/",
            "/baru.html?dari=lama&x=1",
            "/keluar.html",
            "/lama.html",
            "/pindah.html",
            "/profil.html",
            "/tujuan.html"
        ]
    );
    assert_eq!(result.summary.outcomes["fetched"].count, 7);
    let refreshes = &result.summary.refreshes;
    assert_eq!((refreshes.count, refreshes.off_scope), (3, 1));
    let seen: Vec<(&str, &str, u64, bool)> = refreshes
        .samples
        .iter()
        .map(|r| (r.url.as_str(), r.target.as_str(), r.delay_s, r.in_scope))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "https://refresh.faults.test/keluar.html",
                "https://luar.faults.test/",
                0,
                false
            ),
            (
                "https://refresh.faults.test/lama.html",
                "https://refresh.faults.test/baru.html?dari=lama&x=1",
                3,
                true
            ),
            (
                "https://refresh.faults.test/pindah.html",
                "https://refresh.faults.test/tujuan.html",
                0,
                true
            ),
        ]
    );
    // The other host is recorded, never requested.
    assert_eq!(result.summary.off_scope, 1);
}

#[tokio::test]
async fn accept_then_close_is_connection_closed_on_both_schemes() {
    // No folder for this host: the server accepts and closes without a word (TLS and plain).
    let server = server().await;
    let mut settings = settings_for(&server);
    // Resolved to the fixture server like its own hosts: no DNS server is asked.
    settings.resolve.push(pantau::fetch::ResolveOverride {
        host: "tanpa-folder.faults.test".to_string(),
        addr: server.addr(),
    });
    let fetcher = Fetcher::new(settings).expect("fetcher");
    for scheme in ["https", "http"] {
        let url = Url::parse(&format!("{scheme}://tanpa-folder.faults.test/")).expect("url");
        let outcome = fetcher.fetch(&url).await;
        let pantau::fetch::FetchOutcome::Failed(f) = outcome else {
            panic!("{scheme}: an answer from a host without a folder: {outcome:?}");
        };
        assert_eq!(
            f.class,
            pantau::fetch::FailureClass::Closed,
            "{scheme}: {f:?}"
        );
    }
    let result = crawl_with(&fetcher, "tanpa-folder", |page: CrawledPage| {
        std::future::ready(links(&page))
    })
    .await;
    let reason = result.unreachable.clone().expect("unreachable");
    assert_eq!(reason.code, "connection_closed");
    assert_eq!(result.summary.outcomes["connection_closed"].count, 1);
    assert_eq!(result.summary.failures["connection_closed"].count, 1);
    assert_eq!(result.summary.outcomes["refused"].count, 0);
}
