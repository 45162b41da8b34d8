//! The rule engine: `rules/*.toml` → [`RuleSet`]; a parsed [`Page`] → [`PageReport`]; an agency's
//! page evidence → site rule results.
//!
//! INTERFACE CONTRACT (used by `audit.rs`; keep these names and shapes):
//! - `RuleSet::load_dir(&Path) -> Result<RuleSet, RulesError>` and `RuleSet::embedded()`
//!   (the default catalogue compiled in with `include_str!`).
//! - `RuleSet::rules() -> &[Rule]`, `RuleSet::sha256() -> &str`.
//! - `RuleSet::check_page(&Page, &CheckContext) -> PageReport` (pure, no I/O, runs on a blocking
//!   thread; `Page` is not `Send`, `PageReport` is).
//! - `RuleSet::site_accumulator() -> SiteAccumulator`; `SiteAccumulator::add(PageEvidence)`;
//!   `SiteAccumulator::finish(&SiteFacts, &CheckContext) -> Vec<SiteRuleResult>`.

use crate::page::Page;
use crate::scorecard::{Evidence, RuleStatus};
use chrono::{DateTime, FixedOffset};

/// Rule category; closed set.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// WCAG 2.1 / W3C ACT.
    Accessibility,
    /// UU 14/2008 KIP and related duties.
    Transparency,
    /// HTTPS, headers.
    Security,
    /// Compromise: gambling spam, defacement.
    Integrity,
}

impl Category {
    /// snake_case name as in TOML and scorecards.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Accessibility => "accessibility",
            Category::Transparency => "transparency",
            Category::Security => "security",
            Category::Integrity => "integrity",
        }
    }
}

/// Whether a rule is decided per page or once per agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// Checked on every page; the agency result is the share of applicable pages passing.
    Page,
    /// Decided once per agency from the evidence of all pages.
    Site,
}

/// A loaded, validated rule (metadata the scorer and writers need).
#[derive(Debug, Clone)]
pub struct Rule {
    /// Kebab-case id, unique in the set.
    pub id: String,
    /// Category.
    pub category: Category,
    /// Weight within the category (> 0).
    pub weight: f64,
    /// `critical`, `serious`, `moderate`, `minor` (or `gate` for integrity rules that override).
    pub severity: String,
    /// Indonesian title.
    pub title_id: String,
    /// English title.
    pub title_en: String,
    /// Source: WCAG SC, ACT rule id, law article.
    pub source: String,
    /// Page or site rule.
    pub scope: RuleScope,
}

/// What the checks may know about the run: no clock reads inside rules.
#[derive(Debug, Clone)]
pub struct CheckContext {
    /// The run's start time (freshness is measured from here).
    pub now: DateTime<FixedOffset>,
    /// The agency's host.
    pub agency_host: String,
}

/// A page rule's outcome on one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageOutcome {
    /// Every applicable element passed.
    Pass,
    /// At least one element failed; evidence lists them.
    Fail,
    /// No applicable element on this page.
    NotApplicable,
}

/// One page rule's result on one page.
#[derive(Debug, Clone)]
pub struct PageRuleResult {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// Outcome.
    pub outcome: PageOutcome,
    /// Failing elements (url, selector, snippet, message).
    pub evidence: Vec<Evidence>,
}

/// Small per-page facts site rules need (links, titles, dates, keyword hits). Opaque to callers.
#[derive(Debug, Clone, Default)]
pub struct PageEvidence {}

/// Everything `check_page` found on one page.
#[derive(Debug, Clone)]
pub struct PageReport {
    /// One entry per page rule.
    pub results: Vec<PageRuleResult>,
    /// Evidence kept for site rules.
    pub evidence: PageEvidence,
}

/// Facts about the agency that do not come from a page body.
#[derive(Debug, Clone)]
pub struct SiteFacts {
    /// Did `https://<host>/` answer with a valid certificate? `None` when not probed.
    pub https: Option<Result<(), String>>,
    /// Pages checked.
    pub pages_checked: u64,
}

/// One site rule's result.
#[derive(Debug, Clone)]
pub struct SiteRuleResult {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// Outcome.
    pub status: RuleStatus,
    /// Why, for people.
    pub reason: Option<String>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
}

/// Folds page evidence into site rule results.
#[derive(Debug, Default)]
pub struct SiteAccumulator {}

/// The loaded rule catalogue.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    sha256: String,
}

/// Errors loading or validating rules: every problem with file and line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// One or more problems; each line is `file:line: rule 'id': message`.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
}

impl RuleSet {
    /// Load a directory.
    pub fn load_dir(dir: &std::path::Path) -> Result<RuleSet, RulesError> {
        Err(RulesError::Invalid(vec![dir.display().to_string()]))
    }
    /// The built-in catalogue.
    pub fn embedded() -> Result<RuleSet, RulesError> {
        Ok(RuleSet {
            rules: Vec::new(),
            sha256: String::new(),
        })
    }
    /// The rules, in a stable order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
    /// The category's weight in the agency score (`rules/scoring.toml`).
    pub fn category_weight(&self, _category: Category) -> f64 {
        1.0
    }
    /// Hex SHA-256 over the rule files.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
    /// Check one page (pure).
    pub fn check_page(&self, _page: &Page, _ctx: &CheckContext) -> PageReport {
        PageReport {
            results: Vec::new(),
            evidence: PageEvidence::default(),
        }
    }
    /// A fresh accumulator for one agency.
    pub fn site_accumulator(&self) -> SiteAccumulator {
        SiteAccumulator::default()
    }
}

impl SiteAccumulator {
    /// Keep one page's evidence.
    pub fn add(&mut self, _evidence: PageEvidence) {}
    /// Decide every site rule.
    pub fn finish(self, _facts: &SiteFacts, _ctx: &CheckContext) -> Vec<SiteRuleResult> {
        Vec::new()
    }
}
