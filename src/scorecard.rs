//! The scorecard: pantau's wire format, one JSON file per agency (`agencies/<id>.json`) plus the
//! run's `index.json`. This module doc is the specification.
//!
//! # `Scorecard` (schema_version "1")
//! - `schema_version`: `"1"`. Adding a field or an enum value is allowed without a bump; removing
//!   or renaming a field, or changing a unit, bumps it.
//! - `agency`: `{id, host, name}` (see [`crate::discover::Agency`]).
//! - `run`: `{run_id, started_at, finished_at, pantau_version, ruleset_sha256, as_of?}`; times
//!   RFC 3339 in UTC; `as_of` (YYYY-MM-DD) only when `--as-of` set the date freshness is judged
//!   against; `ruleset_sha256` is the hex SHA-256 over the rule files (sorted by name).
//! - `status`: `ok` (crawled and checked), `partial` (the crawl was cut short by the deadline,
//!   Ctrl-C or the page budget on a failing site), `unreachable` (no page of the agency answered;
//!   every rule is then `unknown`). `status_reason`: present unless `ok`, a stable snake_case
//!   `code` (`dns_not_found`, `connection_refused`, `connection_closed`, `timeout`,
//!   `tls_invalid`, `http_status`, `off_scope_redirect`, `redirect_loop`, `too_many_redirects`, `robots_disallowed`,
//!   `robots_unreachable`, `deadline`, `interrupted`) and a `message`.
//! - `crawl`: counters; `duration_ms` in milliseconds, `bytes` in bytes.
//! - `score`: 0–100 with one decimal, or `null` when the agency cannot be graded: nothing could
//!   be scored, a category with a weight has no decided rule, or the crawl did not see the whole
//!   site (`partial`, or the home page only); `grade` `A`–`E` (A ≥ 90, B ≥ 80, C ≥ 60, D ≥ 40,
//!   E below) or `null` likewise (but `E` whenever `compromised`). Categories and rules are
//!   scored all the same. A crawler proxy, not a Komisi Informasi rating.
//! - `compromised`: true when a `gate` rule (site compromise) failed; the grade is then E.
//! - `categories`: per category `{score, weight, rules_passed, rules_partial, rules_failed,
//!   rules_not_applicable, rules_unknown, rules_error}`, keyed and sorted by category name.
//! - `rules`: one [`RuleResult`] per rule in the rule set, sorted by category then id.
//!
//! Everything serialised is sorted so that the same site gives the same bytes apart from `run`
//! times and `crawl.duration_ms`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Current scorecard schema version.
pub const SCHEMA_VERSION: &str = "1";
/// At most this many evidence records are kept per rule; `evidence_truncated` says when more
/// were found.
pub const MAX_EVIDENCE_PER_RULE: usize = 20;

/// A rule's outcome over an agency, ordered from best to worst for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// Satisfied (strong or good evidence; every applicable page for page rules).
    Pass,
    /// Weak evidence (a menu item with no substance); counts half.
    Partial,
    /// Not satisfied.
    Fail,
    /// The rule does not apply (no applicable element on any page, or not this OPD type);
    /// leaves the score's denominator.
    NotApplicable,
    /// Could not be decided from what was crawled (unreachable host, only the home page seen).
    Unknown,
    /// The rule's input failed or its check broke; shown, never averaged away as a pass.
    Error,
}

/// The agency's crawl-and-check status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyStatus {
    /// Crawled and checked.
    Ok,
    /// Cut short (deadline, Ctrl-C); the findings cover what was crawled.
    Partial,
    /// No page answered; see `status_reason`.
    Unreachable,
}

/// Why an agency is not `ok`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusReason {
    /// Stable snake_case code, e.g. `dns_not_found`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// One piece of evidence behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The page (or document) the evidence is on.
    pub url: String,
    /// CSS selector path of the element, when the evidence is an element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Short source snippet (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// What was found, for people.
    pub message: String,
    /// For grouped template findings: on how many pages the same element failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

/// The agency identity block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyInfo {
    /// Agency id (subdomain label).
    pub id: String,
    /// Host audited.
    pub host: String,
    /// Display name.
    pub name: String,
}

/// The run block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunInfo {
    /// Run id: the start time as `YYYYMMDDTHHMMSSZ` (UTC).
    pub run_id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC.
    pub finished_at: String,
    /// pantau's version (Cargo package version).
    pub pantau_version: String,
    /// Hex SHA-256 of the rule set.
    pub ruleset_sha256: String,
    /// `--as-of` (YYYY-MM-DD) when freshness was judged as of that date instead of the run's
    /// start; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

/// Crawl counters for one agency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrawlSummary {
    /// Responses received with a 2xx/3xx status that were checked.
    pub pages_fetched: u64,
    /// Requests that failed (transport error or HTTP 4xx/5xx).
    pub pages_failed: u64,
    /// Body bytes received (after content decoding).
    pub bytes: u64,
    /// URLs not fetched because robots.txt disallows them.
    pub robots_disallowed: u64,
    /// Links to other hosts or redirects out of the agency's scope, recorded and not followed.
    pub off_scope: u64,
    /// URLs left in the frontier when the page budget or the depth limit was reached.
    pub budget_skipped: u64,
    /// Wall time of the agency's crawl, in milliseconds.
    pub duration_ms: u64,
    /// Failed requests by class (`http_404`, `http_500`, `timeout`, …) with up to 5 sample URLs each,
    /// sorted by class. Rate-limited requests and traps are not failures: they are in `outcomes`
    /// (and `traps`) only.
    pub failures: BTreeMap<String, FailureSample>,
    /// Every URL the crawl dealt with, by outcome class, with up to 5 sample URLs each (the 5
    /// lexically smallest). Every class of [`CrawlSummary::OUTCOME_CLASSES`] is present, with
    /// count 0 when nothing ended that way, so no class is ever silently dropped. Each URL is
    /// counted once, in one class.
    #[serde(default)]
    pub outcomes: BTreeMap<String, FailureSample>,
    /// Crawler traps detected, by kind (`url_too_long`, `query_variants`,
    /// `repeating_segments`, `calendar`), with up to 5 sample URLs each: the URLs skipped as
    /// part of a trap (their sum is `outcomes["trap"].count`). The rest of the site is crawled.
    #[serde(default)]
    pub traps: BTreeMap<String, FailureSample>,
    /// Sitemap documents read (robots.txt `Sitemap:` lines, else `/sitemap.xml`; indexes
    /// followed).
    #[serde(default)]
    pub sitemaps_read: u64,
    /// In-scope page URLs listed in those sitemaps (before dedupe with links).
    #[serde(default)]
    pub sitemap_urls: u64,
    /// Sitemap entries on other hosts, not crawled.
    #[serde(default)]
    pub sitemap_off_scope: u64,
    /// Pages that declare a refresh to another URL (`Refresh` header or
    /// `<meta http-equiv="refresh">`, HTML §7.11.1): targets on the agency's host are crawled
    /// like links (one level deeper), others are recorded here (and in `off_scope`), not
    /// followed.
    #[serde(default)]
    pub refreshes: RefreshSummary,
}

/// Declarative refreshes met during a crawl (a reload of the same page is not counted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshSummary {
    /// Pages with a refresh to another URL.
    pub count: u64,
    /// Of those, refreshes to another host: recorded, not followed.
    pub off_scope: u64,
    /// Up to 5 of them (the lexically smallest page URLs), sorted by page URL.
    pub samples: Vec<RefreshSample>,
}

/// One page's refresh.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshSample {
    /// The page that refreshes (its final URL).
    pub url: String,
    /// The absolute target URL.
    pub target: String,
    /// Seconds before the refresh (`0` = at once), as declared.
    pub delay_s: u64,
    /// True when the target is on the agency's host and was queued like a link.
    pub in_scope: bool,
}

impl CrawlSummary {
    /// The outcome classes of `outcomes`, each URL in exactly one:
    /// - `fetched`: a 2xx HTML page, read whole;
    /// - `not_html`: a 2xx answer that is not HTML (PDF, image, …; by type and sniffing);
    /// - `too_large`: a body cut at the byte cap, or an HTML page cut where it nests deeper than
    ///   [`crate::fetch::decode::MAX_NESTING`] open elements (checked up to the cut);
    /// - `http_3xx`: a final 1xx/3xx answer (a redirect without `Location`, 304);
    /// - `http_4xx`, `http_5xx`: HTTP error statuses;
    /// - `robots_disallowed`: robots.txt disallows the URL for pantau;
    /// - `robots_unreachable`: robots.txt answered 5xx/429, so nothing may be crawled for now;
    /// - `timeout`, `dns`, `refused`, `connection_closed` (accepted, then closed without a
    ///   complete answer), `tls` (all TLS subclasses), `blocked_address`, `transport_error`: no
    ///   HTTP answer;
    /// - `redirect_error`: a redirect loop or too many redirects;
    /// - `off_scope_redirect`: a redirect to another host, recorded and not followed;
    /// - `rate_limited`: the server asked to wait longer than the cap — not checked, not broken;
    /// - `trap`: skipped as part of a crawler trap (see `traps`);
    /// - `budget_skipped`: not fetched because of the page budget or the depth limit.
    pub const OUTCOME_CLASSES: [&'static str; 20] = [
        "fetched",
        "not_html",
        "too_large",
        "http_3xx",
        "http_4xx",
        "http_5xx",
        "robots_disallowed",
        "robots_unreachable",
        "timeout",
        "dns",
        "refused",
        "connection_closed",
        "tls",
        "blocked_address",
        "transport_error",
        "redirect_error",
        "off_scope_redirect",
        "rate_limited",
        "trap",
        "budget_skipped",
    ];

    /// `outcomes` with every class of [`CrawlSummary::OUTCOME_CLASSES`] at count 0.
    pub fn empty_outcomes() -> BTreeMap<String, FailureSample> {
        Self::OUTCOME_CLASSES
            .iter()
            .map(|c| (c.to_string(), FailureSample::default()))
            .collect()
    }
}

/// Count and sample URLs of one failure class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureSample {
    /// How many requests failed this way.
    pub count: u64,
    /// Up to 5 of their URLs, sorted.
    pub samples: Vec<String>,
}

/// One category's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryResult {
    /// Weighted mean of the category's scored rules, 0–100, or null when none applies.
    pub score: Option<f64>,
    /// The category's weight in the agency score (`rules/scoring.toml`).
    pub weight: f64,
    /// Rules with status `pass`.
    pub rules_passed: u32,
    /// Rules with status `partial`.
    pub rules_partial: u32,
    /// Rules with status `fail`.
    pub rules_failed: u32,
    /// Rules with status `not_applicable`.
    pub rules_not_applicable: u32,
    /// Rules with status `unknown`.
    pub rules_unknown: u32,
    /// Rules with status `error`.
    pub rules_error: u32,
}

/// One rule's result over the agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleResult {
    /// Rule id (`image-alt`).
    pub id: String,
    /// Category (`accessibility`, `transparency`, `security`, `integrity`).
    pub category: String,
    /// Outcome.
    pub status: RuleStatus,
    /// Rule weight within its category.
    pub weight: f64,
    /// 0–100: share of applicable pages passing (page rules); 100 / 50 / 0 for pass / partial /
    /// fail (site rules); null for not_applicable, unknown and error.
    pub score: Option<f64>,
    /// Pages the rule applied to (page rules; 0 for site rules).
    pub pages_checked: u64,
    /// Applicable pages that failed (page rules; 0 for site rules).
    pub pages_failed: u64,
    /// Page rules: applicable elements over all pages checked; absent for site rules and for
    /// agencies not crawled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements_checked: Option<u64>,
    /// Page rules: failing elements over all pages (exact even where `evidence` is capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements_failed: Option<u64>,
    /// Why the status is what it is, for unknown and error (and site rules in general).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Evidence, template findings (with `pages`) first, then by URL; at most
    /// [`MAX_EVIDENCE_PER_RULE`].
    pub evidence: Vec<Evidence>,
    /// True when more evidence was found than kept.
    pub evidence_truncated: bool,
}

/// One agency's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Who.
    pub agency: AgencyInfo,
    /// When and with what.
    pub run: RunInfo,
    /// Crawl-and-check status.
    pub status: AgencyStatus,
    /// Why, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<StatusReason>,
    /// Crawl counters.
    pub crawl: CrawlSummary,
    /// 0–100, one decimal; null when nothing could be scored.
    pub score: Option<f64>,
    /// `A`–`E`; null with a null score.
    pub grade: Option<String>,
    /// True when a rule of severity `gate` failed (gambling spam, defacement): the site is
    /// reported as compromised and its grade is E whatever its score.
    pub compromised: bool,
    /// Per category, sorted by name.
    pub categories: BTreeMap<String, CategoryResult>,
    /// Per rule, sorted by category then id.
    pub rules: Vec<RuleResult>,
}

/// One row of `index.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    /// Agency id; its scorecard is `agencies/<id>.json`.
    pub id: String,
    /// Host.
    pub host: String,
    /// Display name.
    pub name: String,
    /// Status.
    pub status: AgencyStatus,
    /// 0–100 or null.
    pub score: Option<f64>,
    /// `A`–`E` or null.
    pub grade: Option<String>,
    /// Pages checked.
    pub pages_fetched: u64,
    /// A gate rule failed.
    pub compromised: bool,
    /// Why, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<StatusReason>,
}

/// The run's `index.json`: every agency, best grade first, then best score (an agency made E by a
/// failed gate or a compromise ranks below every D), null scores last, then by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunIndex {
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Run block (shared by every scorecard of the run).
    pub run: RunInfo,
    /// The provincial domain audited.
    pub domain: String,
    /// `running` while agencies are still being audited (the index is rewritten after each),
    /// `complete`, or `partial` when the deadline or Ctrl-C cut the run short.
    pub status: String,
    /// Agencies not audited because the run was cut short, sorted by id.
    pub not_audited: Vec<String>,
    /// One row per audited agency.
    pub agencies: Vec<IndexEntry>,
}
