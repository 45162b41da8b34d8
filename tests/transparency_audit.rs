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
