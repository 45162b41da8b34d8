//! A static server for fixture provinces on loopback: `fixtures/<province>/<host>/<path>`.
//!
//! INTERFACE CONTRACT (used by `audit.rs`/`main.rs`/tests):
//! `FixtureServer::start(dir: &Path, port: u16) -> Result<FixtureServer, FixtureError>` (port 0 =
//! any free port, bound on 127.0.0.1), `server.addr() -> SocketAddr`, `server.hosts() -> &[String]`,
//! and dropping the server (or `shutdown().await`) stops it.

use std::net::SocketAddr;
use std::path::Path;

/// Fixture server errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// Missing dir.
    #[error("{0}: not a directory")]
    NotADirectory(String),
}

/// The server.
#[derive(Debug)]
pub struct FixtureServer {
    addr: SocketAddr,
    hosts: Vec<String>,
}

impl FixtureServer {
    /// Start.
    pub async fn start(dir: &Path, _port: u16) -> Result<FixtureServer, FixtureError> {
        Err(FixtureError::NotADirectory(dir.display().to_string()))
    }
    /// Address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// Hosts.
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }
    /// CA.
    pub fn ca_cert_pem(&self) -> &str {
        ""
    }
    /// Stop.
    pub async fn shutdown(self) {}
}
