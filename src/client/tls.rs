//! The TLS set-up of the HTTP clients when `--cacert` is given: rustls's own verification against
//! the `--cacert` certificates only (not the system's roots), with the one exception etcdctl
//! makes too: a server certificate that is itself exactly one of the `--cacert` certificates (a
//! self-signed certificate from a plain `openssl req -x509`, which carries CA:TRUE and which
//! WebPKI refuses as a server's own) is accepted. Its dates were checked before that refusal,
//! and its names are still checked against the endpoint's host.

use super::error::Error;
use super::options::Options;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_name};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// The rustls configuration for `options` (with `--cacert`, without
/// `--insecure-skip-tls-verify`): ALPN `h2` for the gRPC client, `http/1.1` for the gateway's.
pub(super) fn config(options: &Options, grpc: bool) -> Result<Option<rustls::ClientConfig>, Error> {
    let Some((path, pem)) = options
        .ca_cert
        .as_ref()
        .filter(|_| !options.insecure_skip_tls_verify)
    else {
        return Ok(None);
    };
    let not_pem = || Error::invalid(format!("--cacert {path} is not a PEM certificate"));
    let pinned: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|_| not_pem())?;
    if pinned.is_empty() {
        return Err(not_pem());
    }
    let mut roots = RootCertStore::empty();
    for cert in &pinned {
        roots.add(cert.clone()).map_err(|_| not_pem())?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|_| not_pem())?;
    let verifier = Arc::new(Pinned { inner, pinned });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::DEFAULT_VERSIONS)
        .map_err(|e| Error::unexpected(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &options.client_cert {
        None => builder.with_no_client_auth(),
        Some(client) => {
            let refused = |why: String| {
                Error::invalid(format!(
                    "--cert {} and --key {} cannot be used: {why}",
                    client.cert_path, client.key_path
                ))
            };
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&client.cert)
                .collect::<Result<_, _>>()
                .map_err(|_| refused("--cert holds no PEM certificate".into()))?;
            let key = PrivateKeyDer::from_pem_slice(&client.key)
                .map_err(|_| refused("--key holds no PEM private key".into()))?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|_| refused("the key is not the certificate's".into()))?
        }
    };
    config.alpn_protocols = vec![if grpc {
        b"h2".to_vec()
    } else {
        b"http/1.1".to_vec()
    }];
    Ok(Some(config))
}

/// WebPKI's verification, and the pinned `--cacert` certificates accepted as servers' own.
#[derive(Debug)]
struct Pinned {
    inner: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified =
            self.inner
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now);
        match verified {
            Err(err) if ca_as_server(&err) && self.pinned.iter().any(|c| c == end_entity) => {
                verify_server_name(&ParsedCertificate::try_from(end_entity)?, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            verified => verified,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// WebPKI refused a CA certificate as a server's own (CA:TRUE): `CaUsedAsEndEntity`.
fn ca_as_server(err: &rustls::Error) -> bool {
    match err {
        rustls::Error::InvalidCertificate(CertificateError::Other(other)) => matches!(
            other.0.downcast_ref::<webpki::Error>(),
            Some(webpki::Error::CaUsedAsEndEntity)
        ),
        _ => false,
    }
}

/// A server certificate rustls refused, in plain words from its error's text (`cause`): the
/// names the certificate holds and the one asked for, the date it expired, or what to give.
pub(super) fn refused(cause: &str) -> String {
    let has = |needle: &str| cause.contains(needle);
    let after = |marker: &str| cause.split_once(marker).map(|(_, rest)| rest);
    let date = |marker: &str| {
        let secs = after(marker)?.split(|c: char| !c.is_ascii_digit()).next()?;
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs.parse().ok()?);
        Some(humantime::format_rfc3339_seconds(at).to_string())
    };
    if has("not valid for name") {
        let asked = after("not valid for name \"")
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("the endpoint's host");
        let names = match after("only valid for ") {
            Some(list) => {
                let list = list.replace("DnsName(\"", "").replace("IpAddress(", "");
                format!("is for {}", list.replace(['"', ')'], ""))
            }
            None => "lists no names (no subjectAltName)".to_string(),
        };
        let kind = if asked.parse::<std::net::IpAddr>().is_ok() {
            "IP"
        } else {
            "DNS"
        };
        format!(
            "the server's TLS certificate {names}, not {asked}: use a name it lists in the \
             endpoint, or give the server a certificate with subjectAltName {kind}:{asked}"
        )
    } else if has("expired") {
        let when = date("not valid after ").map(|d| format!(" on {d}"));
        format!(
            "the server's TLS certificate expired{} (or this machine's clock is wrong)",
            when.unwrap_or_default()
        )
    } else if has("not valid yet") {
        let when = date("not valid before ").map(|d| format!(" until {d}"));
        format!(
            "the server's TLS certificate is not valid yet{} (or this machine's clock is wrong)",
            when.unwrap_or_default()
        )
    } else if has("CaUsedAsEndEntity") {
        "the server's TLS certificate is a CA certificate (CA:TRUE, as a plain openssl req -x509 \
         makes), which is accepted only when that very certificate is given with --cacert"
            .to_string()
    } else if has("UnknownIssuer") {
        "the server's TLS certificate is not signed by a CA etcdpy trusts: give its CA (or, for a \
         self-signed certificate, the certificate itself) with --cacert"
            .to_string()
    } else if has("BadSignature") {
        "the server's TLS certificate has a signature that does not verify".to_string()
    } else if has("InvalidPurpose") {
        "the server's TLS certificate is not for servers (extendedKeyUsage lacks serverAuth)"
            .to_string()
    } else if has("Revoked") {
        "the server's TLS certificate has been revoked".to_string()
    } else {
        "the server's TLS certificate was not accepted (a CA that signs it, or the self-signed \
         certificate itself, goes in --cacert; --debug shows the TLS library's reason)"
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::refused;

    #[test]
    fn refusals_in_plain_words() {
        let name = refused(
            "invalid peer certificate: certificate not valid for name \"127.0.0.1\"; certificate \
             is only valid for DnsName(\"etcd.example.test\") or IpAddress(10.0.0.1)",
        );
        assert!(
            name.starts_with(
                "the server's TLS certificate is for etcd.example.test or 10.0.0.1, not 127.0.0.1"
            ),
            "{name}"
        );
        let expired = refused(
            "invalid peer certificate: certificate expired: verification time 1700000000 (UNIX), \
             but certificate is not valid after 1580515200 (119484800 seconds ago)",
        );
        assert!(
            expired.contains("expired on 2020-02-01T00:00:00Z"),
            "{expired}"
        );
        let unknown = refused("invalid peer certificate: UnknownIssuer");
        assert!(!unknown.contains("UnknownIssuer") && unknown.contains("--cacert"));
    }
}
