//! TLS certificate problems told apart, each with a stable code: expired, wrong host,
//! self-signed, incomplete chain, unknown issuer; a complete chain to an extra root is trusted.

mod fetch_support;

use fetch_support::{settings, url, Reply, TestServer};
use pantau::fetch::{FailureClass, FetchOutcome, Fetcher};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

/// A CA: its certificate, key and params.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().expect("CA key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = params.self_signed(&key).expect("CA certificate");
    Ca { cert, key }
}

fn intermediate(root: &Ca) -> Ca {
    let key = KeyPair::generate().expect("intermediate key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "pantau test intermediate");
    let cert = params
        .signed_by(&key, &root.cert, &root.key)
        .expect("intermediate certificate");
    Ca { cert, key }
}

fn leaf_params(names: &[&str]) -> CertificateParams {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("leaf params");
    params
        .distinguished_name
        .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
    params
}

fn acceptor(chain: Vec<rustls::pki_types::CertificateDer<'static>>, key: &KeyPair) -> TlsAcceptor {
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server config");
    TlsAcceptor::from(Arc::new(config))
}

/// Fetch `https://a.example.go.id/` from a server with `acceptor`, trusting `roots`.
async fn fetch_with(acceptor: TlsAcceptor, roots: Vec<String>) -> FetchOutcome {
    let server = TestServer::start_with_acceptor(|_| Reply::html("<p>aman</p>"), acceptor).await;
    let mut s = settings(server.addr);
    s.extra_root_certs_pem = roots;
    s.max_retries = 0;
    let fetcher = Fetcher::new(s).expect("fetcher");
    fetcher.fetch(&url("https://a.example.go.id/")).await
}

fn failure(outcome: &FetchOutcome) -> (FailureClass, String) {
    match outcome {
        FetchOutcome::Failed(f) => (f.class, f.message.clone()),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[tokio::test]
async fn complete_chain_to_an_extra_root_is_trusted() {
    let root = ca("pantau root");
    let inter = intermediate(&root);
    let key = KeyPair::generate().expect("key");
    let leaf = leaf_params(&["a.example.go.id"])
        .signed_by(&key, &inter.cert, &inter.key)
        .expect("leaf");
    let acc = acceptor(vec![leaf.der().clone(), inter.cert.der().clone()], &key);
    let outcome = fetch_with(acc, vec![root.cert.pem()]).await;
    assert!(
        matches!(outcome, FetchOutcome::Document(ref d) if d.status == 200),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn missing_intermediate_is_an_incomplete_chain() {
    let root = ca("pantau root");
    let inter = intermediate(&root);
    let key = KeyPair::generate().expect("key");
    let leaf = leaf_params(&["a.example.go.id"])
        .signed_by(&key, &inter.cert, &inter.key)
        .expect("leaf");
    let acc = acceptor(vec![leaf.der().clone()], &key);
    let (class, message) = failure(&fetch_with(acc, vec![root.cert.pem()]).await);
    assert_eq!(class, FailureClass::TlsIncompleteChain);
    assert_eq!(class.code(), "tls_incomplete_chain");
    assert!(message.contains("intermediate"), "{message}");
    assert!(class.is_tls());
}

#[tokio::test]
async fn self_signed_leaf_is_self_signed() {
    let key = KeyPair::generate().expect("key");
    let leaf = leaf_params(&["a.example.go.id"])
        .self_signed(&key)
        .expect("self-signed");
    let acc = acceptor(vec![leaf.der().clone()], &key);
    let (class, message) = failure(&fetch_with(acc, Vec::new()).await);
    assert_eq!(class, FailureClass::TlsSelfSigned);
    assert_eq!(class.code(), "tls_self_signed");
    assert!(message.contains("self-signed"), "{message}");
}

#[tokio::test]
async fn chain_to_an_untrusted_root_is_an_unknown_issuer() {
    let root = ca("someone else's root");
    let inter = intermediate(&root);
    let key = KeyPair::generate().expect("key");
    let leaf = leaf_params(&["a.example.go.id"])
        .signed_by(&key, &inter.cert, &inter.key)
        .expect("leaf");
    let acc = acceptor(vec![leaf.der().clone(), inter.cert.der().clone()], &key);
    let (class, _) = failure(&fetch_with(acc, Vec::new()).await);
    assert_eq!(class, FailureClass::TlsUnknownIssuer);
    assert_eq!(class.code(), "tls_unknown_issuer");
}

#[tokio::test]
async fn certificate_for_another_name_is_wrong_host() {
    let root = ca("pantau root");
    let key = KeyPair::generate().expect("key");
    let leaf = leaf_params(&["lain.go.id"])
        .signed_by(&key, &root.cert, &root.key)
        .expect("leaf");
    let acc = acceptor(vec![leaf.der().clone()], &key);
    let (class, message) = failure(&fetch_with(acc, vec![root.cert.pem()]).await);
    assert_eq!(class, FailureClass::TlsWrongHost);
    assert_eq!(class.code(), "tls_wrong_host");
    assert!(message.contains("host name"), "{message}");
}

#[tokio::test]
async fn expired_certificate_is_expired() {
    let root = ca("pantau root");
    let key = KeyPair::generate().expect("key");
    let mut params = leaf_params(&["a.example.go.id"]);
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    let leaf = params.signed_by(&key, &root.cert, &root.key).expect("leaf");
    let acc = acceptor(vec![leaf.der().clone()], &key);
    let (class, message) = failure(&fetch_with(acc, vec![root.cert.pem()]).await);
    assert_eq!(class, FailureClass::TlsExpired);
    assert_eq!(class.code(), "tls_expired");
    assert!(message.contains("expired"), "{message}");
}
