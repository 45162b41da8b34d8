//! Shared test helpers: serve a fixture province on loopback and audit it in-process.

#![allow(dead_code)] // each test binary uses a different subset

use pantau::audit::{run_audit, AuditOutcome, AuditPlan};
use pantau::config::Settings;
use pantau::discover::SeedAgency;
use pantau::fixture::FixtureServer;
use pantau::rules::RuleSet;
use pantau::scorecard::{RuleResult, Scorecard};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` when present. Missing: an error when `CI=true`, else `None` with a printed
/// reason (a user's fresh clone has no `../shared`).
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = repo().join("..").join("shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing and CI=true: the shared test data must be present",
            path.display()
        );
    }
    eprintln!("skipping: {} is missing (not a CI run)", path.display());
    None
}

/// Settings for a loopback audit of a fixture province served at `server`: every fixture root
/// host and its subdomains resolved to the server, its CA trusted, no rate limit, freshness
/// judged as of 2026-12-01, output under `out`.
pub fn loopback_settings(server: &FixtureServer, out: &Path) -> Settings {
    let addr = server.addr();
    let ca = out.join("fixture-ca.pem");
    std::fs::create_dir_all(out).unwrap();
    std::fs::write(&ca, server.ca_cert_pem()).unwrap();
    let resolve = server
        .resolve_overrides()
        .into_iter()
        .map(|o| format!("{}:{addr}", o.host))
        .collect();
    Settings {
        out: Some(out.join("out")),
        rate: Some(0.0),
        concurrency: Some(4),
        timeout_ms: Some(5_000),
        connect_timeout_ms: Some(2_000),
        resolve: Some(resolve),
        ca_cert: Some(vec![ca]),
        as_of: Some("2026-12-01".to_string()),
        ..Settings::default()
    }
}

/// A plan to audit `domain` with the built-in rules.
pub fn plan(domain: &str, seeds: Vec<SeedAgency>, settings: Settings) -> AuditPlan {
    AuditPlan {
        domain: domain.to_string(),
        seeds,
        seed_file: None,
        settings,
        rules: Arc::new(RuleSet::embedded().expect("built-in rules load")),
    }
}

/// Copy the directory tree `from` into `to` (created as needed).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Serve `dir` and audit `domain` with the built-in rules.
pub async fn audit_fixture(
    dir: &Path,
    domain: &str,
    seeds: Vec<SeedAgency>,
    out: &Path,
) -> AuditOutcome {
    let server = FixtureServer::start(dir, 0)
        .await
        .expect("fixture server starts");
    let settings = loopback_settings(&server, out);
    let outcome = run_audit(plan(domain, seeds, settings), CancellationToken::new())
        .await
        .expect("audit runs");
    server.shutdown().await;
    outcome
}

/// The scorecard of agency `id`.
pub fn card<'a>(outcome: &'a AuditOutcome, id: &str) -> &'a Scorecard {
    outcome
        .scorecards
        .iter()
        .find(|c| c.agency.id == id)
        .unwrap_or_else(|| panic!("no scorecard for '{id}'"))
}

/// The result of rule `id` in `card`.
pub fn rule<'a>(card: &'a Scorecard, id: &str) -> &'a RuleResult {
    card.rules
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{}: no rule '{id}'", card.agency.id))
}
