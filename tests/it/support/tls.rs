//! TLS straight to etcd: one directory of test certificates (`certs.rs`) and a TLS etcd
//! serving them; the check that no TLS library's own words reach a message.

use crate::support::certs::{self, Leaf};
use crate::support::harness::{Etcd, EtcdBin, TlsFiles};
use std::path::PathBuf;

/// One directory of test certificates.
pub struct Certs {
    dir: tempfile::TempDir,
}

impl Certs {
    pub fn new() -> Certs {
        let dir = tempfile::Builder::new()
            .prefix("etcdpy-tls-")
            .tempdir()
            .expect("create a temp dir for certificates");
        let path = dir.path();
        certs::make_ca(path, "ca");
        certs::make_ca(path, "other-ca");
        let here = ["DNS:localhost", "IP:127.0.0.1"];
        for (name, ca, san, dates) in [
            ("server", "ca", &here[..], None),
            ("client", "ca", &["DNS:etcdpy-client"][..], None),
            (
                "expired",
                "ca",
                &here[..],
                Some(("20200101000000Z", "20200201000000Z")),
            ),
            ("elsewhere", "ca", &["DNS:etcd.example.test"][..], None),
        ] {
            certs::make_leaf(
                path,
                &Leaf {
                    name,
                    ca,
                    san,
                    dates,
                },
            );
        }
        Certs { dir }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// A TLS etcd that serves the certificate `server` (`server`, `expired`, `elsewhere`).
    pub fn start(&self, bin: &EtcdBin, server: &str) -> Etcd {
        Etcd::start_tls(
            bin,
            &TlsFiles {
                ca: self.path("ca.pem"),
                cert: self.path(&format!("{server}.pem")),
                key: self.path(&format!("{server}.key")),
                client_cert: self.path("client.pem"),
                client_key: self.path("client.key"),
            },
        )
    }

    /// `--cacert ca.pem --cert client.pem --key client.key`
    pub fn flags(&self) -> Vec<PathBuf> {
        vec![
            "--cacert".into(),
            self.path("ca.pem"),
            "--cert".into(),
            self.path("client.pem"),
            "--key".into(),
            self.path("client.key"),
        ]
    }
}

/// `https://127.0.0.1:PORT` of a TLS server.
pub fn https(etcd: &Etcd) -> String {
    format!("https://127.0.0.1:{}", etcd.port())
}

/// rustls's and hyper's words (their types' names, Debug text) never reach a message.
#[track_caller]
pub fn no_tls_library_text(stderr: &str) {
    for library in [
        "invalid peer certificate",
        "Other(",
        "Error(",
        "DnsName(",
        "IpAddress(",
        "UnknownIssuer",
        "CaUsedAsEndEntity",
        "NotValidForName",
        "fatal alert",
        "AlertReceived",
        "CertificateRequired",
        "InvalidContentType",
        "corrupt message",
        "handshake eof",
    ] {
        assert!(!stderr.contains(library), "{library:?} in {stderr:?}");
    }
}
