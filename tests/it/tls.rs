//! TLS straight to etcd: a real etcd serving https only with `--client-cert-auth`, with
//! certificates the tests make themselves (`certs.rs`): a CA, a server certificate for
//! 127.0.0.1/localhost, a client certificate, an expired server certificate, one for another
//! host name, and an unrelated second CA. Each failure must be one line naming its cause, exit 7;
//! flag misuse exits 2. The keyspace is checked with etcdctl (over TLS, see `Etcd::start_tls`).

use crate::support::certs::{self};
use crate::support::harness::{
    Etcd, Run, TlsFiles, etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique,
};
use crate::support::tls::{Certs, https, no_tls_library_text};
use crate::support::util::{expect, put, stored};
use std::path::PathBuf;

/// The run failed with `code`, printed nothing on stdout and exactly one line on stderr, in
/// plain words: none of the TLS library's own text.
#[track_caller]
fn one_line_error(run: &Run, code: i32) {
    expect(run, code);
    assert!(run.stdout.is_empty(), "nothing on stdout: {run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "one line on stderr: {run:?}");
    assert!(run.stderr.starts_with("etcdpy: error: "), "{run:?}");
    no_tls_library_text(&run.stderr);
}

#[test]
fn set_and_get_with_a_ca_and_a_client_certificate_by_flag_and_by_environment() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "server");
        let key = format!("{}/k", unique("tls-ok"));
        let run = etcdpy()
            .args(["--endpoints", &https(&etcd)])
            .args(certs.flags())
            .args(["set", &key, "v1"])
            .run();
        expect(&run, 0);
        assert!(run.stderr.is_empty(), "{run:?}");
        assert_eq!(stored(&etcd, &key).expect("written").value, b"v1");
        let run = etcdpy()
            .args(["--endpoints", &https(&etcd)])
            .args(certs.flags())
            .args(["get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "v1\n");

        // --debug names the files in its curl line, and never shows the key's contents.
        let run = etcdpy()
            .args(["--endpoints", &https(&etcd), "--debug"])
            .args(certs.flags())
            .args(["get", &key])
            .run();
        expect(&run, 0);
        let key_file = certs.path("client.key").display().to_string();
        assert!(
            run.stderr.contains(&format!("--key '{key_file}'")),
            "{run:?}"
        );
        let pem = std::fs::read_to_string(certs.path("client.key")).unwrap();
        for line in pem.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!run.stderr.contains(line), "key contents shown: {run:?}");
        }

        // The same through ETCDPY_* variables only.
        let env = |cmd: crate::support::harness::EtcdpyCmd| {
            cmd.env("ETCDPY_ENDPOINTS", https(&etcd))
                .env("ETCDPY_CACERT", certs.path("ca.pem"))
                .env("ETCDPY_CERT", certs.path("client.pem"))
                .env("ETCDPY_KEY", certs.path("client.key"))
        };
        let run = env(etcdpy()).args(["set", &key, "v2"]).run();
        expect(&run, 0);
        assert!(run.stderr.is_empty(), "{run:?}");
        assert_eq!(stored(&etcd, &key).expect("written").value, b"v2");
        let run = env(etcdpy()).args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "v2\n");
    });
}

#[test]
fn a_missing_client_certificate_is_named() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "server");
        let key = format!("{}/k", unique("tls-nocert"));
        put(&etcd, &key, "kept");
        for args in [
            vec!["get", &key],
            vec!["set", &key, "changed"],
            vec!["watch", &key],
        ] {
            let run = etcdpy()
                .args(["--endpoints", &https(&etcd), "--cacert"])
                .arg(certs.path("ca.pem"))
                .args(&args)
                .run();
            one_line_error(&run, 7);
            assert!(run.stderr.contains("client certificate"), "{run:?}");
            assert!(run.stderr.contains("--cert and --key"), "{run:?}");
            // A refused handshake: the write surely did not happen, so no "may have been applied".
            assert!(!run.stderr.contains("may or may not"), "{run:?}");
        }
        // A client certificate from a CA the server does not trust: the same refusal.
        let run = etcdpy()
            .args(["--endpoints", &https(&etcd), "--cacert"])
            .arg(certs.path("ca.pem"))
            .arg("--cert")
            .arg(certs.path("other-ca.pem"))
            .arg("--key")
            .arg(certs.path("other-ca.key"))
            .args(["set", &key, "changed"])
            .run();
        one_line_error(&run, 7);
        assert!(run.stderr.contains("client certificate"), "{run:?}");
        assert_eq!(stored(&etcd, &key).expect("kept").value, b"kept");
    });
}

#[test]
fn a_server_certificate_from_an_unknown_ca_is_refused_with_a_cacert_hint() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "server");
        let key = format!("{}/k", unique("tls-ca"));
        put(&etcd, &key, "kept");
        // The wrong CA, and no CA at all (the system roots do not know the test CA).
        for cacert in [Some(certs.path("other-ca.pem")), None] {
            let mut cmd = etcdpy()
                .args(["--endpoints", &https(&etcd)])
                .arg("--cert")
                .arg(certs.path("client.pem"))
                .arg("--key")
                .arg(certs.path("client.key"));
            if let Some(ca) = &cacert {
                cmd = cmd.arg("--cacert").arg(ca);
            }
            let run = cmd.args(["set", &key, "changed"]).run();
            one_line_error(&run, 7);
            // Before: "invalid peer certificate: UnknownIssuer: ... (give its CA with --cacert)".
            assert!(
                run.stderr.contains("not signed by a CA etcdpy trusts"),
                "{run:?}"
            );
            assert!(run.stderr.contains("--cacert"), "{run:?}");
            assert!(
                run.stderr.contains(&https(&etcd)),
                "names the endpoint: {run:?}"
            );
        }
        assert_eq!(stored(&etcd, &key).expect("kept").value, b"kept");
    });
}

#[test]
fn an_expired_server_certificate_is_named() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "expired");
        let key = format!("{}/k", unique("tls-expired"));
        let run = etcdpy()
            .args(["--endpoints", &https(&etcd)])
            .args(certs.flags())
            .args(["set", &key, "v"])
            .run();
        one_line_error(&run, 7);
        // The date it expired, not rustls's UNIX seconds.
        assert!(
            run.stderr.contains("expired on 2020-02-01T00:00:00Z"),
            "{run:?}"
        );
        assert!(
            !run.stderr.contains("--cacert"),
            "the CA is right, do not point at it: {run:?}"
        );
        assert!(stored(&etcd, &key).is_none(), "nothing written");
    });
}

#[test]
fn a_server_certificate_for_another_host_name_is_refused_naming_the_name() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "elsewhere");
        let key = format!("{}/k", unique("tls-name"));
        for (host, name) in [
            ("127.0.0.1", "IP:127.0.0.1"),
            ("localhost", "DNS:localhost"),
        ] {
            let run = etcdpy()
                .args(["--endpoints", &format!("https://{host}:{}", etcd.port())])
                .args(certs.flags())
                .args(["set", &key, "v"])
                .run();
            one_line_error(&run, 7);
            // Before: rustls's "certificate not valid for name ...; certificate is only valid
            // for DnsName(\"etcd.example.test\")".
            let covers = format!("certificate is for etcd.example.test, not {host}");
            assert!(run.stderr.contains(&covers), "{run:?}");
            assert!(run.stderr.contains(name), "names what to give: {run:?}");
        }
        assert!(stored(&etcd, &key).is_none(), "nothing written");
    });
}

#[test]
fn http_against_the_tls_port_and_https_against_a_plain_port_say_so() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "server");
        let key = format!("{}/k", unique("tls-scheme"));
        let http = format!("http://127.0.0.1:{}", etcd.port());
        for args in [vec!["get", &key], vec!["set", &key, "v"]] {
            let run = etcdpy()
                .args(["--endpoints", &http])
                .args(certs.flags())
                .args(&args)
                .run();
            one_line_error(&run, 7);
            assert!(run.stderr.contains("is this an https endpoint?"), "{run:?}");
        }
        assert!(stored(&etcd, &key).is_none(), "nothing written");

        // A plain-HTTP etcd asked for TLS.
        let plain = shared(bin);
        let run = etcdpy()
            .args([
                "--endpoints",
                &format!("https://127.0.0.1:{}", plain.port()),
            ])
            .args(certs.flags())
            .args(["set", &key, "v"])
            .run();
        one_line_error(&run, 7);
        assert!(run.stderr.contains("is this an http endpoint?"), "{run:?}");
        assert!(stored(plain, &key).is_none(), "nothing written");
    });
}

#[test]
fn insecure_skip_tls_verify_works_without_a_ca_and_warns_every_run() {
    let certs = Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "elsewhere");
        let key = format!("{}/k", unique("tls-insecure"));
        let client = |cmd: crate::support::harness::EtcdpyCmd| {
            cmd.args(["--endpoints", &https(&etcd)])
                .arg("--cert")
                .arg(certs.path("client.pem"))
                .arg("--key")
                .arg(certs.path("client.key"))
        };
        let warned = |run: &Run| {
            assert_eq!(run.stderr.lines().count(), 1, "one warning line: {run:?}");
            assert!(
                run.stderr
                    .starts_with("etcdpy: warning: --insecure-skip-tls-verify"),
                "{run:?}"
            );
            assert!(run.stderr.contains("NOT verified"), "{run:?}");
        };
        // No CA, and a certificate for another name: accepted all the same.
        let run = client(etcdpy())
            .arg("--insecure-skip-tls-verify")
            .args(["set", &key, "v"])
            .run();
        expect(&run, 0);
        warned(&run);
        assert_eq!(stored(&etcd, &key).expect("written").value, b"v");
        let run = client(etcdpy())
            .env("ETCDPY_INSECURE_SKIP_TLS_VERIFY", "true")
            .args(["get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "v\n");
        warned(&run);
    });
}

#[test]
fn cert_and_key_go_together_and_bad_files_are_usage_errors() {
    let certs = Certs::new();
    // clap's usage errors: the message first, then the usage lines.
    let usage = |run: &Run, needles: &[&str]| {
        expect(run, 2);
        assert!(run.stdout.is_empty(), "{run:?}");
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{run:?}");
        for needle in needles {
            assert!(
                first.contains(needle),
                "{needle:?} in the first line: {run:?}"
            );
        }
    };
    let run = etcdpy()
        .arg("--cert")
        .arg(certs.path("client.pem"))
        .args(["get", "/k"])
        .run();
    usage(&run, &["required arguments were not provided"]);
    assert!(run.stderr.contains("  --key <FILE>"), "{run:?}");
    let run = etcdpy()
        .env("ETCDPY_KEY", certs.path("client.key"))
        .args(["get", "/k"])
        .run();
    usage(&run, &["required arguments were not provided"]);
    assert!(run.stderr.contains("  --cert <FILE>"), "{run:?}");

    let missing = certs.path("missing.pem");
    let run = etcdpy()
        .arg("--cert")
        .arg(&missing)
        .arg("--key")
        .arg(certs.path("client.key"))
        .args(["get", "/k"])
        .run();
    usage(
        &run,
        &["cannot read --cert", &missing.display().to_string()],
    );

    // A key where the certificate belongs, and a key that is not the certificate's.
    let key_file = certs.path("client.key");
    let run = etcdpy()
        .arg("--cert")
        .arg(&key_file)
        .arg("--key")
        .arg(&key_file)
        .args(["get", "/k"])
        .run();
    usage(&run, &["--cert", &key_file.display().to_string()]);
    let other_key = certs.path("server.key");
    let run = etcdpy()
        .arg("--cert")
        .arg(certs.path("client.pem"))
        .arg("--key")
        .arg(&other_key)
        .args(["get", "/k"])
        .run();
    usage(&run, &["--key", &other_key.display().to_string()]);
    // The key's contents never appear in the message.
    let pem = std::fs::read_to_string(&other_key).unwrap();
    let secret = pem.lines().nth(1).unwrap();
    assert!(!run.stderr.contains(secret), "{run:?}");
}

#[test]
fn api_v2_over_tls_with_a_client_certificate_shares_python_etcds_store() {
    let certs = Certs::new();
    for_each_etcd_v2(|bin| {
        let etcd = certs.start(bin, "server");
        let key = format!("{}/k", unique("tls-v2"));
        let v2 = || {
            etcdpy()
                .args(["--endpoints", &https(&etcd), "--api", "v2"])
                .args(certs.flags())
        };
        expect(&v2().args(["set", &key, "v2tls", "--ttl", "60s"]).run(), 0);
        let run = v2().args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "v2tls\n");
        // The v2 store, not v3's; and python-etcd over the same TLS reads it.
        assert!(stored(&etcd, &key).is_none());
        let client = format!(
            "host='127.0.0.1', port={}, protocol='https', ca_cert='{}', cert=('{}', '{}')",
            etcd.port(),
            certs.path("ca.pem").display(),
            certs.path("client.pem").display(),
            certs.path("client.key").display()
        );
        let out = crate::support::pyetcd::py_as(&client, &format!("print(c.read('{key}').value)"));
        assert_eq!(out, "v2tls\n");
    });
}

#[test]
fn migrate_writes_into_a_tls_cluster_with_the_to_options() {
    let certs = Certs::new();
    for_each_etcd_v2(|bin| {
        let (src, dst) = (Etcd::start(bin), certs.start(bin, "server"));
        for (key, value) in [("/t/a", "1"), ("/t/d/b", "2")] {
            let run = etcdpy()
                .endpoint(&src)
                .args(["--api", "v2", "set", key, value])
                .run();
            expect(&run, 0);
        }
        let to = |flags: &[PathBuf]| {
            etcdpy()
                .endpoint(&src)
                .args(["migrate", "/t", "--to-endpoints", &https(&dst)])
                .args(flags)
                .run()
        };
        // Without the destination's CA its certificate is refused; nothing is written.
        one_line_error(&to(&[]), 7);
        let flags: Vec<PathBuf> = certs
            .flags()
            .into_iter()
            .map(|f| match f.to_str() {
                Some(flag) if flag.starts_with("--") => format!("--to-{}", &flag[2..]).into(),
                _ => f,
            })
            .collect();
        let run = to(&flags);
        expect(&run, 0);
        assert!(run.out().contains("verified"), "{run:?}");
        assert_eq!(stored(&dst, "/t/a").expect("copied").value, b"1");
        assert_eq!(stored(&dst, "/t/d/b").expect("copied").value, b"2");
        assert!(
            stored(&src, "/t/a").is_none(),
            "the source's v3 is left alone"
        );
    });
}

#[test]
fn a_self_signed_server_certificate_given_with_cacert_is_accepted_and_its_names_checked() {
    let certs = Certs::new();
    // A plain `openssl req -x509` for localhost only: CA:TRUE, as dev clusters make them.
    // Before: exit 7, "invalid peer certificate: Other(OtherError(CaUsedAsEndEntity)): the
    // server's TLS certificate was not accepted (give its CA with --cacert)".
    let dir = certs.path("");
    certs::make_self_signed(&dir, "self", "DNS:localhost");
    // etcd's gateway calls etcd with the server certificate as a client one (under
    // --client-cert-auth): etcd trusts it, beside the CA of the client certificates.
    let bundle = [certs.path("ca.pem"), certs.path("self.pem")]
        .map(|p| std::fs::read_to_string(p).unwrap())
        .concat();
    std::fs::write(certs.path("trusted.pem"), bundle).unwrap();
    for_each_etcd(|bin| {
        let etcd = Etcd::start_tls(
            bin,
            &TlsFiles {
                ca: certs.path("trusted.pem"),
                cert: certs.path("self.pem"),
                key: certs.path("self.key"),
                client_cert: certs.path("client.pem"),
                client_key: certs.path("client.key"),
            },
        );
        let key = format!("{}/k", unique("tls-self"));
        let at = |host: &str| format!("https://{host}:{}", etcd.port());
        let client = |host: &str, cacert: &str| {
            etcdpy()
                .args(["--endpoints", &at(host), "--cacert"])
                .arg(certs.path(cacert))
                .arg("--cert")
                .arg(certs.path("client.pem"))
                .arg("--key")
                .arg(certs.path("client.key"))
        };
        let run = client("localhost", "self.pem")
            .args(["set", &key, "v"])
            .run();
        expect(&run, 0);
        assert!(run.stderr.is_empty(), "{run:?}");
        assert_eq!(stored(&etcd, &key).expect("written").value, b"v");
        // The gateway, a range over gRPC, and a watch.
        let run = client("localhost", "self.pem").args(["get", &key]).run();
        assert_eq!((run.code, run.out()), (0, "v\n".to_string()), "{run:?}");
        let dir = key.rsplit_once('/').unwrap().0;
        let run = client("localhost", "self.pem")
            .args(["get", dir, "-r", "--transport", "grpc"])
            .run();
        expect(&run, 0);
        assert!(run.out().contains("= v"), "{run:?}");
        let run = client("localhost", "self.pem")
            .args(["watch", &key, "--rev", "1", "--timeout", "5s"])
            .run();
        expect(&run, 0);

        // Its names are still checked: 127.0.0.1 is not among them.
        let run = client("127.0.0.1", "self.pem").args(["get", &key]).run();
        one_line_error(&run, 7);
        assert!(
            run.stderr
                .contains("certificate is for localhost, not 127.0.0.1"),
            "{run:?}"
        );
        // Another CA's file is no pin: refused, in plain words.
        let run = client("localhost", "ca.pem").args(["get", &key]).run();
        one_line_error(&run, 7);
        assert!(
            run.stderr.contains("is a CA certificate (CA:TRUE"),
            "{run:?}"
        );
        assert!(run.stderr.contains("--cacert"), "{run:?}");
    });
}
