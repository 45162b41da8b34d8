//! DNS discovery: try `<token>.<domain>` for every subdomain token of the nomenclature and keep
//! the names that resolve.
//!
//! The resolver is injectable ([`NameResolver`]): [`HickoryResolver`] (hickory-resolver, the
//! system's `/etc/resolv.conf`) for real runs, [`MapResolver`] (an in-process table) for tests,
//! which never touch a real DNS server.
//!
//! Wildcard DNS (RFC 4592: a `*.<domain>` record answers every name) would make every guess
//! "resolve", so a random label is resolved first; when it answers, DNS guesses are not used and
//! the run records a problem instead.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::net::IpAddr;
use std::pin::Pin;
use std::time::Duration;

/// Names looked up at once.
pub const DEFAULT_DNS_CONCURRENCY: usize = 16;
/// Names looked up at most per run (the built-in nomenclature has about 230).
pub const DEFAULT_DNS_MAX_NAMES: usize = 400;
/// Timeout of one DNS query in ms (hickory retries once).
pub const DNS_TIMEOUT_MS: u64 = 3_000;

/// A failed lookup that is not a plain "no such name" (timeout, SERVFAIL, no resolver).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LookupError {
    /// What went wrong, one phrase.
    pub message: String,
}

/// The boxed future of [`NameResolver::lookup`].
pub type LookupFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<IpAddr>, LookupError>> + Send + 'a>>;

/// Resolves host names to addresses. `Ok(vec![])` means the name does not exist (NXDOMAIN) or
/// has no A/AAAA records; `Err` means the question could not be answered.
pub trait NameResolver: Send + Sync {
    /// The A and AAAA addresses of `name` (a lower-case host name without trailing dot).
    fn lookup<'a>(&'a self, name: &'a str) -> LookupFuture<'a>;
}

/// [`NameResolver`] over hickory-resolver with the system configuration (`/etc/resolv.conf`),
/// [`DNS_TIMEOUT_MS`] per query, 2 attempts.
pub struct HickoryResolver {
    inner: hickory_resolver::TokioResolver,
}

impl HickoryResolver {
    /// A resolver from the system configuration. Errors: the configuration cannot be read.
    pub fn from_system() -> Result<HickoryResolver, LookupError> {
        let mut builder =
            hickory_resolver::TokioResolver::builder_tokio().map_err(|e| LookupError {
                message: format!("cannot read the system DNS configuration: {e}"),
            })?;
        let opts = builder.options_mut();
        opts.timeout = Duration::from_millis(DNS_TIMEOUT_MS);
        opts.attempts = 2;
        Ok(HickoryResolver {
            inner: builder.build(),
        })
    }
}

impl NameResolver for HickoryResolver {
    fn lookup<'a>(&'a self, name: &'a str) -> LookupFuture<'a> {
        Box::pin(async move {
            // A trailing dot makes the name absolute: no search-domain suffixes are tried.
            match self.inner.lookup_ip(format!("{name}.")).await {
                Ok(found) => Ok(found.iter().collect()),
                Err(e) if e.is_nx_domain() || e.is_no_records_found() => Ok(Vec::new()),
                Err(e) => Err(LookupError {
                    message: e.to_string(),
                }),
            }
        })
    }
}

/// [`NameResolver`] over an in-process table, for tests: exact names, and `*.<zone>` entries
/// that answer every name under the zone (wildcard DNS). Unknown names do not exist; names in
/// `failing` give an error.
#[derive(Debug, Clone, Default)]
pub struct MapResolver {
    /// Exact (lower-case) names and their addresses; a key `*.zone` is a wildcard.
    pub names: BTreeMap<String, Vec<IpAddr>>,
    /// Names whose lookup fails with an error (a SERVFAIL stand-in).
    pub failing: BTreeSet<String>,
}

impl MapResolver {
    /// A table where each of `names` resolves to `addr`.
    pub fn with(names: &[&str], addr: IpAddr) -> MapResolver {
        MapResolver {
            names: names.iter().map(|n| (n.to_string(), vec![addr])).collect(),
            failing: BTreeSet::new(),
        }
    }
}

impl NameResolver for MapResolver {
    fn lookup<'a>(&'a self, name: &'a str) -> LookupFuture<'a> {
        let answer = if self.failing.contains(name) {
            Err(LookupError {
                message: format!("SERVFAIL for {name}"),
            })
        } else if let Some(addrs) = self.names.get(name) {
            Ok(addrs.clone())
        } else {
            // The closest enclosing wildcard (RFC 4592 §2.2.1, simplified).
            let wildcard = name
                .match_indices('.')
                .map(|(i, _)| format!("*{}", &name[i..]))
                .find_map(|w| self.names.get(&w).cloned());
            Ok(wildcard.unwrap_or_default())
        };
        Box::pin(async move { answer })
    }
}

/// A label no one registers: `pantau-wildcard-check-` and 16 random hex digits (the process's
/// random hash keys, so no extra dependency).
pub fn random_label() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    format!("pantau-wildcard-check-{:016x}", h.finish())
}

/// What DNS discovery found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DnsFindings {
    /// Names that resolved, sorted.
    pub hosts: Vec<String>,
    /// Names looked up (the wildcard check not counted).
    pub tried: usize,
    /// Problems, one sentence each.
    pub problems: Vec<String>,
}

/// Resolve `<label>.<domain>` for each of `labels` (at most `max_names`, `concurrency` at
/// once) after a wildcard check. When the random label resolves, or its lookup fails (no DNS
/// reachable), nothing else is looked up and a problem says why. Lookup errors of single names
/// are summed up in one problem.
pub async fn probe(
    resolver: &dyn NameResolver,
    domain: &str,
    labels: &[String],
    concurrency: usize,
    max_names: usize,
) -> DnsFindings {
    use futures::StreamExt;
    let mut out = DnsFindings::default();
    let check = format!("{}.{domain}", random_label());
    match resolver.lookup(&check).await {
        Ok(addrs) if !addrs.is_empty() => {
            out.problems.push(format!(
                "wildcard DNS: a random name under {domain} resolves, so DNS guesses cannot tell \
                 real hosts; DNS discovery skipped"
            ));
            return out;
        }
        Ok(_) => {}
        Err(e) => {
            out.problems.push(format!(
                "DNS discovery skipped: the wildcard check for {domain} failed ({e})"
            ));
            return out;
        }
    }
    if labels.len() > max_names {
        out.problems.push(format!(
            "DNS discovery tried only the first {max_names} of {} names",
            labels.len()
        ));
    }
    let names: Vec<String> = labels
        .iter()
        .take(max_names)
        .map(|l| format!("{l}.{domain}"))
        .collect();
    out.tried = names.len();
    let results: Vec<(String, Result<Vec<IpAddr>, LookupError>)> =
        futures::stream::iter(names.into_iter().map(|name| async move {
            let answer = resolver.lookup(&name).await;
            (name, answer)
        }))
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut hosts = BTreeSet::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for (name, answer) in results {
        match answer {
            Ok(addrs) if !addrs.is_empty() => {
                hosts.insert(name);
            }
            Ok(_) => {}
            Err(e) => {
                errors.insert(name, e.message);
            }
        }
    }
    if let Some((name, message)) = errors.iter().next() {
        out.problems.push(format!(
            "DNS lookup failed for {} of {} names (first: {name}: {message})",
            errors.len(),
            out.tried
        ));
    }
    out.hosts = hosts.into_iter().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    fn labels(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[tokio::test]
    async fn resolving_names_are_kept() {
        let mut r = MapResolver::with(
            &["dishub.sulbarprov.go.id", "jdih.sulbarprov.go.id"],
            LOOPBACK,
        );
        r.names.insert("empty.sulbarprov.go.id".into(), Vec::new());
        let found = probe(
            &r,
            "sulbarprov.go.id",
            &labels(&["dinkes", "dishub", "empty", "jdih"]),
            2,
            100,
        )
        .await;
        assert_eq!(
            found,
            DnsFindings {
                hosts: vec![
                    "dishub.sulbarprov.go.id".into(),
                    "jdih.sulbarprov.go.id".into()
                ],
                tried: 4,
                problems: vec![],
            }
        );
    }

    #[tokio::test]
    async fn wildcard_disables_guessing() {
        let r = MapResolver::with(&["*.sulbarprov.go.id"], LOOPBACK);
        assert_eq!(
            r.lookup("anything.sulbarprov.go.id").await,
            Ok(vec![LOOPBACK])
        );
        assert_eq!(r.lookup("sulbarprov.go.id").await, Ok(vec![]));
        let found = probe(&r, "sulbarprov.go.id", &labels(&["dishub"]), 16, 100).await;
        assert_eq!(found.hosts, Vec::<String>::new());
        assert_eq!(found.tried, 0);
        assert_eq!(
            found.problems,
            vec![
                "wildcard DNS: a random name under sulbarprov.go.id resolves, so DNS guesses \
                  cannot tell real hosts; DNS discovery skipped"
                    .to_string()
            ]
        );
    }

    #[tokio::test]
    async fn errors_and_caps_are_reported() {
        let mut r = MapResolver::with(&["a.x.go.id"], LOOPBACK);
        r.failing.insert("b.x.go.id".into());
        let found = probe(&r, "x.go.id", &labels(&["a", "b", "c"]), 16, 2).await;
        assert_eq!(found.hosts, vec!["a.x.go.id".to_string()]);
        assert_eq!(found.tried, 2);
        assert_eq!(
            found.problems,
            vec![
                "DNS discovery tried only the first 2 of 3 names".to_string(),
                "DNS lookup failed for 1 of 2 names (first: b.x.go.id: SERVFAIL for b.x.go.id)"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn random_labels_are_labels() {
        let (a, b) = (random_label(), random_label());
        assert_ne!(a, b);
        assert_eq!(a.len(), "pantau-wildcard-check-".len() + 16);
        assert!(crate::discover::is_host_name(&format!("{a}.go.id")));
    }
}
