//! Bulk reads over etcd's gRPC API (`--transport`): the same bytes as through the gateway,
//! the fallback where gRPC cannot go (a path prefix, an HTTP/1.1-only proxy), TLS with client
//! certificates, auth as a restricted user, and etcd's errors mapped as the gateway's are.
//! `--debug` says which transport each request took, so that no test passes on the gateway
//! by accident.

mod stream;

use crate::support::harness::{Etcd, Run, etcdpy, for_each_etcd, shared, unique};
use crate::support::listing::{listed, listing_while_written_to, load_bytes, uneven_keys};
use crate::support::proxy::Proxy;
use crate::support::util::{expect, put};

const GRPC: &str = "etcdpy: debug: gRPC POST ";

/// Whether `--debug` shows a range of several keys (not the one key `get` looks at first)
/// asked of the gateway.
fn gateway_ranges(run: &Run) -> bool {
    run.stderr.lines().any(|l| {
        l.starts_with("etcdpy: debug: curl")
            && l.contains("/v3/kv/range")
            && l.contains("range_end")
    })
}

/// The run read its ranges over gRPC only.
#[track_caller]
fn over_grpc(run: &Run) {
    assert!(run.stderr.contains(GRPC), "no gRPC request\n{run:?}");
    assert!(!gateway_ranges(run), "a gateway range\n{run:?}");
}

/// The run read its ranges through the gateway only.
#[track_caller]
fn over_gateway(run: &Run) {
    assert!(gateway_ranges(run), "no gateway range\n{run:?}");
    assert!(!run.stderr.contains(GRPC), "a gRPC request\n{run:?}");
}

/// `etcdpy --debug --transport T ARGS...` against `etcd`.
fn read(etcd: &Etcd, transport: &str, args: &[&str]) -> Run {
    etcdpy()
        .endpoint(etcd)
        .args(["--debug", "--transport", transport])
        .args(args)
        .run()
}

#[test]
fn grpc_and_gateway_list_uneven_keys_byte_for_byte() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("grpc-uneven");
        let kvs = uneven_keys(&p);
        load_bytes(etcd, &kvs);
        for sub in ["", "/n", "/u", "/x"] {
            let prefix = format!("{p}{sub}");
            let grpc = read(etcd, "grpc", &["get", "-r", &prefix, "-o", "json"]);
            expect(&grpc, 0);
            over_grpc(&grpc);
            let (got, revision) = listed(&grpc);
            let wanted = kvs
                .iter()
                .filter(|(k, _)| k.starts_with(format!("{prefix}/").as_bytes()));
            assert!(got.iter().eq(wanted), "{prefix}: not the keys written");
            let rev = revision.to_string();
            for format in ["json", "text"] {
                let args = ["get", "-r", &prefix, "--rev", &rev, "-o", format];
                let grpc = read(etcd, "grpc", &args);
                let gateway = read(etcd, "gateway", &args);
                expect(&grpc, 0);
                expect(&gateway, 0);
                over_grpc(&grpc);
                over_gateway(&gateway);
                assert!(
                    grpc.stdout == gateway.stdout,
                    "{prefix} -o {format}: gRPC and gateway differ"
                );
            }
        }
        // One directory level (sub-directories jumped over), and the default transport.
        let level = ["get", p.as_str()];
        let auto = read(etcd, "auto", &level);
        let gateway = read(etcd, "gateway", &level);
        expect(&auto, 0);
        over_grpc(&auto);
        over_gateway(&gateway);
        assert_eq!(auto.out(), format!("{p}/n/\n{p}/u/\n{p}/x/\n"));
        assert_eq!(auto.stdout, gateway.stdout);

        // Written to while it is read: the range as of one revision, as etcdctl reads it.
        let run = listing_while_written_to(etcd, &p, &["--debug", "--transport", "grpc"]);
        over_grpc(&run);
    });
}

#[test]
fn a_path_prefix_or_an_http1_proxy_falls_back_to_the_gateway_and_grpc_is_refused_there() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("grpc-proxy");
        put(etcd, &format!("{p}/a"), "1");
        put(etcd, &format!("{p}/b"), "2");
        // nginx under /etcd/ (a path prefix), and the same nginx at / over HTTP/1.1 only.
        let proxy = Proxy::start_routes(&[("etcd", etcd.port()), ("", etcd.port())]);
        let ca = proxy.ca().display().to_string();
        let root = format!("https://localhost:{}", proxy.port());
        for endpoint in [proxy.url(), root.clone()] {
            let run = etcdpy()
                .args(["--endpoints", &endpoint, "--cacert", &ca, "--debug"])
                .args(["get", "-r", &p])
                .run();
            expect(&run, 0);
            assert_eq!(run.out(), format!("{p}/a = 1\n{p}/b = 2\n"));
            // The prefix is known before sending: no gRPC request at all.
            if endpoint == proxy.url() {
                over_gateway(&run);
            } else {
                assert!(gateway_ranges(&run), "{run:?}");
            }
        }
        let run = etcdpy()
            .args(["--endpoints", &proxy.url(), "--cacert", &ca])
            .env("ETCDPY_TRANSPORT", "grpc")
            .args(["get", "-r", &p])
            .run();
        // A usage error, known before sending: one line in clap's form, as a bad endpoint's.
        expect(&run, 2);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.starts_with("error: --transport grpc: ")
                && run.stderr.contains(&proxy.url())
                && run.stderr.contains("path prefix"),
            "{run:?}"
        );
        // Pinned to gRPC where the proxy speaks HTTP/1.1 only: a connection-level error (exit 7)
        // naming the endpoint.
        let run = etcdpy()
            .args(["--endpoints", &root, "--cacert", &ca])
            .args(["--transport", "grpc", "get", "-r", &p])
            .run();
        expect(&run, 7);
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(
            run.stderr
                .contains(&format!("tried {root} (no gRPC there (")),
            "{run:?}"
        );
    });
}

#[test]
fn tls_with_a_client_certificate_over_grpc() {
    let certs = crate::support::tls::Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "server");
        let endpoint = crate::support::tls::https(&etcd);
        let p = unique("grpc-tls");
        for i in 0..3 {
            let run = etcdpy()
                .args(["--endpoints", &endpoint])
                .args(certs.flags())
                .args(["set", &format!("{p}/k{i}"), &format!("v{i}")])
                .run();
            expect(&run, 0);
        }
        let list = |transport: &str| {
            etcdpy()
                .args([
                    "--endpoints",
                    &endpoint,
                    "--debug",
                    "--transport",
                    transport,
                ])
                .args(certs.flags())
                .args(["get", "-r", &p])
                .run()
        };
        let grpc = list("grpc");
        expect(&grpc, 0);
        over_grpc(&grpc);
        assert!(grpc.stderr.contains(&format!("{GRPC}https://")), "{grpc:?}");
        assert_eq!(
            grpc.out(),
            format!("{p}/k0 = v0\n{p}/k1 = v1\n{p}/k2 = v2\n")
        );
        let gateway = list("gateway");
        over_gateway(&gateway);
        assert_eq!(grpc.stdout, gateway.stdout);
        // Without the client certificate the TLS handshake fails, over gRPC as over the gateway.
        let run = etcdpy()
            .args(["--endpoints", &endpoint, "--transport", "grpc"])
            .args(["--cacert", &certs.path("ca.pem").display().to_string()])
            .args(["get", "-r", &p])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("client certificate"), "{run:?}");
        crate::support::tls::no_tls_library_text(&run.stderr);
    });
}

#[test]
fn a_restricted_user_over_grpc_reads_its_keys_and_is_refused_others() {
    for_each_etcd(|bin| {
        let etcd = crate::support::auth::auth_etcd(bin);
        let p = "/app/grpc";
        for (key, value) in [("a", "1"), ("b", "2")] {
            crate::support::auth::root_ctl(&etcd, &["put", &format!("{p}/{key}"), value]);
        }
        crate::support::auth::root_ctl(&etcd, &["put", "/other/x", "secret"]);
        let list = |transport: &str, prefix: &str| {
            crate::support::auth::alice(&etcd)
                .args(["--debug", "--transport", transport, "get", "-r", prefix])
                .run()
        };
        let grpc = list("grpc", p);
        expect(&grpc, 0);
        over_grpc(&grpc);
        assert!(grpc.stderr.contains("-H 'token: <redacted>'"), "{grpc:?}");
        assert_eq!(grpc.out(), format!("{p}/a = 1\n{p}/b = 2\n"));
        // KEY/ reads no key of its own first: the range is the first request refused.
        let grpc = list("grpc", "/other/");
        let gateway = list("gateway", "/other/");
        over_grpc(&grpc);
        expect(&grpc, 8);
        expect(&gateway, 8);
        let error = |run: &Run| {
            run.stderr
                .lines()
                .filter(|l| l.starts_with("etcdpy: error: "))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(error(&grpc), error(&gateway), "{grpc:?}");
        assert!(error(&grpc)[0].contains("permission denied"), "{grpc:?}");
        assert!(!grpc.out().contains("secret"));
    });
}

#[test]
fn etcds_errors_over_grpc_end_as_the_gateways_do() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        put(&etcd, "/e/k", "old");
        let old = put(&etcd, "/e/k", "new");
        let future = (old + 1000).to_string();
        let compacted = (old - 1).to_string();
        let out = etcd.etcdctl(&["compact", &old.to_string()]);
        assert!(out.status.success());
        for (rev, code, says) in [
            (&future, 2, "future revision"),
            (&compacted, 10, "compacted"),
        ] {
            // KEY/ reads no key of its own first: the range is the first request.
            let args = ["get", "-r", "/e/", "--rev", rev];
            let grpc = read(&etcd, "grpc", &args);
            let gateway = read(&etcd, "gateway", &args);
            expect(&grpc, code);
            expect(&gateway, code);
            over_grpc(&grpc);
            over_gateway(&gateway);
            let error = |run: &Run| {
                run.stderr
                    .lines()
                    .find(|l| !l.starts_with("etcdpy: debug: "))
                    .unwrap_or_default()
                    .to_string()
            };
            assert_eq!(error(&grpc), error(&gateway));
            assert!(error(&grpc).contains(says), "{grpc:?}");
        }
    });
}

#[test]
fn a_dead_endpoint_is_skipped_over_grpc_as_over_the_gateway() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("grpc-failover");
        put(etcd, &format!("{p}/a"), "1");
        let (dead, _) = crate::support::harness::free_ports();
        let endpoints = format!("127.0.0.1:{dead},{}", etcd.endpoint());
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "--debug", "--transport", "grpc"])
            .args(["get", "-r", &format!("{p}/")])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), format!("{p}/a = 1\n"));
        assert!(
            run.stderr.contains(&format!(
                "gRPC POST http://127.0.0.1:{dead}/etcdserverpb.KV/Range -> failed"
            )),
            "{run:?}"
        );
        over_grpc(&run);
    });
}
