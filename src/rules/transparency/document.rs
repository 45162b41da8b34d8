//! The `document` kind (research `transparency-rules.md` §2 "Strong" evidence, §4 freshness,
//! §5 "Documents"): a linked PDF / DOC(X) / XLS(X) / image, or a Google Drive / flipbook
//! link, for the item; its type verified by the crawl's `Content-Type` or magic bytes (not the
//! extension); its period (a year or a year range such as `2025-2029`) from the file name, the
//! link text or the title of the page it is on, within the rule's freshness period.
//!
//! Input → output: per page, `DocumentFact` (the `site_content` facts of the item plus the
//! document links that name it, or that sit in the main content of a page that names it);
//! per agency, `DocumentAcc` joins them with the crawl's non-page fetches ([`FetchSeen`],
//! fed through [`crate::rules::SiteAccumulator::add_fetch`]) and decides:
//!
//! - pass: a document for the item that the crawl did not find dead or of another type, with
//!   a fresh period (or any period when the rule has no `max_age_years`). A document link the
//!   crawl did not fetch counts on its extension or viewer host, and says so in its evidence.
//! - partial: only stale documents or documents without a year, or a page / menu entry for
//!   the item without a document.
//! - fail: nothing, or only dead links, non-documents and empty pages (evidence kept).

use super::{
    clip, ev, norm_url, strip_fragment, ContentAcc, ContentFact, EvLink, Matcher, PageSeen,
    SiteContentParams, SiteInputs, MAX_LINKS,
};
use crate::rules::text::{slug_tokens, tokens};
use crate::rules::{CheckContext, PageScan};
use crate::scorecard::{Evidence, RuleStatus};
use chrono::Datelike;
use std::collections::BTreeMap;

/// A fetch the crawl made that `check_page` did not see as an HTML page: a document, a link
/// that answered an HTTP error or nothing, or a one-hop check of an external link. Fed by the
/// audit through [`crate::rules::SiteAccumulator::add_fetch`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSeen {
    /// The URL as linked (requested), fragment ignored.
    pub url: String,
    /// HTTP status of the final answer; `None` when there was no HTTP answer (DNS, refused,
    /// timeout, TLS).
    pub status: Option<u16>,
    /// MIME essence of the `Content-Type` header, lower case (`application/pdf`), if given.
    pub content_type: Option<String>,
    /// The first bytes of the body (at most 16 are read), for magic numbers; empty when not
    /// kept.
    pub head: Vec<u8>,
}

/// The kind of a document, as rules name them in `doc_types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocType {
    /// PDF (`application/pdf`, `%PDF-`).
    Pdf,
    /// Word processing: DOC, DOCX, ODT, RTF.
    Doc,
    /// Spreadsheet or data table: XLS, XLSX, ODS, CSV.
    Sheet,
    /// Slides: PPT, PPTX, ODP.
    Slides,
    /// Image: JPEG, PNG, GIF, WebP (scanned charters, organisation charts).
    Image,
    /// An embedded viewer: Google Drive / Docs, anyflip, heyzine, fliphtml5, issuu, scribd.
    Viewer,
}

/// `doc_types` codes, in [`DocType`] order.
pub const DOC_TYPE_CODES: &[&str] = &["pdf", "doc", "sheet", "slides", "image", "viewer"];

/// Hosts of document viewers (research §5), matched as the host or a parent domain of it.
pub const VIEWER_HOSTS: &[&str] = &[
    "drive.google.com",
    "docs.google.com",
    "anyflip.com",
    "heyzine.com",
    "fliphtml5.com",
    "pubhtml5.com",
    "issuu.com",
    "scribd.com",
    "yumpu.com",
];

impl DocType {
    /// The `doc_types` code.
    pub fn code(self) -> &'static str {
        match self {
            DocType::Pdf => "pdf",
            DocType::Doc => "doc",
            DocType::Sheet => "sheet",
            DocType::Slides => "slides",
            DocType::Image => "image",
            DocType::Viewer => "viewer",
        }
    }

    fn parse(code: &str) -> Option<DocType> {
        Some(match code {
            "pdf" => DocType::Pdf,
            "doc" => DocType::Doc,
            "sheet" => DocType::Sheet,
            "slides" => DocType::Slides,
            "image" => DocType::Image,
            "viewer" => DocType::Viewer,
            _ => return None,
        })
    }

    /// From a file extension (lower case, no dot).
    pub fn of_extension(ext: &str) -> Option<DocType> {
        Some(match ext {
            "pdf" => DocType::Pdf,
            "doc" | "docx" | "odt" | "rtf" => DocType::Doc,
            "xls" | "xlsx" | "ods" | "csv" => DocType::Sheet,
            "ppt" | "pptx" | "odp" => DocType::Slides,
            "jpg" | "jpeg" | "png" | "gif" | "webp" => DocType::Image,
            _ => return None,
        })
    }

    /// From a MIME essence (`application/pdf`); `None` for HTML, octet streams, ZIP and
    /// unknown types (see [`DocType::sniff`]).
    pub fn of_mime(mime: &str) -> Option<DocType> {
        let m = mime.trim().to_ascii_lowercase();
        Some(match m.as_str() {
            "application/pdf" | "application/x-pdf" => DocType::Pdf,
            "application/msword"
            | "application/rtf"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.oasis.opendocument.text" => DocType::Doc,
            "application/vnd.ms-excel"
            | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.oasis.opendocument.spreadsheet"
            | "text/csv" => DocType::Sheet,
            "application/vnd.ms-powerpoint"
            | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            | "application/vnd.oasis.opendocument.presentation" => DocType::Slides,
            m if m.starts_with("image/") && m != "image/svg+xml" => DocType::Image,
            _ => return None,
        })
    }

    /// From magic bytes: `%PDF-`, PNG, JPEG, GIF, RIFF…WEBP; ZIP (OOXML, ODF) and OLE2
    /// (DOC, XLS) containers take their kind from the URL's extension (`Doc` when it has
    /// none). `None` for anything else (HTML included).
    pub fn sniff(head: &[u8], url: &str) -> Option<DocType> {
        if head.starts_with(b"%PDF-") {
            Some(DocType::Pdf)
        } else if head.starts_with(b"\x89PNG")
            || head.starts_with(b"\xFF\xD8\xFF")
            || head.starts_with(b"GIF8")
            || (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
        {
            Some(DocType::Image)
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0") {
            Some(DocType::of_container(url))
        } else {
            None
        }
    }

    /// An office document in a ZIP (OOXML, ODF) or OLE2 (DOC, XLS) container takes its kind
    /// from the URL's extension (`Doc` when it has none).
    pub fn of_container(url: &str) -> DocType {
        extension(url)
            .and_then(|e| DocType::of_extension(&e))
            .filter(|k| matches!(k, DocType::Doc | DocType::Sheet | DocType::Slides))
            .unwrap_or(DocType::Doc)
    }
}

/// Container types a sniffing client reports for office documents (by their magic bytes).
const CONTAINER_MIMES: [&str; 4] = [
    "application/zip",
    "application/x-zip-compressed",
    "application/x-ole-storage",
    "application/vnd.ms-office",
];

/// The lower-case extension of the last path segment of `url`, if any.
fn extension(url: &str) -> Option<String> {
    written_extension(url).map(str::to_ascii_lowercase)
}

/// The extension of the last path segment of `url` as written, if any.
fn written_extension(url: &str) -> Option<&str> {
    path_extension(url.split(['?', '#']).next().unwrap_or(url))
}

/// The extension of the last segment of `path` (a URL up to its query) as written: 2–5
/// bytes after the last `.` of a segment with a non-empty stem. Reads the last segment only.
fn path_extension(path: &str) -> Option<&str> {
    let last = path.rfind('/').map_or(path, |i| &path[i + 1..]);
    let dot = last.rfind('.')?;
    let (stem, ext) = (&last[..dot], &last[dot + 1..]);
    (!stem.is_empty() && (2..=5).contains(&ext.len())).then_some(ext)
}

/// Is `host` a document viewer ([`VIEWER_HOSTS`], or a subdomain of one)?
pub fn is_viewer_host(host: &str) -> bool {
    // The url crate gives http(s) hosts in lower case: a copy only for other input.
    let h = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(host.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(host)
    };
    VIEWER_HOSTS
        .iter()
        .any(|v| super::external::host_matches(&h, v))
}

/// What a URL looks like before any fetch: a viewer link or a document extension. Runs on
/// every anchor of the main content: no copy of the URL or its extension.
pub fn doc_type_of_url(url: &url::Url) -> Option<DocType> {
    if url.host_str().is_some_and(is_viewer_host) {
        return Some(DocType::Viewer);
    }
    // The serialisation up to the path is the URL before its first `?` or `#` (the url
    // crate escapes both in user info and path).
    let ext = path_extension(&url[..url::Position::AfterPath])?.as_bytes();
    let mut lower = [0u8; 5];
    let lower = lower.get_mut(..ext.len())?;
    lower.copy_from_slice(ext);
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower)
        .ok()
        .and_then(DocType::of_extension)
}

/// The document type of a link, using the crawl's fetch when there is one (a dead link or a
/// fetch that answered something else is `None`), else the URL.
pub(crate) fn doc_type_of_link(url: &str, fetch: Option<&FetchInfo>) -> Option<DocType> {
    let parsed = url::Url::parse(url).ok()?;
    let viewer = parsed.host_str().is_some_and(is_viewer_host);
    match fetch {
        Some(f) if f.dead().is_some() => None,
        Some(f) => f.doc.or(viewer.then_some(DocType::Viewer)),
        None => doc_type_of_url(&parsed),
    }
}

/// A fetch reduced to what the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FetchInfo {
    pub status: Option<u16>,
    /// The verified document type (by `Content-Type`, then magic bytes).
    pub doc: Option<DocType>,
    pub content_type: Option<String>,
}

impl FetchInfo {
    pub fn of(f: &FetchSeen) -> FetchInfo {
        let mime = f.content_type.as_deref().map(str::to_ascii_lowercase);
        let container = mime
            .as_deref()
            .is_some_and(|m| CONTAINER_MIMES.contains(&m));
        let doc = mime
            .as_deref()
            .and_then(DocType::of_mime)
            .or_else(|| container.then(|| DocType::of_container(&f.url)))
            .or_else(|| DocType::sniff(&f.head, &f.url));
        FetchInfo {
            status: f.status,
            doc,
            content_type: f.content_type.clone(),
        }
    }

    /// Why the target is dead: `HTTP 404`, `no answer`; `None` for a 2xx/3xx answer.
    pub fn dead(&self) -> Option<String> {
        match self.status {
            None => Some("no answer".to_string()),
            Some(s) if s >= 400 => Some(format!("HTTP {s}")),
            Some(_) => None,
        }
    }
}

/// A document's period: first and last year (equal for one year).
pub type Period = (i32, i32);

fn year_of(token: &str) -> Option<i32> {
    if token.len() != 4 {
        return None;
    }
    let y: i32 = token.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// The period named in words: the first pair of adjacent years `a b` with `a < b ≤ a + 10`
/// (`2025-2029`, `2021 – 2026`, `2021/2026`), else the latest single year. `None` without a
/// year.
pub fn period_in_words(words: &[String]) -> Option<Period> {
    let years: Vec<(usize, i32)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| year_of(w).map(|y| (i, y)))
        .collect();
    for pair in years.windows(2) {
        let ((i, a), (j, b)) = (pair[0], pair[1]);
        if j == i + 1 && a < b && b <= a + 10 {
            return Some((a, b));
        }
    }
    years.iter().map(|&(_, y)| y).max().map(|y| (y, y))
}

/// The period of a document link: from its file name, then its link text, then its
/// context (the title of the page that names the item), then a WordPress upload folder
/// (`/wp-content/uploads/2025/03/`). Returns the period and where it was found.
pub fn period_of_link(url: &str, text: &str, context: &str) -> Option<(Period, &'static str)> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let file = path.rsplit('/').next().unwrap_or("");
    let file = file.replace("%20", " ");
    if let Some(p) = period_in_words(&slug_tokens(&file)) {
        return Some((p, "file name"));
    }
    if let Some(p) = period_in_words(&tokens(text)) {
        return Some((p, "link text"));
    }
    if let Some(p) = period_in_words(&tokens(context)) {
        return Some((p, "page title"));
    }
    let segs: Vec<&str> = path.split('/').collect();
    segs.windows(2)
        .find(|w| w[0] == "uploads" && year_of(w[1]).is_some())
        .and_then(|w| year_of(w[1]))
        .map(|y| ((y, y), "upload folder"))
}

/// Params of `document`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocumentParams {
    /// As for `site_content`.
    pub synonyms: Vec<String>,
    /// As for `site_content`; also matched against document file names.
    #[serde(default)]
    pub slugs: Vec<String>,
    /// As for `site_content`.
    #[serde(default = "super::default_markers")]
    pub empty_markers: Vec<String>,
    /// As for `site_content`.
    #[serde(default = "super::default_extra")]
    pub max_extra_words: usize,
    /// As for `site_content`.
    #[serde(default = "super::default_min_chars")]
    pub min_chars: usize,
    /// Accepted document types ([`DOC_TYPE_CODES`]); default: all.
    #[serde(default = "default_types")]
    pub doc_types: Vec<String>,
    /// Freshness (research §4): the period's last year must be at least Y − this (Y: the
    /// crawl's year). 0: the current year (DPA, Renstra covering Y); 1: last year (LKjIP,
    /// financial statements). Absent: any period, or none, passes.
    #[serde(default)]
    pub max_age_years: Option<u32>,
    /// `MM-DD`: until this day of Y one more year of age is accepted (LKjIP Y−2 before the end
    /// of April, DPA Y−1 before the end of February).
    #[serde(default)]
    pub grace_until: Option<String>,
    /// A dedicated page with substance passes too (research §2 "good" evidence: a DIP table,
    /// a list of standards); without it such a page is partial ("no document linked").
    #[serde(default)]
    pub pages_pass: bool,
    /// Hosts of a service that holds the documents (`elhkpn.kpk.go.id`): a link to one passes
    /// as a current document. Patterns as for `external_service` (`{province}` allowed).
    #[serde(default)]
    pub service_hosts: Vec<String>,
}

fn default_types() -> Vec<String> {
    DOC_TYPE_CODES.iter().map(|s| s.to_string()).collect()
}

/// Compiled `document` check.
#[derive(Debug, Clone)]
pub(crate) struct DocumentCheck {
    pub matcher: Matcher,
    pub types: Vec<DocType>,
    pub max_age_years: Option<u32>,
    /// (month, day) of `grace_until`.
    pub grace: Option<(u32, u32)>,
    pub pages_pass: bool,
    /// Service hosts, checked like `external_service` hosts.
    pub service: Option<super::ExternalMatcher>,
}

impl DocumentParams {
    /// Validate and compile.
    pub fn compiled(&self) -> Result<DocumentCheck, String> {
        let matcher = SiteContentParams {
            synonyms: self.synonyms.clone(),
            slugs: self.slugs.clone(),
            empty_markers: self.empty_markers.clone(),
            max_extra_words: self.max_extra_words,
            min_chars: self.min_chars,
        }
        .matcher()?;
        let mut types = Vec::new();
        for t in &self.doc_types {
            match DocType::parse(t) {
                Some(k) => types.push(k),
                None => {
                    return Err(format!(
                        "doc_types: unknown '{t}' (expected {})",
                        DOC_TYPE_CODES.join(", ")
                    ))
                }
            }
        }
        if types.is_empty() {
            return Err("doc_types must not be empty".to_string());
        }
        let grace = match &self.grace_until {
            None => None,
            Some(g) => {
                let parsed = g.split_once('-').and_then(|(m, d)| {
                    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
                    chrono::NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
                });
                match parsed {
                    Some(md) => Some(md),
                    None => return Err(format!("grace_until '{g}' is not MM-DD")),
                }
            }
        };
        if grace.is_some() && self.max_age_years.is_none() {
            return Err("grace_until needs max_age_years".to_string());
        }
        let service = if self.service_hosts.is_empty() {
            None
        } else {
            Some(
                super::ExternalParams {
                    hosts: self.service_hosts.clone(),
                    synonyms: Vec::new(),
                    accounts: false,
                    max_extra_words: self.max_extra_words,
                }
                .compiled()?,
            )
        };
        Ok(DocumentCheck {
            matcher,
            types,
            max_age_years: self.max_age_years,
            grace,
            pages_pass: self.pages_pass,
            service,
        })
    }
}

/// A document link kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocLink {
    pub link: EvLink,
    /// The period and where it was found.
    pub period: Option<(Period, &'static str)>,
    /// A link to a service host (`service_hosts`), not to a file.
    pub service: bool,
}

/// Facts of one page for `document`.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocumentFact {
    pub content: ContentFact,
    pub docs: Vec<DocLink>,
}

impl DocumentCheck {
    /// The page's facts: the item's entries, the matching document links, and the document
    /// links in the main content of a page that names the item.
    pub fn collect(&self, scan: &PageScan<'_>, ctx: &CheckContext) -> DocumentFact {
        let content = self.matcher.collect(scan, ctx);
        let context = content
            .page_match
            .as_ref()
            .or(content.heading.as_ref())
            .map(|_| scan.title.clone());
        let mut docs: Vec<DocLink> = Vec::new();
        let mut push = |link: EvLink, ctx_title: &str, service: bool| {
            if docs.len() < MAX_LINKS && !docs.iter().any(|d| d.link.url == link.url) {
                let period = period_of_link(&link.url, &link.text, ctx_title);
                docs.push(DocLink {
                    link,
                    period,
                    service,
                });
            }
        };
        if let Some(service) = &self.service {
            for l in service.collect(scan, ctx).links {
                push(l, "", true);
            }
        }
        for l in &content.links {
            if url::Url::parse(&l.url)
                .ok()
                .and_then(|u| doc_type_of_url(&u))
                .is_some()
            {
                push(l.clone(), "", false);
            }
        }
        if let Some(title) = &context {
            for &i in &scan.main_docs {
                if let Some(a) = scan.anchors.get(i) {
                    let link = EvLink {
                        url: strip_fragment(&a.url),
                        text: clip(&a.text, 120),
                        label: "document on the item's page".to_string(),
                    };
                    push(link, title, false);
                }
            }
        }
        DocumentFact { content, docs }
    }

    /// Is `period` fresh at `now` (research §4)?
    fn fresh(&self, period: Period, ctx: &CheckContext) -> bool {
        let Some(max_age) = self.max_age_years else {
            return true;
        };
        let now = ctx.now.date_naive();
        let y = now.year();
        let mut oldest_end = y - max_age as i32;
        if let Some((m, d)) = self.grace {
            if (now.month(), now.day()) <= (m, d) {
                oldest_end -= 1;
            }
        }
        period.1 >= oldest_end && period.0 <= y + 1
    }

    fn needs(&self, ctx: &CheckContext) -> String {
        match self.max_age_years {
            None => "any period".to_string(),
            Some(a) => {
                let y = chrono::Datelike::year(&ctx.now.date_naive()) - a as i32;
                format!("a period ending {y} or later")
            }
        }
    }
}

/// Agency-wide fold for `document`.
#[derive(Debug, Default)]
pub(crate) struct DocumentAcc {
    content: ContentAcc,
    /// Document links by target ([`norm_url`]), first seen kept, with the page they were on.
    docs: BTreeMap<String, (DocLink, String)>,
}

impl DocumentAcc {
    pub fn add(&mut self, page: &PageSeen, fact: DocumentFact) {
        self.content.add(page, fact.content);
        for d in fact.docs {
            let key = norm_url(&d.link.url);
            super::keep_first(&mut self.docs, key, d, &page.url, MAX_LINKS * 5);
        }
    }

    /// Decide (see the module doc).
    pub fn finish(
        self,
        what: &str,
        d: &DocumentCheck,
        inputs: &SiteInputs<'_>,
    ) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let ctx = inputs.ctx;
        let mut strong = Vec::new();
        let mut weak = Vec::new();
        let mut nil = Vec::new();
        for (key, (doc, from)) in &self.docs {
            let snippet = Some(clip(&format!("{} → {}", doc.link.text, doc.link.url), 200));
            let fetch = inputs.fetches.get(key);
            if doc.service && inputs.dead(key).is_none() {
                strong.push(ev(
                    from,
                    snippet,
                    format!(
                        "{what}: link to the service {} (present; not followed)",
                        doc.link.label
                    ),
                ));
                continue;
            }
            if let Some(dead) = inputs.dead(key) {
                nil.push(ev(
                    from,
                    snippet,
                    format!("{what}: document link is dead ({dead})"),
                ));
                continue;
            }
            let Some(kind) = doc_type_of_link(&doc.link.url, fetch) else {
                let got = fetch
                    .and_then(|f| f.content_type.clone())
                    .unwrap_or_else(|| "an HTML page".to_string());
                nil.push(ev(
                    from,
                    snippet,
                    format!("{what}: link looks like a document but answers {got}"),
                ));
                continue;
            };
            if inputs.seen.contains_key(key) && kind != DocType::Viewer {
                nil.push(ev(
                    from,
                    snippet,
                    format!("{what}: link looks like a document but answers an HTML page"),
                ));
                continue;
            }
            let checked = match fetch {
                Some(_) => "type verified by the crawl",
                None => "type from the link; not fetched",
            };
            if !d.types.contains(&kind) {
                weak.push(ev(
                    from,
                    snippet,
                    format!(
                        "{what}: {} document, not an accepted type ({checked})",
                        kind.code()
                    ),
                ));
                continue;
            }
            match doc.period {
                Some((p, src)) if d.fresh(p, ctx) => strong.push(ev(
                    from,
                    snippet,
                    format!(
                        "{what}: {} document for {} (year from {src}; {checked})",
                        kind.code(),
                        show(p)
                    ),
                )),
                None if d.max_age_years.is_none() => strong.push(ev(
                    from,
                    snippet,
                    format!("{what}: {} document ({checked})", kind.code()),
                )),
                Some((p, src)) => weak.push(ev(
                    from,
                    snippet,
                    format!(
                        "{what}: {} document for {} is stale: needs {} (year from {src})",
                        kind.code(),
                        show(p),
                        d.needs(ctx)
                    ),
                )),
                None => weak.push(ev(
                    from,
                    snippet,
                    format!(
                        "{what}: {} document without a year in its name, text or page title; needs {}",
                        kind.code(),
                        d.needs(ctx)
                    ),
                )),
            }
        }
        if !strong.is_empty() {
            return (
                RuleStatus::Pass,
                Some(format!("{what}: document found ({})", d.needs(ctx))),
                strong,
            );
        }
        let (status, _, mut content) = self.content.finish(what, inputs, d.matcher.min_chars);
        if d.pages_pass && status == RuleStatus::Pass {
            content.append(&mut weak);
            return (
                RuleStatus::Pass,
                Some(format!("{what}: page with content found")),
                content,
            );
        }
        if !weak.is_empty() {
            weak.append(&mut content);
            weak.append(&mut nil);
            return (
                RuleStatus::Partial,
                Some(format!(
                    "{what}: documents found, none current or of an accepted type ({})",
                    d.needs(ctx)
                )),
                weak,
            );
        }
        match status {
            RuleStatus::Pass | RuleStatus::Partial => {
                content.append(&mut nil);
                (
                    RuleStatus::Partial,
                    Some(format!(
                        "{what}: a page or menu entry for the item, but no document linked"
                    )),
                    content,
                )
            }
            _ if !nil.is_empty() || !content.is_empty() => {
                nil.append(&mut content);
                (
                    RuleStatus::Fail,
                    Some(format!(
                        "{what}: only dead or empty targets: no document could be opened"
                    )),
                    nil,
                )
            }
            _ => (
                RuleStatus::Fail,
                Some(format!(
                    "{what}: no document, page or link for the item on {} crawled page(s)",
                    inputs.seen.len()
                )),
                Vec::new(),
            ),
        }
    }
}

fn show(p: Period) -> String {
    if p.0 == p.1 {
        p.0.to_string()
    } else {
        format!("{}-{}", p.0, p.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        tokens(s)
    }

    /// `doc_type_of_url` types every URL as the former version (a lower-cased copy of the
    /// host and of the extension) did.
    #[test]
    fn doc_types_of_urls_without_copies() {
        let former = |url: &url::Url| {
            let host = url.host_str().map(str::to_ascii_lowercase);
            if host.is_some_and(|h| {
                VIEWER_HOSTS
                    .iter()
                    .any(|v| super::super::external::host_matches(&h, v))
            }) {
                return Some(DocType::Viewer);
            }
            let s = url.as_str();
            let path = s.split(['?', '#']).next().unwrap_or(s);
            let last = path.rsplit('/').next().unwrap_or("");
            let (stem, ext) = last.rsplit_once('.')?;
            (!stem.is_empty() && (2..=5).contains(&ext.len()))
                .then(|| ext.to_ascii_lowercase())
                .and_then(|e| DocType::of_extension(&e))
        };
        const PARTS: &[&str] = &[
            "https://",
            "http://",
            "mailto:",
            "drive.google.com",
            "Docs.Google.com",
            "a.go.id",
            "/",
            "x",
            ".",
            ".PDF",
            ".pdf",
            ".docx",
            ".Xlsx",
            ".jpeg",
            ".html",
            ".toolong",
            "?",
            "#",
            "q=1.pdf",
            "é",
            ".pdé",
            "%20",
            "file",
        ];
        let mut next = crate::rules::text::test_rng(0x00D0_C50F_1234_5678);
        let mut typed = 0;
        for _ in 0..5000 {
            let s: String = (0..1 + next(8)).map(|_| PARTS[next(PARTS.len())]).collect();
            let Ok(url) = url::Url::parse(&s) else {
                continue;
            };
            assert_eq!(doc_type_of_url(&url), former(&url), "{url}");
            typed += usize::from(former(&url).is_some());
        }
        assert!(typed > 100, "{typed} typed URLs");
    }

    #[test]
    fn periods_from_words() {
        assert_eq!(period_in_words(&w("Renstra 2025-2029")), Some((2025, 2029)));
        assert_eq!(
            period_in_words(&w("Renstra 2021 – 2026")),
            Some((2021, 2026))
        );
        assert_eq!(period_in_words(&w("LKjIP Tahun 2024")), Some((2024, 2024)));
        assert_eq!(
            period_in_words(&w("SK 2019 dan DPA 2025")),
            Some((2025, 2025))
        );
        assert_eq!(
            period_in_words(&w("Nomor 12 Tahun 2019 tentang")),
            Some((2019, 2019))
        );
        assert_eq!(period_in_words(&w("tanpa tahun 123")), None);
        // 2030 − 2019 > 10: two unrelated years, the latest wins.
        assert_eq!(period_in_words(&w("2019 2030")), Some((2030, 2030)));
    }

    #[test]
    fn period_sources_in_order() {
        assert_eq!(
            period_of_link("https://x.go.id/dok/lkjip2024.pdf", "LKjIP 2023", ""),
            Some(((2024, 2024), "file name"))
        );
        assert_eq!(
            period_of_link("https://x.go.id/dok/lkjip.pdf", "Unduh LKjIP 2023", ""),
            Some(((2023, 2023), "link text"))
        );
        assert_eq!(
            period_of_link(
                "https://x.go.id/dok/a.pdf",
                "Unduh",
                "DPA Tahun Anggaran 2026"
            ),
            Some(((2026, 2026), "page title"))
        );
        assert_eq!(
            period_of_link(
                "https://x.go.id/wp-content/uploads/2025/03/a.pdf",
                "Unduh",
                ""
            ),
            Some(((2025, 2025), "upload folder"))
        );
        assert_eq!(
            period_of_link("https://x.go.id/Renstra%202021-2026.pdf", "", ""),
            Some(((2021, 2026), "file name"))
        );
    }

    #[test]
    fn types_by_mime_magic_extension_and_viewer() {
        assert_eq!(DocType::of_mime("application/pdf"), Some(DocType::Pdf));
        assert_eq!(
            DocType::of_mime("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Some(DocType::Sheet)
        );
        assert_eq!(DocType::of_mime("image/jpeg"), Some(DocType::Image));
        assert_eq!(DocType::of_mime("text/html"), None);
        // A client that sniffs magic bytes reports an XLSX as ZIP: the URL says which office
        // document it is.
        let xlsx = FetchSeen {
            url: "https://a.go.id/dokumen/rka-2026.xlsx".into(),
            status: Some(200),
            content_type: Some("application/zip".into()),
            head: Vec::new(),
        };
        assert_eq!(FetchInfo::of(&xlsx).doc, Some(DocType::Sheet));
        assert_eq!(DocType::sniff(b"%PDF-1.7\n", "x.bin"), Some(DocType::Pdf));
        assert_eq!(
            DocType::sniff(b"PK\x03\x04....", "https://a/b/data.xlsx"),
            Some(DocType::Sheet)
        );
        assert_eq!(DocType::sniff(b"\xD0\xCF\x11\xE0", "a"), Some(DocType::Doc));
        assert_eq!(DocType::sniff(b"<!DOCTYPE html>", "a.pdf"), None);
        let f = FetchInfo::of(&FetchSeen {
            url: "https://a.go.id/x.pdf".into(),
            status: Some(200),
            content_type: Some("application/octet-stream".into()),
            head: b"%PDF-1.4".to_vec(),
        });
        assert_eq!(f.doc, Some(DocType::Pdf));
        assert_eq!(f.dead(), None);
        let u = |s: &str| url::Url::parse(s).expect("url");
        assert_eq!(
            doc_type_of_url(&u("https://drive.google.com/file/d/1/view")),
            Some(DocType::Viewer)
        );
        assert_eq!(
            doc_type_of_url(&u("https://online.anyflip.com/ab/cd/")),
            Some(DocType::Viewer)
        );
        assert_eq!(
            doc_type_of_url(&u("https://a.go.id/SK.JPG")),
            Some(DocType::Image)
        );
        assert_eq!(doc_type_of_url(&u("https://a.go.id/page.html")), None);
        assert!(!is_viewer_host("notscribd.com"));
    }

    #[test]
    fn freshness_with_grace_periods() {
        let ctx = |date: &str| CheckContext {
            now: chrono::DateTime::parse_from_rfc3339(&format!("{date}T10:00:00+07:00"))
                .expect("time"),
            agency_host: "a.go.id".to_string(),
            agency_types: None,
        };
        let check = |max_age, grace: Option<&str>| {
            DocumentParams {
                synonyms: vec!["LKjIP".into()],
                slugs: vec![],
                empty_markers: vec![],
                max_extra_words: 4,
                min_chars: 200,
                doc_types: default_types(),
                max_age_years: Some(max_age),
                grace_until: grace.map(str::to_string),
                pages_pass: false,
                service_hosts: vec![],
            }
            .compiled()
            .expect("compiles")
        };
        // LKjIP: Y-1, and Y-2 until 30 April.
        let lkjip = check(1, Some("04-30"));
        assert!(lkjip.fresh((2024, 2024), &ctx("2026-04-30")));
        assert!(!lkjip.fresh((2024, 2024), &ctx("2026-05-01")));
        assert!(lkjip.fresh((2025, 2025), &ctx("2026-12-01")));
        // Renstra: the period covers Y; a plan that starts after Y+1 is not current.
        let renstra = check(0, None);
        assert!(renstra.fresh((2025, 2029), &ctx("2026-12-01")));
        assert!(!renstra.fresh((2019, 2024), &ctx("2026-12-01")));
        assert!(!renstra.fresh((2030, 2034), &ctx("2026-12-01")));
        assert!(renstra.fresh((2027, 2027), &ctx("2026-12-01")));
    }

    #[test]
    fn params_validate() {
        let base = || DocumentParams {
            synonyms: vec!["DPA".into()],
            slugs: vec![],
            empty_markers: vec![],
            max_extra_words: 4,
            min_chars: 200,
            doc_types: default_types(),
            max_age_years: Some(0),
            grace_until: Some("02-28".into()),
            pages_pass: false,
            service_hosts: vec![],
        };
        assert_eq!(base().compiled().map(|c| c.grace), Ok(Some((2, 28))));
        let mut bad = base();
        bad.grace_until = Some("02-30".into());
        assert_eq!(
            bad.compiled().map(|_| ()),
            Err("grace_until '02-30' is not MM-DD".to_string())
        );
        let mut bad = base();
        bad.doc_types = vec!["zip".into()];
        assert!(bad.compiled().is_err());
        let mut bad = base();
        bad.max_age_years = None;
        assert_eq!(
            bad.compiled().map(|_| ()),
            Err("grace_until needs max_age_years".to_string())
        );
    }
}
