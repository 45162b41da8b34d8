//! The `fixtures/sulbar` province behaves as its README promises: hosts, redirects, TLS,
//! unreachable hosts, 500s, windows-1252, robots.txt, spam only where planted, no broken links.

use pantau::fetch::ResolveOverride;
use pantau::fixture::FixtureServer;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn sulbar_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/sulbar")
}

const HOSTS: [&str; 14] = [
    "bapenda.sulbarprov.go.id",
    "bappeda.sulbarprov.go.id",
    "bkd.sulbarprov.go.id",
    "dinkes.sulbarprov.go.id",
    "disdik.sulbarprov.go.id",
    "dishub.sulbarprov.go.id",
    "diskominfo.sulbarprov.go.id",
    "dispar.sulbarprov.go.id",
    "dlh.sulbarprov.go.id",
    "dpmptsp.sulbarprov.go.id",
    "inspektorat.sulbarprov.go.id",
    "rsud.sulbarprov.go.id",
    "sulbarprov.go.id",
    "www.sulbarprov.go.id",
];

fn client(server: &FixtureServer) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(server.ca_cert_pem().as_bytes()).expect("CA");
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .add_root_certificate(ca);
    for host in HOSTS.iter().chain(["bpbd.sulbarprov.go.id"].iter()) {
        builder = builder.resolve(host, server.addr());
    }
    builder.build().expect("client")
}

async fn status_and_location(c: &reqwest::Client, url: &str) -> (u16, Option<String>) {
    let resp = c.get(url).send().await.expect("HTTP answer");
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap_or_default().to_string());
    (resp.status().as_u16(), location)
}

#[tokio::test]
async fn hosts_redirects_tls_and_unreachable() {
    let server = FixtureServer::start(&sulbar_dir(), 0).await.expect("start");
    assert_eq!(server.hosts(), HOSTS);
    assert_eq!(
        server.resolve_overrides(),
        vec![
            ResolveOverride {
                host: "sulbarprov.go.id".to_string(),
                addr: server.addr()
            },
            ResolveOverride {
                host: "*.sulbarprov.go.id".to_string(),
                addr: server.addr()
            },
        ]
    );
    let c = client(&server);
    let port = server.addr().port();
    let https = |host: &str, path: &str| format!("https://{host}:{port}{path}");
    let http = |host: &str, path: &str| format!("http://{host}:{port}{path}");

    assert_eq!(
        status_and_location(&c, &https("www.sulbarprov.go.id", "/profil/")).await,
        (301, Some("https://sulbarprov.go.id/profil/".to_string()))
    );
    assert_eq!(
        status_and_location(&c, &https("disdik.sulbarprov.go.id", "/")).await,
        (301, Some("https://disdik-sulbar.blogspot.com/".to_string()))
    );
    // robots.txt stays on the host so a crawl of the fixture never follows the redirect out.
    assert_eq!(
        status_and_location(&c, &https("disdik.sulbarprov.go.id", "/robots.txt")).await,
        (200, None)
    );
    for path in [
        "/layanan/izin-usaha/",
        "/layanan/izin-lingkungan/",
        "/layanan/cek-status/",
    ] {
        let resp = c
            .get(https("dpmptsp.sulbarprov.go.id", path))
            .send()
            .await
            .expect("answer");
        assert_eq!(resp.status().as_u16(), 500, "{path}");
        assert!(resp
            .text()
            .await
            .expect("body")
            .contains("Terjadi kesalahan pada server"));
    }

    // bpbd: no folder → no HTTP answer, on either protocol.
    for url in [
        http("bpbd.sulbarprov.go.id", "/"),
        https("bpbd.sulbarprov.go.id", "/"),
    ] {
        let err = c.get(&url).send().await.expect_err("bpbd is unreachable");
        assert!(err.status().is_none(), "{url}");
    }

    // dinkes: no HTTPS, plain HTTP works.
    assert!(c
        .get(https("dinkes.sulbarprov.go.id", "/"))
        .send()
        .await
        .is_err());
    assert_eq!(
        status_and_location(&c, &http("dinkes.sulbarprov.go.id", "/")).await,
        (200, None)
    );
    assert_eq!(
        status_and_location(&c, &https("diskominfo.sulbarprov.go.id", "/")).await,
        (200, None)
    );

    let robots = c
        .get(https("bappeda.sulbarprov.go.id", "/robots.txt"))
        .send()
        .await
        .expect("robots")
        .text()
        .await
        .expect("body");
    assert_eq!(robots, "User-agent: *\nDisallow: /dokumen/internal/\n");

    let sitemap = c
        .get(https("sulbarprov.go.id", "/sitemap.xml"))
        .send()
        .await
        .expect("sitemap")
        .text()
        .await
        .expect("body");
    assert!(sitemap.contains("<loc>https://dlh.sulbarprov.go.id/</loc>"));
    server.shutdown().await;
}

#[tokio::test]
async fn bapenda_is_windows_1252_without_header_charset() {
    let server = FixtureServer::start(&sulbar_dir(), 0).await.expect("start");
    let c = client(&server);
    let port = server.addr().port();
    let resp = c
        .get(format!("https://bapenda.sulbarprov.go.id:{port}/"))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        resp.headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("text/html")
    );
    let bytes = resp.bytes().await.expect("body");
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    assert!(bytes.contains(&0x96));
    let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!had_errors);
    assert!(text.contains("charset=windows-1252"));
    assert!(text.contains("Pajak Kendaraan Bermotor \u{2013} Samsat Keliling"));
    assert!(text.contains("Informasi \u{201c}PKB\u{201d}"));
    assert!(text.contains("\u{a9} 2026"));
}

/// Every HTML page of every served host, by walking the folders.
fn html_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for host in HOSTS {
        let root = sulbar_dir().join(host);
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read_dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    let rel = path.strip_prefix(&root).expect("under root");
                    out.push((host.to_string(), rel.to_string_lossy().replace('\\', "/")));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn gambling_words_only_on_the_inspektorat_home_page() {
    let mut found = BTreeSet::new();
    for (host, rel) in html_files() {
        let bytes = std::fs::read(sulbar_dir().join(&host).join(&rel)).expect("read");
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for word in ["gacor", "maxwin", "togel"] {
            if text.contains(word) {
                found.insert(format!("{host}/{rel}"));
            }
        }
    }
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        vec!["inspektorat.sulbarprov.go.id/index.html".to_string()]
    );
}

#[tokio::test]
async fn every_same_host_link_resolves() {
    let server = FixtureServer::start(&sulbar_dir(), 0).await.expect("start");
    let c = client(&server);
    let port = server.addr().port();
    let selector = scraper::Selector::parse("a[href], img[src], link[href]").expect("selector");
    let mut checked = 0;
    for (host, rel) in html_files() {
        if rel == "404.html" || rel == "error.html" {
            continue;
        }
        let bytes = std::fs::read(sulbar_dir().join(&host).join(&rel)).expect("read");
        let text = if host.starts_with("bapenda.") {
            encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
        } else {
            String::from_utf8(bytes).expect("UTF-8 page")
        };
        let page_path = format!("/{}", rel.trim_end_matches("index.html"));
        let base = url::Url::parse(&format!("http://{host}{page_path}")).expect("base");
        let doc = scraper::Html::parse_document(&text);
        for el in doc.select(&selector) {
            let attr = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap_or_default();
            let Ok(target) = base.join(attr) else {
                continue;
            };
            if target.scheme() != "http" || target.host_str() != Some(host.as_str()) {
                continue;
            }
            let url = format!("http://{host}:{port}{}", target.path());
            let (status, _) = status_and_location(&c, &url).await;
            let expected = if host.starts_with("dpmptsp.") && target.path().starts_with("/layanan/")
            {
                500
            } else {
                200
            };
            assert_eq!(status, expected, "{host}{page_path} → {url}");
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} links checked");
}
