//! Rule results → category scores → agency score and grade, in one tested place.
//!
//! Input: the [`RuleSet`]'s rule metadata, a [`PageRuleTally`] per page rule (folded from every
//! page's [`PageRuleResult`]) and the [`SiteRuleResult`]s. Output: the scorecard's `rules`,
//! `categories`, `score`, `grade` and `compromised`.
//!
//! - A page rule's score is the share of applicable pages that pass, 0–100; its status is `pass`
//!   when every applicable page passes, `fail` when any fails, `not_applicable` when it applied
//!   to no page.
//! - A site rule scores 100 / 50 / 0 for `pass` / `partial` / `fail`; `not_applicable`,
//!   `unknown` and `error` have no score and leave the denominator (they stay visible in the
//!   category counts).
//! - A category's score is the weight-weighted mean of its scored rules; the agency score is the
//!   weighted mean of scored categories (weights from `rules/scoring.toml`).
//! - Grades follow the e-Monev bands: A ≥ 90, B ≥ 80, C ≥ 60, D ≥ 40, E below.
//! - A failed rule of severity `gate` (site compromise) marks the agency `compromised` and caps
//!   its grade at E, whatever the score (research catalogue §2, "gate").

use crate::rules::{PageOutcome, PageRuleResult, RuleScope, RuleSet, SiteRuleResult};
use crate::scorecard::{CategoryResult, Evidence, RuleResult, RuleStatus, MAX_EVIDENCE_PER_RULE};
use std::collections::{BTreeMap, HashMap};

/// Distinct failing elements remembered per rule while crawling (bounds memory per agency).
const MAX_DISTINCT_FINDINGS: usize = 500;

/// One failing element, as a key for grouping repeats from the same page template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FindingKey {
    selector: Option<String>,
    snippet: Option<String>,
    message: String,
}

/// The running fold of one page rule over an agency's pages.
#[derive(Debug, Default, Clone)]
pub struct PageRuleTally {
    /// Pages the rule applied to.
    pub pages_checked: u64,
    /// Applicable pages that failed.
    pub pages_failed: u64,
    findings: HashMap<FindingKey, (u32, String)>,
    findings_dropped: bool,
}

impl PageRuleTally {
    /// Fold one page's result in.
    pub fn add(&mut self, result: PageRuleResult) {
        match result.outcome {
            PageOutcome::NotApplicable => return,
            PageOutcome::Pass => self.pages_checked += 1,
            PageOutcome::Fail => {
                self.pages_checked += 1;
                self.pages_failed += 1;
            }
        }
        // One count per page for each distinct element, however often it repeats on the page.
        let mut seen_on_page = std::collections::HashSet::new();
        for ev in result.evidence {
            let key = FindingKey {
                selector: ev.selector,
                snippet: ev.snippet,
                message: ev.message,
            };
            if !seen_on_page.insert(key.clone()) {
                continue;
            }
            let at_cap = self.findings.len() >= MAX_DISTINCT_FINDINGS;
            match self.findings.get_mut(&key) {
                Some((pages, first_url)) => {
                    *pages += 1;
                    if ev.url < *first_url {
                        *first_url = ev.url;
                    }
                }
                None if at_cap => self.findings_dropped = true,
                None => {
                    self.findings.insert(key, (1, ev.url));
                }
            }
        }
    }

    /// Evidence for the scorecard: elements failing on two or more pages (template findings,
    /// with `pages`) first, most pages first; then single findings by URL; at most
    /// [`MAX_EVIDENCE_PER_RULE`]. The flag says whether any were left out.
    fn evidence(&self) -> (Vec<Evidence>, bool) {
        let mut all: Vec<Evidence> = self
            .findings
            .iter()
            .map(|(key, (pages, url))| Evidence {
                url: url.clone(),
                selector: key.selector.clone(),
                snippet: key.snippet.clone(),
                message: key.message.clone(),
                pages: (*pages > 1).then_some(*pages),
            })
            .collect();
        all.sort_by(|a, b| {
            b.pages
                .unwrap_or(0)
                .cmp(&a.pages.unwrap_or(0))
                .then_with(|| a.cmp(b))
        });
        let truncated = self.findings_dropped || all.len() > MAX_EVIDENCE_PER_RULE;
        all.truncate(MAX_EVIDENCE_PER_RULE);
        (all, truncated)
    }
}

/// Round to one decimal, as written in scorecards.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The e-Monev-style grade band of a 0–100 score.
pub fn grade(score: f64) -> &'static str {
    match score {
        s if s >= 90.0 => "A",
        s if s >= 80.0 => "B",
        s if s >= 60.0 => "C",
        s if s >= 40.0 => "D",
        _ => "E",
    }
}

/// Weighted mean of `(score, weight)` pairs; `None` when the weights sum to zero.
fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = items
        .into_iter()
        .fold((0.0, 0.0), |(s, w), (score, weight)| {
            (s + score * weight, w + weight)
        });
    (weights > 0.0).then(|| sum / weights)
}

/// The scored parts of a scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Per rule, sorted by category then id.
    pub rules: Vec<RuleResult>,
    /// Per category.
    pub categories: BTreeMap<String, CategoryResult>,
    /// 0–100, one decimal.
    pub score: Option<f64>,
    /// A–E.
    pub grade: Option<String>,
    /// A gate rule failed.
    pub compromised: bool,
}

/// Score an agency that was crawled: page-rule tallies (indexed like `RuleSet::rules`, `None`
/// for site rules) and site-rule results.
pub fn score_agency(
    rules: &RuleSet,
    tallies: &[PageRuleTally],
    site_results: Vec<SiteRuleResult>,
) -> Scored {
    let mut site: HashMap<usize, SiteRuleResult> =
        site_results.into_iter().map(|r| (r.rule, r)).collect();
    let results = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let (status, score, pages_checked, pages_failed, reason, evidence, truncated) =
                match rule.scope {
                    RuleScope::Page => {
                        let tally = tallies.get(i).cloned().unwrap_or_default();
                        let (evidence, truncated) = tally.evidence();
                        let (status, score) = if tally.pages_checked == 0 {
                            (RuleStatus::NotApplicable, None)
                        } else {
                            let passed = tally.pages_checked - tally.pages_failed;
                            let score = 100.0 * passed as f64 / tally.pages_checked as f64;
                            let status = if tally.pages_failed == 0 {
                                RuleStatus::Pass
                            } else {
                                RuleStatus::Fail
                            };
                            (status, Some(round1(score)))
                        };
                        (
                            status,
                            score,
                            tally.pages_checked,
                            tally.pages_failed,
                            None,
                            evidence,
                            truncated,
                        )
                    }
                    RuleScope::Site => match site.remove(&i) {
                        Some(r) => {
                            let mut evidence = r.evidence;
                            evidence.sort();
                            let truncated = evidence.len() > MAX_EVIDENCE_PER_RULE;
                            evidence.truncate(MAX_EVIDENCE_PER_RULE);
                            (
                                r.status,
                                site_score(r.status),
                                0,
                                0,
                                r.reason,
                                evidence,
                                truncated,
                            )
                        }
                        None => (
                            RuleStatus::Error,
                            None,
                            0,
                            0,
                            Some("the rule produced no result".to_string()),
                            Vec::new(),
                            false,
                        ),
                    },
                };
            RuleResult {
                id: rule.id.clone(),
                category: rule.category.as_str().to_string(),
                status,
                weight: rule.weight,
                score,
                pages_checked,
                pages_failed,
                reason,
                evidence,
                evidence_truncated: truncated,
            }
        })
        .collect();
    finish(rules, results)
}

/// Score an agency that could not be crawled: every rule `unknown` with `reason`.
pub fn score_unreachable(rules: &RuleSet, reason: &str) -> Scored {
    let results = rules
        .rules()
        .iter()
        .map(|rule| RuleResult {
            id: rule.id.clone(),
            category: rule.category.as_str().to_string(),
            status: RuleStatus::Unknown,
            weight: rule.weight,
            score: None,
            pages_checked: 0,
            pages_failed: 0,
            reason: Some(reason.to_string()),
            evidence: Vec::new(),
            evidence_truncated: false,
        })
        .collect();
    finish(rules, results)
}

/// Score of a site rule's status.
fn site_score(status: RuleStatus) -> Option<f64> {
    match status {
        RuleStatus::Pass => Some(100.0),
        RuleStatus::Partial => Some(50.0),
        RuleStatus::Fail => Some(0.0),
        RuleStatus::NotApplicable | RuleStatus::Unknown | RuleStatus::Error => None,
    }
}

fn finish(rules: &RuleSet, mut results: Vec<RuleResult>) -> Scored {
    results.sort_by(|a, b| a.category.cmp(&b.category).then_with(|| a.id.cmp(&b.id)));
    let mut categories: BTreeMap<String, CategoryResult> = BTreeMap::new();
    for rule in rules.rules() {
        categories
            .entry(rule.category.as_str().to_string())
            .or_insert_with(|| CategoryResult {
                score: None,
                weight: rules.category_weight(rule.category),
                rules_passed: 0,
                rules_partial: 0,
                rules_failed: 0,
                rules_not_applicable: 0,
                rules_unknown: 0,
                rules_error: 0,
            });
    }
    for (name, cat) in categories.iter_mut() {
        let in_cat = results.iter().filter(|r| &r.category == name);
        for r in in_cat.clone() {
            let counter = match r.status {
                RuleStatus::Pass => &mut cat.rules_passed,
                RuleStatus::Partial => &mut cat.rules_partial,
                RuleStatus::Fail => &mut cat.rules_failed,
                RuleStatus::NotApplicable => &mut cat.rules_not_applicable,
                RuleStatus::Unknown => &mut cat.rules_unknown,
                RuleStatus::Error => &mut cat.rules_error,
            };
            *counter += 1;
        }
        cat.score = weighted_mean(in_cat.filter_map(|r| Some((r.score?, r.weight)))).map(round1);
    }
    let score = weighted_mean(
        categories
            .values()
            .filter_map(|c| Some((c.score?, c.weight))),
    )
    .map(round1);
    let gate_ids: Vec<&str> = rules
        .rules()
        .iter()
        .filter(|r| r.severity == "gate")
        .map(|r| r.id.as_str())
        .collect();
    let compromised = results
        .iter()
        .any(|r| r.status == RuleStatus::Fail && gate_ids.contains(&r.id.as_str()));
    let grade = score.map(|s| if compromised { "E" } else { grade(s) }.to_string());
    Scored {
        rules: results,
        categories,
        score,
        grade,
        compromised,
    }
}
