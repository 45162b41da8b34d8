//! Discovery: the provincial domain → the list of [`Agency`] (OPD sites) to audit.
//!
//! Input: a provincial domain such as `sulbarprov.go.id`, a [`Fetcher`]
//! and an optional seed list (`agencies.toml`); with [`discover_with`] also
//! [`DiscoverOptions`] (DNS guesses, a certificate-transparency export, the nomenclature).
//! Output: [`Discovery`], the agencies sorted by id, each with the [`Provenance`] of how it was
//! found, plus the application hosts (listed, not audited) and the OPD sites found off the
//! provincial domain (a finding).
//!
//! INTERFACE CONTRACT (used by `audit.rs`/`main.rs`):
//! `discover(domain, &Fetcher, &[SeedAgency], seed_file: Option<&Path>).await
//!   -> Result<Discovery, DiscoverError>` (portal, sitemaps and seeds only: no DNS, no CT),
//! `discover_with(domain, &Fetcher, &[SeedAgency], seed_file, &DiscoverOptions).await
//!   -> Result<Discovery, DiscoverError>` (all sources),
//! `load_seed_list(path) -> Result<Vec<SeedAgency>, _>`, `load_ct_export(path) -> Result<CtExport, _>`,
//! `Nomenclature::builtin()` / `Nomenclature::load(path)` / `Nomenclature::agency_types(&Agency, domain)`,
//! `province_coverage(&Discovery, &Nomenclature) -> ProvinceCoverage` (written as
//! `province.json`), and the pure helpers [`normalize_domain`], [`agency_hosts_in_links`],
//! [`hosts_in_sitemap`], [`sitemaps_in_robots`], [`agency_id`], [`assign_ids`].
//!
//! # How the portal is read
//! 1. The portal's home page: `https://<domain>/`, else `https://www.<domain>/`, else the same
//!    over `http://` (the first that answers 2xx HTML). Both `<domain>` and `www.<domain>` count as
//!    the portal.
//! 2. Breadth-first over links that stay on the portal, at most [`PORTAL_MAX_PAGES`] pages and
//!    link depth [`PORTAL_MAX_DEPTH`] (home = 0), because OPD lists usually sit one click deep
//!    ("Perangkat Daerah", "SKPD", "Link OPD"). Every link to a proper subdomain of the domain is
//!    an agency candidate unless it is infrastructure ([`is_infrastructure_label`]). A link to a
//!    host outside the domain whose text names a unit of the nomenclature ("Bappeda Sulbar" →
//!    `bappedasulbar.go.id`) is an [`OffDomainSite`] (research §6: "expect some OPDs to have … a
//!    site on a separate go.id domain"); link texts naming a kabupaten, kota or ministry are not.
//! 3. `/sitemap.xml` and every `Sitemap:` line of the portal's `robots.txt` (RFC 9309 §2.3.5 lets
//!    robots.txt name sitemaps), following sitemap indexes, at most [`MAX_SITEMAPS`] files, only
//!    on the portal's hosts (a sitemap elsewhere is a spam signal, not a source).
//! 4. With [`DiscoverOptions::dns`]: `<label>.<domain>` for every subdomain token and application
//!    label of the nomenclature ([`Nomenclature::dns_labels`]), after a wildcard check
//!    (see [`dns`]). With [`DiscoverOptions::ct`]: every name of the export under the domain
//!    (a leading `www.` of `www.<opd>.<domain>` folded away).
//! 5. Seeds from `agencies.toml` are merged in (they may lie outside the domain).
//! 6. Hosts whose leftmost naming label is an application label of the nomenclature (`ppid`,
//!    `jdih`, `lpse`, `satudata`, `simpeg`, `sipd`, …) become [`Application`]s, not agencies,
//!    unless the seed list names them.
//! 7. Names: the seed's name, else the longest portal link text, else the `<title>` of the
//!    agency's home page, else the nomenclature's name of its subdomain token, else the host.
//!    A host found only by DNS or CT whose home page redirects to the portal or carries the
//!    portal's `<title>` (a shared server's default virtual host) is dropped with a problem line:
//!    the name exists, the OPD site does not.

use crate::fetch::{FetchOutcome, FetchedDocument, Fetcher};
use crate::page::{Link, Page};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use url::Url;

mod coverage;
mod ct;
pub mod dns;
mod nomenclature;

pub use coverage::{
    province_coverage, CoverageSite, CoverageStatus, ProvinceCoverage, UnitCoverage,
};
pub use ct::{load_ct_export, parse_ct_export, CtExport};
pub use dns::{HickoryResolver, LookupError, MapResolver, NameResolver};
pub use nomenclature::{
    label_key, name_words, ApplicationKind, Nomenclature, Unit, UnitMatch, BUILTIN_NOMENCLATURE,
    TYPE_CODES,
};

/// Pages of the portal read at most while looking for OPD links.
pub const PORTAL_MAX_PAGES: usize = 40;
/// Link depth from the portal's home page (home = 0) read at most.
pub const PORTAL_MAX_DEPTH: u32 = 2;
/// Sitemap files (including children of sitemap indexes) read at most.
pub const MAX_SITEMAPS: usize = 10;

/// Leftmost labels of hosts that are infrastructure, not OPD sites (research file
/// `transparency-rules.md` §6, "Hosts to skip as non-OPD infrastructure"). Application hosts
/// (staff systems, province-wide services) are not skipped but listed: see
/// [`Nomenclature::application_kind`].
const INFRASTRUCTURE_LABELS: &[&str] = &[
    "mail",
    "webmail",
    "smtp",
    "imap",
    "pop",
    "pop3",
    "autodiscover",
    "autoconfig",
    "cpanel",
    "whm",
    "webdisk",
    "vpn",
    "sso",
    "auth",
    "login",
    "api",
    "cdn",
    "static",
    "assets",
    "img",
    "files",
    "ftp",
    "dev",
    "staging",
    "stage",
    "test",
    "testing",
    "demo",
    "beta",
    "old",
    "lama",
    "backup",
    "monitor",
    "grafana",
    "git",
    "jira",
    "proxy",
    "gateway",
];

/// How an agency host came to pantau's attention. Serialised in snake_case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "via")]
pub enum Provenance {
    /// Linked from a page of the provincial portal (`page` is that page's URL).
    PortalLink { page: String },
    /// Listed in the portal's sitemap (`sitemap` is the sitemap's URL).
    Sitemap { sitemap: String },
    /// Listed in the user's seed list (`--agencies FILE`).
    SeedList { file: String },
    /// A name built from a nomenclature token that resolved in DNS ([`DiscoverOptions::dns`]).
    Dns,
    /// Named in a certificate-transparency export (`--ct FILE`; `file` as given).
    CertificateTransparency { file: String },
}

/// One OPD site: a host under (or named for) the provincial domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Stable id: the leftmost subdomain label (`diskominfo` for `diskominfo.sulbarprov.go.id`);
    /// made unique within a run by appending the next label when two hosts share it.
    pub id: String,
    /// Lower-case host name, no port.
    pub host: String,
    /// Display name: the seed list's name, else the portal's link text, else the site's `<title>`,
    /// else the host.
    pub name: String,
    /// Every way the host was found, sorted and deduplicated.
    pub provenance: Vec<Provenance>,
    /// True when the user named the host (seed list): such an agency failing is loud.
    pub explicit: bool,
    /// Other host names of the same agency (seed list `aliases`), lower case, sorted. The crawler
    /// may treat them as in scope (a redirect from an alias is not off-site).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// One entry of the seed list (`agencies.toml`, `[[agency]]` tables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedAgency {
    /// Lower-case host name, validated.
    pub host: String,
    /// The name the user gave, trimmed; wins over every discovered name.
    pub name: Option<String>,
    /// Other host names of the same agency, lower case. A discovered alias is merged into this
    /// agency instead of becoming its own.
    pub aliases: Vec<String>,
}

/// A host under the domain that is an application, not an OPD site (research §6): listed in the
/// discovery and never audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    /// Lower-case host name.
    pub host: String,
    /// Staff system or province-wide public service.
    pub kind: ApplicationKind,
    /// The naming label that made it an application (`jdih`, `simpeg`).
    pub label: String,
    /// The longest portal link text for it, when linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Every way the host was found, sorted and deduplicated.
    pub provenance: Vec<Provenance>,
}

/// Where an off-domain OPD site lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffDomainKind {
    /// Another `go.id` name (`bappedasulbar.go.id`): government, but outside the province's
    /// domain and its management.
    OtherGoId,
    /// Not a government domain (blogspot, `.com`, `.id`, …), which PP 71/2019 and Permenkominfo
    /// 5/2015 reserve `go.id` for.
    NonGovernment,
}

/// An OPD whose site the portal links outside the provincial domain: a transparency finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffDomainSite {
    /// The portal's link text naming the OPD (the longest, when several).
    pub name: String,
    /// The linked URL (the first in sort order, when several).
    pub url: String,
    /// Lower-case host of `url`.
    pub host: String,
    /// Government domain or not.
    pub kind: OffDomainKind,
    /// Ids of the nomenclature units the link text names, in nomenclature order.
    pub units: Vec<String>,
    /// The portal pages linking it, sorted.
    pub pages: Vec<String>,
}

/// What discovery found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discovery {
    /// The normalised provincial domain.
    pub domain: String,
    /// HTML pages of the portal fetched (sitemaps and robots.txt not counted).
    pub portal_pages_fetched: usize,
    /// The agencies, sorted by id, ids unique.
    pub agencies: Vec<Agency>,
    /// Application hosts (listed, not audited), sorted by host.
    pub applications: Vec<Application>,
    /// OPD sites linked from the portal outside the provincial domain, sorted by host.
    pub off_domain: Vec<OffDomainSite>,
    /// Names looked up in DNS discovery (0 when it did not run).
    pub dns_names_tried: usize,
    /// Non-fatal problems, one sentence each, in the order met (portal unreachable, a sitemap
    /// that failed, …).
    pub problems: Vec<String>,
}

/// The sources and tables of [`discover_with`].
#[derive(Clone)]
pub struct DiscoverOptions {
    /// Try DNS names built from the nomenclature's tokens (default true).
    pub dns: bool,
    /// The resolver for DNS discovery; `None` = [`HickoryResolver::from_system`]. Tests pass a
    /// [`MapResolver`].
    pub resolver: Option<Arc<dyn NameResolver>>,
    /// Names lookup up at once (default [`dns::DEFAULT_DNS_CONCURRENCY`]).
    pub dns_concurrency: usize,
    /// Names looked up at most (default [`dns::DEFAULT_DNS_MAX_NAMES`]).
    pub dns_max_names: usize,
    /// A certificate-transparency export (`--ct FILE`, see [`load_ct_export`]).
    pub ct: Option<CtExport>,
    /// The OPD nomenclature (default [`Nomenclature::builtin`]).
    pub nomenclature: Arc<Nomenclature>,
}

impl Default for DiscoverOptions {
    /// DNS on with the system resolver, no CT export, the built-in nomenclature.
    fn default() -> DiscoverOptions {
        DiscoverOptions {
            dns: true,
            resolver: None,
            dns_concurrency: dns::DEFAULT_DNS_CONCURRENCY,
            dns_max_names: dns::DEFAULT_DNS_MAX_NAMES,
            ct: None,
            nomenclature: Arc::new(Nomenclature::builtin().clone()),
        }
    }
}

/// Errors of discovery and of the seed list.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// The domain argument is not a host name.
    #[error("`{domain}` is not a domain name: {reason}; give a host such as sulbarprov.go.id (no scheme, port or path)")]
    BadDomain {
        /// The argument as given.
        domain: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The seed list could not be read.
    #[error("cannot read the seed list {path}: {source}")]
    SeedRead {
        /// The seed list file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The seed list is not valid (TOML syntax, unknown key, bad or duplicate host).
    #[error("{path}:{line}: {message}")]
    SeedInvalid {
        /// The seed list file.
        path: PathBuf,
        /// 1-based line of the problem (1 when the parser gave no position).
        line: usize,
        /// What is wrong, with the expected shape.
        message: String,
    },
    /// The nomenclature file could not be read.
    #[error("cannot read the nomenclature {path}: {source}")]
    NomenclatureRead {
        /// The nomenclature file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The nomenclature is not valid (TOML syntax, unknown key, bad id, token or type).
    #[error("{origin}:{line}: {message}")]
    NomenclatureInvalid {
        /// The nomenclature file (or `rules/nomenclature/opd.toml` for the built-in one).
        origin: String,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The certificate-transparency export could not be read.
    #[error("cannot read the certificate-transparency export {path}: {source}")]
    CtRead {
        /// The export file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The certificate-transparency export is not crt.sh JSON.
    #[error("{path} is not a certificate-transparency export: {message}")]
    CtInvalid {
        /// The export file.
        path: PathBuf,
        /// Where and what is wrong, with the expected shape.
        message: String,
    },
    /// No seed list and the portal gave no answer: nothing to audit.
    #[error(
        "the portal {url} cannot be read ({reason}) and no seed list was given (--agencies FILE)"
    )]
    PortalUnreachable {
        /// The last portal URL tried.
        url: String,
        /// Why the last attempt failed.
        reason: String,
    },
}

/// True when `name` is a lower-case DNS host name: 2+ labels of `a-z0-9-` (no leading or
/// trailing `-`, 1–63 bytes each, RFC 1123 §2.1), not ending in an all-digit label (an IPv4
/// address).
fn is_host_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()))
}

/// Normalise a domain argument: trim, lower-case, drop one trailing dot, then require a host
/// name (see [`DiscoverError::BadDomain`] for what is refused: schemes, ports, paths, spaces,
/// IP addresses, single labels, the empty string).
pub fn normalize_domain(input: &str) -> Result<String, DiscoverError> {
    let bad = |reason: &str| DiscoverError::BadDomain {
        domain: input.to_string(),
        reason: reason.to_string(),
    };
    let d = input.trim().to_ascii_lowercase();
    let d = d.strip_suffix('.').unwrap_or(&d).to_string();
    if d.is_empty() {
        return Err(bad("it is empty"));
    }
    if d.contains("://") {
        return Err(bad("it has a URL scheme"));
    }
    if d.contains('/') {
        return Err(bad("it has a path"));
    }
    if d.contains(':') {
        return Err(bad("it has a port"));
    }
    if d.contains(char::is_whitespace) {
        return Err(bad("it contains spaces"));
    }
    // An internationalised name (`sülbar.go.id`) is audited under its ASCII (punycode) form,
    // as the url crate and DNS see it (UTS #46); a malformed punycode label (`xn--zz`) is
    // refused here, not later as a portal that "cannot be read".
    let d = match url::Host::parse(&d) {
        Ok(url::Host::Domain(ascii)) => ascii,
        Ok(_) => d,
        Err(_) if d.is_ascii() && !d.contains("xn--") => d,
        Err(_) => return Err(bad("it is not a valid internationalised domain name")),
    };
    if !is_host_name(&d) {
        return Err(bad(
            "it needs two or more dot-separated labels of letters, digits and '-'",
        ));
    }
    Ok(d)
}

/// True for the leftmost labels of infrastructure hosts (mail, webmail, smtp, cpanel, ftp,
/// `ns1`–`ns9`, `mx*`, `dns*`, autodiscover, vpn, …; research file §6) that are never agencies.
pub fn is_infrastructure_label(label: &str) -> bool {
    let numbered = |prefix: &str| {
        label
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
    };
    INFRASTRUCTURE_LABELS.contains(&label) || numbered("ns") || numbered("mx") || numbered("dns")
}

/// The lower-case host of `url` when it is an agency candidate under `domain`: an http(s) URL
/// whose host is a proper subdomain of `domain` (matched on the parsed host by dot-suffix, so
/// `evilsulbarprov.go.id` is out), other than `www.<domain>`, whose leftmost label is not
/// infrastructure.
fn agency_host(domain: &str, url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = match url.host()? {
        url::Host::Domain(h) => h.trim_end_matches('.').to_ascii_lowercase(),
        _ => return None,
    };
    let prefix = host.strip_suffix(domain)?.strip_suffix('.')?;
    if prefix.is_empty() || prefix == "www" {
        return None;
    }
    let leftmost = prefix.split('.').next()?;
    if is_infrastructure_label(leftmost) {
        return None;
    }
    Some(host)
}

/// The lower-case host of an http(s) `url` outside `domain` (neither the domain nor under it).
fn off_domain_host(domain: &str, url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = match url.host()? {
        url::Host::Domain(h) => h.trim_end_matches('.').to_ascii_lowercase(),
        _ => return None,
    };
    let inside = host == domain || host.ends_with(&format!(".{domain}"));
    (!inside).then_some(host)
}

/// Agency hosts linked from one portal page, with each link's text (trimmed, whitespace
/// collapsed, maybe empty), sorted and deduplicated. `page_url` is the page the links came from:
/// links back to its own host are not agencies even when it is a subdomain.
pub fn agency_hosts_in_links(
    domain: &str,
    page_url: &Url,
    links: &[Link],
) -> Vec<(String, String)> {
    let own_host = page_url.host_str().map(str::to_ascii_lowercase);
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    for link in links {
        let Some(host) = agency_host(domain, &link.url) else {
            continue;
        };
        if own_host.as_deref() == Some(host.as_str()) {
            continue;
        }
        out.insert((host, collapse_whitespace(&link.text)));
    }
    out.into_iter().collect()
}

/// What one sitemap file lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitemapHosts {
    /// Agency hosts in `<url><loc>` entries (same filter as links), sorted, deduplicated.
    pub hosts: Vec<String>,
    /// `<sitemap><loc>` entries of a sitemap index (sitemaps.org protocol), in document order,
    /// for the caller to fetch.
    pub child_sitemaps: Vec<Url>,
}

/// Read a sitemap or sitemap index (sitemaps.org 0.9) leniently: every `<loc>…</loc>` is taken,
/// `&amp;`-style entities decoded; in a `<sitemapindex>` document they are child sitemaps,
/// otherwise page URLs whose hosts are filtered like links. Malformed entries are skipped.
pub fn hosts_in_sitemap(domain: &str, xml: &str) -> SitemapHosts {
    let lower = xml.to_ascii_lowercase();
    let is_index = lower.contains("<sitemapindex");
    let mut hosts = BTreeSet::new();
    let mut child_sitemaps = Vec::new();
    let mut pos = 0;
    while let Some(start) = lower[pos..].find("<loc>") {
        let from = pos + start + "<loc>".len();
        let Some(len) = lower[from..].find("</loc>") else {
            break;
        };
        let raw = xml[from..from + len].trim();
        pos = from + len + "</loc>".len();
        let raw = raw
            .strip_prefix("<![CDATA[")
            .and_then(|r| r.strip_suffix("]]>"))
            .unwrap_or(raw);
        let Ok(url) = Url::parse(&decode_xml_entities(raw.trim())) else {
            continue;
        };
        if is_index {
            if matches!(url.scheme(), "http" | "https") {
                child_sitemaps.push(url);
            }
        } else if let Some(host) = agency_host(domain, &url) {
            hosts.insert(host);
        }
    }
    SitemapHosts {
        hosts: hosts.into_iter().collect(),
        child_sitemaps,
    }
}

/// Decode the five predefined XML entities.
fn decode_xml_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The `Sitemap:` URLs of a robots.txt (RFC 9309 §2.3.5; field name case-insensitive), in order.
/// Relative or unparsable values are skipped.
pub fn sitemaps_in_robots(robots: &str) -> Vec<Url> {
    robots
        .lines()
        .filter_map(|line| {
            let line = line.split('#').next().unwrap_or_default();
            let (field, value) = line.split_once(':')?;
            if !field.trim().eq_ignore_ascii_case("sitemap") {
                return None;
            }
            Url::parse(value.trim()).ok()
        })
        .collect()
}

/// The labels that name a host within its domain: the labels before `.<domain>` for hosts under
/// it; for other hosts (seeds outside the domain) every label but the last two (`go.id`,
/// `blogspot.com`), at least one. A leading `www` is dropped.
fn naming_labels(host: &str, domain: &str) -> Vec<String> {
    let labels: Vec<&str> = match host.strip_suffix(domain).and_then(|p| p.strip_suffix('.')) {
        Some(prefix) => prefix.split('.').collect(),
        None => {
            let all: Vec<&str> = host.split('.').collect();
            let keep = all.len().saturating_sub(2).max(1);
            all[..keep.min(all.len())].to_vec()
        }
    };
    let labels = match labels.as_slice() {
        ["www", rest @ ..] if !rest.is_empty() => rest.to_vec(),
        _ => labels,
    };
    labels.into_iter().map(str::to_string).collect()
}

/// The base agency id of a host: its leftmost naming label (`diskominfo` for
/// `diskominfo.sulbarprov.go.id`, `dinkes` for `www.dinkes.sulbarprov.go.id`, `bappedasultra`
/// for `bappedasultra.go.id`). [`assign_ids`] makes ids unique.
pub fn agency_id(host: &str, domain: &str) -> String {
    naming_labels(host, domain)
        .into_iter()
        .next()
        .unwrap_or_else(|| host.to_string())
}

/// Unique ids for `hosts` (same order): the [`agency_id`]; where two hosts share it, each host
/// that has a next naming label appends it with `-` (`ppid` and `ppid-dkp` for
/// `ppid.<domain>` and `ppid.dkp.<domain>`), repeated until unique; hosts that run out of labels
/// and still clash get `-2`, `-3`, … in host order.
pub fn assign_ids(hosts: &[String], domain: &str) -> Vec<String> {
    let labels: Vec<Vec<String>> = hosts.iter().map(|h| naming_labels(h, domain)).collect();
    let mut depth = vec![1usize; hosts.len()];
    let id_at = |i: usize, depth: &[usize]| labels[i][..depth[i].min(labels[i].len())].join("-");
    loop {
        let ids: Vec<String> = (0..hosts.len()).map(|i| id_at(i, &depth)).collect();
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            groups.entry(id.clone()).or_default().push(i);
        }
        let mut progressed = false;
        for members in groups.values().filter(|m| m.len() > 1) {
            for &i in members {
                if depth[i] < labels[i].len() {
                    depth[i] += 1;
                    progressed = true;
                }
            }
        }
        if progressed {
            continue;
        }
        let mut ids = ids;
        for members in groups.values().filter(|m| m.len() > 1) {
            let mut sorted = members.clone();
            sorted.sort_by(|&a, &b| hosts[a].cmp(&hosts[b]));
            for (n, &i) in sorted.iter().enumerate().skip(1) {
                ids[i] = format!("{}-{}", ids[i], n + 1);
            }
        }
        return ids;
    }
}

/// Collapse runs of whitespace to one space and trim.
fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Link texts that say where to click, not whom the link is for (compared lower-case).
const GENERIC_LINK_TEXTS: &[&str] = &[
    "selengkapnya",
    "baca selengkapnya",
    "lihat selengkapnya",
    "kunjungi",
    "kunjungi website",
    "kunjungi situs",
    "klik di sini",
    "klik disini",
    "di sini",
    "disini",
    "link",
    "tautan",
    "website",
    "situs",
    "detail",
    "lihat",
    "read more",
    "more",
    "visit",
];

/// The best display name among portal link texts: the longest (in characters) non-empty text
/// that is neither a URL or host name nor a generic "click here" phrase
/// ([`GENERIC_LINK_TEXTS`]), ties broken alphabetically.
fn best_link_text<'a>(texts: impl IntoIterator<Item = &'a String>) -> Option<String> {
    texts
        .into_iter()
        .map(|t| collapse_whitespace(t))
        .filter(|t| {
            !t.is_empty()
                && !looks_like_address(t)
                && !GENERIC_LINK_TEXTS.contains(&t.to_lowercase().as_str())
        })
        .min_by(|a, b| {
            b.chars()
                .count()
                .cmp(&a.chars().count())
                .then_with(|| a.cmp(b))
        })
}

/// True for link texts that are addresses, not names (`https://…`, `www.…`, `x.go.id`).
fn looks_like_address(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("://")
        || t.starts_with("www.")
        || (!t.contains(' ') && t.contains('.') && is_host_name(t.trim_end_matches('/')))
}

/// The links of a parsed page: `<a href>` and `<area href>`, resolved against the first
/// `<base href>` (HTML § 4.2.3) or the page URL, with the element's text, whitespace collapsed.
/// Same shape as the `Page::links` contract of `page.rs`.
fn page_links(page: &Page) -> Vec<Link> {
    let (Ok(base_sel), Ok(link_sel)) = (
        scraper::Selector::parse("base[href]"),
        scraper::Selector::parse("a[href], area[href]"),
    ) else {
        return Vec::new();
    };
    let base = page
        .html
        .select(&base_sel)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page.url.join(h.trim()).ok())
        .unwrap_or_else(|| page.url.clone());
    page.html
        .select(&link_sel)
        .filter_map(|el| {
            let href = el.value().attr("href")?.trim();
            let url = base.join(href).ok()?;
            let text = collapse_whitespace(&el.text().collect::<String>());
            Some(Link { url, text })
        })
        .collect()
}

/// The `<title>` text of a page, whitespace collapsed, when non-empty.
fn page_title(page: &Page) -> Option<String> {
    let sel = scraper::Selector::parse("title").ok()?;
    let title = page.html.select(&sel).next()?;
    let text = collapse_whitespace(&title.text().collect::<String>());
    (!text.is_empty()).then_some(text)
}

/// True when a document is a 2xx HTML answer.
fn is_html_ok(doc: &FetchedDocument) -> bool {
    (200..300).contains(&doc.status)
        && match doc.content_type.as_deref() {
            Some(t) => t == "text/html" || t == "application/xhtml+xml",
            None => doc.text.trim_start().starts_with('<'),
        }
}

/// Why an outcome is not a usable 2xx document, as a phrase.
fn outcome_problem(outcome: &FetchOutcome) -> String {
    match outcome {
        FetchOutcome::Document(d) => format!("HTTP status {}", d.status),
        FetchOutcome::RobotsDisallowed(_) => "robots.txt disallows it".to_string(),
        FetchOutcome::Failed(f) => format!("{}: {}", f.class.code(), f.message),
    }
}

/// Parse a document on a blocking thread (parsing is CPU work, DESIGN.md) and return its links
/// and title.
async fn parse_links_and_title(doc: &FetchedDocument) -> (Vec<Link>, Option<String>) {
    let url = doc.final_url.clone();
    let status = doc.status;
    let text = doc.text.clone();
    tokio::task::spawn_blocking(move || {
        let page = Page::parse(url, status, &text);
        (page_links(&page), page_title(&page))
    })
    .await
    .unwrap_or_default()
}

/// URL paths that are documents or media, not portal pages worth reading for links.
fn looks_like_file(url: &Url) -> bool {
    const EXTS: &[&str] = &[
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".jpg", ".jpeg",
        ".png", ".gif", ".webp", ".svg", ".mp4", ".mp3", ".xml", ".txt", ".csv",
    ];
    let path = url.path().to_ascii_lowercase();
    EXTS.iter().any(|e| path.ends_with(e))
}

/// What discovery gathered about one host before naming.
#[derive(Default)]
struct Candidate {
    provenance: BTreeSet<Provenance>,
    link_texts: Vec<String>,
}

/// Discover the agencies of `domain` with `fetcher` from the portal, its sitemaps and `seeds`
/// (from `seed_file`, recorded in their provenance): no DNS guesses, no CT export (see
/// [`discover_with`] for those).
///
/// Errors: [`DiscoverError::BadDomain`] for a bad domain; [`DiscoverError::PortalUnreachable`]
/// when the portal cannot be read and `seeds` is empty. A failed portal with seeds, a failed
/// sitemap or a failed title fetch is a line in [`Discovery::problems`].
pub async fn discover(
    domain: &str,
    fetcher: &Fetcher,
    seeds: &[SeedAgency],
    seed_file: Option<&Path>,
) -> Result<Discovery, DiscoverError> {
    let options = DiscoverOptions {
        dns: false,
        ..DiscoverOptions::default()
    };
    discover_with(domain, fetcher, seeds, seed_file, &options).await
}

/// [`discover`] with every source of `options`: DNS guesses from the nomenclature's tokens
/// (when `options.dns`), the names of a certificate-transparency export (`options.ct`), and the
/// given nomenclature for application hosts and off-domain OPD sites.
///
/// Errors: as [`discover`]. A wildcard DNS zone, an unusable resolver or failed lookups are
/// lines in [`Discovery::problems`]; the portal being unreachable is still fatal without seeds,
/// even when DNS or CT found hosts (the portal is the province's own list).
pub async fn discover_with(
    domain: &str,
    fetcher: &Fetcher,
    seeds: &[SeedAgency],
    seed_file: Option<&Path>,
    options: &DiscoverOptions,
) -> Result<Discovery, DiscoverError> {
    discover_inner(
        domain,
        |url: Url| async move { fetcher.fetch(&url).await },
        seeds,
        seed_file,
        options,
    )
    .await
}

/// A portal link to a host outside the domain: (page, url, text).
type OffLink = (String, String, String);

/// [`discover_with`] over any fetch function (tests pass a canned one).
async fn discover_inner<F, Fut>(
    domain: &str,
    fetch: F,
    seeds: &[SeedAgency],
    seed_file: Option<&Path>,
    options: &DiscoverOptions,
) -> Result<Discovery, DiscoverError>
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = FetchOutcome>,
{
    let domain = normalize_domain(domain)?;
    let nomenclature = options.nomenclature.as_ref();
    let mut problems = Vec::new();
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut off_links: BTreeMap<String, Vec<OffLink>> = BTreeMap::new();
    let portal_hosts = [domain.clone(), format!("www.{domain}")];

    // 1. The portal's home page.
    let mut home: Option<FetchedDocument> = None;
    let mut last_try = (String::new(), String::new());
    for start in [
        format!("https://{domain}/"),
        format!("https://www.{domain}/"),
        format!("http://{domain}/"),
        format!("http://www.{domain}/"),
    ] {
        let Ok(url) = Url::parse(&start) else {
            continue;
        };
        match fetch(url).await {
            FetchOutcome::Document(doc) if is_html_ok(&doc) => {
                home = Some(doc);
                break;
            }
            other => last_try = (start, outcome_problem(&other)),
        }
    }
    let mut portal_pages_fetched = 0;
    let mut portal_title = None;
    match home {
        None if seeds.is_empty() => {
            return Err(DiscoverError::PortalUnreachable {
                url: last_try.0,
                reason: last_try.1,
            })
        }
        None => problems.push(format!(
            "the portal {} cannot be read ({}); only the seed list is used",
            last_try.0, last_try.1
        )),
        Some(home) => {
            let origin = home.final_url.clone();
            (portal_pages_fetched, portal_title) = read_portal(
                &domain,
                home,
                &fetch,
                &mut candidates,
                &mut off_links,
                &mut problems,
            )
            .await;
            read_sitemaps(
                &domain,
                &origin,
                &portal_hosts,
                &fetch,
                &mut candidates,
                &mut problems,
            )
            .await;
        }
    }

    // 4. DNS guesses and the CT export.
    let mut dns_names_tried = 0;
    if options.dns {
        let resolver: Option<Arc<dyn NameResolver>> = match &options.resolver {
            Some(r) => Some(r.clone()),
            None => match HickoryResolver::from_system() {
                Ok(r) => Some(Arc::new(r)),
                Err(e) => {
                    problems.push(format!("DNS discovery skipped: {e}"));
                    None
                }
            },
        };
        if let Some(resolver) = resolver {
            let found = dns::probe(
                resolver.as_ref(),
                &domain,
                &nomenclature.dns_labels(),
                options.dns_concurrency,
                options.dns_max_names,
            )
            .await;
            dns_names_tried = found.tried;
            problems.extend(found.problems);
            for host in found.hosts {
                if let Some(host) = candidate_host(&domain, &host) {
                    candidates
                        .entry(host)
                        .or_default()
                        .provenance
                        .insert(Provenance::Dns);
                }
            }
        }
    }
    if let Some(ct) = &options.ct {
        let file = ct.file.display().to_string();
        let mut under = 0;
        for name in &ct.names {
            if name == &domain || name.ends_with(&format!(".{domain}")) {
                under += 1;
            }
            let Some(host) = candidate_host(&domain, name) else {
                continue;
            };
            let host = match host.strip_prefix("www.") {
                Some(rest) if rest.len() > domain.len() + 1 => rest.to_string(),
                _ => host,
            };
            candidates
                .entry(host)
                .or_default()
                .provenance
                .insert(Provenance::CertificateTransparency { file: file.clone() });
        }
        if under == 0 {
            problems.push(format!(
                "the certificate-transparency export {file} names no host under {domain}"
            ));
        }
    }

    // 5. Seeds, and aliases folded into their seed.
    let seed_label = seed_file
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "agencies.toml".to_string());
    let mut alias_of: BTreeMap<String, String> = BTreeMap::new();
    let mut seed_names: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut seed_aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for seed in seeds {
        let host = seed.host.trim_end_matches('.').to_ascii_lowercase();
        candidates
            .entry(host.clone())
            .or_default()
            .provenance
            .insert(Provenance::SeedList {
                file: seed_label.clone(),
            });
        let mut aliases: Vec<String> = seed
            .aliases
            .iter()
            .map(|a| a.trim_end_matches('.').to_ascii_lowercase())
            .filter(|a| *a != host)
            .collect();
        aliases.sort();
        aliases.dedup();
        for alias in &aliases {
            alias_of.insert(alias.clone(), host.clone());
        }
        seed_names.insert(host.clone(), seed.name.clone());
        seed_aliases.insert(host, aliases);
    }
    for (alias, owner) in &alias_of {
        if seed_names.contains_key(alias) {
            continue; // an alias that is itself a seed stays its own agency
        }
        if let Some(found) = candidates.remove(alias) {
            let target = candidates.entry(owner.clone()).or_default();
            target.provenance.extend(found.provenance);
            target.link_texts.extend(found.link_texts);
        }
    }

    // 6. Application hosts: listed, not audited (unless the user named them).
    let mut applications = Vec::new();
    let app_hosts: Vec<(String, String, ApplicationKind)> = candidates
        .keys()
        .filter(|h| !seed_names.contains_key(*h))
        .filter_map(|h| {
            let label = naming_labels(h, &domain).into_iter().next()?;
            let kind = nomenclature.application_kind(&label)?;
            Some((h.clone(), label_key(&label), kind))
        })
        .collect();
    for (host, label, kind) in app_hosts {
        let cand = candidates.remove(&host).unwrap_or_default();
        applications.push(Application {
            name: best_link_text(&cand.link_texts),
            host,
            kind,
            label,
            provenance: cand.provenance.into_iter().collect(),
        });
    }

    // 7. Names; the home page title only where nothing better exists.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut need_title = Vec::new();
    for (host, cand) in &candidates {
        let seed_name = seed_names
            .get(host)
            .cloned()
            .flatten()
            .map(|n| collapse_whitespace(&n))
            .filter(|n| !n.is_empty());
        match seed_name.or_else(|| best_link_text(&cand.link_texts)) {
            Some(name) => {
                names.insert(host.clone(), name);
            }
            None => need_title.push(host.clone()),
        }
    }
    let answers = futures::future::join_all(
        need_title
            .iter()
            .map(|host| home_page(host.clone(), &fetch, &portal_hosts)),
    )
    .await;
    for (host, answer) in need_title.into_iter().zip(answers) {
        // Found only by DNS or CT: a name may exist without an OPD site behind it.
        let guessed = candidates.get(&host).is_some_and(|c| {
            c.provenance.iter().all(|p| {
                matches!(
                    p,
                    Provenance::Dns | Provenance::CertificateTransparency { .. }
                )
            })
        });
        let problem = match answer {
            HomeAnswer::Title(t) if guessed && portal_title.as_ref() == Some(&t) => {
                problems.push(format!(
                    "{host} serves the portal's home page (same <title>); not counted as an OPD site"
                ));
                candidates.remove(&host);
                continue;
            }
            HomeAnswer::ToPortal(target) if guessed => {
                problems.push(format!(
                    "{host} redirects to the portal ({target}); not counted as an OPD site"
                ));
                candidates.remove(&host);
                continue;
            }
            HomeAnswer::Title(t) => {
                names.insert(host, t);
                continue;
            }
            HomeAnswer::ToPortal(target) => {
                format!("its home page redirects to the portal ({target})")
            }
            HomeAnswer::NoTitle => "its home page has no <title>".to_string(),
            HomeAnswer::Failed(why) => why,
        };
        let unit_name = naming_labels(&host, &domain).first().and_then(|l| {
            nomenclature
                .units_for_label(l)
                .first()
                .map(|(u, _)| u.name.clone())
        });
        match unit_name {
            Some(n) => {
                problems.push(format!(
                    "no name for {host}: {problem}; the nomenclature's name \"{n}\" is used"
                ));
                names.insert(host, n);
            }
            None => {
                problems.push(format!(
                    "no name for {host}: {problem}; the host name is used"
                ));
                names.insert(host.clone(), host);
            }
        }
    }

    // 8. Ids and the sorted list.
    let hosts: Vec<String> = candidates.keys().cloned().collect();
    let ids = assign_ids(&hosts, &domain);
    let mut agencies: Vec<Agency> = hosts
        .into_iter()
        .zip(ids)
        .map(|(host, id)| {
            let cand = candidates.remove(&host).unwrap_or_default();
            Agency {
                id,
                name: names.remove(&host).unwrap_or_else(|| host.clone()),
                explicit: seed_names.contains_key(&host),
                aliases: seed_aliases.remove(&host).unwrap_or_default(),
                provenance: cand.provenance.into_iter().collect(),
                host,
            }
        })
        .collect();
    agencies.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Discovery {
        off_domain: off_domain_sites(off_links, nomenclature),
        domain,
        portal_pages_fetched,
        agencies,
        applications,
        dns_names_tried,
        problems,
    })
}

/// Words of a link text that say the site belongs to a regency, a city or the national
/// government, not to the province.
const NOT_PROVINCIAL_WORDS: &[&str] = &["kabupaten", "kab", "kota", "kementerian", "kemendagri"];

/// Social-media and messaging hosts (and their subdomains): an OPD's account there is a contact
/// channel, not its website.
const SOCIAL_HOSTS: &[&str] = &[
    "facebook.com",
    "fb.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "youtube.com",
    "youtu.be",
    "tiktok.com",
    "linkedin.com",
    "wa.me",
    "whatsapp.com",
    "t.me",
    "threads.net",
];

/// True for `host` equal to or under one of [`SOCIAL_HOSTS`].
fn is_social_host(host: &str) -> bool {
    SOCIAL_HOSTS
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")))
}

/// The off-domain links whose text names a unit of the nomenclature, one entry per host, sorted
/// by host (see [`OffDomainSite`]).
fn off_domain_sites(
    off_links: BTreeMap<String, Vec<OffLink>>,
    nomenclature: &Nomenclature,
) -> Vec<OffDomainSite> {
    let mut out = Vec::new();
    for (host, mut links) in off_links {
        if is_social_host(&host) {
            continue;
        }
        links.sort();
        let mut units: Vec<String> = Vec::new();
        let mut texts = Vec::new();
        let mut pages = BTreeSet::new();
        let mut url = None;
        for (page, link_url, text) in &links {
            let words = name_words(text);
            if words
                .iter()
                .any(|w| NOT_PROVINCIAL_WORDS.contains(&w.as_str()))
            {
                continue;
            }
            let hits = nomenclature.units_for_name(text);
            if hits.is_empty() {
                continue;
            }
            for (u, _) in hits {
                if !units.contains(&u.id) {
                    units.push(u.id.clone());
                }
            }
            texts.push(text.clone());
            pages.insert(page.clone());
            if url.as_ref().is_none_or(|u: &String| link_url < u) {
                url = Some(link_url.clone());
            }
        }
        let (Some(url), Some(name)) = (url, best_link_text(&texts)) else {
            continue;
        };
        let order = |id: &String| nomenclature.units.iter().position(|u| &u.id == id);
        units.sort_by_key(order);
        out.push(OffDomainSite {
            name,
            url,
            kind: if host.ends_with(".go.id") {
                OffDomainKind::OtherGoId
            } else {
                OffDomainKind::NonGovernment
            },
            host,
            units,
            pages: pages.into_iter().collect(),
        });
    }
    out
}

/// `name` (a DNS or CT host name) as an agency candidate under `domain`: the same filter as
/// portal links (a proper subdomain, not `www.<domain>`, not infrastructure).
fn candidate_host(domain: &str, name: &str) -> Option<String> {
    let url = Url::parse(&format!("https://{name}/")).ok()?;
    agency_host(domain, &url)
}

/// Breadth-first read of the portal from its home page, following links on the host that served
/// the home page (a link from `sulbarprov.go.id` to `www.sulbarprov.go.id` is the same site and
/// usually a redirect back); records agency links and off-domain links. Returns the number of
/// HTML pages read and the home page's `<title>`.
async fn read_portal<F, Fut>(
    domain: &str,
    home: FetchedDocument,
    fetch: &F,
    candidates: &mut BTreeMap<String, Candidate>,
    off_links: &mut BTreeMap<String, Vec<OffLink>>,
    problems: &mut Vec<String>,
) -> (usize, Option<String>)
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = FetchOutcome>,
{
    let key = |u: &Url| {
        let mut u = u.clone();
        u.set_fragment(None);
        u.to_string()
    };
    let portal_host = home.final_url.host_str().unwrap_or(domain).to_string();
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(key(&home.requested_url));
    seen.insert(key(&home.final_url));
    let mut queue: VecDeque<(Url, u32)> = VecDeque::new();
    let mut pending_home = Some(home);
    let mut fetched = 0;
    let mut home_title = None;
    loop {
        let (doc, depth) = match pending_home.take() {
            Some(doc) => (doc, 0),
            None => {
                if fetched >= PORTAL_MAX_PAGES {
                    break;
                }
                let Some((url, depth)) = queue.pop_front() else {
                    break;
                };
                match fetch(url.clone()).await {
                    FetchOutcome::Document(doc) if is_html_ok(&doc) => (doc, depth),
                    FetchOutcome::Document(doc) if (200..300).contains(&doc.status) => continue,
                    other => {
                        problems.push(format!(
                            "portal page {url} cannot be read ({})",
                            outcome_problem(&other)
                        ));
                        continue;
                    }
                }
            }
        };
        fetched += 1;
        seen.insert(key(&doc.final_url));
        let (links, title) = parse_links_and_title(&doc).await;
        if depth == 0 {
            home_title = title;
        }
        let page = doc.final_url.to_string();
        for (host, text) in agency_hosts_in_links(domain, &doc.final_url, &links) {
            let cand = candidates.entry(host).or_default();
            cand.provenance
                .insert(Provenance::PortalLink { page: page.clone() });
            cand.link_texts.push(text);
        }
        for link in &links {
            if let Some(host) = off_domain_host(domain, &link.url) {
                off_links.entry(host).or_default().push((
                    page.clone(),
                    link.url.to_string(),
                    link.text.clone(),
                ));
            }
        }
        if depth >= PORTAL_MAX_DEPTH {
            continue;
        }
        for link in links {
            if link.url.host_str() != Some(portal_host.as_str())
                || !matches!(link.url.scheme(), "http" | "https")
                || looks_like_file(&link.url)
            {
                continue;
            }
            if seen.insert(key(&link.url)) {
                let mut url = link.url;
                url.set_fragment(None);
                queue.push_back((url, depth + 1));
            }
        }
    }
    (fetched, home_title)
}

/// Read `/sitemap.xml` and the robots.txt `Sitemap:` lines of the portal (on the scheme and host
/// of `origin`, the home page that answered), following indexes.
async fn read_sitemaps<F, Fut>(
    domain: &str,
    origin: &Url,
    portal_hosts: &[String],
    fetch: &F,
    candidates: &mut BTreeMap<String, Candidate>,
    problems: &mut Vec<String>,
) where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = FetchOutcome>,
{
    let mut queue: VecDeque<Url> = VecDeque::new();
    if let Ok(default) = origin.join("/sitemap.xml") {
        queue.push_back(default);
    }
    if let Ok(robots) = origin.join("/robots.txt") {
        if let FetchOutcome::Document(doc) = fetch(robots).await {
            if (200..300).contains(&doc.status) {
                queue.extend(sitemaps_in_robots(&doc.text));
            }
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut read = 0;
    while let Some(url) = queue.pop_front() {
        let on_portal = url
            .host_str()
            .is_some_and(|h| portal_hosts.iter().any(|p| p == h));
        if !on_portal {
            problems.push(format!(
                "sitemap {url} is not on the portal's host; not read"
            ));
            continue;
        }
        if !seen.insert(url.to_string()) || read >= MAX_SITEMAPS {
            continue;
        }
        read += 1;
        let doc = match fetch(url.clone()).await {
            FetchOutcome::Document(doc) if (200..300).contains(&doc.status) => doc,
            // No sitemap at the default place is common and not a problem.
            FetchOutcome::Document(doc) if doc.status == 404 => continue,
            other => {
                problems.push(format!(
                    "sitemap {url} cannot be read ({})",
                    outcome_problem(&other)
                ));
                continue;
            }
        };
        let found = hosts_in_sitemap(domain, &doc.text);
        let sitemap = doc.final_url.to_string();
        for host in found.hosts {
            candidates
                .entry(host)
                .or_default()
                .provenance
                .insert(Provenance::Sitemap {
                    sitemap: sitemap.clone(),
                });
        }
        queue.extend(found.child_sitemaps);
    }
}

/// What the home page of a host answered.
enum HomeAnswer {
    /// A 2xx HTML page with this `<title>`.
    Title(String),
    /// A 2xx HTML page without a `<title>`.
    NoTitle,
    /// A redirect to this URL on one of the portal's hosts.
    ToPortal(String),
    /// No usable page; why, as a phrase.
    Failed(String),
}

/// Read `https://host/` (else `http://host/`) for its `<title>`, noticing redirects to the
/// portal (the fetcher does not follow redirects to other hosts, it reports them).
async fn home_page<F, Fut>(host: String, fetch: &F, portal_hosts: &[String]) -> HomeAnswer
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = FetchOutcome>,
{
    let mut why = String::from("no home page");
    for scheme in ["https", "http"] {
        let Ok(url) = Url::parse(&format!("{scheme}://{host}/")) else {
            continue;
        };
        match fetch(url).await {
            FetchOutcome::Document(doc) if is_html_ok(&doc) => {
                return match parse_links_and_title(&doc).await.1 {
                    Some(t) => HomeAnswer::Title(t),
                    None => HomeAnswer::NoTitle,
                };
            }
            FetchOutcome::Failed(f)
                if f.location.as_ref().is_some_and(|l| {
                    l.host_str()
                        .is_some_and(|h| portal_hosts.iter().any(|p| p == h))
                }) =>
            {
                return HomeAnswer::ToPortal(f.location.map(|l| l.to_string()).unwrap_or_default());
            }
            other => why = format!("its home page cannot be read ({})", outcome_problem(&other)),
        }
    }
    HomeAnswer::Failed(why)
}

/// The raw TOML shape of `agencies.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    agency: Vec<RawSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeed {
    host: toml::Spanned<String>,
    name: Option<toml::Spanned<String>>,
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
}

/// 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Load a seed list (`agencies.toml`):
///
/// ```toml
/// [[agency]]
/// host = "diskominfo.sulbarprov.go.id"
/// name = "Dinas Komunikasi, Informatika dan Persandian"   # optional
/// aliases = ["kominfo.sulbarprov.go.id"]                  # optional
/// ```
///
/// Hosts are lower-cased and must be host names; a host may appear once (as host or alias).
/// Errors: [`DiscoverError::SeedRead`]; [`DiscoverError::SeedInvalid`] with the file and line for
/// TOML syntax, unknown keys, a bad or duplicate host, or an empty name.
pub fn load_seed_list(path: &Path) -> Result<Vec<SeedAgency>, DiscoverError> {
    let text = std::fs::read_to_string(path).map_err(|source| DiscoverError::SeedRead {
        path: path.to_path_buf(),
        source,
    })?;
    parse_seed_list(path, &text)
}

fn parse_seed_list(path: &Path, text: &str) -> Result<Vec<SeedAgency>, DiscoverError> {
    let invalid = |line: usize, message: String| DiscoverError::SeedInvalid {
        path: path.to_path_buf(),
        line,
        message,
    };
    let file: SeedFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        invalid(line, collapse_whitespace(e.message()))
    })?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut check_host = |raw: &toml::Spanned<String>| {
        let line = line_of(text, raw.span().start);
        let host = raw
            .get_ref()
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !is_host_name(&host) {
            return Err(invalid(
                line,
                format!(
                    "`{}` is not a host name (expected e.g. \"dinkes.sulbarprov.go.id\", no scheme or path)",
                    raw.get_ref()
                ),
            ));
        }
        if let Some(first) = seen.insert(host.clone(), line) {
            return Err(invalid(
                line,
                format!("host `{host}` is listed twice (first on line {first})"),
            ));
        }
        Ok(host)
    };
    let mut seeds = Vec::new();
    for raw in file.agency {
        let host = check_host(&raw.host)?;
        let aliases = raw
            .aliases
            .iter()
            .map(&mut check_host)
            .collect::<Result<Vec<_>, _>>()?;
        let name = match raw.name {
            Some(n) => {
                let name = collapse_whitespace(n.get_ref());
                if name.is_empty() {
                    return Err(invalid(
                        line_of(text, n.span().start),
                        "`name` is empty; leave it out to use the discovered name".to_string(),
                    ));
                }
                Some(name)
            }
            None => None,
        };
        seeds.push(SeedAgency {
            host,
            name,
            aliases,
        });
    }
    if seeds.is_empty() {
        // A seed list that names no agency is a mistake, not "no seed list".
        return Err(invalid(
            1,
            "lists no agency (expected [[agency]] tables with a `host`)".to_string(),
        ));
    }
    Ok(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{FailureClass, FetchFailure};
    use std::collections::HashMap;

    const D: &str = "sulbarprov.go.id";

    fn no_dns() -> DiscoverOptions {
        DiscoverOptions {
            dns: false,
            ..DiscoverOptions::default()
        }
    }

    fn link(url: &str, text: &str) -> Link {
        Link {
            url: Url::parse(url).expect("test URL"),
            text: text.to_string(),
        }
    }

    fn portal() -> Url {
        Url::parse("https://sulbarprov.go.id/perangkat-daerah/").expect("url")
    }

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(
            normalize_domain(" SulbarProv.go.id. ").expect("ok"),
            "sulbarprov.go.id"
        );
        // An internationalised name is audited under its punycode form (UTS #46 maps case).
        assert_eq!(
            normalize_domain("SÜLBAR.go.id").expect("ok"),
            url::Host::parse("sülbar.go.id").unwrap().to_string()
        );
        assert!(normalize_domain("sülbar.go.id")
            .expect("ok")
            .starts_with("xn--"));
        for (bad, reason) in [
            ("s\u{fffd}lbar.go.id", "it is not a valid internationalised"),
            ("xn--zz.go.id", "it is not a valid internationalised"),
            ("", "it is empty"),
            ("http://x", "it has a URL scheme"),
            ("a b", "it contains spaces"),
            ("sulbarprov.go.id/x", "it has a path"),
            ("sulbarprov.go.id:443", "it has a port"),
            ("localhost", "it needs two or more"),
            ("10.0.0.1", "it needs two or more"),
            ("sul_bar.go.id", "it needs two or more"),
        ] {
            match normalize_domain(bad) {
                Err(DiscoverError::BadDomain { domain, reason: r }) => {
                    assert_eq!(domain, bad);
                    assert!(r.starts_with(reason), "{bad}: {r}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        let msg = normalize_domain("http://x").unwrap_err().to_string();
        assert_eq!(
            msg,
            "`http://x` is not a domain name: it has a URL scheme; give a host such as sulbarprov.go.id (no scheme, port or path)"
        );
    }

    #[test]
    fn links_to_proper_subdomains_only() {
        let links = vec![
            link("https://diskominfo.sulbarprov.go.id/", "Dinas Komunikasi"),
            link(
                "https://DINKES.SulbarProv.go.id:8080/berita/",
                "  Dinas\n  Kesehatan ",
            ),
            link("https://dinkes.sulbarprov.go.id/", ""),
            link("https://evilsulbarprov.go.id/", "evil"),
            link("https://sulbarprov.go.id.evil.com/", "evil2"),
            link("https://sulbarprov.go.id/profil/", "Profil"),
            link("https://www.sulbarprov.go.id/", "www"),
            link("https://mail.sulbarprov.go.id/", "Webmail"),
            link("https://ns1.sulbarprov.go.id/", "ns"),
            link("https://mx2.sulbarprov.go.id/", "mx"),
            link("https://cpanel.sulbarprov.go.id/", "cpanel"),
            link("https://www.lapor.go.id/", "LAPOR"),
            link("mailto:humas@sulbarprov.go.id", "mail"),
            link("ftp://files.sulbarprov.go.id/", "ftp"),
            link("https://ppid.dkp.sulbarprov.go.id/x", "PPID DKP"),
            link("http://192.168.1.1/", "ip"),
            link("https://nsfoo.sulbarprov.go.id/", "not ns digits"),
        ];
        assert_eq!(
            agency_hosts_in_links(D, &portal(), &links),
            vec![
                ("dinkes.sulbarprov.go.id".to_string(), String::new()),
                (
                    "dinkes.sulbarprov.go.id".to_string(),
                    "Dinas Kesehatan".to_string()
                ),
                (
                    "diskominfo.sulbarprov.go.id".to_string(),
                    "Dinas Komunikasi".to_string()
                ),
                (
                    "nsfoo.sulbarprov.go.id".to_string(),
                    "not ns digits".to_string()
                ),
                (
                    "ppid.dkp.sulbarprov.go.id".to_string(),
                    "PPID DKP".to_string()
                ),
            ]
        );
        // A link from an OPD page back to its own host is not a new agency.
        let own = Url::parse("https://diskominfo.sulbarprov.go.id/").expect("url");
        assert_eq!(
            agency_hosts_in_links(
                D,
                &own,
                &[link(
                    "https://diskominfo.sulbarprov.go.id/profil/",
                    "Profil"
                )]
            ),
            vec![]
        );
    }

    #[test]
    fn infrastructure_labels() {
        for label in [
            "mail",
            "webmail",
            "smtp",
            "cpanel",
            "ftp",
            "ns1",
            "ns2",
            "mx",
            "dns3",
            "autodiscover",
            "vpn",
        ] {
            assert!(is_infrastructure_label(label), "{label}");
        }
        for label in ["dinkes", "nsx", "mxa", "ppid", "lpse"] {
            assert!(!is_infrastructure_label(label), "{label}");
        }
    }

    #[test]
    fn sitemap_urls_and_indexes() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://sulbarprov.go.id/</loc></url>
  <url><LOC> https://dlh.sulbarprov.go.id/ </LOC></url>
  <url><loc><![CDATA[https://rsud.sulbarprov.go.id/?a=1&b=2]]></loc></url>
  <url><loc>https://bpbd.sulbarprov.go.id/p?x=1&amp;y=2</loc></url>
  <url><loc>https://mail.sulbarprov.go.id/</loc></url>
  <url><loc>not a url</loc></url>
  <url><loc>https://dlh.sulbarprov.go.id/profil/</loc></url>
</urlset>"#;
        assert_eq!(
            hosts_in_sitemap(D, xml),
            SitemapHosts {
                hosts: vec![
                    "bpbd.sulbarprov.go.id".into(),
                    "dlh.sulbarprov.go.id".into(),
                    "rsud.sulbarprov.go.id".into()
                ],
                child_sitemaps: vec![],
            }
        );
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://sulbarprov.go.id/post-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://sulbarprov.go.id/page-sitemap.xml?a=1&amp;b=2</loc></sitemap>
</sitemapindex>"#;
        let found = hosts_in_sitemap(D, index);
        assert!(found.hosts.is_empty());
        assert_eq!(
            found
                .child_sitemaps
                .iter()
                .map(Url::as_str)
                .collect::<Vec<_>>(),
            vec![
                "https://sulbarprov.go.id/post-sitemap.xml",
                "https://sulbarprov.go.id/page-sitemap.xml?a=1&b=2"
            ]
        );
        // Truncated XML: what was complete still counts.
        assert_eq!(
            hosts_in_sitemap(
                D,
                "<urlset><url><loc>https://a.sulbarprov.go.id/</loc><url><loc>https://b.sul"
            )
            .hosts,
            vec!["a.sulbarprov.go.id".to_string()]
        );
    }

    #[test]
    fn robots_sitemap_lines() {
        let robots = "User-agent: *\nDisallow: /admin/\nSitemap: https://sulbarprov.go.id/sitemap.xml\nsitemap:https://sulbarprov.go.id/news.xml # berita\nSitemap: /relative.xml\n";
        assert_eq!(
            sitemaps_in_robots(robots)
                .iter()
                .map(Url::as_str)
                .collect::<Vec<_>>(),
            vec![
                "https://sulbarprov.go.id/sitemap.xml",
                "https://sulbarprov.go.id/news.xml"
            ]
        );
    }

    #[test]
    fn ids_from_leftmost_label_made_unique() {
        assert_eq!(agency_id("diskominfo.sulbarprov.go.id", D), "diskominfo");
        assert_eq!(agency_id("www.dinkes.sulbarprov.go.id", D), "dinkes");
        assert_eq!(agency_id("bappedasultra.go.id", D), "bappedasultra");
        assert_eq!(agency_id("disdik-sulbar.blogspot.com", D), "disdik-sulbar");
        let hosts: Vec<String> = [
            "ppid.sulbarprov.go.id",
            "ppid.dkp.sulbarprov.go.id",
            "ppid.dinkes.sulbarprov.go.id",
            "dinkes.sulbarprov.go.id",
            "dinkes.go.id",
            "bappeda.sulbarprov.go.id",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            assign_ids(&hosts, D),
            vec![
                "ppid",
                "ppid-dkp",
                "ppid-dinkes",
                "dinkes-2",
                "dinkes",
                "bappeda"
            ]
        );
    }

    #[test]
    fn link_text_choice() {
        let texts = vec![
            String::new(),
            "Dinkes".to_string(),
            "Dinas  Kesehatan".to_string(),
            "https://dinkes.sulbarprov.go.id/".to_string(),
            "dinkes.sulbarprov.go.id".to_string(),
            "www.dinkes.sulbarprov.go.id".to_string(),
            "Baca Selengkapnya".to_string(),
            "KUNJUNGI WEBSITE".to_string(),
        ];
        assert_eq!(best_link_text(&texts), Some("Dinas Kesehatan".to_string()));
        assert_eq!(best_link_text(&[String::new()]), None);
        assert_eq!(best_link_text(&["Klik di sini".to_string()]), None);
        let tie = vec!["Bbbb".to_string(), "Aaaa".to_string()];
        assert_eq!(best_link_text(&tie), Some("Aaaa".to_string()));
    }

    #[test]
    fn links_and_title_from_a_page() {
        let html = r#"<html><head><title>
  Dinas  Lingkungan Hidup </title><base href="https://sulbarprov.go.id/opd/"></head>
<body><a href="x/">X <b>bold</b></a><a href="https://dlh.sulbarprov.go.id/#top"><img alt="logo"></a>
<map><area href="/peta" alt="Peta"></map><a>no href</a><a href="http://[bad">bad</a></body></html>"#;
        let page = Page::parse(
            Url::parse("https://sulbarprov.go.id/").expect("url"),
            200,
            html,
        );
        assert_eq!(
            page_links(&page),
            vec![
                link("https://sulbarprov.go.id/opd/x/", "X bold"),
                link("https://dlh.sulbarprov.go.id/#top", ""),
                link("https://sulbarprov.go.id/peta", ""),
            ]
        );
        assert_eq!(
            page_title(&page),
            Some("Dinas Lingkungan Hidup".to_string())
        );
    }

    fn seeds_path() -> PathBuf {
        PathBuf::from("agencies.toml")
    }

    #[test]
    fn seed_list_loads() {
        let text = r#"
[[agency]]
host = "Diskominfo.SulbarProv.go.id"
name = "Dinas Komunikasi,   Informatika dan Persandian"
aliases = ["kominfo.sulbarprov.go.id"]

[[agency]]
host = "bappedasultra.go.id"
"#;
        assert_eq!(
            parse_seed_list(&seeds_path(), text).expect("valid"),
            vec![
                SeedAgency {
                    host: "diskominfo.sulbarprov.go.id".into(),
                    name: Some("Dinas Komunikasi, Informatika dan Persandian".into()),
                    aliases: vec!["kominfo.sulbarprov.go.id".into()],
                },
                SeedAgency {
                    host: "bappedasultra.go.id".into(),
                    name: None,
                    aliases: vec![],
                },
            ]
        );
    }

    #[test]
    fn seed_list_errors_name_file_and_line() {
        let cases = [
            ("[[agency]]\nhost = \"a.go.id\"\nnmae = \"typo\"\n", 3, "unknown field `nmae`"),
            ("[[agency]]\nhost = \"a.go.id\"\nname = \n", 3, ""),
            ("[[agency]]\nname = \"x\"\n", 1, "missing field `host`"),
            ("[[agency]]\n\nhost = \"https://a.go.id/\"\n", 3, "`https://a.go.id/` is not a host name"),
            ("[[agency]]\nhost = \"a.go.id\"\n[[agency]]\nhost = \"x.go.id\"\naliases = [\"A.go.id\"]\n", 5, "host `a.go.id` is listed twice (first on line 2)"),
            ("[[agency]]\nhost = \"a.go.id\"\nname = \"  \"\n", 3, "`name` is empty"),
            ("[agencies]\n", 1, "unknown field `agencies`"),
            ("", 1, "lists no agency (expected [[agency]] tables with a `host`)"),
            ("# only a comment\n", 1, "lists no agency"),
        ];
        for (text, line, message) in cases {
            match parse_seed_list(&seeds_path(), text) {
                Err(DiscoverError::SeedInvalid {
                    path,
                    line: l,
                    message: m,
                }) => {
                    assert_eq!(path, seeds_path());
                    assert_eq!(l, line, "{text:?}: {m}");
                    assert!(m.contains(message), "{text:?}: {m}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        let err = load_seed_list(Path::new("/nonexistent/agencies.toml")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("cannot read the seed list /nonexistent/agencies.toml:"));
    }

    // ---- the orchestrator over a canned web ----

    fn doc(url: &str, status: u16, content_type: &str, text: &str) -> FetchOutcome {
        let u = Url::parse(url).expect("url");
        FetchOutcome::Document(FetchedDocument {
            requested_url: u.clone(),
            final_url: u,
            status,
            content_type: Some(content_type.to_string()),
            headers: vec![],
            text: text.to_string(),
            charset: "UTF-8".to_string(),
            bytes: text.len() as u64,
            truncated: false,
            elapsed_ms: 1,
        })
    }

    struct Web {
        pages: HashMap<String, FetchOutcome>,
        log: std::sync::Mutex<Vec<String>>,
    }

    impl Web {
        fn new(pages: Vec<(&str, FetchOutcome)>) -> Web {
            Web {
                pages: pages.into_iter().map(|(u, o)| (u.to_string(), o)).collect(),
                log: std::sync::Mutex::new(Vec::new()),
            }
        }
        fn fetch(&self, url: Url) -> impl Future<Output = FetchOutcome> + '_ {
            if let Ok(mut log) = self.log.lock() {
                log.push(url.to_string());
            }
            let out = self.pages.get(url.as_str()).cloned().unwrap_or_else(|| {
                FetchOutcome::Failed(FetchFailure {
                    url: url.clone(),
                    class: FailureClass::Refused,
                    message: "connection refused".to_string(),
                    location: None,
                })
            });
            async move { out }
        }
        fn fetched(&self) -> Vec<String> {
            self.log.lock().map(|l| l.clone()).unwrap_or_default()
        }
    }

    fn html(body: &str) -> String {
        format!("<html><head><title>Portal</title></head><body>{body}</body></html>")
    }

    #[tokio::test]
    async fn discovery_over_a_canned_portal() {
        let home = html(
            r#"<a href="/opd/">OPD</a> <a href="/berita/a#x">A</a>
               <a href="https://mail.sulbarprov.go.id/">Webmail</a>
               <a href="https://www.sulbarprov.go.id/">www</a>
               <a href="https://dinkes.sulbarprov.go.id/">Dinkes</a>
               <a href="/laporan.pdf">PDF</a>"#,
        );
        let opd = html(
            r#"<a href="https://dinkes.sulbarprov.go.id/">Dinas Kesehatan</a>
               <a href="https://kominfo.sulbarprov.go.id/">Kominfo lama</a>
               <a href="/opd/lagi/">deeper</a>"#,
        );
        let deeper = html(
            r#"<a href="/opd/lagi/lagi/">too deep</a>
               <a href="https://bpbd.sulbarprov.go.id/">Badan Penanggulangan Bencana Daerah</a>"#,
        );
        let web = Web::new(vec![
            ("https://sulbarprov.go.id/", doc("https://sulbarprov.go.id/", 200, "text/html", &home)),
            ("https://sulbarprov.go.id/opd/", doc("https://sulbarprov.go.id/opd/", 200, "text/html", &opd)),
            ("https://sulbarprov.go.id/berita/a", doc("https://sulbarprov.go.id/berita/a", 200, "text/html", &html(""))),
            ("https://sulbarprov.go.id/opd/lagi/", doc("https://sulbarprov.go.id/opd/lagi/", 200, "text/html", &deeper)),
            ("https://sulbarprov.go.id/opd/lagi/lagi/", doc("https://sulbarprov.go.id/opd/lagi/lagi/", 200, "text/html", &html(r#"<a href="https://never.sulbarprov.go.id/">x</a>"#))),
            ("https://www.sulbarprov.go.id/", doc("https://www.sulbarprov.go.id/", 200, "text/html", &html(""))),
            ("https://sulbarprov.go.id/robots.txt", doc("https://sulbarprov.go.id/robots.txt", 200, "text/plain", "User-agent: *\nSitemap: https://sulbarprov.go.id/idx.xml\nSitemap: https://spam.example/s.xml\n")),
            ("https://sulbarprov.go.id/sitemap.xml", doc("https://sulbarprov.go.id/sitemap.xml", 404, "text/html", "")),
            ("https://sulbarprov.go.id/idx.xml", doc("https://sulbarprov.go.id/idx.xml", 200, "application/xml", "<sitemapindex><sitemap><loc>https://sulbarprov.go.id/s1.xml</loc></sitemap></sitemapindex>")),
            ("https://sulbarprov.go.id/s1.xml", doc("https://sulbarprov.go.id/s1.xml", 200, "application/xml", "<urlset><url><loc>https://dlh.sulbarprov.go.id/</loc></url><url><loc>https://dinkes.sulbarprov.go.id/x</loc></url></urlset>")),
            ("https://dlh.sulbarprov.go.id/", doc("https://dlh.sulbarprov.go.id/", 200, "text/html", "<title> Dinas Lingkungan Hidup </title>")),
        ]);
        let seeds = vec![
            SeedAgency {
                host: "diskominfo.sulbarprov.go.id".into(),
                name: Some("Dinas Kominfo".into()),
                aliases: vec!["kominfo.sulbarprov.go.id".into()],
            },
            SeedAgency {
                host: "bappedasultra.go.id".into(),
                name: None,
                aliases: vec![],
            },
        ];
        let found = discover_inner(
            "SulbarProv.go.id",
            |u| web.fetch(u),
            &seeds,
            Some(Path::new("seeds/agencies.toml")),
            &no_dns(),
        )
        .await
        .expect("discovery");
        assert_eq!(found.domain, "sulbarprov.go.id");
        // home, /berita/a, /opd/, /opd/lagi/ (depth 2); not /opd/lagi/lagi/ (depth 3), not the
        // www host (the same site).
        assert_eq!(found.portal_pages_fetched, 4);
        let fetched = web.fetched();
        assert!(!fetched.contains(&"https://www.sulbarprov.go.id/".to_string()));
        assert!(!fetched.iter().any(|u| u.contains("lagi/lagi")));
        assert!(!fetched.iter().any(|u| u.ends_with(".pdf")));
        assert!(!fetched.iter().any(|u| u.contains("spam.example")));
        let seed_prov = Provenance::SeedList {
            file: "seeds/agencies.toml".into(),
        };
        let portal_link = |page: &str| Provenance::PortalLink { page: page.into() };
        let expected = vec![
            Agency {
                id: "bappedasultra".into(),
                host: "bappedasultra.go.id".into(),
                name: "bappedasultra.go.id".into(),
                provenance: vec![seed_prov.clone()],
                explicit: true,
                aliases: vec![],
            },
            Agency {
                id: "bpbd".into(),
                host: "bpbd.sulbarprov.go.id".into(),
                name: "Badan Penanggulangan Bencana Daerah".into(),
                provenance: vec![portal_link("https://sulbarprov.go.id/opd/lagi/")],
                explicit: false,
                aliases: vec![],
            },
            Agency {
                id: "dinkes".into(),
                host: "dinkes.sulbarprov.go.id".into(),
                name: "Dinas Kesehatan".into(),
                provenance: vec![
                    portal_link("https://sulbarprov.go.id/"),
                    portal_link("https://sulbarprov.go.id/opd/"),
                    Provenance::Sitemap {
                        sitemap: "https://sulbarprov.go.id/s1.xml".into(),
                    },
                ],
                explicit: false,
                aliases: vec![],
            },
            Agency {
                id: "diskominfo".into(),
                host: "diskominfo.sulbarprov.go.id".into(),
                name: "Dinas Kominfo".into(),
                provenance: vec![
                    portal_link("https://sulbarprov.go.id/opd/"),
                    seed_prov.clone(),
                ],
                explicit: true,
                aliases: vec!["kominfo.sulbarprov.go.id".into()],
            },
            Agency {
                id: "dlh".into(),
                host: "dlh.sulbarprov.go.id".into(),
                name: "Dinas Lingkungan Hidup".into(),
                provenance: vec![Provenance::Sitemap {
                    sitemap: "https://sulbarprov.go.id/s1.xml".into(),
                }],
                explicit: false,
                aliases: vec![],
            },
        ];
        assert_eq!(found.agencies, expected);
        assert_eq!(
            found.problems,
            vec![
                "sitemap https://spam.example/s.xml is not on the portal's host; not read".to_string(),
                "no name for bappedasultra.go.id: its home page cannot be read (connection_refused: connection refused); the host name is used".to_string(),
            ]
        );
    }

    #[tokio::test]
    async fn dns_ct_applications_and_off_domain_sites() {
        let home = html(
            r#"<a href="https://dinkes.sulbarprov.go.id/">Dinas Kesehatan</a>
               <a href="https://jdih.sulbarprov.go.id/">JDIH Provinsi Sulawesi Barat</a>
               <a href="https://bappedasulbar.go.id/">Bappeda Sulbar</a>
               <a href="https://bappedasulbar.go.id/profil">Profil</a>
               <a href="https://dispora-sulbar.blogspot.com/">Dinas Pemuda dan Olahraga</a>
               <a href="https://dinkes.mamujukab.go.id/">Dinas Kesehatan Kabupaten Mamuju</a>
               <a href="https://www.lapor.go.id/">SP4N-LAPOR!</a>
               <a href="https://www.instagram.com/dinkes.sulbar/">Dinas Kesehatan</a>"#,
        );
        let web = Web::new(vec![
            (
                "https://sulbarprov.go.id/",
                doc("https://sulbarprov.go.id/", 200, "text/html", &home),
            ),
            (
                "https://sulbarprov.go.id/sitemap.xml",
                doc("https://sulbarprov.go.id/sitemap.xml", 404, "text/html", ""),
            ),
            (
                "https://dishub.sulbarprov.go.id/",
                doc(
                    "https://dishub.sulbarprov.go.id/",
                    200,
                    "text/html",
                    "<title>Dinas Perhubungan</title>",
                ),
            ),
            (
                "https://dlh.sulbarprov.go.id/",
                doc(
                    "https://dlh.sulbarprov.go.id/",
                    200,
                    "text/html",
                    "<title>DLH Sulbar</title>",
                ),
            ),
            // A virtual host that serves the portal itself, and one that redirects to it.
            (
                "https://pu.sulbarprov.go.id/",
                doc("https://pu.sulbarprov.go.id/", 200, "text/html", &html("")),
            ),
            (
                "https://dpk.sulbarprov.go.id/",
                FetchOutcome::Failed(FetchFailure {
                    url: Url::parse("https://dpk.sulbarprov.go.id/").expect("url"),
                    class: FailureClass::OffScopeRedirect,
                    message: "redirected to https://www.sulbarprov.go.id/".into(),
                    location: Some(Url::parse("https://www.sulbarprov.go.id/").expect("url")),
                }),
            ),
        ]);
        let resolver = MapResolver::with(
            &[
                "dinkes.sulbarprov.go.id",
                "dishub.sulbarprov.go.id",
                "simpeg.sulbarprov.go.id",
                "tidakada.sulbarprov.go.id",
                "pu.sulbarprov.go.id",
                "dpk.sulbarprov.go.id",
            ],
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        );
        let ct = CtExport {
            file: PathBuf::from("ct.json"),
            names: vec![
                "mail.sulbarprov.go.id".into(),
                "simpeg.sulbarprov.go.id".into(),
                "sulbarprov.go.id".into(),
                "www.bkd.sulbarprov.go.id".into(),
                "www.sulbarprov.go.id".into(),
                "dlh.sulbarprov.go.id".into(),
                "x.example.go.id".into(),
            ],
        };
        let options = DiscoverOptions {
            dns: true,
            resolver: Some(Arc::new(resolver)),
            ct: Some(ct),
            ..DiscoverOptions::default()
        };
        let found = discover_inner(D, |u| web.fetch(u), &[], None, &options)
            .await
            .expect("discovery");
        let ct_prov = Provenance::CertificateTransparency {
            file: "ct.json".into(),
        };
        let got: Vec<(&str, &str, &[Provenance])> = found
            .agencies
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str(), a.provenance.as_slice()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("bkd", "Badan Kepegawaian Daerah", &[ct_prov.clone()][..]),
                (
                    "dinkes",
                    "Dinas Kesehatan",
                    &[
                        Provenance::PortalLink {
                            page: "https://sulbarprov.go.id/".into()
                        },
                        Provenance::Dns
                    ][..]
                ),
                ("dishub", "Dinas Perhubungan", &[Provenance::Dns][..]),
                ("dlh", "DLH Sulbar", &[ct_prov.clone()][..]),
            ]
        );
        assert_eq!(
            found.applications,
            vec![
                Application {
                    host: "jdih.sulbarprov.go.id".into(),
                    kind: ApplicationKind::PublicService,
                    label: "jdih".into(),
                    name: Some("JDIH Provinsi Sulawesi Barat".into()),
                    provenance: vec![Provenance::PortalLink {
                        page: "https://sulbarprov.go.id/".into()
                    }],
                },
                Application {
                    host: "simpeg.sulbarprov.go.id".into(),
                    kind: ApplicationKind::StaffSystem,
                    label: "simpeg".into(),
                    name: None,
                    provenance: vec![Provenance::Dns, ct_prov.clone()],
                },
            ]
        );
        assert_eq!(
            found.off_domain,
            vec![
                OffDomainSite {
                    name: "Bappeda Sulbar".into(),
                    url: "https://bappedasulbar.go.id/".into(),
                    host: "bappedasulbar.go.id".into(),
                    kind: OffDomainKind::OtherGoId,
                    units: vec!["bappeda".into()],
                    pages: vec!["https://sulbarprov.go.id/".into()],
                },
                OffDomainSite {
                    name: "Dinas Pemuda dan Olahraga".into(),
                    url: "https://dispora-sulbar.blogspot.com/".into(),
                    host: "dispora-sulbar.blogspot.com".into(),
                    kind: OffDomainKind::NonGovernment,
                    units: vec!["pemuda-olahraga".into()],
                    pages: vec!["https://sulbarprov.go.id/".into()],
                },
            ]
        );
        assert_eq!(
            found.dns_names_tried,
            Nomenclature::builtin().dns_labels().len()
        );
        assert_eq!(
            found.problems,
            vec![
                "no name for bkd.sulbarprov.go.id: its home page cannot be read (connection_refused: connection refused); the nomenclature's name \"Badan Kepegawaian Daerah\" is used".to_string(),
                "dpk.sulbarprov.go.id redirects to the portal (https://www.sulbarprov.go.id/); not counted as an OPD site".to_string(),
                "pu.sulbarprov.go.id serves the portal's home page (same <title>); not counted as an OPD site".to_string(),
            ]
        );
        // Only the names built from tokens are asked: `tidakada` is not a token.
        assert!(!found.agencies.iter().any(|a| a.id == "tidakada"));
    }

    #[tokio::test]
    async fn wildcard_dns_and_a_foreign_ct_export_are_problems() {
        let web = Web::new(vec![
            (
                "https://sulbarprov.go.id/",
                doc("https://sulbarprov.go.id/", 200, "text/html", &html("")),
            ),
            (
                "https://sulbarprov.go.id/sitemap.xml",
                doc("https://sulbarprov.go.id/sitemap.xml", 404, "text/html", ""),
            ),
        ]);
        let options = DiscoverOptions {
            resolver: Some(Arc::new(MapResolver::with(
                &["*.sulbarprov.go.id"],
                std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            ))),
            ct: Some(CtExport {
                file: PathBuf::from("other.json"),
                names: vec!["dinkes.sultraprov.go.id".into()],
            }),
            ..DiscoverOptions::default()
        };
        let found = discover_inner(D, |u| web.fetch(u), &[], None, &options)
            .await
            .expect("discovery");
        assert_eq!(found.agencies, vec![]);
        assert_eq!(found.dns_names_tried, 0);
        assert_eq!(
            found.problems,
            vec![
                "wildcard DNS: a random name under sulbarprov.go.id resolves, so DNS guesses cannot tell real hosts; DNS discovery skipped".to_string(),
                "the certificate-transparency export other.json names no host under sulbarprov.go.id".to_string(),
            ]
        );
    }

    #[tokio::test]
    async fn unreachable_portal_is_fatal_only_without_seeds() {
        let web = Web::new(vec![]);
        let err = discover_inner(D, |u| web.fetch(u), &[], None, &no_dns())
            .await
            .expect_err("no portal, no seeds");
        assert_eq!(
            err.to_string(),
            "the portal http://www.sulbarprov.go.id/ cannot be read (connection_refused: connection refused) and no seed list was given (--agencies FILE)"
        );
        let seeds = vec![SeedAgency {
            host: "dinkes.sulbarprov.go.id".into(),
            name: Some("Dinas Kesehatan".into()),
            aliases: vec![],
        }];
        let found = discover_inner(D, |u| web.fetch(u), &seeds, None, &no_dns())
            .await
            .expect("seeds suffice");
        assert_eq!(found.portal_pages_fetched, 0);
        assert_eq!(found.agencies.len(), 1);
        assert_eq!(found.agencies[0].id, "dinkes");
        assert_eq!(found.agencies[0].name, "Dinas Kesehatan");
        assert_eq!(
            found.agencies[0].provenance,
            vec![Provenance::SeedList {
                file: "agencies.toml".into()
            }]
        );
        assert_eq!(found.problems.len(), 1);
        assert!(
            found.problems[0].starts_with("the portal http://www.sulbarprov.go.id/ cannot be read")
        );
        assert!(matches!(
            discover_inner("http://x", |u| web.fetch(u), &seeds, None, &no_dns()).await,
            Err(DiscoverError::BadDomain { .. })
        ));
    }

    #[tokio::test]
    async fn portal_on_www_only() {
        let web = Web::new(vec![
            (
                "https://www.sulbarprov.go.id/",
                doc(
                    "https://www.sulbarprov.go.id/",
                    200,
                    "text/html",
                    &html(
                        r#"<a href="https://dispar.sulbarprov.go.id/">Dinas Pariwisata</a><a href="/p/">p</a>"#,
                    ),
                ),
            ),
            (
                "https://www.sulbarprov.go.id/p/",
                doc(
                    "https://www.sulbarprov.go.id/p/",
                    200,
                    "text/html",
                    &html(""),
                ),
            ),
            (
                "https://www.sulbarprov.go.id/sitemap.xml",
                doc(
                    "https://www.sulbarprov.go.id/sitemap.xml",
                    200,
                    "application/xml",
                    "<urlset><url><loc>https://dlh.sulbarprov.go.id/</loc></url></urlset>",
                ),
            ),
            (
                "https://dlh.sulbarprov.go.id/",
                doc(
                    "https://dlh.sulbarprov.go.id/",
                    200,
                    "text/html",
                    "<title>DLH</title>",
                ),
            ),
        ]);
        let found = discover_inner(D, |u| web.fetch(u), &[], None, &no_dns())
            .await
            .expect("www portal");
        assert_eq!(found.portal_pages_fetched, 2);
        let got: Vec<(&str, &str, &[Provenance])> = found
            .agencies
            .iter()
            .map(|a| (a.host.as_str(), a.name.as_str(), a.provenance.as_slice()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "dispar.sulbarprov.go.id",
                    "Dinas Pariwisata",
                    &[Provenance::PortalLink {
                        page: "https://www.sulbarprov.go.id/".into()
                    }][..]
                ),
                (
                    "dlh.sulbarprov.go.id",
                    "DLH",
                    &[Provenance::Sitemap {
                        sitemap: "https://www.sulbarprov.go.id/sitemap.xml".into()
                    }][..]
                ),
            ]
        );
    }
}
