//! A static server for fixture provinces on loopback: `fixtures/<province>/<host>/<path>`.
//!
//! INTERFACE CONTRACT (used by `audit.rs`/`main.rs`/tests):
//! `FixtureServer::start(dir: &Path, port: u16) -> Result<FixtureServer, FixtureError>` (port 0 =
//! any free port, bound on 127.0.0.1), `server.addr() -> SocketAddr`, `server.hosts() -> &[String]`,
//! and dropping the server (or `shutdown().await`) stops it.
//! Added: `server.ca_cert_pem() -> &str` (the CA that signed the TLS certificate),
//! `server.resolve_overrides() -> Vec<ResolveOverride>` (what a client needs to reach every host)
//! and `server.run_until_ctrl_c().await` for `pantau serve-fixtures DIR [--port P]`.
//!
//! # Input → output
//! A province folder (`dir/<host>/<path>`) → one loopback port that answers HTTP/1.1 and HTTPS
//! for every host folder, choosing the folder by the `Host` header. Faults are data:
//!
//! - `<host>/_headers` (Netlify format): a path pattern line (`/*`, `/berita/*`, `/exact`)
//!   followed by indented `Name: value` lines. Every matching block applies, in file order; a
//!   `Content-Type` replaces the default one, any other header is appended.
//! - `<host>/_redirects` (Netlify format): `from to [status]` lines, `#` comments, a trailing `*`
//!   in `from` captured as `:splat` in `to`. First match wins and rules always apply (as if
//!   forced with `!`, unlike Netlify's shadowing). 301/302/303/307/308 redirect with
//!   `Location: to` (absolute URLs allowed); 200 rewrites to the file `to`; any other status
//!   (404, 500, 503) serves the file `to` with that status.
//! - `<host>/_no_tls` (an empty file): the host has no HTTPS; a TLS handshake for it is aborted.
//!
//! - Fault modes (a `_headers` pseudo-header, never sent): `X-Fixture-Fault: <mode> [arg]` in
//!   a block makes the paths it matches misbehave (the last fault of the matching blocks wins):
//!   - `drip <ms>`: the body is sent one byte every `<ms>` milliseconds;
//!   - `slow-headers <ms>`: the response headers come after `<ms>` milliseconds;
//!   - `endless`: a 200 `text/html` body that never ends (a chunk of HTML every 10 ms);
//!   - `gzip-bomb <bytes>`, `brotli-bomb <bytes>`, `deflate-bomb <bytes>` (zlib-wrapped),
//!     `deflate-raw-bomb <bytes>`: the body is `<bytes>` spaces compressed (a few KB on the
//!     wire) with the matching `Content-Encoding`, whatever the client accepts;
//!   - `cookie-gate`: a request without the cookie `fixture_gate=1` gets a 302 to the same URL
//!     setting that cookie (sites that loop forever for cookie-less crawlers);
//!   - `calendar`: any matching path answers a generated HTML month page with links to the
//!     previous and next month (`?bulan=M&tahun=Y`, default January 2026), forever;
//!   - `echo-cookies`: a 200 HTML page whose `<pre id="cookies">` holds the request's `Cookie`
//!     header values joined by `; ` (empty when none): shows which cookies a client sent;
//!   - `fail-first <n>`: the first `<n>` requests for each matching path (counted per host and
//!     path since the server started) answer `503` with no `Retry-After`, later ones are served
//!     as usual (a robots.txt or page that is down for a while).
//!
//!   Retry-After, redirect loops and wrong content types need no mode: `_redirects` (`/* /x 429`,
//!   `/a /b 302` + `/b /a 302`) and `_headers` (`Retry-After`, `Content-Type`) already express
//!   them. The `fixtures/faults/` province has one host per fault.
//!
//! These three files are never served. The search order for a request is: `_redirects`, then the
//! file (`index.html` for a folder URL ending in `/`, a 301 to the slash form for a folder URL
//! without it), then 404 with the host's `404.html` when present. A path with a `..` segment
//! (percent-encoded or not), a backslash, NUL or `:`, or a malformed escape answers 400 and never
//! touches the disk outside the host folder; methods other than GET and HEAD answer 405.
//! Content-Type comes from the extension (`html` → `text/html; charset=utf-8`, `xml`, `txt`,
//! `css`, `js`, `json`, `pdf`, `png`, `jpg`, …) unless `_headers` overrides it.

use crate::fetch::ResolveOverride;
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The first byte of a TLS ClientHello record (content type `handshake`, RFC 8446 §5.1).
const TLS_HANDSHAKE_BYTE: u8 = 0x16;
/// Marker file: the host folder refuses TLS (an OPD site without HTTPS).
const NO_TLS_FILE: &str = "_no_tls";
/// Netlify-format header rules file.
const HEADERS_FILE: &str = "_headers";
/// Netlify-format redirect rules file.
const REDIRECTS_FILE: &str = "_redirects";

/// Errors starting a fixture server. Each variant names the path or address it is about.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// The province folder does not exist or is not a folder.
    #[error("fixture folder {path} does not exist or is not a folder")]
    DirMissing {
        /// The folder given to [`FixtureServer::start`].
        path: PathBuf,
    },
    /// A folder or file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// What was being read.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The province folder holds no host folder.
    #[error("fixture folder {path} holds no host folder (expected <dir>/<host>/index.html)")]
    NoHosts {
        /// The province folder.
        path: PathBuf,
    },
    /// A host folder's name is not a lower-case host name.
    #[error("{path}: folder name is not a lower-case host name (letters, digits, '-', '.')")]
    BadHostName {
        /// The host folder.
        path: PathBuf,
    },
    /// A bad line in a `_headers` or `_redirects` file.
    #[error("{path}:{line}: {message}")]
    BadRule {
        /// The `_headers` or `_redirects` file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong, with the expected shape.
        message: String,
    },
    /// Binding the loopback port failed (port taken?).
    #[error("cannot listen on {addr}: {source} (is the port already in use?)")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// Generating the CA or leaf certificate, or building the TLS config, failed.
    #[error("cannot set up TLS for the fixture hosts: {0}")]
    Tls(String),
}

/// A `_headers` block: a path pattern, the headers it adds and its fault mode.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HeaderRule {
    pattern: String,
    headers: Vec<(String, String)>,
    fault: Option<Fault>,
}

/// The pseudo-header that sets a fault mode in `_headers`.
const FAULT_HEADER: &str = "x-fixture-fault";
/// The cookie a `cookie-gate` fault asks for.
const GATE_COOKIE: &str = "fixture_gate=1";

/// A compression for a bomb fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bomb {
    Gzip,
    Brotli,
    Zlib,
    RawDeflate,
}

impl Bomb {
    /// The `Content-Encoding` value sent.
    fn encoding(self) -> &'static str {
        match self {
            Bomb::Gzip => "gzip",
            Bomb::Brotli => "br",
            Bomb::Zlib | Bomb::RawDeflate => "deflate",
        }
    }

    /// `size` spaces compressed; built in 1 MiB steps so memory stays small.
    fn build(self, size: u64) -> Bytes {
        use std::io::Write;
        let block = vec![b' '; 1 << 20];
        let mut left = size;
        let mut feed = |w: &mut dyn Write| {
            while left > 0 {
                let n = usize::try_from(left.min(block.len() as u64)).unwrap_or(block.len());
                // Writing into a Vec cannot fail.
                let _ = w.write_all(&block[..n]);
                left -= n as u64;
            }
        };
        let fast = flate2::Compression::fast();
        let out = match self {
            Bomb::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), fast);
                feed(&mut e);
                e.finish().unwrap_or_default()
            }
            Bomb::Zlib => {
                let mut e = flate2::write::ZlibEncoder::new(Vec::new(), fast);
                feed(&mut e);
                e.finish().unwrap_or_default()
            }
            Bomb::RawDeflate => {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), fast);
                feed(&mut e);
                e.finish().unwrap_or_default()
            }
            Bomb::Brotli => {
                let mut out = Vec::new();
                {
                    let mut w = brotli::CompressorWriter::new(&mut out, 65536, 1, 22);
                    feed(&mut w);
                }
                out
            }
        };
        Bytes::from(out)
    }
}

/// A fault mode from `X-Fixture-Fault` (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Drip { ms: u64 },
    SlowHeaders { ms: u64 },
    Endless,
    Bomb { kind: Bomb, bytes: u64 },
    CookieGate,
    Calendar,
    EchoCookies,
    FailFirst { n: u64 },
}

impl std::str::FromStr for Fault {
    type Err = String;

    fn from_str(value: &str) -> Result<Fault, String> {
        let mut words = value.split_whitespace();
        let mode = words.next().unwrap_or_default().to_ascii_lowercase();
        let arg = words.next();
        if words.next().is_some() {
            return Err(format!(
                "`{value}`: one mode and at most one number expected"
            ));
        }
        let number = |what: &str| -> Result<u64, String> {
            let raw = arg.ok_or_else(|| format!("`{mode}` needs {what}"))?;
            raw.trim_end_matches("ms")
                .parse()
                .map_err(|_| format!("`{mode}`: `{raw}` is not {what}"))
        };
        let bomb = |kind| -> Result<Fault, String> {
            Ok(Fault::Bomb {
                kind,
                bytes: number("a size in bytes")?,
            })
        };
        let bare = |fault| -> Result<Fault, String> {
            match arg {
                None => Ok(fault),
                Some(a) => Err(format!("`{mode}` takes no argument, found `{a}`")),
            }
        };
        match mode.as_str() {
            "drip" => Ok(Fault::Drip {
                ms: number("milliseconds")?,
            }),
            "slow-headers" => Ok(Fault::SlowHeaders {
                ms: number("milliseconds")?,
            }),
            "endless" => bare(Fault::Endless),
            "gzip-bomb" => bomb(Bomb::Gzip),
            "brotli-bomb" => bomb(Bomb::Brotli),
            "deflate-bomb" => bomb(Bomb::Zlib),
            "deflate-raw-bomb" => bomb(Bomb::RawDeflate),
            "cookie-gate" => bare(Fault::CookieGate),
            "calendar" => bare(Fault::Calendar),
            "echo-cookies" => bare(Fault::EchoCookies),
            "fail-first" => Ok(Fault::FailFirst {
                n: number("a number of requests")?,
            }),
            _ => Err(format!(
                "unknown fault `{mode}`; expected drip MS, slow-headers MS, endless, gzip-bomb BYTES, brotli-bomb BYTES, deflate-bomb BYTES, deflate-raw-bomb BYTES, cookie-gate, calendar, echo-cookies or fail-first N"
            )),
        }
    }
}

/// A `_redirects` line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RedirectRule {
    from: String,
    to: String,
    status: u16,
}

/// One host folder, with its rules parsed at start.
#[derive(Debug)]
struct HostSite {
    root: PathBuf,
    headers: Vec<HeaderRule>,
    redirects: Vec<RedirectRule>,
    /// Bomb bodies built on first use.
    bombs: std::sync::Mutex<std::collections::HashMap<(Bomb, u64), Bytes>>,
    /// Requests seen per decoded path, for `fail-first`.
    hits: std::sync::Mutex<std::collections::HashMap<String, u64>>,
}

/// Everything the connection tasks share.
#[derive(Debug)]
struct Province {
    sites: BTreeMap<String, HostSite>,
}

/// A running fixture server on 127.0.0.1.
///
/// One port serves every host folder of a province, plain HTTP/1.1 and TLS alike: the first byte
/// of each connection decides (0x16 = TLS handshake). The certificate is a leaf whose SANs are
/// all host folder names, signed by a CA generated at start ([`FixtureServer::ca_cert_pem`]);
/// the certificate is chosen by SNI, and a handshake for a host with `_no_tls`, for an unknown
/// name or without SNI is aborted.
///
/// **Unknown hosts**: a request whose `Host` header names no host folder gets no HTTP answer at
/// all; the server closes the connection, so a crawler sees a connection-level failure (like a
/// dead host), distinct from any HTTP status: pantau classes it `connection_closed` (over TLS
/// the handshake ends without an answer, over plain HTTP the request gets none).
///
/// Dropping the server, or [`FixtureServer::shutdown`], stops accepting and closes every open
/// connection.
#[derive(Debug)]
pub struct FixtureServer {
    addr: SocketAddr,
    hosts: Vec<String>,
    ca_pem: String,
    cancel: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl FixtureServer {
    /// Load `dir` (every sub-folder is a host; `_headers`/`_redirects` parsed now), generate the
    /// CA and leaf certificate, bind `127.0.0.1:port` (0 = any free port) and start serving on
    /// the current tokio runtime.
    ///
    /// Errors: [`FixtureError::DirMissing`], [`FixtureError::NoHosts`],
    /// [`FixtureError::BadHostName`], [`FixtureError::BadRule`] (file:line), [`FixtureError::Read`],
    /// [`FixtureError::Bind`], [`FixtureError::Tls`].
    pub async fn start(dir: &Path, port: u16) -> Result<FixtureServer, FixtureError> {
        let (province, tls_hosts) = load_province(dir)?;
        let hosts: Vec<String> = province.sites.keys().cloned().collect();
        let (ca_pem, tls_config) = build_tls(&hosts, &tls_hosts)?;
        let tls_config = Arc::new(tls_config);
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| FixtureError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| FixtureError::Bind { addr, source })?;
        let cancel = CancellationToken::new();
        let task = tokio::spawn(accept_loop(
            listener,
            Arc::new(province),
            tls_config,
            cancel.clone(),
        ));
        Ok(FixtureServer {
            addr,
            hosts,
            ca_pem,
            cancel,
            task: Some(task),
        })
    }

    /// The bound address (127.0.0.1 and the actual port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The host folder names served, sorted.
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    /// The PEM of the CA that signed the server's certificate, for a client's trust store
    /// (`--ca-cert FILE`, reqwest `add_root_certificate`).
    pub fn ca_cert_pem(&self) -> &str {
        &self.ca_pem
    }

    /// `--resolve` overrides that send every fixture host, and every unknown sibling, to this
    /// server: for each host folder that is not a subdomain of another folder (the "roots",
    /// e.g. `sulbarprov.go.id`), the exact root and `*.root`. Hosts listed on a portal without a
    /// folder (like `bpbd.sulbarprov.go.id`) thereby reach the server and get no answer instead
    /// of reaching real DNS. Sorted: each root, then its wildcard.
    pub fn resolve_overrides(&self) -> Vec<ResolveOverride> {
        let is_under = |h: &str, g: &str| {
            h.len() > g.len() && h.ends_with(g) && h[..h.len() - g.len()].ends_with('.')
        };
        let mut out = Vec::new();
        for root in self
            .hosts
            .iter()
            .filter(|h| !self.hosts.iter().any(|g| is_under(h, g)))
        {
            for host in [root.clone(), format!("*.{root}")] {
                out.push(ResolveOverride {
                    host,
                    addr: self.addr,
                });
            }
        }
        out
    }

    /// Stop accepting, close open connections and wait for the accept loop to end.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(task) = self.task.take() {
            // The loop only ends by cancellation; a join error would mean it panicked, and
            // there is nothing left to stop in that case.
            let _ = task.await;
        }
    }

    /// Serve until Ctrl-C (SIGINT), then shut down. For `pantau serve-fixtures`.
    ///
    /// Errors: the OS error when the Ctrl-C handler cannot be installed.
    pub async fn run_until_ctrl_c(self) -> std::io::Result<()> {
        let waited = tokio::signal::ctrl_c().await;
        self.shutdown().await;
        waited
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// True when `name` is a lower-case DNS host name (labels of `a-z0-9-`, dots between).
fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Read the province folder: host sites and the set of hosts that accept TLS.
fn load_province(dir: &Path) -> Result<(Province, BTreeSet<String>), FixtureError> {
    if !dir.is_dir() {
        return Err(FixtureError::DirMissing {
            path: dir.to_path_buf(),
        });
    }
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FixtureError::Read { path, source }
    };
    let mut sites = BTreeMap::new();
    let mut tls_hosts = BTreeSet::new();
    for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
        let entry = entry.map_err(read_err(dir))?;
        let path = entry.path();
        if !path.is_dir() {
            continue; // README.md and other notes beside the host folders
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if !is_host_name(&name) {
            return Err(FixtureError::BadHostName { path });
        }
        let headers_path = path.join(HEADERS_FILE);
        let headers = match read_optional(&headers_path)? {
            Some(text) => parse_headers(&headers_path, &text)?,
            None => Vec::new(),
        };
        let redirects_path = path.join(REDIRECTS_FILE);
        let redirects = match read_optional(&redirects_path)? {
            Some(text) => parse_redirects(&redirects_path, &text)?,
            None => Vec::new(),
        };
        if !path.join(NO_TLS_FILE).exists() {
            tls_hosts.insert(name.clone());
        }
        sites.insert(
            name,
            HostSite {
                root: path,
                headers,
                redirects,
                bombs: Default::default(),
                hits: Default::default(),
            },
        );
    }
    if sites.is_empty() {
        return Err(FixtureError::NoHosts {
            path: dir.to_path_buf(),
        });
    }
    Ok((Province { sites }, tls_hosts))
}

/// Read a UTF-8 file that may be absent.
fn read_optional(path: &Path) -> Result<Option<String>, FixtureError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FixtureError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn bad_rule(path: &Path, line: usize, message: impl Into<String>) -> FixtureError {
    FixtureError::BadRule {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Parse a Netlify `_headers` file: pattern lines at column 0, indented `Name: value` lines.
fn parse_headers(path: &Path, text: &str) -> Result<Vec<HeaderRule>, FixtureError> {
    let mut rules: Vec<HeaderRule> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = raw.starts_with(' ') || raw.starts_with('\t');
        if !indented {
            if !trimmed.starts_with('/') || trimmed.contains(char::is_whitespace) {
                return Err(bad_rule(
                    path,
                    line_no,
                    format!(
                        "expected a path pattern such as `/*` or `/berita/*`, found `{trimmed}`"
                    ),
                ));
            }
            rules.push(HeaderRule {
                pattern: trimmed.to_string(),
                headers: Vec::new(),
                fault: None,
            });
            continue;
        }
        let Some(rule) = rules.last_mut() else {
            return Err(bad_rule(
                path,
                line_no,
                "a header line before any path pattern line",
            ));
        };
        let Some((name, value)) = trimmed.split_once(':') else {
            return Err(bad_rule(
                path,
                line_no,
                format!("expected an indented `Name: value` header line, found `{trimmed}`"),
            ));
        };
        let name = name.trim();
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid_name {
            return Err(bad_rule(
                path,
                line_no,
                format!("`{name}` is not a header name"),
            ));
        }
        if hyper::header::HeaderValue::from_str(value.trim()).is_err() {
            return Err(bad_rule(
                path,
                line_no,
                format!("header `{name}` has a value that cannot be sent"),
            ));
        }
        if name.eq_ignore_ascii_case(FAULT_HEADER) {
            rule.fault = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|e: String| bad_rule(path, line_no, e))?,
            );
            continue;
        }
        rule.headers
            .push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(rules)
}

/// Parse a Netlify `_redirects` file: `from to [status]` per line.
fn parse_redirects(path: &Path, text: &str) -> Result<Vec<RedirectRule>, FixtureError> {
    let mut rules = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        let (from, to, status) = match fields.as_slice() {
            [from, to] => (*from, *to, "301"),
            [from, to, status] => (*from, *to, *status),
            _ => {
                return Err(bad_rule(
                    path,
                    line_no,
                    format!("expected `from to [status]`, found `{trimmed}`"),
                ))
            }
        };
        if !from.starts_with('/') {
            return Err(bad_rule(
                path,
                line_no,
                format!("`from` must be a path starting with `/`, found `{from}`"),
            ));
        }
        if from.strip_suffix('*').unwrap_or(from).contains('*') {
            return Err(bad_rule(
                path,
                line_no,
                format!("`*` is only allowed at the end of `from`, found `{from}`"),
            ));
        }
        let status: u16 = match status.trim_end_matches('!').parse() {
            Ok(s) if (200..=599).contains(&s) => s,
            _ => {
                return Err(bad_rule(
                    path,
                    line_no,
                    format!("status must be a number from 200 to 599, found `{status}`"),
                ))
            }
        };
        if !is_redirect_status(status) && !to.starts_with('/') {
            return Err(bad_rule(
                path,
                line_no,
                format!("status {status} serves a file, so `to` must be a path, found `{to}`"),
            ));
        }
        rules.push(RedirectRule {
            from: from.to_string(),
            to: to.to_string(),
            status,
        });
    }
    Ok(rules)
}

fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Match a Netlify path pattern: a trailing `*` matches any rest (returned as the splat),
/// otherwise the path must be equal.
fn match_pattern<'a>(pattern: &str, path: &'a str) -> Option<&'a str> {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.strip_prefix(prefix),
        None => (pattern == path).then_some(""),
    }
}

/// Content-Type for a file name, from its extension.
fn content_type_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Percent-decode a URL path (RFC 3986 §2.1). `None` when the result is not UTF-8 or an escape
/// is malformed.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The safe relative segments of a decoded path: `None` when any segment is `..`, holds a
/// backslash, NUL or `:` (a drive prefix on Windows), so no request can leave the host folder.
fn safe_segments(decoded: &str) -> Option<Vec<&str>> {
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        if seg == ".." || seg.contains('\\') || seg.contains('\0') || seg.contains(':') {
            return None;
        }
        if !seg.is_empty() && seg != "." {
            segments.push(seg);
        }
    }
    Some(segments)
}

/// What a request resolves to, before headers are added.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// Serve this file with this status.
    File { path: PathBuf, status: u16 },
    /// Redirect with this status and Location.
    Redirect { status: u16, location: String },
    /// 404 without a custom page.
    NotFound,
    /// The path cannot be served safely (traversal, bad escapes).
    BadRequest,
}

impl HostSite {
    /// Resolve a request path (raw, percent-encoded, no query) to an [`Answer`].
    fn answer(&self, raw_path: &str, query: Option<&str>) -> Answer {
        let Some(decoded) = percent_decode(raw_path) else {
            return Answer::BadRequest;
        };
        if safe_segments(&decoded).is_none() {
            return Answer::BadRequest;
        }
        for rule in &self.redirects {
            if let Some(splat) = match_pattern(&rule.from, &decoded) {
                let to = rule.to.replace(":splat", splat);
                if is_redirect_status(rule.status) {
                    // As on Netlify, the query string is passed on unless `to` has its own.
                    let location = match query {
                        Some(q) if !to.contains('?') => format!("{to}?{q}"),
                        _ => to,
                    };
                    return Answer::Redirect {
                        status: rule.status,
                        location,
                    };
                }
                return match self.file_for(&to) {
                    Some(FileLookup::File(path)) => Answer::File {
                        path,
                        status: rule.status,
                    },
                    _ => self.not_found(),
                };
            }
        }
        match self.file_for(&decoded) {
            Some(FileLookup::File(path)) => Answer::File { path, status: 200 },
            Some(FileLookup::Folder) => Answer::Redirect {
                status: 301,
                location: match query {
                    Some(q) => format!("{raw_path}/?{q}"),
                    None => format!("{raw_path}/"),
                },
            },
            None => self.not_found(),
        }
    }

    fn not_found(&self) -> Answer {
        let page = self.root.join("404.html");
        if page.is_file() {
            Answer::File {
                path: page,
                status: 404,
            }
        } else {
            Answer::NotFound
        }
    }

    /// Map a decoded path to a file in the host folder.
    fn file_for(&self, decoded: &str) -> Option<FileLookup> {
        let segments = safe_segments(decoded)?;
        if let [only] = segments.as_slice() {
            if [HEADERS_FILE, REDIRECTS_FILE, NO_TLS_FILE].contains(only) {
                return None;
            }
        }
        let mut path = self.root.clone();
        path.extend(&segments);
        if path.is_dir() {
            if !decoded.ends_with('/') {
                return Some(FileLookup::Folder);
            }
            path.push("index.html");
        }
        path.is_file().then_some(FileLookup::File(path))
    }

    /// The fault mode for the request path: the last of the matching `_headers` blocks.
    fn fault_for(&self, decoded_path: &str) -> Option<Fault> {
        self.headers
            .iter()
            .filter(|rule| match_pattern(&rule.pattern, decoded_path).is_some())
            .filter_map(|rule| rule.fault)
            .next_back()
    }

    /// The bomb body for `kind` and `bytes`, built once.
    fn bomb(&self, kind: Bomb, bytes: u64) -> Bytes {
        let mut bombs = self
            .bombs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        bombs
            .entry((kind, bytes))
            .or_insert_with(|| kind.build(bytes))
            .clone()
    }

    /// Headers from `_headers` for the request path, on top of the default Content-Type.
    fn headers_for(&self, decoded_path: &str, default_type: &str) -> Vec<(String, String)> {
        let mut out = vec![("content-type".to_string(), default_type.to_string())];
        for rule in &self.headers {
            if match_pattern(&rule.pattern, decoded_path).is_none() {
                continue;
            }
            for (name, value) in &rule.headers {
                if name == "content-type" {
                    out[0].1 = value.clone();
                } else {
                    out.push((name.clone(), value.clone()));
                }
            }
        }
        out
    }
}

enum FileLookup {
    File(PathBuf),
    Folder,
}

/// The request's host: `Host` header (or the absolute-form URI), port stripped, lower-cased,
/// trailing dot dropped.
fn request_host(req: &Request<Incoming>) -> Option<String> {
    let raw = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().host().map(str::to_string))?;
    let host = match raw.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => raw.as_str(),
    };
    Some(host.trim_end_matches('.').to_ascii_lowercase())
}

/// Error returned to hyper to drop a connection without an answer (unknown host).
#[derive(Debug)]
struct UnknownHost(String);

impl std::fmt::Display for UnknownHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no fixture folder for host `{}`", self.0)
    }
}

impl std::error::Error for UnknownHost {}

/// A response body: whole, or streamed (drip, endless).
type Body = BoxBody<Bytes, std::convert::Infallible>;

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).boxed()
}

/// `bytes` sent one byte every `ms` milliseconds.
fn drip_body(bytes: Bytes, ms: u64) -> Body {
    let stream = futures::stream::unfold(0usize, move |i| {
        let bytes = bytes.clone();
        async move {
            if i >= bytes.len() {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            let frame = hyper::body::Frame::data(bytes.slice(i..i + 1));
            Some((Ok(frame), i + 1))
        }
    });
    StreamBody::new(stream).boxed()
}

/// An HTML body that never ends: 4 KiB of paragraphs every 10 ms (about 400 KB/s).
fn endless_body() -> Body {
    let start = Bytes::from_static(b"<!DOCTYPE html><html><body>");
    let chunk = Bytes::from("<p>tanpa akhir</p>\n".repeat(205));
    let stream = futures::stream::unfold(true, move |first| {
        let (start, chunk) = (start.clone(), chunk.clone());
        async move {
            if !first {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            let data = if first { start } else { chunk };
            Some((Ok(hyper::body::Frame::data(data)), false))
        }
    });
    StreamBody::new(stream).boxed()
}

/// The generated month page of a `calendar` fault for `query` (`bulan=M&tahun=Y`).
fn calendar_page(path: &str, query: Option<&str>) -> Bytes {
    let mut month: i64 = 1;
    let mut year: i64 = 2026;
    for pair in query.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            Some(("bulan", v)) => month = v.parse().unwrap_or(1).clamp(1, 12),
            Some(("tahun", v)) => year = v.parse().unwrap_or(2026),
            _ => {}
        }
    }
    let index = year * 12 + (month - 1);
    let link = |i: i64| {
        format!(
            "{path}?bulan={}&tahun={}",
            i.rem_euclid(12) + 1,
            i.div_euclid(12)
        )
    };
    Bytes::from(format!(
        "<!DOCTYPE html><html lang=\"id\"><head><title>Agenda {month}/{year}</title></head><body><h1>Agenda bulan {month} tahun {year}</h1><a href=\"{prev}\">Sebelumnya</a> <a href=\"{next}\">Berikutnya</a></body></html>",
        prev = link(index - 1),
        next = link(index + 1),
    ))
}

fn simple(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut resp = Response::new(full(Bytes::from_static(text.as_bytes())));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// Answer one request. `Err` makes hyper close the connection without a response.
async fn handle(
    province: Arc<Province>,
    req: Request<Incoming>,
) -> Result<Response<Body>, UnknownHost> {
    let host = request_host(&req).unwrap_or_default();
    let Some(site) = province.sites.get(&host) else {
        return Err(UnknownHost(host));
    };
    // hyper sends no body for HEAD by itself, keeping the GET Content-Length.
    if req.method() != hyper::Method::GET && req.method() != hyper::Method::HEAD {
        return Ok(simple(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed\n",
        ));
    }
    let raw_path = req.uri().path().to_string();
    let decoded = percent_decode(&raw_path).unwrap_or_default();
    let fault = site.fault_for(&decoded);
    match fault {
        Some(Fault::CookieGate) => {
            let has_cookie = req
                .headers()
                .get_all(hyper::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.split(';').any(|c| c.trim() == GATE_COOKIE));
            if !has_cookie {
                let target = match req.uri().query() {
                    Some(q) => format!("{raw_path}?{q}"),
                    None => raw_path.clone(),
                };
                let mut resp = simple(StatusCode::FOUND, "302 Found\n");
                if let (Ok(location), Ok(cookie)) = (
                    hyper::header::HeaderValue::from_str(&target),
                    hyper::header::HeaderValue::from_str(&format!("{GATE_COOKIE}; Path=/")),
                ) {
                    resp.headers_mut().insert(hyper::header::LOCATION, location);
                    resp.headers_mut().insert(hyper::header::SET_COOKIE, cookie);
                }
                return Ok(resp);
            }
        }
        Some(Fault::Calendar) => {
            let mut resp = Response::new(full(calendar_page(&raw_path, req.uri().query())));
            resp.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
            );
            return Ok(resp);
        }
        Some(Fault::EchoCookies) => {
            let sent: Vec<&str> = req
                .headers()
                .get_all(hyper::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            let page = format!(
                "<!DOCTYPE html><html lang=\"id\"><head><title>Kue</title></head><body><pre id=\"cookies\">{}</pre></body></html>",
                sent.join("; ").replace('&', "&amp;").replace('<', "&lt;")
            );
            let mut resp = Response::new(full(Bytes::from(page)));
            resp.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
            );
            return Ok(resp);
        }
        Some(Fault::FailFirst { n }) => {
            let seen = {
                let mut hits = site
                    .hits
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let count = hits.entry(decoded.clone()).or_default();
                *count += 1;
                *count
            };
            if seen <= n {
                return Ok(simple(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "503 Service Unavailable (fail-first)\n",
                ));
            }
        }
        Some(Fault::SlowHeaders { ms }) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        _ => {}
    }
    let answer = site.answer(&raw_path, req.uri().query());
    let (status, body, default_type, location) = match answer {
        Answer::BadRequest => return Ok(simple(StatusCode::BAD_REQUEST, "400 Bad Request\n")),
        Answer::NotFound => return Ok(simple(StatusCode::NOT_FOUND, "404 Not Found\n")),
        Answer::Redirect { status, location } => (
            status,
            Bytes::new(),
            "text/plain; charset=utf-8",
            Some(location),
        ),
        Answer::File { path, status } => match tokio::fs::read(&path).await {
            Ok(bytes) => (status, Bytes::from(bytes), content_type_for(&path), None),
            Err(_) => {
                return Ok(simple(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "500 cannot read fixture file\n",
                ))
            }
        },
    };
    let (body, encoding) = match fault {
        Some(Fault::Drip { ms }) => (drip_body(body, ms), None),
        Some(Fault::Endless) => (endless_body(), None),
        Some(Fault::Bomb { kind, bytes }) => (full(site.bomb(kind, bytes)), Some(kind.encoding())),
        _ => (full(body), None),
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    if let Some(encoding) = encoding {
        headers.insert(
            hyper::header::CONTENT_ENCODING,
            hyper::header::HeaderValue::from_static(encoding),
        );
    }
    for (name, value) in site.headers_for(&decoded, default_type) {
        // Names and values were validated when `_headers` was parsed.
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            headers.append(n, v);
        }
    }
    if let Some(location) = location {
        if let Ok(v) = hyper::header::HeaderValue::from_str(&location) {
            headers.insert(hyper::header::LOCATION, v);
        }
    }
    Ok(resp)
}

async fn accept_loop(
    listener: TcpListener,
    province: Arc<Province>,
    tls_config: Arc<rustls::ServerConfig>,
    cancel: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            _ = cancel.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        // A failed accept (e.g. too many open files) only loses that connection.
        let Ok((stream, _peer)) = accepted else {
            continue;
        };
        let province = province.clone();
        let tls_config = tls_config.clone();
        let cancel = cancel.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = serve_connection(stream, province, tls_config) => {}
            }
        });
    }
}

/// Peek the first byte: TLS handshake → rustls, else plain HTTP/1.1.
async fn serve_connection(
    stream: TcpStream,
    province: Arc<Province>,
    tls_config: Arc<rustls::ServerConfig>,
) {
    let mut first = [0u8; 1];
    match stream.peek(&mut first).await {
        Ok(1) => {}
        _ => return, // closed before sending anything
    }
    let builder = hyper::server::conn::http1::Builder::new();
    let sites = province.clone();
    let service = hyper::service::service_fn(move |req| handle(province.clone(), req));
    if first[0] == TLS_HANDSHAKE_BYTE {
        let lazy =
            tokio_rustls::LazyConfigAcceptor::new(rustls::server::Acceptor::default(), stream);
        let Ok(start) = lazy.await else { return };
        // A name with no host folder is closed without an answer, as over plain HTTP; a
        // `_no_tls` host gets a TLS alert from the certificate resolver (no cert for that name).
        let served = start.client_hello().server_name().is_some_and(|name| {
            sites
                .sites
                .contains_key(&name.trim_end_matches('.').to_ascii_lowercase())
        });
        if !served {
            return;
        }
        if let Ok(tls) = start.into_stream(tls_config).await {
            let _ = builder.serve_connection(TokioIo::new(tls), service).await;
        }
    } else {
        let _ = builder
            .serve_connection(TokioIo::new(stream), service)
            .await;
    }
}

/// Picks the leaf certificate by SNI; `None` (handshake aborted) for hosts without TLS.
#[derive(Debug)]
struct SniResolver {
    tls_hosts: BTreeSet<String>,
    key: Arc<CertifiedKey>,
}

impl ResolvesServerCert for SniResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello
            .server_name()?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        self.tls_hosts.contains(&name).then(|| self.key.clone())
    }
}

/// Generate the CA and the leaf (SANs = all hosts) and build the rustls server config (ring).
fn build_tls(
    hosts: &[String],
    tls_hosts: &BTreeSet<String>,
) -> Result<(String, rustls::ServerConfig), FixtureError> {
    let tls_err = |e: &dyn std::fmt::Display| FixtureError::Tls(e.to_string());
    let mut ca_params =
        rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| tls_err(&e))?;
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "pantau fixture CA");
    ca_params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = rcgen::KeyPair::generate().map_err(|e| tls_err(&e))?;
    let ca_cert = ca_params.self_signed(&ca_key).map_err(|e| tls_err(&e))?;

    let mut leaf_params = rcgen::CertificateParams::new(hosts.to_vec()).map_err(|e| tls_err(&e))?;
    leaf_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "pantau fixture hosts");
    leaf_params.use_authority_key_identifier_extension = true;
    leaf_params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    leaf_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = rcgen::KeyPair::generate().map_err(|e| tls_err(&e))?;
    let leaf_cert = leaf_params
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .map_err(|e| tls_err(&e))?;

    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let signing_key =
        rustls::crypto::ring::sign::any_supported_type(&key_der).map_err(|e| tls_err(&e))?;
    let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone()];
    let resolver = SniResolver {
        tls_hosts: tls_hosts.clone(),
        key: Arc::new(CertifiedKey::new(chain, signing_key)),
    };
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| tls_err(&e))?
    .with_no_client_auth()
    .with_cert_resolver(Arc::new(resolver));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((ca_cert.pem(), config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> PathBuf {
        PathBuf::from("x/_headers")
    }

    #[test]
    fn headers_file_parses_blocks_in_order() {
        let text = "# comment\n/*\n  X-Frame-Options: DENY\n  Content-Type: text/html\n\n/berita/*\n\tCache-Control: no-store\n";
        let rules = parse_headers(&p(), text).expect("valid file");
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].pattern, "/*");
        assert_eq!(
            rules[0].headers,
            vec![
                ("x-frame-options".to_string(), "DENY".to_string()),
                ("content-type".to_string(), "text/html".to_string())
            ]
        );
        assert_eq!(rules[1].pattern, "/berita/*");
        assert_eq!(
            rules[1].headers,
            vec![("cache-control".to_string(), "no-store".to_string())]
        );
    }

    #[test]
    fn fault_modes_parse_and_are_not_headers() {
        let text = "/tetes\n  X-Fixture-Fault: drip 200ms\n  X-Other: 1\n/bom\n  x-fixture-fault: gzip-bomb 1048576\n/*\n  X-Fixture-Fault: cookie-gate\n";
        let rules = parse_headers(&p(), text).expect("valid file");
        assert_eq!(rules[0].fault, Some(Fault::Drip { ms: 200 }));
        assert_eq!(
            rules[0].headers,
            vec![("x-other".to_string(), "1".to_string())]
        );
        assert_eq!(
            rules[1].fault,
            Some(Fault::Bomb {
                kind: Bomb::Gzip,
                bytes: 1_048_576
            })
        );
        assert!(rules[1].headers.is_empty());
        let site = HostSite {
            root: PathBuf::from("x"),
            headers: rules,
            redirects: Vec::new(),
            bombs: Default::default(),
            hits: Default::default(),
        };
        // The last matching block wins.
        assert_eq!(site.fault_for("/tetes"), Some(Fault::CookieGate));
        assert_eq!(site.fault_for("/lain"), Some(Fault::CookieGate));
        for (value, fault) in [
            ("slow-headers 3000", Fault::SlowHeaders { ms: 3000 }),
            ("endless", Fault::Endless),
            ("calendar", Fault::Calendar),
            ("echo-cookies", Fault::EchoCookies),
            ("fail-first 2", Fault::FailFirst { n: 2 }),
            (
                "brotli-bomb 10",
                Fault::Bomb {
                    kind: Bomb::Brotli,
                    bytes: 10,
                },
            ),
            (
                "deflate-raw-bomb 10",
                Fault::Bomb {
                    kind: Bomb::RawDeflate,
                    bytes: 10,
                },
            ),
        ] {
            assert_eq!(value.parse::<Fault>(), Ok(fault), "{value}");
        }
        let err = parse_headers(&p(), "/*\n  X-Fixture-Fault: melt 5\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x/_headers:2: unknown fault `melt`"),
            "{err}"
        );
        let err = parse_headers(&p(), "/*\n  X-Fixture-Fault: drip\n").unwrap_err();
        assert!(err.to_string().contains("needs milliseconds"), "{err}");
        let err = parse_headers(&p(), "/*\n  X-Fixture-Fault: endless 5\n").unwrap_err();
        assert!(err.to_string().contains("takes no argument"), "{err}");
    }

    #[test]
    fn bombs_decompress_to_their_size_and_calendar_links_months() {
        use std::io::Read;
        let gz = Bomb::Gzip.build(3 << 20);
        assert!(gz.len() < 64 * 1024);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(gz.as_ref())
            .read_to_end(&mut out)
            .expect("gunzip");
        assert_eq!(out.len(), 3 << 20);
        assert!(out.iter().all(|&b| b == b' '));
        let raw = Bomb::RawDeflate.build(1000);
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(raw.as_ref())
            .read_to_end(&mut out)
            .expect("inflate");
        assert_eq!(out.len(), 1000);
        let page = calendar_page("/agenda", Some("bulan=12&tahun=2026"));
        let page = String::from_utf8_lossy(&page);
        assert!(
            page.contains("href=\"/agenda?bulan=11&tahun=2026\""),
            "{page}"
        );
        assert!(
            page.contains("href=\"/agenda?bulan=1&tahun=2027\""),
            "{page}"
        );
        let first = calendar_page("/agenda", None);
        assert!(String::from_utf8_lossy(&first).contains("bulan=12&tahun=2025"));
    }

    #[test]
    fn headers_file_errors_name_file_and_line() {
        let err = parse_headers(&p(), "/*\n  X-Ok: 1\n  no colon here\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x/_headers:3: expected an indented `Name: value` header line, found `no colon here`"
        );
        let err = parse_headers(&p(), "  X-Early: 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x/_headers:1: a header line before any path pattern line"
        );
        let err = parse_headers(&p(), "berita/*\n").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("x/_headers:1: expected a path pattern"));
    }

    #[test]
    fn redirects_file_parses_and_validates() {
        let path = PathBuf::from("h/_redirects");
        let rules = parse_redirects(
            &path,
            "# c\n/old /new\n/* https://example.go.id/:splat 301\n/layanan/* /error.html 500\n",
        )
        .expect("valid");
        assert_eq!(
            rules,
            vec![
                RedirectRule {
                    from: "/old".into(),
                    to: "/new".into(),
                    status: 301
                },
                RedirectRule {
                    from: "/*".into(),
                    to: "https://example.go.id/:splat".into(),
                    status: 301
                },
                RedirectRule {
                    from: "/layanan/*".into(),
                    to: "/error.html".into(),
                    status: 500
                },
            ]
        );
        let err = parse_redirects(&path, "/a /b abc\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "h/_redirects:1: status must be a number from 200 to 599, found `abc`"
        );
        let err = parse_redirects(&path, "\n/a https://x.go.id/ 200\n").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("h/_redirects:2: status 200 serves a file"));
        let err = parse_redirects(&path, "/a*b /c\n").unwrap_err();
        assert!(err.to_string().contains("only allowed at the end"));
    }

    #[test]
    fn patterns_match_exactly_or_by_prefix() {
        assert_eq!(match_pattern("/*", "/"), Some(""));
        assert_eq!(match_pattern("/*", "/a/b"), Some("a/b"));
        assert_eq!(match_pattern("/berita/*", "/berita/x.html"), Some("x.html"));
        assert_eq!(match_pattern("/berita/*", "/beritax"), None);
        assert_eq!(match_pattern("/kontak/", "/kontak/"), Some(""));
        assert_eq!(match_pattern("/kontak/", "/kontak"), None);
    }

    #[test]
    fn traversal_is_rejected_even_when_encoded() {
        assert_eq!(percent_decode("/%2e%2e/x"), Some("/../x".to_string()));
        assert!(safe_segments("/../x").is_none());
        assert!(safe_segments("/a/..").is_none());
        assert!(safe_segments("/a\\..\\b").is_none());
        assert_eq!(safe_segments("/a/./b/"), Some(vec!["a", "b"]));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%2"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn host_names_are_checked() {
        assert!(is_host_name("diskominfo.sulbarprov.go.id"));
        assert!(!is_host_name("Diskominfo.go.id"));
        assert!(!is_host_name("a..b"));
        assert!(!is_host_name("-a.b"));
        assert!(!is_host_name(""));
    }

    #[test]
    fn content_types_come_from_the_extension() {
        assert_eq!(
            content_type_for(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type_for(Path::new("sitemap.xml")),
            "application/xml"
        );
        assert_eq!(content_type_for(Path::new("x.PDF")), "application/pdf");
        assert_eq!(content_type_for(Path::new("x.jpg")), "image/jpeg");
        assert_eq!(
            content_type_for(Path::new("x.bin")),
            "application/octet-stream"
        );
    }
}
