//! The rule engine: `rules/*.toml` → [`RuleSet`]; a parsed [`Page`] → [`PageReport`]; an agency's
//! page evidence → site rule results.
//!
//! INTERFACE CONTRACT (used by `audit.rs`; keep these names and shapes):
//! - `RuleSet::load_dir(&Path) -> Result<RuleSet, RulesError>` and `RuleSet::embedded()`
//!   (the default catalogue compiled in with `include_str!`; returns
//!   `Result<RuleSet, RulesError>`).
//! - `RuleSet::rules() -> &[Rule]`, `RuleSet::sha256() -> &str`.
//! - `RuleSet::category_weight(Category) -> f64` (from `rules/scoring.toml`) and
//!   `RuleSet::category_reason(Category) -> &str`.
//! - `RuleSet::check_page(&Page, &CheckContext) -> PageReport` (pure, no I/O, runs on a blocking
//!   thread; `Page` is not `Send`, `PageReport` is).
//! - `RuleSet::site_accumulator() -> SiteAccumulator`; `SiteAccumulator::add(PageEvidence)`;
//!   `SiteAccumulator::finish(&SiteFacts, &CheckContext) -> Vec<SiteRuleResult>`.
//! - Added for the transparency catalogue (issue 4), for the audit to wire:
//!   - `CheckContext::agency_types: Option<Vec<String>>` — the agency's applicability codes
//!     from the nomenclature (`svc`, `fin`, `insp`, `kominfo`, `hukum`, `bpbd`); `None` makes
//!     rules for some types only `unknown`. See [`applicability`].
//!   - `SiteAccumulator::add_fetch(FetchSeen)` — every in-scope fetch that was not handed to
//!     `check_page` as an HTML page (documents with `Content-Type` and first bytes, 4xx/5xx
//!     answers, no answer) and, later, one-hop checks of external service links.
//!   - `SiteAccumulator::add_sitemap_lastmod(url: &str, lastmod: &str)` — the agency's sitemap
//!     `<lastmod>` values.
//!   - `PageEvidence::one_hop_links() -> Vec<String>` — service links (lapor.go.id, SiRUP,
//!     JDIH, …) of the page to check with one request each and report with `add_fetch`.
//!   - `SiteRuleResult::weight: Option<f64>` — the rule's weight for this agency when
//!     `weight_by_type` changes it; the scorer should use it instead of `Rule::weight`.
//!   - `Rule::{description, group, applies_to, weight_by_type}` for listings and reports.
//!
//! # Architecture
//! A rule in TOML names a built-in check kind (`Check`, a closed enum: an unknown kind or a
//! bad parameter fails at load, see `load.rs`). Page kinds (accessibility) are dispatched from
//! ONE walk over the DOM: at load a tag → interested-rules table is compiled; each element is
//! sent to the rules that asked for its tag (and, for role-aware kinds, to those wanting any
//! element with a `role`; attribute-driven ARIA kinds get every element). The same walk gathers `PageScan` — title, headings, text, dates,
//! keyword segments — from which each site kind (transparency, security, integrity) keeps a
//! small per-page fact in [`PageEvidence`]; [`SiteAccumulator`] folds those facts per agency
//! and decides once. Site kinds: `site_content`, `document`, `freshness`, `external_service`,
//! `contact_info`, `official_email`, `document_links_work`, `search_box` (transparency, see
//! [`transparency`]), `https_available` (security), `spam_keywords` and `charset_consistent`
//! (integrity; its facts come from the crawl, see [`SiteAccumulator::add_charset_conflict`]).
//! Before a site rule decides, its `applies_to` is matched against the agency's type.
//!
//! Page kinds report failures by message key (`image-no-name`); the sentences, Indonesian and
//! English, live in the rule file (`messages.image-no-name.id/.en`, required for every key the
//! kind emits) and are on [`Rule::messages`]; evidence carries the English one. Site kinds
//! build English messages with data (dates, counts) in code for now.

pub mod accessibility;
pub mod accname;
pub mod aria;
pub mod dates;
pub mod hints;
pub mod integrity;
pub mod lang;
pub mod load;
pub mod security;
pub mod table;
pub mod text;
pub mod transparency;
mod walk;

pub use walk::{css_path, opening_tag};
pub(crate) use walk::{element_evidence, Frame, PageScan};

use crate::page::{AttrValue, Page};
use crate::scorecard::{Evidence, RuleStatus};
use accessibility::{A11yKind, NameParams, NameTarget, RefreshParams, Tally};
use chrono::{DateTime, FixedOffset};
use ego_tree::iter::Edge;
use integrity::{FirstWords, Location, Segment, SpamAcc, SpamMatcher};
use load::{CategoryWeight, ParamParser};
use scraper::{ElementRef, Node};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
pub use transparency::FetchSeen;
use transparency::{
    ContactAcc, ContentAcc, DatesAcc, DocumentAcc, DocumentCheck, EmailAcc, EmailParams,
    ExternalAcc, ExternalMatcher, FetchInfo, FreshnessParams, LinksAcc, LinksParams, Matcher,
    PageSeen, SearchAcc, SiteFact,
};

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
    /// Every category, in order.
    pub const ALL: [Category; 4] = [
        Category::Accessibility,
        Category::Transparency,
        Category::Security,
        Category::Integrity,
    ];

    /// snake_case name as in TOML and scorecards.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Accessibility => "accessibility",
            Category::Transparency => "transparency",
            Category::Security => "security",
            Category::Integrity => "integrity",
        }
    }

    /// The category named `s` (snake_case), if any.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
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
    /// The built-in check kind (`image_has_name`, `site_content`, …).
    pub kind: String,
    /// Texts of the kind's message keys (`[rule.messages.<key>]` in TOML), by key; empty for
    /// kinds whose messages carry data (site kinds, English for now).
    pub messages: BTreeMap<String, Message>,
    /// What the rule asks for, for people (`description.id` / `description.en`), if given.
    pub description: Option<Message>,
    /// Sub-group within the category (research §3 tables: `profile`, `ppid`, `performance`,
    /// `budget`, `procurement`, `public-service`, `legal`, `data`, `communication`,
    /// `availability`), if given.
    pub group: Option<String>,
    /// Applicability codes (research §2): `all`, `svc`, `fin`, `insp`, `kominfo`, `hukum`,
    /// `bpbd`. Empty means `all`. Matched against [`CheckContext::agency_types`].
    pub applies_to: Vec<String>,
    /// Weight for agencies of a type (`weight_by_type = { hukum = 5 }`: the JDIH rule is
    /// critical for the Biro Hukum); the largest matching entry wins, else [`Rule::weight`].
    pub weight_by_type: BTreeMap<String, f64>,
}

/// Applicability codes a rule's `applies_to` / `weight_by_type` may name (research §2).
pub const APPLICABILITY_CODES: &[&str] = &["all", "svc", "fin", "insp", "kominfo", "hukum", "bpbd"];

/// Does `rule` apply to an agency of `types`? `Ok(weight)` (the weight for this agency) or
/// `Err((status, reason))`: `not_applicable` when the type is known and not listed, `unknown`
/// when the rule is for some types only and the agency's type is unknown.
pub fn applicability(rule: &Rule, types: Option<&[String]>) -> Result<f64, (RuleStatus, String)> {
    let for_all = rule.applies_to.is_empty() || rule.applies_to.iter().any(|a| a == "all");
    let weight = |types: &[String]| {
        types
            .iter()
            .filter_map(|t| rule.weight_by_type.get(t))
            .fold(rule.weight, |w, &x| if x > w { x } else { w })
    };
    match types {
        Some(types) if for_all || rule.applies_to.iter().any(|a| types.contains(a)) => {
            Ok(weight(types))
        }
        None if for_all => Ok(rule.weight),
        Some(types) => {
            let listed: Vec<&str> = types
                .iter()
                .map(String::as_str)
                .filter(|t| *t != "all")
                .collect();
            Err((
                RuleStatus::NotApplicable,
                format!(
                    "applies to agency types {} only; this agency is {}",
                    rule.applies_to.join(", "),
                    if listed.is_empty() {
                        "of no listed type".to_string()
                    } else {
                        listed.join(", ")
                    }
                ),
            ))
        }
        None => Err((
            RuleStatus::Unknown,
            format!(
                "applies to agency types {} only; the agency's type is unknown",
                rule.applies_to.join(", ")
            ),
        )),
    }
}

/// A sentence for people in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Indonesian.
    pub id: String,
    /// English.
    pub en: String,
}

/// What the checks may know about the run: no clock reads inside rules.
#[derive(Debug, Clone)]
pub struct CheckContext {
    /// The run's start time (freshness is measured from here).
    pub now: DateTime<FixedOffset>,
    /// The agency's host.
    pub agency_host: String,
    /// The agency's applicability codes from the nomenclature (`svc`, `fin`, `insp`,
    /// `kominfo`, `hukum`, `bpbd`; `all` implied). `None`: type unknown, so rules for some
    /// types only are `unknown` ("agency type unknown"), rules for `all` are checked.
    pub agency_types: Option<Vec<String>>,
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
    /// Failing elements (url, selector, snippet ≤ 200 chars, message); at most
    /// [`accessibility::MAX_ELEMENT_EVIDENCE`].
    pub evidence: Vec<Evidence>,
    /// Applicable elements on the page.
    pub elements_checked: u32,
    /// Applicable elements that failed (exact, even when evidence is capped).
    pub elements_failed: u32,
}

/// A link on a page that matched a site rule (for tests and reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedLink {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// Target URL, fragment removed.
    pub url: String,
    /// Anchor text.
    pub text: String,
}

/// Small per-page facts site rules need (links, titles, dates, keyword hits), `Send` and
/// bounded: at most 10 links per rule, 3 dates, 5 phones/e-mails, 10 keyword hits.
#[derive(Debug, Clone, Default)]
pub struct PageEvidence {
    /// Page URL without fragment.
    url: String,
    /// What the page shows: status, main-text size, media (each rule applies its own
    /// `min_chars`).
    substance: transparency::Substance,
    /// One fact per site rule: (rule index, fact).
    facts: Vec<(usize, SiteFact)>,
}

impl PageEvidence {
    /// Links that matched a site rule's synonyms or slugs.
    pub fn matched_links(&self) -> Vec<MatchedLink> {
        let mut out = Vec::new();
        for (rule, fact) in &self.facts {
            let links = match fact {
                SiteFact::Content(c) => &c.links,
                SiteFact::Contact(c) => &c.entry.links,
                SiteFact::Document(d) => &d.content.links,
                SiteFact::External(e) => &e.links,
                _ => continue,
            };
            out.extend(links.iter().map(|l| MatchedLink {
                rule: *rule,
                url: l.url.clone(),
                text: l.text.clone(),
            }));
        }
        out
    }

    /// Links of this page to national and provincial services (the `external_service` rules'
    /// matches, and `document` rules' service hosts such as e-LHKPN), sorted and deduplicated:
    /// the URLs an audit should check with one request each (HEAD, never crawled) and report
    /// through [`SiteAccumulator::add_fetch`], so that a dead service link is not counted.
    pub fn one_hop_links(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, fact) in &self.facts {
            match fact {
                SiteFact::External(e) => out.extend(e.links.iter().map(|l| l.url.clone())),
                SiteFact::Document(d) => out.extend(
                    d.docs
                        .iter()
                        .filter(|x| x.service)
                        .map(|x| x.link.url.clone()),
                ),
                _ => {}
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Does the page have substance by the default measure (status < 400 and at least
    /// [`transparency::SUBSTANCE_CHARS`] characters of main text, or media in the main content)?
    pub fn has_substance(&self) -> bool {
        self.substance.meets(transparency::SUBSTANCE_CHARS)
    }
}

/// Everything `check_page` found on one page.
#[derive(Debug, Clone)]
pub struct PageReport {
    /// One entry per page rule.
    pub results: Vec<PageRuleResult>,
    /// `(rule index, count)` for page rules with elements whose applicability or result needs
    /// CSS, layout, script or a fetch (an `iframe src` out of the tab order, an `object` of
    /// unknown type); `pantau check` reports such a rule `cantTell` when nothing failed.
    pub undecided: Vec<(usize, u32)>,
    /// Evidence kept for site rules.
    pub evidence: PageEvidence,
    /// The page's crawlable links, as [`Page::links`] gives them (http/https anchors in
    /// document order, those inside `<noscript>` last), gathered by the same walk so the
    /// crawler need not walk the DOM again.
    pub links: Vec<url::Url>,
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
    /// The rule's weight for this agency when it differs from [`Rule::weight`]
    /// (`weight_by_type` matched the agency's type); the scorer should use it.
    pub weight: Option<f64>,
}

/// Per-agency fold of one site rule.
#[derive(Debug)]
enum Acc {
    Content(ContentAcc),
    Contact(ContactAcc),
    Dates(DatesAcc),
    Document(DocumentAcc),
    External(ExternalAcc),
    Email(EmailAcc),
    Links(LinksAcc),
    Search(SearchAcc),
    Spam(SpamAcc),
    Https,
    Charset,
}

/// Folds page evidence into site rule results. Memory: one URL and a flag per page plus
/// capped evidence per rule.
#[derive(Debug, Default)]
pub struct SiteAccumulator {
    compiled: Option<Arc<Compiled>>,
    /// Every page added: normalised URL (no fragment, no trailing slash) → substance.
    seen: BTreeMap<String, transparency::Substance>,
    /// Non-page fetches (documents, dead links, one-hop checks) by normalised URL.
    fetches: BTreeMap<String, FetchInfo>,
    /// Newest sitemap `<lastmod>` dates (URL, date), at most a few.
    lastmods: Vec<(String, chrono::NaiveDate)>,
    /// Pages whose header and `<meta>` charsets disagree (URL, header, meta), from the crawl.
    charset_conflicts: Vec<integrity::CharsetConflict>,
    accs: Vec<(usize, Acc)>,
}

/// The loaded rule catalogue.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    sha256: String,
    compiled: Arc<Compiled>,
}

/// Errors loading or validating rules: every problem with file and line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// One or more problems; each line is `file:line: rule 'id': message`.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
}

/// A built-in check kind with its compiled parameters. Closed: TOML `kind = "…"` must name
/// one of [`KIND_NAMES`].
#[derive(Debug, Clone)]
pub(crate) enum Check {
    /// Accessibility page kinds (no params).
    A11y(A11yKind),
    /// `site_content` (synonyms, slugs, empty_markers).
    SiteContent(Matcher),
    /// `contact_info` (synonyms, slugs).
    ContactInfo(Matcher),
    /// `freshness` (pass_days, partial_days, optional scope synonyms/slugs, future_days).
    Freshness(FreshnessParams),
    /// `document` (synonyms, slugs, doc_types, max_age_years, grace_until).
    Document(DocumentCheck),
    /// `external_service` (hosts, synonyms, accounts).
    ExternalService(ExternalMatcher),
    /// `official_email` (official_suffixes, free_mail).
    OfficialEmail(EmailParams),
    /// `document_links_work` (min_share).
    DocumentLinksWork(LinksParams),
    /// `search_box` (no params).
    SearchBox,
    /// `https_available` (no params).
    HttpsAvailable,
    /// `spam_keywords` (terms, guarded_terms, co_terms, window).
    SpamKeywords(SpamMatcher),
    /// `charset_consistent` (no params).
    CharsetConsistent,
}

/// Kind names as written in TOML; deserialised from `kind = "…"`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindName {
    HtmlHasLang,
    DocumentTitle,
    ImageHasName,
    LinkHasName,
    FormFieldHasName,
    HtmlLangValid,
    ElementLangValid,
    HasAccessibleName,
    RoleValid,
    AriaAttrDefined,
    AriaAttrValidValue,
    AriaAttrPermitted,
    AriaRequiredAttrs,
    AriaProhibitedAttrs,
    AriaRequiredContext,
    AriaRequiredOwned,
    DecorativeNotExposed,
    AriaHiddenNoFocusable,
    PresentationalChildrenNoFocusable,
    IframeTabOrder,
    MetaRefresh,
    MetaViewportZoom,
    AutocompleteValid,
    TableHeadersAttr,
    TableHeaderHasCells,
    SiteContent,
    ContactInfo,
    Freshness,
    HttpsAvailable,
    SpamKeywords,
    CharsetConsistent,
    Document,
    ExternalService,
    OfficialEmail,
    DocumentLinksWork,
    SearchBox,
}

/// Every kind name, for messages.
pub const KIND_NAMES: &[&str] = &[
    "html_has_lang",
    "document_title",
    "image_has_name",
    "link_has_name",
    "form_field_has_name",
    "html_lang_valid",
    "element_lang_valid",
    "has_accessible_name",
    "role_valid",
    "aria_attr_defined",
    "aria_attr_valid_value",
    "aria_attr_permitted",
    "aria_required_attrs",
    "aria_prohibited_attrs",
    "aria_required_context",
    "aria_required_owned",
    "decorative_not_exposed",
    "aria_hidden_no_focusable",
    "presentational_children_no_focusable",
    "iframe_tab_order",
    "meta_refresh",
    "meta_viewport_zoom",
    "autocomplete_valid",
    "table_headers_attr",
    "table_header_has_cells",
    "site_content",
    "contact_info",
    "freshness",
    "https_available",
    "spam_keywords",
    "charset_consistent",
    "document",
    "external_service",
    "official_email",
    "document_links_work",
    "search_box",
];

/// Kinds without parameters accept only an empty (or absent) `params` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

impl Check {
    fn is_page(&self) -> bool {
        matches!(self, Check::A11y(_))
    }

    /// Message keys whose texts the rule must give in `[rule.messages]`.
    fn message_keys(&self) -> &'static [&'static str] {
        match self {
            Check::A11y(k) => k.message_keys(),
            _ => &[],
        }
    }

    /// Build the check for `kind`: `Err(known kinds)` for an unknown kind, `Ok(None)` when the
    /// params were bad (the problem is recorded by `params`).
    fn from_kind(
        kind: &str,
        params: &mut ParamParser<'_, '_>,
    ) -> Result<Option<Check>, &'static [&'static str]> {
        let de = serde::de::value::StrDeserializer::<serde::de::value::Error>::new(kind);
        let name = KindName::deserialize(de).map_err(|_| KIND_NAMES)?;
        let none = |params: &mut ParamParser<'_, '_>, k: A11yKind| {
            params.parse::<NoParams>(|_| Ok(())).map(|_| Check::A11y(k))
        };
        Ok(match name {
            KindName::HtmlHasLang => none(params, A11yKind::HtmlHasLang),
            KindName::DocumentTitle => none(params, A11yKind::DocumentTitle),
            KindName::ImageHasName => none(params, A11yKind::HasName(NameTarget::Image)),
            KindName::LinkHasName => none(params, A11yKind::HasName(NameTarget::Link)),
            KindName::FormFieldHasName => none(params, A11yKind::HasName(NameTarget::FormField)),
            KindName::HtmlLangValid => none(params, A11yKind::HtmlLangValid),
            KindName::ElementLangValid => none(params, A11yKind::ElementLangValid),
            KindName::HasAccessibleName => params
                .parse::<NameParams>(|_| Ok(()))
                .map(|p| Check::A11y(A11yKind::HasName(p.target))),
            KindName::RoleValid => none(params, A11yKind::RoleValid),
            KindName::AriaAttrDefined => none(params, A11yKind::AriaAttrDefined),
            KindName::AriaAttrValidValue => none(params, A11yKind::AriaAttrValidValue),
            KindName::AriaAttrPermitted => none(params, A11yKind::AriaAttrPermitted),
            KindName::AriaRequiredAttrs => none(params, A11yKind::AriaRequiredAttrs),
            KindName::AriaProhibitedAttrs => none(params, A11yKind::AriaProhibitedAttrs),
            KindName::AriaRequiredContext => none(params, A11yKind::AriaRequiredContext),
            KindName::AriaRequiredOwned => none(params, A11yKind::AriaRequiredOwned),
            KindName::DecorativeNotExposed => none(params, A11yKind::DecorativeNotExposed),
            KindName::AriaHiddenNoFocusable => none(params, A11yKind::AriaHiddenNoFocusable),
            KindName::PresentationalChildrenNoFocusable => {
                none(params, A11yKind::PresentationalChildrenNoFocusable)
            }
            KindName::IframeTabOrder => none(params, A11yKind::IframeTabOrder),
            KindName::MetaRefresh => params.parse::<RefreshParams>(|_| Ok(())).map(|p| {
                Check::A11y(A11yKind::MetaRefresh {
                    pass_above: p.pass_above_seconds,
                })
            }),
            KindName::MetaViewportZoom => none(params, A11yKind::MetaViewportZoom),
            KindName::AutocompleteValid => none(params, A11yKind::AutocompleteValid),
            KindName::TableHeadersAttr => none(params, A11yKind::TableHeadersAttr),
            KindName::TableHeaderHasCells => none(params, A11yKind::TableHeaderHasCells),
            KindName::SiteContent => params
                .parse::<transparency::SiteContentParams>(|p| p.matcher().map(|_| ()))
                .and_then(|p| p.matcher().ok())
                .map(Check::SiteContent),
            KindName::ContactInfo => params
                .parse::<transparency::ContactParams>(|p| p.matcher().map(|_| ()))
                .and_then(|p| p.matcher().ok())
                .map(Check::ContactInfo),
            KindName::Freshness => params
                .parse::<FreshnessParams>(|p| p.compiled().map(|_| ()))
                .and_then(|p| p.compiled().ok())
                .map(Check::Freshness),
            KindName::Document => params
                .parse::<transparency::DocumentParams>(|p| p.compiled().map(|_| ()))
                .and_then(|p| p.compiled().ok())
                .map(Check::Document),
            KindName::ExternalService => params
                .parse::<transparency::ExternalParams>(|p| p.compiled().map(|_| ()))
                .and_then(|p| p.compiled().ok())
                .map(Check::ExternalService),
            KindName::OfficialEmail => params
                .parse::<EmailParams>(EmailParams::validate)
                .map(Check::OfficialEmail),
            KindName::DocumentLinksWork => params
                .parse::<LinksParams>(LinksParams::validate)
                .map(Check::DocumentLinksWork),
            KindName::SearchBox => params
                .parse::<NoParams>(|_| Ok(()))
                .map(|_| Check::SearchBox),
            KindName::CharsetConsistent => params
                .parse::<NoParams>(|_| Ok(()))
                .map(|_| Check::CharsetConsistent),
            KindName::HttpsAvailable => params
                .parse::<NoParams>(|_| Ok(()))
                .map(|_| Check::HttpsAvailable),
            KindName::SpamKeywords => params
                .parse::<integrity::SpamParams>(|p| p.matcher().map(|_| ()))
                .and_then(|p| p.matcher().ok())
                .map(Check::SpamKeywords),
        })
    }
}

/// The rule set compiled for checking.
#[derive(Debug)]
struct Compiled {
    rules: Vec<Rule>,
    checks: Vec<Check>,
    weights: BTreeMap<Category, CategoryWeight>,
    /// Page rule indices (into `rules`), in order.
    page_rules: Vec<usize>,
    /// Site rule indices, in order.
    site_rules: Vec<usize>,
    /// Tag → the positions in `page_rules` of the rules an element with that tag goes to, in
    /// visit order: `[without a role attribute, with one]`. Each list is the rules naming the
    /// tag, then those wanting every element, then (second list) those wanting any element
    /// with a `role`, each rule once; built at load so the walk does one look-up per element.
    dispatch: rustc_hash::FxHashMap<&'static str, [Vec<usize>; 2]>,
    /// The same for a tag no rule names.
    dispatch_other: [Vec<usize>; 2],
    /// The first words of every `spam_keywords` rule's phrases, when there is such a rule
    /// (only then does the walk keep keyword segments).
    segment_filter: Option<FirstWords>,
}

/// `[without role, with role]` dispatch lists for an element whose tag the rules at
/// `tagged` name (see `Compiled::dispatch`).
fn dispatch_lists(tagged: &[usize], every: &[usize], by_role: &[usize]) -> [Vec<usize>; 2] {
    let mut plain = tagged.to_vec();
    for &pos in every {
        if !plain.contains(&pos) {
            plain.push(pos);
        }
    }
    let mut with_role = plain.clone();
    for &pos in by_role {
        if !with_role.contains(&pos) {
            with_role.push(pos);
        }
    }
    [plain, with_role]
}

/// The rule files compiled into the binary, sorted by name.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "accessibility.toml",
        include_str!("../../rules/accessibility.toml"),
    ),
    ("integrity.toml", include_str!("../../rules/integrity.toml")),
    ("scoring.toml", include_str!("../../rules/scoring.toml")),
    ("security.toml", include_str!("../../rules/security.toml")),
    (
        "transparency.toml",
        include_str!("../../rules/transparency.toml"),
    ),
];

impl RuleSet {
    /// Load and validate every `*.toml` in `dir` (`scoring.toml` holds the category weights).
    /// Errors: [`RulesError::Invalid`] with every problem, each `file:line: rule 'id': message`
    /// (an unreadable directory or file is one problem naming it).
    pub fn load_dir(dir: &Path) -> Result<RuleSet, RulesError> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            RulesError::Invalid(vec![format!(
                "{}: cannot read rules directory: {e}",
                dir.display()
            )])
        })?;
        let mut names: Vec<String> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                RulesError::Invalid(vec![format!("{}: cannot list: {e}", dir.display())])
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".toml") && entry.path().is_file() {
                names.push(name);
            }
        }
        names.sort();
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for name in names {
            let path = dir.join(&name);
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((path.display().to_string(), text)),
                Err(e) => problems.push(format!("{}: cannot read: {e}", path.display())),
            }
        }
        if !problems.is_empty() {
            return Err(RulesError::Invalid(problems));
        }
        Self::from_files(&files)
    }

    /// The default catalogue compiled in with `include_str!` (the repository's `rules/`), so
    /// an installed binary works without the directory. Errors only if the shipped files are
    /// invalid (a test guards against that).
    pub fn embedded() -> Result<RuleSet, RulesError> {
        let files: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(n, t)| (format!("rules/{n}"), (*t).to_string()))
            .collect();
        Self::from_files(&files)
    }

    fn from_files(files: &[(String, String)]) -> Result<RuleSet, RulesError> {
        let loaded = load::load(files).map_err(RulesError::Invalid)?;
        let mut page_rules = Vec::new();
        let mut site_rules = Vec::new();
        let mut by_tag: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut by_role = Vec::new();
        let mut every = Vec::new();
        let mut segment_filter: Option<FirstWords> = None;
        for (i, check) in loaded.checks.iter().enumerate() {
            match check {
                Check::A11y(k) => {
                    let pos = page_rules.len();
                    page_rules.push(i);
                    for t in k.tags() {
                        by_tag.entry(t).or_default().push(pos);
                    }
                    if k.every_element() {
                        every.push(pos);
                    } else if k.by_role() {
                        by_role.push(pos);
                    }
                }
                other => {
                    if let Check::SpamKeywords(m) = other {
                        segment_filter
                            .get_or_insert_with(FirstWords::default)
                            .absorb(&m.first_words);
                    }
                    site_rules.push(i);
                }
            }
        }
        let compiled = Compiled {
            rules: loaded.rules.clone(),
            checks: loaded.checks,
            weights: loaded.weights,
            page_rules,
            site_rules,
            dispatch: by_tag
                .iter()
                .map(|(&t, tagged)| (t, dispatch_lists(tagged, &every, &by_role)))
                .collect(),
            dispatch_other: dispatch_lists(&[], &every, &by_role),
            segment_filter,
        };
        Ok(RuleSet {
            rules: loaded.rules,
            sha256: loaded.sha256,
            compiled: Arc::new(compiled),
        })
    }

    /// The rules, in a stable order (files by name, rules in file order).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Hex SHA-256 over the rule files: for each file sorted by name, its name, a NUL byte,
    /// its bytes and a NUL byte.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The category's weight in the agency score (`rules/scoring.toml`, > 0).
    pub fn category_weight(&self, category: Category) -> f64 {
        self.compiled
            .weights
            .get(&category)
            .map(|w| w.weight)
            .unwrap_or(0.0)
    }

    /// Why the category has its weight (`rules/scoring.toml`).
    pub fn category_reason(&self, category: Category) -> &str {
        self.compiled
            .weights
            .get(&category)
            .map(|w| w.reason.as_str())
            .unwrap_or("")
    }

    /// The rule catalogue as Markdown: category weights with reasons, then one table row per
    /// rule (id, category, scope, weight, severity, titles, kind, source). `rules/README.md` is
    /// this output; a test keeps it current.
    pub fn catalogue_markdown(&self) -> String {
        let mut s = String::from(
            "# pantau rule catalogue\n\n\
             Generated from `rules/*.toml` by `RuleSet::catalogue_markdown`; a test \
             (`tests/rules_load.rs`) keeps this file current. Edit the TOML, then run\n\
             `PANTAU_BLESS=1 cargo test --test rules_load catalogue` to regenerate.\n\n\
             ## Category weights (`scoring.toml`)\n\n\
             | Category | Weight | Reason |\n|---|---|---|\n",
        );
        for c in Category::ALL {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                c.as_str(),
                self.category_weight(c),
                self.category_reason(c).replace('|', "\\|")
            ));
        }
        s.push_str(
            "\n## Rules\n\n\
             | Id | Category | Scope | Weight | Severity | Judul (id) | Title (en) | Kind | Source |\n\
             |---|---|---|---|---|---|---|---|---|\n",
        );
        let mut rules: Vec<&Rule> = self.rules.iter().collect();
        rules.sort_by(|a, b| a.category.cmp(&b.category).then(a.id.cmp(&b.id)));
        for r in rules {
            let scope = match r.scope {
                RuleScope::Page => "page",
                RuleScope::Site => "site",
            };
            let cells = [
                format!("`{}`", r.id),
                r.category.as_str().to_string(),
                scope.to_string(),
                r.weight.to_string(),
                r.severity.clone(),
                r.title_id.clone(),
                r.title_en.clone(),
                format!("`{}`", r.kind),
                r.source.clone(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s
    }

    /// Check one page (pure): one result per page rule, in rule order, and the page's
    /// evidence for the site rules. One walk over the DOM serves every rule.
    pub fn check_page(&self, page: &Page, ctx: &CheckContext) -> PageReport {
        let c = &*self.compiled;
        let acc = accname::AccName::new(page);
        let mut tallies: Vec<Tally> = c.page_rules.iter().map(|_| Tally::default()).collect();
        let mut scan = PageScan::new(page, c.segment_filter.as_ref());
        let mut stack: Vec<Frame> = Vec::new();
        for edge in page.html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        let parent = stack.last().copied().unwrap_or_default();
                        let frame = Frame::of(el, parent);
                        let lists = c.dispatch.get(e.name()).unwrap_or(&c.dispatch_other);
                        let wanted = &lists[usize::from(e.attr_value("role").is_some())];
                        let target = accessibility::Target::new(el, frame.hidden);
                        for &pos in wanted {
                            if let Check::A11y(k) = c.checks[c.page_rules[pos]] {
                                k.visit(&mut tallies[pos], page, &acc, &target);
                            }
                        }
                        scan.element(el, &frame);
                        stack.push(frame);
                    }
                    Node::Text(t) => {
                        if let Some(f) = stack.last() {
                            scan.text(t, f, node.parent().map(|p| p.id()));
                        }
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if node.value().is_element() {
                        stack.pop();
                    }
                }
            }
        }
        let mut undecided = Vec::new();
        let results = c
            .page_rules
            .iter()
            .zip(tallies)
            .map(|(&rule, tally)| {
                let kind = match c.checks[rule] {
                    Check::A11y(k) => k,
                    // page_rules only holds A11y checks (built in from_files).
                    _ => A11yKind::DocumentTitle,
                };
                let (outcome, mut tally) = kind.finish(tally, page);
                if tally.undecided > 0 {
                    undecided.push((rule, tally.undecided));
                }
                // Evidence carries message keys; the texts come from the rule file (English
                // in the scorecard; both languages are on `Rule::messages`).
                for e in &mut tally.evidence {
                    if let Some(m) = c.rules[rule].messages.get(&e.message) {
                        e.message = m.en.clone();
                    }
                }
                PageRuleResult {
                    rule,
                    outcome,
                    evidence: tally.evidence,
                    elements_checked: tally.checked,
                    elements_failed: tally.failed,
                }
            })
            .collect();
        let segments = std::mem::take(&mut scan.segments);
        let evidence = self.page_evidence(&scan, segments, ctx);
        // The scan is done with: its anchors' URLs move into the links.
        let crawlable = |a: &crate::page::Anchor| matches!(a.url.scheme(), "http" | "https");
        let (noscript, mut anchors): (Vec<_>, Vec<_>) = std::mem::take(&mut scan.anchors)
            .into_iter()
            .filter(crawlable)
            .partition(|a| a.in_noscript);
        anchors.extend(noscript);
        let links = anchors.into_iter().map(|a| a.url).collect();
        PageReport {
            results,
            evidence,
            undecided,
            links,
        }
    }

    /// The page's facts for the site rules. `segments` are the walk's keyword segments; the
    /// title and each http(s) anchor's `host path` follow them, each kept only when a spam
    /// phrase's first word may be one of its tokens (the walk keeps its own segments so).
    fn page_evidence(
        &self,
        scan: &PageScan<'_>,
        mut segments: Vec<Segment>,
        ctx: &CheckContext,
    ) -> PageEvidence {
        let c = &*self.compiled;
        let page = scan.page;
        if let Some(filter) = &c.segment_filter {
            let mut keep = |text: &str, location| {
                if filter.may_match(text) {
                    segments.push(Segment {
                        text: text.to_string(),
                        location,
                        concealed: false,
                        node: None,
                    });
                }
            };
            keep(&scan.title, Location::Title);
            let mut href = String::new();
            for a in &scan.anchors {
                if matches!(a.url.scheme(), "http" | "https") {
                    href.clear();
                    href.push_str(a.url.host_str().unwrap_or(""));
                    href.push(' ');
                    href.push_str(a.url.path());
                    keep(&href, Location::Href);
                }
            }
        }
        let facts = c
            .site_rules
            .iter()
            .map(|&i| {
                let fact = match &c.checks[i] {
                    Check::SiteContent(m) => SiteFact::Content(m.collect(scan, ctx)),
                    Check::ContactInfo(m) => {
                        SiteFact::Contact(transparency::collect_contact(m, scan, ctx))
                    }
                    Check::Freshness(p) => {
                        SiteFact::Dates(transparency::collect_dates(p, scan, ctx))
                    }
                    Check::Document(d) => SiteFact::Document(d.collect(scan, ctx)),
                    Check::ExternalService(m) => SiteFact::External(m.collect(scan, ctx)),
                    Check::OfficialEmail(_) => SiteFact::Emails(transparency::collect_emails(scan)),
                    Check::DocumentLinksWork(_) => {
                        SiteFact::DocLinks(transparency::links::collect_doc_links(scan, ctx))
                    }
                    Check::SearchBox => SiteFact::Search(scan.search_field),
                    Check::SpamKeywords(m) => SiteFact::Spam(m.collect(&segments, |id| {
                        page.html
                            .tree
                            .get(id)
                            .and_then(ElementRef::wrap)
                            .map(css_path)
                    })),
                    Check::HttpsAvailable | Check::CharsetConsistent | Check::A11y(_) => {
                        SiteFact::None
                    }
                };
                (i, fact)
            })
            .collect();
        let substance = transparency::Substance {
            ok_status: page.status < 400,
            main_chars: scan.main_chars,
            main_media: scan.main_media,
        };
        let mut url = page.url.clone();
        url.set_fragment(None);
        PageEvidence {
            url: url.to_string(),
            substance,
            facts,
        }
    }

    /// A fresh accumulator for one agency.
    pub fn site_accumulator(&self) -> SiteAccumulator {
        let c = &self.compiled;
        let accs = c
            .site_rules
            .iter()
            .map(|&i| {
                let acc = match &c.checks[i] {
                    Check::SiteContent(_) => Acc::Content(ContentAcc::default()),
                    Check::ContactInfo(_) => Acc::Contact(ContactAcc::default()),
                    Check::Freshness(_) => Acc::Dates(DatesAcc::default()),
                    Check::Document(_) => Acc::Document(DocumentAcc::default()),
                    Check::ExternalService(_) => Acc::External(ExternalAcc::default()),
                    Check::OfficialEmail(_) => Acc::Email(EmailAcc::default()),
                    Check::DocumentLinksWork(_) => Acc::Links(LinksAcc::default()),
                    Check::SearchBox => Acc::Search(SearchAcc::default()),
                    Check::SpamKeywords(_) => Acc::Spam(SpamAcc::default()),
                    Check::CharsetConsistent => Acc::Charset,
                    Check::HttpsAvailable | Check::A11y(_) => Acc::Https,
                };
                (i, acc)
            })
            .collect();
        SiteAccumulator {
            compiled: Some(Arc::clone(c)),
            seen: BTreeMap::new(),
            fetches: BTreeMap::new(),
            lastmods: Vec::new(),
            charset_conflicts: Vec::new(),
            accs,
        }
    }
}

impl SiteAccumulator {
    /// Keep one page's evidence (facts are matched to rules by rule index).
    pub fn add(&mut self, evidence: PageEvidence) {
        let page = PageSeen {
            url: evidence.url,
            substance: evidence.substance,
        };
        self.seen
            .insert(transparency::norm_url(&page.url), page.substance);
        for (rule, fact) in evidence.facts {
            let Some((_, acc)) = self.accs.iter_mut().find(|(i, _)| *i == rule) else {
                continue;
            };
            match (acc, fact) {
                (Acc::Content(a), SiteFact::Content(f)) => a.add(&page, f),
                (Acc::Contact(a), SiteFact::Contact(f)) => a.add(&page, f),
                (Acc::Dates(a), SiteFact::Dates(f)) => a.add(&page, f),
                (Acc::Document(a), SiteFact::Document(f)) => a.add(&page, f),
                (Acc::External(a), SiteFact::External(f)) => a.add(&page, f),
                (Acc::Email(a), SiteFact::Emails(f)) => a.add(&page, f),
                (Acc::Links(a), SiteFact::DocLinks(f)) => a.add(&page, f),
                (Acc::Search(a), SiteFact::Search(f)) => a.add(&page, f),
                (Acc::Spam(a), SiteFact::Spam(f)) => a.add(&page.url, f),
                _ => {}
            }
        }
    }

    /// Keep what the crawl learnt about a URL it fetched that was not handed to `check_page`
    /// as an HTML page: a document (PDF, DOCX, image…) with its `Content-Type` and first bytes,
    /// a link that answered an error or no answer, or a one-hop check of an external service
    /// link. The `document`, `site_content` and `external_service` kinds read these: a dead
    /// target is "nil" evidence (research §2: fail), a document's type is verified by its
    /// `Content-Type` or magic bytes. Bounded: at most [`transparency::MAX_FETCHES`] URLs.
    pub fn add_fetch(&mut self, fetch: FetchSeen) {
        if self.fetches.len() < transparency::MAX_FETCHES {
            let key = transparency::norm_url(&fetch.url);
            self.fetches.insert(key, FetchInfo::of(&fetch));
        }
    }

    /// Keep one `<lastmod>` of the agency's sitemap (W3C date or datetime, as in the
    /// Sitemaps 0.9 protocol). Unparsable values are ignored. Feeds the `freshness` kind of
    /// rules without a page scope; with any lastmod the site is no longer "home page only".
    pub fn add_sitemap_lastmod(&mut self, url: &str, lastmod: &str) {
        if let Some(d) = dates::parse_machine_date(lastmod) {
            self.lastmods.push((url.to_string(), d));
            self.lastmods
                .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            self.lastmods.truncate(transparency::MAX_LASTMODS);
        }
    }

    /// Keep one page whose `Content-Type` charset (`header`) and `<meta>` charset (`meta`),
    /// both WHATWG encoding names, disagree (HTML Standard §13.2.3.2; the crawl finds these,
    /// see `crawl::CrawlResult::charset_conflicts`). Read by the `charset_consistent` kind.
    /// Bounded: at most [`transparency::MAX_FETCHES`] pages.
    pub fn add_charset_conflict(&mut self, url: &str, header: &str, meta: &str) {
        if self.charset_conflicts.len() < transparency::MAX_FETCHES {
            self.charset_conflicts.push(integrity::CharsetConflict {
                url: url.to_string(),
                header: header.to_string(),
                meta: meta.to_string(),
            });
        }
    }

    /// Decide every site rule, in rule order. A rule whose `applies_to` excludes the agency's
    /// type ([`CheckContext::agency_types`]) is `not_applicable` (`unknown` when the type is
    /// unknown) with the reason, see [`applicability`].
    pub fn finish(self, facts: &SiteFacts, ctx: &CheckContext) -> Vec<SiteRuleResult> {
        let Some(c) = self.compiled else {
            return Vec::new();
        };
        let seen = self.seen;
        let inputs = transparency::SiteInputs {
            seen: &seen,
            fetches: &self.fetches,
            lastmods: &self.lastmods,
            pages_checked: facts.pages_checked,
            ctx,
        };
        self.accs
            .into_iter()
            .map(|(rule, acc)| {
                let what = c.rules[rule].title_en.as_str();
                let weight = match applicability(&c.rules[rule], ctx.agency_types.as_deref()) {
                    Ok(w) => w,
                    Err((status, reason)) => {
                        return SiteRuleResult {
                            rule,
                            status,
                            reason: Some(reason),
                            evidence: Vec::new(),
                            weight: None,
                        }
                    }
                };
                let weight = (weight != c.rules[rule].weight).then_some(weight);
                let (status, reason, evidence) = match (acc, &c.checks[rule]) {
                    (Acc::Content(a), Check::SiteContent(m)) => {
                        a.finish(what, &inputs, m.min_chars)
                    }
                    (Acc::Contact(a), Check::ContactInfo(m)) => a.finish(&inputs, m),
                    (Acc::Dates(a), Check::Freshness(p)) => a.finish(p, &inputs),
                    (Acc::Document(a), Check::Document(d)) => a.finish(what, d, &inputs),
                    (Acc::External(a), Check::ExternalService(m)) => a.finish(what, m, &inputs),
                    (Acc::Email(a), Check::OfficialEmail(p)) => a.finish(p),
                    (Acc::Links(a), Check::DocumentLinksWork(p)) => a.finish(what, p, &inputs),
                    (Acc::Search(a), Check::SearchBox) => a.finish(what),
                    (Acc::Spam(a), _) => a.finish(),
                    (Acc::Https, Check::HttpsAvailable) => {
                        security::https_available(facts, &ctx.agency_host)
                    }
                    (Acc::Charset, Check::CharsetConsistent) => {
                        integrity::charset_consistent(&self.charset_conflicts, facts.pages_checked)
                    }
                    _ => (
                        RuleStatus::Error,
                        Some("internal: rule and accumulator disagree".to_string()),
                        Vec::new(),
                    ),
                };
                SiteRuleResult {
                    rule,
                    status,
                    reason,
                    evidence,
                    weight,
                }
            })
            .collect()
    }
}
