//! Politeness on loopback: Retry-After (seconds and HTTP-date) pauses the host, waits over the
//! cap are "rate limited — not checked", bounded retries with back-off for transient errors,
//! the per-IP limiter's key, robots.txt unreachable retried later in the run.

mod fetch_support;

use fetch_support::{settings, url, Reply, TestServer};
use pantau::fetch::{FailureClass, FetchOutcome, Fetcher, MAX_ROBOTS_ATTEMPTS};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

fn class(outcome: &FetchOutcome) -> Option<FailureClass> {
    match outcome {
        FetchOutcome::Failed(f) => Some(f.class),
        _ => None,
    }
}

fn status(outcome: &FetchOutcome) -> Option<u16> {
    match outcome {
        FetchOutcome::Document(d) => Some(d.status),
        _ => None,
    }
}

/// A handler answering `first` for the first `n` requests of `path`, then 200.
fn flaky(path: &'static str, n: usize, first: Reply) -> impl Fn(&fetch_support::Seen) -> Reply {
    let count = Arc::new(AtomicUsize::new(0));
    move |req| {
        if req.path == "/robots.txt" {
            return Reply::new(404);
        }
        if req.path == path && count.fetch_add(1, Ordering::SeqCst) < n {
            return first.clone();
        }
        Reply::html("<p>ok</p>")
    }
}

#[tokio::test]
async fn retry_after_seconds_within_the_cap_pauses_then_succeeds() {
    let server = TestServer::start(flaky(
        "/berita",
        1,
        Reply::new(429).header("retry-after", "1"),
    ))
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/berita")).await;
    assert_eq!(status(&outcome), Some(200));
    assert_eq!(server.count("/berita"), 2);
}

#[tokio::test]
async fn retry_after_http_date_within_the_cap_is_honoured() {
    let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
    let server =
        TestServer::start(flaky("/p", 1, Reply::new(503).header("retry-after", &soon))).await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/p")).await;
    assert_eq!(status(&outcome), Some(200));
    assert_eq!(server.count("/p"), 2);
}

#[tokio::test]
async fn retry_after_over_the_cap_is_rate_limited_and_pauses_the_whole_host() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/sibuk" => Reply::new(429).header("retry-after", "3600"),
        _ => Reply::html("<p>ok</p>"),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/sibuk")).await;
    assert_eq!(class(&outcome), Some(FailureClass::RateLimited));
    assert_eq!(FailureClass::RateLimited.code(), "rate_limited");
    if let FetchOutcome::Failed(f) = &outcome {
        assert!(f.message.contains("3600"), "{}", f.message);
        assert!(f.message.contains("not checked"), "{}", f.message);
    }
    assert_eq!(
        server.count("/sibuk"),
        1,
        "no retry when the wait is over the cap"
    );
    assert!(fetcher
        .paused_for("a.example.go.id")
        .is_some_and(|d| d > Duration::from_secs(3500)));
    // Another page of the paused host is not requested at all.
    let other = fetcher.fetch(&url("http://a.example.go.id/lain")).await;
    assert_eq!(class(&other), Some(FailureClass::RateLimited));
    assert_eq!(server.count("/lain"), 0);
    // Another host on the same server is not paused.
    let b = fetcher.fetch(&url("http://b.example.go.id/lain")).await;
    assert_eq!(status(&b), Some(200));
}

#[tokio::test]
async fn retry_after_http_date_over_the_cap_is_rate_limited() {
    let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(7200));
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(503).header("retry-after", &later),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(class(&outcome), Some(FailureClass::RateLimited));
}

#[tokio::test]
async fn persistent_429_is_rate_limited_after_bounded_retries() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(429),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_retries = 3;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/x")).await;
    assert_eq!(class(&outcome), Some(FailureClass::RateLimited));
    assert_eq!(server.count("/x"), 4, "one try and three retries");
}

#[tokio::test]
async fn persistent_503_without_retry_after_is_an_http_503_after_retries() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(503),
    })
    .await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/x")).await;
    assert_eq!(status(&outcome), Some(503));
    assert_eq!(server.count("/x"), 3, "default: one try and two retries");
}

#[tokio::test]
async fn connection_closed_mid_answer_is_retried() {
    let server = TestServer::start(flaky("/p", 2, Reply::hang_up())).await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/p")).await;
    assert_eq!(status(&outcome), Some(200));
    assert_eq!(server.count("/p"), 3);

    // With retries off the same fault is a failure after one request.
    let server = TestServer::start(flaky("/p", 1, Reply::hang_up())).await;
    let mut s = settings(server.addr);
    s.max_retries = 0;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/p")).await;
    assert_eq!(class(&outcome), Some(FailureClass::Closed));
    assert_eq!(server.count("/p"), 1);
}

#[tokio::test]
async fn a_timeout_is_retried_once_only() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::html("late").delay(2_000),
    })
    .await;
    let mut s = settings(server.addr);
    s.first_byte_timeout = Duration::from_millis(100);
    s.max_retries = 5;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let outcome = fetcher.fetch(&url("http://a.example.go.id/lambat")).await;
    assert_eq!(class(&outcome), Some(FailureClass::Timeout));
    assert_eq!(server.count("/lambat"), 2);
}

#[tokio::test]
async fn unreachable_robots_is_asked_again_later_in_the_run() {
    let robots_calls = Arc::new(AtomicUsize::new(0));
    let calls = Arc::clone(&robots_calls);
    let server = TestServer::start(move |req| match req.path.as_str() {
        "/robots.txt" if calls.fetch_add(1, Ordering::SeqCst) == 0 => Reply::new(503),
        "/robots.txt" => Reply::new(200).body(b"User-agent: *\nDisallow: /rahasia\n"),
        _ => Reply::html("<p>ok</p>"),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_retries = 0;
    s.robots_retry_interval = Duration::ZERO;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let first = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert!(matches!(first, FetchOutcome::RobotsDisallowed(_)));
    assert!(fetcher
        .robots_unreachable(&url("http://a.example.go.id/"))
        .is_some_and(|why| why.contains("503")));
    let second = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(status(&second), Some(200));
    assert_eq!(
        fetcher.robots_unreachable(&url("http://a.example.go.id/")),
        None
    );
    let third = fetcher.fetch(&url("http://a.example.go.id/rahasia")).await;
    assert!(matches!(third, FetchOutcome::RobotsDisallowed(_)));
    assert_eq!(server.count("/robots.txt"), 2, "a good robots.txt is kept");
}

#[tokio::test]
async fn robots_unreachable_is_asked_a_bounded_number_of_times() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/robots.txt" => Reply::new(500),
        _ => Reply::html("<p>ok</p>"),
    })
    .await;
    let mut s = settings(server.addr);
    s.max_retries = 0;
    s.robots_retry_interval = Duration::ZERO;
    let fetcher = Fetcher::new(s).expect("fetcher");
    for _ in 0..6 {
        let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
        assert!(matches!(outcome, FetchOutcome::RobotsDisallowed(_)));
    }
    assert_eq!(server.count("/robots.txt"), MAX_ROBOTS_ATTEMPTS as usize);
    assert_eq!(server.count("/"), 0);
}

#[tokio::test]
async fn per_ip_limiter_is_keyed_by_the_answering_address() {
    let server = TestServer::start(|_| Reply::html("<p>ok</p>")).await;
    let mut s = settings(server.addr);
    s.rate_per_host = 2.0;
    let fetcher = Fetcher::new(s.clone()).expect("fetcher");
    assert_eq!(fetcher.ip_interval(), Some(Duration::from_millis(250)));
    assert_eq!(fetcher.server_address("a.example.go.id"), None);
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert_eq!(status(&outcome), Some(200));
    assert_eq!(
        fetcher.server_address("a.example.go.id"),
        Some("127.0.0.1".parse().expect("ip"))
    );
    s.rate_per_ip = Some(0.5);
    assert_eq!(
        Fetcher::new(s.clone()).expect("fetcher").ip_interval(),
        Some(Duration::from_secs(2))
    );
    s.rate_per_ip = Some(0.0);
    assert_eq!(
        Fetcher::new(s.clone()).expect("fetcher").ip_interval(),
        None
    );
    s.rate_per_ip = Some(-1.0);
    let err = Fetcher::new(s)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("rate_per_ip"), "{err}");
}
