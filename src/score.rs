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

use crate::rules::{PageOutcome, PageRuleResult, Rule, RuleScope, RuleSet, SiteRuleResult};
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
    /// Applicable elements over all pages.
    pub elements_checked: u64,
    /// Failing elements over all pages (exact, even where evidence is capped).
    pub elements_failed: u64,
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
        self.elements_checked += u64::from(result.elements_checked);
        self.elements_failed += u64::from(result.elements_failed);
        if (result.elements_failed as usize) > result.evidence.len() {
            // The page kept only part of its failing elements.
            self.findings_dropped = true;
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

impl Scored {
    /// Withhold the agency score and grade (categories and rules stay): for a crawl that did
    /// not see the whole site (cut short, or the home page only), whose few decided rules
    /// would otherwise grade it — a home page with three transparency items found and 58
    /// unknown made 100 / A. A failed gate still makes the grade E.
    pub fn withhold_score(&mut self) {
        self.score = None;
        self.grade = self.compromised.then(|| "E".to_string());
    }
}

/// The reason given for rules that could not judge an agency of which no HTML page was
/// checked.
pub const NO_PAGE_CHECKED: &str = "no HTML page of the site was checked";

/// Score an agency that was crawled: page-rule tallies (indexed like `RuleSet::rules`, `None`
/// for site rules), the number of HTML pages checked, and site-rule results. A page rule that
/// applied to no page is `not_applicable` when pages were checked, and `unknown` when none was
/// (nothing was looked at, so nothing can be said to be absent).
pub fn score_agency(
    rules: &RuleSet,
    tallies: &[PageRuleTally],
    pages_checked: u64,
    site_results: Vec<SiteRuleResult>,
) -> Scored {
    let mut site: HashMap<usize, SiteRuleResult> =
        site_results.into_iter().map(|r| (r.rule, r)).collect();
    let results = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let mut result = unscored(rule, RuleStatus::Error, None);
            match rule.scope {
                RuleScope::Page => {
                    let tally = tallies.get(i).cloned().unwrap_or_default();
                    (result.evidence, result.evidence_truncated) = tally.evidence();
                    result.pages_checked = tally.pages_checked;
                    result.pages_failed = tally.pages_failed;
                    result.elements_checked = Some(tally.elements_checked);
                    result.elements_failed = Some(tally.elements_failed);
                    if tally.pages_checked == 0 && pages_checked == 0 {
                        result.status = RuleStatus::Unknown;
                        result.reason = Some(NO_PAGE_CHECKED.to_string());
                    } else if tally.pages_checked == 0 {
                        result.status = RuleStatus::NotApplicable;
                    } else {
                        let passed = tally.pages_checked - tally.pages_failed;
                        result.score =
                            Some(round1(100.0 * passed as f64 / tally.pages_checked as f64));
                        result.status = if tally.pages_failed == 0 {
                            RuleStatus::Pass
                        } else {
                            RuleStatus::Fail
                        };
                    }
                }
                RuleScope::Site => match site.remove(&i) {
                    Some(r) => {
                        let mut evidence = r.evidence;
                        evidence.sort();
                        result.evidence_truncated = evidence.len() > MAX_EVIDENCE_PER_RULE;
                        evidence.truncate(MAX_EVIDENCE_PER_RULE);
                        result.evidence = evidence;
                        result.status = r.status;
                        result.score = site_score(r.status);
                        result.reason = r.reason;
                        // A rule may weigh more for some OPD types (`weight_by_type`).
                        result.weight = r.weight.unwrap_or(rule.weight);
                    }
                    None => result.reason = Some("the rule produced no result".to_string()),
                },
            }
            result
        })
        .collect();
    finish(rules, results)
}

/// Score an agency that could not be crawled: every rule `unknown` with `reason`.
pub fn score_unreachable(rules: &RuleSet, reason: &str) -> Scored {
    let results = rules
        .rules()
        .iter()
        .map(|rule| unscored(rule, RuleStatus::Unknown, Some(reason.to_string())))
        .collect();
    finish(rules, results)
}

/// A result with `status` and nothing counted or scored yet.
fn unscored(rule: &Rule, status: RuleStatus, reason: Option<String>) -> RuleResult {
    RuleResult {
        id: rule.id.clone(),
        category: rule.category.as_str().to_string(),
        status,
        weight: rule.weight,
        score: None,
        pages_checked: 0,
        pages_failed: 0,
        elements_checked: None,
        elements_failed: None,
        reason,
        evidence: Vec::new(),
        evidence_truncated: false,
    }
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
    // An agency score needs every weighted category judged: a crawl cut short before any
    // transparency item was seen, or one that checked no page, would otherwise be graded on
    // what little was left (one passing rule made a score of 100).
    let every_category_judged = categories
        .values()
        .all(|c| c.weight <= 0.0 || c.score.is_some());
    let score = weighted_mean(
        categories
            .values()
            .filter_map(|c| Some((c.score?, c.weight))),
    )
    .map(round1)
    .filter(|_| every_category_judged);
    let gate_ids: Vec<&str> = rules
        .rules()
        .iter()
        .filter(|r| r.severity == "gate")
        .map(|r| r.id.as_str())
        .collect();
    let compromised = results
        .iter()
        .any(|r| r.status == RuleStatus::Fail && gate_ids.contains(&r.id.as_str()));
    // A failed gate is a finding on its own: E whether or not the rest could be scored.
    let grade = if compromised {
        Some("E".to_string())
    } else {
        score.map(|s| grade(s).to_string())
    };
    Scored {
        rules: results,
        categories,
        score,
        grade,
        compromised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Category;
    use crate::scorecard::Evidence;

    fn rules() -> RuleSet {
        RuleSet::embedded().expect("built-in rules")
    }

    fn index(rules: &RuleSet, id: &str) -> usize {
        rules
            .rules()
            .iter()
            .position(|r| r.id == id)
            .expect("rule id")
    }

    fn failing(rule: usize, url: &str, selector: &str) -> PageRuleResult {
        PageRuleResult {
            rule,
            outcome: PageOutcome::Fail,
            evidence: vec![Evidence {
                url: url.to_string(),
                selector: Some(selector.to_string()),
                snippet: Some("<img src=\"logo.png\">".to_string()),
                message: "Image has no accessible name".to_string(),
                pages: None,
            }],
            elements_checked: 2,
            elements_failed: 1,
        }
    }

    fn passing(rule: usize) -> PageRuleResult {
        PageRuleResult {
            rule,
            outcome: PageOutcome::Pass,
            evidence: Vec::new(),
            elements_checked: 2,
            elements_failed: 0,
        }
    }

    fn site_results(rules: &RuleSet, status: RuleStatus) -> Vec<SiteRuleResult> {
        rules
            .rules()
            .iter()
            .enumerate()
            .filter(|(_, r)| r.scope == RuleScope::Site)
            .map(|(rule, _)| SiteRuleResult {
                rule,
                status,
                reason: None,
                evidence: Vec::new(),
                weight: None,
            })
            .collect()
    }

    fn tallies(rules: &RuleSet, results: Vec<PageRuleResult>) -> Vec<PageRuleTally> {
        let mut t = vec![PageRuleTally::default(); rules.rules().len()];
        for r in results {
            let i = r.rule;
            t[i].add(r);
        }
        t
    }

    #[test]
    fn grade_bands_follow_emonev() {
        let grades: Vec<&str> = [100.0, 90.0, 89.9, 80.0, 79.9, 60.0, 59.9, 40.0, 39.9, 0.0]
            .into_iter()
            .map(grade)
            .collect();
        assert_eq!(grades, ["A", "A", "B", "B", "C", "C", "D", "D", "E", "E"]);
    }

    #[test]
    fn page_rule_scores_the_share_of_pages_and_groups_template_findings() {
        let rules = rules();
        let img = index(&rules, "image-alt");
        let results = vec![
            failing(img, "https://a.go.id/", "html > body > header > img"),
            failing(img, "https://a.go.id/profil/", "html > body > header > img"),
            failing(img, "https://a.go.id/berita/", "html > body > header > img"),
            failing(img, "https://a.go.id/kontak/", "html > body > main > img"),
            passing(img),
        ];
        let scored = score_agency(
            &rules,
            &tallies(&rules, results),
            5,
            site_results(&rules, RuleStatus::Pass),
        );
        let r = scored.rules.iter().find(|r| r.id == "image-alt").unwrap();
        assert_eq!((r.status, r.score), (RuleStatus::Fail, Some(20.0)));
        assert_eq!((r.pages_checked, r.pages_failed), (5, 4));
        assert_eq!((r.elements_checked, r.elements_failed), (Some(10), Some(4)));
        // The header logo failing on three pages is one template finding, listed first.
        assert_eq!(r.evidence.len(), 2);
        assert_eq!(r.evidence[0].pages, Some(3));
        assert_eq!(
            r.evidence[0].url, "https://a.go.id/",
            "the smallest URL stands for the group"
        );
        assert_eq!(r.evidence[1].pages, None);
        assert_eq!(r.evidence[1].url, "https://a.go.id/kontak/");
        assert!(!r.evidence_truncated);
    }

    #[test]
    fn capped_page_evidence_marks_the_rule_truncated() {
        let rules = rules();
        let img = index(&rules, "image-alt");
        let mut r = failing(img, "https://a.go.id/", "img");
        r.elements_failed = 30;
        let scored = score_agency(&rules, &tallies(&rules, vec![r]), 1, Vec::new());
        let r = scored.rules.iter().find(|r| r.id == "image-alt").unwrap();
        assert!(r.evidence_truncated);
        assert_eq!(r.elements_failed, Some(30));
    }

    #[test]
    fn site_statuses_score_100_50_0_and_others_leave_the_denominator() {
        let rules = rules();
        let mut site = site_results(&rules, RuleStatus::Pass);
        let set = |site: &mut Vec<SiteRuleResult>, id: &str, status| {
            let i = index(&rules, id);
            site.iter_mut().find(|r| r.rule == i).unwrap().status = status;
        };
        set(&mut site, "ppid-page", RuleStatus::Partial);
        set(&mut site, "news-freshness", RuleStatus::Unknown);
        set(&mut site, "organisation-structure", RuleStatus::Fail);
        let img = index(&rules, "image-alt");
        let scored = score_agency(&rules, &tallies(&rules, vec![passing(img)]), 1, site);
        let t = &scored.categories["transparency"];
        assert_eq!(
            (t.rules_partial, t.rules_failed, t.rules_unknown),
            (1, 1, 1)
        );
        // Weighted mean over the scored transparency rules: every other one passes.
        let scored_rules = rules
            .rules()
            .iter()
            .filter(|r| r.category.as_str() == "transparency" && r.id != "news-freshness");
        let (sum, weights) = scored_rules.fold((0.0, 0.0), |(s, w), r| {
            let score = match r.id.as_str() {
                "ppid-page" => 50.0,
                "organisation-structure" => 0.0,
                _ => 100.0,
            };
            (s + score * r.weight, w + r.weight)
        });
        let expected = sum / weights;
        assert_eq!(t.score, Some(round1(expected)));
        // One page was checked and only image-alt applied to it: the other page rules are not
        // applicable, and the agency score is the weighted mean of the four categories.
        assert_eq!(scored.categories["accessibility"].score, Some(100.0));
        let page_rules = rules
            .rules()
            .iter()
            .filter(|r| r.scope == RuleScope::Page)
            .count();
        assert_eq!(
            scored.categories["accessibility"].rules_not_applicable as usize,
            page_rules - 1
        );
        let categories = ["accessibility", "integrity", "security", "transparency"];
        let expected_agency = categories
            .iter()
            .map(|c| {
                (
                    scored.categories[*c].score.unwrap(),
                    scored.categories[*c].weight,
                )
            })
            .fold((0.0, 0.0), |(s, w), (x, y)| (s + x * y, w + y));
        assert_eq!(
            scored.score,
            Some(round1(expected_agency.0 / expected_agency.1))
        );
    }

    #[test]
    fn a_failed_gate_rule_marks_the_agency_compromised_with_grade_e() {
        let rules = rules();
        let mut site = site_results(&rules, RuleStatus::Pass);
        let spam = index(&rules, "gambling-spam-keywords");
        site.iter_mut().find(|r| r.rule == spam).unwrap().status = RuleStatus::Fail;
        let img = index(&rules, "image-alt");
        let scored = score_agency(&rules, &tallies(&rules, vec![passing(img)]), 1, site);
        assert!(scored.compromised);
        assert!(scored.score.unwrap() > 60.0);
        assert_eq!(scored.grade.as_deref(), Some("E"));
    }

    /// A crawl that checked no HTML page says nothing about the page rules (`unknown`, not
    /// `not_applicable`), and an agency with a weighted category left unjudged gets no score
    /// or grade — one passing HTTPS probe must not make a 100 / A.
    #[test]
    fn no_page_checked_leaves_page_rules_unknown_and_the_agency_unscored() {
        let rules = rules();
        let site: Vec<SiteRuleResult> = site_results(&rules, RuleStatus::Unknown)
            .into_iter()
            .map(|mut r| {
                if rules.rules()[r.rule].id == "https-available" {
                    r.status = RuleStatus::Pass;
                }
                r
            })
            .collect();
        let scored = score_agency(&rules, &tallies(&rules, Vec::new()), 0, site);
        let img = scored.rules.iter().find(|r| r.id == "image-alt").unwrap();
        assert_eq!(img.status, RuleStatus::Unknown);
        assert_eq!(
            img.reason.as_deref(),
            Some("no HTML page of the site was checked")
        );
        assert_eq!(scored.categories["security"].score, Some(100.0));
        assert_eq!(scored.categories["accessibility"].score, None);
        assert_eq!((scored.score, scored.grade.as_deref()), (None, None));
    }

    #[test]
    fn an_unjudged_category_withholds_the_score_but_not_a_failed_gate() {
        let rules = rules();
        let img = index(&rules, "image-alt");
        let spam = index(&rules, "gambling-spam-keywords");
        let site = |spam_status| {
            site_results(&rules, RuleStatus::Pass)
                .into_iter()
                .map(|mut r| {
                    if rules.rules()[r.rule].category == Category::Transparency {
                        r.status = RuleStatus::Unknown;
                    }
                    if r.rule == spam {
                        r.status = spam_status;
                    }
                    r
                })
                .collect::<Vec<_>>()
        };
        let clean = score_agency(
            &rules,
            &tallies(&rules, vec![passing(img)]),
            1,
            site(RuleStatus::Pass),
        );
        assert_eq!(clean.categories["accessibility"].score, Some(100.0));
        assert_eq!(clean.categories["transparency"].score, None);
        assert_eq!((clean.score, clean.grade.as_deref()), (None, None));
        let hacked = score_agency(
            &rules,
            &tallies(&rules, vec![passing(img)]),
            1,
            site(RuleStatus::Fail),
        );
        assert!(hacked.compromised);
        assert_eq!((hacked.score, hacked.grade.as_deref()), (None, Some("E")));
    }

    #[test]
    fn a_missing_site_result_is_an_error_not_a_pass() {
        let rules = rules();
        let scored = score_agency(&rules, &tallies(&rules, Vec::new()), 1, Vec::new());
        let r = scored.rules.iter().find(|r| r.id == "ppid-page").unwrap();
        assert_eq!((r.status, r.score), (RuleStatus::Error, None));
        let transparency = rules
            .rules()
            .iter()
            .filter(|r| r.category.as_str() == "transparency")
            .count();
        assert_eq!(
            scored.categories["transparency"].rules_error as usize,
            transparency
        );
    }

    #[test]
    fn unreachable_agency_has_every_rule_unknown_and_no_score() {
        let rules = rules();
        let scored = score_unreachable(&rules, "agency unreachable: connection refused");
        assert!(scored.rules.iter().all(|r| r.status == RuleStatus::Unknown));
        assert_eq!((scored.score, scored.grade), (None, None));
        assert!(!scored.compromised);
    }
}
