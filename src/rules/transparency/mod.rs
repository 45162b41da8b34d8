//! Transparency site kinds (UU 14/2008 KIP; research `transparency-rules.md` §2–§5): pages
//! yield small facts (`SiteFact`) during the walk; the agency's facts are folded once into a
//! [`RuleStatus`] with evidence and a reason.
//!
//! - `site_content`: a menu entry, link, page title, `<h1>` or URL slug matching the rule's
//!   synonyms. Pass when a matching page was crawled and has substance (research §2 "good"
//!   evidence), partial for a menu item or heading only or an empty page ("weak"), fail when
//!   nothing matches.
//! - `contact_info`: a contact entry (same matching) and a phone number or e-mail address;
//!   pass with both, partial with one.
//! - `freshness`: the newest dated item across the pages, from text, `<time datetime>`,
//!   `<meta property="article:published_time">`, JSON-LD `datePublished` and sitemap
//!   `<lastmod>` (fed by [`super::SiteAccumulator::add_sitemap_lastmod`]); optionally only on
//!   pages matching a scope (an Agenda page).
//! - `document` ([`document`]): a linked PDF / DOC(X) / XLS(X) / image / Drive or flipbook
//!   link for the item, its type verified by the crawl's `Content-Type` or magic bytes
//!   ([`FetchSeen`]), its year from file name, link text or page title within the period.
//! - `external_service` ([`external`]): a link to a national or provincial service host
//!   (SP4N-LAPOR!, e-LHKPN, SiRUP, SPSE, JDIH, Satu Data, the province PPID) or to the
//!   agency's social media accounts.
//! - `official_email` ([`email`]): a contact e-mail on a go.id domain; a free-mail address
//!   (gmail, yahoo) as the only contact is a finding.
//! - `document_links_work` and `search_box` ([`links`]): the share of the site's document
//!   links that open, and a search field.
//!
//! Evidence strength (research §2): strong (a reachable document) and good (a page with
//! substance) pass; weak (a menu item, a heading, a page without substance) is partial; nil
//! (a page that says "belum tersedia", a dead link) fails, with the evidence kept.

pub mod document;
pub mod email;
pub mod external;
pub mod links;

pub use document::{DocType, FetchSeen};
pub(crate) use document::{DocumentAcc, DocumentCheck, DocumentParams, FetchInfo};
pub(crate) use email::{collect_emails, EmailAcc, EmailParams};
pub(crate) use external::{ExternalAcc, ExternalMatcher, ExternalParams};
pub(crate) use links::{LinksAcc, LinksParams, SearchAcc};

use super::dates::{self, FoundDate};
use super::text::{clip, drop_fillers, slug_tokens, tokens, Phrase};
use super::{CheckContext, PageScan};
use crate::scorecard::{Evidence, RuleStatus};
use chrono::NaiveDate;
use regex::Regex;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Phrases that mark a page as empty or pending (research §2, "Nil" evidence).
pub const DEFAULT_EMPTY_MARKERS: &[&str] = &[
    "belum tersedia",
    "belum ada data",
    "tidak ada data",
    "data kosong",
    "dalam proses",
    "coming soon",
    "under construction",
    "halaman tidak ditemukan",
    "file tidak ditemukan",
    "dokumen tidak ditemukan",
    "page not found",
];

/// Default for `min_chars`: pages with at least this many non-space characters of
/// main-content text have substance (research §2: "more than a few sentences").
pub const SUBSTANCE_CHARS: usize = 200;

/// What a page shows, measured once per page so that each rule can apply its own `min_chars`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Substance {
    /// The page answered with a status below 400.
    pub ok_status: bool,
    /// Non-space characters of main-content text.
    pub main_chars: usize,
    /// The main content has an image or a document link (an organisation chart, a scan).
    pub main_media: bool,
}

impl Substance {
    /// Good evidence (research §2): an answered page with `min_chars` of main text or media.
    pub fn meets(&self, min_chars: usize) -> bool {
        self.ok_status && (self.main_chars >= min_chars || self.main_media)
    }
}
/// Matching links kept per rule per page, and per rule per agency.
const MAX_LINKS: usize = 10;
/// Phones / e-mails kept per page and per agency.
const MAX_CONTACTS: usize = 5;
/// Dates kept per page (newest) and future dates kept per page.
const MAX_DATES: usize = 3;
/// Non-page fetches kept per agency ([`super::SiteAccumulator::add_fetch`]).
pub const MAX_FETCHES: usize = 5_000;
/// Sitemap `<lastmod>` dates kept per agency (the newest).
pub const MAX_LASTMODS: usize = 3;

/// A text with its [`text_parts`].
type Parts = (String, Vec<Vec<String>>);

/// Values several transparency rules derive from one page's scan, computed once per page on
/// first use (62 rules tokenising the same titles and scanning the same 256 KB of text for
/// dates was 3× the cost of the rest of `check_page`).
#[derive(Default)]
pub(crate) struct Derived {
    /// `<title>` then each `<h1>`.
    heads: OnceCell<Vec<Parts>>,
    /// Each `<h2>`/`<h3>`.
    h23: OnceCell<Vec<Parts>>,
    /// [`url_parts`] of the page URL.
    url: OnceCell<Vec<Vec<String>>>,
    /// Main-content text, lower case.
    main_lower: OnceCell<String>,
    /// Dates in the body text and machine-readable dates.
    dates: OnceCell<Vec<Dated>>,
    phones: OnceCell<Vec<String>>,
    emails: OnceCell<Vec<String>>,
    addresses: OnceCell<Vec<String>>,
    /// Every word of the anchors' text and URL parts → positions in `anchor_words`.
    anchor_index: OnceCell<std::collections::HashMap<String, Vec<usize>>>,
    /// Empty-page marker → found in the main text. Most content rules share the default
    /// markers: each is searched for once per page, not once per rule (500 searches of the
    /// main text per page were a quarter of `check_page`).
    marker_found: std::cell::RefCell<std::collections::HashMap<String, bool>>,
}

impl Derived {
    /// Positions (ascending) in `words` of the anchors that contain the first word of a
    /// synonym or slug, or a slug written as one word: the only anchors a matcher needs to
    /// test. Built once per page, so each of the ~50 content rules looks up its labels instead
    /// of testing every anchor.
    fn candidates(
        &self,
        words: &[AnchorWords],
        synonyms: &[Phrase],
        slugs: &[Phrase],
    ) -> Vec<usize> {
        let index = self.anchor_index.get_or_init(|| {
            let mut index: std::collections::HashMap<String, Vec<usize>> =
                std::collections::HashMap::new();
            for (pos, aw) in words.iter().enumerate() {
                for w in aw.text.iter().chain(aw.url.iter()).flatten() {
                    match index.get_mut(w.as_str()) {
                        Some(list) if list.last() == Some(&pos) => {}
                        Some(list) => list.push(pos),
                        None => {
                            index.insert(w.clone(), vec![pos]);
                        }
                    }
                }
            }
            index
        });
        let mut out: Vec<usize> = Vec::new();
        let keys = synonyms
            .iter()
            .chain(slugs.iter())
            .map(Phrase::first_word)
            .chain(slugs.iter().map(Phrase::joined));
        for key in keys {
            if let Some(list) = index.get(key) {
                out.extend_from_slice(list);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn heads<'a>(&'a self, scan: &PageScan<'_>) -> &'a [Parts] {
        self.heads.get_or_init(|| {
            std::iter::once(&scan.title)
                .chain(scan.h1.iter())
                .map(|t| (t.clone(), text_parts(t)))
                .collect()
        })
    }

    fn h23<'a>(&'a self, scan: &PageScan<'_>) -> &'a [Parts] {
        self.h23.get_or_init(|| {
            scan.h23
                .iter()
                .map(|t| (t.clone(), text_parts(t)))
                .collect()
        })
    }

    fn url<'a>(&'a self, scan: &PageScan<'_>, agency_host: &str) -> &'a [Vec<String>] {
        self.url
            .get_or_init(|| url_parts(&scan.page.url, agency_host))
    }

    fn main_lower<'a>(&'a self, scan: &PageScan<'_>) -> &'a str {
        self.main_lower
            .get_or_init(|| scan.main_text.to_lowercase())
    }

    /// Does the lower-cased main text contain `marker` (already lower case)?
    fn has_marker(&self, scan: &PageScan<'_>, marker: &str) -> bool {
        if let Some(&found) = self.marker_found.borrow().get(marker) {
            return found;
        }
        let found = self.main_lower(scan).contains(marker);
        self.marker_found
            .borrow_mut()
            .insert(marker.to_string(), found);
        found
    }

    fn dates<'a>(&'a self, scan: &PageScan<'_>) -> &'a [Dated] {
        self.dates.get_or_init(|| {
            let mut all: Vec<Dated> = dates::find_dates(&scan.body_text)
                .into_iter()
                .map(|FoundDate { date, text }| Dated { date, text })
                .collect();
            all.extend(scan.machine_dates.iter().cloned());
            all
        })
    }

    pub(crate) fn emails<'a>(&'a self, scan: &PageScan<'_>) -> &'a [String] {
        self.emails.get_or_init(|| find_emails(&scan.body_text))
    }

    fn phones<'a>(&'a self, scan: &PageScan<'_>) -> &'a [String] {
        self.phones.get_or_init(|| find_phones(&scan.body_text))
    }

    fn addresses<'a>(&'a self, scan: &PageScan<'_>) -> &'a [String] {
        self.addresses
            .get_or_init(|| find_addresses(&scan.body_text))
    }
}

/// What every site kind may read when it decides: the crawled pages, the non-page fetches,
/// sitemap dates, the page count and the run context.
pub(crate) struct SiteInputs<'a> {
    /// Every crawled page by [`norm_url`], with its substance.
    pub seen: &'a BTreeMap<String, Substance>,
    /// Non-page fetches by [`norm_url`].
    pub fetches: &'a BTreeMap<String, FetchInfo>,
    /// Newest sitemap `<lastmod>` dates.
    pub lastmods: &'a [(String, NaiveDate)],
    /// Pages fetched for the agency.
    pub pages_checked: u64,
    /// The run context.
    pub ctx: &'a CheckContext,
}

impl SiteInputs<'_> {
    /// Why the link target `key` is dead (HTTP error or no answer), if the crawl saw that.
    pub fn dead(&self, key: &str) -> Option<String> {
        self.fetches.get(key).and_then(FetchInfo::dead)
    }
}

fn default_markers() -> Vec<String> {
    DEFAULT_EMPTY_MARKERS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Params of `site_content`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteContentParams {
    /// Labels matched as whole words in link text, titles and headings.
    pub synonyms: Vec<String>,
    /// Labels matched against URL path segments (and the first label of another host).
    #[serde(default)]
    pub slugs: Vec<String>,
    /// Phrases that mark a matched page as empty.
    #[serde(default = "default_markers")]
    pub empty_markers: Vec<String>,
    /// Words a link text, title part or heading may have besides the synonym (menu entries
    /// are short; headlines that merely mention the synonym are not entries). Slugs get half.
    #[serde(default = "default_extra")]
    pub max_extra_words: usize,
    /// Non-space characters of main text a matching page needs to count as "good" evidence
    /// rather than a bare entry (a Visi dan Misi page is short; a PPID page is not).
    #[serde(default = "default_min_chars")]
    pub min_chars: usize,
}

fn default_min_chars() -> usize {
    SUBSTANCE_CHARS
}

fn default_extra() -> usize {
    4
}

/// Params of `contact_info`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactParams {
    /// Labels of a contact entry ("Kontak", "Hubungi Kami", "Alamat").
    pub synonyms: Vec<String>,
    /// Slugs of a contact page (`kontak`, `hubungi-kami`).
    #[serde(default)]
    pub slugs: Vec<String>,
    /// As for `site_content`.
    #[serde(default = "default_extra")]
    pub max_extra_words: usize,
    /// Which ways to reach the agency count (any one of them): `phone`, `email`, `address`.
    #[serde(default = "default_needs")]
    pub needs: Vec<String>,
}

/// Every way of reaching the agency `contact_info` knows.
pub const CONTACT_NEEDS: &[&str] = &["phone", "email", "address"];

fn default_needs() -> Vec<String> {
    CONTACT_NEEDS.iter().map(|s| s.to_string()).collect()
}

/// Params of `freshness`: age limits in days (UU 14/2008 Ps.9(3): at least every six months).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FreshnessParams {
    /// Newest item at most this many days old: pass.
    pub pass_days: u32,
    /// Newest item at most this many days old: partial (≥ `pass_days`).
    pub partial_days: u32,
    /// Only dates on pages whose title, `<h1>` or URL slug match these labels count (an
    /// Agenda page); empty: every page.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Slugs of the scope pages (with `synonyms`).
    #[serde(default)]
    pub slugs: Vec<String>,
    /// Dates up to this many days ahead count as current (an agenda lists coming events;
    /// research §4: "an entry within ±90 days"); later dates are flagged as future dates.
    #[serde(default)]
    pub future_days: u32,
    /// The compiled scope (from `synonyms` and `slugs`).
    #[serde(skip)]
    pub scope: Option<Matcher>,
}

/// Compiled matcher for `site_content` and `contact_info` (and the entry part of
/// `document`, the scope of `freshness`).
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    synonyms: Vec<Phrase>,
    slugs: Vec<Phrase>,
    markers: Vec<String>,
    max_extra: usize,
    /// Main-text characters a matching page needs for "good" evidence.
    pub min_chars: usize,
    /// `contact_info`: which ways to reach the agency count.
    pub needs: Vec<String>,
}

fn compile(labels: &[String], what: &str) -> Result<Vec<Phrase>, String> {
    labels
        .iter()
        .map(|l| Phrase::new(l).ok_or_else(|| format!("{what} '{l}' has no letters or digits")))
        .collect()
}

impl SiteContentParams {
    /// Validate and compile.
    pub fn matcher(&self) -> Result<Matcher, String> {
        if self.synonyms.is_empty() {
            return Err("synonyms must not be empty".to_string());
        }
        Ok(Matcher {
            synonyms: compile(&self.synonyms, "synonym")?,
            slugs: compile(&self.slugs, "slug")?,
            markers: self
                .empty_markers
                .iter()
                .map(|m| m.to_lowercase())
                .collect(),
            max_extra: self.max_extra_words,
            min_chars: self.min_chars,
            needs: Vec::new(),
        })
    }
}

impl ContactParams {
    /// Validate and compile.
    pub fn matcher(&self) -> Result<Matcher, String> {
        if self.synonyms.is_empty() {
            return Err("synonyms must not be empty".to_string());
        }
        Ok(Matcher {
            synonyms: compile(&self.synonyms, "synonym")?,
            slugs: compile(&self.slugs, "slug")?,
            markers: Vec::new(),
            max_extra: self.max_extra_words,
            min_chars: SUBSTANCE_CHARS,
            needs: {
                if self.needs.is_empty() {
                    return Err("needs must name at least one of phone, email, address".into());
                }
                if let Some(bad) = self
                    .needs
                    .iter()
                    .find(|n| !CONTACT_NEEDS.contains(&n.as_str()))
                {
                    return Err(format!(
                        "needs: unknown '{bad}' (expected phone, email, address)"
                    ));
                }
                self.needs.clone()
            },
        })
    }
}

impl FreshnessParams {
    /// `0 < pass_days <= partial_days`.
    pub fn validate(&self) -> Result<(), String> {
        if self.pass_days == 0 || self.partial_days < self.pass_days {
            return Err(format!(
                "need 0 < pass_days <= partial_days (got {} and {})",
                self.pass_days, self.partial_days
            ));
        }
        Ok(())
    }

    /// Validate and compile the scope (`slugs` need `synonyms`).
    pub fn compiled(&self) -> Result<FreshnessParams, String> {
        self.validate()?;
        let scope = if self.synonyms.is_empty() {
            if !self.slugs.is_empty() {
                return Err("slugs need synonyms (the scope's labels)".to_string());
            }
            None
        } else {
            Some(
                SiteContentParams {
                    synonyms: self.synonyms.clone(),
                    slugs: self.slugs.clone(),
                    empty_markers: Vec::new(),
                    max_extra_words: default_extra(),
                    min_chars: SUBSTANCE_CHARS,
                }
                .matcher()?,
            )
        };
        Ok(FreshnessParams {
            scope,
            ..self.clone()
        })
    }
}

/// A link that matched, kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvLink {
    /// Target URL without fragment.
    pub url: String,
    /// Anchor text.
    pub text: String,
    /// Which label matched.
    pub label: String,
}

/// Facts of one page for `site_content` (and the entry half of `contact_info`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ContentFact {
    /// Matching links (deduplicated by URL, capped).
    pub links: Vec<EvLink>,
    /// The page itself matches (title, `<h1>` or URL slug): what matched.
    pub page_match: Option<String>,
    /// A matching `<h2>`/`<h3>` on the page (a weak entry).
    pub heading: Option<String>,
    /// An empty marker found in the page's main content.
    pub empty_marker: Option<String>,
}

/// Facts of one page for `contact_info`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContactFact {
    pub entry: ContentFact,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub addresses: Vec<String>,
}

/// A date seen on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dated {
    pub date: NaiveDate,
    pub text: String,
}

/// Facts of one page for `freshness`.
#[derive(Debug, Clone, Default)]
pub(crate) struct DatesFact {
    /// Newest dates not after now + 1 day.
    pub newest: Vec<Dated>,
    /// Dates after now + 1 day.
    pub future: Vec<Dated>,
}

/// Per-page fact of one site rule.
#[derive(Debug, Clone)]
pub(crate) enum SiteFact {
    Content(ContentFact),
    Contact(ContactFact),
    Dates(DatesFact),
    Document(document::DocumentFact),
    External(external::ExternalFact),
    Emails(Vec<String>),
    DocLinks(Vec<(String, String)>),
    Search(bool),
    Spam(super::integrity::SpamFact),
    None,
}

fn strip_fragment(u: &url::Url) -> String {
    let s = u.as_str();
    match u.fragment() {
        // The serialisation ends with `#` + the fragment.
        Some(f) => s[..s.len() - f.len() - 1].to_string(),
        None => s.to_string(),
    }
}

/// Tokenised, filler-free parts of a text: titles are split at ` - `, ` | `, ` – `, ` — `,
/// ` :: `, ` » ` first ("Visi dan Misi - Dinas Kominfo Provinsi Sulawesi Barat").
pub(crate) fn text_parts(text: &str) -> Vec<Vec<String>> {
    text.split(" - ")
        .flat_map(|p| p.split(" | "))
        .flat_map(|p| p.split(" – "))
        .flat_map(|p| p.split(" — "))
        .flat_map(|p| p.split(" :: "))
        .flat_map(|p| p.split(" » "))
        .map(|part| drop_fillers(tokens(part)))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Tokenised slug words of a URL's path segments, plus the first label of a host other than
/// the agency's (`ppid.<domain>`).
pub(crate) fn url_parts(url: &url::Url, agency_host: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = url
        .path_segments()
        .map(|s| {
            s.filter(|x| !x.is_empty())
                .map(|seg| drop_fillers(slug_tokens(seg)))
                .collect()
        })
        .unwrap_or_default();
    if let Some(host) = url.host_str() {
        if !host.eq_ignore_ascii_case(agency_host) {
            out.push(slug_tokens(host.split('.').next().unwrap_or("")));
        }
    }
    out
}

/// An http(s) anchor of the page with its text and URL tokenised once for every rule.
#[derive(Debug)]
pub(crate) struct AnchorWords {
    /// Index into `PageScan::anchors`.
    pub index: usize,
    pub text: Vec<Vec<String>>,
    pub url: Vec<Vec<String>>,
}

impl Matcher {
    fn text_match(&self, parts: &[Vec<String>]) -> Option<&str> {
        parts.iter().find_map(|words| {
            self.synonyms
                .iter()
                .find(|p| p.in_short_words(words, self.max_extra))
                .map(|p| p.label.as_str())
        })
    }

    fn url_match(&self, parts: &[Vec<String>]) -> Option<&str> {
        self.slugs
            .iter()
            .find(|p| parts.iter().any(|w| p.in_slug_words(w, self.max_extra / 2)))
            .map(|p| p.label.as_str())
    }

    /// Does the page itself match (title, `<h1>` or URL slug)?
    pub fn page_matches(&self, scan: &PageScan<'_>, ctx: &CheckContext) -> bool {
        let d = &scan.derived;
        d.heads(scan)
            .iter()
            .any(|(_, parts)| self.text_match(parts).is_some())
            || self.url_match(d.url(scan, &ctx.agency_host)).is_some()
    }

    /// The page's facts.
    pub fn collect(&self, scan: &PageScan<'_>, ctx: &CheckContext) -> ContentFact {
        let mut fact = ContentFact::default();
        let here = norm_url(scan.page.url.as_str());
        let words = scan.anchor_words(&ctx.agency_host);
        for pos in scan.derived.candidates(words, &self.synonyms, &self.slugs) {
            let Some(aw) = words.get(pos) else {
                continue;
            };
            let Some(a) = scan.anchors.get(aw.index) else {
                continue;
            };
            let label = self
                .text_match(&aw.text)
                .or_else(|| self.url_match(&aw.url));
            if let Some(label) = label {
                // `href="#"` (a dropdown toggle) and other links to the page itself are not
                // entries: the label would borrow the page's own substance.
                if norm_url(a.url.as_str()) == here {
                    continue;
                }
                let url = strip_fragment(&a.url);
                if fact.links.len() < MAX_LINKS && !fact.links.iter().any(|l| l.url == url) {
                    fact.links.push(EvLink {
                        url,
                        text: clip(&a.text, 120),
                        label: label.to_string(),
                    });
                }
            }
        }
        let d = &scan.derived;
        let page_label = d
            .heads(scan)
            .iter()
            .find_map(|(t, parts)| {
                self.text_match(parts)
                    .map(|l| format!("'{}' ({l})", clip(t, 120)))
            })
            .or_else(|| {
                self.url_match(d.url(scan, &ctx.agency_host))
                    .map(|l| format!("URL slug ({l})"))
            });
        fact.page_match = page_label;
        fact.heading = d
            .h23(scan)
            .iter()
            .find_map(|(t, parts)| self.text_match(parts).map(|_| clip(t, 120)));
        fact.empty_marker = self.markers.iter().find(|m| d.has_marker(scan, m)).cloned();
        fact
    }
}

struct ContactPatterns {
    phone: Regex,
    email: Regex,
    address: Regex,
}

fn contact_patterns() -> &'static ContactPatterns {
    static P: OnceLock<ContactPatterns> = OnceLock::new();
    P.get_or_init(|| ContactPatterns {
        // (0426) 21234 · 0426-21234 · 0426 21234 · +62 426 21234 · +62 812-3456-7890 ·
        // 0812 3456 7890 · 081234567890. Constant patterns: covered by the tests below.
        phone: Regex::new(
            r"(?-u)(?:\(0\d{2,3}\)\s?\d{3,4}[\s.\-]?\d{0,5}|\+62[\s.\-]?\(?\d{2,4}\)?[\s.\-]?\d{3,4}[\s.\-]?\d{0,5}|\b0\d{2,3}[\s.\-]\d{3,4}[\s.\-]?\d{0,5}|\b08\d{8,11}\b|\b08\d{2}[\s.\-]\d{3,4}[\s.\-]\d{3,5}\b)",
        )
        .expect("constant phone regex"),
        email: Regex::new(r"(?-u)\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b")
            .expect("constant e-mail regex"),
        // "Jl. Abdul Malik Pattana Endeng No. 1", "Jalan Ahmad Yani", "Jln Soekarno-Hatta":
        // a street marker and a capitalised name.
        address: Regex::new(r"(?-u)\b(?:Jl|Jln|Jalan)\.?\s+[A-Z][A-Za-z0-9.'\- ]{2,60}")
            .expect("constant address regex"),
    })
}

/// Indonesian phone numbers in `text` (8–13 digits once the country code is dropped).
pub fn find_phones(text: &str) -> Vec<String> {
    let phone = &contact_patterns().phone;
    phone_windows(text)
        .into_iter()
        .flat_map(|(start, end)| phone.find_iter(&text[start..end]))
        .map(|m| m.as_str().trim().to_string())
        .filter(|s| {
            let digits = s.chars().filter(char::is_ascii_digit).count();
            let digits = if s.starts_with("+62") {
                digits - 1
            } else {
                digits
            };
            (8..=13).contains(&digits)
        })
        .collect()
}

/// The byte ranges of `text` where a phone number may start, in order and disjoint. Every
/// form of the phone pattern starts at a digit run that begins with `0` (`0426-…`, `(0426)`,
/// `08…`) or follows `+` (`+62`), and is at most 22 bytes long; each such run gets a window
/// from the byte before it to 24 bytes after it ([`super::text::digit_windows`] widens and
/// merges them), so the pattern reads a few hundred bytes of a page instead of all its text.
fn phone_windows(text: &str) -> Vec<(usize, usize)> {
    super::text::digit_windows(text, |b, start, _| {
        let after_plus = start > 0 && b[start - 1] == b'+';
        (b[start] == b'0' || after_plus).then(|| (start.saturating_sub(1), start + 24))
    })
}

/// Street addresses in `text` ("Jl. …", "Jalan …", "Jln …"), as matched (≤ 60 characters
/// after the marker).
pub fn find_addresses(text: &str) -> Vec<String> {
    contact_patterns()
        .address
        .find_iter(text)
        .map(|m| m.as_str().trim().to_string())
        .collect()
}

/// E-mail addresses in `text`.
pub fn find_emails(text: &str) -> Vec<String> {
    contact_patterns()
        .email
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

fn push_capped(v: &mut Vec<String>, s: String, cap: usize) {
    if v.len() < cap && !v.contains(&s) {
        v.push(s);
    }
}

/// Facts for `contact_info` on one page.
pub(crate) fn collect_contact(m: &Matcher, scan: &PageScan<'_>, ctx: &CheckContext) -> ContactFact {
    let mut fact = ContactFact {
        entry: m.collect(scan, ctx),
        ..Default::default()
    };
    for a in &scan.anchors {
        match a.url.scheme() {
            "mailto" => {
                let addr = a.url.path().split('?').next().unwrap_or("").to_string();
                if addr.contains('@') {
                    push_capped(&mut fact.emails, addr, MAX_CONTACTS);
                }
            }
            "tel" => push_capped(&mut fact.phones, a.url.path().to_string(), MAX_CONTACTS),
            _ => {}
        }
    }
    let d = &scan.derived;
    for p in d.phones(scan) {
        push_capped(&mut fact.phones, p.clone(), MAX_CONTACTS);
    }
    for e in d.emails(scan) {
        push_capped(&mut fact.emails, e.clone(), MAX_CONTACTS);
    }
    for a in d.addresses(scan) {
        push_capped(&mut fact.addresses, a.clone(), MAX_CONTACTS);
    }
    fact
}

/// Facts for `freshness` on one page: dates in the text, `<time datetime>`,
/// `article:published_time` and JSON-LD `datePublished`; dates after now + max(1,
/// `future_days`) days are kept apart as future dates. A scoped rule only reads pages that
/// match its scope.
pub(crate) fn collect_dates(
    p: &FreshnessParams,
    scan: &PageScan<'_>,
    ctx: &CheckContext,
) -> DatesFact {
    if p.scope.as_ref().is_some_and(|m| !m.page_matches(scan, ctx)) {
        return DatesFact::default();
    }
    let ahead = i64::from(p.future_days.max(1));
    let limit = ctx.now.date_naive() + chrono::Duration::days(ahead);
    let all: Vec<Dated> = scan.derived.dates(scan).to_vec();
    let (mut future, mut past): (Vec<Dated>, Vec<Dated>) =
        all.into_iter().partition(|d| d.date > limit);
    past.sort_by(|a, b| b.date.cmp(&a.date).then(a.text.cmp(&b.text)));
    past.dedup_by(|a, b| a.date == b.date);
    past.truncate(MAX_DATES);
    future.sort_by(|a, b| b.date.cmp(&a.date).then(a.text.cmp(&b.text)));
    future.dedup_by(|a, b| a.date == b.date);
    future.truncate(MAX_DATES);
    DatesFact {
        newest: past,
        future,
    }
}

/// One crawled page as the site rules remember it.
#[derive(Debug, Clone)]
pub(crate) struct PageSeen {
    pub url: String,
    pub substance: Substance,
}

/// The key under which a page or link target is compared: the URL without fragment and
/// without trailing slashes (`/ppid/` and `/ppid` are one page).
pub(crate) fn norm_url(url: &str) -> String {
    let no_frag = url.split('#').next().unwrap_or(url);
    no_frag.trim_end_matches('/').to_string()
}

/// A page that matched by title, `<h1>` or URL slug.
#[derive(Debug)]
struct MatchedPage {
    url: String,
    what: String,
    substance: Substance,
    /// The page carries an empty marker ("belum tersedia").
    empty: bool,
}

/// Agency-wide fold of [`ContentFact`]s for one rule. Keys are [`norm_url`]s.
#[derive(Debug, Default)]
pub(crate) struct ContentAcc {
    /// Matching links by target (first seen kept), with the page they were on.
    links: BTreeMap<String, (EvLink, String)>,
    /// Pages that match by title/h1/slug.
    pages: BTreeMap<String, MatchedPage>,
    /// Pages with a matching h2/h3: url → heading.
    headings: BTreeMap<String, (String, String)>,
    /// Pages whose main content carries an empty marker ("belum tersedia").
    markers: BTreeMap<String, String>,
}

/// Keep `key → (value, from)` in `map`: for a key seen on several pages the smallest page URL
/// wins, and at most `cap` keys (the smallest) are kept, so that the fold gives the same result
/// whatever order the crawl delivers pages in (scorecards must not change between runs).
pub(crate) fn keep_first<V>(
    map: &mut BTreeMap<String, (V, String)>,
    key: String,
    value: V,
    from: &str,
    cap: usize,
) {
    if map.get(&key).is_some_and(|(_, f)| f.as_str() <= from) {
        return;
    }
    map.insert(key, (value, from.to_string()));
    while map.len() > cap {
        map.pop_last();
    }
}

impl ContentAcc {
    pub fn add(&mut self, page: &PageSeen, fact: ContentFact) {
        let key = norm_url(&page.url);
        for l in fact.links {
            keep_first(
                &mut self.links,
                norm_url(&l.url),
                l,
                &page.url,
                MAX_LINKS * 5,
            );
        }
        if let Some(marker) = &fact.empty_marker {
            self.markers.insert(key.clone(), marker.clone());
            while self.markers.len() > MAX_LINKS * 5 {
                self.markers.pop_last();
            }
        }
        if let Some(m) = fact.page_match {
            self.pages.insert(
                key,
                MatchedPage {
                    url: page.url.clone(),
                    what: m,
                    substance: page.substance,
                    empty: fact.empty_marker.is_some(),
                },
            );
        } else if let Some(h) = fact.heading {
            self.headings.insert(key, (page.url.clone(), h));
            while self.headings.len() > MAX_LINKS {
                self.headings.pop_last();
            }
        }
    }

    /// Decide: pass / partial / fail with evidence and a reason (research §2 evidence
    /// strength). Good: a matching page that was crawled with `min_chars` of main text or
    /// media, a link to such a page, a section heading on such a page, or a link to a
    /// document (by extension or viewer host) that the crawl did not find dead. Weak
    /// (partial): a menu item whose target was not crawled or has no substance, a heading
    /// alone. Nil (fail, evidence kept): only targets that say "belum tersedia" or are dead.
    pub fn finish(
        self,
        what: &str,
        inputs: &SiteInputs<'_>,
        min_chars: usize,
    ) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let seen = inputs.seen;
        let good_page = |p: &MatchedPage| !p.empty && p.substance.meets(min_chars);
        let mut good: Vec<Evidence> = Vec::new();
        let mut good_keys: Vec<&str> = Vec::new();
        for (key, p) in &self.pages {
            if good_page(p) {
                good_keys.push(key);
                good.push(ev(
                    &p.url,
                    None,
                    format!("{what}: page with content, {}", p.what),
                ));
            }
        }
        for (key, (l, from)) in &self.links {
            let target_good = seen.get(key).is_some_and(|s| s.meets(min_chars))
                && !self.markers.contains_key(key)
                && self.pages.get(key).is_none_or(good_page);
            let doc = !seen.contains_key(key)
                && inputs.dead(key).is_none()
                && document::doc_type_of_link(&l.url, inputs.fetches.get(key)).is_some();
            // Research §2 "unit of audit": a link to the agency's page on another government
            // site (the province's PPID portal, JDIH, a Bappeda host) counts; pantau does not
            // crawl other hosts, so its presence decides unless a one-hop check found it dead.
            let other_gov = other_gov_host(&l.url, &inputs.ctx.agency_host)
                && !seen.contains_key(key)
                && inputs.dead(key).is_none();
            if (target_good || doc || other_gov) && !good_keys.contains(&key.as_str()) {
                good_keys.push(key);
                let message = if other_gov && !doc {
                    format!(
                        "{what}: linked from {from} on another government site (present; not followed)"
                    )
                } else if doc {
                    let verified = match inputs.fetches.get(key) {
                        Some(_) => "type verified by the crawl",
                        None => "type from the link; not fetched",
                    };
                    format!("{what}: document linked from {from} ({verified})")
                } else {
                    format!("{what}: page with content, linked from {from}")
                };
                good.push(ev(&l.url, Some(clip(&l.text, 200)), message));
            }
        }
        // A matching section heading (h2/h3) on a page with content also shows the item: the
        // Visi and Misi of many OPD sites are two sections of their Profil page.
        // Not on the home page: its substance is the whole site's, not the section's ("Berita
        // Statistik Sektoral" on a portal's front page is a news category).
        for (key, (url, h)) in &self.headings {
            let page_good = seen.get(key).is_some_and(|s| s.meets(min_chars))
                && !self.markers.contains_key(key)
                && !is_home(url);
            if page_good && !good_keys.contains(&key.as_str()) {
                good_keys.push(key);
                good.push(ev(
                    url,
                    Some(h.clone()),
                    format!("{what}: section heading on a page with content"),
                ));
            }
        }
        if !good.is_empty() {
            return (
                RuleStatus::Pass,
                Some(format!("{what}: page or document found with content")),
                good,
            );
        }
        let mut weak: Vec<Evidence> = Vec::new();
        let mut nil: Vec<Evidence> = Vec::new();
        for (key, (l, from)) in &self.links {
            let snippet = Some(clip(&format!("{} → {}", l.text, l.url), 200));
            let link = format!("Link to {what} ('{}' matched)", l.label);
            match (self.markers.get(key), seen.get(key), inputs.dead(key)) {
                (Some(marker), _, _) => nil.push(ev(
                    from,
                    snippet,
                    format!("{link}; target page says '{marker}'"),
                )),
                (None, _, Some(dead)) => nil.push(ev(
                    from,
                    snippet,
                    format!("{link}; target is dead ({dead})"),
                )),
                (None, Some(_), None) => weak.push(ev(
                    from,
                    snippet,
                    format!("{link}; target page has no substantial content"),
                )),
                (None, None, None) => {
                    weak.push(ev(from, snippet, format!("{link}; target not crawled")))
                }
            }
        }
        for (key, p) in &self.pages {
            match self.markers.get(key) {
                Some(mk) => nil.push(ev(
                    &p.url,
                    None,
                    format!("{what}: page {}; page says '{mk}'", p.what),
                )),
                None => weak.push(ev(
                    &p.url,
                    None,
                    format!("{what}: page {}; page has no substantial content", p.what),
                )),
            }
        }
        for (url, h) in self.headings.values() {
            weak.push(ev(url, Some(h.clone()), format!("Heading matches {what}")));
        }
        if !weak.is_empty() {
            weak.append(&mut nil);
            return (
                RuleStatus::Partial,
                Some(format!(
                    "{what}: only a menu item, link or heading; no crawled page with content"
                )),
                weak,
            );
        }
        if !nil.is_empty() {
            return (
                RuleStatus::Fail,
                Some(format!(
                    "{what}: entries found, but every target is empty ('belum tersedia') or dead"
                )),
                nil,
            );
        }
        (
            RuleStatus::Fail,
            Some(format!(
                "{what}: no matching link, title, heading or URL on {} crawled page(s)",
                seen.len()
            )),
            Vec::new(),
        )
    }
}

/// First labels of government service hosts that publish on behalf of agencies (research §2
/// "unit of audit", §6 province-wide service hosts): the province's PPID, JDIH, data and
/// procurement portals, SAKIP and budget-transparency portals.
pub const SERVICE_HOST_LABELS: &[&str] = &[
    "ppid",
    "eppid",
    "e-ppid",
    "jdih",
    "jdihn",
    "satudata",
    "data",
    "opendata",
    "lpse",
    "spse",
    "sirup",
    "lapor",
    "sakip",
    "esakip",
    "e-sakip",
    "transparansi",
    "elhkpn",
];

/// Is `url` on a government service host (a `.go.id` host other than the agency's whose first
/// label is in [`SERVICE_HOST_LABELS`], such as `ppid.<province>`)? A link to the province's
/// portal itself ("Profil Provinsi") is not the agency's own item.
fn other_gov_host(url: &str, agency_host: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .is_some_and(|h| {
            let first = h.split('.').next().unwrap_or("");
            h.ends_with(".go.id")
                && h != agency_host.trim_end_matches('.').to_ascii_lowercase()
                && SERVICE_HOST_LABELS.contains(&first)
        })
}

/// Is `url` a site's home page (`/`, `/index.php`, `/index.html`, `/home`, `/beranda`)?
fn is_home(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        matches!(
            u.path().trim_matches('/').to_ascii_lowercase().as_str(),
            "" | "index.php" | "index.html" | "home" | "beranda"
        )
    })
}

/// Evidence with no selector.
pub(crate) fn ev(url: &str, snippet: Option<String>, message: String) -> Evidence {
    Evidence {
        url: url.to_string(),
        selector: None,
        snippet,
        message,
        pages: None,
    }
}

/// Agency-wide fold for `contact_info`.
#[derive(Debug, Default)]
pub(crate) struct ContactAcc {
    entry: ContentAcc,
    phones: Vec<(String, String)>,
    emails: Vec<(String, String)>,
    addresses: Vec<(String, String)>,
}

/// Keep `(item, page)` pairs: each item once with the smallest page URL, the smallest
/// [`MAX_CONTACTS`] items (order-independent, see [`keep_first`]).
fn keep(list: &mut Vec<(String, String)>, items: Vec<String>, url: &str) {
    for x in items {
        match list.iter_mut().find(|(y, _)| *y == x) {
            Some((_, from)) if from.as_str() > url => *from = url.to_string(),
            Some(_) => {}
            None => list.push((x, url.to_string())),
        }
    }
    list.sort();
    list.truncate(MAX_CONTACTS);
}

impl ContactAcc {
    pub fn add(&mut self, page: &PageSeen, fact: ContactFact) {
        self.entry.add(page, fact.entry);
        keep(&mut self.phones, fact.phones, &page.url);
        keep(&mut self.emails, fact.emails, &page.url);
        keep(&mut self.addresses, fact.addresses, &page.url);
    }

    /// Pass: a contact entry and one of the rule's `needs` (phone, e-mail, street address);
    /// partial: one of the two; fail: neither.
    pub fn finish(
        self,
        inputs: &SiteInputs<'_>,
        m: &Matcher,
    ) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let (entry_status, _, mut evidence) = self.entry.finish("contact", inputs, SUBSTANCE_CHARS);
        let has_entry = entry_status != RuleStatus::Fail;
        let mut has_reach = false;
        for (need, list, label) in [
            ("phone", &self.phones, "Phone number"),
            ("email", &self.emails, "E-mail address"),
            ("address", &self.addresses, "Street address"),
        ] {
            if !m.needs.iter().any(|n| n == need) {
                continue;
            }
            has_reach |= !list.is_empty();
            for (x, url) in list {
                evidence.push(ev(url, Some(x.clone()), label.to_string()));
            }
        }
        let needs = m.needs.join(", ");
        let (status, reason) = match (has_entry, has_reach) {
            (true, true) => (
                RuleStatus::Pass,
                format!("contact entry and a way to reach the agency ({needs}) found"),
            ),
            (true, false) => (
                RuleStatus::Partial,
                format!("contact entry found but none of: {needs}"),
            ),
            (false, true) => (
                RuleStatus::Partial,
                format!(
                    "one of {needs} found, but no contact entry (Kontak, Hubungi Kami, Alamat)"
                ),
            ),
            (false, false) => (
                RuleStatus::Fail,
                format!("no contact entry and none of: {needs}"),
            ),
        };
        (status, Some(reason), evidence)
    }
}

/// Agency-wide fold for `freshness`.
#[derive(Debug, Default)]
pub(crate) struct DatesAcc {
    newest: Option<(Dated, String)>,
    future: Vec<(Dated, String)>,
}

impl DatesAcc {
    pub fn add(&mut self, page: &PageSeen, fact: DatesFact) {
        // Ties go to the smaller page URL: the same result whatever the page order.
        if let Some(d) = fact.newest.into_iter().next() {
            let newer = self.newest.as_ref().is_none_or(|(n, url)| {
                d.date > n.date || (d.date == n.date && page.url.as_str() < url.as_str())
            });
            if newer {
                self.newest = Some((d, page.url.clone()));
            }
        }
        for d in fact.future {
            self.future.push((d, page.url.clone()));
        }
        self.future.sort_by(|(a, ua), (b, ub)| {
            a.date
                .cmp(&b.date)
                .then(ua.cmp(ub))
                .then(a.text.cmp(&b.text))
        });
        self.future.truncate(MAX_DATES);
    }

    /// Age of the newest date (pages and, for unscoped rules, sitemap `<lastmod>`) against
    /// `pass_days` / `partial_days`. No date: `unknown` when only the home page was seen and
    /// no sitemap date is known (research §5: only the home page window is visible), `fail`
    /// otherwise. Future dates are reported, never counted.
    pub fn finish(
        mut self,
        p: &FreshnessParams,
        inputs: &SiteInputs<'_>,
    ) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let ctx = inputs.ctx;
        if p.scope.is_none() {
            let limit =
                ctx.now.date_naive() + chrono::Duration::days(i64::from(p.future_days.max(1)));
            for (url, date) in inputs.lastmods {
                let d = Dated {
                    date: *date,
                    text: format!("sitemap lastmod {date}"),
                };
                if *date > limit {
                    if self.future.len() < MAX_DATES {
                        self.future.push((d, url.clone()));
                    }
                } else if self.newest.as_ref().is_none_or(|(n, _)| *date > n.date) {
                    self.newest = Some((d, url.clone()));
                }
            }
        }
        let mut evidence: Vec<Evidence> = self
            .future
            .iter()
            .map(|(d, url)| {
                ev(
                    url,
                    Some(clip(&d.text, 200)),
                    format!("Date in the future ignored: {}", d.date),
                )
            })
            .collect();
        let Some((d, url)) = self.newest else {
            let home_only =
                inputs.pages_checked <= 1 && (p.scope.is_some() || inputs.lastmods.is_empty());
            let (status, reason) = match (home_only, p.scope.is_some()) {
                (true, _) => (
                    RuleStatus::Unknown,
                    "no dated item found and only the home page was checked",
                ),
                (false, true) => (
                    RuleStatus::Fail,
                    "no matching page with a dated item on the crawled pages",
                ),
                (false, false) => (RuleStatus::Fail, "no dated item found on the crawled pages"),
            };
            return (status, Some(reason.to_string()), evidence);
        };
        let age = (ctx.now.date_naive() - d.date).num_days().max(0);
        let status = if age <= i64::from(p.pass_days) {
            RuleStatus::Pass
        } else if age <= i64::from(p.partial_days) {
            RuleStatus::Partial
        } else {
            RuleStatus::Fail
        };
        let when = if d.date > ctx.now.date_naive() {
            format!("Newest dated item: {} (coming)", d.date)
        } else {
            format!("Newest dated item: {} ({age} days old)", d.date)
        };
        evidence.insert(0, ev(&url, Some(clip(&d.text, 200)), when));
        let reason = if d.date > ctx.now.date_naive() {
            format!(
                "newest dated item {} is coming (within {} days ahead)",
                d.date, p.future_days
            )
        } else {
            format!(
                "newest dated item {} is {age} days old (pass ≤ {} days, partial ≤ {} days)",
                d.date, p.pass_days, p.partial_days
            )
        };
        (status, Some(reason), evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_stripped_from_the_serialisation() {
        let strip = |s: &str| strip_fragment(&url::Url::parse(s).expect("url"));
        assert_eq!(
            strip("https://a.go.id/p?q=1#bagian"),
            "https://a.go.id/p?q=1"
        );
        assert_eq!(strip("https://a.go.id/#"), "https://a.go.id/");
        assert_eq!(strip("https://a.go.id/p"), "https://a.go.id/p");
        assert_eq!(strip("https://a.go.id/p#a#b"), "https://a.go.id/p");
    }

    #[test]
    fn phones_in_indonesian_formats() {
        let text = "Telp. (0426) 21234, Fax 0426-21235 · WA 0812-3456-7890 · +62 426 21236 · 081234567890 · NIP 19700101 · 30-11-2018";
        assert_eq!(
            find_phones(text),
            vec![
                "(0426) 21234",
                "0426-21235",
                "0812-3456-7890",
                "+62 426 21236",
                "081234567890"
            ]
        );
    }

    /// The windowed search finds exactly what the phone pattern finds over the whole text, on
    /// random texts built from number parts, separators and other words.
    #[test]
    fn phone_windows_lose_no_number() {
        const PARTS: &[&str] = &[
            "0426",
            "(0426)",
            "+62",
            "+",
            "62",
            "812",
            "0812",
            "21234",
            "3456",
            "7890",
            "08",
            "1234567890",
            " ",
            "  ",
            "-",
            ".",
            "(",
            ")",
            "Telp",
            "x",
            "é",
            "2024",
            "0",
            "_",
        ];
        let mut next = crate::rules::text::test_rng(0x9E37_79B9_7F4A_7C15);
        let phone = &contact_patterns().phone;
        let mut with_phones = 0;
        for _ in 0..3000 {
            let len = 1 + next(30);
            let text: String = (0..len).map(|_| PARTS[next(PARTS.len())]).collect();
            let whole: Vec<&str> = phone.find_iter(&text).map(|m| m.as_str()).collect();
            let windowed: Vec<&str> = phone_windows(&text)
                .into_iter()
                .flat_map(|(s, e)| phone.find_iter(&text[s..e]))
                .map(|m| m.as_str())
                .collect();
            assert_eq!(windowed, whole, "text: {text:?}");
            with_phones += usize::from(!whole.is_empty());
        }
        assert!(with_phones > 200, "{with_phones} texts with phone numbers");
    }

    #[test]
    fn emails_found() {
        assert_eq!(
            find_emails("Surel: ppid@sulbarprov.go.id atau dinas.x@gmail.com."),
            vec!["ppid@sulbarprov.go.id", "dinas.x@gmail.com"]
        );
    }

    #[test]
    fn freshness_params_validate() {
        let params = |pass_days, partial_days| FreshnessParams {
            pass_days,
            partial_days,
            synonyms: vec![],
            slugs: vec![],
            future_days: 0,
            scope: None,
        };
        assert!(params(90, 180).validate().is_ok());
        assert_eq!(
            params(90, 30).validate(),
            Err("need 0 < pass_days <= partial_days (got 90 and 30)".to_string())
        );
        let mut slugs_only = params(90, 90);
        slugs_only.slugs = vec!["agenda".into()];
        assert_eq!(
            slugs_only.compiled().map(|_| ()),
            Err("slugs need synonyms (the scope's labels)".to_string())
        );
        let mut scoped = params(90, 90);
        scoped.synonyms = vec!["Agenda".into()];
        assert!(scoped.compiled().is_ok_and(|p| p.scope.is_some()));
    }

    #[test]
    fn addresses_found() {
        assert_eq!(
            find_addresses("Alamat: Jl. Abdul Malik Pattana Endeng, Mamuju · jalan kaki"),
            vec!["Jl. Abdul Malik Pattana Endeng"]
        );
        assert_eq!(
            find_addresses("Kantor di Jalan Ahmad Yani No. 2, Mamuju"),
            vec!["Jalan Ahmad Yani No. 2"]
        );
    }
}
