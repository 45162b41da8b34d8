//! Per-host request pacing: a governor keyed rate limiter (key = host name, no scheme or port) at
//! `rate_per_host` requests per second with a burst of one, plus, for hosts whose robots.txt
//! carries a `Crawl-delay` slower than that rate, a second limiter of one request per delay
//! (capped at [`MAX_CRAWL_DELAY`]). Every request waits for both (`until_key_ready`), robots.txt
//! requests included. With `rate_per_host = 0` pacing is off and `Crawl-delay` is ignored too
//! (benchmarks, tests).

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The longest `Crawl-delay` honoured, in seconds; longer delays are cut to this.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);

/// The pacing state shared by every request of a run.
pub(crate) struct Politeness {
    /// The base per-host limiter; `None` when pacing is off.
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    /// The interval of the base rate (`1 / rate_per_host`).
    period: Duration,
    /// Extra limiters for hosts whose `Crawl-delay` is longer than `period`.
    crawl_delays: Mutex<HashMap<String, (Duration, Arc<DefaultDirectRateLimiter>)>>,
}

impl std::fmt::Debug for Politeness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Politeness")
            .field("enabled", &self.limiter.is_some())
            .field("period", &self.period)
            .finish()
    }
}

impl Politeness {
    /// `rate_per_host` in requests per second (finite, ≥ 0; 0 = off).
    pub(crate) fn new(rate_per_host: f64) -> Politeness {
        let period = if rate_per_host > 0.0 {
            Duration::from_secs_f64(1.0 / rate_per_host)
        } else {
            Duration::ZERO
        };
        Politeness {
            limiter: Quota::with_period(period).map(RateLimiter::keyed),
            period,
            crawl_delays: Mutex::new(HashMap::new()),
        }
    }

    /// The interval between two requests to one host, `None` when pacing is off.
    pub(crate) fn period(&self) -> Option<Duration> {
        self.limiter.as_ref().map(|_| self.period)
    }

    /// Waits until a request to `host` may be sent.
    pub(crate) async fn wait(&self, host: &str) {
        let Some(limiter) = &self.limiter else {
            return;
        };
        limiter.until_key_ready(&host.to_string()).await;
        let extra = self
            .crawl_delays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(host)
            .map(|(_, limiter)| Arc::clone(limiter));
        if let Some(extra) = extra {
            extra.until_ready().await;
        }
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
            self.crawl_delays
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(
                    host.to_string(),
                    (delay, Arc::new(RateLimiter::direct(quota))),
                );
        }
    }

    /// The `Crawl-delay` interval in force for `host`, if one is.
    pub(crate) fn crawl_delay(&self, host: &str) -> Option<Duration> {
        self.crawl_delays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(host)
            .map(|(delay, _)| *delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_zero_is_off_and_ignores_crawl_delay() {
        let p = Politeness::new(0.0);
        assert_eq!(p.period(), None);
        p.set_crawl_delay("a.go.id", 5.0);
        assert_eq!(p.crawl_delay("a.go.id"), None);
    }

    #[test]
    fn crawl_delay_only_slows_and_is_capped() {
        let p = Politeness::new(2.0);
        assert_eq!(p.period(), Some(Duration::from_millis(500)));
        p.set_crawl_delay("fast.go.id", 0.25);
        assert_eq!(p.crawl_delay("fast.go.id"), None);
        p.set_crawl_delay("slow.go.id", 3.0);
        assert_eq!(p.crawl_delay("slow.go.id"), Some(Duration::from_secs(3)));
        p.set_crawl_delay("huge.go.id", 3600.0);
        assert_eq!(p.crawl_delay("huge.go.id"), Some(MAX_CRAWL_DELAY));
    }
}
