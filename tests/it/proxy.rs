//! HTTPS behind a reverse proxy under a path prefix, exactly python-etcd's
//! `etcd.Client(host=..., protocol='https', port=..., version_prefix='/etcd')`:
//! a real nginx on a free loopback port terminates TLS with a throwaway test CA
//! (made with the `openssl` CLI) and forwards `/etcd/` to a real etcd. get,
//! set (with --ttl), rm, rm -r, refresh, watch streaming and lock go through
//! it, in both the `--endpoints URL` and the `--host/--protocol/--port/
//! --path-prefix` forms; a server the CA does not vouch for is refused.
//!
//! [`Proxy`] is also used by `dns.rs` (an https SRV record pointing at it).
//! nginx runs with `master_process off`: one process, spawned with the
//! harness's PDEATHSIG guard, so it can never outlive the test process (a
//! master's workers would be orphaned, not killed, if the master died).

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::proxy::{Proxy, make_certificates};
use crate::support::util::{count, expect, put, stored};
use crate::support::{Lines, finish};
use std::thread;
use std::time::{Duration, Instant};

/// The two ways to name the proxy: python-etcd's single-server arguments and an endpoint URL.
fn forms(proxy: &Proxy) -> [(&'static str, Vec<String>); 2] {
    let ca = proxy.ca().display().to_string();
    [
        (
            "--endpoints URL",
            vec![
                "--endpoints".into(),
                proxy.url(),
                "--cacert".into(),
                ca.clone(),
            ],
        ),
        (
            "--host/--protocol/--port/--path-prefix",
            vec![
                "--host".into(),
                "localhost".into(),
                "--protocol".into(),
                "https".into(),
                "--port".into(),
                proxy.port().to_string(),
                "--path-prefix".into(),
                "/etcd".into(),
                "--cacert".into(),
                ca,
            ],
        ),
    ]
}

#[test]
fn get_set_rm_refresh_through_an_https_proxy_under_a_path_prefix() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        for (form, conn) in forms(&proxy) {
            let p = unique("proxy");
            let via = || etcdpy().args(&conn);

            // set, and the value is really in etcd.
            let run = via().args(["set", &format!("{p}/a"), "1"]).run();
            expect(&run, 0);
            assert_eq!(
                stored(etcd, &format!("{p}/a")).unwrap().value,
                b"1",
                "{form}"
            );

            // get of what etcdctl wrote.
            put(etcd, &format!("{p}/b"), "from etcdctl");
            let run = via().args(["get", &format!("{p}/b")]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "from etcdctl\n", "{form}");
            let run = via().args(["get", &format!("{p}/missing")]).run();
            expect(&run, 3);

            // set --ttl attaches a lease; refresh gives a new TTL and keeps the value.
            let key = format!("{p}/ttl");
            expect(
                &via().args(["set", &key, "leased", "--ttl", "30s"]).run(),
                0,
            );
            let before = stored(etcd, &key).unwrap();
            assert_ne!(before.lease, 0, "{form}: set --ttl left no lease");
            let run = via()
                .args(["refresh", &key, "--ttl", "600s", "-o", "json"])
                .run();
            expect(&run, 0);
            let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            assert_eq!(doc["ttl"], 600, "{form}: {run:?}");
            let after = stored(etcd, &key).unwrap();
            assert_eq!(after.value, b"leased", "{form}");
            assert_ne!(after.lease, 0, "{form}");
            // refresh without --ttl renews the current lease.
            expect(&via().args(["refresh", &key]).run(), 0);
            assert_eq!(stored(etcd, &key).unwrap().lease, after.lease, "{form}");

            // rm, then rm -r of a subtree.
            expect(&via().args(["rm", &format!("{p}/a")]).run(), 0);
            assert!(stored(etcd, &format!("{p}/a")).is_none(), "{form}");
            for k in ["x", "x/1", "x/2/3"] {
                put(etcd, &format!("{p}/{k}"), "v");
            }
            put(etcd, &format!("{p}/x2"), "stays");
            let run = via().args(["rm", "-r", &format!("{p}/x")]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "deleted 3 keys\n", "{form}");
            assert_eq!(count(etcd, &format!("{p}/x")), 1, "{form}: only x2 is left");
            assert!(stored(etcd, &format!("{p}/x2")).is_some(), "{form}");
        }
    });
}

#[test]
fn a_server_certificate_the_ca_does_not_vouch_for_is_refused() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        let key = format!("{}/k", unique("proxy-untrusted"));
        put(etcd, &key, "secret");
        // No --cacert: the system's roots do not know the test CA.
        let run = etcdpy()
            .args(["--endpoints", &proxy.url(), "get", &key])
            .run();
        assert_ne!(run.code, 0, "{run:?}");
        expect(&run, 7);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
        assert!(
            run.stderr.contains("certificate"),
            "stderr must name the certificate problem: {run:?}"
        );
        crate::support::tls::no_tls_library_text(&run.stderr);
        assert!(
            run.stderr.contains(&proxy.url()),
            "names the endpoint: {run:?}"
        );
        // The same with python-etcd's form, and a write is refused too (nothing written).
        let run = etcdpy()
            .args(["--host", "localhost", "--protocol", "https"])
            .args([
                "--port",
                &proxy.port().to_string(),
                "--path-prefix",
                "/etcd",
            ])
            .args(["set", &key, "changed"])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("certificate"), "{run:?}");
        crate::support::tls::no_tls_library_text(&run.stderr);
        assert_eq!(stored(etcd, &key).unwrap().value, b"secret");
        // A CA that did not sign the server's certificate is no better.
        let other = tempfile::tempdir().unwrap();
        make_certificates(other.path());
        let run = etcdpy()
            .args(["--endpoints", &proxy.url(), "--cacert"])
            .arg(other.path().join("ca.pem"))
            .args(["get", &key])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("certificate"), "{run:?}");
        crate::support::tls::no_tls_library_text(&run.stderr);
    });
}

#[test]
fn watch_streams_through_the_proxy() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        for (form, conn) in forms(&proxy) {
            let key = format!("{}/w", unique("proxy-watch"));
            let mut child = etcdpy().args(&conn).args(["watch", &key]).spawn();
            let lines = Lines::of(&mut child).0;
            // The watch may not be open yet: write (to etcd directly) until it reports a change.
            let mut i = 0;
            let line = loop {
                put(etcd, &key, &format!("v{i}"));
                i += 1;
                if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
                    break line;
                }
                assert!(i < 100, "{form}: the watch printed nothing");
            };
            let (code, stderr) = finish(child, Duration::from_secs(10));
            assert_eq!(code, 0, "{form}: {stderr}");
            assert!(
                line.starts_with(&format!("PUT {key} = v")),
                "{form}: {line}"
            );
            assert!(line.contains("[rev="), "{form}: {line}");
        }
        // A watch that streams several events: each arrives while the stream stays open.
        let key = format!("{}/f", unique("proxy-watch"));
        let (_, conn) = &forms(&proxy)[0];
        let mut child = etcdpy()
            .args(conn)
            .args(["watch", &key, "-n", "3", "--timeout", "20s"])
            .spawn();
        let lines = Lines::of(&mut child).0;
        let mut got = Vec::new();
        let mut i = 0;
        while got.len() < 3 {
            put(etcd, &key, &format!("n{i}"));
            i += 1;
            while let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
                got.push(line);
            }
            assert!(i < 100, "the watch printed only {got:?}");
        }
        let (code, stderr) = finish(child, Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(got.len(), 3, "{got:?}");
        for line in &got {
            assert!(line.starts_with(&format!("PUT {key} = n")), "{line}");
        }
    });
}

#[test]
fn lock_through_the_proxy_runs_the_command_and_excludes_a_second_holder() {
    for_each_etcd(|bin| {
        let etcd: &Etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        for (form, conn) in forms(&proxy) {
            let prefix = unique("proxy-lock");
            let lock = || {
                etcdpy()
                    .args(&conn)
                    .args(["lock", "L", "--prefix", &prefix])
            };
            let run = lock().args(["--", "sh", "-c", "echo held"]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "held\n", "{form}");
            assert_eq!(count(etcd, &format!("{prefix}/L/")), 0, "{form}: released");

            // The first holder keeps the lock (no command: prints its key, holds until SIGINT).
            let mut holder = lock().spawn();
            let holder_lines = Lines::of(&mut holder).0;
            let key = holder_lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("{form}: the holder printed no lock key"));
            assert!(key.starts_with(&format!("{prefix}/L/")), "{form}: {key}");
            // A second one waits: it gives up after its --timeout, its command never ran.
            let start = Instant::now();
            let run = lock()
                .args(["--timeout", "1s", "--", "sh", "-c", "echo second"])
                .run();
            expect(&run, 5);
            assert!(start.elapsed() >= Duration::from_secs(1), "{form}");
            assert!(run.stdout.is_empty(), "{form}: {run:?}");
            // A waiter without --timeout gets the lock once the holder lets go.
            let mut waiter = lock().args(["--", "sh", "-c", "echo second"]).spawn();
            let waiter_lines = Lines::of(&mut waiter).0;
            let deadline = Instant::now() + Duration::from_secs(10);
            while count(etcd, &format!("{prefix}/L/")) < 2 {
                assert!(Instant::now() < deadline, "{form}: the waiter never queued");
                thread::sleep(Duration::from_millis(20));
            }
            assert!(
                waiter_lines
                    .recv_timeout(Duration::from_millis(500))
                    .is_err(),
                "{form}: the waiter ran while the lock was held"
            );
            // SAFETY: kill(2) on our own child.
            unsafe { libc::kill(holder.id() as libc::pid_t, libc::SIGINT) };
            // Ctrl-C releases, and exits 130 as every interrupted wait does.
            assert_eq!(finish(holder, Duration::from_secs(10)).0, 130, "{form}");
            let line = waiter_lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("{form}: the waiter never got the lock"));
            assert_eq!(line, "second", "{form}");
            let (code, stderr) = finish(waiter, Duration::from_secs(10));
            assert_eq!(code, 0, "{form}: {stderr}");
            assert_eq!(count(etcd, &format!("{prefix}/L/")), 0, "{form}");
        }
    });
}
