//! Crawl behaviours that must reach the scorecard, asserted through a whole audit of fault hosts
//! from `fixtures/faults/` (copied into a temporary province, served on loopback): a
//! header/meta charset conflict is an integrity finding with evidence, and character references
//! in `href` are decoded exactly once.

mod common;

use common::{card, copy_tree, loopback_settings, plan, repo, rule};
use pantau::audit::{run_audit, AuditOutcome};
use pantau::discover::SeedAgency;
use pantau::fixture::FixtureServer;
use pantau::scorecard::RuleStatus;
use std::sync::OnceLock;
use tokio_util::sync::CancellationToken;

/// The fault hosts audited here.
const HOSTS: [&str; 2] = ["charset.faults.test", "entities.faults.test"];

/// One audit of [`HOSTS`], shared by the tests of this file.
fn outcome() -> &'static AuditOutcome {
    static OUTCOME: OnceLock<AuditOutcome> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("crawl-findings-{}", std::process::id()));
        let province = tmp.join("province");
        for host in HOSTS {
            copy_tree(
                &repo().join("fixtures/faults").join(host),
                &province.join(host),
            );
        }
        let seeds = HOSTS
            .iter()
            .map(|host| SeedAgency {
                host: host.to_string(),
                name: Some(format!("Gangguan {host}")),
                aliases: Vec::new(),
            })
            .collect();
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let server = FixtureServer::start(&province, 0)
                .await
                .expect("fixture server starts");
            let mut settings = loopback_settings(&server, &tmp.join("run"));
            // The portal `faults.test` (no folder: closed without an answer) and any other
            // name under it go to the fixture server too: no DNS server is ever asked.
            let addr = server.addr();
            if let Some(resolve) = settings.resolve.as_mut() {
                resolve.push(format!("faults.test:{addr}"));
                resolve.push(format!("*.faults.test:{addr}"));
            }
            let outcome = run_audit(
                plan("faults.test", seeds, settings),
                CancellationToken::new(),
            )
            .await
            .expect("audit runs");
            server.shutdown().await;
            outcome
        })
    })
}

#[test]
fn header_and_meta_charset_conflict_is_an_integrity_finding() {
    let o = outcome();
    let c = card(o, "charset");
    let r = rule(c, "charset-conflict");
    assert_eq!(r.status, RuleStatus::Fail, "{r:?}");
    assert_eq!(r.evidence.len(), 1, "only /campur.html conflicts: {r:?}");
    let e = &r.evidence[0];
    assert_eq!(e.url, "https://charset.faults.test/campur.html");
    assert_eq!(
        e.snippet.as_deref(),
        Some("Content-Type charset=UTF-8; <meta> charset=windows-1252")
    );
    assert!(e.message.contains("UTF-8") && e.message.contains("windows-1252"));
    // A minor integrity finding, not a compromise.
    assert!(!c.compromised);
    // The other agency's pages agree.
    assert_eq!(
        rule(card(o, "entities"), "charset-conflict").status,
        RuleStatus::Pass
    );
}

#[test]
fn character_references_in_href_are_decoded_exactly_once() {
    let c = card(outcome(), "entities");
    let missing = &c.crawl.outcomes["http_4xx"];
    assert_eq!(missing.count, 3, "{missing:?}");
    assert_eq!(
        missing.samples,
        [
            // `&amp;amp;` → `&amp;`: the text of the query, not a second decoding to `&`.
            "https://entities.faults.test/hilang?a=1&amp;b=2",
            "https://entities.faults.test/hilang?c=1&d=2",
            "https://entities.faults.test/hilang?e=1&f=2&g=3",
        ]
    );
}
