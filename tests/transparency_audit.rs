//! The transparency catalogue through the full audit: `fixtures/transparency/` served on
//! loopback by the fixture server, discovered from the portal `kaltaraprov.go.id`, crawled and
//! scored by `pantau::audit::run_audit`, with the crawl's document fetches
//! (`SiteAccumulator::add_fetch`) and the agency types from the nomenclature
//! (`CheckContext::agency_types`) wired in.

mod common;

use pantau::scorecard::RuleStatus::{Fail, Partial, Pass};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixture_province_through_the_audit() {
    let dir = common::repo().join("fixtures/transparency");
    let out = tempfile::tempdir().expect("tempdir");
    let outcome = common::audit_fixture(&dir, "kaltaraprov.go.id", Vec::new(), out.path()).await;
    let ids: Vec<&str> = outcome
        .scorecards
        .iter()
        .map(|c| c.agency.id.as_str())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");

    let bapenda = common::card(&outcome, "bapenda");
    for id in [
        "ppid-page",
        "ppid-dip",
        "plan-renstra",
        "perf-report-lkjip",
        "budget-dpa",
        "complaint-sp4n-lapor",
        "site-official-email",
        "news-freshness",
        "comm-agenda",
    ] {
        let r = common::rule(bapenda, id);
        assert_eq!(r.status, Pass, "bapenda {id}: {:?}", r.reason);
    }
    // Rules for some agency types apply: Bapenda is a finance and service body in the
    // nomenclature.
    assert_eq!(common::rule(bapenda, "service-charter").status, Pass);
    assert_eq!(common::rule(bapenda, "budget-tpad").status, Pass);
    // Every document link was fetched by the crawl and opens (XLSX reported as ZIP included).
    let links = common::rule(bapenda, "site-links-work");
    assert_eq!(
        links.status, Pass,
        "{:?} {:?}",
        links.reason, links.evidence
    );
    assert_eq!(common::rule(bapenda, "site-search").status, Pass);

    let dinsos = common::card(&outcome, "dinsos");
    let expect = [
        ("profile-vision-mission", Fail),
        ("ppid-page", Fail),
        ("plan-renstra", Partial),
        ("site-official-email", Fail),
        ("news-freshness", Fail),
        ("complaint-sp4n-lapor", Partial),
    ];
    for (id, want) in expect {
        let r = common::rule(dinsos, id);
        assert_eq!(
            r.status, want,
            "dinsos {id}: {:?} {:?}",
            r.reason, r.evidence
        );
    }
    // The organisation chart is a dead document link (404): the crawl's fetch says so.
    let structure = common::rule(dinsos, "organisation-structure");
    assert_eq!(structure.status, Fail, "{:?}", structure.evidence);
    assert_eq!(
        structure.evidence[0].message,
        "Link to Organisation structure ('Struktur Organisasi' matched); target is dead (HTTP 404)"
    );
}

/// The province with a stand-in for `www.lapor.go.id` answering `status`, audited.
async fn audit_with_lapor_answering(status: u16) -> pantau::audit::AuditOutcome {
    let tmp = tempfile::tempdir().expect("tempdir");
    let province = tmp.path().join("province");
    common::copy_tree(&common::repo().join("fixtures/transparency"), &province);
    let lapor = province.join("www.lapor.go.id");
    std::fs::create_dir_all(&lapor).unwrap();
    std::fs::write(lapor.join("index.html"), "<!doctype html><title>SP4N-LAPOR!</title><p>Layanan Aspirasi dan Pengaduan Online Rakyat</p>").unwrap();
    if status != 200 {
        // The home page fails; robots.txt (absent: 404, allow all) lets pantau ask for it.
        std::fs::write(
            lapor.join("_redirects"),
            format!("/ /index.html {status}\n"),
        )
        .unwrap();
    }
    common::audit_fixture(
        &province,
        "kaltaraprov.go.id",
        Vec::new(),
        &tmp.path().join("out"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_links_are_checked_with_one_request() {
    // The service host answers: the SP4N-LAPOR! link works.
    let ok = audit_with_lapor_answering(200).await;
    let r = common::rule(common::card(&ok, "bapenda"), "complaint-sp4n-lapor");
    assert_eq!(r.status, Pass, "{:?} {:?}", r.reason, r.evidence);
    assert_eq!(
        r.evidence[0].message,
        "SP4N-LAPOR! national complaint service: link to lapor.go.id answers (HTTP 200)"
    );
    // The service's home page answers 404: the link is dead and no longer counts.
    let dead = audit_with_lapor_answering(404).await;
    let r = common::rule(common::card(&dead, "bapenda"), "complaint-sp4n-lapor");
    assert_eq!(r.status, Fail, "{:?} {:?}", r.reason, r.evidence);
    assert_eq!(
        r.evidence[0].message,
        "SP4N-LAPOR! national complaint service: link to lapor.go.id is dead (HTTP 404)"
    );
    // Without a stand-in (tests map only the fixture's hosts), the link is judged on presence
    // and no request leaves for real DNS: see `fixture_province_through_the_audit`.
}
