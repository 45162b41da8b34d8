//! W3C ACT conformance of the accessibility page rules: every test case of the implemented ACT
//! rules in `/work/shared/conformance/act` (see its README) is run through `check_page`, and
//! the outcome must equal the expected one (`passed` → Pass, `failed` → Fail, `inapplicable`
//! → NotApplicable), except for the cases listed in `SKIPS`, each with a reason.

use pantau::page::Page;
use pantau::rules::{CheckContext, PageOutcome, RuleSet};
use std::path::PathBuf;

/// ACT rule id → pantau rule id.
const MAP: &[(&str, &str)] = &[
    ("b5c3f8", "html-has-lang"),
    ("2779a5", "document-title"),
    ("23a2a8", "image-alt"),
    ("c487ae", "link-name"),
    ("e086e5", "form-field-name"),
];

/// Cases pantau does not decide as ACT expects, with the reason.
const SKIPS: &[(&str, &str)] = &[];

fn corpus() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        manifest.join("../shared/conformance/act"),
        manifest.join("../../shared/conformance/act"),
        PathBuf::from("/work/shared/conformance/act"),
    ];
    if let Some(found) = candidates
        .iter()
        .find(|c| c.join("manifest.json").is_file())
    {
        return Some(found.clone());
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("ACT corpus not found in {candidates:?} and CI=true");
    }
    eprintln!("skipping: ACT corpus not found in {candidates:?}");
    None
}

#[test]
fn act_cases_of_implemented_rules() {
    let Some(dir) = corpus() else {
        return;
    };
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json")).expect("read manifest"),
    )
    .expect("manifest json");
    let rules = RuleSet::embedded().expect("embedded rules");
    let ctx = CheckContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").expect("time"),
        agency_host: "example.go.id".to_string(),
        agency_types: None,
    };
    let mut mismatches = Vec::new();
    let mut run = 0;
    for case in manifest.as_array().expect("array") {
        let act = case["rule_id"].as_str().unwrap_or("");
        let Some((_, rule_id)) = MAP.iter().find(|(a, _)| *a == act) else {
            continue;
        };
        let file = case["file"].as_str().unwrap_or("");
        if case["media_type"].as_str() != Some("text/html") {
            continue;
        }
        if SKIPS.iter().any(|(f, _)| *f == file) {
            continue;
        }
        let expected = match case["outcome"].as_str() {
            Some("passed") => PageOutcome::Pass,
            Some("failed") => PageOutcome::Fail,
            _ => PageOutcome::NotApplicable,
        };
        let html = std::fs::read_to_string(dir.join(file)).expect("read case");
        let page = Page::parse(
            url::Url::parse("https://example.go.id/case.html").expect("url"),
            200,
            &html,
        );
        let report = rules.check_page(&page, &ctx);
        let idx = rules
            .rules()
            .iter()
            .position(|r| r.id == *rule_id)
            .expect("rule");
        let got = report
            .results
            .iter()
            .find(|r| r.rule == idx)
            .expect("result")
            .outcome;
        run += 1;
        if got != expected {
            mismatches.push(format!("{file}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(run >= 80, "only {run} cases ran");
    eprintln!("{run} ACT cases run");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
