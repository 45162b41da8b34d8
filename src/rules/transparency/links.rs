//! Two site kinds over what the crawl saw of the whole site:
//!
//! - `document_links_work` (research `transparency-rules.md` §3.1 site-links-work; Perki
//!   1/2022 e-Monev: the verifiers open the supporting documents): the share of the site's
//!   in-scope document links (by extension) that the crawl fetched as a document of that kind
//!   (2xx and a document `Content-Type` or magic bytes) is at least `min_share`. Links the crawl
//!   did not report ([`crate::rules::SiteAccumulator::add_fetch`]) are not counted; with none
//!   reported the status is `unknown`; a site without document links is `not_applicable`.
//! - `search_box` (research §3.1 site-search; Pedoman Situs Web Pemda 2003): a search field on
//!   some page (`<input type="search">` or a text input named `s`, `q`, `cari`, `search`,
//!   `keyword`, `kata_kunci`).

use super::{clip, ev, norm_url, PageSeen, SiteInputs};
use crate::page::AttrValue;
use crate::rules::{CheckContext, PageScan};
use crate::scorecard::{Evidence, RuleStatus};
use std::collections::BTreeMap;

/// Document links kept per page and per agency.
const MAX_PAGE_DOCS: usize = 50;
const MAX_SITE_DOCS: usize = 1_000;
/// Failing links kept as evidence.
const MAX_FAILING: usize = 20;
/// Working links kept as evidence (after the failing ones).
const MAX_WORKING: usize = 3;

/// Names of a search field (lower case).
pub const SEARCH_NAMES: &[&str] = &[
    "s",
    "q",
    "cari",
    "search",
    "keyword",
    "kata_kunci",
    "katakunci",
];

/// Params of `document_links_work`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinksParams {
    /// Share (0–1) of checked document links that must work.
    pub min_share: f64,
}

impl LinksParams {
    /// `0 < min_share <= 1`.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.min_share > 0.0 && self.min_share <= 1.0) {
            return Err(format!(
                "min_share must be in (0, 1] (got {})",
                self.min_share
            ));
        }
        Ok(())
    }
}

/// The in-scope document links of a page (by extension; viewer hosts excluded: the crawl
/// never fetches them).
pub(crate) fn collect_doc_links(scan: &PageScan<'_>, ctx: &CheckContext) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for a in &scan.anchors {
        if !matches!(a.url.scheme(), "http" | "https")
            || !a
                .url
                .host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case(&ctx.agency_host))
        {
            continue;
        }
        if super::document::doc_type_of_url(&a.url).is_none() {
            continue;
        }
        let url = super::strip_fragment(&a.url);
        if out.len() < MAX_PAGE_DOCS && !out.iter().any(|(u, _)| *u == url) {
            out.push((url, clip(&a.text, 120)));
        }
    }
    out
}

/// Agency-wide fold for `document_links_work`: target → ((URL, text), first page).
#[derive(Debug, Default)]
pub(crate) struct LinksAcc {
    links: BTreeMap<String, ((String, String), String)>,
}

impl LinksAcc {
    pub fn add(&mut self, page: &PageSeen, links: Vec<(String, String)>) {
        for (url, text) in links {
            let key = norm_url(&url);
            super::keep_first(&mut self.links, key, (url, text), &page.url, MAX_SITE_DOCS);
        }
    }

    /// Decide (see the module doc).
    pub fn finish(
        self,
        what: &str,
        p: &LinksParams,
        inputs: &SiteInputs<'_>,
    ) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        if self.links.is_empty() {
            return (
                RuleStatus::NotApplicable,
                Some(format!("{what}: no document links on the crawled pages")),
                Vec::new(),
            );
        }
        let (mut ok, mut checked) = (0usize, 0usize);
        let mut failing = Vec::new();
        let mut working = Vec::new();
        for (key, ((url, text), from)) in &self.links {
            let snippet = Some(clip(&format!("{text} → {url}"), 200));
            let kind = inputs.fetches.get(key).and_then(|f| f.doc);
            let why = if let Some(dead) = inputs.dead(key) {
                Some(format!("dead ({dead})"))
            } else if inputs.seen.contains_key(key) {
                Some("answers an HTML page".to_string())
            } else {
                match inputs.fetches.get(key) {
                    None => continue,
                    Some(f) if f.doc.is_some() => None,
                    Some(f) => Some(format!(
                        "answers {}",
                        f.content_type.as_deref().unwrap_or("an unknown type")
                    )),
                }
            };
            checked += 1;
            match why {
                None => {
                    ok += 1;
                    if working.len() < MAX_WORKING {
                        let kind = kind.map_or("document", |k| k.code());
                        working.push(ev(from, snippet, format!("Document link opens ({kind})")));
                    }
                }
                Some(why) => {
                    if failing.len() < MAX_FAILING {
                        failing.push(ev(
                            from,
                            snippet,
                            format!("Document link does not open: {why}"),
                        ));
                    }
                }
            }
        }
        if checked == 0 {
            return (
                RuleStatus::Unknown,
                Some(format!(
                    "{what}: {} document link(s) found, none checked by the crawl",
                    self.links.len()
                )),
                Vec::new(),
            );
        }
        let share = ok as f64 / checked as f64;
        let status = if share >= p.min_share {
            RuleStatus::Pass
        } else {
            RuleStatus::Fail
        };
        failing.append(&mut working);
        (
            status,
            Some(format!(
                "{what}: {ok} of {checked} checked document link(s) open ({:.0}%; needs {:.0}%)",
                share * 100.0,
                p.min_share * 100.0
            )),
            failing,
        )
    }
}

/// Is `el` a search field?
pub(crate) fn is_search_input(el: &scraper::node::Element) -> bool {
    if el.name() != "input" {
        return false;
    }
    let ty = el.attr_value("type").unwrap_or("text").to_ascii_lowercase();
    let name = el.attr_value("name").unwrap_or("").to_ascii_lowercase();
    ty == "search" || (ty == "text" && SEARCH_NAMES.contains(&name.as_str()))
}

/// Agency-wide fold for `search_box`: the first page with a search field.
#[derive(Debug, Default)]
pub(crate) struct SearchAcc {
    found: Option<String>,
}

impl SearchAcc {
    pub fn add(&mut self, page: &PageSeen, has: bool) {
        if has && self.found.as_ref().is_none_or(|f| page.url < *f) {
            self.found = Some(page.url.clone());
        }
    }

    pub fn finish(self, what: &str) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        match self.found {
            Some(url) => (
                RuleStatus::Pass,
                Some(format!("{what}: a search field is on the site")),
                vec![ev(&url, None, "Search field".to_string())],
            ),
            None => (
                RuleStatus::Fail,
                Some(format!("{what}: no search field on the crawled pages")),
                Vec::new(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_share_validated() {
        assert!(LinksParams { min_share: 0.9 }.validate().is_ok());
        assert_eq!(
            LinksParams { min_share: 1.5 }.validate(),
            Err("min_share must be in (0, 1] (got 1.5)".to_string())
        );
    }

    #[test]
    fn search_inputs() {
        let html = scraper::Html::parse_fragment(
            r#"<input type="search"><input name="Cari"><input name="email"><input type="hidden" name="s">"#,
        );
        let got: Vec<bool> = html
            .tree
            .nodes()
            .filter_map(|n| n.value().as_element())
            .filter(|e| e.name() == "input")
            .map(is_search_input)
            .collect();
        assert_eq!(got, vec![true, true, false, false]);
    }
}
