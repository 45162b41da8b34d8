//! Whole runs: the same site gives the same scorecards (apart from times), and a run cut short
//! keeps the agencies it finished while the index says it is partial.

mod common;

use common::{copy_tree, loopback_settings, plan, repo};
use pantau::audit::run_audit;
use pantau::discover::SeedAgency;
use pantau::fixture::FixtureServer;
use pantau::scorecard::{AgencyStatus, RuleStatus};
use std::path::Path;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A scorecard file with the run block and the crawl duration blanked: what must not change.
fn stable(path: &Path) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["run"] = serde_json::Value::Null;
    v["crawl"]["duration_ms"] = serde_json::Value::Null;
    v
}

#[tokio::test]
async fn the_same_site_gives_the_same_scorecards_apart_from_times() {
    let tmp = tempfile::tempdir().unwrap();
    let server = FixtureServer::start(&repo().join("fixtures/sulbar"), 0)
        .await
        .unwrap();
    let mut runs = Vec::new();
    for n in 0..2 {
        let mut settings = loopback_settings(&server, tmp.path());
        settings.out = Some(tmp.path().join(format!("out{n}")));
        let plan = plan("sulbarprov.go.id", Vec::new(), settings);
        runs.push(run_audit(plan, CancellationToken::new()).await.unwrap());
    }
    server.shutdown().await;
    let files = |dir: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir.join("agencies"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let (a, b) = (&runs[0].run_dir, &runs[1].run_dir);
    assert_eq!(files(a), files(b));
    assert_eq!(files(a).len(), 11);
    for name in files(a) {
        let (x, y) = (
            stable(&a.join("agencies").join(&name)),
            stable(&b.join("agencies").join(&name)),
        );
        assert_eq!(x, y, "{name:?} differs between two runs");
        // And byte for byte once the blanked fields are put back equal.
        let bytes = |v: &serde_json::Value| serde_json::to_vec_pretty(v).unwrap();
        assert_eq!(bytes(&x), bytes(&y));
    }
}

#[tokio::test]
async fn a_run_cut_short_keeps_finished_agencies_and_says_partial() {
    let tmp = tempfile::tempdir().unwrap();
    let server = FixtureServer::start(&repo().join("fixtures/sulbar"), 0)
        .await
        .unwrap();
    let mut settings = loopback_settings(&server, tmp.path());
    // One agency at a time, politely slow, so that cancelling after the first scorecard
    // leaves the rest of the province unaudited.
    settings.concurrency = Some(1);
    settings.rate = Some(2.0);
    let out = settings.out.clone().unwrap();
    let plan = plan("sulbarprov.go.id", Vec::new(), settings);
    let cancel = CancellationToken::new();
    let watcher = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            loop {
                let written = std::fs::read_dir(&out)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter_map(|run| std::fs::read_dir(run.path().join("agencies")).ok())
                    .any(|mut agencies| agencies.next().is_some());
                if written {
                    cancel.cancel();
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let outcome = run_audit(plan, cancel).await.unwrap();
    watcher.await.unwrap();
    server.shutdown().await;
    assert_eq!(outcome.index.status, "partial");
    assert!(
        !outcome.index.not_audited.is_empty(),
        "agencies left unaudited"
    );
    assert!(
        outcome
            .scorecards
            .iter()
            .any(|c| c.status == AgencyStatus::Ok),
        "the first agency finished"
    );
    assert_eq!(
        outcome.index.agencies.len() + outcome.index.not_audited.len(),
        11
    );
    for c in outcome
        .scorecards
        .iter()
        .filter(|c| c.status == AgencyStatus::Partial)
    {
        assert_eq!(c.status_reason.as_ref().unwrap().code, "interrupted");
    }
    // What finished is on disk, and the index on disk says partial.
    for row in &outcome.index.agencies {
        assert!(outcome
            .run_dir
            .join("agencies")
            .join(format!("{}.json", row.id))
            .is_file());
    }
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outcome.run_dir.join("index.json")).unwrap())
            .unwrap();
    assert_eq!(index["status"], "partial");
}

/// Copy one host folder of the sulbar fixture into `dir` (a province with no portal).
fn copy_host(host: &str, dir: &Path) {
    copy_tree(&repo().join("fixtures/sulbar").join(host), &dir.join(host));
}

#[tokio::test]
async fn deadline_marks_the_agency_in_progress_partial_with_code_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let province = tmp.path().join("province");
    copy_host("bappeda.sulbarprov.go.id", &province);
    let server = FixtureServer::start(&province, 0).await.unwrap();
    let mut settings = loopback_settings(&server, tmp.path());
    // The portal does not answer; the one named agency has 12 pages: at 2 requests per second
    // its crawl needs about 6 s, and the 1 s deadline falls inside it.
    settings.rate = Some(2.0);
    settings.deadline = Some(1);
    // The portal has no folder: send it to the server too (it gets no answer), never to DNS.
    let addr = server.addr();
    let resolve = settings.resolve.get_or_insert_with(Vec::new);
    resolve.extend([
        format!("sulbarprov.go.id:{addr}"),
        format!("*.sulbarprov.go.id:{addr}"),
    ]);
    let plan = plan(
        "sulbarprov.go.id",
        vec![SeedAgency {
            host: "bappeda.sulbarprov.go.id".into(),
            name: Some("Badan Perencanaan Pembangunan Daerah".into()),
            aliases: Vec::new(),
        }],
        settings,
    );
    let outcome = run_audit(plan, CancellationToken::new()).await.unwrap();
    server.shutdown().await;
    assert_eq!(outcome.index.status, "partial");
    assert_eq!(outcome.scorecards.len(), 1);
    let c = &outcome.scorecards[0];
    assert_eq!(c.status, AgencyStatus::Partial);
    assert_eq!(c.status_reason.as_ref().unwrap().code, "deadline");
    assert!(
        c.crawl.pages_fetched < 12,
        "cut before the end: {}",
        c.crawl.pages_fetched
    );
    // What was crawled is still judged rule by rule and category by category, but a crawl
    // cut short is not graded on what little was seen.
    assert_eq!((c.score, c.grade.as_deref()), (None, None));
    // A site not fully seen cannot be said to lack an item: no transparency fail or partial.
    for r in c.rules.iter().filter(|r| r.category == "transparency") {
        assert!(
            matches!(
                r.status,
                RuleStatus::Pass | RuleStatus::Unknown | RuleStatus::NotApplicable
            ),
            "{}: {:?}",
            r.id,
            r.status
        );
    }
}

/// Cut short before discovery finished (a deadline on a slow portal, Ctrl-C): the run still
/// gets its folder, an index saying `partial` with the seed agencies not audited, and
/// `OUT/latest` points at it, so the previous night's run does not pass for the newest.
#[tokio::test]
async fn a_run_cut_during_discovery_still_writes_a_partial_index_and_moves_latest() {
    let tmp = tempfile::tempdir().unwrap();
    let province = tmp.path().join("province");
    copy_host("bappeda.sulbarprov.go.id", &province);
    let server = FixtureServer::start(&province, 0).await.unwrap();
    let settings = loopback_settings(&server, tmp.path());
    let out = settings
        .out
        .clone()
        .expect("loopback settings name an out folder");
    // An older run that `latest` points at.
    std::fs::create_dir_all(out.join("20200101T000000Z")).unwrap();
    std::os::unix::fs::symlink("20200101T000000Z", out.join("latest")).unwrap();
    let plan = plan(
        "sulbarprov.go.id",
        vec![SeedAgency {
            host: "bappeda.sulbarprov.go.id".into(),
            name: None,
            aliases: Vec::new(),
        }],
        settings,
    );
    let cancel = CancellationToken::new();
    cancel.cancel();
    let outcome = run_audit(plan, cancel)
        .await
        .expect("a partial run, not an error");
    server.shutdown().await;
    assert_eq!(outcome.index.status, "partial");
    assert!(outcome.index.agencies.is_empty());
    assert_eq!(outcome.index.not_audited, ["bappeda"]);
    assert!(outcome.scorecards.is_empty());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outcome.run_dir.join("index.json")).unwrap())
            .unwrap();
    assert_eq!(written["status"], "partial");
    assert_eq!(written["not_audited"][0], "bappeda");
    assert_eq!(
        std::fs::canonicalize(out.join("latest")).unwrap(),
        std::fs::canonicalize(&outcome.run_dir).unwrap()
    );
}

#[tokio::test]
async fn a_home_page_only_crawl_leaves_missing_items_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let server = FixtureServer::start(&repo().join("fixtures/sulbar"), 0)
        .await
        .unwrap();
    let mut settings = loopback_settings(&server, tmp.path());
    settings.max_depth = Some(0);
    let plan = plan("sulbarprov.go.id", Vec::new(), settings);
    let outcome = run_audit(plan, CancellationToken::new()).await.unwrap();
    server.shutdown().await;
    let c = outcome
        .scorecards
        .iter()
        .find(|c| c.agency.id == "diskominfo")
        .unwrap();
    assert_eq!(c.crawl.pages_fetched, 1);
    assert_eq!(c.status, AgencyStatus::Ok);
    // A home page alone grades no agency (it once made seven of them 100 / A); categories are
    // still scored, and the spam-injected inspektorat is still E.
    assert!(c.categories["accessibility"].score.is_some());
    for card in &outcome.scorecards {
        assert_eq!(card.score, None, "{}", card.agency.id);
        let expected = card.compromised.then_some("E");
        assert_eq!(card.grade.as_deref(), expected, "{}", card.agency.id);
    }
    assert!(outcome
        .scorecards
        .iter()
        .any(|card| card.agency.id == "inspektorat" && card.compromised));
    let vm = c
        .rules
        .iter()
        .find(|r| r.id == "profile-vision-mission")
        .unwrap();
    assert_eq!(vm.status, RuleStatus::Unknown);
    assert!(
        vm.reason
            .as_deref()
            .unwrap()
            .starts_with("only the home page was crawled"),
        "{vm:?}"
    );
}

#[tokio::test]
async fn sitemap_lastmod_dates_reach_the_freshness_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let province = tmp.path().join("province");
    copy_host("dishub.sulbarprov.go.id", &province);
    let host = province.join("dishub.sulbarprov.go.id");
    // The site prints no date; only its sitemap says when a page last changed.
    std::fs::write(
        host.join("sitemap.xml"),
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <url><loc>https://dishub.sulbarprov.go.id/</loc><lastmod>2026-11-20</lastmod></url>\
         <url><loc>https://dishub.sulbarprov.go.id/kontak/</loc></url></urlset>",
    )
    .unwrap();
    let server = FixtureServer::start(&province, 0).await.unwrap();
    let mut settings = loopback_settings(&server, tmp.path());
    let addr = server.addr();
    let resolve = settings.resolve.get_or_insert_with(Vec::new);
    resolve.extend([
        format!("sulbarprov.go.id:{addr}"),
        format!("*.sulbarprov.go.id:{addr}"),
    ]);
    let plan = plan(
        "sulbarprov.go.id",
        vec![SeedAgency {
            host: "dishub.sulbarprov.go.id".into(),
            name: Some("Dinas Perhubungan".into()),
            aliases: Vec::new(),
        }],
        settings,
    );
    let outcome = run_audit(plan, CancellationToken::new()).await.unwrap();
    server.shutdown().await;
    let c = &outcome.scorecards[0];
    let updated = c.rules.iter().find(|r| r.id == "site-updated").unwrap();
    assert_eq!(updated.status, RuleStatus::Pass, "{updated:?}");
    assert!(
        updated.evidence.iter().any(
            |e| e.snippet.as_deref() == Some("sitemap lastmod 2026-11-20")
                || e.message.contains("2026-11-20")
        ),
        "{updated:?}"
    );
}
