//! Fetching one URL politely: [`FetchSettings`] → [`Fetcher`] → [`FetchOutcome`].
//!
//! Every request goes through, in order: the robots.txt decision (RFC 9309) for its host, the
//! per-host rate limit (governor), then the HTTP client (reqwest, with `--resolve` overrides and
//! redirect handling), then charset decoding of the body. A page that answers with an HTTP
//! error is a [`FetchedDocument`] with that status; only a request that got no HTTP answer at
//! all is a [`FetchFailure`].
//!
//! INTERFACE CONTRACT (used by `audit.rs`, `crawl.rs`, `discover.rs`):
//! `Fetcher::new(FetchSettings) -> Result<Fetcher, FetchError>` and
//! `Fetcher::fetch(&self, &Url) -> FetchOutcome` (never panics, never `Err`: every per-request
//! problem is a [`FetchOutcome`]); `"HOST:IP:PORT".parse::<ResolveOverride>()`.
//! Added: `Fetcher::robots_unreachable(&Url) -> Option<String>`,
//! `Fetcher::request_interval(&str) -> Option<Duration>`, `FetchedDocument::is_html()`,
//! `FetchFailure::location`, `FailureClass::RedirectLoop`, `FailureClass::BlockedAddress`,
//! `FetchSettings::allow_private` and `impl Default for FetchSettings` (build settings with
//! `..FetchSettings::default()` so new fields need no change at call sites),
//! [`is_public_address`], `FailureClass::RateLimited`, `Fetcher::fetch_with_body`,
//! `Fetcher::ip_interval`, `Fetcher::server_address`, `Fetcher::paused_for`,
//! `Fetcher::robots_sitemaps`, `FetchedDocument::charset_conflict`, TLS subclasses of
//! `FailureClass` (`TlsExpired`, `TlsWrongHost`, `TlsSelfSigned`, `TlsIncompleteChain`,
//! `TlsUnknownIssuer`; `FailureClass::is_tls`), `FailureClass::Closed`,
//! `FetchedDocument::refresh` ([`refresh::Refresh`]), `FetchSettings::{rate_per_ip,
//! first_byte_timeout, max_retries, retry_base, max_retry_after, robots_retry_interval}`.
//!
//! Submodules: `client` (reqwest client, capped body, error classes), `resolve` (`--resolve`),
//! `robots` (RFC 9309 cache), `politeness` (governor per-host pacing), `decode` (charsets),
//! `refresh` (the `Refresh` header and `<meta http-equiv="refresh">`).

mod client;
pub mod decode;
mod politeness;
pub mod refresh;
mod resolve;
mod robots;
mod tls;

pub use politeness::MAX_CRAWL_DELAY;
pub use resolve::is_public_address;
pub use robots::{MAX_ROBOTS_ATTEMPTS, MAX_ROBOTS_BYTES, MAX_ROBOTS_REDIRECTS};

use reqwest::cookie::CookieStore;
use std::collections::HashMap;
use std::sync::PoisonError;
use std::time::{Duration, Instant};
use url::Url;

/// Redirect hops [`Fetcher::fetch`] follows at most.
pub const MAX_REDIRECTS: usize = 10;

/// Default `User-Agent` product token; the full header is `pantau/<version> (+<contact>)`.
pub const DEFAULT_CONTACT_URL: &str = "https://github.com/pantau-audit/pantau";
/// Default per-host request rate, in requests per second.
pub const DEFAULT_RATE_PER_HOST: f64 = 2.0;
/// Default connect timeout, in milliseconds.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 10_000;
/// Default total timeout of one response (headers and body), in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// Default cap on a response body, in bytes (after decompression): 5 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 5 * 1024 * 1024;
/// Default first-byte timeout (request sent → response headers), in milliseconds.
pub const DEFAULT_FIRST_BYTE_TIMEOUT_MS: u64 = 15_000;
/// Default retries of one request after a transient error or a 429/503.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first back-off between retries, in milliseconds.
pub const DEFAULT_RETRY_BASE_MS: u64 = 1_000;
/// Default longest `Retry-After` waited for, in seconds.
pub const DEFAULT_MAX_RETRY_AFTER_S: u64 = 60;
/// Default time before an unreachable robots.txt is asked again, in seconds.
pub const DEFAULT_ROBOTS_RETRY_S: u64 = 60;

/// One `--resolve HOST:IP:PORT` override: connections for `host` (or, when `host` starts with
/// `*.`, for every subdomain of the rest at any depth, NOT the rest itself: add the apex as its
/// own override) go to `addr`, keeping the URL and the `Host` header unchanged, like curl's
/// `--connect-to`. The port of `addr` is used unless the URL names a port. Parse with
/// `"*.sulbarprov.go.id:127.0.0.1:8080".parse::<ResolveOverride>()` (IPv6 as `[::1]:PORT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveOverride {
    /// Lower-case host name, or `*.` followed by a domain.
    pub host: String,
    /// The socket address every connection for `host` is sent to.
    pub addr: std::net::SocketAddr,
}

/// Everything the fetcher needs, resolved from the CLI and `pantau.toml`.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Full `User-Agent` header value.
    pub user_agent: String,
    /// The robots.txt product token matched against `User-agent:` lines (`pantau`).
    pub robots_token: String,
    /// Requests per second per host; `0` turns the limit off (benchmarks, tests).
    pub rate_per_host: f64,
    /// TCP + TLS connect timeout.
    pub connect_timeout: Duration,
    /// Timeout of one response, from sending the request to the last body byte.
    pub timeout: Duration,
    /// Cap on one response body in bytes; a longer body is cut and marked truncated.
    pub max_body_bytes: u64,
    /// In-process DNS overrides (`--resolve`).
    pub resolve: Vec<ResolveOverride>,
    /// Extra trusted root certificates, PEM (`--ca-cert FILE`; the fixture server's CA in the demo).
    pub extra_root_certs_pem: Vec<String>,
    /// Allow connections to loopback, private, link-local, metadata and other non-public
    /// addresses reached by DNS or named in the URL (`--allow-private`). Default `false`: such a
    /// request fails with [`FailureClass::BlockedAddress`]. Addresses given by a `--resolve`
    /// override are always allowed. See [`is_public_address`].
    pub allow_private: bool,
    /// Requests per second per server IP address (all hosts answering from one address share
    /// it); `None` means twice `rate_per_host` (so off when that is 0), `Some(0.0)` turns it off.
    pub rate_per_ip: Option<f64>,
    /// Timeout from sending a request to its response headers (covers connect and TLS), shorter
    /// than [`FetchSettings::timeout`] so a server that never answers is given up early.
    pub first_byte_timeout: Duration,
    /// Retries at most of one request after a transient error (timeout, connection reset or
    /// closed mid-answer) or a 429/503; a timeout is retried at most once. 0 = no retries.
    pub max_retries: u32,
    /// The first back-off between retries; doubled each retry, with ±50% jitter.
    pub retry_base: Duration,
    /// The longest `Retry-After` pantau waits for; a longer one makes the request (and every
    /// request to that host until the wait is over) "rate limited — not checked".
    pub max_retry_after: Duration,
    /// How long an unreachable robots.txt (5xx, 429, no answer) blocks its origin before it is
    /// asked again (at most [`MAX_ROBOTS_ATTEMPTS`] times per run). The crawl of an agency
    /// waits this long before asking again for the URLs robots.txt refused
    /// ([`crate::crawl::ROBOTS_RETRY_ROUNDS`] times).
    pub robots_retry_interval: Duration,
}

impl FetchSettings {
    /// The per-IP rate in force: `rate_per_ip`, or twice `rate_per_host` when unset.
    pub fn effective_rate_per_ip(&self) -> f64 {
        self.rate_per_ip.unwrap_or(2.0 * self.rate_per_host)
    }
}

impl Default for FetchSettings {
    /// The CLI defaults: `pantau/<version> (+DEFAULT_CONTACT_URL)`, token `pantau`,
    /// [`DEFAULT_RATE_PER_HOST`], [`DEFAULT_CONNECT_TIMEOUT_MS`], [`DEFAULT_TIMEOUT_MS`],
    /// [`DEFAULT_MAX_BODY_BYTES`], no overrides, no extra roots, private addresses blocked,
    /// per-IP rate twice the host rate, [`DEFAULT_FIRST_BYTE_TIMEOUT_MS`],
    /// [`DEFAULT_MAX_RETRIES`], [`DEFAULT_RETRY_BASE_MS`], [`DEFAULT_MAX_RETRY_AFTER_S`],
    /// [`DEFAULT_ROBOTS_RETRY_S`].
    fn default() -> FetchSettings {
        FetchSettings {
            user_agent: format!(
                "pantau/{} (+{DEFAULT_CONTACT_URL})",
                env!("CARGO_PKG_VERSION")
            ),
            robots_token: "pantau".to_string(),
            rate_per_host: DEFAULT_RATE_PER_HOST,
            connect_timeout: Duration::from_millis(DEFAULT_CONNECT_TIMEOUT_MS),
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            resolve: Vec::new(),
            extra_root_certs_pem: Vec::new(),
            allow_private: false,
            rate_per_ip: None,
            first_byte_timeout: Duration::from_millis(DEFAULT_FIRST_BYTE_TIMEOUT_MS),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base: Duration::from_millis(DEFAULT_RETRY_BASE_MS),
            max_retry_after: Duration::from_secs(DEFAULT_MAX_RETRY_AFTER_S),
            robots_retry_interval: Duration::from_secs(DEFAULT_ROBOTS_RETRY_S),
        }
    }
}

/// A response that came back with an HTTP status (any status, 200 or 500 alike).
#[derive(Debug, Clone)]
pub struct FetchedDocument {
    /// The URL pantau asked for.
    pub requested_url: Url,
    /// The URL of the final response, after in-scope redirects.
    pub final_url: Url,
    /// HTTP status of the final response.
    pub status: u16,
    /// MIME essence of the final response, lower case (`text/html`), corrected by sniffing:
    /// binary magic bytes (PDF, images, ZIP, gzip) win over the header, and a body without a
    /// usable type that sniffs as HTML is `text/html` (see [`decode::effective_type`]).
    pub content_type: Option<String>,
    /// Response headers, names lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body decoded to UTF-8 when it is text (`text/*`, XHTML, XML, JSON, `+xml`, `+json`)
    /// or untyped and sniffs as HTML; empty otherwise.
    pub text: String,
    /// The WHATWG name of the encoding the body was decoded from (`UTF-8`, `windows-1252`);
    /// empty when the body was not decoded (not a text type). Chosen by BOM, then the
    /// `Content-Type` charset, then a `<meta>` pre-scan of the first 1024 bytes (HTML only),
    /// else UTF-8 or, when the bytes are not valid UTF-8, windows-1252 (see [`decode`]).
    pub charset: String,
    /// Body bytes received on the wire after content decoding, capped at `max_body_bytes`.
    pub bytes: u64,
    /// True when the body was cut at `max_body_bytes`, or an HTML text where it nests deeper
    /// than [`decode::MAX_NESTING`] open elements.
    pub truncated: bool,
    /// Time from sending the first request to the last body byte, in milliseconds.
    pub elapsed_ms: u64,
}

impl FetchedDocument {
    /// For an HTML document: `(header charset, meta charset)` when the `Content-Type` charset
    /// and the `<meta>` pre-scan name different encodings (a finding; the header was used).
    /// See [`decode::charset_conflict`]; the pre-scan runs on the decoded text, which keeps the
    /// ASCII `<meta>` markup of every ASCII-compatible encoding.
    pub fn charset_conflict(&self) -> Option<(String, String)> {
        if !self.is_html() {
            return None;
        }
        let content_type = self
            .headers
            .iter()
            .find(|(name, _)| name == "content-type")
            .map(|(_, value)| value.as_str());
        decode::charset_conflict(content_type, self.text.as_bytes())
    }

    /// For an HTML document: its declarative refresh, from the `Refresh` header or else the first
    /// valid `<meta http-equiv="refresh">` (HTML §7.11.1; see [`refresh`]), the target resolved
    /// against `final_url` (`final_url` itself for a reload). `None` for other documents.
    pub fn refresh(&self) -> Option<refresh::Refresh> {
        if !self.is_html() {
            return None;
        }
        refresh::find_refresh(&self.final_url, &self.headers, &self.text)
    }

    /// True for an HTML document: content type `text/html` or `application/xhtml+xml`, or no
    /// content type and a body that sniffs as HTML (WHATWG MIME Sniffing §7.1).
    pub fn is_html(&self) -> bool {
        match self.content_type.as_deref() {
            Some(t) => t == "text/html" || t == "application/xhtml+xml",
            None => decode::sniffs_as_html(self.text.as_bytes()),
        }
    }
}

/// Why a request got no usable HTTP answer. [`FailureClass::code`] is the stable snake_case code
/// written into scorecards as `status_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FailureClass {
    /// The host name does not resolve.
    Dns,
    /// The TCP connection was refused or reset.
    Refused,
    /// The server accepted the connection and closed it before a complete answer: hyper's
    /// `IncompleteMessage` ("connection closed before message completed") on plain HTTP, an
    /// unexpected EOF during the TLS handshake ("tls handshake eof"), or a body cut by the peer
    /// closing. Worth a retry (like a reset); a host that always does it is up but not serving.
    Closed,
    /// Connect or response timeout.
    Timeout,
    /// TLS handshake or certificate failure not covered by the classes below (a peer that does
    /// not speak TLS, a handshake alert, a revoked or malformed certificate).
    Tls,
    /// The certificate has expired or is not valid yet.
    TlsExpired,
    /// The certificate does not name the host (RFC 6125).
    TlsWrongHost,
    /// The certificate is self-signed.
    TlsSelfSigned,
    /// Only the leaf certificate was sent and its issuer is not a trusted root (the intermediate
    /// certificate is missing; an unknown CA looks the same).
    TlsIncompleteChain,
    /// The chain leads to no trusted root.
    TlsUnknownIssuer,
    /// More than the allowed redirect hops ([`MAX_REDIRECTS`]).
    TooManyRedirects,
    /// A redirect chain that comes back to a URL for the third time (one self-redirect is allowed:
    /// sites set a cookie and redirect to the same URL).
    RedirectLoop,
    /// A redirect to a host outside the agency's scope (recorded, not followed).
    OffScopeRedirect,
    /// The host resolved to (or the URL named) a loopback, private, link-local, metadata or
    /// other non-public address, and neither `--resolve` nor `--allow-private` allowed it; no
    /// connection was made (SSRF guard).
    BlockedAddress,
    /// The server asked pantau to wait (429/503 with `Retry-After`) longer than
    /// `max_retry_after`, or still answered 429 after the retries: "rate limited — not checked",
    /// which says nothing about the page being broken.
    RateLimited,
    /// Any other transport error.
    Other,
}

impl FailureClass {
    /// True for every TLS class (`Tls` and its subclasses).
    pub fn is_tls(self) -> bool {
        matches!(
            self,
            FailureClass::Tls
                | FailureClass::TlsExpired
                | FailureClass::TlsWrongHost
                | FailureClass::TlsSelfSigned
                | FailureClass::TlsIncompleteChain
                | FailureClass::TlsUnknownIssuer
        )
    }

    /// A short sentence for people about a TLS subclass, `None` for other classes.
    fn tls_sentence(self) -> Option<&'static str> {
        Some(match self {
            FailureClass::TlsExpired => "the certificate has expired or is not valid yet",
            FailureClass::TlsWrongHost => "the certificate is not valid for this host name",
            FailureClass::TlsSelfSigned => "the certificate is self-signed",
            FailureClass::TlsIncompleteChain => {
                "incomplete certificate chain: the intermediate certificate is missing"
            }
            FailureClass::TlsUnknownIssuer => "the certificate's issuer is not trusted",
            _ => return None,
        })
    }

    /// Stable code for scorecards: `dns_not_found`, `connection_refused`, `connection_closed`,
    /// `timeout`,
    /// `tls_invalid`, `tls_expired`, `tls_wrong_host`, `tls_self_signed`,
    /// `tls_incomplete_chain`, `tls_unknown_issuer`, `too_many_redirects`, `redirect_loop`, `off_scope_redirect`,
    /// `blocked_address`, `rate_limited`, `transport_error`.
    pub fn code(self) -> &'static str {
        match self {
            FailureClass::Dns => "dns_not_found",
            FailureClass::Refused => "connection_refused",
            FailureClass::Closed => "connection_closed",
            FailureClass::Timeout => "timeout",
            FailureClass::Tls => "tls_invalid",
            FailureClass::TlsExpired => "tls_expired",
            FailureClass::TlsWrongHost => "tls_wrong_host",
            FailureClass::TlsSelfSigned => "tls_self_signed",
            FailureClass::TlsIncompleteChain => "tls_incomplete_chain",
            FailureClass::TlsUnknownIssuer => "tls_unknown_issuer",
            FailureClass::TooManyRedirects => "too_many_redirects",
            FailureClass::RedirectLoop => "redirect_loop",
            FailureClass::OffScopeRedirect => "off_scope_redirect",
            FailureClass::BlockedAddress => "blocked_address",
            FailureClass::RateLimited => "rate_limited",
            FailureClass::Other => "transport_error",
        }
    }
}

/// A request that got no usable HTTP answer.
#[derive(Debug, Clone)]
pub struct FetchFailure {
    /// The URL pantau asked for.
    pub url: Url,
    /// What went wrong.
    pub class: FailureClass,
    /// A sentence for people, e.g. the redirect target or the OS error.
    pub message: String,
    /// For [`FailureClass::OffScopeRedirect`]: the redirect target (absolute, fragment dropped).
    pub location: Option<Url>,
}

/// What one fetch produced.
#[derive(Debug, Clone)]
pub enum FetchOutcome {
    /// An HTTP answer (any status).
    Document(FetchedDocument),
    /// robots.txt disallows the URL for pantau's token; nothing was requested.
    RobotsDisallowed(Url),
    /// No usable HTTP answer.
    Failed(FetchFailure),
}

/// Errors building the fetcher or parsing its settings. Per-request problems are
/// [`FetchOutcome`]s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// A `--resolve` value that is not `HOST:IP:PORT`.
    #[error("bad --resolve value `{input}`: {reason}")]
    BadResolve {
        /// The value as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An extra root certificate (`--ca-cert`) that is not a PEM certificate.
    #[error("extra root certificate #{} is not a usable PEM certificate: {reason}", index + 1)]
    RootCert {
        /// Position in `extra_root_certs_pem`, from 0 (the message counts from 1).
        index: usize,
        /// The parser's complaint.
        reason: String,
    },
    /// A setting out of range (`rate_per_host` negative or not finite).
    #[error("bad fetch setting {name} = {value}: {reason}")]
    Setting {
        /// The setting's name.
        name: &'static str,
        /// Its value, as text.
        value: String,
        /// The allowed range.
        reason: &'static str,
    },
}

/// The polite fetcher shared by every agency of a run. Cheap to share behind `Arc`; `Sync`.
pub struct Fetcher {
    settings: FetchSettings,
    client: reqwest::Client,
    /// One cookie jar per host (see [`Fetcher::fetch`]), created on the host's first
    /// `Set-Cookie`.
    jars: std::sync::Mutex<HashMap<String, std::sync::Arc<reqwest::cookie::Jar>>>,
    robots: robots::RobotsCache,
    politeness: politeness::Politeness,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("settings", &self.settings)
            .field("politeness", &self.politeness)
            .finish_non_exhaustive()
    }
}

/// One answered request inside a redirect chain.
enum Hop {
    /// A final response.
    Response(reqwest::Response),
    /// A redirect to this absolute URL.
    Redirect(Url),
}

/// A request that got no usable answer, before it becomes a [`FetchFailure`].
#[derive(Debug)]
struct Problem {
    class: FailureClass,
    message: String,
    /// Worth retrying after a back-off (timeout, connection reset or closed mid-answer).
    transient: bool,
}

impl Problem {
    fn new(class: FailureClass, message: String) -> Problem {
        Problem {
            class,
            message,
            transient: false,
        }
    }
}

/// What the retry loop does after one attempt.
enum Next {
    /// Return this.
    Done(Result<Hop, Problem>),
    /// Sleep this long, then try again.
    Retry(Duration),
}

impl Fetcher {
    /// Build the client, the rate limiters and the robots cache.
    ///
    /// Errors: a `rate_per_host` or `rate_per_ip` that is negative or not finite
    /// ([`FetchError::Setting`]), a bad root certificate ([`FetchError::RootCert`], naming
    /// which), or a client that cannot be built (e.g. a `User-Agent` with control characters).
    pub fn new(settings: FetchSettings) -> Result<Fetcher, FetchError> {
        let rate_per_ip = settings.effective_rate_per_ip();
        for (name, rate) in [
            ("rate_per_host", settings.rate_per_host),
            ("rate_per_ip", rate_per_ip),
        ] {
            if !rate.is_finite() || rate < 0.0 {
                return Err(FetchError::Setting {
                    name,
                    value: rate.to_string(),
                    reason: "must be a finite number of requests per second, 0 or more",
                });
            }
        }
        Ok(Fetcher {
            client: client::build(&settings)?,
            jars: std::sync::Mutex::new(HashMap::new()),
            robots: robots::RobotsCache::default(),
            politeness: politeness::Politeness::new(settings.rate_per_host, rate_per_ip),
            settings,
        })
    }

    /// Fetch one URL politely: robots.txt decision for its host (fetched once per host and
    /// cached; retried later in the run while unreachable), the host's `Retry-After` pause, the
    /// per-host and per-IP rate limits, then the request, retried on transient errors (see
    /// [`FetchSettings::max_retries`]). Redirects are followed (at most 10 hops) while they stay
    /// on the same host (scheme and port may change); a redirect to another host is `Failed`
    /// with [`FailureClass::OffScopeRedirect`] and the target in `message`.
    ///
    /// Cookies (RFC 6265) are kept in one jar per host: a cookie set by a response from host `h`
    /// is stored in `h`'s jar only and sent only on requests to `h` that it matches, so a site
    /// that sets a cookie and redirects to itself passes, and a cookie one agency sets (even
    /// with `Domain=.sulbarprov.go.id`) never reaches another agency's host (an agency's scope
    /// is exactly its host, so this is a jar per agency, shared by nothing else).
    ///
    /// Every hop of a redirect chain passes the address guard, robots.txt (of the hop's origin)
    /// and the rate limits. A body that fails half-way (timeout, reset) is `Failed`. When
    /// robots.txt of the origin got no HTTP answer at all, the fetch is `Failed` with that class
    /// (nothing is requested). A server asking to wait longer than `max_retry_after`, or still
    /// answering 429 after the retries, is `Failed` with [`FailureClass::RateLimited`].
    ///
    /// `content_type` of the document is the final response's, except that a body whose magic
    /// bytes say PDF, PNG, JPEG, GIF, WebP, ZIP or gzip gets that type whatever the header said
    /// (so PDF bytes labelled `text/html` are not parsed as HTML), and a body without a usable
    /// type that sniffs as HTML gets `text/html` (WHATWG MIME Sniffing §7.1).
    pub async fn fetch(&self, url: &Url) -> FetchOutcome {
        self.fetch_with_body(url).await.0
    }

    /// [`Fetcher::fetch`], also returning the body bytes after content decoding (capped at
    /// `max_body_bytes`; empty unless the outcome is a `Document`). For sitemaps and other
    /// non-text bodies, whose `text` is empty.
    pub async fn fetch_with_body(&self, url: &Url) -> (FetchOutcome, Vec<u8>) {
        let failed = |class: FailureClass, message: String| {
            FetchOutcome::Failed(FetchFailure {
                url: url.clone(),
                class,
                message,
                location: None,
            })
        };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            let message = format!("cannot fetch {url}: only http and https URLs with a host");
            return (failed(FailureClass::Other, message), Vec::new());
        }
        let mut current = url.clone();
        current.set_fragment(None);
        let mut visits: HashMap<String, u32> = HashMap::from([(current.to_string(), 1)]);
        let mut started: Option<Instant> = None;
        let mut hops = 0;
        let response = loop {
            if let Err(p) = self.check_address(&current) {
                return (failed(p.class, p.message), Vec::new());
            }
            match self.robots_verdict(&current).await {
                robots::Verdict::Allowed => {}
                robots::Verdict::Disallowed => {
                    return (FetchOutcome::RobotsDisallowed(current), Vec::new())
                }
                robots::Verdict::Failed(mut failure) => {
                    failure.url = url.clone();
                    return (FetchOutcome::Failed(*failure), Vec::new());
                }
            }
            started.get_or_insert_with(Instant::now);
            let target = match self.send(&current).await {
                Ok(Hop::Response(response)) => break response,
                Ok(Hop::Redirect(target)) => target,
                Err(p) => return (failed(p.class, p.message), Vec::new()),
            };
            if hops == MAX_REDIRECTS {
                let message = format!("more than {MAX_REDIRECTS} redirects, the last to {target}");
                return (failed(FailureClass::TooManyRedirects, message), Vec::new());
            }
            hops += 1;
            if target.host_str() != url.host_str() {
                let failure = FetchFailure {
                    url: url.clone(),
                    class: FailureClass::OffScopeRedirect,
                    message: format!(
                        "redirected to {target}, outside {}",
                        url.host_str().unwrap_or_default()
                    ),
                    location: Some(target),
                };
                return (FetchOutcome::Failed(failure), Vec::new());
            }
            let seen = visits.entry(target.to_string()).or_insert(0);
            *seen += 1;
            if *seen > 2 {
                let message =
                    format!("redirect loop: {target} was reached again after {hops} hops");
                return (failed(FailureClass::RedirectLoop, message), Vec::new());
            }
            current = target;
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let raw_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let declared = raw_type.as_deref().and_then(decode::mime_essence);
        let body = match client::read_capped(response, self.settings.max_body_bytes).await {
            Ok(body) => body,
            Err(e) => {
                let class = e.class();
                let mut message = format!("body of {current}: {e}");
                if class == FailureClass::Timeout {
                    message.push_str(&format!(
                        " (the whole response must arrive within {} ms)",
                        millis(self.settings.timeout)
                    ));
                }
                return (failed(class, message), Vec::new());
            }
        };
        let content_type = decode::effective_type(declared, &body.bytes);
        let mut truncated = body.truncated;
        let (text, charset) = match content_type.as_deref() {
            Some(t) if decode::is_text_type(t) => {
                let html = t == "text/html" || t == "application/xhtml+xml";
                let header = raw_type.as_deref().filter(|_| decode::is_text_type(t));
                let (mut text, charset) = decode::decode_body(&body.bytes, header, html);
                // Markup nested deeper than any real page would hold the parser for minutes:
                // the rest is cut off like a body over the cap (`too_large`).
                if html && decode::cut_deep_nesting(&mut text) {
                    truncated = true;
                }
                (text, charset)
            }
            _ => (String::new(), ""),
        };
        let document = FetchedDocument {
            requested_url: url.clone(),
            final_url: current,
            status,
            content_type,
            headers,
            text,
            charset: charset.to_string(),
            bytes: body.bytes.len() as u64,
            truncated,
            elapsed_ms: started.map_or(0, |s| millis(s.elapsed())),
        };
        (FetchOutcome::Document(document), body.bytes)
    }

    /// One request with its politeness and retries: waits for the host's pause and the rate
    /// limits, sends, and retries (at most `max_retries` times, a timeout at most once) after a
    /// transient error or a 429/503. A 429/503 with `Retry-After` pauses the whole host for that
    /// long and is retried after it; a `Retry-After` longer than `max_retry_after`, or a 429
    /// still there after the retries, is `RateLimited`. A 503 still there is answered as is.
    async fn send(&self, url: &Url) -> Result<Hop, Problem> {
        self.send_with_retries(url, self.settings.max_retries).await
    }

    /// [`Fetcher::send`] with at most `max_retries` retries (robots.txt uses 0: an unreachable
    /// robots.txt is asked again later in the run instead, see [`robots`]).
    async fn send_with_retries(&self, url: &Url, max_retries: u32) -> Result<Hop, Problem> {
        let host = host_of(url);
        let cap = self.settings.max_retry_after;
        let mut attempt = 0u32;
        let mut timeouts = 0u32;
        loop {
            if let Err(remaining) = self.politeness.wait(host, cap).await {
                return Err(Problem::new(
                    FailureClass::RateLimited,
                    format!(
                        "{host} asked pantau to wait {} s more (Retry-After), over the {} s cap: rate limited — not checked",
                        remaining.as_secs(),
                        cap.as_secs()
                    ),
                ));
            }
            let result = self.request(url).await;
            let next = match result {
                Ok(Hop::Response(response)) if matches!(response.status().as_u16(), 429 | 503) => {
                    self.after_overload(url, response, attempt, max_retries)
                }
                Err(p)
                    if p.transient
                        && attempt < max_retries
                        && (p.class != FailureClass::Timeout || timeouts == 0) =>
                {
                    if p.class == FailureClass::Timeout {
                        timeouts += 1;
                    }
                    Next::Retry(politeness::backoff(self.settings.retry_base, attempt + 1))
                }
                other => Next::Done(other),
            };
            match next {
                Next::Done(result) => return result,
                Next::Retry(pause) => {
                    attempt += 1;
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    /// The decision after a 429 or 503 answer on attempt `attempt` (0-based).
    fn after_overload(
        &self,
        url: &Url,
        response: reqwest::Response,
        attempt: u32,
        max_retries: u32,
    ) -> Next {
        let host = host_of(url);
        let status = response.status().as_u16();
        let cap = self.settings.max_retry_after;
        let asked = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| politeness::parse_retry_after(v, std::time::SystemTime::now()));
        if let Some(wait) = asked {
            self.politeness.pause(host, wait);
            if wait > cap {
                return Next::Done(Err(Problem::new(
                    FailureClass::RateLimited,
                    format!(
                        "{url} answered HTTP {status} with Retry-After {} s, over the {} s cap: rate limited — not checked",
                        wait.as_secs(),
                        cap.as_secs()
                    ),
                )));
            }
        }
        if attempt >= max_retries {
            if status == 429 {
                return Next::Done(Err(Problem::new(
                    FailureClass::RateLimited,
                    format!(
                        "{url} still answered HTTP 429 after {attempt} retries: rate limited — not checked"
                    ),
                )));
            }
            return Next::Done(Ok(Hop::Response(response)));
        }
        match asked {
            // The host's pause is the wait; `wait()` sleeps it.
            Some(_) => Next::Retry(Duration::ZERO),
            None => {
                let pause = politeness::backoff(self.settings.retry_base, attempt + 1);
                if status == 429 {
                    self.politeness.pause(host, pause);
                    Next::Retry(Duration::ZERO)
                } else {
                    Next::Retry(pause)
                }
            }
        }
    }

    /// Sends one GET for `url`. A 3xx with a `Location` is a [`Hop::Redirect`] to the resolved
    /// target (fragment dropped); transport errors are classed. No response headers within
    /// `first_byte_timeout` is a `Timeout`.
    async fn request(&self, url: &Url) -> Result<Hop, Problem> {
        self.check_address(url)?;
        let first_byte = self.settings.first_byte_timeout;
        let mut get = self.client.get(url.clone());
        let jar = self.jar(url, false);
        if let Some(cookies) = jar.as_ref().and_then(|jar| jar.cookies(url)) {
            get = get.header(reqwest::header::COOKIE, cookies);
        }
        let sent = tokio::time::timeout(first_byte, get.send()).await;
        let response = match sent {
            Err(_) => {
                return Err(Problem {
                    class: FailureClass::Timeout,
                    message: format!(
                        "no response headers from {url} within {} ms (first-byte timeout)",
                        millis(first_byte)
                    ),
                    transient: true,
                })
            }
            Ok(Err(e)) => {
                let class = client::classify(&e);
                let chain = client::error_chain(&e);
                return Err(Problem {
                    class,
                    message: match class.tls_sentence() {
                        Some(sentence) => format!("{sentence} ({chain})"),
                        None => chain,
                    },
                    transient: client::is_transient(&e),
                });
            }
            Ok(Ok(response)) => response,
        };
        let mut set_cookies = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .peekable();
        if set_cookies.peek().is_some() {
            if let Some(jar) = jar.or_else(|| self.jar(url, true)) {
                jar.set_cookies(&mut set_cookies, url);
            }
        }
        if let Some(remote) = response.remote_addr() {
            self.politeness.note_ip(host_of(url), remote.ip());
        }
        if !response.status().is_redirection() {
            return Ok(Hop::Response(response));
        }
        let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
            return Ok(Hop::Response(response));
        };
        let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
        let mut target = url.join(location.trim()).map_err(|e| {
            Problem::new(
                FailureClass::Other,
                format!("{url} redirects to a bad Location `{location}`: {e}"),
            )
        })?;
        target.set_fragment(None);
        if !matches!(target.scheme(), "http" | "https") {
            return Err(Problem::new(
                FailureClass::Other,
                format!("{url} redirects to a non-HTTP URL {target}"),
            ));
        }
        Ok(Hop::Redirect(target))
    }

    /// The cookie jar of `url`'s host; created when `create` is set and there is none yet.
    fn jar(&self, url: &Url, create: bool) -> Option<std::sync::Arc<reqwest::cookie::Jar>> {
        let mut jars = self.jars.lock().unwrap_or_else(PoisonError::into_inner);
        let host = host_of(url);
        if create {
            return Some(std::sync::Arc::clone(
                jars.entry(host.to_string()).or_default(),
            ));
        }
        jars.get(host).map(std::sync::Arc::clone)
    }

    /// The private-address guard for a URL whose host is an IP address literal (names are
    /// checked by the resolver): `Err(BlockedAddress)` for a non-public address unless
    /// `allow_private` is set.
    fn check_address(&self, url: &Url) -> Result<(), Problem> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
            _ => return Ok(()),
        };
        if self.settings.allow_private || is_public_address(ip) {
            return Ok(());
        }
        Err(Problem::new(
            FailureClass::BlockedAddress,
            format!("{url} names the non-public address {ip}; not connecting (use --allow-private to allow)"),
        ))
    }

    /// The robots.txt verdict for `url`, fetching its origin's robots.txt on first use and again
    /// when an unreachable answer has gone stale (see [`robots`]).
    async fn robots_verdict(&self, url: &Url) -> robots::Verdict {
        let cell = self.robots.cell(url);
        let mut entry = cell.lock().await;
        let attempts = entry.as_ref().map_or(0, |e| e.attempts);
        let fresh = entry
            .as_ref()
            .filter(|e| !e.is_stale(self.settings.robots_retry_interval))
            .map(|e| std::sync::Arc::clone(&e.state));
        let state = match fresh {
            Some(state) => state,
            None => {
                let state = std::sync::Arc::new(self.fetch_robots(url).await);
                *entry = Some(robots::Entry {
                    state: std::sync::Arc::clone(&state),
                    at: Instant::now(),
                    attempts: attempts + 1,
                });
                state
            }
        };
        drop(entry);
        state.verdict(url)
    }

    /// Fetches and interprets robots.txt for `origin`'s origin (see [`robots`]).
    async fn fetch_robots(&self, origin: &Url) -> robots::RobotsState {
        let mut current = origin.clone();
        current.set_path("/robots.txt");
        current.set_query(None);
        current.set_fragment(None);
        for _ in 0..=MAX_ROBOTS_REDIRECTS {
            let hop = match self.send_with_retries(&current, 0).await {
                Ok(hop) => hop,
                Err(p) => {
                    return robots::RobotsState::Transport(FetchFailure {
                        url: current,
                        class: p.class,
                        message: p.message,
                        location: None,
                    })
                }
            };
            match hop {
                Hop::Redirect(target) => current = target,
                Hop::Response(response) => {
                    let status = response.status().as_u16();
                    let body = match client::read_capped(response, MAX_ROBOTS_BYTES as u64).await {
                        Ok(body) => body.bytes,
                        // A body cut by the network: parse nothing, allow all (like a 4xx).
                        Err(_) => Vec::new(),
                    };
                    let state = robots::RobotsState::from_response(
                        status,
                        &body,
                        &self.settings.robots_token,
                    );
                    if let robots::RobotsState::Rules(Some(robot)) = &state {
                        if let Some(delay) = robot.delay {
                            self.politeness.set_crawl_delay(host_of(origin), delay);
                        }
                    }
                    return state;
                }
            }
        }
        // RFC 9309 §2.3.1.2: after five redirects robots.txt may be taken as unavailable.
        robots::RobotsState::Rules(None)
    }

    /// When robots.txt of `url`'s origin (scheme, host, port) was fetched and was unreachable
    /// (5xx, 429, or no HTTP answer), why: RFC 9309 §2.3.1.4 then disallows the whole origin.
    /// `None` when it was reachable or has not been fetched. Never fetches.
    pub fn robots_unreachable(&self, url: &Url) -> Option<String> {
        self.robots.peek_unreachable(url)
    }

    /// When robots.txt of `url`'s origin got no HTTP answer at all: its failure class
    /// (`Timeout`, `Refused`, …). `None` when it answered or has not been fetched. Never
    /// fetches.
    pub fn robots_transport_class(&self, url: &Url) -> Option<FailureClass> {
        self.robots.peek_transport_class(url)
    }

    /// The minimum interval between two requests to `host`: `1 / rate_per_host`, or the host's
    /// robots.txt `Crawl-delay` when longer (capped at [`MAX_CRAWL_DELAY`]). `None` when pacing
    /// is off (`rate_per_host = 0`).
    pub fn request_interval(&self, host: &str) -> Option<Duration> {
        let base = self.politeness.period()?;
        Some(
            self.politeness
                .crawl_delay(host)
                .map_or(base, |d| d.max(base)),
        )
    }

    /// The `Sitemap:` URLs listed in the robots.txt of `url`'s origin (scheme, host, port),
    /// absolute, in file order; empty when that robots.txt was not fetched yet, was unreachable
    /// or had no rules. Never fetches.
    pub fn robots_sitemaps(&self, url: &Url) -> Vec<Url> {
        self.robots.peek_sitemaps(url)
    }

    /// The minimum interval between two requests to one server IP address (all hosts answering
    /// from it share this budget): `1 / rate_per_ip`; `None` when the per-IP limit is off.
    pub fn ip_interval(&self) -> Option<Duration> {
        self.politeness.ip_period()
    }

    /// The IP address `host` last answered from (the per-IP limiter's key); `None` before its
    /// first answer.
    pub fn server_address(&self, host: &str) -> Option<std::net::IpAddr> {
        self.politeness.ip_of(host)
    }

    /// How long requests to `host` are still paused by a `Retry-After`, if they are.
    pub fn paused_for(&self, host: &str) -> Option<Duration> {
        self.politeness.paused_for(host)
    }

    /// The settings this fetcher was built from.
    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }
}

/// The host of an http(s) URL (checked by the caller), the rate-limit key.
fn host_of(url: &Url) -> &str {
    url.host_str().unwrap_or_default()
}

/// A duration in whole milliseconds, saturating.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
