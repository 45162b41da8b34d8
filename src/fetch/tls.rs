//! The TLS client configuration and the certificate-problem subclasses.
//!
//! pantau builds its own rustls `ClientConfig` (Mozilla's roots from `webpki-roots` plus the
//! `--ca-cert` PEMs) so that a certificate failure can be told apart, not only "invalid":
//! the verifier wraps rustls' WebPKI verifier and, when it says "unknown issuer", looks at what
//! the server sent: a certificate that verifies against itself is **self-signed**
//! (`tls_self_signed`); a lone leaf with no intermediates is an **incomplete chain**
//! (`tls_incomplete_chain`: most often the server forgot its intermediate certificate; a leaf
//! from an unknown CA looks the same on the wire); anything else is an **unknown issuer**
//! (`tls_unknown_issuer`). Expired or not yet valid certificates are `tls_expired`, a name
//! mismatch `tls_wrong_host`. Other TLS failures stay `tls_invalid`.

use super::FetchError;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, OtherError, RootCertStore};
use std::sync::Arc;

/// A certificate problem the WebPKI verifier reports only as "unknown issuer".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum IssuerProblem {
    /// The certificate is signed by its own key.
    #[error("self-signed certificate")]
    SelfSigned,
    /// Only the leaf was sent and its issuer is not a trusted root.
    #[error(
        "incomplete certificate chain: the server sent no intermediate certificate and the leaf's issuer is not a trusted root"
    )]
    IncompleteChain,
    /// A chain was sent but leads to no trusted root.
    #[error("certificate issued by an unknown or untrusted authority")]
    UnknownIssuer,
}

/// Builds the rustls client config: trusted roots, the classifying verifier, HTTP/1.1 ALPN.
pub(crate) fn client_config(
    extra_roots_pem: &[String],
) -> Result<rustls::ClientConfig, FetchError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for (index, pem) in extra_roots_pem.iter().enumerate() {
        let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| FetchError::RootCert {
                index,
                reason: e.to_string(),
            })?;
        if certs.is_empty() {
            return Err(FetchError::RootCert {
                index,
                reason: "no `-----BEGIN CERTIFICATE-----` block found".to_string(),
            });
        }
        for cert in certs {
            roots.add(cert).map_err(|e| FetchError::RootCert {
                index,
                reason: e.to_string(),
            })?;
        }
    }
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| FetchError::Client(format!("cannot build the certificate verifier: {e}")))?;
    let verifier = ClassifyingVerifier {
        inner,
        provider: provider.clone(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| FetchError::Client(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// rustls' WebPKI verifier, with "unknown issuer" split into [`IssuerProblem`]s.
#[derive(Debug)]
struct ClassifyingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
}

impl ClassifyingVerifier {
    /// True when `cert` verifies with itself as the only trust anchor (any error other than
    /// "unknown issuer", such as a wrong name or an expiry, still means it chains to itself).
    fn is_self_signed(
        &self,
        cert: &CertificateDer<'_>,
        name: &ServerName<'_>,
        now: UnixTime,
    ) -> bool {
        let Ok(anchor) = webpki::anchor_from_trusted_cert(cert) else {
            return false;
        };
        let store = RootCertStore {
            roots: vec![anchor.to_owned()],
        };
        let Ok(itself) =
            WebPkiServerVerifier::builder_with_provider(Arc::new(store), self.provider.clone())
                .build()
        else {
            return false;
        };
        !matches!(
            itself.verify_server_cert(cert, &[], name, &[], now),
            Err(Error::InvalidCertificate(CertificateError::UnknownIssuer))
        )
    }
}

impl ServerCertVerifier for ClassifyingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(Error::InvalidCertificate(CertificateError::UnknownIssuer)) => {
                let problem = if self.is_self_signed(end_entity, server_name, now) {
                    IssuerProblem::SelfSigned
                } else if intermediates.is_empty() {
                    IssuerProblem::IncompleteChain
                } else {
                    IssuerProblem::UnknownIssuer
                };
                Err(Error::InvalidCertificate(CertificateError::Other(
                    OtherError(Arc::new(problem)),
                )))
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The TLS failure class of a rustls error: expired / not yet valid, wrong host, self-signed,
/// incomplete chain, unknown issuer; `None` for other TLS errors (`tls_invalid`).
pub(crate) fn subclass(err: &Error) -> Option<super::FailureClass> {
    use super::FailureClass as C;
    let Error::InvalidCertificate(cert) = err else {
        return None;
    };
    match cert {
        CertificateError::Expired
        | CertificateError::ExpiredContext { .. }
        | CertificateError::NotValidYet
        | CertificateError::NotValidYetContext { .. } => Some(C::TlsExpired),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            Some(C::TlsWrongHost)
        }
        CertificateError::UnknownIssuer => Some(C::TlsUnknownIssuer),
        CertificateError::Other(other) => {
            let problem = other.0.downcast_ref::<IssuerProblem>()?;
            Some(match problem {
                IssuerProblem::SelfSigned => C::TlsSelfSigned,
                IssuerProblem::IncompleteChain => C::TlsIncompleteChain,
                IssuerProblem::UnknownIssuer => C::TlsUnknownIssuer,
            })
        }
        _ => None,
    }
}
