//! `--resolve HOST:IP:PORT` overrides: the parser of [`ResolveOverride`] and the in-process DNS
//! resolver handed to reqwest ([`OverrideResolver`]).
//!
//! Matching: an override for `a.example.go.id` matches that host exactly; an override for
//! `*.example.go.id` matches every subdomain at any depth (`a.example.go.id`,
//! `x.y.example.go.id`) but NOT the bare `example.go.id`: add the apex as its own override. An
//! exact override wins over a wildcard, and a longer wildcard over a shorter one. Hosts with no
//! override go to the system resolver (`tokio::net::lookup_host`), except names under `.invalid`,
//! which fail at once without asking any DNS server (RFC 6761 §6.4).
//!
//! The override's port is used when the URL has no explicit port (reqwest keeps the resolver's
//! port then; an explicit URL port wins), so `http://a.example.go.id/` can reach a loopback test
//! server on any port while the URL and the `Host` header stay unchanged.

use super::{FetchError, ResolveOverride};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::str::FromStr;

impl FromStr for ResolveOverride {
    type Err = FetchError;

    /// Parses `HOST:IP:PORT` (`a.example.go.id:127.0.0.1:8080`, `*.example.go.id:[::1]:8443`).
    /// The host is lower-cased; a wildcard is `*.` followed by a domain. Errors name the input.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let bad = |reason: &str| FetchError::BadResolve {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let (host, addr) = input
            .split_once(':')
            .ok_or_else(|| bad("expected HOST:IP:PORT"))?;
        let host = host.trim().to_ascii_lowercase();
        let domain = host.strip_prefix("*.").unwrap_or(&host);
        let valid_label = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if domain.is_empty() || !domain.split('.').all(valid_label) {
            return Err(bad(
                "the host must be a domain name, optionally prefixed by `*.`",
            ));
        }
        let addr = SocketAddr::from_str(addr.trim()).map_err(|_| {
            bad("expected IP:PORT after the host (write an IPv6 address as [::1]:PORT)")
        })?;
        Ok(ResolveOverride { host, addr })
    }
}

impl ResolveOverride {
    /// True when this override applies to `host` (lower case): exact match, or for `*.domain` any
    /// subdomain of `domain` (not `domain` itself).
    pub fn matches(&self, host: &str) -> bool {
        match self.host.strip_prefix("*.") {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|prefix| prefix.len() > 1 && prefix.ends_with('.')),
            None => self.host == host,
        }
    }
}

/// A host-name lookup failure; found in a reqwest error's `source()` chain to class it as DNS.
#[derive(Debug, thiserror::Error)]
#[error("cannot resolve {host}: {reason}")]
pub(crate) struct DnsFailure {
    host: String,
    reason: String,
}

/// reqwest resolver applying [`ResolveOverride`]s before the system resolver.
#[derive(Debug, Clone)]
pub(crate) struct OverrideResolver {
    overrides: Vec<ResolveOverride>,
}

impl OverrideResolver {
    /// Host names are lower-cased (and a trailing dot dropped) here, so overrides built by hand
    /// match like parsed ones.
    pub(crate) fn new(overrides: Vec<ResolveOverride>) -> OverrideResolver {
        let overrides = overrides
            .into_iter()
            .map(|o| ResolveOverride {
                host: o.host.trim_end_matches('.').to_ascii_lowercase(),
                addr: o.addr,
            })
            .collect();
        OverrideResolver { overrides }
    }

    /// The override for `host`: exact first, then the longest matching wildcard.
    pub(crate) fn lookup(&self, host: &str) -> Option<SocketAddr> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.overrides
            .iter()
            .filter(|o| o.matches(&host))
            .max_by_key(|o| (!o.host.starts_with("*."), o.host.len()))
            .map(|o| o.addr)
    }
}

impl Resolve for OverrideResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        if let Some(addr) = self.lookup(&host) {
            let addrs: Addrs = Box::new(std::iter::once(addr));
            return Box::pin(async move { Ok(addrs) });
        }
        let lower = host.trim_end_matches('.').to_ascii_lowercase();
        if lower == "invalid" || lower.ends_with(".invalid") {
            let err = DnsFailure {
                host,
                reason: "names under .invalid never resolve (RFC 6761 §6.4)".to_string(),
            };
            return Box::pin(async move { Err(err.into()) });
        }
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.clone(), 0)).await;
            match found {
                Ok(found) => {
                    let found: Vec<SocketAddr> = found.collect();
                    if found.is_empty() {
                        let err = DnsFailure {
                            host,
                            reason: "no address".to_string(),
                        };
                        return Err(err.into());
                    }
                    let addrs: Addrs = Box::new(found.into_iter());
                    Ok(addrs)
                }
                Err(e) => Err(DnsFailure {
                    host,
                    reason: e.to_string(),
                }
                .into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ResolveOverride {
        match s.parse() {
            Ok(o) => o,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn parses_ipv4_ipv6_and_wildcards() {
        let o = parse("A.Example.go.id:127.0.0.1:8080");
        assert_eq!(o.host, "a.example.go.id");
        assert_eq!(o.addr, "127.0.0.1:8080".parse().unwrap());
        let o = parse("*.sulbarprov.go.id:[::1]:443");
        assert_eq!(o.host, "*.sulbarprov.go.id");
        assert_eq!(o.addr, "[::1]:443".parse().unwrap());
    }

    #[test]
    fn errors_name_the_input() {
        for bad in [
            "example.go.id",
            "example.go.id:127.0.0.1",
            ":127.0.0.1:80",
            "*.:127.0.0.1:80",
            "ex ample:127.0.0.1:80",
            "example.go.id:::1:80",
            "example.go.id:localhost:80",
        ] {
            let err = bad.parse::<ResolveOverride>().unwrap_err().to_string();
            assert!(err.contains(bad), "{err}");
        }
    }

    #[test]
    fn wildcard_matches_subdomains_only() {
        let o = parse("*.sulbarprov.go.id:127.0.0.1:1");
        assert!(o.matches("x.sulbarprov.go.id"));
        assert!(o.matches("a.b.sulbarprov.go.id"));
        assert!(!o.matches("sulbarprov.go.id"));
        assert!(!o.matches("evilsulbarprov.go.id"));
        assert!(!o.matches("x.sulbarprov.go.id.evil.com"));
    }

    #[test]
    fn exact_beats_wildcard_and_longer_wildcard_wins() {
        let r = OverrideResolver::new(vec![
            ResolveOverride {
                host: "*.GO.ID.".to_string(),
                addr: "127.0.0.1:1".parse().unwrap(),
            },
            parse("*.sulbarprov.go.id:127.0.0.1:2"),
            parse("x.sulbarprov.go.id:127.0.0.1:3"),
        ]);
        assert_eq!(r.lookup("x.sulbarprov.go.id").map(|a| a.port()), Some(3));
        assert_eq!(r.lookup("Y.sulbarprov.go.id.").map(|a| a.port()), Some(2));
        assert_eq!(r.lookup("jatimprov.go.id").map(|a| a.port()), Some(1));
        assert_eq!(r.lookup("example.com"), None);
    }
}
