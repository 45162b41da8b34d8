//! The HTTP client: building it from [`FetchSettings`], reading a capped body, and classing
//! transport errors into [`FailureClass`].
//!
//! The client never follows redirects itself (`redirect::Policy::none()`; [`super::Fetcher`]
//! follows them within scope), ignores proxy environment variables (a proxy would bypass the
//! `--resolve` overrides), keeps cookies for the run (sites that set a cookie and redirect to
//! themselves), and decompresses gzip, brotli and deflate.

use super::resolve::{BlockedAddress, DnsFailure, OverrideResolver};
use super::{FailureClass, FetchError, FetchSettings};
use std::error::Error as StdError;
use std::sync::Arc;

/// Builds the reqwest client. Errors name the bad setting (user agent, which root certificate).
pub(crate) fn build(settings: &FetchSettings) -> Result<reqwest::Client, FetchError> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(settings.user_agent.clone())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        .no_proxy()
        .cookie_store(true)
        .dns_resolver(Arc::new(OverrideResolver::new(
            settings.resolve.clone(),
            settings.allow_private,
        )));
    for (index, pem) in settings.extra_root_certs_pem.iter().enumerate() {
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|e| {
            FetchError::RootCert {
                index,
                reason: e.to_string(),
            }
        })?;
        if certs.is_empty() {
            return Err(FetchError::RootCert {
                index,
                reason: "no `-----BEGIN CERTIFICATE-----` block found".to_string(),
            });
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
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

/// Reads `response`'s body chunk by chunk, stopping at `cap` bytes.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: u64,
) -> Result<Body, reqwest::Error> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
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
/// (bad or untrusted certificate, a peer that does not speak TLS) → `Tls`; `ConnectionRefused` /
/// `ConnectionReset` / `ConnectionAborted` / `UnexpectedEof` (also "tls handshake eof": a server
/// that closes without a word) / `BrokenPipe`, or hyper's "connection closed before message
/// completed" → `Refused`; another message naming a certificate or the TLS handshake → `Tls`;
/// anything else → `Other`.
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
    if chain.iter().any(|e| e.is::<rustls::Error>()) {
        return FailureClass::Tls;
    }
    use std::io::ErrorKind as K;
    let refused = chain.iter().any(|e| {
        matches!(
            io_kind(e),
            Some(
                K::ConnectionRefused
                    | K::ConnectionReset
                    | K::ConnectionAborted
                    | K::UnexpectedEof
                    | K::BrokenPipe
                    | K::NotConnected
            )
        ) || e
            .downcast_ref::<hyper::Error>()
            .is_some_and(|h| h.is_incomplete_message() || h.is_closed() || h.is_canceled())
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
