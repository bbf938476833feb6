//! `etcdpy refresh`: a new TTL with the value kept, renewal of the current
//! lease, shared leases left alone, and a concurrent write detected.
//!
//! On `--api v2`: the value kept and no python-etcd waiter woken.

use crate::support::harness::for_each_etcd_v2;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::pyetcd::{py, py_spawn};
use crate::support::util::{expect, put, stored};
use std::io::{BufRead, BufReader};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

fn lease_ttl(etcd: &Etcd, lease: i64) -> (i64, i64, Vec<String>) {
    let out = etcd.etcdctl(&[
        "lease",
        "timetolive",
        &format!("{lease:x}"),
        "--keys",
        "-w",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = doc["keys"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|k| {
                    use base64::Engine as _;
                    let b = base64::engine::general_purpose::STANDARD
                        .decode(k.as_str().unwrap())
                        .unwrap();
                    String::from_utf8(b).unwrap()
                })
                .collect()
        })
        .unwrap_or_default();
    (
        doc["ttl"].as_i64().unwrap(),
        doc["granted-ttl"].as_i64().unwrap_or(0),
        keys,
    )
}

#[test]
fn refresh_with_ttl_keeps_the_value() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("refresh"));
        put(etcd, &key, "kept");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["refresh", &key, "--ttl", "600s", "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["ttl"], 600);
        let now = stored(etcd, &key).unwrap();
        assert_eq!(now.value, b"kept");
        assert_eq!(format!("{:x}", now.lease), doc["lease"].as_str().unwrap());
        let (ttl, granted, keys) = lease_ttl(etcd, now.lease);
        assert_eq!(granted, 600);
        assert!(ttl > 590, "{ttl}");
        assert_eq!(keys, vec![key.clone()]);

        // A new TTL: a new lease; the old one, now unused, is revoked.
        let old = now.lease;
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["refresh", &key, "--ttl", "20s"])
                .run(),
            0,
        );
        let now = stored(etcd, &key).unwrap();
        assert_ne!(now.lease, old);
        assert_eq!(now.value, b"kept");
        assert_eq!(
            lease_ttl(etcd, old).0,
            -1,
            "the old lease should be revoked"
        );
    });
}

#[test]
fn refresh_without_ttl_renews_the_current_lease() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("renew"));
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &key, "v", "--ttl", "10s"])
                .run(),
            0,
        );
        let before = stored(etcd, &key).unwrap();
        std::thread::sleep(Duration::from_millis(2200));
        assert!(lease_ttl(etcd, before.lease).0 <= 8);
        let run = etcdpy().endpoint(etcd).args(["refresh", &key]).run();
        expect(&run, 0);
        let after = stored(etcd, &key).unwrap();
        // Same lease, same revision (nothing written), TTL back up.
        assert_eq!(after.lease, before.lease);
        assert_eq!(after.mod_revision, before.mod_revision);
        assert!(lease_ttl(etcd, after.lease).0 >= 9);

        let plain = format!("{key}-plain");
        put(etcd, &plain, "v");
        let run = etcdpy().endpoint(etcd).args(["refresh", &plain]).run();
        expect(&run, 2);
        assert!(
            run.stderr.contains("has no TTL to renew; give --ttl"),
            "{run:?}"
        );

        let run = etcdpy()
            .endpoint(etcd)
            .args(["refresh", &format!("{key}-missing"), "--ttl", "5s"])
            .run();
        expect(&run, 3);
    });
}

#[test]
fn shared_lease_is_not_revoked() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("sharedlease");
        let out = etcd.etcdctl(&["lease", "grant", "300"]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let id = text.split_whitespace().nth(1).unwrap().to_string();
        let (k1, k2) = (format!("{p}/a"), format!("{p}/b"));
        assert!(
            etcd.etcdctl(&["put", "--lease", &id, &k1, "1"])
                .status
                .success()
        );
        assert!(
            etcd.etcdctl(&["put", "--lease", &id, &k2, "2"])
                .status
                .success()
        );
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["refresh", &k1, "--ttl", "30s"])
                .run(),
            0,
        );
        let old = i64::from_str_radix(&id, 16).unwrap();
        let (ttl, _, keys) = lease_ttl(etcd, old);
        assert!(ttl > 0, "the shared lease must survive");
        assert_eq!(keys, vec![k2.clone()]);
        assert_eq!(stored(etcd, &k2).unwrap().value, b"2");
    });
}

/// A TCP relay that holds back the transaction of a refresh for a second,
/// so that a write can land between the refresh's read and its swap.
fn delaying_proxy(target: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let server = TcpStream::connect(("127.0.0.1", target)).unwrap();
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n) = c_read.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if buf[..n].windows(13).any(|w| w == b"/v3/kv/txn HT") {
                        std::thread::sleep(Duration::from_millis(1500));
                    }
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s_read, &mut c_write);
            });
        }
    });
    port
}

#[test]
fn concurrent_write_during_refresh_exits_4() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("race"));
        put(etcd, &key, "before");
        let port = delaying_proxy(etcd.port());
        let child = etcdpy()
            .args([
                "--endpoints",
                &format!("127.0.0.1:{port}"),
                "refresh",
                &key,
                "--ttl",
                "60s",
            ])
            .spawn();
        std::thread::sleep(Duration::from_millis(700));
        put(etcd, &key, "written meanwhile");
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{stderr}");
        assert!(stderr.contains("changed while being refreshed"), "{stderr}");
        let now = stored(etcd, &key).unwrap();
        assert_eq!(
            (now.value.as_slice(), now.lease),
            (&b"written meanwhile"[..], 0)
        );
    });
}

#[test]
fn v2_refresh_keeps_the_value_and_wakes_no_python_etcd_waiter() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("v2refresh"));
        py(etcd, &format!("c.write('{key}', 'v', ttl=100)"));
        // The waiter asks from the index after its read: any event after it, even one made
        // before its long poll began, is returned from the v2 history.
        let mut waiter = py_spawn(
            etcd,
            &format!(
                "r = c.read('{key}'); print('ready', flush=True)\n\
                 e = c.read('{key}', wait=True, waitIndex=r.etcd_index + 1, timeout=30)\n\
                 print(e.action, e.value, flush=True)"
            ),
        );
        let mut lines = BufReader::new(waiter.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "ready");
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api", "v2", "refresh", &key, "--ttl", "500s", "-o", "json",
            ])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["ttl"], 500);
        assert_eq!(doc["lease"], serde_json::Value::Null);
        let out = py(
            etcd,
            &format!("r = c.read('{key}'); print(r.value, 490 <= r.ttl <= 500)"),
        );
        assert_eq!(out, "v True\n");
        // The first event the waiter sees is this write, not the refresh.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["--api", "v2", "set", &key, "after"])
                .run(),
            0,
        );
        assert_eq!(lines.next().unwrap().unwrap(), "set after");
        assert!(waiter.wait().unwrap().success());
    });
}
