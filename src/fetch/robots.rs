//! robots.txt per RFC 9309, parsed by `texting_robots`, fetched once per origin
//! (scheme + host + port) and cached for the run.
//!
//! The fetch of `/robots.txt` goes through the same client, `User-Agent` and per-host rate limit
//! as pages. Its outcome decides for the whole origin (RFC 9309 §2.3.1):
//! - 2xx: the body (first [`MAX_ROBOTS_BYTES`] bytes, §2.5; a UTF-8 BOM skipped, bytes that are
//!   not UTF-8 replaced) is parsed for the product token; a body that sniffs as HTML (a soft
//!   404 page answered with 200) is no robots file: allow all;
//!   `Crawl-delay` (non-standard, capped at 10 s) slows the host.
//! - redirects: followed up to [`MAX_ROBOTS_REDIRECTS`] hops, to any host (§2.3.1.2); more hops
//!   means "unavailable" (allow all).
//! - 4xx other than 429: "unavailable", everything is allowed (§2.3.1.3).
//! - 5xx and 429: "unreachable", everything is disallowed (§2.3.1.4; 429 is treated like a server
//!   error because it signals overload). Recorded, so the crawl can report `robots_unreachable`.
//! - no HTTP answer at all (DNS, refused, TLS, timeout): the origin is unreachable too, and the
//!   page fetch reports that transport failure instead of a robots decision. The crawl holds
//!   back URLs whose robots.txt timed out and asks again later ([`crate::crawl`]).
//!
//! Concurrent requests to one origin wait on one `tokio::sync::Mutex` per origin, so robots.txt is
//! requested once at a time. A usable answer (2xx, 4xx, redirects exhausted) is kept for the run.
//! An unreachable one (5xx, 429, no answer) is "crawl nothing on that host for now": it is asked
//! again by the first request after `robots_retry_interval`, at most [`MAX_ROBOTS_ATTEMPTS`] times
//! per origin in a run, and the last answer stands. That is its retry: a robots.txt request is
//! not retried at once after a transient error or a 429/503 (a `Retry-After` still pauses the
//! host).

use super::{FailureClass, FetchFailure};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use texting_robots::Robot;
use url::Url;

/// Bytes of robots.txt parsed at most (RFC 9309 §2.5: at least 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;
/// Redirect hops followed when fetching robots.txt (RFC 9309 §2.3.1.2: at least five).
pub const MAX_ROBOTS_REDIRECTS: usize = 5;
/// Times robots.txt of one origin is requested at most in a run while it stays unreachable.
pub const MAX_ROBOTS_ATTEMPTS: u32 = 3;

/// The robots.txt state of one origin.
#[derive(Debug)]
pub(crate) enum RobotsState {
    /// Parsed rules (`None`: no rules, allow all — 4xx, unparseable, too many redirects).
    Rules(Option<Robot>),
    /// robots.txt answered with this server-error status: disallow all.
    Unreachable(u16),
    /// robots.txt got no HTTP answer: disallow all, reporting this failure.
    Transport(FetchFailure),
}

/// What robots.txt says about one URL.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Fetch it.
    Allowed,
    /// Do not fetch it.
    Disallowed,
    /// The origin did not answer robots.txt at all.
    Failed(Box<FetchFailure>),
}

impl RobotsState {
    /// The decision for `url` (on this state's origin).
    pub(crate) fn verdict(&self, url: &Url) -> Verdict {
        match self {
            RobotsState::Rules(None) => Verdict::Allowed,
            RobotsState::Rules(Some(robot)) => {
                let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
                if robot.allowed(path) {
                    Verdict::Allowed
                } else {
                    Verdict::Disallowed
                }
            }
            RobotsState::Unreachable(_) => Verdict::Disallowed,
            RobotsState::Transport(failure) => Verdict::Failed(Box::new(FetchFailure {
                url: url.clone(),
                class: failure.class,
                message: format!("robots.txt not reachable: {}", failure.message),
                location: failure.location.clone(),
            })),
        }
    }

    /// True for the states that are retried later (5xx, 429, no answer).
    pub(crate) fn is_unreachable(&self) -> bool {
        !matches!(self, RobotsState::Rules(_))
    }

    /// Why the origin's robots.txt was unreachable, when it was (RFC 9309 §2.3.1.4).
    pub(crate) fn unreachable_reason(&self) -> Option<String> {
        match self {
            RobotsState::Rules(_) => None,
            RobotsState::Unreachable(status) => Some(format!(
                "robots.txt answered HTTP {status}; RFC 9309 §2.3.1.4 means nothing may be crawled"
            )),
            RobotsState::Transport(f) => Some(format!(
                "robots.txt got no answer ({}): {}",
                f.class.code(),
                f.message
            )),
        }
    }

    /// The state for a robots.txt response with `status` and `body`, for product token `token`.
    pub(crate) fn from_response(status: u16, body: &[u8], token: &str) -> RobotsState {
        match status {
            200..=299 => {
                let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
                let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
                if super::decode::sniffs_as_html(body) {
                    // A soft 404: the site's HTML error page served as 200 is not a robots file.
                    return RobotsState::Rules(None);
                }
                // Stray bytes that are not UTF-8 become U+FFFD; the lines around them still count.
                let text = String::from_utf8_lossy(body);
                RobotsState::Rules(Robot::new(token, text.as_bytes()).ok())
            }
            429 | 500..=599 => RobotsState::Unreachable(status),
            _ => RobotsState::Rules(None),
        }
    }
}

/// The key robots.txt is cached under: `scheme://host:port` with the port made explicit.
pub(crate) fn origin_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// The cached robots.txt state of one origin.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The last state fetched.
    pub(crate) state: Arc<RobotsState>,
    /// When it was fetched.
    pub(crate) at: Instant,
    /// How many times robots.txt was requested.
    pub(crate) attempts: u32,
}

impl Entry {
    /// True when the state should be fetched again: unreachable, older than `interval`, and
    /// fewer than [`MAX_ROBOTS_ATTEMPTS`] attempts so far.
    pub(crate) fn is_stale(&self, interval: Duration) -> bool {
        self.state.is_unreachable()
            && self.attempts < MAX_ROBOTS_ATTEMPTS
            && self.at.elapsed() >= interval
    }
}

/// One cell per origin; the `tokio` mutex is held while robots.txt is fetched.
pub(crate) type Cell = Arc<tokio::sync::Mutex<Option<Entry>>>;

/// The robots.txt states of a run, by origin.
#[derive(Debug, Default)]
pub(crate) struct RobotsCache {
    cells: Mutex<HashMap<String, Cell>>,
}

impl RobotsCache {
    /// The cell of `url`'s origin, created empty on first use.
    pub(crate) fn cell(&self, url: &Url) -> Cell {
        let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(cells.entry(origin_key(url)).or_default())
    }

    /// The `Sitemap:` URLs of `url`'s origin's parsed robots.txt, resolved against
    /// `<origin>/robots.txt`, http(s) only, in file order; empty when it was not fetched or had
    /// no rules. Never fetches.
    pub(crate) fn peek_sitemaps(&self, url: &Url) -> Vec<Url> {
        let cell = {
            let cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            match cells.get(&origin_key(url)) {
                Some(cell) => Arc::clone(cell),
                None => return Vec::new(),
            }
        };
        let Ok(guard) = cell.try_lock() else {
            return Vec::new();
        };
        let Some(RobotsState::Rules(Some(robot))) = guard.as_ref().map(|e| e.state.as_ref()) else {
            return Vec::new();
        };
        let Ok(base) = url.join("/robots.txt") else {
            return Vec::new();
        };
        robot
            .sitemaps
            .iter()
            .filter_map(|s| base.join(s.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .collect()
    }

    /// The cached state of `url`'s origin, without fetching (`None` also while it is being
    /// fetched).
    pub(crate) fn peek_unreachable(&self, url: &Url) -> Option<String> {
        self.peek(url, RobotsState::unreachable_reason)
    }

    /// The failure class of `url`'s origin when its robots.txt got no HTTP answer (a timeout,
    /// a refused connection), without fetching.
    pub(crate) fn peek_transport_class(&self, url: &Url) -> Option<FailureClass> {
        self.peek(url, |state| match state {
            RobotsState::Transport(f) => Some(f.class),
            _ => None,
        })
    }

    /// `read` applied to the cached state of `url`'s origin (`None` when not cached, or while
    /// it is being fetched).
    fn peek<T>(&self, url: &Url, read: impl FnOnce(&RobotsState) -> Option<T>) -> Option<T> {
        let cell = {
            let cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(cells.get(&origin_key(url))?)
        };
        let guard = cell.try_lock().ok()?;
        read(&guard.as_ref()?.state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn origin_key_makes_port_explicit() {
        assert_eq!(
            origin_key(&url("https://A.go.id/x?y")),
            "https://a.go.id:443"
        );
        assert_eq!(
            origin_key(&url("http://a.go.id:8080/")),
            "http://a.go.id:8080"
        );
    }

    #[test]
    fn statuses_per_rfc_9309() {
        let body = b"User-agent: pantau\nDisallow: /private\n\nUser-agent: *\nDisallow: /";
        let rules = RobotsState::from_response(200, body, "pantau");
        assert!(matches!(
            rules.verdict(&url("http://a.go.id/private/x")),
            Verdict::Disallowed
        ));
        assert!(matches!(
            rules.verdict(&url("http://a.go.id/public?q=1")),
            Verdict::Allowed
        ));
        assert_eq!(rules.unreachable_reason(), None);

        let gone = RobotsState::from_response(404, b"", "pantau");
        assert!(matches!(
            gone.verdict(&url("http://a.go.id/")),
            Verdict::Allowed
        ));

        for status in [500, 503, 429] {
            let down = RobotsState::from_response(status, b"", "pantau");
            assert!(matches!(
                down.verdict(&url("http://a.go.id/")),
                Verdict::Disallowed
            ));
            let reason = down.unreachable_reason().unwrap_or_default();
            assert!(reason.contains(&status.to_string()), "{reason}");
        }
    }

    #[test]
    fn bom_stray_bytes_and_html_soft_404() {
        let body = b"\xEF\xBB\xBFUser-agent: *\nDisallow: /admin\n";
        let rules = RobotsState::from_response(200, body, "pantau");
        assert!(matches!(
            rules.verdict(&url("https://a.go.id/admin")),
            Verdict::Disallowed
        ));
        let body = b"# \xFF\xFE caf\xE9\nUser-agent: *\nDisallow: /privat\n";
        let rules = RobotsState::from_response(200, body, "pantau");
        assert!(matches!(
            rules.verdict(&url("https://a.go.id/privat/x")),
            Verdict::Disallowed
        ));
        let soft = b"<!DOCTYPE html><html><body>Disallow: /</body></html>";
        let rules = RobotsState::from_response(200, soft, "pantau");
        assert!(matches!(
            rules.verdict(&url("https://a.go.id/")),
            Verdict::Allowed
        ));
    }

    #[test]
    fn longest_match_wins_and_allow_wins_ties() {
        let body = b"User-agent: *\nDisallow: /dokumen\nAllow: /dokumen/publik\nDisallow: /*.php$\nAllow: /x\nDisallow: /x\n";
        let rules = RobotsState::from_response(200, body, "pantau");
        let allowed = |u: &str| matches!(rules.verdict(&url(u)), Verdict::Allowed);
        assert!(!allowed("https://a.go.id/dokumen/rahasia"));
        assert!(allowed("https://a.go.id/dokumen/publik/a.pdf"));
        assert!(!allowed("https://a.go.id/index.php"));
        assert!(allowed("https://a.go.id/index.php?x=1"));
        assert!(allowed("https://a.go.id/x"));
    }

    #[test]
    fn star_group_applies_to_other_tokens() {
        let body = b"User-agent: googlebot\nDisallow:\n\nUser-agent: *\nDisallow: /admin";
        let rules = RobotsState::from_response(200, body, "pantau");
        assert!(matches!(
            rules.verdict(&url("https://a.go.id/admin/login")),
            Verdict::Disallowed
        ));
    }
}
