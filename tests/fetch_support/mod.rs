//! A tiny raw-tokio HTTP/1.1 test server on 127.0.0.1 for the fetch and crawl tests, plus
//! misbehaving listeners (accept-and-drop, accept-and-hang) and settings helpers. Every response
//! closes the connection; requests are logged with their Host header.

#![allow(dead_code)] // each test binary uses a different subset

use pantau::fetch::{FetchSettings, Fetcher, ResolveOverride};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Request target (`/path?query`).
    pub path: String,
    /// The Host header.
    pub host: String,
    /// All headers, names lower case.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A canned response.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Milliseconds to wait before answering.
    pub delay_ms: u64,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Close the connection after reading the request, without answering.
    pub hang_up: bool,
    /// Send the body one byte every this many milliseconds (0: all at once).
    pub drip_ms: u64,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            delay_ms: 0,
            status,
            headers: Vec::new(),
            body: Vec::new(),
            hang_up: false,
            drip_ms: 0,
        }
    }
    /// Read the request and close the connection without a word.
    pub fn hang_up() -> Reply {
        Reply {
            hang_up: true,
            ..Reply::new(200)
        }
    }
    pub fn drip(mut self, ms: u64) -> Reply {
        self.drip_ms = ms;
        self
    }
    pub fn html(body: &str) -> Reply {
        Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(body.as_bytes())
    }
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::new(status).header("location", location)
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn delay(mut self, ms: u64) -> Reply {
        self.delay_ms = ms;
        self
    }
    pub fn body(mut self, body: &[u8]) -> Reply {
        self.body = body.to_vec();
        self
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// The server; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts a server answering every request with `handler`.
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::start_with(handler, None).await
    }

    /// Starts an HTTPS server for `*.example.go.id` and `example.go.id` with a certificate
    /// signed by a fresh test CA; returns the server and the CA certificate, PEM.
    pub async fn start_tls(
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
    ) -> (TestServer, String) {
        let (acceptor, ca_pem) = test_tls();
        (
            TestServer::start_with(handler, Some(acceptor)).await,
            ca_pem,
        )
    }

    /// Starts an HTTPS server with the given acceptor (certificate chain chosen by the test).
    pub async fn start_with_acceptor(
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
        acceptor: TlsAcceptor,
    ) -> TestServer {
        TestServer::start_with(handler, Some(acceptor)).await
    }

    async fn start_with(
        handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
        tls: Option<TlsAcceptor>,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task_log = Arc::clone(&log);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&task_log);
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                serve(stream, &*handler, &log).await;
                            }
                        }
                        None => serve(stream, &*handler, &log).await,
                    }
                });
            }
        });
        TestServer { addr, log, task }
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().expect("log lock").clone()
    }

    /// Paths requested so far, in order, `/robots.txt` and `/sitemap.xml` left out.
    pub fn paths(&self) -> Vec<String> {
        self.seen()
            .into_iter()
            .map(|s| s.path)
            .filter(|p| p != "/robots.txt" && p != "/sitemap.xml")
            .collect()
    }

    /// How many times `path` was requested.
    pub fn count(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

/// Answers one request on `stream` and closes it.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    handler: &Handler,
    log: &Mutex<Vec<Seen>>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.first() == Some(&0x16) {
            // A TLS ClientHello: answer like a plain HTTP server would.
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n")
                .await;
            return;
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let path = request_line
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let host = headers
        .iter()
        .find(|(n, _)| n == "host")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let seen = Seen {
        path,
        host,
        headers,
    };
    log.lock().expect("log lock").push(seen.clone());
    let reply = handler(&seen);
    if reply.hang_up {
        return;
    }
    tokio::time::sleep(Duration::from_millis(reply.delay_ms)).await;
    let mut out = format!("HTTP/1.1 {} X\r\n", reply.status).into_bytes();
    for (n, v) in &reply.headers {
        out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            reply.body.len()
        )
        .as_bytes(),
    );
    if reply.drip_ms > 0 {
        if stream.write_all(&out).await.is_err() {
            return;
        }
        for byte in &reply.body {
            tokio::time::sleep(Duration::from_millis(reply.drip_ms)).await;
            if stream.write_all(&[*byte]).await.is_err() || stream.flush().await.is_err() {
                return;
            }
        }
        let _ = stream.shutdown().await;
        return;
    }
    out.extend_from_slice(&reply.body);
    let _ = stream.write_all(&out).await;
    let _ = stream.shutdown().await;
}

/// A TLS acceptor with a certificate for `*.example.go.id` and `example.go.id` signed by a fresh
/// CA, and that CA's certificate as PEM.
fn test_tls() -> (TlsAcceptor, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    use tokio_rustls::rustls;
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "pantau test CA");
    let ca = ca_params.self_signed(&ca_key).expect("CA certificate");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec![
        "*.example.go.id".to_string(),
        "example.go.id".to_string(),
    ])
    .expect("leaf params")
    .signed_by(&leaf_key, &ca, &ca_key)
    .expect("leaf certificate");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .expect("server config");
    (TlsAcceptor::from(Arc::new(config)), ca.pem())
}

/// How a [`Misbehaving`] listener treats the connections it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manners {
    /// Read the request, then close cleanly (FIN) without answering.
    Close,
    /// Read the request, then reset the connection (RST, zero linger).
    Reset,
    /// Hold the connection open and never answer.
    Hang,
}

/// A listener that accepts connections and never answers them properly; stops when dropped.
pub struct Misbehaving {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Misbehaving {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Misbehaving {
    pub async fn start(manners: Manners) -> Misbehaving {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                if manners == Manners::Hang {
                    held.push(stream);
                    continue;
                }
                let mut chunk = [0u8; 4096];
                let _ = stream.read(&mut chunk).await;
                if manners == Manners::Reset {
                    let _ = stream.set_zero_linger();
                }
                drop(stream);
            }
        });
        Misbehaving { addr, task }
    }
}

/// A loopback port with nothing listening on it.
pub async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    listener.local_addr().expect("local addr")
}

/// Test settings: no pacing, short timeouts, a 1 MiB body cap, 10 ms retry back-off, `*.example.go.id` and
/// `example.go.id` sent to `addr`.
pub fn settings(addr: SocketAddr) -> FetchSettings {
    FetchSettings {
        user_agent: "pantau-test/0 (+http://127.0.0.1/)".to_string(),
        robots_token: "pantau".to_string(),
        rate_per_host: 0.0,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        max_body_bytes: 1024 * 1024,
        resolve: vec![
            ResolveOverride {
                host: "*.example.go.id".to_string(),
                addr,
            },
            ResolveOverride {
                host: "example.go.id".to_string(),
                addr,
            },
        ],
        extra_root_certs_pem: Vec::new(),
        retry_base: Duration::from_millis(10),
        // An unreachable robots.txt is asked again soon (the crawl waits this long between
        // its retry rounds).
        robots_retry_interval: Duration::from_millis(20),
        ..FetchSettings::default()
    }
}

/// A fetcher with [`settings`].
pub fn fetcher(addr: SocketAddr) -> Fetcher {
    Fetcher::new(settings(addr)).expect("test fetcher")
}

/// Parses a URL literal of a test.
pub fn url(s: &str) -> url::Url {
    url::Url::parse(s).expect("test URL")
}
