//! Request pacing, pauses and back-off.
//!
//! - Per host: a governor keyed rate limiter (key = host name, no scheme or port) at
//!   `rate_per_host` requests per second with a burst of one, plus, for hosts whose robots.txt
//!   carries a `Crawl-delay` slower than that rate, a second limiter of one request per delay
//!   (capped at [`MAX_CRAWL_DELAY`]).
//! - Per IP address: a second keyed limiter (key = the server's IP address, learned from the
//!   first response of each host, `Response::remote_addr`) at `rate_per_ip`, because the OPD
//!   subdomains of a province often share one server. A host's first request is paced by host
//!   only (its address is not known yet).
//! - Pauses: a `Retry-After` on 429/503 (RFC 9110 §10.2.3) pauses the whole host until then;
//!   every request to the host waits for the pause, or gives up at once ("rate limited") when
//!   the pause ends later than `max_retry_after` from now.
//! - Back-off ([`backoff`]): exponential with jitter between retries of transient errors.
//!
//! Every request waits for all of them, robots.txt requests included. With `rate_per_host = 0`
//! the host and `Crawl-delay` limiters are off (benchmarks, tests); the IP limiter is off when
//! its rate is 0. Pauses always apply.

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// The longest `Crawl-delay` honoured, in seconds; longer delays are cut to this.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);

/// The pacing state shared by every request of a run.
pub(crate) struct Politeness {
    /// The base per-host limiter; `None` when pacing is off.
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    /// The per-IP limiter; `None` when off.
    ip_limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// The interval of the base rate (`1 / rate_per_host`).
    period: Duration,
    /// The interval of the IP rate (`1 / rate_per_ip`), zero when off.
    ip_period: Duration,
    /// Extra limiters for hosts whose `Crawl-delay` is longer than `period`.
    crawl_delays: Mutex<HashMap<String, (Duration, Arc<DefaultDirectRateLimiter>)>>,
    /// The server address each host answered from.
    host_ips: Mutex<HashMap<String, IpAddr>>,
    /// Hosts paused by `Retry-After`, until when.
    paused: Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for Politeness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Politeness")
            .field("enabled", &self.limiter.is_some())
            .field("period", &self.period)
            .field("ip_period", &self.ip_period)
            .finish()
    }
}

/// The interval of `rate` requests per second; zero for 0 (off).
fn period_of(rate: f64) -> Duration {
    if rate > 0.0 {
        Duration::from_secs_f64(1.0 / rate)
    } else {
        Duration::ZERO
    }
}

impl Politeness {
    /// `rate_per_host` and `rate_per_ip` in requests per second (finite, ≥ 0; 0 = off).
    pub(crate) fn new(rate_per_host: f64, rate_per_ip: f64) -> Politeness {
        let period = period_of(rate_per_host);
        let ip_period = period_of(rate_per_ip);
        Politeness {
            limiter: Quota::with_period(period).map(RateLimiter::keyed),
            ip_limiter: Quota::with_period(ip_period).map(RateLimiter::keyed),
            period,
            ip_period,
            crawl_delays: Mutex::new(HashMap::new()),
            host_ips: Mutex::new(HashMap::new()),
            paused: Mutex::new(HashMap::new()),
        }
    }

    /// The interval between two requests to one host, `None` when pacing is off.
    pub(crate) fn period(&self) -> Option<Duration> {
        self.limiter.as_ref().map(|_| self.period)
    }

    /// The interval between two requests to one IP address, `None` when that limit is off.
    pub(crate) fn ip_period(&self) -> Option<Duration> {
        self.ip_limiter.as_ref().map(|_| self.ip_period)
    }

    /// Waits until a request to `host` may be sent: the host's pause, then the host, crawl-delay
    /// and IP limiters. `Err(remaining)` without waiting when the host is paused for longer than
    /// `cap` from now.
    pub(crate) async fn wait(&self, host: &str, cap: Duration) -> Result<(), Duration> {
        if let Some(remaining) = self.paused_for(host) {
            if remaining > cap {
                return Err(remaining);
            }
            tokio::time::sleep(remaining).await;
        }
        if let Some(limiter) = &self.limiter {
            limiter.until_key_ready(&host.to_string()).await;
            let extra = lock(&self.crawl_delays)
                .get(host)
                .map(|(_, limiter)| Arc::clone(limiter));
            if let Some(extra) = extra {
                extra.until_ready().await;
            }
        }
        if let Some(ip_limiter) = &self.ip_limiter {
            let ip = lock(&self.host_ips).get(host).copied();
            if let Some(ip) = ip {
                ip_limiter.until_key_ready(&ip).await;
            }
        }
        Ok(())
    }

    /// Records the server address `host` answered from (keys the per-IP limiter).
    pub(crate) fn note_ip(&self, host: &str, ip: IpAddr) {
        lock(&self.host_ips).insert(host.to_string(), ip);
    }

    /// The address `host` last answered from.
    pub(crate) fn ip_of(&self, host: &str) -> Option<IpAddr> {
        lock(&self.host_ips).get(host).copied()
    }

    /// Pauses every request to `host` for `wait` from now (a later pause already set is kept).
    pub(crate) fn pause(&self, host: &str, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = lock(&self.paused);
        let entry = paused.entry(host.to_string()).or_insert(until);
        if *entry < until {
            *entry = until;
        }
    }

    /// How long `host` is still paused, if it is.
    pub(crate) fn paused_for(&self, host: &str) -> Option<Duration> {
        let until = lock(&self.paused).get(host).copied()?;
        let remaining = until.saturating_duration_since(Instant::now());
        (!remaining.is_zero()).then_some(remaining)
    }

    /// Applies a robots.txt `Crawl-delay` of `seconds` to `host` when pacing is on and the delay
    /// is longer than the base interval; the delay is capped at [`MAX_CRAWL_DELAY`].
    pub(crate) fn set_crawl_delay(&self, host: &str, seconds: f32) {
        if self.limiter.is_none() || !seconds.is_finite() || seconds <= 0.0 {
            return;
        }
        let delay = Duration::from_secs_f32(seconds).min(MAX_CRAWL_DELAY);
        if delay <= self.period {
            return;
        }
        if let Some(quota) = Quota::with_period(delay) {
            lock(&self.crawl_delays).insert(
                host.to_string(),
                (delay, Arc::new(RateLimiter::direct(quota))),
            );
        }
    }

    /// The `Crawl-delay` interval in force for `host`, if one is.
    pub(crate) fn crawl_delay(&self, host: &str) -> Option<Duration> {
        lock(&self.crawl_delays).get(host).map(|(delay, _)| *delay)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The wait a `Retry-After` header value asks for (RFC 9110 §10.2.3): a number of seconds
/// (`120`) or an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, also the obsolete RFC 850 and
/// asctime forms), measured from `now`; a date in the past is zero. `None` when the value is
/// neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Longer than u64 seconds: as good as forever.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The pause before retry number `attempt` (1-based): `base × 2^(attempt−1)`, times a random
/// factor in [0.5, 1.5) ("jitter", so retries of many crawlers do not arrive in step), capped at
/// one minute.
pub(crate) fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    exp.mul_f64(0.5 + fastrand::f64())
        .min(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_zero_is_off_and_ignores_crawl_delay() {
        let p = Politeness::new(0.0, 0.0);
        assert_eq!(p.period(), None);
        assert_eq!(p.ip_period(), None);
        p.set_crawl_delay("a.go.id", 5.0);
        assert_eq!(p.crawl_delay("a.go.id"), None);
    }

    #[test]
    fn crawl_delay_only_slows_and_is_capped() {
        let p = Politeness::new(2.0, 4.0);
        assert_eq!(p.period(), Some(Duration::from_millis(500)));
        assert_eq!(p.ip_period(), Some(Duration::from_millis(250)));
        p.set_crawl_delay("fast.go.id", 0.25);
        assert_eq!(p.crawl_delay("fast.go.id"), None);
        p.set_crawl_delay("slow.go.id", 3.0);
        assert_eq!(p.crawl_delay("slow.go.id"), Some(Duration::from_secs(3)));
        p.set_crawl_delay("huge.go.id", 3600.0);
        assert_eq!(p.crawl_delay("huge.go.id"), Some(MAX_CRAWL_DELAY));
    }

    #[test]
    fn retry_after_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 29 Nov 2026 12:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 29 Nov 2026 12:01:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Sunday, 29-Nov-26 12:00:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun Nov 29 12:00:05 2026", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Sat, 28 Nov 2026 12:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn backoff_grows_exponentially_within_jitter_bounds() {
        let base = Duration::from_millis(100);
        for attempt in 1..=4u32 {
            let nominal = 100.0 * f64::from(1u32 << (attempt - 1));
            for _ in 0..50 {
                let ms = backoff(base, attempt).as_secs_f64() * 1000.0;
                assert!(
                    ms >= nominal * 0.5 - 1e-6 && ms < nominal * 1.5,
                    "{attempt}: {ms}"
                );
            }
        }
        assert_eq!(
            backoff(Duration::from_secs(50), 10),
            Duration::from_secs(60)
        );
    }

    #[tokio::test]
    async fn pause_over_the_cap_gives_up_at_once_and_under_it_waits() {
        let p = Politeness::new(0.0, 0.0);
        p.pause("a.go.id", Duration::from_secs(3600));
        let remaining = p.wait("a.go.id", Duration::from_secs(60)).await;
        assert!(remaining.is_err_and(|d| d > Duration::from_secs(3500)));
        // Another host is not paused.
        assert_eq!(p.wait("b.go.id", Duration::from_secs(60)).await, Ok(()));
        p.pause("c.go.id", Duration::from_millis(20));
        assert_eq!(p.wait("c.go.id", Duration::from_secs(60)).await, Ok(()));
        assert_eq!(p.paused_for("c.go.id"), None);
    }

    #[test]
    fn host_ip_is_remembered() {
        let p = Politeness::new(1.0, 1.0);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        p.note_ip("a.go.id", ip);
        assert_eq!(p.ip_of("a.go.id"), Some(ip));
        assert_eq!(p.ip_of("b.go.id"), None);
    }
}
