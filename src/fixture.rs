//! A static server for fixture provinces on loopback: `fixtures/<province>/<host>/<path>`.
//!
//! INTERFACE CONTRACT (used by `audit.rs`/`main.rs`/tests):
//! `FixtureServer::start(dir: &Path, port: u16) -> Result<FixtureServer, FixtureError>` (port 0 =
//! any free port, bound on 127.0.0.1), `server.addr() -> SocketAddr`, `server.hosts() -> &[String]`,
//! and dropping the server (or `shutdown().await`) stops it.
