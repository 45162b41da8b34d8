//! The crawl of one agency: frontier, URL normalisation, scope, dedupe, sitemaps, traps, budgets.
//!
//! INTERFACE CONTRACT (used by `audit.rs`):
//! `crawl_agency(&Agency, &Fetcher, &CrawlLimits, &CancellationToken, on_page) -> CrawlResult`,
//! where `on_page: Fn(CrawledPage) -> Future<Output = Vec<Url>>` is called for every HTML
//! document and returns the links found on it.
//! Added: `CrawlResult::robots_unreachable`, `CrawlResult::charset_conflicts`
//! ([`CharsetConflict`]), [`ROBOTS_RETRY_ROUNDS`]; helpers [`normalise`], [`dedupe_key`], [`in_scope`],
//! [`strip_session_ids`]; `CrawlLimits` trap and sitemap fields with `impl Default` (build with
//! `..CrawlLimits::default()`).
//!
//! # How a crawl goes
//! 1. Home page: `https://<host>/`. If it gets no HTTP answer (TLS, refused, timeout, other
//!    transport failure; not DNS, which would fail on http too), `https = Some(Err("<code>:
//!    <message>"))` and `http://<host>/` is tried. Any HTTP answer on https (even an error status,
//!    a robots.txt refusal or an off-scope redirect) makes `https = Some(Ok(()))`.
//! 2. The site's scheme is the scheme of the home page's final URL. In-scope links are fetched on
//!    that scheme (an `http://` link on an https site is upgraded, an `https://` link on an
//!    http-only site is downgraded) unless they name an explicit port; the dedupe key ignores the
//!    scheme, so `http://h/a` and `https://h/a` are one page.
//! 3. Breadth first, level by level (depth 0 = home). A level's URLs are fetched with up to
//!    [`CONCURRENCY`] requests in flight (the fetcher's per-host rate limit is the politeness
//!    bound) and `on_page` runs for each HTML 2xx page as it arrives, concurrently. When the level
//!    is done, the links of its pages are enqueued in the level's order (page by page, link by
//!    link), so the next level does not depend on which response came first.
//!
//! # Scope and normalisation
//! In scope: `http`/`https` URLs whose parsed host equals the agency's host exactly
//! (`x.sulbarprov.go.id` is not in the scope of `sulbarprov.go.id`, nor is
//! `evilsulbarprov.go.id`). Other hosts are counted once per URL in `summary.off_scope`, with
//! redirects leaving the host; other schemes (`mailto:`, `javascript:`) are skipped silently.
//! Normalisation ([`normalise`]): fragment dropped; the `url` crate already lower-cases the host,
//! drops the default port and resolves dot segments; no trailing slash is added or removed.
//!
//! # Refresh
//! A page handed to `on_page` that declares a refresh to another URL (the `Refresh` header, else
//! the first valid `<meta http-equiv="refresh">`; [`FetchedDocument::refresh`], HTML §7.11.1)
//! gets the target appended to its links: in scope it is crawled one level deeper like any link
//! (dedupe, traps and budgets apply), on another host it counts in `off_scope` and is not
//! followed. Each such page is counted in `summary.refreshes` (`count`, `off_scope`, and up to 5
//! samples `{url, target, delay_s, in_scope}`, smallest page URLs first). A reload of the same
//! page is not a refresh to follow and is not counted. The target is resolved against the
//! page's final URL (a `<base href>` is not applied).
//!
//! # Sitemaps
//! When the home page answered and `use_sitemaps` is set, the sitemaps listed by robots.txt on
//! the agency's host (else `/sitemap.xml`) are read through the fetcher (robots.txt and rate
//! limits apply), indexes followed, at most `max_sitemaps` documents, whatever their content type,
//! gzipped once or twice, truncated or with relative `<loc>`s (see [`crate::sitemap`]). Their
//! in-scope URLs join the home page's links (depth 1, after the links); entries on other hosts
//! are counted in `sitemap_off_scope` and not crawled. Sitemap requests are not pages: they do
//! not count against `max_pages` nor in the outcomes.
//!
//! # robots.txt unreachable
//! A URL refused because its origin's robots.txt answered 5xx or 429 (RFC 9309 §2.3.1.4:
//! "crawl nothing for now") is not counted at once: when the frontier is empty, the crawl waits
//! the fetcher's `robots_retry_interval` and asks for those URLs again (the fetcher then
//! requests robots.txt again), at most [`ROBOTS_RETRY_ROUNDS`] times; URLs it now allows are
//! crawled as usual (a home page that comes back also gets its sitemaps read), and their links
//! followed. What is still refused after the last round counts in `robots_disallowed`,
//! `failures["robots_disallowed"]` and `outcomes["robots_unreachable"]` with samples, and
//! `CrawlResult::robots_unreachable` says why. A robots.txt that timed out is held back and
//! retried the same way (issue 5: "5xx / timeout / 429 = crawl nothing for now and retry
//! later"); still timing out after the rounds, its URLs count as the `timeout` they got. One
//! with another transport failure (refused, DNS, TLS) is not retried: the site is down, and
//! the page fetch reports that class. The https → http fallback of the home page is decided
//! before any of this, so a hanging port 443 still falls back to http.
//!
//! # Traps
//! Every new in-scope URL (after dedupe, before the depth and page budgets) is checked, in
//! order: longer than `max_url_length` → `url_too_long`; a path segment repeated more than
//! `max_segment_repeats` times → `repeating_segments`; more than `max_query_variants` distinct
//! queries on one path → `query_variants`; more than `max_calendar_variants` calendar-like URLs
//! (a date in the path or a date-named query parameter) of one shape (digits ignored) →
//! `calendar`. A trapped URL is not fetched, is counted in `summary.traps[kind]` and
//! `outcomes["trap"]`, and the rest of the site is crawled as usual.
//!
//! # Budgets and counters
//! `max_pages` counts requested URLs (the home page included, a redirect chain is one, robots.txt
//! refusals are not requested and do not count). URLs beyond `max_depth`, or left when the page
//! budget is spent, are counted once each in `summary.budget_skipped`. HTTP status ≥ 400 and
//! transport failures count in `pages_failed` and in `failures` (`http_<status>` or the
//! [`FailureClass::code`]), with the 5 lexically smallest URLs as samples; robots.txt refusals
//! count in `robots_disallowed` and `failures["robots_disallowed"]`. Off-scope redirects count in
//! `off_scope` only. A page whose final URL (after redirects) was already crawled is counted as
//! fetched but not handed to `on_page` again. Rate-limited requests are neither failed nor
//! fetched. Every URL also lands in exactly one class of `summary.outcomes` (all classes of
//! [`CrawlSummary::OUTCOME_CLASSES`] always present), with the 5 lexically smallest samples.
//!
//! # Determinism
//! For a site that answers the same way twice, the set of URLs requested, the pages handed to
//! `on_page`, and every counter except `duration_ms` are the same from run to run, also when the
//! page budget or the depth limit cuts the crawl (the cut follows (depth, discovery order)). Only
//! two things depend on timing: which of two URLs redirecting to the same page inside one level is
//! the one handed to `on_page` (the page and its depth are the same, only `requested_url` differs;
//! its links are credited to the first of those URLs in level order), and how far a cancelled
//! crawl got.
//! Cancellation stops new fetches at once, drops fetches still waiting for an answer, lets
//! `on_page` calls already running finish, and sets `cut_short`.

use crate::discover::Agency;
use crate::fetch::{FailureClass, FetchOutcome, FetchedDocument, Fetcher};
use crate::scorecard::{CrawlSummary, FailureSample, RefreshSample, StatusReason};
use crate::sitemap;
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Default page budget per agency.
pub const DEFAULT_MAX_PAGES: usize = 200;
/// Default link depth from the home page (home = 0).
pub const DEFAULT_MAX_DEPTH: u32 = 5;
/// Fetches in flight at once within one agency.
pub const CONCURRENCY: usize = 4;
/// Times the URLs refused while robots.txt was unreachable (5xx/429) are asked again within one
/// agency's crawl, each after the fetcher's `robots_retry_interval` (so robots.txt is requested
/// at most `1 + ROBOTS_RETRY_ROUNDS` times, [`crate::fetch::MAX_ROBOTS_ATTEMPTS`]).
pub const ROBOTS_RETRY_ROUNDS: usize = 2;
/// Sample URLs kept per failure class.
pub const MAX_FAILURE_SAMPLES: usize = 5;

/// Default cap on a URL's length in bytes (longer URLs are a trap: generated parameters).
pub const DEFAULT_MAX_URL_LENGTH: usize = 2048;
/// Default cap on distinct query strings per path (`/cari?q=…`, faceted lists).
pub const DEFAULT_MAX_QUERY_VARIANTS: usize = 50;
/// Default number of times one path segment may appear in a path (`/a/b/a/b/a/` is a trap).
pub const DEFAULT_MAX_SEGMENT_REPEATS: usize = 2;
/// Default cap on distinct calendar-like URLs sharing one shape (prev/next month chains).
pub const DEFAULT_MAX_CALENDAR_VARIANTS: usize = 30;
/// Default cap on sitemap documents read per agency (indexes included).
pub const DEFAULT_MAX_SITEMAPS: usize = 10;

/// Per-agency budgets and trap limits. Build with `..CrawlLimits::default()` so new fields need
/// no change at call sites.
#[derive(Debug, Clone)]
pub struct CrawlLimits {
    /// Pages fetched at most (HTML and otherwise).
    pub max_pages: usize,
    /// Link depth at most (home = 0).
    pub max_depth: u32,
    /// URLs longer than this many bytes are a trap (`url_too_long`).
    pub max_url_length: usize,
    /// Distinct query strings per path (session ids removed) beyond this are a trap
    /// (`query_variants`).
    pub max_query_variants: usize,
    /// A path where one segment appears more than this many times is a trap
    /// (`repeating_segments`).
    pub max_segment_repeats: usize,
    /// Distinct calendar-like URLs (a date in the path or a date-named query parameter) sharing
    /// one shape (digits ignored) beyond this are a trap (`calendar`).
    pub max_calendar_variants: usize,
    /// Read sitemaps (robots.txt `Sitemap:` lines, else `/sitemap.xml`) and crawl their
    /// in-scope URLs at depth 1.
    pub use_sitemaps: bool,
    /// Sitemap documents read at most (indexes included).
    pub max_sitemaps: usize,
}

impl Default for CrawlLimits {
    /// [`DEFAULT_MAX_PAGES`], [`DEFAULT_MAX_DEPTH`], [`DEFAULT_MAX_URL_LENGTH`],
    /// [`DEFAULT_MAX_QUERY_VARIANTS`], [`DEFAULT_MAX_SEGMENT_REPEATS`],
    /// [`DEFAULT_MAX_CALENDAR_VARIANTS`], sitemaps on, [`DEFAULT_MAX_SITEMAPS`].
    fn default() -> CrawlLimits {
        CrawlLimits {
            max_pages: DEFAULT_MAX_PAGES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_url_length: DEFAULT_MAX_URL_LENGTH,
            max_query_variants: DEFAULT_MAX_QUERY_VARIANTS,
            max_segment_repeats: DEFAULT_MAX_SEGMENT_REPEATS,
            max_calendar_variants: DEFAULT_MAX_CALENDAR_VARIANTS,
            use_sitemaps: true,
            max_sitemaps: DEFAULT_MAX_SITEMAPS,
        }
    }
}

/// An HTML document handed to the checker.
#[derive(Debug, Clone)]
pub struct CrawledPage {
    /// The response.
    pub document: FetchedDocument,
    /// Link depth from the home page.
    pub depth: u32,
}

/// What a fetch that was not a page answered: documents (PDF, XLSX…), HTTP errors, and
/// requests with no answer. The transparency rules use it to tell a working document link from
/// a dead one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRecord {
    /// The URL as linked (requested).
    pub url: String,
    /// HTTP status of the final answer; `None` when there was no HTTP answer.
    pub status: Option<u16>,
    /// MIME essence after sniffing (a PDF served as `text/html` reads `application/pdf`).
    pub content_type: Option<String>,
}

/// Fetch records kept per agency (bounds memory on large sites).
pub const MAX_FETCH_RECORDS: usize = 2_000;

/// The outcome of one agency's crawl.
#[derive(Debug, Clone)]
pub struct CrawlResult {
    /// Counters for the scorecard.
    pub summary: CrawlSummary,
    /// Set when no page of the agency answered: why. Codes: the [`FailureClass::code`]s,
    /// `http_status` (the home page answered an HTTP error), `off_scope_redirect` (the home page
    /// redirects to another host; the target is in the message), `robots_disallowed` (robots.txt
    /// disallows `/`), `robots_unreachable` (robots.txt answered 5xx/429, so RFC 9309 §2.3.1.4
    /// disallows everything).
    pub unreachable: Option<StatusReason>,
    /// Did `https://<host>/` answer with a valid certificate (`Err(reason)` when not)?
    pub https: Option<Result<(), String>>,
    /// True when cancellation (deadline, Ctrl-C) stopped the crawl before the frontier emptied.
    pub cut_short: bool,
    /// Set when the site's robots.txt was unreachable (5xx, 429 or no answer; RFC 9309
    /// §2.3.1.4): why. Rules that read robots.txt should report `error` with this reason.
    pub robots_unreachable: Option<String>,
    /// Fetches that were not pages handed to `on_page`, in completion order (the audit sorts).
    pub fetches: Vec<FetchRecord>,
    /// The site's sitemap entries with a `<lastmod>`: (URL, lastmod as written).
    pub sitemap_lastmods: Vec<(String, String)>,
    /// HTML pages handed to `on_page` whose `Content-Type` charset and `<meta>` charset name
    /// different encodings ([`FetchedDocument::charset_conflict`]; the header was used), sorted
    /// by URL, at most [`MAX_FETCH_RECORDS`].
    pub charset_conflicts: Vec<CharsetConflict>,
}

/// A page whose HTTP header and `<meta>` declare different encodings (HTML Standard
/// §13.2.3.2: the header wins, so the `<meta>` is wrong or the header is).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CharsetConflict {
    /// The page's final URL.
    pub url: String,
    /// WHATWG name of the encoding of the `Content-Type` charset (`UTF-8`).
    pub header: String,
    /// WHATWG name of the encoding the `<meta>` pre-scan found (`windows-1252`).
    pub meta: String,
}

/// `url` with its fragment dropped: the URL pantau requests for a link.
pub fn normalise(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// The dedupe key of a URL: host (IDN as punycode, by the `url` crate), explicit non-default
/// port, path and query, without scheme, fragment or session ids (`https://A.go.id:443/x?y#z` →
/// `a.go.id/x?y`; `/x;jsessionid=AB12?PHPSESSID=9f…&id=3` → `/x?id=3`). Percent-encoding is
/// kept as sent (`%2F` is not `/`) and no trailing slash is added or removed. See
/// [`strip_session_ids`].
pub fn dedupe_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = strip_path_session(url.path());
    let query = url.query().and_then(strip_query_session);
    match query {
        Some(q) => format!("{host}{port}{path}?{q}"),
        None => format!("{host}{port}{path}"),
    }
}

/// Query parameter names that always carry a session id (compared lower case):
/// Java `jsessionid`, PHP `phpsessid`, ColdFusion `cfid`/`cftoken`, osCommerce `oscsid`,
/// Zen Cart `zenid`, and the generic `sessionid`, `session_id`, `sessid`; names starting with
/// `aspsessionid` (classic ASP).
const SESSION_PARAMS: [&str; 9] = [
    "jsessionid",
    "phpsessid",
    "sessionid",
    "session_id",
    "sessid",
    "cfid",
    "cftoken",
    "oscsid",
    "zenid",
];

/// True for a value that looks like a session token: 16 or more characters, all ASCII hex
/// digits, or all ASCII letters and digits with both present.
fn is_token(value: &str) -> bool {
    value.len() >= 16
        && (value.bytes().all(|b| b.is_ascii_hexdigit())
            || (value.bytes().all(|b| b.is_ascii_alphanumeric())
                && value.bytes().any(|b| b.is_ascii_digit())
                && value.bytes().any(|b| b.is_ascii_alphabetic())))
}

/// True when a query parameter is a session id: a name from [`SESSION_PARAMS`] or starting with
/// `aspsessionid`, or a name like `sid`/`*sid`/`*sess*` whose value [is a token](is_token).
fn is_session_param(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SESSION_PARAMS.contains(&name.as_str())
        || name.starts_with("aspsessionid")
        || ((name.ends_with("sid") || name.contains("sess")) && is_token(value))
}

/// A path without `;jsessionid=…`-style matrix parameters naming a session (any segment).
fn strip_path_session(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains(';') {
        return std::borrow::Cow::Borrowed(path);
    }
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| {
            let mut parts = segment.split(';');
            let mut kept = parts.next().unwrap_or_default().to_string();
            for param in parts {
                let (name, value) = param.split_once('=').unwrap_or((param, ""));
                if !is_session_param(name, value) {
                    kept.push(';');
                    kept.push_str(param);
                }
            }
            kept
        })
        .collect();
    std::borrow::Cow::Owned(segments.join("/"))
}

/// A query without session-id parameters, the others in their order and encoding; `None` when
/// nothing is left.
fn strip_query_session(query: &str) -> Option<String> {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            !is_session_param(name, value)
        })
        .collect();
    if kept.is_empty() && !query.is_empty() {
        return None;
    }
    Some(kept.join("&"))
}

/// `url` with session ids removed from its path parameters and query (the URL a dedupe key is
/// made from; the crawler still requests the URL as linked).
pub fn strip_session_ids(url: &Url) -> Url {
    let mut out = url.clone();
    let path = strip_path_session(url.path()).into_owned();
    out.set_path(&path);
    let query = url.query().and_then(strip_query_session);
    out.set_query(query.as_deref());
    out
}

/// True when `url` is http(s) on exactly `host` (compared as parsed host names, never substrings;
/// an IDN `host` is compared in its punycode form).
pub fn in_scope(url: &Url, host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let wanted = url::Host::parse(host)
        .map(|h| h.to_string())
        .unwrap_or_else(|_| host.to_ascii_lowercase());
    matches!(url.scheme(), "http" | "https")
        && url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(&wanted))
}

/// The kind of crawler trap a URL belongs to, if any (see [`CrawlLimits`]), judged from the URLs
/// already accepted; each URL is judged once.
#[derive(Debug, Default)]
struct Traps {
    /// Distinct queries per `host/path`.
    queries: HashMap<String, HashSet<String>>,
    /// Distinct calendar-like URLs per shape.
    calendar: HashMap<String, usize>,
}

/// Query parameter names that carry a date or a calendar position (Indonesian and English).
const CALENDAR_PARAMS: [&str; 20] = [
    "tahun", "thn", "year", "yr", "y", "bulan", "bln", "month", "m", "tanggal", "tgl", "date",
    "day", "d", "hari", "minggu", "week", "periode", "kalender", "calendar",
];

/// True for `1900`–`2199`, `YYYY-MM`, `YYYY-MM-DD` (also with `/` or `.` inside a value).
fn is_date_text(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['-', '.', '/']).collect();
    let year = parts
        .first()
        .is_some_and(|y| y.len() == 4 && y.parse::<u32>().is_ok_and(|n| (1900..2200).contains(&n)));
    year && parts.len() <= 3
        && parts[1..]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// True when `url` looks like a calendar page: a date-like path segment (a bare year counts), a
/// date-named query parameter with a number, or a query value holding a year and a month
/// (`2026-12`; a bare number in another parameter, like `id=2026`, does not count).
fn is_calendar_like(url: &Url) -> bool {
    let in_path = url.path().split('/').any(is_date_text);
    in_path
        || url.query_pairs().any(|(name, value)| {
            let name = name.to_ascii_lowercase();
            (CALENDAR_PARAMS.contains(&name.as_str()) && value.bytes().any(|b| b.is_ascii_digit()))
                || (is_date_text(&value) && value.contains(['-', '.', '/']))
        })
}

/// The dedupe key with every run of digits replaced by `#`: calendar pages of one chain share it.
fn digit_shape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_digits = false;
    for c in key.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

impl Traps {
    /// The trap kind of `url` (`url_too_long`, `repeating_segments`, `query_variants`,
    /// `calendar`), or `None` when it is to be crawled; records it as seen.
    fn check(&mut self, url: &Url, limits: &CrawlLimits) -> Option<&'static str> {
        if url.as_str().len() > limits.max_url_length {
            return Some("url_too_long");
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for segment in url.path().split('/').filter(|s| !s.is_empty()) {
            let n = counts.entry(segment).or_default();
            *n += 1;
            if *n > limits.max_segment_repeats {
                return Some("repeating_segments");
            }
        }
        let key = dedupe_key(url);
        if let Some((path, query)) = key.split_once('?') {
            let variants = self.queries.entry(path.to_string()).or_default();
            if !variants.contains(query) && variants.len() >= limits.max_query_variants {
                return Some("query_variants");
            }
            variants.insert(query.to_string());
        }
        if is_calendar_like(url) {
            let n = self.calendar.entry(digit_shape(&key)).or_default();
            if *n >= limits.max_calendar_variants {
                return Some("calendar");
            }
            *n += 1;
        }
        None
    }
}

/// What one fetch of the frontier came to, reduced to what the counters need.
enum Record {
    /// An HTTP answer.
    Answered {
        url: Url,
        status: u16,
        bytes: u64,
        html: bool,
        truncated: bool,
        /// A page handed to `on_page` that refreshes to another URL.
        refresh: Option<RefreshSample>,
    },
    /// No HTTP answer.
    Failed {
        url: Url,
        class: FailureClass,
        location: Option<Url>,
    },
    /// robots.txt said no (`unreachable`: because robots.txt answered 5xx/429 or nothing).
    Disallowed { url: Url, unreachable: bool },
    /// Cancelled before the answer.
    Cancelled,
}

/// The outcome class (of [`CrawlSummary::OUTCOME_CLASSES`]) of a failure class.
fn outcome_of(class: FailureClass) -> &'static str {
    match class {
        FailureClass::Dns => "dns",
        FailureClass::Refused => "refused",
        FailureClass::Closed => "connection_closed",
        FailureClass::Timeout => "timeout",
        FailureClass::Tls
        | FailureClass::TlsExpired
        | FailureClass::TlsWrongHost
        | FailureClass::TlsSelfSigned
        | FailureClass::TlsIncompleteChain
        | FailureClass::TlsUnknownIssuer => "tls",
        FailureClass::TooManyRedirects | FailureClass::RedirectLoop => "redirect_error",
        FailureClass::OffScopeRedirect => "off_scope_redirect",
        FailureClass::BlockedAddress => "blocked_address",
        FailureClass::RateLimited => "rate_limited",
        FailureClass::Other => "transport_error",
    }
}

/// Adds `url` to a count-and-samples entry, keeping the 5 lexically smallest samples.
fn add_sample(entry: &mut FailureSample, url: &Url) {
    entry.count += 1;
    let url = url.to_string();
    if let Err(at) = entry.samples.binary_search(&url) {
        if at < MAX_FAILURE_SAMPLES {
            entry.samples.insert(at, url);
            entry.samples.truncate(MAX_FAILURE_SAMPLES);
        }
    }
}

/// The mutable tally of one crawl.
struct Tally {
    summary: CrawlSummary,
    off_scope: HashSet<String>,
    cut_short: bool,
    /// In-scope sitemap entries with a `<lastmod>` (at most [`MAX_FETCH_RECORDS`]).
    lastmods: Vec<(String, String)>,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            summary: CrawlSummary {
                outcomes: CrawlSummary::empty_outcomes(),
                ..CrawlSummary::default()
            },
            off_scope: HashSet::new(),
            cut_short: false,
            lastmods: Vec::new(),
        }
    }
}

impl Tally {
    fn fail(&mut self, code: &str, url: &Url) {
        add_sample(
            self.summary.failures.entry(code.to_string()).or_default(),
            url,
        );
    }

    fn outcome(&mut self, class: &str, url: &Url) {
        add_sample(
            self.summary.outcomes.entry(class.to_string()).or_default(),
            url,
        );
    }

    /// Counts a page's refresh, keeping the 5 samples with the smallest page URLs.
    fn refresh(&mut self, sample: &RefreshSample) {
        let refreshes = &mut self.summary.refreshes;
        refreshes.count += 1;
        if !sample.in_scope {
            refreshes.off_scope += 1;
        }
        if let Err(at) = refreshes.samples.binary_search(sample) {
            if at < MAX_FAILURE_SAMPLES {
                refreshes.samples.insert(at, sample.clone());
                refreshes.samples.truncate(MAX_FAILURE_SAMPLES);
            }
        }
    }

    fn trap(&mut self, kind: &str, url: &Url) {
        add_sample(self.summary.traps.entry(kind.to_string()).or_default(), url);
        self.outcome("trap", url);
    }

    fn budget_skip(&mut self, url: &Url) {
        self.summary.budget_skipped += 1;
        self.outcome("budget_skipped", url);
    }

    fn record(&mut self, record: &Record) {
        match record {
            Record::Answered {
                url,
                status,
                bytes,
                html,
                truncated,
                refresh,
            } => {
                self.summary.bytes += bytes;
                if let Some(refresh) = refresh {
                    self.refresh(refresh);
                }
                if *status >= 400 {
                    self.summary.pages_failed += 1;
                    self.fail(&format!("http_{status}"), url);
                    let class = if *status >= 500 {
                        "http_5xx"
                    } else {
                        "http_4xx"
                    };
                    self.outcome(class, url);
                } else {
                    self.summary.pages_fetched += 1;
                    let class = if *truncated {
                        "too_large"
                    } else if !(200..300).contains(status) {
                        "http_3xx"
                    } else if *html {
                        "fetched"
                    } else {
                        "not_html"
                    };
                    self.outcome(class, url);
                }
            }
            Record::Failed {
                url,
                class: FailureClass::OffScopeRedirect,
                location,
            } => {
                if let Some(target) = location {
                    self.off_scope.insert(normalise(target).to_string());
                }
                self.outcome("off_scope_redirect", url);
            }
            Record::Failed {
                url,
                class: FailureClass::RateLimited,
                ..
            } => self.outcome("rate_limited", url),
            Record::Failed { url, class, .. } => {
                self.summary.pages_failed += 1;
                self.fail(class.code(), url);
                self.outcome(outcome_of(*class), url);
            }
            Record::Disallowed { url, unreachable } => {
                self.summary.robots_disallowed += 1;
                self.fail("robots_disallowed", url);
                let class = if *unreachable {
                    "robots_unreachable"
                } else {
                    "robots_disallowed"
                };
                self.outcome(class, url);
            }
            Record::Cancelled => self.cut_short = true,
        }
    }
}

/// The crawl of one agency, shared by the concurrent fetches.
struct Crawl<'a, F> {
    fetcher: &'a Fetcher,
    cancel: &'a CancellationToken,
    on_page: F,
    /// Dedupe keys of final URLs handed to `on_page`.
    handed: Mutex<HashSet<String>>,
    /// Fetches not handed to `on_page`, for the site rules (at most [`MAX_FETCH_RECORDS`]).
    fetches: Mutex<Vec<FetchRecord>>,
    /// Pages handed to `on_page` with a header/meta charset conflict.
    charset_conflicts: Mutex<Vec<CharsetConflict>>,
}

impl<F, Fut> Crawl<'_, F>
where
    F: Fn(CrawledPage) -> Fut + Sync,
    Fut: Future<Output = Vec<Url>> + Send,
{
    /// Fetches `url` unless cancelled first.
    async fn fetch(&self, url: &Url) -> Option<FetchOutcome> {
        tokio::select! {
            biased;
            _ = self.cancel.cancelled() => None,
            outcome = self.fetcher.fetch(url) => Some(outcome),
        }
    }

    /// Keep what a fetch not handed to `on_page` answered (documents, errors, failures).
    fn remember(&self, record: FetchRecord) {
        let mut fetches = self.fetches.lock().unwrap_or_else(PoisonError::into_inner);
        if fetches.len() < MAX_FETCH_RECORDS {
            fetches.push(record);
        }
    }

    /// Turns an outcome into a record, handing HTML 2xx pages to `on_page`; returns their links.
    async fn process(&self, outcome: Option<FetchOutcome>, depth: u32) -> (Record, Vec<Url>) {
        let document = match outcome {
            None => return (Record::Cancelled, Vec::new()),
            Some(FetchOutcome::RobotsDisallowed(url)) => {
                let unreachable = self.fetcher.robots_unreachable(&url).is_some();
                return (Record::Disallowed { url, unreachable }, Vec::new());
            }
            Some(FetchOutcome::Failed(f)) => {
                self.remember(FetchRecord {
                    url: f.url.to_string(),
                    status: None,
                    content_type: None,
                });
                let record = Record::Failed {
                    url: f.url,
                    class: f.class,
                    location: f.location,
                };
                return (record, Vec::new());
            }
            Some(FetchOutcome::Document(document)) => document,
        };
        let is_html = document.is_html();
        let mut record = Record::Answered {
            url: document.final_url.clone(),
            status: document.status,
            bytes: document.bytes,
            html: is_html,
            truncated: document.truncated,
            refresh: None,
        };
        let is_page = (200..300).contains(&document.status) && is_html;
        let first_time = is_page
            && self
                .handed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(dedupe_key(&document.final_url));
        if !is_page {
            self.remember(FetchRecord {
                url: document.requested_url.to_string(),
                status: Some(document.status),
                content_type: document.content_type.clone(),
            });
        }
        if !first_time {
            return (record, Vec::new());
        }
        if let Some((header, meta)) = document.charset_conflict() {
            let mut conflicts = self
                .charset_conflicts
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if conflicts.len() < MAX_FETCH_RECORDS {
                conflicts.push(CharsetConflict {
                    url: document.final_url.to_string(),
                    header,
                    meta,
                });
            }
        }
        // A refresh to another URL: recorded; its target joins the page's links (scope, dedupe,
        // traps and budgets apply to it like to any link).
        let refresh = document
            .refresh()
            .filter(|r| dedupe_key(&r.target) != dedupe_key(&document.final_url));
        let host = document
            .final_url
            .host_str()
            .unwrap_or_default()
            .to_string();
        let mut links = (self.on_page)(CrawledPage { document, depth }).await;
        if let (Some(r), Record::Answered { url, refresh, .. }) = (refresh, &mut record) {
            let target = normalise(&r.target);
            *refresh = Some(RefreshSample {
                url: url.to_string(),
                target: target.to_string(),
                delay_s: r.delay_s,
                in_scope: in_scope(&target, &host),
            });
            links.push(target);
        }
        (record, links)
    }

    /// Reads the site's sitemaps (robots.txt `Sitemap:` lines on this host, else
    /// `/sitemap.xml`; indexes followed, at most `max_sitemaps` documents) and returns their
    /// in-scope page URLs in document order; other hosts are counted, not returned.
    async fn sitemap_urls(
        &self,
        site_home: &Url,
        host: &str,
        limits: &CrawlLimits,
        tally: &mut Tally,
    ) -> Vec<Url> {
        let mut queue: std::collections::VecDeque<Url> = self
            .fetcher
            .robots_sitemaps(site_home)
            .into_iter()
            .filter(|u| in_scope(u, host))
            .collect();
        if queue.is_empty() {
            if let Ok(default) = site_home.join("/sitemap.xml") {
                queue.push_back(default);
            }
        }
        let mut done: HashSet<String> = HashSet::new();
        let mut attempts = 0usize;
        let mut urls = Vec::new();
        while let Some(location) = queue.pop_front() {
            if attempts >= limits.max_sitemaps || self.cancel.is_cancelled() {
                break;
            }
            if !done.insert(dedupe_key(&location)) {
                continue;
            }
            attempts += 1;
            let fetched = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => None,
                fetched = self.fetcher.fetch_with_body(&location) => Some(fetched),
            };
            let Some((FetchOutcome::Document(doc), body)) = fetched else {
                continue;
            };
            if !(200..300).contains(&doc.status) {
                continue;
            }
            let found = sitemap::parse_sitemap(&body, &doc.final_url);
            if found.urls.is_empty() && found.sitemaps.is_empty() {
                continue;
            }
            tally.summary.sitemaps_read += 1;
            for child in found.sitemaps {
                if in_scope(&child, host) {
                    queue.push_back(child);
                } else {
                    tally.summary.sitemap_off_scope += 1;
                }
            }
            for (url, lastmod) in found.lastmods {
                if in_scope(&url, host) && tally.lastmods.len() < MAX_FETCH_RECORDS {
                    tally.lastmods.push((url.to_string(), lastmod));
                }
            }
            for url in found.urls {
                if in_scope(&url, host) {
                    tally.summary.sitemap_urls += 1;
                    urls.push(url);
                } else {
                    tally.summary.sitemap_off_scope += 1;
                }
            }
        }
        urls
    }

    async fn fetch_and_process(
        &self,
        index: usize,
        url: Url,
        depth: u32,
    ) -> (usize, Record, Vec<Url>) {
        let outcome = self.fetch(&url).await;
        let (record, links) = self.process(outcome, depth).await;
        (index, record, links)
    }

    /// Fetches one level of `(URL, depth)`; results in the level's order. `None` for URLs
    /// never started (cancelled).
    async fn level(&self, urls: Vec<(Url, u32)>) -> Vec<Option<(Record, Vec<Url>)>> {
        let mut results: Vec<Option<(Record, Vec<Url>)>> = urls.iter().map(|_| None).collect();
        let mut pending = urls.into_iter().enumerate();
        let mut in_flight = FuturesUnordered::new();
        loop {
            while in_flight.len() < CONCURRENCY && !self.cancel.is_cancelled() {
                match pending.next() {
                    Some((index, (url, depth))) => {
                        in_flight.push(self.fetch_and_process(index, url, depth));
                    }
                    None => break,
                }
            }
            match in_flight.next().await {
                Some((index, record, links)) => {
                    if let Some(slot) = results.get_mut(index) {
                        *slot = Some((record, links));
                    }
                }
                None => break,
            }
        }
        results
    }
}

/// Marks the final URL of an answered fetch (after redirects) as seen, so a later link to it is
/// not fetched again.
fn mark_final(record: &Record, seen: &mut HashSet<String>) {
    if let Record::Answered { url, .. } = record {
        seen.insert(dedupe_key(url));
    }
}

/// Why the home page gave nothing, as a scorecard reason.
fn home_reason(outcome: &FetchOutcome, fetcher: &Fetcher) -> StatusReason {
    match outcome {
        FetchOutcome::Document(d) => StatusReason {
            code: "http_status".to_string(),
            message: format!("the home page {} answered HTTP {}", d.final_url, d.status),
        },
        FetchOutcome::RobotsDisallowed(url) => match fetcher.robots_unreachable(url) {
            Some(why) => StatusReason {
                code: "robots_unreachable".to_string(),
                message: why,
            },
            None => StatusReason {
                code: "robots_disallowed".to_string(),
                message: format!("robots.txt disallows {url} for pantau"),
            },
        },
        FetchOutcome::Failed(f) => StatusReason {
            code: f.class.code().to_string(),
            message: f.message.clone(),
        },
    }
}

/// Is `record` a fetch held back because its origin's robots.txt could not be read: it answered
/// 5xx/429 (RFC 9309 §2.3.1.4, "unreachable"), or timed out (issue 5: "5xx / timeout / 429 =
/// crawl nothing on that host for now and retry later")? Such URLs are asked again after
/// `robots_retry_interval` (see [`ROBOTS_RETRY_ROUNDS`]); a refused connection or a DNS error
/// is not retried: the site is down.
fn held_back_by_robots(record: &Record, fetcher: &Fetcher) -> bool {
    match record {
        Record::Disallowed { unreachable, .. } => *unreachable,
        // A fetch fails before its request when its origin's robots.txt got no answer; the
        // record's class may be another origin's (https and http of the home page combined).
        Record::Failed { url, .. } => {
            fetcher.robots_transport_class(url) == Some(FailureClass::Timeout)
        }
        _ => false,
    }
}

/// True for failures without any HTTP answer (not redirect problems).
fn is_transport(class: FailureClass) -> bool {
    !matches!(
        class,
        FailureClass::OffScopeRedirect
            | FailureClass::TooManyRedirects
            | FailureClass::RedirectLoop
    )
}

/// Which of two home-page failures explains an unreachable site best: the more specific class.
fn specificity(class: FailureClass) -> u8 {
    match class {
        FailureClass::Dns => 0,
        c if c.is_tls() => 1,
        FailureClass::OffScopeRedirect => 2,
        FailureClass::RedirectLoop => 3,
        FailureClass::TooManyRedirects => 4,
        FailureClass::Timeout => 5,
        FailureClass::Closed => 6,
        FailureClass::Refused => 7,
        _ => 8,
    }
}

/// Crawl one agency breadth first (see the module doc for the order, scope, counters and what is
/// deterministic). Never fails: an agency that does not answer has `unreachable` set.
pub async fn crawl_agency<F, Fut>(
    agency: &Agency,
    fetcher: &Fetcher,
    limits: &CrawlLimits,
    cancel: &CancellationToken,
    on_page: F,
) -> CrawlResult
where
    F: Fn(CrawledPage) -> Fut + Sync,
    Fut: Future<Output = Vec<Url>> + Send,
{
    let started = Instant::now();
    let mut tally = Tally::default();
    let crawl = Crawl {
        fetcher,
        cancel,
        on_page,
        handed: Mutex::new(HashSet::new()),
        fetches: Mutex::new(Vec::new()),
        charset_conflicts: Mutex::new(Vec::new()),
    };
    let mut result = CrawlResult {
        summary: CrawlSummary::default(),
        unreachable: None,
        https: None,
        cut_short: false,
        robots_unreachable: None,
        fetches: Vec::new(),
        sitemap_lastmods: Vec::new(),
        charset_conflicts: Vec::new(),
    };
    let finish = |mut result: CrawlResult, tally: Tally| {
        result.fetches =
            std::mem::take(&mut *crawl.fetches.lock().unwrap_or_else(PoisonError::into_inner));
        result.sitemap_lastmods = tally.lastmods;
        result.charset_conflicts = std::mem::take(
            &mut *crawl
                .charset_conflicts
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        result.charset_conflicts.sort();
        result.summary = tally.summary;
        result.summary.off_scope = tally.off_scope.len() as u64;
        result.summary.duration_ms =
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        result.cut_short |= tally.cut_short;
        result
    };

    let given = agency.host.trim_end_matches('.').to_ascii_lowercase();
    let (https_home, http_home) = match (
        Url::parse(&format!("https://{given}/")),
        Url::parse(&format!("http://{given}/")),
    ) {
        (Ok(a), Ok(b)) if !given.is_empty() => (a, b),
        _ => {
            result.unreachable = Some(StatusReason {
                code: FailureClass::Other.code().to_string(),
                message: format!(
                    "agency {}: `{}` is not a valid host name",
                    agency.id, agency.host
                ),
            });
            return finish(result, tally);
        }
    };
    // The host as the URL parser writes it (IDN as punycode).
    let host = https_home.host_str().unwrap_or_default().to_string();
    if limits.max_pages == 0 {
        tally.budget_skip(&https_home);
        return finish(result, tally);
    }

    // 1. The home page, https first.
    let Some(first) = crawl.fetch(&https_home).await else {
        result.cut_short = true;
        return finish(result, tally);
    };
    let home = match first {
        FetchOutcome::Failed(f) if is_transport(f.class) && f.class != FailureClass::Dns => {
            result.https = Some(Err(format!("{}: {}", f.class.code(), f.message)));
            match crawl.fetch(&http_home).await {
                None => {
                    result.cut_short = true;
                    return finish(result, tally);
                }
                // Both got no HTTP answer: report the more telling of the two classes, with
                // both messages.
                Some(FetchOutcome::Failed(g)) if is_transport(g.class) => {
                    let class = if specificity(f.class) <= specificity(g.class) {
                        f.class
                    } else {
                        g.class
                    };
                    FetchOutcome::Failed(crate::fetch::FetchFailure {
                        url: g.url,
                        class,
                        message: format!("https: {}; http: {}", f.message, g.message),
                        location: g.location,
                    })
                }
                Some(other) => other,
            }
        }
        FetchOutcome::Failed(f) if f.class == FailureClass::Dns => {
            result.https = Some(Err(format!("{}: {}", f.class.code(), f.message)));
            FetchOutcome::Failed(f)
        }
        answered => {
            result.https = Some(Ok(()));
            answered
        }
    };
    let site_scheme = match &home {
        FetchOutcome::Document(d) => d.final_url.scheme().to_string(),
        FetchOutcome::RobotsDisallowed(u) => u.scheme().to_string(),
        FetchOutcome::Failed(f) => f.url.scheme().to_string(),
    };
    let home_reason = home_reason(&home, fetcher);
    let home_url = match &home {
        FetchOutcome::Document(d) => d.requested_url.clone(),
        FetchOutcome::RobotsDisallowed(u) => u.clone(),
        FetchOutcome::Failed(f) => f.url.clone(),
    };
    let mut seen: HashSet<String> = HashSet::from([dedupe_key(&http_home)]);
    // URLs held back because robots.txt could not be read (5xx/429, timeout), with their
    // depth and what they got: asked again after a back-off (see `ROBOTS_RETRY_ROUNDS`).
    let mut deferred: Vec<(Url, u32, Record)> = Vec::new();
    let (record, mut links) = crawl.process(Some(home), 0).await;
    mark_final(&record, &mut seen);
    let home_answered = matches!(record, Record::Answered { .. });
    if held_back_by_robots(&record, fetcher) {
        deferred.push((home_url, 0, record));
    } else {
        tally.record(&record);
    }
    let mut fetched = 1usize;
    let mut site_home = http_home.clone();
    // http ↔ https between special schemes cannot fail.
    let _ = site_home.set_scheme(&site_scheme);

    // Sitemap URLs join the home page's links, after them (depth 1).
    if limits.use_sitemaps && home_answered && !cancel.is_cancelled() {
        let listed = crawl
            .sitemap_urls(&site_home, &host, limits, &mut tally)
            .await;
        links.extend(listed);
    }
    let mut traps = Traps::default();

    // 2. Breadth first, level by level. Each page's links with the page's depth.
    let mut links_by_page: Vec<(u32, Vec<Url>)> = vec![(0, links)];
    let mut robots_rounds = 0usize;
    loop {
        let mut next: Vec<(Url, u32)> = Vec::new();
        for (depth, link) in links_by_page
            .iter()
            .flat_map(|(depth, links)| links.iter().map(move |l| (*depth, l)))
        {
            if !matches!(link.scheme(), "http" | "https") {
                continue;
            }
            let mut url = normalise(link);
            if !in_scope(&url, &host) {
                tally.off_scope.insert(url.to_string());
                continue;
            }
            if url.port().is_none() && url.scheme() != site_scheme {
                // http ↔ https between special schemes cannot fail; keep the link if it did.
                let _ = url.set_scheme(&site_scheme);
            }
            if !seen.insert(dedupe_key(&url)) {
                continue;
            }
            if let Some(kind) = traps.check(&url, limits) {
                tally.trap(kind, &url);
                continue;
            }
            if depth + 1 > limits.max_depth {
                tally.budget_skip(&url);
            } else {
                next.push((url, depth + 1));
            }
        }
        let room = limits.max_pages.saturating_sub(fetched);
        if next.len() > room {
            for (url, _) in next.drain(room..) {
                tally.budget_skip(&url);
            }
        }
        fetched += next.len();
        if next.is_empty() && !deferred.is_empty() && robots_rounds < ROBOTS_RETRY_ROUNDS {
            // The frontier is empty: wait for robots.txt to be asked again, then retry what it
            // refused (these URLs were already counted against the page budget).
            robots_rounds += 1;
            let pause = fetcher.settings().robots_retry_interval;
            tokio::select! {
                biased;
                _ = cancel.cancelled() => {}
                _ = tokio::time::sleep(pause) => {}
            }
            if cancel.is_cancelled() {
                // Left in `deferred`: counted as refused below.
                tally.cut_short = true;
            } else {
                next = std::mem::take(&mut deferred)
                    .into_iter()
                    .map(|(url, depth, _)| (url, depth))
                    .collect();
            }
        }
        if next.is_empty() {
            break;
        }
        if cancel.is_cancelled() {
            tally.cut_short = true;
            break;
        }
        let requested: Vec<(Url, u32)> = next.clone();
        let results = crawl.level(next).await;
        links_by_page = Vec::with_capacity(results.len());
        // The first slot (in level order) of each final URL: links of a page reached through
        // several URLs of this level are credited to it, whichever response came first.
        let mut owner: HashMap<String, usize> = HashMap::new();
        let mut home_late = false;
        for ((index, slot), (asked, depth)) in results.into_iter().enumerate().zip(requested) {
            links_by_page.push((depth, Vec::new()));
            let Some((record, links)) = slot else {
                tally.cut_short = true;
                continue;
            };
            mark_final(&record, &mut seen);
            if held_back_by_robots(&record, fetcher) {
                deferred.push((asked, depth, record));
                continue;
            }
            tally.record(&record);
            home_late |= depth == 0 && matches!(record, Record::Answered { .. });
            let first = match &record {
                Record::Answered { url, .. } => *owner.entry(dedupe_key(url)).or_insert(index),
                _ => index,
            };
            if let Some((_, target)) = links_by_page.get_mut(first) {
                target.extend(links);
            }
        }
        // The home page answered only once robots.txt came back: its sitemaps now.
        if home_late && limits.use_sitemaps && !cancel.is_cancelled() {
            let listed = crawl
                .sitemap_urls(&site_home, &host, limits, &mut tally)
                .await;
            links_by_page.push((0, listed));
        }
        if tally.cut_short {
            break;
        }
    }

    // What robots.txt still refused (or timed out on) after the retries, as it was answered.
    for (_, _, record) in deferred {
        tally.record(&record);
    }
    if tally.summary.pages_fetched == 0 && !tally.cut_short {
        result.unreachable = Some(home_reason);
    }
    result.robots_unreachable = fetcher.robots_unreachable(&site_home);
    finish(result, tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn dedupe_key_ignores_scheme_fragment_default_port() {
        assert_eq!(dedupe_key(&url("https://A.go.id:443/x?y#z")), "a.go.id/x?y");
        assert_eq!(dedupe_key(&url("http://a.go.id:80/x?y")), "a.go.id/x?y");
        assert_eq!(dedupe_key(&url("http://a.go.id:8080/x")), "a.go.id:8080/x");
        assert_ne!(
            dedupe_key(&url("http://a.go.id/x/")),
            dedupe_key(&url("http://a.go.id/x"))
        );
        assert_eq!(dedupe_key(&url("http://a.go.id/a/../b")), "a.go.id/b");
    }

    #[test]
    fn session_ids_leave_the_dedupe_key() {
        let key = |s: &str| dedupe_key(&url(s));
        assert_eq!(
            key("http://a.go.id/berita;jsessionid=0A1B2C3D4E5F?id=3"),
            "a.go.id/berita?id=3"
        );
        assert_eq!(
            key("http://a.go.id/x?PHPSESSID=9f86d081884c7d659a2feaa0c55ad015&hal=2"),
            "a.go.id/x?hal=2"
        );
        assert_eq!(
            key("http://a.go.id/x?hal=2&sid=5d41402abc4b2a76b9719d911017c592"),
            "a.go.id/x?hal=2"
        );
        assert_eq!(
            key("http://a.go.id/x?ASPSESSIONIDQQGGQGPG=ABCDEF"),
            "a.go.id/x"
        );
        assert_eq!(
            key("http://a.go.id/x?usersess=a1b2c3d4e5f6a7b8c9"),
            "a.go.id/x"
        );
        // Short or word values of `sid`-like names are kept: they may be real parameters.
        assert_eq!(key("http://a.go.id/x?sid=3"), "a.go.id/x?sid=3");
        assert_eq!(
            key("http://a.go.id/x?kategori=pendidikan&id=12"),
            "a.go.id/x?kategori=pendidikan&id=12"
        );
        // The same page with and without a session id is one page.
        assert_eq!(
            key("https://a.go.id/p;JSESSIONID=abc123def456abc789?x=1"),
            key("http://a.go.id/p?x=1")
        );
        assert_eq!(
            strip_session_ids(&url("http://a.go.id/p;jsessionid=FF00?PHPSESSID=1&q=2")).as_str(),
            "http://a.go.id/p?q=2"
        );
    }

    #[test]
    fn idn_hosts_are_punycode_with_the_port_kept() {
        let u = url("http://dinas-pariwisata-bañjar.go.id:8080/profil");
        assert_eq!(u.host_str(), Some("xn--dinas-pariwisata-bajar-2ec.go.id"));
        assert_eq!(
            dedupe_key(&u),
            "xn--dinas-pariwisata-bajar-2ec.go.id:8080/profil"
        );
        assert!(in_scope(&u, "xn--dinas-pariwisata-bajar-2ec.go.id"));
        assert!(in_scope(&u, "Dinas-Pariwisata-Bañjar.go.id."));
        // Empty and default ports are dropped.
        assert_eq!(dedupe_key(&url("http://a.go.id:/x")), "a.go.id/x");
        assert_eq!(dedupe_key(&url("https://a.go.id:443/x")), "a.go.id/x");
    }

    #[test]
    fn percent_encoding_stays_and_no_slash_is_invented() {
        assert_eq!(dedupe_key(&url("http://a.go.id/a%2Fb")), "a.go.id/a%2Fb");
        assert_ne!(
            dedupe_key(&url("http://a.go.id/a%2Fb")),
            dedupe_key(&url("http://a.go.id/a/b"))
        );
        let base = url("http://a.go.id/profil");
        assert_eq!(
            normalise(&base.join("visi-misi#atas").unwrap()).as_str(),
            "http://a.go.id/visi-misi"
        );
        assert_eq!(
            normalise(&url("http://a.go.id/dokumen?f=a%2Fb%20c#x")).as_str(),
            "http://a.go.id/dokumen?f=a%2Fb%20c"
        );
        assert_eq!(dedupe_key(&url("http://a.go.id/berita")), "a.go.id/berita");
        assert_eq!(
            dedupe_key(&url("http://a.go.id/berita/")),
            "a.go.id/berita/"
        );
    }

    #[test]
    fn calendar_like_urls_and_their_shape() {
        for yes in [
            "http://a.go.id/agenda?bulan=5&tahun=2031",
            "http://a.go.id/kalender/2026/12/",
            "http://a.go.id/events/2026-12-01",
            "http://a.go.id/x?date=2026-12",
            "http://a.go.id/x?tgl=5",
        ] {
            assert!(is_calendar_like(&url(yes)), "{yes}");
        }
        for no in [
            "http://a.go.id/berita/12345",
            "http://a.go.id/x?id=2026",
            "http://a.go.id/x?hal=2",
            "http://a.go.id/3000/",
        ] {
            assert!(!is_calendar_like(&url(no)), "{no}");
        }
        assert_eq!(
            digit_shape("a.go.id/agenda?bulan=12&tahun=2031"),
            "a.go.id/agenda?bulan=#&tahun=#"
        );
    }

    #[test]
    fn trap_checks_in_order() {
        let limits = CrawlLimits {
            max_url_length: 40,
            max_query_variants: 2,
            max_segment_repeats: 2,
            max_calendar_variants: 2,
            ..CrawlLimits::default()
        };
        let mut traps = Traps::default();
        let mut check = |s: &str| traps.check(&url(s), &limits);
        assert_eq!(
            check("http://a.go.id/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            Some("url_too_long")
        );
        assert_eq!(
            check("http://a.go.id/x/y/x/y/x"),
            Some("repeating_segments")
        );
        assert_eq!(check("http://a.go.id/x/y/x/y"), None);
        assert_eq!(check("http://a.go.id/c?q=1"), None);
        assert_eq!(check("http://a.go.id/c?q=2"), None);
        assert_eq!(check("http://a.go.id/c?q=3"), Some("query_variants"));
        // A known variant is not a new one; another path has its own count.
        assert_eq!(check("http://a.go.id/c?q=1"), None);
        assert_eq!(check("http://a.go.id/d?q=3"), None);
        assert_eq!(check("http://a.go.id/k/2026/01"), None);
        assert_eq!(check("http://a.go.id/k/2026/02"), None);
        assert_eq!(check("http://a.go.id/k/2026/03"), Some("calendar"));
    }

    #[test]
    fn scope_is_the_exact_host() {
        let host = "sulbarprov.go.id";
        assert!(in_scope(&url("https://SULBARPROV.go.id/x"), host));
        assert!(in_scope(&url("http://sulbarprov.go.id:8080/"), host));
        assert!(!in_scope(&url("https://evilsulbarprov.go.id/"), host));
        assert!(!in_scope(&url("https://x.sulbarprov.go.id/"), host));
        assert!(!in_scope(&url("https://sulbarprov.go.id.evil.com/"), host));
        assert!(!in_scope(&url("ftp://sulbarprov.go.id/"), host));
    }

    #[test]
    fn failure_samples_are_the_five_smallest() {
        let mut tally = Tally::default();
        for n in [9, 3, 7, 1, 5, 8, 2, 3] {
            tally.fail("http_404", &url(&format!("http://a.go.id/{n}")));
        }
        let sample = &tally.summary.failures["http_404"];
        assert_eq!(sample.count, 8);
        let paths: Vec<&str> = sample
            .samples
            .iter()
            .map(|s| s.trim_start_matches("http://a.go.id"))
            .collect();
        assert_eq!(paths, ["/1", "/2", "/3", "/5", "/7"]);
    }
}
