//! The private-address guard (SSRF): no connection to loopback/private/link-local/metadata
//! addresses reached by DNS or named in a URL, unless `--resolve` or `allow_private` allows it.

mod fetch_support;

use fetch_support::{settings, url, Reply, TestServer};
use pantau::fetch::{FailureClass, FetchOutcome, Fetcher};

fn class(outcome: &FetchOutcome) -> Option<FailureClass> {
    match outcome {
        FetchOutcome::Failed(f) => Some(f.class),
        _ => None,
    }
}

#[tokio::test]
async fn loopback_ip_literal_is_blocked_without_a_connection() {
    let server = TestServer::start(|_| Reply::html("<p>rahasia</p>")).await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    let target = url(&format!("http://127.0.0.1:{}/admin", server.addr.port()));
    let outcome = fetcher.fetch(&target).await;
    assert_eq!(class(&outcome), Some(FailureClass::BlockedAddress));
    assert_eq!(FailureClass::BlockedAddress.code(), "blocked_address");
    if let FetchOutcome::Failed(f) = &outcome {
        assert!(f.message.contains("127.0.0.1"), "{}", f.message);
        assert!(f.message.contains("--allow-private"), "{}", f.message);
    }
    assert!(server.seen().is_empty(), "no request may reach the server");
}

#[tokio::test]
async fn name_resolving_to_loopback_is_blocked_but_resolve_override_is_trusted() {
    let server = TestServer::start(|_| Reply::html("<p>ok</p>")).await;
    let fetcher = Fetcher::new(settings(server.addr)).expect("fetcher");
    // `localhost` resolves from /etc/hosts (no DNS server asked) to 127.0.0.1 / ::1.
    let outcome = fetcher
        .fetch(&url(&format!("http://localhost:{}/", server.addr.port())))
        .await;
    assert_eq!(class(&outcome), Some(FailureClass::BlockedAddress));
    assert!(server.seen().is_empty());
    // The same loopback address given by a `--resolve` override is allowed.
    let outcome = fetcher.fetch(&url("http://a.example.go.id/")).await;
    assert!(matches!(outcome, FetchOutcome::Document(ref d) if d.status == 200));
}

#[tokio::test]
async fn allow_private_permits_loopback_and_redirects_on_it() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/a" => Reply::redirect(302, "/b"),
        _ => Reply::html("<p>b</p>"),
    })
    .await;
    let mut s = settings(server.addr);
    s.allow_private = true;
    let fetcher = Fetcher::new(s).expect("fetcher");
    let outcome = fetcher
        .fetch(&url(&format!("http://127.0.0.1:{}/a", server.addr.port())))
        .await;
    match outcome {
        FetchOutcome::Document(d) => {
            assert_eq!(d.status, 200);
            assert_eq!(d.final_url.path(), "/b");
        }
        other => panic!("expected a document, got {other:?}"),
    }
}

#[tokio::test]
async fn metadata_and_private_literals_are_blocked_before_any_connect() {
    let fetcher = Fetcher::new(settings("127.0.0.1:9".parse().expect("addr"))).expect("fetcher");
    for target in [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.5.4/",
        "http://[::1]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
    ] {
        let outcome = fetcher.fetch(&url(target)).await;
        assert_eq!(
            class(&outcome),
            Some(FailureClass::BlockedAddress),
            "{target}"
        );
    }
}
