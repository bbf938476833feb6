//! Throwaway test certificates made with the `openssl` CLI: a CA, and leaf
//! certificates it signs (server or client, for any names, optionally with
//! dates in the past). Used by the proxy tests and the TLS tests.

use crate::support::proxy::tool;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `openssl ARGS` in `dir`, panicking with its output on failure.
#[track_caller]
pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new(tool("openssl", "openssl"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const EC: [&str; 4] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

/// A self-signed CA valid for two days: `NAME.pem` and `NAME.key` in `dir`.
pub fn make_ca(dir: &Path, name: &str) {
    let (pem, key) = (format!("{name}.pem"), format!("{name}.key"));
    let subject = format!("/CN=etcdpy test CA {name}");
    let mut args = vec!["req", "-x509", "-nodes", "-days", "2"];
    args.extend(EC);
    args.extend([
        "-keyout",
        &key,
        "-out",
        &pem,
        "-subj",
        &subject,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(dir, &args);
}

/// What a leaf certificate is for.
pub struct Leaf<'a> {
    /// Files `NAME.pem` and `NAME.key` are written.
    pub name: &'a str,
    /// The CA (`CA.pem`, `CA.key` in the same dir) that signs it.
    pub ca: &'a str,
    /// subjectAltName entries, e.g. `["DNS:localhost", "IP:127.0.0.1"]`.
    pub san: &'a [&'a str],
    /// Valid from/until (`YYYYMMDDHHMMSSZ`); `None`: from now, for two days.
    pub dates: Option<(&'a str, &'a str)>,
}

/// A certificate signed by `leaf.ca`, usable both as a server and as a client certificate
/// (etcd's gateway presents its server certificate as a client one under --client-cert-auth).
pub fn make_leaf(dir: &Path, leaf: &Leaf) {
    let name = leaf.name;
    let (pem, key, csr, ext, cnf) = (
        format!("{name}.pem"),
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.ext"),
        format!("{name}.cnf"),
    );
    let subject = format!("/CN={name}");
    let mut args = vec!["req", "-new", "-nodes"];
    args.extend(EC);
    args.extend(["-keyout", &key, "-out", &csr, "-subj", &subject]);
    openssl(dir, &args);
    let mut extensions = String::from(
        "basicConstraints=critical,CA:FALSE\n\
         keyUsage=critical,digitalSignature\n\
         extendedKeyUsage=serverAuth,clientAuth\n",
    );
    if !leaf.san.is_empty() {
        extensions.push_str(&format!("subjectAltName={}\n", leaf.san.join(",")));
    }
    std::fs::write(dir.join(&ext), extensions).expect("write the extensions file");
    // `openssl ca` (not `x509 -req`) because only it takes arbitrary start and end dates.
    let (database, serial) = (format!("{name}.index"), format!("{name}.serial"));
    std::fs::write(dir.join(&database), "").expect("write the CA database");
    std::fs::write(dir.join(&serial), "1000\n").expect("write the CA serial");
    std::fs::write(
        dir.join(&cnf),
        format!(
            "[ca]\ndefault_ca = test\n[test]\ndatabase = {database}\nnew_certs_dir = .\n\
             serial = {serial}\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n"
        ),
    )
    .expect("write the CA config");
    let (ca_pem, ca_key) = (format!("{}.pem", leaf.ca), format!("{}.key", leaf.ca));
    let mut args = vec![
        "ca", "-batch", "-notext", "-config", &cnf, "-cert", &ca_pem, "-keyfile", &ca_key, "-in",
        &csr, "-out", &pem, "-extfile", &ext,
    ];
    match leaf.dates {
        Some((from, until)) => args.extend(["-startdate", from, "-enddate", until]),
        None => args.extend(["-days", "2"]),
    }
    openssl(dir, &args);
}

/// A self-signed certificate as a plain `openssl req -x509` makes it (CA:TRUE, from OpenSSL's
/// default v3_ca section), for the subjectAltName `san`: `NAME.pem` and `NAME.key` in `dir`.
pub fn make_self_signed(dir: &Path, name: &str, san: &str) {
    let (pem, key) = (format!("{name}.pem"), format!("{name}.key"));
    let san = format!("subjectAltName={san}");
    let mut args = vec!["req", "-x509", "-nodes", "-days", "2"];
    args.extend(EC);
    args.extend([
        "-keyout",
        &key,
        "-out",
        &pem,
        "-subj",
        "/CN=localhost",
        "-addext",
        &san,
    ]);
    openssl(dir, &args);
}
