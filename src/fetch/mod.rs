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
//! [`is_public_address`].
//!
//! Submodules: `client` (reqwest client, capped body, error classes), `resolve` (`--resolve`),
//! `robots` (RFC 9309 cache), `politeness` (governor per-host pacing), `decode` (charsets).

mod client;
pub mod decode;
mod politeness;
mod resolve;
mod robots;

pub use politeness::MAX_CRAWL_DELAY;
pub use resolve::is_public_address;
pub use robots::{MAX_ROBOTS_BYTES, MAX_ROBOTS_REDIRECTS};

use std::collections::HashMap;
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
}

impl Default for FetchSettings {
    /// The CLI defaults: `pantau/<version> (+DEFAULT_CONTACT_URL)`, token `pantau`,
    /// [`DEFAULT_RATE_PER_HOST`], [`DEFAULT_CONNECT_TIMEOUT_MS`], [`DEFAULT_TIMEOUT_MS`],
    /// [`DEFAULT_MAX_BODY_BYTES`], no overrides, no extra roots, private addresses blocked.
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
    /// MIME essence of the final response, lower case (`text/html`), when given.
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
    /// True when the body was cut at `max_body_bytes`.
    pub truncated: bool,
    /// Time from sending the first request to the last body byte, in milliseconds.
    pub elapsed_ms: u64,
}

impl FetchedDocument {
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
    /// The TCP connection was refused or reset, or the server closed it without an answer.
    Refused,
    /// Connect or response timeout.
    Timeout,
    /// TLS handshake or certificate failure.
    Tls,
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
    /// Any other transport error.
    Other,
}

impl FailureClass {
    /// Stable code for scorecards: `dns_not_found`, `connection_refused`, `timeout`,
    /// `tls_invalid`, `too_many_redirects`, `redirect_loop`, `off_scope_redirect`,
    /// `blocked_address`, `transport_error`.
    pub fn code(self) -> &'static str {
        match self {
            FailureClass::Dns => "dns_not_found",
            FailureClass::Refused => "connection_refused",
            FailureClass::Timeout => "timeout",
            FailureClass::Tls => "tls_invalid",
            FailureClass::TooManyRedirects => "too_many_redirects",
            FailureClass::RedirectLoop => "redirect_loop",
            FailureClass::OffScopeRedirect => "off_scope_redirect",
            FailureClass::BlockedAddress => "blocked_address",
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

impl Fetcher {
    /// Build the client, the rate limiter and the robots cache.
    ///
    /// Errors: a `rate_per_host` that is negative or not finite ([`FetchError::Setting`]), a bad
    /// root certificate ([`FetchError::RootCert`], naming which), or a client that cannot be built
    /// (e.g. a `User-Agent` with control characters).
    pub fn new(settings: FetchSettings) -> Result<Fetcher, FetchError> {
        if !settings.rate_per_host.is_finite() || settings.rate_per_host < 0.0 {
            return Err(FetchError::Setting {
                name: "rate_per_host",
                value: settings.rate_per_host.to_string(),
                reason: "must be a finite number of requests per second, 0 or more",
            });
        }
        Ok(Fetcher {
            client: client::build(&settings)?,
            robots: robots::RobotsCache::default(),
            politeness: politeness::Politeness::new(settings.rate_per_host),
            settings,
        })
    }

    /// Fetch one URL politely: robots.txt decision for its host (fetched once per host and
    /// cached), the per-host rate limit, then the request. Redirects are followed (at most 10
    /// hops) while they stay on the same host (scheme and port may change); a redirect to another
    /// host is `Failed` with [`FailureClass::OffScopeRedirect`] and the target in `message`.
    ///
    /// Every hop of a redirect chain passes robots.txt (of the hop's origin) and the rate limit.
    /// A body that fails half-way (timeout, reset) is `Failed`. When robots.txt of the origin got
    /// no HTTP answer at all, the fetch is `Failed` with that class (nothing is requested).
    pub async fn fetch(&self, url: &Url) -> FetchOutcome {
        let failed = |class: FailureClass, message: String| {
            FetchOutcome::Failed(FetchFailure {
                url: url.clone(),
                class,
                message,
                location: None,
            })
        };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return failed(
                FailureClass::Other,
                format!("cannot fetch {url}: only http and https URLs with a host"),
            );
        }
        let mut current = url.clone();
        current.set_fragment(None);
        let mut visits: HashMap<String, u32> = HashMap::from([(current.to_string(), 1)]);
        let mut started: Option<Instant> = None;
        let mut hops = 0;
        let response = loop {
            if let Err((class, message)) = self.check_address(&current) {
                return failed(class, message);
            }
            match self.robots_verdict(&current).await {
                robots::Verdict::Allowed => {}
                robots::Verdict::Disallowed => return FetchOutcome::RobotsDisallowed(current),
                robots::Verdict::Failed(mut failure) => {
                    failure.url = url.clone();
                    return FetchOutcome::Failed(*failure);
                }
            }
            self.politeness.wait(host_of(&current)).await;
            started.get_or_insert_with(Instant::now);
            let target = match self.request(&current).await {
                Ok(Hop::Response(response)) => break response,
                Ok(Hop::Redirect(target)) => target,
                Err((class, message)) => return failed(class, message),
            };
            if hops == MAX_REDIRECTS {
                return failed(
                    FailureClass::TooManyRedirects,
                    format!("more than {MAX_REDIRECTS} redirects, the last to {target}"),
                );
            }
            hops += 1;
            if target.host_str() != url.host_str() {
                return FetchOutcome::Failed(FetchFailure {
                    url: url.clone(),
                    class: FailureClass::OffScopeRedirect,
                    message: format!(
                        "redirected to {target}, outside {}",
                        url.host_str().unwrap_or_default()
                    ),
                    location: Some(target),
                });
            }
            let seen = visits.entry(target.to_string()).or_insert(0);
            *seen += 1;
            if *seen > 2 {
                return failed(
                    FailureClass::RedirectLoop,
                    format!("redirect loop: {target} was reached again after {hops} hops"),
                );
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
        let content_type = raw_type.as_deref().and_then(decode::mime_essence);
        let body = match client::read_capped(response, self.settings.max_body_bytes).await {
            Ok(body) => body,
            Err(e) => {
                return failed(
                    client::classify(&e),
                    format!("body of {current}: {}", client::error_chain(&e)),
                )
            }
        };
        let (text, charset) = match content_type.as_deref() {
            Some(t) if decode::is_text_type(t) => {
                let html = t == "text/html" || t == "application/xhtml+xml";
                decode::decode_body(&body.bytes, raw_type.as_deref(), html)
            }
            None if decode::sniffs_as_html(&body.bytes) => {
                decode::decode_body(&body.bytes, None, true)
            }
            _ => (String::new(), ""),
        };
        FetchOutcome::Document(FetchedDocument {
            requested_url: url.clone(),
            final_url: current,
            status,
            content_type,
            headers,
            text,
            charset: charset.to_string(),
            bytes: body.bytes.len() as u64,
            truncated: body.truncated,
            elapsed_ms: started.map_or(0, |s| millis(s.elapsed())),
        })
    }

    /// Sends one GET for `url`. A 3xx with a `Location` is a [`Hop::Redirect`] to the resolved
    /// target (fragment dropped); transport errors are classed.
    async fn request(&self, url: &Url) -> Result<Hop, (FailureClass, String)> {
        self.check_address(url)?;
        let response = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| (client::classify(&e), client::error_chain(&e)))?;
        if !response.status().is_redirection() {
            return Ok(Hop::Response(response));
        }
        let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
            return Ok(Hop::Response(response));
        };
        let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
        let mut target = url.join(location.trim()).map_err(|e| {
            (
                FailureClass::Other,
                format!("{url} redirects to a bad Location `{location}`: {e}"),
            )
        })?;
        target.set_fragment(None);
        if !matches!(target.scheme(), "http" | "https") {
            return Err((
                FailureClass::Other,
                format!("{url} redirects to a non-HTTP URL {target}"),
            ));
        }
        Ok(Hop::Redirect(target))
    }

    /// The private-address guard for a URL whose host is an IP address literal (names are
    /// checked by the resolver): `Err(BlockedAddress)` for a non-public address unless
    /// `allow_private` is set.
    fn check_address(&self, url: &Url) -> Result<(), (FailureClass, String)> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
            _ => return Ok(()),
        };
        if self.settings.allow_private || is_public_address(ip) {
            return Ok(());
        }
        Err((
            FailureClass::BlockedAddress,
            format!("{url} names the non-public address {ip}; not connecting (use --allow-private to allow)"),
        ))
    }

    /// The robots.txt verdict for `url`, fetching its origin's robots.txt on first use.
    async fn robots_verdict(&self, url: &Url) -> robots::Verdict {
        let cell = self.robots.cell(url);
        let state = cell.get_or_init(|| self.fetch_robots(url)).await;
        state.verdict(url)
    }

    /// Fetches and interprets robots.txt for `origin`'s origin (see [`robots`]).
    async fn fetch_robots(&self, origin: &Url) -> robots::RobotsState {
        let mut current = origin.clone();
        current.set_path("/robots.txt");
        current.set_query(None);
        current.set_fragment(None);
        for _ in 0..=MAX_ROBOTS_REDIRECTS {
            self.politeness.wait(host_of(&current)).await;
            let hop = match self.request(&current).await {
                Ok(hop) => hop,
                Err((class, message)) => {
                    return robots::RobotsState::Transport(FetchFailure {
                        url: current,
                        class,
                        message,
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
