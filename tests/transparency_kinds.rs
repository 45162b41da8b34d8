//! The transparency check kinds over small hand-built agencies: sitemap `lastmod`, one-hop
//! checks of service links, documents verified by Content-Type and magic bytes, documents
//! without a year, address-only contacts; and the validation of the new rule keys and params.

use pantau::page::Page;
use pantau::rules::{CheckContext, FetchSeen, RuleSet, RulesError, SiteFacts, SiteRuleResult};
use pantau::scorecard::RuleStatus;

const HOST: &str = "dinas.kaltaraprov.go.id";

fn ctx() -> CheckContext {
    CheckContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+08:00").expect("time"),
        agency_host: HOST.to_string(),
        agency_types: Some(vec!["svc".to_string()]),
    }
}

/// Run the built-in rules over `pages` (path, html) plus `fetches` and `lastmods`.
fn site(
    pages: &[(&str, &str)],
    fetches: &[FetchSeen],
    lastmods: &[(&str, &str)],
    rule_id: &str,
) -> SiteRuleResult {
    let rules = RuleSet::embedded().expect("embedded rules");
    let mut acc = rules.site_accumulator();
    for (path, html) in pages {
        let url = url::Url::parse(&format!("https://{HOST}{path}")).expect("url");
        acc.add(
            rules
                .check_page(&Page::parse(url, 200, html), &ctx())
                .evidence,
        );
    }
    for f in fetches {
        acc.add_fetch(f.clone());
    }
    for (url, lastmod) in lastmods {
        acc.add_sitemap_lastmod(url, lastmod);
    }
    let facts = SiteFacts {
        https: None,
        pages_checked: pages.len() as u64,
    };
    let idx = rules
        .rules()
        .iter()
        .position(|r| r.id == rule_id)
        .expect("rule id");
    acc.finish(&facts, &ctx())
        .into_iter()
        .find(|r| r.rule == idx)
        .expect("site result")
}

fn fetch(path: &str, status: Option<u16>, mime: Option<&str>, head: &[u8]) -> FetchSeen {
    FetchSeen {
        url: format!("https://{HOST}{path}"),
        status,
        content_type: mime.map(str::to_string),
        head: head.to_vec(),
    }
}

#[test]
fn sitemap_lastmod_decides_freshness_when_only_the_home_page_is_visible() {
    let home = [("/", "<body><p>Selamat datang</p></body>")];
    let r = site(&home, &[], &[], "site-updated");
    assert_eq!(r.status, RuleStatus::Unknown);
    assert_eq!(
        r.reason.as_deref(),
        Some("no dated item found and only the home page was checked")
    );
    let with = site(
        &home,
        &[],
        &[
            (
                "https://dinas.kaltaraprov.go.id/berita/a/",
                "2026-10-02T08:00:00+08:00",
            ),
            ("https://dinas.kaltaraprov.go.id/berita/b/", "2027-05-01"),
            ("https://dinas.kaltaraprov.go.id/x/", "not a date"),
        ],
        "site-updated",
    );
    assert_eq!(with.status, RuleStatus::Pass);
    // site-updated has one limit (pass_days = partial_days = 180): the reason names it once.
    assert_eq!(
        with.reason.as_deref(),
        Some("newest dated item 2026-10-02 is 60 days old (pass ≤ 180 days)")
    );
    let got: Vec<(&str, &str)> = with
        .evidence
        .iter()
        .map(|e| (e.url.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "https://dinas.kaltaraprov.go.id/berita/a/",
                "Newest dated item: 2026-10-02 (60 days old)"
            ),
            (
                "https://dinas.kaltaraprov.go.id/berita/b/",
                "Date in the future ignored: 2027-05-01"
            ),
        ]
    );
    // A scoped rule (the agenda) does not read the sitemap.
    assert_eq!(
        site(&home, &[], &[("https://x/", "2026-11-30")], "comm-agenda").status,
        RuleStatus::Unknown
    );
}

#[test]
fn stale_home_page_dates_still_fail() {
    let r = site(
        &[("/", "<p>Rabu, 12 Maret 2025</p>")],
        &[],
        &[],
        "site-updated",
    );
    assert_eq!(r.status, RuleStatus::Fail);
}

#[test]
fn one_hop_check_of_a_service_link() {
    let page = [(
        "/",
        r#"<body><footer><a href="https://www.lapor.go.id/instansi/x"><img src="l.png" alt="SP4N-LAPOR!"></a></footer></body>"#,
    )];
    let ok = FetchSeen {
        url: "https://www.lapor.go.id/instansi/x".to_string(),
        status: Some(200),
        content_type: Some("text/html".to_string()),
        head: Vec::new(),
    };
    // The page tells the audit which links to check with one request.
    let rules = RuleSet::embedded().expect("rules");
    let p = Page::parse(
        url::Url::parse(&format!("https://{HOST}/")).expect("url"),
        200,
        page[0].1,
    );
    assert_eq!(
        rules.check_page(&p, &ctx()).evidence.one_hop_links(),
        vec!["https://www.lapor.go.id/instansi/x"]
    );
    let r = site(&page, &[ok], &[], "complaint-sp4n-lapor");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(
        r.evidence[0].message,
        "SP4N-LAPOR! national complaint service: link to lapor.go.id answers (HTTP 200)"
    );
    let gone = FetchSeen {
        status: Some(410),
        ..ok_clone()
    };
    let r = site(&page, &[gone], &[], "complaint-sp4n-lapor");
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(
        r.evidence[0].message,
        "SP4N-LAPOR! national complaint service: link to lapor.go.id is dead (HTTP 410)"
    );
}

fn ok_clone() -> FetchSeen {
    FetchSeen {
        url: "https://www.lapor.go.id/instansi/x".to_string(),
        status: Some(200),
        content_type: None,
        head: Vec::new(),
    }
}

const DOCS_PAGE: &str = r#"<body><main><h1>Dokumen</h1><ul>
<li><a href="/unduh?id=7&f=lkjip-2025.pdf">LKjIP 2025</a></li>
<li><a href="/files/renja-2026.pdf">Renja 2026</a></li>
<li><a href="/files/renstra.pdf">Renstra</a></li>
</ul></main></body>"#;

#[test]
fn document_type_by_magic_bytes_and_a_pdf_link_that_answers_html() {
    let octet = fetch(
        "/files/renja-2026.pdf",
        Some(200),
        Some("application/octet-stream"),
        b"%PDF-1.5\n%\xe2\xe3",
    );
    let r = site(&[("/dokumen/", DOCS_PAGE)], &[octet], &[], "plan-renja");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(
        r.evidence[0].message,
        "Annual work plan (Renja): pdf document for 2026 (year from file name; type verified by the crawl)"
    );
    // The crawl hands an HTML answer to the checker as a page: here an error page.
    let pages = [
        ("/dokumen/", DOCS_PAGE),
        (
            "/files/renja-2026.pdf",
            "<body><main><p>File tidak ditemukan</p></main></body>",
        ),
    ];
    let r = site(&pages, &[], &[], "plan-renja");
    assert_eq!(r.status, RuleStatus::Fail);
    let messages: Vec<&str> = r.evidence.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "Annual work plan (Renja): link looks like a document but answers an HTML page",
            "Link to Annual work plan (Renja) ('Renja' matched); target page says 'file tidak ditemukan'",
            "Annual work plan (Renja): page URL slug (renja); page says 'file tidak ditemukan'",
        ]
    );
    // A fetch that answered another type: named in the evidence.
    let other = fetch(
        "/files/renja-2026.pdf",
        Some(200),
        Some("text/plain"),
        b"catatan",
    );
    let r = site(&[("/dokumen/", DOCS_PAGE)], &[other], &[], "plan-renja");
    assert!(r.evidence.iter().any(|e| e.message
        == "Annual work plan (Renja): link looks like a document but answers text/plain"));
}

#[test]
fn document_without_a_year_is_partial_when_the_rule_has_a_period() {
    let r = site(&[("/dokumen/", DOCS_PAGE)], &[], &[], "plan-renstra");
    assert_eq!(r.status, RuleStatus::Partial);
    assert!(
        r.evidence[0].message.starts_with(
            "Strategic plan (Renstra): pdf document without a year in its name, text or page title"
        ),
        "{:?}",
        r.evidence
    );
    // A document behind a download script: the file name is in the query, not the path, so
    // only its link text dates it; the extension is unknown, so it is not a document.
    let r = site(&[("/dokumen/", DOCS_PAGE)], &[], &[], "perf-report-lkjip");
    assert_eq!(r.status, RuleStatus::Partial);
}

#[test]
fn site_content_link_to_a_document_passes_unless_the_crawl_found_it_dead() {
    let page = [(
        "/",
        r#"<nav><a href="/files/bagan.jpg">Struktur Organisasi</a></nav>"#,
    )];
    let r = site(&page, &[], &[], "organisation-structure");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(
        r.evidence[0].message,
        "Organisation structure: document linked from https://dinas.kaltaraprov.go.id/ (type from the link; not fetched)"
    );
    let dead = fetch("/files/bagan.jpg", Some(404), Some("text/html"), b"<html>");
    let r = site(&page, &[dead], &[], "organisation-structure");
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(
        r.evidence[0].message,
        "Link to Organisation structure ('Struktur Organisasi' matched); target is dead (HTTP 404)"
    );
}

#[test]
fn seat_address_needs_a_street_address() {
    let phone_only = [(
        "/",
        r#"<footer><a href="/kontak/">Kontak</a> Telp. (0552) 21001</footer>"#,
    )];
    assert_eq!(
        site(&phone_only, &[], &[], "profile-seat-address").status,
        RuleStatus::Partial
    );
    let with_street = [(
        "/",
        r#"<footer><a href="/kontak/">Kontak</a> Jl. Kolonel Soetadji No. 1, Tanjung Selor</footer>"#,
    )];
    let r = site(&with_street, &[], &[], "profile-seat-address");
    assert_eq!(r.status, RuleStatus::Pass);
    assert!(r.evidence.iter().any(|e| e.message == "Street address"
        && e.snippet.as_deref() == Some("Jl. Kolonel Soetadji No. 1")));
}

const SCORING: &str = "[category.transparency]\nweight = 40\nreason = \"KIP\"\n\
[category.accessibility]\nweight = 30\nreason = \"WCAG\"\n\
[category.security]\nweight = 15\nreason = \"PSTE\"\n\
[category.integrity]\nweight = 15\nreason = \"gate\"\n";

fn problems(rule: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("scoring.toml"), SCORING).expect("write");
    std::fs::write(dir.path().join("t.toml"), rule).expect("write");
    match RuleSet::load_dir(dir.path()) {
        Ok(_) => Vec::new(),
        Err(RulesError::Invalid(p)) => p
            .into_iter()
            .map(|l| {
                l.rsplit_once("t.toml:")
                    .map_or(l.clone(), |(_, r)| r.to_string())
            })
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

const HEAD: &str =
    "[[rule]]\nid = \"x\"\ncategory = \"transparency\"\nweight = 1\nseverity = \"minor\"\n\
source = \"s\"\ntitle.id = \"a\"\ntitle.en = \"b\"\n";

#[test]
fn new_rule_keys_and_params_are_validated() {
    let ok = format!(
        "{HEAD}group = \"ppid\"\napplies_to = [\"svc\"]\nweight_by_type = {{ insp = 3 }}\n\
         description.id = \"i\"\ndescription.en = \"e\"\nkind = \"document\"\n\
         params = {{ synonyms = [\"DPA\"], max_age_years = 0, grace_until = \"02-28\" }}\n"
    );
    assert_eq!(problems(&ok), Vec::<String>::new());
    let bad = format!(
        "{HEAD}applies_to = [\"dinas\"]\nweight_by_type = {{ insp = 0 }}\ndescription.id = \"i\"\n\
         kind = \"document\"\nparams = {{ synonyms = [\"DPA\"], doc_types = [\"zip\"] }}\n"
    );
    assert_eq!(
        problems(&bad),
        vec![
            "11: rule 'x': description needs non-empty 'id' and 'en' strings",
            "9: rule 'x': applies_to: unknown code \"dinas\" (expected: all, svc, fin, insp, kominfo, hukum, bpbd)",
            "10: rule 'x': weight_by_type.insp: need a known code (all, svc, fin, insp, kominfo, hukum, bpbd) and a weight > 0",
            "13: rule 'x': bad params for kind 'document': doc_types: unknown 'zip' (expected pdf, doc, sheet, slides, image, viewer)",
        ]
    );
    let bad_extra = format!(
        "{HEAD}applies_to = [\"dinas\"]\nweight_by_type = {{ insp = 0 }}\ndescription.id = \"i\"\n\
         kind = \"external_service\"\nparams = {{ hosts = [\"lapor.go.id\"] }}\n"
    );
    assert_eq!(
        problems(&bad_extra),
        vec![
            "11: rule 'x': description needs non-empty 'id' and 'en' strings",
            "9: rule 'x': applies_to: unknown code \"dinas\" (expected: all, svc, fin, insp, kominfo, hukum, bpbd)",
            "10: rule 'x': weight_by_type.insp: need a known code (all, svc, fin, insp, kominfo, hukum, bpbd) and a weight > 0",
        ]
    );
}

/// Every site rule's result, as comparable text, for `pages` added in the given order.
fn all_results(pages: &[(&str, &str)]) -> Vec<String> {
    let rules = RuleSet::embedded().expect("embedded rules");
    let mut acc = rules.site_accumulator();
    for (path, html) in pages {
        let url = url::Url::parse(&format!("https://{HOST}{path}")).expect("url");
        acc.add(
            rules
                .check_page(&Page::parse(url, 200, html), &ctx())
                .evidence,
        );
    }
    let facts = SiteFacts {
        https: None,
        pages_checked: pages.len() as u64,
    };
    acc.finish(&facts, &ctx())
        .into_iter()
        .map(|r| format!("{} {:?} {:?} {:?}", r.rule, r.status, r.reason, r.evidence))
        .collect()
}

#[test]
fn results_do_not_depend_on_page_order() {
    // The crawl hands pages over concurrently: the same site must give the same scorecard.
    let footer = r#"<footer><a href="/kontak/">Kontak</a> Jl. Sengkawit No. 1 · (0552) 21234 ·
        <a href="mailto:dinas@kaltaraprov.go.id">surel</a> · dinas.x@gmail.com ·
        <a href="https://www.lapor.go.id/">LAPOR</a> <a href="/files/sop.pdf">SOP</a></footer>"#;
    let a = format!("<body><main><h2>Visi</h2><p>1 Mei 2026</p></main>{footer}</body>");
    let b =
        format!("<body><main><h2>Visi</h2><p>1 Mei 2026 · 9 Juli 2027</p></main>{footer}</body>");
    let c = format!("<body><main><p>Agenda 2 Agustus 2027</p></main>{footer}</body>");
    let pages = [
        ("/a/", a.as_str()),
        ("/b/", b.as_str()),
        ("/c/", c.as_str()),
    ];
    let reversed = [pages[2], pages[1], pages[0]];
    assert_eq!(all_results(&pages), all_results(&reversed));
}
