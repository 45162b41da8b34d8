//! Fetching one URL politely: [`FetchSettings`] → [`Fetcher`] → [`FetchOutcome`].
//!
//! Every request goes through, in order: the robots.txt decision (RFC 9309) for its host, the
//! per-host rate limit (governor), then the HTTP client (reqwest, with `--resolve` overrides and
//! redirect handling), then charset decoding of the body. A page that answers with an HTTP
//! error is a [`FetchedDocument`] with that status; only a request that got no HTTP answer at
//! all is a [`FetchFailure`].

use std::time::Duration;
use url::Url;

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
/// `*.`, for every subdomain of the rest and the rest itself) go to `addr`, keeping the URL and the
/// `Host` header unchanged, like curl's `--connect-to`.
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
    /// The body decoded to UTF-8 when it is text (HTML, XML, plain); empty otherwise.
    pub text: String,
    /// The WHATWG name of the encoding the body was decoded from (`UTF-8`, `windows-1252`).
    pub charset: String,
    /// Body bytes received on the wire after content decoding, capped at `max_body_bytes`.
    pub bytes: u64,
    /// True when the body was cut at `max_body_bytes`.
    pub truncated: bool,
    /// Time from sending the first request to the last body byte, in milliseconds.
    pub elapsed_ms: u64,
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
    /// More than the allowed redirect hops, or a redirect loop.
    TooManyRedirects,
    /// A redirect to a host outside the agency's scope (recorded, not followed).
    OffScopeRedirect,
    /// Any other transport error.
    Other,
}

impl FailureClass {
    /// Stable code for scorecards: `dns_not_found`, `connection_refused`, `timeout`,
    /// `tls_invalid`, `too_many_redirects`, `off_scope_redirect`, `transport_error`.
    pub fn code(self) -> &'static str {
        match self {
            FailureClass::Dns => "dns_not_found",
            FailureClass::Refused => "connection_refused",
            FailureClass::Timeout => "timeout",
            FailureClass::Tls => "tls_invalid",
            FailureClass::TooManyRedirects => "too_many_redirects",
            FailureClass::OffScopeRedirect => "off_scope_redirect",
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

/// Errors building the fetcher (bad settings). Per-request problems are [`FetchOutcome`]s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// The polite fetcher shared by every agency of a run. Cheap to share behind `Arc`.
#[derive(Debug)]
pub struct Fetcher {
    settings: FetchSettings,
}

impl Fetcher {
    /// Build the client, the rate limiter and the robots cache.
    pub fn new(settings: FetchSettings) -> Result<Fetcher, FetchError> {
        Ok(Fetcher { settings })
    }
    /// Fetch one URL politely: robots.txt decision for its host (fetched once per host and
    /// cached), the per-host rate limit, then the request. Redirects are followed (at most 10
    /// hops) while they stay on the same host (scheme and port may change); a redirect to another
    /// host is `Failed` with [`FailureClass::OffScopeRedirect`] and the target in `message`.
    pub async fn fetch(&self, url: &Url) -> FetchOutcome {
        FetchOutcome::Failed(FetchFailure {
            url: url.clone(),
            class: FailureClass::Other,
            message: format!("not implemented: {}", self.settings.user_agent),
        })
    }
    /// The settings this fetcher was built from.
    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }
}

impl std::str::FromStr for ResolveOverride {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (host, addr) = s
            .split_once(':')
            .ok_or_else(|| format!("'{s}': expected HOST:IP:PORT"))?;
        let addr = addr
            .parse()
            .map_err(|_| format!("'{s}': expected HOST:IP:PORT"))?;
        Ok(ResolveOverride {
            host: host.to_ascii_lowercase(),
            addr,
        })
    }
}
