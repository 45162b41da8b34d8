//! The HTTP client: building it from [`FetchSettings`], reading a capped body, and classing
//! transport errors into [`FailureClass`].
//!
//! The client never follows redirects itself (`redirect::Policy::none()`; [`super::Fetcher`]
//! follows them within scope), ignores proxy environment variables (a proxy would bypass the
//! `--resolve` overrides), keeps no cookies itself ([`super::Fetcher`] keeps one jar per
//! host, so cookies of one agency never reach another), and decompresses gzip and brotli
//! (reqwest) and deflate (here, so both the zlib wrapping of RFC 1950 that the HTTP spec means
//! and the raw RFC 1951 stream that many servers send decode). Decoded bodies are capped while they stream ([`read_capped`]), so a
//! decompression bomb stops at the cap with memory bounded by the cap.

use super::resolve::{BlockedAddress, DnsFailure, OverrideResolver};
use super::{FailureClass, FetchError, FetchSettings};
use std::error::Error as StdError;
use std::sync::Arc;

/// Builds the reqwest client. Errors name the bad setting (user agent, which root certificate).
pub(crate) fn build(settings: &FetchSettings) -> Result<reqwest::Client, FetchError> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(settings.user_agent.clone())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        .no_proxy()
        .no_deflate()
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::ACCEPT_ENCODING,
            reqwest::header::HeaderValue::from_static("gzip, deflate, br"),
        )]))
        .dns_resolver(Arc::new(OverrideResolver::new(
            settings.resolve.clone(),
            settings.allow_private,
        )));
    let builder =
        builder.use_preconfigured_tls(super::tls::client_config(&settings.extra_root_certs_pem)?);
    builder
        .build()
        .map_err(|e| FetchError::Client(error_chain(&e)))
}

/// A body read up to a cap.
pub(crate) struct Body {
    /// The bytes kept (after content decoding).
    pub(crate) bytes: Vec<u8>,
    /// True when the body was longer than the cap.
    pub(crate) truncated: bool,
}

/// Why a body could not be read to its end (or the cap).
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The transfer failed (timeout, reset, bad gzip/brotli data).
    Transport(reqwest::Error),
    /// `Content-Encoding: deflate` data that is neither zlib nor raw deflate.
    Deflate(String),
}

impl BodyError {
    /// The failure class.
    pub(crate) fn class(&self) -> FailureClass {
        match self {
            BodyError::Transport(e) => classify(e),
            BodyError::Deflate(_) => FailureClass::Other,
        }
    }
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::Transport(e) => f.write_str(&error_chain(e)),
            BodyError::Deflate(why) => write!(f, "bad deflate data: {why}"),
        }
    }
}

/// Bytes inflated per step, so memory stays bounded whatever the compression ratio.
const INFLATE_STEP: usize = 64 * 1024;

/// A streaming `deflate` decoder that decides from the first two bytes whether the data is
/// zlib-wrapped (RFC 1950: CM = 8 and the header checksum divisible by 31) or raw (RFC 1951).
struct Inflater {
    decoder: Option<flate2::Decompress>,
    /// The first byte, held until the second arrives.
    held: Vec<u8>,
    done: bool,
}

impl Inflater {
    fn new() -> Inflater {
        Inflater {
            decoder: None,
            held: Vec::new(),
            done: false,
        }
    }

    /// Inflates `chunk` into `out`, stopping when `out` reaches `cap`. Returns true when the cap
    /// was reached with output left.
    fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>, cap: usize) -> Result<bool, BodyError> {
        let joined;
        let mut input: &[u8] = chunk;
        if self.decoder.is_none() {
            self.held.extend_from_slice(chunk);
            if self.held.len() < 2 {
                return Ok(false);
            }
            let (cmf, flg) = (self.held[0], self.held[1]);
            let zlib = cmf & 0x0f == 8 && (u16::from(cmf) * 256 + u16::from(flg)) % 31 == 0;
            self.decoder = Some(flate2::Decompress::new(zlib));
            joined = std::mem::take(&mut self.held);
            input = &joined;
        }
        let Some(decoder) = self.decoder.as_mut() else {
            return Ok(false);
        };
        while !input.is_empty() && !self.done {
            if out.len() >= cap {
                return Ok(true);
            }
            let step = INFLATE_STEP.min(cap - out.len());
            out.reserve_exact(step);
            let (in_before, out_before) = (decoder.total_in(), out.len());
            let status = decoder
                .decompress_vec(input, out, flate2::FlushDecompress::None)
                .map_err(|e| BodyError::Deflate(e.to_string()))?;
            let used = usize::try_from(decoder.total_in() - in_before).unwrap_or(input.len());
            input = &input[used.min(input.len())..];
            if status == flate2::Status::StreamEnd {
                self.done = true;
            } else if used == 0 && out.len() == out_before {
                break;
            }
        }
        if out.len() > cap {
            out.truncate(cap);
            return Ok(true);
        }
        Ok(out.len() >= cap && !input.is_empty())
    }
}

/// Reads `response`'s body chunk by chunk after content decoding (gzip and brotli by reqwest,
/// deflate here), stopping at `cap` decoded bytes: the rest is neither read nor decoded.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: u64,
) -> Result<Body, BodyError> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let deflate = response
        .headers()
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("deflate"));
    let mut inflater = deflate.then(Inflater::new);
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if let Some(inflater) = inflater.as_mut() {
            if inflater.feed(&chunk, &mut bytes, cap)? {
                return Ok(Body {
                    bytes,
                    truncated: true,
                });
            }
            continue;
        }
        let room = cap - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(Body {
                bytes,
                truncated: true,
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Body {
        bytes,
        truncated: false,
    })
}

/// True for errors worth a retry: a timeout, or a connection reset, aborted or closed before
/// the answer was complete (not a refused connection, DNS, TLS or a blocked address).
pub(crate) fn is_transient(err: &reqwest::Error) -> bool {
    use std::io::ErrorKind as K;
    if err.is_timeout() {
        return true;
    }
    causes(err).iter().any(|e| {
        matches!(
            e.downcast_ref::<std::io::Error>().map(|io| io.kind()),
            Some(K::TimedOut | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe)
        ) || e
            .downcast_ref::<hyper::Error>()
            .is_some_and(|h| h.is_incomplete_message())
    })
}

/// The error and its `source()` chain as one line, repeated messages dropped.
pub(crate) fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Every error under `err`: its `source()` chain and, for each `io::Error`, the error it wraps
/// (`io::Error::source` skips that one, and rustls errors arrive as `io::Error(io::Error(rustls))`).
fn causes<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut found = Vec::new();
    let mut todo = vec![err];
    // The bound guards against a pathological cyclic chain.
    while let Some(e) = todo.pop().filter(|_| found.len() < 64) {
        found.push(e);
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            todo.push(inner);
        }
        if let Some(source) = e.source() {
            todo.push(source);
        }
    }
    found
}

/// Classes a reqwest error by walking its `source()` chain: our resolver's [`DnsFailure`] →
/// `Dns`, its [`BlockedAddress`] → `BlockedAddress`; a timeout (reqwest's or an `io::ErrorKind::TimedOut`) → `Timeout`; a `rustls::Error`
/// (bad or untrusted certificate, a peer that does not speak TLS) → `Tls` or its subclass
/// (see [`super::tls`]); `UnexpectedEof` (also "tls handshake eof": a server that accepts and
/// closes without a word) or hyper's `IncompleteMessage` ("connection closed before message
/// completed") → `Closed`; `ConnectionRefused` / `ConnectionReset` / `ConnectionAborted` /
/// `BrokenPipe` / `NotConnected`, or hyper's closed/canceled channel → `Refused`; another message
/// naming a certificate or the TLS handshake → `Tls`; anything else → `Other`.
pub(crate) fn classify(err: &reqwest::Error) -> FailureClass {
    let chain = causes(err);
    if chain.iter().any(|e| e.is::<DnsFailure>()) {
        return FailureClass::Dns;
    }
    if chain.iter().any(|e| e.is::<BlockedAddress>()) {
        return FailureClass::BlockedAddress;
    }
    let io_kind =
        |e: &&(dyn StdError + 'static)| e.downcast_ref::<std::io::Error>().map(|io| io.kind());
    if err.is_timeout()
        || chain
            .iter()
            .any(|e| io_kind(e) == Some(std::io::ErrorKind::TimedOut))
    {
        return FailureClass::Timeout;
    }
    if let Some(tls) = chain.iter().find_map(|e| e.downcast_ref::<rustls::Error>()) {
        return super::tls::subclass(tls).unwrap_or(FailureClass::Tls);
    }
    use std::io::ErrorKind as K;
    let closed = chain.iter().any(|e| {
        io_kind(e) == Some(K::UnexpectedEof)
            || e.downcast_ref::<hyper::Error>()
                .is_some_and(|h| h.is_incomplete_message())
    });
    if closed {
        return FailureClass::Closed;
    }
    let refused = chain.iter().any(|e| {
        matches!(
            io_kind(e),
            Some(
                K::ConnectionRefused
                    | K::ConnectionReset
                    | K::ConnectionAborted
                    | K::BrokenPipe
                    | K::NotConnected
            )
        ) || e
            .downcast_ref::<hyper::Error>()
            .is_some_and(|h| h.is_closed() || h.is_canceled())
    });
    if refused {
        return FailureClass::Refused;
    }
    // The words catch wrappers that flatten a TLS error into text.
    let tls_words = ["certificate", "tls handshake"];
    if chain.iter().any(|e| {
        let text = e.to_string().to_ascii_lowercase();
        tls_words.iter().any(|w| text.contains(w))
    }) {
        return FailureClass::Tls;
    }
    FailureClass::Other
}
