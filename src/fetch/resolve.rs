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
//! Private-address guard: unless `allow_private` is set, addresses from the system resolver
//! that are not public ([`is_public_address`]) are dropped, and a name that resolves only to
//! such addresses fails with [`BlockedAddress`] (classed `blocked_address`), so a go.id name
//! pointing at 127.0.0.1, 10.x or 169.254.169.254 is never connected to. Override addresses
//! (`--resolve`) are trusted as given.
//!
//! The override's port is used when the URL has no explicit port (reqwest keeps the resolver's
//! port then; an explicit URL port wins), so `http://a.example.go.id/` can reach a loopback test
//! server on any port while the URL and the `Host` header stay unchanged.

use super::{FetchError, ResolveOverride};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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
        if addr.port() == 0 {
            return Err(bad("port 0 is not a port a server listens on"));
        }
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

/// True for a globally routable unicast address. False for (IPv4) 0/8 "this network", 10/8,
/// 100.64/10 (carrier-grade NAT), 127/8 loopback, 169.254/16 link-local (cloud metadata
/// 169.254.169.254), 172.16/12, 192.0.0/24, 192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24,
/// 203.0.113/24, 224/4 multicast, 240/4 reserved and broadcast (RFC 6890); and (IPv6) `::`,
/// `::1`, fc00::/7 unique-local (AWS metadata fd00:ec2::254), fe80::/10 link-local, ff00::/8
/// multicast, 2001:db8::/32 documentation, and IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
/// and NAT64 (64:ff9b::/96) addresses whose embedded IPv4 address is not public.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0
        || a == 10
        || (a == 100 && (64..128).contains(&b))
        || a == 127
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || a >= 224)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let seg = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 64:ff9b::/96 embed an IPv4 address.
    let embedded = Ipv4Addr::new(
        (seg[6] >> 8) as u8,
        seg[6] as u8,
        (seg[7] >> 8) as u8,
        seg[7] as u8,
    );
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded);
    }
    if seg[..6] == [0; 6] {
        // `::`, `::1` (seg[6] = 0) and the IPv4-compatible `::a.b.c.d`.
        return seg[6] != 0 && is_public_v4(embedded);
    }
    !((seg[0] & 0xfe00) == 0xfc00
        || (seg[0] & 0xffc0) == 0xfe80
        || (seg[0] & 0xff00) == 0xff00
        || (seg[0] == 0x2001 && seg[1] == 0x0db8))
}

/// A host whose every address is non-public (see [`is_public_address`]); found in a reqwest
/// error's `source()` chain to class it as `blocked_address`.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves only to non-public addresses ({addrs}); not connecting (use --allow-private to allow)")]
pub(crate) struct BlockedAddress {
    pub(crate) host: String,
    pub(crate) addrs: String,
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
    allow_private: bool,
}

impl OverrideResolver {
    /// Host names are lower-cased (and a trailing dot dropped) here, so overrides built by hand
    /// match like parsed ones.
    pub(crate) fn new(overrides: Vec<ResolveOverride>, allow_private: bool) -> OverrideResolver {
        let overrides = overrides
            .into_iter()
            .map(|o| ResolveOverride {
                host: o.host.trim_end_matches('.').to_ascii_lowercase(),
                addr: o.addr,
            })
            .collect();
        OverrideResolver {
            overrides,
            allow_private,
        }
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
        let allow_private = self.allow_private;
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
                    let public: Vec<SocketAddr> = found
                        .iter()
                        .copied()
                        .filter(|a| allow_private || is_public_address(a.ip()))
                        .collect();
                    if public.is_empty() {
                        let addrs = found
                            .iter()
                            .map(|a| a.ip().to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Err(BlockedAddress { host, addrs }.into());
                    }
                    let addrs: Addrs = Box::new(public.into_iter());
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
            "example.go.id:127.0.0.1:0",
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
    fn public_and_non_public_addresses() {
        let public = |s: &str| is_public_address(s.parse().unwrap());
        for blocked in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
        ] {
            assert!(!public(blocked), "{blocked} must be blocked");
        }
        for open in [
            "8.8.8.8",
            "103.10.20.30",
            "172.32.0.1",
            "172.15.255.255",
            "192.169.0.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(open), "{open} is public");
        }
    }

    #[tokio::test]
    async fn system_lookup_to_loopback_is_blocked_unless_allowed() {
        // `localhost` resolves from /etc/hosts, never asking a DNS server.
        let blocked = OverrideResolver::new(Vec::new(), false)
            .resolve(Name::from_str("localhost").unwrap())
            .await;
        let err = blocked.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("non-public"), "{err}");
        let allowed = OverrideResolver::new(Vec::new(), true)
            .resolve(Name::from_str("localhost").unwrap())
            .await;
        assert!(allowed.is_ok_and(|mut a| a.next().is_some_and(|a| a.ip().is_loopback())));
        let overridden = OverrideResolver::new(vec![parse("localhost:127.0.0.1:9")], false)
            .resolve(Name::from_str("localhost").unwrap())
            .await;
        assert!(overridden.is_ok_and(|mut a| a.next().is_some_and(|a| a.port() == 9)));
    }

    #[test]
    fn exact_beats_wildcard_and_longer_wildcard_wins() {
        let r = OverrideResolver::new(
            vec![
                ResolveOverride {
                    host: "*.GO.ID.".to_string(),
                    addr: "127.0.0.1:1".parse().unwrap(),
                },
                parse("*.sulbarprov.go.id:127.0.0.1:2"),
                parse("x.sulbarprov.go.id:127.0.0.1:3"),
            ],
            false,
        );
        assert_eq!(r.lookup("x.sulbarprov.go.id").map(|a| a.port()), Some(3));
        assert_eq!(r.lookup("Y.sulbarprov.go.id.").map(|a| a.port()), Some(2));
        assert_eq!(r.lookup("jatimprov.go.id").map(|a| a.port()), Some(1));
        assert_eq!(r.lookup("example.com"), None);
    }
}
