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
use super::text::{
    clip, drop_filler_ids, for_each_token, ids_in_short, ids_in_slug, Phrase, Vocab,
};
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

/// Values several transparency rules derive from one page's scan, computed once per page on
/// first use (62 rules tokenising the same titles and scanning the same 256 KB of text for
/// dates was 3× the cost of the rest of `check_page`).
#[derive(Default)]
pub(crate) struct Derived {
    /// The words of the titles, headings, page URL and anchors.
    words: OnceCell<PageWords>,
    /// Main-content text, lower case.
    main_lower: OnceCell<String>,
    /// Dates in the body text and machine-readable dates.
    dates: OnceCell<Vec<Dated>>,
    phones: OnceCell<Vec<String>>,
    emails: OnceCell<Vec<String>>,
    addresses: OnceCell<Vec<String>>,
    /// [`DEFAULT_EMPTY_MARKERS`] → found in the main text. Most content rules share the
    /// default markers: each is searched for once per page, not once per rule (500 searches
    /// of the main text per page were a quarter of `check_page`).
    default_markers: [OnceCell<bool>; DEFAULT_EMPTY_MARKERS.len()],
}

impl Derived {
    /// The page's words (built on first use; `agency_host` is the run's, the same for every
    /// call on one page).
    pub(crate) fn words<'a>(&'a self, scan: &PageScan<'_>, agency_host: &str) -> &'a PageWords {
        self.words
            .get_or_init(|| PageWords::build(scan, agency_host))
    }

    fn main_lower<'a>(&'a self, scan: &PageScan<'_>) -> &'a str {
        self.main_lower.get_or_init(|| lowercase(&scan.main_text))
    }

    /// Does the lower-cased main text contain `marker` (already lower case; `default`: its
    /// position in [`DEFAULT_EMPTY_MARKERS`])?
    fn has_marker(&self, scan: &PageScan<'_>, marker: &str, default: Option<usize>) -> bool {
        let search =
            || memchr::memmem::find(self.main_lower(scan).as_bytes(), marker.as_bytes()).is_some();
        match default.and_then(|i| self.default_markers.get(i)) {
            Some(cell) => *cell.get_or_init(search),
            None => search(),
        }
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

/// `text.to_lowercase()`, with the runs of ASCII between other characters lower-cased
/// byte-wise (the standard function maps every character after the first non-ASCII one
/// through the Unicode tables). Text with `Σ` (whose lower case depends on its neighbours)
/// takes the standard function.
fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let n = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..n]);
        out[start..].make_ascii_lowercase();
        rest = &rest[n..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        out.extend(c.to_lowercase());
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The parts of one text or URL: a range of [`PageWords`]' parts.
type PartRange = (u32, u32);

/// An http(s) anchor of the page with its text and URL parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnchorWords {
    /// Index into `PageScan::anchors`.
    pub index: usize,
    /// The anchor text's parts ([`PageWords::push_text`]).
    text: PartRange,
    /// The anchor URL's parts ([`PageWords::push_url`]).
    url: PartRange,
    /// Index into [`PageWords`]' hosts (`u32::MAX`: no host).
    host: u32,
}

/// Separators of title parts, split in this order (each part of one split is split by the
/// next): "Visi dan Misi - Dinas Kominfo Provinsi Sulawesi Barat".
const TITLE_SEPARATORS: [&str; 6] = [" - ", " | ", " – ", " — ", " :: ", " » "];

/// The words of one page that the site kinds match labels against, tokenised once: the
/// text parts ([`PageWords::push_text`]) of the title and each `<h1>`, of each
/// `<h2>`/`<h3>`, the URL parts ([`PageWords::push_url`]) of the page URL, and the text and
/// URL parts of every http(s) anchor; each
/// part a list of [`Vocab`] ids (filler words dropped as by [`drop_fillers`]). Anchors with
/// the same text or the same URL (up to its path) share their parts. Also which anchors hold
/// each word, so that a rule tests only the anchors holding one of its labels' words
/// (~50 content rules each testing ~600 anchors were most of `check_page` on portal pages).
pub(crate) struct PageWords {
    vocab: Vocab,
    /// The ids of every part, one part after the other.
    ids: Vec<u32>,
    /// Each part as a range of `ids`.
    parts: Vec<(u32, u32)>,
    /// The title, then each `<h1>`.
    heads: Vec<PartRange>,
    /// Each `<h2>`/`<h3>`.
    h23: Vec<PartRange>,
    /// The page URL.
    url: PartRange,
    anchors: Vec<AnchorWords>,
    /// The distinct hosts of the anchors, as `Url::host_str` gives them.
    hosts: Vec<String>,
    /// Word id → the positions in `anchors` (ascending) of the anchors whose text or URL
    /// holds it: `holders[starts[id]..starts[id + 1]]`.
    starts: Vec<u32>,
    holders: Vec<u32>,
}

/// `n` as a `u32` index (page parts and words are far fewer than 2³²).
fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl PageWords {
    fn build(scan: &PageScan<'_>, agency_host: &str) -> PageWords {
        let mut w = PageWords {
            // Portal pages have about one distinct word per anchor.
            vocab: Vocab::with_capacity(scan.anchors.len() + 64),
            ids: Vec::new(),
            parts: Vec::new(),
            heads: Vec::new(),
            h23: Vec::new(),
            url: (0, 0),
            anchors: Vec::new(),
            hosts: Vec::new(),
            starts: Vec::new(),
            holders: Vec::new(),
        };
        let mut scratch = String::new();
        let heads = std::iter::once(&scan.title)
            .chain(scan.h1.iter())
            .map(|t| w.push_text(t, &mut scratch))
            .collect();
        w.heads = heads;
        let h23 = scan
            .h23
            .iter()
            .map(|t| w.push_text(t, &mut scratch))
            .collect();
        w.h23 = h23;
        w.url = w.push_url(&scan.page.url, agency_host, &mut scratch);
        let mut by_text: rustc_hash::FxHashMap<&str, PartRange> = Default::default();
        let mut by_url: rustc_hash::FxHashMap<&str, PartRange> = Default::default();
        let mut by_host: rustc_hash::FxHashMap<&str, u32> = Default::default();
        for (index, a) in scan.anchors.iter().enumerate() {
            if !matches!(a.url.scheme(), "http" | "https") {
                continue;
            }
            let text = match by_text.get(a.text.as_str()) {
                Some(&r) => r,
                None => {
                    let r = w.push_text(&a.text, &mut scratch);
                    by_text.insert(&a.text, r);
                    r
                }
            };
            // `push_url` reads the host and the path only.
            let key = &a.url[..url::Position::AfterPath];
            let url = match by_url.get(key) {
                Some(&r) => r,
                None => {
                    let r = w.push_url(&a.url, agency_host, &mut scratch);
                    by_url.insert(key, r);
                    r
                }
            };
            let host = match a.url.host_str() {
                Some(h) => *by_host.entry(h).or_insert_with(|| {
                    w.hosts.push(h.to_string());
                    idx(w.hosts.len() - 1)
                }),
                None => u32::MAX,
            };
            w.anchors.push(AnchorWords {
                index,
                text,
                url,
                host,
            });
        }
        w.index_holders();
        w
    }

    /// Tokenise `text` as one part (with [`slug_tokens`] when `slug`, fillers dropped when
    /// `fillers`). An empty part is kept only when `keep_empty`.
    fn push_part(
        &mut self,
        text: &str,
        slug: bool,
        fillers: bool,
        keep_empty: bool,
        scratch: &mut String,
    ) {
        let start = self.ids.len();
        let (vocab, ids) = (&mut self.vocab, &mut self.ids);
        for_each_token(text, slug, scratch, |t| ids.push(vocab.intern(t)));
        if fillers {
            drop_filler_ids(ids, start);
        }
        if keep_empty || ids.len() > start {
            self.parts.push((idx(start), idx(ids.len())));
        }
    }

    /// The parts of a text: split at [`TITLE_SEPARATORS`] ("Visi dan Misi - Dinas Kominfo"),
    /// each piece's [`tokens`](super::text::tokens) without fillers; pieces without a word are
    /// left out.
    fn push_text(&mut self, text: &str, scratch: &mut String) -> PartRange {
        let first = self.parts.len();
        split_title(text, 0, &mut |piece| {
            self.push_part(piece, false, true, false, scratch)
        });
        (idx(first), idx(self.parts.len()))
    }

    /// The parts of a URL: each non-empty path segment's
    /// [`slug_tokens`](super::text::slug_tokens) without fillers, then the slug tokens of the
    /// first label of a host other than the agency's (`ppid.<domain>`), fillers kept.
    fn push_url(&mut self, url: &url::Url, agency_host: &str, scratch: &mut String) -> PartRange {
        let first = self.parts.len();
        if let Some(segments) = url.path_segments() {
            for seg in segments.filter(|x| !x.is_empty()) {
                self.push_part(seg, true, true, true, scratch);
            }
        }
        if let Some(host) = url.host_str() {
            if !host.eq_ignore_ascii_case(agency_host) {
                let label = host.split('.').next().unwrap_or("");
                self.push_part(label, true, false, true, scratch);
            }
        }
        (idx(first), idx(self.parts.len()))
    }

    /// The parts of `r`, each as its word ids.
    fn parts(&self, r: PartRange) -> impl Iterator<Item = &[u32]> + '_ {
        let parts = self.parts.get(r.0 as usize..r.1 as usize).unwrap_or(&[]);
        parts
            .iter()
            .map(|&(s, e)| self.ids.get(s as usize..e as usize).unwrap_or(&[]))
    }

    /// Every word id of an anchor's text and URL parts (repeats included).
    fn anchor_ids(&self, aw: &AnchorWords) -> impl Iterator<Item = u32> + '_ {
        self.parts(aw.text)
            .chain(self.parts(aw.url))
            .flat_map(|p| p.iter().copied())
    }

    /// Fill `starts` and `holders` (counted, then placed: no list per word).
    fn index_holders(&mut self) {
        let n = self.vocab.count();
        let mut starts = vec![0u32; n + 1];
        let mut last = vec![u32::MAX; n];
        for (pos, aw) in self.anchors.iter().enumerate() {
            for id in self.anchor_ids(aw) {
                let id = id as usize;
                if last[id] != idx(pos) {
                    last[id] = idx(pos);
                    starts[id + 1] += 1;
                }
            }
        }
        for i in 1..=n {
            starts[i] += starts[i - 1];
        }
        let mut holders = vec![0u32; starts[n] as usize];
        let mut next: Vec<u32> = starts[..n].to_vec();
        last.fill(u32::MAX);
        for (pos, aw) in self.anchors.iter().enumerate() {
            for id in self.anchor_ids(aw) {
                let id = id as usize;
                if last[id] != idx(pos) {
                    last[id] = idx(pos);
                    holders[next[id] as usize] = idx(pos);
                    next[id] += 1;
                }
            }
        }
        self.starts = starts;
        self.holders = holders;
    }

    /// Positions in `anchors` (ascending) of the anchors holding word `id`.
    fn holders(&self, id: u32) -> &[u32] {
        let i = id as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&s), Some(&e)) => self.holders.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Positions (ascending, once each) of the anchors holding one of the words `keys`.
    fn holding(&self, keys: impl Iterator<Item = u32>) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for key in keys {
            out.extend_from_slice(self.holders(key));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Hand each part of `text` (split at [`TITLE_SEPARATORS`] from `level` on, in order) to
/// `emit`, as `text.split(" - ").flat_map(|p| p.split(" | ")) …` gives them. Most texts have
/// no separator: they are one part without a search per separator.
fn split_title<'t>(text: &'t str, level: usize, emit: &mut impl FnMut(&'t str)) {
    if level == 0 && !may_have_separator(text) {
        emit(text);
        return;
    }
    match TITLE_SEPARATORS.get(level) {
        None => emit(text),
        Some(sep) => {
            for piece in text.split(sep) {
                split_title(piece, level + 1, emit);
            }
        }
    }
}

/// Might `text` hold one of [`TITLE_SEPARATORS`]? (A space followed by `-`, `|`, `:` or the
/// first byte of `–`, `—` or `»`.)
fn may_have_separator(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b' ' && matches!(w[1], b'-' | b'|' | b':' | 0xE2 | 0xC2))
}

/// A matcher's labels as ids of one page's [`Vocab`] (a label with a word the page lacks
/// matches nothing there, except a slug written as one word).
struct LabelIds {
    buf: Vec<u32>,
    /// Per synonym: its words in `buf`.
    synonyms: Vec<Option<IdRange>>,
    /// Per slug: its words in `buf`, and the id of the slug written as one word.
    slugs: Vec<(Option<IdRange>, Option<u32>)>,
}

/// A label's words: a range of [`LabelIds`]' buffer (`None`: a word is not on the page).
type IdRange = (u32, u32);

impl LabelIds {
    fn of(synonyms: &[Phrase], slugs: &[Phrase], vocab: &Vocab) -> LabelIds {
        let mut buf = Vec::new();
        let range = |p: &Phrase, buf: &mut Vec<u32>| {
            let start = buf.len();
            p.push_ids(vocab, buf).then(|| (idx(start), idx(buf.len())))
        };
        let synonyms = synonyms.iter().map(|p| range(p, &mut buf)).collect();
        let slugs = slugs
            .iter()
            .map(|p| (range(p, &mut buf), p.joined_id(vocab)))
            .collect();
        LabelIds {
            buf,
            synonyms,
            slugs,
        }
    }

    fn words(&self, r: Option<IdRange>) -> Option<&[u32]> {
        r.and_then(|(s, e)| self.buf.get(s as usize..e as usize))
    }

    fn synonym(&self, i: usize) -> Option<&[u32]> {
        self.words(self.synonyms.get(i).copied().flatten())
    }

    /// The ids whose anchors may match: each label's first word, each slug as one word.
    fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        let first = |r: &Option<IdRange>| self.words(*r).and_then(|w| w.first().copied());
        self.synonyms
            .iter()
            .filter_map(first)
            .chain(self.slugs.iter().filter_map(move |(r, _)| first(r)))
            .chain(self.slugs.iter().filter_map(|&(_, j)| j))
    }

    /// The first of `phrases` (the synonyms these ids were made from) that occurs in one of
    /// the parts `r` with at most `max_extra` other words, trying part after part
    /// ([`Phrase::in_short_words`]).
    fn text_match<'p>(
        &self,
        phrases: &'p [Phrase],
        words: &PageWords,
        r: PartRange,
        max_extra: usize,
    ) -> Option<&'p Phrase> {
        words.parts(r).find_map(|part| {
            phrases.iter().enumerate().find_map(|(i, p)| {
                self.synonym(i)
                    .is_some_and(|l| ids_in_short(l, part, max_extra))
                    .then_some(p)
            })
        })
    }

    /// The first of `slugs` that matches one of the parts `r` ([`Phrase::in_slug_words`]).
    fn url_match<'p>(
        &self,
        slugs: &'p [Phrase],
        words: &PageWords,
        r: PartRange,
        max_extra: usize,
    ) -> Option<&'p Phrase> {
        slugs.iter().zip(&self.slugs).find_map(|(p, &(l, j))| {
            let label = self.words(l);
            words
                .parts(r)
                .any(|part| ids_in_slug(label, j, part, max_extra))
                .then_some(p)
        })
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
    /// Empty markers (lower case), each with its position in [`DEFAULT_EMPTY_MARKERS`].
    markers: Vec<(String, Option<usize>)>,
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
                .map(|m| {
                    let m = m.to_lowercase();
                    let default = DEFAULT_EMPTY_MARKERS.iter().position(|d| *d == m);
                    (m, default)
                })
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

impl Matcher {
    /// Does the page itself match (title, `<h1>` or URL slug)?
    pub fn page_matches(&self, scan: &PageScan<'_>, ctx: &CheckContext) -> bool {
        let words = scan.derived.words(scan, &ctx.agency_host);
        let ids = LabelIds::of(&self.synonyms, &self.slugs, &words.vocab);
        words.heads.iter().any(|&r| {
            ids.text_match(&self.synonyms, words, r, self.max_extra)
                .is_some()
        }) || ids
            .url_match(&self.slugs, words, words.url, self.max_extra / 2)
            .is_some()
    }

    /// The page's facts.
    pub fn collect(&self, scan: &PageScan<'_>, ctx: &CheckContext) -> ContentFact {
        let mut fact = ContentFact::default();
        let here = norm_key(scan.page.url.as_str());
        let words = scan.derived.words(scan, &ctx.agency_host);
        let ids = LabelIds::of(&self.synonyms, &self.slugs, &words.vocab);
        let text_match = |r: PartRange| {
            ids.text_match(&self.synonyms, words, r, self.max_extra)
                .map(|p| p.label.as_str())
        };
        let url_match = |r: PartRange| {
            ids.url_match(&self.slugs, words, r, self.max_extra / 2)
                .map(|p| p.label.as_str())
        };
        for pos in words.holding(ids.keys()) {
            let Some(aw) = words.anchors.get(pos as usize) else {
                continue;
            };
            let Some(a) = scan.anchors.get(aw.index) else {
                continue;
            };
            if let Some(label) = text_match(aw.text).or_else(|| url_match(aw.url)) {
                // `href="#"` (a dropdown toggle) and other links to the page itself are not
                // entries: the label would borrow the page's own substance.
                if norm_key(a.url.as_str()) == here {
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
        let head_text = |i: usize| {
            if i == 0 {
                Some(&scan.title)
            } else {
                scan.h1.get(i - 1)
            }
        };
        fact.page_match = words
            .heads
            .iter()
            .enumerate()
            .find_map(|(i, &r)| {
                let l = text_match(r)?;
                Some(format!("'{}' ({l})", clip(head_text(i)?, 120)))
            })
            .or_else(|| url_match(words.url).map(|l| format!("URL slug ({l})")));
        fact.heading = words
            .h23
            .iter()
            .zip(&scan.h23)
            .find_map(|(&r, t)| text_match(r).map(|_| clip(t, 120)));
        let d = &scan.derived;
        fact.empty_marker = self
            .markers
            .iter()
            .find(|(m, default)| d.has_marker(scan, m, *default))
            .map(|(m, _)| m.clone());
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
    // Sorted and cut as references: only the kept dates are copied.
    let (future, past): (Vec<&Dated>, Vec<&Dated>) = scan
        .derived
        .dates(scan)
        .iter()
        .partition(|d| d.date > limit);
    let newest = |mut v: Vec<&Dated>| -> Vec<Dated> {
        v.sort_by(|a, b| b.date.cmp(&a.date).then(a.text.cmp(&b.text)));
        v.dedup_by(|a, b| a.date == b.date);
        v.into_iter().take(MAX_DATES).cloned().collect()
    };
    DatesFact {
        newest: newest(past),
        future: newest(future),
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
    norm_key(url).to_string()
}

/// [`norm_url`] without the copy.
fn norm_key(url: &str) -> &str {
    let no_frag = url.split('#').next().unwrap_or(url);
    no_frag.trim_end_matches('/')
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
            // One limit when the rule has no partial band (pass_days = partial_days).
            let limits = if p.pass_days == p.partial_days {
                format!("pass ≤ {} days", p.pass_days)
            } else {
                format!(
                    "pass ≤ {} days, partial ≤ {} days",
                    p.pass_days, p.partial_days
                )
            };
            format!("newest dated item {} is {age} days old ({limits})", d.date)
        };
        (status, Some(reason), evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::text::{drop_fillers, slug_tokens, test_rng, tokens};

    /// The former per-anchor tokeniser of texts: the reference for `PageWords::push_text`.
    fn text_parts(text: &str) -> Vec<Vec<String>> {
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

    /// The former per-anchor tokeniser of URLs: the reference for `PageWords::push_url`.
    fn url_parts(url: &url::Url, agency_host: &str) -> Vec<Vec<String>> {
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

    fn pick<'a>(next: &mut impl FnMut(usize) -> usize, from: &[&'a str]) -> &'a str {
        from[next(from.len())]
    }

    fn random_title(next: &mut impl FnMut(usize) -> usize) -> String {
        const PIECES: &[&str] = &[
            "Visi", " dan ", "Misi", " - ", " | ", " – ", " — ", " :: ", " » ", " ", "|", "-", "»",
            ":", "PPID", "di", "&", "Café", "2024", "Σ", "Profil", "Dinas",
        ];
        (0..next(9)).map(|_| pick(next, PIECES)).collect()
    }

    fn random_url(next: &mut impl FnMut(usize) -> usize) -> url::Url {
        const HOSTS: &[&str] = &[
            "example.go.id",
            "EXAMPLE.go.id",
            "ppid.example.go.id",
            "di.example.go.id",
            "jdih.go.id",
            "InformasiPublik.go.id",
        ];
        const SEGMENTS: &[&str] = &[
            "visi-misi",
            "InformasiBerkala",
            "lkjip2024.pdf",
            "di",
            "dan-ke",
            "%20x",
            "",
            "index.php",
            "Profil_Dinas",
            "ñandú",
            "a.b",
        ];
        let mut u = format!(
            "{}://{}/",
            pick(next, &["http", "https"]),
            pick(next, HOSTS)
        );
        let segments: Vec<&str> = (0..next(4)).map(|_| pick(next, SEGMENTS)).collect();
        u.push_str(&segments.join("/"));
        u.push_str(pick(next, &["", "?p=1", "#top", "/"]));
        url::Url::parse(&u).expect("test URL")
    }

    /// `PageWords` holds exactly the parts the former tokenisers gave, for the headings, the
    /// page URL and every http(s) anchor (repeated texts and URLs included), and its index
    /// lists exactly the anchors holding each word.
    #[test]
    fn page_words_are_the_former_parts() {
        let mut next = test_rng(0x5EED_1234_ABCD_0042);
        let agency = "example.go.id";
        for round in 0..200 {
            let page_url = random_url(&mut next);
            let page = crate::page::Page::parse(page_url.clone(), 200, "<html></html>");
            let mut scan = PageScan::new(&page, None);
            scan.title = random_title(&mut next);
            scan.h1 = (0..next(3)).map(|_| random_title(&mut next)).collect();
            scan.h23 = (0..next(4)).map(|_| random_title(&mut next)).collect();
            let texts: Vec<String> = (0..4).map(|_| random_title(&mut next)).collect();
            let urls: Vec<url::Url> = (0..4).map(|_| random_url(&mut next)).collect();
            for _ in 0..next(30) {
                let url = if next(8) == 0 {
                    url::Url::parse("mailto:ppid@example.go.id").expect("mailto")
                } else {
                    urls[next(urls.len())].clone()
                };
                scan.anchors.push(crate::page::Anchor {
                    url,
                    text: texts[next(texts.len())].clone(),
                    in_noscript: false,
                });
            }
            let w = PageWords::build(&scan, agency);
            let back = w.vocab.words();
            let decode = |r: PartRange| -> Vec<Vec<String>> {
                w.parts(r)
                    .map(|p| p.iter().map(|&id| back[id as usize].to_string()).collect())
                    .collect()
            };
            let heads: Vec<&String> = std::iter::once(&scan.title).chain(&scan.h1).collect();
            assert_eq!(w.heads.len(), heads.len());
            for (&r, t) in w.heads.iter().zip(heads) {
                assert_eq!(decode(r), text_parts(t), "{t:?}");
            }
            assert_eq!(w.h23.len(), scan.h23.len());
            for (&r, t) in w.h23.iter().zip(&scan.h23) {
                assert_eq!(decode(r), text_parts(t), "{t:?}");
            }
            assert_eq!(decode(w.url), url_parts(&page_url, agency), "{page_url}");
            let web: Vec<usize> = (0..scan.anchors.len())
                .filter(|&i| scan.anchors[i].url.scheme() != "mailto")
                .collect();
            assert_eq!(
                w.anchors.iter().map(|a| a.index).collect::<Vec<_>>(),
                web,
                "round {round}"
            );
            for aw in &w.anchors {
                let a = &scan.anchors[aw.index];
                assert_eq!(decode(aw.text), text_parts(&a.text), "{:?}", a.text);
                assert_eq!(decode(aw.url), url_parts(&a.url, agency), "{}", a.url);
                assert_eq!(w.hosts[aw.host as usize], a.url.host_str().unwrap_or(""));
            }
            for (id, word) in back.iter().enumerate() {
                let naive: Vec<u32> = w
                    .anchors
                    .iter()
                    .enumerate()
                    .filter(|(_, aw)| {
                        let a = &scan.anchors[aw.index];
                        text_parts(&a.text)
                            .iter()
                            .chain(url_parts(&a.url, agency).iter())
                            .flatten()
                            .any(|x| x == word)
                    })
                    .map(|(pos, _)| idx(pos))
                    .collect();
                assert_eq!(w.holders(idx(id)), naive, "{word:?}");
            }
        }
    }

    #[test]
    fn lowercase_is_str_to_lowercase() {
        const PIECES: &[&str] = &[
            "Belum ", "TERSEDIA", "é", "É", "Σ", "ΑΣ ", "K", "İ", "ẞ", " ", "x", "\u{a0}", "Ⅻ",
            "ǅ", "🎉", "ß",
        ];
        let mut next = test_rng(0xA5A5_5A5A_1234_4321);
        for _ in 0..3000 {
            let text: String = (0..next(12)).map(|_| pick(&mut next, PIECES)).collect();
            assert_eq!(lowercase(&text), text.to_lowercase(), "{text:?}");
        }
    }

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
