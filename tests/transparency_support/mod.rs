//! A small in-process crawl of a fixture host for the transparency tests: breadth-first from
//! `/` over the host's folder in `fixtures/transparency/`, HTML pages through `check_page`,
//! every other in-host link as a [`FetchSeen`] (status 200 with the fixture server's
//! Content-Type and the file's first bytes, or 404 for a missing file), the way the audit is
//! meant to feed them (see `SiteAccumulator::add_fetch`). Nothing leaves the process.

#![allow(dead_code)] // each test binary uses a different subset

use pantau::page::Page;
use pantau::rules::{CheckContext, FetchSeen, RuleSet, SiteFacts, SiteRuleResult};
use pantau::scorecard::RuleStatus;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// The fixture province of these tests.
pub const DOMAIN: &str = "kaltaraprov.go.id";

/// Every applicability code: all rules apply.
pub const ALL_TYPES: &[&str] = &["svc", "fin", "insp", "kominfo", "hukum", "bpbd"];

/// `fixtures/transparency/`.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/transparency")
}

/// The run's "now": 2026-12-01 10:00 WITA (the lead's fixture reference date).
pub fn ctx(host: &str, types: Option<&[&str]>) -> CheckContext {
    CheckContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+08:00").expect("time"),
        agency_host: host.to_string(),
        agency_types: types.map(|t| t.iter().map(|s| s.to_string()).collect()),
    }
}

/// One agency's site rule results by rule id.
pub struct Audited {
    pub rules: RuleSet,
    pub by_id: BTreeMap<String, SiteRuleResult>,
    /// Paths of the HTML pages checked, in crawl order.
    pub pages: Vec<String>,
    /// Non-page fetches fed to the accumulator (url, status).
    pub fetches: Vec<(String, Option<u16>)>,
}

impl Audited {
    /// The result of `id` (panics with the known ids when missing).
    pub fn get(&self, id: &str) -> &SiteRuleResult {
        self.by_id
            .get(id)
            .unwrap_or_else(|| panic!("no site result for '{id}'"))
    }

    /// Status of `id`.
    pub fn status(&self, id: &str) -> RuleStatus {
        self.get(id).status
    }

    /// Evidence messages of `id`.
    pub fn messages(&self, id: &str) -> Vec<String> {
        self.get(id)
            .evidence
            .iter()
            .map(|e| e.message.clone())
            .collect()
    }
}

/// The fixture server's Content-Type for an extension (src/fixture.rs `content_type_for`).
fn content_type_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain",
        "css" => "text/css",
        _ => "application/octet-stream",
    }
}

/// `_headers` Content-Type overrides: exact paths and `/dir/*.ext` patterns.
fn header_overrides(dir: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join("_headers")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('/') {
            current = Some(line.trim().to_string());
        } else if let (Some(path), Some((k, v))) = (&current, line.trim().split_once(':')) {
            if k.eq_ignore_ascii_case("content-type") {
                let mime = v.split(';').next().unwrap_or("").trim().to_string();
                out.push((path.clone(), mime));
            }
        }
    }
    out
}

fn override_for(overrides: &[(String, String)], path: &str) -> Option<String> {
    overrides.iter().find_map(|(pattern, mime)| {
        let hit = match pattern.split_once("*.") {
            Some((dir, ext)) => path.starts_with(dir) && path.ends_with(&format!(".{ext}")),
            None => pattern == path,
        };
        hit.then(|| mime.clone())
    })
}

/// Crawl `host` (a folder of `fixtures/transparency/`) and decide every site rule, with
/// `extra` fetches (one-hop checks of external links) added.
pub fn audit(host: &str, types: Option<&[&str]>, extra: &[FetchSeen]) -> Audited {
    let rules = RuleSet::embedded().expect("embedded rules load");
    let ctx = ctx(host, types);
    let dir = root().join(host);
    assert!(dir.is_dir(), "fixture host {} missing", dir.display());
    let overrides = header_overrides(&dir);
    let mut acc = rules.site_accumulator();
    let mut queue: VecDeque<url::Url> = VecDeque::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let start = url::Url::parse(&format!("https://{host}/")).expect("url");
    seen.insert(start.path().to_string());
    queue.push_back(start);
    let mut pages = Vec::new();
    let mut fetches = Vec::new();
    while let Some(url) = queue.pop_front() {
        let path = url.path().to_string();
        let decoded = path.replace("%20", " ");
        let file = if decoded.ends_with('/') {
            dir.join(decoded.trim_start_matches('/')).join("index.html")
        } else if dir.join(decoded.trim_start_matches('/')).is_file() {
            dir.join(decoded.trim_start_matches('/'))
        } else {
            dir.join(decoded.trim_start_matches('/')).join("index.html")
        };
        let mime =
            override_for(&overrides, &path).unwrap_or_else(|| content_type_for(&file).to_string());
        if !file.is_file() {
            fetches.push((url.to_string(), Some(404)));
            acc.add_fetch(FetchSeen {
                url: url.to_string(),
                status: Some(404),
                content_type: Some("text/html".to_string()),
                head: b"<!DOCTYPE html>".to_vec(),
            });
            continue;
        }
        let bytes = std::fs::read(&file).expect("fixture file reads");
        if mime != "text/html" {
            fetches.push((url.to_string(), Some(200)));
            acc.add_fetch(FetchSeen {
                url: url.to_string(),
                status: Some(200),
                content_type: Some(mime),
                head: bytes.iter().take(16).copied().collect(),
            });
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let page = Page::parse(url.clone(), 200, &html);
        for link in page.links() {
            let mut target = link.url.clone();
            target.set_fragment(None);
            if target.host_str() == Some(host) && seen.insert(target.path().to_string()) {
                queue.push_back(target);
            }
        }
        let report = rules.check_page(&page, &ctx);
        acc.add(report.evidence);
        pages.push(path);
        assert!(pages.len() < 300, "runaway fixture crawl");
    }
    for f in extra {
        acc.add_fetch(f.clone());
    }
    let facts = SiteFacts {
        https: Some(Ok(())),
        pages_checked: pages.len() as u64,
    };
    let by_id = acc
        .finish(&facts, &ctx)
        .into_iter()
        .map(|r| (rules.rules()[r.rule].id.clone(), r))
        .collect();
    Audited {
        rules,
        by_id,
        pages,
        fetches,
    }
}

/// Ids of the transparency rules, in catalogue order.
pub fn transparency_ids(rules: &RuleSet) -> Vec<String> {
    rules
        .rules()
        .iter()
        .filter(|r| r.category == pantau::rules::Category::Transparency)
        .map(|r| r.id.clone())
        .collect()
}
